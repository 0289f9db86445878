"""PDF copies of report workbooks through LibreOffice, headless.

Each conversion runs ``soffice --headless --convert-to pdf`` with its own
throw-away user profile (``-env:UserInstallation``), so concurrent builds do
not fight over LibreOffice's profile lock. Without LibreOffice the error says
how to install it; the .xlsx is unaffected.

PDFs are reproducible, like the workbooks: LibreOffice stamps the conversion
time (``/CreationDate``) and a random file ``/ID``; :func:`reproducible_pdf`
sets the stamp to a fixed moment and the ID (and LibreOffice's
``/DocChecksum``) to a digest of the rest of the file, without moving a byte,
so the cross-reference offsets stay valid and two builds of the same workbook
are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from workbook.xlsxio import FIXED_TIMESTAMP, OutputPathError, atomic_write

__all__ = [
    "INSTALL_HINT",
    "PdfUnavailableError",
    "PdfConversionError",
    "convert_to_pdf",
    "find_soffice",
    "pdf_page_count",
    "reproducible_pdf",
]

# A PDF date with its 14 digits (YYYYMMDDHHmmSS); only the digits are replaced, so no byte moves.
_PDF_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\s*\(D:)(\d{14})")
# xmp dates, when LibreOffice writes metadata (PDF/A): 2026-11-27T14:28:24 and the same length back.
_XMP_DATE = re.compile(rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)")
_PDF_ID = re.compile(rb"(/ID\s*\[\s*<)([0-9A-Fa-f]+)(>\s*<)([0-9A-Fa-f]+)(>)")
_DOC_CHECKSUM = re.compile(rb"(/DocChecksum\s*/)([0-9A-Fa-f]+)")

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
    source = Path(xlsx_path).resolve()
    target_dir = Path(out_dir).resolve() if out_dir is not None else source.parent
    target = target_dir / (source.stem + ".pdf")
    if target.is_dir():
        raise OutputPathError(f"cannot write the PDF {target}: it is a directory")
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputPathError(f"cannot write the PDF into {target_dir}: {exc.strerror or exc}") from exc
    soffice = find_soffice()
    if soffice is None:
        raise PdfUnavailableError(INSTALL_HINT)
    if not source.is_file():
        raise PdfConversionError(f"cannot convert {xlsx_path}: no such file")
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
            # UTC, so the stamp LibreOffice writes has the same length on every machine.
            env = {**os.environ, "TZ": "UTC"}
            proc = subprocess.run(
                cmd, capture_output=True, text=True, timeout=timeout_s, check=False, env=env
            )
        except subprocess.TimeoutExpired as exc:
            raise PdfConversionError(
                f"LibreOffice timed out after {timeout_s:g} s converting {source.name}"
            ) from exc
        produced = out / (source.stem + ".pdf")
        if proc.returncode != 0 or not produced.is_file():
            detail = (proc.stderr or proc.stdout or "").strip().splitlines()
            tail = detail[-1] if detail else f"exit code {proc.returncode}"
            raise PdfConversionError(f"LibreOffice could not convert {source.name}: {tail}")
        data = reproducible_pdf(produced.read_bytes())
    return atomic_write(target, lambda fh: fh.write(data))


def reproducible_pdf(data: bytes, *, timestamp: dt.datetime = FIXED_TIMESTAMP) -> bytes:
    """The same PDF with a fixed creation date and an ID derived from its content (same length).

    >>> pdf = b"/CreationDate(D:20261127142824Z')/ID [ <AB12><AB12> ]"
    >>> reproducible_pdf(pdf)[:33]
    b"/CreationDate(D:20251103000000Z')"
    >>> reproducible_pdf(pdf) == reproducible_pdf(pdf.replace(b"AB12", b"CD34"))
    True
    """
    digits = timestamp.strftime("%Y%m%d%H%M%S").encode("ascii")
    iso = timestamp.strftime("%Y-%m-%dT%H:%M:%S").encode("ascii")
    out = _PDF_DATE.sub(lambda m: m.group(1) + digits, data)
    out = _XMP_DATE.sub(lambda m: m.group(1) + iso, out)
    # The digest skips the ID and checksum themselves, so it depends on the content only.
    blank = _PDF_ID.sub(lambda m: m.group(1) + m.group(3) + m.group(5), out)
    blank = _DOC_CHECKSUM.sub(lambda m: m.group(1), blank)
    digest = hashlib.sha256(blank).hexdigest().upper().encode("ascii")

    def fill(hex_text: bytes) -> bytes:
        return (digest * (len(hex_text) // len(digest) + 1))[: len(hex_text)]

    out = _PDF_ID.sub(
        lambda m: m.group(1) + fill(m.group(2)) + m.group(3) + fill(m.group(4)) + m.group(5), out
    )
    return _DOC_CHECKSUM.sub(lambda m: m.group(1) + fill(m.group(2)), out)


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
