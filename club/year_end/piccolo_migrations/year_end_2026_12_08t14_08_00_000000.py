"""A member's year-end reward is unique on (member, year): the one statement that gives a year's
rewards (club.year_end.awarding) inserts ON CONFLICT (member, year) DO NOTHING, so a second or a
concurrent run gives each member nothing more; and the few awards not told yet are found by a
partial index (events.year_end_messages looks every minute). Raw SQL, so its own migration, after
the tables."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-08T14:08:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "year_end_award unique on (member, year), and its untold awards indexed"

UNIQUE = "CREATE UNIQUE INDEX IF NOT EXISTS year_end_award_member_year ON year_end_award (member, year)"
UNTOLD = "CREATE INDEX IF NOT EXISTS year_end_award_untold ON year_end_award (id) WHERE told_at IS NULL"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="year_end", description=DESCRIPTION)

    async def unique() -> None:
        from club.year_end.tables import YearEndAward

        await YearEndAward.raw(UNIQUE)
        await YearEndAward.raw(UNTOLD)

    async def drop() -> None:
        from club.year_end.tables import YearEndAward

        await YearEndAward.raw("DROP INDEX IF EXISTS year_end_award_untold")
        await YearEndAward.raw("DROP INDEX IF EXISTS year_end_award_member_year")

    manager.add_raw(unique)
    manager.add_raw_backwards(drop)
    return manager
