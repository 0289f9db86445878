"""Where things sit in the template: the only row and column numbers, and the sheets' names.

``Layout`` places the Inputs table, the time axis and the figures of the calculation sheets;
``ReportLayout`` the same for the headless report. Every other room, the renderer
(:mod:`workbook.template`) and the report use names, never addresses of their own.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Layout:
    """Where things sit, as 1-based row and column numbers.

    Every sheet: title in row ``title_row`` column 1, the master check in row
    ``master_row`` (label column 1, flag column ``value_col``), a purpose note
    in row ``note_row``.
    """

    title_row: int = 1
    master_row: int = 2
    note_row: int = 3
    # Inputs sheet: a header row, then one row per input (and a row per group title).
    inputs_header_row: int = 5
    inputs_cols: tuple[str, ...] = ("label", "name", "value", "unit", "rule", "source", "ok")
    # Calculation sheets: figures block (label, unit, value) from ``figures_row``;
    # the time axis header rows and the rows below it start after the figures.
    figures_row: int = 5
    label_col: int = 1
    unit_col: int = 2
    value_col: int = 3  # the figure's value, or a time-axis row's total
    first_period_col: int = 4
    periods: int = 40  # columns of the time axis (10 years of quarters, 40 of years)
    # Outputs / Checks sheets: a header row then one row per figure / check.
    table_header_row: int = 5
    outputs_cols: tuple[str, ...] = ("label", "unit", "value", "name", "description")
    chart_anchor_col: int = 8
    # Cover sheet
    cover_first_row: int = 5

    def input_col(self, key: str) -> int:
        """Column number of an Inputs-sheet column (``"value"``, ``"name"``, ...)."""
        return self.inputs_cols.index(key) + 1

    def output_col(self, key: str) -> int:
        """Column number of an Outputs-sheet column (``"value"``, ``"name"``, ...)."""
        return self.outputs_cols.index(key) + 1


LAYOUT = Layout()


@dataclasses.dataclass(frozen=True)
class ReportLayout:
    """Where things sit on the sheets of a values-only report, as 1-based row and column numbers.

    The reports (:mod:`workbook.report`) and the batch comparison
    (:mod:`workbook.batch`) place every cell from these numbers. Every sheet:
    title in row ``title_row`` and a subtitle (what the sheet holds, where the
    inputs came from) in row ``subtitle_row``, both in column 1. A data sheet
    holds a table: its header in ``header_row`` (printed again on every page),
    its body from :attr:`first_row`; the ``frozen_cols`` leftmost columns (row
    labels) stay in view, as does the header. A second table on the same sheet
    starts its header ``table_gap`` rows below the first table's last row, its
    title on the row above.

    >>> R = ReportLayout()
    >>> R.first_row, R.first_body_col, R.print_title_rows()
    (5, 2, '4:4')
    >>> [R.chart_anchor(k) for k in range(5)]  # two charts a row, four a printed page
    [(4, 1), (4, 11), (23, 1), (23, 11), (44, 1)]
    """

    title_row: int = 1
    subtitle_row: int = 2
    header_row: int = 4
    frozen_cols: int = 1
    table_gap: int = 3
    # Cover: the deal's details from ``cover_first_row``, then the key-figure table,
    # ``cover_cols`` columns wide (figure, value, unit, meaning).
    cover_first_row: int = 4
    cover_cols: int = 4
    # Charts sheet: charts side by side at the columns ``chart_cols``, each ``chart_rows``
    # rows high; a page break after every ``charts_per_page`` charts, then ``page_gap_rows``.
    chart_first_row: int = 4
    chart_cols: tuple[int, ...] = (1, 11)
    chart_rows: int = 19
    charts_per_page: int = 4
    page_gap_rows: int = 2
    # Batch comparison: the key figure and its unit stay in view.
    comparison_frozen_cols: int = 2
    # A chart for notes (``dealdesk report --png``): anchored at the top-left cell of its own
    # page, which prints ``note_chart_rows`` rows by ``note_chart_cols`` columns (chart and source).
    note_chart_rows: int = 19
    note_chart_cols: int = 11

    @property
    def first_row(self) -> int:
        """First body row of a sheet's table (the row below the header)."""
        return self.header_row + 1

    @property
    def first_body_col(self) -> int:
        """First column that scrolls (right of the frozen label columns)."""
        return self.frozen_cols + 1

    def print_title_rows(self, header_row: int | None = None) -> str:
        """Excel's print-titles rows for a table whose header is ``header_row`` (default ``header_row``)."""
        row = self.header_row if header_row is None else header_row
        return f"{row}:{row}"

    def note_chart_area(self) -> str:
        """The cells a note chart's page prints (the chart from the top-left cell, its source line under it).

        >>> ReportLayout().note_chart_area()
        'A1:K19'
        """
        from openpyxl.utils import get_column_letter

        return f"A1:{get_column_letter(self.note_chart_cols)}{self.note_chart_rows}"

    def chart_anchor(self, k: int) -> tuple[int, int]:
        """Row and column of the top-left cell of the ``k``-th chart (0-based) of a charts sheet."""
        per_row = len(self.chart_cols)
        row = (
            self.chart_first_row
            + (k // per_row) * self.chart_rows
            + (k // self.charts_per_page) * self.page_gap_rows
        )
        return row, self.chart_cols[k % per_row]


REPORT_LAYOUT = ReportLayout()

COVER_SHEET = "Cover"
INPUT_SHEET = "Inputs"
OUTPUT_SHEET = "Outputs"
CHECK_SHEET = "Checks"
SCENARIO_SHEET = "Scenarios"
DEALS_SHEET = "Deals"
BENCHMARKS_SHEET = "Benchmarks"
CLAIMS_SHEET = "Claims"
WATCH_SHEET = "Watch"
EXPOSURE_SHEET = "Exposure"
COMPANIES_SHEET = "Companies"
