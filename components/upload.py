"""Upload flow pieces for the Gegevens page: read with a progress bar, show the report."""
from __future__ import annotations

import io

import streamlit as st

import pandas as pd

from gezinsmonitor import columns as cols
from gezinsmonitor import config, identifiers, intake
from gezinsmonitor.report import Report
from gezinsmonitor.template import write_template
from gezinsmonitor.validation import Registration, validate
from loaders.upload import Upload, read_upload


@st.cache_data(show_spinner=False)
def template_bytes() -> bytes:
    buffer = io.BytesIO()
    write_template(buffer)
    return buffer.getvalue()


def too_large(size: int) -> bool:
    return size > config.MAX_UPLOAD_MB * 1024 * 1024


def read_with_progress(data: bytes, file_name: str, taxonomy=None) -> tuple[Upload, Registration | None]:
    """Read any workbook; the registratieformat is also validated (own layouts are planned later)."""
    bar = st.progress(0.0, text="Bestand lezen…")
    upload = read_upload(data, file_name, on_progress=lambda f, text: bar.progress(min(f, 1.0), text=text))
    registration = None
    if upload.is_registratieformat:
        bar.progress(0.97, text="Controleren per blad, rij en kolom…")
        registration = validate(upload.loaded.raw, taxonomy=taxonomy) if taxonomy else validate(upload.loaded.raw)
    bar.empty()
    return upload, registration


def mapping_editor(choices: list[cols.Choice], key: str) -> pd.DataFrame:
    """The column suggestions as an editable table: a person confirms or corrects meaning and detail."""
    frame = cols.to_frame(choices)
    frame.insert(0, "zeker", frame["zekerheid"] >= cols.AUTO_CONFIDENCE * 100)
    return st.data_editor(
        frame, key=key, hide_index=True, width="stretch",
        disabled=["zeker", "blad", "kolom", "kop", "voorbeelden", "zekerheid", "reden"],
        column_config={
            "zeker": st.column_config.CheckboxColumn("zeker", help="Voorstel met minstens 80% zekerheid."),
            "betekenis": st.column_config.SelectboxColumn(
                "betekenis", options=[t.label for t in cols.TARGETS], required=True,
                help="Wat deze kolom bevat. 'Niet inlezen' slaat de kolom over."),
            "detail": st.column_config.TextColumn(
                "detail", help="Bij kolommen per leefgebied, soort steun of ZRM-domein: welk. "
                               "Schrijf 'Leefgebied / Categorie', bijv. 'Financiën / Schulden'."),
            "moment": st.column_config.TextColumn("moment", help="Meetmoment, bijv. start, later, T0, T1."),
            "zekerheid": st.column_config.ProgressColumn("zekerheid", min_value=0, max_value=100, format="%d%%"),
        },
    )


def show_report(report: Report) -> None:
    errors, warnings = len(report.errors), len(report.warnings)
    if errors:
        st.error(f"**{errors} fout(en)** en {warnings} waarschuwing(en). Het bestand wordt zo niet opgeslagen: "
                 "verbeter de fouten en upload het opnieuw. Er is niets veranderd aan de opgeslagen gegevens.",
                 icon=":material/error:")
    elif warnings:
        st.warning(f"Geen fouten, wel **{warnings} waarschuwing(en)**. U kunt het bestand opslaan; lees de "
                   "waarschuwingen om te zien wat er niet of anders is meegeteld.", icon=":material/warning:")
    else:
        st.success("Geen fouten of waarschuwingen gevonden.", icon=":material/check_circle:")
    if not report.issues:
        return
    show_removed(report)
    for issue in report.errors:
        if issue.sheet is None:  # the file as a whole: say it plainly, not in a table
            st.error(f"{issue.message} {issue.fix}", icon=":material/block:")
    st.markdown("**Samenvatting van de controle**")
    st.dataframe(report.summary(), hide_index=True)
    with st.expander(f"Alle meldingen ({len(report.issues)}) per blad, rij en kolom"):
        st.dataframe(report.to_frame(), hide_index=True)


def show_removed(report: Report) -> None:
    """What personal data left the file before anything is stored, and why (plain text and a table, never HTML)."""
    removed = identifiers.removals_frame(report)
    if removed.empty:
        return
    st.markdown("**Persoonsgegevens verwijderd**")
    st.caption("Namen, adressen, telefoonnummers, e-mailadressen, geboortedatums, BSN en rekeningnummers slaat de "
               "Gezinsmonitor nooit op: zulke kolommen worden niet ingelezen en zulke waarden in tekst worden "
               "vervangen door bijv. [naam verwijderd]. Haal ze bij een volgende upload zelf uit het bestand.")
    st.dataframe(removed, hide_index=True)


def tables_frame(plan) -> pd.DataFrame:
    return pd.DataFrame([{
        "blad": t.sheet, "kopregel (rij)": t.header_row,
        "groepskop (rij)": str(t.group_row) if t.group_row else "–",
        "kolommen": len(t.columns), "rijen": len(t.data), "meetmoment uit bladnaam": t.moment or "",
    } for t in plan.tables])


def mapping_changed(edited: pd.DataFrame, choices: list[cols.Choice]) -> bool:
    original = cols.to_frame(choices)[["betekenis", "detail", "moment"]].fillna("").astype(str)
    return not original.reset_index(drop=True).equals(
        edited[["betekenis", "detail", "moment"]].fillna("").astype(str).reset_index(drop=True))


def frame_digest(frame: pd.DataFrame) -> str:
    import hashlib
    return hashlib.sha256(pd.util.hash_pandas_object(frame[["betekenis", "detail", "moment"]].astype(str),
                                                     index=False).values.tobytes()).hexdigest()


def show_conversion(converted) -> None:
    """What the harmonisation made of the file: counts, the report, and how help requests were read."""
    reg = converted.registration
    requests = reg.requests
    n_review = int(converted.review["aantal"].sum()) if len(converted.review) else 0
    instruments = reg.measurements["instrument"].value_counts().to_dict() if len(reg.measurements) else {}
    contacts = int((reg.hours["moment"] == "contact").sum()) if len(reg.hours) else 0
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Gezinnen", len(reg.families))
    c2.metric("Hulpvragen", len(requests), help=f"Waarvan {n_review} te beoordelen (tellen nog niet mee).")
    c3.metric("Metingen", len(reg.measurements),
              help=", ".join(f"{k}: {v}" for k, v in instruments.items()) or "geen")
    c4.metric("Inzet", len(reg.hours), help=f"Waarvan {contacts} contacten uit een contactlogboek.")
    upload_report = reg.report
    show_report(upload_report)
    if len(requests):
        st.markdown("**Hoe de hulpvragen zijn begrepen**")
        st.dataframe(intake.understood_requests(requests), hide_index=True, column_config={
            "zekerheid": st.column_config.ProgressColumn("zekerheid", min_value=0, max_value=100, format="%d%%")})
        st.caption("Herkomst: registratieformat/woordenlijst = bekende term; fuzzy = lijkt sterk op een bekende term "
                   "(bijv. tikfout); tekstregel = herkend aan trefwoorden; persoon = eerder door iemand beslist; "
                   "te beoordelen = onzeker, wacht op de pagina Te beoordelen en telt nog niet mee.")
    if n_review:
        st.warning(f"{n_review} hulpvraag/-vragen ({len(converted.review)} verschillende teksten) zijn onzeker. "
                   "Na opslaan staan ze op de pagina Te beoordelen; ze tellen mee zodra iemand ze heeft bevestigd.",
                   icon=":material/rule:")
