"""Report files: same inputs give the same bytes, writes are atomic, inputs never overwritten, text stays text."""

from __future__ import annotations

import errno
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from core.assumptions import Assumptions
from workbook import xlsxio
from workbook.report import build_report
from workbook.xlsxio import (
    OutputPathError,
    atomic_write,
    check_not_same_file,
    normalise_xlsx,
    write_text,
)


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# --------------------------------------------------------------------------- reproducible


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first = build_report(None, tmp_path / "one.xlsx").read_bytes()
    second = build_report(None, tmp_path / "sub" / "two.xlsx").read_bytes()
    assert first == second
    # A different input gives different bytes (the comparison can fail).
    other = build_report(Assumptions().replace(realisation=0.9), tmp_path / "three.xlsx").read_bytes()
    assert other != first


def test_zip_entries_carry_fixed_stamps(tmp_path: Path) -> None:
    path = build_report(None, tmp_path / "r.xlsx")
    with zipfile.ZipFile(path) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        names = z.namelist()
        core = z.read("docProps/core.xml").decode("utf-8")
    assert "[Content_Types].xml" in names and len(names) == len(set(names))
    # created/modified are the deal's signing date, not the build time.
    assert "2025-11-03T00:00:00Z</dcterms:created>" in core
    assert "2025-11-03T00:00:00Z</dcterms:modified>" in core
    book = openpyxl.load_workbook(path)
    assert book.properties.creator == "DealDesk"


def test_normalise_replaces_the_save_time() -> None:
    book = openpyxl.Workbook()
    import io

    buffers = []
    for _ in range(2):
        buffer = io.BytesIO()
        book.save(buffer)
        buffers.append(normalise_xlsx(buffer.getvalue()))
    assert buffers[0] == buffers[1]
    with zipfile.ZipFile(io.BytesIO(buffers[0])) as z:
        assert "2025-11-03T00:00:00Z" in z.read("docProps/core.xml").decode()


# --------------------------------------------------------------------------- atomic


def test_interrupted_build_keeps_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"previous report")

    def fail_during_sync(fd: int) -> None:
        # The data has been written to the temp file when the disk fills up.
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsxio.os, "fsync", fail_during_sync)
    with pytest.raises(OutputPathError, match=r"cannot write .*report\.xlsx: the disk is full"):
        build_report(None, target)
    assert target.read_bytes() == b"previous report"
    assert _leftovers(tmp_path) == []


def test_exception_mid_write_leaves_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "new.xlsx"

    def half_then_crash(fh) -> None:
        fh.write(b"PK\x03\x04 half a zip")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, half_then_crash)
    assert not target.exists()
    assert _leftovers(tmp_path) == []


def test_crash_inside_the_workbook_build_keeps_previous(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.xlsx"
    build_report(None, target)
    before = target.read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("simulated crash while zipping")

    monkeypatch.setattr(xlsxio, "normalise_xlsx", broken)
    with pytest.raises(RuntimeError, match="simulated crash"):
        build_report(Assumptions().replace(contract_value=50.0), target)
    assert target.read_bytes() == before
    assert _leftovers(tmp_path) == []


def test_locked_output_gives_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "open-in-excel.xlsx"
    target.write_bytes(b"locked")

    def locked(src, dst) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    monkeypatch.setattr(xlsxio.os, "replace", locked)
    with pytest.raises(OutputPathError, match=r"permission denied or the file is locked \(close it in Excel"):
        build_report(None, target)
    assert target.read_bytes() == b"locked"
    assert _leftovers(tmp_path) == []


def test_unwritable_directory_gives_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("not a directory")
    with pytest.raises(OutputPathError, match=r"cannot write .*afile/r\.xlsx"):
        build_report(None, blocker / "r.xlsx")


def test_output_that_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "d.xlsx").mkdir()
    with pytest.raises(OutputPathError, match=r"d\.xlsx: it is a directory"):
        build_report(None, tmp_path / "d.xlsx")


def test_new_file_gets_normal_permissions(tmp_path: Path) -> None:
    path = build_report(None, tmp_path / "perm.xlsx")
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


# --------------------------------------------------------------------------- never overwrite the input


def test_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    source = tmp_path / "inputs.xlsx"
    source.write_bytes(b"the analyst's template")
    with pytest.raises(OutputPathError, match=r"refusing to overwrite the input file"):
        build_report(None, tmp_path / "." / "inputs.xlsx", protect=[source])
    link = tmp_path / "link.xlsx"
    link.symlink_to(source)
    with pytest.raises(OutputPathError, match=r"refusing to overwrite the input file .*link\.xlsx"):
        build_report(None, link, protect=[source])
    assert source.read_bytes() == b"the analyst's template"


def test_other_paths_are_allowed(tmp_path: Path) -> None:
    assert (
        check_not_same_file(tmp_path / "out.xlsx", tmp_path / "in.xlsx", None)
        == (tmp_path / "out.xlsx").resolve()
    )


# --------------------------------------------------------------------------- formula injection


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_from_inputs_is_never_a_formula(tmp_path: Path, name: str) -> None:
    a = Assumptions().replace(deal_name=name, customer=name)
    path = build_report(a, tmp_path / "inject.xlsx")
    book = openpyxl.load_workbook(path)
    ws = book["Assumptions"]
    row = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value == "deal_name")
    cell = ws.cell(row, 4)
    assert cell.value == name.strip()
    assert cell.data_type == "s"
    cover = book["Summary"]
    customer = next(cover.cell(r, 3) for r in range(1, 14) if cover.cell(r, 1).value == "Customer")
    assert customer.value == name.strip() and customer.data_type == "s"
    for sheet in book.worksheets:
        for row_cells in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row_cells)


def test_hyperlink_deal_name_reads_back_as_text(tmp_path: Path) -> None:
    # The brief's example: a deal called =HYPERLINK("http://x").
    a = Assumptions().replace(deal_name='=HYPERLINK("http://x")')
    book = openpyxl.load_workbook(build_report(a, tmp_path / "h.xlsx"))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value == a.deal_name]
    assert cells and all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(tmp_path / "h.xlsx") as z:
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
    assert "<f>" not in sheets


def test_write_text_keeps_numbers_numbers() -> None:
    cell = openpyxl.Workbook().active["A1"]
    write_text(cell, 1.5)
    assert (cell.value, cell.data_type) == (1.5, "n")


def test_same_bytes_across_processes_hash_seeds_and_time_zones(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = "import sys; from workbook.report import build_report; build_report(None, sys.argv[1])"
    outputs = []
    for seed, zone in (("1", "UTC"), ("4242", "Asia/Tokyo")):
        out = tmp_path / f"r{seed}.xlsx"
        env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": zone}
        subprocess.run(
            [sys.executable, "-c", code, str(out)], check=True, env=env, cwd=Path(__file__).parents[2]
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES, errno.EPERM])
def test_a_read_only_or_refused_target_is_named_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    # Rule: a permission error, or a plain OSError whose errno says read-only, access denied
    # or not permitted, is reported as "permission denied or the file is locked".
    def refused(src, dst) -> None:
        raise OSError(code, os.strerror(code), str(dst))

    monkeypatch.setattr(xlsxio.os, "replace", refused)
    with pytest.raises(OutputPathError, match=r"permission denied or the file is locked"):
        atomic_write(tmp_path / "r.xlsx", lambda fh: fh.write(b"x"))
    assert _leftovers(tmp_path) == []
