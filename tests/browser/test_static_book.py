"""The built (static) book as readers get it, in headless Chromium, served from 127.0.0.1.

Every page: no console errors, no failed request, no request leaving the machine, every image
loads, math typeset by MathJax, stored widget state rendered, axe-core finds no serious or
critical violation. And what a reader sees (issue 11), each check able to fail:

- lessons: every figure holds an image that decodes and is not blank, one per figure cell of the
  notebook, never the text ``<Figure size ...>``; the figure's smallest text is at least 9 CSS px
  at 1280 px and on a 390 px phone (its recorded font size times its displayed scale);
- 390 px: the menu opens and its lesson links navigate, "Contents" opens the page contents,
  on every page no text runs past the screen or is cut off by a box that clips it, no code block
  needs a sideways scroll and the page does not scroll sideways, slider tracks are at least 80 px;
- 1280 px: the menu button collapses the sidebar, slider tracks are at least 120 px, no code or
  output block is cut off at the right;
- no stored ipywidgets slider moves while the panel it belongs to cannot redraw;
- dark mode: figures on an opaque light card that is really white on screen (no dimming filter),
  the dark logo, axe-core on a lesson page;
- quizzes: the right answer's position is not predictable; numeric answers say how to submit;
- numbering: "2.1" lesson titles, figures and exercises numbered per lesson ("Figure 2.1.1");
- the claims audit: verdict beside the claim, the article legend, a header that stays in view,
  cards on a phone, a page of sane height;
- launch buttons that lead somewhere (no placeholder hub), download buttons, offline search;
- the landing page's start button and a title that does not repeat, one merged glossary.
"""

from __future__ import annotations

import io
import json
import re
from urllib.parse import urljoin

import nbformat
import pytest
import yaml

from tests.browser.conftest import (
    ROOT,
    SCREENSHOTS,
    Visit,
    built_pages,
    lesson_pages,
)

pytestmark = pytest.mark.browser

PAGES = built_pages()
LESSONS = lesson_pages()


def _id(rel: str) -> str:
    return rel.removesuffix(".html")


@pytest.mark.parametrize("rel", PAGES, ids=_id)
def test_page_loads_cleanly_and_offline(light_report, rel):
    r = light_report(rel)
    assert not r["external"], f"requests leaving the machine: {r['external']}"
    assert not r["console_errors"], f"console errors: {r['console_errors']}"
    assert not r["page_errors"], f"uncaught exceptions: {r['page_errors']}"
    assert not r["failed"], f"failed requests: {r['failed']}"
    assert not r["broken_images"], f"images that did not load: {r['broken_images']}"


@pytest.mark.parametrize("rel", PAGES, ids=_id)
def test_math_is_typeset(light_report, rel):
    r = light_report(rel)
    if not r["has_math"]:
        pytest.skip("no math on this page")
    assert r["mjx"] > 0, "math present but MathJax rendered nothing"
    assert r["mjx_errors"] == 0, "MathJax reported errors"
    assert not r["raw_tex"], "raw TeX delimiters left in the text"


@pytest.mark.parametrize("rel", PAGES, ids=_id)
def test_stored_widget_state_is_rendered(light_report, rel):
    r = light_report(rel)
    if not r["widget_state"]:
        pytest.skip("no stored widget state on this page")
    assert r["rendered_widgets"] >= r["widget_views"] > 0, \
        f"{r['rendered_widgets']} widgets rendered for {r['widget_views']} stored views"
    assert r["widget_pngs"] > 0, "no panel figure (PNG with alt text) rendered from widget state"


@pytest.mark.parametrize("rel", PAGES, ids=_id)
def test_no_serious_accessibility_violations(light_report, rel):
    bad = light_report(rel)["axe"]
    detail = [f"{v['id']} ({v['impact']}): {v['help']}; e.g. "
              f"{v['nodes'][0]['target'] if v.get('nodes') else ''}" for v in bad]
    assert not bad, "axe-core serious/critical violations:\n" + "\n".join(detail)


# ---------------------------------------------------------------- dark mode and phone width
@pytest.fixture(scope="module")
def dark_context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark",
                              service_workers="block")
    # The theme follows the system preference in "auto" mode; force dark in case it is not auto.
    ctx.add_init_script("try { localStorage.setItem('mode', 'dark');"
                        " localStorage.setItem('theme', 'dark'); } catch (e) {}")
    yield ctx
    ctx.close()


