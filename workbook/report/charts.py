"""Native Excel charts of a report, drawn from the values its sheets hold.

Every chart refers to cells that :mod:`workbook.report.layout` placed; a
source line is written under each chart (:func:`place_chart`). Series
colours are colour-blind safe (``workbook.styles.SERIES_COLOURS``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.series import SeriesLabel
from openpyxl.worksheet.worksheet import Worksheet

from workbook.report.labels import header
from workbook.report.layout import NOTE, Placed, coordinate
from workbook.spec import REPORT_LAYOUT as _L
from workbook.styles import AXIS_FORMATS, SERIES_COLOURS
from workbook.xlsxio import set_value

__all__ = [
    "MODEL",
    "backlog_chart",
    "bridge_chart",
    "chart_title",
    "nice_step",
    "economics_chart",
    "histogram_chart",
    "place_chart",
    "sensitivity_chart",
    "series_chart",
    "style_series",
    "tornado_chart",
]


#: What a chart's source line calls the model.
MODEL = "DealDesk model"
#: Rows between a chart's top and its source line.
_SOURCE_OFFSET = 17
_NEGATIVE, _POSITIVE = "D55E00", "009E73"


def style_series(chart: Any) -> None:
    """Colour-blind-safe colours in series order; lines straight (never smoothed), 2.25 pt."""
    for k, series in enumerate(chart.series):
        colour = SERIES_COLOURS[k % len(SERIES_COLOURS)]
        series.graphicalProperties.line.solidFill = colour
        if isinstance(chart, BarChart):
            series.graphicalProperties.solidFill = colour
        else:
            series.graphicalProperties.line.width = 28575  # 2.25 pt
            series.smooth = False


def _text_categories(chart: Any, placed: Placed, category: str) -> None:
    """Refer to text category labels (``FY2026``) as strings, as Excel does, not as numbers."""
    if placed.across:
        first = placed.ws.cell(row=placed.header_row, column=placed.first_col).value
    else:
        first = placed.ws.cell(row=placed.first_row, column=placed.columns[category]).value
    if not isinstance(first, str):
        return
    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=series.cat.numRef.f))


def chart_title(text: str, size: int = 1100) -> Any:
    """A chart title in 11 pt bold (the default 18 pt crowds a chart of a printed page)."""
    from openpyxl.chart.text import RichText, Text
    from openpyxl.chart.title import Title
    from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun

    props = CharacterProperties(sz=size, b=True)
    run = RegularTextRun(rPr=props, t=text)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[run])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _finish(chart: Any, title: str, y_title: str, x_title: str, *, axis: str = "usd_bn") -> Any:
    chart.title = chart_title(title) if title else None
    chart.y_axis.title = y_title
    chart.x_axis.title = x_title or None
    chart.y_axis.numFmt = AXIS_FORMATS.get(axis, AXIS_FORMATS["usd_bn"])
    chart.y_axis.majorGridlines = chart.y_axis.majorGridlines  # keep Excel's light grid
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.tickLblPos = "low"  # labels below negative bars, not across them
    if chart.legend is not None:
        chart.legend.position = "b"
    chart.width, chart.height = 16.5, 8.5
    style_series(chart)
    return chart


def series_chart(
    kind: str,
    placed: Placed,
    category: str,
    series: Sequence[str],
    *,
    title: str,
    y_title: str,
    x_title: str = "",
    axis: str = "usd_bn",
) -> Any | None:
    """A column (``kind="bar"``) or line chart of columns of a placed table against a category column."""
    if not placed.across and category not in placed.columns:
        return None
    if not all(s in placed.columns for s in series):
        return None
    chart: Any
    if kind == "bar":
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "clustered"
        chart.overlap = -10
        chart.gapWidth = 60
    else:
        chart = LineChart()
    _add_series(chart, placed, series)
    _set_categories(chart, placed, category)
    return _finish(chart, title, y_title, x_title, axis=axis)


def _add_series(chart: Any, placed: Placed, series: Sequence[str]) -> None:
    """Add each named column (or, across, each named row) of a placed table as a series."""
    for name in series:
        at = placed.columns[name]
        if placed.across:
            chart.add_data(
                Reference(placed.ws, min_col=placed.first_col, max_col=placed.last_col, min_row=at),
                from_rows=True,
                titles_from_data=False,
            )
            chart.series[-1].tx = SeriesLabel(v=header(name))
        else:
            chart.add_data(
                Reference(placed.ws, min_col=at, min_row=placed.header_row, max_row=placed.last_row),
                titles_from_data=True,
            )


def _set_categories(chart: Any, placed: Placed, category: str) -> None:
    if placed.across:
        cats = Reference(
            placed.ws, min_col=placed.first_col, max_col=placed.last_col, min_row=placed.header_row
        )
    else:
        col = placed.columns[category]
        cats = Reference(placed.ws, min_col=col, min_row=placed.first_row, max_row=placed.last_row)
    chart.set_categories(cats)
    _text_categories(chart, placed, category)


def economics_chart(placed: Placed) -> Any | None:
    """The deal's yearly cash flow (columns) and its running total (line)."""
    bars = series_chart(
        "bar", placed, "year", ["cash_flow"], title="Deal cash flows (provider)", y_title="US$ bn"
    )
    line = series_chart("line", placed, "year", ["cumulative_cash_flow"], title="", y_title="")
    if bars is None or line is None:
        return None
    line.series[0].graphicalProperties.line.solidFill = SERIES_COLOURS[1]
    bars += line
    return bars


