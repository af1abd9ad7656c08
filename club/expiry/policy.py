"""The club's expiry rule as coordinators set it: read (the default, off, when never saved) and
saved in one transaction, one row."""

from __future__ import annotations

from datetime import datetime

from club import clock
from club.db import write_transaction
from club.errors import InvalidInput
from club.expiry.rules import ExpiryMode, ExpiryPolicy, parse_days, policy_problem
from club.expiry.schemas import ExpiryRuleIn
from club.expiry.tables import ExpiryRule
from club.rows import Row, row_as

__all__ = ["RuleRefused", "RuleRow", "load_rule", "save_rule"]


class RuleRefused(InvalidInput):
    """A rule that cannot be (a 30 February clearing day); `field` names what is wrong."""

    def __init__(self, detail: str, *, field: str) -> None:
        super().__init__(detail, field=field)
        self.field = field


class RuleRow(Row, frozen=True):
    mode: ExpiryMode = ExpiryMode.off
    window_months: int = 24
    clear_month: int = 12
    clear_day: int = 31
    reminder_days: str = "30,7"
    effective_from: datetime | None = None
    updated_at: datetime | None = None

    @property
    def policy(self) -> ExpiryPolicy:
        return ExpiryPolicy(self.mode, self.window_months, self.clear_month, self.clear_day,
                            parse_days(self.reminder_days) or ())


_R = ExpiryRule
_COLUMNS = (_R.mode, _R.window_months, _R.clear_month, _R.clear_day, _R.reminder_days, _R.effective_from, _R.updated_at)


async def load_rule() -> RuleRow:
    found = await _R.select(*_COLUMNS).where(_R.singleton == 1).first()
    return row_as(RuleRow, found) if found is not None else RuleRow()


def _schedule(rule: RuleRow | ExpiryPolicy) -> tuple[object, ...]:
    return (rule.mode, rule.window_months, rule.clear_month, rule.clear_day)


async def save_rule(data: ExpiryRuleIn, by: int | None) -> RuleRow:
    """Set the rule. A change of its mode or dates applies from the first expiry date after now."""
    days = tuple(sorted(set(data.reminder_days), reverse=True))
    policy = ExpiryPolicy(data.mode, data.window_months, data.clear_month, data.clear_day, days)
    problem = policy_problem(policy)
    if problem is not None:
        raise RuleRefused(problem[1], field=problem[0])
    now = clock.now()
    async with write_transaction():
        before = await load_rule()
        effective = now if _schedule(before) != _schedule(policy) else before.effective_from
        values = {
            _R.mode: policy.mode.value, _R.window_months: policy.window_months, _R.clear_month: policy.clear_month,
            _R.clear_day: policy.clear_day, _R.reminder_days: ",".join(str(d) for d in days),
            _R.effective_from: effective, _R.updated_at: now, _R.updated_by: by,
        }
        changed = await _R.update(values).where(_R.singleton == 1).returning(_R.id)  # type: ignore[arg-type]
        if not changed:
            await _R.insert(_R({_R.singleton: 1, **values}))
    return await load_rule()
