"""Overzicht: families per organisation."""
from __future__ import annotations

import altair as alt
import pandas as pd

from gezinsmonitor import taxonomy as tx

from .base import STATUS_COLORS


def overview_bars(table: pd.DataFrame) -> alt.Chart:
    """Families per organisation, lopend vs afgerond stacked."""
    long = table[["organisatie", *tx.STATUSES]].melt(id_vars="organisatie", value_vars=list(tx.STATUSES), var_name="status", value_name="gezinnen")
    return (
        alt.Chart(long, title="Gezinnen per organisatie", height=alt.Step(28))
        .mark_bar()
        .encode(
            y=alt.Y("organisatie:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)),
            x=alt.X("sum(gezinnen):Q", title="Aantal gezinnen"),
            color=alt.Color("status:N", title="Status",
                            scale=alt.Scale(domain=list(STATUS_COLORS), range=list(STATUS_COLORS.values()))),
            tooltip=["organisatie:N", "status:N", alt.Tooltip("gezinnen:Q", title="gezinnen")],
        )
    )
