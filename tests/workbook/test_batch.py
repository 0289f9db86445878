"""Batch builds: one report per deal or scenario, a comparison workbook, progress, failures kept apart."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from core.assumptions import Assumptions, scenario_assumptions
from core.deals import deal_assumptions
from core.model import OUTPUTS, run_model
from core.validation import DealDeskInputError
from workbook import batch
from workbook.batch import BatchItem, batch_items, library_deal_names, run_batch, skipped_library_deals
from workbook.cli import main


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


def _reports(path: Path) -> dict[str, dict[str, object]]:
    """Reports sheet (items across the columns) as item label -> row label -> value."""
    ws = openpyxl.load_workbook(path)["Reports"]
    labels = [c.value for c in ws[4]][1:]
    return {
        label: {ws.cell(r, 1).value: ws.cell(r, j).value for r in range(5, ws.max_row + 1)}
        for j, label in enumerate(labels, start=2)
    }


# The library's 16 deals (CoreWeave–OpenAI as its three contracts) less the four that are not modelled: Google–Anthropic (no disclosed value),
# Nvidia–OpenAI (an investment letter of intent), AMD–OpenAI and Broadcom–OpenAI (chip supply).
_SKIPPED = ["Google–Anthropic", "Nvidia–OpenAI", "AMD–OpenAI", "Broadcom–OpenAI"]


def test_default_items_are_library_deals_with_a_value() -> None:
    names = library_deal_names()
    assert names[0] == "AWS–OpenAI"
    # 19 rows (the 14 of FACTS, CoreWeave–OpenAI as its three contracts, the AWS–OpenAI expansion and
    # Anthropic's 2026 Google Cloud and AWS commitments), 4 of them refused.
    assert len(names) == 19 - 4 and not set(names) & set(_SKIPPED)
    assert [i.label for i in batch_items()] == names
    assert [name for name, _ in skipped_library_deals()] == _SKIPPED


def test_a_library_batch_prints_every_skipped_deal_and_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # One deal is built (to keep the test short); the skipped list is the whole library's.
    monkeypatch.setattr(batch, "library_deal_names", lambda: ["Microsoft–IREN"])
    assert main(["batch", "--out", str(tmp_path), "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    skipped = [line for line in err.splitlines() if line.startswith("dealdesk batch: skipped ")]
    assert [line.split(":")[1].removeprefix(" skipped ") for line in skipped] == _SKIPPED
    assert "skipped Nvidia–OpenAI: deal 'Nvidia–OpenAI' is an investment (up to $100B" in err
    assert "skipped Google–Anthropic: deal 'Google–Anthropic' has no disclosed value" in err
    sheet = openpyxl.load_workbook(tmp_path / "dealdesk-comparison.xlsx")["Skipped"]
    assert [sheet.cell(r, 1).value for r in range(5, 9)] == _SKIPPED
    assert sheet.cell(6, 2).value.endswith("DealDesk models compute purchases from the provider's side")


def test_each_item_shows_its_own_providers_figures(tmp_path: Path) -> None:
    deals = ["AWS–OpenAI", "Microsoft–IREN"]
    result = run_batch(batch_items(deals=deals), tmp_path, jobs=1, progress=False)
    rows = _reports(result.comparison)
    # IREN (COMPANY_FACTS §6): close ~$60.75 on 2025-10-31 (derived), ~272M shares, June year-end;
    # Amazon (FACTS): $244.22, 10,690,216,011 shares, backlog $200B, December year-end.
    assert rows["Microsoft–IREN"]["Prior close (US$ per share)"] == 60.75
    assert rows["Microsoft–IREN"]["Shares (bn)"] == 0.272
    assert rows["Microsoft–IREN"]["Fiscal year-end (month)"] == 6
    assert rows["Microsoft–IREN"]["Backlog before the deal (US$ bn)"] == 0.0  # not disclosed
    # Analyst defaults by their labels, never their identifiers.
    assert "Reported backlog before the deal" in rows["Microsoft–IREN"]["Analyst defaults (no public figure)"]
    assert "reported_backlog" not in rows["Microsoft–IREN"]["Analyst defaults (no public figure)"]
    assert rows["AWS–OpenAI"]["Prior close (US$ per share)"] == 244.22
    # AWS–OpenAI: every figure public; the one analyst rule is OpenAI's revenue held after its 2030 target.
    assert (
        rows["AWS–OpenAI"]["Analyst defaults (no public figure)"] == "Customer growth after the target year"
    )
    table = _comparison(result.comparison)
    # Price and market value after the news are IREN's own: $60.75 × (1 + 12%) and × ~272M shares.
    assert table["Microsoft–IREN"]["Price after the news"] == pytest.approx(60.75 * 1.12)
    assert table["Microsoft–IREN"]["Market value after the news"] == pytest.approx(60.75 * 1.12 * 0.272)
    assert table["AWS–OpenAI"]["Price after the news"] == pytest.approx(244.22 * 1.058)


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
            if outputs[spec.name] is None:  # the model has no value (never pays back): n/a
                assert value == "n/a"
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
    reports = _reports(result.comparison)
    assert [reports[f"Microsoft–Nebius, {n}"]["Checks"] for n in ("base", "bull", "bear")] == ["all pass"] * 3


def test_a_failing_item_is_listed_and_the_others_are_built(tmp_path: Path) -> None:
    bad = BatchItem("Custom profile", Assumptions().replace(profile="custom"))
    items = [BatchItem("AWS–OpenAI", Assumptions()), bad]
    result = run_batch(items, tmp_path, jobs=1, progress=False)
    assert [r.label for r in result.failures] == ["Custom profile"]
    assert "needs per-period weights" in result.failures[0].error
    assert (tmp_path / "dealdesk-aws-openai-base.xlsx").is_file()
    reports = _reports(result.comparison)
    assert reports["Custom profile"]["Checks"].startswith("ERROR: profile 'custom' needs per-period weights")


def test_the_comparison_is_dated_by_its_data_and_readable(tmp_path: Path) -> None:
    # Two deals signed in September 2025 (Microsoft–Nebius 2025-09-08, Oracle–OpenAI 2025-09-10), each
    # valued at its signing with the libraries' latest figures: the comparison's data run to the newest
    # of them, 2026-07-01 (OpenAI's 2026–27 projections), never a signing date.
    result = run_batch(
        batch_items(deals=["Microsoft–Nebius", "Oracle–OpenAI"]), tmp_path, jobs=1, progress=False
    )
    wb = openpyxl.load_workbook(result.comparison)
    for ws in wb.worksheets:
        assert str(ws.cell(2, 1).value).startswith("As of 2026-07-01 · deal library"), ws.title
        assert ws.oddFooter.left.text == "As of 2026-07-01 · DealDesk comparison", ws.title
        assert not any("core." in str(c.value) for row in ws.iter_rows() for c in row if c.value)
    # Items across the columns, one row per input: fifteen rows, a column each, text wrapped.
    reports = wb["Reports"]
    assert [c.value for c in reports[4]] == ["Item", "Microsoft–Nebius", "Oracle–OpenAI"]
    assert reports.max_row == 4 + 15
    assert reports.cell(5, 1).value == "Provider" and reports.cell(5, 3).value == "Oracle"
    assert reports.column_dimensions["B"].width >= 20
    # Units as pages show them: a fraction's unit is %, not "fraction".
    units = {wb["Comparison"].cell(r, 1).value: wb["Comparison"].cell(r, 2).value for r in range(5, 60)}
    assert units["Deal share of backlog"] == "%" and units["Deal IRR"] == "% a year"


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


# --------------------------------------------------------------------------- jobs


def _machine(monkeypatch: pytest.MonkeyPatch, cpus: int, load: float | None) -> None:
    """Pretend the process may use ``cpus`` CPUs and the 1-minute load average is ``load`` (None: unknown)."""
    monkeypatch.setattr(batch, "usable_cpus", lambda: cpus)
    monkeypatch.setattr(batch, "_load_average", lambda: load)


def test_default_jobs_are_one_per_usable_cpu_and_at_most_one_per_report(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _machine(monkeypatch, 4, 0.0)
    assert batch.plan_jobs(10) == (4, "")
    assert batch.plan_jobs(3) == (3, "")
    assert batch.plan_jobs(1) == (1, "")  # one report, no jobs asked: nothing to explain
    assert batch.plan_jobs(10, 3) == (3, "")
    assert batch.plan_jobs(2, 3) == (2, "")
    _machine(monkeypatch, 1, 0.0)
    assert batch.plan_jobs(10) == (1, "this process may use 1 CPU: the reports are built one at a time")
    assert batch.plan_jobs(10, 1) == (1, "")  # one job asked, one job run


def test_a_batch_that_cannot_scale_with_its_jobs_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    _machine(monkeypatch, 2, 0.0)
    assert batch.plan_jobs(1, 2) == (1, "one report: built in this process")
    workers, why = batch.plan_jobs(10, 3)  # asked for more jobs than CPUs: they are run, and take turns
    assert workers == 3
    assert (
        why == "3 jobs on 2 usable CPUs: the jobs take turns, so the batch is at most 2× as fast as one job"
    )
    _machine(monkeypatch, 1, 0.0)
    assert batch.plan_jobs(10, 2)[1] == (
        "2 jobs on 1 usable CPU: the jobs take turns, so the batch is at most 1× as fast as one job"
    )
    # Busy CPUs: 2 jobs on 2 CPUs are told once the load average reaches 2 - 2 + 1 = 1 (one job's CPU in use).
    _machine(monkeypatch, 2, 0.99)
    assert batch.plan_jobs(10, 2) == (2, "")
    _machine(monkeypatch, 2, 1.0)
    assert batch.plan_jobs(10, 2) == (
        2,
        "2 jobs, but the 1-minute load average is 1.0 on 2 CPUs: other processes are using them, so the jobs "
        "get less than a CPU each and the batch will not be 2× as fast as one job",
    )
    # 2 jobs of 8 CPUs: told from a load of 8 - 2 + 1 = 7
    _machine(monkeypatch, 8, 6.9)
    assert batch.plan_jobs(10, 2) == (2, "")
    _machine(monkeypatch, 8, 7.0)
    assert "load average is 7.0 on 8 CPUs" in batch.plan_jobs(10, 2)[1]
    _machine(monkeypatch, 2, None)  # no load average on this system: nothing said about it
    assert batch.plan_jobs(10, 2) == (2, "")


def test_plan_jobs_refuses_bad_counts() -> None:
    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(DealDeskInputError, match=rf"jobs must be a whole number >= 1, got {bad!r}"):
            batch.plan_jobs(10, bad)  # type: ignore[arg-type]
    with pytest.raises(DealDeskInputError, match=r"a batch needs at least one item, got 0"):
        batch.plan_jobs(0)


def test_the_batch_command_prints_why_its_jobs_will_not_scale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _machine(monkeypatch, 1, 0.0)
    code = main(["batch", "--deals", "AWS–OpenAI", "Microsoft–IREN", "--out", str(tmp_path), "--jobs", "2"])
    assert code == 0
    err = capsys.readouterr().err
    assert "dealdesk batch: 2 jobs on 1 usable CPU: the jobs take turns" in err
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == [
        "dealdesk-aws-openai-base.xlsx",
        "dealdesk-comparison.xlsx",
        "dealdesk-microsoft-iren-base.xlsx",
    ]


def test_usable_cpus_is_the_process_affinity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch.os, "sched_getaffinity", lambda _pid: {0, 3, 5}, raising=False)
    assert batch.usable_cpus() == 3
    monkeypatch.delattr(batch.os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(batch.os, "cpu_count", lambda: None)
    assert batch.usable_cpus() == 1
