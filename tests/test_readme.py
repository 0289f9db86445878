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


#: Lines of a screen: a laptop's terminal or a browser window shows about this many.
SCREEN_LINES = 40


def _section(title: str) -> str:
    return README.split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def test_quick_start_and_tour_fit_on_two_screens():
    start = README.index("## Quick start")
    end = README.index("\n## ", README.index("## A five-minute tour"))
    assert len(README[start:end].splitlines()) <= 2 * SCREEN_LINES


def test_the_tour_shows_page_one_and_says_how_to_redraw_it():
    import struct

    tour = _section("A five-minute tour")
    assert "![Page one of the AWS–OpenAI report](docs/page-one.png)" in tour
    data = (ROOT / "docs" / "page-one.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 1_200 and width > height  # A4 landscape at a resolution its text reads at
    command = re.search(r"\(Regenerate the picture: `(.+?)`\.\)", tour)
    assert command is not None and "pdftoppm -r 130 -png -f 1 -l 1 -singlefile" in command.group(1)
    assert command.group(1).endswith("docs/page-one")


def test_the_tours_commands_exist():
    from workbook.cli import build_parser

    commands = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    used = set(re.findall(r"dealdesk (\w+)", _section("A five-minute tour")))
    assert used and used <= commands, used - commands


def test_every_documentation_link_exists():
    links = re.findall(r"\]\((docs/[^)#]+)\)", README)
    assert links and all((ROOT / link).is_file() for link in links), links
