"""The project folder ``dealdesk serve`` hands to xlwings Server: DealDesk's own add-in, not the sample.

xlwings Server reads a project folder (``XLWINGS_PROJECT_DIR``) before its own
package: templates and static files there replace xlwings Server's own of the
same name. DealDesk's folder holds

* ``custom_functions``: the DEAL functions; ``custom_scripts``: none (no
  button runs Python on the server);
* ``templates/manifest.xml`` (``server_manifest.xml``): the add-in Excel
  sideloads, with DealDesk's name, description and icon, the ``DEAL``
  namespace, and a ribbon tab *DealDesk* whose group *Contract model* has two
  buttons: *DealDesk* opens the task pane, *Re-enter formulas* re-enters the
  DEAL formulas that show ``#NAME?``;
* ``templates/taskpane.html`` (``server_taskpane.html``): what the add-in
  does, and the re-entry;
* ``static/js/ribbon.js`` (``server_ribbon.js``): the ribbon's function, in
  place of xlwings Server's sample one;
* ``static/js/dealdesk-rebind.js`` (``server_rebind.js``): the re-entry;
* ``static/images/dealdesk-<size>.png``: the icon, drawn by :func:`icon_png`
  (also the pages' ``favicon.png``, in place of xlwings').

Only the standard library is imported: ``addin.server`` imports this module
wherever ``addin.functions`` runs.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

__all__ = ["ICON_SIZES", "REBIND_JS", "icon_png", "project_files", "write_project"]

_HERE = Path(__file__).resolve().parent
#: The Office.js re-entry script served at /static/js/dealdesk-rebind.js.
REBIND_JS = _HERE / "server_rebind.js"
#: Icon sizes in pixels: 16, 32 and 80 on the ribbon, 32 and 64 in the add-in lists.
ICON_SIZES = (16, 32, 64, 80)

_CUSTOM_FUNCTIONS = '''"""DealDesk's DEAL functions for xlwings Server (written by `dealdesk serve`)."""

from addin.functions import *  # noqa: F401,F403
'''
_CUSTOM_SCRIPTS = '''"""No task-pane scripts: DealDesk's add-in is its custom functions."""
'''

# The icon: three rising white bars (a contract's revenue ramping up) on a rounded blue square.
_BLUE = (0x00, 0x72, 0xB2)
_BARS = ((0.20, 0.60), (0.42, 0.44), (0.64, 0.24))  # (left edge, top edge) as fractions of the size
_BAR_WIDTH, _BASELINE, _CORNER = 0.16, 0.80, 0.20
_SUBSAMPLES = 4  # per axis: edges are anti-aliased by coverage


def _inside_square(x: float, y: float) -> bool:
    """(x, y) in [0, 1]^2 lies inside the square with rounded corners."""
    cx = min(max(x, _CORNER), 1 - _CORNER)
    cy = min(max(y, _CORNER), 1 - _CORNER)
    return (x - cx) ** 2 + (y - cy) ** 2 <= _CORNER**2


def _on_bar(x: float, y: float) -> bool:
    return any(left <= x < left + _BAR_WIDTH and top <= y < _BASELINE for left, top in _BARS)


def icon_png(size: int) -> bytes:
    """DealDesk's icon as a ``size`` x ``size`` RGBA PNG (the same bytes every time).

    >>> icon_png(16)[:8] == b"\\x89PNG\\r\\n\\x1a\\n", struct.unpack(">II", icon_png(16)[16:24])
    (True, (16, 16))
    """
    n = _SUBSAMPLES
    rows = []
    for py in range(size):
        row = bytearray(b"\0")  # PNG filter type 0 (none) for the row
        for px in range(size):
            square = bar = 0
            for sy in range(n):
                for sx in range(n):
                    x, y = (px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size
                    if _inside_square(x, y):
                        square += 1
                        bar += _on_bar(x, y)
            white = bar / square if square else 0.0
            colour = bytes(round(c + (255 - c) * white) for c in _BLUE)
            row += colour + bytes([round(255 * square / n**2)])
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def project_files() -> dict[str, str | bytes]:
    """Every file of the project folder, by its path in the folder."""
    files: dict[str, str | bytes] = {
        "custom_functions/__init__.py": _CUSTOM_FUNCTIONS,
        "custom_scripts/__init__.py": _CUSTOM_SCRIPTS,
        "templates/manifest.xml": (_HERE / "server_manifest.xml").read_text(encoding="utf-8"),
        "templates/taskpane.html": (_HERE / "server_taskpane.html").read_text(encoding="utf-8"),
        "static/js/ribbon.js": (_HERE / "server_ribbon.js").read_text(encoding="utf-8"),
        "static/js/dealdesk-rebind.js": REBIND_JS.read_text(encoding="utf-8"),
    }
    for size in ICON_SIZES:
        files[f"static/images/dealdesk-{size}.png"] = icon_png(size)
    files["static/images/favicon.png"] = files["static/images/dealdesk-32.png"]  # the pages' and /favicon.ico
    return files


def write_project(folder: Path) -> Path:
    """Write the xlwings Server project folder (:func:`project_files`) into ``folder``; returns it."""
    folder = Path(folder)
    for name, content in project_files().items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder
