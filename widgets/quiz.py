"""Self-check quizzes that give feedback in the static book, offline, with no kernel.

Quizzes are JSON files in ``widgets/quizzes/`` in jupyterquiz's format (a list of
questions, each ``{"question", "type", "answers": [{"answer", "correct", "feedback"}]}``;
``type`` is ``multiple_choice``, ``many_choice`` or ``numeric``). jupyterquiz writes the
quiz as self-contained inline HTML and JavaScript, so it works in the built book offline.
"""

from __future__ import annotations

import json
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
    for i, q in enumerate(questions):
        if q.get("type") not in QUIZ_TYPES:
            raise ValueError(f"{name}.json question {i}: type must be one of {sorted(QUIZ_TYPES)}")
        if not any(a.get("correct") for a in q.get("answers", [])):
            raise ValueError(f"{name}.json question {i}: no answer is marked correct")
    return questions


def show_quiz(name: str) -> None:
    """Display quiz ``name`` with jupyterquiz (feedback on every answer)."""
    from jupyterquiz import display_quiz

    display_quiz(load_quiz(name), shuffle_answers=False, max_width=700)
