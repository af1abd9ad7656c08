"""Passwordless sign-in: a one-time code (and, by e-mail, a link) sent to a member's address.

`ask_for_code` answers the same for any address that reads as one: a challenge to type the code
into. Only a member's address (an active membership) or a staff or coordinator account's e-mail
gets a code; the others get a challenge that no code opens, so neither the answer nor the page
after it tells whether an address is anyone's. Staff and coordinators sign in by e-mail only: their
accounts have no phone, and a phone never finds one.
Codes live `settings.sign_in_code_minutes`, take `settings.sign_in_code_tries` tries, and open
once; the code and link are kept as HMACs under the club's key, so the table signs no one in,
and a daily sweep deletes the codes past their end (`purge_dead_codes`).

Sending is the channels' work (events.reminders, a layer above): `provide_code_sender` sets it.
The code is sent after the answer, not before it: an answer that waited for the mail server when
the address is a member's would tell by its time what its words do not. `sends_settled()` waits
for the sends under way (the app's shutdown, and tests reading the outbox).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from club import clock
from club.db import write_transaction
from club.i18n.languages import Language
from club.locking import lock_objects
from club.phones import InvalidPhone, e164
from club.settings import Settings
from club.signed_links import BadLink, open_link, sign_link
from club.tables import Member, MemberStatus, Role, SignInCode, User

__all__ = [
    "Address",
    "AddressKind",
    "CodeCheck",
    "CodeOutcome",
    "CodeToSend",
    "SignedIn",
    "ask_for_code",
    "check_code",
    "open_sign_in_link",
    "parse_address",
    "provide_code_sender",
    "purge_dead_codes",
    "sends_settled",
]

_CHALLENGE = "sign-in-challenge"


class AddressKind(StrEnum):
    email = "email"
    phone = "phone"


@dataclass(frozen=True, slots=True)
class Address:
    kind: AddressKind
    value: str  # an e-mail lower-cased, a phone in E.164

    @property
    def digest(self) -> str:
        """The address as the table and the rate limiter know it."""
        return hashlib.sha256(f"{self.kind}:{self.value}".encode()).hexdigest()


def parse_address(text: str, phone_region: str) -> Address | None:
    """What the member typed, as an e-mail or a phone number; None for neither. Full-width
    forms (a Chinese keyboard's ＠ and digits) read as their ASCII ones."""
    text = unicodedata.normalize("NFKC", text).strip()
    if "@" in text:
        local, _, domain = text.rpartition("@")
        if local and "." in domain and len(text) <= 254 and " " not in text:
            return Address(AddressKind.email, text.lower())
        return None
    try:
        return Address(AddressKind.phone, e164(text, phone_region))
    except InvalidPhone:
        return None


@dataclass(frozen=True, slots=True)
class CodeToSend:
    user_id: int
    member_id: int | None  # None: a staff or coordinator account (no member, so no outbox row)
    channel: AddressKind
    recipient: str
    code: str
    link_url: str  # for an e-mail: the one-click sign-in
    key: str  # its delivery key: a retry of the same code is one message
    minutes: int
    # The language of the page the code was asked from: a staff account has none of its own.
    page_language: Language | None = None


CodeSender = Callable[[CodeToSend, Settings], Coroutine[Any, Any, None]]
_sender: CodeSender | None = None


def provide_code_sender(sender: CodeSender) -> None:
    global _sender
    _sender = sender


# Held until done: the event loop keeps only weak references to its tasks.
_sending: set[asyncio.Task[None]] = set()


def _send_later(code: CodeToSend, settings: Settings) -> None:
    if _sender is None:
        return
    task = asyncio.get_running_loop().create_task(_sender(code, settings), name=f"send {code.key}")
    _sending.add(task)
    task.add_done_callback(_sending.discard)


async def sends_settled() -> None:
    """Wait for the codes being sent (each sender logs its own failure)."""
    while _sending:
        await asyncio.gather(*list(_sending), return_exceptions=True)


def _mac(settings: Settings, what: str, text: str) -> str:
    key = hashlib.sha256(f"club-sign-in:{settings.secret_key}".encode()).digest()
    return hmac.new(key, f"{what}:{text}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class _Account:
    user_id: int
    member_id: int | None


# Who may sign in without a membership: an account with no member behind it.
_STAFF_ROLES = (Role.staff.value, Role.coordinator.value)


async def _account_at(address: Address) -> _Account | None:
    """The account a code for `address` signs in: the active member's at that e-mail or phone,
    else the staff or coordinator account with that e-mail. Both reads run for any e-mail that
    is no member's, so a stranger's address costs what a staff address costs."""
    column = Member.email if address.kind is AddressKind.email else Member.phone
    member = await Member.select(Member.id, Member.status).where(column == address.value).first()
    if member is not None:
        if member["status"] != MemberStatus.active.value:
            return None
        user = await User.select(User.id).where(User.member == member["id"]).first()
        return _Account(int(user["id"]), int(member["id"])) if user else None
    if address.kind is not AddressKind.email:
        return None
    staff = await User.select(User.id).where(
        (User.email == address.value) & User.member.is_null() & User.role.is_in(list(_STAFF_ROLES))
    ).first()
    return _Account(int(staff["id"]), None) if staff else None


async def ask_for_code(address: Address, settings: Settings, link_base: str, page_language: Language | None = None) -> str:
    """Make a code for `address` and send it if the address is an account's (a member's, or a
    staff or coordinator e-mail); the challenge the code page carries (a signed reference to the
    code, the same kind of answer for anyone). `page_language` is the asking page's, for a
    message to an account with no language of its own."""
    code = f"{secrets.randbelow(10**6):06d}"
    link_secret = secrets.token_urlsafe(24)
    now = clock.now()
    found = await _account_at(address)
    async with write_transaction():
        rows = await SignInCode.insert(SignInCode(
            address_hash=address.digest, user=found.user_id if found else None,
            code_hash=_mac(settings, "code", f"{address.digest}:{code}"),
            link_hash=_mac(settings, "link", link_secret), created_at=now,
            expires_at=now + timedelta(minutes=settings.sign_in_code_minutes), tries=0,
        )).returning(SignInCode.id)
    code_id = int(rows[0]["id"])
    if found is not None:
        _send_later(CodeToSend(
            user_id=found.user_id, member_id=found.member_id, channel=address.kind, recipient=address.value, code=code,
            link_url=link_base + link_secret, key=f"sign-in:{code_id}", minutes=settings.sign_in_code_minutes,
            page_language=page_language,
        ), settings)
    return sign_link(settings.secret_key, _CHALLENGE, code_id)


class CodeOutcome(StrEnum):
    signed_in = "signed_in"
    wrong = "wrong"  # tries are left
    dead = "dead"  # expired, used, its tries spent, or no code at all


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Whom a code or a link signed in, and as what (where their pages start)."""

    user_id: int
    role: Role


@dataclass(frozen=True, slots=True)
class CodeCheck:
    outcome: CodeOutcome
    signed_in: SignedIn | None = None
    tries_left: int = 0


async def _may_sign_in(user_id: int) -> SignedIn | None:
    """The account as it stands now: a member's while the membership is active (a suspension
    between the code and its use refuses it), a staff or coordinator account's as long as it
    has no member behind it."""
    row = await User.select(
        User.role, User.member, User.member.status.as_alias("status")
    ).where(User.id == user_id).first()
    if row is None:
        return None
    if row["member"] is not None:
        return SignedIn(user_id, Role(row["role"])) if row["status"] == MemberStatus.active.value else None
    return SignedIn(user_id, Role(row["role"])) if row["role"] in _STAFF_ROLES else None


async def check_code(challenge: str, code: str, settings: Settings) -> CodeCheck:
    """Try `code` against the challenge's code: one transaction, the code's row locked, so two
    tries at once count as two and a code opens once."""
    try:
        (code_id,) = open_link(settings.secret_key, _CHALLENGE, challenge, 1)
    except BadLink:
        return CodeCheck(CodeOutcome.dead)
    # The code's digits as the member typed them: a Chinese keyboard's full-width １２３ are 123,
    # and spaces or dashes are nothing (str.isdigit would keep ١ or １ and never match).
    code = "".join(ch for ch in unicodedata.normalize("NFKC", code) if ch in "0123456789")
    async with write_transaction():
        await lock_objects((SignInCode, int(code_id)))
        row = await SignInCode.select().where(SignInCode.id == int(code_id)).first()
        if row is None or row["used_at"] is not None or row["tries"] >= settings.sign_in_code_tries:
            return CodeCheck(CodeOutcome.dead)
        if clock.now() >= clock.aware(row["expires_at"]):
            return CodeCheck(CodeOutcome.dead)
        expected = row["code_hash"]
        given = _mac(settings, "code", f"{row['address_hash']}:{code}")
        matches = row["user"] is not None and hmac.compare_digest(expected, given)
        account = await _may_sign_in(int(row["user"])) if matches else None
        if account is None:
            tries = int(row["tries"]) + 1
            await SignInCode.update({SignInCode.tries: tries}).where(SignInCode.id == row["id"])
            left = settings.sign_in_code_tries - tries
            return CodeCheck(CodeOutcome.wrong if left > 0 else CodeOutcome.dead, tries_left=left)
        await SignInCode.update({SignInCode.used_at: clock.now()}).where(SignInCode.id == row["id"])
        return CodeCheck(CodeOutcome.signed_in, signed_in=account)


async def open_sign_in_link(secret: str, settings: Settings) -> SignedIn | None:
    """Whom an e-mail's sign-in link signs in (once, while its code lives), or None."""
    if len(secret) > 100:
        return None
    link_hash = _mac(settings, "link", secret)
    async with write_transaction():
        row = await SignInCode.select(SignInCode.id).where(SignInCode.link_hash == link_hash).first()
        if row is None:
            return None
        await lock_objects((SignInCode, int(row["id"])))
        row = await SignInCode.select().where(SignInCode.id == row["id"]).first()
        assert row is not None
        if (row["user"] is None or row["used_at"] is not None or row["tries"] >= settings.sign_in_code_tries
                or clock.now() >= clock.aware(row["expires_at"])):
            return None
        account = await _may_sign_in(int(row["user"]))
        if account is None:
            return None
        await SignInCode.update({SignInCode.used_at: clock.now()}).where(SignInCode.id == row["id"])
        return account


async def purge_dead_codes() -> int:
    """Delete the codes past their end: one row is written per code asked for, and one that has
    expired signs no one in (`check_code` and `open_sign_in_link` answer a missing code as a dead
    one), so keeping it would only grow the table. How many went. Daily (club.jobs)."""
    async with write_transaction():
        gone = await SignInCode.delete().where(SignInCode.expires_at <= clock.now()).returning(SignInCode.id)
    return len(gone)
