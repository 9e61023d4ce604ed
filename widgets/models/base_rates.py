"""Base rates: what a fasciculation says about ALS *in a population*, by Bayes' rule.

Everything here describes groups of people, never one person's risk. A posterior below
is "of all the people in a population who have this finding, the fraction who have ALS";
it is not a diagnosis and not a personal probability for a reader.

Bayes' rule for a finding F and a disease D::

    P(D | F) = P(F | D) P(D) / [P(F | D) P(D) + P(F | not D) (1 - P(D))]

with P(D) the prior (prevalence), P(F | D) the sensitivity of the finding and
P(F | not D) its false-positive rate.

**One definition on both sides.** A likelihood ratio P(F | D) / P(F | not D) only means
something if F is the same finding in both groups. The cited finding here is "has ever
noticed twitching, as the person reports it": about 70 % of healthy people surveyed
(Reed & Kurland 1963, as quoted by Blexrud et al. 1993) and 56.3 % of 1,758 people with
ALS in the US National ALS Registry's survey of symptoms ever experienced (Raymond et al.
2019). With the point prevalence as prior, the posterior answers a cross-sectional question:
of the people alive today who have ever noticed twitching, what fraction have ALS today.
Fasciculations *found on examination or EMG* are a different finding (nearly universal in
ALS, Mateen et al. 2008; recordable from the foot muscles of every healthy young adult
studied, van der Heijden et al. 1994) and are not mixed with the self-reports.

Numbers labelled "illustrative" (``FWW_*``) are NOT from a source and are there to make the
arithmetic concrete; figures built from them say so on the figure.

Descriptive epidemiology a reader needs alongside (``ALS_EPIDEMIOLOGY``): incidence
(Logroscino et al. 2010), age profile and lifetime risk (Alonso et al. 2009), survival
(Chiò et al. 2009).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from widgets.models.validation import (
    Integer,
    Require,
    ValidRange,
    require_range,
    result_type,
    validated,
)

#: ALS point prevalence, Europe, median of population-based studies: 5.40 per 100,000
#: (IQR 4.06-7.89). Chiò et al. 2013, Neuroepidemiology 41:118, abstract.
ALS_PREVALENCE = 5.40e-5
#: ALS incidence, Europe, median: 2.08 per 100,000 per year (IQR 1.47-2.43). Chiò 2013.
ALS_INCIDENCE_PER_YEAR = 2.08e-5
#: Share of healthy people who have ever noticed twitching (self-report): about 70 %
#: (Reed & Kurland 1963, Arch Neurol 9:363; the figure as quoted by Blexrud et al. 1993).
#: The name is kept for the public API; the definition is "ever noticed, self-reported".
FASCICULATION_IN_HEALTHY = 0.70
#: Share of people with ALS who report having ever experienced fasciculations (self-report):
#: 56.3 % of 1,758 participants in the US National ALS Registry's online clinical survey,
#: 2010-2015 (Raymond, Oskarsson, Mehta & Horton 2019, Amyotroph Lateral Scler
#: Frontotemporal Degener 20:413, abstract). Same definition as FASCICULATION_IN_HEALTHY.
FASCICULATION_IN_ALS = 0.563
#: What the two constants above count, in words (figures and lessons print it).
FASCICULATION_FINDING = "has ever noticed twitching (self-report)"
#: Weakness AND wasting together with fasciculations among people with ALS (by the time
#: of diagnosis): ILLUSTRATIVE value; weakness and wasting are the core lower motor neuron
#: signs of ALS, but we found no single published proportion to cite.
FWW_IN_ALS = 0.80
#: Fasciculations with weakness and wasting among people without ALS (other neuropathies,
#: radiculopathies, myopathies...): ILLUSTRATIVE value, 1 in 1,000; not from a source.
FWW_IN_NON_ALS = 1.0e-3
#: Benign fasciculation follow-up: 121 patients, telephone follow-up 2-32 years after
#: diagnosis, none developed motor neuron disease (Blexrud, Windebank & Daube 1993,
#: Ann Neurol 34:622).
BLEXRUD1993_N = 121
BLEXRUD1993_EVENTS = 0


@result_type()
@dataclass(frozen=True)
class Epidemiology:
    """Descriptive numbers about ALS in populations (each with its source)."""

    #: crude incidence, adults (18+), six European registries 1998-1999 (Logroscino 2010)
    incidence_per_100k_year: float = 2.16
    incidence_men_per_100k_year: float = 3.0
    incidence_women_per_100k_year: float = 2.4
    #: Logroscino 2010: 1,028 incident cases in 2 years, reference population "almost 24
    #: million" adults
    logroscino_cases: int = 1028
    logroscino_years: float = 2.0
    logroscino_population: float = 24e6
    #: age band of peak incidence, both sexes, UK 1990-2005 (Alonso et al. 2009)
    peak_incidence_age_years: tuple = (75, 79)
    #: lifetime risk of motor neuron disease, adjusted for competing causes of death
    #: (Alonso 2009): 1 in 350 men, 1 in 472 women
    lifetime_risk_men_one_in: int = 350
    lifetime_risk_women_one_in: int = 472
    #: median survival from symptom onset to death across studies, months (Chiò et al. 2009)
    median_survival_from_onset_months: tuple = (20, 48)
    #: share surviving more than 10 years (Chiò 2009)
    survival_over_10_years: tuple = (0.10, 0.20)


ALS_EPIDEMIOLOGY = Epidemiology()

SOURCES = {
    "ALS_PREVALENCE": "Chiò A et al. (2013) Neuroepidemiology 41:118-130, "
                      "doi:10.1159/000351153 (Europe median 5.40/100,000)",
    "ALS_INCIDENCE_PER_YEAR": "Chiò A et al. (2013) Neuroepidemiology 41:118-130 "
                              "(Europe median 2.08/100,000/year)",
    "FASCICULATION_IN_HEALTHY": "Reed DM, Kurland LT (1963) Arch Neurol 9:363-367, "
                                "70 % as quoted by Blexrud et al. (1993); ever noticed",
    "FASCICULATION_IN_ALS": "Raymond J, Oskarsson B, Mehta P, Horton K (2019) Amyotroph "
                            "Lateral Scler Frontotemporal Degener 20:413-420, "
                            "doi:10.1080/21678421.2019.1612435: fasciculations ever "
                            "experienced, 56.3 % of 1,758",
    "FWW_IN_ALS": "illustrative (no source)",
    "FWW_IN_NON_ALS": "illustrative (no source)",
    "BLEXRUD1993": "Blexrud MD, Windebank AJ, Daube JR (1993) Ann Neurol 34:622-625: "
                   "121 patients, 0 developed motor neuron disease over 2-32 years",
    "ALS_EPIDEMIOLOGY": "Logroscino G et al. (2010) J Neurol Neurosurg Psychiatry "
                        "81:385-390 (incidence); Alonso A et al. (2009) Eur J Neurol "
                        "16:745-751 (age peak, lifetime risk); Chiò A et al. (2009) "
                        "Amyotroph Lateral Scler 10:310-323 (survival)",
}
#: Which inputs are illustrative (figures must mark anything built from them).
ILLUSTRATIVE = frozenset({"FWW_IN_ALS", "FWW_IN_NON_ALS"})

# --- valid ranges (sliders) --------------------------------------------------------------
PRIOR = ValidRange(1e-7, 0.5, "fraction of population", ALS_PREVALENCE)
PRIOR_PER_100K = ValidRange(0.5, 50.0, "per 100,000", 5.4)
SENSITIVITY = ValidRange(0.0, 1.0, "fraction", FASCICULATION_IN_ALS)
FALSE_POSITIVE_RATE = ValidRange(0.0, 1.0, "fraction", FASCICULATION_IN_HEALTHY)
POPULATION = ValidRange(1, 1e10, "people", 100_000)
#: Teaching ranges for the live panel (kept away from 0 so that P(finding) > 0).
PANEL_SENSITIVITY = ValidRange(0.05, 1.0, "fraction", FASCICULATION_IN_ALS)
PANEL_FPR_FASCICULATION = ValidRange(0.01, 0.99, "fraction", FASCICULATION_IN_HEALTHY)
PANEL_SENSITIVITY_FWW = ValidRange(0.05, 1.0, "fraction", FWW_IN_ALS)
PANEL_FPR_FWW = ValidRange(0.0001, 0.02, "fraction", FWW_IN_NON_ALS)
#: A prevalence for :func:`posterior` (any fraction).
PROBABILITY = ValidRange(0.0, 1.0, "fraction")
ZERO_EVENT_N = ValidRange(1, 1e12, "people")
CONFIDENCE = ValidRange(0.5, 0.9999, "", 0.95)


def _finding_possible(prior_key, sens_key, fpr_key, what="fractions among them are undefined"):
    """Require that some people have the finding: P(finding) > 0."""
    def test(a):
        return a[sens_key] * a[prior_key] + a[fpr_key] * (1.0 - a[prior_key]) > 0.0
    return Require((prior_key, sens_key, fpr_key), test,
                   f"{sens_key} and {fpr_key} cannot both make the finding impossible "
                   f"(P(finding) = 0): no one has it: {what}")


@validated(prior=PROBABILITY, sensitivity=SENSITIVITY, false_positive_rate=FALSE_POSITIVE_RATE,
           requires=[_finding_possible("prior", "sensitivity", "false_positive_rate",
                                       "the posterior undefined")])
def posterior(prior: float, sensitivity: float, false_positive_rate: float) -> float:
    """Fraction of people with the finding who have the disease, in a population.

    ``prior``: prevalence in (0, 1); ``sensitivity``: P(finding | disease);
    ``false_positive_rate``: P(finding | no disease). Bayes' rule (see module docstring).
    Raises ValueError if no one at all would have the finding.
    """
    prior = require_range("prior", prior, (0.0, 1.0))
    sensitivity = require_range("sensitivity", sensitivity, SENSITIVITY)
    false_positive_rate = require_range("false_positive_rate", false_positive_rate,
                                        FALSE_POSITIVE_RATE)
    true_pos = sensitivity * prior
    false_pos = false_positive_rate * (1.0 - prior)
    if true_pos + false_pos == 0.0:
        raise ValueError("sensitivity and false_positive_rate cannot both make the finding "
                         "impossible (P(finding) = 0): posterior undefined")
    return true_pos / (true_pos + false_pos)


@validated(sensitivity=SENSITIVITY, false_positive_rate=FALSE_POSITIVE_RATE,
           requires=[Require(("sensitivity", "false_positive_rate"),
                             lambda a: a["sensitivity"] > 0 or a["false_positive_rate"] > 0,
                             "sensitivity and false_positive_rate cannot both be 0: the "
                             "likelihood ratio 0/0 is undefined")],
           nonfinite={"": "inf when false_positive_rate is 0 (or so small that the ratio "
                          "exceeds the largest float): the finding never occurs without the "
                          "disease"})
def likelihood_ratio(sensitivity: float, false_positive_rate: float) -> float:
    """Positive likelihood ratio, sensitivity / false_positive_rate.

    ``inf`` if false_positive_rate is 0 (or the ratio exceeds the float range); ValueError if
    both are 0 (0/0).
    """
    sensitivity = require_range("sensitivity", sensitivity, SENSITIVITY)
    false_positive_rate = require_range("false_positive_rate", false_positive_rate,
                                        FALSE_POSITIVE_RATE)
    if false_positive_rate == 0 or sensitivity / false_positive_rate > 1.7e308:
        return math.inf
    return sensitivity / false_positive_rate


@validated(n=Integer(ZERO_EVENT_N), confidence=CONFIDENCE)
def zero_event_upper_bound(n: int, confidence: float = 0.95) -> float:
    """Upper confidence bound of a proportion when 0 events were seen in ``n`` people.

    Exact (Clopper-Pearson one-sided): ``1 - (1 - confidence) ** (1 / n)``; about 3/n
    for 95 % (the "rule of three"). For Blexrud et al. (1993), n = 121.
    """
    confidence = require_range("confidence", confidence, CONFIDENCE)
    return 1.0 - (1.0 - confidence) ** (1.0 / n)


@result_type(example=lambda: population_tree(),
             nonfinite={"twitching_per_als_case": "inf when no twitching person has ALS "
                                                  "(sensitivity 0)"})
@dataclass(frozen=True)
class PopulationTree:
    """Expected counts (not random draws) in a population of ``population`` people."""

    population: float
    with_als: float
    twitching: float
    twitching_with_als: float
    twitching_without_als: float
    fww: float                      # fasciculations + weakness + wasting
    fww_with_als: float
    fww_without_als: float

    @property
    def fraction_of_twitching_with_als(self) -> float:
        return self.twitching_with_als / self.twitching if self.twitching else 0.0

    @property
    def fraction_of_fww_with_als(self) -> float:
        return self.fww_with_als / self.fww if self.fww else 0.0

    @property
    def twitching_per_als_case(self) -> float:
        """How many twitching people there are for each twitching person with ALS.

        ``inf`` when no twitching person has ALS (sensitivity 0).
        """
        return (self.twitching / self.twitching_with_als if self.twitching_with_als
                else math.inf)


@validated(population=POPULATION, prior=PRIOR, sensitivity=SENSITIVITY,
           false_positive_rate=FALSE_POSITIVE_RATE, fww_sensitivity=SENSITIVITY,
           fww_false_positive_rate=FALSE_POSITIVE_RATE,
           requires=[_finding_possible("prior", "sensitivity", "false_positive_rate"),
                     _finding_possible("prior", "fww_sensitivity", "fww_false_positive_rate")])
def population_tree(population: float = 100_000, *, prior: float = ALS_PREVALENCE,
                    sensitivity: float = FASCICULATION_IN_ALS,
                    false_positive_rate: float = FASCICULATION_IN_HEALTHY,
                    fww_sensitivity: float = FWW_IN_ALS,
                    fww_false_positive_rate: float = FWW_IN_NON_ALS) -> PopulationTree:
    """Expected counts of a population split by twitching and by ALS.

    A population figure, never a personal risk. The default inputs are the cited
    constants of this module (two of them illustrative, see ``SOURCES``). Raises ValueError
    if a finding would be impossible (its sensitivity and false-positive rate both 0).
    """
    population = require_range("population", population, POPULATION)
    prior = require_range("prior", prior, PRIOR)
    sensitivity = require_range("sensitivity", sensitivity, SENSITIVITY)
    false_positive_rate = require_range("false_positive_rate", false_positive_rate,
                                        FALSE_POSITIVE_RATE)
    fww_sensitivity = require_range("fww_sensitivity", fww_sensitivity, SENSITIVITY)
    fww_false_positive_rate = require_range("fww_false_positive_rate",
                                            fww_false_positive_rate, FALSE_POSITIVE_RATE)
    als = population * prior
    healthy = population - als
    t_als = als * sensitivity
    t_non = healthy * false_positive_rate
    f_als = als * fww_sensitivity
    f_non = healthy * fww_false_positive_rate
    return PopulationTree(population=population, with_als=als, twitching=t_als + t_non,
                          twitching_with_als=t_als, twitching_without_als=t_non,
                          fww=f_als + f_non, fww_with_als=f_als, fww_without_als=f_non)


# --- descriptive epidemiology and honest rounding ----------------------------------------
INCIDENCE_PER_100K_YEAR = ValidRange(0.0, 100.0, "per 100,000 per year", 2.16)
YEARS = ValidRange(0.0, 100.0, "years", 1.0)
INCIDENCE_PER_YEAR = ValidRange(1e-9, 0.1, "per person per year", ALS_INCIDENCE_PER_YEAR)
#: Numbers :func:`round_significant` rounds (|x| up to 1e300, so that rounding cannot overflow).
ROUNDABLE = ValidRange(-1e300, 1e300, "")
SIGNIFICANT_DIGITS = ValidRange(1, 6, "digits", 2)


@validated(population=POPULATION, years=YEARS, incidence_per_100k_year=INCIDENCE_PER_100K_YEAR)
def expected_new_cases(population: float, years: float = 1.0,
                       incidence_per_100k_year: float = ALS_EPIDEMIOLOGY.incidence_per_100k_year
                       ) -> float:
    """Expected number of new diagnoses: population x years x incidence (a population count).

    Default incidence: 2.16 per 100,000 adults per year (Logroscino et al. 2010).
    """
    population = require_range("population", population, POPULATION)
    years = require_range("years", years, YEARS)
    incidence_per_100k_year = require_range("incidence_per_100k_year",
                                            incidence_per_100k_year, INCIDENCE_PER_100K_YEAR)
    return population * years * incidence_per_100k_year / 1e5


@validated(prevalence=PRIOR, incidence_per_year=INCIDENCE_PER_YEAR)
def mean_duration_years(prevalence: float = ALS_PREVALENCE,
                        incidence_per_year: float = ALS_INCIDENCE_PER_YEAR) -> float:
    """Mean duration of the disease implied by prevalence and incidence, P = I x D (years).

    The steady-state relation of descriptive epidemiology: with the European medians of
    Chiò et al. (2013) it gives about 2.6 years, which tests can compare with survival
    studies (median 20-48 months from onset, Chiò et al. 2009).
    """
    prevalence = require_range("prevalence", prevalence, PRIOR)
    incidence_per_year = require_range("incidence_per_year", incidence_per_year, (1e-9, 0.1))
    return prevalence / incidence_per_year


@validated(x=ROUNDABLE, digits=Integer(SIGNIFICANT_DIGITS))
def round_significant(x: float, digits: int = 2) -> float:
    """``x`` rounded to ``digits`` significant figures (how precisely an input is known)."""
    if not math.isfinite(x):
        raise ValueError(f"x must be finite, got {x!r}")
    digits = int(require_range("digits", digits, (1, 6)))
    if x == 0:
        return 0.0
    return round(x, digits - 1 - math.floor(math.log10(abs(x))))


@validated(fraction=PROBABILITY, digits=Integer(SIGNIFICANT_DIGITS),
           requires=[Require(("fraction",), lambda a: a["fraction"] == 0 or a["fraction"] >= 1e-15,
                             "fraction must be 0 or at least 1e-15 (1 in 10^15)")])
def one_in(fraction: float, digits: int = 2) -> str:
    """A fraction as "1 in N", N rounded to ``digits`` significant figures ("none" for 0)."""
    fraction = require_range("fraction", fraction, (0.0, 1.0))
    if fraction == 0:
        return "none"
    return f"1 in {round_significant(1.0 / fraction, digits):,.0f}"


@validated(fraction=PROBABILITY)
def in_100(fraction: float) -> str:
    """A fraction as "about N in 100", to one significant figure (for ILLUSTRATIVE inputs)."""
    fraction = require_range("fraction", fraction, (0.0, 1.0))
    n = round_significant(100.0 * fraction, 1)
    return f"about {n:g} in 100"
