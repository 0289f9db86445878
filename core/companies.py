"""The company library: public figures of every provider and customer in the deal library.

The library ships as ``core/data/companies.csv``, one row per figure, carried
over from public reporting (company releases and filings, news re-posts) with
its period, date, source and confidence. A deal is measured against its own
provider's and customer's figures (see :func:`core.deals.deal_terms`); this
module only holds and looks them up. Rules of the file, checked by
:func:`load_companies`:

* ``field`` is one of ``FIELDS`` and ``unit`` is that field's unit. Money is
  in US$ billions, margins and moves are fractions (0.37 = 37%), share counts
  in billions, prices in US$ per share, fiscal year-end as a month (1-12).
* ``as_of`` is the date the figure describes: a fiscal period's last day, a
  quarter-end for a backlog, the trading day of a close or a move. It is
  blank only for the fiscal year-end and for figures not found.
* ``reported`` is the day the figure became public (the release, call or
  article its source names; a month only is read as its last day). Blank,
  it follows one rule (:data:`REPORTING_LAG_DAYS`): a price, move, share
  count or valuation is public on its ``as_of`` day; a fiscal year's figure
  60 days after the year ends and a quarter's 40 days after the quarter
  (the SEC's 10-K and 10-Q deadlines for large filers: never earlier than
  it was public); a forward-looking figure (a guide, a target, a deal's
  capex) and a run-rate must give their date. A view "as of" a date sees
  only figures reported on or before it (:meth:`Company.values`).
* ``deals`` names library deals the figure belongs to: for a ``close`` or an
  ``announcement_move``, the announcement it precedes or reacts to; for a
  ``backlog``, the deals it already holds (Oracle's $455B at Aug-25 holds
  Oracle–OpenAI, so that deal is measured against the $138B of May-25).
* Kinds are never mixed: a run-rate (``run_rate_revenue``: recent weeks'
  revenue annualised) is not recognised revenue, a quarter's projection is
  not a year's target, an adjusted margin (below −100% when the loss exceeds
  revenue) is not a GAAP one. A range is held as its midpoint, flagged
  ``derived``, the range in the note; a lower bound ("more than $20B") as
  the bound, said so in the note.
* ``confidence`` is high (company release or filing), medium (a major outlet,
  or several agreeing secondary sources), low (one weak source, or derived),
  or "not found": the figure was looked for and is not public; the value is
  then blank and the note says what was found instead.
* ``flags`` keeps the reporting's warnings: ``conflict`` (sources disagree,
  both are in the note), ``unconfirmed`` (one secondary source), ``derived``
  (worked out from cited figures; the arithmetic is in the note).

Names are matched loosely: "Amazon (AWS)", "AWS" and "amazon" all find
Amazon; "Microsoft (Azure)" finds Microsoft; "Google" and "Google Cloud" find
Alphabet (see ``ALIASES``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from core.validation import DealDeskInputError, check_name, name_key

__all__ = [
    "ALIASES",
    "COMPANY_COLUMNS",
    "CONFIDENCE",
    "FIELDS",
    "FLAGS",
    "Company",
    "CompanyLibrary",
    "Figure",
    "company",
    "company_library",
    "company_figures",
    "company_name",
    "load_companies",
]

#: Columns of the company library, in file order.
COMPANY_COLUMNS = (
    "company",
    "field",
    "value",
    "unit",
    "period",
    "as_of",
    "reported",
    "deals",
    "source",
    "confidence",
    "flags",
    "note",
)
#: Confidence of a figure (see the module docstring).
CONFIDENCE = ("high", "medium", "low", "not found")
#: Warnings a figure may carry, in the words of the reporting.
FLAGS = ("conflict", "unconfirmed", "derived")

_BN, _FRACTION, _MONTH, _YEARS = "US$ bn", "fraction", "month", "years"
_SHARES, _PRICE = "bn shares", "US$ per share"

#: Every field of the library: its unit, the range a value must lie in, and what it is.
FIELDS: dict[str, tuple[str, float, float, str]] = {
    "fiscal_year_end": (_MONTH, 1, 12, "month in which the fiscal year ends"),
    "revenue": (_BN, 0, np.inf, "company revenue for a fiscal year (customers: the revenue path)"),
    "operating_margin": (_FRACTION, -1, 1, "company operating margin for a fiscal year"),
    "segment_revenue": (_BN, 0, np.inf, "revenue of the segment the deal sits in, for a fiscal year"),
    "segment_operating_margin": (_FRACTION, -1, 1, "operating margin of that segment, same year"),
    "quarter_revenue": (_BN, 0, np.inf, "revenue of one quarter (segment where stated)"),
    "quarter_operating_margin": (_FRACTION, -1, 1, "operating margin of one quarter"),
    "interim_operating_margin": (_FRACTION, -1, 1, "operating margin over an interim period"),
    "backlog": (_BN, 0, np.inf, "backlog or RPO at a quarter-end"),
    "capex": (_BN, 0, np.inf, "capital expenditure for a fiscal year"),
    "capex_2026": (_BN, 0, np.inf, "capex guide for fiscal 2026"),
    "deal_capex": (_BN, 0, np.inf, "capex disclosed for one deal"),
    "server_life_years": (_YEARS, 0, 30, "depreciation life of servers"),
    "shares": (_SHARES, 0, np.inf, "shares outstanding"),
    "close": (_PRICE, 0, np.inf, "share price at a close"),
    "ipo_price": (_PRICE, 0, np.inf, "offer price at the listing"),
    "announcement_move": (_FRACTION, -1, 10, "share-price move on a deal's announcement"),
    "private_valuation": (_BN, 0, np.inf, "valuation of a private company in a funding round"),
    "revenue_target": (_BN, 0, np.inf, "stated revenue target or projection"),
    "quarter_capex": (_BN, 0, np.inf, "capital expenditure for one quarter"),
    "funding_raised": (_BN, 0, np.inf, "equity or debt raised in a funding round, dated when it closed"),
    "quarter_revenue_target": (_BN, 0, np.inf, "stated revenue projection for one quarter"),
    "run_rate_revenue": (_BN, 0, np.inf, "annualised run-rate as stated on a day: not recognised revenue"),
    "quarter_adjusted_operating_margin": (_FRACTION, -10, 1, "adjusted (non-GAAP) margin of one quarter"),
}

#: Days after ``as_of`` a figure with a blank ``reported`` date is taken as public, by field (see the
#: module docstring): the SEC's deadlines for large filers, 60 days for a 10-K and 40 for a 10-Q;
#: 0 for a market figure dated on its trading day. A field not listed must give its date.
REPORTING_LAG_DAYS: dict[str, int] = {
    "revenue": 60,
    "operating_margin": 60,
    "segment_revenue": 60,
    "segment_operating_margin": 60,
    "capex": 60,
    "quarter_revenue": 40,
    "quarter_operating_margin": 40,
    "interim_operating_margin": 40,
    "quarter_capex": 40,
    "backlog": 40,
    "server_life_years": 0,
    "shares": 0,
    "close": 0,
    "ipo_price": 0,
    "announcement_move": 0,
    "private_valuation": 0,
    "funding_raised": 0,
    "quarter_adjusted_operating_margin": 40,
}

#: Other names of library companies (matched ignoring case, accents and punctuation).
ALIASES: dict[str, str] = {
    "AWS": "Amazon",
    "Amazon Web Services": "Amazon",
    "Azure": "Microsoft",
    "Google": "Alphabet",
    "Google Cloud": "Alphabet",
    "Oracle Cloud": "Oracle",
    "OCI": "Oracle",
    "Meta Platforms": "Meta",
    "Nebius Group": "Nebius",
}


class Figure(NamedTuple):
    """One figure of the company library, with where it comes from."""

    company: str
    field: str
    value: float
    unit: str
    period: str
    as_of: dt.date | None
    reported: dt.date | None
    deals: tuple[str, ...]
    source: str
    confidence: str
    flags: tuple[str, ...]
    note: str

    def describe(self) -> str:
        """The figure's period, source and confidence in one line (flags and note kept).

        >>> print(company("Oracle").latest("backlog", before=dt.date(2025, 6, 1)).describe())
        Oracle backlog (RPO, May-25; as of 2025-05-31): Oracle release 2025-06-11; confidence high; +41%
        """
        when = [p for p in (self.period, self.as_of and f"as of {self.as_of.isoformat()}") if p and p != "–"]
        text = f"{self.company} {self.field.replace('_', ' ')}" + (f" ({'; '.join(when)})" if when else "")
        text += f": {self.source}; confidence {self.confidence}"
        if self.flags:
            text += f" ({', '.join(self.flags)})"
        return text + (f"; {self.note}" if self.note else "")


class Company(NamedTuple):
    """A company's rows of the library, with look-ups by field and date."""

    name: str
    figures: pd.DataFrame

    def values(self, field: str, *, as_of: dt.date | None = None) -> list[Figure]:
        """Every figure of ``field`` that has a value, oldest first (undated first).

        With ``as_of``, only the figures public on that day (``reported`` on or
        before it): the view an analyst had then. AWS's FY2025 revenue was
        reported on 2026-02-05:

        >>> aws = company("Amazon")
        >>> [f.value for f in aws.values("segment_revenue", as_of=dt.date(2025, 11, 3))]
        [107.6]
        >>> [f.value for f in aws.values("segment_revenue", as_of=dt.date(2026, 2, 5))]
        [107.6, 128.7]
        """
        _check_field(field)
        rows = self.figures[(self.figures["field"] == field) & self.figures["value"].notna()]
        found = [_figure(self.name, row) for _, row in rows.iterrows()]
        if as_of is not None:
            found = [f for f in found if f.reported is None or f.reported <= as_of]
        return sorted(found, key=lambda f: (f.as_of or dt.date.min, f.reported or dt.date.min))

    def latest(
        self,
        field: str,
        *,
        before: dt.date | None = None,
        excluding: str | None = None,
        as_of: dt.date | None = None,
    ) -> Figure | None:
        """The newest figure of ``field`` dated strictly before ``before`` (any date when None).

        ``excluding`` skips figures whose ``deals`` hold that deal (a backlog
        that already contains it); ``as_of`` keeps the figures public on that
        day (see :meth:`values`). ``None`` when there is none.

        >>> company("Oracle").latest("backlog", before=dt.date(2025, 9, 10), excluding="Oracle–OpenAI").value
        138.0
        """
        found = [
            f
            for f in self.values(field, as_of=as_of)
            if (before is None or f.as_of is None or f.as_of < before)
            and (excluding is None or excluding not in f.deals)
        ]
        return found[-1] if found else None

    def for_deal(self, field: str, deal: str, *, as_of: dt.date | None = None) -> Figure | None:
        """The figure of ``field`` tied to ``deal`` (a close before it, its announcement move), or None.

        >>> company("Microsoft").for_deal("announcement_move", "Microsoft–OpenAI").value
        0.02
        """
        found = [f for f in self.values(field, as_of=as_of) if deal in f.deals]
        return found[-1] if found else None

    def missing(self, field: str) -> Figure | None:
        """The library's "not found" row for ``field``, which says what was looked for, or None."""
        _check_field(field)
        rows = self.figures[(self.figures["field"] == field) & self.figures["value"].isna()]
        return _figure(self.name, rows.iloc[0]) if not rows.empty else None


def _check_field(field: str) -> None:
    if field not in FIELDS:
        raise DealDeskInputError(f"field must be one of {', '.join(FIELDS)}; got {field!r}")


def _figure(name: str, row: pd.Series) -> Figure:
    return Figure(
        name,
        row["field"],
        float(row["value"]) if pd.notna(row["value"]) else float("nan"),
        row["unit"],
        row["period"],
        row["as_of"],
        row["reported"],
        _split(row["deals"]),
        row["source"],
        row["confidence"],
        _split(row["flags"]),
        row["note"],
    )


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


# --------------------------------------------------------------------------- loading and validation


def _read(source: Any) -> pd.DataFrame:
    if source is None:
        with resources.files("core").joinpath("data", "companies.csv").open("r", encoding="utf-8") as handle:
            return pd.read_csv(handle, dtype=str, keep_default_na=False)
    if isinstance(source, pd.DataFrame):
        return source.astype(object).where(source.notna(), "").astype(str)
    path = Path(source)
    if not path.is_file():
        raise DealDeskInputError(f"path must be an existing company library CSV file, got {str(source)!r}")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _row_error(row: pd.Series, column: str, rule: str, value: Any) -> DealDeskInputError:
    return DealDeskInputError(
        f"company {row['company']!r}, field {row['field']!r}: {column} must be {rule}, got {value!r}"
    )


