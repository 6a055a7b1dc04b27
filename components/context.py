"""What every page needs once per run: the dataset, the sidebar filters and the data version.

app.py builds it before running the page. A page also builds it itself when it runs without the
entry point (Streamlit's AppTest runs a switched-to page directly), so pages never depend on
stale state.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from gezinsmonitor.filters import Filters, apply
from gezinsmonitor.store import Dataset

from . import data, filters

KEY = "_page_context"


@dataclass
class PageContext:
    full: Dataset  # every active row
    data: Dataset  # after the sidebar filters
    filters: Filters
    peildatum: dt.date
    version: str  # data version shown under every figure


def data_version(ds: Dataset) -> str:
    if ds.batches.empty:
        return f"versie {ds.revision} · nog geen uploads"
    latest = ds.batches.sort_values(["uploaded_at", "id"]).iloc[-1]
    when = pd.Timestamp(latest["uploaded_at"]).strftime("%d-%m-%Y %H:%M")
    return f"versie {ds.revision} · laatste upload {when} UTC ({latest['file_name']})"


def build_context() -> PageContext:
    try:
        dataset = data.current_dataset()
    except Exception as exc:  # a misconfigured or unreachable database must not show a traceback
        st.error(
            "De database is niet bereikbaar. Controleer GEZINSMONITOR_DB of .streamlit/secrets.toml "
            f"en probeer het opnieuw. (Technische melding: {type(exc).__name__})"
        )
        st.stop()
    chosen, peildatum = filters.sidebar_filters(dataset)
    if dataset.families["is_sample"].any():
        st.sidebar.info("**Voorbeelddata**: u bekijkt fictieve organisaties. Verwijder ze op de pagina Gegevens.",
                        icon=":material/info:")
    return PageContext(full=dataset, data=apply(dataset, chosen), filters=chosen, peildatum=peildatum,
                       version=data_version(dataset))


def set_context(ctx: PageContext) -> None:
    st.session_state[KEY] = ctx


def page_context() -> PageContext:
    """The context app.py built in this run (taken, so it is never reused), or a fresh one."""
    return st.session_state.pop(KEY, None) or build_context()
