"""main.py inside real Pyodide (``addin.lite.PYODIDE_RUN``) under Node, through xlwings' own runtime code.

Pyodide 0.27.7 (npm ``pyodide``), its official numpy 2.0.2 and pandas 2.2.3
builds (each wheel's sha256 checked against the release's lock file before it
is used), and Lite's two PyPI requirements installed by micropip from local
wheels; nothing comes from the network. ``pyodide_runtime.mjs`` runs xlwings
Server's ``wasm_runtime.py``, which imports main.py, runs it again for the
functions' metadata and code, and calls every DEAL function through the module
it imported first. Each answer must equal the same call in CPython on the
development tree. See ``pyodide_env.py`` for where the pieces come from.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import xlwings

from addin.lite import PYODIDE_RUN, REQUIREMENTS, build_main, package_files
from tests.addin.lite_calls import CALLS, REFUSAL, expected, request, same, wasm_runtime_folder
from tests.addin.officejs import deal_functions
from tests.addin.pyodide_env import (
    PYODIDE_PACKAGES,
    WheelRefused,
    checked_packages,
    interpreter_folder,
    pyodide_packages,
    requirement_wheels,
)

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    """Pyodide's numpy, pandas and micropip wheels, copied and checked against the lock file."""
    folder = tmp_path_factory.mktemp("pyodide-packages")
    return folder, pyodide_packages(folder)


@pytest.fixture(scope="module")
def run(packages, tmp_path_factory):
    folder, _ = packages
    interpreter = interpreter_folder()
    wheels = requirement_wheels()
    node = shutil.which("node") or "/usr/bin/node"
    assert Path(node).exists(), "Node.js is needed (bash .ci/setup installs Debian's nodejs)"
    work = tmp_path_factory.mktemp("pyodide-run")
    (work / "main.py").write_text(build_main(), encoding="utf-8")
    (work / "calls.json").write_text(json.dumps([request(name, args) for name, args in CALLS]))
    done = subprocess.run(
        [
            node,
            str(HERE / "pyodide_runtime.mjs"),
            str(interpreter),
            str(folder),
            str(wasm_runtime_folder()),
            str(work / "main.py"),
            str(work / "calls.json"),
            *map(str, wheels),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_lock_file_is_the_npm_packages(packages):
    _, lock = packages
    npm = json.loads((interpreter_folder() / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert lock == npm
    assert lock["info"]["python"] == PYODIDE_RUN["python"]
    assert lock["packages"]["numpy"]["version"] == PYODIDE_RUN["numpy"]
    assert lock["packages"]["pandas"]["version"] == PYODIDE_RUN["pandas"]


def test_a_wheel_whose_hash_differs_is_refused(packages, tmp_path):
    folder, lock = packages
    source = tmp_path / "source"
    shutil.copytree(folder, source)
    numpy = source / lock["packages"]["numpy"]["file_name"]
    data = bytearray(numpy.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte changed
    numpy.write_bytes(bytes(data))
    expected = hashlib.sha256(numpy.read_bytes()).hexdigest()
    with pytest.raises(
        WheelRefused, match=rf"^numpy-2\.0\.2-.*\.whl: sha256 {expected} is not the lock file's"
    ):
        checked_packages(source, tmp_path / "target")


def test_a_missing_wheel_is_refused(packages, tmp_path):
    folder, lock = packages
    source = tmp_path / "source"
    shutil.copytree(folder, source)
    (source / lock["packages"]["pandas"]["file_name"]).unlink()
    with pytest.raises(WheelRefused, match=r"pandas-2\.2\.3-.*\.whl is missing \(pandas 2\.2\.3\)$"):
        checked_packages(source, tmp_path / "target")


def test_pyodide_ships_numpy_and_pandas_and_pypi_the_rest(packages):
    _, lock = packages
    shipped = {name for name in REQUIREMENTS.split() if name in lock["packages"]}
    assert shipped == {"numpy", "pandas"}  # Pyodide's own builds: not pinned in requirements.txt
    assert set(PYODIDE_PACKAGES) >= {"numpy", "pandas", "micropip"}


def test_the_run_is_the_release_with_its_builds(run):
    assert (run["python"], run["platform"]) == (PYODIDE_RUN["python"], "emscripten")
    assert (run["numpy"], run["pandas"]) == (PYODIDE_RUN["numpy"], PYODIDE_RUN["pandas"])
    assert run["xlwings"] == xlwings.__version__  # the same protocol code as the CPython side
    assert {"xlwings", "numpy-financial", "numpy", "pandas"} <= set(run["installed"])
    assert run["loaded"] == [
        "Loading micropip, numpy, packaging, pandas, python-dateutil, pytz, six",
        "Loaded micropip, numpy, packaging, pandas, python-dateutil, pytz, six",
    ]


def test_the_functions_come_from_main_py_and_calls_go_through_the_first_module(run):
    assert run["functions_file"].startswith("/tmp/dealdesk/addin/")
    assert run["first_is_not_main"] is True
    assert run["modules_kept"] is True


def test_main_py_unpacks_exactly_the_files_it_carries(run):
    # Beside them, the sha256 of the archive whose modules are imported (main.py's own marker).
    assert run["files"] == sorted([*package_files(), ".archive-sha256"])


def test_every_function_is_registered_and_associated(run):
    assert run["names"] == sorted("DEAL." + name.removeprefix("deal_").upper() for name in deal_functions())
    assert run["associated"] == sorted(name.upper() for name in deal_functions())


@pytest.mark.parametrize("index", range(len(CALLS)), ids=[f"{i}-{name}" for i, (name, _) in enumerate(CALLS)])
def test_each_call_in_pyodide_equals_cpython(run, index):
    name, args = CALLS[index]
    got = run["results"][index]
    assert "error" not in got or index == len(CALLS) - 1, got
    # Pyodide's numpy 2.0.2 and pandas 2.2.3 against the development versions: 997 of 1,010 numbers
    # were identical and the largest relative difference 9.3e-15 when this was written.
    assert same(got, expected(name, args), rel=1e-12), (got, expected(name, args))


def test_bad_input_keeps_its_message_in_pyodide(run):
    assert run["results"][-1] == {"error": REFUSAL}
