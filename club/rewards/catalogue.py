"""The rewards catalogue: coordinators create and change rewards; members read the ones open to
them, each with whether they may redeem it now and the points they lack.

A reward's changes are one UPDATE of its row: no lock is taken (nothing else is decided from the
row's old values), and a stock set here is the pieces left from now on, which redemptions then
take from one by one (club.rewards.stock).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from piccolo.query.functions.aggregate import Count

from club import clock
from club.db import write_transaction
from club.errors import InvalidInput, NotFound
from club.i18n.languages import Language
from club.ledger import balance_of
from club.rewards import urls
from club.rewards.rules import RewardFacts, listed_for, points_to_go, redeem_refusal, text_in
from club.rewards.schemas import MemberRewardOut, RewardIn, RewardOut, RewardUpdate
from club.rewards.tables import Redemption, RedemptionStatus, Reward, RewardImage, RewardKind
from club.rows import Row, row_as, rows_as
from club.schemas import to_dict
from club.suspension import is_suspended
from club.tables import Member, Tier

__all__ = [
    "RewardRow",
    "catalogue",
    "create_reward",
    "facts_of",
    "get_reward",
    "image_links",
    "image_url",
    "load_reward",
    "member_facts",
    "redeemed_counts",
    "reward_out",
    "rewards_for_member",
    "update_reward",
]


class RewardRow(Row, frozen=True):
    id: int
    kind: RewardKind
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    price: int
    stock: int | None
    min_tier: int | None
    min_tier_name: str | None
    min_tier_rank: int | None
    per_member_limit: int | None
    available_from: datetime | None
    available_until: datetime | None
    active: bool

    def title(self, language: Language) -> str:
        return text_in(language, self.title_zh, self.title_en)

    def description(self, language: Language) -> str:
        return text_in(language, self.description_zh, self.description_en)


_COLUMNS = (
    Reward.id, Reward.kind, Reward.title_zh, Reward.title_en, Reward.description_zh, Reward.description_en,
    Reward.price, Reward.stock, Reward.min_tier, Reward.min_tier.name.as_alias("min_tier_name"),
    Reward.min_tier.rank.as_alias("min_tier_rank"), Reward.per_member_limit, Reward.available_from,
    Reward.available_until, Reward.active,
)


async def load_reward(reward_id: int) -> RewardRow:
    found = await Reward.select(*_COLUMNS).where(Reward.id == reward_id).first()
    if found is None:
        raise NotFound("Reward {reward_id} does not exist.", text_values={"reward_id": reward_id})
    return row_as(RewardRow, found)


async def _status_counts(reward_ids: list[int]) -> dict[tuple[int, str], int]:
    if not reward_ids:
        return {}
    rows = await Redemption.select(Redemption.reward, Redemption.status, Count(Redemption.id, alias="n")).where(
        Redemption.reward.is_in(reward_ids)
    ).group_by(Redemption.reward, Redemption.status)
    return {(int(r["reward"]), str(r["status"])): int(r["n"]) for r in rows}


def image_url(reward_id: int, etag: str) -> str:
    """A reward image's link, its tag in it: a replaced image is a new address, so no phone shows the old one."""
    return f"{urls.link(urls.REWARD_IMAGE, reward_id=reward_id)}?v={etag.strip(chr(34))[:12]}"


class _TagRow(Row, frozen=True):
    reward: int
    etag: str


async def image_links(reward_ids: Iterable[int]) -> dict[int, str]:
    """{reward id: its image's link} for those of the rewards that have one (club.rewards.images)."""
    ids = list(reward_ids)
    if not ids:
        return {}
    rows = rows_as(_TagRow, await RewardImage.select(RewardImage.reward, RewardImage.etag).where(RewardImage.reward.is_in(ids)))
    return {r.reward: image_url(r.reward, r.etag) for r in rows}


def reward_out(row: RewardRow, counts: dict[tuple[int, str], int], image: str | None = None) -> RewardOut:
    return RewardOut(
        id=row.id, kind=row.kind, title_zh=row.title_zh, title_en=row.title_en, description_zh=row.description_zh,
        description_en=row.description_en, price=row.price, stock=row.stock, min_tier=row.min_tier_name,
        per_member_limit=row.per_member_limit, available_from=row.available_from, available_until=row.available_until,
        active=row.active, pending=counts.get((row.id, RedemptionStatus.pending.value), 0),
        handed_over=counts.get((row.id, RedemptionStatus.handed_over.value), 0),
        cancelled=counts.get((row.id, RedemptionStatus.cancelled.value), 0), image_url=image,
    )


async def catalogue() -> list[RewardOut]:
    """Every reward, the active ones first, then by price (coordinators)."""
    rows = rows_as(RewardRow, await Reward.select(*_COLUMNS).order_by(Reward.active, ascending=False).order_by(
        Reward.price).order_by(Reward.id))
    counts = await _status_counts([r.id for r in rows])
    images = await image_links(r.id for r in rows)
    return [reward_out(r, counts, images.get(r.id)) for r in rows]


async def get_reward(reward_id: int) -> RewardOut:
    row = await load_reward(reward_id)
    return reward_out(row, await _status_counts([reward_id]), (await image_links([reward_id])).get(reward_id))


