"""The console's lists of an event (/console/events/{id}/attendees): the attendees in the order
their seats were given and the waitlist in promotion order, each with why it stands there and
its check-in; live while the doors are open (a small poll, answered 304 while nothing changed);
a check-in by hand with a reason, and its undo; invitations to an invitation-only event; the
lists as CSV and .xlsx. And the member's attendance and no-shows on their console page.

It lives in checkin, above events, because the lists show who came through the door. Every
list and change is the API's own service (events.attendees, events.waitlist, events.catalog's
invitations, events.export, checkin.scanning's revert) or the door's admission
(checkin.by_hand); each change is recorded (club.audit) in its own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import msgspec
from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from checkin.attendee_lists import Admission, admissions, changes_since, live_stamp, no_show_rsvps
from checkin.by_hand import ByHand, ByHandIn, check_in_by_hand
from checkin.console_conflicts import conflict_lines, time_at_gate
from checkin.console_today import today_events_fragment, today_events_section
from checkin.rows import CheckInToRevert
from checkin.rules import CHECKIN_CLOSES_AFTER, CHECKIN_OPENS_BEFORE, ScanResult
from checkin.scanning import revert_check_in
from checkin.schemas import RevertIn
from checkin.tables import CheckIn, NoShow
from club import clock
from club.audit import ActionKind, record
from club.auth import principal_of
from club.db import write_transaction
from club.downloads import CSV, XLSX
from club.errors import Conflict, DomainError, NotFound, said_text
from club.i18n.catalogs import N_, gettext
from club.i18n.formats import date_time_text
from club.i18n.http import request_language
from club.i18n.languages import Language
from club.referrals import ReferralPolicy
from club.rows import Row, row_as, rows_as
from club.settings import Settings
from club.web.console import CONSOLE, club_zone, console_page
from club.web.console_forms import named_members
from club.web.console_panels import MemberPanel
from club.web.forms import FORM
from events.attendees import attendees
from events.catalog import invite_members, list_invitations, load_listable_event
from events.export import attendees_sheet, waitlist_sheet
from events.routes import sheet_download
from events.rows import EventRow
from events.rules import position_reason_text
from events.schemas import AttendeeOut, InvitationsIn, WaitlistEntryOut
from events.tables import EventStatus, Invitation, Rsvp
from events.waitlist import waitlist_entries

__all__ = ["CONSOLE_PAGES", "LISTS", "MEMBER_PANELS", "TODAY_SECTIONS", "lists_path"]

LISTS = f"{CONSOLE}/events/{{event_id:int}}/attendees"
LIVE = f"{LISTS}/live"
CHECK_IN = f"{LISTS}/{{rsvp_id:int}}/check-in"
UNDO = f"{CONSOLE}/events/{{event_id:int}}/check-ins/{{check_in_id:int}}/undo"
INVITE = f"{CONSOLE}/events/{{event_id:int}}/invitations"
ATTENDEES_CSV = f"{CONSOLE}/events/{{event_id:int}}/attendees.csv"
ATTENDEES_XLSX = f"{CONSOLE}/events/{{event_id:int}}/attendees.xlsx"
WAITLIST_CSV = f"{CONSOLE}/events/{{event_id:int}}/waitlist.csv"
WAITLIST_XLSX = f"{CONSOLE}/events/{{event_id:int}}/waitlist.xlsx"
T = TypeVar("T")
# The live view asks this often while the doors are open (the page's script).
POLL_MS = 2500
# What a notice after a change may say (?done=…).
_DONE = ("checked_in", "undone", "invited")


def lists_path(event_id: int) -> str:
    return f"{CONSOLE}/events/{event_id}/attendees"


@dataclass(frozen=True, slots=True)
class AttendeeLine:
    """One confirmed RSVP as the list shows it: who, their tier in words, why they hold a seat,
    their check-in."""

    position: int
    attendee: AttendeeOut
    tier: str
    why: str
    admission: Admission | None
    no_show: bool


@dataclass(frozen=True, slots=True)
class WaitingLine:
    entry: WaitlistEntryOut
    tier: str
    why: str


class ListTimes:
    """`date_time_text` for the many instants of one list, on one place's clock: each local day is
    written once and its clock time filled in, since Babel's formatting is most of the cost of
    drawing 5,000 rows. The same words as `date_time_text`, which it falls back to whenever a day
    does not write its midnight as 00:00 (a zone whose clocks skip it)."""

    def __init__(self, language: Language, zone: str, reader_zone: str) -> None:
        self.language, self.zone_name, self.reader_zone = language, zone, reader_zone
        self.zone = ZoneInfo(zone)
        self.days: dict[date, str] = {}

    def __call__(self, instant: datetime) -> str:
        local = instant.astimezone(self.zone)
        day = local.date()
        sample = self.days.get(day)
        if sample is None:
            midnight = datetime(day.year, day.month, day.day, tzinfo=self.zone)
            sample = self.days[day] = date_time_text(midnight, self.zone_name, self.language, self.reader_zone)
        if sample.count("00:00") != 1:
            return date_time_text(instant, self.zone_name, self.language, self.reader_zone)
        return sample.replace("00:00", local.strftime("%H:%M"))


def _tier_words(language: Language) -> Any:
    words: dict[str | None, str] = {None: gettext(language, "no tier")}

    def tier(name: str | None) -> str:
        if name not in words:
            words[name] = gettext(language, name)  # type: ignore[arg-type]  # None is filled above
        return words[name]

    return tier


def admission_text(language: Language, admission: Admission, zone: str) -> str:
    """A check-in in a few words: its time on the venue's clock, and the gate or "by hand"."""
    if admission.by_hand:
        at = admission.at.astimezone(ZoneInfo(zone)).strftime("%H:%M")
        return gettext(language, "{time} · by hand", time=at)
    return time_at_gate(language, admission.at, admission.gate, zone)


