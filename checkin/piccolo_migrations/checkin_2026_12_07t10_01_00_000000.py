"""The door's members-in count kept by the database: triggers on check_in keep door_count, each
event's number spread over SHARDS rows by RSVP id (so concurrent scans lock different rows).

A scan answers with the event's count (members in / confirmed), and counting a gala's check-ins
on every scan cost more than the admission itself. A member is in while any of their check-ins
stands (reverted_at null): a first standing one counts them, reverting (or deleting) the last takes
them off, in the transaction of the change. Check-ins are written under the RSVP's lock, so two
transactions never count one member in twice. Then every event's number is counted once. The
confirmed beside it are kept the same way in events' event_tally (events_2026_12_07t10_01).
checkin.scanning reads them; tests/checkin/test_door_count.py checks them against the rows.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T10:01:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "door_count kept by triggers on check_in, and counted once"

# Rows per event, chosen by RSVP id (checkin.tables.DoorCount.shard).
SHARDS = 16
UNIQUE = "CREATE UNIQUE INDEX IF NOT EXISTS door_count_event_shard ON door_count (event, shard)"

# PostgreSQL fires row triggers at the end of a statement, when every row it wrote is visible:
# a statement inserting a trip's two legs of one ticket would have each row see the other. So the
# trigger is per statement, over its transition tables: for each RSVP it touched, in now (a
# standing check-in) less in before (one standing that the statement did not write, or one it
# changed or deleted that stood).
_STANDING = "SELECT 1 FROM check_in c WHERE c.rsvp = a.rsvp AND c.reverted_at IS NULL"
_OLD_STOOD = "EXISTS (SELECT 1 FROM old_rows o WHERE o.rsvp = a.rsvp AND o.reverted_at IS NULL)"
_NOT_WRITTEN = "c.id NOT IN (SELECT id FROM new_rows)"


def _moved(affected: str, not_written: str, old_stood: str) -> str:
    return (
        f"WITH a AS ({affected}), moved AS (SELECT a.event, a.rsvp % {SHARDS} AS shard, SUM("
        f"(CASE WHEN EXISTS ({_STANDING}) THEN 1 ELSE 0 END) - "
        f"(CASE WHEN EXISTS ({_STANDING} AND {not_written}) OR {old_stood} THEN 1 ELSE 0 END)) AS n "
        f"FROM a GROUP BY a.event, a.rsvp % {SHARDS}) "
        f"INSERT INTO door_count (event, shard, checked_in) SELECT event, shard, n FROM moved WHERE n <> 0 "
        f"ON CONFLICT (event, shard) DO UPDATE SET checked_in = door_count.checked_in + EXCLUDED.checked_in;"
    )


POSTGRES = (
    f"""CREATE OR REPLACE FUNCTION door_count_of_check_ins() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_moved("SELECT DISTINCT event, rsvp FROM new_rows", _NOT_WRITTEN, "FALSE")}
    ELSIF TG_OP = 'DELETE' THEN
        {_moved("SELECT DISTINCT event, rsvp FROM old_rows", "TRUE", _OLD_STOOD)}
    ELSE
        {_moved("SELECT event, rsvp FROM old_rows UNION SELECT event, rsvp FROM new_rows", _NOT_WRITTEN, _OLD_STOOD)}
    END IF;
    RETURN NULL;
