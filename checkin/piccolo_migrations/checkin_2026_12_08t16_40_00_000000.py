"""door_count's PostgreSQL trigger counts by aggregates over its transition tables, so a statement
writing many check-ins (an import, a bench's seed, a trip's legs) costs a few hash joins.

The first version (checkin_2026_12_07t10_01) asked, for each RSVP the statement touched, whether a
standing check-in existed that the statement had not written, with `c.id NOT IN (SELECT id FROM
new_rows)`: once new_rows outgrew work_mem that subplan was scanned per RSVP, and 330,000 check-ins
inserted at once did not finish in eighteen minutes. The rule is the same: a member is in while any
of their check-ins stands. Before the statement an RSVP had (standing now) - (standing among the
rows it wrote) + (standing among the rows it changed or deleted) standing check-ins; it is counted
in when that goes from 0 to more, off when the reverse. The row triggers of SQLite are unchanged.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from checkin.piccolo_migrations.checkin_2026_12_07t10_01_00_000000 import POSTGRES as FIRST_VERSION
from checkin.piccolo_migrations.checkin_2026_12_07t10_01_00_000000 import SHARDS

ID = "2026-12-08T16:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "door_count's trigger counts a statement's check-ins by aggregates"

_NONE = "SELECT NULL::integer AS rsvp, 0::bigint AS n WHERE FALSE"


def _standing_in(rows: str | None) -> str:
    if rows is None:
        return _NONE
    return f"SELECT rsvp, COUNT(*) AS n FROM {rows} WHERE reverted_at IS NULL GROUP BY rsvp"


def _moved(new: str | None, old: str | None) -> str:
    # One row per RSVP (UNION and DISTINCT drop the second leg of a ticket written alongside the first).
    touched = " UNION ".join(f"SELECT DISTINCT event, rsvp FROM {rows}" for rows in (old, new) if rows)
    return (
        f"WITH a AS ({touched}), "
        f"now_standing AS (SELECT c.rsvp, COUNT(*) AS n FROM check_in c "
        f"WHERE c.reverted_at IS NULL AND c.rsvp IN (SELECT rsvp FROM a) GROUP BY c.rsvp), "
        f"written AS ({_standing_in(new)}), replaced AS ({_standing_in(old)}), "
        f"counts AS (SELECT a.event, a.rsvp, COALESCE(s.n, 0) AS now_n, "
        f"COALESCE(s.n, 0) - COALESCE(w.n, 0) + COALESCE(r.n, 0) AS before_n FROM a "
        f"LEFT JOIN now_standing s ON s.rsvp = a.rsvp LEFT JOIN written w ON w.rsvp = a.rsvp "
        f"LEFT JOIN replaced r ON r.rsvp = a.rsvp), "
        f"moved AS (SELECT event, rsvp % {SHARDS} AS shard, "
        f"SUM((CASE WHEN now_n > 0 THEN 1 ELSE 0 END) - (CASE WHEN before_n > 0 THEN 1 ELSE 0 END)) AS n "
        f"FROM counts GROUP BY event, rsvp % {SHARDS}) "
        f"INSERT INTO door_count (event, shard, checked_in) SELECT event, shard, n FROM moved WHERE n <> 0 "
        f"ON CONFLICT (event, shard) DO UPDATE SET checked_in = door_count.checked_in + EXCLUDED.checked_in;"
    )


BY_AGGREGATES = f"""CREATE OR REPLACE FUNCTION door_count_of_check_ins() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_moved("new_rows", None)}
    ELSIF TG_OP = 'DELETE' THEN
        {_moved(None, "old_rows")}
    ELSE
        {_moved("new_rows", "old_rows")}
    END IF;
    RETURN NULL;
END
$body$"""


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="checkin", description=DESCRIPTION)

    async def by_aggregates() -> None:
        from checkin.tables import DoorCount

        if DoorCount._meta.db.engine_type == "postgres":
            await DoorCount.raw(BY_AGGREGATES)

    async def first_version() -> None:
        from checkin.tables import DoorCount

        if DoorCount._meta.db.engine_type == "postgres":
            await DoorCount.raw(FIRST_VERSION[0])

    manager.add_raw(by_aggregates)
    manager.add_raw_backwards(first_version)
    return manager
