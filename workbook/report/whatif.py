"""What moves the figures: the sensitivity grid, the tornado and the named scenarios, as report sheets.

Every number is the core's (:func:`core.scenarios.sensitivity`, :func:`core.scenarios.tornado`,
:func:`core.model.run_model` under :func:`core.assumptions.scenario_assumptions`); these
sheets choose the values tried, lay them out with their units and mark the base case.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from core.assumptions import INPUTS, SCENARIOS, Assumptions, scenario_assumptions
from core.conventions import HOURS_PER_YEAR
from core.model import OUTPUTS, run_model
from core.validation import DealDeskInputError
from workbook.report import charts as ch
from workbook.report.labels import label_of
from workbook.report.layout import (
    BODY,
    BOLD,
    GROUP_FONT,
    HEADER_FILL,
    HEADER_FONT,
    RULE,
    Page,
    Placed,
    fit_columns,
    fit_row_height,
    freeze,
    header_row,
    note,
    plain,
    print_setup,
    title,
)
from workbook.spec import REPORT_LAYOUT as _L
from workbook.styles import NUMBER_FORMATS, format_text
from workbook.xlsxio import set_value

__all__ = [
    "SENSITIVITY",
    "TORNADO_OUTPUT",
    "ScenarioTables",
    "grid_values",
    "scenario_sheet",
    "sensitivity_sheet",
    "tornado_sheet",
    "value_words",
]

#: The sensitivity grid: (output, row input, column inputs in order of preference). The price per
#: GPU-hour is left out when the deal discloses its fleet (the price then sizes nothing).
SENSITIVITY: tuple[str, str, tuple[str, ...]] = (
    "npv",
    "realisation",
    ("price_per_gpu_hour", "discount_rate"),
)
#: The figure the tornado ranks the inputs by, and how many inputs it shows.
TORNADO_OUTPUT, TORNADO_ROWS = "npv", 10
#: A fraction is tried in steps of 2.5 points around the base case, any other number ±10% and ±20%.
FRACTION_STEP, NUMBER_STEPS = 0.025, (0.8, 0.9, 1.0, 1.1, 1.2)
#: How many values a grid tries along each input.
GRID_VALUES = 5

#: The base case stands out: bold on light yellow, framed.
BASE_FILL = PatternFill("solid", fgColor="FFF2CC")
BASE_FONT = Font(name="Calibri", size=10, bold=True)
_EDGE = Side(style="thin", color="7F6000")
BASE_BORDER = Border(left=_EDGE, right=_EDGE, top=_EDGE, bottom=_EDGE)
_SPECS = {spec.name: spec for spec in INPUTS}


def value_words(name: str, value: Any) -> str:
    """An input's value with its unit, as a heading shows it.

    >>> value_words("price_per_gpu_hour", 2.68), value_words("realisation", 0.925), value_words("kw_per_rack", 120)
    ('US$ 2.68', '92.5%', '120.00 kW')
    """
    found = label_of(name)
    text = format_text(value, found.fmt)
    if found.unit.startswith("US$"):
        return f"US$ {text}"
    if found.fmt == "pct" or not found.unit:
        return text
    return f"{text} {found.unit}"


def grid_values(a: Assumptions, name: str) -> tuple[list[float], int]:
    """The values a grid tries for the input ``name`` around the base case, and the base case's position.

    A fraction: the base case and the nearest values in steps of 2.5 points that its rule
    allows; any other number: the base case × 0.8, 0.9, 1, 1.1 and 1.2 that its rule allows.
    The base case is always one of them.

    >>> grid_values(Assumptions(realisation=0.925), "realisation")
    ([0.875, 0.9, 0.925, 0.95, 0.975], 2)
    >>> grid_values(Assumptions(realisation=0.99), "realisation")  # none above 100%
    ([0.89, 0.915, 0.94, 0.965, 0.99], 4)
    """
    spec = _SPECS[name]
    base = float(getattr(a, name))
    if spec.kind == "fraction" or spec.unit.startswith("fraction"):
        steps = range(1 - GRID_VALUES, GRID_VALUES)
        candidates = [base if k == 0 else round(base + FRACTION_STEP * k, 12) for k in steps]
    else:
        candidates = [base if k == 1.0 else base * k for k in NUMBER_STEPS]
    allowed = []
    for value in candidates:
        try:
            spec.coerce(value)
        except DealDeskInputError:
            continue
        allowed.append(value)
    chosen = sorted(sorted(allowed, key=lambda v: (abs(v - base), v))[:GRID_VALUES])
    return chosen, chosen.index(base)


def _column_input(a: Assumptions) -> str:
    """The grid's column input: the price per GPU-hour when it sizes the fleet, else the next choice."""
    _, _, choices = SENSITIVITY
    for name in choices:
        if name == "price_per_gpu_hour" and (a.fleet_gpus is not None or a.fleet_it_mw is not None):
            continue  # a disclosed fleet: the price sizes nothing
        return name
    return choices[-1]


