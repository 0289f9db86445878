"""Answers by name from a model run: one key figure, all of them, or a table (runs are cached).

What a spreadsheet cell asks for: :func:`model_output` (``DEAL.OUTPUT``), :func:`model_outputs`
and :func:`model_table` (``DEAL.TABLE``, ``MODEL_TABLES``). The model is a pure function of its
frozen assumptions, so the last runs are kept.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np

from core.assumptions import Assumptions, as_assumptions
from core.model.outputs import ModelResult, check_output_name, require_value
from core.model.run import run_model
from core.validation import DealDeskInputError, did_you_mean


def model_output(a: Assumptions | None, name: str) -> float:
    """One key figure of the model, by name.

    A figure that does not exist for these inputs is an error here, as Excel's
    own ``IRR`` answers ``#NUM!``: one cell cannot show "no value" apart from a
    zero. ``run_model(a).outputs`` holds it as ``None``.

    Raises
    ------
    DealDeskInputError
        ``name`` is not in ``OUTPUTS``; the message lists the valid names.
    NoValueError
        The figure has no value for these inputs; the message names it and says
        why (``OutputSpec.missing``), e.g. "payback_year: the deal never pays back".

    Examples
    --------
    How much of the first two fiscal years the straight line overstates (US$ bn):

    >>> round(model_output(None, "overstatement_2y"), 2)
    3.12
    """
    key = check_output_name(name)
    return require_value(key, model_outputs(a)[key])


def model_outputs(a: Assumptions | None = None) -> Mapping[str, float | None]:
    """The key figures of ``run_model(a)``, read-only; the figures of the last 16 inputs are kept.

    The model is a pure function of its (frozen, hashable) assumptions, so a
    sheet asking for many figures of the same inputs (the template's Outputs
    sheet asks for 50) runs it once.

    >>> model_outputs() is model_outputs(Assumptions())
    True
    >>> model_outputs()["backlog_after_deal"]
    238.0
    """
    return _cached_outputs(as_assumptions("a", a))


@functools.lru_cache(maxsize=16)
def _cached_outputs(a: Assumptions) -> Mapping[str, float | None]:
    return MappingProxyType(_cached_run(a).outputs)


@functools.lru_cache(maxsize=8)
def _cached_run(a: Assumptions) -> ModelResult:
    return run_model(a)


#: The tables of a model run, by name (``ModelResult.tables``), with what each holds.
MODEL_TABLES: dict[str, str] = {
    "schedule": "revenue by period (the Inputs' frequency): period, start, end, revenue, cumulative",
    "gap": "straight line against the ramp by fiscal year, with growth contributions",
    "margin": "deal revenue, operating profit margin and the blended segment margin by fiscal year",
    "benchmarks": "the deal's gross, EBITDA and operating margins by fiscal year beside reported GPU-rental "
    "margins and the provider's own",
    "backlog": "backlog (RPO) roll-forward by quarter",
    "capacity": "the fleet: GPUs, racks, MW, capex, energy and power",
    "economics": "the cost stack and cash flows by fiscal year",
    "counterparty": "the customer's revenue against its commitments by calendar year",
    "valuation": "event study and market-value threshold",
}


#: ``if_missing`` default of :func:`model_table`: a key not in the table is an error.
_NO_DEFAULT: Any = object()


def model_table(
    a: Assumptions | None, table: str, key: Any = None, column: str | None = None, *, if_missing: Any = _NO_DEFAULT
) -> Any:
    """A table of the model run (``MODEL_TABLES``), or one value of it.

    ``table`` is one of ``MODEL_TABLES`` in any case ("Economics" is
    "economics"). With ``key`` and ``column``: the value in ``column`` of the
    row whose first column equals ``key`` (a fiscal year, a period label or a
    name); a key not in the table is an error unless ``if_missing`` gives the
    value to return (as Excel's ``XLOOKUP`` takes an "if not found").
    ``if_missing`` answers a missing key only, so it is refused without
    ``key`` and ``column`` (the whole table has nothing to miss). A sheet
    asking for many values of the same inputs runs the model once.

    Raises
    ------
    DealDeskInputError
        An unknown table (with the closest name when it looks like a typo) or
        column, a key not in the table, or ``if_missing`` without a key; the
        message lists what there is.

    Examples
    --------
    The deal's operating margin in FY2026 from the cost stack (a fraction):

    >>> round(model_table(None, "economics", 2026, "deal_margin"), 4)
    0.2645
    >>> model_table(None, "economics", 2040, "deal_margin", if_missing=0.0)  # after the contract
    0.0
    """
    a = as_assumptions("a", a)
    name = table.strip().lower() if isinstance(table, str) else table
    if name not in MODEL_TABLES:
        raise DealDeskInputError(
            f"table must be one of {', '.join(MODEL_TABLES)}; got {table!r}{did_you_mean(table, MODEL_TABLES)}"
        )
    frame = _cached_run(a).tables[name]
    if key is None and column is None:
        if if_missing is not _NO_DEFAULT:
            raise DealDeskInputError(
                "if_missing is the value for a key not in the table, so it needs key and column; "
                f"leave it blank for the whole table, got {if_missing!r}"
            )
        return frame.copy()
    if key is None or column is None:
        raise DealDeskInputError("give both key and column for one value, or neither for the whole table")
    if column not in frame.columns[1:]:
        raise DealDeskInputError(
            f"column must be one of {', '.join(map(str, frame.columns[1:]))}; got {column!r}"
        )
    first = frame.iloc[:, 0]
    matches = first == (int(key) if isinstance(key, float) and float(key).is_integer() else key)
    if not matches.any():
        if if_missing is not _NO_DEFAULT:
            return if_missing
        shown = ", ".join(map(str, first.tolist()[:12]))
        raise DealDeskInputError(f"key must be one of {shown} (the table's first column); got {key!r}")
    value = frame.loc[matches, column].iloc[0]
    return value.item() if isinstance(value, np.generic) else value
