"""Self-check quizzes on a slow machine: MathJax arrives late, the quiz must not raise.

jupyterquiz's script reads ``MathJax.version[0]`` 500 ms after the quiz is drawn. The book loads
MathJax deferred, so on a slow or busy machine the global ``MathJax`` is still the bare
configuration object then, and an unguarded script throws "Cannot read properties of undefined
(reading '0')" (seen intermittently under load). Here MathJax is held back for two seconds on
purpose, so the race is lost every time: the quiz must still render, give feedback on a click,
and log no error; the page's own mathematics must still be typeset once MathJax arrives.
"""

from __future__ import annotations

import time

import pytest

from tests.browser.conftest import lesson_pages

pytestmark = pytest.mark.browser

QUIZ_LESSON = "lessons/2-benign-triggers/1-electrolytes.html"


@pytest.fixture()
def slow_mathjax_page(browser, book_url):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r):
        url = r.request.url
        if not url.startswith(book_url):
            r.abort()
            return
        if "mathjax" in url.lower():
            time.sleep(2.0)
        r.continue_()

    page.route("**/*", route)
    yield page, errors
    ctx.close()


def test_quiz_survives_late_mathjax(slow_mathjax_page, book_url):
    assert QUIZ_LESSON in lesson_pages(), f"{QUIZ_LESSON} not in the built book"
    page, errors = slow_mathjax_page
    page.goto(book_url + QUIZ_LESSON, wait_until="load")
    page.wait_for_timeout(3500)  # past jupyterquiz's 500 ms timer and MathJax's arrival
    quiz = page.locator(".Quiz").first
    assert quiz.count() == 1, "no quiz rendered"
    quiz.scroll_into_view_if_needed()
    quiz.locator(".MCButton").first.click()
    page.wait_for_timeout(300)
    feedback = [t.strip() for t in quiz.locator(".Feedback").all_inner_texts()]
    assert any(feedback), "a click on an answer gave no feedback"
    assert not errors, f"console errors with MathJax late: {errors}"
    assert page.locator("mjx-container").count() > 0, "the page's math was not typeset"
