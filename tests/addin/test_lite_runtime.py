"""main.py through xlwings' own Pyodide runtime code, under CPython: calls go through the FIRST loaded module.

xlwings' runtime (``wasm_runtime.py`` of xlwings Server, the code the browser
runs) imports the functions' module when it starts, runs ``main.py`` again from
its text for the functions' metadata and again for their JavaScript code, and
then serves every call through the module it imported first. main.py used to
empty and re-import DealDesk's modules on every run, so the first module's
functions met classes of a later import: every function that reads the Inputs
range failed with ``a must be an Assumptions, got Assumptions``.
``lite_runtime.py`` runs that sequence in a child process (only the browser's
``js`` and ``pyodide.ffi`` are stand-ins); ``test_lite_pyodide_real.py`` runs
it inside real Pyodide.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from addin.lite import build_main
from tests.addin.lite_calls import (
    CALLS,
    INPUTS_FUNCTIONS,
    REFUSAL,
    expected,
    request,
    same,
    wasm_runtime_folder,
)
from tests.addin.officejs import deal_functions

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def _run(folder: Path, *mains: Path) -> dict:
    work = folder / "home"
    work.mkdir()
    env = dict(os.environ, XLWINGS_LICENSE_KEY="noncommercial")  # xlwings.server: noncommercial tests
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [
            sys.executable,
            str(HERE / "lite_runtime.py"),
            str(work),
            str(wasm_runtime_folder()),
            *map(str, mains),
        ],
        input=json.dumps([request(name, args) for name, args in CALLS]),
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def same_main(tmp_path_factory):
    """main.py imported, then run twice more from its text (metadata, code): the runtime's start."""
    folder = tmp_path_factory.mktemp("lite-runtime")
    main = folder / "main.py"
    main.write_text(build_main(target=str(folder / "fs")), encoding="utf-8")
    return _run(folder, main)


@pytest.fixture(scope="module")
def edited_main(tmp_path_factory):
    """A different main.py (an edit) run after the first was imported; calls still go to the first."""
    folder = tmp_path_factory.mktemp("lite-edit")
    tree = folder / "tree"
    for package in ("core", "addin"):
        shutil.copytree(ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__"))
    with (tree / "core" / "validation.py").open("a", encoding="utf-8") as f:
        f.write("\n# an edit: another archive\n")
    first, edited = folder / "main.py", folder / "edited.py"
    first.write_text(build_main(target=str(folder / "fs")), encoding="utf-8")
    edited.write_text(build_main(tree, target=str(folder / "fs")), encoding="utf-8")
    assert first.read_text() != edited.read_text()
    return _run(folder, first, edited)


def test_the_runtime_calls_through_the_first_module(same_main):
    assert same_main["first_is_not_main"] is True


def test_every_function_is_registered_and_associated(same_main):
    names = sorted("DEAL." + name.removeprefix("deal_").upper() for name in deal_functions())
    assert same_main["names"] == names
    assert same_main["associated"] == sorted(name.upper() for name in deal_functions())


def test_the_calls_cover_every_function():
    assert {name for name, _ in CALLS} == set(deal_functions())
    # The seven that read the Inputs range are the ones that failed through the first module.
    assert INPUTS_FUNCTIONS == {
        "deal_output",
        "deal_outputs",
        "deal_scenario",
        "deal_table",
        "deal_tornado",
        "deal_sensitivity",
        "deal_simulate",
    }


def test_running_the_same_main_py_again_keeps_the_modules(same_main):
    assert same_main["modules_kept"] is True


@pytest.mark.parametrize("index", range(len(CALLS)), ids=[f"{i}-{name}" for i, (name, _) in enumerate(CALLS)])
def test_each_call_through_the_first_module_equals_the_development_tree(same_main, index):
    name, args = CALLS[index]
    got, want = same_main["results"][index], expected(name, args)
    assert "error" not in got or index == len(CALLS) - 1, got
    assert same(got, want), (got, want)


def test_bad_input_keeps_its_message_through_the_first_module(same_main):
    assert same_main["results"][-1] == {"error": REFUSAL}


@pytest.mark.parametrize("index", range(len(CALLS)), ids=[f"{i}-{name}" for i, (name, _) in enumerate(CALLS)])
def test_after_an_edit_calls_through_the_first_module_still_work(edited_main, index):
    # The edit replaces DealDesk's modules; the first module's functions keep the modules they
    # were imported with (no DealDesk module is imported at call time).
    name, args = CALLS[index]
    assert edited_main["modules_kept"] is False
    assert same(edited_main["results"][index], expected(name, args))


def _call_time_imports(path: Path) -> list[str]:
    """``from core...``/``from addin...`` statements inside functions of ``path``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                modules = []
                if isinstance(inner, ast.ImportFrom) and inner.module:
                    modules = [inner.module]
                elif isinstance(inner, ast.Import):
                    modules = [alias.name for alias in inner.names]
                if any(m.split(".")[0] in ("core", "addin") for m in modules):
                    found.add(f"{path.relative_to(ROOT)}:{inner.lineno}")
    return sorted(found)


def test_no_dealdesk_module_is_imported_at_call_time():
    # A module imported when a function runs comes from sys.modules at that moment, which a later
    # main.py may have replaced. The exceptions never run in Lite: `dealdesk serve` wires the
    # request check into xlwings Server before it serves anything, and a simulation imports the
    # compiled kernel (core.simulation.kernel) only when numba is installed, which Pyodide is not.
    found = sorted(
        hit
        for package in ("core", "addin")
        for path in (ROOT / package).rglob("*.py")
        for hit in _call_time_imports(path)
    )
    assert {hit.split(":")[0] for hit in found} == {"addin/server.py", "core/simulation/run.py"}, found
    assert sum(hit.startswith("core/") for hit in found) == 1, found  # the kernel's one import
