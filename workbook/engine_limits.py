"""Excel's limits on text and arrays, held by the formula engine's functions and operators.

Microsoft's "Excel specifications and limits": a cell holds at most
``MAX_TEXT_CHARS`` (32,767) characters. Left alone, the ``formulas`` engine
built a 2-billion-character text for ``LEN(REPT("x", 2^31))`` (6.5 GB in
23 s), a 25,000,000-cell array for ``A1:A5000*TRANSPOSE(A1:A5000)`` (1.6 GB,
four minutes), and ran a backtracking regular expression for ever.
:func:`excel_limits` wraps the engine's registry so that:

* REPT, SUBSTITUTE and REGEXREPLACE check the length of their result *before*
  building it, and every function that makes text (``&``, CONCAT, TEXTJOIN...)
  gives ``#VALUE!`` for a result over ``MAX_TEXT_CHARS``, as Excel does;
* functions that make an array from a size (MUNIT, MAKEARRAY, EXPAND,
  WRAPROWS, WRAPCOLS, MMULT), and every element-wise function or operator
  whose arguments would broadcast (a column times a row), give ``#VALUE!``
  beyond ``MAX_ARRAY_CELLS`` cells (DEALDESK_MAX_ARRAY_CELLS) before building
  the array;

and :func:`timed_regex` stops a regular expression after ``REGEX_SECONDS``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from core.validation import limit

__all__ = [
    "MAX_ARRAY_CELLS",
    "MAX_TEXT_CHARS",
    "REGEX_SECONDS",
    "array_limit",
    "excel_limits",
    "timed_regex",
]

#: Most characters a cell (and so any text value) holds in Excel.
MAX_TEXT_CHARS = 32_767
#: Most cells an array the engine builds may hold (DEALDESK_MAX_ARRAY_CELLS): one full column of a sheet.
MAX_ARRAY_CELLS = 1_048_576


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


def array_limit() -> int:
    """``MAX_ARRAY_CELLS``, or ``DEALDESK_MAX_ARRAY_CELLS`` when set."""
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
    return rows * columns > array_limit()


#: Checks made before a function runs: a result over Excel's limits gives #VALUE! without being built.
_BEFORE: dict[str, Callable[..., bool]] = {
    "REPT": _rept_too_long,
    "SUBSTITUTE": _substitute_too_long,
    "REGEXREPLACE": _regexreplace_too_long,
    "MUNIT": lambda n, *_: _cells(n, n) > array_limit(),
    "MAKEARRAY": lambda rows, columns=1, *_: _cells(rows, columns) > array_limit(),
    "EXPAND": lambda array, rows=1, columns=1, *_: _cells(rows, columns) > array_limit(),
    "WRAPROWS": lambda vector, count=1, *_: _cells(count) > array_limit(),
    "WRAPCOLS": lambda vector, count=1, *_: _cells(count) > array_limit(),
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
    return int(np.prod(shape, dtype=float)) > array_limit()


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


# --------------------------------------------------------------------------- regular expressions


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


def timed_regex(original: Callable[..., Any]) -> Callable[..., Any]:
    """The engine's pattern compiler, giving a :class:`_TimedPattern` of the same pattern and flags."""
    import re

    import regex

    def compile_timed(*args: Any, **kwargs: Any) -> tuple[Any, str]:
        rx, text = original(*args, **kwargs)  # the engine's own checks of the arguments
        flags = regex.IGNORECASE if rx.flags & re.IGNORECASE else 0
        return _TimedPattern(regex.compile(rx.pattern, flags)), text

    return compile_timed
