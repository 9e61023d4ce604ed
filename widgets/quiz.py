"""Self-check quizzes that give feedback in the static book, offline, with no kernel.

Quizzes are JSON files in ``widgets/quizzes/`` in jupyterquiz's format (a list of
questions, each ``{"question", "type", "answers": [{"answer", "correct", "feedback"}]}``;
``type`` is ``multiple_choice``, ``many_choice`` or ``numeric``). jupyterquiz writes the
quiz as self-contained inline HTML and JavaScript, so it works in the built book offline.
"""

from __future__ import annotations

import json
import re
from importlib import resources

QUIZ_TYPES = {"multiple_choice", "many_choice", "numeric"}


def load_quiz(name: str) -> list[dict]:
    """The questions of quiz ``name`` (the JSON file ``widgets/quizzes/<name>.json``)."""
    path = resources.files("widgets") / "quizzes" / f"{name}.json"
    if not path.is_file():
        available = sorted(p.name[:-5] for p in (resources.files("widgets") / "quizzes").iterdir()
                           if p.name.endswith(".json"))
        raise ValueError(f"name must be one of {available}, got {name!r}")
    questions = json.loads(path.read_text(encoding="utf-8"))
    validate_quiz(questions, name)
    return questions


def _round_significant(x: float, digits: int) -> float:
    """Round like jupyterquiz's numeric check (JavaScript ``Number.toPrecision(digits)``)."""
    return float(f"{x:.{digits}g}") if x != 0 else 0.0


def validate_quiz(questions: list[dict], name: str = "quiz") -> None:
    """Raise ValueError if a question would misbehave in jupyterquiz.

    Checks: a known type; at least one answer marked correct; every answer has feedback; for
    numeric questions, ``precision`` (significant digits the student's entry is rounded to) is a
    whole number >= 1 (0 makes jupyterquiz's check fail), and every correct exact value survives
    that rounding (otherwise the right answer is scored wrong).
    """
    for i, q in enumerate(questions):
        where = f"{name}.json question {i}"
        if q.get("type") not in QUIZ_TYPES:
            raise ValueError(f"{where}: type must be one of {sorted(QUIZ_TYPES)}")
        answers = q.get("answers", [])
        if not any(a.get("correct") for a in answers):
            raise ValueError(f"{where}: no answer is marked correct")
        if any(not str(a.get("feedback", "")).strip() for a in answers):
            raise ValueError(f"{where}: every answer needs feedback")
        if q["type"] != "numeric" or "precision" not in q:
            continue
        digits = q["precision"]
        if not isinstance(digits, int) or digits < 1:
            raise ValueError(f"{where}: precision must be a whole number >= 1, got {digits!r}")
        for a in answers:
            if a.get("correct") and a.get("type") == "value":
                value = float(a["value"])
                if _round_significant(value, digits) != value:
                    raise ValueError(f"{where}: correct value {value} is changed by rounding to "
                                     f"{digits} significant digits")




def show_quiz(name: str) -> None:
    """Display quiz ``name`` with jupyterquiz (feedback on every answer).

    The quiz's script is wrapped by :func:`live_quiz_script` wherever it runs: in JupyterLab it
    would otherwise reach for MathJax on a CDN, and in the book it reads ``MathJax.version[0]``
    500 ms after the page starts, which raises when the (deferred) MathJax has not loaded yet
    (seen as an intermittent console error on slow machines).

    The answers of each choice question are shuffled each time the quiz is shown (by
    jupyterquiz's script in the reader's browser: every page load in the book), so the right
    answer's place says nothing; the quiz files keep the order their authors wrote. Numeric
    answers are checked when the student presses Enter; the book's ``quiz-help.js`` says so next
    to the box and adds a "Check" button.
    """
    display_questions(load_quiz(name), shuffle_answers=True)


def display_questions(questions: list[dict], *, shuffle_answers: bool = True) -> None:
    """Display ``questions`` (jupyterquiz format) as a quiz, the way every course quiz is shown.

    jupyterquiz's script is wrapped by :func:`live_quiz_script`, and its container ``<div>``,
    which jupyterquiz leaves open, is closed (open, it swallowed the content that follows the
    quiz into the quiz's output in the built page). jupyterquiz names the container with 12
    random letters; it is renamed by :func:`quiz_element_id`, so that two builds of the book
    write the same page.
    """
    from IPython.display import display
    from IPython.utils.capture import capture_output
    from jupyterquiz import display_quiz

    with capture_output(stdout=False, stderr=False, display=True) as captured:
        display_quiz(questions, shuffle_answers=shuffle_answers, max_width=700)
    html = "".join(out.data.get("text/html", "") for out in captured.outputs)
    found = re.search(r'<div id="([A-Za-z]{12})"', html)
    random_id, new_id = (found.group(1), quiz_element_id(questions)) if found else ("", "")
    for out in captured.outputs:
        data = dict(out.data)
        if random_id:
            data = {k: v.replace(random_id, new_id) if isinstance(v, str) else v
                    for k, v in data.items()}
        if "application/javascript" in data:
            data["application/javascript"] = live_quiz_script(data["application/javascript"])
        if "text/html" in data:
            data["text/html"] = close_open_divs(data["text/html"])
        display(data, metadata=out.metadata, raw=True)


_QUIZ_IDS_SHOWN: dict[str, int] = {}


def quiz_element_id(questions: list[dict]) -> str:
    """A page-unique id for a quiz's container, from its questions: ``"quiz"`` and 12 hex digits
    of their SHA-1, then ``"_2"``, ``"_3"`` ... if the same questions are shown again in this
    kernel. It is also part of a JavaScript name (jupyterquiz writes ``var questions<id>``)."""
    import hashlib

    digest = hashlib.sha1(json.dumps(questions, sort_keys=True).encode()).hexdigest()[:12]
    shown = _QUIZ_IDS_SHOWN.get(digest, 0) + 1
    _QUIZ_IDS_SHOWN[digest] = shown
    return f"quiz{digest}" + (f"_{shown}" if shown > 1 else "")


def close_open_divs(html: str) -> str:
    """``html`` with a ``</div>`` appended for every ``<div>`` it opens and does not close."""
    missing = len(re.findall(r"<div[\s>]", html)) - html.count("</div>")
    return html + "</div>" * max(missing, 0)


def live_quiz_script(script: str) -> str:
    """jupyterquiz's script, made safe for JupyterLab: no MathJax from a CDN, no error.

    jupyterquiz typesets its questions with the page's MathJax. JupyterLab defines a global
    ``MathJax`` without ``version`` or ``typeset``, so the script fails on ``MathJax.version[0]``
    (a console error) and then adds a ``<script>`` that loads MathJax 3 from a CDN. Inside this
    wrapper the script sees a MathJax only if it is a usable MathJax 3; otherwise none, and it
    skips typesetting (the course's quizzes contain no mathematics). The wrapper keeps the
    script's names local, except the two answer checks that ``quiz-help.js`` calls.
    """
    return ("(function (MathJax) {\n" + script + "\n" + _EXPORTS
            + "})(window.MathJax && window.MathJax.version "
            "&& typeof window.MathJax.typeset === 'function' ? window.MathJax : undefined);")


#: jupyterquiz's answer checks, made global again (a plain ``<script>`` would define them so):
#: the book's ``quiz-help.js`` calls them from its "Check" button next to a typed-answer box.
_EXPORTS = "".join(f"if (typeof {name} === 'function') {{ window.{name} = {name}; }}\n"
                   for name in ("check_numeric", "check_string"))
