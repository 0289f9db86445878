"""What ``dealdesk serve`` accepts from the network, and how long it waits.

xlwings Server is a FastAPI app; ``dealdesk serve`` runs it behind this
guard (an ASGI middleware and a uvicorn protocol with deadlines), so every
request is checked before xlwings Server sees it:

* **Hosts**: the ``Host`` header must name a host the server was started for:
  ``localhost``, ``127.0.0.1`` and ``::1``, the ``--host`` address when it is
  not a wildcard, and each ``--allowed-host`` (or ``DEALDESK_ALLOWED_HOSTS``,
  comma-separated). Anything else, or no ``Host`` at all, is a 400 before any
  route runs, so a page on another site that resolves its own name to this
  machine (DNS rebinding) can neither call a function nor get a manifest
  whose URLs point at it (xlwings Server builds the manifest from ``Host``).
* **Paths**: a path with a ``..`` segment (as sent, or once more
  percent-decoded), a backslash or a NUL byte is a 404: nothing outside the
  static folder is served. So is a route DealDesk does not use
  (``UNUSED_PATHS``: xlwings Server's task-pane scripts and their alert page).
* **Bodies**: at most ``MAX_REQUEST_BYTES`` (``DEALDESK_MAX_REQUEST_BYTES``).
  A larger ``Content-Length`` is refused with 413 before a byte of the body is
  read; a chunked body is counted as it arrives and refused the same way. The
  whole body must arrive within ``BODY_TIMEOUT`` seconds (408). A function
  call must be a JSON object naming its function (400), with no more arrays
  and objects than the widest real call holds (:func:`max_call_arrays`),
  counted before it is parsed (400). No answer ever
  echoes the body (a FastAPI validation error, which would, becomes a
  one-line 400).
* **Headers**: a connection must complete a request's headers within
  ``HEADER_TIMEOUT`` seconds of opening (or of its previous answer) and
  ``MAX_HEADER_BYTES`` bytes, else it is closed; at most
  ``MAX_WAITING_CONNECTIONS`` connections may wait for
  their headers at once, and a new one closes the one that waited longest.
  Slow clients therefore cannot hold the server: a normal request is answered
  whatever they do.
* **Work**: the DEAL functions themselves run off the event loop, on bounded
  thread pools (:mod:`addin.server_calls`).

Each limit is a ``DEALDESK_<NAME>`` environment variable
(:func:`core.validation.limit`); the docs' "Running the server safely" says
how to expose the server beyond loopback.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import ipaddress
import json
import os
import re
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import unquote

from addin.converters import MAX_RANGE_CELLS
from core.validation import DealDeskInputError, limit

__all__ = [
    "BODY_TIMEOUT",
    "HEADER_TIMEOUT",
    "LOOPBACK_HOSTS",
    "MAX_ARRIVING_BODY_BYTES",
    "MAX_HEADER_BYTES",
    "MAX_REQUEST_BYTES",
    "MAX_WAITING_CONNECTIONS",
    "UNUSED_PATHS",
    "RequestGuard",
    "allowed_hosts",
    "check_host_name",
    "deadline_protocol",
    "host_of",
    "max_call_arrays",
    "most_arguments",
    "path_is_safe",
]

#: Host names every server answers to: loopback only.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
#: Largest request body, in bytes (DEALDESK_MAX_REQUEST_BYTES). A call with eight ranges of
#: 10,000 cells (MAX_RANGE_CELLS each) is about 2 MB of JSON.
MAX_REQUEST_BYTES = 4_000_000
#: Bytes of request bodies still arriving that the server holds at once, over all connections
#: (DEALDESK_MAX_ARRIVING_BODY_BYTES): sixteen bodies of the largest size. Each body may take
#: BODY_TIMEOUT seconds, so without it a hundred slow connections held 380 MB for 30 s; a body
#: that would pass it is answered 503 at once and its connection closed.
MAX_ARRIVING_BODY_BYTES = 16 * MAX_REQUEST_BYTES
#: Seconds a connection has to send a request's headers (DEALDESK_HEADER_TIMEOUT).
HEADER_TIMEOUT = 10
#: Seconds a request has to send its whole body once its headers are in (DEALDESK_BODY_TIMEOUT).
BODY_TIMEOUT = 30
#: Seconds the rest of a refused body is read and dropped after the 413, before the connection closes.
LINGER_SECONDS = 2
#: Connections that may wait for their headers at once (DEALDESK_MAX_WAITING_CONNECTIONS).
MAX_WAITING_CONNECTIONS = 256
#: Most bytes of a request line and headers (DEALDESK_MAX_HEADER_BYTES); Excel sends about 1 kB.
MAX_HEADER_BYTES = 65_536

#: The route that calls a custom function (xlwings Server's).
CALL_PATH = "/xlwings/custom-functions-call"
#: xlwings Server routes DealDesk does not use: it has no task-pane scripts. Any request to one
#: failed with 500 and a 90-line traceback in the log (a web page could send it as a form); the
#: scripts' alert page showed any title and text a link gave it, on the server's own origin.
UNUSED_PATHS = ("/xlwings/custom-scripts-call", "/xlwings/alert")
_WILDCARDS = frozenset({"", "0.0.0.0", "::"})
_PORT = re.compile(r"[0-9]{1,5}")
_HOST_NAME = re.compile(r"(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*")

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


# --------------------------------------------------------------------------- hosts


def check_host_name(name: str, value: str) -> str:
    """A host name or IP address to allow, lower case; a URL, a port or a wildcard is refused.

    >>> check_host_name("--allowed-host", "Deals.Example.com"), check_host_name("--allowed-host", "[::1]")
    ('deals.example.com', '::1')
    >>> check_host_name("--allowed-host", "https://deals.example.com")
    Traceback (most recent call last):
    ...
    core.validation.DealDeskInputError: --allowed-host must be a host name or IP address such as deals.example.com (no scheme, port or wildcard), got 'https://deals.example.com'
    """
    text = value.strip().lower().rstrip(".")
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    if not _HOST_NAME.fullmatch(text):
        raise DealDeskInputError(
            f"{name} must be a host name or IP address such as deals.example.com "
            f"(no scheme, port or wildcard), got {value[:80]!r}"
        )
    return text


def allowed_hosts(bind_host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The host names a server bound to ``bind_host`` answers to.

    Loopback names, ``bind_host`` unless it is a wildcard (``0.0.0.0``, ``::``),
    each of ``extra`` and each name in ``DEALDESK_ALLOWED_HOSTS`` (comma-separated).

    >>> sorted(allowed_hosts("127.0.0.1"))
    ['127.0.0.1', '::1', 'localhost']
    >>> sorted(allowed_hosts("0.0.0.0", ["deals.example.com"]))
    ['127.0.0.1', '::1', 'deals.example.com', 'localhost']
    """
    names = set(LOOPBACK_HOSTS)
    if bind_host.strip() not in _WILDCARDS:
        names.add(check_host_name("--host", bind_host))
    names.update(check_host_name("--allowed-host", h) for h in extra)
    from_env = os.environ.get("DEALDESK_ALLOWED_HOSTS", "")
    names.update(check_host_name("DEALDESK_ALLOWED_HOSTS", h) for h in from_env.split(",") if h.strip())
    return frozenset(names)


