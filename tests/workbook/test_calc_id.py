"""Workbooks DealDesk writes record the calculation engine of current Excel, so Excel keeps their saved values on open.

Excel recalculates every formula of a file whose ``calcId`` is below its own
engine's when it opens it (ECMA-376 Part 1, 18.2.2 calcPr; MS-XLS 2.4.215
RecalcId). openpyxl writes 124519 (Excel 2007): every later Excel would
recompute the template on open and show ``#NAME?`` in each DEAL cell until the
add-in loads. Excel 2019 and Microsoft 365 write 191029.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from workbook.template import DEFAULT_TEMPLATE
from workbook.xlsxio import CALC_ID, save_workbook_reproducibly


def _calc_pr(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return re.search(r"<calcPr\b[^>]*/>", z.read("xl/workbook.xml").decode()).group(0)


def test_the_committed_template_says_current_excel_calculated_it_and_asks_for_no_recalculation():
    assert _calc_pr(DEFAULT_TEMPLATE) == '<calcPr calcId="191029" fullCalcOnLoad="0" />'


def test_current_excels_engine_is_191029():
    assert CALC_ID == 191029


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (124519, 191029),  # openpyxl's default (Excel 2007): raised
        (191028, 191029),  # just below: raised
        (191029, 191029),  # current: kept
        (191030, 191030),  # a newer engine's (a file Excel saved): kept, never lowered
    ],
)
def test_a_written_workbook_records_at_least_the_current_engine(tmp_path: Path, before: int, after: int):
    wb = openpyxl.Workbook()
    wb.active["A1"] = 1
    wb.active["A2"] = "=A1*2"
    wb.calculation.calcId = before
    path = save_workbook_reproducibly(wb, tmp_path / "book.xlsx")
    assert f'calcId="{after}"' in _calc_pr(path)


def test_a_fresh_openpyxl_workbook_starts_at_excel_2007s_engine():
    # The reason for the rule: without it, openpyxl's default is what would be written.
    assert openpyxl.Workbook().calculation.calcId == 124519
