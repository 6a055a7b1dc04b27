import pandas as pd
import streamlit as st

from components import charts, figure
from components.context import page_context
from gezinsmonitor import formatting, metrics, suppression
from gezinsmonitor import progress as pg
from gezinsmonitor import taxonomy as tx

BARS_KEY = "vg_bars"
SCOPE_KEY = "vg_leefgebied"

UNTIL_TEXT = "Alleen metingen op of vóór de peildatum tellen (metingen zonder datum tellen mee)."

ctx = page_context()
ds = ctx.data
peil = ctx.peildatum
min_n = figure.min_n()
st.title("Voortgang")
st.write("Voortgang per leefgebied, voor elk instrument in zijn eigen termen: de voortgangsscore van de gezinswerker, "
         "de Zelfredzaamheid-Matrix (ZRM) en de ernst van problemen. Scores van verschillende instrumenten worden "
         "nooit samen gemiddeld; alleen de richting van verandering zet ze naast elkaar. Alle figuren tellen alleen "
         f"metingen op of vóór de peildatum ({formatting.date(peil)}); metingen zonder datum tellen mee.")

m = ds.measurements
present = {i: bool((m["instrument"] == i).any()) for i in metrics.INSTRUMENTS}
if not any(present.values()):
    figure.no_data("voortgangsscores, ZRM-metingen of ernstscores")
    st.stop()


def shown(value, frame) -> str:
    """A count for the text under a figure: in a protected `frame`, '<10' where it is small, '×' where hidden."""
    mark = charts.hidden_mark(frame)
    if mark and (value is None or value != value or suppression.is_suppressed(value, frame.attrs.get("k"))):
        return mark
    return formatting.count(value)


def counted(values: dict) -> dict:
    """`excluded` without the counts a protected figure hides (None or NaN)."""
    return {reason: n for reason, n in values.items() if n is not None and n == n}


def absent(what: str) -> None:
    st.info(f"Geen {what} voor de gekozen filters.", icon=":material/info:")


def follow_click() -> None:
    """A click on a leefgebied in the stacked bars sets the leefgebied of the views below (before they render)."""
    event = st.session_state.get(BARS_KEY) or {}
    chosen = charts.clicked_leefgebied(event.get("selection"))
    st.session_state[SCOPE_KEY] = chosen or charts.PROGRESS_ALL_LABEL


# -- voortgangsscore ----------------------------------------------------------------------------
st.subheader("Voortgangsscore")
st.write("De laatste voortgangsscore per leefgebied, zoals de gezinswerker die inschat: "
         "van 1 (negatieve ontwikkeling) tot 5 (positieve ontwikkeling, geen steun meer nodig).")
summary = metrics.progress_summary(m, until=peil) if present[tx.VOORTGANG_INSTRUMENT] else None
scored = summary is not None and bool(((summary["n"] > 0) | summary["n"].isna()).any())
if summary is None:
    absent("voortgangsscores")
elif not scored:
    absent(f"voortgangsscores op of vóór de peildatum ({formatting.date(peil)})" if summary.attrs["after_until"]
           else "voortgangsscores (alleen n.v.t.)")
