import streamlit as st

from components import charts, figure
from components.context import page_context
from gezinsmonitor import background, breakdown, cooccurrence, formatting, metrics

FOCUS_KEY = "hv_focus"  # the highlighted leefgebied: one value every view follows
CHART_KEY = "hv_leefgebied_chart"
PENDING = "hulpvragen met een onzekere koppeling (te beoordelen)"
REQUESTS_CI_NOTE = ("Het 95%-BI bij % van de hulpvragen telt hulpvragen als onafhankelijk; hulpvragen van één gezin "
                    "hangen samen, dus het werkelijke interval is wat breder.")


def _follow_click() -> None:
    # Runs before the script: a click on a leefgebied bar becomes the page's highlight.
    st.session_state[FOCUS_KEY] = charts.selected_leefgebied(st.session_state.get(CHART_KEY))


ctx = page_context()
ds = ctx.data
st.title("Hulpvragen")
st.write("Waarvoor vragen gezinnen hulp? Per leefgebied, per categorie en organisatie, welke hulpvragen samen "
         "voorkomen, naar achtergrond van het gezin en het aantal hulpvragen per gezin.")

if ds.families.empty or ds.requests.empty:
    figure.no_data("hulpvragen")
    st.stop()

st.info(
    "Let op welke maat u ziet: **% van de gezinnen** (hoeveel gezinnen minstens één hulpvraag op dit leefgebied "
    "hebben) of **% van de hulpvragen** (welk deel van alle hulpvragen erop valt). In de monitor was 17% van de "
    "hulpvragen financieel, terwijl 79% van de gezinnen een financiële hulpvraag had.",
    icon=":material/info:",
)

needs = metrics.needs(ds.requests)
detail = metrics.needs_detail(ds.requests)
n_families, n_requests, pending = needs.attrs["n_families"], needs.attrs["n_requests"], needs.attrs["te_beoordelen"]
if n_families == 0:  # every request still waits for review
    figure.no_data("beoordeelde hulpvragen")
    st.warning(f"{figure.count(ctx, pending)} hulpvraag/-vragen wachten op beoordeling (pagina Te beoordelen).",
               icon=":material/rule:")
    st.stop()
excluded = {PENDING: pending}
n_text = (f"n = {charts.n_text(n_families, needs)} gezinnen met een hulpvraag · {charts.n_text(n_requests, needs)} "
          "hulpvragen")
if pending:
    n_text += f" · {figure.count(ctx, pending)} te beoordelen, niet meegeteld"
    st.warning(f"{figure.count(ctx, pending)} hulpvraag/-vragen hebben een onzekere koppeling aan een leefgebied en "
               "tellen nog niet mee. Beoordeel ze op de pagina Te beoordelen.", icon=":material/rule:")

leefgebieden = list(needs["leefgebied"])
if st.session_state.get(FOCUS_KEY) not in (None, *leefgebieden):
    st.session_state[FOCUS_KEY] = None  # a leefgebied that the current filters no longer show
measure = st.segmented_control(
    "Maat", list(charts.NEEDS_MEASURES), format_func=charts.NEEDS_MEASURES.get,
    default="families_pct", required=True, key="hv_measure",
)
focus = st.segmented_control(
    "Leefgebied uitlichten", leefgebieden, key=FOCUS_KEY,
    help="Klik op een balk in 'Per leefgebied' of kies hier een leefgebied: de andere grafieken lichten het uit. "
         "Klik nogmaals om het uitlichten op te heffen.",
)
definition = metrics.DEFINITIONS["needs_families" if measure == "families_pct" else "needs_requests"]
ci_note = " 95%-BI: Wilson." + (f" {REQUESTS_CI_NOTE}" if measure == "requests_pct" else "")

st.subheader("Per leefgebied")
chart = charts.needs_bars(needs, measure, focus)
st.altair_chart(chart, width="stretch", key=CHART_KEY, on_select=_follow_click, selection_mode=charts.NEEDS_SELECTION)
figure.caption(ctx, n_text, f"{definition} Streepjes: 95%-betrouwbaarheidsinterval (Wilson). Klik op een "
                            "leefgebied om het in de andere grafieken uit te lichten.",
               excluded | figure.withheld(needs), chart=chart, title="Per leefgebied", name="hulpvragen-per-leefgebied")
both = (f"{charts.NEEDS_MEASURES['families_pct']}: {metrics.DEFINITIONS['needs_families']} "
        f"{charts.NEEDS_MEASURES['requests_pct']}: {metrics.DEFINITIONS['needs_requests']} {REQUESTS_CI_NOTE}")
figure.table(charts.needs_table(needs), needs, title="Hulpvragen per leefgebied", ctx=ctx, n_text=n_text,
             definition=both)
figure.caption(ctx, n_text, both, excluded | figure.withheld(needs))

st.subheader("Per leefgebied en categorie")
chart = charts.needs_detail_bars(detail, measure, focus)
st.altair_chart(chart, width="stretch")
detail_definition = f"{definition} Hulpvragen zonder categorie staan als '{charts.NO_CATEGORY}'.{ci_note}"
figure.caption(ctx, n_text, detail_definition, excluded | figure.withheld(detail), chart=chart,
               title="Per leefgebied en categorie", name="hulpvragen-per-leefgebied-en-categorie")
figure.table(charts.needs_table(detail), detail, title="Hulpvragen per leefgebied en categorie", ctx=ctx,
             n_text=n_text, definition=detail_definition)

