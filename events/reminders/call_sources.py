"""The calls of events whose bookings are private (a clinic's slot): the domain that books them
says how reading them is recorded and how an outcome is recorded, so the console's one call list
can hold them without going around that domain's audit.

The domains are above this layer: each registers itself through the wiring (club.server.wiring),
as it registers its booked_through name with events.catalog. A private domain that registered
nothing here has its calls left out of the console's list, never shown unrecorded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from club.accounts import Principal
from events.reminders.tables import CallOutcome

__all__ = ["PrivateCalls", "private_calls", "register_private_calls"]

# (reader, the members whose calls are read, what was read) -> recorded before they are shown.
ReadRecorder = Callable[[Principal, Iterable[int], str], Awaitable[None]]
# (task id, outcome, note, retry in minutes, by whom) -> the domain's own record of the outcome.
OutcomeRecorder = Callable[[int, CallOutcome, str, int, Principal], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class PrivateCalls:
    domain: str  # the events' booked_through
    record_reads: ReadRecorder
    record_outcome: OutcomeRecorder
    # What a read is recorded as: the domain's own word for its call list.
    read_as: str = "call-list"


_SOURCES: dict[str, PrivateCalls] = {}


def register_private_calls(source: PrivateCalls) -> None:
    _SOURCES[source.domain] = source


def private_calls(domain: str) -> PrivateCalls | None:
    """How the calls of events booked through `domain` are read and recorded; None: not at all."""
    return _SOURCES.get(domain)
