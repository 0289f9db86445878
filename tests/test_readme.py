"""README stays true: its two quick-start commands, CI running the test one, and every DEAL function listed."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_quick_start_gives_one_report_command_and_one_test_command():
    assert _quick_start_commands() == [
        "bash .ci/setup && .venv/bin/dealdesk report",
        "bash .ci/setup && .venv/bin/python -m pytest",
    ]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _quick_start_commands()[1] in ci.splitlines()


def test_every_deal_function_is_listed():
    import addin.functions as functions

    names = sorted(
        n
        for n in dir(functions)
        if n.startswith("deal_") and getattr(getattr(functions, n), "__module__", None) == functions.__name__
    )
    assert names, "no DEAL functions found"
    missing = [n for n in names if f"`DEAL.{n.removeprefix('deal_').upper()}`" not in README]
    assert missing == []


def test_no_placeholder_left():
    assert "BENCH_TABLE" not in README
