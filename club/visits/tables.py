"""Tables of visits: the club's stores, each member's card, and each counted visit.

A store is keyed by its short code (the one its staff type, SH-IFC) and keeps its own time zone:
a visit counts once per member per store per *local* day, the day on the store's clock. A card's
`version` is what its QR carries; a reissue raises it and every older QR stops working. A visit is
keyed by member, store and local day (`visit_key`, unique), and what it earned is a ledger entry
(club.points.award, reason `visit`, keyed by the same key), so the same visit lands once.
"""

from __future__ import annotations

from piccolo.columns import Boolean, ForeignKey, Integer, Timestamptz, Varchar

from club.table import Table
from club.tables import Member, User

__all__ = ["MemberCard", "Store", "Visit"]


class Store(Table, tablename="visit_store"):
    code = Varchar(length=40, unique=True)
    name = Varchar(length=120)
    time_zone = Varchar(length=64)  # IANA, the store's own clock
    active = Boolean(default=True)  # an inactive store's counters are refused
    created_at = Timestamptz()


class MemberCard(Table, tablename="member_card"):
    member = ForeignKey(Member, unique=True)
    version = Integer(default=1)
    issued_at = Timestamptz()


class Visit(Table, tablename="visit"):
    visit_key = Varchar(length=120, unique=True)  # "<member>:<store code>:<local day>"
    member = ForeignKey(Member, index=True)
    store = ForeignKey(Store)
    local_day = Varchar(length=10, index=True)  # ISO date on the store's clock
    points = Integer()  # what it earned (less than VISIT_POINTS when the daily cap cut it)
    nonce_key = Varchar(length=100, default="")  # "<staff user>:<scanner's nonce>": a retry answers the same
    scanned_at = Timestamptz()
    scanned_by = ForeignKey(User, null=True, default=None)
