import streamlit as st

from components import charts, context, figure
from components.context import page_context
from gezinsmonitor import disclosure, formatting, investment
from gezinsmonitor import organisations as og
from gezinsmonitor import taxonomy as tx

ctx = page_context()
st.title("Organisaties")
st.write("De organisaties naast elkaar, zoals in de gepubliceerde programmatabel, en het profiel van één organisatie "
         f"naast de overige samen. Lopend en afgerond zoals op de peildatum **{formatting.date(ctx.peildatum)}** "
         "(te wijzigen in de zijbalk).")

# A learning circle's role sees only letters already (permissions.Access.dataset): no toggle that does nothing.
anonymous = not ctx.access.role.anonymous and st.toggle("Namen verbergen (Organisatie A, B, C …)", key="org_anon",
                      help="Voor een leerkring: vergelijk zonder namen, ook in de bijschriften en bij 'Hoe berekend?' "
                           "(zonder bestandsnaam van de upload). De letters volgen de alfabetische volgorde van alle "
                           "organisaties. Let op: de zijbalk en de link in de adresbalk houden de echte namen van uw "
                           "eigen filterkeuze; deel bij een leerkring dus een schermafbeelding, niet de link.")
if anonymous:
    ctx = context.anonymised(ctx)  # everything below, captions included, sees only the letters
ds = ctx.data

if ds.families.empty:
    figure.no_data("organisaties met gezinnen")
    st.stop()



def count(value):
    """A count for 'Niet meegeteld' (how_computed leaves out what is None): hidden or missing → None."""
    return None if value is None or value != value else int(value)


# -- comparison -------------------------------------------------------------------------------
table = og.comparison_table(ds.families, ds.trajectories, ds.requests, ds.hours, ctx.peildatum)
rows = table[table["organisation"] != og.ALL_ORGANISATIONS]
total = table.set_index("organisation").loc[og.ALL_ORGANISATIONS]

st.subheader("Vergelijking")
comparison_n = f"n = {charts.n_text(total['intensive'], table)} gezinnen bij {len(rows)} organisaties · n per cel"
figure.table(charts.comparison_table_nl(table), table, title="Vergelijking van de organisaties", ctx=ctx,
             n_text=comparison_n, definition=og.DEFINITIONS["comparison"], name="organisaties-vergelijking")
# A hidden total (a count below k for a viewer who does not own every organisation) is left out, never printed.
excluded = {"hulpvragen te beoordelen": int(table.attrs["te_beoordelen"]),
            "gezinnen waarvan elk traject na de peildatum begint": count(total["families_not_started"]),
            "trajecten die na de peildatum beginnen": count(total["not_started"]),
            "trajecten zonder bruikbare duur (geen startdatum of afgerond zonder einddatum)":
                count(total["trajectories"] - total["not_started"] - total["km_n"])}
if disclosure.is_protected(table):
    excluded = {reason: (n if n is None or not 0 < n < table.attrs["k"] else None) for reason, n in excluded.items()}
figure.caption(ctx, comparison_n, og.DEFINITIONS["comparison"], excluded=excluded | figure.withheld(table))
st.info("**Korte trajecten** (1–3 gesprekken) worden in dit model niet geregistreerd: alleen intensieve trajecten "
        "staan in de gegevens. Daarom staat er 'niet geregistreerd'.", icon=":material/info:")
figure.small_n_warning(charts.shown_sizes(dict(zip(rows["organisation"], rows["intensive"])), table))

st.subheader("Mediane trajectduur per organisatie")
if total["km_n"] == 0:
    figure.no_data("trajecten met een bruikbare duur")
else:
    chart = charts.median_duration_chart(table)
    st.altair_chart(chart, width="stretch")
    figure.caption(ctx, f"n = {charts.n_text(total['km_n'], table)} trajecten, waarvan "
                        f"{charts.n_text(total['km_afgerond'], table)} afgerond · n per organisatie in het label",
                   og.DEFINITIONS["median_duration"],
                   excluded={k: v for k, v in excluded.items() if k.startswith("trajecten")} | figure.withheld(table),
                   chart=chart, title="Mediane trajectduur per organisatie")

# -- profile ----------------------------------------------------------------------------------
st.subheader("Profiel van een organisatie")
names = list(rows["organisation"])
chosen = st.selectbox("Organisatie", names, key="org_profile")
if chosen is None:
    st.stop()
row = rows.set_index("organisation").loc[chosen]
limit = figure.min_n()

mark = charts.hidden_mark(table)  # a block of this organisation's figures hidden for this viewer reads '×'


def hidden(n) -> bool:
    return n != n


cols = st.columns(3)
cols[0].metric("Gezinnen (intensief)", charts.n_text(row["intensive"], table),
               help=f"Eerste start van een traject: {charts.month_text(row['start'])}")
cols[1].metric("Lopend / afgerond",
               f"{charts.n_text(row[tx.STATUS_LOPEND], table)} / {charts.n_text(row[tx.STATUS_AFGEROND], table)}",
               help="Trajecten zoals op de peildatum.")
cols[2].metric("Hulpvragen per gezin",
               mark if hidden(row["families_with_requests"]) else figure.nl_number(row["requests_per_family"]),
               help=f"n = {charts.n_text(row['families_with_requests'], table)} gezinnen met een hulpvraag, "
                    f"{charts.n_text(row['requests'], table)} hulpvragen")
