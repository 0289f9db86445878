"""The xlwings call path outside the browser: one check at start-up instead of a failing import per cell.

xlwings (0.37) asks, for every cell of every range argument and for every
argument of a custom-function call, whether the value is Pyodide's ``JsNull``
(how Pyodide 0.28 and later hands over JavaScript's ``null``), and it does so
by running ``from pyodide.ffi import JsNull`` inside the check
(``xlwings.utils.is_jsnull``, ``xlwings.pro.udfs_officejs.js_to_none``).
Under CPython (xlwings Server, classic xlwings, the tests) there is no module
``pyodide``; that import fails, and Python does not remember a failed import,
so every cell searches ``sys.path`` again: about 30 µs a cell, 0.2 s for two
3,000-cell ranges.

:func:`skip_failing_jsnull_imports` settles the question once, when
:mod:`addin.functions` is imported. Where the platform is not Emscripten and
no module named ``pyodide`` can be found, it rebinds those two xlwings
functions to ones that give exactly the answers the failing import gives: no
value is ``JsNull``, an argument passes unchanged. Under Pyodide (xlwings
Lite), or wherever a ``pyodide`` module exists, it changes nothing, and
xlwings' own checks run as before. ``sys.modules`` is not touched (some
libraries read a ``"pyodide"`` entry there as "running in the browser").
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Any

__all__ = ["pyodide_possible", "skip_failing_jsnull_imports"]


def _never_jsnull(value: Any) -> bool:
    """``xlwings.utils.is_jsnull`` where ``import pyodide`` fails: always False."""
    return False


def _unchanged(value: Any) -> Any:
    """``xlwings.pro.udfs_officejs.js_to_none`` where ``import pyodide`` fails: the value itself."""
    return value


def pyodide_possible() -> bool:
    """True under Pyodide (Emscripten) or where a module named ``pyodide`` can be imported.

    >>> pyodide_possible() == (sys.platform == "emscripten" or importlib.util.find_spec("pyodide") is not None)
    True
    """
    return sys.platform == "emscripten" or importlib.util.find_spec("pyodide") is not None


def skip_failing_jsnull_imports() -> bool:
    """Replace xlwings' per-cell ``JsNull`` checks by their known answer where Pyodide cannot be imported.

    Returns True if the checks were replaced, False if nothing was changed
    (Pyodide, or a ``pyodide`` module present). Only functions xlwings
    already has are replaced; ``xlwings.pro.udfs_officejs`` only if it is
    loaded (the Office.js runtime loads it with ``import xlwings``).
    """
    if pyodide_possible():
        return False
    import xlwings.utils

    if hasattr(xlwings.utils, "is_jsnull"):
        setattr(xlwings.utils, "is_jsnull", _never_jsnull)  # noqa: B010 - not every xlwings has it
    standard = sys.modules.get("xlwings.conversion.standard")
    if standard is not None and hasattr(standard, "is_jsnull"):
        setattr(standard, "is_jsnull", _never_jsnull)  # noqa: B010
    officejs = sys.modules.get("xlwings.pro.udfs_officejs")
    if officejs is not None and hasattr(officejs, "js_to_none"):
        setattr(officejs, "js_to_none", _unchanged)  # noqa: B010
    return True
