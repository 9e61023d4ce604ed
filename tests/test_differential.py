"""The differential data (lessons 3.4-3.6): sourced entries, consistent levels, Bayes curves."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from widgets.models import base_rates, movements
from widgets.models import differential as dx

ROOT = Path(__file__).resolve().parents[1]


def _bib_keys() -> set[str]:
    files = [ROOT / "book" / "references.bib"]
    text = "".join(p.read_text(encoding="utf-8") for p in files)
    return set(re.findall(r"@\w+\{([^,\s]+),", text))


def test_every_entry_cites_sources_that_exist_in_the_bibliography():
    keys = _bib_keys()
    entries = [*dx.BRAIN_DISORDERS.values(), dx.FASCICULATION, *dx.OTHER_CAUSES.values()]
    for e in entries:
        assert e.sources, e.name
        missing = [k for k in e.sources if k not in keys]
        assert not missing, f"{e.name}: {missing}"


def test_no_brain_disorder_is_generated_in_the_lower_motor_neuron():
    # de Carvalho et al. 2017 (fasciculations: lower motor neuron); Eberhardt & Topka 2017
    # (myoclonus: cortex, brainstem, spinal cord). None of the brain disorders' movements is a
    # fasciculation, and none is generated where fasciculations are.
    for d in dx.BRAIN_DISORDERS.values():
        assert d.movement != "fasciculation"
        assert d.level not in ("muscle fibre", "lower motor neuron (axon or cell body)")
    assert dx.FASCICULATION.level == "lower motor neuron (axon or cell body)"


def test_brain_disorder_movements_move_the_joint_and_fasciculation_does_not():
    # Independent check on the synthetic traces: a fasciculation leaves the joint at noise level
    # (< 1 deg), while cortical/basal-ganglia movements (myoclonus, chorea, tremor, tic) move it.
    fasc = movements.event_features(movements.simulate("fasciculation", 0))
    assert fasc.peak_angle_deg < 1.0
    for kind in ("myoclonus", "chorea", "tremor", "tic"):
        assert movements.event_features(movements.simulate(kind, 0)).peak_angle_deg > 2.0


def test_named_disorder_movements_match_published_descriptions():
    # Postuma et al. 2015 (Parkinson: rest tremor); Cardoso et al. 2006 / Bates et al. 2015
    # (Huntington: chorea); APA 2013 (Tourette: tics); Hermann et al. 2021 (CJD: myoclonus).
    assert dx.brain_disorder("Parkinson disease").movement == "tremor"
    assert dx.brain_disorder("Huntington disease").movement == "chorea"
    assert dx.brain_disorder("Tourette syndrome").movement == "tic"
    assert dx.brain_disorder("Creutzfeldt-Jakob disease").movement == "myoclonus"


def test_grades_are_within_their_scales():
    for c in dx.OTHER_CAUSES.values():
        assert 0 <= c.mechanism < len(dx.MECHANISM_GRADES)
        assert 0 <= c.evidence < len(dx.EVIDENCE_GRADES)
    assert len(dx.MECHANISM_LABELS) == len(dx.MECHANISM_GRADES)


def test_posterior_curve_matches_independent_bayes():
    # Independent calculation of Bayes' rule with numpy (not base_rates.posterior).
    c = dx.posterior_curve(0.95, 0.70, low_per_100k=1.0, high_per_100k=1000.0, n=7)
    p = np.geomspace(1.0, 1000.0, 7) / 1e5
    hand = 0.95 * p / (0.95 * p + 0.70 * (1 - p))
    np.testing.assert_allclose(c.fraction_with_als, hand, rtol=1e-12)
    assert np.all(np.diff(c.fraction_with_als) > 0)


def test_posterior_curve_gigerenzer_example():
    # Gigerenzer & Hoffrage 1995: prevalence 1 %, sensitivity 80 %, false-positive rate 9.6 %
    # -> 7.8 %. 1 % = 1000 per 100,000.
    c = dx.posterior_curve(0.80, 0.096, low_per_100k=999.0, high_per_100k=1000.0, n=2)
    assert c.fraction_with_als[-1] == pytest.approx(0.078, abs=0.001)


def test_cited_defaults_give_the_lesson_numbers():
    # Chiò 2013 (5.4/100,000), Reed & Kurland 1963 (70 %), Raymond 2019 (56.3 %): the fraction
    # of people who have noticed twitching who have ALS is below 1 in 10,000 at the European
    # median prevalence.
    c = dx.posterior_curve(base_rates.FASCICULATION_IN_ALS, base_rates.FASCICULATION_IN_HEALTHY,
                           low_per_100k=5.4, high_per_100k=6.0, n=2)
    assert c.fraction_with_als[0] < 1e-4


@pytest.mark.parametrize("kwargs, name", [
    ({"low_per_100k": 0.1}, "low_per_100k"),
    ({"high_per_100k": 5000.0}, "high_per_100k"),
    ({"low_per_100k": 10.0, "high_per_100k": 5.0}, "high_per_100k"),
    ({"n": 1}, "n"),
])
def test_posterior_curve_rejects_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        dx.posterior_curve(0.9, 0.1, **kwargs)


def test_posterior_curve_rejects_bad_rates():
    with pytest.raises(ValueError, match="sensitivity"):
        dx.posterior_curve(1.5, 0.1)
    with pytest.raises(ValueError, match="false_positive_rate"):
        dx.posterior_curve(0.9, -0.1)


def test_lookups_reject_unknown_names():
    with pytest.raises(ValueError, match="name must be one of"):
        dx.brain_disorder("migraine")
    with pytest.raises(ValueError, match="name must be one of"):
        dx.other_cause("migraine")
