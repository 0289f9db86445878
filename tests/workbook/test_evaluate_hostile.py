"""``dealdesk evaluate`` on hostile or unusual workbooks: no cell vanishes, Excel's limits hold.

Each workbook here is a few cells written with openpyxl; each case is one the
evaluator once got wrong: circular references and names defined in a loop
dropped from the values-only copy (or silently 0), skipped arguments passed
as 0, a table-returning DEAL function in one cell giving ``#VALUE!`` with no
message, ``LEN(REPT("x", 2^31))`` taking gigabytes, a 50,000-term formula a
minute, and engine errors printed as tracebacks or 33 KB tuples.

Expected values are Excel's (its "specifications and limits": 32,767
characters in a cell, 8,192 in a formula) or arithmetic written here.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from workbook.cli import main
from workbook.engine_guard import MAX_FORMULA_CHARS, engine_error, one_line
from workbook.engine_limits import MAX_TEXT_CHARS
from workbook.evaluate import evaluate_workbook, not_computed_lines, write_values

ROOT = Path(__file__).resolve().parents[2]
#: Peak memory is read from /proc (Linux).
NEEDS_PROC = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads peak memory from /proc")
# AWS–OpenAI: $38B from 2025-11-03 (serial 45964) for 7 years; 59 of its 2557 days fall in 2025.
FY2025 = 38 * 59 / 2557


def book(folder: Path, cells: dict[str, object], names: dict[str, str] | None = None) -> Path:
    """A one-sheet workbook (sheet "Sheet1") holding ``cells`` and global ``names``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for ref, value in cells.items():
        ws[ref] = value
    for name, text in (names or {}).items():
        wb.defined_names[name] = DefinedName(name, attr_text=text)
    path = folder / "hostile.xlsx"
    wb.save(path)
    return path


def cell(evaluation, ref: str):
    return evaluation.cell("Sheet1", ref)


# --------------------------------------------------------------------------- 7. no cell vanishes


CIRCULAR = {"A1": "=B1+1", "B1": "=A1+1", "C1": "=C1", "D1": 5, "E1": "=D1*2", "F1": "=A1+1"}


def test_circular_references_show_an_error_and_say_why(tmp_path):
    # Before: "0 cells evaluated, 0 error values" and A1, B1, C1 missing from the results.
    ev = evaluate_workbook(book(tmp_path, CIRCULAR))
    assert [cell(ev, r) for r in ("A1", "B1", "C1", "D1", "E1", "F1")] == [
        "#N/A",
        "#N/A",
        "#N/A",
        5,
        10,
        "#N/A",
    ]
    assert ev.not_computed == {
        ("Sheet1", "A1"): "a circular reference (it depends on itself)",
        ("Sheet1", "B1"): "a circular reference (it depends on itself)",
        ("Sheet1", "C1"): "a circular reference (it depends on itself)",
        ("Sheet1", "F1"): "it depends on a cell that could not be computed",
    }
    assert not_computed_lines(ev) == [
        "Sheet1!A1, Sheet1!B1, Sheet1!C1: a circular reference (it depends on itself); "
        "they show #N/A and keep their formulas",
        "Sheet1!F1: it depends on a cell that could not be computed; it shows #N/A and keeps its formula",
    ]


def test_the_values_copy_keeps_every_cell_an_uncomputed_one_with_its_formula(tmp_path):
    source = book(tmp_path, CIRCULAR)
    out = write_values(source, evaluate_workbook(source), tmp_path / "values.xlsx")
    formulas = openpyxl.load_workbook(out)["Sheet1"]
    saved = openpyxl.load_workbook(out, data_only=True)["Sheet1"]
    assert [formulas[r].value for r in ("A1", "B1", "C1", "F1")] == ["=B1+1", "=A1+1", "=C1", "=A1+1"]
    # What a viewer that does not recalculate shows: the error value saved with the formula.
    assert [saved[r].value for r in ("A1", "B1", "C1", "D1", "E1", "F1")] == [
        "#N/A",
        "#N/A",
        "#N/A",
        5,
        10,
        "#N/A",
    ]
    assert formulas["E1"].value == 10  # a computed formula became its value


