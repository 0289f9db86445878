"""The DEAL functions in a user's own xlwings Server project, configured by its files.

xlwings Server reads ``XLWINGS_FUNCTIONS_NAMESPACE`` and
``XLWINGS_ENVIRONMENT`` from the environment, a ``.env`` file or
``pyproject.toml``. ``addin.functions`` takes its own namespace from xlwings
Server's merged settings, so the manifest and the metadata agree however the
project is configured: Excel never shows the namespace twice.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from tests.addin.servers import get, post, served

ROOT = Path(__file__).resolve().parents[2]

CONFIGS = {
    # file, its text, the manifest namespace, the metadata name of deal_schedule
    "pyproject-prod": (
        "pyproject.toml",
        '[tool.xlwings_server]\nfunctions_namespace = "DEAL"\nenvironment = "prod"\n',
        "DEAL",
        "SCHEDULE",
    ),
    "dotenv-dev": (
        ".env",
        "XLWINGS_FUNCTIONS_NAMESPACE=DEAL\nXLWINGS_ENVIRONMENT=dev\n",
        "DEAL_DEV",
        "SCHEDULE",
    ),
    "default": (".env", "XLWINGS_ENVIRONMENT=prod\n", "XLWINGS", "DEAL.SCHEDULE"),
}


@pytest.fixture(scope="module", params=sorted(CONFIGS))
def project(request, tmp_path_factory):
    file, text, manifest, name = CONFIGS[request.param]
    folder = tmp_path_factory.mktemp(request.param)
    (folder / "custom_functions").mkdir()
    (folder / "custom_functions" / "__init__.py").write_text("from addin.functions import *  # noqa: F403\n")
    (folder / "custom_scripts").mkdir()
    (folder / "custom_scripts" / "__init__.py").write_text("")
    (folder / file).write_text(text)
    env = {k: v for k, v in os.environ.items() if not k.startswith("XLWINGS_")}
    env |= {
        "XLWINGS_LICENSE_KEY": "noncommercial",
        "XLWINGS_PROJECT_DIR": str(folder),
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "uvicorn", "xlwings_server.main:main_app", "--host", "127.0.0.1"]
    with served(command, folder=folder, env=env) as origin:
        yield origin, manifest, name


def test_manifest_and_metadata_agree(project):
    origin, manifest, name = project
    xml = get(origin + "/manifest.xml")[2]
    assert re.findall(r'Functions.Namespace" DefaultValue="(\w*)"', xml) == [manifest]
    meta = json.loads(get(origin + "/xlwings/custom-functions-meta.json")[2])
    names = {f["id"]: f["name"] for f in meta["functions"]}
    assert names["DEAL_SCHEDULE"] == name
    # Excel shows manifest.name: DEAL.SCHEDULE, DEAL_DEV.SCHEDULE or XLWINGS.DEAL.SCHEDULE.
    assert f"{manifest}.{name}".count("DEAL") == 1


def test_errors_name_the_function_as_deal_whatever_the_configuration(project):
    origin, _, _ = project
    meta = json.loads(get(origin + "/xlwings/custom-functions-meta.json")[2])
    count = len({f["id"]: f for f in meta["functions"]}["DEAL_SCHEDULE"]["parameters"])
    body = {
        "client": "Office.js",
        "func_name": "deal_schedule",
        "args": [[[38]], [[45964]], [[0]]] + [None] * (count - 3),
        "caller_address": "[Book1]Sheet1!A1",
        "culture_info_name": "en-US",
        "date_format": "M/d/yyyy",
        "version": "0",
        "runtime": "1.4",
    }
    status, _, text = post(origin + "/xlwings/custom-functions-call", body)
    assert (status, text) == (400, "DEAL.SCHEDULE: term_years must be a number > 0 and <= 100, got 0.0")
