"""Coordinators and door staff sign in as members do, with a one-time code, by e-mail only, over
real HTTP in zh-Hans: the code read from a real SMTP server (aiosmtpd on loopback) that the app's
settings point at, or printed for whoever runs the club when it has no mail server. A coordinator
lands on the console, door staff on today's doors, whose links open the door page with a token
of the session's that scans through the API until the session ends (signed out, signed out
from another device, revoked by a coordinator, idle). A staff address typed as a phone, and a stranger's e-mail, get the same page
and nothing; `next` is kept, and a member is never sent to the console.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import httpx
import pytest
from aiosmtpd.controller import Controller

from checkin import urls as door
from club import clock
from club.server.app import create_app
from club.settings import Settings
from club.tables import ApiToken, Role, User
from club.web import urls
from club.web.sessions import end_idle_sessions
from club.web.sign_in import sends_settled
from events import urls as event_urls
from events.reminders.tables import ReminderMessage
from tests.checkin.helpers import door_open_event, nonce, rsvp_and_ticket
from tests.conftest import LiveServer
from tests.factories import Caller, make_member, make_user
from tests.pages import csrf_of, page_client
from tests.reminders.test_email import Inbox, smtp_inbox  # noqa: F401 - the SMTP server fixture
from tests.serving import serving
from tests.web.sign_in_steps import ZH, ask, client_address, enter, new_member, text_of

ON_ITS_WAY = "六位验证码正在发送中"
__all__ = ["MailingClub", "mailing_club", "staff_account"]

_CODE = re.compile(r"\b(\d{6})\b")
_DOOR_LINK = re.compile(r'href="/door/(\d+)(\?item=\d+)?#token=([A-Za-z0-9_\-]+)"')


class MailingClub:
    """The app served with its settings pointing at the test's SMTP server."""

    def __init__(self, base_url: str, settings: Settings, inbox: Inbox) -> None:
        self.base_url, self.settings, self.inbox = base_url, settings, inbox

    async def mail_to(self, address: str) -> list[EmailMessage]:
        await sends_settled()  # the app sends a code after answering, in this event loop
        return [m for m in self.inbox.messages if address in str(m["To"])]

    async def code_for(self, address: str) -> str:
        mails = await self.mail_to(address)
        assert mails, f"no e-mail reached {address}"
        found = _CODE.search(_text(mails[-1]))
        assert found, _text(mails[-1])
        return found.group(1)


