"""Trajectduur: duration classes and the histogram."""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from gezinsmonitor import taxonomy as tx

from .base import STATUS_COLORS, DURATION_RULES, dutch


# -- trajectduur -----------------------------------------------------------------------------
def duration_bars(table: pd.DataFrame) -> alt.Chart:
    """Trajectories per duration class, afgerond and lopend side by side."""
    long = table.rename(columns={"completed": tx.STATUS_AFGEROND, "ongoing": tx.STATUS_LOPEND}).melt(
        id_vars="months", value_vars=[tx.STATUS_AFGEROND, tx.STATUS_LOPEND], var_name="status", value_name="trajecten")
    status_scale = alt.Scale(domain=[tx.STATUS_AFGEROND, tx.STATUS_LOPEND],
                             range=[STATUS_COLORS[tx.STATUS_AFGEROND], STATUS_COLORS[tx.STATUS_LOPEND]])
    chart = (
        alt.Chart(long, title="Trajecten per duurklasse (maanden)")
        .mark_bar()
        .encode(
            x=alt.X("months:N", title="Duur in maanden", sort=list(table["months"]), axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("status:N", sort=[tx.STATUS_AFGEROND, tx.STATUS_LOPEND]),
            y=alt.Y("trajecten:Q", title="Aantal trajecten", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("status:N", title="Status", scale=status_scale),
            tooltip=[alt.Tooltip("months:N", title="maanden"), alt.Tooltip("status:N", title="status"),
                     alt.Tooltip("trajecten:Q", title="trajecten")],
        )
    )
    return dutch(chart)


def duration_histogram(durations: pd.DataFrame) -> alt.LayerChart:
    """Months of support per trajectory (1-month bins), stacked by status at the peildatum, rules at 6/12/18/24."""
    kept = durations.loc[durations["excluded"].isna(), ["status_at_peildatum", "months"]].copy()
    kept = kept.rename(columns={"status_at_peildatum": "status"})  # the status as it stood at the peildatum
    kept["months"] = kept["months"].astype(float)
    kept["status"] = kept["status"].astype(str)
    status_scale = alt.Scale(domain=[tx.STATUS_AFGEROND, tx.STATUS_LOPEND],
                             range=[STATUS_COLORS[tx.STATUS_AFGEROND], STATUS_COLORS[tx.STATUS_LOPEND]])
    top = float(np.ceil(kept["months"].max())) if len(kept) else 24.0
    bars = alt.Chart(kept).mark_bar().encode(
        x=alt.X("months:Q", bin=alt.Bin(step=1, extent=[0, max(top, 24.0) + 1]), title="Duur in maanden"),
        y=alt.Y("count():Q", title="Aantal trajecten", stack="zero", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("status:N", title="Status", scale=status_scale),
        tooltip=[alt.Tooltip("months:Q", bin=alt.Bin(step=1, extent=[0, max(top, 24.0) + 1]), title="maanden"),
                 alt.Tooltip("status:N", title="status"), alt.Tooltip("count():Q", title="trajecten")],
    )
    rules = alt.Chart(pd.DataFrame({"months": list(DURATION_RULES)})).mark_rule(
        color="#6B7280", strokeDash=[4, 3]).encode(x="months:Q", tooltip=[alt.Tooltip("months:Q", title="grens (maanden)")])
    return dutch(alt.layer(bars, rules, title="Verdeling van de trajectduur"))


def duration_table_nl(table: pd.DataFrame) -> pd.DataFrame:
    """The duration table with Dutch headings and a total row and column."""
    out = pd.DataFrame({
        "Maanden": table["months"].astype(str),
        "Afgerond": table["completed"].astype(int),
        "Lopend (tot peildatum)": table["ongoing"].astype(int),
    })
    out["Totaal"] = out["Afgerond"] + out["Lopend (tot peildatum)"]
    total = {"Maanden": "Totaal", **{c: int(out[c].sum()) for c in out.columns[1:]}}
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)
