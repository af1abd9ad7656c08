"""A coordinator's CSV import, through the API and the console page: every line reported as landed,
already recorded or refused with why; a refused line leaves the others landed; importing the same
file again lands nothing new; a file that cannot be read is refused whole, nothing written."""

from __future__ import annotations

from datetime import UTC, datetime

from club import clock
from club.ledger import balance_of
from club.spend import urls
from club.spend.tables import Receipt, Refund
from tests.conftest import LiveServer
from tests.console import console_client
from tests.factories import Caller, make_member
from tests.pages import csrf_of
from tests.web.sign_in_steps import ZH, text_of

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _file(member_id: int, other_id: int) -> bytes:
    return (
        "\ufeffKind,Store,Receipt,Refund_ID,Member_ID,Currency,Amount,At\r\n"
        f"receipt,SH-IFC,R-1,,{member_id},CNY,\"12,800.50\",2026-11-20 14:05\r\n"
        f"receipt,SH-IFC,R-2,,{other_id},CNY,3000,2026-11-21T10:00:00+08:00\r\n"
        f"receipt,SH-IFC,R-3,,{member_id},USD,100,2026-11-21 10:00\r\n"  # not a currency the club earns in
        f"receipt,SH-IFC,R-4,,{member_id},CNY,1.005,2026-11-21 10:00\r\n"  # more decimals than yuan have
        "refund,SH-IFC,R-2,F-1,,CNY,1000,2026-11-22 10:00\r\n"
        "refund,SH-IFC,R-9,F-2,,CNY,10,2026-11-22 10:00\r\n"  # no such receipt
        "\r\n"
        "gift,SH-IFC,R-5,,1,CNY,1,2026-11-22 10:00\r\n"
        "receipt,SH-IFC,R-6\r\n"
    ).encode()


async def test_the_api_import_reports_each_line_and_lands_the_good_ones_once(
    server: LiveServer, coordinator: Caller, member: Caller
) -> None:
    other = await make_member("Other")
    content = _file(member.member_id, other.member_id)  # type: ignore[arg-type]
    with clock.frozen_at(NOW):
        async with server.client(coordinator.token) as http:
            first = await http.post(urls.IMPORTS, content=content, headers={"Content-Type": "text/csv"})
            second = await http.post(urls.IMPORTS, content=content, headers={"Content-Type": "text/csv"})
    assert first.status_code == 200, first.text
    report = first.json()
    assert (report["landed"], report["already_recorded"], report["refused"]) == (3, 0, 5)
    by_line = {line["line"]: line for line in report["lines"]}
    assert sorted(by_line) == [2, 3, 4, 5, 6, 7, 9, 10]
    assert (by_line[2]["outcome"], by_line[2]["points"]) == ("landed", 12_800)
    assert (by_line[6]["kind"], by_line[6]["number"], by_line[6]["points"]) == ("refund", "F-1", 1_000)
    assert by_line[4]["problem"] == "/problems/currency-not-earned" and "USD" in by_line[4]["reason"]
    assert by_line[5]["problem"] == "/problems/invalid-input" and "2 decimals" in by_line[5]["reason"]
    assert by_line[7]["problem"] == "/problems/not-found"
    assert "receipt or refund" in by_line[9]["reason"] and "3 fields" in by_line[10]["reason"]
    again = second.json()
    assert (again["landed"], again["already_recorded"], again["refused"]) == (0, 3, 5)
    assert await Receipt.count() == 2 and await Refund.count() == 1
    assert await balance_of(member.member_id) == 12_800  # type: ignore[arg-type]
    assert await balance_of(other.member_id) == 2_000  # type: ignore[arg-type]
    row = await Receipt.select(Receipt.purchased_at, Receipt.via).where(Receipt.receipt_number == "R-1").first()
    # 14:05 on the club's clock (Paris, winter) is 13:05 UTC.
    assert row is not None and clock.aware(row["purchased_at"]) == datetime(2026, 11, 20, 13, 5, tzinfo=UTC) and row["via"] == "csv"


async def test_a_file_that_cannot_be_read_is_refused_whole(server: LiveServer, coordinator: Caller, member: Caller) -> None:
    async with server.client(coordinator.token) as http:
        no_header = await http.post(urls.IMPORTS, content=b"kind,store\nreceipt,SH-IFC\n")
        not_utf8 = await http.post(urls.IMPORTS, content="kind,store\n收据".encode("gb18030"))
        empty = await http.post(urls.IMPORTS, content=b"")
    for answer in (no_header, not_utf8, empty):
        assert answer.status_code == 400 and answer.headers["content-type"].startswith("application/problem+json"), answer.text
    assert "receipt, refund_id, member_id, currency, amount, at" in no_header.json()["detail"]
    assert await Receipt.count() == 0


async def test_the_console_imports_a_file_and_shows_its_report_in_chinese(
    server: LiveServer, coordinator: Caller, member: Caller
) -> None:
    other = await make_member("Other")
    with clock.frozen_at(NOW):
        async with await console_client(server.base_url, coordinator, **ZH) as console:
            opened = await console.get(urls.CONSOLE_IMPORT)
            assert opened.status_code == 200 and "导入" in text_of(opened.text)
            csrf = csrf_of(opened.text)
            done = await console.post(urls.CONSOLE_IMPORT, data={"_csrf_token": csrf}, files={
                "file": ("till.csv", _file(member.member_id, other.member_id), "text/csv"),  # type: ignore[arg-type]
            })
            refused = await console.post(urls.CONSOLE_IMPORT, data={"_csrf_token": csrf},
                                         files={"file": ("bad.csv", b"kind\nreceipt\n", "text/csv")})
            member_page = await console.get(f"/console/members/{member.member_id}")
    assert done.status_code == 200, done.text
    shown = text_of(done.text)
    assert "已记入：3" in shown and "已有记录：0" in shown and "未记入：5" in shown, shown
    assert "本会积分不以 USD 累积" in shown
    assert refused.status_code == 400 and "缺少" in text_of(refused.text)
    assert await Receipt.count() == 2
    panel = text_of(member_page.text)
    assert "消费" in panel and "¥12,800.50" in panel and "R-1" in panel
