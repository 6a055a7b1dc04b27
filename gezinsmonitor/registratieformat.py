"""The common registration format ("registratieformat"): sheets and columns.

One source of truth for the template writer, the loader, the export and the README.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import taxonomy as tx

FORMAT_VERSION = "1"
INFO_SHEET = "Toelichting"
# Cells on the instruction sheet that the organisation fills in.
ORG_CELL = "B3"
PEILDATUM_CELL = "B4"


@dataclass(frozen=True)
class Column:
    key: str  # internal name (English)
    header: str  # as in the workbook (Dutch)
    kind: str  # text | date | int | choice | score | hours
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""
    width: int = 18


@dataclass(frozen=True)
class Sheet:
    name: str
    key: str
    description: str
    columns: tuple[Column, ...] = field(default_factory=tuple)

    def header_of(self, key: str) -> str:
        return next(c.header for c in self.columns if c.key == key)


FAMILY = Column("family", "Gezin", "text", True, help="Eigen code van het gezin, geen naam (bijv. G-017).", width=12)

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "Gezinnen",
        "families",
        "Eén rij per gezin met intensieve begeleiding: het traject en de achtergrond.",
        (
            FAMILY,
            Column("start", "Startdatum", "date", True, help="Datum van aanmelding of intake (dd-mm-jjjj)."),
            Column("end", "Einddatum", "date", help="Leeg zolang het traject loopt."),
            Column("status", "Status", "choice", choices=tx.STATUSES,
                   help="lopend of afgerond; leeg = afgeleid uit de einddatum."),
            Column("end_reason", "Reden einde", "choice", choices=tx.END_REASONS,
                   help="Alleen bij afgeronde trajecten.", width=30),
            Column("phase", "Fase", "choice", choices=tx.FUNNEL_PHASES,
                   help="Optioneel: de verste fase die het traject bereikte: aanmelding, intake of begeleiding.",
                   width=14),
            Column("result", "Resultaat", "choice", choices=tx.FUNNEL_RESULTS,
                   help="Optioneel, alleen na begeleiding: geslaagd, niet geslaagd of lopend. Leeg = niet "
                        "vastgesteld; er wordt niets afgeleid uit de status of de reden einde.", width=14),
            Column("composition", "Gezinssamenstelling", "choice", choices=tx.GEZINSSAMENSTELLING, width=20),
            Column("children", "Aantal kinderen", "int", help="Aantal kinderen in het gezin (0–20)."),
            Column("wijk", "Wijk", "text", help="Naam van de wijk (geen adres)."),
            Column("debts", "Schulden", "choice", choices=tx.SCHULDEN),
            Column("language", "Taal", "choice", choices=tx.TAAL,
                   help="Beheersing van de Nederlandse taal door de ouder met het meeste contact: "
                        "goed, voldoende, matig, slecht of onbekend."),
        ),
    ),
    Sheet(
        "Hulpvragen",
        "requests",
        "Eén rij per hulpvraag. Een gezin heeft meestal meerdere hulpvragen.",
        (
            FAMILY,
            Column("label", "Hulpvraag", "text",
                   help="De hulpvraag zoals u hem noteert (mag vrije tekst zijn, zonder namen).", width=36),
            Column("leefgebied", "Leefgebied", "choice", True, choices=tx.LEEFGEBIED_NAMES, width=16),
            Column("categorie", "Categorie", "choice",
                   choices=tuple(c for cats in tx.LEEFGEBIEDEN.values() for c in cats),
                   help="Optioneel; moet bij het leefgebied horen.", width=40),
            Column("date", "Datum", "date", help="Optioneel: wanneer de hulpvraag werd genoteerd."),
        ),
    ),
    Sheet(
        "Voortgang",
        "progress",
        "Eén rij per gezin, meetmoment en leefgebied: de voortgangsscore van de gezinswerker.",
        (
            FAMILY,
            Column("date", "Datum", "date", True, help="Datum van de meting."),
            Column("leefgebied", "Leefgebied", "choice", True, choices=tx.LEEFGEBIED_NAMES, width=16),
            Column("score", "Score", "score", True, choices=("1", "2", "3", "4", "5", tx.NVT),
                   help="1 = negatieve ontwikkeling … 5 = geen steun meer nodig; n.v.t. = geen steun op dit leefgebied."),
        ),
    ),
    Sheet(
        "Inzet",
        "hours",
        "Eén rij per gezin, meetmoment en soort steun: gemiddeld aantal uren per week.",
        (
            FAMILY,
            Column("date", "Datum", "date", True, help="Peildatum: rond aanmelding, later opnieuw."),
            Column("support_type", "Soort steun", "choice", True, choices=tx.SUPPORT_TYPE_NAMES, width=28),
            Column("hours", "Uren per week", "hours", True,
                   help="Gemiddeld per week, bijv. 1,5 (= 1 uur 30 min); 0 = geen; n.v.t. = niet van toepassing."),
        ),
    ),
)
SHEET_BY_KEY: dict[str, Sheet] = {s.key: s for s in SHEETS}
SHEET_BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}
