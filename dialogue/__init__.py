"""The data dialogue with clients (report ch. 3, werkwijzer ch. 9): the database game's cards
(`persons`, `build_pdf`), and the session's record with its evidence text for the workplan
(`session_record`, `evidence_text`)."""
from dialogue.cards import Person, cards_of, persons  # noqa: F401
from dialogue.record import CONCERNS, TOPICS, evidence, evidence_text, session_record  # noqa: F401


def build_pdf(n_persons: int = 12, seed: int = 2018, lang: str = "nl") -> bytes:
    from dialogue.pdf import build_pdf as build
    return build(n_persons, seed, lang)
