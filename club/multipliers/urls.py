"""Route paths of multipliers, in one place so tests and links never spell them out."""

from __future__ import annotations

# The API
MULTIPLIERS = "/api/multipliers"  # GET: the tiers' factors and the club's bonus days
TIER_MULTIPLIERS = "/api/multipliers/tiers"  # POST: set a tier's factor on a kind of earning
TIER_MULTIPLIER = "/api/multipliers/tiers/{multiplier_id:int}"  # DELETE
BONUS_DAYS = "/api/multipliers/bonus-days"  # POST: schedule a club bonus day
BONUS_DAY = "/api/multipliers/bonus-days/{day_id:int}"  # DELETE: cancel one not begun
MY_BONUS_DAY = "/api/me/bonus-day"  # GET, PUT: a member's own bonus day of this year

# The pages
CONSOLE_MULTIPLIERS = "/console/tiers/multipliers"  # under Tiers in the console's navigation
MY_BONUS_DAY_PAGE = "/bonus-day"


def link(path: str, **ids: int) -> str:
    for name, value in ids.items():
        path = path.replace(f"{{{name}:int}}", str(int(value)))
    return path
