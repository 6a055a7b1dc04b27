"""Export the harmonised data: one sheet per table, raw values next to harmonised ones."""
from __future__ import annotations

from pathlib import Path
from typing import IO

import pandas as pd

from .store import Dataset
from .tables import write_raw as write_tables  # one sheet per table, values as they are, never a live formula


def export_tables(ds: Dataset) -> dict[str, pd.DataFrame]:
    """Sheet name -> table, with Dutch column names."""
    fam = ds.families
    tr = ds.trajectories
    rq = ds.requests
    ms = ds.measurements
    hr = ds.hours
    return {
        "gezinnen": pd.DataFrame({
            "organisatie": fam["organisation"], "gezin": fam["family_key"],
            "gezinssamenstelling": fam["composition"], "gezinssamenstelling_origineel": fam["composition_raw"],
            "aantal_kinderen": fam["children"], "wijk": fam["wijk"], "schulden": fam["debts"],
            "taal": fam["language"], "taal_origineel": fam["language_raw"],
            "voorbeelddata": fam["is_sample"],
        }),
        "trajecten": pd.DataFrame({
            "organisatie": tr["organisation"], "gezin": tr["family_key"], "startdatum": tr["start_date"],
            "einddatum": tr["end_date"], "verwachte_einddatum": tr["expected_end"], "status": tr["status"],
            "reden_einde": tr["end_reason"], "fase": tr.get("phase"), "resultaat": tr.get("result"),
            "startdatum_origineel": tr["start_raw"], "einddatum_origineel": tr["end_raw"],
            "fase_origineel": tr.get("phase_raw"), "resultaat_origineel": tr.get("result_raw"),
        }),
        "hulpvragen": pd.DataFrame({
            "organisatie": rq["organisation"], "gezin": rq["family_key"],
            "origineel": rq["label_raw"].where(rq["label_raw"].notna(), rq["leefgebied_raw"]),
            "leefgebied": rq["leefgebied"], "categorie": rq["categorie"], "herkomst": rq["herkomst"],
            "leefgebied_origineel": rq["leefgebied_raw"], "categorie_origineel": rq["categorie_raw"],
            "datum": rq["request_date"], "zekerheid": rq["confidence"],
        }),
        "metingen": pd.DataFrame({
            "organisatie": ms["organisation"], "gezin": ms["family_key"], "instrument": ms["instrument"],
            "leefgebied": ms["leefgebied"], "indicator": ms["indicator"], "eenheid": ms["unit"],
            "meetmoment": ms["moment"], "datum": ms["measured_on"], "waarde": ms["value"],
            "nvt": ms["not_applicable"], "origineel": ms["value_raw"], "leefgebied_origineel": ms["leefgebied_raw"],
            "herkomst": ms["herkomst"], "zekerheid": ms["confidence"],
        }),
        "inzet": pd.DataFrame({
            "organisatie": hr["organisation"], "gezin": hr["family_key"], "soort_steun": hr["support_type"],
            "meetmoment": hr["moment"], "datum": hr["measured_on"], "uren_per_week": hr["hours_per_week"],
            "minuten_contact": hr["minutes"], "nvt": hr["not_applicable"], "origineel": hr["value_raw"],
            "soort_steun_origineel": hr["support_type_raw"], "herkomst": hr["herkomst"], "zekerheid": hr["confidence"],
        }),
        "uploads": pd.DataFrame({
            "upload": ds.batches["id"], "organisatie": ds.batches["organisation"], "bestand": ds.batches["file_name"],
            "tijdstip": ds.batches["uploaded_at"], "status": ds.batches["status"], "gezinnen": ds.batches["n_families"],
            "hulpvragen": ds.batches["n_requests"], "indeling": ds.batches["format"],
            "sha256": ds.batches["sha256"],
        }),
    }


def export_workbook(ds: Dataset, target: str | Path | IO[bytes]) -> None:
    write_tables(target, export_tables(ds))
