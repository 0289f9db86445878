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
from workbook.console import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, CliError, print_table

__all__ = ["main", "build_parser", "CliError", "SUBCOMMANDS", "print_table"]


# --------------------------------------------------------------------------- report / batch


def _add_inputs_arguments(p: argparse.ArgumentParser) -> None:
    """--inputs, --deal and --scenario, as :func:`workbook.report.load_assumptions` takes them."""
    p.add_argument("--inputs", metavar="FILE", help="template copy (.xlsx/.xlsm) or JSON/YAML inputs")
    p.add_argument("--deal", metavar="NAME", help="a deal of the library (see core.deals)")
    p.add_argument("--scenario", metavar="NAME", help="named scenario applied on top (base, bull, bear)")


def _add_as_of(p: argparse.ArgumentParser, what: str) -> None:
    """--as-of DATE: only what was public on that day (the one date rule, core.validation.as_date)."""
    p.add_argument(
        "--as-of", metavar="DATE", help=f"use only what was public on this day (YYYY-MM-DD): {what}"
    )


def _add_output_arguments(p: argparse.ArgumentParser, *, many: bool) -> None:
    """--out and --pdf of the commands that write reports: one report to a file, or ``many`` to a directory."""
    if many:
        p.add_argument("--out", metavar="DIR", default="reports", help="output directory (default: reports)")
    else:
        p.add_argument(
            "--out", metavar="PATH", help="output .xlsx (default: reports/dealdesk-<deal>-<scenario>.xlsx)"
        )
    what = "each report" if many else "the report"
    p.add_argument("--pdf", action="store_true", help=f"also convert {what} to PDF with LibreOffice")


def _add_report(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="build a values-only Excel report (optionally PDF) for one deal",
        description=(
            "Build a report workbook. Inputs come from a template copy (.xlsx/.xlsm), a JSON or "
            "YAML file of name: value pairs, or a deal of the library; without any, the "
            "AWS–OpenAI base case. Prints the headline figures and key risks, then the files written."
        ),
    )
    _add_inputs_arguments(p)
    _add_as_of(p, "the deal's figures, the claims and the watch list")
    _add_output_arguments(p, many=False)
    p.add_argument(
        "--png",
        metavar="DIR",
        help="also write page one's charts as PNG files for a note (LibreOffice and pdftoppm)",
    )
    p.set_defaults(func=_run_report)


def _run_report(args: argparse.Namespace) -> int:
    from workbook.report_cli import run_report_command

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
    _add_output_arguments(p, many=True)
    p.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="worker processes (default: one per usable CPU, at most one per report)",
    )
    p.set_defaults(func=_run_batch)


def _run_batch(args: argparse.Namespace) -> int:
    from workbook.batch import run_batch_command

    return run_batch_command(args)


# --------------------------------------------------------------------------- other subcommands
# (evaluate, template, simulate: each adds its _add_<name> function here and
#  appends it to SUBCOMMANDS below)


# --------------------------------------------------------------------------- evaluate / template


def _add_evaluate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "evaluate",
        help="compute every formula of a workbook without Excel (DEAL functions included)",
        description=(
            "Evaluate a workbook (the template or a copy) headless: native Excel formulas and the "
            "DealDesk custom functions. Prints the master check and the key figures; --out writes a "
            "copy whose formulas are replaced by their values."
        ),
    )
    p.add_argument("file", metavar="FILE", help="workbook to evaluate (.xlsx/.xlsm)")
    p.add_argument("--out", metavar="PATH", help="write a values-only copy here")
    p.set_defaults(func=_run_evaluate)


def _run_evaluate(args: argparse.Namespace) -> int:
    from workbook.evaluate_cli import run_evaluate_command

    return run_evaluate_command(args)


def _add_template(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "template",
        help="write the template workbook (Inputs, calculations, Outputs, Checks)",
        description="Write the DealDesk template workbook, pre-filled with the AWS–OpenAI base case.",
    )
    p.add_argument(
        "--out", metavar="PATH", default="DealDesk.xlsx", help="output .xlsx (default: DealDesk.xlsx)"
    )
    p.add_argument("--classic", action="store_true", help="classic xlwings function names (DEAL_SCHEDULE)")
    p.add_argument("--force", action="store_true", help="replace an existing file at --out")
    p.set_defaults(func=_run_template)


