"""SMS specifics: the segments a text is billed as, and the gateway template filed for a kind.

Mainland providers send only templates filed with them (a template id, its parameters and the
club's registered signature); elsewhere a gateway takes free text, billed per segment.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from club.settings import Settings
    from events.reminders.channels import OutgoingMessage

__all__ = ["segments_of", "sms_segments", "template_of"]

# GSM 03.38: the 7-bit alphabet of a plain SMS, and the extension table's characters, which
# take two of a segment's septets (an escape, then the character).
_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")


def sms_segments(text: str) -> int:
    """How many SMS a gateway bills `text` as: GSM-7 fits 160 septets in one message, 153 in each
    part of a longer one; anything outside GSM-7 (Chinese) goes as UCS-2, 70 characters in one,
    67 in each part (counted in UTF-16 units: an emoji is two)."""
    if all(c in _GSM7_BASIC or c in _GSM7_EXTENSION for c in text):
        units = len(text) + sum(c in _GSM7_EXTENSION for c in text)
        single, part = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
    return 1 if units <= single else math.ceil(units / part)


def template_of(message: OutgoingMessage, settings: Settings) -> str | None:
    """The gateway template filed for the message's `template_kind` ("confirmed", "event_moved",
    "reminder", "birthday") in settings.sms_templates, if the club filed one."""
    return settings.sms_templates.get(message.template_kind) if message.template_kind else None


def segments_of(message: OutgoingMessage, settings: Settings) -> int | None:
    """The segments an SMS's free text takes; None for another channel, or for an SMS sent as
    a template (the provider writes and bills those)."""
    if message.channel != "sms" or template_of(message, settings) is not None:
        return None
    return sms_segments(message.body)
