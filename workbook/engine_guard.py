"""The formula engine held to Excel's rules: limits, skipped arguments, cells it cannot compute.

:mod:`workbook.evaluate` runs the ``formulas`` package on workbooks a user
(or an attacker) supplies. Left alone, the engine parsed a 50,000-term
formula for a minute, built a 2-billion-character text for
``LEN(REPT("x", 2^31))``, passed a skipped argument (``=F(1,,3)``) as ``0``,
and dropped from its results every cell it could not compute (a circular
reference, ``MUNIT(5000)``), so they vanished from the values-only copy.
This module is what the evaluator puts around it:

* **Excel's limits** (Microsoft's "Excel specifications and limits"): a formula
  holds at most ``MAX_FORMULA_CHARS`` (8,192) characters and a cell at most
  ``MAX_TEXT_CHARS`` (32,767). A longer formula is not parsed at all; REPT,
  SUBSTITUTE and REGEXREPLACE check the length of their result *before*
  building it, and every function that makes text (``&``, CONCAT, TEXTJOIN...)
  gives ``#VALUE!`` for a longer result, as Excel does. Functions that make an
  array from a size (MUNIT, MAKEARRAY, EXPAND, WRAPROWS, WRAPCOLS, MMULT), and every
  element-wise function or operator whose arguments would broadcast (a column
  times a row), give ``#VALUE!`` beyond ``MAX_ARRAY_CELLS`` cells
  (DEALDESK_MAX_ARRAY_CELLS) before building the array. The
  engine makes every whole-column (``A:A``) or whole-row reference an array of
  a full column (about 0.8 GB and 6 s each); a workbook may refer to at most
  ``MAX_ARRAY_CELLS`` cells that way (one column), formulas past that are not read.
* **Skipped arguments**: the engine compiles an empty argument to the number
  0; while the evaluator compiles, it is :data:`SKIPPED`, a 0 that knows it
  was left out, so built-in functions see 0 as before and a custom function
  sees a blank (``None``), which takes its default, as in Excel.
* **Cells the engine cannot read** (a DDE link such as ``=cmd|' /C calc'!A0``,
  syntax it does not know, a formula over the limit): compiled as ``=#N/A`` in
  their place, so the rest of the workbook evaluates and cells that use them
  show ``#N/A`` too; the model from :func:`guarded_model` records why.
* **Cells the engine leaves out** (a circular reference, a function that
  raised inside the engine): :func:`not_computed` finds them and says why in
  one line each, so the evaluator can give them an error value and keep
  their formulas.

Messages are one line (:func:`one_line`), never a traceback or a whole formula.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from core.validation import limit

__all__ = [
    "MAX_ARRAY_CELLS",
    "MAX_FORMULA_CHARS",
    "MAX_TEXT_CHARS",
    "NOT_COMPUTED",
    "REGEX_SECONDS",
    "SKIPPED",
    "engine_error",
    "engine_quiet",
    "excel_limits",
    "guarded_model",
    "is_skipped",
    "not_computed",
    "one_line",
]

#: Longest formula Excel holds, in characters (after the ``=``).
MAX_FORMULA_CHARS = 8_192
#: Most characters a cell (and so any text value) holds in Excel.
MAX_TEXT_CHARS = 32_767
#: Most cells an array made from a size argument may hold (DEALDESK_MAX_ARRAY_CELLS):
#: one full column of a sheet.
MAX_ARRAY_CELLS = 1_048_576
#: The error value of a cell the engine could not compute (it keeps its formula).
NOT_COMPUTED = "#N/A"
#: Longest piece of a formula quoted in a message.
_QUOTE = 60


def one_line(text: Any, width: int = 300) -> str:
    """``text`` on one line, at most ``width`` characters.

    >>> one_line("Not a valid formula:\\n=cmd|' /C calc'!A0")
    "Not a valid formula: =cmd|' /C calc'!A0"
    >>> len(one_line("x" * 100_000))
    300
    """
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."


def _quote(formula: str) -> str:
    return one_line(formula, _QUOTE)


def engine_error(error: BaseException) -> str:
    """One line for an exception of the formula engine (its messages are ``(template, value)`` tuples).

    >>> from formulas.errors import FormulaError
    >>> engine_error(FormulaError("=cmd|' /C calc'!A0"))
    "Not a valid formula: =cmd|' /C calc'!A0"
    """
    args: tuple[Any, ...] = tuple(getattr(error, "args", ()))
    text = str(error)
    template, values = (args[0], args[1:]) if args else ("", ())
    if values and isinstance(template, str) and "%s" in template:
        try:
            text = template % tuple(_quote(str(a)) for a in values[: template.count("%s")])
        except (TypeError, ValueError):
            pass
    return one_line(text or type(error).__name__, 200)


# --------------------------------------------------------------------------- skipped arguments


class _Skipped(int):
    """The number 0 that stands for an argument left out (``=F(1,,3)``); it prints as 0."""


#: What an empty argument compiles to while the evaluator compiles (built-ins read it as 0).
SKIPPED = _Skipped(0)


def is_skipped(value: Any) -> bool:
    """True for the value of an argument left out of a call."""
    return isinstance(value, _Skipped)


# --------------------------------------------------------------------------- Excel's limits


def _flat(value: Any) -> Iterator[Any]:
    from formulas.ranges import Ranges

    if isinstance(value, Ranges):
        value = value.value
    if isinstance(value, np.ndarray):
        yield from value.ravel()
    else:
        yield value


def _text_lengths(value: Any) -> list[int]:
    from formulas.tokens.operand import XlError
    from schedula import EMPTY

    return [
        len(str(v)) for v in _flat(value) if v is not EMPTY and v is not None and not isinstance(v, XlError)
    ]


def _numbers(value: Any) -> list[float]:
    out = []
    for v in _flat(value):
        if isinstance(v, (bool, np.bool_)):
            continue
        if isinstance(v, (int, float, np.integer, np.floating)) and np.isfinite(v):
            out.append(float(v))
    return out


def _longest(value: Any) -> int:
    return max(_text_lengths(value), default=0)


def _rept_too_long(text: Any, times: Any = 0, *_: Any) -> bool:
    return _longest(text) * max(_numbers(times), default=0) > MAX_TEXT_CHARS


def _substitute_too_long(text: Any, old: Any = "", new: Any = "", *instance: Any) -> bool:
    if instance:  # one occurrence replaced: at most the two texts; the result check covers it
        return False
    texts, olds, news = (list(_flat(v)) for v in (text, old, new))
    if len(texts) == len(olds) == len(news) == 1:
        t, o, n = (str(x[0]) if isinstance(x[0], str) else "" for x in (texts, olds, news))
        count = t.count(o) if o else len(t) + 1  # the engine inserts around every character
        return len(t) + count * (len(n) - len(o)) > MAX_TEXT_CHARS
    shortest_old = min(_text_lengths(old), default=0)
    longest_text = _longest(text)
    count = longest_text // shortest_old if shortest_old else longest_text + 1
    return longest_text + count * max(_longest(new) - shortest_old, 0) > MAX_TEXT_CHARS


def _regexreplace_too_long(text: Any, pattern: Any = "", replacement: Any = "", *rest: Any) -> bool:
    longest_text, longest_new = _longest(text), _longest(replacement)
    return longest_text + (longest_text + 1) * longest_new > MAX_TEXT_CHARS and not (
        rest and max(_numbers(rest[0]), default=0) != 0  # one occurrence only
    )


def _cells(rows: Any, columns: Any = 1) -> float:
    return max(_numbers(rows), default=0) * max(_numbers(columns), default=1)


def _array_limit() -> int:
    return limit("MAX_ARRAY_CELLS", MAX_ARRAY_CELLS)


def _shape(value: Any) -> tuple[int, ...]:
    from formulas.ranges import Ranges

    try:
        value = value.value if isinstance(value, Ranges) else value
    except Exception:  # noqa: BLE001 - a value the function itself will refuse
        return ()
    return tuple(np.shape(value)) if isinstance(value, np.ndarray) else ()


def _product_too_big(a: Any, b: Any = None, *_: Any) -> bool:
    """MMULT(a, b) has as many rows as ``a`` and as many columns as ``b``."""
    rows, columns = (_shape(a) or (1,))[0], (_shape(b) or (1, 1))[-1]
    return rows * columns > _array_limit()


#: Checks made before a function runs: a result over Excel's limits gives #VALUE! without being built.
_BEFORE: dict[str, Callable[..., bool]] = {
    "REPT": _rept_too_long,
    "SUBSTITUTE": _substitute_too_long,
    "REGEXREPLACE": _regexreplace_too_long,
    "MUNIT": lambda n, *_: _cells(n, n) > _array_limit(),
    "MAKEARRAY": lambda rows, columns=1, *_: _cells(rows, columns) > _array_limit(),
    "EXPAND": lambda array, rows=1, columns=1, *_: _cells(rows, columns) > _array_limit(),
    "WRAPROWS": lambda vector, count=1, *_: _cells(count) > _array_limit(),
    "WRAPCOLS": lambda vector, count=1, *_: _cells(count) > _array_limit(),
    "MMULT": _product_too_big,
}
#: Functions whose result may be long text: a result over MAX_TEXT_CHARS gives #VALUE!.
_TEXT_MAKERS = (
    "REPT",
    "SUBSTITUTE",
    "REGEXREPLACE",
    "CONCAT",
    "CONCATENATE",
    "TEXTJOIN",
    "REPLACE",
    "REPLACEB",
    "TEXT",
    "ARRAYTOTEXT",
    "VALUETOTEXT",
)


def _capped(result: Any) -> Any:
    """``result`` with every text longer than MAX_TEXT_CHARS made ``#VALUE!`` (Excel's rule)."""
    from formulas.tokens.operand import Error

    value = Error.errors["#VALUE!"]
    if isinstance(result, str):
        return value if len(result) > MAX_TEXT_CHARS else result
    if isinstance(result, np.ndarray) and result.dtype.kind in "OU":
        long = [i for i, v in enumerate(result.flat) if isinstance(v, str) and len(v) > MAX_TEXT_CHARS]
        if long:
            result = result.astype(object).copy()
            result.flat[long] = value
    return result


