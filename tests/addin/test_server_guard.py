"""``dealdesk serve`` against a hostile network, over real loopback HTTP.

Two real servers run in child processes (``python -m workbook.cli serve``):
one with the defaults, one "tight" (other allowed hosts, small limits and
short deadlines, set through the documented options and environment
variables) so the deadlines can be watched expire in a few seconds. Requests
are raw bytes on sockets where a client library would clean them up
(``..`` segments, no ``Host``, slow senders, a body that never ends).

Every case here is one the server answered badly before the guard
(:mod:`addin.server_guard`): a file outside the static folder served with
200, a foreign ``Host`` accepted and written into the manifest, 503 for
everyone while slow clients held their connections, a 200 MB body parsed in
full, a 20 MB body echoed back, ``GET /`` waiting seconds behind a heavy call,
500 for an empty body.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sys
import threading
import time
from pathlib import Path

import pytest
import xlwings

from tests.addin.servers import served

ROOT = Path(__file__).resolve().parents[2]
SECRET = "dealdesk-canary-7f3a"  # what a file outside the static folder holds
CALL = "/xlwings/custom-functions-call"
# The tight server's settings (environment variables named in the docs).
TIGHT_BYTES, TIGHT_HEADER_SECONDS, TIGHT_BODY_SECONDS, TIGHT_WAITING = 2_000, 3, 2, 40
#: The server's peak memory is read from /proc (Linux).
NEEDS_PROC = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads peak memory from /proc")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XLWINGS_", "DEALDESK_"))}
    return env | {"XLWINGS_LICENSE_KEY": "noncommercial", "PYTHONPATH": str(ROOT)} | extra


class Server:
    def __init__(self, origin: str, process, folder: Path) -> None:
        self.origin, self.process, self.folder = origin, process, folder
        self.port = int(origin.rsplit(":", 1)[1])

    def memory_peak_kb(self) -> int:
        """The server process's peak resident memory (VmHWM), in kB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1])

    def log(self) -> str:
        return (self.folder / "server.log").read_text()


