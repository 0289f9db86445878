"""The deal library: headline terms of public AI compute contracts, and customer portfolios.

The library ships as ``core/data/deals.csv``, one row per announced contract,
carried over from public reporting with the source named on each row. Rules of
the file, checked by :func:`load_deals`:

* ``value_usd_bn`` is the headline value in US$ billions, blank where it was not
  disclosed (``value_basis`` "not disclosed"; the reported words, such as
  "tens of billions", are kept in ``value_note``). A second reported figure or
  an upper bound goes in ``value_high_usd_bn``. ``value_basis`` says what the
  number is: point, approx, sum, range, up to, lower bound, not disclosed.
* ``term_years`` is blank where the term was not disclosed. ``start`` is a date
  where one was stated; a year or half-year only ("from 2027", "2H 2026") is
  entered as its first day (2027-01-01, 2026-07-01) and ``start_note`` says so.
  ``end`` is the stated last day where one was given ("to Dec 2031").
* ``capacity`` keeps the reported words; where they state a GPU count or an IT
  load, ``capacity_gpus`` (GPUs) and ``capacity_it_mw`` (MW) carry the number
  (blank otherwise; a ceiling such as "up to 5 GW" is not a contracted load and
  stays blank, so the fleet follows the price). ``gpu_generation`` is the GPU generation the same source
  names ("GB300", "GB200/GB300", "Blackwell"), blank where none is named; a
  modelled deal takes the evidence for its own generation
  (:mod:`core.evidence`).
* ``status`` carries the reporting's own words: announced, reported,
  unconfirmed, conflict, non-binding. ``kind`` separates cloud compute
  purchases, chip supply and investments.

Building a portfolio for counterparty analysis needs a start and a term for
every contract. Where the library has none, :func:`default_portfolio` fills the
gap with explicit analyst assumptions (start on the announcement date; a term
of ``default_term_years``) and flags every filled value, never silently.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from core.assumptions import INPUTS, Assumptions, as_assumptions
from core.baseline import customer_path, provider_baseline
from core.companies import Company, Figure, company_library
from core.conventions import DAYS_PER_YEAR
from core.evidence import EVIDENCE_TABLES, REFERENCE_GENERATION, central, derivation, generations
from core.schedule import contract_end, fiscal_year_of
from core.validation import DealDeskInputError, as_date, check_name, check_term_years, name_key

__all__ = [
    "DEAL_COLUMNS",
    "DEAL_KINDS",
    "DEAL_STATUSES",
    "VALUE_BASES",
    "PORTFOLIO_COLUMNS",
    "DealTerms",
    "load_deals",
    "default_portfolio",
    "deal_terms",
    "deal_assumptions",
    "deal_note",
    "modelling_refusal",
    "unmodelled_deals",
    "deal_library_table",
    "PROVIDER_INPUTS",
    "CUSTOMER_INPUTS",
]

#: Columns of the deal library, in file order.
DEAL_COLUMNS = (
    "deal",
    "provider",
    "customer",
    "kind",
    "announced",
    "announced_note",
    "value_usd_bn",
    "value_high_usd_bn",
    "value_basis",
    "value_note",
    "term_years",
    "term_note",
    "start",
    "start_note",
    "end",
    "capacity",
    "capacity_gpus",
    "capacity_it_mw",
    "gpu_generation",
    "status",
    "source",
)
_BY_INPUT = {spec.name: spec for spec in INPUTS}
#: What a contract is: a cloud compute purchase, chip supply, or an investment in the customer.
DEAL_KINDS = ("cloud compute", "chips", "investment")
#: Reporting status, in the words of the reporting.
DEAL_STATUSES = ("announced", "reported", "unconfirmed", "conflict", "non-binding")
#: What ``value_usd_bn`` means.
VALUE_BASES = ("point", "approx", "sum", "range", "up to", "lower bound", "not disclosed")
#: Columns of a portfolio (see :func:`default_portfolio`).
PORTFOLIO_COLUMNS = (
    "deal",
    "provider",
    "customer",
    "value",
    "start",
    "term_years",
    "start_assumed",
    "term_assumed",
    "status",
    "assumption",
)

_TEXT = (
    "deal",
    "provider",
    "customer",
    "kind",
    "announced_note",
    "value_basis",
    "value_note",
    "term_note",
    "start_note",
    "capacity",
    "gpu_generation",
    "status",
    "source",
)
#: Inputs a library deal takes from the evidence of its own GPU generation.
_PRICED_INPUTS = ("price_per_gpu_hour", "rack_price_musd")
#: GPU generations a deal may name: those the price and IT capex evidence tables know.
_KNOWN_GENERATIONS = frozenset(
    r.generation
    for name in _PRICED_INPUTS
    for r in EVIDENCE_TABLES[name].rows
    if r.generation and r.generation != "mixed fleet"
)
_NUMBERS = ("value_usd_bn", "value_high_usd_bn", "term_years", "capacity_gpus", "capacity_it_mw")
_DATES = ("announced", "start", "end")


def _read(source: Any) -> pd.DataFrame:
    if source is None:
        with resources.files("core").joinpath("data", "deals.csv").open("r", encoding="utf-8") as handle:
            return pd.read_csv(handle, dtype=str, keep_default_na=False)
    if isinstance(source, pd.DataFrame):
        return source.astype(object).where(source.notna(), "").astype(str)
    path = Path(source)
    if not path.is_file():
        raise DealDeskInputError(f"path must be an existing deal library CSV file, got {str(source)!r}")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _row_error(row: pd.Series, column: str, rule: str, value: Any) -> DealDeskInputError:
    return DealDeskInputError(f"deal {row['deal']!r}: {column} must be {rule}, got {value!r}")


def load_deals(source: Any = None) -> pd.DataFrame:
    """Load and validate the deal library.

    Parameters
    ----------
    source : path, DataFrame or None
        ``None`` (default) reads the library shipped with the package; a path
        reads an analyst's own CSV with the same columns (``DEAL_COLUMNS``); a
        DataFrame is validated as given.

    Returns
    -------
    pandas.DataFrame
        One row per deal, columns ``DEAL_COLUMNS``. ``value_usd_bn``,
        ``value_high_usd_bn``, ``term_years``, ``capacity_gpus`` and
        ``capacity_it_mw`` are nullable floats
        (``Float64``; ``<NA>`` where not disclosed, which is data, not an
        error, and shows as a blank cell); ``announced``, ``start`` and
        ``end`` are ``datetime.date`` or ``None``; text columns are strings
        ("" where empty).

    Raises
    ------
    DealDeskInputError
        A missing column, duplicate deal, bad number, date or category; the
        message names the deal, the column and the rule.

    Examples
    --------
    The library holds the reference deal with its headline terms:

    >>> deals = load_deals()
    >>> aws = deals.set_index("deal").loc["AWS–OpenAI"]
    >>> float(aws["value_usd_bn"]), float(aws["term_years"]), aws["start"].isoformat()
    (38.0, 7.0, '2025-11-03')
    """
    if source is None:
        # The shipped library is read and validated once; callers get their own copy.
        return _shipped_deals().copy()
    return _validated_library(source)


@functools.lru_cache(maxsize=1)
def _shipped_deals() -> pd.DataFrame:
    return _validated_library(None)


def _validated_library(source: Any) -> pd.DataFrame:
    raw = _read(source)
    missing = [c for c in DEAL_COLUMNS if c not in raw.columns]
    if missing:
        raise DealDeskInputError(
            f"deal library must have the columns {', '.join(DEAL_COLUMNS)}; missing {', '.join(missing)}"
        )
    raw = raw[list(DEAL_COLUMNS)].apply(lambda col: col.str.strip())
    if raw.empty:
        raise DealDeskInputError("deal library must hold at least one deal, got none")
    empty_names = raw["deal"] == ""
    if empty_names.any():
        raise DealDeskInputError(
            f"deal library: deal must be a non-empty name, got '' on row {int(np.flatnonzero(empty_names)[0]) + 1}"
        )
    duplicated = raw["deal"][raw["deal"].duplicated()]
    if not duplicated.empty:
        raise DealDeskInputError(f"deal library: deal names must be unique, got {duplicated.iloc[0]!r} twice")

    records: list[dict[str, Any]] = []
    for _, row in raw.iterrows():
        record: dict[str, Any] = {c: str(row[c]) for c in _TEXT}
        for column in _NUMBERS:
            text = row[column]
            if text == "":
                record[column] = float("nan")
                continue
            try:
                number = float(text)
            except ValueError:
                raise _row_error(row, column, "a number or blank", text) from None
            if not np.isfinite(number) or number <= 0:
                raise _row_error(row, column, "a number > 0 or blank", text)
            record[column] = number
        for column in _DATES:
            text = row[column]
            if text == "":
                record[column] = None
                continue
            try:
                record[column] = dt.date.fromisoformat(text)
            except ValueError:
                raise _row_error(row, column, "an ISO date such as 2025-11-03 or blank", text) from None
        for column, choices in (
            ("kind", DEAL_KINDS),
            ("status", DEAL_STATUSES),
            ("value_basis", VALUE_BASES),
        ):
            if record[column] not in choices:
                listed = ", ".join(repr(c) for c in choices)
                raise _row_error(row, column, f"one of {listed}", record[column])
        for column in ("provider", "customer", "source"):
            if record[column] == "":
                raise _row_error(row, column, "non-empty", "")
        if record["gpu_generation"] and not set(generations(record["gpu_generation"])) <= _KNOWN_GENERATIONS:
            known = ", ".join(sorted(_KNOWN_GENERATIONS | {"Blackwell"}))
            raise _row_error(
                row,
                "gpu_generation",
                f"blank or generations separated by '/' ({known})",
                record["gpu_generation"],
            )
        _check_row(row, record)
        records.append(record)
    table = pd.DataFrame.from_records(records, columns=list(DEAL_COLUMNS))
    return table.astype({column: "Float64" for column in _NUMBERS})


def _check_row(row: pd.Series, record: dict[str, Any]) -> None:
    value, high = record["value_usd_bn"], record["value_high_usd_bn"]
    undisclosed = record["value_basis"] == "not disclosed"
    if undisclosed != np.isnan(value):
        rule = "blank when value_basis is 'not disclosed' (and only then)"
        raise _row_error(row, "value_usd_bn", rule, row["value_usd_bn"])
    if undisclosed and record["value_note"] == "":
        raise _row_error(row, "value_note", "the reported words when the value is not disclosed", "")
    if not np.isnan(high) and (np.isnan(value) or high < value):
        raise _row_error(row, "value_high_usd_bn", "blank or >= value_usd_bn", row["value_high_usd_bn"])
    start, end, term = record["start"], record["end"], record["term_years"]
    if start is not None and end is not None:
        if end < start:
            raise _row_error(row, "end", f"on or after start {start.isoformat()}", row["end"])
        if not np.isnan(term) and contract_end(start, term) != end:
            rule = f"the last day of a {term:g}-year term from {start.isoformat()} ({contract_end(start, term).isoformat()})"
            raise _row_error(row, "end", rule, row["end"])


def default_portfolio(
    customer: str = "OpenAI",
    *,
    deals: pd.DataFrame | None = None,
    default_term_years: float = 5.0,
    kinds: Iterable[str] = ("cloud compute", "chips"),
    exclude_statuses: Iterable[str] = ("non-binding",),
) -> pd.DataFrame:
    """A customer's commitments from the deal library, ready for a commitment schedule.

    Keeps the customer's deals of the given ``kinds`` that have a disclosed
    value and a status not in ``exclude_statuses``. Each deal needs a start and
    a term; where the library has none, two **analyst assumptions** fill them,
    and the row says so (``start_assumed``, ``term_assumed``, ``assumption``):

    * start: the stated start, else the announcement date;
    * term: the stated term, else start to the stated end, else
      ``default_term_years``.

    Parameters
    ----------
    customer : str
        Customer name as in the library's ``customer`` column (case-insensitive).
    deals : DataFrame, optional, keyword-only
        A library from :func:`load_deals`; default the shipped one.
    default_term_years : float, keyword-only
        Analyst assumption: term in years for deals whose term was not
        disclosed (default 5; a whole number of months, > 0).
    kinds : iterable of str, keyword-only
        Deal kinds to keep (``DEAL_KINDS``). Investments in the customer are
        left out by default: they fund the customer, they are not its spend.
    exclude_statuses : iterable of str, keyword-only
        Statuses to leave out (``DEAL_STATUSES``); non-binding by default.

    Returns
    -------
    pandas.DataFrame
        Columns ``PORTFOLIO_COLUMNS``; ``value`` in US$ billions, ``start`` a
        date, ``term_years`` a float.

    Raises
    ------
    DealDeskInputError
        An unknown customer, kind or status, or a bad ``default_term_years``.

    Examples
    --------
    OpenAI's disclosed purchase commitments: AWS, Microsoft, Oracle and CoreWeave's three
    ($38B + $250B + $300B + $11.9B + $4B + $6.5B):

    >>> p = default_portfolio("OpenAI")
    >>> p["deal"].tolist(), round(float(p["value"].sum()), 6)
    (['AWS–OpenAI', 'AWS–OpenAI expansion', 'Microsoft–OpenAI', 'Oracle–OpenAI', 'CoreWeave–OpenAI (Mar-25)', 'CoreWeave–OpenAI (May-25)', 'CoreWeave–OpenAI (Sep-25)'], 672.4)
    >>> p.set_index("deal").loc["Microsoft–OpenAI", "assumption"]
    'start assumed at announcement (2025-10-28); term assumed 5 years (not disclosed)'
    """
    library = load_deals(deals)
    term_default = check_term_years("default_term_years", default_term_years)
    kind_set = _check_members("kinds", kinds, DEAL_KINDS)
    status_set = _check_members("exclude_statuses", exclude_statuses, DEAL_STATUSES)
    if not isinstance(customer, str) or customer.strip() == "":
        raise DealDeskInputError(f"customer must be a customer name such as 'OpenAI', got {customer!r}")
    names = sorted(set(library["customer"]))
    wanted = name_key(check_name("customer", customer))
    matches = library["customer"].map(name_key) == wanted
    if not matches.any():
        raise DealDeskInputError(
            f"customer must be one of {', '.join(repr(n) for n in names)}; got {customer!r}"
        )
    chosen = library[
        matches
        & library["kind"].isin(kind_set)
        & ~library["status"].isin(status_set)
        & library["value_usd_bn"].notna()
    ]
    rows = []
    for _, deal in chosen.iterrows():
        notes = []
        start, start_assumed = deal["start"], False
        if start is None:
            start, start_assumed = deal["announced"], True
            if start is None:
                raise DealDeskInputError(
                    f"deal {deal['deal']!r}: start must be stated or an announcement date given, got neither"
                )
            notes.append(f"start assumed at announcement ({start.isoformat()})")
        term_assumed = bool(pd.isna(deal["term_years"]))
        term = term_default if term_assumed else float(deal["term_years"])
        if term_assumed:
            if deal["end"] is not None and deal["end"] > start:
                # Whole months nearest to start .. stated end (a schedule needs whole months).
                days = (deal["end"] - start).days + 1
                term = max(1, round(days / (DAYS_PER_YEAR / 12))) / 12
                notes.append(
                    f"term {term:.4g} years: start to stated end {deal['end'].isoformat()}, in whole months"
                )
            else:
                notes.append(f"term assumed {term:g} years (not disclosed)")
        rows.append(
            {
                "deal": deal["deal"],
                "provider": deal["provider"],
                "customer": deal["customer"],
                "value": float(deal["value_usd_bn"]),
                "start": start,
                "term_years": term,
                "start_assumed": start_assumed,
                "term_assumed": term_assumed,
                "status": deal["status"],
                "assumption": "; ".join(notes),
            }
        )
    return pd.DataFrame(rows, columns=list(PORTFOLIO_COLUMNS))


def _check_members(name: str, values: Iterable[str], choices: tuple[str, ...]) -> set[str]:
    if isinstance(values, str):
        values = (values,)
    chosen = set()
    for value in values:
        if not isinstance(value, str) or value.strip().lower() not in choices:
            listed = ", ".join(repr(c) for c in choices)
            raise DealDeskInputError(f"{name} must hold only {listed}; got {value!r}")
        chosen.add(value.strip().lower())
    return chosen


# --------------------------------------------------------------------------- one deal as model inputs


#: Inputs a library deal takes from its provider (in ``INPUTS`` order).
PROVIDER_INPUTS = (
    "fiscal_year_end",
    "base_revenue",
    "base_year",
    "base_growth",
    "base_margin",
    "reported_backlog",
    "useful_life_years",
    "capex_2026",
    "shares_outstanding",
    "prior_close",
    "move_pct",
)
#: Inputs a library deal takes from its customer.
CUSTOMER_INPUTS = (
    "customer_revenue_start",
    "customer_revenue_start_year",
    "customer_revenue_target",
    "customer_target_year",
    "customer_growth_after",
)
#: Placeholder revenue (US$ bn) of a provider whose revenue is not public: US$1M, so that
#: every ratio to base revenue is visibly not meaningful rather than borrowed from another company.
UNDISCLOSED_REVENUE = 0.001


class DealTerms(NamedTuple):
    """A library deal as model inputs, and where every deal- or company-specific input comes from.

    ``sources`` maps each input the deal sets (the deal's terms, its
    provider's and its customer's figures) to the text of its source;
    ``assumed`` lists, in ``INPUTS`` order, those inputs that are analyst
    defaults because the library has no public figure (their ``sources``
    text starts with "analyst default"). Other inputs (market prices, rack
    specifications, discount rate, ...) are the ``base``'s.
    """

    assumptions: Assumptions
    note: str
    sources: dict[str, str]
    assumed: tuple[str, ...]

    def sources_for(self, assumptions: Assumptions) -> dict[str, str]:
        """The sources of the inputs ``assumptions`` still shares with the deal (a scenario or an
        analyst's override changes a value, and its source then is no longer the library's).

        >>> terms = deal_terms("Oracle–OpenAI")
        >>> "base_margin" in terms.sources_for(terms.assumptions.replace(base_margin=0.2))
        False
        """
        return {
            name: text
            for name, text in self.sources.items()
            if getattr(assumptions, name, None) == getattr(self.assumptions, name)
        }


def modelling_refusal(row: Mapping[str, Any]) -> str:
    """Why a deal row of the library cannot be modelled, or "" when it can.

    DealDesk models a cloud compute purchase from the provider's side: a
    chip-supply or investment deal is not one, and a deal with no disclosed
    value has nothing to schedule.

    >>> deals = load_deals().set_index("deal", drop=False)
    >>> modelling_refusal(deals.loc["AWS–OpenAI"])
    ''
    >>> print(modelling_refusal(deals.loc["Nvidia–OpenAI"]))  # doctest: +NORMALIZE_WHITESPACE
    deal 'Nvidia–OpenAI' is an investment (up to $100B investment, per GW deployed; non-binding letter
    of intent), not a cloud compute purchase; DealDesk models compute purchases from the provider's side
    """
    name, kind = row["deal"], row["kind"]
    if kind != "cloud compute":
        article = "an" if kind[:1] in "aeiou" else "a"
        what = "chip-supply deal" if kind == "chips" else kind
        return (
            f"deal {name!r} is {article} {what} ({row['value_note']}), not a cloud compute purchase; "
            "DealDesk models compute purchases from the provider's side"
        )
    if pd.isna(row["value_usd_bn"]):
        return (
            f"deal {name!r} has no disclosed value ({row['value_note']}); it cannot be modelled without one"
        )
    return ""


def unmodelled_deals(*, deals: Any = None) -> pd.DataFrame:
    """Deals of the library that cannot be modelled, with the reason (columns ``deal``, ``reason``).

    >>> unmodelled_deals()["deal"].tolist()
    ['Google–Anthropic', 'Nvidia–OpenAI', 'AMD–OpenAI', 'Broadcom–OpenAI']
    """
    library = load_deals(deals)
    reasons = [(row["deal"], modelling_refusal(row)) for _, row in library.iterrows()]
    return pd.DataFrame([r for r in reasons if r[1]], columns=["deal", "reason"])


def deal_library_table(*, deals: Any = None, companies: Any = None) -> pd.DataFrame:
    """The deal library with, for each deal, its companies in the company library and whether it is modelled.

    Columns ``DEAL_COLUMNS`` plus ``provider_company`` and ``customer_company``
    (the names under which :func:`deal_terms` finds their figures; blank when
    the company library has none) and ``not_modelled`` (why the deal cannot
    be modelled; blank when it can).

    >>> t = deal_library_table().set_index("deal")
    >>> t.loc["AWS–OpenAI", ["provider", "provider_company", "not_modelled"]].tolist()
    ['Amazon (AWS)', 'Amazon', '']
    >>> t.loc["Nvidia–OpenAI", "not_modelled"][:44]
    "deal 'Nvidia–OpenAI' is an investment (up to"
    """
    library = load_deals(deals)
    table = company_library(companies)

    def library_name(name: str) -> str:
        found = table.find(name)
        return found.name if found is not None else ""

    out = library.copy()
    out["provider_company"] = [library_name(n) for n in library["provider"]]
    out["customer_company"] = [library_name(n) for n in library["customer"]]
    out["not_modelled"] = [modelling_refusal(row) for _, row in library.iterrows()]
    return out


class _Filled:
    """Inputs with their sources; assumed ones are also listed, in the order filled."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.sources: dict[str, str] = {}
        self.assumed: list[str] = []

    def fact(self, name: str, value: Any, figure: Figure | str) -> None:
        self.values[name] = value
        self.sources[name] = figure.describe() if isinstance(figure, Figure) else figure

    def assume(self, name: str, value: Any, reason: str) -> None:
        self.values[name] = value
        self.sources[name] = f"analyst default: {reason}"
        self.assumed.append(name)


