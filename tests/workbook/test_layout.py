"""The rooms of workbook/: no import cycle (function-level imports included), no private helper shared."""

from __future__ import annotations

import ast
from pathlib import Path

WORKBOOK = Path(__file__).resolve().parents[2] / "workbook"


def _module(path: Path) -> str:
    parts = path.relative_to(WORKBOOK.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, list[tuple[str, list[str]]]]:
    """Module -> [(imported workbook module, names imported)] from every import statement in it."""
    found: dict[str, list[tuple[str, list[str]]]] = {}
    for path in sorted(WORKBOOK.rglob("*.py")):
        here = _module(path)
        edges = found.setdefault(here, [])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("workbook"):
                edges.append((node.module, [a.name for a in node.names]))
            elif isinstance(node, ast.Import):
                edges += [(a.name, []) for a in node.names if a.name.startswith("workbook")]
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of the graph, or [] (depth-first search)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, edges in _imports().items():
        # A module of a package always loads its package first: that edge is not a dependency.
        graph[module] = {t for t, _ in edges if t != module and not module.startswith(t + ".")}
    return graph


def test_no_import_cycle_in_workbook() -> None:
    assert _cycle(_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_cli_report_and_batch_do_not_import_each_other_back() -> None:
    graph = _graph()
    for module in graph:
        if module.startswith(("workbook.report", "workbook.batch", "workbook.evaluate", "workbook.sources")):
            assert "workbook.cli" not in graph[module], module
    assert not any(
        t.startswith("workbook.batch") for m in graph if m.startswith("workbook.report") for t in graph[m]
    )


def test_no_private_helper_is_imported_across_modules() -> None:
    shared = [
        f"{module} imports {name} from {target}"
        for module, edges in _imports().items()
        for target, names in edges
        for name in names
        if name.startswith("_") and target != module
    ]
    assert shared == []


def test_the_report_is_split_into_rooms() -> None:
    rooms = {p.stem for p in (WORKBOOK / "report").glob("*.py")}
    assert {"build", "charts", "checks", "labels", "layout", "summary"} <= rooms
    assert not (WORKBOOK / "report.py").exists()
    longest = max(len(p.read_text(encoding="utf-8").splitlines()) for p in (WORKBOOK / "report").glob("*.py"))
    assert longest < 700


def test_one_number_format_table() -> None:
    # Number formats are spelt only in workbook/styles.py; every other module looks them up there.
    import re

    spelt = re.compile(r"#,##0|0\.0+%|\"0%\"|yyyy-mm-dd")
    found = [
        f"{p.relative_to(WORKBOOK).as_posix()}:{i}"
        for p in sorted(WORKBOOK.rglob("*.py"))
        if p.name != "styles.py"
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if spelt.search(line)
    ]
    assert found == []
