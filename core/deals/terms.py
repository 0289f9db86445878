"""One deal of the library as model inputs: its terms, its companies' figures and the evidence,
with the source of every input and the analyst defaults listed."""

from __future__ import annotations

from typing import Any, NamedTuple

import pandas as pd

from core.assumptions import INPUTS, Assumptions, as_assumptions
from core.companies import company_library
from core.deals.figures import _customer_inputs, _evidence_inputs, _Filled, _provider_inputs
from core.deals.library import DEAL_KINDS, load_deals
from core.deals.modelled import modelling_refusal
from core.deals.portfolio import default_portfolio
from core.evidence import central, derivation
from core.validation import DealDeskInputError, as_date, check_name, name_key

__all__ = [
    "DealTerms",
    "deal_terms",
    "deal_assumptions",
    "deal_note",
]

_BY_INPUT = {spec.name: spec for spec in INPUTS}


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
