"""Room on member's pages for its balance to change in place (PostgreSQL).

Every award and every door admission rewrites a member's row (points_balance, by the ledger's
trigger). On full pages PostgreSQL writes the new version elsewhere and adds it to every index of
the table, the three trigram indexes of the console's search among them (GIN, fastupdate off):
most of an admission's cost in its plan. With a fifth of each page left free, the new version
stays on its page and, as no indexed column changed, no index is touched (a HOT update). Pages
written from now on keep the room; the rows already stored move to such pages as they change.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-08T18:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "member's pages keep room for its balance to change in place"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="club", description=DESCRIPTION)

    async def room() -> None:
        from club.tables import Member

        if Member._meta.db.engine_type == "postgres":
            await Member.raw("ALTER TABLE member SET (fillfactor = 80)")

    async def no_room() -> None:
        from club.tables import Member

        if Member._meta.db.engine_type == "postgres":
            await Member.raw("ALTER TABLE member RESET (fillfactor)")

    manager.add_raw(room)
    manager.add_raw_backwards(no_room)
    return manager
