"""xlwings' per-cell JsNull check: answered once outside Pyodide, untouched where Pyodide may run."""

from __future__ import annotations

import sys

import xlwings.utils
from xlwings.pro import udfs_officejs

import addin.functions  # noqa: F401  (imports apply the fast path, as every runtime does)
from addin import fastpath
from tests.addin.officejs import call, cell


def test_outside_pyodide_the_checks_give_the_failing_imports_answers():
    assert not fastpath.pyodide_possible()
    assert xlwings.utils.is_jsnull is fastpath._never_jsnull
    assert udfs_officejs.js_to_none is fastpath._unchanged
    for value in (None, "", 0, 0.0, [[None]], "#N/A"):
        assert xlwings.utils.is_jsnull(value) is False
        assert udfs_officejs.js_to_none(value) is value
    # to_scalar (per argument) still unwraps one-cell ranges and keeps blanks as None
    assert udfs_officejs.to_scalar([[None]]) is None
    assert udfs_officejs.to_scalar([[38]]) == 38


def test_blank_cells_still_take_the_defaults_through_the_call_path():
    # realisation blank (None) and an empty range cell ("") both mean "the core's default"
    plain = call("deal_schedule", cell(38), cell(45964), cell(7))
    blanks = call("deal_schedule", cell(38), cell(45964), cell(7), None, None, None, cell(""))
    assert blanks == plain
    assert plain[-1][-1] == 38.0  # cumulative revenue reaches the contract value


def test_under_pyodide_nothing_is_replaced(monkeypatch):
    marker = object()
    monkeypatch.setattr(xlwings.utils, "is_jsnull", marker)
    monkeypatch.setattr(udfs_officejs, "js_to_none", marker)
    monkeypatch.setattr(sys, "platform", "emscripten")
    assert fastpath.pyodide_possible()
    assert fastpath.skip_failing_jsnull_imports() is False
    assert xlwings.utils.is_jsnull is marker and udfs_officejs.js_to_none is marker


def test_where_a_pyodide_module_exists_nothing_is_replaced(monkeypatch, tmp_path):
    package = tmp_path / "pyodide"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "ffi.py").write_text("class JsNull:\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    marker = object()
    monkeypatch.setattr(xlwings.utils, "is_jsnull", marker)
    assert fastpath.pyodide_possible()
    assert fastpath.skip_failing_jsnull_imports() is False
    assert xlwings.utils.is_jsnull is marker
