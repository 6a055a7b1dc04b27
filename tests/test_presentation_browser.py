"""Presentation mode in real headless Chromium: the default session on a 1920×1080 and a 1280×720 screen, driven
by keyboard and buttons, with a screenshot per slide (tests/screenshots/presentatie-*.png); and an upload during
the session that reaches the wall by itself."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from gezinsmonitor import sessions
from gezinsmonitor.store import Store
from tests.helpers import import_file
from tests.test_browser import SCREENSHOTS, browser, serve, wait_for_app  # noqa: F401 (fixture)
from components import views

pytestmark = pytest.mark.browser
CHART = '[data-testid="stVegaLiteChart"]'
SLIDES = [views.VIEWS[s.view] for s in sessions.DEFAULT.slides]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    directory = tmp_path_factory.mktemp("presentatie")
    for url in serve(directory, samples=True):
        yield url, f"sqlite:///{directory / 'app.db'}"


def _open(browser, url, width, height):  # noqa: F811
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{url}/presentatie?sessie={sessions.DEFAULT_SLUG}", timeout=120_000)
    wait_for_app(page)
    return page


def _on_slide(page, number: int) -> None:
    """Wait until slide `number` is drawn: its counter and its own title (a fragment rerun shows no status)."""
    expect(page.get_by_text(f"Dia {number} van {len(SLIDES)}")).to_be_visible(timeout=60_000)
    expect(page.locator(".gm-slide-theme").first).to_have_text(
        re.compile(SLIDES[number - 1].theme, re.IGNORECASE), timeout=60_000)
    wait_for_app(page)
    page.locator(f"{CHART} canvas, {CHART} svg").first.wait_for(timeout=60_000)


def _fits(page, height: int) -> None:
    """The chart and its title are on the screen without scrolling, and the title is large."""
    box = page.locator(CHART).first.bounding_box()
    assert box and box["height"] > 150 and box["y"] >= 0 and box["y"] + box["height"] <= height, box
    size = page.locator(".gm-slide-title").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 30


def test_the_default_session_on_a_full_hd_screen(browser, served):  # noqa: F811
    url, _ = served
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = _open(browser, url, 1920, 1080)
    # The first request of a fresh server is this deep link: it must still get app.py's menu (page titles in
    # sections), not Streamlit's pages/-folder listing of file names.
    nav = page.locator('[data-testid="stSidebarNav"]').first
    nav.wait_for(state="attached", timeout=60_000)
    expect(nav).to_contain_text("Presentatie", timeout=60_000)
    assert "Overzicht" in nav.text_content() and "presentatie" not in nav.text_content()
    for number, view in enumerate(SLIDES, start=1):
        _on_slide(page, number)
        assert page.locator(".gm-slide-takeaway").first.inner_text().strip().endswith(".")
        assert "n = " in page.locator(".gm-slide-print").first.inner_text()
        _fits(page, 1080)
        page.screenshot(path=str(SCREENSHOTS / f"presentatie-1920-{number}-{view.key}.png"))
        if number < len(SLIDES):
            if number % 2:
                page.keyboard.press("ArrowRight")
            else:
                page.get_by_role("button", name="Volgende").click()
    assert "sessie=standaard" in page.url and f"dia={len(SLIDES)}" in page.url
    page.keyboard.press("ArrowLeft")
    _on_slide(page, len(SLIDES) - 1)
    page.close()


def test_the_default_session_on_a_720p_projector(browser, served):  # noqa: F811
    url, _ = served
    page = _open(browser, url, 1280, 720)
    for number, view in enumerate(SLIDES, start=1):
        _on_slide(page, number)
        _fits(page, 720)
        page.screenshot(path=str(SCREENSHOTS / f"presentatie-1280-{number}-{view.key}.png"))
        page.keyboard.press("ArrowRight")
    page.close()


def test_an_upload_during_the_session_reaches_the_wall_by_itself(browser, served, fixture_paths):  # noqa: F811
    url, db = served
    page = _open(browser, url, 1920, 1080)
    _on_slide(page, 1)
    store = Store(db)
    import_file(store, fixture_paths[1])
    store.engine.dispose()
    # No click, no key: the slide's timer (st.fragment run_every) picks the new revision up within a minute.
    page.get_by_text("Bijgewerkt om").first.wait_for(timeout=60_000)
    page.screenshot(path=str(SCREENSHOTS / "presentatie-bijgewerkt.png"))
    page.close()