def host_of(header: str) -> str | None:
    """The host name of a ``Host`` header value (port and brackets dropped), or None if malformed.

    A port is at most five ASCII digits up to 65535: the manifest names the
    port as sent, so ``localhost:0018731`` would have pointed it at another.

    >>> host_of("LocalHost:8000"), host_of("[::1]:8000"), host_of("127.0.0.1"), host_of("a:b:c")
    ('localhost', '::1', '127.0.0.1', None)
    >>> host_of("localhost:65535"), host_of("localhost:65536"), host_of("localhost:0018731")
    ('localhost', None, None)
    """
    text = header.strip().lower()
    if text.startswith("["):
        end = text.find("]")
        name, rest = text[1:end], text[end + 1 :]
        if end < 0 or (rest and not rest.startswith(":")):
            return None
        port = rest[1:]
    else:
        name, _, port = text.partition(":")
    if port and not (_PORT.fullmatch(port) and int(port) <= 65535):
        return None
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        name = name.rstrip(".")
        return name if _HOST_NAME.fullmatch(name) else None


def most_arguments(functions: Any) -> int:
    """The most arguments any DEAL function of the module ``functions`` takes (``DEAL.NPV_IRR``'s)."""
    return max(
        len(inspect.signature(getattr(functions, name)).parameters)
        for name in functions.__all__
        if name.startswith("deal_")
    )


