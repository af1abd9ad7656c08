"""Indexes for the door scan's counts: standing check-ins of an event.

Raw `CREATE INDEX IF NOT EXISTS`: Piccolo's columns declare single-column indexes only, and these
are composite or partial (both SQLite and PostgreSQL take a partial index's WHERE). The query
plans they serve are checked by tests/test_query_plans.py.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-05T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes: standing check-ins by event and RSVP"

INDEXES = {
    # each scan counts the event's standing check-ins (distinct RSVPs); record_no_shows reads them too
    "check_in_standing": (
        "CREATE INDEX IF NOT EXISTS check_in_standing ON check_in (event, rsvp) WHERE reverted_at IS NULL"
    ),
}


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="checkin", description=DESCRIPTION)

    async def create() -> None:
        from checkin.tables import CheckIn

        for sql in INDEXES.values():
            await CheckIn.raw(sql)

    async def drop() -> None:
        from checkin.tables import CheckIn

        for name in INDEXES:
            await CheckIn.raw(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
