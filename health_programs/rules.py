"""Pure decisions of health programs: who may book, one booking a program, moving, the concierge
sequence's steps and texts, and when a completed check-up asks for the next one.

No I/O and no clock: every function takes `now` (and zones) as arguments.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from club.errors import Said, SaidList, said_text
from club.i18n.catalogs import N_, gettext
from club.i18n.languages import Language
from events.reminders.schemas import StepIn, StepTextIn
from events.reminders.tables import Anchor, Channel, QuietPolicy
from events.tables import EventStatus, RsvpStatus

__all__ = [
    "MOVE_CUTOFF",
    "STATUS_LIVE",
    "BookingRefusal",
    "BookingStatus",
    "Preparation",
    "booking_key",
    "booking_refusal",
    "booking_status",
    "concierge_steps",
    "eligibility_reasons",
    "morning_texts",
    "move_refusal",
    "preparation_text",
    "reinvitation_due",
    "reinvitation_text",
    "slot_outside_season",
    "twelve_months_after",
]

# A member may move an appointment up to a day before it: the clinic plans its staff and
# the concierge's confirmation call has been made by then. Coordinators, who arrange a late
# change with the clinic themselves, are not held to it.
MOVE_CUTOFF = timedelta(hours=24)


class BookingStatus(str, Enum):
    """A booking's status: its RSVP's (events.tables.RsvpStatus, by the same values), or
    slot_cancelled when the club cancelled the slot, which no RSVP status says."""

    confirmed = RsvpStatus.confirmed.value
    waitlisted = RsvpStatus.waitlisted.value
    cancelled = RsvpStatus.cancelled.value
    slot_cancelled = "slot_cancelled"


# The bookings that hold the member's one booking of a program: a seat or a place in line.
STATUS_LIVE = frozenset({BookingStatus.confirmed, BookingStatus.waitlisted})


@dataclass(frozen=True, slots=True)
class Preparation:
    """How to prepare: hours of fasting (0: none), what to bring, what to avoid."""

    fasting_hours: int
    bring: str
    avoid: str


def _plain(text: str) -> str:
    """Coordinator text inside a reminder template: braces would read as placeholders."""
    return " ".join(text.replace("{", "(").replace("}", ")").split())


# The preparation read on the day-before call and the calls' scripts: coordinators read them,
# so they are written in the club's language (events.reminders.delivery writes a call task's
# script in it); {hours}, {bring} and {avoid} are filled here from the preparation.
_FASTING = N_("Nothing to eat for {hours} hours before the appointment; water is fine.")
_NO_FASTING = N_("No fasting is needed.")
_BRING = N_("Bring: {bring}.")
_AVOID_ON_CALL = N_("Avoid: {avoid}.")
_CONFIRM_CALL = (
    N_("Confirm the check-up"),
    N_("Call {member_name} to confirm the appointment: {event_title}, {local_time}, at {venue}."),
)
_PREPARE_CALL = (
    N_("Prepare for tomorrow's check-up"),
    N_("Call {member_name} about tomorrow's check-up, {local_time}, at {venue}. Go through the preparation: {preparation}"),
)


def _joint(language: Language) -> str:
    """What joins two sentences: nothing in Chinese, a space in English."""
    return "" if language in (Language.zh_hans, Language.zh_hant) else " "


def preparation_text(prep: Preparation, language: Language = Language.en) -> str:
    """The preparation script read on the day-before call (the sequence's {preparation}), in
    `language` (the club's: a coordinator reads it to the member)."""
    parts = [gettext(language, _FASTING, hours=prep.fasting_hours) if prep.fasting_hours > 0 else gettext(language, _NO_FASTING)]
    if prep.bring.strip():
        parts.append(gettext(language, _BRING, bring=_plain(prep.bring)))
    if prep.avoid.strip():
        parts.append(gettext(language, _AVOID_ON_CALL, avoid=_plain(prep.avoid)))
    return _joint(language).join(parts)


def _call_texts(text: tuple[str, str]) -> dict[str, StepTextIn]:
    """A call step's subject and script in every club language."""
    return {lang.tag: StepTextIn(subject=gettext(lang, text[0]), template=gettext(lang, text[1])) for lang in Language}


# The morning-of SMS and the thank-you, catalog texts stored in every club language: the
# reminder placeholders stay for the send; {hours} and {avoid} are filled from the preparation.
_FASTING_MORNING = N_(
    "Good morning {member_name}: your check-up is today, {local_time}, at {venue}; please do not eat breakfast "
    "(nothing to eat for {hours} hours before; water is fine)."
)
_EASY_MORNING = N_("Good morning {member_name}: your check-up is today, {local_time}, at {venue}; no fasting is needed.")
_AVOID = N_("Please avoid: {avoid}.")
_THANKS = (
    N_("Thank you for coming"),
    N_(
        "Dear {member_name}, thank you for coming to {event_title}. We hope everything went "
        "smoothly; reply to this message if there is anything the club can do for you."
    ),
)


def _morning_text(prep: Preparation, language: Language = Language.en) -> str:
    text = gettext(language, _FASTING_MORNING if prep.fasting_hours > 0 else _EASY_MORNING).replace("{hours}", str(prep.fasting_hours))
    if prep.avoid.strip():
        text += _joint(language) + gettext(language, _AVOID).replace("{avoid}", _plain(prep.avoid))
    return text


def morning_texts(prep: Preparation) -> dict[str, StepTextIn]:
    """The morning-of SMS in every club language (its subject is the step's single one)."""
    return {lang.tag: StepTextIn(subject=gettext(lang, "Your check-up today"), template=_morning_text(prep, lang)) for lang in Language}


def concierge_steps(prep: Preparation) -> list[StepIn]:
    """The default concierge sequence of a program, as the steps of a `SequenceIn`.

    Times are on the clinic's clock (events.reminders.rules.step_due) relative to the
    appointment, so they move with it. The follow-up says nothing medical on purpose.
    """
    return [
        StepIn(
            anchor=Anchor.appointment, offset_days=-3, offset_minutes=0, at_local_time="11:00",
            channel=Channel.call, subject=_CONFIRM_CALL[0], template=_CONFIRM_CALL[1], texts=_call_texts(_CONFIRM_CALL),
            send_to_late_joiners=True, quiet_hours=QuietPolicy.hold,
        ),
        StepIn(
            anchor=Anchor.appointment, offset_days=-1, offset_minutes=0, at_local_time="16:00",
            channel=Channel.call, subject=_PREPARE_CALL[0], template=_PREPARE_CALL[1], texts=_call_texts(_PREPARE_CALL),
            send_to_late_joiners=True, quiet_hours=QuietPolicy.hold,
        ),
        StepIn(
            anchor=Anchor.appointment, offset_days=0, offset_minutes=0, at_local_time="06:30",
            channel=Channel.sms, subject=N_("Your check-up today"),
            template=_morning_text(prep), texts=morning_texts(prep),
            # The member expects it before breakfast, night or not.
            send_to_late_joiners=True, quiet_hours=QuietPolicy.send,
        ),
        StepIn(
            anchor=Anchor.event_end, offset_days=1, offset_minutes=0, at_local_time="10:00",
            channel=Channel.email, subject=_THANKS[0], template=_THANKS[1],
            texts={lang.tag: StepTextIn(subject=gettext(lang, _THANKS[0]), template=gettext(lang, _THANKS[1])) for lang in Language},
            send_to_late_joiners=False, quiet_hours=QuietPolicy.hold,
        ),
    ]


def eligibility_reasons(program_tier_ids: Collection[int], member_tier_id: int | None, tier_names: Collection[str]) -> list[str]:
    """Why a member may not book a program, in English (empty: they may): eligibility_texts said in English."""
    return [said_text(Language.en, said) for said in eligibility_texts(program_tier_ids, member_tier_id, tier_names)]


def eligibility_texts(program_tier_ids: Collection[int], member_tier_id: int | None, tier_names: Collection[str]) -> list[Said]:
    """Why a member may not book a program, as catalog texts (empty: they may). A program naming
    no tiers is open to every member; otherwise the member's tier must be one of those named."""
    if not program_tier_ids or member_tier_id in program_tier_ids:
        return []
    tiers = SaidList([Said(name) for name in tier_names], joint=N_(", "))
    return [Said(N_("this program is for {tiers} members"), {"tiers": tiers})]


def booking_key(program_id: int, member_id: int) -> str:
    """`HealthBooking.booking_key`, "<program>:<member>": one booking a program for each member.
    A completed booking's re-invitation is keyed by it too (`HealthReinvitation.invite_key`)."""
    return f"{program_id}:{member_id}"


def booking_status(rsvp_status: RsvpStatus, event_status: EventStatus) -> BookingStatus:
    """A booking's status, read from its RSVP; a slot the club cancelled frees the member to book again."""
    if event_status == EventStatus.cancelled:
        return BookingStatus.slot_cancelled
    return BookingStatus(RsvpStatus(rsvp_status).value)


class BookingRefusal(str, Enum):
    """Why a booking request books nothing new (booking_refusal)."""

    same = "same"  # the member already holds that slot: the request is a repeat
    already_booked = "already_booked"  # they hold another slot of the program


def booking_refusal(current_status: BookingStatus | None, current_slot_id: int | None, wanted_slot_id: int) -> BookingRefusal | None:
    """One booking a program: None to book, `same` when the member already holds that slot
    (the request is a repeat), `already_booked` when they hold another one."""
    if current_status not in STATUS_LIVE:
        return None
    return BookingRefusal.same if current_slot_id == wanted_slot_id else BookingRefusal.already_booked


def move_refusal(
    current_status: BookingStatus,
    current_starts_at: datetime,
    current_program_id: int,
    target_program_id: int,
    same_slot: bool,
    target_seats_free: int,
    now: datetime,
    by_coordinator: bool,
) -> tuple[str, str] | None:
    """Why a booking cannot move to the target slot, as (slug, detail); None if it can."""
    if current_status not in STATUS_LIVE:
        return "booking-cancelled", N_("This booking is cancelled; book a slot instead.")
    if target_program_id != current_program_id:
        return "wrong-program", N_("A booking moves only to another slot of the same program.")
    if same_slot:
        return "same-slot", N_("The booking is already in this slot.")
    if now >= current_starts_at:
        return "move-too-late", N_("The appointment has already begun.")
    if not by_coordinator and current_starts_at - now < MOVE_CUTOFF:
        return "move-too-late", N_("An appointment can be moved up to 24 hours before it; please call the club.")
    if target_seats_free <= 0:
        return "slot-full", N_("That slot is full; choose another one, or book it to join its waitlist after cancelling.")
    return None


def slot_outside_season(local_start: date, season_start: date, season_end: date) -> bool:
    """A slot must fall on a day of the program's season, read on the clinic's calendar."""
    return not (season_start <= local_start <= season_end)


def twelve_months_after(instant: datetime) -> datetime:
    """The same clock time on the same date a year later (29 February becomes 1 March)."""
    try:
        return instant.replace(year=instant.year + 1)
    except ValueError:
        return instant.replace(year=instant.year + 1, month=3, day=1)


def reinvitation_due(appointment_at: datetime, now: datetime) -> bool:
    return now >= twelve_months_after(appointment_at)


REINVITATION_OPENING = N_("Dear {member_name}, it has been a year since your check-up at {clinic}.")
REINVITATION_OPEN = (
    N_("Time for your next check-up: {next_program}"),
    N_(
        "{opening} Your free check-up in {next_program} is open for booking: choose a clinic and a "
        "time that suit you, and we will take care of the rest."
    ),
)
REINVITATION_NOT_YET = (
    N_("Time for your next check-up"),
    N_(
        "{opening} The next check-up program is not open for booking yet; you will be able to book it "
        "as soon as it opens, and we will be glad to help you choose a time."
    ),
)


def reinvitation_text(
    member_name: str, clinic: str, next_program: str | None, language: Language = Language.en
) -> tuple[str, str]:
    """Subject and body of the invitation to book again, in the member's `language`; nothing
    about the check-up's content."""
    opening = gettext(language, REINVITATION_OPENING, member_name=member_name, clinic=clinic)
    subject, body = REINVITATION_OPEN if next_program else REINVITATION_NOT_YET
    values = {"opening": opening, "next_program": next_program or ""}
    return gettext(language, subject, **values), gettext(language, body, **values)