else:
    coverage = pg.coverage(ds.families, m, until=peil)
    without = coverage[coverage["without_score"] > 0]
    nvt = int(summary["nvt"].sum())
    distribution = metrics.progress_distribution(summary)
    chart = charts.progress_bars(distribution, summary)
    st.altair_chart(chart, width="stretch", key=BARS_KEY, on_select=follow_click,
                    selection_mode=charts.PROGRESS_LEEFGEBIED_PARAM)
    n_text = (f"n = {shown(summary.attrs['n_families'], summary)} gezinnen met een score · n per leefgebied bij "
              "de balk en in de tabel")
    score_definition = (metrics.DEFINITIONS["progress"] + " Het 95%-betrouwbaarheidsinterval (Wilson) hoort bij het "
                        "aandeel score 4–5. " + pg.DEFINITIONS["until"])
    figure.caption(ctx, n_text, score_definition, chart=chart, title="Voortgangsscore per leefgebied",
                   excluded=counted({"gezin × leefgebied met alleen n.v.t. (geen score)": nvt,
                                     "gezinnen zonder voortgangsscore (hun organisatie gebruikt een ander of geen "
                                     "instrument)": coverage.attrs["without"],
                                     "gezinnen met alleen voortgangsscores na de peildatum": summary.attrs["after_until"],
                                     **figure.withheld(summary, coverage)}))
    figure.table(charts.progress_table(summary), title="Voortgangsscore per leefgebied", ctx=ctx, n_text=n_text,
                 definition=score_definition)
    hidden_nvt = " (buiten de verborgen kleine aantallen)" if summary["nvt"].isna().any() else ""
    st.caption(f"**n.v.t. telt niet mee**: {formatting.count(nvt)} keer{hidden_nvt} had een gezin op een leefgebied alleen n.v.t. "
               "(geen steun op dat leefgebied); dat is geen score en valt buiten n en het gemiddelde. Het gemiddelde "
               "van deze schaal is alleen een samenvatting: kijk vooral naar de verdeling.")
    if len(without) and coverage.attrs["without"] is not None:
        listed = ", ".join(
            f"{r.organisation} ({formatting.count(r.without_score)}"
            + (f"; {' en '.join(r.other_instruments)}" if r.other_instruments else "") + ")"
            for r in without.itertuples())
        if coverage.get("verborgen", pd.Series(dtype=bool)).any():
            listed += " en organisaties met kleine aantallen (verborgen)"
        families = ds.families["family"].nunique() if charts.hidden_mark(coverage) else coverage["families"].sum()
        st.caption(f"**Zonder voortgangsscore**: {formatting.count(coverage.attrs['without'])} van de "
                   f"{formatting.count(families)} gezinnen vallen buiten deze figuren: {listed}. "
                   "Hun voortgang staat, waar gemeten, hieronder bij ZRM, ernst en richting van verandering.")

    # -- per organisatie --------------------------------------------------------------------------
    st.subheader("Vergelijking per organisatie")
    st.write("Per organisatie het aandeel gezinnen met als laatste score een 4 of 5, met het 95%-interval. Kies een "
             "leefgebied hieronder of klik erop in de grafiek hierboven. Bij ‘Alle leefgebieden samen’ telt een gezin "
             "als 4–5 wanneer het op élk leefgebied waarop het een score heeft een 4 of 5 heeft; zo telt elk gezin "
             "één keer. Dat is strenger voor organisaties die op meer leefgebieden scoren (meer kans op één score "
             "onder de 4): de tabel toont daarom per organisatie het gemiddelde aantal leefgebieden met een score.")
    options = [charts.PROGRESS_ALL_LABEL, *summary.loc[summary["n"] > 0, "leefgebied"]]
    if st.session_state.get(SCOPE_KEY) not in options:
        st.session_state[SCOPE_KEY] = charts.PROGRESS_ALL_LABEL
    choice = st.selectbox("Leefgebied", options, key=SCOPE_KEY,
                          help="Klik op een leefgebied in de grafiek hierboven om het hier te kiezen (dubbelklik "
                               "om de keuze op te heffen). Deze keuze geldt ook voor 'Voortgang en trajectduur'.")
    scope = pg.ALL if choice == charts.PROGRESS_ALL_LABEL else choice
    outcomes = pg.family_outcomes(m, scope, until=peil)
    comparison = pg.organisation_comparison(outcomes, min_n)
    if comparison.empty:
        absent(f"voortgangsscores op {choice}")
    else:
        chart = charts.progress_organisation_chart(comparison, scope)
        st.altair_chart(chart, width="stretch")
        pooled = comparison.attrs["pooled"]
        n_text = (f"n = {shown(pooled['n'], comparison)} gezinnen met een score in "
                  f"{formatting.count(len(comparison))} organisatie{'' if len(comparison) == 1 else 's'} · n per "
                  "organisatie bij de stip en in de tabel")
        excluded = counted({"gezinnen met alleen n.v.t. (geen score)": pooled["nvt"],
                            "gezinnen zonder voortgangsscore (hun organisatie gebruikt een ander of geen instrument)":
                                coverage.attrs["without"],
                            "gezinnen met alleen scores na de peildatum": comparison.attrs["after_until"],
                            **figure.withheld(comparison)})
        org_definition = " ".join([pg.definition(scope), pg.DEFINITIONS["organisations"], pg.DEFINITIONS["until"]])
        org_title = f"Voortgang per organisatie ({choice})"
        figure.caption(ctx, n_text, org_definition, excluded=excluded, chart=chart, title=org_title,
                       name="voortgang-per-organisatie")
        figure.small_n_warning({r.organisation: r.n for r in comparison.itertuples() if r.n == r.n})
        figure.table(charts.progress_organisation_table(comparison), title=org_title, ctx=ctx, n_text=n_text,
                     definition=org_definition, name="voortgang-per-organisatie")
        st.caption("Organisaties begeleiden verschillende gezinnen en scoren op hun eigen manier en momenten: een "
                   "verschil is een aanleiding voor het gesprek (‘hoe is dat bij jullie?’), geen rangorde. Overlappen "
                   "de intervallen, dan is het verschil niet duidelijk groter dan toeval.")
        if len(comparison) < 2:
            st.info("Er is maar één organisatie met voortgangsscores voor deze keuze; een vergelijking vraagt er "
                    "minstens twee.", icon=":material/info:")

    # -- voortgang en trajectduur -----------------------------------------------------------------
    st.subheader("Voortgang en trajectduur")
    st.write(f"Gaat langere begeleiding samen met meer voortgang? Per duurklasse het aandeel gezinnen met als laatste "
             f"score een 4 of 5 ({choice.lower() if scope is pg.ALL else choice}), apart voor afgeronde en lopende "
             f"trajecten, op peildatum {formatting.date(ctx.peildatum)}.")
    durations = metrics.trajectory_durations(ds.trajectories, ctx.peildatum)
    classes = pg.duration_classes(outcomes, durations, min_n)
    if classes.attrs["n"] == 0 and not charts.hidden_mark(classes):
        absent(f"gezinnen met zowel een voortgangsscore ({choice}) als een traject met een duur op de peildatum")
    else:
        chart = charts.progress_duration_chart(classes, scope)
        st.altair_chart(chart, width="content")
        by_status = classes.attrs["n_by_status"]
        n_text = (f"n = {shown(classes.attrs['n'], classes)} gezinnen ({shown(by_status[tx.STATUS_AFGEROND], classes)}"
                  f" afgerond, {shown(by_status[tx.STATUS_LOPEND], classes)} lopend) · n per klasse bij elke rij")
        duration_definition = pg.definition(scope) + " " + pg.DEFINITIONS["duration"]
        duration_title = f"Voortgang en trajectduur ({choice})"
        figure.caption(ctx, n_text, duration_definition,
                       excluded={**classes.attrs["excluded"], **figure.withheld(classes)}, chart=chart,
                       title=duration_title, name="voortgang-en-trajectduur")
        st.warning(
            "**Samenhang, geen effect.** Deze figuur laat zien of gezinnen met een langere begeleiding vaker een hoge "
            "laatste score hebben, niet dat langere steun tot meer voortgang leidt. Lopende trajecten zijn nog niet "
            "af: hun duur is een ondergrens en hun score kan nog veranderen; vergelijk afgerond en lopend daarom "
            "apart. Gezinnen verschillen: wie met zwaardere problemen begint, blijft vaak langer, en een kort "
            "afgerond traject kan goed (doelen bereikt) of slecht (uitval, verhuizing) zijn afgelopen. De laatste "
            "score is niet altijd op de peildatum gemeten, en organisaties scoren op hun eigen momenten.",
            icon=":material/balance:")
        figure.small_n_warning({f"{status} {bucket} mnd": n for status, bucket, n
                                in classes[["status", "bucket", "n"]].itertuples(index=False) if n > 0})
        figure.table(charts.progress_duration_table(classes), classes, title=duration_title, ctx=ctx, n_text=n_text,
                     definition=duration_definition, name="voortgang-en-trajectduur")

