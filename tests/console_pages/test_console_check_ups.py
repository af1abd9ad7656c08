"""The console's check-up programmes through the real server, in zh-Hans: a programme made through
its form (its tiers, season and preparation), refused forms said next to their fields with nothing
written, a partner clinic and a time at it published on the clinic's clock, the preparation
changed, and each change recorded.
"""

from __future__ import annotations

import re
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import httpx

from club import clock
from club.audit import ActionKind
from club.tables import ConsoleAction
from events.tables import Event, EventStatus
from health_programs import urls
from health_programs.tables import Clinic, ClinicSlot, HealthProgram, ProgramTier
from tests.conftest import LiveServer
from tests.console import console_client
from tests.factories import Caller, make_member
from tests.pages import csrf_of
from tests.shows.helpers import with_tier

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _error_of(html: str, field_id: str) -> str:
    found = re.search(rf'<p class="field-error" id="{field_id}-error">([^<]*)</p>', html)
    return found.group(1) if found else ""


async def _post(console: httpx.AsyncClient, page: str, action: str, fields: dict[str, str] | list[tuple[str, str]]) -> httpx.Response:
    opened = await console.get(page)
    assert opened.status_code == 200, opened.text
    data = [("_csrf_token", csrf_of(opened.text)), *(fields.items() if isinstance(fields, dict) else fields)]
    return await console.post(action, content=httpx.QueryParams(data).__str__(),
                              headers={"Content-Type": "application/x-www-form-urlencoded"})


def _programme(**overrides: str) -> list[tuple[str, str]]:
    year = clock.now().year + 1
    fields = {
        "name": f"{year} 年度体检", "year": str(year), "season_starts_on": clock.now().date().isoformat(),
        "season_ends_on": f"{year}-12-31", "fasting_hours": "10", "bring": "身份证与去年的报告", "avoid": "前一晚饮酒",
        "attendance_points": "300",
    }
    fields.update(overrides)
    return [*fields.items(), ("tiers", "Gold"), ("tiers", "Platinum")]


async def test_a_programme_its_clinic_and_a_time_made_through_the_forms(server: LiveServer, coordinator: Caller) -> None:
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        made = await _post(console, "/console/check-ups/new", "/console/check-ups/new", _programme())
        assert made.status_code == 303, made.text
        program_id = int(re.match(r"/console/check-ups/(\d+)\?done=created", made.headers["location"]).group(1))  # type: ignore[union-attr]
        row = await HealthProgram.select().where(HealthProgram.id == program_id).first()
        assert row is not None and row["fasting_hours"] == 10 and row["sequence"] is not None
        tiers = await ProgramTier.select(ProgramTier.tier.name.as_alias("name")).where(ProgramTier.program == program_id)
        assert sorted(t["name"] for t in tiers) == ["Gold", "Platinum"]
        page = await console.get(made.headers["location"])
        assert "年度体检" in page.text and "金卡" in page.text and "白金卡" in page.text
        assert "尚无合作医疗机构" in page.text

        programme = f"/console/check-ups/{program_id}"
        bad_zone = await _post(console, programme, f"{programme}/clinics", {"name": "瑞金医院国际医疗部", "time_zone": "Shanghai"})
        assert bad_zone.status_code == 400 and "Shanghai" in _error_of(bad_zone.text, "clinic-time_zone")
        assert 'value="瑞金医院国际医疗部"' in bad_zone.text
        assert await Clinic.count() == 0
        added = await _post(console, programme, f"{programme}/clinics",
                            {"name": "瑞金医院国际医疗部", "address": "上海市瑞金二路 197 号", "time_zone": "Asia/Shanghai"})
        assert added.status_code == 303
        clinic_id = (await Clinic.select(Clinic.id).first())["id"]  # type: ignore[index]

        day = (clock.now() + timedelta(days=20)).astimezone(SHANGHAI).date()
        slots = f"/console/check-ups/clinics/{clinic_id}/slots"
        refused = await _post(console, programme, slots, {"starts_at": f"{day}T08:00", "ends_at": f"{day}T07:00", "capacity": "0"})
        assert refused.status_code == 400
        assert _error_of(refused.text, f"slot{clinic_id}-capacity") == "至少 1。"
        outside = await _post(console, programme, slots, {"starts_at": f"{day.year + 3}-01-10T08:00", "ends_at": f"{day.year + 3}-01-10T09:00", "capacity": "4"})
        assert outside.status_code == 400 and "年度体检" in _error_of(outside.text, f"slot{clinic_id}-starts_at")
        backwards = await _post(console, programme, slots, {"starts_at": f"{day}T08:00", "ends_at": f"{day}T07:00", "capacity": "4"})
        assert backwards.status_code == 400 and "活动结束时间须晚于开始时间" in _error_of(backwards.text, f"slot{clinic_id}-ends_at")
        assert await ClinicSlot.count() == 0 and await Event.count() == 0

        published = await _post(console, programme, slots, {"starts_at": f"{day}T08:00", "ends_at": f"{day}T09:00", "capacity": "4"})
        assert published.status_code == 303
        slot = await ClinicSlot.select(ClinicSlot.event, ClinicSlot.event.starts_at.as_alias("starts_at"),
                                       ClinicSlot.event.status.as_alias("status")).first()
        assert slot is not None and slot["status"] == EventStatus.published.value
        assert slot["starts_at"].astimezone(UTC).hour == 0  # 08:00 in Shanghai
        shown = (await console.get(programme)).text
        assert f'href="/console/events/{slot["event"]}"' in shown and "08:00" in shown

        listed = (await console.get("/console/check-ups")).text
        assert "年度体检" in listed
        row_html = listed[listed.index("年度体检"):]
        row_html = row_html[: row_html.index("</tr>")]
        assert re.findall(r'<td class="n">([^<]*)</td>', row_html) == ["1", "1", "0 / 4"]

    # A Gold member sees the time to book, as the API lists it.
    member = await with_tier(await make_member("李娜", language="zh-Hans"), "Gold")
    async with server.client(member.token) as http:
        open_slots = (await http.get(urls.PROGRAM_SLOTS.replace("{program_id:int}", str(program_id)))).json()
    assert [s["event_id"] for s in open_slots] == [slot["event"]]

    actions = [r["action"] for r in await ConsoleAction.select(ConsoleAction.action).order_by(ConsoleAction.id)]
    assert actions == [
        ActionKind.program_created.value, ActionKind.clinic_added.value,
        ActionKind.event_created.value, ActionKind.event_published.value,
    ]