def test_names_defined_in_a_loop_are_not_zero(tmp_path):
    # Before: alpha = beta, beta = alpha silently gave 0.
    ev = evaluate_workbook(
        book(tmp_path, {"A1": "=alpha", "B1": "=beta+1"}, {"alpha": "beta", "beta": "alpha"})
    )
    assert (ev.name("alpha"), ev.name("beta"), cell(ev, "A1"), cell(ev, "B1")) == ("#N/A",) * 4
    assert ev.not_computed[("", "alpha")] == "a circular reference (it depends on itself)"


def test_names_spelt_like_cells_are_left_out_and_every_cell_still_evaluates(tmp_path, capsys):
    # Before: names n1 -> n2 -> n3 -> n1 (Excel refuses such names; a hand-made file can hold them)
    # failed the whole workbook ("'tuple' object has no attribute 'extend'"), every cell dropped.
    # Now each is left out, said so, and a formula using one reads that cell, as Excel reads the text.
    path = book(
        tmp_path, {"A1": 1, "B1": "=A1+1", "C1": "=n1*2", "N1": 21}, {"n1": "n2", "n2": "n3", "n3": "n1"}
    )
    ev = evaluate_workbook(path)
    assert (cell(ev, "B1"), cell(ev, "C1")) == (2, 42)  # C1 = N1 × 2 = 21 × 2
    assert set(ev.not_computed) == {("", "n1"), ("", "n2"), ("", "n3")}
    lines = not_computed_lines(ev)
    assert lines == [
        "name n1, name n2, name n3: the name reads as a cell reference, which Excel does not allow as a name; "
        "left out, and formulas that use it read that cell"
    ]
    assert "#N/A" not in lines[0]
    assert main(["evaluate", str(path), "--out", str(tmp_path / "values.xlsx")]) == 0
    assert openpyxl.load_workbook(tmp_path / "values.xlsx")["Sheet1"]["C1"].value == 42


@pytest.mark.parametrize(
    ("name", "shaped"),
    [
        ("A1", True),
        ("xfd1048576", True),
        ("XFE1", False),
        ("A1048577", False),
        ("A0", False),
        ("R1C1", True),
        ("R", True),
        ("C", True),
        ("RC", True),
        ("Rate", False),
        ("AWS_2025", False),
    ],
)
def test_a_name_is_cell_shaped_exactly_within_excels_grid(name, shaped):
    # Excel's grid: columns A..XFD (16,384), rows 1..1,048,576; R1C1 spellings too.
    from workbook.engine_guard import cell_shaped_name

    assert cell_shaped_name(name) is shaped


