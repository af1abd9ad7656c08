"""The console's call list (/console/calls): the concierge calls due now with the member's
language, phone, appointment and script, and a form to record how each went; who has still not
been reached the day before their appointment; the calls coming up and today's done ones.

Notes are the coordinator's words about a member: they are shown on these pages only, never
written to a log, and the audit record of an outcome names the outcome, never the note.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import msgspec
from babel.dates import get_timezone_location
from litestar import Request, get, post
from litestar.params import Parameter
from litestar.response import Redirect, Template
from msgspec import inspect

from club import clock
from club.audit import ActionKind, record
from club.auth import principal_of
from club.db import write_transaction
from club.errors import DomainError, Said, said_text
from club.i18n.catalogs import N_
from club.i18n.http import request_language
from club.settings import Settings
from club.web.console import console_page
from events.reminders.call_board import calls_done_since, calls_due, calls_later, record_call, unreached_on
from events.reminders.console_sequences import language_name
from events.reminders.schemas import CallOutcomeIn
from events.reminders.sequence_form import field_problem, path_of
from events.reminders.tables import CallOutcome

__all__ = ["CALL", "CALLS", "CALL_PAGES", "OUTCOME_LABELS", "calls_path"]

CALLS = "/console/calls"
CALL = "/console/calls/{task_id:int}"

OUTCOME_LABELS: dict[CallOutcome, tuple[str, str]] = {
    CallOutcome.reached: (N_("Reached"), "good"),
    CallOutcome.voicemail: (N_("Voicemail left"), "warn"),
    CallOutcome.no_answer: (N_("No answer"), "bad"),
}
_DONE = {
    CallOutcome.reached.value: N_("Recorded: the member was reached."),
    CallOutcome.voicemail.value: N_("Recorded: a voicemail was left."),
    CallOutcome.no_answer.value: N_("Recorded: no answer. The call comes back on the list at the time you chose."),
}
# A no answer's call again, unless the coordinator picks another time.
_RETRY_AFTER = timedelta(hours=2)
_RETRY_BOUNDS = next(f.type for f in inspect.type_info(CallOutcomeIn).fields if f.name == "retry_in_minutes")  # type: ignore[attr-defined]


def calls_path(day: date | None = None) -> str:
    return f"{CALLS}?day={day.isoformat()}" if day else CALLS


@dataclass
class Sent:
    """What a refused outcome form held, kept to show it back beside its call."""

    task_id: int
    outcome: str
    note: str
    retry_at: str
    problems: dict[str, str]


def _local_input(instant: datetime, zone: str) -> str:
    """An instant as a datetime-local input's value on the clock of `zone`."""
    return instant.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def _minutes_until(text: str, zone: str, now: datetime) -> int | None:
    """A datetime-local value on the club's clock as whole minutes from now (rounded up)."""
    try:
        at = datetime.fromisoformat(text.strip()).replace(tzinfo=ZoneInfo(zone))
    except ValueError:
        return None
    return math.ceil((at - now).total_seconds() / 60)


async def _calls_page(
    request: Request[Any, Any, Any], settings: Settings, day: date | None = None, *, done: str = "",
    sent: Sent | None = None, status_code: int = 200,
) -> Template:
    me = principal_of(request)
    now = clock.now()
    zone = settings.club_time_zone
    today = clock.today(zone)
    day = day or today + timedelta(days=1)
    start_of_today = datetime.combine(today, time(0), tzinfo=ZoneInfo(zone))
    due = await calls_due(me, now)
    return console_page(
        request, "reminders/console_calls.html", status_code=status_code, reader_zone=zone,
        due=due, later=await calls_later(me, now),
        # A refused outcome is said beside its call; a call no longer listed has it said above the list.
        sent_shown=sent is not None and any(c.id == sent.task_id for c in due),
        done_today=await calls_done_since(me, start_of_today), unreached=await unreached_on(me, day, zone),
        day=day, tomorrow=today + timedelta(days=1), now=now, zone=zone,
        club_city=get_timezone_location(ZoneInfo(zone), locale=request_language(request).value, return_city=True),
        retry_default=_local_input(now + _RETRY_AFTER, zone), outcomes=OUTCOME_LABELS,
        language_name=language_name,
        done=_DONE.get(done, ""), sent=sent,
    )


@get(CALLS, name="console-calls")
async def calls_page(
    request: Request[Any, Any, Any], settings: Settings, day: date | None = None,
    done: Annotated[str, Parameter(max_length=20)] = "",
) -> Template:
    return await _calls_page(request, settings, day, done=done)


@post(CALL, name="console-call-outcome", status_code=303)
async def record_call_page(request: Request[Any, Any, Any], settings: Settings, task_id: int) -> Redirect | Template:
    """How a call went, read as the API reads a CallOutcomeIn; a refusal is the list again with
    the reason beside the field and what was typed kept."""
    form = await request.form()
    fields = {key: str(form.get(key)) for key in form}
    language = request_language(request)
    now = clock.now()
    sent = Sent(task_id, fields.get("outcome", ""), fields.get("note", "").strip(), fields.get("retry_at", ""), {})
    body: dict[str, Any] = {"outcome": sent.outcome, "note": sent.note}
    if sent.outcome == CallOutcome.no_answer.value:
        minutes = _minutes_until(sent.retry_at, settings.club_time_zone, now)
        if minutes is None:
            sent.problems["retry_at"] = said_text(language, Said(N_("Please give the day and time to call again.")))
        else:
            body["retry_in_minutes"] = minutes
    if not sent.problems:
        try:
            outcome = msgspec.convert(body, CallOutcomeIn, strict=False)
        except msgspec.ValidationError as exc:
            name = path_of(exc)
            if name == "retry_in_minutes":
                said = Said(N_("Please choose a time from {low} minutes to {high} days from now."),
                            {"low": _RETRY_BOUNDS.ge, "high": _RETRY_BOUNDS.le // (24 * 60)})
                sent.problems["retry_at"] = said_text(language, said)
            else:
                sent.problems[name or "outcome"] = said_text(language, field_problem(exc, CallOutcomeIn, name))
    if sent.problems:
        return await _calls_page(request, settings, sent=sent, status_code=400)
    me = principal_of(request)
    try:
        async with write_transaction():
            task = await record_call(task_id, outcome.outcome, outcome.note, outcome.retry_in_minutes, me)
            again = f", again in {outcome.retry_in_minutes} min" if outcome.outcome == CallOutcome.no_answer else ""
            # The outcome only: a note may hold what the member said of their health.
            await record(me, ActionKind.call_recorded, event_id=task.event, member_id=task.member,
                         detail=f"call #{task_id}: {outcome.outcome.value}{again}")
    except DomainError as refusal:
        sent.problems["outcome"] = refusal.detail_in(language)
        return await _calls_page(request, settings, sent=sent, status_code=refusal.status_code)
    return Redirect(f"{CALLS}?done={outcome.outcome.value}", status_code=303)


CALL_PAGES: list[Any] = [calls_page, record_call_page]
