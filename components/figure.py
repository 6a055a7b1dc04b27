"""n, definition and data version under every figure: numbers that can be checked."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import partial

import altair as alt
import pandas as pd
import streamlit as st

from gezinsmonitor import config, disclosure, formatting, suppression, tables

from . import images
from .context import PageContext

HOW_LABEL = "Hoe berekend?"
HIDDEN_NAMES = ("**Namen** — verborgen: organisaties heten Organisatie A, B, C …; de bestandsnaam van de laatste "
                "upload is weggelaten.")


CHART_DOWNLOADS = "Grafiek downloaden"
TABLE_DOWNLOADS = "Tabel downloaden"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def caption(ctx: PageContext, n_text: str, definition: str, excluded: Mapping[str, int] | None = None, *,
            chart: alt.TopLevelMixin | None = None, title: str | None = None, name: str | None = None) -> None:
    """The line under a figure (n, definition, filters, data version) and its "Hoe berekend?" expander,
    which also says which rows were left out and why (`excluded`: reason → count). With a `chart` (as shown
    above it) and its `title`: PNG and SVG downloads of that chart with this very n and definition inside the
    image (file `name`, default from the title)."""
    st.caption(f"**{n_text}** · {definition} · Filters: {ctx.filters.describe()} · Gegevens: {ctx.version}")
    with st.expander(HOW_LABEL, icon=":material/calculate:"):
        st.markdown(how_computed(ctx, n_text, definition, excluded))
    if chart is not None:
        chart_downloads(chart, title or "", lines(ctx, n_text, definition), name=name)


def filters_text(ctx: PageContext) -> str:
    return f"{ctx.filters.describe()}; peildatum {formatting.date(ctx.peildatum)}"


def lines(ctx: PageContext, n_text: str, definition: str) -> list[str]:
    """The small print of an exported figure: n, definition, filters, data version and source."""
    return images.slide_lines(n_text, definition, filters_text(ctx), ctx.version)


def file_name(text: str) -> str:
    """A file name from a Dutch title: 'Hulpvragen per leefgebied' → 'hulpvragen-per-leefgebied'."""
    return formatting.slug(str(text).replace("%", " procent ").replace("&", " en "), 80) or "figuur"


def chart_downloads(chart: alt.TopLevelMixin, title: str, small_print: Sequence[str], *, name: str | None = None) -> None:
    """A small "Grafiek downloaden" popover with the chart as PNG and SVG for a slide (1920×1080). The images
    are made only on a click, in another thread, from this chart as it was protected for this viewer."""
    name = file_name(name or title)
    with st.popover(CHART_DOWNLOADS, icon=":material/download:"):
        for fmt, label, mime in (("png", "PNG (dia, 1920 × 1080)", "image/png"), ("svg", "SVG (schaalbaar)", "image/svg+xml")):
            st.download_button(label, partial(images.chart_image, chart, fmt, title=title, lines=tuple(small_print)),
                               file_name=f"{name}.{fmt}", mime=mime, key=f"dl_{name}_{fmt}", on_click="ignore",
                               icon=":material/image:", width="stretch")


def table_notes(ctx: PageContext | None, title: str, shown: pd.DataFrame, n_text: str | None = None,
                definition: str | None = None) -> list[str]:
    """What goes on the 'Toelichting' sheet of an exported table: title, n, definition, filters, data version,
    source, and what the marks in the table mean."""
    notes = [title]
    if n_text:
        notes.append(images.plain_text(n_text))
    if definition:
        notes.append(f"Definitie: {images.plain_text(definition)}")
    if ctx is not None:
        notes += [f"Filters: {filters_text(ctx)}", f"Gegevens: {ctx.version}"]
    notes.append(images.SOURCE)
    cells = set(shown.astype(str).to_numpy().ravel()) if not shown.empty else set()
    small = sorted(c for c in cells if re.fullmatch(r"<\d+", c))
    if small:
        k = small[0][1:]
        notes.append(f"'<{k}': minder dan {k} gezinnen (of trajecten); het precieze aantal wordt niet getoond.")
    if suppression.HIDDEN_MARK in cells:
        notes.append(f"'{suppression.HIDDEN_MARK}': {suppression.HIDDEN_NOTE}.")
    if formatting.MISSING in cells:
        notes.append(f"'{formatting.MISSING}': geen waarde.")
    notes.append("Getallen staan als getal in de tabel (percentages als percentage); tekens als '<10' en '×' als "
                 "tekst.")
    return notes


def table_downloads(shown: pd.DataFrame, title: str, notes: Sequence[str], *, name: str | None = None) -> None:
    """A small "Tabel downloaden" popover with the table exactly as shown, as Excel and as CSV."""
    name = file_name(name or title)
    frame = shown.copy()
    with st.popover(TABLE_DOWNLOADS, icon=":material/download:"):
        st.download_button("Excel (.xlsx)", partial(tables.to_xlsx, frame, sheet=title,
                                                    notes=tuple(notes)),
                           file_name=f"{name}.xlsx", mime=XLSX_MIME, key=f"dl_{name}_xlsx", on_click="ignore",
                           icon=":material/table_view:", width="stretch")
        st.download_button("CSV (;-gescheiden)", partial(tables.to_csv, frame), file_name=f"{name}.csv",
                           mime="text/csv", key=f"dl_{name}_csv", on_click="ignore", icon=":material/csv:",
                           width="stretch")


def excluded_text(ctx: PageContext, excluded: Mapping[str, int] | None) -> str:
    """What a figure left out and why ("Niet meegeteld"): reason: count, for a viewer who does not own the
    selection a count from 1 to k-1 as '<k' (a small count of left-out rows names few families too)."""
    left_out = [(reason, n if isinstance(n, str) else count(ctx, n)) for reason, n in (excluded or {}).items() if n]
    return "; ".join(f"{reason}: {n}" for reason, n in left_out) if left_out else "geen rijen weggelaten"


def how_computed(ctx: PageContext, n_text: str, definition: str, excluded: Mapping[str, int] | None = None) -> str:
    lines = [
        f"**Definitie** — {definition}",
        f"**n** — {n_text}",
        f"**Filters** — {filters_text(ctx)}",
        f"**Gegevensversie** — {ctx.version}",
        f"**Niet meegeteld** — {excluded_text(ctx, excluded)}",
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


def table(table: pd.DataFrame, source: pd.DataFrame | None = None, *, title: str | None = None,
          ctx: PageContext | None = None, n_text: str | None = None, definition: str | None = None,
          name: str | None = None, **kwargs) -> None:
    """st.dataframe with the hidden rows of a protected `source` shown as '<k'. With a `title`: Excel and CSV
    downloads of exactly the table shown, with n, definition, filters and data version (`ctx`) as notes."""
    shown = table if source is None else hidden_text(table, source)
    hide_index = kwargs.pop("hide_index", True)
    st.dataframe(shown, hide_index=hide_index, **kwargs)
    if title is not None:
        exported = shown if hide_index else shown.reset_index()
        table_downloads(exported, title, table_notes(ctx, title, exported, n_text, definition), name=name)


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
