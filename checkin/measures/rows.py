"""The measures' typed rows: what each service returns, to the API as it is and to the pages."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from checkin.measures.rules import Segment
from club.tables import PointsReason
from events.tables import EventKind, EventStatus

__all__ = [
    "ActivityRetention",
    "EventFigures",
    "EventResponses",
    "KindFigures",
    "KindResponses",
    "MemberFigures",
    "MonthSegment",
    "PeriodOut",
    "PointsBySource",
    "QuarterResponses",
    "ReferralMonth",
    "ReferralsOut",
    "ResponseFigures",
    "RetentionOut",
    "SegmentCount",
    "SegmentHistoryOut",
    "SegmentsOut",
    "SurveyResponsesOut",
    "TierChangeOut",
    "TierRetention",
    "TierSegments",
    "YearResponses",
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
    """A member's ledger summed by reason: what earned (or took) their points. `points` and
    `entries` count every entry of the reason; `earned` and `earned_entries` its positive ones
    only (what the source earned them, before anything taken back)."""

    reason: PointsReason
    points: int
    entries: int
    earned: int
    earned_entries: int


class TierChangeOut(msgspec.Struct, frozen=True, kw_only=True):
    """One change of a member's tier (either side none: not on the ladder), at the database's
    clock; a higher rank is a higher tier."""

    changed_at: datetime
    from_tier_id: int | None
    from_tier_name: str | None
    from_tier_rank: int | None
    to_tier_id: int | None
    to_tier_name: str | None
    to_tier_rank: int | None


class MemberFigures(msgspec.Struct, frozen=True, kw_only=True):
    """A member's record at the door: `attended` events with a standing check-in, `no_shows`
    (confirmed, never came), their rates over the two together, `late_cancellations`, the last
    admission, the segment it puts them in now, the ledger by source, and their tier changes
    (oldest first; the history starts when the club began keeping it)."""

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
    tier_history: list[TierChangeOut]


class MonthSegment(msgspec.Struct, frozen=True, kw_only=True):
    """A member's segment at the end of a month (`ends_at`, the next month's first instant on the
    club's clock), drawn from their last admission before it and their events within the window
    before it; none when the month ended before they joined."""

    month: str
    ends_at: datetime
    last_attended_at: datetime | None
    visits: int
    segment: Segment | None


class SegmentHistoryOut(msgspec.Struct, frozen=True, kw_only=True):
    member_id: int
    time_zone: str
    months: list[MonthSegment]


class TierRetention(msgspec.Struct, frozen=True, kw_only=True):
    """The members who held a tier at the start of the year (`held_at_start`), and at its end:
    `kept` that tier or a higher one (`moved_up` of them higher), `moved_down` to a lower one,
    `left_ladder` on none; `kept_rate` is kept over held."""

    tier_id: int
    tier_name: str
    tier_rank: int
    held_at_start: int
    kept: int
    moved_up: int
    moved_down: int
    left_ladder: int
    kept_rate: float | None


class ActivityRetention(msgspec.Struct, frozen=True, kw_only=True):
    """Members with a standing admission in the year (`active`) and those of them with one in the
    next year too (`active_again`; counted until `next_year_measured_until`, none before the next
    year began); `rate` the second over the first."""

    active: int
    active_again: int
    rate: float | None
    next_year_measured_until: datetime | None


class RetentionOut(msgspec.Struct, frozen=True, kw_only=True):
    """A year's renewal per tier and its members' return, on the club's clock from `starts_at`
    to `measured_until` (the year's end, or now while it runs)."""

    year: int
    time_zone: str
    starts_at: datetime
    measured_until: datetime
    tiers: list[TierRetention]
    activity: ActivityRetention


class ReferralMonth(msgspec.Struct, frozen=True, kw_only=True):
    """Referrals made from `first` to `last` (members who joined referred), how many of them
    `converted` (earned their referrer the points, by now), `rate` the second over the first,
    and `earned`: the conversions that happened in these days."""

    first: date
    last: date
    made: int
    converted: int
    rate: float | None
    earned: int


class ReferralsOut(msgspec.Struct, frozen=True, kw_only=True):
    period: PeriodOut
    months: list[ReferralMonth]
    total: ReferralMonth


class ResponseFigures(msgspec.Struct, frozen=True, kw_only=True):
    """Members who came (`attended`), were sent the satisfaction survey (`sent`, of those who
    came) and answered it (`answered`, of those sent it); `response_rate` answered over sent."""

    attended: int
    sent: int
    answered: int
    response_rate: float | None


class EventResponses(ResponseFigures, frozen=True, kw_only=True):
    event_id: int
    kind: EventKind
    title: str
    starts_at: datetime
    venue_time_zone: str


class KindResponses(ResponseFigures, frozen=True, kw_only=True):
    kind: EventKind


class QuarterResponses(ResponseFigures, frozen=True, kw_only=True):
    """A quarter's events (starting in it), all kinds together and each kind's."""

    quarter: int
    first: date
    last: date
    kinds: list[KindResponses]


class YearResponses(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    time_zone: str
    total: ResponseFigures
    quarters: list[QuarterResponses]


class SurveyResponsesOut(msgspec.Struct, frozen=True, kw_only=True):
    """A year's response rates by quarter and kind, and each of its events that sent a survey."""

    year: YearResponses
    events: list[EventResponses]


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
