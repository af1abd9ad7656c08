"""The no-show gate over real HTTP: a coordinator sets the club's rule, and a member it names
with too many no-shows lately joins the waitlist of an event with free seats, their RSVP saying
why in their language; the rule off (or not about them) changes nothing, and costs no statement."""

from __future__ import annotations

from datetime import timedelta

from checkin.tables import CheckIn, NoShow
from club import clock
from club.tables import Member
from events import urls
from events.tables import Rsvp
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller, make_member
from tests.measures.builders import event as past_event
from tests.measures.builders import tier_id
from tests.test_query_counts import counting_statements

RULE = "/api/no-show-rule"
DAY = timedelta(days=1)


async def _missed(member_id: int, days_ago: int, *, undone: bool = False) -> None:
    """A no-show recorded `days_ago`; `undone`: a late admission to the same RSVP stands."""
    when = clock.now() - days_ago * DAY
    e = await past_event(when - timedelta(hours=3))
    [r] = await Rsvp.insert(Rsvp(event=e, member=member_id, rsvp_key=f"{e}:{member_id}", status="confirmed",
                                 created_at=when - 5 * DAY, confirmed_at=when - 5 * DAY)).returning(Rsvp.id)
    await NoShow.insert(NoShow(event=e, member=member_id, rsvp=r["id"], no_show_key=f"{e}:{member_id}", recorded_at=when))
    if undone:
        await CheckIn.insert(CheckIn(event=e, rsvp=r["id"], member=member_id, checked_in_at=when, admission_key=str(r["id"])))


async def _member(name: str, tier: str = "Silver", missed: tuple[int, ...] = (), undone: int = -1,
                  language: str = "zh_Hans") -> Caller:
    who = await make_member(name, language=language)
    await Member.update({Member.tier: await tier_id(tier)}).where(Member.id == who.member_id)
    for i, days in enumerate(missed):
        await _missed(who.member_id, days, undone=i == undone)  # type: ignore[arg-type]
    return who


async def _rsvp(server: LiveServer, who: Caller, event_id: int, language: str = "zh-CN") -> dict[str, object]:
    async with server.client(who.token) as http:
        answer = await http.post(urls.link(urls.EVENT_RSVP, event_id=event_id), json={"guests": 0},
                                 headers={"Accept-Language": language})
    assert answer.status_code in (200, 201), answer.text
    return dict(answer.json())


async def _set_rule(server: LiveServer, coordinator: Caller, **rule: object) -> dict[str, object]:
    async with server.client(coordinator.token) as http:
        answer = await http.put(RULE, json=rule)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def test_the_rule_off_seats_everyone_and_reads_nothing_more(server: LiveServer, coordinator: Caller) -> None:
    event = await published_event(server, coordinator, capacity=10)
    often = await _member("Often", missed=(10, 20, 30))
    async with server.client(coordinator.token) as http:
        shown = (await http.get(RULE)).json()
    assert (shown["enabled"], shown["no_shows"], shown["months"], shown["tiers"]) == (False, 3, 6, [])
    assert (await _rsvp(server, often, event["id"]))["status"] == "confirmed"
    # Off, the rule is read inside the RSVP's own first statement: a saved rule that is off costs
    # the same statements as no rule at all; on, for a member it names, one count more.
    plain, saved_off, on = await _member("Plain"), await _member("SavedOff"), await _member("On")
    await published_event(server, coordinator, capacity=10)
    with counting_statements() as none_saved:
        await _rsvp(server, plain, event["id"])
    await _set_rule(server, coordinator, enabled=False, no_shows=3, months=6, tiers=["Silver"])
    with counting_statements() as off:
        await _rsvp(server, saved_off, event["id"])
    await _set_rule(server, coordinator, enabled=True, no_shows=3, months=6, tiers=["Silver"])
    with counting_statements() as counted:
        await _rsvp(server, on, event["id"])
    assert off.statements == none_saved.statements
    assert counted.statements == none_saved.statements + 1


