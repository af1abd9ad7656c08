"""The club's languages, and which one a reader gets.

Tags arrive as BCP 47 (`zh-Hans-CN`, `zh-TW`, `zh-HK`, `en-GB`) from browsers, phones and
coordinators' spreadsheets. Babel's likely-subtags data completes them (`zh-TW` is written in
traditional characters, `zh-CN` and a bare `zh` in simplified), and a tag matches the language
that agrees on language and script. Adding French is adding `fr` here and a catalog.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global

__all__ = ["Language", "canonical_tag", "from_accept_language", "language_of", "reader_language"]


class Language(StrEnum):
    """A language the club writes in; the value is Babel's locale identifier."""

    zh_hans = "zh_Hans"
    zh_hant = "zh_Hant"
    en = "en"

    @property
    def tag(self) -> str:
        """The BCP 47 tag, as in Content-Language and <html lang>."""
        return self.value.replace("_", "-")


def _parsed(tag: str) -> Locale | None:
    """The locale `tag` names, with the script spelled out for Chinese; None when CLDR knows none.

    A `zh` without a script (`zh`, `zh-TW`) takes its most likely one, as CLDR says (a bare `zh`
    is simplified); the region the tag gave is kept.
    """
    try:
        locale = Locale.parse(tag.strip().replace("_", "-"), sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    if locale.language == "zh" and locale.script is None:
        likely = Locale.parse(get_global("likely_subtags").get("zh", "zh_Hans"))
        locale = Locale(locale.language, territory=locale.territory, script=likely.script)
    return locale


def canonical_tag(tag: str) -> str | None:
    """The form a member's language is stored in, or None when `tag` names no language CLDR knows.

    Babel's identifier written as BCP 47, with the script always spelled out for Chinese
    (`zh-TW` is "zh-Hant-TW", `zh-HK` "zh-Hant-HK", `zh-CN` "zh-Hans-CN", a bare `zh`
    "zh-Hans"): the script is what decides the catalog a member reads, so it is stored rather
    than guessed again on every read, and the region the member gave is kept (Hong Kong and
    Taipei write dates and numbers alike today, but not every word). Other languages keep
    what they said (`en`, `fr-FR`, `ja`), case made regular.
    """
    locale = _parsed(tag)
    return None if locale is None else str(locale).replace("_", "-")


@lru_cache(maxsize=256)  # every request asks, with the few tags its readers use
def language_of(tag: str | None) -> Language | None:
    """The club language a BCP 47 tag asks for, or None when the club does not write it."""
    if not tag:
        return None
    locale = _parsed(tag)
    if locale is None:
        return None
    for language in Language:
        ours = Locale.parse(language.value)
        # `zh` with a script compares the script; a language without one (en) compares alone.
        if ours.language == locale.language and (ours.script is None or ours.script == locale.script):
            return language
    return None


@lru_cache(maxsize=256)  # a browser sends the same header on every request
def from_accept_language(header: str | None) -> Language | None:
    """The first language of an Accept-Language header (by q, then order) that the club writes."""
    if not header:
        return None
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and tag != "*" and quality > 0:
            weighted.append((-quality, index, tag))
    for _, _, tag in sorted(weighted):
        language = language_of(tag)
        if language is not None:
            return language
    return None


def reader_language(own: str | None, accept_language: str | None, club_default: Language) -> Language:
    """Whom we write to decides: their own language, else what their browser asks, else the club's."""
    return language_of(own) or from_accept_language(accept_language) or club_default