st.subheader("Per organisatie")
min_n = figure.min_n()
by_org = breakdown.needs_by_organisation(ds.requests, min_n)
org_sizes = by_org.attrs["groups"]
chart = charts.needs_org_multiples(by_org, measure, focus, min_n)
st.altair_chart(chart, width="stretch")
if len(org_sizes) > 1:
    figure.small_n_warning(charts.shown_sizes(org_sizes, by_org), "gezinnen met een hulpvraag")
org_n_text = (f"n = {len(org_sizes)} organisaties · " + ", ".join(f"{o}: {charts.n_text(n, by_org)}"
                                                                 for o, n in org_sizes.items())
              + " gezinnen met een hulpvraag")
org_definition = (f"Per organisatie apart berekend. {definition} Organisaties met minder dan {min_n} gezinnen zijn "
                  f"bleek en hebben 'n < {min_n}' in hun titel.{ci_note}")
figure.caption(ctx, org_n_text, org_definition, excluded | figure.withheld(by_org), chart=chart,
               title="Per organisatie", name="hulpvragen-per-organisatie")
with st.expander("Tabel per organisatie", icon=":material/table:"):
    figure.table(charts.needs_group_table(by_org, measure, "Organisatie"), title="Hulpvragen per organisatie",
                 ctx=ctx, n_text=org_n_text, definition=org_definition)

st.subheader("Welke hulpvragen komen samen voor?")
co = cooccurrence.cooccurrence(ds.requests)
co_pairs = cooccurrence.pairs(co)
chart = charts.cooccurrence_heatmap(co, focus)
st.altair_chart(chart, width="content")
co_n_text = f"n = {charts.n_text(co.attrs['n_families'], co)} gezinnen met een hulpvraag"
co_definition = (
    "Per paar leefgebieden: het aantal gezinnen met minstens één hulpvraag op beide, en dat aantal als % van alle "
    "gezinnen met een hulpvraag. Op de omkaderde diagonaal: gezinnen met een hulpvraag op dat leefgebied (zoals "
    "'Per leefgebied'). De tooltip geeft ook welk deel van de gezinnen met het leefgebied van de rij ook een hulpvraag "
    "op dat van de kolom heeft. 95%-BI: Wilson.")
figure.caption(ctx, co_n_text, co_definition, excluded | figure.withheld(co), chart=chart,
               title="Welke hulpvragen komen samen voor?", name="hulpvragen-die-samen-voorkomen")
figure.table(charts.cooccurrence_table(co_pairs), co_pairs, title="Hulpvragen die samen voorkomen", ctx=ctx,
             n_text=co_n_text, definition=co_definition)

st.subheader("Naar achtergrond van het gezin")
st.caption("Per groep gezinnen: welk deel heeft een hulpvraag op elk leefgebied? Gezinnen zonder ingevulde waarde "
           "staan in de groep 'onbekend' en tellen mee.")
tabs = st.tabs([dim.label for dim in background.DIMENSIONS.values()])
for tab, key in zip(tabs, background.DIMENSIONS):
    with tab:
        by_bg = background.needs_by_background(ds.requests, ds.families, key, min_n)
        label, phrase = by_bg.attrs["label"], by_bg.attrs["phrase"]
        if by_bg.attrs["empty"]:
            st.info(f"Geen gegevens over {phrase}: bij geen van de {charts.n_text(by_bg.attrs['families'], by_bg)} "
                    "gezinnen is dit ingevuld (allemaal 'onbekend'). Daarom staat hier geen grafiek; vul het in de "
                    "registratie in om deze uitsplitsing te zien.", icon=":material/info:")
            continue
        groups = by_bg.attrs["groups"]
        chart = charts.background_bars(by_bg, focus, min_n)
        st.altair_chart(chart, width="stretch")
        figure.small_n_warning(charts.shown_sizes(groups, by_bg), "gezinnen met een hulpvraag")
        bg_n_text = (f"n = {charts.n_text(by_bg.attrs['n_families'], by_bg)} gezinnen met een hulpvraag · "
                     + ", ".join(f"{g}: {charts.n_text(n, by_bg)}" for g, n in groups.items())
                     + f" · {phrase} bekend bij {charts.n_text(by_bg.attrs['known'], by_bg)} van "
                       f"{charts.n_text(by_bg.attrs['families'], by_bg)} gezinnen")
        bg_definition = (
            f"Per groep: het aandeel van de gezinnen van die groep met een hulpvraag dat minstens één hulpvraag op het "
            f"leefgebied heeft (n = gezinnen van de groep met een hulpvraag). Zonder ingevulde waarde: groep 'onbekend'. "
            f"Groepen met minder dan {min_n} gezinnen zijn bleek. 95%-BI: Wilson.")
        bg_title = f"Hulpvragen naar {label.lower()}"
        figure.caption(ctx, bg_n_text, bg_definition,
                       {**excluded, "gezinnen zonder meegetelde hulpvraag": by_bg.attrs["without_request"],
                        **figure.withheld(by_bg)}, chart=chart, title=bg_title)
        figure.table(charts.needs_group_table(by_bg, "families_pct", label), title=bg_title, ctx=ctx,
                     n_text=bg_n_text, definition=bg_definition)

st.subheader("Aantal hulpvragen per gezin")
dist = metrics.requests_per_family(ds.requests, ds.families)
chart = charts.requests_per_family_bars(dist)
st.altair_chart(chart, width="stretch")
figure.caption(
    ctx,
    f"n = {charts.n_text(dist.attrs['n_families'], dist)} gezinnen · gemiddeld {figure.nl_number(dist.attrs['mean'])} "
    "hulpvragen per gezin",
    "Aantal geregistreerde hulpvragen per gezin; gezinnen zonder hulpvraag tellen mee als 0.",
    excluded | figure.withheld(dist), chart=chart, title="Aantal hulpvragen per gezin",
)
