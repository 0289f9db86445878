"""``dealdesk simulate``: the Monte Carlo from the command line."""

from __future__ import annotations

import json

import pytest

from core.simulation import risk_questions, simulate
from workbook.cli import main


def test_simulate_json_equals_the_core(capsys):
    assert main(["simulate", "--draws", "3000", "--seed", "4", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    result = simulate(None, draws=3000, seed=4)
    assert payload["draws"] == 3000 and payload["seed"] == 4
    means = {row["output"]: row["mean"] for row in payload["summary"]}
    assert means["npv"] == pytest.approx(result.values["npv"].mean())
    expected = risk_questions(result)["probability"].tolist()
    assert [q["probability"] for q in payload["risk_questions"]] == pytest.approx(expected)


def test_simulate_with_a_distributions_file_and_chosen_outputs(tmp_path, capsys):
    path = tmp_path / "risks.json"
    path.write_text(json.dumps({"realisation": ["uniform", 0.9, 0.95]}), encoding="utf-8")
    assert main(["simulate", "--distributions", str(path), "--draws", "500", "--outputs", "ramp_year2"]) == 0
    out = capsys.readouterr().out
    assert "500 draws" in out and "Ramp, fiscal year 2" in out and "P(" not in out
    assert "ramp_year2" not in out  # labels, not identifiers


def test_simulate_bad_input_is_one_line_with_exit_code_2(tmp_path, capsys):
    assert main(["simulate", "--draws", "0"]) == 2
    assert "draws must be a number >= 1" in capsys.readouterr().err
    path = tmp_path / "risks.json"
    path.write_text(json.dumps({"term_years": ["uniform", 5, 7]}), encoding="utf-8")
    assert main(["simulate", "--distributions", str(path)]) == 2
    assert "cannot simulate 'term_years'" in capsys.readouterr().err


def test_simulate_names_the_line_of_a_broken_distributions_file(tmp_path, capsys):
    # Parsed by the same reader as --inputs, so the message names the file and line alike.
    path = tmp_path / "risks.json"
    path.write_text('{"realisation": ["uniform", 0.9,\n', encoding="utf-8")
    assert main(["simulate", "--distributions", str(path)]) == 2
    assert "risks.json is not valid JSON: " in capsys.readouterr().err
    path = tmp_path / "risks.yaml"
    path.write_text("realisation: [uniform, 0.9,\n", encoding="utf-8")
    assert main(["simulate", "--distributions", str(path)]) == 2
    assert "risks.yaml is not valid YAML" in capsys.readouterr().err
