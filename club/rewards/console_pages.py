"""The console's rewards (coordinators): the catalogue with each reward's stock and redemptions,
a reward's form (new, or edit, where "open to members" unticked withdraws it) with its image
(uploaded, replaced or removed: club.rewards.images), and the
redemptions desk, where the number a member shows (a slip's, or a voucher's code) finds their
redemption to hand over or cancel.

Every change goes through the API's own services (club.rewards.catalogue, .redemptions), with its
club.audit record in the same transaction; a refusal is shown beside its form or as a notice.
Times are typed and read on the club's clock (club.web.console.club_zone).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import msgspec
from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from club.audit import ActionKind, record
from club.auth import principal_of
from club.db import write_transaction
from club.errors import DomainError, InvalidInput
from club.i18n.catalogs import N_, gettext
from club.i18n.http import request_language
from club.rewards import urls
from club.rewards.catalogue import catalogue, create_reward, get_reward, update_reward
from club.rewards.images import MAX_IMAGE_BYTES, NotAnImage, remove_image, store_image
from club.rewards.pages import KIND_LABELS, STATUS_LABELS
from club.rewards.redemptions import cancel, find_redemptions, hand_over
from club.rewards.rules import text_in
from club.rewards.schemas import RewardIn, RewardOut, RewardUpdate
from club.rewards.tables import RedemptionStatus, RewardKind
from club.tiers import load_ladder
from club.web.console import club_zone, console_page
from club.web.console_forms import local_input, local_instant, read_form, whole_number
from club.web.forms import FORM

__all__ = ["CONSOLE_PAGES"]

_MESSAGES: dict[str, str] = {
    "kind": N_("Please choose what kind of reward it is."),
    "price": N_("Please write a whole number of points from 1 to 100,000,000."),
    "title_zh": N_("Please write a title of up to 120 characters."),
    "title_en": N_("Please write a title of up to 120 characters."),
    "description_zh": N_("Please write at most 2,000 characters."),
    "description_en": N_("Please write at most 2,000 characters."),
    "stock": N_("Please write a whole number of pieces, or leave it empty for no limit."),
    "min_tier": N_("Please choose a tier."),
    "per_member_limit": N_("Please write a whole number from 1 to 1,000, or leave it empty for no limit."),
    "available_from": N_("Please give a date and time, or leave it empty."),
    "available_until": N_("Please give a date and time, or leave it empty."),
    "active": N_("Please choose."),
}
LABELS: dict[str, str] = {
    "kind": N_("Kind"),
    "title_zh": N_("Title in Chinese"),
    "title_en": N_("Title in English"),
    "description_zh": N_("Description in Chinese"),
    "description_en": N_("Description in English"),
    "price": N_("Price in points"),
    "stock": N_("Pieces in stock"),
    "min_tier": N_("Minimum tier"),
    "per_member_limit": N_("Limit per member"),
    "available_from": N_("Available from"),
    "available_until": N_("Available until"),
    "active": N_("Open to members"),
}


class RewardForm(msgspec.Struct):
    kind: str = ""
    title_zh: str = ""
    title_en: str = ""
    description_zh: str = ""
    description_en: str = ""
    price: str = ""
    stock: str = ""
    min_tier: str = ""
    per_member_limit: str = ""
    available_from: str = ""
    available_until: str = ""
    active: str = ""  # a checkbox: "1" when ticked


@dataclass
class ImageForm:
    file: UploadFile | None = None


class CancelForm(msgspec.Struct):
    reason: str = ""
    back: str = ""


class BackForm(msgspec.Struct):
    back: str = ""


def _optional_number(text: str) -> int | str | None:
    return whole_number(text) if text.strip() else None


def _instant(text: str, zone: ZoneInfo) -> Any:
    if not text.strip():
        return None
    return local_instant(text, zone) or text  # the text itself: the type refuses it


def _values(data: RewardForm, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "kind": data.kind, "title_zh": data.title_zh, "title_en": data.title_en,
        "description_zh": data.description_zh.replace("\r\n", "\n"), "description_en": data.description_en.replace("\r\n", "\n"),
        "price": whole_number(data.price), "stock": _optional_number(data.stock),
        "min_tier": data.min_tier.strip() or None, "per_member_limit": _optional_number(data.per_member_limit),
        "available_from": _instant(data.available_from, zone), "available_until": _instant(data.available_until, zone),
        "active": bool(data.active),
    }


def _form_of(reward: RewardOut, zone: str) -> dict[str, str]:
    return {
        "kind": reward.kind.value, "title_zh": reward.title_zh, "title_en": reward.title_en,
        "description_zh": reward.description_zh, "description_en": reward.description_en, "price": str(reward.price),
        "stock": "" if reward.stock is None else str(reward.stock), "min_tier": reward.min_tier or "",
        "per_member_limit": "" if reward.per_member_limit is None else str(reward.per_member_limit),
        "available_from": local_input(reward.available_from, zone), "available_until": local_input(reward.available_until, zone),
        "active": "1" if reward.active else "",
    }


async def _form_page(
    request: Request[Any, Any, Any], *, reward: RewardOut | None, form: dict[str, str], errors: dict[str, str],
    general: str | None = None, status_code: int = 200, done: str = "", image_error: str | None = None,
) -> Template:
    language = request_language(request)
    redemptions = [] if reward is None else await _desk_rows(request, reward_id=reward.id)
    return console_page(
        request, "rewards/console_reward.html", status_code=status_code, reward=reward, form=form, errors=errors,
        general=general, labels=LABELS, kinds=KIND_LABELS, statuses=STATUS_LABELS,
        tiers=[r.name for r in await load_ladder()], redemptions=redemptions, done=done[:20],
        back=request.url.path, language=language, image_error=image_error,
    )


@get(urls.CONSOLE_REWARDS, name="console-rewards")
async def rewards_page(request: Request[Any, Any, Any], done: str = "") -> Template:
    language = request_language(request)
    rewards = await catalogue()
    return console_page(
        request, "rewards/console_rewards.html", rewards=rewards, kinds=KIND_LABELS, done=done[:20],
        titles={r.id: text_in(language, r.title_zh, r.title_en) for r in rewards},
    )


@get(urls.CONSOLE_NEW_REWARD, name="console-new-reward")
async def new_reward_page(request: Request[Any, Any, Any]) -> Template:
    return await _form_page(request, reward=None, form={"kind": RewardKind.gift.value, "active": "1"}, errors={})


def _shown(data: RewardForm) -> dict[str, str]:
    return {k: str(v) for k, v in msgspec.structs.asdict(data).items()}


@post(urls.CONSOLE_NEW_REWARD, status_code=303)
async def create_reward_page(request: Request[Any, Any, Any], data: Annotated[RewardForm, FORM]) -> Redirect | Template:
    language = request_language(request)
    body, errors = read_form(_values(data, ZoneInfo(club_zone(request))), RewardIn, _MESSAGES, language)
    if body is None:
        return await _form_page(request, reward=None, form=_shown(data), errors=errors, status_code=400)
    try:
        async with write_transaction():
            made = await create_reward(body)
            await record(principal_of(request), ActionKind.reward_created, detail=gettext(
                language, "{reward}: {points} points", reward=text_in(language, made.title_zh, made.title_en),
                points=f"{made.price:,}",
            ))
    except InvalidInput as refusal:
        return await _form_page(request, reward=None, form=_shown(data), errors={}, general=refusal.detail_in(language),
                                status_code=400)
    return Redirect(f"{urls.CONSOLE_REWARDS}?done=created#reward-{made.id}", status_code=303)


@get(urls.CONSOLE_REWARD, name="console-reward")
async def reward_page(request: Request[Any, Any, Any], reward_id: int, done: str = "") -> Template:
    reward = await get_reward(reward_id)
    return await _form_page(request, reward=reward, form=_form_of(reward, club_zone(request)), errors={}, done=done)


def _changes(before: RewardOut, after: RewardOut, language: Any) -> str:
    changed = [
        gettext(language, LABELS[name]) for name in LABELS if getattr(before, name) != getattr(after, name)
    ]
    return gettext(language, "{reward}: {changes}", reward=text_in(language, after.title_zh, after.title_en),
                   changes=gettext(language, "; ").join(changed)) if changed else ""


@post(urls.CONSOLE_REWARD, status_code=303)
async def save_reward_page(
    request: Request[Any, Any, Any], reward_id: int, data: Annotated[RewardForm, FORM]
) -> Redirect | Template:
    language = request_language(request)
    current = await get_reward(reward_id)
    body, errors = read_form(_values(data, ZoneInfo(club_zone(request))), RewardUpdate, _MESSAGES, language)
    if body is None:
        return await _form_page(request, reward=current, form=_shown(data), errors=errors, status_code=400)
    try:
        async with write_transaction():
            before, after = await update_reward(reward_id, body)
            detail = _changes(before, after, language)
            if detail:
                await record(principal_of(request), ActionKind.reward_updated, detail=detail)
    except InvalidInput as refusal:
        return await _form_page(request, reward=current, form=_shown(data), errors={}, general=refusal.detail_in(language),
                                status_code=400)
    return Redirect(f"{urls.link(urls.CONSOLE_REWARD, reward_id=reward_id)}?done={'saved' if detail else 'unchanged'}",
                    status_code=303)


async def _image_recorded(request: Request[Any, Any, Any], reward: RewardOut, change: str) -> None:
    language = request_language(request)
    await record(principal_of(request), ActionKind.reward_updated, detail=gettext(
        language, "{reward}: {changes}", reward=text_in(language, reward.title_zh, reward.title_en), changes=gettext(language, change),
    ))


@post(urls.CONSOLE_REWARD_IMAGE, status_code=303, request_max_body_size=MAX_IMAGE_BYTES + 64 * 1024)
async def upload_image_page(
    request: Request[Any, Any, Any], reward_id: int, data: Annotated[ImageForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Redirect | Template:
    """The file's bytes decide what it is (club.rewards.images.check_image); a refusal is shown on
    the reward's page beside the image, and the image it had stays."""
    language = request_language(request)
    current = await get_reward(reward_id)
    try:
        if data.file is None or not data.file.filename:
            raise NotAnImage("Please choose an image file.")
        content = await data.file.read(MAX_IMAGE_BYTES + 1)
        async with write_transaction():
            await store_image(reward_id, content)
            await _image_recorded(request, current, N_("image uploaded"))
    except InvalidInput as refusal:
        return await _image_refused(request, current, refusal.detail_in(language), 400)
    except DomainError as refusal:  # too large: 413
        return await _image_refused(request, current, refusal.detail_in(language), refusal.status_code)
    return Redirect(f"{urls.link(urls.CONSOLE_REWARD, reward_id=reward_id)}?done=image#image", status_code=303)


