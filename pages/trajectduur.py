import streamlit as st

from components import charts, figure
from components.context import page_context
from gezinsmonitor import caseload, endings, formatting, metrics, survival
from gezinsmonitor import taxonomy as tx

ctx = page_context()
ds = ctx.data
st.title("Trajectduur")
st.write(f"Hoe lang duurt de begeleiding? Lopende trajecten tellen tot de peildatum "
         f"**{ctx.peildatum:%d-%m-%Y}** (te wijzigen in de zijbalk).")

if ds.trajectories.empty:
    figure.no_data("trajecten")
    st.stop()

durations = metrics.trajectory_durations(ds.trajectories, ctx.peildatum)
table = metrics.tabulate_durations(durations)
head = endings.duration_summary(durations)
excluded_map = head["excluded"]
ends = endings.end_date_summary(ds.trajectories)

cols = st.columns(5)
cols[0].metric("Trajecten meegeteld", head["counted"])
cols[1].metric("Afgerond / lopend", f"{head[tx.STATUS_AFGEROND]} / {head[tx.STATUS_LOPEND]}")
cols[2].metric("Niet meegeteld", sum(excluded_map.values()))
cols[3].metric("Zonder einddatum", ends["no_end"],
               help="Geen einddatum en ook geen verwachte einddatum; zoals in de tabel 'Einddatum ingevuld?'.")
cols[4].metric("Alleen verwachte einddatum", ends["expected_only"],
               help="Bijvoorbeeld 'naar verwachting januari 2027': het traject loopt nog.")

notes = [f"**{ends['no_end']}** van de {ends['n']} trajecten hebben geen einddatum ({ends['no_end_running']} lopend, "
         f"{ends['no_end_completed']} afgerond, status zoals geregistreerd)"
         + (f"; {ends['expected_only']} hebben alleen een verwachte einddatum." if ends["expected_only"] else ".")]
if excluded_map:
    notes.append("Niet meegeteld: " + ", ".join(f"{n} × {reason}" for reason, n in excluded_map.items()) + ".")
st.markdown(" ".join(notes))
st.warning(
    f"Van {head[tx.STATUS_LOPEND]} lopende trajecten is de duur een **ondergrens**: ze lopen nog, dus hun "
    "uiteindelijke duur is langer dan de tijd tot de peildatum (gecensureerde waarnemingen). Vergelijk lopend en "
    "afgerond daarom niet als gelijke duren; de Kaplan–Meier-curve hieronder houdt er wel rekening mee.",
    icon=":material/hourglass_top:",
)

if head["counted"] == 0:
    figure.no_data("trajecten met een bruikbare duur")
    st.stop()

n_text = f"n = {table.attrs['n']} trajecten (peildatum {ctx.peildatum:%d-%m-%Y})"
st.subheader("Trajecten per duurklasse")
st.altair_chart(charts.duration_bars(table), width="stretch")
figure.caption(ctx, n_text, metrics.DEFINITIONS["duration"], excluded=excluded_map)
st.dataframe(charts.duration_table_nl(table), hide_index=True)

st.subheader("Verdeling in maanden")
st.altair_chart(charts.duration_histogram(durations), width="stretch")
figure.caption(ctx, n_text, metrics.DEFINITIONS["duration"] + " Stippellijnen bij 6, 12, 18 en 24 maanden.",
               excluded=excluded_map)

# -- Kaplan–Meier ---------------------------------------------------------------------------
st.subheader("Hoe lang blijven gezinnen in begeleiding? (Kaplan–Meier)")
st.write("De curve toont welk deel van de trajecten na zoveel maanden nog loopt. Lopende trajecten tellen mee tot "
         "de peildatum (streepje op de curve) in plaats van als kort traject. Waar een curve de stippellijn bij 50% "
         "kruist, ligt de mediane duur. Klik op een organisatie in de legenda om haar curve uit te lichten.")
min_n = figure.min_n()
km = survival.km_by_group(durations)
medians = survival.median_table(durations)
overall = medians[medians["is_overall"]].iloc[0]
km_n = (f"n = {int(overall['n'])} trajecten: {int(overall['events'])} afgerond (einde gezien), "
        f"{int(overall['censored'])} lopend (gecensureerd op de peildatum {ctx.peildatum:%d-%m-%Y})")
st.altair_chart(charts.km_chart(km, min_n=min_n), width="stretch")
figure.caption(ctx, km_n, survival.DEFINITION + " De band hoort bij de curve van alle organisaties samen.",
               excluded=excluded_map)
per_org = medians[~medians["is_overall"]]
figure.small_n_warning(dict(zip(per_org["group"], per_org["families"])))
st.dataframe(charts.km_median_table_nl(medians, min_n=min_n), hide_index=True)
figure.caption(ctx, km_n, "Mediane duur in maanden met 95%-interval per organisatie. " + survival.DEFINITION,
               excluded=excluded_map)

