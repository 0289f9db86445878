"""``dealdesk exposure``: portfolio exposure by provider and customer, simulated, locally or on Dask."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from concurrent.futures import Executor
from typing import Any

import pandas as pd

from core.exposure import (
    exposure_portfolio,
    exposure_summary,
    exposure_table,
    provider_effect,
    simulate_exposure,
)

__all__ = ["run_exposure_command", "exposure_text"]


@contextlib.contextmanager
def _executor(args: argparse.Namespace) -> Iterator[Executor | None]:
    if args.workers is None and args.scheduler is None:
        yield None
        return
    from workbook.cluster import dask_executor

    with dask_executor(address=args.scheduler, workers=args.workers) as executor:
        yield executor


def _money(x: float) -> str:
    return f"{x:,.1f}"


def exposure_text(backlog: pd.DataFrame, payload: dict[str, Any], effect: pd.DataFrame | None = None) -> str:
    """The formatted output: backlog by provider and customer, revenue at risk, loss by year."""
    years = payload["years"]
    lines = [
        f"Exposure: {len(payload['providers'])} providers, {len(backlog.columns) - 2} customers, "
        f"{years[0]}-{years[-1]}; rule {payload['rule']}; {payload['draws']:,} draws, seed {payload['seed']}",
        "",
        f"AI backlog by provider and customer (US$ bn still owed from {years[0]})",
        backlog.to_string(index=False, float_format=_money),
        "",
        f"Simulated revenue at risk (US$ bn over {years[0]}-{years[-1]}); "
        f"P(loss > {payload['threshold']:.0%} of AI backlog); main customer",
    ]
    rows = []
    for name, p in payload["providers"].items():
        risk = p["revenue_at_risk"]
        top = max(p["drivers"], key=p["drivers"].get) if any(p["drivers"].values()) else "-"
        rows.append(
            [
                name,
                p["ai_backlog"],
                risk["mean"],
                risk["p50"],
                risk["p95"],
                risk["p99"],
                f"{p['p_loss_above_threshold']:.1%}",
                top,
            ]
        )
    table = pd.DataFrame(
        rows, columns=["provider", "AI backlog", "mean", "p50", "p95", "p99", "P(loss>x)", "driver"]
    )
    lines.append(table.to_string(index=False, float_format=_money))
    lines += ["", "Mean revenue lost by year (US$ bn)"]
    by_year = pd.DataFrame({name: p["mean_loss_by_year"] for name, p in payload["providers"].items()}).T
    lines.append(by_year.to_string(float_format=lambda x: f"{x:,.2f}"))
    if effect is not None and effect["margin_change_bps"].notna().any():
        known = effect[effect["margin_change_bps"].notna()]
        lines += ["", "Effect of the mean loss on segment growth and margin (providers with figures)"]
        view = known[["provider", "year", "lost", "growth_change_pp", "margin_change_bps"]]
        lines.append(view.to_string(index=False, float_format=lambda x: f"{x:,.2f}"))
    return "\n".join(lines)


def run_exposure_command(args: argparse.Namespace) -> int:
    """Run ``dealdesk exposure`` (see ``workbook.cli``); prints tables or ``--json``."""
    priority = args.priority if args.rule == "priority" else None
    portfolio = exposure_portfolio(args.customers)
    with _executor(args) as executor:
        result = simulate_exposure(
            portfolio,
            rule=args.rule,
            priority=priority,
            as_of_year=args.as_of_year,
            draws=args.draws,
            seed=args.seed,
            threshold=args.threshold,
            correlation=args.correlation,
            executor=executor,
        )
    payload = exposure_summary(result)
    backlog = exposure_table(portfolio, as_of_year=args.as_of_year)
    if args.out:
        from workbook.exposure_report import write_exposure_report
        from workbook.xlsxio import check_not_same_file

        written = write_exposure_report(check_not_same_file(args.out), backlog, payload)
    if args.json:
        print(json.dumps(payload, indent=2))
    else:
        print(exposure_text(backlog, payload, provider_effect(result.by_year())))
    if args.out:
        print(f"exposure page written to {written}", file=sys.stderr if args.json else sys.stdout)
    return 0
