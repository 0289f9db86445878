"""Which part of the add-in supplies ``DEAL``: xlwings Server's manifest or the module itself.

Excel shows ``<manifest namespace>.<module namespace>.<NAME>``; the manifest
namespace is xlwings Server's ``functions_namespace`` in capitals plus
``_<ENVIRONMENT>`` outside ``prod`` (its manifest template).
"""

from __future__ import annotations

import sys
import types

import pytest
import xlwings

from addin import server
from addin.errors import excel_errors, excel_name


@pytest.fixture
def clean(monkeypatch):
    monkeypatch.delenv("XLWINGS_FUNCTIONS_NAMESPACE", raising=False)
    monkeypatch.delenv("XLWINGS_ENVIRONMENT", raising=False)
    monkeypatch.delitem(sys.modules, "xlwings_server.config", raising=False)
    return monkeypatch


def _settings(monkeypatch, namespace, environment):
    config = types.ModuleType("xlwings_server.config")
    config.settings = types.SimpleNamespace(functions_namespace=namespace, environment=environment)
    monkeypatch.setitem(sys.modules, "xlwings_server.config", config)


@pytest.mark.parametrize(
    ("namespace", "environment", "manifest", "module"),
    [
        (None, None, "", "DEAL"),  # xlwings Lite, tests: no manifest namespace
        ("deal", None, "DEAL", ""),  # environment defaults to prod
        ("DEAL", "prod", "DEAL", ""),
        (" Deal ", "PROD", "DEAL", ""),
        ("DEAL", "dev", "DEAL_DEV", ""),  # =DEAL_DEV.SCHEDULE, never =DEAL_DEV.DEAL.SCHEDULE
        ("XLWINGS", "prod", "XLWINGS", "DEAL"),  # =XLWINGS.DEAL.SCHEDULE
        ("DEALER", "prod", "DEALER", "DEAL"),  # starts with DEAL but is another namespace
        ("", "dev", "DEV", "DEAL"),
        ("", "prod", "", "DEAL"),
    ],
)
def test_namespace_from_the_environment(clean, namespace, environment, manifest, module):
    if namespace is not None:
        clean.setenv("XLWINGS_FUNCTIONS_NAMESPACE", namespace)
    if environment is not None:
        clean.setenv("XLWINGS_ENVIRONMENT", environment)
    assert server.manifest_namespace() == manifest
    assert server.module_namespace() == module


def test_xlwings_servers_own_settings_win_over_the_environment(clean):
    # xlwings Server merges the environment, .env and pyproject.toml: its result is what the manifest shows.
    clean.setenv("XLWINGS_FUNCTIONS_NAMESPACE", "XLWINGS")
    _settings(clean, "DEAL", "prod")
    assert (server.manifest_namespace(), server.module_namespace()) == ("DEAL", "")
    _settings(clean, "DEAL", "qa")
    assert (server.manifest_namespace(), server.module_namespace()) == ("DEAL_QA", "")
    _settings(clean, "XLWINGS", "prod")
    assert (server.manifest_namespace(), server.module_namespace()) == ("XLWINGS", "DEAL")


def test_dealdesk_serve_fixes_the_settings_that_decide_the_name(tmp_path):
    settings = server.server_settings(tmp_path)
    assert settings["XLWINGS_FUNCTIONS_NAMESPACE"] == "DEAL"
    assert settings["XLWINGS_ENVIRONMENT"] == "prod"
    assert settings["XLWINGS_PROJECT_DIR"] == str(tmp_path)


def test_messages_name_deal_when_the_manifest_supplies_the_namespace():
    module = types.ModuleType("dealdesk_manifest_probe")
    module.__xlwings_func_namespace__ = ""  # the server's manifest says DEAL
    module.EXCEL_NAMESPACE = "DEAL"

    def deal_probe(x):
        """Probe."""
        return x

    deal_probe.__module__ = module.__name__
    sys.modules[module.__name__] = module
    try:
        wrapped = xlwings.func(name="PROBE")(excel_errors(deal_probe))
        assert excel_name(wrapped) == "DEAL.PROBE"
    finally:
        sys.modules.pop(module.__name__, None)
