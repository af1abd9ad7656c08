"""Route paths of the events API, in one place so tests and links never spell them out."""

from __future__ import annotations

import re

EVENTS = "/api/events"
EVENT = "/api/events/{event_id:int}"
EVENT_PUBLISH = "/api/events/{event_id:int}/publish"
EVENT_CANCEL = "/api/events/{event_id:int}/cancel"
EVENT_ELIGIBILITY = "/api/events/{event_id:int}/eligibility"
EVENT_INVITATIONS = "/api/events/{event_id:int}/invitations"
EVENT_RSVP = "/api/events/{event_id:int}/rsvp"
EVENT_ATTENDEES = "/api/events/{event_id:int}/attendees"
EVENT_ATTENDEES_CSV = "/api/events/{event_id:int}/attendees.csv"
EVENT_WAITLIST = "/api/events/{event_id:int}/waitlist"
EVENT_WAITLIST_CSV = "/api/events/{event_id:int}/waitlist.csv"
EVENT_ATTENDEES_XLSX = "/api/events/{event_id:int}/attendees.xlsx"
EVENT_WAITLIST_XLSX = "/api/events/{event_id:int}/waitlist.xlsx"
MY_RSVPS = "/api/me/rsvps"
RSVP = "/api/rsvps/{rsvp_id:int}"
RSVP_INVITE = "/api/rsvps/{rsvp_id:int}/invite.ics"
# Served by checkin (the layer above), named here so events can link a seated member to it.
RSVP_TICKET = "/api/rsvps/{rsvp_id:int}/ticket"
# The member's ticket page, served by checkin too; the events and invitations pages link to it.
# The service worker (club/web/static/sw.js) keeps exactly these paths (its KEPT pattern).
MY_TICKET_PAGE = "/tickets/{rsvp_id:int}"
MY_CALENDAR_FEED = "/api/me/calendar-feed"
CALENDAR_FEED = "/calendar/{token:str}"

_CONVERTER = re.compile(r"\{(\w+):\w+\}")


def link(template: str, **params: object) -> str:
    """A concrete path from a template: link(RSVP, rsvp_id=3) == "/api/rsvps/3"."""
    return _CONVERTER.sub(r"{\1}", template).format(**params)


def ticket_page(rsvp_id: int) -> str:
    """The member's ticket page of an RSVP: ticket_page(3) == "/tickets/3"."""
    return link(MY_TICKET_PAGE, rsvp_id=rsvp_id)
