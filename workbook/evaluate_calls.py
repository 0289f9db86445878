"""How the formula engine calls the DealDesk functions: values in and out, one engine entry per name.

:func:`deal_functions` lists the functions of :mod:`addin.functions` under every Excel spelling;
:func:`engine_functions` gives the engine one entry per name, which calls the function of the
evaluation running (``CALLS.active``) with Excel-like arguments (:func:`to_python`) and turns its
result into an engine value. :mod:`workbook.evaluate` runs the evaluation.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from workbook.engine_guard import is_skipped

__all__ = ["CALLS", "Calls", "deal_functions", "engine_functions", "to_python"]


@dataclasses.dataclass
class Calls:
    """The custom-function calls of the evaluation running; :func:`workbook.evaluate.evaluate_workbook`
    sets and clears them under its lock, so one evaluation at a time sees them."""

    #: The custom functions of the evaluation running, by upper-case Excel name.
    active: dict[str, Callable[..., Any]] = dataclasses.field(default_factory=dict)
    #: Results of identical calls within one evaluation, computed once.
    cache: dict[tuple[str, Any], Any] = dataclasses.field(default_factory=dict)
    #: Messages of the calls that failed (the function's own, as Excel shows on hover).
    messages: list[str] = dataclasses.field(default_factory=list)


#: The calls of the evaluation running.
CALLS = Calls()
#: One engine function per Excel name, for every compile: it calls ``CALLS.active[name]``.
_ENGINE_FUNCTIONS: dict[str, dict[str, Any]] = {}


def _scalar_out(value: Any) -> Any:
    """One engine value as a plain Python value (errors as their text, blanks as None)."""
    from formulas.tokens.operand import XlError
    from schedula import EMPTY

    if value is EMPTY or value is None:
        return None
    if is_skipped(value):  # an argument left out, as a cell value (=IF(TRUE,,)): Excel shows 0
        return 0
    if isinstance(value, XlError):
        return str(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.str_):
        return str(value)
    return value


def to_python(value: Any) -> Any:
    """An engine argument as Excel sends it to a custom function (Office.js conventions)."""
    from formulas.ranges import Ranges

    if is_skipped(value):  # =DEAL.X(1,,3): Office.js sends a skipped argument as null
        return None
    if isinstance(value, Ranges):
        value = value.value
    if isinstance(value, np.ndarray):
        if value.size == 1:
            return _scalar_out(value.ravel()[0])
        grid = value if value.ndim == 2 else value.reshape(1, -1)
        return [[_scalar_out(v) for v in row] for row in grid]
    return _scalar_out(value)


def _to_engine(value: Any) -> Any:
    """A custom function's result as an engine value (dates as serial numbers).

    A table is the engine's ``Array``: ``INDEX`` reads any of its cells, and a
    single cell holding the call shows its top-left value, as Excel shows a
    table it cannot spill (the engine does not spill).
    """
    from formulas.functions import Array
    from formulas.tokens.operand import Error
    from schedula import EMPTY

    def one(v: Any) -> Any:
        if isinstance(v, dt.date):
            from addin.converters import date_to_excel_serial

            return date_to_excel_serial(v if not isinstance(v, dt.datetime) else v.date())
        if v is None:  # a blank cell of the result
            return EMPTY
        if isinstance(v, str) and v.upper() in Error.errors:
            return Error.errors[v.upper()]
        return v

    if isinstance(value, (list, tuple)):
        rows = [list(r) if isinstance(r, (list, tuple)) else [r] for r in value]
        width = max((len(r) for r in rows), default=0)
        grid = np.empty((len(rows), width), dtype=object)
        for i, r in enumerate(rows):
            for j in range(width):
                grid[i, j] = one(r[j]) if j < len(r) else EMPTY
        return grid.view(Array)
    return one(value)


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value


def _engine_function(excel_name: str) -> dict[str, Any]:
    """The engine's entry for ``excel_name``: it calls that name's function of the running evaluation.

    A compiled model keeps this entry, not the Python function, so it can be
    reused with another mapping of the same names; a name the running
    evaluation does not map gives ``#NAME?``, as an unknown function does in
    Excel. The entry is impure to the engine (as ``RAND`` is): a call with
    constant arguments is not computed once while compiling and frozen into
    the model, it is made by every evaluation.
    """

    def call(*args: Any) -> Any:
        from formulas.tokens.operand import Error

        function = CALLS.active.get(excel_name)
        if function is None:
            return Error.errors["#NAME?"]
        python_args = [to_python(a) for a in args]
        key = (excel_name, _hashable(python_args))
        try:
            if key in CALLS.cache:
                return CALLS.cache[key]
        except TypeError:  # an unhashable argument: compute without the cache
            key = None  # type: ignore[assignment]
        try:
            result = _to_engine(function(*python_args))
        except Exception as error:  # the function's own message, as Excel shows it on hover
            CALLS.messages.append(str(error))
            result = Error.errors["#VALUE!"]
        if key is not None:
            CALLS.cache[key] = result
        return result

    # The engine hands over ``Ranges`` objects; formulas' own wrapper turns them
    # into values and, when a range is not computed yet, tells the scheduler to
    # come back later instead of calling the function with a missing value.
    from formulas.functions import COMPILING, wrap_impure_func, wrap_ranges_func

    call.__name__ = call.__qualname__ = excel_name
    return {
        "extra_inputs": collections.OrderedDict([(COMPILING, False)]),
        "function": wrap_impure_func(wrap_ranges_func(call)),
    }


def engine_functions(names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The engine entries of ``names`` (upper case), made once per name and then reused."""
    out = {}
    for name in names:
        if name not in _ENGINE_FUNCTIONS:
            _ENGINE_FUNCTIONS[name] = _engine_function(name)
        out[name] = _ENGINE_FUNCTIONS[name]
    return out


