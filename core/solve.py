"""What you would need to believe: the input value that makes a key figure hit a target.

``solve(a, output, target, input)`` finds the value of one numeric input at
which ``run_model`` gives ``output == target``, everything else as in ``a``
(or its named scenario). Method, stated once:

* **Range**: the input's own rule (``core.assumptions.INPUTS``); an input
  without an upper bound is searched up to ``UNBOUNDED_FACTOR`` times its value
  (or that many units when it is 0); a strict lower bound is approached, not
  touched.
* **Bracket**: candidate values across the range are evaluated at once: ``GRID``
  of them in one pass through the vectorised engine
  (:func:`core.simulation.evaluate`) where the engine computes the output and
  the input may vary, else by ``run_model`` one by one: the two ends (and the
  current value) first, then ``COARSE_GRID`` values when those do not
  change sign; the change of sign of ``output − target`` nearest the input's
  current value brackets the answer.
* **Refine**: the engine's bracket is cut into ``GRID`` again and again, one
  pass each, until it is narrower than ``TOLERANCE`` of the range; otherwise
  ``run_model`` is refined by regula falsi (Illinois). ``achieved`` is always
  ``run_model``'s output at the value returned, so the answer is the model's
  (the engine equals it to 1e-12).
* **No answer**: when no value in the range reaches the target the solver
  refuses with one line naming the range and the output at both ends.

Example: the article's 50 bps of margin dilution in the first full year needs a
GPU-hour far cheaper than the evidence's (a cheaper hour means more GPUs, more
capex and more depreciation for the same revenue).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from core.assumptions import INPUTS, Assumptions, as_assumptions, scenario_assumptions
from core.model import check_output_name, model_outputs
from core.simulation import SIMULATED_OUTPUTS, SIMULATION_INPUTS, evaluate
from core.validation import DealDeskInputError, check_number

__all__ = [
    "COARSE_GRID",
    "GRID",
    "NoSolution",
    "TOLERANCE",
    "UNBOUNDED_FACTOR",
    "Solution",
    "solvable_inputs",
    "solve",
    "solve_range",
]

#: Candidate values evaluated at once by the vectorised engine, to bracket and to refine.
GRID = 129
#: Candidate values evaluated one by one by ``run_model`` where the engine cannot (an output or input
#: it does not vary: the IRR, the margin override).
COARSE_GRID = 17
#: Bisection stops when the bracket is narrower than this share of the search range.
TOLERANCE = 1e-10
#: An input with no upper bound is searched up to this many times its value.
UNBOUNDED_FACTOR = 100.0

_BY_NAME = {spec.name: spec for spec in INPUTS}


class NoSolution(DealDeskInputError):
    """No value in the input's range reaches the target: a fact about the model, not a bad input
    (the command line exits 1 on it, not 2); the message names the range and the output at both ends."""


@dataclasses.dataclass(frozen=True)
class Solution:
    """What :func:`solve` found: the input ``value`` at which ``output`` is ``achieved`` (≈ ``target``)."""

    output: str
    target: float
    input: str
    value: float
    achieved: float
    low: float
    high: float
    base_value: float
    base_output: float | None

    def as_dict(self) -> dict[str, Any]:
        """The solution as plain JSON values (the command line's ``--json``)."""
        return dataclasses.asdict(self)


def solvable_inputs() -> tuple[str, ...]:
    """Inputs the solver may vary: every number, whole number or fraction of ``INPUTS``.

    >>> "price_per_gpu_hour" in solvable_inputs(), "profile" in solvable_inputs()
    (True, False)
    """
    return tuple(s.name for s in INPUTS if s.kind in ("number", "integer", "fraction"))


def solve_range(a: Assumptions, name: str) -> tuple[float, float]:
    """The range the solver searches for input ``name`` (see the module notes).

    >>> solve_range(Assumptions(), "realisation")[1], solve_range(Assumptions(), "price_per_gpu_hour")
    (1.0, (0.01, 1000.0))
    """
    spec = _BY_NAME[name]
    current = getattr(a, name)
    base = float(current) if current is not None else 0.0
    low = float(spec.minimum) if spec.minimum is not None else -UNBOUNDED_FACTOR * max(abs(base), 1.0)
    if spec.strict_min:
        low = low + max(abs(low), 1.0) * 1e-9
    high = float(spec.maximum) if spec.maximum is not None else UNBOUNDED_FACTOR * max(abs(base), 1.0)
    return low, high


def _checked_input(name: Any) -> str:
    if not isinstance(name, str) or name.strip() not in solvable_inputs():
        raise DealDeskInputError(
            f"input must be a numeric input ({', '.join(solvable_inputs())}); got {name!r}"
        )
    return name.strip()


def _value_at(a: Assumptions, name: str, output: str, x: float) -> float | None:
    spec = _BY_NAME[name]
    value: float | int = int(round(x)) if spec.kind == "integer" else x
    try:
        return model_outputs(a.replace(**{name: value}))[output]
    except DealDeskInputError:  # a value the other inputs refuse (a delay as long as the term)
        return None


def _engine(name: str, output: str) -> bool:
    return name in SIMULATION_INPUTS and output in SIMULATED_OUTPUTS


def _grid(a: Assumptions, name: str, output: str, xs: np.ndarray, *, engine: bool) -> np.ndarray:
    """``output`` at every candidate: the engine in one pass, or run_model one by one (NaN: no value)."""
    if engine:
        try:
            return np.asarray(evaluate(a, {name: xs}, outputs=output)[output], dtype=float)
        except DealDeskInputError:
            pass  # an output without a value for these inputs: the model, point by point
    values = [_value_at(a, name, output, float(x)) for x in xs]
    return np.array([np.nan if v is None else float(v) for v in values])


def solve(
    a: Assumptions | None,
    output: str,
    target: float,
    input: str,  # noqa: A002 - the name the analyst knows
    *,
    scenario: str | None = None,
) -> Solution:
    """The value of ``input`` at which ``run_model`` gives ``output == target``.

    Parameters
    ----------
    a : Assumptions, optional
        The other inputs (default: the AWS–OpenAI base case).
    output : str
        A key figure (``core.model.OUTPUTS``).
    target : float
        The value wanted, in the output's unit (−50 for 50 bps of dilution).
    input : str
        A numeric input (:func:`solvable_inputs`).
    scenario : str, optional, keyword-only
        A named scenario applied to ``a`` first.

    Returns
    -------
    Solution
        ``value`` and ``achieved`` (the model's output there), with the range searched.

    Raises
    ------
    DealDeskInputError
        An unknown output or input, or a bad target.
    NoSolution
        No value in the input's range reaches the target (a ``DealDeskInputError`` whose message
        names the range and the output at both ends).

    Examples
    --------
    The price per GPU-hour at which AWS's margin falls 50 bps in the first full year:

    >>> s = solve(None, "margin_bps_year2", -50, "price_per_gpu_hour")
    >>> abs(s.achieved - (-50)) < 1e-6, s.value < Assumptions().price_per_gpu_hour
    (True, True)
    """
    base = as_assumptions("a", a)
    if scenario is not None:
        base = scenario_assumptions(base, scenario)
    name = _checked_input(input)
    key = check_output_name(output)
    want = check_number("target", target)
    low, high = solve_range(base, name)
    engine = _engine(name, key)
    current = getattr(base, name)
    current_value = float(current) if current is not None else None
    interior = [current_value] if current_value is not None and low < current_value < high else []
    bracket = None
    if not engine:  # the model one run at a time: the two ends and the current value first
        first = np.array([low, *interior, high], dtype=float)
        bracket = _bracket(first, _grid(base, name, key, first, engine=False) - want, current_value)
    if bracket is None:
        xs = np.linspace(low, high, GRID if engine else COARSE_GRID)
        if interior:
            xs = np.unique(np.append(xs, interior))
        bracket = _bracket(xs, _grid(base, name, key, xs, engine=engine) - want, current_value)
    base_output = model_outputs(base)[key]
    if bracket is None:
        ends = [_value_at(base, name, key, x) for x in (low, high)]
        # An end the model puts exactly on the target is the answer, though the engine's grid, equal
        # to the model only to 1e-12, may show no change of sign there.
        bracket = next(((x, x) for x, v in zip((low, high), ends, strict=True) if v == want), None)
    if bracket is None:
        shown = ", ".join("no value" if v is None else f"{v:,.6g}" for v in ends)
        raise NoSolution(
            f"no value of {name} in its range [{low:,.6g}, {high:,.6g}] gives {key} = {want:,.6g}: "
            f"{key} is {shown} at the two ends"
        )
    span = TOLERANCE * (high - low)
    lo, hi = bracket
    if engine:
        while hi - lo > span:
            inner = np.linspace(lo, hi, GRID)
            found = _bracket(inner, _grid(base, name, key, inner, engine=True) - want, None)
            if found is None or found == (lo, hi):
                break
            lo, hi = found
        value = (lo + hi) / 2
    else:
        value = _regula_falsi(lambda x: _value_at(base, name, key, x), want, lo, hi, span)
    if _BY_NAME[name].kind == "integer":
        value = float(round(value))
    achieved = _value_at(base, name, key, value)
    return Solution(
        output=key,
        target=want,
        input=name,
        value=value,
        achieved=float("nan") if achieved is None else float(achieved),
        low=low,
        high=high,
        base_value=float("nan") if current_value is None else current_value,
        base_output=None if base_output is None else float(base_output),
    )


def _regula_falsi(f: Any, want: float, lo: float, hi: float, span: float) -> float:
    """A root of ``f(x) − want`` in a bracket, by regula falsi with the Illinois rule (each step one
    ``run_model``); bisects where ``f`` has no value."""
    f_lo, f_hi = f(lo), f(hi)
    if f_lo is None or f_hi is None:
        return (lo + hi) / 2
    d_lo, d_hi = f_lo - want, f_hi - want
    if d_lo == 0:
        return lo
    if d_hi == 0:
        return hi
    side = 0
    for _ in range(100):
        x = hi - d_hi * (hi - lo) / (d_hi - d_lo) if d_hi != d_lo else (lo + hi) / 2
        if not lo < x < hi:
            x = (lo + hi) / 2
        fx = f(x)
        if fx is None:
            x = (lo + hi) / 2
            fx = f(x)
            if fx is None:
                return x
        d = fx - want
        if d == 0 or hi - lo <= span:
            return x
        if (d < 0) == (d_lo < 0):
            lo, d_lo = x, d
            if side == -1:
                d_hi /= 2
            side = -1
        else:
            hi, d_hi = x, d
            if side == 1:
                d_lo /= 2
            side = 1
        if abs(d) <= 1e-12 * max(1.0, abs(want)):
            return x
    return (lo + hi) / 2


def _bracket(xs: np.ndarray, diff: np.ndarray, current: float | None) -> tuple[float, float] | None:
    """The neighbouring candidates where ``diff`` changes sign, nearest the current value first."""
    ok = np.isfinite(diff)
    pairs = []
    for i in range(xs.size - 1):
        if ok[i] and ok[i + 1] and (diff[i] == 0 or diff[i] * diff[i + 1] < 0):
            pairs.append((float(xs[i]), float(xs[i + 1])))
    if ok[-1] and diff[-1] == 0:
        pairs.append((float(xs[-1]), float(xs[-1])))
    if not pairs:
        return None
    if current is None or math.isnan(current):
        return pairs[0]
    return min(pairs, key=lambda p: abs((p[0] + p[1]) / 2 - current))
