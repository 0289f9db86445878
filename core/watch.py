"""The watch list: the model as of signing against what was reported after it, quarter by quarter.

Analysts re-run their model every quarter against what was reported. For a
library deal, :func:`watch_list` sets each figure reported after the deal's
signing (and on or before ``as_of``: a figure reported later is not shown)
beside the model's figure for the same period, the model built on what was
public **on the signing day** (:func:`core.deals.deal_terms` ``as_of`` the
signing date):

* the provider's backlog at each quarter-end: the backlog before the deal
  plus the deal's own roll-forward at that date (the model knows of no other
  booking);
* the provider's segment (or company) revenue and operating margin, by
  fiscal year and by quarter: the signing-day baseline plus the deal (a
  quarter's base is the year's base × its days ÷ the year's; its deal profit
  is the year's × its revenue ÷ the year's);
* the provider's 2026 capex guide: the article's ~$120B (no guide existed on
  the signing day);
* the customer's revenue and its stated targets, by year: the signing-day
  revenue path (:func:`core.baseline.customer_path` as of the signing day, so
  built from what was public then, and from years only: a run-rate or a
  quarter public before the signing never moves it);
* the customer's quarters (recognised revenue, a stated projection): the
  path's year × the quarter's days ÷ the year's days, the provider rows' rule;
* the customer's run-rate, labelled annualised: the path's annualised rate on
  the run-rate's day (:meth:`core.baseline.CustomerPath.rate_on`), never a
  year's revenue (a run-rate is not recognised revenue);
* the customer's adjusted quarterly margin: no model figure (the model holds
  no customer margin);
* the provider's contracts with the customer signed since (an expansion);
* delivery delays: the model's delay against what was reported.

Each row says the variance (reported − model) and its main cause in words;
a customer row adds the figure's flags (conflict, unconfirmed, derived) and
note. Money in US$ billions, margins as fractions.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from typing import Any

import numpy as np
import pandas as pd

from core.baseline import CustomerPath, base_revenue_path, customer_path
from core.companies import FIELDS, Figure, company_library
from core.contracts import profile_params
from core.deals import deal_terms, load_deals
from core.model import run_model
from core.schedule import (
    add_months,
    contract_schedule,
    fiscal_year_end_date,
    fiscal_year_of,
    fiscal_year_start_date,
)
from core.validation import as_date, blanks_as_none, check_name

__all__ = ["ARTICLE_CAPEX_2026", "CUSTOMER_FIGURES", "DELAY_EVIDENCE", "WATCH_COLUMNS", "watch_list"]

#: Columns of the watch list.
WATCH_COLUMNS = (
    "figure",
    "period",
    "model",
    "reported",
    "variance",
    "unit",
    "reported_on",
    "source",
    "confidence",
    "cause",
)

#: The article's expectation for Amazon's 2026 capex (2025-11-03): "near $120B would mean building
#: ahead of demand". No guide existed on the signing day.
ARTICLE_CAPEX_2026 = 120.0

#: Delivery delays since the AWS–OpenAI signing, as reported (EVIDENCE_2026 A5): no delay hitting
#: AWS or OpenAI was found; what was reported about Nvidia's 2026 schedule.
DELAY_EVIDENCE: tuple[tuple[str, dt.date, str, str], ...] = (
    (
        "no GB200/GB300 delivery delay hitting AWS or OpenAI found; HBM4 mass production slipped to end-1Q26 "
        "and Nvidia raised its 1H26 B300/GB300 shipment targets",
        dt.date(2026, 1, 8),
        "TrendForce press release 2026-01-08",
        "high",
    ),
)


def _row(
    figure: str,
    period: str,
    model: float | None,
    reported: float | None,
    unit: str,
    on: Any,
    source: str,
    confidence: str,
    cause: str,
) -> dict[str, Any]:
    variance = None if model is None or reported is None else reported - model
    return {
        "figure": figure,
        "period": period,
        "model": model,
        "reported": reported,
        "variance": variance,
        "unit": unit,
        "reported_on": on,
        "source": source,
        "confidence": confidence,
        "cause": cause,
    }


def _visible(figure: Figure, after: dt.date, until: dt.date | None) -> bool:
    on = figure.reported
    return on is not None and on > after and (until is None or on <= until)


def watch_list(deal: str = "AWS–OpenAI", *, as_of: Any = None) -> pd.DataFrame:
    """The watch list of a library deal (see the module notes); columns ``WATCH_COLUMNS``.

    Parameters
    ----------
    deal : str
        A compute deal of the library (default the reference deal).
    as_of : date, optional, keyword-only
        Show only what was reported on or before this day (default: everything reported).

    Examples
    --------
    AWS's backlog at Q4 2025: $200B before the deal plus the deal's $37.9B left at 2025-12-31 in the
    signing-day model, $244B reported (2026-02-05):

    >>> w = watch_list().set_index(["figure", "period"])
    >>> row = w.loc[("Provider backlog", "Q4 2025")]
    >>> round(float(row["model"]), 1), float(row["reported"]), round(float(row["variance"]), 1)
    (237.9, 244.0, 6.1)
    >>> watch_list(as_of="2025-12-31").empty  # nothing was reported by then
    True
    """
    until = None if as_of is None else as_date("as_of", as_of)
    with _ONE_AT_A_TIME:  # cells asking at once (a sheet of them) wait for one computation, not run it each
        return _watch_list(check_name("deal", deal), until).copy()


_ONE_AT_A_TIME = threading.Lock()


@functools.lru_cache(maxsize=16)
def _watch_list(deal: str, until: dt.date | None) -> pd.DataFrame:
    """The watch list of ``deal`` up to ``until``, read once per deal and day (callers get a copy)."""
    terms = deal_terms(deal)
    signing = terms.assumptions.signing_date
    a = deal_terms(deal, as_of=signing).assumptions  # the model as it stood on the signing day
    run = run_model(a)
    library = company_library()
    provider = library.find(a.provider)
    customer = library.find(a.customer)
    rows: list[dict[str, Any]] = []
    if provider is not None:
        rows += _backlog_rows(a, run, provider.values("backlog"), signing, until)
        rows += _segment_rows(a, run, provider, signing, until)
        rows += _capex_rows(a, provider, signing, until)
    if customer is not None:
        rows += _customer_rows(a, customer, signing, until)
    rows += _contract_rows(a, signing, until)
    rows += _delay_rows(a, signing, until)
    table = blanks_as_none(pd.DataFrame(rows, columns=list(WATCH_COLUMNS)), ("model", "reported", "variance"))
    return table.sort_values("reported_on", kind="stable").reset_index(drop=True) if rows else table


def _quarter_label(day: dt.date) -> str:
    return f"Q{(day.month - 1) // 3 + 1} {day.year}"


def _quarter_share(end: dt.date, fiscal_year_end: int) -> tuple[int, int, int]:
    """The fiscal year of the quarter ending on ``end`` (a month's last day), its days and the year's days.

    A quarter is compared with a yearly figure as the year's × its days ÷ the year's (the provider's
    base and the customer's path alike). It starts the day after the month-end three months before:

    >>> _quarter_share(dt.date(2026, 6, 30), 12), _quarter_share(dt.date(2026, 2, 28), 5)
    ((2026, 91, 365), (2026, 90, 365))
    """
    year = fiscal_year_of(end, fiscal_year_end)
    first = fiscal_year_start_date(year, fiscal_year_end)
    days_in_year = (fiscal_year_end_date(year, fiscal_year_end) - first).days + 1
    start = add_months(end + dt.timedelta(days=1), -3)
    return year, (end - start).days + 1, days_in_year


def _backlog_rows(a: Any, run: Any, figures: list[Figure], signing: dt.date, until: dt.date | None) -> list:
    roll = run.tables["backlog"]
    ends = pd.to_datetime(roll["end"]).dt.date.to_numpy()
    out = []
    for f in figures:
        if not _visible(f, signing, until) or f.as_of is None:
            continue
        at = np.flatnonzero(ends <= f.as_of)
        deal_left = float(roll["ending"].iloc[at[-1]]) if at.size else 0.0
        model = a.reported_backlog + deal_left
        cause = (
            "the signing-day model adds only this deal's remaining backlog to the backlog before it; the "
            "difference is other contracts booked, less backlog turned into revenue"
        )
        if f.note:
            cause += f" ({f.note})"
        out.append(
            _row(
                "Provider backlog",
                f.period,
                model,
                f.value,
                "US$ bn",
                f.reported,
                f.source,
                f.confidence,
                cause,
            )
        )
    return out


def _segment_rows(a: Any, run: Any, provider: Any, signing: dt.date, until: dt.date | None) -> list:
    margin = run.tables["margin"].set_index("period")
    econ = run.tables["economics"].set_index("year")
    fields = (("segment_revenue", "segment_operating_margin"), ("revenue", "operating_margin"))
    revenue_field, margin_field = next(
        ((r, m) for r, m in fields if provider.values(r)), ("revenue", "operating_margin")
    )
    out = []
    rule = (
        f"the signing-day baseline: FY{a.base_year} ${a.base_revenue:,.4g}B growing {a.base_growth:.1%} a year "
        f"at a {a.base_margin:.1%} margin, plus the deal"
    )
    for f in provider.values(revenue_field):
        if not _visible(f, signing, until) or f.as_of is None:
            continue
        year = fiscal_year_of(f.as_of, a.fiscal_year_end)
        deal = float(econ["revenue"].get(year, 0.0))
        model = float(base_revenue_path(a.base_revenue, a.base_growth, a.base_year, year)) + deal
        out.append(
            _row(
                "Provider revenue",
                f"FY{year}",
                model,
                f.value,
                "US$ bn",
                f.reported,
                f.source,
                f.confidence,
                f"{rule}; the deal's FY{year} revenue ${deal:,.3g}B",
            )
        )
    for f in provider.values(margin_field):
        if not _visible(f, signing, until) or f.as_of is None:
            continue
        year = fiscal_year_of(f.as_of, a.fiscal_year_end)
        label = f"FY{year}"
        model = float(margin["blended_margin"].get(label, a.base_margin))
        change = float(margin["change_bps"].get(label, 0.0))
        out.append(
            _row(
                "Provider operating margin",
                label,
                model,
                f.value,
                "fraction",
                f.reported,
                f.source,
                f.confidence,
                f"{rule}; the deal moves it {change:+,.1f} bps in the model",
            )
        )
    quarters = _deal_quarters(a)
    for field, label in (
        ("quarter_revenue", "Provider quarter revenue"),
        ("quarter_operating_margin", "Provider quarter operating margin"),
    ):
        for f in provider.values(field):
            if not _visible(f, signing, until) or f.as_of is None:
                continue
            year, days, days_in_year = _quarter_share(f.as_of, a.fiscal_year_end)
            base = float(base_revenue_path(a.base_revenue, a.base_growth, a.base_year, year))
            base_q = base * days / days_in_year
            deal_q = float(quarters.get(f.as_of, 0.0))
            year_revenue = float(econ["revenue"].get(year, 0.0))
            profit_q = float(econ["operating_profit"].get(year, 0.0)) * (
                deal_q / year_revenue if year_revenue else 0.0
            )
            if field == "quarter_revenue":
                model, unit = base_q + deal_q, "US$ bn"
            else:
                model, unit = (base_q * a.base_margin + profit_q) / (base_q + deal_q), "fraction"
            out.append(
                _row(
                    label,
                    _quarter_label(f.as_of),
                    model,
                    f.value,
                    unit,
                    f.reported,
                    f.source,
                    f.confidence,
                    f"{rule} (a quarter takes its days' share of the year)",
                )
            )
    return out


def _deal_quarters(a: Any) -> dict[dt.date, float]:
    """The deal's realised revenue by fiscal quarter, keyed by the quarter's last day."""
    schedule = contract_schedule(
        a.contract_value,
        a.start_date,
        a.term_years,
        frequency="quarter",
        fiscal_year_end=a.fiscal_year_end,
        profile=a.profile,
        realisation=a.realisation,
        delay_days=a.delay_days,
        delay_mode=a.delay_mode,
        **profile_params(a),
    )
    return {
        pd.Timestamp(end).date(): float(rev)
        for end, rev in zip(schedule["end"], schedule["revenue"], strict=True)
    }


def _capex_rows(a: Any, provider: Any, signing: dt.date, until: dt.date | None) -> list:
    out = []
    for f in provider.values("capex_2026"):
        if not _visible(f, signing, until):
            continue
        cause = (
            "the article (2025-11-03): a 2026 capex near $120B would mean building ahead of demand; "
            f"the guide came in at ${f.value:,.0f}B"
        )
        model = ARTICLE_CAPEX_2026 if provider.name == "Amazon" else None
        out.append(
            _row(
                "Provider 2026 capex guide",
                "FY2026",
                model,
                f.value,
                "US$ bn",
                f.reported,
                f.source,
                f.confidence,
                cause if model is not None else "no guide before the signing day",
            )
        )
    for f in provider.values("quarter_capex"):
        if _visible(f, signing, until) and f.as_of is not None:
            out.append(
                _row(
                    "Provider quarter capex",
                    _quarter_label(f.as_of),
                    None,
                    f.value,
                    "US$ bn",
                    f.reported,
                    f.source,
                    f.confidence,
                    f.note or "the model holds no quarterly capex of the provider",
                )
            )
    return out


#: The customer's figures the watch list reads: field, the row's name, and how the signing-day path gives
#: its model figure ("year": the path's year; "quarter": the year's × the quarter's days ÷ the year's;
#: "run-rate": the path's annualised rate on the day; None: the model holds no such figure).
CUSTOMER_FIGURES: tuple[tuple[str, str, str | None], ...] = (
    ("revenue", "Customer revenue", "year"),
    ("revenue_target", "Customer revenue target", "year"),
    ("quarter_revenue", "Customer quarter revenue", "quarter"),
    ("quarter_revenue_target", "Customer quarter revenue projection", "quarter"),
    ("run_rate_revenue", "Customer run-rate (annualised)", "run-rate"),
    ("quarter_adjusted_operating_margin", "Customer quarter adjusted operating margin", None),
)


def _customer_rows(a: Any, customer: Any, signing: dt.date, until: dt.date | None) -> list:
    path = customer_path(customer.name, as_of=signing)
    rule = (
        f"the signing-day path: ${path.start:,.3g}B in {path.start_year} to ${path.target:,.3g}B in "
        f"{path.target_year}, then held"
    )
    out = []
    for field, label, compare in CUSTOMER_FIGURES:
        unit = FIELDS[field][0]
        for f in customer.values(field):
            if not _visible(f, signing, until) or f.as_of is None:
                continue
            model, period, cause = _customer_model(path, f, compare, rule)
            said = "; ".join(part for part in (", ".join(f.flags), f.note) if part)
            if said:
                cause += f" ({said})"
            out.append(_row(label, period, model, f.value, unit, f.reported, f.source, f.confidence, cause))
    return out


def _customer_model(
    path: CustomerPath, f: Figure, compare: str | None, rule: str
) -> tuple[float | None, str, str]:
    """The signing-day path's figure for ``f``, the row's period and the cause (see ``CUSTOMER_FIGURES``)."""
    assert f.as_of is not None
    if compare == "year":
        return float(path.revenue_by_year([f.as_of.year])[0]), str(f.as_of.year), rule
    if compare == "quarter":
        year, days, days_in_year = _quarter_share(f.as_of, 12)  # the path runs by calendar year
        whole = float(path.revenue_by_year([year])[0])
        text = (
            f"{rule}; a quarter is its days' share of the path's year: ${whole:,.3g}B × {days}/{days_in_year}"
        )
        return whole * days / days_in_year, _quarter_label(f.as_of), text
    if compare == "run-rate":
        text = (
            f"a run-rate (recent weeks annualised; not recognised revenue) against the path's annualised rate on "
            f"{f.as_of.isoformat()} (its years read at mid-year, geometric between); {rule}"
        )
        return path.rate_on(f.as_of), f.period, text
    return None, _quarter_label(f.as_of), "the model holds no customer margin"


def _contract_rows(a: Any, signing: dt.date, until: dt.date | None) -> list:
    library = load_deals()
    same = library[(library["provider"] == a.provider) & (library["customer"] == a.customer)]
    out = []
    for _, row in same.iterrows():
        day = row["announced"]
        if row["deal"] == a.deal_name or day is None or day <= signing or (until is not None and day > until):
            continue
        value = None if pd.isna(row["value_usd_bn"]) else float(row["value_usd_bn"])
        cause = f"{row['deal']}: {row['value_note']} ({row['term_note']})"
        out.append(
            _row(
                "Contracts with the customer",
                day.isoformat(),
                a.contract_value,
                None if value is None else a.contract_value + value,
                "US$ bn",
                day,
                row["source"],
                row["status"],
                cause,
            )
        )
    return out


def _delay_rows(a: Any, signing: dt.date, until: dt.date | None) -> list:
    out = []
    for text, day, source, confidence in DELAY_EVIDENCE:
        if day > signing and (until is None or day <= until):
            out.append(
                _row(
                    "Delivery delay",
                    "2026",
                    a.delay_quarters,
                    None,
                    "quarters",
                    day,
                    source,
                    confidence,
                    text,
                )
            )
    return out
