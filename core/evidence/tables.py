"""The evidence tables of the cost and price defaults: public points, each with its source (see :mod:`core.evidence`).

Values in each table's unit; derived rows show their arithmetic in ``note``.
Sources: the project's EVIDENCE_2026 (section B), COMPANY_FACTS and FACTS
notes, and the public pages named on each row.
"""

from __future__ import annotations

from core.conventions import HOURS_PER_YEAR
from core.evidence.rows import NVL72_GPUS, NVL72_KW, Evidence, EvidenceTable

__all__ = ["EVIDENCE_TABLES", "INPUT_TABLES"]

_IREN_GPUS = 76_000.0  # IREN call 2025-11-06: ~76k GB300 GPUs for the Microsoft contract (EVIDENCE B1)
_IREN_REVENUE = 9.7e9 / 5  # ~$9.7B over 5 years (Reuters 2025-11-03)
_IREN_IT_MW = 200.0  # ~200 MW of critical IT load (Reuters; IREN call)

_PRICE = EvidenceTable(
    title="Price per GPU-hour",
    unit="US$ per GPU-hour",
    input="price_per_gpu_hour",
    input_unit="US$ per GPU-hour",
    digits=2,
    rows=(
        Evidence(
            "IREN–Microsoft: ~$9.7B over 5 years for ~76,000 GB300 GPUs",
            _IREN_REVENUE / (_IREN_GPUS * HOURS_PER_YEAR),
            "5-year term, phased through 2026",
            "Reuters 2025-11-03 (value); IREN call 2025-11-06 via benzinga.com, ainvest.com (76k GPUs)",
            "high",
            generation="GB300",
            company="IREN",
            note="$1.94B a year ÷ (76,000 GPUs × 8,760 h) at every hour billed; the contract's own GPU "
            "count (GB200 rack density on its ~200 MW gave 120,000 GPUs and $1.85)",
        ),
        Evidence(
            "IREN AI cloud ARR target: $3.4B for ~140,000 GPUs by end-2026",
            3.4e9 / (140_000 * HOURS_PER_YEAR),
            "target for end-2026",
            "IREN releases 2025-11 and 2026-02",
            "high",
            generation="mixed fleet",
            company="IREN",
            independent=False,
            note="holds the Microsoft contract (its $1.94B a year and 76k GPUs); IREN's fleet mixes generations",
        ),
        Evidence(
            "Nscale–Microsoft Oct-2025 tranche: up to $14B for 104k + 12.6k GB300, ~5 years",
            14e9 / 5 / (116_600 * HOURS_PER_YEAR),
            "from 2026, ~5 years",
            "Reuters/FT via Longbridge 2025-10-15; 5-year term per Bloomberg's neocloud tally (Cryptews 2025-11-04)",
            "medium",
            generation="GB300",
            company="Nscale",
            note="$2.8B a year ÷ (116,600 GPUs × 8,760 h); an 'up to' value, so the price may be lower",
        ),
        Evidence(
            "Nscale–Microsoft whole relationship: ~$23B for ~200,000 GPUs, ~5 years",
            23e9 / 5 / (200_000 * HOURS_PER_YEAR),
            "from 2026, ~5 years",
            "Bloomberg via Cryptews 2025-11-04 (conflict: CNBC says up to $24B)",
            "medium",
            generation="GB300",
            company="Nscale",
            independent=False,
            note="holds the Oct-2025 tranche above; $4.6B a year ÷ (200,000 GPUs × 8,760 h)",
        ),
        Evidence(
            "SemiAnalysis index, H100 1-year reserved",
            2.35,
            "Mar-26 (trough $1.70 in Oct-25)",
            "techreaderdaily.com; compux.net (citing SemiAnalysis), 2026-04-02",
            "medium",
            generation="H100",
            low=1.70,
            high=2.35,
            note="an older generation: sets no Blackwell default",
        ),
    ),
)

