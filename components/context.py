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
from streamlit.runtime import Runtime
from streamlit.runtime.pages_manager import PagesManager

from gezinsmonitor import audit, disclosure, pseudonym
from gezinsmonitor.filters import Filters, apply
from gezinsmonitor.organisations import anonymous_names, rename_organisations
from gezinsmonitor.permissions import DEMO, Access
from gezinsmonitor.store import Dataset

from . import auth, data, filters

KEY = "_page_context"
UNKNOWN_ORGANISATION = "(organisatie zonder gegevens)"  # a filtered name with no letter is not shown as it is


@dataclass
class PageContext:
    full: Dataset  # every active row
    data: Dataset  # after the sidebar filters
    filters: Filters
    peildatum: dt.date
    version: str  # data version shown under every figure
    names: Mapping[str, str] = field(default_factory=dict)  # real → shown organisation name; empty = real names
    access: Access = field(default_factory=lambda: Access(DEMO))  # who looks: rows, actions, suppression
    refused: str | None = None  # why nothing is shown about this selection (too few families of others), Dutch


def data_version(ds: Dataset, hide_file_name: bool = False) -> str:
    """Revision and latest upload; `hide_file_name` leaves out the file name (it often names the organisation)."""
    if ds.batches.empty:
        return f"versie {ds.revision} · nog geen uploads"
    latest = ds.batches.sort_values(["uploaded_at", "id"]).iloc[-1]
    when = pd.Timestamp(latest["uploaded_at"]).strftime("%d-%m-%Y %H:%M")
    hide_file_name = hide_file_name or pd.isna(latest.get("file_name"))  # another organisation's file: not shown
    return f"versie {ds.revision} · laatste upload {when} UTC" + ("" if hide_file_name else f" ({latest['file_name']})")


def keyed_names(ds: Dataset) -> dict[str, str]:
    """Letters in the keyed order the learning-circle role sees (permissions.Access.dataset): on a wall or in a
    report, knowing who takes part does not tell which letter is whose, and a participant's screen agrees."""
    return anonymous_names(ds.families["organisation"], pseudonym.secret())


def _without_file_names(ds: Dataset) -> Dataset:
    return replace(ds, batches=ds.batches.assign(file_name=None)) if "file_name" in ds.batches else ds


def anonymised(ctx: PageContext, names: Mapping[str, str] | None = None) -> PageContext:
    """The context with every organisation named 'Organisatie A', 'B', … (alphabetical over all organisations,
    so a letter does not change with the filters; or as `names` gives them): data, filters and data version,
    hence every caption and "Hoe berekend?" text built from it. Upload file names are dropped."""
    names = names or anonymous_names(ctx.full.families["organisation"])
    full = _without_file_names(rename_organisations(ctx.full, names))
    return replace(ctx, full=full, data=_without_file_names(rename_organisations(ctx.data, names)),
                   filters=ctx.filters.renamed(names, unknown=UNKNOWN_ORGANISATION), version=data_version(full, hide_file_name=True), names=names)


def _empty(ds: Dataset) -> Dataset:
    return replace(ds, families=ds.families.iloc[:0], trajectories=ds.trajectories.iloc[:0],
                   requests=ds.requests.iloc[:0], measurements=ds.measurements.iloc[:0], hours=ds.hours.iloc[:0])


def _viewer(access: Access | None = None) -> Access:
    """Who looks (the logged-in principal unless `access` is given, e.g. inside a fragment, which may not draw
    the sidebar's account box): the rest of this run computes for them, so every protected aggregate hides what
    they may not see and every change is logged in their name."""
    access = access or Access(auth.current_principal())
    disclosure.set_audience(access.audience())
    audit.set_actor(audit.Actor(access.principal.name, access.principal.role))
    return access


def _dataset(access: Access) -> Dataset:
    try:
        return access.dataset(data.current_dataset())
    except Exception as exc:  # a misconfigured or unreachable database must not show a traceback
        st.error(
            "De database is niet bereikbaar. Controleer GEZINSMONITOR_DB of .streamlit/secrets.toml "
            f"en probeer het opnieuw. (Technische melding: {type(exc).__name__})"
        )
        st.stop()


def selected_context(access: Access, dataset: Dataset, chosen: Filters, peildatum: dt.date) -> PageContext:
    """The context of `chosen` on `dataset` (already `access.dataset`), without Streamlit: pages, the report
    command and tests build it the same way. A selection with fewer than k families of other organisations is
    emptied and `refused` says why."""
    selected = apply(dataset, chosen)
    refused = None
    if access.too_small(selected):
        refused = (f"Deze selectie bevat minder dan {access.k} gezinnen van andere organisaties. Om die gezinnen te "
                   "beschermen wordt er niets over getoond; kies een ruimere selectie (meer organisaties, een langere "
                   "periode of minder filters).")
        selected = _empty(selected)
    return PageContext(full=dataset, data=selected, filters=chosen, peildatum=peildatum,
                       version=data_version(dataset), access=access, refused=refused)


def _shown(ctx: PageContext) -> PageContext:
    if ctx.refused:
        st.warning(ctx.refused, icon=":material/shield:")
    return ctx


def build_context() -> PageContext:
    access = _viewer()
    dataset = _dataset(access)
    chosen, peildatum = filters.sidebar_filters(dataset)
    if dataset.families["is_sample"].any():
        st.sidebar.info("**Voorbeelddata**: u bekijkt fictieve organisaties. Verwijder ze op de pagina Gegevens.",
                        icon=":material/info:")
    return _shown(selected_context(access, dataset, chosen, peildatum))


def fixed_context(chosen: Filters, peildatum: dt.date, access: Access | None = None) -> PageContext:
    """The context for filters that are not the sidebar's (a presentation slide, a report), read afresh from
    the store: what changed since the page opened is in it."""
    access = _viewer(access)
    return _shown(selected_context(access, _dataset(access), chosen, peildatum))


def set_context(ctx: PageContext) -> None:
    st.session_state[KEY] = ctx


def page_context() -> PageContext:
    """The context app.py built in this run (taken, so it is never reused), or a fresh one."""
    ctx = st.session_state.pop(KEY, None)
    if ctx is None and PagesManager.uses_pages_directory and type(Runtime.instance()) is Runtime:
        # Until st.navigation has run once in a server process, Streamlit serves a deep link (/presentatie?sessie=…,
        # a shared filter link) from its pages/-folder mode: this page alone, without app.py's login-aware menu.
        # Leave that mode for good and run again through the entry point (the page keeps its address). AppTest
        # (a stand-in runtime) runs a switched-to page alone on purpose: then the context is built here.
        PagesManager.uses_pages_directory = False
        st.rerun()
    return ctx or build_context()