def load_companies(source: Any = None) -> pd.DataFrame:
    """Load and validate the company library.

    Parameters
    ----------
    source : path, DataFrame or None
        ``None`` (default) reads the library shipped with the package; a path
        reads an analyst's own CSV with the same columns (``COMPANY_COLUMNS``);
        a DataFrame is validated as given.

    Returns
    -------
    pandas.DataFrame
        One row per figure, columns ``COMPANY_COLUMNS``. ``value`` is a float
        (NaN where the figure was not found; units in ``unit``), ``as_of`` a
        ``datetime.date`` or ``None``, the other columns strings.

    Raises
    ------
    DealDeskInputError
        A missing column, an unknown field, a unit that is not the field's, a
        bad number, date, confidence or flag, a value given with confidence
        "not found" (or missing without it), or a figure given twice; the
        message names the company, the field, the column and the rule.

    Examples
    --------
    Oracle's backlog before its OpenAI contract was $138B (RPO at 2025-05-31):

    >>> companies = load_companies()
    >>> row = companies[(companies["company"] == "Oracle") & (companies["field"] == "backlog")].iloc[0]
    >>> float(row["value"]), row["as_of"].isoformat(), row["confidence"]
    (138.0, '2025-05-31', 'high')
    """
    if source is None:
        return _shipped().copy()
    return _validated(source)


