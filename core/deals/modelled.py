"""Which deals of the library DealDesk can model (and why not), and the library as a table with its
companies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from core.companies import company_library
from core.deals.library import load_deals

__all__ = [
    "modelling_refusal",
    "unmodelled_deals",
    "deal_library_table",
]


def modelling_refusal(row: Mapping[str, Any]) -> str:
    """Why a deal row of the library cannot be modelled, or "" when it can.

    DealDesk models a cloud compute purchase from the provider's side: a
    chip-supply or investment deal is not one, and a deal with no disclosed
    value has nothing to schedule.

    >>> deals = load_deals().set_index("deal", drop=False)
    >>> modelling_refusal(deals.loc["AWS–OpenAI"])
    ''
    >>> print(modelling_refusal(deals.loc["Nvidia–OpenAI"]))  # doctest: +NORMALIZE_WHITESPACE
    deal 'Nvidia–OpenAI' is an investment (up to $100B investment, per GW deployed; non-binding letter
    of intent), not a cloud compute purchase; DealDesk models compute purchases from the provider's side
    """
    name, kind = row["deal"], row["kind"]
    if kind != "cloud compute":
        article = "an" if kind[:1] in "aeiou" else "a"
        what = "chip-supply deal" if kind == "chips" else kind
        return (
            f"deal {name!r} is {article} {what} ({row['value_note']}), not a cloud compute purchase; "
            "DealDesk models compute purchases from the provider's side"
        )
    if pd.isna(row["value_usd_bn"]):
        return (
            f"deal {name!r} has no disclosed value ({row['value_note']}); it cannot be modelled without one"
        )
    return ""


def unmodelled_deals(*, deals: Any = None) -> pd.DataFrame:
    """Deals of the library that cannot be modelled, with the reason (columns ``deal``, ``reason``).

    >>> unmodelled_deals()["deal"].tolist()
    ['Google–Anthropic', 'Nvidia–OpenAI', 'AMD–OpenAI', 'Broadcom–OpenAI']
    """
    library = load_deals(deals)
    reasons = [(row["deal"], modelling_refusal(row)) for _, row in library.iterrows()]
    return pd.DataFrame([r for r in reasons if r[1]], columns=["deal", "reason"])


def deal_library_table(*, deals: Any = None, companies: Any = None) -> pd.DataFrame:
    """The deal library with, for each deal, its companies in the company library and whether it is modelled.

    Columns ``DEAL_COLUMNS`` plus ``provider_company`` and ``customer_company``
    (the names under which :func:`deal_terms` finds their figures; blank when
    the company library has none) and ``not_modelled`` (why the deal cannot
    be modelled; blank when it can).

    >>> t = deal_library_table().set_index("deal")
    >>> t.loc["AWS–OpenAI", ["provider", "provider_company", "not_modelled"]].tolist()
    ['Amazon (AWS)', 'Amazon', '']
    >>> t.loc["Nvidia–OpenAI", "not_modelled"][:44]
    "deal 'Nvidia–OpenAI' is an investment (up to"
    """
    library = load_deals(deals)
    table = company_library(companies)

    def library_name(name: str) -> str:
        found = table.find(name)
        return found.name if found is not None else ""

    out = library.copy()
    out["provider_company"] = [library_name(n) for n in library["provider"]]
    out["customer_company"] = [library_name(n) for n in library["customer"]]
    out["not_modelled"] = [modelling_refusal(row) for _, row in library.iterrows()]
    return out
