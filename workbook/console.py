"""What the ``dealdesk`` commands share: exit codes, the one-line error, aligned text tables.

Kept apart from :mod:`workbook.cli` so that the modules whose commands it
runs (batch, evaluate) need not import the command line back.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["EXIT_FAILURE", "EXIT_OK", "EXIT_USAGE", "CliError", "format_table", "print_table"]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class CliError(Exception):
    """A problem the command reports in one line; ``code`` is the exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.code = code


def format_table(
    rows: Sequence[Sequence[str]], *, header: Sequence[str] | None = None, right: Sequence[int] = ()
) -> str:
    """Rows of text as aligned columns, one line each (columns in ``right`` right-aligned, numbers usually).

    >>> print(format_table([("Deal NPV", "(0.29)")], header=("Key figure", "Value"), right=(1,)))
    Key figure   Value
    ----------  ------
    Deal NPV    (0.29)
    """
    table = [list(header)] if header else []
    table += [list(r) for r in rows]
    if not table:
        return ""
    widths = [max(len(r[k]) for r in table) for k in range(len(table[0]))]
    lines = []
    for i, r in enumerate(table):
        cells = [
            c.rjust(w) if k in right else c.ljust(w) for k, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if header and i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def print_table(
    rows: Sequence[Sequence[str]], *, header: Sequence[str] | None = None, right: Sequence[int] = ()
) -> None:
    """Print rows of text as aligned columns (:func:`format_table`).

    >>> print_table([("Deal NPV", "(0.29)")], header=("Key figure", "Value"), right=(1,))
    Key figure   Value
    ----------  ------
    Deal NPV    (0.29)
    """
    text = format_table(rows, header=header, right=right)
    if text:
        print(text)