def _mark_base(cell: Any) -> None:
    cell.font, cell.fill, cell.border = BASE_FONT, BASE_FILL, BASE_BORDER


def _price_note() -> str:
    return (
        "Why a higher price per GPU-hour raises the NPV: the fleet is what is sold. GPUs = peak "
        f"run-rate ÷ (price per GPU-hour × {HOURS_PER_YEAR:,.0f} h × billable share), so at a higher "
        "price fewer GPUs earn the same contract revenue: less capex, depreciation and power, so a "
        "higher NPV. The contract value, not the price, fixes the revenue."
    )


def sensitivity_sheet(ws: Worksheet, a: Assumptions, page: Page) -> tuple[Any, str] | None:
    """The two-way grid of the NPV by realisation and price (the base case marked), with its chart."""
    from core.scenarios import sensitivity

    output, row_input, _ = SENSITIVITY
    col_input = _column_input(a)
    rows, base_row = grid_values(a, row_input)
    cols, base_col = grid_values(a, col_input)
    grid = sensitivity(a, output, row_input, rows, col_input, cols)
    out, rlab, clab = label_of(output), label_of(row_input), label_of(col_input)
    title(
        ws,
        f"Sensitivity: {out.label} ({out.unit})",
        page,
        f"rows: {rlab.label}; columns: {clab.label}; the base case is framed",
    )
    top = _L.header_row
    ws.merge_cells(start_row=top, start_column=2, end_row=top, end_column=1 + len(cols))
    set_value(ws, top, 1, f"{out.label} ({out.unit})")
    set_value(ws, top, 2, f"{clab.label} →")
    heads = [f"{rlab.label} ↓"] + [
        value_words(col_input, v) + (" (base)" if j == base_col else "") for j, v in enumerate(cols)
    ]
    header_row(ws, top + 1, heads)
    for col in range(1, 2 + len(cols)):
        cell = ws.cell(row=top, column=col)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    for i, value in enumerate(rows):
        r = top + 2 + i
        label = set_value(ws, r, 1, value_words(row_input, value) + (" (base)" if i == base_row else ""))
        label.font, label.alignment = (BOLD if i == base_row else BODY), Alignment(horizontal="center")
        for j in range(len(cols)):
            cell = set_value(ws, r, 2 + j, plain(grid.iloc[i, j]), number_format=NUMBER_FORMATS[out.fmt])
            cell.font = BODY
            if i == base_row and j == base_col:
                _mark_base(cell)
            elif i == base_row or j == base_col:
                cell.fill = BASE_FILL
    last = top + 1 + len(rows)
    fit_columns(ws, {1: 30, **{j: 20 for j in range(2, 2 + len(cols))}})
    placed = Placed(ws, top + 1, top + 2, last, {h: j for j, h in enumerate(heads, start=1)})
    at = last + 2
    if col_input == "price_per_gpu_hour":
        note(ws, at, _price_note(), 1 + len(cols))
        at += 2
    chart = ch.sensitivity_chart(
        placed,
        heads[1:],
        title=f"{out.label} by {rlab.label.lower()}",
        x_title=rlab.label,
        y_title=out.unit,
        axis=out.fmt,
        base=heads[1 + base_col],
    )
    source = "DealDesk model, each cell a run with the two inputs set; sheet Sensitivity"
    ch.place_chart(ws, chart, at, 1, source)
    print_setup(ws, page, one_page=True)
    return chart, source


