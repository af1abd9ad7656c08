"""Which texts the code asks the catalogs for, and which a catalog lacks.

The texts are found as Babel's extractor finds them (`pybabel extract` reads the same
keywords): `gettext(language, "…")`, `ngettext(language, "…", "…", n)` and `N_("…")`. A test
runs `untranslated()` for every language, so a text added to the code without its Chinese
fails the suite rather than reaching a member in English.

Domain errors are raised with their detail as the text (`NotFound("Event {event_id} does not
exist.", event_id=...)`): every subclass of `DomainError` in the packages is a keyword too, and
its `title` a text.
"""

from __future__ import annotations

import ast
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
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "gettext": (2,), "ngettext": (2, 3), "N_": None,
    # Raise a domain error with the detail they are given.
    "refuse_if_suspended": (2,),
}
# The pages' templates (club.web.templates) mark their texts _("…") and ngettext("…", "…", n).
TEMPLATE_KEYWORDS: dict[str, tuple[int, ...] | None] = {"_": None, "ngettext": (1, 2)}
# Functions that raise NotFound with the detail they are given, and where it is (0-based).
RAISERS = {"owned_or_404": 2, "require_coordinator_or_404": 1}


def _error_texts(folders: list[Path]) -> set[str]:
    """The titles of the DomainError subclasses, and the literal details they are raised with.

    Read from the source (ast) rather than by Babel's keywords, which would run a detail built
    from pieces (`"…: " + "; ".join(reasons)`) together into a text nobody wrote.
    """
    trees = [ast.parse(path.read_text(encoding="utf-8")) for folder in folders for path in folder.rglob("*.py")]
    bases: dict[str, list[str]] = {}
    positions: dict[str, int] = {}  # where `detail` is, for an error whose __init__ moves it
    titles: dict[str, str] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            bases[node.name] = [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases]
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    names = [a.arg for a in item.args.args[1:]]
                    if "detail" in names:
                        positions[node.name] = names.index("detail")
                if (isinstance(item, ast.Assign) and [getattr(t, "id", None) for t in item.targets] == ["title"]
                        and isinstance(item.value, ast.Constant) and isinstance(item.value.value, str)):
                    titles[node.name] = item.value.value
    errors: dict[str, int] = {"DomainError": positions.get("DomainError", 0)}
    grown = True
    while grown:
        grown = False
        for name, parents in bases.items():
            parent = next((p for p in parents if p in errors), None)
            if name not in errors and parent is not None:
                errors[name] = positions.get(name, errors[parent])
                grown = True
    found = {titles[name] for name in errors if name in titles}
    raisers = {**errors, **RAISERS}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in raisers:
                position = raisers[node.func.id]
                if len(node.args) > position:
                    detail = node.args[position]
                    if isinstance(detail, ast.Constant) and isinstance(detail.value, str):
                        found.add(detail.value)
    return found


def texts_in_code(folders: Iterable[Path] | None = None) -> set[str]:
    """Every msgid the code uses (a plural's singular stands for both forms)."""
    folders = list(folders if folders is not None else (ROOT / p for p in PACKAGES))
    found = _error_texts(folders)
    for folder in folders:
        for _file, _line, message, _comments, _context in extract_from_dir(
            folder, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
        for _file, _line, message, _comments, _context in extract_from_dir(
            folder, method_map=[("**/templates/**.html", "jinja2.ext:babel_extract")], keywords=TEMPLATE_KEYWORDS,
            comment_tags=("Translators:",),
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
