"""``dealdesk solve``, ``dealdesk claims`` and ``dealdesk watch``: the analyst's loop on the command line.

``solve`` prints one sentence (or ``--json``: ``output``, ``target``, ``input``,
``value``, ``achieved``, the ``range`` searched and the base case); where no
value in the input's range reaches the target it exits 1 with the solver's one
line. ``claims`` and ``watch`` print the tables of the report's Claims and Watch
list pages, in the same labels and formats (:mod:`workbook.report.loop`), or
their rows as JSON. The parsers live in :mod:`workbook.cli`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

import pandas as pd

from core.assumptions import INPUTS
from core.claims import deal_claims
from core.conventions import DEFAULT_DEAL
from core.solve import NoSolution, solve
from core.watch import watch_list
from workbook.console import EXIT_FAILURE, EXIT_OK, CliError, print_table
from workbook.report.labels import label_of
from workbook.report.loop import CLAIM_HEADERS, WATCH_HEADERS, claim_rows, watch_rows
from workbook.sources import as_of_date, load_assumptions
from workbook.styles import format_text

__all__ = ["run_claims_command", "run_solve_command", "run_watch_command", "solve_sentence"]

_INPUT_SPECS = {spec.name: spec for spec in INPUTS}


def _json_value(value: Any) -> Any:
    """A table cell as plain JSON: NaN and missing values as null, dates as ISO text."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return value.item() if hasattr(value, "item") else value


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _json_value(v) for k, v in r.items()} for r in table.to_dict("records")]


def solve_sentence(solution: Any) -> str:
    """What a solution says, in words, labels and the reports' formats.

    >>> from core.solve import solve
    >>> print(solve_sentence(solve(None, "margin_bps_year2", -50, "price_per_gpu_hour")))
    Margin change, first full year of (50) bps needs Price per GPU-hour at 2.29 US$ per GPU-hour (this case: 2.83, giving (18) bps); the model gives (50) bps there. Searched 0.01 to 1,000.00 US$ per GPU-hour.
    """
    out, vary = label_of(solution.output), label_of(solution.input)
    fig = f"{{}} {out.unit}".rstrip() if out.unit else "{}"
    unit = f" {vary.unit}" if vary.unit else ""
    base = (
        f" (this case: {format_text(solution.base_value, vary.fmt)}, giving "
        f"{fig.format(format_text(solution.base_output, out.fmt))})"
        if solution.base_output is not None
        else ""
    )
    return (
        f"{out.label} of {fig.format(format_text(solution.target, out.fmt))} needs {vary.label} at "
        f"{format_text(solution.value, vary.fmt)}{unit}{base}; the model gives "
        f"{fig.format(format_text(solution.achieved, out.fmt))} there. Searched "
        f"{format_text(solution.low, vary.fmt)} to {format_text(solution.high, vary.fmt)}{unit}."
    )


def run_solve_command(args: argparse.Namespace) -> int:
    """``dealdesk solve OUTPUT --target T --vary INPUT``: the input value that gives the target."""
    day = as_of_date(args.as_of)
    a = load_assumptions(inputs=args.inputs, deal=args.deal, as_of=day)
    try:
        found = solve(a, args.output, args.target, args.vary, scenario=args.scenario)
    except NoSolution as exc:  # a fact about the model, not a bad input: exit 1
        raise CliError(str(exc), EXIT_FAILURE) from None
    if args.json:
        payload = {
            **found.as_dict(),
            "range": [found.low, found.high],
            "deal": a.deal_name,
            "scenario": args.scenario or a.scenario,
            "as_of": None if day is None else day.isoformat(),
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return EXIT_OK
    print(
        f"{a.deal_name}, {args.scenario or a.scenario} scenario"
        + (f", as of {day.isoformat()}" if day else "")
    )
    print(solve_sentence(found))
    return EXIT_OK


def _deal(args: argparse.Namespace) -> str:
    return args.deal or DEFAULT_DEAL["deal_name"]


def run_claims_command(args: argparse.Namespace) -> int:
    """``dealdesk claims``: the article's claims checked for a library deal."""
    day = as_of_date(args.as_of)
    table = deal_claims(_deal(args), as_of=day)
    if args.json:
        print(json.dumps(_records(table), indent=2, ensure_ascii=False))
        return EXIT_OK
    rows = claim_rows(table)
    print(f"{_deal(args)}: the article's claims checked" + (f", as of {day.isoformat()}" if day else ""))
    print()
    print_table([r[:5] for r in rows], header=CLAIM_HEADERS[:5], right=(2,))
    print()
    for k, r in enumerate(rows, start=1):
        print(f"{k}. {r[0]}. {r[6]}. Evidence: {r[5]}.")
    return EXIT_OK


def run_watch_command(args: argparse.Namespace) -> int:
    """``dealdesk watch``: the signing-day model against each figure reported since."""
    day = as_of_date(args.as_of)
    table = watch_list(_deal(args), as_of=day)
    if args.json:
        print(json.dumps(_records(table), indent=2, ensure_ascii=False))
        return EXIT_OK
    print(
        f"{_deal(args)}: the model as it stood on the signing day against what was reported"
        + (f" by {day.isoformat()}" if day else "")
    )
    print()
    if table.empty:
        print("Nothing about this deal's companies was reported after its signing day by then.")
        return EXIT_OK
    rows = watch_rows(table)
    print_table([r[:8] for r in rows], header=WATCH_HEADERS[:8], right=(2, 3, 4))
    print()
    print("Main causes:")
    for k, r in enumerate(rows, start=1):
        print(f"{k}. {r[0]}, {r[1]}: {r[8]}")
    return EXIT_OK
