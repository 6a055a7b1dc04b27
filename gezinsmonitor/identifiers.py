"""Direct identifiers (names, addresses, phone numbers, e-mail addresses, birth dates, BSN, IBAN) never reach the store.

Three layers, all before anything is saved and before the user previews the file:

- `detect_column(header, values)`: a column that holds identifiers (by its header, by its values, or both)
  is never read; the own-layout mapping marks it as "persoonsgegeven" and a person cannot map it.
- `scrub_text(text)`: identifiers inside free text (help requests, reasons, remarks, raw values) are replaced
  by a marker such as "[e-mailadres verwijderd]".
- `check_family_keys`: when the family key itself is an identifier the file is refused; a registration
  number is needed instead.

Decisions (documented in the README):
- A full postcode (4 digits + 2 letters, "3011 AB") is an address part: removed from text and never read as
  a column. A 4-digit postcode area ("3011") alone is an area like a wijk, not an identifier.
- Dates are only a birth date when the header or the words around them say so ("geb. 12-03-2015"); a start
  date stays a start date.
- A 9-digit number is a BSN only when it passes the 11-proef; in free text an 8-digit number (a BSN whose
  leading zero a spreadsheet dropped) only right after the word BSN. A column is a BSN column when most of
  its 8/9-digit values pass the check (random numbers pass one time in eleven).
- Names in free text are recognised by a title ("mevrouw Jansen", "dhr. De Vries"), a label ("naam: …"),
  initials ("J.P. de Vries") or a common first name written with a capital ("Fatima", "Jan de Boer"). A
  surname alone in running text ("gesprek met Jansen") is not recognised: keep names out of remarks.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from . import taxonomy as tx
from . import values as vals
from .report import Report

NAAM = "naam"
ADRES = "adres"
TELEFOON = "telefoonnummer"
EMAIL = "e-mailadres"
GEBOORTEDATUM = "geboortedatum"
BSN = "BSN"
IBAN = "rekeningnummer"
KINDS = (NAAM, ADRES, TELEFOON, EMAIL, GEBOORTEDATUM, BSN, IBAN)
LABELS = {NAAM: "naam", ADRES: "adres of postcode", TELEFOON: "telefoonnummer", EMAIL: "e-mailadres",
          GEBOORTEDATUM: "geboortedatum", BSN: "BSN (burgerservicenummer)", IBAN: "bankrekeningnummer (IBAN)"}
# Kinds that single out one person: used as a family key they make the file unacceptable.
KEY_KINDS = (NAAM, BSN, EMAIL, TELEFOON, GEBOORTEDATUM, IBAN, ADRES)

REASON = "persoonsgegeven: wordt niet opgeslagen"
REMOVED_VALUE = "Persoonsgegeven verwijderd"
REMOVED_COLUMN = "Kolom met persoonsgegevens niet ingelezen"
KEY_REFUSED = "De gezinscode bestaat uit persoonsgegevens"
FIX = ("Laat namen, adressen, telefoonnummers, e-mailadressen, geboortedatums en BSN weg uit het bestand; "
       "de Gezinsmonitor heeft ze niet nodig en slaat ze nooit op.")
KEY_FIX = ("Gebruik als gezinscode een eigen registratienummer (bijv. G-001) in plaats van namen, BSN, "
           "e-mailadressen, telefoonnummers of geboortedatums, en upload het bestand opnieuw. Er is niets opgeslagen.")


def marker(kind: str) -> str:
    return f"[{kind} verwijderd]"


# -- checks on single values ------------------------------------------------------------------------
def is_bsn(digits: str) -> bool:
    """The 11-proef: 9 digits (8 with the leading zero dropped), 9*d1 + 8*d2 + … + 2*d8 - d9 divisible by 11."""
    if not digits.isdigit() or len(digits) not in (8, 9):
        return False
    digits = digits.zfill(9)
    if int(digits) == 0:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1))) - int(digits[8])
    return total % 11 == 0


def is_iban(text: str) -> bool:
    s = re.sub(r"\s", "", text).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", s):
        return False
    moved = s[4:] + s[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


# Common first names of families in Dutch poverty support (Dutch, Moroccan, Turkish, Surinamese, Antillean,
# Cape Verdean, Somali, Eritrean, Syrian, Polish, Bulgarian). Names that are also ordinary Dutch words
# ("Roos", "Bas", "Mei", "Hoop") are left out: they would blank out harmless text.
FIRST_NAMES = frozenset(n.lower() for n in """
Aaliyah Aaron Abdel Abdelkader Abdellah Abdelhak Abdi Abdirahman Abdul Abdullah Abdullahi Abel Abraham Adam Adil
Adriaan Adrianus Adnan Ahmed Ahmad Aicha Aisha Aïcha Ayoub Alexander Ali Alina Amal Amina Aminata Amir Amira Anas
Andrzej Andreea Angela Anika Anissa Anna Anne Annemarie Anouk Anton Antonia Arjen Arjan Asma Astrid Aya Ayla Ayse Ayşe
Aziz Badr Bart Bayram Bilal Bilel Bram Brahim Bouchra Burak Can Carla Carlos Caroline Cees Charlotte Chantal Chris
Christiaan Cindy Claudia Cornelis Daan Daniel Daniël Danielle Dewi Dennis Dirk Dounia Dylan Ebru Edwin Elif Elisabeth
Ellen Emine Emma Emre Erik Esra Esther Eva Evelien Fadoua Fahad Farah Fariba Fatima Fatma Fatiha Fenna Femke Fleur
Floor Frank Frans Freek Gerard Gerrit Gijs Hamza Hanane Hans Hasan Hassan Hatice Hatim Hendrik Henk Hira Hiba Hind
Hülya Hulya Ibrahim Ilham Ilse Imane Imran Inge Ingrid Iris Ismail Ivo Jacob Jacqueline Jamal Jan Jana Janneke Jasper
Jeroen Jesse Johan Johannes Jolanda Joost Jordy Joris Jos Joyce Julia Julian Karim Karin Kees Kevin Khadija Kim
Klaas Laila Lamia Lars Latifa Laura Leila Lieke Linda Lisa Lotte Louise Lucas Luuk Maaike Malika Manon Marco Maria
Mariam Marieke Marije Marloes Martijn Martin Maryam Mehmet Melek Merel Mila Milan Mirjam Mohamed Mohammed Mohammad
Mohamad Mostafa Mustafa Nadia Naima Najat Nathalie Nicole Niels Nienke Nina Nisrine Noah Noor Nora Nour Nora Omar
Orlando Osman Otto Özlem Ozlem Patrick Paul Peter Petra Pieter Piotr Priscilla Rachid Rachida Rahma Rania Rashida
Rayan Redouan Remco Richard Rik Rob Robert Robin Romano Ron Ruben Rutger Saad Sabrina Sadia Safae Said Saïd
Salma Samira Samir Sander Sandra Sanne Sara Sarah Selma Sevda Sevgi Shanti Sharon Shirley Silvia Simone Sofia Sophie
Soufiane Stefan Stephanie Suzanne Sven Tamara Tanja Thijs Thomas Tom Tomasz Tugba Umut Vera Willem Wim Yasmina
Yasmine Yassin Yassine Yousef Youssef Yusuf Zahra Zeynep Zainab Zakaria Zoë Zoe Zuhal
""".split())
_PARTICLES = r"(?i:van der|van den|van de|van 't|van|de|der|den|het|'t|ter|ten|te|op de|in 't|el|al|ben|bin|da|dos|do)"
_CAP = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+)?"
_SURNAME = rf"(?:(?:{_PARTICLES})\s+)*{_CAP}"
_INITIALS = r"(?:[A-Z]\.\s?){1,4}"
_TITLE = r"(?:mevrouw|mevr\.?|mw\.?|meneer|mnr\.?|dhr\.?|de heer|juffrouw|mej\.?)"
_FIRST = r"(?P<first>[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)"

_NAME_PATTERNS = (
    re.compile(rf"(?i:\b{_TITLE})\s+(?:{_INITIALS}\s?)?{_SURNAME}(?:\s+{_SURNAME})?"),
    re.compile(rf"(?i:\b(?:naam|voornaam|achternaam|roepnaam)\s*:)\s*[^\n,;:()]{{1,40}}?(?=$|[\n,;:()]|\s+-\s)"),
    re.compile(rf"(?<![\w.])(?!N\.B\.|P\.S\.){_INITIALS}\s?{_SURNAME}"),
)
_FIRST_NAME = re.compile(rf"(?<![\w@.-]){_FIRST}(?:\s+{_SURNAME}){{0,2}}(?![\w@])")
_COMMA_NAME = re.compile(rf"^{_SURNAME},\s*(?:{_INITIALS}|{_CAP})(?:\s+{_PARTICLES})?$")

EMAIL_RE = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE_RE = re.compile(r"(?<![\w@/€+.,-])(?:(?:\+|00)31[\s.-]?(?:\(0\)[\s.-]?)?|\(?0)[1-9](?:[\s.\-)]{0,3}\d){8}(?![\w-])")
_DATE_START = re.compile(r"^\(?\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
_BSN_RE = re.compile(r"(?<![\w€.,/-])(\d{4}[.\s]\d{2}[.\s]\d{3}|\d{3}[.\s]\d{3}[.\s]\d{3}|\d{8,9})(?![\w,/-]|[.,]\d)")
_BSN_CONTEXT = re.compile(r"(?i)\b(bsn|burgerservicenummer|sofi-?nummer|sofinr)\b\W{0,5}$")
_IBAN_RE = re.compile(r"\b[A-Z]{2}\d{2}\s?(?:[A-Z0-9]{4}\s?){2,7}[A-Z0-9]{1,4}\b")
_MONTHS = r"jan(?:uari)?|feb(?:ruari)?|maa(?:rt)?|mrt|apr(?:il)?|mei|jun(?:i)?|jul(?:i)?|aug(?:ustus)?|sep(?:t(?:ember)?)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?"
_DATE = rf"(?:\d{{1,2}}[-/. ]\d{{1,2}}[-/. ]\d{{2,4}}|\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}\s+(?:{_MONTHS})\.?\s+\d{{4}}|(?:19|20)\d{{2}})"
_BIRTH_RE = re.compile(rf"(?i)\b(?:geboortedatum|geb\.?\s?datum|geb\.?\s?dat\.?|geboren(?:\s+op|\s+in)?|geb\.|\*)\s*[:=]?\s*{_DATE}\b")
_STREET = (r"straat|laan|weg|plein|kade|singel|gracht|dijk|dreef|hof|pad|steeg|baan|markt|wal|plantsoen|erf|ring"
           r"|boulevard|allee|park|veld|hoven|oord|zijde|straatweg|hage|burcht")
_NOT_AFTER_NUMBER = (rf"(?!\s*(?:keer|x\b|uur|u\b|min|kind|weken|week|maand|jaar|jr|dag|%|km|m\b|meter|euro|eur\b|€"
                     rf"|personen|pers\b|{_MONTHS}))")
_HOUSE = r"\d{1,4}(?:\s?-\s?\d{1,4}|\s?[a-zA-Z](?![a-zA-Z])|\s?(?:hs|bis)\b)?"
_POSTCODE = r"[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}(?![A-Za-z])|[1-9]\d{3}(?!sa|sd|ss)[a-z]{2}(?![A-Za-z])"
_ADDRESS_RE = re.compile(
    rf"(?:\b(?:[A-Z][\w'-]*\s+){{0,2}}[A-Za-zÀ-ÿ'-]{{2,}}(?:{_STREET})\s+{_HOUSE}{_NOT_AFTER_NUMBER}(?!\d)"
    rf"(?:,?\s*(?:{_POSTCODE}))?)"
    rf"|(?<![\w-])(?:{_POSTCODE})(?:,?\s+(?:[A-Z][a-z]+\s+)?{_HOUSE}(?![\d,.]))?"
    # After the word postcode any spelling counts ('postcode 3011 ab'); elsewhere '2024 en' is not an address.
    rf"|(?i:postcode)\s*:?\s*[1-9]\d{{3}}\s?[A-Za-z]{{2}}(?![A-Za-z])")


_DIGIT = re.compile(r"\d")
_UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")


@dataclass(frozen=True)
class Hit:
    kind: str
    start: int
    end: int


def _name_hits(text: str) -> list[Hit]:
    hits = [Hit(NAAM, m.start(), m.end()) for p in _NAME_PATTERNS for m in p.finditer(text)]
    for m in _FIRST_NAME.finditer(text):
        if m.group("first").lower() in FIRST_NAMES:
            hits.append(Hit(NAAM, m.start(), m.end()))
    return hits


def _phone_hits(text: str) -> list[Hit]:
    out = []
    for m in _PHONE_RE.finditer(text):
        if _DATE_START.match(m.group()):  # "01-02-2024 10" has ten digits too
            continue
        out.append(Hit(TELEFOON, m.start(), m.end()))
    return out


def _bsn_hits(text: str) -> list[Hit]:
    out = []
    for m in _BSN_RE.finditer(text):
        digits = re.sub(r"\D", "", m.group(1))
        before = text[max(0, m.start() - 25):m.start()]
        if re.search(r"€\s*$", before):
            continue
        if len(digits) == 9 and is_bsn(digits):
            out.append(Hit(BSN, m.start(), m.end()))
        elif len(digits) == 8 and _BSN_CONTEXT.search(before) and is_bsn(digits):
            out.append(Hit(BSN, m.start(), m.end()))
    return out


def find(text: str) -> list[Hit]:
    """Every identifier in a text, longest first where two overlap."""
    hits: list[Hit] = []
    # Cheap gates first: most help-request texts have no digit, no @ and no capital, and skip every pattern.
    if "@" in text:
        hits += [Hit(EMAIL, m.start(), m.end()) for m in EMAIL_RE.finditer(text)]
    if _DIGIT.search(text):
        hits += [Hit(IBAN, m.start(), m.end()) for m in _IBAN_RE.finditer(text) if is_iban(m.group())]
        hits += [Hit(GEBOORTEDATUM, m.start(), m.end()) for m in _BIRTH_RE.finditer(text)]
        hits += _phone_hits(text)
        hits += _bsn_hits(text)
        hits += [Hit(ADRES, m.start(), m.end()) for m in _ADDRESS_RE.finditer(text)]
    if _UPPER.search(text) or "naam" in text.lower():
        hits += _name_hits(text)
    # Keep the earliest-listed kind of overlapping hits (an e-mail address contains a name, an address a number).
    chosen: list[Hit] = []
    for h in hits:
        if h.end > h.start and not any(h.start < c.end and c.start < h.end for c in chosen):
            chosen.append(h)
    return sorted(chosen, key=lambda h: h.start)


def scrub_text(text: str) -> tuple[str, list[str]]:
    """(text with every identifier replaced by a marker such as "[e-mailadres verwijderd]", kinds removed)."""
    if not isinstance(text, str) or not text:
        return text, []
    hits = find(text)
    if not hits:
        return text, []
    parts, last = [], 0
    for h in hits:
        parts.append(text[last:h.start])
        parts.append(marker(h.kind))
        last = h.end
    parts.append(text[last:])
    return "".join(parts), [h.kind for h in hits]


def scrub_value(value: object) -> tuple[object, list[str]]:
    """Like `scrub_text` for a cell: text is scrubbed, a whole number that is a BSN becomes the marker."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            return value, []
        digits = str(int(value))
        if len(digits) == 9 and is_bsn(digits):
            return marker(BSN), [BSN]
    return value, []


