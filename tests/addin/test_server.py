"""``dealdesk serve`` over real HTTP, and xlwings Server's own JavaScript client talking to it.

The fixture starts ``dealdesk serve`` (xlwings Server on uvicorn) on a free
loopback port in a child process whose environment configures xlwings Server
the "wrong" way (namespace ``XLWINGS``, environment ``dev``, which would make
Excel show ``=XLWINGS_DEV.DEAL.SCHEDULE``): the command must still serve
``DEAL``. Requests go over HTTP exactly as the Office.js client sends them
(every parameter positional, omitted ones ``null``); then Node runs the
client code the server serves, with only the Office host stubbed
(``server_client.mjs``). Every request has a timeout; the fixture stops the
server.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import xlwings

from addin.server import MANIFEST_ID, REBIND_JS
from tests.addin.officejs import deal_functions
from tests.addin.servers import get, post, served

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FUNCTIONS = deal_functions()

# AWS–OpenAI (the brief): $38B signed 2025-11-03 (Excel serial 45964), 7 years;
# 2557 contract days, 59 of them in calendar 2025.
START = 45964
FY2025 = 38 * 59 / 2557


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    # A user's project configured for another namespace and environment: ignored by serve.
    (folder / ".env").write_text("XLWINGS_FUNCTIONS_NAMESPACE=XLWINGS\nXLWINGS_ENVIRONMENT=dev\n")
    env = dict(
        os.environ,
        XLWINGS_LICENSE_KEY="noncommercial",  # noncommercial test suite (PolyForm Noncommercial)
        XLWINGS_FUNCTIONS_NAMESPACE="XLWINGS",
        XLWINGS_ENVIRONMENT="dev",
        PYTHONPATH=str(ROOT),
    )
    env.pop("XLWINGS_ON_SERVER", None)
    with served([sys.executable, "-m", "workbook.cli", "serve"], folder=folder, env=env) as origin:
        yield origin


@pytest.fixture(scope="module")
def meta(server):
    status, content_type, text = get(server + "/xlwings/custom-functions-meta.json")
    assert status == 200 and "json" in content_type
    return {f["id"]: f for f in json.loads(text)["functions"]}


def _body(meta, function_id: str, *args) -> dict:
    """The body the client posts: every parameter positional, the omitted ones null."""
    count = len(meta[function_id]["parameters"])
    padded = list(args) + [None] * (count - len(args))
    return {
        "client": "Office.js",
        "func_name": function_id.lower(),
        "args": padded,
        "caller_address": "[DealDesk.xlsx]Sheet1!B2",
        "session_id": "0123456789abcdef",
        "culture_info_name": "en-US",
        "date_format": "M/d/yyyy",
        "version": xlwings.__version__,
        "runtime": "1.4",
    }


# --------------------------------------------------------------------------- HTTP


def test_the_server_listens_on_loopback_only_by_default():
    from workbook.cli import build_parser

    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)


@pytest.mark.parametrize(
    ("extra", "code", "message"),
    [
        ([], 1, "xlwings Server needs XLWINGS_LICENSE_KEY: set it to 'noncommercial' for noncommercial use"),
        (["--ssl-certfile", "cert.pem"], 2, "--ssl-certfile and --ssl-keyfile go together"),
    ],
)
def test_serve_refuses_to_start_without_a_licence_key_or_half_a_certificate(extra, code, message, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "XLWINGS_LICENSE_KEY"}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "workbook.cli", "serve", "--port", "1", *extra],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == code
    assert done.stderr.startswith("dealdesk serve: ")
    assert message in done.stderr


def test_manifest_gives_the_deal_namespace_whatever_the_environment_says(server):
    status, _, xml = get(server + "/manifest.xml")
    assert status == 200
    assert re.search(r'<bt:String id="Functions.Namespace" DefaultValue="DEAL" />', xml)
    assert f"<Id>{MANIFEST_ID}</Id>" in xml
    for resource in (
        "taskpane.html",
        "xlwings/custom-functions-code.js",
        "xlwings/custom-functions-meta.json",
    ):
        assert f'DefaultValue="{server}/{resource}"' in xml
    assert "[dev]" not in xml and "XLWINGS" not in re.findall(
        r'Functions.Namespace" DefaultValue="(\w*)"', xml
    )


def test_metadata_names_get_no_second_namespace(meta):
    # Manifest DEAL + metadata SCHEDULE: Excel shows =DEAL.SCHEDULE.
    assert set(meta) == {name.upper() for name in FUNCTIONS}
    assert meta["DEAL_SCHEDULE"]["name"] == "SCHEDULE"
    for function_id, entry in meta.items():
        assert entry["name"] == function_id.removeprefix("DEAL_"), function_id


def test_code_endpoint_associates_every_function(server):
    status, content_type, js = get(server + "/xlwings/custom-functions-code.js")
    assert status == 200 and "javascript" in content_type
    for name in FUNCTIONS:
        assert f'CustomFunctions.associate("{name.upper()}", {name});' in js
    assert f'version: "{xlwings.__version__}"' in js  # placeholders filled in
    assert '"/xlwings/custom-functions-call"' in js


def test_a_call_as_the_client_sends_it(server, meta):
    status, _, text = post(
        server + "/xlwings/custom-functions-call", _body(meta, "DEAL_SCHEDULE", [[38]], [[START]], [[7]])
    )
    assert status == 200, text
    table = json.loads(text)["result"]
    assert table[0] == ["period", "start", "end", "revenue", "cumulative"]
    assert table[1][0] == "FY2025"
    assert table[1][3] == pytest.approx(FY2025, rel=1e-12)
    # runtime 1.4: dates travel as formatted numbers; 2025-01-01 is serial 45658.
    assert table[1][1]["type"] == "FormattedNumber" and table[1][1]["basicValue"] == 45658
    assert sum(row[3] for row in table[1:]) == pytest.approx(38, rel=1e-12)


def test_bad_input_is_a_400_whose_text_names_function_argument_rule_and_value(server, meta):
    status, content_type, text = post(
        server + "/xlwings/custom-functions-call", _body(meta, "DEAL_SCHEDULE", [[38]], [[START]], [[0]])
    )
    assert (status, content_type.split(";")[0]) == (400, "text/plain")
    assert text == "DEAL.SCHEDULE: term_years must be a number > 0 and <= 100, got 0.0"


def test_a_column_for_one_cell_is_reported_as_a_column(server, meta):
    status, _, text = post(
        server + "/xlwings/custom-functions-call", _body(meta, "DEAL_SCHEDULE", [[1], [2]], [[START]], [[7]])
    )
    assert status == 400
    # The column [[1], [2]] is 2 rows x 1 column (xlwings used to hand it over flattened: "1 x 2").
    assert text == "DEAL.SCHEDULE: value must be a single cell, got a range of 2 x 1 cells"


def test_missing_required_argument_is_named(server, meta):
    status, _, text = post(
        server + "/xlwings/custom-functions-call", _body(meta, "DEAL_SCHEDULE", [[38]], [[START]])
    )
    assert status == 400
    assert text.startswith("DEAL.SCHEDULE: term_years")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([[]], r"^DEAL\.SCHEDULE: value is not a range of cells"),
        ([[{"foo": 1}]], r"^DEAL\.SCHEDULE: value \(row 1, column 1\) is a value without type"),
    ],
)
def test_a_malformed_request_gets_a_deal_message_not_a_generic_error(server, meta, value, message):
    # Before xlwings converts anything, the served app checks the request: a malformed argument
    # is a 400 naming the function and the argument (it was "An error occurred.", a 500).
    status, _, text = post(
        server + "/xlwings/custom-functions-call", _body(meta, "DEAL_SCHEDULE", value, [[START]], [[7]])
    )
    assert status == 400
    assert re.match(message, text), text


def test_the_task_pane_loads_the_formula_re_entry_script(server):
    status, _, html = get(server + "/taskpane.html")
    assert status == 200
    assert 'src="/static/js/dealdesk-rebind.js"' in html
    assert 'id="dealdesk-rebind"' in html
    assert html.index("custom-functions-code") < html.index("dealdesk-rebind.js")  # functions first
    status, content_type, js = get(server + "/static/js/dealdesk-rebind.js")
    assert status == 200 and "javascript" in content_type
    assert js == REBIND_JS.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the real client


def by_name(meta, function_id: str, **values) -> list:
    """Positional arguments as Excel passes them: one 2-D cell each, gaps and the tail null."""
    names = [p["name"] for p in meta[function_id]["parameters"]]
    last = max(names.index(name) for name in values)
    return [[[values[name]]] if name in values else None for name in names[: last + 1]]


@pytest.fixture(scope="module")
def client_run(server, meta, tmp_path_factory):
    node = shutil.which("node") or "/usr/bin/node"
    assert Path(node).exists(), "Node.js is needed (bash .ci/setup installs Debian's nodejs)"
    calls = [
        {"id": "DEAL_SCHEDULE", "args": [[[38]], [[START]], [[7]]]},
        {"id": "DEAL_SCHEDULE", "args": [[[38]], [[START]], [[0]]]},
        {
            "id": "DEAL_SCHEDULE",
            "args": by_name(
                meta, "DEAL_SCHEDULE", value=38, start="2025-11-03", term_years=7, frequency="year"
            ),
        },
    ]
    path = tmp_path_factory.mktemp("client") / "calls.json"
    path.write_text(json.dumps(calls))
    done = subprocess.run(
        [node, str(HERE / "server_client.mjs"), server, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_client_registers_every_function(client_run):
    assert client_run["associated"] == sorted(name.upper() for name in FUNCTIONS)
    assert client_run["config"]["onWasm"] is False


def test_the_client_gets_the_schedule(client_run):
    table = client_run["results"][0]["value"]
    assert table[1][0] == "FY2025"
    assert table[1][3] == pytest.approx(FY2025, rel=1e-12)


def test_the_client_shows_bad_input_as_value_error_with_the_message(client_run):
    # What Excel shows: #VALUE! in the cell, the message on the error flag.
    error = client_run["results"][1]["error"]
    assert error == {
        "name": "CustomFunctionsError",
        "code": "#VALUE!",
        "message": "DEAL.SCHEDULE: term_years must be a number > 0 and <= 100, got 0.0",
    }


def test_the_client_passes_text_dates_and_options(client_run):
    assert "value" in client_run["results"][2], client_run["results"][2]
    table = client_run["results"][2]["value"]
    assert [row[0] for row in table[1:]] == [
        "FY2025",
        "FY2026",
        "FY2027",
        "FY2028",
        "FY2029",
        "FY2030",
        "FY2031",
        "FY2032",
    ]
    assert table[1][3] == pytest.approx(FY2025, rel=1e-12)