def deal_functions(module: Any = None) -> dict[str, Callable[..., Any]]:
    """The DealDesk custom functions under every Excel spelling.

    Parameters
    ----------
    module : module, optional
        Where the functions live (default :mod:`addin.functions`): every
        function of the module named ``deal_<name>`` is ``DEAL.<NAME>``.

    Returns
    -------
    dict
        Upper-case Excel name -> the Python function, for ``DEAL.<NAME>``,
        ``DEAL_<NAME>``, ``_XLDUDF_DEAL_<NAME>`` and ``XLWINGS.DEAL.<NAME>``;
        :func:`evaluate_workbook` wraps each for the engine.
    """
    if module is None:
        import addin.functions as module  # noqa: PLW0127 - imported lazily: it imports xlwings
    # An empty module namespace means xlwings Server's manifest supplies DEAL.
    namespace = str(getattr(module, "__xlwings_func_namespace__", "") or "DEAL").upper()
    prefix = namespace.lower() + "_"
    out: dict[str, Callable[..., Any]] = {}
    for attr in dir(module):
        function = getattr(module, attr)
        if not (callable(function) and attr.startswith(prefix)):
            continue
        if getattr(function, "__module__", None) != module.__name__:
            continue
        # The Excel name: the Office.js decorator records it as ``excel_name`` (its
        # ``name`` is the Python name); otherwise the module's documented pattern,
        # Python name deal_<name> is DEAL.<NAME> / DEAL_<NAME>.
        info = getattr(function, "__xlfunc__", None)
        excel_name = info.get("excel_name") if isinstance(info, Mapping) else None
        display = str(excel_name or attr[len(prefix) :]).upper()
        for spelling in (
            f"{namespace}.{display}",
            f"{namespace}_{display}",
            f"_XLDUDF_{namespace}_{display}",
            # xlwings Server puts its manifest namespace in front (default XLWINGS).
            f"XLWINGS.{namespace}.{display}",
            f"_XLDUDF_XLWINGS_{namespace}_{display}",
        ):
            out[spelling] = function
    return out
