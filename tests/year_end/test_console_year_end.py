"""The console's year-end page for a coordinator reading zh-Hans over real HTTP: the table saved
from the form (a percent typed "2.5", a reward chosen), a refused form kept as typed with what is
wrong, the run before the year's end refused as a page, and the birthday gift chosen."""

from __future__ import annotations

from club import clock
from club.year_end import urls
from club.year_end.tables import BirthdayGiftSetting, YearEndAward, YearEndRuleRow
from tests.conftest import LiveServer
from tests.console import console_client
from tests.factories import Caller, make_member
from tests.pages import submit
from tests.rewards.helpers import make_reward
from tests.web.sign_in_steps import ZH, text_of
from tests.year_end.helpers import DECEMBER, JANUARY, give_points_at

PAGE = f"{urls.CONSOLE_YEAR_END}?year=2026"


def _rows(*rows: dict[str, str]) -> dict[str, str]:
    form: dict[str, str] = {}
    for i, row in enumerate(rows):
        form |= {f"{k}_{i}": v for k, v in row.items()}
    return form


async def test_the_table_is_saved_from_the_form_and_a_wrong_one_is_refused_as_typed(
    server: LiveServer, coordinator: Caller
) -> None:
    scarf = await make_reward(server, coordinator, kind="gift", title_zh="真丝方巾")
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        saved = await submit(console, PAGE, f"{urls.CONSOLE_RULES}?year=2026", _rows(
            {"min_balance": "1", "kind": "percent", "percent": "2.5", "currency": "cny"},
            {"min_balance": "50,000", "kind": "reward", "reward": str(scarf["id"])},
        ))
        assert saved.status_code == 303 and saved.headers["location"] == f"{PAGE}&done=saved"
        shown = text_of((await console.get(saved.headers["location"])).text)
        assert "规则表已保存。" in shown and "2.5% 礼券" in shown and "真丝方巾" in shown
        wrong = await submit(console, PAGE, f"{urls.CONSOLE_RULES}?year=2026", _rows(
            {"min_balance": "1", "kind": "percent", "percent": "三"},
        ))
        assert wrong.status_code == 400 and "未保存" in text_of(wrong.text) and 'value="三"' in wrong.text
        twice = await submit(console, PAGE, f"{urls.CONSOLE_RULES}?year=2026", _rows(
            {"min_balance": "5", "kind": "percent", "percent": "2"}, {"min_balance": "5", "kind": "percent", "percent": "3"},
        ))
        assert twice.status_code == 409 and "有两行均自 5 积分起" in text_of(twice.text)
    rows = [(r["min_balance"], r["kind"], r["percent_bp"], r["currency"], r["reward"])
            for r in await YearEndRuleRow.select().order_by(YearEndRuleRow.min_balance)]
    assert rows == [(1, "percent", 250, "CNY", None), (50_000, "reward", None, "CNY", scarf["id"])]


async def test_the_run_waits_for_the_years_end_then_gives_once_and_the_gift_is_chosen(
    server: LiveServer, coordinator: Caller
) -> None:
    member = await make_member("王芳")
    await give_points_at(member.member_id, 8_000, DECEMBER)  # type: ignore[arg-type]
    tea = await make_reward(server, coordinator, kind="voucher", title_zh="下午茶礼券")
    async with await console_client(server.base_url, coordinator, **ZH) as console:
        await submit(console, PAGE, f"{urls.CONSOLE_RULES}?year=2026", _rows({"min_balance": "1", "percent": "2"}))
        with clock.frozen_at(DECEMBER):
            early = text_of((await console.get(PAGE)).text)
            assert "本年度尚未结束" in early
            refused = await submit(console, f"{urls.CONSOLE_YEAR_END}?year=2026", urls.CONSOLE_RUN, {"year": "2026"})
            assert refused.status_code == 409 and "2026 年尚未结束" in text_of(refused.text)
        with clock.frozen_at(JANUARY):
            for expected in ("1", "0"):
                ran = await submit(console, PAGE, urls.CONSOLE_RUN, {"year": "2026"})
                assert ran.headers["location"] == f"{urls.CONSOLE_YEAR_END}?year=2026&done=run&awarded={expected}"
        gift = await submit(console, PAGE, urls.CONSOLE_BIRTHDAY_GIFT, {"reward": str(tea["id"])})
        assert gift.status_code == 303
        assert "生日礼品已保存。" in text_of((await console.get(gift.headers["location"])).text)
    assert await YearEndAward.count() == 1
    assert (await BirthdayGiftSetting.select(BirthdayGiftSetting.reward).first()) == {"reward": tea["id"]}
