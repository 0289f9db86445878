"""core.exposure.effects: provider growth and margin effects, the providers' figures, outsized contracts."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from core.exposure import (
    default_provider_figures,
    outsized_providers,
    provider_effect,
)
from core.validation import DealDeskInputError


def test_provider_effect_on_growth_and_margin_by_hand():
    # AWS: $128.7B in 2025 growing 20% a year, margin 34.6%. It loses $5B in 2027; 10% of the lost
    # revenue's cost is avoided, so operating profit falls by 4.5.
    losses = pd.DataFrame({"provider": ["Amazon (AWS)"] * 2, "year": [2026, 2027], "lost": [0.0, 5.0]})
    aws = [
        {
            "provider": "Amazon (AWS)",
            "base_revenue": 128.7,
            "base_margin": 0.346,
            "base_year": 2025,
            "growth": 0.2,
        }
    ]
    e = provider_effect(losses, aws, avoidable_cost_share=0.1).set_index("year")
    plan26, plan27 = 128.7 * 1.2, 128.7 * 1.2**2
    assert e.loc[2027, "revenue"] == pytest.approx(plan27)
    assert e.loc[2027, "growth_change_pp"] == pytest.approx(((plan27 - 5) / plan26 - 1 - 0.2) * 100)
    margin = (plan27 * 0.346 - 5 * 0.9) / (plan27 - 5)
    assert e.loc[2027, "margin_change_bps"] == pytest.approx((margin - 0.346) * 1e4)
    assert e.loc[2026, "margin_change_bps"] == pytest.approx(0.0, abs=1e-9)
    # The default figures are the providers' one baseline: AWS's are the model's provider inputs,
    # FY2025 $128.7B at 35.4% growing 128.7 ÷ 107.6 − 1 a year.
    from core.assumptions import Assumptions
    from core.exposure import DEFAULT_PROVIDER_FIGURES

    row = DEFAULT_PROVIDER_FIGURES.set_index("provider").loc["Amazon (AWS)"]
    a = Assumptions()
    assert (
        (row["base_revenue"], row["base_margin"], row["base_year"], row["growth"])
        == (a.base_revenue, a.base_margin, a.base_year, a.base_growth)
        == (128.7, 0.354, 2025, round(128.7 / 107.6 - 1, 10))
    )
    # Oracle's own figures (company library): FY2026 (to May 2026) revenue $67.4B with FY2025's 31% GAAP
    # operating margin, growing to the FY2027 guide of $90B. Losing $1B in 2027 with 10% of its cost
    # avoided, by hand: the 2027 base is the guide itself.
    oracle = DEFAULT_PROVIDER_FIGURES.set_index("provider").loc["Oracle"]
    assert (oracle["base_revenue"], oracle["base_margin"], oracle["base_year"]) == (67.4, 0.31, 2026)
    assert oracle["growth"] == pytest.approx(90 / 67.4 - 1)
    e = provider_effect(
        pd.DataFrame({"provider": ["Oracle"], "year": [2027], "lost": [1.0]}), avoidable_cost_share=0.1
    )
    margin = (90 * 0.31 - 1.0 * 0.9) / (90 - 1.0)
    assert e["margin_change_bps"].iloc[0] == pytest.approx((margin - 0.31) * 1e4)
    # A provider without figures (Nscale: revenue not public) gets blanks, not invented numbers.
    other = provider_effect(pd.DataFrame({"provider": ["Nscale"], "year": [2027], "lost": [1.0]}))
    assert math.isnan(other["margin_change_bps"].iloc[0])


def test_outsized_providers_on_both_sides_of_the_boundary():
    # Rule: a provider is outsized when its contracted revenue in some analysis year exceeds that
    # year's revenue path (base x (1 + growth)^(t - base_year)). One contract of 10 over 5 years
    # from 2026-01-01 (1826 days) earns most in the leap year 2028: 10 x 366 / 1826.
    peak = 10 * 366 / 1826
    contract = [
        {
            "deal": "X–Y",
            "provider": "X",
            "customer": "Y",
            "value": 10.0,
            "start": "2026-01-01",
            "term_years": 5,
        }
    ]

    def flag(base: float, growth: float = 0.0) -> tuple[float, bool]:
        figures = pd.DataFrame(
            {
                "provider": ["X"],
                "base_revenue": [base],
                "base_margin": [0.2],
                "base_year": [2025],
                "growth": [growth],
            }
        )
        row = outsized_providers(contract, figures).iloc[0]
        return float(row["peak_ratio"]), bool(row["outsized"])

    assert flag(peak * (1 + 1e-9))[1] is False  # the path just above the peak year: not outsized
    ratio, outsized = flag(peak * (1 - 1e-9))
    assert outsized is True and ratio == pytest.approx(1 + 1e-9)
    # Growth raises the path: base 1.0 in 2025 doubling each year is 8 in 2028, 16 in 2029; the
    # largest year-ratio is 2026: (10 x 365 / 1826) / 2.
    ratio, outsized = flag(1.0, growth=1.0)
    assert ratio == pytest.approx(10 * 365 / 1826 / 2) and outsized is False


def test_provider_figures_need_every_column_but_the_source():
    # The figures an analyst supplies need provider, base_revenue, base_margin, base_year and growth;
    # the source is optional (the row above has none). Each missing column is named.
    figures = {
        "provider": ["X"],
        "base_revenue": [90.0],
        "base_margin": [0.31],
        "base_year": [2025],
        "growth": [0.0],
    }
    losses = pd.DataFrame({"provider": ["X"], "year": [2027], "lost": [1.0]})
    assert len(provider_effect(losses, pd.DataFrame(figures))) == 1
    for column in ("growth", "base_year"):
        without = pd.DataFrame(figures).drop(columns=column)
        with pytest.raises(
            DealDeskInputError,
            match=rf"^providers must have provider, base_revenue, base_margin, base_year, growth; missing {column}$",
        ):
            provider_effect(losses, without)


def test_outsized_providers_leave_providers_without_figures_unflagged():
    # The library: Nebius ($0.53B in 2025) and IREN ($0.50B in FY2025) earn more a year from their
    # Microsoft contracts than their whole revenue; CoreWeave no longer does: its $5.13B of 2025 (growing
    # at the capped 35.8%) exceeds the ~$6.3B a year its OpenAI and Meta contracts pay at full run-rate
    # in every year; AWS does not; Nscale has no public revenue, so no effect and no flag.
    t = outsized_providers().set_index("provider")
    assert t.loc[["CoreWeave", "Nebius", "IREN"], "outsized"].tolist() == [False, True, True]
    assert t.loc["CoreWeave", "peak_ratio"] < 1 < t.loc["Nebius", "peak_ratio"]
    assert not t.loc["Amazon (AWS)", "outsized"]
    assert math.isnan(t.loc["Nscale", "peak_ratio"]) and not t.loc["Nscale", "outsized"]
    with pytest.raises(DealDeskInputError, match=r"as_of_year must be"):
        outsized_providers(as_of_year="soon")


def test_a_provider_at_the_undisclosed_revenue_placeholder_gets_no_figures():
    # Nscale's revenue is not public: its inputs carry the US$1M placeholder (0.001, exactly the
    # rule's bound), which must count as "not public" and give no row, not a $1M company.
    from core.deals import UNDISCLOSED_REVENUE, deal_assumptions
    from core.exposure import DEFAULT_PROVIDER_FIGURES

    assert deal_assumptions("Microsoft–Nscale").base_revenue == UNDISCLOSED_REVENUE == 0.001
    providers = set(DEFAULT_PROVIDER_FIGURES["provider"])
    assert "Nscale" not in providers
    assert {"Amazon (AWS)", "Oracle", "CoreWeave"} <= providers


@pytest.mark.parametrize(
    "day, year_end_month, year",
    [
        # Calendar years: a deal on 31 December is inside that year; the next day it is over.
        (dt.date(2025, 12, 31), 12, 2024),
        (dt.date(2026, 1, 1), 12, 2025),
        # Oracle's years end in May: FY2025 ran to 2025-05-31.
        (dt.date(2025, 5, 31), 5, 2024),
        (dt.date(2025, 6, 1), 5, 2025),
    ],
)
def test_a_providers_figures_are_from_the_last_fiscal_year_over_before_the_deal(day, year_end_month, year):
    from core.exposure.effects import _last_full_fiscal_year

    assert _last_full_fiscal_year(day, year_end_month) == year


def test_avoidable_costs_of_a_deal_under_one_billion_a_year():
    # $0.5B over 7 years peaks far below $1B a year; its power bill ÷ peak run-rate still counts:
    # avoidable share = power cost ÷ peak run-rate + other opex share (the default 5.5%).
    from core.assumptions import Assumptions
    from core.exposure import avoidable_cost_share
    from core.model import model_output

    a = Assumptions(contract_value=0.5)
    peak, power = model_output(a, "peak_run_rate"), model_output(a, "power_cost")
    assert 0 < peak < 1
    assert avoidable_cost_share(a) == pytest.approx(power / peak + 0.055)
    assert avoidable_cost_share(a) > 0.055 + 0.01  # the power share is there, about 6 points


def test_growth_after_losses_in_consecutive_years_by_hand():
    # A provider of $100B in 2025 growing 10% loses $2B in 2026 and $5B in 2027: 2027's growth is
    # measured against 2026 after its own loss, (121 - 5) ÷ (110 - 2) - 1.
    losses = pd.DataFrame({"provider": ["P", "P"], "year": [2026, 2027], "lost": [2.0, 5.0]})
    figures = [{"provider": "P", "base_revenue": 100.0, "base_margin": 0.3, "base_year": 2025, "growth": 0.1}]
    e = provider_effect(losses, figures, avoidable_cost_share=0.0).set_index("year")
    assert e.loc[2026, "growth_after_loss"] == pytest.approx((110 - 2) / 100 - 1)
    assert e.loc[2027, "growth_after_loss"] == pytest.approx((121 - 5) / (110 - 2) - 1)


def test_a_provider_without_an_annual_margin_has_the_models_margin_in_exposure_too():
    # Nebius reports no annual operating margin for its base year; its newest margin is Q1 2026's
    # (an operating loss of ~$128M on $399.0M, −0.32 in the library). The model and exposure read the
    # one baseline, so both carry −0.32 (exposure used to fall back to 0, break-even).
    from core.deals import deal_assumptions

    figures = default_provider_figures().set_index("provider")
    assert deal_assumptions("Microsoft–Nebius").base_margin == -0.32
    assert figures.loc["Nebius", "base_margin"] == -0.32
    # A provider with an annual margin keeps it: Oracle's FY2025 31%.
    assert figures.loc["Oracle", "base_margin"] == deal_assumptions("Oracle–OpenAI").base_margin == 0.31
