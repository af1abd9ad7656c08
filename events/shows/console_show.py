"""A show's page in the console (/console/shows/{id}), where a coordinator runs it: each seat
category's invitations (the seats accepted, the offers awaiting an answer with their reply-by on
the show's clock, the queue in the order seats will be offered, the answered and ended), and the
forms that change it: add a seat category, change a category's seats, invite members to a
category (by member number or e-mail address, several at once), withdraw an invitation (after a
page that says what it will do).

Each change calls the service the API's route calls (events.shows.catalog.add_category and
resize_category, events.shows.invitations.invite and withdraw) and records itself with
club.audit inside one write transaction, which the services' own transactions join: the change
and its record land together or not at all. The services queue no job of their own (their
messages are outbox rows written in the transaction; the reminders of an RSVP a withdrawal
cancels are marked for the dispatcher), so nothing leaves before the commit. A refused form is
the page again, with the API's problem next to its field, the values kept and nothing written.
(A refusal that a service raises after expiring overdue offers rolls the expiry back with the rest;
the next read of the show, the refused page's own, expires them again in a transaction of its own.)

Reads take the show's lock first (club.locking, the row the services lock), so what the record
says was there before is what the change changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from club import clock
from club.audit import ACTION_LABELS, ActionKind, actions_for_event, record
from club.auth import principal_of
from club.db import write_transaction
from club.errors import DomainError, NotFound
from club.i18n.catalogs import N_, gettext
from club.i18n.http import request_language
from club.i18n.languages import Language
from club.locking import lock_objects
from club.rows import Row, rows_as
from club.tables import Member, MemberStatus
from club.web.console import club_zone, console_page
from club.web.console_forms import FieldErrors, field_problems, named_members, problem_said, problem_text, whole_number
from club.web.forms import FORM
from events.shows.catalog import add_category, get_show, resize_category
from events.shows.console_words import (
    CATEGORIES,
    CATEGORY,
    INVITATIONS,
    SHOW,
    WITHDRAW,
    category_lines,
    event_path,
    show_path,
    withdraw_path,
)
from events.shows.errors import CategoryTooSmall, InviteeNotEligible
from events.shows.invitations import get_invitation, invite, show_invitations, withdraw
from events.shows.schemas import CategoryIn, CategoryUpdate, InviteIn, ShowInvitationOut, ShowOut
from events.shows.tables import InvitationStatus, SeatCategory, ShowInvitation
from events.tables import Event, EventStatus

__all__ = ["SHOW_PAGES"]

# Where a problem that belongs to no one field is said: above the page's forms.
FORM_ERROR = "_form"
_S = InvitationStatus
_LIVE = (_S.offered, _S.queued, _S.accepted)

DONE = {
    "created": N_("The show is saved as a draft with its seat categories."),
    "category": N_("The seat category is added."),
    "resized": N_("The category's seats are changed. Seats that came free are offered to its queue at once."),
    "withdrawn": N_("The invitation is withdrawn. Any seat it held goes to the next in line, who is told."),
}
SHOW_STATES: dict[EventStatus, tuple[str, str]] = {
    EventStatus.draft: ("plain", N_("Draft")),
    EventStatus.published: ("good", N_("Published")),
    EventStatus.cancelled: ("bad", N_("Event cancelled")),
}
# An invitation's state in the record's words (the same as the show's page says it).
STATE_WORDS: dict[InvitationStatus, str] = {
    InvitationStatus.offered: N_("Offered, awaiting a reply"),
    InvitationStatus.queued: N_("Waitlist position {position}"),
    InvitationStatus.accepted: N_("Accepted"),
    InvitationStatus.declined: N_("Declined"),
    InvitationStatus.expired: N_("Reply-by passed"),
    InvitationStatus.withdrawn: N_("Withdrawn by the club"),
}
# add_category's refusal of a name the show has already (events.shows.catalog).
_NAME_TAKEN = "This show already has a category named {name!r}."
REPLY_WINDOW_DEFAULT = 72  # InviteIn's own default, as a body that leaves it out gets


def _path(template: str, **ids: int) -> str:
    for name, value in ids.items():
        template = template.replace(f"{{{name}:int}}", str(value))
    return template


def _status(exc: DomainError | msgspec.ValidationError) -> int:
    return exc.status_code if isinstance(exc, DomainError) else 400


# ---------------------------------------------------------------- the page


async def render_show(
    request: Request[Any, Any, Any], event_id: int, *, done: str = "", invited: tuple[int, int] | None = None,
    errors: FieldErrors | None = None, forms: Mapping[str, Any] | None = None, status_code: int = 200,
) -> Template:
    """The show's page; with `errors` and `forms`, a refused form again with what was typed."""
    show = await get_show(event_id)  # 404 for what is not a show
    invitations = await show_invitations(event_id)
    language = request_language(request)
    zone = club_zone(request)
    now = clock.now()
    errors = errors or {}
    return console_page(
        request, "shows/console_show.html", status_code=status_code, show=show,
        categories=category_lines(show, invitations, language, now, zone), invited_count=len(invitations),
        lists_path=f"{event_path(event_id)}/attendees", event_path=event_path(event_id),
        can_change=show.status != EventStatus.cancelled,
        can_invite=show.status == EventStatus.published and now < show.starts_at,
        done=DONE.get(done), invited=invited, errors=errors, forms=forms or {}, form_error=errors.get(FORM_ERROR),
        actions=await actions_for_event(event_id), action_labels=ACTION_LABELS, show_states=SHOW_STATES,
        withdraw_path=withdraw_path, reply_window_default=REPLY_WINDOW_DEFAULT,
        member_names={i.member_id: i.member_name for i in invitations},
    )


