"""DealDesk custom functions for Excel: the one package every xlwings runtime loads.

Excel names: ``=DEAL.SCHEDULE(...)`` in xlwings Server and xlwings Lite
(Office.js: namespace ``DEAL`` from ``__xlwings_func_namespace__`` plus
``xw.func(name=...)``), ``=DEAL_SCHEDULE(...)`` in classic xlwings (which
ignores ``name=`` and the namespace and uses the Python name). xlwings Server
puts its manifest's namespace in front; ``dealdesk serve`` makes that ``DEAL``
and the module then drops its own (``addin.server.module_namespace``), so
Excel shows ``=DEAL.SCHEDULE(...)`` there as well.

The functions live in rooms by topic, each naming its functions in its
docstring: ``schedule``, ``backlog_margin``, ``capacity_economics``,
``market``, ``model`` (with the analyst's loop), ``exposure`` and ``library``;
the argument help is written once in ``_args``. This package re-exports them.

Each function's ``__module__`` is this package: xlwings reads the Office.js
namespace there, and ``addin.errors`` and ``workbook.evaluate`` look there.

THE PATTERN — follow it for every function you add (put it in the room of
its topic; a new topic is a new room, imported and listed below):

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

from addin.fastpath import skip_failing_jsnull_imports
from addin.functions._args import (
    CASH_FLOW_ARGS,
    CATEGORY,
    CELL,
    CONTRACT_ARGS,
    COST_STACK_ARGS,
    DOCS,
    DOCS_LOOP,
    DOCS_MODEL,
    DOCS_WHOLE,
    ECONOMICS_OPTIONS,
    RANGE,
    RANGE_ARGS,
    shared_args,
)
from addin.functions.backlog_margin import (
    deal_backlog,
    deal_backlog_effect,
    deal_margin_bridge,
    deal_margin_by_period,
    deal_rpo,
)
from addin.functions.capacity_economics import (
    deal_capacity,
    deal_economics,
    deal_npv_irr,
)
from addin.functions.exposure import (
    deal_counterparty,
    deal_exposure,
    deal_exposure_risk,
)
from addin.functions.library import (
    deal_company,
    deal_deals,
    deal_portfolio,
)
from addin.functions.market import (
    deal_event_study,
    deal_hedge_ratio,
    deal_pair_legs,
    deal_pair_pnl,
    deal_sotp,
    deal_threshold,
)
from addin.functions.model import (
    SIMULATE_DEFAULT_OUTPUTS,
    deal_claims,
    deal_output,
    deal_outputs,
    deal_scenario,
    deal_sensitivity,
    deal_simulate,
    deal_solve,
    deal_table,
    deal_tornado,
    deal_watch,
)
from addin.functions.schedule import (
    deal_profile_weights,
    deal_schedule,
    deal_straightline_gap,
)
from addin.server import EXCEL_NAMESPACE as _EXCEL_NAMESPACE
from addin.server import module_namespace

__all__ = [
    "CASH_FLOW_ARGS",
    "CATEGORY",
    "CELL",
    "CONTRACT_ARGS",
    "COST_STACK_ARGS",
    "DOCS",
    "DOCS_LOOP",
    "DOCS_MODEL",
    "DOCS_WHOLE",
    "ECONOMICS_OPTIONS",
    "EXCEL_NAMESPACE",
    "RANGE",
    "RANGE_ARGS",
    "SIMULATE_DEFAULT_OUTPUTS",
    "deal_backlog",
    "deal_backlog_effect",
    "deal_capacity",
    "deal_claims",
    "deal_company",
    "deal_counterparty",
    "deal_deals",
    "deal_economics",
    "deal_event_study",
    "deal_exposure",
    "deal_exposure_risk",
    "deal_hedge_ratio",
    "deal_margin_bridge",
    "deal_margin_by_period",
    "deal_npv_irr",
    "deal_output",
    "deal_outputs",
    "deal_pair_legs",
    "deal_pair_pnl",
    "deal_portfolio",
    "deal_profile_weights",
    "deal_rpo",
    "deal_scenario",
    "deal_schedule",
    "deal_sensitivity",
    "deal_simulate",
    "deal_solve",
    "deal_sotp",
    "deal_straightline_gap",
    "deal_table",
    "deal_threshold",
    "deal_tornado",
    "deal_watch",
    "shared_args",
]

# Outside the browser, xlwings' per-cell "is this JavaScript null?" check is a failing import.
skip_failing_jsnull_imports()

#: Office.js namespace: Excel shows ``=DEAL.SCHEDULE``. The package adds ``DEAL``
#: itself unless xlwings Server's manifest already does (``addin.server``), so
#: Excel never shows ``=DEAL.DEAL.SCHEDULE``; error messages always say ``DEAL.``.
EXCEL_NAMESPACE = _EXCEL_NAMESPACE
__xlwings_func_namespace__ = module_namespace()

# Each DEAL function belongs to this package, the module every runtime imports (see above).
for _name in __all__:
    if _name.startswith("deal_"):
        globals()[_name].__module__ = __name__
del _name
