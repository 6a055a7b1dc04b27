"""Which needs come together: families with requests in both of two leefgebieden.

For each ordered pair (A, B) of leefgebieden: `families` = families with at least one counted request in A
and at least one in B; on the diagonal (A = A) that is simply the families with a request in A. Shares:
`families_pct` = families ÷ all families with a counted request (the base of metrics.needs), and
`conditional_pct` = families ÷ families with a request in A ("of the families with A, how many also have B").
Both with a 95% Wilson interval. The matrix is symmetric in `families` and `families_pct`.
"""
from __future__ import annotations

import pandas as pd

from . import disclosure, metrics, stats

COLUMNS = ["leefgebied", "samen_met", "families", "families_pct", "families_pct_lo", "families_pct_hi",
           "base_families", "conditional_pct", "conditional_pct_lo", "conditional_pct_hi"]


@disclosure.protects(disclosure.Rule(
    counts=("families", "base_families"),
    values=("families_pct", "families_pct_lo", "families_pct_hi", "conditional_pct", "conditional_pct_lo",
            "conditional_pct_hi"),
    note="per pair of leefgebieden; pairs overlap (a family is in many), so they are no partition of a total"))
def cooccurrence(requests: pd.DataFrame) -> pd.DataFrame:
    """Long frame, one row per (leefgebied, samen_met), every leefgebied of the taxonomy in order.
    `.attrs`: n_families (families with a counted request), te_beoordelen, leefgebieden (the order)."""
    counted, pending = metrics.counted_requests(requests)
    counted = counted[counted["leefgebied"].notna()]
    order = metrics._order_leefgebied(counted["leefgebied"])
    has = pd.crosstab(counted["family"], counted["leefgebied"]).reindex(columns=order, fill_value=0).gt(0).astype(int)
    both = has.T @ has  # families with requests in both leefgebieden; diagonal: with that leefgebied
    n_families = len(has)
    out = both.rename_axis(index="leefgebied", columns="samen_met").stack().rename("families").reset_index()
    out["families"] = out["families"].astype(int)
    out["base_families"] = out["leefgebied"].map(pd.Series(both.to_numpy().diagonal(), index=order)).astype(int)
    out["families_pct"] = metrics.pct(out["families"], n_families)
    out["conditional_pct"] = metrics.pct(out["families"], out["base_families"])
    out = stats.with_wilson(out, "families", n_families, "families_pct")
    out = stats.with_wilson(out, "families", "base_families", "conditional_pct")
    out = out[COLUMNS]
    out.attrs.update(n_families=n_families, te_beoordelen=pending, leefgebieden=order)
    return out


def pairs(table: pd.DataFrame) -> pd.DataFrame:
    """The distinct pairs (A before B in taxonomy order, diagonal left out), most frequent first.

    Not protected again: it only selects rows of `cooccurrence`'s result, so a protected table gives protected
    pairs (hidden pairs last, `verborgen` kept, attrs `suppressed` counted over the pairs shown here)."""
    rank = {lg: i for i, lg in enumerate(table.attrs.get("leefgebieden") or dict.fromkeys(table["leefgebied"]))}
    off = table[table["leefgebied"].map(rank) < table["samen_met"].map(rank)]
    out = off.sort_values("families", ascending=False, kind="stable", na_position="last").reset_index(drop=True)
    out.attrs.update(table.attrs)
    if disclosure.is_protected(out):
        out.attrs["suppressed"] = int(out[disclosure.HIDDEN].sum())
    return out