_IT_CAPEX = EvidenceTable(
    title="IT capex per GPU (servers, networking, storage)",
    unit="US$ thousand per GPU",
    input="rack_price_musd",
    input_unit="US$ m per 72-GPU rack",
    digits=2,
    to_input=NVL72_GPUS / 1_000,
    conversion="× 72 GPUs a rack ÷ 1,000",
    rows=(
        Evidence(
            "Bernstein: GB200 NVL72 rack, $3.4M of IT (of $5.9M all in)",
            3.4e6 / NVL72_GPUS / 1e3,
            "2025",
            "Bernstein (Rasgon) via ng.investing.com; fxbaogao.com, ~2025-10-29",
            "high",
            generation="GB200",
            note="$3.4M ÷ 72 GPUs; GPUs 39%, networking ~13%, storage ~1.4% of all-in capex",
        ),
        Evidence(
            "IREN: $5.8B Dell order (GB300 GPUs and ancillaries) for ~76,000 GPUs",
            5.8e9 / _IREN_GPUS / 1e3,
            "2026 build",
            "benzinga.com 2025-11-03; ainvest.com (IREN call 2025-11-06)",
            "high",
            generation="GB300",
            company="IREN",
            note="$5.8B ÷ 76,000 GPUs",
        ),
        Evidence(
            "NVL72 rack price ~$3M (range $2–3.1M)",
            3e6 / NVL72_GPUS / 1e3,
            "2024–25",
            "industry estimates (Morgan Stanley et al.)",
            "low",
            generation="GB200",
            low=2e6 / NVL72_GPUS / 1e3,
            high=3.1e6 / NVL72_GPUS / 1e3,
            comparable=False,
            note="the rack alone: no scale-out network or storage; $3M ÷ 72",
        ),
        Evidence(
            "GB300 NVL72 rack, estimated $3–4M",
            3.5e6 / NVL72_GPUS / 1e3,
            "2025",
            "awesomeagents.ai",
            "low",
            generation="GB300",
            low=3e6 / NVL72_GPUS / 1e3,
            high=4e6 / NVL72_GPUS / 1e3,
            comparable=False,
            note="the rack alone: no scale-out network or storage; midpoint $3.5M ÷ 72",
        ),
    ),
)

_FACILITY = EvidenceTable(
    title="Facility capex per MW of IT load",
    unit="US$ m per MW of IT load",
    input="facility_musd_per_mw",
    input_unit="US$ m per MW",
    digits=1,
    rows=(
        Evidence(
            "Cushman & Wakefield: average build cost, IT equipment and land excluded",
            11.7,
            "2025",
            "Cushman & Wakefield Data Center Cost Guide 2025",
            "high",
            low=9.3,
            high=15.0,
        ),
        Evidence(
            "Bernstein: $2.5M of facility per GB200 NVL72 rack",
            2.5 / (NVL72_KW / 1e3),
            "2025",
            "Bernstein (Rasgon) via ng.investing.com; fxbaogao.com, ~2025-10-29",
            "high",
            low=2.5 / 0.132,
            note="$2.5M ÷ 0.120 MW of IT a rack (vendor spec ~120 kW; $18.9M at its 132 kW peak)",
        ),
        Evidence(
            "Huang: ~$15B of ~$50B per GW outside Nvidia's content",
            15.0,
            "2025-09-01",
            "livemint.com",
            "high",
            comparable=False,
            note="everything not Nvidia's (facility, power gear and other IT) per GW, so not the facility alone",
        ),
    ),
)

_POWER = EvidenceTable(
    title="Power price",
    unit="US$ per MWh",
    input="power_usd_per_mwh",
    input_unit="US$ per MWh",
    digits=0,
    rows=(
        Evidence("EIA: US industrial average", 81.0, "2023", "EIA", "medium"),
        Evidence(
            "Foxconn: Vera Rubin site, power ~$1.3B a year per GW",
            1.3e9 / (1_000 * HOURS_PER_YEAR),
            "2026",
            "digitalcitizen.life",
            "low",
            note="$1.3B ÷ (1,000 MW × 8,760 h), if the GW draws all year",
        ),
    ),
)

_PUE = EvidenceTable(
    title="Power usage effectiveness (PUE)",
    unit="ratio of site power to IT power",
    input="pue",
    input_unit="ratio",
    digits=2,
    rows=(
        Evidence(
            "Uptime Institute survey: new and larger facilities 1.3 or better",
            1.3,
            "2024 survey",
            "Uptime Institute Global Data Center Survey 2024 via cloudnews.tech",
            "medium",
            note="an upper bound ('or better')",
        ),
        Evidence(
            "Hyperscale facilities 1.1–1.2",
            1.15,
            "2026",
            "lowdown.today (citing Uptime Institute benchmarks), 2026-04",
            "low",
            low=1.1,
            high=1.2,
        ),
        Evidence(
            "Uptime Institute: industry average 1.58",
            1.58,
            "2023 (1.55–1.59 since 2020)",
            "Uptime Institute Intelligence 2023-11-23 (intelligence.uptimeinstitute.com)",
            "high",
            comparable=False,
            note="every facility, legacy ones included, not a new AI build",
        ),
    ),
)

_LIFE = EvidenceTable(
    title="Server useful life",
    unit="years",
    input="useful_life_years",
    input_unit="years",
    digits=1,
    monte_carlo=False,
    rows=(
        Evidence(
            "Amazon: a subset of servers and network gear, from 6 to 5 years",
            5.0,
            "from 2025-01-01",
            "Amazon FY2024 10-K",
            "high",
            company="Amazon",
            note="early retirements $920M (Q4-24)",
        ),
        Evidence(
            "Microsoft: servers and network, from 4 to 6 years",
            6.0,
            "from FY2023",
            "Q2 FY23 10-Q (shaulkoral.com)",
            "high",
            company="Microsoft",
        ),
        Evidence(
            "Alphabet: servers and some network gear 6 years",
            6.0,
            "from Jan 2023",
            "The Register via vuink 2024-01-31",
            "high",
            company="Alphabet",
        ),
        Evidence(
            "Meta: most servers and network, from 4–5 to 5.5 years",
            5.5,
            "from 2025",
            "TTM Financial; theoutpost.ai",
            "medium",
            company="Meta",
        ),
        Evidence(
            "Oracle: servers, from 4 to 5 years",
            5.0,
            "from Q1 FY23",
            "DuDil 2022-09-15",
            "medium",
            company="Oracle",
        ),
        Evidence(
            "CoreWeave: technology equipment, GPUs included, from 5 to 6 years",
            6.0,
            "from 2023-01-01",
            "S-1 via Bizety 2025-09-23; Motley Fool 2025-11-11",
            "high",
            company="CoreWeave",
        ),
        Evidence("Nebius: GPUs 4 years", 4.0, "2025", "Bizety 2025-09-23", "medium", company="Nebius"),
    ),
)


