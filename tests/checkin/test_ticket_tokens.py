"""Ticket tokens: genuine ones read back; forged, mutated and foreign ones never do."""

from __future__ import annotations

import base64
import random
from xml.etree import ElementTree

import pytest

from checkin.qr import render_ticket
from checkin.ticket_tokens import InvalidTicket, TicketClaims, TicketSigner, read_ticket

SIGNER = TicketSigner("club secret")
CLAIMS = TicketClaims(event_id=42, rsvp_id=1234567, version=2)


def test_a_ticket_reads_back_its_event_rsvp_and_version() -> None:
    assert SIGNER.verify(SIGNER.issue(CLAIMS)) == CLAIMS


def test_a_ticket_is_short_enough_for_a_small_qr_code() -> None:
    token = SIGNER.issue(TicketClaims(event_id=2**32 - 1, rsvp_id=2**32 - 1, version=2**16 - 1))
    assert len(token) <= 120 and token.isalnum() and token.isupper()


def test_a_scanner_with_only_the_public_key_can_verify() -> None:
    token = SIGNER.issue(CLAIMS)
    assert read_ticket(token, SIGNER.public_key) == CLAIMS


def test_a_ticket_signed_by_another_club_is_refused() -> None:
    forged = TicketSigner("another club").issue(CLAIMS)
    with pytest.raises(InvalidTicket):
        SIGNER.verify(forged)


def test_changing_the_claims_breaks_the_signature() -> None:
    raw = bytearray(base64.b32decode(SIGNER.issue(CLAIMS)))  # 75 bytes: 120 chars, no padding
    raw[5] ^= 0x01  # another event id, same signature
    with pytest.raises(InvalidTicket):
        SIGNER.verify(base64.b32encode(bytes(raw)).decode().rstrip("="))


def test_every_single_character_mutation_is_refused_and_nothing_else_is_raised() -> None:
    token = SIGNER.issue(CLAIMS)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567-=/ 01x"
    rng = random.Random(7)
    tried = 0
    for i in range(len(token)):
        for c in rng.sample(alphabet.replace(token[i], "").replace(token[i].lower(), ""), 3):
            with pytest.raises(InvalidTicket):
                SIGNER.verify(token[:i] + c + token[i + 1 :])
            tried += 1
    assert tried == 3 * len(token)


@pytest.mark.parametrize(
    "garbage", ["", " ", "hello", "A" * 120, "A" * 5000, "é" * 50, "AAAA====AAAA", "\x00\x01", "1" * 120]
)
def test_garbage_is_an_invalid_ticket(garbage: str) -> None:
    with pytest.raises(InvalidTicket):
        SIGNER.verify(garbage)


def test_lowercase_and_surrounding_space_from_a_scanner_are_accepted() -> None:
    token = SIGNER.issue(CLAIMS)
    assert SIGNER.verify(f"  {token.lower()}\n") == CLAIMS


def test_qr_images_are_real_svg_and_png_and_cached() -> None:
    token = SIGNER.issue(CLAIMS)
    svg = render_ticket(token, "svg")
    png = render_ticket(token, "png")
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
    # White under the modules and the quiet zone, so it scans on a dark screen.
    root = ElementTree.fromstring(svg)
    background, modules = list(root)
    assert background.tag.endswith("rect") and background.get("fill") == "white"
    assert (background.get("x"), background.get("y"), background.get("width"), background.get("height")) == ("0", "0", "100%", "100%")
    assert modules.tag.endswith("path") and modules.get("d", "").startswith("M4,4")  # 4 modules of quiet zone
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    hits_before = render_ticket.cache_info().hits
    assert render_ticket(token, "png") is png
    assert render_ticket.cache_info().hits == hits_before + 1
