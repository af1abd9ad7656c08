"""Each member's tier changes written by the database itself (the table is the migration before
this one's): a trigger on every update of `member.tier` that changes it adds a `tier_change` row
in the same transaction, so a promotion, a review, a coordinator's edit or a hand-written UPDATE
all leave their history and no service code has to. `changed_at` is the database's clock: the
transaction's start on PostgreSQL; on SQLite the UTC time as Piccolo writes a timestamptz there
(text that sorts as time). tests/measures/test_tier_history.py checks both.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-08T15:12:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "member.tier updates write tier_change: triggers"

POSTGRES = (
    """CREATE OR REPLACE FUNCTION member_tier_writes_history() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    INSERT INTO tier_change (member, from_tier, to_tier, changed_at) VALUES (NEW.id, OLD.tier, NEW.tier, now());
    RETURN NULL;
END
$body$""",
    "DROP TRIGGER IF EXISTS member_tier_history ON member",
    ("CREATE TRIGGER member_tier_history AFTER UPDATE OF tier ON member "
     "FOR EACH ROW WHEN (OLD.tier IS DISTINCT FROM NEW.tier) EXECUTE FUNCTION member_tier_writes_history()"),
)
SQLITE = (
    ("CREATE TRIGGER IF NOT EXISTS member_tier_history AFTER UPDATE OF tier ON member "
     "WHEN OLD.tier IS NOT NEW.tier BEGIN "
     "INSERT INTO tier_change (member, from_tier, to_tier, changed_at) "
     "VALUES (NEW.id, OLD.tier, NEW.tier, strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00'); END"),
)
DROP_POSTGRES = (
    "DROP TRIGGER IF EXISTS member_tier_history ON member",
    "DROP FUNCTION IF EXISTS member_tier_writes_history()",
)
DROP_SQLITE = ("DROP TRIGGER IF EXISTS member_tier_history",)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="measures", description=DESCRIPTION)

    async def write_history() -> None:
        from club.tables import Member

        for statement in POSTGRES if Member._meta.db.engine_type == "postgres" else SQLITE:
            await Member.raw(statement)

    async def drop_triggers() -> None:
        from club.tables import Member

        for statement in DROP_POSTGRES if Member._meta.db.engine_type == "postgres" else DROP_SQLITE:
            await Member.raw(statement)

    manager.add_raw(write_history)
    manager.add_raw_backwards(drop_triggers)
    return manager
