"""Each member's points balance kept on their row, by the database itself (the column is the
migration before this one's).

The ledger (`points_entry`) stays the truth and append-only; `member.points_balance` is its sum,
kept by a trigger on the ledger in the same transaction as each entry, so no writer can forget it
(an award, a redemption, a test or a bench inserting by hand) and no read has to sum a member's
whole history: `GET /api/me`, every award's tier check and every scan read one column instead.
A deleted or corrected entry (never done by the service, but possible by hand) moves it back.
tests/club/test_points_balance.py checks the column against the ledger's sum.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T09:01:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "points_entry keeps member.points_balance: triggers, and the balances summed once"

BACKFILL = (
    "UPDATE member SET points_balance = "
    "(SELECT COALESCE(SUM(p.delta), 0) FROM points_entry p WHERE p.member = member.id)"
)
POSTGRES = (
    """CREATE OR REPLACE FUNCTION points_entry_keeps_balance() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
        UPDATE member SET points_balance = points_balance + NEW.delta WHERE id = NEW.member;
    END IF;
    IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN
        UPDATE member SET points_balance = points_balance - OLD.delta WHERE id = OLD.member;
    END IF;
    RETURN NULL;
END
$body$""",
    "DROP TRIGGER IF EXISTS points_entry_balance ON points_entry",
    ("CREATE TRIGGER points_entry_balance AFTER INSERT OR DELETE OR UPDATE OF delta, member ON points_entry "
    "FOR EACH ROW EXECUTE FUNCTION points_entry_keeps_balance()"),
)
SQLITE = (
    ("CREATE TRIGGER IF NOT EXISTS points_entry_balance_insert AFTER INSERT ON points_entry BEGIN "
    "UPDATE member SET points_balance = points_balance + NEW.delta WHERE id = NEW.member; END"),
    ("CREATE TRIGGER IF NOT EXISTS points_entry_balance_delete AFTER DELETE ON points_entry BEGIN "
    "UPDATE member SET points_balance = points_balance - OLD.delta WHERE id = OLD.member; END"),
    ("CREATE TRIGGER IF NOT EXISTS points_entry_balance_update AFTER UPDATE OF delta, member ON points_entry BEGIN "
    "UPDATE member SET points_balance = points_balance - OLD.delta WHERE id = OLD.member; "
    "UPDATE member SET points_balance = points_balance + NEW.delta WHERE id = NEW.member; END"),
)
DROP_POSTGRES = (
    "DROP TRIGGER IF EXISTS points_entry_balance ON points_entry",
    "DROP FUNCTION IF EXISTS points_entry_keeps_balance()",
)
DROP_SQLITE = (
    "DROP TRIGGER IF EXISTS points_entry_balance_insert",
    "DROP TRIGGER IF EXISTS points_entry_balance_delete",
    "DROP TRIGGER IF EXISTS points_entry_balance_update",
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="club", description=DESCRIPTION)
    async def keep_balances() -> None:
        from club.tables import Member

        # The trigger first, then the sum: an entry written between the two is counted once.
        for statement in POSTGRES if Member._meta.db.engine_type == "postgres" else SQLITE:
            await Member.raw(statement)
        await Member.raw(BACKFILL)

    async def drop_triggers() -> None:
        from club.tables import Member

        for statement in DROP_POSTGRES if Member._meta.db.engine_type == "postgres" else DROP_SQLITE:
            await Member.raw(statement)

    manager.add_raw(keep_balances)
    manager.add_raw_backwards(drop_triggers)
    return manager
