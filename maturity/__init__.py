"""Step 1 of the scan: the data-maturity questionnaire.

A versioned question bank (questions.yaml, recommendations.yaml; NL and EN), answer sheets that
save to and load from JSON, and scoring per dimension (median, weakest link, spread between
roles) with a go/no-go gate on critical items. No Streamlit here; the page is
app_pages/maturity_page.py and the command `python -m maturity`.
"""
from maturity.answers import Answer, AnswerSheet, Respondent, load, new_sheet, parse, save, to_json
from maturity.bank import LEVELS, MODES, QuestionBank, load_bank
from maturity.scoring import MaturityResult, score
from maturity.summary import summary

__all__ = ["Answer", "AnswerSheet", "Respondent", "load", "new_sheet", "parse", "save", "to_json",
           "LEVELS", "MODES", "QuestionBank", "load_bank", "MaturityResult", "score", "summary"]
