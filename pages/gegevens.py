import io

import pandas as pd
import streamlit as st

from components import upload
from components.context import page_context
from components.data import get_store
from gezinsmonitor import columns as cols
from gezinsmonitor import config, intake
from gezinsmonitor import permissions as perm
from gezinsmonitor.export import export_workbook
from gezinsmonitor.importer import import_registration
from loaders import samples

ctx = page_context()  # first: it stops the page with a Dutch message when the database is unreachable
access = ctx.access
# An organisatie works only as itself: uploads are saved under, and history, restore, erasure and export are
# limited to, its own organisation. The beheerder (and the demo user) may act for every organisation.
own_organisation = access.principal.organisation if access.owned() is not None else None
is_beheerder = access.principal.role == "beheerder"
may_upload = access.may(perm.UPLOAD)
store = get_store()
st.title("Gegevens")
if may_upload:
    st.write("Upload de registratie van uw organisatie: in het registratieformat, of gewoon het Excel-bestand dat u "
             "al bijhoudt. U ziet eerst hoe het bestand is begrepen en een controle per blad, rij en kolom; pas daarna "
             "slaat u het op.")
else:
    st.info(f"U bent aangemeld als {access.role.label.lower()}: u ziet de gegevens alleen geaggregeerd, op de "
            "dashboardpagina's. Uploaden, de uploadgeschiedenis, wissen en de export per gezin zijn er voor de "
            "organisaties zelf en de beheerder.", icon=":material/lock:")

last = st.session_state.pop("import_message", None)
if last:
    (st.success if last[0] == "ok" else st.info)(last[1])

st.download_button("Registratieformat downloaden (.xlsx)", upload.template_bytes(),
                   file_name="gezinsmonitor_registratieformat.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/download:")

# -- upload -------------------------------------------------------------------------------
file = None
if may_upload:
    st.header("Bestand uploaden")
    if own_organisation:
        st.caption(f"Uw uploads worden opgeslagen als organisatie {own_organisation}.")
    # A new key after each save empties the uploader (its value cannot be set).
    upload_key = f"upload_file_{st.session_state.get('upload_round', 0)}"
    file = st.file_uploader("Kies een Excel-bestand (.xlsx): het registratieformat of uw eigen registratie",
                            type=["xlsx", "xlsm", "xls", "ods", "csv"], key=upload_key,
                            help=f"Maximaal {config.MAX_UPLOAD_MB} MB. Ook .xlsm (macro's worden nooit uitgevoerd), "
                                 "oude .xls, .ods en CSV (gescheiden door ; of ,).")


def organisation_field(key: str, value: str = "", help: str | None = None) -> str:
    """The organisation a file is saved under: typed by the beheerder, fixed for an organisatie."""
    if own_organisation:
        st.text_input("Organisatie", value=own_organisation, disabled=True, key=f"{key}_fixed",
                      help="U uploadt altijd als uw eigen organisatie.")
        return own_organisation
    return st.text_input("Organisatie", value=value, key=key, help=help).strip()


def refuse_other_organisation(organisation: str) -> bool:
    """Checked again at saving: the field is fixed, but the right to upload is enforced here, not in the widget."""
    if access.may(perm.UPLOAD, organisation):
        return False
    st.error(f"U mag alleen gegevens van uw eigen organisatie ({own_organisation}) uploaden. Er is niets opgeslagen.")
    return True


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
    organisation = organisation_field("upload_org", registration.organisation or "",
                                      "Staat op blad Toelichting; u kunt de naam hier aanpassen.")
    if own_organisation and registration.organisation and registration.organisation.strip() != own_organisation:
        st.info(f"Op blad Toelichting staat organisatie '{registration.organisation}'. Het bestand wordt opgeslagen "
                f"als uw eigen organisatie, {own_organisation}.", icon=":material/info:")
    if st.button("Opslaan in Gezinsmonitor", type="primary", disabled=not registration.report.ok,
                 icon=":material/save:"):
        if refuse_other_organisation(organisation or registration.organisation):
            return
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
    organisation = organisation_field("upload_org_own", help="De naam van uw organisatie.")
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
        if refuse_other_organisation(organisation):
            return
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
history = access.batches(ctx.full.batches)
if access.owned() is not None and not access.owned():
    st.info("De uploadgeschiedenis (bestandsnamen, aantallen per upload) is alleen zichtbaar voor de organisatie "
            "zelf en de beheerder.", icon=":material/lock:")
