"""The member's rewards pages: the rewards open to them with their price and the points they lack
(/rewards), a confirmation before redeeming one (/rewards/{id}), and their redemptions with each
voucher code or collection slip (/rewards/mine). A reward's image is at /rewards/{id}/image, for
the members whose list shows the reward and for coordinators (the console's pictures). The home page links them with the member's balance.

The forms call the API's own services (club.rewards.redeeming.redeem): every refusal is theirs and
shows as a page (club.web.page_errors). The confirmation carries a key made when it was shown, sent
as the API's Idempotency-Key, so a double tap or a resent form redeems once.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post, route
from litestar.response import Redirect, Template

from club.accounts import Principal
from club.auth import member_only, principal_of, requires
from club.downloads import GET_AND_HEAD, file_response, tag_matches
from club.honours.next_tier import next_tier_of
from club.i18n.catalogs import N_
from club.i18n.http import request_language
from club.ledger import balance_of
from club.rewards import urls
from club.rewards.catalogue import load_reward, rewards_for_member
from club.rewards.errors import NoLongerAvailable
from club.rewards.images import CACHE_CONTROL, load_image, visible_image
from club.rewards.redeeming import check_request_key, redeem
from club.rewards.redemptions import my_redemptions
from club.rewards.rules import Refusal
from club.rewards.tables import RedemptionStatus, RewardKind
from club.tables import Role
from club.web.forms import FORM
from club.web.home import HomeSection
from club.web.templates import page

__all__ = ["HOME_SECTIONS", "PAGES", "REFUSAL_TEXTS"]

# What a member reads where a reward cannot be redeemed now (not enough points says how many lack).
REFUSAL_TEXTS: dict[Refusal, str] = {
    Refusal.inactive: N_("No longer available"),
    Refusal.not_yet: N_("Not yet available"),
    Refusal.no_longer: N_("No longer available"),
    Refusal.suspended: N_("Not while your membership is suspended"),
    Refusal.tier_too_low: N_("For a higher tier"),
    Refusal.limit_reached: N_("You have redeemed it as often as it allows"),
    Refusal.out_of_stock: N_("Out of stock"),
    Refusal.not_enough_points: N_("{points} points to go"),
}
KIND_LABELS: dict[RewardKind, str] = {
    RewardKind.gift: N_("Gift"),
    RewardKind.voucher: N_("Voucher"),
    RewardKind.experience: N_("Experience"),
}
STATUS_LABELS: dict[RedemptionStatus, str] = {
    RedemptionStatus.pending: N_("To collect"),
    RedemptionStatus.handed_over: N_("Handed over"),
    RedemptionStatus.cancelled: N_("Cancelled, points returned"),
}


class RedeemForm(msgspec.Struct):
    request_key: str = ""


def _member(request: Request[Any, Any, Any]) -> tuple[Principal, int]:
    me = principal_of(request)
    assert me.member_id is not None  # member_only
    return me, me.member_id


def _values(request: Request[Any, Any, Any]) -> dict[str, Any]:
    zone = principal_of(request).time_zone or str(request.app.state.settings.club_time_zone)
    return {"kinds": KIND_LABELS, "refusals": REFUSAL_TEXTS, "statuses": STATUS_LABELS, "zone": zone, "reader_zone": zone}


@get(urls.REWARDS_PAGE, guards=[member_only], name="rewards")
async def rewards_page(request: Request[Any, Any, Any]) -> Template:
    _, member_id = _member(request)
    rewards = await rewards_for_member(member_id, request_language(request))
    return page(request, "rewards/rewards.html", rewards=rewards, balance=await balance_of(member_id),
                next_tier=await next_tier_of(member_id), **_values(request))


@get(urls.REWARD_PAGE, guards=[member_only], name="reward")
async def reward_page(request: Request[Any, Any, Any], reward_id: int) -> Template:
    """The confirmation: what it costs, the balance after, and the button; or why not now."""
    _, member_id = _member(request)
    reward = next((r for r in await rewards_for_member(member_id, request_language(request)) if r.id == reward_id), None)
    if reward is None:  # not in the catalogue (404), or withdrawn, closed or above the member's tier
        await load_reward(reward_id)
        raise NoLongerAvailable("This reward is no longer available.")
    balance = await balance_of(member_id)
    return page(
        request, "rewards/confirm.html", reward=reward, balance=balance, after=balance - reward.price,
        request_key=uuid.uuid4().hex, next_tier=await next_tier_of(member_id), **_values(request),
    )


@post(urls.REDEEM_PAGE, guards=[member_only], status_code=303)
async def redeem_page(request: Request[Any, Any, Any], reward_id: int, data: Annotated[RedeemForm, FORM]) -> Redirect:
    _, member_id = _member(request)
    key = check_request_key(data.request_key or None)
    done = await redeem(member_id, reward_id, key, request_language(request))
    rid = done.redemption.id
    return Redirect(f"{urls.MY_REDEMPTIONS_PAGE}?redeemed={rid}#redemption-{rid}", status_code=303)


@get(urls.MY_REDEMPTIONS_PAGE, guards=[member_only], name="my-redemptions")
async def my_redemptions_page(request: Request[Any, Any, Any], redeemed: int | None = None) -> Template:
    _, member_id = _member(request)
    mine = await my_redemptions(member_id, request_language(request))
    return page(
        request, "rewards/mine.html", redemptions=mine, balance=await balance_of(member_id), next_tier=await next_tier_of(member_id),
        redeemed=next((r for r in mine if r.id == redeemed), None), **_values(request),
    )


@route(urls.REWARD_IMAGE, http_method=GET_AND_HEAD, guards=[requires(Role.member, Role.coordinator)], name="reward-image")
async def reward_image(request: Request[Any, Any, Any], reward_id: int) -> Response[bytes]:
    """The image, with its ETag (304 to a phone that holds it); a reward the member's list does not
    show has no image for them (404), as it has no page."""
    me = principal_of(request)
    facts = await visible_image(reward_id, None if me.role is Role.coordinator else me.member_id)
    if tag_matches(request.headers.get("if-none-match"), facts.etag):
        return Response(b"", status_code=304, headers={"ETag": facts.etag, "Cache-Control": CACHE_CONTROL})
    image = await load_image(reward_id)
    return file_response(request, image.data, image.content_type, tag=image.etag, cache_control=CACHE_CONTROL)


async def rewards_section(request: Request[Any, Any, Any], me: Principal) -> HomeSection | None:
    """The home page's part: the balance's worth in rewards, and the way to them and to what to collect."""
    if me.member_id is None:
        return None
    rewards = await rewards_for_member(me.member_id, request_language(request))
    to_collect = [r for r in await my_redemptions(me.member_id, request_language(request)) if r.status is RedemptionStatus.pending]
    if not rewards and not to_collect:
        return None
    return HomeSection("rewards/home_section.html", order=40, values={
        "redeemable": sum(1 for r in rewards if r.can_redeem), "listed": len(rewards), "to_collect": len(to_collect),
    })


PAGES: list[Any] = [rewards_page, my_redemptions_page, reward_page, redeem_page, reward_image]
HOME_SECTIONS: list[Any] = [rewards_section]
