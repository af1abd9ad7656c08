"""Satisfaction surveys as reminder steps, and the hook their links come through.

A step whose text carries the `{survey_link}` placeholder is a survey: the coordinator writes it
as any step (anchored on the event's end, by e-mail or SMS) and says where the link stands in
it. Whether it goes is decided at the send, not when it is planned: only a member with a
standing check-in at the event receives it (events.checked_in's hook); anyone else's row is
skipped with the reason. The link is each member's own, signed, and the page it opens lives
in checkin.surveys, above this layer: the wiring (club.server.wiring) sets its maker here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from club.settings import Settings
from events.checked_in import checked_in_at
from events.reminders.rules import step_texts

__all__ = ["SURVEY_PLACEHOLDER", "SurveyLinks", "attended", "carries_survey", "provide_survey_links", "survey_link"]

SURVEY_PLACEHOLDER = "{survey_link}"

# (settings, event id, member id, the event's end) in; the member's survey page URL out.
SurveyLinks = Callable[[Settings, int, int, datetime], str]

_links: SurveyLinks | None = None


def provide_survey_links(links: SurveyLinks) -> None:
    global _links
    _links = links


def carries_survey(template: str | None, texts: Any = None, subject: str | None = None) -> bool:
    """Whether a step is a survey: its text, in any language, names the survey's link."""
    found: list[str] = [template or "", subject or ""]
    for text in step_texts(texts).values():
        found += [text.template, text.subject]
    return any(SURVEY_PLACEHOLDER in t for t in found)


async def attended(event_id: int, rsvp_id: int | None) -> bool:
    """Whether this RSVP came through the event's door (a standing check-in)."""
    return rsvp_id is not None and rsvp_id in await checked_in_at(event_id)


def survey_link(settings: Settings, event_id: int, member_id: int, ends_at: datetime) -> str:
    if _links is None:
        raise RuntimeError("no survey pages: the wiring (club.server.wiring.install) has not run")
    return _links(settings, event_id, member_id, ends_at)
