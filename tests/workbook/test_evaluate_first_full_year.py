"""The template reads the first full fiscal year as the core does: its growth figures and margin checks.

The Schedule sheet names the first fiscal year the contract runs from its first day
(``first_full_year``, the rule of ``core.schedule.first_full_fiscal_year`` written as a
formula) and works the three growth contributions of that year from its own rows
(SUMIFS of the straight line and the ramp by fiscal year, over the baseline of the year
before); ``chk_core_growth`` holds them to the core's key figures and
``chk_core_margin`` reads the Margin sheet in the same year. Expected values: the core
(``run_model``, 1e-9 relative) and, for the straight line, the days by hand.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from core.assumptions import INPUTS, Assumptions
from core.deals import deal_assumptions
from core.model import run_model
from tests.workbook.template_copies import edited_copy
from workbook.evaluate import Evaluation, evaluate_workbook
from workbook.template import DEFAULT_TEMPLATE

#: The template's growth figures beside the core's key figures.
PAIRS = (
    ("growth_straight_full_pp", "growth_pp_straight_year2"),
    ("growth_ramp_full_pp", "growth_pp_ramp_year2"),
    ("growth_gap_full_pp", "growth_pp_gap_year2"),
)

#: AWS's FY2025 revenue (Amazon release 2026-02-05) and the year after at FY2025's growth over $107.6B.
AWS_2025 = 128.7
AWS_2026 = 128.7 * (1 + round(128.7 / 107.6 - 1, 10))


def close(a: Any, b: float) -> bool:
    return isinstance(a, (int, float)) and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _agrees_with_the_core(ev: Evaluation, a: Assumptions, full: int) -> dict[str, float | None]:
    """The template's first full year, growth figures, checks and Margin/Schedule columns of that year."""
    core = run_model(a).outputs
    assert ev.name("first_full_year") == full
    for template_name, core_name in PAIRS:
        assert close(ev.name(template_name), core[core_name]), template_name
        assert close(ev.name("out_" + core_name), core[core_name]), core_name
    assert ev.name("chk_core_growth") is True
    assert ev.name("chk_core_margin") is True
    assert ev.name("master_check") is True
    years = list(ev.name("sched_fiscal_year")[0])
    column = years.index(full)
    assert close(ev.name("mg_change_bps")[0][column], core["margin_bps_year2"])
    # The Schedule sheet's growth row, on yearly periods, shows the same ramp contribution in that year.
    assert close(ev.name("sched_growth_pp")[0][column], core["growth_pp_ramp_year2"])
    return core


@pytest.mark.parametrize(
    ("start", "term_years", "full", "straight_pp"),
    [
        # 2026-01-01 opens AWS's FY2026: 365 of 2,557 days there, nothing in FY2025.
        (dt.date(2026, 1, 1), 7, 2026, 38 * 365 / 2557 / AWS_2025 * 100),
        # A day later the first full year is FY2027: 365 days against FY2026's 364, over FY2026's base.
        (dt.date(2026, 1, 2), 7, 2027, 38 * (365 - 364) / 2557 / AWS_2026 * 100),
        # Six months opening FY2026 cover no period in full, yet FY2026 is their first full year (the
        # Margin check read the first period covered in full and failed here).
        (dt.date(2026, 1, 1), 0.5, 2026, 38 / AWS_2025 * 100),
    ],
)
def test_the_template_reads_the_first_full_year_as_the_core_does(
    tmp_path: Path, start: dt.date, term_years: float, full: int, straight_pp: float
) -> None:
    full_at = dt.date(2027, 2, 28) if term_years == 7 else dt.date(2026, 3, 1)
    a = Assumptions(start_date=start, term_years=term_years, full_at=full_at)
    path = edited_copy(
        tmp_path,
        "opens.xlsx",
        start_date=dt.datetime.combine(start, dt.time()),
        term_years=term_years,
        full_at=dt.datetime.combine(full_at, dt.time()),
    )
    ev = evaluate_workbook(path)
    _agrees_with_the_core(ev, a, full)
    assert close(ev.name("growth_straight_full_pp"), straight_pp)


def test_google_anthropic_may26_typed_into_the_template_shows_its_fiscal_2027_overstatement(
    tmp_path: Path,
) -> None:
    # Every input of the library deal typed on the Inputs sheet: the template works FY2027 against FY2026
    # (27.51 points, worked by hand in tests/core/test_first_full_year.py), as the core does.
    a = deal_assumptions("Google–Anthropic (May-26)")
    wb = openpyxl.load_workbook(DEFAULT_TEMPLATE)
    for spec in INPUTS:
        value = getattr(a, spec.name)
        sheet, ref = next(iter(wb.defined_names[spec.name].destinations))
        wb[sheet][ref.replace("$", "")].value = (
            dt.datetime.combine(value, dt.time()) if isinstance(value, dt.date) else value
        )
    path = tmp_path / "google.xlsx"
    wb.save(path)
    ev = evaluate_workbook(path)
    _agrees_with_the_core(ev, a, 2027)
    assert ev.name("growth_gap_full_pp") == pytest.approx(27.51, abs=0.005)
