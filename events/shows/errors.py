"""Domain errors of show invitations, each with its own problem type a client can switch on."""

from __future__ import annotations

from club.errors import DomainError, InvalidInput
from club.i18n.catalogs import N_

__all__ = [
    "CategoryTooSmall",
    "InvitationDeclined",
    "InvitationExpired",
    "InvitationNotOffered",
    "InvitationWithdrawn",
    "InviteeNotEligible",
    "PlusOneNotAllowed",
    "ShowNotPublished",
    "refusal_error",
]


class InvitationExpired(DomainError):
    slug = "invitation-expired"
    title = "Invitation expired"


class InvitationDeclined(DomainError):
    slug = "invitation-declined"
    title = "Invitation declined"


class InvitationWithdrawn(DomainError):
    slug = "invitation-withdrawn"
    title = "Invitation withdrawn"


class InvitationNotOffered(DomainError):
    """Queued: the invitation waits for a seat of its category and cannot be accepted yet."""

    slug = "invitation-not-offered"
    title = "No seat offered yet"


class PlusOneNotAllowed(InvalidInput):
    slug = "plus-one-not-allowed"
    title = "Plus-one not allowed"


class InviteeNotEligible(DomainError):
    """The body lists `members`, each with the reasons from the events eligibility rules."""

    slug = "invitee-not-eligible"
    title = "Invitee not eligible"


class ShowNotPublished(DomainError):
    slug = "show-not-published"
    title = "Show not published"


class CategoryTooSmall(DomainError):
    slug = "category-too-small"
    title = "Category too small"


_REFUSALS: dict[str, tuple[type[DomainError], str]] = {
    "expired": (InvitationExpired, N_("This invitation expired at its reply-by date; its seat has gone to the next guest.")),
    "withdrawn": (InvitationWithdrawn, N_("This invitation has been withdrawn by the club.")),
    "declined": (InvitationDeclined, N_("This invitation has been declined.")),
    "queued": (InvitationNotOffered, N_("No seat is free for this invitation yet; you will hear as soon as one is.")),
}


def refusal_error(refusal: str, **extra: object) -> DomainError:
    cls, detail = _REFUSALS[refusal]
    return cls(detail, **extra)
