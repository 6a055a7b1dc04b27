"""Map raw help-request labels onto the taxonomy, at import and again later from the stored raw values."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import select, update

from . import audit
from . import schema as s
from . import taxonomy as tx
from . import vocabulary as vocab
from .values import map_unique


def map_requests(leefgebied_raw: pd.Series, categorie_raw: pd.Series,
                 taxonomy: tx.Taxonomy = tx.DEFAULT_TAXONOMY) -> pd.DataFrame:
    """The registratieformat's leefgebied and categorie columns: leefgebied, categorie, herkomst per
    row, plus flags for what could not be mapped.

    Labels go through the same vocabulary as own layouts (names, synonyms of the taxonomy, other
    vocabularies, typos), but only certain matches count: the format refuses what it does not know.
    A known categorie fills in a missing leefgebied; a categorie that belongs to another leefgebied
    is dropped (the leefgebied as written wins).
    """
    def label(v):
        m = vocab.classify_label(v, taxonomy) if isinstance(v, str) else None
        return (m.leefgebied, m.categorie, m.herkomst) if m is not None and m.certain else (None, None, None)

    lg_match = map_unique(leefgebied_raw, label)
    cat_match = map_unique(categorie_raw, label)
    leefgebied = lg_match.map(lambda m: m[0]).astype(object)
    herkomst = lg_match.map(lambda m: m[2]).astype(object)
    categorie = cat_match.map(lambda m: m[1]).astype(object)
    cat_lg = cat_match.map(lambda m: m[0] if m[1] else None).astype(object)

    derive = leefgebied.isna() & leefgebied_raw.isna() & cat_lg.notna()
    leefgebied = leefgebied.where(~derive, cat_lg)
    herkomst = herkomst.where(~derive, tx.HERKOMST_AFGELEID)
    mismatch = categorie.notna() & leefgebied.notna() & (cat_lg != leefgebied)
    return pd.DataFrame({
        "leefgebied": leefgebied,
        "categorie": categorie.where(~mismatch, None),
        "herkomst": herkomst,
        "missing_leefgebied": leefgebied.isna() & leefgebied_raw.isna(),
        "unknown_leefgebied": leefgebied.isna() & leefgebied_raw.notna(),
        "unknown_categorie": categorie_raw.notna() & categorie.isna(),
        "categorie_mismatch": mismatch,
    })


def _classify_one(label, lg_raw, cat_raw, taxonomy, learned):
    """One help request from its raw parts: a person's decision first, then the leefgebied as
    written, then the categorie, then the free text. Returns a vocabulary.Match."""
    if label and vocab.learned_key(label) in learned:
        return vocab.classify_request(label, taxonomy, learned)
    if lg_raw:
        m = vocab.classify_label(lg_raw, taxonomy, learned)
        if m.leefgebied:
            cat = None
            if cat_raw:
                c = vocab.classify_label(cat_raw, taxonomy, learned)
                cat = c.categorie if c.leefgebied == m.leefgebied else None
            if cat is None and label:
                r = vocab.classify_request(label, taxonomy, learned)
                cat = r.categorie if r.leefgebied == m.leefgebied else None
                # A domain of another vocabulary (ZRM, social teams) is broad; a clear description
                # naming a categorie elsewhere says more ("geloof" filed under Maatschappelijke participatie).
                if cat is None and m.herkomst != tx.HERKOMST_FORMAT and r.certain and r.categorie:
                    return vocab.Match(r.leefgebied, r.categorie, r.herkomst, r.confidence,
                                       f"omschrijving gaat voor '{lg_raw}': {r.reason}")
            if cat is None and m.categorie:
                cat = m.categorie
            return vocab.Match(m.leefgebied, cat, m.herkomst, m.confidence, m.reason)
        if not label:
            return m
    if cat_raw:
        c = vocab.classify_label(cat_raw, taxonomy, learned)
        if c.leefgebied and c.categorie:
            herkomst = tx.HERKOMST_AFGELEID if c.certain else c.herkomst
            return vocab.Match(c.leefgebied, c.categorie, herkomst, c.confidence, c.reason)
    if label:
        return vocab.classify_request(label, taxonomy, learned)
    return vocab.Match(None, None, tx.HERKOMST_TE_BEOORDELEN, 0.0, "lege hulpvraag")


def classify_rows(label_raw: pd.Series, leefgebied_raw: pd.Series, categorie_raw: pd.Series,
                  taxonomy: tx.Taxonomy = tx.DEFAULT_TAXONOMY, learned: dict | None = None) -> pd.DataFrame:
    """leefgebied, categorie, herkomst, confidence, reason and the suggestion per help request.

    Uncertain rows get herkomst "te beoordelen": they wait for a person and are not counted. Their
    leefgebied holds the suggestion (or Overig when there is none), since the column may not be empty.
    """
    learned = learned or {}
    parts = pd.DataFrame({"l": label_raw.astype(object), "g": leefgebied_raw.astype(object),
                          "c": categorie_raw.astype(object)}).reset_index(drop=True)
    parts = parts.where(parts.notna(), None)
    cache: dict = {}
    out = []
    for l, g, c in parts.itertuples(index=False, name=None):
        key = (l, g, c)
        if key not in cache:
            m = _classify_one(l, g, c, taxonomy, learned)
            certain = m.certain
            cache[key] = (
                m.leefgebied if m.leefgebied else "Overig",
                m.categorie if certain else None,
                m.herkomst if certain else tx.HERKOMST_TE_BEOORDELEN,
                float(m.confidence),
                m.reason,
                m.leefgebied,
            )
        out.append(cache[key])
    frame = pd.DataFrame(out, columns=["leefgebied", "categorie", "herkomst", "confidence", "reason", "suggestion"])
    frame.index = label_raw.index
    return frame


def reapply(store, taxonomy: tx.Taxonomy | None = None) -> pd.DataFrame:
    """Re-map every stored help request from its raw values with the current taxonomy and the
    remembered decisions of persons. Returns what moved: one row per (from, to) with a count.
    Nothing is dropped: a row that can no longer be mapped goes to the review queue."""
    t = s.help_requests
    taxonomy = taxonomy or store.taxonomy()
    learned = store.learned_values()
    moved_cols = ["van leefgebied", "van categorie", "naar leefgebied", "naar categorie", "herkomst", "aantal"]
    with store.engine.begin() as conn:
        rows = pd.read_sql(select(t.c.id, t.c.label_raw, t.c.leefgebied_raw, t.c.categorie_raw, t.c.leefgebied,
                                  t.c.categorie, t.c.herkomst, t.c.confidence), conn)
        if rows.empty:
            return pd.DataFrame(columns=moved_cols)
        mapped = classify_rows(rows["label_raw"], rows["leefgebied_raw"], rows["categorie_raw"], taxonomy, learned)
        changed = (
            (mapped["leefgebied"] != rows["leefgebied"])
            | (mapped["herkomst"] != rows["herkomst"])
            | (mapped["categorie"].fillna("") != rows["categorie"].fillna(""))
        )
        if not changed.any():
            return pd.DataFrame(columns=moved_cols)
        new = mapped[changed].assign(id=rows.loc[changed, "id"])
        for rec in new.itertuples():
            conn.execute(update(t).where(t.c.id == int(rec.id)).values(
                leefgebied=rec.leefgebied, categorie=rec.categorie, herkomst=rec.herkomst, confidence=rec.confidence))
        store.bump_revision(conn)
        audit.record(conn, audit.REHARMONISED, None,
                     f"{int(changed.sum())} hulpvragen anders ingedeeld (taxonomie versie {taxonomy.version})")
    moved = pd.DataFrame({
        "van leefgebied": rows.loc[changed, "leefgebied"], "van categorie": rows.loc[changed, "categorie"].fillna(""),
        "naar leefgebied": mapped.loc[changed, "leefgebied"], "naar categorie": mapped.loc[changed, "categorie"].fillna(""),
        "herkomst": mapped.loc[changed, "herkomst"],
    })
    return moved.groupby(list(moved.columns), dropna=False).size().rename("aantal").reset_index() \
        .sort_values("aantal", ascending=False, kind="stable").reset_index(drop=True)