async def _tier_id(name: str | None) -> int | None:
    if name is None:
        return None
    found = await Tier.select(Tier.id).where(Tier.name == name).first()
    if found is None:
        raise InvalidInput("There is no tier named {tier}.", text_values={"tier": name})
    return int(found["id"])


def _check(values: dict[str, Any]) -> None:
    if not (values.get("title_zh", "").strip() or values.get("title_en", "").strip()):
        raise InvalidInput("A reward needs a title, in Chinese or English.")
    start, end = values.get("available_from"), values.get("available_until")
    if start is not None and end is not None and end <= start:
        raise InvalidInput("A reward's window must end after it opens.")


def _cleaned(values: dict[str, Any]) -> dict[str, Any]:
    # Titles on one line, as the list shows them; descriptions keep their lines.
    for name in ("title_zh", "title_en"):
        if name in values:
            values[name] = " ".join(values[name].split())
    for name in ("description_zh", "description_en"):
        if name in values:
            values[name] = values[name].strip()
    return values


async def create_reward(data: RewardIn) -> RewardOut:
    values = _cleaned(to_dict(data))
    _check(values)
    tier_id = await _tier_id(values.pop("min_tier"))
    now = clock.now()
    async with write_transaction():
        row: dict[Any, Any] = {getattr(Reward, k): (v.value if isinstance(v, RewardKind) else v) for k, v in values.items()}
        row.update({Reward.min_tier: tier_id, Reward.created_at: now, Reward.updated_at: now})
        inserted = await Reward.insert(Reward(row)).returning(Reward.id)
    return await get_reward(int(inserted[0]["id"]))


async def update_reward(reward_id: int, data: RewardUpdate) -> tuple[RewardOut, RewardOut]:
    """Set the fields the PATCH names; (before, after)."""
    before = await get_reward(reward_id)
    changes = _cleaned(to_dict(data))
    merged = {
        "title_zh": before.title_zh, "title_en": before.title_en,
        "available_from": before.available_from, "available_until": before.available_until, **changes,
    }
    _check(merged)
    values: dict[Any, Any] = {}
    for name, value in changes.items():
        if name == "min_tier":
            values[Reward.min_tier] = await _tier_id(value)
        else:
            values[getattr(Reward, name)] = value.value if isinstance(value, RewardKind) else value
    if values:
        values[Reward.updated_at] = clock.now()
        async with write_transaction():
            await Reward.update(values).where(Reward.id == reward_id)
    return before, await get_reward(reward_id)


class _StandingRow(Row, frozen=True):
    tier_rank: int | None


async def member_facts(member_id: int) -> tuple[int, int | None, bool]:
    """(balance, tier rank, suspended) of a member, as a redemption decides on them."""
    found = await Member.select(Member.tier.rank.as_alias("tier_rank")).where(Member.id == member_id).first()
    if found is None:
        raise NotFound("Member {member_id} does not exist.", text_values={"member_id": member_id})
    return await balance_of(member_id), row_as(_StandingRow, found).tier_rank, await is_suspended(member_id)


async def redeemed_counts(member_id: int, reward_ids: list[int] | None = None) -> dict[int, int]:
    """{reward id: the member's redemptions of it not cancelled}."""
    query = Redemption.select(Redemption.reward, Count(Redemption.id, alias="n")).where(
        (Redemption.member == member_id) & (Redemption.status != RedemptionStatus.cancelled.value)
    ).group_by(Redemption.reward)
    if reward_ids is not None:
        query = query.where(Redemption.reward.is_in(reward_ids or [0]))
    return {int(r["reward"]): int(r["n"]) for r in await query}


def facts_of(row: RewardRow, balance: int, tier_rank: int | None, suspended: bool, redeemed: int) -> RewardFacts:
    return RewardFacts(
        price=row.price, balance=balance, now=clock.now(), active=row.active, available_from=row.available_from,
        available_until=row.available_until, min_tier_rank=row.min_tier_rank, member_tier_rank=tier_rank,
        per_member_limit=row.per_member_limit, redeemed=redeemed, stock=row.stock, suspended=suspended,
    )


async def rewards_for_member(member_id: int, language: Language) -> list[MemberRewardOut]:
    """The rewards open to the member (club.rewards.rules.listed_for), cheapest first, each with
    whether they may redeem it now, why not, and the points they lack."""
    balance, tier_rank, suspended = await member_facts(member_id)
    rows = rows_as(RewardRow, await Reward.select(*_COLUMNS).where(Reward.active == True).order_by(
        Reward.price).order_by(Reward.id))
    counts = await redeemed_counts(member_id)
    images = await image_links(r.id for r in rows)
    out = []
    for row in rows:
        facts = facts_of(row, balance, tier_rank, suspended, counts.get(row.id, 0))
        if not listed_for(facts):
            continue
        refusal = redeem_refusal(facts)
        out.append(MemberRewardOut(
            id=row.id, kind=row.kind, title=row.title(language), description=row.description(language),
            price=row.price, stock=row.stock, min_tier=row.min_tier_name, per_member_limit=row.per_member_limit,
            available_from=row.available_from, available_until=row.available_until, can_redeem=refusal is None,
            refusal=refusal, points_to_go=points_to_go(row.price, balance), image_url=images.get(row.id),
        ))
    return out


