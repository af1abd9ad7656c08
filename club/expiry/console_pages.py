"""The console's points expiry (coordinators): the club's rule in a form (off, rolling months or a
yearly clearing day, and the reminders' days), and the preview of the next date before it runs:
how many members would lose how many points on today's ledger, and the dates already run.

Saving goes through the API's own service (club.expiry.policy.save_rule); a refusal is shown
beside its field.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.response import Redirect, Template

from club.auth import principal_of
from club.expiry import urls
from club.expiry.expiring import preview
from club.expiry.policy import RuleRefused, load_rule, save_rule
from club.expiry.rules import ExpiryMode, parse_days
from club.expiry.schemas import ExpiryRuleIn
from club.expiry.tables import ExpiryRun
from club.i18n.catalogs import N_
from club.i18n.http import request_language
from club.web.console import console_page
from club.web.console_forms import read_form, whole_number
from club.web.forms import FORM

__all__ = ["CONSOLE_PAGES"]

MODE_LABELS: dict[ExpiryMode, str] = {
    ExpiryMode.off: N_("Points never expire"),
    ExpiryMode.rolling: N_("Rolling: points expire a number of months after the month they were earned in"),
    ExpiryMode.yearly: N_("Yearly: on a clearing day, the points earned up to the previous year's clearing day expire"),
}
_MESSAGES: dict[str, str] = {
    "mode": N_("Please choose."),
    "window_months": N_("Please write a whole number of months from 1 to 120."),
    "clear_month": N_("Please write a month from 1 to 12."),
    "clear_day": N_("Please write a day of that month."),
    "reminder_days": N_("Please write up to four whole numbers of days from 1 to 365, such as 30, 7."),
}


class RuleForm(msgspec.Struct):
    mode: str = ""
    window_months: str = ""
    clear_month: str = ""
    clear_day: str = ""
    reminder_days: str = ""


async def _page(request: Request[Any, Any, Any], form: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                done: str = "", status_code: int = 200) -> Template:
    rule = await load_rule()
    settings = request.app.state.settings
    shown = form if form is not None else {
        "mode": rule.mode.value, "window_months": str(rule.window_months), "clear_month": str(rule.clear_month),
        "clear_day": str(rule.clear_day), "reminder_days": ", ".join(str(d) for d in parse_days(rule.reminder_days) or ()),
    }
    runs = await ExpiryRun.select(ExpiryRun.expires_on, ExpiryRun.members, ExpiryRun.points, ExpiryRun.finished_at).order_by(
        ExpiryRun.expires_on, ascending=False).limit(12)
    return console_page(
        request, "expiry/console_expiry.html", status_code=status_code, rule=rule, form=shown, errors=errors or {},
        done=done, modes=MODE_LABELS, preview=await preview(settings.zone), runs=runs,
    )


@get(urls.CONSOLE_EXPIRY, name="console-expiry")
async def expiry_page(request: Request[Any, Any, Any], done: str = "") -> Template:
    return await _page(request, done=done)


@post(urls.CONSOLE_EXPIRY, status_code=303)
async def save_expiry_page(request: Request[Any, Any, Any], data: Annotated[RuleForm, FORM]) -> Redirect | Template:
    language = request_language(request)
    shown = msgspec.structs.asdict(data)
    days = parse_days(data.reminder_days)
    values: dict[str, Any] = {
        "mode": data.mode, "window_months": whole_number(data.window_months), "clear_month": whole_number(data.clear_month),
        "clear_day": whole_number(data.clear_day), "reminder_days": list(days) if days is not None else data.reminder_days,
    }
    body, errors = read_form({k: v for k, v in values.items() if v is not None}, ExpiryRuleIn, _MESSAGES, language)
    if body is None:
        return await _page(request, shown, errors, status_code=400)
    try:
        await save_rule(body, principal_of(request).user_id)
    except RuleRefused as refusal:
        return await _page(request, shown, {refusal.field: refusal.detail_in(language)}, status_code=400)
    return Redirect(f"{urls.CONSOLE_EXPIRY}?done=saved", status_code=303)


CONSOLE_PAGES: list[Any] = [expiry_page, save_expiry_page]
