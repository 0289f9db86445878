"""The report's checks can fail, and its layout is pinned: checks, margin bridge, charts, page breaks.

Each check is shown to turn FAIL when its identity is broken by a small amount
(1e-6, far above the 1e-9 relative tolerance and far below a looser one such
as 1e-3), and to PASS when the identity holds.
"""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from core.model import ModelResult, run_model
from workbook.report import build_report, report_checks

NUDGE = 1e-6  # a break well above the 1e-9 tolerance (relative to max(1, |value|)) of a 38bn contract


@pytest.fixture(scope="module")
def base() -> ModelResult:
    return run_model()


def _with(result: ModelResult, name: str, table: pd.DataFrame) -> ModelResult:
    return type(result)(result.assumptions, dict(result.outputs), {**result.tables, name: table})


def _results(result: ModelResult) -> dict[str, str]:
    return report_checks(result).set_index("check")["result"].to_dict()


def test_every_check_passes_on_the_model_as_run(base: ModelResult) -> None:
    results = _results(base)
    assert len(results) == 8
    assert set(results.values()) == {"PASS"}


def test_backlog_that_does_not_end_at_zero_fails_only_that_check(base: ModelResult) -> None:
    # Rule: the last period's ending backlog is 0. Moving 1e-6 of the last period's revenue
    # into the ending keeps the roll-forward identity but leaves 1e-6 behind.
    backlog = base.tables["backlog"].copy()
    last = len(backlog) - 1
    backlog.loc[last, "recognised"] -= NUDGE
    backlog.loc[last, "ending"] += NUDGE
    results = _results(_with(base, "backlog", backlog))
    assert results["Backlog ends at zero"] == "FAIL"
    assert results["Backlog rolls forward (largest break)"] == "PASS"
    assert results["Each period begins where the last ended (largest break)"] == "PASS"


def test_a_period_that_does_not_roll_forward_fails(base: ModelResult) -> None:
    # Rule: ending = beginning + bookings - recognised - derecognised in every period.
    backlog = base.tables["backlog"].copy()
    backlog.loc[2, "derecognised"] += NUDGE
    results = _results(_with(base, "backlog", backlog))
    assert results["Backlog rolls forward (largest break)"] == "FAIL"
    assert results["Backlog ends at zero"] == "PASS"


def test_a_period_that_does_not_begin_where_the_last_ended_fails(base: ModelResult) -> None:
    # Rule: each period's beginning is the previous period's ending (beginning and ending
    # both moved keep the roll-forward of period 3 intact).
    backlog = base.tables["backlog"].copy()
    backlog.loc[3, "beginning"] += NUDGE
    backlog.loc[3, "ending"] += NUDGE
    results = _results(_with(base, "backlog", backlog))
    assert results["Each period begins where the last ended (largest break)"] == "FAIL"
    assert results["Backlog rolls forward (largest break)"] == "PASS"


def test_the_straight_line_and_the_ramp_must_sum_to_the_contract(base: ModelResult) -> None:
    # Rules: the straight line sums to the contract value (38); the ramp to value x
    # realisation; the schedule to the ramp's total.
    gap = base.tables["gap"].copy()
    gap.loc[0, "straight"] += NUDGE
    results = _results(_with(base, "gap", gap))
    assert results["Straight line sums to the contract value"] == "FAIL"
    assert results["Ramp sums to contract value × realisation"] == "PASS"
    schedule = base.tables["schedule"].copy()
    schedule.loc[0, "revenue"] += NUDGE
    results = _results(_with(base, "schedule", schedule))
    assert results["Schedule total equals the ramp total"] == "FAIL"
    assert results["Ramp sums to contract value × realisation"] == "PASS"


def test_a_key_figure_that_is_not_a_number_fails(base: ModelResult) -> None:
    name = next(k for k, v in base.outputs.items() if v is not None)
    broken = type(base)(base.assumptions, {**base.outputs, name: math.nan}, dict(base.tables))
    assert _results(broken)["Every key figure is a number (or n/a)"] == "FAIL"


def test_a_difference_within_the_relative_tolerance_passes(base: ModelResult) -> None:
    # Rule: PASS when |actual - expected| <= 1e-9 x max(1, |expected|, |actual|): 38 x 1e-10
    # off the straight-line total passes, 38 x 1e-8 fails.
    for nudge, verdict in ((38 * 1e-10, "PASS"), (38 * 1e-8, "FAIL")):
        gap = base.tables["gap"].copy()
        gap.loc[0, "straight"] += nudge
        assert _results(_with(base, "gap", gap))["Straight line sums to the contract value"] == verdict


# --------------------------------------------------------------------------- layout


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_report(None, tmp_path_factory.mktemp("pins") / "base.xlsx")


