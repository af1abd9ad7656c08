"""Calendars in the member's language (issue 13): the invite's alarm, and the feed's name and
alarms, which calendar apps fetch without a token or a useful Accept-Language."""

from __future__ import annotations

from icalendar import Calendar

from events import urls
from tests.conftest import LiveServer
from tests.events.helpers import published_event
from tests.factories import Caller, make_member


async def test_a_members_invite_and_feed_speak_their_language(server: LiveServer, coordinator: Caller) -> None:
    event = await published_event(server, coordinator, title="香氛沙龙")
    for tag, alarm, feed_name in (("zh-Hans", "明日：香氛沙龙", "我的会员活动"), ("zh-Hant", "明日：香氛沙龙", "我的會員活動")):
        member = await make_member("王美", language=tag)
        async with server.client(member.token) as http:
            rsvp = (await http.post(urls.link(urls.EVENT_RSVP, event_id=event["id"]), json={})).json()
            invite = Calendar.from_ical((await http.get(urls.link(urls.RSVP_INVITE, rsvp_id=rsvp["id"]))).content)
            issued = (await http.post(urls.MY_CALENDAR_FEED)).json()
        assert [str(a["DESCRIPTION"]) for a in invite.walk("VALARM")] == [alarm]
        async with server.client() as anonymous:  # a calendar app: no token, no Accept-Language
            feed = Calendar.from_ical((await anonymous.get(issued["url"].removeprefix("http://testserver"))).content)
        assert str(feed["X-WR-CALNAME"]) == feed_name
        assert [str(a["DESCRIPTION"]) for a in feed.walk("VALARM")] == [alarm]
    # The club's language (English in the tests) for a member without one of the club's.
    member = await make_member("Claire", language="fr")
    async with server.client(member.token) as http:
        await http.post(urls.link(urls.EVENT_RSVP, event_id=event["id"]), json={})
        issued = (await http.post(urls.MY_CALENDAR_FEED)).json()
    async with server.client() as anonymous:
        feed = Calendar.from_ical((await anonymous.get(issued["url"].removeprefix("http://testserver"))).content)
    assert str(feed["X-WR-CALNAME"]) == "My club events"
    assert [str(a["DESCRIPTION"]) for a in feed.walk("VALARM")] == ["Tomorrow: 香氛沙龙"]
