"""Indexes for the show offers' cron job: open invitations only.

Raw `CREATE INDEX IF NOT EXISTS`: Piccolo's columns declare single-column indexes only, and these
are composite or partial (both SQLite and PostgreSQL take a partial index's WHERE). The query
plans they serve are checked by tests/test_query_plans.py.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-05T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes: open show invitations"

INDEXES = {
    # expire_show_offers, every minute: overdue offers and cancelled shows' open invitations
    "show_invitation_open": (
        "CREATE INDEX IF NOT EXISTS show_invitation_open ON show_invitation (show) WHERE status IN ('offered', 'queued')"
    ),
}


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="shows", description=DESCRIPTION)

    async def create() -> None:
        from events.shows.tables import ShowInvitation

        for sql in INDEXES.values():
            await ShowInvitation.raw(sql)

    async def drop() -> None:
        from events.shows.tables import ShowInvitation

        for name in INDEXES:
            await ShowInvitation.raw(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
