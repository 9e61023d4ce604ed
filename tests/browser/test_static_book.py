"""The built (static) book as readers get it, in headless Chromium, served from 127.0.0.1.

Every page: no console errors, no failed request, no request leaving the machine, every image
loads, math typeset by MathJax, stored widget state rendered, axe-core finds no serious or
critical violation. Lessons: figures stay readable in dark mode (opaque light backgrounds;
screenshots saved for a human to look at), no horizontal scroll at a phone width (390 px), a
working download-notebook button and launch buttons. Search works offline.
"""

from __future__ import annotations

import json
from urllib.parse import urljoin

import pytest

from tests.browser.conftest import SCREENSHOTS, Visit, built_pages, lesson_pages

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


@pytest.fixture(scope="module")
def phone_context(browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                              is_mobile=True, has_touch=True, service_workers="block")
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
    out = SCREENSHOTS / "dark" / _id(rel).replace("/", "__")
    out.mkdir(parents=True, exist_ok=True)
    for i in range(3):
        if not page.evaluate(SCROLL_TO_FIGURE, i):
            break
        page.screenshot(path=str(out / f"figure-{i}.png"))
    page.close()
    assert not unreadable, "figures without a light, opaque background in dark mode:\n" + \
        "\n".join(unreadable)


@pytest.mark.parametrize("rel", LESSONS, ids=_id)
def test_no_horizontal_scroll_at_phone_width(phone_context, book_url, rel):
    visit = Visit(phone_context, book_url + rel, book_url)
    page = visit.page
    widths = page.evaluate("""() => ({inner: window.innerWidth,
        doc: document.documentElement.scrollWidth, body: document.body.scrollWidth,
        wide: Array.from(document.querySelectorAll('main *')).filter(e => {
            const r = e.getBoundingClientRect();
            return r.right > window.innerWidth + 1 && getComputedStyle(e).position !== 'fixed';
        }).slice(0, 5).map(e => e.tagName + '.' + e.className)})""")
    out = SCREENSHOTS / "phone"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"{_id(rel).replace('/', '__')}.png"))
    if page.evaluate(SCROLL_TO_FIGURE, -1):
        page.screenshot(path=str(out / f"{_id(rel).replace('/', '__')}-panel.png"))
    page.close()
    assert widths["doc"] <= widths["inner"] and widths["body"] <= widths["inner"], \
        f"page scrolls sideways at 390 px: {widths}"


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


@pytest.mark.parametrize("rel", LESSONS, ids=_id)
def test_download_notebook_and_launch_buttons(light_context, book_url, rel):
    visit = Visit(light_context, book_url + rel, book_url)
    page = visit.page
    nb_path = rel.removesuffix(".html") + ".ipynb"
    download = page.locator("a.btn-download-source-button[href$='.ipynb']")
    assert download.count() == 1, "no download-notebook button"
    href = urljoin(book_url + rel, download.get_attribute("href"))
    response = page.request.get(href)
    assert response.ok, f"download link broken: {href}"
    nb = json.loads(response.body())
    assert nb.get("nbformat") == 4 and len(nb.get("cells", [])) > 5, "not a lesson notebook"
    # The launch menu opens, and each launcher points at this lesson's notebook.
    page.locator("button[aria-label='Launch interactive content']").click()
    for title, host in (("Binder", "mybinder.org"),
                        ("Colab", "colab.research.google.com"),
                        ("JupyterHub", "/hub/user-redirect/git-pull")):
        # (bootstrap moves the title attribute into its tooltip, so find launchers by target)
        link = page.locator(f".dropdown-launch-buttons a[href*='{host}']")
        assert link.count() == 1, f"no '{title}' button"
        assert link.is_visible(), f"'{title}' not shown when the launch menu opens"
        target = link.get_attribute("href")
        assert host in target and nb_path in target, f"{title} -> {target}"
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
