"""``dealdesk evaluate`` where the formula engine itself got Excel wrong: no wrong value passes silently.

Each case is one the engine once got wrong with no word said: a sheet named
with an apostrophe read as ``#REF!``, ``RANDBETWEEN`` returned fractions, and
a failure inside the engine was reported as a Python exception's repr.

Expected values are Excel's (arithmetic written here, or Microsoft's
description of RANDBETWEEN: "the smallest integer RANDBETWEEN will return",
"the largest integer RANDBETWEEN will return").
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from workbook.cli import main
from workbook.evaluate import evaluate_workbook


def two_sheets(folder: Path, other: str, value: float = 5, name: str = "apostrophe.xlsx") -> Path:
    """Sheet1 refers to sheet ``other`` (A1 = ``value``) in a formula and through a defined name."""
    quoted = "'" + other.replace("'", "''") + "'"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = f"={quoted}!A1*2"
    ws["A2"] = "=its_value+1"
    ws["A3"] = f"=SUM({quoted}!A1:B1)"
    sheet = wb.create_sheet(other)
    sheet["A1"] = value
    sheet["B1"] = "=A1*3"  # on the sheet itself
    sheet["C1"] = f"={quoted}!B1+1"  # on the sheet itself, naming it
    wb.defined_names["its_value"] = DefinedName("its_value", attr_text=f"{quoted}!$A$1")
    path = folder / name
    wb.save(path)
    return path


# --------------------------------------------------------------------------- sheet names


@pytest.mark.parametrize("title", ["it's", "Q3 'base' case", "O'Brien's Ω", "plain"])
def test_a_sheet_named_with_an_apostrophe_is_read_like_any_other(tmp_path, title):
    # Before: "it's" gave #REF! in every cell reading it (and in its own formulas), with no reason.
    ev = evaluate_workbook(two_sheets(tmp_path, title))
    # A1 = 5 × 2; A2 = 5 + 1; A3 = 5 + 15; B1 = 5 × 3; C1 = 15 + 1.
    assert [ev.cell("Sheet1", r) for r in ("A1", "A2", "A3")] == [10, 6, 20]
    assert [ev.cell(title, r) for r in ("A1", "B1", "C1")] == [5, 15, 16]
    assert ev.name("its_value") == 5
    assert ev.not_computed == {}


def test_a_kept_model_reads_new_inputs_on_a_sheet_named_with_an_apostrophe(tmp_path):
    # The second workbook has the first one's structure: its inputs are written into the kept model.
    evaluate_workbook(two_sheets(tmp_path, "it's", 5, "first.xlsx"))
    ev = evaluate_workbook(two_sheets(tmp_path, "it's", 7, "second.xlsx"))
    # A1 = 7 × 2; B1 = 7 × 3; C1 = 21 + 1.
    assert (ev.cell("Sheet1", "A1"), ev.cell("it's", "B1"), ev.cell("it's", "C1")) == (14, 21, 22)


def test_the_summary_of_an_apostrophe_sheet_counts_no_error(tmp_path, capsys):
    assert main(["evaluate", str(two_sheets(tmp_path, "it's"))]) == 0
    # Three cells on each sheet; before, "3 error values".
    assert capsys.readouterr().out.splitlines()[0] == "apostrophe.xlsx: 6 cells evaluated, 0 error values"


# --------------------------------------------------------------------------- failures inside the engine


@pytest.mark.parametrize(
    ("formula", "reason"),
    [
        # Before: 'the formula engine failed on it (DispatcherError("Failed DISPATCHING \'%s\' due to:\n %r",
        # \'LET\', TypeError(\'too many positional arguments\')))'.
        (
            "=LET(f,LAMBDA(g,x,g(g,x+1)),f(f,1))",
            "the formula engine failed computing LET: too many positional arguments",
        ),
        # Before: "the formula engine failed on it (ValueError('The truth value of an array ...".
        (
            "=MUNIT(3)",
            "the formula engine failed computing MUNIT: The truth value of an array with more than one "
            "element is ambiguous. Use a.any() or a.all()",
        ),
    ],
)
def test_a_failure_inside_the_engine_names_the_function_in_words(tmp_path, capsys, formula, reason):
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.active["A1"], wb.active["B1"] = formula, "=1+2"
    wb.save(path := tmp_path / "failure.xlsx")
    ev = evaluate_workbook(path)
    assert ev.not_computed == {("Sheet1", "A1"): reason}
    assert (ev.cell("Sheet1", "A1"), ev.cell("Sheet1", "B1")) == ("#N/A", 3)
    assert main(["evaluate", str(path)]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("not computed: "))
    assert line == f"not computed: Sheet1!A1: {reason}; it shows #N/A and keeps its formula"


# --------------------------------------------------------------------------- RANDBETWEEN


def randbetween_book(folder: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["B1"], ws["B2"] = 2, 4
    formulas = {
        "A1": "=RANDBETWEEN(1,10)",
        "A2": "=RANDBETWEEN(3,3)",
        "A3": "=RANDBETWEEN(5,3)",  # bottom above top: #NUM!
        "A4": "=RANDBETWEEN(1.5,1.7)",  # no whole number from 2 up to 1: #NUM!
        "A5": "=RANDBETWEEN(0.65,1)",  # from 1 to 1
        "A6": "=RANDBETWEEN(-2.5,-2)",  # from -2 to -2
        "A7": "=RANDBETWEEN(B1,B2)",  # bounds from cells
        "A8": "=RANDBETWEEN(TRUE,3)",  # a logical bound: #VALUE!
    }
    for ref, formula in formulas.items():
        ws[ref] = formula
    wb.save(path := folder / "randbetween.xlsx")
    return path


def test_randbetween_gives_a_whole_number_between_excels_bounds(tmp_path, monkeypatch):
    asked: list[tuple[int, int]] = []

    def randint(low: int, high: int) -> int:  # the top of the range: the largest number Excel may give
        asked.append((low, high))
        return high

    monkeypatch.setattr("random.randint", randint)
    ev = evaluate_workbook(randbetween_book(tmp_path))
    got = [ev.cell("Sheet1", f"A{row}") for row in range(1, 9)]
    assert got == [10, 3, "#NUM!", "#NUM!", 1, -2, 4, "#VALUE!"]
    assert sorted(asked) == [(-2, -2), (1, 1), (1, 10), (2, 4), (3, 3)]
    assert ev.not_computed == {}


def test_randbetween_draws_again_at_every_computation(tmp_path, monkeypatch):
    # Before: bounds written as numbers made one fraction at compile time, reused by every computation.
    draws = iter(range(1, 100))
    monkeypatch.setattr("random.randint", lambda low, high: next(draws))
    path = randbetween_book(tmp_path)
    first = evaluate_workbook(path).cell("Sheet1", "A1")
    second = evaluate_workbook(path).cell("Sheet1", "A1")
    assert first != second and float(first).is_integer() and float(second).is_integer()
