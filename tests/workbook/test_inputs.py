"""Reading the assumptions back from a copy of the template, and refusing hostile files."""

from __future__ import annotations

import datetime as dt
import math
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.assumptions import Assumptions
from tests.workbook.template_copies import edited_copy
from workbook import inputs as I
from workbook.inputs import WorkbookInputError, check_workbook_file, read_inputs
from workbook.template import DEFAULT_TEMPLATE


def cell_of(name: str) -> str:
    wb = openpyxl.load_workbook(DEFAULT_TEMPLATE, read_only=True)
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return f"{sheet}!{ref.replace('$', '')}"


def test_the_committed_template_holds_the_base_case() -> None:
    assert read_inputs(DEFAULT_TEMPLATE) == Assumptions()


def test_an_edited_copy_is_read_by_defined_names(tmp_path: Path) -> None:
    path = edited_copy(
        tmp_path,
        contract_value=50,
        start_date=dt.datetime(2026, 1, 1),
        profile="Straight",
        frequency="quarter",
    )
    a = read_inputs(path)
    assert (a.contract_value, a.start_date, a.profile, a.frequency) == (
        50.0,
        dt.date(2026, 1, 1),
        "straight",
        "quarter",
    )


def test_a_date_typed_as_a_serial_number_is_a_date(tmp_path: Path) -> None:
    # 45964 is 2025-11-03 in Excel's 1900 date system.
    assert read_inputs(edited_copy(tmp_path, start_date=45964)).start_date == dt.date(2025, 11, 3)


def test_every_bad_value_is_listed_with_its_sheet_cell_and_rule(tmp_path: Path) -> None:
    path = edited_copy(
        tmp_path, term_years=0, realisation=1.5, profile="wavy", contract_value="lots", full_at=None
    )
    with pytest.raises(WorkbookInputError) as info:
        read_inputs(path)
    message = str(info.value)
    assert "5 inputs cannot be used" in message
    assert f"{cell_of('term_years')} (term_years): must be a number > 0 and <= 30; got 0" in message
    assert f"{cell_of('realisation')} (realisation): must be a number > 0 and <= 1; got 1.5" in message
    assert f"{cell_of('profile')} (profile): must be one of 'straight'" in message
    assert f"{cell_of('contract_value')} (contract_value): must be a number > 0; got 'lots'" in message
    assert f"{cell_of('full_at')} (full_at): is blank; it must be a date" in message


def test_rules_across_inputs_are_checked(tmp_path: Path) -> None:
    path = edited_copy(tmp_path, customer_target_year=2020)
    with pytest.raises(
        WorkbookInputError, match="customer_target_year must be after customer_revenue_start_year"
    ):
        read_inputs(path)


def test_a_missing_defined_name_is_named(tmp_path: Path) -> None:
    path = tmp_path / "renamed.xlsx"
    shutil.copyfile(DEFAULT_TEMPLATE, path)
    wb = openpyxl.load_workbook(path)
    del wb.defined_names["pue"]
    wb.save(path)
    with pytest.raises(WorkbookInputError, match="defined name 'pue' is missing"):
        read_inputs(path)


def test_a_macro_enabled_copy_is_read_for_values_only(tmp_path: Path) -> None:
    # An .xlsm with a VBA part: values are read, the macro part is ignored, never run.
    path = tmp_path / "copy.xlsm"
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/vbaProject.bin", b'Attribute VB_Name = "AutoOpen"\x00' * 10)
    assert read_inputs(path) == Assumptions()


def test_openpyxl_parses_xml_with_defusedxml() -> None:
    assert openpyxl.DEFUSEDXML is True


def test_refuses_a_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(I, "MAX_FILE_BYTES", 1024)
    with pytest.raises(
        WorkbookInputError,
        match=r"DealDesk.xlsx is 0.\d MB \([\d,]+ bytes\); the limit is 0.0 MB \(1,024 bytes\) \(MAX_FILE_BYTES\)",
    ):
        check_workbook_file(DEFAULT_TEMPLATE)


