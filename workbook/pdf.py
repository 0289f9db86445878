"""PDF copies of report workbooks through LibreOffice, headless.

Each conversion runs ``soffice --headless --convert-to pdf`` with its own
throw-away user profile (``-env:UserInstallation``), so concurrent builds do
not fight over LibreOffice's profile lock. Without LibreOffice the error says
how to install it; the .xlsx is unaffected.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from workbook.xlsxio import atomic_write

__all__ = [
    "INSTALL_HINT",
    "PdfUnavailableError",
    "PdfConversionError",
    "convert_to_pdf",
    "find_soffice",
    "pdf_page_count",
]

INSTALL_HINT = (
    "LibreOffice is needed for --pdf: install it with `sudo apt-get install libreoffice-calc` "
    "(Debian/Ubuntu), `brew install --cask libreoffice` (macOS) or from libreoffice.org, "
    "then make sure `soffice` is on PATH (or set DEALDESK_SOFFICE to its path)"
)


class PdfUnavailableError(RuntimeError):
    """LibreOffice (``soffice``) is not installed or not on PATH."""


class PdfConversionError(RuntimeError):
    """LibreOffice ran but produced no PDF (the message carries its output)."""


def find_soffice() -> str | None:
    """Path of the LibreOffice executable: ``$DEALDESK_SOFFICE``, else ``soffice``/``libreoffice`` on PATH."""
    override = os.environ.get("DEALDESK_SOFFICE")
    if override:
        return override if Path(override).exists() else shutil.which(override)
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_to_pdf(
    xlsx_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str] | None = None,
    *,
    timeout_s: float = 180.0,
) -> Path:
    """Convert a workbook to PDF next to it (or into ``out_dir``); returns the PDF's path.

    The PDF is produced in a private temporary directory and written into
    place atomically (:func:`workbook.xlsxio.atomic_write`), so a failed
    conversion never leaves a partial PDF.

    Raises
    ------
    PdfUnavailableError
        No LibreOffice; the message says how to install it.
    PdfConversionError
        LibreOffice failed or timed out.
    OutputPathError
        The PDF cannot be written (locked, read-only, disk full).
    """
    soffice = find_soffice()
    if soffice is None:
        raise PdfUnavailableError(INSTALL_HINT)
    source = Path(xlsx_path).resolve()
    if not source.is_file():
        raise PdfConversionError(f"cannot convert {xlsx_path}: no such file")
    target_dir = Path(out_dir).resolve() if out_dir is not None else source.parent
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / (source.stem + ".pdf")
    with tempfile.TemporaryDirectory(prefix="dealdesk-soffice-") as work:
        profile = Path(work, "profile").as_uri()
        out = Path(work, "out")
        out.mkdir()
        cmd = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(source),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired as exc:
            raise PdfConversionError(
                f"LibreOffice timed out after {timeout_s:g} s converting {source.name}"
            ) from exc
        produced = out / (source.stem + ".pdf")
        if proc.returncode != 0 or not produced.is_file():
            detail = (proc.stderr or proc.stdout or "").strip().splitlines()
            tail = detail[-1] if detail else f"exit code {proc.returncode}"
            raise PdfConversionError(f"LibreOffice could not convert {source.name}: {tail}")
        data = produced.read_bytes()
    return atomic_write(target, lambda fh: fh.write(data))


def pdf_page_count(path: str | os.PathLike[str]) -> int:
    """Number of pages of a PDF (``pdfinfo`` when present, else counting page objects)."""
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo:
        proc = subprocess.run([pdfinfo, str(path)], capture_output=True, text=True, check=False)
        match = re.search(r"^Pages:\s+(\d+)", proc.stdout, re.MULTILINE)
        if match:
            return int(match.group(1))
    data = Path(path).read_bytes()
    return len(re.findall(rb"/Type\s*/Page(?!s)", data))
