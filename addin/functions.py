"""DealDesk custom functions for Excel: the one module every xlwings runtime loads.

Excel names: ``=DEAL.SCHEDULE(...)`` in xlwings Server and xlwings Lite
(Office.js: namespace ``DEAL`` from ``__xlwings_func_namespace__`` plus
``xw.func(name=...)``), ``=DEAL_SCHEDULE(...)`` in classic xlwings (which
ignores ``name=`` and the namespace and uses the Python name). xlwings Server
puts its manifest's namespace in front; ``dealdesk serve`` makes that ``DEAL``
and the module then drops its own (``addin.server.module_namespace``), so
Excel shows ``=DEAL.SCHEDULE(...)`` there as well.

THE PATTERN — follow it for every function you add (append your functions in
your own marked section at the end of this file):

1. Python name ``deal_<name>``; decorate with
   ``@xw.func(name="<NAME>", category=CATEGORY)`` so Office.js shows
   ``DEAL.<NAME>`` and classic shows ``DEAL_<NAME>``.
2. One ``@xw.arg(...)`` per parameter, in signature order, each with a
   ``doc=`` (keep every doc under 255 characters: classic Excel cuts there)
   and ``**CELL`` for one-cell arguments or ``**RANGE`` for ranges (weights,
   capacity, name/value tables). ``CELL`` asks xlwings to pass Excel errors as
   text so converters can name them. Arguments documented in ``DOCS`` (or
   ``DOCS_MODEL``) are declared together with ``@shared_args(...)``, right
   below ``@xw.func``: the contract (``*CONTRACT_ARGS``) and the schedule
   options (``*cv.SCHEDULE_OPTIONS``, ``*cv.PROFILE_OPTIONS``).
3. ``@excel_errors`` directly on the ``def``: every exception becomes one
   message that names the argument (see ``addin.errors``).
4. Docstring = the Excel help: first paragraph under 255 characters (classic
   Excel's limit), then an example with the reference deal.
5. Parameters: required ones first, every optional one defaults to ``None``
   (Excel sends blanks as ``None`` anyway); no type hints (xlwings turns hints
   into converters, and ``typing.Literal`` dropdowns break classic calls).
6. Body: convert every argument with ``addin.converters`` (``cv``), call ONE
   core function, convert the result (``cv.table`` for a DataFrame,
   ``cv.cell_out`` for a scalar). No arithmetic, no branches, no reshaping:
   blanks that should take the core's default go through ``cv.present``; the
   schedule options (profile, frequency, ..., delay_quarters, the profile
   parameters) all go through ``**cv.schedule_options(locals())``.
7. Tests find new functions by themselves (``tests/addin``): metadata, docs,
   the classic VBA wrapper (regenerate the golden file, see
   ``tests/addin/test_classic.py``) and the fuzz test.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import xlwings as xw

from addin import converters as cv
from addin.errors import excel_errors
from addin.fastpath import skip_failing_jsnull_imports
from addin.server import EXCEL_NAMESPACE as _EXCEL_NAMESPACE
from addin.server import module_namespace
from core.assumptions import SCENARIOS
from core.backlog import backlog_effect, backlog_rollforward, current_rpo
from core.capacity import FACILITY_MUSD_PER_MW, POWER_USD_PER_MWH, PUE, capacity_from_revenue
from core.claims import deal_claims as claims_of_deal
from core.companies import FIELDS, company_figures
from core.contracts import customer_contracts
from core.conventions import DELAY_MODES, FREQUENCIES, PROFILES
from core.counterparty import counterparty_coverage
from core.deals import deal_library_table
from core.economics import deal_cash_flows, deal_returns
from core.exposure import SHORTFALL_RULES, exposure_risk, exposure_table
from core.margin import margin_bridge, margin_by_period
from core.model import MODEL_TABLES, model_output, run_model
from core.pairs import NEUTRALITY, SIZING_BASES, hedge_ratio, pair_legs, shock_table
from core.scenarios import scenario_output, scenario_table, sensitivity, tornado
from core.schedule import contract_schedule, profile_weights, straightline_gap
from core.simulation import simulation_summary
from core.solve import solve
from core.validation import MAX_DRAWS
from core.valuation import event_study, sum_of_parts, threshold_test
from core.watch import watch_list

# Outside the browser, xlwings' per-cell "is this JavaScript null?" check is a failing import.
skip_failing_jsnull_imports()

#: Office.js namespace: Excel shows ``=DEAL.SCHEDULE``. The module adds ``DEAL``
#: itself unless xlwings Server's manifest already does (``addin.server``), so
#: Excel never shows ``=DEAL.DEAL.SCHEDULE``; error messages always say ``DEAL.``.
EXCEL_NAMESPACE = _EXCEL_NAMESPACE
__xlwings_func_namespace__ = module_namespace()

#: Excel function category (classic xlwings' Insert Function dialog).
CATEGORY = "DealDesk"
#: xlwings options of a one-cell argument: Excel errors arrive as text ("#N/A") to be named, and
#: a range always as rows, so a column passed by mistake is reported as 2 x 1, not 1 x 2.
CELL: dict[str, Any] = {"err_to_str": True, "ndim": 2}
#: xlwings options of a range argument: always a list of rows.
RANGE: dict[str, Any] = {"err_to_str": True, "ndim": 2}


def _default(function: Callable[..., Any], parameter: str) -> Any:
    """The core's default of ``parameter``, quoted in the argument docs."""
    return inspect.signature(function).parameters[parameter].default


def _listed(choices: tuple[str, ...]) -> str:
    return ", ".join(f'"{c}"' for c in choices)


#: Argument docs shared by several functions (the Excel argument help).
DOCS = {
    "value": "Headline contract value, money (for example 38 for $38B), >= 0.",
    "start": "First day of the contract: a date, a serial number or text like 2025-11-03.",
    "term_years": "Contract term in years, > 0, a whole number of months (7 or 2.5).",
    "frequency": f"Period length: {_listed(FREQUENCIES)}. Blank: "
    f'"{_default(contract_schedule, "frequency")}".',
    "fiscal_year_end": "Month (1-12) in which the fiscal year ends: Amazon 12, Microsoft 6, Oracle 5. "
    f"Blank: {_default(contract_schedule, 'fiscal_year_end')}.",
    "realisation": "Expected utilisation, a fraction in [0, 1] (0.95 for a 5% discount). "
    f"Blank: {_default(contract_schedule, 'realisation')}.",
    "delay_quarters": "Delivery delay in calendar quarters before revenue starts (1/3 = one month), >= 0. "
    "Blank: 0.",
    "delay_mode": f"How a delay acts: {_listed(DELAY_MODES)} (longer term, squeezed shape, lost tail). "
    f'Blank: "{_default(contract_schedule, "delay_mode")}".',
    "full_at": "linear profile: date (or fraction of the term) at which revenue reaches its full run-rate.",
    "initial_rate": "linear profile: starting rate as a fraction of the full rate, in [0, 1]. Blank: 0.",
    "midpoint": "scurve profile: date (or fraction of the term) of the steepest ramp. Blank: 0.5.",
    "steepness": "scurve profile: logistic steepness, > 0 (higher = sharper ramp). Blank: 10.",
    "power": "front/back profile: exponent p of (1-x)^p or x^p, >= 0. Blank: 1.",
    "weights": "custom profile: one weight per contract year (a row or column of numbers >= 0).",
    "capacity": "capacity profile: levels on equal slices of the term (a row or column), "
    "or two columns (date, capacity online).",
}


