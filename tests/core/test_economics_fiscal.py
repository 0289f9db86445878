"""core.economics for a provider whose fiscal year does not end in December (Oracle's ends in May).

Oracle's FY2027 runs 2026-06-01 .. 2027-05-31 (Oracle 10-K: fiscal year ends May 31). A $12B
contract from 2026-06-01 for one year (365 days) is all in FY2027; on calendar years it would be
split 214 days (2026) / 151 days (2027). Every expected value below is worked by hand.
"""

from __future__ import annotations

import pandas as pd
import pytest

from core.economics import annual_run_rate, deal_cash_flows, deal_economics, economics_summary, npv_at
from core.schedule import contract_schedule

MAY = 5
ONE_YEAR = dict(capex=6, lead_years=1, useful_life_years=1, tax_rate=0.25, fiscal_year_end=MAY)


def test_a_contract_inside_one_may_fiscal_year_earns_in_that_year_alone():
    # Capex 6 enters service in FY2027 (the only revenue year), spent a year ahead (FY2026),
    # depreciated in FY2027 on a one-year life; not bought again (FY2028 is after the contract).
    # Operating profit 12 - 6 = 6, tax 25% = 1.5; cash flow -6, then 12 - 1.5 = 10.5.
    t = deal_cash_flows(12, "2026-06-01", 1, **ONE_YEAR)
    assert t["year"].tolist() == [2026, 2027]
    assert t["revenue"].tolist() == pytest.approx([0, 12])
    assert t["capex"].tolist() == pytest.approx([6, 0])
    assert t["refresh_capex"].tolist() == pytest.approx([0, 0])
    assert t["depreciation"].tolist() == pytest.approx([0, 6])
    assert t["tax"].tolist() == pytest.approx([0, 1.5])
    assert t["cash_flow"].tolist() == pytest.approx([-6, 10.5])
    assert t["cumulative_cash_flow"].tolist() == pytest.approx([-6, 4.5])


def test_the_same_contract_on_calendar_years_is_split_by_days():
    t = deal_cash_flows(12, "2026-06-01", 1, **{**ONE_YEAR, "fiscal_year_end": 12})
    revenue = dict(zip(t["year"], t["revenue"], strict=True))
    assert revenue[2026] == pytest.approx(12 * 214 / 365)
    assert revenue[2027] == pytest.approx(12 * 151 / 365)


def test_npv_irr_and_payback_on_may_year_ends():
    # Flows dated at 2026-05-31 and 2027-05-31 (365 days apart). Valued on 2026-05-31 at 10%:
    # -6 + 10.5 × 1.1^(-365/365.25). IRR: 6 (1 + r)^(365/365.25) = 10.5. Payback FY2027.
    t = deal_cash_flows(12, "2026-06-01", 1, **ONE_YEAR)
    s = economics_summary(t, discount_rate=0.10, valuation_date="2026-05-31", fiscal_year_end=MAY)
    assert s["npv"] == pytest.approx(-6 + 10.5 * 1.1 ** (-365 / 365.25))
    assert s["irr"] == pytest.approx(1.75 ** (365.25 / 365) - 1, abs=1e-9)
    assert s["payback_year"] == 2027
    assert s["lifetime_margin"] == pytest.approx(0.5)
    # With December year-ends the same table's flows would sit at 2026-12-31 and 2027-12-31.
    dec = npv_at(0.10, t, "2026-05-31", fiscal_year_end=12)
    assert dec == pytest.approx(-6 * 1.1 ** (-214 / 365.25) + 10.5 * 1.1 ** (-579 / 365.25))


def test_deal_economics_values_at_the_start_on_the_providers_year_ends():
    # Valued on 2026-06-01: FY2026's flow (2026-05-31) is compounded one day forward, FY2027's
    # (2027-05-31) discounted 364 days.
    _, s = deal_economics(12, "2026-06-01", 1, discount_rate=0.10, **ONE_YEAR)
    assert s["npv"] == pytest.approx(-6 * 1.1 ** (1 / 365.25) + 10.5 * 1.1 ** (-364 / 365.25))


