"""What a reader sees on every page of the report: labels, finance formats, years across, charts, as-of line."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from core.model import run_model
from workbook.report import build_report
from workbook.styles import NUMBER_FORMATS, is_finance_format

_SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_report(None, tmp_path_factory.mktemp("pages") / "base.xlsx", simulation_draws=2_000)


@pytest.fixture(scope="module")
def book(report: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(report)


def test_no_label_is_a_snake_case_identifier(book: openpyxl.Workbook) -> None:
    found = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                # The Assumptions sheet's first column is the name an inputs file uses: the point is the identifier.
                if ws.title == "Assumptions" and cell.column == 1:
                    continue
                if isinstance(cell.value, str) and _SNAKE.match(cell.value.strip()):
                    found.append(f"{ws.title}!{cell.coordinate}={cell.value}")
    assert found == []


def test_the_check_can_fail() -> None:
    # The pattern the test above relies on does catch an identifier and lets words pass.
    assert _SNAKE.match("us_power_share") and not _SNAKE.match("Share of US electricity")


def test_every_numeric_cell_has_a_finance_number_format(book: openpyxl.Workbook) -> None:
    bad = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    if not is_finance_format(cell.number_format):
                        bad.append(f"{ws.title}!{cell.coordinate}: {cell.number_format}")
    assert bad == []
    assert not is_finance_format("General") and not is_finance_format("0.00")


def test_the_summary_has_fiscal_years_across_its_columns(book: openpyxl.Workbook) -> None:
    ws = book["Summary"]
    periods = run_model().tables["gap"]["period"].tolist()
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Figure")
    assert [ws.cell(header, c).value for c in range(1, 3 + len(periods))] == ["Figure", "Unit", *periods]
    assert periods[0] == "FY2025" and periods[-1] == "FY2032"  # signed 2025-11-03, 7 years, December year-end
    rows = {ws.cell(r, 1).value: r for r in range(header + 1, ws.max_row + 1)}
    # Straight line by days: US$ 38 bn × 365 days of FY2026 ÷ the 2,557 days of the term, in column 4.
    term_days = (dt.date(2032, 11, 3) - dt.date(2025, 11, 3)).days
    assert ws.cell(rows["Straight line"], 4).value == pytest.approx(38 * 365 / term_days, rel=1e-9)
    assert ws.cell(rows["Margin change from the deal"], 4).number_format == NUMBER_FORMATS["bps"]


def _charts_by_sheet(path: Path) -> dict[str, int]:
    """Number of charts on each sheet, read from the package's relationships."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="/?(?:xl/)?([^"]+)"', rels))
        targets.update({k: v for v, k in re.findall(r'Target="/?(?:xl/)?([^"]+)"[^>]*Id="(rId\d+)"', rels)})
        counts = {}
        for title, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="(rId\d+)"', wb):
            sheet = "xl/" + targets[rid]
            sheet_rels = sheet.replace("worksheets/", "worksheets/_rels/") + ".rels"
            drawings = (
                re.findall(r'Target="[^"]*drawings/(drawing\d+\.xml)"', z.read(sheet_rels).decode())
                if sheet_rels in names
                else []
            )
            n = 0
            for d in drawings:
                drels = f"xl/drawings/_rels/{d}.rels"
                n += len(re.findall(r"charts/chart\d+\.xml", z.read(drels).decode())) if drels in names else 0
            counts[title] = n
    return counts


def test_sensitivity_and_tornado_sheets_have_their_charts(report: Path) -> None:
    counts = _charts_by_sheet(report)
    assert counts["Summary"] == 2  # straight line vs ramp; NPV over the Monte Carlo draws
    assert counts["Charts"] == 7
    assert counts["Sensitivity"] == 1
    assert counts["Tornado"] == 1
    assert counts["Margin bridge"] == 1
    assert sum(counts.values()) == 12


