"""The club's no-show rule: read it, and save it (one transaction: the rule and its tiers)."""

from __future__ import annotations

from datetime import datetime

from club.db import write_transaction
from club.errors import InvalidInput
from club.tables import Tier
from events.no_show_gate.rules import GateRule
from events.no_show_gate.schemas import NoShowRuleIn, NoShowRuleOut
from events.no_show_gate.tables import CLUB_SCOPE, NoShowRule, NoShowRuleTier

__all__ = ["gate_rule", "rule_out", "save_rule"]

_R = NoShowRule


async def gate_rule() -> GateRule:
    """The rule as the pure functions take it; no row is the rule off, at its defaults."""
    row = await _R.select(_R.enabled, _R.no_shows, _R.months).where(_R.scope == CLUB_SCOPE).first()
    tiers = frozenset(int(r["tier"]) for r in await NoShowRuleTier.select(NoShowRuleTier.tier))
    if row is None:
        return GateRule(tier_ids=tiers)
    return GateRule(enabled=bool(row["enabled"]), no_shows=row["no_shows"], months=row["months"], tier_ids=tiers)


async def rule_out() -> NoShowRuleOut:
    row = await _R.select().where(_R.scope == CLUB_SCOPE).first()
    tiers = [r["name"] for r in await NoShowRuleTier.select(NoShowRuleTier.tier.name.as_alias("name")).order_by(
        NoShowRuleTier.tier.rank)]
    default = GateRule()
    if row is None:
        return NoShowRuleOut(enabled=False, no_shows=default.no_shows, months=default.months, tiers=tiers,
                             updated_by="", updated_at=None)
    return NoShowRuleOut(enabled=bool(row["enabled"]), no_shows=row["no_shows"], months=row["months"], tiers=tiers,
                         updated_by=row["updated_by"], updated_at=row["updated_at"])


async def save_rule(data: NoShowRuleIn, by: str, now: datetime) -> NoShowRuleOut:
    names = sorted(set(data.tiers))
    async with write_transaction():
        found = {r["name"]: r["id"] for r in await Tier.select(Tier.id, Tier.name).where(Tier.name.is_in(names))} if names else {}
        missing = [n for n in names if n not in found]
        if missing:
            raise InvalidInput("There is no tier named {tier}.", text_values={"tier": missing[0]})
        await _R.insert(_R(scope=CLUB_SCOPE, enabled=data.enabled, no_shows=data.no_shows, months=data.months,
                           updated_by=by, updated_at=now)).on_conflict(
            target=_R.scope, action="DO UPDATE",
            values=[(_R.enabled, data.enabled), (_R.no_shows, data.no_shows), (_R.months, data.months),
                    (_R.updated_by, by), (_R.updated_at, now)],
        )
        await NoShowRuleTier.delete(force=True)
        if found:
            await NoShowRuleTier.insert(*(NoShowRuleTier(tier=tier_id) for tier_id in found.values()))
    return await rule_out()
