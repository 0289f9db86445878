"""The public evidence behind every cost and price default, one table per input.

Each table holds the public points for one model input (price per GPU-hour,
IT capex, facility capex, power price, PUE, other operating costs, server
life), each row with its value, period, source, confidence, the GPU
generation or company it is for, and two judgements:

* ``independent``: False when the row repeats data of another row (IREN's ARR
  target holds the Microsoft contract's GPUs; Nscale's ~$23B holds its ~$14B
  tranche). Overlapping rows are shown, never counted twice;
* ``comparable``: False when the figure measures something else than the
  input (a rack price without the network; a company-wide EBITDA that holds
  data-centre leases the model carries as facility capex); the note says why.

How a default is taken, one rule for every table:

* **central value**: the median of the *counted* rows (independent,
  comparable, confidence medium or high) of the deal's GPU generation (rows
  for no generation apply to all); a provider's own counted row, where it has
  one, is used instead (IREN's Dell order for IREN's deal, Amazon's server
  life for Amazon's). Rounded as the table says (prices to the cent). The
  median of two points is their mean;
* **range** (the Monte Carlo's default spread, :mod:`core.simulation`): the
  lowest and highest comparable point of the generation, each row's own range
  included, low confidence and overlapping rows too: they show how far the
  value may be even where they do not set it.

The reference deal (AWS–OpenAI) names GB200 and GB300 GPUs, so its defaults
take the rows of both generations: ``REFERENCE_GENERATION``. A deal of the
library that names its own generation takes that one's rows
(:func:`core.deals.deal_terms`).

Money per unit as each table's unit says; fractions for shares; the
conversion of a table to its input's unit (US$ thousand per GPU to US$ m per
72-GPU rack) is part of the table. Confidence as in the project's facts:
high = filing, call or company; medium = major outlet or trade press;
low = one weak source. Derived rows show their arithmetic in ``note``.

>>> central("price_per_gpu_hour")  # median of IREN–Microsoft 2.91 and Nscale's tranche 2.74
2.83
>>> value_range("price_per_gpu_hour")  # Nscale's whole relationship 2.63 to IREN 2.91
(2.63, 2.91)
"""

from __future__ import annotations

import dataclasses
import functools
import statistics

import pandas as pd

from core.evidence.margins import MARGIN_EVIDENCE
from core.evidence.rows import (
    CONFIDENCE_LEVELS,
    MARGIN_MEASURES,
    NVL72_GPUS,
    NVL72_KW,
    REFERENCE_GENERATION,
    Evidence,
    EvidenceTable,
    MarginEvidence,
    generations,
)
from core.evidence.tables import EVIDENCE_TABLES, INPUT_TABLES
from core.validation import DealDeskInputError

__all__ = [
    "CONFIDENCE_LEVELS",
    "Evidence",
    "EvidenceTable",
    "EVIDENCE_TABLES",
    "INPUT_TABLES",
    "MarginEvidence",
    "MARGIN_EVIDENCE",
    "MARGIN_MEASURES",
    "NVL72_GPUS",
    "NVL72_KW",
    "REFERENCE_GENERATION",
    "central",
    "derivation",
    "evidence_frame",
    "generations",
    "margin_frame",
    "value_range",
]


def _table(name: str) -> EvidenceTable:
    if name not in EVIDENCE_TABLES:
        raise DealDeskInputError(f"evidence table must be one of {', '.join(EVIDENCE_TABLES)}; got {name!r}")
    return EVIDENCE_TABLES[name]


def _of_generation(table: EvidenceTable, generation: str | None) -> list[Evidence]:
    wanted = set(generations(generation))
    return [r for r in table.rows if r.generation == "" or r.generation in wanted]


def _chosen(table: EvidenceTable, generation: str | None, company: str | None) -> list[Evidence]:
    """The rows that set the central value: the company's own counted rows, else the generation's."""
    rows = [r for r in _of_generation(table, generation) if r.counted]
    own = [r for r in rows if company and r.company == company]
    if own:
        return own
    if not rows:
        raise DealDeskInputError(
            f"evidence table {table.title!r} has no counted row for GPU generation {generation!r}; "
            f"generations with rows: {', '.join(sorted({r.generation for r in table.rows if r.generation}))}"
        )
    return rows


def central(name: str, generation: str | None = None, *, company: str | None = None) -> float:
    """The default of an input: the median of its table's counted rows, in the input's unit.

    Parameters
    ----------
    name : str
        An evidence table (``EVIDENCE_TABLES``), named after the input it sets.
    generation : str, optional
        The deal's GPU words ("GB300", "GB200/GB300", "Blackwell"); default the
        reference deal's ``REFERENCE_GENERATION``.
    company : str, keyword-only
        The provider: its own counted row is used where it has one.

    Examples
    --------
    IT capex: Bernstein's GB200 $47.2k and IREN's GB300 $76.3k per GPU, median $61.8k,
    × 72 ÷ 1,000 = US$4.45M a rack; a GB300 deal takes IREN's alone:

    >>> central("rack_price_musd"), central("rack_price_musd", "GB300")
    (4.45, 5.49)
    >>> central("useful_life_years"), central("useful_life_years", company="Amazon")
    (5.5, 5.0)
    """
    table = _table(name)
    rows = _chosen(table, generation, company)
    return table.median(rows)


