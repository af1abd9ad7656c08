"""door_count's PostgreSQL trigger looks up the standing check-ins of each RSVP a statement of a
few check-ins touched by that RSVP, instead of reading every standing check-in of the club.

In checkin_2026_12_08t16_40 `now_standing` semi-joined check_in with the touched RSVPs; the plan
PL/pgSQL keeps for the trigger, made when check_in was small, scanned every standing check-in
once per admission (a gala's door grew slower with each guest in: 6,000 check-ins read for one).
Counted per touched RSVP by check_in's rsvp index, an admission reads its own ticket's check-ins.
A statement of many check-ins (an import, a bench's 330,000) keeps the semi-join and its hash
joins: the per-RSVP lookups, planned on a check_in still small, became a scan per RSVP there.
The rule is unchanged.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from checkin.piccolo_migrations.checkin_2026_12_08t16_40_00_000000 import BY_AGGREGATES as SEMI_JOINED
from checkin.piccolo_migrations.checkin_2026_12_08t16_40_00_000000 import _moved

ID = "2026-12-08T18:01:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "door_count's trigger counts a few check-ins' RSVPs by check_in's rsvp index"

# The one CTE that changes: a semi-join of check_in with the touched RSVPs, good for a statement
# writing many check-ins (hash joins) but scanning every standing check-in when PL/pgSQL's kept
# plan was made while check_in was small ...
_SEMI_JOINED = (
    "now_standing AS (SELECT c.rsvp, COUNT(*) AS n FROM check_in c "
    "WHERE c.reverted_at IS NULL AND c.rsvp IN (SELECT rsvp FROM a) GROUP BY c.rsvp)"
)
# ... or, for a statement of a few check-ins (a scan, a trip's legs, an undo), a count per touched
# RSVP by check_in's rsvp index (for many, a plan made on a small check_in would scan it per RSVP).
_BY_RSVP = (
    "now_standing AS (SELECT a.rsvp, (SELECT COUNT(*) FROM check_in c "
    "WHERE c.rsvp = a.rsvp AND c.reverted_at IS NULL) AS n FROM (SELECT DISTINCT rsvp FROM a) a)"
)
FEW = 16  # check-ins in a statement, at most, counted per RSVP


def _either(new: str | None, old: str | None) -> str:
    many = _moved(new, old)
    assert many.count(_SEMI_JOINED) == 1
    rows = new or old
    return (f"IF (SELECT COUNT(*) FROM {rows}) <= {FEW} THEN {many.replace(_SEMI_JOINED, _BY_RSVP)} "
            f"ELSE {many} END IF;")


BY_SIZE = f"""CREATE OR REPLACE FUNCTION door_count_of_check_ins() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_either("new_rows", None)}
    ELSIF TG_OP = 'DELETE' THEN
        {_either(None, "old_rows")}
    ELSE
        {_either("new_rows", "old_rows")}
    END IF;
    RETURN NULL;
END
$body$"""


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="checkin", description=DESCRIPTION)

    async def by_size() -> None:
        from checkin.tables import DoorCount

        if DoorCount._meta.db.engine_type == "postgres":
            await DoorCount.raw(BY_SIZE)

    async def semi_joined() -> None:
        from checkin.tables import DoorCount

        if DoorCount._meta.db.engine_type == "postgres":
            await DoorCount.raw(SEMI_JOINED)

    manager.add_raw(by_size)
    manager.add_raw_backwards(semi_joined)
    return manager
