"""The rules of ``dealdesk serve``'s guard and call pools, unit by unit (no server started).

The same rules run in the real server over HTTP in ``test_server_guard.py``;
here each boundary is checked in process: host names, paths, the body limit,
the limits read from the environment, and the pools' places and lanes.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
import time

import pytest

from addin import server_guard
from addin.server_calls import Busy, CallLanes, CallPool, is_heavy
from addin.server_guard import RequestGuard, allowed_hosts, check_host_name, host_of, path_is_safe
from core.validation import DealDeskInputError

# --------------------------------------------------------------------------- the call pools


def test_heavy_calls_have_their_own_lane():
    import addin.functions as functions

    lanes = CallLanes(threads=1, queued=0)
    assert is_heavy(functions.deal_simulate) and is_heavy(functions.deal_exposure_risk)
    # Grids of model runs: two DEAL.SENSITIVITY grids of IRRs once made DEAL.SCHEDULE wait 38 s.
    assert is_heavy(functions.deal_sensitivity) and is_heavy(functions.deal_tornado)
    assert not is_heavy(functions.deal_schedule) and not is_heavy(functions.deal_outputs)
    assert lanes.pool_for(functions.deal_exposure_risk) is lanes.heavy
    assert lanes.pool_for(functions.deal_sensitivity) is lanes.heavy
    assert lanes.pool_for(functions.deal_schedule) is lanes.other
    release = threading.Event()

    async def scenario():
        heavy = asyncio.ensure_future(lanes.heavy.run(release.wait, 30))
        await asyncio.sleep(0.1)
        with pytest.raises(Busy):  # the heavy lane is full...
            await lanes.heavy.run(time.sleep, 0)
        assert await lanes.other.run(lambda: "light") == "light"  # ...the other one is not
        release.set()
        assert await heavy

    asyncio.run(scenario())


def test_the_call_pool_answers_busy_beyond_its_places():
    release = threading.Event()

    async def scenario():
        pool = CallPool(threads=1, queued=1)
        first = asyncio.ensure_future(pool.run(release.wait, 30))
        second = asyncio.ensure_future(pool.run(release.wait, 30))
        await asyncio.sleep(0.1)
        with pytest.raises(Busy, match="2 calls are running or waiting"):
            await pool.run(time.sleep, 0)
        release.set()
        assert await first and await second
        assert await pool.run(lambda: 42) == 42  # places freed once the work is done

    asyncio.run(scenario())


# --------------------------------------------------------------------------- the guard's rules


@pytest.mark.parametrize(
    ("header", "host"),
    [
        ("localhost", "localhost"),
        ("LocalHost:8000", "localhost"),
        ("127.0.0.1:1", "127.0.0.1"),
        ("[::1]:8000", "::1"),
        ("[::1]", "::1"),
        ("deals.example.com.", "deals.example.com"),
        ("[::1]:80x", None),
        ("[::1", None),
        ("[::1]x", None),  # after the bracket only ":port" may follow
        ("[::1]8000", None),
        ("a:b:c", None),
        ("host:port", None),
        ("", None),
        ("evil.example/x", None),
    ],
)
def test_host_of(header, host):
    assert host_of(header) == host


def test_allowed_hosts_add_the_bind_address_unless_it_is_a_wildcard(monkeypatch):
    monkeypatch.delenv("DEALDESK_ALLOWED_HOSTS", raising=False)
    loopback = {"localhost", "127.0.0.1", "::1"}
    assert allowed_hosts("0.0.0.0") == loopback
    assert allowed_hosts("::") == loopback
    assert allowed_hosts("192.168.1.5") == loopback | {"192.168.1.5"}
    monkeypatch.setenv("DEALDESK_ALLOWED_HOSTS", " A.example , ,b.example")
    assert allowed_hosts("127.0.0.1", ["C.example"]) == loopback | {"a.example", "b.example", "c.example"}
    monkeypatch.setenv("DEALDESK_ALLOWED_HOSTS", "http://a.example")
    with pytest.raises(DealDeskInputError, match=r"^DEALDESK_ALLOWED_HOSTS must be a host name"):
        allowed_hosts("127.0.0.1")


@pytest.mark.parametrize("value", ["*", "", "a b", "x" * 254, "deals.example.com:443", "http://x"])
def test_check_host_name_refuses_what_is_not_one_name(value):
    with pytest.raises(DealDeskInputError, match=r"^--allowed-host must be a host name or IP address"):
        check_host_name("--allowed-host", value)


@pytest.mark.parametrize(
    ("path", "safe"),
    [
        ("/static/js/app.js", True),
        ("/static/a..b/c", True),  # dots inside a name are a name
        ("/static/../x", False),
        ("/static/x/..", False),
        ("/static/%2e%2e/x", False),  # decoded once more
        ("/static/..\\x", False),
        ("/static/x\x00.js", False),
        ("/static/%00", False),
    ],
)
def test_path_is_safe(path, safe):
    assert path_is_safe(path) is safe


def _asgi(
    guard: RequestGuard, headers: list[tuple[bytes, bytes]], body: bytes, *, path: str = "/x"
) -> tuple[int, bytes, bool]:
    """One request through ``guard`` in process: status, answer body, whether the app ran."""
    ran = []
    sent: list[dict] = []

    async def app(scope, receive, send):
        message = await receive()
        ran.append(message["body"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    guard.app = app
    scope = {"type": "http", "method": "POST", "path": path, "headers": [(b"host", b"localhost"), *headers]}
    asyncio.run(guard(scope, receive, send))
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:]), bool(ran)


@pytest.mark.parametrize(("size", "status"), [(0, 200), (99, 200), (100, 200), (101, 413)])
def test_the_body_limit_boundary(size, status):
    guard = RequestGuard(None, ["localhost"], max_body=100)
    # Declared length and the bytes that really come both count.
    for headers in ([(b"content-length", str(size).encode())], []):
        got, _, ran = _asgi(guard, headers, b"a" * size)
        assert (got, ran) == (status, status == 200)


@pytest.mark.parametrize("length", [b"-1", b"1e3", b"10, 10", b""])
def test_a_malformed_content_length_is_a_400(length):
    got, body, ran = _asgi(RequestGuard(None, ["localhost"]), [(b"content-length", length)], b"")
    assert (got, ran) == (400, False) and b"Content-Length must be one whole number" in body


def test_the_limits_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEALDESK_MAX_REQUEST_BYTES", "1234")
    monkeypatch.setenv("DEALDESK_BODY_TIMEOUT", "7")
    guard = RequestGuard(None, ["localhost"])
    assert (guard.max_body, guard.body_timeout) == (1234, 7)
    monkeypatch.delenv("DEALDESK_MAX_REQUEST_BYTES")
    assert RequestGuard(None, []).max_body == server_guard.MAX_REQUEST_BYTES == 4_000_000


def test_bodies_arriving_at_once_share_one_budget():
    # A budget of 100 bytes: a slow body holding 60 leaves 40. A second body of 41 is answered 503 at
    # once, one of 40 fits exactly; once the slow body is in, its bytes are free again.
    guard = RequestGuard(None, ["localhost"], max_arriving=100)

    async def app(scope, receive, send):
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    guard.app = app

    async def request(parts: list[bytes], wait: asyncio.Event | None = None) -> tuple[int, bytes]:
        messages, sent = list(parts), []

        async def receive():
            if wait is not None and len(messages) < len(parts):
                await wait.wait()  # the rest of the body comes only when released
            body = messages.pop(0)
            return {"type": "http.request", "body": body, "more_body": bool(messages)}

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": "/x", "headers": [(b"host", b"localhost")]}
        await guard(scope, receive, send)
        return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])

    async def scenario():
        release = asyncio.Event()
        slow = asyncio.create_task(request([b"a" * 60, b"a" * 10], release))
        await asyncio.sleep(0.01)
        assert guard.arriving == 60
        refused = await request([b"b" * 41])
        fits = await request([b"c" * 40])
        release.set()
        done = await slow
        after = await request([b"b" * 41])
        return refused, fits, done, after, guard.arriving

    refused, fits, done, after, left = asyncio.run(scenario())
    assert refused == (
        503,
        b"Service Unavailable: too many request bodies are arriving at once "
        b"(at most 100 bytes, MAX_ARRIVING_BODY_BYTES); try again\n",
    )
    assert (fits[0], done[0], after[0], left) == (200, 200, 200, 0)


def test_the_arriving_budget_is_sixteen_largest_bodies_unless_set(monkeypatch):
    assert RequestGuard(None, []).max_arriving == server_guard.MAX_ARRIVING_BODY_BYTES == 16 * 4_000_000
    monkeypatch.setenv("DEALDESK_MAX_ARRIVING_BODY_BYTES", "5000")
    assert RequestGuard(None, []).max_arriving == 5000


# --------------------------------------------------------------------------- arrays and objects in a call


def _call_with_arrays(count: int) -> bytes:
    """A call whose JSON holds ``count`` arrays and objects: the call, its args, one argument of ``count - 3`` rows."""
    empty = ",".join(["[]"] * (count - 3))
    return ('{"func_name":"deal_schedule","runtime":"1.4","args":[[' + empty + "]]}").encode()


def test_the_array_limit_is_two_per_cell_of_the_widest_call(monkeypatch):
    # DEAL.NPV_IRR takes 26 arguments, the most of any DEAL function; each a range of 10,000 cells,
    # each cell in a row of its own and typed: 26 * (1 + 2 * 10,000) arrays and objects, plus the
    # call and its args list.
    import addin.functions as functions

    assert server_guard.most_arguments(functions) == len(inspect.signature(functions.deal_npv_irr).parameters)
    assert server_guard.most_arguments(functions) == 26
    assert server_guard.max_call_arrays(26) == 2 + 26 * (1 + 2 * 10_000) == 520_028
    monkeypatch.setenv("DEALDESK_MAX_RANGE_CELLS", "100")
    assert server_guard.max_call_arrays(26) == 2 + 26 * (1 + 2 * 100)


@pytest.mark.parametrize(("count", "status"), [(100, 200), (101, 400)])
def test_a_call_with_more_arrays_than_any_call_holds_is_refused_before_it_is_parsed(count, status):
    # Before: 1,300,000 empty arrays (3.9 MB, under the body limit) took about a second to parse on
    # the event loop, twice (guard and xlwings Server), and 95 MB each time; twenty such calls at
    # once held the server 45 s and took it to 1.9 GB.
    guard = RequestGuard(None, ["localhost"], max_arrays=100)
    got, body, ran = _asgi(guard, [], _call_with_arrays(count), path=server_guard.CALL_PATH)
    assert (got, ran) == (status, status == 200)
    if status == 400:
        assert body.decode() == (
            "Bad Request: a custom-function call holds at most 100 arrays and objects (two per cell of "
            "the DEAL function with the most arguments, each a range of MAX_RANGE_CELLS cells), got 101\n"
        )
