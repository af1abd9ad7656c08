"""A member's spend as the club reads it: the rolling twelve months summed by the database, and
their latest receipts with what was refunded of each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency, parse_pattern

from club import clock
from club.errors import NotFound
from club.i18n.languages import Language
from club.rows import Row, rows_as
from club.spend.rules import EarningRates, minor_exponent, twelve_months_before
from club.spend.schemas import SpendOut, SpendTotalOut
from club.spend.tables import Receipt
from club.tables import Member

__all__ = ["ReceiptLine", "SpendRate", "latest_receipts", "member_spend", "money_text", "rates_shown", "rolling_spend", "rolling_spends", "rolling_spends_of"]

# One statement: each receipt of the window less what its refunds gave back (whenever they came:
# a purchase refunded later was not spend), summed per currency.
_ROLLING_SQL = """
SELECT r.currency AS currency, COUNT(*) AS receipts,
  SUM(r.amount - COALESCE((SELECT SUM(f.amount) FROM spend_refund f WHERE f.receipt = r.id), 0)) AS net
FROM spend_receipt r
WHERE r.member = {} AND r.purchased_at > {} AND r.purchased_at <= {}
GROUP BY r.currency ORDER BY r.currency
"""


async def rolling_spend(member_id: int, now: datetime | None = None) -> SpendOut:
    """What the member spent in the twelve months ending `now` (the clock's now), per currency."""
    until = now or clock.now()
    since = twelve_months_before(until)
    rows = await Receipt.raw(_ROLLING_SQL, member_id, since, until)
    return SpendOut(member_id=member_id, since=since, until=until, totals=[
        SpendTotalOut(currency=r["currency"], amount_minor=int(r["net"] or 0), receipts=int(r["receipts"])) for r in rows
    ])


_ALL_ROLLING_SQL = """
SELECT r.member AS member, r.currency AS currency,
  SUM(r.amount - COALESCE((SELECT SUM(f.amount) FROM spend_refund f WHERE f.receipt = r.id), 0)) AS net
FROM spend_receipt r
WHERE r.purchased_at > {} AND r.purchased_at <= {}
GROUP BY r.member, r.currency
"""


async def rolling_spends(now: datetime | None = None) -> dict[int, dict[str, int]]:
    """rolling_spend of every member at once, as {member: {currency: net minor units}} (a tier review)."""
    until = now or clock.now()
    spends: dict[int, dict[str, int]] = {}
    for r in await Receipt.raw(_ALL_ROLLING_SQL, twelve_months_before(until), until):
        spends.setdefault(int(r["member"]), {})[r["currency"]] = int(r["net"] or 0)
    return spends


async def rolling_spends_of(member_ids: list[int], now: datetime | None = None) -> dict[int, dict[str, int]]:
    """rolling_spends of the members `member_ids` only, in one statement (a page's next tiers)."""
    if not member_ids:
        return {}
    until = now or clock.now()
    marks = ", ".join("{}" for _ in member_ids)
    sql = _ALL_ROLLING_SQL.replace("WHERE ", f"WHERE r.member IN ({marks}) AND ", 1)
    spends: dict[int, dict[str, int]] = {}
    for r in await Receipt.raw(sql, *member_ids, twelve_months_before(until), until):
        spends.setdefault(int(r["member"]), {})[r["currency"]] = int(r["net"] or 0)
    return spends


async def member_spend(member_id: int) -> SpendOut:
    """rolling_spend for a member who must exist (404 otherwise)."""
    if not await Member.exists().where(Member.id == member_id):
        raise NotFound("Member {member_id} does not exist.", text_values={"member_id": member_id})
    return await rolling_spend(member_id)


class ReceiptLine(Row, frozen=True):
    id: int
    store: str
    receipt_number: str
    currency: str
    amount: int
    points: int
    no_points_reason: str
    purchased_at: datetime
    refunded: int
    points_taken_back: int


_LATEST_SQL = """
SELECT r.id, r.store, r.receipt_number, r.currency, r.amount, r.points, r.no_points_reason, r.purchased_at,
  CAST(COALESCE((SELECT SUM(f.amount) FROM spend_refund f WHERE f.receipt = r.id), 0) AS BIGINT) AS refunded,
  CAST(COALESCE((SELECT SUM(f.points) FROM spend_refund f WHERE f.receipt = r.id), 0) AS BIGINT) AS points_taken_back
FROM spend_receipt r WHERE r.member = {} ORDER BY r.purchased_at DESC, r.id DESC LIMIT {}
"""


async def latest_receipts(member_id: int, limit: int = 10) -> list[ReceiptLine]:
    rows = await Receipt.raw(_LATEST_SQL, member_id, limit)
    for row in rows:
        row["purchased_at"] = clock.aware(row["purchased_at"])
    return rows_as(ReceiptLine, rows)


@dataclass(frozen=True, slots=True)
class SpendRate:
    """One currency's earning, as a page says it: `points` per one `currency`."""

    currency: str
    points: str  # the rate as written (1, 0.5, 8)
    unit_minor: int  # one unit of the currency in its minor units (100 for ¥1.00)


def rates_shown(rates: EarningRates) -> list[SpendRate]:
    return [
        SpendRate(code, format(rate.normalize(), "f"), 10 ** minor_exponent(code)) for code, rate in rates.per_unit.items()
    ]


def money_text(amount_minor: int, currency: str, language: Language, *, whole: bool = False) -> str:
    """An amount as the reader's language writes it (¥12,800.50), from its minor units by Decimal;
    `whole`: a whole amount without its zero minor units (a threshold reads ¥50,000, not ¥50,000.00)."""
    exponent = minor_exponent(currency)
    if whole and amount_minor % 10**exponent == 0:
        pattern = parse_pattern(Locale.parse(language.value).currency_formats["standard"].pattern)
        pattern.frac_prec = (0, 0)
        return format_currency(Decimal(amount_minor // 10**exponent), currency, format=pattern, locale=language.value,
                               currency_digits=False)
    return format_currency(Decimal(amount_minor).scaleb(-exponent), currency, locale=language.value)
