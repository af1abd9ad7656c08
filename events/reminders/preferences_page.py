"""The page a member's e-mail footer links to: their channels per kind of message, opened from
the mail without signing in.

The link names the member and an expiry, signed under the club's key (club.signed_links, its
own purpose, so neither an unsubscribe nor a ticket link opens it); nothing is stored. It
expires 90 days after the e-mail that carried it was written: long enough for a member who
keeps the mail and comes back to it, short enough that a forwarded or leaked old mail stops
being a key; every e-mail carries a fresh one. It also stops opening while the membership is
suspended. Any failure (forged, expired, suspended, no such member) is the same 404 page.

Saving goes through events.reminders.preferences.set_preferences, the service the API's PUT
uses: the must-reach kinds are shown ticked and disabled, and are never sent to it as changed.
The page is phone-sized, in the member's language, with system fonts and nothing from another
host.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from club import clock
from club.i18n.catalogs import N_, gettext
from club.i18n.languages import Language, language_of
from club.pages import page_document
from club.settings import Settings
from club.signed_links import BadLink, open_link, sign_link
from club.tables import Member, MemberStatus
from events.reminders.preferences import MUST_REACH, MessageKind
from events.reminders.tables import Channel

__all__ = [
    "CHANNEL_LABELS",
    "KIND_LABELS",
    "LINK_LIFETIME",
    "PREFERENCES_PAGE_PREFIX",
    "PreferencesReader",
    "choices_of_form",
    "invalid_page_html",
    "open_preferences_link",
    "preferences_page_html",
    "preferences_page_url",
]

PREFERENCES_PAGE_PREFIX = "/p/"
_PURPOSE = "message-preferences"
LINK_LIFETIME = timedelta(days=90)

# What the member would call each kind, and a word on what it holds.
KIND_LABELS: dict[MessageKind, tuple[str, str]] = {
    MessageKind.booking: (N_("Bookings"), N_("Confirmed, on the waitlist, a seat freed up")),
    MessageKind.invitation: (N_("Personal invitations"), N_("Invitations to a show or an event, and a show's offers")),
    MessageKind.reminder: (N_("Event reminders"), N_("Before an event you booked")),
    MessageKind.preparation: (N_("Health preparations"), N_("Such as fasting before a check-up")),
    MessageKind.event_moved: (N_("Changes of time"), N_("An event you booked moves")),
    MessageKind.event_cancelled: (N_("Cancelled events"), N_("An event you booked is cancelled")),
    MessageKind.segment: (N_("Club news"), N_("Letters the club sends to members like you")),
    MessageKind.other: (N_("Other club news"), N_("Thanks for a referral, and the like")),
    MessageKind.sign_in: (N_("Sign-in codes"), N_("The one-time codes you ask for")),
}
CHANNEL_LABELS: dict[Channel, str] = {Channel.email: N_("E-mail"), Channel.sms: N_("SMS"), Channel.call: N_("Phone call")}


@dataclass(frozen=True, slots=True)
class PreferencesReader:
    member_id: int
    name: str
    language: Language


def preferences_page_url(settings: Settings, member_id: int) -> str:
    expires = int((clock.now() + LINK_LIFETIME).timestamp())
    return settings.public_base_url + PREFERENCES_PAGE_PREFIX + sign_link(settings.secret_key, _PURPOSE, member_id, expires)


async def open_preferences_link(signed: str, settings: Settings) -> PreferencesReader | None:
    """Whose preferences the link opens, or None (see the module: one answer for every failure)."""
    try:
        member, expires = open_link(settings.secret_key, _PURPOSE, signed, 2)
    except BadLink:
        return None
    if not (member.isdigit() and expires.isdigit()) or clock.now() >= datetime.fromtimestamp(int(expires), UTC):
        return None
    row = await Member.select(Member.name, Member.language, Member.status).where(Member.id == int(member)).first()
    if row is None or row["status"] == MemberStatus.suspended.value:
        return None
    return PreferencesReader(int(member), str(row["name"]), language_of(row["language"]) or settings.club_locale)


def choices_of_form(form: Mapping[str, list[str]]) -> dict[MessageKind, frozenset[Channel]]:
    """The optional kinds with the channels ticked (a kind with none ticked: none). Must-reach
    kinds are left out: the service keeps them whole, whatever a form claims."""
    channels = {c.value: c for c in Channel}
    return {
        kind: frozenset(channels[v] for v in form.get(kind.value, []) if v in channels)
        for kind in MessageKind
        if kind not in MUST_REACH
    }


# The form's own parts: every box and the button 44 px; light and dark.
_STYLE = """
@media (prefers-color-scheme:dark){fieldset{border-color:#444}.why,.hint{color:#aaa}}
h1{font-family:"Songti SC","Noto Serif CJK SC",Georgia,serif;font-weight:normal;font-size:24px;margin:0 0 8px}
p{margin:0 0 16px}
.saved{padding:8px 12px;border-left:3px solid #8a6d3b}
fieldset{border:1px solid #ddd3c0;border-radius:8px;margin:0 0 12px;padding:8px 12px}
legend{font-weight:bold;padding:0 4px}
.hint,.why{font-size:14px;color:#666;margin:0}
.channels{display:flex;flex-wrap:wrap;gap:0 16px}
label{display:inline-flex;align-items:center;min-height:44px;gap:8px}
input[type=checkbox]{width:22px;height:22px;margin:0;accent-color:#8a6d3b}
button{min-height:44px;width:100%;padding:8px 24px;font:inherit;border:1px solid currentColor;border-radius:4px;background:none;color:inherit}
"""


def preferences_page_html(
    reader: PreferencesReader, choices: Mapping[MessageKind, frozenset[Channel]], *, saved: bool = False
) -> str:
    esc, lang = html.escape, reader.language
    heading = gettext(lang, "Your message preferences")
    rows = []
    for kind in MessageKind:
        label, hint = KIND_LABELS[kind]
        must = kind in MUST_REACH
        boxes = "".join(
            f'<label><input type="checkbox" name="{kind.value}" value="{channel.value}"'
            f"{' checked' if channel in choices[kind] else ''}{' disabled' if must else ''}>"
            f"{esc(gettext(lang, CHANNEL_LABELS[channel]))}</label>"
            for channel in Channel
        )
        why = f'<p class="why">{esc(gettext(lang, "Always sent: you must not miss it."))}</p>' if must else ""
        rows.append(
            f'<fieldset id="kind-{kind.value}"><legend>{esc(gettext(lang, label))}</legend>'
            f'<p class="hint">{esc(gettext(lang, hint))}</p><div class="channels">{boxes}</div>{why}</fieldset>'
        )
    notice = f'<p class="saved" id="saved" role="status">{esc(gettext(lang, "Your choices are saved."))}</p>' if saved else ""
    body = (
        f"<h1>{esc(heading)}</h1>{notice}"
        f"<p>{esc(gettext(lang, 'Dear {member_name}, choose how the club may reach you for each kind of message.', member_name=reader.name))}</p>"
        f'<form method="post">{"".join(rows)}<button type="submit">{esc(gettext(lang, "Save"))}</button></form>'
    )
    return page_document(lang, heading, body, _STYLE)


def invalid_page_html(language: Language) -> str:
    heading = gettext(language, "This link is no longer valid")
    text = gettext(language, "A link to your message preferences lasts 90 days; every e-mail from the club carries a new one.")
    return page_document(language, heading, f"<h1>{html.escape(heading)}</h1><p>{html.escape(text)}</p>", _STYLE)