def _seat_why(language: Language, a: AttendeeOut, times: ListTimes) -> str:
    if a.confirmed_at is None:
        return ""
    if a.promoted:
        return gettext(language, "Moved up from the waitlist on {when}", when=times(a.confirmed_at))
    return gettext(language, "Confirmed on {when}", when=times(a.confirmed_at))


def _waiting_why(language: Language, event: EventRow, w: WaitlistEntryOut, times: ListTimes) -> str:
    """The waitlist's own reason (events.rules.position_reason_text, under the event's policy now),
    its time on the venue's clock as the coordinator reads times."""
    said = position_reason_text(event.waitlist_policy, w.tier_at_join, w.tier_rank_at_join, w.joined_at)
    return said_text(language, said._replace(values={**said.values, "joined": times(w.joined_at)}))


def door_state(event: EventRow, now: datetime) -> str:
    """"open" while the door admits (checkin.rules' hours: the list then follows it live),
    "before" or "after" those hours, "none" for an event that is not published."""
    if event.status != EventStatus.published:
        return "none"
    if now < event.starts_at - CHECKIN_OPENS_BEFORE:
        return "before"
    return "open" if now <= event.ends_at + CHECKIN_CLOSES_AFTER else "after"


# The lists are drawn a page at a time: 5,000 rows are several megabytes that no one reads
# whole; a coordinator finds a member by name, address or phone, or pages on.
PAGE_ROWS = 250


@dataclass(frozen=True, slots=True)
class Window:
    """Which rows a page of the lists shows: those matching `q` (a part of a name, an address or
    a phone, as typed), `PAGE_ROWS` at a time after RSVP `a` of the attendees and `w` of the
    waitlist (a keyset: a row joining or leaving earlier in the list moves no page's start)."""

    q: str = ""
    a: int = 0
    w: int = 0

    def query(self, **changes: Any) -> str:
        """This window's address parameters, with `changes`."""
        values = {"q": self.q, "a": self.a, "w": self.w, **changes}
        return urlencode({k: v for k, v in values.items() if v})


def _matches(q: str, *fields: str | None) -> bool:
    return not q or q in " ".join(f for f in fields if f).casefold()


def _paged(rows: list[T], rsvp_of: Any, after: int) -> tuple[int, list[T], int]:
    """(where the page starts, its rows, the RSVP the next page starts after, or 0 at the end)."""
    start = next((i + 1 for i, r in enumerate(rows) if rsvp_of(r) == after), 0) if after else 0
    shown = rows[start:start + PAGE_ROWS]
    return start, shown, rsvp_of(shown[-1]) if shown and start + PAGE_ROWS < len(rows) else 0


