"""Self-check quizzes: every quiz file loads, and the loader rejects quizzes that would mislead.

The numeric rules mirror jupyterquiz's check (``numeric.js``): the student's entry is rounded to
``precision`` significant digits before comparison, so precision 0 breaks the check and a too
small precision scores the right answer wrong.
"""

from __future__ import annotations

from importlib import resources

import pytest

from widgets.quiz import load_quiz, validate_quiz

NAMES = sorted(p.name[:-5] for p in (resources.files("widgets") / "quizzes").iterdir()
               if p.name.endswith(".json"))


def _numeric(precision, value=2.5):
    return [{"question": "q", "type": "numeric", "precision": precision, "answers": [
        {"type": "value", "value": value, "correct": True, "feedback": "yes"},
        {"type": "default", "feedback": "no"}]}]


@pytest.mark.parametrize("name", NAMES)
def test_every_quiz_loads(name):
    assert len(load_quiz(name)) >= 3


def test_unknown_quiz_name_is_a_clear_error():
    with pytest.raises(ValueError, match="name must be one of"):
        load_quiz("no-such-quiz")


def test_precision_zero_rejected():
    with pytest.raises(ValueError, match="precision must be a whole number >= 1"):
        validate_quiz(_numeric(0))


def test_precision_that_changes_the_right_answer_rejected():
    # 2.5 rounded to 1 significant digit is 3 (as JavaScript's toPrecision(1) gives "3"),
    # so the right answer would be scored wrong.
    with pytest.raises(ValueError, match="changed by rounding"):
        validate_quiz(_numeric(1, 2.5))
    validate_quiz(_numeric(2, 2.5))


def test_missing_feedback_and_missing_correct_answer_rejected():
    with pytest.raises(ValueError, match="feedback"):
        validate_quiz([{"question": "q", "type": "multiple_choice",
                        "answers": [{"answer": "a", "correct": True}]}])
    with pytest.raises(ValueError, match="no answer is marked correct"):
        validate_quiz([{"question": "q", "type": "multiple_choice",
                        "answers": [{"answer": "a", "correct": False, "feedback": "f"}]}])
