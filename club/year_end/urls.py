"""Route paths of the year-end rewards and the birthday gift, in one place so tests and links never spell them out."""

from __future__ import annotations

# The API
RULES = "/api/year-end/rules"  # coordinators: GET the table, PUT it whole
PREVIEW = "/api/year-end/{year:int}/preview"  # coordinators: what a run would give now
RUN = "/api/year-end/{year:int}/run"  # coordinators: POST gives the year's rewards (once per member)
MY_YEAR_END = "/api/me/year-end"  # a member: their year-end rewards
BIRTHDAY_GIFT = "/api/birthday-gift"  # coordinators: GET and PUT the gift given with birthday points

# The member page
MY_YEAR_END_PAGE = "/year-end"

# The console
CONSOLE_YEAR_END = "/console/year-end"  # the table, the birthday gift, and a year's preview
CONSOLE_RULES = "/console/year-end/rules"  # POST: save the table
CONSOLE_RUN = "/console/year-end/run"  # POST: give a year's rewards
CONSOLE_BIRTHDAY_GIFT = "/console/year-end/birthday-gift"  # POST: save the gift


def link(path: str, **ids: int) -> str:
    """A path with its ids filled in: link(PREVIEW, year=2026) is "/api/year-end/2026/preview"."""
    for name, value in ids.items():
        path = path.replace(f"{{{name}:int}}", str(int(value)))
    return path