def _iren_power_share() -> float:
    """IREN–Microsoft's power bill ÷ its revenue at the central PUE and power price."""
    power_usd = _IREN_IT_MW * _PUE.median() * HOURS_PER_YEAR * _POWER.median()
    return power_usd / _IREN_REVENUE


_OTHER_OPEX = EvidenceTable(
    title="Other operating costs (power and depreciation excluded)",
    unit="fraction of revenue",
    input="other_opex_share",
    input_unit="fraction of revenue",
    digits=3,
    rows=(
        Evidence(
            "IREN–Microsoft: ~85% project EBITDA margin, less the contract's power",
            0.15 - _iren_power_share(),
            "5-year contract",
            "IREN management, call 2025-11-06 (Simply Wall St; Earnings Analysis)",
            "medium",
            company="IREN",
            note=f"cash costs 15% of revenue, power included; power = 200 MW × PUE {_PUE.median():g} × 8,760 h "
            f"× ${_POWER.median():g}/MWh ÷ $1.94B = {_iren_power_share():.1%}",
        ),
        Evidence(
            "CoreWeave: adjusted EBITDA margin 61–62%",
            0.385,
            "2025 quarters",
            "CoreWeave releases 2025",
            "high",
            company="CoreWeave",
            low=0.38,
            high=0.39,
            comparable=False,
            note="cash costs 38–39% with power, data-centre leases (the model's facility capex) and the "
            "overheads of a company in build-out",
        ),
        Evidence(
            "Nebius: core AI adjusted EBITDA margin 19%",
            0.81,
            "Q3-25",
            "Nebius 6-K via stocktitan.net",
            "high",
            company="Nebius",
            comparable=False,
            note="cash costs 81% of a company in build-out, power and overheads included",
        ),
    ),
)

_ALL_IN = EvidenceTable(
    title="All-in capex per GW (a cross-check, not an input)",
    unit="US$ bn per GW",
    input=None,
    input_unit="US$ bn per GW",
    digits=1,
    monte_carlo=False,
    rows=(
        Evidence(
            "Bernstein: GB200 NVL72, $5.9M a rack all in",
            35.0,
            "2025",
            "Bernstein (Rasgon) via ng.investing.com, ~2025-10-29",
            "high",
            generation="GB200",
        ),
        Evidence(
            "Nvidia: $50–60B per GW",
            55.0,
            "Q2 FY26 call, 2025-08",
            "quoted by Bernstein",
            "high",
            low=50.0,
            high=60.0,
        ),
        Evidence("Huang: ~$35B Nvidia content + ~$15B other", 50.0, "2025-09-01", "livemint.com", "high"),
        Evidence(
            "Altman: more than $40B per GW",
            40.0,
            "2025",
            "Sam Altman, public remarks",
            "medium",
            note="a lower bound",
        ),
        Evidence(
            "Industry blogs: $45–55B per GW", 50.0, "2025", "industry blogs", "medium", low=45.0, high=55.0
        ),
        Evidence(
            "Foxconn: Vera Rubin, up to $47B per GW",
            47.0,
            "2026",
            "digitalcitizen.life",
            "low",
            generation="Vera Rubin",
        ),
        Evidence(
            "Huang at Computex 2026: $80–100B per GW (future)",
            90.0,
            "2026-06",
            "gridreadiness.com",
            "low",
            low=80.0,
            high=100.0,
            comparable=False,
            note="future generations",
        ),
    ),
)

#: Every evidence table by name: the input it sets (or a cross-check's name).
EVIDENCE_TABLES: dict[str, EvidenceTable] = {
    "price_per_gpu_hour": _PRICE,
    "rack_price_musd": _IT_CAPEX,
    "facility_musd_per_mw": _FACILITY,
    "power_usd_per_mwh": _POWER,
    "pue": _PUE,
    "other_opex_share": _OTHER_OPEX,
    "useful_life_years": _LIFE,
    "all_in_capex_per_gw": _ALL_IN,
}
#: The inputs whose default is an evidence table's central value.
INPUT_TABLES: tuple[str, ...] = tuple(k for k, t in EVIDENCE_TABLES.items() if t.input is not None)
