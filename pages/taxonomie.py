import streamlit as st

from components import reharmonise, review
from components.context import page_context
from components.data import get_store

page_context()  # first: it stops the page with a Dutch message when the database is unreachable
store = get_store()
current = store.taxonomy()
st.title("Taxonomie")
st.write(
    "De taxonomie bepaalt in welke leefgebieden en categorieën de hulpvragen van alle organisaties worden "
    "ingedeeld, en welke andere woorden (synoniemen, bijvoorbeeld uit de Zelfredzaamheid-Matrix) daarbij horen. "
    "Elke wijziging wordt een nieuwe versie; de opgeslagen gegevens worden meteen opnieuw ingedeeld, zonder "
    "nieuwe upload. Een eerdere versie kunt u altijd terugzetten."
)

reharmonise.show_last("taxonomy_message", "de wijziging")

version_text = "standaardtaxonomie (versie 0)" if current.version == 0 else f"versie {current.version}"
st.caption(f"Huidige taxonomie: {version_text} · {len(current.leefgebieden)} leefgebieden · "
           f"{len(current.category_to_leefgebied)} categorieën · {len(current.synonyms)} synoniemen.")
categories, synonyms = review.taxonomy_frames(current)

# -- (a) leefgebieden and categories -----------------------------------------------------------
st.header("Leefgebieden en categorieën")
edited_categories = st.data_editor(
    categories, key=f"tax_categories_v{current.version}", num_rows="dynamic", hide_index=True,
    column_config={
        "leefgebied": st.column_config.TextColumn("leefgebied", required=True,
                                                  help="Naam van het leefgebied, zoals in de dashboards."),
        "categorie": st.column_config.TextColumn(
            "categorie", help="Eén rij per categorie. Leeg: het leefgebied heeft geen categorieën."),
    },
)
st.caption(f"n = {len(categories)} rijen. Leefgebied: het domein van het leven waarop een hulpvraag betrekking "
           "heeft. Categorie: een onderverdeling binnen één leefgebied; een categorie hoort bij "
           "precies één leefgebied.")

# -- (b) synonyms -------------------------------------------------------------------------------
st.header("Synoniemen")
lg_options = list(dict.fromkeys(v for v in edited_categories["leefgebied"].map(review.cell_text) if v))
cat_options = [""] + list(dict.fromkeys(v for v in edited_categories["categorie"].map(review.cell_text) if v))
edited_synonyms = st.data_editor(
    synonyms, key=f"tax_synonyms_v{current.version}", num_rows="dynamic", hide_index=True,
    column_config={
        "synoniem": st.column_config.TextColumn(
            "synoniem", required=True, help="Een ander woord voor een leefgebied of categorie, bijv. 'Geldzaken'."),
        "leefgebied": st.column_config.SelectboxColumn("leefgebied", options=lg_options, required=True,
                                                       help="Het leefgebied waar dit woord naar verwijst."),
        "categorie": st.column_config.SelectboxColumn(
            "categorie", options=cat_options, help="Optioneel; moet bij het gekozen leefgebied horen."),
    },
)
st.caption(f"n = {len(synonyms)} synoniemen. Een synoniem wordt herkend ongeacht hoofdletters, accenten en "
           "dubbele spaties; het wordt zo ook opgeslagen.")

# -- save -----------------------------------------------------------------------------------------
st.header("Opslaan")
edit = review.taxonomy_from_frames(edited_categories, edited_synonyms)
if edit.ok:
    changes = review.taxonomy_changes(current, edit.taxonomy)
    if changes:
        st.markdown("**Wijzigingen ten opzichte van de huidige versie:**\n\n" + "\n".join(f"- {c}" for c in changes))
    else:
        st.caption("Nog geen wijzigingen.")
note = st.text_input("Toelichting bij deze wijziging", key="taxonomy_note",
                     help="Verplicht: waarom wordt de taxonomie aangepast? Staat in de versiegeschiedenis.")
if st.button("Nieuwe versie opslaan", type="primary", icon=":material/save:"):
    errors = list(edit.errors)
    if not note.strip():
        errors.append("Vul een toelichting in: die is verplicht en komt in de versiegeschiedenis.")
    if not errors and review.same_content(edit.taxonomy, current):
        errors.append("Er is niets gewijzigd ten opzichte van de huidige versie; er is geen nieuwe versie nodig.")
    if errors:
        for error in errors:
            st.error(error)
        st.error("Er is niets opgeslagen.")
    else:
        def save() -> str:
            version = store.save_taxonomy(edit.taxonomy, author="beheerder", note=note.strip())
            st.session_state.pop("taxonomy_note", None)
            return f"Versie {version} opgeslagen."

        reharmonise.apply(store, save, "taxonomy_message", "Opslaan en alle gegevens opnieuw indelen…")

# -- history ---------------------------------------------------------------------------------------
st.header("Versiegeschiedenis")
history = store.taxonomy_history()
if history.empty:
    st.info("Nog geen eigen versies: de standaardtaxonomie (versie 0) is in gebruik. (n = 0)")
else:
    st.dataframe(review.history_view(history), hide_index=True,
                 column_config={"tijdstip (UTC)": st.column_config.DatetimeColumn(format="DD-MM-YYYY HH:mm")})
    st.caption(f"n = {len(history)} versies, nieuwste boven. Versie 0 is de ingebouwde standaardtaxonomie.")
    older = [int(v) for v in history["version"] if int(v) != current.version] + [0]
    chosen = st.selectbox("Eerdere versie", older, key="taxonomy_restore",
                          format_func=lambda v: "versie 0 (standaard)" if v == 0 else f"versie {v}",
                          help="Terugzetten maakt een nieuwe versie met de inhoud van deze versie; er gaat niets "
                               "verloren.")
    if st.button("Deze versie terugzetten", icon=":material/restore:"):
        def restore() -> str:
            old = review.taxonomy_version(store, chosen)
            version = store.save_taxonomy(old, author="beheerder", note=f"Versie {chosen} teruggezet")
            return f"Versie {chosen} teruggezet als versie {version}."

        reharmonise.apply(store, restore, "taxonomy_message", "Terugzetten en alle gegevens opnieuw indelen…")
