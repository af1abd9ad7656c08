"""Member services: join, find, update, suspend; each change in one transaction."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from club import clock
from club.accounts import create_user
from club.db import is_sqlite, write_transaction
from club.errors import Conflict, InvalidInput, NotFound
from club.honours.next_tier import next_tiers_of
from club.honours.rules import NextTier, TierStep, next_tier
from club.honours.schemas import next_tier_out
from club.i18n.languages import canonical_tag
from club.ledger import balances_of
from club.locking import lock_objects
from club.phones import InvalidPhone, e164
from club.referrals import AT_ENROLMENT, ReferralPolicy, award_withheld, earn_referral
from club.rows import Row, row_as, rows_as
from club.schemas import MemberOut, MemberUpdate, MeUpdate, to_dict
from club.spend.figures import rolling_spends_of
from club.statements import fetch
from club.tables import Member, MemberStatus, Role, User
from club.tiers import reevaluate_member
from club.token_cache import forget_user
from club.web.sessions import end_member_sessions

__all__ = [
    "check_language",
    "check_phone",
    "create_member",
    "get_member",
    "list_members",
    "member_out",
    "set_status",
    "update_member",
]

_FIELDS = (
    Member.id,
    Member.name,
    Member.email,
    Member.phone,
    Member.birthday,
    Member.language,
    Member.time_zone,
    Member.status,
    Member.joined_on,
    Member.referred_by,
    Member.tier.name.as_alias("tier_name"),
    Member.queued_tier.name.as_alias("queued_name"),
)


class MemberRow(Row, frozen=True):
    """A member as `_FIELDS` selects it: their record, with their tier's names joined."""

    id: int
    name: str
    email: str
    phone: str | None
    birthday: date | None
    language: str
    time_zone: str
    status: MemberStatus
    joined_on: date
    referred_by: int | None
    tier_name: str | None
    queued_name: str | None


def check_time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("{name!r} is not a known time zone; use an IANA name like 'Asia/Shanghai'.", text_values={"name": name}) from None
    return name


def check_language(tag: str) -> str:
    """The canonical form of a member's language tag (`zh-TW` is stored "zh-Hant-TW")."""
    canonical = canonical_tag(tag)
    # A spelled-out script makes a tag longer (`zh-TW`, "zh-Hant-TW"); the column holds 16.
    if canonical is None or len(canonical) > 16:
        raise InvalidInput(
            "The language is not a language tag the club knows; use one like zh-Hans, zh-TW or fr.",
            field="language",
        )
    return canonical


def check_phone(phone: str | None, region: str) -> str | None:
    """The number in E.164; one written without its country code is read as `region`'s."""
    if phone is None:
        return None
    try:
        return e164(phone, region)
    except InvalidPhone:
        raise InvalidInput(
            "The phone number is not a valid number; write it with its country code, like +86 138 0013 8000.",
            field="phone",
        ) from None


def _check_birthday(birthday: date | None, today: date) -> None:
    if birthday is not None and not (date(1900, 1, 1) <= birthday <= today):
        raise InvalidInput("The birthday must be a past date after 1900.")


async def _user_ids(member_ids: list[int]) -> dict[int, int]:
    if not member_ids:
        return {}
    rows = await User.select(User.id, User.member).where(User.member.is_in(member_ids))
    return {r["member"]: r["id"] for r in rows}


def member_out(row: MemberRow, points: int, user_id: int | None, next_tier: NextTier) -> MemberOut:
    return MemberOut(
        id=row.id,
        user_id=user_id,
        name=row.name,
        email=row.email,
        phone=row.phone,
        birthday=row.birthday,
        language=row.language,
        time_zone=row.time_zone,
        status=row.status,
        joined_on=row.joined_on,
        referred_by=row.referred_by,
        tier=row.tier_name,
        queued_for_tier=row.queued_name,
        points=points,
        next_tier=next_tier_out(next_tier),
    )


async def _outs(rows: list[MemberRow]) -> list[MemberOut]:
    ids = [r.id for r in rows]
    balances = await balances_of(ids)
    users = await _user_ids(ids)
    nexts = await next_tiers_of(ids)
    return [member_out(r, balances.get(r.id, 0), users.get(r.id), nexts[r.id]) for r in rows]


