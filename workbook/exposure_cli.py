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
    ExposureResult,
    exposure_portfolio,
    exposure_table,
    outsized_providers,
    provider_effect,
    simulate_exposure,
)
from core.margin import OUTSIZED_DEAL_RATIO
from workbook.console import format_table
from workbook.report.labels import header, label_of
from workbook.styles import format_text, listed_in_words

__all__ = ["exposure_summary", "exposure_text", "outsized_text", "run_exposure_command"]


@contextlib.contextmanager
def _executor(args: argparse.Namespace) -> Iterator[Executor | None]:
    if args.workers is None and args.scheduler is None:
        yield None
        return
    from workbook.cluster import dask_executor

    with dask_executor(address=args.scheduler, workers=args.workers) as executor:
        yield executor


def _cells(values: Any, hint: str) -> list[str]:
    return [format_text(None if v != v else float(v), hint) for v in values]  # NaN (no figures): n/a


def _by_provider(frame: pd.DataFrame, *, hint: str, first: str = "provider") -> str:
    """A table with one row per provider: its label, then each column in the reports' format ``hint``."""
    columns = [c for c in frame.columns if c != first]
    rows = zip(frame[first].astype(str), *(_cells(frame[c], hint) for c in columns), strict=True)
    heads = [
        label_of(first, column=True).label,
        *(str(c) if isinstance(c, int) else header(c) for c in columns),
    ]
    return format_table(list(rows), header=heads, right=range(1, len(heads)))


def outsized_text(outsized: pd.DataFrame, shown: Any) -> str | None:
    """The caveat under the effect tables: which shown providers' contracts outgrow their revenue, else None."""
    flagged = outsized[outsized["outsized"] & outsized["provider"].isin(list(shown))]
    if flagged.empty:
        return None
    names = [
        f"{p} ({format_text(r, 'ratio')})"
        for p, r in zip(flagged["provider"], flagged["peak_ratio"], strict=True)
    ]
    listed = listed_in_words(names)
    return (
        f"Caveat: the contracts of {listed} earn more in some year than the provider's revenue "
        "path (its newest reported year, grown at its baseline's rule), so their growth in pp and margin in bps "
        "describe the contracts, not the company as it was (shown when contracted revenue in a year "
        f"exceeds {OUTSIZED_DEAL_RATIO:g}× that revenue)."
    )


def exposure_summary(result: ExposureResult) -> dict[str, Any]:
    """A JSON-ready summary: per provider its backlog from each customer and its simulated revenue at risk.

    Keys: ``draws``, ``seed``, ``rule``, ``threshold``, ``years`` and
    ``providers``, a mapping provider -> {``ai_backlog``,
    ``backlog_by_customer`` (customer -> US$ bn), ``revenue_at_risk``
    {``mean``, ``p50``, ``p95``, ``p99``}, ``p_loss_above_threshold``,
    ``mean_share_of_backlog``, ``mean_loss_by_year`` (year -> US$ bn),
    ``drivers`` (customer -> share of the mean loss), ``tail_drivers``
    (customer -> share of the loss in the draws at or above the provider's
    95th percentile)}.

    >>> out = exposure_summary(simulate_exposure(draws=500, seed=2))
    >>> sorted(out["providers"]["Oracle"]["backlog_by_customer"])
    ['OpenAI']
    """
    summary = result.summary().set_index("provider")
    by_year = result.by_year()
    drivers = result.drivers()
    providers: dict[str, Any] = {}
    for name in result.providers:
        row = summary.loc[name]
        mine = drivers[drivers["provider"] == name]
        years = by_year[by_year["provider"] == name]
        providers[name] = {
            "ai_backlog": float(row["ai_backlog"]),
            "backlog_by_customer": {
                c: float(b) for c, b in zip(mine["customer"], mine["backlog"], strict=True)
            },
            "revenue_at_risk": {
                "mean": float(row["mean_at_risk"]),
                "p50": float(row["p50_at_risk"]),
                "p95": float(row["p95_at_risk"]),
                "p99": float(row["p99_at_risk"]),
            },
            "p_loss_above_threshold": float(row["p_loss_above_threshold"]),
            "mean_share_of_backlog": float(row["mean_share_of_backlog"]),
            "mean_loss_by_year": {
                str(y): float(v) for y, v in zip(years["year"], years["lost"], strict=True)
            },
            "drivers": {c: float(s) for c, s in zip(mine["customer"], mine["share_of_loss"], strict=True)},
            "tail_drivers": {
                c: float(s) for c, s in zip(mine["customer"], mine["share_of_tail_loss"], strict=True)
            },
        }
    return {
        "draws": result.draws,
        "seed": result.seed,
        "rule": result.rule,
        "threshold": result.threshold,
        "years": list(result.years),
        "providers": providers,
    }


