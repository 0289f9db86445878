"""DEAL functions for the deal library, counterparty, valuation and pair trade, called as Office.js does.

Each call goes through xlwings' own ``custom_functions_call`` (see
``tests/addin/officejs.py``): arguments arrive as 2-D lists, blanks as
``None``. Every table is compared with the core function it wraps, and each
figure the brief states is checked again at the cell.
"""

from __future__ import annotations

import math

import pytest

from addin.errors import DealDeskExcelError
from core.companies import COMPANY_COLUMNS, load_companies
from core.contracts import CONTRACT_COLUMNS
from core.counterparty import counterparty_coverage
from core.deals import DEAL_COLUMNS, load_deals
from core.pairs import shock_table
from tests.addin.officejs import call, cell, serial

AMAZON_SHARES = 10_690_216_011  # Q3 2025 10-Q cover (FACTS)
BLANK = ""  # xlwings writes a None result cell to Office.js as an empty string: a blank cell


def _named(table):
    assert table[0] == ["name", "value"]
    return {name: value for name, value in table[1:]}


def _column(table, name):
    k = table[0].index(name)
    return [row[k] for row in table[1:]]


# --------------------------------------------------------------------------- DEAL.DEALS, DEAL.PORTFOLIO


def test_deals_lists_the_library_with_blanks_where_not_disclosed():
    table = call("deal_deals")
    assert table[0] == [*DEAL_COLUMNS, "provider_company", "customer_company", "not_modelled"]
    providers = dict(zip(_column(table, "deal"), _column(table, "provider_company"), strict=True))
    assert providers["AWS–OpenAI"] == "Amazon" and providers["Meta–Google Cloud"] == "Alphabet"
    refused = dict(zip(_column(table, "deal"), _column(table, "not_modelled"), strict=True))
    assert refused["AWS–OpenAI"] == BLANK
    assert refused["AMD–OpenAI"].startswith("deal 'AMD–OpenAI' is a chip-supply deal")
    assert _column(table, "deal") == load_deals()["deal"].tolist()
    values = dict(zip(_column(table, "deal"), _column(table, "value_usd_bn"), strict=True))
    assert values["AWS–OpenAI"] == 38.0
    # "tens of billions" is not a number: the cell is blank, never #NUM! or a guess.
    assert values["Google–Anthropic"] == BLANK and values["AMD–OpenAI"] == BLANK
    starts = dict(zip(_column(table, "deal"), _column(table, "start"), strict=True))
    assert serial(starts["AWS–OpenAI"]) == 45964  # =DATE(2025,11,3)
    assert starts["Microsoft–OpenAI"] == BLANK


