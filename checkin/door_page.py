"""The door page in its reader's language: the static page with its texts, translated, inlined.

The page is fetched without a bearer token (the staff token stays in its fragment and the
device's storage), so its language is the browser's (Accept-Language), else the club's. The
texts go in as a small JSON object keyed by their English msgid; nothing is loaded from
another host, and the page falls back to the English in it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from club.i18n.catalogs import N_, gettext
from club.i18n.languages import Language

__all__ = ["DOOR_TEXTS", "door_html"]

PAGE = Path(__file__).parent / "static" / "door.html"

# Every text the page shows; the verdict words keep their colour beside them (green, amber, red).
DOOR_TEXTS = (
    N_("Door check-in"),
    N_("Ready"),
    N_("Door staff token"),
    N_("Save"),
    N_("Scan or type a ticket code"),
    N_("Gate"),
    N_("Check"),
    N_("Admit"),
    N_("Already in"),
    N_("Not confirmed"),
    N_("Ticket cancelled"),
    N_("Wrong event"),
    N_("Not open yet"),
    N_("Check-in closed"),
    N_("Not a valid ticket"),
    N_("Departed"),
    N_("Membership suspended"),
    N_("CANCELLED"),
    N_("Checking…"),
    N_("Not allowed"),
    N_("Error"),
    N_("no tier"),
    N_("+{points} points"),
    N_("+{points} points, now {tier}"),
    N_("in since {at}"),
    N_("in since {at} · gate {gate}"),
    N_("No network"),
    N_("Try again"),
    N_("Retrying…"),
    N_("No code found"),
    # The default ladder's tier names (club.ladder), in the glossary's words; a club's own names show as written.
    N_("Silver"),
    N_("Gold"),
    N_("Platinum"),
    N_("Diamond"),
)


@cache
def door_html(language: Language) -> str:
    """The page with `<html lang>` and its texts in `language`."""
    texts = {text: gettext(language, text) for text in DOOR_TEXTS}
    # `<` escaped so no text can close the script element it sits in.
    inline = json.dumps(texts, ensure_ascii=False).replace("<", "\\u003c")
    page = PAGE.read_text(encoding="utf-8")
    return page.replace('<html lang="en">', f'<html lang="{language.tag}">', 1).replace(
        '<script id="door-texts" type="application/json">{}</script>',
        f'<script id="door-texts" type="application/json">{inline}</script>', 1,
    )
