"""The one error for input we cannot use, with a one-line message in every language.

`UserInputError(code, **values)`: `code` names a text in one of the catalogues declared in
`ERROR_FILES` (codes are unique across them). Commands turn it into one plain line on stderr
and exit code 2 (`core.cli.run`); the app and the workplan show the message in the user's
language, or record the step as not run with it.
"""
from __future__ import annotations

from functools import lru_cache

from core import DEFAULT_LANGUAGE, LANGUAGES
from core.texts import load_yaml, pick, render

# Every catalogue of error texts, declared once (paths from the repository root).
ERROR_FILES = (
    "core/errors.yaml",
    "quality_checks/ingest_errors.yaml",
    "maturity/errors.yaml",
    "workplan/content/errors.yaml",
)


@lru_cache(maxsize=1)
def error_texts() -> dict[str, dict]:
    from core.findings import ROOT
    texts: dict[str, dict] = {}
    for name in ERROR_FILES:
        for code, entry in load_yaml(ROOT / name).items():
            if code in texts:
                raise ValueError(f"error text '{code}' is defined twice ({name})")
            texts[code] = entry
    return texts


class UserInputError(Exception):
    """Input we cannot use. `code` names a text in one of ERROR_FILES."""

    def __init__(self, code: str, **values):
        if code not in error_texts():
            raise KeyError(f"no error text '{code}'")
        self.code = code
        self.values = values
        super().__init__(self.message("en"))

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return render(pick(error_texts()[self.code], lang), lang, self.values)

    def to_dict(self) -> dict:
        """The error as data: its code and values, plus the message in every language."""
        return {"code": self.code, "values": {k: str(v) for k, v in self.values.items()},
                "message": {lang: self.message(lang) for lang in LANGUAGES}}
