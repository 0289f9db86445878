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
    assert f"{cell_of('realisation')} (realisation): must be a number >= 0 and <= 1; got 1.5" in message
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
        WorkbookInputError, match=r"laughs.xlsx cannot be read as a workbook: EntitiesForbidden"
    ):
        read_inputs(path)


def test_cli_and_library_limits_are_stated() -> None:
    assert I.MAX_FILE_BYTES == 20 * 1024 * 1024
    assert I.MAX_COMPRESSION_RATIO == 100


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    contract_value=st.floats(min_value=0.5, max_value=500, allow_nan=False),
    realisation=st.floats(min_value=0, max_value=1),
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
