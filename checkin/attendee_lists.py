"""What the console's attendee list reads of the door: each RSVP's standing admission (when,
where, by hand and why), its no-show, and the cheap question its live view asks every few
seconds: has anything changed since the page was drawn, and if so which check-ins.

The list itself (who is confirmed, who waits and why) is events' (events.attendees,
events.waitlist); this module adds what only checkin knows. The live question is one plain
query of counts (`live_stamp`); only when its answer differs does the page ask for the
check-ins after the last one it shows (`changes_since`), so an idle poll costs one round trip
and a busy door sends each new admission once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from checkin.by_hand import BY_HAND_GATE
from checkin.tables import CheckIn, NoShow
from club import clock
from club.audit import ActionKind
from club.rows import Row, row_as, rows_as
from club.tables import ConsoleAction
from events.tables import Event, RsvpStatus

__all__ = ["Admission", "Changes", "LiveStamp", "admissions", "changes_since", "live_stamp", "no_show_rsvps"]


@dataclass(frozen=True, slots=True)
class Admission:
    """An RSVP's standing check-in (its first, at a trip's legs), as the list shows it."""

    check_in_id: int
    rsvp_id: int
    at: datetime
    gate: str
    # Checked in by hand in the console: the coordinator's reason and name (from the record).
    by_hand: bool = False
    reason: str = ""
    by_name: str = ""


class _CheckInRow(Row, frozen=True):
    id: int
    rsvp: int
    member: int
    checked_in_at: datetime
    gate: str
    reverted_at: datetime | None


class _ByHandRow(Row, frozen=True):
    member: int | None
    at: datetime
    detail: str
    by_name: str


async def _by_hand_records(event_id: int) -> dict[int, list[_ByHandRow]]:
    """The console's records of members checked in by hand at the event, oldest first, per member."""
    rows = rows_as(_ByHandRow, await ConsoleAction.select(
        ConsoleAction.member, ConsoleAction.at, ConsoleAction.detail, ConsoleAction.user.name.as_alias("by_name"),
    ).where(
        (ConsoleAction.event_id == event_id) & (ConsoleAction.action == ActionKind.checked_in_by_hand.value)
    ).order_by(ConsoleAction.id))
    by_member: dict[int, list[_ByHandRow]] = {}
    for r in rows:
        if r.member is not None:
            by_member.setdefault(r.member, []).append(r)
    return by_member


def _admission(row: _CheckInRow, records: dict[int, list[_ByHandRow]]) -> Admission:
    at = clock.aware(row.checked_in_at)
    # The record of a check-in by hand is written in its transaction, after it: the one at or
    # after this (standing, so latest) admission is its record. A scan names its gate.
    mine = [r for r in records.get(row.member, []) if clock.aware(r.at) >= at] if row.gate == BY_HAND_GATE else []
    if not mine:
        return Admission(row.id, row.rsvp, at, row.gate)
    return Admission(row.id, row.rsvp, at, row.gate, by_hand=True, reason=mine[0].detail, by_name=mine[0].by_name)


_CHECK_IN_COLUMNS = (CheckIn.id, CheckIn.rsvp, CheckIn.member, CheckIn.checked_in_at, CheckIn.gate, CheckIn.reverted_at)


async def admissions(event_id: int) -> tuple[dict[int, Admission], int]:
    """Each RSVP's standing admission, and the last check-in id of the event (0 for none): the
    point the live view asks for changes after."""
    rows = rows_as(_CheckInRow, await CheckIn.select(*_CHECK_IN_COLUMNS).where(CheckIn.event == event_id).order_by(CheckIn.id))
    standing = [r for r in rows if r.reverted_at is None]
    records = await _by_hand_records(event_id) if any(r.gate == BY_HAND_GATE for r in standing) else {}
    found: dict[int, Admission] = {}
    for row in sorted(standing, key=lambda r: (clock.aware(r.checked_in_at), r.id)):
        found.setdefault(row.rsvp, _admission(row, records))
    return found, max((r.id for r in rows), default=0)


async def no_show_rsvps(event_id: int) -> set[int]:
    """RSVPs recorded as no-shows once the doors closed."""
    return {r["rsvp"] for r in await NoShow.select(NoShow.rsvp).where(NoShow.event == event_id)}