@functools.lru_cache(maxsize=1)
def _shipped() -> pd.DataFrame:
    return _validated(None)


def _validated(source: Any) -> pd.DataFrame:
    raw = _read(source)
    if "reported" not in raw.columns:  # a library written before the column existed: every date by the rule
        raw = raw.assign(reported="")
    missing = [c for c in COMPANY_COLUMNS if c not in raw.columns]
    if missing:
        raise DealDeskInputError(
            f"company library must have the columns {', '.join(COMPANY_COLUMNS)}; missing {', '.join(missing)}"
        )
    raw = raw[list(COMPANY_COLUMNS)].apply(lambda col: col.str.strip())
    if raw.empty:
        raise DealDeskInputError("company library must hold at least one figure, got none")
    records: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str, str, str]] = set()
    for number, (_, row) in enumerate(raw.iterrows(), start=1):
        if row["company"] == "":
            raise DealDeskInputError(
                f"company library: company must be a non-empty name, got '' on row {number}"
            )
        record: dict[str, Any] = {c: str(row[c]) for c in COMPANY_COLUMNS}
        field = row["field"]
        if field not in FIELDS:
            raise _row_error(row, "field", "one of " + ", ".join(FIELDS), field)
        unit, low, high, _ = FIELDS[field]
        if row["unit"] != unit:
            raise _row_error(row, "unit", f"{unit!r} for this field", row["unit"])
        if row["confidence"] not in CONFIDENCE:
            raise _row_error(
                row, "confidence", "one of " + ", ".join(repr(c) for c in CONFIDENCE), row["confidence"]
            )
        bad_flags = [f for f in _split(row["flags"]) if f not in FLAGS]
        if bad_flags:
            raise _row_error(
                row, "flags", "blank or a '; '-separated list of " + ", ".join(FLAGS), row["flags"]
            )
        not_found = row["confidence"] == "not found"
        record["value"] = _value(row, not_found, low, high, integer=field == "fiscal_year_end")
        record["as_of"] = _as_of(row, dated=not not_found and field != "fiscal_year_end")
        record["reported"] = _reported(row, record["as_of"], not_found=not_found)
        if not not_found and row["source"] in ("", "–"):
            raise _row_error(row, "source", "the outlet and date the figure comes from", row["source"])
        key = (row["company"].lower(), field, row["as_of"], row["deals"], str(record["reported"]))
        if key in seen:
            raise _row_error(row, "the row", "unique (company, field, as_of, reported, deals)", "a repeat")
        seen.add(key)
        records.append(record)
    table = pd.DataFrame.from_records(records, columns=list(COMPANY_COLUMNS))
    return table.astype({"value": "float64"})


