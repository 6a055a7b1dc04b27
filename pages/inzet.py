import streamlit as st

from components import charts, figure
from components.context import page_context
from gezinsmonitor import formatting, investment, metrics
from gezinsmonitor import taxonomy as tx

ctx = page_context()
ds = ctx.data
st.title("Inzet")
st.write("Uren per week per soort steun bij de eerste meting (rond aanmelding) en bij de laatste meting. "
         "Organisaties met een contactlog (datum en minuten per contact) tellen mee via hun uren per week per "
         "trajectmaand.")
st.markdown(
    "- **Inzet van professionals**: " + ", ".join(tx.PROFESSIONAL_TYPES) + ".\n"
    "- **Inzet van vrijwilligers**: " + ", ".join(investment.VOLUNTEER_TYPES) + ".\n"
    "- **Deelname van het gezin zelf**: "
    + ", ".join(t for t, kind in tx.SUPPORT_TYPES.items() if kind == tx.PARTICIPATION)
    + " — een uitkomst van de steun, **geen inzet**: telt nergens mee in de uren inzet."
)

if ds.hours.empty:
    figure.no_data("urenregistraties")
    st.stop()

hours = metrics.hours_first_latest(ds.hours, ds.trajectories, peildatum=ctx.peildatum)
mark = charts.hidden_mark(hours)  # '×' where this viewer may not see a figure ('<10' for a known small count); None for an owner


def n_of(value) -> str:
    return charts.count_text(value, mark) if mark else str(int(value))


def left_out(table, by_peildatum: dict) -> dict:
    """What the first/latest figures left out: n.v.t. per moment (family × support type) and, as they stood at
    the peildatum, later measurements and contacts."""
    nvt = table.groupby("moment")["nvt"].sum()
    return {"n.v.t. bij de eerste meting (gezin × soort steun; telt niet mee in n)": int(nvt.get("start", 0)),
            "n.v.t. bij de laatste meting (gezin × soort steun; telt niet mee in n)": int(nvt.get("latest", 0)),
            **by_peildatum}

total = metrics.professional_total(hours).set_index("moment")
by_type = hours.set_index(["support_type", "moment"])
n_per_type = " · ".join(
    f"{name} {n_of(by_type.at[(name, 'start'), 'n'])}/{n_of(by_type.at[(name, 'latest'), 'n'])}"
    for name in (*tx.PROFESSIONAL_TYPES, *investment.VOLUNTEER_TYPES))

st.subheader("Inzet: professionals en vrijwilligers")
cols = st.columns(2)
for col, moment in zip(cols, ("start", "latest")):
    value = total.at[moment, "hours_per_week"]
    secret = bool(total.at[moment, "verborgen"]) if "verborgen" in total else False
    col.metric(f"Totaal professioneel, {charts.MOMENT_LABELS[moment]}",
               f"{figure.nl_number(value)} uur/week" if value == value else ("verborgen" if secret else "–"),
               help=(f"Verborgen: een soort steun heeft minder dan {ctx.access.k} gezinnen (uit die som zou zijn "
                     "gemiddelde terug te rekenen)." if secret else charts.hours_text(value) + " per week"))
for col, moment in zip(st.columns(2), ("start", "latest")):
    for name in investment.VOLUNTEER_TYPES:
        value = by_type.at[(name, moment), "mean_hours_per_week"]
        n = n_of(by_type.at[(name, moment), "n"])
        label = "Vrijwilligers (maatje)" if "maatje" in name else f"Vrijwilligers ({name})"
        col.metric(f"{label}, {charts.MOMENT_LABELS[moment]}",
                   f"{figure.nl_number(value)} uur/week" if value == value else ("verborgen" if n == mark else "–"),
                   help=f"{name}: {charts.hours_text(value) if n != mark else 'verborgen'} per week; n = {n} gezinnen "
                        "(n.v.t. telt niet mee)")
figure.caption(
    ctx, f"n (eerste/laatste meting): {n_per_type}",
    "Professioneel: som van de gemiddelden van " + ", ".join(tx.PROFESSIONAL_TYPES) + " (soorten zonder metingen "
    "tellen niet mee). Vrijwilligers: gemiddelde van " + ", ".join(investment.VOLUNTEER_TYPES) + " over de gezinnen "
    "waarvoor die steun gold. Let op: n verschilt per soort steun en moment, dus dit is geen "
    "gemiddelde van dezelfde gezinnen.",
    excluded={**left_out(hours[hours["kind"] == tx.INVESTMENT], hours.attrs["excluded_by_kind"].get(tx.INVESTMENT, {})),
              **figure.withheld(hours)},
)

