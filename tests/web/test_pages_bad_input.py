"""No page answers bad input with a 500: every member page and console page, walked from the app's
own route list, with ids at and past the edges (0, 2^31, twenty digits) and forms and queries full
of what a client may send: NUL characters, far dates, huge numbers, oversized text."""

from __future__ import annotations

import re

from tests.checkin.helpers import door_open_event, rsvp_and_ticket
from tests.conftest import LiveServer
from tests.console import console_client
from tests.factories import Caller, make_member
from tests.pages import csrf_of
from tests.support import console_routes, page_routes

IDS = ("1", "0", "2147483648", "99999999999999999999")
QUERY = {"page": "99999999999", "q": "a\x00b", "day": "9999-99-99", "after": "x", "next": "//elsewhere.example"}
# Forms that end the walker's own session (its signing out, its devices) would leave the rest unwalked.
ENDS_THE_SESSION = re.compile(r"/sign-out$|/sessions/")
FORM = {
    "reason": "a\x00b" * 3, "starts_at": "9999-12-31T23:59", "ends_at": "0001-01-01T00:00",
    "capacity": "99999999999999", "title": "x" * 5000, "delta": "1e999", "members": "\x00",
    "code": "9" * 500, "address": "a" * 1000, "guests": "-1", "language": "\x00", "time_zone": "Mars/Olympus",
}


async def test_no_page_answers_bad_input_with_a_500(server: LiveServer, coordinator: Caller) -> None:
    member = await make_member("王芳", language="zh-Hans")
    event = await door_open_event(server, coordinator)
    await rsvp_and_ticket(server, member, event["id"])  # id 1 names real rows: the pages go past their lookups
    failures = []
    for caller, routes, start in ((member, page_routes(server.app), "/"), (coordinator, console_routes(server.app), "/console")):
        async with await console_client(server.base_url, caller) as browser:
            token = csrf_of((await browser.get("/sessions")).text)
            for method, path in routes:
                if ENDS_THE_SESSION.search(path):
                    continue
                for value in IDS:
                    concrete = re.sub(r"/1(?=/|$|\.)", f"/{value}", path)
                    if method == "GET":
                        answer = await browser.get(concrete, params=QUERY)
                    else:
                        answer = await browser.post(concrete, data={"_csrf_token": token, **FORM})
                    if answer.status_code >= 500:
                        failures.append((method, concrete, answer.status_code))
            # Still signed in at the end: every page was asked as its signed-in reader.
            assert (await browser.get(start)).status_code == 200
    assert failures == []
