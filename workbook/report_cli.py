"""``dealdesk report`` and ``dealdesk simulate``: what they print, in the reports' labels and formats.

``report`` prints the deal's headline figures (page one's) and its key risks, then the
files it wrote, one a line after a blank line (so ``| tail -n 1`` gives the last file).
``simulate`` prints the risk questions and each simulated figure that varies, beside its
base case; a yes/no figure is its share of draws, and the figures no draw moves are named
once. The parsers live in :mod:`workbook.cli`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from core.model import run_model
from workbook.console import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, CliError, print_table
from workbook.report.labels import label_of
from workbook.styles import format_text

__all__ = ["figure_rows", "risk_rows", "run_report_command", "run_simulate_command"]


def figure_rows(outputs: Mapping[str, Any], names: Iterable[str]) -> list[tuple[str, str, str]]:
    """Key figures as (label, value, unit) text rows, in the reports' formats; absent names left out.

    >>> figure_rows({"npv": -0.2913, "payback_year": None}, ["npv", "payback_year", "irr"])
    [('Deal NPV', '(0.29)', 'US$ bn'), ('Payback year', 'n/a', 'fiscal year')]
    """
    rows = []
    for name in names:
        if name in outputs:
            found = label_of(name)
            rows.append((found.label, format_text(outputs[name], found.fmt), found.unit))
    return rows


def risk_rows(risk: pd.DataFrame) -> list[tuple[str, str, str]]:
    """The risk questions as (question, probability, standard error) text rows; n/a where none applies."""
    return [
        (
            str(q.question),
            "not applicable" if pd.isna(q.probability) else format_text(q.probability, "pct"),
            "n/a" if pd.isna(q.se) else format_text(q.se, "pct"),
        )
        for q in risk.itertuples()
    ]


# --------------------------------------------------------------------------- report


def _checked_out(out: Path, inputs: str | None) -> Path:
    from workbook.report import REPORT_SUFFIXES
    from workbook.xlsxio import OutputPathError, check_not_same_file

    if out.suffix.lower() not in REPORT_SUFFIXES:
        raise CliError(f"--out must end in .xlsx, got {out.name!r}", EXIT_USAGE)
    try:
        check_not_same_file(out, inputs)
    except OutputPathError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    return out


def _refuse_png_dir(png: str | None) -> None:
    if png and Path(png).exists() and not Path(png).is_dir():
        raise CliError(f"--png must be a directory, got the file {png}", EXIT_USAGE)


def run_report_command(args: argparse.Namespace) -> int:
    """``dealdesk report``: build one report (and its PDF, its charts as PNGs); print its headline and paths."""
    from core.contracts import data_as_of
    from core.deals import deal_terms
    from workbook.report import build_report
    from workbook.report.build import report_page
    from workbook.report.risk import REPORT_DRAWS, run_monte_carlo
    from workbook.report.summary import HEADLINE
    from workbook.sources import as_of_date, default_report_path, load_assumptions, source_note
    from workbook.xlsxio import OutputPathError

    if args.out and not Path(args.out).is_dir():
        _checked_out(Path(args.out), args.inputs)  # refuse a bad output before reading any input
    _refuse_png_dir(args.png)
    day = as_of_date(args.as_of)
    base = load_assumptions(inputs=args.inputs, deal=args.deal, as_of=day)
    a = load_assumptions(inputs=args.inputs, deal=args.deal, scenario=args.scenario, as_of=day)
    # A custom inputs file names its own report, so it never replaces the library deal's.
    directory = Path(args.out) if args.out and Path(args.out).is_dir() else Path("reports")
    out = (
        Path(args.out)
        if args.out and not Path(args.out).is_dir()
        else default_report_path(a, directory, inputs=args.inputs)
    )
    out = _checked_out(out, args.inputs)
    if args.pdf and out.with_suffix(".pdf").is_dir():  # refuse before writing anything
        raise CliError(f"cannot write the PDF {out.with_suffix('.pdf')}: it is a directory", EXIT_USAGE)
    note = source_note(a, inputs=args.inputs, deal=args.deal, as_of=day)
    # A library deal's inputs cite its own companies' sources (those an override left alone).
    library_deal = args.deal or (a.deal_name if day else None)
    sources = deal_terms(library_deal, as_of=day).sources_for(a) if library_deal else None
    with data_as_of(day):  # the customer's other contracts too: only those public on the day
        run = run_model(a)
    mc = run_monte_carlo(a, run, REPORT_DRAWS, 0)
    try:
        written = build_report(
            a,
            out,
            result=run,
            monte_carlo=mc,
            source_note=note,
            sources=sources,
            protect=[args.inputs] if args.inputs else [],
            scenario_base=base,
            as_of=day,
        )
    except OutputPathError as exc:
        raise CliError(str(exc), EXIT_FAILURE) from None
    dated = report_page(a, as_of=day).dated
    print(f"{a.deal_name}, {a.scenario} scenario ({dated[:1].lower()}{dated[1:]})")
    print()
    print_table(figure_rows(run.outputs, HEADLINE), header=("Headline figure", "Value", "Unit"), right=(1,))
    if mc is not None:
        print()
        print_table(
            risk_rows(mc.risk),
            header=(f"Key risk (Monte Carlo, {mc.draws:,} draws)", "Probability", "Std error"),
            right=(1, 2),
        )
    paths = [written]
    code = EXIT_OK
    if args.pdf:
        from workbook.pdf import PdfConversionError, PdfUnavailableError, convert_to_pdf

        try:
            pdf = convert_to_pdf(written)
            paths.append(Path(written).with_name(Path(pdf).name))  # next to the workbook, as --out was given
        except (PdfUnavailableError, PdfConversionError) as exc:
            print(f"dealdesk report: wrote {written}; no PDF: {exc}", file=sys.stderr)
            code = EXIT_FAILURE
    if args.png and code == EXIT_OK:
        paths += _note_charts(run, mc, Path(args.png), prefix=f"{Path(written).stem}-")
    print()
    for path in paths:
        print(path)
    return code


def _note_charts(run: Any, mc: Any, directory: Path, *, prefix: str) -> list[Path]:
    from workbook.pdf import PdfConversionError, PdfUnavailableError
    from workbook.png import PngUnavailableError
    from workbook.report.notecharts import NoteData, write_note_charts

    try:
        return write_note_charts(NoteData(run, mc), directory, prefix=prefix)
    except (PdfUnavailableError, PngUnavailableError, PdfConversionError) as exc:
        raise CliError(f"report written; no PNG charts: {exc}", EXIT_FAILURE) from None


# --------------------------------------------------------------------------- simulate


def _simulation_table(
    summary: pd.DataFrame, base: Mapping[str, Any]
) -> tuple[list[Sequence[str]], list[str]]:
    from workbook.report.risk import summary_rows

    rows, constant = summary_rows(summary, base)
    shown: list[Sequence[str]] = []
    for r in rows:
        stats = [
            format_text(r.stats[k], r.fmt) if r.stats[k] is not None else ""
            for k in ("mean", "p5", "p50", "p95")
        ]
        shown.append((r.label, r.unit, format_text(r.base, label_of(r.name).fmt), *stats))
    return shown, constant


def run_simulate_command(args: argparse.Namespace) -> int:
    """``dealdesk simulate``: the risk questions and each simulated figure that varies (or ``--json``)."""
    from core.simulation import risk_questions, simulate
    from core.validation import check_draws
    from workbook.inputs import check_input_file
    from workbook.sources import load_assumptions, load_structured

    check_draws("--draws", args.draws)  # before any work: the limit bounds the memory
    a = load_assumptions(inputs=args.inputs, deal=args.deal, scenario=args.scenario)
    distributions = None
    if args.distributions:
        path = check_input_file("--distributions file", args.distributions)
        distributions = load_structured(path)
        if not isinstance(distributions, dict):
            raise CliError(f"{path} must hold a mapping of input name -> [kind, parameters...]", EXIT_USAGE)
        distributions = {k: tuple(v) if isinstance(v, list) else v for k, v in distributions.items()}
    result = simulate(a, distributions, draws=args.draws, seed=args.seed, outputs=args.outputs)
    summary = result.summary()
    questions = risk_questions(result) if args.outputs is None else None
    if args.json:
        payload = {
            "draws": result.draws,
            "seed": result.seed,
            "summary": summary.to_dict(orient="records"),
            "risk_questions": None if questions is None else questions.to_dict(orient="records"),
        }
        print(json.dumps(payload, indent=2))
        return EXIT_OK
    print(f"{a.deal_name}: {result.draws:,} draws, seed {result.seed}")
    if questions is not None:
        print()
        print_table(risk_rows(questions), header=("Risk question", "Probability", "Std error"), right=(1, 2))
    print()
    rows, constant = _simulation_table(summary, run_model(a).outputs)
    print_table(
        rows,
        header=("Key figure", "Unit", "Base case", "Mean", "5th pct", "Median", "95th pct"),
        right=(2, 3, 4, 5, 6),
    )
    from workbook.report.risk import SHARE_OF_DRAWS

    if any(r[1] == SHARE_OF_DRAWS.unit for r in rows):
        print("A yes/no figure's mean is the share of draws where it holds.")
    if constant:
        print()
        print(
            "The same in every draw (no drawn input moves them): "
            + ", ".join(label_of(n).label for n in constant)
            + "."
        )
    return EXIT_OK