async def test_a_refused_programme_writes_nothing_and_the_preparation_is_changed(server: LiveServer, coordinator: Caller) -> None:
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        refused = await _post(console, "/console/check-ups/new", "/console/check-ups/new",
                              _programme(name=" ", year="1999", fasting_hours="49"))
        assert refused.status_code == 400
        assert _error_of(refused.text, "name") == "请填写此项。"
        assert _error_of(refused.text, "year") == "至少 2000。"
        assert _error_of(refused.text, "fasting_hours") == "最多 48。"
        backwards = await _post(console, "/console/check-ups/new", "/console/check-ups/new",
                                _programme(season_starts_on="2027-06-01", season_ends_on="2027-05-01"))
        assert backwards.status_code == 400 and _error_of(backwards.text, "season_ends_on")
        unknown = await _post(console, "/console/check-ups/new", "/console/check-ups/new", [*_programme(), ("tiers", "Bronze")])
        assert unknown.status_code == 400 and "Bronze" in _error_of(unknown.text, "tiers")
        assert await HealthProgram.count() == 0 and await ConsoleAction.count() == 0

        made = await _post(console, "/console/check-ups/new", "/console/check-ups/new", _programme())
        programme = made.headers["location"].split("?")[0]
        bad = await _post(console, programme, f"{programme}/preparation", {"fasting_hours": "-1", "bring": "身份证", "avoid": ""})
        assert bad.status_code == 400 and _error_of(bad.text, "prep-fasting_hours") == "至少 0。"
        saved = await _post(console, programme, f"{programme}/preparation", {"fasting_hours": "12", "bring": "身份证", "avoid": ""})
        assert saved.status_code == 303
        row = await HealthProgram.select(HealthProgram.fasting_hours, HealthProgram.avoid).first()
        assert row == {"fasting_hours": 12, "avoid": ""}
        page = (await console.get(saved.headers["location"])).text
        assert "12" in page and "准备事项已保存" in page
    actions = [r["action"] for r in await ConsoleAction.select(ConsoleAction.action, ConsoleAction.detail).order_by(ConsoleAction.id)]
    assert actions == [ActionKind.program_created.value, ActionKind.program_updated.value]
