"""Reported margins on GPU rental and GPU clouds, the benchmarks a deal's margins are read against.

Fractions (0.14 = 14%); each with its measure (gross, EBITDA, operating),
period, source and confidence (the project's EVIDENCE_2026 B3 and
COMPANY_FACTS notes).
"""

from __future__ import annotations

from core.evidence.rows import MarginEvidence

__all__ = ["MARGIN_EVIDENCE"]


#: Reported margins on GPU rental and GPU clouds (EVIDENCE_2026 B3; COMPANY_FACTS).
MARGIN_EVIDENCE: tuple[MarginEvidence, ...] = (
    MarginEvidence(
        "Oracle",
        "Oracle: Nvidia GPU rentals",
        "gross",
        0.14,
        "3 months to Aug-25",
        "The Information 2025-10-07 (via moneycheck.com)",
        "medium",
        low=0.10,
        high=0.20,
        note="$125M gross profit on $900M; <10% to >20% over the past year (~16% average); ~$100M loss on "
        "Blackwell rentals; other depreciation would take ~7 more points off",
    ),
    MarginEvidence(
        "Oracle",
        "Oracle: AI infrastructure guide",
        "gross",
        0.35,
        "over contract life",
        "Oracle analyst day 2025-10-16 (CreditSights 2025-10-22; Bloomberg)",
        "medium",
        low=0.30,
        high=0.40,
        note="30–40%; example: a $60B, 6-year project at 35% (enterprise OCI 65–80%)",
    ),
    MarginEvidence(
        "CoreWeave",
        "CoreWeave: GAAP operating margin",
        "operating",
        0.02,
        "Q2-25",
        "CoreWeave release 2025-08-12",
        "high",
        note="operating income $19.2M on $1,212.8M",
    ),
    MarginEvidence(
        "CoreWeave",
        "CoreWeave: GAAP operating margin",
        "operating",
        0.04,
        "Q3-25",
        "CoreWeave release 2025-11-10 (stocktitan.net)",
        "high",
        note="operating income $51.9M on $1,364.7M",
    ),
    MarginEvidence(
        "CoreWeave",
        "CoreWeave: GAAP operating margin",
        "operating",
        -0.057,
        "Q4-25",
        "nasdaq.com (Motley Fool) 2026-03",
        "medium",
        note="on ~$1.57B; adjusted 6%",
    ),
    MarginEvidence(
        "CoreWeave",
        "CoreWeave: adjusted EBITDA margin",
        "ebitda",
        0.615,
        "2025 quarters",
        "CoreWeave releases 2025",
        "high",
        low=0.61,
        high=0.62,
    ),
    MarginEvidence(
        "Nebius",
        "Nebius: operating margin",
        "operating",
        -128 / 399.0,
        "Q1-26",
        "Nebius release 2026-05-13 (BusinessWire)",
        "high",
        note="operating loss ~$128M on $399.0M (derived)",
    ),
    MarginEvidence(
        "Nebius",
        "Nebius: core AI adjusted EBITDA margin",
        "ebitda",
        0.19,
        "Q3-25",
        "Nebius 6-K via stocktitan.net",
        "high",
        note="FY26 guide ~40% (company)",
    ),
    MarginEvidence(
        "Nebius",
        "Nebius: adjusted EBITDA margin",
        "ebitda",
        129.5 / 399.0,
        "Q1-26",
        "Nebius release 2026-05-13 (BusinessWire)",
        "high",
        note="$129.5M on $399.0M (derived)",
    ),
    MarginEvidence(
        "IREN",
        "IREN: Microsoft contract, project EBITDA margin",
        "ebitda",
        0.85,
        "5-year contract",
        "IREN management 2025-11-06 (Simply Wall St; Earnings Analysis)",
        "medium",
        note="management's figure for the contract",
    ),
    MarginEvidence(
        "IREN",
        "IREN: operating margin",
        "operating",
        -60.1 / 240.3,
        "Sep-25 quarter",
        "IREN release 2025-11-06 (Simply Wall St)",
        "medium",
        note="operating loss $60.1M on $240.3M (derived), mostly bitcoin mining",
    ),
)
