"""A redemption after it is made: the member's and the coordinators' reads, and its two endings,
handed over or cancelled, each once.

Both endings take the member's lock first, as a redemption does (the order club.rewards.stock
documents: member, then the redemption and reward rows), and change the redemption only while it
is pending (`WHERE status = 'pending'`), so a double click, two coordinators or a hand-over racing
a cancellation end it once. A cancellation gives the points back by a ledger entry keyed by the
redemption (reason `returned`: lands once) and the piece back to the reward's stock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from club import clock
from club.accounts import Principal
from club.audit import ActionKind, record
from club.db import write_transaction
from club.errors import NotFound
from club.honours.next_tier import next_tier_of, next_tiers_of
from club.honours.rules import NextTier
from club.honours.schemas import next_tier_out
from club.i18n.catalogs import gettext
from club.i18n.languages import Language
from club.ledger import balance_of, balances_of
from club.locking import lock_objects
from club.points import award
from club.rewards.codes import slip_number
from club.rewards.errors import RedemptionClosed
from club.rewards.rules import text_in
from club.rewards.schemas import RedemptionOut
from club.rewards.stock import give_back_one
from club.rewards.tables import Redemption, RedemptionStatus, RewardKind
from club.rows import Row, rows_as
from club.tables import Member, PointsReason, Role

__all__ = [
    "RedemptionRow",
    "cancel",
    "find_redemptions",
    "get_redemption",
    "hand_over",
    "my_redemptions",
    "redemption_out",
    "redemption_source",
    "reward_redemptions",
]

R = Redemption


def redemption_source(redemption_id: int) -> str:
    """The ledger source of a redemption's entries (spent, then maybe returned)."""
    return f"redemption-{redemption_id}"


class RedemptionRow(Row, frozen=True):
    id: int
    reward: int
    member: int
    member_name: str
    kind: RewardKind
    title_zh: str
    title_en: str
    points: int
    status: RedemptionStatus
    voucher_code: str | None
    created_at: datetime
    handed_over_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str

    def slip(self) -> str | None:
        return None if self.kind is RewardKind.voucher else slip_number(self.id)


_COLUMNS = (
    R.id, R.reward, R.member, R.member.name.as_alias("member_name"), R.reward.kind.as_alias("kind"),
    R.reward.title_zh.as_alias("title_zh"), R.reward.title_en.as_alias("title_en"), R.points, R.status,
    R.voucher_code, R.created_at, R.handed_over_at, R.cancelled_at, R.cancel_reason,
)


def _out(row: RedemptionRow, language: Language, balance: int, next_tier: NextTier | None) -> RedemptionOut:
    return RedemptionOut(
        id=row.id, reward_id=row.reward, member_id=row.member, kind=row.kind,
        title=text_in(language, row.title_zh, row.title_en), points=row.points, status=row.status,
        voucher_code=row.voucher_code, slip_number=row.slip(), created_at=row.created_at,
        handed_over_at=row.handed_over_at, cancelled_at=row.cancelled_at, cancel_reason=row.cancel_reason,
        balance=balance, next_tier=next_tier_out(next_tier) if next_tier is not None else None,
    )


async def _rows(where: object, limit: int = 200) -> list[RedemptionRow]:
    return rows_as(RedemptionRow, await R.select(*_COLUMNS).where(where).order_by(R.id, ascending=False).limit(limit))  # type: ignore[arg-type]


async def _outs(rows: list[RedemptionRow], language: Language) -> list[RedemptionOut]:
    members = {r.member for r in rows}
    balances, tiers = await balances_of(members), await next_tiers_of(members)
    return [_out(r, language, balances.get(r.member, 0), tiers.get(r.member)) for r in rows]


async def _row(redemption_id: int) -> RedemptionRow:
    rows = await _rows(R.id == redemption_id, limit=1)
    if not rows:
        raise NotFound("Redemption {redemption_id} does not exist.", text_values={"redemption_id": redemption_id})
    return rows[0]


async def redemption_out(redemption_id: int, language: Language) -> RedemptionOut:
    row = await _row(redemption_id)
    return _out(row, language, await balance_of(row.member), await next_tier_of(row.member))


