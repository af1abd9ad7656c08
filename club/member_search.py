"""Finding members for the console: one box (a name, an e-mail address or a phone number, or a
part of one) and a tier, read a page at a time in name order.

Pages follow each other by keyset, never by OFFSET: the next page starts after the last member
shown, `(name, id) > (that member's name, id)`, so page 200 of a club of 100,000 costs what page 1
does, and a member enrolled meanwhile neither repeats nor hides a row. On PostgreSQL the box is
matched through trigram indexes (pg_trgm, club_2026_12_06t13_47_00_000000), so a part of a name
in the middle of 100,000 finds its members without reading them all; SQLite reads with LIKE.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from club.db import is_sqlite
from club.ledger import balances_of
from club.rows import Row, rows_as
from club.tables import Member, MemberStatus

__all__ = ["PER_PAGE", "MemberHit", "SearchPage", "normalized", "phone_digits", "search_members", "search_sql"]

PER_PAGE = 50
# A box holding only these, with at least this many digits, is a phone number (or a part of one).
_PHONE_LIKE = re.compile(r"\+?[\d\s().\-]+")
_MIN_PHONE_DIGITS = 3


class _HitRow(Row, frozen=True):
    id: int
    name: str
    email: str
    phone: str | None
    status: MemberStatus
    tier_name: str | None


@dataclass(frozen=True, slots=True)
class MemberHit:
    """One member in the results, as the list shows them."""

    id: int
    name: str
    email: str
    phone: str | None
    status: MemberStatus
    tier: str | None
    points: int


@dataclass(frozen=True, slots=True)
class SearchPage:
    hits: list[MemberHit]
    # The id to continue after for the next page; None on the last page.
    next_after: int | None


def normalized(text: str) -> str:
    """The box as it is matched: a Chinese keyboard's full-width forms read as ASCII (ｗａｎｇ＠, １３８),
    spaces collapsed, lower case (e-mail addresses are stored so)."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).lower()


def phone_digits(text: str) -> str | None:
    """The digits of a box that is a phone number or a part of one ("138 0013", "+86-138…"), else None.
    Numbers are stored in E.164 (+8613800138000), so the digits alone are what is matched."""
    if not _PHONE_LIKE.fullmatch(text):
        return None
    digits = re.sub(r"\D", "", text)
    return digits if len(digits) >= _MIN_PHONE_DIGITS else None


def _like_pattern(text: str) -> str:
    """`text` anywhere in the value; the box's own % and _ are letters (ESCAPE '\\'), not wildcards."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search_sql(text: str = "", tier_id: int | None = None, after: int | None = None, limit: int = PER_PAGE) -> tuple[str, list[object]]:
    """The search as one statement and its values (`{}` placeholders, as `Table.raw` takes them):
    one row more than `limit`, which tells whether another page follows."""
    conditions: list[str] = []
    args: list[object] = []
    box = normalized(text)
    if box:
        digits = phone_digits(box)
        if digits is not None:
            conditions.append("m.phone LIKE {} ESCAPE '\\'")
            args.append(_like_pattern(digits))
        else:
            # Names keep their case (ILIKE); addresses are stored in lower case, as the box is now.
            # SQLite's LIKE already ignores ASCII case, and has no ILIKE.
            name_like = "LIKE" if is_sqlite() else "ILIKE"
            pattern = _like_pattern(box)
            conditions.append(f"(m.name {name_like} {{}} ESCAPE '\\' OR m.email LIKE {{}} ESCAPE '\\')")
            args += [pattern, pattern]
    if tier_id is not None:
        conditions.append("m.tier = {}")
        args.append(tier_id)
    if after is not None:
        # Keyset: after the last member shown, in the order of the index on (name, id).
        conditions.append("(m.name, m.id) > (SELECT a.name, a.id FROM member a WHERE a.id = {})")
        args.append(after)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    sql = (
        "SELECT m.id, m.name, m.email, m.phone, m.status, t.name AS tier_name "
        f"FROM member m LEFT JOIN tier t ON t.id = m.tier {where} ORDER BY m.name, m.id LIMIT {{}}"
    )
    return sql, [*args, limit + 1]


async def _fetch(sql: str, args: list[object]) -> list[dict[str, object]]:
    if is_sqlite():
        return await Member.raw(sql, *args)
    # asyncpg prepares the statement once per connection, and after a few runs PostgreSQL may keep
    # one generic plan for every box: one made for '%王%' (walk the name index, as a common surname
    # matches early) then reads all 100,000 members for a name nobody has, which the trigram index
    # answers in a millisecond. Each box is planned for its own pattern instead.
    async with Member._meta.db.transaction():
        await Member.raw("SET LOCAL plan_cache_mode = force_custom_plan")
        return await Member.raw(sql, *args)


async def search_members(
    text: str = "", tier_id: int | None = None, after: int | None = None, limit: int = PER_PAGE,
) -> SearchPage:
    """Members whose name, e-mail address or phone holds `text` (all when empty), of `tier_id`
    when given, in name order, starting after the member `after`; their tier and points with them."""
    sql, args = search_sql(text, tier_id, after, limit)
    rows = rows_as(_HitRow, await _fetch(sql, args))
    shown = rows[:limit]
    balances = await balances_of([r.id for r in shown])
    hits = [
        MemberHit(id=r.id, name=r.name, email=r.email, phone=r.phone, status=r.status, tier=r.tier_name,
                  points=balances.get(r.id, 0))
        for r in shown
    ]
    return SearchPage(hits=hits, next_after=shown[-1].id if len(rows) > limit else None)