async def _image_refused(request: Request[Any, Any, Any], reward: RewardOut, text: str, status_code: int) -> Template:
    return await _form_page(request, reward=reward, form=_form_of(reward, club_zone(request)), errors={},
                            image_error=text, status_code=status_code)


@post(urls.CONSOLE_REMOVE_IMAGE, status_code=303)
async def remove_image_page(request: Request[Any, Any, Any], reward_id: int) -> Redirect:
    current = await get_reward(reward_id)
    async with write_transaction():
        if await remove_image(reward_id):
            await _image_recorded(request, current, N_("image removed"))
    return Redirect(f"{urls.link(urls.CONSOLE_REWARD, reward_id=reward_id)}?done=image-removed#image", status_code=303)


async def _desk_rows(request: Request[Any, Any, Any], *, reward_id: int | None = None, status: str = "", number: str = "") -> list[Any]:
    language = request_language(request)
    wanted = RedemptionStatus(status) if status in {s.value for s in RedemptionStatus} else None
    rows = await find_redemptions(language, status=wanted, number=number[:40], reward_id=reward_id)
    return [(r, text_in(language, r.title_zh, r.title_en)) for r in rows]


@get(urls.CONSOLE_REDEMPTIONS, name="console-redemptions")
async def redemptions_page(
    request: Request[Any, Any, Any], status: str = RedemptionStatus.pending.value, number: str = "", done: str = "",
) -> Template:
    return console_page(
        request, "rewards/console_redemptions.html", rows=await _desk_rows(request, status=status, number=number),
        status=status[:20], number=number[:40], statuses=STATUS_LABELS, done=done[:20],
    )


