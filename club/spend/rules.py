"""The spend rules as plain decisions, no I/O: which currencies earn and at what rate, the points a
receipt earns, the points a refund takes back, the amount a CSV line writes, the twelve months a
member's spend is summed over.

Money is integer minor units (fen, cents) everywhere; a rate is a Decimal. No float touches an
amount, so ¥12,800.10 is 1280010 and stays so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from enum import Enum

from babel.numbers import get_currency_precision, list_currencies

__all__ = [
    "CurrencyRefusal",
    "EarningRates",
    "RefundRefusal",
    "amount_of_text",
    "currency_refusal",
    "is_known_currency",
    "minor_exponent",
    "points_for",
    "refund_points",
    "refund_refusal",
    "twelve_months_before",
]

_KNOWN = frozenset(list_currencies())
_PLAIN_AMOUNT = re.compile(r"[0-9]{1,15}(\.[0-9]{1,6})?")


def is_known_currency(code: str) -> bool:
    """An ISO 4217 code (as CLDR lists them), upper case: CNY, HKD, EUR."""
    return code in _KNOWN


def minor_exponent(code: str) -> int:
    """Digits after the decimal point of the currency's minor unit: 2 for CNY, 0 for JPY, 3 for KWD."""
    return int(get_currency_precision(code))


@dataclass(frozen=True, slots=True)
class EarningRates:
    """Points per currency unit (one yuan, one euro), per currency the club's tills take
    (settings.spend_points_per_unit, SPEND_POINTS_PER_UNIT)."""

    per_unit: Mapping[str, Decimal]

    @classmethod
    def parse(cls, text: str) -> EarningRates:
        """ "CNY=1,HKD=1,EUR=8": one point per yuan and per Hong Kong dollar, eight per euro.
        Raises ValueError with what is wrong."""
        rates: dict[str, Decimal] = {}
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            code, equals, rate_text = part.partition("=")
            code = code.strip().upper()
            if not equals or not is_known_currency(code):
                raise ValueError(f"{part!r} is not a currency code and a rate, like CNY=1")
            try:
                rate = Decimal(rate_text.strip())
            except InvalidOperation as exc:
                raise ValueError(f"the rate of {code} must be a number, not {rate_text.strip()!r}") from exc
            if not rate.is_finite() or not Decimal(0) <= rate <= Decimal(1000):
                raise ValueError(f"the rate of {code} must be from 0 to 1000 points per unit, not {rate_text.strip()}")
            rates[code] = rate
        if not rates:
            raise ValueError("name at least one currency and its rate, like CNY=1")
        return cls(rates)

    def text(self) -> str:
        return ",".join(f"{code}={rate}" for code, rate in self.per_unit.items())


class CurrencyRefusal(str, Enum):
    unknown = "unknown"  # not an ISO 4217 code at all
    not_earned = "not_earned"  # a real currency, but not one the club's points are earned in
    mismatched = "mismatched"  # a refund in another currency than its receipt


def currency_refusal(code: str, rates: EarningRates, receipt_currency: str | None = None) -> CurrencyRefusal | None:
    """Why `code` cannot be taken (None: it can). A refund names its receipt's currency."""
    if not is_known_currency(code):
        return CurrencyRefusal.unknown
    if receipt_currency is not None and code != receipt_currency:
        return CurrencyRefusal.mismatched
    if receipt_currency is None and code not in rates.per_unit:
        return CurrencyRefusal.not_earned
    return None


def points_for(amount_minor: int, currency: str, rates: EarningRates) -> int:
    """The points a receipt of `amount_minor` earns: whole units times the rate, rounded down
    (¥12,800.90 at 1 point per yuan is 12,800 points)."""
    units = Decimal(amount_minor).scaleb(-minor_exponent(currency))
    return int((units * rates.per_unit[currency]).to_integral_value(rounding=ROUND_DOWN))


class RefundRefusal(str, Enum):
    too_much = "too_much"  # more than what is left of the receipt after its earlier refunds


def refund_refusal(receipt_amount: int, refunded_before: int, refund_amount: int) -> RefundRefusal | None:
    if refunded_before + refund_amount > receipt_amount:
        return RefundRefusal.too_much
    return None


def refund_points(receipt_points: int, receipt_amount: int, refunded_before: int, refund_amount: int) -> int:
    """The points a refund takes back, in proportion to the money returned.

    The member keeps the points of what they kept: floor(points × kept / amount). A refund takes
    back what the member held before it less what they keep after it, so refunds of one receipt
    together never take back more than it earned, and a receipt refunded in full takes back
    exactly its points, however it was split.
    """
    if receipt_amount <= 0 or receipt_points <= 0:
        return 0

    def kept(refunded: int) -> int:
        return receipt_points * (receipt_amount - refunded) // receipt_amount

    return kept(refunded_before) - kept(refunded_before + refund_amount)


def amount_of_text(text: str, currency: str) -> int | None:
    """A CSV line's amount in minor units: "12800", "12,800.50" or "12800.5" for ¥12,800.50;
    None for what is not a positive amount with at most the currency's decimals."""
    cleaned = text.strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
    if not _PLAIN_AMOUNT.fullmatch(cleaned):
        return None  # no sign, no exponent, no NaN: digits and a decimal point
    value = Decimal(cleaned)
    if value <= 0:
        return None
    minor = value.scaleb(minor_exponent(currency))
    if minor != minor.to_integral_value():
        return None  # more decimals than the currency has (¥1.005)
    return int(minor)


def twelve_months_before(now: datetime) -> datetime:
    """The start of the rolling twelve months ending at `now`: the same instant a year earlier
    (29 February goes to the 28th)."""
    try:
        return now.replace(year=now.year - 1)
    except ValueError:
        return now.replace(year=now.year - 1, day=28)
