"""Indexes for the reminder dispatcher's polling queries, every 5 s.

Raw `CREATE INDEX IF NOT EXISTS`: Piccolo's columns declare single-column indexes only, and these
are composite or partial (both SQLite and PostgreSQL take a partial index's WHERE). The query
plans they serve are checked by tests/test_query_plans.py.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-05T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes: rows to dispatch by due time, scheduled rows by due time"

INDEXES = {
    # dispatch: rows marked for dispatch, read in due order without a sort
    "scheduled_reminder_to_dispatch": (
        "CREATE INDEX IF NOT EXISTS scheduled_reminder_to_dispatch ON scheduled_reminder (due_at) WHERE needs_dispatch = true"
    ),
    # reconcile and the full sweep: only rows still scheduled
    "scheduled_reminder_scheduled": (
        "CREATE INDEX IF NOT EXISTS scheduled_reminder_scheduled ON scheduled_reminder (due_at) WHERE status = 'scheduled'"
    ),
}


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="reminders", description=DESCRIPTION)

    async def create() -> None:
        from events.reminders.tables import ScheduledReminder

        for sql in INDEXES.values():
            await ScheduledReminder.raw(sql)

    async def drop() -> None:
        from events.reminders.tables import ScheduledReminder

        for name in INDEXES:
            await ScheduledReminder.raw(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