def _back(back: str, done: str) -> Redirect:
    # Only back to a console page of rewards: a form's field is not a place to send anyone else.
    target = back if back.startswith(("/console/rewards", "/console/redemptions")) and "//" not in back else urls.CONSOLE_REDEMPTIONS
    path, _, query = target.partition("?")
    kept = "&".join(p for p in query.split("&") if p and not p.startswith("done="))
    return Redirect(f"{path}?{kept + '&' if kept else ''}done={done}", status_code=303)


@post(urls.CONSOLE_HAND_OVER, status_code=303)
async def hand_over_page(request: Request[Any, Any, Any], redemption_id: int, data: Annotated[BackForm, FORM]) -> Redirect:
    await hand_over(redemption_id, principal_of(request), request_language(request))
    return _back(data.back, "handed")


@post(urls.CONSOLE_CANCEL, status_code=303)
async def cancel_page(request: Request[Any, Any, Any], redemption_id: int, data: Annotated[CancelForm, FORM]) -> Redirect:
    await cancel(redemption_id, principal_of(request), data.reason[:500], request_language(request))
    return _back(data.back, "cancelled")


CONSOLE_PAGES: list[Any] = [
    rewards_page, new_reward_page, create_reward_page, reward_page, save_reward_page, redemptions_page, hand_over_page,
    cancel_page, upload_image_page, remove_image_page,
]
