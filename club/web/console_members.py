"""The console's members (issue 15): find a member by name, phone, e-mail address and tier; a
member's page (tier, points, the ledger, what the domains above the club know of them, their
signed-in browsers and the record of changes); enrol, edit, suspend and reactivate, adjust points
with a written reason, end a session.

Every change calls the service the API calls (club.members, club.points, club.web.sessions) and
notes it with `club.audit.record` inside the same write transaction: the change and its record
land together or not at all. Forms are read with the API's own request types (club.web.console_forms),
so a field the API would refuse is named next to that field, with the values sent kept.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import msgspec
import phonenumbers
from babel.dates import format_date, get_timezone_location
from litestar import Request, get, post
from litestar.params import Parameter
from litestar.response import Redirect, Template

from club import clock
from club.audit import ACTION_LABELS, ActionKind, actions_for_member, record
from club.auth import principal_of
from club.bounds import INT32_MAX
from club.db import write_transaction
from club.errors import DomainError
from club.honours.next_tier import next_tiers_of
from club.i18n.catalogs import N_, gettext
from club.i18n.http import request_language
from club.i18n.languages import Language
from club.ledger import entries_of
from club.member_search import search_members
from club.members import create_member, get_member, set_status, update_member
from club.points import adjust
from club.referrals import ReferralPolicy
from club.schemas import AdjustmentIn, MemberCreate, MemberOut, MemberUpdate
from club.settings import Settings
from club.tables import Member, MemberStatus
from club.tiers import load_ladder
from club.web.console import CONSOLE, console_page
from club.web.console_forms import read_form, refusal_field, whole_number
from club.web.console_panels import member_panels
from club.web.forms import FORM
from club.web.points_page import REASON_LABELS
from club.web.sessions import list_sessions, revoke_session

__all__ = ["CONSOLE_MEMBER_PAGES", "MEMBERS", "member_path", "phone_text"]

MEMBERS = f"{CONSOLE}/members"
NEW_MEMBER = f"{MEMBERS}/new"
MEMBER = f"{MEMBERS}/{{member_id:int}}"
LEDGER_PER_PAGE = 20

# The club's languages by their own names (as the member's preferences page offers them).
LANGUAGES: tuple[tuple[str, str], ...] = (("zh-Hans", "简体中文"), ("zh-Hant", "繁體中文"), ("en", "English"))
# Offered as the time zone's suggestions; any IANA name may be typed.
ZONES: tuple[str, ...] = (
    "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Macau", "Asia/Taipei", "Asia/Tokyo", "Asia/Seoul", "Asia/Singapore",
    "Asia/Dubai", "Europe/Paris", "Europe/London", "Europe/Zurich", "America/New_York", "America/Los_Angeles",
)

# What the API's refusal of each field means for the person filling the form.
_MEMBER_MESSAGES: dict[str, str] = {
    "name": N_("Please write the member's name (up to 200 characters)."),
    "email": N_("Please write an e-mail address like name@example.com."),
    "phone": N_("Please write a phone number with its country code, like +86 138 0013 8000."),
    "birthday": N_("Please give a date between 1900 and today."),
    "language": N_("Please choose a language."),
    "time_zone": N_("Please write a time zone like Asia/Shanghai."),
    "referred_by": N_("Please write the referring member's number."),
}
# The services' refusals that name no field, by their text.
_MEMBER_REFUSALS: dict[str, str] = {
    "A member with the email {email} already exists.": "email",
    "{name!r} is not a known time zone; use an IANA name like 'Asia/Shanghai'.": "time_zone",
    "The birthday must be a past date after 1900.": "birthday",
    "The referring member {referred_by} does not exist.": "referred_by",
}
_FIELD_LABELS: dict[str, str] = {
    "name": N_("Name"),
    "email": N_("E-mail"),
    "phone": N_("Phone"),
    "birthday": N_("Birthday"),
    "language": N_("Language"),
    "time_zone": N_("Time zone"),
    "referred_by": N_("Referred by (member number)"),
}
_POINTS_MESSAGES: dict[str, str] = {
    "delta": N_("Please write a whole number of points, like 500 or -200."),
    "reason": N_("Please write the reason (3 to 500 characters); the member reads it in their statement."),
}
_POINTS_REFUSALS: dict[str, str] = {
    "An adjustment of zero points changes nothing.": "delta",
    "The member has {balance} points; {taken} cannot be taken away.": "delta",
    "An adjustment needs a written reason.": "reason",
}
_DONE: dict[str, str] = {
    "enrolled": N_("The member is enrolled."),
    "saved": N_("The member's details are saved."),
    "unchanged": N_("Nothing was changed."),
    "suspended": N_("The membership is suspended; the member is signed out everywhere."),
    "reactivated": N_("The membership is active again."),
    "points": N_("The points are adjusted."),
    "session": N_("The session is ended."),
}


def member_path(member_id: int) -> str:
    return f"{MEMBERS}/{member_id}"


def phone_text(phone: str | None) -> str:
    """A stored E.164 number as people read it: +86 138 0013 8000."""
    if not phone:
        return ""
    try:
        return phonenumbers.format_number(phonenumbers.parse(phone, None), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return phone


def language_text(tag: str) -> str:
    """A member's language by its own name (简体中文), with its region when it has one (zh-Hant-TW)."""
    for value, name in LANGUAGES:
        if tag == value:
            return name
        if tag.startswith(value + "-"):
            return f"{name} ({tag})"
    return tag


