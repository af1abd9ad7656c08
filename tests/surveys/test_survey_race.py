"""One answer per member per event, raced over real HTTP against the live server, on SQLite and
PostgreSQL: the same member sends the survey's form 20 times at once and exactly one answer
lands; the 19 others are told it is already answered (409) and shown that one.

The control takes the key away (each answer gets a key of its own, as if `answer_key` named the
request rather than the member and the event): the service's own read of an earlier answer is
then all that stands in the way. On PostgreSQL the answers read before any of them commits, and
more than one lands. On SQLite every write transaction is BEGIN IMMEDIATE behind one lock
(club.db.write_transaction), so the read alone keeps it to one: each backend asserts its own
mechanism, as the rewards' races do.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from datetime import UTC, datetime

import httpx
import pytest

from checkin.surveys import answering
from checkin.surveys.tables import SurveyAnswer
from club.settings import Settings
from tests.conftest import LiveServer, backend_name
from tests.measures import builders
from tests.surveys.helpers import attendee, survey_path

TIMES = 20


async def _storm(server: LiveServer, path: str) -> list[httpx.Response]:
    """20 answers at once, each on its own connection, with scores 0 to 19 % 11 (all valid)."""
    async def one(n: int) -> httpx.Response:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as browser:
            return await browser.post(path, data={"score": str(n % 11), "comment": f"answer {n}"})

    return list(await asyncio.gather(*(one(n) for n in range(TIMES))))


async def _one_member(settings: Settings) -> tuple[int, int, str]:
    salon = await builders.event(datetime(2026, 12, 10, 18, 0, tzinfo=UTC))
    member_id, _ = await attendee(salon, "Impatient")
    return salon, member_id, await survey_path(settings, salon, member_id)


async def test_twenty_answers_at_once_from_one_member_land_once(server: LiveServer, settings: Settings) -> None:
    salon, member_id, path = await _one_member(settings)
    answers = await _storm(server, path)
    assert Counter(a.status_code for a in answers) == {200: 1, 409: TIMES - 1}
    rows = await SurveyAnswer.select().where((SurveyAnswer.event == salon) & (SurveyAnswer.member == member_id))
    assert len(rows) == 1
    # Every refusal shows the answer that landed.
    landed = f"{rows[0]['score']} / 10"
    assert all(landed in a.text for a in answers)


async def test_control_without_the_key_the_race_lands_more_than_one(
    server: LiveServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    salon, member_id, path = await _one_member(settings)
    serial = itertools.count()
    monkeypatch.setattr(answering, "answer_key", lambda event_id, member: f"{event_id}:{member}:{next(serial)}")
    answers = await _storm(server, path)
    assert {a.status_code for a in answers} <= {200, 409}
    landed = await SurveyAnswer.count().where((SurveyAnswer.event == salon) & (SurveyAnswer.member == member_id))
    assert landed == sum(a.status_code == 200 for a in answers)
    if backend_name() == "postgres":
        assert landed > 1, "without the key the storm should have landed more than one answer"
    else:
        assert landed == 1
