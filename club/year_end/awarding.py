"""A year's rewards: the coordinator's preview, and the run that gives them, once per member.

Both read the same statement (`_EARNED`): each active member's balance at the year's end (the
choice and its reason: club.year_end.rules), the row of the table it earns (the highest minimum
not above it, as `rules.rule_for`), and a percent voucher's worth (as `rules.voucher_value`,
rounded down; a row worth nothing to a small balance gives nothing, as `rules.choose`).

The balance at the year's end is read as the member's balance now (`member.points_balance`, the
ledger's sum kept by the database) less their entries made since the year ended: the entries of a
few days of January, by the index on points_entry.created_at, instead of a year's ledger summed.

The run is ONE statement: INSERT ... SELECT over every member earning a reward and not awarded
for the year yet, each with a voucher code drawn beforehand (a list passed as one JSON value and
joined by row number), ON CONFLICT (member, year) DO NOTHING on the table's unique index. A second
run awards no one again; two at once on PostgreSQL: the second waits on the first's rows at the
index and inserts none of them. A member who starts to earn between the count and the statement
gets no code this run (the join drops them) and is awarded by the next.

A reward row's pieces are not taken from the reward's stock and make no redemption: the award and
its code are the member's claim, and the preview's pieces are what the boutiques prepare.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime

from club import clock
from club.db import is_sqlite, write_transaction
from club.i18n.languages import Language
from club.rewards.codes import ALPHABET, GROUP_SIZE, GROUPS
from club.rows import Row, rows_as
from club.tables import Member, MemberStatus
from club.year_end.errors import run_error
from club.year_end.rule_table import load_rules, rule_out
from club.year_end.rules import BASIS_POINTS, RuleKind, run_refusal, year_end_cutoff
from club.year_end.schemas import PreviewMember, PreviewOut, PreviewRow, RunOut

__all__ = ["FIRST_MEMBERS", "preview", "run_year_end", "voucher_codes"]

FIRST_MEMBERS = 20

# Placeholders, in order: the year's end (an instant in UTC).
_EARNED = f"""
later AS (
    SELECT member, SUM(delta) AS delta FROM points_entry WHERE created_at >= {{}} GROUP BY member
), balances AS (
    SELECT m.id AS member, m.points_balance - COALESCE(l.delta, 0) AS balance
    FROM member m LEFT JOIN later l ON l.member = m.id
    WHERE m.status = '{MemberStatus.active.value}'
), chosen AS (
    SELECT b.member, b.balance, (
        SELECT r.id FROM year_end_rule r WHERE r.min_balance <= b.balance ORDER BY r.min_balance DESC, r.id LIMIT 1
    ) AS rule
    FROM balances b WHERE b.balance >= 1
), earned AS (
    SELECT c.member, c.balance, r.id AS rule, r.min_balance, r.kind, r.percent_bp, r.currency, r.reward,
           CASE WHEN r.kind = '{RuleKind.percent.value}' THEN c.balance * r.percent_bp / {BASIS_POINTS} END AS value
    FROM chosen c JOIN year_end_rule r ON r.id = c.rule
    WHERE r.kind <> '{RuleKind.percent.value}' OR c.balance * r.percent_bp / {BASIS_POINTS} >= 1
)"""
_NOT_AWARDED = "NOT EXISTS (SELECT 1 FROM year_end_award a WHERE a.member = e.member AND a.year = {})"

# Placeholders: the year's end, the year.
_BY_ROW = f"""WITH {_EARNED}
SELECT e.rule AS rule, COUNT(*) AS members, SUM(CASE WHEN a.id IS NULL THEN 0 ELSE 1 END) AS already,
       CAST(COALESCE(SUM(e.value), 0) AS BIGINT) AS total_value
FROM earned e LEFT JOIN year_end_award a ON a.member = e.member AND a.year = {{}}
GROUP BY e.rule"""
# Placeholders: the year's end, the year, the limit.
_FIRST = f"""WITH {_EARNED}
SELECT e.member AS member_id, m.name AS name, e.balance AS balance, e.min_balance AS min_balance, e.value AS value,
       CASE WHEN a.id IS NULL THEN 0 ELSE 1 END AS awarded
