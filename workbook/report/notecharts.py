"""Charts an analyst pastes into a note: page one's charts, defined once, drawn in the report and as PNGs.

Each chart of :data:`NOTE_CHARTS` is a function that writes the table it draws on a
worksheet it is given and returns the chart and its source line. The report calls the
same chart functions on its own sheets (page one); :func:`write_note_charts` calls them
in a small workbook of its own, one chart a printed page, and renders each page to a
PNG through LibreOffice (:mod:`workbook.pdf`) and poppler (:mod:`workbook.png`). So the
PNG is the report's chart, as a spreadsheet application draws it: same series, colours,
axes and source line, with no second drawing of it to drift apart.

To add a chart (the Claims and Watch list pages' charts, say): write its function
``(ws, data) -> (chart, source) | None`` and append a :class:`NoteChart` to
:data:`NOTE_CHARTS`; :class:`NoteData` carries what the functions draw from (add a field
for a new source of figures).
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from core.model import ModelResult
from workbook.report import charts as ch
from workbook.report.frames import histogram
from workbook.report.layout import Placed, write_across, write_frame
from workbook.report.risk import MonteCarlo
from workbook.spec import REPORT_LAYOUT as _L

__all__ = [
    "NOTE_CHARTS",
    "NoteChart",
    "NoteData",
    "npv_chart",
    "ramp_chart",
    "write_note_charts",
]


def ramp_chart(placed: Placed) -> tuple[Any, str]:
    """Straight line vs ramp: the deal's revenue by fiscal year, from the straight line vs ramp table."""
    chart = ch.series_chart(
        "bar",
        placed,
        "period",
        ["straight", "ramp"],
        title="Straight line vs ramp: deal revenue by fiscal year",
        y_title="US$ bn",
    )
    return chart, f"{ch.MODEL}; sheet Straight line vs ramp"


def npv_chart(placed: Placed, mc: MonteCarlo) -> tuple[Any, str]:
    """The spread of the deal NPV over the Monte Carlo draws, from the histogram's table."""
    chart = ch.histogram_chart(
        placed,
        title="Key risk: deal NPV over the Monte Carlo draws",
        x_title="Deal NPV, US$ bn",
    )
    return chart, f"DealDesk Monte Carlo, {mc.draws:,} draws, seed {mc.seed}; sheet Monte Carlo"


@dataclasses.dataclass(frozen=True)
class NoteData:
    """What the note charts draw from: one model run and its Monte Carlo (None without draws)."""

    result: ModelResult
    monte_carlo: MonteCarlo | None = None


@dataclasses.dataclass(frozen=True)
class NoteChart:
    """A chart for notes: its file name (without ``.png``) and the function drawing it on a worksheet."""

    name: str
    draw: Callable[[Worksheet, NoteData], tuple[Any, str] | None]


def _draw_ramp(ws: Worksheet, data: NoteData) -> tuple[Any, str] | None:
    gap = data.result.tables.get("gap")
    if gap is None:
        return None
    return ramp_chart(write_across(ws, gap, "period"))


def _draw_npv(ws: Worksheet, data: NoteData) -> tuple[Any, str] | None:
    mc = data.monte_carlo
    if mc is None or not len(mc.npv):
        return None
    placed = write_frame(ws, histogram(mc.npv), formats={"bin_from": "usd_bn", "bin_to": "usd_bn"})
    return npv_chart(placed, mc)


#: The charts ``dealdesk report --png`` writes, in order: page one's two.
NOTE_CHARTS: tuple[NoteChart, ...] = (
    NoteChart("straight-line-vs-ramp", _draw_ramp),
    NoteChart("npv-over-draws", _draw_npv),
)


def _notes_workbook(data: NoteData, charts: tuple[NoteChart, ...]) -> tuple[Workbook, list[str]]:
    """A workbook with one printed page per chart (its table on a hidden sheet), and the charts' names."""
    wb = Workbook()
    wb.remove(wb.active)
    names: list[str] = []
    for k, spec in enumerate(charts, start=1):
        table = wb.create_sheet(f"Data {k}")
        drawn = spec.draw(table, data)
        if drawn is None:
            wb.remove(table)
            continue
        table.sheet_state = "hidden"  # not printed; the chart still reads it
        chart, source = drawn
        page = wb.create_sheet(f"Chart {k}")
        ch.place_chart(page, chart, 1, 1, source)
        page.print_area = _L.note_chart_area()
        page.page_setup.orientation = "landscape"
        page.page_setup.fitToWidth = page.page_setup.fitToHeight = 1
        page.sheet_properties.pageSetUpPr.fitToPage = True
        page.page_margins.left = page.page_margins.right = 0.3
        page.page_margins.top = page.page_margins.bottom = 0.3
        names.append(spec.name)
    return wb, names


def write_note_charts(
    data: NoteData,
    out_dir: str | os.PathLike[str],
    *,
    prefix: str = "",
    dpi: int = 200,
    charts: tuple[NoteChart, ...] = NOTE_CHARTS,
) -> list[Path]:
    """Write each chart of ``charts`` as ``<out_dir>/<prefix><name>.png``; returns the paths written.

    Needs LibreOffice (``soffice``) and poppler's ``pdftoppm``; without them the error says
    how to install them (:class:`workbook.pdf.PdfUnavailableError`,
    :class:`workbook.png.PngUnavailableError`).
    """
    from workbook.pdf import convert_to_pdf
    from workbook.png import page_png
    from workbook.xlsxio import save_workbook_reproducibly

    wb, names = _notes_workbook(data, charts)
    out = Path(out_dir)
    written: list[Path] = []
    if not names:
        return written
    with tempfile.TemporaryDirectory(prefix="dealdesk-notes-") as work:
        book = save_workbook_reproducibly(wb, Path(work, "charts.xlsx"))
        pdf = convert_to_pdf(book)
        for page, name in enumerate(names, start=1):
            written.append(page_png(pdf, page, out / f"{prefix}{name}.png", dpi=dpi))
    return written
