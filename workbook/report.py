"""Headless report workbooks: one model run laid out as values, formats and native charts.

``build_report(assumptions, path)`` runs :func:`core.model.run_model` and
writes an .xlsx that needs no recalculation: every cell holds a value (no
formulas), with number formats, frozen headers, print set-up and native
Excel charts. Sheets:

* **Cover** — the deal, the checks' master flag and every key figure of
  ``core.model.OUTPUTS`` grouped by topic;
* **Charts** — straight line vs ramp, backlog roll-forward, margin bridge,
  scenario comparison (each drawn from the data sheets);
* one sheet per table of the model run (schedule, gap, backlog, margin, ...);
* **Scenarios** — the key figures and the ramp under every named scenario;
* **Assumptions** — every input used (name, label, unit, value, default, source);
* **Checks** — identities the run must satisfy, each PASS or FAIL.

The layout only converts and places numbers; every figure comes from the
core. Same assumptions give the same bytes (see :mod:`workbook.xlsxio`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import re
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.assumptions import INPUTS, SCENARIOS, Assumptions, scenario_assumptions
from core.deals import deal_assumptions, deal_terms
from core.model import OUTPUTS, ModelResult, run_model
from core.validation import DealDeskInputError
from workbook.spec import REPORT_LAYOUT as _L
from workbook.xlsxio import OutputPathError, check_not_same_file, save_workbook_reproducibly, set_value

__all__ = [
    "FORMATS",
    "REPORT_SUFFIXES",
    "build_report",
    "default_report_path",
    "load_assumptions",
    "load_structured",
    "read_inputs_file",
    "report_checks",
    "run_report_command",
    "slug",
]

#: Cell number formats for the model's format hints (``core.model.FORMAT_HINTS``).
FORMATS: dict[str, str] = {
    "usd_bn": "#,##0.00",
    "usd": "#,##0.00",
    "pct": "0.0%",
    "pp": "0.00",
    "bps": "#,##0.0",
    "count": "#,##0",
    "mw": "#,##0.0",
    "twh": "#,##0.0",
    "year": "0",
    "ratio": '0.00"x"',
    "flag": '[=1]"Yes";[=0]"No";General',
    "date": "yyyy-mm-dd",
    "number": "#,##0.00",
    "integer": "#,##0",
}
#: Output suffixes a report may be written to.
REPORT_SUFFIXES = (".xlsx",)
#: Input file suffixes ``--inputs`` accepts.
INPUT_SUFFIXES = (".xlsx", ".xlsm", ".json", ".yaml", ".yml")

_TABLE_TITLES = {
    "schedule": "Schedule",
    "gap": "Straight line vs ramp",
    "backlog": "Backlog",
    "margin": "Margin",
    "margin_bridge": "Margin bridge",
    "capacity": "Capacity",
    "economics": "Economics",
    "counterparty": "Counterparty",
    "valuation": "Valuation",
    "pairs": "Pair trade",
    "simulation": "Monte Carlo",
}
_RESERVED_SHEETS = {"Cover", "Charts", "Scenarios", "Assumptions", "Checks"}

# Styles, registered once.
_NAVY = "1F3864"
_TITLE = Font(name="Calibri", size=16, bold=True, color=_NAVY)
_SUBTITLE = Font(name="Calibri", size=10, italic=True, color="595959")
_HEADER_FONT = Font(name="Calibri", size=10, bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor=_NAVY)
_GROUP_FONT = Font(name="Calibri", size=11, bold=True, color=_NAVY)
_GROUP_FILL = PatternFill("solid", fgColor="D9E1F2")
_BODY = Font(name="Calibri", size=10)
_PASS = Font(name="Calibri", size=10, bold=True, color="006100")
_FAIL = Font(name="Calibri", size=10, bold=True, color="9C0006")
_PASS_FILL = PatternFill("solid", fgColor="C6EFCE")
_FAIL_FILL = PatternFill("solid", fgColor="FFC7CE")
_RULE = Border(bottom=Side(style="thin", color="BFBFBF"))
_WRAP = Alignment(wrap_text=True, vertical="top")

# Characters of a key figure's description that fit one line of the cover's last column.
_COVER_NOTE_CHARS = 95
_SERIES_COLOURS = ("1F3864", "C55A11", "548235", "7F6000", "7030A0", "2E75B6")


# --------------------------------------------------------------------------- inputs


def slug(text: str) -> str:
    """File-name friendly lower-case form of a name.

    >>> slug("AWS–OpenAI")
    'aws-openai'
    """
    dashed = re.sub(r"[\u2010-\u2015\u2212]", "-", str(text))
    ascii_text = unicodedata.normalize("NFKD", dashed).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "deal"


def default_report_path(assumptions: Assumptions, directory: str | os.PathLike[str] = "reports") -> Path:
    """``<directory>/dealdesk-<deal>-<scenario>.xlsx`` (relative paths stay relative to the current directory).

    >>> default_report_path(Assumptions()).as_posix()
    'reports/dealdesk-aws-openai-base.xlsx'
    """
    return Path(directory) / f"dealdesk-{slug(assumptions.deal_name)}-{slug(assumptions.scenario)}.xlsx"


def load_structured(path: Path) -> Any:
    """The data of a JSON or YAML file, parsed safely within limits (:func:`workbook.inputs.load_structured`)."""
    from workbook.inputs import load_structured as load

    return load(path)


def read_inputs_file(path: str | os.PathLike[str], *, base: Assumptions | None = None) -> Assumptions:
    """Assumptions from a template copy (.xlsx/.xlsm) or a JSON/YAML ``name: value`` file.

    A JSON/YAML file holds a mapping of input names to values (or a list of
    ``[name, value]`` pairs); names not given keep ``base`` (default: the
    reference defaults). Every value is validated by ``core.assumptions``.

    Raises
    ------
    DealDeskInputError
        Missing file, unknown suffix, unreadable content, unknown input name
        or a value that breaks its rule; the message names the problem.
    """
    source = Path(path)
    suffix = source.suffix.lower()
    if suffix not in INPUT_SUFFIXES:
        raise DealDeskInputError(
            f"--inputs must be a template copy (.xlsx, .xlsm) or a JSON/YAML file (.json, .yaml, .yml); "
            f"got {source.name!r}"
        )
    if not source.is_file():
        raise DealDeskInputError(f"--inputs file not found: {source}")
    if suffix in (".xlsx", ".xlsm"):
        if base is not None and base != Assumptions():
            raise DealDeskInputError(
                "--inputs from a template already holds the deal; do not combine it with --deal"
            )
        try:
            from workbook.inputs import read_inputs
        except ImportError as exc:  # pragma: no cover - depends on the package state
            raise DealDeskInputError(f"reading a template needs workbook.inputs: {exc}") from None
        return read_inputs(source)
    data = load_structured(source)
    if isinstance(data, Mapping):
        pairs = dict(data)
    elif isinstance(data, list) and all(isinstance(r, (list, tuple)) and len(r) == 2 for r in data):
        pairs = {}
        for name, value in data:
            if name in pairs:
                raise DealDeskInputError(f"input {name!r} is given twice in {source.name}")
            pairs[name] = value
    else:
        raise DealDeskInputError(
            f"{source.name} must hold a mapping of input names to values (for example contract_value: 38), "
            f"got {type(data).__name__}"
        )
    merged: dict[str, Any] = dict((base or Assumptions()).to_pairs())
    unknown = sorted(str(k)[:60] for k in pairs if k not in merged)
    if unknown:
        more = f" and {len(unknown) - 10:,} more" if len(unknown) > 10 else ""
        raise DealDeskInputError(
            f"unknown input name(s) in {source.name}: {', '.join(unknown[:10])}{more}; "
            "see core.assumptions.INPUTS"
        )
    merged.update(pairs)
    return Assumptions.from_pairs(merged)


def load_assumptions(
    *, inputs: str | os.PathLike[str] | None = None, deal: str | None = None, scenario: str | None = None
) -> Assumptions:
    """The assumptions a report command asks for: a deal, an inputs file, a scenario, or the base case.

    ``deal`` gives the headline terms; ``inputs`` (JSON/YAML) overrides on
    top of it, or a template copy gives everything; ``scenario`` applies a
    named scenario's overrides last.

    >>> load_assumptions(scenario="bear").realisation
    0.9
    """
    for flag, given in (("--deal", deal), ("--scenario", scenario)):
        if given is not None and not str(given).strip():
            raise DealDeskInputError(f"{flag} must name one; got an empty name")
    a = deal_assumptions(deal) if deal else Assumptions()
    if inputs is not None:
        a = read_inputs_file(inputs, base=a)
    if scenario:
        a = scenario_assumptions(a, scenario)
    return a


# --------------------------------------------------------------------------- values and formats


def _plain(value: Any) -> Any:
    """A cell-ready Python value: numpy/pandas scalars unwrapped, NaN and NaT as empty."""
    if value is None:
        return None
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        if pd.isna(value):
            return None
        stamp = pd.Timestamp(value)
        return stamp.date() if stamp == stamp.normalize() else stamp.to_pydatetime()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (list, tuple, dict, set)):
        return str(value)
    return value


def _column_format(name: str, values: Sequence[Any]) -> str | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    if all(isinstance(v, (dt.date, dt.datetime)) for v in present):
        return FORMATS["date"]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return None
    key = name.lower()
    if "bps" in key:
        return FORMATS["bps"]
    if key.startswith("growth_pp") or key.endswith("_pp") or "_pp_" in key:
        return FORMATS["pp"]
    if any(
        w in key for w in ("pct", "share", "margin", "rate", "return", "irr", "realisation", "cagr", "growth")
    ):
        return FORMATS["pct"]
    if "ratio" in key or "coverage" in key or "multiple" in key:
        return FORMATS["ratio"]
    if key in ("year", "fiscal_year", "contract_year", "draw", "payback_year") or key.endswith("_year"):
        return FORMATS["year"]
    if any(w in key for w in ("gpus", "racks", "count", "draws")):
        return FORMATS["count"]
    if all(isinstance(v, int) for v in present):
        return FORMATS["integer"]
    return FORMATS["number"]


def _header_label(name: Any) -> str:
    text = str(name).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _fit_columns(ws: Worksheet, widths: Mapping[int, float]) -> None:
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width


def _print_setup(ws: Worksheet, *, title_row: int | None = None, landscape: bool = True) -> None:
    """A4, fit to the page width; ``title_row`` (a table's header row) printed on every page."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if title_row is not None:
        ws.print_title_rows = _L.print_title_rows(title_row)
    ws.oddHeader.left.text = "DealDesk"
    ws.oddHeader.right.text = "&A"
    ws.oddFooter.left.text = "Values only: no cell needs recalculation"
    ws.oddFooter.right.text = "Page &P of &N"


def _title(ws: Worksheet, title: str, subtitle: str) -> None:
    set_value(ws, _L.title_row, 1, title).font = _TITLE
    set_value(ws, _L.subtitle_row, 1, subtitle).font = _SUBTITLE


def _coordinate(row: int, column: int) -> str:
    """The A1 name of a cell given by numbers (without creating the cell)."""
    return f"{get_column_letter(column)}{row}"


def _freeze(ws: Worksheet, *, frozen_cols: int = _L.frozen_cols) -> None:
    """Keep the title, the header of the sheet's first table and its label columns in view."""
    ws.freeze_panes = _coordinate(_L.first_row, frozen_cols + 1)


def _header_row(ws: Worksheet, row: int, labels: Sequence[str]) -> None:
    for col, label in enumerate(labels, start=1):
        cell = set_value(ws, row, col, label)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class _Placed:
    """Where a DataFrame landed on a sheet (for chart references)."""

    ws: Worksheet
    header_row: int
    first_row: int
    last_row: int
    columns: dict[str, int]


def _write_frame(ws: Worksheet, frame: pd.DataFrame, *, header_row: int = _L.header_row) -> _Placed:
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()
    names = [str(c) for c in frame.columns]
    _header_row(ws, header_row, [_header_label(n) for n in names])
    columns: dict[str, int] = {}
    widths: dict[int, float] = {}
    for j, name in enumerate(names, start=1):
        values = [_plain(v) for v in frame.iloc[:, j - 1].tolist()]
        fmt = _column_format(name, values)
        for i, value in enumerate(values, start=header_row + 1):
            cell = set_value(ws, i, j, value, number_format=fmt)
            cell.font = _BODY
        columns[name] = j
        longest = max([len(_header_label(name)) * 0.8] + [len(str(v)) for v in values[:200] if v is not None])
        widths[j] = float(min(max(longest + 2, 11), 48))
    _fit_columns(ws, widths)
    frozen = _L.frozen_cols if len(names) > _L.frozen_cols else 0
    ws.freeze_panes = ws.cell(row=header_row + 1, column=frozen + 1)
    ws.row_dimensions[header_row].height = 30
    return _Placed(ws, header_row, header_row + 1, header_row + max(len(frame), 1), columns)


# --------------------------------------------------------------------------- checks


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def report_checks(result: ModelResult) -> pd.DataFrame:
    """Identities a model run must satisfy, each with the figures compared and PASS/FAIL.

    Returns a DataFrame with ``check``, ``expected``, ``actual``, ``difference``
    and ``result`` (``"PASS"`` or ``"FAIL"``); the comparisons use a relative
    tolerance of 1e-9.

    >>> report_checks(run_model())["result"].eq("PASS").all()
    np.True_
    """
    a = result.assumptions
    rows: list[tuple[str, float, float]] = []
    gap = result.tables.get("gap")
    if gap is not None and {"straight", "ramp"} <= set(gap.columns):
        rows.append(
            ("Straight line sums to the contract value", a.contract_value, float(gap["straight"].sum()))
        )
        if a.delay_mode != "forfeit" or a.delay_days == 0:
            rows.append(
                (
                    "Ramp sums to contract value × realisation",
                    a.contract_value * a.realisation,
                    float(gap["ramp"].sum()),
                )
            )
    schedule = result.tables.get("schedule")
    if schedule is not None and gap is not None and "revenue" in schedule.columns:
        rows.append(
            (
                "Schedule total equals the ramp total",
                float(gap["ramp"].sum()),
                float(schedule["revenue"].sum()),
            )
        )
    backlog = result.tables.get("backlog")
    roll = ("beginning", "bookings", "recognised", "derecognised", "ending")
    if backlog is not None and set(roll) <= set(backlog.columns) and len(backlog):
        moved = backlog["beginning"] + backlog["bookings"] - backlog["recognised"] - backlog["derecognised"]
        worst = float((moved - backlog["ending"]).abs().max())
        rows.append(("Backlog rolls forward (largest break)", 0.0, worst))
        rows.append(("Backlog ends at zero", 0.0, float(backlog["ending"].iloc[-1])))
        if len(backlog) > 1:
            carried = float(
                (backlog["beginning"].iloc[1:].to_numpy() - backlog["ending"].iloc[:-1].to_numpy())
                .__abs__()
                .max()
            )
            rows.append(("Each period begins where the last ended (largest break)", 0.0, carried))
    # None is the model's "no value" for a few figures (a payback year that never comes); it
    # shows as n/a. NaN, an infinity or a non-number is an error.
    numbers = sum(
        1 for v in result.outputs.values() if v is None or (isinstance(v, (int, float)) and math.isfinite(v))
    )
    rows.append(("Every key figure is a number (or n/a)", float(len(result.outputs)), float(numbers)))
    round_trip = Assumptions.from_pairs(a.to_pairs()) == a
    rows.append(("Assumptions read back unchanged from name/value pairs", 1.0, 1.0 if round_trip else 0.0))
    table = pd.DataFrame(rows, columns=["check", "expected", "actual"])
    table["difference"] = table["actual"] - table["expected"]
    table["result"] = [
        "PASS" if _close(e, x) else "FAIL" for e, x in zip(table["expected"], table["actual"], strict=True)
    ]
    return table


# --------------------------------------------------------------------------- sheets


def _figure_row(ws: Worksheet, row: int, label: str, raw: Any, fmt: str, unit: str, description: str) -> None:
    """One key figure on the cover: label, value (n/a when the model has none), unit, meaning."""
    set_value(ws, row, 1, label).font = _BODY
    value = _plain(raw)
    value = "n/a" if value is None else value
    cell = set_value(ws, row, 2, value, number_format=FORMATS.get(fmt, FORMATS["number"]))
    cell.font = Font(name="Calibri", size=10, bold=True)
    set_value(ws, row, 3, unit).font = _BODY
    note = set_value(ws, row, 4, description)
    note.font, note.alignment = _BODY, _WRAP
    for col in range(1, 4):
        ws.cell(row=row, column=col).alignment = Alignment(
            vertical="top", horizontal="right" if col == 2 else "left"
        )
    lines = math.ceil(len(description) / _COVER_NOTE_CHARS)
    if lines > 1:
        ws.row_dimensions[row].height = 13.5 * lines
    for col in range(1, _L.cover_cols + 1):
        ws.cell(row=row, column=col).border = _RULE


def _cover(
    ws: Worksheet,
    result: ModelResult,
    checks: pd.DataFrame,
    source_note: str,
    risk: pd.DataFrame | None = None,
) -> None:
    a = result.assumptions
    _title(ws, f"DealDesk report: {a.deal_name}", source_note)
    # The note on where the inputs came from may be long: wrap it across the table's width.
    ws.merge_cells(
        start_row=_L.subtitle_row, start_column=1, end_row=_L.subtitle_row, end_column=_L.cover_cols
    )
    ws.cell(row=_L.subtitle_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[_L.subtitle_row].height = 13.5 * max(1, math.ceil(len(source_note) / 150))
    details = [
        ("Provider", a.provider, None),
        ("Customer", a.customer, None),
        ("Contract value (US$ bn)", a.contract_value, FORMATS["usd_bn"]),
        ("Start date", a.start_date, FORMATS["date"]),
        ("Term (years)", a.term_years, "0.0#"),
        ("Revenue profile", a.profile, None),
        ("Scenario", a.scenario, None),
    ]
    row = _L.cover_first_row
    for label, value, fmt in details:
        set_value(ws, row, 1, label).font = Font(name="Calibri", size=10, bold=True)
        set_value(ws, row, 2, value, number_format=fmt).font = _BODY
        ws.cell(row=row, column=2).alignment = Alignment(horizontal="left")
        row += 1
    failed = int((checks["result"] != "PASS").sum())
    flag = (
        f"All {len(checks)} checks pass"
        if failed == 0
        else f"{failed} of {len(checks)} checks FAIL: see Checks"
    )
    set_value(ws, row, 1, "Checks").font = Font(name="Calibri", size=10, bold=True)
    cell = set_value(ws, row, 2, flag)
    cell.font, cell.fill = (_PASS, _PASS_FILL) if failed == 0 else (_FAIL, _FAIL_FILL)
    row += 2
    header = row
    _header_row(ws, header, ["Key figure", "Value", "Unit", "What it means"])
    row += 1
    # Topics in order of their first figure, each topic's figures together.
    first: dict[str, int] = {}
    for k, spec in enumerate(OUTPUTS):
        first.setdefault(spec.group, k)
    rows: list[tuple[str, str, Any, str, str, str]] = [
        (
            spec.group,
            spec.label,
            result.outputs[spec.name],
            spec.fmt,
            spec.unit,
            spec.description if result.outputs[spec.name] is not None else f"No value: {spec.missing}.",
        )
        for spec in sorted(OUTPUTS, key=lambda s: first[s.group])
        if spec.name in result.outputs
    ]
    if risk is not None:
        rows += [
            ("Risk (Monte Carlo)", q.question, q.probability, "pct", "probability", q.note)
            for q in risk.itertuples()
        ]
    group = None
    for topic, label, raw, fmt, unit, description in rows:
        if topic != group:
            group = topic
            for col in range(1, _L.cover_cols + 1):
                ws.cell(row=row, column=col).fill = _GROUP_FILL
            set_value(ws, row, 1, group).font = _GROUP_FONT
            row += 1
        _figure_row(ws, row, label, raw, fmt, unit, description)
        row += 1
    _fit_columns(ws, {1: 44, 2: 16, 3: 18, 4: 76})
    ws.freeze_panes = ws.cell(row=header + 1, column=1)
    _print_setup(ws, title_row=header, landscape=False)


def _assumptions_sheet(ws: Worksheet, a: Assumptions, sources: Mapping[str, str]) -> None:
    _title(ws, "Assumptions used", "Every input of the model run; blue = changed from the reference default")
    _header_row(ws, _L.header_row, ["Name", "Label", "Unit", "Value", "Default", "Source", "Group"])
    changed = Font(name="Calibri", size=10, color="0000FF", bold=True)
    for i, spec in enumerate(INPUTS, start=_L.first_row):
        value = getattr(a, spec.name)
        fmt = {"fraction": FORMATS["pct"], "date": FORMATS["date"], "integer": "0"}.get(spec.kind)
        if spec.kind == "number":
            fmt = FORMATS["pct"] if spec.unit == "fraction" else "#,##0.00##"
        set_value(ws, i, 1, spec.name).font = _BODY
        set_value(ws, i, 2, spec.label).font = _BODY
        set_value(ws, i, 3, spec.unit).font = _BODY
        set_value(ws, i, 4, value, number_format=fmt).font = changed if value != spec.default else _BODY
        set_value(ws, i, 5, spec.default, number_format=fmt).font = _BODY
        src = set_value(ws, i, 6, sources.get(spec.name, spec.source))
        src.font, src.alignment = _BODY, _WRAP
        set_value(ws, i, 7, spec.group).font = _BODY
    _fit_columns(ws, {1: 28, 2: 32, 3: 16, 4: 16, 5: 16, 6: 70, 7: 14})
    for row in ws.iter_rows(min_row=_L.first_row, min_col=6, max_col=6):
        row[0].alignment = Alignment(indent=1, wrap_text=True, vertical="top")
    _freeze(ws)
    _print_setup(ws, title_row=_L.header_row)


def _checks_sheet(ws: Worksheet, checks: pd.DataFrame) -> None:
    failed = int((checks["result"] != "PASS").sum())
    _title(
        ws,
        "Checks",
        "PASS when actual equals expected within a relative 1e-9"
        + ("" if not failed else f"; {failed} FAIL"),
    )
    placed = _write_frame(ws, checks)
    col = placed.columns["result"]
    for r in range(placed.first_row, placed.last_row + 1):
        cell = ws.cell(row=r, column=col)
        cell.font, cell.fill = (_PASS, _PASS_FILL) if cell.value == "PASS" else (_FAIL, _FAIL_FILL)
    _fit_columns(ws, {1: 56})
    _print_setup(ws, title_row=_L.header_row)


def _monte_carlo(a: Assumptions, draws: int, seed: int) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """The brief's risk questions and a summary of every simulated figure (core.simulation), or None."""
    if not draws:
        return None, None
    try:
        from core.simulation import risk_questions, simulate
    except ImportError:  # pragma: no cover - the simulation module ships with the core
        return None, None
    result = simulate(a, draws=draws, seed=seed, workers=1)
    risk = risk_questions(result)
    risk["note"] = [
        f"{draws:,} draws, seed {seed}, default distributions of core.simulation; standard error {se:.1%}"
        for se in risk["se"]
    ]
    return risk, result.summary()


def _scenario_frames(a: Assumptions) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Key figures and ramp revenue by fiscal year under every named scenario (core runs, laid side by side)."""
    figures: dict[str, Any] = {}
    ramps: dict[str, pd.Series] = {}
    straight: pd.Series | None = None
    for name in SCENARIOS:
        run = run_model(scenario_assumptions(a.replace(scenario="base"), name))
        # Nullable floats: a figure with no value (never pays back) is <NA>, shown as a blank.
        figures[name] = pd.array([run.outputs.get(s.name) for s in OUTPUTS], dtype="Float64")
        gap = run.tables["gap"].set_index("period")
        ramps[name] = gap["ramp"]
        if name == "base":
            straight = gap["straight"]
    table = pd.DataFrame({"figure": [s.label for s in OUTPUTS], "unit": [s.unit for s in OUTPUTS], **figures})
    revenue = pd.DataFrame({"straight line": straight, **{f"ramp, {n}": s for n, s in ramps.items()}})
    revenue = revenue.fillna(0.0).rename_axis("period").reset_index()
    return table, revenue


# --------------------------------------------------------------------------- charts


def _style_series(chart: Any) -> None:
    for k, series in enumerate(chart.series):
        colour = _SERIES_COLOURS[k % len(_SERIES_COLOURS)]
        series.graphicalProperties.line.solidFill = colour
        if isinstance(chart, BarChart):
            series.graphicalProperties.solidFill = colour
        else:
            series.graphicalProperties.line.width = 28575  # 2.25 pt
            series.smooth = False


def _text_categories(chart: Any, placed: _Placed, category: str) -> None:
    """Refer to text category labels (``FY2026``) as strings, as Excel does, not as numbers."""
    from openpyxl.chart.data_source import AxDataSource, StrRef

    first = placed.ws.cell(row=placed.first_row, column=placed.columns[category]).value
    if not isinstance(first, str):
        return
    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=series.cat.numRef.f))


def _finish(chart: Any, title: str, y_title: str, x_title: str, *, number_format: str = "#,##0.0") -> Any:
    chart.title = title
    chart.y_axis.title = y_title
    chart.x_axis.title = x_title
    chart.y_axis.numFmt = number_format
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    chart.width, chart.height = 16.5, 8.5
    _style_series(chart)
    return chart


def _series_chart(
    kind: str, placed: _Placed, category: str, series: Sequence[str], **labels: str
) -> Any | None:
    if category not in placed.columns or not all(s in placed.columns for s in series):
        return None
    chart: Any
    if kind == "bar":
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "clustered"
        chart.overlap = -10
        chart.gapWidth = 60
    else:
        chart = LineChart()
    for name in series:
        col = placed.columns[name]
        data = Reference(placed.ws, min_col=col, min_row=placed.header_row, max_row=placed.last_row)
        chart.add_data(data, titles_from_data=True)
    cats = Reference(
        placed.ws, min_col=placed.columns[category], min_row=placed.first_row, max_row=placed.last_row
    )
    chart.set_categories(cats)
    _text_categories(chart, placed, category)
    return _finish(
        chart,
        labels["title"],
        labels["y_title"],
        labels["x_title"],
        number_format=labels.get("fmt", "#,##0.0"),
    )


def _economics_chart(placed: _Placed) -> Any | None:
    """The deal's yearly cash flow (columns) and its running total (line)."""
    if not {"year", "cash_flow", "cumulative_cash_flow"} <= set(placed.columns):
        return None
    bars = _series_chart(
        "bar", placed, "year", ["cash_flow"], title="Deal cash flows (provider)", y_title="US$ bn", x_title=""
    )
    line = _series_chart("line", placed, "year", ["cumulative_cash_flow"], title="", y_title="", x_title="")
    if bars is None or line is None:
        return None
    line.series[0].graphicalProperties.line.solidFill = _SERIES_COLOURS[1]
    bars.x_axis.tickLblPos = "low"
    bars += line
    return bars


def _backlog_chart(placed: _Placed) -> Any | None:
    """Backlog at each period end (columns) and revenue recognised (line, right axis)."""
    if not {"period", "ending", "recognised"} <= set(placed.columns):
        return None
    bars = _series_chart(
        "bar",
        placed,
        "period",
        ["ending"],
        title="Backlog roll-forward",
        y_title="Backlog, US$ bn",
        x_title="",
    )
    line = _series_chart(
        "line", placed, "period", ["recognised"], title="", y_title="Recognised, US$ bn", x_title=""
    )
    if bars is None or line is None:
        return None
    line.y_axis.axId = 200
    line.y_axis.crosses = "max"
    line.series[0].graphicalProperties.line.solidFill = _SERIES_COLOURS[1]
    bars.gapWidth = 30
    bars += line
    return bars


def _bridge_frame(result: ModelResult) -> pd.DataFrame | None:
    """The margin bridge of the first full fiscal year (core.margin.margin_bridge) with waterfall helpers.

    The two ``chart`` columns only place the bars of the waterfall: an
    invisible base and the visible bar (levels stand on zero, the change
    floats between the two levels).
    """
    from core.margin import margin_bridge

    margin = result.tables.get("margin")
    if margin is None or len(margin) < 2 or not {"base_revenue", "deal_revenue"} <= set(margin.columns):
        return None
    year = margin.iloc[1]
    a = result.assumptions
    # The year's own deal margin from the cost stack (the margin table's), as every section uses.
    bridge = margin_bridge(
        float(year["base_revenue"]), a.base_margin, float(year["deal_revenue"]), float(year["deal_margin"])
    )
    bridge.insert(0, "period", str(year["period"]))
    if not {"step", "bps"} <= set(bridge.columns) or len(bridge) != 3:
        return None
    bps = bridge["bps"].to_numpy(dtype=float)
    start, change, end = bps
    frame = bridge.copy()
    frame["chart_base_bps"] = [0.0, min(start, end), 0.0]
    frame["chart_bar_bps"] = [start, abs(change), end]
    return frame


def _bridge_chart(placed: _Placed, frame: pd.DataFrame) -> Any | None:
    from openpyxl.chart.marker import DataPoint

    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.gapWidth = 60
    for name in ("chart_base_bps", "chart_bar_bps"):
        col = placed.columns[name]
        chart.add_data(
            Reference(placed.ws, min_col=col, min_row=placed.header_row, max_row=placed.last_row),
            titles_from_data=True,
        )
    chart.set_categories(
        Reference(
            placed.ws, min_col=placed.columns["step"], min_row=placed.first_row, max_row=placed.last_row
        )
    )
    _text_categories(chart, placed, "step")
    period = f", {frame['period'].iloc[0]}" if "period" in frame.columns else ""
    _finish(chart, f"Margin bridge{period}", "bps", "", number_format="#,##0")
    hidden, bars = chart.series
    hidden.graphicalProperties.solidFill = None
    hidden.graphicalProperties.noFill = True
    hidden.graphicalProperties.line.solidFill = None
    hidden.graphicalProperties.line.noFill = True
    bars.graphicalProperties.solidFill = _SERIES_COLOURS[0]
    bars.graphicalProperties.line.solidFill = _SERIES_COLOURS[0]
    change = float(frame["bps"].iloc[1])
    point = DataPoint(idx=1)
    point.graphicalProperties.solidFill = "C00000" if change < 0 else "548235"
    point.graphicalProperties.line.solidFill = point.graphicalProperties.solidFill
    bars.dPt.append(point)
    levels = frame["bps"].iloc[[0, 2]].to_numpy(dtype=float)
    # Start the axis below the lower level so that a change of a few bps is visible.
    span = max(abs(change) * 4, 25.0)
    chart.y_axis.scaling.min = float(math.floor((levels.min() - span) / 25.0) * 25.0)
    chart.y_axis.scaling.max = float(math.ceil((levels.max() + span / 2) / 25.0) * 25.0)
    chart.legend = None
    return chart


def _add_charts(ws: Worksheet, charts: Sequence[Any]) -> None:
    """Two charts a row, two rows a printed page."""
    from openpyxl.worksheet.pagebreak import Break

    _title(ws, "Charts", "Native Excel charts drawn from the data sheets of this report")
    for k, chart in enumerate(charts):
        row, column = _L.chart_anchor(k)
        ws.add_chart(chart, _coordinate(row, column))
        if (k + 1) % _L.charts_per_page == 0 and k + 1 < len(charts):
            ws.row_breaks.append(Break(id=row + _L.chart_rows))
    _print_setup(ws)


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
        Where the inputs came from, shown under the cover's title.
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

    Raises
    ------
    OutputPathError
        ``path`` is a protected input, locked, read-only, or the disk is full.

    Examples
    --------
    The base case, built twice, gives the same bytes:

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> build_report(None, d / "a.xlsx").read_bytes() == build_report(None, d / "b.xlsx").read_bytes()
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
    risk, risk_summary = _monte_carlo(a, simulation_draws, seed)
    note = source_note or f"{a.provider} – {a.customer}; inputs: core defaults ({a.scenario} scenario)"

    wb = Workbook()
    cover = wb.active
    cover.title = "Cover"
    charts_ws = wb.create_sheet("Charts")
    placed: dict[str, _Placed] = {}
    for key, frame in run.tables.items():
        title = _TABLE_TITLES.get(key, _header_label(key))[:31]
        title = re.sub(r"[\[\]:*?/\\]", " ", title)
        if title in _RESERVED_SHEETS or title in wb.sheetnames:
            title = f"{title} ({key})"[:31]
        ws = wb.create_sheet(title)
        _title(
            ws, f"{title}: {a.deal_name}", "Values from the core model; money in US$ bn, fractions shown as %"
        )
        placed[key] = _write_frame(ws, frame)
        _print_setup(ws, title_row=_L.header_row)
    bridge = _bridge_frame(run)
    bridge_placed = None
    if bridge is not None:
        ws = wb.create_sheet("Margin bridge")
        _title(ws, f"Margin bridge: {a.deal_name}", "core.margin.margin_bridge of the first full fiscal year")
        bridge_placed = _write_frame(ws, bridge)
        _print_setup(ws, title_row=_L.header_row)
    if risk is not None and risk_summary is not None:
        mc = wb.create_sheet("Monte Carlo")
        _title(mc, f"Monte Carlo: {a.deal_name}", str(risk["note"].iloc[0]))
        risk_placed = _write_frame(mc, risk.drop(columns=["note"]))
        summary_header = risk_placed.last_row + _L.table_gap
        set_value(mc, summary_header - 1, 1, "Distribution of every simulated key figure").font = _GROUP_FONT
        _write_frame(mc, risk_summary, header_row=summary_header)
        _freeze(mc)
        _fit_columns(mc, {1: 48})
        _print_setup(mc, title_row=_L.header_row)
    scen_ws = wb.create_sheet("Scenarios")
    figures, revenue = _scenario_frames(a)
    _title(
        scen_ws, f"Scenarios: {a.deal_name}", "Named scenarios (core.assumptions.SCENARIOS) on these inputs"
    )
    scen_figures = _write_frame(scen_ws, figures)
    for i, spec in enumerate(OUTPUTS, start=scen_figures.first_row):
        for name in SCENARIOS:
            scen_ws.cell(row=i, column=scen_figures.columns[name]).number_format = FORMATS.get(
                spec.fmt, FORMATS["number"]
            )
    rev_header = scen_figures.last_row + _L.table_gap
    set_value(scen_ws, rev_header - 1, 1, "Revenue by fiscal year (US$ bn)").font = _GROUP_FONT
    scen_revenue = _write_frame(scen_ws, revenue, header_row=rev_header)
    _freeze(scen_ws)
    _fit_columns(scen_ws, {1: 44})
    _print_setup(scen_ws, title_row=_L.header_row)
    _assumptions_sheet(wb.create_sheet("Assumptions"), a, sources or {})
    _checks_sheet(wb.create_sheet("Checks"), checks)
    _cover(cover, run, checks, note, risk)

    charts: list[Any] = []
    if "gap" in placed:
        charts.append(
            _series_chart(
                "bar",
                placed["gap"],
                "period",
                ["straight", "ramp"],
                title="Revenue: straight line vs ramp",
                y_title="US$ bn",
                x_title="Fiscal year",
            )
        )
    if "backlog" in placed:
        charts.append(_backlog_chart(placed["backlog"]))
    if bridge is not None and bridge_placed is not None:
        charts.append(_bridge_chart(bridge_placed, bridge))
    if "margin" in placed:
        charts.append(
            _series_chart(
                "bar",
                placed["margin"],
                "period",
                ["change_bps"],
                title="Margin change from the deal",
                y_title="bps",
                x_title="Fiscal year",
                fmt="#,##0",
            )
        )
        charts[-1].x_axis.tickLblPos = "low"
    if "economics" in placed:
        charts.append(_economics_chart(placed["economics"]))
    if "counterparty" in placed:
        charts.append(
            _series_chart(
                "bar",
                placed["counterparty"],
                "year",
                ["revenue", "commitments"],
                title="Customer revenue vs commitments",
                y_title="US$ bn",
                x_title="Year",
            )
        )
    charts.append(
        _series_chart(
            "line",
            scen_revenue,
            "period",
            [c for c in revenue.columns if c != "period"],
            title="Scenarios: revenue by fiscal year",
            y_title="US$ bn",
            x_title="Fiscal year",
        )
    )
    _add_charts(charts_ws, [c for c in charts if c is not None])

    wb.properties.creator = "DealDesk"
    wb.properties.title = f"DealDesk report: {a.deal_name}"
    stamp = dt.datetime.combine(a.start_date, dt.time())
    return save_workbook_reproducibly(wb, target, timestamp=stamp)


# --------------------------------------------------------------------------- the command


def run_report_command(args: argparse.Namespace) -> int:
    """``dealdesk report``: build one report (and optionally its PDF); prints the paths written."""
    from workbook.cli import EXIT_FAILURE, EXIT_USAGE, CliError

    def checked(out: Path) -> Path:
        if out.suffix.lower() not in REPORT_SUFFIXES:
            raise CliError(f"--out must end in .xlsx, got {out.name!r}", EXIT_USAGE)
        try:
            check_not_same_file(out, args.inputs)
        except OutputPathError as exc:
            raise CliError(str(exc), EXIT_USAGE) from None
        return out

    if args.out and not Path(args.out).is_dir():
        checked(Path(args.out))  # refuse a bad output before reading any input
    a = load_assumptions(inputs=args.inputs, deal=args.deal, scenario=args.scenario)
    if args.out:
        out = Path(args.out)
        if out.is_dir():
            out = default_report_path(a, out)
    else:
        out = default_report_path(a)
    out = checked(out)
    terms = deal_terms(args.deal) if args.deal else None
    if args.pdf and out.with_suffix(".pdf").is_dir():  # refuse before writing anything
        raise CliError(f"cannot write the PDF {out.with_suffix('.pdf')}: it is a directory", EXIT_USAGE)
    origin = (
        f"inputs: {Path(args.inputs).name}"
        if args.inputs
        else terms.note
        if terms is not None
        else "inputs: core defaults"
    )
    note = f"{a.provider} – {a.customer}; {origin}; {a.scenario} scenario"
    sources = terms.sources_for(a) if terms is not None else None
    try:
        written = build_report(
            a, out, source_note=note, sources=sources, protect=[args.inputs] if args.inputs else []
        )
    except OutputPathError as exc:
        raise CliError(str(exc), EXIT_FAILURE) from None
    print(written)
    if args.pdf:
        from workbook.pdf import PdfConversionError, PdfUnavailableError, convert_to_pdf

        try:
            print(convert_to_pdf(written))
        except PdfUnavailableError as exc:
            print(f"dealdesk report: wrote {written}; no PDF: {exc}", file=sys.stderr)
            return EXIT_FAILURE
        except PdfConversionError as exc:
            print(f"dealdesk report: wrote {written}; no PDF: {exc}", file=sys.stderr)
            return EXIT_FAILURE
    return 0