def _day_text(language: Language) -> Any:
    def day(value: date | None) -> str:
        return "" if value is None else format_date(value, format="long", locale=language.value)

    return day


# --- finding members ---------------------------------------------------------------------------

@get(MEMBERS, name="console-members")
async def members_page(
    request: Request[Any, Any, Any],
    q: Annotated[str, Parameter(max_length=200)] = "",
    tier: Annotated[str, Parameter(max_length=12)] = "",
    after: Annotated[int | None, Parameter(ge=1, le=INT32_MAX)] = None,
) -> Template:
    ladder = await load_ladder()
    tier_id = next((r.id for r in ladder if tier.isdigit() and r.id == int(tier)), None)
    results = await search_members(q, tier_id, after)
    next_tiers = await next_tiers_of(h.id for h in results.hits)
    filters = {k: v for k, v in (("q", q.strip()), ("tier", str(tier_id or ""))) if v}
    next_url = f"{MEMBERS}?{urlencode({**filters, 'after': results.next_after})}" if results.next_after else None
    first_url = f"{MEMBERS}?{urlencode(filters)}" if filters else MEMBERS
    return console_page(
        request, "club/console_members.html", q=q, tier_id=tier_id, ladder=ladder, results=results,
        continued=after is not None, next_url=next_url, first_url=first_url, phone=phone_text,
        next_tiers=next_tiers,
    )


# --- a member's page ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class LedgerLine:
    id: int
    delta: int
    reason: str  # a catalog text
    note: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RecordLine:
    at: datetime
    label: str  # a catalog text
    by: str
    detail: str


