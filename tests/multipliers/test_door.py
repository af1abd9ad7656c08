"""The door's one statement (PostgreSQL) writes nothing when a multiplier applies to the member's
attendance now, so the full path's award() multiplies it; without one it admits as before."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from checkin.quick_admission import admit_in_one_statement
from checkin.schemas import ScanAnswer, ScanResult
from club import clock
from club.multipliers.managing import schedule_bonus_day, set_tier_multiplier
from club.multipliers.schemas import BonusDayIn, TierMultiplierIn
from club.tables import Member, PointsReason, Tier
from tests.checkin.helpers import door_open_event, rsvp_and_ticket
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.support import backend_name

pytestmark = pytest.mark.skipif(backend_name() == "sqlite", reason="SQLite takes the full path: its writers queue anyway")

NOW = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)


async def _admit(event_id: int, rsvp_id: int, staff: Caller, points: int = 100):  # type: ignore[no-untyped-def]
    answer = ScanAnswer(result=ScanResult.admitted, detail="Welcome.", points_awarded=points)
    return await admit_in_one_statement(rsvp_id, event_id, str(rsvp_id), "A", staff.user_id, NOW, points, f"1:{rsvp_id}", answer)


async def test_a_tier_factor_on_attendance_sends_the_member_down_the_full_path(server: LiveServer, coordinator: Caller, staff: Caller) -> None:
    diamond = await Tier.select(Tier.id).where(Tier.name == "Diamond").first()
    assert diamond is not None
    await set_tier_multiplier(TierMultiplierIn(tier_id=diamond["id"], kind=PointsReason.attendance, factor="2"), None)
    event = await door_open_event(server, coordinator, attendance_points=100)
    vip, plain = await make_member("VIP"), await make_member("Plain")
    await Member.update({Member.tier: diamond["id"]}).where(Member.id == vip.member_id)
    vip_rsvp, _ = await rsvp_and_ticket(server, vip, event["id"])
    plain_rsvp, _ = await rsvp_and_ticket(server, plain, event["id"])
    assert await _admit(event["id"], vip_rsvp["id"], staff) is None
    assert await _admit(event["id"], vip_rsvp["id"], staff, points=0) is not None  # nothing to multiply
    assert await _admit(event["id"], plain_rsvp["id"], staff) is not None


async def test_a_bonus_day_on_attendance_sends_everyone_down_the_full_path(server: LiveServer, coordinator: Caller, staff: Caller) -> None:
    event = await door_open_event(server, coordinator, attendance_points=100)
    member, other = await make_member("Member"), await make_member("Other")
    rsvp, _ = await rsvp_and_ticket(server, member, event["id"])
    other_rsvp, _ = await rsvp_and_ticket(server, other, event["id"])
    with clock.frozen_at(datetime(2026, 11, 30, 9, 0, tzinfo=UTC)):
        from zoneinfo import ZoneInfo

        await schedule_bonus_day(BonusDayIn(name="Spend day", date=date(2026, 12, 1), factor="2", kinds=[PointsReason.spend]),
                                 ZoneInfo("Europe/Paris"), None)
    assert await _admit(event["id"], other_rsvp["id"], staff) is not None  # a day on spend only: attendance is plain
    with clock.frozen_at(datetime(2026, 11, 30, 9, 0, tzinfo=UTC)):
        from zoneinfo import ZoneInfo

        await schedule_bonus_day(BonusDayIn(name="Member day", date=date(2026, 12, 1), factor="2", kinds=[PointsReason.attendance]),
                                 ZoneInfo("Europe/Paris"), None)
    assert await _admit(event["id"], rsvp["id"], staff) is None