async def _lists_values(request: Request[Any, Any, Any], event: EventRow, window: Window) -> dict[str, Any]:
    """Everything the lists show, read in an order that never misses a change: the stamp first,
    so a change landing while the lists are read makes the next poll ask again."""
    me = principal_of(request)
    language = request_language(request)
    reader_zone = club_zone(request)
    stamp = await live_stamp(event.id)
    assert stamp is not None
    seated = await attendees(event.id, me)
    waiting = await waitlist_entries(event.id, event.waitlist_policy, me, language)
    admitted, last = await admissions(event.id)
    missed = await no_show_rsvps(event.id)
    zone = event.venue_time_zone
    times, tier = ListTimes(language, zone, reader_zone), _tier_words(language)
    q = " ".join(window.q.split()).casefold()
    # Positions are the whole list's: a match on page 3 still says where it stands.
    found = [(i, a) for i, a in enumerate(seated, start=1) if _matches(q, a.member_name, a.email, a.phone)]
    a_start, a_page, a_next = _paged(found, lambda r: r[1].rsvp_id, window.a)
    queue = [w for w in waiting if _matches(q, w.member_name)]
    w_start, w_page, w_next = _paged(queue, lambda w: w.rsvp_id, window.w)
    now = clock.now()
    return {
        "event": event, "window": window,
        "lines": [
            AttendeeLine(i, a, tier(a.tier), _seat_why(language, a, times), admitted.get(a.rsvp_id), a.rsvp_id in missed)
            for i, a in a_page
        ],
        "waiting": [WaitingLine(w, tier(w.tier_at_join), _waiting_why(language, event, w, times)) for w in w_page],
        "confirmed": len(seated), "waitlisted": len(waiting), "found": len(found), "queued": len(queue),
        "a_start": a_start, "a_next": a_next, "w_start": w_start, "w_next": w_next,
        "stamp": stamp, "last": last, "door_state": door_state(event, now),
        "opens_at": event.starts_at - CHECKIN_OPENS_BEFORE,
        "checked_in": sum(1 for a in seated if a.rsvp_id in admitted),
        "seats": sum(a.seats for a in seated),
        "no_shows": len(missed),
        "admission_text": lambda admission: admission_text(language, admission, zone),
        "reader_zone": reader_zone, "lists_path": lists_path(event.id),
    }


async def _invited(event: EventRow) -> list[Any]:
    return await list_invitations(event.id) if _invites_here(event) else []


def _invites_here(event: EventRow) -> bool:
    """An invitation-only event of events' own: a show invites by seat category on its own page."""
    return event.invitation_only and event.booked_through is None


async def _lists_page(
    request: Request[Any, Any, Any], event_id: int, *, status_code: int = 200, done: str = "", done_n: int = 0,
    invite_error: str = "", invite_value: str = "", window: Window | None = None,
) -> Template:
    event = await load_listable_event(event_id, principal_of(request))
    values = await _lists_values(request, event, window or Window())
    return console_page(
        request, "checkin/console_lists.html", status_code=status_code, **values,
        invitations=await _invited(event), invites_here=_invites_here(event),
        conflicts=await conflict_lines(event.id, request_language(request), event.venue_time_zone),
        done=done if done in _DONE else "", done_n=done_n, invite_error=invite_error, invite_value=invite_value,
        poll_ms=POLL_MS, now_ms=_ms(clock.now()), opens_ms=_ms(event.starts_at - CHECKIN_OPENS_BEFORE),
        closes_ms=_ms(event.ends_at + CHECKIN_CLOSES_AFTER),
    )


def _ms(instant: datetime) -> int:
    return int(instant.timestamp() * 1000)


@get(LISTS, name="console-lists")
async def lists_page(
    request: Request[Any, Any, Any], event_id: int, done: str = "", n: int = 0, part: str = "",
    q: str = "", a: int = 0, w: int = 0,
) -> Template:
    window = Window(q[:100], max(0, a), max(0, w))
    if part == "lists":
        # The live view draws the lists again when someone joined, left or moved up.
        event = await load_listable_event(event_id, principal_of(request))
        return console_page(request, "checkin/console_lists_part.html", **await _lists_values(request, event, window))
    return await _lists_page(request, event_id, done=done, done_n=max(0, min(n, 500)), window=window)


