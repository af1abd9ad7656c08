"""The one rule for a member's own things: the owner or a coordinator sees it, anyone else gets 404.

404 rather than 403, so a member cannot learn by probing ids that someone else's RSVP,
booking or traveler record exists.
"""

from __future__ import annotations

from club.accounts import Principal
from club.errors import NotFound

__all__ = ["may_see", "owned_or_404", "require_coordinator_or_404"]


def may_see(owner_member_id: int | None, viewer: Principal) -> bool:
    return viewer.is_coordinator or (owner_member_id is not None and owner_member_id == viewer.member_id)


def owned_or_404(owner_member_id: int | None, viewer: Principal, missing: str, **text_values: object) -> None:
    """Refuse with NotFound(`missing`) unless `viewer` owns the thing or coordinates; `missing` is
    a catalog text, its placeholders filled from `text_values` (club.errors)."""
    if not may_see(owner_member_id, viewer):
        raise NotFound(missing, text_values=text_values)


def require_coordinator_or_404(viewer: Principal, missing: str, **text_values: object) -> None:
    """For lists of other people (attendees, a waitlist, a clinic's schedule): coordinators only."""
    if not viewer.is_coordinator:
        raise NotFound(missing, text_values=text_values)
