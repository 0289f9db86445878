"""core.exposure.portfolio: contracts by provider and customer, revenue by calendar year, the AI backlog."""

from __future__ import annotations

import pytest

from core.exposure import (
    backlog_shares,
    commitments_by_year,
    exposure_portfolio,
    exposure_table,
)
from core.validation import DealDeskInputError
from tests.core.exposure.cases import AWS, AWS_OPENAI, CRWV, EXPANSION, HAND, MSFT, ORCL, after_ramp, on_ramp


def test_aws_share_of_openai_backlog_matches_day_count():
    shares = backlog_shares("OpenAI")
    total = AWS_OPENAI + MSFT + ORCL + CRWV
    assert shares.loc["Amazon (AWS)", "backlog"] == pytest.approx(AWS + EXPANSION, rel=1e-12)
    assert shares.loc["Amazon (AWS)", "share"] == pytest.approx(AWS_OPENAI / total, rel=1e-12)
    assert shares.loc["Oracle", "share"] == pytest.approx(300 / total, rel=1e-12)
    assert shares["share"].sum() == pytest.approx(1.0)


def test_aws_revenue_at_risk_by_year_is_what_openai_owes_it():
    shares = backlog_shares("OpenAI")
    # What OpenAI is expected to pay AWS, as the AWS–OpenAI report schedules it (92.5% realised): 2026
    # runs from day 59 up to the end of the ramp (day 423, 2026-12-31) and one day past it (424): the
    # share (424 − 423/2) ÷ 2557 ÷ norm less the ramp's share at day 59; 2028 is a full 366-day year at
    # full run-rate; 2032 is Jan 1 .. Nov 2 of a leap year = 307 days; nothing in 2033. The expansion ($62B,
    # 2922 days from 2026-01-01) is on its ramp all of 2026 (365 days), at full run-rate in 2028 and 2032
    # (leap years, 366 days) and ends with 2033.
    norm = 1 - 423 / 2557 / 2
    in_2026 = (424 - 423 / 2) / 2557 / norm - on_ramp(59, 2557)
    more = EXPANSION * 0.925
    assert shares.loc["Amazon (AWS)", 2026] == pytest.approx(38 * 0.925 * in_2026 + more * on_ramp(365, 2922))
    full_2028 = 38 * 0.925 * after_ramp(366, 2557) + more * after_ramp(366, 2922)
    assert shares.loc["Amazon (AWS)", 2028] == pytest.approx(full_2028, rel=1e-12)
    full_2032 = 38 * 0.925 * after_ramp(307, 2557) + more * after_ramp(366, 2922)
    assert shares.loc["Amazon (AWS)", 2032] == pytest.approx(full_2032, rel=1e-12)
    assert shares.loc["Amazon (AWS)", 2033] == pytest.approx(more * after_ramp(365, 2922), rel=1e-12)
    assert 2034 not in shares.columns
    # Oracle earns nothing from OpenAI in 2026: its contract starts in 2027.
    assert shares.loc["Oracle", 2026] == 0.0


def test_exposure_table_is_provider_by_customer_backlog():
    t = exposure_table().set_index("provider")
    assert t.loc["Amazon (AWS)", "OpenAI"] == pytest.approx(AWS_OPENAI, rel=1e-12)
    assert t.loc["Amazon (AWS)", "Meta"] == 0.0
    # Microsoft sells to Anthropic ($30B, 5 years assumed from 2025-11-18 to 2030-11-17: 1826 days, 44 in
    # 2025, on its ramp).
    anthropic = 30 * (1 - 0.925 * on_ramp(44, 1826))
    assert t.loc["Microsoft (Azure)", "Anthropic"] == pytest.approx(anthropic, rel=1e-12)
    assert t.loc["Microsoft (Azure)", "total"] == pytest.approx(MSFT + anthropic, rel=1e-12)
    # An as-of year after every contract leaves no backlog.
    assert exposure_table(as_of_year=2040)["total"].sum() == 0.0


def test_analyst_rows_join_the_library_portfolio():
    extra = [
        {
            "deal": "My–OpenAI",
            "provider": "Amazon (AWS)",
            "customer": "OpenAI",
            "value": 10,
            "start": "2026-01-01",
            "term_years": 2,
        }
    ]
    p = exposure_portfolio("OpenAI", extra=extra)
    assert p["deal"].tolist()[-1] == "My–OpenAI"
    assert p["assumption"].tolist()[-1] == "analyst row"
    t = exposure_table(p).set_index("provider")
    # The analyst's row starts (and so is booked) after 2025: all of its $10B is still owed.
    assert t.loc["Amazon (AWS)", "OpenAI"] == pytest.approx(AWS_OPENAI + 10, rel=1e-12)
    with pytest.raises(
        DealDeskInputError, match=r"portfolio deal names must be unique, got 'AWS–OpenAI' twice"
    ):
        exposure_portfolio("OpenAI", extra=[{**extra[0], "deal": "AWS–OpenAI"}])
    with pytest.raises(DealDeskInputError, match=r"extra row 1 must have .* missing term_years"):
        exposure_portfolio("OpenAI", extra=[{k: v for k, v in extra[0].items() if k != "term_years"}])
    for bad in ("an extra deal", {"deal": "x"}):  # a string, or one row without its list
        with pytest.raises(
            DealDeskInputError, match=r"^extra must be a table of analyst rows \(DataFrame or list"
        ):
            exposure_portfolio("OpenAI", extra=bad)


def test_commitments_by_year_keep_the_expected_contract_value():
    # What OpenAI is expected to pay Oracle over the contract: $300B × 92.5% realised; nothing before 2027.
    c = commitments_by_year()
    assert c.loc["Oracle–OpenAI"].sum() == pytest.approx(300.0 * 0.925)
    assert c.loc["Oracle–OpenAI", 2026] == 0.0


def test_customers_or_portfolio_not_both():
    t = exposure_table(customers=["Meta"])
    assert t["provider"].tolist() == ["CoreWeave", "Google Cloud"]
    with pytest.raises(
        DealDeskInputError, match=r"give customers \(library contracts\) or a portfolio, not both"
    ):
        exposure_table(HAND, customers="Meta")


def test_unknown_customer_is_named():
    with pytest.raises(
        DealDeskInputError, match=r"customers must be customers with a compute contract .* got 'Nobody'"
    ):
        exposure_table(customers=["OpenAI", "Nobody"])
    with pytest.raises(DealDeskInputError, match=r"customers must name at least one customer, got \[\]"):
        exposure_table(customers=[])
    # Names match whatever their case.
    assert exposure_table(customers="openai")["provider"].tolist()[0] == "Amazon (AWS)"