# -- columns ---------------------------------------------------------------------------------------
_PERSON = (r"(?:\s+(?:van\s+)?(?:de\s+|het\s+)?(?:ouder|ouders|ouder\s*\d|kind|kinderen|kind\s*\d|moeder|vader|gezin"
           r"|client|clienten|verzorger|partner|contactpersoon|aanmelder|hoofdbewoner|aanvrager|jongere|\d))*")
_HEADERS = {
    ADRES: r"adres|adressen|woonadres|huisadres|straat|straatnaam|huisnummer|huisnr|huis nr|adresgegevens|postcode"
           r"|postcode huisnummer|postcode en huisnummer|postcode huisnr",
    TELEFOON: r"telefoon|telefoonnummer|telefoonnr|telnr|tel nr|tel|mobiel|mobiel nummer|mobiele nummer|gsm|06 nummer"
              r"|telefoonnummers|nummer telefoon",
    EMAIL: r"e ?mail|e ?mailadres|emailadres|mailadres|e ?mail adres",
    GEBOORTEDATUM: r"geboortedatum|geb datum|gebdatum|geb dat|geboren|geboren op|geboorte datum|dob|date of birth"
                   r"|birth ?date",
    BSN: r"bsn|burgerservicenummer|bsn nummer|bsn nr|bsnnummer|sofinummer|sofi nummer|sofi nr",
    IBAN: r"iban|rekeningnummer|bankrekening|bankrekeningnummer|rekening nr",
    NAAM: r"naam|namen|voornaam|voornamen|achternaam|roepnaam|familienaam|gezinsnaam|meisjesnaam|clientnaam"
          r"|naam client|contactpersoon|contactpersonen|naam en toenaam|volledige naam|voorletters"
          r"|naam (?:medewerker|gezinswerker|begeleider|coach|vrijwilliger|maatje|hulpverlener)",
}
_HEADER_RES = {k: re.compile(rf"^(?:{p}){_PERSON}$") for k, p in _HEADERS.items()}
# A header that merely mentions "naam" of something else: "Naam organisatie", "Naam school".
_NOT_A_PERSON = re.compile(r"\b(organisatie|wijk|buurt|school|instantie|project|activiteit|bestand|blad|leefgebied"
                           r"|categorie|hulpvraag|code|groep|cursus|training|locatie|instrument|fonds|product"
                           r"|regeling|voorziening|interventie|methode|aantal)\b")
