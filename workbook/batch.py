"""Batch report builds: one report per deal (or scenario) and one comparison workbook.

``run_batch(items, out_dir)`` builds every item's report in worker processes
(``concurrent.futures.ProcessPoolExecutor``; by default one per CPU the
process may use, at most one per item: :func:`plan_jobs`), shows a progress
bar on stderr, and then writes
``dealdesk-comparison.xlsx`` with every key figure side by side. A deal that
fails (for example an input that breaks a rule) is listed with its error in
the comparison; the others are still built. A batch of the whole library
lists the deals it cannot model (chip supply, investments, no disclosed
value) with the reason, on stderr and in the comparison's "Skipped" sheet.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import dataclasses
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Alignment
from tqdm import tqdm

from core.assumptions import SCENARIOS, Assumptions, scenario_assumptions
from core.contracts import newest_public_day
from core.deals import deal_terms, unmodelled_deals
from core.model import OUTPUTS, run_model
from core.validation import DealDeskInputError, check_choice
from workbook.console import EXIT_FAILURE, EXIT_USAGE, CliError
from workbook.report import build_report, report_checks
from workbook.report.build import report_as_of
from workbook.report.charts import chart_title as _chart_title
from workbook.report.charts import style_series as _style_series
from workbook.report.labels import label_of
from workbook.report.layout import Page
from workbook.report.layout import coordinate as _coordinate
from workbook.report.layout import fit_columns as _fit_columns
from workbook.report.layout import fit_row_height as _fit_row_height
from workbook.report.layout import freeze as _freeze
from workbook.report.layout import header_row as _header_row
from workbook.report.layout import plain as _plain
from workbook.report.layout import print_setup as _report_print_setup
from workbook.report.layout import title as _report_title
from workbook.sources import default_report_path, slug
from workbook.spec import REPORT_LAYOUT as _L
from workbook.styles import AXIS_FORMATS
from workbook.styles import NUMBER_FORMATS as FORMATS
from workbook.xlsxio import OutputPathError, save_workbook_reproducibly, set_value

__all__ = [
    "BatchItem",
    "BatchResult",
    "batch_items",
    "build_comparison",
    "comparison_page",
    "library_deal_names",
    "plan_jobs",
    "skipped_library_deals",
    "run_batch",
    "run_batch_command",
]

COMPARISON_NAME = "dealdesk-comparison.xlsx"


@dataclasses.dataclass(frozen=True)
class BatchItem:
    """One report of a batch: a label (the comparison's column) and its assumptions."""

    label: str
    assumptions: Assumptions
    note: str = ""
    assumed: tuple[str, ...] = ()
    sources: dict[str, str] = dataclasses.field(default_factory=dict)
    scenario_base: Assumptions | None = None  # the inputs a named scenario was applied to


@dataclasses.dataclass(frozen=True)
class ItemResult:
    """What building one item produced (``error`` is empty on success)."""

    label: str
    assumptions: Assumptions
    path: str = ""
    outputs: dict[str, float | None] = dataclasses.field(default_factory=dict)
    checks_failed: int = 0
    error: str = ""
    assumed: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class BatchResult:
    """Reports written, the comparison workbook, and the items that failed."""

    items: tuple[ItemResult, ...]
    comparison: Path
    skipped: tuple[tuple[str, str], ...] = ()

    @property
    def failures(self) -> tuple[ItemResult, ...]:
        return tuple(r for r in self.items if r.error)


def comparison_page(results: Sequence[ItemResult]) -> Page:
    """What the comparison's pages say about themselves: the date of its data, that of its reports
    (each built from the libraries' latest figures, valued at its own deal's signing).

    >>> from core.deals import deal_assumptions
    >>> items = [ItemResult(d, deal_assumptions(d)) for d in ("Oracle–OpenAI", "Microsoft–Nebius")]
    >>> comparison_page(items).line
    'As of 2026-07-01 · deal library and named scenarios'
    """
    day = max([newest_public_day(), *(report_as_of(r.assumptions) for r in results)])
    return Page(as_of=day, source="deal library and named scenarios", name="DealDesk comparison")


def library_deal_names() -> list[str]:
    """Cloud-compute deals of the library that have a disclosed value, in library order.

    >>> library_deal_names()[0]
    'AWS–OpenAI'
    """
    from core.deals import load_deals

    skipped = set(unmodelled_deals()["deal"])
    return [name for name in load_deals()["deal"] if name not in skipped]


def skipped_library_deals() -> tuple[tuple[str, str], ...]:
    """Deals of the library a batch leaves out, each with the reason (``core.deals.modelling_refusal``).

    >>> [name for name, _ in skipped_library_deals()]
    ['Google–Anthropic', 'Nvidia–OpenAI', 'AMD–OpenAI', 'Broadcom–OpenAI']
    """
    table = unmodelled_deals()
    return tuple(zip(table["deal"], table["reason"], strict=True))


def batch_items(
    *, deals: Sequence[str] | None = None, scenarios: Sequence[str] | None = None, deal: str | None = None
) -> list[BatchItem]:
    """The items of a batch: named deals, named scenarios of one deal, or every usable library deal.

    >>> [i.label for i in batch_items(scenarios=["base", "bear"])]
    ['AWS–OpenAI, base', 'AWS–OpenAI, bear']
    """
    if deals and scenarios:
        raise DealDeskInputError("give either deals or scenarios, not both")
    if deal is not None and not deal.strip():
        raise DealDeskInputError("--deal must name one; got an empty name")
    if scenarios:
        if deal:
            terms = deal_terms(deal)
            base, note, assumed = terms.assumptions, terms.note, terms.assumed
        else:
            terms, base, note, assumed = None, Assumptions(), "inputs: core defaults", ()
        names = [check_choice("scenario", s, SCENARIOS) for s in scenarios]
        if len(set(names)) != len(names):
            raise DealDeskInputError(f"scenarios must not repeat, got {', '.join(scenarios)}")
        items = []
        for n in names:
            a = scenario_assumptions(base, n)
            sources = terms.sources_for(a) if terms is not None else {}
            items.append(BatchItem(f"{base.deal_name}, {n}", a, note, assumed, sources, base))
        return items
    chosen = list(deals) if deals else library_deal_names()
    items = []
    for name in chosen:
        terms = deal_terms(name)
        items.append(
            BatchItem(
                terms.assumptions.deal_name, terms.assumptions, terms.note, terms.assumed, terms.sources
            )
        )
    labels = [i.label for i in items]
    if len(set(labels)) != len(labels):
        raise DealDeskInputError(f"deals must not repeat, got {', '.join(chosen)}")
    return items


def usable_cpus() -> int:
    """CPUs this process may run on (its CPU affinity where the system has one), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # no affinity (macOS, Windows): every CPU
        return max(1, os.cpu_count() or 1)


def _load_average() -> float | None:
    """The 1-minute load average, None where the system has none."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def plan_jobs(items: int, jobs: int | None = None) -> tuple[int, str]:
    """Worker processes for a batch of ``items`` reports, and why it will not scale with them.

    Each report is CPU work in one process (about 0.3 CPU-seconds), so jobs
    help as far as there are free CPUs to run them.

    Parameters
    ----------
    items : int
        Reports in the batch (>= 1).
    jobs : int or None, optional
        Worker processes asked for (>= 1); None: one per CPU this process
        may use (:func:`usable_cpus`).

    Returns
    -------
    tuple of (int, str)
        The worker processes (never more than ``items``; 1 builds in this
        process) and one line saying why the batch will not run ``jobs``
        times as fast as one job, or ``""`` when nothing stands in the way.
        The reasons: one report; one usable CPU; more jobs than usable CPUs;
        a 1-minute load average showing that other processes already use at
        least one job's CPU (load >= CPUs - jobs + 1).

    Raises
    ------
    DealDeskInputError
        ``jobs`` is not a whole number >= 1, or ``items`` is below 1.

    Examples
    --------
    >>> plan_jobs(1, 2)
    (1, 'one report: built in this process')
    >>> plan_jobs(10, 1)
    (1, '')
    """
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise DealDeskInputError(f"jobs must be a whole number >= 1, got {jobs!r}")
    if items < 1:
        raise DealDeskInputError(f"a batch needs at least one item, got {items}")
    cpus = usable_cpus()
    workers = min(cpus if jobs is None else jobs, items)
    if workers <= 1:
        if items == 1:
            return 1, "one report: built in this process" if jobs is not None and jobs > 1 else ""
        if jobs is None:
            return 1, "this process may use 1 CPU: the reports are built one at a time"
        return 1, ""
    if workers > cpus:
        return workers, (
            f"{workers} jobs on {cpus} usable CPU{'s' if cpus > 1 else ''}: the jobs take turns, "
            f"so the batch is at most {cpus}× as fast as one job"
        )
    load = _load_average()
    if load is not None and load >= cpus - workers + 1:
        return workers, (
            f"{workers} jobs, but the 1-minute load average is {load:.1f} on {cpus} CPUs: other processes "
            f"are using them, so the jobs get less than a CPU each and the batch will not be {workers}× "
            "as fast as one job"
        )
    return workers, ""


def _build_one(item: BatchItem, out_dir: str, pdf: bool) -> ItemResult:
    """Worker: run the model and write one report (and PDF); errors are returned, not raised."""
    a = item.assumptions
    try:
        result = run_model(a)
        path = build_report(
            a,
            default_report_path(a, out_dir),
            result=result,
            source_note=f"{a.provider} – {a.customer}; {item.note or 'batch item ' + item.label}; {a.scenario} scenario",
            sources=item.sources,
            scenario_base=item.scenario_base,
        )
        failed = int((report_checks(result)["result"] != "PASS").sum())
        problem = ""
        if pdf:
            from workbook.pdf import PdfConversionError, PdfUnavailableError, convert_to_pdf

            try:
                convert_to_pdf(path)
            except (PdfUnavailableError, PdfConversionError) as exc:
                problem = f"report written, no PDF: {exc}"
        return ItemResult(item.label, a, str(path), dict(result.outputs), failed, problem, item.assumed)
    except (DealDeskInputError, OutputPathError) as exc:
        return ItemResult(item.label, a, error=str(exc), assumed=item.assumed)
    except Exception as exc:  # noqa: BLE001 - one bad item must not stop the batch
        last = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return ItemResult(item.label, a, error=f"unexpected error: {last}", assumed=item.assumed)


def _exit_with_parent(parent: int) -> None:
    """Worker initialiser: end this worker when the batch process is gone (killed, even with -9).

    On Linux the kernel sends SIGKILL when the parent dies (``PR_SET_PDEATHSIG``);
    elsewhere a daemon thread notices the parent's exit within half a second.
    """
    import threading
    import time

    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the thread below does it
            pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="dealdesk-parent-watch", daemon=True).start()


