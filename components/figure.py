"""n, definition and data version under every figure: numbers that can be checked."""
from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from gezinsmonitor import config, formatting

from .context import PageContext

HOW_LABEL = "Hoe berekend?"
HIDDEN_NAMES = ("**Namen** — verborgen: organisaties heten Organisatie A, B, C …; de bestandsnaam van de laatste "
                "upload is weggelaten.")


def caption(ctx: PageContext, n_text: str, definition: str, excluded: Mapping[str, int] | None = None) -> None:
    """The line under a figure (n, definition, filters, data version) and its "Hoe berekend?" expander,
    which also says which rows were left out and why (`excluded`: reason → count)."""
    st.caption(f"**{n_text}** · {definition} · Filters: {ctx.filters.describe()} · Gegevens: {ctx.version}")
    with st.expander(HOW_LABEL, icon=":material/calculate:"):
        st.markdown(how_computed(ctx, n_text, definition, excluded))


def how_computed(ctx: PageContext, n_text: str, definition: str, excluded: Mapping[str, int] | None = None) -> str:
    left_out = {reason: n for reason, n in (excluded or {}).items() if n}
    lines = [
        f"**Definitie** — {definition}",
        f"**n** — {n_text}",
        f"**Filters** — {ctx.filters.describe()}; peildatum {formatting.date(ctx.peildatum)}",
        f"**Gegevensversie** — {ctx.version}",
        "**Niet meegeteld** — " + ("; ".join(f"{reason}: {formatting.count(n)}" for reason, n in left_out.items())
                                   if left_out else "geen rijen weggelaten"),
        *([HIDDEN_NAMES] if ctx.names else []),
        (f"**Getallen** — percentages met een 95%-betrouwbaarheidsinterval (Wilson) waar vermeld; vergelijkingen "
         f"van groepen kleiner dan {min_n()} gezinnen krijgen een waarschuwing."),
    ]
    return "\n\n".join(lines)


def min_n() -> int:
    return config.min_n()


def small_groups(groups: Mapping[str, int]) -> dict[str, int]:
    """The groups of a comparison whose n is below the configured minimum."""
    limit = min_n()
    return {name: int(n) for name, n in groups.items() if int(n) < limit}


def small_n_warning(groups: Mapping[str, int], what: str = "gezinnen") -> None:
    """A visible warning under a comparison when one of its groups has fewer than min_n families."""
    small = small_groups(groups)
    if small:
        listed = ", ".join(f"{name} (n = {n})" for name, n in small.items())
        st.warning(f"**Kleine aantallen**: {listed} — minder dan {min_n()} {what}. Vergelijk deze groepen met "
                   "voorzichtigheid; een verschil kan toeval zijn.", icon=":material/warning:")


def nl_number(value, digits: int = 1) -> str:
    """Dutch decimal comma and thousands point; '–' for missing."""
    return formatting.number(value, digits)


def no_data(what: str) -> None:
    st.info(f"Geen {what} voor de gekozen filters. Pas de filters aan of upload gegevens op de pagina Gegevens.")
