"""A coordinator's CSV import of receipts and refunds (the till's export, or a boutique's sheet),
through the same services and rules as the till's API, with a report of every line.

Each line is its own transaction, not the whole file in one. A line is one sale or one refund,
a fact of its own, and each lands under its key (store and receipt number, store and refund id):
a file with one bad line should not keep a hundred good sales from their members, and importing
the corrected file again is safe, since what landed reports "already recorded" and lands nothing.
Within a line nothing is half-written: its row and its ledger entry share that line's transaction.
A file that cannot be read as a whole (not UTF-8, no header, columns missing, too long) is refused
before any line is written.

Columns (a header names them, in any order): kind (receipt or refund), store, receipt, refund_id
(a refund's own id), member_id (a receipt's member), currency, amount (in the currency's units:
12800.50) and at (the time of the sale or the refund, 2026-12-01 14:05 on the club's clock, or
with its UTC offset).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from club.errors import DomainError, InvalidInput, Said, said_text
from club.i18n.catalogs import N_
from club.i18n.languages import Language
from club.spend.receipts import record_receipt, record_refund
from club.spend.rules import EarningRates, amount_of_text, is_known_currency, minor_exponent
from club.spend.schemas import ImportLineOut, ImportReportOut, ReceiptIn, RefundIn
from club.spend.tables import Via

__all__ = ["COLUMNS", "MAX_BYTES", "MAX_LINES", "import_csv"]

COLUMNS = ("kind", "store", "receipt", "refund_id", "member_id", "currency", "amount", "at")
MAX_LINES = 5000
MAX_BYTES = 2_000_000

LANDED, ALREADY, REFUSED = "landed", "already_recorded", "refused"


class LineRefused(Exception):
    def __init__(self, said: Said) -> None:
        super().__init__(said.message)
        self.said = said


def _rows(content: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    if len(content) > MAX_BYTES:
        raise InvalidInput("The file is larger than {limit} bytes; please split it.", limit=MAX_BYTES)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("The file is not UTF-8 text; please save it as CSV UTF-8.") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration as exc:
        raise InvalidInput("The file is empty.") from exc
    except csv.Error as exc:
        raise InvalidInput("The file is not CSV.") from exc
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InvalidInput("The file's header lacks the columns {columns}.", columns=", ".join(missing))

    def lines() -> Iterator[tuple[int, list[str]]]:
        try:
            for fields in reader:
                yield reader.line_num, fields
        except csv.Error as exc:
            raise InvalidInput("The file is not CSV.") from exc

    return header, lines()


def _instant(text: str, zone: ZoneInfo) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise LineRefused(Said(N_("The time must be a date and time, such as 2026-12-01 14:05."))) from exc
    return value if value.tzinfo else value.replace(tzinfo=zone)


def _body(fields: dict[str, str], zone: ZoneInfo) -> ReceiptIn | RefundIn:
    kind = fields["kind"].strip().lower()
    if kind not in ("receipt", "refund"):
        raise LineRefused(Said(N_("The kind must be receipt or refund.")))
    currency = fields["currency"].strip().upper()
    if not is_known_currency(currency):
        raise LineRefused(Said(N_("{currency} is not a currency code (ISO 4217, such as CNY)."), {"currency": currency or "—"}))
    amount = amount_of_text(fields["amount"], currency)
    if amount is None:
        raise LineRefused(Said(
            N_("The amount must be more than zero, in {currency} with at most {digits} decimals."),
            {"currency": currency, "digits": minor_exponent(currency)},
        ))
    at = _instant(fields["at"], zone)
    values: dict[str, Any] = {
        "store": fields["store"].strip(), "receipt": fields["receipt"].strip(), "currency": currency, "amount_minor": amount,
    }
    if kind == "receipt":
        member = fields["member_id"].strip()
        if not member.isdigit():
            raise LineRefused(Said(N_("A receipt needs the member's number in member_id.")))
        values |= {"member_id": int(member), "purchased_at": at}
        return _convert(values, ReceiptIn)
    values |= {"refund_id": fields["refund_id"].strip(), "refunded_at": at}
    return _convert(values, RefundIn)


_COLUMN_PROBLEMS = {
    "store": Said(N_("The store must be 1 to 40 letters, digits or - _ . / characters.")),
    "receipt": Said(N_("The receipt number must be 1 to 60 letters, digits or - _ . / characters.")),
    "refund_id": Said(N_("The refund id must be 1 to 60 letters, digits or - _ . / characters.")),
    "member_id": Said(N_("A receipt needs the member's number in member_id.")),
    "amount_minor": Said(N_("The amount is too large.")),
    "purchased_at": Said(N_("The time must fall between the years 2000 and 2100.")),
    "refunded_at": Said(N_("The time must fall between the years 2000 and 2100.")),
}


def _convert(values: dict[str, Any], kind: type[ReceiptIn | RefundIn]) -> Any:
    try:
        return msgspec.convert(values, kind)
    except (msgspec.ValidationError, ValueError) as exc:
        named = next((name for name in values if f"$.{name}" in str(exc) or f"`{name}`" in str(exc)), "")
        raise LineRefused(_COLUMN_PROBLEMS.get(named, Said(N_("The line is not valid.")))) from exc


async def import_csv(content: bytes, rates: EarningRates, zone: ZoneInfo, *, by: int, language: Language) -> ImportReportOut:
    """Every line of the file through the till's own services, each in its own transaction."""
    header, lines = _rows(content)
    report: list[ImportLineOut] = []
    for number, row in lines:
        if not any(cell.strip() for cell in row):
            continue
        if len(report) >= MAX_LINES:
            raise InvalidInput("The file has more than {limit} lines; please split it.", limit=MAX_LINES)
        fields = dict(zip(header, row, strict=False))
        for name in COLUMNS:
            fields.setdefault(name, "")
        kind = fields["kind"].strip().lower()
        store = fields["store"].strip()[:40]
        key = (fields["refund_id"] if kind == "refund" else fields["receipt"]).strip()[:60]
        line = ImportLineOut(line=number, kind=kind[:10], store=store, number=key, outcome=REFUSED)
        report.append(line)
        try:
            if len(row) != len(header):
                raise LineRefused(Said(N_("This line has {found} fields; the header has {expected}."),
                                       {"found": len(row), "expected": len(header)}))
            body = _body(fields, zone)
            if isinstance(body, ReceiptIn):
                receipt = await record_receipt(body, rates, via=Via.csv, by=by)
                line.points, line.outcome = receipt.answer.points, LANDED if receipt.created else ALREADY
            else:
                refund = await record_refund(body, rates, via=Via.csv, by=by)
                line.points, line.outcome = refund.answer.points, LANDED if refund.created else ALREADY
        except LineRefused as refused:
            line.problem, line.reason = "/problems/invalid-input", said_text(language, refused.said)
        except DomainError as error:
            line.problem, line.reason = f"/problems/{error.slug}", error.detail_in(language)
    if not report:
        raise InvalidInput("The file has no lines under its header.")
    counts = {outcome: sum(line.outcome == outcome for line in report) for outcome in (LANDED, ALREADY, REFUSED)}
    return ImportReportOut(landed=counts[LANDED], already_recorded=counts[ALREADY], refused=counts[REFUSED], lines=report)
