"""The console's no-show rule: a form that turns it on or off, with its count, window and tiers.

The page calls the API's service (events.no_show_gate.policy); a refusal is the form again with
the problem beside its field.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from club import clock
from club.auth import principal_of
from club.errors import DomainError
from club.i18n.catalogs import N_
from club.i18n.http import request_language
from club.tables import Tier
from club.web.console import console_page
from club.web.console_forms import read_form, whole_number
from events.no_show_gate import urls
from events.no_show_gate.policy import rule_out, save_rule
from events.no_show_gate.schemas import NoShowRuleIn

__all__ = ["CONSOLE_PAGES"]

_MESSAGES: dict[str, str] = {
    "no_shows": N_("Please write a whole number of no-shows from 1 to 100."),
    "months": N_("Please write a whole number of months from 1 to 36."),
    "tiers": N_("Please choose one of the options offered."),
    "enabled": N_("Please choose one of the options offered."),
}


async def _page(request: Request[Any, Any, Any], form: dict[str, Any] | None = None,
                errors: dict[str, str] | None = None, status_code: int = 200, done: str = "") -> Template:
    rule = await rule_out()
    shown = form or {"enabled": rule.enabled, "no_shows": str(rule.no_shows), "months": str(rule.months),
                     "tiers": rule.tiers}
    tiers = [r["name"] for r in await Tier.select(Tier.name).order_by(Tier.rank)]
    return console_page(request, "no_show_gate/console_no_show_rule.html", status_code=status_code, rule=rule,
                        form=shown, errors=errors or {}, tiers=tiers, done=done)


@get(urls.CONSOLE_NO_SHOW_RULE, name="console-no-show-rule")
async def rule_page(request: Request[Any, Any, Any], done: str = "") -> Template:
    return await _page(request, done=done)


@post(urls.CONSOLE_NO_SHOW_RULE, name="console-no-show-rule-save", status_code=303)
async def save_from_form(request: Request[Any, Any, Any]) -> Redirect | Template:
    language = request_language(request)
    posted = await request.form()
    tiers = [str(t) for t in posted.getall("tiers", [])]
    enabled = posted.get("enabled") == "on"
    no_shows, months = str(posted.get("no_shows", "")).strip(), str(posted.get("months", "")).strip()
    raw: dict[str, Any] = {"enabled": enabled, "no_shows": no_shows, "months": months, "tiers": tiers}
    values = {"enabled": enabled, "no_shows": whole_number(no_shows), "months": whole_number(months), "tiers": tiers}
    rule_in, errors = read_form(values, NoShowRuleIn, _MESSAGES, language)
    if rule_in is None:
        return await _page(request, raw, errors, 400)
    try:
        await save_rule(rule_in, principal_of(request).name, clock.now())
    except DomainError as refusal:
        return await _page(request, raw, {"tiers": refusal.detail_in(language)}, refusal.status_code)
    return Redirect(urls.CONSOLE_NO_SHOW_RULE + "?done=saved", status_code=303)


CONSOLE_PAGES: list[Any] = [rule_page, save_from_form]
