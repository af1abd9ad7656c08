"""Domain errors of health programs, each with its own problem type a client can switch on."""

from __future__ import annotations

from club.errors import DomainError

__all__ = ["AlreadyBooked", "MoveRefused", "OutsideSeason"]


class AlreadyBooked(DomainError):
    """One booking a program: the member holds a slot of it already (the body names it)."""

    status_code = 409
    slug = "already-booked"
    title = "Already booked"


class MoveRefused(DomainError):
    """A move the rules refuse; `slug` is the reason (move-too-late, slot-full, ...)."""

    status_code = 409
    title = "Move refused"

    def __init__(self, slug: str, detail: str, **extra: object) -> None:
        super().__init__(detail, **extra)
        self.slug = slug


class OutsideSeason(DomainError):
    status_code = 400
    slug = "outside-season"
    title = "Outside the program's season"