END
$body$""",
    "DROP TRIGGER IF EXISTS check_in_door_count_insert ON check_in",
    "DROP TRIGGER IF EXISTS check_in_door_count_update ON check_in",
    "DROP TRIGGER IF EXISTS check_in_door_count_delete ON check_in",
    ("CREATE TRIGGER check_in_door_count_insert AFTER INSERT ON check_in REFERENCING NEW TABLE AS new_rows "
     "FOR EACH STATEMENT EXECUTE FUNCTION door_count_of_check_ins()"),
    ("CREATE TRIGGER check_in_door_count_update AFTER UPDATE ON check_in REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
     "FOR EACH STATEMENT EXECUTE FUNCTION door_count_of_check_ins()"),
    ("CREATE TRIGGER check_in_door_count_delete AFTER DELETE ON check_in REFERENCING OLD TABLE AS old_rows "
     "FOR EACH STATEMENT EXECUTE FUNCTION door_count_of_check_ins()"),
)

# SQLite runs a row trigger right after its row, seeing the rows written before it only: a first
# standing check-in counts its member in, the last to stop standing takes them off.
_OTHER_STANDING = "EXISTS (SELECT 1 FROM check_in c WHERE c.rsvp = {row}.rsvp AND c.reverted_at IS NULL AND c.id <> {row}.id)"


def _sqlite_in(row: str) -> str:
    return (f"INSERT OR IGNORE INTO door_count (event, shard, checked_in) VALUES ({row}.event, {row}.rsvp % {SHARDS}, 0); "
            f"UPDATE door_count SET checked_in = checked_in + 1 WHERE event = {row}.event AND shard = {row}.rsvp % {SHARDS};")


def _sqlite_out(row: str) -> str:
    return f"UPDATE door_count SET checked_in = checked_in - 1 WHERE event = {row}.event AND shard = {row}.rsvp % {SHARDS};"


SQLITE = (
    (f"CREATE TRIGGER IF NOT EXISTS check_in_door_count_insert AFTER INSERT ON check_in "
     f"WHEN NEW.reverted_at IS NULL AND NOT {_OTHER_STANDING.format(row='NEW')} BEGIN {_sqlite_in('NEW')} END"),
    (f"CREATE TRIGGER IF NOT EXISTS check_in_door_count_delete AFTER DELETE ON check_in "
     f"WHEN OLD.reverted_at IS NULL AND NOT {_OTHER_STANDING.format(row='OLD')} BEGIN {_sqlite_out('OLD')} END"),
    (f"CREATE TRIGGER IF NOT EXISTS check_in_door_count_out AFTER UPDATE OF reverted_at, rsvp, event ON check_in "
     f"WHEN OLD.reverted_at IS NULL AND (NEW.reverted_at IS NOT NULL OR OLD.rsvp <> NEW.rsvp OR OLD.event <> NEW.event) "
     f"AND NOT {_OTHER_STANDING.format(row='OLD')} BEGIN {_sqlite_out('OLD')} END"),
    (f"CREATE TRIGGER IF NOT EXISTS check_in_door_count_in AFTER UPDATE OF reverted_at, rsvp, event ON check_in "
     f"WHEN NEW.reverted_at IS NULL AND (OLD.reverted_at IS NOT NULL OR OLD.rsvp <> NEW.rsvp OR OLD.event <> NEW.event) "
     f"AND NOT {_OTHER_STANDING.format(row='NEW')} BEGIN {_sqlite_in('NEW')} END"),
)
COUNT_ONCE = (
    "DELETE FROM door_count",
    ("INSERT INTO door_count (event, shard, checked_in) "
     f"SELECT c.event, c.rsvp % {SHARDS}, COUNT(DISTINCT c.rsvp) FROM check_in c "
     f"WHERE c.reverted_at IS NULL GROUP BY c.event, c.rsvp % {SHARDS}"),
)
DROP_POSTGRES = (
    "DROP TRIGGER IF EXISTS check_in_door_count_insert ON check_in",
    "DROP TRIGGER IF EXISTS check_in_door_count_update ON check_in",
    "DROP TRIGGER IF EXISTS check_in_door_count_delete ON check_in",
    "DROP FUNCTION IF EXISTS door_count_of_check_ins()",
)
DROP_SQLITE = tuple(
    f"DROP TRIGGER IF EXISTS {name}"
    for name in ("check_in_door_count_insert", "check_in_door_count_delete", "check_in_door_count_out", "check_in_door_count_in")
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="checkin", description=DESCRIPTION)

    async def keep_counts() -> None:
        from checkin.tables import DoorCount

        # The triggers first, then the count: a change made between the two is counted once.
        await DoorCount.raw(UNIQUE)
        for statement in POSTGRES if DoorCount._meta.db.engine_type == "postgres" else SQLITE:
            await DoorCount.raw(statement)
        for statement in COUNT_ONCE:
            await DoorCount.raw(statement)

    async def drop_triggers() -> None:
        from checkin.tables import DoorCount

        for statement in DROP_POSTGRES if DoorCount._meta.db.engine_type == "postgres" else DROP_SQLITE:
            await DoorCount.raw(statement)
        await DoorCount.raw("DROP INDEX IF EXISTS door_count_event_shard")

    manager.add_raw(keep_counts)
    manager.add_raw_backwards(drop_triggers)
    return manager
