"""Domain errors of spend: each refusal a till or an import can meet has its own problem type."""

from __future__ import annotations

from club.errors import DomainError
from club.spend.rules import CurrencyRefusal

__all__ = [
    "CurrencyMismatch",
    "CurrencyNotEarned",
    "ReceiptConflict",
    "RefundConflict",
    "RefundExceedsReceipt",
    "UnknownCurrency",
    "currency_error",
]


class UnknownCurrency(DomainError):
    status_code = 400
    slug = "unknown-currency"
    title = "Unknown currency"


class CurrencyNotEarned(DomainError):
    status_code = 400
    slug = "currency-not-earned"
    title = "Currency not earned in"


class CurrencyMismatch(DomainError):
    status_code = 400
    slug = "currency-mismatch"
    title = "Currency mismatch"


class ReceiptConflict(DomainError):
    """The receipt number is already recorded for this store with another member, currency or amount."""

    slug = "receipt-conflict"
    title = "Receipt already recorded otherwise"


class RefundConflict(DomainError):
    """The refund id is already recorded for this store against another receipt or amount."""

    slug = "refund-conflict"
    title = "Refund already recorded otherwise"


class RefundExceedsReceipt(DomainError):
    slug = "refund-exceeds-receipt"
    title = "Refund exceeds the receipt"


def currency_error(refusal: CurrencyRefusal, currency: str, *, accepted: str = "", receipt_currency: str = "") -> DomainError:
    if refusal is CurrencyRefusal.unknown:
        return UnknownCurrency("{currency} is not a currency code (ISO 4217, such as CNY).", currency=currency)
    if refusal is CurrencyRefusal.mismatched:
        return CurrencyMismatch(
            "This refund is in {currency}, but its receipt was paid in {receipt_currency}.",
            currency=currency, receipt_currency=receipt_currency,
        )
    return CurrencyNotEarned(
        "Purchases in {currency} earn no points at this club; it takes {accepted}.", currency=currency, accepted=accepted,
    )
