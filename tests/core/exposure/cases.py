"""Cases shared by the exposure tests: the library's OpenAI backlog by hand, and a hand portfolio."""

from __future__ import annotations

# Contract days and days before 2026 (as_of_year), by hand:
# AWS 2025-11-03 + 7 years = 2025-11-03 .. 2032-11-02: 59 + 365 + 365 + 366 + 365 + 365 + 365 + 307 = 2557 days,
#   59 of them in 2025 (Nov 3..30 = 28, Dec 31).
# Microsoft 2025-10-28 + 5 years (assumed) = .. 2030-10-27: 1826 days (2028 is a leap year), 65 in 2025.
# Oracle from 2027-01-01: all of its $300B is backlog at 2026.
# CoreWeave 2025-03-01 + 5 years (assumed) = .. 2030-02-28: 1826 days, 306 in 2025.
AWS = 38 * (2557 - 59) / 2557
MSFT = 250 * (1826 - 65) / 1826
ORCL = 300.0
CRWV = 22.4 * (1826 - 306) / 1826

# Customer C in 2026 owes A $6B (provider P, starts 2026-01-01), B $4B (provider Q: $8B over
# 2025-2026, starts 2025-01-01, so it is the senior contract) and D $2B (provider R, starts
# 2026-01-01, after A in the table). Commitments 12; it can pay revenue 5 + funding 2 + opening
# cash 1 = 8, a shortfall of 4.
HAND = [
    {"deal": "A", "provider": "P", "customer": "C", "value": 6, "start": "2026-01-01", "term_years": 1},
    {"deal": "B", "provider": "Q", "customer": "C", "value": 8, "start": "2025-01-01", "term_years": 2},
    {"deal": "D", "provider": "R", "customer": "C", "value": 2, "start": "2026-01-01", "term_years": 1},
]
FUND = [
    {"customer": "C", "year": 2026, "item": "revenue", "value": 5.0},
    {"customer": "C", "year": 2026, "item": "funding", "value": 2.0},
]
TERMS = [{"customer": "C", "revenue_share": 1.0, "opening_cash": 1.0, "growth_after": 0.0, "volatility": 0.0}]