def run_batch(
    items: Sequence[BatchItem],
    out_dir: str | os.PathLike[str],
    *,
    jobs: int | None = None,
    progress: bool = True,
    pdf: bool = False,
    comparison_name: str = COMPARISON_NAME,
    skipped: Sequence[tuple[str, str]] = (),
) -> BatchResult:
    """Build every item's report in ``jobs`` worker processes, then the comparison workbook.

    Parameters
    ----------
    items : sequence of BatchItem
        From :func:`batch_items`.
    out_dir : path-like
        Directory for the reports and the comparison (created if missing).
    jobs : int or None, keyword-only
        Worker processes (>= 1; 1 builds in this process; never more than
        the items); None: one per usable CPU (:func:`plan_jobs`).
    progress : bool, keyword-only
        Show a tqdm progress bar on stderr.
    pdf : bool, keyword-only
        Also convert every report to PDF (LibreOffice).
    skipped : sequence of (deal, reason), keyword-only
        Deals left out of the batch (see :func:`skipped_library_deals`),
        listed in the comparison's "Skipped" sheet.

    Returns
    -------
    BatchResult
        Per-item results in the order of ``items`` and the comparison's path.
    """
    if not items:
        raise DealDeskInputError("a batch needs at least one deal or scenario, got none")
    workers, _ = plan_jobs(len(items), jobs)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise OutputPathError(f"cannot write reports into {out}: it is a file, not a directory")
    results: dict[int, ItemResult] = {}
    with tqdm(
        total=len(items), desc="dealdesk batch", unit="report", file=sys.stderr, disable=not progress
    ) as bar:
        if workers == 1:
            for k, item in enumerate(items):
                results[k] = _build_one(item, str(out), pdf)
                bar.update(1)
        else:
            with cf.ProcessPoolExecutor(
                max_workers=workers, initializer=_exit_with_parent, initargs=(os.getpid(),)
            ) as pool:
                futures = {pool.submit(_build_one, item, str(out), pdf): k for k, item in enumerate(items)}
                for future in cf.as_completed(futures):
                    results[futures[future]] = future.result()
                    bar.update(1)
    ordered = tuple(results[k] for k in range(len(items)))
    comparison = build_comparison(ordered, out / comparison_name, skipped=skipped)
    return BatchResult(ordered, comparison, tuple(skipped))


