"""The member's home page: their standing first, then what each domain puts there (the next
events with their tickets, invitations and bookings awaiting an answer).

The club layer cannot read the domains above it, so each domain registers a section
(`register_home_section`, filled by the app's wiring): a function that returns the template of
its part and its values for the member, or None when it has nothing to show.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from litestar import Request, get
from litestar.response import Template

from club.accounts import Principal
from club.auth import member_only, principal_of
from club.web import urls
from club.web.standing import standing_of
from club.web.templates import page

__all__ = ["HomeSection", "home_page", "register_home_section"]


@dataclass(frozen=True, slots=True)
class HomeSection:
    """One domain's part of the home page: `template` included with `values`; lower `order` first."""

    template: str
    order: int
    values: Mapping[str, Any] = field(default_factory=dict)


HomeSectionSource = Callable[[Request[Any, Any, Any], Principal], Awaitable[HomeSection | None]]
_SOURCES: list[HomeSectionSource] = []


def register_home_section(source: HomeSectionSource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


@get(urls.HOME, guards=[member_only], name="home")
async def home_page(request: Request[Any, Any, Any]) -> Template:
    me = principal_of(request)
    assert me.member_id is not None
    standing = await standing_of(me.member_id)
    sections = [s for s in [await source(request, me) for source in _SOURCES] if s is not None]
    return page(
        request, "club/home.html", standing=standing, sections=sorted(sections, key=lambda s: s.order),
        reader_zone=standing.time_zone,
    )
