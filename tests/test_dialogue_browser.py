"""Real browser: the data-dialogue page walked step by step, conclusions recorded."""
from pathlib import Path

import pytest

from tests.browser import browser_page, require_browser, streamlit_server

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[1] / "out" / "screenshots"


def test_dialogue_page_in_a_real_browser():
    require_browser()
    SHOTS.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url, browser_page() as page:
        page.goto(f"{url}/dialogue", wait_until="networkidle")
        page.get_by_text("1. De kaarten").first.wait_for(timeout=60_000)
        for label in ("2. Pseudonimiseren", "3. Husselen", "4. Koppelen", "5. Patroon zoeken",
                      "6. Geen oordeel over één persoon"):
            page.get_by_text(label, exact=True).first.click()
            page.wait_for_timeout(1500)
        page.screenshot(path=str(SHOTS / "dialogue_no_verdict.png"), full_page=True)
        assert "Traceback" not in page.inner_text("body")
        page.get_by_text("7. Conclusies vastleggen", exact=True).first.click()
        page.get_by_label("Groep (bijvoorbeeld cliëntenraad)").fill("Cliëntenraad Noord")
        page.get_by_label("Conclusies en afspraken (vrije tekst)").fill("Geen automatische doorverwijzing.")
        page.get_by_role("button", name="Vastleggen").click()
        page.get_by_text("Vastgelegd.", exact=False).wait_for(timeout=30_000)
        page.screenshot(path=str(SHOTS / "dialogue_recorded.png"), full_page=True)
        body = page.inner_text("body")
        assert "Cliëntenraad Noord" in body and "Geen automatische doorverwijzing." in body
