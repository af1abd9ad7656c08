"""HTTP controllers of the rewards catalogue: thin, they authorize, call one service and answer.

Members list the rewards open to them, redeem (a retried request with the same Idempotency-Key
lands once: 201 the first time, 200 with the same redemption after) and read their own
redemptions (another member's is a 404). Coordinators manage the catalogue and end redemptions,
handed over or cancelled. Door staff have no business here (403 everywhere).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.params import HeaderParameter

from club.auth import coordinator_only, member_only, principal_of, requires
from club.errors import NotFound
from club.i18n.http import request_language
from club.rewards import urls
from club.rewards.catalogue import catalogue, create_reward, get_reward, rewards_for_member, update_reward
from club.rewards.images import ACCEPTED_TYPES, MAX_IMAGE_BYTES, NotAnImage, remove_image, store_image
from club.rewards.redeeming import check_request_key, redeem
from club.rewards.redemptions import cancel, get_redemption, hand_over, my_redemptions, reward_redemptions
from club.rewards.schemas import CancelIn, MemberRewardOut, RedemptionOut, RewardIn, RewardOut, RewardUpdate
from club.tables import Role

__all__ = ["ROUTES", "CatalogueController", "RedemptionController"]

member_or_coordinator = requires(Role.member, Role.coordinator)

IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(name="Idempotency-Key", required=False,
                    description="The client's key for this redemption: the same key again answers with the first redemption."),
]


class CatalogueController(Controller):
    tags = ["rewards"]
    guards = [coordinator_only]

    @get(urls.REWARDS, operation_id="listRewards", summary="The whole catalogue, active rewards first, with redemptions by status")
    async def list_all(self) -> list[RewardOut]:
        return await catalogue()

    @post(urls.REWARDS, operation_id="createReward", summary="Add a reward: kind, titles, price, stock, tier, limit, window")
    async def create(self, data: RewardIn) -> RewardOut:
        return await create_reward(data)

    @get(urls.REWARD, operation_id="getReward", summary="One reward of the catalogue")
    async def get_one(self, reward_id: int) -> RewardOut:
        return await get_reward(reward_id)

    @patch(urls.REWARD, operation_id="updateReward", summary="Change a reward (stock: the pieces left from now on; active false withdraws it)")
    async def update(self, reward_id: int, data: RewardUpdate) -> RewardOut:
        _, after = await update_reward(reward_id, data)
        return after

    @put(urls.REWARD_IMAGE_API, operation_id="putRewardImage", request_max_body_size=MAX_IMAGE_BYTES + 64 * 1024,
         summary="Upload the reward's image, in place of the one it had: the body is the file (PNG, JPEG or WebP, at most 2 MB)")
    async def put_image(self, request: Request[Any, Any, Any], reward_id: int) -> RewardOut:
        """The body is the image's bytes, with Content-Type image/png, image/jpeg or image/webp;
        what is stored is the type the bytes' magic numbers say."""
        claimed = request.headers.get("content-type", "").partition(";")[0].strip().lower()
        if claimed not in ACCEPTED_TYPES:
            raise NotAnImage("Please send the image's bytes with Content-Type image/png, image/jpeg or image/webp.")
        await store_image(reward_id, await request.body())
        return await get_reward(reward_id)

    @delete(urls.REWARD_IMAGE_API, operation_id="deleteRewardImage", summary="Remove the reward's image (204; 404 when it has none)")
    async def delete_image(self, reward_id: int) -> None:
        if not await remove_image(reward_id):
            raise NotFound("Reward {reward_id} has no image.", text_values={"reward_id": reward_id})


class RedemptionController(Controller):
    tags = ["rewards"]

    @get(urls.MY_REWARDS, guards=[member_only], operation_id="listMyRewards",
         summary="The rewards open to me, with whether I may redeem each now and the points I lack")
    async def open_to_me(self, request: Request[Any, Any, Any]) -> list[MemberRewardOut]:
        return await rewards_for_member(principal_of(request).member_id, request_language(request))  # type: ignore[arg-type]

    @post(urls.REWARD_REDEEM, guards=[member_only], operation_id="redeemReward",
          summary="Redeem a reward with my points (201; the same Idempotency-Key again: 200, the same redemption)")
    async def redeem(
        self, request: Request[Any, Any, Any], reward_id: int, idempotency_key: IdempotencyKey = None
    ) -> Response[RedemptionOut]:
        me = principal_of(request)
        done = await redeem(me.member_id, reward_id, check_request_key(idempotency_key), request_language(request))  # type: ignore[arg-type]
        return Response(done.redemption, status_code=201 if done.created else 200)

    # Beside the member's POST on the same path (one controller per path): for coordinators.
    @get(urls.REWARD_REDEEM, guards=[coordinator_only], operation_id="listRewardRedemptions",
         summary="A reward's redemptions, the latest first (coordinators)")
    async def of_reward(self, request: Request[Any, Any, Any], reward_id: int) -> list[RedemptionOut]:
        await get_reward(reward_id)  # 404 for a reward that does not exist
        return await reward_redemptions(reward_id, request_language(request))

    @get(urls.MY_REDEMPTIONS, guards=[member_only], operation_id="listMyRedemptions",
         summary="My redemptions, the latest first, with each voucher code or collection slip")
    async def mine(self, request: Request[Any, Any, Any]) -> list[RedemptionOut]:
        return await my_redemptions(principal_of(request).member_id, request_language(request))  # type: ignore[arg-type]

    @get(urls.REDEMPTION, guards=[member_or_coordinator], operation_id="getRedemption",
         summary="One redemption (mine, or any for coordinators)")
    async def get_one(self, request: Request[Any, Any, Any], redemption_id: int) -> RedemptionOut:
        return await get_redemption(redemption_id, principal_of(request), request_language(request))

    @post(urls.REDEMPTION_HAND_OVER, guards=[coordinator_only], status_code=200, operation_id="handOverRedemption",
          summary="Mark a redemption handed over (once)")
    async def hand_over(self, request: Request[Any, Any, Any], redemption_id: int) -> RedemptionOut:
        return await hand_over(redemption_id, principal_of(request), request_language(request))

    @post(urls.REDEMPTION_CANCEL, guards=[coordinator_only], status_code=200, operation_id="cancelRedemption",
          summary="Cancel a pending redemption: its points and its piece of stock come back (once)")
    async def cancel(self, request: Request[Any, Any, Any], redemption_id: int, data: CancelIn) -> RedemptionOut:
        return await cancel(redemption_id, principal_of(request), data.reason, request_language(request))


ROUTES: list[Any] = [CatalogueController, RedemptionController]
