import streamlit as st

from components import charts, figure
from components.context import page_context
from gezinsmonitor import investment, metrics
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
    f"{name} {int(by_type.at[(name, 'start'), 'n'])}/{int(by_type.at[(name, 'latest'), 'n'])}"
    for name in (*tx.PROFESSIONAL_TYPES, *investment.VOLUNTEER_TYPES))

st.subheader("Inzet: professionals en vrijwilligers")
cols = st.columns(2)
for col, moment in zip(cols, ("start", "latest")):
    value = total.at[moment, "hours_per_week"]
    col.metric(f"Totaal professioneel, {charts.MOMENT_LABELS[moment]}",
               f"{figure.nl_number(value)} uur/week" if value == value else "–",
               help=charts.hours_text(value) + " per week")
for col, moment in zip(st.columns(2), ("start", "latest")):
    for name in investment.VOLUNTEER_TYPES:
        value = by_type.at[(name, moment), "mean_hours_per_week"]
        n = int(by_type.at[(name, moment), "n"])
        label = "Vrijwilligers (maatje)" if "maatje" in name else f"Vrijwilligers ({name})"
        col.metric(f"{label}, {charts.MOMENT_LABELS[moment]}",
                   f"{figure.nl_number(value)} uur/week" if value == value else "–",
                   help=f"{name}: {charts.hours_text(value)} per week; n = {n} gezinnen (n.v.t. telt niet mee)")
figure.caption(
    ctx, f"n (eerste/laatste meting): {n_per_type}",
    "Professioneel: som van de gemiddelden van " + ", ".join(tx.PROFESSIONAL_TYPES) + " (soorten zonder metingen "
    "tellen niet mee). Vrijwilligers: gemiddelde van " + ", ".join(investment.VOLUNTEER_TYPES) + " over de gezinnen "
    "waarvoor die steun gold. Let op: n verschilt per soort steun en moment, dus dit is geen "
    "gemiddelde van dezelfde gezinnen.",
    excluded=left_out(hours[hours["kind"] == tx.INVESTMENT], hours.attrs["excluded_by_kind"].get(tx.INVESTMENT, {})),
)

for kind, what in ((tx.INVESTMENT, "inzet"), (tx.PARTICIPATION, "deelname")):
    part = hours[(hours["kind"] == kind) & (hours["n"] > 0)]
    st.subheader("Inzet (professionals en vrijwilligers)" if kind == tx.INVESTMENT else "Deelname van het gezin")
    if part.empty:
        figure.no_data(f"metingen van {what}")
        continue
    st.altair_chart(charts.hours_bars(hours, kind), width="stretch")
    n_range = f"{int(part['n'].min())}–{int(part['n'].max())}" if part["n"].nunique() > 1 else str(int(part["n"].iloc[0]))
    figure.caption(ctx, f"n = {n_range} gezinnen per balk (n staat bij elke balk)", metrics.DEFINITIONS["hours"],
                   excluded=left_out(hours[hours["kind"] == kind], hours.attrs["excluded_by_kind"].get(kind, {})))

st.subheader("Tabel")
st.dataframe(charts.hours_table(hours), hide_index=True)
figure.caption(ctx, f"n = {ds.hours['family'].nunique()} gezinnen met urenregistratie", metrics.DEFINITIONS["hours"],
               excluded=left_out(hours, hours.attrs["excluded"]))

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
        st.altair_chart(charts.intensity_lines(curve, min_n=figure.min_n()), width="stretch")
        n_text = (f"n = {curve.attrs['n_families']} gezinnen met een contactlog · n per trajectmaand in de tooltip "
                  f"(gezinnen waarvan het traject die maand omvat)")
        figure.caption(ctx, n_text, metrics.DEFINITIONS["intensity"], excluded=curve_left_out)
        small = metrics.intensity_small_n(curve, figure.min_n())
        figure.small_n_warning({f"{r.organisation} vanaf trajectmaand {r.month}": int(r.n)
                                for r in small.itertuples()})

