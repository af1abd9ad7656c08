"""Demo data: a club with the default ladder and about fifty members, to see the service work."""

from __future__ import annotations

import random
from datetime import date, timedelta

from club.accounts import create_user, issue_token
from club.members import create_member
from club.points import award
from club.settings import Settings
from club.tables import Member, PointsReason, Role, User

__all__ = ["load_demo"]

FIRST = ["Amélie", "Wei", "Sofia", "Hiroshi", "Chloé", "Li", "Marco", "Isabelle", "Yuki", "Jun",
         "Camille", "Ming", "Giulia", "Louis", "Xin", "Elena", "Hugo", "Mei", "Lucas", "Anaïs"]
LAST = ["Laurent", "Zhang", "Rossi", "Tanaka", "Moreau", "Chen", "Bianchi", "Dubois", "Wang",
        "Sato", "Lefèvre", "Liu", "Ricci", "Girard", "Huang"]
ZONES = ["Europe/Paris", "Asia/Shanghai", "Europe/Rome", "Asia/Tokyo", "Asia/Hong_Kong"]
MEMBER_COUNT = 50


async def load_demo(settings: Settings) -> dict[str, str]:
    """Create the demo club once; on every call issue fresh tokens for the three demo users."""
    rng = random.Random(2026)
    if not await Member.exists().where(Member.email.like("%@demo.club")):
        for i in range(MEMBER_COUNT):
            member = await create_member(
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                email=f"member{i:02d}@demo.club",
                phone=f"+33 6 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                birthday=date(1960, 1, 1) + timedelta(days=rng.randint(0, 40 * 365)),
                language=rng.choice(["en", "fr", "zh", "it", "ja"]),
                time_zone=rng.choice(ZONES),
                joined_on=date(2020, 1, 1) + timedelta(days=rng.randint(0, 5 * 365)),
                referred_by=None,
            )
            # A few big spenders, many regulars, some newcomers.
            points = int(rng.paretovariate(1.2) * 400) - 400
            if points > 0:
                await award(member.id, min(points, 40_000), PointsReason.visit, f"demo-{i}",
                            note="demo history")
        await create_user(Role.staff, "Door Staff", "door@demo.club")
        await create_user(Role.coordinator, "Club Coordinator", "coordinator@demo.club")
    tokens = {}
    for role, email in (
        ("member", "member00@demo.club"),
        ("staff", "door@demo.club"),
        ("coordinator", "coordinator@demo.club"),
    ):
        user = await User.select(User.id).where(User.email == email).first()
        tokens[role] = (await issue_token(user["id"], label="demo")).token  # type: ignore[index]
    return tokens
