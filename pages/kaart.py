"""Kaart: families per wijk (choropleth with small counts suppressed) and the organisations' locations."""
import pandas as pd
import streamlit as st

from components import figure, maps
from components.context import page_context
from components.data import get_store
from gezinsmonitor import formatting, geo, permissions, suppression

MESSAGE_KEY = "kaart_message"
UPLOAD_GENERATION = "kaart_upload_generation"  # a new uploader key empties it after a replacement

ctx = page_context()
st.title("Kaart")
k = suppression.threshold()
store = get_store()
areas = geo.load_areas(store)
wijk_names = areas.loc[areas["kind"] == geo.KIND_WIJK, "name"]

if (message := st.session_state.pop(MESSAGE_KEY, None)) is not None:
    st.success(message, icon=":material/check_circle:")

families = ctx.data.families
table = geo.families_per_wijk(families, wijk_names, k)
points = geo.organisation_points(areas, families, k)
n_text = f"n = {table.attrs['total_shown']} gezinnen"
mark, note = suppression.COMPLEMENTARY_MARK, suppression.COMPLEMENTARY_NOTE
protected = bool(table.attrs["protected"])  # geo decided from who looks: exact counts only for the rows' owner
st.caption("Gezinnen per wijk waar ze wonen, en waar de organisaties zitten. "
           + (f"Aantallen van 1 tot en met {k - 1} worden getoond als '{suppression.label(k)}' (zoals in de "
              f"nationale statistiek), zodat geen gezin herkenbaar wordt; '{mark}' betekent: {note}. "
              if protected else
              "U ziet de precieze aantallen: alle gezinnen in deze selectie zijn van uw eigen organisatie (of u "
              f"bent beheerder). Wie de gegevens niet bezit, ziet aantallen van 1 tot en met {k - 1} als "
              f"'{suppression.label(k)}'. ")
           + "De kaart heeft geen achtergrondkaart nodig: de wijkgrenzen en namen dragen haar.")
if families.empty:
    figure.no_data("gezinnen")

excluded, hidden = geo.off_map(table)
rule = (f"1 t/m {k - 1} getoond als '{suppression.label(k)}'; zou zo'n aantal uit het totaal en de andere rijen "
        f"terug te rekenen zijn, dan is ook het kleinste andere aantal verborgen ('{mark}')" if protected
        else "precieze aantallen (eigen gegevens)")
definition = (f"Aantal gezinnen (na de filters) per wijk zoals de organisatie die registreerde, op naam gekoppeld aan "
              f"de gebiedenkaart (hoofdletters en streepjes tellen niet); {rule}. "
              f"Kaart — wijken: {geo.describe_source(areas, geo.KIND_WIJK)}; "
              f"organisaties: {geo.describe_source(areas, geo.KIND_ORG)}"
              + (f". Niet op de kaart: {', '.join(hidden)}" if hidden else ""))

map_col, table_col = st.columns([3, 2], gap="large")
with map_col:
    st.pydeck_chart(maps.wijk_map(table, areas, points, k), height=maps.MAP_HEIGHT_PX,
                    alt="Kaart met het aantal gezinnen per wijk en de locaties van de organisaties")
    st.markdown(maps.legend_html(k, protected), unsafe_allow_html=True)
    figure.caption(ctx, n_text, definition, excluded=excluded | figure.withheld(table))

with table_col:
    st.subheader("Gezinnen per wijk")
    shown = table[["area", "shown"]].rename(columns={"area": "Wijk", "shown": "Gezinnen"})
    total = pd.DataFrame([{"Wijk": "Totaal", "Gezinnen": table.attrs["total_shown"]}])
    figure.table(pd.concat([shown, total], ignore_index=True), width="stretch", height="content",
                 title="Gezinnen per wijk", ctx=ctx, n_text=n_text, definition=definition, name="kaart-gezinnen-per-wijk")
    footnote = (f" **{mark}** = {note}: anders zou een aantal onder {k} uit het totaal min de andere rijen volgen."
                if (table["status"] == suppression.SECONDARY).any() or table.attrs["total_status"] == suppression.SECONDARY
                else "")
    st.caption(f"Elke wijk van de gebiedenkaart staat erin, ook met 0 gezinnen. '{geo.NO_WIJK_LABEL}' en "
               f"'{geo.UNKNOWN_LABEL}' staan niet op de kaart maar tellen mee in het totaal.{footnote}")
    if unknown := table.attrs["unknown_names"]:
        st.warning(f"**Niet in de gebiedenkaart**: {', '.join(unknown)}. Voeg deze wijken toe aan de gebiedenkaart "
                   "of controleer de spelling in de registratie.", icon=":material/wrong_location:")
    if missing := points.attrs["missing"]:
        st.caption(f"Organisaties zonder locatie op de kaart: {', '.join(missing)}.")