def test_the_summary_counts_cells_not_computed(tmp_path, capsys):
    source = book(tmp_path, CIRCULAR)
    assert main(["evaluate", str(source), "--out", str(tmp_path / "v.xlsx")]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "hostile.xlsx: 6 cells evaluated, 4 error values, 4 not computed"
    assert "not computed: Sheet1!A1, Sheet1!B1, Sheet1!C1: a circular reference" in out
    assert err == ""


@pytest.mark.parametrize(
    ("formula", "value", "reason"),
    [
        # 5,000 x 5,000 = 25,000,000 cells, over MAX_ARRAY_CELLS (1,048,576): Excel's #VALUE!, at once.
        ("=MUNIT(5000)", "#VALUE!", None),
        ("=MUNIT(1025)", "#VALUE!", None),  # 1,050,625 cells: just over
        # The engine's own MUNIT fails on any size above 1: the cell says so instead of vanishing.
        ("=MUNIT(3)", "#N/A", "the formula engine failed computing MUNIT: The truth value of an array"),
    ],
)
def test_munit_never_vanishes_nor_prints_a_traceback(tmp_path, capsys, formula, value, reason):
    source = book(tmp_path, {"A1": formula, "B1": "=1+1"})
    assert main(["evaluate", str(source), "--out", str(tmp_path / "v.xlsx")]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "Traceback" not in out
    ev = evaluate_workbook(source)
    assert (cell(ev, "A1"), cell(ev, "B1")) == (value, 2)
    if reason is None:
        assert ev.not_computed == {}
    else:
        assert ev.not_computed[("Sheet1", "A1")].startswith(reason)
        assert "\n" not in ev.not_computed[("Sheet1", "A1")]


# --------------------------------------------------------------------------- 8. skipped arguments


def test_skipped_arguments_take_their_defaults(tmp_path):
    ev = evaluate_workbook(
        book(
            tmp_path,
            {
                # The docstring's own example: before, "priority (cell 1) must be text, got 0".
                "A1": '=INDEX(DEAL.EXPOSURE_RISK("seniority", , 10000, 1), 2, 1)',
                # Before: "profile must be text, got 0". Realisation 0.9 scales revenue.
                "A2": "=INDEX(DEAL.SCHEDULE(38,45964,7,,,,0.9), 2, 4)",
                "A3": "=INDEX(DEAL.SCHEDULE(38,45964,7,,,,), 2, 4)",
            },
        )
    )
    assert ev.messages == []
    assert cell(ev, "A1") == "Amazon (AWS)"
    assert cell(ev, "A2") == pytest.approx(FY2025 * 0.9, rel=1e-12)
    assert cell(ev, "A3") == pytest.approx(FY2025, rel=1e-12)


def test_a_typed_zero_is_still_zero(tmp_path):
    ev = evaluate_workbook(book(tmp_path, {"A1": "=DEAL.SCHEDULE(38,45964,0)"}))
    assert cell(ev, "A1") == "#VALUE!"
    assert ev.messages == ["DEAL.SCHEDULE: term_years must be a number > 0 and <= 100, got 0.0"]


@pytest.mark.parametrize(
    ("formula", "value"), [("=IF(TRUE,,1)", 0), ("=SUM(1,,2)", 3), ('=CONCAT("a",,"b")', "a0b")]
)
def test_built_in_functions_still_read_a_skipped_argument_as_zero(tmp_path, formula, value):
    # As before (and as the engine has it); only custom functions see a blank.
    assert cell(evaluate_workbook(book(tmp_path, {"A1": formula})), "A1") == value


def test_a_table_in_one_cell_shows_its_top_left_value(tmp_path):
    # Before: #VALUE! with no message. Excel shows a table it cannot spill by its top-left value.
    ev = evaluate_workbook(book(tmp_path, {"A1": "=DEAL.SCHEDULE(38,45964,7)", "A2": "=DEAL.EXPOSURE(2026)"}))
    assert (cell(ev, "A1"), cell(ev, "A2")) == ("period", "provider")
    assert ev.messages == []


# --------------------------------------------------------------------------- 9. Excel's limits


def _peak_of_evaluate(source: Path) -> tuple[int, float, str]:
    """Run ``dealdesk evaluate source`` in a child: exit code, seconds, and its peak memory in MB on stderr."""
    # The peak of this process only: VmHWM starts afresh at exec, while ru_maxrss keeps the
    # parent's peak from before the fork (a long test run's).
    code = (
        "import re, sys\n"
        "from workbook.cli import main\n"
        f"rc = main(['evaluate', {str(source)!r}])\n"
        "status = open('/proc/self/status').read()\n"
        "print('PEAK', int(re.search(r'VmHWM:\\s+(\\d+)', status)[1]) // 1024, file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    return done.returncode, time.monotonic() - start, done.stdout + done.stderr


@NEEDS_PROC
def test_a_rept_memory_bomb_is_refused_fast(tmp_path):
    # Before: four cells of LEN(REPT("x", 2^31-i)) in a 5 KB file reached 6.5 GB in 23 s.
    source = book(tmp_path, {f"A{i}": f'=LEN(REPT("x",2^31-{i}))' for i in range(1, 5)})
    code, seconds, output = _peak_of_evaluate(source)
    assert code == 0, output
    assert "4 cells evaluated, 4 error values" in output
    peak = int(output.rsplit("PEAK", 1)[1].split()[0])
    assert peak < 600 and seconds < 60, (peak, seconds)


@pytest.mark.parametrize(
    ("formula", "value"),
    [
        (f'=LEN(REPT("x",{MAX_TEXT_CHARS}))', 32_767),
        (f'=LEN(REPT("x",{MAX_TEXT_CHARS + 1}))', "#VALUE!"),
        ('=LEN(REPT("ab",16384))', "#VALUE!"),  # 32,768 characters
        ('=LEN(REPT("ab",16383))', 32_766),
        (f'=LEN("x"&REPT("x",{MAX_TEXT_CHARS}))', "#VALUE!"),
        (f'=LEN(CONCAT(REPT("x",{MAX_TEXT_CHARS}),"y"))', "#VALUE!"),
        ('=LEN(SUBSTITUTE(REPT("x",20000),"x","yy"))', "#VALUE!"),  # 40,000 characters
        ('=LEN(SUBSTITUTE(REPT("x",100),"x","yy"))', 200),
        ('=LEN(SUBSTITUTE(REPT("x",30000),"x","yyyyyyyyyy",1))', 30_009),  # one occurrence only
    ],
)
def test_text_longer_than_a_cell_holds_is_value_error(tmp_path, formula, value):
    assert cell(evaluate_workbook(book(tmp_path, {"A1": formula})), "A1") == value


def test_a_formula_of_8192_characters_is_read_and_one_more_is_not(tmp_path):
    # 4,095 ones and 4,094 plus signs (8,189 characters), then "+10": 8,192 characters, 4,105.
    at_limit = "=" + "+".join(["1"] * 4095) + "+10"
    over = "=1+" + "0" * (MAX_FORMULA_CHARS - 1)  # 8,193 characters
    assert (len(at_limit) - 1, len(over) - 1) == (MAX_FORMULA_CHARS, MAX_FORMULA_CHARS + 1)
    ev = evaluate_workbook(book(tmp_path, {"A1": at_limit, "A2": over, "A3": "=A2+1"}))
    assert cell(ev, "A1") == 4_105
    assert (cell(ev, "A2"), cell(ev, "A3")) == ("#N/A", "#N/A")  # the error flows on, as in Excel
    reason = ev.not_computed[("Sheet1", "A2")]
    assert reason.startswith("the formula has 8,193 characters; Excel's limit is 8,192 (=1+0000")
    assert len(reason) < 200


def test_a_50000_term_formula_is_refused_before_it_is_parsed(tmp_path):
    # Before: 60 s and 1.6 GB, then a message with a literal "%s" in it.
    source = book(tmp_path, {"A1": "=" + "+".join(["1"] * 50_000), "B1": "=1+2"})
    start = time.monotonic()
    ev = evaluate_workbook(source)
    assert time.monotonic() - start < 30
    assert (cell(ev, "A1"), cell(ev, "B1")) == ("#N/A", 3)
    assert "%s" not in ev.not_computed[("Sheet1", "A1")]


@NEEDS_PROC
def test_a_broadcast_past_the_array_limit_is_value_error_at_once(tmp_path):
    # Before: =SUM(A1:A5000*TRANSPOSE(A1:A5000)) built 25,000,000 cells: 1.6 GB and four minutes.
    cells = {f"A{i}": i for i in range(1, 5001)}
    source = book(tmp_path, {**cells, "B1": "=SUM(A1:A5000*TRANSPOSE(A1:A5000))", "B2": "=SUM(A1:A5000)"})
    code, seconds, output = _peak_of_evaluate(source)
    assert code == 0 and "1 error values" in output, output
    peak = int(output.rsplit("PEAK", 1)[1].split()[0])
    assert peak < 600 and seconds < 60, (peak, seconds)


@pytest.mark.parametrize(
    ("formula", "value"),
    [
        # 100 x 100 = 10,000 cells, the limit set below: computed. 1 + ... + 100 = 5,050; 5,050^2 = 25,502,500.
        ("=SUM(A1:A100*TRANSPOSE(A1:A100))", 25_502_500),
        ("=SUM(A1:A101*TRANSPOSE(A1:A101))", "#VALUE!"),  # 10,201 cells
        ("=SUM(IF(A1:A101>0,TRANSPOSE(A1:A101)))", "#VALUE!"),  # an element-wise function too
        ("=SUM(POWER(A1:A101,TRANSPOSE(A1:A101)))", "#VALUE!"),
        ("=SUM(MMULT(A1:A100,TRANSPOSE(A1:A100)))", 25_502_500),  # an outer product: 100 x 100
        ("=SUM(MMULT(A1:A101,TRANSPOSE(A1:A101)))", "#VALUE!"),
        ("=SUM(A1:A101*A1:A101)", 348_551),  # same shapes: 101 cells. 101*102*203/6 = 348,551
    ],
)
def test_the_broadcast_limit_boundary(tmp_path, monkeypatch, formula, value):
    from workbook.evaluate import clear_compiled_models

    monkeypatch.setenv("DEALDESK_MAX_ARRAY_CELLS", "10000")
    clear_compiled_models()
    ev = evaluate_workbook(book(tmp_path, {**{f"A{i}": i for i in range(1, 102)}, "B1": formula}))
    clear_compiled_models()
    assert cell(ev, "B1") == value


def test_a_regular_expression_that_backtracks_for_ever_stops(tmp_path):
    # Python's re spends about 2^n steps on this pattern: with 60 letters, longer than anyone waits.
    source = book(
        tmp_path,
        {
            "A1": '=REGEXTEST(REPT("ab",30)&"!","^(a|ab|b)*$")',
            "A2": '=REGEXEXTRACT("abc123def","[0-9]+")',
            "A3": '=REGEXREPLACE("abc123","[0-9]","x")',
            "A4": '=REGEXTEST("ABC","abc",1)',
        },
    )
    start = time.monotonic()
    ev = evaluate_workbook(source)
    assert time.monotonic() - start < 30
    assert [cell(ev, f"A{i}") for i in range(1, 5)] == ["#VALUE!", "123", "abcxxx", True]


@NEEDS_PROC
def test_whole_columns_past_the_array_limit_are_not_read(tmp_path):
    # The engine makes each whole column an array of 1,048,576 cells (about 0.8 GB and 6 s): one is
    # read, a second one is over DEALDESK_MAX_ARRAY_CELLS (1,048,576) and refused before it is built.
    source = book(tmp_path, {"C1": 2, "A1": "=SUM(C:C)+SUM(D:D)", "A2": "=1+1"})
    code, seconds, output = _peak_of_evaluate(source)
    assert code == 0, output
    assert (
        "not computed: Sheet1!A1: =SUM(C:C)+SUM(D:D) refers to whole columns or rows (C:C, D:D); " in output
    )
    peak = int(output.rsplit("PEAK", 1)[1].split()[0])
    assert peak < 600 and seconds < 60, (peak, seconds)


def test_the_whole_reference_budget_counts_each_reference_once(tmp_path, monkeypatch):
    from workbook.evaluate import clear_compiled_models

    monkeypatch.setenv("DEALDESK_MAX_ARRAY_CELLS", str(2 * 16_384))  # two whole rows
    clear_compiled_models()
    ev = evaluate_workbook(
        book(
            tmp_path,
            {"A9": 3, "B1": "=SUM(9:9)", "B2": "=SUM(9:9)*2", "B3": "=SUM(10:10)", "B4": "=SUM(11:11)"},
        )
    )
    clear_compiled_models()
    # 9:9 counts once (16,384 cells), 10:10 fills the budget (32,768), 11:11 is one row too many.
    assert [cell(ev, f"B{i}") for i in range(1, 5)] == [3, 6, 0, "#N/A"]
    assert ev.not_computed[("Sheet1", "B4")].startswith("=SUM(11:11) refers to whole columns or rows (11:11)")


# --------------------------------------------------------------------------- 10. one line


@pytest.mark.parametrize(
    ("formula", "reason"),
    [
        # Before: the whole workbook failed with a raw tuple ('Not a valid formula:\n%s', ...).
        ("=cmd|' /C calc'!A0", "the formula engine cannot read =cmd|' /C calc'!A0 (Not a valid formula: "),
        # Before: a 33 KB message.
        ('="' + "x" * 100_000 + '"', "the formula has "),
    ],
)
def test_a_formula_the_engine_cannot_read_is_one_line_and_the_rest_evaluates(
    tmp_path, capsys, formula, reason
):
    source = book(tmp_path, {"A1": formula, "B1": "=1+2"})
    assert main(["evaluate", str(source)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    line = next(x for x in out.splitlines() if x.startswith("not computed: "))
    assert line.startswith("not computed: Sheet1!A1: " + reason) and len(line) < 400
    assert cell(evaluate_workbook(source), "B1") == 3


def test_engine_errors_read_in_one_line():
    from formulas.errors import FormulaError

    assert engine_error(FormulaError("=1+\n" + "x" * 10_000)).startswith("Not a valid formula: =1+ xxx")
    assert len(engine_error(FormulaError("x" * 10_000))) <= 200
    assert one_line("a\n\n b\tc") == "a b c"


def test_computed_text_that_looks_like_a_formula_stays_text_in_the_copy(tmp_path):
    source = book(tmp_path, {"A1": '=CONCAT("=cmd|", "\' /C calc\'!A0")', "A2": '="=1+1"'})
    out = write_values(source, evaluate_workbook(source), tmp_path / "values.xlsx")
    sheet = openpyxl.load_workbook(out)["Sheet1"]
    assert (sheet["A1"].value, sheet["A1"].data_type) == ("=cmd|' /C calc'!A0", "s")
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("=1+1", "s")


# --------------------------------------------------------------------------- a second attack


def test_an_engine_message_with_a_repr_placeholder_reads_as_words(tmp_path, capsys):
    # Before: "(("Failed DISPATCHING '%s' due to:\n %r", 'LET', TypeError('missing ...')))": the engine's
    # raw tuple, a literal %s and %r, and a Python exception's repr.
    source = book(tmp_path, {"A1": "=LET(a,1,b,a+1,b)", "B1": "=1+2"})
    assert main(["evaluate", str(source)]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("not computed: "))
    assert line.startswith(
        "not computed: Sheet1!A1: the formula engine cannot read =LET(a,1,b,a+1,b) "
        "(Failed DISPATCHING 'LET' due to: missing a required argument"
    )
    assert "%s" not in line and "%r" not in line and "TypeError(" not in line and "\\n" not in line


def test_out_through_a_link_to_a_file_that_is_not_a_workbook_is_refused(tmp_path, capsys):
    # Before: --out values.xlsx, a link to notes.txt, replaced notes.txt with a workbook (the suffix
    # rule was checked on the link's name only), and a dangling link created its target.
    source = book(tmp_path, {"A1": "=1+2"})
    notes = tmp_path / "notes.txt"
    notes.write_text("keep me")
    (tmp_path / "values.xlsx").symlink_to(notes)
    (tmp_path / "later.xlsx").symlink_to(tmp_path / "not-yet.txt")
    for link in ("values.xlsx", "later.xlsx"):
        assert main(["evaluate", str(source), "--out", str(tmp_path / link)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"dealdesk evaluate: bad input: --out '{link}' is a link to ")
        assert "which does not end in .xlsx: refusing to overwrite it" in err and err.count("\n") == 1
    assert notes.read_text() == "keep me" and not (tmp_path / "not-yet.txt").exists()


def test_out_through_a_link_to_a_workbook_is_written(tmp_path):
    source = book(tmp_path, {"A1": "=1+2"})
    target = tmp_path / "real.xlsx"
    (tmp_path / "values.xlsx").symlink_to(target)
    assert main(["evaluate", str(source), "--out", str(tmp_path / "values.xlsx")]) == 0
    assert openpyxl.load_workbook(target)["Sheet1"]["A1"].value == 3


_EXTERNAL = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>'
_LAUGHS = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'


@pytest.mark.parametrize("declaration", [_EXTERNAL, _LAUGHS], ids=["external-entity", "entity-expansion"])
@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml"])
def test_a_workbook_whose_xml_declares_entities_is_refused_in_one_line(tmp_path, capsys, part, declaration):
    # Before: "unexpected error (ValueError: Unable to read workbook: could not read worksheets from
    # ... Please see the exception for more details.); please report it with the inputs", exit 1.
    import zipfile

    secret = tmp_path / "secret.txt"
    secret.write_text("canary-5e1d")
    plain = book(tmp_path, {"A1": "=1+2"})
    with zipfile.ZipFile(plain) as archive:
        parts = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    xml = parts[part].decode()
    head, sep, rest = xml.partition("?>")
    doctype = declaration.format(secret=secret)
    parts[part] = (head + sep + doctype + rest if sep else doctype + xml).encode()
    hostile = tmp_path / "entities.xlsx"
    with zipfile.ZipFile(hostile, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert main(["evaluate", str(hostile), "--out", str(tmp_path / "v.xlsx")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == (
        "dealdesk evaluate: bad input: entities.xlsx cannot be read as a workbook: its XML declares "
        "entities, which are refused (they can read other files or expand without end)\n"
    )
    assert not (tmp_path / "v.xlsx").exists()


def test_text_that_looks_like_a_formula_is_never_read_as_one(tmp_path):
    # Cells saved as text ("=1+2", and "=1+" with 9,000 zeros, past Excel's formula limit) are text:
    # not computed (3), not refused as a formula too long; the formula beside them still computes.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    long = "=1+" + "0" * 9_000
    for ref, text in (("A1", "=1+2"), ("A2", long)):
        ws[ref] = text
        ws[ref].data_type = "s"
    ws["B1"] = "=2+3"
    path = tmp_path / "text.xlsx"
    wb.save(path)
    ev = evaluate_workbook(path)
    assert (cell(ev, "A1"), cell(ev, "A2"), cell(ev, "B1")) == ("=1+2", long, 5)
    assert ev.not_computed == {}


def test_a_name_past_excels_formula_limit_is_left_out_and_its_users_show_na(tmp_path):
    # BIG's formula "=1+" and 8,192 zeros has 8,194 characters after its "=": over the 8,192 limit.
    names = {"BIG": "1+" + "0" * MAX_FORMULA_CHARS}
    ev = evaluate_workbook(book(tmp_path, {"A1": "=BIG+1", "B1": "=2+3"}, names))
    assert (cell(ev, "A1"), cell(ev, "B1")) == ("#N/A", 5)
    assert ev.not_computed[("", "big")].startswith("the formula has 8,194 characters; Excel's limit is 8,192")


@pytest.mark.parametrize(
    ("range_key", "cell_key", "inside"),
    [
        ("'[b.xlsx]S'!B2:C3", "'[b.xlsx]S'!B2", True),  # the corners
        ("'[b.xlsx]S'!B2:C3", "'[b.xlsx]S'!C3", True),
        ("'[b.xlsx]S'!B2:C3", "'[b.xlsx]S'!D3", False),  # one column right
        ("'[b.xlsx]S'!B2:C3", "'[b.xlsx]S'!A2", False),  # one column left
        ("'[b.xlsx]S'!B2:C3", "'[b.xlsx]S'!B1", False),  # one row above, inside the columns
        ("'[b.xlsx]S'!B2:C3", "'[b.xlsx]S'!C4", False),  # one row below, inside the columns
        ("'[b.xlsx]S'!B:B", "'[b.xlsx]S'!B900", True),  # a whole column
        ("'[b.xlsx]S'!2:2", "'[b.xlsx]S'!Z2", True),  # a whole row
        ("'[b.xlsx]S'!2:2", "'[b.xlsx]S'!Z3", False),
        ("'[b.xlsx]S'!B2:C3", "'[b.xlsx]T'!B2", False),  # another sheet
        ("'[b.xlsx]S'!B2", "'[b.xlsx]S'!B2", False),  # a cell is not a range
    ],
)
def test_a_cell_lies_in_a_range_of_its_own_sheet_by_row_and_column(range_key, cell_key, inside):
    from workbook.engine_guard import _inside

    assert _inside(range_key, cell_key) is inside
