"""HTTP controllers of points expiry: thin, they authorize, call one service and answer.

A member reads what of their own balance expires next, and when. Coordinators read and set the
club's rule, preview the next date and run the date that has come (the hourly job does it too;
both expire each member once). Door staff have no business here (403).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post, put

from club import clock
from club.auth import coordinator_only, member_only, principal_of
from club.expiry import urls
from club.expiry.expiring import member_expiry, next_date, preview, run_due
from club.expiry.policy import RuleRow, load_rule, save_rule
from club.expiry.rules import parse_days
from club.expiry.schemas import ExpiryPreviewOut, ExpiryRuleIn, ExpiryRuleOut, ExpiryRunOut, MyExpiryOut
from club.settings import Settings

__all__ = ["ROUTES", "ExpiryRuleController", "MyExpiryController", "rule_out"]


def rule_out(rule: RuleRow, settings: Settings) -> ExpiryRuleOut:
    upcoming = next_date(rule, settings.zone, clock.now())
    return ExpiryRuleOut(
        mode=rule.mode, window_months=rule.window_months, clear_month=rule.clear_month, clear_day=rule.clear_day,
        reminder_days=list(parse_days(rule.reminder_days) or ()), effective_from=rule.effective_from,
        updated_at=rule.updated_at, next_expiry_on=upcoming.expires_on if upcoming else None,
    )


class ExpiryRuleController(Controller):
    tags = ["expiry"]
    guards = [coordinator_only]

    @get(urls.RULE, operation_id="getExpiryRule", summary="The club's points expiry rule (off until set)")
    async def get_rule(self, settings: Settings) -> ExpiryRuleOut:
        return rule_out(await load_rule(), settings)

    @put(urls.RULE, operation_id="setExpiryRule",
         summary="Set the expiry rule: off, rolling (months) or yearly (clearing day), and its reminders")
    async def set_rule(self, request: Request[Any, Any, Any], settings: Settings, data: ExpiryRuleIn) -> ExpiryRuleOut:
        return rule_out(await save_rule(data, principal_of(request).user_id), settings)

    @get(urls.PREVIEW, operation_id="previewExpiry",
         summary="How many members would lose how many points at the next expiry date, on today's ledger")
    async def get_preview(self, settings: Settings) -> ExpiryPreviewOut:
        return await preview(settings.zone)

    @post(urls.RUNS, status_code=200, operation_id="runExpiry",
          summary="Run the expiry date that has come, as the hourly job does (once, however often called)")
    async def run(self, settings: Settings) -> ExpiryRunOut:
        return await run_due(settings.zone)


class MyExpiryController(Controller):
    tags = ["expiry"]

    @get(urls.MY_EXPIRY, guards=[member_only], operation_id="getMyPointsExpiry",
         summary="What of my balance expires next, and when (on the club's clock)")
    async def mine(self, request: Request[Any, Any, Any], settings: Settings) -> MyExpiryOut:
        return await member_expiry(principal_of(request).member_id, settings.zone)  # type: ignore[arg-type]


ROUTES: list[Any] = [ExpiryRuleController, MyExpiryController]