def _elementwise(function: Any) -> set[int] | None:
    """The argument positions an engine function does not broadcast, or None if it does not broadcast.

    The engine's element-wise functions and operators (``+``, ``*``, ``IF``,
    ``POWER``...) are numpy-vectorised (``formulas.functions.wrap_ufunc``):
    their arguments broadcast, so a column times a row makes a square.
    """
    for _ in range(8):
        code = getattr(function, "__code__", None)
        if code is not None and getattr(code, "co_qualname", "") == "wrap_ufunc.<locals>.wrapper":
            cells = dict(
                zip(code.co_freevars, (c.cell_contents for c in function.__closure__ or ()), strict=False)
            )
            options = cells.get("kw")
            return set(options.get("excluded", ())) if isinstance(options, dict) else set()
        function = getattr(function, "__wrapped__", None)
        if function is None:
            return None
    return None


def _broadcast_too_big(args: tuple[Any, ...], excluded: set[int]) -> bool:
    """True if broadcasting ``args`` (those not excluded) would make more than MAX_ARRAY_CELLS cells."""
    shapes = [_shape(arg) for position, arg in enumerate(args) if position not in excluded]
    shapes = [shape for shape in shapes if shape]
    if len(shapes) < 2:
        return False
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:  # shapes that do not broadcast: the engine says #VALUE! itself
        return False
    return int(np.prod(shape, dtype=float)) > _array_limit()


