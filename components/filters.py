"""Sidebar filters, rendered once in app.py so their state survives page switches."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from gezinsmonitor import taxonomy as tx
from gezinsmonitor.filters import Filters
from gezinsmonitor.store import Dataset


def sidebar_filters(ds: Dataset) -> tuple[Filters, dt.date]:
    sb = st.sidebar
    sb.header("Filters")
    orgs = sorted(ds.families["organisation"].dropna().unique())
    chosen = sb.multiselect("Organisaties", orgs, key="f_orgs", placeholder="Alle organisaties",
                            help="Leeg = alle organisaties.")
    statuses = sb.multiselect("Status traject", list(tx.STATUSES), key="f_status", placeholder="Lopend en afgerond",
                              help="Leeg = alle trajecten.")
    period = None
    starts = ds.trajectories["start_date"].dropna()
    if not starts.empty:
        lo = starts.min().date()
        hi = max(dt.date.today(), pd.Timestamp(ds.trajectories["end_date"].max() or starts.max()).date())
        value = sb.date_input("Periode", value=(lo, hi), min_value=lo, max_value=hi, key="f_period",
                              format="DD-MM-YYYY", help="Trajecten die ergens in deze periode liepen.")
        if isinstance(value, (tuple, list)) and len(value) == 2 and (value[0], value[1]) != (lo, hi):
            period = (value[0], value[1])
    peildatum = sb.date_input("Peildatum", value=dt.date.today(), key="f_peildatum", format="DD-MM-YYYY",
                              help="Lopende trajecten tellen tot deze datum (trajectduur).")
    filters = Filters(
        organisations=tuple(chosen) if chosen else None,
        period=period,
        statuses=tuple(statuses) if statuses else None,
    )
    return filters, peildatum