def max_call_arrays(most: int) -> int:
    """Most JSON arrays and objects a function call can hold: two per cell of the widest call.

    Office.js sends each argument as an array of rows, each cell a value or a
    typed object (a date's number format): at most ``1 + 2 * MAX_RANGE_CELLS``
    per argument, for each of the ``most`` arguments of the function with the
    most (:func:`most_arguments`), plus the call and its list of arguments.
    Parsing is what a body costs: 1,300,000 empty arrays (3.9 MB, under
    ``MAX_REQUEST_BYTES``) took a second and 95 MB to parse, and xlwings
    Server parses the body again.
    """
    return 2 + most * (1 + 2 * limit("MAX_RANGE_CELLS", MAX_RANGE_CELLS))


def path_is_safe(path: str) -> bool:
    """False for a path that could leave a served folder: a ``..`` segment, a backslash or NUL.

    ``path`` is the request path as the server decoded it once; it is checked
    decoded once more too (``%252e%252e`` is ``..`` after two decodings).

    >>> path_is_safe("/static/js/app.js"), path_is_safe("/static/../../etc/passwd")
    (True, False)
    >>> path_is_safe("/static/%2e%2e/%2e%2e/etc/passwd"), path_is_safe("/static/..\\\\secret")
    (False, False)
    """
    for text in (path, unquote(path)):
        if "\\" in text or "\x00" in text:
            return False
        if ".." in text.split("/"):
            return False
    return True


# --------------------------------------------------------------------------- the middleware


async def _answer(
    send: Send, status: int, text: str, *, close: bool = False, drain: Receive | None = None
) -> None:
    """A one-line plain-text answer (``close``: the connection is closed after it).

    With ``drain``, the rest of the request body is read and dropped for up to
    ``LINGER_SECONDS`` after the answer is written and before the connection
    closes: a client still sending then reads the answer instead of losing it
    to a connection reset.
    """
    body = (text + "\n").encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": drain is not None})
    if drain is None:
        return
    loop = asyncio.get_running_loop()
    deadline = loop.time() + LINGER_SECONDS
    try:
        while (left := deadline - loop.time()) > 0:
            message = await asyncio.wait_for(drain(), left)
            if message["type"] == "http.disconnect" or not message.get("more_body", False):
                break
    except TimeoutError:
        pass
    await send({"type": "http.response.body", "body": b"", "more_body": False})


class _Refused(Exception):
    """A request the guard answers itself: status and one line (``linger``: drop the body first)."""

    def __init__(self, status: int, text: str, *, close: bool = False, linger: bool = False) -> None:
        super().__init__(text)
        self.status, self.text, self.close, self.linger = status, text, close, linger


