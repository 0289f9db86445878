"""Backlog (RPO): roll-forward identity, bookings, realisation, current RPO, effect on reported backlog."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
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


@settings(max_examples=40, deadline=None)
@given(c=contracts)
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