# -- inflow, outflow, caseload ----------------------------------------------------------------
st.subheader("Instroom, uitstroom en caseload per maand")
flow = caseload.monthly_caseload(durations, ctx.peildatum)
if flow.empty:
    figure.no_data("trajecten met een startdatum vóór de peildatum")
else:
    last = flow.iloc[-1]
    st.write(f"Op de peildatum lopen **{int(last['running'])}** trajecten; in de laatste maand startten er "
             f"{int(last['starts'])} en werden er {int(last['ends'])} afgerond. Sleep in de bovenste grafiek over "
             "een periode om de onderste in te zoomen.")
    st.altair_chart(charts.caseload_chart(flow), width="stretch")
    figure.caption(ctx, f"n = {flow.attrs['n']} trajecten, {len(flow)} maanden t/m de peildatum "
                        f"{ctx.peildatum:%d-%m-%Y}", caseload.DEFINITION, excluded=flow.attrs["excluded"])
    with st.expander("Tabel per maand", icon=":material/table:"):
        st.dataframe(charts.caseload_table_nl(flow), hide_index=True)

# -- reasons for ending ---------------------------------------------------------------------
st.subheader("Redenen van beëindiging")
reasons = endings.ending_reasons(durations)
if reasons.empty:
    figure.no_data("afgeronde trajecten")
else:
    st.altair_chart(charts.reasons_chart(reasons), width="stretch")
    figure.caption(ctx, f"n = {reasons.attrs['n']} afgeronde trajecten (peildatum {ctx.peildatum:%d-%m-%Y})",
                   endings.REASONS_DEFINITION, excluded=reasons.attrs["excluded"])
    st.dataframe(charts.reasons_table_nl(reasons), hide_index=True)
    missing = reasons.loc[reasons["reason"] == endings.NO_REASON, "n"]
    if len(missing):
        st.caption(f"Bij {int(missing.iloc[0])} van de {reasons.attrs['n']} afgeronde trajecten is geen reden "
                   "ingevuld; zulke gaten maken de verdeling onzeker.")

# -- end dates ------------------------------------------------------------------------------
st.subheader("Einddatum ingevuld?")
completeness = endings.end_date_completeness(ds.trajectories)
st.dataframe(charts.end_dates_table_nl(completeness), hide_index=True)
figure.caption(ctx, f"n = {completeness.attrs['n']} trajecten (alle trajecten, ook die niet in de trajectduur "
                    "meetellen)", endings.END_DATES_DEFINITION)

# -- funnel ---------------------------------------------------------------------------------
st.subheader("Trechter: aanmelding → intake → begeleiding → resultaat")
with_funnel, without_funnel = endings.funnel_organisations(ds.trajectories)
if with_funnel:
    funnel = endings.funnel_rates(ds.trajectories[ds.trajectories["organisation"].isin(with_funnel)])
    excluded = dict(funnel.attrs["excluded"])
    if without_funnel:
        excluded[endings.NO_FUNNEL] = sum(without_funnel.values())
    st.write("Per stap: hoeveel trajecten die stap bereikten, van hoeveel bij de vorige stap. Alleen organisaties "
             f"die een fase of resultaat registreren tellen mee: {', '.join(with_funnel)}.")
    st.dataframe(charts.funnel_table_nl(funnel), hide_index=True)
    figure.caption(ctx, f"n = {funnel.attrs['n']} trajecten met een fase of resultaat", endings.FUNNEL_DEFINITION,
                   excluded=excluded)
    success = endings.funnel_success(ds.trajectories[ds.trajectories["organisation"].isin(with_funnel)])
    if success["n"]:
        st.write(f"Van de **{success['n']}** trajecten met een eindresultaat (geslaagd of niet geslaagd; lopende "
                 f"tellen niet mee) is **{success['k']}** geslaagd: "
                 f"{formatting.percent_ci(success['pct'], success['pct_lo'], success['pct_hi'])}.")
    if without_funnel:
        st.info("Geen trechter geregistreerd bij: " + ", ".join(f"{org} ({n} trajecten)"
                                                                  for org, n in without_funnel.items())
                + ". Deze organisaties tellen hierboven niet mee (dus niet als 0%).", icon=":material/filter_alt_off:")
else:
    st.info("In de huidige gegevens is geen trechter geregistreerd (aanmelding → intake → begeleiding → resultaat "
            "geslaagd / niet geslaagd / lopend). Organisaties kunnen dat vastleggen in de kolommen Fase en "
            "Resultaat van het registratieformat; daarom staan hier nu geen doorstroompercentages.",
            icon=":material/filter_alt_off:")