@get(LIVE, name="console-lists-live")
async def lists_live(request: Request[Any, Any, Any], event_id: int, after: int = 0) -> Response[Any]:
    """The poll: 304 while the lists are as the page drew them (one query); else the counts, the
    check-ins since `after` and the undone ones, each check-in's words in the reader's language."""
    event = await load_listable_event(event_id, principal_of(request))
    stamp = await live_stamp(event_id)
    if stamp is None:
        raise NotFound("Event {event_id} does not exist.", text_values={"event_id": event_id})
    headers = {"ETag": stamp.tag, "Cache-Control": "no-store"}
    if request.headers.get("if-none-match") == stamp.tag:
        return Response(b"", status_code=304, headers=headers)
    language = request_language(request)
    changes = await changes_since(event_id, max(0, after))
    body = {
        "rsvps": stamp.rsvps, "checked_in": stamp.checked_in, "confirmed": stamp.confirmed,
        "waitlisted": stamp.waitlisted, "last": changes.last, "undone": changes.undone,
        "admitted": [
            {"rsvp": a.rsvp_id, "check_in": a.check_in_id, "text": admission_text(language, a, event.venue_time_zone),
             "note": f"{a.reason} — {a.by_name}" if a.by_hand else ""}
            for a in changes.admitted
        ],
    }
    return Response(body, headers=headers, media_type="application/json")


# --- a check-in by hand -------------------------------------------------------------------


class ReasonForm(msgspec.Struct):
    reason: str = ""


class _SeatRow(Row, frozen=True):
    id: int
    event: int
    member: int
    member_name: str
    status: str
    guests: int


async def _seat(event_id: int, rsvp_id: int) -> _SeatRow:
    found = await Rsvp.select(
        Rsvp.id, Rsvp.event, Rsvp.member, Rsvp.member.name.as_alias("member_name"), Rsvp.status, Rsvp.guests,
    ).where(Rsvp.id == rsvp_id).first()
    if found is None or found["event"] != event_id:
        raise NotFound("RSVP {rsvp_id} does not exist.", text_values={"rsvp_id": rsvp_id})
    return row_as(_SeatRow, found)


# The door's answer when it does not admit, as the console says it to a coordinator.
_REFUSALS: dict[ScanResult, str] = {
    ScanResult.already_checked_in: N_("{name} is checked in already."),
    ScanResult.not_confirmed: N_("{name} is on the waitlist: only a confirmed seat can be checked in."),
    ScanResult.cancelled: N_("This RSVP or its event is cancelled: nobody can be checked in on it."),
    ScanResult.suspended: N_("{name}'s membership is suspended: no check-in until the club reactivates it."),
    ScanResult.not_open: N_("Check-in has not opened yet: it opens 3 hours before the start."),
    ScanResult.closed: N_("Check-in has closed."),
}


def refusal_text(language: Language, result: ScanResult, detail: str, name: str) -> str:
    said = _REFUSALS.get(result)
    return gettext(language, said, name=name) if said else gettext(language, detail)


def _reason_problem(language: Language) -> str:
    return gettext(language, "Please give a reason of at least 3 characters (at most 500).")


async def _check_in_page(
    request: Request[Any, Any, Any], event_id: int, rsvp_id: int, *, status_code: int = 200,
    reason: str = "", error: str = "", refusal: str = "",
) -> Template:
    event = await load_listable_event(event_id, principal_of(request))
    seat = await _seat(event_id, rsvp_id)
    admitted, _ = await admissions(event_id)
    return console_page(
        request, "checkin/console_check_in.html", status_code=status_code, event=event, seat=seat,
        admission=admitted.get(rsvp_id), reason=reason, error=error, refusal=refusal,
        lists_path=lists_path(event_id),
        admission_text=lambda a: admission_text(request_language(request), a, event.venue_time_zone),
    )


@get(CHECK_IN, name="console-check-in")
async def check_in_form(request: Request[Any, Any, Any], event_id: int, rsvp_id: int) -> Template:
    return await _check_in_page(request, event_id, rsvp_id)


@post(CHECK_IN, status_code=303)
async def check_in_post(
    request: Request[Any, Any, Any], event_id: int, rsvp_id: int, data: Annotated[ReasonForm, FORM]
) -> Redirect | Template:
    me = principal_of(request)
    language = request_language(request)
    reason = " ".join(data.reason.split())
    try:
        form = msgspec.convert({"reason": reason}, ByHandIn)
    except msgspec.ValidationError:
        return await _check_in_page(request, event_id, rsvp_id, status_code=400, reason=data.reason,
                                    error=_reason_problem(language))
    await load_listable_event(event_id, me)
    settings: Settings = request.app.state.settings
    seat = await _seat(event_id, rsvp_id)
    async with write_transaction():
        answer = await check_in_by_hand(ByHand(event_id, rsvp_id, me, ReferralPolicy.of(settings)))
        if answer.result is ScanResult.admitted:
            await record(me, ActionKind.checked_in_by_hand, event_id=event_id, member_id=seat.member, detail=form.reason)
    if answer.result is not ScanResult.admitted:
        # The door's own answer (already in, on the waitlist, closed…): nothing was written.
        return await _check_in_page(request, event_id, rsvp_id, status_code=409, reason=data.reason,
                                    refusal=refusal_text(language, answer.result, answer.detail, seat.member_name))
    return Redirect(f"{lists_path(event_id)}?done=checked_in#rsvp-{rsvp_id}", status_code=303)


