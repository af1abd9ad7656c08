"""Indexes for the referral-notice cron job: the awarded referrals not yet told.

Raw `CREATE INDEX IF NOT EXISTS`: Piccolo's columns declare single-column indexes only, and these
are composite or partial (both SQLite and PostgreSQL take a partial index's WHERE). The query
plans they serve are checked by tests/test_query_plans.py.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-05T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes: referrals awaiting their notice"

INDEXES = {
    # tell_referrers, every minute: the few untold among every referral ever earned, in id order
    "referral_untold": (
        "CREATE INDEX IF NOT EXISTS referral_untold ON referral (id) WHERE told_at IS NULL AND awarded_at IS NOT NULL"
    ),
}


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="club", description=DESCRIPTION)

    async def create() -> None:
        from club.tables import Referral

        for sql in INDEXES.values():
            await Referral.raw(sql)

    async def drop() -> None:
        from club.tables import Referral

        for name in INDEXES:
            await Referral.raw(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
