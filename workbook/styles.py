"""Cell styles of the template, registered once (FAST Standard colour code).

* **input** — blue font on a pale yellow fill: a value the analyst types.
* **formula** — black font: a calculation on this sheet.
* **link** — green font: a value brought from another sheet.
* **check** — bold font; TRUE/FALSE of a check (green fill when it passes,
  red when it fails, by conditional formatting).
* **header**, **title**, **label**, **note**, **unit** — layout text.

Every style is an openpyxl ``NamedStyle`` added to the workbook once by
:func:`register_styles`; cells then refer to it by name
(``cell.style = "dd_input"``), so the file holds one definition per style.
Number formats are keyed by the model's format hints (``core.model.FORMAT_HINTS``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

__all__ = [
    "CHARS_PER_WIDTH",
    "INPUT_BLUE",
    "LINE_POINTS",
    "LINK_GREEN",
    "FORMULA_BLACK",
    "AXIS_FORMATS",
    "NUMBER_FORMATS",
    "SERIES_COLOURS",
    "fit_row_height",
    "format_text",
    "input_hint",
    "is_finance_format",
    "listed_in_words",
    "near_zero",
    "STYLE_NAMES",
    "number_format",
    "register_styles",
    "text_lines",
]

#: FAST colour code: inputs blue, links from other sheets green, formulas black.
INPUT_BLUE = "FF0000FF"
LINK_GREEN = "FF008000"
FORMULA_BLACK = "FF000000"
_INPUT_FILL = "FFFFF2CC"
_HEADER_FILL = "FF1F3864"
_CHECK_OK = "FFC6EFCE"
_CHECK_BAD = "FFFFC7CE"


def _finance(body: str) -> str:
    """A finance number format: thousands separators, negatives in parentheses, a dash for what shows as zero.

    A value that rounds to zero at the format's decimals (``-0.004`` at two decimals) shows the
    dash too, never ``(0.00)``: the two conditions are half the last digit shown (a percent
    body's digits are hundredths of the value). Excel and LibreOffice drop the minus sign in a
    section whose condition only holds for negatives, so the parentheses carry it. ``_)``
    leaves room for the closing parenthesis so that positive and negative numbers line up.

    >>> _finance("#,##0.0")
    '[>=0.05]#,##0.0_);[<=-0.05](#,##0.0);"–"_)'
    >>> _finance("0.0%")
    '[>=0.0005]0.0%_);[<=-0.0005](0.0%);"–"_)'
    """
    half = f"{near_zero(body):g}"
    return f'[>={half}]{body}_);[<=-{half}]({body});"–"_)'


def near_zero(body: str) -> float:
    """Half the last digit a number-format body shows: values smaller in size show as zero (a dash).

    >>> near_zero("#,##0"), near_zero("#,##0.00"), near_zero('0.00"x"'), near_zero("0.0%")
    (0.5, 0.005, 0.005, 0.0005)
    """
    digits = re.search(r"\.(0+)", body)
    decimals = len(digits.group(1)) if digits else 0
    return round(0.5 * 10.0 ** -(decimals + (2 if "%" in body else 0)), 12)


#: Finance number-format bodies by format hint (:func:`_finance` adds the negative and zero
#: sections). No unit is spelt in a body: every page shows the unit beside the number (a Unit
#: column, or the column header), so "4.23 pp | pp" would say it twice; a percent keeps its %
#: because the value is a fraction.
_BODIES: dict[str, str] = {
    "usd_bn": "#,##0.00",
    "usd": "#,##0.00",
    "pct": "0.0%",
    "pp": "#,##0.00",
    "bps": "#,##0",
    "count": "#,##0",
    "mw": "#,##0.0",
    "twh": "#,##0.00",
    "ratio": '0.00"x"',
    "number": "#,##0.00",
    "integer": "#,##0",
    "fraction": "0.0%",
}

#: The ONE table of Excel number formats, by format hint (the hints of
#: ``core.model.OutputSpec.fmt``, plus the input kinds ``date``, ``text``,
#: ``number``, ``integer``, ``fraction``, ``choice``). The template and the
#: reports both use it; every numeric format except ``year``, ``flag``,
#: ``check`` and ``date`` is a finance format (see :func:`_finance`).
NUMBER_FORMATS: dict[str, str] = {
    **{hint: _finance(body) for hint, body in _BODIES.items()},
    "year": "0",
    "flag": '"Yes";"Yes";"No"',
    # A check's TRUE/FALSE, also when a viewer shows a cached logical value as a number.
    "check": '"TRUE";"TRUE";"FALSE"',
    "date": "yyyy-mm-dd",
    "text": "@",
    "choice": "@",
}


def input_hint(kind: str, unit: str) -> str:
    """The format hint of a model input, from its kind and unit (the template and the reports both use it).

    A year is a year (2024, never 2,024); a fraction, whatever its kind, is a percent
    (an announcement move of 0.058 shows 5.8%); a switch (1 = yes) reads Yes or No.

    >>> input_hint("integer", "year"), input_hint("number", "fraction"), input_hint("number", "US$ bn")
    ('year', 'pct', 'number')
    >>> input_hint("integer", "month"), input_hint("choice", "choice"), input_hint("fraction", "share of full")
    ('integer', 'text', 'pct')
    >>> input_hint("integer", "1 = yes"), input_hint("number", "GPUs")
    ('flag', 'count')
    """
    if unit == "year":
        return "year"
    if unit == "1 = yes":
        return "flag"
    if unit == "GPUs":  # GPUs are counted whole
        return "count"
    if kind in ("text", "choice"):
        return "text"
    if kind in ("date", "integer"):
        return kind
    if kind == "fraction" or unit.startswith("fraction"):
        return "pct"
    return "number"


#: Chart axis formats by format hint: short forms of the finance formats (an axis has no room
#: for units or padding); hints not listed use ``usd_bn``'s.
AXIS_FORMATS: dict[str, str] = {
    "usd_bn": "#,##0.0;(#,##0.0);0",
    "bps": "#,##0;(#,##0);0",
    "pct": "0%",
    "count": "#,##0",
}

#: Colour-blind-safe series colours (Okabe & Ito, 2008), in the order charts use them.
SERIES_COLOURS: tuple[str, ...] = ("0072B2", "E69F00", "009E73", "CC79A7", "56B4E9", "D55E00", "000000")

#: Points of one line of 10 pt text in a row, and characters of it per unit of column width.
LINE_POINTS, CHARS_PER_WIDTH = 13.0, 1.1


def listed_in_words(items: list[str]) -> str:
    """Items as a sentence lists them: ``a``, ``a and b``, ``a, b and c``.

    >>> listed_in_words(["FY2025"]), listed_in_words(["FY2025", "FY2032"]), listed_in_words(["a", "b", "c"])
    ('FY2025', 'FY2025 and FY2032', 'a, b and c')
    """
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def text_lines(text: object, width: float) -> int:
    """Lines a text takes when wrapped in a column ``width`` characters wide (at least 1).

    >>> text_lines("x" * 100, 40), text_lines("short", 40), text_lines(None, 40)
    (3, 1, 1)
    """
    if not isinstance(text, str) or not text:
        return 1
    room = max(int(width * CHARS_PER_WIDTH) - 2, 1)
    return sum(max(math.ceil(len(part) / room), 1) for part in text.split("\n"))


def fit_row_height(ws: Any, row: int, widths: Mapping[int, float]) -> None:
    """Make ``row`` tall enough for its wrapped text in the columns ``widths`` gives (column -> width).

    A viewer does not grow a row for wrapped text written by a program: without a height
    the text of a long cell prints over the rows below it.
    """
    lines = max(text_lines(ws.cell(row=row, column=c).value, w) for c, w in widths.items())
    if lines > 1:
        ws.row_dimensions[row].height = LINE_POINTS * lines + 2


_THIN = Side(style="thin", color="FFBFBFBF")


def _styles() -> list[NamedStyle]:
    return [
        NamedStyle(
            name="dd_input",
            font=Font(name="Calibri", size=11, color=INPUT_BLUE),
            fill=PatternFill("solid", fgColor=_INPUT_FILL),
            border=Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN),
        ),
        NamedStyle(name="dd_formula", font=Font(name="Calibri", size=11, color=FORMULA_BLACK)),
        NamedStyle(name="dd_link", font=Font(name="Calibri", size=11, color=LINK_GREEN)),
        NamedStyle(
            name="dd_check",
            font=Font(name="Calibri", size=11, bold=True, color=FORMULA_BLACK),
            alignment=Alignment(horizontal="center"),
        ),
        NamedStyle(
            name="dd_title",
            font=Font(name="Calibri", size=16, bold=True, color=_HEADER_FILL),
        ),
        NamedStyle(
            name="dd_header",
            font=Font(name="Calibri", size=11, bold=True, color="FFFFFFFF"),
            fill=PatternFill("solid", fgColor=_HEADER_FILL),
        ),
        NamedStyle(name="dd_label", font=Font(name="Calibri", size=11)),
        NamedStyle(name="dd_section", font=Font(name="Calibri", size=12, bold=True)),
        NamedStyle(
            name="dd_note",
            font=Font(name="Calibri", size=10, italic=True, color="FF595959"),
            alignment=Alignment(wrap_text=False),
        ),
        NamedStyle(name="dd_unit", font=Font(name="Calibri", size=10, color="FF595959")),
    ]


#: Names of the registered styles, by role.
STYLE_NAMES: dict[str, str] = {
    "input": "dd_input",
    "formula": "dd_formula",
    "link": "dd_link",
    "check": "dd_check",
    "title": "dd_title",
    "header": "dd_header",
    "label": "dd_label",
    "section": "dd_section",
    "note": "dd_note",
    "unit": "dd_unit",
}

#: Fills of a passing and a failing check (conditional formatting).
CHECK_FILLS = {
    True: PatternFill("solid", fgColor=_CHECK_OK, bgColor=_CHECK_OK),
    False: PatternFill("solid", fgColor=_CHECK_BAD, bgColor=_CHECK_BAD),
}


def register_styles(wb: Any) -> None:
    """Add every DealDesk named style to ``wb`` once (idempotent)."""
    existing = {getattr(s, "name", s) for s in wb.named_styles}
    for style in _styles():
        if style.name not in existing:
            wb.add_named_style(style)


def number_format(hint: str) -> str:
    """Excel number format for a format hint; unknown hints raise naming the accepted ones.

    >>> number_format("pct")
    '[>=0.0005]0.0%_);[<=-0.0005](0.0%);"–"_)'
    """
    try:
        return NUMBER_FORMATS[hint]
    except KeyError:
        raise ValueError(f"format hint must be one of {', '.join(NUMBER_FORMATS)}; got {hint!r}") from None


def is_finance_format(fmt: str) -> bool:
    """True for a number format of :data:`NUMBER_FORMATS` other than text (the reports' tests use it).

    >>> is_finance_format(NUMBER_FORMATS["usd_bn"]), is_finance_format("General")
    (True, False)
    """
    return fmt in _FINANCE


_FINANCE = frozenset(v for k, v in NUMBER_FORMATS.items() if k not in ("text", "choice"))


_SUFFIX = {"ratio": "x"}


def format_text(value: object, hint: str) -> str:
    """A value as the reports' number format shows it, for text output (the command line).

    Thousands separators, negatives in parentheses, a dash for what shows as zero, % where
    the hint says so; no unit (the command line prints it in its own column or heading, as
    the reports do); ``None`` (no value) as ``n/a``.

    >>> format_text(-0.2913, "usd_bn"), format_text(0.925, "pct"), format_text(-46.43, "bps")
    ('(0.29)', '92.5%', '(46)')
    >>> format_text(0.0, "usd_bn"), format_text(-0.004, "pp"), format_text(2031.0, "year")
    ('–', '–', '2031')
    >>> format_text(368422.9, "count"), format_text(0.42, "ratio"), format_text(0.3865, "pct")
    ('368,423', '0.42x', '38.7%')
    """
    if value is None:
        return "n/a"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    number = float(value)
    if hint == "year":
        return f"{number:.0f}"
    if hint == "flag":
        return "Yes" if number else "No"
    if number != number:  # NaN
        return "n/a"
    body = _BODIES.get(hint, _BODIES["number"])
    if abs(number) < near_zero(body):
        return "–"
    percent = "%" in body
    digits = re.search(r"\.(0+)", body)
    decimals = len(digits.group(1)) if digits else 0
    # Rounded as a spreadsheet shows it: the value to 15 significant digits, then half away from
    # zero (0.3865 is 38.7%, where binary rounding of 38.65 would give 38.6%).
    shown = Decimal(f"{abs(number) * (100 if percent else 1):.15g}")
    rounded = shown.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}" + ("%" if percent else "") + _SUFFIX.get(hint, "")
    return f"({text})" if number < 0 else text