@get(SHOW, name="console-show")
async def show_page(
    request: Request[Any, Any, Any], event_id: int, done: str = "", offered: int | None = None, queued: int | None = None,
) -> Template:
    invited = (offered or 0, queued or 0) if done == "invited" else None
    return await render_show(request, event_id, done=done, invited=invited)


# ---------------------------------------------------------------- seat categories


class NewCategoryForm(msgspec.Struct):
    name: str = ""
    seats: str = ""


def _read_category(values: dict[str, Any], struct: type[msgspec.Struct], language: Language, prefix: str) -> FieldErrors:
    """Each field as the API's body type reads it; an empty one is said to be missing."""
    errors = {n: gettext(language, "Please fill this in.") for n, v in values.items() if v in (None, "")}
    checkable = {k: v for k, v in values.items() if k not in errors}
    errors.update({k: v for k, v in field_problems(checkable, struct, language).items() if k not in errors})
    return {f"{prefix}-{k}": v for k, v in errors.items()}


@post(CATEGORIES, status_code=303)
async def add_category_page(
    request: Request[Any, Any, Any], event_id: int, data: Annotated[NewCategoryForm, FORM],
) -> Response[Any]:
    me = principal_of(request)
    language = request_language(request)
    values: dict[str, Any] = {"name": " ".join(data.name.split()), "seats": whole_number(data.seats)}
    forms = {"new": msgspec.structs.asdict(data)}
    errors = _read_category(values, CategoryIn, language, "new")
    if errors:
        return await render_show(request, event_id, errors=errors, forms=forms, status_code=400)
    try:
        body = msgspec.convert(values, CategoryIn)
        async with write_transaction():
            show = await add_category(event_id, body.name, body.seats)
            await record(me, ActionKind.show_category_changed, event_id=event_id, detail=gettext(
                language, "{category} added: {seats} seats (the show: {capacity} seats)",
                category=body.name, seats=body.seats, capacity=show.capacity,
            ))
    except (DomainError, msgspec.ValidationError) as exc:
        # A name the show has already is the name's problem; a cancelled show's is the page's.
        where = "new-name" if isinstance(exc, DomainError) and exc.template == _NAME_TAKEN else FORM_ERROR
        return await render_show(request, event_id, errors={where: _refusal_text(exc, language)}, forms=forms, status_code=_status(exc))
    added = next(c for c in show.categories if c.name == body.name)
    return Redirect(f"{show_path(event_id)}?done=category#category-{added.id}", status_code=303)


def _refusal_text(exc: DomainError | msgspec.ValidationError, language: Language) -> str:
    if isinstance(exc, msgspec.ValidationError):
        return problem_text(language, problem_said(exc))
    return exc.detail_in(language)


class SeatsForm(msgspec.Struct):
    seats: str = ""


class _CategoryRow(Row, frozen=True):
    name: str
    seats: int


@post(CATEGORY, status_code=303)
async def resize_category_page(
    request: Request[Any, Any, Any], event_id: int, category_id: int, data: Annotated[SeatsForm, FORM],
) -> Response[Any]:
    me = principal_of(request)
    language = request_language(request)
    prefix = f"c{category_id}"
    values: dict[str, Any] = {"seats": whole_number(data.seats)}
    forms = {prefix: msgspec.structs.asdict(data)}
    errors = _read_category(values, CategoryUpdate, language, prefix)
    if errors:
        return await render_show(request, event_id, errors=errors, forms=forms, status_code=400)
    try:
        body = msgspec.convert(values, CategoryUpdate)
        async with write_transaction():
            await lock_objects((Event, event_id))
            found = rows_as(_CategoryRow, await SeatCategory.select(SeatCategory.name, SeatCategory.seats).where(
                (SeatCategory.id == category_id) & (SeatCategory.show == event_id)
            ))
            show = await resize_category(event_id, category_id, body.seats)  # 404 for another show's category
            before = found[0]
            if before.seats != body.seats:
                await record(me, ActionKind.show_category_changed, event_id=event_id, detail=gettext(
                    language, "{category}: {before} → {after} seats (the show: {capacity} seats)",
                    category=before.name, before=before.seats, after=body.seats, capacity=show.capacity,
                ))
    except (DomainError, msgspec.ValidationError) as exc:
        where = f"{prefix}-seats" if isinstance(exc, (CategoryTooSmall, msgspec.ValidationError)) else FORM_ERROR
        return await render_show(request, event_id, errors={where: _refusal_text(exc, language)}, forms=forms, status_code=_status(exc))
    return Redirect(f"{show_path(event_id)}?done=resized#category-{category_id}", status_code=303)


