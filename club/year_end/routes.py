"""HTTP controllers of the year-end rewards and the birthday gift: thin, they authorize, call one
service and answer. Coordinators keep the rule table and the gift, preview a year and run it; a
member reads their own rewards. Door staff have no business here (403 everywhere)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post, put
from litestar.params import Parameter

from club.auth import coordinator_only, member_only, principal_of
from club.i18n.http import request_language
from club.year_end import urls
from club.year_end.awarding import preview, run_year_end
from club.year_end.awards import my_awards
from club.year_end.birthday_gift import gift_out, set_gift
from club.year_end.rule_table import replace_rules, rules_out
from club.year_end.schemas import AwardOut, BirthdayGiftIn, BirthdayGiftOut, PreviewOut, RuleOut, RulesIn, RunOut

__all__ = ["ROUTES", "MyYearEndController", "YearEndController"]


Year = Annotated[int, Parameter(ge=2000, le=2999, description="The year whose rewards, e.g. 2026")]


def _zone(request: Request[Any, Any, Any]) -> str:
    return str(request.app.state.settings.club_time_zone)


class YearEndController(Controller):
    tags = ["year-end"]
    guards = [coordinator_only]

    @get(urls.RULES, operation_id="listYearEndRules", summary="The year-end rule table, the lowest minimum first")
    async def rules(self, request: Request[Any, Any, Any]) -> list[RuleOut]:
        return await rules_out(request_language(request))

    @put(urls.RULES, operation_id="replaceYearEndRules",
         summary="Replace the table: rows of a minimum balance and a voucher worth a percent, or a reward")
    async def replace(self, request: Request[Any, Any, Any], data: RulesIn) -> list[RuleOut]:
        return await replace_rules(data.rows, request_language(request))

    @get(urls.PREVIEW, operation_id="previewYearEnd",
         summary="What a run would give now: members per row, the vouchers' worth, pieces, the first members")
    async def preview(self, request: Request[Any, Any, Any], year: Year) -> PreviewOut:
        return await preview(year, _zone(request), request_language(request))

    @post(urls.RUN, status_code=200, operation_id="runYearEnd",
          summary="Give the year's rewards: once per member, however often or concurrently it runs")
    async def run(self, request: Request[Any, Any, Any], year: Year) -> RunOut:
        return await run_year_end(year, _zone(request))

    @get(urls.BIRTHDAY_GIFT, operation_id="getBirthdayGift", summary="The reward given free with birthday points")
    async def gift(self, request: Request[Any, Any, Any]) -> BirthdayGiftOut:
        return await gift_out(request_language(request))

    @put(urls.BIRTHDAY_GIFT, operation_id="setBirthdayGift", summary="Choose the birthday gift (null: none)")
    async def set_gift(self, request: Request[Any, Any, Any], data: BirthdayGiftIn) -> BirthdayGiftOut:
        return await set_gift(data.reward_id, principal_of(request).user_id, request_language(request))


class MyYearEndController(Controller):
    tags = ["year-end"]

    @get(urls.MY_YEAR_END, guards=[member_only], operation_id="listMyYearEnd",
         summary="My year-end rewards, the latest year first, each with its code")
    async def mine(self, request: Request[Any, Any, Any]) -> list[AwardOut]:
        return await my_awards(principal_of(request).member_id, request_language(request))  # type: ignore[arg-type]


ROUTES: list[Any] = [YearEndController, MyYearEndController]
