"""This database's own id, a random UUID made when the database is created (club.installation).

Message-IDs are built within it, so they never repeat after a reset. A separate migration: Piccolo
runs a migration's raw steps before its table changes, so the row waits for the table's migration.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-06T12:09:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "installation: this database's own id (a random UUID, stored once)"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="club", description=DESCRIPTION)

    async def store_the_id() -> None:
        from club.installation import installation_id

        await installation_id()  # made here once; kept by every later start

    async def forget_the_id() -> None:
        from club.installation import Installation

        await Installation.delete(force=True)

    manager.add_raw(store_the_id)
    manager.add_raw_backwards(forget_the_id)
    return manager
