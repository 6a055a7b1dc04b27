"""Sidebar filters, rendered once in app.py so their state survives page switches.

The filters are mirrored in the URL (st.query_params), so a fund officer can share exactly the view
they see: opening such a link fills the filters from it; values that do not exist (any more) are
ignored with a notice instead of an error.
"""
from __future__ import annotations

import datetime as dt

import streamlit as st

from gezinsmonitor import taxonomy as tx
from gezinsmonitor.filters import UNKNOWN, Filters, period_bounds, period_filter
from gezinsmonitor.store import Dataset

# widget key → URL parameter
URL_PARAMS = {"f_orgs": "organisatie", "f_status": "status", "f_comp": "samenstelling",
              "f_period": "periode", "f_peildatum": "peildatum"}
COMPOSITIONS = (*[c for c in tx.GEZINSSAMENSTELLING if c != UNKNOWN], UNKNOWN)
_FROM_URL_DONE = "_filters_from_url"
_PERIOD_BOUNDS = "_period_bounds"  # the data's date range when the period widget was last drawn


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        return None


def _from_url(options: dict[str, list], bounds: tuple[dt.date, dt.date] | None) -> list[str]:
    """Once per session: put the URL's filters into the widgets' state. Returns what could not be used."""
    ignored = []
    params = st.query_params
    for key in ("f_orgs", "f_status", "f_comp"):
        values = params.get_all(URL_PARAMS[key])
        if not values:
            continue
        known = [v for v in values if v in options[key]]
        ignored += [f"{URL_PARAMS[key]}={v}" for v in values if v not in options[key]]
        if known:
            st.session_state[key] = known
    period = params.get(URL_PARAMS["f_period"])
    if period and bounds:
        parts = [_parse_date(p) for p in period.split("..")]
        if len(parts) == 2 and all(parts) and parts[0] <= parts[1]:
            lo, hi = max(parts[0], bounds[0]), min(parts[1], bounds[1])
            st.session_state["f_period"] = (lo, hi) if lo <= hi else bounds
        else:
            ignored.append(f"periode={period}")
    peil = params.get(URL_PARAMS["f_peildatum"])
    if peil:
        day = _parse_date(peil)
        if day:
            st.session_state["f_peildatum"] = day
        else:
            ignored.append(f"peildatum={peil}")
    return ignored


def _to_url(filters: Filters, peildatum: dt.date) -> None:
    """Write the current filters to the URL; parameters that are not ours are left alone."""
    wanted: dict[str, list[str] | str] = {}
    if filters.organisations:
        wanted[URL_PARAMS["f_orgs"]] = list(filters.organisations)
    if filters.statuses:
        wanted[URL_PARAMS["f_status"]] = list(filters.statuses)
    if filters.compositions:
        wanted[URL_PARAMS["f_comp"]] = list(filters.compositions)
    if filters.period:
        wanted[URL_PARAMS["f_period"]] = f"{filters.period[0].isoformat()}..{filters.period[1].isoformat()}"
    if peildatum != dt.date.today():
        wanted[URL_PARAMS["f_peildatum"]] = peildatum.isoformat()
    params = st.query_params
    for name in URL_PARAMS.values():
        current = params.get_all(name)
        value = wanted.get(name)
        target = value if isinstance(value, list) else ([value] if value else [])
        if current != target:
            if target:
                params[name] = value
            elif name in params:
                del params[name]


def _keep_known(key: str, options: list) -> None:
    """A remembered choice that no longer exists (data removed) must not break the widget."""
    if key in st.session_state:
        st.session_state[key] = [v for v in st.session_state[key] if v in options]


def sidebar_filters(ds: Dataset) -> tuple[Filters, dt.date]:
    sb = st.sidebar
    sb.header("Filters")
    orgs = sorted(ds.families["organisation"].dropna().unique())
    bounds = period_bounds(ds)
    options = {"f_orgs": orgs, "f_status": list(tx.STATUSES), "f_comp": list(COMPOSITIONS)}
    if not st.session_state.get(_FROM_URL_DONE):
        st.session_state[_FROM_URL_DONE] = True
        ignored = _from_url(options, bounds)
        if ignored:
            sb.warning("Niet alle filters uit de link bestaan (nog): " + ", ".join(ignored) + " genegeerd.",
                       icon=":material/link_off:")
    for key, values in options.items():
        _keep_known(key, values)

    chosen = sb.multiselect("Organisaties", orgs, key="f_orgs", placeholder="Alle organisaties",
                            help="Leeg = alle organisaties.")
    statuses = sb.multiselect("Status traject", options["f_status"], key="f_status",
                              placeholder="Lopend en afgerond",
                              help="Status zoals geregistreerd (niet zoals op de peildatum). Leeg = alle trajecten; "
                                   "anders tellen alleen de trajecten met deze status, van de gezinnen die er een "
                                   "hebben. Hulpvragen, metingen en uren van die gezinnen tellen helemaal mee.")
    compositions = sb.multiselect("Gezinssamenstelling", options["f_comp"], key="f_comp",
                                  placeholder="Alle gezinnen",
                                  help="Leeg = alle gezinnen. 'onbekend' kiest ook gezinnen zonder ingevulde samenstelling.")
    period = None
    if bounds:
        stored = st.session_state.get("f_period")
        previous = st.session_state.get(_PERIOD_BOUNDS)
        untouched = stored is not None and previous is not None and tuple(stored) == tuple(previous)
        if stored is not None and (untouched or not (isinstance(stored, (tuple, list)) and len(stored) == 2
                                                      and bounds[0] <= stored[0] <= stored[1] <= bounds[1])):
            # The whole range of the old data, or a range the new data no longer has: follow the data,
            # so an upload does not turn "no period chosen" into a period filter.
            del st.session_state["f_period"]
        st.session_state[_PERIOD_BOUNDS] = bounds
        kwargs = {} if "f_period" in st.session_state else {"value": bounds}
        value = sb.date_input("Periode", min_value=bounds[0], max_value=bounds[1], key="f_period",
                              format="DD-MM-YYYY", help="Trajecten die ergens in deze periode liepen.", **kwargs)
        if isinstance(value, (tuple, list)) and len(value) == 2:
            period = period_filter(value, bounds)
    kwargs = {} if "f_peildatum" in st.session_state else {"value": dt.date.today()}
    peildatum = sb.date_input("Peildatum", key="f_peildatum", format="DD-MM-YYYY",
                              help="Lopende trajecten tellen tot deze datum (trajectduur).", **kwargs)
    filters = Filters(
        organisations=tuple(chosen) if chosen else None,
        period=period,
        statuses=tuple(statuses) if statuses else None,
        compositions=tuple(compositions) if compositions else None,
    )
    _to_url(filters, peildatum)
    sb.caption("De filters staan in de adresbalk: kopieer de link om precies deze weergave te delen.")
    return filters, peildatum
