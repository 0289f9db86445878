"""Input rules an analyst can trip over, each refused with a message naming what the analyst typed.

Every case here was once accepted silently, answered with a different limit,
or refused with the name of an internal figure ("total revenue", "price",
"market_return", "delay_days") instead of the input that caused it.
"""

from __future__ import annotations

import pytest

from core import exposure, validation
from core.assumptions import Assumptions
from core.capacity import check_disclosed_fleet, fleet_gpus
from core.exposure import simulate_exposure
from core.model import model_table, run_model
from core.validation import DealDeskInputError, did_you_mean

# ----------------------------------------------------------------------------- one draw limit


def test_every_monte_carlo_shares_one_draw_limit() -> None:
    # DEAL.SIMULATE stopped at 2,000,000 draws while the exposure's Monte Carlo took 5,000,000.
    assert validation.MAX_DRAWS == 2_000_000
    assert exposure.MAX_DRAWS == 2_000_000


def test_exposure_draws_above_the_limit_are_refused_naming_it() -> None:
    with pytest.raises(
        DealDeskInputError,
        match=r"^draws must be at most 2,000,000 \(MAX_DRAWS, up to about 0\.8 GB of memory; "
        r"raise it with the environment variable DEALDESK_MAX_DRAWS\), got 2,000,001$",
    ):
        simulate_exposure(draws=2_000_001)


def test_exposure_draw_limit_follows_the_environment_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEALDESK_MAX_DRAWS", "50")
    with pytest.raises(DealDeskInputError, match=r"^draws must be at most 50 \(MAX_DRAWS.*\), got 51$"):
        simulate_exposure(draws=51)
    assert simulate_exposure(draws=50, seed=1).draws == 50  # at the limit: runs
    with pytest.raises(DealDeskInputError, match=r"^draws must be a number >= 1, got 0$"):
        simulate_exposure(draws=0)


# ----------------------------------------------------------------------------- DEAL.TABLE


def test_table_name_in_any_case() -> None:
    lower = model_table(None, "economics")
    for typed in ("Economics", " ECONOMICS ", "eCoNoMiCs"):
        assert model_table(None, typed).equals(lower)
    # FY2026's deal margin from the cost stack (operating profit ÷ revenue), whatever the case.
    row = lower.set_index("year").loc[2026]
    assert model_table(None, "Economics", 2026, "deal_margin") == pytest.approx(
        row["operating_profit"] / row["revenue"]
    )


def test_table_typo_gets_the_closest_name_and_a_stranger_none() -> None:
    listed = "schedule, gap, margin, benchmarks, backlog, capacity, economics, counterparty, valuation"
    with pytest.raises(
        DealDeskInputError,
        match=rf"^table must be one of {listed}; got 'Econmics'; did you mean 'economics'\?$",
    ):
        model_table(None, "Econmics")
    with pytest.raises(DealDeskInputError, match=rf"^table must be one of {listed}; got 'revenue'$"):
        model_table(None, "revenue")


def test_if_missing_without_a_key_is_refused() -> None:
    # It was silently ignored: the whole table came back as if it had not been given.
    message = (
        r"^if_missing is the value for a key not in the table, so it needs key and column; "
        r"leave it blank for the whole table, got 0\.0$"
    )
    with pytest.raises(DealDeskInputError, match=message):
        model_table(None, "economics", if_missing=0.0)
    # With key and column it answers a missing key, and only a missing one.
    assert model_table(None, "economics", 2040, "revenue", if_missing=-1.0) == -1.0
    assert model_table(None, "economics", 2026, "revenue", if_missing=-1.0) != -1.0


def test_did_you_mean_only_for_a_close_typo() -> None:
    assert did_you_mean("Backlg", ("schedule", "backlog")) == "; did you mean 'backlog'?"
    assert did_you_mean("npv", ("schedule", "backlog")) == ""
    assert did_you_mean(7, ("schedule", "backlog")) == ""


# ----------------------------------------------------------------------------- disclosed fleet

#: 200 MW of IT load at 72 GPUs per 120 kW rack: 200 × 1,000 × 72 ÷ 120 = 120,000 GPUs,
#: so a GPU count between 108,000 and 132,000 (±10%) describes the same fleet.
HELD = 200 * 1_000 * 72 / 120


@pytest.mark.parametrize("gpus", [108_000, 116_600, 120_000, 132_000])
def test_gpus_and_it_load_within_ten_percent_are_one_fleet(gpus: float) -> None:
    check_disclosed_fleet(gpus, 200.0)
    # The GPU count is the fleet when both are given.
    assert fleet_gpus(5.918, disclosed_gpus=gpus, disclosed_it_mw=200.0) == gpus


