"""What the visits tests share: stores, a member's card, a scan as a counter sends it."""

from __future__ import annotations

import uuid
from typing import Any

from club.visits import urls
from club.visits.cards import CardSigner
from club.visits.visiting import card_token
from tests.conftest import LiveServer
from tests.factories import Caller

__all__ = ["add_stores", "card_of", "scan"]


async def add_stores(server: LiveServer, coordinator: Caller) -> None:
    async with server.client(coordinator.token) as http:
        for code, zone in (("SH-IFC", "Asia/Shanghai"), ("BJ-SKP", "Asia/Shanghai"), ("PA-STH", "Europe/Paris")):
            answer = await http.post(urls.STORES, json={"code": code, "name": f"Boutique {code}", "time_zone": zone})
            assert answer.status_code == 201, answer.text


async def card_of(server: LiveServer, member: Caller) -> str:
    assert member.member_id is not None
    return await card_token(member.member_id, CardSigner(server.settings.secret_key))


def scan(token: str, store: str = "SH-IFC", nonce: str | None = None) -> dict[str, Any]:
    return {"token": token, "store": store, "nonce": nonce or uuid.uuid4().hex}
