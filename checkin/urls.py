"""Route paths of the door API and page."""

from __future__ import annotations

from events.urls import RSVP_TICKET

SCANS = "/api/events/{event_id:int}/scans"
FIGURES = "/api/events/{event_id:int}/checkin-figures"
DOOR_EVENT = "/api/events/{event_id:int}/door"
# A gate's offline kit: the list it decides by, and where its queued scans go.
DOOR_LIST = "/api/events/{event_id:int}/door-list"
SCAN_BATCHES = "/api/events/{event_id:int}/scan-batches"
DOOR_CONFLICTS = "/api/events/{event_id:int}/door-conflicts"
NO_SHOWS = "/api/events/{event_id:int}/no-shows"
CHECK_IN_REVERT = "/api/checkins/{check_in_id:int}/revert"
TICKET = RSVP_TICKET  # events links to it, so the path is named in its layer
TICKET_SVG = "/api/rsvps/{rsvp_id:int}/ticket.svg"
TICKET_PNG = "/api/rsvps/{rsvp_id:int}/ticket.png"
TICKET_REISSUE = "/api/rsvps/{rsvp_id:int}/ticket/reissue"
PUBLIC_KEY = "/api/checkin/public-key"
DOOR_PAGE = "/door/{event_id:int}"
DOOR_STATIC = "/door-static"
# A member's ticket page, opened from a message: the signed link is the credential (checkin.ticket_page).
TICKET_PAGE = "/t/{signed:str}"
