"""The ``dealdesk`` console command: headless reports, batches and friends.

Each subcommand is a pair of functions: ``_add_<name>(subparsers)`` builds its
parser and sets ``func`` to a ``_run_<name>(args) -> int`` handler. ``main``
dispatches, turns bad inputs into a one-line message on stderr with exit
code 2, and never prints a traceback for an input problem.

To add a subcommand, write the two functions in your own section below and
append the ``_add_...`` function to ``SUBCOMMANDS``.

Exit codes: 0 success, 1 a failure while working (for example the output
cannot be written), 2 bad inputs or usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from core.validation import DealDeskInputError

__all__ = ["main", "build_parser", "CliError", "SUBCOMMANDS"]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class CliError(Exception):
    """A problem the command reports in one line; ``code`` is the exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.code = code


# --------------------------------------------------------------------------- report / batch


def _add_report(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="build a values-only Excel report (optionally PDF) for one deal",
        description=(
            "Build a report workbook. Inputs come from a template copy (.xlsx/.xlsm), a JSON or "
            "YAML file of name: value pairs, or a deal of the library; without any, the "
            "AWS–OpenAI base case."
        ),
    )
    p.add_argument("--inputs", metavar="FILE", help="template copy (.xlsx/.xlsm) or JSON/YAML inputs")
    p.add_argument("--deal", metavar="NAME", help="a deal of the library (see core.deals)")
    p.add_argument("--scenario", metavar="NAME", help="named scenario applied on top (base, bull, bear)")
    p.add_argument(
        "--out", metavar="PATH", help="output .xlsx (default: reports/dealdesk-<deal>-<scenario>.xlsx)"
    )
    p.add_argument("--pdf", action="store_true", help="also convert to PDF with LibreOffice")
    p.set_defaults(func=_run_report)


def _run_report(args: argparse.Namespace) -> int:
    from workbook.report import run_report_command

    return run_report_command(args)


def _add_batch(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "batch",
        help="reports for many deals or scenarios plus one comparison workbook",
        description="Build one report per deal (or scenario) and a comparison workbook.",
    )
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--deals", nargs="+", metavar="NAME", help="deals of the library (default: all usable)"
    )
    group.add_argument(
        "--scenarios", nargs="+", metavar="NAME", help="scenarios of the base case (or of --deal)"
    )
    p.add_argument("--deal", metavar="NAME", help="with --scenarios: the deal to vary (default AWS–OpenAI)")
    p.add_argument("--out", metavar="DIR", default="reports", help="output directory (default: reports)")
    p.add_argument("--jobs", type=int, default=2, metavar="N", help="worker processes (default 2)")
    p.add_argument("--pdf", action="store_true", help="also convert each report to PDF")
    p.set_defaults(func=_run_batch)


def _run_batch(args: argparse.Namespace) -> int:
    from workbook.batch import run_batch_command

    return run_batch_command(args)


# --------------------------------------------------------------------------- other subcommands
# (evaluate, template, simulate: each adds its _add_<name> function here and
#  appends it to SUBCOMMANDS below)


#: Functions that each add one subcommand to the parser, in help order.
SUBCOMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    _add_report,
    _add_batch,
]


def build_parser() -> argparse.ArgumentParser:
    """The ``dealdesk`` argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="dealdesk",
        description="DealDesk: model large AI cloud-compute contracts from the command line.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in SUBCOMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``dealdesk`` command; returns the exit code (0 ok, 1 failure, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)  # argparse exits with 2 on usage errors
    if getattr(args, "func", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args) or 0)
    except DealDeskInputError as exc:
        print(f"dealdesk {args.command}: bad input: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CliError as exc:
        print(f"dealdesk {args.command}: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print(f"dealdesk {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
