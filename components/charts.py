"""Altair chart builders. Each returns a chart whose data and encoding tests can inspect."""
from __future__ import annotations

import altair as alt
import pandas as pd

from gezinsmonitor import taxonomy as tx

NAVY = "#1F3A5F"
STATUS_COLORS = {tx.STATUS_LOPEND: "#7A9CC6", tx.STATUS_AFGEROND: NAVY}


def overview_bars(table: pd.DataFrame) -> alt.Chart:
    """Families per organisation, lopend vs afgerond stacked."""
    long = table.melt(id_vars="organisatie", value_vars=list(tx.STATUSES), var_name="status", value_name="gezinnen")
    return (
        alt.Chart(long, title="Gezinnen per organisatie")
        .mark_bar()
        .encode(
            y=alt.Y("organisatie:N", title=None, sort="-x"),
            x=alt.X("sum(gezinnen):Q", title="Aantal gezinnen"),
            color=alt.Color("status:N", title="Status",
                            scale=alt.Scale(domain=list(STATUS_COLORS), range=list(STATUS_COLORS.values()))),
            tooltip=["organisatie:N", "status:N", alt.Tooltip("gezinnen:Q", title="gezinnen")],
        )
    )
