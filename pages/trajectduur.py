import pandas as pd
import streamlit as st

from components import charts, figure
from components.context import page_context
from gezinsmonitor import caseload, disclosure, endings, formatting, metrics, suppression, survival
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
ends = endings.end_date_summary(ds.trajectories)
K = ctx.access.k
HIDDEN = suppression.HIDDEN_MARK  # a hidden head count may be large: '×', not '<k' (a small one reads '<k')


def shown(n, k: int = K):
    """A head count as the data layer gave it: None is hidden for this viewer ('×': it may be large), a text is
    the data layer's own mark ('<10' where it knows the count is small). Small counts here (e.g. the excluded
    total, n minus the counted trajectories, both shown) read '<10' for a viewer who does not own the rows."""
    if n is None:
        return HIDDEN
    if isinstance(n, str):
        return n
    return suppression.suppress(n, k) if protected else n


protected = disclosure.is_protected(table)
# Excluded trajectories per reason: for the caption only those the data layer did not hide.
excluded_map = {reason: n for reason, n in head["excluded"].items() if n is not None}
excluded_total = len(durations) - head["counted"]

cols = st.columns(5)
cols[0].metric("Trajecten meegeteld", shown(head["counted"]))
cols[1].metric("Afgerond / lopend", f"{shown(head[tx.STATUS_AFGEROND])} / {shown(head[tx.STATUS_LOPEND])}")
cols[2].metric("Niet meegeteld", shown(excluded_total))
cols[3].metric("Zonder einddatum", shown(ends["no_end"]),
               help="Geen einddatum en ook geen verwachte einddatum; zoals in de tabel 'Einddatum ingevuld?'.")
cols[4].metric("Alleen verwachte einddatum", shown(ends["expected_only"]),
               help="Bijvoorbeeld 'naar verwachting januari 2027': het traject loopt nog.")

notes = [f"**{shown(ends['no_end'])}** van de {shown(ends['n'])} trajecten hebben geen einddatum "
         f"({shown(ends['no_end_running'])} lopend, {shown(ends['no_end_completed'])} afgerond, status zoals "
         "geregistreerd)"
         + (f"; {shown(ends['expected_only'])} hebben alleen een verwachte einddatum." if ends["expected_only"] != 0
            else ".")]
if head["excluded"]:
    notes.append("Niet meegeteld: " + ", ".join(f"{shown(n)} × {reason}" for reason, n in head["excluded"].items())
                 + ".")
if protected:
    notes.append(f"Aantallen van 1 tot en met {K - 1} trajecten van organisaties die niet de uwe zijn staan er als "
                 f"'{HIDDEN}', en waar zo'n aantal uit een totaal terug te rekenen zou zijn ook een ander aantal: zo "
                 "blijft elk gezin onherkenbaar.")
st.markdown(" ".join(notes))
st.warning(
    f"Van {shown(head[tx.STATUS_LOPEND])} lopende trajecten is de duur een **ondergrens**: ze lopen nog, dus hun "
    "uiteindelijke duur is langer dan de tijd tot de peildatum (gecensureerde waarnemingen). Vergelijk lopend en "
    "afgerond daarom niet als gelijke duren; de Kaplan–Meier-curve hieronder houdt er wel rekening mee.",
    icon=":material/hourglass_top:",
)

if head["counted"] == 0:
    figure.no_data("trajecten met een bruikbare duur")
    st.stop()

n_text = f"n = {table.attrs['n']} trajecten (peildatum {ctx.peildatum:%d-%m-%Y})"
st.subheader("Trajecten per duurklasse")
chart = charts.duration_bars(table)
st.altair_chart(chart, width="stretch")
figure.caption(ctx, n_text, metrics.DEFINITIONS["duration"], excluded=excluded_map | figure.withheld(table),
               chart=chart, title="Trajecten per duurklasse")
# A protected table is text with '<10' already.
figure.table(charts.duration_table_nl(table), title="Trajecten per duurklasse", ctx=ctx, n_text=n_text,
             definition=metrics.DEFINITIONS["duration"])

