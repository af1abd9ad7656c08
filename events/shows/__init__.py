"""Invitation-only shows: personal invitations with a reply-by date, seat categories and hand-over."""