def test_refuses_a_file_that_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("name,value\ncontract_value,38\n")
    with pytest.raises(
        WorkbookInputError, match=r"fake.xlsx is not a valid .xlsx/.xlsm file \(not a zip archive\)"
    ):
        read_inputs(path)


def test_refuses_other_file_types(tmp_path: Path) -> None:
    path = tmp_path / "inputs.csv"
    path.write_text("x")
    with pytest.raises(WorkbookInputError, match=r"inputs.csv: not an Excel workbook; expected one of .xlsx"):
        read_inputs(path)


def test_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WorkbookInputError, match="workbook not found"):
        read_inputs(tmp_path / "none.xlsx")


def _bomb(path: Path, size: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\x00" * size)
    return path


def test_refuses_a_highly_compressed_entry(tmp_path: Path) -> None:
    # 10 MB of zeros deflate about 1000 to 1: far past the ratio limit.
    path = _bomb(tmp_path / "bomb.xlsx", 10 * 1024 * 1024)
    with pytest.raises(
        WorkbookInputError,
        match=r"entry xl/worksheets/sheet1.xml is compressed \d+ to 1; the limit is 100 to 1 "
        r"\(MAX_COMPRESSION_RATIO\): refusing a possible zip bomb",
    ):
        read_inputs(path)


def test_refuses_an_archive_that_expands_too_far(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(I, "MAX_UNCOMPRESSED_BYTES", 1024 * 1024)
    path = _bomb(tmp_path / "big.xlsx", 2 * 1024 * 1024)
    with pytest.raises(
        WorkbookInputError,
        match=r"big.xlsx would expand to 2.0 MB \(2,097,163 bytes\); the limit is 1.0 MB \(1,048,576 bytes\) "
        r"\(MAX_UNCOMPRESSED_BYTES\): refusing a possible zip bomb",
    ):
        read_inputs(path)


def test_refuses_an_archive_with_too_many_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(I, "MAX_MEMBERS", 10)
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        for i in range(11):
            z.writestr(f"xl/part{i}.xml", "<x/>")
    with pytest.raises(
        WorkbookInputError, match=r"many.xlsx holds 11 archive entries; the limit is 10 \(MAX_MEMBERS\)"
    ):
        read_inputs(path)


def test_refuses_a_zip_without_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(WorkbookInputError, match="it has no xl/workbook.xml"):
        read_inputs(path)


def test_refuses_an_xml_entity_bomb(tmp_path: Path) -> None:
    # A billion-laughs workbook part: defusedxml refuses the entity declarations.
    path = tmp_path / "laughs.xlsx"
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol2;</workbook>'
    )
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = laughs.encode() if item.filename == "xl/workbook.xml" else src.read(item.filename)
            dst.writestr(item.filename, body)
    with pytest.raises(
        WorkbookInputError,
        match=r"laughs.xlsx cannot be read as a workbook: its XML declares entities, which are refused",
    ):
        read_inputs(path)


def test_cli_and_library_limits_are_stated() -> None:
    assert I.MAX_FILE_BYTES == 20 * 1024 * 1024
    assert I.MAX_COMPRESSION_RATIO == 100


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    contract_value=st.floats(min_value=0.5, max_value=500, allow_nan=False),
    realisation=st.floats(min_value=1e-6, max_value=1),  # rule: > 0 (subnormals count as 0)
    term_months=st.integers(min_value=6, max_value=240),
    frequency=st.sampled_from(["month", "quarter", "year"]),
)
def test_typed_values_read_back_as_the_same_assumptions(
    tmp_path: Path, contract_value: float, realisation: float, term_months: int, frequency: str
) -> None:
    """Identity: whatever valid values an analyst types are the assumptions read back.

    Numbers round-trip to 15 significant digits (what Excel keeps; openpyxl writes
    16), so floats are compared to 1e-14 relative.
    """
    values = {
        "contract_value": contract_value,
        "realisation": realisation,
        "term_years": term_months / 12,
        "frequency": frequency,
    }
    path = edited_copy(tmp_path, f"prop-{term_months}.xlsx", **values)
    got, expected = read_inputs(path), Assumptions().replace(**values)
    for name, want in expected.to_pairs():
        have = getattr(got, name)
        if isinstance(want, float):
            assert math.isclose(have, want, rel_tol=1e-14, abs_tol=1e-300), (name, have, want)
        else:
            assert have == want, name


