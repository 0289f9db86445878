"""Backlog (RPO): roll-forward identity, bookings, realisation, current RPO, effect on reported backlog."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core.backlog import backlog_effect, backlog_rollforward, current_rpo, remaining_life_years
from core.schedule import contract_schedule
from core.validation import DealDeskInputError

START = dt.date(2025, 11, 3)
RAMP = {"profile": "linear", "full_at": "2026-12-31"}


def _identity_holds(r, scale: float) -> None:
    flow = r["beginning"] + r["bookings"] - r["recognised"] - r["derecognised"]
    np.testing.assert_allclose(r["ending"], flow, rtol=0, atol=1e-9 * max(1.0, scale))
    np.testing.assert_allclose(r["beginning"].iloc[1:], r["ending"].iloc[:-1].to_numpy(), atol=0)


# --------------------------------------------------------------------------- golden


def test_full_booking_puts_the_whole_38b_in_the_signing_quarter():
    # Brief item 4: booked in full, the $38B enters backlog in Amazon's Q4 2025 (December
    # year end); revenue in that quarter is the straight line's 59 of 2557 days.
    r = backlog_rollforward(38, START, 7)
    assert r.loc[0, "period"] == "FY2025Q4"
    assert r.loc[0, "bookings"] == 38
    assert r["bookings"].iloc[1:].sum() == 0
    assert r.loc[0, "recognised"] == pytest.approx(38 * 59 / 2557, abs=1e-12)
    assert r.loc[0, "ending"] == pytest.approx(38 * (1 - 59 / 2557), abs=1e-12)
    assert r["ending"].iloc[-1] == 0
    assert r["period"].iloc[-1] == "FY2032Q4"  # last contract day 2032-11-02


def test_recognised_revenue_is_the_realised_schedule():
    # DESIGN: backlog is not haircut; revenue follows the realised schedule (value × u).
    r = backlog_rollforward(38, START, 7, realisation=0.925, frequency="year", **RAMP)
    s = contract_schedule(38, START, 7, realisation=0.925, frequency="year", **RAMP)
    np.testing.assert_allclose(r["recognised"], s["revenue"], atol=0)
    assert r.loc[0, "bookings"] == 38  # the full commitment, not 38 × 0.925


def test_unused_commitment_leaves_at_contract_end_by_default():
    # Brief item 3: a 7.5% utilisation discount leaves 38 × 0.075 = 2.85 never billed;
    # it is derecognised in the period holding the last contract day (FY2032).
    r = backlog_rollforward(38, START, 7, realisation=0.925, frequency="year")
    assert r["derecognised"].iloc[:-1].sum() == 0
    assert r["derecognised"].iloc[-1] == pytest.approx(2.85, abs=1e-12)
    # Before the end the backlog holds the un-haircut commitment: 38 less revenue to date.
    assert r.loc[1, "ending"] == pytest.approx(38 - r["recognised"].iloc[:2].sum(), abs=1e-12)


def test_prorata_derecognition_follows_revenue():
    # With derecognition pro rata, each period removes (1 − u)/u of its revenue:
    # 0.10 / 0.90 = 1/9 at u = 0.9.
    r = backlog_rollforward(38, START, 7, realisation=0.9, frequency="year", derecognition="prorata")
    np.testing.assert_allclose(r["derecognised"], r["recognised"] / 9, atol=1e-12)
    assert r["derecognised"].sum() == pytest.approx(3.8, abs=1e-12)
    assert r["ending"].iloc[-1] == 0


def test_forfeited_tail_is_derecognised_too():
    # A 365-day forfeit on a straight line loses 365/2557 of the value (schedule convention);
    # that commitment never becomes revenue, so it is derecognised.
    r = backlog_rollforward(38, START, 7, frequency="year", delay_days=365, delay_mode="forfeit")
    assert r["derecognised"].sum() == pytest.approx(38 * 365 / 2557, abs=1e-9)
    assert r["ending"].iloc[-1] == 0


def test_staged_equal_tranches_build_backlog_up():
    # Brief item 4, staged: three equal tranches of 38/3 on the signing day, mid-2026 and end-2026.
    dates = ["2025-11-03", "2026-06-30", "2026-12-31"]
    r = backlog_rollforward(38, START, 7, booking="staged", tranches=dates, **RAMP)
    booked = r.set_index("period")["bookings"]
    assert booked["FY2025Q4"] == pytest.approx(38 / 3)
    assert booked["FY2026Q2"] == pytest.approx(38 / 3)
    assert booked["FY2026Q4"] == pytest.approx(38 / 3)
    assert r["bookings"].sum() == pytest.approx(38)
    assert r["ending"].max() < 38  # never the full $38B at once


def test_staged_tranches_with_amounts():
    r = backlog_rollforward(
        38, START, 7, booking="staged", tranches=[("2025-11-03", 8), ("2026-03-31", 30)], **RAMP
    )
    assert r.set_index("period")["bookings"]["FY2026Q1"] == 30


def test_current_rpo_straight_line_next_12_months():
    # At 2025-12-31 the next 12 months (2026-01-01 .. 2026-12-31) hold 365 of 2557 days.
    r = current_rpo(38, START, 7, as_of="2025-12-31")
    assert r["current"] == pytest.approx(38 * 365 / 2557, abs=1e-12)
    assert r["total"] == pytest.approx(38 * (1 - 59 / 2557), abs=1e-12)
    assert r["noncurrent"] == pytest.approx(r["total"] - r["current"], abs=1e-12)


def test_current_rpo_total_matches_the_rollforward_at_quarter_ends():
    kwargs = {"realisation": 0.925, "delay_days": 90, **RAMP}
    roll = backlog_rollforward(38, START, 7, **kwargs)
    for row in roll.iloc[[0, 3, 10, len(roll) - 1]].itertuples():
        assert current_rpo(38, START, 7, as_of=row.end, **kwargs)["total"] == pytest.approx(
            row.ending, abs=1e-9
        )


def test_current_rpo_under_a_ramp_is_smaller_than_the_straight_line():
    # Brief item 1 meets item 4: the ramp puts less of the backlog in the next 12 months.
    ramp = current_rpo(38, START, 7, as_of="2025-12-31", **RAMP)
    straight = current_rpo(38, START, 7, as_of="2025-12-31")
    assert ramp["current"] < straight["current"]
    assert ramp["total"] > straight["total"]


def test_current_rpo_before_a_tranche_excludes_it():
    dates = ["2025-11-03", "2026-06-30"]
    r = current_rpo(38, START, 7, as_of="2025-12-31", booking="staged", tranches=dates, **RAMP)
    assert r["total"] < 19


def test_backlog_effect_aws_q3_2025():
    # FACTS: AWS backlog $200B (Q3 2025, excluding October deals); + $38B = $238B, +19%.
    e = backlog_effect(200, 38)
    assert e["new_backlog"] == 238
    assert e["increase"] == 38
    assert e["increase_fraction"] == pytest.approx(0.19, abs=1e-12)


def test_backlog_effect_concentration_matches_facts():
    # FACTS (FT/Jefferies): OpenAI ≈ 16% of Amazon's backlog; $38B of the $238B is 15.97%.
    assert backlog_effect(200, 38)["share_of_new"] == pytest.approx(0.16, abs=0.005)


def test_remaining_life_straight_line_by_hand():
    # Before the first day all 2557 days remain: on average 2557 / 2 = 1278.5 days away.
    assert remaining_life_years(38, START, 7, as_of="2025-11-02") == pytest.approx(1278.5 / 365.25)
    # At 2025-12-31, 2498 days remain: 1249 days on average (3.42 years; AWS's whole
    # backlog carried 4.1 years at Q1 2025, FACTS).
    assert remaining_life_years(38, START, 7, as_of="2025-12-31") == pytest.approx(1249 / 365.25)
    assert remaining_life_years(38, START, 7, as_of="2032-11-02") is None
    assert remaining_life_years(0, START, 7, as_of="2025-12-31") is None


def test_remaining_life_is_longer_under_a_ramp_and_a_delay():
    straight = remaining_life_years(38, START, 7, as_of="2025-12-31")
    assert remaining_life_years(38, START, 7, as_of="2025-12-31", **RAMP) > straight
    # Extending by a year before anything is earned shifts a straight line's life by a year.
    late = remaining_life_years(38, START, 7, as_of="2025-11-02", delay_days=365)
    assert late == pytest.approx((365 + 1278.5) / 365.25)


def test_remaining_life_needs_a_date():
    with pytest.raises(DealDeskInputError, match="as_of must be a date"):
        remaining_life_years(38, START, 7, as_of=None)


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"booking": "monthly"}, "booking must be one of 'full', 'staged'"),
        ({"booking": "staged"}, "booking='staged' needs tranches"),
        ({"tranches": ["2025-11-03"]}, "tranches is only used with booking='staged'"),
        (
            {"booking": "staged", "tranches": [("2025-11-03", 10)]},
            "tranches amounts must add up to value 38, got 10",
        ),
        ({"booking": "staged", "tranches": ["2025-01-01"]}, "tranches dates must fall within the contract"),
        ({"booking": "staged", "tranches": ["2030-01-01"]}, "tranches book less than the revenue recognised"),
        ({"derecognition": "never"}, "derecognition must be one of 'end', 'prorata'"),
        ({"realisation": 92.5}, "realisation must be a fraction"),
    ],
)
def test_bad_inputs_name_the_argument(kwargs, message):
    with pytest.raises(DealDeskInputError, match=message):
        backlog_rollforward(38, START, 7, **kwargs)


def test_backlog_effect_errors():
    with pytest.raises(DealDeskInputError, match="reported_backlog must be a number > 0"):
        backlog_effect(0, 38)
    with pytest.raises(DealDeskInputError, match="added_backlog must leave a positive backlog"):
        backlog_effect(200, -250)


def test_current_rpo_needs_as_of_a_date():
    with pytest.raises(DealDeskInputError, match="as_of must be a date"):
        current_rpo(38, START, 7, as_of="next year")


# --------------------------------------------------------------------------- properties

contracts = st.fixed_dictionaries(
    {
        "value": st.floats(0.0, 500.0),
        "term_years": st.integers(1, 10),
        "realisation": st.floats(0.0, 1.0),
        "delay_days": st.integers(0, 300),  # shorter than the shortest term (compress)
        "delay_mode": st.sampled_from(["extend", "compress", "forfeit"]),
        "derecognition": st.sampled_from(["end", "prorata"]),
        "frequency": st.sampled_from(["month", "quarter", "year"]),
        "fiscal_year_end": st.integers(1, 12),
    }
)


SUBNORMAL = {
    "term_years": 1,
    "realisation": 5e-324,
    "delay_days": 0,
    "delay_mode": "extend",
    "derecognition": "prorata",
    "frequency": "month",
    "fiscal_year_end": 1,
}


@settings(max_examples=40, deadline=None)
@given(c=contracts)
# Found by this property: prorata derecognition divided by a subnormal revenue total, which
# left 0.5 in backlog (6.5) or raised a tranche error on a full booking (5.5).
@example(c={"value": 6.5, **SUBNORMAL})
@example(c={"value": 5.5, **SUBNORMAL})
def test_rollforward_identity_and_full_run_off(c):
    r = backlog_rollforward(c.pop("value"), START, c.pop("term_years"), **c)
    scale = float(r["bookings"].sum())
    _identity_holds(r, scale)
    assert r["ending"].iloc[-1] == 0
    assert (r["ending"] >= 0).all()
    # Everything booked leaves as revenue or derecognition.
    assert r["recognised"].sum() + r["derecognised"].sum() == pytest.approx(scale, abs=1e-9 * max(1, scale))


@settings(max_examples=25, deadline=None)
@given(scale=st.floats(0.01, 100.0), u=st.floats(0.5, 1.0))
def test_scaling_the_contract_scales_backlog_linearly(scale, u):
    one = backlog_rollforward(38, START, 7, realisation=u, **RAMP)
    many = backlog_rollforward(38 * scale, START, 7, realisation=u, **RAMP)
    cols = ["beginning", "bookings", "recognised", "derecognised", "ending"]
    np.testing.assert_allclose(many[cols].to_numpy(), scale * one[cols].to_numpy(), rtol=1e-9, atol=1e-9)
    a = current_rpo(38, START, 7, as_of="2026-06-30", realisation=u, **RAMP)
    b = current_rpo(38 * scale, START, 7, as_of="2026-06-30", realisation=u, **RAMP)
    assert b["current"] == pytest.approx(scale * a["current"], rel=1e-9)


@settings(max_examples=25, deadline=None)
@given(days=st.integers(0, 2700), u=st.floats(0.0, 1.0))
def test_current_rpo_splits_the_total(days, u):
    r = current_rpo(38, START, 7, as_of=START + dt.timedelta(days=days), realisation=u, **RAMP)
    assert 0 <= r["current"] <= r["total"] + 1e-12
    assert r["current"] + r["noncurrent"] == pytest.approx(r["total"], abs=1e-12)


@settings(max_examples=25, deadline=None)
@given(scale=st.floats(0.01, 100.0), days=st.integers(-30, 2500))
def test_remaining_life_does_not_depend_on_the_amount(scale, days):
    as_of = START + dt.timedelta(days=days)
    one = remaining_life_years(38, START, 7, as_of=as_of, **RAMP)
    many = remaining_life_years(38 * scale, START, 7, as_of=as_of, **RAMP)
    assert many == pytest.approx(one, rel=1e-9)
    assert 0 < one <= 7


# --------------------------------------------------------------------------- rules at their boundaries


def test_prorata_with_a_subnormal_realisation_still_runs_off_to_zero():
    # Rule: the unused commitment leaves backlog in proportion to the contract's revenue
    # shape, whatever u > 0; 5e-324 is the smallest positive float.
    for value in (6.5, 5.5):
        r = backlog_rollforward(value, START, 1, **{k: v for k, v in SUBNORMAL.items() if k != "term_years"})
        assert r["ending"].iloc[-1] == 0
        assert r["derecognised"].sum() == pytest.approx(value, abs=1e-12)
        # Straight line, 365 days from 2025-11-03; fiscal months end in January: the first
        # period (Nov 3-30) holds 28 of the 365 days.
        assert r.loc[0, "derecognised"] == pytest.approx(value * 28 / 365, rel=1e-12)


def test_tranche_dates_must_fall_within_the_contract():
    # Rule: tranches book between the start and the last contract day (2032-11-02 for seven
    # years from 2025-11-03); the last day itself is allowed, the day after is refused.
    # (The last day's revenue is 38/2557 = 0.0149, more than the 0.01 booked on it.)
    r = backlog_rollforward(38, START, 7, booking="staged", tranches=[(START, 37.99), ("2032-11-02", 0.01)])
    assert r["bookings"].iloc[-1] == pytest.approx(0.01, abs=1e-15)
    with pytest.raises(
        DealDeskInputError,
        match=r"tranches dates must fall within the contract, 2025-11-03 to 2032-11-02; got 2032-11-03",
    ):
        backlog_rollforward(38, START, 7, booking="staged", tranches=[(START, 37.99), ("2032-11-03", 0.01)])
    with pytest.raises(DealDeskInputError, match=r"got 2025-11-02"):
        backlog_rollforward(38, START, 7, booking="staged", tranches=[("2025-11-02", 38)])


def test_current_rpo_prorata_derecognises_in_step_with_revenue():
    # Rule: with derecognition="prorata", the unused 10% leaves backlog at the same pace as
    # revenue. After 365 of 2557 straight-line days: revenue 34.2 × 365/2557 and
    # derecognition 3.8 × 365/2557, so backlog = 38 × (1 − 365/2557); the next 12 months
    # hold the contractual 38 × 365/2557 (2026-11-02 to 2027-11-02 is 365 days).
    r = current_rpo(38, START, 7, as_of="2026-11-02", realisation=0.9, derecognition="prorata")
    assert r["total"] == pytest.approx(38 * (1 - 365 / 2557), rel=1e-12)
    assert r["current"] == pytest.approx(38 * 365 / 2557, rel=1e-12)
    # With the default "end" rule nothing is derecognised yet.
    e = current_rpo(38, START, 7, as_of="2026-11-02", realisation=0.9)
    assert e["total"] == pytest.approx(38 - 34.2 * 365 / 2557, rel=1e-12)


def test_current_rpo_derecognises_the_unused_part_on_the_last_day():
    # Rule: with derecognition="end" the unused commitment lapses on the last contract day
    # (t = horizon, a ">=" test): nothing is left that evening, while the day before still
    # holds the unused 3.8 plus one day of revenue.
    last = current_rpo(38, START, 7, as_of="2032-11-02", realisation=0.9)
    assert last["total"] == 0
    before = current_rpo(38, START, 7, as_of="2032-11-01", realisation=0.9)
    assert before["total"] == pytest.approx(3.8 + 34.2 / 2557, rel=1e-12)


def test_backlog_effect_refuses_a_backlog_of_exactly_zero():
    # Rule: the new backlog must stay positive; -200 on 200 leaves exactly 0 (the share of
    # new backlog would divide by zero), -199.5 leaves 0.5.
    with pytest.raises(
        DealDeskInputError, match=r"added_backlog must leave a positive backlog \(more than -200\), got -200"
    ):
        backlog_effect(200, -200)
    assert backlog_effect(200, -199.5)["new_backlog"] == 0.5


def test_tranche_amounts_must_add_up_to_the_value():
    # Rule: tranches add up to the value within 1e-6 x max(1, value); 37.99 of 38 is refused.
    with pytest.raises(DealDeskInputError, match=r"^tranches amounts must add up to value 38, got 37.99$"):
        backlog_rollforward(38, START, 7, booking="staged", tranches=[(START, 30), ("2026-01-01", 7.99)])
    r = backlog_rollforward(38, START, 7, booking="staged", tranches=[(START, 30), ("2025-12-01", 8 - 1e-8)])
    assert r["bookings"].sum() == pytest.approx(38, abs=1e-6)
