"""The layer order holds: no module imports a package above its own, nor a peer.

club -> events -> checkin -> health_programs, travel (peers) -> club.server. Every import
counts, also those inside functions and under TYPE_CHECKING: an import hidden in a function
is still a circle between the packages, only one that shows up later.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top; packages of one rank are peers and must not import each other either.
LAYERS: dict[str, int] = {
    "club": 0,
    "events": 1,
    "checkin": 2,
    "health_programs": 3,
    "travel": 3,
    "club.server": 4,
}


def layer_of(module: str) -> str | None:
    """The layer package a dotted module name belongs to (the longest matching prefix)."""
    matches = [p for p in LAYERS if module == p or module.startswith(p + ".")]
    return max(matches, key=len) if matches else None


def imported_modules(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, module) of every import in `source`, wherever it stands; relative ones resolved."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".") if is_package else module.split(".")[:-1]
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            # `from club import server` imports club.server: name each imported name too.
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return sorted(found)


def violations(source: str, module: str, is_package: bool = False) -> list[str]:
    own = layer_of(module)
    assert own is not None, module
    problems = []
    for line, target in imported_modules(source, module, is_package):
        other = layer_of(target)
        if other is None or other == own:
            continue
        if LAYERS[other] > LAYERS[own]:
            problems.append(f"{module}:{line} imports {target} ({other} is above {own})")
        elif LAYERS[other] == LAYERS[own]:
            problems.append(f"{module}:{line} imports {target} ({other} is a peer of {own})")
    return problems


def package_modules() -> list[tuple[str, Path]]:
    modules = []
    for package in {p.split(".")[0] for p in LAYERS}:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            modules.append((".".join(parts), path))
    return modules


def test_no_module_imports_a_layer_above_its_own_or_a_peer() -> None:
    problems = []
    for module, path in package_modules():
        name = module.removesuffix(".__init__")
        problems += violations(path.read_text(encoding="utf-8"), name, is_package=path.name == "__init__.py")
    assert problems == []


def test_the_check_sees_imports_inside_functions_type_checking_and_from_a_package() -> None:
    hidden = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from checkin.tables import CheckIn\n"
        "def anchors():\n    from travel.itinerary import item_anchors\n"
        "from club import server\n"
    )
    found = violations(hidden, "events.reminders.scheduling")
    assert [p.split(" imports ")[1].split(" ")[0] for p in found] == [
        "checkin.tables.CheckIn", "travel.itinerary.item_anchors", "club.server",
    ]
    assert violations("import travel.rooms\n", "health_programs.bookings") == [
        "health_programs.bookings:1 imports travel.rooms (travel is a peer of health_programs)"
    ]
    # Downward and inside one's own package is fine, and club.server may import everything.
    assert violations("from club.db import write_transaction\nfrom . import rules\n", "checkin.scanning") == []
    assert violations("from travel import wiring\nfrom club.db import x\n", "club.server.routes") == []
