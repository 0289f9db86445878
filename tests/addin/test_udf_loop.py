"""DEAL.SOLVE, DEAL.CLAIMS and DEAL.WATCH called as Office.js calls them: the answers of the command line."""

from __future__ import annotations

import datetime as dt

import pytest

from addin.converters import date_to_excel_serial
from addin.errors import DealDeskExcelError
from core.assumptions import Assumptions
from core.claims import CLAIM_COLUMNS
from core.model import run_model
from core.watch import WATCH_COLUMNS
from tests.addin.lite_calls import INPUTS
from tests.addin.officejs import call, cell


def test_deal_solve_gives_the_price_at_which_run_model_gives_minus_50_bps():
    ((value,),) = call("deal_solve", cell("margin_bps_year2"), cell(-50), cell("price_per_gpu_hour"))
    assert run_model(Assumptions(price_per_gpu_hour=value)).outputs["margin_bps_year2"] == pytest.approx(
        -50, abs=1e-5
    )
    # With the template's Inputs range (the base case's headline terms) the answer is the same.
    ((same,),) = call("deal_solve", cell("margin_bps_year2"), cell(-50), cell("price_per_gpu_hour"), INPUTS)
    assert same == pytest.approx(value, rel=1e-12)


def test_deal_solve_refuses_in_one_line_naming_the_range_and_both_ends():
    full = run_model(Assumptions(realisation=1.0)).outputs["npv"]
    with pytest.raises(DealDeskExcelError) as err:
        call("deal_solve", cell("npv"), cell(0), cell("realisation"))
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("DEAL.SOLVE: no value of realisation in its range [1e-09, 1] gives npv = 0")
    assert message.endswith(f"{full:,.6g} at the two ends")
    with pytest.raises(DealDeskExcelError, match=r"^DEAL\.SOLVE: input must be a numeric input"):
        call("deal_solve", cell("npv"), cell(0), cell("profile"))


def test_deal_claims_is_a_table_with_a_header_row():
    table = call("deal_claims")
    assert table[0] == list(CLAIM_COLUMNS) and len(table) == 1 + 9
    nebius = call("deal_claims", cell("Microsoft–Nebius"))
    assert not any("Amazon" in row[0] for row in nebius[1:])


def test_deal_watch_shows_nothing_reported_after_its_as_of_date():
    table = call("deal_watch", cell("AWS–OpenAI"), cell("2026-02-05"))
    assert table[0] == list(WATCH_COLUMNS)
    on = table[0].index("reported_on")
    days = [row[on]["basicValue"] if isinstance(row[on], dict) else row[on] for row in table[1:]]
    assert days and all(day <= date_to_excel_serial(dt.date(2026, 2, 5)) for day in days)
    everything = call("deal_watch")
    assert len(everything) > len(table)
    with pytest.raises(DealDeskExcelError, match=r"^DEAL\.WATCH: as_of must be a date"):
        call("deal_watch", cell("AWS–OpenAI"), cell("soon"))


def test_deal_watch_sets_anthropics_run_rate_beside_the_paths_annualised_rate_with_its_source():
    table = call("deal_watch", cell("Anthropic–AWS"))
    header, rows = table[0], [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    run = next(r for r in rows if r["figure"] == "Customer run-rate (annualised)")
    # ~$44–47B (Apr–May 2026, conflict; midpoint 45.5) against the signing-day path's rate on 2026-05-31:
    # 4.7 × (70 ÷ 4.7)^((334 ÷ 365) ÷ 3), 334 days after 2025-07-01.
    model = 4.7 * (70 / 4.7) ** (334 / 365 / 3)
    assert (run["period"], run["reported"], run["confidence"]) == ("Apr–May 2026", 45.5, "low")
    assert run["model"] == pytest.approx(model, rel=1e-12)
    assert run["variance"] == pytest.approx(45.5 - model, rel=1e-12)
    assert run["source"].startswith("GuruFocus 2025-10-24; Prosperiax;") and "conflict" in run["cause"]
    assert "source" in header