def build_comparison(
    results: Sequence[ItemResult], path: str | os.PathLike[str], *, skipped: Sequence[tuple[str, str]] = ()
) -> Path:
    """Write the comparison workbook: key figures by item, the items with their reports and own company
    figures (prior close, shares, backlog before the deal, fiscal year-end, analyst defaults), and the
    deals left out with the reason. Every page is dated with the latest data of its items."""
    page = comparison_page(results)
    wb = Workbook()
    ws = wb.active
    ws.title = "Comparison"
    _report_title(ws, "DealDesk comparison", page, "Every key figure of each report, side by side")
    labels = [r.label for r in results]
    _header_row(ws, _L.header_row, ["Key figure", "Unit", *labels])
    for i, spec in enumerate(OUTPUTS, start=_L.first_row):
        found = label_of(spec.name)
        set_value(ws, i, 1, found.label)
        set_value(ws, i, 2, found.unit)
        for j, r in enumerate(results, start=3):
            if r.error or spec.name not in r.outputs:
                continue
            value = _plain(r.outputs[spec.name])
            cell = set_value(
                ws,
                i,
                j,
                "n/a" if value is None else value,
                number_format=FORMATS.get(found.fmt, FORMATS["number"]),
            )
            cell.alignment = Alignment(horizontal="right")
    _fit_columns(
        ws, {1: 44, 2: 16, **{j: max(14, min(len(lbl) + 2, 28)) for j, lbl in enumerate(labels, start=3)}}
    )
    _fit_row_height(
        ws, _L.header_row, {j: max(14, min(len(lbl) + 2, 28)) for j, lbl in enumerate(labels, start=3)}
    )
    _freeze(ws, frozen_cols=_L.comparison_frozen_cols)
    _report_print_setup(ws, page, title_row=_L.header_row)

    items = wb.create_sheet("Reports")
    _report_title(items, "Reports of this batch", page, "Inputs of each item, its report file and its checks")
    _reports_sheet(items, results)
    _report_print_setup(items, page, title_row=_L.header_row)

    if results:
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "clustered"
        first, last = 2, 1 + len(results)
        for row, name in ((_ROW_OF["straight_year2"], "Straight line"), (_ROW_OF["ramp_year2"], "Ramp")):
            chart.add_data(Reference(items, min_col=first, max_col=last, min_row=row), from_rows=True)
            chart.series[-1].tx = SeriesLabel(v=name)
        chart.set_categories(Reference(items, min_col=first, max_col=last, min_row=_L.header_row))
        for series in chart.series:  # item labels are text
            series.cat = AxDataSource(strRef=StrRef(f=series.cat.numRef.f))
        chart.title = _chart_title("Fiscal year 2 revenue: straight line vs ramp")
        chart.y_axis.title = "US$ bn"
        chart.y_axis.numFmt = AXIS_FORMATS["usd_bn"]
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.legend.position = "b"
        chart.width, chart.height = 24, 10
        _style_series(chart)
        charts = wb.create_sheet("Chart")
        _report_title(
            charts,
            "Straight line vs ramp by item",
            page,
            "Fiscal year 2: the year after the one holding the start (the first full year of a contract that "
            "starts inside a fiscal year)",
        )
        charts.add_chart(chart, _coordinate(*_L.chart_anchor(0)))
        _report_print_setup(charts, page)

    if skipped:
        left_out = wb.create_sheet("Skipped")
        _report_title(left_out, "Deals not modelled", page, "Library deals this batch left out, and why")
        _header_row(left_out, _L.header_row, ["Deal", "Reason"])
        widths = {1: 30, 2: 110}
        _fit_columns(left_out, widths)
        for i, (name, reason) in enumerate(skipped, start=_L.first_row):
            set_value(left_out, i, 1, name).alignment = Alignment(vertical="top")
            set_value(left_out, i, 2, reason).alignment = Alignment(wrap_text=True, vertical="top")
            _fit_row_height(left_out, i, widths)
        _report_print_setup(left_out, page, title_row=_L.header_row)

    wb.properties.creator = "DealDesk"
    wb.properties.title = "DealDesk comparison"
    return save_workbook_reproducibly(wb, path)


