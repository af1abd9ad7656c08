"""The birthday gift: a reward of the catalogue the coordinator chooses (one setting, kept in the
database), given free with the birthday points, once per member per birthday award.

The gift is a redemption of price 0 (club.rewards), so it shows on the member's redemptions with
its voucher code or collection slip, and the boutique hands it over or cancels it at the desk as
any other. Its key "<member>#birthday:<the award's source>" holds a '#', which a client's
Idempotency-Key cannot (club.rewards.redeeming.KEY_PATTERN), and is unique: the hourly birthday
job may give it any number of times and it lands once. A reward withdrawn, out of its window or
out of stock gives no gift (the points and the greeting still go).
"""

from __future__ import annotations

import logging
from datetime import datetime

from club import clock
from club.db import write_transaction
from club.errors import NotFound
from club.i18n.catalogs import gettext
from club.i18n.languages import Language
from club.locking import lock_objects
from club.rewards.catalogue import load_reward
from club.rewards.codes import slip_number, voucher_code
from club.rewards.rules import WindowState, text_in, window_state
from club.rewards.stock import take_one
from club.rewards.tables import Redemption, RedemptionStatus, RewardKind
from club.rows import Row, row_as
from club.tables import Member
from club.year_end.schemas import BirthdayGiftOut
from club.year_end.tables import BirthdayGiftSetting

__all__ = ["birthday_gift_sentence", "gift_key", "gift_out", "give_birthday_gift", "set_gift"]

log = logging.getLogger("club.birthdays")
S = BirthdayGiftSetting


class _OutOfStock(Exception):
    """Rolls the gift's transaction back: the last piece went to someone else."""


def gift_key(member_id: int, birthday_source: str) -> str:
    return f"{member_id}#birthday:{birthday_source}"


class _Setting(Row, frozen=True):
    reward: int | None
    title_zh: str | None
    title_en: str | None
    updated_at: datetime | None


async def _setting() -> _Setting | None:
    found = await S.select(
        S.reward, S.reward.title_zh.as_alias("title_zh"), S.reward.title_en.as_alias("title_en"), S.updated_at,
    ).order_by(S.id).first()
    return row_as(_Setting, found) if found else None


async def gift_out(language: Language) -> BirthdayGiftOut:
    setting = await _setting()
    if setting is None or setting.reward is None:
        return BirthdayGiftOut(reward_id=None, reward_title="", updated_at=setting.updated_at if setting else None)
    return BirthdayGiftOut(reward_id=setting.reward, reward_title=text_in(language, setting.title_zh or "", setting.title_en or ""),
                           updated_at=setting.updated_at)


async def set_gift(reward_id: int | None, by_user: int | None, language: Language) -> BirthdayGiftOut:
    """Choose the gift (None: no gift); a reward that does not exist is a 404."""
    if reward_id is not None:
        await load_reward(reward_id)
    async with write_transaction():
        values = {S.reward: reward_id, S.updated_at: clock.now(), S.updated_by: by_user}
        first = await S.select(S.id).order_by(S.id).first()
        if first is None:
            await S.insert(S(reward=reward_id, updated_at=clock.now(), updated_by=by_user))
        else:
            await S.update(values).where(S.id == first["id"])  # type: ignore[arg-type]
    return await gift_out(language)


async def give_birthday_gift(member_id: int, birthday_source: str) -> int | None:
    """Give the member the birthday gift for the birthday award `birthday_source`: the redemption's
    id (the first one's when given before), or None when there is no gift to give."""
    setting = await _setting()
    if setting is None or setting.reward is None:
        return None
    key = gift_key(member_id, birthday_source)
    try:
        async with write_transaction():
            await lock_objects((Member, member_id))
            earlier = await Redemption.select(Redemption.id).where(Redemption.redemption_key == key).first()
            if earlier is not None:
                return int(earlier["id"])
            try:
                reward = await load_reward(setting.reward)
            except NotFound:
                return None
            open_now = window_state(clock.now(), reward.available_from, reward.available_until) is WindowState.open
            if not reward.active or not open_now or (reward.stock is not None and reward.stock <= 0):
                log.info("birthday gift %s not given to member %s: not available", reward.id, member_id)
                return None
            inserted = await Redemption.insert(Redemption(
                reward=reward.id, member=member_id, redemption_key=key, points=0, status=RedemptionStatus.pending.value,
                voucher_code=voucher_code() if reward.kind is RewardKind.voucher else None, created_at=clock.now(),
            )).returning(Redemption.id)
            if reward.stock is not None and not await take_one(reward.id):
                raise _OutOfStock
            return int(inserted[0]["id"])
    except _OutOfStock:
        log.info("birthday gift %s not given to member %s: out of stock", setting.reward, member_id)
        return None


class _Gift(Row, frozen=True):
    id: int
    kind: RewardKind
    title_zh: str
    title_en: str
    voucher_code: str | None


async def birthday_gift_sentence(member_id: int, birthday_source: str, language: Language) -> str:
    """The greeting's sentence naming the gift given with this birthday award, or "" for none."""
    R = Redemption
    found = await R.select(
        R.id, R.reward.kind.as_alias("kind"), R.reward.title_zh.as_alias("title_zh"),
        R.reward.title_en.as_alias("title_en"), R.voucher_code,
    ).where((R.redemption_key == gift_key(member_id, birthday_source)) & (R.status != RedemptionStatus.cancelled.value)).first()
    if found is None:
        return ""
    gift = row_as(_Gift, found)
    title = text_in(language, gift.title_zh, gift.title_en)
    if gift.voucher_code:
        return gettext(language, "Our gift to you: {gift}, voucher code {code}.", gift=title, code=gift.voucher_code)
    return gettext(language, "Our gift to you: {gift}, to collect at the boutique with slip No. {number}.",
                   gift=title, number=slip_number(gift.id))

