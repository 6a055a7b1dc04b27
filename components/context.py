"""What app.py computes once per run (dataset, filters, version) and every page reads."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from gezinsmonitor.filters import Filters
from gezinsmonitor.store import Dataset

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


def set_context(ctx: PageContext) -> None:
    st.session_state[KEY] = ctx


def page_context() -> PageContext:
    return st.session_state[KEY]
