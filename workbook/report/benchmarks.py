"""The report's Benchmarks page: the deal's margins beside reported GPU-rental margins, then the evidence.

Three blocks, all from the core: what the benchmarks say in words
(:func:`core.benchmarks.benchmark_findings`), the benchmarks table of the
model run (``ModelResult.tables["benchmarks"]``), and the public evidence
behind every cost and price default (:func:`core.evidence.evidence_frame`),
one block per table headed by this run's value of the input it sets and that
value's source, with the model's all-in capex per GW beside the public figures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from core.assumptions import INPUTS
from core.benchmarks import benchmark_findings, capex_per_gw
from core.evidence import EVIDENCE_TABLES, evidence_frame
from core.model import ModelResult
from workbook.report.layout import (
    BODY,
    BOLD,
    GROUP_FILL,
    GROUP_FONT,
    RULE,
    WRAP,
    Page,
    fit_columns,
    header_row,
    plain,
    print_setup,
    title,
)
from workbook.spec import REPORT_LAYOUT as _L
from workbook.styles import NUMBER_FORMATS
from workbook.xlsxio import set_value

__all__ = ["SHEET_TITLE", "benchmarks_sheet"]

#: The page's sheet title (placed after the Margin sheet).
SHEET_TITLE = "Benchmarks"
_WIDTHS = {1: 40, 2: 16, 3: 11, 4: 11, 5: 11, 6: 14, 7: 11, 8: 46, 9: 60}
_TEXT_CHARS = {1: 40, 2: 18, 6: 14, 8: 46, 9: 60}  # characters a wrapped cell holds on one line
_LAST_COL = len(_WIDTHS)
_SPECS = {spec.name: spec for spec in INPUTS}


def _merged(ws: Worksheet, row: int, text: str, *, heading: bool = False) -> None:
    """Text across the page's columns, wrapped, its row as tall as the text needs."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=_LAST_COL)
    cell = set_value(ws, row, 1, text)
    cell.font, cell.alignment = (BOLD if heading else BODY), WRAP
    if heading:
        cell.fill = GROUP_FILL
    ws.row_dimensions[row].height = 13.5 * max(1, math.ceil(len(text) / 190))


def _wrapped_row(ws: Worksheet, row: int, values: list[Any], formats: list[str | None]) -> None:
    lines = 1
    for col, (value, fmt) in enumerate(zip(values, formats, strict=True), start=1):
        shown = plain(value)
        cell = set_value(ws, row, col, shown, number_format=fmt)
        cell.font, cell.border = BODY, RULE
        if isinstance(shown, str):
            cell.alignment = WRAP
            lines = max(lines, math.ceil(len(shown) / _TEXT_CHARS.get(col, 11)))
        else:
            cell.alignment = Alignment(vertical="top")
    ws.row_dimensions[row].height = 13.5 * lines


def _header(ws: Worksheet, row: int, labels: list[str]) -> None:
    header_row(ws, row, labels)
    ws.row_dimensions[row].height = 30


def _counted(record: Mapping[str, Any]) -> str:
    """Whether a public point sets its table's default, and if not why."""
    if record["counted"]:
        return f"yes, for {record['generation']}" if record["generation"] else "yes"
    reasons = [
        why
        for why, ok in (
            ("overlaps another row", record["independent"]),
            ("another scope", record["comparable"]),
            ("low confidence", record["confidence"] != "low"),
        )
        if not ok
    ]
    return "no: " + ", ".join(reasons)


