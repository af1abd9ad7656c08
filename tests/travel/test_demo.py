"""The demo trip seeds once and shows what the desk is for: one passport failing, a shared room."""

from __future__ import annotations

from events.tables import Event
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.travel.helpers import link
from travel import urls
from travel.demo import DEMO_TRIP, seed_demo


async def test_the_demo_trip(server: LiveServer, coordinator: Caller) -> None:
    members = [await make_member(f"Demo {n}") for n in range(5)]
    ids = [m.member_id for m in members]
    await seed_demo(coordinator.user_id, ids)  # type: ignore[arg-type]
    await seed_demo(coordinator.user_id, ids)  # type: ignore[arg-type]
    [trip] = await Event.select(Event.id).where(Event.title == DEMO_TRIP)
    async with server.client(coordinator.token) as http:
        check = (await http.get(link(urls.TRIP_PASSPORT_CHECK, event_id=trip["id"]))).json()
        rooms = (await http.get(link(urls.TRIP_ROOMS, event_id=trip["id"]))).json()
        items = (await http.get(link(urls.TRIP_ITEMS, event_id=trip["id"]))).json()
    assert [p["reason"] for p in check["problems"]] == ["expires_too_soon"]
    assert [(r["kind"], len(r["occupants"])) for r in rooms] == [("twin", 2)]
    assert len(items) == 4 and {i["time_zone"] for i in items} == {"Asia/Shanghai"}
