import streamlit as st

from components import context, report
from components.context import page_context
from gezinsmonitor.filters import Filters, period_bounds, period_filter

DONE = "rp_report"  # the last report made: its choices, HTML and sections

ctx = page_context()  # the sidebar's context: the data range and organisations to choose from
st.title("Rapport")
st.write("Een rapport voor fondsen: één HTML-bestand met de vier thema's (hulpvragen, trajectduur, voortgang, inzet), "
         "hun grafieken en tabellen, definities en gegevensversie. Het opent zonder internet in elke browser en "
         "drukt af als PDF (Afdrukken → Opslaan als PDF).")
st.sidebar.caption("De filters hierboven gelden niet voor het rapport: kies periode en organisaties op de pagina.")

bounds = period_bounds(ctx.full)
if bounds is None:
    st.info(f"{report.NO_TRAJECTORIES} Upload gegevens op de pagina Gegevens.", icon=":material/info:")
    st.stop()

left, right = st.columns(2)
period = left.date_input("Periode", value=bounds, format="DD-MM-YYYY", key="rp_period",
                         help="Trajecten die ergens in deze periode liepen. Standaard de hele looptijd van de "
                              "gegevens.")
peildatum = right.date_input("Peildatum", value=ctx.peildatum, format="DD-MM-YYYY", key="rp_peildatum",
                             help="Lopende trajecten tellen tot deze datum (trajectduur).")
options = sorted(ctx.full.families["organisation"].dropna().unique())
chosen = st.multiselect("Organisaties", options, key="rp_orgs", placeholder="Alle organisaties",
                        help="Leeg = alle organisaties.")
learning_circle = ctx.access.role.anonymous  # sees letters already
anonymise = (not learning_circle) and st.toggle("Namen anonimiseren (Organisatie A, B, C …)", key="rp_anon",
                                                help="Organisaties heten in het hele rapport Organisatie A, B, C …; "
                                                     "de bestandsnaam van de laatste upload wordt weggelaten.")

if not (isinstance(period, (tuple, list)) and len(period) == 2):
    st.warning("Kies een begin- én een einddatum voor de periode.", icon=":material/date_range:")
    st.stop()
start, end = period
choices = (start, end, tuple(chosen), peildatum, anonymise)

if st.button("Rapport maken", type="primary", icon=":material/description:", key="rp_make"):
    filters = Filters(organisations=tuple(chosen) or None, period=period_filter((start, end), bounds))
    here = context.fixed_context(filters, peildatum)  # warns itself when the selection is too small
    if here.refused or here.data.families.empty:
        st.session_state.pop(DONE, None)
        if not here.refused:
            st.warning(report.NO_FAMILIES, icon=":material/filter_alt_off:")
        st.stop()
    if anonymise:
        here = context.anonymised(here, context.keyed_names(here.full))
    with st.spinner("Rapport maken: grafieken tekenen …"):
        grouped = report.sections(here)
        html = report.build_report(here, grouped=grouped)
    st.session_state[DONE] = {"choices": choices, "html": html,
                              "sections": [(theme, [f.title for f in figs]) for theme, figs in grouped]}

made = st.session_state.get(DONE)
if made is None:
    st.caption("Kies periode, organisaties en peildatum en klik op 'Rapport maken'.")
    st.stop()
if made["choices"] != choices:
    st.info("De keuzes zijn gewijzigd sinds het laatste rapport. Klik op 'Rapport maken' voor een nieuw rapport.",
            icon=":material/refresh:")
    st.stop()

count = sum(len(titles) for _, titles in made["sections"])
st.success(f"Rapport klaar: {len(made['sections'])} thema's, {count} figuren.", icon=":material/check_circle:")
st.download_button("Rapport downloaden (HTML)", made["html"].encode("utf-8"), file_name=report.file_name(peildatum),
                   mime="text/html", icon=":material/download:", on_click="ignore", key="rp_download")
st.subheader("Inhoud")
st.markdown("\n".join(
    f"{i}. **{theme}** — " + (" · ".join(titles) if titles else "geen gegevens voor deze keuze")
    for i, (theme, titles) in enumerate(made["sections"], start=1)) + f"\n{len(made['sections']) + 1}. **Definities "
    "en bronnen**")