def _margins(ws: Worksheet, result: ModelResult, row: int, sources: Mapping[str, str]) -> int:
    """The benchmarks table; returns its last row."""
    a = result.assumptions
    set_value(
        ws, row - 1, 1, "The deal's margins by fiscal year and over its life, beside reported margins"
    ).font = GROUP_FONT
    labels = [
        "Row",
        "Period",
        "Gross margin",
        "EBITDA margin",
        "Operating margin",
        "Reported low",
        "Reported high",
    ]
    _header(ws, row, [*labels, "Where the deal sits (its life margin)", "Source"])
    pct = NUMBER_FORMATS["pct"]
    own = {"life": "Deal, life of contract", "provider": f"{a.provider}: own operating margin"}
    for record in result.tables["benchmarks"].to_dict("records"):
        row += 1
        source = record["source"]
        if record["kind"] == "provider":
            source = f"{source}: {sources.get('base_margin', _SPECS['base_margin'].source)}"
        margins = [record[c] for c in ("gross_margin", "ebitda_margin", "operating_margin", "low", "high")]
        values = [
            own.get(record["row"], record["row"]),
            record["period"],
            *margins,
            record["reading"],
            source,
        ]
        _wrapped_row(ws, row, values, [None, None, pct, pct, pct, pct, pct, None, None])
        if record["kind"] == "deal":
            ws.cell(row=row, column=1).font = BOLD
    return row


def _evidence(ws: Worksheet, result: ModelResult, row: int, sources: Mapping[str, str]) -> None:
    """The public points behind the defaults, one block per table headed by this run's value and its source."""
    a = result.assumptions
    set_value(ws, row - 1, 1, "Evidence behind the cost and price defaults").font = GROUP_FONT
    _merged(
        ws,
        row,
        "A default is the median of its table's counted points (independent, comparable, medium or high "
        "confidence) for the deal's GPU generation, a provider's own point first; the Monte Carlo spans the "
        "comparable points. This run's all-in capex: "
        f"US${capex_per_gw(result.outputs):,.1f}bn per GW of facility power (IT and facility capex ÷ facility "
        "MW), beside the public all-in figures per GW in the last block.",
    )
    row += 2
    labels = ["Public point", "Value", "Low", "High", "Period", "GPUs / company", "Confidence"]
    _header(ws, row, [*labels, "Counted in the default (why not)", "Source and note"])
    evidence = evidence_frame()
    for table in EVIDENCE_TABLES.values():
        row += 1
        heading = f"{table.title} ({table.unit})"
        if table.input is not None:
            spec, value = _SPECS[table.input], getattr(a, table.input)
            shown = f"{value:.1%}" if table.input_unit.startswith("fraction") else f"{value:g}"
            heading += (
                f". This run: {spec.label} = {shown} {table.input_unit}; "
                f"source: {sources.get(table.input, spec.source)}"
            )
        _merged(ws, row, heading, heading=True)
        fmt = NUMBER_FORMATS["pct"] if table.unit.startswith("fraction") else NUMBER_FORMATS["usd"]
        for record in evidence[evidence["table"] == table.title].to_dict("records"):
            row += 1
            who = " / ".join(x for x in (record["generation"], record["company"]) if x)
            note = f"{record['source']}; confidence {record['confidence']}" + (
                f"; {record['note']}" if record["note"] else ""
            )
            values = [
                record["what"],
                record["value"],
                record["low"],
                record["high"],
                record["period"],
                who,
                None,
            ]
            _wrapped_row(ws, row, [*values, _counted(record), note], [None, fmt, fmt, fmt, *[None] * 5])


def benchmarks_sheet(ws: Worksheet, result: ModelResult, page: Page, *, sources: Mapping[str, str]) -> None:
    """Lay out the Benchmarks page of ``result`` on ``ws``.

    ``sources`` maps inputs to their source text where it is not the input's
    default source (a library deal's figures, as on the Assumptions page).
    """
    title(
        ws,
        f"Benchmarks: {result.assumptions.deal_name}",
        page,
        "the deal's margins beside reported GPU-rental margins; the public evidence behind the cost and "
        "price defaults",
    )
    row = _L.header_row
    set_value(ws, row, 1, "What the benchmarks say").font = GROUP_FONT
    for text in benchmark_findings(result.tables["benchmarks"]):
        row += 1
        _merged(ws, row, text)
    row = _margins(ws, result, row + _L.table_gap, sources)
    _evidence(ws, result, row + _L.table_gap, sources)
    fit_columns(ws, _WIDTHS)
    ws.freeze_panes = ws.cell(row=_L.first_row, column=1)
    print_setup(ws, page)