def test_every_page_says_as_of_and_where_the_inputs_came_from(book: openpyxl.Workbook) -> None:
    # Under the title the whole line; in the footer, beside the page number, the short one.
    # Valued at signing; the figures run to the libraries' newest, reported 2026-07-01.
    line = "Valued at 2025-11-03; figures to 2026-07-01 · Amazon (AWS) – OpenAI; inputs: core defaults; base scenario"
    for ws in book.worksheets:
        assert str(ws.cell(2, 1).value).startswith(line), ws.title
        assert (
            ws.oddFooter.left.text
            == "Valued at 2025-11-03; figures to 2026-07-01 · AWS–OpenAI, base scenario"
        ), ws.title


def test_sources_under_every_chart(book: openpyxl.Workbook, report: Path) -> None:
    counts = _charts_by_sheet(report)
    for title, n in counts.items():
        ws = book[title]
        sources = [
            c
            for row in ws.iter_rows()
            for c in row
            if isinstance(c.value, str) and c.value.startswith("Source: ")
        ]
        assert len(sources) == n, title


def test_the_summary_prints_on_one_page(book: openpyxl.Workbook) -> None:
    ws = book["Summary"]
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 1)
    assert ws.page_setup.orientation == "landscape"


def test_yearly_detail_sheets_have_the_years_across(book: openpyxl.Workbook) -> None:
    result = run_model()
    for sheet, key in (("Straight line vs ramp", "gap"), ("Margin", "margin"), ("Schedule", "schedule")):
        ws = book[sheet]
        periods = result.tables[key]["period"].tolist()
        assert [ws.cell(4, c).value for c in range(1, 3 + len(periods))] == ["Figure", "Unit", *periods], (
            sheet
        )
    # The economics' years are the provider's fiscal years: labelled as every other page labels them.
    economics = book["Economics"]
    years = [f"FY{int(y)}" for y in result.tables["economics"]["year"]]
    assert [economics.cell(4, c).value for c in range(3, 3 + len(years))] == years
    assert years[:2] == ["FY2025", "FY2026"]  # capex a year ahead, but never before the signing year
    # The customer's years are calendar years, and say so.
    assert book["Counterparty"].cell(4, 3).value == 2025
    # The quarterly backlog (29 periods) stays down the rows.
    assert book["Backlog"].cell(4, 1).value == "Period"


def _row_of(ws, label: str) -> list:
    for row in ws.iter_rows(values_only=True):
        if row and row[0] == label:
            return list(row)
    raise AssertionError(f"no row {label!r} on {ws.title}")


def test_the_margin_page_says_which_years_are_stubs_in_words(book: openpyxl.Workbook) -> None:
    # AWS–OpenAI runs 2025-11-03 .. 2032-11-02: 59 days of FY2025 (Nov 28 + Dec 31) and 307 of FY2032
    # (a leap year: 366 − 59 days of Nov 3 .. Dec 31), full years between.
    ws = book["Margin"]
    days = _row_of(ws, "Days of the contract in the year")
    assert days[1] == "days" and days[2:10] == [59, 365, 365, 366, 365, 365, 365, 307]
    assert ws.cell(row=5, column=3).number_format == NUMBER_FORMATS["integer"]
    assert _row_of(ws, "Full year or stub")[2:10] == ["stub", *["full year"] * 6, "stub"]


def test_page_one_names_the_stub_years_under_its_table(book: openpyxl.Workbook) -> None:
    texts = [c.value for c in book["Summary"]["A"] if isinstance(c.value, str)]
    assert (
        "FY2025 (59 days) and FY2032 (307 days) are stub years: the contract covers them in part; "
        "the peak margin dilution is read on full years."
    ) in texts


def test_the_stub_note_is_left_out_when_every_year_is_full() -> None:
    # A contract from a fiscal year's first day for whole years has no stub: 2026-01-01 .. 2030-12-31.
    from core.assumptions import Assumptions
    from workbook.report.summary import stub_note

    a = Assumptions().replace(signing_date=dt.date(2026, 1, 1), start_date=dt.date(2026, 1, 1), term_years=5)
    assert stub_note(run_model(a)) is None
    assert stub_note(run_model()) is not None
