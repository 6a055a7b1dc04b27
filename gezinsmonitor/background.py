"""Family background (DOMAIN §3.5) as groups: gezinssamenstelling, number of children, taal, schulden.

A family whose field is empty, or says onbekend, is in the group 'onbekend': counted, never dropped.
A field nobody filled in (every family 'onbekend') is reported as empty rather than drawn.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import breakdown, disclosure, metrics
from . import taxonomy as tx

UNKNOWN = breakdown.UNKNOWN


@dataclass(frozen=True)
class Dimension:
    key: str
    column: str  # in Dataset.families
    label: str  # Dutch, for headings
    phrase: str  # Dutch, inside a sentence ("Nederlandse" keeps its capital)
    groups: tuple[str, ...]  # known groups in display order ('onbekend' comes last by itself)


DIMENSIONS: dict[str, Dimension] = {d.key: d for d in (
    Dimension("composition", "composition", "Gezinssamenstelling", "gezinssamenstelling",
              tuple(g for g in tx.GEZINSSAMENSTELLING if g != UNKNOWN)),
    Dimension("children", "children", "Aantal kinderen", "aantal kinderen", ("0", "1", "2", "3", "4+")),
    Dimension("language", "language", "Beheersing Nederlandse taal", "beheersing Nederlandse taal",
              ("goed", "voldoende", "matig", "slecht")),
    Dimension("debts", "debts", "Schulden", "schulden", tuple(g for g in tx.SCHULDEN if g != UNKNOWN)),
)}
CHILDREN_TOP = 4  # 4 or more children share one group


def _children_group(value) -> str:
    number = pd.to_numeric(value, errors="coerce")
    if pd.isna(number) or number < 0:
        return UNKNOWN
    number = int(number)
    return f"{CHILDREN_TOP}+" if number >= CHILDREN_TOP else str(number)


def _text_group(value) -> str:
    if value is None or pd.isna(value) or not str(value).strip():
        return UNKNOWN
    return str(value).strip().lower()


def background_groups(families: pd.DataFrame, dimension: str) -> pd.Series:
    """family → group of this dimension ('onbekend' for an empty or unknown value); one row per family."""
    dim = DIMENSIONS[dimension]
    fam = families.drop_duplicates("family", keep="last").set_index("family")
    if dim.column not in fam:  # an older store without the column: nothing is known
        return pd.Series(UNKNOWN, index=fam.index, dtype=object, name=dimension)
    to_group = _children_group if dimension == "children" else _text_group
    return fam[dim.column].map(to_group).astype(object).rename(dimension)


def _protect_background(out: pd.DataFrame, who) -> pd.DataFrame:
    """As `breakdown.protect_groups`; the counts in attrs that could give a small group away become None: the
    sizes of hidden groups (with or without a request), `known` when the 'onbekend' group is hidden (known =
    families − onbekend), and `without_request` when it is 1..k-1."""
    protected = breakdown.protect_groups(out, who)
    attrs = dict(protected.attrs)
    sizes = attrs.get("group_sizes", {})
    hidden = breakdown.hidden_groups(sizes, who.k) | {g for g, n in attrs["groups"].items() if n is None}
    attrs["group_sizes"] = {g: (None if g in hidden else n) for g, n in sizes.items()}
    if UNKNOWN in hidden:
        attrs["known"] = None
    if 0 < (attrs.get("without_request") or 0) < who.k:
        attrs["without_request"] = None
    protected.attrs = attrs
    return protected


@disclosure.protects(breakdown.RULE, within=breakdown.WITHIN, shape=_protect_background)
def needs_by_background(requests: pd.DataFrame, families: pd.DataFrame, dimension: str,
                        min_n: int | None = None) -> pd.DataFrame:
    """Per background group × leefgebied: the share of the group's families with a request that have one in
    the leefgebied (and of the group's requests), with Wilson intervals and the small-n flag (breakdown).

    `.attrs` adds: `dimension`, `label`, `phrase`, `families` (all families in the data), `known` (families with a known
    value), `empty` (no family has a known value: say so instead of drawing), `without_request` (families
    without a counted request: not in any n) and `group_sizes` (all families per group, with or without
    a request)."""
    dim = DIMENSIONS[dimension]
    groups = background_groups(families, dimension)
    out = breakdown.needs_by_group(requests, groups, dim.groups, min_n)
    with_request = set(metrics.counted_requests(requests)[0]["family"])
    sizes = groups.value_counts()
    out.attrs.update(
        dimension=dimension, label=dim.label, phrase=dim.phrase, families=len(groups), known=int((groups != UNKNOWN).sum()),
        empty=bool((groups == UNKNOWN).all()), without_request=int((~groups.index.isin(with_request)).sum()),
        group_sizes={g: int(sizes[g]) for g in breakdown.group_order(sizes.index, dim.groups)},
    )
    return out
