"""CSV exports of an event's attendees and waitlist, for coordinators' spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from club.accounts import Principal
from events.attendees import attendees
from events.catalog import load_listable_event
from events.waitlist import waitlist_entries

__all__ = ["attendees_csv", "csv_text", "waitlist_csv"]


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The club's one CSV writer: every export goes through it, so every export is formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        # A cell starting with = + - @ would run as a formula in a spreadsheet: neutralise it.
        writer.writerow(["'" + v if isinstance(v, str) and v and v[0] in "=+-@" else v for v in row])
    return out.getvalue()


async def attendees_csv(event_id: int, viewer: Principal) -> str:
    await load_listable_event(event_id, viewer)
    return csv_text(
        ["rsvp_id", "member_id", "name", "email", "guests", "seats", "confirmed_at", "promoted"],
        (
            [a.rsvp_id, a.member_id, a.member_name, a.email, a.guests, a.seats,
             a.confirmed_at.isoformat() if a.confirmed_at else "", "yes" if a.promoted else "no"]
            for a in await attendees(event_id, viewer)
        ),
    )


async def waitlist_csv(event_id: int, viewer: Principal) -> str:
    event = await load_listable_event(event_id, viewer)
    return csv_text(
        ["position", "rsvp_id", "member_id", "name", "guests", "seats", "tier_at_join", "joined_at", "times_skipped", "reason"],
        (
            [w.position, w.rsvp_id, w.member_id, w.member_name, w.guests, w.seats, w.tier_at_join or "",
             w.joined_at.isoformat(), w.times_skipped, w.reason]
            for w in await waitlist_entries(event_id, event.waitlist_policy, viewer)
        ),
    )
