"""Birthday awards made before points_entry.told_at are marked told as of their award, so the
greeting job's first run does not greet members for birthdays long past; and that job's index.

Raw `CREATE INDEX IF NOT EXISTS`: Piccolo's columns declare single-column indexes only, and this
one is partial (both SQLite and PostgreSQL take a partial index's WHERE): the few untold
birthday awards among every entry of the ledger, in id order, read every minute.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-06T12:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "birthday awards made before: told; index: birthday awards awaiting their greeting"

INDEX = (
    "CREATE INDEX IF NOT EXISTS points_entry_birthday_untold ON points_entry (id) "
    "WHERE reason = 'birthday' AND told_at IS NULL"
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="club", description=DESCRIPTION)

    async def mark_past_birthdays_told() -> None:
        from club.tables import PointsEntry

        await PointsEntry.raw("UPDATE points_entry SET told_at = created_at WHERE reason = 'birthday' AND told_at IS NULL")
        await PointsEntry.raw(INDEX)

    async def drop_index() -> None:
        from club.tables import PointsEntry

        await PointsEntry.raw("DROP INDEX IF EXISTS points_entry_birthday_untold")

    manager.add_raw(mark_past_birthdays_told)
    manager.add_raw_backwards(drop_index)
    return manager
