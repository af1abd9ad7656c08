"""Demo data for shows: a Paris couture show with two seat categories and invitations offered
and queued, to see tier priority and the hand-over at work."""

from __future__ import annotations

from datetime import timedelta

from club import clock
from events.catalog import publish_event
from events.shows.catalog import create_show
from events.shows.invitations import invite
from events.shows.schemas import CategoryIn, ShowCreate
from events.tables import Event

__all__ = ["DEMO_SHOW", "seed_demo"]

DEMO_SHOW = "Paris Fashion Week: the couture show"


async def seed_demo(coordinator_user_id: int, member_ids: list[int]) -> None:
    """Create the demo show once: a front row of 4 seats whose invitations bring a plus-one
    (2 seats each, so the first two invitees by tier are offered, the next wait queued), and a
    second row of 6 single seats for the rest (six offered, the others queued). Members are
    invited as given; the show has no minimum tier, so any active member may be named."""
    if await Event.exists().where(Event.title == DEMO_SHOW):
        return
    start = clock.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=45)
    show = await create_show(
        ShowCreate(
            title=DEMO_SHOW,
            description="The autumn-winter haute couture collection, shown at the Grand Palais.",
            venue="Grand Palais, Paris",
            venue_time_zone="Europe/Paris",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            attendance_points=500,
            categories=[CategoryIn(name="Front row", seats=4), CategoryIn(name="Second row", seats=6)],
        ),
        created_by=coordinator_user_id,
    )
    await publish_event(show.id)
    front, second = show.categories[0].id, show.categories[1].id
    chosen = list(dict.fromkeys(member_ids))
    if chosen[:3]:
        await invite(show.id, chosen[:3], front, True, 72, coordinator_user_id)
    if chosen[3:]:
        await invite(show.id, chosen[3:], second, False, 48, coordinator_user_id)
