"""DEAL functions of the market: EVENT_STUDY, SOTP, THRESHOLD, HEDGE_RATIO, PAIR_LEGS and PAIR_PNL.

What the deal means for share prices and market values (core.valuation, core.pairs).
"""

import xlwings as xw

from addin import converters as cv
from addin.errors import excel_errors
from addin.functions._args import CATEGORY, CELL, RANGE, default_of, quoted
from core.pairs import NEUTRALITY, SIZING_BASES, hedge_ratio, pair_legs, shock_table
from core.valuation import event_study, sum_of_parts, threshold_test


@xw.func(name="EVENT_STUDY", category=CATEGORY)
@xw.arg("price", doc="Share price after the news, US$ per share (Amazon pre-market: 258.38), > 0.", **CELL)
@xw.arg("shares", doc="Shares outstanding, a count (Amazon: 10690216011), > 0.", **CELL)
@xw.arg("contract_value", doc="Headline contract value in money_unit (38 for $38B), > 0.", **CELL)
@xw.arg(
    "move",
    doc="Reported price move, a fraction (0.058 for +5.8%). Give move or prior_price, not both.",
    **CELL,
)
@xw.arg("prior_price", doc="Prior close, US$ per share (244.22). Give move or prior_price, not both.", **CELL)
@xw.arg("market_return", doc="The market's move over the same window, a fraction. Blank: 0.", **CELL)
@xw.arg("beta", doc="The stock's market beta for the abnormal return. Blank: 1.", **CELL)
@xw.arg(
    "money_unit",
    doc="Market values are divided by this: 1000000000 reports US$ billions. Blank: 1000000000.",
    **CELL,
)
@excel_errors
def deal_event_study(
    price,
    shares,
    contract_value,
    move=None,
    prior_price=None,
    market_return=None,
    beta=None,
    money_unit=None,
):
    """The market's reaction to a deal: prior close, returns, abnormal return, market value added and its multiple of the contract value, as name/value rows.

    Example (the article): =DEAL.EVENT_STUDY(258.38, 10690216011, 38, 0.058) gives a prior close of 244.22
    and about $151B added, 3.98 times the contract.
    """
    return cv.name_value_table(
        event_study(
            cv.number("price", price),
            shares=cv.number("shares", shares),
            contract_value=cv.number("contract_value", contract_value),
            **cv.present(
                move=cv.number("move", move, default=None),
                prior_price=cv.number("prior_price", prior_price, default=None),
                market_return=cv.number("market_return", market_return, default=None),
                beta=cv.number("beta", beta, default=None),
                money_unit=cv.number("money_unit", money_unit, default=None),
            ),
        )
    )


@xw.func(name="SOTP", category=CATEGORY)
@xw.arg(
    "segments",
    doc="Two columns: segment name, segment value (money; e.g. a metric times its multiple).",
    **RANGE,
)
@xw.arg("net_cash", doc="Cash minus debt, same money unit (negative for net debt). Blank: 0.", **CELL)
@excel_errors
def deal_sotp(segments, net_cash=None):
    """Sum-of-the-parts market value: each segment's value, net cash, and the total market value, as a table.

    Example: =DEAL.SOTP(A2:B3, 50) with AWS 1125 and the rest 1500 gives a market value of 2675.
    """
    return cv.table(
        sum_of_parts(
            cv.name_values("segments", segments),
            **cv.present(net_cash=cv.number("net_cash", net_cash, default=None)),
        )
    )


@xw.func(name="THRESHOLD", category=CATEGORY)
@xw.arg(
    "market_value",
    doc="Market value in start_year, money (Amazon after the news: 2762 for $2,762B), > 0.",
    **CELL,
)
@xw.arg("threshold", doc="The level to pass, same money unit (3000 for $3 trillion), > 0.", **CELL)
@xw.arg("growth", doc="Assumed market value growth a year, a fraction > -1 (0.05 for 5%).", **CELL)
@xw.arg("start_year", doc="Year of market_value, a whole year such as 2025.", **CELL)
@xw.arg("target_year", doc="Year by which to pass the threshold, on or after start_year (2027).", **CELL)
@excel_errors
def deal_threshold(market_value, threshold, growth, start_year, target_year):
    """Does a market value growing at a given rate pass a threshold by a target year? value_at_target, passes, headroom, required_growth and first_year as name/value rows.

    Example (the article: Amazon above $3T by 2027?): =DEAL.THRESHOLD(2762.14, 3000, 0.05, 2025, 2027).
    """
    return cv.name_value_table(
        threshold_test(
            cv.number("market_value", market_value),
            cv.number("threshold", threshold),
            growth=cv.number("growth", growth),
            start_year=cv.number("start_year", start_year),
            target_year=cv.number("target_year", target_year),
        )
    )