def _provider_inputs(
    filled: _Filled,
    provider: Company | None,
    label: str,
    deal: str,
    day: dt.date,
    life: tuple[float, str],
    *,
    as_of: dt.date | None,
    companies: Any,
) -> None:
    who = provider.name if provider is not None else label
    if provider is None:
        filled.assume("fiscal_year_end", 12, f"{who} is not in the company library; calendar year")
    elif (fye := provider.latest("fiscal_year_end")) is not None:
        filled.fact("fiscal_year_end", int(fye.value), fye)
    else:
        filled.assume("fiscal_year_end", 12, f"{who}'s fiscal year-end is not public; calendar year")

    # Base revenue, margin and growth: the provider's one baseline (core.baseline), as public on as_of.
    baseline = provider_baseline(provider.name, as_of=as_of, companies=companies) if provider else None
    if baseline is not None:
        for name, value in (("base_revenue", baseline.revenue), ("base_year", baseline.base_year)):
            filled.fact(name, value, baseline.sources[name])
        if "base_growth" in baseline.assumed:
            filled.assume(
                "base_growth", baseline.growth, baseline.sources["base_growth"].removeprefix("analyst rule: ")
            )
        else:
            filled.fact("base_growth", baseline.growth, baseline.sources["base_growth"])
    else:
        filled.assume(
            "base_revenue",
            UNDISCLOSED_REVENUE,
            f"{who}'s revenue is not public; US$1M placeholder, so ratios to base revenue are not meaningful",
        )
        filled.assume(
            "base_year",
            fiscal_year_of(day, int(filled.values["fiscal_year_end"])) - 1,
            f"{who}'s revenue is not public",
        )
        filled.assume("base_growth", 0.0, f"{who}'s revenue is not public; flat")
    if baseline is not None and baseline.margin is not None:
        if "base_margin" in baseline.assumed:
            filled.assume(
                "base_margin", baseline.margin, baseline.sources["base_margin"].removeprefix("analyst rule: ")
            )
        else:
            filled.fact("base_margin", baseline.margin, baseline.sources["base_margin"])
    else:
        filled.assume("base_margin", 0.0, f"no operating margin of {who} is public; 0 (break-even)")

    backlog = (
        provider.latest("backlog", before=day, excluding=deal, as_of=as_of) if provider is not None else None
    )
    if backlog is not None:
        filled.fact("reported_backlog", backlog.value, backlog)
    else:
        filled.assume(
            "reported_backlog",
            0.0,
            f"{who}'s backlog before the deal is not disclosed; 0 (no backlog comparison)",
        )

    life_figure = provider.latest("server_life_years", as_of=as_of) if provider is not None else None
    if life_figure is not None:
        filled.fact("useful_life_years", life_figure.value, life_figure)
    else:
        filled.assume("useful_life_years", life[0], f"{who}'s server life is not disclosed; {life[1]}")

    capex = provider.latest("capex_2026", as_of=as_of) if provider is not None else None
    if capex is not None:
        filled.fact("capex_2026", capex.value, capex)
    else:
        filled.assume(
            "capex_2026", 0.0, f"{who}'s 2026 capex is not public; 0 (the deal's share is not shown)"
        )

    _valuation_inputs(filled, provider, who, deal, day)