class RequestGuard:
    """ASGI middleware: checks host, path and body of every request before ``app`` sees it.

    Parameters
    ----------
    app : ASGI application
        What the guard protects (xlwings Server's app).
    hosts : iterable of str
        Host names the ``Host`` header may name (see :func:`allowed_hosts`).
    max_body : int, keyword-only
        Largest body in bytes (default ``MAX_REQUEST_BYTES`` or ``DEALDESK_MAX_REQUEST_BYTES``).
    body_timeout : float, keyword-only
        Seconds for the whole body (default ``BODY_TIMEOUT`` or ``DEALDESK_BODY_TIMEOUT``).
    max_arrays : int, keyword-only
        Most arrays and objects in a function call's JSON (:func:`max_call_arrays`;
        ``dealdesk serve`` always sets it, ``None`` counts none).
    """

    def __init__(
        self,
        app: Callable[..., Awaitable[None]],
        hosts: Iterable[str],
        *,
        max_body: int | None = None,
        body_timeout: float | None = None,
        max_arrays: int | None = None,
        max_arriving: int | None = None,
    ) -> None:
        self.app = app
        self.hosts = frozenset(hosts)
        self.max_body = max_body or limit("MAX_REQUEST_BYTES", MAX_REQUEST_BYTES)
        self.body_timeout = body_timeout or limit("BODY_TIMEOUT", BODY_TIMEOUT)
        self.max_arrays = max_arrays
        self.max_arriving = max_arriving or limit("MAX_ARRIVING_BODY_BYTES", MAX_ARRIVING_BODY_BYTES)
        self.arriving = 0  # bytes of bodies read so far by requests still reading theirs

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):  # lifespan
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":  # xlwings Server runs without socket.io here
            await send({"type": "websocket.close", "code": 1008})
            return
        try:
            self._check_host(scope)
            if not path_is_safe(scope["path"]) or scope["path"].startswith(UNUSED_PATHS):
                raise _Refused(404, "Not Found")
            body = await self._read_body(scope, receive)
            if body is None:  # the client went away
                return
            if scope["method"] == "POST" and scope["path"].rstrip("/").endswith(CALL_PATH):
                _check_call(body, self.max_arrays)
        except _Refused as refused:
            drain = receive if refused.linger else None
            await _answer(send, refused.status, refused.text, close=refused.close, drain=drain)
            return
        await self.app(scope, _replay(body, receive), _no_echo(send))

    def _check_host(self, scope: Scope) -> None:
        """Refuse a Host that is not allowed; else hand the app the Host rebuilt from its parts.

        xlwings Server builds the manifest's URLs from it, so they name an allowed
        host, in lower case, and nothing else.
        """
        values = [v for k, v in scope["headers"] if k == b"host"]
        if len(values) != 1:
            raise _Refused(400, "Bad Request: one Host header is required", close=True)
        text = values[0].decode("latin-1")
        host = host_of(text)
        if host is None or host not in self.hosts:
            raise _Refused(
                400,
                "Bad Request: this server does not answer to that host name "
                "(start it with --allowed-host NAME to add one)",
                close=True,
            )
        port = re.search(r":([0-9]{1,5})$", text.strip())
        canonical = (f"[{host}]" if ":" in host else host) + (f":{port[1]}" if port else "")
        scope["headers"] = [(k, v) for k, v in scope["headers"] if k != b"host"] + [
            (b"host", canonical.encode("ascii"))
        ]

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes | None:
        lengths = [v for k, v in scope["headers"] if k == b"content-length"]
        if len(lengths) > 1 or (lengths and not lengths[0].strip().isdigit()):
            raise _Refused(400, "Bad Request: Content-Length must be one whole number", close=True)
        if lengths and int(lengths[0]) > self.max_body:
            raise _Refused(413, self._too_large(), close=True, linger=True)
        chunks: list[bytes] = []
        size = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.body_timeout
        try:
            while True:
                try:
                    message = await asyncio.wait_for(receive(), max(deadline - loop.time(), 0))
                except TimeoutError:
                    raise _Refused(
                        408,
                        f"Request Timeout: the body did not arrive within {self.body_timeout:g} seconds",
                        close=True,
                    ) from None
                if message["type"] == "http.disconnect":
                    return None
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > self.max_body:
                    raise _Refused(413, self._too_large(), close=True, linger=True)
                if self.arriving + len(chunk) > self.max_arriving:
                    raise _Refused(
                        503,
                        "Service Unavailable: too many request bodies are arriving at once "
                        f"(at most {self.max_arriving:,} bytes, MAX_ARRIVING_BODY_BYTES); try again",
                        close=True,
                    )
                self.arriving += len(chunk)
                chunks.append(chunk)
                if not message.get("more_body", False):
                    return b"".join(chunks)
        finally:
            self.arriving -= sum(len(c) for c in chunks)

    def _too_large(self) -> str:
        return (
            f"Payload Too Large: the limit is {self.max_body:,} bytes "
            "(MAX_REQUEST_BYTES; raise it with the environment variable DEALDESK_MAX_REQUEST_BYTES)"
        )


