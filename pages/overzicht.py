import streamlit as st

from components import charts, figure
from components.context import page_context
from gezinsmonitor import metrics

ctx = page_context()
ds = ctx.data
st.title("Overzicht")
st.write("Kerncijfers per organisatie: hoeveel gezinnen, hoeveel trajecten lopen nog, en hoeveel hulpvragen.")

if ds.families.empty:
    figure.no_data("gezinnen")
    st.stop()

table = metrics.overview(ds.families, ds.trajectories, ds.requests, ctx.full.batches)
total = table.iloc[-1]
cols = st.columns(5)
cols[0].metric("Organisaties", len(table) - 1)
cols[1].metric("Gezinnen", int(total["gezinnen"]))
cols[2].metric("Lopend / afgerond", f"{int(total['lopend'])} / {int(total['afgerond'])}")
cols[3].metric("Hulpvragen", int(total["hulpvragen"]))
cols[4].metric("Hulpvragen per gezin", figure.nl_number(total[metrics.REQUESTS_PER_FAMILY]),
               help="Gemiddeld aantal hulpvragen per gezin dat minstens één hulpvraag heeft.")

st.altair_chart(charts.overview_bars(table.iloc[:-1]), width="stretch")
figure.caption(ctx, f"n = {int(total['gezinnen'])} gezinnen", metrics.DEFINITIONS["overview"])

st.dataframe(
    # Dutch decimal comma: a NumberColumn format would print a point.
    table.assign(**{metrics.REQUESTS_PER_FAMILY: table[metrics.REQUESTS_PER_FAMILY].map(figure.nl_number)}),
    hide_index=True,
    column_config={"laatste upload": st.column_config.DatetimeColumn(format="DD-MM-YYYY HH:mm")},
)
