"""Upload flow pieces for the Gegevens page: read with a progress bar, show the report."""
from __future__ import annotations

import io

import streamlit as st

from gezinsmonitor import config
from gezinsmonitor.report import Report
from gezinsmonitor.template import write_template
from gezinsmonitor.validation import Registration, validate
from loaders.registratieformat import LoadedFile, read_registration


@st.cache_data(show_spinner=False)
def template_bytes() -> bytes:
    buffer = io.BytesIO()
    write_template(buffer)
    return buffer.getvalue()


def too_large(size: int) -> bool:
    return size > config.MAX_UPLOAD_MB * 1024 * 1024


def read_with_progress(data: bytes, file_name: str) -> tuple[LoadedFile, Registration]:
    bar = st.progress(0.0, text="Bestand lezen…")
    loaded = read_registration(data, file_name, on_progress=lambda f, text: bar.progress(min(f, 1.0), text=text))
    bar.progress(0.97, text="Controleren per blad, rij en kolom…")
    registration = validate(loaded.raw)
    bar.empty()
    return loaded, registration


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
    for issue in report.errors:
        if issue.sheet is None:  # the file as a whole: say it plainly, not in a table
            st.error(f"{issue.message} {issue.fix}", icon=":material/block:")
    st.markdown("**Samenvatting van de controle**")
    st.dataframe(report.summary(), hide_index=True)
    with st.expander(f"Alle meldingen ({len(report.issues)}) per blad, rij en kolom"):
        st.dataframe(report.to_frame(), hide_index=True)