_CODE_VALUE = re.compile(r"^[A-Za-z]{0,6}[-_ ./]?\d[\w./-]*$")
_PC4 = re.compile(r"^[1-9]\d{3}$")

COLUMN_SHARE = 0.5  # share of the filled values that must be identifiers for a column without a telling header
BSN_PASS_SHARE = 0.8


@dataclass(frozen=True)
class Finding:
    kind: str
    why: str  # Dutch, short: what gave it away

    @property
    def reason(self) -> str:
        return f"{REASON} ({LABELS[self.kind]}; {self.why})"


def header_key(header: object) -> str:
    key = tx.normalise_label(str(header or ""))
    key = key.split(" / ")[-1] if " / " in key else key  # a group header above does not change the meaning
    key = re.sub(r"[^a-z0-9@]+", " ", key)
    return re.sub(r"\s+", " ", key).strip()


def header_kind(header: object) -> str | None:
    key = header_key(header)
    if not key or _NOT_A_PERSON.search(key):
        return None
    return next((kind for kind, rx in _HEADER_RES.items() if rx.match(key)), None)


def looks_like_name(value: object) -> bool:
    if not isinstance(value, str):
        return False
    v = re.sub(r"\s+", " ", value.strip())
    if not v or len(v) > 60 or any(ch.isdigit() for ch in v):
        return False
    if _COMMA_NAME.match(v):
        return True
    for p in _NAME_PATTERNS:
        if p.fullmatch(v):
            return True
    m = _FIRST_NAME.fullmatch(v)
    return bool(m and m.group("first").lower() in FIRST_NAMES)


