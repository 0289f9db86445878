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
    "NUMBER_FORMATS",
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

#: Excel number formats by format hint (the hints of ``core.model.OutputSpec.fmt``,
#: plus ``date``, ``text``, ``number`` and ``integer`` for inputs).
NUMBER_FORMATS: dict[str, str] = {
    "usd_bn": "#,##0.000;[Red]-#,##0.000",
    "usd": "#,##0.00",
    "pct": "0.0%",
    "pp": '0.00" pp"',
    "bps": '0.0" bps"',
    "count": "#,##0",
    "mw": "#,##0.0",
    "twh": "#,##0.00",
    "year": "0",
    "ratio": '0.00"x"',
    "flag": "0",
    "date": "yyyy-mm-dd",
    "text": "@",
    "number": "General",
    "integer": "0",
    "fraction": "0.0%",
    "choice": "@",
}

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
    '0.0%'
    """
    try:
        return NUMBER_FORMATS[hint]
    except KeyError:
        raise ValueError(f"format hint must be one of {', '.join(NUMBER_FORMATS)}; got {hint!r}") from None