def _valuation_inputs(filled: _Filled, provider: Company | None, who: str, deal: str, day: dt.date) -> None:
    shares = provider.values("shares") if provider is not None else []
    close = provider.for_deal("close", deal) if provider is not None else None
    if close is None and provider is not None:
        close = provider.latest("close", before=day)
        if close is not None:
            filled.assume(
                "prior_close",
                close.value,
                f"{who}'s close before this announcement is not found; its latest earlier close: {close.describe()}",
            )
        elif (ipo := provider.latest("ipo_price")) is not None:
            filled.assume(
                "prior_close",
                ipo.value,
                f"{who} had no public share price before {day.isoformat()}; its IPO price: {ipo.describe()}",
            )
    elif close is not None:
        filled.fact("prior_close", close.value, close)
    if "prior_close" in filled.values and shares:
        before = [s for s in shares if s.as_of is not None and s.as_of <= day]
        figure = before[-1] if before else shares[0]
        dated = "" if before else " (dated after the announcement: the nearest count)"
        filled.fact("shares_outstanding", figure.value, figure.describe() + dated)
    else:
        valuations = provider.values("private_valuation") if provider is not None else []
        before = [v for v in valuations if v.as_of is not None and v.as_of <= day]
        valuation = before[-1] if before else (valuations[0] if valuations else None)
        if valuation is not None:
            filled.assume(
                "shares_outstanding",
                1.0,
                f"{who} is private; its valuation is carried as one share worth the valuation",
            )
            filled.assume(
                "prior_close", valuation.value, f"{who}'s private valuation: {valuation.describe()}"
            )
        else:
            for name in ("shares_outstanding", "prior_close"):
                filled.values.pop(name, None)
                filled.sources.pop(name, None)
                if name in filled.assumed:
                    filled.assumed.remove(name)
            filled.assume("shares_outstanding", 1.0, f"{who}'s share count is not public; one share")
            filled.assume(
                "prior_close",
                UNDISCLOSED_REVENUE,
                f"{who}'s market value is not public; US$1M placeholder (valuation figures are not meaningful)",
            )
    move = provider.for_deal("announcement_move", deal) if provider is not None else None
    if move is not None:
        filled.fact("move_pct", move.value, move)
    else:
        filled.assume("move_pct", 0.0, f"{who}'s share-price move on this announcement is not found; 0")


