"""Bayes with published base rates: arithmetic, properties, population tree."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.models import base_rates as br


def test_posterior_hand_calculation_exact():
    # Independent exact rational arithmetic: prior 1/1000, sens 9/10, fpr 1/10.
    prior, sens, fpr = Fraction(1, 1000), Fraction(9, 10), Fraction(1, 10)
    expected = sens * prior / (sens * prior + fpr * (1 - prior))
    assert br.posterior(1e-3, 0.9, 0.1) == pytest.approx(float(expected), rel=1e-12)
    # = 9 / 1008 = 0.00892857...
    assert float(expected) == pytest.approx(9 / 1008)


def test_posterior_textbook_mammography_example():
    # Published worked example (Gigerenzer & Hoffrage 1995, Psychol Rev 102:684):
    # prevalence 1 %, sensitivity 80 %, false-positive rate 9.6 % -> posterior 7.8 %.
    assert br.posterior(0.01, 0.80, 0.096) == pytest.approx(0.078, abs=0.001)


def test_cited_fasciculation_alone_is_rare_in_population():
    # Chiò 2013 prevalence 5.4/100,000; 70 % of healthy people twitch (Reed & Kurland 1963);
    # nearly all ALS patients (0.95). Hand: 5.4e-5*0.95 / (5.4e-5*0.95 + 0.7*(1-5.4e-5)).
    hand = 5.4e-5 * 0.95 / (5.4e-5 * 0.95 + 0.7 * (1 - 5.4e-5))
    post = br.posterior(br.ALS_PREVALENCE, br.FASCICULATION_IN_ALS,
                        br.FASCICULATION_IN_HEALTHY)
    assert post == pytest.approx(hand, rel=1e-12)
    assert post < 1e-4   # fewer than 1 in 10,000 twitching people


def test_population_tree_counts():
    t = br.population_tree(100_000)
    assert t.with_als == pytest.approx(5.4)
    assert t.twitching_with_als == pytest.approx(5.4 * 0.95)
    assert t.twitching_without_als == pytest.approx((100_000 - 5.4) * 0.70)
    assert t.twitching == pytest.approx(t.twitching_with_als + t.twitching_without_als)
    assert t.fraction_of_twitching_with_als == pytest.approx(
        br.posterior(br.ALS_PREVALENCE, 0.95, 0.70))
    assert t.fraction_of_fww_with_als == pytest.approx(
        br.posterior(br.ALS_PREVALENCE, br.FWW_IN_ALS, br.FWW_IN_NON_ALS))
    # weakness and wasting make ALS far more likely than twitching alone
    assert t.fraction_of_fww_with_als > 100 * t.fraction_of_twitching_with_als


def test_zero_event_bound_blexrud1993():
    # 0 of 121 (Blexrud et al. 1993); exact one-sided 95 % bound vs rule of three
    # (Hanley & Lippman-Hand 1983, JAMA 249:1743): 3/n.
    b = br.zero_event_upper_bound(br.BLEXRUD1993_N)
    assert b == pytest.approx(1 - 0.05 ** (1 / 121))
    assert b == pytest.approx(3 / 121, rel=0.02)


def test_sources_cover_constants():
    for key in ("ALS_PREVALENCE", "ALS_INCIDENCE_PER_YEAR", "FASCICULATION_IN_HEALTHY",
                "FASCICULATION_IN_ALS", "FWW_IN_ALS", "FWW_IN_NON_ALS", "BLEXRUD1993"):
        assert key in br.SOURCES


def test_likelihood_ratio():
    assert br.likelihood_ratio(0.95, 0.7) == pytest.approx(0.95 / 0.7)
    assert br.likelihood_ratio(0.5, 0.0) == float("inf")


probs = st.floats(0.001, 0.999)


@settings(max_examples=300, deadline=None)
@given(prior=probs, sens=probs, fpr=probs)
def test_posterior_in_unit_interval_and_bayes_identity(prior, sens, fpr):
    post = br.posterior(prior, sens, fpr)
    assert 0.0 <= post <= 1.0
    # odds form of Bayes: posterior odds = prior odds x likelihood ratio
    assert post / (1 - post) == pytest.approx(prior / (1 - prior) * sens / fpr, rel=1e-9)


@settings(max_examples=300, deadline=None)
@given(p1=probs, p2=probs, sens=probs, fpr=probs)
def test_posterior_monotone_in_prior(p1, p2, sens, fpr):
    lo, hi = sorted((p1, p2))
    assert br.posterior(lo, sens, fpr) <= br.posterior(hi, sens, fpr) + 1e-15


@pytest.mark.parametrize(("args", "name"), [
    ((-0.1, 0.5, 0.5), "prior"),
    ((1.1, 0.5, 0.5), "prior"),
    ((float("nan"), 0.5, 0.5), "prior"),
    ((0.1, 1.5, 0.5), "sensitivity"),
    ((0.1, -0.5, 0.5), "sensitivity"),
    ((0.1, 0.5, 2.0), "false_positive_rate"),
    ((0.1, 0.5, float("inf")), "false_positive_rate"),
    ((0.1, 0.0, 0.0), "posterior undefined"),
])
def test_posterior_rejects_bad_input(args, name):
    with pytest.raises(ValueError, match=name):
        br.posterior(*args)


def test_other_functions_reject_bad_input():
    with pytest.raises(ValueError, match="population"):
        br.population_tree(0)
    with pytest.raises(ValueError, match="prior"):
        br.population_tree(prior=0.9)
    with pytest.raises(ValueError, match="sensitivity"):
        br.population_tree(sensitivity=2.0)
    with pytest.raises(ValueError, match="false_positive_rate"):
        br.population_tree(false_positive_rate=-1.0)
    with pytest.raises(ValueError, match="fww_sensitivity"):
        br.population_tree(fww_sensitivity=float("nan"))
    with pytest.raises(ValueError, match="fww_false_positive_rate"):
        br.population_tree(fww_false_positive_rate=1.5)
    with pytest.raises(ValueError, match="sensitivity"):
        br.likelihood_ratio(1.5, 0.5)
    with pytest.raises(ValueError, match="false_positive_rate"):
        br.likelihood_ratio(0.5, -0.5)
    with pytest.raises(ValueError, match="n"):
        br.zero_event_upper_bound(0)
    with pytest.raises(ValueError, match="confidence"):
        br.zero_event_upper_bound(10, confidence=1.0)