def _run_template(args: argparse.Namespace) -> int:
    from workbook.template import run_template_command

    return run_template_command(args)


# --------------------------------------------------------------------------- simulate


def _add_simulate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "simulate",
        help="Monte Carlo of the whole model: the three risk questions and a summary of each figure",
        description=(
            "Draw the uncertain inputs (the default risks of core.simulation, or --distributions), run "
            "the whole model for every draw and print the probabilities of the three risk questions plus a "
            "summary (mean, spread, percentiles) of each simulated figure."
        ),
    )
    _add_inputs_arguments(p)
    p.add_argument(
        "--distributions",
        metavar="FILE",
        help='JSON/YAML mapping input -> [kind, parameters...], e.g. {"realisation": ["uniform", 0.9, 0.95]}',
    )
    p.add_argument(
        "--draws",
        type=int,
        default=100_000,
        metavar="N",
        help="number of draws (default 100000; at most 2000000 unless DEALDESK_MAX_DRAWS is set)",
    )
    p.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    p.add_argument(
        "--outputs", nargs="+", metavar="NAME", help="figures to summarise (default: all simulated)"
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    p.set_defaults(func=_run_simulate)


def _run_simulate(args: argparse.Namespace) -> int:
    from workbook.report_cli import run_simulate_command

    return run_simulate_command(args)


# --------------------------------------------------------------------------- inputs


def _add_inputs(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "inputs",
        help="list every input an inputs file may set: name, unit, rule, default and source",
        description="List every model input (core.assumptions.INPUTS) with its unit, rule, default and source.",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=_run_inputs)


def _run_inputs(args: argparse.Namespace) -> int:
    import json

    from workbook.sources import input_rows

    rows = input_rows()
    if args.json:
        keys = ("name", "label", "unit", "rule", "default", "source")
        print(json.dumps([dict(zip(keys, r, strict=True)) for r in rows], indent=2, ensure_ascii=False))
        return EXIT_OK
    print_table(rows, header=("Name", "Input", "Unit", "Rule", "Default", "Source"))
    return EXIT_OK


# --------------------------------------------------------------------------- deals


def _add_deals(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "deals",
        help="list the deal library: the names --deal and batch --deals take, and which can be modelled",
        description=(
            "List every deal of the library (core/data/deals.csv): provider, customer, kind, "
            "announcement date, headline value, term and status; deals that cannot be modelled "
            "are marked, with the reason under the table."
        ),
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=_run_deals)


def _run_deals(args: argparse.Namespace) -> int:
    import json

    from core.deals import load_deals, unmodelled_deals
    from workbook.report.labels import header
    from workbook.styles import format_text

    library = load_deals()
    refused = unmodelled_deals()
    reasons = dict(zip(refused["deal"], refused["reason"], strict=True))
    if args.json:
        records = library.assign(modelled=[d not in reasons for d in library["deal"]])
        print(json.dumps(records.to_dict(orient="records"), indent=2, default=str, ensure_ascii=False))
        return EXIT_OK
    columns = ("deal", "provider", "customer", "kind", "announced", "value_usd_bn", "term_years", "status")
    rows, undisclosed = [], []
    for r in library.to_dict(orient="records"):
        term = r["term_years"]
        no_term = term is None or term != term  # blank in the library: NaN
        if no_term and r["deal"] not in reasons:
            undisclosed.append(r["deal"])
        rows.append(
            (
                *(str(r[c] or "") for c in columns[:4]),
                "" if r["announced"] is None else str(r["announced"]),
                format_text(r["value_usd_bn"], "usd_bn"),
                "n/a" if no_term else f"{term:g}",
                str(r["status"]),
                "no" if r["deal"] in reasons else "yes",
            )
        )
    heads = (*(header(c) for c in columns[:6]), "Term (years)", header("status"), "Modelled")
    print_table(rows, header=heads, right=(5, 6))
    if undisclosed:
        print()
        print(
            f"Term n/a: not disclosed. {', '.join(undisclosed)} run on an analyst term "
            "(from the start and end where known, else 5 years); the report's Assumptions sheet names it."
        )
    if reasons:
        print()
        for deal, reason in reasons.items():
            print(f"Not modelled, {deal}: {reason}")
    return EXIT_OK


# --------------------------------------------------------------------------- exposure


def _add_exposure(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "exposure",
        help="which provider loses how much, and when, if customers cannot pay for all their compute",
        description=(
            "The library's compute contracts as one portfolio: each provider's AI backlog by customer, "
            "then a Monte Carlo over customers' revenue paths giving each provider's revenue at risk, "
            "P(loss above a share of its AI backlog) and the customers that drive it. --workers or "
            "--scheduler sends chunks of draws to a Dask cluster (pip install 'dealdesk[dask]'); "
            "the numbers are the same as a local run with the same seed."
        ),
    )
    p.add_argument(
        "--customers", nargs="+", metavar="NAME", help="customers to keep (default: all in the library)"
    )
    p.add_argument(
        "--rule",
        default="pro_rata",
        choices=("pro_rata", "seniority", "priority"),
        help="how a shortfall is spread over a customer's contracts (default pro_rata)",
    )
    p.add_argument(
        "--priority",
        nargs="+",
        metavar="NAME",
        help="with --rule priority: providers or deals, paid first to last",
    )
    p.add_argument(
        "--as-of-year", type=int, default=2026, metavar="YEAR", help="first year analysed (default 2026)"
    )
    p.add_argument("--draws", type=int, default=100_000, metavar="N", help="number of draws (default 100000)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    p.add_argument(
        "--threshold",
        type=float,
        default=0.10,
        metavar="X",
        help="loss share of a provider's AI backlog for the probability (default 0.10)",
    )
    p.add_argument(
        "--correlation",
        type=float,
        default=0.0,
        metavar="RHO",
        help="correlation of customers' growth shocks (default 0)",
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--workers", type=int, metavar="N", help="run on a local Dask cluster of N worker processes"
    )
    where.add_argument(
        "--scheduler", metavar="ADDRESS", help="run on the Dask cluster at this scheduler address"
    )
    _add_as_of(p, "contracts announced by then, the revenue paths and provider figures then")
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    p.add_argument(
        "--out", metavar="PATH", help="also write the exposure page (heat map, chart) to this .xlsx"
    )
    p.set_defaults(func=_run_exposure)


def _run_exposure(args: argparse.Namespace) -> int:
    from workbook.exposure_cli import run_exposure_command

    return run_exposure_command(args)


# --------------------------------------------------------------------------- solve, claims, watch


def _add_solve(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "solve",
        help="what you would need to believe: the input value at which a key figure reaches a target",
        description=(
            "Find the value of one numeric input (--vary) at which a key figure (OUTPUT, a name of "
            "dealdesk report's key figures such as margin_bps_year2 or npv) equals --target, everything "
            "else as given. Exit 1, with the input's range and the figure at both ends, when no value "
            "in the input's allowed range reaches the target."
        ),
    )
    p.add_argument("output", metavar="OUTPUT", help="key figure to hit, e.g. margin_bps_year2")
    p.add_argument(
        "--target", type=float, required=True, metavar="T", help="value wanted, in the figure's unit"
    )
    p.add_argument(
        "--vary", required=True, metavar="INPUT", help="numeric input to solve for (dealdesk inputs)"
    )
    _add_inputs_arguments(p)
    _add_as_of(p, "the deal's figures")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=_run_loop("run_solve_command"))


