"""Which texts the code asks the catalogs for, and which a catalog lacks.

The texts are found as Babel's extractor finds them (`pybabel extract` reads the same
keywords): `gettext(language, "…")`, `ngettext(language, "…", "…", n)` and `N_("…")`. A test
runs `untranslated()` for every language, so a text added to the code without its Chinese
fails the suite rather than reaching a member in English.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from club.i18n.catalogs import CATALOG_DIR
from club.i18n.languages import Language

__all__ = ["KEYWORDS", "PACKAGES", "texts_in_code", "untranslated"]

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("club", "events", "checkin", "health_programs", "travel")
# Argument positions (1-based) of the texts, as Babel's `--keyword` takes them.
KEYWORDS: dict[str, tuple[int, ...] | None] = {"gettext": (2,), "ngettext": (2, 3), "N_": None}


def texts_in_code(folders: Iterable[Path] | None = None) -> set[str]:
    """Every msgid the code uses (a plural's singular stands for both forms)."""
    found: set[str] = set()
    for folder in folders if folders is not None else (ROOT / p for p in PACKAGES):
        for _file, _line, message, _comments, _context in extract_from_dir(
            folder, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def untranslated(language: Language, texts: set[str]) -> list[str]:
    """The texts `language`'s catalog lacks; English may leave a text as its msgid, Chinese may not."""
    with (CATALOG_DIR / f"{language.value}.po").open("rb") as source:
        catalog = read_po(source, locale=language.value)
    missing = []
    for text in sorted(texts):
        entry = catalog.get(text)
        forms = entry.string if entry is not None and isinstance(entry.string, tuple) else (entry.string if entry else "",)
        if entry is None or (language is not Language.en and not all(forms)):
            missing.append(text)
    return missing
