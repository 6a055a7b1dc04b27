import streamlit as st

from components import reharmonise, review
from components.context import page_context
from components.data import get_store
from gezinsmonitor import taxonomy as tx
from gezinsmonitor import vocabulary

page_context()  # first: it stops the page with a Dutch message when the database is unreachable
store = get_store()
taxonomy = store.taxonomy()
st.title("Te beoordelen")
st.write(
    "Hier staan hulpvragen waarvan de Gezinsmonitor niet zeker weet bij welk leefgebied ze horen. Ze tellen nog "
    "niet mee in de dashboards. Kies per tekst het leefgebied (en eventueel de categorie), vink **bevestigen** aan "
    "en sla de beslissingen op. Een beslissing wordt onthouden voor álle organisaties en voor toekomstige "
    "uploads: dezelfde tekst wordt voortaan zo ingedeeld, ook in de gegevens die er al staan."
)

reharmonise.show_last("review_message", "de beslissing")

# -- the queue --------------------------------------------------------------------------------
queue = store.review_queue()
if queue.empty:
    st.success("Niets te beoordelen: alle hulpvragen zijn ingedeeld. (n = 0 teksten)", icon=":material/check_circle:")
else:
    n_texts, n_requests = len(queue), int(queue["aantal"].sum())
    st.subheader(f"Wachtrij: {n_texts} {'tekst' if n_texts == 1 else 'teksten'}, {n_requests} hulpvragen")
    # Edits refer to row positions: a new data revision (an upload, a decision) starts a fresh editor, so a
    # tick can never land on another text.
    editor_key = f"review_editor_r{store.revision()}"
    edited = st.data_editor(
        review.queue_editor_frame(queue, taxonomy),
        key=editor_key,
        hide_index=True,
        num_rows="fixed",
        disabled=["tekst", "voorstel leefgebied", "zekerheid", "aantal", "organisaties"],
        column_config={
            "tekst": st.column_config.TextColumn("tekst", help="De hulpvraag zoals de organisatie hem schreef."),
            "voorstel leefgebied": st.column_config.TextColumn(
                "voorstel", help="Het leefgebied dat de Gezinsmonitor vermoedt; leeg als er geen vermoeden is."),
            "zekerheid": st.column_config.NumberColumn(
                "zekerheid", format="%d%%", help="Hoe zeker het voorstel is; onder 80% wacht een tekst hier."),
            "aantal": st.column_config.NumberColumn("aantal", help="Aantal hulpvragen met deze tekst."),
            "organisaties": st.column_config.TextColumn("organisaties", help="Organisaties die deze tekst gebruiken."),
            "leefgebied": st.column_config.SelectboxColumn(
                "leefgebied", options=list(taxonomy.leefgebied_names), help="Kies het leefgebied."),
            "categorie": st.column_config.SelectboxColumn(
                "categorie", options=review.all_categories(taxonomy),
                help="Optioneel; moet bij het gekozen leefgebied horen."),
            "bevestigen": st.column_config.CheckboxColumn("bevestigen", help="Aanvinken om deze keuze op te slaan."),
        },
    )
    st.caption(f"n = {n_texts} teksten · {n_requests} hulpvragen in de wachtrij. Zekerheid: hoe goed de tekst "
               "overeenkomt met een bekend woord of een tekstregel (100% = zeker). Taxonomie versie "
               f"{taxonomy.version}.")
    n_ticked = int(edited["bevestigen"].eq(True).sum())
    if st.button("Beslissingen opslaan", type="primary", icon=":material/save:", disabled=n_ticked == 0,
                 help="Vink eerst minstens één rij aan."):
        decisions, errors = review.ticked_decisions(edited, taxonomy)
        if errors:
            for error in errors:
                st.error(error)
            st.error("Er is niets opgeslagen. Pas de rijen aan en probeer het opnieuw.")
        else:
            def remember() -> str:
                for d in decisions:
                    store.remember_value(vocabulary.learned_key(d.tekst), d.tekst, d.leefgebied, d.categorie,
                                         decided_by="beheerder")
                return f"{len(decisions)} {'beslissing' if len(decisions) == 1 else 'beslissingen'} opgeslagen."

            reharmonise.apply(store, remember, "review_message", "Beslissingen opslaan en alle gegevens opnieuw indelen…")

# -- earlier decisions --------------------------------------------------------------------------
st.header("Eerdere beslissingen")
decisions = review.decisions_view(store.value_decisions())
if decisions.empty:
    st.info("Nog geen beslissingen. (n = 0)")
else:
    st.dataframe(decisions.drop(columns="sleutel"), hide_index=True,
                 column_config={"tijdstip (UTC)": st.column_config.DatetimeColumn(format="DD-MM-YYYY HH:mm")})
    st.caption(f"n = {len(decisions)} onthouden beslissingen. Een beslissing geldt voor elke hulpvraag met "
               "dezelfde tekst (hoofdletters, accenten en spaties tellen niet mee), bij alle organisaties.")
    labels = {row.sleutel: f"{row.tekst} → {row.leefgebied}" + (f" – {row.categorie}" if row.categorie else "")
              for row in decisions.itertuples()}
    key = st.selectbox("Beslissing", list(labels), format_func=labels.get, key="forget_key",
                       help="Na intrekken gaat de tekst terug naar de automatische indeling of naar de wachtrij.")
    if st.button("Beslissing intrekken", icon=":material/undo:"):
        def forget() -> str:
            store.forget_value(key)
            st.session_state.pop("forget_key", None)
            return f"Beslissing ingetrokken ({labels[key]})."

        reharmonise.apply(store, forget, "review_message", "Beslissing intrekken en alle gegevens opnieuw indelen…")

st.caption(f"Herkomst '{tx.HERKOMST_PERSOON}': een persoon heeft de indeling bevestigd of gecorrigeerd. "
           f"Herkomst '{tx.HERKOMST_TE_BEOORDELEN}': wacht op een persoon en telt niet mee.")
