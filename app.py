"""Gezinsmonitor: entry point. Run with `streamlit run app.py`."""
from __future__ import annotations

import streamlit as st

from components import context

st.set_page_config(page_title="Gezinsmonitor", page_icon=":material/family_restroom:", layout="wide")

PAGES = {
    "Dashboard": [
        st.Page("pages/overzicht.py", title="Overzicht", icon=":material/dashboard:", default=True),
        st.Page("pages/hulpvragen.py", title="Hulpvragen", icon=":material/help:"),
        st.Page("pages/trajectduur.py", title="Trajectduur", icon=":material/schedule:"),
        st.Page("pages/voortgang.py", title="Voortgang", icon=":material/trending_up:"),
        st.Page("pages/inzet.py", title="Inzet", icon=":material/volunteer_activism:"),
        st.Page("pages/organisaties.py", title="Organisaties", icon=":material/groups:"),
        st.Page("pages/kaart.py", title="Kaart", icon=":material/map:"),
    ],
    "Beheer": [
        st.Page("pages/gegevens.py", title="Gegevens", icon=":material/upload_file:"),
        st.Page("pages/te_beoordelen.py", title="Te beoordelen", icon=":material/rule:"),
        st.Page("pages/taxonomie.py", title="Taxonomie", icon=":material/account_tree:"),
    ],
}
page = st.navigation(PAGES)
# Sidebar filters live in the entry point so their state survives page switches.
context.set_context(context.build_context())
page.run()
