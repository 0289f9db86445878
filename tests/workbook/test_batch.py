"""Batch builds: one report per deal or scenario, a comparison workbook, progress, failures kept apart."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from core.assumptions import Assumptions, scenario_assumptions
from core.deals import deal_assumptions
from core.model import OUTPUTS, run_model
from core.validation import DealDeskInputError
from workbook.batch import BatchItem, batch_items, library_deal_names, run_batch


def _comparison(path: Path) -> dict[str, dict[str, object]]:
    """Comparison sheet as item label -> key figure label -> value."""
    ws = openpyxl.load_workbook(path)["Comparison"]
    labels = [c.value for c in ws[4]][2:]
    table: dict[str, dict[str, object]] = {label: {} for label in labels}
    for r in range(5, ws.max_row + 1):
        figure = ws.cell(r, 1).value
        for j, label in enumerate(labels, start=3):
            table[label][figure] = ws.cell(r, j).value
    return table


def test_default_items_are_library_deals_with_a_value() -> None:
    names = library_deal_names()
    assert names[0] == "AWS–OpenAI"
    # Undisclosed values (Google–Anthropic) and investments (Nvidia–OpenAI) are left out.
    assert "Google–Anthropic" not in names and "Nvidia–OpenAI" not in names
    assert [i.label for i in batch_items()] == names


def test_deals_in_two_processes(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # Microsoft–OpenAI never pays back in the base case (its payback year is None in the core).
    deals = ["AWS–OpenAI", "Microsoft–OpenAI", "Microsoft–IREN"]
    result = run_batch(batch_items(deals=deals), tmp_path, jobs=2)
    assert [r.label for r in result.items] == deals  # input order, whatever finished first
    assert not result.failures
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "dealdesk-aws-openai-base.xlsx",
        "dealdesk-comparison.xlsx",
        "dealdesk-microsoft-iren-base.xlsx",
        "dealdesk-microsoft-openai-base.xlsx",
    ]
    table = _comparison(result.comparison)
    for name in deals:
        outputs = run_model(deal_assumptions(name)).outputs
        for spec in OUTPUTS:
            value = table[name][spec.label]
            if outputs[spec.name] is None:  # the model has no value (never pays back): a blank cell
                assert value is None
            else:
                assert value == pytest.approx(outputs[spec.name], rel=1e-12, abs=1e-12), (name, spec.name)
    err = capfd.readouterr().err
    assert "dealdesk batch" in err and "3/3" in err


def test_scenarios_of_one_deal(tmp_path: Path) -> None:
    items = batch_items(scenarios=["base", "bull", "bear"], deal="Microsoft–Nebius")
    result = run_batch(items, tmp_path, jobs=1, progress=False)
    table = _comparison(result.comparison)
    bear = run_model(scenario_assumptions(deal_assumptions("Microsoft–Nebius"), "bear")).outputs
    assert table["Microsoft–Nebius, bear"]["Ramp, fiscal year 2"] == pytest.approx(
        bear["ramp_year2"], rel=1e-12
    )
    assert (tmp_path / "dealdesk-microsoft-nebius-bull.xlsx").is_file()
    reports = openpyxl.load_workbook(result.comparison)["Reports"]
    assert [reports.cell(r, 11).value for r in range(5, 8)] == ["all pass"] * 3


def test_a_failing_item_is_listed_and_the_others_are_built(tmp_path: Path) -> None:
    bad = BatchItem("Custom profile", Assumptions().replace(profile="custom"))
    items = [BatchItem("AWS–OpenAI", Assumptions()), bad]
    result = run_batch(items, tmp_path, jobs=1, progress=False)
    assert [r.label for r in result.failures] == ["Custom profile"]
    assert "needs per-period weights" in result.failures[0].error
    assert (tmp_path / "dealdesk-aws-openai-base.xlsx").is_file()
    reports = openpyxl.load_workbook(result.comparison)["Reports"]
    assert reports.cell(6, 11).value.startswith("ERROR: profile 'custom' needs per-period weights")


def test_comparison_is_reproducible(tmp_path: Path) -> None:
    items = batch_items(scenarios=["base", "bear"])
    one = run_batch(items, tmp_path / "one", jobs=1, progress=False).comparison.read_bytes()
    two = run_batch(items, tmp_path / "two", jobs=2, progress=False).comparison.read_bytes()
    assert one == two


def test_comparison_has_a_native_chart(tmp_path: Path) -> None:
    result = run_batch(batch_items(scenarios=["base", "bear"]), tmp_path, jobs=1, progress=False)
    book = openpyxl.load_workbook(result.comparison)
    assert book.sheetnames == ["Comparison", "Reports", "Chart"]
    assert len(book["Chart"]._charts) == 1
    for ws in book.worksheets:
        for row in ws.iter_rows():
            assert all(c.data_type != "f" for c in row)


def test_bad_batches_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DealDeskInputError, match=r"at least one deal or scenario"):
        run_batch([], tmp_path)
    with pytest.raises(DealDeskInputError, match=r"jobs must be a whole number >= 1, got 0"):
        run_batch(batch_items(scenarios=["base"]), tmp_path, jobs=0)
    with pytest.raises(DealDeskInputError, match=r"scenarios must not repeat"):
        batch_items(scenarios=["base", "base"])
    with pytest.raises(DealDeskInputError, match=r"either deals or scenarios"):
        batch_items(deals=["AWS–OpenAI"], scenarios=["base"])


def test_pdf_without_libreoffice_keeps_the_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEALDESK_SOFFICE", str(tmp_path / "no-libreoffice"))
    result = run_batch(batch_items(scenarios=["base"]), tmp_path, jobs=1, progress=False, pdf=True)
    (item,) = result.failures
    assert item.path and Path(item.path).is_file()
    assert item.error.startswith("report written, no PDF: LibreOffice is needed")
    assert "apt-get install libreoffice-calc" in item.error
