"""Schedule engine: golden cases from the brief and property tests of its identities."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.schedule import (
    contract_days,
    contract_end,
    contract_schedule,
    first_full_fiscal_year,
    fiscal_periods,
    near_term_overstatement,
    profile_cdf,
    profile_weights,
    straightline_gap,
)
from core.validation import DealDeskInputError

START = dt.date(2025, 11, 3)


# --------------------------------------------------------------------------- golden: the brief


def test_contract_covers_2557_days_to_the_day_before_the_anniversary():
    # 2025-11-03 .. 2032-11-02: 7 × 365 days + leap days 2028-02-29 and 2032-02-29 = 2557.
    assert contract_end(START, 7) == dt.date(2032, 11, 2)
    assert contract_days(START, 7) == 2557


def test_straight_line_by_calendar_year_is_proportional_to_days():
    # Brief item 1 / issue: $38B from 2025-11-03 over 7 years, December year end:
    # 2025 holds 59 days (Nov 3 .. Dec 31), 2028 is a leap year (366), 2032 holds 307 days
    # (Jan 1 .. Nov 2); each year earns 38 × days / 2557.
    days = {
        "FY2025": 59,
        "FY2026": 365,
        "FY2027": 365,
        "FY2028": 366,
        "FY2029": 365,
        "FY2030": 365,
        "FY2031": 365,
        "FY2032": 307,
    }
    s = contract_schedule(38, START, 7)
    assert s["period"].tolist() == list(days)
    expected = [38 * d / 2557 for d in days.values()]
    np.testing.assert_allclose(s["revenue"], expected, rtol=0, atol=1e-12)
    assert s["revenue"].sum() == pytest.approx(38, abs=1e-12)
    assert s["cumulative"].iloc[-1] == pytest.approx(38, abs=1e-12)
    # Brief: "$38B / 7 years ≈ $5.4B a year": a full 365-day year is 38 × 365/2557 = 5.424.
    assert s.loc[s["period"] == "FY2026", "revenue"].item() == pytest.approx(5.4, abs=0.05)


def test_schedule_columns_and_period_bounds():
    s = contract_schedule(38, START, 7, frequency="quarter", fiscal_year_end=6)
    assert list(s.columns) == ["period", "start", "end", "revenue", "cumulative"]
    # Microsoft-style June year end: Oct–Dec 2025 is FY2026Q2; periods run first to last calendar day.
    assert s.loc[0, ["period", "start", "end"]].tolist() == [
        "FY2026Q2",
        dt.date(2025, 10, 1),
        dt.date(2025, 12, 31),
    ]
    assert s["period"].iloc[-1] == "FY2033Q2"  # Oct–Dec 2032 holds 2032-11-02
    # First quarter holds Nov 3 .. Dec 31 = 59 days.
    assert s.loc[0, "revenue"] == pytest.approx(38 * 59 / 2557, abs=1e-12)


def test_fiscal_labels_follow_the_year_in_which_the_fiscal_year_ends():
    p = fiscal_periods("2025-07-01", "2026-06-30", frequency="year", fiscal_year_end=6)
    assert p.values.tolist() == [["FY2026", dt.date(2025, 7, 1), dt.date(2026, 6, 30)]]
    m = fiscal_periods("2025-11-03", "2026-01-05", frequency="month")
    assert m["period"].tolist() == ["2025-11", "2025-12", "2026-01"]
    q = fiscal_periods("2025-06-15", "2025-06-20", frequency="quarter", fiscal_year_end=5)
    assert q["period"].tolist() == ["FY2026Q1"]  # Oracle: FY2026 runs June 2025 – May 2026


def test_ramp_to_end_2026_books_less_than_straight_line_in_first_two_years():
    # Brief item 1: the contract ramps (full deployment by end-2026), so a straight line
    # overstates the near term. Linear ramp from 0 to full rate on 2026-12-31 (x_f = 423/2557).
    ramp = contract_schedule(38, START, 7, profile="linear", full_at="2026-12-31")
    straight = contract_schedule(38, START, 7)
    assert (ramp["revenue"].iloc[:2].to_numpy() < straight["revenue"].iloc[:2].to_numpy()).all()
    # Hand calculation, 2025: x = 59/2557, x_f = 423/2557, norm = 1 - x_f/2;
    # F(x) = x² / (2 x_f) / norm.
    x, x_f = 59 / 2557, 423 / 2557
    assert ramp.loc[0, "revenue"] == pytest.approx(38 * (x * x / (2 * x_f)) / (1 - x_f / 2), rel=1e-12)
    # FY2025 + FY2026 end on contract day 59 + 365 = 424, past x_f: on the flat part
    # F(x) = (x_f / 2 + (x - x_f)) / norm. Straight line: 38 x 424 / 2557.
    x2 = 424 / 2557
    ramp_2y = 38 * (x_f / 2 + (x2 - x_f)) / (1 - x_f / 2)
    straight_2y = 38 * x2
    gap = straightline_gap(38, START, 7, full_at="2026-12-31")
    assert gap["gap"].iloc[:2].sum() == pytest.approx(straight_2y - ramp_2y, abs=1e-12)
    over = near_term_overstatement(gap, periods=2)
    assert over["gap"] == pytest.approx(straight_2y - ramp_2y, abs=1e-12)
    assert over["ramp"] == pytest.approx(ramp_2y, abs=1e-12)
    assert over["gap_pct"] == pytest.approx((straight_2y - ramp_2y) / ramp_2y, rel=1e-12)


def test_growth_contribution_in_percentage_points():
    # Deal revenue change ÷ base revenue × 100: straight line 2026 vs 2025 with AWS 2025 revenue
    # of $128.7B (FACTS): (38 × 365/2557 − 38 × 59/2557) / 128.7 × 100.
    gap = straightline_gap(38, START, 7, full_at="2026-12-31", base_revenue=128.7)
    expected = (38 * 365 / 2557 - 38 * 59 / 2557) / 128.7 * 100
    assert gap.loc[1, "growth_pp_straight"] == pytest.approx(expected, rel=1e-12)
    assert gap.loc[1, "growth_pp_gap"] == pytest.approx(
        gap.loc[1, "growth_pp_straight"] - gap.loc[1, "growth_pp_ramp"]
    )


def test_realisation_scales_revenue():
    # Brief item 3: a 5–10% utilisation discount; u = 0.925 keeps 92.5% of $38B = $35.15B.
    s = contract_schedule(38, START, 7, profile="linear", full_at="2026-12-31", realisation=0.925)
    assert s["revenue"].sum() == pytest.approx(35.15, abs=1e-12)


def test_delay_modes():
    total = 2557
    d = 182
    extend = contract_schedule(38, START, 7, delay_days=d, delay_mode="extend", frequency="month")
    assert extend["revenue"].sum() == pytest.approx(38)
    assert extend["end"].iloc[-1] >= START + dt.timedelta(days=total + d - 1)
    compress = contract_schedule(38, START, 7, delay_days=d, delay_mode="compress")
    assert compress["revenue"].sum() == pytest.approx(38)
    forfeit = contract_schedule(38, START, 7, delay_days=d, delay_mode="forfeit")
    # Straight line keeps its length: the last d days of the shape fall past the end.
    assert forfeit["revenue"].sum() == pytest.approx(38 * (total - d) / total, rel=1e-12)
    # Nothing before day d.
    monthly = contract_schedule(38, START, 7, delay_days=d, frequency="month")
    assert monthly.loc[monthly["end"] < START + dt.timedelta(days=d), "revenue"].abs().max() == 0


def test_profile_weights_custom_and_straight():
    w = profile_weights(START, 7, profile="custom", weights=[1, 2, 3, 4, 4, 4, 4])
    np.testing.assert_allclose(w["share"], np.array([1, 2, 3, 4, 4, 4, 4]) / 22, atol=1e-12)
    assert w["contract_year"].tolist() == list(range(1, 8))
    assert w.loc[0, "end"] == dt.date(2026, 11, 2)


def test_capacity_mapping_steps_from_each_date():
    # Capacity 1 from the start, 3 from the midpoint: the second half earns 3/4 of the value.
    total = 2557
    mid = START + dt.timedelta(days=total // 2)
    cdf = profile_cdf("capacity", START, 7, capacity={START: 1, mid: 3})
    x_mid = (total // 2) / total
    assert float(cdf(np.array(x_mid))) == pytest.approx(x_mid * 1 / (x_mid * 1 + (1 - x_mid) * 3))


# --------------------------------------------------------------------------- properties

PROFILE_CASES = [
    ("straight", {}),
    ("linear", {"full_at": 0.3, "initial_rate": 0.2}),
    ("linear", {"full_at": 1.4}),
    ("scurve", {"midpoint": 0.4, "steepness": 8}),
    ("front", {"power": 2}),
    ("back", {"power": 0.5}),
    ("capacity", {"capacity": [1, 3, 5, 5]}),
]


@settings(max_examples=60, deadline=None)
@given(
    value=st.floats(0, 1e4),
    start=st.dates(dt.date(2000, 1, 1), dt.date(2060, 12, 31)),
    term_months=st.integers(1, 15 * 12),
    frequency=st.sampled_from(["month", "quarter", "year"]),
    fye=st.integers(1, 12),
    realisation=st.floats(0, 1),
    case=st.sampled_from(PROFILE_CASES),
    delay=st.integers(0, 800),
    mode=st.sampled_from(["extend", "compress", "forfeit"]),
)
def test_every_profile_sums_to_value_times_realisation(
    value, start, term_months, frequency, fye, realisation, case, delay, mode
):
    profile, params = case
    term = term_months / 12
    total = contract_days(start, term)
    if mode == "compress" and delay >= total:
        return
    s = contract_schedule(
        value,
        start,
        term,
        profile=profile,
        frequency=frequency,
        fiscal_year_end=fye,
        realisation=realisation,
        delay_days=delay,
        delay_mode=mode,
        **params,
    )
    assert (s["revenue"] >= -1e-9).all()
    if mode == "forfeit":
        kept = float(profile_cdf(profile, start, term, **params)(np.array((total - delay) / total)))
        expected = value * realisation * kept
    else:
        expected = value * realisation
    assert s["revenue"].sum() == pytest.approx(expected, rel=1e-9, abs=1e-9)
    # Periods tile the calendar: each starts the day after the previous one ends.
    assert all(
        b == a + dt.timedelta(days=1) for a, b in zip(s["end"].iloc[:-1], s["start"].iloc[1:], strict=True)
    )


@settings(max_examples=40, deadline=None)
@given(
    start=st.dates(dt.date(2000, 1, 1), dt.date(2060, 12, 31)),
    years=st.integers(1, 12),
    weights=st.lists(st.floats(0, 10), min_size=12, max_size=12).filter(lambda w: sum(w) > 0.1),
)
def test_custom_weights_sum_to_value(start, years, weights):
    w = weights[:years]
    if sum(w) <= 0:
        return
    s = contract_schedule(10, start, years, profile="custom", weights=w, frequency="quarter")
    assert s["revenue"].sum() == pytest.approx(10, rel=1e-9)


@settings(max_examples=30, deadline=None)
@given(scale=st.floats(0.01, 100))
def test_scaling_the_contract_scales_revenue(scale):
    base = contract_schedule(38, START, 7, profile="scurve", frequency="quarter")
    scaled = contract_schedule(38 * scale, START, 7, profile="scurve", frequency="quarter")
    np.testing.assert_allclose(scaled["revenue"], base["revenue"] * scale, rtol=1e-12, atol=1e-12)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"value": -1}, r"value must be a number >= 0, got -1"),
        ({"term_years": 0}, r"term_years must be a number > 0"),
        ({"profile": "hockey"}, r"profile must be one of 'straight', 'linear', 'scurve'.*got 'hockey'"),
        (
            {"profile": "custom", "weights": [0, 0, 0, 0, 0, 0, 0]},
            r"weights must be non-negative numbers with a positive sum",
        ),
        (
            {"profile": "custom", "weights": [1, 2]},
            r"weights must have 7 values \(one per contract year\), got 2",
        ),
        ({"start": "soon"}, r"start must be a date .*got 'soon'"),
        ({"frequency": "week"}, r"frequency must be one of 'month', 'quarter', 'year'; got 'week'"),
        ({"realisation": 92.5}, r"realisation must be a fraction between 0 and 1"),
        ({"delay_mode": "skip"}, r"delay_mode must be one of 'extend', 'compress', 'forfeit'"),
        ({"profile": "linear"}, r"profile 'linear' needs full_at"),
        ({"profile": "straight", "power": 2}, r"profile 'straight' does not take power"),
        ({"fiscal_year_end": 13}, r"fiscal_year_end must be a number >= 1 and <= 12, got 13"),
        (
            {"delay_days": 2557, "delay_mode": "compress"},
            r"delay must be shorter than the contract in 'compress' mode: "
            r"the contract runs 2557 days, got a delay of 2557 days \(delay_days 2557, delay_quarters 28\)$",
        ),
    ],
)
def test_bad_input_names_the_argument(kwargs, message):
    args = {"value": 38, "start": START, "term_years": 7}
    args.update(kwargs)
    value, start, term = args.pop("value"), args.pop("start"), args.pop("term_years")
    with pytest.raises(DealDeskInputError, match=message):
        contract_schedule(value, start, term, **args)


def test_result_is_a_plain_dataframe():
    s = contract_schedule(38, START, 7)
    assert isinstance(s, pd.DataFrame)
    assert s["revenue"].dtype == np.float64


def test_scurve_default_midpoint_is_half_the_term():
    # Rule: without a midpoint, the S-curve's revenue rate reaches half its peak halfway
    # through the term. The cumulative share at x is the integral of the logistic,
    # (softplus(k(x - m)) - softplus(-k m)) / (softplus(k(1 - m)) - softplus(-k m)); with
    # m = 0.5 and the default k = 10, softplus(z) - softplus(-z) = z gives at x = 0.5:
    # (ln 2 - ln(1 + e^-5)) / 5.
    import math

    cdf = profile_cdf("scurve", START, 7)
    expected = (math.log(2) - math.log1p(math.exp(-5))) / 5
    assert float(cdf(np.array([0.5]))[0]) == pytest.approx(expected, rel=1e-12)
    # Symmetry of the rate around the midpoint: the first quarter of the term earns as much
    # less than a straight line as the last quarter earns more.
    first, last = cdf(np.array([0.25, 0.75]))
    assert first - 0.25 == pytest.approx(-((1 - last) - 0.25), abs=1e-12)


def test_front_and_back_loaded_shapes_follow_the_power():
    # Rule: front F(x) = 1 - (1 - x)^(p + 1), back F(x) = x^(p + 1); default power 1.
    # Halfway: front 1 - 0.5^2 = 0.75, back 0.5^2 = 0.25; power 2: 1 - 0.5^3 = 0.875.
    half = np.array([0.5])
    assert float(profile_cdf("front", START, 7)(half)[0]) == pytest.approx(0.75, abs=1e-15)
    assert float(profile_cdf("back", START, 7)(half)[0]) == pytest.approx(0.25, abs=1e-15)
    assert float(profile_cdf("front", START, 7, power=2)(half)[0]) == pytest.approx(0.875, abs=1e-15)


def test_contracts_start_between_1900_and_2199_inclusive():
    # Rule: the start lies in 1900-01-01 .. 2199-12-31; both ends allowed, a day outside refused.
    assert contract_schedule(1, "1900-01-01", 1)["revenue"].sum() == pytest.approx(1.0)
    assert contract_schedule(1, "2199-12-31", 1)["revenue"].sum() == pytest.approx(1.0)
    for bad in ("1899-12-31", "2200-01-01"):
        with pytest.raises(
            DealDeskInputError, match=rf"^start must be a date between 1900-01-01 and 2199-12-31, got {bad}$"
        ):
            contract_schedule(1, bad, 1)


def test_a_ramp_finishing_after_the_term_never_reaches_full_rate():
    # Rule (x_f >= 1): F(x) = (r x + (1 - r) x^2 / (2 x_f)) / norm, norm = r + (1 - r) / (2 x_f).
    # Full rate at twice the term (x_f = 2), r = 0: F(x) = x^2, so F(0.5) = 0.25.
    from core.schedule import contract_end

    end = contract_end(START, 14)  # 14 years = twice the 7-year term
    full_at = end + dt.timedelta(days=1)
    cdf = profile_cdf("linear", START, 7, full_at=full_at)
    assert float(cdf(np.array([0.5]))[0]) == pytest.approx(0.25, rel=1e-3)


def test_a_midpoint_date_may_lie_one_term_either_side_and_no_further():
    # Rule: the S-curve midpoint as a date lies within [-1, 2] terms of the start: 2,557 days
    # a term, so 2 terms end 5,114 days after 2025-11-03 (2039-11-04); a day later is refused.
    limit = START + dt.timedelta(days=2 * 2557)
    assert limit == dt.date(2039, 11, 4)
    profile_cdf("scurve", START, 7, midpoint=limit)
    with pytest.raises(
        DealDeskInputError,
        match=r"^midpoint must be a date between 2018-11-03 and 2039-11-04 for this contract, got 2039-11-05$",
    ):
        profile_cdf("scurve", START, 7, midpoint=limit + dt.timedelta(days=1))


def test_capacity_steps_before_the_start_use_the_latest_level():
    # Rule: the level online on day 0 is the last step dated on or before the start. Steps
    # 1 (January) and 2 (October) before the start, 4 from day 1,000: F at day 1,000 is
    # 2 x 1000 / (2 x 1000 + 4 x 1557).
    x_k = 1000 / 2557
    cdf = profile_cdf(
        "capacity",
        START,
        7,
        capacity={"2025-01-01": 1, "2025-10-01": 2, START + dt.timedelta(days=1000): 4},
    )
    expected = 2 * x_k / (2 * x_k + 4 * (1 - x_k))
    assert float(cdf(np.array([x_k]))[0]) == pytest.approx(expected, rel=1e-12)


def test_capacity_only_after_the_end_is_refused():
    with pytest.raises(
        DealDeskInputError, match=r"^capacity must put a positive level inside the contract term$"
    ):
        profile_cdf("capacity", START, 7, capacity={"2033-01-01": 1})


def test_delays_run_up_to_100_years_of_days():
    # Rule: delay_days is a whole number from 0 to 36,500 (100 years of 365 days).
    from core.schedule import check_delay

    assert check_delay(36_500, "extend", total_days=2557) == (36_500, "extend")
    with pytest.raises(
        DealDeskInputError, match=r"^delay_days must be a number >= 0 and <= 36500, got 36501$"
    ):
        check_delay(36_501, "extend", total_days=2557)


def test_steepness_runs_from_0_01_to_500():
    profile_cdf("scurve", START, 7, steepness=500)
    profile_cdf("scurve", START, 7, steepness=0.01)
    for bad in (500.5, 0.009):
        with pytest.raises(
            DealDeskInputError, match=rf"^steepness must be a number >= 0.01 and <= 500, got {bad}$"
        ):
            profile_cdf("scurve", START, 7, steepness=bad)


def test_a_last_day_alone_in_its_period_gets_its_own_row():
    # One year from 2025-01-02 ends on 2026-01-01: January 2026 holds that one day, 1/365
    # of the value (365 over 365 days is 1 a day).
    r = contract_schedule(365, "2025-01-02", 1, frequency="month")
    assert r["period"].iloc[-1] == "2026-01"
    assert r["revenue"].iloc[-1] == pytest.approx(1.0, rel=1e-12)
    assert r["revenue"].iloc[0] == pytest.approx(30.0, rel=1e-12)  # January 2-31


@pytest.mark.parametrize(
    "profile, params",
    [
        ("straight", {}),
        ("linear", {"full_at": "2026-12-31"}),
        ("scurve", {}),
        ("front", {}),
        ("back", {}),
    ],
)
def test_a_profile_holds_still_outside_the_contract(profile, params):
    # F(x) is the share earned by contract time x: nothing before the start, everything after the end.
    cdf = profile_cdf(profile, "2025-11-03", 7, **params)
    before, start, end, after = cdf(np.array([-0.5, 0.0, 1.0, 1.5]))
    assert before == start == pytest.approx(0.0, abs=1e-12)
    assert after == end == pytest.approx(1.0, abs=1e-12)


def test_growth_points_against_a_base_revenue_below_one_billion():
    # A small provider: $0.5B of revenue before the deal. The straight line's first fiscal year
    # (59 of 2,557 days of $38B) adds 38 × 59/2557 ÷ 0.5 × 100 points of growth.
    gap = straightline_gap(38, START, 7, full_at="2026-12-31", base_revenue=0.5)
    assert gap["growth_pp_straight"].iloc[0] == pytest.approx(38 * 59 / 2557 / 0.5 * 100)
    with pytest.raises(DealDeskInputError, match=r"^base_revenue must be a number > 0, got 0$"):
        straightline_gap(38, START, 7, full_at="2026-12-31", base_revenue=0)


@pytest.mark.parametrize(
    ("start", "fye", "expected"),
    [
        # Inside a fiscal year: the next one is the first the contract runs from its first day.
        (dt.date(2025, 11, 3), 12, 2026),  # the reference deal: FY2025 is a 59-day stub
        (dt.date(2025, 1, 2), 12, 2026),  # one day late: FY2025 is a stub of 364 days
        (dt.date(2025, 12, 31), 12, 2026),
        (dt.date(2027, 1, 1), 5, 2028),  # Oracle's year runs June to May: FY2027 is Jan–May 2027
        (dt.date(2025, 7, 2), 6, 2027),  # Microsoft's June year: FY2026 starts 2025-07-01
        # On a fiscal year's first day: that year itself.
        (dt.date(2027, 1, 1), 12, 2027),  # Google–Anthropic (May-26)
        (dt.date(2026, 1, 1), 12, 2026),  # the AWS–OpenAI expansion
        (dt.date(2026, 6, 1), 5, 2027),  # June 1 opens Oracle's FY2027
        (dt.date(2025, 7, 1), 6, 2026),  # July 1 opens Microsoft's FY2026
        (dt.date(2024, 3, 1), 2, 2025),  # a February year-end in a leap year: FY2025 opens 2024-03-01
    ],
)
def test_first_full_fiscal_year_is_the_starts_own_only_from_its_first_day(start, fye, expected):
    assert first_full_fiscal_year(start, fye) == expected
