"""What the wiring (club.server) takes from the satisfaction surveys: the coordinators' API, the
member's page, and each member's link for the reminders' survey steps (events.reminders.surveys)."""

from __future__ import annotations

from typing import Any

from checkin.surveys.links import survey_page_url
from checkin.surveys.page import SURVEY_PAGES
from checkin.surveys.routes import SURVEY_ROUTES

__all__ = ["ROUTES", "SURVEY_LINKS"]

# The page is public (its signed link is the credential), so it stands with the routes, not in
# the signed-in member pages' router.
ROUTES: list[Any] = [*SURVEY_ROUTES, *SURVEY_PAGES]
SURVEY_LINKS = survey_page_url
