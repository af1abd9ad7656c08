"""Spend in Debian's Chromium in zh-Hans: the member's points page on a phone (390x844) shows their
twelve months' spend and what a purchase earns beside the ledger's purchase and refund entries;
the coordinator imports a till's CSV on the console (desktop) and reads the report line by line.
Screenshots are left in /tmp/shots (spend_*.png) to look at."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from club import clock
from club.spend.receipts import record_receipt, record_refund
from club.spend.rules import EarningRates
from club.spend.schemas import ReceiptIn, RefundIn
from club.spend.tables import Receipt, Via
from tests.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, WHY_NO_CHROMIUM, signed_in_context, skip_without_chromium
from tests.conftest import LiveServer
from tests.console import session_for
from tests.factories import Caller, make_member

skip_without_chromium()

SHOTS = Path("/tmp/shots")
RATES = EarningRates.parse("CNY=1")


async def test_the_member_reads_their_spend_and_the_coordinator_imports_a_file(server: LiveServer, coordinator: Caller) -> None:
    from playwright.async_api import async_playwright

    assert CHROMIUM is not None, f"CI must have Debian's chromium: {WHY_NO_CHROMIUM}"
    SHOTS.mkdir(exist_ok=True)
    member = await make_member("王静", language="zh-Hans", time_zone="Asia/Shanghai")
    assert member.member_id is not None
    now = datetime.now(UTC)
    await record_receipt(ReceiptIn(store="SH-IFC", receipt="R-2001", member_id=member.member_id, currency="CNY",
                                   amount_minor=1_280_050, purchased_at=now), RATES, via=Via.till, by=coordinator.user_id)
    await record_refund(RefundIn(store="SH-IFC", refund_id="F-1", receipt="R-2001", currency="CNY", amount_minor=280_000,
                                 refunded_at=now), RATES, via=Via.till, by=coordinator.user_id)
    csv = (f"kind,store,receipt,refund_id,member_id,currency,amount,at\n"
           f"receipt,SH-IFC,R-2002,,{member.member_id},CNY,3600,{clock.now():%Y-%m-%d %H:%M}\n"
           f"receipt,SH-IFC,R-2003,,{member.member_id},USD,100,{clock.now():%Y-%m-%d %H:%M}\n"
           f"receipt,SH-IFC,R-2001,,{member.member_id},CNY,12800.50,{clock.now():%Y-%m-%d %H:%M}\n")
    upload = SHOTS / "spend_import.csv"
    upload.write_text(csv, encoding="utf-8")

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            phone = await signed_in_context(browser, server.base_url, await session_for(member), **PHONE)
            page = await phone.new_page()
            await page.goto(f"{server.base_url}/points")
            spend = await page.locator(".points-spend").text_content() or ""
            assert "¥10,000.50" in spend and "近十二个月共 1 笔消费" in spend and "每消费 ¥1.00 可获 1 积分" in spend, spend
            ledger = await page.locator(".points-ledger").text_content() or ""
            assert "精品店消费积分" in ledger and "消费退款扣回" in ledger and "12,800" in ledger and "2,800" in ledger
            assert await page.evaluate("document.documentElement.scrollWidth") <= 390
            await page.screenshot(path=str(SHOTS / "spend_points_page.png"), full_page=True)

            desk = await signed_in_context(browser, server.base_url, await session_for(coordinator), **DESKTOP)
            console = await desk.new_page()
            await console.goto(f"{server.base_url}/console/spend")
            await console.set_input_files("#file", str(upload))
            await console.get_by_role("button", name="导入").click()
            await console.wait_for_selector("#import-report")
            report = await console.locator("#import-report").text_content() or ""
            assert "已记入" in report and "已有记录" in report and "本会积分不以 USD 累积" in report, report
            await console.screenshot(path=str(SHOTS / "spend_console_import.png"), full_page=True)
            await console.goto(f"{server.base_url}/console/members/{member.member_id}")
            panel = await console.locator(".console-panel.spend").text_content() or ""
            assert "R-2002" in panel and "¥13,600.50" in panel, panel
            await console.locator(".console-panel.spend").screenshot(path=str(SHOTS / "spend_console_member.png"))
        finally:
            await browser.close()
    assert await Receipt.count() == 2