# -- ZRM ----------------------------------------------------------------------------------------
st.subheader("Zelfredzaamheid (ZRM)")
levels = metrics.zrm_levels(m, min_n=min_n, until=peil) if present[metrics.ZRM_INSTRUMENT] else None
if levels is None or levels.empty:
    absent("ZRM-metingen (Zelfredzaamheid-Matrix)")
else:
    chart = charts.zrm_level_lines(levels)
    st.altair_chart(chart, width="stretch")
    zrm_n = f"n = {shown(levels.attrs['n_families'], levels)} gezinnen met een ZRM-niveau · n per punt in de tabel"
    zrm_definition = metrics.DEFINITIONS["zrm"] + " " + UNTIL_TEXT
    figure.caption(ctx, zrm_n, zrm_definition, excluded={**levels.attrs["excluded"], **figure.withheld(levels)},
                   chart=chart, title="Zelfredzaamheid (ZRM)", name="voortgang-zelfredzaamheid-zrm")
    figure.small_n_warning(charts.zrm_groups(levels))
    figure.table(charts.zrm_table(levels), title="Zelfredzaamheid (ZRM)", ctx=ctx, n_text=zrm_n,
                 definition=zrm_definition, name="voortgang-zelfredzaamheid-zrm")

# -- ernst --------------------------------------------------------------------------------------
st.subheader("Ernst van problemen")
share = (metrics.severity_share(m, ds.trajectories, min_n=min_n, until=peil)
         if present[metrics.ERNST_INSTRUMENT] else None)
