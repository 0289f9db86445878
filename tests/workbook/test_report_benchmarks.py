"""The report's Benchmarks page: beside the margin pages, the core's findings in words, the evidence with its defaults."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from core.benchmarks import benchmark_findings
from core.deals import deal_terms
from core.evidence import EVIDENCE_TABLES, MARGIN_EVIDENCE
from core.model import run_model
from workbook.report import build_report


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    return openpyxl.load_workbook(
        build_report(None, tmp_path_factory.mktemp("bench") / "b.xlsx", simulation_draws=0)
    )


def _texts(ws) -> list[str]:  # noqa: ANN001
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def test_the_page_follows_the_margin_sheet_and_says_the_findings(book: openpyxl.Workbook) -> None:
    names = book.sheetnames
    assert names.index("Benchmarks") == names.index("Margin") + 1
    texts = _texts(book["Benchmarks"])
    # Every sentence of core.benchmarks.benchmark_findings, word for word (where the deal sits outside).
    for sentence in benchmark_findings(run_model().tables["benchmarks"]):
        assert sentence in texts
    # Every reported margin is a row, with its source.
    for m in MARGIN_EVIDENCE:
        assert f"{m.what}, {m.period}" in texts
        assert any(t.startswith(m.source) for t in texts), m.source


def test_each_evidence_table_is_headed_by_the_runs_value_and_its_source(book: openpyxl.Workbook) -> None:
    texts = _texts(book["Benchmarks"])
    for table in EVIDENCE_TABLES.values():
        heading = next(t for t in texts if t.startswith(f"{table.title} ({table.unit})"))
        if table.input is not None:
            assert f"evidence table '{table.title}'" in heading, table.title  # one hop to the table
        for row in table.rows:
            assert row.what in texts, row.what
    assert "This run: Price per GPU-hour = 2.83 US$ per GPU-hour" in "\n".join(texts)


def test_a_library_deal_shows_its_own_evidence(tmp_path: Path) -> None:
    # IREN's deal: IT capex from its own Dell order, $5.8B ÷ 76,000 GPUs × 72 = $5.49M a rack.
    terms = deal_terms("Microsoft–IREN")
    path = build_report(terms.assumptions, tmp_path / "iren.xlsx", sources=terms.sources, simulation_draws=0)
    texts = "\n".join(_texts(openpyxl.load_workbook(path)["Benchmarks"]))
    assert "IT capex per rack (servers, network, storage) = 5.49 US$ m per 72-GPU rack" in texts
    assert "IREN's own figure (IREN 76.32)" in texts


def test_each_evidence_row_shows_its_value_and_its_range(book: openpyxl.Workbook) -> None:
    # Columns: what, value, low, high. The cited ranges (docs: Hyperscale PUE 1.1–1.2; CoreWeave's
    # adjusted EBITDA margin 61–62%, so other costs 38–39%; Nvidia's $50–60B a GW, 55 the middle);
    # a point without a range leaves both blank (EIA's $81 a MWh).
    ws = book["Benchmarks"]
    rows = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in (2, 3, 4)] for r in range(1, ws.max_row + 1)}
    assert rows["Hyperscale facilities 1.1–1.2"] == pytest.approx([1.15, 1.1, 1.2])
    assert rows["CoreWeave: adjusted EBITDA margin 61–62%"] == pytest.approx([1 - 0.615, 1 - 0.62, 1 - 0.61])
    assert rows["Nvidia: $50–60B per GW"] == pytest.approx([55.0, 50.0, 60.0])
    assert rows["EIA: US industrial average"] == [81.0, None, None]


def test_why_a_public_point_does_not_set_its_default_is_said_reason_by_reason() -> None:
    from workbook.report.benchmarks import _counted

    def record(**given: object) -> dict:
        base = {
            "counted": False,
            "generation": "",
            "independent": True,
            "comparable": True,
            "confidence": "high",
        }
        return {**base, **given}

    assert _counted(record(counted=True, generation="GB300")) == "yes, for GB300"
    assert _counted(record(counted=True)) == "yes"
    assert _counted(record(independent=False)) == "no: overlaps another row"
    assert _counted(record(comparable=False)) == "no: another scope"
    assert _counted(record(confidence="low")) == "no: low confidence"
    assert _counted(record(confidence="medium", independent=False)) == "no: overlaps another row"
    assert _counted(record(independent=False, comparable=False, confidence="low")) == (
        "no: overlaps another row, another scope, low confidence"
    )
