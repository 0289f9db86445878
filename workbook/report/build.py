"""``build_report``: one model run laid out as a values-only workbook with native charts.

Sheets, in order: **Summary** (page one), **Claims** (the article's claims
checked), **Key figures**, **Charts**, **Sensitivity**, **Tornado**, one sheet
per table of the model run (the benchmarks table as the **Benchmarks** page
after **Margin**), **Margin bridge**, **Monte Carlo**, **Scenarios**, **Watch
list** (the model against what was reported since), **Assumptions** and
**Checks**. The sheets themselves are laid out by :mod:`workbook.report.sheets`,
:mod:`workbook.report.whatif`, :mod:`workbook.report.summary` and
:mod:`workbook.report.loop`.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from core.assumptions import Assumptions
from core.contracts import data_as_of, newest_public_day
from core.model import ModelResult, run_model
from core.validation import DealDeskInputError
from workbook.report import charts as ch
from workbook.report.benchmarks import SHEET_TITLE as BENCHMARKS_TITLE
from workbook.report.benchmarks import benchmarks_sheet
from workbook.report.checks import report_checks
from workbook.report.layout import Page, Placed, print_setup, title, wrap_subtitle
from workbook.report.loop import CLAIMS_TITLE, WATCH_TITLE, claims_sheet, watch_sheet
from workbook.report.notecharts import npv_chart, ramp_chart
from workbook.report.risk import REPORT_DRAWS, MonteCarlo, run_monte_carlo
from workbook.report.sheets import (
    assumptions_sheet,
    bridge_sheet,
    checks_sheet,
    key_figures_sheet,
    monte_carlo_sheet,
    table_sheet,
)
from workbook.report.summary import SummaryCharts, outsized_caveat, summary_sheet, write_caveat
from workbook.report.whatif import (
    SENSITIVITY,
    TORNADO_OUTPUT,
    scenario_chart,
    scenario_sheet,
    sensitivity_sheet,
    tornado_sheet,
)
from workbook.spec import REPORT_LAYOUT as _L
from workbook.xlsxio import check_not_same_file, save_workbook_reproducibly

__all__ = ["REPORT_SUFFIXES", "SENSITIVITY", "TORNADO_OUTPUT", "build_report", "report_as_of", "report_page"]

#: Output suffixes a report may be written to.
REPORT_SUFFIXES = (".xlsx",)


def _charts_sheet(ws: Worksheet, charts: Sequence[tuple[Any, str]], page: Page) -> None:
    """Two charts a row, two rows a printed page, each with its source underneath."""
    title(ws, "Charts", page, "native Excel charts drawn from the data sheets of this report")
    for k, (chart, source) in enumerate(charts):
        row, column = ch.chart_slot(k)
        ch.place_chart(ws, chart, row, column, source)
        if (k + 1) % _L.charts_per_page == 0 and k + 1 < len(charts):
            ws.row_breaks.append(Break(id=row + _L.chart_rows))
    print_setup(ws, page)


def _model_charts(placed: Mapping[str, Placed], bridge: Any) -> list[tuple[Any, str]]:
    """The Charts sheet's charts of the model's tables, each with its source line."""
    charts: list[tuple[Any, str]] = []
    if "gap" in placed:
        chart = ch.series_chart(
            "bar",
            placed["gap"],
            "period",
            ["straight", "ramp"],
            title="Revenue: straight line vs ramp",
            y_title="US$ bn",
            x_title="Fiscal year",
        )
        charts.append((chart, f"{ch.MODEL}; sheet Straight line vs ramp"))
    if "backlog" in placed:
        charts.append((ch.backlog_chart(placed["backlog"]), f"{ch.MODEL}; sheet Backlog"))
    if bridge is not None:
        chart = ch.bridge_chart(bridge.placed, period=bridge.period, change=bridge.change)
        charts.append((chart, f"{ch.MODEL}, margin bridge; sheet Margin bridge"))
    if "margin" in placed:
        chart = ch.series_chart(
            "bar",
            placed["margin"],
            "period",
            ["change_bps"],
            title="Margin change from the deal",
            y_title="bps",
            x_title="Fiscal year",
            axis="bps",
        )
        charts.append((chart, f"{ch.MODEL}; sheet Margin"))
    if "economics" in placed:
        charts.append((ch.economics_chart(placed["economics"]), f"{ch.MODEL}; sheet Economics"))
    if "counterparty" in placed:
        chart = ch.series_chart(
            "bar",
            placed["counterparty"],
            "year",
            ["revenue", "commitments"],
            title="Customer revenue vs commitments",
            y_title="US$ bn",
            x_title="Calendar year",
        )
        charts.append((chart, f"{ch.MODEL}; sheet Counterparty"))
    return [(c, s) for c, s in charts if c is not None]


# --------------------------------------------------------------------------- the report


def _in_its_own_day(build: Callable[..., Path]) -> Callable[..., Path]:
    """Run a report build inside :func:`core.contracts.data_as_of` its ``as_of``: every model run of
    the report (scenarios, claims) counts only the contracts public on that day."""

    @functools.wraps(build)
    def within(*args: Any, as_of: dt.date | None = None, **kwargs: Any) -> Path:
        with data_as_of(as_of):
            return build(*args, as_of=as_of, **kwargs)

    return within


@_in_its_own_day
def build_report(
    assumptions: Assumptions | None,
    path: str | os.PathLike[str],
    *,
    result: ModelResult | None = None,
    source_note: str | None = None,
    sources: Mapping[str, str] | None = None,
    protect: Sequence[str | os.PathLike[str]] = (),
    simulation_draws: int = REPORT_DRAWS,
    seed: int = 0,
    as_of: dt.date | None = None,
    scenario_base: Assumptions | None = None,
    monte_carlo: MonteCarlo | None = None,
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
        The data date: every page shows it, and the Claims and Watch list pages use only what was
        reported on or before it (default: every figure, the pages showing :func:`report_as_of`). The
        inputs themselves are built as of the same day by the caller (``deal_terms(..., as_of=)``).
    scenario_base : Assumptions, optional, keyword-only
        With inputs of a named scenario other than base (``assumptions.scenario``): the inputs that
        scenario was applied to. The Scenarios sheet applies each scenario to them once, so its base
        column is the base and its bear column the bear case of the report's page 1.
    monte_carlo : MonteCarlo, optional, keyword-only
        The Monte Carlo already run (:func:`workbook.report.risk.run_monte_carlo`) for ``result``.

    Raises
    ------
    DealDeskInputError
        Inputs of a named scenario other than base without their ``scenario_base``.
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
    if a.scenario != "base" and scenario_base is None:
        raise DealDeskInputError(
            f"a report of the {a.scenario!r} scenario needs the inputs it was applied to (scenario_base), "
            "so that the Scenarios sheet applies each scenario once"
        )
    base = a if scenario_base is None else scenario_base
    run = result if result is not None else run_model(a)
    checks = report_checks(run)
    mc = monte_carlo if monte_carlo is not None else run_monte_carlo(a, run, simulation_draws, seed)
    page = report_page(
        a,
        as_of=as_of,
        source=source_note or f"{a.provider} – {a.customer}; inputs: core defaults; {a.scenario} scenario",
        name=f"{a.deal_name}, {a.scenario} scenario",
    )

    wb = Workbook()
    summary_ws = wb.active
    summary_ws.title = "Summary"
    claims_sheet(wb.create_sheet(CLAIMS_TITLE), run, page, as_of=as_of)
    figures_ws = wb.create_sheet("Key figures")
    charts_ws = wb.create_sheet("Charts")
    sens_ws = wb.create_sheet("Sensitivity")
    tornado_ws = wb.create_sheet("Tornado")
    # The benchmarks table has its own page, after the Margin sheet.
    placed = {
        key: table_sheet(wb, key, frame, a, page) for key, frame in run.tables.items() if key != "benchmarks"
    }
    after = wb.sheetnames.index(placed["margin"].ws.title) + 1 if "margin" in placed else None
    benchmarks_sheet(wb.create_sheet(BENCHMARKS_TITLE, after), run, page, sources=sources or {})
    caveat = outsized_caveat(run)
    for key in ("gap", "margin") if caveat else ():
        if key in placed:
            write_caveat(placed[key].ws, _L.header_row - 1, str(caveat), placed[key].last_col)
    bridge_ws = wb.create_sheet("Margin bridge")
    bridge = bridge_sheet(bridge_ws, run, page)
    if bridge is None:
        wb.remove(bridge_ws)
    hist_placed = None
    if mc is not None:
        hist_placed = monte_carlo_sheet(wb.create_sheet("Monte Carlo"), a, mc, page)
    scenarios = scenario_sheet(wb.create_sheet("Scenarios"), base, page)
    watch_sheet(wb.create_sheet(WATCH_TITLE), run, page, as_of=as_of)
    assumptions_sheet(wb.create_sheet("Assumptions"), a, page, sources or {})
    checks_sheet(wb.create_sheet("Checks"), checks, page)
    key_figures_sheet(figures_ws, run, page)

    charts = _model_charts(placed, bridge)
    drawn = scenario_chart(scenarios)
    if drawn is not None:
        charts.append(drawn)
    _charts_sheet(charts_ws, charts, page)
    if sensitivity_sheet(sens_ws, a, page) is None:
        wb.remove(sens_ws)
    if tornado_sheet(tornado_ws, a, page) is None:
        wb.remove(tornado_ws)

    ramp = ramp_chart(placed["gap"]) if "gap" in placed else None
    risk = npv_chart(hist_placed, mc) if hist_placed is not None and mc is not None else None
    summary_sheet(
        summary_ws,
        run,
        checks,
        page,
        SummaryCharts(
            ramp=ramp[0] if ramp else None,
            ramp_source=ramp[1] if ramp else "",
            risk=risk[0] if risk else None,
            risk_source=risk[1] if risk else "",
        ),
        risk=None if mc is None else mc.risk,
        risk_note="" if mc is None else f"Probabilities from the Monte Carlo: {mc.note}.",
    )

    for sheet in wb.worksheets:
        wrap_subtitle(sheet)
    wb.properties.creator = "DealDesk"
    wb.properties.title = f"DealDesk report: {a.deal_name}"
    stamp = dt.datetime.combine(a.start_date, dt.time())
    return save_workbook_reproducibly(wb, target, timestamp=stamp)


def report_page(a: Assumptions, *, as_of: dt.date | None, source: str = "", name: str = "") -> Page:
    """What a report's pages say of their dates: ``As of <as_of>`` when built as of a day, else
    ``Valued at <signing>; figures to <newest>`` (the libraries' latest figures, the newest of them
    public on :func:`core.contracts.newest_public_day`).

    >>> report_page(Assumptions(), as_of=None).dated
    'Valued at 2025-11-03; figures to 2026-07-01'
    >>> report_page(Assumptions(), as_of=dt.date(2025, 12, 31)).dated
    'As of 2025-12-31'
    """
    if as_of is not None:
        return Page(as_of=as_of, source=source, name=name)
    return Page(as_of=newest_public_day(), source=source, name=name, valued_at=report_as_of(a))


def report_as_of(a: Assumptions) -> dt.date:
    """A report's valuation date: the signing date. With no as-of date, the figures are the libraries'
    latest (a base year reported after signing among them); give ``as_of`` to build the deal only
    from what was public on a day.

    >>> report_as_of(Assumptions()).isoformat()
    '2025-11-03'
    """
    return getattr(a, "signing_date", None) or a.start_date