def _profile_doc(function: Callable[..., Any]) -> str:
    return f'Revenue shape: {_listed(PROFILES)}. Blank: "{_default(function, "profile")}".'


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


# =========================================================================== schedule


@xw.func(name="SCHEDULE", category=CATEGORY)
@shared_args(*CONTRACT_ARGS, *cv.SCHEDULE_OPTIONS, profile=_profile_doc(contract_schedule))
@excel_errors
def deal_schedule(
    value,
    start,
    term_years,
    profile=None,
    frequency=None,
    fiscal_year_end=None,
    realisation=None,
    delay_quarters=None,
    delay_mode=None,
    full_at=None,
    initial_rate=None,
    midpoint=None,
    steepness=None,
    power=None,
    weights=None,
    capacity=None,
):
    """Revenue of a compute contract by fiscal period: a table with period, start, end, revenue and cumulative revenue (money in the unit of value).

    Example (AWS–OpenAI, straight line): =DEAL.SCHEDULE(38, DATE(2025,11,3), 7) books
    38 × 59/2557 = 0.877 in FY2025 and 38 in total.
    """
    return cv.table(
        contract_schedule(
            cv.number("value", value),
            cv.date("start", start),
            cv.number("term_years", term_years),
            **cv.schedule_options(locals()),
        )
    )


@xw.func(name="STRAIGHTLINE_GAP", category=CATEGORY)
@shared_args(
    *CONTRACT_ARGS,
    *cv.SCHEDULE_OPTIONS,
    profile=_profile_doc(straightline_gap) + " linear needs full_at.",
)
@xw.arg(
    "base_revenue",
    doc="Provider's annual revenue before the deal, same money unit (AWS 2024: 107.6). "
    "Adds growth contributions in percentage points. Blank: none.",
    **CELL,
)
@excel_errors
def deal_straightline_gap(
    value,
    start,
    term_years,
    profile=None,
    frequency=None,
    fiscal_year_end=None,
    realisation=None,
    delay_quarters=None,
    delay_mode=None,
    full_at=None,
    initial_rate=None,
    midpoint=None,
    steepness=None,
    power=None,
    weights=None,
    capacity=None,
    base_revenue=None,
):
    """Straight-line view of a contract (value ÷ term by days) against the modelled ramp, by period: straight, ramp and gap = straight − ramp (positive where the straight line overstates).

    Example (AWS–OpenAI, full run-rate at end-2026):
    =DEAL.STRAIGHTLINE_GAP(38, DATE(2025,11,3), 7, "linear", , , , , , DATE(2026,12,31)).
    """
    return cv.table(
        straightline_gap(
            cv.number("value", value),
            cv.date("start", start),
            cv.number("term_years", term_years),
            **cv.present(base_revenue=cv.number("base_revenue", base_revenue, default=None)),
            **cv.schedule_options(locals()),
        )
    )


@xw.func(name="PROFILE_WEIGHTS", category=CATEGORY)
@shared_args("start", "term_years", "profile", *cv.PROFILE_OPTIONS, profile=_profile_doc(profile_weights))
@excel_errors
def deal_profile_weights(
    start,
    term_years,
    profile=None,
    full_at=None,
    initial_rate=None,
    midpoint=None,
    steepness=None,
    power=None,
    weights=None,
    capacity=None,
):
    """Share of contract value earned in each contract year under a revenue profile: a table with contract_year, start, end and share (fractions summing to 1).

    Example: =DEAL.PROFILE_WEIGHTS(DATE(2025,11,3), 7) gives each contract year its days ÷ 2557.
    """
    return cv.table(
        profile_weights(
            cv.date("start", start),
            cv.number("term_years", term_years),
            **cv.schedule_options(locals()),
        )
    )


# =========================================================================== counterparty, deal library, valuation, pairs


@xw.func(name="DEALS", category=CATEGORY)
@excel_errors
def deal_deals():
    """The deal library: every public AI compute contract with provider, customer, value (US$ bn, blank if not disclosed), term, start, capacity, status, source and why a deal is not modelled.

    Example: =DEAL.DEALS() lists AWS–OpenAI ($38B, 7 years from 2025-11-03) and 13 other contracts.
    """
    return cv.table(deal_library_table())


@xw.func(name="PORTFOLIO", category=CATEGORY)
@xw.arg(
    "customer",
    doc="Customer whose deals to list, as in the library (OpenAI, Microsoft, Meta, Anthropic). Blank: OpenAI.",
    **CELL,
)
@excel_errors
def deal_portfolio(customer=None):
    """A customer's compute contracts from the deal library, each with the schedule its own report uses (start, term, ramp, realisation, delay, booking); assumed values are flagged and explained.

    Example: =DEAL.PORTFOLIO("OpenAI") lists AWS, Microsoft, Oracle and CoreWeave, $610.4B in all.
    """
    return cv.table(customer_contracts(cv.text("customer", customer, default=None) or "OpenAI"))


