"""``dealdesk serve`` against a second round of hostile requests, over real loopback HTTP.

The guard of ``test_server_guard.py`` held against traversal spellings (overlong
UTF-8, ``%25252e``, ``..;``, fullwidth dots), Host spellings, smuggling shapes
(both ``Content-Length`` and ``Transfer-Encoding``, huge chunk sizes) and
cross-site simple requests. Each case here is one that still got through:

* a route DealDesk does not use (xlwings Server's task-pane scripts) answered
  500 and wrote a traceback to the log, for any script name, and accepts a form
  post any web page can send;
* the protocol's ``runtime``, ``date_format`` and ``culture_info_name`` of the
  wrong type, or no ``runtime``, gave ``unexpected error (KeyError: 'runtime')``;
* a JSON integer larger than a cell holds gave ``unexpected error
  (OverflowError: int too large to convert to float)``;
* one ``DEAL.SENSITIVITY`` call of two 1,000-cell ranges (each within the
  10,000-cell range limit) took the server to 2.5 GB, and two grids of IRRs
  made a ``DEAL.SCHEDULE`` call wait 38 s;
* a ``Host`` with a port of more than five digits was accepted, and the
  manifest then named another port.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
import urllib.parse

import pytest

from tests.addin.servers import served
from tests.addin.test_server_guard import NEEDS_PROC, Server, _env, call_body, exchange, get, post

CALL = "/xlwings/custom-functions-call"
BOOK = {"version": "0.0", "book": {"name": "x.xlsx", "active_sheet_index": 0, "selection": "A1"}}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    processes: list = []
    command = [sys.executable, "-m", "workbook.cli", "serve"]
    with served(command, folder=folder, env=_env(), processes=processes) as origin:
        yield Server(origin, processes[0], folder)


def _light_seconds(server) -> float:
    """How long a light DEAL call takes on this machine now (the yardstick for "not held up")."""
    start = time.monotonic()
    status, body = post(server.port, call_body("deal_schedule", [[38]], [[45964]], [[7]]))
    assert status == 200, body
    return time.monotonic() - start


# --------------------------------------------------------------------------- routes DealDesk does not use


@pytest.mark.parametrize("name", ["hello", "__class__", "__loader__"])
@pytest.mark.parametrize("kind", ["application/json", "application/x-www-form-urlencoded"])
def test_the_task_pane_script_route_is_not_served(server, name, kind):
    # Before: 500 "An error occurred." and a 90-line traceback in the log for every name; a form post
    # (a "simple" request, which any web page may send without asking) reached it too.
    data = json.dumps(BOOK)
    body = data if kind == "application/json" else "bookData=" + urllib.parse.quote(data)
    status, answer = post(server.port, body.encode(), path=f"/xlwings/custom-scripts-call/{name}", kind=kind)
    assert (status, answer) == (404, b"Not Found\n")
    assert "Traceback" not in server.log()


def test_the_alert_page_is_not_served(server):
    # Before: 200 and an HTML page on the server's own origin showing any title and text in the
    # link (xlwings Server's dialog for task-pane scripts, which DealDesk has none of).
    query = "prompt=Session%20expired&title=Sign%20in%20at%20evil.example&buttons=ok&mode=info&callback=x"
    status, answer, _ = get(server.port, f"/xlwings/alert?{query}")
    assert (status, answer) == (404, b"Not Found\n")


def test_the_routes_dealdesk_uses_are_still_served(server):
    assert get(server.port, "/xlwings/custom-scripts-meta")[:2] == (200, b"[]")
    assert get(server.port, "/xlwings/custom-functions-meta")[0] == 200


# --------------------------------------------------------------------------- the protocol's other fields


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"runtime": None},
            "the request has no 'runtime' (the Office.js API version, such as '1.4') as text",
        ),
        ({"runtime": 1.4}, "the request has no 'runtime' (the Office.js API version, such as '1.4') as text"),
        (
            {"runtime": "x" * 5000},
            "'runtime' must be the Office.js API version, such as '1.4', got 'xxxxxxxx",
        ),
        ({"runtime": "1.4.1"}, "'runtime' must be the Office.js API version, such as '1.4', got '1.4.1'"),
        ({"date_format": 7}, "the request has no 'date_format' (Excel's date format) as text"),
        ({"date_format": ["d"]}, "the request has no 'date_format' (Excel's date format) as text"),
        (
            {"date_format": "TT.MM.JJJJ", "culture_info_name": 7},
            "the request has no 'culture_info_name' (Excel's language, such as 'en-US') as text",
        ),
    ],
)
def test_the_protocol_fields_of_the_wrong_type_are_a_400_naming_the_field(server, fields, message):
    # Before: "unexpected error (KeyError: 'runtime')", "(AttributeError: 'int' object has no attribute
    # 'lower')" or "(ValueError: could not convert string to float: 'xxxx...')".
    status, answer = post(server.port, call_body("deal_schedule", [[38]], [[45964]], [[7]], **fields))
    text = answer.decode()
    assert status == 400 and text.startswith("DEAL.SCHEDULE: ") and message in text
    assert "unexpected" not in text and "Error" not in text and len(text) < 300


def test_a_call_without_date_format_or_language_is_still_answered(server):
    body = call_body("deal_schedule", [[38]], [[45964]], [[7]], date_format=None, culture_info_name=None)
    status, answer = post(server.port, body)
    assert status == 200 and json.loads(answer)["result"][1][1] == 45658  # 2025-01-01, FY2025's start


@pytest.mark.parametrize(
    ("function", "args", "argument"),
    [
        ("deal_schedule", "[[[1{zeros}]],[[45964]],[[7]]]", "value"),
        ("deal_hedge_ratio", "[[[1],[-1{zeros}]],[[1],[2]]]", "long_returns"),
        ("deal_npv_irr", "[[[38]],[[45964]],[[7]],[[-1{zeros}]]]", "capex"),
    ],
)
def test_an_integer_larger_than_a_cell_holds_is_a_400_naming_the_cell(server, function, args, argument):
    # JSON has integers of any size; a cell holds at most about 1.8e308. Before: "unexpected error
    # (OverflowError: int too large to convert to float); please report it with the inputs".
    zeros = "0" * 400
    head = call_body(function).decode().replace('"args": []', '"args": ' + args.format(zeros=zeros))
    status, answer = post(server.port, head.encode())
    text = answer.decode()
    assert status == 400, text
    assert f"{argument} (row " in text and "is a number of 401 digits, beyond what a cell holds" in text
    assert "Overflow" not in text and "unexpected" not in text


def test_a_number_at_the_largest_a_cell_holds_is_read_as_a_number(server):
    # 1.7976931348623157e308 is the largest double: still a number (refused by the function's own rule).
    largest = str(int(sys.float_info.max))
    body = (
        call_body("deal_schedule").decode().replace('"args": []', f'"args": [[[{largest}]],[[45964]],[[7]]]')
    )
    status, answer = post(server.port, body.encode())
    assert status in (200, 400) and b"beyond what a cell holds" not in answer


# --------------------------------------------------------------------------- arrays in a call


@NEEDS_PROC
def test_calls_of_a_million_empty_arrays_are_refused_before_they_are_parsed(server):
    # 1,300,000 empty arrays are 3.9 MB of JSON, under the 4,000,000-byte body limit. Before: each
    # was parsed twice on the event loop (the guard's check, then xlwings Server's), about a second
    # and 95 MB each time, before the range limit refused it; twenty such calls at once held every
    # other request 45 s and took the server to 1.9 GB. The most a real call holds is
    # 2 + 26 * (1 + 2 * 10,000) = 520,028 arrays and objects (see test_server_rules.py).
    body = (
        '{"func_name":"deal_schedule","runtime":"1.4","args":[[' + ",".join(["[]"] * 1_300_000) + "]]}"
    ).encode()
    assert len(body) < 4_000_000
    peak_before = server.memory_peak_kb()
    answers: list = []
    calls = [threading.Thread(target=lambda: answers.append(post(server.port, body))) for _ in range(6)]
    for call in calls:
        call.start()
    for call in calls:
        call.join()
    refused = (
        b"Bad Request: a custom-function call holds at most 520,028 arrays and objects (two per cell of "
        b"the DEAL function with the most arguments, each a range of MAX_RANGE_CELLS cells), "
        b"got 1,300,003\n"  # the call, its args, one argument and its 1,300,000 rows
    )
    assert answers == [(400, refused)] * 6
    assert server.memory_peak_kb() - peak_before < 100_000  # kB: the six bodies themselves are 23 MB


# --------------------------------------------------------------------------- grids of model runs


def _sensitivity(rows: int, cols: int, output: str = "npv") -> bytes:
    return call_body(
        "deal_sensitivity",
        [["contract_value", 38]],
        [[output]],
        [["price_per_gpu_hour"]],
        [[2.0 + k / 1000] for k in range(rows)],
        [["realisation"]],
        [[0.5 + k / (2 * cols) for k in range(cols)]],
    )


@NEEDS_PROC
def test_a_sensitivity_grid_over_the_cell_limit_is_refused_before_it_is_built(server):
    # Before: two ranges of 1,000 cells (each well within the 10,000-cell range limit) made a
    # 1,000,000-cell grid: 19 s and a server peak of 2.5 GB; 10,000 x 10,000 would have needed 250 GB.
    peak_before = server.memory_peak_kb()
    start = time.monotonic()
    status, answer = post(server.port, _sensitivity(1000, 1000))
    assert status == 400
    assert answer.decode() == (
        "DEAL.SENSITIVITY: row_values x col_values make 1,000,000 cells; the limit is 10,000 cells "
        "(MAX_GRID_CELLS, about 25 MB of memory; raise it with the environment variable "
        "DEALDESK_MAX_GRID_CELLS)"
    )
    assert time.monotonic() - start < 10 * max(_light_seconds(server), 0.5)
    assert server.memory_peak_kb() - peak_before < 100_000  # kB


def test_a_grid_of_full_model_runs_is_bounded_by_the_run_limit(server):
    # The IRR is not vectorised: each cell is a full model run (0.06 to 0.2 s). 15 x 14 = 210 > 200.
    status, answer = post(server.port, _sensitivity(15, 14, "irr"))
    assert status == 400
    assert "row_values x col_values make 210 cells, each a full model run (irr is not vectorised); " in (
        answer.decode()
    )
    assert "the limit is 200 runs (MAX_MODEL_RUNS" in answer.decode()


@pytest.mark.slow
def test_grids_of_model_runs_do_not_hold_up_light_calls(server):
    # Before: two 12 x 12 grids of IRRs (144 runs each) filled both threads of the pool light calls
    # use, and a DEAL.SCHEDULE call waited 38 s. Now grids run on the heavy lane.
    yardstick = _light_seconds(server)
    done: list[float] = []

    def run_grid() -> None:
        status, body = post(server.port, _sensitivity(8, 8, "irr"), timeout=600)
        assert status == 200, body[:200]
        done.append(time.monotonic())

    threads = [threading.Thread(target=run_grid) for _ in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # both grids are running
    seconds = _light_seconds(server)
    answered = time.monotonic()
    for thread in threads:
        thread.join(timeout=600)
    assert len(done) == 2 and max(done) > answered  # the light call was answered while they ran
    assert seconds < max(2.0, 10 * yardstick), (seconds, yardstick)


# --------------------------------------------------------------------------- host ports


@pytest.mark.parametrize("port", ["0018731", "99999", "65536", "8000\u0660"])
def test_a_host_port_that_is_not_a_port_is_refused(server, port):
    # Before: "localhost:0018731" was accepted and the manifest's URLs named http://localhost (port 80).
    request = f"GET /manifest.xml HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
    status, body, _ = exchange(server.port, request.encode("utf-8"))
    assert status == 400 and b"does not answer to that host name" in body


def test_the_manifest_names_the_port_asked_for(server):
    status, body, _ = get(server.port, "/manifest.xml", host=f"localhost:{server.port}")
    assert status == 200
    assert set(re.findall(rb'DefaultValue="(https?://[^/"]+)/taskpane.html"', body)) == {
        f"http://localhost:{server.port}".encode()
    }


def test_a_port_of_five_digits_is_accepted(server):
    assert (
        exchange(server.port, b"GET / HTTP/1.1\r\nHost: localhost:65535\r\nConnection: close\r\n\r\n")[0]
        == 200
    )
