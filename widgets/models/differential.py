"""The differential of twitching: where each movement is generated, and what the evidence is.

Three pieces of structured, cited knowledge used by Part 3, lessons 4-6. Nothing here is
a simulation; each entry carries the bibliography keys (``book/references.bib``) of the
sources it summarises, so that tests can check that every entry is sourced.

* :data:`BRAIN_DISORDERS`: disorders of the brain whose movements are often called
  "twitching", the movement each typically causes (one of
  :data:`widgets.models.movements.KINDS`) and the level of the nervous system that
  generates it. None of them is a fasciculation: fasciculations are generated in the lower
  motor neuron (motor axon or motor neuron), the others in the brain (de Carvalho et al.
  2017; Eberhardt & Topka 2017).
* :data:`OTHER_CAUSES`: other conditions that popular articles list as causes of twitching,
  each graded on two ordinal scales defined below: is there a plausible mechanism by which
  it could make a motor unit discharge on its own, and what kind of evidence links it to
  fasciculation. The grades are our reading of the cited literature, stated so that a
  reader can check and dispute them; they are not from a published scale.
* :func:`posterior_curve`: the fraction of people *in a population* with a finding who have
  ALS, as prevalence varies (Bayes' rule, :func:`widgets.models.base_rates.posterior`).
  A population figure, never a personal risk.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from widgets.models import base_rates
from widgets.models.movements import KINDS
from widgets.models.validation import (
    Choice,
    Integer,
    Require,
    ValidRange,
    require_range,
    result_type,
    validated,
)

# --- levels of the nervous system (from muscle to cortex) ----------------------------------
LEVELS = ("muscle fibre", "lower motor neuron (axon or cell body)", "spinal cord",
          "brainstem", "basal ganglia", "cerebral cortex")


@result_type()
@dataclass(frozen=True)
class BrainDisorder:
    """A brain disorder and the movement it typically causes (never a fasciculation)."""

    name: str
    movement: str           # one of movements.KINDS
    movement_label: str     # how clinicians name it for this disorder
    generator: str          # where the movement is generated, in words
    level: str              # one of LEVELS
    other_features: str     # what else the disorder brings (why twitching is never alone)
    sources: tuple[str, ...]


BRAIN_DISORDERS = {
    "myoclonic epilepsy": BrainDisorder(
        "myoclonic epilepsy", "myoclonus", "epileptic (cortical) myoclonus",
        "hypersynchronous discharges of cortical neurons", "cerebral cortex",
        "other seizure types may occur; the EEG shows the epileptic discharge",
        ("fisher2014", "fisher2017", "eberhardt2017")),
    "Huntington disease": BrainDisorder(
        "Huntington disease", "chorea", "chorea",
        "loss of striatal neurons in the basal ganglia", "basal ganglia",
        "inherited (CAG repeat in HTT); cognitive decline and psychiatric change",
        ("bates2015", "cardoso2006")),
    "Alzheimer disease": BrainDisorder(
        "Alzheimer disease", "myoclonus", "myoclonus",
        "hyperexcitable brain networks in a degenerating brain", "cerebral cortex",
        "memory and thinking change; myoclonus began on average 5.4 years after onset "
        "in one cohort, in some people earlier",
        ("beagle2017", "eberhardt2017")),
    "Lewy body dementia": BrainDisorder(
        "Lewy body dementia", "myoclonus", "myoclonus (with parkinsonism)",
        "cortical and subcortical networks", "cerebral cortex",
        "fluctuating cognition, visual hallucinations, REM sleep behaviour disorder, "
        "parkinsonism", ("mckeith2017", "beagle2017")),
    "Creutzfeldt-Jakob disease": BrainDisorder(
        "Creutzfeldt-Jakob disease", "myoclonus", "myoclonus",
        "prion damage to cortex and deep grey matter", "cerebral cortex",
        "rapidly progressive dementia over weeks to months; ataxia, visual signs",
        ("hermann2021", "eberhardt2017")),
    "Parkinson disease": BrainDisorder(
        "Parkinson disease", "tremor", "rest tremor",
        "triggered by the basal ganglia, produced by a cerebello-thalamo-cortical loop",
        "basal ganglia",
        "bradykinesia (slowness) is required for the diagnosis; rigidity",
        ("postuma2015", "bhatia2018", "helmich2012")),
    "Tourette syndrome": BrainDisorder(
        "Tourette syndrome", "tic", "motor and vocal tics",
        "cortico-striato-thalamo-cortical circuits", "basal ganglia",
        "onset before 18; an urge before the tic, relieved by it; can be held back for a while",
        ("apa2013", "cavanna2017", "mcgurrin2020", "rae2019")),
    "Wilson disease": BrainDisorder(
        "Wilson disease", "tremor", "tremor (also dystonia, chorea)",
        "copper damage to the basal ganglia", "basal ganglia",
        "liver disease, psychiatric change; treatable, and the movements largely recede "
        "with anti-copper treatment",
        ("czlonkowska2018", "dusek2019")),
    "multiple sclerosis": BrainDisorder(
        "multiple sclerosis", "myokymia", "facial myokymia",
        "a demyelinating plaque in the brainstem irritating facial-nerve axons", "brainstem",
        "episodes of other deficits (vision, sensation, strength); MRI lesions",
        ("thompson2018", "gutmann2004", "jacobs1994")),
    "stroke": BrainDisorder(
        "stroke", "chorea", "hemichorea (one side)",
        "an infarct or bleed in the basal ganglia or their connections", "basal ganglia",
        "starts with the stroke or some time after it; many such movements settle on their own",
        ("handley2009", "cardoso2006")),
    "meningitis": BrainDisorder(
        "meningitis", "myoclonus", "seizures",
        "inflamed cortex next to infected meninges", "cerebral cortex",
        "fever, headache, neck stiffness, altered consciousness: an emergency",
        ("vandebeek2016", "zoons2008")),
}

#: For comparison in the panels: what a fasciculation is and where it starts.
FASCICULATION = BrainDisorder(
    "benign fasciculation (for comparison)", "fasciculation", "fasciculation",
    "spontaneous discharge of one motor unit, usually in its distal motor axon",
    "lower motor neuron (axon or cell body)",
    "in benign fasciculation, nothing else: normal strength, bulk and reflexes",
    ("decarvalho2017", "blexrud1993"))

# --- other causes: mechanism and evidence grades -----------------------------------------
#: Ordinal grades. MECHANISM: could the condition make a motor unit fire on its own?
MECHANISM_GRADES = (
    "none known",
    "indirect (through nerves, electrolytes or a drug)",
    "direct (acts on motor axons, motor neurons or nerve terminals)",
)
#: Short labels of the mechanism grades (figures, tables).
MECHANISM_LABELS = ("none known", "indirect", "direct")
#: EVIDENCE: what links the condition to fasciculation in the literature?
EVIDENCE_GRADES = (
    "none found",
    "case reports",
    "recognised feature of some cases",
    "common, documented feature",
)


@result_type()
@dataclass(frozen=True)
class OtherCause:
    """A condition named as a cause of twitching, graded by mechanism and evidence."""

    name: str
    mechanism: int          # index into MECHANISM_GRADES
    evidence: int           # index into EVIDENCE_GRADES
    what_it_really_causes: str
    sources: tuple[str, ...]


OTHER_CAUSES = {
    "poor circulation": OtherCause(
        "poor circulation", 0, 0,
        "exercise-induced calf pain relieved by rest (claudication); not fasciculation",
        ("criqui2015",)),
    "blood clot (DVT)": OtherCause(
        "blood clot (DVT)", 0, 0,
        "a swollen, painful, warm calf: a reason to seek care the same day",
        ("dinisio2016",)),
    "fibromyalgia": OtherCause(
        "fibromyalgia", 0, 0,
        "widespread pain, fatigue and poor sleep; the nerves and muscles test normal",
        ("wolfe2010",)),
    "muscular dystrophy": OtherCause(
        "muscular dystrophy", 0, 0,
        "progressive weakness from muscle-fibre damage; a disease of muscle, not nerve",
        ("mercuri2019",)),
    "myasthenia gravis": OtherCause(
        "myasthenia gravis", 1, 2,
        "fatigable weakness (eyelids, eyes, bulbar, limbs); fasciculations come from "
        "its cholinesterase-inhibitor treatment",
        ("gilhus2016", "skeie2010")),
    "Lyme disease": OtherCause(
        "Lyme disease", 1, 1,
        "inflamed nerve roots and meninges, often with facial palsy; rare motor "
        "radiculopathies with fasciculations have mimicked ALS and improved with antibiotics",
        ("rauer2020", "koedel2015", "burakgazi2014")),
    "rabies": OtherCause(
        "rabies", 2, 2,
        "an almost always fatal encephalomyelitis; spinal motor neurons are affected early, "
        "and the paralytic form impairs peripheral nerves",
        ("gadre2010", "hemachudha2013")),
    "hypothyroidism": OtherCause(
        "hypothyroidism", 1, 0,
        "muscle aches, cramps, stiffness, slow reflexes and myoedema (a myopathy)",
        ("sindoni2016", "duyff2000")),
    "cirrhosis": OtherCause(
        "cirrhosis", 1, 0,
        "frequent muscle cramps; asterixis (a flapping, negative myoclonus) in "
        "encephalopathy",
        ("mehta2013",)),
    "sarcoidosis": OtherCause(
        "sarcoidosis", 1, 0,
        "rarely, granulomas in nerves, roots or muscle (neurosarcoidosis)",
        ("stern2018",)),
    "myalgic encephalomyelitis": OtherCause(
        "myalgic encephalomyelitis", 0, 0,
        "post-exertional malaise, unrefreshing sleep, cognitive problems",
        ("iom2015",)),
    "insect bites and stings": OtherCause(
        "insect bites and stings", 2, 2,
        "some scorpion venoms act on nerve sodium channels; bark-scorpion stings cause "
        "neuromuscular excitation; ordinary insect bites do not",
        ("isbister2014",)),
    "genetics": OtherCause(
        "genetics", 2, 3,
        "inherited motor neuron diseases (familial ALS, Kennedy disease) and inherited "
        "nerve hyperexcitability; a family history matters",
        ("hardiman2017", "laspada2022")),
}


@validated(name=Choice([*BRAIN_DISORDERS, FASCICULATION.name]))
def brain_disorder(name: str) -> BrainDisorder:
    """The entry of :data:`BRAIN_DISORDERS` named ``name`` (or the fasciculation reference)."""
    if name == FASCICULATION.name:
        return FASCICULATION
    if name not in BRAIN_DISORDERS:
        raise ValueError(f"name must be one of {[*BRAIN_DISORDERS, FASCICULATION.name]}, "
                         f"got {name!r}")
    return BRAIN_DISORDERS[name]


@validated(name=Choice(OTHER_CAUSES))
def other_cause(name: str) -> OtherCause:
    """The entry of :data:`OTHER_CAUSES` named ``name``."""
    if name not in OTHER_CAUSES:
        raise ValueError(f"name must be one of {list(OTHER_CAUSES)}, got {name!r}")
    return OTHER_CAUSES[name]


# --- base rates against prevalence ----------------------------------------------------------
PREVALENCE_PER_100K = ValidRange(0.5, 1000.0, "per 100,000", 5.4)
CURVE_POINTS = ValidRange(2, 10_000, "points", 200)


def _finding_possible(a) -> bool:
    """P(finding) > 0 at both ends of the prevalence grid (it is linear in prevalence)."""
    return all(a["sensitivity"] * p + a["false_positive_rate"] * (1.0 - p) > 0.0
               for p in (a["low_per_100k"] / 1e5, a["high_per_100k"] / 1e5))


@result_type(example=lambda: posterior_curve(0.95, 0.7))
@dataclass(frozen=True)
class PosteriorCurve:
    """Fraction with ALS among people with a finding, across prevalences (a population curve)."""

    prevalence_per_100k: np.ndarray
    fraction_with_als: np.ndarray
    sensitivity: float
    false_positive_rate: float


@validated(sensitivity=base_rates.SENSITIVITY, false_positive_rate=base_rates.FALSE_POSITIVE_RATE,
           low_per_100k=PREVALENCE_PER_100K, high_per_100k=PREVALENCE_PER_100K,
           n=Integer(CURVE_POINTS),
           requires=[Require(("low_per_100k", "high_per_100k"),
                             lambda a: a["high_per_100k"] > a["low_per_100k"],
                             lambda a: "high_per_100k must exceed low_per_100k, got "
                                       f"{a['low_per_100k']} and {a['high_per_100k']}"),
                     Require(("sensitivity", "false_positive_rate"), _finding_possible,
                             "sensitivity and false_positive_rate cannot both make the finding "
                             "impossible (P(finding) = 0): posterior undefined")])
def posterior_curve(sensitivity: float, false_positive_rate: float, *,
                    low_per_100k: float = 0.5, high_per_100k: float = 1000.0,
                    n: int = 200) -> PosteriorCurve:
    """Bayes' rule over a log-spaced grid of prevalences (per 100,000), by
    :func:`widgets.models.base_rates.posterior`. Population fractions, never a personal risk.
    """
    low = require_range("low_per_100k", low_per_100k, PREVALENCE_PER_100K)
    high = require_range("high_per_100k", high_per_100k, PREVALENCE_PER_100K)
    if not high > low:
        raise ValueError(f"high_per_100k must exceed low_per_100k, got {low} and {high}")
    prev = np.geomspace(low, high, n)
    frac = np.array([base_rates.posterior(p / 1e5, sensitivity, false_positive_rate)
                     for p in prev])
    return PosteriorCurve(prev, frac, float(sensitivity), float(false_positive_rate))


def _check_kinds() -> None:
    for d in (*BRAIN_DISORDERS.values(), FASCICULATION):
        assert d.movement in KINDS and d.level in LEVELS, d.name


_check_kinds()
