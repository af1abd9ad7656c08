"""Passport numbers at rest: sealed in the row, whole only in the manifest, readable through a
key rotation and re-encrypted by `club reseal`, and a wrong key is a clear error, not garbage."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from club.sealing import (
    PASSPORT_NUMBER,
    SealedValueUnreadable,
    Sealer,
    configure_sealing,
)
from club.settings import Settings
from tests.conftest import LiveServer
from tests.factories import Caller, make_member
from tests.support import backend_name, create_run_database, drop_run_database
from tests.travel.helpers import add_traveler, link, put_passport, rsvp, trip
from travel import urls
from travel.tables import TravelDocument

NUMBER = "E12345678"


@contextmanager
def keys(settings: Settings, current: str, *previous: str) -> Iterator[None]:
    """The process (and so the live server in it) on other keys for the block."""
    configure_sealing(replace(settings, secret_key=current, previous_secret_keys=previous))
    try:
        yield
    finally:
        configure_sealing(settings)


async def _stored_passport(server: LiveServer, coordinator: Caller) -> tuple[dict[str, Any], dict[str, Any]]:
    event = await trip(server, coordinator)
    member = await make_member("Sealed Traveler")
    mine = await rsvp(server, member, event["id"])
    async with server.client(member.token) as http:
        traveler = (await add_traveler(http, mine["id"])).json()
        stored = await put_passport(http, traveler["id"], NUMBER.lower(), "2035-01-31")
    assert stored.status_code == 200, stored.text
    return event, traveler


async def _raw_rows() -> list[dict[str, Any]]:
    return await TravelDocument.raw("SELECT * FROM trip_travel_document")


async def _manifest_number(server: LiveServer, coordinator: Caller, event_id: int) -> str:
    async with server.client(coordinator.token) as http:
        response = await http.get(link(urls.TRIP_MANIFEST_CSV, event_id=event_id))
    assert response.status_code == 200, response.text
    (row,) = [r for r in csv.DictReader(io.StringIO(response.text)) if r["passport_number"]]
    return row["passport_number"]


async def test_the_row_holds_no_passport_number_and_only_the_manifest_shows_it_whole(
    server: LiveServer, coordinator: Caller
) -> None:
    event, traveler = await _stored_passport(server, coordinator)
    (row,) = await _raw_rows()
    assert NUMBER not in json.dumps(row, default=str) and "5678" not in json.dumps(row, default=str)
    assert "passport_number" not in row  # the plain-text column is gone
    assert await _manifest_number(server, coordinator, event["id"]) == NUMBER
    async with server.client(coordinator.token) as http:
        document = (await http.get(link(urls.TRAVELER_DOCUMENT, traveler_id=traveler["id"]))).json()
    assert document["passport_number"] == "•••••5678"


async def test_after_a_key_rotation_old_rows_stay_readable_and_club_reseal_moves_them(
    server: LiveServer, coordinator: Caller, settings: Settings
) -> None:
    event, _ = await _stored_passport(server, coordinator)  # sealed under the old secret
    (before,) = await _raw_rows()
    with keys(settings, "the-new-secret", settings.secret_key):
        assert await _manifest_number(server, coordinator, event["id"]) == NUMBER
        result = await asyncio.to_thread(
            _club, "reseal", SECRET_KEY="the-new-secret", SECRET_KEY_PREVIOUS=settings.secret_key,
            DATABASE_URL=settings.database_url,
        )
        assert result.returncode == 0, result.stderr
        assert "1 passport numbers re-encrypted" in result.stdout
    (after,) = await _raw_rows()
    assert after["passport_number_sealed"] != before["passport_number_sealed"]
    # The old secret is no longer needed: the new one alone opens the row.
    with keys(settings, "the-new-secret"):
        assert await _manifest_number(server, coordinator, event["id"]) == NUMBER
        again = await asyncio.to_thread(
            _club, "reseal", SECRET_KEY="the-new-secret", DATABASE_URL=settings.database_url
        )
        assert again.returncode == 0 and "0 passport numbers re-encrypted" in again.stdout, again.stderr


async def test_a_wrong_key_is_a_clear_error_and_never_shows_garbage(
    server: LiveServer, coordinator: Caller, settings: Settings
) -> None:
    _, traveler = await _stored_passport(server, coordinator)
    (row,) = await _raw_rows()
    with pytest.raises(SealedValueUnreadable, match="SECRET_KEY_PREVIOUS"):
        Sealer(PASSPORT_NUMBER, ["not-the-club-secret"]).open(row["passport_number_sealed"])
    with keys(settings, "not-the-club-secret"):
        async with server.client(coordinator.token) as http:
            response = await http.get(link(urls.TRAVELER_DOCUMENT, traveler_id=traveler["id"]))
    assert response.status_code == 503
    body = response.json()
    assert body["type"] == "/problems/sealed-data-unreadable" and "SECRET_KEY" in body["detail"]
    # Each purpose has its own key: the club's secret with another purpose opens nothing.
    with pytest.raises(SealedValueUnreadable):
        Sealer("another.purpose", [settings.secret_key]).open(row["passport_number_sealed"])


def _club(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "CLUB_DATA_DIR": tempfile.mkdtemp(prefix="club-reseal-"), **env}
    full.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "club.server.cli", *args], env=full, capture_output=True, text=True, timeout=120, check=False
    )


# Migrates a fresh database up to the sealed column, stores a plain number as the old schema
# did, then applies the migration that seals it; prints the row and what it opens to.
_MIGRATE_WITH_A_PLAIN_ROW = """
import asyncio, json, sys
from datetime import date, datetime, timezone
from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards
from club.server.wiring import configure_database
from club.sealing import PASSPORT_NUMBER, sealer
from club.settings import Settings
from travel.tables import TravelDocument