FIGURE_BACKGROUNDS = """() => {
    const out = [];
    const imgs = Array.from(document.querySelectorAll('main img'))
        .filter(i => i.naturalWidth > 40 && i.naturalHeight > 40);
    for (const img of imgs) {
        const c = document.createElement('canvas');
        c.width = img.naturalWidth; c.height = img.naturalHeight;
        const g = c.getContext('2d');
        g.drawImage(img, 0, 0);
        const w = c.width - 1, h = c.height - 1;
        const corners = [[1, 1], [w - 1, 1], [1, h - 1], [w - 1, h - 1]]
            .map(([x, y]) => Array.from(g.getImageData(x, y, 1, 1).data));
        // A transparent figure takes the page's colour: use what the element paints behind it.
        let el = img, bg = 'rgba(0, 0, 0, 0)';
        while (el && /rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) {
            bg = getComputedStyle(el).backgroundColor; el = el.parentElement;
        }
        out.push({src: (img.getAttribute('src') || '').slice(0, 60), alt: img.alt,
                  corners, bg});
    }
    return out;
}"""


SCROLL_TO_FIGURE = """(i) => {
    const imgs = Array.from(document.querySelectorAll(i < 0 ? '.jupyter-widgets img' : 'main img'))
        .filter(e => e.offsetParent !== null && e.naturalWidth > 40);
    const img = imgs[i < 0 ? 0 : i];
    if (!img) return false;
    img.scrollIntoView({block: 'center'});
    return true;
}"""


def _light(rgba) -> bool:
    r, g, b = rgba[:3]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b > 200


def _parse_css_rgb(text: str) -> tuple[int, int, int, int]:
    nums = [float(x) for x in text[text.index("(") + 1:text.index(")")].split(",")]
    return (*[int(n) for n in nums[:3]], int(255 * (nums[3] if len(nums) > 3 else 1)))


@pytest.mark.parametrize("rel", LESSONS, ids=_id)
def test_figures_readable_in_dark_mode(dark_context, book_url, rel):
    visit = Visit(dark_context, book_url + rel, book_url)
    page = visit.page
    assert page.evaluate("document.documentElement.dataset.theme") == "dark", "dark theme not on"
    figures = page.evaluate(FIGURE_BACKGROUNDS)
    assert figures, "no figure on a lesson page"
    unreadable = []
    for f in figures:
        opaque_light = all(c[3] == 255 and _light(c) for c in f["corners"])
        behind = _parse_css_rgb(f["bg"])
        if not opaque_light and not (behind[3] == 255 and _light(behind)):
            unreadable.append(f"{f['alt'][:60]!r} ({f['src']}): corners {f['corners']}, "
                              f"painted on {f['bg']}")
    # What reaches the screen: the first course figure's card must be white (a dimming filter
    # turns it grey) with dark ink on it (text and axes readable).
    shot = None
    figure = page.locator("main picture.course-figure img").first
    if figure.count():
        figure.scroll_into_view_if_needed()
        shot = _pixels(figure.screenshot())
    out = SCREENSHOTS / "dark" / _id(rel).replace("/", "__")
    out.mkdir(parents=True, exist_ok=True)
    for i in range(3):
        if not page.evaluate(SCROLL_TO_FIGURE, i):
            break
        page.screenshot(path=str(out / f"figure-{i}.png"))
    logo = page.evaluate("""() => Array.from(document.querySelectorAll('.logo__image'))
        .filter(i => i.offsetParent !== null).map(i => i.getAttribute('src'))""")
    page.close()
    assert not unreadable, "figures without a light, opaque background in dark mode:\n" + \
        "\n".join(unreadable)
    assert shot is not None, "no course figure (<picture class='course-figure'>) on the page"
    corners, darkest = shot
    assert all(min(c) >= 245 for c in corners), \
        f"the figure's card is not white on screen in dark mode (dimmed?): corners {corners}"
    assert darkest < 80, f"no dark ink on the figure in dark mode (darkest pixel {darkest})"
    assert logo and all("dark" in src for src in logo), \
        f"dark theme shows the light logo (a white box): {logo}"


