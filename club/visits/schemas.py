"""Request and response shapes of the visits API (msgspec; never a table row)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import Meta, Struct

from club.schemas import Strict
from club.visits.rules import VisitResult

__all__ = ["CardOut", "StoreIn", "StoreOut", "StorePatch", "VisitAnswer", "VisitIn", "VisitMember"]

StoreCode = Annotated[str, Meta(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$",
                                description="The store's short code (SH-IFC)")]
StoreName = Annotated[str, Meta(min_length=1, max_length=120)]
TimeZone = Annotated[str, Meta(min_length=1, max_length=64, description="IANA time zone of the store (Asia/Shanghai)")]
Token = Annotated[str, Meta(min_length=1, max_length=512)]
# Made by the counter, once per physical scan, and sent again on every retry of it.
Nonce = Annotated[str, Meta(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]


class VisitIn(Strict):
    token: Token  # what the member's card QR says
    store: StoreCode
    nonce: Nonce


class VisitMember(Struct, kw_only=True):
    name: str
    tier: str | None


class VisitAnswer(Struct, kw_only=True, omit_defaults=False):
    result: VisitResult
    detail: str  # in the reader's language
    store: str
    local_day: str | None = None  # the day on the store's clock the visit counts for
    member: VisitMember | None = None
    points_awarded: int = 0  # what the member received: the visit's points, times their tier's or the day's factor
    # What the daily cap counts: the visits' own points today across stores, before any factor.
    visit_points_today: int | None = None


class StoreIn(Strict):
    code: StoreCode
    name: StoreName
    time_zone: TimeZone


class StorePatch(Strict):
    name: StoreName | None = None
    time_zone: TimeZone | None = None
    active: bool | None = None


class StoreOut(Struct, kw_only=True):
    code: str
    name: str
    time_zone: str
    active: bool
    created_at: datetime


class CardOut(Struct, kw_only=True):
    member_id: int
    version: int  # a reissue raises it; older QRs stop working
    token: str
