"""DealDesk custom functions for Excel: the one module every xlwings runtime loads.

Excel names: ``=DEAL.SCHEDULE(...)`` in xlwings Server and xlwings Lite
(Office.js: namespace ``DEAL`` from ``__xlwings_func_namespace__`` plus
``xw.func(name=...)``), ``=DEAL_SCHEDULE(...)`` in classic xlwings (which
ignores ``name=`` and the namespace and uses the Python name).

THE PATTERN — follow it for every function you add (append your functions in
your own marked section at the end of this file):

1. Python name ``deal_<name>``; decorate with
   ``@xw.func(name="<NAME>", category=CATEGORY)`` so Office.js shows
   ``DEAL.<NAME>`` and classic shows ``DEAL_<NAME>``.
2. One ``@xw.arg(...)`` per parameter, in signature order, each with a
   ``doc=`` (reuse ``DOCS`` for shared arguments, keep every doc under 255
   characters: classic Excel cuts there) and ``**CELL`` for one-cell arguments
   or ``**RANGE`` for ranges (weights, capacity, name/value tables). ``CELL``
   asks xlwings to pass Excel errors as text so converters can name them.
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
   blanks that should take the core's default go through ``cv.present``.
7. Tests find new functions by themselves (``tests/addin``): metadata, docs,
   the classic VBA wrapper (regenerate the golden file, see
   ``tests/addin/test_classic.py``) and the fuzz test.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import xlwings as xw

from addin import converters as cv
from addin.errors import excel_errors
from core.conventions import DELAY_MODES, FREQUENCIES, PROFILES
from core.schedule import contract_schedule, delay_days_from_quarters, profile_weights, straightline_gap

__xlwings_func_namespace__ = "DEAL"

#: Excel function category (classic xlwings' Insert Function dialog).
CATEGORY = "DealDesk"
#: xlwings options of a one-cell argument: Excel errors arrive as text ("#N/A") to be named.
CELL: dict[str, Any] = {"err_to_str": True}
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


# =========================================================================== schedule


@xw.func(name="SCHEDULE", category=CATEGORY)
@xw.arg("value", doc=DOCS["value"], **CELL)
@xw.arg("start", doc=DOCS["start"], **CELL)
@xw.arg("term_years", doc=DOCS["term_years"], **CELL)
@xw.arg("profile", doc=_profile_doc(contract_schedule), **CELL)
@xw.arg("frequency", doc=DOCS["frequency"], **CELL)
@xw.arg("fiscal_year_end", doc=DOCS["fiscal_year_end"], **CELL)
@xw.arg("realisation", doc=DOCS["realisation"], **CELL)
@xw.arg("delay_quarters", doc=DOCS["delay_quarters"], **CELL)
@xw.arg("delay_mode", doc=DOCS["delay_mode"], **CELL)
@xw.arg("full_at", doc=DOCS["full_at"], **CELL)
@xw.arg("initial_rate", doc=DOCS["initial_rate"], **CELL)
@xw.arg("midpoint", doc=DOCS["midpoint"], **CELL)
@xw.arg("steepness", doc=DOCS["steepness"], **CELL)
@xw.arg("power", doc=DOCS["power"], **CELL)
@xw.arg("weights", doc=DOCS["weights"], **RANGE)
@xw.arg("capacity", doc=DOCS["capacity"], **RANGE)
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
            delay_days=delay_days_from_quarters(
                cv.date("start", start), cv.number("delay_quarters", delay_quarters, default=0.0)
            ),
            **cv.present(
                profile=cv.text("profile", profile, default=None),
                frequency=cv.text("frequency", frequency, default=None),
                fiscal_year_end=cv.number("fiscal_year_end", fiscal_year_end, default=None),
                realisation=cv.number("realisation", realisation, default=None),
                delay_mode=cv.text("delay_mode", delay_mode, default=None),
            ),
            **cv.profile_params(
                full_at=full_at,
                initial_rate=initial_rate,
                midpoint=midpoint,
                steepness=steepness,
                power=power,
                weights=weights,
                capacity=capacity,
            ),
        )
    )


@xw.func(name="STRAIGHTLINE_GAP", category=CATEGORY)
@xw.arg("value", doc=DOCS["value"], **CELL)
@xw.arg("start", doc=DOCS["start"], **CELL)
@xw.arg("term_years", doc=DOCS["term_years"], **CELL)
@xw.arg("profile", doc=_profile_doc(straightline_gap) + " linear needs full_at.", **CELL)
@xw.arg("frequency", doc=DOCS["frequency"], **CELL)
@xw.arg("fiscal_year_end", doc=DOCS["fiscal_year_end"], **CELL)
@xw.arg("realisation", doc=DOCS["realisation"], **CELL)
@xw.arg("delay_quarters", doc=DOCS["delay_quarters"], **CELL)
@xw.arg("delay_mode", doc=DOCS["delay_mode"], **CELL)
@xw.arg("full_at", doc=DOCS["full_at"], **CELL)
@xw.arg("initial_rate", doc=DOCS["initial_rate"], **CELL)
@xw.arg("midpoint", doc=DOCS["midpoint"], **CELL)
@xw.arg("steepness", doc=DOCS["steepness"], **CELL)
@xw.arg("power", doc=DOCS["power"], **CELL)
@xw.arg("weights", doc=DOCS["weights"], **RANGE)
@xw.arg("capacity", doc=DOCS["capacity"], **RANGE)
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
            delay_days=delay_days_from_quarters(
                cv.date("start", start), cv.number("delay_quarters", delay_quarters, default=0.0)
            ),
            **cv.present(
                profile=cv.text("profile", profile, default=None),
                frequency=cv.text("frequency", frequency, default=None),
                fiscal_year_end=cv.number("fiscal_year_end", fiscal_year_end, default=None),
                realisation=cv.number("realisation", realisation, default=None),
                delay_mode=cv.text("delay_mode", delay_mode, default=None),
                base_revenue=cv.number("base_revenue", base_revenue, default=None),
            ),
            **cv.profile_params(
                full_at=full_at,
                initial_rate=initial_rate,
                midpoint=midpoint,
                steepness=steepness,
                power=power,
                weights=weights,
                capacity=capacity,
            ),
        )
    )


@xw.func(name="PROFILE_WEIGHTS", category=CATEGORY)
@xw.arg("start", doc=DOCS["start"], **CELL)
@xw.arg("term_years", doc=DOCS["term_years"], **CELL)
@xw.arg("profile", doc=_profile_doc(profile_weights), **CELL)
@xw.arg("full_at", doc=DOCS["full_at"], **CELL)
@xw.arg("initial_rate", doc=DOCS["initial_rate"], **CELL)
@xw.arg("midpoint", doc=DOCS["midpoint"], **CELL)
@xw.arg("steepness", doc=DOCS["steepness"], **CELL)
@xw.arg("power", doc=DOCS["power"], **CELL)
@xw.arg("weights", doc=DOCS["weights"], **RANGE)
@xw.arg("capacity", doc=DOCS["capacity"], **RANGE)
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
            **cv.present(profile=cv.text("profile", profile, default=None)),
            **cv.profile_params(
                full_at=full_at,
                initial_rate=initial_rate,
                midpoint=midpoint,
                steepness=steepness,
                power=power,
                weights=weights,
                capacity=capacity,
            ),
        )
    )
