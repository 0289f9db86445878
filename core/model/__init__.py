"""The whole model: one set of assumptions in, every key figure and table out.

``run_model(a)`` composes the topic modules (schedule, backlog, margin,
capacity, economics, counterparty, valuation, pairs) on one
:class:`~core.assumptions.Assumptions` and returns a :class:`ModelResult`:
named scalar key figures in ``outputs`` (described once in ``OUTPUTS``) and
the tables behind them in ``tables``. ``model_output(a, name)`` answers one
figure by name, which is what the spreadsheet's ``DEAL.OUTPUT`` asks for.

Composition choices, stated once:

* The straight line is the headline view: contract value ÷ term, by actual
  days, no realisation discount and no delay. The ramp is the modelled
  schedule (profile, realisation, delay). Both are laid on fiscal years of
  the provider (``fiscal_year_end``); "year 1" is the fiscal year holding the
  contract's start (FY2025 for the reference deal, a 59-day stub) and "year 2"
  the next one (FY2026). The margin figures of the "first full year" are those
  of the first fiscal year the contract runs from its first day
  (:func:`core.schedule.first_full_fiscal_year`): year 2 for a contract that
  starts inside a fiscal year, year 1 for one that starts on its first day
  (Google–Anthropic (May-26) from 2027-01-01: FY2027). The growth
  contributions (``growth_pp_*_year2``) are read in that same year.
* Growth contribution in percentage points is the change in deal revenue
  from the prior fiscal year ÷ the provider's base revenue in the prior
  fiscal year × 100 (a year the contract does not reach earns 0).

Number-format hints in ``OutputSpec.fmt`` (the template and reports map
them to cell formats): ``usd_bn`` money in US$ billions, ``usd`` money per
unit in US dollars, ``pct`` a fraction shown as a percent, ``pp``
percentage points, ``bps`` basis points, ``count`` a whole count, ``mw``
megawatts, ``twh`` terawatt-hours, ``year`` a calendar or fiscal year,
``ratio`` a plain multiple, ``flag`` 1 (true) or 0 (false).

A figure that does not exist for some inputs is ``None`` in ``outputs``,
never NaN: the IRR of cash flows that never change sign, the payback year of
a deal that never pays back, the coverage ratio of a target year without
commitments. ``OutputSpec.missing`` says why, and :func:`model_output` (one
figure, what a spreadsheet cell asks for) raises :class:`NoValueError` with
that reason instead of returning nothing.
"""

from __future__ import annotations

from core.contracts import profile_params
from core.model.lookup import MODEL_TABLES, model_output, model_outputs, model_table
from core.model.outputs import (
    FORMAT_HINTS,
    OUTPUTS,
    ModelResult,
    NoValueError,
    OutputSpec,
    check_output_name,
    output_names,
    require_value,
)
from core.model.run import (
    MARKET_VALUE_YEAR,
    contract_days_by_year,
    contract_last_day,
    customer_portfolio,
    deal_capacity,
    peak_run_rate,
    run_model,
    staged_tranches,
)
from core.schedule import fiscal_year_of

__all__ = [
    "FORMAT_HINTS",
    "MODEL_TABLES",
    "OUTPUTS",
    "OutputSpec",
    "ModelResult",
    "MARKET_VALUE_YEAR",
    "NoValueError",
    "check_output_name",
    "model_outputs",
    "customer_portfolio",
    "deal_capacity",
    "fiscal_year_of",
    "peak_run_rate",
    "output_names",
    "profile_params",
    "contract_days_by_year",
    "contract_last_day",
    "require_value",
    "run_model",
    "staged_tranches",
    "model_output",
    "model_table",
]