async def test_a_member_with_three_no_shows_this_half_year_waits_and_is_told_why(
    server: LiveServer, coordinator: Caller,
) -> None:
    saved = await _set_rule(server, coordinator, enabled=True, no_shows=3, months=6, tiers=["Silver"])
    assert saved["tiers"] == ["Silver"] and saved["enabled"] is True
    event = await published_event(server, coordinator, capacity=10)
    often = await _member("Often", missed=(10, 40, 150))
    old = await _member("Old", missed=(10, 40, 250))  # the third is older than six months
    undone = await _member("Undone", missed=(10, 40, 150), undone=1)  # a late admission undid one
    gold = await _member("Gold", tier="Gold", missed=(10, 40, 150))  # not a tier the rule names
    waiting = await _rsvp(server, often, event["id"])
    assert (waiting["status"], waiting["position"]) == ("waitlisted", 1)
    assert waiting["gate_reason"] == "您近6个月已有3次未到场，本次先进入候补名单。"
    for who in (old, undone, gold):
        seated = await _rsvp(server, who, event["id"])
        assert (seated["status"], seated["gate_reason"]) == ("confirmed", None)
    async with server.client(often.token) as http:
        again = (await http.get(urls.link(urls.RSVP, rsvp_id=waiting["id"]), headers={"Accept-Language": "zh-TW"})).json()
        page = await http.get(f"/events/{event['id']}", headers={"Accept-Language": "zh-CN"})
    assert again["gate_reason"] == "您近6个月已有3次未到场，本次先进入候补名单。"  # their own language
    assert "您近6个月已有3次未到场，本次先进入候补名单。" in page.text
    # A seat that frees up is theirs in turn, as for anyone waiting.
    async with server.client(gold.token) as http:
        [mine] = [r for r in (await http.get(urls.MY_RSVPS)).json() if r["event_id"] == event["id"]]
        assert (await http.delete(urls.link(urls.RSVP, rsvp_id=mine["id"]))).status_code == 200
    async with server.client(often.token) as http:
        promoted = (await http.get(urls.link(urls.RSVP, rsvp_id=waiting["id"]))).json()
    assert (promoted["status"], promoted["gate_reason"]) == ("confirmed", None)


async def test_no_tiers_named_is_every_member_and_a_rule_off_again_seats_them(server: LiveServer, coordinator: Caller) -> None:
    await _set_rule(server, coordinator, enabled=True, no_shows=2, months=3)
    event = await published_event(server, coordinator, capacity=10)
    gold = await _member("Gold", tier="Gold", missed=(5, 50), language="en")
    answer = await _rsvp(server, gold, event["id"], language="en")
    assert answer["status"] == "waitlisted"
    assert answer["gate_reason"] == "You have missed 2 events in the last 3 months, so this time you join the waitlist first."
    await _set_rule(server, coordinator, enabled=False)
    later = await published_event(server, coordinator, capacity=10)
    assert (await _rsvp(server, gold, later["id"]))["status"] == "confirmed"


async def test_the_rule_is_for_coordinators_and_bad_rules_are_refused(
    server: LiveServer, coordinator: Caller, member: Caller,
) -> None:
    async with server.client(member.token) as http:
        assert (await http.get(RULE)).status_code == 403
        assert (await http.put(RULE, json={"enabled": True})).status_code == 403
    async with server.client(coordinator.token) as http:
        answers = [
            await http.put(RULE, json={"enabled": True, "tiers": ["Obsidian"]}),
            await http.put(RULE, json={"enabled": True, "no_shows": 0}),
            await http.put(RULE, json={"enabled": True, "months": 37}),
            await http.put(RULE, json={"enabled": True, "season": "winter"}),
        ]
    assert [a.status_code for a in answers] == [400, 400, 400, 400]
    assert all(a.headers["content-type"].startswith("application/problem+json") for a in answers)
