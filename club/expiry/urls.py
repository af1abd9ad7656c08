"""Route paths of points expiry, in one place so tests and links never spell them out."""

from __future__ import annotations

# The API
RULE = "/api/expiry/rule"  # coordinators: GET, PUT the club's rule
PREVIEW = "/api/expiry/preview"  # coordinators: what the next date would take
RUNS = "/api/expiry/runs"  # coordinators: POST runs the date that has come (as the job does)
MY_EXPIRY = "/api/me/points/expiry"  # a member: what of their balance expires next, and when

# The console
CONSOLE_EXPIRY = "/console/expiry"
