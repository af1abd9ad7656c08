"""Route paths of the travel API, in one place so tests and links never spell them out."""

from __future__ import annotations

TRIP_ITEMS = "/api/trips/{event_id:int}/items"
TRIP_ITEM = "/api/trip-items/{item_id:int}"
TRIP_ITINERARY_ICS = "/api/trips/{event_id:int}/itinerary.ics"
TRIP_TRAVELERS = "/api/trips/{event_id:int}/travelers"
TRIP_PASSPORT_CHECK = "/api/trips/{event_id:int}/passport-check"
TRIP_MANIFEST_CSV = "/api/trips/{event_id:int}/manifest.csv"
TRIP_MANIFEST_XLSX = "/api/trips/{event_id:int}/manifest.xlsx"
TRIP_ROOMS = "/api/trips/{event_id:int}/rooms"
ROOM_OCCUPANTS = "/api/rooms/{room_id:int}/occupants"
ROOM_OCCUPANT = "/api/rooms/{room_id:int}/occupants/{traveler_id:int}"
RSVP_TRAVELERS = "/api/rsvps/{rsvp_id:int}/travelers"
TRAVELER = "/api/travelers/{traveler_id:int}"
TRAVELER_DOCUMENT = "/api/travelers/{traveler_id:int}/document"
TRIP_REMINDER_DEFAULTS = "/api/trip-reminder-defaults"
