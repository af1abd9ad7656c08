"""Voucher codes and collection slips: what a member shows at the till or the boutique.

A voucher's code is about 79 random bits from `secrets` in an alphabet without look-alike letters
(no 0/O, 1/I/L), in four groups of four read aloud or typed at a till: unguessable, so knowing
one member's code tells nothing of another's. A collection slip is the redemption's number:
the boutique checks the member's own identity against it, so it need not be secret.
"""

from __future__ import annotations

import secrets

__all__ = ["ALPHABET", "slip_number", "voucher_code"]

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 symbols, each about 4.95 bits
GROUPS, GROUP_SIZE = 4, 4  # 16 symbols: 79 bits


def voucher_code() -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_SIZE))
    return "-".join(symbols[i : i + GROUP_SIZE] for i in range(0, len(symbols), GROUP_SIZE))


def slip_number(redemption_id: int) -> str:
    """"No. 000042": six digits at least, so slips read alike on the counter."""
    return f"{redemption_id:06d}"
