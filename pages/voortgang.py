import streamlit as st

from components import charts, figure
from components.context import page_context
from gezinsmonitor import metrics
from gezinsmonitor import taxonomy as tx

ctx = page_context()
ds = ctx.data
st.title("Voortgang")
st.write("De laatste voortgangsscore per leefgebied, zoals de gezinswerker die inschat: "
         "van 1 (negatieve ontwikkeling) tot 5 (positieve ontwikkeling, geen steun meer nodig).")

if ds.measurements[ds.measurements["instrument"] == tx.VOORTGANG_INSTRUMENT].empty:
    figure.no_data("voortgangsscores")
    st.stop()

summary = metrics.progress_summary(ds.measurements)
if summary["n"].sum() == 0:
    figure.no_data("voortgangsscores (alleen n.v.t.)")
    st.stop()

distribution = metrics.progress_distribution(summary)
n_families = summary.attrs["n_families"]
n_text = f"n = {n_families} gezinnen met een score · n per leefgebied in de tabel"

st.altair_chart(charts.progress_bars(distribution, summary), width="stretch")
figure.caption(ctx, n_text, metrics.DEFINITIONS["progress"])

st.dataframe(charts.progress_table(summary), hide_index=True)
nvt = int(summary["nvt"].sum())
st.caption(f"**n.v.t. telt niet mee**: {nvt} keer had een gezin op een leefgebied alleen n.v.t. (geen steun op dat "
           "leefgebied); dat is geen score en valt buiten n en het gemiddelde. Het gemiddelde van deze schaal is "
           "alleen een samenvatting: kijk vooral naar de verdeling.")