async def _member_page(
    request: Request[Any, Any, Any], member_id: int, *, status_code: int = 200,
    ledger_page: int = 1, done: str = "", points_form: dict[str, str] | None = None,
    points_errors: dict[str, str] | None = None,
) -> Template:
    member = await get_member(member_id)  # NotFound: a 404 page
    entries = await entries_of(member_id, limit=LEDGER_PER_PAGE + 1, offset=(ledger_page - 1) * LEDGER_PER_PAGE)
    ledger = [LedgerLine(e.id, e.delta, REASON_LABELS[e.reason], e.note, e.created_at) for e in entries[:LEDGER_PER_PAGE]]
    referrer = None
    if member.referred_by is not None:
        row = await Member.select(Member.name).where(Member.id == member.referred_by).first()
        referrer = str(row["name"]) if row else None
    records = [
        RecordLine(a.at, ACTION_LABELS.get(a.action, ACTION_LABELS[ActionKind.other]), a.by_name, a.detail)
        for a in await actions_for_member(member_id)
    ]
    return console_page(
        request, "club/console_member.html", status_code=status_code, member=member, referrer=referrer,
        ledger=ledger, ledger_page=ledger_page, older=len(entries) > LEDGER_PER_PAGE,
        sessions=await list_sessions(member.user_id) if member.user_id is not None else [],
        records=records, panels=await member_panels(request, member_id),
        done=_DONE.get(done), points_form=points_form or {}, points_errors=points_errors or {},
        day=_day_text(request_language(request)),
        suspended=member.status is MemberStatus.suspended, phone=phone_text, language_name=language_text,
    )


@get(MEMBER, name="console-member")
async def member_page(
    request: Request[Any, Any, Any], settings: Settings, member_id: int,
    ledger: Annotated[int, Parameter(ge=1, le=100_000)] = 1, done: Annotated[str, Parameter(max_length=20)] = "",
) -> Template:
    return await _member_page(request, member_id, ledger_page=ledger, done=done)


# --- enrol and edit ----------------------------------------------------------------------------

class MemberForm(msgspec.Struct):
    """The enrolment and edit form as the browser sends it: every field text, every field optional."""

    name: str = ""
    email: str = ""
    phone: str = ""
    birthday: str = ""
    language: str = ""
    time_zone: str = ""
    referred_by: str = ""


def _typed(text: str) -> str:
    # A Chinese keyboard's full-width forms (＠, １３８) read as ASCII, as the sign-in reads them.
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _member_values(form: MemberForm, *, enrolling: bool) -> dict[str, Any]:
    """The form as the API's body: blanks are "none" (or the club's default when enrolling)."""
    values: dict[str, Any] = {
        "name": " ".join(form.name.split()),
        "email": _typed(form.email).replace(" ", ""),
        "phone": _typed(form.phone) or None,
        "birthday": form.birthday.strip() or None,
    }
    language, zone = form.language.strip(), form.time_zone.strip()
    if enrolling:
        values["language"] = language or None
        values["time_zone"] = zone or None
        referred = _typed(form.referred_by).lstrip("#")
        values["referred_by"] = whole_number(referred) if referred else None
    else:
        values["language"] = language
        values["time_zone"] = zone
    return values


def _zone_options(language: Language) -> list[tuple[str, str]]:
    options = []
    for zone in ZONES:
        offset = clock.now().astimezone(ZoneInfo(zone)).strftime("%z")
        city = get_timezone_location(ZoneInfo(zone), locale=language.value, return_city=True)
        options.append((zone, gettext(language, "{city} (UTC{offset})", city=city, offset=offset[:3] + ":" + offset[3:])))
    return options


def _form_page(
    request: Request[Any, Any, Any], *, member: MemberOut | None, form: dict[str, Any], errors: dict[str, str],
    status_code: int = 200, general: str | None = None,
) -> Template:
    language = request_language(request)
    chosen = str(form.get("language") or "")
    languages = list(LANGUAGES) if chosen in {v for v, _ in LANGUAGES} or not chosen else [(chosen, chosen), *LANGUAGES]
    return console_page(
        request, "club/console_member_form.html", status_code=status_code, member=member,
        form={k: "" if v is None else str(v) for k, v in form.items()}, errors=errors, general=general,
        languages=languages, zones=_zone_options(language), labels=_FIELD_LABELS,
    )


@get(NEW_MEMBER, name="console-member-new")
async def new_member_page(request: Request[Any, Any, Any], settings: Settings) -> Template:
    return _form_page(request, member=None, errors={}, form={
        "language": settings.club_locale.tag, "time_zone": settings.club_time_zone,
    })


