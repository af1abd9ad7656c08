"""The club's year-end rule table: read it, and replace it as a whole in one transaction.

A row kept at the same minimum keeps its id (a year's preview and awards name it); a row gone is
deleted, and the awards that named it keep what it said (their copy) with no row. Every row is
checked by club.year_end.rules before anything is written: a refused table changes nothing.
"""

from __future__ import annotations

from club import clock
from club.db import write_transaction
from club.errors import NotFound
from club.i18n.languages import Language
from club.rewards.rules import text_in
from club.rewards.tables import Reward
from club.rows import Row, rows_as
from club.year_end.errors import rule_error
from club.year_end.rules import RuleKind, YearEndRule, rule_problem, table_problem
from club.year_end.schemas import RuleIn, RuleOut
from club.year_end.tables import YearEndRuleRow

__all__ = ["RuleRow", "load_rules", "pure_rules", "replace_rules", "rules_out"]

T = YearEndRuleRow


class RuleRow(Row, frozen=True):
    id: int
    min_balance: int
    kind: RuleKind
    percent_bp: int | None
    currency: str
    reward: int | None
    title_zh: str | None
    title_en: str | None


async def load_rules() -> list[RuleRow]:
    """The table, the lowest minimum first."""
    return rows_as(RuleRow, await T.select(
        T.id, T.min_balance, T.kind, T.percent_bp, T.currency, T.reward,
        T.reward.title_zh.as_alias("title_zh"), T.reward.title_en.as_alias("title_en"),
    ).order_by(T.min_balance))


def pure_rules(rows: list[RuleRow]) -> list[YearEndRule]:
    return [YearEndRule(r.id, r.min_balance, r.kind, r.percent_bp, r.reward) for r in rows]


def rule_out(row: RuleRow, language: Language) -> RuleOut:
    return RuleOut(
        id=row.id, min_balance=row.min_balance, kind=row.kind, percent_bp=row.percent_bp, currency=row.currency,
        reward_id=row.reward, reward_title=text_in(language, row.title_zh or "", row.title_en or "") if row.reward else "",
    )


async def rules_out(language: Language) -> list[RuleOut]:
    return [rule_out(r, language) for r in await load_rules()]


def _check(rows: list[RuleIn]) -> None:
    for row in rows:
        problem = rule_problem(row.min_balance, row.kind, row.percent_bp, row.reward_id)
        if problem is not None:
            raise rule_error(problem, row.min_balance)
    minimums = [r.min_balance for r in rows]
    problem = table_problem(minimums)
    if problem is not None:
        raise rule_error(problem, next(m for m in minimums if minimums.count(m) > 1))


async def replace_rules(rows: list[RuleIn], language: Language) -> list[RuleOut]:
    """The table from now on; refused whole (4xx) when a row is wrong or names no reward."""
    _check(rows)
    now = clock.now()
    async with write_transaction():
        wanted = {r.reward_id for r in rows if r.reward_id is not None}
        if wanted:
            found = {int(r["id"]) for r in await Reward.select(Reward.id).where(Reward.id.is_in(list(wanted)))}
            missing = sorted(wanted - found)
            if missing:
                raise NotFound("Reward {reward_id} does not exist.", text_values={"reward_id": missing[0]})
        kept = {r.min_balance: r.id for r in await load_rules()}
        gone = [rid for minimum, rid in kept.items() if minimum not in {r.min_balance for r in rows}]
        if gone:
            await T.delete().where(T.id.is_in(gone))
        for row in rows:
            values = {
                T.kind: row.kind.value, T.percent_bp: row.percent_bp if row.kind is RuleKind.percent else None,
                T.currency: row.currency, T.reward: row.reward_id if row.kind is RuleKind.reward else None,
                T.updated_at: now,
            }
            if row.min_balance in kept:
                await T.update(values).where(T.id == kept[row.min_balance])  # type: ignore[arg-type]
            else:
                await T.insert(T(
                    min_balance=row.min_balance, kind=row.kind.value, percent_bp=values[T.percent_bp], currency=row.currency,
                    reward=values[T.reward], created_at=now, updated_at=now,
                ))
    return await rules_out(language)
