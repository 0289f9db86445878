"""The Monte Carlo as a reader sees it: the inputs drawn, the risk questions, the figures that vary.

Every number is the core's (:func:`core.simulation.simulate`, its summary and risk
questions, :func:`core.model.run_model` for the base case); this module only decides
what a page (and ``dealdesk simulate``) shows and in which words:

* a yes/no figure is summarised by the share of draws where it holds, never by a
  mean or a percentile of "Yes";
* a figure that no drawn input moves is named once, not given a row of equal numbers;
* each input drawn is shown with its distribution in words;
* the base case stands beside the median, and a table of medians with one input
  drawn at a time says which input moves a median away from its base case.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from core.assumptions import Assumptions
from core.distributions import Distribution
from core.model import ModelResult
from workbook.report.labels import Label, label_of
from workbook.styles import format_text

__all__ = [
    "FIGURE_STATS",
    "REPORT_DRAWS",
    "MonteCarlo",
    "SummaryRow",
    "distribution_text",
    "run_monte_carlo",
    "summary_rows",
]

#: Monte Carlo draws of a report (the seed is 0): enough for a probability's standard error
#: below half a point.
REPORT_DRAWS = 10_000
#: Statistics of a simulated figure, in the order pages show them (names of the core's summary).
FIGURE_STATS: tuple[str, ...] = ("mean", "stdev", "p5", "p25", "p50", "p75", "p95")
#: The figure the page-one histogram draws; its median is explained with the risk questions'.
HISTOGRAM_FIGURE = "npv"
#: How the statistic of a yes/no figure is shown: the share of draws where it holds.
SHARE_OF_DRAWS = Label("Share of draws", "% of draws", "pct")

_DISTRIBUTION_WORDS = {
    "uniform": ("uniform", ("from", "to")),
    "triangular": ("triangular", ("from", "most likely", "to")),
    "normal": ("normal", ("mean", "standard deviation")),
    "lognormal": ("lognormal", ("mean", "standard deviation")),
    "pert": ("PERT", ("from", "most likely", "to", "weight of the most likely")),
}


def distribution_text(name: str, dist: Distribution) -> str:
    """A distribution of the input ``name`` in words, its values in the input's format.

    >>> from core.distributions import discrete, normal
    >>> distribution_text("realisation", normal(0.925, 0.025))
    'normal: mean 92.5%, standard deviation 2.5%'
    >>> distribution_text("delay_quarters", discrete([0, 1, 2], [0.5, 0.3, 0.2]))
    'one of 0 (50%), 1 (30%), 2 (20%)'
    """
    fmt = label_of(name).fmt

    def shown(value: float) -> str:
        if fmt == "number" and float(value).is_integer():  # a whole number of quarters: 1, not 1.00
            return f"{value:,.0f}"
        text = format_text(value, fmt)
        return "0" if text == "–" else text

    if dist.kind == "discrete":
        parts = [f"{shown(v)} ({p:.0%})" for v, p in zip(dist.params, dist.probabilities, strict=True)]
        return "one of " + ", ".join(parts)
    kind, names = _DISTRIBUTION_WORDS[dist.kind]
    values = [
        f"{word} {shown(v) if word != 'weight of the most likely' else f'{v:g}'}"
        for word, v in zip(names, dist.params, strict=True)
    ]
    return f"{kind}: " + ", ".join(values)


@dataclasses.dataclass(frozen=True)
class SummaryRow:
    """One simulated figure as a page shows it: label, unit, format, base case and statistics.

    A yes/no figure (format ``flag``) has its share of draws in ``stats["mean"]`` and no
    other statistic (``None``); ``label``/``unit``/``fmt`` then describe that share.
    """

    name: str
    label: str
    unit: str
    fmt: str
    base: float | None
    stats: dict[str, float | None]


def summary_rows(
    summary: pd.DataFrame, base: Mapping[str, Any] | None = None
) -> tuple[list[SummaryRow], list[str]]:
    """The rows of a simulation summary worth a row, and the names of the figures that never vary.

    ``summary`` is :meth:`core.simulation.SimulationResult.summary`; ``base`` the base
    case's key figures (``run_model(a).outputs``), shown beside the median. A figure
    whose draws all equal one value (its minimum is its maximum) is constant.
    """
    rows: list[SummaryRow] = []
    constant: list[str] = []
    for rec in summary.to_dict(orient="records"):
        name = str(rec["output"])
        found = label_of(name)
        value = None if base is None else base.get(name)
        if rec["min"] == rec["max"]:
            constant.append(name)
            continue
        if found.fmt == "flag":  # a yes/no figure: the share of draws where it holds
            stats: dict[str, float | None] = dict.fromkeys(FIGURE_STATS)
            stats["mean"] = float(rec["mean"])
            rows.append(
                SummaryRow(
                    name,
                    f"{found.label} ({SHARE_OF_DRAWS.label.lower()})",
                    SHARE_OF_DRAWS.unit,
                    SHARE_OF_DRAWS.fmt,
                    value,
                    stats,
                )
            )
            continue
        stats = {k: float(rec[k]) for k in FIGURE_STATS}
        rows.append(SummaryRow(name, found.label, found.unit, found.fmt, value, stats))
    return rows, constant


@dataclasses.dataclass(frozen=True)
class MonteCarlo:
    """One report's Monte Carlo: its draws and seed, the inputs drawn, and what the pages show."""

    draws: int
    seed: int
    distributions: dict[str, Distribution]
    risk: pd.DataFrame  # core.simulation.risk_questions
    summary: pd.DataFrame  # SimulationResult.summary()
    npv: np.ndarray  # the histogram's draws
    base: dict[str, Any]  # the base case's key figures
    medians: pd.DataFrame  # figure medians: all inputs drawn, then one input at a time

    @property
    def note(self) -> str:
        """``10,000 draws, seed 0; 7 inputs drawn (listed on the Monte Carlo sheet)``."""
        return (
            f"{self.draws:,} draws, seed {self.seed}; {len(self.distributions)} inputs drawn "
            "(listed on the Monte Carlo sheet)"
        )


