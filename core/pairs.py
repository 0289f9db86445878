"""Pair trade: long a deal winner against a weaker name, hedged by beta.

* Hedge ratio: the OLS slope (with intercept) of one return series on
  another, cov(x, y) ÷ var(x). Regressing each leg on the sector gives its
  beta; regressing the long leg on the short leg gives the minimum-variance
  short notional per unit of long notional.
* Sizing: ``dollar``-neutral legs have equal notionals; ``beta``-neutral legs
  satisfy long × beta_long = short × beta_short, so a pure sector move
  leaves the pair flat. Size from the long notional or from the gross
  (long + short).
* P&L: long notional × long return − short notional × short return. Under a
  sector shock s a leg returns beta × s (plus any stock-specific move).

Notionals and P&L are money (any unit; the P&L keeps it); returns, shocks and
betas are fractions. Scalars in give floats out; pandas in gives pandas out
with the same index.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from core.validation import DealDeskInputError, check_choice, check_finite, check_number, check_numbers

__all__ = [
    "NEUTRALITY",
    "SIZING_BASES",
    "ols_beta",
    "hedge_ratio",
    "pair_legs",
    "pair_pnl",
    "shock_pnl",
    "shock_table",
]

#: How legs are balanced.
NEUTRALITY = ("dollar", "beta")
#: What the given notional is: the long leg, or long + short.
SIZING_BASES = ("long", "gross")

_MIN_OBSERVATIONS = 3


def _returns(name: str, values: Any) -> pd.Series | pd.DataFrame:
    if isinstance(values, (pd.Series, pd.DataFrame)):
        return (
            values.apply(pd.to_numeric, errors="coerce")
            if isinstance(values, pd.DataFrame)
            else pd.to_numeric(values, errors="coerce")
        )
    if isinstance(values, (str, bytes)) or np.ndim(values) == 0:
        raise DealDeskInputError(f"{name} must be a series of returns (fractions), got {values!r}")
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise DealDeskInputError(f"{name} must be a series of returns (fractions), got {values!r}") from None
    if array.ndim == 2:
        return pd.DataFrame(array)
    if array.ndim != 1:
        raise DealDeskInputError(
            f"{name} must be one or more columns of returns, got {array.ndim} dimensions"
        )
    return pd.Series(array)


def ols_beta(returns: Any, benchmark_returns: Any) -> Any:
    """OLS slope (with intercept) of ``returns`` on ``benchmark_returns``: cov ÷ var.

    Parameters
    ----------
    returns : sequence, array, Series or DataFrame
        Periodic returns (fractions); a DataFrame (or 2-D array) holds one
        asset per column.
    benchmark_returns : sequence, array or Series
        Returns of the benchmark over the same periods. pandas inputs are
        aligned on their index; rows with a missing value are dropped. At least
        3 periods, and the benchmark must vary.

    Returns
    -------
    float, or pandas.Series of betas indexed by the columns of a DataFrame.

    Examples
    --------
    A stock that moves 1.5 times the sector plus a constant:

    >>> round(ols_beta([0.021, -0.009, 0.036, 0.006], [0.01, -0.01, 0.02, 0.0]), 6)
    1.5
    """
    return _ols(returns, benchmark_returns, ("returns", "benchmark_returns"))


def _ols(returns: Any, benchmark_returns: Any, names: tuple[str, str]) -> Any:
    """OLS slope of ``returns`` on ``benchmark_returns``; ``names`` label the two in messages."""
    y_name, x_name = names
    y = _returns(y_name, returns)
    x = _returns(x_name, benchmark_returns)
    if isinstance(x, pd.DataFrame):
        if x.shape[1] != 1:
            raise DealDeskInputError(f"{x_name} must be a single series, got {x.shape[1]} columns")
        x = x.iloc[:, 0]
    both_pandas = isinstance(returns, (pd.Series, pd.DataFrame)) and isinstance(benchmark_returns, pd.Series)
    if not both_pandas:
        if len(y) != len(x):
            raise DealDeskInputError(
                f"{y_name} and {x_name} must have the same length, got {len(y)} and {len(x)}"
            )
        y = y.set_axis(pd.RangeIndex(len(y)))
        x = x.set_axis(pd.RangeIndex(len(x)))
    frame = pd.concat(
        [x.rename("__benchmark__"), y.to_frame() if isinstance(y, pd.Series) else y], axis=1, join="inner"
    )
    frame = frame.replace([np.inf, -np.inf], np.nan).dropna()
    if len(frame) < _MIN_OBSERVATIONS:
        raise DealDeskInputError(
            f"{y_name} must have at least {_MIN_OBSERVATIONS} complete periods shared with {x_name}, got {len(frame)}"
        )
    xs = frame.pop("__benchmark__").to_numpy(dtype=float)
    ys = frame.to_numpy(dtype=float)
    with np.errstate(all="ignore"):
        dx = xs - xs.mean()
        variance = float(dx @ dx)
    check_finite(f"{y_name} and {x_name}", [variance])
    if variance <= 1e-300:
        raise DealDeskInputError(f"{x_name} must vary (non-zero variance), got a constant series")
    with np.errstate(all="ignore"):
        betas = dx @ (ys - ys.mean(axis=0)) / variance
    check_finite(f"{y_name} and {x_name}", betas)
    if isinstance(y, pd.DataFrame):
        return pd.Series(betas, index=y.columns, name="beta")
    return float(betas[0])


def hedge_ratio(long_returns: Any, short_returns: Any) -> Any:
    """Minimum-variance hedge ratio: short notional per unit of long notional.

    The OLS slope of the long leg's returns on the short leg's returns
    (:func:`ols_beta`); holding ``ratio`` of short per 1 of long minimises the
    variance of the pair's P&L over the sample.

    Examples
    --------
    A long leg that moves half as much as the short leg needs 0.5 of short per 1 of long:

    >>> hedge_ratio([0.01, -0.005, 0.02, 0.0], [0.02, -0.01, 0.04, 0.0])
    0.5
    """
    return _ols(long_returns, short_returns, ("long_returns", "short_returns"))


def pair_legs(
    notional: Any,
    *,
    neutral: str = "beta",
    basis: str = "long",
    beta_long: float = 1.0,
    beta_short: float = 1.0,
) -> Any:
    """Long and short notionals of a pair.

    Parameters
    ----------
    notional : float, array or Series
        Money to deploy (> 0): the long leg (``basis="long"``) or long + short
        (``basis="gross"``).
    neutral : {"dollar", "beta"}, keyword-only
        ``dollar``: short = long. ``beta``: long × beta_long = short × beta_short.
    basis : {"long", "gross"}, keyword-only
    beta_long, beta_short : float, keyword-only
        Each leg's beta to the common factor (the sector); > 0 for beta-neutral sizing.

    Returns
    -------
    dict of floats ``{"long": ..., "short": ...}`` for a scalar notional, a
    DataFrame with columns ``long`` and ``short`` (same index) for a Series,
    or a dict of arrays for an array. Both notionals are positive amounts.

    Examples
    --------
    $100M long Amazon (illustrative beta 0.9 to the cloud sector) against a
    weaker name (illustrative beta 1.5): beta-neutral short $60M.

    >>> pair_legs(100, neutral="beta", beta_long=0.9, beta_short=1.5)
    {'long': 100.0, 'short': 60.0}
    """
    how = check_choice("neutral", neutral, NEUTRALITY)
    base = check_choice("basis", basis, SIZING_BASES)
    floor = 0.0 if how == "beta" else None
    b_long = check_number("beta_long", beta_long, minimum=floor, strict_min=floor is not None, maximum=10)
    b_short = check_number("beta_short", beta_short, minimum=floor, strict_min=floor is not None, maximum=10)
    checked, restore = check_numbers({"notional": notional}, above={"notional": 0.0})
    amount = checked["notional"]
    ratio = b_long / b_short if how == "beta" else 1.0  # short per 1 of long
    if base == "long":
        long, short = amount, amount * ratio
    else:
        long = amount / (1.0 + ratio)
        short = amount - long
    check_finite("notional, beta_long and beta_short", [long, short])
    if isinstance(notional, pd.Series):
        return pd.DataFrame({"long": restore(long), "short": restore(short)})
    return {"long": restore(long), "short": restore(short)}


def pair_pnl(long_notional: Any, short_notional: Any, *, long_return: Any, short_return: Any) -> Any:
    """P&L of a pair: long notional × long return − short notional × short return.

    Parameters
    ----------
    long_notional, short_notional : float, array or Series
        Positive amounts held long and short, money.
    long_return, short_return : float, array or Series, keyword-only
        Each leg's return over the period, fractions (>= −1).

    Returns
    -------
    float, array or Series
        P&L, money (positive = gain).

    Examples
    --------
    Long $100 that rises 2%, short $100 that falls 3%: +$5.

    >>> round(pair_pnl(100, 100, long_return=0.02, short_return=-0.03), 9)
    5.0
    """
    checked, restore = check_numbers(
        {
            "long_notional": long_notional,
            "short_notional": short_notional,
            "long_return": long_return,
            "short_return": short_return,
        },
        at_least={"long_notional": 0.0, "short_notional": 0.0, "long_return": -1.0, "short_return": -1.0},
    )
    with np.errstate(all="ignore"):
        pnl = (
            checked["long_notional"] * checked["long_return"]
            - checked["short_notional"] * checked["short_return"]
        )
    check_finite("long_notional and short_notional", pnl)
    return restore(pnl)


def shock_pnl(
    long_notional: float,
    short_notional: float,
    shock: Any,
    *,
    beta_long: float = 1.0,
    beta_short: float = 1.0,
    specific_long: float = 0.0,
    specific_short: float = 0.0,
) -> Any:
    """P&L of a pair when the common factor (the sector) moves by ``shock``.

    Each leg returns beta × shock plus its stock-specific move, floored at −100%.

    Parameters
    ----------
    long_notional, short_notional : float
        Positive amounts held long and short, money.
    shock : float, array or Series
        The sector's move, fraction (−0.15 for the article's "cloud sector −15%").
    beta_long, beta_short : float, keyword-only
        Each leg's beta to the sector.
    specific_long, specific_short : float, keyword-only
        Stock-specific returns on top of the sector move (fractions, default 0).

    Returns
    -------
    float, array or Series
        Pair P&L, money.

    Examples
    --------
    The cloud sector falls 15%: a dollar-neutral $100/$100 pair with betas 0.9
    (long) and 1.5 (short), both illustrative, makes 100 × (1.5 − 0.9) × 0.15 = $9:

    >>> round(shock_pnl(100, 100, -0.15, beta_long=0.9, beta_short=1.5), 9)
    9.0
    """
    b_long = check_number("beta_long", beta_long, minimum=-10, maximum=10)
    b_short = check_number("beta_short", beta_short, minimum=-10, maximum=10)
    s_long = check_number("specific_long", specific_long, minimum=-1, maximum=10)
    s_short = check_number("specific_short", specific_short, minimum=-1, maximum=10)
    checked, restore = check_numbers({"shock": shock}, above={"shock": -1.0})
    move = checked["shock"]
    pnl = pair_pnl(
        long_notional,
        short_notional,
        long_return=_leg_return(b_long, move, s_long),
        short_return=_leg_return(b_short, move, s_short),
    )
    return restore(pnl)


def _leg_return(beta: float, shock: Any, specific: float = 0.0) -> Any:
    """A leg's return under a sector shock, floored at −100% (a stock cannot lose more)."""
    return np.maximum(beta * shock + specific, -1.0)


