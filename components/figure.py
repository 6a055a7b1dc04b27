"""n, definition and data version under every figure: numbers that can be checked."""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from gezinsmonitor import config, disclosure, formatting, suppression

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
    if not disclosure.owner_of(ctx.data):  # a small count of left-out rows names few families too
        left_out = {reason: suppression.suppress(n, ctx.access.k) if isinstance(n, int) else n
                    for reason, n in left_out.items()}
    lines = [
        f"**Definitie** — {definition}",
        f"**n** — {n_text}",
        f"**Filters** — {ctx.filters.describe()}; peildatum {formatting.date(ctx.peildatum)}",
        f"**Gegevensversie** — {ctx.version}",
        "**Niet meegeteld** — " + ("; ".join(f"{reason}: {n if isinstance(n, str) else formatting.count(n)}"
                                             for reason, n in left_out.items())
                                   if left_out else "geen rijen weggelaten"),
        *([HIDDEN_NAMES] if ctx.names else []),
        (f"**Getallen** — percentages met een 95%-betrouwbaarheidsinterval (Wilson) waar vermeld; vergelijkingen "
         f"van groepen kleiner dan {min_n()} gezinnen krijgen een waarschuwing."),
    ]
    return "\n\n".join(lines)


def count(ctx: PageContext, n) -> str:
    """A count as text for captions and warnings: for a viewer who does not own every row of the selection a
    count from 1 to k-1 reads '<k' (it names few families of someone else)."""
    return formatting.count(n) if disclosure.owner_of(ctx.data) else suppression.suppress(n, ctx.access.k)


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
        protected = not disclosure.current().owns_everything  # a viewer who may not see counts below k
        listed = ", ".join(f"{name} (n = {suppression.suppress(n) if protected else n})" for name, n in small.items())
        st.warning(f"**Kleine aantallen**: {listed} — minder dan {min_n()} {what}. Vergelijk deze groepen met "
                   "voorzichtigheid; een verschil kan toeval zijn.", icon=":material/warning:")


def nl_number(value, digits: int = 1) -> str:
    """Dutch decimal comma and thousands point; '–' for missing."""
    return formatting.number(value, digits)


def no_data(what: str) -> None:
    st.info(f"Geen {what} voor de gekozen filters. Pas de filters aan of upload gegevens op de pagina Gegevens.")


def hidden_text(table: pd.DataFrame, source: pd.DataFrame) -> pd.DataFrame:
    """`table` (a formatted table built row for row from `source`) with every missing cell of a row that `source`
    marks as hidden (`disclosure.HIDDEN`) shown as '<k' where the row has a small count of its own
    (`disclosure.SMALL`), else as '×' (hidden so that another cell cannot be recovered). A table that does not
    match `source` row for row is returned as it is: its hidden values are missing ('–') and stay so."""
    if not disclosure.is_protected(source) or len(table) != len(source):
        return table
    small = suppression.label(source.attrs.get("k"))
    rows = source[disclosure.HIDDEN].to_numpy()
    primary = (source[disclosure.SMALL] if disclosure.SMALL in source else source[disclosure.HIDDEN]).to_numpy()
    marks = pd.Series([small if p else suppression.COMPLEMENTARY_MARK for p in primary], index=table.index)
    out = table.copy()
    for col in out.columns:
        values = out[col].astype(object)
        empty = (values.isna() | values.isin([formatting.MISSING, "", "nan"])).to_numpy() & rows
        if not empty.any():
            continue
        # One type per column for Arrow: numbers become Dutch text next to the marks.
        values = values.map(lambda v: v if not isinstance(v, (int, float)) or isinstance(v, bool) or pd.isna(v)
                            else formatting.number(v, 0 if float(v).is_integer() else 1))
        out[col] = values.where(~empty, marks)
    return out


def table(table: pd.DataFrame, source: pd.DataFrame | None = None, **kwargs) -> None:
    """st.dataframe with the hidden rows of a protected `source` shown as '<k'."""
    shown = table if source is None else hidden_text(table, source)
    st.dataframe(shown, hide_index=kwargs.pop("hide_index", True), **kwargs)


def withheld(*sources: pd.DataFrame) -> dict[str, int]:
    """For `caption(..., excluded=…)`: how many groups were hidden and per-family rows withheld, over the
    protected `sources` of one figure."""
    k = next((int(s.attrs["k"]) for s in sources if "k" in s.attrs), suppression.threshold())
    groups = sum(int(s.attrs.get("suppressed", 0)) for s in sources)
    rows = sum(int(s.attrs.get("rows_withheld", 0)) for s in sources)
    out = {}
    if groups:
        out[f"groepen verborgen ('<{k}': minder dan {k} gezinnen; '{suppression.HIDDEN_MARK}': "
            f"{suppression.HIDDEN_NOTE})"] = groups
    if rows:
        out["waarden per gezin van andere organisaties (niet getoond)"] = rows
    return out