def value_range(name: str, generation: str | None = None) -> tuple[float, float]:
    """The lowest and highest comparable point of a table for a generation, in the input's unit.

    Every comparable row counts here, low confidence and overlapping ones
    included, each with its own range. Rounded as the central value.

    >>> value_range("power_usd_per_mwh")  # EIA 81 to Foxconn's 148 (low confidence)
    (81.0, 148.0)
    """
    table = _table(name)
    spans = [r.span for r in _of_generation(table, generation) if r.comparable]
    if not spans:
        raise DealDeskInputError(f"evidence table {table.title!r} has no comparable row for {generation!r}")
    low, high = min(s[0] for s in spans), max(s[1] for s in spans)
    return round(low * table.to_input, table.digits), round(high * table.to_input, table.digits)


def _shown(value: float, table: EvidenceTable) -> str:
    if table.unit.startswith("fraction"):
        return f"{value:.1%}"
    return f"{value:,.{max(table.digits, 1)}f}"


def derivation(name: str, generation: str | None = None, *, company: str | None = None) -> str:
    """How the central value is taken, in words with its arithmetic (the input's source text).

    >>> print(derivation("facility_musd_per_mw"))
    evidence table 'Facility capex per MW of IT load' (US$ m per MW of IT load): median of 2 counted rows (Cushman & Wakefield 11.7; Bernstein 20.8) = 16.3; Monte Carlo range 9.3 to 20.8
    """
    table = _table(name)
    rows = _chosen(table, generation, company)
    points = "; ".join(f"{r.what.split(':')[0]} {_shown(r.value, table)}" for r in rows)
    median = statistics.median(r.value for r in rows)
    if company and all(r.company == company for r in rows) and len(rows) == 1:
        how = f"{company}'s own figure ({points})"
    elif len(rows) == 1:
        how = f"the one counted row ({points}{': ' + rows[0].note if rows[0].note else ''})"
    else:
        how = f"median of {len(rows)} counted rows ({points}) = {_shown(median, table)}"
    low, high = value_range(name, generation)
    text = f"evidence table {table.title!r} ({table.unit}): {how}"
    if table.conversion:
        text += f" {table.conversion} = {central(name, generation, company=company):g} {table.input_unit}"
    if generation is not None or any(r.generation for r in table.rows):
        text += f"; GPU generation {generation or REFERENCE_GENERATION}"
    if low == high:
        return text + "; one point: the public evidence shows no spread"
    # The reference generation's range is the Monte Carlo's default spread (core.simulation).
    reference = generation in (None, REFERENCE_GENERATION)
    what = "Monte Carlo range" if table.monte_carlo and reference else "range of the evidence"
    if table.unit.startswith("fraction"):
        return text + f"; {what} {low:.1%} to {high:.1%}"
    return text + f"; {what} {low:g} to {high:g}"


@functools.cache
def _frame() -> pd.DataFrame:
    records = []
    for key, table in EVIDENCE_TABLES.items():
        for r in table.rows:
            records.append(
                {
                    "table": table.title,
                    "input": table.input or "",
                    "what": r.what,
                    "value": r.value,
                    "low": r.low,
                    "high": r.high,
                    "unit": table.unit,
                    "period": r.period,
                    "generation": r.generation,
                    "company": r.company,
                    "source": r.source,
                    "confidence": r.confidence,
                    "independent": r.independent,
                    "comparable": r.comparable,
                    "counted": r.counted,
                    "note": r.note,
                    "key": key,
                }
            )
    return pd.DataFrame.from_records(records)


def evidence_frame(name: str | None = None) -> pd.DataFrame:
    """The evidence rows as a table (every table, or the one named), for pages and sheets.

    Columns: ``table``, ``input``, ``what``, ``value``, ``low``, ``high``,
    ``unit``, ``period``, ``generation``, ``company``, ``source``,
    ``confidence``, ``independent``, ``comparable``, ``counted`` and ``note``
    (values in each table's unit; blank ``low``/``high`` where the source gives
    no range).

    >>> t = evidence_frame("price_per_gpu_hour")
    >>> t["counted"].tolist()
    [True, False, True, False, True]
    """
    frame = _frame()
    if name is not None:
        _table(name)
        frame = frame[frame["key"] == name]
    return frame.drop(columns="key").reset_index(drop=True)


def margin_frame() -> pd.DataFrame:
    """The reported margins as a table: company, what, measure, value, low, high, period, source, confidence, note.

    >>> margin_frame().groupby("measure")["value"].count().to_dict()
    {'ebitda': 4, 'gross': 2, 'operating': 5}
    """
    return pd.DataFrame([dataclasses.asdict(m) for m in MARGIN_EVIDENCE])
