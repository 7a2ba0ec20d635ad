"""Uploads never touch the disk: the server holds no file in the temporary directory while a
file of several MiB is uploaded through a real browser."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tests.browser import browser_page, require_browser, streamlit_server

pytestmark = pytest.mark.browser


def _watch_open_files(pid: int, folder: str, seen: set, stop: threading.Event) -> None:
    """Every file the server process has open inside `folder` (also unnamed O_TMPFILE ones,
    which /proc shows as 'folder/#inode (deleted)'), polled until `stop`."""
    fds = Path(f"/proc/{pid}/fd")
    while not stop.is_set():
        for fd in list(fds.iterdir()) if fds.exists() else []:
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith(folder):
                seen.add(target)
        stop.wait(0.002)


def test_a_large_upload_stays_in_memory(tmp_path):
    require_browser()
    spool = tmp_path / "tmp"
    spool.mkdir()
    big = tmp_path / "trajecten.csv"
    rows = "".join(f"K{i:07d};SOL;01-02-2015;01-03-2015\n" for i in range(120_000))
    big.write_text("Klantnummer;Code;Begindatum;Einddatum\n" + rows, encoding="utf-8")
    assert big.stat().st_size > 4 * 1024 * 1024
    server, seen, stop = [], set(), threading.Event()
    with streamlit_server(env={"TMPDIR": str(spool)}, process=server) as url, browser_page() as page:
        watcher = threading.Thread(target=_watch_open_files, args=(server[0].pid, str(spool), seen, stop))
        watcher.start()
        try:
            page.goto(f"{url}/quality", wait_until="networkidle")
            page.get_by_text("Eigen extract uploaden").click()
            page.locator("input[type=file]").first.set_input_files(str(big))
            page.get_by_text("trajecten.csv").first.wait_for(timeout=60_000)
            page.wait_for_timeout(1500)
        finally:
            stop.set()
            watcher.join()
    assert seen == set()
    assert list(spool.iterdir()) == []
