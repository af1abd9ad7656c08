"""The console's member lists at club scale: the search's indexes and the queue for a capped tier.

Raw `CREATE INDEX IF NOT EXISTS`, as Piccolo's columns declare single-column btree indexes only:
- `member (name, id)` on both backends: the search's order and its keyset (club.member_search
  pages with `(name, id) > (…)`, never OFFSET);
- `member (queued_tier, queued_at, id)`, partial, on both: who waits for a capped tier, oldest
  first (the tiers page; club.tiers hands a freed place out in that order);
- on PostgreSQL only, trigram indexes (pg_trgm's gin_trgm_ops) on name, e-mail and phone, so the
  box's `ILIKE '%part%'` finds a part of a name among 100,000 members without reading them all.
  Without GIN's pending list (fastupdate = off): members are enrolled a few a day and searched all
  day, and a pending list is read through by every search until a vacuum merges it (and hides the
  index's size from the planner meanwhile, which then reads the table instead).
  pg_trgm ships with PostgreSQL (Debian's postgresql package, postgresql-contrib elsewhere) and is
  a trusted extension, which the database's owner may create; a server without it gets a warning
  and no trigram index (the search still answers, by reading the table), never a failed start.
"""

import logging

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-06T13:47:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes: member search (name order, trigrams on PostgreSQL), the queue for capped tiers"

log = logging.getLogger("club.migrations")

BOTH = (
    "CREATE INDEX IF NOT EXISTS member_name_id ON member (name, id)",
    "CREATE INDEX IF NOT EXISTS member_queued ON member (queued_tier, queued_at, id) WHERE queued_tier IS NOT NULL",
)
TRIGRAMS = (
    "CREATE INDEX IF NOT EXISTS member_name_trgm ON member USING gin (name gin_trgm_ops) WITH (fastupdate = off)",
    "CREATE INDEX IF NOT EXISTS member_email_trgm ON member USING gin (email gin_trgm_ops) WITH (fastupdate = off)",
    "CREATE INDEX IF NOT EXISTS member_phone_trgm ON member USING gin (phone gin_trgm_ops) WITH (fastupdate = off)",
)
NAMES = ("member_name_id", "member_queued", "member_name_trgm", "member_email_trgm", "member_phone_trgm")


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="club", description=DESCRIPTION)

    async def create_indexes() -> None:
        from club.tables import Member

        for statement in BOTH:
            await Member.raw(statement)
        if Member._meta.db.engine_type != "postgres":
            return
        available = await Member.raw("SELECT 1 AS found FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if not available:
            log.warning("pg_trgm is not installed on this PostgreSQL server: the member search reads the whole table "
                        "(install postgresql-contrib and run this migration's TRIGRAMS by hand: %s)", __name__)
            return
        await Member.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for statement in TRIGRAMS:
            await Member.raw(statement)

    async def drop_indexes() -> None:
        from club.tables import Member

        # The extension stays: dropping it could take other objects with it.
        for name in NAMES:
            await Member.raw(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
