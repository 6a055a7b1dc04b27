"""A small, hand-computable data set in the registration format (two organisations, five families).

Expected figures at peildatum 2021-10-31 are written out in EXPECTED and derived by hand in the
comments; tests compare the product's numbers against them.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from gezinsmonitor.template import write_workbook

D = dt.date
PEILDATUM = D(2021, 10, 31)
ORG_A = "Fixture Buurtwerk"
ORG_B = "Fixture Gezinshuis"

FRAMES = {
    ORG_A: {
        "families": pd.DataFrame({
            "family": ["A1", "A2", "A3", "A4"],
            # A1: 15-01 → 15-07 = 6 whole months → 6-12; A2: → 14-07 = 5 → 0-6;
            # A3: lopend 01-01-2021 → peildatum = 9 → 6-12; A4: lopend since 2019 = 33 → 24-36.
            "start": [D(2020, 1, 15), D(2020, 1, 15), "1-1-2021", D(2019, 1, 1)],
            "end": [D(2020, 7, 15), D(2020, 7, 14), None, None],
            "status": ["afgerond", "afgerond", "lopend", None],
            "end_reason": ["doelen bereikt", "verhuisd", None, None],
            "composition": ["eenouder", "tweeouder", "eenouder", "onbekend"],
            "children": [2, 3, 1, None],
            "wijk": ["Charlois", "Charlois", "Carnisse", "Carnisse"],
            "debts": ["ja", "nee", "ja", "onbekend"],
        }),
        "requests": pd.DataFrame({
            "family": ["A1", "A1", "A2", "A3", "A3"],
            "label": ["schulden door scheiding", "taalles", "lege koelkast", "hulp bij opvoeding", "urgentie aanvragen"],
            "leefgebied": ["Financiën", "Participatie", "Financiën", "Sociaal", "Wonen"],
            "categorie": ["Schulden", "Nederlandse taal", "Acute nood", "Opvoeding", None],
        }),
        "progress": pd.DataFrame({
            "family": ["A1", "A1", "A1", "A2", "A2", "A3"],
            "date": [D(2020, 3, 1), D(2020, 7, 1), D(2020, 7, 1), D(2020, 5, 1), D(2020, 6, 1), D(2021, 6, 1)],
            "leefgebied": ["Financiën", "Financiën", "Participatie", "Financiën", "Financiën", "Sociaal"],
            # A1 Financiën latest 4; A2 Financiën latest *score* 5 (the later n.v.t. is not a score); A3 Sociaal 3.
            "score": [2, 4, "n.v.t.", 5, "n.v.t.", "3"],
        }),
        "hours": pd.DataFrame({
            "family": ["A1", "A1", "A2", "A2", "A3", "A3", "A1", "A1"],
            "date": [D(2020, 1, 15), D(2020, 7, 1), D(2020, 1, 15), D(2020, 6, 1), D(2021, 1, 1), D(2021, 6, 1),
                     D(2020, 1, 15), D(2020, 7, 1)],
            "support_type": ["Regelzaken"] * 6 + ["Ondersteuning door maatje"] * 2,
            # Regelzaken start: 4, 2, n.v.t. → n=2 mean 3; latest: 1, 0 (explicit), 2 → n=3 mean 1.
            # Maatje start n.v.t. → n=0; latest 3 → n=1.
            "hours": [4, "1", "2", 0, "n.v.t.", "2", "n.v.t.", "3"],
        }),
    },
    ORG_B: {
        "families": pd.DataFrame({
            "family": ["B1"], "start": [D(2021, 6, 1)], "end": [None], "status": ["lopend"],  # 4 months → 0-6
        }),
        "requests": pd.DataFrame({
            "family": ["B1"], "label": ["somber"], "leefgebied": ["Gezondheid"], "categorie": ["Psychisch"],
        }),
    },
}

EXPECTED = {
    "organisations": 2,
    "families": 5,
    "help_requests": 6,
    # 4 families have a request (A4 has none); 6 requests.
    "needs": {
        "Financiën": (2, 50.0, 2, 33.333),
        "Gezondheid": (1, 25.0, 1, 16.667),
        "Wonen": (1, 25.0, 1, 16.667),
        "Sociaal": (1, 25.0, 1, 16.667),
        "Participatie": (1, 25.0, 1, 16.667),
        "Overig": (0, 0.0, 0, 0.0),
    },
    "duration": {"0-6": (1, 1), "6-12": (1, 1), "12-18": (0, 0), "18-24": (0, 0), "24-36": (0, 1), "36+": (0, 0)},
    "progress": {"Financiën": (2, 4.5, {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1}),
                 "Sociaal": (1, 3.0, {"1": 0, "2": 0, "3": 1, "4": 0, "5": 0})},
    "hours": {("Regelzaken", "start"): (2, 3.0), ("Regelzaken", "latest"): (3, 1.0),
              ("Ondersteuning door maatje", "latest"): (1, 3.0)},
}


def write_fixture_workbooks(directory: Path) -> list[Path]:
    paths = []
    for i, (org, frames) in enumerate(FRAMES.items()):
        path = Path(directory) / f"fixture_{i + 1}.xlsx"
        write_workbook(path, frames, organisation=org, peildatum=PEILDATUM)
        paths.append(path)
    return paths