def test_company_lists_every_figure_with_its_source():
    table = call("deal_company", cell("Oracle"))
    assert table[0] == list(COMPANY_COLUMNS[1:])
    library = load_companies()
    assert len(table) - 1 == (library["company"] == "Oracle").sum()
    rows = [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    may25 = next(r for r in rows if r["field"] == "backlog" and r["period"] == "RPO, May-25")
    # COMPANY_FACTS §2: RPO $138B at 2025-05-31 (Oracle release 2025-06-11), high confidence.
    assert (may25["value"], serial(may25["as_of"]), may25["confidence"]) == (138.0, 45808, "high")
    assert may25["source"] == "Oracle release 2025-06-11"


def test_company_gives_one_figure_and_accepts_the_deal_librarys_names():
    assert call("deal_company", cell("Oracle"), cell("fiscal_year_end")) == [[5]]
    assert call("deal_company", cell("Microsoft (Azure)"), cell("Fiscal_Year_End")) == [[6]]
    assert call("deal_company", cell("Amazon (AWS)"), cell("shares")) == [[10.690216011]]
    with pytest.raises(
        DealDeskExcelError, match=r"DEAL\.COMPANY: company must be one of 'Amazon', .*; got 'Nvidia'"
    ):
        call("deal_company", cell("Nvidia"))
    with pytest.raises(
        DealDeskExcelError, match=r"DEAL\.COMPANY: field must be one of 'fiscal_year_end', .*; got 'ebitda'"
    ):
        call("deal_company", cell("Oracle"), cell("ebitda"))


def test_portfolio_of_openai():
    table = call("deal_portfolio", cell("OpenAI"))
    assert table[0] == list(CONTRACT_COLUMNS)
    # AWS $38B + its expansion $62B + Microsoft $250B + Oracle $300B + CoreWeave $11.9B + $4B + $6.5B = $672.4B.
    assert sum(_column(table, "value")) == pytest.approx(672.4)
    assert call("deal_portfolio") == table  # blank customer: OpenAI
    # Each contract carries the schedule its own report uses: a ramp, 92.5% realised, booked at signing
    # (Oracle signed 2025-09-10, earning from 2027-01-01).
    rows = {r[0]: dict(zip(table[0], r, strict=True)) for r in table[1:]}
    assert rows["AWS–OpenAI"]["profile"] == "linear" and rows["AWS–OpenAI"]["realisation"] == 0.925
    # Dates reach Excel as formatted serials: 2025-09-10 is 45910, 2027-01-01 is 46388.
    assert rows["Oracle–OpenAI"]["booked_on"]["basicValue"] == 45910
    assert rows["Oracle–OpenAI"]["start"]["basicValue"] == 46388


# --------------------------------------------------------------------------- DEAL.COUNTERPARTY


def test_counterparty_equals_the_core_on_the_brief_path():
    table = call("deal_counterparty", cell(3.5), cell(50), cell(2025), cell(2027))
    core = counterparty_coverage(3.5, 50, start_year=2025, target_year=2027)
    assert table[0] == ["year", "revenue", "commitments", "coverage_ratio", "funding_gap", "required_growth"]
    assert _column(table, "year") == core["year"].tolist()
    assert _column(table, "coverage_ratio") == pytest.approx(core["coverage_ratio"].tolist(), rel=1e-12)
    rows = {row[0]: row for row in table[1:]}
    assert rows[2027][1] == pytest.approx(50.0)  # the brief's $50B by 2027


def test_counterparty_options_reach_the_core():
    table = call(
        "deal_counterparty", cell(3.5), cell(50), cell(2025), cell(2027), cell("OpenAI"), cell(0.1), cell(12)
    )
    core = counterparty_coverage(3.5, 50, start_year=2025, target_year=2027, growth_after=0.1)
    assert _column(table, "funding_gap") == pytest.approx(core["funding_gap"].tolist(), rel=1e-12)
    # After 2027 revenue grows 10% a year: $55B in 2028.
    rows = {row[0]: row for row in table[1:]}
    assert rows[2028][1] == pytest.approx(55.0)


# --------------------------------------------------------------------------- DEAL.EVENT_STUDY, DEAL.SOTP, DEAL.THRESHOLD


def test_event_study_reproduces_the_brief():
    result = _named(call("deal_event_study", cell(258.38), cell(AMAZON_SHARES), cell(38), cell(0.058)))
    # 258.38 / 1.058 = 244.2155 -> $244.22; (258.38 − 244.2155) × 10.690B = $151.42B; ÷ 38 = 3.98.
    assert round(result["prior_close"], 2) == 244.22
    assert round(result["value_added"], 2) == 151.42
    assert round(result["value_added_to_contract"], 2) == 3.98


def test_event_study_from_a_prior_close_and_a_market_move():
    result = _named(
        call(
            "deal_event_study",
            cell(257.33),
            cell(AMAZON_SHARES),
            cell(38),
            None,
            cell(244.22),
            cell(0.01),
            cell(1.2),
        )
    )
    # 257.33 / 244.22 − 1 = 5.368%; minus 1.2 × 1% (illustrative market move) = 4.168%.
    assert result["stock_return"] == pytest.approx(257.33 / 244.22 - 1)
    assert result["abnormal_return"] == pytest.approx(257.33 / 244.22 - 1 - 0.012)


def test_sotp_from_a_name_value_range():
    table = call("deal_sotp", [["AWS", 1125], ["Rest of Amazon", 1500]], cell(50))
    assert table[0] == ["segment", "metric", "multiple", "value"]
    assert table[-1] == ["market value", BLANK, BLANK, 2675.0]
    assert table[1][1] == BLANK  # no metric given: a blank cell, not #NUM!


def test_threshold_amazon_3_trillion_by_2027():
    # 258.38 × 10,690,216,011 = $2,762.14B; (3000 / 2762.14)^(1/2) − 1 = 4.22% a year.
    result = _named(call("deal_threshold", cell(2762.14), cell(3000), cell(0.05), cell(2025), cell(2027)))
    assert result["passes"] is True and result["first_year"] == 2027
    assert round(result["required_growth"], 4) == 0.0422
    never = _named(call("deal_threshold", cell(2762.14), cell(3000), cell(0), cell(2025), cell(2027)))
    assert never["passes"] is False and never["first_year"] == BLANK  # never reached


# --------------------------------------------------------------------------- DEAL.HEDGE_RATIO, DEAL.PAIR_LEGS, DEAL.PAIR_PNL


def test_hedge_ratio_from_two_columns():
    long = [[0.01], [-0.005], [0.02], [0.0], [None]]  # a longer selection than filled
    short = [[0.02, -0.01, 0.04, 0.0]]  # a row works too
    assert call("deal_hedge_ratio", long, short) == [[pytest.approx(0.5)]]  # one cell


def test_pair_legs_beta_neutral():
    # 100 long at beta 0.9 against beta 1.5: short 100 × 0.9 / 1.5 = 60.
    result = _named(call("deal_pair_legs", cell(100), cell("beta"), cell("long"), cell(0.9), cell(1.5)))
    assert result == pytest.approx({"long": 100.0, "short": 60.0})
    assert _named(call("deal_pair_legs", cell(200), cell("dollar"), cell("gross"))) == {
        "long": 100.0,
        "short": 100.0,
    }


def test_pair_pnl_under_the_cloud_sector_shock():
    # Brief item 9: cloud sector −15%. Dollar-neutral 100/100, betas 0.9 / 1.5 (illustrative):
    # long −13.5, short +22.5, pair +9.
    table = call("deal_pair_pnl", cell(100), cell(100), cell(-0.15), cell(0.9), cell(1.5))
    assert table[0] == ["shock", "long_pnl", "short_pnl", "pair_pnl"]
    assert table[1] == pytest.approx([-0.15, -13.5, 22.5, 9.0])
    grid = call("deal_pair_pnl", cell(100), cell(60), [[-0.15], [-0.05], [0.1]], cell(0.9), cell(1.5))
    core = shock_table(100, 60, [-0.15, -0.05, 0.1], beta_long=0.9, beta_short=1.5)
    assert _column(grid, "pair_pnl") == pytest.approx(core["pair_pnl"].tolist(), abs=1e-12)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("function", "args", "message"),
    [
        (
            "deal_portfolio",
            (cell("xAI"),),
            r"^DEAL\.PORTFOLIO: customer must be one of 'Anthropic', 'Meta', 'Microsoft', 'OpenAI'; got 'xAI'",
        ),
        (
            "deal_counterparty",
            (cell(3.5), cell(50), cell(2027), cell(2025)),
            r"^DEAL\.COUNTERPARTY: target_year must be after start_year \(2027\), got 2025",
        ),
        ("deal_counterparty", (cell(3.5), cell(None), cell(2025), cell(2027)), r"target_revenue is required"),
        (
            "deal_event_study",
            (cell(258.38), cell(AMAZON_SHARES), cell(38)),
            r"^DEAL\.EVENT_STUDY: give exactly one of move or prior_price",
        ),
        ("deal_event_study", (cell(258.38), cell(AMAZON_SHARES), cell(38), cell(5.8)), None),
        (
            "deal_sotp",
            ([["AWS", "lots"]],),
            r"^DEAL\.SOTP: segments 'AWS' value must be a number, got 'lots'",
        ),
        (
            "deal_threshold",
            (cell(2762), cell(3000), cell(-1), cell(2025), cell(2027)),
            r"^DEAL\.THRESHOLD: growth must be a number > -1",
        ),
        (
            "deal_hedge_ratio",
            ([[0.01], [0.02]], [[0.01], [0.03]]),
            r"^DEAL\.HEDGE_RATIO: long_returns must have at least 3 complete periods",
        ),
        ("deal_hedge_ratio", (None, [[0.01], [0.03]]), r"long_returns is required"),
        (
            "deal_pair_legs",
            (cell(100), cell("market")),
            r"^DEAL\.PAIR_LEGS: neutral must be one of 'dollar', 'beta'; got 'market'",
        ),
        (
            "deal_pair_pnl",
            (cell(100), cell(100), [[-0.15], [None], [0.1]]),
            r"^DEAL\.PAIR_PNL: shocks has a blank cell at position 2",
        ),
        (
            "deal_pair_pnl",
            (cell(100), cell(100), cell("#N/A")),
            r"shocks \(cell 1\) refers to a cell showing the Excel error #N/A",
        ),
    ],
)
def test_bad_input_names_the_argument(function, args, message):
    if message is None:
        # A +580% move is a valid number: the function answers instead of failing.
        assert _named(call(function, *args))["stock_return"] == pytest.approx(5.8)
        return
    with pytest.raises(DealDeskExcelError, match=message) as raised:
        call(function, *args)
    assert "\n" not in str(raised.value)


def test_results_hold_no_nan_or_infinity():
    for table in (
        call("deal_deals"),
        call("deal_counterparty", cell(3.5), cell(50), cell(2025), cell(2027)),
        call("deal_sotp", [["AWS", 1125]]),
    ):
        numbers = [v for row in table[1:] for v in row if isinstance(v, float)]
        assert numbers and all(math.isfinite(v) for v in numbers)
        assert "#NUM!" not in [v for row in table for v in row]