def tornado_sheet(ws: Worksheet, a: Assumptions, page: Page) -> tuple[Any, str] | None:
    """Each input moved ±10% on its own, ranked by how far it moves the NPV, with units; and its chart."""
    from core.scenarios import tornado

    table = tornado(a, TORNADO_OUTPUT)
    table = table[table["range"] > 0].head(TORNADO_ROWS).reset_index(drop=True)
    if table.empty:
        return None
    out = label_of(TORNADO_OUTPUT)
    base = float(table["base_output"].iloc[0])
    title(
        ws,
        f"Tornado: what moves the {out.label}",
        page,
        f"each input moved ±10% on its own (counts to whole numbers); {out.label} in the base case "
        f"{format_text(base, out.fmt)} {out.unit}",
    )
    heads = [
        "Input",
        "Unit",
        "Base value",
        "Low value",
        "High value",
        f"{out.label} at the low value ({out.unit})",
        f"{out.label} at the high value ({out.unit})",
        f"Range ({out.unit})",
    ]
    header_row(ws, _L.header_row, heads)
    fmt = NUMBER_FORMATS[out.fmt]
    for i, rec in enumerate(table.to_dict(orient="records"), start=_L.first_row):
        found = label_of(rec["input"])
        hint = found.fmt if found.fmt not in ("text", "date", "flag") else "number"
        set_value(ws, i, 1, found.label).font = BODY
        set_value(ws, i, 2, found.unit).font = BODY
        for j, key in enumerate(("base_value", "low_value", "high_value"), start=3):
            set_value(ws, i, j, plain(rec[key]), number_format=NUMBER_FORMATS[hint]).font = BODY
        for j, key in enumerate(("output_low", "output_high", "range"), start=6):
            set_value(ws, i, j, plain(rec[key]), number_format=fmt).font = BODY
        for col in range(1, len(heads) + 1):
            ws.cell(row=i, column=col).border = RULE
    last = _L.first_row + len(table) - 1
    widths = {1: 34, 2: 18, 3: 12, 4: 12, 5: 12, 6: 20, 7: 20, 8: 14}
    fit_columns(ws, widths)
    fit_row_height(ws, _L.header_row, widths)
    freeze(ws)
    placed = Placed(
        ws,
        _L.header_row,
        _L.first_row,
        last,
        {"input": 1, "output_low": 6, "output_high": 7},
    )
    chart = ch.tornado_chart(
        placed,
        title=f"{out.label}: each input at its low and high value",
        x_title=f"{out.label}, {out.unit}",
        base=base,
        axis=out.fmt,
    )
    source = "DealDesk model, each input moved ±10% on its own; sheet Tornado"
    ch.place_chart(ws, chart, last + 3, 1, source)
    print_setup(ws, page, title_row=_L.header_row)
    return chart, source


# --------------------------------------------------------------------------- scenarios


@dataclasses.dataclass(frozen=True)
class ScenarioTables:
    """What the Scenarios sheet placed: revenue by fiscal year under each scenario (for the chart)."""

    revenue: Placed
    series: tuple[str, ...]


def _changed_inputs() -> list[str]:
    """Inputs any named scenario sets, in the order of the inputs."""
    changed = {name for overrides in SCENARIOS.values() for name in overrides}
    return [spec.name for spec in INPUTS if spec.name in changed]


def _input_cell(ws: Worksheet, row: int, col: int, name: str, value: Any) -> None:
    hint = label_of(name).fmt
    fmt = NUMBER_FORMATS["date"] if hint == "date" else NUMBER_FORMATS.get(hint)
    cell = set_value(ws, row, col, plain(value), number_format=None if hint == "text" else fmt)
    cell.font, cell.alignment = BODY, Alignment(horizontal="right")


