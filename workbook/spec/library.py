"""The sheets filled from the libraries: Benchmarks, Claims, Watch and Exposure.

Each cell reads one DEAL function's table for the Inputs sheet's deal (or the Exposure sheet's
own inputs); the rows and columns come from the core's tables.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from core.assumptions import InputSpec
from core.benchmarks import DEAL_SOURCE, reported_margin_rows
from core.claims import CLAIM_COLUMNS
from core.exposure import DEFAULT_AS_OF_YEAR, MAX_DRAWS, RISK_COLUMNS, SHORTFALL_RULES, exposure_table
from core.watch import WATCH_COLUMNS
from workbook.spec.inputs import input_check_formula, live_formula

#: Columns of the Benchmarks sheet after its row label: (column of the model's benchmarks table,
#: header, format hint).
BENCHMARK_SHEET_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("period", "Period", "text"),
    ("gross_margin", "Gross margin", "pct"),
    ("ebitda_margin", "EBITDA margin", "pct"),
    ("operating_margin", "Operating margin", "pct"),
    ("low", "Reported low", "pct"),
    ("high", "Reported high", "pct"),
    ("reading", "Where the deal sits (its life margin of the same measure)", "text"),
    ("source", "Source", "text"),
)
#: Rows for the deal's fiscal years, from the one holding the start date ("n/a" after the contract).
BENCHMARK_DEAL_YEARS = 12


@dataclasses.dataclass(frozen=True)
class BenchmarkRow:
    """One row of the Benchmarks sheet.

    ``label`` is text, or a formula giving the row's key (a deal's fiscal year); ``name`` is the
    label cell's defined name, which the row's ``DEAL.TABLE`` calls take as their key; ``cells``
    maps a column of ``BENCHMARK_SHEET_COLUMNS`` to a formula or to a value written as it is (a
    reported figure: public evidence, the same for every deal). Columns not in ``cells`` stay empty.
    """

    label: str
    name: str | None
    cells: dict[str, Any]


def benchmark_formula(key: str, column: str, *, if_missing: bool = False) -> str:
    """A cell of the Benchmarks sheet: ``column`` of the benchmarks table's row ``key`` (a defined name or a
    quoted text), one call; with ``if_missing`` "n/a" for a row the table does not have.

    >>> benchmark_formula('"life"', "gross_margin")
    '=DEAL.TABLE(inputs_table,scenario,"benchmarks","life","gross_margin")'
    >>> benchmark_formula("bench_year_1", "period", if_missing=True)
    '=DEAL.TABLE(inputs_table,scenario,"benchmarks",bench_year_1,"period","n/a")'
    """
    extra = ',"n/a"' if if_missing else ""
    return f'=DEAL.TABLE(inputs_table,scenario,"benchmarks",{key},"{column}"{extra})'


def benchmark_rows() -> list[BenchmarkRow]:
    """The Benchmarks sheet's rows: the deal's fiscal years, its life, the provider's own margin, then
    every reported GPU-rental margin (its figures written as they are, the reading from the model).

    >>> rows = benchmark_rows()
    >>> rows[0].label, rows[0].name
    ('="FY"&(YEAR(start_date)+IF(MONTH(start_date)>fiscal_year_end,1,0)+0)', 'bench_year_1')
    >>> rows[BENCHMARK_DEAL_YEARS].cells["gross_margin"]
    '=DEAL.TABLE(inputs_table,scenario,"benchmarks","life","gross_margin")'
    """
    first = "YEAR(start_date)+IF(MONTH(start_date)>fiscal_year_end,1,0)"
    deal = ("period", "gross_margin", "ebitda_margin", "operating_margin")
    rows = []
    for k in range(BENCHMARK_DEAL_YEARS):
        name = f"bench_year_{k + 1}"
        cells: dict[str, Any] = {c: benchmark_formula(name, c, if_missing=True) for c in deal}
        rows.append(BenchmarkRow(live_formula(f'="FY"&({first}+{k})'), name, {**cells, "source": DEAL_SOURCE}))
    rows.append(
        BenchmarkRow(
            "Deal, life of contract", None, {**{c: benchmark_formula('"life"', c) for c in deal}, "source": DEAL_SOURCE}
        )
    )
    own = ("period", "operating_margin", "source")
    rows.append(BenchmarkRow("Provider's own operating margin", None, {c: benchmark_formula('"provider"', c) for c in own}))
    for i, reported in enumerate(reported_margin_rows(), start=1):
        name = f"bench_reported_{i}"
        cells = {k: v for k, v in reported.items() if k not in ("row", "measure")}
        rows.append(BenchmarkRow(str(reported["row"]), name, {**cells, "reading": benchmark_formula(name, "reading")}))
    return rows


# --------------------------------------------------------------------------- claims and watch sheets

#: Columns of the Claims sheet: (column of DEAL.CLAIMS, header, format hint).
CLAIM_SHEET_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("claim", "Claim", "text"),
    ("article", "The article", "text"),
    ("model", "Model", "number"),
    ("unit", "Unit", "text"),
    ("input", "Input that decides it", "text"),
    ("needed", "Value that makes it true", "number"),
    ("evidence", "Evidence", "text"),
    ("verdict", "Verdict", "text"),
)
#: Rows of the Claims sheet: the article's nine claims (a deal of other companies fills fewer).
CLAIM_SHEET_ROWS = 9
#: Columns of the Watch sheet: (column of DEAL.WATCH, header, format hint).
WATCH_SHEET_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("figure", "Figure", "text"),
    ("period", "Period", "text"),
    ("model", "Model", "number"),
    ("reported", "Reported", "number"),
    ("variance", "Variance", "number"),
    ("unit", "Unit", "text"),
    ("reported_on", "Reported on", "date"),
    ("source", "Source", "text"),
    ("confidence", "Confidence", "text"),
    ("cause", "Main cause", "text"),
)
#: Rows of the Watch sheet: room for every figure reported so far about any deal of the library (the
#: longest, CoreWeave–OpenAI (Mar-25), has 33; the rows a deal has not are blank).
WATCH_SHEET_ROWS = 40


def loop_formula(function: str, row: int, column: str) -> str:
    """A cell of the Claims or Watch sheet: ``column`` of row ``row`` (0-based) of ``DEAL.<function>`` for the
    Inputs sheet's deal, one call; blank where the table has no such row (a figure with no value comes back
    as empty text).

    >>> loop_formula("CLAIMS", 0, "needed")
    '=IFERROR(INDEX(DEAL.CLAIMS(deal_name),2,6),"")'
    """
    columns = CLAIM_COLUMNS if function == "CLAIMS" else WATCH_COLUMNS
    return f'=IFERROR(INDEX(DEAL.{function}(deal_name),{row + 2},{columns.index(column) + 1}),"")'


EXPOSURE_INPUTS: tuple[InputSpec, ...] = (
    InputSpec("exposure_as_of_year", "First year analysed", "year", DEFAULT_AS_OF_YEAR, "integer",
              "Analyst choice: commitments of earlier years count as paid", "Exposure",
              minimum=1900, maximum=2200),
    InputSpec("exposure_rule", "Shortfall rule", "choice", "pro_rata", "choice",
              "How a customer's shortfall is spread: pro rata, earliest contract first, or the order below",
              "Exposure", choices=SHORTFALL_RULES),
    InputSpec("exposure_priority", "Paid first (rule priority only)", "provider or deal", None, "text",
              "Analyst choice, e.g. Oracle; leave blank with the other rules", "Exposure"),
    InputSpec("exposure_draws", "Monte Carlo draws", "draws", 10_000, "integer",
              "More draws, smaller sampling error", "Exposure", minimum=1, maximum=MAX_DRAWS),
    InputSpec("exposure_seed", "Random seed", "seed", 0, "integer",
              "The same seed gives the same numbers", "Exposure", minimum=0),
)
#: The priority input is needed only when the rule is priority.
EXPOSURE_CHECKS: dict[str, str] = {
    **{spec.name: input_check_formula(spec) for spec in EXPOSURE_INPUTS},
    "exposure_priority": '=OR(exposure_rule<>"priority",LEN(TRIM(exposure_priority))>0)',
}


@functools.cache
def exposure_axes() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The provider rows and customer columns of the Exposure sheet's matrix (the deal library's).

    ``workbook.spec`` offers them as ``EXPOSURE_PROVIDERS`` and ``EXPOSURE_CUSTOMERS``, computed on first use.
    """
    backlog = exposure_table()
    providers = tuple(backlog["provider"])
    customers = tuple(c for c in backlog.columns if c not in ("provider", "total"))
    return providers, customers


