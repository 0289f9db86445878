"""DEAL.BACKLOG, RPO, BACKLOG_EFFECT, MARGIN_BRIDGE, MARGIN_BY_PERIOD, CAPACITY, ECONOMICS, NPV_IRR through Office.js.

Each call goes through xlwings' own Office.js protocol (``tests.addin.officejs``)
and is compared with the core function it wraps.
"""

from __future__ import annotations

import datetime as dt
import inspect
import math

import pytest

from addin.errors import DealDeskExcelError
from core.backlog import backlog_rollforward, current_rpo
from core.capacity import capacity_from_revenue
from core.economics import deal_cash_flows, deal_returns
from tests.addin.officejs import call, cell, deal_functions

# AWS–OpenAI (the brief): $38B, signed 2025-11-03 = Excel serial 45964, 7 years (2557 days).
START = 45964
END_2025 = 46022  # 2025-12-31, Amazon's Q4 2025 quarter end
END_2026 = 46387  # 2026-12-31: all capacity deployed (the brief)
MID_2026 = 46203  # 2026-06-30


def _named(table):
    assert table[0] == ["name", "value"]
    return {name: value for name, value in table[1:]}


# --------------------------------------------------------------------------- backlog


def test_backlog_full_booking_reproduces_the_brief():
    table = call("deal_backlog", cell(38), cell(START), cell(7))
    assert table[0] == [
        "period",
        "start",
        "end",
        "beginning",
        "bookings",
        "recognised",
        "derecognised",
        "ending",
    ]
    # Booked in full in FY2025Q4; the quarter earns 59 of 2557 days.
    assert table[1][0] == "FY2025Q4"
    assert table[1][4] == 38
    assert table[1][7] == pytest.approx(38 * (1 - 59 / 2557), rel=1e-12)
    assert table[-1][7] == 0


