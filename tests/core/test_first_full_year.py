"""The figures of the first full fiscal year: margins and growth contributions read the same year.

The first full fiscal year is the first the contract runs from its first day
(``core.schedule.first_full_fiscal_year``): the start's own fiscal year when the
contract opens it, else the next. The three growth contributions
(``growth_pp_*_year2``) are the change in deal revenue from the year before to that
year ÷ the provider's base revenue in the year before × 100. Expected values are
worked by hand below (days counted with ``datetime``; the linear ramp's cumulative
share written out; base revenues from the cited reported figures).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from core.assumptions import Assumptions
from core.deals import deal_assumptions, load_deals, unmodelled_deals
from core.model import run_model
from core.schedule import first_full_fiscal_year, fiscal_year_of
from core.simulation import default_distributions, simulate

GROWTH = ("growth_pp_straight_year2", "growth_pp_ramp_year2", "growth_pp_gap_year2")

#: AWS's FY2025 revenue, US$ bn (Amazon release 2026-02-05), the base year of the default inputs;
#: its growth is FY2025 over FY2024 ($107.6B), held (rounded to 10 decimals as the baseline rounds).
AWS_2025 = 128.7
AWS_GROWTH = round(128.7 / 107.6 - 1, 10)
AWS_2026 = AWS_2025 * (1 + AWS_GROWTH)


def _days(first: dt.date, after_last: dt.date) -> int:
    return (after_last - first).days


def _linear_f(x: float, x_f: float) -> float:
    """The linear ramp from 0 (initial rate 0) to full at x_f: the density's integral, normalised."""
    norm = x_f / 2 + (1 - x_f)
    return (x * x / (2 * x_f) if x < x_f else x_f / 2 + (x - x_f)) / norm


def _growth(o: dict) -> tuple[float, float, float]:
    return tuple(o[name] for name in GROWTH)  # type: ignore[return-value]


def test_the_reference_deal_reads_fiscal_2026_against_fiscal_2025_by_hand():
    # AWS–OpenAI: $38B from 2025-11-03 for 2,557 days; FY2025 (calendar) holds days 0..58, FY2026
    # days 59..423. Its first full year is FY2026, measured against AWS's FY2025 $128.7B.
    o = run_model(Assumptions()).outputs
    total = 2557
    x1, x2 = 59 / total, (59 + 365) / total
    x_f = _days(dt.date(2025, 11, 3), dt.date(2026, 12, 31)) / total  # full run-rate on 2026-12-31
    straight = (38 * 365 / total - 38 * 59 / total) / AWS_2025 * 100
    ramp_2025 = 38 * 0.925 * _linear_f(x1, x_f)
    ramp_2026 = 38 * 0.925 * (_linear_f(x2, x_f) - _linear_f(x1, x_f))
    ramp = (ramp_2026 - ramp_2025) / AWS_2025 * 100
    assert o["growth_pp_straight_year2"] == pytest.approx(straight, rel=1e-12)
    assert o["growth_pp_ramp_year2"] == pytest.approx(ramp, rel=1e-12)
    assert o["growth_pp_gap_year2"] == pytest.approx(straight - ramp, rel=1e-12)
    assert o["growth_pp_gap_year2"] > 0  # the brief: the straight line overstates AWS's growth


_LIBRARY = [name for name in load_deals()["deal"] if name not in set(unmodelled_deals()["deal"])]


@pytest.mark.parametrize("name", _LIBRARY)
def test_a_library_deal_starting_inside_a_fiscal_year_keeps_its_fiscal_year_2_growth(name):
    # Rule: for a contract that starts inside a fiscal year the first full year is fiscal year 2, so
    # the three figures are exactly the straight-line-vs-ramp table's second row (what they always
    # were); for one that opens its fiscal year they are the first row's.
    a = deal_assumptions(name)
    run = run_model(a)
    gap = run.tables["gap"]
    own = fiscal_year_of(a.start_date, a.fiscal_year_end)
    opens = first_full_fiscal_year(a.start_date, a.fiscal_year_end) == own
    row = gap.iloc[0 if opens else 1]
    assert _growth(run.outputs) == (row["growth_pp_straight"], row["growth_pp_ramp"], row["growth_pp_gap"])
    # The first two fiscal years' revenue stays the schedule's first two years either way.
    assert (run.outputs["straight_year1"], run.outputs["straight_year2"]) == tuple(gap["straight"].iloc[:2])


