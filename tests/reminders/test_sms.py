"""SMS as mainland gateways take them: a message kind with a filed template goes as its template
id, parameters and the club's signature instead of text; free text is counted in segments
(GSM-7 160/153, UCS-2 70/67) and the count kept on the delivery row. Through a real HTTP
gateway served on loopback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from club.settings import Settings, SettingsError
from events.reminders.delivery import deliver
from events.reminders.sms import sms_segments
from events.reminders.tables import ReminderDelivery
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.reminders.helpers import awake
from tests.reminders.test_channels import _one_step, gateway

__all__ = ["gateway"]  # the fixture, shared with test_channels


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("a" * 160, 1), ("a" * 161, 2), ("a" * 306, 2), ("a" * 307, 3),
        ("€" * 80, 1), ("€" * 81, 2),  # the extension table takes two septets
        ("您" * 70, 1), ("您" * 71, 2), ("您" * 134, 2), ("您" * 135, 3),
        ("Dear Sofia, à bientôt", 1),  # ô is not GSM-7: UCS-2, still one
        ("🙂" * 35, 1), ("🙂" * 36, 2),  # an emoji is two UTF-16 units
        ("", 1),
    ],
)
def test_a_text_is_counted_in_the_segments_a_gateway_bills(text: str, segments: int) -> None:
    assert sms_segments(text) == segments


async def _delivery(scheduled_id: int) -> dict[str, Any]:
    return await ReminderDelivery.select().where(ReminderDelivery.scheduled == scheduled_id).first()  # type: ignore[return-value]


async def test_a_kind_with_a_filed_template_goes_as_template_id_params_and_signature(
    server: LiveServer, settings: Settings, coordinator: Caller, gateway: Any
) -> None:
    app, url = gateway
    mainland = awake(settings, sms_gateway_url=url, sms_templates={"reminder": "SMS_2468"}, sms_signature="【Maison Club】")
    member = await make_member("王芳", phone="138 0013 8000", language="zh-Hans")
    row = await _one_step(server, coordinator, member, offset_days=-20, channel="sms", template="{member_name}，您好")
    assert await deliver(row["id"], row["generation"], mainland) == "sent"
    [(headers, raw)] = app.requests
    body = json.loads(raw)
    key = f"{row['rsvp']}:{row['step']}:v1"
    assert headers["idempotency-key"] == key
    assert set(body) == {"to", "template_id", "params", "signature", "reference"}
    assert (body["to"], body["template_id"], body["signature"], body["reference"]) == (
        "+8613800138000", "SMS_2468", "【Maison Club】", key
    )
    assert body["params"]["member_name"] == "王芳" and body["params"]["event_title"] == "Perfume salon"
    assert set(body["params"]) >= {"member_name", "event_title", "venue", "time"}
    assert (await _delivery(row["id"]))["sms_segments"] is None  # the provider writes and bills it


@pytest.mark.parametrize(("template", "segments"), [("您" * 70, 1), ("您" * 71, 2), ("a" * 161, 2)])
async def test_free_text_is_sent_as_text_and_its_segments_recorded(
    server: LiveServer, settings: Settings, coordinator: Caller, gateway: Any, template: str, segments: int
) -> None:
    app, url = gateway
    # A template for another kind changes nothing for this one.
    with_gateway = awake(settings, sms_gateway_url=url, sms_templates={"confirmed": "SMS_1"})
    member = await make_member("Mei Huang", phone="+86 138 0000 0001")
    row = await _one_step(server, coordinator, member, offset_days=-20, channel="sms", template=template)
    assert await deliver(row["id"], row["generation"], with_gateway) == "sent"
    [(_, raw)] = app.requests
    body = json.loads(raw)
    assert set(body) == {"to", "text", "reference"} and body["text"] == template
    assert (await _delivery(row["id"]))["sms_segments"] == segments


async def test_an_sms_kept_in_the_outbox_is_counted_too_and_email_is_not(
    server: LiveServer, settings: Settings, coordinator: Caller
) -> None:
    member = await make_member("Mei Huang", phone="+86 138 0000 0001")
    row = await _one_step(server, coordinator, member, offset_days=-20, channel="sms", template="您" * 71)
    assert await deliver(row["id"], row["generation"], awake(settings)) == "sent"
    assert (await _delivery(row["id"]))["sms_segments"] == 2


def test_sms_templates_and_the_phone_region_are_settings(tmp_path: Path) -> None:
    base = {"CLUB_DATA_DIR": str(tmp_path), "SECRET_KEY": "k"}
    env = {**base, "SMS_TEMPLATES": '{"reminder": "SMS_1", "birthday": "SMS_2"}', "SMS_SIGNATURE": "【Maison】",
           "CLUB_PHONE_REGION": "fr"}
    settings = Settings.from_env(env)
    assert settings.sms_templates == {"reminder": "SMS_1", "birthday": "SMS_2"}
    assert (settings.sms_signature, settings.club_phone_region) == ("【Maison】", "FR")
    default = Settings.from_env(base)
    assert default.club_phone_region == "CN" and default.sms_templates == {}
    for bad in ({"SMS_TEMPLATES": "reminder=SMS_1"}, {"SMS_TEMPLATES": '["SMS_1"]'}, {"CLUB_PHONE_REGION": "XX"}):
        with pytest.raises(SettingsError):
            Settings.from_env({**base, **bad})