def _guarded(
    function: Callable[..., Any],
    before: Callable[..., bool] | None,
    *,
    text: bool,
    broadcast: set[int] | None,
    skip: int = 0,
) -> Callable[..., Any]:
    """``function`` with the checks that apply to it (``skip``: leading engine inputs, not arguments)."""
    from formulas.tokens.operand import Error

    def guarded(*args: Any, **kwargs: Any) -> Any:
        given = args[skip:]
        if before is not None and before(*given):
            return Error.errors["#VALUE!"]
        if broadcast is not None and _broadcast_too_big(given, broadcast):
            return Error.errors["#VALUE!"]
        result = function(*args, **kwargs)
        return _capped(result) if text else result

    functools.update_wrapper(guarded, function)
    guarded._dealdesk_limits = True  # type: ignore[attr-defined]
    return guarded


def _limited(name: str, entry: Any) -> Any:
    """The registry ``entry`` of ``name`` with Excel's limits, or ``entry`` itself if none applies."""
    base = name.removeprefix("_XLFN.")
    if isinstance(entry, dict):
        function, skip = entry.get("function"), len(entry.get("extra_inputs") or ())
    else:
        function, skip = entry, 0
    if not callable(function) or getattr(function, "_dealdesk_limits", False):
        return entry
    before, text, broadcast = _BEFORE.get(base), base in _TEXT_MAKERS, _elementwise(function)
    if before is None and not text and broadcast is None:
        return entry
    guarded = _guarded(function, before, text=text, broadcast=broadcast, skip=skip)
    return {**entry, "function": guarded} if isinstance(entry, dict) else guarded