def test_two_may_years_with_a_leap_day_and_a_refresh_in_the_last_year():
    # 2026-06-01 + 2 years: to 2028-05-31, 731 days; FY2027 has 365, FY2028 366 (2028-02-29).
    # Run rate is the same in both years, so all capex (6) enters service in FY2027; a one-year
    # life ends before FY2028, the contract's last year, so it is bought again for FY2028
    # (spent a year ahead, in FY2027).
    t = deal_cash_flows(12, "2026-06-01", 2, **ONE_YEAR)
    assert t["year"].tolist() == [2026, 2027, 2028]
    assert t["revenue"].tolist() == pytest.approx([0, 12 * 365 / 731, 12 * 366 / 731])
    assert t["capex"].tolist() == pytest.approx([6, 6, 0])
    assert t["refresh_capex"].tolist() == pytest.approx([0, 6, 0])
    assert t["depreciation"].tolist() == pytest.approx([0, 6, 6])


def test_run_rate_of_part_years_on_june_year_ends():
    # Microsoft's fiscal year ends in June. A $10B contract from 2026-01-01 for one year (365 days)
    # falls in FY2026 (to 2026-06-30: 181 days) and FY2027 (184 days); each year's run rate is
    # its revenue × 365.25 ÷ its contract days, the same 10 × 365.25 / 365 in both.
    plan = contract_schedule(10, "2026-01-01", 1, frequency="year", fiscal_year_end=6)
    assert plan["revenue"].tolist() == pytest.approx([10 * 181 / 365, 10 * 184 / 365])
    rate = annual_run_rate(plan, "2026-01-01", 1)
    assert rate.index.tolist() == [2026, 2027]
    assert rate.tolist() == pytest.approx([10 * 365.25 / 365] * 2)


def test_without_capex_the_table_starts_in_the_first_revenue_year():
    # Nothing is spent ahead, so no year before FY2027 (a zero row would move the NPV's dates).
    t = deal_cash_flows(12, "2026-06-01", 1, **{**ONE_YEAR, "capex": 0})
    assert t["year"].tolist() == [2027]
    assert t["cash_flow"].tolist() == pytest.approx([12 - 0.25 * 12])
    t = deal_cash_flows(
        12, "2026-06-01", 1, **{**ONE_YEAR, "capex": 0, "facility_capex": 3, "facility_life_years": 1}
    )
    assert t["year"].tolist() == [2026, 2027] and t["capex"].tolist() == pytest.approx([3, 0])


def test_run_rate_of_a_delayed_schedule_counts_only_contract_days():
    # $10B from 2026-01-01 for a year, delivered 90 days late (extend): revenue 2026-04-01 .. 2027-03-31,
    # 275 days in 2026 and 90 in 2027. With the delay the contract's days run to 2027-03-31, so 2027's
    # rate is 10 × 90/365 × 365.25 / 90; without it 2027 has no contract day (it starts the day after the
    # last) and a rate of 0, not a division by zero days.
    plan = contract_schedule(10, "2026-01-01", 1, delay_days=90, delay_mode="extend", frequency="year")
    assert plan["revenue"].tolist() == pytest.approx([10 * 275 / 365, 10 * 90 / 365])
    with_delay = annual_run_rate(plan, "2026-01-01", 1, delay_days=90)
    assert with_delay.tolist() == pytest.approx([10 * 275 / 365 * 365.25 / 365, 10 * 365.25 / 365])
    assert annual_run_rate(plan, "2026-01-01", 1).tolist() == pytest.approx(
        [10 * 275 / 365 * 365.25 / 365, 0.0]
    )


def test_a_sign_made_only_by_rounding_noise_gives_no_irr():
    # Twenty years apart, -1e-11 then +50: a "root" at (5e12)^(1/20) - 1 ≈ 3.3 would exist, but a flow
    # below 1e-12 of the largest is noise, so the flows have one sign and no IRR. A real -1 has one:
    # 50 / 1 over 7,305 days (20 × 365.25): (1 + r)^20 = 50.
    from core.economics import irr_at

    years = list(range(2025, 2046))
    noise = pd.DataFrame({"year": years, "cash_flow": [-1e-11] + [0.0] * 19 + [50.0]})
    assert irr_at(noise) is None
    real = noise.assign(cash_flow=[-1.0] + [0.0] * 19 + [50.0])
    assert irr_at(real) == pytest.approx(50 ** (1 / 20) - 1, abs=1e-9)
