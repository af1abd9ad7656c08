"""Makers for show tests: a published show over HTTP, members of a given tier, invitations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from club.tables import Member, Tier
from events import urls as event_urls
from events.shows import urls
from events.shows.tables import ShowInvitation
from events.tables import OutboxMessage
from tests.conftest import LiveServer
from tests.factories import Caller, make_member

__all__ = ["invite", "make_show", "mine", "notices", "pass_reply_by", "show_body", "tiered", "with_tier"]


def show_body(categories: Sequence[tuple[str, int]] = (("Front row", 2), ("Second row", 4)), **overrides: Any) -> dict[str, Any]:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    body: dict[str, Any] = {
        "title": "Couture show",
        "venue": "Grand Palais, Paris",
        "venue_time_zone": "Europe/Paris",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(),
        "categories": [{"name": n, "seats": s} for n, s in categories],
    }
    body.update(overrides)
    return body


async def make_show(server: LiveServer, coordinator: Caller, publish: bool = True, **overrides: Any) -> dict[str, Any]:
    """A show (published unless told otherwise); `categories` by name: {"Front row": {...}}."""
    async with server.client(coordinator.token) as http:
        created = await http.post(urls.SHOWS, json=show_body(**overrides))
        assert created.status_code == 201, created.text
        show = created.json()
        if publish:
            published = await http.post(event_urls.link(event_urls.EVENT_PUBLISH, event_id=show["id"]))
            assert published.status_code == 200, published.text
            show["status"] = "published"
    show["by_name"] = {c["name"]: c for c in show["categories"]}
    return show


async def with_tier(member: Caller, tier: str | None) -> Caller:
    """Set the member's tier outright (as the bulk makers do): these tests are about shows, not points."""
    tier_id = None if tier is None else (await Tier.select(Tier.id).where(Tier.name == tier).first())["id"]  # type: ignore[index]
    await Member.update({Member.tier: tier_id}).where(Member.id == member.member_id)
    return member


async def tiered(name: str, tier: str | None) -> Caller:
    return await with_tier(await make_member(name), tier)


async def invite(
    server: LiveServer, coordinator: Caller, show_id: int, members: Sequence[Caller], category_id: int,
    expect: int = 200, **fields: Any,
) -> Any:
    body = {"member_ids": [m.member_id for m in members], "category_id": category_id, **fields}
    async with server.client(coordinator.token) as http:
        response = await http.post(event_urls.link(urls.SHOW_INVITATIONS, show_id=show_id), json=body)
    assert response.status_code == expect, response.text
    return response.json()


async def mine(server: LiveServer, member: Caller) -> list[dict[str, Any]]:
    async with server.client(member.token) as http:
        response = await http.get(urls.MY_INVITATIONS)
    assert response.status_code == 200, response.text
    return response.json()


async def pass_reply_by(*invitation_ids: int) -> None:
    """Time passes: the offers' reply-by dates are now a second behind us."""
    past = datetime.now(UTC) - timedelta(seconds=1)
    await ShowInvitation.update({ShowInvitation.reply_by: past}).where(ShowInvitation.id.is_in(list(invitation_ids)))


async def notices(show_id: int) -> list[tuple[str, int]]:
    rows = await OutboxMessage.select(OutboxMessage.kind, OutboxMessage.member).where(
        OutboxMessage.event == show_id
    ).order_by(OutboxMessage.id)
    return [(r["kind"], r["member"]) for r in rows]
