"""Headless report workbooks: one model run laid out as values, formats and native charts.

The rooms, in the order a report is made:

* :mod:`workbook.sources` — where the inputs come from (a template copy,
  a JSON/YAML file, the deal library);
* :mod:`workbook.report.checks` — identities the run must satisfy;
* :mod:`workbook.report.labels` — the one label table (labels, units, formats);
* :mod:`workbook.report.layout` — sheets, headers, tables, print set-up;
* :mod:`workbook.report.charts` — native charts with their sources;
* :mod:`workbook.report.frames` — display tables (the margin bridge, the NPV histogram);
* :mod:`workbook.report.risk` — the Monte Carlo as a reader sees it;
* :mod:`workbook.report.summary` — page one;
* :mod:`workbook.report.sheets` — key figures, model tables, margin bridge, Monte Carlo,
  assumptions, checks;
* :mod:`workbook.report.whatif` — sensitivity, tornado, scenarios;
* :mod:`workbook.report.loop` — the article's claims checked, the watch list;
* :mod:`workbook.report.notecharts` — page one's charts, also as PNGs for a note;
* :mod:`workbook.report.build` — :func:`build_report`, which puts them together.

The ``dealdesk report`` command lives in :mod:`workbook.cli`. Every figure
comes from the core; same assumptions give the same bytes.
"""

from __future__ import annotations

from workbook.report.build import REPORT_SUFFIXES, build_report
from workbook.report.checks import report_checks
from workbook.sources import default_report_path, load_assumptions, load_structured, read_inputs_file, slug
from workbook.styles import NUMBER_FORMATS as FORMATS

__all__ = [
    "FORMATS",
    "REPORT_SUFFIXES",
    "build_report",
    "default_report_path",
    "load_assumptions",
    "load_structured",
    "read_inputs_file",
    "report_checks",
    "slug",
]
