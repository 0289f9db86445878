"""Provider growth and margin effects: what a lost dollar of contract revenue does to its provider.

A provider's segment revenue path is ``base_revenue × (1 + growth)^(t − base_year)``
(its one baseline, :func:`core.baseline.base_revenue_path`; figures:
:func:`default_provider_figures`) and includes the contracted revenue.
A loss ``L_t`` lowers revenue by ``L_t`` and operating profit by
``L_t × (1 − avoidable_cost_share)``: capacity is built and depreciates whether
or not the customer pays; power and other operating costs that scale with
revenue are avoided, as in the cost stack (:func:`avoidable_cost_share`).
Money is in US$ billions, margins and growth are fractions.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from typing import Any

import numpy as np
import pandas as pd

from core.assumptions import Assumptions
from core.baseline import base_revenue_path, provider_baseline
from core.contracts import library_contracts
from core.exposure.portfolio import DEFAULT_AS_OF_YEAR, commitments_by_year, portfolio_rows
from core.margin import OUTSIZED_DEAL_RATIO, peak_deal_ratio
from core.model import model_output
from core.schedule import fiscal_year_end_date
from core.validation import check_number, check_year, require_columns

__all__ = [
    "PROVIDER_COLUMNS",
    "avoidable_cost_share",
    "default_provider_figures",
    "outsized_providers",
    "provider_effect",
]

#: Columns of the provider figures table.
PROVIDER_COLUMNS = ("provider", "base_revenue", "base_margin", "base_year", "growth", "source")


def _last_full_fiscal_year(day: dt.date, fiscal_year_end: int) -> int:
    """The last fiscal year (labelled by the calendar year it ends in) that ended before ``day``.

    A deal signed on a fiscal year's last day falls inside that year, so the year before
    is the last full one. Oracle's year ends in May:

    >>> _last_full_fiscal_year(dt.date(2025, 9, 10), 5), _last_full_fiscal_year(dt.date(2025, 5, 31), 5)
    (2025, 2024)
    """
    year_end = fiscal_year_end_date(day.year, fiscal_year_end)
    return day.year if day > year_end else day.year - 1


@functools.lru_cache(maxsize=8)
def default_provider_figures(as_of: dt.date | None = None) -> pd.DataFrame:
    """Providers' figures (US$ bn, fraction), columns ``PROVIDER_COLUMNS``: each library provider's one
    baseline (:func:`core.baseline.provider_baseline`, as public on ``as_of``), the same the model's
    margin section reads. A provider whose revenue is not public (Nscale) gets no row: its effects stay
    blank. Read once per date (``core.exposure.DEFAULT_PROVIDER_FIGURES`` reads the latest); do not
    modify the table returned.

    >>> aws = default_provider_figures().set_index("provider").loc["Amazon (AWS)"]
    >>> float(aws["base_revenue"]), int(aws["base_year"]), round(float(aws["growth"]), 4)
    (128.7, 2025, 0.1961)
    """
    rows = []
    for provider in dict.fromkeys(library_contracts(as_of)["provider"]):
        baseline = provider_baseline(provider, as_of=as_of)
        if baseline is None:
            continue
        source = "; ".join(f"{k}: {v}" for k, v in baseline.sources.items() if k != "base_year")
        rows.append(
            (
                provider,
                baseline.revenue,
                baseline.margin if baseline.margin is not None else 0.0,
                baseline.base_year,
                baseline.growth,
                source,
            )
        )
    return pd.DataFrame(rows, columns=list(PROVIDER_COLUMNS)).astype({"base_year": int})


def _provider_figures(providers: Any) -> pd.DataFrame:
    table = default_provider_figures() if providers is None else pd.DataFrame(providers)
    require_columns("providers", table, PROVIDER_COLUMNS[:-1])
    for _, row in table.iterrows():
        who = row["provider"]
        check_number(f"base_revenue ({who})", row["base_revenue"], minimum=0, strict_min=True)
        check_number(f"base_margin ({who})", row["base_margin"], minimum=-1, maximum=1)
        check_year(f"base_year ({who})", row["base_year"])
        check_number(f"growth ({who})", row["growth"], minimum=-1, strict_min=True, maximum=10)
    return table.set_index("provider")


def avoidable_cost_share(a: Assumptions | None = None) -> float:
    """Share of a lost dollar of deal revenue whose cost the provider also avoids (fraction).

    From the model's cost stack (:func:`core.model.run_model`): power scales
    with revenue at the fleet's power bill ÷ peak run-rate, and other operating
    costs are ``other_opex_share`` of revenue; depreciation of the capacity
    already built does not stop with the revenue. (With a
    ``deal_margin_override`` the cost stack's split of costs is not known, so
    the same share is used.)

    For the AWS–OpenAI defaults: power ~6% of revenue plus other opex 5.5%.

    >>> round(avoidable_cost_share(), 3)
    0.117
    """
    base = Assumptions() if a is None else a
    peak = model_output(base, "peak_run_rate")
    power = min(model_output(base, "power_cost") / peak, 1.0) if peak > 0 else 0.0
    return float(min(power + base.other_opex_share, 1.0))


def provider_effect(
    losses: pd.DataFrame,
    providers: Any = None,
    *,
    avoidable_cost_share: float | None = None,
) -> pd.DataFrame:
    """Effect of lost revenue on each provider's segment revenue growth and operating margin.

    Parameters
    ----------
    losses : DataFrame
        Revenue lost by provider and year: columns ``provider``, ``year`` and
        ``lost`` (US$ bn), e.g. :func:`~core.exposure.shortfall.shortfall_losses` or
        :meth:`~core.exposure.montecarlo.ExposureResult.by_year`.
    providers : DataFrame, optional
        Segment figures, columns ``PROVIDER_COLUMNS``; default
        :func:`default_provider_figures` (AWS and the library's providers with public
        revenue). Providers without figures get blank (NaN) effects.
    avoidable_cost_share : float, keyword-only
        Share of lost revenue whose costs stop too (fraction); default from
        the cost stack (:func:`avoidable_cost_share`).

    Returns
    -------
    pandas.DataFrame
        One row per provider and year: ``lost``, ``revenue`` (plan, US$ bn),
        ``growth`` and ``growth_after_loss`` (fraction), ``growth_change_pp``,
        ``margin_after_loss`` (fraction), ``margin_change_bps``.

    Examples
    --------
    AWS ($128.7B in 2025 at a 34.6% margin, +20% a year) loses $5B in 2027:
    revenue 185.328 → 180.328, margin (185.328 × 0.346 − 5) ÷ 180.328.

    >>> aws = pd.DataFrame({"provider": ["Amazon (AWS)"], "base_revenue": [128.7], "base_margin": [0.346],
    ...                     "base_year": [2025], "growth": [0.20]})
    >>> lost = pd.DataFrame({"provider": ["Amazon (AWS)"] * 2, "year": [2026, 2027], "lost": [0.0, 5.0]})
    >>> e = provider_effect(lost, aws, avoidable_cost_share=0.0)
    >>> round(float(e["revenue"].iloc[1]), 3), round(float(e["margin_change_bps"].iloc[1]), 1)
    (185.328, -181.3)
    """
    figures = _provider_figures(providers)
    v = (
        _avoidable(None)
        if avoidable_cost_share is None
        else check_number("avoidable_cost_share", avoidable_cost_share, minimum=0, maximum=1)
    )
    table = require_columns("losses", pd.DataFrame(losses), ("provider", "year", "lost"))
    table = table.groupby(["provider", "year"], sort=False, as_index=False)["lost"].sum()
    out = []
    for provider, group in table.groupby("provider", sort=False):
        group = group.sort_values("year")
        years = group["year"].to_numpy(dtype=int)
        lost = group["lost"].to_numpy(dtype=float)
        if provider in figures.index:
            f = figures.loc[provider]
            r0, m0, y0, g = (
                float(f["base_revenue"]),
                float(f["base_margin"]),
                int(f["base_year"]),
                float(f["growth"]),
            )
            plan = base_revenue_path(r0, g, y0, years)
            prev_plan = base_revenue_path(r0, g, y0, years - 1)
            prev_lost = np.concatenate([[0.0], lost[:-1]])
            after = plan - lost
            growth_after = after / (prev_plan - prev_lost) - 1.0
            margin_after = (plan * m0 - lost * (1.0 - v)) / after
            growth = np.full(years.size, g)
            rows = dict(
                revenue=plan,
                growth=growth,
                growth_after_loss=growth_after,
                growth_change_pp=(growth_after - g) * 100.0,
                margin_after_loss=margin_after,
                margin_change_bps=(margin_after - m0) * 1e4,
            )
        else:
            nan = np.full(years.size, np.nan)
            rows = dict(
                revenue=nan,
                growth=nan,
                growth_after_loss=nan,
                growth_change_pp=nan,
                margin_after_loss=nan,
                margin_change_bps=nan,
            )
        out.append(pd.DataFrame({"provider": provider, "year": years, "lost": lost, **rows}))
    return pd.concat(out, ignore_index=True)


def outsized_providers(
    portfolio: Any = None,
    providers: Any = None,
    *,
    as_of_year: int = DEFAULT_AS_OF_YEAR,
) -> pd.DataFrame:
    """Which providers' contracts outgrow the revenue their growth and margin effects are measured on.

    A provider's effects (:func:`provider_effect`) are measured on its revenue
    path ``base_revenue × (1 + growth)^(t − base_year)``. Where the portfolio's
    contracted revenue of the provider in some analysis year is larger than that
    year's path (:func:`core.margin.outsized_deal`, the same rule as the model's
    reports), a loss moves its margin by thousands of bps and its growth by
    thousands of points: right arithmetic, but of the contracts, not of the
    company as it was.

    Parameters
    ----------
    portfolio : DataFrame or list of mappings, optional
        Contracts (see :func:`~core.exposure.portfolio.commitments_by_year`); default
        :func:`~core.exposure.portfolio.exposure_portfolio`.
    providers : DataFrame, optional
        Segment figures (``PROVIDER_COLUMNS``); default :func:`default_provider_figures`.
    as_of_year : int, keyword-only
        First analysis year (earlier years count as paid).

    Returns
    -------
    pandas.DataFrame
        One row per provider of the portfolio: ``peak_ratio`` (largest contracted
        revenue of a year ÷ that year's revenue path; NaN without figures) and
        ``outsized`` (bool; False without figures, whose effects stay blank).

    Examples
    --------
    Nebius's Microsoft contract earns more a year than its $0.53B of 2025 (growing at
    the capped 35.8%); AWS's $38B over 7 years is a small share of its revenue:

    >>> t = outsized_providers().set_index("provider")
    >>> bool(t.loc["Nebius", "outsized"]), bool(t.loc["Amazon (AWS)", "outsized"])
    (True, False)
    """
    rows = portfolio_rows(portfolio)
    figures = _provider_figures(providers)
    year = check_year("as_of_year", as_of_year)
    wide = commitments_by_year(rows)
    wide = wide.loc[:, wide.columns >= year]
    by_provider = wide.groupby(rows.set_index("deal")["provider"].reindex(wide.index), sort=False).sum()
    out = []
    for provider in dict.fromkeys(rows["provider"]):
        if provider not in figures.index or provider not in by_provider.index:
            out.append((provider, math.nan, False))
            continue
        f = figures.loc[provider]
        years = by_provider.columns.to_numpy(dtype=int)
        path = base_revenue_path(float(f["base_revenue"]), float(f["growth"]), int(f["base_year"]), years)
        ratio = peak_deal_ratio(by_provider.loc[provider].to_numpy(dtype=float), path)
        out.append((provider, ratio, ratio > OUTSIZED_DEAL_RATIO))
    return pd.DataFrame(out, columns=["provider", "peak_ratio", "outsized"])


@functools.lru_cache(maxsize=1)
def _default_avoidable() -> float:
    return avoidable_cost_share()


def _avoidable(a: Assumptions | None) -> float:
    return _default_avoidable() if a is None else avoidable_cost_share(a)
