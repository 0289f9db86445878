"""Evidence tables: every cost and price default is its table's central value, worked out by hand here."""

from __future__ import annotations

import pytest

from core.assumptions import INPUTS, Assumptions
from core.evidence import (
    EVIDENCE_TABLES,
    INPUT_TABLES,
    MARGIN_EVIDENCE,
    Evidence,
    EvidenceTable,
    MarginEvidence,
    central,
    derivation,
    evidence_frame,
    generations,
    margin_frame,
    value_range,
)
from core.validation import DealDeskInputError

HOURS = 8_760


def test_price_per_gpu_hour_is_the_median_of_the_two_independent_blackwell_contracts():
    # IREN–Microsoft: $9.7B over 5 years for ~76,000 GB300 GPUs (Reuters; IREN call) = 2.9140;
    # Nscale's Oct-2025 tranche: up to $14B over ~5 years for 104k + 12.6k GB300 = 2.7413.
    # IREN's ARR target holds the Microsoft GPUs and Nscale's ~$23B holds the tranche: shown, not counted.
    iren = 9.7e9 / 5 / (76_000 * HOURS)
    nscale = 14e9 / 5 / (116_600 * HOURS)
    assert round(iren, 4) == 2.9140 and round(nscale, 4) == 2.7413
    assert central("price_per_gpu_hour") == round((iren + nscale) / 2, 2) == 2.83
    # Range: every comparable Blackwell point, the overlapping ~$23B for ~200k (2.6256) included.
    assert value_range("price_per_gpu_hour") == (round(23e9 / 5 / (200_000 * HOURS), 2), round(iren, 2))
    # A GB300 deal takes the same two rows (both GB300); Nscale's own deal takes its own row.
    assert central("price_per_gpu_hour", "GB300") == 2.83
    assert central("price_per_gpu_hour", "GB300", company="Nscale") == round(nscale, 2)
    # The H100 index is another generation: it sets no Blackwell default, only an H100 one.
    assert central("price_per_gpu_hour", "H100") == 2.35
    assert value_range("price_per_gpu_hour", "H100") == (1.70, 2.35)


def test_it_capex_per_rack_is_the_median_per_gpu_cost_times_72():
    # Bernstein: $3.4M of IT per GB200 NVL72 rack ÷ 72 = $47,222 a GPU; IREN's Dell order:
    # $5.8B ÷ 76,000 GB300 = $76,316. Median $61,769 × 72 = $4.447M a rack. The rack-only
    # prices ($3M; GB300 $3–4M) leave out the network and storage: not comparable.
    bernstein, iren = 3.4e6 / 72, 5.8e9 / 76_000
    assert central("rack_price_musd") == round((bernstein + iren) / 2 * 72 / 1e6, 2) == 4.45
    assert central("rack_price_musd", "GB200") == round(bernstein * 72 / 1e6, 2) == 3.40
    assert central("rack_price_musd", "GB300") == round(iren * 72 / 1e6, 2) == 5.49
    assert central("rack_price_musd", "Blackwell") == 4.45
    assert value_range("rack_price_musd") == (3.40, 5.49)


def test_facility_cost_per_mw_is_the_median_of_cushman_and_bernstein():
    # Cushman & Wakefield $11.7M per MW (range 9.3–15); Bernstein $2.5M a GB200 rack ÷ 0.120 MW = $20.83M.
    # Huang's ~$15B "other" per GW holds more than the facility: not comparable.
    assert central("facility_musd_per_mw") == round((11.7 + 2.5 / 0.120) / 2, 1) == 16.3
    assert value_range("facility_musd_per_mw") == (9.3, 20.8)


def test_power_pue_and_other_opex():
    # Power: EIA $81/MWh (medium) counts; Foxconn's $1.3B a year per GW (low) = $148.4/MWh widens the range.
    assert central("power_usd_per_mwh") == 81.0
    assert value_range("power_usd_per_mwh") == (81.0, round(1.3e9 / (1_000 * HOURS)))
    # PUE: Uptime's new large facilities 1.3 or better counts; hyperscale 1.1–1.2 (low) widens the range;
    # the industry average 1.58 holds legacy sites: not comparable.
    assert central("pue") == 1.3 and value_range("pue") == (1.1, 1.3)
    # Other opex: IREN's ~85% project EBITDA leaves 15% of costs with power; its power at the central
    # PUE and price: 200 MW × 1.3 × 8,760 h × $81 ÷ $1.94B = 9.509%, so 5.49% -> 5.5%.
    power_share = 200 * 1.3 * HOURS * 81 / 1.94e9
    assert central("other_opex_share") == round(0.15 - power_share, 3) == 0.055
    assert value_range("other_opex_share") == (0.055, 0.055)


def test_server_life_is_the_providers_own_else_the_median_of_seven():
    # Amazon 5, Microsoft 6, Alphabet 6, Meta 5.5, Oracle 5, CoreWeave 6, Nebius 4: median 5.5.
    assert central("useful_life_years") == 5.5
    assert central("useful_life_years", company="Amazon") == 5.0
    assert central("useful_life_years", company="Nscale") == 5.5  # no figure of its own
    assert value_range("useful_life_years") == (4.0, 6.0)