FROM earned e JOIN member m ON m.id = e.member
LEFT JOIN year_end_award a ON a.member = e.member AND a.year = {{}}
ORDER BY e.balance DESC, e.member LIMIT {{}}"""
# Placeholders: the year's end, the year.
_TO_AWARD = f"WITH {_EARNED} SELECT COUNT(*) AS n FROM earned e WHERE {_NOT_AWARDED}"

_CODES_POSTGRES = "SELECT code, n FROM json_array_elements_text(CAST({} AS json)) WITH ORDINALITY AS c(code, n)"
_CODES_SQLITE = "SELECT value AS code, key + 1 AS n FROM json_each({})"

# What makes a second run award nobody again. The race tests' control turns it off (with the index).
ON_CONFLICT = "ON CONFLICT (member, year) DO NOTHING"


def _award_sql(codes_sql: str, on_conflict: str) -> str:
    """Placeholders: the year's end, the year (not awarded), the codes, the year, the time."""
    return f"""WITH {_EARNED}, todo AS (
    SELECT e.*, ROW_NUMBER() OVER (ORDER BY e.member) AS n FROM earned e WHERE {_NOT_AWARDED}
), codes AS ({codes_sql})
INSERT INTO year_end_award
    (member, year, rule, balance, min_balance, kind, percent_bp, value, currency, reward, voucher_code, created_at, told_at)
SELECT t.member, {{}}, t.rule, t.balance, t.min_balance, t.kind, t.percent_bp, t.value,
       CASE WHEN t.kind = '{RuleKind.percent.value}' THEN t.currency ELSE '' END, t.reward, c.code, {{}}, NULL
FROM todo t JOIN codes c ON c.n = t.n
WHERE TRUE
{on_conflict} RETURNING id"""


def voucher_codes(count: int) -> list[str]:
    """`count` codes like club.rewards.codes.voucher_code (its alphabet and groups, 79 random bits),
    drawn as one number each: a year's 100,000 in a fraction of a second."""
    size, width = len(ALPHABET), GROUPS * GROUP_SIZE
    top = size**width
    codes = []
    for _ in range(count):
        n = secrets.randbelow(top)
        symbols = []
        for _ in range(width):
            n, digit = divmod(n, size)
            symbols.append(ALPHABET[digit])
        text = "".join(symbols)
        codes.append("-".join(text[i : i + GROUP_SIZE] for i in range(0, width, GROUP_SIZE)))
    return codes


def _cutoff(year: int, time_zone: str) -> datetime:
    return year_end_cutoff(year, time_zone).astimezone(UTC)


class _ByRow(Row, frozen=True):
    rule: int
    members: int
    already: int
    total_value: int


class _First(Row, frozen=True):
    member_id: int
    name: str
    balance: int
    min_balance: int
    value: int | None
    awarded: bool


async def _awarded_count(year: int) -> int:
    from club.year_end.tables import YearEndAward

    return int(await YearEndAward.count().where(YearEndAward.year == year))


async def preview(year: int, time_zone: str, language: Language, limit: int = FIRST_MEMBERS) -> PreviewOut:
    """What a run would give now: members per row, the vouchers' worth and the pieces, the members
    with the largest balances first; and whether it may run (the year over, a row in the table)."""
    cutoff = _cutoff(year, time_zone)
    rules = await load_rules()
    by_row = {r.rule: r for r in rows_as(_ByRow, await Member.raw(_BY_ROW, cutoff, year))}
    first = rows_as(_First, await Member.raw(_FIRST, cutoff, year, max(1, min(limit, 200))))
    refusal = run_refusal(year, clock.now(), time_zone, len(rules))
    rows = []
    for rule in reversed(rules):  # the highest minimum first, as a coordinator reads a tier table
        counted = by_row.get(rule.id)
        members = counted.members if counted else 0
        rows.append(PreviewRow(
            rule=rule_out(rule, language), members=members, already_awarded=counted.already if counted else 0,
            total_value=counted.total_value if counted and rule.kind is RuleKind.percent else 0,
            pieces=members if rule.kind is RuleKind.reward else 0,
        ))
    return PreviewOut(
        year=year, year_end=cutoff, can_run=refusal is None, refusal=refusal.value if refusal else None,
        members=sum(r.members for r in rows), already_awarded=await _awarded_count(year), rows=rows,
        first_members=[PreviewMember(member_id=f.member_id, name=f.name, balance=f.balance, min_balance=f.min_balance,
                                     value=f.value, awarded=f.awarded) for f in first],
    )


async def run_year_end(year: int, time_zone: str) -> RunOut:
    """Give the year's rewards to every member earning one and not awarded yet (409 before the
    year's end or with an empty table). Safe to run again and concurrently: each member once."""
    now = clock.now()
    cutoff = _cutoff(year, time_zone)
    refusal = run_refusal(year, now, time_zone, len(await load_rules()))
    if refusal is not None:
        raise run_error(refusal, year)
    async with write_transaction():
        before = await _awarded_count(year)
        wanted = int((await Member.raw(_TO_AWARD, cutoff, year))[0]["n"])
        if wanted == 0:
            return RunOut(year=year, awarded=0, already_awarded=before)
        sql = _award_sql(_CODES_SQLITE if is_sqlite() else _CODES_POSTGRES, ON_CONFLICT)
        inserted = await Member.raw(sql, cutoff, year, json.dumps(voucher_codes(wanted)), year, now)
    return RunOut(year=year, awarded=len(inserted), already_awarded=before)
