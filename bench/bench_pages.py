"""Page timings in a real browser: headless Chromium (Playwright) drives the running app on
the demo and times the first visit of every page, the main actions and single clicks, then
the first visits of a second user (a new session on the running server).

Run from the repository root: `.venv/bin/python bench/bench_pages.py` (add `--shots DIR` to
save a full-page screenshot of every page in both languages). A step's time runs from the
click to the moment the server reports the run finished (Streamlit's `script_finished`
message) and the browser shows no running indicator (for the population page, drawn in two
steps, also until its first part shows); goals (issue 13): pages and main actions
under 3 s, clicks under 1 s.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from demo import generate, write_extract  # noqa: E402
from tests.browser import browser_page, streamlit_server  # noqa: E402

LONG = 180_000
PAGES = {  # url path: (Dutch nav title, English nav title)
    "maturity": ("1. Datavolwassenheid", "1. Data maturity"),
    "quality": ("2. Datakwaliteit", "2. Data quality"),
    "population": ("2b. Populatie: wat werkt voor wie", "2b. Population: what works for whom"),
    "linkage": ("3. Koppeling met CBS", "3. CBS linkage"),
    "design": ("4. Onderzoeksopzet", "4. Research design"),
    "workplan": ("5. Werkplan (PDF)", "5. Workplan (PDF)"),
    "dialogue": ("Datadialoog met cliënten", "Data dialogue with clients"),
}


class Runs:
    """Counts the runs the server reports finished (over the app's websocket)."""

    def __init__(self, page):
        self.finished = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        if isinstance(payload, (bytes, bytearray)):
            message = ForwardMsg.FromString(bytes(payload))
            if message.WhichOneof("type") == "script_finished":
                self.finished += 1


def timed(page, runs: Runs, action, shown: str | None = None):
    """Seconds from `action()` to the end of the run it starts, as the browser sees it; with
    `shown` (a text of the page), also the seconds until that text shows: (shown, end)."""
    before = runs.finished
    start = time.perf_counter()
    action()
    if shown is not None:
        page.get_by_text(shown, exact=True).wait_for(timeout=LONG)
        return time.perf_counter() - start, timed_end(page, runs, before, start)
    return timed_end(page, runs, before, start)


def timed_end(page, runs: Runs, before: int, start: float) -> float:
    deadline = start + LONG / 1000
    while runs.finished == before and time.perf_counter() < deadline:
        page.wait_for_timeout(20)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=LONG)
    seconds = time.perf_counter() - start
    assert "Traceback" not in page.inner_text("body"), "the page shows an error"
    return seconds


def nav(page, title: str):
    return lambda: page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()


def switch_language(page, name: str):
    def action():
        page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input').click()
        page.get_by_role("option", name=name, exact=True).click()
    return action


def screenshot(page, path: Path) -> None:
    """The whole page: the viewport is stretched to the height of the app's scrolling main area."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(max(height, 1000), 16000)})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1400, "height": 1000})


def upload(page, runs: Runs, folder: Path) -> float:
    """Seconds to confirm the upload of the demo's files (the column mapping is proposed)."""
    timed(page, runs, nav(page, PAGES["quality"][0]))
    timed(page, runs, lambda: page.get_by_text("Eigen extract uploaden").click())
    timed(page, runs, lambda: page.locator("input[type=file]").first.set_input_files(sorted(map(str, folder.glob("*.csv")))))
    seconds = timed(page, runs, lambda: page.get_by_role("button", name="Indeling bevestigen en inlezen").click())
    page.locator('[data-testid="stSidebar"]').get_by_text("eigen extract", exact=False).wait_for(timeout=LONG)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=Path, help="folder for screenshots of every page in both languages")
    args = parser.parse_args()
    args.upload = Path(tempfile.mkdtemp(prefix="bench_pages_"))
    write_extract(generate().tables, args.upload, "dutch")        # the demo's files, not timed
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores)", flush=True)
    results: list[tuple[str, float, float]] = []

    def record(name: str, seconds: float, goal: float) -> None:
        results.append((name, seconds, goal))
        print(f"{name:<52} {seconds:6.2f} s  {'ok' if seconds < goal else 'SLOW'} (goal {goal:.0f} s)", flush=True)

    with streamlit_server() as url, browser_page() as page:
        runs = Runs(page)
        record("app opens (maturity page)", timed(page, runs, lambda: page.goto(url)), 3)
        for path, (dutch, _) in PAGES.items():
            if path == "population":     # drawn in two steps: the first one ends with this caption
                shown, seconds = timed(page, runs, nav(page, dutch), shown="Aantal nog gevolgd")
                record("first visit: population, profile and curves shown", shown, 3)
                record("first visit: population, complete", seconds, 3)
            elif path != "maturity":
                record(f"first visit: {path}", timed(page, runs, nav(page, dutch)), 3)
            if path == "quality":
                record("quality: make the profile (demo)", timed(page, runs, lambda: page.get_by_role(
                    "button", name="Kwaliteitsprofiel maken").click()), 3)
            if path == "workplan":
                record("workplan: run the missing steps", timed(page, runs, lambda: page.get_by_role(
                    "button", name="Ontbrekende stappen uitvoeren op het actieve extract").click()), 3)
        timed(page, runs, nav(page, PAGES["maturity"][0]))
        record("maturity: compute the result", timed(page, runs, lambda: page.get_by_role(
            "button", name="Resultaat berekenen").click()), 3)
        timed(page, runs, nav(page, PAGES["workplan"][0]))
        record("workplan: make the PDF", timed(page, runs, lambda: page.get_by_role(
            "button", name="PDF maken").click()), 3)
        timed(page, runs, nav(page, PAGES["dialogue"][0]))
        record("dialogue: next game step (click)", timed(page, runs, lambda: page.get_by_role(
            "radiogroup").get_by_text("2. Pseudonimiseren").click()), 1)
        for path, (dutch, _) in PAGES.items():
            record(f"second visit: {path}", timed(page, runs, nav(page, dutch)), 1)
            if args.shots:
                args.shots.mkdir(parents=True, exist_ok=True)
                screenshot(page, args.shots / f"{path}_nl.png")
        record("language switch to English", timed(page, runs, switch_language(page, "English")), 1)
        for path, (_, english) in PAGES.items():
            seconds = timed(page, runs, nav(page, english))
            if args.shots:
                screenshot(page, args.shots / f"{path}_en.png")
            record(f"visit in English: {path}", seconds, 1)
        fresh = page.context.browser.new_page(viewport={"width": 1400, "height": 1000})   # a second user
        fresh_runs = Runs(fresh)
        record("new session: app opens", timed(fresh, fresh_runs, lambda: fresh.goto(url)), 3)
        for path in ("population", "design", "linkage"):
            record(f"new session, first visit: {path}", timed(fresh, fresh_runs, nav(fresh, PAGES[path][0])), 3)
        timed(page, runs, switch_language(page, "Nederlands"))
        record("quality: confirm an upload (demo files, Dutch style)", upload(page, runs, args.upload), 3)
    shutil.rmtree(args.upload)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    slow = [name for name, seconds, goal in results if seconds >= goal]
    print("all within their goals" if not slow else f"over the goal: {', '.join(slow)}")


if __name__ == "__main__":
    main()
