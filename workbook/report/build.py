"""``build_report``: one model run laid out as a values-only workbook with native charts.

Sheets, in order: **Summary** (page one), **Key figures**, **Charts**,
**Sensitivity**, **Tornado**, one sheet per table of the model run (the
benchmarks table as the **Benchmarks** page after **Margin**), **Margin
bridge**, **Monte Carlo**, **Scenarios**, **Assumptions** and **Checks**.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from core.assumptions import INPUTS, SCENARIOS, Assumptions, scenario_assumptions
from core.model import OUTPUTS, ModelResult, run_model
from core.validation import DealDeskInputError
from workbook.report import charts as ch
from workbook.report.benchmarks import SHEET_TITLE as BENCHMARKS_TITLE
from workbook.report.benchmarks import benchmarks_sheet
from workbook.report.checks import TOLERANCE, failed_count, report_checks
from workbook.report.frames import bridge_frame, histogram, waterfall_frame
from workbook.report.labels import header, label_of, sheet_title
from workbook.report.layout import (
    BODY,
    BOLD,
    FAIL,
    FAIL_FILL,
    GROUP_FILL,
    GROUP_FONT,
    PASS,
    PASS_FILL,
    RULE,
    WRAP,
    Page,
    Placed,
    fit_columns,
    freeze,
    header_row,
    plain,
    print_setup,
    title,
    wrap_subtitle,
    write_across,
    write_frame,
    write_pairs,
)
from workbook.report.summary import SummaryCharts, outsized_caveat, summary_sheet, write_caveat
from workbook.spec import REPORT_LAYOUT as _L
from workbook.styles import NUMBER_FORMATS
from workbook.xlsxio import check_not_same_file, save_workbook_reproducibly, set_value

__all__ = ["REPORT_SUFFIXES", "SENSITIVITY", "TORNADO_OUTPUT", "build_report"]

#: Output suffixes a report may be written to.
REPORT_SUFFIXES = (".xlsx",)
#: The sensitivity grid: (output, row input, column input); inputs the core lacks fall back in order.
SENSITIVITY: tuple[str, tuple[str, ...], tuple[str, ...]] = (
    "npv",
    ("realisation",),
    ("price_per_gpu_hour", "discount_rate"),
)
#: The figure the tornado ranks the inputs by, and how many inputs it shows.
TORNADO_OUTPUT, TORNADO_ROWS = "npv", 10
#: Tables with at most this many periods are laid out with the periods across the columns.
ACROSS_MAX = 16
_RESERVED = {
    "Summary",
    "Key figures",
    "Charts",
    "Sensitivity",
    "Tornado",
    "Scenarios",
    "Assumptions",
    "Checks",
    "Benchmarks",
}
_CORE = "DealDesk core model (core.model.run_model)"


# --------------------------------------------------------------------------- sheets


def _key_figures(ws: Worksheet, result: ModelResult, page: Page) -> None:
    """Every key figure of ``core.model.OUTPUTS``, grouped by topic: label, value, unit, meaning."""
    title(ws, f"Key figures: {result.assumptions.deal_name}", page)
    caveat = outsized_caveat(result)
    if caveat:
        write_caveat(ws, _L.header_row - 1, caveat, 4)
    header_row(ws, _L.header_row, ["Key figure", "Value", "Unit", "What it means"])
    row = _L.header_row
    first: dict[str, int] = {}
    for k, spec in enumerate(OUTPUTS):
        first.setdefault(spec.group, k)
    group = None
    for spec in sorted(OUTPUTS, key=lambda s: first[s.group]):
        if spec.name not in result.outputs:
            continue
        if spec.group != group:
            group = spec.group
            row += 1
            for col in range(1, 5):
                ws.cell(row=row, column=col).fill = GROUP_FILL
            set_value(ws, row, 1, group).font = GROUP_FONT
        row += 1
        found = label_of(spec.name)
        value = plain(result.outputs[spec.name])
        set_value(ws, row, 1, found.label).font = BODY
        cell = set_value(
            ws, row, 2, "n/a" if value is None else value, number_format=NUMBER_FORMATS[found.fmt]
        )
        cell.font, cell.alignment = BOLD, Alignment(horizontal="right", vertical="top")
        set_value(ws, row, 3, found.unit).font = BODY
        meaning = spec.description if value is not None else f"No value: {spec.missing}."
        note = set_value(ws, row, 4, meaning)
        note.font, note.alignment = BODY, WRAP
        lines = math.ceil(len(meaning) / 95)
        if lines > 1:
            ws.row_dimensions[row].height = 13.5 * lines
        for col in range(1, 5):
            ws.cell(row=row, column=col).border = RULE
    fit_columns(ws, {1: 44, 2: 14, 3: 16, 4: 76})
    freeze(ws, frozen_cols=0)
    print_setup(ws, page, title_row=_L.header_row, landscape=False)


def _input_format(name: str) -> str | None:
    hint = label_of(name).fmt
    return None if hint in ("text", "choice") else NUMBER_FORMATS[hint]


def _assumptions_sheet(ws: Worksheet, a: Assumptions, page: Page, sources: Mapping[str, str]) -> None:
    """Every input: the name an inputs file uses, label, unit, value, default, source, topic."""
    title(ws, "Assumptions used", page, "blue = changed from the reference default")
    header_row(
        ws, _L.header_row, ["Name in an inputs file", "Input", "Unit", "Value", "Default", "Source", "Topic"]
    )
    changed = Font(name="Calibri", size=10, color="0000FF", bold=True)
    for i, spec in enumerate(INPUTS, start=_L.first_row):
        value = getattr(a, spec.name)
        fmt = _input_format(spec.name)
        set_value(ws, i, 1, spec.name).font = BODY
        set_value(ws, i, 2, spec.label).font = BODY
        set_value(ws, i, 3, label_of(spec.name).unit).font = BODY
        shown = "blank" if value is None else value
        set_value(ws, i, 4, shown, number_format=fmt).font = changed if value != spec.default else BODY
        default = "blank" if spec.default is None else spec.default
        set_value(ws, i, 5, default, number_format=fmt).font = BODY
        text = sources.get(spec.name, spec.source)
        src = set_value(ws, i, 6, text)
        src.font, src.alignment = BODY, Alignment(indent=2, wrap_text=True, vertical="top")
        lines = math.ceil(len(text) / 80)  # a source with its arithmetic runs over several lines
        if lines > 1:
            ws.row_dimensions[i].height = 13.5 * lines
        set_value(ws, i, 7, spec.group).font = BODY
        for col in (1, 2, 3, 4, 5, 7):
            ws.cell(row=i, column=col).alignment = Alignment(vertical="top")
    fit_columns(ws, {1: 26, 2: 34, 3: 14, 4: 15, 5: 15, 6: 66, 7: 13})
    freeze(ws)
    print_setup(ws, page, title_row=_L.header_row)


def _checks_sheet(ws: Worksheet, checks: pd.DataFrame, page: Page) -> None:
    failed = failed_count(checks)
    title(
        ws,
        "Checks",
        page,
        f"PASS when actual equals expected within a relative {TOLERANCE:g}"
        + (f"; {failed} FAIL" if failed else ""),
    )
    placed = write_frame(ws, checks)
    col = placed.columns["result"]
    for r in range(placed.first_row, placed.last_row + 1):
        cell = ws.cell(row=r, column=col)
        cell.font, cell.fill = (PASS, PASS_FILL) if cell.value == "PASS" else (FAIL, FAIL_FILL)
    fit_columns(ws, {1: 56})
    print_setup(ws, page, title_row=_L.header_row)


def _figure_rows(
    ws: Worksheet, frame: pd.DataFrame, value_columns: Sequence[str], names: Sequence[str], *, header_at: int
) -> Placed:
    """A table of key figures (one a row, label and unit first) whose value columns take each row's format."""
    heads = [
        "Key figure",
        "Unit",
        *[c.capitalize() if c in SCENARIOS else header(c) for c in value_columns],
    ]
    header_row(ws, header_at, heads)
    row = header_at
    for row, name in enumerate(names, start=header_at + 1):
        found = label_of(name)
        set_value(ws, row, 1, found.label).font = BODY
        set_value(ws, row, 2, found.unit).font = BODY
        for j, column in enumerate(value_columns, start=3):
            value = plain(frame.iloc[row - header_at - 1][column])
            set_value(ws, row, j, value, number_format=NUMBER_FORMATS[found.fmt]).font = BODY
    ws.row_dimensions[header_at].height = 30
    return Placed(ws, header_at, header_at + 1, row, {c: j for j, c in enumerate(value_columns, start=3)})


