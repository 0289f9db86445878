"""The inputs a library deal takes from its provider, its customer and the evidence of its GPU
generation, each a fact with its source or an analyst default that says why."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from core.baseline import customer_path, provider_baseline
from core.companies import Company, Figure
from core.deals.library import _PRICED_INPUTS
from core.evidence import EVIDENCE_TABLES, REFERENCE_GENERATION, central, derivation, generations
from core.schedule import fiscal_year_of

__all__ = [
    "PROVIDER_INPUTS",
    "CUSTOMER_INPUTS",
    "UNDISCLOSED_REVENUE",
]

#: Inputs a library deal takes from its provider (in ``INPUTS`` order).
PROVIDER_INPUTS = (
    "fiscal_year_end",
    "base_revenue",
    "base_year",
    "base_growth",
    "base_margin",
    "reported_backlog",
    "useful_life_years",
    "capex_2026",
    "shares_outstanding",
    "prior_close",
    "move_pct",
)
#: Inputs a library deal takes from its customer.
CUSTOMER_INPUTS = (
    "customer_revenue_start",
    "customer_revenue_start_year",
    "customer_revenue_target",
    "customer_target_year",
    "customer_growth_after",
)
#: Placeholder revenue (US$ bn) of a provider whose revenue is not public: US$1M, so that
#: every ratio to base revenue is visibly not meaningful rather than borrowed from another company.
UNDISCLOSED_REVENUE = 0.001


class _Filled:
    """Inputs with their sources; assumed ones are also listed, in the order filled."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.sources: dict[str, str] = {}
        self.assumed: list[str] = []

    def fact(self, name: str, value: Any, figure: Figure | str) -> None:
        self.values[name] = value
        self.sources[name] = figure.describe() if isinstance(figure, Figure) else figure

    def assume(self, name: str, value: Any, reason: str) -> None:
        self.values[name] = value
        self.sources[name] = f"analyst default: {reason}"
        self.assumed.append(name)


def _provider_inputs(
    filled: _Filled,
    provider: Company | None,
    label: str,
    deal: str,
    day: dt.date,
    life: tuple[float, str],
    *,
    as_of: dt.date | None,
    companies: Any,
) -> None:
    who = provider.name if provider is not None else label
    if provider is None:
        filled.assume("fiscal_year_end", 12, f"{who} is not in the company library; calendar year")
    elif (fye := provider.latest("fiscal_year_end")) is not None:
        filled.fact("fiscal_year_end", int(fye.value), fye)
    else:
        filled.assume("fiscal_year_end", 12, f"{who}'s fiscal year-end is not public; calendar year")

    # Base revenue, margin and growth: the provider's one baseline (core.baseline), as public on as_of.
    baseline = provider_baseline(provider.name, as_of=as_of, companies=companies) if provider else None
    if baseline is not None:
        for name, value in (("base_revenue", baseline.revenue), ("base_year", baseline.base_year)):
            filled.fact(name, value, baseline.sources[name])
        if "base_growth" in baseline.assumed:
            filled.assume(
                "base_growth", baseline.growth, baseline.sources["base_growth"].removeprefix("analyst rule: ")
            )
        else:
            filled.fact("base_growth", baseline.growth, baseline.sources["base_growth"])
    else:
        filled.assume(
            "base_revenue",
            UNDISCLOSED_REVENUE,
            f"{who}'s revenue is not public; US$1M placeholder, so ratios to base revenue are not meaningful",
        )
        filled.assume(
            "base_year",
            fiscal_year_of(day, int(filled.values["fiscal_year_end"])) - 1,
            f"{who}'s revenue is not public",
        )
        filled.assume("base_growth", 0.0, f"{who}'s revenue is not public; flat")
    if baseline is not None and baseline.margin is not None:
        if "base_margin" in baseline.assumed:
            filled.assume(
                "base_margin", baseline.margin, baseline.sources["base_margin"].removeprefix("analyst rule: ")
            )
        else:
            filled.fact("base_margin", baseline.margin, baseline.sources["base_margin"])
    else:
        filled.assume("base_margin", 0.0, f"no operating margin of {who} is public; 0 (break-even)")

    backlog = (
        provider.latest("backlog", before=day, excluding=deal, as_of=as_of) if provider is not None else None
    )
    if backlog is not None:
        filled.fact("reported_backlog", backlog.value, backlog)
    else:
        filled.assume(
            "reported_backlog",
            0.0,
            f"{who}'s backlog before the deal is not disclosed; 0 (no backlog comparison)",
        )

    life_figure = provider.latest("server_life_years", as_of=as_of) if provider is not None else None
    if life_figure is not None:
        filled.fact("useful_life_years", life_figure.value, life_figure)
    else:
        filled.assume("useful_life_years", life[0], f"{who}'s server life is not disclosed; {life[1]}")

    capex = provider.latest("capex_2026", as_of=as_of) if provider is not None else None
    if capex is not None:
        filled.fact("capex_2026", capex.value, capex)
    else:
        filled.assume(
            "capex_2026", 0.0, f"{who}'s 2026 capex is not public; 0 (the deal's share is not shown)"
        )

    _valuation_inputs(filled, provider, who, deal, day)


