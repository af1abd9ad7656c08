"""The console's measures: the Measures page (a month's kinds and events, today's segments per
tier, the year's satisfaction by quarter), an event's figures (with its satisfaction survey), and
a member's measures on their console page.

Each reads the same services as the API (checkin.measures.overview, event_figures,
member_figures) with the club's settings; a bad month is the page again with its problem beside
the field, and no figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any

from babel.dates import format_date, format_skeleton, format_timedelta
from babel.numbers import format_decimal, format_percent
from litestar import Request, get
from litestar.params import Parameter
from litestar.response import Template

from checkin.measures import urls
from checkin.measures.event_figures import event_figures
from checkin.measures.member_figures import member_figures
from checkin.measures.overview import overview
from checkin.measures.referrals import referrals_of
from checkin.measures.retention import retention_of
from checkin.measures.rules import MeasurePolicy, Period, Segment, month_period, period_of
from checkin.measures.segment_history import segment_history
from checkin.measures.survey_responses import year_responses
from checkin.surveys.console_pages import event_survey_part, year_survey_part
from club import clock
from club.errors import InvalidInput
from club.i18n.catalogs import N_
from club.i18n.http import request_language
from club.i18n.languages import Language
from club.settings import Settings
from club.web.console import console_page
from club.web.console_panels import MemberPanel
from club.web.points_page import REASON_LABELS
from events.console_pages import STATE_LABELS

__all__ = ["CONSOLE_PAGES", "MEMBER_PANELS"]

SEGMENT_LABELS: dict[Segment, str] = {
    Segment.active: N_("Active"),
    Segment.cooling: N_("Cooling"),
    Segment.dormant: N_("Dormant"),
}
# A segment as a word and a shape, as every status is.
SEGMENT_SHAPES: dict[Segment, str] = {Segment.active: "good", Segment.cooling: "plain", Segment.dormant: "bad"}


@dataclass(frozen=True, slots=True)
class Formats:
    """Rates and waits as the reader's language writes them; a dash where there is nothing."""

    language: Language

    def percent(self, value: float | None) -> str:
        return "—" if value is None else format_percent(value, format="#,##0.#%", locale=self.language.value)

    def day(self, value: date) -> str:
        return format_date(value, format="long", locale=self.language.value)

    def month(self, value: str | date) -> str:
        """A month ("2026-11" or its first day) as the language names it: 2026年11月, Nov 2026."""
        first = value if isinstance(value, date) else date.fromisoformat(value + "-01")
        return format_skeleton("yMMM", first, locale=self.language.value)

    def wait(self, seconds: float | None) -> str:
        return "—" if seconds is None else format_timedelta(timedelta(seconds=seconds), locale=self.language.value)

    def score(self, value: float | None) -> str:
        """A mean score out of 10, to one decimal."""
        return "—" if value is None else format_decimal(value, format="0.0", locale=self.language.value)

    def net(self, value: float | None) -> str:
        """A net promoter share (-1 to 1) as the trade writes it, from -100 to +100."""
        return "—" if value is None else f"{round(value * 100):+d}".replace("-", "−")


def _values(request: Request[Any, Any, Any], policy: MeasurePolicy) -> dict[str, Any]:
    return {
        "fmt": Formats(request_language(request)), "segment_labels": SEGMENT_LABELS, "segment_shapes": SEGMENT_SHAPES,
        "state_labels": STATE_LABELS, "late_hours": int(policy.late.total_seconds() // 3600),
        "thresholds": policy.thresholds, "event_path": lambda event_id: urls.CONSOLE_EVENT.replace("{event_id:int}", str(event_id)),
    }


@get(urls.CONSOLE_MEASURES, name="console-measures")
async def measures_page(
    request: Request[Any, Any, Any], settings: Settings, month: Annotated[str, Parameter(max_length=20)] = "",
) -> Template:
    policy = MeasurePolicy.of(settings)
    zone = settings.club_time_zone
    try:
        period = period_of(month or None, None, None, clock.today(zone), zone)
    except InvalidInput as exc:
        this_month = month_period(clock.today(zone), zone)
        return console_page(
            request, "measures/console_measures.html", status_code=400, found=None, month=month,
            error=exc.detail_in(request_language(request)), this_month=this_month.first.strftime("%Y-%m"),
            **_values(request, policy),
        )
    found = await overview(period, clock.now(), policy)
    year = period.first.year
    return console_page(
        request, "measures/console_measures.html", found=found, month=period.first.strftime("%Y-%m"), error=None,
        this_month=period.first.strftime("%Y-%m"), satisfaction=await year_survey_part(year, zone),
        retention=await retention_of(year, clock.now(), zone),
        referrals=await referrals_of(Period(date(year, 1, 1), date(year, 12, 31), zone)),
        responses=await year_responses(year, zone), **_values(request, policy),
    )


@get(urls.CONSOLE_EVENT, name="console-event-measures")
async def event_measures_page(request: Request[Any, Any, Any], settings: Settings, event_id: int) -> Template:
    policy = MeasurePolicy.of(settings)
    figures = await event_figures(event_id, policy.late)  # NotFound: a 404 page
    return console_page(
        request, "measures/console_event.html", e=figures, survey=await event_survey_part(request, event_id),
        **_values(request, policy),
    )


async def measures_panel(request: Request[Any, Any, Any], member_id: int) -> MemberPanel | None:
    """The member's record at the door, their segment now and at each of the last twelve months'
    ends, their points by source and their tier history."""
    settings = request.app.state.settings
    policy = MeasurePolicy.of(settings)
    found = await member_figures(member_id, clock.now(), policy.thresholds, policy.late)
    months = await segment_history(member_id, clock.now(), policy.thresholds, settings.club_time_zone)
    return MemberPanel("measures/console_member_panel.html", order=31, values={
        "m": found, "months": months, "reason_labels": REASON_LABELS, **_values(request, policy),
    })


CONSOLE_PAGES: list[Any] = [measures_page, event_measures_page]
MEMBER_PANELS: list[Any] = [measures_panel]