def _monte_carlo(a: Assumptions, draws: int, seed: int) -> dict[str, Any] | None:
    """Risk questions, the summary of every simulated figure and the NPV draws (core.simulation), or None."""
    if not draws:
        return None
    from core.simulation import risk_questions, simulate

    result = simulate(a, draws=draws, seed=seed, workers=1)
    return {
        "risk": risk_questions(result),
        "summary": result.summary(),
        "npv": np.asarray(result.values.get("npv", []), dtype=float),
        "note": f"{draws:,} draws, seed {seed}, default distributions of core.simulation",
    }


def _monte_carlo_sheet(ws: Worksheet, a: Assumptions, mc: dict[str, Any], page: Page) -> Placed | None:
    title(ws, f"Monte Carlo: {a.deal_name}", page, mc["note"])
    risk = mc["risk"]
    placed = write_frame(ws, risk[["question", "probability", "se"]])
    fit_columns(ws, {1: 52})
    summary: pd.DataFrame = mc["summary"]
    stats = [c for c in summary.columns if c != "output"]
    at = placed.last_row + _L.table_gap
    set_value(ws, at - 1, 1, "Distribution of every simulated key figure").font = GROUP_FONT
    _figure_rows(ws, summary, stats, [str(n) for n in summary["output"]], header_at=at)
    last = at + len(summary)
    hist_placed = None
    if len(mc["npv"]):
        hist = histogram(mc["npv"])
        at = last + _L.table_gap
        set_value(ws, at - 1, 1, "Deal NPV over the draws (US$ bn)").font = GROUP_FONT
        hist_placed = write_frame(
            ws, hist, header_row_at=at, formats={"bin_from": "usd_bn", "bin_to": "usd_bn"}, frozen=False
        )
    fit_columns(ws, {1: 52, 2: 12})
    freeze(ws, frozen_cols=1)
    print_setup(ws, page)  # its tables differ: the risk questions' header must not top the others' pages
    return hist_placed


