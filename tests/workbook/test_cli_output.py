"""The command line as a person reads it: labels and units, aligned, no traceback, helpful errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from core.assumptions import INPUTS
from workbook.cli import EXIT_USAGE, main


def test_inputs_lists_every_input_with_unit_rule_default_and_source(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["inputs"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["Name", "Input"]
    body = {line.split()[0]: line for line in lines[2:]}
    assert list(body) == [spec.name for spec in INPUTS]
    realisation = body["realisation"]
    assert "a number > 0 and <= 1" in realisation and "0.925" in realisation


def test_inputs_json_is_raw(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inputs", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == [spec.name for spec in INPUTS]
    assert {"unit", "rule", "default", "source"} <= set(rows[0])


def _closed_pipe_run(code: str) -> tuple[int, str]:
    """Run ``code`` with its stdout a pipe the reader has already closed (like `| head` that is done)."""
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before the child has printed anything: its first write meets a closed pipe
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    return proc.returncode, err


def test_a_closed_pipe_ends_quietly() -> None:
    code, err = _closed_pipe_run("import sys; from workbook.cli import main; sys.exit(main(['inputs']))")
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert code == 0


def test_the_closed_pipe_test_can_fail() -> None:
    # Plain Python printing into the same closed pipe does complain: the harness above is real.
    _, err = _closed_pipe_run("print('x' * 100)")
    assert "BrokenPipeError" in err


def test_yaml_numbers_in_any_spelling(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workbook.sources import read_inputs_file

    path = tmp_path / "case.yaml"
    path.write_text("contract_value: 5e1\nterm_years: '7.0'\nbase_revenue: 1_287e-1\n")
    a = read_inputs_file(path)
    assert (a.contract_value, a.term_years, a.base_revenue) == (50.0, 7.0, 128.7)


def test_a_typo_in_an_input_name_gets_did_you_mean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text("realisaton: 0.9\n")
    assert main(["report", "--inputs", str(path), "--out", str(tmp_path / "r.xlsx")]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "did you mean 'realisation'?" in err and "dealdesk inputs" in err


@pytest.mark.parametrize(("text", "hint"), [("95%", "0.95"), ("92.5 %", "0.925"), ("100%", "1")])
def test_percent_text_gets_a_hint(tmp_path: Path, text: str, hint: str) -> None:
    from core.validation import DealDeskInputError
    from workbook.sources import read_inputs_file

    path = tmp_path / "pct.yaml"
    path.write_text(f"realisation: '{text}'\n")
    with pytest.raises(DealDeskInputError, match=rf"write the fraction {hint} instead"):
        read_inputs_file(path)


def test_a_custom_inputs_file_gets_its_own_report_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "my case.json"
    path.write_text('{"realisation": 0.9}')
    assert main(["report", "--inputs", str(path)]) == 0
    written = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert written == Path("reports") / "dealdesk-aws-openai-my-case-base.xlsx"
    assert written != Path("reports") / "dealdesk-aws-openai-base.xlsx"  # the library deal's name


def test_simulate_prints_labels_units_and_report_formats(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--draws", "300"]) == 0
    out = capsys.readouterr().out
    assert "overstatement_2y_pct" not in out and "e+" not in out and "e-" not in out
    line = next(x for x in out.splitlines() if x.startswith("Straight-line overstatement, 2 years, %"))
    assert "% of ramp" in line and line.rstrip().endswith("%")
    # The straight line itself does not vary (38 / 7 in every draw): it is named once, with the
    # other figures no draw moves, not given a row of equal numbers.
    assert not any(x.startswith("Straight-line revenue a year") for x in out.splitlines())
    constant = next(x for x in out.splitlines() if x.startswith("The same in every draw"))
    assert "Straight-line revenue a year" in constant
    # A yes/no figure is its share of draws: no "Yes" as a mean or a percentile.
    line = next(x for x in out.splitlines() if x.startswith("Market value passes the threshold"))
    assert "(share of draws)" in line and "% of draws" in line
    # Its base case (Yes or No), then the share in the mean's column, and no percentile after it.
    assert re.search(r"\s(Yes|No)\s+\d+\.\d%$", line), line


def test_simulate_json_stays_raw(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--draws", "300", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    row = next(r for r in payload["summary"] if r["output"] == "straight_line_annual")
    assert row["mean"] == pytest.approx(38 / 7, rel=1e-12)


def test_the_readme_inputs_example_runs(tmp_path: Path) -> None:
    import re

    from workbook.sources import default_report_path, read_inputs_file

    readme = (Path(__file__).resolve().parents[2] / "docs" / "reports.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(# inputs\.yaml\n.+?)```", readme, re.S)
    assert example is not None
    path = tmp_path / "inputs.yaml"
    path.write_text(example.group(1), encoding="utf-8")
    a = read_inputs_file(path)
    assert (a.deal_name, a.contract_value, a.term_years, a.realisation) == ("My deal", 50.0, 5.0, 0.95)
    assert default_report_path(a, inputs=path).as_posix() == "reports/dealdesk-my-deal-inputs-base.xlsx"
    assert "reports/dealdesk-my-deal-inputs-base.xlsx" in readme


def test_deals_lists_the_library_names_with_labels_and_formats(capsys: pytest.CaptureFixture[str]) -> None:
    # The names --deal takes. AWS–OpenAI: $38B over 7 years, announced 2025-11-03 (FACTS.md).
    assert main(["deals"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert re.match(
        r"Deal +Provider +Customer +Kind of deal +Announced +Headline value \(US\$ bn\) +Term \(years\)",
        lines[0],
    )
    assert re.search(
        r"^AWS–OpenAI +Amazon \(AWS\) +OpenAI +cloud compute +2025-11-03 +38\.00 +7 +announced +yes$",
        out,
        re.M,
    )
    # Not modelled: no value, or not a compute purchase; the reason is printed under the table.
    assert re.search(r"^Google–Anthropic .* n/a .* no$", out, re.M)
    assert "Not modelled, Nvidia–OpenAI: deal 'Nvidia–OpenAI' is an investment" in out
    # FACTS: Microsoft–OpenAI's term is not disclosed, yet it is modelled: the table says on what.
    note = next(line for line in lines if line.startswith("Term n/a: not disclosed."))
    assert "Microsoft–OpenAI" in note and "AWS–OpenAI" not in note and "Google–Anthropic" not in note
    assert note.endswith(
        "run on an analyst term (from the start and end where known, else 5 years); "
        "the report's Assumptions sheet names it."
    )
    assert main(["deals", "--json"]) == 0
    records = {r["deal"]: r for r in json.loads(capsys.readouterr().out)}
    assert records["AWS–OpenAI"]["value_usd_bn"] == 38.0 and records["AWS–OpenAI"]["modelled"] is True
    assert records["Google–Anthropic"]["modelled"] is False
