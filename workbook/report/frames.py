"""Tables the report derives for display: the margin bridge, the waterfall chart's bars, the NPV histogram.

Each is built from figures the core computed (``core.margin.margin_bridge``, the
Monte Carlo draws) and only shaped for a page: labels in words, round bins.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from core.model import ModelResult
from workbook.report.charts import nice_step
from workbook.report.labels import label_of
from workbook.styles import format_text

__all__ = ["HISTOGRAM_BINS", "LABEL_ROOM", "bridge_frame", "histogram", "waterfall_frame"]


def bridge_frame(result: ModelResult) -> pd.DataFrame | None:
    """The margin bridge of the first full fiscal year (core.margin.margin_bridge), as an analyst reads it.

    Columns ``period``, ``step`` (in words), ``margin`` (the two levels as fractions; blank on
    the step) and ``change_bps`` (against the base margin, in basis points: blank on the base,
    the deal's mix effect, then the blended margin's whole change).
    """
    from core.margin import margin_bridge
    from core.schedule import first_full_fiscal_year

    margin = result.tables.get("margin")
    if margin is None or not {"period", "base_revenue", "deal_revenue"} <= set(margin.columns):
        return None
    a = result.assumptions
    # The year of the key figures' "first full year" (margin_bps_year2): the first the contract runs from
    # its first day; none when the contract ends before it.
    full = margin[margin["period"] == f"FY{first_full_fiscal_year(a.start_date, a.fiscal_year_end)}"]
    if full.empty or "deal_margin" not in margin.columns:
        return None
    year = full.iloc[0]
    deal_margin = float(year["deal_margin"])  # the year's own margin from the cost stack
    bridge = margin_bridge(
        float(year["base_revenue"]), a.base_margin, float(year["deal_revenue"]), deal_margin
    )
    if not {"step", "value", "bps"} <= set(bridge.columns) or len(bridge) != 3:
        return None
    values = bridge["value"].to_numpy(dtype=float)
    step = float(bridge["bps"].iloc[1])
    return pd.DataFrame(
        {
            "period": str(year["period"]),
            "step": [label_of(s).label for s in bridge["step"]],
            "margin": [values[0], None, values[2]],
            "change_bps": [None, step, step],
        }
    )


def waterfall_frame(bridge: pd.DataFrame) -> pd.DataFrame:
    """What the bridge chart draws: each step's change against the base margin, in bps, and its label.

    The levels differ by a few basis points on margins of tens of percent, so the chart
    measures the change in bps from the base margin (zero), where a 7 bps step can be seen;
    the categories carry the levels in % and the step in bps.
    """
    levels = bridge["margin"].tolist()
    change = float(bridge["change_bps"].iloc[1])
    size = format_text(abs(change), "bps")
    step = f"{'0' if size == '–' else size} bps"
    words = [
        f"{bridge['step'].iloc[0]} {_pct(levels[0])}",
        f"{bridge['step'].iloc[1]} {f'({step})' if change < 0 and size != '–' else step}",
        f"{bridge['step'].iloc[2]} {_pct(levels[2])}",
    ]
    # The base margin is where the changes are measured from: no bar of its own.
    return pd.DataFrame({"chart_label": words, "chart_bps": [None, change, change]})


def _pct(value: float) -> str:
    """A margin level in %, zero spelt as a number (a lone dash in a category label would read as missing)."""
    text = format_text(value, "pct")
    return f"{0.0:.1%}" if text == "–" else text


#: Most bins of the NPV histogram: few enough that each bin's label reads on page one.
HISTOGRAM_BINS = 12
#: Characters of bin labels (their longest × how many) that fit side by side under page one's chart.
LABEL_ROOM = 100


def _edge(value: float, decimals: int) -> str:
    """A bin edge as a finance format shows it, but zero as 0 (a dash would read as the range's)."""
    text = f"{abs(value):,.{decimals}f}"
    return f"({text})" if round(value, decimals) < 0 else text


def _bins(low: float, high: float, most: int) -> tuple[np.ndarray, list[str], int]:
    """Edges of at most ``most`` bins of one round width covering [low, high], their labels and decimals."""
    for parts in range(most, 0, -1):  # aligning the edges to the width may add a bin: widen until it fits
        width = nice_step(high - low, parts)
        first = math.floor(low / width + 1e-9) * width
        count = max(1, math.ceil((high - first) / width - 1e-9))
        if count <= most:
            break
    edges = first + width * np.arange(count + 1)
    decimals = next(d for d in range(6) if abs(round(width, d) - width) < width * 1e-9)
    labels = [
        f"{_edge(a, decimals)}–{_edge(b, decimals)}" for a, b in zip(edges[:-1], edges[1:], strict=True)
    ]
    return edges, labels, decimals


def histogram(values: np.ndarray, most: int = HISTOGRAM_BINS) -> pd.DataFrame:
    """Share of the draws in each bin; bins of one round width (1, 2, 2.5 or 5 × 10^k), labelled ``3.5–4.0``.

    The bins, at most ``most`` and fewer where their labels would not fit side by side
    (:data:`LABEL_ROOM`), have edges at multiples of the width and cover the 1st to 99th
    percentile of the draws; a tail beyond them joins the end bin, which then says so
    (``< 0`` or ``≥ 8``) and runs to the lowest or highest draw. A bin holds [from, to),
    the last one its upper edge too (numpy's rule).
    """
    finite = values[np.isfinite(values)]
    if len(finite) == 0:
        finite = np.zeros(1)
    low, high = (float(v) for v in np.percentile(finite, [1, 99]))
    for fewer in range(most, 0, -1):
        edges, labels, decimals = _bins(low, high, fewer)
        if len(labels) * max(len(t) for t in labels) <= LABEL_ROOM:
            break
    counts, _ = np.histogram(np.clip(finite, edges[0], edges[-1]), bins=edges)
    starts, ends = edges[:-1].copy(), edges[1:].copy()
    if finite.min() < edges[0]:
        labels[0], starts[0] = f"< {_edge(edges[1], decimals)}", finite.min()
    if finite.max() > edges[-1]:
        labels[-1], ends[-1] = f"≥ {_edge(edges[-2], decimals)}", finite.max()
    if len(labels) == 1 and finite.min() < edges[0] and finite.max() > edges[-1]:
        labels[0] = "all draws"
    share = counts / len(finite)
    return pd.DataFrame(
        {"bin": labels, "bin_from": starts, "bin_to": ends, "draws": counts, "share_of_draws": share}
    )