# -- total hours per family -------------------------------------------------------------------
st.subheader("Totaal aantal uren per gezin")
totals = investment.family_total_hours(ds.hours, ds.trajectories, ctx.peildatum, families=ds.families)
excluded = dict(totals.attrs["excluded"])
if totals.attrs.get("without_hours"):
    excluded["gezinnen zonder registratie van inzet (uren of contactlog)"] = totals.attrs["without_hours"]
if totals.empty:
    figure.no_data("gezinnen met uren inzet over een traject")
else:
    summary = investment.total_hours_summary(totals)
    overall = summary.set_index("organisation").loc[investment.ALL_ORGANISATIONS]
    done = totals[totals["status"] == tx.STATUS_AFGEROND]["total_hours"]
    cols = st.columns(3)
    cols[0].metric("Gezinnen met een totaal", figure.nl_number(len(totals), 0),
                   help=f"waarvan {int(overall['n_afgerond'])} afgerond")
    cols[1].metric("Mediaan uren per gezin", figure.nl_number(overall["median"], 0),
                   help="Alle gezinnen; voor lopende trajecten is het totaal een ondergrens.")
    cols[2].metric("Mediaan, alleen afgeronde trajecten", figure.nl_number(done.median(), 0) if len(done) else "–",
                   help=f"n = {len(done)} afgeronde trajecten: hun totaal is volledig.")
    st.altair_chart(charts.total_hours_chart(totals, summary), width="content")  # concat: fixed view widths
    figure.caption(ctx, f"n = {len(totals)} gezinnen ({int(overall['n_afgerond'])} afgerond, "
                        f"{len(totals) - int(overall['n_afgerond'])} lopend) · n per organisatie in de tooltip",
                   investment.DEFINITIONS["total_hours"], excluded=excluded)
    per_org = summary[summary["organisation"] != investment.ALL_ORGANISATIONS]
    figure.small_n_warning(dict(zip(per_org["organisation"], per_org["n"])))
    st.dataframe(charts.total_hours_table(summary), hide_index=True)

# -- hours per organisation -------------------------------------------------------------------
st.subheader("Uren per organisatie")
weekly = investment.family_weekly_investment(ds.hours, ds.trajectories, ctx.peildatum)
by_org = investment.hours_by_organisation(weekly, ds.families["organisation"].dropna().unique())
measure = st.segmented_control("Welke inzet", list(charts.HOURS_MEASURES), key="iz_measure", default="total",
                               format_func=charts.HOURS_MEASURES.get) or "total"
with_hours = by_org[(by_org[f"n_{measure}"] > 0) & (by_org["organisation"] != investment.ALL_ORGANISATIONS)]
if with_hours.empty:
    figure.no_data(f"uren van {charts.HOURS_MEASURES[measure].lower()}")
else:
    st.altair_chart(charts.organisation_hours_bars(by_org, measure), width="stretch")
    n_org = with_hours.groupby("organisation")[f"n_{measure}"].min()
    no_hours = sorted(set(by_org["organisation"]) - set(n_org.index) - {investment.ALL_ORGANISATIONS})
    total_n = by_org.set_index(["organisation", "moment"])[f"n_{measure}"]
    figure.caption(
        ctx, f"n = {total_n[(investment.ALL_ORGANISATIONS, 'start')]} / "
             f"{total_n[(investment.ALL_ORGANISATIONS, 'latest')]} gezinnen (eerste/laatste meting) · n per balk",
        investment.DEFINITIONS["organisation_hours"],
        excluded={**({f"organisaties zonder deze inzet: {', '.join(no_hours)}": len(no_hours)} if no_hours else {}),
                  **weekly.attrs.get("excluded", {})})
    figure.small_n_warning(n_org.to_dict())
    any_hours = by_org.groupby("organisation")["n_total"].transform("max") > 0
    st.dataframe(charts.organisation_hours_table(by_org[any_hours]), hide_index=True)
    without = sorted(set(by_org.loc[~any_hours, "organisation"]))
    if without:
        st.caption("Zonder uren of contactlog (niet in de tabel): " + ", ".join(without) + ".")