def _text(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


@pytest.fixture
async def mailing_club(settings: Settings, smtp_inbox: tuple[Controller, Inbox]) -> AsyncIterator[MailingClub]:  # noqa: F811
    controller, inbox = smtp_inbox
    with_mail = replace(
        settings, smtp_host="127.0.0.1", smtp_port=controller.port, smtp_from="club@maison.test", club_name="Maison Club",
    )
    app = create_app(with_mail, run_worker=False)
    async with serving(app) as base_url:
        yield MailingClub(base_url, replace(with_mail, public_base_url=base_url), inbox)


async def staff_account(role: Role) -> tuple[Caller, str]:
    """A staff or coordinator account (with an API token) and its e-mail address."""
    caller = await make_user(role)
    row = await User.select(User.email).where(User.id == caller.user_id).first()
    assert row is not None
    return caller, str(row["email"])


async def _sign_in(club: MailingClub, browser: httpx.AsyncClient, email: str, *, next: str = "/") -> httpx.Response:
    asked = await ask(browser, email, next=next)
    assert asked.status_code == 200 and ON_ITS_WAY in text_of(asked.text), asked.text
    return await enter(browser, asked.text, await club.code_for(email), next=next)


async def test_a_coordinator_signs_in_with_the_code_e_mailed_to_them_and_lands_on_the_console(
    mailing_club: MailingClub,
) -> None:
    _, email = await staff_account(Role.coordinator)
    async with page_client(mailing_club.base_url, **ZH, **client_address()) as browser:
        answered = await _sign_in(mailing_club, browser, email)
        assert answered.status_code == 303 and answered.headers["location"] == "/console"
        console = await browser.get("/console")
        assert console.status_code == 200 and 'lang="zh-Hans"' in console.text
        assert "今日" in text_of(console.text)
        # The session opens the console, never the API: the API wants a bearer token.
        api = await browser.get(event_urls.EVENTS, headers={"Accept": "application/json"})
        assert api.status_code == 401
    (mail,) = await mailing_club.mail_to(email)
    # Composed as a member's e-mail is, in the language of the page the code was asked from.
    assert mail["From"].addresses[0].addr_spec == "club@maison.test"
    assert mail["Subject"] == "Maison Club登录验证码"
    assert "尊敬的" in _text(mail) and "分钟内有效" in _text(mail) and "/sign-in-link/" in _text(mail)
    assert mail.get_body(preferencelist=("html",)) is not None
    assert "List-Unsubscribe" not in mail
    # A staff account has no member: nothing of its code is in the members' outbox.
    assert not await ReminderMessage.exists().where(ReminderMessage.recipient == email)


async def test_the_e_mails_link_signs_a_coordinator_in_to_the_console_once(mailing_club: MailingClub) -> None:
    _, email = await staff_account(Role.coordinator)
    async with page_client(mailing_club.base_url, **ZH, **client_address()) as browser:
        await ask(browser, email)
        (mail,) = await mailing_club.mail_to(email)
        found = re.search(r"(/sign-in-link/\S+)", _text(mail))
        assert found
        opened = await browser.get(found.group(1))
        assert opened.status_code == 200
        followed = await browser.post(found.group(1), data={"_csrf_token": csrf_of(opened.text)})
        assert followed.status_code == 303 and followed.headers["location"] == "/console"
        again = await browser.post(found.group(1), data={"_csrf_token": csrf_of(opened.text)})
        assert again.status_code == 400


async def test_next_is_kept_for_a_coordinator_and_a_member_is_never_sent_to_the_console(
    mailing_club: MailingClub, server: LiveServer
) -> None:
    _, email = await staff_account(Role.coordinator)
    async with page_client(mailing_club.base_url, **ZH, **client_address()) as browser:
        answered = await _sign_in(mailing_club, browser, email, next="/console/events")
        assert answered.headers["location"] == "/console/events"
        # Signed in already: the sign-in page sends a coordinator on to the console.
        assert (await browser.get("/sign-in")).headers["location"] == "/console"
    # A member asked to go to the console (a shared link) lands on their home page instead.
    from tests.pages import latest_code

    member, member_email = await new_member("王静")
    async with page_client(server.base_url, **ZH, **client_address()) as browser:
        asked = await ask(browser, member_email, next="/console")
        answered = await enter(browser, asked.text, await latest_code(member.member_id), next="/console")  # type: ignore[arg-type]
        assert answered.status_code == 303 and answered.headers["location"] == "/"
        assert (await browser.get("/sign-in?next=/console/events")).headers["location"] == "/"


def _door_links(html: str) -> list[tuple[int, str | None, str]]:
    return [(int(m.group(1)), m.group(2), m.group(3)) for m in _DOOR_LINK.finditer(html)]


async def _scan(base_url: str, token: str, event_id: int, ticket: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=base_url, headers={"Authorization": f"Bearer {token}"}) as api:
        return await api.post(
            event_urls.link(door.SCANS, event_id=event_id), json={"token": ticket, "nonce": nonce(), "gate": "A"}
        )


async def test_door_staff_land_on_todays_doors_whose_links_scan_with_the_sessions_token(
    mailing_club: MailingClub, server: LiveServer, coordinator: Caller
) -> None:
    event = await door_open_event(server, coordinator, title="香水沙龙")
    later = await door_open_event(server, coordinator, title="Far away", starts_at=(
        clock.now() + timedelta(days=10)).isoformat(), ends_at=(clock.now() + timedelta(days=10, hours=2)).isoformat())
    member = await make_member("Isabelle Girard")
    _, ticket = await rsvp_and_ticket(server, member, event["id"])
    assert ticket is not None
    _, email = await staff_account(Role.staff)
    async with page_client(mailing_club.base_url, **ZH, **client_address()) as browser:
        answered = await _sign_in(mailing_club, browser, email)
        assert answered.status_code == 303 and answered.headers["location"] == urls.DOOR_TODAY
        doors = await browser.get(urls.DOOR_TODAY)
        assert doors.status_code == 200
        seen = text_of(doors.text)
        assert "今日入口" in seen and "香水沙龙" in seen and "签到进行中" in seen
        assert "Far away" not in seen
        links = _door_links(doors.text)
        assert [event_id for event_id, _, _ in links] == [event["id"]]
        assert later["id"] not in [event_id for event_id, _, _ in links]
        _, _, token = links[0]
        # The door page opens from the link (its token stays in the fragment, never sent) ...
        page = await browser.get(f"/door/{event['id']}")
        assert page.status_code == 200 and 'lang="zh-Hans"' in page.text
        # ... and the token scans through the API, as door staff's own token would.
        scanned = await _scan(mailing_club.base_url, token, event["id"], ticket)
        assert scanned.status_code == 200 and scanned.json()["result"] == "admitted"
        # The session's own token, named after it; nothing the session can reach beyond the door.
        row = await ApiToken.select(ApiToken.label, ApiToken.user.role.as_alias("role")).where(
            ApiToken.revoked_at.is_null() & ApiToken.label.like("door · session %")
        ).first()
        assert row is not None and row["role"] == "staff"
        async with httpx.AsyncClient(base_url=mailing_club.base_url, headers={"Authorization": f"Bearer {token}"}) as api:
            assert (await api.get(event_urls.link(door.NO_SHOWS, event_id=event["id"]))).status_code == 403

        # Signing out ends the session and its door token with it.
        signed_out = await browser.post(urls.SIGN_OUT, data={"_csrf_token": csrf_of(doors.text)})
        assert signed_out.status_code == 303
    refused = await _scan(mailing_club.base_url, token, event["id"], ticket)
    assert refused.status_code == 401


async def test_a_coordinator_revoking_a_door_session_ends_its_tokens(
    mailing_club: MailingClub, server: LiveServer, coordinator: Caller
) -> None:
    event = await door_open_event(server, coordinator)
    member = await make_member("Isabelle Girard")
    _, ticket = await rsvp_and_ticket(server, member, event["id"])
    assert ticket is not None
    _, email = await staff_account(Role.staff)
    async with page_client(mailing_club.base_url, **ZH, **client_address()) as browser:
        await _sign_in(mailing_club, browser, email)
        # Opening today's doors twice gives two tokens (each shown once); both belong to the session.
        tokens = [_door_links((await browser.get(urls.DOOR_TODAY)).text)[0][2] for _ in range(2)]
        assert tokens[0] != tokens[1]
        session = await ApiToken.select(ApiToken.label).where(ApiToken.label.like("door · session %")).first()
        assert session is not None
        session_id = int(session["label"].rsplit(" ", 1)[1])
        async with server.client(coordinator.token) as api:
            assert (await api.delete(event_urls.link(urls.SESSION, session_id=session_id))).status_code == 204
        for token in tokens:
            assert (await _scan(mailing_club.base_url, token, event["id"], ticket)).status_code == 401
        assert (await browser.get(urls.DOOR_TODAY)).status_code == 303  # signed out too


async def test_a_lost_door_phone_signed_out_from_another_device_loses_its_token(
    mailing_club: MailingClub, server: LiveServer, coordinator: Caller
) -> None:
    event = await door_open_event(server, coordinator)
    member = await make_member("Isabelle Girard")
    _, ticket = await rsvp_and_ticket(server, member, event["id"])
    assert ticket is not None
    _, email = await staff_account(Role.staff)
    async with page_client(mailing_club.base_url, **ZH, **client_address(), **{"User-Agent": "Android Chrome/131.0"}) as lost, \
            page_client(mailing_club.base_url, **ZH, **client_address()) as office:
        await _sign_in(mailing_club, lost, email)
        (_, _, token), = _door_links((await lost.get(urls.DOOR_TODAY)).text)
        await _sign_in(mailing_club, office, email)
        listed = await office.get(urls.SESSIONS_PAGE)
        assert listed.status_code == 200 and "Android · Chrome" in text_of(listed.text)
        lost_session = re.search(r'<h3>Android · Chrome</h3>.*?action="(/sessions/\d+/revoke)"', listed.text, re.DOTALL)
        assert lost_session
        ended = await office.post(lost_session.group(1), data={"_csrf_token": csrf_of(listed.text)})
        assert ended.status_code == 303 and ended.headers["location"] == urls.SESSIONS_PAGE
        assert (await _scan(mailing_club.base_url, token, event["id"], ticket)).status_code == 401
        assert (await lost.get(urls.DOOR_TODAY)).status_code == 303
        assert (await office.get(urls.DOOR_TODAY)).status_code == 200


async def test_an_idle_door_session_ends_with_its_token(
    mailing_club: MailingClub, server: LiveServer, coordinator: Caller
) -> None:
    await door_open_event(server, coordinator)
    _, email = await staff_account(Role.staff)
    idle = timedelta(days=server.settings.session_idle_days)
    async with page_client(mailing_club.base_url, **ZH, **client_address()) as browser:
        await _sign_in(mailing_club, browser, email)
        (_, _, token), = _door_links((await browser.get(urls.DOOR_TODAY)).text)
    with clock.frozen_at(clock.now() + idle + timedelta(minutes=1)):
        assert await end_idle_sessions(idle) == 1
    assert await ApiToken.exists().where(ApiToken.label.like("door · session %") & ApiToken.revoked_at.is_null()) is False
    async with server.client(token) as api:
        assert (await api.get(door.PUBLIC_KEY)).status_code == 401


async def test_a_staff_address_as_a_phone_and_a_strangers_e_mail_get_the_same_page_and_nothing(
    mailing_club: MailingClub,
) -> None:
    _, email = await staff_account(Role.staff)
    async with page_client(mailing_club.base_url, **ZH, **client_address()) as browser:
        staff_page = await ask(browser, email)
        phone_page = await ask(browser, "+86 139 1234 5678")
        stranger_page = await ask(browser, "nobody@staff.test")
    assert staff_page.status_code == phone_page.status_code == stranger_page.status_code == 200
    blank = re.compile(r'value="[^"]*"')
    assert blank.sub("", staff_page.text).replace(email, "X") == blank.sub("", stranger_page.text).replace("nobody@staff.test", "X")
    assert ON_ITS_WAY in text_of(phone_page.text)
    await sends_settled()
    assert [str(m["To"]) for m in mailing_club.inbox.messages] == [str(m["To"]) for m in await mailing_club.mail_to(email)]
    assert len(mailing_club.inbox.messages) == 1
    assert not await ReminderMessage.exists().where(ReminderMessage.delivery_key.like("sign-in:%"))


async def test_without_a_mail_server_a_staff_code_is_printed_for_whoever_runs_the_club(
    server: LiveServer, capsys: pytest.CaptureFixture[str]
) -> None:
    _, email = await staff_account(Role.staff)
    async with page_client(server.base_url, **ZH, **client_address()) as browser:
        asked = await ask(browser, email)
        await sends_settled()
        printed = re.search(rf"Sign-in code for {re.escape(email)}: (\d{{6}})", capsys.readouterr().out)
        assert printed, "the code was not printed"
        assert not await ReminderMessage.exists().where(ReminderMessage.recipient == email)
        answered = await enter(browser, asked.text, printed.group(1))
        assert answered.status_code == 303 and answered.headers["location"] == urls.DOOR_TODAY


async def test_todays_doors_are_the_clubs_day_on_the_clubs_clock(server: LiveServer, coordinator: Caller) -> None:
    paris = ZoneInfo(server.settings.club_time_zone)
    morning = datetime(2026, 12, 11, 9, 0, tzinfo=paris)

    async def salon(title: str, starts: datetime, hours: int = 2, *, publish: bool = True) -> dict[str, object]:
        body = {"title": title, "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=hours)).isoformat()}
        if publish:
            from tests.events.helpers import published_event

            return await published_event(server, coordinator, **body)
        from tests.events.helpers import event_body

        async with server.client(coordinator.token) as http:
            made = await http.post(event_urls.EVENTS, json=event_body(**body))
            assert made.status_code == 201, made.text
            return dict(made.json())

    with clock.frozen_at(morning - timedelta(days=3)):
        yesterday = await salon("Yesterday's salon", morning - timedelta(hours=14))  # ends 22:00 the day before
        await salon("Morning salon", morning + timedelta(hours=1))  # open: doors from 07:00
        await salon("Evening salon", morning + timedelta(hours=10))  # opens 16:00
        await salon("Night salon", morning + timedelta(hours=16))  # 01:00 tomorrow: doors open at 22:00 today
        await salon("Tomorrow's salon", morning + timedelta(days=1, hours=10))
        await salon("A draft", morning + timedelta(hours=2), publish=False)
        called_off = await salon("Called-off salon", morning + timedelta(hours=5))
        async with server.client(coordinator.token) as http:
            assert (await http.post(event_urls.link(event_urls.EVENT_CANCEL, event_id=called_off["id"]))).status_code == 200
    staff = await make_user(Role.staff)
    with clock.frozen_at(morning):
        async with page_client(server.base_url, **ZH, Authorization=f"Bearer {staff.token}") as browser:
            doors = await browser.get(urls.DOOR_TODAY)
    assert doors.status_code == 200
    seen = text_of(doors.text)
    assert "2026年12月11日（周五）" in seen
    titles = re.findall(r'class="door-link" href="[^"]+">([^<]+)</a>', doors.text)
    assert titles == ["Morning salon", "Called-off salon", "Evening salon", "Night salon"]
    assert yesterday["title"] not in seen
    assert "活动已取消" in seen and "签到进行中" in seen and "签到尚未开始" in seen
    assert "签到将于 2026年12月11日（周五）16:00 开始。" in seen
    # A bearer token (no session) gets plain links: the door page asks for its token.
    assert "#token=" not in doors.text