class MemberRecordRow(MemberRow, frozen=True):
    """A member as `_RECORD_SQL` reads them: the record, their user and their balance."""

    user_id: int | None
    points: int
    tier_rank: int | None
    queued_rank: int | None
    next_rank: int | None
    next_name: str | None
    next_threshold: int | None
    next_spend_threshold: int | None
    next_spend_currency: str | None

    def next_tier(self, spend: dict[str, int] | None = None) -> NextTier:
        """The tier above theirs (read in the same statement) and the one they wait for, as the shared rule
        reads them; `spend`, their rolling twelve months, is read only where `asks_spend` says."""
        steps = [TierStep(self.next_name, self.next_rank, self.next_threshold, self.next_spend_threshold,
                          self.next_spend_currency or "")] if (
            self.next_rank is not None and self.next_name is not None and self.next_threshold is not None) else []
        if self.queued_rank is not None and self.queued_name is not None:
            steps.append(TierStep(self.queued_name, self.queued_rank, 0))
        return next_tier(steps, self.tier_rank, self.queued_rank, self.points, spend)

    def asks_spend(self) -> bool:
        return self.queued_rank is None and self.next_spend_threshold is not None


# One member's record in one round trip (GET /api/me asks it on every call): `_FIELDS`' columns
# with the member's user and their balance, as SQL written once (Piccolo would build the same
# joins again for every request, and take three round trips for the three). The balance is the
# ledger's sum as the database keeps it on the member's row.
_RECORD_SQL = (
    "SELECT m.id, m.name, m.email, m.phone, m.birthday, m.language, m.time_zone, m.status, m.joined_on, "
    "m.referred_by, t.name AS tier_name, q.name AS queued_name, "
    "(SELECT MAX(u.id) FROM club_user u WHERE u.member = m.id) AS user_id, "
    "m.points_balance AS points, t.rank AS tier_rank, q.rank AS queued_rank, "
    # The rung above theirs, for the points to the next tier (club.honours.rules.next_tier).
    "(SELECT MIN(n.rank) FROM tier n WHERE n.rank > COALESCE(t.rank, -1)) AS next_rank, "
    "(SELECT n.name FROM tier n WHERE n.rank > COALESCE(t.rank, -1) ORDER BY n.rank LIMIT 1) AS next_name, "
    "(SELECT n.points_threshold FROM tier n WHERE n.rank > COALESCE(t.rank, -1) ORDER BY n.rank LIMIT 1) AS next_threshold, "
    "(SELECT n.spend_threshold FROM tier n WHERE n.rank > COALESCE(t.rank, -1) ORDER BY n.rank LIMIT 1) AS next_spend_threshold, "
    "(SELECT n.spend_currency FROM tier n WHERE n.rank > COALESCE(t.rank, -1) ORDER BY n.rank LIMIT 1) AS next_spend_currency "
    "FROM member m LEFT JOIN tier t ON t.id = m.tier LEFT JOIN tier q ON q.id = m.queued_tier "
    "WHERE m.id = {}"
)


async def get_member(member_id: int) -> MemberOut:
    rows = await fetch(_RECORD_SQL, member_id)
    if not rows:
        raise NotFound("Member {member_id} does not exist.", text_values={"member_id": member_id})
    row = row_as(MemberRecordRow, rows[0])
    # A second statement only where the next tier asks a yearly spend (most ladders ask none).
    spend = (await rolling_spends_of([member_id])).get(member_id) if row.asks_spend() else None
    return member_out(row, row.points, row.user_id, row.next_tier(spend))


