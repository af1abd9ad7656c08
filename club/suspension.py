"""What a suspended membership is refused: entry at the door, points, its tickets and its
calendar feed, each with the same problem type and a reason a person can read.

The door's refusal is a scan answer (`checkin.rules`); everything else raises `MemberSuspended`.
Reactivating the member lifts every refusal at once: nothing here is stored but the status.
"""

from __future__ import annotations

from club.errors import DomainError
from club.tables import Member, MemberStatus, PointsReason

__all__ = ["MemberSuspended", "earns_while_suspended", "is_suspended", "refuse_if_suspended"]


class MemberSuspended(DomainError):
    status_code = 403
    slug = "member-suspended"
    title = "Membership suspended"


def earns_while_suspended(reason: PointsReason, delta: int) -> bool:
    """Whether a ledger entry lands for a suspended member.

    A suspended member earns nothing: no attendance, referral, birthday or visit points. Two
    kinds of entry still land, because they correct rather than reward: a coordinator's
    adjustment (always with a written reason; the coordinators' own call), any entry that
    takes points away (an admission reverted, points expiring, a reward redeemed), and points
    given back for a cancelled redemption (the member's own points, not a reward).
    """
    return reason in (PointsReason.adjustment, PointsReason.returned) or delta <= 0


async def is_suspended(member_id: int) -> bool:
    # Plain SQL: every award asks (the door's admissions among them), and Piccolo's exists()
    # built a subquery naming every column of the member, which cost more than running it.
    rows = await Member.raw("SELECT 1 AS suspended FROM member WHERE id = {} AND status = {}", member_id, MemberStatus.suspended.value)
    return bool(rows)


async def refuse_if_suspended(member_id: int, detail: str) -> None:
    """Raise `MemberSuspended` with `detail` when the member is suspended."""
    if await is_suspended(member_id):
        raise MemberSuspended(detail)