async def main():
    configure_database(Settings.from_env())
    for app in BaseMigrationManager().get_sorted_app_names():
        if app != "travel":
            assert (await run_forwards(app)).success
    assert (await run_forwards("travel", migration_id=sys.argv[1])).success
    await TravelDocument.raw(
        "INSERT INTO trip_travel_document (passport_number, passport_number_sealed, nationality, expiry_date, updated_at)"
        " VALUES ({}, '', 'FRA', {}, {})", sys.argv[2], date(2035, 1, 31), datetime.now(timezone.utc),
    )
    assert (await run_forwards("travel")).success
    rows = await TravelDocument.raw("SELECT * FROM trip_travel_document")
    print(json.dumps({"row": rows[0], "opened": sealer(PASSPORT_NUMBER).open(rows[0]["passport_number_sealed"])}, default=str))

asyncio.run(main())
"""


async def test_the_migration_seals_numbers_stored_in_plain_text() -> None:
    from travel.piccolo_migrations.travel_2026_12_01t08_02_05_276963 import (
        ID as SEALED_COLUMN_ADDED,
    )

    data_dir = tempfile.mkdtemp(prefix="club-seal-migration-")
    env = {**os.environ, "CLUB_DATA_DIR": data_dir, "SECRET_KEY": "migration-secret", "PICCOLO_CONF": "club.server.piccolo_conf"}
    server_url, pg_name = os.environ.get("DATABASE_URL", ""), None
    if backend_name() == "postgres":
        pg_name, env["DATABASE_URL"] = await create_run_database(server_url)
    else:
        env["DATABASE_URL"] = f"sqlite:///{Path(data_dir) / 'old.sqlite3'}"
    try:
        done = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-c", _MIGRATE_WITH_A_PLAIN_ROW, SEALED_COLUMN_ADDED, NUMBER],
            env=env, capture_output=True, text=True, timeout=120,
        )
    finally:
        if pg_name:
            await drop_run_database(server_url, pg_name)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "passport_number" not in result["row"] and NUMBER not in json.dumps(result["row"])
    assert result["opened"] == NUMBER