@xw.func(name="COUNTERPARTY", category=CATEGORY)
@xw.arg(
    "start_revenue",
    doc="Customer revenue in start_year, money (OpenAI: 13.1 for $13.1B in 2025), > 0.",
    **CELL,
)
@xw.arg(
    "target_revenue",
    doc="Customer revenue targeted in target_year, same money unit (OpenAI: 280 in 2030), > 0.",
    **CELL,
)
@xw.arg("start_year", doc="Year of start_revenue, a whole year such as 2025.", **CELL)
@xw.arg("target_year", doc="Year of target_revenue, after start_year (OpenAI: 2030).", **CELL)
@xw.arg("customer", doc="Customer whose library deals are its commitments. Blank: OpenAI.", **CELL)
@xw.arg(
    "growth_after",
    doc="Analyst assumption: customer revenue growth a year after target_year, a fraction > -1. Blank: 0 (flat).",
    **CELL,
)
@xw.arg("fiscal_year_end", doc="Month (1-12) in which the customer's fiscal year ends. Blank: 12.", **CELL)
@excel_errors
def deal_counterparty(
    start_revenue,
    target_revenue,
    start_year,
    target_year,
    customer=None,
    growth_after=None,
    fiscal_year_end=None,
):
    """Customer revenue (geometric path) against the yearly spend of all its commitments, each contract on its own report's schedule: year, revenue, commitments, coverage_ratio, funding_gap and required_growth.

    Example (OpenAI's path: $13.1B in 2025 to $280B in 2030): =DEAL.COUNTERPARTY(13.1, 280, 2025, 2030).
    """
    return cv.table(
        counterparty_coverage(
            cv.number("start_revenue", start_revenue),
            cv.number("target_revenue", target_revenue),
            start_year=cv.number("start_year", start_year),
            target_year=cv.number("target_year", target_year),
            **cv.present(
                customer=cv.text("customer", customer, default=None),
                growth_after=cv.number("growth_after", growth_after, default=None),
                fiscal_year_end=cv.number("fiscal_year_end", fiscal_year_end, default=None),
            ),
        )
    )


@xw.func(name="EVENT_STUDY", category=CATEGORY)
@xw.arg("price", doc="Share price after the news, US$ per share (Amazon pre-market: 258.38), > 0.", **CELL)
@xw.arg("shares", doc="Shares outstanding, a count (Amazon: 10690216011), > 0.", **CELL)
@xw.arg("contract_value", doc="Headline contract value in money_unit (38 for $38B), > 0.", **CELL)
@xw.arg(
    "move",
    doc="Reported price move, a fraction (0.058 for +5.8%). Give move or prior_price, not both.",
    **CELL,
)
@xw.arg("prior_price", doc="Prior close, US$ per share (244.22). Give move or prior_price, not both.", **CELL)
@xw.arg("market_return", doc="The market's move over the same window, a fraction. Blank: 0.", **CELL)
@xw.arg("beta", doc="The stock's market beta for the abnormal return. Blank: 1.", **CELL)
@xw.arg(
    "money_unit",
    doc="Market values are divided by this: 1000000000 reports US$ billions. Blank: 1000000000.",
    **CELL,
)
@excel_errors
def deal_event_study(
    price,
    shares,
    contract_value,
    move=None,
    prior_price=None,
    market_return=None,
    beta=None,
    money_unit=None,
):
    """The market's reaction to a deal: prior close, returns, abnormal return, market value added and its multiple of the contract value, as name/value rows.

    Example (the article): =DEAL.EVENT_STUDY(258.38, 10690216011, 38, 0.058) gives a prior close of 244.22
    and about $151B added, 3.98 times the contract.
    """
    return cv.name_value_table(
        event_study(
            cv.number("price", price),
            shares=cv.number("shares", shares),
            contract_value=cv.number("contract_value", contract_value),
            **cv.present(
                move=cv.number("move", move, default=None),
                prior_price=cv.number("prior_price", prior_price, default=None),
                market_return=cv.number("market_return", market_return, default=None),
                beta=cv.number("beta", beta, default=None),
                money_unit=cv.number("money_unit", money_unit, default=None),
            ),
        )
    )


@xw.func(name="SOTP", category=CATEGORY)
@xw.arg(
    "segments",
    doc="Two columns: segment name, segment value (money; e.g. a metric times its multiple).",
    **RANGE,
)
@xw.arg("net_cash", doc="Cash minus debt, same money unit (negative for net debt). Blank: 0.", **CELL)
@excel_errors
def deal_sotp(segments, net_cash=None):
    """Sum-of-the-parts market value: each segment's value, net cash, and the total market value, as a table.

    Example: =DEAL.SOTP(A2:B3, 50) with AWS 1125 and the rest 1500 gives a market value of 2675.
    """
    return cv.table(
        sum_of_parts(
            cv.name_values("segments", segments),
            **cv.present(net_cash=cv.number("net_cash", net_cash, default=None)),
        )
    )


@xw.func(name="THRESHOLD", category=CATEGORY)
@xw.arg(
    "market_value",
    doc="Market value in start_year, money (Amazon after the news: 2762 for $2,762B), > 0.",
    **CELL,
)
@xw.arg("threshold", doc="The level to pass, same money unit (3000 for $3 trillion), > 0.", **CELL)
@xw.arg("growth", doc="Assumed market value growth a year, a fraction > -1 (0.05 for 5%).", **CELL)
@xw.arg("start_year", doc="Year of market_value, a whole year such as 2025.", **CELL)
@xw.arg("target_year", doc="Year by which to pass the threshold, on or after start_year (2027).", **CELL)
@excel_errors
def deal_threshold(market_value, threshold, growth, start_year, target_year):
    """Does a market value growing at a given rate pass a threshold by a target year? value_at_target, passes, headroom, required_growth and first_year as name/value rows.

    Example (the article: Amazon above $3T by 2027?): =DEAL.THRESHOLD(2762.14, 3000, 0.05, 2025, 2027).
    """
    return cv.name_value_table(
        threshold_test(
            cv.number("market_value", market_value),
            cv.number("threshold", threshold),
            growth=cv.number("growth", growth),
            start_year=cv.number("start_year", start_year),
            target_year=cv.number("target_year", target_year),
        )
    )


@xw.func(name="HEDGE_RATIO", category=CATEGORY)
@xw.arg("long_returns", doc="Periodic returns of the long leg, fractions (a row or column).", **RANGE)
@xw.arg(
    "short_returns",
    doc="Returns of the short leg over the same periods, same length (a row or column).",
    **RANGE,
)
@excel_errors
def deal_hedge_ratio(long_returns, short_returns):
    """Minimum-variance hedge ratio: the OLS beta of the long leg's returns on the short leg's, i.e. short notional per 1 of long notional.

    Example: =DEAL.HEDGE_RATIO(B2:B253, C2:C253) on a year of daily returns.
    """
    return cv.cell_out(
        hedge_ratio(
            cv.vector("long_returns", long_returns, default=cv.REQUIRED),
            cv.vector("short_returns", short_returns, default=cv.REQUIRED),
        )
    )