if share is None or share.empty:
    absent("ernstscores (ernst van problemen)")
else:
    chart = charts.severity_bars(share)
    st.altair_chart(chart, width="stretch")
    unanswered = {f"gezin × indicator zonder bekend antwoord op {moment} (onbekend of leeg; het moment was zeker "
                  "voorbij)": count for moment, count in share.attrs["unanswered"].items()}
    severity_n = (f"n = {shown(share.attrs['n_families'], share)} gezinnen met een ernstscore · N per indicator en "
                  "moment bij elke balk en in de tabel")
    severity_definition = metrics.DEFINITIONS["severity"] + " " + UNTIL_TEXT
    figure.caption(ctx, severity_n, severity_definition,
                   excluded={**unanswered, **share.attrs["excluded"], **figure.withheld(share)}, chart=chart,
                   title="Ernst van problemen", name="voortgang-ernst-van-problemen")
    figure.small_n_warning(charts.severity_groups(share))
    figure.table(charts.severity_table(share), share, title="Ernst van problemen", ctx=ctx, n_text=severity_n,
                 definition=severity_definition, name="voortgang-ernst-van-problemen")

# -- richting van verandering -------------------------------------------------------------------
st.subheader("Richting van verandering (alle instrumenten)")
direction = metrics.direction_of_change(m, min_n=min_n, until=peil)
measured = direction[(direction["n"] > 0) | direction["n"].isna()]
single = direction.attrs["een_meetmoment"]
missing = [metrics.INSTRUMENT_LABELS[i] for i in metrics.INSTRUMENTS if not present[i]]
if measured.empty:
    absent("metingen met een richting van verandering (ZRM en ernst hebben minstens twee meetmomenten nodig)")
else:
    chart = charts.direction_bars(direction)
    st.altair_chart(chart, width="stretch")
    n_text = "n = " + " · ".join(
        f"{shown(direction.attrs['n_families'][i], direction)} gezinnen ({metrics.INSTRUMENT_LABELS[i]})"
        for i in metrics.INSTRUMENTS if present[i])
    labels = metrics.INSTRUMENT_LABELS
    excluded = {
        **{f"gezinnen met één meetmoment ({labels[i]})": single[i] for i in metrics.INSTRUMENTS
           if single[i] is not None},
        **{f"metingen T-alternatief ({labels[i]}; een schatting, geen meetmoment)": direction.attrs["schatting"][i]
           for i in metrics.INSTRUMENTS},
        **{f"metingen na de peildatum ({labels[i]})": direction.attrs["after_until"][i] for i in metrics.INSTRUMENTS},
    }
    direction_definition = metrics.DEFINITIONS["direction"] + " " + UNTIL_TEXT
    figure.caption(ctx, n_text, direction_definition, excluded={**excluded, **figure.withheld(direction)},
                   chart=chart, title="Richting van verandering (alle instrumenten)",
                   name="voortgang-richting-van-verandering")
    figure.small_n_warning(charts.direction_groups(direction))
    figure.table(charts.direction_table(direction), direction, title="Richting van verandering", ctx=ctx,
                 n_text=n_text, definition=direction_definition, name="voortgang-richting-van-verandering")
left_out = [f"{formatting.count(single[i])} gezinnen bij {metrics.INSTRUMENT_LABELS[i]}"
            for i in metrics.INSTRUMENTS if single.get(i)]
if left_out:
    st.caption("**Eén meetmoment telt niet mee**: " + ", ".join(left_out) + " hebben maar één meetmoment; zonder "
               "tweede meting is er geen richting.")
if missing:
    st.caption("Geen gegevens voor: " + ", ".join(missing) + ".")
