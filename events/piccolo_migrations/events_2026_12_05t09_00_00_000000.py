"""Indexes for the hot and polling queries of events: seats under the event lock, the outbox.

Raw `CREATE INDEX IF NOT EXISTS`: Piccolo's columns declare single-column indexes only, and these
are composite or partial (both SQLite and PostgreSQL take a partial index's WHERE). The query
plans they serve are checked by tests/test_query_plans.py.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-05T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes: rsvp (event, status), undelivered outbox"

INDEXES = {
    # seats_taken under the event lock, the door's counts, no-shows: one event's RSVPs of one status
    "rsvp_event_status": (
        "CREATE INDEX IF NOT EXISTS rsvp_event_status ON rsvp (event, status)"
    ),
    # adopt_outbox, every 5 s: the undelivered messages in id order
    "events_outbox_undelivered": (
        "CREATE INDEX IF NOT EXISTS events_outbox_undelivered ON events_outbox (id) WHERE delivered_at IS NULL"
    ),
}


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="events", description=DESCRIPTION)

    async def create() -> None:
        from events.tables import Rsvp

        for sql in INDEXES.values():
            await Rsvp.raw(sql)

    async def drop() -> None:
        from events.tables import Rsvp

        for name in INDEXES:
            await Rsvp.raw(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