def excel_limits(registry: Any) -> None:
    """Hold the engine's functions (``registry``) and operators to Excel's text and array limits.

    Installed once (a guarded entry is left as it is). REPT, SUBSTITUTE,
    REGEXREPLACE and the array makers are checked before they run; functions
    that make text get ``#VALUE!`` for a result over MAX_TEXT_CHARS; every
    element-wise function and operator gets ``#VALUE!`` instead of
    broadcasting to more than MAX_ARRAY_CELLS cells (``A1:A5000*TRANSPOSE(A1:A5000)``
    made 25,000,000 cells: 1.6 GB and four minutes).
    """
    from formulas.functions.operators import OPERATORS

    for name in [k for k in list(registry) if isinstance(k, str)]:
        entry = registry[name]
        limited = _limited(name, entry)
        if limited is not entry:
            registry[name] = limited
    for name in list(OPERATORS):
        entry = OPERATORS[name]
        function = entry.get("function") if isinstance(entry, dict) else entry
        if not callable(function) or getattr(function, "_dealdesk_limits", False):
            continue
        broadcast = _elementwise(function)
        if name == "&" or broadcast is not None:
            OPERATORS[name] = _limited_operator(entry, function, text=name == "&", broadcast=broadcast)


def _limited_operator(
    entry: Any, function: Callable[..., Any], *, text: bool, broadcast: set[int] | None
) -> Any:
    guarded = _guarded(function, None, text=text, broadcast=broadcast)
    return {**entry, "function": guarded} if isinstance(entry, dict) else guarded


# --------------------------------------------------------------------------- the model


def _formula_text(cell: Any) -> str | None:
    """The formula of an openpyxl cell as the engine reads it, or None for a constant."""
    from formulas.cell import Cell

    value = cell.value
    if cell.data_type == "f":
        return value if isinstance(value, str) else getattr(value, "text", None)
    if cell.data_type != "s" and isinstance(value, str) and Cell.parser.is_formula(value):
        return value
    return None


def _too_long(formula: str) -> str | None:
    length = len(formula) - 1  # without the "="
    if length > MAX_FORMULA_CHARS:
        return (
            f"the formula has {length:,} characters; Excel's limit is {MAX_FORMULA_CHARS:,} "
            f"({_quote(formula)})"
        )
    return None


def _unreadable(formula: str, error: BaseException) -> str:
    return f"the formula engine cannot read {_quote(formula)} ({engine_error(error)})"


_WHOLE_COLUMNS = re.compile(r"!\$?([A-Z]{1,3}):\$?([A-Z]{1,3})$")
_WHOLE_ROWS = re.compile(r"!\$?(\d+):\$?(\d+)$")


def _whole_cells(reference: str) -> int:
    """Cells of a whole-column (``A:C``) or whole-row (``1:3``) reference; 0 for any other."""
    from openpyxl.utils.cell import column_index_from_string

    columns = _WHOLE_COLUMNS.search(reference)
    if columns:
        first, last = (column_index_from_string(c) for c in columns.groups())
        return (abs(last - first) + 1) * 1_048_576
    rows = _WHOLE_ROWS.search(reference)
    if rows:
        first, last = (int(r) for r in rows.groups())
        return (abs(last - first) + 1) * 16_384
    return 0


