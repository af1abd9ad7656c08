"""Route paths of show invitations, in one place so tests and links never spell them out.

A show's id is its event's id: tickets, the door, reminders and the calendar use the same one.
"""

from __future__ import annotations

SHOWS = "/api/shows"
SHOW = "/api/shows/{show_id:int}"
SHOW_CATEGORIES = "/api/shows/{show_id:int}/categories"
SHOW_CATEGORY = "/api/shows/{show_id:int}/categories/{category_id:int}"
SHOW_INVITATIONS = "/api/shows/{show_id:int}/invitations"
INVITATION = "/api/show-invitations/{invitation_id:int}"
INVITATION_ACCEPT = "/api/show-invitations/{invitation_id:int}/accept"
INVITATION_DECLINE = "/api/show-invitations/{invitation_id:int}/decline"
INVITATION_WITHDRAW = "/api/show-invitations/{invitation_id:int}/withdraw"
MY_INVITATIONS = "/api/me/show-invitations"
