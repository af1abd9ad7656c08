"""The tier ladder: everyone reads it, coordinators edit it. `/api/tiers`."""

from __future__ import annotations

from litestar import Controller, get, patch, post

from club import urls
from club.auth import any_user, coordinator_only
from club.schemas import TierCreate, TierOut, TierUpdate
from club.tier_rules import Rung
from club.tiers import add_tier, holder_counts, load_ladder, update_tier


def _tier_out(rung: Rung, holders: dict[int, int]) -> TierOut:
    return TierOut(
        id=rung.id,
        name=rung.name,
        rank=rung.rank,
        points_threshold=rung.points_threshold,
        member_cap=rung.member_cap,
        holders=holders.get(rung.id, 0),
        spend_threshold=rung.spend_threshold,
        spend_currency=rung.spend_currency or None,
    )


class TierController(Controller):
    tags = ["tiers"]

    @get(urls.TIERS, guards=[any_user], operation_id="listTiers", summary="The ladder, lowest first")
    async def list_all(self) -> list[TierOut]:
        holders = await holder_counts()
        return [_tier_out(r, holders) for r in await load_ladder()]

    @post(urls.TIERS, guards=[coordinator_only], operation_id="addTier", summary="Add a rung to the ladder")
    async def add(self, data: TierCreate) -> TierOut:
        rung = await add_tier(data.name, data.rank, data.points_threshold, data.member_cap,
                              data.spend_threshold, data.spend_currency or "")
        return _tier_out(rung, await holder_counts())

    @patch(urls.TIER, guards=[coordinator_only], operation_id="updateTier", summary="Rename a tier, move its threshold, cap or yearly spend")
    async def update(self, tier_id: int, data: TierUpdate) -> TierOut:
        rung = await update_tier(tier_id, data)
        return _tier_out(rung, await holder_counts())