@xw.func(name="PAIR_LEGS", category=CATEGORY)
@xw.arg(
    "notional", doc="Money to deploy, > 0: the long leg (basis long) or long + short (basis gross).", **CELL
)
@xw.arg(
    "neutral",
    doc=f'Balance of the legs: {_listed(NEUTRALITY)} (equal notionals, or equal beta exposure). Blank: "{_default(pair_legs, "neutral")}".',
    **CELL,
)
@xw.arg(
    "basis",
    doc=f'What notional is: {_listed(SIZING_BASES)}. Blank: "{_default(pair_legs, "basis")}".',
    **CELL,
)
@xw.arg(
    "beta_long",
    doc="Long leg's beta to the common factor (the sector), > 0 for beta-neutral. Blank: 1.",
    **CELL,
)
@xw.arg(
    "beta_short",
    doc="Short leg's beta to the common factor (the sector), > 0 for beta-neutral. Blank: 1.",
    **CELL,
)
@excel_errors
def deal_pair_legs(notional, neutral=None, basis=None, beta_long=None, beta_short=None):
    """Long and short notionals of a pair trade, dollar-neutral or beta-neutral, as name/value rows.

    Example: =DEAL.PAIR_LEGS(100, "beta", "long", 0.9, 1.5) shorts 60 against 100 long.
    """
    return cv.name_value_table(
        pair_legs(
            cv.number("notional", notional),
            **cv.present(
                neutral=cv.text("neutral", neutral, default=None),
                basis=cv.text("basis", basis, default=None),
                beta_long=cv.number("beta_long", beta_long, default=None),
                beta_short=cv.number("beta_short", beta_short, default=None),
            ),
        )
    )


@xw.func(name="PAIR_PNL", category=CATEGORY)
@xw.arg("long_notional", doc="Amount held long, money, >= 0.", **CELL)
@xw.arg("short_notional", doc="Amount held short (a positive amount), money, >= 0.", **CELL)
@xw.arg(
    "shocks",
    doc="Sector moves, fractions (a row or column; -0.15 for the cloud sector falling 15%).",
    **RANGE,
)
@xw.arg("beta_long", doc="Long leg's beta to the sector. Blank: 1.", **CELL)
@xw.arg("beta_short", doc="Short leg's beta to the sector. Blank: 1.", **CELL)
@excel_errors
def deal_pair_pnl(long_notional, short_notional, shocks, beta_long=None, beta_short=None):
    """P&L of each leg and of the pair for each sector shock: shock, long_pnl, short_pnl and pair_pnl (money), each leg floored at a total loss.

    Example (the article's cloud sector -15%): =DEAL.PAIR_PNL(100, 100, -0.15, 0.9, 1.5) makes +9.
    """
    return cv.table(
        shock_table(
            cv.number("long_notional", long_notional),
            cv.number("short_notional", short_notional),
            cv.vector("shocks", shocks, default=cv.REQUIRED),
            **cv.present(
                beta_long=cv.number("beta_long", beta_long, default=None),
                beta_short=cv.number("beta_short", beta_short, default=None),
            ),
        )
    )


# =========================================================================== backlog, margin, capacity, economics

