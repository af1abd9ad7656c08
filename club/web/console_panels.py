"""The parts other domains add to a member's page in the console (their attendance and no-shows,
bookings, invitations, trips), as the home page's sections are added: the club layer cannot read
the domains above it, so each registers a function the wiring installs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from litestar import Request

__all__ = ["MemberPanel", "member_panels", "register_member_panel"]


@dataclass(frozen=True, slots=True)
class MemberPanel:
    """One domain's part of a member's console page: `template` included with `values`."""

    template: str
    order: int
    values: Mapping[str, Any] = field(default_factory=dict)


# (request, member id) -> the panel, or None when the domain has nothing on this member.
PanelSource = Callable[[Request[Any, Any, Any], int], Awaitable[MemberPanel | None]]
_PANELS: list[PanelSource] = []


def register_member_panel(source: PanelSource) -> None:
    if source not in _PANELS:
        _PANELS.append(source)


async def member_panels(request: Request[Any, Any, Any], member_id: int) -> list[MemberPanel]:
    """Every domain's panel for the member, in order."""
    panels = [p for p in [await source(request, member_id) for source in _PANELS] if p is not None]
    return sorted(panels, key=lambda p: p.order)
