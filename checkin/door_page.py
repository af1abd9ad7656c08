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

from checkin.door_app import DOOR_VERSION
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
    N_("No code found"),
    # Offline (checkin/static/door.js, door-core.js): the door's state, its own decisions, the queue.
    N_("Online"),
    N_("Offline since {time}"),
    N_("Queued: {n}"),
    N_("List just updated"),
    N_("List updated {minutes} min ago"),
    N_("No door list on this phone"),
    N_("Door list not available yet"),
    N_("Decided offline on this phone; sent when the network returns"),
    N_("Cannot check offline"),
    N_("Connect once to download the door list."),
    N_("Not on the list"),
    N_("Guests: {guests}"),
    N_("This ticket is for another event."),
    N_("This ticket was replaced by a newer one."),
    N_("The event is cancelled."),
    N_("The member cancelled this RSVP."),
    N_("Not admitted while the membership is suspended; the club's host can help."),
    N_("On the waitlist, not confirmed."),
    N_("Not on this device's door list."),
    N_("Already checked in."),
    N_("This meeting point has not opened yet."),
    N_("The group has left this meeting point; the departure does not wait."),
    N_("Check-in has not opened yet."),
    N_("Check-in has closed."),
    N_("This is not a valid ticket."),
    N_("{sent} offline scans sent"),
    N_("To review: {what}"),
    N_("duplicates: {n}"),
    N_("let in on a revoked ticket: {n}"),
    N_("let in outside the hours: {n}"),
    N_("not accepted: {n}"),
    # The camera, when it cannot start: why, and the way that still works.
    N_("Camera: permission refused"),
    N_("Camera: none found on this device"),
    N_("Camera: busy in another app"),
    N_("Camera: needs a secure page (https)"),
    N_("Camera: could not start"),
    N_("Use a hardware scanner, or type the code above."),
    # The default ladder's tier names (club.ladder), in the glossary's words; a club's own names show as written.
    N_("Silver"),
    N_("Gold"),
    N_("Platinum"),
    N_("Diamond"),
)


@cache
def door_html(language: Language) -> str:
    """The page with `<html lang>` and its texts in `language`, naming its scripts by DOOR_VERSION
    (so the door's service worker keeps them and a new version replaces them)."""
    texts = {text: gettext(language, text) for text in DOOR_TEXTS}
    # `<` escaped so no text can close the script element it sits in.
    inline = json.dumps(texts, ensure_ascii=False).replace("<", "\\u003c")
    page = PAGE.read_text(encoding="utf-8").replace("{DOOR_VERSION}", DOOR_VERSION)
    return page.replace('<html lang="en">', f'<html lang="{language.tag}">', 1).replace(
        '<script id="door-texts" type="application/json">{}</script>',
        f'<script id="door-texts" type="application/json">{inline}</script>', 1,
    )
