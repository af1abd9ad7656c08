"""The no-show rule's API, for coordinators only: read it, and set it."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, put

from club import clock
from club.auth import coordinator_only, principal_of
from events.no_show_gate import urls
from events.no_show_gate.policy import rule_out, save_rule
from events.no_show_gate.schemas import NoShowRuleIn, NoShowRuleOut

__all__ = ["ROUTES", "NoShowRuleController"]


class NoShowRuleController(Controller):
    tags = ["no-show rule"]
    guards = [coordinator_only]

    @get(urls.NO_SHOW_RULE, operation_id="getNoShowRule",
         summary="The club's no-show rule: on or off, how many no-shows in how many months, for which tiers")
    async def show(self) -> NoShowRuleOut:
        return await rule_out()

    @put(urls.NO_SHOW_RULE, operation_id="setNoShowRule",
         summary="Set the no-show rule: members it names with that many no-shows lately join the waitlist instead of a seat")
    async def set(self, request: Request[Any, Any, Any], data: NoShowRuleIn) -> NoShowRuleOut:
        return await save_rule(data, principal_of(request).name, clock.now())


ROUTES: list[Any] = [NoShowRuleController]