for kind, what in ((tx.INVESTMENT, "inzet"), (tx.PARTICIPATION, "deelname")):
    part = hours[(hours["kind"] == kind) & (hours["n"] > 0)]
    hidden_here = bool(hours.loc[hours["kind"] == kind, "n"].isna().any())
    heading = "Inzet (professionals en vrijwilligers)" if kind == tx.INVESTMENT else "Deelname van het gezin"
    st.subheader(heading)
    if part.empty:
        if hidden_here:
            st.info(f"Alle groepen {what} hebben minder dan {ctx.access.k} gezinnen van andere organisaties: hun "
                    "uren worden niet getoond. Kies een ruimere selectie.", icon=":material/shield:")
        else:
            figure.no_data(f"metingen van {what}")
        continue
    chart = charts.hours_bars(hours, kind)
    st.altair_chart(chart, width="stretch")
    n_range = f"{int(part['n'].min())}–{int(part['n'].max())}" if part["n"].nunique() > 1 else str(int(part["n"].iloc[0]))
    figure.caption(ctx, f"n = {n_range} gezinnen per balk (n staat bij elke balk)", metrics.DEFINITIONS["hours"],
                   excluded={**left_out(hours[hours["kind"] == kind], hours.attrs["excluded_by_kind"].get(kind, {})),
                             **figure.withheld(hours[hours["kind"] == kind])}, chart=chart, title=heading,
                   name=f"{what}-uren-per-week")

st.subheader("Tabel")
hours_n = f"n = {n_of(ds.hours['family'].nunique())} gezinnen met urenregistratie"
figure.table(charts.hours_table(hours), title="Uren per week per soort steun", ctx=ctx, n_text=hours_n,
             definition=metrics.DEFINITIONS["hours"], name="inzet-uren-per-week-per-soort-steun")
figure.caption(ctx, hours_n, metrics.DEFINITIONS["hours"],
               excluded={**left_out(hours, hours.attrs["excluded"]), **figure.withheld(hours)})

st.subheader("Intensiteit per trajectmaand")
if not metrics.is_contact(ds.hours).any():
    st.info("Geen contactlogs voor de gekozen filters: de intensiteit per trajectmaand komt uit contactlogs "
            "(datum en minuten per contact).", icon=":material/info:")
else:
    curve = metrics.intensity_curve(ds.hours, ds.trajectories, peildatum=ctx.peildatum)
    curve_left_out = {metrics.EXCLUDED_NO_START: curve.attrs.get("zonder_startdatum", 0),
                      metrics.EXCLUDED_CONTACTS_OUTSIDE: curve.attrs.get("buiten_traject", 0)}
    if curve.empty:
        figure.no_data("contactlogs met een startdatum van het traject")
        listed = [f"{n} {reason}" for reason, n in curve_left_out.items() if n]
        if listed:
            st.caption("**Telt niet mee**: " + "; ".join(listed) + ".")
    else:
        chart = charts.intensity_lines(curve, min_n=figure.min_n())
        st.altair_chart(chart, width="stretch")
        curve_mark = charts.hidden_mark(curve)
        families = curve.attrs["n_families"]
        n_families = curve_mark if curve_mark and 0 < families < curve.attrs["k"] else families
        n_text = (f"n = {n_families} gezinnen met een contactlog · n per trajectmaand in de tooltip "
                  f"(gezinnen waarvan het traject die maand omvat)")
        figure.caption(ctx, n_text, metrics.DEFINITIONS["intensity"],
                       excluded={**curve_left_out, **figure.withheld(curve)}, chart=chart,
                       title="Intensiteit per trajectmaand", name="inzet-intensiteit-per-trajectmaand")
        small = metrics.intensity_small_n(curve, figure.min_n())
        figure.small_n_warning({f"{r.organisation} vanaf trajectmaand {r.month}": int(r.n)
                                for r in small.itertuples()})

# -- total hours per family -------------------------------------------------------------------
st.subheader("Totaal aantal uren per gezin")
summary = investment.total_hours_by_organisation(ds.hours, ds.trajectories, ctx.peildatum, families=ds.families)
totals = investment.family_total_hours(ds.hours, ds.trajectories, ctx.peildatum, families=ds.families)  # own rows
excluded = dict(summary.attrs["excluded"])
if summary.attrs.get("without_hours"):
    excluded["gezinnen zonder registratie van inzet (uren of contactlog)"] = summary.attrs["without_hours"]
overall = summary.set_index("organisation").loc[investment.ALL_ORGANISATIONS]
total_mark = charts.hidden_mark(summary)
if overall["n"] == 0:
    figure.no_data("gezinnen met uren inzet over een traject")
