"""HTTP controllers of spend: thin, they authorize, call one service and answer.

The till is a coordinator's account of its own (`club users add --role coordinator --name "Till,
Shanghai IFC" …`, its token issued on the server like every coordinator token): the simplest
honest choice, since the service has no narrower role yet. Its token can therefore do whatever a
coordinator can; keep it on the till's server, and revoke it (DELETE /api/tokens/{id}) when a
till is retired. A receipt or refund sent again lands once: 201 the first time, 200 with the same
answer after. Members read only their own spend; door staff have no business here (403).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post

from club.auth import coordinator_only, member_only, principal_of
from club.i18n.http import request_language
from club.settings import Settings
from club.spend import urls
from club.spend.figures import member_spend, rolling_spend
from club.spend.importing import MAX_BYTES, import_csv
from club.spend.receipts import record_receipt, record_refund
from club.spend.rules import EarningRates
from club.spend.schemas import ImportReportOut, ReceiptIn, ReceiptOut, RefundIn, RefundOut, SpendOut
from club.spend.tables import Via

__all__ = ["ROUTES", "MySpendController", "SpendController"]


def rates_of(settings: Settings) -> EarningRates:
    return EarningRates(settings.spend_points_per_unit)


class SpendController(Controller):
    tags = ["spend"]
    guards = [coordinator_only]

    @post(urls.RECEIPTS, operation_id="recordReceipt",
          summary="A sale at a boutique's till earns the member points (201; the same receipt again: 200)")
    async def receipt(self, request: Request[Any, Any, Any], settings: Settings, data: ReceiptIn) -> Response[ReceiptOut]:
        done = await record_receipt(data, rates_of(settings), via=Via.till, by=principal_of(request).user_id)
        return Response(done.answer, status_code=201 if done.created else 200)

    @post(urls.REFUNDS, operation_id="recordRefund",
          summary="A refund on a receipt takes back its share of the points (201; the same refund id again: 200)")
    async def refund(self, request: Request[Any, Any, Any], settings: Settings, data: RefundIn) -> Response[RefundOut]:
        done = await record_refund(data, rates_of(settings), via=Via.till, by=principal_of(request).user_id)
        return Response(done.answer, status_code=201 if done.created else 200)

    # A till's export runs to thousands of lines: this route takes up to the import's own limit,
    # beyond the app's 64 KiB for every other body.
    @post(urls.IMPORTS, status_code=200, operation_id="importSpend", request_max_body_size=MAX_BYTES + 64 * 1024,
          summary="Import receipts and refunds from CSV (UTF-8): each line lands, was already there, or is refused with why")
    async def import_file(self, request: Request[Any, Any, Any], settings: Settings) -> ImportReportOut:
        """The body is the CSV file itself (Content-Type text/csv, UTF-8), its header naming the columns
        kind, store, receipt, refund_id, member_id, currency, amount and at (club.spend.importing)."""
        return await import_csv(await request.body(), rates_of(settings), settings.zone, by=principal_of(request).user_id,
                                language=request_language(request))

    @get(urls.MEMBER_SPEND, operation_id="getMemberSpend",
         summary="A member's spend over the rolling twelve months, per currency (purchases less refunds)")
    async def of_member(self, member_id: int) -> SpendOut:
        return await member_spend(member_id)


class MySpendController(Controller):
    tags = ["spend"]
    guards = [member_only]

    @get(urls.MY_SPEND, operation_id="getMySpend", summary="My spend over the rolling twelve months, per currency")
    async def mine(self, request: Request[Any, Any, Any]) -> SpendOut:
        return await rolling_spend(principal_of(request).member_id)  # type: ignore[arg-type]


ROUTES: list[Any] = [SpendController, MySpendController]
