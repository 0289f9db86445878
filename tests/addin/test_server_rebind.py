"""The Office.js script that re-enters DEAL formulas, run under Node against a stub workbook.

The stub answers the Excel JavaScript API calls the script makes
(``worksheets``, ``getUsedRangeOrNullObject``, ``formulas``, ``getCell``) and
records every formula written. Its sheets are the committed template's, read
with openpyxl, plus a sheet of edge cases: Excel's internal spelling, a DEAL
name inside a string, a longer name that contains "deal", a spilled cell
(Office.js reports its value, not a formula) and an empty sheet.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from addin.server import REBIND_JS
from tests.addin.officejs import deal_functions

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "workbook" / "DealDesk.xlsx"
EXCEL_NAMES = sorted((name.removeprefix("deal_").upper() for name in deal_functions()), key=len, reverse=True)

HARNESS = r"""
import fs from "node:fs";
import vm from "node:vm";
const [scriptFile, sheetsFile] = process.argv.slice(2);
const data = JSON.parse(fs.readFileSync(sheetsFile, "utf8"));
const writes = [];
const startup = [];
const sheets = data.map((s) => ({
  name: s.name,
  getUsedRangeOrNullObject: () => ({
    isNullObject: s.formulas === null,
    formulas: s.formulas,
    rowIndex: s.rowIndex,
    columnIndex: s.columnIndex,
    load() {},
  }),
  getCell: (row, column) => ({
    set formulas(value) {
      writes.push([s.name, row, column, value[0][0]]);
    },
  }),
}));
const context = { workbook: { worksheets: { items: sheets, load() {} } }, sync: async () => {} };
globalThis.Excel = { run: async (batch) => await batch(context) };
globalThis.Office = {
  context: { requirements: { isSetSupported: (name, version) => name === "SharedRuntime" && version === "1.1" } },
  addin: { setStartupBehavior: async (behaviour) => startup.push(behaviour) },
  StartupBehavior: { load: "Load", none: "None" },
};
vm.runInThisContext(fs.readFileSync(scriptFile, "utf8"), { filename: "dealdesk-rebind.js" });
const count = await globalThis.dealdeskRebind.run(null);
process.stdout.write(JSON.stringify({ count, writes, startup }) + "\n");
"""

EDGE_CASES = {
    "name": "Edge",
    "rowIndex": 2,
    "columnIndex": 1,
    "formulas": [
        ["=_xldudf_DEAL_SCHEDULE(A1,B1,7)", '="DEAL.SCHEDULE(" & A1', "=live_deal_margin*2"],
        [0.877, "=deal.straightline_gap(38,B1,7)", '=IF(A1="x",_xldudf_DEAL_OUTPUT(inputs_table,"npv"),0)'],
        ["=SUM(DEAL.SCHEDULE(38,B1,7))", "text DEAL.SCHEDULE(", "=XDEAL.SCHEDULE(1)"],
    ],
}
EDGE_EXPECTED = [
    ["Edge", 2, 1, "=DEAL.SCHEDULE(A1,B1,7)"],
    ["Edge", 3, 2, "=deal.straightline_gap(38,B1,7)"],
    ["Edge", 3, 3, '=IF(A1="x",DEAL.OUTPUT(inputs_table,"npv"),0)'],
    ["Edge", 4, 1, "=SUM(DEAL.SCHEDULE(38,B1,7))"],
]


def _template_sheets() -> list[dict]:
    """Each sheet's used range as Office.js reports ``formulas``: formula text, else the value."""
    book = openpyxl.load_workbook(TEMPLATE)
    sheets = []
    for ws in book.worksheets:
        cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
        if not cells:
            sheets.append({"name": ws.title, "rowIndex": 0, "columnIndex": 0, "formulas": None})
            continue
        top, left = min(c.row for c in cells), min(c.column for c in cells)
        bottom, right = max(c.row for c in cells), max(c.column for c in cells)
        grid = [
            [_office_value(ws.cell(row, column).value) for column in range(left, right + 1)]
            for row in range(top, bottom + 1)
        ]
        sheets.append({"name": ws.title, "rowIndex": top - 1, "columnIndex": left - 1, "formulas": grid})
    return sheets


def _office_value(value):
    if value is None:
        return ""
    if isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


def _calls_a_deal_function(formula) -> bool:
    """Independent of the script: the formula text names DEAL.<one of the functions>( outside quotes."""
    if not (isinstance(formula, str) and formula.startswith("=")):
        return False
    code = "".join(formula.split('"')[0::2])
    return any(re.search(rf"(?<![\w.])DEAL\.{name}\(", code, re.IGNORECASE) for name in EXCEL_NAMES)


@pytest.fixture(scope="module")
def template_sheets():
    return _template_sheets()


def _run(sheets, tmp_path) -> dict:
    node = shutil.which("node") or "/usr/bin/node"
    (tmp_path / "harness.mjs").write_text(HARNESS)
    (tmp_path / "sheets.json").write_text(json.dumps(sheets))
    done = subprocess.run(
        [node, str(tmp_path / "harness.mjs"), str(REBIND_JS), str(tmp_path / "sheets.json")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_template_stores_the_names_excel_shows(template_sheets):
    # Decision (README, "The template in Excel"): DEAL.NAME( as typed, never Excel's internal spelling.
    formulas = [f for s in template_sheets for row in s["formulas"] or [] for f in row if isinstance(f, str)]
    assert sum(_calls_a_deal_function(f) for f in formulas) > 50  # 90 when written
    assert not any("_xldudf_" in f or "XLWINGS." in f.upper() for f in formulas)


def test_every_deal_formula_of_the_template_is_re_entered_as_it_is(template_sheets, tmp_path):
    result = _run(template_sheets, tmp_path)
    expected = sorted(
        [s["name"], s["rowIndex"] + i, s["columnIndex"] + j, f]
        for s in template_sheets
        for i, row in enumerate(s["formulas"] or [])
        for j, f in enumerate(row)
        if _calls_a_deal_function(f)
    )
    assert sorted(result["writes"]) == expected
    assert result["count"] == len(expected)


def test_edge_cases(tmp_path):
    empty = {"name": "Empty", "rowIndex": 0, "columnIndex": 0, "formulas": None}
    result = _run([EDGE_CASES, empty], tmp_path)
    assert sorted(result["writes"]) == EDGE_EXPECTED
    assert result["count"] == 4


def test_the_add_in_then_loads_with_the_document(tmp_path):
    assert _run([EDGE_CASES], tmp_path)["startup"] == ["Load"]
