"""Demo data: a club with the default ladder and about fifty members, to see the service work."""

from __future__ import annotations

import random
from datetime import date, timedelta

from club import clock
from club.accounts import Principal, create_user, issue_token
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


async def _demo_events() -> None:
    """A salon whose doors are open (a dozen guests confirmed, to try the door page)."""
    from events.catalog import create_event, publish_event
    from events.rsvp import rsvp
    from events.schemas import EventCreate
    from events.tables import EventKind, WaitlistPolicy

    soon = clock.now().replace(second=0, microsecond=0) + timedelta(minutes=45)
    salon = await create_event(
        EventCreate(
            kind=EventKind.salon, title=DEMO_SALON, venue="Maison, 12 rue Cambon", venue_time_zone="Europe/Paris",
            starts_at=soon, ends_at=soon + timedelta(hours=2), capacity=12, max_guests=1,
            waitlist_policy=WaitlistPolicy.tier_priority, attendance_points=100,
        ),
        created_by=None,
    )
    await publish_event(salon.id)
    members = await User.select(User.id, User.member).where(User.member.is_not_null()).order_by(User.id).limit(15)
    for m in members:
        viewer = Principal(user_id=m["id"], role=Role.member, name="demo", member_id=m["member"])
        await rsvp(salon.id, m["member"], 0, viewer)


DEMO_SALON = "Perfume salon with the house nose"


async def _demo_domains() -> None:
    """A fashion-week show (invitations offered and queued), a check-up program with clinics in
    Shanghai and Paris, and the Yellow River road trip: each domain seeds its own, for the
    club's highest-tier members first."""
    from events.shows.demo import seed_demo as seed_shows
    from health_programs.demo import seed_demo as seed_health
    from travel.demo import seed_demo as seed_travel

    coordinator = await User.select(User.id).where(User.email == "coordinator@demo.club").first()
    assert coordinator is not None
    rows = await Member.select(Member.id).order_by(Member.tier.rank, ascending=False).order_by(Member.id)
    by_tier = [r["id"] for r in rows]
    await seed_shows(coordinator["id"], by_tier[:12])
    await seed_health(coordinator["id"], by_tier[:20])
    await seed_travel(coordinator["id"], by_tier[:10])


async def demo_salon_id() -> int | None:
    from events.tables import Event

    row = await Event.select(Event.id).where(Event.title == DEMO_SALON).first()
    return None if row is None else row["id"]


async def load_demo(settings: Settings) -> dict[str, str]:
    """Create the demo club once; on every call issue fresh tokens for the three demo users."""
    rng = random.Random(2026)
    if not await Member.exists().where(Member.email.like("%@demo.club")):
        for i in range(MEMBER_COUNT):
            member = await create_member(
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                email=f"member{i:02d}@demo.club",
                # French mobiles; 06 39 and 06 9x are not allotted, and numbers are checked now.
                phone=f"+33 6 {rng.randint(10, 99) % 29 + 10} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
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
        await _demo_events()
        await _demo_domains()
    tokens = {}
    for role, email in (
        ("member", "member00@demo.club"),
        ("staff", "door@demo.club"),
        ("coordinator", "coordinator@demo.club"),
    ):
        user = await User.select(User.id).where(User.email == email).first()
        tokens[role] = (await issue_token(user["id"], label="demo")).token  # type: ignore[index]
    return tokens
