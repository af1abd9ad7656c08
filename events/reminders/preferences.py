"""Members' choices of channels per kind of message, and what reaches them whatever they chose.

A kind is what the member would call the message (a booking's news, a reminder, a change of
time); a must-reach kind (a cancelled event, a moved event, a health preparation such as a
fasting instruction) is sent whatever the preferences say and carries no List-Unsubscribe.
A one-click unsubscribe (RFC 8058) takes the e-mail channel off the message's kind.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from club import clock
from club.db import write_transaction
from club.errors import InvalidInput
from club.signed_links import BadLink, open_link, sign_link
from events.reminders.tables import Channel, MessagePreference, QuietPolicy

__all__ = [
    "MUST_REACH",
    "MessageKind",
    "accepts",
    "kind_of",
    "open_unsubscribe_link",
    "preferences_of",
    "set_preferences",
    "unsubscribe",
    "unsubscribe_link",
]


class MessageKind(StrEnum):
    booking = "booking"  # confirmed, waitlisted, a seat freed up
    invitation = "invitation"  # a show's personal invitation and its offers; a segment's invitation to an event
    reminder = "reminder"  # a step of a reminder sequence
    preparation = "preparation"  # a step carrying a health preparation (fasting): must reach
    event_moved = "event_moved"  # must reach
    event_cancelled = "event_cancelled"  # must reach
    segment = "segment"  # club news: a coordinator's message to a segment of members
    other = "other"  # a referral's thanks, and anything not about an event
    sign_in = "sign_in"  # a one-time sign-in code the member asked for: must reach


MUST_REACH = frozenset({MessageKind.preparation, MessageKind.event_moved, MessageKind.event_cancelled, MessageKind.sign_in})

_NOTICE_KINDS = {
    "confirmed": MessageKind.booking,
    "waitlisted": MessageKind.booking,
    "promoted": MessageKind.booking,
    "event_moved": MessageKind.event_moved,
    "event_cancelled": MessageKind.event_cancelled,
    "show_invited": MessageKind.invitation,
    "show_offered": MessageKind.invitation,
    "show_offer_expired": MessageKind.invitation,
    # The club took back a personal invitation: as binding as a cancellation.
    "show_invitation_withdrawn": MessageKind.event_cancelled,
}

_UNSUBSCRIBE = "unsubscribe"


def kind_of(
    notice_kind: str | None, template: str | None, preparation: str | None, quiet_policy: QuietPolicy | None = None
) -> MessageKind:
    """The kind of an outgoing message: an outbox notice's, or a reminder step's. A step of a
    sequence that carries a preparation (a health check-up's) is a preparation when it speaks
    the {preparation}, or goes out even at night (QuietPolicy.send: the fasting message the
    member expects before breakfast, written out in full rather than through the placeholder)."""
    if notice_kind:
        return _NOTICE_KINDS.get(notice_kind, MessageKind.other)
    if preparation and ((template and "{preparation}" in template) or quiet_policy == QuietPolicy.send):
        return MessageKind.preparation
    return MessageKind.reminder


def _key(member_id: int, kind: MessageKind) -> str:
    return f"{member_id}:{kind.value}"


def _channels(text: str) -> frozenset[Channel]:
    return frozenset(Channel(c) for c in text.split(",") if c)


async def preferences_of(member_id: int) -> dict[MessageKind, frozenset[Channel]]:
    """Every kind with the channels the member accepts for it (all, where they chose nothing)."""
    rows = await MessagePreference.select(MessagePreference.kind, MessagePreference.channels).where(
        MessagePreference.member == member_id
    )
    chosen = {MessageKind(r["kind"]): _channels(r["channels"]) for r in rows if r["kind"] in MessageKind.__members__}
    return {kind: (frozenset(Channel) if kind in MUST_REACH else chosen.get(kind, frozenset(Channel))) for kind in MessageKind}


async def accepts(member_id: int, kind: MessageKind, channel: Channel) -> bool:
    """Whether a message of `kind` may go to the member by `channel`."""
    if kind in MUST_REACH:
        return True
    row = await MessagePreference.select(MessagePreference.channels).where(
        MessagePreference.preference_key == _key(member_id, kind)
    ).first()
    return row is None or channel in _channels(row["channels"])


async def _store(member_id: int, kind: MessageKind, channels: Iterable[Channel]) -> None:
    text = ",".join(sorted(c.value for c in set(channels)))
    now = clock.now()
    P = MessagePreference
    await P.insert(P(member=member_id, kind=kind.value, preference_key=_key(member_id, kind), channels=text, updated_at=now)).on_conflict(
        target=P.preference_key, action="DO UPDATE", values=[(P.channels, text), (P.updated_at, now)]
    )


async def set_preferences(member_id: int, choices: dict[MessageKind, frozenset[Channel]]) -> dict[MessageKind, frozenset[Channel]]:
    """Store the member's channels for the kinds named; a must-reach kind cannot be turned off."""
    refused = sorted(k.value for k, channels in choices.items() if k in MUST_REACH and channels != frozenset(Channel))
    if refused:
        raise InvalidInput(
            "These messages always reach you and cannot be turned off: {kinds}.", text_values={"kinds": ", ".join(refused)}
        )
    async with write_transaction():
        for kind, channels in choices.items():
            if kind not in MUST_REACH:
                await _store(member_id, kind, channels)
    return await preferences_of(member_id)


async def unsubscribe(member_id: int, kind: MessageKind) -> None:
    """One click: no more e-mail of this kind (the other channels stay as they were)."""
    if kind in MUST_REACH:
        return
    async with write_transaction():
        current = (await preferences_of(member_id))[kind]
        await _store(member_id, kind, current - {Channel.email})


def unsubscribe_link(secret_key: str, member_id: int, kind: MessageKind) -> str:
    return sign_link(secret_key, _UNSUBSCRIBE, member_id, kind.value)


def open_unsubscribe_link(secret_key: str, text: str) -> tuple[int, MessageKind]:
    """The member and kind of a genuine unsubscribe link; BadLink for anything else."""
    member, kind = open_link(secret_key, _UNSUBSCRIBE, text, 2)
    if not member.isdigit() or kind not in MessageKind.__members__:
        raise BadLink("not a link of ours")
    return int(member), MessageKind(kind)