@pytest.fixture(scope="module")
def canary(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("outside") / "secret.txt"
    path.write_text(SECRET)
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    processes: list = []
    command = [sys.executable, "-m", "workbook.cli", "serve"]
    with served(command, folder=folder, env=_env(), processes=processes) as origin:
        yield Server(origin, processes[0], folder)


@pytest.fixture(scope="module")
def tight(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tight")
    processes: list = []
    env = _env(
        DEALDESK_ALLOWED_HOSTS="other.example.org, third.example.net",
        DEALDESK_MAX_REQUEST_BYTES=str(TIGHT_BYTES),
        DEALDESK_HEADER_TIMEOUT=str(TIGHT_HEADER_SECONDS),
        DEALDESK_BODY_TIMEOUT=str(TIGHT_BODY_SECONDS),
        DEALDESK_MAX_WAITING_CONNECTIONS=str(TIGHT_WAITING),
    )
    command = [sys.executable, "-m", "workbook.cli", "serve", "--allowed-host", "Deals.Example.com"]
    with served(command, folder=folder, env=env, processes=processes) as origin:
        yield Server(origin, processes[0], folder)


def exchange(port: int, request: bytes, *, timeout: float = 30) -> tuple[int, bytes, float]:
    """Send raw ``request``, read the answer until the server closes: status, body, seconds taken."""
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head else 0
    return status, body, time.monotonic() - start


def get(port: int, path: str, host: str = "127.0.0.1", version: str = "1.1") -> tuple[int, bytes, float]:
    request = f"GET {path} HTTP/{version}\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    return exchange(port, request.encode("latin-1"))


def post(
    port: int, body: bytes, *, path: str = CALL, kind: str = "application/json", timeout: float = 30
) -> tuple[int, bytes]:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Content-Type: {kind}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    status, answer, _ = exchange(port, head.encode() + body, timeout=timeout)
    return status, answer


def call_body(func_name: str, *args, **fields) -> bytes:
    """A custom-function call as the add-in posts it (omitted fields: ``fields`` set to None)."""
    data = {
        "client": "Office.js",
        "func_name": func_name,
        "args": list(args),
        "caller_address": "[DealDesk.xlsx]Sheet1!B2",
        "culture_info_name": "en-US",
        "date_format": "M/d/yyyy",
        "version": xlwings.__version__,
        "runtime": "1.4",
    }
    data.update(fields)
    return json.dumps({k: v for k, v in data.items() if v is not None}).encode()


def _one_answer(s: socket.socket) -> bytes:
    """Read one answer (its head and the body its Content-Length announces) from ``s``."""
    data = b""
    while b"\r\n\r\n" not in data or len(data.partition(b"\r\n\r\n")[2]) < int(
        re.search(rb"content-length: (\d+)", data.partition(b"\r\n\r\n")[0], re.I)[1]
    ):
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def slow_sockets(port: int, count: int, first: bytes) -> list[socket.socket]:
    """``count`` connections that sent ``first`` and then nothing (yet)."""
    out = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.sendall(first)
        out.append(s)
    return out


def closed_by_server(s: socket.socket, within: float) -> bool:
    """True if the server closes ``s`` (end of stream, maybe after an answer) within ``within`` seconds."""
    s.settimeout(within)
    try:
        while s.recv(4096):
            pass
        return True
    except TimeoutError:
        return False
    except OSError:  # reset
        return True


# --------------------------------------------------------------------------- 1. paths


def _up(target: Path, separator: str = "../") -> str:
    return separator * 30 + str(target).lstrip("/")


TRAVERSALS = {
    "raw": lambda t: "/static/" + _up(t),
    "raw-after-a-folder": lambda t: "/static/js/" + _up(t),
    "encoded-slashes": lambda t: "/static/" + _up(t, "..%2f").replace("/", "%2f"),
    "encoded-dots": lambda t: "/static/" + _up(t, "%2e%2e/"),
    "double-encoded": lambda t: "/static/" + _up(t, "%252e%252e%252f"),
    "backslashes": lambda t: "/static/" + _up(t, "..\\"),
    "absolute-form": lambda t: "http://127.0.0.1/static/" + _up(t),
    "absolute-path": lambda t: "/static//" + str(t).lstrip("/"),
    "encoded-absolute-path": lambda t: "/static/%2f" + str(t).lstrip("/").replace("/", "%2f"),
}


@pytest.mark.parametrize("version", ["1.1", "1.0"])
@pytest.mark.parametrize("kind", sorted(TRAVERSALS))
def test_no_path_leaves_the_static_folder(server, canary, kind, version):
    # curl --path-as-is 'http://127.0.0.1:PORT/static/../../../../etc/passwd' answered 200 with the file.
    status, body, _ = get(server.port, TRAVERSALS[kind](canary), version=version)
    assert status == 404
    assert SECRET.encode() not in body


def test_the_static_folder_is_still_served(server):
    status, body, _ = get(server.port, "/static/js/dealdesk-rebind.js")
    assert status == 200 and b"dealdesk" in body.lower()


# --------------------------------------------------------------------------- 2. hosts


@pytest.mark.parametrize(
    "host",
    ["evil.example", "evil.example:{port}", "127.0.0.1.nip.io", "localhost.evil.example", "[::2]", "a b"],
)
def test_a_foreign_host_is_refused_before_any_route(server, host):
    # The manifest is built from Host: with evil.example it pointed every URL at http://evil.example.
    status, body, _ = get(server.port, "/manifest.xml", host=host.format(port=server.port))
    assert status == 400
    assert body.decode().count("\n") == 1 and "does not answer to that host name" in body.decode()
    assert b"evil" not in body and b"<" not in body


def test_a_request_without_a_host_header_is_refused(server):
    status, body, _ = exchange(server.port, b"GET /manifest.xml HTTP/1.0\r\n\r\n")
    assert status == 400 and b"Host header" in body


def test_two_host_headers_are_refused(server):
    request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
    assert exchange(server.port, request)[0] == 400


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]", "localhost."])
def test_loopback_names_are_served_and_the_manifest_uses_them(server, host):
    status, body, _ = get(server.port, "/manifest.xml", host=f"{host}:{server.port}")
    assert status == 200
    urls = set(re.findall(rb'DefaultValue="(https?://[^/"]+)/taskpane.html"', body))
    canonical = host.lower().rstrip(".")  # the Host as the guard rebuilt it
    assert urls == {f"http://{canonical}:{server.port}".encode()}


@pytest.mark.parametrize("host", ["deals.example.com", "other.example.org", "third.example.net"])
def test_allowed_hosts_come_from_the_option_and_the_environment(tight, host):
    status, body, _ = get(tight.port, "/manifest.xml", host=host)
    assert status == 200
    assert f'DefaultValue="http://{host}/taskpane.html"'.encode() in body
    # ...and only those.
    assert get(tight.port, "/manifest.xml", host="evil.example")[0] == 400


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("https://deals.example.com", "--allowed-host must be a host name or IP address"),
        ("*.example.com", "--allowed-host must be a host name or IP address"),
        ("deals.example.com:443", "--allowed-host must be a host name or IP address"),
    ],
)
def test_a_bad_allowed_host_is_refused_at_start_in_one_line(value, message, capsys):
    from workbook.cli import main

    assert main(["serve", "--allowed-host", value]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dealdesk serve: bad input: ") and message in err and err.count("\n") == 1


# --------------------------------------------------------------------------- 3. slow clients


def test_a_normal_request_is_answered_while_100_slow_clients_send_headers(server):
    # Before: 64 connections sending a byte every 4 s made every normal request a 503.
    slow = slow_sockets(server.port, 100, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    try:
        for _ in range(3):
            status, body, seconds = get(server.port, "/")
            assert (status, json.loads(body)) == (200, {"status": "ok"})
            assert seconds < 1.0
            for s in slow:
                s.send(b"a")  # still dribbling
    finally:
        for s in slow:
            s.close()


@NEEDS_PROC
def test_headers_longer_than_the_limit_close_the_connection(server):
    # The parser buffered a header of any length; 64 kB (MAX_HEADER_BYTES) is far above Excel's ~1 kB.
    peak_before = server.memory_peak_kb()
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: ")
        sent = 0
        with pytest.raises(OSError):  # reset once the limit is passed
            while sent < 50_000_000:
                s.sendall(b"a" * 65_536)
                sent += 65_536
    assert sent < 20_000_000  # stopped long before (what the socket buffers hold)
    assert server.memory_peak_kb() - peak_before < 20_000
    assert get(server.port, "/")[0] == 200


def test_slow_header_connections_are_closed_after_the_header_timeout(tight):
    dribbling = slow_sockets(tight.port, 10, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    silent = [socket.create_connection(("127.0.0.1", tight.port), timeout=30) for _ in range(10)]
    start = time.monotonic()
    try:
        for s in dribbling:
            s.send(b"X")
        assert all(closed_by_server(s, TIGHT_HEADER_SECONDS + 5) for s in dribbling + silent)
        assert TIGHT_HEADER_SECONDS - 0.5 < time.monotonic() - start < TIGHT_HEADER_SECONDS + 5
    finally:
        for s in dribbling + silent:
            s.close()


def test_beyond_the_waiting_cap_the_longest_waiting_connection_is_closed(tight):
    oldest = slow_sockets(tight.port, 10, b"GET / HTTP/1.1\r\n")
    time.sleep(0.3)
    newer = slow_sockets(tight.port, TIGHT_WAITING, b"GET / HTTP/1.1\r\n")
    try:
        # Well before the header deadline, the 10 oldest make room for the newer ones.
        assert all(closed_by_server(s, 1.5) for s in oldest)
        assert not any(closed_by_server(s, 0.05) for s in newer[-5:])
        assert get(tight.port, "/")[0] == 200
    finally:
        for s in oldest + newer:
            s.close()


def test_a_slow_body_gets_408_after_the_body_timeout_and_others_are_served(tight):
    head = f"POST {CALL} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 900\r\n\r\n{{"
    slow = slow_sockets(tight.port, 100, head.encode())
    start = time.monotonic()
    try:
        status, _, seconds = get(tight.port, "/")
        assert status == 200 and seconds < 1.0
        slow[0].settimeout(TIGHT_BODY_SECONDS + 10)
        answer = b""
        while chunk := slow[0].recv(4096):
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 408 ")
        assert b"the body did not arrive within 2 seconds" in answer
        assert TIGHT_BODY_SECONDS - 0.5 < time.monotonic() - start < TIGHT_BODY_SECONDS + 5
    finally:
        for s in slow:
            s.close()


# --------------------------------------------------------------------------- 4. body size


@NEEDS_PROC
def test_a_200_mb_body_is_refused_with_413_before_it_is_read(server):
    # Before: parsed in full (2.5 GB peak, 420 MB kept after).
    peak_before = server.memory_peak_kb()
    size = 200_000_000
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
        s.sendall(
            f"POST {CALL} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {size}\r\n\r\n".encode()
        )
        answer = _one_answer(s)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"the limit is 4,000,000 bytes" in answer and b"DEALDESK_MAX_REQUEST_BYTES" in answer
    assert time.monotonic() - start < 2
    assert server.memory_peak_kb() - peak_before < 20_000  # kB: nothing of the body was kept


def test_a_chunked_body_is_counted_and_refused_past_the_limit(server):
    chunk = b"[" * 65_536
    sent = 0
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
        s.sendall(
            f"POST {CALL} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n".encode()
        )
        s.settimeout(0.01)
        answer = b""
        while not answer and sent < 200_000_000:
            try:
                s.sendall(b"10000\r\n" + chunk + b"\r\n")
                sent += len(chunk)
                answer = s.recv(4096)
            except TimeoutError:
                continue
            except OSError:  # the server closed: the answer is waiting
                break
        s.settimeout(10)
        answer = answer or s.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert sent < 4_000_000 + 8 * len(chunk) + 4_000_000  # stopped near the limit (plus socket buffers)


@pytest.mark.parametrize(("size", "status"), [(20_000_000, 413), (3_000_000, 400)])
def test_a_refused_body_is_never_echoed(server, size, status):
    # Before: a 20 MB text/plain body came back in full inside a 422.
    answer_status, answer = post(server.port, b"x" * size, kind="text/plain")
    assert answer_status == status
    assert len(answer) < 300 and b"xxxxxxxxxx" not in answer
    assert answer.decode().count("\n") == 1


def test_the_limit_is_set_by_the_environment(tight):
    head = (
        f"POST {CALL} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n"
    )
    at_limit = b" " * (TIGHT_BYTES - 2) + b"{}"
    status, body, _ = exchange(
        tight.port, head.encode() + f"Content-Length: {TIGHT_BYTES}\r\n\r\n".encode() + at_limit
    )
    assert status == 400 and b"func_name" in body  # read, then refused for what it says
    over = at_limit + b" "
    status, body, _ = exchange(
        tight.port, head.encode() + f"Content-Length: {TIGHT_BYTES + 1}\r\n\r\n".encode() + over
    )
    assert status == 413 and b"the limit is 2,000 bytes" in body


# --------------------------------------------------------------------------- 5. heavy work


@pytest.mark.slow
def test_heavy_calls_do_not_hold_up_light_requests(server):
    # Before: while DEAL.EXPOSURE_RISK(,,2000000,77) ran, GET / took 5.7 s; and with one shared pool,
    # six such calls made a DEAL.SCHEDULE call wait 34 s. Three heavy calls here fill both Monte Carlo
    # threads and queue one more.
    heavy: list[dict] = []

    def run_heavy(seed: int) -> None:
        body = call_body("deal_exposure_risk", None, None, [[2_000_000]], [[77 + seed]])
        status, body = post(server.port, body, timeout=600)
        heavy.append({"status": status, "body": body, "done": time.monotonic()})

    threads = [threading.Thread(target=run_heavy, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # the heavy calls are running or queued
    light = []
    for _ in range(3):
        status, body, seconds = get(server.port, "/")
        assert status == 200
        light.append(seconds)
        start = time.monotonic()
        status, body = post(server.port, call_body("deal_schedule", [[38]], [[45964]], [[7]]))
        light.append(time.monotonic() - start)
        assert status == 200 and json.loads(body)["result"][0][0] == "period"
    answered = time.monotonic()
    for thread in threads:
        thread.join(timeout=600)
    assert [h["status"] for h in heavy] == [200] * 3, [h["body"][:200] for h in heavy]
    assert max(h["done"] for h in heavy) > answered  # the light requests were answered while they ran
    assert max(light) < 1.0, light


# --------------------------------------------------------------------------- 6. malformed calls


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "a custom-function call must be a JSON object; the body is empty"),
        (b"{", "a custom-function call must be a JSON object; the body is not valid JSON"),
        (b"[" * 100_000, "a custom-function call must be a JSON object; the body is not valid JSON"),
        (b"[]", "a custom-function call must be a JSON object; got a JSON list"),
        (b'{"args": []}', 'with the function\'s name as text in "func_name"'),
        (
            call_body("deal_schedule", [[38]], [[45964]], [[7]], version=None),
            "DEAL.SCHEDULE: the request has no 'version' (the xlwings version of the add-in) as text",
        ),
        (
            call_body("deal_schedule", [[38]], [[45964]], [[7]], client=None),
            "DEAL.SCHEDULE: the request has no 'client' (the calling client) as text",
        ),
    ],
)
def test_a_malformed_call_is_a_400_in_one_line(server, body, message):
    # Before: an empty body was a 500 "An error occurred." with a traceback in the log, and a call
    # without "version" was "unexpected error (KeyError: 'version')".
    status, answer = post(server.port, body)
    assert status == 400
    text = answer.decode()
    assert message in text and text.strip().count("\n") == 0
    assert "Traceback" not in server.log()
