"""Segment margin: what a lower-margin contract does to the provider's operating margin.

blended = (base_revenue × base_margin + deal_revenue × deal_margin) / (base_revenue + deal_revenue)

The change versus the base is reported in basis points (a fraction × 10,000,
so −0.00741 is −74.1 bps). It equals the deal's revenue share × (deal_margin −
base_margin): the mix effect of the margin bridge. Margins are fractions of
revenue (0.35, never 35); revenue and costs in one money unit of the caller's
choice (the template uses US$ billions).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from core.conventions import BPS_PER_UNIT
from core.validation import DealDeskInputError, check_number, check_quantity

__all__ = [
    "OUTSIZED_DEAL_RATIO",
    "blended_margin",
    "deal_margin_from_costs",
    "margin_bridge",
    "margin_by_period",
    "margin_change_bps",
    "outsized_deal",
    "peak_deal_ratio",
]

#: A deal whose revenue in some period is more than this many times the provider's revenue
#: before it (its last full fiscal year) is *outsized*: its margin change in bps and growth
#: contribution in points are right, but they measure the deal more than the provider.
OUTSIZED_DEAL_RATIO = 1.0


def _margin(name: str, value: Any) -> float:
    number = check_number(name, value)
    if number > 1:
        raise DealDeskInputError(f"{name} must be a fraction of revenue <= 1 (0.35 for 35%), got {value!r}")
    return number


def blended_margin(base_revenue: Any, base_margin: float, deal_revenue: Any, deal_margin: float) -> Any:
    """Operating margin of the segment with the deal, a fraction.

    Parameters
    ----------
    base_revenue : float or array-like
        Segment revenue without the deal, money per period (>= 0).
    base_margin : float
        Segment operating margin without the deal, a fraction (<= 1).
    deal_revenue : float or array-like
        The deal's revenue in the same periods and unit (>= 0).
    deal_margin : float
        The deal's operating margin, a fraction (<= 1; may be negative).

    Returns
    -------
    float, numpy array or pandas Series
        Revenue-weighted margin; the base margin where total revenue is 0.

    Examples
    --------
    AWS at ~$130B and 35% adding a $5.4B run-rate year at 15%:

    >>> round(blended_margin(130, 0.35, 5.4, 0.15), 6)
    0.342024
    """
    base = check_quantity("base_revenue", base_revenue)
    deal = check_quantity("deal_revenue", deal_revenue)
    bm, dm = _margin("base_margin", base_margin), _margin("deal_margin", deal_margin)
    total = base + deal
    share = np.divide(
        deal, total, out=np.zeros_like(np.asarray(total, dtype=float)), where=np.asarray(total) > 0
    )
    result = bm + share * (dm - bm)
    if isinstance(total, pd.Series):
        return pd.Series(result, index=total.index)
    return float(result) if np.ndim(result) == 0 else result


def margin_change_bps(base_revenue: Any, base_margin: float, deal_revenue: Any, deal_margin: float) -> Any:
    """Change of the segment margin caused by the deal, in basis points (negative = dilution).

    Same arguments as :func:`blended_margin`.

    Examples
    --------
    The article's near-term AWS dilution: $5.4B a year at 15% on ~$130B at 35%:

    >>> round(margin_change_bps(130, 0.35, 5.4, 0.15), 1)
    -79.8
    """
    blended = blended_margin(base_revenue, base_margin, deal_revenue, deal_margin)
    return (blended - _margin("base_margin", base_margin)) * BPS_PER_UNIT


def margin_by_period(
    deal_revenue: Any,
    base_revenue: Any,
    *,
    base_margin: float,
    deal_margin: float | None = None,
    deal_profit: Any = None,
) -> pd.DataFrame:
    """Blended margin and its change, period by period.

    Give the deal's margin either as one ``deal_margin`` for every period or as
    its operating profit by period (``deal_profit``, the cost stack's output):
    blended = (base revenue × base margin + deal profit) ÷ (base revenue + deal revenue),
    which also counts a year of depreciation before revenue (a delayed delivery).

    Parameters
    ----------
    deal_revenue : pandas.DataFrame, pandas.Series or list
        A schedule from :func:`core.schedule.contract_schedule` (its ``period``
        and ``revenue`` columns), a Series of deal revenue indexed by period,
        or a list of numbers (periods numbered 1, 2, ...).
    base_revenue : float or array-like
        Segment revenue without the deal in each period: one number for every
        period, or one per period (same unit and period length as the deal revenue).
    base_margin, deal_margin : float, keyword-only
        Fractions, as in :func:`blended_margin`.
    deal_profit : array-like, keyword-only
        The deal's operating profit in each period (money, may be negative), instead
        of ``deal_margin``.

    Returns
    -------
    pandas.DataFrame
        ``period``, ``base_revenue``, ``deal_revenue``, ``deal_share`` (fraction of
        total revenue), ``deal_margin`` (fraction; 0 where the deal has no revenue),
        ``blended_margin`` (fraction) and ``change_bps``.

    Examples
    --------
    >>> s = pd.Series([2.7, 5.4], index=["FY2026", "FY2027"])
    >>> margin_by_period(s, 130, base_margin=0.35, deal_margin=0.15)["change_bps"].round(1).tolist()
    [-40.7, -79.8]

    The same years from profits: 0.405 and 0.81 are 15% of 2.7 and 5.4, so the answer is the same:

    >>> margin_by_period(s, 130, base_margin=0.35, deal_profit=[0.405, 0.81])["change_bps"].round(1).tolist()
    [-40.7, -79.8]
    """
    if (deal_margin is None) == (deal_profit is None):
        raise DealDeskInputError("give either deal_margin or deal_profit (one of them), got both or neither")
    if isinstance(deal_revenue, pd.DataFrame):
        if not {"period", "revenue"} <= set(deal_revenue.columns):
            raise DealDeskInputError("deal_revenue must be a schedule with 'period' and 'revenue' columns")
        periods, deal = deal_revenue["period"].tolist(), deal_revenue["revenue"].to_numpy(dtype=float)
    elif isinstance(deal_revenue, pd.Series):
        periods, deal = list(deal_revenue.index), deal_revenue.to_numpy(dtype=float)
    elif isinstance(deal_revenue, (list, tuple, np.ndarray)) and np.ndim(deal_revenue) == 1:
        deal = np.asarray(check_quantity("deal_revenue", deal_revenue), dtype=float)
        periods = list(range(1, deal.size + 1))
    else:
        raise DealDeskInputError(
            "deal_revenue must be a schedule DataFrame, a Series by period or a list of numbers, "
            f"got {type(deal_revenue).__name__}"
        )
    if np.size(base_revenue) == 1:
        base_revenue = float(np.ravel(base_revenue)[0]) if np.ndim(base_revenue) else base_revenue
    if np.ndim(base_revenue) and np.size(base_revenue) != deal.size:
        raise DealDeskInputError(
            f"base_revenue must have one value per period ({deal.size}), got {np.size(base_revenue)}"
        )
    base = np.broadcast_to(np.asarray(check_quantity("base_revenue", base_revenue), dtype=float), deal.shape)
    total = base + deal
    share = np.divide(deal, total, out=np.zeros_like(total), where=total > 0)
    if deal_margin is not None:
        blended = blended_margin(base, base_margin, deal, deal_margin)
        own = np.where(deal > 0, _margin("deal_margin", deal_margin), 0.0)
    else:
        profit = np.asarray(deal_profit, dtype=float)
        if profit.shape != deal.shape or not np.all(np.isfinite(profit)):
            raise DealDeskInputError(
                f"deal_profit must hold one finite number per period ({deal.size}), got {np.size(profit)}"
            )
        bm = _margin("base_margin", base_margin)
        blended = np.divide(base * bm + profit, total, out=np.full_like(total, bm), where=total > 0)
        own = np.divide(profit, deal, out=np.zeros_like(deal), where=deal > 0)
    return pd.DataFrame(
        {
            "period": periods,
            "base_revenue": base,
            "deal_revenue": deal,
            "deal_share": share,
            "deal_margin": own,
            "blended_margin": blended,
            "change_bps": (blended - base_margin) * BPS_PER_UNIT,
        }
    )


def deal_margin_from_costs(
    revenue: float,
    capex: float,
    *,
    useful_life_years: float,
    power_cost: float = 0.0,
    other_opex: float = 0.0,
) -> float:
    """Operating margin of a deal built up from its costs, a fraction.

    margin = (revenue − capex / useful_life_years − power_cost − other_opex) / revenue

    Parameters
    ----------
    revenue : float
        The deal's revenue in a year, money (> 0).
    capex : float
        Capital spent on the deal's capacity, same unit (>= 0), depreciated
        straight-line over ``useful_life_years``.
    useful_life_years : float, keyword-only
        Depreciation life (> 0). Amazon: 5 years for servers from 2025 (FY2024 10-K).
    power_cost, other_opex : float, keyword-only
        Annual power bill and other operating costs, same unit (>= 0).

    Examples
    --------
    IREN-like economics ($5.8B of hardware against $9.7B over 5 years, FACTS),
    before power and other costs:

    >>> round(deal_margin_from_costs(9.7 / 5, 5.8, useful_life_years=5), 4)
    0.4021
    """
    rev = check_number("revenue", revenue, minimum=0, strict_min=True)
    cap = check_number("capex", capex, minimum=0)
    life = check_number("useful_life_years", useful_life_years, minimum=0, strict_min=True, maximum=50)
    power = check_number("power_cost", power_cost, minimum=0)
    other = check_number("other_opex", other_opex, minimum=0)
    return (rev - cap / life - power - other) / rev


def margin_bridge(
    base_revenue: float, base_margin: float, deal_revenue: float, deal_margin: float
) -> pd.DataFrame:
    """Base margin -> mix effect of the deal -> blended margin, for a waterfall chart.

    Returns
    -------
    pandas.DataFrame
        Rows ``base margin``, ``deal mix effect``, ``blended margin`` with
        ``value`` (fraction) and ``bps`` (basis points); the first and last are
        levels, the middle one a change (deal share × (deal_margin − base_margin)).

    Examples
    --------
    >>> margin_bridge(130, 0.35, 5.4, 0.15)["bps"].round(1).tolist()
    [3500.0, -79.8, 3420.2]
    """
    blended = blended_margin(base_revenue, base_margin, deal_revenue, deal_margin)
    base = _margin("base_margin", base_margin)
    values = [base, blended - base, blended]
    return pd.DataFrame(
        {
            "step": ["base margin", "deal mix effect", "blended margin"],
            "value": values,
            "bps": [v * BPS_PER_UNIT for v in values],
        }
    )


def peak_deal_ratio(deal_revenue: Any, base_revenue: Any) -> float:
    """The deal's largest revenue in any period ÷ the provider's base revenue of that period.

    Parameters
    ----------
    deal_revenue : float or array-like
        The deal's revenue by period, money per period (>= 0).
    base_revenue : float or array-like
        The provider's revenue without the deal in the same periods and unit
        (>= 0; one value for every period, or one per period).

    Returns
    -------
    float
        max over periods of deal ÷ base (a multiple: 0.5 = half the base);
        ``inf`` where a period earns deal revenue on a zero base, 0.0 for no
        deal revenue at all.

    Examples
    --------
    AWS–OpenAI's peak year, $5.48B on AWS's 2024 revenue of $107.6B, is a twentieth of the
    base; Microsoft–Nebius's $3.64B on Nebius's $0.0915B is ~40 times it:

    >>> round(peak_deal_ratio([0.06, 3.12, 5.48], 107.6), 4), round(peak_deal_ratio(3.64, 0.0915), 1)
    (0.0509, 39.8)
    """
    deal = np.atleast_1d(np.asarray(check_quantity("deal_revenue", deal_revenue), dtype=float))
    base = np.broadcast_to(
        np.atleast_1d(np.asarray(check_quantity("base_revenue", base_revenue), dtype=float)), deal.shape
    )
    earning = deal > 0
    if not earning.any():
        return 0.0
    if np.any(base[earning] <= 0):
        return math.inf
    return float(np.max(deal[earning] / base[earning]))


def outsized_deal(deal_revenue: Any, base_revenue: Any, *, limit: float = OUTSIZED_DEAL_RATIO) -> bool:
    """Is the deal larger than the provider's base in some period (:func:`peak_deal_ratio` > ``limit``)?

    The rule behind the reports' caveat on margin changes in bps and growth
    contributions in points: above ``limit`` (keyword-only, a multiple of
    the base revenue, default :data:`OUTSIZED_DEAL_RATIO`, 1.0) they read
    as "the deal is the business". A ratio equal to ``limit`` is not outsized.

    Examples
    --------
    >>> outsized_deal(107.6, 107.6), outsized_deal(107.7, 107.6), outsized_deal(3.64, 0.0915)
    (False, True, True)
    """
    bound = check_number("limit", limit, minimum=0)
    return peak_deal_ratio(deal_revenue, base_revenue) > bound
