"""The ONE label table of the reports: what every name is called on a page, its unit and its format.

A name is looked up in this order: a key figure of ``core.model.OUTPUTS``, an
input of ``core.assumptions.INPUTS``, then :data:`COLUMNS` (the columns of the
model's tables and of the report's own tables). New figures of the core flow
through without an edit here; a name found nowhere is shown in words (its
underscores as spaces), never as an identifier.
"""

from __future__ import annotations

from typing import NamedTuple

from core.assumptions import INPUTS
from core.model import OUTPUTS
from workbook.styles import input_hint

__all__ = ["COLUMNS", "FISCAL_YEAR_TABLES", "SHEET_TITLES", "Label", "header", "label_of", "sheet_title"]


class Label(NamedTuple):
    """How a name is shown: its label, its unit ('' for none) and its format hint (styles.NUMBER_FORMATS)."""

    label: str
    unit: str
    fmt: str


_BN, _FR = "US$ bn", "fraction"

#: Columns of the model's tables (``ModelResult.tables``) and rows of its
#: name/value tables that are not key figures, plus the report's own columns.
COLUMNS: dict[str, Label] = {
    # time
    "period": Label("Period", "", "text"),
    "start": Label("Start", "", "date"),
    "end": Label("End", "", "date"),
    "year": Label("Year", "", "year"),
    # schedule and straight line vs ramp
    "revenue": Label("Revenue", _BN, "usd_bn"),
    "cumulative": Label("Cumulative revenue", _BN, "usd_bn"),
    "straight": Label("Straight line", _BN, "usd_bn"),
    "ramp": Label("Ramp", _BN, "usd_bn"),
    "gap": Label("Straight line − ramp", _BN, "usd_bn"),
    "growth_pp_straight": Label("Growth contribution, straight line", "pp", "pp"),
    "growth_pp_ramp": Label("Growth contribution, ramp", "pp", "pp"),
    "growth_pp_gap": Label("Growth overstatement", "pp", "pp"),
    # margin
    "contract_days": Label("Days of the contract in the year", "days", "integer"),
    "full_year": Label("Full year or stub", "", "text"),
    "base_revenue": Label("Provider revenue before the deal", _BN, "usd_bn"),
    "deal_revenue": Label("Deal revenue", _BN, "usd_bn"),
    "deal_share": Label("Deal share of revenue", "%", "pct"),
    "blended_margin": Label("Blended operating margin", "%", "pct"),
    "change_bps": Label("Margin change from the deal", "bps", "bps"),
    "deal_margin": Label("Deal operating margin", "%", "pct"),
    "step": Label("Step", "", "text"),
    "bps": Label("Margin", "bps", "bps"),
    "margin": Label("Margin", "%", "pct"),
    "chart_label": Label("Step", "", "text"),
    "chart_bps": Label("Change from the base margin", "bps", "bps"),
    # backlog
    "beginning": Label("Backlog, beginning", _BN, "usd_bn"),
    "bookings": Label("Bookings", _BN, "usd_bn"),
    "recognised": Label("Revenue recognised", _BN, "usd_bn"),
    "derecognised": Label("Derecognised", _BN, "usd_bn"),
    "ending": Label("Backlog, ending", _BN, "usd_bn"),
    # capacity and economics
    "it_mw": Label("IT power", "MW", "mw"),
    "energy_mwh": Label("Energy a year, in MWh", "MWh a year", "count"),
    "capex": Label("Capex", _BN, "usd_bn"),
    "refresh_capex": Label("Refresh capex (servers bought again)", _BN, "usd_bn"),
    "it_capex": Label("IT capex", _BN, "usd_bn"),
    "facility_capex": Label("Facility capex", _BN, "usd_bn"),
    "depreciation": Label("Depreciation", _BN, "usd_bn"),
    "power_cost": Label("Power", _BN, "usd_bn"),
    "power": Label("Power", _BN, "usd_bn"),
    "other_opex": Label("Other operating costs", _BN, "usd_bn"),
    "operating_profit": Label("Operating profit", _BN, "usd_bn"),
    "tax": Label("Tax", _BN, "usd_bn"),
    "residual_value": Label("Residual value", _BN, "usd_bn"),
    "cash_flow": Label("Cash flow", _BN, "usd_bn"),
    "cumulative_cash_flow": Label("Cumulative cash flow", _BN, "usd_bn"),
    "discounted_cash_flow": Label("Discounted cash flow", _BN, "usd_bn"),
    # counterparty
    "commitments": Label("Compute commitments", _BN, "usd_bn"),
    "coverage_ratio": Label("Coverage (revenue ÷ commitments)", "times", "ratio"),
    "funding_gap": Label("Funding gap", _BN, "usd_bn"),
    "required_growth": Label("Growth needed", "% a year", "pct"),
    # valuation rows
    "prior_close": Label("Close before the news", "US$ per share", "usd"),
    "price": Label("Price after the news", "US$ per share", "usd"),
    "price_change": Label("Price change", "US$ per share", "usd"),
    "stock_return": Label("Stock return on the day", "%", "pct"),
    "market_return": Label("Market return on the day", "%", "pct"),
    "market_value_before": Label("Market value before the news", _BN, "usd_bn"),
    "abnormal_value_added": Label("Abnormal value added", _BN, "usd_bn"),
    "abnormal_value_added_to_contract": Label("Abnormal value added ÷ contract value", "times", "ratio"),
    "value_at_target": Label("Market value in the threshold year", _BN, "usd_bn"),
    "threshold": Label("Market value threshold", _BN, "usd_bn"),
    # portfolio exposure (core.exposure)
    "provider": Label("Provider", "", "text"),
    "customer": Label("Customer", "", "text"),
    "total": Label("Total", _BN, "usd_bn"),
    "ai_backlog": Label("AI backlog", _BN, "usd_bn"),
    "mean_at_risk": Label("Mean revenue at risk", _BN, "usd_bn"),
    "p99": Label("99th percentile", "", "number"),
    "mean_share_of_backlog": Label("Mean loss ÷ AI backlog", "%", "pct"),
    "p_loss_above_threshold": Label("P(loss > threshold)", "%", "pct"),
    "main_customer": Label("Main customer", "", "text"),
    "lost": Label("Revenue lost", _BN, "usd_bn"),
    "growth_change_pp": Label("Growth change from the loss", "pp", "pp"),
    "margin_change_bps": Label("Margin change from the loss", "bps", "bps"),
    "peak_ratio": Label("Contracted revenue ÷ revenue path, peak year", "times", "ratio"),
    # the deal library (core.deals.DEAL_COLUMNS)
    "deal": Label("Deal", "", "text"),
    "kind": Label("Kind of deal", "", "text"),
    "announced": Label("Announced", "", "date"),
    "announced_note": Label("Announcement note", "", "text"),
    "value_usd_bn": Label("Headline value", _BN, "usd_bn"),
    "value_high_usd_bn": Label("Headline value, high end", _BN, "usd_bn"),
    "value_basis": Label("What the value covers", "", "text"),
    "value_note": Label("Value note", "", "text"),
    "term_note": Label("Term note", "", "text"),
    "start_note": Label("Start note", "", "text"),
    "capacity": Label("Capacity", "", "text"),
    "capacity_gpus": Label("Capacity, GPUs", "GPUs", "count"),
    "capacity_it_mw": Label("Capacity, IT load", "MW", "mw"),
    "status": Label("Status", "", "text"),
    "source": Label("Source", "", "text"),
    # report tables
    "figure": Label("Key figure", "", "text"),
    "unit": Label("Unit", "", "text"),
    "value": Label("Value", "", "number"),
    "check": Label("Check", "", "text"),
    "expected": Label("Expected", "", "number"),
    "actual": Label("Actual", "", "number"),
    "difference": Label("Difference", "", "number"),
    "result": Label("Result", "", "text"),
    "question": Label("Risk question", "", "text"),
    "output": Label("Key figure", "", "text"),
    "side": Label("Side", "", "text"),
    "probability": Label("Probability", "%", "pct"),
    "se": Label("Standard error", "%", "pct"),
    "mean": Label("Mean", "", "number"),
    "stdev": Label("Standard deviation", "", "number"),
    "se_mean": Label("Standard error of the mean", "", "number"),
    "min": Label("Minimum", "", "number"),
    "max": Label("Maximum", "", "number"),
    "p5": Label("5th percentile", "", "number"),
    "p25": Label("25th percentile", "", "number"),
    "p50": Label("Median", "", "number"),
    "p75": Label("75th percentile", "", "number"),
    "p95": Label("95th percentile", "", "number"),
    "input": Label("Input", "", "text"),
    "base_value": Label("Base value", "", "number"),
    "low_value": Label("Low value", "", "number"),
    "high_value": Label("High value", "", "number"),
    "output_low": Label("Figure at the low value", "", "number"),
    "output_high": Label("Figure at the high value", "", "number"),
    "base_output": Label("Figure at the base value", "", "number"),
    "range": Label("Range", "", "number"),
    "bin": Label("Bin", "US$ bn", "text"),
    "bin_from": Label("From", "", "number"),
    "bin_to": Label("To", "", "number"),
    "draws": Label("Draws", "", "integer"),
    "share_of_draws": Label("Share of draws", "%", "pct"),
    "straight line": Label("Straight line", _BN, "usd_bn"),
}

