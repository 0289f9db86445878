"""Probability distributions of model inputs for the Monte Carlo engine.

Six kinds, each built by a function named after it: :func:`uniform`,
:func:`triangular`, :func:`normal`, :func:`lognormal` (given the mean and
standard deviation of the value itself), :func:`pert` (a scaled beta) and
:func:`discrete` (values with probabilities). :func:`distribution` builds one
from a spreadsheet row (kind, then parameters). A :class:`Distribution`
samples from a seeded numpy ``Generator``; :mod:`core.simulation` decides
which generator (and so which numbers) each draw gets.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from core.validation import DealDeskInputError, check_choice, check_number

__all__ = [
    "DISTRIBUTION_KINDS",
    "Distribution",
    "as_distribution",
    "discrete",
    "distribution",
    "lognormal",
    "normal",
    "pert",
    "triangular",
    "uniform",
]

DISTRIBUTION_KINDS = ("uniform", "triangular", "normal", "lognormal", "pert", "discrete")


@dataclasses.dataclass(frozen=True)
class Distribution:
    """A distribution of one input: ``kind`` (one of ``DISTRIBUTION_KINDS``) and its parameters.

    Build with :func:`uniform`, :func:`triangular`, :func:`normal`,
    :func:`lognormal`, :func:`pert`, :func:`discrete` or :func:`distribution`.
    """

    kind: str
    params: tuple[float, ...]
    probabilities: tuple[float, ...] = ()

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` draws from ``rng`` (a numpy Generator)."""
        p = self.params
        if self.kind == "uniform":
            return rng.uniform(p[0], p[1], n)
        if self.kind == "triangular":
            terms = self.triangular_terms()
            if terms is None:
                return np.full(n, p[0])
            return triangular_from_uniforms(terms, rng.random(n))
        if self.kind == "normal":
            return rng.normal(p[0], p[1], n)
        if self.kind == "lognormal":
            sigma2 = math.log1p((p[1] / p[0]) ** 2)
            return rng.lognormal(math.log(p[0]) - sigma2 / 2, math.sqrt(sigma2), n)
        if self.kind == "pert":
            low, mode, high, lamb = p
            if high == low:
                return np.full(n, low)
            alpha = 1 + lamb * (mode - low) / (high - low)
            beta = 1 + lamb * (high - mode) / (high - low)
            return low + (high - low) * rng.beta(alpha, beta, n)
        return _discrete_draws(np.asarray(p, dtype=float), np.asarray(self.probabilities), rng.random(n))

    def triangular_terms(self) -> tuple[float, float, float, float, float] | None:
        """A triangular draw's terms, ``(left, right, ratio, leftprod, rightprod)``, else None.

        numpy's ``Generator.triangular`` turns one uniform ``u`` (``Generator.random``'s next
        number) into ``left + sqrt(u × leftprod)`` when ``u <= ratio``, else ``right −
        sqrt((1 − u) × rightprod)``, with these terms worked out as here; a kernel given the
        uniforms and the terms gives the same draws. None for a triangular of zero width
        (every draw its one value) and for the other kinds.

        >>> triangular(1, 2, 5).triangular_terms()
        (1.0, 5.0, 0.25, 4.0, 12.0)
        """
        if self.kind != "triangular" or self.params[0] == self.params[2]:
            return None
        left, mode, right = (float(x) for x in self.params)
        base = right - left
        leftbase = mode - left
        return left, right, leftbase / base, leftbase * base, (right - mode) * base

    @property
    def upper(self) -> float:
        """Largest value a draw can take (``inf`` for normal and lognormal)."""
        if self.kind in ("normal", "lognormal"):
            return math.inf
        if self.kind == "uniform":
            return self.params[1]
        if self.kind in ("triangular", "pert"):
            return self.params[2]
        return max(self.params)

    @property
    def mean(self) -> float:
        """The distribution's mean (before clipping to an input's bounds)."""
        p = self.params
        if self.kind == "uniform":
            return (p[0] + p[1]) / 2
        if self.kind == "triangular":
            return (p[0] + p[1] + p[2]) / 3
        if self.kind in ("normal", "lognormal"):
            return p[0]
        if self.kind == "pert":
            return (p[0] + p[3] * p[1] + p[2]) / (p[3] + 2)
        return float(np.dot(p, self.probabilities))