class _StampRow(Row, frozen=True):
    check_ins: int
    reverted: int
    checked_in: int
    confirmed: int
    waitlisted: int
    rsvps: int
    no_shows: int
    last_rsvp: int


@dataclass(frozen=True, slots=True)
class LiveStamp:
    """The list's state in two parts: `rsvps` changes when anyone joins, leaves or moves up
    (the page then draws its lists again), `door` when anyone is checked in or undone."""

    rsvps: str
    door: str
    checked_in: int
    confirmed: int
    waitlisted: int

    @property
    def tag(self) -> str:
        """The whole state as an entity tag: the poll answers 304 while it holds."""
        return f'"{self.rsvps}.{self.door}"'


_C, _W = RsvpStatus.confirmed.value, RsvpStatus.waitlisted.value
# One round trip over the indexed event columns; no rows leave the database.
_STAMP_SQL = (
    "SELECT "
    "(SELECT COUNT(*) FROM check_in c WHERE c.event = e.id) AS check_ins, "
    "(SELECT COUNT(*) FROM check_in c WHERE c.event = e.id AND c.reverted_at IS NOT NULL) AS reverted, "
    "(SELECT COUNT(DISTINCT c.rsvp) FROM check_in c WHERE c.event = e.id AND c.reverted_at IS NULL) AS checked_in, "
    f"(SELECT COUNT(*) FROM rsvp r WHERE r.event = e.id AND r.status = '{_C}') AS confirmed, "
    f"(SELECT COUNT(*) FROM rsvp r WHERE r.event = e.id AND r.status = '{_W}') AS waitlisted, "
    "(SELECT COUNT(*) FROM rsvp r WHERE r.event = e.id) AS rsvps, "
    "(SELECT COUNT(*) FROM no_show n WHERE n.event = e.id) AS no_shows, "
    "(SELECT COALESCE(MAX(r.id), 0) FROM rsvp r WHERE r.event = e.id) AS last_rsvp "
    "FROM event e WHERE e.id = {}"
)


async def live_stamp(event_id: int) -> LiveStamp | None:
    """The list's state now; None for no such event."""
    found = await Event.raw(_STAMP_SQL, event_id)
    if not found:
        return None
    s = row_as(_StampRow, found[0])
    return LiveStamp(
        rsvps=f"{s.rsvps}-{s.last_rsvp}-{s.confirmed}-{s.waitlisted}-{s.no_shows}",
        door=f"{s.check_ins}-{s.reverted}",
        checked_in=s.checked_in, confirmed=s.confirmed, waitlisted=s.waitlisted,
    )


@dataclass(frozen=True, slots=True)
class Changes:
    """What the page applies: `undone` check-ins (their rows are no longer in), then `admitted`
    ones (each drawn on its RSVP's row if the row is not in), and the new last check-in id."""

    undone: list[int]
    admitted: list[Admission]
    last: int


async def changes_since(event_id: int, after: int) -> Changes:
    """What changed at the door since check-in `after`: the admissions made since (each sent
    once), and the undone check-ins with what still stands for their RSVPs (a trip's other leg).
    Undone check-ins are few (a wrong person let in, a test scan), so they are read whole."""
    fresh = rows_as(_CheckInRow, await CheckIn.select(*_CHECK_IN_COLUMNS).where(
        (CheckIn.event == event_id) & (CheckIn.id > after)
    ).order_by(CheckIn.id))
    undone = rows_as(_CheckInRow, await CheckIn.select(*_CHECK_IN_COLUMNS).where(
        (CheckIn.event == event_id) & CheckIn.reverted_at.is_not_null()
    ))
    touched = sorted({r.rsvp for r in undone})
    still = rows_as(_CheckInRow, await CheckIn.select(*_CHECK_IN_COLUMNS).where(
        (CheckIn.event == event_id) & CheckIn.reverted_at.is_null() & CheckIn.rsvp.is_in(touched or [0])
    )) if touched else []
    standing = [r for r in fresh if r.reverted_at is None] + still
    records = await _by_hand_records(event_id) if any(r.gate == BY_HAND_GATE for r in standing) else {}
    first: dict[int, Admission] = {}
    for row in sorted(standing, key=lambda r: (clock.aware(r.checked_in_at), r.id)):
        first.setdefault(row.rsvp, _admission(row, records))
    return Changes(
        undone=sorted(r.id for r in undone),
        admitted=list(first.values()),
        last=max((r.id for r in fresh), default=after),
    )
