"""Domain errors of visits: a refusal of the request itself (a card's own answer is a scan result)."""

from __future__ import annotations

from club.errors import DomainError

__all__ = ["StoreClosed", "StoreExists", "UnknownTimeZone"]


class StoreClosed(DomainError):
    slug = "store-closed"
    title = "Store no longer takes visits"


class StoreExists(DomainError):
    slug = "store-exists"
    title = "Store already exists"


class UnknownTimeZone(DomainError):
    status_code = 400
    slug = "unknown-time-zone"
    title = "Unknown time zone"
