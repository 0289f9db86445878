"""Conventions and sourced defaults, stated once.

Units: money in whatever unit the caller passes (the template uses US$
billions); rates, margins and shares are fractions (0.35, never 35); margin
changes are in basis points. Dates are calendar dates.

Every default below cites its public source (see FACTS in the project's
design notes). Analysts override all of them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = [
    "PROFILES",
    "FREQUENCIES",
    "DELAY_MODES",
    "BOOKING_MODES",
    "DEFAULT_DEAL",
    "BPS_PER_UNIT",
    "DAYS_PER_YEAR",
    "HOURS_PER_YEAR",
    "HOURS_PER_LEAP_YEAR",
    "PUE_MIN",
    "PUE_MAX",
    "USD_PER_BN",
    "MUSD_PER_BN",
    "KW_PER_MW",
    "MWH_PER_TWH",
]

#: Revenue profiles of a contract (cumulative share F(x) over contract time).
PROFILES = ("straight", "linear", "scurve", "front", "back", "custom", "capacity")
#: Period lengths of a schedule.
FREQUENCIES = ("month", "quarter", "year")
#: Delivery-delay modes: extend the term, compress the shape, forfeit the tail.
DELAY_MODES = ("extend", "compress", "forfeit")
#: How a contract enters backlog (RPO): all at signing, or by tranche dates.
BOOKING_MODES = ("full", "staged")

BPS_PER_UNIT = 10_000.0
DAYS_PER_YEAR = 365.25
HOURS_PER_YEAR = 8_760.0
#: The most hours a year can hold (366 days): the upper bound of an hours-a-year input.
HOURS_PER_LEAP_YEAR = 8_784.0

#: Power usage effectiveness allowed, the one rule for every PUE input: 1 (all power
#: reaches the IT load) to 3 (far above any modern AI site; analyst bound).
PUE_MIN, PUE_MAX = 1.0, 3.0

# Unit factors.
USD_PER_BN = 1e9  # US$ in a US$ billion
MUSD_PER_BN = 1e3  # US$ millions in a US$ billion
KW_PER_MW = 1e3
MWH_PER_TWH = 1e6

#: The reference case: AWS–OpenAI, announced 2025-11-03 (Amazon/OpenAI
#: announcement). Money in US$ billions.
DEFAULT_DEAL: dict[str, Any] = {
    "deal_name": "AWS–OpenAI",
    "provider": "Amazon (AWS)",
    "customer": "OpenAI",
    # $38B headline, 7 years as analysts model it (Amazon/OpenAI announcement).
    "contract_value": 38.0,
    "start_date": dt.date(2025, 11, 3),
    "term_years": 7.0,
    # All capacity deployed by the end of 2026 (Amazon/OpenAI announcement).
    "full_at": dt.date(2026, 12, 31),
}
