"""Background jobs of the club core (arq): thin, they call services.

arq may run a job more than once (retries, a worker dying mid-job); every job here is safe
to repeat because the awards it makes are keyed in the ledger.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from club import clock
from club.rows import Row, rows_as
from club.tables import Member, MemberStatus, PointsReason

__all__ = ["BIRTHDAY_POINTS", "award_birthday_points"]

BIRTHDAY_POINTS = 100


class _BirthdayRow(Row, frozen=True):
    id: int
    birthday: date
    time_zone: str


async def award_birthday_points(ctx: dict[str, Any], now: datetime | None = None) -> int:
    """Birthday points for active members whose birthday it is today in their own time zone.

    Runs hourly; the (birthday, member-year) key makes the award land once a year, and the
    birthday gift (club.year_end.birthday_gift) is keyed by the award. Returns how many awards were new.
    """
    from club.points import award
    from club.year_end.birthday_gift import give_birthday_gift

    now = now or clock.now()
    members = rows_as(_BirthdayRow, await Member.select(Member.id, Member.birthday, Member.time_zone).where(
        (Member.status == MemberStatus.active.value) & Member.birthday.is_not_null()
    ))
    made = 0
    for m in members:
        local = now.astimezone(ZoneInfo(m.time_zone)).date()
        birthday = m.birthday
        if (birthday.month, birthday.day) == (local.month, local.day) or (
            (birthday.month, birthday.day) == (2, 29) and (local.month, local.day) == (2, 28)
            and not _is_leap(local.year)
        ):
            source = f"member-{m.id}-{local.year}"
            # The coordinator's gift first (keyed by the award: lands once), so the greeting the
            # points' entry calls for always finds it.
            await give_birthday_gift(m.id, source)
            result = await award(m.id, BIRTHDAY_POINTS, PointsReason.birthday, source, note="Happy birthday from the club")
            made += result.created
    return made


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


async def end_idle_web_sessions(ctx: dict[str, Any]) -> int:
    """Ends the browser sessions unused for `session_idle_days`, with the door tokens they were
    given: an idle session signs no one in already, but a door token would outlive it. Daily."""
    from club.web.sessions import end_idle_sessions

    return await end_idle_sessions(timedelta(days=ctx["settings"].session_idle_days))


async def purge_dead_sign_in_codes(ctx: dict[str, Any]) -> int:
    """Deletes the sign-in codes past their end (club.web.sign_in.purge_dead_codes). Daily."""
    from club.web.sign_in import purge_dead_codes

    return await purge_dead_codes()
