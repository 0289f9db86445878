"""One name rule for every surface that takes a company, customer, provider or deal name.

``DEAL.COMPANY("Oracle\\x00")`` and fullwidth ``"Ｏｒａｃｌｅ"`` used to return
Oracle while ``DEAL.PORTFOLIO`` and ``DEAL.EXPOSURE`` refused the same text.
The rule (:func:`core.validation.check_name`): control and format characters
are refused everywhere; fullwidth letters are letters everywhere (NFKC).
"""

from __future__ import annotations

import re

import pytest

from core.companies import company_figures
from core.deals import deal_terms, default_portfolio
from core.exposure import exposure_portfolio, exposure_table
from core.validation import DealDeskInputError, check_name, name_key

# Each surface with a name it knows (the library's spelling).
SURFACES = {
    "company": (lambda name: company_figures(name, "fiscal_year_end"), "Oracle"),
    "portfolio customer": (lambda name: default_portfolio(name), "OpenAI"),
    "exposure customers": (lambda name: exposure_portfolio([name]), "OpenAI"),
    "exposure table customers": (lambda name: exposure_table(customers=[name]), "OpenAI"),
    "deal": (lambda name: deal_terms(name).assumptions, "AWS–OpenAI"),
}
FULLWIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


@pytest.mark.parametrize("surface", sorted(SURFACES))
@pytest.mark.parametrize(
    ("hidden", "code"),
    [
        ("\x00", "U+0000"),
        ("\x07", "U+0007"),
        ("\u200b", "U+200B"),
        ("\u202e", "U+202E"),
        ("\ufeff", "U+FEFF"),
    ],
)
def test_control_and_format_characters_are_refused_everywhere(surface, hidden, code):
    call, known = SURFACES[surface]
    rule = f"must be a name without control characters; got {re.escape(code)} at position 4 of"
    with pytest.raises(DealDeskInputError, match=rule):
        call(known[:3] + hidden + known[3:])
    with pytest.raises(DealDeskInputError, match=rule):  # surrounding spaces do not hide it
        call("  " + known[:3] + hidden + known[3:] + "\n")


@pytest.mark.parametrize("surface", sorted(SURFACES))
def test_fullwidth_text_is_the_same_name_everywhere(surface):
    call, known = SURFACES[surface]
    wide = known.translate(FULLWIDTH)
    assert wide != known
    got, expected = call(wide), call(known)
    if hasattr(expected, "equals"):
        assert got.equals(expected)
    else:
        assert got == expected


def test_the_rule_itself():
    assert check_name("company", "  Ｏｒａｃｌｅ\t") == "Oracle"
    assert check_name("deal", "AWS–OpenAI") == "AWS–OpenAI"  # an en dash is a character, not a control
    assert (
        name_key("AWS–OpenAI") == name_key("aws-openai") == name_key("ＡＷＳ－ＯｐｅｎＡＩ") == "aws openai"
    )
    for blank in ("", "   ", None, 5):
        with pytest.raises(
            DealDeskInputError, match=r"^company must be a name as text such as 'OpenAI', got "
        ):
            check_name("company", blank)