elif history.empty:
    st.info("Nog geen uploads." if not own_organisation else f"Nog geen uploads van {own_organisation}.")
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
    restorable = history[(history["status"] != "actief")
                         & history["organisation"].map(lambda org: access.may(perm.RESTORE, org))]
    if not restorable.empty:
        labels = {int(r.id): f"Upload {r.id}: {r.organisation} – {r.file_name} ({r.status})"
                  for r in restorable.itertuples()}
        chosen = st.selectbox("Eerdere upload terugzetten", list(labels), format_func=labels.get, key="restore_id")
        if st.button("Terugzetten", icon=":material/restore:"):
            if not access.may(perm.RESTORE, restorable.set_index("id").loc[chosen, "organisation"]):
                st.error("U mag alleen uploads van uw eigen organisatie terugzetten.")
                st.stop()
            restored = store.restore_batch(chosen)
            st.session_state["import_message"] = (
                "ok", f"Upload {chosen} is teruggezet: {restored} gezinnen tellen weer mee met die gegevens.")
            st.rerun()

# -- right to erasure -------------------------------------------------------------------------
ERASED_PARTS = ("gezinnen", "trajecten", "hulpvragen", "metingen", "inzetregels", "uploads", "kolomprofielen",
                "kaartpunten")


def erasure_section() -> None:
    if not access.may(perm.ERASE):
        return
    erasable = [name for name in store.organisations()["name"] if access.may(perm.ERASE, name)]
    st.header("Gegevens van een organisatie wissen")
    if not erasable:
        st.write("Er zijn geen gegevens van uw organisatie opgeslagen." if own_organisation
                 else "Er zijn geen organisaties opgeslagen.")
        return
    st.write("Wissen verwijdert alle gegevens van één organisatie, overal in de Gezinsmonitor: de gezinnen, "
             "trajecten, hulpvragen, voortgangsmetingen en inzet uit al haar uploads, de uploadgeschiedenis, de "
             "bewaarde kolomindelingen en haar punt op de kaart. Dat kan niet ongedaan worden gemaakt; wilt u de "
             "gegevens later weer gebruiken, dan uploadt u de bestanden opnieuw.")
    st.caption("Blijft bewaard: de beslissingen over hulpvraagteksten (pagina Te beoordelen). Dat is gedeelde "
               "woordenschat voor alle organisaties: een tekst met zijn leefgebied, zonder organisatie of gezin. In "
               "het logboek blijft staan wie wanneer iets deed; de bestandsnamen van de uploads worden daar gewist.")
    name = st.selectbox("Organisatie", erasable, key="erase_org", disabled=bool(own_organisation))
    uploads = int((history["organisation"] == name).sum()) if not history.empty else 0
    families = ctx.full.families.loc[ctx.full.families["organisation"] == name, "family"].nunique()
    st.caption(f"{name}: {uploads} upload(s); {families} gezinnen tellen nu mee.")
    typed = st.text_input(f"Typ ter bevestiging de naam van de organisatie: {name}", key="erase_confirm")
    confirmed = typed.strip() == name
    if typed and not confirmed:
        st.warning("De naam komt niet overeen. Typ de naam precies zoals hierboven, met hoofdletters.",
                   icon=":material/edit:")
    if st.button("Gegevens definitief wissen", type="primary", disabled=not confirmed, icon=":material/delete_forever:"):
        if not access.may(perm.ERASE, name):  # the list is already limited; the right is enforced at the action
            st.error("U mag alleen de gegevens van uw eigen organisatie wissen.")
            return
        try:
            counts = store.erase_organisation(name)
        except KeyError:
            st.error(f"Organisatie {name} staat niet (meer) in de database; vernieuw de pagina.")
            return
        removed = ", ".join(f"{counts[part]} {part}" for part in ERASED_PARTS if counts.get(part))
        st.session_state.pop("erase_confirm", None)
        st.session_state["import_message"] = ("ok", f"Alle gegevens van {name} zijn gewist ({removed or 'niets'}). "
                                                    "Het wissen staat in het logboek.")
        st.rerun()


erasure_section()

# -- sample data and export ------------------------------------------------------------------
st.header("Voorbeelddata")
if not is_beheerder:
    st.write("Alleen de beheerder kan voorbeelddata laden of verwijderen.")
elif store.has_sample_data():
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
if not access.may(perm.EXPORT_ROWS):
    st.info("Een export per gezin is er alleen voor de beheerder en, van de eigen gezinnen, voor een organisatie. "
            f"Als {access.role.label.lower()} ziet u de gegevens geaggregeerd op de dashboardpagina's, waar kleine "
            "aantallen verborgen blijven: zo is geen gezin te herkennen.", icon=":material/lock:")
elif st.toggle("Export van de geharmoniseerde gegevens voorbereiden" if not own_organisation
               else f"Export van de geharmoniseerde gegevens van {own_organisation} voorbereiden", key="prepare_export"):
    buffer = io.BytesIO()
    export_workbook(access.detail(ctx.full), buffer)
    st.download_button("Geharmoniseerde gegevens downloaden (.xlsx)", buffer.getvalue(),
                       file_name="gezinsmonitor_export.xlsx", icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
