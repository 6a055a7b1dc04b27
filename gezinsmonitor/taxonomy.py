"""The common model's vocabularies: leefgebieden, categories, support types, scales.

Source: DOMAIN.md §3.1–3.4. Order matters: it is the order of every table and chart.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field

# leefgebied -> its categories (empty: the leefgebied is its own category)
LEEFGEBIEDEN: dict[str, tuple[str, ...]] = {
    "Financiën": ("Schulden", "Geen overzicht/administratie", "Acute nood", "Materiële tekorten"),
    "Gezondheid": ("Lichamelijk", "Psychisch", "Verslaving"),
    "Wonen": (),
    "Sociaal": ("Huiselijke relaties", "Opvoeding", "Sociaal netwerk"),
    "Participatie": (
        "Algemene dagelijkse levensvaardigheden (ADL)",
        "Nederlandse taal",
        "Werk",
        "Opleiding",
        "Daginvulling kind",
        "Daginvulling ouder",
    ),
    "Overig": ("Juridisch", "Verblijfsstatus", "Zingeving", "Overig"),
}
LEEFGEBIED_NAMES: tuple[str, ...] = tuple(LEEFGEBIEDEN)
CATEGORY_TO_LEEFGEBIED: dict[str, str] = {cat: lg for lg, cats in LEEFGEBIEDEN.items() for cat in cats}

# Investment (professional + volunteer) vs participation outcomes of the family (§3.4).
INVESTMENT = "inzet"
PARTICIPATION = "deelname"
SUPPORT_TYPES: dict[str, str] = {
    "Gesprekken met gezin": INVESTMENT,
    "Regelzaken": INVESTMENT,
    "Praktische steun": INVESTMENT,
    "Ondersteuning door maatje": INVESTMENT,
    "Groepsactiviteit ouder": PARTICIPATION,
    "Groepsactiviteit kind": PARTICIPATION,
    "Vrijwilligerswerk ouder": PARTICIPATION,
}
SUPPORT_TYPE_NAMES: tuple[str, ...] = tuple(SUPPORT_TYPES)
PROFESSIONAL_TYPES = ("Gesprekken met gezin", "Regelzaken", "Praktische steun")

VOORTGANG_INSTRUMENT = "voortgangsscore"
VOORTGANG_SCORES: dict[int, str] = {
    1: "negatieve ontwikkeling",
    2: "geen ontwikkeling",
    3: "positieve ontwikkeling, nog intensieve steun nodig",
    4: "positieve ontwikkeling, nog beperkte steun nodig",
    5: "positieve ontwikkeling, geen steun meer nodig",
}
NVT = "n.v.t."

STATUS_LOPEND = "lopend"
STATUS_AFGEROND = "afgerond"
STATUSES = (STATUS_LOPEND, STATUS_AFGEROND)
END_REASONS = (
    "doelen bereikt",
    "maximale duur",
    "onvoldoende medewerking/onbereikbaar",
    "verhuisd",
    "doorverwezen",
    "anders",
)
GEZINSSAMENSTELLING = ("eenouder", "tweeouder", "onbekend")
SCHULDEN = ("ja", "nee", "onbekend")
# Beheersing Nederlandse taal of the parent with most contact (§3.5); matig and slecht count as hampered.
TAAL = ("goed", "voldoende", "matig", "slecht", "onbekend")
TAAL_LEVELS = TAAL[:4]  # the known levels, best first
TAAL_HAMPERED = ("matig", "slecht")
# The funnel some programmes register (§3.3): the furthest phase a trajectory reached and, once in
# begeleiding, its result. Registered per trajectory; never inferred from the status or reason for ending.
FUNNEL_PHASES = ("aanmelding", "intake", "begeleiding")
FUNNEL_RESULTS = ("geslaagd", "niet geslaagd", "lopend")

# Duration buckets in months, half-open [lo, hi) (§3.3 plus 36+ for long runners).
DURATION_BUCKETS: tuple[tuple[str, float, float], ...] = (
    ("0-6", 0, 6),
    ("6-12", 6, 12),
    ("12-18", 12, 18),
    ("18-24", 18, 24),
    ("24-36", 24, 36),
    ("36+", 36, float("inf")),
)

# How a harmonised value was obtained ("herkomst"), shown next to every mapped value.
HERKOMST_FORMAT = "registratieformat"  # chosen from the format's own list
HERKOMST_WOORDENLIJST = "woordenlijst"  # known synonym or other vocabulary
HERKOMST_AFGELEID = "afgeleid"  # leefgebied derived from the categorie
HERKOMST_FUZZY = "fuzzy"  # close to a known label (typo, spelling variant)
HERKOMST_TEKSTREGEL = "tekstregel"  # a rule for free text (key words) recognised it
HERKOMST_PERSOON = "persoon"  # a person confirmed or corrected the mapping
HERKOMST_TE_BEOORDELEN = "te beoordelen"  # uncertain: waits in the review queue, not counted
HERKOMSTEN = (HERKOMST_FORMAT, HERKOMST_WOORDENLIJST, HERKOMST_AFGELEID, HERKOMST_FUZZY, HERKOMST_TEKSTREGEL,
              HERKOMST_PERSOON, HERKOMST_TE_BEOORDELEN)

# Synonyms from other vocabularies (ZRM, pilot clusters, social teams; §3.1).
# Keys are normalised with `normalise_label`.
LEEFGEBIED_SYNONYMS: dict[str, str] = {
    "financien": "Financiën",
    "geldzaken": "Financiën",
    "financieel": "Financiën",
    "werk, inkomen en schulden": "Financiën",
    "gezondheid": "Gezondheid",
    "geestelijke gezondheid": "Gezondheid",
    "lichamelijke gezondheid": "Gezondheid",
    "verslaving": "Gezondheid",
    "middelengebruik": "Gezondheid",
    "wonen": "Wonen",
    "huisvesting": "Wonen",
    "woning": "Wonen",
    "huishouden op orde": "Wonen",
    "sociaal": "Sociaal",
    "sociale omgeving": "Sociaal",
    "sociaal netwerk": "Sociaal",
    "huiselijke relaties": "Sociaal",
    "participatie": "Participatie",
    "meedoen": "Participatie",
    "werk & opleiding": "Participatie",
    "werk en opleiding": "Participatie",
    "dagbesteding": "Participatie",
    "tijdsbesteding": "Participatie",
    "maatschappelijke participatie": "Participatie",
    "overig": "Overig",
    "overige": "Overig",
    "anders": "Overig",
    "justitie": "Overig",
    "politie en justitie": "Overig",
}


def normalise_label(text: object) -> str:
    """Lower-case, strip accents and surrounding/duplicate blanks: the key for look-ups."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", s).strip().lower()


