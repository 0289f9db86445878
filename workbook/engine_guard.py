"""The formula engine held to Excel's rules: skipped arguments, formulas it must not or cannot read,
cells it cannot compute.

:mod:`workbook.evaluate` runs the ``formulas`` package on workbooks a user
(or an attacker) supplies. Left alone, the engine parsed a 50,000-term
formula for a minute, passed a skipped argument (``=F(1,,3)``) as ``0``,
failed a whole workbook on one DDE link, and dropped from its results every
cell it could not compute (a circular reference, ``MUNIT(3)``), so they
vanished from the values-only copy. This module is what the evaluator puts
around it (Excel's limits on text and arrays are :mod:`workbook.engine_limits`):

* **Formulas it must not or cannot read**: a formula over ``MAX_FORMULA_CHARS``
  (8,192, Excel's limit) is not parsed; a DDE link such as
  ``=cmd|' /C calc'!A0`` or syntax the engine does not know is not a failure
  of the workbook; whole-column (``A:A``) and whole-row references past the
  array limit are not built (the engine makes each whole column an array of a
  full column, about 0.8 GB). Each is compiled as ``=#N/A`` in its place, so
  the rest evaluates and cells that use it show ``#N/A`` too; the model from
  :func:`guarded_model` records why.
* **Skipped arguments**: the engine compiles an empty argument to the number
  0; while the evaluator compiles, it is :data:`SKIPPED`, a 0 that knows it
  was left out, so built-in functions see 0 as before and a custom function
  sees a blank (``None``), which takes its default, as in Excel.
* **Cells the engine leaves out** (a circular reference, a function that
  raised inside the engine): :func:`not_computed` finds them and says why in
  one line each, so the evaluator can give them an error value and keep
  their formulas.

Messages are one line (:func:`one_line`), never a traceback or a whole formula.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from workbook.engine_fixes import sheet_quotes
from workbook.engine_limits import array_limit, timed_regex

__all__ = [
    "CELL_SHAPED",
    "MAX_FORMULA_CHARS",
    "NOT_COMPUTED",
    "SKIPPED",
    "cell_shaped_name",
    "engine_error",
    "engine_failure",
    "engine_quiet",
    "guarded_model",
    "is_skipped",
    "not_computed",
    "one_line",
]

#: Longest formula Excel holds, in characters (after the ``=``).
MAX_FORMULA_CHARS = 8_192
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
    >>> engine_error(Exception("Failed DISPATCHING '%s' due to:\\n %r", "LET", TypeError("no a")))
    "Failed DISPATCHING 'LET' due to: no a"
    """
    args: tuple[Any, ...] = tuple(getattr(error, "args", ()))
    text = str(error)
    template, values = (args[0], args[1:]) if args else ("", ())
    if values and isinstance(template, str) and _PLACEHOLDER.search(template):
        filled = iter(_quote(str(a)) for a in values)  # an exception given for %r reads as its message
        text = _PLACEHOLDER.sub(lambda _: next(filled, ""), template)
    return one_line(text or type(error).__name__, 200)


def engine_failure(failure: Any) -> str:
    """One line for a function that failed inside the engine: which one, and the failure in words.

    The engine records the failure as text holding Python reprs
    (``Failed DISPATCHING '=LET(...)' due to: DispatcherError("...%r", 'LET', TypeError('too many'))``);
    the line names the innermost function and gives the exception's message, never its repr.

    >>> engine_failure("Failed DISPATCHING '=LET(F, 1)' due to: DispatcherError(\\"Failed DISPATCHING "
    ...     "'%s' due to:\\\\n %r\\", 'LET', TypeError('too many positional arguments'))")
    'the formula engine failed computing LET: too many positional arguments'
    >>> engine_failure("Failed DISPATCHING '=MUNIT(3)' due to: ValueError('The truth value is ambiguous')")
    'the formula engine failed computing MUNIT: The truth value is ambiguous'
    >>> engine_failure("anything else")
    'the formula engine failed computing its formula'
    """
    text = str(failure)
    names = [m for m in _DISPATCHED.findall(text) if _FUNCTION_NAME.match(m)]
    first = _FIRST_FUNCTION.match(text)
    function = names[-1] if names else first.group(1) if first else "its formula"
    cause = _CAUSE.search(text[-2_000:])  # the innermost cause closes the text
    detail = ""
    if cause:
        with contextlib.suppress(ValueError, SyntaxError, MemoryError, RecursionError):
            detail = str(ast.literal_eval(cause.group("message"))) if cause.group("message") else ""
        detail = detail or cause.group("type")
    reason = f"the formula engine failed computing {_quote(function)}"
    return one_line(f"{reason}: {detail}" if detail else reason, 200)