def _scenario_frames(a: Assumptions) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Key figures and ramp revenue by fiscal year under every named scenario (core runs, laid side by side)."""
    figures: dict[str, Any] = {}
    ramps: dict[str, pd.Series] = {}
    straight: pd.Series | None = None
    for name in SCENARIOS:
        run = run_model(scenario_assumptions(a.replace(scenario="base"), name))
        figures[name] = pd.array([run.outputs.get(s.name) for s in OUTPUTS], dtype="Float64")
        gap = run.tables["gap"].set_index("period")
        ramps[name] = gap["ramp"]
        if name == "base":
            straight = gap["straight"]
    table = pd.DataFrame({"output": [s.name for s in OUTPUTS], **figures})
    revenue = pd.DataFrame({"Straight line": straight, **{f"Ramp, {n}": s for n, s in ramps.items()}})
    revenue = revenue.fillna(0.0).rename_axis("period").reset_index()
    return table, revenue


def _sensitivity_sheet(ws: Worksheet, a: Assumptions, page: Page) -> Any | None:
    from core.scenarios import sensitivity

    output, rows, cols = SENSITIVITY
    names = {s.name for s in INPUTS}
    row_input = next((n for n in rows if n in names), None)
    col_input = next((n for n in cols if n in names), None)
    if row_input is None or col_input is None:
        return None
    base_col = float(getattr(a, col_input))
    row_values = [0.80, 0.85, 0.90, 0.95, 1.00]
    col_values = [base_col * k for k in (0.8, 0.9, 1.0, 1.1, 1.2)]
    grid = sensitivity(a, output, row_input, row_values, col_input, col_values)
    out, rlab, clab = label_of(output), label_of(row_input), label_of(col_input)
    cfmt = clab.fmt
    heading = {c: f"{clab.label} {_shown(c, cfmt)}" for c in grid.columns}
    frame = grid.rename(columns=heading).reset_index()
    title(
        ws,
        f"Sensitivity: {out.label} ({out.unit})",
        page,
        f"core.scenarios.sensitivity; rows: {rlab.label}, columns: {clab.label}",
    )
    placed = write_frame(
        ws, frame, formats={row_input: rlab.fmt, **{h: out.fmt for h in heading.values()}}, frozen=True
    )
    fit_columns(ws, {1: 18, **{j: 22 for j in range(2, 2 + len(heading))}})
    chart = ch.sensitivity_chart(
        placed,
        list(heading.values()),
        title=f"{out.label} by {rlab.label.lower()}",
        x_title=rlab.label,
        y_title=out.unit,
        axis=out.fmt,
    )
    ch.place_chart(ws, chart, placed.last_row + 3, 1, f"{_CORE}; core.scenarios.sensitivity")
    print_setup(ws, page, title_row=_L.header_row)
    return chart


def _shown(value: float, fmt: str) -> str:
    """A grid heading's value in words (percent for fractions)."""
    return f"{value:.1%}" if fmt == "pct" else f"{value:,.2f}"


