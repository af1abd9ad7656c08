"""Seed the default tier ladder (Silver < Gold < Platinum < Diamond) into an empty club.

Clubs rename and re-price their ladder afterwards through the API; this only gives a new
club a ladder to start from.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-23T11:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "default tier ladder"

# A copy of club/ladder.py's DEFAULT_LADDER as it stood when this migration was written, never an
# import: a migration replays the same way forever (tests/club/test_tier_rules.py keeps them equal).
DEFAULT_LADDER = [
    # name, rank, points threshold, member cap
    ("Silver", 1, 0, None),
    ("Gold", 2, 1_000, None),
    ("Platinum", 3, 5_000, None),
    ("Diamond", 4, 15_000, 25),
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="club", description=DESCRIPTION)

    async def seed() -> None:
        from club.tables import Tier

        if await Tier.count() == 0:
            # The columns tier had at this migration: the table class has grown since (spend_threshold).
            for name, rank, threshold, cap in DEFAULT_LADDER:
                await Tier.raw(
                    "INSERT INTO tier (name, rank, points_threshold, member_cap) VALUES ({}, {}, {}, {})",
                    name, rank, threshold, cap,
                )

    async def unseed() -> None:
        from club.tables import Tier

        await Tier.delete().where(Tier.name.is_in([row[0] for row in DEFAULT_LADDER]))

    manager.add_raw(seed)
    manager.add_raw_backwards(unseed)
    return manager
