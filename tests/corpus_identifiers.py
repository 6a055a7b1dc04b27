"""Identifier-laden upload files: names, addresses, phone numbers, e-mail addresses, birth dates and BSN.

Every workbook is made with openpyxl at test time. `IDENTIFIER_VALUES` lists, per case, the raw identifier
strings that must never be found in the database afterwards (tests/test_identifiers.py dumps every text column
of every table and searches for them).
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook

from gezinsmonitor.template import write_workbook
from tests.corpus_case import Case

D = dt.datetime
ORG = "Corpus Persoonsgegevens"
# Valid BSNs (11-proef) used below; 10000008 is a BSN whose leading zero a spreadsheet dropped.
BSNS = (111222333, 123456782, 10000008, 100000009)


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _registratieformat(families: dict, requests: dict | None = None, extra: dict[str, list] | None = None) -> bytes:
    """A registratieformat workbook; `extra` adds columns (header → values) to sheet Gezinnen."""
    frames = {"families": pd.DataFrame(families)}
    if requests:
        frames["requests"] = pd.DataFrame(requests)
    buffer = io.BytesIO()
    write_workbook(buffer, frames, organisation=ORG, peildatum=dt.date(2025, 12, 31))
    if not extra:
        return buffer.getvalue()
    wb = load_workbook(io.BytesIO(buffer.getvalue()))
    ws = wb["Gezinnen"]
    for header, values in extra.items():
        col = ws.max_column + 1
        ws.cell(row=1, column=col, value=header)
        for i, v in enumerate(values, start=2):
            ws.cell(row=i, column=col, value=v)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def own_name_column(_: Path) -> bytes:
    return _xlsx({"Gezinnen": [
        ["Dossiernummer", "Naam", "Startdatum", "Einddatum", "Hulpvraag"],
        ["D-101", "Fatima Yilmaz", D(2024, 2, 1), None, "schulden, lege koelkast"],
        ["D-102", "Jan de Boer", D(2024, 3, 4), D(2025, 1, 10), "taalles"],
        ["D-103", "Sanne Bakker", D(2024, 5, 6), None, "hulp bij opvoeding"],
    ]})


def own_contact_in_text(_: Path) -> bytes:
    return _xlsx({"Gezinnen": [
        ["Dossiernummer", "Startdatum", "Hulpvraag"],
        ["D-201", D(2024, 2, 1), "schulden; moeder mailt via f.yilmaz@hotmail.com"],
        ["D-202", D(2024, 3, 4), "taalles, bel 06-12345678 voor een afspraak"],
        ["D-203", D(2024, 5, 6), "lege koelkast, huisarts belt terug op +31 10 123 45 67"],
    ]})


def own_bsn_column(_: Path) -> bytes:
    return _xlsx({"Cliënten": [
        ["Clientnr", "BSN", "Aanmelddatum", "Hulpvraag"],
        ["C-1", BSNS[0], D(2024, 1, 8), "schulden"],
        ["C-2", BSNS[1], D(2024, 2, 9), "eenzaam"],
        ["C-3", BSNS[2], D(2024, 3, 10), "werk zoeken"],
    ]})


def own_bsn_as_key(_: Path) -> bytes:
    return _xlsx({"Gezinnen": [
        ["Nummer", "Startdatum", "Hulpvraag"],
        *[[b, D(2024, 1 + i, 5), "schulden"] for i, b in enumerate(BSNS)],
    ]})


def own_names_as_key(_: Path) -> bytes:
    return _xlsx({"Gezinnen": [
        ["Cliënt", "Startdatum", "Einddatum", "Hulpvraag"],
        ["Fatima Yilmaz", D(2024, 2, 1), None, "schulden"],
        ["Mohammed El Amrani", D(2024, 3, 4), None, "taalles"],
        ["Sanne Bakker", D(2024, 5, 6), D(2025, 2, 1), "opvoeding"],
        ["Jan de Boer", D(2024, 6, 7), None, "werk"],
    ]})


def own_phone_as_key(_: Path) -> bytes:
    return _xlsx({"Gezinnen": [
        ["Telefoon", "Startdatum", "Hulpvraag"],
        ["06-12345678", D(2024, 2, 1), "schulden"],
        ["06-87654321", D(2024, 3, 4), "taalles"],
        ["010-7654321", D(2024, 5, 6), "opvoeding"],
    ]})


def own_birth_dates(_: Path) -> bytes:
    return _xlsx({"Gezinnen": [
        ["Dossiernummer", "Geboortedatum kind", "Startdatum", "Hulpvraag"],
        ["D-301", D(2013, 7, 19), D(2024, 2, 1), "schulden; zoon geb. 04-09-2012"],
        ["D-302", D(2016, 11, 3), D(2024, 3, 4), "taalles"],
        ["D-303", "27-01-2011", D(2024, 5, 6), "opvoeding"],
    ]})


def own_address_in_remarks(_: Path) -> bytes:
    return _xlsx({"Gezinnen": [
        ["Dossiernummer", "Startdatum", "Toelichting"],
        ["D-401", D(2024, 2, 1), "woont Kerkstraat 12b, 3011 AB; hulp bij schulden"],
        ["D-402", D(2024, 3, 4), "verhuisd naar Beukelsdijk 140, 3022 DK Rotterdam; taalles"],
        ["D-403", D(2024, 5, 6), "postcode 3072 AP 7, opvoeding"],
    ]})


def own_false_positives(_: Path) -> bytes:
    """Nothing here identifies a person: amounts, codes, trajectory dates, 9-digit numbers failing the 11-proef."""
    return _xlsx({"Gezinnen": [
        ["Dossiernummer", "Startdatum", "Einddatum", "Wijk", "Hulpvraag"],
        ["G-1023", D(2015, 3, 12), D(2016, 4, 1), "Hoek van Holland", "schuld van € 12.345 bij 3 schuldeisers"],
        ["G-1024", "12-03-2015", None, "Oude Noorden", "dossier 123456789 bij de gemeente, 2 keer per week"],
        ["G-1025", D(2024, 1, 9), None, "Zevenkamp", "speelplein 3 keer per week; 01-02-2024 10:00 huisbezoek"],
    ]})


def rf_email_in_reason(_: Path) -> bytes:
    return _registratieformat({
        "family": ["R-1", "R-2"], "start": [dt.date(2024, 1, 5), dt.date(2024, 2, 6)],
        "end": [dt.date(2025, 1, 5), None], "status": ["afgerond", "lopend"],
        "end_reason": ["verhuisd; nieuw contact via j.jansen@example.nl", None],
    })


def rf_name_column(_: Path) -> bytes:
    return _registratieformat(
        {"family": ["R-11", "R-12"], "start": [dt.date(2024, 1, 5), dt.date(2024, 2, 6)]},
        {"family": ["R-11", "R-12"], "label": ["gesprek met mevrouw Jansen over schulden", "taalles"],
         "leefgebied": ["Financiën", "Participatie"]},
        extra={"Naam": ["Petra Vermeulen", "Ahmed Benali"]},
    )


def rf_names_as_key(_: Path) -> bytes:
    return _registratieformat({
        "family": ["Petra Vermeulen", "Ahmed Benali", "Yilmaz, F."],
        "start": [dt.date(2024, 1, 5), dt.date(2024, 2, 6), dt.date(2024, 3, 7)],
    })


def rf_email_as_key(_: Path) -> bytes:
    return _registratieformat({
        "family": ["R-21", "gezin.demir@outlook.com"], "start": [dt.date(2024, 1, 5), dt.date(2024, 2, 6)],
    })


IDENTIFIER_CASES: list[Case] = [
    Case("eigen_naamkolom.xlsx", own_name_column, "Kolom met persoonsgegevens niet ingelezen (naam)", True, ORG,
         "an own layout with a Naam column next to the family code: the column is never read"),
    Case("eigen_contact_in_tekst.xlsx", own_contact_in_text, "Persoonsgegeven verwijderd (e-mailadres)", True, ORG,
         "e-mail addresses and phone numbers written inside help-request text"),
    Case("eigen_bsn_kolom.xlsx", own_bsn_column, "Kolom met persoonsgegevens niet ingelezen (BSN", True, ORG,
         "a BSN column (one value an 8-digit number whose leading zero was dropped)"),
    Case("eigen_bsn_als_sleutel.xlsx", own_bsn_as_key, "De gezinscode bestaat uit persoonsgegevens", False, ORG,
         "BSN as the only family key: refused, a registration number is needed"),
    Case("eigen_namen_als_sleutel.xlsx", own_names_as_key, "De gezinscode bestaat uit persoonsgegevens", False, ORG,
         "names as the only family key: refused"),
    Case("eigen_telefoon_als_sleutel.xlsx", own_phone_as_key, "De gezinscode bestaat uit persoonsgegevens", False, ORG,
         "phone numbers as the only family key: refused"),
    Case("eigen_geboortedatums.xlsx", own_birth_dates, "Kolom met persoonsgegevens niet ingelezen (geboortedatum)",
         True, ORG, "a birth-date column and a birth date in free text"),
    Case("eigen_adres_in_toelichting.xlsx", own_address_in_remarks, "Persoonsgegeven verwijderd (adres of postcode)",
         True, ORG, "street + number and postcode (+ number) in remarks"),
    Case("eigen_geen_persoonsgegevens.xlsx", own_false_positives, "Ingelezen: 3 gezinnen", True, ORG,
         "false positives: amounts, family codes, trajectory dates and numbers failing the 11-proef stay"),
    Case("format_email_in_reden.xlsx", rf_email_in_reason, "Persoonsgegeven verwijderd (e-mailadres)", True, None,
         "registratieformat with an e-mail address in the reason for ending"),
    Case("format_naamkolom.xlsx", rf_name_column, "Kolom met persoonsgegevens niet ingelezen (naam)", True, None,
         "registratieformat with an extra Naam column and a name in a help request"),
    Case("format_namen_als_sleutel.xlsx", rf_names_as_key, "De gezinscode bestaat uit persoonsgegevens", False, None,
         "registratieformat with names in column Gezin: refused"),
    Case("format_email_als_sleutel.xlsx", rf_email_as_key, "De gezinscode bestaat uit persoonsgegevens", False, None,
         "registratieformat with an e-mail address as one family code: refused"),
]

# The raw identifiers of each case: none may be found anywhere in the database after the upload.
IDENTIFIER_VALUES: dict[str, tuple[str, ...]] = {
    "eigen_naamkolom.xlsx": ("Fatima Yilmaz", "Yilmaz", "Jan de Boer", "Sanne Bakker", "Bakker"),
    "eigen_contact_in_tekst.xlsx": ("f.yilmaz@hotmail.com", "hotmail", "06-12345678", "12345678", "123 45 67"),
    "eigen_bsn_kolom.xlsx": ("111222333", "123456782", "10000008"),
    "eigen_bsn_als_sleutel.xlsx": ("111222333", "123456782", "10000008", "100000009"),
    "eigen_namen_als_sleutel.xlsx": ("Fatima Yilmaz", "Yilmaz", "El Amrani", "Sanne Bakker", "Jan de Boer"),
    "eigen_telefoon_als_sleutel.xlsx": ("06-12345678", "06-87654321", "010-7654321", "87654321"),
    "eigen_geboortedatums.xlsx": ("2013-07-19", "19-07-2013", "2016-11-03", "27-01-2011", "2011-01-27", "04-09-2012"),
    "eigen_adres_in_toelichting.xlsx": ("Kerkstraat", "3011 AB", "Beukelsdijk", "3022 DK", "3072 AP"),
    "eigen_geen_persoonsgegevens.xlsx": (),
    "format_email_in_reden.xlsx": ("j.jansen@example.nl", "example.nl"),
    "format_naamkolom.xlsx": ("Petra Vermeulen", "Vermeulen", "Ahmed Benali", "Benali", "Jansen"),
    "format_namen_als_sleutel.xlsx": ("Petra Vermeulen", "Ahmed Benali", "Yilmaz"),
    "format_email_als_sleutel.xlsx": ("gezin.demir@outlook.com", "demir"),
}
# What must survive the false-positive case (stored as written).
KEPT_VALUES: dict[str, tuple[str, ...]] = {
    "eigen_geen_persoonsgegevens.xlsx": ("€ 12.345", "123456789", "01-02-2024 10:00", "Hoek van Holland",
                                         "speelplein 3 keer per week"),
}
