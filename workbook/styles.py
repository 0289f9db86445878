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

from typing import Any

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

__all__ = [
    "INPUT_BLUE",
    "LINK_GREEN",
    "FORMULA_BLACK",
    "AXIS_FORMATS",
    "NUMBER_FORMATS",
    "SERIES_COLOURS",
    "format_text",
    "is_finance_format",
    "STYLE_NAMES",
    "number_format",
    "register_styles",
]

#: FAST colour code: inputs blue, links from other sheets green, formulas black.
INPUT_BLUE = "FF0000FF"
LINK_GREEN = "FF008000"
FORMULA_BLACK = "FF000000"
_INPUT_FILL = "FFFFF2CC"
_HEADER_FILL = "FF1F3864"
_CHECK_OK = "FFC6EFCE"
_CHECK_BAD = "FFFFC7CE"


def _finance(body: str, unit: str = "") -> str:
    """A finance number format: thousands separators, negatives in parentheses, zero as a dash.

    ``_)`` leaves room for the closing parenthesis so that positive and
    negative numbers line up in a column.

    >>> _finance("#,##0.0")
    '#,##0.0_);(#,##0.0);"–"_)'
    """
    suffix = f'" {unit}"' if unit else ""
    return f'{body}{suffix}_);({body}{suffix});"–"_)'


#: The ONE table of Excel number formats, by format hint (the hints of
#: ``core.model.OutputSpec.fmt``, plus the input kinds ``date``, ``text``,
#: ``number``, ``integer``, ``fraction``, ``choice``). The template and the
#: reports both use it; every numeric format except ``year`` and ``date``
#: is a finance format (see :func:`_finance`).
NUMBER_FORMATS: dict[str, str] = {
    "usd_bn": _finance("#,##0.00"),
    "usd": _finance("#,##0.00"),
    "pct": _finance("0.0%"),
    "pp": _finance("#,##0.00", "pp"),
    "bps": _finance("#,##0", "bps"),
    "count": _finance("#,##0"),
    "mw": _finance("#,##0.0"),
    "twh": _finance("#,##0.00"),
    "year": "0",
    "ratio": _finance('0.00"x"'),
    "flag": '"Yes";"Yes";"No"',
    # A check's TRUE/FALSE, also when a viewer shows a cached logical value as a number.
    "check": '"TRUE";"TRUE";"FALSE"',
    "date": "yyyy-mm-dd",
    "text": "@",
    "number": _finance("#,##0.00"),
    "integer": _finance("#,##0"),
    "fraction": _finance("0.0%"),
    "choice": "@",
}

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
    '0.0%_);(0.0%);"–"_)'
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


_DECIMALS = {
    "usd_bn": 2,
    "usd": 2,
    "pct": 1,
    "pp": 2,
    "bps": 0,
    "count": 0,
    "mw": 1,
    "twh": 2,
    "ratio": 2,
    "number": 2,
    "integer": 0,
    "fraction": 1,
}
_SUFFIX = {"pp": " pp", "bps": " bps", "ratio": "x"}


def format_text(value: object, hint: str) -> str:
    """A value as the reports' number format shows it, for text output (the command line).

    Thousands separators, negatives in parentheses, zero as a dash, % and bps
    where the hint says so; ``None`` (no value) as ``n/a``.

    >>> format_text(-0.2913, "usd_bn"), format_text(0.925, "pct"), format_text(-46.43, "bps")
    ('(0.29)', '92.5%', '(46 bps)')
    >>> format_text(0.0, "usd_bn"), format_text(2031.0, "year"), format_text(368422.9, "count")
    ('–', '2031', '368,423')
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
    percent = hint in ("pct", "fraction")
    decimals = _DECIMALS.get(hint, 2)
    shown = abs(number) * (100 if percent else 1)
    if round(shown, decimals) == 0:
        return "–"
    text = f"{shown:,.{decimals}f}" + ("%" if percent else "") + _SUFFIX.get(hint, "")
    return f"({text})" if number < 0 else text