#: Argument docs of the backlog, margin, capacity and economics functions.
DOCS_MODEL = {
    "booking": 'How the contract enters backlog: "full" (whole value at signing) or "staged" (tranches). '
    f'Blank: "{_default(backlog_rollforward, "booking")}".',
    "tranches": "staged booking: a row or column of dates (equal shares of value), or two columns "
    "(date, amount) with amounts adding up to value; dates within the contract.",
    "derecognition": 'When the unused commitment (value − revenue) leaves backlog: "end" (at contract end) '
    f'or "prorata" (with revenue). Blank: "{_default(backlog_rollforward, "derecognition")}".',
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
    f"Blank: {_default(deal_cash_flows, 'facility_life_years')}.",
    "committed_capex_share": "Share of capex spent on the original timetable when delivery is delayed, "
    f"a fraction. Blank: {_default(deal_cash_flows, 'committed_capex_share')} (all of it).",
    "margin_override": "An operating margin to impose instead of the cost stack, a fraction in [-1, 1]. "
    "Blank: the margin follows from the costs.",
    "lead_years": "Years capex is spent ahead of the revenue it serves, 0-10 (analyst assumption). "
    f"Blank: {_default(deal_cash_flows, 'lead_years')}.",
    "useful_life_years": "Depreciation life in years, > 0 (Amazon servers: 5 from 2025, FY2024 10-K). "
    f"Blank: {_default(deal_cash_flows, 'useful_life_years')}.",
    "tax_rate": "Tax on operating profit, a fraction (US federal statutory 0.21). "
    f"Blank: {_default(deal_cash_flows, 'tax_rate')}.",
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


@xw.func(name="BACKLOG", category=CATEGORY)
@shared_args(
    *CONTRACT_ARGS,
    *cv.SCHEDULE_OPTIONS,
    profile=_profile_doc(backlog_rollforward),
    frequency=f'Period length: {_listed(FREQUENCIES)}. Blank: "quarter".',
)
@shared_args("booking", "tranches", "derecognition", docs=DOCS_MODEL)
@excel_errors
def deal_backlog(
    value,
    start,
    term_years,
    booking=None,
    tranches=None,
    profile=None,
    frequency=None,
    fiscal_year_end=None,
    realisation=None,
    delay_quarters=None,
    delay_mode=None,
    derecognition=None,
    full_at=None,
    initial_rate=None,
    midpoint=None,
    steepness=None,
    power=None,
    weights=None,
    capacity=None,
):
    """Backlog (RPO) roll-forward by period: beginning, bookings, recognised revenue, derecognised unused commitment and ending backlog (money in the unit of value).

    Example (AWS–OpenAI booked in full): =DEAL.BACKLOG(38, DATE(2025,11,3), 7) books 38 in FY2025Q4
    and ends that quarter at 38 × (1 − 59/2557) = 37.12.
    """
    return cv.table(
        backlog_rollforward(
            cv.number("value", value),
            cv.date("start", start),
            cv.number("term_years", term_years),
            **cv.present(
                booking=cv.text("booking", booking, default=None),
                tranches=cv.dated_amounts("tranches", tranches),
                derecognition=cv.text("derecognition", derecognition, default=None),
            ),
            **cv.schedule_options(locals()),
        )
    )


@xw.func(name="RPO", category=CATEGORY)
@shared_args(
    *CONTRACT_ARGS,
    "profile",
    "realisation",
    "delay_quarters",
    "delay_mode",
    *cv.PROFILE_OPTIONS,
    profile=_profile_doc(current_rpo),
)
@shared_args("as_of", "booking", "tranches", "derecognition", docs=DOCS_MODEL)
@excel_errors
def deal_rpo(
    value,
    start,
    term_years,
    as_of,
    booking=None,
    tranches=None,
    profile=None,
    realisation=None,
    delay_quarters=None,
    delay_mode=None,
    derecognition=None,
    full_at=None,
    initial_rate=None,
    midpoint=None,
    steepness=None,
    power=None,
    weights=None,
    capacity=None,
):
    """Remaining performance obligation at a date: current (contractual revenue due in the next 12 months), noncurrent and total, as name/value rows.

    Example: =DEAL.RPO(38, DATE(2025,11,3), 7, DATE(2025,12,31)) gives current 38 × 365/2557 = 5.42
    of a total 37.12.
    """
    return cv.name_value_table(
        current_rpo(
            cv.number("value", value),
            cv.date("start", start),
            cv.number("term_years", term_years),
            as_of=cv.date("as_of", as_of),
            **cv.present(
                booking=cv.text("booking", booking, default=None),
                tranches=cv.dated_amounts("tranches", tranches),
                derecognition=cv.text("derecognition", derecognition, default=None),
            ),
            **cv.schedule_options(locals()),
        )
    )


@xw.func(name="BACKLOG_EFFECT", category=CATEGORY)
@xw.arg(
    "reported_backlog", doc="Backlog reported before the contract, money, > 0 (AWS Q3 2025: 200).", **CELL
)
@xw.arg("added_backlog", doc="Backlog the contract adds, same money unit (AWS–OpenAI: 38).", **CELL)
@excel_errors
def deal_backlog_effect(reported_backlog, added_backlog):
    """Effect of a contract on reported backlog: new_backlog, increase, increase_fraction (0.19 = +19%) and share_of_new (the contract's share of the new backlog), as name/value rows.

    Example: =DEAL.BACKLOG_EFFECT(200, 38) gives 238 and an increase of 0.19.
    """
    return cv.name_value_table(
        backlog_effect(
            cv.number("reported_backlog", reported_backlog), cv.number("added_backlog", added_backlog)
        )
    )


@xw.func(name="MARGIN_BRIDGE", category=CATEGORY)
@xw.arg("base_revenue", doc=DOCS_MODEL["base_revenue"], **CELL)
@xw.arg("base_margin", doc=DOCS_MODEL["base_margin"], **CELL)
@xw.arg("deal_revenue", doc=DOCS_MODEL["deal_revenue"], **CELL)
@xw.arg("deal_margin", doc=DOCS_MODEL["deal_margin"], **CELL)
@excel_errors
def deal_margin_bridge(base_revenue, base_margin, deal_revenue, deal_margin):
    """Margin bridge of a lower-margin deal: base margin, the deal's mix effect and the blended margin, each as a fraction (value) and in basis points (bps).

    Example (the article's AWS case): =DEAL.MARGIN_BRIDGE(130, 0.35, 5.4, 0.15) shows a mix effect of −79.8 bps.
    """
    return cv.table(
        margin_bridge(
            cv.number("base_revenue", base_revenue),
            cv.number("base_margin", base_margin),
            cv.number("deal_revenue", deal_revenue),
            cv.number("deal_margin", deal_margin),
        )
    )


@xw.func(name="MARGIN_BY_PERIOD", category=CATEGORY)
@xw.arg(
    "deal_revenue",
    doc="The deal's revenue by period: a row or column of numbers (the revenue column of DEAL.SCHEDULE).",
    **RANGE,
)
@xw.arg(
    "base_revenue",
    doc="Segment revenue without the deal: one cell for every period, or a row or column with one per period.",
    **RANGE,
)
@xw.arg("base_margin", doc=DOCS_MODEL["base_margin"], **CELL)
@xw.arg("deal_margin", doc=DOCS_MODEL["deal_margin"], **CELL)
@excel_errors
def deal_margin_by_period(deal_revenue, base_revenue, base_margin, deal_margin):
    """Blended segment margin and its change in basis points, period by period (periods numbered 1, 2, ... in the order given).

    Example: =DEAL.MARGIN_BY_PERIOD(D2:D9, 107.6, 0.37, 0.15) beside a DEAL.SCHEDULE spill.
    """
    return cv.table(
        margin_by_period(
            cv.vector("deal_revenue", deal_revenue, default=cv.REQUIRED),
            cv.vector("base_revenue", base_revenue, default=cv.REQUIRED),
            base_margin=cv.number("base_margin", base_margin),
            deal_margin=cv.number("deal_margin", deal_margin),
        )
    )


@xw.func(name="CAPACITY", category=CATEGORY)
@xw.arg(
    "annual_revenue_usd_bn", doc="Revenue a year in US$ billions (AWS–OpenAI straight line: 38/7).", **CELL
)
@xw.arg(
    "usd_per_gpu_hour",
    doc="Price per GPU-hour in US$, > 0 (no public figure: an analyst assumption).",
    **CELL,
)
@xw.arg("utilisation", doc="Share of GPU-hours billed, a fraction in (0, 1]. Blank: 1.", **CELL)
@xw.arg("gpus_per_rack", doc="GPUs per rack (GB200 NVL72: 72, vendor specs). Blank: 72.", **CELL)
@xw.arg("kw_per_rack", doc="Power per rack in kW (GB200 NVL72 ~120, vendor specs). Blank: 120.", **CELL)
@xw.arg(
    "pue",
    doc=f"Power usage effectiveness, 1-3 (evidence: Uptime Institute, new large sites). Blank: {PUE:g}.",
    **CELL,
)
@xw.arg(
    "facility_musd_per_mw",
    doc="Facility build cost, US$ millions per MW of IT load (evidence: median of Cushman & Wakefield and "
    f"Bernstein). Blank: {FACILITY_MUSD_PER_MW:g}.",
    **CELL,
)
@xw.arg("load_factor", doc="Average draw as a fraction of the facility's MW, in [0, 1]. Blank: 1.", **CELL)
@xw.arg(
    "power_usd_per_mwh",
    doc=f"Power price, US$ per MWh (EIA US industrial 2023). Blank: {POWER_USD_PER_MWH:g}.",
    **CELL,
)
@xw.arg("us_consumption_twh", doc="US electricity use, TWh a year (EIA 2024: 4,097). Blank: 4097.", **CELL)
@excel_errors
def deal_capacity(
    annual_revenue_usd_bn,
    usd_per_gpu_hour,
    utilisation=None,
    gpus_per_rack=None,
    kw_per_rack=None,
    pue=None,
    facility_musd_per_mw=None,
    load_factor=None,
    power_usd_per_mwh=None,
    us_consumption_twh=None,
):
    """Physical footprint of a revenue run-rate: GPUs, racks, IT and facility MW, facility capex (US$ bn), energy (MWh a year), share of US power and power bill, as name/value/unit rows.

    Example: =DEAL.CAPACITY(38/7, 3, 0.9) gives about 229,500 GPUs and 459 MW.
    """
    return cv.table(
        capacity_from_revenue(
            cv.number("annual_revenue_usd_bn", annual_revenue_usd_bn),
            usd_per_gpu_hour=cv.number("usd_per_gpu_hour", usd_per_gpu_hour),
            **cv.present(
                utilisation=cv.number("utilisation", utilisation, default=None),
                gpus_per_rack=cv.number("gpus_per_rack", gpus_per_rack, default=None),
                kw_per_rack=cv.number("kw_per_rack", kw_per_rack, default=None),
                pue=cv.number("pue", pue, default=None),
                facility_musd_per_mw=cv.number("facility_musd_per_mw", facility_musd_per_mw, default=None),
                load_factor=cv.number("load_factor", load_factor, default=None),
                power_usd_per_mwh=cv.number("power_usd_per_mwh", power_usd_per_mwh, default=None),
                us_consumption_twh=cv.number("us_consumption_twh", us_consumption_twh, default=None),
            ),
        )
    )


@xw.func(name="ECONOMICS", category=CATEGORY)
@shared_args(*CONTRACT_ARGS, *ECONOMICS_OPTIONS, profile=_profile_doc(deal_cash_flows))
@shared_args("capex", *CASH_FLOW_ARGS, docs=DOCS_MODEL)
@shared_args(*COST_STACK_ARGS, docs=DOCS_MODEL)
@excel_errors
def deal_economics(
    value,
    start,
    term_years,
    capex,
    lead_years=None,
    useful_life_years=None,
    tax_rate=None,
    power_cost_share=None,
    other_opex_share=None,
    profile=None,
    fiscal_year_end=None,
    realisation=None,
    delay_quarters=None,
    delay_mode=None,
    full_at=None,
    initial_rate=None,
    midpoint=None,
    steepness=None,
    power=None,
    weights=None,
    capacity=None,
    facility_capex=None,
    facility_life_years=None,
    committed_capex_share=None,
    margin_override=None,
):
    """The provider's yearly cash flows from a contract: revenue, capex (ahead of revenue), depreciation, opex, operating profit, deal margin, tax, residual value and cash flow (money in the unit of value).

    Example: =DEAL.ECONOMICS(38, DATE(2025,11,3), 7, 20) spends 20 in 2024 and 20 again in 2029 (5-year servers bought again for the contract's last years) and returns 4.74 in total.
    """
    return cv.table(
        deal_cash_flows(
            cv.number("value", value),
            cv.date("start", start),
            cv.number("term_years", term_years),
            capex=cv.number("capex", capex),
            **cv.optional_numbers(locals(), CASH_FLOW_ARGS + COST_STACK_ARGS),
            **cv.schedule_options(locals()),
        )
    )


@xw.func(name="NPV_IRR", category=CATEGORY)
@shared_args(*CONTRACT_ARGS, *ECONOMICS_OPTIONS, profile=_profile_doc(deal_cash_flows))
@shared_args("capex", "discount_rate", *CASH_FLOW_ARGS, docs=DOCS_MODEL)
@shared_args(*COST_STACK_ARGS, docs=DOCS_MODEL)
@excel_errors
def deal_npv_irr(
    value,
    start,
    term_years,
    capex,
    discount_rate,
    lead_years=None,
    useful_life_years=None,
    tax_rate=None,
    power_cost_share=None,
    other_opex_share=None,
    profile=None,
    fiscal_year_end=None,
    realisation=None,
    delay_quarters=None,
    delay_mode=None,
    full_at=None,
    initial_rate=None,
    midpoint=None,
    steepness=None,
    power=None,
    weights=None,
    capacity=None,
    facility_capex=None,
    facility_life_years=None,
    committed_capex_share=None,
    margin_override=None,
):
    """The provider's returns on a contract: npv at the start date (money), irr (fraction; blank if none), payback_year (blank if never), total_cash_flow, discount_rate and lifetime_margin, as name/value rows.

    Example: =DEAL.NPV_IRR(38, DATE(2025,11,3), 7, 20, 0.09) gives an NPV of -4.56 and an IRR of 0.040, paying back in 2032 (the servers are bought again in 2029).
    """
    return cv.name_value_table(
        deal_returns(
            cv.number("value", value),
            cv.date("start", start),
            cv.number("term_years", term_years),
            capex=cv.number("capex", capex),
            discount_rate=cv.number("discount_rate", discount_rate),
            **cv.optional_numbers(locals(), CASH_FLOW_ARGS + COST_STACK_ARGS),
            **cv.schedule_options(locals()),
        )
    )


# =========================================================================== whole model, scenarios, Monte Carlo

#: Argument docs of the model-level functions.
DOCS_WHOLE = {
    "inputs": "Two-column range of input names and values (the template's Inputs sheet); blank values take "
    "the defaults (the AWS-OpenAI base case).",
    "name": "Name of a key figure (see DEAL.OUTPUTS), for example ramp_year2, margin_bps_peak or npv.",
    "scenario": f"Scenario name: {_listed(tuple(SCENARIOS))}.",
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

#: Figures DEAL.SIMULATE summarises when none are named: the article's risk questions.
SIMULATE_DEFAULT_OUTPUTS = ["ramp_year2", "gap_year2", "margin_bps_peak", "npv", "market_value_target_year"]


@xw.func(name="OUTPUT", category=CATEGORY)
@xw.arg("inputs", doc=DOCS_WHOLE["inputs"], **RANGE)
@xw.arg("name", doc=DOCS_WHOLE["name"], **CELL)
@excel_errors
def deal_output(inputs, name):
    """One key figure of the whole model, by name, from the two-column Inputs range.

    Example: =DEAL.OUTPUT(Inputs, "straight_line_annual") gives 38 / 7 = 5.43 for the AWS-OpenAI base case.
    """
    return cv.cell_out(model_output(cv.assumptions("inputs", inputs), cv.text("name", name)))


@xw.func(name="OUTPUTS", category=CATEGORY)
@xw.arg("inputs", doc=DOCS_WHOLE["inputs"], **RANGE)
@excel_errors
def deal_outputs(inputs):
    """Every key figure of the whole model: a table of name, label, value, unit and number format.

    Example: =DEAL.OUTPUTS(Inputs) lists straight_line_annual 5.43, backlog_after_deal 238, value_added ~151.
    """
    return cv.table(run_model(cv.assumptions("inputs", inputs)).output_table())


@xw.func(name="TABLE", category=CATEGORY)
@xw.arg("inputs", doc=DOCS_WHOLE["inputs"], **RANGE)
@xw.arg("scenario", doc=DOCS_WHOLE["scenario"] + ' Blank: "base".', **CELL)
@xw.arg("table", doc=f"Table of the model run: {_listed(tuple(MODEL_TABLES))} (any case).", **CELL)
@xw.arg(
    "key",
    doc="Row to read: a value of the table's first column (a fiscal year such as 2026). "
    "Blank with column blank: the whole table.",
    **CELL,
)
@xw.arg(
    "column", doc="Column to read, by its header (for example deal_margin). Blank: the whole table.", **CELL
)
@xw.arg(
    "if_missing",
    doc="Value to return when key is not in the table (as XLOOKUP's if_not_found); only with key and "
    "column (refused for the whole table). Blank: an error naming the keys there are.",
    **CELL,
)
@excel_errors
def deal_table(inputs, scenario=None, table=None, key=None, column=None, if_missing=None):
    """A table of the whole model under a scenario (economics, margin, schedule, backlog, ...), or one value of it.

    Example: =DEAL.TABLE(Inputs, "base", "economics", 2026, "deal_margin") gives the deal's FY2026 operating margin.
    """
    return cv.table_or_cell(
        scenario_table(
            cv.assumptions("inputs", inputs),
            cv.text("scenario", scenario, default=None),
            cv.text("table", table),
            **cv.present(
                key=cv.any_cell("key", key, default=None),
                column=cv.text("column", column, default=None),
                if_missing=cv.any_cell("if_missing", if_missing, default=None),
            ),
        )
    )


@xw.func(name="SCENARIO", category=CATEGORY)
@xw.arg("inputs", doc=DOCS_WHOLE["inputs"], **RANGE)
@xw.arg("scenario", doc=DOCS_WHOLE["scenario"], **CELL)
@xw.arg("name", doc=DOCS_WHOLE["name"], **CELL)
@excel_errors
def deal_scenario(inputs, scenario, name):
    """One key figure under a named scenario (base, bull, bear), its overrides applied to the Inputs range.

    Example: =DEAL.SCENARIO(Inputs, "bear", "margin_bps_year2") gives about -40 bps.
    """
    return cv.cell_out(
        scenario_output(
            cv.assumptions("inputs", inputs), cv.text("scenario", scenario), cv.text("name", name)
        )
    )


@xw.func(name="SENSITIVITY", category=CATEGORY)
@xw.arg("inputs", doc=DOCS_WHOLE["inputs"], **RANGE)
@xw.arg("output", doc=DOCS_WHOLE["name"], **CELL)
@xw.arg("row_input", doc=DOCS_WHOLE["row_input"], **CELL)
@xw.arg("row_values", doc=DOCS_WHOLE["row_values"], **RANGE)
@xw.arg("col_input", doc=DOCS_WHOLE["col_input"], **CELL)
@xw.arg("col_values", doc=DOCS_WHOLE["col_values"], **RANGE)
@excel_errors
def deal_sensitivity(inputs, output, row_input, row_values, col_input, col_values):
    """Two-way sensitivity grid of one key figure over two inputs: row values down, column values across.

    Example: =DEAL.SENSITIVITY(Inputs, "npv", "price_per_gpu_hour", {2;2.68;3.5}, "realisation", {0.9,0.95,1}).
    """
    return cv.table(
        sensitivity(
            cv.assumptions("inputs", inputs),
            cv.text("output", output),
            cv.text("row_input", row_input),
            cv.vector("row_values", row_values),
            cv.text("col_input", col_input),
            cv.vector("col_values", col_values),
            flat=True,
        )
    )


@xw.func(name="TORNADO", category=CATEGORY)
@xw.arg("inputs", doc=DOCS_WHOLE["inputs"], **RANGE)
@xw.arg("output", doc=DOCS_WHOLE["name"], **CELL)
@xw.arg("input_names", doc=DOCS_WHOLE["input_names"], **RANGE)
@xw.arg("swing", doc=DOCS_WHOLE["swing"], **CELL)
@excel_errors
def deal_tornado(inputs, output, input_names=None, swing=None):
    """Tornado table: each input moved alone to a low and a high value, sorted by how far it moves the figure.

    Example: =DEAL.TORNADO(Inputs, "npv") puts the price per GPU-hour and realisation on top.
    """
    return cv.table(
        tornado(
            cv.assumptions("inputs", inputs),
            cv.text("output", output),
            cv.names("input_names", input_names, default=None),
            **cv.present(swing=cv.number("swing", swing, default=None)),
        )
    )


@xw.func(name="SIMULATE", category=CATEGORY)
@xw.arg("inputs", doc=DOCS_WHOLE["inputs"], **RANGE)
@xw.arg("distributions", doc=DOCS_WHOLE["distributions"], **RANGE)
@xw.arg("draws", doc=DOCS_WHOLE["draws"], **CELL)
@xw.arg("seed", doc=DOCS_WHOLE["seed"], **CELL)
@xw.arg("outputs", doc=DOCS_WHOLE["outputs"], **RANGE)
@excel_errors
def deal_simulate(inputs, distributions=None, draws=None, seed=None, outputs=None):
    """Monte Carlo of the whole model: mean, spread, percentiles and the share of draws below or above zero.

    Example: =DEAL.SIMULATE(Inputs, Risks, 100000, 1) summarises FY2026 revenue, the margin hit and the NPV.
    """
    return cv.table(
        simulation_summary(
            cv.assumptions("inputs", inputs),
            cv.distribution_rows("distributions", distributions, default=None),
            draws=cv.draws("draws", draws, default=10_000),
            seed=cv.number("seed", seed, default=0),
            outputs=cv.names("outputs", outputs, default=SIMULATE_DEFAULT_OUTPUTS),
        )
    )


# --------------------------------------------------------------------------- exposure (portfolio)


@xw.func(name="EXPOSURE", category=CATEGORY)
@xw.arg(
    "as_of_year",
    doc="First year counted: backlog is what each customer still owes from this year on. "
    f"Blank: {_default(exposure_table, 'as_of_year')}.",
    **CELL,
)
@xw.arg(
    "customers",
    doc="Customers whose library contracts to include (OpenAI, Microsoft, Meta, Anthropic), a row or column. "
    "Blank: all.",
    **RANGE,
)
@excel_errors
def deal_exposure(as_of_year=None, customers=None):
    """AI backlog by provider and customer: what each customer still owes each provider (US$ billions), with a total per provider.

    Example: =DEAL.EXPOSURE(2026) shows Oracle owed 300 by OpenAI and Microsoft (Azure) about 241 by OpenAI.
    """
    return cv.table(
        exposure_table(
            **cv.present(
                customers=cv.names("customers", customers, default=None),
                as_of_year=cv.number("as_of_year", as_of_year, default=None),
            )
        )
    )


@xw.func(name="EXPOSURE_RISK", category=CATEGORY)
@xw.arg(
    "rule",
    doc=f"How a customer's shortfall is spread over its contracts: {_listed(SHORTFALL_RULES)}. "
    "Blank: pro_rata.",
    **CELL,
)
@xw.arg(
    "priority",
    doc="With rule priority: providers or deals in the order they are paid, a row or column. "
    "Leave blank with the other rules.",
    **RANGE,
)
@xw.arg("draws", doc=DOCS_WHOLE["draws"], **CELL)
@xw.arg(
    "seed", doc="Random seed, a whole number >= 0; the same seed gives the same numbers. Blank: 0.", **CELL
)
@xw.arg(
    "as_of_year",
    doc="First year analysed; commitments of earlier years count as paid. "
    f"Blank: {_default(exposure_risk, 'as_of_year')}.",
    **CELL,
)
@xw.arg(
    "customers", doc="Customers whose library contracts to include, a row or column. Blank: all.", **RANGE
)
@xw.arg(
    "threshold",
    doc="Loss as a share of the provider's AI backlog for the probability column (0.1 for 10%). Blank: 0.1.",
    **CELL,
)
@xw.arg("correlation", doc="Correlation of customers' revenue growth shocks, -1 to 1. Blank: 0.", **CELL)
@excel_errors
def deal_exposure_risk(
    rule=None,
    priority=None,
    draws=None,
    seed=None,
    as_of_year=None,
    customers=None,
    threshold=None,
    correlation=None,
):
    """Monte Carlo of customers' revenue paths: each provider's AI backlog, revenue at risk (mean, p50, p95, p99), P(loss above threshold) and main customer.

    Example: =DEAL.EXPOSURE_RISK("seniority", , 10000, 1) shows Oracle's and Microsoft's revenue at risk.
    """
    return cv.table(
        exposure_risk(
            **cv.present(
                customers=cv.names("customers", customers, default=None),
                rule=cv.text("rule", rule, default=None),
                priority=cv.names("priority", priority, default=None),
                as_of_year=cv.number("as_of_year", as_of_year, default=None),
                draws=cv.draws("draws", draws, default=None),
                seed=cv.number("seed", seed, default=None),
                threshold=cv.number("threshold", threshold, default=None),
                correlation=cv.number("correlation", correlation, default=None),
            )
        )
    )


# =========================================================================== company library


@xw.func(name="COMPANY", category=CATEGORY)
@xw.arg(
    "company",
    doc='Company of the library: a provider or customer such as "Oracle", "Amazon (AWS)", '
    '"Microsoft (Azure)", "Google Cloud", "CoreWeave", "OpenAI" or "Meta".',
    **CELL,
)
@xw.arg(
    "field",
    doc="Optional: one figure, e.g. backlog, segment_revenue, fiscal_year_end, close, shares (unit as in "
    "the table). Blank: every figure as a table.",
    **CELL,
)
@excel_errors
def deal_company(company, field=None):
    """A company's public figures: field, value, unit, period, date, deals, source, confidence, flags and note; with field given, its newest value only.

    Example: =DEAL.COMPANY("Oracle", "fiscal_year_end") gives 5; =DEAL.COMPANY("Oracle") lists its RPO history.
    """
    return cv.table_or_cell(
        company_figures(
            cv.text("company", company),
            **cv.present(field=cv.choice("field", field, tuple(FIELDS), default=None)),
        )
    )


# =========================================================================== the analyst's loop

#: Argument docs of the analyst's-loop functions.
DOCS_LOOP = {
    "deal": 'A deal of the library (see DEAL.DEALS), for example "Oracle–OpenAI". Blank: "AWS–OpenAI".',
    "as_of": "Data date: a date, a serial number or text like 2025-12-31; only what was public then is used. "
    "Blank: every figure.",
}


@xw.func(name="SOLVE", category=CATEGORY)
@xw.arg("output", doc=DOCS_WHOLE["name"] + " The figure to bring to target.", **CELL)
@xw.arg("target", doc="The value wanted, in the figure's unit (-50 for 50 bps of margin dilution).", **CELL)
@xw.arg(
    "input",
    doc="Numeric input to vary, for example price_per_gpu_hour or realisation; searched within its own "
    "rule (see dealdesk inputs).",
    **CELL,
)
@xw.arg("inputs", doc=DOCS_WHOLE["inputs"], **RANGE)
@xw.arg("scenario", doc=DOCS_WHOLE["scenario"] + ' Blank: "base".', **CELL)
@excel_errors
def deal_solve(output, target, input, inputs=None, scenario=None):  # noqa: A002 - the name the analyst knows
    """What you would need to believe: the value of input at which the key figure output equals target; an error naming the range and the figure at both ends if none.

    Example: =DEAL.SOLVE("margin_bps_year2", -50, "price_per_gpu_hour") gives about 2.29 (US$ per GPU-hour).
    """
    return cv.cell_out(
        solve(
            cv.assumptions("inputs", inputs, default=None),
            cv.text("output", output),
            cv.number("target", target),
            cv.text("input", input),
            scenario=cv.text("scenario", scenario, default=None),
        ).value
    )


@xw.func(name="CLAIMS", category=CATEGORY)
@xw.arg("deal", doc=DOCS_LOOP["deal"], **CELL)
@xw.arg("as_of", doc=DOCS_LOOP["as_of"], **CELL)
@excel_errors
def deal_claims(deal=None, as_of=None):
    """The article's claims checked for a library deal: claim, article, model, unit, input, needed (the input value that makes it true), evidence and verdict.

    Example: =DEAL.CLAIMS() lists the nine claims for AWS–OpenAI; the margin claim needs about 2.29 a GPU-hour.
    """
    return cv.table(
        claims_of_deal(cv.text("deal", deal, default=None), as_of=cv.date("as_of", as_of, default=None)),
        empty_text=True,
    )


@xw.func(name="WATCH", category=CATEGORY)
@xw.arg("deal", doc=DOCS_LOOP["deal"], **CELL)
@xw.arg("as_of", doc=DOCS_LOOP["as_of"] + " Figures reported after it are not shown.", **CELL)
@excel_errors
def deal_watch(deal=None, as_of=None):
    """The watch list: the model as it stood on the signing day beside each figure reported since (figure, period, model, reported, variance, unit, date, source, confidence, cause).

    Example: =DEAL.WATCH("AWS–OpenAI") shows AWS backlog Q4 2025: model 237.9, reported 244.
    """
    return cv.table(
        watch_list(
            **cv.present(
                deal=cv.text("deal", deal, default=None),
                as_of=cv.date("as_of", as_of, default=None),
            )
        ),
        empty_text=True,
    )
