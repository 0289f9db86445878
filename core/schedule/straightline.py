"""The straight-line view of a contract against the modelled ramp, period by period, and the growth
the straight line overstates."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from core.schedule.revenue import contract_schedule
from core.validation import DealDeskInputError, check_number

__all__ = [
    "near_term_overstatement",
    "straightline_gap",
]


def straightline_gap(
    value: float,
    start: Any,
    term_years: float,
    *,
    profile: str = "linear",
    frequency: str = "year",
    fiscal_year_end: int = 12,
    realisation: float = 1.0,
    delay_days: int = 0,
    delay_mode: str = "extend",
    base_revenue: Any = None,
    **profile_params: Any,
) -> pd.DataFrame:
    """Straight-line view of a contract against the modelled ramp, by period.

    The straight line is the headline view (value / term, by actual days, no
    utilisation discount, no delay); the ramp is ``contract_schedule`` with the
    given profile, realisation and delay.

    Returns
    -------
    pandas.DataFrame
        ``period``, ``start``, ``end``, ``straight``, ``ramp``, ``gap``
        (straight − ramp, money; positive where the straight line overstates).
        With ``base_revenue`` (the provider's revenue without the deal in the
        period before each row, same money unit: one number, or one per row)
        also ``growth_pp_straight``, ``growth_pp_ramp`` and ``growth_pp_gap``:
        the deal's contribution to the provider's growth in percentage points,
        (deal revenue in the period − in the prior period) ÷ base revenue ×
        100. Meaningful with ``frequency="year"``.

    Examples
    --------
    AWS–OpenAI with full run-rate at end-2026: the straight line books more in 2025 and 2026.

    >>> g = straightline_gap(38, "2025-11-03", 7, full_at="2026-12-31")
    >>> bool((g["gap"].iloc[:2] > 0).all()), round(float(g["gap"].sum()), 9)
    (True, 0.0)
    """
    straight = contract_schedule(
        value, start, term_years, frequency=frequency, fiscal_year_end=fiscal_year_end
    )
    ramp = contract_schedule(
        value,
        start,
        term_years,
        profile=profile,
        frequency=frequency,
        fiscal_year_end=fiscal_year_end,
        realisation=realisation,
        delay_days=delay_days,
        delay_mode=delay_mode,
        **profile_params,
    )
    keys = ["period", "start", "end"]
    table = pd.merge(
        straight[keys + ["revenue"]].rename(columns={"revenue": "straight"}),
        ramp[keys + ["revenue"]].rename(columns={"revenue": "ramp"}),
        on=keys,
        how="outer",
    ).sort_values("start", kind="stable")
    table[["straight", "ramp"]] = table[["straight", "ramp"]].fillna(0.0)
    table["gap"] = table["straight"] - table["ramp"]
    if base_revenue is not None:
        if np.ndim(base_revenue) == 0:
            base: Any = check_number("base_revenue", base_revenue, minimum=0, strict_min=True)
        else:
            base = np.asarray(base_revenue, dtype=float)
            if base.shape != (len(table),) or not np.all(np.isfinite(base)) or np.any(base <= 0):
                raise DealDeskInputError(
                    f"base_revenue must be a number > 0 or one per period ({len(table)}), got {base_revenue!r}"
                )
        for col in ("straight", "ramp"):
            table[f"growth_pp_{col}"] = np.diff(table[col].to_numpy(), prepend=0.0) / base * 100
        table["growth_pp_gap"] = table["growth_pp_straight"] - table["growth_pp_ramp"]
    return table.reset_index(drop=True)


def near_term_overstatement(gap_table: pd.DataFrame, *, periods: int = 2) -> dict[str, float | None]:
    """How much the straight line overstates the first ``periods`` rows of a gap table.

    Returns ``straight``, ``ramp``, ``gap`` (money) and ``gap_pct`` (gap ÷ ramp,
    a fraction; ``None`` when the ramp earns nothing in those periods).

    >>> g = straightline_gap(38, "2025-11-03", 7, full_at="2026-12-31")
    >>> o = near_term_overstatement(g, periods=2)
    >>> o["gap"] > 0 and o["gap_pct"] > 0
    True
    """
    n = int(check_number("periods", periods, minimum=1, integer=True))
    head = gap_table.iloc[:n]
    straight, ramp = float(head["straight"].sum()), float(head["ramp"].sum())
    gap = straight - ramp
    return {"straight": straight, "ramp": ramp, "gap": gap, "gap_pct": gap / ramp if ramp > 0 else None}
