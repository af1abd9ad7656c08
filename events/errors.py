"""Domain errors of events and RSVPs, each with its own problem type a client can switch on."""

from __future__ import annotations

from club.errors import DomainError

__all__ = ["BookedElsewhere", "EventCancelled", "EventPast", "NotConfirmed", "NotEligible", "RsvpClosed", "RsvpNotOpen"]


class EventCancelled(DomainError):
    status_code = 409
    slug = "event-cancelled"
    title = "Event cancelled"


class EventPast(DomainError):
    status_code = 409
    slug = "event-past"
    title = "Event already started"


class RsvpNotOpen(DomainError):
    status_code = 409
    slug = "rsvp-not-open"
    title = "RSVPs not open yet"


class RsvpClosed(DomainError):
    status_code = 409
    slug = "rsvp-closed"
    title = "RSVPs closed"


class NotEligible(DomainError):
    """The body carries `reasons`, the member-readable list from the eligibility rules."""

    status_code = 403
    slug = "not-eligible"
    title = "Not eligible"


class NotConfirmed(DomainError):
    status_code = 409
    slug = "rsvp-not-confirmed"
    title = "RSVP not confirmed"


class BookedElsewhere(DomainError):
    """The event is booked through a domain of its own (`booked_through`), not by RSVP."""

    status_code = 409
    slug = "booked-elsewhere"
    title = "Booked elsewhere"