async def list_members(
    tier: str | None = None,
    status: MemberStatus | None = None,
    text: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[MemberOut]:
    query = Member.select(*_FIELDS).order_by(Member.id).limit(limit).offset(offset)
    if tier is not None:
        query = query.where(Member.tier.name == tier)
    if status is not None:
        query = query.where(Member.status == MemberStatus(status).value)
    if text:
        # Wildcards typed by the user are dropped (Piccolo has no LIKE ... ESCAPE): '%' finds all.
        pattern = "%" + text.replace("\\", "").replace("%", "").replace("_", "") + "%"
        # SQLite's LIKE already ignores ASCII case; ILIKE exists only on PostgreSQL.
        like = "like" if is_sqlite() else "ilike"
        query = query.where(getattr(Member.name, like)(pattern) | getattr(Member.email, like)(pattern))
    return await _outs(rows_as(MemberRow, await query))


async def create_member(
    *,
    name: str,
    email: str,
    phone: str | None,
    birthday: date | None,
    language: str,
    time_zone: str,
    joined_on: date,
    referred_by: int | None,
    referrals: ReferralPolicy | None = None,
    phone_region: str = "CN",
) -> MemberOut:
    """A new member with their account; they start on the tier zero points earn. A club that
    pays referrals on enrolment (`referrals`) pays the referrer here, in the same transaction.
    The phone is stored in E.164 (read with `phone_region` when it has no country code), the
    language as its canonical tag."""
    check_time_zone(time_zone)
    phone = check_phone(phone, phone_region)
    language = check_language(language)
    _check_birthday(birthday, clock.today(time_zone))
    email = email.strip().lower()
    async with write_transaction():
        if await Member.exists().where(Member.email == email):
            raise Conflict("A member with the email {email} already exists.", text_values={"email": email})
        if referred_by is not None and not await Member.exists().where(Member.id == referred_by):
            raise InvalidInput("The referring member {referred_by} does not exist.", text_values={"referred_by": referred_by})
        rows = await Member.insert(
            Member(
                name=name.strip(),
                email=email,
                phone=phone,
                birthday=birthday,
                language=language,
                time_zone=time_zone,
                status=MemberStatus.active.value,
                joined_on=joined_on,
                referred_by=referred_by,
            )
        ).returning(Member.id)
        member_id = rows[0]["id"]
        await create_user(Role.member, name.strip(), email, member_id=member_id)
        await reevaluate_member(member_id, 0)
        await earn_referral(member_id, AT_ENROLMENT, referrals or ReferralPolicy())
    return await get_member(member_id)


async def update_member(member_id: int, update: MemberUpdate | MeUpdate, phone_region: str = "CN") -> MemberOut:
    """Apply the fields a PATCH set (a coordinator's, or a member's own). Tier and points are
    not fields: see club.points. Phone and language are checked and stored as create_member does."""
    changes = to_dict(update)
    if "phone" in changes:
        changes["phone"] = check_phone(changes["phone"], phone_region)
    if "language" in changes:
        changes["language"] = check_language(changes["language"])
    if "time_zone" in changes:
        check_time_zone(changes["time_zone"])
    if "birthday" in changes:
        # The latest "today" on Earth: a birthday that is today anywhere is not in the future.
        _check_birthday(changes["birthday"], clock.today("Etc/GMT-14"))
    if "email" in changes:
        changes["email"] = changes["email"].strip().lower()
    if "status" in changes:
        changes["status"] = MemberStatus(changes["status"]).value
    async with write_transaction():
        await lock_objects((Member, member_id))
        if not await Member.exists().where(Member.id == member_id):
            raise NotFound("Member {member_id} does not exist.", text_values={"member_id": member_id})
        if "email" in changes and await Member.exists().where(
            (Member.email == changes["email"]) & (Member.id != member_id)
        ):
            raise Conflict("A member with the email {email} already exists.", text_values={"email": changes["email"]})
        if changes:
            await Member.update({getattr(Member, k): v for k, v in changes.items()}).where(
                Member.id == member_id
            )
            account = {k: changes[k] for k in ("name", "email") if k in changes}
            if account:
                await User.update({getattr(User, k): v for k, v in account.items()}).where(
                    User.member == member_id
                )
        if changes.get("status") == MemberStatus.suspended.value:
            # A suspended member is signed out of every browser at once.
            await end_member_sessions(member_id)
        if changes.get("status") == MemberStatus.active.value:
            # Referrals earned while suspended were withheld; reactivation pays them.
            await award_withheld(member_id)
    member = await get_member(member_id)
    if changes and member.user_id is not None:
        # Their name, language or time zone rides with their token: no process keeps the old.
        await forget_user(member.user_id)
    return member


async def set_status(member_id: int, status: MemberStatus) -> MemberOut:
    return await update_member(member_id, MemberUpdate(status=status))