#: Simulated figures shown per provider: (column of DEAL.EXPOSURE_RISK, header, format hint).
EXPOSURE_RISK_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("ai_backlog", "AI backlog (US$ bn)", "usd_bn"),
    ("mean_at_risk", "Mean revenue at risk", "usd_bn"),
    ("p95_at_risk", "p95 revenue at risk", "usd_bn"),
    ("p_loss_above_threshold", "P(loss > 10% of backlog)", "pct"),
    ("top_customer", "Main customer", "text"),
)
_EXPOSURE_CALL = "DEAL.EXPOSURE(exposure_as_of_year)"
_EXPOSURE_RISK_CALL = (
    "DEAL.EXPOSURE_RISK(exposure_rule,exposure_priority,exposure_draws,exposure_seed,exposure_as_of_year)"
)


def exposure_matrix_formula(provider: int, column: int) -> str:
    """A cell of the provider × customer matrix: row ``provider``, column ``column`` (0-based; the last is the total).

    >>> exposure_matrix_formula(0, 0)
    '=INDEX(DEAL.EXPOSURE(exposure_as_of_year),2,2)'
    """
    return f"=INDEX({_EXPOSURE_CALL},{provider + 2},{column + 2})"


def exposure_risk_formula(provider: int, figure: str) -> str:
    """A simulated figure of provider ``provider`` (0-based) by column name of DEAL.EXPOSURE_RISK.

    >>> exposure_risk_formula(2, "mean_at_risk")  # doctest: +ELLIPSIS
    '=INDEX(DEAL.EXPOSURE_RISK(exposure_rule,...,exposure_as_of_year),4,3)'
    """
    return f"=INDEX({_EXPOSURE_RISK_CALL},{provider + 2},{RISK_COLUMNS.index(figure) + 1})"