#: The rows of the Reports sheet: (key, label, number format hint or None for text), items across.
_REPORT_ROWS: tuple[tuple[str, str, str | None], ...] = (
    ("provider", "Provider", None),
    ("customer", "Customer", None),
    ("contract_value", "Contract value (US$ bn)", "usd_bn"),
    ("start_date", "Start", "date"),
    ("term_years", "Term (years)", "number"),
    ("scenario", "Scenario", None),
    ("straight_year2", "Straight line, fiscal year 2 (US$ bn)", "usd_bn"),
    ("ramp_year2", "Ramp, fiscal year 2 (US$ bn)", "usd_bn"),
    ("report", "Report", None),
    ("checks", "Checks", None),
    ("prior_close", "Prior close (US$ per share)", "usd"),
    ("shares_outstanding", "Shares (bn)", "number"),
    ("reported_backlog", "Backlog before the deal (US$ bn)", "usd_bn"),
    ("fiscal_year_end", "Fiscal year-end (month)", "year"),
    ("assumed", "Analyst defaults (no public figure)", None),
)
_ROW_OF = {key: _L.first_row + k for k, (key, _, _) in enumerate(_REPORT_ROWS)}
#: Width of an item's column on the Reports sheet (characters); long text wraps in it.
_ITEM_WIDTH = 24


