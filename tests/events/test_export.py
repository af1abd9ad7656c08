"""The CSV writer every export uses: spreadsheet formulas are neutralised, empty cells stay empty."""

from __future__ import annotations

from events.export import csv_text


def test_a_cell_that_would_run_as_a_formula_is_quoted_and_an_empty_cell_stays_empty() -> None:
    text = csv_text(["name", "note", "phone"], [["=HYPERLINK(\"x\")", "", "+33 6 12"], ["Wei", "-", None]])
    assert text.splitlines() == [
        "name,note,phone",
        "\"'=HYPERLINK(\"\"x\"\")\",,'+33 6 12",
        "Wei,'-,",
    ]
