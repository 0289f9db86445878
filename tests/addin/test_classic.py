"""The DEAL functions under classic xlwings (Windows COM add-in), without Windows.

``tests/addin/classic_probe.py`` runs in a fresh interpreter with pywin32
stubbed, binds xlwings' classic decorators the way ``xlwings/__init__.py``
does on Windows, imports ``addin.functions`` and reports the VBA module that
xlwings' "Import Functions" would write (``xlwings.udfs.generate_vba_wrapper``).

The VBA is compared with ``tests/addin/golden/vba_wrapper.bas``. After adding
or changing a function, regenerate the golden file and review its diff:

    DEALDESK_REGEN_GOLDEN=1 python -m pytest tests/addin/test_classic.py
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.addin.officejs import deal_functions
from tests.ci import IN_CI

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden" / "vba_wrapper.bas"
FUNCTIONS = deal_functions()


@pytest.fixture(scope="module")
def classic():
    env = {k: v for k, v in os.environ.items() if k not in ("XLWINGS_ON_SERVER", "XLWINGS_LICENSE_KEY")}
    done = subprocess.run(
        [sys.executable, "-m", "tests.addin.classic_probe"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_probe_ran_classic_decorators(classic):
    assert classic["classic"] is True


def test_vba_wrapper_matches_the_golden_file(classic):
    if os.environ.get("DEALDESK_REGEN_GOLDEN") == "1":
        # Regeneration is a developer's explicit act; CI must compare, never rewrite.
        assert not IN_CI, (
            "DEALDESK_REGEN_GOLDEN=1 is set in CI: the golden file would be rewritten, not checked"
        )
        GOLDEN.write_text(classic["vba"], encoding="utf-8", newline="\n")
        pytest.skip(f"regenerated {GOLDEN.name}; review its diff")
    assert classic["vba"] == GOLDEN.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_gets_a_vba_function_under_its_python_name(classic, name):
    # Classic xlwings ignores name= and the namespace: the cell formula is =DEAL_SCHEDULE(...).
    assert classic["functions"][name]["registered_name"] == name
    signature = inspect.signature(FUNCTIONS[name])
    vba_args = ", ".join(
        ("Optional " if p.default is None else "") + p.name for p in signature.parameters.values()
    )
    assert f"Function {name}({vba_args})\n" in classic["vba"]
    assert f"{name} = Err.Description" in classic["vba"]  # errors become the cell's text


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_classic_gets_the_same_help_and_options(classic, name):
    office = FUNCTIONS[name].__xlfunc__
    info = classic["functions"][name]
    assert info["category"] == "DealDesk"
    assert info["doc"] == office["ret"]["doc"]
    assert info["arg_docs"] == [arg["doc"] for arg in office["args"]]
    assert all(len(doc) <= 255 for doc in info["arg_docs"])  # Excel's MacroOptions limit
    assert [o.get("err_to_str") for o in info["arg_options"]] == [True] * len(info["arg_docs"])


def test_classic_errors_carry_the_message_as_com_description(classic):
    # pywin32 copies a COMException's description verbatim into VBA's Err.Description,
    # which the wrapper returns as the cell's value.
    assert classic["error"] == {
        "type": "COMException",
        "description": "DEAL_SCHEDULE: value must be a number >= 0, got -1.0",
    }


def test_without_an_xlwings_runtime_the_functions_are_plain_python():
    # Neither XLWINGS_ON_SERVER nor pywin32: xlwings' decorators are no-ops, which is how a
    # headless formula engine calls the functions. Messages use the template's spelling.
    env = {k: v for k, v in os.environ.items() if k not in ("XLWINGS_ON_SERVER", "XLWINGS_LICENSE_KEY")}
    code = (
        "import addin.functions as f\n"
        "assert not hasattr(f.deal_schedule, '__xlfunc__')\n"
        "print(f.deal_schedule(38, 45964, 7)[1][3])\n"
        "try:\n    f.deal_schedule(-1, 45964, 7)\nexcept Exception as e:\n    print(e)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    revenue, message = done.stdout.splitlines()
    assert float(revenue) == pytest.approx(38 * 59 / 2557, rel=1e-12)  # FY2025: 59 of 2557 days
    assert message == "DEAL.SCHEDULE: value must be a number >= 0, got -1.0"