def _report_value(r: ItemResult, key: str) -> Any:
    a = r.assumptions
    if key in ("straight_year2", "ramp_year2"):
        return _plain(r.outputs.get(key))
    if key == "report":
        return Path(r.path).name if r.path else ""
    if key == "checks":
        if r.error:
            return f"ERROR: {r.error}"
        return "all pass" if r.checks_failed == 0 else f"{r.checks_failed} FAIL"
    if key == "assumed":
        return ", ".join(label_of(n).label for n in r.assumed) if r.assumed else "none"
    return getattr(a, key)


def _reports_sheet(ws: Any, results: Sequence[ItemResult]) -> None:
    """The items across the columns (as on the Comparison sheet), one row per input or file: a page
    wide enough for a dozen items at a readable size, long text wrapped in its column."""
    _header_row(ws, _L.header_row, ["Item", *(r.label for r in results)])
    widths = {1: 36, **{j: _ITEM_WIDTH for j in range(2, 2 + len(results))}}
    _fit_columns(ws, widths)
    for key, label, hint in _REPORT_ROWS:
        row = _ROW_OF[key]
        set_value(ws, row, 1, label).alignment = Alignment(vertical="top")
        for j, r in enumerate(results, start=2):
            value = _report_value(r, key)
            cell = set_value(ws, row, j, value, number_format=FORMATS[hint] if hint else None)
            cell.alignment = Alignment(
                wrap_text=hint is None, vertical="top", horizontal="right" if hint else "left"
            )
        _fit_row_height(ws, row, widths)
    _fit_row_height(ws, _L.header_row, widths)
    _freeze(ws)


def run_batch_command(args: argparse.Namespace) -> int:
    """``dealdesk batch``: reports for many deals or scenarios; prints the comparison's path."""
    if args.deal and not args.scenarios:
        raise CliError("--deal goes with --scenarios (use --deals for several deals)", EXIT_USAGE)
    if args.jobs is not None and args.jobs < 1:
        raise CliError(f"--jobs must be >= 1, got {args.jobs}", EXIT_USAGE)
    items = batch_items(deals=args.deals, scenarios=args.scenarios, deal=args.deal)
    workers, why = plan_jobs(len(items), args.jobs)
    if why:  # one line: why the batch will not scale with its jobs
        print(f"dealdesk batch: {why}", file=sys.stderr)
    skipped = () if args.deals or args.scenarios else skipped_library_deals()
    for name, reason in skipped:
        print(f"dealdesk batch: skipped {name}: {reason}", file=sys.stderr)
    if args.scenarios:
        name = f"dealdesk-{slug(items[0].assumptions.deal_name)}-scenarios.xlsx"
    else:
        name = COMPARISON_NAME
    try:
        result = run_batch(items, args.out, jobs=workers, pdf=args.pdf, comparison_name=name, skipped=skipped)
    except OutputPathError as exc:
        raise CliError(str(exc), EXIT_FAILURE) from None
    for item in result.items:
        if item.path:
            print(item.path)
    print(result.comparison)
    for item in result.failures:
        print(f"dealdesk batch: {item.label}: {item.error}", file=sys.stderr)
    return EXIT_FAILURE if result.failures else 0
