"""Route paths of spend, in one place so tests and links never spell them out."""

from __future__ import annotations

# The API
RECEIPTS = "/api/spend/receipts"  # POST: the till sends a sale
REFUNDS = "/api/spend/refunds"  # POST: the till sends a refund
IMPORTS = "/api/spend/imports"  # POST text/csv: a coordinator's import, answered with its report
MEMBER_SPEND = "/api/members/{member_id:int}/spend"  # coordinators: a member's rolling twelve months
MY_SPEND = "/api/me/spend"  # a member: their own

# The console
CONSOLE_IMPORT = "/console/spend"


def link(path: str, **ids: int) -> str:
    """A path with its ids filled in: link(MEMBER_SPEND, member_id=3) is "/api/members/3/spend"."""
    for name, value in ids.items():
        path = path.replace(f"{{{name}:int}}", str(int(value)))
    return path
