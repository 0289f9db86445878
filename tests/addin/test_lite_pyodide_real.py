"""main.py inside a real Pyodide (npm ``pyodide``, the release in ``addin.lite.PYODIDE``), under Node.

``bash .ci/setup`` fetches the npm package into ``.cache/pyodide-<release>``.
That package is the interpreter only. With Lite's two PyPI requirements
(the pure-Python wheels of xlwings and numpy-financial, unzipped into its
site-packages as micropip would install them), main.py unpacks DealDesk,
every DealDesk source compiles under Pyodide's Python, and the import of the
functions stops at numpy: the WebAssembly wheels
``numpy-2.4.6-cp314-cp314-pyemscripten_2026_0_wasm32.whl`` and
``pandas-3.0.2-cp314-cp314-pyemscripten_2026_0_wasm32.whl`` named in the
package's ``pyodide-lock.json`` are published only on Pyodide's CDN
(cdn.jsdelivr.net/pyodide/v<release>/full/), not on the npm registry, so they
are unreachable here and the functions themselves cannot run in this Pyodide.
``test_lite_pyodide.py`` runs them under the same numpy and pandas versions
in CPython instead.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import xlwings

from addin.lite import PYODIDE, REQUIREMENTS, build_main, package_files

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PYODIDE_DIR = ROOT / ".cache" / f"pyodide-{PYODIDE['release']}"

HARNESS = r"""
import fs from "node:fs";
import { pathToFileURL } from "node:url";
const [dir, mainFile, ...wheels] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(`${dir}/pyodide.mjs`).href);
const pyodide = await loadPyodide({ indexURL: `${dir}/` });
pyodide.FS.writeFile("/home/pyodide/main.py", fs.readFileSync(mainFile, "utf8"));
pyodide.FS.mkdirTree("/wheels");
for (const wheel of wheels) pyodide.FS.writeFile(`/wheels/${wheel.split("/").pop()}`, fs.readFileSync(wheel));
const out = await pyodide.runPythonAsync(`
import compileall, json, pathlib, site, sys, types, zipfile
for wheel in sorted(pathlib.Path("/wheels").glob("*.whl")):  # pure-Python wheels install by unzipping
    zipfile.ZipFile(wheel).extractall(site.getsitepackages()[0])
text = open("/home/pyodide/main.py", encoding="utf-8").read()
module = types.ModuleType("main")
error = None
try:
    exec(compile(text, "main.py", "exec"), module.__dict__)
except ModuleNotFoundError as exc:
    error = [type(exc).__name__, exc.name]
root = pathlib.Path("/tmp/dealdesk")
files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
json.dumps({"version": sys.version.split()[0], "platform": sys.platform, "error": error, "files": files,
            "compiled": bool(compileall.compile_dir(str(root), quiet=1))})
`);
process.stdout.write(out + "\n");
"""


@pytest.fixture(scope="module")
def lock():
    path = PYODIDE_DIR / "pyodide-lock.json"
    assert path.exists(), (
        f"{path} is missing: run bash .ci/setup (it fetches npm pyodide@{PYODIDE['release']})"
    )
    return json.loads(path.read_text())


@pytest.fixture(scope="module")
def run(lock, tmp_path_factory):
    node = shutil.which("node") or "/usr/bin/node"
    folder = tmp_path_factory.mktemp("pyodide")
    (folder / "harness.mjs").write_text(HARNESS)
    (folder / "main.py").write_text(build_main(), encoding="utf-8")
    # Lite's PyPI requirements: pure-Python wheels, as micropip would fetch them.
    pins = [f"xlwings=={xlwings.__version__}", "numpy-financial==1.0.0"]
    fetched = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--no-deps",
            "--only-binary=:all:",
            "--platform",
            "any",
            "--python-version",
            PYODIDE["python"].rsplit(".", 1)[0],
            "--implementation",
            "py",
            "-d",
            str(folder),
            *pins,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert fetched.returncode == 0, fetched.stderr[-3000:]
    wheels = sorted(str(p) for p in folder.glob("*.whl"))
    assert len(wheels) == 2, wheels
    done = subprocess.run(
        [node, str(folder / "harness.mjs"), str(PYODIDE_DIR), str(folder / "main.py"), *wheels],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_pinned_versions_are_the_release_lock_file(lock):
    assert lock["info"]["python"] == PYODIDE["python"]
    assert lock["packages"]["numpy"]["version"] == PYODIDE["numpy"]
    assert lock["packages"]["pandas"]["version"] == PYODIDE["pandas"]


def test_what_pyodide_ships_and_what_comes_from_pypi(lock):
    shipped = {name for name in REQUIREMENTS.split() if name in lock["packages"]}
    assert shipped == {"numpy", "pandas"}  # Pyodide's own builds: not pinned in requirements.txt
    # xlwings and numpy-financial are not Pyodide packages: pure-Python wheels from PyPI.


def test_main_py_unpacks_in_real_pyodide(run):
    assert (run["version"], run["platform"]) == (PYODIDE["python"], "emscripten")
    assert run["files"] == sorted(package_files())


def test_every_dealdesk_source_compiles_under_pyodides_python(run):
    assert run["compiled"] is True


def test_the_import_stops_exactly_at_the_unreachable_numpy_wheel(run):
    assert run["error"] == ["ModuleNotFoundError", "numpy"]
