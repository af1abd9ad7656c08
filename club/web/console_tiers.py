"""The console's tier ladder (issue 15): each tier's threshold, cap and yearly spend (issue 17), how many members hold it,
who waits for a place in a capped tier (oldest first, the order club.tiers hands a freed place
out in), and a tier's edit, through the API's own `club.tiers.update_tier`, recorded with it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.response import Redirect, Template
from piccolo.query.functions.aggregate import Count

from club.audit import ActionKind, record
from club.auth import principal_of
from club.db import write_transaction
from club.errors import Conflict, InvalidInput, NotFound
from club.i18n.catalogs import N_, gettext
from club.i18n.http import request_language
from club.i18n.languages import Language
from club.ledger import balances_of
from club.rows import Row, rows_as
from club.schemas import TierUpdate
from club.settings import Settings
from club.spend.figures import money_text
from club.spend.rules import minor_exponent
from club.tables import ConsoleAction, Member
from club.tier_rules import Rung
from club.tiers import holder_counts, load_ladder, update_tier
from club.web.console import CONSOLE, console_page
from club.web.console_forms import read_form, whole_number
from club.web.forms import FORM

__all__ = ["CONSOLE_TIER_PAGES", "TIERS", "QueuedMember", "tier_queues"]

TIERS = f"{CONSOLE}/tiers"
TIER = f"{TIERS}/{{tier_id:int}}"
# A queue longer than this is shown by its first members and its length.
QUEUE_SHOWN = 100

_TIER_MESSAGES: dict[str, str] = {
    "name": N_("Please write the tier's name (up to 60 characters)."),
    "points_threshold": N_("Please write a whole number of points from 0 to 100,000,000."),
    "member_cap": N_("Please write a whole number of members, or leave it empty for no cap."),
    "spend_threshold": N_("Please write an amount of money from 0 up, such as 50,000, or leave it empty to ask no spend."),
    "spend_currency": N_("Please write an amount of money from 0 up, such as 50,000, or leave it empty to ask no spend."),
}
_FIELD_LABELS: dict[str, str] = {
    "name": N_("Name"),
    "points_threshold": N_("Points threshold"),
    "member_cap": N_("Member cap"),
    "spend_threshold": N_("Yearly spend required"),
}
# Which field a refused ladder is about, by the reason club.tier_rules gives.
_LADDER_FIELDS: dict[str, str] = {
    "two tiers share a name": "name",
    "{tier} has a negative cap": "member_cap",
    "{tier} asks a spend without a currency or below zero": "spend_threshold",
}


class _QueuedRow(Row, frozen=True):
    id: int
    name: str
    tier_name: str | None
    queued_tier: int
    queued_at: datetime | None


def club_currency(settings: Settings) -> str:
    """The currency a tier's spend is typed in: the first the tills take (SPEND_POINTS_PER_UNIT)."""
    return next(iter(settings.spend_points_per_unit), "CNY")


def _spend_currency(request: Request[Any, Any, Any], rung: Rung) -> str:
    """A tier asking a spend keeps its currency (the API may have set another); else the club's."""
    return rung.spend_currency if rung.spend_threshold is not None and rung.spend_currency else club_currency(
        request.app.state.settings)


def amount_in_minor(text: str, currency: str) -> int | str | None:
    """An amount as a coordinator types it ("50,000", "¥32,000.50") in minor units of `currency`; None
    when left empty; else the text itself, which the form's type refuses as the API would."""
    cleaned = unicodedata.normalize("NFKC", text).replace("−", "-").replace(",", "").replace(" ", "").strip().lstrip("¥$€£")
    if not cleaned:
        return None
    try:
        minor = Decimal(cleaned).scaleb(minor_exponent(currency))
    except InvalidOperation:
        return text
    if not minor.is_finite() or minor != minor.to_integral_value():
        return text  # finer than the currency's minor unit
    return int(minor)


def amount_typed(minor: int | None, currency: str) -> str:
    """A spend threshold as the form shows it back: "50,000" or "50,000.50"; empty for none."""
    if minor is None:
        return ""
    exponent = minor_exponent(currency)
    if minor % 10**exponent == 0:
        return f"{minor // 10**exponent:,}"
    return f"{Decimal(minor).scaleb(-exponent):,}"


@dataclass(frozen=True, slots=True)
class QueuedMember:
    position: int  # 1 = the next to get a place
    id: int
    name: str
    tier: str | None  # the tier they hold meanwhile
    points: int
    queued_at: datetime | None


@dataclass(frozen=True, slots=True)
class TierLine:
    rung: Rung
    holders: int
    waiting: int


async def tier_queues() -> dict[int, tuple[int, list[QueuedMember]]]:
    """{tier id: (how many wait, the first QUEUE_SHOWN of them, oldest first)} for each tier someone waits for."""
    counts = {
        int(r["queued_tier"]): int(r["n"]) for r in await Member.select(
            Member.queued_tier, Count(Member.id, alias="n"),
        ).where(Member.queued_tier.is_not_null()).group_by(Member.queued_tier)
    }
    queues: dict[int, tuple[int, list[QueuedMember]]] = {}
    for tier_id, waiting in counts.items():
        # club.tiers._grant_freed_places' order: who has waited longest, then the lower id.
        rows = rows_as(_QueuedRow, await Member.select(
            Member.id, Member.name, Member.tier.name.as_alias("tier_name"), Member.queued_tier, Member.queued_at,
        ).where(Member.queued_tier == tier_id).order_by(Member.queued_at).order_by(Member.id).limit(QUEUE_SHOWN))
        points = await balances_of([r.id for r in rows])
        queues[tier_id] = (waiting, [
            QueuedMember(n, r.id, r.name, r.tier_name, points.get(r.id, 0), r.queued_at) for n, r in enumerate(rows, 1)
        ])
    return queues