# --- undoing a check-in ---------------------------------------------------------------------


class _UndoRow(CheckInToRevert, frozen=True):
    event: int
    checked_in_at: datetime
    gate: str
    member_name: str


async def _check_in_of(event_id: int, check_in_id: int) -> _UndoRow:
    found = await CheckIn.select(
        CheckIn.id, CheckIn.rsvp, CheckIn.member, CheckIn.points, CheckIn.reverted_at, CheckIn.event,
        CheckIn.checked_in_at, CheckIn.gate, CheckIn.member.name.as_alias("member_name"),
    ).where(CheckIn.id == check_in_id).first()
    if found is None or found["event"] != event_id:
        raise NotFound("Check-in {check_in_id} does not exist.", text_values={"check_in_id": check_in_id})
    return row_as(_UndoRow, found)


async def _undo_page(
    request: Request[Any, Any, Any], event_id: int, check_in_id: int, *, status_code: int = 200,
    reason: str = "", error: str = "", refusal: str = "",
) -> Template:
    event = await load_listable_event(event_id, principal_of(request))
    check_in = await _check_in_of(event_id, check_in_id)
    admitted, _ = await admissions(event_id)
    shown = admitted.get(check_in.rsvp)
    admission = shown if shown is not None and shown.check_in_id == check_in_id else None
    language = request_language(request)
    return console_page(
        request, "checkin/console_undo.html", status_code=status_code, event=event, check_in=check_in,
        admission=admission, reason=reason, error=error, refusal=refusal, lists_path=lists_path(event_id),
        admission_text=lambda a: admission_text(language, a, event.venue_time_zone),
    )


@get(UNDO, name="console-undo-check-in")
async def undo_form(request: Request[Any, Any, Any], event_id: int, check_in_id: int) -> Template:
    return await _undo_page(request, event_id, check_in_id)


@post(UNDO, status_code=303)
async def undo_post(
    request: Request[Any, Any, Any], event_id: int, check_in_id: int, data: Annotated[ReasonForm, FORM]
) -> Redirect | Template:
    me = principal_of(request)
    language = request_language(request)
    reason = " ".join(data.reason.split())
    try:
        form = msgspec.convert({"reason": reason}, RevertIn)  # the API's own body
    except msgspec.ValidationError:
        return await _undo_page(request, event_id, check_in_id, status_code=400, reason=data.reason,
                                error=_reason_problem(language))
    await load_listable_event(event_id, me)
    check_in = await _check_in_of(event_id, check_in_id)
    try:
        async with write_transaction():
            undone = await revert_check_in(check_in_id, form.reason, me)
            detail = form.reason if not undone.points_reversed else f"{form.reason} (−{undone.points_reversed})"
            await record(me, ActionKind.check_in_undone, event_id=event_id, member_id=check_in.member, detail=detail)
    except Conflict as refused:  # undone already (by another coordinator a moment ago)
        return await _undo_page(request, event_id, check_in_id, status_code=409, reason=data.reason,
                                refusal=refused.detail_in(language))
    return Redirect(f"{lists_path(event_id)}?done=undone#rsvp-{check_in.rsvp}", status_code=303)


# --- invitations ----------------------------------------------------------------------------

class InviteForm(msgspec.Struct):
    members: str = ""