def test_every_input_default_is_its_tables_central_value_and_names_the_table():
    specs = {s.name: s for s in INPUTS}
    a = Assumptions()
    for name in INPUT_TABLES:
        table = EVIDENCE_TABLES[name]
        company = "Amazon" if name == "useful_life_years" else None  # the reference deal's provider
        assert getattr(a, name) == central(name, company=company), name
        # One hop: the input's source text names the table and shows how the value is taken.
        assert f"evidence table {table.title!r}" in specs[name].source, name
        assert (
            ("median of" in specs[name].source)
            or ("counted row" in specs[name].source)
            or ("own figure" in specs[name].source)
        ), name


def test_the_counted_rule_overlap_comparability_and_confidence():
    # Counted: independent, comparable, medium or high confidence; each judgement alone excludes a row.
    row = {"what": "x", "period": "2025", "source": "s"}
    assert Evidence(value=1.0, confidence="medium", **row).counted
    assert not Evidence(value=1.0, confidence="low", **row).counted
    assert not Evidence(value=1.0, confidence="high", independent=False, **row).counted
    assert not Evidence(value=1.0, confidence="high", comparable=False, **row).counted
    with pytest.raises(DealDeskInputError, match=r"^evidence confidence must be one of .*got 'sure'$"):
        Evidence(value=1.0, confidence="sure", **row)
    # The median of two is their mean; one row is itself.
    table = EvidenceTable(
        "T",
        "u",
        (Evidence(value=1.0, confidence="high", **row), Evidence(value=2.0, confidence="high", **row)),
        "x",
        "u",
        2,
    )
    assert table.median() == 1.5
    # Each row's own range counts in the range; the value alone when there is none.
    assert Evidence(value=2.0, low=1.0, high=3.0, confidence="low", **row).span == (1.0, 3.0)
    assert Evidence(value=2.0, confidence="low", **row).span == (2.0, 2.0)


def test_generations_and_refusals():
    assert generations(None) == generations("") == ("GB200", "GB300")
    assert generations("Blackwell") == ("GB200", "GB300")
    assert generations("GB300") == ("GB300",)
    with pytest.raises(
        DealDeskInputError,
        match=r"^evidence table 'Price per GPU-hour' has no counted row for "
        r"GPU generation 'TPU v7'; generations with rows: GB300, H100, mixed fleet$",
    ):
        central("price_per_gpu_hour", "TPU v7")
    with pytest.raises(
        DealDeskInputError, match=r"^evidence table must be one of price_per_gpu_hour, .*got 'gpus'$"
    ):
        central("gpus")


def test_derivation_shows_the_arithmetic():
    assert derivation("price_per_gpu_hour") == (
        "evidence table 'Price per GPU-hour' (US$ per GPU-hour): median of 2 counted rows (IREN–Microsoft 2.91; "
        "Nscale–Microsoft Oct-2025 tranche 2.74) = 2.83; GPU generation GB200/GB300; Monte Carlo range 2.63 to 2.91"
    )
    assert "IREN's own figure (IREN 76.32) × 72 GPUs a rack ÷ 1,000 = 5.49" in derivation(
        "rack_price_musd", "GB300", company="IREN"
    )
    assert derivation("other_opex_share").endswith("one point: the public evidence shows no spread")


def test_the_evidence_frame_and_the_reported_margins():
    frame = evidence_frame()
    assert len(frame) == sum(len(t.rows) for t in EVIDENCE_TABLES.values())
    assert set(frame["confidence"]) <= {"high", "medium", "low"}
    assert (frame["source"].str.len() > 0).all() and (frame["period"].str.len() > 0).all()
    price = evidence_frame("price_per_gpu_hour")
    assert price["independent"].tolist() == [True, False, True, False, True]
    # Oracle: $125M gross profit on $900M = 13.9%, reported as 14% (range <10% to >20%).
    oracle = next(m for m in MARGIN_EVIDENCE if m.what == "Oracle: Nvidia GPU rentals")
    assert oracle.value == pytest.approx(round(125 / 900, 2)) and oracle.span == (0.10, 0.20)
    coreweave = [m.value for m in MARGIN_EVIDENCE if m.company == "CoreWeave" and m.measure == "operating"]
    # CoreWeave GAAP: $19.2M on $1,212.8M = 1.6% (reported 2%), $51.9M on $1,364.7M = 3.8% (4%), −5.7%.
    assert coreweave == [0.02, 0.04, -0.057]
    assert (round(19.2 / 1212.8, 2), round(51.9 / 1364.7, 2)) == (0.02, 0.04)
    assert set(margin_frame()["measure"]) == {"gross", "ebitda", "operating"}
    with pytest.raises(DealDeskInputError, match=r"^margin measure must be one of .*got 'net'$"):
        MarginEvidence("X", "x", "net", 0.1, "2025", "s", "high")