#: Model tables whose ``year`` counts the provider's fiscal years: pages label them as the periods
#: are (FY2026). The counterparty's years are the customer's calendar years and stay 2026.
FISCAL_YEAR_TABLES = frozenset({"economics"})

#: Sheet titles of the model's tables.
SHEET_TITLES: dict[str, str] = {
    "schedule": "Schedule",
    "gap": "Straight line vs ramp",
    "backlog": "Backlog",
    "margin": "Margin",
    "margin_bridge": "Margin bridge",
    "capacity": "Capacity",
    "economics": "Economics",
    "counterparty": "Counterparty",
    "valuation": "Valuation",
    "pairs": "Pair trade",
    "simulation": "Monte Carlo",
}

_UNITS = {
    "share of full": "% of full rate",
    "1 = yes": "yes/no",
}


def _in_words(name: str) -> str:
    text = str(name).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _unit(unit: str) -> str:
    """A unit as pages show it: a fraction is shown in % (``fraction of revenue`` → ``% of revenue``).

    >>> _unit("fraction of revenue"), _unit("share of full"), _unit("US$ bn")
    ('% of revenue', '% of full rate', 'US$ bn')
    """
    if unit.startswith("fraction"):
        return "%" + unit[len("fraction") :]
    return _UNITS.get(unit, unit)


