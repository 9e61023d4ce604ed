"""The EMG sound players in the built book, as a reader's Chromium receives them, offline.

For every ``<audio>`` on the lessons that play EMG sounds: the file decodes in Chromium (Web
Audio ``decodeAudioData``, no network), its duration is the one the player announces, it is not
silent (RMS above -60 dB full scale), it does not autoplay (still paused at 0 s after the page
settled), it has native controls, a label and a description in words, and it can be reached with
the keyboard (Tab moves focus onto it).
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import Visit, book_dir

pytestmark = pytest.mark.browser

#: Lesson page -> the least number of players it must have.
PAGES = {
    "lessons/1-motor-unit/6-emg.html": 2,
    "lessons/3-differential/1-is-it-a-fasciculation.html": 15,
    "lessons/3-differential/3-hyperexcitable-nerves.html": 4,
}
RMS_FLOOR = 10 ** (-60 / 20)

_DECODE = """async () => {
    const out = [];
    for (const a of document.querySelectorAll('audio')) {
        const desc = document.getElementById(a.getAttribute('aria-describedby') || '');
        const item = {label: a.getAttribute('aria-label') || '', controls: a.controls,
                      autoplayAttr: a.hasAttribute('autoplay'), autoplay: a.autoplay,
                      paused: a.paused, time: a.currentTime,
                      description: desc ? desc.textContent.trim() : ''};
        try {
            const bytes = await (await fetch(a.currentSrc || a.src)).arrayBuffer();
            const ctx = new OfflineAudioContext(1, 22050, 22050);
            const buf = await ctx.decodeAudioData(bytes);
            const x = buf.getChannelData(0);
            let s = 0;
            for (let i = 0; i < x.length; i++) s += x[i] * x[i];
            item.duration = buf.duration;
            item.rms = Math.sqrt(s / x.length);
        } catch (e) {
            item.error = String(e);
        }
        out.push(item);
    }
    return out;
}"""


def _announced_seconds(item) -> float:
    m = re.search(r"(\d+(?:\.\d+)?) s\b", item["label"] + " " + item["description"])
    assert m, f"the player does not say how long it is: {item['label']!r}"
    return float(m.group(1))


@pytest.fixture(scope="module")
def players(light_context, book_url):
    found = {}
    for rel in PAGES:
        if not (book_dir() / rel).exists():
            pytest.fail(f"{rel} was not built")
        visit = Visit(light_context, book_url + rel, book_url)
        visit.page.wait_for_timeout(300)
        items = visit.page.evaluate(_DECODE)
        # keyboard: Tab from the element just before the first player lands on it
        first = visit.page.locator("audio").first
        first.evaluate("""a => { const b = document.createElement('button');
            b.id = 'emg-tab-probe'; b.textContent = 'probe'; a.before(b); }""")
        visit.page.focus("#emg-tab-probe")
        visit.page.keyboard.press("Tab")
        tab_ok = visit.page.evaluate("() => document.activeElement.tagName") == "AUDIO"
        found[rel] = (items, tab_ok, list(visit.external), list(visit.console_errors))
        visit.page.close()
    return found


@pytest.mark.parametrize("rel", PAGES)
def test_every_player_decodes_offline_with_its_duration_and_is_not_silent(players, rel):
    items, _, external, _ = players[rel]
    assert len(items) >= PAGES[rel], f"{rel}: {len(items)} players"
    assert not external, f"{rel}: requests left the machine: {external[:3]}"
    for it in items:
        assert "error" not in it, f"{rel}: {it['label']!r} did not decode: {it.get('error')}"
        assert abs(it["duration"] - _announced_seconds(it)) < 0.15, it["label"]
        assert it["rms"] > RMS_FLOOR, f"{rel}: {it['label']!r} is silent"


@pytest.mark.parametrize("rel", PAGES)
def test_players_never_autoplay_and_are_labelled_described_and_keyboard_operable(players, rel):
    items, tab_ok, _, _ = players[rel]
    for it in items:
        assert it["controls"], f"{rel}: a player without controls"
        assert not it["autoplayAttr"] and not it["autoplay"]
        assert it["paused"] and it["time"] == 0, f"{rel}: {it['label']!r} started by itself"
        assert len(it["label"]) > 10, f"{rel}: a player without a label"
        assert len(it["description"]) > 5, f"{rel}: {it['label']!r} has no description"
    assert tab_ok, f"{rel}: Tab does not reach the first player"