def _tornado_sheet(ws: Worksheet, a: Assumptions, page: Page) -> Any | None:
    from core.scenarios import tornado

    table = tornado(a, TORNADO_OUTPUT)
    table = table[table["range"] > 0].head(TORNADO_ROWS).reset_index(drop=True)
    if table.empty:
        return None
    out = label_of(TORNADO_OUTPUT)
    title(
        ws,
        f"Tornado: what moves the {out.label}",
        page,
        "each input moved ±10% on its own (core.scenarios.tornado)",
    )
    frame = table.copy()
    names = [str(n) for n in frame["input"]]
    frame["input"] = [label_of(n).label for n in names]
    placed = write_frame(
        ws,
        frame,
        formats={c: out.fmt for c in ("output_low", "output_high", "base_output", "range")},
    )
    for i, name in enumerate(names, start=placed.first_row):
        fmt = _input_format(name) or NUMBER_FORMATS["number"]
        for column in ("base_value", "low_value", "high_value"):
            ws.cell(row=i, column=placed.columns[column]).number_format = fmt
    fit_columns(ws, {1: 34})
    base = float(table["base_output"].iloc[0])
    chart = ch.tornado_chart(
        placed,
        title=f"{out.label}: low and high value of each input",
        x_title=out.unit,
        base=base,
        axis=out.fmt,
    )
    ch.place_chart(ws, chart, placed.last_row + 3, 1, f"{_CORE}; core.scenarios.tornado, ±10% on each input")
    print_setup(ws, page, title_row=_L.header_row)
    return chart


def _table_sheet(wb: Workbook, key: str, frame: pd.DataFrame, a: Assumptions, page: Page) -> Placed:
    name = re.sub(r"[\[\]:*?/\\]", " ", sheet_title(key))[:31]
    if name in _RESERVED or name in wb.sheetnames:
        name = f"{name} ({key})"[:31]
    ws = wb.create_sheet(name)
    title(ws, f"{name}: {a.deal_name}", page)
    across = next((k for k in ("period", "year") if k in frame.columns), None)
    if list(frame.columns) == ["name", "value"]:
        placed = write_pairs(ws, frame)
    elif across is not None and len(frame) <= ACROSS_MAX:
        placed = write_across(ws, frame, across)  # fiscal years across, as an analyst's model shows them
    else:
        placed = write_frame(ws, frame)
    print_setup(ws, page, title_row=_L.header_row)
    return placed


def _charts_sheet(ws: Worksheet, charts: Sequence[tuple[Any, str]], page: Page) -> None:
    """Two charts a row, two rows a printed page, each with its source underneath."""
    title(ws, "Charts", page, "native Excel charts drawn from the data sheets of this report")
    for k, (chart, source) in enumerate(charts):
        row, column = ch.chart_slot(k)
        ch.place_chart(ws, chart, row, column, source)
        if (k + 1) % _L.charts_per_page == 0 and k + 1 < len(charts):
            ws.row_breaks.append(Break(id=row + _L.chart_rows))
    print_setup(ws, page)


# --------------------------------------------------------------------------- the report


