"""Pure helpers for the pages Te beoordelen and Taxonomie (no Streamlit calls: tested directly).

- the review queue as an editable table and the decisions a person ticked in it;
- the taxonomy as two editable tables (leefgebieden/categories and synonyms) and back, with
  validation that returns Dutch messages;
- the content of an earlier taxonomy version, to restore it as a new version;
- a short Dutch summary of what a re-harmonisation moved.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import select

from gezinsmonitor import schema as s
from gezinsmonitor import taxonomy as tx

CATEGORY_COLUMNS = ["leefgebied", "categorie"]
SYNONYM_COLUMNS = ["synoniem", "leefgebied", "categorie"]
QUEUE_COLUMNS = ["tekst", "voorstel leefgebied", "zekerheid", "aantal", "organisaties",
                 "leefgebied", "categorie", "bevestigen"]
MOVED_COLUMNS = ["van leefgebied", "van categorie", "naar leefgebied", "naar categorie", "herkomst", "aantal"]


def cell_text(value: object) -> str:
    """A cell as stripped text; None, NaN and pd.NA become ""."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value).strip()


# -- taxonomy <-> frames ------------------------------------------------------------------------
def taxonomy_frames(taxonomy: tx.Taxonomy) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(categories, synonyms) as editable tables.

    categories: one row per (leefgebied, categorie); a leefgebied without categories is one row with
    an empty categorie. synonyms: synoniem (the normalised key), leefgebied, categorie ("" = none).
    """
    rows = [(lg, cat) for lg, cats in taxonomy.leefgebieden.items() for cat in (cats or ("",))]
    categories = pd.DataFrame(rows, columns=CATEGORY_COLUMNS, dtype=object)
    synonyms = pd.DataFrame(
        [(key, lg, cat or "") for key, (lg, cat) in sorted(taxonomy.synonyms.items())],
        columns=SYNONYM_COLUMNS, dtype=object)
    return categories, synonyms


@dataclass
class TaxonomyEdit:
    """The outcome of reading the edited tables: a taxonomy when valid, else Dutch errors."""

    taxonomy: tx.Taxonomy | None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.taxonomy is not None and not self.errors


def _column(frame: pd.DataFrame | None, name: str) -> list[str]:
    if frame is None or name not in frame:
        return [""] * (0 if frame is None else len(frame))
    return [cell_text(v) for v in frame[name].tolist()]


def taxonomy_from_frames(categories: pd.DataFrame, synonyms: pd.DataFrame | None,
                         version: int = 0) -> TaxonomyEdit:
    """Build and validate a taxonomy from the two tables. Rows that are entirely empty are ignored
    (an editor's new, unfilled row). Row numbers in messages count from 1, as shown in the table."""
    errors: list[str] = []
    leefgebieden: dict[str, list[str]] = {}
    lg_by_key: dict[str, str] = {}
    cat_owner: dict[str, tuple[str, str]] = {}  # normalised categorie -> (leefgebied, categorie)

    for i, (lg, cat) in enumerate(zip(_column(categories, "leefgebied"), _column(categories, "categorie")), start=1):
        if not lg and not cat:
            continue
        if not lg:
            errors.append(f"Leefgebieden, rij {i}: categorie '{cat}' heeft geen leefgebied. "
                          "Vul het leefgebied in of verwijder de rij.")
            continue
        key = tx.normalise_label(lg)
        if key in lg_by_key and lg_by_key[key] != lg:
            errors.append(f"Leefgebieden, rij {i}: '{lg}' en '{lg_by_key[key]}' zijn dezelfde naam in een andere "
                          "schrijfwijze. Kies één schrijfwijze.")
            continue
        lg_by_key.setdefault(key, lg)
        cats = leefgebieden.setdefault(lg, [])
        if not cat:
            continue
        ckey = tx.normalise_label(cat)
        if ckey in cat_owner:
            owner_lg, owner_cat = cat_owner[ckey]
            if owner_lg == lg:
                errors.append(f"Leefgebieden, rij {i}: categorie '{cat}' staat twee keer bij {lg}.")
            else:
                errors.append(f"Leefgebieden, rij {i}: categorie '{cat}' staat al bij {owner_lg} ('{owner_cat}'). "
                              "Een categorie hoort bij precies één leefgebied.")
            continue
        cat_owner[ckey] = (lg, cat)
        cats.append(cat)
    if not leefgebieden:
        errors.append("Er is geen enkel leefgebied: de taxonomie heeft minstens één leefgebied nodig.")

    synonym_map: dict[str, tuple[str, str | None]] = {}
    first_row: dict[str, int] = {}
    for i, (name, lg, cat) in enumerate(zip(_column(synonyms, "synoniem"), _column(synonyms, "leefgebied"),
                                            _column(synonyms, "categorie")), start=1):
        if not name and not lg and not cat:
            continue
        label = f"Synoniemen, rij {i}" + (f" ('{name}')" if name else "")
        if not name:
            errors.append(f"{label}: het synoniem is leeg. Vul de tekst in of verwijder de rij.")
            continue
        key = tx.normalise_label(name)
        if key in first_row:
            errors.append(f"{label}: dit synoniem staat ook in rij {first_row[key]} "
                          "(hoofdletters, accenten en spaties tellen niet mee). Houd er één over.")
            continue
        first_row[key] = i
        if not lg:
            errors.append(f"{label}: kies het leefgebied waar dit synoniem naar verwijst.")
            continue
        if lg not in leefgebieden:
            errors.append(f"{label}: leefgebied '{lg}' bestaat niet in de taxonomie.")
            continue
        if cat and cat not in leefgebieden[lg]:
            owner = cat_owner.get(tx.normalise_label(cat))
            where = f" (die hoort bij {owner[0]})" if owner else ""
            errors.append(f"{label}: categorie '{cat}' hoort niet bij leefgebied {lg}{where}.")
            continue
        synonym_map[key] = (lg, cat or None)

    if errors:
        return TaxonomyEdit(None, errors)
    return TaxonomyEdit(tx.Taxonomy({lg: tuple(c) for lg, c in leefgebieden.items()}, synonym_map, version))


def same_content(a: tx.Taxonomy, b: tx.Taxonomy) -> bool:
    """True when two taxonomies differ at most in their version number."""
    return a.to_json() == b.to_json()


def taxonomy_changes(old: tx.Taxonomy, new: tx.Taxonomy) -> list[str]:
    """What an edit changes, in Dutch, one line per kind of change (empty: nothing)."""
    lines = []
    added = [lg for lg in new.leefgebieden if lg not in old.leefgebieden]
    removed = [lg for lg in old.leefgebieden if lg not in new.leefgebieden]
    if added:
        lines.append("Nieuwe leefgebieden: " + ", ".join(added) + ".")
    if removed:
        lines.append("Verwijderde leefgebieden: " + ", ".join(removed) + ". Hulpvragen die daar stonden en niet "
                     "anders te plaatsen zijn, gaan naar Te beoordelen.")
    old_cats, new_cats = old.category_to_leefgebied, new.category_to_leefgebied
    added_c = [f"{c} ({lg})" for c, lg in new_cats.items() if c not in old_cats]
    removed_c = [f"{c} ({lg})" for c, lg in old_cats.items() if c not in new_cats]
    moved_c = [f"{c} ({old_cats[c]} → {lg})" for c, lg in new_cats.items() if c in old_cats and old_cats[c] != lg]
    if added_c:
        lines.append("Nieuwe categorieën: " + ", ".join(added_c) + ".")
    if removed_c:
        lines.append("Verwijderde categorieën: " + ", ".join(removed_c) + ".")
    if moved_c:
        lines.append("Verplaatste categorieën: " + ", ".join(moved_c) + ".")
    added_s = [k for k in new.synonyms if k not in old.synonyms]
    removed_s = [k for k in old.synonyms if k not in new.synonyms]
    changed_s = [k for k in new.synonyms if k in old.synonyms and old.synonyms[k] != new.synonyms[k]]
    if added_s:
        lines.append(f"Nieuwe synoniemen ({len(added_s)}): " + ", ".join(sorted(added_s)) + ".")
    if removed_s:
        lines.append(f"Verwijderde synoniemen ({len(removed_s)}): " + ", ".join(sorted(removed_s)) + ".")
    if changed_s:
        lines.append(f"Gewijzigde synoniemen ({len(changed_s)}): " + ", ".join(sorted(changed_s)) + ".")
    return lines


def taxonomy_version(store, version: int) -> tx.Taxonomy:
    """The content of a saved taxonomy version (0 = the built-in default). KeyError when unknown."""
    if int(version) == 0:
        return tx.DEFAULT_TAXONOMY
    t = s.taxonomy_versions
    with store.engine.connect() as conn:
        content = conn.execute(select(t.c.content).where(t.c.version == int(version))).scalar()
    if content is None:
        raise KeyError(version)
    return tx.Taxonomy.from_json(content, int(version))


def history_view(history: pd.DataFrame) -> pd.DataFrame:
    """The version history in Dutch column names, newest first."""
    return pd.DataFrame({
        "versie": history["version"].astype(int),
        "tijdstip (UTC)": pd.to_datetime(history["created_at"]),
        "door": history["author"].fillna(""),
        "toelichting": history["note"].fillna(""),
    }).reset_index(drop=True)


# -- review queue -------------------------------------------------------------------------------
def queue_editor_frame(queue: pd.DataFrame, taxonomy: tx.Taxonomy) -> pd.DataFrame:
    """The queue with the columns a person fills in: leefgebied (pre-filled with the suggestion when
    there is one in the current taxonomy), categorie and bevestigen."""
    frame = queue.reindex(columns=QUEUE_COLUMNS[:5]).copy()
    suggestion = frame["voorstel leefgebied"].astype(object)
    some = pd.to_numeric(frame["zekerheid"]).fillna(0) > 0  # at 0 the stored Overig is a placeholder
    frame["voorstel leefgebied"] = suggestion.where(some, "")
    frame["leefgebied"] = suggestion.where(some & suggestion.isin(list(taxonomy.leefgebied_names)), None).astype(object)
    frame["categorie"] = pd.Series([""] * len(frame), index=frame.index, dtype=object)
    frame["bevestigen"] = False
    return frame.reset_index(drop=True)


@dataclass(frozen=True)
class Decision:
    tekst: str
    leefgebied: str
    categorie: str | None


def ticked_decisions(edited: pd.DataFrame, taxonomy: tx.Taxonomy) -> tuple[list[Decision], list[str]]:
    """The ticked rows as decisions, or Dutch errors (then nothing may be stored)."""
    decisions, errors = [], []
    if edited is None or edited.empty or "bevestigen" not in edited:
        return decisions, errors
    ticked = edited[edited["bevestigen"].eq(True)]
    for row in ticked.itertuples(index=False):
        tekst, lg, cat = cell_text(row.tekst), cell_text(row.leefgebied), cell_text(row.categorie)
        if not tekst:
            errors.append("Een aangevinkte rij heeft geen tekst; die kan niet worden onthouden.")
        elif not lg:
            errors.append(f"'{tekst}': kies eerst een leefgebied.")
        elif lg not in taxonomy.leefgebieden:
            errors.append(f"'{tekst}': leefgebied '{lg}' bestaat niet in de huidige taxonomie.")
        elif cat and cat not in taxonomy.leefgebieden[lg]:
            owner = taxonomy.category_to_leefgebied.get(cat)
            where = f"; die categorie hoort bij {owner}" if owner else ""
            errors.append(f"'{tekst}': categorie '{cat}' hoort niet bij leefgebied {lg}{where}. "
                          "Kies een categorie van dit leefgebied of laat de categorie leeg.")
        else:
            decisions.append(Decision(tekst, lg, cat or None))
    return decisions, errors


def all_categories(taxonomy: tx.Taxonomy) -> list[str]:
    """"" (no categorie) followed by every categorie in taxonomy order."""
    return [""] + [c for cats in taxonomy.leefgebieden.values() for c in cats]


def decisions_view(decisions: pd.DataFrame) -> pd.DataFrame:
    """Remembered decisions in Dutch column names, newest first."""
    cols = ["tekst", "leefgebied", "categorie", "besloten door", "tijdstip (UTC)", "sleutel"]
    if decisions.empty:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame({
        "tekst": decisions["example"].fillna(decisions["key"]),
        "leefgebied": decisions["leefgebied"],
        "categorie": decisions["categorie"].fillna(""),
        "besloten door": decisions["decided_by"].fillna(""),
        "tijdstip (UTC)": pd.to_datetime(decisions["decided_at"]),
        "sleutel": decisions["key"],
    }).reset_index(drop=True)


# -- what moved ---------------------------------------------------------------------------------
def moved_view(moved: pd.DataFrame) -> pd.DataFrame:
    """reapply's result as "van → naar" with a count, for display."""
    if moved is None or moved.empty:
        return pd.DataFrame(columns=["van", "naar", "herkomst", "aantal"])

    def side(lg: pd.Series, cat: pd.Series) -> pd.Series:
        cat = cat.fillna("").astype(str)
        return lg.fillna("").astype(str) + cat.map(lambda c: f" – {c}" if c else "")

    return pd.DataFrame({
        "van": side(moved["van leefgebied"], moved["van categorie"]),
        "naar": side(moved["naar leefgebied"], moved["naar categorie"]),
        "herkomst": moved["herkomst"],
        "aantal": moved["aantal"].astype(int),
    }).reset_index(drop=True)


def moved_summary(moved: pd.DataFrame) -> str:
    """One Dutch sentence: how many help requests moved, how many left the queue and how many went in."""
    if moved is None or moved.empty:
        return "Niets verschoven: alle opgeslagen hulpvragen stonden al goed."
    total = int(moved["aantal"].sum())
    to_queue = int(moved.loc[moved["herkomst"] == tx.HERKOMST_TE_BEOORDELEN, "aantal"].sum())
    by_person = int(moved.loc[moved["herkomst"] == tx.HERKOMST_PERSOON, "aantal"].sum())
    parts = [f"{total} {'hulpvraag' if total == 1 else 'hulpvragen'} opnieuw ingedeeld"]
    if by_person:
        parts.append(f"{by_person} volgens een beslissing van een persoon")
    if to_queue:
        parts.append(f"{to_queue} naar Te beoordelen")
    return ", ".join(parts) + "."
