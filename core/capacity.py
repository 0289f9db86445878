"""Capacity and power behind a compute contract: revenue -> GPUs -> racks -> MW -> capex and energy.

Units are in every name, because this module mixes scales:

* revenue and capex in **US$ billions** (``*_usd_bn``), like the template;
* unit prices in the unit their name says: ``usd_per_gpu_hour`` (US$),
  ``rack_price_musd`` (US$ millions a rack), ``facility_musd_per_mw``
  (US$ millions per MW of IT load), ``power_usd_per_mwh`` (US$);
* power in MW and kW, energy in MWh a year, national use in TWh a year.

GPU and rack counts are kept fractional (no rounding up) so that every
quantity scales linearly with the contract; round them when you report.

Sourced defaults: GB200/GB300 NVL72 racks hold 72 GPUs and draw ~120 kW
(vendor specs via introl, digitimes 2024-11-18). The price per GPU-hour, the
IT capex of a rack, the facility cost per MW of IT load, the power price and
the PUE are the central values of their public evidence tables
(:mod:`core.evidence`: the median of the independent, comparable points for
the reference deal's GB200/GB300 GPUs); the US used ~4,097 TWh in 2024 (EIA).
A load factor of 1 is an analyst assumption (no public figure for these sites).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from core.conventions import (
    HOURS_PER_LEAP_YEAR,
    HOURS_PER_YEAR,
    KW_PER_MW,
    MUSD_PER_BN,
    MWH_PER_TWH,
    PUE_MAX,
    PUE_MIN,
    USD_PER_BN,
)
from core.evidence import NVL72_GPUS, NVL72_KW, central
from core.validation import DealDeskInputError, check_fraction, check_number, check_quantity

__all__ = [
    "GPUS_PER_RACK",
    "KW_PER_RACK",
    "RACK_PRICE_MUSD",
    "FACILITY_MUSD_PER_MW",
    "US_CONSUMPTION_TWH",
    "POWER_USD_PER_MWH",
    "PUE",
    "annual_energy_mwh",
    "capacity_from_revenue",
    "capacity_table",
    "capex_lead_shares",
    "capex_timing",
    "check_disclosed_fleet",
    "FLEET_AGREEMENT",
    "USD_PER_GPU_HOUR",
    "fleet_gpus",
    "facility_capex_usd_bn",
    "facility_power_mw",
    "gpus_from_capex",
    "gpus_from_revenue",
    "it_power_mw",
    "power_cost_usd_bn",
    "racks_for_gpus",
    "us_power_share",
]

#: GB200/GB300 NVL72: 72 GPUs per rack (vendor specs via introl, digitimes 2024-11-18).
GPUS_PER_RACK = NVL72_GPUS
#: GB200 NVL72: ~120 kW per rack, up to 132 kW (vendor specs via introl).
KW_PER_RACK = NVL72_KW
#: IT capex (servers, networking, storage) per 72-GPU rack, US$ m: evidence table median.
RACK_PRICE_MUSD = central("rack_price_musd")
#: Facility build cost per MW of IT load (IT equipment and land excluded), US$ m: evidence table median.
FACILITY_MUSD_PER_MW = central("facility_musd_per_mw")
#: US electricity use, 2024 (EIA).
US_CONSUMPTION_TWH = 4097.0
#: Power price, US$ per MWh: evidence table (EIA US industrial average 2023).
POWER_USD_PER_MWH = central("power_usd_per_mwh")
#: Power usage effectiveness: evidence table (Uptime Institute: new large facilities 1.3 or better).
PUE = central("pue")

#: How far a disclosed GPU count and a disclosed IT load may disagree at the deal's rack
#: density (a share of the GPUs the load holds): 10%, the spread of the NVL72's own power
#: rating (~120 kW, up to 132 kW) and of rounded disclosures ("~200 MW").
FLEET_AGREEMENT = 0.10

#: Default price per GPU-hour, US$: the evidence table's median for GB200/GB300 GPUs
#: (IREN–Microsoft 2.91 and Nscale's Oct-2025 tranche 2.74 -> 2.83, to the cent).
USD_PER_GPU_HOUR = central("price_per_gpu_hour")


def _positive(name: str, value: Any, **bounds: Any) -> float:
    return check_number(name, value, minimum=0, strict_min=True, **bounds)


def gpus_from_revenue(
    annual_revenue_usd_bn: Any,
    *,
    usd_per_gpu_hour: float,
    utilisation: float = 1.0,
    hours_per_year: float = HOURS_PER_YEAR,
) -> Any:
    """GPUs needed to earn a revenue run-rate at a GPU-hour price.

    gpus = revenue × 1e9 / (usd_per_gpu_hour × hours_per_year × utilisation)

    Parameters
    ----------
    annual_revenue_usd_bn : float or array-like
        Revenue a year, US$ billions (>= 0).
    usd_per_gpu_hour : float, keyword-only
        Price per GPU-hour, US$ (> 0). No public figure for this contract:
        an analyst assumption.
    utilisation : float
        Share of hours billed, a fraction in (0, 1].
    hours_per_year : float
        8,760 by default.

    Examples
    --------
    The straight-line $5.43B a year at an assumed $3 per GPU-hour, every hour billed:

    >>> round(gpus_from_revenue(38 / 7, usd_per_gpu_hour=3.0))
    206567
    """
    revenue = check_quantity("annual_revenue_usd_bn", annual_revenue_usd_bn)
    price = _positive("usd_per_gpu_hour", usd_per_gpu_hour)
    u = check_fraction("utilisation", utilisation, allow_zero=False)
    hours = _positive("hours_per_year", hours_per_year, maximum=HOURS_PER_LEAP_YEAR)
    return revenue * USD_PER_BN / (price * hours * u)


def check_disclosed_fleet(
    gpus: Any, it_mw: Any, *, gpus_per_rack: float = GPUS_PER_RACK, kw_per_rack: float = KW_PER_RACK
) -> None:
    """Refuse a disclosed GPU count and IT load that describe different fleets.

    Both may be given only when the GPU count is within ``FLEET_AGREEMENT``
    (10%) of the GPUs the IT load holds at the rack density
    (MW × 1,000 × GPUs per rack ÷ kW per rack); the GPU count is then the
    fleet. One of them blank (``None``) passes.

    Parameters
    ----------
    gpus : float or None
        Disclosed GPUs (input ``fleet_gpus``).
    it_mw : float or None
        Disclosed IT load, MW (input ``fleet_it_mw``).
    gpus_per_rack, kw_per_rack : float, keyword-only
        Rack density (inputs ``gpus_per_rack`` and ``kw_per_rack``).

    Examples
    --------
    200 MW at 72 GPUs per 120 kW rack holds 200,000 × 72 ÷ 120 = 120,000 GPUs;
    Nscale's 116,600 GB300s agree with it (2.8% fewer), 50,000 do not:

    >>> check_disclosed_fleet(116_600, 200)
    >>> check_disclosed_fleet(50_000, 200)
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: fleet_gpus and fleet_it_mw must describe the same fleet: 200 MW holds 120,000 GPUs at 72 GPUs per 120 kW rack (gpus_per_rack, kw_per_rack), and fleet_gpus may differ from that by at most 10% (108,000 to 132,000); got 50,000 GPUs. Leave one of them blank, or correct the rack density
    """
    if gpus is None or it_mw is None:
        return
    count = check_number("fleet_gpus", gpus, minimum=0, strict_min=True)
    mw = check_number("fleet_it_mw", it_mw, minimum=0, strict_min=True)
    per_rack = _positive("gpus_per_rack", gpus_per_rack)
    kw = _positive("kw_per_rack", kw_per_rack)
    held = mw * KW_PER_MW * per_rack / kw
    # A hair of slack so that a count exactly at the bound is not refused by rounding.
    if abs(count - held) > FLEET_AGREEMENT * held * (1 + 1e-12):
        raise DealDeskInputError(
            f"fleet_gpus and fleet_it_mw must describe the same fleet: {mw:,.6g} MW holds {held:,.0f} GPUs at "
            f"{per_rack:,.6g} GPUs per {kw:,.6g} kW rack (gpus_per_rack, kw_per_rack), and fleet_gpus may differ "
            f"from that by at most {FLEET_AGREEMENT:.0%} ({held * (1 - FLEET_AGREEMENT):,.0f} to "
            f"{held * (1 + FLEET_AGREEMENT):,.0f}); got {count:,.6g} GPUs. Leave one of them blank, or correct "
            "the rack density"
        )


def fleet_gpus(
    peak_run_rate_usd_bn: Any,
    *,
    usd_per_gpu_hour: float = USD_PER_GPU_HOUR,
    billable_share: float = 1.0,
    disclosed_gpus: float | None = None,
    disclosed_it_mw: float | None = None,
    gpus_per_rack: float = GPUS_PER_RACK,
    kw_per_rack: float = KW_PER_RACK,
) -> Any:
    """The fleet a contract needs: from what is sold, or from the capacity the deal discloses.

    gpus = peak run-rate × 1e9 ÷ (price per GPU-hour × 8,760 h × billable share),
    unless the deal discloses its GPUs (used as given) or its IT load in MW
    (gpus = MW × 1,000 ÷ (kW per rack ÷ GPUs per rack)). The fleet never
    depends on costs or margins: a depreciation life changes what the fleet
    costs, not how many GPUs it holds.

    Parameters
    ----------
    peak_run_rate_usd_bn : float or array-like
        Highest annual contractual revenue run-rate, US$ billions (>= 0).
    usd_per_gpu_hour : float, keyword-only
        Price per GPU-hour, US$ (> 0); default the evidence table's central value (``USD_PER_GPU_HOUR``).
    billable_share : float, keyword-only
        Share of the fleet's hours billed, a fraction in (0, 1].
    disclosed_gpus, disclosed_it_mw : float or None, keyword-only
        Capacity the deal discloses (> 0). Both may be given only when they agree
        within ``FLEET_AGREEMENT`` at the rack density
        (:func:`check_disclosed_fleet`); the GPU count is then the fleet.
    gpus_per_rack, kw_per_rack : float, keyword-only
        Rack density (GB200 NVL72: 72 GPUs, ~120 kW).

    Examples
    --------
    AWS–OpenAI at its peak run-rate of $5.918B a year and $2.83 per GPU-hour:
    5.918e9 ÷ (2.83 × 8,760) = 238,718 GPUs, "hundreds of thousands":

    >>> round(fleet_gpus(5.918, usd_per_gpu_hour=2.83))
    238718
    >>> fleet_gpus(5.918, disclosed_it_mw=200.0)  # IREN's ~200 MW: 200,000 kW ÷ (120 ÷ 72) kW
    120000.0
    """
    check_disclosed_fleet(
        disclosed_gpus, disclosed_it_mw, gpus_per_rack=gpus_per_rack, kw_per_rack=kw_per_rack
    )
    if disclosed_gpus is not None:
        return check_number("fleet_gpus", disclosed_gpus, minimum=0, strict_min=True)
    if disclosed_it_mw is not None:
        mw = check_number("fleet_it_mw", disclosed_it_mw, minimum=0, strict_min=True)
        return (
            mw
            * KW_PER_MW
            / (_positive("kw_per_rack", kw_per_rack) / _positive("gpus_per_rack", gpus_per_rack))
        )
    return gpus_from_revenue(
        peak_run_rate_usd_bn, usd_per_gpu_hour=usd_per_gpu_hour, utilisation=billable_share
    )


def gpus_from_capex(
    capex_usd_bn: Any, *, rack_price_musd: float = RACK_PRICE_MUSD, gpus_per_rack: float = GPUS_PER_RACK
) -> Any:
    """GPUs bought by an IT capex budget at a rack price.

    gpus = capex × 1e3 / rack_price_musd × gpus_per_rack

    Examples
    --------
    $10B of IT at $3M a rack buys 3,333 racks, 240,000 GPUs:

    >>> round(gpus_from_capex(10, rack_price_musd=3.0))
    240000
    """
    capex = check_quantity("capex_usd_bn", capex_usd_bn)
    price = _positive("rack_price_musd", rack_price_musd)
    per_rack = _positive("gpus_per_rack", gpus_per_rack)
    return capex * MUSD_PER_BN / price * per_rack


def racks_for_gpus(gpus: Any, *, gpus_per_rack: float = GPUS_PER_RACK) -> Any:
    """Racks holding ``gpus`` (fractional: round up when reporting).

    >>> racks_for_gpus(144_000)
    2000.0
    """
    return check_quantity("gpus", gpus) / _positive("gpus_per_rack", gpus_per_rack)


def it_power_mw(racks: Any, *, kw_per_rack: float = KW_PER_RACK) -> Any:
    """IT load of ``racks`` in MW.

    >>> it_power_mw(2000)
    240.0
    """
    return check_quantity("racks", racks) * _positive("kw_per_rack", kw_per_rack) / KW_PER_MW


def facility_power_mw(it_mw: Any, *, pue: float = PUE) -> Any:
    """Grid draw of a facility in MW: IT load × PUE (default 1.3, the evidence table's central value).

    >>> facility_power_mw(240.0)
    312.0
    """
    return check_quantity("it_mw", it_mw) * check_number("pue", pue, minimum=PUE_MIN, maximum=PUE_MAX)


def facility_capex_usd_bn(it_mw: Any, *, facility_musd_per_mw: float = FACILITY_MUSD_PER_MW) -> Any:
    """Building and power/cooling plant for ``it_mw`` of IT load, US$ billions (IT and land excluded).

    Build costs are quoted per MW of IT (critical) load, so this takes IT MW, not grid MW.

    240 MW at the default $16.3M per MW (the evidence table's median):

    >>> round(facility_capex_usd_bn(240.0), 3)
    3.912
    """
    return (
        check_quantity("it_mw", it_mw)
        * check_number("facility_musd_per_mw", facility_musd_per_mw, minimum=0)
        / MUSD_PER_BN
    )


def annual_energy_mwh(
    facility_mw: Any, *, load_factor: float = 1.0, hours_per_year: float = HOURS_PER_YEAR
) -> Any:
    """Energy a year in MWh: facility MW × hours × load factor (1 = full draw all year, an upper bound).

    >>> annual_energy_mwh(288.0)
    2522880.0
    """
    mw = check_quantity("facility_mw", facility_mw)
    load = check_fraction("load_factor", load_factor)
    return mw * _positive("hours_per_year", hours_per_year, maximum=HOURS_PER_LEAP_YEAR) * load


def us_power_share(energy_mwh: Any, *, us_consumption_twh: float = US_CONSUMPTION_TWH) -> Any:
    """Share of US electricity use, a fraction (EIA: ~4,097 TWh in 2024).

    >>> round(us_power_share(2_522_880.0), 6)
    0.000616
    """
    return check_quantity("energy_mwh", energy_mwh) / (
        _positive("us_consumption_twh", us_consumption_twh) * MWH_PER_TWH
    )


def power_cost_usd_bn(energy_mwh: Any, *, power_usd_per_mwh: float = POWER_USD_PER_MWH) -> Any:
    """Power bill a year, US$ billions (EIA US industrial average ~$81/MWh, 2023).

    >>> round(power_cost_usd_bn(2_522_880.0), 4)
    0.2044
    """
    return (
        check_quantity("energy_mwh", energy_mwh)
        * check_number("power_usd_per_mwh", power_usd_per_mwh, minimum=0)
        / USD_PER_BN
    )


def capacity_table(
    gpus: float,
    *,
    gpus_per_rack: float = GPUS_PER_RACK,
    kw_per_rack: float = KW_PER_RACK,
    pue: float = PUE,
    facility_musd_per_mw: float = FACILITY_MUSD_PER_MW,
    load_factor: float = 1.0,
    power_usd_per_mwh: float = POWER_USD_PER_MWH,
    us_consumption_twh: float = US_CONSUMPTION_TWH,
) -> pd.DataFrame:
    """The physical footprint of ``gpus``: racks, MW, facility capex, energy, its US share and power bill.

    Start from :func:`gpus_from_revenue` or :func:`gpus_from_capex`.

    Returns
    -------
    pandas.DataFrame
        Rows ``gpus``, ``racks``, ``it_mw``, ``facility_mw``, ``facility_capex_usd_bn``,
        ``energy_mwh``, ``us_share`` and ``power_cost_usd_bn``; columns ``name``,
        ``value`` and ``unit``.

    Examples
    --------
    "Hundreds of thousands" of GPUs: 200,000 GB200s fill 2,778 NVL72 racks drawing 333 MW of IT
    load, 433 MW at the grid at the default PUE of 1.3.

    >>> t = capacity_table(200_000).set_index("name")["value"]
    >>> round(float(t["racks"])), round(float(t["facility_mw"]), 1), round(float(t["us_share"]), 5)
    (2778, 433.3, 0.00093)
    """
    count = check_number("gpus", gpus, minimum=0)
    racks = racks_for_gpus(count, gpus_per_rack=gpus_per_rack)
    it_mw = it_power_mw(racks, kw_per_rack=kw_per_rack)
    grid_mw = facility_power_mw(it_mw, pue=pue)
    energy = annual_energy_mwh(grid_mw, load_factor=load_factor)
    rows = [
        ("gpus", count, "GPUs"),
        ("racks", racks, "racks"),
        ("it_mw", it_mw, "MW"),
        ("facility_mw", grid_mw, "MW"),
        (
            "facility_capex_usd_bn",
            facility_capex_usd_bn(it_mw, facility_musd_per_mw=facility_musd_per_mw),
            "US$ bn",
        ),
        ("energy_mwh", energy, "MWh a year"),
        ("us_share", us_power_share(energy, us_consumption_twh=us_consumption_twh), "fraction"),
        (
            "power_cost_usd_bn",
            power_cost_usd_bn(energy, power_usd_per_mwh=power_usd_per_mwh),
            "US$ bn a year",
        ),
    ]
    return pd.DataFrame(rows, columns=["name", "value", "unit"])


def capacity_from_revenue(
    annual_revenue_usd_bn: float,
    *,
    usd_per_gpu_hour: float,
    utilisation: float = 1.0,
    **footprint: Any,
) -> pd.DataFrame:
    """The footprint behind a revenue run-rate: :func:`gpus_from_revenue`, then :func:`capacity_table`.

    ``footprint`` takes the keyword options of :func:`capacity_table`
    (``gpus_per_rack``, ``kw_per_rack``, ``pue``, ``facility_musd_per_mw``,
    ``load_factor``, ``power_usd_per_mwh``, ``us_consumption_twh``).

    Examples
    --------
    AWS–OpenAI's straight-line $5.43B a year at an assumed $3 per GPU-hour, 90% billed:

    >>> t = capacity_from_revenue(38 / 7, usd_per_gpu_hour=3.0, utilisation=0.9).set_index("name")
    >>> round(float(t.loc["gpus", "value"])), round(float(t.loc["facility_mw", "value"]))
    (229518, 497)
    """
    gpus = gpus_from_revenue(
        annual_revenue_usd_bn, usd_per_gpu_hour=usd_per_gpu_hour, utilisation=utilisation
    )
    return capacity_table(gpus, **footprint)


def capex_lead_shares(lead_years: float) -> tuple[tuple[int, float], ...]:
    """How capex for capacity entering service in a year is spread over the years before it.

    A whole lead of k years spends everything k years ahead; a fractional lead
    k + f spends 1 − f of it k years ahead and f of it k + 1 years ahead.

    Parameters
    ----------
    lead_years : float
        Years between spending and the revenue it serves (0–10; analyst assumption).

    Returns
    -------
    tuple of (int, float)
        ``(years_ahead, share)`` pairs; the shares sum to 1.

    Examples
    --------
    Racks bought 1.5 years before they earn: half two years ahead, half one year ahead:

    >>> capex_lead_shares(1.5)
    ((1, 0.5), (2, 0.5))
    """
    lead = check_number("lead_years", lead_years, minimum=0, maximum=10)
    whole, part = int(math.floor(lead)), lead - math.floor(lead)
    return ((whole, 1 - part), (whole + 1, part)) if part else ((whole, 1 - part),)


def capex_timing(run_rate: pd.Series, capex_total: float, *, lead_years: float = 1.0) -> pd.DataFrame:
    """Place capex ahead of the revenue it serves.

    Capacity in service follows the highest revenue run-rate reached so far;
    each year's added capacity takes its share of ``capex_total`` and that
    capex is spent ``lead_years`` earlier (a fractional lead splits it
    between the two neighbouring years).

    Parameters
    ----------
    run_rate : pandas.Series
        Annualised revenue run-rate by year (index: consecutive integer years), >= 0
        with at least one positive value.
    capex_total : float
        Capex for the whole contract, money (>= 0).
    lead_years : float, keyword-only
        Years between spending and the revenue it serves (0–10).

    Returns
    -------
    pandas.DataFrame
        ``year``, ``run_rate``, ``capacity_added`` (run-rate added that year),
        ``capex_in_service`` (capex of the capacity entering service that year)
        and ``capex`` (spent that year); rows from the first spending year.

    Examples
    --------
    A contract ramping to full run-rate over 2026, $20B of capex bought a year ahead:

    >>> t = capex_timing(pd.Series([1.0, 5.4, 5.4], index=[2025, 2026, 2027]), 20)
    >>> t["year"].tolist(), t["capex"].round(3).tolist()
    ([2024, 2025, 2026, 2027], [3.704, 16.296, 0.0, 0.0])
    """
    if not isinstance(run_rate, pd.Series) or run_rate.empty:
        raise DealDeskInputError("run_rate must be a non-empty pandas Series of revenue by year")
    years = np.asarray(run_rate.index)
    if not np.issubdtype(years.dtype, np.integer) or np.any(np.diff(years) != 1):
        raise DealDeskInputError(
            f"run_rate must be indexed by consecutive integer years, got {list(years)[:5]}"
        )
    rate = np.asarray(check_quantity("run_rate", run_rate.to_numpy(dtype=float)), dtype=float)
    if rate.max() <= 0:
        raise DealDeskInputError("run_rate must have at least one positive value")
    total = check_number("capex_total", capex_total, minimum=0)
    lead = check_number("lead_years", lead_years, minimum=0, maximum=10)

    added = np.diff(np.maximum.accumulate(rate), prepend=0.0)
    added[added < 1e-9 * rate.max()] = 0.0  # rounding noise, not new capacity
    # Shares first: total × added can round away when added is tiny (subnormal).
    in_service = total * (added / added.sum())
    pad = int(math.ceil(lead))
    spend = np.zeros(rate.size + pad)
    # Year index i (offset by pad) spends its share for the year years_ahead later.
    for years_ahead, share in capex_lead_shares(lead):
        spend[pad - years_ahead : pad - years_ahead + rate.size] += share * in_service
    first = int(years[0]) - pad
    out_years = np.arange(first, first + spend.size)

    def padded(values: np.ndarray) -> np.ndarray:
        return np.concatenate([np.zeros(pad), values])

    return pd.DataFrame(
        {
            "year": out_years,
            "run_rate": padded(rate),
            "capacity_added": padded(added),
            "capex_in_service": padded(in_service),
            "capex": spend,
        }
    )