def _customer_inputs(filled: _Filled, label: str, *, as_of: dt.date | None, companies: Any) -> None:
    """The customer's revenue path (core.baseline.customer_path): the same one in every surface."""
    path = customer_path(label, as_of=as_of, companies=companies)
    values = {
        "customer_revenue_start": path.start,
        "customer_revenue_start_year": path.start_year,
        "customer_revenue_target": path.target,
        "customer_target_year": path.target_year,
        "customer_growth_after": path.growth_after,
    }
    for name, value in values.items():
        if name in path.assumed:
            filled.assume(name, value, path.sources[name].removeprefix("analyst rule: "))
        else:
            filled.fact(name, value, path.sources[name])


def deal_terms(
    name: str,
    *,
    deals: Any = None,
    base: Assumptions | None = None,
    companies: Any = None,
    as_of: Any = None,
) -> DealTerms:
    """Model inputs for a compute deal of the library, built on its own provider and customer.

    What each input comes from (every one named in ``sources``):

    * **the deal** (deal library): name, provider, customer, value, start,
      term, the signing date (the announcement) and disclosed capacity (GPUs
      or IT load; blank where none is disclosed, so the fleet follows from
      the price per GPU-hour). A missing start or
      term is filled as in :func:`default_portfolio` and said in the note;
    * **ramp-up**: for a deal other than ``base``'s own, full run-rate is
      reached as many days after the start as in ``base`` (423 days in the
      reference deal). Analyst assumption: no other deal discloses its pace;
    * **the provider** (company library, :mod:`core.companies`): fiscal
      year-end; its baseline (:func:`core.baseline.provider_baseline`: base
      revenue and operating margin of its newest reported fiscal year, the
      segment the deal sits in where reported, else the company, and the one
      growth rule after it); the backlog before the deal (the newest dated
      before the announcement that does not already hold it: Oracle $138B at
      May-25, not $455B); server life; 2026 capex; shares; the close before
      the announcement and the move on it;
    * **the customer**: its revenue path (:func:`core.baseline.customer_path`:
      its newest reported year to its newest stated projection);
    * **the evidence** (:mod:`core.evidence`): the price per GPU-hour and the
      IT capex per rack of the deal's own GPU generation, the provider's own
      point where it has one (IREN's Dell order for IREN's deal); a deal that
      names no generation takes the reference deal's (an analyst default). A
      deal that discloses both its GPUs and its IT load sets its own IT load
      per rack (IREN: 200 MW for ~76,000 GPUs).

    Only figures public on ``as_of`` are used (default: every figure in the
    libraries), so the view of any past day can be rebuilt; a deal announced
    after ``as_of`` was not public then and is refused.

    Where the library has no public figure, the input is an **analyst
    default**, listed in ``assumed`` and explained in ``sources``: never
    another company's figure. Market inputs (power, facility, rates, ...) are
    ``base``'s; so is the market-value threshold, which is a fact only for
    ``base``'s own provider (the article's US$3T is Amazon's) and an analyst
    default for any other.

    Parameters
    ----------
    name : str
        A deal of the library; matched ignoring case, accents and the kind of
        dash ("aws-openai" finds "AWS–OpenAI").
    deals : path, DataFrame or None, keyword-only
        The deal library (see :func:`load_deals`); default the shipped one.
    base : Assumptions, optional, keyword-only
        Inputs the deal is laid on; default ``Assumptions()``.
    companies : path, DataFrame or None, keyword-only
        The company library (see :func:`core.companies.load_companies`).
    as_of : date, optional, keyword-only
        The data date: only figures reported on or before it are used.

    Returns
    -------
    DealTerms
        ``assumptions`` (money in US$ bn, dates as ``datetime.date``),
        ``note`` (one line: status and what was assumed), ``sources`` and
        ``assumed``.

    Raises
    ------
    DealDeskInputError
        ``name`` is not a deal of the library (the message lists the deals
        that can be modelled), or the deal cannot be modelled: a chip-supply
        or investment deal, or no disclosed value (the message says which), or
        ``as_of`` is before the deal's announcement.

    Examples
    --------
    Oracle's reported ~$300B contract with OpenAI is measured against
    Oracle's fiscal year (ends in May) and its RPO before the deal:

    >>> oracle = deal_terms("Oracle–OpenAI")
    >>> a = oracle.assumptions
    >>> a.fiscal_year_end, a.reported_backlog, a.base_revenue, a.base_year, a.base_margin
    (5, 138.0, 67.4, 2026, 0.31)
    >>> oracle.sources["reported_backlog"]
    'Oracle backlog (RPO, May-25; as of 2025-05-31): Oracle release 2025-06-11; confidence high; +41%'
    >>> oracle.assumed  # the reference deal's shape and pace; no GPU generation named: its evidence
    ('profile', 'full_at', 'price_per_gpu_hour', 'rack_price_musd', 'customer_growth_after')
    """
    library = load_deals(deals)
    a0 = as_assumptions("base", base)
    data_date = None if as_of is None else as_date("as_of", as_of)
    lookup = {name_key(n): n for n in library["deal"]}
    key = lookup.get(name_key(check_name("deal", name))) if isinstance(name, str) and name.strip() else None
    if key is None:
        usable = [
            n for n in library["deal"] if not modelling_refusal(library.set_index("deal", drop=False).loc[n])
        ]
        raise DealDeskInputError(
            f"deal must be a compute deal of the library with a disclosed value "
            f"({', '.join(repr(n) for n in usable)}); got {name!r}"
        )
    row = library.set_index("deal", drop=False).loc[key]
    refusal = modelling_refusal(row)
    if refusal:
        raise DealDeskInputError(refusal)
    if data_date is not None and row["announced"] is not None and row["announced"] > data_date:
        raise DealDeskInputError(
            f"as_of must be on or after the deal's announcement ({key}: {row['announced'].isoformat()}); "
            f"got {data_date.isoformat()}"
        )
    portfolio = default_portfolio(
        row["customer"], deals=library, kinds=DEAL_KINDS, exclude_statuses=()
    ).set_index("deal")
    terms = portfolio.loc[key]
    start, day = terms["start"], row["announced"]
    filled = _Filled()
    deal_source = f"deal library ({row['source']}; status {row['status']})"
    filled.fact("deal_name", key, deal_source)
    filled.fact("provider", row["provider"], deal_source)
    filled.fact("customer", row["customer"], deal_source)
    filled.fact(
        "contract_value", float(terms["value"]), f"deal library: {row['value_note']} ({row['source']})"
    )
    for field, assumed in (("start_date", terms["start_assumed"]), ("term_years", terms["term_assumed"])):
        value = start if field == "start_date" else float(terms["term_years"])
        if assumed:
            filled.assume(field, value, terms["assumption"])
        else:
            filled.fact(
                field, value, f"deal library: {row['start_note' if field == 'start_date' else 'term_note']}"
            )
    if key == a0.deal_name and start == a0.start_date:
        filled.fact("full_at", a0.full_at, _BY_INPUT["full_at"].source)
    else:
        # The reference deal's announcement describes its shape (capacity online through 2026); no
        # other deal discloses one, so its shape and pace are the reference deal's, said as such.
        filled.assume(
            "profile",
            a0.profile,
            f"revenue profile {a0.profile!r} as in the reference deal {a0.deal_name}; this deal discloses no shape",
        )
        full_at = start + (a0.full_at - a0.start_date)
        filled.assume(
            "full_at",
            full_at,
            f"full run-rate {(full_at - start).days} days after start as in the reference deal {a0.deal_name}",
        )
    filled.fact(
        "signing_date", day, f"deal library: announcement date ({row['announced_note'] or 'as announced'})"
    )
    for column, input_name in (("capacity_gpus", "fleet_gpus"), ("capacity_it_mw", "fleet_it_mw")):
        unit = (
            "GPUs" if input_name == "fleet_gpus" else "MW, read as IT load where the reporting does not say"
        )
        if pd.notna(row[column]):
            disclosed = f"deal library: disclosed capacity {row['capacity']} ({row['source']}); {unit}"
            filled.fact(input_name, float(row[column]), disclosed)
        else:
            # Blank: the fleet follows from the price, never from another deal's disclosed capacity.
            what = "GPU count" if input_name == "fleet_gpus" else "IT load"
            text = f"deal library: no {what} disclosed (capacity: {row['capacity']}); blank, the fleet follows the price"
            filled.fact(input_name, None, text)
    if pd.notna(row["capacity_gpus"]) and pd.notna(row["capacity_it_mw"]):
        # Both disclosed: the deal's own IT load per rack of GPUs (networking and storage included).
        gpus, mw = float(row["capacity_gpus"]), float(row["capacity_it_mw"])
        kw = mw * 1_000 / gpus * a0.gpus_per_rack
        filled.fact(
            "kw_per_rack",
            kw,
            f"the deal's own disclosures: {mw:,.0f} MW × 1,000 ÷ {gpus:,.0f} GPUs × {a0.gpus_per_rack:g} GPUs a "
            f"rack = {kw:,.1f} kW of IT load a rack ({row['source']})",
        )
    company_table = company_library(companies)
    provider = company_table.find(row["provider"])
    customer = company_table.find(row["customer"])
    life = (central("useful_life_years"), derivation("useful_life_years"))
    _provider_inputs(filled, provider, row["provider"], key, day, life, as_of=data_date, companies=companies)
    _evidence_inputs(filled, row, provider.name if provider is not None else row["provider"])
    _customer_inputs(filled, row["customer"], as_of=data_date, companies=companies)
    # The market-value threshold belongs to the base deal's provider (the article's US$3T is
    # Amazon's); another provider has no public one, so its test does not apply (0) until an
    # analyst sets a threshold.
    owner = company_table.find(a0.provider)
    threshold = _BY_INPUT["market_value_target"]
    if provider is not None and owner is not None and provider.name == owner.name:
        filled.fact("market_value_target", a0.market_value_target, threshold.source)
    else:
        filled.fact(
            "market_value_target",
            0.0,
            f"no public market-value threshold for {provider.name if provider else row['provider']} "
            f"(the article's US${a0.market_value_target:,.0f}bn is {a0.provider}'s): 0, the test does "
            "not apply; set one to ask it",
        )
    assumptions = a0.replace(**filled.values)
    order = [spec.name for spec in INPUTS]
    assumed = tuple(n for n in order if n in filled.assumed)
    sources = {n: filled.sources[n] for n in order if n in filled.sources}
    notes = [f"deal library, status {row['status']}"]
    notes.append(
        f"provider figures: {provider.name if provider else row['provider'] + ' (not in the company library)'}"
    )
    notes.append(
        f"customer figures: {customer.name if customer else row['customer'] + ' (not in the company library)'}"
    )
    notes.append(
        "analyst defaults: " + (", ".join(_BY_INPUT[n].label for n in assumed) if assumed else "none")
    )
    return DealTerms(assumptions, "; ".join(notes), sources, assumed)


