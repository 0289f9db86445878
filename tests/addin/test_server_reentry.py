"""What re-entering the template's DEAL formulas costs over HTTP, and that each answer is what the file shows.

The worst case of the task pane's re-entry (docs/excel.md, "The template in
Excel"): every DEAL formula of the template shows ``#NAME?`` and is re-entered,
so Excel sends every call to ``dealdesk serve`` at once. Here each of the
template's calls goes over HTTP to a freshly started server (nothing cached),
six at a time as a browser sends them to one host. Every call must answer 200,
a formula that is one call (``=DEAL.X(...)`` or ``=INDEX(DEAL.X(...), r, c)``)
must answer the value saved in the file (computed headless when the template
was written), and the whole batch must stay within a bound that is not a hang.
Run with ``-s`` to see the time.
"""

from __future__ import annotations

import collections
import concurrent.futures
import json
import os
import re
import sys
import time
from pathlib import Path

import openpyxl
import pytest
import xlwings

from tests.addin.servers import get, post, served
from tests.addin.template_calls import TEMPLATE, request, template_calls

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CONCURRENT = 6  # requests a browser keeps open to one host over HTTP/1.1
BOUND_S = 60.0  # "not a hang" on a busy 2-CPU machine; about 1 s when measured (docs/excel.md)
_INDEX = re.compile(r"^=INDEX\(DEAL\.[A-Z_]+\([^()]*\),(\d+),(\d+)\)$")
_DIRECT = re.compile(r"^=DEAL\.[A-Z_]+\([^()]*\)$")


@pytest.fixture(scope="module")
def reentry(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reentry")
    env = dict(os.environ, XLWINGS_LICENSE_KEY="noncommercial", PYTHONPATH=str(ROOT))
    env.pop("XLWINGS_ON_SERVER", None)
    calls = template_calls()
    with served([sys.executable, "-m", "workbook.cli", "serve"], folder=folder, env=env) as origin:
        meta = {
            f["id"]: f
            for f in json.loads(get(origin + "/xlwings/custom-functions-meta.json")[2])["functions"]
        }
        bodies = [request(c, len(meta[c["function"]]["parameters"]), xlwings.__version__) for c in calls]
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(CONCURRENT) as pool:
            answers = list(
                pool.map(lambda body: post(origin + "/xlwings/custom-functions-call", body), bodies)
            )
        elapsed = time.perf_counter() - started
    print(f"\n{len(calls)} DEAL calls of the template over HTTP, {CONCURRENT} at a time: {elapsed:.2f} s")
    return calls, answers, elapsed


def test_the_template_makes_the_calls_the_docs_count(reentry):
    from workbook import spec

    calls, _, _ = reentry
    kinds = collections.Counter(c["function"] for c in calls)
    # One call per formula. The Exposure sheet: 8 providers x (4 customers + total) cells of
    # DEAL.EXPOSURE and 8 providers x 5 simulated figures of the Monte Carlo DEAL.EXPOSURE_RISK. The
    # Benchmarks sheet: 12 fiscal years x 4 figures, the life's 4, the provider's 3 and one reading
    # for each of the 11 reported margins = 66 DEAL.TABLE calls.
    rows = spec.benchmark_rows()
    bench = sum(1 for r in rows for v in r.cells.values() if isinstance(v, str) and v.startswith("=DEAL."))
    assert bench == 12 * 4 + 4 + 3 + 11 == 66
    # The Claims and Watch sheets: one DEAL.CLAIMS cell per column of each of the 9 claim rows (8 columns)
    # and one DEAL.WATCH cell per column of each of the 40 watch rows (10 columns) = 472.
    loop = spec.CLAIM_SHEET_ROWS * len(spec.CLAIM_SHEET_COLUMNS) + spec.WATCH_SHEET_ROWS * len(
        spec.WATCH_SHEET_COLUMNS
    )
    assert loop == 9 * 8 + 40 * 10 == 472
    assert len(calls) == len({c["cell"] for c in calls}) == 254 + 66 + 472
    assert kinds["DEAL_CLAIMS"] == 72 and kinds["DEAL_WATCH"] == 400
    providers = len(spec.EXPOSURE_PROVIDERS)
    assert kinds["DEAL_EXPOSURE"] == providers * (len(spec.EXPOSURE_CUSTOMERS) + 1) == 40
    assert kinds["DEAL_EXPOSURE_RISK"] == providers * len(spec.EXPOSURE_RISK_FIGURES) == 40
    docs = " ".join((ROOT / "docs" / "excel.md").read_text(encoding="utf-8").split())
    assert "792 DEAL formulas, 40 of them Monte Carlo" in docs


def test_every_call_answers_200(reentry):
    calls, answers, _ = reentry
    failed = [
        (c["cell"], status, text[:120])
        for c, (status, _, text) in zip(calls, answers, strict=True)
        if status != 200
    ]
    assert failed == []


def test_each_answer_is_the_value_saved_in_the_template(reentry):
    calls, answers, _ = reentry
    formulas = openpyxl.load_workbook(TEMPLATE)
    saved = openpyxl.load_workbook(TEMPLATE, data_only=True)
    checked = 0
    for call, (_, _, text) in zip(calls, answers, strict=True):
        title, ref = call["cell"].split("!")
        formula, value = formulas[title][ref].value, saved[title][ref].value
        table = json.loads(text)["result"]
        if _DIRECT.match(formula):
            got = table[0][0]
        elif match := _INDEX.match(formula):
            got = table[int(match.group(1)) - 1][int(match.group(2)) - 1]
        else:
            continue
        got = got["basicValue"] if isinstance(got, dict) else got
        if value == "–":  # the file keeps a dash for a blank answer (workbook/cached.py: LibreOffice)
            value = ""
        assert (
            got == pytest.approx(value, rel=1e-9, abs=1e-12) if isinstance(value, float) else got == value
        ), (
            call["cell"],
            got,
            value,
        )
        checked += 1
    assert checked >= 200  # all but the schedule's IF(...) cells


def test_re_entering_everything_is_not_a_hang(reentry):
    _, _, elapsed = reentry
    assert elapsed < BOUND_S
