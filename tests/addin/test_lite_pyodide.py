"""The Lite main.py in a clean environment pinned to the current Pyodide release, import-guarded.

Pyodide 314.0.7 (npm package ``pyodide``, file ``pyodide-lock.json``) ships
Python 3.14.2, numpy 2.4.6 and pandas 3.0.2 (:data:`addin.lite.PYODIDE`). A
fresh virtual environment gets exactly those numpy and pandas versions plus
Lite's other requirements (xlwings, numpy-financial) and nothing else; main.py
runs there as xlwings' Pyodide runtime runs it (imported, run again for the
functions' metadata and code, every call through the first module), with

* an import guard: any import made by DealDesk's code of a module outside the
  standard library usable in Pyodide, numpy, pandas and the declared
  requirements is recorded and fails the test (even one caught by a
  ``try/except ImportError``);
* Pyodide's limits imitated: ``sys.platform`` is ``emscripten`` and threads
  cannot start.

The Python here is the machine's (3.11+), not 3.14.2: this checks the current
release's numpy and pandas versions. ``test_lite_pyodide_real.py`` runs main.py
inside a real Pyodide (``addin.lite.PYODIDE_RUN``) with that release's own
WebAssembly builds of numpy and pandas.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import xlwings

from addin.lite import PYODIDE, REQUIREMENTS, build_main
from tests.addin.officejs import call, deal_functions

pytestmark = pytest.mark.slow

REQUIREMENT_PINS = {
    "numpy": PYODIDE["numpy"],
    "pandas": PYODIDE["pandas"],
    "xlwings": xlwings.__version__,  # Lite supplies its own xlwings; the protocol code is the same
    "numpy-financial": "1.0.0",
}
INPUTS = [["name", "value"], ["contract_value", 38], ["start_date", 45964], ["term_years", 7]]

RUNNER = r"""
import asyncio, builtins, importlib.abc, json, os, sys, threading, types

root, main_path, allowed_json = sys.argv[1:4]
allowed = set(json.loads(allowed_json))
flagged = []


class Guard(importlib.abc.MetaPathFinder):
    # Records imports made from DealDesk's own files of anything outside the allowed set.
    def find_spec(self, name, path=None, target=None):
        top = name.split(".")[0]
        if top in allowed:
            return None
        # The importing file is the first frame outside importlib's own machinery.
        frame = sys._getframe(1)
        while frame is not None and (
            frame.f_code.co_filename.startswith("<frozen") or "importlib" in frame.f_code.co_filename
        ):
            frame = frame.f_back
        if frame is not None and frame.f_code.co_filename.startswith(root):
            flagged.append([name, os.path.relpath(frame.f_code.co_filename, root)])
        return None


import numpy, pandas, numpy_financial, xlwings  # the requirements, loaded as Lite loads them
from xlwings.server import custom_functions_call, custom_functions_meta

sys.meta_path.insert(0, Guard())
sys.platform = "emscripten"


def no_threads(self):
    raise RuntimeError("can't start new thread")  # what Pyodide says


threading.Thread.start = no_threads

text = open(main_path, encoding="utf-8").read()
modules = []
for _ in range(3):  # imported, then run again for the metadata and the code (xlwings' runtime)
    module = types.ModuleType("main")
    module.__file__ = main_path
    sys.modules["main"] = module
    exec(compile(text, main_path, "exec"), module.__dict__)
    modules.append(module)
first = modules[0]  # the runtime calls through the module it imported first

meta = custom_functions_meta(module)


def run(name, *args):
    data = {"func_name": name, "args": list(args), "version": xlwings.__version__, "client": "Office.js",
            "runtime": "1.2", "culture_info_name": "en-US", "date_format": "m/d/yyyy",
            "caller_address": "Sheet1!A1"}
    try:
        return {"value": asyncio.run(custom_functions_call(data, first))}
    except Exception as error:
        return {"error": str(error)}


