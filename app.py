"""Gezinsmonitor: entry point. Run with `streamlit run app.py`."""
from __future__ import annotations

import streamlit as st

from components import auth, context
from gezinsmonitor import permissions as perm

st.set_page_config(page_title="Gezinsmonitor", page_icon=":material/family_restroom:", layout="wide")

# (section, file, title, icon, the action a role needs to see the page: None = every role)
PAGES = [
    ("Dashboard", "pages/overzicht.py", "Overzicht", ":material/dashboard:", None),
    ("Dashboard", "pages/hulpvragen.py", "Hulpvragen", ":material/help:", None),
    ("Dashboard", "pages/trajectduur.py", "Trajectduur", ":material/schedule:", None),
    ("Dashboard", "pages/voortgang.py", "Voortgang", ":material/trending_up:", None),
    ("Dashboard", "pages/inzet.py", "Inzet", ":material/volunteer_activism:", None),
    ("Dashboard", "pages/organisaties.py", "Organisaties", ":material/groups:", None),
    ("Dashboard", "pages/kaart.py", "Kaart", ":material/map:", None),
    ("Delen", "pages/presentatie.py", "Presentatie", ":material/slideshow:", None),
    ("Delen", "pages/rapport.py", "Rapport", ":material/description:", None),
    ("Beheer", "pages/gegevens.py", "Gegevens", ":material/upload_file:", perm.UPLOAD),
    ("Beheer", "pages/te_beoordelen.py", "Te beoordelen", ":material/rule:", perm.REVIEW),
    ("Beheer", "pages/taxonomie.py", "Taxonomie", ":material/account_tree:", perm.TAXONOMY),
    ("Beheer", "pages/logboek.py", "Logboek", ":material/history:", perm.AUDIT),
]


def navigation(access: perm.Access) -> dict[str, list[st.Page]]:
    """The pages this role may open; a page it may not open is not in the menu and cannot be opened by URL."""
    sections: dict[str, list[st.Page]] = {}
    for i, (section, path, title, icon, action) in enumerate(PAGES):
        if action is None or access.may(action):
            sections.setdefault(section, []).append(st.Page(path, title=title, icon=icon, default=i == 0))
    return sections


# Login first: nothing is read before we know who is looking.
access = perm.Access(auth.current_principal())
page = st.navigation(navigation(access), expanded=True)  # every page in view, none behind 'View more'
# Sidebar filters live in the entry point so their state survives page switches.
context.set_context(context.build_context())
page.run()
