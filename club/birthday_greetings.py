"""Birthday greetings: each birthday award told to its member once, in their language.

`club.jobs.award_birthday_points` writes the award (a ledger entry, once a year); the entry's
`told_at` stays empty until its greeting has been handed to a channel, which is
`events.birthday_greetings`' job. Claiming an entry is one UPDATE that only one run can win,
so two runs at once (two workers, a retried cron) greet once.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from club.i18n.catalogs import gettext
from club.i18n.formats import number_text
from club.i18n.languages import Language
from club.rows import Row, rows_as
from club.tables import PointsEntry, PointsReason

if TYPE_CHECKING:
    from piccolo.query import Select

__all__ = [
    "UntoldBirthday",
    "birthday_greeting_text",
    "claim_greeting",
    "release_greeting",
    "untold_birthdays",
    "untold_birthdays_query",
]


class UntoldBirthday(Row, frozen=True):
    """A birthday award its member has not been greeted for, with whom to greet."""

    id: int
    member: int
    delta: int
    source: str  # the award's source, which keys its gift (club.year_end.birthday_gift)
    member_name: str
    member_email: str
    member_language: str | None


async def untold_birthdays(limit: int = 200) -> list[UntoldBirthday]:
    """Birthday awards not greeted yet, oldest first."""
    return rows_as(UntoldBirthday, await untold_birthdays_query(limit))


def untold_birthdays_query(limit: int = 200) -> Select:
    """The few untold birthday awards among the whole ledger (index points_entry_birthday_untold)."""
    E = PointsEntry
    return E.select(
        E.id, E.member, E.delta, E.source, E.member.name.as_alias("member_name"), E.member.email.as_alias("member_email"),
        E.member.language.as_alias("member_language"),
    ).where((E.reason == PointsReason.birthday.value) & E.told_at.is_null()).order_by(E.id).limit(limit)


async def claim_greeting(entry_id: int, now: datetime) -> bool:
    """Take the greeting of this award for this run; False when another run has it already."""
    claimed = await PointsEntry.update({PointsEntry.told_at: now}).where(
        (PointsEntry.id == entry_id) & PointsEntry.told_at.is_null()
    ).returning(PointsEntry.id)
    return bool(claimed)


async def release_greeting(entry_id: int) -> None:
    """Give a claimed greeting back (its channel failed): the next run tries again."""
    await PointsEntry.update({PointsEntry.told_at: None}).where(PointsEntry.id == entry_id)


def birthday_greeting_text(language: Language, name: str, points: int, gift: str = "") -> tuple[str, str]:
    """Subject and body of a member's birthday greeting, with the points it brought and the
    sentence naming its gift, if one came with them."""
    subject = gettext(language, "Happy birthday, {name}", name=name)
    body = gettext(
        language,
        "Dear {name}, everyone at the club wishes you a very happy birthday. "
        "To mark the day, {points} birthday points have been added to your balance.",
        name=name, points=number_text(points, language),
    )
    if gift:
        body = f"{body}{'' if language in (Language.zh_hans, Language.zh_hant) else ' '}{gift}"
    return subject, body