if ctx.access.may(permissions.AREAS):  # replacing the map is the beheerder's
    with st.expander("Gebiedenkaart vervangen (beheerder)", icon=":material/admin_panel_settings:"):
        n_wijken, n_orgs = (int((areas["kind"] == kind).sum()) for kind in geo.KINDS)
        st.markdown(f"**Nu in gebruik** — wijken: {geo.describe_source(areas, geo.KIND_WIJK)}, "
                    f"{formatting.count(n_wijken)} wijken; organisaties: {geo.describe_source(areas, geo.KIND_ORG)}, "
                    f"{formatting.count(n_orgs)} locaties.")
        st.caption("Voor beheerders. Upload een **GeoJSON**-bestand (wijkgrenzen als Polygon of MultiPolygon, of een "
                   "punt per wijk; naam in de eigenschap `naam`, `name` of `wijk`) of een **CSV** met de kolommen "
                   "`naam` (of `wijk`), `breedtegraad` (of `lat`) en `lengtegraad` (of `lon`), gescheiden door ';' of "
                   "','; een decimale komma mag. Coördinaten in WGS84 (graden). Een kolom of eigenschap `soort` met "
                   "'organisatie' geeft de locatie van een organisatie. Het bestand vervangt alleen de soort gebieden "
                   "die het bevat; een fout bestand verandert niets.")
        generation = st.session_state.get(UPLOAD_GENERATION, 0)
        upload = st.file_uploader("Gebiedenkaart (GeoJSON of CSV)", type=["geojson", "json", "csv"],
                                  key=f"kaart_upload_{generation}")
        if upload is not None:
            try:
                parsed = geo.read_area_file(upload.name, upload.getvalue())
            except geo.AreaFileError as exc:
                st.error("**Dit bestand is niet gebruikt; de gebiedenkaart is niet veranderd.**\n\n"
                         + "\n".join(f"- {m}" for m in exc.messages), icon=":material/error:")
            else:
                found = {kind: sum(a.kind == kind for a in parsed) for kind in geo.KINDS}
                summary = ", ".join(f"{formatting.count(c)} {'wijken' if kind == geo.KIND_WIJK else 'organisatielocaties'}"
                                    for kind, c in found.items() if c)
                new_wijken = [a.name for a in parsed if a.kind == geo.KIND_WIJK]
                text = f"**{upload.name}**: {summary} gevonden."
                if new_wijken:
                    absent = geo.families_per_wijk(ctx.full.families, new_wijken, k).attrs["unknown_names"]
                    text += (f" Niet in dit bestand, wel in de gegevens: {', '.join(absent)}." if absent
                             else " Alle wijken uit de gegevens staan erin.")
                st.info(text, icon=":material/map:")
                if st.button("Gebiedenkaart vervangen", key="kaart_replace", type="primary"):
                    geo.replace_areas(store, parsed, source=upload.name)
                    st.session_state[MESSAGE_KEY] = f"Gebiedenkaart vervangen door {upload.name}: {summary}."
                    st.session_state[UPLOAD_GENERATION] = generation + 1
                    st.rerun()
        if not areas["bundled"].all() and st.button(
                "Meegeleverde gebiedenkaart terugzetten", key="kaart_restore",
                help="Verwijdert de geüploade gebieden; de voorbeeldstad wordt weer gebruikt."):
            removed = geo.restore_bundled(store)
            st.session_state[MESSAGE_KEY] = (f"Meegeleverde gebiedenkaart teruggezet ({formatting.count(removed)} "
                                             "geüploade gebieden verwijderd).")
            st.rerun()