@dataclass(frozen=True, slots=True)
class LadderChange:
    at: datetime
    by: str
    detail: str


async def _ladder_changes(limit: int = 20) -> list[LadderChange]:
    rows = await ConsoleAction.select(
        ConsoleAction.at, ConsoleAction.user.name.as_alias("by_name"), ConsoleAction.detail,
    ).where(ConsoleAction.action == ActionKind.tier_updated.value).order_by(ConsoleAction.id, ascending=False).limit(limit)
    return [LadderChange(r["at"], str(r["by_name"] or ""), str(r["detail"])) for r in rows]


@get(TIERS, name="console-tiers")
async def tiers_page(request: Request[Any, Any, Any], done: str = "") -> Template:
    ladder = await load_ladder()
    holders = await holder_counts()
    queues = await tier_queues()
    lines = [TierLine(r, holders.get(r.id, 0), queues.get(r.id, (0, []))[0]) for r in ladder]
    return console_page(
        request, "club/console_tiers.html", lines=lines, queues=queues, changes=await _ladder_changes(),
        saved=done == "saved", unchanged=done == "unchanged",
    )


def _rung(ladder: list[Rung], tier_id: int) -> Rung:
    found = next((r for r in ladder if r.id == tier_id), None)
    if found is None:
        raise NotFound("Tier {tier_id} does not exist.", text_values={"tier_id": tier_id})
    return found


async def _edit_page(
    request: Request[Any, Any, Any], rung: Rung, *, form: dict[str, Any], errors: dict[str, str], status_code: int = 200,
    general: str | None = None,
) -> Template:
    return console_page(
        request, "club/console_tiers_edit.html", status_code=status_code, rung=rung, currency=_spend_currency(request, rung),
        holders=(await holder_counts()).get(rung.id, 0), labels=_FIELD_LABELS, errors=errors, general=general,
        form={k: "" if v is None else str(v) for k, v in form.items()},
    )


@get(TIER, name="console-tier")
async def tier_page(request: Request[Any, Any, Any], tier_id: int) -> Template:
    rung = _rung(await load_ladder(), tier_id)
    return await _edit_page(request, rung, errors={}, form={
        "name": rung.name, "points_threshold": rung.points_threshold, "member_cap": rung.member_cap,
        "spend_threshold": amount_typed(rung.spend_threshold, rung.spend_currency),
    })


class TierForm(msgspec.Struct):
    name: str = ""
    points_threshold: str = ""
    member_cap: str = ""
    spend_threshold: str = ""


def _changes_text(before: Rung, after: Rung, language: Language) -> str:
    """"金卡：积分门槛：1,000 → 1,200" in the coordinator's words."""
    def shown(name: str, value: Any) -> str:
        if name == "member_cap" and value is None:
            return gettext(language, "no cap")
        if name == "spend_threshold":
            currency = after.spend_currency or before.spend_currency
            return gettext(language, "no spend asked") if value is None else money_text(value, currency, language, whole=True)
        return f"{value:,}" if isinstance(value, int) else str(value)

    changed = [
        gettext(language, "{field}: {old} → {new}", field=gettext(language, _FIELD_LABELS[name]),
                old=shown(name, getattr(before, name)), new=shown(name, getattr(after, name)))
        for name in _FIELD_LABELS if getattr(before, name) != getattr(after, name)
    ]
    if not changed:
        return ""
    return gettext(language, "{tier}: {changes}", tier=gettext(language, before.name),
                   changes=gettext(language, "; ").join(changed))


@post(TIER, status_code=303)
async def save_tier(request: Request[Any, Any, Any], tier_id: int, data: Annotated[TierForm, FORM]) -> Redirect | Template:
    language = request_language(request)
    before = _rung(await load_ladder(), tier_id)
    cap = data.member_cap.strip()
    currency = _spend_currency(request, before)
    values: dict[str, Any] = {
        "name": " ".join(data.name.split()),
        "points_threshold": whole_number(data.points_threshold),
        "member_cap": whole_number(cap) if cap else None,
        # The same yearly spend PATCH /api/tiers/{id} takes: minor units of the currency, empty asks none.
        "spend_threshold": amount_in_minor(data.spend_threshold, currency),
        "spend_currency": currency,
    }
    changes, errors = read_form(values, TierUpdate, _TIER_MESSAGES, language)
    shown = {**values, "spend_threshold": data.spend_threshold.strip()}
    if changes is None:
        return await _edit_page(request, before, form=shown, errors=errors, status_code=400)
    try:
        async with write_transaction():
            after = await update_tier(tier_id, changes)
            detail = _changes_text(before, after, language)
            if detail:
                await record(principal_of(request), ActionKind.tier_updated, detail=detail)
    except Conflict as refusal:  # the cap below the members holding the tier
        return await _edit_page(request, before, form=shown, status_code=refusal.status_code,
                                errors={"member_cap": refusal.detail_in(language)})
    except InvalidInput as refusal:  # the ladder would not climb
        problem = refusal.values.get("problem")
        field = _LADDER_FIELDS.get(getattr(problem, "message", ""), "points_threshold")
        return await _edit_page(request, before, form=shown, status_code=refusal.status_code,
                                errors={field: refusal.detail_in(language)})
    return Redirect(f"{TIERS}?done={'saved' if detail else 'unchanged'}", status_code=303)


CONSOLE_TIER_PAGES: list[Any] = [tiers_page, tier_page, save_tier]