def _value(row: pd.Series, not_found: bool, low: float, high: float, *, integer: bool) -> float:
    text = row["value"]
    if not_found:
        if text != "":
            raise _row_error(row, "value", "blank when confidence is 'not found'", text)
        return float("nan")
    try:
        number = float(text)
    except ValueError:
        raise _row_error(row, "value", "a number (blank only when confidence is 'not found')", text) from None
    if not np.isfinite(number) or not low <= number <= high or (integer and number != int(number)):
        rule = f"{'a whole number' if integer else 'a number'} in [{low:g}, {high:g}]"
        raise _row_error(row, "value", rule, text)
    return number


def _as_of(row: pd.Series, *, dated: bool) -> dt.date | None:
    text = row["as_of"]
    if text == "":
        if dated:
            raise _row_error(row, "as_of", "the ISO date the figure describes, such as 2025-05-31", "")
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _row_error(row, "as_of", "an ISO date such as 2025-05-31 or blank", text) from None


def _reported(row: pd.Series, as_of: dt.date | None, *, not_found: bool) -> dt.date | None:
    """The day the figure became public: its own ``reported`` date, else the rule of ``REPORTING_LAG_DAYS``."""
    text = row["reported"]
    if text != "":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise _row_error(row, "reported", "an ISO date such as 2025-06-11 or blank", text) from None
    if not_found or as_of is None:  # nothing to see, or a fact with no date (a fiscal year-end)
        return None
    lag = REPORTING_LAG_DAYS.get(row["field"])
    if lag is None:
        rule = "the day the figure was published (its source's date; a forward-looking figure or a run-rate"
        raise _row_error(row, "reported", rule + " has no reporting lag)", "")
    return as_of + dt.timedelta(days=lag)


# --------------------------------------------------------------------------- look-up


class CompanyLibrary(NamedTuple):
    """A validated company library with loose name look-up (build with :func:`company_library`)."""

    table: pd.DataFrame

    @property
    def names(self) -> list[str]:
        """Company names in file order."""
        return list(dict.fromkeys(self.table["company"]))

    def find(self, name: Any) -> Company | None:
        """The company ``name`` stands for (see :func:`company_name`), or None when there is none."""
        if not isinstance(name, str) or not name.strip():
            return None
        names = self.names
        lookup = {name_key(n): n for n in names}
        lookup.update({name_key(alias): target for alias, target in ALIASES.items() if target in names})
        outside = re.sub(r"\(.*?\)", " ", name)
        inside = re.findall(r"\((.*?)\)", name)
        for candidate in (name, outside, *inside):
            found = lookup.get(name_key(candidate))
            if found is not None:
                rows = self.table[self.table["company"] == found].reset_index(drop=True)
                return Company(found, rows)
        return None

    def get(self, name: Any) -> Company:
        """The company ``name`` stands for; an unknown name raises, listing the library's companies.

        ``name`` follows the one name rule (:func:`core.validation.check_name`):
        ``"Oracle\\x00"`` is refused, fullwidth ``"Ｏｒａｃｌｅ"`` is Oracle.
        """
        if not isinstance(name, str) or not name.strip():
            raise DealDeskInputError(f"company must be a company name such as 'Oracle', got {name!r}")
        found = self.find(check_name("company", name))
        if found is None:
            listed = ", ".join(repr(n) for n in self.names)
            raise DealDeskInputError(f"company must be one of {listed}; got {name!r}")
        return found


