"""The report's checks (workbook.report.checks) and page one's fiscal-year table, on hand-made runs.

Each check is shown able to fail: a wrong total, NaN, ±infinity and a value of the wrong type.
The run is a ``ModelResult`` built here from small tables whose sums are worked by hand, so the
expected PASS/FAIL is known without running the model.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from core.assumptions import Assumptions
from core.model import ModelResult
from workbook.report.checks import failed_count, report_checks
from workbook.report.labels import label_of
from workbook.report.summary import fiscal_year_table

A = Assumptions()  # $38B, realisation 0.925, extend mode, no delay
STRAIGHT = [19.0, 19.0]  # sums to 38
RAMP = [15.0, 20.15]  # sums to 35.15 = 38 × 0.925
# A backlog of 38 booked in the first quarter and recognised 35.15, derecognised 2.85 at the end.
BACKLOG = {
    "period": ["FY2025Q4", "FY2026Q1", "FY2026Q2"],
    "beginning": [0.0, 30.0, 10.0],
    "bookings": [38.0, 0.0, 0.0],
    "recognised": [8.0, 20.0, 7.15],
    "derecognised": [0.0, 0.0, 2.85],
    "ending": [30.0, 10.0, 0.0],
}


def _result(*, straight=STRAIGHT, ramp=RAMP, schedule=None, backlog=None, outputs=None, a=A) -> ModelResult:
    gap = pd.DataFrame({"period": ["FY2025", "FY2026"], "straight": straight, "ramp": ramp})
    tables = {
        "gap": gap,
        "schedule": pd.DataFrame(
            {"period": ["FY2025", "FY2026"], "revenue": ramp if schedule is None else schedule}
        ),
        "backlog": pd.DataFrame(BACKLOG if backlog is None else backlog),
    }
    return ModelResult(a, {"npv": 1.0, "payback_year": None} if outputs is None else outputs, tables)


def _checks(result: ModelResult) -> dict[str, str]:
    table = report_checks(result)
    return dict(zip(table["check"], table["result"], strict=True))


def test_a_consistent_run_passes_every_check():
    checks = _checks(_result())
    assert set(checks.values()) == {"PASS"}
    assert len(checks) == 8
    assert failed_count(report_checks(_result())) == 0


@pytest.mark.parametrize("bad", [18.0, math.nan, math.inf, -math.inf])
def test_the_straight_line_must_sum_to_the_contract_value(bad):
    checks = _checks(_result(straight=[19.0, bad]))
    assert checks["Straight line sums to the contract value"] == "FAIL"
    assert failed_count(report_checks(_result(straight=[19.0, bad]))) == 1


@pytest.mark.parametrize("bad", [20.0, math.nan, math.inf, -math.inf])
def test_the_ramp_must_sum_to_value_times_realisation_and_the_schedule_to_the_ramp(bad):
    # The schedule keeps the good ramp, so it no longer equals the ramp either.
    checks = _checks(_result(ramp=[15.0, bad], schedule=RAMP))
    assert checks["Ramp sums to contract value × realisation"] == "FAIL"
    assert checks["Schedule total equals the ramp total"] == "FAIL"
    checks = _checks(_result(schedule=[15.0, bad]))
    assert checks["Ramp sums to contract value × realisation"] == "PASS"
    assert checks["Schedule total equals the ramp total"] == "FAIL"


def test_the_ramp_check_is_left_out_only_for_a_forfeit_delay():
    # A forfeit delay loses revenue, so the ramp no longer sums to value × realisation.
    forfeit = A.replace(delay_mode="forfeit", delay_quarters=1)
    assert "Ramp sums to contract value × realisation" not in _checks(_result(a=forfeit))
    no_delay = A.replace(delay_mode="forfeit", delay_quarters=0)
    assert (
        _checks(_result(a=no_delay, ramp=[15.0, 20.0]))["Ramp sums to contract value × realisation"] == "FAIL"
    )


def test_the_tolerance_is_one_in_a_billion_relative_and_absolute_below_one():
    # 38 × (1 ± 5e-10) passes, 38 × (1 + 2e-9) does not.
    assert (
        _checks(_result(straight=[19.0, 19.0 + 38 * 5e-10]))["Straight line sums to the contract value"]
        == "PASS"
    )
    assert (
        _checks(_result(straight=[19.0, 19.0 + 38 * 2e-9]))["Straight line sums to the contract value"]
        == "FAIL"
    )
    # A backlog ending at 5e-10 is zero; at 2e-9 it is not (absolute, below 1).
    for end, verdict in ((5e-10, "PASS"), (2e-9, "FAIL")):
        backlog = {**BACKLOG, "ending": [30.0, 10.0, end], "derecognised": [0.0, 0.0, 2.85 - end]}
        assert _checks(_result(backlog=backlog))["Backlog ends at zero"] == verdict


@pytest.mark.parametrize("bad", [0.5, math.nan, math.inf, -math.inf])
def test_the_backlog_must_roll_forward_end_at_zero_and_carry_over(bad):
    # A break in the middle period's ending: it no longer rolls forward, and the next period no
    # longer begins where it ended.
    backlog = {**BACKLOG, "ending": [30.0, 10.0 + bad, 0.0]}
    checks = _checks(_result(backlog=backlog))
    assert checks["Backlog rolls forward (largest break)"] == "FAIL"
    assert checks["Each period begins where the last ended (largest break)"] == "FAIL"
    assert checks["Backlog ends at zero"] == "PASS"
    # A break only in the last period: it does not end at zero and does not roll forward.
    backlog = {**BACKLOG, "ending": [30.0, 10.0, bad], "derecognised": [0.0, 0.0, 2.85 - bad]}
    checks = _checks(_result(backlog=backlog))
    assert checks["Backlog ends at zero"] == "FAIL"
    assert checks["Each period begins where the last ended (largest break)"] == "PASS"


def test_the_largest_break_is_reported_not_the_smallest():
    # Beginnings 0, 30.25, 10.75: roll-forward breaks 0, 0.25 (30.25 - 20 vs 10) and 0.75
    # (10.75 - 7.15 - 2.85 vs 0); carry-over breaks 0.25 and 0.75. Each check reports its largest.
    backlog = {**BACKLOG, "beginning": [0.0, 30.25, 10.75]}
    table = report_checks(_result(backlog=backlog)).set_index("check")
    assert table.loc["Backlog rolls forward (largest break)", "actual"] == pytest.approx(0.75)
    assert table.loc["Each period begins where the last ended (largest break)", "actual"] == pytest.approx(
        0.75
    )
    assert table.loc["Backlog rolls forward (largest break)", "difference"] == pytest.approx(0.75)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, "1.0", [1.0], {"v": 1}])
def test_every_key_figure_must_be_a_number_or_none(bad):
    outputs = {"npv": 1.0, "irr": 0.1, "payback_year": None, "gpus": bad}
    table = report_checks(_result(outputs=outputs)).set_index("check")
    row = table.loc["Every key figure is a number (or n/a)"]
    assert (row["expected"], row["actual"], row["result"]) == (4.0, 3.0, "FAIL")
    good = report_checks(_result(outputs={**outputs, "gpus": 2})).set_index("check")
    assert good.loc["Every key figure is a number (or n/a)", "result"] == "PASS"


def test_a_single_period_backlog_has_no_carry_over_check():
    one = {k: v[:1] for k, v in BACKLOG.items()} | {"ending": [0.0], "recognised": [38.0]}
    checks = _checks(_result(backlog=one))
    assert "Each period begins where the last ended (largest break)" not in checks
    assert (
        checks["Backlog ends at zero"] == "PASS" and checks["Backlog rolls forward (largest break)"] == "PASS"
    )


# ----------------------------------------------------------------------------- page one's table


def _row(table: pd.DataFrame, column: str) -> dict[str, float]:
    row = table[table["figure"] == label_of(column, column=True).label].iloc[0]
    return {c: row[c] for c in table.columns if str(c).startswith("FY")}


def test_quarterly_figures_are_taken_at_the_fiscal_years_last_quarter():
    # Backlog by quarter: FY2025Q4 30, FY2026Q1 10, FY2026Q2 0. FY2025's is its Q4 (30), FY2026's
    # its last quarter in the table (Q2: 0), not its first (10) nor a sum.
    table = fiscal_year_table(_result())
    assert _row(table, "ending") == {"FY2025": 30.0, "FY2026": 0.0}


def test_yearly_figures_by_label_and_year_and_eps_columns_added():
    economics = pd.DataFrame(
        {
            "year": [2025, 2026],
            "operating_profit": [-1.0, 2.0],
            "cash_flow": [-5.0, 3.0],
            "eps_effect": [0.01, 0.02],
        }
    )
    result = _result()
    result.tables["economics"] = economics
    table = fiscal_year_table(result)
    assert list(table.columns) == ["figure", "unit", "fmt", "FY2025", "FY2026"]
    assert _row(table, "straight") == {"FY2025": 19.0, "FY2026": 19.0}
    assert _row(table, "ramp") == {"FY2025": 15.0, "FY2026": 20.15}
    assert _row(table, "operating_profit") == {"FY2025": -1.0, "FY2026": 2.0}
    assert _row(table, "cash_flow") == {"FY2025": -5.0, "FY2026": 3.0}
    assert _row(table, "eps_effect") == {"FY2025": 0.01, "FY2026": 0.02}
    # A figure the run does not have (no margin table here) is left out, not shown blank.
    assert label_of("blended_margin", column=True).label not in set(table["figure"])


# ----------------------------------------------------------------------------- the backlog chart


def test_the_backlog_chart_needs_both_its_columns():
    # Ending (bars) and recognised (line, right axis): a table with only one of them gets no chart.
    from openpyxl import Workbook

    from workbook.report.charts import backlog_chart
    from workbook.report.layout import write_frame

    frame = pd.DataFrame(BACKLOG)
    for missing in ("ending", "recognised"):
        placed = write_frame(Workbook().active, frame.drop(columns=missing))
        assert backlog_chart(placed) is None
    chart = backlog_chart(write_frame(Workbook().active, frame))
    assert chart is not None and chart.gapWidth == 30 and len(chart.series) == 1


def test_each_evidence_block_lists_its_own_tables_points_once():
    # Under each table's heading (its title, then this run's value), the public points of that table
    # and no other, in the evidence's order; every point appears once on the page.
    from openpyxl import Workbook

    from core.evidence import EVIDENCE_TABLES, evidence_frame
    from core.model import run_model
    from workbook.report.benchmarks import _evidence

    ws = Workbook().active
    _evidence(ws, run_model(), 3, {})
    titles = {f"{t.title} ({t.unit})": t.title for t in EVIDENCE_TABLES.values()}
    blocks: dict[str, list[str]] = {}
    current = None
    for (text,) in ws.iter_rows(min_row=4, min_col=1, max_col=1, values_only=True):
        heading = next((t for h, t in titles.items() if isinstance(text, str) and text.startswith(h)), None)
        if heading is not None:
            current = blocks.setdefault(heading, [])
        elif current is not None and text is not None:
            current.append(text)
    points = evidence_frame()
    assert set(blocks) == set(titles.values())
    for title_, listed in blocks.items():
        assert listed == points.loc[points["table"] == title_, "what"].tolist()
    assert sum(len(v) for v in blocks.values()) == len(points)


def test_a_sensitivity_chart_with_text_rows_refers_to_its_labels_as_text():
    # The grid's first column holds the row values; text labels (not numbers) become string categories
    # of every line, numbers stay numbers.
    from openpyxl import Workbook

    from workbook.report.charts import sensitivity_chart
    from workbook.report.layout import write_frame

    kw = dict(title="t", x_title="x", y_title="y", axis="usd_bn", base="a")
    text_rows = pd.DataFrame({"case": ["low", "base", "high"], "a": [1.0, 2.0, 3.0], "b": [2.0, 3.0, 4.0]})
    chart = sensitivity_chart(write_frame(Workbook().active, text_rows), ["a", "b"], **kw)
    assert [s.cat.strRef is not None for s in chart.series] == [True, True]
    assert chart.series[0].graphicalProperties.line.width == 50800  # the base column drawn thicker
    number_rows = text_rows.assign(case=[0.5, 1.0, 1.5])
    chart = sensitivity_chart(write_frame(Workbook().active, number_rows), ["a", "b"], **kw)
    assert [s.cat.numRef is not None for s in chart.series] == [True, True]


def test_the_bridge_pages_caveat_sits_above_the_table():
    # A provider of US$ 1 bn a year against the deal's ~US$ 5 bn a year: outsized, so the bridge page
    # carries the caveat on the row above the table's header, and the header stays in place.
    import datetime as dt

    from openpyxl import Workbook

    from core.model import run_model
    from workbook.report.layout import Page
    from workbook.report.sheets import bridge_sheet
    from workbook.spec import REPORT_LAYOUT

    ws = Workbook().active
    bridge_sheet(ws, run_model(A.replace(base_revenue=1.0)), Page(dt.date(2025, 11, 3), "test", "test"))
    header = REPORT_LAYOUT.header_row
    assert str(ws.cell(row=header - 1, column=1).value).startswith("Caveat: in its peak year the deal earns")
    assert not str(ws.cell(row=header + 1, column=1).value).startswith("Caveat")
    assert ws.cell(row=header, column=1).value is not None


def test_a_columns_width_follows_its_header_and_values_within_12_and_48():
    # Header of 40 characters: 40 × 0.6 + 3 = 27 (a header's letters are narrower than digits);
    # a 62-character value: 65, capped at 48; a short column: at least 12.
    from openpyxl import Workbook

    from workbook.report.layout import write_frame

    ws = Workbook().active
    frame = pd.DataFrame({"a" * 40: [1.0, 2.0], "b": ["xx", "y" * 62], "c": [1.0, 2.0]})
    write_frame(ws, frame)
    widths = [ws.column_dimensions[letter].width for letter in "ABC"]
    assert widths == [27.0, 48.0, 12.0]


def test_a_chart_keeps_its_axis_titles():
    from openpyxl import Workbook

    from workbook.report.charts import series_chart
    from workbook.report.layout import write_frame

    placed = write_frame(Workbook().active, pd.DataFrame({"period": ["FY2025", "FY2026"], "v": [1.0, 2.0]}))
    chart = series_chart("bar", placed, "period", ["v"], title="t", y_title="US$ bn", x_title="Fiscal year")
    assert chart.x_axis.title.tx.rich.p[0].r[0].t == "Fiscal year"
    assert series_chart("bar", placed, "period", ["v"], title="t", y_title="US$ bn").x_axis.title is None


def test_the_benchmarks_table_is_headed_on_the_row_above_it():
    from openpyxl import Workbook

    from core.model import run_model
    from workbook.report.benchmarks import _margins

    ws = Workbook().active
    _margins(ws, run_model(), 10, {})
    assert ws.cell(row=9, column=1).value == (
        "The deal's margins by fiscal year and over its life, beside reported margins"
    )
    assert ws.cell(row=10, column=1).value == "Row"


def test_a_fraction_is_varied_in_points_whatever_its_kind_or_unit():
    # The sensitivity grid moves a fraction by 2.5 points a step (base growth, "fraction a year"; the
    # ramp's initial rate, kind fraction, "share of full"), a number by ×0.8 .. ×1.2.
    from workbook.report.whatif import grid_values

    b = A.base_growth
    values, at = grid_values(A, "base_growth")
    assert values == pytest.approx([b - 0.05, b - 0.025, b, b + 0.025, b + 0.05]) and at == 2
    values, at = grid_values(A.replace(initial_rate=0.0), "initial_rate")
    assert values == pytest.approx([0.0, 0.025, 0.05, 0.075, 0.1]) and at == 0
    values, at = grid_values(A, "contract_value")
    assert values == pytest.approx([38 * 0.8, 38 * 0.9, 38, 38 * 1.1, 38 * 1.2]) and at == 2
