"""Needs per leefgebied broken down by a grouping of families (organisation, family background…).

Each group is measured like the whole (metrics.needs): the share of the group's families with a
request that has at least one request in the leefgebied, and the leefgebied's share of the group's
requests, both with a 95% Wilson interval, and a flag for groups below the minimum n.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from . import disclosure, metrics, stats

UNKNOWN = "onbekend"
COLUMNS = ["group", "leefgebied", "families", "n_families", "families_pct", "families_pct_lo", "families_pct_hi",
           "requests", "n_requests", "requests_pct", "requests_pct_lo", "requests_pct_hi", "small"]


def group_order(values: Iterable, known: Iterable[str] = ()) -> list[str]:
    """Known groups first (in their order), then others alphabetically, 'onbekend' always last."""
    present = set(values)
    known = [g for g in known if g in present and g != UNKNOWN]
    extra = sorted(present - set(known) - {UNKNOWN})
    return known + extra + ([UNKNOWN] if UNKNOWN in present else [])


def needs_by_group(requests: pd.DataFrame, group_of: pd.Series, known: Iterable[str] = (),
                   min_n: int | None = None) -> pd.DataFrame:
    """Per group × leefgebied (every leefgebied of the taxonomy, zeros included).

    `group_of` maps family → group; a family it does not know, or maps to nothing, is 'onbekend' (counted,
    never dropped). n of a group = its families with at least one counted request; `small` marks n < min_n.
    Requests still to be reviewed are left out (`.attrs["te_beoordelen"]`)."""
    min_n = metrics.resolve_min_n(min_n)
    counted, pending = metrics.counted_requests(requests)
    groups = counted["family"].map(group_of).astype(object)
    frame = counted.assign(group=groups.where(groups.notna(), UNKNOWN).astype(str))
    order = group_order(frame["group"], known)
    leefgebieden = metrics._order_leefgebied(frame["leefgebied"].dropna())
    sizes = frame.groupby("group").agg(n_families=("family", "nunique"), n_requests=("family", "size"))
    cells = frame.groupby(["group", "leefgebied"]).agg(families=("family", "nunique"), requests=("family", "size"))
    full = pd.MultiIndex.from_product([order, leefgebieden], names=["group", "leefgebied"])
    out = cells.reindex(full, fill_value=0).reset_index().join(sizes, on="group")
    out["families_pct"] = metrics.pct(out["families"], out["n_families"])
    out["requests_pct"] = metrics.pct(out["requests"], out["n_requests"])
    out = stats.with_wilson(out, "families", "n_families", "families_pct")
    out = stats.with_wilson(out, "requests", "n_requests", "requests_pct")
    out["small"] = out["n_families"] < min_n
    out = out[COLUMNS]
    out.attrs.update(
        groups={g: int(sizes.loc[g, "n_families"]) for g in order},
        n_families=int(frame["family"].nunique()), n_requests=len(frame), te_beoordelen=pending, min_n=min_n,
    )
    return out


RULE = disclosure.Rule(
    counts=("families", "requests", "n_families", "n_requests"),
    complement_of=(("families", "n_families"),),
    values=("families_pct", "families_pct_lo", "families_pct_hi", "requests_pct", "requests_pct_lo",
            "requests_pct_hi"),
    note="per group × leefgebied; within a group the requests add up to its n_requests, within a leefgebied the "
         "groups add up to needs() (families and requests), and the group sizes add up to n_families")
WITHIN = ((("group",), "requests"), (("leefgebied",), "families"), (("leefgebied",), "requests"))
_GROUP_HIDDEN = "_groep_verborgen"


def hidden_groups(sizes: dict[str, int], k: int) -> set[str]:
    """Groups whose size may not be shown: 1..k-1, plus the complementary ones (the sizes add up to a shown n)."""
    series = pd.Series(sizes, dtype="int64")
    small = (series >= 1) & (series < k)
    return set(series.index[disclosure.complementary(series, small, k)])


def protect_groups(out: pd.DataFrame, who) -> pd.DataFrame:
    """`needs_by_group`'s result for an audience that does not own it: rows hidden as `RULE` and `WITHIN` say, and
    every row of a group whose size is hidden; that group's size in attrs["groups"] becomes None."""
    hidden = hidden_groups(out.attrs.get("groups", {}), who.k)
    frame = out.assign(**{_GROUP_HIDDEN: out["group"].isin(hidden).astype(int)})
    frame.attrs = dict(out.attrs)
    rule = disclosure.Rule(counts=(*RULE.counts, _GROUP_HIDDEN), values=RULE.values)
    protected = disclosure.protect_rows(frame, rule, WITHIN, who)
    attrs = dict(protected.attrs)
    protected = protected.drop(columns=_GROUP_HIDDEN)
    attrs["groups"] = {g: (None if g in hidden else n) for g, n in attrs.get("groups", {}).items()}
    protected.attrs = attrs
    return protected


@disclosure.protects(RULE, within=WITHIN, shape=protect_groups)
def needs_by_organisation(requests: pd.DataFrame, min_n: int | None = None) -> pd.DataFrame:
    """`needs_by_group` with one group per organisation (alphabetical): the small multiples' data."""
    organisation_of = requests.drop_duplicates("family").set_index("family")["organisation"]
    return needs_by_group(requests, organisation_of, sorted(organisation_of.dropna().unique()), min_n)