def _digits(v: str) -> str:
    return re.sub(r"[\s.-]", "", v)


SAMPLE_ROWS = 300  # values looked at per column: enough to tell, cheap on a sheet of thousands of rows


def _sample(values) -> Counter:
    """The filled values of a column as text (like `values.as_text`), with how often each occurs."""
    out: Counter = Counter()
    if values is None:
        return out
    items = values.head(SAMPLE_ROWS).tolist() if isinstance(values, pd.Series) else list(values)[:SAMPLE_ROWS]
    for v in items:
        if v is None or isinstance(v, bool) or (isinstance(v, float) and v != v) or v is pd.NaT:
            continue
        if isinstance(v, (dt.datetime, pd.Timestamp)):
            v = v.date().isoformat() if (v.hour, v.minute, v.second) == (0, 0, 0) else v.isoformat()
        elif isinstance(v, dt.date):
            v = v.isoformat()
        elif isinstance(v, float) and v.is_integer():
            v = str(int(v))
        v = str(v).strip()
        if v:
            out[v] += 1
    return out


def _whole_kind(v: str) -> str | None:
    """The identifier kind when the whole value is one identifier."""
    if looks_like_name(v):
        return NAAM
    if EMAIL_RE.fullmatch(v):
        return EMAIL
    hits = find(v)
    if len(hits) == 1 and hits[0].start == 0 and hits[0].end == len(v):
        return hits[0].kind
    return None