@xw.func(name="HEDGE_RATIO", category=CATEGORY)
@xw.arg("long_returns", doc="Periodic returns of the long leg, fractions (a row or column).", **RANGE)
@xw.arg(
    "short_returns",
    doc="Returns of the short leg over the same periods, same length (a row or column).",
    **RANGE,
)
@excel_errors
def deal_hedge_ratio(long_returns, short_returns):
    """Minimum-variance hedge ratio: the OLS beta of the long leg's returns on the short leg's, i.e. short notional per 1 of long notional.

    Example: =DEAL.HEDGE_RATIO(B2:B253, C2:C253) on a year of daily returns.
    """
    return cv.cell_out(
        hedge_ratio(
            cv.vector("long_returns", long_returns, default=cv.REQUIRED),
            cv.vector("short_returns", short_returns, default=cv.REQUIRED),
        )
    )


@xw.func(name="PAIR_LEGS", category=CATEGORY)
@xw.arg(
    "notional", doc="Money to deploy, > 0: the long leg (basis long) or long + short (basis gross).", **CELL
)
@xw.arg(
    "neutral",
    doc=f'Balance of the legs: {quoted(NEUTRALITY)} (equal notionals, or equal beta exposure). Blank: "{default_of(pair_legs, "neutral")}".',
    **CELL,
)
@xw.arg(
    "basis",
    doc=f'What notional is: {quoted(SIZING_BASES)}. Blank: "{default_of(pair_legs, "basis")}".',
    **CELL,
)
@xw.arg(
    "beta_long",
    doc="Long leg's beta to the common factor (the sector), > 0 for beta-neutral. Blank: 1.",
    **CELL,
)
@xw.arg(
    "beta_short",
    doc="Short leg's beta to the common factor (the sector), > 0 for beta-neutral. Blank: 1.",
    **CELL,
)
@excel_errors
def deal_pair_legs(notional, neutral=None, basis=None, beta_long=None, beta_short=None):
    """Long and short notionals of a pair trade, dollar-neutral or beta-neutral, as name/value rows.

    Example: =DEAL.PAIR_LEGS(100, "beta", "long", 0.9, 1.5) shorts 60 against 100 long.
    """
    return cv.name_value_table(
        pair_legs(
            cv.number("notional", notional),
            **cv.present(
                neutral=cv.text("neutral", neutral, default=None),
                basis=cv.text("basis", basis, default=None),
                beta_long=cv.number("beta_long", beta_long, default=None),
                beta_short=cv.number("beta_short", beta_short, default=None),
            ),
        )
    )


@xw.func(name="PAIR_PNL", category=CATEGORY)
@xw.arg("long_notional", doc="Amount held long, money, >= 0.", **CELL)
@xw.arg("short_notional", doc="Amount held short (a positive amount), money, >= 0.", **CELL)
@xw.arg(
    "shocks",
    doc="Sector moves, fractions (a row or column; -0.15 for the cloud sector falling 15%).",
    **RANGE,
)
@xw.arg("beta_long", doc="Long leg's beta to the sector. Blank: 1.", **CELL)
@xw.arg("beta_short", doc="Short leg's beta to the sector. Blank: 1.", **CELL)
@excel_errors
def deal_pair_pnl(long_notional, short_notional, shocks, beta_long=None, beta_short=None):
    """P&L of each leg and of the pair for each sector shock: shock, long_pnl, short_pnl and pair_pnl (money), each leg floored at a total loss.

    Example (the article's cloud sector -15%): =DEAL.PAIR_PNL(100, 100, -0.15, 0.9, 1.5) makes +9.
    """
    return cv.table(
        shock_table(
            cv.number("long_notional", long_notional),
            cv.number("short_notional", short_notional),
            cv.vector("shocks", shocks, default=cv.REQUIRED),
            **cv.present(
                beta_long=cv.number("beta_long", beta_long, default=None),
                beta_short=cv.number("beta_short", beta_short, default=None),
            ),
        )
    )