def _check_call(body: bytes, max_arrays: int | None) -> None:
    """A function call's body: a JSON object that names its function (xlwings Server reads that first).

    Its arrays and objects are counted before it is parsed (a ``[`` or ``{`` inside
    text counts too, so the count is never below the real one).
    """
    what = "Bad Request: a custom-function call must be a JSON object"
    if not body.strip():
        raise _Refused(400, f"{what}; the body is empty")
    arrays = body.count(b"[") + body.count(b"{")
    if max_arrays is not None and arrays > max_arrays:
        raise _Refused(
            400,
            f"Bad Request: a custom-function call holds at most {max_arrays:,} arrays and objects (two per "
            "cell of the DEAL function with the most arguments, each a range of MAX_RANGE_CELLS cells), "
            f"got {arrays:,}",
        )
    collecting = gc.isenabled()
    gc.disable()  # parsing makes no cycles; the collector's passes over a million new lists tripled its time
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise _Refused(400, f"{what}; the body is not valid JSON") from None
    finally:
        if collecting:
            gc.enable()
    if not isinstance(data, dict):
        raise _Refused(400, f"{what}; got a JSON {type(data).__name__}")
    if not isinstance(data.get("func_name"), str):
        raise _Refused(400, f'{what} with the function\'s name as text in "func_name"')


def _replay(body: bytes, receive: Receive) -> Receive:
    """``receive`` for the app: the body read by the guard, then the connection's own messages."""
    given = False

    async def replayed() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def _no_echo(send: Send) -> Send:
    """``send`` for the app, with a FastAPI validation error (which quotes the body) made a one-line 400."""
    replaced = False

    async def sent(message: Message) -> None:
        nonlocal replaced
        if message["type"] == "http.response.start" and message.get("status") == 422:
            replaced = True
            await _answer(send, 400, "Bad Request: the request does not have the form this address takes")
            return
        if replaced:
            return
        await send(message)

    return sent


# --------------------------------------------------------------------------- header deadline


def deadline_protocol(timeout: float | None = None, max_waiting: int | None = None) -> type[asyncio.Protocol]:
    """uvicorn's HTTP protocol with a deadline for request headers and a cap on waiting connections.

    A connection that has not completed a request's headers ``timeout``
    seconds after it opened (or after its previous answer), or has sent more
    than ``MAX_HEADER_BYTES`` of them, is closed; when more than
    ``max_waiting`` connections wait for their headers, the one that waited
    longest is closed. uvicorn itself only times out idle keep-alive
    connections, so a client sending one byte every few seconds held its
    connection for ever, and its parser buffers a header of any length.
    """
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    seconds = timeout or limit("HEADER_TIMEOUT", HEADER_TIMEOUT)
    cap = max_waiting or limit("MAX_WAITING_CONNECTIONS", MAX_WAITING_CONNECTIONS)
    header_bytes = limit("MAX_HEADER_BYTES", MAX_HEADER_BYTES)

    class DeadlineProtocol(AutoHTTPProtocol):  # type: ignore[misc, valid-type]
        _deadline: asyncio.TimerHandle | None = None
        _waiting_since = 0.0
        _header_bytes = 0

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self._waiting():  # still in the request line and headers: they are bounded too
                self._header_bytes += len(data)
                if self._header_bytes > header_bytes:
                    self._expire()

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm()
            waiting = [c for c in self.connections if isinstance(c, DeadlineProtocol) and c._waiting()]
            if len(waiting) > cap:
                min(waiting, key=lambda c: c._waiting_since)._expire()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            super().connection_lost(exc)

        def _arm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            self._waiting_since = self.loop.time()
            self._header_bytes = 0
            self._deadline = self.loop.call_later(seconds, self._expire_if_waiting)

        def _waiting(self) -> bool:
            """No request in service: the headers of the next one have not all arrived."""
            cycle = self.cycle
            return not self.transport.is_closing() and (cycle is None or cycle.response_complete)

        def _expire_if_waiting(self) -> None:
            self._deadline = None
            if self._waiting():
                self._expire()

        def _expire(self) -> None:
            if not self.transport.is_closing():
                self.transport.close()

    return DeadlineProtocol
