"""The Cover, Inputs and Scenarios sheets: every input in blue with its name, rule, check and validation.

:func:`input_table` writes an input table (the Exposure sheet's too); the Scenarios sheet holds
each scenario's override and the live value the calculation sheets read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from core.assumptions import INPUTS, SCENARIOS, InputSpec, Shift
from workbook import spec as S
from workbook.styles import input_hint
from workbook.template.book import (
    Book,
    absolute_ref,
    check_format,
    column_range,
    sheet_header,
    table_header,
    template_version,
    wrap_table,
)


def cover_sheet(book: Book, ws: Any) -> None:
    L = S.LAYOUT
    sheet_header(
        book,
        ws,
        "DealDesk — AI compute contract model",
        "Turns a large AI cloud-compute contract into the numbers an equity analyst defends. "
        "Reference case: AWS–OpenAI, US$38bn over 7 years, signed 2025-11-03.",
    )
    row = L.cover_first_row
    for text, role in S.COVER_LINES:
        book.put(ws, row, L.label_col, text, role)
        row += 1
    row += 1
    book.put(ws, row, L.label_col, "Template version", "label")
    book.put(ws, row, L.value_col, template_version(), "label")
    book.put(ws, row + 1, L.label_col, "Function naming", "label")
    book.put(ws, row + 1, L.value_col, "classic (DEAL_…)" if book.classic else "Office.js (DEAL.…)", "label")
    ws.column_dimensions[get_column_letter(L.label_col)].width = 90
    ws.column_dimensions[get_column_letter(L.value_col)].width = 22


def _input_value(spec: InputSpec) -> Any:
    value = spec.default
    if spec.kind == "date" and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def _bound(x: float) -> str:
    return str(int(x)) if float(x) == int(x) else repr(float(x))


def input_table(
    book: Book,
    ws: Any,
    specs: Any,
    value_of: Callable[[Any], Any],
    check_of: Callable[[Any], str],
    *,
    source_title: str,
) -> int:
    """An input table (label, name, blue value, unit, rule, source, OK check) from the layout's
    header row: one defined name and data validation per input; returns the last row written."""
    L = S.LAYOUT
    titles = {
        "label": "Input",
        "name": "Name",
        "value": "Value",
        "unit": "Unit",
        "rule": "Rule",
        "source": source_title,
        "ok": "OK",
    }
    table_header(book, ws, L.inputs_header_row, [titles[c] for c in L.inputs_cols])
    row = L.inputs_header_row
    for spec in specs:
        row += 1
        book.put(ws, row, L.input_col("label"), spec.label, "label")
        book.put(ws, row, L.input_col("name"), spec.name, "unit")
        book.put(ws, row, L.input_col("value"), value_of(spec), "input", input_hint(spec.kind, spec.unit))
        book.put(ws, row, L.input_col("unit"), spec.unit, "unit")
        book.put(ws, row, L.input_col("rule"), spec.rule, "unit")
        book.put(ws, row, L.input_col("source"), spec.source, "note")
        ok = book.put(ws, row, L.input_col("ok"), check_of(spec), "check")
        check_format(ws, ok.coordinate)
        book.define(spec.name, absolute_ref(ws.title, row, L.input_col("value")))
        dv = _validation(spec)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(ws.cell(row=row, column=L.input_col("value")).coordinate)
    return row


def _validation(spec: InputSpec) -> DataValidation | None:
    """Excel data validation of an input: a list for choices, bounds for numbers, a date for dates.

    Excel's bounds are inclusive; a strict minimum (term_years > 0) is enforced
    by the input's check on the Inputs sheet.
    """
    if spec.kind == "choice":
        dv = DataValidation(type="list", formula1='"' + ",".join(spec.choices) + '"', allow_blank=False)
    elif spec.kind in ("number", "fraction", "integer") and (
        spec.minimum is not None or spec.maximum is not None
    ):
        kind = "whole" if spec.kind == "integer" else "decimal"
        if spec.minimum is not None and spec.maximum is not None:
            dv = DataValidation(
                type=kind, operator="between", formula1=_bound(spec.minimum), formula2=_bound(spec.maximum)
            )
        elif spec.minimum is not None:
            op = "greaterThan" if spec.strict_min else "greaterThanOrEqual"
            dv = DataValidation(type=kind, operator=op, formula1=_bound(spec.minimum))
        elif spec.maximum is not None:
            dv = DataValidation(type=kind, operator="lessThanOrEqual", formula1=_bound(spec.maximum))
        else:  # pragma: no cover - the branch is entered only with a bound
            return None
    elif spec.kind == "date":
        dv = DataValidation(type="date", operator="greaterThan", formula1="1")
    else:
        return None
    dv.allow_blank = spec.optional
    dv.showErrorMessage = True
    dv.errorTitle = spec.label[:32]  # Excel's limits: titles 32 characters, messages 225
    dv.error = f"{spec.name} must be {spec.rule}"[:225]
    return dv


def inputs_sheet(book: Book, ws: Any) -> None:
    L = S.LAYOUT
    sheet_header(
        book,
        ws,
        "Inputs",
        "Every assumption of the model: type in the blue cells only. "
        "Defined names = the Name column; the OK column checks each rule.",
    )
    row = input_table(book, ws, INPUTS, _input_value, S.input_check_formula, source_title="Source")
    first = L.inputs_header_row
    name_col, value_col = L.input_col("name"), L.input_col("value")
    letter_n, letter_v = get_column_letter(name_col), get_column_letter(value_col)
    # Two columns (name, value), input rows only: what model-level functions such as
    # DEAL.OUTPUT take, and what Assumptions.from_pairs reads.
    book.define("inputs_table", f"{quote_sheetname(ws.title)}!${letter_n}${first + 1}:${letter_v}${row}")
    book.define("inputs_ok", column_range(ws.title, L.input_col("ok"), first + 1, row))
    longest = max(len(spec.label) for spec in INPUTS)
    widths = {"label": longest + 2, "name": 28, "value": 16, "unit": 18, "rule": 30, "source": 70, "ok": 8}
    wrap_table(ws, first + 1, row, widths, ("rule", "source"))
    ws.freeze_panes = ws.cell(row=first + 1, column=value_col)


def scenarios_sheet(book: Book, ws: Any) -> None:
    L = S.LAYOUT
    sheet_header(
        book,
        ws,
        "Scenarios",
        "Named scenarios as overrides of the inputs (analyst assumptions); a formula (black) moves "
        "the Inputs value, e.g. full run-rate one quarter earlier. 'Live' holds the values of the "
        "scenario chosen on the Inputs sheet (names live_<input>): the calculation sheets use them.",
    )
    names = list(SCENARIOS)
    table_header(book, ws, L.table_header_row, ["Input", "Unit", "Name", *names, "Live"])
    by_name = {s.name: s for s in INPUTS}
    row = L.table_header_row
    first_scn_col = 4
    for name, overrides in S.scenario_rows():
        row += 1
        spec = by_name[name]
        fmt = input_hint(spec.kind, spec.unit)
        book.put(ws, row, 1, spec.label, "label")
        book.put(ws, row, 2, spec.unit, "unit")
        book.put(ws, row, 3, name, "unit")
        for i, scn in enumerate(names):
            col = first_scn_col + i
            if scn in overrides and isinstance(overrides[scn], Shift):
                # Relative to the base case: the same move of the Inputs sheet's value.
                book.put(ws, row, col, overrides[scn].excel_formula(name), "formula", fmt)
            elif scn in overrides:
                value = overrides[scn]
                if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                    value = dt.datetime(value.year, value.month, value.day)
                book.put(ws, row, col, value, "input", fmt)
            else:
                book.put(ws, row, col, f"={name}", "link", fmt)
            book.define(f"scn_{scn}_{name}", absolute_ref(ws.title, row, col))
        chooser = f"scn_{names[0]}_{name}"
        for scn in reversed(names[1:]):
            chooser = f'IF(scenario="{scn}",scn_{scn}_{name},{chooser})'
        sel_col = first_scn_col + len(names)
        book.put(ws, row, sel_col, "=" + chooser, "formula", fmt)
        book.define(S.live_name(name), absolute_ref(ws.title, row, sel_col))
    ws.column_dimensions[get_column_letter(1)].width = 34
    ws.column_dimensions[get_column_letter(3)].width = 20
    for col in range(first_scn_col, first_scn_col + len(names) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 14