def _model_class() -> type:
    import formulas
    from formulas.cell import Ref

    class GuardedModel(formulas.ExcelModel):  # type: ignore[misc, name-defined]
        """``formulas.ExcelModel`` that compiles ``=#N/A`` in place of a formula it must not or cannot read.

        ``refused`` maps ``(SHEET, coordinate)`` (``("", NAME)`` for a defined
        name) to the reason, one line.
        """

        def __init__(self) -> None:
            super().__init__()
            self.refused: dict[tuple[str, str], str] = {}
            self._whole: set[str] = set()  # whole-column and whole-row references let in so far
            self._whole_cells = 0

        def _too_wide(self, compiled: Any, formula: str) -> str | None:
            """Why ``compiled`` must not be let in: its whole columns or rows take the workbook past
            the array limit (the engine makes each one an array of a full column or row)."""
            new = {i for i in (getattr(compiled, "inputs", None) or ()) if _whole_cells(str(i))}
            new -= self._whole
            if not new:
                return None
            cells = self._whole_cells + sum(_whole_cells(i) for i in new)
            maximum = _array_limit()
            if cells > maximum:
                shown = ", ".join(sorted(i.rsplit("!", 1)[-1] for i in new))
                return (
                    f"{_quote(formula)} refers to whole columns or rows ({shown}); the evaluator reads at "
                    f"most {maximum:,} cells through them in a workbook (DEALDESK_MAX_ARRAY_CELLS)"
                )
            self._whole |= new
            self._whole_cells = cells
            return None

        def compile_cell(self, cell: Any, context: Any, references: Any, formula_references: Any) -> Any:
            formula = _formula_text(cell)
            reason = _too_long(formula) if formula else None
            if reason is None:
                try:
                    compiled = super().compile_cell(cell, context, references, formula_references)
                except Exception as error:  # noqa: BLE001 - any parse failure: this cell only
                    if formula is None:
                        raise
                    reason = _unreadable(formula, error)
                else:
                    reason = self._too_wide(compiled, formula) if formula else None
                    if reason is None:
                        return compiled
            self.refused[(context["sheet"], cell.coordinate)] = reason
            where = formula_references.get(cell.coordinate, cell.coordinate)
            return self._compile_cell(where, "=" + NOT_COMPUTED, context, True, references)

        def add_references(self, book: Any, context: Any = None) -> Any:
            # formulas' own loop over the global defined names, with each name checked like a cell.
            refs: dict[str, None] = {}
            nodes: set[str] = set()
            names = book.defined_names
            names = names.values() if isinstance(names, dict) else names.definedName
            for n in names:
                if n.hidden or n.localSheetId is not None:
                    continue
                formula = f"={n.value}"
                reason = _too_long(formula)
                ref = None
                if reason is None:
                    try:
                        ref = Ref(n.name.upper(), formula, context).compile(context=context)
                    except Exception as error:  # noqa: BLE001 - this name only
                        reason = _unreadable(formula, error)
                    else:
                        reason = self._too_wide(ref, formula)
                        ref = None if reason else ref
                if ref is None:
                    self.refused[("", n.name.upper())] = str(reason)
                    ref = Ref(n.name.upper(), "=" + NOT_COMPUTED, context).compile(context=context)
                nodes.update(ref.add(self.dsp, context=context))
                refs[ref.output] = None
                self.cells[ref.output] = ref
            self._update_refs(nodes, refs)
            return refs

    return GuardedModel


@functools.cache
def _guarded_model_class() -> type:
    return _model_class()


def guarded_model() -> Any:
    """A new ``formulas.ExcelModel`` that compiles ``=#N/A`` for formulas over Excel's limits or unreadable.

    Its ``refused`` maps ``(SHEET, coordinate)`` (``("", NAME)`` for a defined
    name) to the reason. The class is made on first use: the engine is imported
    only when a workbook is evaluated.
    """
    return _guarded_model_class()()


#: Seconds one regular-expression call (REGEXTEST, REGEXEXTRACT, REGEXREPLACE) may take.
REGEX_SECONDS = 1.0


class _TimedPattern:
    """A compiled pattern whose every search stops after ``REGEX_SECONDS`` with ``#VALUE!``.

    The engine's REGEX functions use Python's ``re``, which a pattern with
    nested repeats on a few dozen letters keeps busy for minutes (catastrophic
    backtracking); the ``regex`` package reads the same patterns and takes a timeout.
    """

    def __init__(self, pattern: Any) -> None:
        self._pattern = pattern  # a regex.Pattern

    def _timed(self, search: Callable[[], Any]) -> Any:
        from formulas.errors import FoundError
        from formulas.tokens.operand import Error

        try:
            return search()
        except TimeoutError:
            raise FoundError(err=Error.errors["#VALUE!"]) from None

    def search(self, text: str) -> Any:
        return self._timed(lambda: self._pattern.search(text, timeout=REGEX_SECONDS))

    def match(self, text: str) -> Any:
        return self._timed(lambda: self._pattern.match(text, timeout=REGEX_SECONDS))

    def sub(self, replacement: str, text: str, count: int = 0) -> Any:
        return self._timed(lambda: self._pattern.sub(replacement, text, count=count, timeout=REGEX_SECONDS))

    def finditer(self, text: str) -> Iterator[Any]:
        return iter(self._timed(lambda: list(self._pattern.finditer(text, timeout=REGEX_SECONDS))))


