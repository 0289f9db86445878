"""What a reader sees at a glance: the NPV histogram's bins, the margin bridge's axis, the outsized-deal caveat."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl import Workbook

from core.assumptions import Assumptions
from core.model import run_model
from workbook.report import build_report
from workbook.report.charts import bridge_chart, nice_step
from workbook.report.frames import HISTOGRAM_BINS, LABEL_ROOM, histogram, waterfall_frame
from workbook.report.layout import write_frame
from workbook.report.summary import outsized_caveat

# --------------------------------------------------------------------------- NPV histogram


def test_histogram_bins_are_round_ranges_with_open_tails() -> None:
    # 100 draws: -20, then 0.0, 0.1, ..., 9.7 (98 values), then 30. Percentiles (numpy's linear
    # rule): 1st = -20 + 0.99 x 20 = -0.2, 99th = 9.7 + 0.01 x 20.3 = 9.903: a span of 10.103.
    # Round widths 0.1, 0.2, 0.25, 0.5 need 101, 51, 41, 21 bins; 1.0 needs 11 (edges -1 .. 10).
    # -20 falls below -1 (bin "< 0"), 30 above 10 (bin ">= 9").
    values = np.array([-20.0, *(np.arange(98) / 10), 30.0])
    hist = histogram(values)
    assert HISTOGRAM_BINS == 12
    assert list(hist["bin"]) == ["< 0", *(f"{k}–{k + 1}" for k in range(9)), "≥ 9"]
    assert list(hist["draws"]) == [1, *([10] * 9), 9]  # [9, 10]: 9.0 .. 9.7 and 30
    assert hist["bin_from"].iloc[0] == -20.0 and hist["bin_to"].iloc[-1] == 30.0
    assert hist["share_of_draws"].sum() == pytest.approx(1.0)


def test_histogram_labels_fit_side_by_side_negatives_in_parentheses() -> None:
    # Rule: at most 12 bins, and fewer while (bins x longest label) > 100 characters.
    # 3.0 .. 6.0 by 0.1 (31 draws): percentiles 3.03 and 5.97 (span 2.94). Width 0.25 gives 12
    # bins labelled "3.00–3.25" (9 x 12 = 108 > 100); at most 11 bins the width is 0.5: 6 bins of
    # 7 characters from 3.0 to 6.0, one decimal.
    assert LABEL_ROOM == 100
    hist = histogram(np.arange(30, 61) / 10)
    assert list(hist["bin"]) == ["3.0–3.5", "3.5–4.0", "4.0–4.5", "4.5–5.0", "5.0–5.5", "5.5–6.0"]
    assert list(hist["draws"]) == [5] * 5 + [6]  # the last bin holds its upper edge, 6.0
    # -3.0 .. 3.0 by 0.1 (61 draws): percentiles -2.94 and 2.94. Width 0.5 gives 12 bins of
    # "(3.0)–(2.5)" (11 x 12 = 132 > 100); at most 11 bins the width is 1: 6 bins.
    hist = histogram(np.arange(-30, 31) / 10)
    assert list(hist["bin"]) == ["(3)–(2)", "(2)–(1)", "(1)–0", "0–1", "1–2", "2–3"]
    assert list(hist["draws"]) == [10] * 5 + [11]


def test_nice_step_is_the_smallest_round_width() -> None:
    # 9 in at most 10 parts: 1 (0.5 would give 18); 0.37 in 8: 0.05 (0.02, 0.025 give 19, 15).
    assert nice_step(9.0, 10) == 1.0
    assert nice_step(0.37, 8) == pytest.approx(0.05)
    assert nice_step(10.103, 12) == 1.0
    assert nice_step(0.0, 5) == 1.0  # nothing to cut: any width


# --------------------------------------------------------------------------- margin bridge chart


def _bridge(start_bps: float, end_bps: float) -> object:
    change = end_bps - start_bps
    return pd.DataFrame(
        {
            "period": "FY2026",
            "step": ["Base margin", "Deal mix effect", "Blended margin"],
            "margin": [start_bps / 1e4, None, end_bps / 1e4],
            "change_bps": [None, change, change],
        }
    )


@pytest.mark.parametrize(
    ("start", "end", "labels", "axis"),
    [
        # AWS-like, 37.0% -> 36.9%: a 7 bps step on margins of 37% would be a hairline on a
        # 0-40% axis; against the base it is the whole bar. nice_step(7, 5) = 2: -8, one step
        # more for the bar's label: -10 .. 0.
        (3700.0, 3693.0, ["Base margin 37.0%", "Deal mix effect (7 bps)", "Blended margin 36.9%"], (-10, 0)),
        # Nebius-like first year, 0% -> -58.2%: nice_step(5822, 5) = 2,000: -6,000 and one more.
        (
            0.0,
            -5822.0,
            ["Base margin 0.0%", "Deal mix effect (5,822 bps)", "Blended margin (58.2%)"],
            (-8000, 0),
        ),
        # An accretion, 30% -> 31.5% (+150 bps): nice_step(150, 5) = 50: 0 .. 150 and one more.
        (3000.0, 3150.0, ["Base margin 30.0%", "Deal mix effect 150 bps", "Blended margin 31.5%"], (0, 200)),
    ],
)
def test_bridge_chart_measures_the_step_in_bps_from_the_base(start, end, labels, axis) -> None:
    frame = waterfall_frame(_bridge(start, end))
    assert list(frame["chart_label"]) == labels
    assert pd.isna(frame["chart_bps"].iloc[0])  # the base is where the change is measured from
    assert list(frame["chart_bps"].iloc[1:]) == pytest.approx([end - start] * 2)
    placed = write_frame(Workbook().active, frame)
    chart = bridge_chart(placed, period="FY2026", change=end - start)
    assert (chart.y_axis.scaling.min, chart.y_axis.scaling.max) == pytest.approx(axis)
    assert chart.series[0].dLbls.showVal  # each bar says its bps


def test_the_bridge_in_the_report_shows_the_step_where_it_can_be_seen(tmp_path: Path) -> None:
    # The base case: 35.4% -> 35.2% (-18 bps in FY2026). The chart is in bps against the base margin:
    # its axis covers the step and zero, not 0-40%; the chart's table sits in hidden columns and
    # the chart plots them; the page's table shows no level in bps.
    report = build_report(None, tmp_path / "r.xlsx", simulation_draws=0)
    with zipfile.ZipFile(report) as z:
        xml = next(
            text
            for name in z.namelist()
            if re.fullmatch(r"xl/charts/chart\d+\.xml", name)
            and "Margin bridge" in (text := z.read(name).decode())
        )
    low = float(re.search(r'<(?:c:)?min val="([^"]+)"', xml).group(1))
    high = float(re.search(r'<(?:c:)?max val="([^"]+)"', xml).group(1))
    assert -25 <= low < -18 and high == 0.0  # the step (-17.8 bps) and zero, out to a round step
    assert '<c:plotVisOnly val="0"' in xml or '<plotVisOnly val="0"' in xml
    ws = openpyxl.load_workbook(report)["Margin bridge"]
    hidden = [c for c, d in ws.column_dimensions.items() if d.hidden]
    labels = [c.value for c in ws[hidden[0]] if isinstance(c.value, str)]
    assert labels[-3:] == ["Base margin 35.4%", "Deal mix effect (18 bps)", "Blended margin 35.2%"]
    shown = [c for c in ws["D"] if isinstance(c.value, (int, float))]
    assert all(abs(c.value) < 100 for c in shown)  # changes only: no "3,700 bps"


# --------------------------------------------------------------------------- outsized-deal caveat


def test_caveat_shows_on_both_sides_of_the_rule() -> None:
    # Rule: the deal's revenue in some fiscal year exceeds the provider's base revenue. The deal's
    # revenue does not depend on the base, so a base just above / below the peak year flips it.
    # The base is held flat here (growth 0) so that one base revenue sits on both sides of every year.
    peak = float(run_model().tables["margin"]["deal_revenue"].max())
    above = run_model(Assumptions(base_revenue=peak * (1 + 1e-9), base_growth=0.0))
    below = run_model(Assumptions(base_revenue=peak * (1 - 1e-9), base_growth=0.0))
    assert outsized_caveat(above) is None
    text = outsized_caveat(below)
    assert text is not None and text.startswith(
        "Caveat: in its peak year the deal earns 1.0× Amazon (AWS)'s revenue"
    )
    assert "exceeds 1× the base revenue" in text
    assert outsized_caveat(run_model()) is None  # AWS-OpenAI: a twentieth of AWS


def test_a_small_provider_report_carries_the_caveat_on_its_pages(tmp_path: Path) -> None:
    # Microsoft-Nebius: the contract's first full year past its ramp, FY2027, earns
    # 17.4 × 0.925 × 365 ÷ 1826 ÷ (1 − 423/3652) on Nebius's revenue path, $0.5298B of 2025 grown two
    # years at the capped 35.8%: 3.72, shown as 3.7x (later years earn the same on a larger base).
    from core.deals import deal_assumptions
    from tests.core.exposure.cases import after_ramp

    cap = round(58.705 / 43.229 - 1, 10)
    ratio = 17.4 * 0.925 * after_ramp(365, 1826) / (0.5298 * (1 + cap) ** 2)

    a = deal_assumptions("Microsoft–Nebius")
    report = build_report(a, tmp_path / "n.xlsx", simulation_draws=0)
    wb = openpyxl.load_workbook(report)
    for sheet in ("Summary", "Key figures", "Margin", "Straight line vs ramp", "Margin bridge"):
        texts = [c.value for row in wb[sheet].iter_rows() for c in row if isinstance(c.value, str)]
        caveats = [t for t in texts if t.startswith("Caveat:")]
        assert len(caveats) == 1, sheet
        assert f"{ratio:.1f}× Nebius's revenue" in caveats[0], sheet
    # Nebius's base margin is its newest, Q1 2026's −32% (an analyst default): the bridge says so.
    bridge = wb["Margin bridge"]
    hidden = next(c for c, d in bridge.column_dimensions.items() if d.hidden)
    assert "Base margin (32.0%)" in [c.value for c in bridge[hidden] if isinstance(c.value, str)]
    aws = openpyxl.load_workbook(build_report(None, tmp_path / "a.xlsx", simulation_draws=0))
    assert not any(
        isinstance(c.value, str) and c.value.startswith("Caveat:")
        for row in aws["Summary"].iter_rows()
        for c in row
    )


# --------------------------------------------------------------------------- long source lines


def test_a_long_page_line_wraps_on_the_page_and_the_footer_keeps_a_short_one(tmp_path: Path) -> None:
    # A library deal's page line names its analyst defaults (~250 characters). Running past the
    # last column it widened the printed page and shrank every table; now it wraps over the used
    # columns. A footer cut it off mid-word: the footer now says the date and the deal only, and
    # a longer one is still cut to 110 characters (109 and an ellipsis) beside the page number.
    from core.deals import deal_assumptions
    from workbook.report.layout import FOOTER_CHARS, _footer_text
    from workbook.sources import source_note

    a = deal_assumptions("Microsoft–IREN")
    note = source_note(a, deal="Microsoft–IREN")
    assert len(note) > 200
    report = build_report(a, tmp_path / "i.xlsx", source_note=note, simulation_draws=0)
    ws = openpyxl.load_workbook(report)["Margin"]
    assert any(str(r).startswith("A2:") for r in ws.merged_cells.ranges)
    assert ws.cell(2, 1).alignment.wrap_text
    # IREN's signing date values the deal; its figures are the libraries' newest (2026-07-01).
    assert ws.cell(2, 1).value.startswith(f"Valued at 2025-11-03; figures to 2026-07-01 · {note}")
    assert (
        ws.oddFooter.left.text
        == "Valued at 2025-11-03; figures to 2026-07-01 · Microsoft–IREN, base scenario"
    )
    assert FOOTER_CHARS == 110
    assert _footer_text("x" * 110) == "x" * 110
    assert _footer_text("x" * 111) == "x" * 109 + "…"


def test_the_subtitle_wraps_only_when_longer_than_the_columns() -> None:
    # Rule: wrap when the text is longer than the sum of the used columns' widths (characters).
    from workbook.report.layout import wrap_subtitle

    def wrapped(length: int) -> bool:
        ws = Workbook().active
        ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 30, 20  # room: 50
        ws.cell(1, 2, "x")
        ws.cell(2, 1, "y" * length)
        wrap_subtitle(ws)
        return bool(ws.merged_cells.ranges)

    assert not wrapped(50)
    assert wrapped(51)


def test_a_wrapped_subtitle_row_is_tall_enough_for_its_lines() -> None:
    # 13.5 pt a line of 10 pt text; lines = the text's length ÷ the room (50 characters), rounded up.
    from workbook.report.layout import wrap_subtitle

    def height(length: int) -> float | None:
        ws = Workbook().active
        ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 30, 20
        ws.cell(1, 2, "x")
        ws.cell(2, 1, "y" * length)
        wrap_subtitle(ws)
        return ws.row_dimensions[2].height

    assert height(50) is None  # fits: the row keeps its default height
    assert height(51) == 13.5 * 2
    assert height(100) == 13.5 * 2
    assert height(101) == 13.5 * 3


def test_the_margin_bridge_frame_by_hand_and_when_there_is_none() -> None:
    # FY base revenue 100 at a 30% margin, the deal's 25 at 10%: blended (30 + 2.5) ÷ 125 = 26%,
    # a mix effect of −400 bps. The bridge is of the first full year: FY2026 for a contract from
    # 2025-11-03 (December years), FY2025 for one that opens it on 2025-01-01 (8 at 30% and 1 at −50%:
    # (2.4 − 0.5) ÷ 9 = 21.1%, −888.9 bps).
    import datetime as dt
    from types import SimpleNamespace

    from workbook.report.frames import bridge_frame

    def result(margin: pd.DataFrame, start: dt.date = dt.date(2025, 11, 3)) -> Any:
        a = SimpleNamespace(base_margin=0.30, start_date=start, fiscal_year_end=12)
        return SimpleNamespace(tables={"margin": margin}, assumptions=a)

    table = pd.DataFrame(
        {
            "period": ["FY2025", "FY2026"],
            "base_revenue": [8.0, 100.0],
            "deal_revenue": [1.0, 25.0],
            "deal_margin": [-0.5, 0.10],
        }
    )
    frame = bridge_frame(result(table))
    assert frame is not None
    assert frame["period"].tolist() == ["FY2026"] * 3
    assert frame["margin"].tolist()[0] == pytest.approx(0.30)
    assert frame["margin"].tolist()[2] == pytest.approx(0.26)
    assert frame["change_bps"].tolist()[1:] == pytest.approx([-400.0, -400.0])
    opening = bridge_frame(result(table, dt.date(2025, 1, 1)))
    assert opening is not None and opening["period"].tolist() == ["FY2025"] * 3
    assert opening["change_bps"].tolist()[1:] == pytest.approx([(1.9 / 9 - 0.30) * 10_000] * 2)
    # No first full year in the table (the contract ends in its stub year), or a table without the
    # revenue split: no bridge at all.
    assert bridge_frame(result(table.iloc[:1])) is None
    assert bridge_frame(result(table.drop(columns="base_revenue"))) is None
    assert bridge_frame(result(table.drop(columns="deal_margin"))) is None


def test_a_small_providers_year_columns_are_wide_enough_for_thousands_of_points(tmp_path: Path) -> None:
    # Microsoft–Nscale on a US$1M placeholder base: growth contributions of 100,000s of pp. A year
    # column narrower than its longest figure shows ### in Excel and LibreOffice.
    from openpyxl.utils import get_column_letter

    from core.deals import deal_assumptions
    from workbook.report.summary import fiscal_year_table
    from workbook.styles import format_text

    a = deal_assumptions("Microsoft–Nscale")
    report = build_report(a, tmp_path / "s.xlsx", simulation_draws=0)
    ws = openpyxl.load_workbook(report)["Summary"]
    table = fiscal_year_table(run_model(a))
    years = [c for c in table.columns if c not in ("figure", "unit", "fmt")]
    for j, year in enumerate(years, start=3):
        longest = max(len(format_text(v, f)) for f, v in zip(table["fmt"], table[year], strict=True))
        assert ws.column_dimensions[get_column_letter(j)].width >= longest + 2, year
    assert max(len(format_text(v, "pp")) for v in table[years[1]]) > 10  # e.g. 163,266.48: it matters


def test_the_note_charts_leave_out_the_npv_chart_without_draws() -> None:
    # Page one's two charts as notes: the ramp always; the NPV histogram only with draws to show.
    import dataclasses

    from workbook.report.notecharts import NOTE_CHARTS, NoteData, _notes_workbook
    from workbook.report.risk import MonteCarlo

    result = run_model(Assumptions())
    wb, names = _notes_workbook(NoteData(result), NOTE_CHARTS)
    assert names == ["straight-line-vs-ramp"]
    assert wb.sheetnames == ["Data 1", "Chart 1"]  # the NPV's data sheet is removed again
    fields = {f.name: None for f in dataclasses.fields(MonteCarlo)}
    no_draws = MonteCarlo(**{**fields, "draws": 0, "seed": 0, "npv": np.array([])})  # type: ignore[arg-type]
    assert _notes_workbook(NoteData(result, no_draws), NOTE_CHARTS)[1] == ["straight-line-vs-ramp"]


def test_the_monte_carlo_page_explains_the_medians_of_its_figures_but_yes_no_ones() -> None:
    # The risk questions ask about the growth gap (pp), the peak margin change (bps) and whether the
    # market value passes its threshold (yes/no: a median of 0 or 1 explains nothing); the histogram
    # shows the NPV. A figure the run has no value for is left out.
    from types import SimpleNamespace

    from workbook.report.risk import _explained

    every = {"growth_pp_gap_year2": 1.0, "margin_bps_peak": -20.0, "market_value_passes": 1.0, "npv": 3.0}
    assert _explained(SimpleNamespace(values=every)) == ["growth_pp_gap_year2", "margin_bps_peak", "npv"]
    some = {"margin_bps_peak": -20.0, "market_value_passes": 1.0}
    assert _explained(SimpleNamespace(values=some)) == ["margin_bps_peak"]


def test_a_risk_question_longer_than_one_line_gets_a_row_of_two() -> None:
    # 46 characters fit the first column's line; a 47-character question gets a row of two lines
    # (26 pt); one of 46 keeps the default height.
    import datetime as dt

    from workbook.report.checks import report_checks
    from workbook.report.layout import Page
    from workbook.report.summary import SummaryCharts, summary_sheet

    run = run_model(Assumptions())
    risk = pd.DataFrame({"question": ["q" * 46, "r" * 47], "probability": [0.5, None]})
    ws = Workbook().active
    page = Page(dt.date(2025, 11, 3), "defaults", "AWS–OpenAI, base scenario")
    summary_sheet(ws, run, report_checks(run), page, SummaryCharts(None, "", None, ""), risk=risk)
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    one, two = rows["q" * 46], rows["r" * 47]
    assert ws.row_dimensions[one].height is None and ws.row_dimensions[two].height == 26
    assert (ws.cell(one, 3).value, ws.cell(two, 3).value) == (0.5, "not applicable")


@pytest.mark.parametrize(("periods", "across"), [(16, True), (17, False)])
def test_a_table_of_up_to_sixteen_periods_is_laid_across(periods: int, across: bool) -> None:
    # Fiscal years across the page as an analyst's model shows them, up to 16 columns of periods;
    # a longer table (a quarterly one) runs down the page instead.
    import datetime as dt

    from workbook.report.layout import Page
    from workbook.report.sheets import table_sheet

    frame = pd.DataFrame(
        {"period": [f"Q{i}" for i in range(periods)], "revenue": [float(i) for i in range(periods)]}
    )
    placed = table_sheet(Workbook(), "gap", frame, Assumptions(), Page(dt.date(2025, 11, 3), "defaults"))
    ws = placed.ws
    assert placed.across is across
    if across:  # periods head the columns after Figure and Unit
        assert [ws.cell(4, c).value for c in (1, 2, 3, 18)] == ["Figure", "Unit", "Q0", "Q15"]
    else:  # one period a row
        assert [ws.cell(r, 1).value for r in (4, 5, 21)] == ["Period", "Q0", "Q16"]


def test_the_claims_page_formats_each_model_figure_in_its_claims_unit() -> None:
    # Column C holds the model's figure: bps as bps, a fraction as a percent, money as US$ bn.
    import datetime as dt

    from workbook.report.layout import Page
    from workbook.report.loop import claims_sheet
    from workbook.styles import NUMBER_FORMATS

    ws = Workbook().active
    table = claims_sheet(ws, run_model(Assumptions()), Page(dt.date(2025, 11, 3), "defaults"))
    formats = {ws.cell(r, 1).value: ws.cell(r, 3).number_format for r in range(1, ws.max_row + 1)}
    units = dict(zip(table["claim"], table["unit"], strict=True))
    assert units["Margin compression of 50–100 bps near term"] == "bps"
    assert formats["Margin compression of 50–100 bps near term"] == NUMBER_FORMATS["bps"]
    assert formats["Analysts apply a 5–10% utilisation discount"] == NUMBER_FORMATS["pct"]
    assert formats["Amazon rose 5.8% on the announcement"] == NUMBER_FORMATS["usd_bn"]
