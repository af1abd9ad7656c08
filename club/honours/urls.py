"""Route paths of the honours, in one place so tests and links never spell them out."""

from __future__ import annotations

LEADERBOARDS = "/api/leaderboards"  # ?board=attendance|points&period=month|season|year
MY_HONOURS = "/api/me/honours"  # GET and PUT: my choice to appear, and my display name

HONOURS_PAGE = "/honours"  # the member's page: the boards, and their choice
HONOURS_SAVE = "/honours/choice"
CONSOLE_HONOURS = "/console/honours"
