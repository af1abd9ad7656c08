"""The door list a gate downloads to decide scans offline: what it holds and what it leaves out,
who may fetch it and when, and the cheap refresh (304 while nothing changed, gzip on the wire)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from checkin import urls as door
from checkin.ticket_tokens import read_ticket
from club import urls as club_urls
from events import urls
from tests.checkin.helpers import door_open_event, rsvp_and_ticket, scan
from tests.conftest import LiveServer
from tests.events.helpers import event_body
from tests.factories import Caller, make_member


def _list_path(event_id: int) -> str:
    return urls.link(door.DOOR_LIST, event_id=event_id)


async def test_the_list_holds_who_admits_who_does_not_and_who_is_in_and_nothing_private(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    event = await door_open_event(server, coordinator, capacity=5, max_guests=1)
    seated = await make_member("Léa Martin", phone="+33612345678")
    reissued_member, leaving, suspended, waiting = [
        await make_member(n) for n in ("Reissued", "Leaving", "Suspended", "Waiting")
    ]
    seated_rsvp, seated_token = await rsvp_and_ticket(server, seated, event["id"], guests=1)
    reissued_rsvp, old_token = await rsvp_and_ticket(server, reissued_member, event["id"])
    leaving_rsvp, _ = await rsvp_and_ticket(server, leaving, event["id"])
    suspended_rsvp, _ = await rsvp_and_ticket(server, suspended, event["id"])
    waiting_rsvp, _ = await rsvp_and_ticket(server, waiting, event["id"])
    assert waiting_rsvp["status"] == "waitlisted"
    async with server.client(reissued_member.token) as http:
        assert (await http.post(urls.link(door.TICKET_REISSUE, rsvp_id=reissued_rsvp["id"]))).status_code == 200
    async with server.client(coordinator.token) as http:
        # Hold the waitlist so the leaver's seat is not handed on, then suspend one member.
        await http.patch(urls.link(urls.EVENT, event_id=event["id"]), json={"capacity": 4})
        suspend = club_urls.MEMBER_SUSPEND.replace("{member_id:int}", str(suspended.member_id))
        assert (await http.post(suspend)).status_code == 200
    async with server.client(leaving.token) as http:
        assert (await http.delete(urls.link(urls.RSVP, rsvp_id=leaving_rsvp["id"]))).status_code == 200
    async with server.client(staff.token) as http:
        assert (await scan(http, event["id"], seated_token, gate="North"))["result"] == "admitted"  # type: ignore[arg-type]
        response = await http.get(_list_path(event["id"]))
    assert response.status_code == 200, response.text
    body = response.json()
    assert {t["rsvp_id"]: (t["version"], t["name"], t["guests"]) for t in body["tickets"]} == {
        seated_rsvp["id"]: (1, "Léa Martin", 1),
        reissued_rsvp["id"]: (2, "Reissued", 0),  # the old code (version 1) is below the list's version
    }
    assert {r["rsvp_id"]: r["reason"] for r in body["refused"]} == {
        leaving_rsvp["id"]: "cancelled", suspended_rsvp["id"]: "suspended", waiting_rsvp["id"]: "not_confirmed",
    }
    assert [(a["rsvp_id"], a["gate"], a["item"]) for a in body["admitted"]] == [(seated_rsvp["id"], "North", None)]
    assert (body["checked_in"], body["confirmed"]) == (1, 3)
    # The door's hours, as the server decides them: from 3 h before the start to 30 min after the end.
    starts, ends = datetime.fromisoformat(event["starts_at"]), datetime.fromisoformat(event["ends_at"])
    assert datetime.fromisoformat(body["opens_at"]) == starts - timedelta(hours=3)
    assert datetime.fromisoformat(body["closes_at"]) == ends + timedelta(minutes=30)
    # The key in the list verifies a real ticket, as the page does with WebCrypto.
    raw = base64.urlsafe_b64decode(body["public_key"]["raw"] + "==")
    claims = read_ticket(old_token, Ed25519PublicKey.from_public_bytes(raw))  # type: ignore[arg-type]
    assert (claims.rsvp_id, claims.version) == (reissued_rsvp["id"], 1)
    # Names and tiers only: no e-mail or phone of anyone.
    assert "+33612345678" not in response.text and "@members.test" not in response.text


async def test_door_staff_get_the_list_from_a_day_before_check_in_opens_until_it_closes(
    server: LiveServer, coordinator: Caller, staff: Caller, member: Caller
) -> None:
    soon = await door_open_event(server, coordinator)
    far_start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    far = await door_open_event(
        server, coordinator, starts_at=far_start.isoformat(), ends_at=(far_start + timedelta(hours=2)).isoformat()
    )
    tomorrow_start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=20)
    tomorrow = await door_open_event(
        server, coordinator, starts_at=tomorrow_start.isoformat(), ends_at=(tomorrow_start + timedelta(hours=2)).isoformat()
    )
    async with server.client(coordinator.token) as http:
        draft = await http.post(urls.EVENTS, json=event_body(starts_at=soon["starts_at"], ends_at=soon["ends_at"]))
        assert draft.status_code == 201, draft.text
        coordinator_far = await http.get(_list_path(far["id"]))
    async with server.client(staff.token) as http:
        answers = {name: await http.get(_list_path(e["id"])) for name, e in
                   (("soon", soon), ("tomorrow", tomorrow), ("far", far), ("draft", draft.json()))}
    async with server.client(member.token) as http:
        as_member = await http.get(_list_path(soon["id"]))
    async with server.client() as http:
        anonymous = await http.get(_list_path(soon["id"]))
    assert {name: r.status_code for name, r in answers.items()} == {"soon": 200, "tomorrow": 200, "far": 409, "draft": 404}
    assert answers["far"].json()["type"] == "/problems/door-list-unavailable"
    assert answers["far"].headers["content-type"].startswith("application/problem+json")
    assert coordinator_far.status_code == 200  # coordinators prepare the door whenever they like
    assert (as_member.status_code, anonymous.status_code) == (403, 401)


async def test_a_refresh_costs_a_304_until_something_changes_and_travels_gzipped(
    server: LiveServer, coordinator: Caller, staff: Caller
) -> None:
    event = await door_open_event(server, coordinator)
    guest = await make_member("Chloé Bernard")
    _, token = await rsvp_and_ticket(server, guest, event["id"])
    path = _list_path(event["id"])
    async with httpx.AsyncClient(base_url=server.base_url, headers=staff.headers) as http:
        first = await http.get(path, headers={"Accept-Encoding": "gzip"})
        etag = first.headers["etag"]
        unchanged = await http.get(path, headers={"If-None-Match": etag})
        assert (await scan(http, event["id"], token))["result"] == "admitted"  # type: ignore[arg-type]
        changed = await http.get(path, headers={"If-None-Match": etag, "Accept-Encoding": "identity"})
    assert first.headers["content-encoding"] == "gzip" and first.json()["admitted"] == []
    assert first.num_bytes_downloaded < len(first.content)  # fewer bytes on the wire than in the list
    assert unchanged.status_code == 304 and unchanged.headers["etag"] == etag and unchanged.content == b""
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert "content-encoding" not in changed.headers
    assert [a["rsvp_id"] for a in changed.json()["admitted"]] == [first.json()["tickets"][0]["rsvp_id"]]
