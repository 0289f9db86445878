"""Cases shared by the exposure tests: the library's OpenAI backlog by hand, and a hand portfolio."""

from __future__ import annotations

# Each library contract on its own report's schedule: a linear ramp from 0 to full run-rate 423 days
# after its start (the reference ramp), 92.5% realised; contractual backlog is not haircut, so what is
# left at the end of 2025 is the value less the revenue recognised by then. On the ramp (x <= x_f) the
# cumulative share is x²/(2 x_f) over the norm 1 − x_f/2, with x = days elapsed ÷ N and x_f = 423 ÷ N.
# AWS 2025-11-03 + 7 years = 2025-11-03 .. 2032-11-02: 59 + 365 + 365 + 366 + 365 + 365 + 365 + 307 = 2557 days,
#   59 of them in 2025 (Nov 3..30 = 28, Dec 31).
# Microsoft 2025-10-28 + 5 years (assumed) = .. 2030-10-27: 1826 days (2028 is a leap year), 65 in 2025.
# Oracle from 2027-01-01: booked at signing (2025-09-10), nothing recognised: all of its $300B.
# CoreWeave's three, each dated by its own month (5 years, stated for the first, assumed for the others):
#   2025-03-01 .. 2030-02-28, 2025-05-01 .. 2030-04-30 and 2025-09-25 .. 2030-09-24, 1826 days each
#   (2028 is a leap year); 306, 245 and 98 of them in 2025.
# The AWS–OpenAI expansion (announced 2026-02-27): $62B, the lower reading of a conflict ($100B in total,
#   or $100B more), 8 years from 2026-01-01 = .. 2033-12-31: 2922 days; nothing recognised by end-2025.
RAMP_DAYS, REALISED = 423, 0.925


def on_ramp(days: int, n: int) -> float:
    """Cumulative share of a contract of n days after ``days`` days, still on its ramp."""
    return days**2 / (2 * RAMP_DAYS * n) / (1 - RAMP_DAYS / n / 2)


def after_ramp(days: int, n: int) -> float:
    """Share earned in ``days`` days of full run-rate."""
    return days / n / (1 - RAMP_DAYS / n / 2)


AWS = 38 * (1 - REALISED * on_ramp(59, 2557))
MSFT = 250 * (1 - REALISED * on_ramp(65, 1826))
ORCL = 300.0
CRWV = (
    11.9 * (1 - REALISED * on_ramp(306, 1826))
    + 4.0 * (1 - REALISED * on_ramp(245, 1826))
    + 6.5 * (1 - REALISED * on_ramp(98, 1826))
)
EXPANSION = 62.0
#: What OpenAI still owes Amazon at the end of 2025: the reference contract and its expansion.
AWS_OPENAI = AWS + EXPANSION

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
