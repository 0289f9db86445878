"""The template as it prints: years as years, fractions in %, nothing cut off or run off the page."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from core.assumptions import INPUTS
from workbook import spec as S
from workbook.styles import NUMBER_FORMATS
from workbook.template import build_template


@pytest.fixture(scope="module")
def book() -> openpyxl.Workbook:
    return build_template()


def _input_row(ws, name: str) -> int:
    col = S.LAYOUT.input_col("name")
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, col).value == name)


def test_inputs_show_years_as_years_and_fractions_in_percent(book: openpyxl.Workbook) -> None:
    ws = book[S.INPUT_SHEET]
    value = S.LAYOUT.input_col("value")
    # A year is 2024, never 2,024; the announcement move (a fraction of kind "number") is 5.8%, not 0.06;
    # the cloud-shock switch reads Yes or No; a count of GPUs has its thousands separator.
    assert (
        ws.cell(_input_row(ws, "customer_revenue_start_year"), value).number_format == NUMBER_FORMATS["year"]
    )
    assert ws.cell(_input_row(ws, "customer_target_year"), value).number_format == "0"
    assert ws.cell(_input_row(ws, "move_pct"), value).number_format == NUMBER_FORMATS["pct"]
    assert ws.cell(_input_row(ws, "apply_cloud_shock"), value).number_format == NUMBER_FORMATS["flag"]
    assert ws.cell(_input_row(ws, "gpus_per_rack"), value).number_format == NUMBER_FORMATS["count"]


def test_no_label_is_cut_and_long_text_wraps_in_a_tall_enough_row(book: openpyxl.Workbook) -> None:
    ws = book[S.INPUT_SHEET]
    label_width = ws.column_dimensions[get_column_letter(S.LAYOUT.input_col("label"))].width
    longest = max(INPUTS, key=lambda s: len(s.label))
    assert longest.label == "Deal operating margin override (blank = from costs)"
    assert label_width >= len(longest.label)
    source = S.LAYOUT.input_col("source")
    width = ws.column_dimensions[get_column_letter(source)].width
    for spec in INPUTS:
        row = _input_row(ws, spec.name)
        assert ws.cell(row, source).alignment.wrap_text
        if len(spec.source) > 1.1 * width:  # more than a line: the row is at least two lines tall
            assert (ws.row_dimensions[row].height or 0) >= 26, spec.name


def test_a_long_purpose_note_wraps_over_the_sheet(book: openpyxl.Workbook) -> None:
    # The Margin sheet's note runs to ~300 characters: merged over the used columns and wrapped.
    ws = book["Margin"]
    row = S.LAYOUT.note_row
    assert len(ws.cell(row, 1).value) > 200
    assert any(m.min_row == row and m.min_col == 1 and m.max_col > 1 for m in ws.merged_cells.ranges)
    assert ws.cell(row, 1).alignment.wrap_text and ws.row_dimensions[row].height > 13


def test_a_revenue_path_has_no_total(book: openpyxl.Workbook) -> None:
    # Summed over every column of the 40-period axis (past the contract) the customer's growing
    # revenue reached 7.6e15 and showed ###, the provider's flat base 40 × 107.6 = 4,304: a path
    # of revenue has no meaningful total. The deal's own revenue keeps its total.
    rows = {r.name: r for sheet in S.CALC_SHEETS for r in sheet.rows}
    assert rows["cp_customer_revenue"].total is None and rows["mg_base_revenue"].total is None
    assert rows["mg_deal_revenue"].total == "sum"
    ws = book["Counterparty"]
    label = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Customer revenue")
    assert ws.cell(label, S.LAYOUT.value_col).value is None


def test_library_sheets_print_at_a_readable_size(book: openpyxl.Workbook) -> None:
    # Columns as wide as their text up to 34 characters (longer text wraps); a table wider than
    # a landscape page's 270 characters prints over more pages, not shrunk to fit one.
    for title in (S.DEALS_SHEET, S.COMPANIES_SHEET):
        ws = book[title]
        widths = [ws.column_dimensions[get_column_letter(c)].width for c in range(1, ws.max_column + 1)]
        assert max(widths) <= 34, title
        assert ws.page_setup.fitToWidth == max(1, -(-int(sum(widths)) // 270)), title