def test_three_library_deals_open_their_fiscal_year():
    # A contract opens its fiscal year when it starts on the 1st of the month after the year-end month
    # (core/data/deals.csv: 2026-01-01 and 2027-01-01 starts on December years; Oracle's 2027-01-01 is
    # inside its June–May year). For these three the first full year is the start's own.
    opening = [
        name
        for name in _LIBRARY
        if (a := deal_assumptions(name)).start_date.day == 1
        and a.start_date.month == a.fiscal_year_end % 12 + 1
    ]
    assert opening == ["AWS–OpenAI expansion", "Microsoft–Nscale", "Google–Anthropic (May-26)"]
    for name in _LIBRARY:
        a = deal_assumptions(name)
        own = fiscal_year_of(a.start_date, a.fiscal_year_end)
        assert first_full_fiscal_year(a.start_date, a.fiscal_year_end) == own + (name not in opening), name


def test_google_anthropic_may26_overstates_growth_in_fiscal_2027_by_hand():
    # $200B over 5 years from 2027-01-01 (2,027-01-01..2031-12-31: 1,826 days, 2028 leap), the first day
    # of Alphabet's FY2027: the straight line books 365 days at once in FY2027 against a ramp that reaches
    # full rate 423 days in (2028-02-28), both measured against Google Cloud's FY2026 baseline: FY2025's
    # $58.705B (10-K segment table) grown a year at FY2025's growth over FY2024's $43.229B.
    a = deal_assumptions("Google–Anthropic (May-26)")
    assert (a.contract_value, a.term_years, a.fiscal_year_end, a.delay_quarters) == (200, 5, 12, 0)
    assert (a.start_date, a.full_at) == (dt.date(2027, 1, 1), dt.date(2028, 2, 28))
    assert (a.profile, a.initial_rate, a.realisation) == ("linear", 0.0, 0.925)
    assert (a.base_revenue, a.base_year) == (58.705, 2025)
    assert a.base_growth == round(58.705 / 43.229 - 1, 10)
    total = _days(dt.date(2027, 1, 1), dt.date(2032, 1, 1))
    assert total == 1826
    base_2026 = 58.705 * (1 + round(58.705 / 43.229 - 1, 10))
    straight_2027 = 200 * 365 / total
    ramp_2027 = 200 * 0.925 * _linear_f(365 / total, 423 / total)
    straight = straight_2027 / base_2026 * 100  # FY2026 earns nothing
    ramp = ramp_2027 / base_2026 * 100
    o = run_model(a).outputs
    assert o["growth_pp_straight_year2"] == pytest.approx(straight, rel=1e-12)
    assert o["growth_pp_ramp_year2"] == pytest.approx(ramp, rel=1e-12)
    assert o["growth_pp_gap_year2"] == pytest.approx(straight - ramp, rel=1e-12)
    assert o["growth_pp_gap_year2"] == pytest.approx(27.51, abs=0.005)  # 50.15 − 22.63 points
    # The Monte Carlo asks the same year: no longer "0% overstated" (FY2028 against FY2027 was).
    draws = simulate(a, default_distributions(a), draws=2_000, seed=1, outputs=["growth_pp_gap_year2"])
    assert draws.probability("growth_pp_gap_year2", above=1.0) > 0.9


# --------------------------------------------------------------------------- boundaries


