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
    # Chiò 2013 prevalence 5.4/100,000; twitching ever noticed by 70 % of healthy people
    # (Reed & Kurland 1963, as quoted by Blexrud 1993) and reported as ever experienced by
    # 56.3 % of people with ALS (Raymond et al. 2019). Hand calculation of Bayes' rule:
    hand = 5.4e-5 * 0.563 / (5.4e-5 * 0.563 + 0.7 * (1 - 5.4e-5))
    post = br.posterior(br.ALS_PREVALENCE, br.FASCICULATION_IN_ALS,
                        br.FASCICULATION_IN_HEALTHY)
    assert post == pytest.approx(hand, rel=1e-12)
    assert post < 1e-4   # fewer than 1 in 10,000 twitching people


def test_self_reported_inputs_share_one_definition():
    # Both likelihood inputs are "ever noticed / ever experienced" self-reports (issue 12.4):
    # the sources say so, and neither is the examination/EMG figure of Mateen 2008.
    for key in ("FASCICULATION_IN_HEALTHY", "FASCICULATION_IN_ALS"):
        assert "ever" in br.SOURCES[key]
        assert "Mateen" not in br.SOURCES[key]
    assert br.FASCICULATION_IN_ALS == 0.563          # Raymond et al. 2019, abstract
    # the ratio of like to like is close to 1: noticing twitching barely separates the groups
    assert 0.5 < br.likelihood_ratio(br.FASCICULATION_IN_ALS, br.FASCICULATION_IN_HEALTHY) < 1.5
    assert {"FWW_IN_ALS", "FWW_IN_NON_ALS"} == br.ILLUSTRATIVE
    assert all("illustrative" in br.SOURCES[k] for k in br.ILLUSTRATIVE)


def test_incidence_reproduces_logroscino2010_case_count():
    # Logroscino et al. 2010 (J Neurol Neurosurg Psychiatry 81:385): 1,028 incident cases in
    # 2 years in a reference population of almost 24 million adults; crude 2.16/100,000/yr.
    e = br.ALS_EPIDEMIOLOGY
    cases = br.expected_new_cases(e.logroscino_population, e.logroscino_years)
    assert cases == pytest.approx(e.logroscino_cases, rel=0.02)
    # the abstract's sex-specific rates (men 3.0, women 2.4) are both above the crude 2.16
    # (they are not a split of it); the model keeps them as published, men above women
    assert e.incidence_men_per_100k_year > e.incidence_women_per_100k_year


def test_prevalence_over_incidence_matches_survival_studies():
    # Independent sources: Chiò 2013 prevalence 5.40 and incidence 2.08 per 100,000 give a
    # mean duration P/I of about 2.6 years; Chiò 2009 (Amyotroph Lateral Scler 10:310)
    # reports median survival from onset of 20 to 48 months across studies.
    d_years = br.mean_duration_years()
    assert d_years == pytest.approx(5.40 / 2.08)
    lo, hi = br.ALS_EPIDEMIOLOGY.median_survival_from_onset_months
    assert lo / 12 <= d_years <= hi / 12


def test_lifetime_risk_alonso2009():
    # Alonso et al. 2009 (Eur J Neurol 16:745): 1 in 350 men (2.9 per 1000), 1 in 472 women
    # (2.1 per 1000): the two forms of the same published number agree.
    e = br.ALS_EPIDEMIOLOGY
    assert 1000 / e.lifetime_risk_men_one_in == pytest.approx(2.9, abs=0.05)
    assert 1000 / e.lifetime_risk_women_one_in == pytest.approx(2.1, abs=0.05)


@pytest.mark.parametrize(("x", "digits", "expected"), [
    (13645.2, 2, 14000.0), (23025.0, 2, 23000.0), (0.0413, 1, 0.04), (88.99, 1, 90.0),
    (1.36, 2, 1.4), (-0.0567, 2, -0.057), (0.0, 2, 0.0)])
def test_round_significant(x, digits, expected):
    assert br.round_significant(x, digits) == pytest.approx(expected)


def test_one_in_and_in_100_wording():
    assert br.one_in(1 / 13645) == "1 in 14,000"
    assert br.one_in(0.0) == "none"
    assert br.in_100(0.8899) == "about 90 in 100"
    assert br.in_100(0.0414) == "about 4 in 100"
    with pytest.raises(ValueError, match="fraction"):
        br.one_in(1.5)
    with pytest.raises(ValueError, match="x must be finite"):
        br.round_significant(float("nan"))


def test_population_tree_counts():
    t = br.population_tree(100_000)
    assert t.with_als == pytest.approx(5.4)
    assert t.twitching_with_als == pytest.approx(5.4 * 0.563)
    assert t.twitching_without_als == pytest.approx((100_000 - 5.4) * 0.70)
    assert t.twitching == pytest.approx(t.twitching_with_als + t.twitching_without_als)
    assert t.fraction_of_twitching_with_als == pytest.approx(
        br.posterior(br.ALS_PREVALENCE, 0.563, 0.70))
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
                "FASCICULATION_IN_ALS", "FWW_IN_ALS", "FWW_IN_NON_ALS", "BLEXRUD1993",
                "ALS_EPIDEMIOLOGY"):
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
    with pytest.raises(ValueError, match="years"):
        br.expected_new_cases(1000, years=-1)
    with pytest.raises(ValueError, match="incidence_per_100k_year"):
        br.expected_new_cases(1000, incidence_per_100k_year=float("nan"))
    with pytest.raises(ValueError, match="incidence_per_year"):
        br.mean_duration_years(incidence_per_year=0.0)