@post(INVITE, status_code=303)
async def invite_post(request: Request[Any, Any, Any], event_id: int, data: Annotated[InviteForm, FORM]) -> Redirect | Template:
    me = principal_of(request)
    language = request_language(request)
    event = await load_listable_event(event_id, me)
    if not _invites_here(event):
        raise Conflict("Members are invited here to invitation-only events; a show invites on its own page.")
    ids, problem = await named_members(data.members, language)
    if not problem:
        try:
            form = msgspec.convert({"member_ids": ids}, InvitationsIn)  # the API's own body
        except msgspec.ValidationError:
            problem = gettext(language, "Name at least one member, and at most 500 at once.")
    if problem:
        return await _lists_page(request, event_id, status_code=400, invite_error=problem, invite_value=data.members)
    try:
        async with write_transaction():
            before = {r["member"] for r in await Invitation.select(Invitation.member).where(Invitation.event == event_id)}
            await invite_members(event_id, form.member_ids, me.user_id)
            fresh = sorted(set(form.member_ids) - before)
            for member_id in fresh:
                await record(me, ActionKind.member_invited, event_id=event_id, member_id=member_id)
    except DomainError as refused:  # no such members, a cancelled event: the API's own refusal
        return await _lists_page(request, event_id, status_code=refused.status_code,
                                 invite_error=refused.detail_in(language), invite_value=data.members)
    return Redirect(f"{lists_path(event_id)}?done=invited&n={len(fresh)}#invitations", status_code=303)


# --- exports: the API's files, for the console's session ------------------------------------


@get(ATTENDEES_CSV, name="console-attendees-csv")
async def attendees_csv(request: Request[Any, Any, Any], event_id: int) -> Response[bytes]:
    return await sheet_download(request, event_id, attendees_sheet, "attendees", CSV)


@get(ATTENDEES_XLSX, name="console-attendees-xlsx")
async def attendees_xlsx(request: Request[Any, Any, Any], event_id: int) -> Response[bytes]:
    return await sheet_download(request, event_id, attendees_sheet, "attendees", XLSX)


@get(WAITLIST_CSV, name="console-waitlist-csv")
async def waitlist_csv(request: Request[Any, Any, Any], event_id: int) -> Response[bytes]:
    return await sheet_download(request, event_id, waitlist_sheet, "waitlist", CSV)


@get(WAITLIST_XLSX, name="console-waitlist-xlsx")
async def waitlist_xlsx(request: Request[Any, Any, Any], event_id: int) -> Response[bytes]:
    return await sheet_download(request, event_id, waitlist_sheet, "waitlist", XLSX)


# --- a member's attendance, on their console page ------------------------------------------


class _AttendedRow(Row, frozen=True):
    event: int
    title: str
    starts_at: datetime
    venue_time_zone: str
    checked_in_at: datetime


class _MissedRow(Row, frozen=True):
    event: int
    title: str
    starts_at: datetime
    venue_time_zone: str


async def attendance_panel(request: Request[Any, Any, Any], member_id: int) -> MemberPanel | None:
    """Events the member came to (a standing check-in) and those they missed (a no-show), latest first."""
    came = rows_as(_AttendedRow, await CheckIn.select(
        CheckIn.event, CheckIn.event.title.as_alias("title"), CheckIn.event.starts_at.as_alias("starts_at"),
        CheckIn.event.venue_time_zone.as_alias("venue_time_zone"), CheckIn.checked_in_at,
    ).where((CheckIn.member == member_id) & CheckIn.reverted_at.is_null()).order_by(CheckIn.checked_in_at, ascending=False))
    attended: dict[int, _AttendedRow] = {}
    for row in came:  # a trip's legs each admit: one line per event
        attended[row.event] = row
    missed = rows_as(_MissedRow, await NoShow.select(
        NoShow.event, NoShow.event.title.as_alias("title"), NoShow.event.starts_at.as_alias("starts_at"),
        NoShow.event.venue_time_zone.as_alias("venue_time_zone"),
    ).where(NoShow.member == member_id).order_by(NoShow.event.starts_at, ascending=False))
    ordered = sorted(attended.values(), key=lambda r: r.starts_at, reverse=True)
    return MemberPanel("checkin/console_member_panel.html", order=30, values={
        "attended": ordered[:20], "attended_count": len(ordered), "missed": missed[:20], "missed_count": len(missed),
        "lists_path": lists_path,
    })


CONSOLE_PAGES: list[Any] = [
    lists_page, lists_live, check_in_form, check_in_post, undo_form, undo_post, invite_post,
    attendees_csv, attendees_xlsx, waitlist_csv, waitlist_xlsx,
    today_events_fragment,  # the counts Today's events poll (checkin.console_today)
]
TODAY_SECTIONS: list[Any] = [today_events_section]
# Its parts of a member's page in the console (club.web.console_members).
MEMBER_PANELS: list[Any] = [attendance_panel]
