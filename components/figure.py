"""n, definition and data version under every figure: numbers that can be checked."""
from __future__ import annotations

import streamlit as st

from .context import PageContext


def caption(ctx: PageContext, n_text: str, definition: str) -> None:
    st.caption(f"**{n_text}** · {definition} · Filters: {ctx.filters.describe()} · Gegevens: {ctx.version}")


def nl_number(value, digits: int = 1) -> str:
    """Dutch decimal comma; '–' for missing."""
    if value is None or value != value:
        return "–"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u2009").replace(".", ",")


def no_data(what: str) -> None:
    st.info(f"Geen {what} voor de gekozen filters. Pas de filters aan of upload gegevens op de pagina Gegevens.")
