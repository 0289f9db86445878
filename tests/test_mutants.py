"""The mutation check's own logic (tests/mutants.py): which mutants it makes, how it samples, what it copies.

The mutation run itself is a script, never collected by pytest; this only checks its pieces on a tiny
project made here.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests import mutants

SOURCE = """\
def f(a, *args, **kw):
    x = -a
    if a["low"] < 2 and kw["high"]:
        return a * 3 + x
    return f(*args)
"""


def _project(tmp_path: Path) -> Path:
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "m.py").write_text(SOURCE, encoding="utf-8")
    return tmp_path


def test_each_kind_of_mutant_and_none_that_cannot_run(tmp_path):
    root = _project(tmp_path)
    pools = mutants.candidate_mutants(root / "core" / "m.py", root)
    what = {kind: sorted(m.what for m in found) for kind, found in pools.items()}
    assert what["compare"] == ["line 3: < -> <=", "line 3: and -> or"]
    # Binary + and * only: not *args, **kw, -a (unary) or f(*args).
    assert what["arithmetic"] == ["line 4: * -> /", "line 4: + -> -"]
    assert what["number"] == ["line 3: 2 -> 3", "line 4: 3 -> 4"]
    assert what["key"] == ['line 3: "high" -> "low"', 'line 3: "low" -> "high"']
    for found in pools.values():
        for m in found:
            assert SOURCE.count(m.old) == 1
            compile(SOURCE.replace(m.old, m.new), "m.py", "exec")  # every mutant still runs


def test_numbers_are_changed_only_in_core_and_the_converters(tmp_path):
    (tmp_path / "workbook").mkdir()
    (tmp_path / "workbook" / "w.py").write_text("WIDTH = 12\n", encoding="utf-8")
    assert mutants.candidate_mutants(tmp_path / "workbook" / "w.py", tmp_path)["number"] == []


def test_a_sample_is_the_same_for_a_seed_and_takes_turns_between_kinds():
    first = mutants.random_mutants(8, 5, "core/margin.py")
    assert first == mutants.random_mutants(8, 5, "core/margin.py")
    assert first != mutants.random_mutants(8, 6, "core/margin.py")
    kinds = [m.what for m in first[:4]]
    assert any(
        " < " in w or " > " in w or " == " in w or " != " in w or " and " in w or " or " in w for w in kinds
    )
    assert all(m.path == "core/margin.py" for m in first) and len(first) == 8


def test_a_package_of_rooms_is_one_module_with_shared_tests():
    assert mutants.module_of("core/exposure/shortfall.py") == "core/exposure/"
    assert mutants.module_of("core/margin.py") == "core/margin.py"
    assert "tests/core/test_exposure_rules.py" in mutants._test_files("core/exposure/funding.py")
    sample = mutants.random_mutants(6, 1, "core/exposure/")
    assert {mutants.module_of(m.path) for m in sample} == {"core/exposure/"}


def test_the_copy_holds_the_tracked_files_and_links_the_cache(tmp_path):
    repo = tmp_path / "repo"
    (repo / "core").mkdir(parents=True)
    (repo / "core" / "a.py").write_text("A = 1\n", encoding="utf-8")
    (repo / "new.py").write_text("B = 2\n", encoding="utf-8")  # not committed, not ignored: copied
    (repo / ".gitignore").write_text(".cache/\nbuild/\n", encoding="utf-8")
    (repo / "build").mkdir()
    (repo / "build" / "junk.txt").write_text("x", encoding="utf-8")
    (repo / ".cache" / "pyodide").mkdir(parents=True)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "core/a.py", ".gitignore"], cwd=repo, check=True)
    copy = mutants.copy_tree(tmp_path / "copy", repo)
    assert (copy / "core" / "a.py").read_text(encoding="utf-8") == "A = 1\n"
    assert (copy / "new.py").exists()
    assert not (copy / "build").exists()
    assert (copy / ".cache").is_symlink() and (copy / ".cache" / "pyodide").is_dir()


def test_the_summary_counts_each_module_and_leaves_stale_mutants_out():
    a = mutants.Mutant("a", "core/exposure/funding.py", "x", "y", "")
    b = mutants.Mutant("b", "core/exposure/shortfall.py", "x", "y", "")
    c = mutants.Mutant("c", "core/margin.py", "x", "y", "")
    d = mutants.Mutant("d", "core/margin.py", "x", "y", "")
    results = [
        {"status": "killed"},
        {"status": "survived"},
        {"status": "killed (error)"},
        {"status": "stale: gone"},
    ]
    assert mutants.summary([a, b, c, d], results) == {
        "core/exposure/": (1, 2, ["b"]),
        "core/margin.py": (1, 1, []),
    }
