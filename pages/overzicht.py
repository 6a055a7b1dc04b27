import streamlit as st

from components import charts, figure
from components.context import page_context
from gezinsmonitor import disclosure, metrics

ctx = page_context()
ds = ctx.data
st.title("Overzicht")
st.write("Kerncijfers per organisatie: hoeveel gezinnen, hoeveel trajecten lopen nog, en hoeveel hulpvragen.")

if ds.families.empty:
    figure.no_data("gezinnen")
    st.stop()

table = metrics.overview(ds.families, ds.trajectories, ds.requests, ctx.full.batches)
total = table.iloc[-1]
cols = st.columns(5)
cols[0].metric("Organisaties", len(table) - 1)
# A viewer who does not own every organisation gets a protected table: a small count reads '<10', another hidden one '×'.
cols[1].metric("Gezinnen", charts.n_text(total["gezinnen"], table))
cols[2].metric("Lopend / afgerond",
               f"{charts.n_text(total['lopend'], table)} / {charts.n_text(total['afgerond'], table)}")
cols[3].metric("Hulpvragen", charts.n_text(total["hulpvragen"], table))
per_family = total[metrics.REQUESTS_PER_FAMILY]
cols[4].metric("Hulpvragen per gezin",
               charts.hidden_mark(table) if disclosure.is_protected(table) and per_family != per_family
               and total["hulpvragen"] != total["hulpvragen"] else figure.nl_number(per_family),
               help="Gemiddeld aantal hulpvragen per gezin dat minstens één hulpvraag heeft.")

chart = charts.overview_bars(table.iloc[:-1])
st.altair_chart(chart, width="stretch")
n_text = f"n = {charts.n_text(total['gezinnen'], table)} gezinnen"
figure.caption(ctx, n_text, metrics.DEFINITIONS["overview"], excluded=figure.withheld(table), chart=chart,
               title="Gezinnen per organisatie", name="overzicht-gezinnen-per-organisatie")

shown = table.drop(columns=list(disclosure.MARKS), errors="ignore")
hidden = charts.hidden_rows(table)
for col in ("gezinnen", "lopend", "afgerond", "hulpvragen"):
    shown[col] = charts.count_column(table[col], table[col].isna() & hidden)
if disclosure.is_protected(table):  # another organisation's file name is not shown: say so, not '<10'
    shown["bestand"] = shown["bestand"].astype(object).where(shown["bestand"].notna(), "niet getoond")
figure.table(
    # Dutch decimal comma: a NumberColumn format would print a point.
    shown.assign(**{metrics.REQUESTS_PER_FAMILY: table[metrics.REQUESTS_PER_FAMILY].map(figure.nl_number)}),
    table,
    column_config={"laatste upload": st.column_config.DatetimeColumn(format="DD-MM-YYYY HH:mm")},
    title="Kerncijfers per organisatie", ctx=ctx, n_text=n_text, definition=metrics.DEFINITIONS["overview"],
    name="overzicht-kerncijfers-per-organisatie",
)
