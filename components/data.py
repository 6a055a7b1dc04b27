"""The store and the dataset as cached Streamlit resources, keyed by URL and data revision."""
from __future__ import annotations

import streamlit as st

from gezinsmonitor import config
from gezinsmonitor.store import Dataset, Store
from loaders import samples


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    store = Store(url)
    if config.samples_enabled() and samples.should_load(store):
        with st.spinner("Voorbeelddata worden geladen…"):
            samples.load_samples(store)
    return store


def get_store() -> Store:
    return _store(config.database_url())


@st.cache_data(show_spinner=False, max_entries=4)
def _dataset(url: str, revision: int) -> Dataset:
    # `revision` is only the cache key: it changes with every import, restore or deletion.
    return _store(url).load_dataset()


def current_dataset() -> Dataset:
    store = get_store()
    return _dataset(store.url, store.revision())