def _share(sample: Counter, test) -> float:
    n = sum(sample.values())
    return sum(c for v, c in sample.items() if test(v)) / n if n else 0.0


def _bsn_column(sample: Counter) -> bool:
    numbers = Counter({v: c for v, c in sample.items() if re.fullmatch(r"\d{8,9}", _digits(v))})
    n = sum(numbers.values())
    if n < max(3, COLUMN_SHARE * sum(sample.values())):
        return False
    return _share(numbers, lambda v: is_bsn(_digits(v))) >= BSN_PASS_SHARE


def detect_column(header: object, values: pd.Series | None = None, trust_header: bool = True) -> Finding | None:
    """Whether a column holds identifiers: by its header (unless its values clearly are codes or areas), by its
    values, or both. `trust_header=False` (a code list) decides on the values only."""
    sample = _sample(values)
    kind = header_kind(header) if trust_header else None
    if kind is not None:
        if sample and kind == NAAM and _share(sample, lambda v: bool(_CODE_VALUE.match(v))) >= 0.8:
            kind = None  # a key column that happens to be called "Naam": codes, not names
        elif sample and kind == ADRES and header_key(header).startswith("postcode") and \
                _share(sample, lambda v: bool(_PC4.match(v))) >= 0.8:
            return None  # 4-digit postcode areas: an area like a wijk
        else:
            return Finding(kind, f"kop '{header}'")
    if not sample:
        return None
    if _bsn_column(sample):
        return Finding(BSN, "waarden zijn BSN-nummers (11-proef)")
    kinds = {v: _whole_kind(v) for v in sample}
    n = sum(sample.values())
    shares = Counter()
    for v, c in sample.items():
        if kinds[v] is not None and kinds[v] != BSN:  # a BSN column needs the 11-proef share above
            shares[kinds[v]] += c / n
    if not shares:
        return None
    best, share = shares.most_common(1)[0]
    if (n >= 2 or not trust_header) and share >= COLUMN_SHARE:
        return Finding(best, f"{share:.0%} van de waarden is een {LABELS[best]}")
    return None


