"""An event's confirmed RSVPs and their seats kept by the database: triggers on rsvp keep
event_tally, each event's numbers spread over SHARDS rows by RSVP id.

The event list shows each event's seats taken, and the door answers each scan with the confirmed
count; summing a gala's RSVPs for each cost more than the rest of the answer. An RSVP that becomes
confirmed adds one and its seats, one that stops being confirmed (or goes) takes them away, and a
confirmed RSVP whose seats change (guests added or dropped) moves the seats, in the transaction
of the change. Row triggers: each reads only its own row's old and new values, so several rows in
one statement count right on both backends. Then every event's numbers are counted once.
tests/checkin/test_door_count.py checks them against the rows.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T10:01:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "event_tally kept by triggers on rsvp, and counted once"

CONFIRMED = "'confirmed'"
# Rows per event, chosen by RSVP id (events.tables.EventTally.shard).
SHARDS = 16
UNIQUE = "CREATE UNIQUE INDEX IF NOT EXISTS event_tally_event_shard ON event_tally (event, shard)"


def _add(row: str, sign: str, *, sqlite: bool = False) -> str:
    """The statements that add (sign "+") or take away ("-") `row`'s RSVP from its event's tally."""
    shard = f"{row}.id % {SHARDS}"
    insert = "INSERT OR IGNORE INTO" if sqlite else "INSERT INTO"
    if_new = "" if sqlite else " ON CONFLICT (event, shard) DO NOTHING"
    return (
        f"{insert} event_tally (event, shard, confirmed, seats) VALUES ({row}.event, {shard}, 0, 0){if_new}; "
        f"UPDATE event_tally SET confirmed = confirmed {sign} 1, seats = seats {sign} {row}.seats "
        f"WHERE event = {row}.event AND shard = {shard};"
    )


POSTGRES = (
    f"""CREATE OR REPLACE FUNCTION event_tally_of_rsvp() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN
        IF OLD.status = {CONFIRMED} THEN
            {_add("OLD", "-")}
        END IF;
    END IF;
    IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
        IF NEW.status = {CONFIRMED} THEN
            {_add("NEW", "+")}
        END IF;
    END IF;
    RETURN NULL;
END
$body$""",
    "DROP TRIGGER IF EXISTS rsvp_event_tally ON rsvp",
    "DROP TRIGGER IF EXISTS rsvp_event_tally_update ON rsvp",
    "CREATE TRIGGER rsvp_event_tally AFTER INSERT OR DELETE ON rsvp FOR EACH ROW EXECUTE FUNCTION event_tally_of_rsvp()",
    ("CREATE TRIGGER rsvp_event_tally_update AFTER UPDATE OF status, event, seats ON rsvp FOR EACH ROW "
     "WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.event <> NEW.event OR OLD.seats <> NEW.seats) "
     "EXECUTE FUNCTION event_tally_of_rsvp()"),
)
_CHANGED = "(NEW.status IS NOT OLD.status OR NEW.event <> OLD.event OR NEW.seats <> OLD.seats)"
SQLITE = (
    (f"CREATE TRIGGER IF NOT EXISTS rsvp_event_tally_insert AFTER INSERT ON rsvp WHEN NEW.status = {CONFIRMED} "
     f"BEGIN {_add('NEW', '+', sqlite=True)} END"),
    (f"CREATE TRIGGER IF NOT EXISTS rsvp_event_tally_delete AFTER DELETE ON rsvp WHEN OLD.status = {CONFIRMED} "
     f"BEGIN {_add('OLD', '-', sqlite=True)} END"),
    (f"CREATE TRIGGER IF NOT EXISTS rsvp_event_tally_out AFTER UPDATE OF status, event, seats ON rsvp "
     f"WHEN OLD.status = {CONFIRMED} AND {_CHANGED} "
     f"BEGIN {_add('OLD', '-', sqlite=True)} END"),
    (f"CREATE TRIGGER IF NOT EXISTS rsvp_event_tally_in AFTER UPDATE OF status, event, seats ON rsvp "
     f"WHEN NEW.status = {CONFIRMED} AND {_CHANGED} "
     f"BEGIN {_add('NEW', '+', sqlite=True)} END"),
)
COUNT_ONCE = (
    "DELETE FROM event_tally",
    ("INSERT INTO event_tally (event, shard, confirmed, seats) "
     f"SELECT r.event, r.id % {SHARDS}, COUNT(*), SUM(r.seats) FROM rsvp r WHERE r.status = {CONFIRMED} "
     f"GROUP BY r.event, r.id % {SHARDS}"),
)
DROP_POSTGRES = (
    "DROP TRIGGER IF EXISTS rsvp_event_tally ON rsvp",
    "DROP TRIGGER IF EXISTS rsvp_event_tally_update ON rsvp",
    "DROP FUNCTION IF EXISTS event_tally_of_rsvp()",
)
DROP_SQLITE = tuple(
    f"DROP TRIGGER IF EXISTS {name}"
    for name in ("rsvp_event_tally_insert", "rsvp_event_tally_delete", "rsvp_event_tally_out", "rsvp_event_tally_in")
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="events", description=DESCRIPTION)

    async def keep_tallies() -> None:
        from events.tables import EventTally

        # The triggers first, then the count: a change made between the two is counted once.
        await EventTally.raw(UNIQUE)
        for statement in POSTGRES if EventTally._meta.db.engine_type == "postgres" else SQLITE:
            await EventTally.raw(statement)
        for statement in COUNT_ONCE:
            await EventTally.raw(statement)

    async def drop_triggers() -> None:
        from events.tables import EventTally

        for statement in DROP_POSTGRES if EventTally._meta.db.engine_type == "postgres" else DROP_SQLITE:
            await EventTally.raw(statement)
        await EventTally.raw("DROP INDEX IF EXISTS event_tally_event_shard")

    manager.add_raw(keep_tallies)
    manager.add_raw_backwards(drop_triggers)
    return manager
