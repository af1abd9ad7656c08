"""The trip's default reminder sequence: documents weeks ahead, the meeting point the evening
before, the morning of, and one message before each itinerary item on that item's clock."""

from __future__ import annotations

from arq.connections import ArqRedis

from club.i18n.catalogs import N_
from events.reminders.schemas import SequenceIn, SequenceOut, StepIn
from events.reminders.sequences import catalog_texts, create_sequence, get_sequence, set_kind_defaults
from events.reminders.tables import Anchor, Channel, KindDefaultSequence, QuietPolicy, ReminderSequence
from events.tables import EventKind

__all__ = ["TRIP_SEQUENCE_NAME", "TRIP_STEPS", "install_trip_reminders"]

TRIP_SEQUENCE_NAME = "Trip reminders"
_DOCUMENTS = (
    N_("Three weeks to {event_title}: your travel documents"),
    N_(
        "Dear {member_name}, {event_title} leaves on {local_time}. Please check that every traveler's "
        "passport stays valid for six months after the return, and send us any missing details."
    ),
)
_EVENING_BEFORE = N_("Dear {member_name}, tomorrow: {event_title}. Meeting point: {venue}, {local_time}. The departure does not wait.")
_MORNING_OF = N_("Good morning {member_name}: {event_title} leaves at {local_time} from {venue}. Bring your passport and ticket.")
_PER_LEG = N_("{event_title}, tomorrow: meet at {venue}, {local_time}.")
# Each step's text in every club language (catalog texts), so each traveler reads their own.
TRIP_STEPS = [
    StepIn(
        anchor=Anchor.departure, offset_days=-21, at_local_time="10:00", channel=Channel.email,
        subject=_DOCUMENTS[0], template=_DOCUMENTS[1], texts=catalog_texts(*_DOCUMENTS),
    ),
    StepIn(
        anchor=Anchor.departure, offset_days=-1, at_local_time="18:00", channel=Channel.sms,
        template=_EVENING_BEFORE, texts=catalog_texts("", _EVENING_BEFORE),
    ),
    StepIn(
        # The member expects it at dawn: the group may leave before the club's quiet hours end.
        anchor=Anchor.departure, offset_days=0, at_local_time="06:30", channel=Channel.sms, quiet_hours=QuietPolicy.send,
        send_to_late_joiners=False, template=_MORNING_OF, texts=catalog_texts("", _MORNING_OF),
    ),
    StepIn(
        # Per leg, on the leg's own clock: 20:00 where the travelers are the evening before.
        anchor=Anchor.itinerary_item, offset_days=-1, at_local_time="20:00", channel=Channel.sms,
        template=_PER_LEG, texts=catalog_texts("", _PER_LEG),
    ),
]


async def install_trip_reminders(queue: ArqRedis, horizon_s: float) -> SequenceOut:
    """Make the trip sequence a default of the trip kind (once: a second call returns it)."""
    installed = await KindDefaultSequence.select(KindDefaultSequence.sequence).where(
        (KindDefaultSequence.event_kind == EventKind.trip.value)
        & KindDefaultSequence.sequence.is_in(
            ReminderSequence.select(ReminderSequence.id).where(ReminderSequence.name == TRIP_SEQUENCE_NAME)
        )
    ).first()
    if installed is not None:
        return await get_sequence(installed["sequence"])
    sequence = await create_sequence(SequenceIn(name=TRIP_SEQUENCE_NAME, steps=TRIP_STEPS))
    current = await KindDefaultSequence.select(KindDefaultSequence.sequence).where(
        KindDefaultSequence.event_kind == EventKind.trip.value
    )
    await set_kind_defaults(EventKind.trip.value, [c["sequence"] for c in current] + [sequence.id], queue, horizon_s)
    return await get_sequence(sequence.id)
