"""What ``dealdesk report`` and ``dealdesk evaluate`` print, and ``report --png``'s charts for notes."""

from __future__ import annotations

import io
import re
import shutil
import struct
from pathlib import Path

import pytest

from core.model import OUTPUTS
from workbook.cli import main
from workbook.console import EXIT_USAGE
from workbook.evaluate_cli import Progress, figures_in_model_order
from workbook.report.summary import HEADLINE

_IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def test_report_prints_the_headline_figures_and_key_risks_then_the_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.xlsx"
    assert main(["report", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    blocks = text.rstrip("\n").split("\n\n")
    # Valued at signing with every figure of the libraries, the newest reported 2026-07-01 (OpenAI's
    # 2026–27 projections, altcoinbeat): the line says both dates.
    assert blocks[0] == "AWS–OpenAI, base scenario (valued at 2025-11-03; figures to 2026-07-01)"
    headline = blocks[1].splitlines()
    assert headline[0].split() == ["Headline", "figure", "Value", "Unit"]
    # One row per page-one headline figure, in page one's order, by its label (never its name).
    labels = {s.name: s.label for s in OUTPUTS}
    rows = headline[2:]
    assert [r[: len(labels[n])] for r, n in zip(rows, HEADLINE, strict=True)] == [labels[n] for n in HEADLINE]
    npv = next(r for r in rows if r.startswith("Deal NPV"))
    assert re.fullmatch(r"Deal NPV +\(?[\d,]+\.\d\d\)? +US\$ bn", npv), npv
    risks = blocks[2].splitlines()
    assert risks[0].startswith("Key risk (Monte Carlo, 10,000 draws)")
    assert len(risks) == 2 + 3 and all(re.search(r"\d+\.\d%", r) for r in risks[2:])
    assert blocks[-1] == str(out)  # the files written come last, one a line
    assert not _IDENTIFIER.search(text.replace(str(tmp_path), ""))


def test_report_of_another_provider_says_its_threshold_test_does_not_apply(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--deal", "Oracle–OpenAI", "--out", str(tmp_path / "o.xlsx")]) == 0
    text = capsys.readouterr().out
    line = next(x for x in text.splitlines() if x.startswith("P(market value above the threshold"))
    assert line.split()[-3:] == ["not", "applicable", "n/a"]


def test_report_png_must_be_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("x")
    code = main(["report", "--out", str(tmp_path / "r.xlsx"), "--png", str(tmp_path / "file")])
    assert code == EXIT_USAGE
    assert "--png must be a directory" in capsys.readouterr().err
    assert not (tmp_path / "r.xlsx").exists()  # refused before any work


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.libreoffice
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
    reason="needs LibreOffice and pdftoppm",
)
def test_report_png_writes_page_ones_charts_cropped_to_the_chart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, charts = tmp_path / "r.xlsx", tmp_path / "charts"
    assert main(["report", "--out", str(out), "--png", str(charts)]) == 0
    written = capsys.readouterr().out.rstrip("\n").split("\n\n")[-1].splitlines()
    names = sorted(Path(p).name for p in written[1:])
    assert names == ["r-npv-over-draws.png", "r-straight-line-vs-ramp.png"]
    for name in names:
        width, height = _png_size(charts / name)
        # A 16.5 × 8.5 cm chart and its source line at 200 dpi: about 1,300 × 750 pixels, cropped
        # to the chart (an A4 page would be 2,339 × 1,654), wider than tall.
        assert 1_100 < width < 1_600 and 600 < height < 1_000, (name, width, height)


def test_png_crop_box_from_a_grey_image() -> None:
    # By hand: a 4 × 3 image, white (255) but two dark pixels at (1, 1) and (2, 1).
    from workbook.png import drawn_box

    pixels = bytes([255] * 4 + [255, 0, 10, 255] + [255] * 4)
    assert drawn_box(b"P5\n4 3\n255\n" + pixels) == (1, 1, 2, 1)
    assert drawn_box(b"P5 2 1 255\n" + bytes([255, 249])) == (1, 0, 1, 1)  # 249: below the ink level
    assert drawn_box(b"P5\n2 1\n255\n" + bytes([255, 250])) is None  # 250: still white


def test_evaluate_lists_figures_in_the_models_order() -> None:
    names = {f"out_{s.name}": 1.0 for s in reversed(OUTPUTS)} | {"out_something_new": 2.0, "inputs_ok": True}
    rows = figures_in_model_order(names)
    assert [r[0] for r in rows[:-1]] == [s.label for s in OUTPUTS]
    assert rows[-1][0] == "Something new"  # a figure the model does not list comes last, in words


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_evaluate_progress_on_a_terminal_and_silence_elsewhere() -> None:
    import time

    screen = _Terminal()
    progress = Progress(screen, "evaluating 3 formulas of x.xlsx", every_s=0.01)
    doubled = progress.counted({"DEAL.X": lambda v: 2 * v})
    with progress.running():
        assert [doubled["DEAL.X"](k) for k in range(3)] == [0, 2, 4]
        time.sleep(0.05)
    shown = screen.getvalue()
    assert shown.startswith("evaluating 3 formulas of x.xlsx...")
    assert "\revaluating 3 formulas of x.xlsx: 0 s, 3 DealDesk function calls" in shown
    assert re.search(
        r"\revaluating 3 formulas of x\.xlsx: done in \d+\.\d s \(3 DealDesk function calls\)\n$", shown
    )
    piped = io.StringIO()
    quiet = Progress(piped, "evaluating", every_s=0.01)
    with quiet.running():
        time.sleep(0.03)
    assert piped.getvalue() == ""  # a pipe or a log: stderr is kept for a failure's one line


def test_text_rounds_as_the_spreadsheet_shows() -> None:
    # A spreadsheet shows 0.3865 as 38.7% (its 15 digits, then half away from zero); binary
    # rounding of 38.65 gave 38.6%, so the command line and the page disagreed. Just below the
    # half the digit stays; what shows as zero is a dash at the format's own half digit.
    from workbook.styles import format_text

    assert format_text(0.3865, "pct") == "38.7%" and format_text(0.38649, "pct") == "38.6%"
    assert format_text(-0.3865, "pct") == "(38.7%)"
    assert format_text(2.675, "usd_bn") == "2.68" and format_text(1234.5, "count") == "1,235"
    assert format_text(0.0049, "usd_bn") == "–" and format_text(0.005, "usd_bn") == "0.01"
    assert format_text(-0.0004, "pct") == "–" and format_text(-0.0005, "pct") == "(0.1%)"