def company_library(companies: Any = None) -> CompanyLibrary:
    """The company library, validated once, for many look-ups (see :class:`CompanyLibrary`).

    >>> company_library().get("AWS").name
    'Amazon'
    """
    return CompanyLibrary(load_companies(companies))


def company_name(name: Any, *, companies: Any = None) -> str:
    """The library's name of a company, tolerant of forms such as "Amazon (AWS)" or "Google Cloud".

    Tries the whole name, then its part outside brackets, then inside, each
    against the library's names and ``ALIASES``, ignoring case and punctuation.

    Parameters
    ----------
    name : str
        A company name as written in the deal library or by an analyst.
    companies : path, DataFrame or None, keyword-only
        The library (see :func:`load_companies`); default the shipped one.

    Returns
    -------
    str
        The name used in the library's ``company`` column.

    Raises
    ------
    DealDeskInputError
        ``name`` is not text or matches no company (the message lists them).

    Examples
    --------
    >>> company_name("Amazon (AWS)"), company_name("Microsoft (Azure)"), company_name("google cloud")
    ('Amazon', 'Microsoft', 'Alphabet')
    """
    return company_library(companies).get(name).name


def company(name: Any, *, companies: Any = None) -> Company:
    """A company of the library with all its figures (see :class:`Company` for look-ups).

    Parameters
    ----------
    name : str
        Matched as by :func:`company_name` ("Amazon (AWS)" finds Amazon).
    companies : path, DataFrame or None, keyword-only
        The library (see :func:`load_companies`); default the shipped one.

    Returns
    -------
    Company
        ``name`` (the library's) and ``figures`` (its rows, ``COMPANY_COLUMNS``).

    Raises
    ------
    DealDeskInputError
        An unknown company.

    Examples
    --------
    Microsoft's fiscal year ends in June; its commercial RPO before the OpenAI
    restructuring (2025-10-28) was $392B at Sep-25:

    >>> msft = company("Microsoft (Azure)")
    >>> msft.latest("fiscal_year_end").value, msft.latest("backlog", before=dt.date(2025, 10, 28)).value
    (6.0, 392.0)
    """
    return company_library(companies).get(name)


def company_figures(name: Any, field: Any = None, *, companies: Any = None) -> Any:
    """A company's figures as a table, or the newest value of one field.

    Parameters
    ----------
    name : str
        Company, matched as by :func:`company_name`.
    field : str, optional
        One of ``FIELDS``. Omitted: every figure of the company. Given: the
        newest value of that field (an error saying so when the library has
        it only as "not found": never NaN).
    companies : path, DataFrame or None, keyword-only
        The library (see :func:`load_companies`); default the shipped one.

    Returns
    -------
    pandas.DataFrame or float
        Without ``field``: columns ``field, value, unit, period, as_of,
        deals, source, confidence, flags, note``, in file order. With it:
        one number in the field's unit.

    Raises
    ------
    DealDeskInputError
        An unknown company or field, or a field with no public figure.

    Examples
    --------
    >>> company_figures("IREN", "fiscal_year_end")
    6.0
    >>> company_figures("Oracle").columns.tolist()[:4]
    ['field', 'value', 'unit', 'period']
    """
    found = company(name, companies=companies)
    if field is None:
        return found.figures.drop(columns="company").reset_index(drop=True)
    if not isinstance(field, str) or field.strip() not in FIELDS:
        raise DealDeskInputError(f"field must be one of {', '.join(FIELDS)}; got {field!r}")
    latest = found.latest(field.strip())
    if latest is None or pd.isna(latest.value):
        raise DealDeskInputError(
            f"{found.name} has no {field.strip()} figure in the company library (not found in public sources)"
        )
    return latest.value
