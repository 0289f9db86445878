"""Exceptions to Excel error messages: the one place that translates them.

Every custom function is wrapped in :func:`excel_errors`. Whatever goes wrong
inside — a :class:`~core.validation.DealDeskInputError` from a converter or
the core, or an unexpected bug — leaves the function as one clean message
that starts with the function's Excel name, then names the argument, the
rule and the bad value, for example::

    DEAL.SCHEDULE: term_years must be a number > 0 and <= 100, got 0.0

How each runtime shows that message (checked against the xlwings sources):

* **xlwings Server** (Office.js): the server answers an exception with HTTP
  500; xlwings' own exception handler sends ``str(exception)`` for an
  ``XlwingsError`` — but only "An error occurred." for any other exception in
  production — and the add-in's JavaScript turns the answer into
  ``CustomFunctions.Error(invalidValue, message)``: the cell shows
  ``#VALUE!`` and the message appears when you hover over or click the
  cell's error flag. That is why the message travels as
  :class:`DealDeskExcelError`, an ``XlwingsError``.
* **xlwings Lite** (Office.js in Pyodide): the add-in catches the exception
  and shows ``str(exception)`` the same way, ``#VALUE!`` with the message on
  the error flag.
* **classic xlwings** (Windows, COM): the generated VBA wrapper catches the
  error and returns ``Err.Description`` as the cell's value, so the message
  is the cell's text. pywin32 copies the ``description`` of a
  ``win32com.server.exception.COMException`` verbatim into
  ``Err.Description`` (any other exception arrives prefixed with
  "Unexpected Python Error" and a traceback), so in classic xlwings the
  message is raised as a ``COMException``.

The runtime is recognised by the decorators xlwings chose at import time:
classic xlwings binds ``xlwings.func`` to ``xlwings.udfs.xlfunc``.

Some requests fail inside xlwings before the wrapper runs (an empty range
``[[]]``, an Office.js value without ``type``/``basicValue``, more arguments
than the function takes, a range of a million cells that xlwings would convert
cell by cell): :func:`custom_functions_call` checks the request first with
:func:`check_request` and answers those with a DealDesk message too. A server
(and the tests) call it in place of ``xlwings.server.custom_functions_call``.
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import xlwings

from addin.converters import check_range_size
from core.validation import DealDeskInputError

__all__ = [
    "DealDeskExcelError",
    "check_request",
    "custom_functions_call",
    "excel_errors",
    "excel_message",
    "excel_name",
    "is_classic",
]

_F = TypeVar("_F", bound=Callable[..., Any])

#: Longest message passed to Excel (cells hold 32,767 characters; hover texts stay readable).
MAX_MESSAGE = 1_000


class DealDeskExcelError(xlwings.XlwingsError):
    """The message a custom function shows in Excel (an ``XlwingsError``, so servers pass it on)."""


def is_classic() -> bool:
    """True when xlwings runs as the classic COM add-in (it bound ``xlwings.func`` to ``udfs.xlfunc``)."""
    udfs = sys.modules.get("xlwings.udfs")
    return udfs is not None and getattr(xlwings, "func", None) is getattr(udfs, "xlfunc", None)


def excel_name(function: Callable[..., Any]) -> str:
    """The name the user typed: ``DEAL.SCHEDULE`` on Office.js, ``DEAL_SCHEDULE`` in classic Excel.

    Office.js shows ``namespace.name`` (the module's ``__xlwings_func_namespace__``,
    or its ``EXCEL_NAMESPACE`` when a server manifest supplies the namespace, and
    ``xw.func(name=...)``); classic xlwings ignores both and uses the
    Python name. Without an xlwings runtime (decorators are no-ops) the
    Office.js spelling is derived from the Python name.
    """
    info = getattr(function, "__xlfunc__", {})
    python_name = info.get("name", function.__name__)
    if is_classic():
        return str(python_name).upper()
    module = sys.modules.get(function.__module__)
    # A module whose namespace the server's manifest supplies (``__xlwings_func_namespace__``
    # empty) still names it in messages: its ``EXCEL_NAMESPACE``, as Excel shows it.
    namespace = (
        info.get("namespace")
        or getattr(module, "__xlwings_func_namespace__", None)
        or getattr(module, "EXCEL_NAMESPACE", None)
    )
    display = info.get("excel_name") or str(python_name).upper()
    if not info and namespace and display.startswith(f"{namespace.upper()}_"):
        # No xlwings runtime (plain Python, a formula engine): use the Office.js spelling
        # the template's formulas use, DEAL.SCHEDULE for deal_schedule.
        display = display[len(namespace) + 1 :]
    return f"{namespace.upper()}.{display}" if namespace else display


def excel_message(label: str, error: BaseException) -> str:
    """The text shown for ``error`` raised inside the function called ``label``.

    >>> excel_message("DEAL.SCHEDULE", DealDeskInputError("term_years must be a number > 0, got 0"))
    'DEAL.SCHEDULE: term_years must be a number > 0, got 0'
    >>> excel_message("DEAL.SCHEDULE", ZeroDivisionError("division by zero"))
    'DEAL.SCHEDULE: unexpected error (ZeroDivisionError: division by zero); please report it with the inputs'
    """
    if isinstance(error, DealDeskInputError):
        text = f"{label}: {error}"
    else:
        text = (
            f"{label}: unexpected error ({type(error).__name__}: {error}); please report it with the inputs"
        )
    text = " ".join(text.split())  # one line: cells and hover texts show no line breaks
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def _to_excel(message: str) -> Exception:
    if is_classic():
        from win32com.server.exception import COMException  # pywin32, present wherever classic runs

        return COMException(description=message)
    return DealDeskExcelError(message)


def excel_errors(function: _F) -> _F:
    """Decorator: any exception leaves ``function`` as one Excel message naming the bad argument.

    Put it directly on the ``def`` (below ``@xw.func`` and the ``@xw.arg`` lines).
    """

    count = len(inspect.signature(function).parameters)

    @functools.wraps(function)
    def wrapper(*args: Any) -> Any:
        try:
            if len(args) > count:
                raise DealDeskInputError(f"takes at most {count} arguments, got {len(args)}")
            # A caller that drops trailing arguments (a formula engine) leaves them blank,
            # so a missing required argument is reported by its name.
            return function(*args, *([None] * (count - len(args))))
        except DealDeskExcelError:
            raise
        except Exception as error:  # every error, expected or not, becomes a message
            raise _to_excel(excel_message(excel_name(wrapper), error)) from error

    # The docstring is the Excel help: xlwings sends it as is, so drop the source indentation.
    wrapper.__doc__ = inspect.cleandoc(function.__doc__ or "")
    return wrapper  # type: ignore[return-value]


_SCALARS = (str, int, float, bool, type(None))
#: The largest number a cell holds (a double); JSON allows integers of any size.
_LARGEST_NUMBER = sys.float_info.max
#: Fields of a call xlwings reads besides the arguments: (field, what it is, required).
_CALL_FIELDS = (
    ("version", "the xlwings version of the add-in", True),
    ("client", "the calling client", True),
    ("runtime", "the Office.js API version, such as '1.4'", True),
    ("date_format", "Excel's date format", False),
    ("culture_info_name", "Excel's language, such as 'en-US'", False),
)


def _check_argument(name: str, value: Any) -> None:
    """One argument as Office.js sends it: ``None`` (left out) or a non-empty list of non-empty rows."""
    if value is None:
        return
    if not isinstance(value, list) or not value or not all(isinstance(r, list) and r for r in value):
        raise DealDeskInputError(
            f"{name} is not a range of cells (got {type(value).__name__} {str(value)[:40]})"
        )
    check_range_size(name, value)
    for r, row in enumerate(value, start=1):
        for c, cell in enumerate(row, start=1):
            if isinstance(cell, dict):
                if "type" not in cell or "basicValue" not in cell:
                    raise DealDeskInputError(
                        f"{name} (row {r}, column {c}) is a value without type and basicValue"
                    )
                cell = cell["basicValue"]
            if not isinstance(cell, _SCALARS):
                raise DealDeskInputError(
                    f"{name} (row {r}, column {c}) is not a cell value (got {type(cell).__name__})"
                )
            if isinstance(cell, int) and not isinstance(cell, bool) and abs(cell) > _LARGEST_NUMBER:
                # Excel's numbers are doubles; only a hand-written request holds a larger integer.
                digits = len(str(abs(cell)))
                raise DealDeskInputError(
                    f"{name} (row {r}, column {c}) is a number of {digits:,} digits, beyond what a cell "
                    "holds (about 1.8e308)"
                )


def _is_version(text: str) -> bool:
    """True for a version number such as ``1.4`` (xlwings reads ``runtime`` with ``float``).

    >>> _is_version("1.4"), _is_version(" 1.10 "), _is_version("nan"), _is_version("1.4.1")
    (True, True, False, False)
    """
    parts = text.strip().split(".")
    return 1 <= len(parts) <= 2 and all(p.isdigit() and p.isascii() and len(p) <= 4 for p in parts)


def check_request(data: Any, module: Any) -> None:
    """Refuse an Office.js request that xlwings itself would fail on, with the function's message.

    Raises
    ------
    DealDeskExcelError
        ``DEAL.<NAME>: <argument> ...`` for a malformed argument, too many
        arguments or a range over ``addin.converters.MAX_RANGE_CELLS`` cells;
        ``DEAL.<NAME>: the request has no 'version' ...`` when a field xlwings
        reads (``version``, ``client``, ``runtime``; ``date_format`` and
        ``culture_info_name`` if given) is missing or not text, or ``runtime``
        is not a version number; a number larger than a cell holds.
    """
    if not isinstance(data, dict):
        raise DealDeskExcelError("DEAL: the request is not a custom-function call")
    function = getattr(module, str(data.get("func_name")), None)
    if function is None or not hasattr(function, "__xlfunc__"):
        raise DealDeskExcelError(f"DEAL: no custom function {str(data.get('func_name'))[:60]!r}")
    label = excel_name(function)
    names = list(inspect.signature(function).parameters)
    args = data.get("args")
    try:
        for field, what, required in _CALL_FIELDS:
            value = data.get(field)
            if isinstance(value, str) or (value is None and not required):
                continue
            raise DealDeskInputError(f"the request has no {field!r} ({what}) as text")
        if not _is_version(data["runtime"]):
            raise DealDeskInputError(
                f"the request's 'runtime' must be the Office.js API version, such as '1.4', "
                f"got {data['runtime'][:20]!r}"
            )
        if not isinstance(args, list):
            raise DealDeskInputError(f"the arguments are not a list (got {type(args).__name__})")
        if len(args) > len(names):
            raise DealDeskInputError(f"takes at most {len(names)} arguments, got {len(args)}")
        for name, value in zip(names, args, strict=False):
            _check_argument(name, value)
    except DealDeskInputError as error:
        raise DealDeskExcelError(excel_message(label, error)) from None


async def custom_functions_call(data: Any, module: Any, *args: Any, **kwargs: Any) -> Any:
    """``xlwings.server.custom_functions_call`` after :func:`check_request`: every failure is a DEAL message."""
    from xlwings.server import custom_functions_call as xlwings_call  # licensed part, imported when used

    check_request(data, module)
    try:
        return await xlwings_call(data, module, *args, **kwargs)
    except (DealDeskExcelError, xlwings.XlwingsError):
        raise
    except Exception as error:  # a request shape the check did not foresee: still one message
        function = getattr(module, str(data.get("func_name")), None)
        label = excel_name(function) if function is not None else "DEAL"
        raise DealDeskExcelError(excel_message(label, error)) from error
