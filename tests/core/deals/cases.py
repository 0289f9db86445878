"""Cases shared by the deal library's tests: the deals of the facts table in order, CoreWeave's three
contracts, the deals that can be modelled, and the shipped CSV as raw text to break one cell at a time."""

from __future__ import annotations

from importlib import resources

import pandas as pd

# The "AI compute contracts" table of the project's public facts, in order, with the contracts
# reported since (the 2026 evidence): the AWS–OpenAI expansion (2026-02-27), Anthropic's ~$200B
# Google Cloud commitment (The Information, 2026-05-05) and its $100B+ AWS deal (2026-04-20).
FACTS_DEALS = [
    "AWS–OpenAI",
    "AWS–OpenAI expansion",
    "Microsoft–OpenAI",
    "Oracle–OpenAI",
    "CoreWeave–OpenAI (Mar-25)",
    "CoreWeave–OpenAI (May-25)",
    "CoreWeave–OpenAI (Sep-25)",
    "Microsoft–Nebius",
    "Microsoft–IREN",
    "Microsoft–Nscale",
    "Meta–CoreWeave",
    "Meta–Google Cloud",
    "Google–Anthropic",
    "Google–Anthropic (May-26)",
    "Anthropic–Microsoft–Nvidia",
    "Anthropic–AWS",
    "Nvidia–OpenAI",
    "AMD–OpenAI",
    "Broadcom–OpenAI",
]


CW = ("CoreWeave–OpenAI (Mar-25)", "CoreWeave–OpenAI (May-25)", "CoreWeave–OpenAI (Sep-25)")


_MODELLED = [
    n for n in FACTS_DEALS if n not in ("Google–Anthropic", "Nvidia–OpenAI", "AMD–OpenAI", "Broadcom–OpenAI")
]


def _library() -> pd.DataFrame:
    """The shipped CSV as raw text, to break one cell at a time."""
    with resources.files("core").joinpath("data", "deals.csv").open(encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


def _one_deal(**cells: str) -> pd.DataFrame:
    """The library's first row (AWS–OpenAI) alone, with some cells replaced."""
    frame = _library().iloc[:1].copy()
    for column, value in cells.items():
        frame.loc[0, column] = value
    return frame
