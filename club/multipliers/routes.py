"""HTTP controllers of multipliers: coordinators keep the tiers' factors and the club's bonus days;
a member reads and chooses their own bonus day. Door staff have no business here (403)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, post, put

from club.auth import coordinator_only, member_only, principal_of
from club.multipliers import urls
from club.multipliers.managing import cancel_bonus_day, multipliers, remove_tier_multiplier, schedule_bonus_day, set_tier_multiplier
from club.multipliers.own_day import OwnDayPolicy, choose_own_day, own_day
from club.multipliers.schemas import BonusDayIn, BonusDayOut, MultipliersOut, OwnDayIn, OwnDayOut, TierMultiplierIn, TierMultiplierOut
from club.settings import Settings

__all__ = ["ROUTES", "MultipliersController", "MyBonusDayController"]


class MultipliersController(Controller):
    tags = ["multipliers"]
    guards = [coordinator_only]

    @get(urls.MULTIPLIERS, operation_id="listMultipliers", summary="The tiers' factors on kinds of earning and the club's bonus days")
    async def list_all(self) -> MultipliersOut:
        return await multipliers()

    @post(urls.TIER_MULTIPLIERS, operation_id="setTierMultiplier",
          summary="Set a tier's factor on one kind of earning (SVIP x2 on attendance); setting it again changes it")
    async def set_tier(self, request: Request[Any, Any, Any], data: TierMultiplierIn) -> TierMultiplierOut:
        return await set_tier_multiplier(data, principal_of(request).user_id)

    @delete(urls.TIER_MULTIPLIER, operation_id="removeTierMultiplier", summary="Remove a tier's factor")
    async def remove_tier(self, multiplier_id: int) -> None:
        await remove_tier_multiplier(multiplier_id)

    @post(urls.BONUS_DAYS, operation_id="scheduleBonusDay",
          summary="Schedule a bonus day (a member day) on a date of the club's calendar, with its factor and kinds")
    async def schedule(self, request: Request[Any, Any, Any], settings: Settings, data: BonusDayIn) -> BonusDayOut:
        return await schedule_bonus_day(data, settings.zone, principal_of(request).user_id)

    @delete(urls.BONUS_DAY, operation_id="cancelBonusDay", summary="Cancel a bonus day that has not begun")
    async def cancel(self, day_id: int) -> None:
        await cancel_bonus_day(day_id)


class MyBonusDayController(Controller):
    tags = ["multipliers"]
    guards = [member_only]

    @get(urls.MY_BONUS_DAY, operation_id="getMyBonusDay", summary="My own bonus day of this year, and whether I may still move it")
    async def mine(self, request: Request[Any, Any, Any], settings: Settings) -> OwnDayOut:
        return await own_day(principal_of(request).member_id, OwnDayPolicy.of(settings))  # type: ignore[arg-type]

    @put(urls.MY_BONUS_DAY, operation_id="chooseMyBonusDay",
         summary="Choose (or move) my own bonus day of a year: today or later, until it has passed or was used")
    async def choose(self, request: Request[Any, Any, Any], settings: Settings, data: OwnDayIn) -> OwnDayOut:
        return await choose_own_day(principal_of(request).member_id, data.date, OwnDayPolicy.of(settings))  # type: ignore[arg-type]


ROUTES: list[Any] = [MultipliersController, MyBonusDayController]