def _add_claims(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "claims",
        help="the AWS–OpenAI article's claims checked: the model's figure, what would make each true, the evidence",
        description=(
            "Each claim of the article beside the model's figure for the deal, the input value that would "
            "make it true (by the solver), the public evidence and a verdict in words. Claims about a "
            "company the deal does not involve are left out."
        ),
    )
    p.add_argument("--deal", metavar="NAME", help="a deal of the library (default AWS–OpenAI)")
    _add_as_of(p, "the deal's figures and the evidence")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=_run_loop("run_claims_command"))


def _add_watch(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "watch",
        help="the watch list: the signing-day model against each figure reported since",
        description=(
            "For a deal of the library: each figure reported after its signing (backlog, revenue and "
            "margin by year and quarter, the capex guide, the customer's revenue, contracts signed since, "
            "delays) beside the model's figure for that period as it stood on the signing day, the "
            "variance and its main cause."
        ),
    )
    p.add_argument("--deal", metavar="NAME", help="a deal of the library (default AWS–OpenAI)")
    _add_as_of(p, "figures reported after it are not shown")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=_run_loop("run_watch_command"))


def _run_loop(name: str) -> Callable[[argparse.Namespace], int]:
    """The handler ``name`` of :mod:`workbook.loop_cli`, imported when the command runs."""

    def run(args: argparse.Namespace) -> int:
        from workbook import loop_cli

        return int(getattr(loop_cli, name)(args))

    return run