def triangular_from_uniforms(terms: tuple[float, float, float, float, float], u: np.ndarray) -> np.ndarray:
    """The draws ``Generator.triangular`` gives from its uniforms ``u``, over whole arrays (``u`` is
    overwritten with them and returned); ``terms`` are :meth:`Distribution.triangular_terms`.

    numpy works its formula out one draw at a time (``random_triangular`` in
    numpy/random/src/distributions/distributions.c); the same operations over arrays give the
    same draws bit for bit (the tests compare them). Both branches are computed and each draw
    takes its own by its bits: ``np.where`` and masked copies branch per element, which
    mispredicts on a random mask and costs more than the arithmetic.
    """
    left, right, ratio, leftprod, rightprod = terms
    n = u.size
    scratch = np.empty(2 * n)  # one allocation for both working arrays
    below, pick = scratch[:n], scratch[n:].view(np.int64)
    np.less_equal(u, ratio, out=pick)  # 1 where the uniform is on the left of the mode, else 0
    np.negative(pick, out=pick)  # every bit set where it is, none where it is not
    np.multiply(u, leftprod, out=below)  # left + sqrt(u × leftprod)
    np.sqrt(below, out=below)
    below += left
    above = np.subtract(1.0, u, out=u)  # right − sqrt((1 − u) × rightprod)
    above *= rightprod
    np.sqrt(above, out=above)
    np.subtract(right, above, out=above)
    bits, below_bits = above.view(np.int64), below.view(np.int64)
    np.bitwise_and(below_bits, pick, out=below_bits)
    np.invert(pick, out=pick)
    np.bitwise_and(bits, pick, out=bits)
    np.bitwise_or(bits, below_bits, out=bits)
    return above


