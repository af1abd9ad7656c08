"""Coordinators' files of an event's attendees and waitlist: CSV and .xlsx, as Excel reads them.

Both files of a list hold the same rows from one `Sheet`. The CSV is UTF-8 with a BOM (Excel on
a Chinese PC reads a CSV without one as GBK, and the names turn to mojibake), its times in the
event's own zone as "2026-12-11 18:00", which Excel takes for a date. The .xlsx holds real date
cells with a number format, a header row that stays in view, and widths to read by. Headers and
yes/no are in the reader's language (the coordinator's Accept-Language, else the club's).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from club.accounts import Principal
from club.i18n.catalogs import N_, gettext
from club.i18n.languages import Language
from events.attendees import attendees
from events.catalog import load_listable_event
from events.waitlist import waitlist_entries

__all__ = [
    "Cell",
    "Column",
    "Sheet",
    "attendees_sheet",
    "csv_file",
    "csv_text",
    "local_time",
    "waitlist_sheet",
    "xlsx_file",
]

Cell = str | int | datetime | date | None
CSV_TIME = "%Y-%m-%d %H:%M"
XLSX_TIME = "yyyy-mm-dd hh:mm"
XLSX_DATE = "yyyy-mm-dd"
BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its header (an English msgid, translated for the reader) and its width."""

    header: str
    width: int = 12


@dataclass(frozen=True, slots=True)
class Sheet:
    """A list as a table: the sheet's name (a msgid), columns, and rows of plain values.
    Times are naive, on the event's clock (`local_time`): a spreadsheet has no time zones."""

    title: str
    columns: Sequence[Column]
    rows: list[list[Cell]]


def local_time(instant: datetime | None, zone_name: str) -> datetime | None:
    """An instant on the event's clock, to the minute, without its zone (what a cell holds)."""
    if instant is None:
        return None
    return instant.astimezone(ZoneInfo(zone_name)).replace(tzinfo=None, second=0, microsecond=0)


def _formula_safe(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet: neutralise it.
    return "'" + value if value and value[0] in "=+-@" else value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The club's one CSV writer: every export goes through it, so every export is formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_formula_safe(v) if isinstance(v, str) else v for v in row])
    return out.getvalue()


def _csv_value(value: Cell) -> object:
    if isinstance(value, datetime):
        return value.strftime(CSV_TIME)
    if isinstance(value, date):
        return value.isoformat()
    return value


def csv_file(sheet: Sheet, language: Language) -> bytes:
    """The sheet as CSV for Excel: UTF-8 with a BOM, CRLF lines, headers in `language`."""
    text = csv_text(
        [gettext(language, c.header) for c in sheet.columns],
        ([_csv_value(v) for v in row] for row in sheet.rows),
    )
    return (BOM + text).encode("utf-8")


def xlsx_file(sheet: Sheet, language: Language) -> bytes:
    """The sheet as an .xlsx workbook: a bold, frozen header row, date cells, column widths."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = gettext(language, sheet.title)[:31]  # Excel's limit for a sheet name
    ws.append([gettext(language, c.header) for c in sheet.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in sheet.rows:
        ws.append(row)
        for cell, value in zip(ws[ws.max_row], row, strict=True):
            if isinstance(value, datetime):
                cell.number_format = XLSX_TIME
            elif isinstance(value, date):
                cell.number_format = XLSX_DATE
            elif isinstance(value, str) and value.startswith("="):
                # Text, never a formula: openpyxl reads a leading "=" as one.
                cell.value, cell.data_type = value, "s"
    for index, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _yes_no(language: Language, value: bool) -> str:
    return gettext(language, "yes") if value else gettext(language, "no")


# The English headers are the columns' names as the CSV has always had them, so scripts that
# read an English export keep working; Chinese readers get them translated.
ATTENDEE_COLUMNS = (
    Column(N_("rsvp_id"), 9), Column(N_("member_id"), 10), Column(N_("name"), 22), Column(N_("email"), 28),
    Column(N_("phone"), 17), Column(N_("tier"), 12), Column(N_("guests"), 8), Column(N_("seats"), 8),
    Column(N_("confirmed_at"), 17), Column(N_("promoted"), 9), Column(N_("checked_in"), 10),
    Column(N_("checked_in_at"), 17),
)
WAITLIST_COLUMNS = (
    Column(N_("position"), 9), Column(N_("rsvp_id"), 9), Column(N_("member_id"), 10), Column(N_("name"), 22),
    Column(N_("guests"), 8), Column(N_("seats"), 8), Column(N_("tier_at_join"), 12), Column(N_("joined_at"), 17),
    Column(N_("times_skipped"), 12), Column(N_("reason"), 40),
)


async def attendees_sheet(event_id: int, viewer: Principal, language: Language) -> Sheet:
    event = await load_listable_event(event_id, viewer)
    zone = event.venue_time_zone
    return Sheet(N_("Attendees"), ATTENDEE_COLUMNS, [
        [a.rsvp_id, a.member_id, a.member_name, a.email, a.phone or "", a.tier or "", a.guests, a.seats,
         local_time(a.confirmed_at, zone), _yes_no(language, a.promoted), _yes_no(language, a.checked_in_at is not None),
         local_time(a.checked_in_at, zone)]
        for a in await attendees(event_id, viewer)
    ])


async def waitlist_sheet(event_id: int, viewer: Principal, language: Language) -> Sheet:
    event = await load_listable_event(event_id, viewer)
    zone = event.venue_time_zone
    return Sheet(N_("Waitlist"), WAITLIST_COLUMNS, [
        [w.position, w.rsvp_id, w.member_id, w.member_name, w.guests, w.seats, w.tier_at_join or "",
         local_time(w.joined_at, zone), w.times_skipped, w.reason]
        for w in await waitlist_entries(event_id, event.waitlist_policy, viewer)
    ])

