"""Scenarios and sensitivities over any output of the whole model.

* ``scenario_outputs``: named scenarios (``core.assumptions.SCENARIOS``: base,
  bull, bear, as overrides on one set of assumptions) side by side.
* ``sensitivity``: a two-way grid of one output over two inputs.
* ``tornado``: each input moved to a low and a high value on its own, sorted by
  how far it moves the output.

Every number comes from :func:`core.model.run_model`. When the inputs varied
and the output are all covered by the vectorised engine
(:data:`core.simulation.SIMULATION_INPUTS`, :data:`core.simulation.SIMULATED_OUTPUTS`)
the grid is computed in one vectorised call, which the tests prove equal to
``run_model`` cell by cell.

A figure with no value for some inputs (``None`` in ``run_model``, e.g. the
payback year of a deal that never pays back) is ``<NA>`` in these tables: their
value columns are then nullable floats (``Float64``), never NaN.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from core.assumptions import INPUTS, SCENARIOS, Assumptions, as_assumptions, scenario_assumptions
from core.model import OUTPUTS, check_output_name, model_outputs, model_table, require_value
from core.simulation import SIMULATED_OUTPUTS, SIMULATION_INPUTS, evaluate
from core.validation import DealDeskInputError, check_number, limit

__all__ = [
    "MAX_GRID_CELLS",
    "MAX_MODEL_RUNS",
    "scenario_output",
    "scenario_table",
    "scenario_outputs",
    "sensitivity",
    "tornado",
]

_SPECS = {spec.name: spec for spec in INPUTS}

#: Most cells a grid computed by the vectorised engine may hold (DEALDESK_MAX_GRID_CELLS): 100 x 100.
#: Each cell costs about 2.5 kB there: 1,000 x 1,000 cells took 2.4 GB and 10 s.
MAX_GRID_CELLS = 10_000
#: Most full model runs one grid or tornado may take (DEALDESK_MAX_MODEL_RUNS), when its output or
#: inputs are outside the vectorised engine (the IRR, the payback year, the term...): each run takes
#: 0.06 to 0.2 s, so 200 runs take up to 40 s. A tornado over every input takes 2 x 57 + 1 = 115.
MAX_MODEL_RUNS = 200
_LABELS = {spec.name: spec for spec in OUTPUTS}


def _base(a: Assumptions | None) -> Assumptions:
    return as_assumptions("a", a)


def _column(values: Sequence[float | None]) -> Any:
    """Values as a table column: plain floats, or nullable ``Float64`` when some have no value."""
    if any(v is None for v in values):
        return pd.array(list(values), dtype="Float64")
    return np.asarray(values, dtype=float)


def _names(names: Iterable[str] | str | None) -> list[str]:
    if names is None:
        return [spec.name for spec in OUTPUTS]
    items = [names] if isinstance(names, str) else list(names)
    if not items:
        raise DealDeskInputError("names must list at least one output, got none")
    return [check_output_name(n) for n in items]


def scenario_outputs(
    a: Assumptions | None = None,
    names: Iterable[str] | str | None = None,
    scenarios: Sequence[str] = tuple(SCENARIOS),
) -> pd.DataFrame:
    """Key figures under named scenarios, side by side.

    Parameters
    ----------
    a : Assumptions, optional
        The base inputs each scenario's overrides are applied to.
    names : output names, optional
        Outputs to show (all of ``core.model.OUTPUTS`` by default).
    scenarios : sequence of str
        Names from ``core.assumptions.SCENARIOS``.

    Returns
    -------
    pandas.DataFrame
        ``output``, ``label``, ``unit``, then one column per scenario.

    Examples
    --------
    The bear case (two quarters of delay, a later ramp) against the base, the bull case (an earlier ramp):

    >>> t = scenario_outputs(None, ["ramp_year2"]).set_index("output")
    >>> bool(t.loc["ramp_year2", "bear"] < t.loc["ramp_year2", "base"] < t.loc["ramp_year2", "bull"])
    True
    """
    base = _base(a)
    wanted = _names(names)
    if isinstance(scenarios, str) or not scenarios:
        raise DealDeskInputError(
            f"scenarios must be a list of names from {', '.join(SCENARIOS)}, got {scenarios!r}"
        )
    columns = {}
    for scenario in scenarios:
        result = model_outputs(scenario_assumptions(base, scenario))
        columns[str(scenario).strip().lower()] = _column([result[n] for n in wanted])
    table = pd.DataFrame(
        {
            "output": wanted,
            "label": [_LABELS[n].label for n in wanted],
            "unit": [_LABELS[n].unit for n in wanted],
            **columns,
        }
    )
    return table


def scenario_output(a: Assumptions | None, scenario: str, name: str) -> float:
    """One key figure under a named scenario (its overrides applied to ``a``).

    Like :func:`core.model.model_output`, a figure with no value raises
    :class:`core.model.NoValueError` saying why.

    The bear case's margin change in the first full year (FY2026), in bps:

    >>> round(scenario_output(None, "bear", "margin_bps_year2"), 1)
    -26.9
    """
    key = check_output_name(name)
    return require_value(key, model_outputs(scenario_assumptions(_base(a), scenario))[key])


def scenario_table(
    a: Assumptions | None,
    scenario: str | None,
    table: str,
    key: Any = None,
    column: str | None = None,
    **options: Any,
) -> Any:
    """A table of the model run under a named scenario, or one value of it (see ``core.model.model_table``).

    ``scenario`` blank (``None``) is the base case; ``options`` are ``model_table``'s (``if_missing``).

    >>> round(scenario_table(None, "bear", "economics", 2026, "revenue"), 3)
    0.842
    """
    return model_table(scenario_assumptions(_base(a), scenario or "base"), table, key, column, **options)


def _values(name: str, values: Any) -> list[Any]:
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray, pd.Series)):
        raise DealDeskInputError(f"{name} must be a list of values, got {values!r}")
    items = [v for v in np.asarray(values, dtype=object).ravel().tolist() if v is not None and v != ""]
    if not items:
        raise DealDeskInputError(f"{name} must hold at least one value, got none")
    return items


def _input_name(arg: str, name: Any) -> str:
    if not isinstance(name, str) or name.strip() not in _SPECS:
        raise DealDeskInputError(f"{arg} must be an input name (see core.assumptions.INPUTS), got {name!r}")
    return name.strip()


def _vectorised(a: Assumptions, output: str, keys: Iterable[str]) -> bool:
    """True when the vectorised engine computes ``output`` with the inputs ``keys`` varied."""
    fast = output in SIMULATED_OUTPUTS and set(keys) <= set(SIMULATION_INPUTS)
    if fast and output == "coverage_target_year":
        fast = model_outputs(a)[output] is not None  # the engine leaves an undefined ratio out
    return fast


def _check_grid_size(a: Assumptions, output: str, keys: Iterable[str], cells: int, what: str) -> None:
    """Refuse a grid of ``cells`` cells beyond ``MAX_GRID_CELLS`` (``MAX_MODEL_RUNS`` when each is a run).

    ``what`` says where the count comes from (``"row_values x col_values"``).
    Checked before the grid is built: 10,000 x 10,000 values would need some
    250 GB (vectorised) or days (one run each).

    >>> _check_grid_size(Assumptions(), "irr", ["realisation"], 201, "row_values x col_values")
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: row_values x col_values make 201 cells, each a full model run (irr is not vectorised); the limit is 200 runs (MAX_MODEL_RUNS; raise it with the environment variable DEALDESK_MAX_MODEL_RUNS)
    """
    if _vectorised(a, output, keys):
        maximum = limit("MAX_GRID_CELLS", MAX_GRID_CELLS)
        if cells > maximum:
            raise DealDeskInputError(
                f"{what} make {cells:,} cells; the limit is {maximum:,} cells (MAX_GRID_CELLS, about "
                f"{maximum * 2_500 / 1e6:,.0f} MB of memory; raise it with the environment variable "
                "DEALDESK_MAX_GRID_CELLS)"
            )
        return
    maximum = limit("MAX_MODEL_RUNS", MAX_MODEL_RUNS)
    if cells > maximum:
        varied = sorted(set(keys) - set(SIMULATION_INPUTS))
        why = (
            f"{output} is not vectorised"
            if output not in SIMULATED_OUTPUTS or not varied
            else (f"{', '.join(varied)} {'is' if len(varied) == 1 else 'are'} not vectorised")
        )
        raise DealDeskInputError(
            f"{what} make {cells:,} cells, each a full model run ({why}); the limit is {maximum:,} runs "
            "(MAX_MODEL_RUNS; raise it with the environment variable DEALDESK_MAX_MODEL_RUNS)"
        )


def _grid(a: Assumptions, output: str, changes: list[dict[str, Any]]) -> np.ndarray:
    """The output for each set of input changes: vectorised when possible, else one run each.

    Floats, or objects with ``None`` where the output has no value.
    """
    keys = set().union(*changes) if changes else set()
    if _vectorised(a, output, keys):
        columns = {k: np.array([float(c.get(k, getattr(a, k))) for c in changes]) for k in keys}
        return evaluate(a, columns, outputs=output)[output]
    values = [model_outputs(a.replace(**c))[output] for c in changes]
    return np.array(values, dtype=object if None in values else float)


def sensitivity(
    a: Assumptions | None,
    output: str,
    row_input: str,
    row_values: Sequence[Any],
    col_input: str,
    col_values: Sequence[Any],
    *,
    flat: bool = False,
) -> pd.DataFrame:
    """A two-way sensitivity grid: ``output`` for every pair of row and column input values.

    Parameters
    ----------
    a : Assumptions, optional
        The inputs not varied.
    output : str
        A name from ``core.model.OUTPUTS``.
    row_input, col_input : str
        Names from ``core.assumptions.INPUTS`` (different); each value must meet
        the input's rule.
    row_values, col_values : sequence
        The values to try.
    flat : bool, keyword-only
        Return the row values as the first column (headed ``"row \\ col"``)
        instead of the index: the layout of a spreadsheet grid.

    Returns
    -------
    pandas.DataFrame
        Index: the row values (named ``row_input``); columns: the column values
        (named ``col_input``); cells: the output.

    Examples
    --------
    Margin change in the first full year by price per GPU-hour and other costs (bps):
    a lower price means a bigger fleet for the same revenue, so more depreciation.

    >>> g = sensitivity(None, "margin_bps_year2", "price_per_gpu_hour", [2.0, 3.0], "other_opex_share", [0.1, 0.2])
    >>> bool(g.loc[2.0, 0.2] < g.loc[3.0, 0.1])
    True
    """
    base = _base(a)
    name = check_output_name(output)
    row, col = _input_name("row_input", row_input), _input_name("col_input", col_input)
    if row == col:
        raise DealDeskInputError(f"row_input and col_input must differ, got {row!r} twice")
    row_items, col_items = _values("row_values", row_values), _values("col_values", col_values)
    _check_grid_size(base, name, (row, col), len(row_items) * len(col_items), "row_values x col_values")
    rows = [getattr(base.replace(**{row: v}), row) for v in row_items]
    cols = [getattr(base.replace(**{col: v}), col) for v in col_items]
    changes = [{row: r, col: c} for r in rows for c in cols]
    cells = _grid(base, name, changes).reshape(len(rows), len(cols))
    grid = pd.DataFrame(cells, index=pd.Index(rows, name=row), columns=pd.Index(cols, name=col))
    if cells.dtype == object:  # some cells have no value: <NA>, never NaN
        grid = grid.astype("Float64")
    if flat:
        grid = grid.rename_axis(index=f"{row} \\ {col}", columns=None).reset_index()
    return grid


def _tornado_range(base: Assumptions, name: str, swing: float, ranges: Mapping[str, Any]) -> tuple[Any, Any]:
    spec = _SPECS[name]
    if name in ranges:
        pair = list(ranges[name])
        if len(pair) != 2:
            raise DealDeskInputError(f"range of {name} must be a (low, high) pair, got {ranges[name]!r}")
        return tuple(spec.coerce(v) for v in pair)  # type: ignore[return-value]
    if spec.kind not in ("number", "fraction", "integer"):
        raise DealDeskInputError(f"{name} is not a number; give its (low, high) in ranges")
    if getattr(base, name) is None:
        raise DealDeskInputError(f"{name} is blank in the base case; give its (low, high) in ranges")
    value = float(getattr(base, name))
    lo, hi = value * (1 - swing), value * (1 + swing)
    lo, hi = min(lo, hi), max(lo, hi)
    if spec.minimum is not None:
        lo, hi = max(lo, spec.minimum), max(hi, spec.minimum)
    if spec.maximum is not None:
        lo, hi = min(lo, spec.maximum), min(hi, spec.maximum)
    if spec.kind == "integer" or spec.unit == "GPUs":  # whole numbers: 72 GPUs per rack ± 10% is 65 and 79
        lo, hi = round(lo), round(hi)
    if name == "term_years":  # a schedule needs whole months: the swing is rounded to them
        lo, hi = max(round(lo * 12), 1) / 12, round(hi * 12) / 12
    return spec.coerce(lo), spec.coerce(hi)


def tornado(
    a: Assumptions | None,
    output: str,
    inputs: Iterable[str] | None = None,
    *,
    swing: float = 0.10,
    ranges: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Tornado ranges: each input moved on its own to a low and a high value.

    Parameters
    ----------
    a : Assumptions, optional
        The base inputs.
    output : str
        A name from ``core.model.OUTPUTS``.
    inputs : names, optional
        Inputs to move (default: every number in ``SIMULATION_INPUTS``, plus
        those in ``ranges``).
    swing : float, keyword-only
        Low and high as the base value × (1 ∓ swing), a fraction (0.10 = ±10%),
        kept inside each input's rule (the term rounded to whole months: 7 years
        ± 10% is 6.3 and 7.7, i.e. 76 and 92 months; whole numbers and counts of
        GPUs to whole numbers: 72 GPUs per rack ± 10% is 65 and 79).
    ranges : mapping, keyword-only
        Explicit ``name -> (low, high)`` values, overriding ``swing``.

    Returns
    -------
    pandas.DataFrame
        ``input``, ``base_value``, ``low_value``, ``high_value``, ``output_low``,
        ``output_high``, ``base_output`` and ``range`` (|output_high −
        output_low|), sorted by ``range``, largest first.

    Examples
    --------
    What moves the deal NPV most, ±10% on each input:

    >>> t = tornado(None, "npv", ["price_per_gpu_hour", "tax_rate", "prior_close"])
    >>> t["input"].tolist()[0], float(t.loc[t["input"] == "prior_close", "range"].iloc[0])
    ('price_per_gpu_hour', 0.0)
    """
    base = _base(a)
    name = check_output_name(output)
    s = check_number("swing", swing, minimum=0, maximum=1)
    given = dict(ranges or {})
    for key in given:
        _input_name("ranges", key)
    if inputs is None:
        chosen = list(SIMULATION_INPUTS)
        chosen += [n for n in given if n not in chosen]
    else:
        chosen = [_input_name("inputs", n) for n in ([inputs] if isinstance(inputs, str) else list(inputs))]
        if not chosen:
            raise DealDeskInputError("inputs must list at least one input name, got none")
    bounds = {n: _tornado_range(base, n, s, given) for n in chosen}
    _check_grid_size(base, name, chosen, 2 * len(chosen) + 1, "the inputs' low and high values and the base")
    changes = [{n: bounds[n][0]} for n in chosen] + [{n: bounds[n][1]} for n in chosen] + [{}]
    values = _grid(base, name, changes)
    k = len(chosen)
    table = pd.DataFrame(
        {
            "input": chosen,
            "base_value": [getattr(base, n) for n in chosen],
            "low_value": [bounds[n][0] for n in chosen],
            "high_value": [bounds[n][1] for n in chosen],
            "output_low": _column(values[:k].tolist()),
            "output_high": _column(values[k : 2 * k].tolist()),
            "base_output": _column([values[-1]] * k),
        }
    )
    table["range"] = (table["output_high"] - table["output_low"]).abs()
    return table.sort_values("range", ascending=False, kind="stable").reset_index(drop=True)