def _timed_regex(original: Callable[..., Any]) -> Callable[..., Any]:
    """The engine's pattern compiler, giving a :class:`_TimedPattern` of the same pattern and flags."""
    import re

    import regex

    def compile_timed(*args: Any, **kwargs: Any) -> tuple[Any, str]:
        rx, text = original(*args, **kwargs)  # the engine's own checks of the arguments
        flags = regex.IGNORECASE if rx.flags & re.IGNORECASE else 0
        return _TimedPattern(regex.compile(rx.pattern, flags)), text

    return compile_timed


@contextlib.contextmanager
def engine_quiet() -> Iterator[None]:
    """Compile and compute with :data:`SKIPPED` for empty arguments, timed regular expressions
    (:data:`REGEX_SECONDS`) and without the engine's log output.

    The engine logs a function that fails inside it as a traceback
    (``Failed DISPATCHING ...``); the evaluator reports it in one line instead.
    """
    from formulas.functions import text as engine_text
    from formulas.tokens import operand

    loggers = [logging.getLogger(name) for name in ("formulas", "schedula")]
    levels = [log.level for log in loggers]
    for log in loggers:
        log.setLevel(logging.CRITICAL)
    compile_empty = operand.Empty.__dict__["compile"]
    operand.Empty.compile = staticmethod(lambda: SKIPPED)  # type: ignore[method-assign]
    compile_regex = getattr(engine_text, "_xregex", None)
    if compile_regex is not None:
        engine_text._xregex = _timed_regex(compile_regex)
    try:
        yield
    finally:
        operand.Empty.compile = compile_empty  # type: ignore[method-assign]
        if compile_regex is not None:
            engine_text._xregex = compile_regex
        for log, level in zip(loggers, levels, strict=True):
            log.setLevel(level)


# --------------------------------------------------------------------------- cells left out


_KEY = re.compile(r"^'\[(?P<book>[^\]]+)\](?P<sheet>.*)'!(?P<ref>[^!']+)$")


def _strongly_connected(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of ``graph``, iteratively (no recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = counter
                    counter += 1
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(graph[succ])))
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    out.append(component)
    return out


def _inside(range_key: str, cell_key: str) -> bool:
    """True if the engine's cell key lies in its range key (same book and sheet; ``A:A`` and ``1:1`` too)."""
    from openpyxl.utils.cell import range_boundaries

    r, c = _KEY.match(range_key), _KEY.match(cell_key)
    if r is None or c is None or (r["book"], r["sheet"]) != (c["book"], c["sheet"]) or ":" not in r["ref"]:
        return False
    try:
        col1, row1, col2, row2 = range_boundaries(r["ref"].replace("$", ""))
        ccol, crow, _, _ = range_boundaries(c["ref"].replace("$", ""))
    except (ValueError, TypeError):
        return False
    if ccol is None or crow is None:
        return False
    return bool(
        (col1 is None or col1 <= ccol)
        and (col2 is None or ccol <= col2)
        and (row1 is None or row1 <= crow)
        and (row2 is None or crow <= row2)
    )


def not_computed(model: Any, missing: Iterable[str], errors: Mapping[str, Any]) -> dict[str, str]:
    """Why each cell or name the engine left out of its solution was left out, one line each.

    ``missing`` are the engine's keys (``'[book]SHEET'!A1``, ``'[book]'!NAME``);
    ``errors`` the engine's failures by formula. A key in a cycle of missing
    cells is a circular reference; one whose own formula failed says how;
    the others depend on one of those.
    """
    missing = list(dict.fromkeys(missing))
    wanted = set(missing)
    cells = getattr(model, "cells", {})
    graph: dict[str, list[str]] = {}
    for key in missing:
        inputs = list(getattr(cells.get(key), "inputs", None) or ())
        graph[key] = [
            other
            for other in missing
            if other in inputs or any(":" in i and _inside(i, other) for i in inputs if i not in wanted)
        ]
    circular = set()
    for component in _strongly_connected(graph):
        if len(component) > 1 or component[0] in graph[component[0]]:
            circular.update(component)
    reasons = {}
    for key in missing:
        if key in circular:
            reasons[key] = "a circular reference (it depends on itself)"
            continue
        function = getattr(cells.get(key), "func", None)
        failure = errors.get(str(getattr(function, "__name__", ""))) if function is not None else None
        if failure is not None:
            detail = str(failure).split("due to:", 1)[-1]
            reasons[key] = f"the formula engine failed on it ({one_line(detail, 160)})"
        else:
            reasons[key] = "it depends on a cell that could not be computed"
    return reasons
