"""The benchmark's baselines compute what the engine computes (no timing is asserted here)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from core.assumptions import Assumptions
from core.simulation import DEFAULT_DISTRIBUTIONS, simulate
from tests import bench, bench_spreadsheet
from tests.core.test_simulation import EVERY_PROFILE_CONFIGS, WIDE


@pytest.mark.parametrize("config", list(EVERY_PROFILE_CONFIGS))
def test_the_careful_python_loop_equals_the_engine_draw_by_draw(config: str) -> None:
    # The benchmark's baseline must be the same model: every output of every draw, with nearly
    # every input drawn (WIDE) and with the default risks (the benchmark's run: fixed rates and
    # customer inputs take the loop's computed-once paths), every profile and delay mode.
    a = Assumptions().replace(**EVERY_PROFILE_CONFIGS[config])
    for dists in (WIDE, DEFAULT_DISTRIBUTIONS):
        got = bench.fair_loop(a, dists, 60, seed=5)
        engine = simulate(a, dists, draws=60, seed=5, engine="numpy")
        assert set(got) == set(engine.values)
        for name, want in engine.values.items():
            np.testing.assert_allclose(got[name], want, rtol=1e-12, atol=1e-12, err_msg=name)


def test_the_fair_loop_is_checked_against_the_engine_in_the_benchmark() -> None:
    result = bench.bench_python_loop(40)
    assert result["outputs_checked"] == len(simulate(draws=2, seed=1).values)
    assert result["max_relative_difference_vs_engine"] <= 1e-12
    assert result["us_per_draw"] == pytest.approx(result["seconds"] / 40 * 1e6)


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_recalculates_through_uno(tmp_path: Path) -> None:
    python = bench_spreadsheet.uno_python()
    if python is None:
        pytest.skip("no Python with LibreOffice's uno module (python3-uno)")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["x", "twice", "square plus one"])
    for x in (1.5, -2.0, 10.0):
        row = ws.max_row + 1
        ws.append([x, f"=A{row}*2", f"=A{row}^2+1"])
    model = tmp_path / "model.xlsx"
    wb.save(model)
    driver = Path(bench_spreadsheet.__file__).with_name("libreoffice_recalc.py")
    done = subprocess.run(
        [python, str(driver), str(model), str(tmp_path / "saved.xlsx"), "--columns", "1,2"],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    result = json.loads(done.stdout)
    assert result["values"] == {"1": [3.0, -4.0, 20.0], "2": [3.25, 5.0, 101.0]}
    assert result["rows"] == 3
    for step in ("startup", "load", "recalc", "save"):
        assert result[f"seconds_{step}"] >= 0
    saved = openpyxl.load_workbook(tmp_path / "saved.xlsx", data_only=True).active
    assert [saved.cell(row=r, column=3).value for r in (2, 3, 4)] == [3.25, 5, 101]