def _discrete_draws(values: np.ndarray, probabilities: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The draws ``rng.choice(values.size, size=n, p=probabilities)`` indexes, from its uniforms ``u``.

    numpy's ``choice`` normalises the running total of ``p`` (``cdf /= cdf[-1]``) and takes, for
    each uniform, the number of cumulative shares at or below it (``searchsorted(side="right")``);
    counting them one share at a time gives the same index (the tests compare the two draw for
    draw) at half the cost for a few values. ``u`` is overwritten.
    """
    cdf = probabilities.cumsum()
    cdf /= cdf[-1]
    # Counted in the smallest integer that holds the number of values (a byte for a few: the
    # additions and the gather's index cast move an eighth of the memory of a full-width count).
    index = np.zeros(u.size, dtype=np.min_scalar_type(cdf.size))
    at_or_below = np.empty(u.size, dtype=bool)
    for share in cdf:
        np.greater_equal(u, share, out=at_or_below)
        np.add(index, at_or_below, out=index)
    return np.take(values, index, out=u)


def uniform(low: float, high: float) -> Distribution:
    """Uniform on [low, high].

    >>> uniform(0.90, 0.95).mean
    0.925
    """
    lo, hi = check_number("low", low), check_number("high", high)
    if hi < lo:
        raise DealDeskInputError(f"high must be >= low ({lo:g}), got {hi:g}")
    return Distribution("uniform", (lo, hi))


def triangular(low: float, mode: float, high: float) -> Distribution:
    """Triangular with the given minimum, most likely value and maximum.

    >>> round(triangular(0.10, 0.15, 0.35).mean, 4)
    0.2
    """
    lo, mo, hi = check_number("low", low), check_number("mode", mode), check_number("high", high)
    if not lo <= mo <= hi:
        raise DealDeskInputError(f"triangular needs low <= mode <= high, got {lo:g}, {mo:g}, {hi:g}")
    return Distribution("triangular", (lo, mo, hi))


def normal(mean: float, sd: float) -> Distribution:
    """Normal with a mean and a standard deviation (>= 0).

    >>> normal(0.05, 0.15).params
    (0.05, 0.15)
    """
    return Distribution("normal", (check_number("mean", mean), check_number("sd", sd, minimum=0)))


def lognormal(mean: float, sd: float) -> Distribution:
    """Lognormal given the mean (> 0) and standard deviation (>= 0) of the value itself.

    >>> lognormal(3.0, 0.5).mean
    3.0
    """
    return Distribution(
        "lognormal",
        (check_number("mean", mean, minimum=0, strict_min=True), check_number("sd", sd, minimum=0)),
    )


def pert(low: float, mode: float, high: float, *, lamb: float = 4.0) -> Distribution:
    """PERT (a scaled beta) with minimum, most likely value, maximum and shape ``lamb`` (4 by default).

    >>> round(pert(0.0, 1.0, 8.0).mean, 6)
    2.0
    """
    lo, mo, hi = check_number("low", low), check_number("mode", mode), check_number("high", high)
    if not lo <= mo <= hi:
        raise DealDeskInputError(f"pert needs low <= mode <= high, got {lo:g}, {mo:g}, {hi:g}")
    return Distribution("pert", (lo, mo, hi, check_number("lamb", lamb, minimum=0, strict_min=True)))


def discrete(values: Sequence[float], probabilities: Sequence[float] | None = None) -> Distribution:
    """Discrete values with probabilities summing to 1 (equal when omitted).

    >>> discrete([0, 1, 2], [0.5, 0.3, 0.2]).mean
    0.7
    """
    vals = tuple(check_number("values", v) for v in values)
    if not vals:
        raise DealDeskInputError("values must hold at least one number, got none")
    probs = (
        tuple(check_number("probabilities", p, minimum=0) for p in probabilities)
        if probabilities is not None
        else ((1.0 / len(vals),) * len(vals))
    )
    if len(probs) != len(vals):
        raise DealDeskInputError(
            f"probabilities must have one value per value ({len(vals)}), got {len(probs)}"
        )
    if abs(sum(probs) - 1.0) > 1e-9:
        raise DealDeskInputError(f"probabilities must sum to 1, got {sum(probs):g}")
    total = sum(probs)
    return Distribution("discrete", vals, tuple(p / total for p in probs))


def _split_numbers(name: str, value: Any) -> list[float]:
    if isinstance(value, str):
        parts = [p for p in value.replace(";", ",").split(",") if p.strip()]
        try:
            return [float(p) for p in parts]
        except ValueError:
            raise DealDeskInputError(f"{name} must be numbers separated by commas, got {value!r}") from None
    if isinstance(value, (list, tuple, np.ndarray)):
        return [check_number(name, v) for v in value]
    return [check_number(name, value)]


def distribution(kind: str, *params: Any) -> Distribution:
    """A distribution from its kind and positional parameters (the spreadsheet's row form).

    ``uniform low high``, ``triangular low mode high``, ``normal mean sd``,
    ``lognormal mean sd``, ``pert low mode high [lamb]``, ``discrete values
    [probabilities]`` (each a list or text such as ``"0, 1, 2"``). Blank
    (None) trailing parameters are ignored.

    >>> distribution("discrete", "0, 2", "0.5, 0.5").mean
    1.0
    """
    name = check_choice("kind", kind, DISTRIBUTION_KINDS)
    args = list(params)
    while args and (args[-1] is None or (isinstance(args[-1], str) and not args[-1].strip())):
        args.pop()
    need = {
        "uniform": (2, 2),
        "triangular": (3, 3),
        "normal": (2, 2),
        "lognormal": (2, 2),
        "pert": (3, 4),
        "discrete": (1, 2),
    }[name]
    if not need[0] <= len(args) <= need[1]:
        raise DealDeskInputError(
            f"a {name} distribution takes {need[0]}"
            + (f" or {need[1]}" if need[1] != need[0] else "")
            + f" parameters, got {len(args)}"
        )
    if name == "discrete":
        return discrete(
            _split_numbers("values", args[0]),
            _split_numbers("probabilities", args[1]) if len(args) > 1 else None,
        )
    if name == "pert":
        return pert(*args[:3], **({"lamb": args[3]} if len(args) > 3 else {}))
    two: dict[str, Any] = {"uniform": uniform, "normal": normal, "lognormal": lognormal}
    return triangular(*args) if name == "triangular" else two[name](*args)


def as_distribution(name: str, value: Any) -> Distribution:
    """A :class:`Distribution`, or one built from ``(kind, parameters...)``; ``name`` labels errors.

    >>> as_distribution("realisation", ("uniform", 0.9, 0.95)) == uniform(0.9, 0.95)
    True
    """
    if isinstance(value, Distribution):
        return value
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], str):
        return distribution(value[0], *value[1:])
    raise DealDeskInputError(
        f"distribution of {name} must be a Distribution or (kind, parameters...), got {value!r}"
    )
