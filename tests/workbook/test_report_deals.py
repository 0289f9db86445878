"""``dealdesk report --deal NAME`` builds for every compute deal of the library that has a value."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from core.deals import deal_note, load_deals, unmodelled_deals
from workbook.cli import main
from workbook.spec import REPORT_LAYOUT

_LIBRARY = load_deals()
_REFUSED = unmodelled_deals().set_index("deal")["reason"].to_dict()
_VALUED = [name for name in _LIBRARY["deal"] if name not in _REFUSED]


def test_the_library_has_deals_of_both_kinds() -> None:
    # FACTS: 11 deals with a reported value, CoreWeave–OpenAI's being three contracts (13 rows), of
    # which Nvidia–OpenAI is an investment letter of intent; Google–Anthropic, AMD–OpenAI and
    # Broadcom–OpenAI have none (the last two are chips). The AWS–OpenAI expansion (2026-02-27) and
    # Anthropic's Google Cloud (2026-05-05) and AWS (2026-04-20) commitments are three more.
    assert len(_VALUED) == 11 + 2 + 3 - 1
    assert list(_REFUSED) == ["Google–Anthropic", "Nvidia–OpenAI", "AMD–OpenAI", "Broadcom–OpenAI"]


@pytest.mark.parametrize("name", _VALUED)
def test_report_command_builds_every_deal_with_a_value(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--deal", name, "--out", str(tmp_path)]) == 0
    written = Path(capsys.readouterr().out.strip().splitlines()[-1])  # the files written come last
    assert written.parent == tmp_path and written.suffix == ".xlsx"
    cover = openpyxl.load_workbook(written)["Summary"]
    assert cover.cell(row=REPORT_LAYOUT.title_row, column=1).value.startswith(f"{name}: what was signed")
    # The cover says where the inputs came from and what was assumed (core.deals.deal_note).
    assert deal_note(name) in cover.cell(row=REPORT_LAYOUT.subtitle_row, column=1).value
    details = {
        cover.cell(row=r, column=1).value: cover.cell(row=r, column=3).value
        for r in range(REPORT_LAYOUT.cover_first_row, REPORT_LAYOUT.cover_first_row + 10)
    }
    value = float(_LIBRARY.set_index("deal").loc[name, "value_usd_bn"])
    assert details["Contract value (US$ bn)"] == pytest.approx(value)  # the library's headline value
    assert details["Model checks"].startswith("All ") and details["Model checks"].endswith(" checks pass")


@pytest.mark.parametrize("name", list(_REFUSED))
def test_report_command_refuses_a_deal_it_cannot_model_saying_why(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--deal", name, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert _REFUSED[name] in err
    words = "has no disclosed value" if name == "Google–Anthropic" else "not a cloud compute purchase"
    assert f"deal '{name}' " in err and words in err
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_deal_lists_the_deals_that_can_be_modelled(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--deal", "Nope"]) == 2
    err = capsys.readouterr().err
    assert "got 'Nope'" in err and all(repr(name) in err for name in _VALUED)
    assert "'Nvidia–OpenAI'" not in err


def test_simulate_a_library_deal_runs_the_core_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from core.deals import deal_assumptions
    from core.simulation import simulate

    assert main(["simulate", "--deal", "oracle-openai", "--draws", "400", "--seed", "3", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    expected = simulate(deal_assumptions("Oracle–OpenAI"), draws=400, seed=3)
    means = {row["output"]: row["mean"] for row in payload["summary"]}
    assert means["npv"] == pytest.approx(expected.values["npv"].mean())
    # A different deal gives a different NPV: the deal's terms reached the simulation.
    assert means["npv"] != pytest.approx(simulate(None, draws=400, seed=3).values["npv"].mean())


def test_the_assumptions_sheet_names_the_deals_own_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--deal", "Oracle–OpenAI", "--out", str(tmp_path)]) == 0
    written = Path(capsys.readouterr().out.strip().splitlines()[-1])  # the files written come last
    sheet = openpyxl.load_workbook(written)["Assumptions"]
    rows = {
        sheet.cell(r, 1).value: (sheet.cell(r, 4).value, sheet.cell(r, 6).value)
        for r in range(REPORT_LAYOUT.first_row, sheet.max_row + 1)
    }
    # Oracle's RPO at May-25 ($138B, Oracle release 2025-06-11), never AWS's backlog or its source.
    value, source = rows["reported_backlog"]
    assert value == 138.0 and source.startswith("Oracle backlog (RPO, May-25; as of 2025-05-31)")
    value, source = rows["fiscal_year_end"]
    assert value == 5 and "Oracle 10-K" in source
    assert rows["full_at"][1].startswith("analyst default: full run-rate 423 days after start")
    assert not any(
        "AWS" in str(src) or "Amazon" in str(src)
        for _, src in (rows[n] for n in ("base_revenue", "base_margin", "prior_close", "shares_outstanding"))
    )


def test_a_deal_opening_its_fiscal_year_shows_its_growth_overstatement_in_that_year(tmp_path: Path) -> None:
    # Google–Anthropic (May-26) opens Alphabet's FY2027 on 2027-01-01: its growth figures are FY2027's
    # (27.51 points of overstatement, worked by hand in tests/core/test_first_full_year.py), labelled as
    # the first full year on every page that shows them, and the Monte Carlo asks about that year.
    from core.deals import deal_assumptions
    from core.simulation import RISK_QUESTIONS
    from workbook.report import build_report

    book = openpyxl.load_workbook(
        build_report(deal_assumptions("Google–Anthropic (May-26)"), tmp_path / "g.xlsx")
    )
    figures = book["Key figures"]
    values = {figures.cell(r, 1).value: figures.cell(r, 2).value for r in range(1, figures.max_row + 1)}
    assert values["Growth overstatement, first full year"] == pytest.approx(27.51, abs=0.005)
    assert (
        values["Growth contribution, straight line, first full year"]
        > values["Growth contribution, ramp, first full year"]
    )
    question = next(q for q, name, _, _ in RISK_QUESTIONS if name == "growth_pp_gap_year2")
    summary = book["Summary"]
    row = next(r for r in range(1, summary.max_row + 1) if summary.cell(r, 1).value == question)
    assert summary.cell(row, 3).value > 0.9  # it read 0 when FY2028 was compared with FY2027
    # The margin bridge is of the same first full year as the margin figures: FY2027, not FY2028.
    bridge = book["Margin bridge"]
    header = next(r for r in range(1, bridge.max_row + 1) if bridge.cell(r, 1).value == "Period")
    assert [bridge.cell(r, 1).value for r in range(header + 1, header + 4)] == ["FY2027"] * 3
    assert bridge.cell(header + 3, 4).value == pytest.approx(
        values["Margin change, first full year"], rel=1e-12
    )
    monte_carlo = [c.value for line in book["Monte Carlo"].iter_rows() for c in line]
    assert "Growth overstatement, first full year" in monte_carlo
    words = [c.value for ws in book for line in ws.iter_rows() for c in line if isinstance(c.value, str)]
    assert not [
        w for w in words if w.startswith(("Growth contribution", "Growth overstatement")) and "year 2" in w
    ]
    assert not [w for w in words if "year-2" in w]