def column_reason(header: object, values: pd.Series | None = None) -> str | None:
    finding = detect_column(header, values)
    return finding.reason if finding else None


# -- a series, a table, a registration -------------------------------------------------------------
@dataclass(frozen=True)
class Removal:
    kind: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None = None  # the scrubbed text, never the identifier


def _hits_by_value(series: pd.Series) -> dict:
    """{distinct value: (scrubbed, kinds)} for the values that hold an identifier; each value scrubbed once."""
    out = {}
    try:
        distinct = pd.unique(series.dropna().astype(object))
    except TypeError:  # an unhashable cell (never from a spreadsheet): look at every hashable value
        distinct = [v for v in series.dropna() if isinstance(v, (str, int, float))]
    for v in distinct:
        if isinstance(v, (str, int, float)) and not isinstance(v, bool):
            new, kinds = scrub_value(v)
            if kinds:
                out[v] = (new, kinds)
    return out


def scrub_series(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(scrubbed values, kinds removed per value as a list)."""
    hits = _hits_by_value(series)
    clean = series.astype(object).map(lambda v: hits[v][0] if _hashable_in(v, hits) else v)
    kinds = series.astype(object).map(lambda v: hits[v][1] if _hashable_in(v, hits) else [])
    return clean, kinds


def _hashable_in(v, hits: dict) -> bool:
    try:
        return v in hits
    except TypeError:
        return False


def scrub_column(frame: pd.DataFrame, column, sheet: str | None, header: str | None, rows: pd.Series | None
                 ) -> list[Removal]:
    """Scrub one column of a frame in place; one Removal per identifier with its sheet, row and header."""
    if column not in frame or frame.empty:
        return []
    hits = _hits_by_value(frame[column])
    if not hits:
        return []
    clean, kinds = scrub_series(frame[column])
    found = kinds.map(bool)
    frame[column] = clean.where(found, frame[column])
    out = []
    for idx in frame.index[found.to_numpy()]:
        row = rows.get(idx) if rows is not None else None
        row = int(row) if row is not None and pd.notna(row) else None
        text = clean[idx] if isinstance(clean[idx], str) else None
        out += [Removal(k, sheet, row, header, text) for k in kinds[idx]]
    return out


def report_removals(report: Report, removals: list[Removal]) -> None:
    """One warning per removal, with sheet, row and column; the scrubbed text as the value, never the identifier."""
    for r in removals:
        report.warning(r.sheet, r.row, r.column,
                       f"{REMOVED_VALUE} ({LABELS[r.kind]}): vervangen door {marker(r.kind)} en niet opgeslagen.",
                       FIX, r.value)


def report_column(report: Report, sheet: str | None, row: int | None, header: str, finding: Finding,
                  filled: int | None = None) -> None:
    cells = f" ({filled} gevulde cellen)" if filled else ""
    report.warning(sheet, row, header,
                   f"{REMOVED_COLUMN} ({LABELS[finding.kind]}){cells}: deze kolom wordt niet opgeslagen.", FIX)


def report_key(report: Report, sheet: str | None, header: str | None, finding: Finding) -> None:
    report.error(sheet, None, header,
                 f"{KEY_REFUSED} ({LABELS[finding.kind]}: {finding.why}); het bestand wordt niet ingelezen.", KEY_FIX)


def key_values(keys: pd.Series) -> pd.Series:
    """Per family key: the identifier kind when the key is wholly an e-mail address, phone number or BSN-like
    number written as such (a single key can show these; a name needs the whole column)."""
    def one(v):
        if not isinstance(v, str):
            return None
        if EMAIL_RE.fullmatch(v.strip()):
            return EMAIL
        hits = find(v.strip())
        if len(hits) == 1 and hits[0].start == 0 and hits[0].end == len(v.strip()) and hits[0].kind in (TELEFOON, IBAN):
            return hits[0].kind
        return None
    return vals.map_unique(vals.as_text(keys), one)


def check_family_keys(report: Report, keys: pd.Series, sheet: str | None, header: str | None,
                      rows: pd.Series | None = None) -> bool:
    """False (and an error in the report) when the family key is an identifier, as a column or per value."""
    finding = detect_column(header, keys)
    if finding is not None and finding.kind in KEY_KINDS:
        report_key(report, sheet, header, finding)
        return False
    kinds = key_values(keys)
    bad = kinds.notna()
    if bad.any():
        for idx in keys.index[bad.to_numpy()]:
            row = rows.get(idx) if rows is not None else None
            report.error(sheet, int(row) if row is not None and pd.notna(row) else None, header,
                         f"{KEY_REFUSED} ({LABELS[kinds[idx]]}); het bestand wordt niet ingelezen.", KEY_FIX)
        return False
    return True


def scrub_sheet(frame: pd.DataFrame, sheet: str | None, headers: dict, report: Report, key_column=None,
                row_column: str = "_row") -> pd.DataFrame:
    """A copy of one read sheet with identifiers scrubbed from every cell (row-level warnings) and its family-key
    column checked (an error refuses the file). `headers`: column → header as the user wrote it."""
    frame = frame.copy()
    rows = frame[row_column] if row_column in frame else None
    if key_column is not None and key_column in frame:
        keys = frame[key_column]
        filled = ~vals.is_empty(keys)
        check_family_keys(report, keys[filled], sheet, headers.get(key_column, str(key_column)),
                          rows[filled] if rows is not None else None)
    removals: list[Removal] = []
    for column in frame.columns:
        if column in (key_column, row_column):
            continue
        removals += scrub_column(frame, column, sheet, headers.get(column, str(column)), rows)
    report_removals(report, removals)
    return frame


TABLE_NAMES = {"families": "Gezinnen", "requests": "Hulpvragen", "measurements": "Voortgang", "hours": "Inzet"}


def scrub_registration(registration, report: bool = True) -> list[Removal]:
    """Scrub every text column of a `validation.Registration` (families, requests, measurements, hours, the
    *_raw columns included) in place and check its family keys. Removals found here (after the per-cell scrub of
    the readers, so normally none) are reported as one summary row per table, column and kind."""
    removals: list[Removal] = []
    for table, sheet in TABLE_NAMES.items():
        frame = getattr(registration, table)
        if frame is None or frame.empty:
            continue
        frame = frame.copy()
        for column in frame.columns:
            dtype = frame[column].dtype
            # object and pandas' string dtype ("str" by default in pandas 3) both hold text
            if column == "family_key" or not (pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)):
                continue
            removals += scrub_column(frame, column, sheet, column, None)
        setattr(registration, table, frame)
    if len(registration.families):
        check_family_keys(registration.report, registration.families["family_key"], TABLE_NAMES["families"],
                          "gezinscode")
    if report and removals:
        counts: dict[tuple, int] = {}
        for r in removals:
            counts[(r.sheet, r.column, r.kind)] = counts.get((r.sheet, r.column, r.kind), 0) + 1
        for (sheet, column, kind), n in counts.items():
            registration.report.warning(sheet, None, column,
                                        f"{REMOVED_VALUE} ({LABELS[kind]}): {n}× vervangen door {marker(kind)} en "
                                        "niet opgeslagen.", FIX)
    return removals


# -- what the user sees --------------------------------------------------------------------------
def removals_frame(report: Report) -> pd.DataFrame:
    """Per kind of personal data and place: how much was removed (the "Persoonsgegevens verwijderd" block)."""
    rows = []
    for issue in report.issues:
        if issue.message.startswith((REMOVED_VALUE, REMOVED_COLUMN, KEY_REFUSED)):
            kind = next((LABELS[k] for k in KINDS if f"({LABELS[k]}" in issue.message), "persoonsgegeven")
            what = ("gezinscode geweigerd" if issue.message.startswith(KEY_REFUSED)
                    else "kolom niet ingelezen" if issue.message.startswith(REMOVED_COLUMN)
                    else "uit tekst verwijderd")
            n = re.search(r"(\d+)× vervangen", issue.message)
            rows.append({"soort": kind, "wat": what, "blad": issue.sheet or "", "kolom": issue.column or "",
                         "aantal": int(n.group(1)) if n else 1, "rij": issue.row})
    cols = ["soort", "wat", "blad", "kolom", "aantal", "eerste rijen"]
    if not rows:
        return pd.DataFrame(columns=cols)
    frame = pd.DataFrame(rows)
    out = frame.groupby(["soort", "wat", "blad", "kolom"], sort=False).agg(
        aantal=("aantal", "sum"),
        rijen=("rij", lambda r: ", ".join(str(int(x)) for x in r.dropna().head(5)) + ("…" if r.notna().sum() > 5 else "")))
    return out.reset_index().rename(columns={"rijen": "eerste rijen"})[cols]


def removal_count(report: Report) -> int:
    frame = removals_frame(report)
    return int(frame["aantal"].sum()) if len(frame) else 0

