"""Saved segments and sends: create, list, preview, and start a send (one transaction each)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from checkin.measures.rules import Segment, SegmentThresholds
from checkin.segments.query import Filters, member_sql, preview
from checkin.segments.schemas import InviteIn, PreviewMember, SegmentIn, SegmentOut, SegmentPreview, SendIn, SendOut
from checkin.segments.tables import SavedSegment, SegmentDelivery, SegmentDeliveryStatus, SegmentSend
from club.db import write_transaction
from club.errors import Conflict, InvalidInput, NotFound
from club.honours.next_tier import next_tiers_of
from club.honours.schemas import next_tier_out
from club.i18n.languages import language_of
from club.tables import Member, Tier
from events.reminders.tables import Channel
from events.tables import Event, EventStatus, RsvpStatus

__all__ = [
    "create_segment", "delivery_key", "get_segment", "list_segments", "preview_segment", "send_key", "send_out", "sends_of",
    "start_invitation", "start_send",
]

PLACEHOLDERS = frozenset({"member_name"})
INVITATION_PLACEHOLDERS = frozenset({"member_name", "event_title", "event_link", "local_time", "venue"})
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def send_key(segment_id: int, key: str) -> str:
    """A send's unique key: the coordinator's key within the segment."""
    return f"{segment_id}:{key}"


def delivery_key(send_id: int, member_id: int) -> str:
    return f"segment:{send_id}:{member_id}"


def _out(row: dict[str, Any]) -> SegmentOut:
    return SegmentOut(
        id=row["id"], name=row["name"], tier=row["tier_name"],
        activity=Segment(row["activity"]) if row["activity"] else None, min_no_show_rate=row["min_no_show_rate"],
        attended_before=row["attended_before"], attended_after=row["attended_after"], language=row["language"],
        min_points=row["min_points"], max_points=row["max_points"], created_by=row["created_by"],
        created_at=row["created_at"],
    )


_S = SavedSegment
_FIELDS = (*_S.all_columns(), _S.tier.name.as_alias("tier_name"))


async def _segment_row(segment_id: int) -> dict[str, Any]:
    row = await _S.select(*_FIELDS).where(_S.id == segment_id).first()
    if row is None:
        raise NotFound("Segment {segment_id} does not exist.", text_values={"segment_id": segment_id})
    return row


def _filters(row: dict[str, Any]) -> Filters:
    return Filters(
        tier_id=row["tier"], activity=Segment(row["activity"]) if row["activity"] else None,
        min_no_show_rate=row["min_no_show_rate"], attended_before=row["attended_before"],
        attended_after=row["attended_after"], language=row["language"], min_points=row["min_points"],
        max_points=row["max_points"],
    )


async def create_segment(data: SegmentIn, by: str, now: datetime) -> SegmentOut:
    if data.min_points is not None and data.max_points is not None and data.min_points > data.max_points:
        raise InvalidInput("The points range is empty: the least is above the most.")
    if data.attended_before is not None and data.attended_after is not None and data.attended_after >= data.attended_before:
        raise InvalidInput("The last attendance range is empty: its start is not before its end.")
    language = None
    if data.language is not None:
        found = language_of(data.language)
        if found is None:
            raise InvalidInput("The club does not write {language}.", text_values={"language": data.language})
        language = found.value
    async with write_transaction():
        tier_id = None
        if data.tier is not None:
            tier = await Tier.select(Tier.id).where(Tier.name == data.tier).first()
            if tier is None:
                raise InvalidInput("There is no tier named {tier}.", text_values={"tier": data.tier})
            tier_id = tier["id"]
        created = await _S.insert(_S(
            name=data.name, tier=tier_id, activity=data.activity.value if data.activity else None,
            min_no_show_rate=data.min_no_show_rate, attended_before=data.attended_before,
            attended_after=data.attended_after, language=language, min_points=data.min_points,
            max_points=data.max_points, created_by=by, created_at=now,
        )).on_conflict(target=_S.name, action="DO NOTHING").returning(_S.id)
        if not created:
            raise Conflict("A segment named {name} exists already.", text_values={"name": data.name})
    return _out(await _segment_row(created[0]["id"]))


async def list_segments() -> list[SegmentOut]:
    return [_out(r) for r in await _S.select(*_FIELDS).order_by(_S.name)]


async def get_segment(segment_id: int) -> SegmentOut:
    return _out(await _segment_row(segment_id))


async def preview_segment(segment_id: int, now: datetime, thresholds: SegmentThresholds) -> SegmentPreview:
    total, rows = await preview(_filters(await _segment_row(segment_id)), now, thresholds)
    nearest = await next_tiers_of(r["id"] for r in rows)
    return SegmentPreview(segment_id=segment_id, members=total, first=[
        PreviewMember(id=r["id"], name=r["name"], tier=r["tier"], language=r["language"], points=int(r["points"] or 0),
                      next_tier=next_tier_out(nearest[r["id"]]) if r["id"] in nearest else None)
        for r in rows
    ])


def _check_texts(known: frozenset[str], *texts: str) -> None:
    unknown = sorted({name for t in texts for name in _PLACEHOLDER.findall(t) if name not in known})
    if not unknown:
        return
    names = ", ".join("{" + n + "}" for n in unknown)
    if known == PLACEHOLDERS:
        raise InvalidInput("A message to a segment knows only the {known} placeholder, not {names}.",
                           text_values={"known": "{member_name}", "names": names})
    raise InvalidInput("An invitation knows the placeholders {known}, not {names}.",
                       text_values={"known": ", ".join("{" + n + "}" for n in sorted(known)), "names": names})


def _texts_of(data: SendIn | InviteIn, known: frozenset[str]) -> dict[str, dict[str, str]]:
    if data.channel == Channel.call:
        raise InvalidInput("A message to a segment goes by e-mail or SMS, not as calls.")
    texts: dict[str, dict[str, str]] = {}
    for tag, text in data.texts.items():
        language = language_of(tag)
        if language is None:
            raise InvalidInput("The club does not write {language}.", text_values={"language": tag})
        texts[language.value] = {"subject": text.subject, "template": text.body}
    _check_texts(known, data.subject, data.body, *(t for x in texts.values() for t in x.values()))
    return texts


async def start_send(
    segment_id: int, data: SendIn, by: str, now: datetime, thresholds: SegmentThresholds,
) -> tuple[SendOut, bool]:
    """The send and whether this call started it. One transaction: the send (unique on its key:
    the same key again finds the first send, whatever happened meanwhile) and a pending delivery
    for each member the segment holds now, written by one INSERT ... SELECT of the segment's query."""
    texts = _texts_of(data, PLACEHOLDERS)
    return await _start(segment_id, data, texts, by, now, thresholds)


