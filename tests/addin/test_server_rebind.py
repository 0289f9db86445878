"""The Office.js script that re-enters unbound DEAL formulas, run under Node against a stub workbook.

The stub answers the Excel JavaScript API calls the script makes
(``worksheets``, ``getUsedRangeOrNullObject`` with ``formulas`` and
``values``, ``getCell``, ``onCalculated``, the add-in's startup behaviour) and
records every formula written. Its sheets are the committed template's, read
with openpyxl, in the two states Excel can open it in: every formula showing
``#NAME?`` (a full recalculation before the add-in registered) or showing the
values saved in the file; plus a sheet of edge cases: Excel's internal
spelling, a DEAL name inside a string, a longer name that contains "deal", a
spilled cell (Office.js reports its value, not a formula) and an empty sheet.
The ribbon's button runs through ``server_ribbon.js`` with ``Office.actions``
stubbed.
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
RIBBON_JS = ROOT / "addin" / "server_ribbon.js"
EXCEL_NAMES = sorted((name.removeprefix("deal_").upper() for name in deal_functions()), key=len, reverse=True)

HARNESS = r"""
import fs from "node:fs";
import vm from "node:vm";
const [rebindFile, ribbonFile, scenarioFile] = process.argv.slice(2);
const scenario = JSON.parse(fs.readFileSync(scenarioFile, "utf8"));
const writes = [];
const startup = [];
let behaviour = scenario.startup;
const handlers = [];
const associated = {};
const sheets = scenario.sheets.map((s) => ({
  name: s.name,
  id: s.id,
  getUsedRangeOrNullObject: () => ({
    isNullObject: s.formulas === null,
    formulas: s.formulas,
    values: s.values,
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
const context = {
  workbook: { worksheets: { items: sheets, load() {}, onCalculated: { add: (handler) => handlers.push(handler) } } },
  sync: async () => {},
};
globalThis.Excel = { run: async (batch) => await batch(context) };
globalThis.Office = {
  context: { requirements: { isSetSupported: (name, version) => ["SharedRuntime 1.1", "ExcelApi 1.8"].includes(`${name} ${version}`) } },
  addin: {
    getStartupBehavior: async () => behaviour,
    setStartupBehavior: async (value) => { startup.push(value); behaviour = value; },
  },
  StartupBehavior: { load: "Load", none: "None" },
  actions: { associate: (name, action) => { associated[name] = action; } },
};
vm.runInThisContext(fs.readFileSync(rebindFile, "utf8"), { filename: "dealdesk-rebind.js" });
vm.runInThisContext(fs.readFileSync(ribbonFile, "utf8"), { filename: "ribbon.js" });
const counts = [];
let completed = 0;
for (const step of scenario.steps) {
  if (step === "start") counts.push(await globalThis.dealdeskRebind.run(null));
  else if (step === "watch") counts.push(await globalThis.dealdeskRebind.watchCalculations());
  else if (step === "ribbon") await associated["dealdesk-reenter"]({ completed: () => { completed += 1; } });
  else if (step.startsWith("calculated:")) {
    for (const handler of handlers) await handler({ worksheetId: step.slice("calculated:".length) });
  }
}
process.stdout.write(JSON.stringify({ counts, writes, startup, completed, associated: Object.keys(associated) }) + "\n");
"""

EDGE_CASES = {
    "name": "Edge",
    "id": "{edge}",
    "rowIndex": 2,
    "columnIndex": 1,
    "formulas": [
        ["=_xldudf_DEAL_SCHEDULE(A1,B1,7)", '="DEAL.SCHEDULE(" & A1', "=live_deal_margin*2"],
        [0.877, "=deal.straightline_gap(38,B1,7)", '=IF(A1="x",_xldudf_DEAL_OUTPUT(inputs_table,"npv"),0)'],
        ["=SUM(DEAL.SCHEDULE(38,B1,7))", "text DEAL.SCHEDULE(", "=XDEAL.SCHEDULE(1)"],
        ["=DEAL.SCHEDULE(38,B1,7)", "=DEAL.OUTPUT(inputs_table,B1)", '="#NAME?"'],
    ],
    # What the cells show: the internal spelling re-entered whatever it shows; a DEAL call showing a
    # value (bound, or a saved value) or #VALUE! (bound, bad input) is left alone.
    "values": [
        [0, "DEAL.SCHEDULE(1", "#NAME?"],
        [0.877, "#NAME?", 0],
        ["#NAME?", "text DEAL.SCHEDULE(", "#NAME?"],
        [0.877, "#VALUE!", "#NAME?"],
    ],
}
EDGE_EXPECTED = [
    ["Edge", 2, 1, "=DEAL.SCHEDULE(A1,B1,7)"],
    ["Edge", 3, 2, "=deal.straightline_gap(38,B1,7)"],
    ["Edge", 3, 3, '=IF(A1="x",DEAL.OUTPUT(inputs_table,"npv"),0)'],
    ["Edge", 4, 1, "=SUM(DEAL.SCHEDULE(38,B1,7))"],
]
EMPTY = {"name": "Empty", "id": "{empty}", "rowIndex": 0, "columnIndex": 0, "formulas": None, "values": None}


def _template_sheets(*, unbound: bool) -> list[dict]:
    """Each sheet's used range as Office.js reports ``formulas`` and ``values``.

    ``unbound``: every formula shows ``#NAME?`` (Excel recalculated the file before the add-in
    registered); otherwise each formula shows the value saved in the file.
    """
    book = openpyxl.load_workbook(TEMPLATE)
    saved = openpyxl.load_workbook(TEMPLATE, data_only=True)
    sheets = []
    for index, ws in enumerate(book.worksheets):
        cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
        if not cells:
            sheets.append({**EMPTY, "name": ws.title, "id": f"{{{index}}}"})
            continue
        top, left = min(c.row for c in cells), min(c.column for c in cells)
        bottom, right = max(c.row for c in cells), max(c.column for c in cells)
        formulas, values = [], []
        for row in range(top, bottom + 1):
            formulas.append([_office_value(ws.cell(row, column).value) for column in range(left, right + 1)])
            values.append(
                [
                    "#NAME?"
                    if unbound and str(formulas[-1][column - left]).startswith("=")
                    else _office_value(saved[ws.title].cell(row, column).value)
                    for column in range(left, right + 1)
                ]
            )
        sheets.append(
            {
                "name": ws.title,
                "id": f"{{{index}}}",
                "rowIndex": top - 1,
                "columnIndex": left - 1,
                "formulas": formulas,
                "values": values,
            }
        )
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


def _deal_cells(sheets) -> list[list]:
    return sorted(
        [s["name"], s["rowIndex"] + i, s["columnIndex"] + j, f]
        for s in sheets
        for i, row in enumerate(s["formulas"] or [])
        for j, f in enumerate(row)
        if _calls_a_deal_function(f)
    )


@pytest.fixture(scope="module")
def unbound_template():
    return _template_sheets(unbound=True)


@pytest.fixture(scope="module")
def saved_template():
    return _template_sheets(unbound=False)


def _run(tmp_path, sheets, steps=("start",), startup="None") -> dict:
    node = shutil.which("node") or "/usr/bin/node"
    (tmp_path / "harness.mjs").write_text(HARNESS)
    (tmp_path / "scenario.json").write_text(
        json.dumps({"sheets": sheets, "steps": steps, "startup": startup})
    )
    done = subprocess.run(
        [
            node,
            str(tmp_path / "harness.mjs"),
            str(REBIND_JS),
            str(RIBBON_JS),
            str(tmp_path / "scenario.json"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_template_stores_the_names_excel_shows(saved_template):
    # Decision (docs/excel.md, "The template in Excel"): DEAL.NAME( as typed, never Excel's internal spelling.
    formulas = [f for s in saved_template for row in s["formulas"] or [] for f in row if isinstance(f, str)]
    assert len(_deal_cells(saved_template)) > 50
    assert not any("_xldudf_" in f or "XLWINGS." in f.upper() for f in formulas)


def test_a_template_showing_name_errors_has_every_deal_formula_re_entered_as_it_is(
    unbound_template, tmp_path
):
    result = _run(tmp_path, unbound_template)
    expected = _deal_cells(unbound_template)
    assert sorted(result["writes"]) == expected
    assert result["counts"] == [len(expected)]


def test_a_template_showing_its_saved_values_is_not_written_to(saved_template, tmp_path):
    # Opened with its saved values (a current calcId: no recalculation on open), nothing shows #NAME?:
    # no cell is re-entered, nothing is recalculated, the workbook is not changed.
    result = _run(tmp_path, saved_template, startup="Load")
    assert (result["writes"], result["counts"], result["startup"]) == ([], [0], [])


def test_edge_cases(tmp_path):
    result = _run(tmp_path, [EDGE_CASES, EMPTY])
    assert sorted(result["writes"]) == EDGE_EXPECTED
    assert result["counts"] == [4]


def test_the_add_in_then_loads_with_the_document_set_only_once(tmp_path):
    assert _run(tmp_path, [EDGE_CASES], startup="None")["startup"] == ["Load"]
    assert _run(tmp_path, [EDGE_CASES], startup="Load")["startup"] == []


def test_after_a_calculation_its_sheet_is_re_entered_once(tmp_path):
    # An input changed: the sheet calculated and its unbound DEAL formulas turned #NAME?. Each is
    # re-entered once; if it still shows #NAME? (its function is not registered) the next
    # calculation leaves it, so re-entry cannot loop. Another sheet's calculation does not touch it.
    result = _run(
        tmp_path,
        [EDGE_CASES, EMPTY],
        steps=["watch", "calculated:{empty}", "calculated:{edge}", "calculated:{edge}"],
    )
    assert result["counts"] == [True]
    assert sorted(result["writes"]) == EDGE_EXPECTED


def test_the_ribbon_button_re_enters_and_completes(tmp_path):
    result = _run(tmp_path, [EDGE_CASES], steps=["ribbon"])
    assert result["associated"] == ["dealdesk-reenter"]  # the manifest's FunctionName; no sample left
    assert sorted(result["writes"]) == EDGE_EXPECTED
    assert result["completed"] == 1