def _evidence_inputs(filled: _Filled, row: pd.Series, company: str) -> None:
    """The price per GPU-hour and IT capex of the deal's own GPU generation and provider (:mod:`core.evidence`)."""
    words = str(row["gpu_generation"])
    for name in _PRICED_INPUTS:
        table = EVIDENCE_TABLES[name]
        if words and any(r.counted for r in table.rows if r.generation in generations(words)):
            how = derivation(name, words, company=company)
            value = central(name, words, company=company)
            filled.fact(name, value, f"{how} (the deal's GPUs: {words}, {row['source']})")
            continue
        why = f"no public {table.title.lower()} for {words}" if words else "the deal names no GPU generation"
        how = derivation(name, company=company)
        value = central(name, company=company)
        filled.assume(name, value, f"{why}; the reference deal's {REFERENCE_GENERATION}: {how}")


def deal_assumptions(
    name: str, *, deals: Any = None, base: Assumptions | None = None, companies: Any = None, as_of: Any = None
) -> Assumptions:
    """Model inputs for a compute deal of the library (:func:`deal_terms` says where each comes from).

    >>> deal_assumptions("Microsoft–Nebius").contract_value  # $17.4B, up to $19.4B
    17.4
    >>> deal_assumptions("Microsoft–Nebius").fiscal_year_end, deal_assumptions("Microsoft–IREN").fiscal_year_end
    (12, 6)
    """
    return deal_terms(name, deals=deals, base=base, companies=companies, as_of=as_of).assumptions


def deal_note(name: str, *, deals: Any = None, base: Assumptions | None = None, companies: Any = None) -> str:
    """One line saying where the inputs of a library deal come from and which are analyst defaults.

    >>> print(deal_note("AWS–OpenAI"))  # doctest: +NORMALIZE_WHITESPACE
    deal library, status announced; provider figures: Amazon; customer figures: OpenAI; analyst defaults:
    Customer growth after the target year
    """
    return deal_terms(name, deals=deals, base=base, companies=companies).note