def _build() -> dict[str, Label]:
    table: dict[str, Label] = dict(COLUMNS)
    for spec in INPUTS:
        fmt = input_hint(spec.kind, spec.unit)
        unit = "" if spec.kind in ("text", "choice", "date") else _unit(spec.unit)
        table[spec.name] = Label(spec.label, unit, fmt)
    for out in OUTPUTS:
        table[out.name] = Label(out.label, _unit(out.unit), out.fmt)
    return table


_ALL = _build()


def label_of(name: object, *, column: bool = False) -> Label:
    """The label, unit and format hint of a name (a key figure, an input or a table column).

    ``column`` (keyword-only): the name heads a column of a yearly table, so
    :data:`COLUMNS` is looked up first (``power_cost`` there is one year's
    power, not the key figure "Power bill a year").

    >>> label_of("npv").label, label_of("npv").unit
    ('Deal NPV', 'US$ bn')
    >>> label_of("ending")
    Label(label='Backlog, ending', unit='US$ bn', fmt='usd_bn')
    >>> label_of("something_new").label
    'Something new'
    """
    key = str(name)
    found = COLUMNS.get(key) if column else None
    found = found if found is not None else _ALL.get(key)
    return found if found is not None else Label(_in_words(key), "", "number")


def header(name: object, *, column: bool = True) -> str:
    """A column header: the label with its unit in brackets.

    >>> header("straight")
    'Straight line (US$ bn)'
    >>> header("period")
    'Period'
    """
    found = label_of(name, column=column)
    return f"{found.label} ({found.unit})" if found.unit and found.unit not in found.label else found.label


def sheet_title(key: str) -> str:
    """The sheet title of a model table.

    >>> sheet_title("gap")
    'Straight line vs ramp'
    """
    return SHEET_TITLES.get(key, _in_words(key))
