"""Valuation: the market's reaction to a deal (event study) and sum-of-the-parts value.

Event study of the announcement. From the price after the news and its move:

* prior close = price ÷ (1 + move) (+5.8% to $258.38 -> $244.22);
* value added = (price − prior close) × shares outstanding (money);
* abnormal return = stock return − (alpha + beta × market return);
* value added ÷ contract value: how many times the headline the market added.

Sum of the parts: market value = Σ segment value + net cash, where a segment's
value is given or is metric × multiple. A threshold test grows a market value
geometrically to a target year and compares it with a threshold (for example,
does Amazon pass $3 trillion by 2027?).

Functions that take numbers accept scalars (float out), numpy arrays (array
out) or pandas Series (Series out, same index).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from core.validation import DealDeskInputError, check_finite, check_number, check_numbers, check_year

__all__ = [
    "SOTP_COLUMNS",
    "prior_close",
    "value_added",
    "abnormal_return",
    "event_study",
    "sum_of_parts",
    "market_value_path",
    "threshold_test",
]

#: Columns of a sum-of-the-parts table.
SOTP_COLUMNS = ["segment", "metric", "multiple", "value"]
#: Years ahead within which a threshold test looks for the first year at or above the threshold.
_FIRST_YEAR_HORIZON = 1_000


# --------------------------------------------------------------------------- event study


def prior_close(price: Any, move: Any) -> Any:
    """Price before a move: price ÷ (1 + move).

    Parameters
    ----------
    price : float, array or Series
        Price after the move, money per share, > 0.
    move : float, array or Series
        The move as a fraction (0.058 for +5.8%), > −1.

    Returns
    -------
    float, array or Series
        Prior price, money per share.

    Examples
    --------
    Amazon +5.8% pre-market at $258.38 implies a prior close of $244.22:

    >>> round(prior_close(258.38, 0.058), 2)
    244.22
    """
    checked, restore = check_numbers({"price": price, "move": move}, above={"price": 0.0, "move": -1.0})
    return restore(checked["price"] / (1.0 + checked["move"]))


def value_added(prior_price: Any, price: Any, shares: Any) -> Any:
    """Market value added by a price change: (price − prior price) × shares.

    Parameters
    ----------
    prior_price, price : float, array or Series
        Price before and after, money per share, > 0.
    shares : float, array or Series
        Shares outstanding (a count, > 0).

    Returns
    -------
    float, array or Series
        Value added, money (same unit as the price; dollars for dollar prices).

    Examples
    --------
    Amazon from $244.22 to $258.38 on 10,690,216,011 shares: about $151B added.

    >>> round(value_added(244.22, 258.38, 10_690_216_011) / 1e9, 1)
    151.4
    """
    checked, restore = check_numbers(
        {"prior_price": prior_price, "price": price, "shares": shares},
        above={"prior_price": 0.0, "price": 0.0, "shares": 0.0},
    )
    return restore((checked["price"] - checked["prior_price"]) * checked["shares"])


def abnormal_return(stock_return: Any, market_return: Any, *, beta: float = 1.0, alpha: float = 0.0) -> Any:
    """Return beyond what the market explains: stock − (alpha + beta × market).

    Parameters
    ----------
    stock_return, market_return : float, array or Series
        Returns over the same window, fractions (> −1).
    beta : float, keyword-only
        The stock's sensitivity to the market (default 1, the market-adjusted model).
    alpha : float, keyword-only
        Expected return unrelated to the market over the window (fraction, default 0).

    Examples
    --------
    A +5.8% day when the market rose 0.5% (an illustrative market move):

    >>> round(abnormal_return(0.058, 0.005), 4)
    0.053
    """
    b = check_number("beta", beta, minimum=-10, maximum=10)
    a = check_number("alpha", alpha, minimum=-1, maximum=1)
    checked, restore = check_numbers(
        {"stock_return": stock_return, "market_return": market_return},
        above={"stock_return": -1.0, "market_return": -1.0},
    )
    return restore(checked["stock_return"] - (a + b * checked["market_return"]))


def event_study(
    price: float,
    *,
    shares: float,
    contract_value: float,
    move: float | None = None,
    prior_price: float | None = None,
    market_return: float = 0.0,
    beta: float = 1.0,
    money_unit: float = 1e9,
) -> dict[str, float]:
    """The market's reaction to a deal announcement, from one price and its move.

    Give either ``move`` (the reported % move, as a fraction) or
    ``prior_price`` (the prior close), not both.

    Parameters
    ----------
    price : float
        Price after the news, money per share (US$), > 0.
    shares : float, keyword-only
        Shares outstanding (a count), > 0.
    contract_value : float, keyword-only
        The deal's headline value, in ``money_unit`` (US$ billions by default), > 0.
    move : float, keyword-only
        Price move as a fraction (0.058 for +5.8%).
    prior_price : float, keyword-only
        The prior close, money per share.
    market_return : float, keyword-only
        The market's move over the same window (fraction, default 0).
    beta : float, keyword-only
        The stock's market beta for the abnormal return (default 1).
    money_unit : float, keyword-only
        Market values are divided by this: 1e9 (default) reports them in US$
        billions, the unit of ``contract_value``.

    Returns
    -------
    dict
        ``prior_close``, ``price``, ``price_change`` (money per share),
        ``stock_return``, ``market_return``, ``abnormal_return`` (fractions),
        ``market_value_before``, ``market_value_after``, ``value_added``,
        ``abnormal_value_added`` (abnormal return × value before), in
        ``money_unit``; ``value_added_to_contract`` and
        ``abnormal_value_added_to_contract`` (multiples of the contract value).

    Examples
    --------
    AWS–OpenAI: Amazon +5.8% to $258.38 on 10,690,216,011 shares added about
    $151B of market value, about four times the $38B contract:

    >>> e = event_study(258.38, move=0.058, shares=10_690_216_011, contract_value=38)
    >>> round(e["prior_close"], 2), round(e["value_added"], 1), round(e["value_added_to_contract"], 2)
    (244.22, 151.4, 3.98)
    """
    if (move is None) == (prior_price is None):
        raise DealDeskInputError(
            f"give exactly one of move or prior_price, got move={move!r} and prior_price={prior_price!r}"
        )
    after = check_number("price", price, minimum=0, strict_min=True)
    count = check_number("shares", shares, minimum=0, strict_min=True)
    contract = check_number("contract_value", contract_value, minimum=0, strict_min=True)
    unit = check_number("money_unit", money_unit, minimum=0, strict_min=True)
    before = (
        prior_close(after, move)
        if move is not None
        else check_number("prior_price", prior_price, minimum=0, strict_min=True)
    )
    if not before > 0:  # a move of +1e308% on a tiny price leaves no prior close to divide by
        raise DealDeskInputError(
            f"price and move give a prior close of {before!r}; it must be > 0 (check price and move)"
        )
    stock = after / before - 1.0
    abnormal = abnormal_return(stock, market_return, beta=beta)
    added = value_added(before, after, count) / unit
    value_before = before * count / unit
    result = {
        "prior_close": before,
        "price": after,
        "price_change": after - before,
        "stock_return": stock,
        "market_return": float(market_return),
        "abnormal_return": abnormal,
        "market_value_before": value_before,
        "market_value_after": after * count / unit,
        "value_added": added,
        "abnormal_value_added": abnormal * value_before,
        "value_added_to_contract": added / contract,
        "abnormal_value_added_to_contract": abnormal * value_before / contract,
    }
    check_finite("price, shares, contract_value and money_unit", list(result.values()))
    return result


# --------------------------------------------------------------------------- sum of the parts


def _segment_rows(segments: Any) -> list[Mapping[str, Any]]:
    if isinstance(segments, pd.DataFrame):
        return segments.to_dict("records")
    if isinstance(segments, Mapping):
        return [{"segment": k, "value": v} for k, v in segments.items()]
    if isinstance(segments, Iterable) and not isinstance(segments, (str, bytes)):
        rows = list(segments)
        if all(isinstance(r, Mapping) for r in rows):
            return rows
    raise DealDeskInputError(
        "segments must be a table (DataFrame or list of rows) with segment and either value or "
        f"metric and multiple, or a mapping of segment -> value; got {segments!r}"
    )


def _given(row: Mapping[str, Any], key: str) -> bool:
    value = row.get(key)
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and value != ""


def sum_of_parts(segments: Any, *, net_cash: float = 0.0) -> pd.DataFrame:
    """Sum-of-the-parts market value: each segment's value, plus net cash.

    Parameters
    ----------
    segments : DataFrame, list of mappings, or mapping
        One row per segment with ``segment`` (name) and either ``value``
        (money) or ``metric`` (money, e.g. revenue or operating income) and
        ``multiple`` (times, e.g. EV/EBIT). A mapping is segment -> value.
    net_cash : float, keyword-only
        Cash minus debt, money (negative for net debt); default 0.

    Returns
    -------
    pandas.DataFrame
        Columns ``SOTP_COLUMNS``; one row per segment (``metric`` and
        ``multiple`` missing, ``<NA>``, where the value was given), then
        ``net cash`` and ``market value`` (the total).

    Examples
    --------
    Illustrative multiples (analyst assumptions, not sourced): AWS at 25x $45B of
    operating income, the rest at $1,500B, $50B net cash:

    >>> t = sum_of_parts([{"segment": "AWS", "metric": 45, "multiple": 25},
    ...                   {"segment": "Retail and ads", "value": 1500}], net_cash=50)
    >>> t["value"].tolist()
    [1125.0, 1500.0, 50.0, 2675.0]
    """
    cash = check_number("net_cash", net_cash)
    rows = _segment_rows(segments)
    if not rows:
        raise DealDeskInputError("segments must hold at least one segment, got none")
    table = []
    for number, row in enumerate(rows, start=1):
        name = str(row.get("segment") or f"segment {number}")
        has_value = _given(row, "value")
        has_product = _given(row, "metric") or _given(row, "multiple")
        if has_value == has_product:
            raise DealDeskInputError(
                f"segments {name!r} must give either value or metric and multiple, got {dict(row)!r}"
            )
        if has_value:
            table.append((name, np.nan, np.nan, check_number(f"segments {name!r} value", row["value"])))
            continue
        metric = check_number(f"segments {name!r} metric", row.get("metric"))
        multiple = check_number(f"segments {name!r} multiple", row.get("multiple"), minimum=0)
        table.append((name, metric, multiple, metric * multiple))
    total = sum(r[3] for r in table) + cash
    check_finite("segments and net_cash", [total, *(r[3] for r in table)])
    table += [("net cash", np.nan, np.nan, cash), ("market value", np.nan, np.nan, total)]
    # Nullable floats: "no metric" is <NA> (a blank cell in Excel), not NaN.
    return pd.DataFrame(table, columns=SOTP_COLUMNS).astype({"metric": "Float64", "multiple": "Float64"})


# --------------------------------------------------------------------------- threshold test


def market_value_path(
    market_value: float, *, growth: float, start_year: int, years: Iterable[int]
) -> pd.Series:
    """Market value grown geometrically: value × (1 + growth)^(year − start_year).

    Parameters
    ----------
    market_value : float
        Market value in ``start_year``, money, > 0.
    growth : float, keyword-only
        Growth a year, fraction (> −1).
    start_year : int, keyword-only
    years : iterable of int, keyword-only
        Years to return.

    Returns
    -------
    pandas.Series
        Market value (money) indexed by year, named ``market_value``.

    Examples
    --------
    >>> market_value_path(100, growth=0.1, start_year=2025, years=[2025, 2027]).round(6).tolist()
    [100.0, 121.0]
    """
    value = check_number("market_value", market_value, minimum=0, strict_min=True)
    g = check_number("growth", growth, minimum=-1, strict_min=True, maximum=100)
    first = check_year("start_year", start_year)
    if isinstance(years, (str, bytes)) or not isinstance(years, Iterable):
        raise DealDeskInputError(f"years must be a list of whole years, got {years!r}")
    wanted = np.array([check_year("years", y) for y in years], dtype=float)
    if wanted.size == 0:
        raise DealDeskInputError("years must hold at least one year, got none")
    with np.errstate(all="ignore"):
        path = value * np.float64(1.0 + g) ** (wanted - first)
    check_finite("market_value and growth", path)
    return pd.Series(path, index=pd.Index(wanted.astype(np.int64), name="year"), name="market_value")


def threshold_test(
    market_value: float,
    threshold: float,
    *,
    growth: float,
    start_year: int,
    target_year: int,
) -> dict[str, Any]:
    """Does a market value growing at ``growth`` pass ``threshold`` by ``target_year``?

    Parameters
    ----------
    market_value : float
        Market value in ``start_year``, money, > 0.
    threshold : float
        The level to pass, same money unit, > 0.
    growth : float, keyword-only
        Assumed growth a year, fraction (> −1).
    start_year, target_year : int, keyword-only
        ``target_year`` >= ``start_year``.

    Returns
    -------
    dict
        ``value_at_target`` (money), ``threshold``, ``passes`` (bool: value at
        target >= threshold), ``headroom`` (value at target ÷ threshold − 1),
        ``required_growth`` (growth a year that reaches the threshold exactly in
        the target year; for target = start, None) and ``first_year`` (first
        year at or above the threshold at ``growth``; None if never, or not
        within 1,000 years).

    Examples
    --------
    Amazon at $258.38 × 10,690,216,011 shares ≈ $2,762B (2025): passing $3T by
    2027 takes about 4.2% a year.

    >>> t = threshold_test(2762.14, 3000, growth=0.05, start_year=2025, target_year=2027)
    >>> t["passes"], round(t["required_growth"], 4), t["first_year"]
    (True, 0.0422, 2027)
    """
    value = check_number("market_value", market_value, minimum=0, strict_min=True)
    level = check_number("threshold", threshold, minimum=0, strict_min=True)
    g = check_number("growth", growth, minimum=-1, strict_min=True, maximum=100)
    first, last = check_year("start_year", start_year), check_year("target_year", target_year)
    if last < first:
        raise DealDeskInputError(f"target_year must be on or after start_year ({first}), got {last}")
    span = last - first
    with np.errstate(all="ignore"):
        at_target = float(value * np.float64(1.0 + g) ** span)
        required = float(np.exp((math.log(level) - math.log(value)) / span) - 1.0) if span > 0 else None
    check_finite("market_value, threshold and growth", [at_target, at_target / level, required or 0.0])
    first_year: int | None = None
    if value >= level:
        first_year = first
    elif g > 0:
        years_needed = (math.log(level) - math.log(value)) / math.log1p(g)
        if years_needed <= _FIRST_YEAR_HORIZON:
            first_year = first + math.ceil(years_needed)
            # Guard the ceiling against rounding on an exact hit.
            while first_year > first and value * (1.0 + g) ** (first_year - 1 - first) >= level:
                first_year -= 1
    return {
        "value_at_target": at_target,
        "threshold": level,
        "passes": bool(at_target >= level),
        "headroom": at_target / level - 1.0,
        "required_growth": required,
        "first_year": first_year,
    }