def exposure_text(
    backlog: pd.DataFrame,
    payload: dict[str, Any],
    effect: pd.DataFrame | None = None,
    outsized: pd.DataFrame | None = None,
) -> str:
    """The formatted output: backlog by provider and customer, revenue at risk, loss by year, effects.

    Labels and units from the reports' label table, numbers in their finance formats
    (thousands separators, negatives in parentheses, zero as a dash); ``outsized``
    (:func:`core.exposure.outsized_providers`) adds the caveat under the effects.
    """
    years = payload["years"]
    span = f"{years[0]}–{years[-1]}"
    providers, customers = len(payload["providers"]), len(backlog.columns) - 2
    lines = [
        f"Exposure: {providers} provider{'s' * (providers != 1)}, "
        f"{customers} customer{'s' * (customers != 1)}, "
        f"{span}; rule {payload['rule']}; {payload['draws']:,} draws, seed {payload['seed']}",
        "",
        f"AI backlog by provider and customer (US$ bn still owed from {years[0]})",
        _by_provider(backlog, hint="usd_bn"),
        "",
        f"Simulated revenue at risk over {span} (US$ bn); the probability that the loss exceeds "
        f"{format_text(payload['threshold'], 'pct')} of the provider's AI backlog",
    ]
    rows = []
    for name, p in payload["providers"].items():
        risk = p["revenue_at_risk"]
        top = max(p["drivers"], key=p["drivers"].get) if any(p["drivers"].values()) else "–"
        money = (p["ai_backlog"], risk["mean"], risk["p50"], risk["p95"], risk["p99"])
        rows.append(
            [
                name,
                *(format_text(v, "usd_bn") for v in money),
                format_text(p["p_loss_above_threshold"], "pct"),
                top,
            ]
        )
    heads = [
        "Provider",
        "AI backlog",
        "Mean",
        "Median",
        "95th percentile",
        "99th percentile",
        f"P(loss > {format_text(payload['threshold'], 'pct')})",
        "Main customer",
    ]
    lines.append(format_table(rows, header=heads, right=range(1, 7)))
    lines += ["", "Mean revenue lost by year (US$ bn)"]
    by_year = pd.DataFrame(
        {"provider": list(payload["providers"])}
        | {int(y): [p["mean_loss_by_year"][str(y)] for p in payload["providers"].values()] for y in years}
    )
    lines.append(_by_provider(by_year, hint="usd_bn"))
    if effect is not None and effect["margin_change_bps"].notna().any():
        known = effect[effect["margin_change_bps"].notna()]
        for column, hint, what in (
            ("growth_change_pp", "pp", "Change in segment revenue growth from the mean loss (pp)"),
            ("margin_change_bps", "bps", "Change in segment operating margin from the mean loss (bps)"),
        ):
            wide = known.pivot(index="provider", columns="year", values=column)
            wide = wide.reindex(list(dict.fromkeys(known["provider"]))).reset_index()
            wide.columns = ["provider", *(int(c) for c in wide.columns[1:])]
            lines += ["", f"{what}; providers with public figures", _by_provider(wide, hint=hint)]
        caveat = None if outsized is None else outsized_text(outsized, known["provider"].unique())
        if caveat:
            lines += ["", caveat]
    return "\n".join(lines)


def run_exposure_command(args: argparse.Namespace) -> int:
    """Run ``dealdesk exposure`` (see ``workbook.cli``); prints tables or ``--json``."""
    from core.exposure import default_customer_terms, default_funding, default_provider_figures
    from workbook.sources import as_of_date

    priority = args.priority if args.rule == "priority" else None
    # --as-of: only the contracts, revenue paths and provider figures public on that day.
    day = as_of_date(args.as_of)
    portfolio = exposure_portfolio(args.customers, as_of=day)
    funding, terms, providers = (
        default_funding(day),
        default_customer_terms(day),
        default_provider_figures(day),
    )
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
            funding=funding,
            terms=terms,
        )
    payload = exposure_summary(result)
    backlog = exposure_table(portfolio, as_of_year=args.as_of_year)
    effect = provider_effect(result.by_year(), providers)
    outsized = outsized_providers(portfolio, providers, as_of_year=args.as_of_year)
    if args.out:
        from workbook.exposure_report import write_exposure_report
        from workbook.xlsxio import check_not_same_file

        shown = effect.loc[effect["margin_change_bps"].notna(), "provider"].unique()
        written = write_exposure_report(
            check_not_same_file(args.out),
            backlog,
            payload,
            effect=effect,
            caveat=outsized_text(outsized, shown),
        )
    if args.json:
        print(json.dumps(payload, indent=2))
    else:
        if day is not None:
            print(f"As of {day.isoformat()}: the contracts and figures public on that day")
        print(exposure_text(backlog, payload, effect, outsized))
    if args.out:
        print(f"exposure page written to {written}", file=sys.stderr if args.json else sys.stdout)
    return 0
