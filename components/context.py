"""What every page needs once per run: the dataset, the sidebar filters and the data version.

app.py builds it before running the page. A page also builds it itself when it runs without the
entry point (Streamlit's AppTest runs a switched-to page directly), so pages never depend on
stale state.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd
import streamlit as st

from gezinsmonitor.filters import Filters, apply
from gezinsmonitor.organisations import anonymous_names, rename_organisations
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
    names: Mapping[str, str] = field(default_factory=dict)  # real → shown organisation name; empty = real names


def data_version(ds: Dataset, hide_file_name: bool = False) -> str:
    """Revision and latest upload; `hide_file_name` leaves out the file name (it often names the organisation)."""
    if ds.batches.empty:
        return f"versie {ds.revision} · nog geen uploads"
    latest = ds.batches.sort_values(["uploaded_at", "id"]).iloc[-1]
    when = pd.Timestamp(latest["uploaded_at"]).strftime("%d-%m-%Y %H:%M")
    return f"versie {ds.revision} · laatste upload {when} UTC" + ("" if hide_file_name else f" ({latest['file_name']})")


def _without_file_names(ds: Dataset) -> Dataset:
    return replace(ds, batches=ds.batches.assign(file_name=None)) if "file_name" in ds.batches else ds


def anonymised(ctx: PageContext) -> PageContext:
    """The context with every organisation named 'Organisatie A', 'B', … (alphabetical over all organisations,
    so a letter does not change with the filters): data, filters and data version, hence every caption and
    "Hoe berekend?" text built from it. Upload file names are dropped."""
    names = anonymous_names(ctx.full.families["organisation"])
    full = _without_file_names(rename_organisations(ctx.full, names))
    return replace(ctx, full=full, data=_without_file_names(rename_organisations(ctx.data, names)),
                   filters=ctx.filters.renamed(names), version=data_version(full, hide_file_name=True), names=names)


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
