"""A small club whose segments' members are written in the tests, and a send's messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from club.tables import Member, PointsReason
from events.reminders.tables import ReminderMessage
from tests.measures.builders import admit, at, event, member, miss, points, rsvp

NOW = at(20, 12)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Club:
    ids: dict[str, int]

    def names(self, ids: list[int]) -> list[str]:
        by_id = {v: k for k, v in self.ids.items()}
        return sorted(by_id[i] for i in ids)


async def _came(member_id: int, when: datetime) -> None:
    e = await event(when)
    r = await rsvp(e, member_id, created=when - 5 * DAY, confirmed=when - 5 * DAY)
    await admit(e, r, member_id, when)


async def _missed(member_id: int, when: datetime) -> None:
    e = await event(when)
    r = await rsvp(e, member_id, created=when - 5 * DAY, confirmed=when - 5 * DAY)
    await miss(e, r, member_id, when + timedelta(hours=3))


async def build_club() -> Club:
    """Six members (thresholds: active = twice in 90 days, dormant = not in 180 days):
    - Amélie, Platinum, en, 5,000 points: came 10 and 20 days ago (active);
    - Bo, Platinum, zh_Hans, 200 points: came 200 days ago, missed 3 since (dormant, no-show 3/4);
    - Chen, Gold, zh_Hant, 800 points: came 30 days ago, missed once (cooling, no-show 1/2);
    - Dora, Platinum, en, 0 points: never came (dormant, no rate);
    - Emil, Silver, en, 1,200 points: came 400 days ago (dormant, no-show 0/1);
    - Fei, Platinum, zh_Hans, suspended: never in a segment."""
    ids = {
        "Amélie": await member("Amélie", tier="Platinum"),
        "Bo": await member("Bo", tier="Platinum"),
        "Chen": await member("Chen", tier="Gold"),
        "Dora": await member("Dora", tier="Platinum"),
        "Emil": await member("Emil", tier="Silver"),
        "Fei": await member("Fei", tier="Platinum"),
    }
    for name, language in (("Bo", "zh_Hans"), ("Chen", "zh_Hant"), ("Fei", "zh_Hans")):
        await Member.update({Member.language: language}).where(Member.id == ids[name])
    await Member.update({Member.status: "suspended"}).where(Member.id == ids["Fei"])
    await _came(ids["Amélie"], NOW - 10 * DAY)
    await _came(ids["Amélie"], NOW - 20 * DAY)
    await _came(ids["Bo"], NOW - 200 * DAY)
    for days in (150, 120, 60):
        await _missed(ids["Bo"], NOW - days * DAY)
    await _came(ids["Chen"], NOW - 30 * DAY)
    await _missed(ids["Chen"], NOW - 40 * DAY)
    await _came(ids["Emil"], NOW - 400 * DAY)
    for name, delta in (("Amélie", 5000), ("Bo", 200), ("Chen", 800), ("Emil", 1200)):
        await points(ids[name], delta, PointsReason.adjustment, NOW - 50 * DAY)
    return Club(ids)


async def messages_of(member_id: int) -> list[dict[str, object]]:
    return list(await ReminderMessage.select().where(ReminderMessage.member == member_id))