# ---------------------------------------------------------------- invitations


class InviteForm(msgspec.Struct):
    members: str = ""
    category_id: str = ""
    plus_one_allowed: str = ""
    reply_within_hours: str = ""


class _RefusedMember(Row, frozen=True):
    id: int
    name: str
    status: MemberStatus
    tier_name: str | None


async def _not_eligible_text(exc: InviteeNotEligible, language: Language) -> str:
    """The service's refusal, then each member it names with what the show's rules read of them
    (their tier and, when not active, their membership): the coordinator sees who and why."""
    named = [int(m["member_id"]) for m in exc.extra.get("members", [])]
    rows = rows_as(_RefusedMember, await Member.select(
        Member.id, Member.name, Member.status, Member.tier.name.as_alias("tier_name"),
    ).where(Member.id.is_in(named or [0])).order_by(Member.id))
    lines = []
    for m in rows:
        facts = [gettext(language, m.tier_name) if m.tier_name else gettext(language, "no tier")]
        if m.status != MemberStatus.active:
            facts.append(gettext(language, "membership {status}", status=gettext(language, m.status.value)))
        lines.append(gettext(language, "{name} (#{number}): {facts}.", name=m.name, number=m.id,
                             facts=gettext(language, "; ").join(facts)))
    return " ".join([exc.detail_in(language), *lines])


async def _refused_invitation(exc: DomainError | msgspec.ValidationError, language: Language) -> FieldErrors:
    """The service's refusal next to the field it is about: who was named, the category, or the page."""
    if isinstance(exc, msgspec.ValidationError):
        return {FORM_ERROR: problem_text(language, problem_said(exc))}
    if isinstance(exc, InviteeNotEligible):
        return {"members": await _not_eligible_text(exc, language)}
    if exc.template == "No such members: {missing}.":
        return {"members": exc.detail_in(language)}
    if exc.template == "Show {show_id} has no seat category {category_id}.":
        return {"category_id": exc.detail_in(language)}
    return {FORM_ERROR: exc.detail_in(language)}


def _read_invite(data: InviteForm, ids: list[int], language: Language) -> tuple[dict[str, Any], FieldErrors]:
    """The form as InviteIn reads it, each problem by the form's field."""
    hours = data.reply_within_hours.strip()
    values: dict[str, Any] = {
        "member_ids": ids, "category_id": whole_number(data.category_id), "plus_one_allowed": bool(data.plus_one_allowed),
        "reply_within_hours": whole_number(hours) if hours else REPLY_WINDOW_DEFAULT,
    }
    errors: FieldErrors = {}
    if values["category_id"] is None:
        errors["category_id"] = gettext(language, "Please choose one of the listed values.")
    checkable = {k: v for k, v in values.items() if k not in errors}
    for name, text in field_problems(checkable, InviteIn, language).items():
        if name == "member_ids":
            errors["members"] = gettext(language, "Name at least one member, and at most 500 at once.")
        else:
            errors.setdefault(name, text)
    return values, errors


class _InvitedBefore(Row, frozen=True):
    member: int
    invited_at: datetime


def _invited_detail(language: Language, i: ShowInvitationOut) -> str:
    """What one invitation became, as the record says it (a reply-by on the show's clock)."""
    if i.status == _S.offered and i.reply_by_local:
        state = gettext(language, "offered a seat, reply by {when} ({zone})",
                        when=i.reply_by_local[:16].replace("T", " "), zone=i.venue_time_zone)
    else:
        state = gettext(language, STATE_WORDS[i.status], position=i.position)
    plus = gettext(language, "plus-one allowed") if i.plus_one_allowed else gettext(language, "for the member alone")
    return gettext(language, "{category}: {state}; {plus}", category=i.category, state=state, plus=plus)