def backlog_chart(placed: Placed) -> Any | None:
    """Backlog at each period end (columns) and revenue recognised (line, right axis)."""
    bars = series_chart(
        "bar", placed, "period", ["ending"], title="Backlog roll-forward", y_title="Backlog, US$ bn"
    )
    line = series_chart("line", placed, "period", ["recognised"], title="", y_title="Recognised, US$ bn")
    if bars is None or line is None:
        return None
    line.y_axis.axId = 200
    line.y_axis.crosses = "max"
    line.series[0].graphicalProperties.line.solidFill = SERIES_COLOURS[1]
    bars.gapWidth = 30
    bars += line
    return bars


def nice_step(span: float, most: int) -> float:
    """The smallest round step (1, 2, 2.5 or 5 times a power of ten) that cuts ``span`` into at most ``most`` parts.

    >>> nice_step(9.0, 10), nice_step(0.37, 8), nice_step(0.0, 5)
    (1.0, 0.05, 1.0)
    """
    if not span > 0 or not math.isfinite(span):
        return 1.0
    power = 10.0 ** math.floor(math.log10(span / most))
    for k in (1.0, 2.0, 2.5, 5.0, 10.0):
        if span / (k * power) <= most + 1e-9:
            return k * power
    return 10.0 * power  # pragma: no cover - k = 10 always fits


def bridge_chart(placed: Placed, *, period: str, change: float) -> Any:
    """The margin bridge in basis points against the base margin: the step where it can be seen.

    ``placed`` is the chart's table (``chart_label``, ``chart_bps``: 0 for the base margin, then
    the deal's mix effect and the blended margin's change); ``change`` (bps) colours the step
    red for a dilution, green for an accretion; the blended margin's bar is navy. Each bar is
    labelled with its bps; the categories carry the levels in %. The axis covers zero and the
    step in round steps.
    """
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.gapWidth = 80
    col = placed.columns["chart_bps"]
    chart.add_data(
        Reference(placed.ws, min_col=col, min_row=placed.header_row, max_row=placed.last_row),
        titles_from_data=True,
    )
    chart.set_categories(
        Reference(
            placed.ws,
            min_col=placed.columns["chart_label"],
            min_row=placed.first_row,
            max_row=placed.last_row,
        )
    )
    _text_categories(chart, placed, "chart_label")
    _finish(chart, f"Margin bridge, {period}", "bps against the base margin", "", axis="bps")
    (series,) = chart.series
    series.graphicalProperties.solidFill = SERIES_COLOURS[0]
    series.graphicalProperties.line.solidFill = SERIES_COLOURS[0]
    point = DataPoint(idx=1)
    colour = _NEGATIVE if change < 0 else _POSITIVE
    point.graphicalProperties.solidFill = colour
    point.graphicalProperties.line.solidFill = colour
    series.dPt.append(point)
    series.dLbls = DataLabelList()
    series.dLbls.showVal = True
    for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
        setattr(series.dLbls, flag, False)
    series.dLbls.numFmt = AXIS_FORMATS["bps"]
    low, high = min(0.0, change), max(0.0, change)
    step = nice_step(high - low, 5) if high > low else 1.0
    chart.y_axis.scaling.min = math.floor(low / step + 1e-9) * step - (step if low < 0 else 0.0)
    chart.y_axis.scaling.max = math.ceil(high / step - 1e-9) * step + (step if high > 0 else 0.0)
    chart.y_axis.majorUnit = step
    chart.legend = None
    chart.visible_cells_only = False  # its table sits in hidden columns of the Margin bridge sheet
    return chart


