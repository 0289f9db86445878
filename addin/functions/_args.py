"""The DEAL functions' argument help (Excel shows it), written once: ``DOCS`` tables, ``shared_args``.

Also the xlwings options of a one-cell (``CELL``) and a range (``RANGE``) argument.
"""

import inspect
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import xlwings as xw

from addin import converters as cv
from core.assumptions import SCENARIOS
from core.backlog import backlog_rollforward
from core.conventions import DELAY_MODES, FREQUENCIES, PROFILES
from core.economics import deal_cash_flows
from core.schedule import contract_schedule
from core.validation import MAX_DRAWS

#: Excel function category (classic xlwings' Insert Function dialog).
CATEGORY = "DealDesk"
#: xlwings options of a one-cell argument: Excel errors arrive as text ("#N/A") to be named, and
#: a range always as rows, so a column passed by mistake is reported as 2 x 1, not 1 x 2.
CELL: dict[str, Any] = {"err_to_str": True, "ndim": 2}
#: xlwings options of a range argument: always a list of rows.
RANGE: dict[str, Any] = {"err_to_str": True, "ndim": 2}


def default_of(function: Callable[..., Any], parameter: str) -> Any:
    """The core's default of ``parameter``, quoted in the argument docs."""
    return inspect.signature(function).parameters[parameter].default


def quoted(choices: tuple[str, ...]) -> str:
    return ", ".join(f'"{c}"' for c in choices)


#: Argument docs shared by several functions (the Excel argument help).
DOCS = {
    "value": "Headline contract value, money (for example 38 for $38B), >= 0.",
    "start": "First day of the contract: a date, a serial number or text like 2025-11-03.",
    "term_years": "Contract term in years, > 0, a whole number of months (7 or 2.5).",
    "frequency": f"Period length: {quoted(FREQUENCIES)}. Blank: "
    f'"{default_of(contract_schedule, "frequency")}".',
    "fiscal_year_end": "Month (1-12) in which the fiscal year ends: Amazon 12, Microsoft 6, Oracle 5. "
    f"Blank: {default_of(contract_schedule, 'fiscal_year_end')}.",
    "realisation": "Expected utilisation, a fraction in [0, 1] (0.95 for a 5% discount). "
    f"Blank: {default_of(contract_schedule, 'realisation')}.",
    "delay_quarters": "Delivery delay in calendar quarters before revenue starts (1/3 = one month), >= 0. "
    "Blank: 0.",
    "delay_mode": f"How a delay acts: {quoted(DELAY_MODES)} (longer term, squeezed shape, lost tail). "
    f'Blank: "{default_of(contract_schedule, "delay_mode")}".',
    "full_at": "linear profile: date (or fraction of the term) at which revenue reaches its full run-rate.",
    "initial_rate": "linear profile: starting rate as a fraction of the full rate, in [0, 1]. Blank: 0.",
    "midpoint": "scurve profile: date (or fraction of the term) of the steepest ramp. Blank: 0.5.",
    "steepness": "scurve profile: logistic steepness, > 0 (higher = sharper ramp). Blank: 10.",
    "power": "front/back profile: exponent p of (1-x)^p or x^p, >= 0. Blank: 1.",
    "weights": "custom profile: one weight per contract year (a row or column of numbers >= 0).",
    "capacity": "capacity profile: levels on equal slices of the term (a row or column), "
    "or two columns (date, capacity online).",
}


def profile_doc(function: Callable[..., Any]) -> str:
    return f'Revenue shape: {quoted(PROFILES)}. Blank: "{default_of(function, "profile")}".'


_F = TypeVar("_F", bound=Callable[..., Any])

#: The contract a schedule function starts from: its first, required arguments.
CONTRACT_ARGS = ("value", "start", "term_years")
#: Shared arguments that take a range (``RANGE``); every other shared argument takes one cell (``CELL``).
RANGE_ARGS = frozenset({"weights", "capacity", "tranches"})


def shared_args(*names: str, docs: Mapping[str, str] = DOCS, **overrides: str) -> Callable[[_F], _F]:
    """One ``@xw.arg(name, doc=..., **CELL)`` (``**RANGE`` for ``RANGE_ARGS``) for each shared argument.

    The doc is ``overrides[name]`` if given, else ``docs[name]``. Like ``@xw.arg``
    it goes below ``@xw.func``: an ``xw.arg`` applied after ``xw.func`` would
    reset the Office.js name. xlwings lists the arguments in signature order,
    whatever the order of ``names``.
    """
    unknown = sorted(set(overrides) - set(names))
    if unknown:
        raise ValueError(f"shared_args: docs given for arguments not listed: {unknown}")

    def decorate(function: _F) -> _F:
        for name in reversed(names):  # as if stacked as decorators, the last one applied first
            doc = overrides[name] if name in overrides else docs[name]
            function = xw.arg(name, doc=doc, **(RANGE if name in RANGE_ARGS else CELL))(function)
        return function

    return decorate


