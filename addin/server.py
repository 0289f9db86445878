"""The DEAL functions on xlwings Server: ``dealdesk serve`` and the Excel namespace rule.

``dealdesk serve`` runs the official xlwings Server app (the ``xlwings-server``
package, installed by ``pip install .[server]``) with DealDesk's functions as
its ``custom_functions``: the metadata, the Office.js client code, the call
endpoint and the manifest Excel sideloads are all xlwings Server's own.
DealDesk supplies a project folder (written to a temporary directory by
:mod:`addin.server_project`: its own manifest, ribbon, task pane and icon) and
fixes the two settings that decide what Excel shows:

* the manifest namespace is ``DEAL`` and the environment ``prod`` (xlwings
  Server adds ``_DEV``, ``_QA``... to the namespace in other environments),
  whatever ``.env``, ``pyproject.toml`` or the environment say;
* the functions' own metadata names then carry no second namespace
  (:func:`module_namespace` gives ``""``), so Excel shows
  ``=DEAL.SCHEDULE(...)``, never ``=DEAL_DEV.DEAL.SCHEDULE(...)``.

Licences: DealDesk is MIT; xlwings Server and the ``xlwings.server`` protocol
code are PolyForm Noncommercial 1.0.0 or a paid xlwings licence. The server
refuses to start without ``XLWINGS_LICENSE_KEY`` (``noncommercial`` for
noncommercial use, else your paid key) so the choice is explicit.

This module imports only the standard library (and :mod:`addin.server_project`,
which does the same) at import time: the namespace rule runs everywhere
``addin.functions`` does (xlwings Lite included).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from addin.server_project import REBIND_JS, write_project

__all__ = [
    "EXCEL_NAMESPACE",
    "MANIFEST_ID",
    "REBIND_JS",
    "ServerError",
    "manifest_namespace",
    "module_namespace",
    "server_settings",
    "write_project",
    "serve",
]

#: The namespace Excel shows on Office.js: ``=DEAL.SCHEDULE(...)``.
EXCEL_NAMESPACE = "DEAL"
#: DealDesk's own add-in id (xlwings Server's default ids are shared by every default install).
MANIFEST_ID = "6f1c2a3e-4b5d-4e8f-9a0b-1c2d3e4f5a6b"
#: Default address: loopback only; pass ``--host`` to expose it.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


class ServerError(RuntimeError):
    """The server cannot start (missing extra, missing licence key); the message says what to do."""


def manifest_namespace() -> str:
    """The namespace xlwings Server's manifest puts in front of every function (``""`` if none).

    Read from xlwings Server's own settings when it is running (they merge the
    environment, ``.env`` and ``pyproject.toml``), else from
    ``XLWINGS_FUNCTIONS_NAMESPACE`` / ``XLWINGS_ENVIRONMENT``; the rule is the
    manifest template's: the namespace in capitals, then ``_<ENVIRONMENT>``
    outside ``prod``.

    >>> manifest_namespace() in ("", "DEAL") or manifest_namespace()
    True
    """
    config = sys.modules.get("xlwings_server.config")
    settings = getattr(config, "settings", None)
    if settings is not None:
        namespace = str(settings.functions_namespace or "")
        environment = str(settings.environment or "prod")
    else:
        if "XLWINGS_FUNCTIONS_NAMESPACE" not in os.environ:
            return ""
        namespace = os.environ["XLWINGS_FUNCTIONS_NAMESPACE"]
        environment = os.environ.get("XLWINGS_ENVIRONMENT", "prod")
    parts = [namespace.strip().upper()]
    if environment.strip().lower() != "prod":
        parts.append(environment.strip().upper())
    return "_".join(p for p in parts if p)


def module_namespace() -> str:
    """The namespace ``addin.functions`` adds itself: ``DEAL`` unless the manifest supplies it.

    Excel shows ``<manifest namespace>.<module namespace>.<NAME>``. xlwings Lite
    has no manifest namespace, so the module adds ``DEAL``; an xlwings Server
    whose manifest namespace is ``DEAL`` (``dealdesk serve`` always is) gets
    none, so both show ``=DEAL.SCHEDULE``. A manifest namespace ``DEAL_DEV``
    (xlwings Server outside ``prod``) also gets none: ``=DEAL_DEV.SCHEDULE``,
    never ``=DEAL_DEV.DEAL.SCHEDULE``.

    >>> module_namespace() == ("" if manifest_namespace().startswith("DEAL") else "DEAL")
    True
    """
    manifest = manifest_namespace()
    if manifest == EXCEL_NAMESPACE or manifest.startswith(EXCEL_NAMESPACE + "_"):
        return ""
    return EXCEL_NAMESPACE


def server_settings(project: Path) -> dict[str, str]:
    """The xlwings Server settings ``dealdesk serve`` fixes, as environment variables.

    Environment variables come first in xlwings Server's settings, so these win
    over any ``.env`` or ``pyproject.toml`` the user may have.
    """
    return {
        "XLWINGS_ON_SERVER": "true",
        "XLWINGS_PROJECT_DIR": str(project),
        "XLWINGS_PROJECT_NAME": "DealDesk",
        "XLWINGS_FUNCTIONS_NAMESPACE": EXCEL_NAMESPACE,
        "XLWINGS_ENVIRONMENT": "prod",
        "XLWINGS_MANIFEST_ID_PROD": MANIFEST_ID,
        "XLWINGS_ENABLE_EXAMPLES": "false",
        "XLWINGS_ENABLE_SOCKETIO": "false",
        "XLWINGS_ENABLE_HOTRELOAD": "false",
        "XLWINGS_ENABLE_WASM": "false",
        "XLWINGS_AUTH_PROVIDERS": "[]",
        "XLWINGS_CORS_ALLOW_ORIGINS": "[]",
        # A DEAL call answers in well under a second; a hung call must not hold Excel forever.
        "XLWINGS_REQUEST_TIMEOUT": "60",
        "XLWINGS_CUSTOM_FUNCTIONS_MAX_RETRIES": "2",
    }


def _check_ready() -> None:
    # Look, don't import: xlwings Server reads its settings when first imported, after serve() sets them.
    for name in ("uvicorn", "xlwings_server"):
        if importlib.util.find_spec(name) is None:
            raise ServerError(
                f"dealdesk serve needs the server extra ({name} is missing): pip install '.[server]'"
            )
    if not os.environ.get("XLWINGS_LICENSE_KEY", "").strip():
        raise ServerError(
            "xlwings Server needs XLWINGS_LICENSE_KEY: set it to 'noncommercial' for noncommercial use "
            "(PolyForm Noncommercial 1.0.0), or to your paid xlwings licence key"
        )


def _check_requests_first(lanes: Any) -> None:
    """Route the app's custom-function calls through :func:`addin.errors.custom_functions_call`.

    xlwings Server's router calls ``xlwings.server.custom_functions_call`` by its module
    attribute; a malformed request (``[[]]``, a value without ``type``, an argument too
    many) fails inside xlwings' conversion, before any DealDesk code, and the app answers
    "An error occurred.". Bound here, in the server process only, every such request gets
    the function's ``DEAL.<NAME>:`` message instead (xlwings Server returns an
    ``XlwingsError`` as a 400 with its text). The function itself runs on ``lanes``
    (:class:`addin.server_calls.CallLanes`), off the event loop; a full pool is a 503.
    """
    import xlwings.server
    from xlwings_server.object_handles import XlwingsOperationalError

    from addin import errors
    from addin.server_calls import Busy, off_the_loop

    original = xlwings.server.custom_functions_call
    if getattr(original, "__dealdesk_checked__", False):
        return

    async def checked(data: Any, module: Any, *args: Any, **kwargs: Any) -> Any:
        errors.check_request(data, module)
        try:
            return await original(data, off_the_loop(module, lanes), *args, **kwargs)
        except Busy:  # a 503: the add-in tries again (XLWINGS_CUSTOM_FUNCTIONS_MAX_RETRIES)
            raise XlwingsOperationalError(
                "DEAL: the server is busy (every call thread in use and the queue full); try again"
            ) from None
        except xlwings.XlwingsError:
            raise
        except Exception as error:  # a request shape the check did not foresee: still one message
            function = getattr(module, str(data.get("func_name")), None)
            label = errors.excel_name(function) if function is not None else "DEAL"
            raise errors.DealDeskExcelError(errors.excel_message(label, error)) from error

    checked.__dealdesk_checked__ = True  # type: ignore[attr-defined]
    xlwings.server.custom_functions_call = checked


def serve(
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    ssl_certfile: str | None = None,
    ssl_keyfile: str | None = None,
    log_level: str = "info",
    extra_hosts: Sequence[str] = (),
) -> None:
    """Run xlwings Server with the DEAL functions until interrupted (Ctrl+C).

    Excel loads add-ins over HTTPS only: pass a certificate and key for the
    host name Excel will use (``mkcert 127.0.0.1 localhost`` makes a local one);
    without them the server speaks plain HTTP, which is enough for tests and
    for checking the endpoints in a browser.

    Every request goes through :class:`addin.server_guard.RequestGuard` first: the
    ``Host`` header must name loopback, ``host`` or one of ``extra_hosts``; bodies,
    header and body times and the functions' threads are bounded (see that module).
    """
    from addin.server_guard import allowed_hosts

    hosts = allowed_hosts(host, extra_hosts)  # a bad name is refused before anything starts
    _check_ready()
    with tempfile.TemporaryDirectory(prefix="dealdesk-server-") as folder:
        project = write_project(Path(folder))
        os.environ.update(server_settings(project))
        import uvicorn
        import xlwings_server.config  # noqa: F401  (reads the settings above)

        # A project config.py could still override them; ours has none, so this holds. Check anyway.
        if manifest_namespace() != EXCEL_NAMESPACE:
            raise ServerError(
                f"xlwings Server's manifest namespace is {manifest_namespace()!r}, expected 'DEAL'"
            )
        from xlwings_server.main import main_app

        import addin.functions
        from addin.server_calls import CallLanes
        from addin.server_guard import RequestGuard, deadline_protocol, max_call_arrays, most_arguments

        _check_requests_first(CallLanes())
        uvicorn.run(
            RequestGuard(main_app, hosts, max_arrays=max_call_arrays(most_arguments(addin.functions))),
            host=host,
            port=port,
            ssl_certfile=ssl_certfile,
            ssl_keyfile=ssl_keyfile,
            log_level=log_level,
            # Headers within HEADER_TIMEOUT, idle keep-alive connections closed after 5 s. No
            # limit_concurrency: it counts connections, so slow clients made every request a 503;
            # the work is bounded by the call pool instead.
            http=deadline_protocol(),
            timeout_keep_alive=5,
            server_header=False,
        )
