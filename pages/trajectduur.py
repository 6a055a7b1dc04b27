import streamlit as st

from components import charts, figure
from components.context import page_context
from gezinsmonitor import metrics
from gezinsmonitor import taxonomy as tx

ctx = page_context()
ds = ctx.data
st.title("Trajectduur")
st.write(f"Hoe lang duurt de begeleiding? Lopende trajecten tellen tot de peildatum "
         f"**{ctx.peildatum:%d-%m-%Y}** (te wijzigen in de zijbalk).")

if ds.trajectories.empty:
    figure.no_data("trajecten")
    st.stop()

durations = metrics.trajectory_durations(ds.trajectories, ctx.peildatum)
table = metrics.tabulate_durations(durations)
kept = durations[durations["excluded"].isna()]
excluded = durations["excluded"].value_counts()
no_end = durations["end_date"].isna()
n_ongoing_kept = int((kept["status_at_peildatum"] == tx.STATUS_LOPEND).sum())

cols = st.columns(4)
cols[0].metric("Trajecten meegeteld", table.attrs["n"])
cols[1].metric("Afgerond / lopend", f"{int(table['completed'].sum())} / {int(table['ongoing'].sum())}")
cols[2].metric("Niet meegeteld", int(excluded.sum()))
cols[3].metric("Zonder einddatum", int(no_end.sum()))

notes = [f"**{int(no_end.sum())}** van de {len(durations)} trajecten hebben geen einddatum "
         f"({int((no_end & (durations['status'] == tx.STATUS_LOPEND)).sum())} lopend, "
         f"{int((no_end & (durations['status'] == tx.STATUS_AFGEROND)).sum())} afgerond)."]
if len(excluded):
    notes.append("Niet meegeteld: " + ", ".join(f"{n} × {reason}" for reason, n in excluded.items()) + ".")
st.markdown(" ".join(notes))
st.warning(
    f"Van {n_ongoing_kept} lopende trajecten is de duur een **ondergrens**: ze lopen nog, dus hun uiteindelijke "
    "duur is langer dan de tijd tot de peildatum (gecensureerde waarnemingen). Vergelijk lopend en afgerond daarom "
    "niet als gelijke duren.",
    icon=":material/hourglass_top:",
)

if kept.empty:
    figure.no_data("trajecten met een bruikbare duur")
    st.stop()

n_text = f"n = {table.attrs['n']} trajecten (peildatum {ctx.peildatum:%d-%m-%Y})"
st.subheader("Trajecten per duurklasse")
st.altair_chart(charts.duration_bars(table), width="stretch")
figure.caption(ctx, n_text, metrics.DEFINITIONS["duration"])
st.dataframe(charts.duration_table_nl(table), hide_index=True)

st.subheader("Verdeling in maanden")
st.altair_chart(charts.duration_histogram(durations), width="stretch")
figure.caption(ctx, n_text, metrics.DEFINITIONS["duration"] + " Stippellijnen bij 6, 12, 18 en 24 maanden.")