else:
    def whole(value) -> str:
        return charts.count_text(value, total_mark) if total_mark else str(int(value))

    cols = st.columns(3)
    cols[0].metric("Gezinnen met een totaal", whole(overall["n"]) if total_mark else figure.nl_number(overall["n"], 0),
                   help=f"waarvan {whole(overall['n_afgerond'])} afgerond")
    cols[1].metric("Mediaan uren per gezin", charts.hidden_or(figure.nl_number(overall["median"], 0), overall["n"],
                                                               total_mark),
                   help="Alle gezinnen; voor lopende trajecten is het totaal een ondergrens.")
    cols[2].metric("Mediaan, alleen afgeronde trajecten",
                   charts.hidden_or(figure.nl_number(overall["median_afgerond"], 0) if overall["n_afgerond"] else "–",
                                    overall["n_afgerond"], total_mark),
                   help=f"n = {whole(overall['n_afgerond'])} afgeronde trajecten: hun totaal is volledig.")
    chart = charts.total_hours_chart(totals, summary)
    st.altair_chart(chart, width="content")  # concat: fixed view widths
    if totals.attrs.get("rows_withheld"):
        st.caption("**Verdeling per gezin**: het histogram toont alleen gezinnen van uw eigen organisatie"
                   + (f" ({formatting.count(len(totals))})" if len(totals) else " (geen)")
                   + "; van andere organisaties worden geen waarden per gezin getoond, alleen de samenvatting per "
                   "organisatie hierboven en in de tabel.")
    n_total = whole(overall["n"])
    total_n = (f"n = {n_total} gezinnen ({whole(overall['n_afgerond'])} afgerond, "
               f"{whole(overall['n'] - overall['n_afgerond'])} lopend) · n per organisatie in de tooltip")
    figure.caption(ctx, total_n, investment.DEFINITIONS["total_hours"],
                   excluded={**excluded, **figure.withheld(summary, totals)}, chart=chart,
                   title="Totaal aantal uren per gezin", name="inzet-totaal-aantal-uren-per-gezin")
    per_org = summary[(summary["organisation"] != investment.ALL_ORGANISATIONS) & summary["n"].notna()]
    figure.small_n_warning(dict(zip(per_org["organisation"], per_org["n"])))
    figure.table(charts.total_hours_table(summary), summary, title="Totaal aantal uren per gezin", ctx=ctx,
                 n_text=total_n, definition=investment.DEFINITIONS["total_hours"],
                 name="inzet-totaal-aantal-uren-per-gezin")

# -- hours per organisation -------------------------------------------------------------------
st.subheader("Uren per organisatie")
by_org = investment.investment_by_organisation(ds.hours, ds.trajectories, ctx.peildatum,
                                              ds.families["organisation"].dropna().unique())
measure = st.segmented_control("Welke inzet", list(charts.HOURS_MEASURES), key="iz_measure", default="total",
                               format_func=charts.HOURS_MEASURES.get) or "total"
with_hours = by_org[(by_org[f"n_{measure}"] > 0) & (by_org["organisation"] != investment.ALL_ORGANISATIONS)]
hidden_orgs = set(by_org.loc[by_org[f"n_{measure}"].isna(), "organisation"])
if with_hours.empty and not hidden_orgs:
    figure.no_data(f"uren van {charts.HOURS_MEASURES[measure].lower()}")
else:
    chart = charts.organisation_hours_bars(by_org, measure)
    st.altair_chart(chart, width="stretch")
    n_org = with_hours.groupby("organisation")[f"n_{measure}"].min()
    no_hours = sorted(set(by_org["organisation"]) - set(n_org.index) - hidden_orgs - {investment.ALL_ORGANISATIONS})
    org_n = charts.organisation_hours_n(by_org, measure)
    org_title = f"Uren per organisatie: {charts.HOURS_MEASURES[measure].lower()}"
    figure.caption(
        ctx, org_n, investment.DEFINITIONS["organisation_hours"],
        excluded={**({f"organisaties zonder deze inzet: {', '.join(no_hours)}": len(no_hours)} if no_hours else {}),
                  **by_org.attrs.get("excluded", {}), **figure.withheld(by_org)},
        chart=chart, title=org_title, name="inzet-uren-per-organisatie")
    figure.small_n_warning(n_org.to_dict())
    any_hours = ((by_org.groupby("organisation")["n_total"].transform("max") > 0)
                 | by_org.groupby("organisation")["n_total"].transform(lambda n: n.isna().any()))
    figure.table(charts.organisation_hours_table(by_org[any_hours]), by_org[any_hours], title="Uren per organisatie",
                 ctx=ctx, n_text=org_n, definition=investment.DEFINITIONS["organisation_hours"],
                 name="inzet-uren-per-organisatie")
    without = sorted(set(by_org.loc[~any_hours, "organisation"]))
    if without:
        st.caption("Zonder uren of contactlog (niet in de tabel): " + ", ".join(without) + ".")
