"""core.watch: the customer's later-reported figures beside the signing-day path, worked by hand.

A year against the path's year; a quarter against the path's year × its days ÷ the year's; a run-rate,
labelled annualised, against the path's annualised rate on its day (years read at mid-year, geometric
between); an adjusted margin with no model figure.
"""

from __future__ import annotations

import datetime as dt

import pytest

from core.validation import DealDeskInputError
from core.watch import watch_list

# Anthropic's path on every Anthropic signing day: 2025's $4.7B (The Information via The Decoder,
# 2025-11-09, a projection) to 2028's $70B (same report), R(t) = 4.7 × (70 ÷ 4.7)^((t − 2025) ÷ 3).
G_ANTHROPIC = (70 / 4.7) ** (1 / 3)
# OpenAI's on the AWS–OpenAI signing day (2025-11-03): 2024's $3.7B to the article's $50B by 2027.
G_OPENAI = (50 / 3.7) ** (1 / 3)


def _rows(deal: str, **kwargs):
    return watch_list(deal, **kwargs).set_index(["figure", "period"])


def test_anthropics_quarters_and_run_rate_against_the_google_anthropic_may_26_signing_day_path():
    rows = _rows("Google–Anthropic (May-26)")
    revenue_2026 = 4.7 * G_ANTHROPIC  # 11.558
    # Q1 2026: 90 of 2026's 365 days, so 11.558 × 90/365 = 2.850; reported $4.8B (WSJ / Reuters via AsiaICT
    # 2026-05-29, low).
    q1 = rows.loc[("Customer quarter revenue", "Q1 2026")]
    assert q1["model"] == pytest.approx(revenue_2026 * 90 / 365, rel=1e-12)
    assert (q1["reported"], q1["unit"], q1["reported_on"], q1["confidence"]) == (
        4.8,
        "US$ bn",
        dt.date(2026, 5, 29),
        "low",
    )
    assert q1["variance"] == pytest.approx(4.8 - revenue_2026 * 90 / 365, rel=1e-12)
    assert q1["source"] == "WSJ / Reuters via AsiaICT 2026-05-29"
    assert "11.6B × 90/365" in q1["cause"]
    # Q2 2026's projection (>$10.9B, a lower bound): 91 days (Apr 30 + May 31 + Jun 30).
    q2 = rows.loc[("Customer quarter revenue projection", "Q2 2026")]
    assert q2["model"] == pytest.approx(revenue_2026 * 91 / 365, rel=1e-12)
    assert q2["variance"] == pytest.approx(10.9 - revenue_2026 * 91 / 365, rel=1e-12)
    assert "a lower bound" in q2["cause"] and "~$559M" in q2["cause"]
    # The run-rate of Apr–May 2026 (~$44–47B, conflict; held as 45.5 on 2026-05-31): the path's rate on
    # 2026-05-31, 334 days after 2025-07-01 (280 to Apr 7, then 23 + 31) of 365:
    # 4.7 × (70/4.7)^((334/365) ÷ 3) = 10.712.
    run = rows.loc[("Customer run-rate (annualised)", "Apr–May 2026")]
    model = 4.7 * G_ANTHROPIC ** (334 / 365)
    assert run["model"] == pytest.approx(model, rel=1e-12) and run["model"] == pytest.approx(10.712, abs=5e-4)
    assert run["variance"] == pytest.approx(45.5 - model, rel=1e-12)
    assert run["reported_on"] == dt.date(2026, 5, 31)
    assert "not recognised revenue" in run["cause"] and "annualised rate on 2026-05-31" in run["cause"]
    assert "conflict, derived" in run["cause"] and "~$44–47B" in run["cause"]
    assert len(rows) == 3  # nothing else about Google Cloud or Anthropic was reported after 2026-05-05


@pytest.mark.parametrize(
    ("as_of", "shown"),
    [
        ("2026-05-28", set()),
        ("2026-05-29", {"Customer quarter revenue", "Customer quarter revenue projection"}),
        ("2026-05-30", {"Customer quarter revenue", "Customer quarter revenue projection"}),
        (
            "2026-05-31",
            {
                "Customer quarter revenue",
                "Customer quarter revenue projection",
                "Customer run-rate (annualised)",
            },
        ),
    ],
)
def test_a_customer_figure_is_shown_from_the_day_it_was_reported(as_of, shown):
    # The quarters were reported on 2026-05-29, the Apr–May run-rate is public from 2026-05-31: each is in
    # the list on its own day, not the day before.
    assert set(watch_list("Google–Anthropic (May-26)", as_of=as_of)["figure"]) == shown


