"""Exceptions become one Excel message naming the function and the argument."""

from __future__ import annotations

import sys
import types

import pytest
import xlwings

from addin import errors
from addin.errors import DealDeskExcelError, excel_errors, excel_message
from core.validation import DealDeskInputError


def _module_with(function, monkeypatch: pytest.MonkeyPatch):
    """Put ``function`` in a throw-away module with the DEAL namespace, decorated as on Office.js.

    The module is registered in ``sys.modules`` through ``monkeypatch``, which removes it
    again when the test ends, pass or fail.
    """
    module = types.ModuleType("dealdesk_probe")
    module.__xlwings_func_namespace__ = "DEAL"
    function.__module__ = module.__name__
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return module


@pytest.fixture
def probe(monkeypatch: pytest.MonkeyPatch):
    def deal_probe(x):
        """Probe."""
        if x == "input":
            raise DealDeskInputError("x must be a number > 0, got -1")
        if x == "bug":
            raise ZeroDivisionError("division by zero")
        if x == "long":
            raise DealDeskInputError("x line one\nline two " + "y" * 5000)
        return x

    _module_with(deal_probe, monkeypatch)
    return xlwings.func(name="PROBE")(excel_errors(deal_probe))


def test_values_pass_through(probe):
    assert probe(5) == 5


def test_input_errors_name_the_function_and_argument(probe):
    with pytest.raises(DealDeskExcelError, match=r"^DEAL\.PROBE: x must be a number > 0, got -1$") as raised:
        probe("input")
    assert isinstance(raised.value, xlwings.XlwingsError)  # what xlwings Server passes on verbatim
    assert isinstance(raised.value.__cause__, DealDeskInputError)


def test_unexpected_errors_still_give_a_message(probe):
    with pytest.raises(
        DealDeskExcelError,
        match=r"^DEAL\.PROBE: unexpected error \(ZeroDivisionError: division by zero\); please report it",
    ):
        probe("bug")


def test_messages_are_one_bounded_line(probe):
    with pytest.raises(DealDeskExcelError) as raised:
        probe("long")
    text = str(raised.value)
    assert "\n" not in text and text.startswith("DEAL.PROBE: x line one line two yyy")
    assert len(text) == errors.MAX_MESSAGE and text.endswith("...")


def test_message_format():
    assert excel_message("DEAL.X", DealDeskInputError("a must be b")) == "DEAL.X: a must be b"


def test_this_run_is_not_classic():
    # The tests run xlwings' Office.js decorators (tests/addin/conftest.py); the classic
    # path is exercised in test_classic.py.
    assert not errors.is_classic()


def test_help_text_loses_its_source_indentation(probe):
    def deal_doc():
        """First line.

        Second paragraph.
        """

    assert excel_errors(deal_doc).__doc__ == "First line.\n\nSecond paragraph."


def test_missing_arguments_are_blanks_and_extra_ones_are_refused(monkeypatch: pytest.MonkeyPatch):
    def deal_two(a, b=None):
        """Two."""
        if a is None:
            raise DealDeskInputError("a is required; the cell or argument is blank")
        return (a, b)

    _module_with(deal_two, monkeypatch)
    wrapped = xlwings.func(name="TWO")(excel_errors(deal_two))
    assert wrapped(1) == (1, None)
    with pytest.raises(DealDeskExcelError, match=r"^DEAL\.TWO: a is required"):
        wrapped()
    with pytest.raises(DealDeskExcelError, match=r"^DEAL\.TWO: takes at most 2 arguments, got 3$"):
        wrapped(1, 2, 3)
