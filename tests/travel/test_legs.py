"""Travel answers events.legs in the types the hook declares, with only the fields the door and
the per-leg reminders read."""

from __future__ import annotations

from datetime import datetime, timedelta

from events import legs
from tests.conftest import LiveServer
from tests.factories import Caller
from tests.travel.helpers import add_item, at, trip


async def test_the_legs_of_a_trip_come_as_the_hooks_own_types(server: LiveServer, coordinator: Caller) -> None:
    start = at(days=30)
    event = await trip(server, coordinator, starts=start)
    other = await trip(server, coordinator, starts=start)
    bus = await add_item(server, coordinator, event["id"], start + timedelta(hours=2), title="Bus", is_checkpoint=True)
    lunch = await add_item(server, coordinator, event["id"], start + timedelta(hours=1), title="Lunch", meeting_point="")
    when = {i["id"]: datetime.fromisoformat(i["starts_at"]) for i in (bus, lunch)}

    items = await legs.trip_items(event["id"])
    assert items == [  # in time order
        legs.LegItem(id=lunch["id"], title="Lunch", place="Xining, Qinghai", meeting_point="",
                     time_zone="Asia/Shanghai", starts_at=when[lunch["id"]], is_checkpoint=False),
        legs.LegItem(id=bus["id"], title="Bus", place="Xining, Qinghai", meeting_point="Hotel lobby",
                     time_zone="Asia/Shanghai", starts_at=when[bus["id"]], is_checkpoint=True),
    ]
    assert await legs.checkpoint(event["id"], bus["id"]) == legs.Checkpoint(id=bus["id"], starts_at=when[bus["id"]])
    assert await legs.checkpoint(event["id"], lunch["id"]) is None  # not where tickets are scanned
    assert await legs.checkpoint(other["id"], bus["id"]) is None  # another trip's item
    # {venue} of a per-leg message: the meeting point when there is one, then the place.
    assert await legs.item_anchors([event["id"], other["id"]]) == {
        event["id"]: [
            legs.ItemAnchor(id=lunch["id"], starts_at=when[lunch["id"]], time_zone="Asia/Shanghai", venue="Xining, Qinghai"),
            legs.ItemAnchor(id=bus["id"], starts_at=when[bus["id"]], time_zone="Asia/Shanghai",
                            venue="Hotel lobby, Xining, Qinghai"),
        ],
    }
