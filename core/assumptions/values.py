"""``Assumptions``: one validated set of inputs (defaults from ``INPUTS``), and the rules between inputs.

Every field is coerced by its ``InputSpec``; every bad input is reported at once, then the rules
that tie inputs together (a disclosed fleet, a delay shorter than the term).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from core.assumptions.inputs import INPUTS
from core.capacity import (
    check_disclosed_fleet,
)
from core.schedule import contract_days, delay_days_from_quarters
from core.validation import DealDeskInputError

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