def test_margin_bridge_is_the_first_full_fiscal_year(report: Path, base: ModelResult) -> None:
    # Rule: the bridge shows the first FULL fiscal year: the contract starts 2025-11-03 and
    # Amazon's year ends in December, so FY2025 is two months and the bridge is FY2026, the
    # margin table's second row. Start = base margin, end = that year's blended margin; the
    # levels in % only, the changes against the base in bps only (never a level in bps), each
    # step in words.
    from workbook.styles import NUMBER_FORMATS

    ws = openpyxl.load_workbook(report)["Margin bridge"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Period")
    assert [ws.cell(header, c).value for c in range(1, 5)] == [
        "Period",
        "Step",
        "Margin (%)",
        "Margin change from the deal (bps)",
    ]
    rows = [[ws.cell(r, c) for c in range(1, 5)] for r in range(header + 1, header + 4)]
    year = base.tables["margin"].iloc[1]
    assert str(year["period"]) == "FY2026"
    assert [r[0].value for r in rows] == ["FY2026"] * 3
    assert [r[1].value for r in rows] == ["Base margin", "Deal mix effect", "Blended margin"]
    start = base.assumptions.base_margin
    end = float(year["blended_margin"])
    assert [r[2].value for r in rows] == [pytest.approx(start), None, pytest.approx(end)]
    change = (end - start) * 10_000
    assert rows[0][3].value is None
    assert [float(r[3].value) for r in rows[1:]] == pytest.approx([change, change], abs=1e-6)
    assert rows[0][2].number_format == NUMBER_FORMATS["pct"] == '[>=0.0005]0.0%_);[<=-0.0005](0.0%);"–"_)'
    assert rows[1][3].number_format == NUMBER_FORMATS["bps"] == '[>=0.5]#,##0_);[<=-0.5](#,##0);"–"_)'
    assert end < start  # the deal dilutes the margin


def test_the_base_report_draws_seven_charts_over_two_pages(report: Path) -> None:
    # Seven charts: revenue straight line vs ramp, backlog, margin bridge, margin change,
    # economics, customer revenue vs commitments, scenarios. Four charts a printed page
    # (two a row, 19 rows each, from row 4): one break, under the second row of charts
    # (row 4 + 19 + 19 = 42), and none after the last chart. The workbook has 12: the
    # Summary's two, the Charts sheet's seven, Sensitivity's, Tornado's and the Margin bridge's.
    with zipfile.ZipFile(report) as z:
        charts = [n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
    assert len(charts) == 12
    ws = openpyxl.load_workbook(report)["Charts"]
    assert len(ws._charts) == 7
    assert [b.id for b in ws.row_breaks.brk] == [4 + 19 + 19]


def test_the_ramp_total_is_checked_unless_a_forfeit_delay_loses_revenue() -> None:
    # Rule: the ramp sums to value x realisation except when a forfeit delay drops the tail;
    # a forfeit mode with no delay loses nothing, so the check stays (and passes).
    from core.assumptions import Assumptions

    no_delay = _results(run_model(Assumptions(delay_mode="forfeit")))
    assert no_delay["Ramp sums to contract value × realisation"] == "PASS"
    delayed = _results(run_model(Assumptions(delay_mode="forfeit", delay_quarters=1)))
    assert "Ramp sums to contract value × realisation" not in delayed
    assert set(delayed.values()) == {"PASS"}


def test_checks_without_a_backlog_table_leave_the_backlog_checks_out(base: ModelResult) -> None:
    # A result with no backlog table (or an empty one) has no backlog rows, and no error.
    tables = {k: v for k, v in base.tables.items() if k != "backlog"}
    checks = _results(type(base)(base.assumptions, dict(base.outputs), tables))
    assert not any("Backlog" in name or "begins where" in name for name in checks)
    empty = _results(_with(base, "backlog", base.tables["backlog"].iloc[:0]))
    assert not any("Backlog" in name for name in empty)
    assert set(checks.values()) == {"PASS"}


def test_the_checks_sheet_colours_pass_green_and_fail_red(tmp_path: Path, base: ModelResult) -> None:
    # House style: PASS in dark green on light green (006100 on C6EFCE), FAIL in dark red on
    # light red (9C0006 on FFC7CE).
    gap = base.tables["gap"].copy()
    gap.loc[0, "straight"] += 1.0
    path = build_report(base.assumptions, tmp_path / "c.xlsx", result=_with(base, "gap", gap))
    ws = openpyxl.load_workbook(path)["Checks"]
    cells = [c for row in ws.iter_rows() for c in row if c.value in ("PASS", "FAIL")]
    assert {c.value for c in cells} == {"PASS", "FAIL"}
    for c in cells:
        font, fill = ("006100", "C6EFCE") if c.value == "PASS" else ("9C0006", "FFC7CE")
        assert c.font.color.rgb.endswith(font) and c.fill.fgColor.rgb.endswith(fill), c.coordinate


def test_the_cover_flag_says_how_many_checks_fail_in_the_house_colours(
    tmp_path: Path, report: Path, base: ModelResult
) -> None:
    def flag(path: Path):
        ws = openpyxl.load_workbook(path)["Summary"]
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Model checks")
        return ws.cell(row, 3)

    ok = flag(report)
    assert ok.value == "All 8 checks pass"
    assert ok.font.color.rgb.endswith("006100") and ok.fill.fgColor.rgb.endswith("C6EFCE")
    gap = base.tables["gap"].copy()
    gap.loc[0, "straight"] += 1.0
    bad = flag(build_report(base.assumptions, tmp_path / "bad.xlsx", result=_with(base, "gap", gap)))
    assert bad.value == "1 of 8 checks FAIL: see Checks"
    assert bad.font.color.rgb.endswith("9C0006") and bad.fill.fgColor.rgb.endswith("FFC7CE")


def test_checks_without_the_gap_table_leave_the_revenue_checks_out(base: ModelResult) -> None:
    tables = {k: v for k, v in base.tables.items() if k != "gap"}
    checks = _results(type(base)(base.assumptions, dict(base.outputs), tables))
    assert "Straight line sums to the contract value" not in checks
    assert "Schedule total equals the ramp total" not in checks
    assert set(checks.values()) == {"PASS"}