def scenario_sheet(ws: Worksheet, a: Assumptions, page: Page) -> ScenarioTables:
    """The named scenarios: what each changes, revenue by fiscal year, and every key figure under each.

    ``a`` are the base inputs (never a scenario already applied: each scenario is applied to them once).
    """
    names = list(SCENARIOS)
    base = a.replace(scenario="base")
    runs = {n: scenario_assumptions(base, n) for n in names}
    title(ws, f"Scenarios: {a.deal_name}", page, "bull and bear change only the inputs of the first table")
    heads = ["Input", "Unit", *(n.capitalize() for n in names)]
    set_value(ws, _L.header_row - 1, 1, "What each scenario changes").font = GROUP_FONT
    header_row(ws, _L.header_row, heads)
    row = _L.header_row
    for name in _changed_inputs():
        row += 1
        found = label_of(name)
        set_value(ws, row, 1, found.label).font = BODY
        set_value(ws, row, 2, found.unit).font = BODY
        for j, scenario in enumerate(names, start=3):
            _input_cell(ws, row, j, name, getattr(runs[scenario], name))
        for col in range(1, len(heads) + 1):
            ws.cell(row=row, column=col).border = RULE
    row += 1
    note(ws, row, "Every other input is the base case's: the inputs of this report.", len(heads), width=90)

    results = {n: run_model(runs[n]) for n in names}
    gaps = {n: results[n].tables["gap"].set_index("period") for n in names}
    years = list(dict.fromkeys(p for n in names for p in gaps[n].index.astype(str)))
    series: dict[str, pd.Series] = {"Straight line": gaps["base"]["straight"]}
    series |= {f"Ramp, {n}": gaps[n]["ramp"] for n in names}
    at = row + _L.table_gap
    set_value(ws, at - 1, 1, "Revenue by fiscal year").font = GROUP_FONT
    header_row(ws, at, ["Figure", "Unit", *years])
    rows: dict[str, int] = {}
    for i, (label, values) in enumerate(series.items(), start=at + 1):
        set_value(ws, i, 1, label).font = BODY
        set_value(ws, i, 2, "US$ bn").font = BODY
        for j, year in enumerate(years, start=3):
            value = plain(values.get(year, 0.0))
            set_value(
                ws, i, j, 0.0 if value is None else value, number_format=NUMBER_FORMATS["usd_bn"]
            ).font = BODY
        for col in range(1, 3 + len(years)):
            ws.cell(row=i, column=col).border = RULE
        rows[label] = i
    revenue = Placed(ws, at, at + 1, at + len(series), rows, True, 3, 2 + len(years))

    at = at + len(series) + _L.table_gap
    set_value(ws, at - 1, 1, "Key figures under each scenario").font = GROUP_FONT
    header_row(ws, at, ["Key figure", "Unit", *(n.capitalize() for n in names)])
    for i, spec in enumerate(OUTPUTS, start=at + 1):
        found = label_of(spec.name)
        set_value(ws, i, 1, found.label).font = BODY
        set_value(ws, i, 2, found.unit).font = BODY
        for j, n in enumerate(names, start=3):
            value = plain(results[n].outputs.get(spec.name))
            cell = set_value(
                ws, i, j, "n/a" if value is None else value, number_format=NUMBER_FORMATS[found.fmt]
            )
            cell.font, cell.alignment = BODY, Alignment(horizontal="right")
    fit_columns(ws, {1: 44, 2: 16, **{j: 12 for j in range(3, 3 + max(len(years), len(names)))}})
    freeze(ws)
    print_setup(ws, page, title_row=at)
    return ScenarioTables(revenue, tuple(series))


def scenario_chart(tables: ScenarioTables) -> tuple[Any, str] | None:
    """Revenue by fiscal year under each scenario, drawn from the Scenarios sheet."""
    chart = ch.series_chart(
        "line",
        tables.revenue,
        "period",
        list(tables.series),
        title="Scenarios: revenue by fiscal year",
        y_title="US$ bn",
        x_title="Fiscal year",
    )
    if chart is None:
        return None
    return chart, "DealDesk model under each named scenario; sheet Scenarios"