st.subheader("Verdeling in maanden")
bins = metrics.duration_bins(durations)  # binned here: no duration of a single trajectory goes to the browser
chart = charts.duration_histogram(bins)
st.altair_chart(chart, width="stretch")
step = bins.attrs["step"]
figure.caption(ctx, n_text, metrics.DEFINITIONS["duration"] + " Stippellijnen bij 6, 12, 18 en 24 maanden."
               + (f" Staven van {step} maanden." if step != 1 else ""),
               excluded=excluded_map | figure.withheld(bins), chart=chart, title="Trajectduur: verdeling in maanden",
               name="trajectduur-verdeling-in-maanden")

# -- Kaplan–Meier ---------------------------------------------------------------------------
st.subheader("Hoe lang blijven gezinnen in begeleiding? (Kaplan–Meier)")
st.write("De curve toont welk deel van de trajecten na zoveel maanden nog loopt. Lopende trajecten tellen mee tot "
         "de peildatum (streepje op de curve) in plaats van als kort traject. Waar een curve de stippellijn bij 50% "
         "kruist, ligt de mediane duur. Klik op een organisatie in de legenda om haar curve uit te lichten.")
min_n = figure.min_n()
km = survival.km_by_group(durations)
medians = survival.median_table(durations)
overall = medians[medians["is_overall"]].iloc[0]
km_n = (f"n = {shown(overall['n'])} trajecten: {shown(overall['events'])} afgerond (einde gezien), "
        f"{shown(overall['censored'])} lopend (gecensureerd op de peildatum {ctx.peildatum:%d-%m-%Y})"
        if not overall.get(disclosure.HIDDEN, False) else f"n = {HIDDEN} trajecten")
km_definition = survival.DEFINITION + (" " + survival.PROTECTED_NOTE if km.attrs.get("coarse") else "")
chart = charts.km_chart(km, min_n=min_n)
st.altair_chart(chart, width="stretch")
figure.caption(ctx, km_n, km_definition + " De band hoort bij de curve van alle organisaties samen.",
               excluded=excluded_map | figure.withheld(km), chart=chart,
               title="Hoe lang blijven gezinnen in begeleiding? (Kaplan–Meier)", name="trajectduur-kaplan-meier")
per_org = medians[~medians["is_overall"] & medians["families"].notna()]
figure.small_n_warning(dict(zip(per_org["group"], per_org["families"].astype(int))))
median_definition = "Mediane duur in maanden met 95%-interval per organisatie. " + km_definition
figure.table(charts.km_median_table_nl(medians, min_n=min_n), medians, title="Mediane trajectduur (Kaplan–Meier)",
             ctx=ctx, n_text=km_n, definition=median_definition, name="trajectduur-mediaan-kaplan-meier")
figure.caption(ctx, km_n, median_definition, excluded=excluded_map | figure.withheld(medians))

# -- inflow, outflow, caseload ----------------------------------------------------------------
st.subheader("Instroom, uitstroom en caseload per maand")
flow = caseload.monthly_caseload(durations, ctx.peildatum)
if flow.empty:
    figure.no_data("trajecten met een startdatum vóór de peildatum")
else:
    last = flow.iloc[-1]

    def month_count(value) -> str:
        return HIDDEN if pd.isna(value) else formatting.count(value)

    st.write(f"Op de peildatum lopen **{month_count(last['running'])}** trajecten; in de laatste maand startten er "
             f"{month_count(last['starts'])} en werden er {month_count(last['ends'])} afgerond. Sleep in de bovenste "
             "grafiek over een periode om de onderste in te zoomen.")
    chart = charts.caseload_chart(flow)
    st.altair_chart(chart, width="stretch")
    flow_excluded = {reason: n for reason, n in flow.attrs["excluded"].items() if not protected or n >= K}
    flow_n = (f"n = {shown(flow.attrs['n'])} trajecten, {len(flow)} maanden t/m de peildatum "
              f"{formatting.date(ctx.peildatum)}")
    figure.caption(ctx, flow_n, caseload.DEFINITION, excluded=flow_excluded | figure.withheld(flow), chart=chart,
                   title="Instroom, uitstroom en caseload per maand")
    with st.expander("Tabel per maand", icon=":material/table:"):
        figure.table(charts.caseload_table_nl(flow), flow, title="Instroom, uitstroom en caseload per maand",
                     ctx=ctx, n_text=flow_n, definition=caseload.DEFINITION)

# -- reasons for ending ---------------------------------------------------------------------
st.subheader("Redenen van beëindiging")
reasons = endings.ending_reasons(durations)
if reasons.empty:
    figure.no_data("afgeronde trajecten")