_LEEFGEBIED_BY_KEY = {normalise_label(n): n for n in LEEFGEBIED_NAMES}
_CATEGORY_BY_KEY = {normalise_label(c): c for c in CATEGORY_TO_LEEFGEBIED}
_CATEGORY_BY_KEY.update({"adl": "Algemene dagelijkse levensvaardigheden (ADL)"})
_SUPPORT_BY_KEY = {normalise_label(n): n for n in SUPPORT_TYPE_NAMES}


def match_leefgebied(label: object) -> tuple[str | None, str | None]:
    """(leefgebied, herkomst) for a label, or (None, None) when it is not known."""
    key = normalise_label(label)
    if not key:
        return None, None
    if key in _LEEFGEBIED_BY_KEY:
        name = _LEEFGEBIED_BY_KEY[key]
        return name, HERKOMST_FORMAT if str(label).strip() == name else HERKOMST_WOORDENLIJST
    if key in LEEFGEBIED_SYNONYMS:
        return LEEFGEBIED_SYNONYMS[key], HERKOMST_WOORDENLIJST
    return None, None


def match_categorie(label: object) -> str | None:
    return _CATEGORY_BY_KEY.get(normalise_label(label))


def match_support_type(label: object) -> str | None:
    return _SUPPORT_BY_KEY.get(normalise_label(label))


def duration_bucket(months: float) -> str | None:
    for name, lo, hi in DURATION_BUCKETS:
        if lo <= months < hi:
            return name
    return None


@dataclass(frozen=True)
class Taxonomy:
    """An editable, versioned taxonomy: leefgebieden with their categories plus label synonyms.

    `synonyms` maps a normalised label (see `normalise_label`) to (leefgebied, categorie or None).
    Version 0 is the built-in default; the store keeps later versions (`Store.save_taxonomy`).
    """

    leefgebieden: dict[str, tuple[str, ...]]
    synonyms: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    version: int = 0

    @property
    def leefgebied_names(self) -> tuple[str, ...]:
        return tuple(self.leefgebieden)

    @property
    def category_to_leefgebied(self) -> dict[str, str]:
        return {cat: lg for lg, cats in self.leefgebieden.items() for cat in cats}

    def to_json(self) -> str:
        return json.dumps({"leefgebieden": {k: list(v) for k, v in self.leefgebieden.items()},
                           "synonyms": {k: list(v) for k, v in sorted(self.synonyms.items())}},
                          ensure_ascii=False, sort_keys=False)

    @classmethod
    def from_json(cls, text: str, version: int = 0) -> "Taxonomy":
        data = json.loads(text)
        return cls({k: tuple(v) for k, v in data["leefgebieden"].items()},
                   {k: (v[0], v[1]) for k, v in data.get("synonyms", {}).items()}, version)


DEFAULT_TAXONOMY = Taxonomy(
    LEEFGEBIEDEN,
    {key: (lg, None) for key, lg in LEEFGEBIED_SYNONYMS.items()},
    0,
)
