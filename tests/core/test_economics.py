"""Provider economics: hand-calculated cash flows, NPV at the IRR is zero, delays, scaling."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.economics import (
    deal_cash_flows,
    deal_economics,
    deal_returns,
    economics_summary,
    irr,
    irr_at,
    npv,
    payback_year,
)
from core.validation import DealDeskInputError

START = dt.date(2025, 11, 3)
RAMP = {"profile": "linear", "full_at": "2026-12-31"}


# --------------------------------------------------------------------------- golden


def test_seven_year_contract_on_five_year_servers_buys_them_twice_by_hand():
    # $38B straight line from 2025-11-03 to 2032-11-02 (FY2025 holds 59 of 2557 days; the last
    # revenue year is FY2032). $20B of IT capex a year ahead (2024) enters service in FY2025 on
    # Amazon's 5-year life (FY2024 10-K): 4.0 a year 2025–2029. Its life ends before the contract:
    # it is bought again for FY2030 (spent in 2029, the same one-year lead), depreciated 4.0 a year
    # in 2030, 2031 and 2032 (3 of its 5 years), and its book value left, 20 − 12 = 8, comes back in
    # FY2032. So every contract year carries 4.0 of depreciation: no fully depreciated last years.
    t = deal_cash_flows(38, START, 7, capex=20).set_index("year")
    assert list(t.index) == list(range(2024, 2033))
    assert t["capex"].to_dict() == pytest.approx({y: 20.0 if y in (2024, 2029) else 0.0 for y in t.index})
    assert t["refresh_capex"].to_dict() == pytest.approx({y: 20.0 if y == 2029 else 0.0 for y in t.index})
    np.testing.assert_allclose(t.loc[2025:2032, "depreciation"], 4.0)
    assert t["residual_value"].to_dict() == pytest.approx({y: 8.0 if y == 2032 else 0.0 for y in t.index})
    rev26, rev31 = 38 * 365 / 2557, 38 * 365 / 2557
    assert t.loc[2026, "revenue"] == pytest.approx(rev26)
    assert t.loc[2026, "tax"] == pytest.approx(0.21 * (rev26 - 4))
    assert t.loc[2026, "cash_flow"] == pytest.approx(rev26 - 0.21 * (rev26 - 4))
    # FY2031, a full year six years in: the margin is (revenue − 4) ÷ revenue, not 100%.
    assert t.loc[2031, "deal_margin"] == pytest.approx((rev31 - 4) / rev31)
    # FY2024 only spends (no revenue, no depreciation yet): its margin is 0, not 0 ÷ 0.
    assert (t.loc[2024, "revenue"], t.loc[2024, "deal_margin"]) == (0.0, 0.0)
    rev25 = 38 * 59 / 2557
    assert t.loc[2025, "tax"] == pytest.approx(0.21 * (rev25 - 4)) and t.loc[2025, "tax"] < 0
    # 2029 pays for the refresh: revenue − tax − 20.
    rev29 = 38 * 365 / 2557
    assert t.loc[2029, "cash_flow"] == pytest.approx(rev29 - 0.21 * (rev29 - 4) - 20)
    # Whole life: revenue − tax on (revenue − 32 depreciated) − 40 of capex + 8 back
    # = 38 − 0.21 × 6 − 40 + 8 = 4.74.
    assert t["cash_flow"].sum() == pytest.approx(38 - 0.21 * (38 - 32) - 40 + 8)
    assert t["cumulative_cash_flow"].iloc[-1] == pytest.approx(4.74)


def test_extending_the_server_life_instead_spreads_the_same_capex_over_the_contract():
    # The same deal running its servers 3 years longer: 5 + 3 = 8 years, FY2025 to FY2032 exactly:
    # 20 ÷ 8 = 2.5 a year in every contract year, no refresh and nothing left at the end;
    # whole life 38 − 0.21 × (38 − 20) − 20 = 14.22.
    t = deal_cash_flows(38, START, 7, capex=20, life_extension_years=3).set_index("year")
    np.testing.assert_allclose(t.loc[2025:2032, "depreciation"], 2.5)
    assert t["refresh_capex"].sum() == 0 and t["residual_value"].sum() == 0
    assert t["cash_flow"].sum() == pytest.approx(38 - 0.21 * (38 - 20) - 20)
    # Two years longer (7): FY2025–FY2031 at 20 ÷ 7 a year, still short of FY2032, which is bought
    # again (spent 2031) and depreciated 20 ÷ 7 in FY2032; 20 − 20 ÷ 7 comes back.
    t = deal_cash_flows(38, START, 7, capex=20, life_extension_years=2).set_index("year")
    np.testing.assert_allclose(t.loc[2025:2032, "depreciation"], 20 / 7)
    assert t.loc[2031, "refresh_capex"] == pytest.approx(20)
    assert t.loc[2032, "residual_value"] == pytest.approx(20 - 20 / 7)
    with pytest.raises(
        DealDeskInputError, match=r"^life_extension_years must be a number >= 0 and <= 50, got -1$"
    ):
        deal_cash_flows(38, START, 7, capex=20, life_extension_years=-1)


def test_a_replacement_is_replaced_in_turn():
    # 10 years on a 4-year life: in service FY2025, bought again for FY2029 and FY2033 (both inside
    # the contract to FY2035), so three purchases; the last depreciated 2033–2035 (3 of 4), 1/4 back.
    t = deal_cash_flows(38, START, 10, capex=8, useful_life_years=4).set_index("year")
    assert t["refresh_capex"].to_dict() == pytest.approx(
        {y: 8.0 if y in (2028, 2032) else 0.0 for y in t.index}
    )
    np.testing.assert_allclose(t.loc[2025:2035, "depreciation"], 2.0)
    assert t.loc[2035, "residual_value"] == pytest.approx(2.0)
    # A contract that ends with the life buys nothing again: 4 years from 2025-11-03 end in FY2029,
    # the fifth year of the fiscal calendar, so one refresh; 3 years end in FY2028: none.
    assert deal_cash_flows(38, START, 3, capex=8, useful_life_years=4)["refresh_capex"].sum() == 0
    assert deal_cash_flows(38, START, 4, capex=8, useful_life_years=4)[
        "refresh_capex"
    ].sum() == pytest.approx(8)


def test_opex_shares_and_operating_profit():
    t = deal_cash_flows(38, START, 7, capex=20, power_cost_share=0.05, other_opex_share=0.10)
    np.testing.assert_allclose(t["power_cost"], 0.05 * t["revenue"])
    np.testing.assert_allclose(t["other_opex"], 0.10 * t["revenue"])
    np.testing.assert_allclose(
        t["operating_profit"], t["revenue"] - t["depreciation"] - t["power_cost"] - t["other_opex"]
    )
    # Whole life (the refresh as above): 38 × 0.85 − 0.21 × (38 × 0.85 − 32) − 40 + 8.
    assert t["cash_flow"].sum() == pytest.approx(38 * 0.85 - 0.21 * (38 * 0.85 - 32) - 40 + 8)


def test_ramp_spreads_capex_ahead_of_the_build():
    # Capacity follows the run-rate; under the ramp to end-2026 most capex buys 2026's capacity,
    # spent in 2025 with a one-year lead; all of it before 2027.
    t = deal_cash_flows(38, START, 7, capex=20, **RAMP).set_index("year")
    assert t.loc[2025, "capex"] > t.loc[2024, "capex"] > 0
    assert t.loc[2024:2026, "capex"].sum() == pytest.approx(20)


def test_summary_hand_calc_npv_and_payback():
    # Servers that last the contract (5 + 3 years, no refresh): capex in 2024, revenue after.
    table, s = deal_economics(38, START, 7, capex=20, discount_rate=0.09, life_extension_years=3)
    flows = table["cash_flow"].to_numpy()
    # NPV at the contract start (2025-11-03): each year's flow dated at 31 December; the 2024
    # capex is compounded forward 307 days.
    taus = [(dt.date(int(y), 12, 31) - START).days / 365.25 for y in table["year"]]
    assert s["npv"] == pytest.approx(sum(f * 1.09**-tau for f, tau in zip(flows, taus, strict=True)))
    assert taus[0] == pytest.approx(-307 / 365.25)
    # Cumulative cash by hand: −20 in 2024, then revenue less tax on (revenue − 2.5) each year.
    revenue = [0.0] + [38 * d / 2557 for d in (59, 365, 365, 366, 365, 365, 365, 307)]
    cumulative = np.cumsum([r - 0.21 * (r - 2.5) if r else -20.0 for r in revenue])
    assert flows == pytest.approx(np.diff(cumulative, prepend=0.0))
    first_paid = next(y for y, c in zip(table["year"], cumulative, strict=True) if c >= 0)
    assert s["payback_year"] == first_paid == 2029
    # The IRR is dated like the NPV: the flows discounted by actual days ÷ 365.25 sum to nothing.
    assert sum(f * (1 + s["irr"]) ** -tau for f, tau in zip(flows, taus, strict=True)) == pytest.approx(
        0.0, abs=1e-9
    )
    assert s["total_cash_flow"] == pytest.approx(14.22)


def test_residual_value_is_the_book_value_left_at_the_end():
    # $20B of IT capex a year ahead of a 3-year straight-line contract on a 5-year life: in
    # service FY2025, depreciated 4.0 a year through FY2028 (the last revenue year, as the
    # contract runs 2025-11-03..2028-11-02), leaving 20 − 4 × 4 = 4.0 as residual value.
    t = deal_cash_flows(38, START, 3, capex=20).set_index("year")
    assert list(t.index) == [2024, 2025, 2026, 2027, 2028]
    assert t.loc[2025:2028, "depreciation"].tolist() == pytest.approx([4.0] * 4)
    assert t["residual_value"].tolist() == pytest.approx([0, 0, 0, 0, 4.0])
    # No profit or tax on it: operating profit is revenue less depreciation only.
    assert t["operating_profit"].sum() == pytest.approx(38 - 16)


def test_facility_capex_depreciates_over_its_own_life():
    # $15B facility on a 15-year life: 1.0 a year from FY2025 while the 7-year contract runs.
    t = deal_cash_flows(38, START, 7, capex=0.0, facility_capex=15.0).set_index("year")
    assert t.loc[2025:2032, "depreciation"].tolist() == pytest.approx([1.0] * 8)
    assert t.loc[2032, "residual_value"] == pytest.approx(15 - 8)


def test_committed_capex_lands_on_plan_despite_a_delay():
    # Straight line, 365 days' delay (extend): revenue starts on 2026-11-03, so FY2026 earns 59
    # days at the full rate over its 365 and FY2027 runs at full rate. With every dollar
    # committed the capex stays in 2024 (a year ahead of FY2025, when the plan runs at full
    # rate); with none it follows the delayed capacity: 59/365 of it for FY2026 (spent 2025),
    # the rest for FY2027 (spent 2026), and depreciation starts with it.
    on_plan = deal_cash_flows(38, START, 7, capex=20, delay_days=365, committed_capex_share=1.0)
    waits = deal_cash_flows(38, START, 7, capex=20, delay_days=365, committed_capex_share=0.0)
    on, w = on_plan.set_index("year"), waits.set_index("year")
    assert on.loc[2024, "capex"] == pytest.approx(20) and w.loc[2024, "capex"] == pytest.approx(0)
    assert w.loc[2025, "capex"] == pytest.approx(20 * 59 / 365)
    assert w.loc[2026, "capex"] == pytest.approx(20 * 306 / 365)
    # Both buy their servers again when the 5-year life ends before the (extended) contract does.
    assert w["capex"].sum() - w["refresh_capex"].sum() == pytest.approx(20)
    assert on.loc[2029, "refresh_capex"] == pytest.approx(20)
    assert on.loc[2025, "depreciation"] == pytest.approx(4.0) and w.loc[2025, "depreciation"] == 0
    # Depreciation before revenue: the delay hurts margin in FY2025, not only timing.
    assert on.loc[2025, "operating_profit"] < w.loc[2025, "operating_profit"]


def test_deal_returns_is_the_summary_alone():
    _, summary = deal_economics(38, START, 7, capex=20, discount_rate=0.09, tax_rate=0.25, **RAMP)
    assert deal_returns(38, START, 7, capex=20, discount_rate=0.09, tax_rate=0.25, **RAMP) == summary


def test_delivery_delay_moves_revenue_not_capex():
    # SEED_BRIEF item 6: "revenue slips, capex and depreciation still land".
    base = deal_cash_flows(38, START, 7, capex=20, **RAMP)
    late = deal_cash_flows(38, START, 7, capex=20, delay_days=182, **RAMP)
    np.testing.assert_allclose(base["capex"], late["capex"].iloc[: len(base)])
    np.testing.assert_allclose(base["depreciation"], late["depreciation"].iloc[: len(base)])
    assert late["revenue"].iloc[:3].sum() < base["revenue"].iloc[:3].sum()
    assert late["revenue"].sum() == pytest.approx(38)  # extend keeps the value
    assert (
        economics_summary(late, discount_rate=0.09)["npv"]
        < economics_summary(base, discount_rate=0.09)["npv"]
    )


def test_utilisation_discount_cuts_revenue_not_capex():
    # SEED_BRIEF item 3: a 5–10% utilisation discount; capex is sized for the contract.
    full = deal_cash_flows(38, START, 7, capex=20)
    used = deal_cash_flows(38, START, 7, capex=20, realisation=0.9)
    assert used["revenue"].sum() == pytest.approx(34.2)
    np.testing.assert_allclose(full["capex"], used["capex"])


def test_npv_irr_helpers():
    # −100 now, +60 in each of two years at 10%: −100 + 54.545 + 49.587 = 4.132.
    assert npv(0.10, [-100, 60, 60]) == pytest.approx(-100 + 60 / 1.1 + 60 / 1.21)
    assert npv(0.10, [-100, 60, 60]) == pytest.approx(4.1322, abs=1e-4)
    assert irr([10, 20]) is None
    assert irr([-10, -20]) is None
    # Zero and rounding-noise flows at the ends do not change the IRR (nor break the root finder).
    assert irr([0, -1.0, 5.75, 14.27, 3.5e-174]) == pytest.approx(irr([-1.0, 5.75, 14.27]))


def test_no_payback_when_capex_is_never_recovered():
    table, s = deal_economics(38, START, 7, capex=60, discount_rate=0.09)
    assert s["payback_year"] is None
    assert s["npv"] < 0
    assert payback_year(table) is None


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"capex": -1}, "capex must be a number >= 0, got -1"),
        ({"capex": 20, "tax_rate": 21}, "tax_rate must be a fraction"),
        ({"capex": 20, "useful_life_years": 0}, "useful_life_years must be a number > 0"),
        ({"capex": 20, "lead_years": 11}, "lead_years must be a number >= 0 and <= 10"),
        ({"capex": 20, "power_cost_share": 1.5}, "power_cost_share must be a fraction"),
        ({"capex": 20, "profile": "zigzag"}, "profile must be one of"),
    ],
)
def test_bad_economics_inputs(kwargs, message):
    with pytest.raises(DealDeskInputError, match=message):
        deal_cash_flows(38, START, 7, **kwargs)


def test_bad_value_and_discount_rate():
    with pytest.raises(DealDeskInputError, match="value must be a number > 0, got 0"):
        deal_cash_flows(0, START, 7, capex=20)
    with pytest.raises(DealDeskInputError, match="discount_rate must be a fraction"):
        deal_economics(38, START, 7, capex=20, discount_rate=9)


# --------------------------------------------------------------------------- properties

deals = st.fixed_dictionaries(
    {
        "capex_ratio": st.floats(0.1, 0.9),
        "term_years": st.integers(3, 10),
        "lead_years": st.floats(0.0, 3.0),
        "useful_life_years": st.floats(1.0, 8.0),
        "tax_rate": st.floats(0.0, 0.4),
        "power_cost_share": st.floats(0.0, 0.2),
        "realisation": st.floats(0.8, 1.0),
        "delay_days": st.integers(0, 365),
    }
)


@settings(max_examples=40, deadline=None)
@given(d=deals)
def test_npv_at_the_irr_is_zero(d):
    # Servers lasting the contract (no refresh): capex first, positive flows later, one sign change.
    term = d.pop("term_years")
    d["useful_life_years"] = max(d["useful_life_years"], term + 2.0)
    t = deal_cash_flows(38, START, term, capex=38 * d.pop("capex_ratio"), **d, **RAMP)
    flows = t["cash_flow"].to_numpy()
    rate = irr(flows)
    assert rate is not None
    assert npv(rate, flows) == pytest.approx(0.0, abs=1e-6 * np.abs(flows).sum())


@settings(max_examples=25, deadline=None)
@given(k=st.floats(0.01, 100.0), d=deals)
def test_scaling_value_and_capex_scales_cash_flows(k, d):
    term, ratio = d.pop("term_years"), d.pop("capex_ratio")
    one = deal_cash_flows(38, START, term, capex=38 * ratio, **d)
    many = deal_cash_flows(38 * k, START, term, capex=38 * k * ratio, **d)
    cols = ["revenue", "capex", "depreciation", "tax", "cash_flow"]
    np.testing.assert_allclose(many[cols].to_numpy(), k * one[cols].to_numpy(), rtol=1e-9, atol=1e-9)
    assert irr(many["cash_flow"]) == pytest.approx(irr(one["cash_flow"]), abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(d=deals)
def test_every_dollar_of_capex_is_depreciated_once(d):
    # Inside the contract, or carried out at the end as residual value (net book value).
    t = deal_cash_flows(38, START, d.pop("term_years"), capex=38 * d.pop("capex_ratio"), **d, **RAMP)
    assert t["depreciation"].sum() + t["residual_value"].sum() == pytest.approx(t["capex"].sum(), rel=1e-9)


def test_lifetime_margin_of_a_small_contract_and_of_none():
    # Any revenue above 0 has a margin: $0.5B with $0.2B of capex on 5-year servers, bought again for
    # the last three years (0.2 + 0.2 × 3/5 = 0.32 depreciated in the term), earns (0.5 − 0.32) ÷ 0.5
    # = 36%; no revenue at all has none.
    from core.economics import lifetime_margin

    table = deal_cash_flows(0.5, "2025-11-03", 7, capex=0.2)
    assert lifetime_margin(table) == pytest.approx((0.5 - 0.32) / 0.5)
    table["revenue"] = 0.0
    with pytest.raises(DealDeskInputError, match=r"^table must hold revenue for a lifetime margin"):
        lifetime_margin(table)


def test_margin_override_from_minus_one_to_one():
    # A margin of -100% (costs twice the revenue) is the floor an override may state; 100% the top.
    for margin in (-1.0, 1.0):
        table = deal_cash_flows(38, START, 7, capex=20, margin_override=margin)
        assert table["operating_profit"].sum() == pytest.approx(margin * table["revenue"].sum())
    for margin in (-1.000001, 1.000001):
        with pytest.raises(
            DealDeskInputError, match=rf"^margin_override must be a number >= -1 and <= 1, got {margin}$"
        ):
            deal_cash_flows(38, START, 7, capex=20, margin_override=margin)


def test_a_flow_at_one_trillionth_of_the_largest_is_noise_in_the_irr():
    # Flows no larger than 1e-12 of the largest (here 1e-12 × 100 = 1e-10) at either end are dropped:
    # a cost of exactly 1e-10 before two inflows of 100 is no investment, so there is no IRR; a cost
    # a hair larger counts, and the IRR is huge but finite.
    assert irr([-1e-10, 100, 100]) is None
    rate = irr([-1.0000001e-10, 100, 100])
    assert rate is not None and rate > 1e11


def test_the_dated_irr_does_not_depend_on_the_unit_of_money():
    # −2 then +3 one fiscal year later (365 days of 365.25): (1 + r)^(365 ÷ 365.25) = 1.5. The rule
    # that ignores noise is relative to the largest flow, so the same flows in units 10^13 times
    # smaller give the same rate.
    expected = 1.5 ** (365.25 / 365) - 1
    for unit in (1.0, 1e-13):
        table = pd.DataFrame({"year": [2025, 2026], "cash_flow": [-2.0 * unit, 3.0 * unit]})
        assert irr_at(table) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(("last", "year"), [(40 - 1e-11, 2027), (40 - 1e-9, None)])
def test_payback_treats_rounding_noise_in_the_cumulative_as_zero(last, year):
    # −100, +60, then 40 less a hair: the cumulative ends at −1e-11, inside 1e-12 × 100 (the largest
    # cumulative's size) of zero: paid back in 2027. Ending at −1e-9 is a real shortfall: never.
    table = pd.DataFrame({"year": [2025, 2026, 2027], "cash_flow": [-100.0, 60.0, last]})
    assert payback_year(table) == year


@pytest.mark.parametrize(("first", "rate"), [(-1e-10, None), (-1.0000001e-10, "hand")])
def test_a_cost_at_the_noise_level_does_not_make_a_dated_irr(first, rate):
    # FY2025's cost, then 100 thirty fiscal years later (10,957 days: seven leap days). A cost of
    # exactly 1e-12 of the largest flow is noise: one flow left, no IRR. A hair more is a cost: the
    # rate that turns it into 100 over 10,957 ÷ 365.25 years, (100 ÷ |cost|)^(365.25 ÷ 10,957) − 1.
    flows = [first] + [0.0] * 29 + [100.0]
    table = pd.DataFrame({"year": range(2025, 2056), "cash_flow": flows})
    if rate is None:
        assert irr_at(table) is None
    else:
        assert irr_at(table) == pytest.approx((100 / -first) ** (365.25 / 10_957) - 1, rel=1e-9)


def test_a_contract_forfeited_whole_still_carries_its_committed_capex_by_hand():
    # $10B over 2026 forfeited for its whole 365 days: no revenue at all. The $5B of IT capex was
    # committed (share 1): spent in 2025 (one year's lead), 1.0 of depreciation in 2026 (5-year life),
    # and the 4.0 not yet depreciated comes back at the contract's end. No tax, for round numbers.
    t = deal_cash_flows(
        10, dt.date(2026, 1, 1), 1, capex=5, delay_mode="forfeit", delay_days=365, tax_rate=0.0
    )
    t = t.set_index("year")
    assert list(t.index) == [2025, 2026]
    assert t["revenue"].tolist() == [0.0, 0.0]
    assert t["capex"].tolist() == pytest.approx([5.0, 0.0])
    assert t["depreciation"].tolist() == pytest.approx([0.0, 1.0])
    assert t["cash_flow"].tolist() == pytest.approx([-5.0, 4.0])