@pytest.mark.parametrize("gpus", [107_999, 132_001, 1_000])
def test_gpus_and_it_load_further_apart_are_refused(gpus: float) -> None:
    message = (
        r"^fleet_gpus and fleet_it_mw must describe the same fleet: 200 MW holds 120,000 GPUs at 72 GPUs per "
        r"120 kW rack \(gpus_per_rack, kw_per_rack\), and fleet_gpus may differ from that by at most 10% "
        rf"\(108,000 to 132,000\); got {gpus:,} GPUs\. Leave one of them blank, or correct the rack density$"
    )
    with pytest.raises(DealDeskInputError, match=message):
        check_disclosed_fleet(gpus, 200.0)
    with pytest.raises(DealDeskInputError, match=message):
        fleet_gpus(5.918, disclosed_gpus=gpus, disclosed_it_mw=200.0)


def test_fleet_agreement_is_read_at_the_deals_rack_density() -> None:
    # 36 GPUs per 120 kW rack: 200 MW holds 60,000 GPUs; 66,000 agrees, 120,000 does not.
    check_disclosed_fleet(66_000, 200.0, gpus_per_rack=36, kw_per_rack=120)
    with pytest.raises(DealDeskInputError, match=r"200 MW holds 60,000 GPUs at 36 GPUs per 120 kW rack"):
        Assumptions(fleet_gpus=HELD, fleet_it_mw=200.0, gpus_per_rack=36.0)


def test_assumptions_refuse_a_contradictory_fleet_and_keep_an_agreeing_one() -> None:
    with pytest.raises(
        DealDeskInputError, match=r"^fleet_gpus and fleet_it_mw must describe the same fleet: 500 MW"
    ):
        Assumptions(fleet_gpus=1_000.0, fleet_it_mw=500.0)
    # One of them alone is not checked against anything.
    Assumptions(fleet_gpus=1_000.0)
    Assumptions(fleet_it_mw=500.0)
    capacity = run_model(Assumptions(fleet_gpus=116_600.0, fleet_it_mw=200.0)).tables["capacity"]
    gpus = capacity.set_index("name").loc["gpus", "value"]
    assert gpus == 116_600.0


# ----------------------------------------------------------------------------- errors name the input


def test_zero_realisation_names_realisation() -> None:
    # It once named "total revenue", a figure the analyst never typed.
    with pytest.raises(DealDeskInputError, match=r"^realisation must be a number > 0 and <= 1, got 0$"):
        Assumptions(realisation=0)
    assert Assumptions(realisation=1e-6).realisation == 1e-6  # just above the bound: accepted


@pytest.mark.parametrize("name", ["move_pct", "market_move_pct"])
def test_a_fall_of_one_hundred_percent_names_the_move(name: str) -> None:
    # It once named "price" or "market_return", the event study's own arguments.
    with pytest.raises(DealDeskInputError, match=rf"^{name} must be a number > -1 and <= 10, got -1$"):
        Assumptions(**{name: -1})
    run_model(Assumptions(**{name: -0.99}))  # a 99% fall is a figure the model values


@pytest.mark.parametrize(
    "mode, leaves",
    [
        ("forfeit", "nothing: all its revenue would be forfeited"),
        ("compress", "no days to deliver the contract in"),
    ],
)
def test_a_delay_as_long_as_the_term_names_delay_quarters(mode: str, leaves: str) -> None:
    # A one-year contract from 2025-11-03 runs 365 days; 4 quarters are round(4 × 91.3125) = 365 days.
    # It once named "total revenue" (forfeit) or "delay_days" (compress).
    message = (
        rf"^delay_quarters must be shorter than the term with delay_mode '{mode}' \(a delay as long as the "
        rf"contract leaves {leaves}\): the contract runs 365 days \(term_years 1\), got 4 quarters = 365 days$"
    )
    with pytest.raises(DealDeskInputError, match=message):
        Assumptions(term_years=1.0, delay_quarters=4.0, delay_mode=mode)
    # 3.99 quarters = round(364.33) = 364 days, one day short of the term: accepted and run.
    run_model(Assumptions(term_years=1.0, delay_quarters=3.99, delay_mode=mode))
    # Extending the term keeps every day: any delay within the input's own rule is fine.
    Assumptions(term_years=1.0, delay_quarters=20.0, delay_mode="extend")


def test_lifetime_margin_without_revenue_names_its_argument() -> None:
    from core.economics import deal_cash_flows, lifetime_margin

    table = deal_cash_flows(38, "2025-11-03", 7, capex=20)
    table["revenue"] = 0.0
    with pytest.raises(
        DealDeskInputError,
        match=r"^table must hold revenue for a lifetime margin \(operating profit ÷ revenue\), got total revenue 0$",
    ):
        lifetime_margin(table)
