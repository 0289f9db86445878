"""The deal's margins beside reported GPU-rental margins: the benchmarks table and what it says.

Definitions of the deal's margins, stated once (each a fraction of the
fiscal year's revenue, from the one cost stack, :func:`core.economics.deal_cash_flows`):

* **gross margin**: revenue less the cost of revenue, which for the deal is
  the cost of owning and running its capacity: depreciation of IT and
  facility capex (refresh included) and power. Other operating costs (staff,
  maintenance, support, site) sit below it;
* **EBITDA margin**: revenue less power and other operating costs (before
  depreciation);
* **operating margin**: gross margin less other operating costs, the deal
  margin every other page uses.

With a margin override, other operating costs are whatever makes the
operating margin the override; gross and EBITDA follow from that.

Reported margins (:data:`core.evidence.MARGIN_EVIDENCE`) are compared on the
same measure only. Their scopes differ from the deal's (Oracle's gross margin
on GPU rentals is said to leave some depreciation out; CoreWeave's and
Nebius's margins are whole companies in build-out), so a reading says where
the deal sits against each figure and the figure's own note says what it
holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

from core.evidence import MARGIN_EVIDENCE, MARGIN_MEASURES, MarginEvidence
from core.schedule import fiscal_year_end_date, fiscal_year_start_date

__all__ = [
    "BENCHMARK_COLUMNS",
    "DEAL_SOURCE",
    "reported_margin_rows",
    "capex_per_gw",
    "MEASURE_WORDS",
    "benchmark_findings",
    "benchmark_table",
    "deal_margins",
    "part_years",
]

#: Columns of the benchmarks table (the first is the key ``DEAL.TABLE`` looks rows up by).
BENCHMARK_COLUMNS = (
    "row",
    "kind",
    "period",
    "gross_margin",
    "ebitda_margin",
    "operating_margin",
    "low",
    "high",
    "source",
    "reading",
)
#: Each measure in words, with what the deal's figure holds.
MEASURE_WORDS = {
    "gross": "Gross margin (revenue less depreciation, refresh included, and power)",
    "ebitda": "EBITDA margin (revenue less power and other operating costs)",
    "operating": "Operating margin (gross margin less other operating costs)",
}
_COLUMN = {m: f"{m}_margin" for m in MARGIN_MEASURES}
#: The source of the deal's own rows.
DEAL_SOURCE = "DealDesk cost stack (economics table)"


def deal_margins(economics: pd.DataFrame) -> pd.DataFrame:
    """The deal's gross, EBITDA and operating margin by fiscal year with revenue, and over its life.

    Parameters
    ----------
    economics : pandas.DataFrame
        A table of :func:`core.economics.deal_cash_flows` (money).

    Returns
    -------
    pandas.DataFrame
        ``row`` (``FY2026``, ..., then ``life``), ``revenue``, ``gross_margin``,
        ``ebitda_margin`` and ``operating_margin`` (fractions).

    Examples
    --------
    Revenue 10, depreciation 3, power 1, other costs 2 in one year: gross (10 − 3 − 1) ÷ 10,
    EBITDA (10 − 1 − 2) ÷ 10, operating (10 − 3 − 1 − 2) ÷ 10:

    >>> t = pd.DataFrame({"year": [2026], "revenue": [10.0], "depreciation": [3.0], "power_cost": [1.0],
    ...                   "other_opex": [2.0]})
    >>> deal_margins(t).iloc[0, 2:].tolist()
    [0.6, 0.7, 0.4]
    """
    rows = economics[economics["revenue"] > 0]
    sums = rows[["revenue", "depreciation", "power_cost", "other_opex"]].sum()
    yearly = pd.DataFrame(
        {
            "row": [f"FY{int(y)}" for y in rows["year"]] + ["life"],
            "revenue": [*rows["revenue"].to_numpy(dtype=float), float(sums["revenue"])],
            "depreciation": [*rows["depreciation"].to_numpy(dtype=float), float(sums["depreciation"])],
            "power": [*rows["power_cost"].to_numpy(dtype=float), float(sums["power_cost"])],
            "other": [*rows["other_opex"].to_numpy(dtype=float), float(sums["other_opex"])],
        }
    )
    revenue = yearly["revenue"].to_numpy()
    gross = revenue - yearly["depreciation"].to_numpy() - yearly["power"].to_numpy()
    return pd.DataFrame(
        {
            "row": yearly["row"],
            "revenue": revenue,
            "gross_margin": gross / revenue,
            "ebitda_margin": (revenue - yearly["power"].to_numpy() - yearly["other"].to_numpy()) / revenue,
            "operating_margin": (gross - yearly["other"].to_numpy()) / revenue,
        }
    )


def capex_per_gw(outputs: Mapping[str, float | None]) -> float:
    """All-in capex of a model run (IT plus facility) per GW of facility power, US$ bn per GW.

    The public all-in figures per GW (``core.evidence``, table ``all_in_capex_per_gw``) do not
    say whether their GW is IT load or grid draw; this one is the grid draw (IT load × PUE).

    >>> capex_per_gw({"it_capex": 10.0, "facility_capex": 3.0, "facility_mw": 260.0})
    50.0
    """
    it, facility, mw = (float(outputs[k] or 0.0) for k in ("it_capex", "facility_capex", "facility_mw"))
    return (it + facility) / (mw / 1_000)


def _reported_key(m: MarginEvidence) -> str:
    return f"{m.what}, {m.period}"


def reported_margin_rows() -> list[dict[str, object]]:
    """The reported margins as rows of the benchmarks table, without the reading (which depends on the deal).

    Each: ``row`` (the key), ``measure``, ``period``, its measure's column, ``low``, ``high`` and
    ``source`` (with the confidence and the note).

    >>> reported_margin_rows()[0]["gross_margin"], reported_margin_rows()[0]["low"]
    (0.14, 0.1)
    """
    rows: list[dict[str, object]] = []
    for m in MARGIN_EVIDENCE:
        low, high = m.span
        rows.append(
            {
                "row": _reported_key(m),
                "measure": m.measure,
                "period": m.period,
                _COLUMN[m.measure]: m.value,
                "low": low,
                "high": high,
                "source": f"{m.source}; confidence {m.confidence}" + (f"; {m.note}" if m.note else ""),
            }
        )
    return rows


def _where(value: float, low: float, high: float) -> str:
    # A reported point has no width: the deal equals it only to rounding (a tenth of a point).
    if value > high + 5e-4:
        return "above"
    if value < low - 5e-4:
        return "below"
    return "inside"


def _span_text(m: MarginEvidence) -> str:
    low, high = m.span
    return f"{m.value:.1%}" if low == high else f"{m.value:.1%}; {low:.1%} to {high:.1%}"


def part_years(years: list[int], first_day: dt.date, last_day: dt.date, fiscal_year_end: int) -> set[int]:
    """The fiscal years the contract does not cover from their first day to their last.

    >>> sorted(part_years([2025, 2026, 2032], dt.date(2025, 11, 3), dt.date(2032, 11, 2), 12))
    [2025, 2032]
    """
    out = set()
    for year in years:
        begins = fiscal_year_start_date(year, fiscal_year_end)
        if begins < first_day or fiscal_year_end_date(year, fiscal_year_end) > last_day:
            out.add(year)
    return out


def benchmark_table(
    economics: pd.DataFrame,
    *,
    provider: str,
    base_margin: float,
    base_margin_source: str = "the base margin input",
    partial: set[int] | frozenset[int] = frozenset(),
) -> pd.DataFrame:
    """The deal's margins by fiscal year and over its life beside the reported GPU-rental margins.

    Parameters
    ----------
    economics : pandas.DataFrame
        The deal's cost stack (:func:`core.economics.deal_cash_flows`).
    provider : str, keyword-only
        The provider's name, for its own row.
    base_margin : float, keyword-only
        The provider's own operating margin (the segment the deal is measured against), a fraction.
    base_margin_source : str, keyword-only
        Where that margin comes from.
    partial : set of int, keyword-only
        Fiscal years the contract covers only in part (:func:`part_years`): their
        ``period`` says so, and the findings read the full years' range apart from them.

    Returns
    -------
    pandas.DataFrame
        Columns ``BENCHMARK_COLUMNS``: rows ``kind`` "deal" (``FY2026``, ..., ``life``; all three
        margins), "provider" (its operating margin) and "reported" (one measure each, with the
        reported range in ``low``/``high`` and, in ``reading``, where the deal's life margin of the
        same measure sits: above, inside or below). Margins are fractions (nullable: ``<NA>`` where
        a row has no figure of that measure); ``reading`` is None on the deal's and provider's rows.

    Examples
    --------
    >>> from core.model import run_model
    >>> t = run_model().tables["benchmarks"].set_index("row")
    >>> t.loc["Oracle: Nvidia GPU rentals, 3 months to Aug-25", "reading"][:31]
    'the deal (life, 29.9%) is above'
    """
    deal = deal_margins(economics)
    life = deal.set_index("row").loc["life"]
    records: list[dict[str, object]] = []
    for row in deal.itertuples(index=False):
        records.append(
            {
                "row": row.row,
                "kind": "deal",
                "period": "contract life"
                if row.row == "life"
                else row.row + (", part year" if int(row.row[2:]) in partial else ""),
                "gross_margin": row.gross_margin,
                "ebitda_margin": row.ebitda_margin,
                "operating_margin": row.operating_margin,
                "source": DEAL_SOURCE,
            }
        )
    records.append(
        {
            "row": "provider",
            "kind": "provider",
            "period": "base year",
            "operating_margin": float(base_margin),
            "source": f"{provider}'s own operating margin; {base_margin_source}",
        }
    )
    for m, reported in zip(MARGIN_EVIDENCE, reported_margin_rows(), strict=True):
        low, high = m.span
        deal_value = float(life[_COLUMN[m.measure]])
        reading = (
            f"the deal (life, {deal_value:.1%}) is {_where(deal_value, low, high)} "
            f"this {m.measure if m.measure != 'ebitda' else 'EBITDA'} margin ({_span_text(m)})"
        )
        records.append(
            {**{k: v for k, v in reported.items() if k != "measure"}, "kind": "reported", "reading": reading}
        )
    table = pd.DataFrame.from_records(records, columns=list(BENCHMARK_COLUMNS))
    # No figure of a measure is a blank (<NA>), never NaN: a spreadsheet cell shows it empty.
    numbers = ["gross_margin", "ebitda_margin", "operating_margin", "low", "high"]
    table[numbers] = table[numbers].astype("Float64")
    table["reading"] = table["reading"].astype(object).where(table["reading"].notna(), None)
    return table


def benchmark_findings(table: pd.DataFrame) -> list[str]:
    """What the benchmarks table says, in words: where the deal's margins sit against each reported one.

    One sentence per measure (gross, EBITDA, operating): the deal's life margin
    and its range over the fiscal years, then each reported figure of that
    measure the deal sits above or below (outside its range) and those it sits
    inside; and one sentence against the provider's own operating margin.

    >>> from core.model import run_model
    >>> print(benchmark_findings(run_model().tables["benchmarks"])[0][:64])
    Gross margin (revenue less depreciation, refresh included, and p
    """
    deal = table[table["kind"] == "deal"].set_index("row")
    years = deal.drop(index="life")
    part = years["period"].str.endswith("part year")
    full = years[~part] if (~part).any() else years
    sentences = []
    for measure in MARGIN_MEASURES:
        column = _COLUMN[measure]
        life = float(deal.loc["life", column])
        values = full[column].to_numpy(dtype=float)
        lo_year, hi_year = full.index[int(np.argmin(values))], full.index[int(np.argmax(values))]
        span = (
            f"{values.min():.1%} in its full years"
            if np.ptp(values) < 5e-4
            else f"{values.min():.1%} in {lo_year} to {values.max():.1%} in {hi_year}, its full years"
        )
        low_full, high_full = values.min() - 5e-4, values.max() + 5e-4
        outside = [y for y in years.index[part] if not low_full <= years.loc[y, column] <= high_full]
        stubs = ", ".join(f"{y} {years.loc[y, column]:.1%}" for y in outside)
        text = f"{MEASURE_WORDS[measure]}: the deal earns {life:.1%} over its life ({span}"
        text += f"; part years {stubs})" if stubs and (~part).any() else ")"
        reported = table[(table["kind"] == "reported") & table[column].notna()]
        groups: dict[str, list[str]] = {"above": [], "below": [], "inside": []}
        for row in reported.itertuples(index=False):
            value, low, high = float(getattr(row, column)), float(row.low), float(row.high)
            shown = f"{value:.1%}" if low == high else f"{low:.1%} to {high:.1%}"
            groups[_where(life, low, high)].append(f"{row.row} ({shown})")
        parts = [f"{where} {', '.join(items)}" for where, items in groups.items() if items]
        sentences.append(text + (": " + "; ".join(parts) if parts else "") + ".")
    provider = table[table["kind"] == "provider"].iloc[0]
    own, life_op = float(provider["operating_margin"]), float(deal.loc["life", "operating_margin"])
    whose = str(provider["source"]).split(";")[0]
    dilutes = (
        "the deal dilutes the segment" if life_op < own - 5e-4 else "the deal does not dilute the segment"
    )
    sentences.append(
        f"Against {whose}, {own:.1%} in its base year, the deal's {life_op:.1%} over its life is "
        f"{_where(life_op, own, own)}: {dilutes}."
    )
    return sentences
