"""Saved segments, the sends to them, and each member's delivery of a send.

A segment's filters are typed columns, never SQL (checkin.segments.query writes the statement).
The club keeps no city for its members, so a segment cannot ask for one.
`send_key` is unique: a send started twice (a double click, two coordinators) is one send;
`delivery_key` "segment:<send>:<member>" is unique, and it is the key the channel dedupes on.
A send with an `event` is an invitation to it (its members are also on the event's invitation
list); a delivery being sent holds a lease (`lease_until`): a worker killed mid-send leaves it
`sending`, and the next run takes it again once the lease ran out, with the same key.
"""

from __future__ import annotations

from enum import Enum

from piccolo.columns import JSON, Float, ForeignKey, Integer, Text, Timestamptz, Varchar

from club.table import Table
from club.tables import Member, Tier
from events.tables import Event

__all__ = ["SavedSegment", "SegmentDelivery", "SegmentDeliveryStatus", "SegmentSend"]


class SegmentDeliveryStatus(str, Enum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    skipped = "skipped"  # the member turned these messages off on this channel
    failed = "failed"


class SavedSegment(Table, tablename="saved_segment"):
    name = Varchar(length=120, unique=True)
    tier = ForeignKey(Tier, null=True, default=None)
    activity = Varchar(length=10, null=True, default=None)  # checkin.measures.rules.Segment
    min_no_show_rate = Float(null=True, default=None)  # 0 to 1
    attended_before = Timestamptz(null=True, default=None)
    attended_after = Timestamptz(null=True, default=None)
    language = Varchar(length=16, null=True, default=None)
    min_points = Integer(null=True, default=None)
    max_points = Integer(null=True, default=None)
    created_by = Varchar(length=200, default="")
    created_at = Timestamptz()


class SegmentSend(Table, tablename="segment_send"):
    segment = ForeignKey(SavedSegment, index=True)
    send_key = Varchar(length=120, unique=True)
    channel = Varchar(length=8)
    subject = Varchar(length=200, default="")
    body = Text()
    # Per language, {"zh_Hans": {"subject": ..., "template": ...}}; subject/body are the club's.
    texts = JSON(default="{}")
    event = ForeignKey(Event, null=True, default=None)  # an invitation to this event
    members = Integer(default=0)
    created_by = Varchar(length=200, default="")
    created_at = Timestamptz()


class SegmentDelivery(Table, tablename="segment_delivery"):
    send = ForeignKey(SegmentSend, index=True)
    member = ForeignKey(Member, index=True)
    delivery_key = Varchar(length=60, unique=True)
    status = Varchar(length=10, index=True)
    due_at = Timestamptz(index=True)
    reason = Varchar(length=200, default="")
    sent_at = Timestamptz(null=True, default=None)
    lease_until = Timestamptz(null=True, default=None)  # while `sending`: the worker's, until then
    attempts = Integer(default=0)