# --------------------------------------------------------------------------- serve


def _add_serve(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="run xlwings Server with the DEAL functions (needs pip install '.[server]')",
        description=(
            "Serve the DEAL functions to Excel through xlwings Server: manifest at /manifest.xml, "
            "functions shown as =DEAL.SCHEDULE(...). Loopback only unless --host says otherwise. "
            "Needs XLWINGS_LICENSE_KEY (xlwings Server is PolyForm Noncommercial or paid)."
        ),
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    p.add_argument("--ssl-certfile", metavar="PEM", help="TLS certificate (Excel loads add-ins over HTTPS)")
    p.add_argument("--ssl-keyfile", metavar="PEM", help="TLS private key of --ssl-certfile")
    p.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests for this host name (repeatable; also DEALDESK_ALLOWED_HOSTS); "
        "default: loopback names and --host",
    )
    p.set_defaults(func=_run_serve)


def _run_serve(a: argparse.Namespace) -> int:
    from addin.server import ServerError, serve

    if bool(a.ssl_certfile) != bool(a.ssl_keyfile):
        raise CliError("--ssl-certfile and --ssl-keyfile go together", EXIT_USAGE)
    try:
        serve(
            host=a.host,
            port=a.port,
            ssl_certfile=a.ssl_certfile,
            ssl_keyfile=a.ssl_keyfile,
            extra_hosts=a.allowed_host,
        )
    except ServerError as exc:
        raise CliError(str(exc)) from exc
    return EXIT_OK


#: Functions that each add one subcommand to the parser, in help order.
SUBCOMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    _add_report,
    _add_batch,
    _add_evaluate,
    _add_template,
    _add_simulate,
    _add_inputs,
    _add_deals,
    _add_exposure,
    _add_solve,
    _add_claims,
    _add_watch,
    _add_serve,
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
        _refuse_empty_paths(args)
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler below
        return code
    except DealDeskInputError as exc:
        print(f"dealdesk {args.command}: bad input: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CliError as exc:
        print(f"dealdesk {args.command}: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print(f"dealdesk {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``dealdesk inputs | head``): stop quietly, as Unix tools do.
        _quiet_stdout()
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback (DEALDESK_DEBUG=1 shows it)
        return _unexpected(args.command, exc)


def _refuse_empty_paths(args: argparse.Namespace) -> None:
    """``--out ""`` (or ``--inputs``, ``--distributions``) names no file: refused, never the default."""
    for option in ("out", "inputs", "distributions"):
        value = getattr(args, option, None)
        if isinstance(value, str) and not value.strip():
            raise CliError(f"--{option} must name a file; got an empty name", EXIT_USAGE)


def _unexpected(command: str, exc: Exception) -> int:
    """A failure while working (an unwritable output, a bug): one line on stderr, exit 1."""
    import os

    from workbook.xlsxio import OutputPathError

    if os.environ.get("DEALDESK_DEBUG") == "1":
        raise exc
    if isinstance(exc, OutputPathError):
        text = str(exc)
    elif isinstance(exc, MemoryError):
        text = "out of memory: the inputs ask for more than this machine holds"
    else:
        text = f"unexpected error ({type(exc).__name__}: {exc}); please report it with the inputs"
    text = " ".join(text.split())
    print(f"dealdesk {command}: {text[:1000]}", file=sys.stderr)
    return EXIT_FAILURE


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so that flushing at exit does not raise again on the closed pipe."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
