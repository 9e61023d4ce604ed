"""Lesson 2.1 says every electrolyte value inside its reference range behaves like normal.

The lesson states: "The model is designed so that every value inside the reference range behaves
like normal." Issue 12 item 1 found the opposite (the model axon fired spontaneously at high-normal
K+: 0.017/s at 4.5, 0.067/s at 5.1 mmol/L over 60 s, seed 0), and asked for a recalibration so
that the whole clinical reference range of every ion is silent. This test holds the lesson to
its sentence: at both ends of each ion's reference range (the model's ionized ranges, from
`motor_axon.NORMAL_RANGES_mM`), over 60 s and two seeds, the model axon does not fire on its
own, just as it does not at normal values.

Until the recalibration (owned by `axon`) reaches main the claim is false, so the test is a
strict xfail: the day the model is silent it XPASSes, fails, and the marker must be removed.
"""

from __future__ import annotations

import pytest

from tests.lessons import ROOT
from tests.test_evidence import lesson_corpus, squash

LESSON = ROOT / "lessons/2-benign-triggers/1-electrolytes.ipynb"
CLAIM = "every value inside the reference range behaves like normal"
DURATION_S = 60.0
SEEDS = (0, 1)


def test_lesson_still_makes_the_claim():
    assert squash(CLAIM) in lesson_corpus(LESSON), \
        "lesson 2.1 no longer says this; update or remove tests/test_reference_range_claim.py"


@pytest.mark.xfail(strict=True, reason="model fires inside the K+ reference range until axon's "
                                       "recalibration (issue 12 item 1) reaches main")
def test_reference_ranges_are_silent_as_lesson_2_1_says():
    from widgets.models import ectopic, motor_axon

    normal = max(ectopic.spontaneous_rate_hz(None, duration_s=DURATION_S, seed=s) for s in SEEDS)
    assert normal == 0.0, f"the normal model axon itself fires ({normal}/s)"
    firing = {}
    for ion, (low, high) in motor_axon.NORMAL_RANGES_mM.items():
        for value in (low, high):
            rate = max(ectopic.spontaneous_rate_hz({ion: value}, duration_s=DURATION_S, seed=s)
                       for s in SEEDS)
            if rate > 0:
                firing[f"{ion} {value}"] = rate
    assert not firing, f"inside the reference range the model fires on its own: {firing} (/s)"
