"""The club's stores, as coordinators keep them: a short code, a name, the store's time zone."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from club import clock
from club.db import write_transaction
from club.errors import NotFound
from club.visits.errors import StoreExists, UnknownTimeZone
from club.visits.schemas import StoreIn, StoreOut, StorePatch
from club.visits.tables import Store

__all__ = ["add_store", "change_store", "list_stores"]


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UnknownTimeZone("{time_zone} is not an IANA time zone (such as Asia/Shanghai).", time_zone=name) from exc
    return name


def _out(row: dict[str, Any]) -> StoreOut:
    return StoreOut(code=row["code"], name=row["name"], time_zone=row["time_zone"], active=bool(row["active"]),
                    created_at=clock.aware(row["created_at"]))


async def list_stores() -> list[StoreOut]:
    return [_out(row) for row in await Store.select().order_by(Store.code)]


async def add_store(data: StoreIn) -> StoreOut:
    zone = _zone(data.time_zone)
    async with write_transaction():
        inserted = await Store.raw(
            "INSERT INTO visit_store (code, name, time_zone, active, created_at) VALUES ({}, {}, {}, {}, {}) "
            "ON CONFLICT (code) DO NOTHING RETURNING id",
            data.code, data.name, zone, True, clock.now(),
        )
        if not inserted:
            raise StoreExists("Store {code} already exists.", code=data.code)
    row = await Store.select().where(Store.code == data.code).first()
    assert row is not None
    return _out(row)


async def change_store(code: str, data: StorePatch) -> StoreOut:
    values: dict[Any, Any] = {}
    if data.name is not None:
        values[Store.name] = data.name
    if data.time_zone is not None:
        values[Store.time_zone] = _zone(data.time_zone)
    if data.active is not None:
        values[Store.active] = data.active
    async with write_transaction():
        if not await Store.exists().where(Store.code == code):
            raise NotFound("No store {store} is known to the club.", text_values={"store": code})
        if values:
            await Store.update(values).where(Store.code == code)
    row = await Store.select().where(Store.code == code).first()
    assert row is not None
    return _out(row)
