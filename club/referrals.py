"""Referrals: a member enrolled with `referred_by` earns their referrer points once, when they
first attend (or on enrolment, as the club's setting says), and the referrer is told.

A referral is a row unique on the referred member, written in the transaction of the moment
that earns it: the first admission at a door, or the enrolment. A second attendance, a second
gate or a retried scan finds the row and earns nothing more. The points go through the ledger
under ("referral", "member-<referred id>"), so they too land once. While the referrer is
suspended they are withheld, not lost: reactivating the referrer awards them. Telling the
referrer is `events.referral_notices`' job, for each awarded referral not yet told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from club import clock
from club.i18n.catalogs import N_, gettext
from club.i18n.formats import number_text
from club.i18n.languages import Language
from club.points import award
from club.rows import Row, rows_as
from club.suspension import MemberSuspended
from club.tables import Member, PointsReason, Referral

if TYPE_CHECKING:
    from piccolo.query import Select

    from club.settings import Settings

__all__ = [
    "AT_ENROLMENT",
    "AT_FIRST_ATTENDANCE",
    "ReferralPolicy",
    "UntoldReferral",
    "award_withheld",
    "earn_referral",
    "mark_told",
    "referral_notice_text",
    "referral_source",
    "untold_referrals",
    "untold_referrals_query",
]

AT_FIRST_ATTENDANCE = "first_attendance"
AT_ENROLMENT = "enrolment"


@dataclass(frozen=True, slots=True)
class ReferralPolicy:
    """The club's setting: the moment that earns a referral, and its points."""

    earned_at: str = AT_FIRST_ATTENDANCE
    points: int = 500

    @classmethod
    def of(cls, settings: Settings) -> ReferralPolicy:
        return cls(settings.referral_award_on, settings.referral_points)


def referral_source(member_id: int) -> str:
    """The ledger source of the referral points a member's joining earned."""
    return f"member-{member_id}"


async def earn_referral(member_id: int, moment: str, policy: ReferralPolicy) -> bool:
    """Earn the referral of `member_id` if `moment` is the one the club pays for.

    Call inside the write transaction of that moment. Returns whether a referral was newly
    earned (whether or not its points were withheld).
    """
    if moment != policy.earned_at or policy.points <= 0:
        return False
    row = await Member.select(Member.referred_by).where(Member.id == member_id).first()
    if row is None or row["referred_by"] is None:
        return False
    now = clock.now()
    inserted = await Referral.insert(
        Referral(
            member=member_id, referrer=row["referred_by"], points=policy.points, earned_by=moment, earned_at=now,
        )
    ).on_conflict(target=Referral.member, action="DO NOTHING").returning(Referral.id)
    if not inserted:
        return False  # earned before: a later attendance, another gate, a retry
    await _award(inserted[0]["id"], row["referred_by"], member_id, policy.points, now)
    return True


async def _award(referral_id: int, referrer_id: int, member_id: int, points: int, now: datetime) -> bool:
    """The referral's points, unless the referrer is suspended (then it waits, unawarded)."""
    try:
        # `award` decides on the referrer's status under the referrer's row lock, and refuses
        # before it writes anything, so the transaction of the moment goes on either way.
        await award(referrer_id, points, PointsReason.referral, referral_source(member_id),
                    note=f"referred member {member_id}")
    except MemberSuspended:
        return False
    await Referral.update({Referral.awarded_at: now}).where(Referral.id == referral_id)
    return True


async def award_withheld(referrer_id: int) -> int:
    """Award the referrals a referrer earned while suspended; call inside the reactivation's
    transaction, after the status is active again. Returns how many were awarded."""
    rows = rows_as(_WithheldRow, await Referral.select(Referral.id, Referral.member, Referral.points).where(
        (Referral.referrer == referrer_id) & Referral.awarded_at.is_null()
    ).order_by(Referral.id))
    now = clock.now()
    return sum([await _award(r.id, referrer_id, r.member, r.points, now) for r in rows])


class _WithheldRow(Row, frozen=True):
    id: int
    member: int
    points: int


class UntoldReferral(Row, frozen=True):
    """An awarded referral its referrer has not been told of, with what the message says."""

    id: int
    referrer: int
    points: int
    earned_by: str
    awarded_at: datetime
    referrer_name: str
    referrer_email: str | None
    referrer_language: str
    member_name: str


async def untold_referrals(limit: int = 200) -> list[UntoldReferral]:
    """Awarded referrals whose referrer has not been told yet, oldest first."""
    return rows_as(UntoldReferral, await untold_referrals_query(limit))


def untold_referrals_query(limit: int = 200) -> Select:
    return Referral.select(
        Referral.id, Referral.referrer, Referral.points, Referral.earned_by, Referral.awarded_at,
        Referral.referrer.name.as_alias("referrer_name"), Referral.referrer.email.as_alias("referrer_email"),
        Referral.referrer.language.as_alias("referrer_language"),
        Referral.member.name.as_alias("member_name"),
    ).where(Referral.awarded_at.is_not_null() & Referral.told_at.is_null()).order_by(Referral.id).limit(limit)


async def mark_told(referral_id: int, now: datetime) -> None:
    await Referral.update({Referral.told_at: now}).where(Referral.id == referral_id)


REFERRAL_SUBJECT = N_("Your referral earned you {points} points")
REFERRAL_BODIES = {
    AT_ENROLMENT: N_(
        "Dear {referrer_name}, {member_name}, whom you introduced to the club, has joined the club. "
        "Thank you: {points} points have been added to your balance."
    ),
    AT_FIRST_ATTENDANCE: N_(
        "Dear {referrer_name}, {member_name}, whom you introduced to the club, came to their first club event. "
        "Thank you: {points} points have been added to your balance."
    ),
}


def referral_notice_text(
    language: Language, referrer_name: str, member_name: str, points: int, earned_by: str
) -> tuple[str, str]:
    """Subject and body of the message that tells a referrer, in their `language`, what their referral earned."""
    values = {"referrer_name": referrer_name, "member_name": member_name, "points": number_text(points, language)}
    body = REFERRAL_BODIES.get(earned_by, REFERRAL_BODIES[AT_ENROLMENT])
    return gettext(language, REFERRAL_SUBJECT, **values), gettext(language, body, **values)
