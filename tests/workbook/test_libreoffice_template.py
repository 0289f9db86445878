"""LibreOffice opens the template without repair and recalculates its native formulas alike.

LibreOffice does not know the DealDesk functions (their cells, and every cell
that depends on them, are errors there), so the comparison covers the
*native* cells: those whose headless value does not change when every DEAL
function is made to fail. For those, LibreOffice's recalculated value must
equal the headless one (1e-9 relative; dates compared as serial numbers).
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils.datetime import to_excel

from workbook.evaluate import EXCEL_ERRORS, deal_functions, evaluate_workbook
from workbook.template import DEFAULT_TEMPLATE

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.slow,
    # Skipped without LibreOffice, a failure in CI (which installs it).
    pytest.mark.requires(shutil.which("soffice") is not None, "LibreOffice (soffice) is not installed"),
]


def convert(source: Path, target_dir: Path, fmt: str) -> tuple[Path, subprocess.CompletedProcess[str]]:
    profile = target_dir / "lo-profile"
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(target_dir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    return target_dir / f"{source.stem}.{fmt}", done


def _normal(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return to_excel(value)
    if value == "":
        return None
    return value


def _same(a: Any, b: Any) -> bool:
    a, b = _normal(a), _normal(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("lo")
    source = out / "DealDesk.xlsx"
    shutil.copyfile(DEFAULT_TEMPLATE, source)
    target_dir = out / "converted"
    target_dir.mkdir()
    return convert(source, target_dir, "xlsx")


def test_libreoffice_converts_the_template_without_error(converted: tuple[Path, Any]) -> None:
    path, done = converted
    assert done.returncode == 0, done.stderr
    assert path.is_file() and path.stat().st_size > 10_000
    assert "error" not in done.stderr.lower().replace("failed to launch javaldx", "")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == openpyxl.load_workbook(DEFAULT_TEMPLATE, read_only=True).sheetnames
    assert "master_check" in wb.defined_names and "contract_value" in wb.defined_names


def test_libreoffice_shows_numbers_and_a_true_master_check(converted: tuple[Path, Any]) -> None:
    # A fresh profile with default settings opens the committed template without the add-in:
    # every formula shows its cached value, none #NAME?, and the master check reads TRUE.
    path, done = converted
    assert done.returncode == 0, done.stderr
    wb = openpyxl.load_workbook(path, data_only=True)
    errors = [
        f"{ws.title}!{c.coordinate}: {c.value}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value in EXCEL_ERRORS
    ]
    assert errors == []
    # LibreOffice keeps a logical as the number 1; the cell's format shows it as TRUE.
    for name in ("master_check", "chk_inputs", "chk_time_axis"):
        sheet, ref = next(iter(wb.defined_names[name].destinations))
        cell = wb[sheet][ref.replace("$", "")]
        assert cell.value is True or (cell.value == 1 and cell.number_format.startswith('"TRUE"')), name
    # A figure that needs a DEAL function shows the core's number: the ramp's total, 38 × 0.925.
    sheet, ref = next(iter(wb.defined_names["sched_ramp_total"].destinations))
    assert wb[sheet][ref.replace("$", "")].value == pytest.approx(38 * 0.925, rel=1e-9)


def test_libreoffice_also_writes_ods(tmp_path: Path) -> None:
    path, done = convert(DEFAULT_TEMPLATE, tmp_path, "ods")
    assert done.returncode == 0 and path.is_file() and path.stat().st_size > 10_000


def native_mismatches(source: Path, recalculated: Path) -> tuple[int, list[Any], Any, Any]:
    """Native cells of ``source``, the ones LibreOffice recalculated differently, and both evaluations."""
    real = evaluate_workbook(source)

    def fails(*_: Any) -> Any:
        raise RuntimeError("custom functions switched off")

    broken = evaluate_workbook(source, functions={name: fails for name in deal_functions()})
    # Switching the custom functions off must really break their cells.
    assert real.name("sched_ramp_total") != broken.name("sched_ramp_total")
    lo = openpyxl.load_workbook(recalculated, data_only=True)
    src = openpyxl.load_workbook(source)
    native, mismatched = 0, []
    for ws in src.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                key = (ws.title, cell.coordinate)
                headless = real.cells.get(key)
                if not _same(headless, broken.cells.get(key)) or headless in EXCEL_ERRORS:
                    continue  # depends on a DEAL function
                if "DEAL." in cell.value:  # calls one itself, though a blank answer and IFERROR's look alike
                    continue
                native += 1
                theirs = lo[ws.title][cell.coordinate].value
                if not _same(headless, theirs):
                    mismatched.append((ws.title, cell.coordinate, cell.value[:50], headless, theirs))
    return native, mismatched, real, lo


def test_native_formulas_recalculate_to_the_headless_values(converted: tuple[Path, Any]) -> None:
    path, _ = converted
    native, mismatched, real, lo = native_mismatches(DEFAULT_TEMPLATE, path)
    assert not mismatched, mismatched[:10]
    # Most of the template is native: the time axis, straight line, capacity, valuation, checks of inputs.
    assert native > 800
    src = openpyxl.load_workbook(DEFAULT_TEMPLATE)
    for name in (
        "sched_straight_total",
        "val_price_after",
        "cap_gpus_per_usd_bn",
        "chk_inputs",
        "chk_time_axis",
    ):
        sheet, ref = next(iter(src.defined_names[name].destinations))
        assert _same(real.cell(sheet, ref), lo[sheet][ref.replace("$", "")].value), name


def test_the_scenario_switch_recalculates_alike(tmp_path: Path) -> None:
    from tests.workbook.template_copies import edited_copy

    source = edited_copy(tmp_path, "bear.xlsx", scenario="bear")
    target_dir = tmp_path / "converted"
    target_dir.mkdir()
    path, done = convert(source, target_dir, "xlsx")
    assert done.returncode == 0, done.stderr
    native, mismatched, real, lo = native_mismatches(source, path)
    assert not mismatched, mismatched[:10]
    assert native > 800
    # The live values follow the switch natively: bear delays delivery 2 quarters
    # (core.assumptions.SCENARIOS), 365.25 / 4 × 2 = 182.625 -> 183 days.
    src = openpyxl.load_workbook(source)
    for name, expected in (("delay_days", 183), ("live_delay_quarters", 2)):
        sheet, ref = next(iter(src.defined_names[name].destinations))
        assert real.cell(sheet, ref) == expected and _same(lo[sheet][ref.replace("$", "")].value, expected), (
            name
        )