def test_the_30b_run_rate_against_the_anthropic_microsoft_nvidia_path():
    # Signed 2025-11-18: run-rates reported after it are Dec 2025 onwards; $1B (start of 2025, public
    # 2025-10-24), $5B (Aug) and $7B (Oct) were public before and are not shown.
    rows = _rows("Anthropic–Microsoft–Nvidia")
    run_rates = rows.xs("Customer run-rate (annualised)", level="figure")
    assert list(run_rates.index) == [
        "Dec 2025",
        "Feb 2026",
        "Mar 2026",
        "told staff 2026-04-07",
        "Apr–May 2026",
    ]
    assert list(run_rates["reported"]) == [9.0, 14.0, 19.5, 30.0, 45.5]
    # $30B on 2026-04-07: 280 days after 2025-07-01 of 365, so 4.7 × (70/4.7)^((280/365) ÷ 3) = 9.377;
    # variance 30 − 9.377 = 20.623.
    staff = run_rates.loc["told staff 2026-04-07"]
    assert staff["model"] == pytest.approx(4.7 * G_ANTHROPIC ** (280 / 365), rel=1e-12)
    assert staff["variance"] == pytest.approx(20.623, abs=5e-4)
    assert "~$22B net of cloud-platform fees" in staff["cause"]
    # Dec 2025: 183 days after 2025-07-01, 4.7 × (70/4.7)^((183/365) ÷ 3) = 7.381.
    assert run_rates.loc["Dec 2025", "model"] == pytest.approx(4.7 * G_ANTHROPIC ** (183 / 365), rel=1e-12)


def test_anthropic_aws_shows_only_what_came_after_its_signing():
    # Signed 2026-04-20: the $30B of 2026-04-07 was public and is not a later figure; the Apr–May run-rate and
    # the quarters are.
    rows = _rows("Anthropic–AWS")
    customer = {key for key in rows.index if key[0].startswith("Customer")}
    assert customer == {
        ("Customer quarter revenue", "Q1 2026"),
        ("Customer quarter revenue projection", "Q2 2026"),
        ("Customer run-rate (annualised)", "Apr–May 2026"),
    }


def test_the_original_google_anthropic_deal_has_no_watch_list_it_is_not_modelled():
    # "tens of billions" (Bloomberg, 2025-10-23): no value, so no model to set beside anything.
    with pytest.raises(DealDeskInputError, match=r"'Google–Anthropic' has no disclosed value"):
        watch_list("Google–Anthropic")


def test_openais_quarter_run_rates_and_adjusted_margin_against_the_aws_openai_signing_day():
    rows = _rows("AWS–OpenAI")
    # Q1 2026 recognised ~$5.7B (faq.com.tw citing The Information, 2026-05-23): the path's 2026,
    # 3.7 × (50/3.7)^(2/3) = 20.992, × 90/365 = 5.176.
    q1 = rows.loc[("Customer quarter revenue", "Q1 2026")]
    assert q1["model"] == pytest.approx(3.7 * G_OPENAI**2 * 90 / 365, rel=1e-12)
    assert q1["variance"] == pytest.approx(5.7 - 3.7 * G_OPENAI**2 * 90 / 365, rel=1e-12)
    # The exit rate of 2025, >$20B (CFO blog 2026-01-18): the path's rate on 2025-12-31, 183 days after
    # 2025-07-01 of 365: 3.7 × (50/3.7)^((1 + 183/365) ÷ 3) = 13.618.
    exit_rate = rows.loc[("Customer run-rate (annualised)", "end-2025 (exit rate)")]
    assert exit_rate["model"] == pytest.approx(3.7 * G_OPENAI ** (1 + 183 / 365), rel=1e-12)
    assert exit_rate["reported"] == 20.0 and exit_rate["confidence"] == "high"
    # The two March 2026 run-rates disagree ($25B vs >$2B a month): both shown, each flagged conflict.
    conflict = [
        rows.loc[("Customer run-rate (annualised)", p), "cause"]
        for p in ("Feb–Mar 2026", "Mar 2026 (>$2B a month × 12)")
    ]
    assert all("(conflict" in c for c in conflict)
    # The adjusted margin −122% (low): no model figure, so no variance.
    margin = rows.loc[("Customer quarter adjusted operating margin", "Q1 2026")]
    assert (margin["model"], margin["reported"], margin["variance"], margin["unit"]) == (
        None,
        -1.22,
        None,
        "fraction",
    )
    assert margin["cause"].startswith("the model holds no customer margin (adjusted operating margin −122%")
    # An unconfirmed projection says so in its cause.
    assert "(unconfirmed;" in rows.loc[("Customer revenue target", "2026"), "cause"]