@post(NEW_MEMBER, status_code=303)
async def enrol(request: Request[Any, Any, Any], settings: Settings, data: Annotated[MemberForm, FORM]) -> Redirect | Template:
    language = request_language(request)
    values = _member_values(data, enrolling=True)
    body, errors = read_form(values, MemberCreate, _MEMBER_MESSAGES, language)
    if body is None:
        return _form_page(request, member=None, form=values, errors=errors, status_code=400)
    try:
        async with write_transaction():
            created = await create_member(
                name=body.name, email=body.email, phone=body.phone, birthday=body.birthday,
                language=body.language or settings.club_locale.tag, time_zone=body.time_zone or settings.club_time_zone,
                joined_on=body.joined_on or clock.today(settings.club_time_zone), referred_by=body.referred_by,
                referrals=ReferralPolicy.of(settings), phone_region=settings.club_phone_region,
            )
            await record(principal_of(request), ActionKind.member_enrolled, member_id=created.id,
                         detail=f"{created.name} <{created.email}>")
    except DomainError as refusal:
        return _refused_form(request, None, values, refusal, language)
    return Redirect(f"{member_path(created.id)}?done=enrolled", status_code=303)


def _refused_form(
    request: Request[Any, Any, Any], member: MemberOut | None, values: dict[str, Any], refusal: DomainError, language: Language,
) -> Template:
    field = refusal_field(refusal, _MEMBER_REFUSALS)
    text = refusal.detail_in(language)
    if field in _MEMBER_MESSAGES:
        return _form_page(request, member=member, form=values, errors={field: text}, status_code=refusal.status_code)
    return _form_page(request, member=member, form=values, errors={}, general=text, status_code=refusal.status_code)


def _edit_values(member: MemberOut) -> dict[str, Any]:
    return {
        "name": member.name, "email": member.email, "phone": member.phone, "birthday": member.birthday,
        "language": member.language, "time_zone": member.time_zone,
    }


@get(f"{MEMBER}/edit", name="console-member-edit")
async def edit_member_page(request: Request[Any, Any, Any], member_id: int) -> Template:
    member = await get_member(member_id)
    return _form_page(request, member=member, form=_edit_values(member), errors={})


def _changes_text(before: MemberOut, after: MemberOut, language: Language) -> str:
    """What an edit changed, in the coordinator's words: "电子邮箱：a@… → b@…; …"."""
    old, new = _edit_values(before), _edit_values(after)
    return gettext(language, "; ").join(
        gettext(language, "{field}: {old} → {new}", field=gettext(language, _FIELD_LABELS[name]),
                old=old[name] if old[name] is not None else "—", new=new[name] if new[name] is not None else "—")
        for name in old if old[name] != new[name]
    )


@post(f"{MEMBER}/edit", status_code=303)
async def save_member(
    request: Request[Any, Any, Any], settings: Settings, member_id: int, data: Annotated[MemberForm, FORM],
) -> Redirect | Template:
    language = request_language(request)
    before = await get_member(member_id)
    values = _member_values(data, enrolling=False)
    update, errors = read_form(values, MemberUpdate, _MEMBER_MESSAGES, language)
    if update is None:
        return _form_page(request, member=before, form=values, errors=errors, status_code=400)
    try:
        async with write_transaction():
            after = await update_member(member_id, update, settings.club_phone_region)
            changed = _changes_text(before, after, language)
            if changed:
                await record(principal_of(request), ActionKind.member_updated, member_id=member_id, detail=changed)
    except DomainError as refusal:
        return _refused_form(request, before, values, refusal, language)
    return Redirect(f"{member_path(member_id)}?done={'saved' if changed else 'unchanged'}", status_code=303)


# --- suspend, reactivate -----------------------------------------------------------------------

class StatusForm(msgspec.Struct):
    reason: str = ""


