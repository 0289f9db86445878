"""The generated xlwings Lite main.py registers and runs the DEAL functions from its embedded sources."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from addin.lite import REQUIREMENTS, build_main, package_files
from tests.addin.officejs import MODULE, deal_functions

# What xlwings Lite does with main.py: run its text as the module "main", then
# serve custom_functions_meta / custom_functions_call on that module.
LITE_RUNNER = r"""
import asyncio, json, sys, types
import xlwings
from xlwings.server import custom_functions_call, custom_functions_meta

text = open(sys.argv[1], encoding="utf-8").read()
for _ in range(2):  # Lite runs main.py again after every edit
    module = types.ModuleType("main")
    exec(text, module.__dict__)
    sys.modules["main"] = module
import addin.functions
meta = custom_functions_meta(module)
data = {"func_name": "deal_schedule", "args": [[[38]], [[45964]], [[7]]], "version": xlwings.__version__,
        "client": "Office.js", "runtime": "1.2", "culture_info_name": "en-US", "date_format": "m/d/yyyy",
        "caller_address": "Sheet1!A1"}
table = asyncio.run(custom_functions_call(data, module))
print(json.dumps({"meta": meta, "table": table, "source": addin.functions.__file__}))
"""


@pytest.fixture(scope="module")
def lite(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lite")
    target = folder / "fs"
    main = folder / "main.py"
    main.write_text(build_main(target=str(target)), encoding="utf-8")
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial")
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [sys.executable, "-c", LITE_RUNNER, str(main)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) | {"target": str(target)}


def test_the_functions_come_from_the_embedded_sources(lite):
    assert Path(lite["source"]).is_relative_to(lite["target"])


def test_lite_registers_every_deal_function_under_its_office_name(lite):
    from xlwings.server import custom_functions_meta

    expected = {f["id"]: f["name"] for f in custom_functions_meta(MODULE)["functions"]}
    registered = {f["id"]: f["name"] for f in lite["meta"]["functions"]}
    assert registered == expected
    assert registered["DEAL_SCHEDULE"] == "DEAL.SCHEDULE"
    assert len(registered) == len(deal_functions())


def test_lite_computes_the_brief(lite):
    table = lite["table"]
    assert table[0] == ["period", "start", "end", "revenue", "cumulative"]
    # FY2025 holds 59 of 2557 contract days: 38 × 59 / 2557; runtime 1.2 gets plain serials.
    assert table[1][:3] == ["FY2025", 45658.0, 46022.0]
    assert table[1][3] == pytest.approx(38 * 59 / 2557, rel=1e-12)


def test_main_py_embeds_exactly_the_package_sources(tmp_path: Path):
    # Rule: main.py carries every .py and .csv file of core and addin, keyed by its path
    # relative to the repository, text unchanged, in sorted order; nothing else.
    import ast

    (tmp_path / "core" / "data").mkdir(parents=True)
    (tmp_path / "addin" / "__pycache__").mkdir(parents=True)
    (tmp_path / "workbook").mkdir()
    (tmp_path / "core" / "b.py").write_text("B = 2\n", encoding="utf-8")
    (tmp_path / "core" / "a.py").write_text("A = 'x'\n", encoding="utf-8")
    (tmp_path / "core" / "data" / "deals.csv").write_text("name,value\nx,1\n", encoding="utf-8")
    (tmp_path / "core" / "notes.txt").write_text("not shipped", encoding="utf-8")
    (tmp_path / "addin" / "functions.py").write_text("F = 1\n", encoding="utf-8")
    (tmp_path / "addin" / "__pycache__" / "functions.cpython-311.pyc").write_text("x", encoding="utf-8")
    (tmp_path / "workbook" / "cli.py").write_text("W = 1\n", encoding="utf-8")
    text = build_main(tmp_path)
    # main.py carries the files as a base85 tar.gz passed to _unpack(...): decode it here.
    import base64
    import io
    import tarfile

    archive = next(
        node.value.args[0].value
        for node in ast.parse(text).body
        if isinstance(node, ast.Expr) and getattr(getattr(node.value, "func", None), "id", "") == "_unpack"
    )
    with tarfile.open(fileobj=io.BytesIO(base64.b85decode(archive)), mode="r:gz") as tar:
        files = {m.name: tar.extractfile(m).read().decode("utf-8") for m in tar.getmembers()}
    assert list(files.items()) == [
        ("core/a.py", "A = 'x'\n"),
        ("core/b.py", "B = 2\n"),
        ("core/data/deals.csv", "name,value\nx,1\n"),
        ("addin/functions.py", "F = 1\n"),
    ]


def test_main_py_is_complete():
    files = package_files()
    assert {
        "addin/functions/__init__.py",
        "addin/converters.py",
        "addin/errors.py",
        "core/schedule/__init__.py",
    } <= set(files)
    assert not any("__pycache__" in name for name in files)
    assert REQUIREMENTS.split() == ["xlwings", "numpy", "pandas", "numpy-financial"]


def test_main_py_carries_the_packages_compressed():
    # The sources travel as one compressed archive: main.py stays well under half their size.
    sources = sum(len(text.encode()) for text in package_files().values())
    assert len(build_main().encode()) < sources / 2
    assert "addin/lite.py" not in package_files()  # the build tool itself is not shipped


def test_the_size_the_docs_give_for_main_py_holds():
    # docs/excel.md states main.py's size as a bound; it must hold, and stay a fair figure (the
    # real size above half of it), so the docs never carry a size no test has checked.
    import re

    docs = (Path(__file__).resolve().parents[2] / "docs" / "excel.md").read_text(encoding="utf-8")
    (stated,) = re.findall(r"the whole `main.py` is under (\d+) KB", docs)
    size = len(build_main().encode("utf-8"))
    assert int(stated) * 500 < size < int(stated) * 1000, size


def test_main_py_leaves_out_every_module_that_needs_numba():
    # Pyodide has no numba: the compiled kernel's modules are never imported there, so Lite's
    # main.py leaves them out; a new kernel room must be left out too.
    root = Path(__file__).resolve().parents[2]
    needs_numba = {
        path.relative_to(root).as_posix()
        for path in (root / "core").rglob("*.py")
        if any(
            line.startswith(("import numba", "from numba"))  # at module level: a lazy import is indented
            for line in path.read_text(encoding="utf-8").splitlines()
        )
    }
    assert {"core/simulation/kernel_loop.py", "core/simulation/kernel_economics.py"} <= needs_numba
    shipped = package_files()
    assert needs_numba.isdisjoint(shipped), sorted(needs_numba & set(shipped))
