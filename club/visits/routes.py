"""HTTP controllers of visits: thin, they authorize, call one service and answer.

Boutique staff are the door-staff role (`staff`): the people who already scan members' codes at the
club's doors, now at a store's counter too; coordinators may scan as well. A scan's answer is a
result (earned, already_counted, cap_reached, not_a_card, suspended) in a 200 body, as at the door;
an unknown or closed store is a problem (404, 409). Coordinators keep the stores and reissue a card;
a member reads their own card. A member may not post visits (403).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, patch, post

from club.auth import coordinator_only, member_only, principal_of, staff_or_coordinator
from club.i18n.http import request_language
from club.settings import Settings
from club.visits import urls
from club.visits.cards import CardSigner
from club.visits.schemas import CardOut, StoreIn, StoreOut, StorePatch, VisitAnswer, VisitIn
from club.visits.stores import add_store, change_store, list_stores
from club.visits.visiting import VisitRequest, card_token, card_version, record_visit, reissue_card

__all__ = ["ROUTES", "CardController", "StoreController", "VisitController"]


class VisitController(Controller):
    tags = ["visits"]
    guards = [staff_or_coordinator]

    @post(urls.VISITS, status_code=200, operation_id="recordVisit",
          summary="A store's counter scans a member's card: a visit earns points once per store per local day, within the daily cap")
    async def visit(self, request: Request[Any, Any, Any], settings: Settings, data: VisitIn) -> VisitAnswer:
        return await record_visit(VisitRequest(
            token=data.token, store=data.store, nonce=data.nonce, staff_user_id=principal_of(request).user_id,
            per_visit=settings.visit_points, daily_cap=settings.visit_daily_cap, language=request_language(request),
        ), CardSigner(settings.secret_key))


class StoreController(Controller):
    tags = ["visits"]
    guards = [coordinator_only]

    @get(urls.STORES, operation_id="listStores", summary="The club's stores, by code")
    async def stores(self) -> list[StoreOut]:
        return await list_stores()

    @post(urls.STORES, operation_id="addStore", summary="A new store: its short code, name and time zone")
    async def add(self, data: StoreIn) -> StoreOut:
        return await add_store(data)

    @patch(urls.STORE, operation_id="changeStore", summary="Rename a store, change its time zone, or close it to visits")
    async def change(self, code: str, data: StorePatch) -> StoreOut:
        return await change_store(code, data)

    @post(urls.CARD_REISSUE, status_code=200, operation_id="reissueMemberCard",
          summary="A new member card; the older QR stops working")
    async def reissue(self, member_id: int, settings: Settings) -> CardOut:
        version = await reissue_card(member_id)
        return CardOut(member_id=member_id, version=version, token=await card_token(member_id, CardSigner(settings.secret_key)))


class CardController(Controller):
    tags = ["visits"]
    guards = [member_only]

    @get(urls.MY_CARD, operation_id="getMyCard", summary="My member card: the code the store's staff scan")
    async def mine(self, request: Request[Any, Any, Any], settings: Settings) -> CardOut:
        member_id = principal_of(request).member_id
        assert member_id is not None  # member_only
        return CardOut(member_id=member_id, version=await card_version(member_id),
                       token=await card_token(member_id, CardSigner(settings.secret_key)))


ROUTES: list[Any] = [VisitController, StoreController, CardController]
