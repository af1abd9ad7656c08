"""The member's points page: their standing, their ledger with each entry's reason in words and
on their own clock, and what the club awards points for.

"What earns points" says only what the club's code awards: attendance at a door scan (each event
sets its own points; a trip pays once), a referral (settings.referral_points, at the moment
settings.referral_award_on names), birthday points (club.jobs.BIRTHDAY_POINTS, for a member
whose birthday the club has on record), and a coordinator's written adjustment. Visit and expiry
entries are named in the ledger when they are there, but no job of the club makes them, so the
page does not promise them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from litestar import Request, get
from litestar.params import Parameter
from litestar.response import Template

from club.auth import member_only, principal_of
from club.i18n.catalogs import N_
from club.jobs import BIRTHDAY_POINTS
from club.ledger import PointsEntryRow, entries_of
from club.referrals import AT_ENROLMENT, ReferralPolicy
from club.settings import Settings
from club.tables import Member, PointsReason
from club.web import templates
from club.web.home import HomeSectionSource
from club.web.standing import standing_of

__all__ = ["POINTS_PAGE", "PointsLine", "points_page", "register_points_section"]

POINTS_PAGE = "/points"
PER_PAGE = 20

# Each reason as a member would name it (DESIGN.md's glossary: 到店积分, 推荐积分, 生日积分…).
REASON_LABELS: dict[PointsReason, str] = {
    PointsReason.attendance: N_("Event attendance points"),
    PointsReason.referral: N_("Referral points"),
    PointsReason.birthday: N_("Birthday points"),
    PointsReason.visit: N_("Boutique visit points"),
    PointsReason.adjustment: N_("Adjustment by the club"),
    PointsReason.expiry: N_("Points expired"),
    PointsReason.redemption: N_("Reward redeemed"),
    PointsReason.returned: N_("Points returned for a cancelled reward"),
    PointsReason.spend: N_("Purchase at the boutique"),
    PointsReason.refund: N_("Purchase refunded"),
}

# What domains add to the page (club.spend: the member's spend and what it earns), as the home
# page's sections are added: a function of the request and member, filled by the app's wiring.
_SECTIONS: list[HomeSectionSource] = []


def register_points_section(source: HomeSectionSource) -> None:
    if source not in _SECTIONS:
        _SECTIONS.append(source)


@dataclass(frozen=True, slots=True)
class PointsLine:
    """One ledger entry as the page shows it."""

    id: int
    delta: int
    reason: str  # a catalog text (REASON_LABELS)
    created_at: datetime
    # The coordinator's written reason of an adjustment, as they wrote it; None for the others,
    # whose notes are the system's own English ("attended event 12").
    note: str | None
    # For a referral: the member whose joining earned it (the ledger's source names them).
    referred: str | None = None


def _referred_id(entry: PointsEntryRow) -> int | None:
    # club.referrals.referral_source: "member-<referred id>".
    prefix, _, number = entry.source.partition("-")
    return int(number) if entry.reason is PointsReason.referral and prefix == "member" and number.isdigit() else None


async def _lines(entries: list[PointsEntryRow]) -> list[PointsLine]:
    referred_ids = {i for i in (_referred_id(e) for e in entries) if i is not None}
    names = {
        r["id"]: str(r["name"]) for r in await Member.select(Member.id, Member.name).where(Member.id.is_in(list(referred_ids)))
    } if referred_ids else {}
    return [
        PointsLine(
            id=e.id, delta=e.delta, reason=REASON_LABELS[e.reason], created_at=e.created_at,
            note=(e.note or None) if e.reason is PointsReason.adjustment else None,
            referred=names.get(_referred_id(e) or 0),
        )
        for e in entries
    ]


@dataclass(frozen=True, slots=True)
class Earning:
    """One way to earn points: a heading and what it takes (catalog texts; `points` fills the detail)."""

    title: str
    detail: str
    points: int = 0


async def _earnings(member_id: int, settings: Settings) -> list[Earning]:
    ways = [Earning(
        N_("Coming to a club event"),
        N_("Points are added when your ticket is scanned at the door. Each event sets its own; a trip earns them once."),
    )]
    referral = ReferralPolicy.of(settings)
    if referral.points > 0:
        ways.append(Earning(
            N_("Introducing a new member"),
            N_("{points} referral points when the member you introduced joins the club.") if referral.earned_at == AT_ENROLMENT
            else N_("{points} referral points when the member you introduced comes to their first club event."),
            referral.points,
        ))
    row = await Member.select(Member.birthday).where(Member.id == member_id).first()
    on_record = row is not None and row["birthday"] is not None
    ways.append(Earning(
        N_("Your birthday"),
        N_("{points} birthday points on the day, in your time zone.") if on_record
        else N_("{points} birthday points on the day, once the club has your birthday on record: your member adviser can add it."),
        BIRTHDAY_POINTS,
    ))
    ways.append(Earning(
        N_("Adjustments"),
        N_("Your member adviser may correct your balance, always with a written reason, which you see here."),
    ))
    return ways


@get(POINTS_PAGE, guards=[member_only], name="points")
async def points_page(
    request: Request[Any, Any, Any], settings: Settings,
    page: Annotated[int, Parameter(ge=1, le=100_000)] = 1,
) -> Template:
    me = principal_of(request)
    assert me.member_id is not None  # member_only
    standing = await standing_of(me.member_id)
    # One more than a page, to know whether an older page exists.
    entries = await entries_of(me.member_id, limit=PER_PAGE + 1, offset=(page - 1) * PER_PAGE)
    sections = [s for s in [await source(request, me) for source in _SECTIONS] if s is not None]
    return templates.page(
        request, "club/points.html", standing=standing, lines=await _lines(entries[:PER_PAGE]),
        page_number=page, older=len(entries) > PER_PAGE, earnings=await _earnings(me.member_id, settings),
        zone=standing.time_zone, reader_zone=standing.time_zone, sections=sorted(sections, key=lambda s: s.order),
    )
