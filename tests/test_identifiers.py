"""No direct identifiers are stored: detection, scrubbing, refusal, and the corpus end to end.

Every corpus file (tests/corpus_identifiers.py) goes through the same door as a real upload; afterwards every
text column of every table is searched for the raw identifiers.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import inspect, text

from gezinsmonitor import columns as cols
from gezinsmonitor import identifiers as ids
from gezinsmonitor import intake
from gezinsmonitor.importer import import_registration
from gezinsmonitor.report import Report
from gezinsmonitor.store import Store
from gezinsmonitor.validation import REQUEST_COLUMNS, validate
from loaders.samples import sample_files, sample_organisation
from loaders.upload import import_upload, read_upload
from tests import corpus_identifiers as ci

TODAY = dt.date(2026, 1, 15)


def dump(store: Store) -> str:
    """Every value of every table as one lower-case text."""
    parts = []
    with store.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                parts.extend(str(v) for v in row if v is not None)
    return "\n".join(parts).lower()


def messages(result) -> str:
    return (result.message + "\n" + "\n".join(f"{i.message} {i.fix}" for i in result.report.issues)).lower()


# -- the corpus, end to end ------------------------------------------------------------------------
@pytest.mark.parametrize("case", ci.IDENTIFIER_CASES, ids=lambda c: c.name)
def test_corpus_file(case, tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    upload = read_upload(case.make(tmp_path), case.name)
    result, _ = import_upload(store, upload, organisation=case.organisation, accept_suggestions=True, today=TODAY)
    assert case.expect.lower() in messages(result), result.report.to_text()
    assert (result.status == "imported") == case.stored, result.report.to_text()
    if not case.stored:
        assert store.is_empty()
        assert "er is niets opgeslagen" in messages(result)
    everything = dump(store)
    for value in ci.IDENTIFIER_VALUES[case.name]:
        assert value.lower() not in everything, f"{value!r} was stored"
    for value in ci.KEPT_VALUES.get(case.name, ()):
        assert value.lower() in everything, f"{value!r} was removed although it identifies no one"
    if not case.stored:  # the summary names the kind of personal data that made the key unusable
        refused = ids.removals_frame(result.report).query("wat == 'gezinscode geweigerd'")
        assert len(refused) and "persoonsgegeven" not in refused["soort"].tolist()
    if case.name == "eigen_geen_persoonsgegevens.xlsx":
        assert ids.removal_count(result.report) == 0 and "verwijderd]" not in everything


def test_corpus_has_enough_files():
    assert len(ci.IDENTIFIER_CASES) >= 8
    assert {c.name for c in ci.IDENTIFIER_CASES} == set(ci.IDENTIFIER_VALUES)
    assert any(c.stored for c in ci.IDENTIFIER_CASES) and any(not c.stored for c in ci.IDENTIFIER_CASES)


def test_scrubbed_text_is_stored_with_markers(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    case = next(c for c in ci.IDENTIFIER_CASES if c.name == "eigen_contact_in_tekst.xlsx")
    result, _ = import_upload(store, read_upload(case.make(tmp_path), case.name), organisation=ci.ORG,
                              accept_suggestions=True, today=TODAY)
    assert result.status == "imported"
    labels = store.load_dataset().requests["label_raw"].dropna().tolist()
    assert "moeder mailt via [e-mailadres verwijderd]" in labels
    assert "bel [telefoonnummer verwijderd] voor een afspraak" in labels
    assert "huisarts belt terug op [telefoonnummer verwijderd]" in labels
    # Row-level warnings name the sheet, row and header; the value shown is the scrubbed text, never the identifier.
    removed = [i for i in result.report.warnings if i.message.startswith(ids.REMOVED_VALUE)]
    assert {(i.sheet, i.row, i.column) for i in removed} == {("Gezinnen", 2, "Hulpvraag"), ("Gezinnen", 3, "Hulpvraag"),
                                                             ("Gezinnen", 4, "Hulpvraag")}
    assert all("@" not in (i.value or "") and "123" not in (i.value or "") for i in removed)
    summary = ids.removals_frame(result.report)
    assert summary.set_index("soort")["aantal"].to_dict() == {"e-mailadres": 1, "telefoonnummer": 2}


# -- the preview is clean before saving --------------------------------------------------------------
def test_registratieformat_preview_is_scrubbed(tmp_path):
    upload = read_upload(ci.rf_email_in_reason(tmp_path), "reden.xlsx")
    registration = validate(upload.loaded.raw, today=TODAY)
    reasons = registration.families["end_reason"].dropna().tolist()
    assert reasons == ["verhuisd; nieuw contact via [e-mailadres verwijderd]"]
    issue = next(i for i in registration.report.warnings if i.message.startswith(ids.REMOVED_VALUE))
    assert (issue.sheet, issue.row, issue.column) == ("Gezinnen", 2, "Reden einde")


def test_registratieformat_name_column_is_never_read(tmp_path):
    upload = read_upload(ci.rf_name_column(tmp_path), "naam.xlsx")
    assert "Naam" not in [c for f in upload.loaded.raw.sheets.values() for c in f.columns]
    registration = validate(upload.loaded.raw, today=TODAY)
    flagged = [i for i in registration.report.warnings if i.message.startswith(ids.REMOVED_COLUMN)]
    assert [(i.sheet, i.column) for i in flagged] == [("Gezinnen", "Naam")]
    assert registration.requests["label_raw"].tolist() == ["gesprek met [naam verwijderd] over schulden", "taalles"]


def test_own_layout_preview_marks_the_column_and_scrubs(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    upload = read_upload(ci.own_name_column(tmp_path), "naam.xlsx")
    plan = intake.plan(store, upload.grids, ci.ORG, upload.report)
    naam = next(c for c in plan.choices if c.header == "Naam")
    assert naam.target == cols.PERSONAL and naam.param == ids.NAAM and naam.certain
    assert naam.reason.startswith("persoonsgegeven: wordt niet opgeslagen")
    assert "Yilmaz" not in naam.examples  # the mapping table shows the marker, not the names
    frame = cols.to_frame(plan.choices)
    assert frame.loc[frame["kop"] == "Naam", "betekenis"].item() == "Persoonsgegeven (niet opslaan)"
    assert next(c for c in plan.choices if c.header == "Dossiernummer").target == "gezin"
    assert not plan.uncertain_columns or all(c.target != cols.PERSONAL for c in plan.uncertain_columns)


def test_a_person_cannot_map_an_identifier_column(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    upload = read_upload(ci.own_name_column(tmp_path), "naam.xlsx")
    plan = intake.plan(store, upload.grids, ci.ORG, upload.report)
    edited = cols.to_frame(plan.choices)
    edited.loc[edited["kop"] == "Naam", "betekenis"] = "Hulpvraag (tekst)"
    edited.loc[edited["kop"] == "Dossiernummer", "betekenis"] = "Niet inlezen"
    choices = cols.from_frame(edited, plan.choices)
    assert next(c for c in choices if c.header == "Naam").target == cols.PERSONAL
    # Even choices that bypass from_frame (a stale profile, a script) are corrected by the conversion.
    forced = [cols.Choice(c.sheet, c.index, c.header, "gezin" if c.header == "Naam" else
                          ("negeren" if c.header == "Dossiernummer" else c.target), c.param, c.moment, 1.0, "x")
              for c in plan.choices]
    converted = intake.harmonise(store, plan.with_choices(forced), ci.ORG, TODAY)
    assert not converted.registration.report.ok
    assert any(i.message.startswith(ids.KEY_REFUSED) for i in converted.registration.report.errors)
    result, _ = intake.import_plan(store, plan.with_choices(forced), file_name="naam.xlsx", sha256="x" * 64,
                                   organisation=ci.ORG, confirmed=True, converted=converted)
    assert result.status == "refused" and store.is_empty()


def test_profile_keeps_no_identifier_values_and_a_tampered_profile_is_overruled(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    path = tmp_path / "naam.xlsx"
    path.write_bytes(ci.own_name_column(tmp_path))
    result, _ = import_upload(store, read_upload(path), organisation=ci.ORG, accept_suggestions=True, today=TODAY)
    assert result.status == "imported"
    with store.engine.connect() as conn:
        content = conn.execute(text("SELECT content FROM mapping_profiles")).scalar_one()
    assert "yilmaz" not in content.lower() and '"persoonsgegeven"' in content
    # A profile that maps the Naam column to a stored field (saved before this check existed) is not obeyed.
    tampered = content.replace('"target": "persoonsgegeven"', '"target": "wijk"')
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE mapping_profiles SET content = :c"), {"c": tampered})
    upload = read_upload(path)
    plan = intake.plan(store, upload.grids, ci.ORG, upload.report)
    assert plan.profile is not None
    assert next(c for c in plan.choices if c.header == "Naam").target == cols.PERSONAL


# -- defence in depth in the importer ----------------------------------------------------------------
def test_import_registration_scrubs_whatever_built_the_registration(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    upload = read_upload(ci.rf_email_in_reason(tmp_path), "reden.xlsx")
    registration = validate(upload.loaded.raw, today=TODAY)
    # A path that forgot to scrub: text put in after validation.
    registration.families.loc[registration.families.index[1], "wijk"] = "Kerkstraat 5, tel. 0612345678"
    registration.requests = pd.DataFrame({
        "family_key": ["R-1"], "label_raw": pd.Series(["mail a.b@c.nl"], dtype="str"), "leefgebied_raw": ["Financiën"],
        "categorie_raw": [None], "leefgebied": ["Financiën"], "categorie": [None], "herkomst": ["registratieformat"],
        "request_date": [None], "confidence": [1.0], "row_number": [2]}, columns=REQUEST_COLUMNS)
    result = import_registration(store, registration, file_name="reden.xlsx", sha256="a" * 64)
    assert result.status == "imported"
    everything = dump(store)
    assert "kerkstraat" not in everything and "0612345678" not in everything
    assert "[adres verwijderd], tel. [telefoonnummer verwijderd]" in everything
    assert "a.b@c.nl" not in everything and "mail [e-mailadres verwijderd]" in everything
    summary = [i for i in result.report.warnings if i.row is None and i.message.startswith(ids.REMOVED_VALUE)]
    assert {(i.sheet, i.column) for i in summary} == {("Gezinnen", "wijk"), ("Hulpvragen", "label_raw")}


def test_import_registration_refuses_identifier_keys(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    upload = read_upload(ci.rf_email_in_reason(tmp_path), "reden.xlsx")
    registration = validate(upload.loaded.raw, today=TODAY)
    registration.families["family_key"] = ["Fatima Yilmaz", "Jan de Boer"]
    result = import_registration(store, registration, file_name="reden.xlsx", sha256="b" * 64)
    assert result.status == "refused" and store.is_empty()


# -- single values and columns -------------------------------------------------------------------------
def test_bsn_eleven_check():
    assert ids.is_bsn("111222333") and ids.is_bsn("123456782")
    assert ids.is_bsn("10000008")  # 010000008 with the leading zero dropped
    assert not ids.is_bsn("123456789") and not ids.is_bsn("000000000") and not ids.is_bsn("1234567")
    assert not ids.is_bsn("12345678a")


@pytest.mark.parametrize("raw, clean, kinds", [
    ("mail naar fatima.yilmaz@gmail.com graag", "mail naar [e-mailadres verwijderd] graag", ["e-mailadres"]),
    ("bel 06-12345678 of 010-1234567", "bel [telefoonnummer verwijderd] of [telefoonnummer verwijderd]",
     ["telefoonnummer", "telefoonnummer"]),
    ("+31 6 12345678", "[telefoonnummer verwijderd]", ["telefoonnummer"]),
    ("(010) 123 45 67", "[telefoonnummer verwijderd]", ["telefoonnummer"]),
    ("zoon geb. 12-03-2015", "zoon [geboortedatum verwijderd]", ["geboortedatum"]),
    ("kind geboren op 3 maart 2016", "kind [geboortedatum verwijderd]", ["geboortedatum"]),
    ("BSN 123456782", "BSN [BSN verwijderd]", ["BSN"]),
    ("bsn: 10000008", "bsn: [BSN verwijderd]", ["BSN"]),
    ("1112.22.333 bekend", "[BSN verwijderd] bekend", ["BSN"]),
    ("woont Kerkstraat 12b, 3011 AB Rotterdam", "woont [adres verwijderd] Rotterdam", ["adres"]),
    ("3011 AB 12", "[adres verwijderd]", ["adres"]),
    ("gesprek met dhr. De Vries", "gesprek met [naam verwijderd]", ["naam"]),
    ("mevrouw Jansen belt", "[naam verwijderd] belt", ["naam"]),
    ("J.P. de Vries komt", "[naam verwijderd] komt", ["naam"]),
    ("Fatima heeft schulden", "[naam verwijderd] heeft schulden", ["naam"]),
    ("naam: Piet Klaassen, moeder", "[naam verwijderd], moeder", ["naam"]),
    ("IBAN NL91ABNA0417164300", "IBAN [rekeningnummer verwijderd]", ["rekeningnummer"]),
])
def test_scrub_text_removes(raw, clean, kinds):
    assert ids.scrub_text(raw) == (clean, kinds)


@pytest.mark.parametrize("raw", [
    "bedrag € 12.345", "€ 123.456.782", "G-1023", "123456789", "bsn: 12345678", "start 12-03-2015",
    "01-02-2024 10:00 huisbezoek", "in 2024 en 2025", "speelplein 3 keer per week", "0,75 uur (met tolk)",
    "1 uur en 45 minuten", "N.B. Graag bellen", "Oude Noorden", "Hoek van Holland", "Financiën / Schulden",
    "veel openstaande rekeningen; somber", "mevrouw heeft schulden", "BN-001", "45373.0", "2 uur (via buurthuis)",
    "naar verwachting maart 2027", "06-2024", "1500 mg", "NL12ABCD0123456789",
])
def test_scrub_text_keeps(raw):
    assert ids.scrub_text(raw) == (raw, [])


def test_detect_column():
    s = pd.Series
    assert ids.detect_column("Naam", s(["Fatima Yilmaz", "Jan de Boer"])).kind == ids.NAAM
    assert ids.detect_column("Voornaam kind", s([])).kind == ids.NAAM
    assert ids.detect_column("Contactpersoon", None).kind == ids.NAAM
    assert ids.detect_column("Naam", s(["G-001", "G-002", "G-003"])) is None  # a key called "Naam"
    assert ids.detect_column("Naam organisatie", s(["Buurtwerk"])) is None
    assert ids.detect_column("Ouder", s(["Fatima Yilmaz", "Jan de Boer", "Yilmaz, F."])).kind == ids.NAAM
    assert ids.detect_column("Wijk", s(["Oude Noorden", "Zevenkamp", "Hoek van Holland"])) is None
    assert ids.detect_column("Postcode", s(["3011", "3012"])) is None  # an area, like a wijk
    assert ids.detect_column("Postcode", s(["3011 AB", "3012CD"])).kind == ids.ADRES
    assert ids.detect_column("Adres", s(["Kerkstraat 1"])).kind == ids.ADRES
    assert ids.detect_column("Geb. datum", s([dt.date(2015, 3, 12)])).kind == ids.GEBOORTEDATUM
    assert ids.detect_column("Startdatum", s([dt.date(2015, 3, 12)] * 3)) is None
    assert ids.detect_column("E-mailadres ouder", s(["a@b.nl"])).kind == ids.EMAIL
    assert ids.detect_column("Tel.nr.", s(["06-12345678"])).kind == ids.TELEFOON
    assert ids.detect_column("Telefonisch contact", s(["ja", "nee"])) is None
    assert ids.detect_column("Aantal e-mails", s([3, 4])) is None
    assert ids.detect_column("Nummer", s([111222333, 123456782, 10000008])).kind == ids.BSN
    # Client numbers of nine digits: about one in eleven passes the 11-proef by chance, the column is no BSN.
    numbers = s([str(100000000 + (7919 * i * i) % 899999999) for i in range(60)])
    assert 0 < numbers.map(ids.is_bsn).sum() < 20 and ids.detect_column("Clientnummer", numbers) is None
    assert ids.detect_column("Gezin", s(["06-12345678", "06-87654321"])).kind == ids.TELEFOON
    assert ids.detect_column("Dossiernummer", s(["G-1023", "G-1024"])) is None
    assert ids.detect_column("Soort contact", s(["huisbezoek", "telefonisch gesprek"])) is None


def test_legend_naam_is_a_description_not_a_person():
    from gezinsmonitor.layout import SheetGrid, read_table
    grid = SheetGrid("Codes", [["Code", "Naam"], ["FIN", "Schulden"], ["SOC", "Eenzaamheid"]])
    table = read_table(grid)
    choices = cols.suggest([table])
    assert [c.target for c in choices] == ["legenda_code", "legenda_omschrijving"]
    grid = SheetGrid("Codes", [["Code", "Naam"], ["FIN", "Fatima Yilmaz"], ["SOC", "Jan de Boer"]])
    assert cols.suggest([read_table(grid)])[1].target == cols.PERSONAL


# -- the bundled samples lose nothing --------------------------------------------------------------------
def test_samples_have_no_false_removals(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    total = 0
    files = sample_files()
    assert len(files) == 6
    for path in files:
        result, converted = import_upload(store, read_upload(path), organisation=sample_organisation(path),
                                          accept_suggestions=True, is_sample=True)
        assert result.status == "imported", result.report.to_text()
        total += ids.removal_count(result.report)
    assert total == 0
    assert "verwijderd]" not in dump(store)


# -- the upload preview shows the summary as a table ------------------------------------------------------
def test_upload_preview_shows_removed_block():
    from streamlit.testing.v1 import AppTest

    def app():
        from components.upload import show_report
        from gezinsmonitor import identifiers as ids
        from gezinsmonitor.report import Report
        report = Report()
        ids.report_removals(report, [ids.Removal(ids.EMAIL, "Gezinnen", 2, "Hulpvraag", "x [e-mailadres verwijderd]"),
                                     ids.Removal(ids.EMAIL, "Gezinnen", 5, "Hulpvraag", None)])
        ids.report_column(report, "Gezinnen", 1, "Naam", ids.Finding(ids.NAAM, "kop"), 3)
        show_report(report)

    at = AppTest.from_function(app).run()
    assert not at.exception
    assert any(m.value == "**Persoonsgegevens verwijderd**" for m in at.markdown)
    tables = [d.value for d in at.dataframe if "soort" in d.value.columns]
    assert len(tables) == 1
    got = tables[0].set_index(["soort", "wat"])["aantal"].to_dict()
    assert got == {("e-mailadres", "uit tekst verwijderd"): 2, ("naam", "kolom niet ingelezen"): 1}
    assert tables[0].loc[tables[0]["soort"] == "e-mailadres", "eerste rijen"].item() == "2, 5"


def test_file_name_and_headers_with_names_are_not_stored(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    upload = read_upload(ci.own_contact_in_text(tmp_path), "Fatima Yilmaz.xlsx")
    result, _ = import_upload(store, upload, organisation=ci.ORG, accept_suggestions=True, today=TODAY)
    assert result.status == "imported"
    everything = dump(store)
    assert "yilmaz" not in everything and "[naam verwijderd].xlsx" in everything
    choice = cols.Choice("Fam. Jan de Boer 2024", 3, "Fatima Yilmaz / Wonen", "aangevinkt", "Wonen")
    content = cols.profile_content([choice]).lower()
    assert "yilmaz" not in content and "de boer" not in content


def test_report_never_holds_the_identifier():
    report = Report()
    clean, kinds = ids.scrub_text("bel 06-12345678")
    ids.report_removals(report, [ids.Removal(k, "Blad", 3, "Kolom", clean) for k in kinds])
    assert "12345678" not in report.to_text()


@pytest.mark.parametrize("text, kind", [
    ("bel 06 - 12 34 56 78 graag", "telefoonnummer"),  # spaces around the dash
    ("postcode 3011 ab, verder", "adres"),  # lower case with a space, after the word postcode
])
def test_spellings_found_in_review(text, kind):
    clean, kinds = ids.scrub_text(text)
    assert kinds == [kind] and not any(ch.isdigit() for ch in clean)


def test_a_year_before_a_short_word_is_not_a_postcode():
    assert ids.scrub_text("in 2024 en 2025 geholpen") == ("in 2024 en 2025 geholpen", [])
