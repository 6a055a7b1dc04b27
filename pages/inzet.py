import streamlit as st

from components import charts, figure
from components.context import page_context
from gezinsmonitor import metrics
from gezinsmonitor import taxonomy as tx

ctx = page_context()
ds = ctx.data
st.title("Inzet")
st.write("Uren per week per soort steun bij de eerste meting (rond aanmelding) en bij de laatste meting. "
         "**Inzet** is wat professionals en vrijwilligers (maatjes) in het gezin steken; **deelname** is wat het "
         "gezin zelf doet (groepsactiviteiten, vrijwilligerswerk): een uitkomst, geen inzet. Organisaties met een "
         "contactlog (datum en minuten per contact) tellen mee via hun uren per week per trajectmaand.")

if ds.hours.empty:
    figure.no_data("urenregistraties")
    st.stop()

hours = metrics.hours_first_latest(ds.hours, ds.trajectories)
total = metrics.professional_total(hours).set_index("moment")
n_per_type = " · ".join(
    f"{name} {total.at['start', 'n_per_type'].get(name, 0)}/{total.at['latest', 'n_per_type'].get(name, 0)}"
    for name in tx.PROFESSIONAL_TYPES)

st.subheader("Totaal professioneel")
cols = st.columns(2)
for col, moment in zip(cols, ("start", "latest")):
    value = total.at[moment, "hours_per_week"]
    col.metric(f"Totaal professioneel, {charts.MOMENT_LABELS[moment]}",
               f"{figure.nl_number(value)} uur/week" if value == value else "–",
               help=charts.hours_text(value) + " per week")
figure.caption(
    ctx, f"n (eerste/laatste meting): {n_per_type}",
    "Som van de gemiddelden van " + ", ".join(tx.PROFESSIONAL_TYPES) + " (soorten zonder metingen tellen niet mee). "
    "Let op: n verschilt per soort steun en moment, dus dit is geen gemiddelde van dezelfde gezinnen.",
)

for kind, what in ((tx.INVESTMENT, "inzet"), (tx.PARTICIPATION, "deelname")):
    part = hours[(hours["kind"] == kind) & (hours["n"] > 0)]
    st.subheader("Inzet (professionals en vrijwilligers)" if kind == tx.INVESTMENT else "Deelname van het gezin")
    if part.empty:
        figure.no_data(f"metingen van {what}")
        continue
    st.altair_chart(charts.hours_bars(hours, kind), width="stretch")
    n_range = f"{int(part['n'].min())}–{int(part['n'].max())}" if part["n"].nunique() > 1 else str(int(part["n"].iloc[0]))
    figure.caption(ctx, f"n = {n_range} gezinnen per balk (n staat bij elke balk)", metrics.DEFINITIONS["hours"])

st.subheader("Tabel")
st.dataframe(charts.hours_table(hours), hide_index=True)
figure.caption(ctx, f"n = {ds.hours['family'].nunique()} gezinnen met urenregistratie", metrics.DEFINITIONS["hours"])

st.subheader("Intensiteit per trajectmaand")
if not metrics.is_contact(ds.hours).any():
    st.info("Geen contactlogs voor de gekozen filters: de intensiteit per trajectmaand komt uit contactlogs "
            "(datum en minuten per contact).", icon=":material/info:")
else:
    curve = metrics.intensity_curve(ds.hours, ds.trajectories, peildatum=ctx.peildatum)
    left_out = []
    if curve.attrs.get("zonder_startdatum"):
        left_out.append(f"{curve.attrs['zonder_startdatum']} gezinnen met een contactlog zonder startdatum")
    if curve.attrs.get("buiten_traject"):
        left_out.append(f"{curve.attrs['buiten_traject']} contacten buiten het traject")
    if curve.empty:
        figure.no_data("contactlogs met een startdatum van het traject")
    else:
        st.altair_chart(charts.intensity_lines(curve), width="stretch")
        n_text = (f"n = {curve.attrs['n_families']} gezinnen met een contactlog · n per trajectmaand in de tooltip "
                  f"(gezinnen waarvan het traject die maand omvat)")
        figure.caption(ctx, n_text, metrics.DEFINITIONS["intensity"])
    if left_out:
        st.caption("**Telt niet mee**: " + "; ".join(left_out) + ".")
