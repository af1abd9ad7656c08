"""The door's conflicts as the console's attendee list shows them: each scan a gate let in that
does not count as the admission (checkin.door_conflicts), in the coordinator's language, with
its time on the venue's clock beside the admission that stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from checkin.door_conflicts import DoorConflictOut, door_conflicts
from checkin.rules import ScanResult
from checkin.sync_rules import ConflictKind
from club.i18n.catalogs import N_, gettext
from club.i18n.languages import Language

__all__ = ["ConflictLine", "conflict_lines", "time_at_gate"]

# What happened, by the server's reading of the ticket at the scan's time.
_WHAT = {
    ScanResult.already_checked_in: N_("Scanned again after the admission"),
    ScanResult.invalid: N_("Let in, but the ticket had been replaced by a newer one"),
    ScanResult.cancelled: N_("Let in, but the RSVP or its event had been cancelled"),
    ScanResult.suspended: N_("Let in, but the membership is suspended"),
    ScanResult.not_confirmed: N_("Let in, but the RSVP was not confirmed"),
    ScanResult.wrong_event: N_("Let in with another event's ticket"),
    ScanResult.not_open: N_("Let in before check-in opened"),
    ScanResult.closed: N_("Let in after check-in closed"),
    ScanResult.departed: N_("Let in after the group had left"),
}


@dataclass(frozen=True, slots=True)
class ConflictLine:
    conflict: DoorConflictOut
    what: str
    scan: str  # when, where and by whom this scan was made
    standing: str  # the admission that stands, or that none does
    bad: bool  # let in against the list: red; a duplicate is amber


def time_at_gate(language: Language, instant: datetime, gate: str | None, zone: str) -> str:
    """A scan's time on the venue's clock and its gate, as the attendee list writes them."""
    at = instant.astimezone(ZoneInfo(zone)).strftime("%H:%M")
    return gettext(language, "{time} · gate {gate}", time=at, gate=gate) if gate else at


def _line(language: Language, c: DoorConflictOut, zone: str) -> ConflictLine:
    what = _WHAT.get(c.result, N_("Scanned again after the admission"))
    details = [time_at_gate(language, c.scanned_at, c.gate, zone)]
    if c.scanned_by:
        details.append(gettext(language, "by {name}", name=c.scanned_by))
    if c.decided_offline:
        details.append(gettext(language, "decided offline"))
    if c.admitted_at is not None:
        standing = time_at_gate(language, c.admitted_at, c.admitted_gate, zone)
    else:
        standing = gettext(language, "No admission stands.")
    return ConflictLine(c, gettext(language, what), " · ".join(details), standing, bad=c.kind is not ConflictKind.duplicate)


async def conflict_lines(event_id: int, language: Language, zone: str) -> list[ConflictLine]:
    return [_line(language, c, zone) for c in await door_conflicts(event_id)]
