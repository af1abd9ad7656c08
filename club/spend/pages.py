"""Spend on the member's points page, and on their console page: the rolling twelve months, what a
purchase earns, and (for coordinators) the latest receipts with their refunds."""

from __future__ import annotations

from typing import Any

from litestar import Request

from club.accounts import Principal
from club.i18n.http import request_language
from club.spend.figures import latest_receipts, money_text, rates_shown, rolling_spend
from club.spend.routes import rates_of
from club.web.console_panels import MemberPanel
from club.web.home import HomeSection

__all__ = ["MEMBER_PANELS", "POINTS_SECTIONS", "spend_panel", "spend_section"]


def _money(request: Request[Any, Any, Any]) -> Any:
    language = request_language(request)
    return lambda amount_minor, currency: money_text(amount_minor, currency, language)


async def spend_section(request: Request[Any, Any, Any], me: Principal) -> HomeSection | None:
    """The points page's part: the member's spend in the last twelve months and what a purchase earns."""
    if me.member_id is None:
        return None
    spend = await rolling_spend(me.member_id)
    return HomeSection("spend/points_section.html", order=10, values={
        "spend": spend, "rates": rates_shown(rates_of(request.app.state.settings)), "money": _money(request),
    })


async def spend_panel(request: Request[Any, Any, Any], member_id: int) -> MemberPanel | None:
    """The member's console page: their spend over twelve months and their latest receipts."""
    return MemberPanel("spend/console_member_panel.html", order=33, values={
        "spend": await rolling_spend(member_id), "receipts": await latest_receipts(member_id), "money": _money(request),
    })


POINTS_SECTIONS: list[Any] = [spend_section]
MEMBER_PANELS: list[Any] = [spend_panel]
