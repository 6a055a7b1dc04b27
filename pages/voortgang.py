import streamlit as st

from components import charts, figure
from components.context import page_context
from gezinsmonitor import metrics
from gezinsmonitor import taxonomy as tx

ctx = page_context()
ds = ctx.data
st.title("Voortgang")
st.write("Voortgang per leefgebied, voor elk instrument in zijn eigen termen: de voortgangsscore van de gezinswerker, "
         "de Zelfredzaamheid-Matrix (ZRM) en de ernst van problemen. Scores van verschillende instrumenten worden "
         "nooit samen gemiddeld; alleen de richting van verandering zet ze naast elkaar.")

m = ds.measurements
present = {i: bool((m["instrument"] == i).any()) for i in metrics.INSTRUMENTS}
if not any(present.values()):
    figure.no_data("voortgangsscores, ZRM-metingen of ernstscores")
    st.stop()


def absent(what: str) -> None:
    st.info(f"Geen {what} voor de gekozen filters.", icon=":material/info:")


# -- voortgangsscore ----------------------------------------------------------------------------
st.subheader("Voortgangsscore")
st.write("De laatste voortgangsscore per leefgebied, zoals de gezinswerker die inschat: "
         "van 1 (negatieve ontwikkeling) tot 5 (positieve ontwikkeling, geen steun meer nodig).")
summary = metrics.progress_summary(m) if present[tx.VOORTGANG_INSTRUMENT] else None
if summary is None:
    absent("voortgangsscores")
elif summary["n"].sum() == 0:
    absent("voortgangsscores (alleen n.v.t.)")
else:
    distribution = metrics.progress_distribution(summary)
    n_text = f"n = {summary.attrs['n_families']} gezinnen met een score · n per leefgebied in de tabel"
    st.altair_chart(charts.progress_bars(distribution, summary), width="stretch")
    figure.caption(ctx, n_text, metrics.DEFINITIONS["progress"])
    st.dataframe(charts.progress_table(summary), hide_index=True)
    nvt = int(summary["nvt"].sum())
    st.caption(f"**n.v.t. telt niet mee**: {nvt} keer had een gezin op een leefgebied alleen n.v.t. (geen steun op "
               "dat leefgebied); dat is geen score en valt buiten n en het gemiddelde. Het gemiddelde van deze schaal "
               "is alleen een samenvatting: kijk vooral naar de verdeling.")

# -- ZRM ----------------------------------------------------------------------------------------
st.subheader("Zelfredzaamheid (ZRM)")
levels = metrics.zrm_levels(m) if present[metrics.ZRM_INSTRUMENT] else None
if levels is None or levels.empty:
    absent("ZRM-metingen (Zelfredzaamheid-Matrix)")
else:
    st.altair_chart(charts.zrm_level_lines(levels), width="stretch")
    figure.caption(ctx, f"n = {levels.attrs['n_families']} gezinnen met een ZRM-niveau · n per punt in de tabel",
                   metrics.DEFINITIONS["zrm"])
    st.dataframe(charts.zrm_table(levels), hide_index=True)

# -- ernst --------------------------------------------------------------------------------------
st.subheader("Ernst van problemen")
share = metrics.severity_share(m) if present[metrics.ERNST_INSTRUMENT] else None
if share is None or share.empty:
    absent("ernstscores (ernst van problemen)")
else:
    st.altair_chart(charts.severity_bars(share), width="stretch")
    figure.caption(ctx, f"n = {share.attrs['n_families']} gezinnen met een ernstscore · N per indicator en moment "
                        "bij elke balk en in de tabel", metrics.DEFINITIONS["severity"])
    st.dataframe(charts.severity_table(share), hide_index=True)

# -- richting van verandering -------------------------------------------------------------------
st.subheader("Richting van verandering (alle instrumenten)")
direction = metrics.direction_of_change(m)
counted = direction[direction["n"] > 0]
single = direction.attrs["een_meetmoment"]
missing = [metrics.INSTRUMENT_LABELS[i] for i in metrics.INSTRUMENTS if not present[i]]
if counted.empty:
    absent("metingen met een richting van verandering (ZRM en ernst hebben minstens twee meetmomenten nodig)")
else:
    st.altair_chart(charts.direction_bars(direction), width="stretch")
    n_text = "n = " + " · ".join(f"{direction.attrs['n_families'][i]} gezinnen ({metrics.INSTRUMENT_LABELS[i]})"
                                 for i in metrics.INSTRUMENTS if present[i])
    figure.caption(ctx, n_text, metrics.DEFINITIONS["direction"])
    st.dataframe(charts.direction_table(direction), hide_index=True)
left_out = [f"{single[i]} gezinnen bij {metrics.INSTRUMENT_LABELS[i]}" for i in metrics.INSTRUMENTS if single.get(i)]
if left_out:
    st.caption("**Eén meetmoment telt niet mee**: " + ", ".join(left_out) + " hebben maar één meetmoment; zonder "
               "tweede meting is er geen richting.")
if missing:
    st.caption("Geen gegevens voor: " + ", ".join(missing) + ".")