def tornado_chart(placed: Placed, *, title: str, x_title: str, base: float, axis: str = "usd_bn") -> Any:
    """Horizontal bars of the figure at each input's low and high value, crossing at the base figure."""
    chart = series_chart(
        "bar", placed, "input", ["output_low", "output_high"], title=title, y_title=x_title, axis=axis
    )
    assert chart is not None
    chart.type = "bar"
    chart.overlap = 100
    chart.gapWidth = 40
    chart.x_axis.scaling.orientation = "maxMin"  # largest range at the top
    chart.x_axis.crossesAt = base  # bars start at the base figure
    chart.x_axis.crosses = None
    chart.y_axis.crosses = "max"  # the value axis under the bars: the last category, at the bottom
    chart.width, chart.height = 22.0, 10.0
    return chart


def sensitivity_chart(
    placed: Placed,
    columns: Sequence[str],
    *,
    title: str,
    x_title: str,
    y_title: str,
    axis: str,
    base: str | None = None,
) -> Any:
    """One line per column value of a sensitivity grid, against the row values (the ``base`` column thicker)."""
    chart = LineChart()
    for name in columns:
        col = placed.columns[name]
        chart.add_data(
            Reference(placed.ws, min_col=col, min_row=placed.header_row, max_row=placed.last_row),
            titles_from_data=True,
        )
    first = min(placed.columns.values())
    chart.set_categories(
        Reference(placed.ws, min_col=first, min_row=placed.first_row, max_row=placed.last_row)
    )
    _text_categories(chart, placed, next(k for k, v in placed.columns.items() if v == first))
    _finish(chart, title, y_title, x_title, axis=axis)
    if base is not None and base in columns:
        chart.series[list(columns).index(base)].graphicalProperties.line.width = 50800  # 4 pt
    return chart


def histogram_chart(placed: Placed, *, title: str, x_title: str) -> Any:
    """Columns of the share of Monte Carlo draws in each bin (bins labelled by their range)."""
    chart = series_chart(
        "bar", placed, "bin", ["share_of_draws"], title=title, y_title="Share of draws", axis="pct"
    )
    assert chart is not None
    chart.gapWidth = 5
    chart.x_axis.title = x_title
    chart.x_axis.txPr = _axis_text(800)  # a dozen range labels side by side, each on one line
    chart.legend = None
    return chart


def _axis_text(size: int) -> Any:
    """Axis tick labels in ``size`` hundredths of a point, never rotated."""
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RichTextProperties

    return RichText(
        bodyPr=RichTextProperties(rot=0, vert="horz"),
        p=[
            Paragraph(
                pPr=ParagraphProperties(defRPr=CharacterProperties(sz=size)),
                endParaRPr=CharacterProperties(sz=size),
            )
        ],
    )


def place_chart(ws: Worksheet, chart: Any, row: int, column: int, source: str) -> None:
    """Anchor a chart at (row, column) and write its source line under it."""
    ws.add_chart(chart, coordinate(row, column))
    set_value(ws, row + _SOURCE_OFFSET, column, f"Source: {source}").font = NOTE


def chart_slot(k: int) -> tuple[int, int]:
    """Where the k-th chart of a charts sheet goes (two a row)."""
    return _L.chart_anchor(k)
