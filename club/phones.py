"""Phone numbers in E.164 (`+8613800138000`), the one form the SMS gateway and the door compare.

Members type numbers as they say them: "138 0013 8000" on a mainland phone, "+33 6 12 34 56 78"
abroad. Google's libphonenumber (`phonenumbers`) reads them with the club's default region for
numbers written without a country code (CLUB_PHONE_REGION), and says whether the number can
exist; what it cannot read is refused, never stored half-understood.
"""

from __future__ import annotations

import phonenumbers

__all__ = ["InvalidPhone", "e164", "e164_or_none"]


class InvalidPhone(ValueError):
    """Not a number a phone can have."""


def e164(text: str, region: str) -> str:
    """`text` in E.164; a number with no country code is read as one of `region` (ISO 3166, "CN")."""
    try:
        number = phonenumbers.parse(text, region.upper())
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(str(exc)) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone("not a valid number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def e164_or_none(text: str, region: str) -> str | None:
    """`text` in E.164, or None when it cannot be read (for numbers stored before E.164)."""
    try:
        return e164(text, region)
    except InvalidPhone:
        return None
