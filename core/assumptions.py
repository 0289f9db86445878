"""One typed set of model assumptions, with sourced defaults and named scenarios.

Every input of the whole model is a field here, described once by an
:class:`InputSpec` (name, label, unit, default, rule, source). The template's
Inputs sheet, the reports and the two-column ``name | value`` ranges that
Excel passes to model-level functions all use these names.

Money is in US$ billions unless the unit says otherwise; rates and margins
are fractions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from core.capacity import (
    FACILITY_MUSD_PER_MW,
    GPUS_PER_RACK,
    KW_PER_RACK,
    POWER_USD_PER_MWH,
    PUE,
    RACK_PRICE_MUSD,
    US_CONSUMPTION_TWH,
    USD_PER_GPU_HOUR,
    check_disclosed_fleet,
)
from core.conventions import BOOKING_MODES, DEFAULT_DEAL, DELAY_MODES, FREQUENCIES, PROFILES, PUE_MAX, PUE_MIN
from core.evidence import central, derivation
from core.schedule import contract_days, delay_days_from_quarters
from core.validation import DealDeskInputError, as_date, check_choice, check_number

__all__ = [
    "Assumptions",
    "InputSpec",
    "INPUTS",
    "SCENARIOS",
    "Shift",
    "as_assumptions",
    "scenario_assumptions",
]


@dataclasses.dataclass(frozen=True)
class InputSpec:
    """Description of one model input.

    ``kind`` is ``"number"``, ``"integer"``, ``"fraction"``, ``"date"``, ``"text"``
    or ``"choice"``; ``minimum``/``maximum`` bound numbers; ``choices`` lists
    the accepted values of a choice. An ``optional`` input may be left blank
    (``None``): the model then derives the figure (its label says from what).
    """

    name: str
    label: str
    unit: str
    default: Any
    kind: str
    source: str
    group: str
    minimum: float | None = None
    maximum: float | None = None
    strict_min: bool = False
    choices: tuple[str, ...] = ()
    optional: bool = False

    @property
    def rule(self) -> str:
        """The rule a value must meet, in words (used in error messages)."""
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind == "date":
            return "a date" + (", or blank" if self.optional else "")
        if self.kind == "text":
            return "text"
        parts = ["a whole number" if self.kind == "integer" else "a number"]
        if self.minimum is not None:
            parts.append(f"{'>' if self.strict_min else '>='} {self.minimum:g}")
        if self.maximum is not None:
            parts.append(f"<= {self.maximum:g}")
        rule = " ".join(parts[:1]) + (" " + " and ".join(parts[1:]) if len(parts) > 1 else "")
        return rule + (", or blank" if self.optional else "")

    def coerce(self, value: Any) -> Any:
        """Validate ``value`` against this spec and return it in its Python type (``None`` if optional and blank)."""
        if self.optional and (value is None or (isinstance(value, str) and not value.strip())):
            return None
        if self.kind == "date":
            return as_date(self.name, value)
        if self.kind == "choice":
            return check_choice(self.name, value, self.choices)
        if self.kind == "text":
            if not isinstance(value, str) or not value.strip():
                raise DealDeskInputError(f"{self.name} must be non-empty text, got {value!r}")
            return value.strip()
        number = check_number(
            self.name,
            value,
            minimum=self.minimum,
            maximum=self.maximum,
            strict_min=self.strict_min,
            integer=self.kind == "integer",
        )
        return int(number) if self.kind == "integer" else number


def _spec(name, label, unit, default, kind, source, group, **rules) -> InputSpec:  # noqa: ANN001
    if kind == "fraction":
        rules = {"minimum": 0.0, "maximum": 1.0, **rules}
    return InputSpec(name, label, unit, default, kind, source, group, **rules)


_ANNOUNCEMENT = "Amazon/OpenAI announcement, 2025-11-03"
_ASSUMPTION = "Analyst assumption (no public figure)"

#: Every input of the model, in the order the Inputs sheet shows them.
INPUTS: tuple[InputSpec, ...] = (
    # Deal
    _spec("deal_name", "Deal", "text", DEFAULT_DEAL["deal_name"], "text", _ANNOUNCEMENT, "Deal"),
    _spec("provider", "Provider", "text", DEFAULT_DEAL["provider"], "text", _ANNOUNCEMENT, "Deal"),
    _spec("customer", "Customer", "text", DEFAULT_DEAL["customer"], "text", _ANNOUNCEMENT, "Deal"),
    _spec(
        "contract_value",
        "Contract value",
        "US$ bn",
        DEFAULT_DEAL["contract_value"],
        "number",
        _ANNOUNCEMENT,
        "Deal",
        minimum=0.0,
        strict_min=True,
    ),
    _spec("start_date", "Start date", "date", DEFAULT_DEAL["start_date"], "date", _ANNOUNCEMENT, "Deal"),
    _spec(
        "signing_date",
        "Signing date",
        "date",
        DEFAULT_DEAL["start_date"],
        "date",
        _ANNOUNCEMENT + " (the valuation date of NPV and the event study)",
        "Deal",
    ),
    _spec(
        "term_years",
        "Term",
        "years",
        DEFAULT_DEAL["term_years"],
        "number",
        "Analysts' reading of the announcement (multi-year, 7 years)",
        "Deal",
        minimum=0.0,
        strict_min=True,
        maximum=30.0,
    ),
    # Revenue shape
    _spec(
        "profile",
        "Revenue profile",
        "choice",
        "linear",
        "choice",
        "Ramp: capacity comes online through 2026 (announcement)",
        "Schedule",
        choices=PROFILES,
    ),
    _spec(
        "full_at",
        "Full run-rate from",
        "date",
        DEFAULT_DEAL["full_at"],
        "date",
        "All capacity targeted by end-2026 (announcement)",
        "Schedule",
    ),
    _spec("initial_rate", "Initial run-rate", "share of full", 0.0, "fraction", _ASSUMPTION, "Schedule"),
    _spec("frequency", "Period", "choice", "year", "choice", "Convention", "Schedule", choices=FREQUENCIES),
    _spec(
        "fiscal_year_end",
        "Fiscal year-end month",
        "month",
        12,
        "integer",
        "Amazon fiscal year ends in December (10-K)",
        "Schedule",
        minimum=1,
        maximum=12,
    ),
    _spec(
        "realisation",
        "Realisation (utilisation)",
        "fraction",
        0.925,
        "fraction",
        "Analysts apply a 5–10% utilisation discount (article, 2025-11-03); midpoint. "
        "Above 0: at 0 the deal earns nothing and has no margin",
        "Schedule",
        strict_min=True,
    ),
    _spec(
        "delay_quarters",
        "Delivery delay",
        "quarters",
        0.0,
        "number",
        "Base case: no delay. With the delay mode compress or forfeit it must be shorter than the term",
        "Schedule",
        minimum=0.0,
        maximum=20.0,
    ),
    _spec(
        "delay_mode",
        "Delay mode",
        "choice",
        "extend",
        "choice",
        "CoreWeave 2025: after a supplier's delay the term was extended to keep the full value",
        "Schedule",
        choices=DELAY_MODES,
    ),
    # Provider
    _spec(
        "base_revenue",
        "Provider base revenue",
        "US$ bn a year",
        128.7,
        "number",
        "AWS FY2025 revenue $128.7B, the newest reported fiscal year (Amazon release 2026-02-05; "
        "the provider's baseline, core.baseline)",
        "Provider",
        # US$1M at least: growth in points and margin mixes divide by it (a private
        # provider's undisclosed revenue is entered as that placeholder by core.deals).
        minimum=0.001,
    ),
    _spec(
        "base_year",
        "Base revenue's fiscal year",
        "fiscal year",
        2025,
        "integer",
        "The fiscal year of the base revenue and margin (AWS FY2025)",
        "Provider",
        minimum=2000,
        maximum=2100,
    ),
    _spec(
        "base_growth",
        "Base revenue growth",
        "fraction a year",
        round(128.7 / 107.6 - 1.0, 10),
        "number",
        "AWS FY2025 growth held: 128.7 ÷ 107.6 − 1 = 19.6% a year (Amazon releases 2025-02-06, "
        "2026-02-05); the baseline's one rule after the base year (core.baseline)",
        "Provider",
        minimum=-0.5,
        maximum=2.0,
    ),
    _spec(
        "base_margin",
        "Provider operating margin",
        "fraction",
        0.354,
        "fraction",
        "AWS FY2025 operating margin 35.4%: $45.6B ÷ $128.7B, the four quarters summed (derived; Amazon "
        "release 2026-02-05), held after the base year",
        "Provider",
        minimum=-1.0,  # a neocloud may run at a loss (Nebius Q1-26: −32%)
    ),
    _spec(
        "deal_margin_override",
        "Deal operating margin override (blank = from costs)",
        "fraction",
        None,
        "fraction",
        "Blank: the margin is an output of the cost stack. Evidence: Oracle GPU rental 14% gross "
        "(The Information 2025-10-07); Oracle guides 30–40% over contract life (CreditSights 2025-10-22)",
        "Provider",
        minimum=-1.0,
        optional=True,
    ),
    _spec(
        "reported_backlog",
        "Reported backlog before the deal",
        "US$ bn",
        200.0,
        "number",
        "AWS backlog Q3 2025, excluding October deals (Amazon filings)",
        "Provider",
        minimum=0.0,
    ),
    _spec(
        "booking",
        "Backlog booking",
        "choice",
        "full",
        "choice",
        "ASC 606: a non-cancellable commitment enters RPO at signing",
        "Provider",
        choices=BOOKING_MODES,
    ),
    _spec(
        "booking_date",
        "Booking date (blank = signing date)",
        "date",
        None,
        "date",
        "Blank: the contract enters backlog on the signing date (ASC 606), unless the provider's "
        "reported backlog shows an earlier date",
        "Provider",
        optional=True,
    ),
    # Capacity and power
    _spec(
        "price_per_gpu_hour",
        "Price per GPU-hour",
        "US$ per GPU-hour",
        USD_PER_GPU_HOUR,
        "number",
        "Prices implied by public contracts; " + derivation("price_per_gpu_hour"),
        "Capacity",
        minimum=0.01,  # a cent: below it the fleet (revenue ÷ price) runs to absurd sizes
        maximum=1000.0,
    ),
    _spec(
        "billable_share",
        "Billable share of GPU-hours",
        "fraction",
        1.0,
        "fraction",
        _ASSUMPTION + ": reserved capacity is billed whether used or not",
        "Capacity",
        minimum=0.01,  # 1% of hours: below it the fleet (revenue ÷ billed hours) runs to infinity
    ),
    _spec(
        "fleet_gpus",
        "Disclosed GPUs (blank = from price)",
        "GPUs",
        None,
        "number",
        'Blank: no GPU count disclosed ("hundreds of thousands", announcement). With fleet_it_mw too, '
        "the two must agree within 10% at the rack density (GPUs per rack ÷ kW per rack); the GPUs are used",
        "Capacity",
        minimum=0.0,
        strict_min=True,
        optional=True,
    ),
    _spec(
        "fleet_it_mw",
        "Disclosed IT load (blank = from price)",
        "MW",
        None,
        "number",
        "Blank: no IT load disclosed. With fleet_gpus too, the two must agree within 10% at the rack "
        "density (GPUs per rack ÷ kW per rack); the GPUs are used",
        "Capacity",
        minimum=0.0,
        strict_min=True,
        optional=True,
    ),
    _spec(
        "gpus_per_rack",
        "GPUs per rack",
        "GPUs",
        GPUS_PER_RACK,
        "number",
        "GB200 NVL72: 72 GPUs per rack (vendor specs)",
        "Capacity",
        minimum=1.0,
    ),
    _spec(
        "kw_per_rack",
        "Power per rack",
        "kW",
        KW_PER_RACK,
        "number",
        "GB200 NVL72 ~120 kW (vendor specs via introl)",
        "Capacity",
        minimum=0.0,
        strict_min=True,
    ),
    _spec(
        "pue",
        "Power usage effectiveness",
        "ratio",
        PUE,
        "number",
        derivation("pue"),
        "Capacity",
        minimum=PUE_MIN,
        maximum=PUE_MAX,
    ),
    _spec(
        "rack_price_musd",
        "IT capex per rack (servers, network, storage)",
        "US$ m",
        RACK_PRICE_MUSD,
        "number",
        derivation("rack_price_musd"),
        "Capacity",
        minimum=0.0,
        strict_min=True,
    ),
    _spec(
        "facility_musd_per_mw",
        "Facility build cost",
        "US$ m per MW",
        FACILITY_MUSD_PER_MW,
        "number",
        derivation("facility_musd_per_mw") + "; land excluded",
        "Capacity",
        minimum=0.0,
    ),
    _spec(
        "power_usd_per_mwh",
        "Power price",
        "US$ per MWh",
        POWER_USD_PER_MWH,
        "number",
        derivation("power_usd_per_mwh"),
        "Capacity",
        minimum=0.0,
    ),
    _spec(
        "us_consumption_twh",
        "US electricity use",
        "TWh a year",
        US_CONSUMPTION_TWH,
        "number",
        "EIA 2024",
        "Capacity",
        minimum=0.0,
        strict_min=True,
    ),
    # Economics
    _spec(
        "useful_life_years",
        "Server useful life",
        "years",
        central("useful_life_years", company="Amazon"),
        "number",
        "Amazon FY2024 10-K: 5 years from 2025, the provider's own; "
        + derivation("useful_life_years", company="Amazon")
        + f"; a provider with no figure of its own takes the median, {central('useful_life_years'):g}",
        "Economics",
        minimum=0.0,
        strict_min=True,
        maximum=30.0,
    ),
    _spec(
        "server_life_extension_years",
        "Server life extension",
        "years",
        0.0,
        "number",
        "Analyst choice. 0: servers whose life ends before the contract does are replaced at the IT capex "
        "price and depreciated again (Amazon shortened its server life to 5 years and retired servers early, "
        "$920M in Q4-24: FY2024 10-K). Above 0: the deal's servers run that many years longer and are "
        "depreciated over the longer life; a life that still ends before the contract is refreshed then",
        "Economics",
        minimum=0.0,
        maximum=20.0,
    ),
    _spec(
        "facility_life_years",
        "Facility useful life",
        "years",
        15.0,
        "number",
        _ASSUMPTION + ": power and cooling plant (buildings last longer)",
        "Economics",
        minimum=0.0,
        strict_min=True,
        maximum=50.0,
    ),
    _spec(
        "other_opex_share",
        "Other operating costs",
        "fraction of revenue",
        central("other_opex_share"),
        "fraction",
        "Staff, maintenance, support and site costs outside depreciation and power; "
        + derivation("other_opex_share"),
        "Economics",
    ),
    _spec(
        "committed_capex_share",
        "Capex on plan despite a delay",
        "fraction",
        0.3,
        "fraction",
        _ASSUMPTION + ": about the facility's share of the fleet's capex, built to plan while GPUs wait",
        "Economics",
    ),
    _spec(
        "capex_lead_years",
        "Capex ahead of revenue",
        "years",
        1.0,
        "number",
        _ASSUMPTION,
        "Economics",
        minimum=0.0,
        maximum=5.0,
    ),
    _spec("tax_rate", "Tax rate", "fraction", 0.21, "fraction", "US federal statutory rate", "Economics"),
    _spec("discount_rate", "Discount rate", "fraction", 0.09, "fraction", _ASSUMPTION, "Economics"),
    _spec(
        "capex_2026",
        "Provider capex 2026",
        "US$ bn",
        200.0,
        "number",
        "Amazon 2026 guide ~$200B (call 2026-02-05)",
        "Economics",
        minimum=0.0,
    ),
    # Counterparty
    _spec(
        "customer_revenue_start",
        "Customer revenue today",
        "US$ bn a year",
        13.1,
        "number",
        "OpenAI 2025 revenue $13.1B (CNBC/Reuters, 2026-02-20); the article's ~$3.5B was 2024's",
        "Counterparty",
        minimum=0.0,
        strict_min=True,
    ),
    _spec(
        "customer_revenue_start_year",
        "Customer revenue year",
        "year",
        2025,
        "integer",
        "OpenAI 2025 revenue (CNBC/Reuters, 2026-02-20)",
        "Counterparty",
        minimum=2000,
        maximum=2100,
    ),
    _spec(
        "customer_revenue_target",
        "Customer revenue target",
        "US$ bn a year",
        280.0,
        "number",
        "OpenAI's >$280B 2030 revenue target (CNBC, 2026-02-20), the newest stated projection; the "
        "article's ~$50B by 2027 is an alternative (core.baseline)",
        "Counterparty",
        minimum=0.0,
        strict_min=True,
    ),
    _spec(
        "customer_target_year",
        "Customer target year",
        "year",
        2030,
        "integer",
        "OpenAI's 2030 target (CNBC, 2026-02-20)",
        "Counterparty",
        minimum=2000,
        maximum=2100,
    ),
    _spec(
        "customer_growth_after",
        "Customer growth after the target year",
        "fraction a year",
        0.0,
        "number",
        _ASSUMPTION + ": flat after the target year (no public path runs beyond)",
        "Counterparty",
        minimum=-0.5,
        maximum=1.0,
    ),
    # Valuation
    _spec(
        "shares_outstanding",
        "Shares outstanding",
        "bn shares",
        10.690216011,
        "number",
        "Amazon Q3 2025 10-Q cover (2025-10-22)",
        "Valuation",
        minimum=0.0,
        strict_min=True,
    ),
    _spec(
        "prior_close",
        "Prior close",
        "US$ per share",
        244.22,
        "number",
        "Amazon close 2025-10-31 (the article; its +5.8% = $258.38)",
        "Valuation",
        minimum=0.0,
        strict_min=True,
    ),
    _spec(
        "move_pct",
        "Announcement move",
        "fraction",
        0.058,
        "number",
        "Amazon +5.8% pre-market at $258.38 (article, 2025-11-03)",
        "Valuation",
        minimum=-1.0,
        strict_min=True,  # a fall of 100% leaves no price to value
        maximum=10.0,
    ),
    _spec(
        "market_move_pct",
        "Market move that day",
        "fraction",
        0.0,
        "number",
        _ASSUMPTION,
        "Valuation",
        minimum=-1.0,
        strict_min=True,  # a fall of 100% leaves no price to value
        maximum=10.0,
    ),
    _spec(
        "market_value_target",
        "Market value threshold (0 = none)",
        "US$ bn",
        3000.0,
        "number",
        "Article: Amazon's market value could pass $3 trillion by 2027 (0: no threshold, the test does not apply)",
        "Valuation",
        minimum=0.0,
    ),
    _spec(
        "market_value_growth",
        "Market value growth",
        "fraction a year",
        0.0,
        "fraction",
        _ASSUMPTION + "; 0 carries today's value to the threshold year",
        "Valuation",
        minimum=-0.5,
        maximum=1.0,
    ),
    _spec(
        "apply_cloud_shock",
        "Cloud shock in the market-value path",
        "1 = yes",
        0,
        "integer",
        "Scenario switch: the bear case takes the article's -15% cloud shock",
        "Valuation",
        minimum=0,
        maximum=1,
    ),
    _spec(
        "cloud_shock",
        "Cloud sector shock",
        "fraction",
        -0.15,
        "number",
        "Article: the cloud sector could fall 15% overnight",
        "Valuation",
        minimum=-1.0,
        maximum=1.0,
    ),
    # Scenario
    _spec(
        "scenario",
        "Scenario",
        "choice",
        "base",
        "choice",
        "Convention",
        "Scenario",
        choices=("base", "bull", "bear"),
    ),
)

_BY_NAME = {spec.name: spec for spec in INPUTS}


def _default(name: str) -> Any:
    return _BY_NAME[name].default


@dataclasses.dataclass(frozen=True)
class Assumptions:
    """All inputs of the model, validated; defaults reproduce the AWS–OpenAI base case.

    Fields, units, rules and sources are described once in ``INPUTS``. Build
    with ``Assumptions()`` for the defaults, ``Assumptions.from_pairs(rows)``
    from a two-column name/value range, and ``a.replace(**overrides)`` for a
    variant.

    >>> a = Assumptions()
    >>> a.contract_value, a.term_years, a.start_date.isoformat()
    (38.0, 7.0, '2025-11-03')
    >>> Assumptions.from_pairs([("contract_value", 40)]).contract_value
    40.0
    """

    deal_name: str = _default("deal_name")
    provider: str = _default("provider")
    customer: str = _default("customer")
    contract_value: float = _default("contract_value")
    start_date: dt.date = _default("start_date")
    signing_date: dt.date = _default("signing_date")
    term_years: float = _default("term_years")
    profile: str = _default("profile")
    full_at: dt.date = _default("full_at")
    initial_rate: float = _default("initial_rate")
    frequency: str = _default("frequency")
    fiscal_year_end: int = _default("fiscal_year_end")
    realisation: float = _default("realisation")
    delay_quarters: float = _default("delay_quarters")
    delay_mode: str = _default("delay_mode")
    base_revenue: float = _default("base_revenue")
    base_year: int = _default("base_year")
    base_growth: float = _default("base_growth")
    base_margin: float = _default("base_margin")
    deal_margin_override: float | None = _default("deal_margin_override")
    reported_backlog: float = _default("reported_backlog")
    booking: str = _default("booking")
    booking_date: dt.date | None = _default("booking_date")
    price_per_gpu_hour: float = _default("price_per_gpu_hour")
    billable_share: float = _default("billable_share")
    fleet_gpus: float | None = _default("fleet_gpus")
    fleet_it_mw: float | None = _default("fleet_it_mw")
    gpus_per_rack: float = _default("gpus_per_rack")
    kw_per_rack: float = _default("kw_per_rack")
    pue: float = _default("pue")
    rack_price_musd: float = _default("rack_price_musd")
    facility_musd_per_mw: float = _default("facility_musd_per_mw")
    power_usd_per_mwh: float = _default("power_usd_per_mwh")
    us_consumption_twh: float = _default("us_consumption_twh")
    useful_life_years: float = _default("useful_life_years")
    server_life_extension_years: float = _default("server_life_extension_years")
    facility_life_years: float = _default("facility_life_years")
    other_opex_share: float = _default("other_opex_share")
    committed_capex_share: float = _default("committed_capex_share")
    capex_lead_years: float = _default("capex_lead_years")
    tax_rate: float = _default("tax_rate")
    discount_rate: float = _default("discount_rate")
    capex_2026: float = _default("capex_2026")
    customer_revenue_start: float = _default("customer_revenue_start")
    customer_revenue_start_year: int = _default("customer_revenue_start_year")
    customer_revenue_target: float = _default("customer_revenue_target")
    customer_target_year: int = _default("customer_target_year")
    customer_growth_after: float = _default("customer_growth_after")
    shares_outstanding: float = _default("shares_outstanding")
    prior_close: float = _default("prior_close")
    move_pct: float = _default("move_pct")
    market_move_pct: float = _default("market_move_pct")
    market_value_target: float = _default("market_value_target")
    market_value_growth: float = _default("market_value_growth")
    apply_cloud_shock: int = _default("apply_cloud_shock")
    cloud_shock: float = _default("cloud_shock")
    scenario: str = _default("scenario")

    def __post_init__(self) -> None:
        _validate(self)

    @classmethod
    def from_pairs(cls, rows: Iterable[Iterable[Any]] | Mapping[str, Any]) -> Assumptions:
        """Build from ``name, value`` rows; blank names and values are skipped, unknown or repeated names refused."""
        return _from_pairs(cls, rows)

    def to_pairs(self) -> list[tuple[str, Any]]:
        """The inputs as ``(name, value)`` rows in ``INPUTS`` order."""
        return [(spec.name, getattr(self, spec.name)) for spec in INPUTS]

    def replace(self, **changes: Any) -> Assumptions:
        """A copy with some inputs changed (validated); unknown names are refused."""
        return _replace(self, changes)

    @property
    def delay_days(self) -> int:
        """The delivery delay in whole days (see ``core.schedule.delay_days_from_quarters``)."""
        return delay_days_from_quarters(self.delay_quarters)


def as_assumptions(name: str, value: Any) -> Assumptions:
    """Return ``value`` if it is an :class:`Assumptions`, the defaults for ``None``, else raise naming ``name``.

    A model run with no inputs given is the AWS–OpenAI base case:

    >>> as_assumptions("a", None).contract_value
    38.0
    >>> as_assumptions("a", {"contract_value": 40})
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: a must be an Assumptions, got dict
    """
    a = Assumptions() if value is None else value
    if not isinstance(a, Assumptions):
        raise DealDeskInputError(f"{name} must be an Assumptions, got {type(a).__name__}")
    return a


def _validate(instance: Any) -> None:
    """Coerce every field; report every bad one at once (one message per input, joined by '; ')."""
    problems: list[str] = []
    for spec in INPUTS:
        try:
            object.__setattr__(instance, spec.name, spec.coerce(getattr(instance, spec.name)))
        except DealDeskInputError as error:
            problems.append(str(error))
    if not problems and instance.customer_target_year <= instance.customer_revenue_start_year:
        problems.append(
            "customer_target_year must be after customer_revenue_start_year, got "
            f"{instance.customer_target_year} <= {instance.customer_revenue_start_year}"
        )
    if not problems:
        problems += _cross_problems(instance)
    if problems:
        raise DealDeskInputError("; ".join(problems))


#: What a delivery delay as long as the contract would leave, by delay mode.
_WHOLE_TERM_DELAY = {
    "compress": "no days to deliver the contract in",
    "forfeit": "nothing: all its revenue would be forfeited",
}


def _cross_problems(instance: Any) -> list[str]:
    """Rules between inputs, each message naming the inputs the analyst sets."""
    problems: list[str] = []
    try:
        check_disclosed_fleet(
            instance.fleet_gpus,
            instance.fleet_it_mw,
            gpus_per_rack=instance.gpus_per_rack,
            kw_per_rack=instance.kw_per_rack,
        )
    except DealDeskInputError as error:
        problems.append(str(error))
    if instance.delay_mode in _WHOLE_TERM_DELAY and instance.delay_quarters > 0:
        try:
            days = contract_days(instance.start_date, instance.term_years)
        except DealDeskInputError as error:
            return [*problems, str(error)]
        delay = delay_days_from_quarters(instance.delay_quarters)
        if delay >= days:
            problems.append(
                f"delay_quarters must be shorter than the term with delay_mode {instance.delay_mode!r} (a delay "
                f"as long as the contract leaves {_WHOLE_TERM_DELAY[instance.delay_mode]}): the contract runs "
                f"{days:,} days (term_years {instance.term_years:g}), got {instance.delay_quarters:g} quarters "
                f"= {delay:,} days"
            )
    return problems


def _replace(instance: Any, changes: Mapping[str, Any]) -> Any:
    unknown = sorted(set(changes) - set(_BY_NAME))
    if unknown:
        raise DealDeskInputError(f"unknown input name(s): {', '.join(unknown)}; see core.assumptions.INPUTS")
    return dataclasses.replace(instance, **changes)


def _from_pairs(cls: type, rows: Iterable[Iterable[Any]] | Mapping[str, Any]) -> Any:
    """Build from ``name, value`` rows; blank names are skipped, unknown or repeated names refused."""
    items = rows.items() if isinstance(rows, Mapping) else rows
    values: dict[str, Any] = {}
    for row in items:
        row = list(row)
        if len(row) < 2:
            raise DealDeskInputError(f"inputs must be rows of name and value, got {row!r}")
        name, value = row[0], row[1]
        if name is None or (isinstance(name, str) and not name.strip()):
            continue
        key = str(name).strip()
        if key not in _BY_NAME:
            # Header rows and section titles in a pasted range are tolerated.
            if key.lower() in {"name", "input", "inputs"}:
                continue
            raise DealDeskInputError(
                f"unknown input name {key!r}; see core.assumptions.INPUTS for the accepted names"
            )
        if key in values:
            raise DealDeskInputError(f"input {key!r} is given twice")
        if value is None or (isinstance(value, str) and not value.strip() and _BY_NAME[key].kind != "text"):
            continue
        values[key] = value
    return cls(**values)


@dataclasses.dataclass(frozen=True)
class Shift:
    """A scenario override relative to the base case: a date input moved by whole months.

    The move follows Excel's ``EDATE``: the same day of the month ``months``
    later (earlier when negative), clipped to the month's last day, so a
    scenario means the same thing for every deal whatever its dates, and the
    template can replicate it as ``=EDATE(name, months)``.

    Parameters
    ----------
    months : int
        Months to move the base value by (negative = earlier).

    Examples
    --------
    The bull case reaches full run-rate one quarter earlier than the base case:

    >>> Shift(-3).apply(dt.date(2026, 12, 31))
    datetime.date(2026, 9, 30)
    >>> Shift(-3).excel_formula("full_at")
    '=EDATE(full_at,-3)'
    """

    months: int

    def __post_init__(self) -> None:
        check_number("months", self.months, integer=True)

    def apply(self, value: Any) -> dt.date:
        """The base value ``value`` (a date) moved by ``months``, as Excel's ``EDATE`` moves it."""
        base = as_date("value", value)
        index = base.year * 12 + base.month - 1 + int(self.months)
        year, month = divmod(index, 12)
        month += 1
        next_first = dt.date(year + month // 12, month % 12 + 1, 1)
        last_day = (next_first - dt.timedelta(days=1)).day
        return dt.date(year, month, min(base.day, last_day))

    def excel_formula(self, name: str) -> str:
        """The same move as an Excel formula on the defined name ``name``."""
        return f"=EDATE({name},{int(self.months)})"


#: Named scenarios as overrides on the base assumptions, as the article frames
#: them: the bull case is faster adoption (full run-rate one quarter earlier,
#: 95% realisation) and a market value that passes $3 trillion by 2027 (10% a
#: year from $2.76T); the bear case is slower build-outs (two quarters of delay,
#: full run-rate one quarter later, 90% realisation: the article's 5–10%
#: utilisation discount at its wide end) and the cloud sector's −15% shock in
#: the market-value path. Growth rates and delays are analyst assumptions. A
#: value is either the input's value in the scenario or a :class:`Shift` of the
#: base value, so a scenario means the same thing for every deal whatever its dates.
SCENARIOS: dict[str, dict[str, Any]] = {
    "base": {},
    "bull": {"realisation": 0.95, "full_at": Shift(-3), "market_value_growth": 0.10},
    "bear": {"realisation": 0.90, "delay_quarters": 2.0, "full_at": Shift(3), "apply_cloud_shock": 1},
}


def scenario_assumptions(base: Any = None, scenario: str | None = None) -> Any:
    """Apply a named scenario's overrides to ``base`` (defaults when omitted).

    Fixed values replace the base's; a :class:`Shift` moves the base's value.

    >>> scenario_assumptions(scenario="bear").realisation
    0.9
    >>> scenario_assumptions(scenario="bull").full_at.isoformat()
    '2026-09-30'
    """
    base = Assumptions() if base is None else base
    name = check_choice("scenario", scenario or base.scenario, SCENARIOS)
    changes = {
        key: value.apply(getattr(base, key)) if isinstance(value, Shift) else value
        for key, value in SCENARIOS[name].items()
    }
    return base.replace(**changes, scenario=name)