else:
    chart = charts.reasons_chart(reasons)
    st.altair_chart(chart, width="stretch")
    reasons_excluded = {reason: n for reason, n in reasons.attrs["excluded"].items() if not protected or n >= K}
    reasons_n = f"n = {shown(reasons.attrs['n'])} afgeronde trajecten (peildatum {ctx.peildatum:%d-%m-%Y})"
    figure.caption(ctx, reasons_n, endings.REASONS_DEFINITION, excluded=reasons_excluded | figure.withheld(reasons),
                   chart=chart, title="Redenen van beëindiging")
    figure.table(charts.reasons_table_nl(reasons), reasons, title="Redenen van beëindiging", ctx=ctx,
                 n_text=reasons_n, definition=endings.REASONS_DEFINITION)
    missing = reasons.loc[reasons["reason"] == endings.NO_REASON, "n"]
    if len(missing):
        st.caption(f"Bij {month_count(missing.iloc[0]) if protected else int(missing.iloc[0])} van de "
                   f"{shown(reasons.attrs['n'])} afgeronde trajecten is geen reden ingevuld; zulke gaten maken de "
                   "verdeling onzeker.")

# -- end dates ------------------------------------------------------------------------------
st.subheader("Einddatum ingevuld?")
completeness = endings.end_date_completeness(ds.trajectories)
ends_n = (f"n = {shown(completeness.attrs['n'])} trajecten (alle trajecten, ook die niet in de trajectduur "
          "meetellen)")
figure.table(charts.end_dates_table_nl(completeness), completeness, title="Einddatum ingevuld", ctx=ctx,
             n_text=ends_n, definition=endings.END_DATES_DEFINITION, name="trajecten-einddatum-ingevuld")
figure.caption(ctx, ends_n, endings.END_DATES_DEFINITION, excluded=figure.withheld(completeness))

# -- funnel ---------------------------------------------------------------------------------
st.subheader("Trechter: aanmelding → intake → begeleiding → resultaat")
with_funnel, without_funnel = endings.funnel_organisations(ds.trajectories)
if with_funnel:
    funnel = endings.funnel_rates(ds.trajectories[ds.trajectories["organisation"].isin(with_funnel)])
    excluded = {reason: n for reason, n in funnel.attrs["excluded"].items() if not protected or n >= K}
    if without_funnel and None not in without_funnel.values():
        excluded[endings.NO_FUNNEL] = sum(without_funnel.values())
    excluded |= figure.withheld(funnel)
    st.write("Per stap: hoeveel trajecten die stap bereikten, van hoeveel bij de vorige stap. Alleen organisaties "
             f"die een fase of resultaat registreren tellen mee: {', '.join(with_funnel)}.")
    funnel_n = f"n = {shown(funnel.attrs['n'])} trajecten met een fase of resultaat"
    figure.table(charts.funnel_table_nl(funnel), funnel, title="Trechter", ctx=ctx, n_text=funnel_n,
                 definition=endings.FUNNEL_DEFINITION, name="trechter-aanmelding-tot-resultaat")
    figure.caption(ctx, funnel_n, endings.FUNNEL_DEFINITION, excluded=excluded)
    success = endings.funnel_success(ds.trajectories[ds.trajectories["organisation"].isin(with_funnel)])
    if success["n"]:
        st.write(f"Van de **{success['n']}** trajecten met een eindresultaat (geslaagd of niet geslaagd; lopende "
                 f"tellen niet mee) is **{success['k']}** geslaagd: "
                 f"{formatting.percent_ci(success['pct'], success['pct_lo'], success['pct_hi'])}.")
    if without_funnel:
        st.info("Geen trechter geregistreerd bij: " + ", ".join(f"{org} ({shown(n)} trajecten)"
                                                                  for org, n in without_funnel.items())
                + ". Deze organisaties tellen hierboven niet mee (dus niet als 0%).", icon=":material/filter_alt_off:")
else:
    st.info("In de huidige gegevens is geen trechter geregistreerd (aanmelding → intake → begeleiding → resultaat "
            "geslaagd / niet geslaagd / lopend). Organisaties kunnen dat vastleggen in de kolommen Fase en "
            "Resultaat van het registratieformat; daarom staan hier nu geen doorstroompercentages.",
            icon=":material/filter_alt_off:")
