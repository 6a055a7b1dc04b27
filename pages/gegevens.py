import io

import pandas as pd
import streamlit as st

from components import upload
from components.context import page_context
from components.data import get_store
from gezinsmonitor import columns as cols
from gezinsmonitor import config, intake
from gezinsmonitor.export import export_workbook
from gezinsmonitor.importer import import_registration
from loaders import samples

ctx = page_context()  # first: it stops the page with a Dutch message when the database is unreachable
store = get_store()
st.title("Gegevens")
st.write("Upload de registratie van uw organisatie: in het registratieformat, of gewoon het Excel-bestand dat u "
         "al bijhoudt. U ziet eerst hoe het bestand is begrepen en een controle per blad, rij en kolom; pas daarna "
         "slaat u het op.")

last = st.session_state.pop("import_message", None)
if last:
    (st.success if last[0] == "ok" else st.info)(last[1])

st.download_button("Registratieformat downloaden (.xlsx)", upload.template_bytes(),
                   file_name="gezinsmonitor_registratieformat.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/download:")

# -- upload -------------------------------------------------------------------------------
st.header("Bestand uploaden")
# A new key after each save empties the uploader (its value cannot be set).
upload_key = f"upload_file_{st.session_state.get('upload_round', 0)}"
file = st.file_uploader("Kies een Excel-bestand (.xlsx): het registratieformat of uw eigen registratie",
                        type=["xlsx"], key=upload_key, help=f"Maximaal {config.MAX_UPLOAD_MB} MB.")


def _finish(result) -> None:
    if result.status == "refused":
        upload.show_report(result.report)
        st.error(result.message)
        st.session_state.pop("upload_preview", None)  # its report now holds the refusal: read afresh next time
        return
    st.session_state["import_message"] = ("ok" if result.status == "imported" else "info", result.message)
    for key in ("upload_checked", "upload_plan", "upload_preview"):
        st.session_state.pop(key, None)
    st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
    st.rerun()


def registratieformat_flow(file_name: str, loaded, registration) -> None:
    st.subheader(f"Controle van {file_name}")
    counts = registration.counts
    st.caption(f"Registratieformat. Gelezen: {counts['families']} gezinnen, {counts['requests']} hulpvragen, "
               f"{counts['measurements']} voortgangsmetingen, {counts['hours']} inzetregels.")
    upload.show_report(registration.report)
    organisation = st.text_input("Organisatie", value=registration.organisation or "", key="upload_org",
                                 help="Staat op blad Toelichting; u kunt de naam hier aanpassen.")
    if st.button("Opslaan in Gezinsmonitor", type="primary", disabled=not registration.report.ok,
                 icon=":material/save:"):
        with st.spinner("Opslaan…"):
            result = import_registration(store, registration, file_name=file_name, sha256=loaded.sha256,
                                         organisation=organisation or None)
        _finish(result)


def own_layout_flow(file_id, loaded) -> None:
    st.subheader(f"Eigen indeling: {loaded.file_name}")
    st.write("Dit bestand is niet in het registratieformat. De Gezinsmonitor zoekt zelf de kopregels en stelt per "
             "kolom een betekenis voor. Controleer de voorstellen, verbeter ze waar nodig en bevestig: de "
             "kolomindeling wordt bewaard als profiel van uw organisatie, zodat een volgende upload met dezelfde "
             "indeling zonder vragen wordt ingelezen.")
    organisation = st.text_input("Organisatie", key="upload_org_own", help="De naam van uw organisatie.").strip()
    if not organisation:
        st.info("Vul eerst de naam van uw organisatie in.", icon=":material/edit:")
        return
    plan_key = (file_id, organisation)
    cached = st.session_state.get("upload_plan")
    if not cached or cached[0] != plan_key:
        with st.spinner("Kolommen herkennen…"):
            cached = (plan_key, intake.plan(store, loaded.grids, organisation, loaded.report))
        st.session_state["upload_plan"] = cached
    plan = cached[1]
    if not plan.tables:
        upload.show_report(plan.report)
        st.error("Geen enkel blad met kolomkoppen gevonden. Zet de kolomnamen in één rij boven de gegevens.")
        return
    st.markdown("**Gevonden tabellen**")
    st.dataframe(upload.tables_frame(plan), hide_index=True)

    st.markdown("**Kolomindeling**")
    if plan.profile:
        st.success(f"Bekende indeling: de kolomindeling van profiel versie {plan.profile[1]} wordt gebruikt, "
                   "zonder vragen. U kunt hem hieronder nog aanpassen.", icon=":material/verified:")
    else:
        n_open = len(plan.uncertain_columns)
        (st.warning if n_open else st.info)(
            f"{len(plan.choices)} kolommen, waarvan {n_open} met een onzeker voorstel (minder dan 80% zeker). "
            "Controleer vooral die: kies de juiste betekenis of 'Niet inlezen'.", icon=":material/rule:")
    edited = upload.mapping_editor(plan.choices, key=f"mapping_{hash(plan_key)}")
    changed = upload.mapping_changed(edited, plan.choices)
    chosen = plan.with_choices(cols.from_frame(edited, plan.choices)) if (changed or not plan.profile) else plan
    ignored = [c.header for c in chosen.choices if c.target == cols.IGNORE]
    if ignored:
        st.caption(f"Niet ingelezen kolommen ({len(ignored)}): " + ", ".join(ignored))

    preview_key = (plan_key, upload.frame_digest(edited))
    preview = st.session_state.get("upload_preview")
    if not preview or preview[0] != preview_key:
        with st.spinner("Waarden harmoniseren…"):
            preview = (preview_key, intake.harmonise(store, chosen, organisation))
        st.session_state["upload_preview"] = preview
    converted = preview[1]
    upload.show_conversion(converted)
    label = "Kolomindeling bevestigen en opslaan" if chosen.profile is None else "Opslaan in Gezinsmonitor"
    if st.button(label, type="primary", disabled=not converted.registration.report.ok, icon=":material/save:"):
        with st.spinner("Opslaan…"):
            result, _ = intake.import_plan(store, chosen, file_name=loaded.file_name, sha256=loaded.sha256,
                                           organisation=organisation, confirmed=True, created_by="gebruiker",
                                           converted=converted)
        _finish(result)


