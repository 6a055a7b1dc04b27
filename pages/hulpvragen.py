import streamlit as st

from components import charts, figure
from components.context import page_context
from gezinsmonitor import metrics

ctx = page_context()
ds = ctx.data
st.title("Hulpvragen")
st.write("Waarvoor vragen gezinnen hulp? Per leefgebied, per categorie en het aantal hulpvragen per gezin.")

if ds.families.empty or ds.requests.empty:
    figure.no_data("hulpvragen")
    st.stop()

st.info(
    "Let op welke maat u ziet: **% van de gezinnen** (hoeveel gezinnen minstens één hulpvraag op dit leefgebied "
    "hebben) of **% van de hulpvragen** (welk deel van alle hulpvragen erop valt). In de monitor was 17% van de "
    "hulpvragen financieel, terwijl 79% van de gezinnen een financiële hulpvraag had.",
    icon=":material/info:",
)

needs = metrics.needs(ds.requests)
detail = metrics.needs_detail(ds.requests)
n_families, n_requests = needs.attrs["n_families"], needs.attrs["n_requests"]
n_text = f"n = {n_families} gezinnen met een hulpvraag · {n_requests} hulpvragen"
if needs.attrs.get("te_beoordelen"):
    n_text += f" · {needs.attrs['te_beoordelen']} te beoordelen, niet meegeteld"
    st.warning(f"{needs.attrs['te_beoordelen']} hulpvraag/-vragen hebben een onzekere koppeling aan een leefgebied en "
               "tellen nog niet mee. Beoordeel ze op de pagina Te beoordelen.", icon=":material/rule:")
measure = st.segmented_control(
    "Maat", list(charts.NEEDS_MEASURES), format_func=charts.NEEDS_MEASURES.get,
    default="families_pct", required=True, key="hv_measure",
)
definition = metrics.DEFINITIONS["needs_families" if measure == "families_pct" else "needs_requests"]

st.subheader("Per leefgebied")
st.altair_chart(charts.needs_bars(needs, measure), width="stretch")
figure.caption(ctx, n_text, definition)
st.dataframe(charts.needs_table(needs), hide_index=True)
figure.caption(ctx, n_text, f"{charts.NEEDS_MEASURES['families_pct']}: {metrics.DEFINITIONS['needs_families']} "
                            f"{charts.NEEDS_MEASURES['requests_pct']}: {metrics.DEFINITIONS['needs_requests']}")

st.subheader("Per leefgebied en categorie")
st.altair_chart(charts.needs_detail_bars(detail, measure), width="stretch")
figure.caption(ctx, n_text, f"{definition} Hulpvragen zonder categorie staan als '{charts.NO_CATEGORY}'.")
st.dataframe(charts.needs_table(detail), hide_index=True)

st.subheader("Aantal hulpvragen per gezin")
dist = metrics.requests_per_family(ds.requests, ds.families)
st.altair_chart(charts.requests_per_family_bars(dist), width="stretch")
figure.caption(
    ctx,
    f"n = {dist.attrs['n_families']} gezinnen · gemiddeld {figure.nl_number(dist.attrs['mean'])} hulpvragen per gezin",
    "Aantal geregistreerde hulpvragen per gezin; gezinnen zonder hulpvraag tellen mee als 0.",
)