cols = st.columns(3)
cols[0].metric("Mediane duur (maanden)", mark if hidden(row["km_n"]) else charts.median_value_text(row["median"]),
               help=(mark if hidden(row["km_n"]) else charts.median_text(row["median"], row["median_lo"],
                                                                         row["median_hi"]))
               + f"; n = {charts.n_text(row['km_n'], table)} trajecten, {charts.n_text(row['km_afgerond'], table)} "
                 "afgerond")
for col, moment in zip(cols[1:], ("start", "latest")):
    value, n = row[f"hours_{moment}"], row[f"n_hours_{moment}"]
    col.metric(f"Uren professionals, {'eerste' if moment == 'start' else 'laatste'} meting",
               mark if hidden(n) else f"{figure.nl_number(value)} uur/week" if n else "geen uren",
               help=f"Gemiddelde per gezin per week; n = {charts.n_text(n, table)} gezinnen")
if row["intensive"] < limit:
    figure.small_n_warning({chosen: int(row["intensive"])})
others = len(names) - 1
if not others:
    st.info("Geen andere organisaties in de selectie: kies in de zijbalk meer organisaties om te vergelijken.",
            icon=":material/info:")

st.markdown("##### Hulpvragen per leefgebied")
needs = og.needs_vs_others(ds.requests, chosen)
n_needs = needs.attrs["n"]
if n_needs[og.SELECTED] == 0:
    figure.no_data(f"hulpvragen van {chosen}")
else:
    chart = charts.profile_needs_chart(needs, chosen)
    st.altair_chart(chart, width="stretch")
    figure.caption(ctx, f"n = {charts.n_text(n_needs[og.SELECTED], needs)} gezinnen met een hulpvraag bij {chosen} en "
                        f"{charts.n_text(n_needs[og.OTHERS], needs)} bij de overige organisaties samen",
                   og.DEFINITIONS["needs_vs_others"],
                   excluded={"hulpvragen te beoordelen": needs.attrs["te_beoordelen"], **figure.withheld(needs)},
                   chart=chart, title=f"{chosen}: hulpvragen per leefgebied", name="profiel-hulpvragen-per-leefgebied")
    figure.small_n_warning(charts.shown_sizes({chosen: n_needs[og.SELECTED],
                                               **({charts.OTHERS_LABEL: n_needs[og.OTHERS]} if others else {})},
                                              needs))

st.markdown("##### Trajectduur")
km = og.duration_vs_others(ds.trajectories, chosen, ctx.peildatum)
summary = km.attrs["summary"]
if summary[og.SELECTED]["km_n"] == 0:
    figure.no_data(f"trajecten met een bruikbare duur van {chosen}")
else:
    duration_chart = None  # no curve for a viewer who may not see per-trajectory durations: nothing to download
    if km.empty and km.attrs.get("rows_withheld"):
        # A Kaplan–Meier curve steps at each trajectory's end: per-family durations, shown only to their owner.
        st.info("De curve van de trajectduur toont de duur van elk afzonderlijk traject en is daarom alleen "
                "zichtbaar voor de eigen organisatie. Hieronder staat de mediane duur per groep.",
                icon=":material/shield:")
    else:
        duration_chart = charts.profile_duration_chart(km, chosen)
        st.altair_chart(duration_chart, width="stretch")
    parts = [f"{label}: n = {charts.n_text(summary[g]['km_n'], km)} trajecten, "
             f"{charts.n_text(summary[g]['km_afgerond'], km)} afgerond, mediaan "
             + (charts.hidden_mark(km) if summary[g].get(disclosure.HIDDEN)
                else charts.median_text(summary[g]['median'], summary[g]['median_lo'], summary[g]['median_hi']))
             for g, label in ((og.SELECTED, chosen), (og.OTHERS, charts.OTHERS_LABEL))
             if summary[g]["km_n"] or summary[g].get(disclosure.HIDDEN)]
    figure.caption(ctx, " · ".join(parts), og.DEFINITIONS["duration_vs_others"],
                   excluded=km.attrs["excluded"] | figure.withheld(km), chart=duration_chart,
                   title=f"{chosen}: trajectduur", name="profiel-trajectduur")
    figure.small_n_warning(charts.shown_sizes({chosen: summary[og.SELECTED]["km_n"]}, km), what="trajecten")

st.markdown("##### Inzet in uren")
hours = og.hours_vs_others(ds.hours, ds.trajectories, chosen, ctx.peildatum)
own = hours[hours["group"] == og.SELECTED]
if own["n"].sum() == 0:
    st.info(f"{chosen} heeft geen uren of contactlog geregistreerd: geen inzet te tonen.", icon=":material/info:")
else:
    chart = charts.profile_hours_chart(hours, chosen)
    st.altair_chart(chart, width="stretch")
    n_own = own.set_index(["moment", "measure"])["n"]
    figure.caption(ctx, f"n = {charts.n_text(n_own[('start', 'total')], hours)} / "
                        f"{charts.n_text(n_own[('latest', 'total')], hours)} gezinnen van {chosen} "
                        "(eerste/laatste meting) · n per balk",
                   investment.DEFINITIONS["organisation_hours"],
                   excluded=hours.attrs["excluded"] | figure.withheld(hours), chart=chart,
                   title=f"{chosen}: inzet in uren", name="profiel-inzet-in-uren")
    short = {investment.PROFESSIONAL: "professionals", investment.VOLUNTEER: "vrijwilligers",
             investment.TOTAL: "inzet totaal"}
    figure.small_n_warning(charts.shown_sizes(
        {f"{chosen}, {short[m]}, {'eerste' if mo == 'start' else 'laatste'} meting": n
         for (mo, m), n in n_own.items() if n}, hours))
