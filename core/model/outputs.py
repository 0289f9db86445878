"""The key figures: ``OUTPUTS`` (each named once, with unit, format and why it may have no value).

The figure names a caller may ask for (:func:`check_output_name`), the "no value" rule
(:class:`NoValueError`, :func:`require_value`) and ``ModelResult``, what one run produces.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from core.assumptions import Assumptions
from core.validation import DealDeskInputError

#: The number-format hints an output may carry.
FORMAT_HINTS = ("usd_bn", "usd", "pct", "pp", "bps", "count", "mw", "twh", "year", "ratio", "flag")


@dataclasses.dataclass(frozen=True)
class OutputSpec:
    """Description of one named key figure of the model.

    ``fmt`` is one of ``FORMAT_HINTS``; ``group`` names the topic (the part
    of the article) that computes it; ``missing`` is empty for a figure that
    always exists, else the reason the figure can be ``None`` (no value).
    """

    name: str
    label: str
    unit: str
    fmt: str
    description: str
    group: str
    missing: str = ""


def _out(
    name: str, label: str, unit: str, fmt: str, description: str, group: str, *, missing: str = ""
) -> OutputSpec:
    assert fmt in FORMAT_HINTS, fmt
    return OutputSpec(name, label, unit, fmt, description, group, missing)


class NoValueError(DealDeskInputError):
    """A key figure that does not exist for these inputs (its ``OutputSpec.missing`` says why)."""

    __module__ = "core.model"  # where it is imported from, as its messages and tracebacks say


#: Why the threshold test has no value: the article's US$3T is Amazon's; another provider has none
#: unless the analyst sets one (``market_value_target`` 0 = none).
_NO_THRESHOLD = "no market-value threshold is set (0): the test does not apply to this provider"

#: Every named key figure, in the order reports show them. Names are stable:
#: new figures are added, none renamed.
OUTPUTS: tuple[OutputSpec, ...] = (
    # 1. Straight line vs ramp
    _out("straight_line_annual", "Straight-line revenue a year", "US$ bn a year", "usd_bn",
         "Contract value ÷ term: the headline view of the deal's annual revenue.", "Schedule"),
    _out("expected_revenue_total", "Expected deal revenue", "US$ bn", "usd_bn",
         "Revenue the modelled schedule recognises over the whole term (realisation and delay applied).",
         "Schedule"),
    _out("unused_commitment", "Unused commitment", "US$ bn", "usd_bn",
         "Contract value − expected revenue: committed value never recognised (not used, or forfeited).",
         "Schedule"),
    _out("forfeited_value", "Forfeited by the delay", "US$ bn", "usd_bn",
         "Contract value lost to a delivery delay in forfeit mode (0 in extend and compress modes).",
         "Schedule"),
    _out("straight_year1", "Straight line, fiscal year 1", "US$ bn", "usd_bn",
         "Straight-line revenue in the fiscal year holding the contract's start.", "Schedule"),
    _out("ramp_year1", "Ramp, fiscal year 1", "US$ bn", "usd_bn",
         "Modelled (ramp) revenue in the fiscal year holding the contract's start.", "Schedule"),
    _out("straight_year2", "Straight line, fiscal year 2", "US$ bn", "usd_bn",
         "Straight-line revenue in the fiscal year after the start's (the first full year when the "
         "contract starts inside a fiscal year).", "Schedule"),
    _out("ramp_year2", "Ramp, fiscal year 2", "US$ bn", "usd_bn",
         "Modelled (ramp) revenue in the fiscal year after the start's (the first full year when the "
         "contract starts inside a fiscal year).", "Schedule"),
    _out("overstatement_2y", "Straight-line overstatement, 2 years", "US$ bn", "usd_bn",
         "Straight line minus ramp over the first two fiscal years.", "Schedule"),
    _out("overstatement_2y_pct", "Straight-line overstatement, 2 years, %", "fraction of ramp", "pct",
         "Two-year overstatement ÷ ramp revenue of the same two years.", "Schedule"),
    _out("growth_pp_straight_year2", "Growth contribution, straight line, first full year", "pp", "pp",
         "Change in straight-line deal revenue from the year before to the first full fiscal year (the first "
         "the contract runs from its first day) ÷ the provider's base revenue in the year before, in points.",
         "Schedule"),
    _out("growth_pp_ramp_year2", "Growth contribution, ramp, first full year", "pp", "pp",
         "Change in ramp deal revenue from the year before to the first full fiscal year (the first the "
         "contract runs from its first day) ÷ the provider's base revenue in the year before, in points.",
         "Schedule"),
    _out("growth_pp_gap_year2", "Growth overstatement, first full year", "pp", "pp",
         "Straight-line minus ramp growth contribution in the first full fiscal year, in percentage points.",
         "Schedule"),
    # 2. Margin
    _out("deal_margin_life", "Deal operating margin, life of contract", "fraction", "pct",
         "The deal's operating profit ÷ revenue over the contract, from its cost stack (or the override).",
         "Margin"),
    _out("deal_margin_year2", "Deal operating margin, first full year", "fraction", "pct",
         "The deal's operating profit ÷ revenue in the first fiscal year the contract runs from its first "
         "day (the start's own when it starts on that year's first day, else the next).", "Margin"),
    _out("margin_bps_year2", "Margin change, first full year", "bps", "bps",
         "Change of the provider's operating margin caused by the deal in its first full fiscal year (the "
         "deal's operating profit and revenue added to the base; negative = dilution).", "Margin"),
    _out("margin_bps_peak", "Peak margin dilution", "bps", "bps",
         "The most negative change of the provider's margin in any full fiscal year of the contract (a stub "
         "year is left out; positive only when the deal raises the margin in every year).", "Margin"),
    _out("blended_margin_year2", "Blended margin, first full year", "fraction", "pct",
         "Provider operating margin with the deal in its first full fiscal year.", "Margin"),
    # 4. Backlog
    _out("backlog_added", "Backlog added at the first quarter end", "US$ bn", "usd_bn",
         "Contract value booked into backlog (RPO) by the end of the quarter it is booked in (the signing "
         "quarter, unless a booking date is given).", "Backlog"),
    _out("backlog_after_deal", "Backlog after the deal", "US$ bn", "usd_bn",
         "Reported backlog before the deal plus the backlog the deal adds.", "Backlog"),
    _out("backlog_increase_pct", "Backlog increase", "fraction", "pct",
         "Backlog added ÷ reported backlog before the deal.", "Backlog",
         missing="no reported backlog before the deal (0: not disclosed), so no increase to measure"),
    _out("backlog_deal_share", "Deal share of backlog", "fraction", "pct",
         "Backlog added ÷ backlog after the deal: the customer concentration.", "Backlog",
         missing="no reported backlog before the deal (0: not disclosed), so no share to measure"),
    _out("current_rpo", "Current RPO at the first quarter end", "US$ bn", "usd_bn",
         "Contractual revenue of the deal scheduled in the 12 months after the booking quarter's end.",
         "Backlog"),
    _out("gap_year2", "Straight line minus ramp, year 2", "US$ bn", "usd_bn",
         "How much the straight line overstates fiscal year 2 (positive = ramp below the line).",
         "Schedule"),
    # 3. Capacity and power
    _out("peak_run_rate", "Peak revenue run-rate", "US$ bn a year", "usd_bn",
         "Highest annualised contractual revenue of the undelayed schedule in any fiscal year.",
         "Capacity"),
    _out("gpus", "GPUs", "GPUs", "count",
         "GPUs that sell the peak run-rate at the price per GPU-hour (or the disclosed fleet).", "Capacity"),
    _out("racks", "Racks", "racks", "count", "GPUs ÷ GPUs per rack (fractional).", "Capacity"),
    _out("facility_mw", "Facility power", "MW", "mw", "Racks × kW per rack × PUE.", "Capacity"),
    _out("it_capex", "IT capex", "US$ bn", "usd_bn", "Racks × rack price.", "Capacity"),
    _out("facility_capex", "Facility capex", "US$ bn", "usd_bn",
         "IT MW × facility cost per MW (building and plant, land excluded).", "Capacity"),
    _out("deal_capex", "Deal capex", "US$ bn", "usd_bn", "IT capex + facility capex.", "Capacity"),
    _out("deal_capex_share_2026", "Deal capex ÷ provider capex 2026", "fraction", "pct",
         "Deal capex as a share of the provider's 2026 capex guide.", "Capacity",
         missing="no 2026 capex guide for the provider (0: not disclosed)"),
    _out("energy_twh", "Energy a year", "TWh a year", "twh",
         "Facility MW drawn all year (an upper bound).", "Capacity"),
    _out("us_power_share", "Share of US electricity", "fraction", "pct",
         "Energy a year ÷ US electricity use.", "Capacity"),
    _out("power_cost", "Power bill a year", "US$ bn a year", "usd_bn",
         "Energy a year × power price.", "Capacity"),
    # 3. Economics
    _out("npv", "Deal NPV", "US$ bn", "usd_bn",
         "Net present value at the signing date of the deal's yearly cash flows for the provider.",
         "Economics"),
    _out("irr", "Deal IRR", "fraction a year", "pct",
         "Internal rate of return of the deal's cash flows (n/a when the flows have none).",
         "Economics", missing="no IRR exists for these cash flows (they never change sign)"),
    _out("payback_year", "Payback year", "fiscal year", "year",
         "First year from which cumulative cash flow stays at or above zero (n/a when never).",
         "Economics", missing="the deal never pays back (cumulative cash flow ends below zero)"),
    _out("total_cash_flow", "Total cash flow", "US$ bn", "usd_bn",
         "Undiscounted sum of the deal's cash flows.", "Economics"),
    # 7. Counterparty
    _out("customer_required_cagr", "Customer revenue growth needed", "fraction a year", "pct",
         "Growth a year that takes the customer from today's revenue to its target.", "Counterparty"),
    _out("customer_revenue_multiple", "Customer revenue multiple", "times", "ratio",
         "Target revenue ÷ today's revenue (the article's ~14x).", "Counterparty"),
    _out("commitments_target_year", "Customer commitments, target year", "US$ bn", "usd_bn",
         "Spend on all the customer's compute commitments in its target year.", "Counterparty"),
    _out("coverage_target_year", "Coverage ratio, target year", "times", "ratio",
         "Customer revenue ÷ commitments in the target year (n/a without commitments that year).",
         "Counterparty", missing="the customer has no commitment spend in the target year"),
    _out("funding_gap_target_year", "Funding gap, target year", "US$ bn", "usd_bn",
         "Commitments − customer revenue in the target year (positive = not covered).", "Counterparty"),
    # 9. Valuation
    _out("price_after", "Price after the news", "US$ per share", "usd",
         "Prior close × (1 + announcement move).", "Valuation"),
    _out("value_added", "Market value added", "US$ bn", "usd_bn",
         "Price change × shares outstanding.", "Valuation"),
    _out("value_added_to_contract", "Value added ÷ contract value", "times", "ratio",
         "How many times the headline contract value the market added.", "Valuation"),
    _out("abnormal_return", "Abnormal return", "fraction", "pct",
         "Stock return − market return (beta 1).", "Valuation"),
    _out("market_value_after", "Market value after the news", "US$ bn", "usd_bn",
         "Price after the news × shares outstanding.", "Valuation"),
    _out("market_value_target_year", "Market value in the threshold year", "US$ bn", "usd_bn",
         "Market value after the news (less the cloud shock when applied) grown at the market-value "
         "growth input to the threshold year.", "Valuation"),
    _out("market_value_passes", "Market value passes the threshold", "1 = yes", "flag",
         "1 when the market value in the threshold year is at or above the threshold.", "Valuation",
         missing=_NO_THRESHOLD),
    _out("market_value_required_growth", "Market value growth needed", "fraction a year", "pct",
         "Growth a year from the announcement year that reaches the threshold in the threshold year.",
         "Valuation", missing=_NO_THRESHOLD),
    _out("cloud_shock_value", "Market value lost in a cloud shock", "US$ bn", "usd_bn",
         "Market value after the news × the cloud sector shock (negative = loss).", "Valuation"),
)

_OUTPUT_NAMES = tuple(spec.name for spec in OUTPUTS)
_MISSING = {spec.name: spec.missing for spec in OUTPUTS if spec.missing}


def output_names() -> tuple[str, ...]:
    """Names of every key figure, in ``OUTPUTS`` order.

    >>> output_names()[0]
    'straight_line_annual'
    """
    return _OUTPUT_NAMES


@dataclasses.dataclass(frozen=True)
class ModelResult:
    """What one model run produces.

    ``outputs`` maps every name in ``OUTPUTS`` to a float (units as described
    there), or to ``None`` when no value exists (e.g. a deal that never pays
    back has no payback year); ``tables`` maps a topic (``"schedule"``,
    ``"gap"``, ...) to its DataFrame.
    """

    assumptions: Assumptions
    outputs: dict[str, float | None]
    tables: dict[str, pd.DataFrame]

    def output_table(self) -> pd.DataFrame:
        """The key figures as a table: name, label, value, unit, fmt (``OUTPUTS`` order).

        ``value`` is a nullable float column: a figure with no value is ``<NA>``
        (a blank cell in Excel), never NaN.
        """
        rows = [(s.name, s.label, s.unit, s.fmt) for s in OUTPUTS]
        table = pd.DataFrame(rows, columns=["name", "label", "unit", "fmt"])
        values = pd.array([self.outputs[s.name] for s in OUTPUTS], dtype="Float64")
        table.insert(2, "value", values)
        return table


def check_output_name(name: Any) -> str:
    """Return ``name`` if it is a key figure of the model, else raise listing the valid names."""
    if not isinstance(name, str) or name.strip() not in _OUTPUT_NAMES:
        raise DealDeskInputError(
            f"output must be one of {', '.join(_OUTPUT_NAMES)}; got {name!r}"
        )
    return name.strip()


def require_value(name: str, value: float | None) -> float:
    """``value`` of the key figure ``name``, or :class:`NoValueError` saying why it has none.

    >>> require_value("npv", 1.5)
    1.5
    >>> require_value("payback_year", None)
    Traceback (most recent call last):
    ...
    core.model.NoValueError: payback_year: the deal never pays back (cumulative cash flow ends below zero)
    """
    if value is None:
        raise NoValueError(f"{name}: {_MISSING.get(name) or 'no value for these inputs'}")
    return value
