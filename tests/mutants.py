"""A mutation check: do the tests notice when the code is wrong?

Each mutant of the list (:mod:`tests.mutant_list`) is one small, deliberate
bug (a flipped comparison, a changed constant, a dropped clause) written as a
text patch of one source line. The script copies the project to a temporary
folder, applies one mutant at a time there (the working tree is never
touched), runs only the tests for that module (plus the module's doctests) and
records whether they failed ("killed") or still passed ("survived"). The score
is killed ÷ applied.

Run from the repository root::

    .venv/bin/python -m tests.mutants                 # every mutant, one at a time
    .venv/bin/python -m tests.mutants --check         # only check that every patch still applies
    .venv/bin/python -m tests.mutants --module core/backlog.py --jobs 2
    .venv/bin/python -m tests.mutants --only B3 R1    # chosen mutants
    .venv/bin/python -m tests.mutants --random 24 --module core/assumptions/  # a sample of one package
    .venv/bin/python -m tests.mutants --list          # the mutants, without running them
    .venv/bin/python -m tests.mutants --new --per-module 12 --seed 27  # a fresh sample of each new module

A mutant whose ``old`` text is no longer found exactly once is reported as
``stale`` (the code moved on; update or drop the entry) and is not scored. When
a module has been moved, the patch is looked for in the other files of its
package. The tests run with ``CI=true`` so property tests are derandomized and
the score is reproducible. The exit status is 1 when the score (or, with
``--per-module``, any module's score) is below ``--target`` (0.9 by default).

The copy holds the files git tracks or would track (``git ls-files --cached
--others --exclude-standard``: nothing ignored, as a clone holds them once
committed), plus a link to the ignored ``.cache/`` that ``bash .ci/setup``
fills (the real Pyodide test reads it): without that link every add-in mutant
would be "killed" by a missing cache rather than by a test. A missing cache is
not hidden: the tests run with ``CI=true``, so a test that needs it fails.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import io
import keyword
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import tokenize
from pathlib import Path

from tests.mutant_list import MUTANTS, NEW_MODULES, TESTS, Mutant

ROOT = Path(__file__).resolve().parents[1]
#: Ignored folders the copy links to (the tests need them; ``bash .ci/setup`` fills them).
LINKED = (".cache",)

#: Comparison and boolean operators and what a mutant swaps them for.
_SWAPS = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "==", "and": "or", "or": "and"}


def module_of(path: str) -> str:
    """The module a file is scored under: its package when the package is one entry of ``TESTS``."""
    for key in TESTS:
        if key.endswith("/") and path.startswith(key):
            return key
    return path


def _test_files(path: str, root: Path = ROOT) -> tuple[str, ...]:
    """Tests for a module: the table ``TESTS``, else ``tests/<package>/test_<module>.py`` if it exists."""
    key = module_of(path)
    if key in TESTS:
        return TESTS[key]
    package, name = path.split("/")[0], Path(path).stem
    candidate = f"tests/{package}/test_{name}.py"
    return (candidate,) if (root / candidate).is_file() else ()


def _bump(number: str) -> str | None:
    """A changed constant: an integer plus one, a float doubled (0 becomes 1)."""
    text = number.replace("_", "").lower()
    if text.startswith(("0x", "0o", "0b")) or text.endswith("j"):
        return None
    if text.isdigit():
        return str(int(text) + 1)
    value = float(text)
    return "1.0" if value == 0 else repr(value * 2)


#: Arithmetic a mutant swaps (a term's sign, a unit multiplied instead of divided).
_ARITHMETIC = {"+": "-", "-": "+", "*": "/", "/": "*"}
#: Tokens after which ``+ - * /`` is a binary operator (not ``*args``, ``-x`` or ``f(*a)``).
_OPERAND_ENDS = {")", "]", "}"}


def _is_operand_end(tok: tokenize.TokenInfo | None) -> bool:
    if tok is None:
        return False
    if tok.type == tokenize.NAME:
        return not keyword.iskeyword(tok.string) or tok.string in ("True", "False", "None")
    return tok.type in (tokenize.NUMBER, tokenize.STRING) or (
        tok.type == tokenize.OP and tok.string in _OPERAND_ENDS
    )


def _files_of(module: str | None) -> list[Path]:
    """The source files of ``module`` (a file, or a package ending in "/"), else of every tested module."""
    if module:
        target = ROOT / module
        return sorted(target.rglob("*.py")) if module.endswith("/") else [target]
    files = []
    for package in ("core", "addin", "workbook"):
        files += sorted((ROOT / package).rglob("*.py"))
    return [f for f in files if _test_files(f.relative_to(ROOT).as_posix())]


def candidate_mutants(file: Path, root: Path = ROOT) -> dict[str, list[Mutant]]:
    """Every one-token mutant of ``file``, by kind: ``compare`` (a comparison or ``and``/``or``
    swapped: a boundary moved, a condition loosened), ``arithmetic`` (``+``/``-``, ``*``/``/``:
    a term's sign, a unit confused), ``number`` (a constant changed: a limit, a unit, an index)
    and ``key`` (a column or key read under the file's next subscript name: a wrong key).

    Numbers are changed only in ``core`` and the add-in's converters (elsewhere they are mostly
    layout: column widths, font sizes). Each patch is widened line by line until it is unique.
    """
    rel = file.relative_to(root).as_posix()
    text = file.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(text).readline)
        if t.type not in (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)
    ]
    subscript = [
        k
        for k in range(1, len(tokens) - 1)
        if tokens[k].type == tokenize.STRING
        and tokens[k - 1].string == "["
        and tokens[k + 1].string == "]"
        and tokens[k].string[:1] in "\"'"
    ]
    keys = sorted({tokens[k].string for k in subscript})
    numbers_here = rel.startswith("core/") or rel == "addin/converters.py"
    pools: dict[str, list[Mutant]] = {"compare": [], "arithmetic": [], "number": [], "key": []}
    for k, tok in enumerate(tokens):
        before = tokens[k - 1] if k else None
        after = tokens[k + 1] if k + 1 < len(tokens) else None
        if tok.type in (tokenize.OP, tokenize.NAME) and tok.string in _SWAPS:
            kind, replacement = "compare", _SWAPS[tok.string]
        elif (
            tok.type == tokenize.OP
            and tok.string in _ARITHMETIC
            and _is_operand_end(before)
            and after is not None
            and after.string not in ("=", ")")
        ):
            kind, replacement = "arithmetic", _ARITHMETIC[tok.string]
        elif tok.type == tokenize.NUMBER and numbers_here:
            kind, replacement = "number", _bump(tok.string)
        elif k in subscript and len(keys) > 1:
            kind, replacement = "key", keys[(keys.index(tok.string) + 1) % len(keys)]
        else:
            continue
        (row, col), (end_row, end_col) = tok.start, tok.end
        if replacement is None or row != end_row:
            continue
        line = lines[row - 1]
        old, new, n = line, line[:col] + replacement + line[end_col:], row
        while text.count(old) != 1 and n < len(lines):  # widen until the patch is unique
            old, new, n = old + lines[n], new + lines[n], n + 1
        if text.count(old) == 1:
            name = rel.removesuffix(".py").split("/", 1)[1]
            what = f"line {row}: {tok.string} -> {replacement}"
            pools[kind].append(Mutant(f"{name}:{row}:{col}", rel, old, new, what))
    return pools


def random_mutants(count: int, seed: int, module: str | None = None) -> list[Mutant]:
    """A fresh sample of ``count`` one-token mutants drawn at random (with ``seed``).

    The kinds of :func:`candidate_mutants` take turns (each pool shuffled with ``seed``), so a
    sample mixes moved boundaries, swapped arithmetic, changed constants and wrong keys. Only
    modules with tests are sampled; with ``module`` (a file or a package ending in "/"), only it.
    """
    pools: dict[str, list[Mutant]] = {}
    for file in _files_of(module):
        for kind, found in candidate_mutants(file).items():
            pools.setdefault(kind, []).extend(found)
    rng = random.Random(seed)
    order = [kind for kind in ("compare", "arithmetic", "number", "key") if pools.get(kind)]
    for kind in order:
        rng.shuffle(pools[kind])
    chosen: list[Mutant] = []
    while len(chosen) < count and any(pools[kind] for kind in order):
        for kind in order:
            if pools[kind] and len(chosen) < count:
                chosen.append(pools[kind].pop())
    return chosen


def _locate(root: Path, mutant: Mutant) -> tuple[Path, str] | str:
    """The file holding ``mutant.old`` exactly once and its text, or why it cannot be applied."""
    first = root / mutant.path
    candidates = [first] if first.is_file() else []
    package = root / mutant.path.split("/")[0]
    candidates += [p for p in sorted(package.rglob("*.py")) if p != first and "__pycache__" not in p.parts]
    for path in candidates:
        text = path.read_text(encoding="utf-8")
        count = text.count(mutant.old)
        if count == 1:
            return path, text
        if count > 1:
            return f"stale: the patch matches {count} places in {path.relative_to(root)}"
    return "stale: the patch no longer matches the code"


def _tests_for(root: Path, mutant: Mutant, where: Path) -> list[str]:
    tests = [t for t in _test_files(mutant.path, root) if (root / t).exists()]
    return [*tests, str(where.relative_to(root))]  # the module's doctests too


def tracked_files(root: Path = ROOT) -> list[str]:
    """The files git tracks or would track (not ignored): what a clone holds once they are committed."""
    command = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    out = subprocess.run(command, cwd=root, capture_output=True, check=True).stdout
    return [name for name in out.decode("utf-8").split("\0") if name]


def copy_tree(target: Path, root: Path = ROOT) -> Path:
    """A copy of the tracked files of ``root`` in ``target``, with links to its ``LINKED`` folders."""
    for name in tracked_files(root):
        source = root / name
        if source.is_file():  # a tracked file deleted in the working tree is not copied
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for name in LINKED:
        if (root / name).exists():
            (target / name).symlink_to((root / name).resolve(), target_is_directory=True)
    return target


def _pytest(root: Path, paths: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CI": "true", "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-m", "not slow", *paths]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=timeout)


def _baseline(root: Path, mutants: list[Mutant], timeout: float) -> None:
    """Run every test file the mutants use on the unmutated copy: a mutant only counts against green tests."""
    paths: list[str] = []
    for m in mutants:
        found = _locate(root, m)
        if not isinstance(found, str):
            paths += [p for p in _tests_for(root, m, found[0]) if p not in paths]
    if paths:
        proc = _pytest(root, paths, timeout)
        if proc.returncode != 0:
            tail = "\n".join(proc.stdout.strip().splitlines()[-15:])
            raise SystemExit(f"the tests fail without any mutant; fix them first:\n{tail}")


def _run_one(root: Path, mutant: Mutant, timeout: float) -> dict[str, object]:
    found = _locate(root, mutant)
    if isinstance(found, str):
        return {"id": mutant.id, "status": found, "seconds": 0.0}
    path, text = found
    started = time.monotonic()
    path.write_text(text.replace(mutant.old, mutant.new), encoding="utf-8")
    try:
        proc = _pytest(root, _tests_for(root, mutant, path), timeout)
        if proc.returncode == 0:
            status = "survived"
        elif proc.returncode == 1:
            status = "killed"
        else:  # 2-5: the run itself broke (collection error: the mutant does not even import)
            status = "killed (error)"
    except subprocess.TimeoutExpired:
        status = "killed (timeout)"
    finally:
        path.write_text(text, encoding="utf-8")
    return {"id": mutant.id, "status": status, "seconds": time.monotonic() - started}


def run(mutants: list[Mutant], *, jobs: int = 1, timeout: float = 600.0) -> list[dict[str, object]]:
    """Apply each mutant in its own copy of the project and run its tests; one result dict per mutant."""
    with tempfile.TemporaryDirectory(prefix="dealdesk-mutants-") as tmp:
        roots = [copy_tree(Path(tmp) / f"copy{k}") for k in range(max(1, jobs))]
        _baseline(roots[0], mutants, timeout)
        free = list(roots)
        results: dict[str, dict[str, object]] = {}

        def work(mutant: Mutant) -> dict[str, object]:
            root = free.pop()
            try:
                return _run_one(root, mutant, timeout)
            finally:
                free.append(root)

        with cf.ThreadPoolExecutor(max_workers=len(roots)) as pool:
            for result in pool.map(work, mutants):
                results[str(result["id"])] = result
                m = next(m for m in mutants if m.id == result["id"])
                print(
                    f"{m.id:>5} {result['status']:<18} {float(result['seconds']):6.1f}s  {m.path}: {m.what}",
                    flush=True,
                )
    return [results[m.id] for m in mutants]


def summary(mutants: list[Mutant], results: list[dict[str, object]]) -> dict[str, tuple[int, int, list[str]]]:
    """Per module: (killed, applied, survivors' ids); stale mutants are not scored."""
    out: dict[str, tuple[int, int, list[str]]] = {}
    for m, r in zip(mutants, results, strict=True):
        status = str(r["status"])
        if status.startswith("stale"):
            continue
        killed, applied, survived = out.get(module_of(m.path), (0, 0, []))
        out[module_of(m.path)] = (
            killed + status.startswith("killed"),
            applied + 1,
            survived + ([m.id] if status == "survived" else []),
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutants", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", metavar="ID", help="run only these mutants")
    parser.add_argument(
        "--random",
        type=int,
        metavar="N",
        help="instead of the list, a fresh sample of N random one-token mutants",
    )
    parser.add_argument(
        "--per-module",
        type=int,
        metavar="N",
        help="instead of the list, a fresh sample of N random mutants of each module (with --new or --module)",
    )
    parser.add_argument(
        "--new", action="store_true", help="the modules written last: " + ", ".join(NEW_MODULES)
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the random samples (default 0)")
    parser.add_argument(
        "--module", nargs="+", help="only the mutants of these modules, e.g. core/backlog.py core/exposure/"
    )
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once (default 1)")
    parser.add_argument(
        "--timeout", type=float, default=600.0, help="seconds before a test run counts as a hang"
    )
    parser.add_argument("--target", type=float, default=0.9, help="score below which the exit status is 1")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--check", action="store_true", help="only check that each patch applies")
    args = parser.parse_args(argv)

    modules = list(args.module or ()) + (list(NEW_MODULES) if args.new else [])
    if args.per_module:
        source = [
            m for module in modules or NEW_MODULES for m in random_mutants(args.per_module, args.seed, module)
        ]
    elif args.random:
        source = [m for module in modules or [None] for m in random_mutants(args.random, args.seed, module)]
    else:
        source = list(MUTANTS)
    chosen = [
        m
        for m in source
        if (not args.only or m.id in args.only)
        and (not modules or m.path in modules or module_of(m.path) in modules)
    ]
    if args.list or args.check:
        bad = 0
        for m in chosen:
            found = _locate(ROOT, m)
            state = found if isinstance(found, str) else f"applies to {found[0].relative_to(ROOT)}"
            bad += isinstance(found, str)
            print(f"{m.id:>5}  {m.path}: {m.what}" + (f"  [{state}]" if args.check else ""))
        return 1 if args.check and bad else 0

    results = run(chosen, jobs=args.jobs, timeout=args.timeout)
    applied = [r for r in results if not str(r["status"]).startswith("stale")]
    killed = [r for r in applied if str(r["status"]).startswith("killed")]
    survived = [r["id"] for r in applied if r["status"] == "survived"]
    stale = [r["id"] for r in results if str(r["status"]).startswith("stale")]
    score = len(killed) / len(applied) if applied else 0.0
    per_module = summary(chosen, results)
    print("\nper module (killed of applied):")
    for module, (k, n, left) in per_module.items():
        print(
            f"  {module:<24} {k:>3} of {n:<3} {k / n:5.0%}"
            + (f"  survived: {', '.join(left)}" if left else "")
        )
    print(
        f"\nmutation score: {len(killed)} of {len(applied)} killed ({score:.0%}); "
        f"survived: {', '.join(map(str, survived)) or 'none'}; stale: {', '.join(map(str, stale)) or 'none'}"
    )
    low = [module for module, (k, n, _) in per_module.items() if args.per_module and k / n < args.target]
    return 0 if score >= args.target and not low else 1


if __name__ == "__main__":
    raise SystemExit(main())
