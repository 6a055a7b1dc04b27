"""Overzicht: families per organisation."""
from __future__ import annotations

import altair as alt
import pandas as pd

from gezinsmonitor import taxonomy as tx

from .base import STATUS_COLORS
from .base import hidden_mark
from .needs import HIDDEN_COLOR

__all__ = ["HIDDEN_SPLIT", "overview_bars"]

HIDDEN_SPLIT = "lopend/afgerond verborgen"  # a protected row whose split is hidden: one grey bar of its families


def overview_bars(table: pd.DataFrame) -> alt.Chart:
    """Families per organisation, lopend vs afgerond stacked. Where a protected table hides the split (a count
    below k), the organisation's families are one grey bar, its tooltip saying '<10' for the split."""
    long = table[["organisatie", *tx.STATUSES]].melt(id_vars="organisatie", value_vars=list(tx.STATUSES), var_name="status", value_name="gezinnen")
    long = long[long["gezinnen"].notna()]
    long["aantal"] = long["gezinnen"].map(lambda v: f"{int(v)}")
    colors = dict(STATUS_COLORS)
    split_hidden = (table[list(tx.STATUSES)].isna().any(axis=1) & table["gezinnen"].notna()
                    if "gezinnen" in table else pd.Series(False, index=table.index))
    if split_hidden.any():
        grey = table.loc[split_hidden, ["organisatie", "gezinnen"]].assign(status=HIDDEN_SPLIT)
        grey["aantal"] = grey["gezinnen"].map(lambda v: f"{int(v)} (lopend en afgerond: {hidden_mark(table)})")
        long = pd.concat([long, grey[long.columns]], ignore_index=True)
        colors[HIDDEN_SPLIT] = HIDDEN_COLOR
    long.attrs = {}
    return (
        alt.Chart(long, title="Gezinnen per organisatie", height=alt.Step(28))
        .mark_bar()
        .encode(
            y=alt.Y("organisatie:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)),
            x=alt.X("sum(gezinnen):Q", title="Aantal gezinnen"),
            color=alt.Color("status:N", title="Status",
                            scale=alt.Scale(domain=list(colors), range=list(colors.values()))),
            tooltip=["organisatie:N", "status:N", alt.Tooltip("aantal:N", title="gezinnen")],
        )
    )
