"""Request and response shapes of the spend API (msgspec; never a table row).

Amounts are integer minor units of their currency (`amount_minor`: 1280050 is ¥12,800.50), so no
float carries money; a store code, a receipt number and a refund id are the till's own, of
letters, digits and - _ . / (no colon: the keys join store and number with one).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import Meta, Struct

from club.bounds import Id, Instant
from club.schemas import Strict

__all__ = [
    "ImportLineOut",
    "ImportReportOut",
    "ReceiptIn",
    "ReceiptOut",
    "RefundIn",
    "RefundOut",
    "SpendOut",
    "SpendTotalOut",
]

Store = Annotated[str, Meta(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$",
                            description="The store's code on its till (SH-IFC)")]
Number = Annotated[str, Meta(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$")]
Currency = Annotated[str, Meta(min_length=3, max_length=3, pattern=r"^[A-Za-z]{3}$", description="ISO 4217 (CNY, HKD, EUR)")]
# Up to 10^15 minor units: ten trillion yuan, far beyond any receipt, well inside a BIGINT.
AmountMinor = Annotated[int, Meta(ge=1, le=10**15, description="In minor units of the currency: 1280050 is 12,800.50")]


class ReceiptIn(Strict):
    """A sale at a boutique's till: the store and its receipt number key it (sent again, it lands once)."""

    store: Store
    receipt: Number
    member_id: Id
    currency: Currency
    amount_minor: AmountMinor
    purchased_at: Instant


class RefundIn(Strict):
    """Money given back on a receipt of the same store, keyed by its own refund id (sent again, it lands once)."""

    store: Store
    refund_id: Number
    receipt: Number
    currency: Currency
    amount_minor: AmountMinor
    refunded_at: Instant


class ReceiptOut(Struct, kw_only=True):
    id: int
    store: str
    receipt: str
    member_id: int
    currency: str
    amount_minor: int
    points: int  # what it earned
    # Why it earned none although it could have ("member-suspended"); None otherwise.
    no_points_reason: str | None
    purchased_at: datetime
    via: str
    refunded_minor: int  # what its refunds gave back so far
    points_taken_back: int


class RefundOut(Struct, kw_only=True):
    id: int
    store: str
    refund_id: str
    receipt: str
    member_id: int
    currency: str
    amount_minor: int
    points: int  # what it took back (a positive number; the ledger entry is its negative)
    refunded_at: datetime
    via: str
    receipt_left_minor: int  # what of the receipt may still be refunded


class SpendTotalOut(Struct, kw_only=True):
    currency: str
    amount_minor: int  # purchases in the window less what their refunds gave back
    receipts: int


class SpendOut(Struct, kw_only=True):
    """A member's spend over the rolling twelve months ending now, per currency."""

    member_id: int
    since: datetime
    until: datetime
    totals: list[SpendTotalOut]


class ImportLineOut(Struct, kw_only=True):
    line: int  # the file's line number (the header is line 1)
    kind: str  # "receipt", "refund", or what the line said
    store: str
    number: str  # the receipt number, or the refund id
    outcome: str  # "landed", "already_recorded" or "refused"
    points: int | None = None  # earned (a receipt) or taken back (a refund) when it landed or was there
    problem: str | None = None  # a refused line's problem type (/problems/…)
    reason: str | None = None  # a refused line's reason, in the reader's language


class ImportReportOut(Struct, kw_only=True):
    landed: int
    already_recorded: int
    refused: int
    lines: list[ImportLineOut]
