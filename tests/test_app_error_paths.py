"""Every page that accepts an upload, given broken files: a one-line message, never Streamlit's
traceback panel (`stException`), and never a value of the file echoed unmasked (issue 11).

AppTest cannot upload files itself, so `st.file_uploader` answers with the broken file (as in
tests/test_quality_page.py); every uploader a page draws gets it."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

PAGES = Path(__file__).parents[1] / "app_pages"
BSN = "111222333"          # passes the 11-test: masking must catch it in any message
BROKEN = {   # per kind of upload: files that are broken in a different way each
    "data": {"garbage.csv": b"\xff\xfe\x00" + f"{BSN};01-02-1980;3011AB;12\r".encode() * 3 + b"\x00" * 50,
             "not_a_workbook.xlsx": b"PK\x03\x04" + b"\x00" * 40 + BSN.encode()},
    "json": {"nested.json": b"[" * 100_000 + b"]" * 100_000,
             "wrong_shape.json": b'{"format_version": "two", "municipality": ["' + BSN.encode()
                                 + b'"], "respondents": [{"name": "' + BSN.encode() + b'", "answers": {'},
}
KIND = {"quality.py": "data"}    # the other pages take saved JSON (answers, checklist, assessment)
READ_ON_CLICK = {"quality.py"}   # pages that read the upload only when a button is pressed


def _page_with_broken_uploads():
    """The page of $BROKEN_PAGE, every file uploader answering with the file $BROKEN_FILE."""
    import json
    import os

    import streamlit as st

    class Upload:
        def __init__(self, name, data):
            self.name, self.file_id, self._data, self.size = name, name, data, len(data)

        def getvalue(self):
            return self._data

        def read(self):
            return self._data

    real = st.file_uploader
    name = os.environ["BROKEN_FILE"]
    data = bytes.fromhex(json.loads(os.environ["BROKEN_DATA"]))

    def fake(label, *args, accept_multiple_files=False, key=None, **kwargs):
        st.session_state.setdefault("uploaders_called", []).append(key)
        upload = Upload(name, data)
        return [upload] if accept_multiple_files else upload

    st.file_uploader = fake
    try:
        page = os.environ["BROKEN_PAGE"]
        exec(compile(open(page, encoding="utf-8").read(), page, "exec"), {"__name__": "__main__"})
    finally:
        st.file_uploader = real


def _pages_with_uploads() -> list[str]:
    return sorted(p.name for p in PAGES.glob("*.py") if "file_uploader" in p.read_text(encoding="utf-8"))


CASES = [(page, name) for page in _pages_with_uploads() for name in BROKEN[KIND.get(page, "json")]]


def _texts(at) -> str:
    parts = []
    for kind in ("error", "warning", "info", "success", "markdown", "caption", "text", "code"):
        parts += [str(getattr(e, "value", "")) for e in getattr(at, kind)]
    return "\n".join(parts)


def _press_every_button(at) -> None:
    """Buttons that read the upload (confirm the mapping, run the checks) are pressed once."""
    for label in [b.label for b in at.button]:
        button = next((b for b in at.button if b.label == label), None)
        if button is not None and not button.disabled:
            button.click().run()


def test_the_pages_with_uploads_are_found():
    assert {"quality.py", "linkage.py", "maturity_page.py", "workplan_page.py"} <= set(_pages_with_uploads())


@pytest.mark.parametrize(("page", "name"), CASES)
def test_a_broken_upload_shows_a_message_not_a_traceback(page, name, monkeypatch):
    import json
    monkeypatch.setenv("BROKEN_PAGE", str(PAGES / page))
    monkeypatch.setenv("BROKEN_FILE", name)
    monkeypatch.setenv("BROKEN_DATA", json.dumps(BROKEN[KIND.get(page, "json")][name].hex()))
    at = AppTest.from_function(_page_with_broken_uploads, default_timeout=60)
    at.run()
    for radio in at.radio:     # a page may ask first where the data come from: take the upload
        uploads = [o for o in radio.options if "upload" in str(o).lower()]
        if uploads:
            radio.set_value(uploads[0]).run()
    if page in READ_ON_CLICK:
        _press_every_button(at)
    assert not at.exception, [e.value for e in at.exception][:1]
    assert at.session_state["uploaders_called"], "the page drew no file uploader"
    assert at.error, "the broken file is named in a message"
    assert all("\n" not in e.value.strip() for e in at.error), "one line"
    assert BSN not in _texts(at)