#: Where the engine names the step that failed: ``DISPATCHING '%s' due to:\n %r", 'LET', ...``.
_DISPATCHED = re.compile(r"%r\\?\"?, '([^']*)'")
#: The first function of the failed formula (``Failed DISPATCHING '=MUNIT(3)'``).
_FIRST_FUNCTION = re.compile(r"^Failed DISPATCHING '=\s*(?:_XLFN\.)?([A-Z_][A-Z0-9_.]*)\(", re.IGNORECASE)
#: The innermost Python exception, as its repr: ``TypeError('too many positional arguments')``.
_CAUSE = re.compile(
    r"(?P<type>[A-Z]\w*(?:Error|Exception))\((?P<message>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")?\)+$"
)
#: A function's name as the engine names its step (``LET``, ``_XLFN.LET``), not a formula.
_FUNCTION_NAME = re.compile(r"^[A-Z_][A-Z0-9_.]*$", re.IGNORECASE)
#: The engine's message templates use %s and %r (``"Failed DISPATCHING '%s' due to:\n %r"``).
_PLACEHOLDER = re.compile(r"%[sr]")


# --------------------------------------------------------------------------- skipped arguments


class _Skipped(int):
    """The number 0 that stands for an argument left out (``=F(1,,3)``); it prints as 0."""


#: What an empty argument compiles to while the evaluator compiles (built-ins read it as 0).
SKIPPED = _Skipped(0)


def is_skipped(value: Any) -> bool:
    """True for the value of an argument left out of a call."""
    return isinstance(value, _Skipped)


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


#: Excel's grid: a defined name spelt like a cell of it (A1 or R1C1 style) is one Excel refuses to create.
_GRID_ROWS, _GRID_COLUMNS = 1_048_576, 16_384
#: What the evaluation says of a defined name spelt like a cell (left out, not shown as #N/A).
CELL_SHAPED = "reads as a cell reference"
_A1_NAME = re.compile(r"^([A-Z]{1,3})([0-9]+)$")
_R1C1_NAME = re.compile(r"^(R[0-9]*C?[0-9]*|C[0-9]*)$")


def cell_shaped_name(name: str) -> bool:
    """Whether a defined name reads as a cell reference, which Excel does not allow as a name.

    >>> [cell_shaped_name(n) for n in ("n1", "XFD1048576", "XFE1", "A1048577", "R1C1", "r", "c2", "Rate")]
    [True, True, False, False, True, True, True, False]
    """
    from openpyxl.utils.cell import column_index_from_string

    text = name.upper()
    if _R1C1_NAME.match(text):
        return True
    cell = _A1_NAME.match(text)
    if cell is None:
        return False
    return column_index_from_string(cell.group(1)) <= _GRID_COLUMNS and 1 <= int(cell.group(2)) <= _GRID_ROWS


_WHOLE_COLUMNS = re.compile(r"!\$?([A-Z]{1,3}):\$?([A-Z]{1,3})$")
_WHOLE_ROWS = re.compile(r"!\$?(\d+):\$?(\d+)$")


def _whole_cells(reference: str) -> int:
    """Cells of a whole-column (``A:C``) or whole-row (``1:3``) reference; 0 for any other."""
    from openpyxl.utils.cell import column_index_from_string

    columns = _WHOLE_COLUMNS.search(reference)
    if columns:
        first, last = (column_index_from_string(c) for c in columns.groups())
        return (abs(last - first) + 1) * _GRID_ROWS
    rows = _WHOLE_ROWS.search(reference)
    if rows:
        first, last = (int(r) for r in rows.groups())
        return (abs(last - first) + 1) * _GRID_COLUMNS
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
            maximum = array_limit()
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
                if cell_shaped_name(n.name):  # a hand-made file: Excel reads the text as the cell
                    self.refused[("", n.name.upper())] = (
                        f"the name {CELL_SHAPED}, which Excel does not allow as a name; left out, and "
                        "formulas that use it read that cell"
                    )
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


@contextlib.contextmanager
def engine_quiet() -> Iterator[None]:
    """Compile and compute with :data:`SKIPPED` for empty arguments, timed regular expressions
    (:func:`workbook.engine_limits.timed_regex`), sheet names with an apostrophe read as Excel reads
    them (:func:`workbook.engine_fixes.sheet_quotes`) and without the engine's log output.

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
        engine_text._xregex = timed_regex(compile_regex)
    try:
        with sheet_quotes():
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
            reasons[key] = engine_failure(failure)
        else:
            reasons[key] = "it depends on a cell that could not be computed"
    return reasons