def _pixels(png: bytes) -> tuple[list[tuple[int, ...]], int]:
    """Pixels near the corners and the darkest luminance of a screenshot."""
    from PIL import Image

    im = Image.open(io.BytesIO(png)).convert("RGB")
    w, h = im.size
    # 12 px in: past the card's rounded corner, inside the white of the card or the figure.
    corners = [im.getpixel((x, y)) for x, y in ((12, 12), (w - 13, 12), (12, h - 13),
                                                (w - 13, h - 13))]
    darkest = im.convert("L").getextrema()[0]
    return corners, darkest


def test_dark_mode_lesson_has_no_serious_accessibility_violations(dark_context, book_url):
    from axe_playwright_python.sync_playwright import Axe

    visit = Visit(dark_context, book_url + FLAGSHIP, book_url)
    bad = [v for v in Axe().run(visit.page).response["violations"]
           if v.get("impact") in ("serious", "critical")]
    visit.page.close()
    detail = [f"{v['id']} ({v['impact']}): {v['help']}; e.g. "
              f"{v['nodes'][0]['target'] if v.get('nodes') else ''}" for v in bad]
    assert not bad, "axe-core, dark theme:\n" + "\n".join(detail)


# ---------------------------------------------------------------- figures as a reader sees them
FLAGSHIP = "lessons/2-benign-triggers/1-electrolytes.html"
MIN_TEXT_CSS_px = 9.0


def _notebook_figures(rel: str) -> int:
    """Figures the lesson's notebook makes: its cells with a ``mystnb: figure`` caption."""
    nb = nbformat.read(ROOT / rel.replace(".html", ".ipynb"), as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "code"
               and (c.metadata.get("mystnb") or {}).get("figure"))


@pytest.mark.parametrize("rel", LESSONS, ids=_id)
def test_every_figure_is_a_picture_that_decodes_and_is_not_blank(light_report, rel):
    seen = light_report(rel)["seen"]
    figures = seen["figures"]
    assert not seen["figure_repr_text"], \
        f"a figure shown as text, not as an image: {seen['figure_repr_text'][:3]}"
    numbered = [f for f in figures if f.get("numbered")]
    assert len(numbered) == _notebook_figures(rel), \
        f"{len(numbered)} numbered figures on the page, {_notebook_figures(rel)} figure cells " \
        "in the notebook"
    bad = [f for f in figures if f.get("missing") or not f["decoded"]
           or (f["variance"] or 0) < 4.0 or not f["alt"].strip()]
    assert not bad, f"figures without an image that decodes, is not blank and has alt text: {bad}"


def _small_text(figures: list[dict], *, narrow: bool) -> list[str]:
    out = []
    for f in figures:
        if not f.get("course"):
            out.append(f"not a course figure (no recorded text size): {f.get('caption', '')[:50]}")
            continue
        if f["narrow"] != narrow:
            out.append(f"{'wide' if f['narrow'] else 'phone'} variant shown where the "
                       f"{'phone' if narrow else 'wide'} one belongs: {f['caption'][:50]}")
        on_screen = f["minText"] * f["rendered"] / f["declared"]
        if not on_screen >= MIN_TEXT_CSS_px:
            out.append(f"smallest text {on_screen:.1f} CSS px ({f['minText']} px at "
                       f"{f['declared']:.0f} px wide, shown {f['rendered']:.0f} px): "
                       f"{f['caption'][:50]}")
    return out


@pytest.mark.parametrize("rel", LESSONS, ids=_id)
def test_figure_text_legible_at_1280(light_report, rel):
    bad = _small_text(light_report(rel)["seen"]["figures"], narrow=False)
    assert not bad, "at 1280 px:\n" + "\n".join(bad)


@pytest.mark.parametrize("rel", LESSONS, ids=_id)
def test_figure_text_legible_on_a_phone(phone_report, rel):
    bad = _small_text(phone_report(rel)["figures"], narrow=True)
    assert not bad, "at 390 px:\n" + "\n".join(bad)


@pytest.mark.parametrize("rel", PAGES, ids=_id)
def test_no_code_or_output_cut_off_at_1280(light_report, rel):
    clipped = light_report(rel)["seen"]["clipped_pre"]
    assert not clipped, f"code/output blocks wider than their box: {clipped}"


