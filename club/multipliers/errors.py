"""Domain errors of multipliers: each refusal has its own problem type."""

from __future__ import annotations

from club.errors import DomainError

__all__ = ["BadFactor", "OwnDayRefused"]


class BadFactor(DomainError):
    status_code = 400
    slug = "bad-factor"
    title = "Not a factor"


class OwnDayRefused(DomainError):
    """The member's own bonus day cannot be chosen (a past date, too far, or it has passed or was used)."""

    slug = "own-bonus-day-refused"
    title = "Bonus day not chosen"
