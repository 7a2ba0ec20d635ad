"""Real-browser smoke test: Debian's Chromium walks the quick scan of the running app."""
from pathlib import Path

import pytest

from tests.browser import browser_page, require_browser, streamlit_server

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[1] / "out" / "screenshots"


def test_quick_scan_in_a_real_browser():
    require_browser()
    SHOTS.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url, browser_page() as page:
        page.goto(url, wait_until="networkidle")
        groups = page.get_by_role("radiogroup")
        groups.first.wait_for(timeout=60_000)
        questions = groups.count()
        assert questions >= 10  # mode switch + the ten quick-scan questions
        for index in range(1, questions):  # group 0 is the quick/full switch
            group = groups.nth(index)
            group.scroll_into_view_if_needed()
            group.get_by_text("4.", exact=False).first.click()
        page.get_by_role("button", name="Resultaat berekenen").click()
        page.get_by_text("Go / no-go voor een effectevaluatie").wait_for(timeout=60_000)
        page.screenshot(path=str(SHOTS / "quick_scan_result.png"), full_page=True)
        body = page.inner_text("body")
        assert "Per dimensie" in body
        assert "Traceback" not in body
