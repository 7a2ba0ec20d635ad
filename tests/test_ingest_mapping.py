"""Column mapping: suggestions from Dutch and English names, table guesses, mapping files."""
from __future__ import annotations

import pytest

from core.canonical import TABLES
from core.errors import UserInputError
from quality_checks import Mapping, guess_table, load_mapping, save_mapping, suggest_mapping
from quality_checks.mapping import complete_mapping, normalise

DUTCH = {  # the names of the demo's Dutch export style, and what they mean
    "clients": {"Klantnummer": "client_id", "Burgerservicenummer": "bsn",
                "Geboortedatum": "birth_date", "Geslacht": "sex", "Postcode": "postcode",
                "Huisnummer": "house_number", "Huisnummertoevoeging": "house_number_suffix",
                "Opleidingsniveau": "education_level", "Herkomst": "origin",
                "Huishoudtype": "household_type", "AantalKinderen": "n_children",
                "GeboortedatumJongsteKind": "youngest_child_birth_date"},
    "benefits": {"Klantnummer": "client_id", "Uitkeringssoort": "benefit_type",
                 "Ingangsdatum": "start_date", "Einddatum": "end_date"},
    "referrals": {"Klantnummer": "client_id", "Werkconsulent": "caseworker_id",
                  "Afdeling": "department", "Intakedatum": "intake_date",
                  "Verwijsdatum": "referral_date", "Team": "team"},
    "interventions": {"Klantnummer": "client_id", "Instrumentcode": "intervention_code",
                      "Omschrijving": "intervention_label", "Begindatum": "start_date",
                      "Einddatum": "end_date", "Status": "status"},
    "outcomes": {"Klantnummer": "client_id", "DatumStartWerk": "work_start_date"},
    "codebook": {"Instrumentcode": "intervention_code", "Omschrijving": "label",
                 "GeldigVanaf": "valid_from", "GeldigTot": "valid_to", "Categorie": "category"},
}


@pytest.mark.parametrize("table", sorted(DUTCH))
def test_dutch_names_of_the_demo_export(table):
    assert suggest_mapping(list(DUTCH[table]), table) == DUTCH[table]


@pytest.mark.parametrize("table", sorted(TABLES))
def test_canonical_names_map_to_themselves(table):
    names = TABLES[table].names
    assert suggest_mapping(names, table) == {n: n for n in names}


@pytest.mark.parametrize("table, source, target", [
    ("clients", "Cliëntnummer", "client_id"), ("clients", "KLANT_NR", "client_id"),
    ("clients", "BSN", "bsn"), ("clients", "Leefvorm", "household_type"),
    ("clients", "Toevoeging", "house_number_suffix"), ("clients", "Date of birth", "birth_date"),
    ("benefits", "Startdatum", "start_date"), ("referrals", "Consulent", "caseworker_id"),
    ("referrals", "Klantmanager", "caseworker_id"), ("interventions", "Trajectcode", "intervention_code"),
    ("interventions", "Startdatum", "start_date"), ("interventions", "Ingangsdatum", "start_date"),
    ("clients", "Klantnumer", "client_id"),  # a typo still matches
])
def test_variants_case_accents_spaces_typos(table, source, target):
    assert suggest_mapping([source], table) == {source: target}


def test_each_canonical_column_is_suggested_once_and_unknown_names_are_left_out():
    columns = ["Klantnummer", "Klantnr", "Opmerking", "Begindatum"]
    assert suggest_mapping(columns, "interventions") == {"Klantnummer": "client_id",
                                                         "Begindatum": "start_date"}


def test_normalise():
    assert normalise(" Cliënt-nr._ ") == "clientnr"


@pytest.mark.parametrize("filename, columns, table", [
    ("klanten.csv", [], "clients"), ("Cliënten 2024.xlsx", [], "clients"),
    ("uitkeringen.csv", [], "benefits"), ("doorverwijzingen.csv", [], "referrals"),
    ("trajecten.csv", [], "interventions"), ("voorzieningen.parquet", [], "interventions"),
    ("uitstroom.csv", [], "outcomes"), ("codeboek.csv", [], "codebook"),
    ("interventions.csv", [], "interventions"),
    # the name says several things or nothing: the columns decide
    ("instrumentcodes.csv", ["Instrumentcode", "Omschrijving", "GeldigVanaf"], "codebook"),
    ("export_17.csv", ["Klantnummer", "Werkconsulent", "Afdeling"], "referrals"),
    ("export_18.csv", ["Klantnummer", "Instrumentcode", "Begindatum"], "interventions"),
    ("export_19.csv", ["Klantnummer", "Uitkeringssoort", "Ingangsdatum"], "benefits"),
    ("export_20.csv", ["Klantnummer", "Geboortedatum"], "clients"),
    ("export_21.csv", ["a", "b"], None),
])
def test_guess_table(filename, columns, table):
    assert guess_table(filename, columns) == table


def test_given_mapping_wins_and_suggestions_fill_the_rest():
    columns = ["Klantnummer", "Omschrijving", "Code", "Begindatum"]
    given = {"Code": "intervention_code", "Omschrijving": None}
    assert complete_mapping(columns, "interventions", given) == {
        "Klantnummer": "client_id", "Omschrijving": None, "Code": "intervention_code",
        "Begindatum": "start_date"}


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_save_load_round_trip(tmp_path, suffix):
    mapping = Mapping(tables={"clients": {"Cliëntnummer": "client_id", "Opmerking": None}},
                      files={"Cliënten.xlsx": "clients"}, sheets={"Cliënten.xlsx": "Blad1"})
    path = tmp_path / f"indeling{suffix}"
    save_mapping(mapping, path)
    assert load_mapping(path) == mapping
    assert load_mapping(path.read_bytes(), path.name) == mapping  # as uploaded in the app


@pytest.mark.parametrize("content, suffix, message", [
    ("tables: {clients: [unclosed", ".yaml", "is not valid YAML"),
    ('{"tables": ', ".json", "is not valid JSON"),
    ("tables: {clienten: {A: client_id}}", ".yaml", "unknown table 'clienten'"),
    ("tables: {clients: {A: klant}}", ".yaml", "'A' points to 'klant', which is not a column of clients"),
    ("files: {a.csv: klanten}", ".yaml", "'a.csv' is assigned to unknown table 'klanten'"),
    ("- just a list", ".yaml", "expected the keys files, sheets and tables"),
])
def test_damaged_mapping_file(tmp_path, content, suffix, message):
    path = tmp_path / f"m{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UserInputError) as caught:
        load_mapping(path)
    assert message in caught.value.message("en") and str(path) in caught.value.message("en")


def test_mapping_file_not_found(tmp_path):
    with pytest.raises(UserInputError) as caught:
        load_mapping(tmp_path / "nope.yaml")
    assert caught.value.message("nl") == f"Bestand '{tmp_path / 'nope.yaml'}' bestaat niet."
