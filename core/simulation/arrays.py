"""Array building blocks of the numpy engine: the revenue curve, working arrays, capacity in service,
refresh, capex lead and depreciation."""

from __future__ import annotations

from typing import Any

import numpy as np

from core.simulation.plan import _Life, _Plan

# --------------------------------------------------------------------------- vectorised model


def _cdf(plan: _Plan, x: np.ndarray, r: Any) -> np.ndarray:
    """Cumulative share at contract time ``x`` in [0, 1] (points × draws); ``r`` the initial rate per draw.

    For the linear profile F × norm = ramp(min(x, x_f)) + max(x − x_f, 0), with
    ramp(x) = r x + (1 − r) x² / (2 x_f): the same function as
    ``core.schedule.profile_cdf`` (the tests prove it), without a branch. ``x``
    may be a column of points shared by every draw, and may be overwritten.
    """
    return _cdf_with(plan, x, r, _ramp(plan, r))


def _ramp(plan: _Plan, r: Any) -> tuple[Any, Any] | None:
    """The linear profile's per-draw coefficients ``((1 − r) ÷ 2x_f, 1 ÷ norm)``, computed once a run."""
    xf = plan.linear_xf
    if xf is None or xf <= 0:
        return None
    if xf >= 1:
        slope = (1 - r) / (2 * xf)
        return slope, 1.0 / (r + slope)
    return (1 - r) / (2 * xf), 1.0 / (xf * (1 + r) / 2 + (1 - xf))


def _cdf_with(
    plan: _Plan,
    x: np.ndarray,
    r: Any,
    ramp: tuple[Any, Any] | None,
    out: np.ndarray | None = None,
    scratch: np.ndarray | None = None,
) -> np.ndarray:
    """:func:`_cdf` with the ramp's coefficients given (see :func:`_ramp`), into ``out`` when given
    (``scratch``: a working array of ``x``'s shape)."""
    if plan.linear_xf is None:
        return plan.cdf(x)
    xf = plan.linear_xf
    if ramp is None:  # x_f <= 0: straight line
        if out is not None and out.shape == x.shape:
            np.copyto(out, x)  # ``x`` may be a working array the next call reuses
            return out
        return x
    slope, inv_norm = ramp
    if xf >= 1:
        m, tail = x, None
    else:
        m = np.minimum(x, xf, out=scratch if scratch is not None and scratch.shape == x.shape else None)
        tail = np.subtract(x, xf, out=x if x.ndim == 2 and x.shape[1] > 1 else None)
        np.maximum(tail, 0.0, out=tail)
    if out is None or np.broadcast_shapes(m.shape, np.shape(slope)) != out.shape:
        f = m * slope
    else:
        f = np.multiply(m, slope, out=out)
    f += r
    f *= m
    if tail is not None:
        f += tail
    f *= inv_norm
    return f


class _Work:
    """Reusable working arrays (rows × draws) for one thread: numpy's fresh buffers of this size
    each cost page faults; reusing them keeps the arithmetic in place."""

    def __init__(self) -> None:
        self.arrays: dict[tuple[str, int, int], np.ndarray] = {}

    def __call__(self, name: str, rows: int, n: int) -> np.ndarray:
        key = (name, rows, n)
        array = self.arrays.get(key)
        if array is None:
            array = self.arrays[key] = np.empty((rows, n))
        return array


def _as_draws(x: np.ndarray, n: int) -> np.ndarray:
    """``x`` (points × 1, or points × draws) as points × ``n`` draws."""
    return x if x.shape[1] == n else np.broadcast_to(x, (x.shape[0], n))


