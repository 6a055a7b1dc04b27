"""Map raw help-request labels onto the taxonomy, at import and again later from the stored raw values."""
from __future__ import annotations

import pandas as pd
from sqlalchemy import select, update

from . import schema as s
from . import taxonomy as tx
from .values import map_unique


def map_requests(leefgebied_raw: pd.Series, categorie_raw: pd.Series) -> pd.DataFrame:
    """leefgebied, categorie, herkomst per row, plus flags for what could not be mapped.

    A known categorie fills in a missing leefgebied; a categorie that belongs to another
    leefgebied is dropped (the leefgebied as written wins).
    """
    matched = map_unique(leefgebied_raw, lambda v: tx.match_leefgebied(v) if isinstance(v, str) else (None, None))
    leefgebied = matched.map(lambda m: m[0]).astype(object)
    herkomst = matched.map(lambda m: m[1]).astype(object)
    categorie = map_unique(categorie_raw, lambda v: tx.match_categorie(v) if isinstance(v, str) else None)
    cat_lg = map_unique(categorie, lambda c: tx.CATEGORY_TO_LEEFGEBIED.get(c) if isinstance(c, str) else None)

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


def reapply(store) -> int:
    """Re-map every stored help request from its raw values with the current taxonomy.

    Returns the number of rows whose leefgebied, categorie or herkomst changed. Rows that can no
    longer be mapped keep their earlier mapping (nothing is dropped).
    """
    t = s.help_requests
    with store.engine.begin() as conn:
        rows = pd.read_sql(select(t.c.id, t.c.leefgebied_raw, t.c.categorie_raw, t.c.leefgebied, t.c.categorie,
                                  t.c.herkomst), conn)
        if rows.empty:
            return 0
        mapped = map_requests(rows["leefgebied_raw"].astype(object), rows["categorie_raw"].astype(object))
        ok = mapped["leefgebied"].notna()
        new = rows[["id"]].assign(leefgebied=mapped["leefgebied"], categorie=mapped["categorie"],
                                  herkomst=mapped["herkomst"])[ok]
        old = rows[ok]
        changed = (
            (new["leefgebied"] != old["leefgebied"])
            | (new["herkomst"] != old["herkomst"])
            | (new["categorie"].fillna("") != old["categorie"].fillna(""))
        )
        for rec in new[changed].itertuples():
            conn.execute(update(t).where(t.c.id == rec.id).values(
                leefgebied=rec.leefgebied, categorie=rec.categorie, herkomst=rec.herkomst))
        if changed.any():
            store.bump_revision(conn)
        return int(changed.sum())