@pytest.mark.parametrize(
    ("start", "fye", "full", "full_year_days", "year_before_days", "base_before"),
    [
        # On the fiscal year's first day: that year is the first full one, the year before earns nothing.
        (dt.date(2026, 1, 1), 12, 2026, 365, 0, AWS_2025),
        (dt.date(2025, 7, 1), 6, 2026, 365, 0, AWS_2025),
        # One day later: the next year is, measured from the start's year (364 days of it).
        (dt.date(2026, 1, 2), 12, 2027, 365, 364, AWS_2026),
        (dt.date(2025, 7, 2), 6, 2027, 365, 364, AWS_2026),
    ],
)
def test_the_first_full_year_turns_on_the_fiscal_years_first_day(
    start, fye, full, full_year_days, year_before_days, base_before
):
    # A straight profile (the ramp is the straight line × realisation 0.925) of $38B for 7 years:
    # 2,557 days from either start (two leap days inside).
    a = Assumptions(start_date=start, fiscal_year_end=fye, profile="straight")
    total = _days(start, start.replace(year=start.year + 7))
    assert total == 2557
    assert first_full_fiscal_year(start, fye) == full
    straight = (38 * full_year_days / total - 38 * year_before_days / total) / base_before * 100
    got = _growth(run_model(a).outputs)
    assert got == pytest.approx((straight, 0.925 * straight, 0.075 * straight), rel=1e-12)


def test_a_contract_shorter_than_a_fiscal_year_that_opens_it_is_all_growth_of_that_year():
    # Six months from 2026-01-01: the whole value falls in FY2026, its first full year, against
    # AWS's FY2025 base (whatever the profile: all of it lies in that year).
    a = Assumptions(start_date=dt.date(2026, 1, 1), term_years=0.5, full_at=dt.date(2026, 3, 1))
    o = run_model(a).outputs
    straight, ramp = 38 / AWS_2025 * 100, 38 * 0.925 / AWS_2025 * 100
    assert _growth(o) == pytest.approx((straight, ramp, straight - ramp), rel=1e-12)


def test_a_contract_shorter_than_a_fiscal_year_inside_it_has_no_revenue_in_its_first_full_year():
    # Six months from 2026-02-01 end inside FY2026: the first full year FY2027 earns nothing, so each
    # contribution is minus FY2026's revenue (all of it) over AWS's FY2026 baseline.
    a = Assumptions(start_date=dt.date(2026, 2, 1), term_years=0.5, full_at=dt.date(2026, 3, 1))
    o = run_model(a).outputs
    straight, ramp = -38 / AWS_2026 * 100, -38 * 0.925 / AWS_2026 * 100
    assert _growth(o) == pytest.approx((straight, ramp, straight - ramp), rel=1e-12)
    assert o["straight_year2"] == o["ramp_year2"] == o["gap_year2"] == 0.0


def test_a_first_full_year_that_is_the_last_year_of_the_schedule():
    # One year from 2026-02-01 (365 days): FY2026 holds 334 days, FY2027 the last 31 and is both the
    # first full year and the schedule's last. From 2026-01-01 the one year is FY2026, first and last.
    late = run_model(Assumptions(start_date=dt.date(2026, 2, 1), term_years=1, profile="straight"))
    assert list(late.tables["gap"]["period"]) == ["FY2026", "FY2027"]
    straight = (38 * 31 / 365 - 38 * 334 / 365) / AWS_2026 * 100
    assert _growth(late.outputs) == pytest.approx((straight, 0.925 * straight, 0.075 * straight), rel=1e-12)
    opening = run_model(Assumptions(start_date=dt.date(2026, 1, 1), term_years=1, profile="straight"))
    assert list(opening.tables["gap"]["period"]) == ["FY2026"]
    whole = 38 / AWS_2025 * 100
    assert _growth(opening.outputs) == pytest.approx((whole, 0.925 * whole, 0.075 * whole), rel=1e-12)


@pytest.mark.parametrize(
    ("mode", "quarters", "ramp_days", "shape_days"),
    [
        # Two quarters = round(2 × 365.25 / 4) = 183 days before revenue starts.
        ("extend", 2, 365 - 183, 2557),  # the shape keeps its length: 182 of 2,557 days in FY2026
        ("forfeit", 2, 365 - 183, 2557),  # the same in the first year; the tail is lost at the end
        ("compress", 2, 365 - 183, 2557 - 183),  # the shape squeezed into 2,374 days
        ("extend", 4, 0, 2557),  # four quarters = 365 days: the whole first full year earns nothing
    ],
)
def test_a_delay_moves_the_ramp_not_the_first_full_year(mode, quarters, ramp_days, shape_days):
    # From 2026-01-01 (opening FY2026) on a straight profile: the first full year is set by the start,
    # as the margin figures' is, so it stays FY2026 however late revenue begins; the straight line
    # (no delay) books 365 of 2,557 days there.
    start = dt.date(2026, 1, 1)
    a = Assumptions(start_date=start, profile="straight", delay_quarters=quarters, delay_mode=mode)
    straight = 38 * 365 / 2557 / AWS_2025 * 100
    ramp = 38 * 0.925 * ramp_days / shape_days / AWS_2025 * 100
    o = run_model(a).outputs
    assert _growth(o) == pytest.approx((straight, ramp, straight - ramp), rel=1e-12, abs=1e-12)
    margin = run_model(a).tables["margin"].set_index("period")
    assert o["margin_bps_year2"] == margin.loc["FY2026", "change_bps"]  # the margins read that year too