async def _set_status(request: Request[Any, Any, Any], member_id: int, status: MemberStatus, reason: str) -> bool:
    """Suspend or reactivate, with the record; False when the member already had that status."""
    kind = ActionKind.member_suspended if status is MemberStatus.suspended else ActionKind.member_reactivated
    async with write_transaction():
        if (await get_member(member_id)).status is status:
            return False
        # Suspending ends the member's sessions in this same transaction (club.members).
        await set_status(member_id, status)
        await record(principal_of(request), kind, member_id=member_id, detail=" ".join(reason.split())[:500])
    return True


@post(f"{MEMBER}/suspend", status_code=303)
async def suspend(request: Request[Any, Any, Any], member_id: int, data: Annotated[StatusForm, FORM]) -> Redirect:
    changed = await _set_status(request, member_id, MemberStatus.suspended, data.reason)
    return Redirect(f"{member_path(member_id)}?done={'suspended' if changed else 'unchanged'}", status_code=303)


@post(f"{MEMBER}/reactivate", status_code=303)
async def reactivate(request: Request[Any, Any, Any], member_id: int, data: Annotated[StatusForm, FORM]) -> Redirect:
    changed = await _set_status(request, member_id, MemberStatus.active, data.reason)
    return Redirect(f"{member_path(member_id)}?done={'reactivated' if changed else 'unchanged'}", status_code=303)


# --- points ------------------------------------------------------------------------------------

class PointsForm(msgspec.Struct):
    delta: str = ""
    reason: str = ""


@post(f"{MEMBER}/points", status_code=303)
async def adjust_points(
    request: Request[Any, Any, Any], settings: Settings, member_id: int, data: Annotated[PointsForm, FORM],
) -> Redirect | Template:
    language = request_language(request)
    await get_member(member_id)
    sent = {"delta": data.delta.strip(), "reason": " ".join(data.reason.split())}
    body, errors = read_form({"delta": whole_number(sent["delta"]), "reason": sent["reason"]}, AdjustmentIn,
                             _POINTS_MESSAGES, language)
    if body is None:
        return await _member_page(request, member_id, status_code=400, points_form=sent, points_errors=errors)
    me = principal_of(request)
    try:
        async with write_transaction():
            await adjust(member_id, body.delta, body.reason, me.user_id)
            await record(me, ActionKind.points_adjusted, member_id=member_id,
                         detail=gettext(language, "{delta} points: {reason}", delta=f"{body.delta:+,}", reason=body.reason))
    except DomainError as refusal:
        field = refusal_field(refusal, _POINTS_REFUSALS, default="delta") or "delta"
        return await _member_page(request, member_id, status_code=refusal.status_code, points_form=sent,
                                  points_errors={field: refusal.detail_in(language)})
    return Redirect(f"{member_path(member_id)}?done=points#points", status_code=303)


# --- sessions ----------------------------------------------------------------------------------

@post(f"{MEMBER}/sessions/{{session_id:int}}/end", status_code=303)
async def end_session(request: Request[Any, Any, Any], member_id: int, session_id: int) -> Redirect:
    member = await get_member(member_id)
    sessions = await list_sessions(member.user_id) if member.user_id is not None else []
    device = next((s.device for s in sessions if s.id == session_id), None)
    async with write_transaction():
        # Only this member's own session: another's is NotFound, a 404 page.
        await revoke_session(session_id, owner_id=member.user_id or 0)
        if device is not None:  # it was open: ended now (ending an ended one changes nothing)
            await record(principal_of(request), ActionKind.session_revoked, member_id=member_id, detail=device)
    return Redirect(f"{member_path(member_id)}?done=session#sessions", status_code=303)


CONSOLE_MEMBER_PAGES: list[Any] = [
    members_page, new_member_page, enrol, member_page, edit_member_page, save_member, suspend, reactivate,
    adjust_points, end_session,
]