@post(INVITATIONS, status_code=303)
async def invite_page(request: Request[Any, Any, Any], event_id: int, data: Annotated[InviteForm, FORM]) -> Response[Any]:
    me = principal_of(request)
    language = request_language(request)
    forms = {"invite": msgspec.structs.asdict(data)}
    ids, problem = await named_members(data.members, language)
    values, errors = _read_invite(data, ids, language)
    if problem:
        errors["members"] = problem
    if errors:
        return await render_show(request, event_id, errors=errors, forms=forms, status_code=400)
    try:
        body = msgspec.convert(values, InviteIn)
        async with write_transaction():
            await lock_objects((Event, event_id))
            # A fresh invitation, or one made again after it ended, gets a new time: those are recorded.
            before = {r.member: r.invited_at for r in rows_as(_InvitedBefore, await ShowInvitation.select(
                ShowInvitation.member, ShowInvitation.invited_at,
            ).where((ShowInvitation.show == event_id) & ShowInvitation.member.is_in(sorted(set(body.member_ids)))))}
            answered = await invite(
                event_id, body.member_ids, body.category_id, body.plus_one_allowed, body.reply_within_hours, me.user_id,
            )
            fresh = [i for i in answered if before.get(i.member_id) != i.invited_at]
            for i in fresh:
                await record(me, ActionKind.show_invited, event_id=event_id, member_id=i.member_id,
                             detail=_invited_detail(language, i))
    except (DomainError, msgspec.ValidationError) as exc:
        return await render_show(request, event_id, errors=await _refused_invitation(exc, language), forms=forms,
                                 status_code=_status(exc))
    offered = sum(1 for i in fresh if i.status == _S.offered)
    queued = sum(1 for i in fresh if i.status == _S.queued)
    return Redirect(f"{show_path(event_id)}?done=invited&offered={offered}&queued={queued}#category-{body.category_id}",
                    status_code=303)


# ---------------------------------------------------------------- withdrawing


async def _invitation_of(event_id: int, invitation_id: int, request: Request[Any, Any, Any]) -> ShowInvitationOut:
    """The invitation, if it is this show's (another show's answers 404, as a wrong id does)."""
    found = await get_invitation(invitation_id, principal_of(request))
    if found.show_id != event_id:
        raise NotFound("Invitation {invitation_id} does not exist.", text_values={"invitation_id": invitation_id})
    return found


async def _withdraw_page(
    request: Request[Any, Any, Any], show: ShowOut, invitation: ShowInvitationOut, *, refusal: str = "", status_code: int = 200,
) -> Template:
    invitations = await show_invitations(show.id)
    language = request_language(request)
    zone = club_zone(request)
    lines = next(c for c in category_lines(show, invitations, language, clock.now(), zone) if c.category.id == invitation.category_id)
    nxt = lines.next_in_line
    return console_page(
        request, "shows/console_withdraw.html", status_code=status_code, show=show, i=invitation,
        next_in_line=nxt if nxt is not None and nxt.id != invitation.id else None, refusal=refusal,
        action=withdraw_path(show.id, invitation.id), back=f"{show_path(show.id)}#invitation-{invitation.id}",
        live=invitation.status in _LIVE,
    )


@get(WITHDRAW, name="console-show-withdraw")
async def withdraw_form(request: Request[Any, Any, Any], event_id: int, invitation_id: int) -> Template:
    """What withdrawing will do (their seat, their message, who is next), before it is done."""
    show = await get_show(event_id)
    return await _withdraw_page(request, show, await _invitation_of(event_id, invitation_id, request))


@post(WITHDRAW, status_code=303)
async def withdraw_post(request: Request[Any, Any, Any], event_id: int, invitation_id: int) -> Response[Any]:
    me = principal_of(request)
    language = request_language(request)
    invitation = await _invitation_of(event_id, invitation_id, request)
    try:
        async with write_transaction():
            await lock_objects((Event, event_id))
            state = await ShowInvitation.select(ShowInvitation.status).where(ShowInvitation.id == invitation_id).first()
            after = await withdraw(invitation_id, me)
            if state is not None and state["status"] != _S.withdrawn.value:  # withdrawing twice changes nothing
                await record(me, ActionKind.show_invitation_withdrawn, event_id=event_id, member_id=after.member_id,
                             detail=gettext(language, "{category}: was {state}", category=after.category,
                                            state=gettext(language, STATE_WORDS[_S(state["status"])], position=invitation.position)))
    except DomainError as exc:  # ended already (declined, passed): the service's own refusal
        show = await get_show(event_id)
        current = await _invitation_of(event_id, invitation_id, request)
        return await _withdraw_page(request, show, current, refusal=exc.detail_in(language), status_code=exc.status_code)
    return Redirect(f"{show_path(event_id)}?done=withdrawn#category-{invitation.category_id}", status_code=303)


SHOW_PAGES: list[Any] = [show_page, add_category_page, resize_category_page, invite_page, withdraw_form, withdraw_post]
