"""Tables of spend: a receipt from a boutique's till, and a refund against one.

A receipt is keyed by its store and number (`receipt_key`, unique), a refund by its store and its
own refund id (`refund_key`, unique): a till that resends either lands it once. What a receipt
earned and what a refund took back are ledger entries (club.points.award, reasons `spend` and
`refund`, keyed by the row), so a balance stays the sum of the ledger; the rows here keep the
money, in integer minor units of their currency (fen, cents), never a float.
"""

from __future__ import annotations

from enum import Enum

from piccolo.columns import BigInt, ForeignKey, Integer, Timestamptz, Varchar

from club.table import Table
from club.tables import Member, User

__all__ = ["Receipt", "Refund", "Via"]


class Via(str, Enum):
    till = "till"  # posted by the till system through the API
    csv = "csv"  # a line of a coordinator's CSV import


class Receipt(Table, tablename="spend_receipt"):
    receipt_key = Varchar(length=101, unique=True)  # "<store>:<receipt number>"
    store = Varchar(length=40)
    receipt_number = Varchar(length=60, index=True)
    member = ForeignKey(Member, index=True)
    currency = Varchar(length=3)
    amount = BigInt()  # minor units, > 0
    points = Integer()  # what it earned (0 for a suspended member: they earn nothing)
    # Why it earned none although it could have: "member-suspended", or "" .
    no_points_reason = Varchar(length=32, default="")
    purchased_at = Timestamptz(index=True)  # the till's time of the sale
    via = Varchar(length=8)
    recorded_at = Timestamptz()
    recorded_by = ForeignKey(User, null=True, default=None)


class Refund(Table, tablename="spend_refund"):
    refund_key = Varchar(length=101, unique=True)  # "<store>:<refund id>"
    store = Varchar(length=40)
    refund_id = Varchar(length=60)
    receipt = ForeignKey(Receipt, index=True)
    amount = BigInt()  # minor units, > 0, in the receipt's currency
    points = Integer()  # what it took back, >= 0
    refunded_at = Timestamptz()
    via = Varchar(length=8)
    recorded_at = Timestamptz()
    recorded_by = ForeignKey(User, null=True, default=None)