@pytest.mark.parametrize("rel", PAGES, ids=_id)
def test_nothing_cut_off_or_scrolling_sideways_on_a_phone(phone_report, rel):
    """At 390 px no text runs past the screen or past a box that clips it (a long inline call in
    an exercise box was cut off on four lessons), no code block or table of up to 8 columns
    needs a sideways scroll (eleven tables did, eight of them in lessons), and the page does not
    scroll sideways."""
    seen = phone_report(rel)
    assert not seen["cut_off"], "text cut off at 390 px:\n" + "\n".join(seen["cut_off"])
    assert not seen["clipped_pre"], f"code/output wider than its box: {seen['clipped_pre']}"
    w = seen["scroll_width"]
    assert w["doc"] <= w["inner"] and w["body"] <= w["inner"], f"page scrolls sideways: {w}"
    # a comparison table is one card per row on a phone (book/_ext/phone_tables.py): it never
    # scrolls sideways with its last column out of sight
    assert not seen["wide_tables"], f"tables wider than the phone: {seen['wide_tables']}"


# ---------------------------------------------------------------- sliders
#: The stored ipywidgets panels are being replaced by kernel-free panels that redraw in the book
#: (issue 14; their ipywidgets slider layout is issue 13). While this is True, a stored slider
#: that pretends to work, or a stored slider track that is too short, is an expected failure,
#: reported with what was measured. Set it to False when the kernel-free panels land: then the
#: tests below fail on any stored slider that still pretends or is too short.
STORED_PANELS_PENDING = True


def _check_tracks(sliders, minimum: float, where: str) -> None:
    short = [f"{s['kind']} '{s['label'][:40]}': {s['width']:.0f} px" for s in sliders
             if s["width"] < minimum]
    if short and STORED_PANELS_PENDING and all("stored" in x for x in short):
        # A short native range input is never an expected failure.
        pytest.xfail(f"stored ipywidgets slider tracks under {minimum:.0f} px {where} "
                     f"(issues 13/14): {short}")
    assert not short, f"slider tracks shorter than {minimum:.0f} px {where}: {short}"


@pytest.mark.parametrize("rel", LESSONS, ids=_id)
def test_slider_tracks_at_1280(light_report, rel):
    _check_tracks(light_report(rel)["seen"]["sliders"], 120.0, "at 1280 px")


@pytest.mark.parametrize("rel", LESSONS, ids=_id)
def test_slider_tracks_on_a_phone(phone_report, rel):
    _check_tracks(phone_report(rel)["sliders"], 80.0, "at 390 px")


@pytest.mark.parametrize("rel", LESSONS, ids=_id)
def test_no_stored_slider_pretends_to_be_live(light_report, rel):
    """A kernel-free stored ipywidgets slider moves, but its panel cannot redraw.

    ``light_report`` moves each such slider with the keyboard and watches the panel's readouts
    and images (``PRETENDING_JS`` in conftest.py): a slider whose value changes while nothing else
    does pretends to work.
    """
    pretending = light_report(rel)["pretending"]
    if pretending and STORED_PANELS_PENDING:
        pytest.xfail("stored sliders that move while nothing redraws (issue 14): " +
                     "; ".join(pretending))
    assert not pretending, "stored sliders that move while nothing redraws:\n" + \
        "\n".join(pretending)


# ---------------------------------------------------------------- navigation
def test_phone_menu_opens_and_its_lessons_navigate(phone_context, book_url):
    visit = Visit(phone_context, book_url + FLAGSHIP, book_url)
    page = visit.page
    toggles = page.locator(".primary-toggle:visible")
    assert toggles.count() == 1, f"{toggles.count()} visible menu buttons"
    toggles.first.tap()
    links = page.locator("#pst-primary-sidebar-modal a.reference.internal")
    links.first.wait_for(state="visible", timeout=5000)
    visible = [links.nth(i) for i in range(links.count()) if links.nth(i).is_visible()]
    assert len(visible) >= len(LESSONS), f"{len(visible)} page links visible in the menu"
    target = next(a for a in visible if "3-differential/" in (a.get_attribute("href") or ""))
    box = target.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, f"link off-screen: {box}"
    href = target.get_attribute("href")
    with page.expect_navigation():
        target.tap()
    assert page.url == urljoin(book_url + FLAGSHIP, href), f"tapped {href}, got {page.url}"
    # "Contents" (the page's table of contents) opens too.
    page.locator(".secondary-toggle:visible").first.tap()
    toc = page.locator("#pst-secondary-sidebar-modal a.nav-link")
    toc.first.wait_for(state="visible", timeout=5000)
    assert toc.count() >= 3
    page.close()
    assert not visit.page_errors and not visit.console_errors


