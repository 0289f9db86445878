"""A simulation's draws and what is read from them: summaries, probabilities, the risk questions."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from core.validation import DealDeskInputError

# --------------------------------------------------------------------------- results


@dataclasses.dataclass
class SimulationResult:
    """Draws of the simulated outputs, with summaries.

    ``values`` maps each requested output to its draws (a float array, one
    value per draw, in draw order; for an output that no simulated input
    moves, a read-only view of its one value); ``inputs`` maps each simulated
    input to its draws when they were kept.
    """

    values: dict[str, np.ndarray]
    inputs: dict[str, np.ndarray]
    draws: int
    seed: int

    def probability(self, name: str, *, below: float | None = None, above: float | None = None) -> float:
        """Share of draws with ``name`` strictly below ``below`` or strictly above ``above``."""
        if (below is None) == (above is None):
            raise DealDeskInputError("give exactly one of below or above")
        x = self._get(name)
        return float(np.mean(x < below) if below is not None else np.mean(x > above))

    def _get(self, name: str) -> np.ndarray:
        if name not in self.values:
            raise DealDeskInputError(f"output must be one of {', '.join(self.values)}; got {name!r}")
        return self.values[name]

    def summary(self, percentiles: Iterable[float] = (5, 25, 50, 75, 95)) -> pd.DataFrame:
        """One row per output: mean, stdev, standard error of the mean, min, percentiles, max."""
        pcts = [float(p) for p in percentiles]
        rows = []
        for name, x in self.values.items():
            if x.size and x.strides == (0,):  # stored once: every draw is this value, exactly
                value = float(x[0])
                rows.append([name, value, 0.0, 0.0, value, *[value] * len(pcts), value])
                continue
            q = np.percentile(x, pcts) if pcts else []
            sd = float(x.std(ddof=1)) if x.size > 1 else 0.0
            rows.append(
                [
                    name,
                    float(x.mean()),
                    sd,
                    sd / math.sqrt(x.size),
                    float(x.min()),
                    *map(float, q),
                    float(x.max()),
                ]
            )
        cols = ["output", "mean", "stdev", "se_mean", "min", *[f"p{p:g}" for p in pcts], "max"]
        return pd.DataFrame(rows, columns=cols)

    def to_frame(self) -> pd.DataFrame:
        """The draws as a DataFrame (inputs then outputs), one row per draw."""
        return pd.DataFrame({**self.inputs, **self.values})


#: The article's three risk questions: (label, output, "below"/"above", threshold). None is
#: true by construction: a ramp always earns less than the straight line in its first full
#: fiscal year (the margin figures' year, core.schedule.first_full_fiscal_year), so the first
#: asks by how much (more than one point of segment growth); the second takes the low end of
#: the article's 50–100 bps margin hit.
RISK_QUESTIONS: tuple[tuple[str, str, str, float], ...] = (
    (
        "P(straight line overstates first-full-year segment growth by more than 1 point)",
        "growth_pp_gap_year2",
        "above",
        1.0,
    ),
    ("P(margin dilution beyond 50 bps in any full year)", "margin_bps_peak", "below", -50.0),
    ("P(market value above the threshold by 2027)", "market_value_passes", "above", 0.5),
)


def risk_questions(result: SimulationResult) -> pd.DataFrame:
    """The article's risk questions answered from a simulation, with the standard error.

    A question whose figure has no value for these inputs (no market-value threshold set)
    has no probability: ``None`` (shown as n/a).

    >>> from core.simulation import simulate
    >>> t = risk_questions(simulate(draws=1_000, seed=1))
    >>> bool(t["probability"].between(0, 1).all())
    True
    """
    rows: list[tuple[str, str, str, float, float | None, float | None]] = []
    for label, name, side, threshold in RISK_QUESTIONS:
        if name not in result.values:  # the figure has no value here (no market-value threshold)
            rows.append((label, name, side, threshold, None, None))
            continue
        p = result.probability(name, **{side: threshold})
        rows.append((label, name, side, threshold, p, math.sqrt(p * (1 - p) / result.draws)))
    return pd.DataFrame(rows, columns=["question", "output", "side", "threshold", "probability", "se"])
