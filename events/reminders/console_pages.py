"""The console pages of reminders: sequences and one event's schedule (console_sequences), the
call list (console_calls); their parts of Today (the calls due, the messages that failed to send)
and of a member's console page (their coming reminders and calls)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from litestar import Request

from club import clock
from club.accounts import Principal
from club.auth import principal_of
from club.rows import Row, rows_as
from club.settings import Settings
from club.web.console import TodaySection
from club.web.console_panels import MemberPanel
from events.catalog import PRIVATE_BOOKING_DOMAINS
from events.reminders.call_board import call_counts, member_calls
from events.reminders.console_calls import CALL_PAGES
from events.reminders.console_sequences import REASONS, SEQUENCE_PAGES
from events.reminders.preferences_page import CHANNEL_LABELS
from events.reminders.tables import Channel, DeliveryStatus, ReminderDelivery, ScheduledReminder, ScheduleStatus

__all__ = ["CONSOLE_PAGES", "MEMBER_PANELS", "TODAY_SECTIONS"]

# How far back Today looks for messages that failed to send.
FAILED_SINCE = timedelta(days=7)
_S = ScheduledReminder


class FailedMessage(Row, frozen=True):
    id: int
    event: int
    member: int
    channel: Channel
    due_at: datetime
    updated_at: datetime
    status_reason: str  # the channel's last error
    member_name: str
    event_title: str
    booked_through: str | None


def _not_private(column: Any) -> Any:
    private = sorted(PRIVATE_BOOKING_DOMAINS)
    return column.is_null() | column.not_in(private) if private else column.is_null() | column.is_not_null()


async def calls_today(request: Request[Any, Any, Any], me: Principal) -> TodaySection | None:
    """How many calls are due now, and how many members are not reached for tomorrow: figures
    only (the names are on the call list, where reading a check-up's calls is recorded)."""
    settings: Settings = request.app.state.settings
    tomorrow = clock.today(settings.club_time_zone) + timedelta(days=1)
    due, unreached = await call_counts(clock.now(), tomorrow, settings.club_time_zone)
    if not due and not unreached:
        return None
    return TodaySection("reminders/console_today_calls.html", order=20, values={"due": due, "unreached": unreached, "day": tomorrow})


async def failed_messages(request: Request[Any, Any, Any], me: Principal) -> TodaySection | None:
    """Reminders that failed to send in the last days, with why (a check-up's are counted, not named)."""
    since = clock.now() - FAILED_SINCE
    # Found through the deliveries given up on (reminder_delivery.status is indexed, and failures
    # are few), not by reading the whole schedule; the schedule row says when, to whom and why.
    given_up = ReminderDelivery.select(ReminderDelivery.scheduled).where(ReminderDelivery.status == DeliveryStatus.failed.value)
    failed = _S.id.is_in(given_up) & (_S.updated_at >= since)
    rows = rows_as(FailedMessage, await _S.select(
        _S.id, _S.event, _S.member, _S.channel, _S.due_at, _S.updated_at, _S.status_reason,
        _S.member.name.as_alias("member_name"), _S.event.title.as_alias("event_title"),
        _S.event.booked_through.as_alias("booked_through"),
    ).where(failed & _not_private(_S.event.booked_through)).order_by(_S.updated_at, ascending=False).limit(20))
    private = 0
    if PRIVATE_BOOKING_DOMAINS:
        private = await _S.count().where(failed & _S.event.booked_through.is_in(sorted(PRIVATE_BOOKING_DOMAINS)))
    if not rows and not private:
        return None
    settings: Settings = request.app.state.settings
    return TodaySection("reminders/console_today_failed.html", order=30, values={
        "failed": rows, "private": private, "reasons": REASONS, "days": FAILED_SINCE.days,
        "zone": settings.club_time_zone, "channel_labels": CHANNEL_LABELS,
    })


class UpcomingReminder(Row, frozen=True):
    id: int
    event: int
    channel: Channel
    due_at: datetime
    event_title: str
    venue_time_zone: str


async def member_reminders(request: Request[Any, Any, Any], member_id: int) -> MemberPanel | None:
    """The member's reminders still to go and their open calls."""
    now = clock.now()
    rows = rows_as(UpcomingReminder, await _S.select(
        _S.id, _S.event, _S.channel, _S.due_at, _S.event.title.as_alias("event_title"),
        _S.event.venue_time_zone.as_alias("venue_time_zone"),
    ).where(
        (_S.member == member_id) & (_S.status == ScheduleStatus.scheduled.value) & (_S.due_at >= now)
        & _not_private(_S.event.booked_through)
    ).order_by(_S.due_at).limit(10))
    calls = await member_calls(principal_of(request), member_id)
    if not rows and not calls:
        return None
    return MemberPanel("reminders/console_member_panel.html", order=40, values={
        "reminders": rows, "calls": calls, "channel_labels": CHANNEL_LABELS,
    })


CONSOLE_PAGES: list[Any] = [*SEQUENCE_PAGES, *CALL_PAGES]
TODAY_SECTIONS: list[Any] = [calls_today, failed_messages]
# Its parts of a member's page in the console (club.web.console_members).
MEMBER_PANELS: list[Any] = [member_reminders]