def _entry_with_ratio(path: Path, low: float, high: float) -> float:
    """Write a workbook-shaped zip whose sheet entry deflates between low and high to 1; return the ratio.

    The entry is 1,000 bytes of seeded noise and a run of zeros; a longer run compresses
    further, so the run is lengthened in 100-byte steps until the ratio lands in the window.
    """
    import random

    noise = random.Random(14).randbytes(1000)
    for zeros in range(50_000, 400_000, 100):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("xl/workbook.xml", "<workbook/>")
            z.writestr("xl/worksheets/sheet1.xml", noise + b"\x00" * zeros)
        with zipfile.ZipFile(path) as z:
            entry = z.getinfo("xl/worksheets/sheet1.xml")
        ratio = entry.file_size / entry.compress_size
        if low < ratio <= high:
            return ratio
    raise AssertionError(f"no entry found with a ratio in ({low}, {high}]")


def test_the_compression_ratio_limit_is_100_to_1(tmp_path: Path) -> None:
    # Rule: an entry compressed more than 100 to 1 is refused as a possible zip bomb; 101:1
    # is refused, just under 100:1 passes (the file is then checked as a workbook).
    ratio = _entry_with_ratio(tmp_path / "over.xlsx", 100.0, 101.5)
    assert ratio > 100
    with pytest.raises(WorkbookInputError, match=r"is compressed 10[01] to 1; the limit is 100 to 1"):
        check_workbook_file(tmp_path / "over.xlsx")
    ratio = _entry_with_ratio(tmp_path / "under.xlsx", 98.5, 100.0)
    assert check_workbook_file(tmp_path / "under.xlsx") == tmp_path / "under.xlsx"


def test_a_defined_name_over_two_areas_is_not_an_input_cell(tmp_path: Path) -> None:
    # Rule: each input is one named cell; a name over two areas (or a range) is treated as
    # missing rather than read from its first cell.
    from openpyxl.workbook.defined_name import DefinedName

    path = tmp_path / "two_areas.xlsx"
    shutil.copyfile(DEFAULT_TEMPLATE, path)
    wb = openpyxl.load_workbook(path)
    sheet, ref = next(iter(wb.defined_names["pue"].destinations))
    del wb.defined_names["pue"]
    wb.defined_names["pue"] = DefinedName("pue", attr_text=f"'{sheet}'!{ref},'{sheet}'!$A$1")
    wb.save(path)
    assert "pue" not in I.read_input_values(path)
    with pytest.raises(WorkbookInputError, match="defined name 'pue' is missing"):
        read_inputs(path)
    # A range is refused the same way.
    wb = openpyxl.load_workbook(path)
    del wb.defined_names["pue"]
    wb.defined_names["pue"] = DefinedName("pue", attr_text=f"'{sheet}'!$A$1:$A$2")
    wb.save(path)
    assert "pue" not in I.read_input_values(path)


@pytest.mark.parametrize("error", ["#N/A", "#DIV/0!", "#VALUE!", "#REF!"])
def test_an_excel_error_in_an_input_cell_is_named_as_such(tmp_path: Path, error: str) -> None:
    # Rule: an input cell holding an Excel error value is refused with the error named,
    # both for a number input and a text input.
    path = edited_copy(tmp_path, pue=error, profile=error)
    with pytest.raises(WorkbookInputError) as info:
        read_inputs(path)
    message = str(info.value)
    assert f"{cell_of('pue')} (pue): holds the error {error}; it must be a number" in message
    assert f"{cell_of('profile')} (profile): holds the error {error}; it must be one of" in message


def test_an_input_cell_holding_only_spaces_is_blank(tmp_path: Path) -> None:
    # Rule: a cell with nothing but spaces is reported as blank, not as a bad value.
    path = edited_copy(tmp_path, pue="   ")
    with pytest.raises(WorkbookInputError, match=r"\(pue\): is blank; it must be a number"):
        read_inputs(path)
