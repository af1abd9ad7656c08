"""The satisfaction survey's response rate per event, kind and quarter: members who came, were
sent a survey step and answered, counted by the database over hand-built sends and answers."""

from __future__ import annotations

from datetime import UTC, date, datetime

from checkin.measures.rules import Period
from checkin.measures.survey_responses import events_responses, year_responses
from checkin.surveys.tables import SurveyAnswer
from events.reminders.tables import ReminderSequence, ReminderStep, ScheduledReminder, ScheduleStatus
from events.tables import EventKind, EventStatus
from tests.measures.builders import admit, event, member, rsvp

WHEN = datetime(2026, 1, 1, tzinfo=UTC)


async def _step(template: str, subject: str = "", texts: str = "{}") -> int:
    seq = await ReminderSequence.insert(ReminderSequence(name="After", created_at=WHEN)).returning(ReminderSequence.id)
    rows = await ReminderStep.insert(ReminderStep(
        sequence=seq[0]["id"], position=1, anchor="event_end", channel="email", subject=subject, template=template,
        texts=texts)).returning(ReminderStep.id)
    return int(rows[0]["id"])


class Scene:
    def __init__(self, survey: int, by_subject: int, by_texts: int, plain: int) -> None:
        self.steps = {"survey": survey, "subject": by_subject, "texts": by_texts, "plain": plain}

    async def came(self, event_id: int, *, reverted: bool = False) -> tuple[int, int]:
        m = await member()
        start = datetime(2026, 1, 1, tzinfo=UTC)
        r = await rsvp(event_id, m, created=start, confirmed=start)
        await admit(event_id, r, m, start, reverted=reverted)
        return m, r

    async def sent(self, event_id: int, who: tuple[int, int], step: str,
                   status: ScheduleStatus = ScheduleStatus.sent) -> None:
        m, r = who
        await ScheduledReminder.insert(ScheduledReminder(
            schedule_key=f"{r}:{self.steps[step]}", rsvp=r, event=event_id, member=m, step=self.steps[step],
            channel="email", due_at=WHEN, event_version=1, status=status.value, created_at=WHEN, updated_at=WHEN))

    async def answered(self, event_id: int, who: tuple[int, int], score: int = 9) -> None:
        m, r = who
        await SurveyAnswer.insert(SurveyAnswer(event=event_id, member=m, rsvp=r, answer_key=f"{event_id}:{m}",
                                               score=score, answered_at=WHEN))


async def _scene() -> dict[str, int]:
    s = Scene(await _step("How was it? {survey_link}"), await _step("Thank you", subject="{survey_link}"),
              await _step("Thank you", texts='{"zh_Hans": {"subject": "", "template": "{survey_link}"}}'),
              await _step("See you at the next salon"))
    # Salon A (10 December): m1..m4 came, m5's admission was undone. The survey went to m1 (by two
    # steps: once), m2, m3 and m5; m4's failed, and m4 got only a plain step. m1 and m2 answered.
    # → 4 came, 3 sent, 2 answered.
    a = await event(datetime(2026, 12, 10, 18, tzinfo=UTC), title="Salon A")
    m1, m2, m3, m4 = [await s.came(a) for _ in range(4)]
    m5 = await s.came(a, reverted=True)
    for who, step in ((m1, "survey"), (m1, "subject"), (m2, "survey"), (m3, "survey"), (m5, "survey"), (m4, "plain")):
        await s.sent(a, who, step)
    await s.sent(a, m4, "texts", ScheduleStatus.failed)
    await s.answered(a, m1)
    await s.answered(a, m2, 4)
    # Salon B (February): both who came were sent it, by its subject and by its Chinese text; both answered.
    b = await event(datetime(2026, 2, 5, 18, tzinfo=UTC), title="Salon B")
    for step in ("subject", "texts"):
        who = await s.came(b)
        await s.sent(b, who, step)
        await s.answered(b, who)
    # Trip T (November): one came and was sent it, no answer.
    t = await event(datetime(2026, 11, 3, 8, tzinfo=UTC), kind=EventKind.trip, title="Trip T")
    await s.sent(t, await s.came(t), "survey")
    # Salon C, cancelled, and salon D with no survey sent: in no figure.
    c = await event(datetime(2026, 12, 12, 18, tzinfo=UTC), status=EventStatus.cancelled, title="Salon C")
    await s.sent(c, await s.came(c), "survey")
    d = await event(datetime(2026, 12, 14, 18, tzinfo=UTC), title="Salon D")
    await s.came(d)
    return {"a": a, "b": b, "t": t}


async def test_each_events_response_rate() -> None:
    e = await _scene()
    found = await events_responses(Period(date(2026, 1, 1), date(2026, 12, 31), "UTC"))
    assert [(f.event_id, f.attended, f.sent, f.answered, f.response_rate) for f in found] == [
        (e["b"], 2, 2, 2, 1.0), (e["t"], 1, 1, 0, 0.0), (e["a"], 4, 3, 2, 2 / 3)]
    december = await events_responses(Period(date(2026, 12, 1), date(2026, 12, 31), "UTC"))
    assert [f.title for f in december] == ["Salon A"]


async def test_per_kind_and_quarter() -> None:
    await _scene()
    year = await year_responses(2026, "UTC")
    q = {x.quarter: x for x in year.quarters}
    assert (q[1].attended, q[1].sent, q[1].answered, q[1].response_rate) == (2, 2, 2, 1.0)
    assert (q[2].sent, q[2].response_rate, q[2].kinds) == (0, None, [])
    assert (q[4].attended, q[4].sent, q[4].answered, q[4].response_rate) == (5, 4, 2, 0.5)
    assert [(k.kind, k.sent, k.answered) for k in q[4].kinds] == [(EventKind.salon, 3, 2), (EventKind.trip, 1, 0)]
    assert (year.total.attended, year.total.sent, year.total.answered, year.total.response_rate) == (7, 6, 4, 4 / 6)
    assert (q[4].first, q[4].last) == (date(2026, 10, 1), date(2026, 12, 31))
