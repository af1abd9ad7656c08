"""A member's year-end rewards as they read them (the API, their pages), and the messages that
tell them: each award is told once (`told_at`), claimed by one UPDATE only one run wins, as the
birthday greetings are (club.birthday_greetings); the sending is events.year_end_messages'."""

from __future__ import annotations

from datetime import datetime

from club.i18n.catalogs import gettext
from club.i18n.formats import number_text
from club.i18n.languages import Language
from club.rewards.rules import text_in
from club.rows import Row, rows_as
from club.year_end.rules import RuleKind
from club.year_end.schemas import AwardOut
from club.year_end.tables import YearEndAward

__all__ = [
    "AwardRow", "UntoldAward", "award_text", "claim_message", "my_awards", "release_message", "untold_awards",
    "worth_text",
]

A = YearEndAward


class AwardRow(Row, frozen=True):
    id: int
    year: int
    balance: int
    kind: RuleKind
    percent_bp: int | None
    value: int | None
    currency: str
    reward: int | None
    title_zh: str | None
    title_en: str | None
    voucher_code: str
    created_at: datetime


_COLUMNS = (
    A.id, A.year, A.balance, A.kind, A.percent_bp, A.value, A.currency, A.reward,
    A.reward.title_zh.as_alias("title_zh"), A.reward.title_en.as_alias("title_en"), A.voucher_code, A.created_at,
)


def _title(row: AwardRow, language: Language) -> str:
    return text_in(language, row.title_zh or "", row.title_en or "") if row.reward else ""


def award_out(row: AwardRow, language: Language) -> AwardOut:
    return AwardOut(
        id=row.id, year=row.year, balance=row.balance, kind=row.kind, percent_bp=row.percent_bp, value=row.value,
        currency=row.currency, reward_id=row.reward, reward_title=_title(row, language), voucher_code=row.voucher_code,
        created_at=row.created_at,
    )


async def my_awards(member_id: int, language: Language) -> list[AwardOut]:
    """The member's year-end rewards, the latest year first."""
    rows = rows_as(AwardRow, await A.select(*_COLUMNS).where(A.member == member_id).order_by(A.year, ascending=False))
    return [award_out(r, language) for r in rows]


def percent_text(percent_bp: int | None) -> str:
    """300 as "3", 250 as "2.5": a percent as a reader writes it."""
    bp = percent_bp or 0
    return f"{bp // 100}" if bp % 100 == 0 else f"{bp / 100:g}"


def worth_text(award: AwardOut, language: Language) -> str:
    """What the award is, in a few words: "a voucher worth 900 CNY", or the reward's title."""
    if award.kind is RuleKind.percent:
        return gettext(language, "a voucher worth {value} {currency}", value=number_text(award.value or 0, language),
                       currency=award.currency)
    return award.reward_title


def award_text(language: Language, name: str, award: AwardOut) -> tuple[str, str]:
    """Subject and body of the message telling a member of their year-end reward."""
    subject = gettext(language, "Your year-end reward for {year}", year=str(award.year))
    body = gettext(
        language,
        "Dear {name}, thank you for a year with the club. With {points} points at the end of {year}, "
        "you receive {reward}. Show the code {code} at the boutique.",
        name=name, points=number_text(award.balance, language), year=str(award.year),
        reward=worth_text(award, language), code=award.voucher_code,
    )
    return subject, body


class UntoldAward(Row, frozen=True):
    id: int
    member: int
    member_name: str
    member_email: str
    member_language: str | None


async def untold_awards(limit: int = 500) -> list[UntoldAward]:
    """Awards whose member has not been told yet, oldest first."""
    return rows_as(UntoldAward, await A.select(
        A.id, A.member, A.member.name.as_alias("member_name"), A.member.email.as_alias("member_email"),
        A.member.language.as_alias("member_language"),
    ).where(A.told_at.is_null()).order_by(A.id).limit(limit))


async def award_of(award_id: int, language: Language) -> AwardOut:
    rows = rows_as(AwardRow, await A.select(*_COLUMNS).where(A.id == award_id))
    return award_out(rows[0], language)


async def claim_message(award_id: int, now: datetime) -> bool:
    """Take the telling of this award for this run; False when another run has it already."""
    return bool(await A.update({A.told_at: now}).where((A.id == award_id) & A.told_at.is_null()).returning(A.id))


async def release_message(award_id: int) -> None:
    """Give a claimed message back (its channel failed): the next run tries again."""
    await A.update({A.told_at: None}).where(A.id == award_id)
