"""``dealdesk exposure`` and the Dask scale-out: the same numbers on a cluster as locally."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from core.exposure import BLOCK_DRAWS, backlog_shares, simulate_exposure
from core.validation import DealDeskInputError
from tests.core.exposure.cases import AWS_OPENAI
from workbook.cli import main
from workbook.exposure_cli import exposure_summary

ROOT = Path(__file__).resolve().parents[2]


def test_exposure_json_gives_backlog_by_customer_and_revenue_at_risk(capsys):
    assert main(["exposure", "--draws", "3000", "--seed", "4", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["draws"] == 3000 and payload["seed"] == 4 and payload["rule"] == "pro_rata"
    expected = exposure_summary(simulate_exposure(draws=3000, seed=4))
    assert payload == json.loads(json.dumps(expected))
    aws = payload["providers"]["Amazon (AWS)"]
    assert aws["backlog_by_customer"]["OpenAI"] == pytest.approx(
        backlog_shares("OpenAI").loc["Amazon (AWS)", "backlog"]
    )
    assert set(aws["revenue_at_risk"]) == {"mean", "p50", "p95", "p99"}


def test_summary_of_the_library_simulation_by_provider():
    # AWS is owed the whole AWS–OpenAI backlog and its expansion's from 2026 on (their day counts in
    # tests/core/exposure/cases.py); the expansion runs to the end of 2033, Anthropic's ten years from
    # 2026-04-20 to 2036-04-19, so AWS can lose revenue in every year 2026–2036.
    out = exposure_summary(simulate_exposure(draws=5_000, seed=2))
    aws = out["providers"]["Amazon (AWS)"]
    assert aws["backlog_by_customer"]["OpenAI"] == pytest.approx(AWS_OPENAI, rel=1e-12)
    assert aws["revenue_at_risk"]["p95"] >= aws["revenue_at_risk"]["p50"]
    assert set(aws["mean_loss_by_year"]) == {str(y) for y in range(2026, 2037)}


def test_exposure_tables_and_rule_options(capsys):
    argv = [
        "exposure",
        "--draws",
        "500",
        "--rule",
        "priority",
        "--priority",
        "Oracle",
        "--customers",
        "OpenAI",
    ]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "rule priority; 500 draws, seed 0" in out
    assert "AI backlog by provider and customer" in out and "Oracle" in out and "Nebius" not in out
    assert "Exposure: 4 providers, 1 customer, " in out  # OpenAI's four providers; one customer, singular


def test_exposure_bad_input_is_one_line_with_exit_code_2(capsys):
    assert main(["exposure", "--draws", "0"]) == 2
    assert "draws must be a number >= 1" in capsys.readouterr().err
    assert main(["exposure", "--draws", "10", "--rule", "priority"]) == 2
    assert "priority must list providers or deals" in capsys.readouterr().err


# --------------------------------------------------------------------------- Dask


def test_dask_executor_needs_exactly_one_target():
    from workbook.cluster import dask_executor

    with (
        pytest.raises(DealDeskInputError, match=r"give exactly one of address .* or workers"),
        dask_executor(),
    ):
        pass


@pytest.mark.slow
def test_local_cluster_equals_local_run_bit_for_bit():
    distributed = pytest.importorskip("distributed")
    n = 3 * BLOCK_DRAWS + 17
    local = simulate_exposure(draws=n, seed=9, workers=1, correlation=0.3)
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            protocol="tcp",
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = simulate_exposure(
            draws=n, seed=9, correlation=0.3, chunk_size=BLOCK_DRAWS, executor=client.get_executor()
        )
    assert np.array_equal(local.pair_loss, remote.pair_loss)
    assert np.array_equal(local.mean_by_year, remote.mean_by_year)
    assert np.array_equal(local.p_loss_by_year, remote.p_loss_by_year)


@pytest.mark.slow
def test_cli_on_two_workers_prints_what_the_local_run_prints(capsys):
    pytest.importorskip("distributed")
    argv = ["exposure", "--draws", "9000", "--seed", "5", "--json"]
    assert main(argv) == 0
    local = capsys.readouterr().out
    assert main([*argv, "--workers", "2"]) == 0
    assert capsys.readouterr().out == local


# --------------------------------------------------------------------------- report page


def test_exposure_page_holds_the_matrix_heat_map_and_chart(tmp_path, capsys):
    from openpyxl import load_workbook

    from core.exposure import exposure_table
    from workbook.exposure_report import EXPOSURE_SHEET

    out = tmp_path / "exposure.xlsx"
    assert main(["exposure", "--draws", "2000", "--seed", "1", "--out", str(out)]) == 0
    assert f"exposure page written to {out}" in capsys.readouterr().out
    ws = load_workbook(out)[EXPOSURE_SHEET]
    from workbook.spec import REPORT_LAYOUT

    top = REPORT_LAYOUT.header_row
    header = [c.value for c in ws[top]]
    backlog = exposure_table()
    # Human headers from the label table, not the frame's names (provider, total).
    assert list(backlog.columns) == ["provider", "OpenAI", "Microsoft", "Meta", "Anthropic", "total"]
    assert header[: backlog.shape[1]] == [
        "Provider",
        "OpenAI",
        "Microsoft",
        "Meta",
        "Anthropic",
        "Total (US$ bn)",
    ]
    oracle_row = next(r for r in range(top + 1, top + 1 + len(backlog)) if ws.cell(r, 1).value == "Oracle")
    assert ws.cell(oracle_row, header.index("OpenAI") + 1).value == pytest.approx(300.0)
    ranges = [str(r.sqref) for r in ws.conditional_formatting]
    assert f"B{top + 1}:E{top + len(backlog)}" in ranges  # the provider × customer matrix is a heat map
    assert len(ws._charts) == 1
    # The same inputs give the same bytes.
    again = tmp_path / "again.xlsx"
    assert main(["exposure", "--draws", "2000", "--seed", "1", "--out", str(again), "--json"]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_exposure_page_labels_risk_columns_and_shows_effects_with_the_caveat(tmp_path, capsys):
    from openpyxl import load_workbook

    from workbook.exposure_report import EXPOSURE_SHEET

    out = tmp_path / "exposure.xlsx"
    assert main(["exposure", "--draws", "1000", "--seed", "1", "--out", str(out)]) == 0
    capsys.readouterr()
    ws = load_workbook(out)[EXPOSURE_SHEET]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    for raw in ("ai_backlog", "p_loss_above_threshold", "mean_share_of_backlog", "main_customer", "provider"):
        assert raw not in texts
    for label in (
        "AI backlog (US$ bn)",
        "P(loss > threshold) (%)",
        "Mean loss ÷ AI backlog (%)",
        "Main customer",
    ):
        assert label in texts
    assert "Change in segment operating margin from the mean loss (bps)" in texts
    caveat = next(t for t in texts if t.startswith("Caveat:"))
    assert "Nebius (3.72x)" in caveat and "Amazon (AWS)" not in caveat and "Oracle" not in caveat


# --------------------------------------------------------------------------- text tables


def test_exposure_text_uses_labels_and_finance_formats(capsys):
    import re

    assert main(["exposure", "--draws", "1000", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    # No snake_case column names; the label table's words instead.
    for raw in ("provider  ", "growth_change_pp", "margin_change_bps", "P(loss>x)", "driver", "  total"):
        assert raw not in out
    assert re.search(r"^Provider +OpenAI +Microsoft +Meta +Anthropic +Total \(US\$ bn\)$", out, re.M)
    assert re.search(
        r"^Provider +AI backlog +Mean +Median +95th percentile +99th percentile +P\(loss > 10\.0%\) +Main customer$",
        out,
        re.M,
    )
    # Oracle's $300B from OpenAI starts in 2027: all of it is backlog; zero shows as a dash.
    assert re.search(r"^Oracle +300\.00 +– +– +– +300\.00$", out, re.M)
    # Margin changes in bps (the unit in the table's heading, not after each number) with
    # negatives in parentheses; one a year from 2026 to 2036 (Anthropic–AWS runs to 2036-04-19).
    assert "segment operating margin from the mean loss (bps)" in out
    assert re.search(r"^CoreWeave( +(–|\([\d,]+\)|[\d,]+)){11}$", out, re.M)
    assert re.search(r"^Oracle +– +– +\(\d{3}\)", out, re.M)  # Oracle's 2028: hundreds of bps
    assert " bps)" not in out.split("segment operating margin")[1]


def test_exposure_text_caveat_names_the_outsized_providers_it_shows(capsys):
    # Nebius: its Microsoft contract ($17.4B from 2025-09-08, 1826 days, past its 423-day ramp all of
    # 2027) earns 17.4 × 0.925 × 365 ÷ 1826 ÷ (1 − 423/3652) in 2027, against its revenue path: $0.5298B
    # in 2025 grown two years at the capped 35.8% (Google Cloud's FY2025 growth): 3.72x, outsized.
    # Oracle: $300B from 2027 against $67.4B of FY2026 growing to its $90B guide: below 1x, not named;
    # AWS: $38B over 7 years on $128.7B: not named either.
    from tests.core.exposure.cases import after_ramp

    cap = round(58.705 / 43.229 - 1, 10)
    nebius = 17.4 * 0.925 * after_ramp(365, 1826) / (0.5298 * (1 + cap) ** 2)
    assert f"{nebius:.2f}" == "3.72"
    assert main(["exposure", "--draws", "500", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    caveat = next(line for line in out.splitlines() if line.startswith("Caveat:"))
    assert f"Nebius ({nebius:.2f}x)" in caveat and "IREN" in caveat
    assert "Amazon (AWS)" not in caveat and "Oracle" not in caveat and "Nscale" not in caveat
    assert caveat.endswith("(shown when contracted revenue in a year exceeds 1× that revenue).")


def test_outsized_text_on_both_sides_and_only_for_shown_providers():
    import pandas as pd

    from workbook.exposure_cli import outsized_text

    flags = pd.DataFrame(
        {"provider": ["A", "B", "C"], "peak_ratio": [1.0, 1.5, 2.0], "outsized": [False, True, True]}
    )
    assert outsized_text(flags, ["A"]) is None  # A at exactly 1x is not outsized
    one = outsized_text(flags, ["A", "B"])
    assert one is not None and one.startswith("Caveat: the contracts of B (1.50x) earn more")
    both = outsized_text(flags, ["B", "C"])
    assert both is not None and both.startswith("Caveat: the contracts of B (1.50x) and C (2.00x) earn")


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups")
def _ignores_sigint(pid: int) -> bool:
    """Whether process ``pid`` ignores SIGINT now (Linux: the SigIgn mask in /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigIgn:"):
            return bool(int(line.split()[1], 16) & (1 << (signal.SIGINT - 1)))
    return False


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the signal mask from /proc")
def test_ctrl_c_on_a_dask_run_prints_one_line_and_leaves_nothing_behind(tmp_path):
    # Before: 66 lines of Dask tracebacks before "interrupted", and <tmp>/dask-scratch-space left behind.
    pytest.importorskip("distributed")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = dict(os.environ, TMPDIR=str(scratch), PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        [sys.executable, "-m", "workbook.cli", "exposure", "--draws", "2000000", "--workers", "2"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        # Ctrl+C as a terminal delivers it: a shell's background job (a test run started with &)
        # ignores SIGINT, and its children would inherit that.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 120
        while len(list(scratch.rglob("worker-*.dirlock"))) < 2 or _ignores_sigint(process.pid):
            # Both workers up, and the start-up window closed: while the workers start, Ctrl+C is
            # ignored so that they inherit ignoring it (on a busy machine that window outlasts their
            # lock files by seconds).
            assert process.poll() is None and time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.2)
        time.sleep(1)  # mid-run
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl+C does: every process of the group gets it
        _, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
    assert (process.returncode, err.decode()) == (130, "dealdesk exposure: interrupted\n")
    deadline = time.monotonic() + 30
    while list(scratch.iterdir()) and time.monotonic() < deadline:  # workers end just after
        time.sleep(0.2)
    assert list(scratch.iterdir()) == []