def test_one_header_and_the_desktop_menu_button_collapses_the_sidebar(light_context, book_url):
    visit = Visit(light_context, book_url + FLAGSHIP, book_url)
    page = visit.page
    header = page.evaluate("""() => { const h = document.querySelector('#pst-header');
        return h ? h.getBoundingClientRect().height : 0; }""")
    assert header == 0, f"an empty {header:.0f} px header bar above the page"
    assert page.locator(".search-button-field:visible").count() <= 1, "two search boxes"
    sidebar = page.locator("#pst-primary-sidebar")
    assert sidebar.is_visible()
    page.locator(".primary-toggle:visible").first.click()
    page.wait_for_timeout(400)
    assert not sidebar.is_visible(), "the menu button did not collapse the sidebar"
    page.locator(".primary-toggle:visible").first.click()
    page.wait_for_timeout(400)
    assert sidebar.is_visible(), "the menu button did not bring the sidebar back"
    page.close()


# ---------------------------------------------------------------- numbering
def _lesson_numbers() -> dict[str, str]:
    """Lesson page -> its number "part.lesson" from _toc.yml (numbered parts only)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    numbers, part = {}, 0
    for p in toc.get("parts", []):
        if not p.get("numbered"):
            continue
        part += 1
        for k, ch in enumerate(p.get("chapters", []), start=1):
            numbers[ch["file"] + ".html"] = f"{part}.{k}"
    return numbers


@pytest.mark.parametrize("rel", LESSONS, ids=_id)
def test_lesson_numbers_in_title_sidebar_figures_and_exercises(light_report, rel):
    number = _lesson_numbers()[rel]
    seen = light_report(rel)["seen"]["numbers"]
    assert seen["h1"].startswith(number + " "), f"title {seen['h1']!r} does not start with {number}"
    assert seen["current"].startswith(number + " "), \
        f"sidebar entry {seen['current']!r} lacks {number}"
    captions = [c.rstrip() for c in seen["figures"]]
    want = [f"Figure {number}.{k}" for k in range(1, len(captions) + 1)]
    assert captions == want, f"figure numbers {captions}, want {want}"
    numbered = [e for e in seen["exercises"] if e.startswith("Exercise ")]
    assert numbered, f"no numbered exercise: {seen['exercises'][:3]}"
    got = list(dict.fromkeys(re.match(r"Exercise (\S+)", e).group(1) for e in numbered))
    want = [f"{number}.{k}" for k in range(1, len(got) + 1)]
    assert got == want, f"exercise numbers {got}, want {want}"


# ---------------------------------------------------------------- quizzes
def test_quiz_answer_positions_are_not_predictable(quiz_positions):
    positions = [q for rel in LESSONS for q in quiz_positions(rel)]
    choice = [q for q in positions if q["n"] >= 2 and q["correct"] >= 0]
    assert len(choice) >= 30, f"only {len(choice)} choice questions found"
    first = sum(q["correct"] == 0 for q in choice)
    expected = sum(1 / q["n"] for q in choice)
    # Shuffled, the right answer is first in about sum(1/n) questions; 84 of 93 was the bug.
    assert first <= 1.6 * expected + 5, \
        f"right answer first in {first} of {len(choice)} questions (chance: {expected:.0f})"


def test_quiz_order_changes_between_visits(light_context, book_url):
    orders = []
    for _ in range(3):
        visit = Visit(light_context, book_url + FLAGSHIP, book_url)
        orders.append(json.dumps(visit.page.evaluate(
            "() => Array.from(document.querySelectorAll('label.MCButton'))"
            ".map(b => b.textContent.trim())")))
        visit.page.close()
    assert len(set(orders)) > 1, "the answers come in the same order on every visit"


def test_numeric_answers_say_how_to_submit_and_check_works(light_context, book_url):
    for rel in LESSONS:  # the first lesson whose quiz has a numeric question
        visit = Visit(light_context, book_url + rel, book_url)
        page = visit.page
        page.wait_for_selector("label.MCButton, .NumericQn", state="attached", timeout=10000)
        if page.locator(".NumericQn").count():
            break
        page.close()
    else:
        pytest.fail("no numeric quiz question in any lesson")
    box = page.locator("input.Input-text").first
    box.scroll_into_view_if_needed()
    label = page.locator(f"label[for='{box.get_attribute('id')}']")
    assert label.count() and "Enter" in label.inner_text(), "no hint that Enter submits"
    answers = json.loads(box.get_attribute("data-answers"))
    right = next(a for a in answers if a.get("correct") and "value" in a)
    box.fill(str(right["value"]))
    box.locator("xpath=following-sibling::button[@class='twitch-quiz-check']").click()
    feedback = page.locator(f"#fb{box.get_attribute('id').split('-')[0]}")
    feedback.wait_for(state="visible", timeout=3000)
    text = feedback.inner_text()
    page.close()
    assert text and "Incorrect" not in text, f"the Check button did not accept {right['value']}"


# ---------------------------------------------------------------- landing page, glossary
def test_landing_page_has_a_start_button_and_a_title_that_does_not_repeat(light_context,
                                                                          book_url):
    visit = Visit(light_context, book_url + "book/welcome.html", book_url)
    page = visit.page
    title = page.title()
    site = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    start = page.locator("main a", has_text=re.compile("start here", re.I)).first
    assert start.count(), "no 'Start here' link"
    box = start.bounding_box()
    href = start.get_attribute("href")
    page.close()
    assert title.count(site) == 1, f"the page title repeats the site title: {title!r}"
    assert box and box["y"] < 900, "the start button is below the first screen"
    assert "lessons/1-motor-unit/1-motor-unit" in href, f"start button goes to {href}"


def test_glossary_is_one_alphabetical_list(light_context, book_url):
    visit = Visit(light_context, book_url + "book/glossary.html", book_url)
    page = visit.page
    lists = page.locator("main dl.glossary").count()
    terms = page.eval_on_selector_all("main dl.glossary > dt",
                                      "els => els.map(e => e.textContent.replace('#', '').trim())")
    page.close()
    assert lists == 1, f"{lists} separate glossary lists"
    assert len(terms) >= 60
    assert terms == sorted(terms, key=str.lower), "glossary terms out of alphabetical order"


# ---------------------------------------------------------------- search, download, launch
def test_search_works_offline(light_context, book_url):
    visit = Visit(light_context, book_url + "search.html?q=potassium", book_url)
    page = visit.page
    page.wait_for_selector("#search-results ul.search li", timeout=15000)
    hits = page.eval_on_selector_all("#search-results ul.search li a",
                                     "els => els.map(e => e.getAttribute('href'))")
    page.close()
    assert not visit.external and not visit.console_errors
    assert any(h.startswith("lessons/") for h in hits), f"no lesson among the results: {hits}"


def _launch_config() -> tuple[str, str]:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    repo = config["repository"]["url"].removeprefix("https://github.com/")
    return repo, (config.get("launch_buttons") or {}).get("jupyterhub_url") or ""


LAUNCHERS = (("Binder", "mybinder.org"), ("Colab", "colab.research.google.com"))
HUB = ("JupyterHub", "/hub/user-redirect/git-pull")


@pytest.mark.parametrize("rel", LESSONS, ids=_id)
def test_download_notebook_and_launch_buttons(light_report, light_context, book_url, rel):
    seen = light_report(rel)["seen"]["numbers"]
    nb_path = rel.removesuffix(".html") + ".ipynb"
    downloads = [h for h in seen["download"] if h.endswith(".ipynb")]
    assert len(downloads) == 1, f"download-notebook buttons: {seen['download']}"
    response = light_context.request.get(urljoin(book_url + rel, downloads[0]))
    assert response.ok, f"download link broken: {downloads[0]}"
    nb = json.loads(response.body())
    assert nb.get("nbformat") == 4 and len(nb.get("cells", [])) > 5, "not a lesson notebook"
    # Each launcher points at this lesson's notebook in the repository of _config.yml;
    # JupyterHub only when a hub is configured: no placeholder host.
    repo, hub = _launch_config()
    wanted = LAUNCHERS + ((HUB,) if hub else ())
    targets = seen["launchers"]
    assert len(targets) == len(wanted), f"launchers: {targets}"
    for title, host in wanted:
        match = [t for t in targets if host in t]
        assert len(match) == 1, f"no '{title}' button: {targets}"
        assert nb_path in match[0] and repo in match[0], f"{title} -> {match[0]}"
    assert not any("example." in t for t in targets), f"placeholder host: {targets}"


def test_launch_menu_opens_with_its_buttons(light_context, book_url):
    visit = Visit(light_context, book_url + FLAGSHIP, book_url)
    page = visit.page
    page.locator("button[aria-label='Launch interactive content']").click()
    for title, host in LAUNCHERS:
        # (bootstrap moves the title attribute into its tooltip, so find launchers by target)
        link = page.locator(f".dropdown-launch-buttons a[href*='{host}']")
        assert link.is_visible(), f"'{title}' not shown when the launch menu opens"
    # The lesson's install cell (for Colab) is in the notebook, not on the page.
    assert "%pip install" not in page.locator("main").inner_text()
    page.close()
    assert not visit.external


def test_claims_audit_table_sorts_and_filters(light_context, book_url):
    rel = "book/claims-audit.html"
    visit = Visit(light_context, book_url + rel, book_url)
    page = visit.page
    rows = page.locator("table.claims-table tbody tr")
    total = rows.count()
    assert total >= 80, f"{total} claims rendered"
    assert page.locator("table.claims-table a.reference[href*='lessons/']").count() >= total
    assert page.locator("table.claims-table .verdict").count() == total
    page.select_option(".claims-controls select[id^='claims-verdict']", "wrong")
    visible = page.locator("table.claims-table tbody tr:not([hidden])")
    wrong = page.locator("table.claims-table tbody tr.verdict-wrong").count()
    assert 0 < visible.count() == wrong < total
    page.select_option(".claims-controls select[id^='claims-verdict']", "")
    page.fill(".claims-controls input[type='search']", "magnesium")
    assert 0 < visible.count() < total
    assert all("magnesium" in t.lower() for t in visible.all_inner_texts())
    page.fill(".claims-controls input[type='search']", "")
    page.locator("table.claims-table th button", has_text="Verdict").click()
    first = rows.first.get_attribute("class")
    page.locator("table.claims-table th button", has_text="Verdict").click()
    assert "verdict-supported" in first and "verdict-wrong" in rows.first.get_attribute("class")
    out = SCREENSHOTS / "claims-audit.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    page.locator("table.claims-table").scroll_into_view_if_needed()
    page.screenshot(path=str(out))
    page.close()
    assert not visit.console_errors and not visit.page_errors and not visit.external


def test_claims_audit_reads_as_claim_and_verdict_with_its_legend(light_context, phone_context,
                                                                 book_url):
    rel = "book/claims-audit.html"
    seeds = yaml.safe_load((ROOT / "book/claims.yml").read_text(encoding="utf-8"))["seeds"]
    visit = Visit(light_context, book_url + rel, book_url)
    page = visit.page
    # The verdict sits beside the claim: claim, then verdict, in every row.
    order = page.eval_on_selector_all(
        "table.claims-table tbody tr", """rows => rows.map(r => [r.cells[0].className,
            r.cells[1].className])""")
    assert all("claim-cell" in a and "verdict-cell" in b for a, b in order), order[:2]
    # The legend of article codes is on the page, with every code claims.yml defines.
    legend = page.locator(".claims-legend").inner_text()
    assert all(str(code) in legend and str(title)[:20] in legend
               for code, title in seeds.items()), legend[:200]
    # A desktop page of sane height, and a header that stays in view while scrolling.
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 20000, f"the page is {height} px tall at 1280 px"
    page.locator("table.claims-table tbody tr").nth(40).scroll_into_view_if_needed()
    head = page.locator("table.claims-table thead th").first.bounding_box()
    assert head and 0 <= head["y"] < 120, f"the table header scrolled away: {head}"
    page.close()
    # On a phone: one card per claim, its verdict visible without scrolling sideways.
    visit = Visit(phone_context, book_url + rel, book_url)
    page = visit.page
    card = page.locator("table.claims-table tbody tr").first
    display = card.evaluate("tr => getComputedStyle(tr).display")
    badge = card.locator(".verdict").bounding_box()
    width = page.evaluate("document.documentElement.scrollWidth")
    page.close()
    assert display == "block", f"rows are '{display}', not cards, at 390 px"
    assert badge and badge["x"] + badge["width"] <= 390, f"verdict off-screen: {badge}"
    assert width <= 390, f"the page scrolls sideways at 390 px ({width} px)"
