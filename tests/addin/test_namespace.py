"""Excel names in xlwings Server: ``=DEAL.SCHEDULE`` when the manifest namespace is DEAL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json
import addin.functions as functions
from xlwings.server import custom_functions_meta
meta = custom_functions_meta(functions)
print(json.dumps(sorted(f["name"] for f in meta["functions"])))
"""


def _names(manifest_namespace: str | None) -> list[str]:
    env = dict(os.environ, XLWINGS_ON_SERVER="true", XLWINGS_LICENSE_KEY="noncommercial")
    env.pop("XLWINGS_FUNCTIONS_NAMESPACE", None)
    if manifest_namespace is not None:
        env["XLWINGS_FUNCTIONS_NAMESPACE"] = manifest_namespace
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_lite_and_default_server_names_carry_the_deal_namespace():
    # Lite shows these as they are; a default xlwings Server puts XLWINGS. in front.
    names = _names(None)
    assert "DEAL.SCHEDULE" in names
    assert all(name.startswith("DEAL.") for name in names)


def test_a_server_whose_manifest_namespace_is_deal_gets_no_second_one():
    # The server's manifest adds DEAL., so the module adds none: Excel shows =DEAL.SCHEDULE.
    names = _names("deal")
    assert "SCHEDULE" in names
    assert not any(name.startswith("DEAL.") for name in names)
