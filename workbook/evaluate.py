"""Evaluate every formula of a workbook without Excel, DealDesk custom functions included.

The formula engine is the ``formulas`` package (it parses the .xlsx, builds the
dependency graph of cells and defined names and computes native Excel
functions). The DealDesk custom functions are registered into it from
:mod:`addin.functions`, so the headless numbers come from the very Python that
Excel calls through xlwings:

* each function with xlwings metadata (``__xlfunc__``) is registered under
  every spelling a workbook may hold: the Office.js name ``DEAL.SCHEDULE``,
  the classic xlwings name ``DEAL_SCHEDULE``, ``_XLDUDF_DEAL_SCHEDULE``
  (how Excel stores an Office.js custom function in a saved file; see
  :mod:`workbook.template`), and ``XLWINGS.DEAL.SCHEDULE`` (xlwings Server
  with its default manifest namespace in front);
* arguments arrive as Excel would send them through Office.js: a one-cell
  argument as its value (dates as serial numbers, blanks as ``None``, Excel
  errors as their text, which is what ``err_to_str`` asks xlwings for), a
  range as a list of rows;
* the result goes back as a scalar or a 2-D array (dates as serial numbers);
  an error raised by the function becomes ``#VALUE!`` in the cell, as in
  Excel, and its message is kept in :attr:`Evaluation.messages`.

Those calls (values in and out, one engine entry per name) live in
:mod:`workbook.evaluate_calls`; this module compiles and evaluates the workbook.

The engine evaluates a formula's array result inside its cell but does not
spill it into neighbouring cells, which is why the template reads tables with
one ``INDEX(DEAL.X(...), row, col)`` per cell. Identical calls within one
evaluation are computed once (the template asks DEAL.SCHEDULE for each period
of a row with the same arguments).

Evaluation opens no file but the one given: a formula referring to another
workbook (``'[other.xlsx]Sheet1'!A1`` or an external link) is not followed;
the cells depending on it show ``#REF!`` and :attr:`Evaluation.messages` names
the workbook that was not read.

Compile once: building the engine's model of the template (parsing some 1,800
formulas into a graph) takes most of an evaluation. A compiled model is kept,
keyed on the workbook's structure (a SHA-256 of its sheets, defined names and
every formula with its cell), and a workbook with the same structure (the
template with other inputs typed in) is evaluated by writing its constant
cells into the kept model as inputs. A constant cell the kept model has no
node for, or a cell left blank that held a constant, means a full compile.
A compiled model calls the custom functions by name: it holds no function
itself, so an evaluation with another ``functions`` mapping under the same
names reuses it and each call goes to that evaluation's function (a name
the mapping lacks is ``#NAME?``, as in Excel); a mapping with other names
is another compiled model. The last few (structure, names) pairs are kept
(:data:`COMPILED_MODELS_KEPT`).
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import functools
import hashlib
import logging
import os
import re
import threading
import types
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from core.validation import DealDeskInputError
from workbook.engine_fixes import cell_node, excel_randbetween, sheet_title
from workbook.engine_guard import (
    CELL_SHAPED,
    NOT_COMPUTED,
    engine_error,
    engine_quiet,
    guarded_model,
    not_computed,
    one_line,
)
from workbook.engine_limits import excel_limits
from workbook.evaluate_calls import CALLS, deal_functions, engine_functions, to_python

__all__ = ["EXCEL_ERRORS", "Evaluation", "deal_functions", "evaluate_workbook", "write_values"]

_CELL_KEY = re.compile(r"^'\[(?P<book>[^\]]+)\](?P<sheet>.*)'!(?P<ref>\$?[A-Z]{1,3}\$?[0-9]+)$")
_NAME_KEY = re.compile(r"^'\[(?P<book>[^\]]+)\]'!(?P<name>[A-Za-z_\\][\w.]*)$")
# A key of a cell, an array formula's range or a defined name (no sheet), as the engine spells it.
_LEFT_OUT_KEY = re.compile(r"^'\[(?P<book>[^\]]+)\](?P<sheet>.*)'!(?P<ref>[^!']+)$")
#: Excel's error values, as evaluated cells show them.
EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)
_LOCK = threading.Lock()
#: Compiled models kept (one per workbook structure, the most recently used).
COMPILED_MODELS_KEPT = 3
_MODELS: collections.OrderedDict[str, _Compiled] = collections.OrderedDict()


@dataclasses.dataclass
class Evaluation:
    """Values of one evaluated workbook.

    ``cells`` maps ``(sheet title, coordinate)`` to the value of every
    cell the engine saw (constants and formulas); ``names`` maps each defined
    name (lower case) to its value (a scalar for one cell, a 2-D list for a
    range); ``messages`` holds the messages of custom functions that failed.
    Errors are Excel error strings (``"#VALUE!"``). No formula cell is left
    out: one the engine could not compute (a circular reference, a formula
    over Excel's limits or one it cannot read) is ``#N/A`` and
    ``not_computed`` says why.
    """

    cells: dict[tuple[str, str], Any]
    names: dict[str, Any]
    messages: list[str]
    #: Cells the engine could not compute, ``(sheet title, coordinate)`` -> why (one line); each
    #: shows ``#N/A`` in ``cells`` and keeps its formula in a values-only copy. Defined names
    #: the engine could not compute are keyed ``("", name)`` (lower case).
    not_computed: dict[tuple[str, str], str] = dataclasses.field(default_factory=dict)

    def name(self, name: str) -> Any:
        """Value of a defined name (case-insensitive); a KeyError names the missing one."""
        try:
            return self.names[name.lower()]
        except KeyError:
            raise KeyError(f"no defined name {name!r} in the evaluated workbook") from None

    def cell(self, sheet: str, coordinate: str) -> Any:
        """Value of one cell by sheet title and coordinate (``None`` if the cell is empty)."""
        return self.cells.get((sheet, coordinate.replace("$", "")))


# --------------------------------------------------------------------------- compile once


@dataclasses.dataclass
class _Compiled:
    """An engine model compiled from one workbook, and the constant cells it was compiled with."""

    model: Any  # formulas.ExcelModel, finished
    book: str  # the workbook's file name as the engine's node ids spell it
    constants: dict[tuple[str, str], Any]  # (SHEET, coordinate) -> value, as the engine holds it
    uses: int = 0  # evaluations served (the first one compiled it)
    refused: list[str] = dataclasses.field(default_factory=list)  # external workbooks not read
    # Formulas compiled as =#N/A (over Excel's limits, unreadable): (SHEET or "", coordinate or NAME) -> why.
    not_read: dict[tuple[str, str], str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class _Structure:
    """What one workbook file holds: its structure key, constant cells and sheet titles."""

    key: str
    constants: dict[tuple[str, str], Any]
    titles: dict[str, str]
    #: Every formula cell, ``(SHEET, coordinate)`` -> the engine's reference for it (its array range, if any).
    formulas: dict[tuple[str, str], str] = dataclasses.field(default_factory=dict)
    #: The global defined names the engine computes (upper case).
    names: list[str] = dataclasses.field(default_factory=list)


def _read_structure(path: Path) -> _Structure:
    """Read a workbook as the engine does; formulas and names make the key, constants are inputs.

    Cells are read with the engine's own reader (dates stay serial numbers)
    and classified with its own rule (``formulas.Cell``): a cell the engine
    parses as a formula is structure, any other non-empty cell a constant,
    rounded to 15 digits as the engine rounds numbers.
    """
    from formulas.cell import Cell
    from formulas.excel.xlreader import load_workbook

    wb = load_workbook(str(path))
    digest = hashlib.sha256()
    constants: dict[tuple[str, str], Any] = {}
    formulas: dict[tuple[str, str], str] = {}
    for title in wb.sheetnames:
        digest.update(b"\x00sheet\x00" + title.encode())
    for name, entry in sorted(wb.defined_names.items()):
        digest.update(f"\x00name\x00{name}\x00{entry.value}\x00{entry.hidden}".encode())
    names = [
        name.upper()
        for name, entry in wb.defined_names.items()
        if not entry.hidden and entry.localSheetId is None
    ]
    for ws in wb.worksheets:
        sheet = ws.title.upper()
        for name, entry in sorted(ws.defined_names.items()):
            digest.update(f"\x00name\x00{sheet}!{name}\x00{entry.value}\x00{entry.hidden}".encode())
        arrays = getattr(ws, "array_formulae", {})
        for row in ws.iter_rows():
            for c in row:
                value = getattr(c, "value", None)
                if value is None:
                    continue
                if c.data_type == "f":
                    text = value if isinstance(value, str) else value.text
                    ref = arrays.get(c.coordinate, "")
                    digest.update(f"\x00f\x00{sheet}!{c.coordinate}\x00{ref}\x00{text}".encode())
                    formulas[(sheet, c.coordinate)] = ref or c.coordinate
                    continue
                if c.data_type == "n" and isinstance(value, float):
                    value = round(value, 15)
                if c.data_type != "s" and isinstance(value, str) and Cell.parser.is_formula(value):
                    # Text the engine reads as a formula (not parsed here: it may be one the engine
                    # cannot read, or a formula over Excel's limits; the compile says which).
                    digest.update(f"\x00f\x00{sheet}!{c.coordinate}\x00\x00{value}".encode())
                    formulas[(sheet, c.coordinate)] = c.coordinate
                    continue
                cell = Cell(None, value, check_formula=False)
                constants[(sheet, c.coordinate)] = cell.value
    wb.close()
    titles = {title.upper(): title for title in wb.sheetnames}
    return _Structure(
        key=digest.hexdigest(), constants=constants, titles=titles, formulas=formulas, names=names
    )


def _compiled_inputs(compiled: _Compiled, structure: _Structure) -> dict[str, Any] | None:
    """The constant cells that differ from the compiled ones as engine inputs; None if a compile is needed."""
    nodes = compiled.model.dsp.nodes
    inputs: dict[str, Any] = {}
    for (sheet, ref), value in structure.constants.items():
        if compiled.constants.get((sheet, ref), _ABSENT) == value:
            continue
        node = cell_node(compiled.book, sheet, ref)
        if node not in nodes:  # a value where the compiled model saw nothing
            return None
        inputs[node] = value
    if any(key not in structure.constants for key in compiled.constants):
        return None  # a constant cleared: the compiled model would still see its old value
    return inputs


_ABSENT = object()


def _compile(source: Path, structure: _Structure) -> _Compiled:
    model = guarded_model().loads(str(source)).finish()
    return _Compiled(
        model=model, book=source.name, constants=dict(structure.constants), not_read=dict(model.refused)
    )


def compiled_model_uses() -> dict[str, int]:
    """Evaluations served by each kept compiled model (the first one compiled it).

    Keyed by the workbook's structure key and a digest of the custom function names, ``"<structure>:<names>"``.
    """
    with _LOCK:
        return {key: compiled.uses for key, compiled in _MODELS.items()}


def clear_compiled_models() -> None:
    """Forget every kept compiled model (the next evaluation compiles again)."""
    with _LOCK:
        _MODELS.clear()


# --------------------------------------------------------------------------- evaluation


def _propagate_errors_through_index(registry: Any) -> None:
    """Make ``INDEX(<error>, r, c)`` return that error, as Excel does.

    The engine answers ``#REF!`` when INDEX's array is a single error value
    (a custom function that refused its inputs returns ``#VALUE!``); Excel
    propagates the error itself. Installed once; other INDEX calls are
    untouched.
    """
    from formulas.tokens.operand import XlError

    entry = registry["INDEX"]
    if not isinstance(entry, dict) or getattr(entry["function"], "_dealdesk", False):
        return
    original = entry["function"]

    def index(compiling: Any, array: Any, *args: Any) -> Any:
        if not compiling:
            value = array.ravel()[0] if isinstance(array, np.ndarray) and array.size == 1 else array
            if isinstance(value, XlError):
                return np.asarray([[value]], object)
        return original(compiling, array, *args)

    index._dealdesk = True  # type: ignore[attr-defined]
    registry["INDEX"] = {**entry, "function": functools.update_wrapper(index, original)}


class ExternalReferenceRefused(Exception):
    """The formula engine asked for a workbook other than the one being evaluated."""


@contextlib.contextmanager
def _only_this_file(source: Path, refused: list[str]) -> Iterator[None]:
    """Let the formula engine read ``source`` and nothing else (external links are not followed).

    The engine loads every workbook through ``formulas.excel.xlreader.load_workbook``;
    any other file it asks for raises, which the engine turns into ``#REF!`` in the
    cells that depend on it. The names of the refused files go to ``refused``.
    Callers hold ``_LOCK``, so the replacement is seen by one evaluation at a time.
    """
    from formulas.excel import xlreader

    allowed = os.path.realpath(source)
    original = xlreader.load_workbook

    def guarded(filename: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(filename, (str, os.PathLike)) or os.path.realpath(filename) != allowed:
            refused.append(os.path.basename(str(filename)))
            raise ExternalReferenceRefused(f"external workbook {filename!s} is not read")
        return original(filename, *args, **kwargs)

    # The engine logs the refusal as a warning with a traceback-like text; the message says it.
    engine_log = logging.getLogger("formulas")
    level = engine_log.level
    engine_log.setLevel(logging.ERROR)
    # No progress bar on stderr: tqdm reads TQDM_DISABLE only when it is first imported, so
    # the engine's module gets a tqdm that is always disabled, for this evaluation.
    import formulas.excel as engine_excel

    bars = engine_excel.tqdm
    engine_excel.tqdm = types.SimpleNamespace(tqdm=functools.partial(bars.tqdm, disable=True))  # type: ignore[assignment]
    xlreader.load_workbook = guarded  # type: ignore[assignment]
    try:
        yield
    finally:
        xlreader.load_workbook = original  # type: ignore[assignment]
        engine_excel.tqdm = bars  # type: ignore[assignment]
        engine_log.setLevel(level)


def evaluate_workbook(
    path: str | Path, *, functions: Mapping[str, Callable[..., Any]] | None = None
) -> Evaluation:
    """Compute every formula of a workbook headless, custom functions included.

    Parameters
    ----------
    path : str or Path
        An .xlsx (or .xlsm: its macros are never run) workbook.
    functions : mapping, optional
        Custom functions by Excel name, each a Python callable taking Excel-like
        arguments (as the DealDesk functions do); default: the DealDesk
        functions of :mod:`addin.functions` (:func:`deal_functions`).

    Returns
    -------
    Evaluation
        Every cell's and defined name's value.

    Raises
    ------
    DealDeskInputError
        The file is missing or is not a workbook the engine can read.
    """
    import formulas

    from workbook.inputs import check_input_file

    source = check_input_file("workbook", path)
    registry = formulas.get_functions()
    with _LOCK:
        chosen = deal_functions() if functions is None else functions
        CALLS.active.clear()
        CALLS.active.update({k.upper(): f for k, f in chosen.items()})
        registry.update(engine_functions(CALLS.active))
        _propagate_errors_through_index(registry)
        excel_randbetween(registry)
        excel_limits(registry)
        # The names the functions go by are part of what a compile depends on; the functions are not.
        names = hashlib.sha256("\x00".join(sorted(CALLS.active)).encode()).hexdigest()
        CALLS.cache.clear()
        CALLS.messages.clear()
        # The engine draws a tqdm progress bar on stderr; tqdm honours TQDM_DISABLE.
        previous = os.environ.get("TQDM_DISABLE")
        os.environ["TQDM_DISABLE"] = "1"
        refused: list[str] = []
        try:
            with _only_this_file(source, refused), engine_quiet():
                structure = _read_structure(source)
                key = f"{structure.key}:{names}"
                compiled = _MODELS.get(key)
                inputs = None if compiled is None else _compiled_inputs(compiled, structure)
                if compiled is None or inputs is None:
                    compiled, inputs = _compile(source, structure), {}
                    compiled.refused = list(refused)
                    _MODELS[key] = compiled
                    while len(_MODELS) > COMPILED_MODELS_KEPT:
                        _MODELS.popitem(last=False)
                else:
                    refused.extend(compiled.refused)  # what the compile did not read
                    _MODELS.move_to_end(key)
                compiled.uses += 1
                solution = compiled.model.calculate(inputs)
                left_out = _left_out(compiled, structure, solution)
        except Exception as error:  # the engine's own failure on the whole file, in one line
            raise DealDeskInputError(f"cannot evaluate {source.name}: {engine_error(error)}") from error
        finally:
            CALLS.cache.clear()
            CALLS.active.clear()
            if previous is None:
                os.environ.pop("TQDM_DISABLE", None)
            else:
                os.environ["TQDM_DISABLE"] = previous
        messages = [
            f"external workbook {name} not read (evaluation opens only {source.name}); "
            "cells depending on it show #REF!"
            for name in dict.fromkeys(refused)
        ] + list(dict.fromkeys(CALLS.messages))
    return _collect(solution, messages, structure.titles, left_out)


def _left_out(compiled: _Compiled, structure: _Structure, solution: Mapping[str, Any]) -> dict[str, str]:
    """Every formula cell and defined name the engine did not compute, by engine key, with why.

    Those it refused to read (compiled as ``=#N/A``) and those missing from its
    solution (a circular reference, a failure inside the engine, or a cell
    depending on one of those).
    """
    book = compiled.book
    expected = [cell_node(book, sheet, ref) for (sheet, _), ref in structure.formulas.items()]
    expected += [f"'[{book}]'!{name}" for name in structure.names]
    missing = [key for key in expected if key not in solution]
    out = not_computed(compiled.model, missing, getattr(solution, "_errors", None) or {})
    for (sheet, where), reason in compiled.not_read.items():
        ref = structure.formulas.get((sheet, where), where)
        out[cell_node(book, sheet, ref) if sheet else f"'[{book}]'!{where}"] = reason
    return out


def _title(spelt: str, titles: Mapping[str, str]) -> str:
    """A sheet's title from its spelling in a node name (upper case, apostrophes doubled)."""
    title = sheet_title(spelt)
    return titles.get(title.upper(), title)


def _collect(
    solution: Mapping[str, Any], messages: list[str], titles: dict[str, str], left_out: Mapping[str, str]
) -> Evaluation:
    cells: dict[tuple[str, str], Any] = {}
    names: dict[str, Any] = {}
    for key, ranges in solution.items():
        value = getattr(ranges, "value", ranges)
        match = _CELL_KEY.match(key)
        if match:
            sheet = _title(match["sheet"], titles)
            cells[(sheet, match["ref"].replace("$", ""))] = to_python(value)
            continue
        match = _NAME_KEY.match(key)
        if match:
            names[match["name"].lower()] = to_python(value)
    not_done: dict[tuple[str, str], str] = {}
    for key, reason in left_out.items():
        match = _LEFT_OUT_KEY.match(key)
        if match is None:
            continue
        if not match["sheet"]:  # a defined name
            names[match["ref"].lower()] = NOT_COMPUTED
            not_done[("", match["ref"].lower())] = reason
            continue
        sheet = _title(match["sheet"], titles)
        first = match["ref"].split(":")[0].replace("$", "")  # an array formula: its first cell holds it
        cells[(sheet, first)] = NOT_COMPUTED
        not_done[(sheet, first)] = reason
    return Evaluation(cells=cells, names=names, messages=messages, not_computed=not_done)


def write_values(path: str | Path, evaluation: Evaluation, out: str | Path) -> Path:
    """Write a copy of ``path`` whose formulas are replaced by their evaluated values.

    Styles, number formats, defined names and charts are kept; the copy shows
    numbers in any viewer, no add-in needed. A cell the engine could not
    compute (:attr:`Evaluation.not_computed`) keeps its formula, with ``#N/A``
    as its saved value, so no cell vanishes and Excel computes it on opening.
    A text value is written as text, never as a formula (a workbook's formula
    may compute ``"=cmd|..."``). Written atomically; ``out`` must not be ``path``.
    """
    from openpyxl import load_workbook
    from openpyxl.cell.cell import ERROR_CODES

    from workbook.xlsxio import check_not_same_file, formula_values, save_workbook_reproducibly, write_text

    target = check_not_same_file(out, path)
    wb = load_workbook(path)
    kept: dict[int, list[str]] = {}  # worksheet position -> coordinates keeping their formula
    for position, ws in enumerate(wb.worksheets):
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
                    if (ws.title, cell.coordinate) in evaluation.not_computed:
                        kept.setdefault(position, []).append(cell.coordinate)
                        continue
                    value = evaluation.cell(ws.title, cell.coordinate)
                    if isinstance(value, str) and value not in ERROR_CODES:
                        write_text(cell, value)
                    else:
                        cell.value = value

    def cache_errors(data: bytes) -> bytes:
        parts = {wb.worksheets[i].path.lstrip("/"): cells for i, cells in kept.items()}
        return formula_values(data, parts, NOT_COMPUTED)

    return save_workbook_reproducibly(wb, target, finish=cache_errors if kept else None)


def not_computed_lines(evaluation: Evaluation, *, shown: int = 5) -> list[str]:
    """One line per reason the engine left cells out: the first ``shown`` cells, how many, why.

    >>> e = Evaluation({}, {}, [], {("Sheet1", "A1"): "a circular reference", ("Sheet1", "B1"): "a circular reference"})
    >>> not_computed_lines(e)
    ['Sheet1!A1, Sheet1!B1: a circular reference; they show #N/A and keep their formulas']
    """
    by_reason: dict[str, list[str]] = {}
    for (sheet, where), reason in evaluation.not_computed.items():
        by_reason.setdefault(reason, []).append(f"{sheet}!{where}" if sheet else f"name {where}")
    lines = []
    for reason, places in by_reason.items():
        listed = ", ".join(places[:shown]) + (
            f" and {len(places) - shown:,} more" if len(places) > shown else ""
        )
        if CELL_SHAPED in reason:  # a name left out: nothing shows #N/A
            lines.append(one_line(f"{listed}: {reason}", 400))
            continue
        they = "it shows" if len(places) == 1 else "they show"
        keep = "keeps its formula" if len(places) == 1 else "keep their formulas"
        lines.append(one_line(f"{listed}: {reason}; {they} {NOT_COMPUTED} and {keep}", 400))
    return lines


# --------------------------------------------------------------------------- command line
