"""Errors caused by the user's input, with a one-line message in NL and EN."""
from __future__ import annotations

from pathlib import Path

from core import DEFAULT_LANGUAGE
from core.texts import Texts

_TEXTS = Texts(Path(__file__).with_name("errors.yaml"))


class UserInputError(Exception):
    """Input we cannot use. `code` names a text in core/errors.yaml."""

    def __init__(self, code: str, **values):
        self.code = code
        self.values = values
        super().__init__(self.message("en"))

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return _TEXTS(self.code, lang, **self.values)
