"""Member cards: what the QR on a member's card page says, signed so a forged or stale one is refused.

A card token is `CARD-` and base32 text of 7 payload bytes (format, member id, card version) and a
16-byte HMAC-SHA256 under a key derived from the club's secret for cards alone. It can never pass
for an event ticket nor a ticket for a card: a ticket is bare base32 of 75 bytes signed with
Ed25519 under another derived key, a card has its prefix, its own length and its own key; each
reader refuses the other's. The server checks the version against the member's card row, so a
reissued card's older QR stops working; a suspended member's card is refused at the scan.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
from dataclasses import dataclass

__all__ = ["CARD_PREFIX", "CardClaims", "CardSigner", "InvalidCard"]

CARD_PREFIX = "CARD-"
_FORMAT = 1
_PAYLOAD = struct.Struct(">BIH")  # format, member id, card version
_MAC_BYTES = 16
_MAX_CHARS = 100


class InvalidCard(ValueError):
    """Not a member card of this club: malformed, a ticket, or signed with another key."""


@dataclass(frozen=True, slots=True)
class CardClaims:
    member_id: int
    version: int


class CardSigner:
    def __init__(self, secret_key: str) -> None:
        self._key = hashlib.sha256(b"club-member-card v1\x00" + secret_key.encode()).digest()

    def _mac(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()[:_MAC_BYTES]

    def issue(self, claims: CardClaims) -> str:
        payload = _PAYLOAD.pack(_FORMAT, claims.member_id, claims.version)
        return CARD_PREFIX + base64.b32encode(payload + self._mac(payload)).decode().rstrip("=")

    def verify(self, token: str) -> CardClaims:
        """The claims of a genuine card; InvalidCard for anything else, never another error."""
        text = token.strip().upper()
        if len(text) > _MAX_CHARS or not text.startswith(CARD_PREFIX):
            raise InvalidCard("not a card")
        body = text.removeprefix(CARD_PREFIX)
        try:
            raw = base64.b32decode(body + "=" * (-len(body) % 8))
        except (ValueError, TypeError) as exc:
            raise InvalidCard("not a card") from exc
        if len(raw) != _PAYLOAD.size + _MAC_BYTES:
            raise InvalidCard("not a card")
        payload, mac = raw[: _PAYLOAD.size], raw[_PAYLOAD.size :]
        if not hmac.compare_digest(mac, self._mac(payload)):
            raise InvalidCard("signature does not match")
        fmt, member_id, version = _PAYLOAD.unpack(payload)
        if fmt != _FORMAT:
            raise InvalidCard("unknown card format")
        return CardClaims(member_id=member_id, version=version)
