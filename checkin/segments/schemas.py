"""Request and response shapes of the segments API (msgspec; never a table row)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import Meta, Struct

from checkin.measures.rules import Segment
from club.bounds import Instant
from club.schemas import NextTierOut, Strict, TierName
from events.reminders.tables import Channel

__all__ = ["InviteIn", "PreviewMember", "SegmentIn", "SegmentOut", "SegmentPreview", "SendIn", "SendOut"]

Name = Annotated[str, Meta(min_length=1, max_length=120)]
Rate = Annotated[float, Meta(ge=0, le=1)]
Points = Annotated[int, Meta(ge=0, le=1_000_000_000)]
LanguageTag = Annotated[str, Meta(max_length=16)]
Subject = Annotated[str, Meta(max_length=200)]
Body = Annotated[str, Meta(min_length=1, max_length=2000)]
Key = Annotated[str, Meta(min_length=1, max_length=100)]


class SegmentIn(Strict):
    """A saved query: every filter given narrows it; none given is every active member. `activity`
    is active, cooling or dormant by the club's thresholds; `min_no_show_rate` is no-shows over
    the door's outcomes (0 to 1); `attended_before`/`attended_after` bound the last admission
    (a member who never came is "before" any instant); points are the member's balance. The club
    keeps no city for its members, so there is no city filter."""

    name: Name
    tier: TierName | None = None
    activity: Segment | None = None
    min_no_show_rate: Rate | None = None
    attended_before: Instant | None = None
    attended_after: Instant | None = None
    language: LanguageTag | None = None
    min_points: Points | None = None
    max_points: Points | None = None


class SegmentOut(Struct, frozen=True, kw_only=True):
    id: int
    name: str
    tier: str | None
    activity: Segment | None
    min_no_show_rate: float | None
    attended_before: datetime | None
    attended_after: datetime | None
    language: str | None
    min_points: int | None
    max_points: int | None
    created_by: str
    created_at: datetime


class PreviewMember(Struct, frozen=True, kw_only=True):
    id: int
    name: str
    tier: str | None
    language: str
    points: int
    next_tier: NextTierOut | None = None  # the points (and any spend) still needed for the tier above


class SegmentPreview(Struct, frozen=True, kw_only=True):
    segment_id: int
    members: int
    first: list[PreviewMember]


class LanguageText(Strict):
    body: Body
    subject: Subject = ""


class SendIn(Strict):
    """A one-off message to every member of the segment at the moment of the send. `key` names
    the send: the same key again is the same send (a double click, two coordinators), never a
    second one. The texts take {member_name}; `texts` per language (zh_Hans, zh_Hant, en)
    override subject/body for members who read that language."""

    key: Key
    body: Body
    subject: Subject = ""
    channel: Channel = Channel.email
    texts: dict[LanguageTag, LanguageText] = {}


class InviteIn(Strict):
    """An invitation to event `event_id` for every member of the segment at the moment who holds
    no place at it yet, once each (`key` as a send's). Each is put on the event's invitation list
    (so an event by invitation, or above their tier, takes their RSVP) and receives a message
    with the event's link: the club's own invitation in their language, unless `body` (and
    `texts` per language) say otherwise, with {member_name}, {event_title}, {local_time},
    {venue} and {event_link}. By invitation, it goes to members who take personal invitations."""

    key: Key
    event_id: Annotated[int, Meta(ge=1, le=2_147_483_647)]
    body: Annotated[str, Meta(max_length=2000)] = ""
    subject: Subject = ""
    channel: Channel = Channel.email
    texts: dict[LanguageTag, LanguageText] = {}


class SendOut(Struct, frozen=True, kw_only=True):
    id: int
    segment_id: int
    key: str
    channel: str
    subject: str
    members: int
    pending: int
    sent: int
    skipped: int
    failed: int
    created_by: str
    created_at: datetime
    event_id: int | None = None  # an invitation's event
