"""The article's claims checked: what the model says, what you would need to believe, what was reported.

The AWS–OpenAI article (2025-11-03) made nine claims an analyst would test.
:func:`claims` puts each beside the model's figure for the deal, the value of
the input that would make the claim true (by :func:`core.solve.solve` where
one input decides it), the public evidence on that input, and a verdict in
words. Claims about Amazon itself (its capex, its $3T market value, its
+5.8% move) apply to a deal whose provider is Amazon; claims about OpenAI to
one whose customer is OpenAI; the others to any deal.

Money in US$ billions, margins as fractions, changes in bps.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable
from typing import Any

import pandas as pd

from core.assumptions import Assumptions, as_assumptions
from core.companies import company_library
from core.contracts import library_contracts
from core.conventions import DEFAULT_DEAL
from core.counterparty import customer_revenue_path
from core.deals import deal_assumptions
from core.evidence import value_range
from core.model import MARKET_VALUE_YEAR, model_outputs
from core.schedule import first_full_fiscal_year
from core.solve import solve
from core.validation import DealDeskInputError, as_date, blanks_as_none, check_name

__all__ = ["CLAIM_COLUMNS", "claims", "deal_claims"]

#: Columns of the claims table.
CLAIM_COLUMNS = ("claim", "article", "model", "unit", "input", "needed", "evidence", "verdict")

#: The article's margin claim: "could cut AWS operating margin by 50–100 basis points near term".
_BPS_LOW, _BPS_HIGH = -50.0, -100.0


def _row(
    claim: str,
    article: str,
    model: float | None,
    unit: str,
    input_: str,
    needed: float | None,
    evidence: str,
    verdict: str,
) -> dict[str, Any]:
    return {
        "claim": claim,
        "article": article,
        "model": model,
        "unit": unit,
        "input": input_,
        "needed": needed,
        "evidence": evidence,
        "verdict": verdict,
    }


def _solved(a: Assumptions, output: str, target: float, name: str) -> float | None:
    try:
        return solve(a, output, target, name).value
    except DealDeskInputError:
        return None


def _price_evidence() -> str:
    low, high = value_range("price_per_gpu_hour")
    return (
        f"GB200/GB300 prices implied by public contracts ${low:.2f}–{high:.2f} a GPU-hour (the price table: "
        "IREN–Microsoft, Nscale–Microsoft); H100 one-year reserved $1.70 (Oct-25) to $2.35 (Mar-26), "
        "SemiAnalysis via techreaderdaily 2026-04-02"
    )


def claims(a: Assumptions | None = None, *, as_of: Any = None) -> pd.DataFrame:
    """The article's claims checked for the deal of ``a`` (default the reference deal); columns
    ``CLAIM_COLUMNS``.

    ``needed`` is the value of ``input`` that makes the claim true (blank when one input does not
    decide it, or no value in the input's range does). ``as_of`` limits the evidence to what was
    reported on or before that day.

    Examples
    --------
    The 50–100 bps margin claim: the model's first full year against the GPU-hour price it would need:

    >>> c = claims().set_index("claim")
    >>> row = c.loc["Margin compression of 50–100 bps near term"]
    >>> row["input"], bool(row["needed"] < Assumptions().price_per_gpu_hour)
    ('price_per_gpu_hour', True)
    """
    a = as_assumptions("a", a)
    out = model_outputs(a)
    library = company_library()
    provider = library.find(a.provider)
    amazon = provider is not None and provider.name == "Amazon"
    openai = a.customer.strip().lower() == "openai"
    day = None if as_of is None else as_date("as_of", as_of)
    rows: list[dict[str, Any]] = []
    for build in _CLAIMS:
        row = build(a, out, amazon, openai, day)
        if row is not None:
            rows.append(row)
    return blanks_as_none(pd.DataFrame(rows, columns=list(CLAIM_COLUMNS)), ("model", "needed"))


def deal_claims(deal: str | None = None, *, as_of: Any = None) -> pd.DataFrame:
    """The claims checked for a library deal (default the reference deal) built on the figures public on
    ``as_of`` (:func:`core.deals.deal_assumptions`), the evidence limited to the same day; columns
    ``CLAIM_COLUMNS``. Every surface asks this one function, so the command line, the report, the
    template and ``DEAL.CLAIMS`` show the same table; it is read once per deal and day.

    >>> deal_claims("Microsoft–Nebius")["claim"].tolist()[:2]
    ['A straight line overstates near-term growth', 'Margin compression of 50–100 bps near term']
    """
    name = DEFAULT_DEAL["deal_name"] if deal is None else check_name("deal", deal)
    day = None if as_of is None else as_date("as_of", as_of)
    with _ONE_AT_A_TIME:  # cells asking at once (a sheet of them) wait for one computation, not run it each
        return _deal_claims(name, day).copy()


_ONE_AT_A_TIME = threading.Lock()


@functools.lru_cache(maxsize=16)
def _deal_claims(name: str, day: dt.date | None) -> pd.DataFrame:
    return claims(deal_assumptions(name, as_of=day), as_of=day)


def _straight_line(a: Assumptions, out: Any, *_: Any) -> dict[str, Any]:
    over = out["overstatement_2y"]
    return _row(
        "A straight line overstates near-term growth",
        f"${a.contract_value / a.term_years:,.1f}B a year on a straight line",
        over,
        "US$ bn over the first two fiscal years",
        "",
        None,
        "the announcement: capacity comes online through 2026 (a ramp, not a straight line)",
        f"Holds: the ramp earns ${over:,.2f}B less than the straight line in its first two fiscal years "
        f"({out['overstatement_2y_pct']:.0%} of the ramp), {out['growth_pp_gap_year2']:,.2f} points of growth "
        f"in its first full fiscal year (FY{first_full_fiscal_year(a.start_date, a.fiscal_year_end)})",
    )


def _margin(a: Assumptions, out: Any, *_: Any) -> dict[str, Any]:
    bps = out["margin_bps_year2"]
    price = _solved(a, "margin_bps_year2", _BPS_LOW, "price_per_gpu_hour")
    override = _solved(a, "margin_bps_year2", _BPS_LOW, "deal_margin_override")
    needs = []
    if price is not None:
        needs.append(f"a GPU-hour of ${price:,.2f} (the evidence's central ${a.price_per_gpu_hour:,.2f})")
    if override is not None:
        needs.append(f"a deal margin of {override:.1%} (the cost stack gives {out['deal_margin_year2']:.1%})")
    true = bps <= _BPS_LOW
    verdict = (
        f"{'Holds' if true else 'Not on the evidence'}: the deal moves the margin {bps:+,.1f} bps in its first "
        "full year" + ("" if true else "; 50 bps would need " + " or ".join(needs))
    )
    return _row(
        "Margin compression of 50–100 bps near term",
        "−50 to −100 bps",
        bps,
        "bps",
        "price_per_gpu_hour",
        price,
        _price_evidence() + "; Oracle's GPU rentals earned 14% gross (quarter to Aug-25)",
        verdict,
    )


def _utilisation(a: Assumptions, out: Any, *_: Any) -> dict[str, Any]:
    breakeven = _solved(a, "npv", 0.0, "realisation")
    return _row(
        "Analysts apply a 5–10% utilisation discount",
        "realisation 90–95%",
        a.realisation,
        "fraction",
        "realisation",
        breakeven,
        "no AWS-specific OpenAI utilisation was disclosed; OpenAI's compute grew to ~1.9 GW in 2025 "
        "(CFO blog, 2026-01-18)",
        f"An input, not a result: the base case takes {1 - a.realisation:.1%}; the deal's NPV reaches zero "
        + (f"at a realisation of {breakeven:.1%}" if breakeven is not None else "at no realisation in range"),
    )


def _capex(a: Assumptions, out: Any, amazon: bool, _openai: bool, day: Any) -> dict[str, Any] | None:
    if not amazon:
        return None
    provider = company_library().find("Amazon")
    guide = provider.latest("capex_2026", as_of=day) if provider else None
    share = out["deal_capex_share_2026"]
    if guide is None:
        evidence, verdict = "no 2026 capex guide public yet", "Open: no guide yet"
    else:
        evidence = guide.describe()
        verdict = f"Amazon guided ~${guide.value:,.0f}B for 2026, far above $120B" + (
            f"; this deal's capex is {share:.1%} of it" if share is not None else ""
        )
    return _row(
        "A 2026 capex near $120B means building ahead of demand",
        "~$120B",
        guide.value if guide is not None else None,
        "US$ bn (guide)",
        "",
        None,
        evidence,
        verdict,
    )


def _customer_growth(
    a: Assumptions, out: Any, _amazon: bool, openai: bool, day: Any
) -> dict[str, Any] | None:
    if not openai:
        return None
    path = customer_revenue_path(
        a.customer_revenue_start,
        a.customer_revenue_target,
        start_year=a.customer_revenue_start_year,
        target_year=a.customer_target_year,
        years=[2027],
        growth_after=a.customer_growth_after,
    )
    in_2027 = float(path.iloc[0])
    return _row(
        "OpenAI grows from ~$3.5B to ~$50B by 2027 (14×)",
        "$50B in 2027",
        in_2027,
        "US$ bn in 2027",
        "",
        None,
        f"OpenAI's revenue ${a.customer_revenue_start:,.3g}B in {a.customer_revenue_start_year}; target "
        f"${a.customer_revenue_target:,.4g}B in {a.customer_target_year} (sources on the Assumptions page)",
        f"{'On track' if in_2027 >= 50 * 0.85 else 'Behind'}: the path gives ${in_2027:,.1f}B in 2027 "
        f"({in_2027 / 50:.0%} of the article's $50B)",
    )


def _commitments(a: Assumptions, out: Any, _amazon: bool, openai: bool, day: Any) -> dict[str, Any] | None:
    if not openai:
        return None
    contracts = library_contracts(day)
    total = float(contracts.loc[contracts["customer"] == "OpenAI", "value"].sum())
    return _row(
        "OpenAI's infrastructure commitments are ~$1.4T",
        "~$1.4T",
        total,
        "US$ bn of disclosed compute contracts",
        "",
        None,
        "~$1.4T over ~8 years (Altman, 2025-10-28/11-06); later a ~$600B compute spend target through 2030 "
        "(CNBC via fintool 2026-02-20)",
        f"The library's disclosed compute contracts sum to ${total:,.0f}B; the rest of the $1.4T is chips, "
        "investments and undisclosed terms",
    )


def _market_value(a: Assumptions, out: Any, amazon: bool, *_: Any) -> dict[str, Any] | None:
    if not amazon or a.market_value_target <= 0:
        return None
    needed = out["market_value_required_growth"]
    return _row(
        f"Amazon's market value could pass $3T by {MARKET_VALUE_YEAR}",
        f"> ${a.market_value_target:,.0f}B by {MARKET_VALUE_YEAR}",
        out["market_value_target_year"],
        f"US$ bn in {MARKET_VALUE_YEAR}",
        "market_value_growth",
        needed,
        f"${out['market_value_after']:,.0f}B after the announcement (close $244.22, +5.8%)",
        f"Needs {needed:.1%} a year from the announcement's value"
        + ("; the base case holds it flat" if a.market_value_growth == 0 else ""),
    )


def _shock(a: Assumptions, out: Any, *_: Any) -> dict[str, Any]:
    return _row(
        "The cloud sector could fall 15% overnight",
        f"{a.cloud_shock:.0%}",
        out["cloud_shock_value"],
        "US$ bn of the provider's market value",
        "",
        None,
        "a scenario, not a forecast; no such fall was reported",
        f"A {a.cloud_shock:.0%} shock takes ${-out['cloud_shock_value']:,.0f}B off the provider's market value "
        "(the bear scenario applies it)",
    )


def _move(a: Assumptions, out: Any, amazon: bool, *_: Any) -> dict[str, Any] | None:
    if not amazon:
        return None
    return _row(
        "Amazon rose 5.8% on the announcement",
        "+5.8%",
        out["value_added"],
        "US$ bn of market value added",
        "",
        None,
        "pre-market at $258.38 on a $244.22 close (the article)",
        f"The market added ${out['value_added']:,.0f}B, {out['value_added_to_contract']:,.1f}× the contract's value",
    )


_CLAIMS: tuple[Callable[..., dict[str, Any] | None], ...] = (
    _straight_line,
    _margin,
    _utilisation,
    _capex,
    _customer_growth,
    _commitments,
    _market_value,
    _shock,
    _move,
)
