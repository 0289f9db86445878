"""A contract as the model schedules it, wherever it appears.

The deal's own model (:func:`core.model.run_model`), the customer's portfolio
in the counterparty section, portfolio exposure and the template all build a
contract's revenue and backlog with the same schedule: its profile and ramp,
realisation, delivery delay (extend, compress or forfeit) and booking date.
A contract is a portfolio row: ``deal``, ``provider``, ``customer``,
``value`` (US$ bn), ``start``, ``term_years``, and the schedule terms of
``TERM_COLUMNS``. A row without them (an analyst's own row) is a straight
line, fully realised, undelayed, booked at its start.

Library deals are built by :func:`core.deals.deal_assumptions`, so a library
contract in a portfolio is exactly the contract of that deal's own report.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd

from core.assumptions import Assumptions
from core.backlog import current_rpo
from core.companies import load_companies
from core.deals import PORTFOLIO_COLUMNS, deal_terms, load_deals, modelling_refusal
from core.schedule import contract_schedule
from core.validation import DealDeskInputError, as_date, check_name, name_key

__all__ = [
    "data_as_of",
    "CONTRACT_COLUMNS",
    "TERM_COLUMNS",
    "booking_day",
    "contract_row",
    "customer_contracts",
    "library_contracts",
    "newest_public_day",
    "profile_params",
    "remaining_backlog",
    "scheduled_revenue",
]

#: A contract's schedule terms, beside the portfolio columns (see the module notes).
TERM_COLUMNS = ("profile", "full_at", "initial_rate", "realisation", "delay_days", "delay_mode", "booked_on")
#: Columns of a portfolio of scheduled contracts.
CONTRACT_COLUMNS = (*PORTFOLIO_COLUMNS, *TERM_COLUMNS)


def profile_params(a: Assumptions) -> dict[str, Any]:
    """Profile parameters the assumptions carry for their revenue profile.

    ``linear`` takes ``full_at`` and ``initial_rate``; ``straight``,
    ``scurve``, ``front`` and ``back`` use their defaults; ``custom`` and
    ``capacity`` need per-year weights that the assumptions do not hold.

    >>> sorted(profile_params(Assumptions()))
    ['full_at', 'initial_rate']
    """
    if a.profile == "linear":
        return {"full_at": a.full_at, "initial_rate": a.initial_rate}
    if a.profile in ("custom", "capacity"):
        raise DealDeskInputError(
            f"profile {a.profile!r} needs per-period weights, which the model inputs do not hold; "
            "use 'straight', 'linear', 'scurve', 'front' or 'back' in a model run"
        )
    return {}


def booking_day(a: Assumptions) -> dt.date:
    """The day the contract enters backlog: ``booking_date``, else the signing date; never after the start.

    A non-cancellable commitment enters RPO when it is signed (ASC 606), even when its revenue starts
    years later (Oracle–OpenAI: signed 2025-09-10, earning from 2027). A contract already earning
    before its announcement is booked at its start.

    >>> from core.deals import deal_assumptions
    >>> booking_day(deal_assumptions("Oracle–OpenAI")).isoformat()
    '2025-09-10'
    """
    day = a.booking_date if a.booking_date is not None else a.signing_date
    return min(day, a.start_date)


def contract_row(a: Assumptions) -> dict[str, Any]:
    """The modelled contract of ``a`` as a portfolio row (``CONTRACT_COLUMNS``)."""
    params = profile_params(a)
    return {
        "deal": a.deal_name,
        "provider": a.provider,
        "customer": a.customer,
        "value": a.contract_value,
        "start": a.start_date,
        "term_years": a.term_years,
        "start_assumed": False,
        "term_assumed": False,
        "status": "modelled",
        "assumption": "",
        "profile": a.profile,
        "full_at": params.get("full_at"),
        "initial_rate": params.get("initial_rate"),
        "realisation": a.realisation,
        "delay_days": a.delay_days,
        "delay_mode": a.delay_mode,
        "booked_on": booking_day(a),
    }


def _terms(row: Mapping[str, Any]) -> dict[str, Any]:
    """The schedule keywords of a row (a straight line, fully realised, when it has none)."""

    def given(name: str) -> Any:
        value = row.get(name)
        return None if value is None or (isinstance(value, float) and pd.isna(value)) else value

    profile = given("profile") or "straight"
    terms: dict[str, Any] = {
        "profile": profile,
        "realisation": float(given("realisation") if given("realisation") is not None else 1.0),
        "delay_days": int(given("delay_days") or 0),
        "delay_mode": given("delay_mode") or "extend",
    }
    if profile == "linear":
        for name in ("full_at", "initial_rate"):
            if given(name) is not None:
                terms[name] = given(name)
    return terms


def scheduled_revenue(
    row: Mapping[str, Any], *, fiscal_year_end: int = 12, contractual: bool = False
) -> pd.Series:
    """A contract's revenue by fiscal year (US$ bn, indexed by year), on its own schedule terms.

    ``contractual=True`` gives the undiscounted commitment (realisation 1):
    what the contract obliges, before the utilisation discount.

    Examples
    --------
    AWS–OpenAI in calendar 2025 as the model schedules it (a linear ramp from 2025-11-03 to full
    run-rate on 2026-12-31, 92.5% realised): far below the straight line's 38 × 59 ÷ 2557 = 0.877.

    >>> row = contract_row(Assumptions())
    >>> round(float(scheduled_revenue(row)[2025]), 4) < round(38 * 59 / 2557, 3)
    True
    """
    terms = _terms(row)
    if contractual:
        terms["realisation"] = 1.0
    try:
        table = contract_schedule(
            row["value"],
            row["start"],
            row["term_years"],
            frequency="year",
            fiscal_year_end=fiscal_year_end,
            **terms,
        )
    except DealDeskInputError as error:
        raise DealDeskInputError(f"portfolio deal {row.get('deal')!r}: {error}") from None
    years = table["period"].str.slice(2).astype(int).to_numpy()
    return pd.Series(table["revenue"].to_numpy(dtype=float), index=years)


def remaining_backlog(row: Mapping[str, Any], at: Any) -> float:
    """The contract's backlog (RPO) at the end of day ``at``: booked, less revenue recognised and
    commitment derecognised by then (US$ bn; 0 before it is booked).

    >>> round(remaining_backlog(contract_row(Assumptions()), "2025-12-31"), 2)
    37.94
    """
    day = as_date("at", at)
    terms = _terms(row)
    booked = row.get("booked_on")
    booked_on = (
        None
        if booked is None or (isinstance(booked, float) and pd.isna(booked))
        else as_date("booked_on", booked)
    )
    if day < (booked_on or as_date("start", row["start"])):
        return 0.0
    return float(
        current_rpo(row["value"], row["start"], row["term_years"], as_of=day, booked_on=booked_on, **terms)[
            "total"
        ]
    )


#: The day a whole view is built as of (see :func:`data_as_of`); None: the libraries' latest.
_DATA_AS_OF: contextvars.ContextVar[dt.date | None] = contextvars.ContextVar("data_as_of", default=None)


@contextlib.contextmanager
def data_as_of(day: Any) -> Iterator[None]:
    """Build everything inside as of ``day``: :func:`library_contracts` called without an ``as_of``
    (the customer's other contracts in the model's counterparty section among them) leaves out the
    deals announced after it, so a report as of a date counts only the commitments public then.

    >>> with data_as_of("2025-12-31"):
    ...     "AWS–OpenAI expansion" in set(library_contracts()["deal"])
    False
    >>> "AWS–OpenAI expansion" in set(library_contracts()["deal"])
    True
    """
    token = _DATA_AS_OF.set(None if day is None else as_date("as_of", day))
    try:
        yield
    finally:
        _DATA_AS_OF.reset(token)


def newest_public_day(*, deals: Any = None, companies: Any = None) -> dt.date:
    """The newest day a figure of the libraries was made public: the latest reporting date of the
    company library and announcement of the deal library. A view built without an as-of date uses
    every figure, so its figures run to this day (a report shows it beside its valuation date).

    >>> newest_public_day().isoformat()  # OpenAI's 2026 and 2027 projections (altcoinbeat, 2026-07-01)
    '2026-07-01'
    """
    days = [*load_companies(companies)["reported"].dropna(), *load_deals(deals)["announced"].dropna()]
    return max(days)


def library_contracts(as_of: dt.date | None = None, *, deals: Any = None) -> pd.DataFrame:
    """Every modelled compute contract of the deal library, as its own report schedules it.

    One row per deal that can be modelled (a cloud compute purchase with a
    disclosed value), built by :func:`core.deals.deal_assumptions` with the
    figures public on ``as_of`` (default: the day of an enclosing :func:`data_as_of`, else the
    latest); columns ``CONTRACT_COLUMNS``. A deal announced after ``as_of`` was not public then and is
    left out.

    ``deals`` (a path or DataFrame) reads another deal library instead of the shipped one.

    >>> c = library_contracts().set_index("deal")
    >>> c.loc["AWS–OpenAI", "profile"], float(c.loc["AWS–OpenAI", "realisation"])
    ('linear', 0.925)
    """
    if as_of is None:
        as_of = _DATA_AS_OF.get()
    if deals is None:
        return _shipped_contracts(as_of).copy()
    return _contracts(load_deals(deals), deals, as_of)


@functools.lru_cache(maxsize=8)
def _shipped_contracts(as_of: dt.date | None) -> pd.DataFrame:
    return _contracts(load_deals(), None, as_of)


def _contracts(library: pd.DataFrame, deals: Any, as_of: dt.date | None) -> pd.DataFrame:
    rows = []
    for _, deal in library.iterrows():
        if modelling_refusal(deal) or (
            as_of is not None and deal["announced"] is not None and deal["announced"] > as_of
        ):
            continue
        terms = deal_terms(deal["deal"], deals=deals, as_of=as_of)
        row = contract_row(terms.assumptions)
        notes = [
            terms.sources[n].removeprefix("analyst default: ")
            for n in ("start_date", "term_years")
            if n in terms.assumed
        ]
        row.update(
            start_assumed="start_date" in terms.assumed,
            term_assumed="term_years" in terms.assumed,
            status=deal["status"],
            assumption="; ".join(dict.fromkeys(notes)),
        )
        rows.append(row)
    return pd.DataFrame(rows, columns=list(CONTRACT_COLUMNS))


def customer_contracts(customer: Any, *, as_of: Any = None) -> pd.DataFrame:
    """One customer's contracts of :func:`library_contracts` (the name rule of :func:`core.validation.check_name`,
    matched by :func:`core.validation.name_key`).

    Raises
    ------
    DealDeskInputError
        A customer with no modelled contract in the library (the message lists those that have one).

    >>> customer_contracts("openai")["deal"].tolist()
    ['AWS–OpenAI', 'AWS–OpenAI expansion', 'Microsoft–OpenAI', 'Oracle–OpenAI', 'CoreWeave–OpenAI (Mar-25)', 'CoreWeave–OpenAI (May-25)', 'CoreWeave–OpenAI (Sep-25)']
    """
    wanted = name_key(check_name("customer", customer))
    library = library_contracts(None if as_of is None else as_date("as_of", as_of))
    names = sorted(dict.fromkeys(library["customer"]))
    if wanted not in {name_key(n) for n in names}:
        raise DealDeskInputError(
            f"customer must be one of {', '.join(repr(n) for n in names)}; got {customer!r}"
        )
    mine = library[[name_key(n) == wanted for n in library["customer"]]]
    return mine.reset_index(drop=True)