def shock_table(
    long_notional: float,
    short_notional: float,
    shocks: Any,
    *,
    beta_long: float = 1.0,
    beta_short: float = 1.0,
) -> pd.DataFrame:
    """P&L of each leg and of the pair for a list of sector shocks.

    Parameters
    ----------
    long_notional, short_notional : float
        Positive amounts held long and short, money.
    shocks : float, sequence or Series
        Sector moves, fractions.
    beta_long, beta_short : float, keyword-only
        Each leg's beta to the sector.

    Returns
    -------
    pandas.DataFrame
        ``shock``, ``long_pnl`` (long × beta_long × shock), ``short_pnl``
        (−short × beta_short × shock) and ``pair_pnl`` (their sum), money; a
        leg's return is floored at −100%, as in :func:`shock_pnl`.

    Examples
    --------
    A beta-neutral pair ($100 long at beta 0.9, $60 short at beta 1.5) is flat
    whatever the sector does:

    >>> t = shock_table(100, 60, [-0.15, 0.1], beta_long=0.9, beta_short=1.5)
    >>> t["long_pnl"].round(9).tolist(), (t["pair_pnl"].abs() < 1e-9).tolist()
    ([-13.5, 9.0], [True, True])
    """
    b_long = check_number("beta_long", beta_long, minimum=-10, maximum=10)
    b_short = check_number("beta_short", beta_short, minimum=-10, maximum=10)
    if isinstance(shocks, (int, float, np.integer, np.floating)) and not isinstance(shocks, bool):
        shocks = [shocks]
    checked, _ = check_numbers(
        {"long_notional": long_notional, "short_notional": short_notional, "shocks": shocks},
        above={"shocks": -1.0},
        at_least={"long_notional": 0.0, "short_notional": 0.0},
    )
    move = np.asarray(checked["shocks"], dtype=float)
    if move.ndim != 1:
        raise DealDeskInputError(f"shocks must be a single list of sector moves, got {move.ndim} dimensions")
    with np.errstate(all="ignore"):
        long_pnl = checked["long_notional"] * _leg_return(b_long, move)
        short_pnl = -checked["short_notional"] * _leg_return(b_short, move)
        total = long_pnl + short_pnl
    check_finite("long_notional and short_notional", [long_pnl, short_pnl, total])
    table = pd.DataFrame(
        {"shock": move, "long_pnl": long_pnl, "short_pnl": short_pnl, "pair_pnl": total},
        index=shocks.index if isinstance(shocks, pd.Series) else None,
    )
    return table
