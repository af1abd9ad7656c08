"""`club_seat_facts(event, kind)` on PostgreSQL: what a seat is decided on, read as it stands now.

A seat used to be taken in two statements inside the event's lock: the lock, then the claim
(events.rsvp), because under READ COMMITTED a statement that waits for a lock still reads the
database as it stood when the statement began, without the seat the lock's last holder took.
Between the two, the app's event loop came round to the RSVP again, and in a storm that turn
was half of the time each seat held the lock. A VOLATILE PL/pgSQL function takes a snapshot
for each query it runs: the claim calls this one on the row it has just locked, and decides on
the event's row and tier as text, its steps as text and its seats taken, all read after the
lock. They are the expressions events.rsvp and events.reminders.new_seat compare before the
lock (`_STAMP`, `STEPS_STAMP_SQL`, `SEATS_TAKEN_SQL`), copied here as they stand today;
tests/events/test_seat_facts.py checks the two agree. SQLite has one writer: nothing to add.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-09T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "club_seat_facts(event, kind): a seat's facts read after the claim's lock"

CREATE = """CREATE OR REPLACE FUNCTION club_seat_facts(p_event integer, p_kind varchar)
RETURNS TABLE (event_stamp text, steps_stamp text, seats_taken integer)
LANGUAGE plpgsql VOLATILE AS $body$
BEGIN
    RETURN QUERY SELECT md5(e::text || coalesce(t::text, '')),
        (SELECT md5(coalesce(string_agg(q::text, '|' ORDER BY q.source, q.id), '')) FROM (
            SELECT s.*, 'event' AS source FROM reminder_step s
              JOIN event_reminder_sequence l ON l.sequence = s.sequence WHERE l.event = p_event
            UNION ALL
            SELECT s.*, 'kind' AS source FROM reminder_step s
              JOIN reminder_kind_default k ON k.sequence = s.sequence WHERE k.event_kind = p_kind
        ) q),
        CAST(COALESCE((SELECT SUM(s.seats) FROM event_tally s WHERE s.event = e.id), 0) AS INTEGER)
    FROM event e LEFT JOIN tier t ON t.id = e.min_tier WHERE e.id = p_event;
END
$body$"""
DROP = "DROP FUNCTION IF EXISTS club_seat_facts(integer, varchar)"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="events", description=DESCRIPTION)

    async def create() -> None:
        from events.tables import Event

        if Event._meta.db.engine_type == "postgres":
            await Event.raw(CREATE)

    async def drop() -> None:
        from events.tables import Event

        if Event._meta.db.engine_type == "postgres":
            await Event.raw(DROP)

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