async def start_invitation(
    segment_id: int, data: InviteIn, by: str, by_user: int | None, now: datetime, thresholds: SegmentThresholds,
) -> tuple[SendOut, bool]:
    """An invitation to an event for every member of the segment now who holds no place at it yet:
    a send like `start_send`'s (the same key again is the same invitation), whose members are put
    on the event's invitation list in the same transaction, so an event by invitation, or above
    their tier, takes their RSVP. Without a text of the coordinator's, each reads the club's own
    invitation in their language; either way it carries the event's link."""
    texts = _texts_of(data, INVITATION_PLACEHOLDERS)
    return await _start(segment_id, data, texts, by, now, thresholds, event_id=data.event_id, by_user=by_user)


async def _invitable(event_id: int, now: datetime) -> None:
    event = await Event.select(Event.status, Event.starts_at, Event.booked_through).where(Event.id == event_id).first()
    if event is None or event["status"] == EventStatus.draft.value:
        raise InvalidInput("Only a published event can be invited to; event {event_id} is not one.",
                           text_values={"event_id": event_id})
    if event["status"] == EventStatus.cancelled.value:
        raise InvalidInput("Nobody can be invited to a cancelled event.")
    if event["starts_at"] <= now:
        raise InvalidInput("This event has already started; it takes no more RSVPs.")
    if event["booked_through"]:
        raise InvalidInput("Event {event_id} is booked through {booked_through}, not by RSVP.",
                           text_values={"event_id": event_id, "booked_through": event["booked_through"]})