if file is not None:
    data = file.getvalue()
    if upload.too_large(len(data)):
        st.error(f"Dit bestand is groter dan {config.MAX_UPLOAD_MB} MB en wordt niet ingelezen. "
                 "Verwijder overbodige bladen of splits het bestand.")
        st.stop()
    file_id = (file.name, len(data), file.file_id)
    cached = st.session_state.get("upload_checked")
    if not cached or cached[0] != file_id:
        loaded, registration = upload.read_with_progress(data, file.name, store.taxonomy())
        st.session_state["upload_checked"] = (file_id, loaded, registration)
    _, loaded, registration = st.session_state["upload_checked"]
    if loaded.refused:
        st.subheader(f"Controle van {file.name}")
        upload.show_report(loaded.report)
    elif registration is not None:
        registratieformat_flow(file.name, loaded, registration)
    else:
        own_layout_flow(file_id, loaded)

# -- history -------------------------------------------------------------------------------
st.header("Uploadgeschiedenis")
history = ctx.full.batches
if history.empty:
    st.info("Nog geen uploads.")
else:
    view = pd.DataFrame({
        "upload": history["id"], "organisatie": history["organisation"], "bestand": history["file_name"],
        "tijdstip (UTC)": history["uploaded_at"], "status": history["status"], "gezinnen": history["n_families"],
        "hulpvragen": history["n_requests"], "metingen": history["n_measurements"], "inzet": history["n_hours"],
        "waarschuwingen": history["n_warnings"], "voorbeelddata": history["is_sample"].astype(bool),
    })
    st.dataframe(view, hide_index=True,
                 column_config={"tijdstip (UTC)": st.column_config.DatetimeColumn(format="DD-MM-YYYY HH:mm")})
    st.caption("Status: actief = alle gezinnen van deze upload tellen mee; (deels) vervangen = een nieuwere upload "
               "van dezelfde organisatie heeft (een deel van) deze gezinnen vervangen.")
    restorable = history[history["status"] != "actief"]
    if not restorable.empty:
        labels = {int(r.id): f"Upload {r.id}: {r.organisation} – {r.file_name} ({r.status})"
                  for r in restorable.itertuples()}
        chosen = st.selectbox("Eerdere upload terugzetten", list(labels), format_func=labels.get, key="restore_id")
        if st.button("Terugzetten", icon=":material/restore:"):
            restored = store.restore_batch(chosen)
            st.session_state["import_message"] = (
                "ok", f"Upload {chosen} is teruggezet: {restored} gezinnen tellen weer mee met die gegevens.")
            st.rerun()

# -- sample data and export ------------------------------------------------------------------
st.header("Voorbeelddata")
if store.has_sample_data():
    st.write("De voorbeelddata zijn fictieve organisaties, gemaakt om de Gezinsmonitor te verkennen. Vijf ervan "
             "houden hun registratie bij in een eigen indeling, zoals echte organisaties; de Gezinsmonitor heeft "
             "die zelf herkend en geharmoniseerd (onzekere hulpvragen staan op de pagina Te beoordelen).")
    showcase = samples.showcase(store)
    st.dataframe(showcase, hide_index=True, column_config={
        "eigen indeling": st.column_config.TextColumn(width="large")})
    st.caption(f"n = {len(showcase)} voorbeeldorganisaties. Gelezen als: registratieformat of eigen indeling; profiel: "
               "de bewaarde kolomindeling van die organisatie.")
    confirm = st.checkbox("Ja, verwijder alle voorbeelddata", key="confirm_remove_samples")
    if st.button("Voorbeelddata verwijderen", disabled=not confirm, icon=":material/delete:"):
        removed = store.remove_sample_data()
        st.session_state["import_message"] = ("ok", f"Voorbeelddata verwijderd ({removed} organisaties). "
                                                    "Uw eigen uploads zijn ongewijzigd.")
        st.rerun()
else:
    st.write("Er staan geen voorbeelddata in de database.")
    if st.button("Voorbeelddata laden", icon=":material/science:"):
        with st.spinner("Voorbeelddata laden…"):
            message = samples.load_samples(store, force=True)
        st.session_state["import_message"] = ("ok", message)
        st.rerun()

st.header("Exporteren")
if st.toggle("Export van de geharmoniseerde gegevens voorbereiden", key="prepare_export"):
    buffer = io.BytesIO()
    export_workbook(ctx.full, buffer)
    st.download_button("Geharmoniseerde gegevens downloaden (.xlsx)", buffer.getvalue(),
                       file_name="gezinsmonitor_export.xlsx", icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
