"""Real-browser smoke test: Debian's Chromium walks the quick scan of the running app."""
import json
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
        groups.nth(10).wait_for(timeout=60_000)   # the page draws its groups one by one: wait for all
        questions = groups.count()
        assert questions >= 11  # mode switch + the ten quick-scan questions
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


def _upload_on_quality_page(page, url, files):
    page.goto(f"{url}/quality", wait_until="networkidle")
    page.get_by_text("Eigen extract uploaden").click()
    page.locator("input[type=file]").first.set_input_files([str(f) for f in files])
    page.get_by_role("button", name="Indeling bevestigen en inlezen").click()


def test_messy_upload_gets_a_plain_message(tmp_path):
    """A cp1252 ';' export with dd-mm-jjjj dates and a missing required column."""
    require_browser()
    clients = tmp_path / "klanten.csv"
    clients.write_bytes('Klantnummer;Geboortedatum;Geslacht\r\n"K001";"31-02-1980";"V"\r\n'
                        '"K002";"01-03-1975";"M"\r\n'.encode("cp1252"))
    referrals = tmp_path / "verwijzingen.csv"
    referrals.write_bytes("Klantnummer;Werkconsulent;Verwijsdatum\r\nK001;WC1;01-02-2015\r\n".encode("cp1252"))
    with streamlit_server() as url, browser_page() as page:
        _upload_on_quality_page(page, url, [clients, referrals])
        message = page.get_by_text("ontbreekt de verplichte kolom department")
        message.wait_for(timeout=60_000)
        assert "'Klantnummer', 'Werkconsulent', 'Verwijsdatum'" in message.inner_text()
        assert "Traceback" not in page.inner_text("body")


def test_dutch_export_upload_is_profiled(demo_dir_dutch, demo):
    """The demo in the Dutch municipal export style, uploaded through the browser, is mapped
    without help and profiled; the planted missing caseworkers are found with their count."""
    require_browser()
    files = sorted(demo_dir_dutch.glob("*.csv"))
    with streamlit_server() as url, browser_page() as page:
        _upload_on_quality_page(page, url, files)
        page.get_by_role("button", name="Kwaliteitsprofiel maken").click()
        page.get_by_text("Overzicht", exact=True).wait_for(timeout=120_000)
        with page.expect_download() as download:
            page.get_by_role("button", name="Bevindingen (JSON)").click()
        exported = Path(download.value.path()).read_text(encoding="utf-8")
        body = page.inner_text("body")
    assert "Traceback" not in body
    counts = {f["id"]: f["count"] for f in json.loads(exported)["findings"]}
    assert counts["referral.missing_caseworker"] == demo.manifest["defects"]["referral.missing_caseworker"]["count"]
    bsns = set(demo.tables["clients"]["bsn"].dropna().astype(str))
    assert not [bsn for bsn in bsns if len(bsn) == 9 and (bsn in body or bsn in exported)]