async def _start(
    segment_id: int, data: SendIn | InviteIn, texts: dict[str, dict[str, str]], by: str, now: datetime,
    thresholds: SegmentThresholds, *, event_id: int | None = None, by_user: int | None = None,
) -> tuple[SendOut, bool]:
    key = send_key(segment_id, data.key)
    async with write_transaction():
        segment = await _segment_row(segment_id)
        if event_id is not None:
            await _invitable(event_id, now)
        created = await SegmentSend.insert(SegmentSend(
            segment=segment_id, send_key=key, channel=data.channel.value, subject=data.subject, body=data.body,
            texts=json.dumps(texts), created_by=by, created_at=now, event=event_id,
        )).on_conflict(target=SegmentSend.send_key, action="DO NOTHING").returning(SegmentSend.id)
        if created:
            send_id = int(created[0]["id"])
            sql, values = member_sql(
                _filters(segment), now, thresholds,
                f"{send_id}, m.id, 'segment:{send_id}:' || CAST(m.id AS VARCHAR(20)), "
                f"'{SegmentDeliveryStatus.pending.value}', {{}}, ''",
            )
            if event_id is not None:
                # Who holds a seat or a waitlist place already needs no invitation.
                sql += (f" AND NOT EXISTS (SELECT 1 FROM rsvp r WHERE r.event = {int(event_id)} AND r.member = m.id"
                        f" AND r.status <> '{RsvpStatus.cancelled.value}')")
            await Member.raw(
                "INSERT INTO segment_delivery (send, member, delivery_key, status, due_at, reason)" + sql, now, *values,
            )
            if event_id is not None:
                await Member.raw(
                    "INSERT INTO event_invitation (event, member, invite_key, invited_by, created_at) "
                    f"SELECT {int(event_id)}, d.member, '{int(event_id)}:' || CAST(d.member AS VARCHAR(20)), {{}}, {{}} "
                    "FROM segment_delivery d WHERE d.send = {} ON CONFLICT (invite_key) DO NOTHING", by_user, now, send_id,
                )
            count = await SegmentDelivery.count().where(SegmentDelivery.send == send_id)
            await SegmentSend.update({SegmentSend.members: count}).where(SegmentSend.id == send_id)
    if not created:
        found = await SegmentSend.select(SegmentSend.id, SegmentSend.segment).where(SegmentSend.send_key == key).first()
        assert found is not None
        send_id = int(found["id"])
    return await send_out(send_id), bool(created)


async def sends_of(segment_id: int) -> list[SendOut]:
    """A segment's sends, the latest first."""
    rows = await SegmentSend.select(SegmentSend.id).where(SegmentSend.segment == segment_id).order_by(
        SegmentSend.id, ascending=False).limit(20)
    return [await send_out(int(r["id"])) for r in rows]


async def send_out(send_id: int) -> SendOut:
    send = await SegmentSend.select().where(SegmentSend.id == send_id).first()
    if send is None:
        raise NotFound("Send {send_id} does not exist.", text_values={"send_id": send_id})
    counts = {r["status"]: int(r["n"]) for r in await Member.raw(
        "SELECT status, COUNT(*) AS n FROM segment_delivery WHERE send = {} GROUP BY status", send_id)}
    return SendOut(
        id=send["id"], segment_id=send["segment"], key=send["send_key"].split(":", 1)[1], channel=send["channel"],
        subject=send["subject"], members=send["members"], event_id=send["event"],
        pending=counts.get(SegmentDeliveryStatus.pending.value, 0) + counts.get(SegmentDeliveryStatus.sending.value, 0),
        sent=counts.get(SegmentDeliveryStatus.sent.value, 0), skipped=counts.get(SegmentDeliveryStatus.skipped.value, 0),
        failed=counts.get(SegmentDeliveryStatus.failed.value, 0), created_by=send["created_by"],
        created_at=send["created_at"],
    )
