"""Every text a person reads, in each club language, from gettext catalogs.

The catalogs are Babel `.po` files in `catalogs/<language>.po`, read once per process and
compiled in memory, so there is no build step and no binary file to keep in step with its
source. `msgid`s are the English texts; an English reader gets the msgid itself.
Texts carry `{name}` placeholders, filled after translation so translators can move them.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from club.i18n.languages import Language

__all__ = ["CATALOG_DIR", "N_", "gettext", "ngettext", "translations"]

CATALOG_DIR = Path(__file__).resolve().parent / "catalogs"


def N_(message: str) -> str:
    """Marks a text for the catalogs where it is declared, to be translated where it is read."""
    return message


@cache
def translations(language: Language) -> Translations:
    path = CATALOG_DIR / f"{language.value}.po"
    with path.open("rb") as source:
        catalog = read_po(source, locale=language.value)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def gettext(language: Language, message: str, **values: Any) -> str:
    """`message` in `language`, its `{placeholders}` filled from `values`."""
    text = translations(language).gettext(message)
    return text.format(**values) if values else text


def ngettext(language: Language, singular: str, plural: str, n: int, **values: Any) -> str:
    """The form of the text that `n` takes in `language` (Chinese has one; English two)."""
    text = translations(language).ngettext(singular, plural, n)
    return text.format(n=n, **values)
