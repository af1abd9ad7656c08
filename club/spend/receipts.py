"""Recording what the tills send: a receipt earns points once, a refund takes back its share once.

A receipt, in one transaction:
1. the rules check the currency and turn the amount into points (club.spend.rules);
2. a receipt already recorded under this store and number answers the resend: the same member,
   currency and amount is the same receipt (nothing new, 200), anything else a 409;
3. the receipt row is inserted with `ON CONFLICT (receipt_key) DO NOTHING`: of two tills' (or a
   retry's) requests racing past step 2, the unique key lets one in, and the other reads the
   winner's row once it commits and answers as a resend;
4. its points go through club.points.award (reason `spend`, keyed by the receipt's row), which
   locks the member, applies the suspension rule and the multipliers (the row then keeps the
   multiplied points, what a refund takes its share of), and may lift their tier: the receipt's
   spend counts in the same transaction toward a tier's yearly spend, also for a receipt that
   earns no points. No member lock is
   taken before the insert: the key alone decides which request lands (a member lock first would
   serialize a member's receipts and hide what the key does; the race test shows the key's work).
   A suspended member's receipt is recorded with no points (they earn nothing while suspended).

A refund, in one transaction: its receipt is read, the receipt's member locked (club.locking:
every refund of their receipts waits its turn, so what was refunded before cannot change under
the decision), a refund already recorded under its id answers the resend, then the rules decide
(never more money than is left of the receipt; points in proportion, never more than it earned)
and the refund row and its negative ledger entry (reason `refund`, keyed by the refund's row) land.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Generic, TypeVar

from club import clock
from club.db import write_transaction
from club.errors import InvalidInput, NotFound
from club.ledger import balance_of
from club.locking import lock_objects
from club.points import award
from club.spend.errors import ReceiptConflict, RefundConflict, RefundExceedsReceipt, currency_error
from club.spend.rules import CurrencyRefusal, EarningRates, currency_refusal, is_known_currency, points_for, refund_points, refund_refusal
from club.spend.schemas import ReceiptIn, ReceiptOut, RefundIn, RefundOut
from club.spend.tables import Receipt, Refund, Via
from club.suspension import earns_while_suspended, is_suspended
from club.tables import Member, PointsReason
from club.tiers import reevaluate_member

__all__ = ["KEYED", "Recorded", "receipt_out", "receipt_source", "record_receipt", "record_refund", "refund_source"]

T = TypeVar("T")

# Only the control test turns this off: each receipt then gets a key of its own, so the unique
# key no longer stops a resend that races past the lookup (step 2), and the race shows.
KEYED = True

# A till's clock may run a little ahead of ours; a sale further in the future is a typing error.
_CLOCK_SKEW = timedelta(minutes=5)
SUSPENDED = "member-suspended"


@dataclass(frozen=True, slots=True)
class Recorded(Generic[T]):
    answer: T
    created: bool  # False: this receipt or refund was already recorded; nothing changed


def receipt_source(receipt_id: int) -> str:
    """The ledger source of what a receipt earned."""
    return f"receipt-{receipt_id}"


def refund_source(refund_id: int) -> str:
    """The ledger source of what a refund took back."""
    return f"refund-{refund_id}"


def _key(store: str, number: str) -> str:
    if KEYED:
        return f"{store}:{number}"
    import uuid

    return f"{store}:{number}:{uuid.uuid4().hex}"[:101]


_INSERT_RECEIPT = (
    "INSERT INTO spend_receipt (receipt_key, store, receipt_number, member, currency, amount, points, "
    "no_points_reason, purchased_at, via, recorded_at, recorded_by) "
    "VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}) ON CONFLICT (receipt_key) DO NOTHING RETURNING id"
)
_INSERT_REFUND = (
    "INSERT INTO spend_refund (refund_key, store, refund_id, receipt, amount, points, refunded_at, via, "
    "recorded_at, recorded_by) "
    "VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}) ON CONFLICT (refund_key) DO NOTHING RETURNING id"
)


async def _receipt_row(store: str, number: str) -> dict[str, Any] | None:
    return await Receipt.select().where((Receipt.store == store) & (Receipt.receipt_number == number)).order_by(Receipt.id).first()


def _same_receipt(row: dict[str, Any], data: ReceiptIn, currency: str) -> None:
    if (int(row["member"]), row["currency"], int(row["amount"])) != (data.member_id, currency, data.amount_minor):
        raise ReceiptConflict(
            "Receipt {receipt} of store {store} is already recorded with another member, currency or amount.",
            store=data.store, receipt=data.receipt,
        )


async def record_receipt(data: ReceiptIn, rates: EarningRates, *, via: Via, by: int | None) -> Recorded[ReceiptOut]:
    currency = data.currency.upper()
    refusal = currency_refusal(currency, rates)
    if refusal is not None:
        raise currency_error(refusal, currency, accepted=", ".join(rates.per_unit))
    if data.purchased_at > clock.now() + _CLOCK_SKEW:
        raise InvalidInput("A purchase cannot be later than now.")
    points = points_for(data.amount_minor, currency, rates)
    async with write_transaction():
        earlier = await _receipt_row(data.store, data.receipt)
        if earlier is not None:
            _same_receipt(earlier, data, currency)
            receipt_id, created = int(earlier["id"]), False
        else:
            if not await Member.exists().where(Member.id == data.member_id):
                raise NotFound("Member {member_id} does not exist.", text_values={"member_id": data.member_id})
            # Read before the award's own lock: a suspension committing in between makes the award
            # refuse, and the whole receipt with it (the till may send it again).
            withheld = points > 0 and not earns_while_suspended(PointsReason.spend, points) and await is_suspended(data.member_id)
            earned = 0 if withheld else points
            inserted = await Receipt.raw(
                _INSERT_RECEIPT, _key(data.store, data.receipt), data.store, data.receipt, data.member_id, currency,
                data.amount_minor, earned, SUSPENDED if withheld else "", data.purchased_at, via.value, clock.now(), by,
            )
            if inserted:
                receipt_id, created = int(inserted[0]["id"]), True
                if earned > 0:
                    awarded = await award(data.member_id, earned, PointsReason.spend, receipt_source(receipt_id),
                                          note=f"receipt {data.store} {data.receipt}", created_by=by)
                    if awarded.points != earned:
                        # A multiplier applied (club.multipliers): the receipt keeps what it actually
                        # earned, so its refunds take back their share of that, never of the base.
                        await Receipt.update({Receipt.points: awarded.points}).where(Receipt.id == receipt_id)
                else:
                    # No points, but the spend itself may lift the member over a tier's yearly spend.
                    await lock_objects((Member, data.member_id))
                    await reevaluate_member(data.member_id, await balance_of(data.member_id))
            else:
                winner = await _receipt_row(data.store, data.receipt)
                assert winner is not None  # the key's conflict is a committed row
                _same_receipt(winner, data, currency)
                receipt_id, created = int(winner["id"]), False
    return Recorded(await receipt_out(receipt_id), created)


async def _refunded_before(receipt_id: int) -> tuple[int, int]:
    rows = await Refund.raw(
        "SELECT COALESCE(SUM(amount), 0) AS amount, COALESCE(SUM(points), 0) AS points FROM spend_refund WHERE receipt = {}",
        receipt_id,
    )
    return int(rows[0]["amount"]), int(rows[0]["points"])


def _same_refund(row: dict[str, Any], receipt_number: str, data: RefundIn, currency: str, receipt_currency: str) -> None:
    if (receipt_number, int(row["amount"]), receipt_currency) != (data.receipt, data.amount_minor, currency):
        raise RefundConflict(
            "Refund {refund_id} of store {store} is already recorded against another receipt or amount.",
            store=data.store, refund_id=data.refund_id,
        )


async def record_refund(data: RefundIn, rates: EarningRates, *, via: Via, by: int | None) -> Recorded[RefundOut]:
    currency = data.currency.upper()
    if not is_known_currency(currency):
        raise currency_error(CurrencyRefusal.unknown, currency)
    async with write_transaction():
        receipt = await _receipt_row(data.store, data.receipt)
        earlier = await Refund.select(Refund.id, Refund.amount, Refund.receipt.receipt_number.as_alias("number"),
                                      Refund.receipt.currency.as_alias("currency")).where(
            (Refund.store == data.store) & (Refund.refund_id == data.refund_id)
        ).first()
        if earlier is not None:
            _same_refund(earlier, earlier["number"], data, currency, earlier["currency"])
            return Recorded(await refund_out(int(earlier["id"])), False)
        if receipt is None:
            raise NotFound("No receipt {receipt} of store {store} is recorded.", text_values={"receipt": data.receipt, "store": data.store})
        member_id = int(receipt["member"])
        await lock_objects((Member, member_id))
        # Under the member's lock: a resend racing this one has committed or waits behind us.
        again = await Refund.select(Refund.id, Refund.amount).where(
            (Refund.store == data.store) & (Refund.refund_id == data.refund_id)
        ).first()
        if again is not None:
            _same_refund(again, data.receipt, data, currency, receipt["currency"])
            return Recorded(await refund_out(int(again["id"])), False)
        mismatch = currency_refusal(currency, rates, receipt_currency=receipt["currency"])
        if mismatch is not None:
            raise currency_error(mismatch, currency, receipt_currency=receipt["currency"])
        if data.refunded_at < clock.aware(receipt["purchased_at"]) - timedelta(minutes=1):
            raise InvalidInput("A refund cannot come before the purchase it refunds.")
        refunded, _ = await _refunded_before(int(receipt["id"]))
        if refund_refusal(int(receipt["amount"]), refunded, data.amount_minor) is not None:
            raise RefundExceedsReceipt(
                "Receipt {receipt} has {left} (in minor units) left to refund; this refund is for {amount}.",
                receipt=data.receipt, left=int(receipt["amount"]) - refunded, amount=data.amount_minor,
            )
        points = refund_points(int(receipt["points"]), int(receipt["amount"]), refunded, data.amount_minor)
        inserted = await Refund.raw(
            _INSERT_REFUND, f"{data.store}:{data.refund_id}", data.store, data.refund_id, int(receipt["id"]),
            data.amount_minor, points, data.refunded_at, via.value, clock.now(), by,
        )
        refund_row_id = int(inserted[0]["id"])
        if points > 0:
            await award(member_id, -points, PointsReason.refund, refund_source(refund_row_id),
                        note=f"refund {data.store} {data.refund_id} of receipt {data.receipt}", created_by=by)
    return Recorded(await refund_out(refund_row_id), True)


async def receipt_out(receipt_id: int) -> ReceiptOut:
    row = await Receipt.select().where(Receipt.id == receipt_id).first()
    if row is None:
        raise NotFound("Receipt {receipt_id} does not exist.", text_values={"receipt_id": receipt_id})
    refunded, taken = await _refunded_before(receipt_id)
    return ReceiptOut(
        id=receipt_id, store=row["store"], receipt=row["receipt_number"], member_id=int(row["member"]),
        currency=row["currency"], amount_minor=int(row["amount"]), points=int(row["points"]),
        no_points_reason=row["no_points_reason"] or None, purchased_at=clock.aware(row["purchased_at"]), via=row["via"],
        refunded_minor=refunded, points_taken_back=taken,
    )


async def refund_out(refund_id: int) -> RefundOut:
    row = await Refund.select(
        *Refund.all_columns(), Refund.receipt.receipt_number.as_alias("number"), Refund.receipt.member.as_alias("member_id"),
        Refund.receipt.currency.as_alias("currency"), Refund.receipt.amount.as_alias("receipt_amount"),
    ).where(Refund.id == refund_id).first()
    assert row is not None
    refunded, _ = await _refunded_before(int(row["receipt"]))
    return RefundOut(
        id=refund_id, store=row["store"], refund_id=row["refund_id"], receipt=row["number"], member_id=int(row["member_id"]),
        currency=row["currency"], amount_minor=int(row["amount"]), points=int(row["points"]),
        refunded_at=clock.aware(row["refunded_at"]), via=row["via"], receipt_left_minor=int(row["receipt_amount"]) - refunded,
    )


