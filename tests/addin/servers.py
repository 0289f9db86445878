"""What the tests that talk to a real xlwings Server over HTTP share.

A free loopback port, GET and POST with a timeout (an HTTP error comes back as
its status and body, not an exception), and :func:`served`: a server started
in a child process, waited for, and always stopped (its output goes to
``server.log`` in its folder, shown when it fails to start).
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

TIMEOUT = 30  # seconds per request: a DEAL call answers in well under one
START_BOUND = 120  # "not a hang" bound for the server to come up on a busy machine


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (the system's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, str, str]:
    """GET ``url``: status, content type and body text."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode()


def post(url: str, body: dict) -> tuple[int, str, str]:
    """POST ``body`` as JSON to ``url``: status, content type and body text."""
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode()


@contextlib.contextmanager
def served(
    command: Sequence[str],
    *,
    folder: Path,
    env: Mapping[str, str],
    processes: list[subprocess.Popen] | None = None,
) -> Iterator[str]:
    """Run ``command --port <free port>`` in ``folder`` until its ``/`` answers 200; yield its origin.

    The server is stopped (terminated, killed after 20 s) when the block ends, whatever
    happened in it. ``processes``, if given, receives the server's process (to read its memory).
    """
    port = free_port()
    log_path = folder / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*command, "--port", str(port)], cwd=folder, env=dict(env), stdout=log, stderr=subprocess.STDOUT
        )
        origin = f"http://127.0.0.1:{port}"
        if processes is not None:
            processes.append(process)
        try:
            deadline = time.monotonic() + START_BOUND
            while True:
                assert process.poll() is None, log_path.read_text()
                try:
                    if get(origin + "/")[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "server did not start: " + log_path.read_text()
                time.sleep(0.5)
            yield origin
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=20)
