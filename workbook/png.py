"""PNG images of PDF pages, cropped to what is drawn on them (poppler's ``pdftoppm``).

Used for the charts an analyst pastes into a note (``dealdesk report --png``): each
chart is printed on its own PDF page by LibreOffice (:mod:`workbook.pdf`), and the
page is rendered here and cut to the chart's frame plus a small margin. Cropping needs
no image library: a small grey rendering of the page (a PGM, a header and one byte a
pixel) gives the box of everything not white, and ``pdftoppm`` renders that box alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from workbook.xlsxio import OutputPathError, atomic_write

__all__ = [
    "PNG_INSTALL_HINT",
    "PngUnavailableError",
    "drawn_box",
    "find_pdftoppm",
    "page_png",
]

PNG_INSTALL_HINT = (
    "poppler's pdftoppm is needed for --png: install it with `sudo apt-get install poppler-utils` "
    "(Debian/Ubuntu) or `brew install poppler` (macOS)"
)
#: Resolution of the grey rendering that finds the drawn box (dots per inch).
_PROBE_DPI = 50
#: Grey level below which a pixel counts as drawn (255 is white).
_INK = 250


class PngUnavailableError(RuntimeError):
    """``pdftoppm`` is not installed or not on PATH."""


def find_pdftoppm() -> str | None:
    """Path of poppler's ``pdftoppm``, or None."""
    return shutil.which("pdftoppm")


def drawn_box(pgm: bytes) -> tuple[int, int, int, int] | None:
    """The box (left, top, width, height) of the non-white pixels of a binary PGM image, or None.

    The image is what ``pdftoppm -gray`` writes: a header (magic, width, height, largest
    value, separated by white space), then one byte a pixel, row by row.

    >>> drawn_box(b"P5\\n4 3\\n255\\n" + bytes([255, 255, 255, 255, 255, 0, 10, 255, 255, 255, 255, 255]))
    (1, 1, 2, 1)
    >>> drawn_box(b"P5\\n2 1\\n255\\n" + bytes([255, 255])) is None
    True
    """
    fields: list[bytes] = []
    at = 0
    while len(fields) < 4:  # magic, width, height, maxval: separated by whitespace
        while pgm[at : at + 1].isspace():
            at += 1
        end = at
        while not pgm[end : end + 1].isspace():
            end += 1
        fields.append(pgm[at:end])
        at = end
    width, height = int(fields[1]), int(fields[2])
    pixels = pgm[at + 1 : at + 1 + width * height]
    rows = [y for y in range(height) if min(pixels[y * width : (y + 1) * width]) < _INK]
    if not rows:
        return None
    columns = [x for x in range(width) if min(pixels[x::width]) < _INK]
    return columns[0], rows[0], columns[-1] - columns[0] + 1, rows[-1] - rows[0] + 1


def _run(cmd: list[str]) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout or "").strip().splitlines()
        raise RuntimeError(f"pdftoppm failed: {detail[-1] if detail else proc.returncode}")


def page_png(
    pdf: str | os.PathLike[str],
    page: int,
    out: str | os.PathLike[str],
    *,
    dpi: int = 200,
    margin_in: float = 0.08,
) -> Path:
    """Render page ``page`` (1-based) of ``pdf`` at ``dpi`` to the PNG ``out``, cut to what is drawn on it.

    ``margin_in`` inches of white are kept around the drawn box. Written atomically.

    Raises
    ------
    PngUnavailableError
        No ``pdftoppm``; the message says how to install it.
    OutputPathError
        The PNG cannot be written.
    """
    tool = find_pdftoppm()
    if tool is None:
        raise PngUnavailableError(PNG_INSTALL_HINT)
    target = Path(out)
    with tempfile.TemporaryDirectory(prefix="dealdesk-png-") as work:
        probe = Path(work, "probe")
        _run(
            [
                tool,
                "-gray",
                "-r",
                str(_PROBE_DPI),
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(pdf),
                str(probe),
            ]
        )
        box = drawn_box(probe.with_suffix(".pgm").read_bytes())
        crop: list[str] = []
        if box is not None:
            scale = dpi / _PROBE_DPI
            pad = margin_in * dpi
            left, top, width, height = box
            x, y = max(int(left * scale - pad), 0), max(int(top * scale - pad), 0)
            w, h = int((width + 1) * scale + 2 * pad), int((height + 1) * scale + 2 * pad)
            crop = ["-x", str(x), "-y", str(y), "-W", str(w), "-H", str(h)]
        image = Path(work, "image")
        _run(
            [
                tool,
                "-png",
                "-r",
                str(dpi),
                *crop,
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(pdf),
                str(image),
            ]
        )
        data = image.with_suffix(".png").read_bytes()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputPathError(f"cannot write {target}: {exc.strerror or exc}") from exc
    return atomic_write(target, lambda fh: fh.write(data))