calls = json.loads(sys.stdin.read())
results = [run(c["name"], *c["args"]) for c in calls]
import addin.functions
print(json.dumps({
    "versions": {"numpy": numpy.__version__, "pandas": pandas.__version__},
    "names": sorted(f["name"] for f in meta["functions"]),
    "source": addin.functions.__file__,
    "flagged": flagged,
    "results": results,
}))
"""

# Standard-library modules that Pyodide removes, unvendors or cannot run (pyodide.org, "Pyodide Python
# compatibility"): DealDesk's code must not import them.
NOT_IN_PYODIDE = {
    "multiprocessing",
    "subprocess",
    "socket",
    "ssl",
    "lzma",
    "sqlite3",
    "tkinter",
    "turtle",
    "curses",
    "dbm",
    "venv",
    "ensurepip",
    "idlelib",
    "readline",
    "pydoc_data",
}
CALLS = [
    {"name": "deal_schedule", "args": [[[38]], [[45964]], [[7]]]},
    {"name": "deal_schedule", "args": [[[38]], [[45964]], [[0]]]},
    {"name": "deal_npv_irr", "args": [[[38]], [[45964]], [[7]], [[20]], [[0.09]]]},
    {"name": "deal_deals", "args": []},
    {"name": "deal_output", "args": [INPUTS, [["npv"]]]},
    {"name": "deal_simulate", "args": [INPUTS, None, [[500]], [[3]]]},
]


@pytest.fixture(scope="session")
def pinned_python(tmp_path_factory):
    """A fresh virtual environment with the Pyodide release's numpy and pandas, made once per run."""
    folder = tmp_path_factory.mktemp("lite-venv")
    venv.create(folder, with_pip=True, clear=True)
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    pins = [f"{name}=={version}" for name, version in REQUIREMENT_PINS.items()]
    done = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            "--only-binary=:all:",
            *pins,
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return python


@pytest.fixture(scope="module")
def lite_run(pinned_python, tmp_path_factory):
    folder = tmp_path_factory.mktemp("lite-fs")
    root = folder / "dealdesk"
    main = folder / "main.py"
    main.write_text(build_main(target=str(root)), encoding="utf-8")
    allowed = (
        (set(sys.stdlib_module_names) - NOT_IN_PYODIDE)
        | {"numpy", "pandas", "numpy_financial", "xlwings", "core", "addin", "main"}
    ) - {"win32com"}
    env = {
        "PATH": os.environ.get("PATH", ""),
        "XLWINGS_ON_SERVER": "true",
        "XLWINGS_LICENSE_KEY": "noncommercial",  # xlwings.server in this noncommercial test suite
        "HOME": str(folder),
    }
    done = subprocess.run(
        [str(pinned_python), "-I", "-c", RUNNER, str(root), str(main), json.dumps(sorted(allowed))],
        input=json.dumps(CALLS),
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1]) | {"root": str(root)}


def test_the_environment_has_the_pyodide_versions(lite_run):
    assert lite_run["versions"] == {"numpy": PYODIDE["numpy"], "pandas": PYODIDE["pandas"]}


def test_requirements_are_what_lite_must_install():
    # numpy and pandas are Pyodide's builds, the other two pure-Python wheels from PyPI.
    assert set(REQUIREMENTS.split()) == set(REQUIREMENT_PINS)


def test_dealdesk_imports_nothing_outside_pyodide_and_the_requirements(lite_run):
    assert lite_run["flagged"] == []


def test_the_functions_come_from_main_py(lite_run):
    assert Path(lite_run["source"]).is_relative_to(lite_run["root"])
    assert len(lite_run["names"]) == len(deal_functions())
    assert "DEAL.SCHEDULE" in lite_run["names"]


def test_the_schedule_under_pyodide_versions(lite_run):
    table = lite_run["results"][0]["value"]
    # FY2025 holds 59 of the 2557 contract days: 38 × 59 / 2557.
    assert table[1][0] == "FY2025"
    assert table[1][3] == pytest.approx(38 * 59 / 2557, rel=1e-12)


def test_errors_keep_the_deal_prefix_in_lite(lite_run):
    assert lite_run["results"][1] == {
        "error": "DEAL.SCHEDULE: term_years must be a number > 0 and <= 100, got 0.0"
    }


@pytest.mark.parametrize("index", [2, 3, 4, 5])
def test_results_match_the_development_environment(lite_run, index):
    # numpy-financial, the deal library's data file, the model and the single-threaded Monte Carlo:
    # same figures under Pyodide's numpy/pandas as under the development versions.
    got = lite_run["results"][index]
    assert "value" in got, got
    expected = call(CALLS[index]["name"], *CALLS[index]["args"], runtime="1.2")
    assert json.dumps(got["value"]) == json.dumps(expected) or _close(got["value"], expected)


def _close(a, b) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return a == pytest.approx(b, rel=1e-9, abs=1e-12)
    return a == b
