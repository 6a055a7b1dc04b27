"""Change the mapping, re-harmonise all stored data, and tell what moved: shared by the pages
Te beoordelen and Taxonomie (a decision, a withdrawn decision, a new or restored taxonomy version)."""
from __future__ import annotations

from typing import Callable

import streamlit as st

from gezinsmonitor import harmonise

from . import review


def apply(store, change: Callable[[], str], message_key: str, busy: str) -> None:
    """Run `change` (it returns the first words of the message), re-harmonise, keep the message, rerun."""
    with st.spinner(busy):
        done = change()
        moved = harmonise.reapply(store)
    st.session_state[message_key] = (f"{done} {review.moved_summary(moved)}", review.moved_view(moved))
    st.rerun()


def show_last(message_key: str, after_what: str) -> None:
    """The message of the change just made, with the table of what moved and its n."""
    last = st.session_state.pop(message_key, None)
    if not last:
        return
    st.success(last[0])
    if last[1] is not None and not last[1].empty:
        st.dataframe(last[1], hide_index=True)
        st.caption(f"n = {int(last[1]['aantal'].sum())} hulpvragen verschoven. Van → naar: leefgebied – categorie "
                   f"vóór en na {after_what}; herkomst: hoe de nieuwe indeling tot stand kwam.")
