"""The visit rules on plain values: the day on the store's clock, the daily cap, the visit's key,
and a card that is never a ticket (nor a ticket a card)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from checkin.ticket_tokens import InvalidTicket, TicketClaims, TicketSigner
from club.visits.cards import CardClaims, CardSigner, InvalidCard
from club.visits.rules import VisitEarning, local_day, visit_earning, visit_key


def test_the_day_is_the_stores_own() -> None:
    # 17:30 in Paris on 1 December is already 2 December in Shanghai (00:30), still 1 December in Paris.
    instant = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)
    assert local_day(instant, "Asia/Shanghai") == date(2026, 12, 2)
    assert local_day(instant, "Europe/Paris") == date(2026, 12, 1)
    assert local_day(datetime(2026, 12, 1, 15, 59, tzinfo=UTC), "Asia/Shanghai") == date(2026, 12, 1)
    with pytest.raises(ValueError):
        local_day(datetime(2026, 12, 1, 12, 0), "Asia/Shanghai")


def test_the_daily_cap_cuts_a_visit_and_then_stops_them() -> None:
    assert visit_earning(50, 100, 0) == VisitEarning(50, capped=False)
    assert visit_earning(50, 100, 50) == VisitEarning(50, capped=False)
    assert visit_earning(50, 120, 100) == VisitEarning(20, capped=True)
    assert visit_earning(50, 100, 100) == VisitEarning(0, capped=True)
    assert visit_earning(50, 100, 150) == VisitEarning(0, capped=True)  # a cap lowered since
    assert visit_earning(50, 0, 0) == VisitEarning(0, capped=True)  # a cap of 0 turns visit points off
    with pytest.raises(ValueError):
        visit_earning(-1, 100, 0)


def test_a_visit_is_keyed_by_member_store_and_local_day() -> None:
    assert visit_key(7, "SH-IFC", date(2026, 12, 2)) == "7:SH-IFC:2026-12-02"
    assert visit_key(7, "SH-IFC", date(2026, 12, 2)) != visit_key(7, "BJ-SKP", date(2026, 12, 2))


def test_a_card_is_signed_versioned_and_never_a_ticket() -> None:
    cards, tickets = CardSigner("club-secret"), TicketSigner("club-secret")
    card = cards.issue(CardClaims(member_id=42, version=3))
    assert cards.verify(card) == CardClaims(42, 3)
    assert cards.verify(card.lower()) == CardClaims(42, 3)  # a scanner may lower-case it
    ticket = tickets.issue(TicketClaims(event_id=1, rsvp_id=42, version=3))
    with pytest.raises(InvalidCard):
        cards.verify(ticket)
    with pytest.raises(InvalidCard):
        cards.verify("CARD-" + ticket)
    with pytest.raises(InvalidTicket):
        tickets.verify(card)
    with pytest.raises(InvalidTicket):
        tickets.verify(card.removeprefix("CARD-"))
    with pytest.raises(InvalidCard):
        CardSigner("another-club").verify(card)
    forged = card[:-3] + ("AAA" if not card.endswith("AAA") else "BBB")
    for bad in (forged, "", "CARD-", "CARD-!!!", "x" * 500):
        with pytest.raises(InvalidCard):
            cards.verify(bad)
