"""The ``dealdesk`` command: report and batch, exit codes and messages."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from core.model import run_model
from tests.ci import skip_unless_ci
from workbook.cli import EXIT_FAILURE, EXIT_USAGE, build_parser, main
from workbook.pdf import find_soffice


def _cover_value(path: Path, label: str) -> object:
    ws = openpyxl.load_workbook(path)["Key figures"]
    return next(ws.cell(r, 2).value for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label)


def _written(out: str) -> list[str]:
    """The files a report command wrote: the lines after its last blank line."""
    return out.rstrip("\n").split("\n\n")[-1].splitlines()


def test_no_arguments_builds_the_base_case_into_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["report"]) == 0
    (out,) = _written(capsys.readouterr().out)
    assert out == str(Path("reports") / "dealdesk-aws-openai-base.xlsx")
    written = tmp_path / out
    assert written.is_file()
    # The cover holds the core's figure: $38B / 7 years on the straight line.
    assert _cover_value(written, "Straight-line revenue a year") == pytest.approx(38 / 7, rel=1e-12)


def test_scenario_and_out_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    assert main(["report", "--scenario", "bear", "--out", "out"]) == 0
    assert _written(capsys.readouterr().out) == [str(Path("out") / "dealdesk-aws-openai-bear.xlsx")]
    from core.assumptions import scenario_assumptions

    bear = run_model(scenario_assumptions(scenario="bear")).outputs["overstatement_2y"]
    path = tmp_path / "out" / "dealdesk-aws-openai-bear.xlsx"
    assert _cover_value(path, "Straight-line overstatement, 2 years") == pytest.approx(bear, rel=1e-12)


def test_json_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = tmp_path / "deal.json"
    inputs.write_text('{"deal_name": "Test deal", "contract_value": 70, "term_years": 7}')
    out = tmp_path / "r.xlsx"
    assert main(["report", "--inputs", str(inputs), "--out", str(out)]) == 0
    assert _written(capsys.readouterr().out) == [str(out)]
    assert _cover_value(out, "Straight-line revenue a year") == pytest.approx(10.0)


def test_deal_from_the_library(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--deal", "Microsoft–Nebius", "--out", str(tmp_path)]) == 0
    (written,) = _written(capsys.readouterr().out)
    path = Path(written)
    assert path.name == "dealdesk-microsoft-nebius-base.xlsx"
    # $17.4B over 5 years (FT; company release) on the straight line.
    assert _cover_value(path, "Straight-line revenue a year") == pytest.approx(17.4 / 5, rel=1e-12)


def test_template_copy_as_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workbook.template import DEFAULT_TEMPLATE

    source = Path(DEFAULT_TEMPLATE)
    assert source.is_file(), "the committed template workbook is missing"
    copy = tmp_path / "my-deal.xlsx"
    copy.write_bytes(source.read_bytes())
    out = tmp_path / "from-template.xlsx"
    assert main(["report", "--inputs", str(copy), "--out", str(out)]) == 0
    assert _cover_value(out, "Straight-line revenue a year") == pytest.approx(38 / 7, rel=1e-12)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--deal", "Nope"], r"bad input: deal must be a compute deal of the library"),
        (["--deal", "Google–Anthropic"], r"bad input: deal 'Google–Anthropic' has no disclosed value"),
        (["--scenario", "worst"], r"bad input: scenario must be one of"),
        (["--inputs", "missing.json"], r"bad input: --inputs file not found: missing\.json"),
        (["--inputs", "inputs.txt"], r"bad input: --inputs must be a template copy"),
        (["--out", "report.csv"], r"--out must end in \.xlsx, got 'report\.csv'"),
    ],
)
def test_bad_inputs_exit_2_naming_the_problem(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "inputs.txt").write_text("contract_value: 38")
    assert main(["report", *args]) == EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.out == ""
    assert re.search(r"^dealdesk report: .*" + message, captured.err), captured.err
    assert "Traceback" not in captured.err
    assert not (tmp_path / "reports").exists()


def test_invalid_value_in_json_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = tmp_path / "bad.json"
    inputs.write_text('{"realisation": 95}')
    assert main(["report", "--inputs", str(inputs), "--out", str(tmp_path / "r.xlsx")]) == EXIT_USAGE
    assert "bad input: realisation must be a number > 0 and <= 1, got 95" in capsys.readouterr().err
    assert not (tmp_path / "r.xlsx").exists()


def test_refuses_to_overwrite_its_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "inputs.xlsx"
    source.write_bytes(b"the analyst's workbook")
    assert (
        main(["report", "--inputs", str(source), "--out", str(tmp_path / "." / "inputs.xlsx")]) == EXIT_USAGE
    )
    assert "refusing to overwrite the input file" in capsys.readouterr().err
    assert source.read_bytes() == b"the analyst's workbook"


def test_unwritable_output_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("x")
    assert main(["report", "--out", str(tmp_path / "file" / "r.xlsx")]) == EXIT_FAILURE
    assert "dealdesk report: cannot write" in capsys.readouterr().err


def test_pdf_without_libreoffice_says_how_to_install_and_keeps_the_xlsx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DEALDESK_SOFFICE", str(tmp_path / "no-libreoffice"))
    out = tmp_path / "r.xlsx"
    assert main(["report", "--out", str(out), "--pdf"]) == EXIT_FAILURE
    captured = capsys.readouterr()
    assert _written(captured.out) == [str(out)] and out.is_file()
    assert "apt-get install libreoffice-calc" in captured.err
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.libreoffice
@pytest.mark.requires(find_soffice() is not None, "LibreOffice (soffice) is not installed")
def test_pdf_with_libreoffice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both paths are printed the way --out was given (a relative --out: both relative).
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--out", "r.xlsx", "--pdf"]) == 0
    assert _written(capsys.readouterr().out) == ["r.xlsx", "r.pdf"]
    assert (tmp_path / "r.pdf").read_bytes()[:5] == b"%PDF-"


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == EXIT_USAGE
    assert "report" in capsys.readouterr().err


def test_unknown_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["report", "--colour", "blue"])
    assert exc.value.code == 2
    assert "unrecognized arguments: --colour" in capsys.readouterr().err


def test_parser_has_report_and_batch() -> None:
    parser = build_parser()
    actions = [a for a in parser._actions if a.dest == "command"]
    assert {"report", "batch"} <= set(actions[0].choices)


def test_report_and_batch_share_one_output_set_up() -> None:
    # One helper adds --out and --pdf to both: one report goes to a file (no default: the deal
    # names it), a batch to a directory (default reports); both say what --pdf converts.
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices

    def option(command: str, flag: str) -> argparse.Action:
        return next(a for a in commands[command]._actions if flag in a.option_strings)

    assert (option("report", "--out").metavar, option("report", "--out").default) == ("PATH", None)
    assert (option("batch", "--out").metavar, option("batch", "--out").default) == ("DIR", "reports")
    assert option("report", "--pdf").help == "also convert the report to PDF with LibreOffice"
    assert option("batch", "--pdf").help == "also convert each report to PDF with LibreOffice"
    assert option("report", "--pdf").default is False and option("batch", "--pdf").default is False
    assert parser.parse_args(["batch", "--pdf"]).pdf is True


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "dealdesk"
    if not script.exists():
        skip_unless_ci("the dealdesk console script is not installed in this environment")
    proc = subprocess.run([str(script), "report", "--help"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert "--inputs" in proc.stdout and "--pdf" in proc.stdout


def test_batch_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["batch", "--deals", "AWS–OpenAI", "Microsoft–IREN", "--out", str(tmp_path), "--jobs", "2"])
    assert code == 0
    lines = capsys.readouterr().out.split()
    assert [Path(p).name for p in lines] == [
        "dealdesk-aws-openai-base.xlsx",
        "dealdesk-microsoft-iren-base.xlsx",
        "dealdesk-comparison.xlsx",
    ]
    assert all(Path(p).is_file() for p in lines)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--deal", "AWS–OpenAI"], r"--deal goes with --scenarios"),
        (["--scenarios", "base", "worst"], r"bad input: scenario must be one of"),
        (["--deals", "Nope"], r"bad input: deal must be a compute deal of the library"),
        (["--jobs", "0"], r"--jobs must be >= 1, got 0"),
    ],
)
def test_batch_bad_inputs_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["batch", "--out", str(tmp_path / "b"), *args]) == EXIT_USAGE
    assert re.search(message, capsys.readouterr().err)
    assert not (tmp_path / "b").exists()


def test_serve_takes_its_tls_files_as_a_pair(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Neither file (plain HTTP on a laptop) or both serve; one alone is refused before anything
    # starts. The server itself is replaced: its own tests run it over HTTP.
    import addin.server

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(addin.server, "serve", lambda **options: calls.append(options))
    assert main(["serve", "--port", "8123"]) == 0
    assert calls == [
        {"host": "127.0.0.1", "port": 8123, "ssl_certfile": None, "ssl_keyfile": None, "extra_hosts": []}
    ]
    for extra in (["--ssl-certfile", "c.pem"], ["--ssl-keyfile", "k.pem"]):
        assert main(["serve", *extra]) == EXIT_USAGE
        assert capsys.readouterr().err == "dealdesk serve: --ssl-certfile and --ssl-keyfile go together\n"
    assert main(["serve", "--ssl-certfile", "c.pem", "--ssl-keyfile", "k.pem"]) == 0
    assert calls[-1] == {
        "host": "127.0.0.1",
        "port": 8000,
        "ssl_certfile": "c.pem",
        "ssl_keyfile": "k.pem",
        "extra_hosts": [],
    }
    assert len(calls) == 2
    # --allowed-host is repeatable and reaches the server as given (the server checks each name).
    assert main(["serve", "--allowed-host", "a.example", "--allowed-host", "b.example"]) == 0
    assert calls[-1]["extra_hosts"] == ["a.example", "b.example"]
