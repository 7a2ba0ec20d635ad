"""Real-browser tests of issue 13, problems 1-3: the app keeps what people enter.

Chromium drives the running app: what the user ticked, typed and chose survives a visit to
another page and a language switch; labels follow the language, the chosen values do not.
"""
from __future__ import annotations

import re

import pytest

from tests.browser import browser_page, require_browser, streamlit_server

pytestmark = pytest.mark.browser
LONG = 120_000


def settle(page, pause: int = 400) -> None:
    """Wait until the app has finished the run a click started."""
    page.wait_for_timeout(pause)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=LONG)
    page.wait_for_timeout(200)
    assert "Traceback" not in page.inner_text("body")


def go_to(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    settle(page, 800)


def choose_language(page, name: str) -> None:
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input').click()
    page.get_by_role("option", name=name, exact=True).click()
    settle(page, 800)


def checkbox(page, title: str):
    return page.locator('[data-testid="stCheckbox"]').filter(has_text=title).first


def row_with(page, title: str):
    """The checklist row (columns) holding the checkbox `title`."""
    return page.locator('[data-testid="stHorizontalBlock"]').filter(
        has=page.locator('[data-testid="stCheckbox"]').filter(has_text=title)).last


def multiselect(page, label: str):
    return page.locator('[data-testid="stMultiSelect"]').filter(
        has=page.locator("label", has_text=re.compile(f"^{re.escape(label)}$"))).first


def chips(page, label: str) -> list[str]:
    box = multiselect(page, label)
    box.wait_for(timeout=LONG)
    return [tag.get_attribute("aria-label") for tag in box.locator("[data-tag]").all()]


def add_option(page, label: str, option: str) -> None:
    box = multiselect(page, label).locator("input[role=combobox]")
    box.click()
    box.press_sequentially(option)
    page.get_by_role("option").filter(has_text=option).first.click()
    page.keyboard.press("Escape")
    settle(page)


def remove_chip(page, label: str, chip: str) -> None:
    multiselect(page, label).locator(f'button[aria-label="Remove {chip}"]').click()
    settle(page)


def select_box(page, label: str):
    return page.locator('[data-testid="stSelectbox"]').filter(
        has=page.locator("label", has_text=re.compile(f"^{re.escape(label)}$"))).first


def chosen_in(page, label: str) -> str:
    return select_box(page, label).locator("input[role=combobox]").input_value().strip()


def open_list(page, label: str) -> None:
    box = select_box(page, label)
    box.evaluate("e => e.scrollIntoView({block: 'center'})")
    box.locator('button[aria-label="Open"]').click()
    try:
        page.get_by_role("option").first.wait_for(timeout=3_000)
    except Exception:
        print(page.get_by_role("option").count(), page.locator("[role=listbox]").count())
        box.locator("input[role=combobox]").press("ArrowDown")
        page.get_by_role("option").first.wait_for(timeout=10_000)


def pick_in(page, label: str, option: str) -> None:
    open_list(page, label)
    page.get_by_role("option").filter(has_text=re.compile(f"^{re.escape(option)}$")).first.click()
    settle(page)


def type_into(page, box, text: str) -> None:
    box.fill(text)
    box.press("Enter")
    settle(page)


# ---------------------------------------------------------------- problem 1: linkage checklist

TICKED = ["Erkende onderzoeksinstelling als partner", "Grondslag voor verstrekking aan het CBS",
          "DPIA afgerond (AVG art. 35)"]


def verdict(page) -> str:
    page.get_by_text("Koppeling met CBS-microdata", exact=False).first.wait_for(timeout=LONG)
    return page.locator('[data-testid="stAlert"]').first.inner_text().strip()


def test_linkage_checklist_survives_a_visit_to_another_page():
    require_browser()
    with streamlit_server() as url, browser_page() as page:
        page.goto(f"{url}/linkage", wait_until="networkidle")
        checkbox(page, TICKED[0]).wait_for(timeout=LONG)
        assert verdict(page) == "Nog niet klaar"
        for title in TICKED:
            checkbox(page, title).locator("label").first.click()
            settle(page)
        type_into(page, row_with(page, TICKED[2]).locator("input[type=text]"), "DPIA getekend 2025")
        before = verdict(page)
        assert before != "Nog niet klaar"

        go_to(page, "1. Datavolwassenheid")
        page.get_by_text("Wie vult nu in?").first.wait_for(timeout=LONG)
        go_to(page, "3. Koppeling met CBS")
        checkbox(page, TICKED[0]).wait_for(timeout=LONG)

        ticked = [title for title in TICKED if checkbox(page, title).locator("input").is_checked()]
        assert ticked == TICKED
        assert row_with(page, TICKED[2]).locator("input[type=text]").input_value() == "DPIA getekend 2025"
        assert verdict(page) == before


# ---------------------------------------------------------------- problem 2: language switch

def test_language_switch_keeps_every_multiselect():
    require_browser()
    with streamlit_server() as url, browser_page() as page:
        # quality: the source radio, then the severity filter
        page.goto(f"{url}/quality", wait_until="networkidle")
        page.get_by_text("Eigen extract uploaden").click()
        settle(page)
        choose_language(page, "English")
        assert checked_option(page, "Upload your own extract") == "Upload your own extract"
        page.get_by_text("Demo municipality (synthetic)").click()
        settle(page)
        choose_language(page, "Nederlands")
        assert checked_option(page, "Eigen extract uploaden") == "Demogemeente (synthetisch)"
        page.get_by_role("button", name="Kwaliteitsprofiel maken").click()
        page.get_by_text("Overzicht", exact=True).wait_for(timeout=LONG)
        settle(page)
        assert chips(page, "Toon ernst") == ["Fouten", "Waarschuwingen"]
        choose_language(page, "English")
        page.get_by_text("Scorecard", exact=True).wait_for(timeout=LONG)
        assert chips(page, "Show severity") == ["Errors", "Warnings"]
        add_option(page, "Show severity", "For information")
        assert chips(page, "Show severity") == ["Errors", "Warnings", "For information"]
        assert "No findings of this severity" not in page.inner_text("body")

        # linkage: outcomes and background characteristics, then back to Dutch
        go_to(page, "3. CBS linkage")
        covariates = chips(page, "Background characteristics")
        assert chips(page, "Outcomes") == ["Starting paid work"] and len(covariates) == 7
        choose_language(page, "Nederlands")
        assert chips(page, "Uitkomsten") == ["Start van betaald werk"]
        add_option(page, "Uitkomsten", "Inkomen")
        assert chips(page, "Uitkomsten") == ["Start van betaald werk", "Inkomen"]
        assert len(chips(page, "Achtergrondkenmerken")) == 7
        assert "Opleidingsniveau" in chips(page, "Achtergrondkenmerken")
        assert "Microdataplan" in page.inner_text("body")
        assert page.get_by_text("Bestand", exact=True).count() >= 1     # the plan's table is drawn

        # workplan: the sections of the PDF
        go_to(page, "5. Werkplan (PDF)")
        sections = chips(page, "Onderdelen")
        assert len(sections) == 11 and sections[0] == "Samenvatting"
        choose_language(page, "English")
        assert chips(page, "Sections")[0] == "Summary" and len(chips(page, "Sections")) == 11
        remove_chip(page, "Sections", "Glossary")
        sections = chips(page, "Sections")
        assert len(sections) == 10 and sections[0] == "Summary" and "Glossary" not in sections
        assert page.get_by_role("button", name="Make the PDF").is_enabled()

        # and the choices made above are still there
        go_to(page, "3. CBS linkage")
        assert chips(page, "Outcomes") == ["Starting paid work", "Income"]
        go_to(page, "2. Data quality")
        assert chips(page, "Show severity") == ["Errors", "Warnings", "For information"]


# ---------------------------------------------------------------- problem 3: questionnaire

QUESTION_NL = "Is er een kennisvraag over het effect van uw re-in"
QUESTION_EN = "Is there an evaluation question about th"


def radio_group(page, text: str):
    return page.locator('[data-testid="stRadio"]').filter(has_text=text).first


def answer(page, text: str, level: int) -> None:
    group = radio_group(page, text)
    group.scroll_into_view_if_needed()
    group.locator('[data-testid="stRadioOption"]').filter(has_text=re.compile(f"^{level}\\. ")).first.click()
    settle(page)


def checked_option(page, text: str) -> str | None:
    """The checked option of the radio group holding `text`."""
    boxes = radio_group(page, text).locator('[data-testid="stRadioOption"]').filter(
        has=page.locator("input:checked"))
    return boxes.first.inner_text().strip() if boxes.count() else None


def checked(page, text: str) -> str | None:
    option = checked_option(page, text)
    return option[:2] if option else None


def respondent_name_box(page, label: str = "Naam of functie"):
    """The name box, once there is one: while a rerun replaces it on a busy machine, the old one
    can stand beside the new for a moment."""
    from playwright.sync_api import expect
    box = page.get_by_label(label, exact=True)
    expect(box).to_have_count(1, timeout=LONG)
    return box


def saved_answers(path) -> None:
    from maturity import Answer, Respondent, load_bank, new_sheet, to_json
    bank = load_bank()
    sheet = new_sheet("Drieburg", bank=bank)
    first = bank.questions("quick")[0].id
    sheet.respondents = [Respondent("Anna", "policy", {first: Answer(1)}),
                         Respondent("Bram", "practice", {first: Answer(2)}),
                         Respondent("Cato", "bi", {first: Answer(4, "zie notitie")})]
    path.write_text(to_json(sheet), encoding="utf-8")


def test_questionnaire_keeps_each_respondent_and_their_answers(tmp_path):
    require_browser()
    saved = tmp_path / "drie.json"
    saved_answers(saved)
    with streamlit_server() as url, browser_page() as page:
        page.goto(url, wait_until="networkidle")
        page.get_by_text("Wie vult nu in?").first.wait_for(timeout=LONG)
        type_into(page, respondent_name_box(page), "Anna")
        assert chosen_in(page, "Wie vult nu in?").startswith("1. Anna")
        answer(page, QUESTION_NL, 3)

        page.get_by_role("button", name="Respondent toevoegen").click()
        settle(page)
        assert chosen_in(page, "Wie vult nu in?").startswith("2. naamloos")
        type_into(page, respondent_name_box(page), "Bram")
        assert chosen_in(page, "Wie vult nu in?").startswith("2. Bram")   # not back to respondent 1
        assert checked(page, QUESTION_NL) is None
        answer(page, QUESTION_NL, 2)
        assert checked(page, QUESTION_NL) == "2."

        choose_language(page, "English")
        assert chosen_in(page, "Who is answering now?").startswith("2. Bram")
        assert checked(page, QUESTION_EN) == "2."
        assert "1 of 10 questions" in page.inner_text("body")
        pick_in(page, "Who is answering now?", chosen_options(page, "Who is answering now?")[0])
        assert chosen_in(page, "Who is answering now?").startswith("1. Anna")
        assert checked(page, QUESTION_EN) == "3."
        assert respondent_name_box(page, "Name or position").input_value() == "Anna"

        choose_language(page, "Nederlands")
        page.get_by_text("Antwoorden herstellen").click()
        page.locator("input[type=file]").first.set_input_files(str(saved))
        page.get_by_text("drie.json", exact=False).first.wait_for(timeout=LONG)
        settle(page, 1000)
        options = chosen_options(page, "Wie vult nu in?")
        assert [o.split(" (")[0] for o in options] == ["1. Anna", "2. Bram", "3. Cato"]
        assert chosen_in(page, "Wie vult nu in?").startswith("1. Anna")
        assert checked(page, QUESTION_NL) == "1."
        for option, level, name in zip(options[1:], ("2.", "4."), ("Bram", "Cato")):
            pick_in(page, "Wie vult nu in?", option)
            assert chosen_in(page, "Wie vult nu in?") == option
            assert respondent_name_box(page).input_value() == name
            assert checked(page, QUESTION_NL) == level
        assert "1 van 10 vragen" in page.inner_text("body")


def chosen_options(page, label: str) -> list[str]:
    open_list(page, label)
    options = [o.strip() for o in page.get_by_role("option").all_inner_texts()]
    page.keyboard.press("Escape")
    page.wait_for_timeout(200)
    return options


# ------------------------------------- quality, population and dialogue: round trip + language

def number_box(page, label: str):
    return page.locator('[data-testid="stNumberInput"]').filter(
        has=page.locator("label", has_text=re.compile(f"^{re.escape(label)}$"))).first.locator("input")


def text_box(page, label: str):
    return page.locator('[data-testid="stTextInput"]').filter(
        has=page.locator("label", has_text=re.compile(f"^{re.escape(label)}"))).first.locator("input")


def test_quality_population_and_dialogue_keep_their_settings():
    """Each page's own settings survive a visit to another page and a language switch."""
    require_browser()
    with streamlit_server() as url, browser_page() as page:
        page.goto(f"{url}/quality", wait_until="networkidle")
        type_into(page, text_box(page, "Bekende beleidsdatums"), "2015-01-01, 2017-01-01")
        go_to(page, "Datadialoog met cliënten")
        type_into(page, number_box(page, "Aantal personen"), "12")
        radio_group(page, "2. Pseudonimiseren").get_by_text("3. Husselen").click()
        settle(page)
        go_to(page, "2b. Populatie: wat werkt voor wie")
        pick_in(page, "Kenmerk", "Leeftijd")

        go_to(page, "2. Datakwaliteit")
        assert text_box(page, "Bekende beleidsdatums").input_value() == "2015-01-01, 2017-01-01"
        go_to(page, "Datadialoog met cliënten")
        assert number_box(page, "Aantal personen").input_value() == "12"
        assert checked_option(page, "2. Pseudonimiseren") == "3. Husselen"
        go_to(page, "2b. Populatie: wat werkt voor wie")
        assert chosen_in(page, "Kenmerk") == "Leeftijd"

        choose_language(page, "English")
        assert chosen_in(page, "Characteristic") == "Age"
        go_to(page, "Data dialogue with clients")
        assert number_box(page, "Number of persons").input_value() == "12"
        assert checked_option(page, "2. Pseudonymise") == "3. Shuffle"
        go_to(page, "2. Data quality")
        assert text_box(page, "Known policy dates").input_value() == "2015-01-01, 2017-01-01"


def test_after_an_upload_the_sidebar_names_the_files_and_their_extract_date(tmp_path):
    """Issue 13, problem 9: the sidebar stops saying "demo" as soon as the upload is confirmed,
    with the upload's own extract date (registration cut at mid-2017, not the demo's end of 2018)."""
    require_browser()
    import pandas as pd

    from core.extract_date import EVENT_COLUMNS, infer_extract_date
    from demo import generate, write_extract
    demo = generate(n_clients=1500, seed=7)
    cut = dict(demo.tables)
    for table, column in EVENT_COLUMNS:
        frame = cut[table]
        cut[table] = frame[~(frame[column] > pd.Timestamp("2017-06-30"))]
    expected = infer_extract_date(cut).date
    assert expected < demo.manifest["extract_date"]
    write_extract(cut, tmp_path, "dutch")
    files = sorted(tmp_path.glob("*.csv"))
    with streamlit_server() as url, browser_page() as page:
        page.goto(f"{url}/quality", wait_until="networkidle")
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("synthetische demogemeente", exact=False).wait_for(timeout=LONG)
        page.get_by_text("Eigen extract uploaden").click()
        settle(page)
        page.locator("input[type=file]").first.set_input_files([str(f) for f in files])
        settle(page, 1500)
        page.get_by_role("button", name="Indeling bevestigen en inlezen").click()
        page.get_by_text("Ingelezen:", exact=False).wait_for(timeout=LONG)
        sidebar.get_by_text("eigen extract", exact=False).wait_for(timeout=30_000)
        text = sidebar.inner_text()
        day = pd.Timestamp(expected).strftime("%d-%m-%Y")
        assert "demogemeente" not in text and files[0].name in text and f"Extractdatum: {day}" in text
        shown = page.locator('[data-testid="stDateInput"] input').first.input_value()
        assert shown.replace(" ", "") in (day, expected)          # the settings start from the upload's date
