"""checkin's attendance as the leaderboards read it (club.honours.boards.provide_attendance_rows):
each standing check-in a row (member, item: its event, at, amount), so a trip's legs count once."""

from __future__ import annotations

__all__ = ["ATTENDANCE_ROWS"]

ATTENDANCE_ROWS = (
    "SELECT member, event AS item, checked_in_at AS at, 1 AS amount FROM check_in WHERE reverted_at IS NULL"
)
