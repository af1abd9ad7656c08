"""The no-show gate's pure rules, on plain values."""

from __future__ import annotations

from datetime import UTC, datetime

from club.errors import said_text
from club.i18n.languages import Language
from events.no_show_gate.rules import GateRule, gate_text, gated, rule_applies, tier_listed, window_start


def test_the_window_is_calendar_months_back_with_the_day_kept_where_the_month_has_it() -> None:
    assert window_start(datetime(2026, 12, 8, 15, 0, tzinfo=UTC), 6) == datetime(2026, 6, 8, 15, 0, tzinfo=UTC)
    assert window_start(datetime(2027, 3, 31, tzinfo=UTC), 1) == datetime(2027, 2, 28, tzinfo=UTC)
    assert window_start(datetime(2028, 3, 31, tzinfo=UTC), 1) == datetime(2028, 2, 29, tzinfo=UTC)
    assert window_start(datetime(2027, 1, 15, tzinfo=UTC), 13) == datetime(2025, 12, 15, tzinfo=UTC)


def test_the_count_closes_the_seat_from_the_rules_number_on() -> None:
    assert not gated(3, 2)
    assert gated(3, 3) and gated(3, 7)
    assert gated(0, 1) and not gated(0, 0)  # never "no no-shows is too many"


def test_the_rule_asks_only_when_on_and_about_the_members_tier() -> None:
    assert not rule_applies(False, True)
    assert not rule_applies(True, False) and not rule_applies(True, None)
    assert rule_applies(True, True)
    silver_only = GateRule(enabled=True, tier_ids=frozenset({2}))
    assert tier_listed(silver_only, 2) and not tier_listed(silver_only, 3) and not tier_listed(silver_only, None)
    assert tier_listed(GateRule(enabled=True), None)  # none listed: every member


def test_the_member_reads_why_in_their_language() -> None:
    said = gate_text(3, 6)
    assert said_text(Language.zh_hans, said) == "您近6个月已有3次未到场，本次先进入候补名单。"
    assert said_text(Language.zh_hant, said) == "您近6個月已有3次未到場，本次先進入候補名單。"
    assert said_text(Language.en, said) == (
        "You have missed 3 events in the last 6 months, so this time you join the waitlist first."
    )