def build_report(
    assumptions: Assumptions | None,
    path: str | os.PathLike[str],
    *,
    result: ModelResult | None = None,
    source_note: str | None = None,
    sources: Mapping[str, str] | None = None,
    protect: Sequence[str | os.PathLike[str]] = (),
    simulation_draws: int = 10_000,
    seed: int = 0,
    as_of: dt.date | None = None,
) -> Path:
    """Write the report workbook of one model run; returns the path written.

    Parameters
    ----------
    assumptions : Assumptions or None
        The inputs (None: the AWS–OpenAI base case).
    path : path-like
        Output .xlsx; written atomically (temp file in the same directory,
        then ``os.replace``); missing directories are created.
    result : ModelResult, optional, keyword-only
        A run of ``run_model(assumptions)`` already at hand.
    source_note : str, optional, keyword-only
        Where the inputs came from, shown on every page (default: the core defaults).
    sources : mapping, optional, keyword-only
        Input name -> source text replacing the input's default source on
        the Assumptions sheet (a library deal's own figures and analyst
        defaults, ``core.deals.DealTerms.sources_for``).
    protect : paths, keyword-only
        Files that must never be overwritten (the command's inputs).
    simulation_draws, seed : int, keyword-only
        Monte Carlo draws (``core.simulation.simulate`` with its default
        distributions; 0 leaves the risk figures out) and the seed, fixed so
        that the same inputs give the same bytes.
    as_of : date, optional, keyword-only
        The as-of date every page shows (default: the signing date of the inputs).

    Raises
    ------
    OutputPathError
        ``path`` is a protected input, locked, read-only, or the disk is full.

    Examples
    --------
    The base case, built twice, gives the same bytes:

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> build_report(None, d / "a.xlsx", simulation_draws=200).read_bytes() == build_report(
    ...     None, d / "b.xlsx", simulation_draws=200).read_bytes()
    True
    """
    a = Assumptions() if assumptions is None else assumptions
    if not isinstance(a, Assumptions):
        raise DealDeskInputError(f"assumptions must be an Assumptions, got {type(a).__name__}")
    target = Path(path)
    if target.suffix.lower() not in REPORT_SUFFIXES:
        raise DealDeskInputError(f"report path must end in .xlsx, got {target.name!r}")
    check_not_same_file(target, *protect)
    run = result if result is not None else run_model(a)
    checks = report_checks(run)
    mc = _monte_carlo(a, simulation_draws, seed)
    signed = getattr(a, "signing_date", None) or a.start_date
    page = Page(
        as_of=as_of or signed,
        source=source_note or f"{a.provider} – {a.customer}; inputs: core defaults; {a.scenario} scenario",
    )

    wb = Workbook()
    summary_ws = wb.active
    summary_ws.title = "Summary"
    figures_ws = wb.create_sheet("Key figures")
    charts_ws = wb.create_sheet("Charts")
    sens_ws = wb.create_sheet("Sensitivity")
    tornado_ws = wb.create_sheet("Tornado")
    # The benchmarks table has its own page, after the Margin sheet.
    placed = {
        key: _table_sheet(wb, key, frame, a, page) for key, frame in run.tables.items() if key != "benchmarks"
    }
    after = wb.sheetnames.index(placed["margin"].ws.title) + 1 if "margin" in placed else None
    benchmarks_sheet(wb.create_sheet(BENCHMARKS_TITLE, after), run, page, sources=sources or {})
    caveat = outsized_caveat(run)
    for key in ("gap", "margin") if caveat else ():
        if key in placed:
            write_caveat(placed[key].ws, _L.header_row - 1, str(caveat), placed[key].last_col)
    bridge = bridge_frame(run)
    bridge_placed = waterfall_placed = None
    if bridge is not None:
        ws = wb.create_sheet("Margin bridge")
        title(
            ws,
            f"Margin bridge: {a.deal_name}",
            page,
            "core.margin.margin_bridge of the first full fiscal year",
        )
        bridge_placed = write_frame(ws, bridge)
        at = bridge_placed.last_row + _L.table_gap
        set_value(
            ws, at - 1, 1, "What the waterfall chart draws (stacked bars, share of revenue)"
        ).font = GROUP_FONT
        waterfall_placed = write_frame(ws, waterfall_frame(bridge), header_row_at=at, frozen=False)
        if caveat:
            write_caveat(ws, _L.header_row - 1, caveat, 4)
        fit_columns(ws, {1: 30, 2: 22, 3: 16, 4: 16})
        print_setup(ws, page, title_row=_L.header_row)
    hist_placed = None
    if mc is not None:
        hist_placed = _monte_carlo_sheet(wb.create_sheet("Monte Carlo"), a, mc, page)
    scen_ws = wb.create_sheet("Scenarios")
    figures, revenue = _scenario_frames(a)
    title(
        scen_ws,
        f"Scenarios: {a.deal_name}",
        page,
        "named scenarios (core.assumptions.SCENARIOS) on these inputs",
    )
    _figure_rows(scen_ws, figures, list(SCENARIOS), list(figures["output"]), header_at=_L.header_row)
    rev_header = _L.header_row + len(figures) + _L.table_gap
    set_value(scen_ws, rev_header - 1, 1, "Revenue by fiscal year (US$ bn)").font = GROUP_FONT
    scen_revenue = write_frame(
        scen_ws,
        revenue,
        header_row_at=rev_header,
        formats=dict.fromkeys(revenue.columns[1:], "usd_bn"),
        frozen=False,
    )
    freeze(scen_ws)
    fit_columns(scen_ws, {1: 44, 2: 14})
    print_setup(scen_ws, page, title_row=_L.header_row)
    _assumptions_sheet(wb.create_sheet("Assumptions"), a, page, sources or {})
    _checks_sheet(wb.create_sheet("Checks"), checks, page)
    _key_figures(figures_ws, run, page)

    core = _CORE
    charts: list[tuple[Any, str]] = []
    gap_chart = None
    if "gap" in placed:
        gap_chart = ch.series_chart(
            "bar",
            placed["gap"],
            "period",
            ["straight", "ramp"],
            title="Revenue: straight line vs ramp",
            y_title="US$ bn",
            x_title="Fiscal year",
        )
        charts.append((gap_chart, f"{core}; sheet Straight line vs ramp"))
    if "backlog" in placed:
        charts.append((ch.backlog_chart(placed["backlog"]), f"{core}; sheet Backlog"))
    if bridge is not None and waterfall_placed is not None:
        charts.append(
            (
                ch.bridge_chart(
                    waterfall_placed,
                    period=str(bridge["period"].iloc[0]),
                    change=float(bridge["bps"].iloc[1]),
                ),
                "core.margin.margin_bridge; sheet Margin bridge",
            )
        )
    if "margin" in placed:
        charts.append(
            (
                ch.series_chart(
                    "bar",
                    placed["margin"],
                    "period",
                    ["change_bps"],
                    title="Margin change from the deal",
                    y_title="bps",
                    x_title="Fiscal year",
                    axis="bps",
                ),
                f"{core}; sheet Margin",
            )
        )
    if "economics" in placed:
        charts.append((ch.economics_chart(placed["economics"]), f"{core}; sheet Economics"))
    if "counterparty" in placed:
        charts.append(
            (
                ch.series_chart(
                    "bar",
                    placed["counterparty"],
                    "year",
                    ["revenue", "commitments"],
                    title="Customer revenue vs commitments",
                    y_title="US$ bn",
                    x_title="Year",
                ),
                f"{core}; sheet Counterparty",
            )
        )
    charts.append(
        (
            ch.series_chart(
                "line",
                scen_revenue,
                "period",
                [c for c in revenue.columns if c != "period"],
                title="Scenarios: revenue by fiscal year",
                y_title="US$ bn",
                x_title="Fiscal year",
            ),
            "core.assumptions.SCENARIOS on these inputs; sheet Scenarios",
        )
    )
    _charts_sheet(charts_ws, [(c, s) for c, s in charts if c is not None], page)
    if _sensitivity_sheet(sens_ws, a, page) is None:
        wb.remove(sens_ws)
    if _tornado_sheet(tornado_ws, a, page) is None:
        wb.remove(tornado_ws)

    risk_chart = None
    if hist_placed is not None:
        risk_chart = ch.histogram_chart(
            hist_placed,
            title="Key risk: deal NPV over the Monte Carlo draws",
            x_title="Deal NPV, US$ bn",
        )
    summary_ramp = ch.series_chart(
        "bar",
        placed["gap"],
        "period",
        ["straight", "ramp"],
        title="Straight line vs ramp: deal revenue by fiscal year",
        y_title="US$ bn",
    )
    summary_sheet(
        summary_ws,
        run,
        checks,
        page,
        SummaryCharts(
            ramp=summary_ramp,
            ramp_source=f"{core}; sheet Straight line vs ramp",
            risk=risk_chart,
            risk_source=f"core.simulation ({mc['note']}); sheet Monte Carlo" if mc else "",
        ),
        risk=None if mc is None else mc["risk"],
        risk_note="" if mc is None else f"Probabilities from {mc['note']}.",
    )

    for sheet in wb.worksheets:
        wrap_subtitle(sheet)
    wb.properties.creator = "DealDesk"
    wb.properties.title = f"DealDesk report: {a.deal_name}"
    stamp = dt.datetime.combine(a.start_date, dt.time())
    return save_workbook_reproducibly(wb, target, timestamp=stamp)
