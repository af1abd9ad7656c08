"""The monthly report over HTTP on the hand-built November (tests/report/scene.py): the console's
page in zh-Hans with its figures and its four charts drawn as inline SVG, the .xlsx with every
figure a number under translated headers, the PDF with its title, tables and charts, a bad month
refused (the page beside its field; the files and the API as a 400), and the API's report."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from club import clock
from tests.conftest import LiveServer
from tests.console import console_client
from tests.factories import Caller
from tests.report.pdf_text import page_count, pdf_text
from tests.report.scene import NOW, build_november

ZH = {"Accept-Language": "zh-CN"}
MONTH = {"month": "2026-11"}


async def test_the_report_page_of_november_in_chinese(server: LiveServer, coordinator: Caller) -> None:
    await build_november()
    with clock.frozen_at(NOW):
        async with await console_client(server.base_url, coordinator, **ZH) as browser:
            page = await browser.get("/console/report", params=MONTH)
            refused = await browser.get("/console/report", params={"month": "2026-13"})
    assert page.status_code == 200 and 'lang="zh-Hans"' in page.text
    text = page.text
    assert "月度报告" in text and "2026年11月" in text
    glance = text.split('id="report-headline"')[1].split("</section>")[0]
    for figure in ("<dd>2</dd>", "<dd>5</dd>", "<dd>66.7%</dd>", "<dd>25%</dd>", "<dd>8.3</dd>", "<dd>+33</dd>"):
        assert figure in glance, figure
    # Four charts, drawn on the server: SVG in the page, each named for what it shows.
    assert text.count("<svg") == 4 and 'role="img"' in text and "<?xml" not in text
    assert 'aria-label="各类活动满座率"' in text
    fill = text.split('id="report-fill"')[1].split("</section>")[0]
    assert "沙龙" in fill and "75%" in fill and "50%" in fill and "33.3%" in fill
    attendance = text.split('id="report-attendance"')[1].split("</section>")[0]
    assert "2025年12月" in attendance and "2026年10月" in attendance
    segments = text.split('id="report-segments"')[1].split("</section>")[0]
    assert "白金卡" in segments and "银卡" in segments
    satisfaction = text.split('id="report-satisfaction"')[1].split("</section>")[0]
    assert "第 4 季度" in satisfaction and "7.7" in satisfaction and "+100" in satisfaction and "+25" in satisfaction
    assert 'href="/console/report.xlsx?month=2026-11"' in text and 'href="/console/report.pdf?month=2026-11"' in text
    assert refused.status_code == 400 and 'aria-invalid="true"' in refused.text and "<svg" not in refused.text


async def test_the_report_as_a_workbook_holds_the_figures_as_numbers(server: LiveServer, coordinator: Caller) -> None:
    await build_november()
    with clock.frozen_at(NOW):
        async with await console_client(server.base_url, coordinator, **ZH) as browser:
            answer = await browser.get("/console/report.xlsx", params=MONTH)
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == 'attachment; filename="monthly-report-2026-11.xlsx"'
    assert answer.headers["content-language"] == "zh-Hans"
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["本月概览", "近十二个月出席", "各类活动满座率", "会员活跃度", "2026 年满意度"]
    glance = {row[0]: row[1] for row in book["本月概览"].iter_rows(min_row=2, max_row=16, values_only=True)}
    assert glance["举办活动"] == 2 and glance["报名"] == 5 and glance["已签到"] == 3 and glance["未出席"] == 1
    assert abs(glance["满座率"] - 4 / 6) < 1e-9 and abs(glance["平均分"] - 25 / 3) < 1e-9 and glance["净推荐值"] == 33.3
    assert glance["会员"] == 5 and glance["活跃会员"] == 2
    months = list(book["近十二个月出席"].iter_rows(values_only=True))
    assert months[0] == ("月份", "沙龙", "旅行", "全部类型")
    assert months[11] == ("2026年10月", 2, 0, 2) and months[12] == ("2026年11月", 2, 1, 3)
    fill = list(book["各类活动满座率"].iter_rows(max_row=3, values_only=True))
    assert fill[1][:5] == ("沙龙", 1, 3, 4, 0.75) and fill[2][:5] == ("旅行", 1, 1, 2, 0.5)
    assert book["各类活动满座率"]["E2"].number_format == "0.0%"
    tiers = list(book["会员活跃度"].iter_rows(max_row=4, values_only=True))
    assert tiers[1:] == [("白金卡", 0, 0, 1, 1), ("金卡", 1, 0, 0, 1), ("银卡", 1, 2, 0, 3)]
    q4 = [r for r in book["2026 年满意度"].iter_rows(values_only=True) if r[0] == "第 4 季度"]
    assert q4[0][1:4] == ("全部类型", 4, 8.0) and q4[0][4] == 25.0


async def test_the_report_as_a_pdf(server: LiveServer, coordinator: Caller) -> None:
    await build_november()
    with clock.frozen_at(NOW):
        async with await console_client(server.base_url, coordinator, **ZH) as browser:
            answer = await browser.get("/console/report.pdf", params=MONTH)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF-") and page_count(answer.content) >= 2
    text = pdf_text(answer.content)
    for words in ("月度报告", "2026年11月", "本月概览", "66.7%", "各类活动满座率", "75%", "白金卡", "第 4 季度", "+100"):
        assert words in text, words
    # The charts are drawn in the PDF itself: their axes' and legends' words are among its texts.
    assert "2026/10" in text and "2025/12" in text and "活跃" in text


async def test_a_bad_month_is_refused_by_the_files_and_the_api(server: LiveServer, coordinator: Caller) -> None:
    async with await console_client(server.base_url, coordinator, **ZH) as browser:
        for path in ("/console/report.xlsx", "/console/report.pdf"):
            refused = await browser.get(path, params={"month": "2026-13"})
            assert refused.status_code == 400 and refused.headers["content-type"].startswith("text/html"), path
            assert "须为月份" in refused.text
    async with server.client(coordinator.token) as http:
        for path in ("/api/measures/report", "/api/measures/report.xlsx", "/api/measures/report.pdf"):
            refused = await http.get(path, params={"month": "November"})
            assert refused.status_code == 400, path
            assert refused.headers["content-type"].startswith("application/problem+json"), path
            assert refused.json()["status"] == 400 and "month" in refused.json()["detail"]


async def test_the_api_gives_the_report_and_its_files(server: LiveServer, coordinator: Caller) -> None:
    await build_november()
    with clock.frozen_at(NOW):
        async with server.client(coordinator.token) as http:
            report = await http.get("/api/measures/report", params=MONTH)
            pdf = await http.get("/api/measures/report.pdf", params=MONTH, headers={"Accept-Language": "en"})
    assert report.status_code == 200
    body = report.json()
    assert body["period"] == {"first": "2026-11-01", "last": "2026-11-30", "time_zone": "Europe/Paris"}
    assert body["headline"]["checked_in"] == 3 and len(body["months"]) == 12
    assert pdf.status_code == 200 and "Monthly report" in pdf_text(pdf.content) and "66.7%" in pdf_text(pdf.content)
