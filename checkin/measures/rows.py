"""The measures' typed rows: what each service returns, to the API as it is and to the pages."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from checkin.measures.rules import Segment
from club.tables import PointsReason
from events.tables import EventKind, EventStatus

__all__ = [
    "EventFigures",
    "KindFigures",
    "MemberFigures",
    "PeriodOut",
    "PointsBySource",
    "SegmentCount",
    "SegmentsOut",
    "TierSegments",
]


class PeriodOut(msgspec.Struct, frozen=True, kw_only=True):
    """The days measured, both included, on the club's clock."""

    first: date
    last: date
    time_zone: str


class EventFigures(msgspec.Struct, frozen=True, kw_only=True):
    """One event's answers, seats and door.

    `rsvps` counts members who answered (one RSVP each, whatever became of it); `confirmed` those
    holding a seat now (`seats_confirmed` with their guests); `waitlisted` those still waiting,
    `joined_waitlist` all who ever waited and `promoted` those the waitlist gave a seat, after
    `mean_promotion_wait_s` on average, `median_promotion_wait_s` for the middle one (the mean of
    the two middle ones) and `max_promotion_wait_s` for the longest (none: nobody was promoted). `cancelled` counts members' own cancellations (an event the
    club cancels cancels its RSVPs too: those are not counted), `late_cancellations` those within
    the club's late window of the start. `checked_in` counts RSVPs with a standing admission (an
    undone one does not count); `no_shows` the confirmed who never came, once the doors closed.
    `fill_rate` is the seats held over the capacity (none for a cancelled event); `show_rate` and
    `no_show_rate` the door's two outcomes over their sum (none before the doors closed)."""

    event_id: int
    kind: EventKind
    title: str
    status: EventStatus
    starts_at: datetime
    venue_time_zone: str
    capacity: int
    rsvps: int
    confirmed: int
    seats_confirmed: int
    waitlisted: int
    joined_waitlist: int
    promoted: int
    mean_promotion_wait_s: float | None
    median_promotion_wait_s: float | None
    max_promotion_wait_s: float | None
    cancelled: int
    late_cancellations: int
    checked_in: int
    no_shows: int
    fill_rate: float | None
    show_rate: float | None
    no_show_rate: float | None


class KindFigures(msgspec.Struct, frozen=True, kw_only=True):
    """The events of one kind in a period, summed: `events` held (published, not cancelled) and
    `cancelled_events`; the figures are those of the held events, as EventFigures says them, and
    the rates over their sums (`fill_rate`: all seats held over all seats offered)."""

    kind: EventKind
    events: int
    cancelled_events: int
    capacity: int
    rsvps: int
    confirmed: int
    seats_confirmed: int
    waitlisted: int
    joined_waitlist: int
    promoted: int
    mean_promotion_wait_s: float | None
    median_promotion_wait_s: float | None
    max_promotion_wait_s: float | None
    cancelled: int
    late_cancellations: int
    checked_in: int
    no_shows: int
    fill_rate: float | None
    show_rate: float | None
    no_show_rate: float | None


class PointsBySource(msgspec.Struct, frozen=True, kw_only=True):
    """A member's ledger summed by reason: what earned (or took) their points."""

    reason: PointsReason
    points: int
    entries: int


class MemberFigures(msgspec.Struct, frozen=True, kw_only=True):
    """A member's record at the door: `attended` events with a standing check-in, `no_shows`
    (confirmed, never came), their rates over the two together, `late_cancellations`, the last
    admission, the segment it puts them in now, and the ledger by source. The club keeps no
    history of a member's tiers, so none is given."""

    member_id: int
    rsvps: int
    attended: int
    no_shows: int
    late_cancellations: int
    attendance_rate: float | None
    no_show_rate: float | None
    last_attended_at: datetime | None
    visits_in_window: int
    segment: Segment
    points: list[PointsBySource]


class SegmentCount(msgspec.Struct, frozen=True, kw_only=True):
    segment: Segment
    members: int


class TierSegments(msgspec.Struct, frozen=True, kw_only=True):
    """Active members of one tier (none: not placed on the ladder yet) by segment."""

    tier_id: int | None
    tier_name: str | None
    tier_rank: int | None
    members: int
    segments: list[SegmentCount]


class SegmentsOut(msgspec.Struct, frozen=True, kw_only=True):
    """Segments at `at`, with the thresholds that drew them (the club's settings)."""

    at: datetime
    active_days: int
    active_visits: int
    window_days: int
    dormant_days: int
    tiers: list[TierSegments]