def test_backlog_staged_with_a_ramp_equals_the_core():
    tranches = [[START, 19], [MID_2026, 19]]
    table = call(
        "deal_backlog",
        cell(38),
        cell(START),
        cell(7),
        cell("staged"),
        tranches,
        cell("linear"),
        cell("year"),
        None,
        cell(0.925),
        None,
        None,
        cell("prorata"),
        cell(END_2026),
    )
    core = backlog_rollforward(
        38,
        "2025-11-03",
        7,
        booking="staged",
        tranches=[("2025-11-03", 19), ("2026-06-30", 19)],
        profile="linear",
        frequency="year",
        realisation=0.925,
        derecognition="prorata",
        full_at=dt.date(2026, 12, 31),
    )
    assert [r[0] for r in table[1:]] == core["period"].tolist()
    assert [r[4] for r in table[1:]] == pytest.approx(core["bookings"].tolist(), rel=1e-12)
    assert [r[7] for r in table[1:]] == pytest.approx(core["ending"].tolist(), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(
    "dates",
    [
        [[START], [MID_2026], [END_2026]],
        [[START, MID_2026, END_2026]],
        [[START], ["2026-06-30"], [END_2026], [None]],
    ],
)
def test_backlog_tranches_as_dates_share_the_value_equally(dates):
    table = call(
        "deal_backlog",
        cell(38),
        cell(START),
        cell(7),
        cell("staged"),
        dates,
        cell("linear"),
        *[None] * 6,
        cell(END_2026),
    )
    booked = {r[0]: r[4] for r in table[1:] if r[4]}
    assert booked == pytest.approx({"FY2025Q4": 38 / 3, "FY2026Q2": 38 / 3, "FY2026Q4": 38 / 3}, rel=1e-12)


def test_rpo_at_the_first_quarter_end():
    # Next 12 months after 2025-12-31 hold 365 of 2557 days: current = 38 × 365/2557.
    out = _named(call("deal_rpo", cell(38), cell(START), cell(7), cell(END_2025)))
    assert out["current"] == pytest.approx(38 * 365 / 2557, rel=1e-12)
    assert out["total"] == pytest.approx(38 * (1 - 59 / 2557), rel=1e-12)
    assert out["noncurrent"] == pytest.approx(out["total"] - out["current"], rel=1e-12)


def test_rpo_with_options_equals_the_core():
    out = _named(
        call(
            "deal_rpo",
            cell(38),
            cell(START),
            cell(7),
            cell(END_2026),
            None,
            None,
            cell("linear"),
            cell(0.9),
            cell(1),
            None,
            None,
            cell(END_2026),
        )
    )
    core = current_rpo(
        38,
        "2025-11-03",
        7,
        as_of="2026-12-31",
        profile="linear",
        realisation=0.9,
        delay_days=91,  # one quarter = 365.25 / 4 = 91.3125 -> 91 days
        full_at=dt.date(2026, 12, 31),
    )
    assert out == pytest.approx(core, rel=1e-12)


def test_backlog_effect_aws_q3_2025():
    # FACTS: AWS backlog $200B at Q3 2025 (excluding October deals); + $38B = $238B, +19%.
    out = _named(call("deal_backlog_effect", cell(200), cell(38)))
    assert out["new_backlog"] == 238
    assert out["increase_fraction"] == pytest.approx(0.19, rel=1e-12)
    assert out["share_of_new"] == pytest.approx(38 / 238, rel=1e-12)


# --------------------------------------------------------------------------- margin

# DEAL.MARGIN_BRIDGE, not DEAL.MARGIN: classic Excel's VBA wrapper cannot name a function
# deal_margin and also take an argument deal_margin.


def test_margin_bridge_reproduces_the_briefs_dilution():
    # SEED_BRIEF item 2: 5.4 / 135.4 × (0.15 − 0.35) × 10,000 = −79.8 bps, inside 50–100.
    table = call("deal_margin_bridge", cell(130), cell(0.35), cell(5.4), cell(0.15))
    assert table[0] == ["step", "value", "bps"]
    assert [r[0] for r in table[1:]] == ["base margin", "deal mix effect", "blended margin"]
    assert table[2][2] == pytest.approx(5.4 / 135.4 * -0.2 * 1e4, rel=1e-12)
    assert table[3][1] == pytest.approx(46.31 / 135.4, rel=1e-12)


@pytest.mark.parametrize("base", [cell(107.6), [[107.6], [107.6], [107.6]], [[107.6, 107.6, 107.6]]])
def test_margin_by_period_from_a_column(base):
    deal = [[0.06], [3.1], [5.5]]
    table = call("deal_margin_by_period", deal, base, cell(0.37), cell(0.15))
    assert table[0] == [
        "period",
        "base_revenue",
        "deal_revenue",
        "deal_share",
        "deal_margin",
        "blended_margin",
        "change_bps",
    ]
    assert [r[0] for r in table[1:]] == [1, 2, 3]
    # The mix effect by hand: deal / (base + deal) × (0.15 − 0.37) × 10,000 bps.
    expected = [d / (107.6 + d) * (0.15 - 0.37) * 1e4 for d in (0.06, 3.1, 5.5)]
    assert [r[6] for r in table[1:]] == pytest.approx(expected, rel=1e-12)


# --------------------------------------------------------------------------- capacity


def test_capacity_defaults_are_the_facts_defaults():
    table = call("deal_capacity", cell(38 / 7), cell(3), cell(0.9))
    core = capacity_from_revenue(38 / 7, usd_per_gpu_hour=3, utilisation=0.9)
    assert table[0] == ["name", "value", "unit"]
    assert [r[0] for r in table[1:]] == core["name"].tolist()
    assert [r[1] for r in table[1:]] == pytest.approx(core["value"].tolist(), rel=1e-12)
    rows = {r[0]: r[1] for r in table[1:]}
    # 38e9/7 / (3 × 8760 × 0.9) GPUs / 72 × 120 kW × 1.3 PUE (the evidence table's central value).
    assert rows["facility_mw"] == pytest.approx(38e9 / 7 / (3 * 8760 * 0.9) / 72 * 0.12 * 1.3, rel=1e-12)


def test_capacity_with_every_option_equals_the_core():
    args = [
        cell(5),
        cell(2.5),
        cell(0.8),
        cell(64),
        cell(130),
        cell(1.3),
        cell(10),
        cell(0.7),
        cell(60),
        cell(4000),
    ]
    table = call("deal_capacity", *args)
    core = capacity_from_revenue(
        5,
        usd_per_gpu_hour=2.5,
        utilisation=0.8,
        gpus_per_rack=64,
        kw_per_rack=130,
        pue=1.3,
        facility_musd_per_mw=10,
        load_factor=0.7,
        power_usd_per_mwh=60,
        us_consumption_twh=4000,
    )
    assert [r[1] for r in table[1:]] == pytest.approx(core["value"].tolist(), rel=1e-12)


# --------------------------------------------------------------------------- economics


def test_economics_hand_calc():
    # $20B spent in 2024 on 5-year servers, bought again for FY2030 (spent 2029): 32 depreciated in
    # the contract, 8 back at its end; whole-life cash = 38 − 0.21 × (38 − 32) − 40 + 8 = 4.74.
    table = call("deal_economics", cell(38), cell(START), cell(7), cell(20))
    assert table[0][:4] == ["year", "revenue", "capex", "refresh_capex"]
    assert table[1][0] == 2024 and table[1][2] == pytest.approx(20)
    assert table[-1][-1] == pytest.approx(38 - 0.21 * (38 - 32) - 40 + 8, rel=1e-12)


def test_economics_with_options_equals_the_core():
    args = [cell(38), cell(START), cell(7), cell(20), cell(1.5), cell(6), cell(0.25), cell(0.05), cell(0.1)]
    table = call("deal_economics", *args, cell("linear"), None, cell(0.925), cell(2), None, cell(END_2026))
    core = deal_cash_flows(
        38,
        "2025-11-03",
        7,
        capex=20,
        lead_years=1.5,
        useful_life_years=6,
        tax_rate=0.25,
        power_cost_share=0.05,
        other_opex_share=0.1,
        profile="linear",
        realisation=0.925,
        delay_days=183,  # two quarters: 2 × 365.25 / 4 = 182.625 -> 183 days
        full_at=dt.date(2026, 12, 31),
    )
    assert [r[0] for r in table[1:]] == core["year"].tolist()
    k = table[0].index("cash_flow")
    assert [r[k] for r in table[1:]] == pytest.approx(core["cash_flow"].tolist(), rel=1e-12, abs=1e-12)


def test_npv_irr_equals_the_core():
    out = _named(call("deal_npv_irr", cell(38), cell(START), cell(7), cell(20), cell(0.09)))
    core = deal_returns(38, "2025-11-03", 7, capex=20, discount_rate=0.09)
    assert out == pytest.approx(core, rel=1e-12)
    # The servers bought again in 2029 take the running cash below zero until the last year's residual.
    assert out["payback_year"] == 2032


def test_npv_irr_never_paid_back_shows_blanks():
    # $60B of capex on $38B of revenue never pays back: payback_year is a blank cell.
    out = _named(call("deal_npv_irr", cell(38), cell(START), cell(7), cell(60), cell(0.09)))
    assert out["payback_year"] == ""  # Office.js writes a None result as an empty cell
    assert out["npv"] < 0
    assert all(v == "" or (isinstance(v, (int, float)) and math.isfinite(v)) for v in out.values())


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("func", "args", "message"),
    [
        (
            "deal_backlog",
            (cell(38), cell(START), cell(7), cell("monthly")),
            r"^DEAL\.BACKLOG: booking must be one of 'full', 'staged'",
        ),
        (
            "deal_backlog",
            (cell(38), cell(START), cell(7), cell("staged")),
            r"^DEAL\.BACKLOG: booking='staged' needs tranches",
        ),
        (
            "deal_backlog",
            (cell(38), cell(START), cell(7), cell("staged"), [[START, 10], [MID_2026, 10]]),
            r"tranches amounts must add up to value 38, got 20",
        ),
        ("deal_rpo", (cell(38), cell(START), cell(7), cell(None)), r"^DEAL\.RPO: as_of is required"),
        (
            "deal_backlog",
            (cell(38), cell(START), cell(7), cell("staged"), [[START, 19, 1], [MID_2026, 19, 1]]),
            r"tranches must be one row or column of dates, or two columns \(date, amount\)",
        ),
        (
            "deal_backlog",
            (cell(38), cell(START), cell(7), cell("staged"), [[START, 19], [MID_2026, "19"]]),
            r"tranches \(row 2, amount\) must be a number, got the text '19'",
        ),
        (
            "deal_rpo",
            (cell(38), cell(START), cell(7), cell(END_2025), cell("staged"), [[START], ["soon"]]),
            r"^DEAL\.RPO: tranches \(cell 2\) must be a date",
        ),
        (
            "deal_backlog_effect",
            (cell(0), cell(38)),
            r"^DEAL\.BACKLOG_EFFECT: reported_backlog must be a number > 0",
        ),
        (
            "deal_margin_bridge",
            (cell(130), cell(35), cell(5.4), cell(0.15)),
            r"^DEAL\.MARGIN_BRIDGE: base_margin must be a fraction of revenue <= 1 \(0.35 for 35%\), got 35",
        ),
        (
            "deal_margin_by_period",
            ([[1], [2]], [[1], [2], [3]], cell(0.3), cell(0.1)),
            r"^DEAL\.MARGIN_BY_PERIOD: base_revenue must have one value per period \(2\), got 3",
        ),
        ("deal_capacity", (cell(5.4), cell(None)), r"^DEAL\.CAPACITY: usd_per_gpu_hour is required"),
        ("deal_capacity", (cell(5.4), cell(3), None, None, None, cell(0.5)), r"pue must be a number >= 1"),
        (
            "deal_economics",
            (cell(38), cell(START), cell(7), cell(-1)),
            r"^DEAL\.ECONOMICS: capex must be a number >= 0",
        ),
        (
            "deal_npv_irr",
            (cell(38), cell(START), cell(7), cell(20), cell(9)),
            r"^DEAL\.NPV_IRR: discount_rate must be a fraction",
        ),
    ],
)
def test_bad_input_names_the_function_and_argument(func, args, message):
    with pytest.raises(DealDeskExcelError, match=message) as raised:
        call(func, *args)
    assert "\n" not in str(raised.value)


def test_no_argument_shares_its_functions_name():
    # VBA (classic xlwings) refuses a Function whose argument has the function's own name.
    for name, function in deal_functions().items():
        assert name not in inspect.signature(function).parameters, name