#: Argument docs of the backlog, margin, capacity and economics functions.
DOCS_MODEL = {
    "booking": 'How the contract enters backlog: "full" (whole value at signing) or "staged" (tranches). '
    f'Blank: "{default_of(backlog_rollforward, "booking")}".',
    "tranches": "staged booking: a row or column of dates (equal shares of value), or two columns "
    "(date, amount) with amounts adding up to value; dates within the contract.",
    "derecognition": 'When the unused commitment (value − revenue) leaves backlog: "end" (at contract end) '
    f'or "prorata" (with revenue). Blank: "{default_of(backlog_rollforward, "derecognition")}".',
    "as_of": "Date at whose end the backlog is measured (a quarter end such as 2025-12-31): a date, "
    "a serial number or ISO text.",
    "base_revenue": "Provider segment revenue without the deal, money per period (AWS 2024: 107.6).",
    "base_margin": "Segment operating margin without the deal, a fraction (AWS 2024: 0.37).",
    "deal_revenue": "The deal's revenue in the same period and money unit (a full run-rate year: ~5.4).",
    "deal_margin": "The deal's operating margin, a fraction (GPU rental ~0.15), may be negative.",
    "capex": "IT capital (servers, GPUs, network) spent on the contract's capacity, same money unit as "
    "value, >= 0; depreciated over useful_life_years.",
    "facility_capex": "Building and power/cooling plant for the contract, same money unit, >= 0; "
    "depreciated over facility_life_years. Blank: 0.",
    "facility_life_years": "Depreciation life of facility capex in years, > 0 (analyst assumption). "
    f"Blank: {default_of(deal_cash_flows, 'facility_life_years')}.",
    "committed_capex_share": "Share of capex spent on the original timetable when delivery is delayed, "
    f"a fraction. Blank: {default_of(deal_cash_flows, 'committed_capex_share')} (all of it).",
    "margin_override": "An operating margin to impose instead of the cost stack, a fraction in [-1, 1]. "
    "Blank: the margin follows from the costs.",
    "lead_years": "Years capex is spent ahead of the revenue it serves, 0-10 (analyst assumption). "
    f"Blank: {default_of(deal_cash_flows, 'lead_years')}.",
    "useful_life_years": "Depreciation life in years, > 0 (Amazon servers: 5 from 2025, FY2024 10-K). "
    f"Blank: {default_of(deal_cash_flows, 'useful_life_years')}.",
    "tax_rate": "Tax on operating profit, a fraction (US federal statutory 0.21). "
    f"Blank: {default_of(deal_cash_flows, 'tax_rate')}.",
    "power_cost_share": "Power cost as a fraction of revenue, in [0, 1]. Blank: 0.",
    "other_opex_share": "Other operating costs as a fraction of revenue, in [0, 1]. Blank: 0.",
    "discount_rate": "Discount rate for the NPV, a fraction (0.09 for 9%; an analyst assumption).",
}
#: The cost and depreciation options of the deal economics functions (docs in ``DOCS_MODEL``).
CASH_FLOW_ARGS = ("lead_years", "useful_life_years", "tax_rate", "power_cost_share", "other_opex_share")
#: Cost-stack options added after the contract options (so earlier formulas keep their positions).
COST_STACK_ARGS = ("facility_capex", "facility_life_years", "committed_capex_share", "margin_override")
#: The contract options of the deal economics functions: all but frequency (their periods are years).
ECONOMICS_OPTIONS = tuple(name for name in cv.SCHEDULE_OPTIONS if name != "frequency")

#: Argument docs of the model-level functions.
DOCS_WHOLE = {
    "inputs": "Two-column range of input names and values (the template's Inputs sheet); blank values take "
    "the defaults (the AWS-OpenAI base case).",
    "name": "Name of a key figure (see DEAL.OUTPUTS), for example ramp_year2, margin_bps_peak or npv.",
    "scenario": f"Scenario name: {quoted(tuple(SCENARIOS))}.",
    "row_input": "Input name whose values run down the grid, for example price_per_gpu_hour.",
    "row_values": "Values of row_input to try: a row or column of numbers.",
    "col_input": "Input name whose values run across the grid, for example realisation.",
    "col_values": "Values of col_input to try: a row or column of numbers.",
    "input_names": "Input names to swing, a row or column of text. Blank: every input the engine can vary.",
    "swing": "Low and high as the base value times (1 - swing) and (1 + swing), a fraction. Blank: 0.1.",
    "distributions": "Range of rows: input name, kind (uniform, triangular, normal, lognormal, pert, "
    "discrete), then its parameters. Blank: the default risks, centred on the inputs.",
    "draws": f"Number of Monte Carlo draws, 1 to {MAX_DRAWS:,} (DEALDESK_MAX_DRAWS raises the limit). Blank: 10000.",
    "seed": "Random seed, a whole number >= 0; the same seed gives the same numbers. Blank: 0.",
    "outputs": "Key figures to summarise, a row or column of names. Blank: the figures of the three risk questions.",
}

#: Argument docs of the analyst's-loop functions.
DOCS_LOOP = {
    "deal": 'A deal of the library (see DEAL.DEALS), for example "Oracle–OpenAI". Blank: "AWS–OpenAI".',
    "as_of": "Data date: a date, a serial number or text like 2025-12-31; only what was public then is used. "
    "Blank: every figure.",
}
