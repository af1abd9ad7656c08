"""The console's year-end page (coordinators): the rule table as a form of rows (a minimum
balance, then a voucher worth a percent or a reward of the catalogue), a year's preview (members
per row, the vouchers' worth, the pieces, the first members) with the button that gives the year's
rewards, and the birthday gift.

Every change goes through the API's own services (club.year_end.rule_table, .awarding,
.birthday_gift); a refusal is shown above the form, with what was typed kept.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.response import Redirect, Template

from club import clock
from club.auth import principal_of
from club.errors import DomainError
from club.i18n.catalogs import N_, gettext
from club.i18n.http import request_language
from club.rewards.catalogue import catalogue
from club.rewards.rules import text_in
from club.web.console import club_zone, console_page
from club.web.console_forms import whole_number
from club.web.forms import FORM
from club.year_end import urls
from club.year_end.awarding import preview, run_year_end
from club.year_end.awards import percent_text
from club.year_end.birthday_gift import gift_out, set_gift
from club.year_end.rule_table import replace_rules, rules_out
from club.year_end.rules import RuleKind, RunRefusal
from club.year_end.schemas import RuleIn

__all__ = ["CONSOLE_PAGES", "ROWS"]

ROWS = 6  # rows the form offers; a club's table has two or three

_FIELDS = ("min_balance", "kind", "percent", "currency", "reward")
RulesForm = msgspec.defstruct(
    "RulesForm", [(f"{name}_{i}", str, "") for i in range(ROWS) for name in _FIELDS]
)


class YearForm(msgspec.Struct):
    year: str = ""


class GiftForm(msgspec.Struct):
    reward: str = ""


KIND_LABELS: dict[RuleKind, str] = {
    RuleKind.percent: N_("Voucher worth a percent of the balance"),
    RuleKind.reward: N_("A reward of the catalogue"),
}
REFUSAL_TEXTS: dict[RunRefusal, str] = {
    RunRefusal.year_not_over: N_("The year is not over: its rewards can be given from 1 January."),
    RunRefusal.no_rules: N_("The table has no rows yet."),
}


def _default_year() -> int:
    today = clock.now()
    return today.year if today.month >= 7 else today.year - 1


def _year(text: str | int | None) -> int:
    value = whole_number(str(text or ""))
    return value if isinstance(value, int) and 2000 <= value <= 2999 else _default_year()


def _percent_bp(text: str) -> int | str | None:
    cleaned = text.strip().replace("%", "").replace("％", "")
    if not cleaned:
        return None
    try:
        bp = Decimal(cleaned) * 100
    except InvalidOperation:
        return text
    return int(bp) if bp == bp.to_integral_value() else text


def _rows_of(data: Any) -> list[dict[str, Any]]:
    """The rows typed (an empty minimum: no row), as the API reads them."""
    rows = []
    for i in range(ROWS):
        typed = {name: getattr(data, f"{name}_{i}").strip() for name in _FIELDS}
        if not typed["min_balance"]:
            continue
        kind = typed["kind"] or RuleKind.percent.value
        row: dict[str, Any] = {"min_balance": whole_number(typed["min_balance"]), "kind": kind,
                               "currency": (typed["currency"] or "CNY").upper()}
        if kind == RuleKind.percent.value:
            row["percent_bp"] = _percent_bp(typed["percent"])
        else:
            row["reward_id"] = whole_number(typed["reward"])
        rows.append(row)
    return rows


def _form_of_rules(rules: list[Any]) -> dict[str, str]:
    form: dict[str, str] = {}
    for i, r in enumerate(rules[:ROWS]):
        form |= {f"min_balance_{i}": str(r.min_balance), f"kind_{i}": r.kind.value,
                 f"percent_{i}": percent_text(r.percent_bp) if r.percent_bp else "", f"currency_{i}": r.currency,
                 f"reward_{i}": str(r.reward_id or "")}
    return form


async def _page(request: Request[Any, Any, Any], *, year: int, form: dict[str, str] | None = None,
                general: str | None = None, status_code: int = 200, done: str = "", awarded: int | None = None) -> Template:
    language = request_language(request)
    rules = await rules_out(language)
    rewards = [(r.id, text_in(language, r.title_zh, r.title_en)) for r in await catalogue() if r.active]
    return console_page(
        request, "year_end/console_year_end.html", status_code=status_code, year=year,
        form=form if form is not None else _form_of_rules(rules), rows=ROWS, kinds=KIND_LABELS, rewards=rewards,
        preview=await preview(year, club_zone(request), language), refusals=REFUSAL_TEXTS,
        gift=await gift_out(language), general=general, done=done[:20], awarded=awarded, percent=percent_text,
        zone=club_zone(request),
    )


@get(urls.CONSOLE_YEAR_END, name="console-year-end")
async def year_end_page(request: Request[Any, Any, Any], year: str = "", done: str = "", awarded: int | None = None) -> Template:
    return await _page(request, year=_year(year), done=done, awarded=awarded)


@post(urls.CONSOLE_RULES, status_code=303)
async def save_rules_page(request: Request[Any, Any, Any], data: Annotated[RulesForm, FORM], year: str = "") -> Redirect | Template:  # type: ignore[valid-type]
    language = request_language(request)
    typed = {k: str(v) for k, v in msgspec.structs.asdict(data).items()}
    rows = _rows_of(data)
    try:
        body = msgspec.convert(rows, list[RuleIn])
    except msgspec.ValidationError:
        return await _page(request, year=_year(year), form=typed, status_code=400, general=gettext(
            language, "Nothing was saved: each row needs a minimum of 1 point or more, and a percent from 0.01 to 50 "
                      "or a reward."))
    try:
        await replace_rules(body, language)
    except DomainError as refusal:
        return await _page(request, year=_year(year), form=typed, status_code=refusal.status_code,
                           general=refusal.detail_in(language))
    return Redirect(f"{urls.CONSOLE_YEAR_END}?year={_year(year)}&done=saved", status_code=303)


@post(urls.CONSOLE_RUN, status_code=303)
async def run_page(request: Request[Any, Any, Any], data: Annotated[YearForm, FORM]) -> Redirect | Template:
    language = request_language(request)
    year = _year(data.year)
    try:
        done = await run_year_end(year, club_zone(request))
    except DomainError as refusal:
        return await _page(request, year=year, status_code=refusal.status_code, general=refusal.detail_in(language))
    return Redirect(f"{urls.CONSOLE_YEAR_END}?year={year}&done=run&awarded={done.awarded}", status_code=303)


@post(urls.CONSOLE_BIRTHDAY_GIFT, status_code=303)
async def gift_page(request: Request[Any, Any, Any], data: Annotated[GiftForm, FORM]) -> Redirect | Template:
    language = request_language(request)
    chosen = whole_number(data.reward)
    try:
        await set_gift(chosen if isinstance(chosen, int) else None, principal_of(request).user_id, language)
    except DomainError as refusal:
        return await _page(request, year=_default_year(), status_code=refusal.status_code,
                           general=refusal.detail_in(language))
    return Redirect(f"{urls.CONSOLE_YEAR_END}?done=gift", status_code=303)


CONSOLE_PAGES: list[Any] = [year_end_page, save_rules_page, run_page, gift_page]