def _down(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Each column's total down the rows of ``x`` (rows × draws), added row by row, into ``out`` when given.

    numpy adds two or more columns row by row, but a lone column as one run of numbers, pairwise,
    which gives other last bits: a block of one draw would not equal the same draw in a larger
    block (nor the kernel's, which adds row by row).
    """
    if x.shape[1] != 1:
        return x.sum(axis=0, out=out)
    total = np.zeros(1) if out is None else out
    total[...] = x[0] if x.shape[0] else 0.0
    for row in x[1:]:
        total += row
    return total


def _clip01(x: np.ndarray) -> np.ndarray:
    np.maximum(x, 0.0, out=x)
    return np.minimum(x, 1.0, out=x)


def _in_service_shares(rate: np.ndarray, out: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Share of capacity entering service in each year (years × draws), and which draws add any.

    Capacity follows the highest run-rate so far (``core.capacity.capex_timing``'s rule,
    rounding noise below 1e-9 of the peak ignored). Running maxima and differences go
    row by row (one contiguous operation a year; numpy's accumulate along the first
    axis is an order of magnitude slower). Written into ``out`` when given.
    """
    added = np.empty_like(rate) if out is None else out
    added[0] = rate[0]
    for i in range(1, rate.shape[0]):
        np.maximum(added[i - 1], rate[i], out=added[i])
    peak = added[-1].copy()
    for i in range(rate.shape[0] - 1, 0, -1):
        added[i] -= added[i - 1]
    # Rounding noise is set to 0 by multiplying by the mask of what is kept: the differences
    # are never negative, so this is putmask's result, without its branch per element (which
    # mispredicts on mixed masks: five times the time here).
    keep = added < 1e-9 * peak
    np.logical_not(keep, out=keep)  # not ``>=``: a NaN stays as putmask leaves it
    np.multiply(added, keep, out=added)
    total = _down(added)
    some = total > 0
    if some.all():  # the usual case: a plain division is faster than one with ``where``
        added /= total
        return added, some
    np.divide(added, total, out=added, where=some)
    added[:, ~some] = 0.0
    return added, some


def _running_total(x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``x``'s running total down the rows, after a row of zeros ((rows + 1) × draws), row by row."""
    out = np.empty((x.shape[0] + 1, x.shape[1])) if out is None else out
    out[0] = 0.0
    for i in range(x.shape[0]):
        np.add(out[i], x[i], out=out[i + 1])
    return out


def _refreshed(first_use: np.ndarray, span: int, live: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Capacity in service by table year with its replacements (``core.economics.refreshed_in_service``).

    Capacity entering service in table year ``k`` is depreciated in the ``span``
    years from ``k``; it is bought again in year ``k + span`` when that year is
    live (not after the draw's last revenue year), and that replacement in turn.
    Row by row, so a replacement is itself replaced. A life as long as the table
    replaces nothing: ``first_use`` itself is returned (read it, don't write it).
    """
    if span >= first_use.shape[0]:  # nothing is bought again inside the table: no copy
        return first_use
    np.copyto(out, first_use)
    for k in range(span, out.shape[0]):
        out[k] += out[k - span] * live[k]
    return out


def _lead_spend(
    plan: _Plan, used: np.ndarray, *, cost: Any, out: np.ndarray, work: np.ndarray | None = None
) -> np.ndarray:
    """Add to ``out`` the capex by table year for ``used`` (capacity entering service by table year) × ``cost``.

    Capacity entering service in table year ``k`` is paid for ``ahead`` years
    earlier in the shares of :func:`core.capacity.capex_lead_shares`, never before
    the signing year (table row ``plan.first_capex_row``: what would land earlier is
    spent in it). ``work``, when given, is a working array of ``used``'s shape.
    """
    rows = used.shape[0]
    for ahead, weight in plan.lead_shares:
        spent = np.multiply(used[ahead:], weight * cost, out=None if work is None else work[: rows - ahead])
        out[: rows - ahead] += spent
    k = plan.first_capex_row  # never before the signing year: what would land earlier is spent in it
    if k > 0:
        out[k] += _down(out[:k])
        out[:k] = 0.0
    return out


def _straight_line(
    used: np.ndarray, cum: np.ndarray, life: _Life, *, cost: Any, out: np.ndarray, work: np.ndarray
) -> np.ndarray:
    """Add to ``out`` the depreciation by table year of ``used`` × ``cost`` (full-year convention,
    :func:`core.economics.depreciation_weights`).

    Capacity entering service in year ``k`` is depreciated ``1 ÷ life`` in that
    year and each of the next ``full − 1``, then ``part ÷ life`` once. With
    ``cum`` the running total of ``used`` (a zero row first), the whole years
    in year ``j`` are ``cum[j + 1] − cum[j + 1 − full]``: two operations a year
    whatever the life. Years after the table (a life running past the contract)
    are left out: they are the residual.
    """
    full, per_year, last_part, _, _ = life
    rows = used.shape[0]
    head = min(full, rows)
    scale = per_year * cost
    np.multiply(cum[1 : head + 1], scale, out=work[:head])  # cum[0] is 0
    if rows > full:
        np.subtract(cum[full + 1 : rows + 1], cum[1 : rows + 1 - full], out=work[full:])
        work[full:] *= scale
    if last_part and rows > full:
        work[full:] += used[: rows - full] * (last_part * cost)
    out += work
    return out
