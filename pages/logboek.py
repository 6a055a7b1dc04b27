"""Logboek: who uploaded, restored, erased or changed a mapping, and when. For the beheerder only."""
import streamlit as st

from components.context import page_context
from components.data import get_store
from gezinsmonitor import audit
from gezinsmonitor import permissions as perm

ALL = "Alle"
LIMIT = 5000  # newest entries read; a filter works within these

ctx = page_context()
st.title("Logboek")
if not ctx.access.may(perm.AUDIT):
    st.info("Het logboek is alleen voor de beheerder. Het laat zien wie wanneer gegevens uploadde, terugzette of "
            "wiste en wie een koppeling of de taxonomie wijzigde. Vraag de beheerder als u iets wilt nagaan.",
            icon=":material/lock:")
    st.stop()

st.write("Elke wijziging in de Gezinsmonitor staat hier, de nieuwste bovenaan: uploads, teruggezette uploads, "
         "gewiste organisaties, kolomindelingen, koppelingen van hulpvragen, taxonomieversies en gebiedenkaarten. "
         "Een regel noemt organisaties, bestanden en aantallen, nooit een gezin of de tekst van een hulpvraag.")

log = audit.entries(get_store().engine, limit=LIMIT)
if log.empty:
    st.info("Het logboek is nog leeg: er is nog niets gewijzigd.")
    st.stop()

left, right = st.columns(2)
actions = sorted(log["actie"].dropna().unique())
organisations = sorted(log["organisatie"].dropna().unique())
action = left.selectbox("Actie", [ALL, *actions], key="log_action")
organisation = right.selectbox("Organisatie", [ALL, *organisations], key="log_organisation")

shown = log
if action != ALL:
    shown = shown[shown["actie"] == action]
if organisation != ALL:
    shown = shown[shown["organisatie"] == organisation]

st.dataframe(shown, hide_index=True, column_config={
    "tijdstip (UTC)": st.column_config.DatetimeColumn(format="DD-MM-YYYY HH:mm:ss"),
    "toelichting": st.column_config.TextColumn(width="large")})
more = f" (alleen de nieuwste {LIMIT} regels doorzocht)" if len(log) >= LIMIT else ""
st.caption(f"n = {len(shown)} van {len(log)} regels{more}. Wie: de aangemelde gebruiker; 'opdrachtregel' voor een "
           "commando, 'demo' zonder aanmelding. Tijden in UTC.")
