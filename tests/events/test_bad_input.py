"""Bad requests are refused with 400 problem details, and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest

from events import urls
from events.tables import Event
from tests.conftest import LiveServer
from tests.events.helpers import event_body, published_event, rows_of
from tests.factories import Caller


def _problem(response: Any) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys()
    return body


@pytest.mark.parametrize(
    "overrides",
    [
        {"surprise": True},
        {"capacity": "ten"},
        {"capacity": -1},
        {"kind": "rave"},
        {"title": ""},
        {"max_guests": -2},
        {"starts_at": "2030-01-01T19:00:00"},  # no offset
        {"starts_at": "not a date"},
        {"venue_time_zone": "Mars/Olympus"},
        {"ends_at": "2020-01-01T00:00:00+00:00"},  # before the start
        {"min_tier": "Bronze"},
        {"waitlist_policy": "loudest_first"},
    ],
)
async def test_bad_event_bodies_are_refused(server: LiveServer, coordinator: Caller, overrides: dict[str, Any]) -> None:
    async with server.client(coordinator.token) as http:
        response = await http.post(urls.EVENTS, json=event_body(**overrides))
    _problem(response)
    assert await Event.count() == 0


async def test_a_bad_edit_changes_nothing(server: LiveServer, coordinator: Caller) -> None:
    event = await published_event(server, coordinator)
    path = urls.link(urls.EVENT, event_id=event["id"])
    async with server.client(coordinator.token) as http:
        for body in ({"status": "cancelled"}, {"capacity": -5}, {"ends_at": event["starts_at"]}, {"venue_time_zone": "Nowhere/Town"}):
            _problem(await http.patch(path, json=body))
        after = (await http.get(path)).json()
    assert after == event


async def test_bad_rsvp_bodies_are_refused(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    event = await published_event(server, coordinator, max_guests=1)
    path = urls.link(urls.EVENT_RSVP, event_id=event["id"])
    async with server.client(member.token) as http:
        for body in ({"guests": 2}, {"guests": -1}, {"guests": "two"}, {"guests": 0, "member_id": 1}):
            _problem(await http.post(path, json=body))
        no_guests = await published_event(server, coordinator)
        body = _problem(await http.post(urls.link(urls.EVENT_RSVP, event_id=no_guests["id"]), json={"guests": 1}))
    assert "no guests" in body["detail"]
    assert await rows_of(event["id"]) == [] and await rows_of(no_guests["id"]) == []


async def test_unknown_events_and_rsvps_are_404(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    async with server.client(member.token) as http:
        assert (await http.post(urls.link(urls.EVENT_RSVP, event_id=999), json={})).status_code == 404
        assert (await http.get(urls.link(urls.RSVP, rsvp_id=999))).status_code == 404
    async with server.client(coordinator.token) as http:
        assert (await http.patch(urls.link(urls.EVENT, event_id=999), json={"capacity": 3})).status_code == 404