def test_a_delay_of_a_contract_starting_inside_a_year_keeps_fiscal_year_2():
    # The reference deal's dates on a straight profile, two quarters late (extend): FY2025's 59 days
    # earn nothing, FY2026 earns days 183..423 (241 of 2,557); the first full year is still FY2026.
    a = Assumptions(profile="straight", delay_quarters=2, delay_mode="extend")
    straight = (38 * 365 / 2557 - 38 * 59 / 2557) / AWS_2025 * 100
    ramp = 38 * 0.925 * 241 / 2557 / AWS_2025 * 100
    assert _growth(run_model(a).outputs) == pytest.approx((straight, ramp, straight - ramp), rel=1e-12)


def test_first_full_year_margin_is_the_start_years_own_when_the_contract_opens_it():
    # Google–Anthropic (May-26) runs from 2027-01-01, the first day of Alphabet's FY2027: its first full
    # year is FY2027, not FY2028. The reference deal starts 2025-11-03: FY2026, the year after its start's.
    from core.simulation import evaluate

    google = deal_assumptions("Google–Anthropic (May-26)")
    run = run_model(google)
    margin = run.tables["margin"].set_index("period")
    assert margin.loc["FY2027", "full_year"] and margin.loc["FY2027", "contract_days"] == 365
    assert run.outputs["margin_bps_year2"] == margin.loc["FY2027", "change_bps"]
    assert run.outputs["margin_bps_year2"] != margin.loc["FY2028", "change_bps"]
    assert run.outputs["deal_margin_year2"] == margin.loc["FY2027", "deal_margin"]
    assert run.outputs["blended_margin_year2"] == margin.loc["FY2027", "blended_margin"]
    reference = run_model(Assumptions())
    ref_margin = reference.tables["margin"].set_index("period")
    assert reference.outputs["margin_bps_year2"] == ref_margin.loc["FY2026", "change_bps"]
    # The vectorised engine reads the same year, for the margins and the growth contributions.
    names = ["margin_bps_year2", "deal_margin_year2", "blended_margin_year2", *GROWTH]
    got = evaluate(google, {"realisation": np.array([google.realisation])}, outputs=names)
    for name in names:
        assert float(got[name][0]) == pytest.approx(run.outputs[name], rel=1e-12, abs=1e-12), name


# --------------------------------------------------------------------------- what a reader sees


def test_the_growth_figures_say_they_are_the_first_full_years():
    # The names stay (they are the API, as margin_bps_year2's does); labels and descriptions say the year.
    from core.model import OUTPUTS

    spec = {s.name: s for s in OUTPUTS}
    assert [spec[name].label for name in GROWTH] == [
        "Growth contribution, straight line, first full year",
        "Growth contribution, ramp, first full year",
        "Growth overstatement, first full year",
    ]
    for name in GROWTH[:2]:
        assert (
            "first full fiscal year (the first the contract runs from its first day)"
            in spec[name].description
        )
        assert "base revenue in the year before" in spec[name].description
    assert "year 2" not in " ".join(spec[name].label + spec[name].description for name in GROWTH)


def test_the_risk_question_names_the_first_full_year():
    # (The claim's verdict names the year too: tests/core/test_watch_claims.py.)
    from core.simulation import RISK_QUESTIONS

    question = next(q for q in RISK_QUESTIONS if q[1] == "growth_pp_gap_year2")
    assert question[0] == "P(straight line overstates first-full-year segment growth by more than 1 point)"
