"""What the spend tests share: a receipt and a refund as the till sends them."""

from __future__ import annotations

from typing import Any

__all__ = ["receipt", "refund"]


def receipt(member_id: int | None, number: str = "R-1001", amount_minor: int = 1_280_050, **fields: Any) -> dict[str, Any]:
    return {"store": "SH-IFC", "receipt": number, "member_id": member_id, "currency": "CNY", "amount_minor": amount_minor,
            "purchased_at": "2026-11-20T14:05:00+08:00", **fields}


def refund(refund_id: str, amount_minor: int, number: str = "R-1001", **fields: Any) -> dict[str, Any]:
    return {"store": "SH-IFC", "refund_id": refund_id, "receipt": number, "currency": "CNY", "amount_minor": amount_minor,
            "refunded_at": "2026-11-25T11:00:00+08:00", **fields}