def _valuation_inputs(filled: _Filled, provider: Company | None, who: str, deal: str, day: dt.date) -> None:
    shares = provider.values("shares") if provider is not None else []
    close = provider.for_deal("close", deal) if provider is not None else None
    if close is None and provider is not None:
        close = provider.latest("close", before=day)
        if close is not None:
            filled.assume(
                "prior_close",
                close.value,
                f"{who}'s close before this announcement is not found; its latest earlier close: {close.describe()}",
            )
        elif (ipo := provider.latest("ipo_price")) is not None:
            filled.assume(
                "prior_close",
                ipo.value,
                f"{who} had no public share price before {day.isoformat()}; its IPO price: {ipo.describe()}",
            )
    elif close is not None:
        filled.fact("prior_close", close.value, close)
    if "prior_close" in filled.values and shares:
        before = [s for s in shares if s.as_of is not None and s.as_of <= day]
        figure = before[-1] if before else shares[0]
        dated = "" if before else " (dated after the announcement: the nearest count)"
        filled.fact("shares_outstanding", figure.value, figure.describe() + dated)
    else:
        valuations = provider.values("private_valuation") if provider is not None else []
        before = [v for v in valuations if v.as_of is not None and v.as_of <= day]
        valuation = before[-1] if before else (valuations[0] if valuations else None)
        if valuation is not None:
            filled.assume(
                "shares_outstanding",
                1.0,
                f"{who} is private; its valuation is carried as one share worth the valuation",
            )
            filled.assume(
                "prior_close", valuation.value, f"{who}'s private valuation: {valuation.describe()}"
            )
        else:
            for name in ("shares_outstanding", "prior_close"):
                filled.values.pop(name, None)
                filled.sources.pop(name, None)
                if name in filled.assumed:
                    filled.assumed.remove(name)
            filled.assume("shares_outstanding", 1.0, f"{who}'s share count is not public; one share")
            filled.assume(
                "prior_close",
                UNDISCLOSED_REVENUE,
                f"{who}'s market value is not public; US$1M placeholder (valuation figures are not meaningful)",
            )
    move = provider.for_deal("announcement_move", deal) if provider is not None else None
    if move is not None:
        filled.fact("move_pct", move.value, move)
    else:
        filled.assume("move_pct", 0.0, f"{who}'s share-price move on this announcement is not found; 0")


def _customer_inputs(filled: _Filled, label: str, *, as_of: dt.date | None, companies: Any) -> None:
    """The customer's revenue path (core.baseline.customer_path): the same one in every surface."""
    path = customer_path(label, as_of=as_of, companies=companies)
    values = {
        "customer_revenue_start": path.start,
        "customer_revenue_start_year": path.start_year,
        "customer_revenue_target": path.target,
        "customer_target_year": path.target_year,
        "customer_growth_after": path.growth_after,
    }
    for name, value in values.items():
        if name in path.assumed:
            filled.assume(name, value, path.sources[name].removeprefix("analyst rule: "))
        else:
            filled.fact(name, value, path.sources[name])


def _evidence_inputs(filled: _Filled, row: pd.Series, company: str) -> None:
    """The price per GPU-hour and IT capex of the deal's own GPU generation and provider (:mod:`core.evidence`)."""
    words = str(row["gpu_generation"])
    for name in _PRICED_INPUTS:
        table = EVIDENCE_TABLES[name]
        if words and any(r.counted for r in table.rows if r.generation in generations(words)):
            how = derivation(name, words, company=company)
            value = central(name, words, company=company)
            filled.fact(name, value, f"{how} (the deal's GPUs: {words}, {row['source']})")
            continue
        why = f"no public {table.title.lower()} for {words}" if words else "the deal names no GPU generation"
        how = derivation(name, company=company)
        value = central(name, company=company)
        filled.assume(name, value, f"{why}; the reference deal's {REFERENCE_GENERATION}: {how}")
