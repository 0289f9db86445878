"""One baseline per company: what the provider earns without the deal, and what the customer earns.

Every surface (the model's margin and counterparty sections, exposure, the
template, the report and the DEAL functions) reads a company's figures
through this module, so the same company has the same revenue in every
place. The figures come from the company library (:mod:`core.companies`),
each with the day it became public, so a view "as of" a date uses only what
was public then.

The provider's baseline, by fiscal year (its own fiscal calendar):

* **anchor**: the newest fiscal year whose revenue is public (the segment
  the deal sits in where the company reports one, else the company), with
  the newest operating margin reported for that year or before it. A
  reported year after signing already holds the deal's own revenue of that
  year (AWS FY2025: a few hundred million dollars of $128.7B); the baseline
  does not take it out.
* **growth**, the one stated rule after the anchor: the growth that takes
  the anchor to the provider's nearest public revenue guide (geometric),
  else the anchor year's own reported growth, else 0 (flat); never above
  :func:`growth_cap`, the fastest growth of a hyperscale cloud segment in its
  last reported year (a neocloud that grew several-fold is not extrapolated
  at that pace). Revenue in fiscal year t is
  ``revenue × (1 + growth) ^ (t − base_year)`` (:func:`base_revenue_path`);
  the margin is held at the anchor's.

The customer's revenue path, by calendar year: geometric from the newest
reported full year (**start**) to a stated projection (**target**: the newest
one of high or medium confidence public by the as-of date, the farthest year
among those published the same day), then ``growth_after`` a year (0: flat;
no public path runs beyond). Every other projection stays beside it as a
named alternative (the article's $50B by 2027 among them). A customer with no
projection carries its last reported growth one year.

**Only years make the path** (:data:`PATH_FIELDS`): a year's revenue starts
it and a year's projection ends it. A run-rate, a quarter's revenue or a
quarter's projection never enters it, even when it was public before the day
the path is drawn for (Anthropic's $30B run-rate of 2026-04-07 came before
Anthropic–AWS on 2026-04-20 and Google–Anthropic (May-26)): a run-rate
annualises recent weeks of gross sales (Anthropic's: the last 28 days × 13
plus subscriptions × 12; OpenAI argues its $30B is ~$22B net of cloud
platforms' fees) and is not recognised revenue, and a quarter is not a year.
An analyst keeps the path on years and sets those figures beside it in the
path's own terms, as the watch list does: a quarter against its days' share
of the path's year, a run-rate against the path's annualised rate on its day
(:meth:`CustomerPath.rate_on`).

Money is in US$ billions; growth and margins are fractions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from core.companies import Company, CompanyLibrary, Figure, company_library
from core.validation import DealDeskInputError, as_date, check_number, check_year

__all__ = [
    "CustomerPath",
    "GROWTH_DECIMALS",
    "MARGIN_FIELDS",
    "PATH_FIELDS",
    "ProviderBaseline",
    "SEGMENT_COMPANIES",
    "base_revenue_path",
    "customer_path",
    "customer_revenue_path",
    "growth_cap",
    "provider_baseline",
    "required_cagr",
]

#: Companies whose library rows report the cloud segment a deal sits in (``segment_revenue``):
#: the hyperscalers. Their fastest last reported growth caps the growth rule.
SEGMENT_COMPANIES = ("Amazon", "Microsoft", "Alphabet")

#: Decimal places a growth rate is kept to: its value survives a spreadsheet's 15 significant digits,
#: so the template's input equals the model's.
GROWTH_DECIMALS = 10

#: Margin fields a provider's baseline margin is read from when no annual margin covers its base year
#: (the newest of any of them, an analyst rule).
MARGIN_FIELDS = (
    "segment_operating_margin",
    "operating_margin",
    "quarter_operating_margin",
    "interim_operating_margin",
)

#: The only fields a customer's revenue path reads: a year's revenue starts it, a year's projection ends it
#: (a run-rate or a quarter never enters it; see the module notes).
PATH_FIELDS = {"start": "revenue", "target": "revenue_target"}

#: Confidence a projection needs to become a customer's target (others are alternatives only).
_TARGET_CONFIDENCE = ("high", "medium")


@dataclasses.dataclass(frozen=True)
class ProviderBaseline:
    """A provider's revenue and margin without the deal, by fiscal year (see the module notes).

    ``revenue`` and ``margin`` describe fiscal year ``base_year``; ``growth``
    is the rule after it. ``sources`` says where each of the four comes from
    (a library figure, or the rule's arithmetic); ``assumed`` names those that
    are analyst rules rather than public figures.
    """

    company: str
    fiscal_year_end: int | None
    base_year: int
    revenue: float
    margin: float | None
    growth: float
    sources: dict[str, str]
    assumed: tuple[str, ...]
    reported: tuple[Figure, ...]

    def revenue_by_year(self, years: Any) -> np.ndarray:
        """Revenue in each fiscal year of ``years`` (US$ bn), by :func:`base_revenue_path`."""
        return base_revenue_path(self.revenue, self.growth, self.base_year, years)


def base_revenue_path(revenue: Any, growth: float, base_year: int, years: Any) -> Any:
    """The provider's revenue without the deal in each fiscal year: ``revenue × (1 + growth) ^ (t − base_year)``.

    The one rule every surface uses (the model's margin section, exposure,
    the template's Margin sheet). ``revenue`` may be an array of draws (the
    Monte Carlo varies it); the result then has one row per year and one
    column per draw.

    Examples
    --------
    AWS: $128.7B in FY2025 growing 19.6% a year (its FY2025 growth, 128.7 ÷ 107.6 − 1):

    >>> [round(float(v), 2) for v in base_revenue_path(128.7, 128.7 / 107.6 - 1, 2025, [2025, 2026, 2027])]
    [128.7, 153.94, 184.12]
    """
    t = np.asarray(years, dtype=float) - float(base_year)
    factor = (1.0 + float(growth)) ** t
    amount = np.asarray(revenue, dtype=float)
    return factor * amount if amount.ndim == 0 else np.multiply.outer(factor, amount)


def _dated(figure: Figure) -> dt.date:
    assert figure.as_of is not None
    return figure.as_of


def _growth(figures: list[Figure]) -> float | None:
    """The newest figure's growth over the one a year earlier, or None when there is none."""
    if len(figures) < 2:
        return None
    last, previous = figures[-1], figures[-2]
    gap_days = (_dated(last) - _dated(previous)).days
    if not 360 <= gap_days <= 370 or previous.value <= 0:
        return None
    return round(last.value / previous.value - 1.0, GROWTH_DECIMALS)


def growth_cap(companies: Any = None) -> tuple[float, str]:
    """The cap on the growth rule and where it comes from: the fastest last reported growth of a
    hyperscale cloud segment in the library (``SEGMENT_COMPANIES``).

    >>> rate, text = growth_cap()
    >>> round(rate, 3), text.split(":")[0]
    (0.358, 'the fastest last reported growth of a hyperscale cloud segment')
    """
    return _cap(company_library(companies))


def _cap(library: CompanyLibrary) -> tuple[float, str]:
    rates = []
    for name in SEGMENT_COMPANIES:
        found = library.find(name)
        rate = _growth(found.values("segment_revenue")) if found is not None else None
        if found is not None and rate is not None:
            rates.append((rate, f"{name} {found.values('segment_revenue')[-1].period} {rate:+.1%}"))
    if not rates:
        return 0.0, "no hyperscale cloud segment growth in the library: flat"
    rate, which = max(rates)
    return rate, f"the fastest last reported growth of a hyperscale cloud segment: {which}"


def _revenue_series(provider: Company, as_of: dt.date | None) -> tuple[str, list[Figure]]:
    for field in ("segment_revenue", "revenue"):
        found = provider.values(field, as_of=as_of)
        if found:
            return field, found
    return "revenue", []


def provider_baseline(name: Any, *, as_of: Any = None, companies: Any = None) -> ProviderBaseline | None:
    """A provider's baseline from the company library, as public on ``as_of`` (default: all figures).

    ``None`` when the library has no public revenue for it (a private
    provider such as Nscale): its ratios to base revenue are then not
    meaningful, and the caller says so.

    Parameters
    ----------
    name : str
        Company, matched as by :func:`core.companies.company_name` ("Amazon (AWS)").
    as_of : date, optional, keyword-only
        Use only figures reported on or before this day.
    companies : path, DataFrame or None, keyword-only
        The company library; default the shipped one.

    Examples
    --------
    AWS today: FY2025 revenue $128.7B and margin 35.4% (Amazon release 2026-02-05), growing at
    its FY2025 rate; on the day of the AWS–OpenAI signing only FY2024 was public, with no earlier
    year to grow from:

    >>> b = provider_baseline("Amazon (AWS)")
    >>> b.base_year, b.revenue, b.margin, round(b.growth, 4)
    (2025, 128.7, 0.354, 0.1961)
    >>> then = provider_baseline("Amazon (AWS)", as_of=dt.date(2025, 11, 3))
    >>> then.base_year, then.revenue, then.margin, then.growth, then.assumed
    (2024, 107.6, 0.37, 0.0, ('base_growth',))

    Oracle: FY2026 revenue $67.4B (8-K 2026-06-10) with FY2025's 31% margin (no FY2026 margin is
    public), growing to the FY2027 guide of $90B: 90 ÷ 67.4 − 1 = 33.5% a year:

    >>> o = provider_baseline("Oracle")
    >>> o.base_year, o.revenue, o.margin, round(o.growth, 4)
    (2026, 67.4, 0.31, 0.3353)
    """
    day = None if as_of is None else _as_day(as_of)
    library = company_library(companies)
    provider = library.find(name)
    if provider is None:
        return None
    field, revenues = _revenue_series(provider, day)
    if not revenues:
        return None
    anchor = revenues[-1]
    fye = provider.latest("fiscal_year_end")
    base_year = _dated(anchor).year
    sources = {"base_revenue": anchor.describe(), "base_year": anchor.describe()}
    assumed: list[str] = []
    margin_field = "segment_operating_margin" if field == "segment_revenue" else "operating_margin"
    margins = [m for m in provider.values(margin_field, as_of=day) if _dated(m) <= _dated(anchor)]
    margin = margins[-1] if margins else None
    if margin is not None:
        sources["base_margin"] = margin.describe() + (
            "" if margin.as_of == anchor.as_of else f" (the newest reported margin, held for FY{base_year})"
        )
    else:  # no annual margin up to the base year: the newest margin of any period, as an analyst rule
        earlier = [m for f in MARGIN_FIELDS for m in provider.values(f, as_of=day) if m.as_of is not None]
        if earlier:
            margin = max(earlier, key=lambda m: m.as_of or dt.date.min)
            assumed.append("base_margin")
            sources["base_margin"] = (
                f"analyst rule: no annual operating margin of {provider.name} for the base year; its newest "
                "margin: " + margin.describe()
            )
    growth, growth_source = _growth_rule(provider, anchor, revenues, day, _cap(library))
    if growth_source.startswith("analyst"):
        assumed.append("base_growth")
    sources["base_growth"] = growth_source
    return ProviderBaseline(
        company=provider.name,
        fiscal_year_end=int(fye.value) if fye is not None else None,
        base_year=base_year,
        revenue=anchor.value,
        margin=margin.value if margin is not None else None,
        growth=growth,
        sources=sources,
        assumed=tuple(assumed),
        reported=tuple(revenues),
    )


def _growth_rule(
    provider: Company, anchor: Figure, revenues: list[Figure], day: dt.date | None, cap: tuple[float, str]
) -> tuple[float, str]:
    limit, cap_text = cap
    guides = [g for g in provider.values("revenue_target", as_of=day) if _dated(g).year > _dated(anchor).year]
    if guides:
        guide = min(guides, key=lambda g: (_dated(g), -(g.reported or dt.date.min).toordinal()))
        years = _dated(guide).year - _dated(anchor).year
        rate = round((guide.value / anchor.value) ** (1.0 / years) - 1.0, GROWTH_DECIMALS)
        text = (
            f"to the revenue guide: ({guide.value:g} ÷ {anchor.value:g})^(1/{years}) − 1 = {rate:.1%} a year; "
            + guide.describe()
        )
    else:
        own = _growth(revenues)
        if own is None:
            return 0.0, f"analyst rule: flat (no earlier year of {provider.name}'s revenue to grow from)"
        rate = own
        text = (
            f"the last reported year's growth, held: {revenues[-1].value:g} ÷ {revenues[-2].value:g} − 1 "
            f"= {rate:.1%} ({revenues[-1].period})"
        )
    if rate > limit:
        return limit, f"analyst rule: capped at {limit:.1%}, {cap_text}; uncapped: {text}"
    return rate, text


def _as_day(value: Any) -> dt.date:
    return as_date("as_of", value)


# --------------------------------------------------------------------------- customers


@dataclasses.dataclass(frozen=True)
class CustomerPath:
    """A customer's revenue path: geometric from ``start`` to ``target``, then ``growth_after`` a year.

    ``sources`` says where each point comes from; ``assumed`` names the points
    that are analyst rules; ``alternatives`` are the other stated projections
    (every one public at the as-of date), shown beside the path.
    """

    customer: str
    start_year: int
    start: float
    target_year: int
    target: float
    growth_after: float
    sources: dict[str, str]
    assumed: tuple[str, ...]
    alternatives: tuple[Figure, ...]

    def revenue_by_year(self, years: Any) -> np.ndarray:
        """Revenue in each calendar year of ``years`` (US$ bn), by :func:`customer_revenue_path`."""
        return customer_revenue_path(
            self.start,
            self.target,
            start_year=self.start_year,
            target_year=self.target_year,
            years=years,
            growth_after=self.growth_after,
        ).to_numpy()

    def rate_on(self, day: Any) -> float:
        """The path's annualised revenue on ``day`` (US$ bn a year): what a run-rate of that day is set against.

        Each calendar year's revenue is read as the rate at its middle (1 July), and the rate grows
        geometrically from one middle to the next: with Y the year whose 1 July is the last on or before
        ``day``, ``R(Y) × (R(Y+1) ÷ R(Y)) ^ (days since 1 July Y ÷ days to 1 July Y+1)``. (A year's total
        is exactly its mid-year rate when revenue grows by the same amount each day; at the 146% a year
        of Anthropic's path, a steady compounding rate at mid-year is 3.3% below the year's total.)

        Examples
        --------
        OpenAI's path on the AWS–OpenAI signing day, $3.7B in 2024 to $50B in 2027: on 2025-12-31,
        183 of the 365 days from 1 July 2025 to 1 July 2026, between 2025's 3.7 × (50/3.7)^(1/3) and
        2026's 3.7 × (50/3.7)^(2/3):

        >>> path = customer_path("OpenAI", as_of=dt.date(2025, 11, 3))
        >>> round(path.rate_on(dt.date(2025, 12, 31)), 4), round(3.7 * (50 / 3.7) ** ((1 + 183 / 365) / 3), 4)
        (13.6177, 13.6177)
        """
        on = _as_day(day)
        year = on.year if on >= dt.date(on.year, 7, 1) else on.year - 1
        middle, next_middle = dt.date(year, 7, 1), dt.date(year + 1, 7, 1)
        here, there = self.revenue_by_year([year, year + 1])
        share = (on - middle).days / (next_middle - middle).days
        return float(here * (there / here) ** share)


def customer_path(name: Any, *, as_of: Any = None, companies: Any = None) -> CustomerPath:
    """A customer's revenue path from the company library, as public on ``as_of`` (default: all figures).

    Raises
    ------
    DealDeskInputError
        The library has no revenue of the customer at all (with none public by ``as_of``, the
        earliest it holds is used, an analyst rule that says so).

    Examples
    --------
    OpenAI today: $13.1B in 2025 (CNBC/Reuters, 2026-02-20) to the >$280B 2030 target (2026-02-20);
    on the day of the AWS–OpenAI signing: $3.7B in 2024 to the article's $50B by 2027:

    >>> p = customer_path("OpenAI")
    >>> (p.start_year, p.start, p.target_year, p.target)
    (2025, 13.1, 2030, 280.0)
    >>> then = customer_path("OpenAI", as_of=dt.date(2025, 11, 3))
    >>> (then.start_year, then.start, then.target_year, then.target)
    (2024, 3.7, 2027, 50.0)
    """
    day = None if as_of is None else _as_day(as_of)
    customer = company_library(companies).find(name)
    start_field, target_field = PATH_FIELDS["start"], PATH_FIELDS["target"]
    revenues = customer.values(start_field, as_of=day) if customer is not None else []
    assumed: list[str] = []
    if not revenues and customer is not None and customer.values(start_field):
        # Nothing public yet on that day: the earliest figure the library holds, said to be later.
        first = min(customer.values(start_field), key=lambda f: f.reported or dt.date.min)
        revenues = [first]
        assumed += ["customer_revenue_start", "customer_revenue_start_year"]
    if not revenues:
        raise DealDeskInputError(
            f"customer {name!r}: the company library must hold at least one year of revenue, got none"
        )
    assert customer is not None
    start = revenues[-1]
    start_year = _dated(start).year
    text = start.describe()
    if assumed:
        text = (
            f"analyst rule: no revenue of {customer.name} was public on {day}; the earliest the library holds, "
            f"reported {start.reported}: {text}"
        )
    sources = {"customer_revenue_start": text, "customer_revenue_start_year": text}
    projections = [t for t in customer.values(target_field, as_of=day) if _dated(t).year > start_year]
    eligible = [t for t in projections if t.confidence in _TARGET_CONFIDENCE]
    if eligible:
        target = max(eligible, key=lambda t: (t.reported or dt.date.min, _dated(t)))
        target_year, target_value = _dated(target).year, target.value
        text = target.describe()
        alternatives = tuple(t for t in projections if t is not target)
    else:
        own = _growth(revenues)
        rate = own if own is not None else 0.0
        target_year, target_value = start_year + 1, start.value * (1.0 + rate)
        text = (
            f"analyst rule: {customer.name} states no revenue target; the last year's growth carried one "
            f"year: {start.value:g} × (1 + {rate:.1%}) = {target_value:.4g} in {target_year}"
        )
        assumed += ["customer_revenue_target", "customer_target_year"]
        alternatives = tuple(projections)
    sources["customer_revenue_target"] = sources["customer_target_year"] = text
    sources["customer_growth_after"] = (
        f"analyst rule: flat after {target_year} (no public path of {customer.name}'s revenue runs beyond)"
    )
    assumed.append("customer_growth_after")
    return CustomerPath(
        customer=customer.name,
        start_year=start_year,
        start=start.value,
        target_year=target_year,
        target=target_value,
        growth_after=0.0,
        sources=sources,
        assumed=tuple(assumed),
        alternatives=alternatives,
    )


# --------------------------------------------------------------------------- the path rule


def required_cagr(start_revenue: float, target_revenue: float, *, years: float) -> float:
    """Compound annual growth rate that turns ``start_revenue`` into ``target_revenue`` in ``years``.

    Parameters
    ----------
    start_revenue, target_revenue : float
        Revenue now and at the target, same money unit, > 0.
    years : float, keyword-only
        Years between them, > 0.

    Returns
    -------
    float
        Growth as a fraction a year: (target ÷ start)^(1 / years) − 1.

    Examples
    --------
    OpenAI from $3.5B (2025) to $50B by 2027, about 14x in two years, needs
    about 278% growth a year:

    >>> round(required_cagr(3.5, 50, years=2), 4)
    2.7796
    """
    start = check_number("start_revenue", start_revenue, minimum=0, strict_min=True)
    target = check_number("target_revenue", target_revenue, minimum=0, strict_min=True)
    span = check_number("years", years, minimum=0, strict_min=True)
    with np.errstate(all="ignore"):
        growth = float(np.expm1((np.log(target) - np.log(start)) / span))
    if not np.isfinite(growth):
        raise DealDeskInputError(
            f"start_revenue and target_revenue are too far apart for {span:g} years: the growth rate overflows"
        )
    return growth


def customer_revenue_path(
    start_revenue: float,
    target_revenue: float,
    *,
    start_year: int,
    target_year: int,
    years: Iterable[int] | None = None,
    growth_after: float = 0.0,
) -> pd.Series:
    """The customer's revenue by year: geometric from a start value to a target.

    Up to ``target_year`` (and back before ``start_year``) revenue is
    ``start_revenue × g^(year − start_year)`` with ``g = 1 + required_cagr``;
    after ``target_year`` it grows at ``growth_after`` a year.

    Parameters
    ----------
    start_revenue, target_revenue : float
        Revenue in ``start_year`` and ``target_year``, same money unit
        (the template uses US$ billions), > 0.
    start_year, target_year : int, keyword-only
        Fiscal years; ``target_year`` > ``start_year``.
    years : iterable of int, keyword-only
        Years to return; default ``start_year`` .. ``target_year``.
    growth_after : float, keyword-only
        Analyst assumption: growth a year after the target year (fraction,
        > −1). Default 0: revenue stays at the target; the article gives no path
        beyond it.

    Returns
    -------
    pandas.Series
        Revenue (money) indexed by year (int), named ``revenue``.

    Examples
    --------
    OpenAI's path as the article frames it, $3.5B in 2025 to $50B in 2027:

    >>> customer_revenue_path(3.5, 50, start_year=2025, target_year=2027).round(3).tolist()
    [3.5, 13.229, 50.0]
    """
    start = check_number("start_revenue", start_revenue, minimum=0, strict_min=True)
    target = check_number("target_revenue", target_revenue, minimum=0, strict_min=True)
    first, last = check_year("start_year", start_year), check_year("target_year", target_year)
    if last <= first:
        raise DealDeskInputError(f"target_year must be after start_year ({first}), got {last}")
    after = check_number("growth_after", growth_after, minimum=-1, strict_min=True, maximum=100)
    if years is None:
        wanted = np.arange(first, last + 1)
    else:
        if isinstance(years, (str, bytes)) or not isinstance(years, Iterable):
            raise DealDeskInputError(f"years must be a list of whole years, got {years!r}")
        wanted = np.array([check_year("years", y) for y in years], dtype=np.int64)
        if wanted.size == 0:
            raise DealDeskInputError("years must hold at least one year, got none")
    g = 1.0 + required_cagr(start, target, years=last - first)
    offset = wanted.astype(float)
    with np.errstate(all="ignore"):
        revenue = np.where(
            wanted <= last,
            start * g ** (offset - first),
            target * (1.0 + after) ** (offset - last),
        )
    if not np.all(np.isfinite(revenue)) or np.any(revenue <= 0):
        raise DealDeskInputError(
            "start_revenue, target_revenue and growth_after are too extreme for these years: "
            "revenue is not a finite positive number in every year"
        )
    return pd.Series(revenue, index=pd.Index(wanted, name="year"), name="revenue")