def _explained(result: Any) -> list[str]:
    """The figures whose medians the page explains: the risk questions' (but yes/no ones) and the histogram's."""
    from core.simulation import RISK_QUESTIONS

    names = [n for _, n, _, _ in RISK_QUESTIONS if label_of(n).fmt != "flag"] + [HISTOGRAM_FIGURE]
    return [n for n in dict.fromkeys(names) if n in result.values]


def run_monte_carlo(a: Assumptions, run: ModelResult, draws: int, seed: int) -> MonteCarlo | None:
    """Simulate ``a`` with the default distributions (``draws`` 0: no Monte Carlo, None).

    Besides the full simulation, each input is drawn alone (same seed, same draws) for the
    figures whose medians the page explains.
    """
    if not draws:
        return None
    from core.simulation import default_distributions, risk_questions, simulate

    dists = default_distributions(a)
    result = simulate(a, dists, draws=draws, seed=seed, workers=1)
    explained = _explained(result)
    medians: dict[str, dict[str, float]] = {}
    if explained:
        medians["all"] = _medians(result, explained)
        for name, dist in dists.items():
            alone = simulate(a, {name: dist}, draws=draws, seed=seed, outputs=explained, workers=1)
            medians[name] = _medians(alone, explained)
    return MonteCarlo(
        draws=draws,
        seed=seed,
        distributions=dict(dists),
        risk=risk_questions(result),
        summary=result.summary(),
        npv=np.asarray(result.values.get(HISTOGRAM_FIGURE, []), dtype=float),
        base=dict(run.outputs),
        medians=pd.DataFrame(medians).T.reindex(columns=explained),
    )


def _medians(result: Any, names: Sequence[str]) -> dict[str, float]:
    table = result.summary(percentiles=(50,)).set_index("output")
    return {n: float(table.loc[n, "p50"]) for n in names}
