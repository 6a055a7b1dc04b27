"""Gezinsmonitor: entry point. Run with `streamlit run app.py`."""
from __future__ import annotations

import streamlit as st

from components import context, data, filters
from gezinsmonitor.filters import apply

st.set_page_config(page_title="Gezinsmonitor", page_icon=":material/family_restroom:", layout="wide")

PAGES = {
    "Dashboard": [
        st.Page("pages/overzicht.py", title="Overzicht", icon=":material/dashboard:", default=True),
        st.Page("pages/hulpvragen.py", title="Hulpvragen", icon=":material/help:"),
        st.Page("pages/trajectduur.py", title="Trajectduur", icon=":material/schedule:"),
        st.Page("pages/voortgang.py", title="Voortgang", icon=":material/trending_up:"),
        st.Page("pages/inzet.py", title="Inzet", icon=":material/volunteer_activism:"),
    ],
    "Beheer": [
        st.Page("pages/gegevens.py", title="Gegevens", icon=":material/upload_file:"),
    ],
}
page = st.navigation(PAGES)

try:
    dataset = data.current_dataset()
except Exception as exc:  # a misconfigured or unreachable database must not show a traceback
    st.error(
        "De database is niet bereikbaar. Controleer GEZINSMONITOR_DB of .streamlit/secrets.toml "
        f"en probeer het opnieuw. (Technische melding: {type(exc).__name__})"
    )
    st.stop()

chosen, peildatum = filters.sidebar_filters(dataset)
context.set_context(context.PageContext(
    full=dataset,
    data=apply(dataset, chosen),
    filters=chosen,
    peildatum=peildatum,
    version=context.data_version(dataset),
))
if dataset.families["is_sample"].any():
    st.sidebar.info("**Voorbeelddata**: u bekijkt fictieve organisaties. Verwijder ze op de pagina Gegevens.",
                    icon=":material/info:")

page.run()
