"""Members' languages as BCP 47 tags and phone numbers in E.164: accepted as people write them,
stored in one form, refused with a clear 400 when they cannot be read; and the migration that
brings the rows stored before into that form."""

from __future__ import annotations

import dataclasses
from datetime import date
from importlib import import_module

import httpx
import pytest

from club import urls
from club.i18n.languages import Language
from club.server.app import create_app
from club.tables import Member
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.serving import serving

_MIGRATION = import_module("club.piccolo_migrations.club_2026_12_06t12_17_00_000000")


@pytest.mark.parametrize(
    ("tag", "stored"),
    [
        ("zh-Hans-CN", "zh-Hans-CN"),
        ("zh-TW", "zh-Hant-TW"),
        ("zh-HK", "zh-Hant-HK"),
        ("zh", "zh-Hans"),
        ("zh_hant", "zh-Hant"),
        ("en", "en"),
        ("EN-gb", "en-GB"),
        ("fr-fr", "fr-FR"),
        ("it", "it"),
        ("ja", "ja"),
    ],
)
async def test_a_language_tag_as_browsers_send_it_is_stored_canonically(
    server: LiveServer, coordinator: Caller, tag: str, stored: str
) -> None:
    async with server.client(coordinator.token) as http:
        created = await http.post(urls.MEMBERS, json={"name": "Lin", "email": "lin@example.com", "language": tag})
        assert created.status_code == 201, created.text
        assert created.json()["language"] == stored
        changed = await http.patch(f"/api/members/{created.json()['id']}", json={"language": tag})
    assert changed.status_code == 200 and changed.json()["language"] == stored


async def test_members_set_their_own_language_and_phone(server: LiveServer, member: Caller) -> None:
    async with server.client(member.token) as http:
        response = await http.patch(urls.ME, json={"language": "zh-TW", "phone": "138 0013 8000"})
    assert response.status_code == 200, response.text
    assert (response.json()["language"], response.json()["phone"]) == ("zh-Hant-TW", "+8613800138000")


@pytest.mark.parametrize("tag", ["xx", "zz-Hans", "not a tag", "e"])
async def test_a_tag_that_names_no_language_is_refused(server: LiveServer, coordinator: Caller, tag: str) -> None:
    async with server.client(coordinator.token) as http:
        response = await http.post(urls.MEMBERS, json={"name": "Lin", "email": "lin@example.com", "language": tag})
    assert response.status_code == 400
    # A tag the schema can read but CLDR does not know is the service's refusal; one the schema
    # cannot read is the schema's: either way the answer names the field.
    assert "language" in response.text


async def test_existing_members_in_english_stay_valid(server: LiveServer) -> None:
    old = await make_member("Old Member", language="en")
    async with server.client(old.token) as http:
        response = await http.patch(urls.ME, json={"time_zone": "Asia/Shanghai"})
    assert response.status_code == 200 and response.json()["language"] == "en"


async def test_a_new_member_with_no_language_gets_the_clubs(server: LiveServer, coordinator: Caller) -> None:
    # The tests' club writes English; a Chinese club's new members read Chinese until they choose.
    chinese = dataclasses.replace(server.settings, club_locale=Language.zh_hans)
    async with serving(create_app(chinese, run_worker=False)) as base_url, httpx.AsyncClient(
        base_url=base_url, headers=coordinator.headers
    ) as http:
        created = await http.post(urls.MEMBERS, json={"name": "Wang Fang", "email": "fang@example.com"})
    assert created.status_code == 201 and created.json()["language"] == "zh-Hans"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("138 0013 8000", "+8613800138000"),  # the club's region (CN) when no country code
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+86 (138) 0013-8000", "+8613800138000"),
        ("+39 333 000 0001", "+393330000001"),
    ],
)
async def test_a_phone_is_stored_in_e164(server: LiveServer, coordinator: Caller, typed: str, stored: str) -> None:
    async with server.client(coordinator.token) as http:
        created = await http.post(urls.MEMBERS, json={"name": "Lin", "email": "lin@example.com", "phone": typed})
        assert created.status_code == 201, created.text
        assert created.json()["phone"] == stored
        changed = await http.patch(f"/api/members/{created.json()['id']}", json={"phone": typed})
    assert changed.json()["phone"] == stored


async def test_the_clubs_phone_region_reads_numbers_without_a_country_code(
    server: LiveServer, coordinator: Caller
) -> None:
    french = dataclasses.replace(server.settings, club_phone_region="FR")
    async with serving(create_app(french, run_worker=False)) as base_url, httpx.AsyncClient(
        base_url=base_url, headers=coordinator.headers
    ) as http:
        created = await http.post(urls.MEMBERS, json={"name": "Lin", "email": "lin@example.com", "phone": "06 12 34 56 78"})
    assert created.json()["phone"] == "+33612345678"


@pytest.mark.parametrize("typed", ["12345", "+86 138 0013", "+1 000 000 0000", "+33 6 12 34 56 78 99 99"])
async def test_an_invalid_phone_is_a_clear_400_naming_the_field(
    server: LiveServer, coordinator: Caller, member: Caller, typed: str
) -> None:
    async with server.client(coordinator.token) as http:
        created = await http.post(urls.MEMBERS, json={"name": "Lin", "email": "lin@example.com", "phone": typed})
    async with server.client(member.token) as http:
        mine = await http.patch(urls.ME, json={"phone": typed})
    for response in (created, mine):
        assert response.status_code == 400
        problem = response.json()
        assert problem["type"].endswith("/problems/invalid-input")
        assert "phone number" in problem["detail"] and problem.get("field") == "phone"


async def test_the_migration_brings_stored_phones_and_languages_into_form(
    caplog: pytest.LogCaptureFixture,
) -> None:
    rows = [("a", "+86 138 0000 0001", "zh-TW"), ("b", "138 0013 8000", "en"), ("c", "call the concierge", "zh"),
            ("d", None, "fr"), ("e", "+33612345678", "en")]
    for name, phone, language in rows:
        await Member.insert(Member(name=name, email=f"{name}@example.com", phone=phone, language=language,
                                   time_zone="Asia/Shanghai", joined_on=date(2024, 1, 1)))
    caplog.set_level("INFO", logger="club.migrations")
    await (await _MIGRATION.forwards()).run()
    stored = {r["name"]: (r["phone"], r["language"]) for r in await Member.select(Member.name, Member.phone, Member.language)}
    assert stored == {
        "a": ("+8613800000001", "zh-Hant-TW"),
        "b": ("+8613800138000", "en"),
        "c": ("call the concierge", "zh-Hans"),  # unreadable: left as it was
        "d": (None, "fr"),
        "e": ("+33612345678", "en"),
    }
    [line] = [r.getMessage() for r in caplog.records if r.name == "club.migrations"]
    assert "2 phone numbers rewritten" in line and "1 left as they were" in line and "2 languages rewritten" in line
    await (await _MIGRATION.forwards()).run()  # again: nothing more to do
    assert "0 phone numbers rewritten" in caplog.records[-1].getMessage()