async def get_redemption(redemption_id: int, reader: Principal, language: Language) -> RedemptionOut:
    """A member's own redemption, or any for a coordinator; another member's is not found (404)."""
    row = await _row(redemption_id)
    if reader.role is not Role.coordinator and row.member != reader.member_id:
        raise NotFound("Redemption {redemption_id} does not exist.", text_values={"redemption_id": redemption_id})
    return _out(row, language, await balance_of(row.member), await next_tier_of(row.member))


async def my_redemptions(member_id: int, language: Language) -> list[RedemptionOut]:
    """The member's redemptions, the latest first."""
    return await _outs(await _rows(R.member == member_id), language)


async def reward_redemptions(reward_id: int, language: Language) -> list[RedemptionOut]:
    return await _outs(await _rows(R.reward == reward_id), language)


async def find_redemptions(
    language: Language, *, status: RedemptionStatus | None = None, number: str = "", reward_id: int | None = None,
    limit: int = 100,
) -> list[RedemptionRow]:
    """The console's list: by status, by reward, or the one a member shows (slip number or voucher code)."""
    where: Any = R.id > 0
    if reward_id is not None:
        where = where & (R.reward == reward_id)
    if status is not None:
        where = where & (R.status == status.value)
    wanted = number.strip().upper().removeprefix("NO.").strip()
    if wanted:
        if wanted.isdigit() and len(wanted) <= 9:
            where = where & ((R.id == int(wanted)) | (R.voucher_code == wanted))
        else:
            where = where & (R.voucher_code == wanted)
    return await _rows(where, limit)


async def _pending_member(redemption_id: int) -> RedemptionRow:
    row = await _row(redemption_id)
    await lock_objects((Member, row.member))
    return row


def _closed(row: RedemptionRow, now_status: str) -> RedemptionClosed:
    if now_status == RedemptionStatus.handed_over.value:
        return RedemptionClosed("This redemption was already handed over.", redemption_status=now_status)
    return RedemptionClosed("This redemption was already cancelled.", redemption_status=now_status)


async def _current_status(redemption_id: int) -> str:
    found = await R.select(R.status).where(R.id == redemption_id).first()
    return str(found["status"]) if found else ""


async def hand_over(redemption_id: int, by: Principal, language: Language) -> RedemptionOut:
    """A coordinator hands the gift over (or the voucher is used): once."""
    async with write_transaction():
        row = await _pending_member(redemption_id)
        changed = await R.update({
            R.status: RedemptionStatus.handed_over.value, R.handed_over_at: clock.now(), R.handed_over_by: by.user_id,
        }).where((R.id == redemption_id) & (R.status == RedemptionStatus.pending.value)).returning(R.id)
        if not changed:
            raise _closed(row, await _current_status(redemption_id))
        await record(by, ActionKind.redemption_handed_over, member_id=row.member, detail=gettext(
            language, "{reward}: No. {number} handed over to {member}",
            reward=text_in(language, row.title_zh, row.title_en), number=slip_number(row.id), member=row.member_name,
        ))
    return await redemption_out(redemption_id, language)


async def cancel(redemption_id: int, by: Principal, reason: str, language: Language) -> RedemptionOut:
    """A coordinator cancels a pending redemption: the points and the piece come back, once."""
    reason = " ".join(reason.split())
    async with write_transaction():
        row = await _pending_member(redemption_id)
        changed = await R.update({
            R.status: RedemptionStatus.cancelled.value, R.cancelled_at: clock.now(), R.cancelled_by: by.user_id,
            R.cancel_reason: reason,
        }).where((R.id == redemption_id) & (R.status == RedemptionStatus.pending.value)).returning(R.id)
        if not changed:
            raise _closed(row, await _current_status(redemption_id))
        await award(row.member, row.points, PointsReason.returned, redemption_source(row.id),
                    note=reason, created_by=by.user_id)
        await give_back_one(row.reward)
        said = gettext(
            language, "{reward}: No. {number} cancelled, {points} points returned to {member}",
            reward=text_in(language, row.title_zh, row.title_en), number=slip_number(row.id),
            points=f"{row.points:,}", member=row.member_name,
        )
        if reason:
            said = gettext(language, "{change} ({reason})", change=said, reason=reason)
        await record(by, ActionKind.redemption_cancelled, member_id=row.member, detail=said)
    return await redemption_out(redemption_id, language)
