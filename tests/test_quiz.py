"""Self-check quizzes: every quiz file loads, and the loader rejects quizzes that would mislead.

The numeric rules mirror jupyterquiz's check (``numeric.js``): the student's entry is rounded to
``precision`` significant digits before comparison, so precision 0 breaks the check and a too
small precision scores the right answer wrong.
"""

from __future__ import annotations

import re
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


def _shown(show) -> list[dict]:
    """The rich outputs ``show()`` displays, as a kernel would store them."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    InteractiveShell.instance()
    with capture_output(display=True) as captured:
        show()
    return [dict(o.data) for o in captured.outputs]


def _div_balance(html: str) -> int:
    return len(re.findall(r"<div[\s>]", html)) - html.count("</div>")


@pytest.mark.parametrize("show", ["quiz", "ear training"])
def test_every_quiz_output_closes_its_divs_and_wraps_its_script(show):
    """jupyterquiz leaves its container <div> open, which in the built page pulled the lesson
    text after a quiz into the quiz's output; and its raw script reads MathJax.version[0] before
    the book's deferred MathJax has loaded. Both the lesson quizzes and the ear-training quiz
    (which builds its questions in code) must come out closed and wrapped."""
    from widgets.panels.sounds import ear_training
    from widgets.quiz import show_quiz

    outputs = _shown((lambda: show_quiz("2-1-electrolytes")) if show == "quiz" else ear_training)
    htmls = [o["text/html"] for o in outputs if "text/html" in o]
    scripts = [o["application/javascript"] for o in outputs if "application/javascript" in o]
    assert htmls and scripts
    assert all(_div_balance(h) == 0 for h in htmls), [_div_balance(h) for h in htmls]
    assert all(s.startswith("(function (MathJax) {") for s in scripts)
    assert all("window.check_numeric = check_numeric" in s for s in scripts)


def test_a_quiz_is_written_the_same_in_every_build():
    """jupyterquiz names each quiz's container with 12 random letters, so two builds of the book
    differed on every page with a quiz. The id now comes from the questions: the same quiz shown
    in two kernels is byte-identical, two quizzes differ, and a quiz shown twice in one kernel
    gets a second id (ids stay unique on a page)."""
    import importlib

    import widgets.quiz as quiz

    def html_and_ids(name):
        outputs = _shown(lambda: quiz.show_quiz(name))
        html = "".join(o.get("text/html", "") + o.get("application/javascript", "")
                       for o in outputs)
        return html, re.findall(r'<div id="([^"]+)" data-shuffle', html)

    importlib.reload(quiz)  # a fresh kernel
    first, (id_a,) = html_and_ids("2-1-electrolytes")
    _, (id_b,) = html_and_ids("1-2-resting-potential")
    again, (id_a2,) = html_and_ids("2-1-electrolytes")
    importlib.reload(quiz)  # another build's kernel
    second, (id_a3,) = html_and_ids("2-1-electrolytes")
    assert second == first
    assert id_a.startswith("quiz") and id_a != id_b and id_a2 == id_a + "_2" and id_a3 == id_a
    assert f"questions{id_a}=" in first and f"show_questions(questions{id_a}, {id_a})" in first
    assert again != first
