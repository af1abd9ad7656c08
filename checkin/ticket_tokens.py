"""Ticket tokens: what a member's QR code says, signed so a forged code is told apart offline.

A token is base32 text (QR alphanumeric mode packs it densely) of 11 payload bytes and an
Ed25519 signature: format, event id, RSVP id, ticket version. The event id binds the
ticket to its event; the version lets a reissue revoke every older code. A scanner holding
only the club's public key can check the signature without the network; the server also
checks the RSVP's current state and version.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = [
    "InvalidTicket",
    "TicketClaims",
    "TicketSigner",
    "key_fingerprint",
    "public_key_pem",
    "read_ticket",
]

_FORMAT = 1
_PAYLOAD = struct.Struct(">BIIH")  # format, event id, rsvp id, ticket version
_SIGNATURE_BYTES = 64
_TOKEN_BYTES = _PAYLOAD.size + _SIGNATURE_BYTES
MAX_TOKEN_CHARS = 200  # anything longer is not ours; refuse before decoding


class InvalidTicket(ValueError):
    """Not a ticket of this club: malformed, truncated, or signed with another key."""


@dataclass(frozen=True, slots=True)
class TicketClaims:
    event_id: int
    rsvp_id: int
    version: int


class TicketSigner:
    """Signs and verifies tickets with the club's Ed25519 key, derived from its secret key."""

    def __init__(self, secret_key: str) -> None:
        seed = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=b"club-ticket-signing", info=b"ed25519 v1"
        ).derive(secret_key.encode())
        self._private = Ed25519PrivateKey.from_private_bytes(seed)
        self.public_key: Ed25519PublicKey = self._private.public_key()

    def issue(self, claims: TicketClaims) -> str:
        payload = _PAYLOAD.pack(_FORMAT, claims.event_id, claims.rsvp_id, claims.version)
        raw = payload + self._private.sign(payload)
        return base64.b32encode(raw).decode().rstrip("=")

    def verify(self, token: str) -> TicketClaims:
        return read_ticket(token, self.public_key)


def read_ticket(token: str, public_key: Ed25519PublicKey) -> TicketClaims:
    """The claims of a genuine ticket; InvalidTicket for anything else, never another error."""
    text = token.strip().upper()
    if not text or len(text) > MAX_TOKEN_CHARS:
        raise InvalidTicket("not a ticket")
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except (ValueError, TypeError) as exc:
        raise InvalidTicket("not a ticket") from exc
    if len(raw) != _TOKEN_BYTES:
        raise InvalidTicket("not a ticket")
    payload, signature = raw[: _PAYLOAD.size], raw[_PAYLOAD.size :]
    try:
        public_key.verify(signature, payload)
    except InvalidSignature as exc:
        raise InvalidTicket("signature does not match") from exc
    fmt, event_id, rsvp_id, version = _PAYLOAD.unpack(payload)
    if fmt != _FORMAT:
        raise InvalidTicket("unknown ticket format")
    return TicketClaims(event_id=event_id, rsvp_id=rsvp_id, version=version)


def public_key_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def key_fingerprint(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]
