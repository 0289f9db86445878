"""PDF copies through LibreOffice: the report converts, its chart page shows the charts."""

from __future__ import annotations

import concurrent.futures as cf
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from core.assumptions import Assumptions
from tests.ci import skip_unless_ci
from workbook.pdf import (
    INSTALL_HINT,
    PdfConversionError,
    PdfUnavailableError,
    convert_to_pdf,
    find_soffice,
    pdf_page_count,
)
from workbook.report import build_report

# Skipped on a machine without them, a failure in CI (which installs both).
needs_soffice = pytest.mark.requires(find_soffice() is not None, "LibreOffice (soffice) is not installed")
needs_pdftoppm = pytest.mark.requires(
    shutil.which("pdftoppm") is not None, "pdftoppm (poppler-utils) is not installed"
)


def _read_ppm(path: Path) -> np.ndarray:
    """Pixels of a binary PPM (P6) as a height × width × 3 uint8 array."""
    data = path.read_bytes()
    fields: list[bytes] = []
    pos = 0
    while len(fields) < 4:
        while data[pos : pos + 1].isspace():
            pos += 1
        if data[pos : pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    assert fields[0] == b"P6" and fields[3] == b"255"
    width, height = int(fields[1]), int(fields[2])
    return np.frombuffer(data[pos + 1 : pos + 1 + width * height * 3], dtype=np.uint8).reshape(
        height, width, 3
    )


def _coloured_share(pixels: np.ndarray) -> float:
    """Share of pixels that are clearly coloured (not white, grey or black text)."""
    spread = pixels.max(axis=2).astype(int) - pixels.min(axis=2).astype(int)
    return float((spread > 60).mean())


def _render(pdf: Path, page: int, out: Path, fmt: str) -> Path:
    flags = [] if fmt == "ppm" else [f"-{fmt}"]  # PPM is pdftoppm's default output
    subprocess.run(
        ["pdftoppm", *flags, "-r", "60", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(out)],
        check=True,
        capture_output=True,
    )
    return out.with_suffix("." + fmt)


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if find_soffice() is None:
        skip_unless_ci("LibreOffice (soffice) is not installed")
    xlsx = build_report(None, tmp_path_factory.mktemp("pdf") / "dealdesk-aws-openai-base.xlsx")
    return convert_to_pdf(xlsx)


@pytest.mark.libreoffice
@needs_soffice
def test_report_converts_to_pdf(pdf: Path) -> None:
    assert pdf.suffix == ".pdf" and pdf.read_bytes()[:5] == b"%PDF-"
    # Summary, key figures, two chart pages, sensitivity, tornado, the data sheets, scenarios,
    # assumptions, checks.
    assert pdf_page_count(pdf) >= 10
    assert sorted(p.name for p in pdf.parent.iterdir() if p.name.startswith(".")) == []


@pytest.mark.libreoffice
@needs_soffice
@needs_pdftoppm
def test_chart_page_shows_the_charts(pdf: Path, tmp_path: Path) -> None:
    png = _render(pdf, 4, tmp_path / "charts", "png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    charts = _coloured_share(_read_ppm(_render(pdf, 4, tmp_path / "charts", "ppm")))
    figures = _coloured_share(_read_ppm(_render(pdf, 3, tmp_path / "figures", "ppm")))
    # Page 4 is the first chart page (blue and orange bars and lines; page 2 is the Claims); page 3 the key figures
    # (text, a navy header row, pale group rows). Measured: about 4.9% of the chart page is
    # coloured (the bridge's bars in bps) against under 1% of the key figures'.
    assert charts > 0.04
    assert charts > 5 * figures


@pytest.mark.libreoffice
@needs_soffice
@needs_pdftoppm
def test_the_summary_is_one_page(pdf: Path) -> None:
    def text(page: int) -> str:
        done = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout

    first, second, third = text(1), text(2), text(3)
    assert "what was signed" in first and "Key risks (Monte Carlo)" in first and "FY2032" in first
    # The article's claims checked come right after page one, on a page of their own.
    assert (
        first.count("Page 1 of") == 1
        and "Claims: AWS–OpenAI" in second
        and "Key figures: AWS–OpenAI" in third
    )


@pytest.mark.libreoffice
@needs_soffice
def test_concurrent_conversions_do_not_clash(tmp_path: Path) -> None:
    books = [
        build_report(Assumptions().replace(contract_value=v), tmp_path / f"r{int(v)}.xlsx")
        for v in (30.0, 40.0)
    ]
    with cf.ThreadPoolExecutor(max_workers=2) as pool:
        pdfs = list(pool.map(convert_to_pdf, books))
    assert [p.name for p in pdfs] == ["r30.pdf", "r40.pdf"]
    assert all(pdf_page_count(p) >= 8 for p in pdfs)


def test_without_libreoffice_the_error_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEALDESK_SOFFICE", str(tmp_path / "no-soffice-here"))
    assert find_soffice() is None
    with pytest.raises(PdfUnavailableError, match=r"apt-get install libreoffice-calc"):
        convert_to_pdf(tmp_path / "any.xlsx")
    assert "libreoffice-calc" in INSTALL_HINT


@needs_soffice
def test_missing_workbook_is_a_conversion_error(tmp_path: Path) -> None:
    with pytest.raises(PdfConversionError, match=r"cannot convert .*missing\.xlsx: no such file"):
        convert_to_pdf(tmp_path / "missing.xlsx")


@pytest.mark.libreoffice
@needs_soffice
def test_an_unwritable_pdf_path_is_named_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    from workbook.xlsxio import OutputPathError

    xlsx = build_report(None, tmp_path / "book.xlsx")
    out = tmp_path / "out"
    (out / "book.pdf").mkdir(parents=True)  # the PDF's place is taken by a directory
    with pytest.raises(OutputPathError, match=r"cannot write .*book\.pdf: it is a directory"):
        convert_to_pdf(xlsx, out)
    assert sorted(p.name for p in out.iterdir()) == ["book.pdf"]
