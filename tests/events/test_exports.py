"""The coordinators' files: CSV that Excel on a Chinese PC opens (BOM, dates it reads as dates),
an .xlsx beside each with real date cells, headers in the reader's language, coordinators only."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from club.tables import Role
from events import urls
from tests.checkin.helpers import door_open_event, rsvp_and_ticket, scan
from tests.conftest import LiveServer
from tests.factories import Caller, make_member, make_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _seated_and_waiting(server: LiveServer, coordinator: Caller) -> tuple[dict, Caller, Caller, dict]:
    event = await door_open_event(server, coordinator, capacity=1, venue_time_zone="Asia/Shanghai", title="沙龙")
    seated = await make_member("王=芳", phone="+8613800138000")
    waiting = await make_member("陈静")
    rsvp, token = await rsvp_and_ticket(server, seated, event["id"])
    await rsvp_and_ticket(server, waiting, event["id"])
    assert token is not None
    async with server.client((await make_user(Role.staff)).token) as door:
        assert (await scan(door, event["id"], token))["result"] == "admitted"
    return event, seated, waiting, rsvp


async def test_the_attendee_csv_has_a_bom_times_excel_reads_and_check_in_tier_and_phone(
    server: LiveServer, coordinator: Caller
) -> None:
    event, _, _, rsvp = await _seated_and_waiting(server, coordinator)
    async with server.client(coordinator.token) as http:
        listed = (await http.get(urls.link(urls.EVENT_ATTENDEES, event_id=event["id"]))).json()
        answer = await http.get(urls.link(urls.EVENT_ATTENDEES_CSV, event_id=event["id"]))
        waitlist = await http.get(urls.link(urls.EVENT_WAITLIST_CSV, event_id=event["id"]))
    assert answer.status_code == 200 and answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-language"] == "en"
    assert answer.content.startswith(b"\xef\xbb\xbf")  # UTF-8's BOM: Excel then reads it as UTF-8
    (row,) = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    (shown,) = listed
    assert shown["phone"] == "+8613800138000" and shown["checked_in_at"] is not None and shown["tier"] == row["tier"]
    assert row["name"] == "王=芳" and row["phone"] == "'+8613800138000"  # formula-safe
    assert row["checked_in"] == "yes" and row["promoted"] == "no"
    shanghai = ZoneInfo("Asia/Shanghai")
    confirmed = datetime.fromisoformat(rsvp["confirmed_at"]).astimezone(shanghai)
    assert datetime.strptime(row["confirmed_at"], "%Y-%m-%d %H:%M") == confirmed.replace(tzinfo=None, second=0, microsecond=0)
    checked_in = datetime.fromisoformat(shown["checked_in_at"]).astimezone(shanghai)
    assert datetime.strptime(row["checked_in_at"], "%Y-%m-%d %H:%M") == checked_in.replace(tzinfo=None, second=0, microsecond=0)
    assert waitlist.content.startswith(b"\xef\xbb\xbf")
    (entry,) = list(csv.DictReader(io.StringIO(waitlist.content.decode("utf-8-sig"))))
    assert entry["name"] == "陈静" and entry["position"] == "1"
    datetime.strptime(entry["joined_at"], "%Y-%m-%d %H:%M")


async def test_the_xlsx_holds_the_same_rows_with_date_cells_and_chinese_headers(server: LiveServer, coordinator: Caller) -> None:
    event, _, _, rsvp = await _seated_and_waiting(server, coordinator)
    zh = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}
    async with server.client(coordinator.token) as http:
        book_answer = await http.get(urls.link(urls.EVENT_ATTENDEES_XLSX, event_id=event["id"]), headers=zh)
        csv_answer = await http.get(urls.link(urls.EVENT_ATTENDEES_CSV, event_id=event["id"]), headers=zh)
        waitlist_answer = await http.get(urls.link(urls.EVENT_WAITLIST_XLSX, event_id=event["id"]), headers=zh)
    assert book_answer.status_code == 200 and book_answer.headers["content-type"] == XLSX
    assert book_answer.headers["content-language"] == "zh-Hans"
    assert book_answer.headers["content-disposition"] == f'attachment; filename="event-{event["id"]}-attendees.xlsx"'
    sheet = load_workbook(io.BytesIO(book_answer.content)).active
    assert sheet is not None and sheet.title == "出席名单"
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:5] == ["报名编号", "会员编号", "姓名", "电子邮箱", "手机号码"]
    assert "等级" in header and "签到" in header and "签到时间" in header
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width == 22
    (values,) = rows[1:]
    cells = dict(zip(header, values, strict=True))
    assert cells["姓名"] == "王=芳" and cells["签到"] == "是" and cells["由候补名单递补"] == "否"  # text, not a formula
    confirmed = datetime.fromisoformat(rsvp["confirmed_at"]).astimezone(ZoneInfo("Asia/Shanghai"))
    assert isinstance(cells["确认时间"], datetime)
    assert cells["确认时间"] == confirmed.replace(tzinfo=None, second=0, microsecond=0)
    assert isinstance(cells["签到时间"], datetime)
    assert sheet.cell(row=2, column=header.index("确认时间") + 1).number_format == "yyyy-mm-dd hh:mm"
    # The CSV in the same language has the same row.
    (csv_row,) = list(csv.DictReader(io.StringIO(csv_answer.content.decode("utf-8-sig"))))
    assert list(csv_row) == header and csv_row["姓名"] == "王=芳" and csv_row["确认时间"] == cells["确认时间"].strftime("%Y-%m-%d %H:%M")
    waiting_sheet = load_workbook(io.BytesIO(waitlist_answer.content)).active
    assert waiting_sheet is not None and waiting_sheet.title == "候补名单"
    (_, waiting_row) = list(waiting_sheet.iter_rows(values_only=True))
    assert waiting_row[3] == "陈静" and isinstance(waiting_row[7], datetime)


async def test_traditional_chinese_headers_for_a_zh_tw_reader(server: LiveServer, coordinator: Caller) -> None:
    event, *_ = await _seated_and_waiting(server, coordinator)
    async with server.client(coordinator.token) as http:
        answer = await http.get(urls.link(urls.EVENT_ATTENDEES_CSV, event_id=event["id"]), headers={"Accept-Language": "zh-TW"})
    header = answer.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:5] == ["報名編號", "會員編號", "姓名", "電子郵箱", "手機號碼"]


async def test_the_xlsx_exports_are_for_coordinators_only(server: LiveServer, coordinator: Caller) -> None:
    event, seated, *_ = await _seated_and_waiting(server, coordinator)
    staff = await make_user(Role.staff)
    paths = [urls.link(urls.EVENT_ATTENDEES_XLSX, event_id=event["id"]), urls.link(urls.EVENT_WAITLIST_XLSX, event_id=event["id"])]
    for who in (seated, staff, await make_member()):
        async with server.client(who.token) as http:
            for path in paths:
                refused = await http.get(path)
                assert refused.status_code == 403, (path, refused.text)
                assert "王" not in refused.text
    async with server.client() as anonymous:
        assert (await anonymous.get(paths[0])).status_code == 401
