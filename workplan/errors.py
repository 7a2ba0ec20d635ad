"""User errors of the workplan, with their one-line texts in workplan/content/errors.yaml."""
from __future__ import annotations

from core import DEFAULT_LANGUAGE
from core.errors import UserInputError
from core.texts import Texts

from workplan.content import CONTENT

_TEXTS = Texts(CONTENT / "errors.yaml")


class WorkplanInputError(UserInputError):
    """A `UserInputError` whose code names a text in workplan/content/errors.yaml."""

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return _TEXTS(self.code, lang, **self.values)

