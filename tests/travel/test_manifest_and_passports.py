"""The coordinators' desk: who fails the passport rule and why, the call list told once per
traveler, and the manifest as CSV (coordinators only)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from club.tables import Role
from events.reminders.tables import CallTask
from tests.conftest import LiveServer
from tests.factories import Caller, make_member, make_user
from tests.travel.helpers import (
    add_item,
    add_traveler,
    at,
    link,
    put_passport,
    rsvp,
    trip,
)
from travel import urls
from travel.passports import flag_passport_problems
from travel.rules import add_months


async def _party(server: LiveServer, coordinator: Caller) -> tuple[dict, dict, date]:
    """A trip returning on a known day: one good passport, one a day short, one missing, one
    companion not named yet."""
    start = at(days=40)
    event = await trip(server, coordinator, starts=start)
    await add_item(server, coordinator, event["id"], start + timedelta(days=2), place="Milan", time_zone="Europe/Rome")
    returns_on = (start + timedelta(days=10)).astimezone(ZoneInfo("Europe/Rome")).date()
    required = add_months(returns_on, 6)
    good, short = await make_member("Good Traveler"), await make_member("Short Passport")
    ids = {}
    for caller, expiry, guests in ((good, required, 1), (short, required - timedelta(days=1), 0)):
        mine = await rsvp(server, caller, event["id"], guests=guests)
        async with server.client(caller.token) as http:
            traveler = (await add_traveler(http, mine["id"], dietary_notes="=vegetarian")).json()
            assert (await put_passport(http, traveler["id"], f"P{caller.member_id:07d}", expiry.isoformat())).status_code == 200
            ids[caller.member_id] = traveler["id"]
    async with server.client(coordinator.token) as http:
        room = (await http.post(link(urls.TRIP_ROOMS, event_id=event["id"]), json={"label": "Suite 8", "kind": "twin"})).json()
        assigned = await http.post(link(urls.ROOM_OCCUPANTS, room_id=room["id"]), json={"traveler_id": ids[good.member_id]})
        assert assigned.status_code == 200
    return event, {"good": good, "short": short, "ids": ids}, required


async def test_the_passport_check_names_who_fails_and_why(server: LiveServer, coordinator: Caller) -> None:
    event, party, required = await _party(server, coordinator)
    async with server.client(coordinator.token) as http:
        check = (await http.get(link(urls.TRIP_PASSPORT_CHECK, event_id=event["id"]))).json()
    assert check["required_until"] == required.isoformat() and check["travelers_checked"] == 3
    problems = {(p["name"], p["reason"]) for p in check["problems"]}
    assert problems == {("Short Passport", "expires_too_soon"), ("Good Traveler's companion 1", "missing_traveler")}
    for caller in (party["good"], await make_user(Role.staff)):
        async with server.client(caller.token) as http:
            assert (await http.get(link(urls.TRIP_PASSPORT_CHECK, event_id=event["id"]))).status_code == 403


async def test_coordinators_are_told_once_per_traveler_weeks_before_departure(server: LiveServer, coordinator: Caller) -> None:
    event, party, _ = await _party(server, coordinator)
    departure = at(days=40)
    # Ten weeks ahead: too early to chase anyone.
    assert await flag_passport_problems(now=departure - timedelta(weeks=10)) == 0
    assert await flag_passport_problems(now=departure - timedelta(weeks=7)) == 2
    assert await flag_passport_problems(now=departure - timedelta(weeks=6)) == 0  # once per traveler
    tasks = await CallTask.select(CallTask.member, CallTask.script).where(CallTask.event == event["id"]).order_by(CallTask.id)
    assert {t["member"] for t in tasks} == {party["good"].member_id, party["short"].member_id}
    assert any("Short Passport: passport expires" in t["script"] for t in tasks)


async def test_the_manifest_is_csv_for_coordinators_only(server: LiveServer, coordinator: Caller) -> None:
    event, party, _ = await _party(server, coordinator)
    path = link(urls.TRIP_MANIFEST_CSV, event_id=event["id"])
    async with server.client(coordinator.token) as http:
        response = await http.get(path)
    assert response.status_code == 200 and response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, as Excel on a Chinese PC needs
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_name = {r["full_name"]: r for r in rows}
    good = by_name["Good Traveler"]
    assert good["passport_number"] == f"P{party['good'].member_id:07d}" and good["room"] == "Suite 8"
    assert good["document_status"] == "ok" and good["dietary_notes"] == "'=vegetarian"  # no spreadsheet formula
    assert by_name["Short Passport"]["document_status"] == "expires_too_soon"
    assert by_name["Good Traveler's companion 1"]["document_status"] == "missing_traveler"
    member, staff = party["short"], await make_user(Role.staff)
    for caller in (member, staff):
        async with server.client(caller.token) as http:
            refused = await http.get(path)
        assert refused.status_code == 403 and "P0" not in refused.text
    stranger = await make_member()
    async with server.client(stranger.token) as http:
        assert (await http.get(path)).status_code == 403


async def test_the_manifest_as_xlsx_has_date_cells_and_headers_in_the_readers_language(server: LiveServer, coordinator: Caller) -> None:
    event, party, required = await _party(server, coordinator)
    path = link(urls.TRIP_MANIFEST_XLSX, event_id=event["id"])
    async with server.client(coordinator.token) as http:
        answer = await http.get(path, headers={"Accept-Language": "zh-CN"})
    assert answer.status_code == 200 and answer.headers["content-language"] == "zh-Hans"
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None and sheet.title == "出行名单" and sheet.freeze_panes == "A2"
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[4:9] == ("姓名（与护照一致）", "证件状态", "护照号码", "国籍", "护照有效期至")
    good = next(r for r in rows if r[4] == "Good Traveler")
    assert good[6] == f"P{party['good'].member_id:07d}" and good[10] == "=vegetarian"  # a text cell, never a formula
    assert isinstance(good[8], datetime) and good[8].date() == required
    for caller in (party["short"], await make_user(Role.staff)):
        async with server.client(caller.token) as http:
            assert (await http.get(path)).status_code == 403
