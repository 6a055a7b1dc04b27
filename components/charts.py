"""Altair chart builders. Each returns a chart whose data and encoding tests can inspect.

Builders take the output of `gezinsmonitor.metrics` and only reshape it for display; the
`*_table` functions shape the Dutch tables shown next to the charts (numbers as Dutch text).
"""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from gezinsmonitor import metrics
from gezinsmonitor import taxonomy as tx

from .figure import nl_number

NAVY = "#1F3A5F"
LIGHT = "#7A9CC6"
STATUS_COLORS = {tx.STATUS_LOPEND: LIGHT, tx.STATUS_AFGEROND: NAVY}

# The two views of the needs that are easily confused (DOMAIN §3.1): always say which one.
NEEDS_MEASURES = {"families_pct": "% van de gezinnen", "requests_pct": "% van de hulpvragen"}
NO_CATEGORY = "(geen categorie)"

# Voortgangsscore 1–5, red → green.
SCORE_COLORS = {1: "#C0392B", 2: "#E67E22", 3: "#F1C40F", 4: "#7FB77E", 5: "#2E7D32"}
DURATION_RULES = (6, 12, 18, 24)
MOMENT_LABELS = {"start": "eerste meting (rond aanmelding)", "latest": "laatste meting"}
MOMENT_COLORS = {"start": NAVY, "latest": LIGHT}
KIND_TITLES = {
    tx.INVESTMENT: "Inzet: uren per week van professionals en vrijwilligers",
    tx.PARTICIPATION: "Deelname van het gezin: uren per week (uitkomst, geen inzet)",
}
# Direction of change (DOMAIN §3.2): the one view that puts instruments side by side, never averaged.
DIRECTION_COLORS = {"verbeterd": "#2E7D32", "gelijk": "#B0B7C3", "verslechterd": "#C0392B"}
NO_UNIT = "(geen eenheid)"
DUTCH_NUMBERS = alt.Locale(number=alt.NumberLocale(decimal=",", thousands=".", grouping=[3], currency=["€ ", ""]))
PCT_TICKS = list(range(0, 101, 10))
BAR_ROW_HEIGHT = 34  # px per bar (alt.Step; a fixed pixel height renders squashed in Streamlit)


def _dutch(chart):
    """Dutch decimal commas in axes and tooltips; call last (a configured chart cannot be layered)."""
    return chart.configure(locale=DUTCH_NUMBERS)


def _pct_text(value) -> str:
    return f"{nl_number(value, 1)} %" if value == value and value is not None else "–"


def hours_text(value) -> str:
    """Hours per week as '4 u 5 min' / '50 min' (the notation of the reports); '–' when missing."""
    if value is None or value != value:
        return "–"
    minutes = int(round(float(value) * 60))
    h, m = divmod(minutes, 60)
    if h and m:
        return f"{h} u {m} min"
    return f"{h} u" if h else f"{m} min"


def overview_bars(table: pd.DataFrame) -> alt.Chart:
    """Families per organisation, lopend vs afgerond stacked."""
    long = table[["organisatie", *tx.STATUSES]].melt(id_vars="organisatie", value_vars=list(tx.STATUSES), var_name="status", value_name="gezinnen")
    return (
        alt.Chart(long, title="Gezinnen per organisatie", height=alt.Step(28))
        .mark_bar()
        .encode(
            y=alt.Y("organisatie:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)),
            x=alt.X("sum(gezinnen):Q", title="Aantal gezinnen"),
            color=alt.Color("status:N", title="Status",
                            scale=alt.Scale(domain=list(STATUS_COLORS), range=list(STATUS_COLORS.values()))),
            tooltip=["organisatie:N", "status:N", alt.Tooltip("gezinnen:Q", title="gezinnen")],
        )
    )


# -- hulpvragen ------------------------------------------------------------------------------
def _needs_tooltip(label: str) -> list:
    return [
        alt.Tooltip(f"{label}:N", title=label),
        alt.Tooltip("families:Q", title="gezinnen"),
        alt.Tooltip("families_pct:Q", title=NEEDS_MEASURES["families_pct"], format=".1f"),
        alt.Tooltip("requests:Q", title="hulpvragen"),
        alt.Tooltip("requests_pct:Q", title=NEEDS_MEASURES["requests_pct"], format=".1f"),
    ]


def needs_bars(table: pd.DataFrame, measure: str = "families_pct") -> alt.Chart:
    """Per leefgebied one bar of `measure` (families_pct or requests_pct), in taxonomy order."""
    label = NEEDS_MEASURES[measure]
    chart = (
        alt.Chart(table, title=f"Hulpvragen per leefgebied — {label}")
        .mark_bar(color=NAVY)
        .encode(
            y=alt.Y("leefgebied:N", title=None, sort=list(table["leefgebied"])),
            x=alt.X(f"{measure}:Q", title=label, scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(values=PCT_TICKS)),
            tooltip=_needs_tooltip("leefgebied"),
        )
        .properties(height=alt.Step(BAR_ROW_HEIGHT))
    )
    return _dutch(chart)


def _detail_frame(detail: pd.DataFrame) -> pd.DataFrame:
    frame = detail.copy()
    frame["categorie"] = frame["categorie"].astype(object).where(frame["categorie"].notna(), NO_CATEGORY)
    frame["label"] = frame["leefgebied"].astype(str) + " · " + frame["categorie"].astype(str)
    return frame


def needs_detail_bars(detail: pd.DataFrame, measure: str = "families_pct") -> alt.Chart:
    """Per leefgebied × categorie one bar, coloured by leefgebied; a missing categorie is '(geen categorie)'."""
    label = NEEDS_MEASURES[measure]
    frame = _detail_frame(detail)
    chart = (
        alt.Chart(frame, title=f"Hulpvragen per leefgebied en categorie — {label}")
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort=list(frame["label"]), axis=alt.Axis(labelLimit=320)),
            x=alt.X(f"{measure}:Q", title=label, scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(values=PCT_TICKS)),
            color=alt.Color("leefgebied:N", title="Leefgebied",
                            scale=alt.Scale(domain=list(dict.fromkeys(frame["leefgebied"])), scheme="tableau10"),
                            legend=None),
            tooltip=[alt.Tooltip("leefgebied:N", title="leefgebied")] + _needs_tooltip("categorie"),
        )
        .properties(height=alt.Step(BAR_ROW_HEIGHT))
    )
    return _dutch(chart)


def requests_per_family_bars(dist: pd.DataFrame) -> alt.Chart:
    """Number of families by how many help requests they have (0 = none)."""
    chart = (
        alt.Chart(dist, title="Aantal hulpvragen per gezin")
        .mark_bar(color=NAVY)
        .encode(
            x=alt.X("aantal_hulpvragen:O", title="Aantal hulpvragen van het gezin", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("gezinnen:Q", title="Aantal gezinnen", axis=alt.Axis(tickMinStep=1)),
            tooltip=[alt.Tooltip("aantal_hulpvragen:O", title="hulpvragen"), alt.Tooltip("gezinnen:Q", title="gezinnen")],
        )
    )
    return _dutch(chart)


def needs_table(table: pd.DataFrame) -> pd.DataFrame:
    """Both measures side by side, Dutch headings and numbers; with a Categorie column for needs_detail."""
    columns = {"Leefgebied": table["leefgebied"].astype(str)}
    if "categorie" in table:
        columns["Categorie"] = _detail_frame(table)["categorie"].astype(str)
    columns.update({
        "Gezinnen": table["families"].astype(int),
        NEEDS_MEASURES["families_pct"]: table["families_pct"].map(_pct_text),
        "Hulpvragen": table["requests"].astype(int),
        NEEDS_MEASURES["requests_pct"]: table["requests_pct"].map(_pct_text),
    })
    return pd.DataFrame(columns)


# -- trajectduur -----------------------------------------------------------------------------
def duration_bars(table: pd.DataFrame) -> alt.Chart:
    """Trajectories per duration class, afgerond and lopend side by side."""
    long = table.rename(columns={"completed": tx.STATUS_AFGEROND, "ongoing": tx.STATUS_LOPEND}).melt(
        id_vars="months", value_vars=[tx.STATUS_AFGEROND, tx.STATUS_LOPEND], var_name="status", value_name="trajecten")
    status_scale = alt.Scale(domain=[tx.STATUS_AFGEROND, tx.STATUS_LOPEND],
                             range=[STATUS_COLORS[tx.STATUS_AFGEROND], STATUS_COLORS[tx.STATUS_LOPEND]])
    chart = (
        alt.Chart(long, title="Trajecten per duurklasse (maanden)")
        .mark_bar()
        .encode(
            x=alt.X("months:N", title="Duur in maanden", sort=list(table["months"]), axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("status:N", sort=[tx.STATUS_AFGEROND, tx.STATUS_LOPEND]),
            y=alt.Y("trajecten:Q", title="Aantal trajecten", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("status:N", title="Status", scale=status_scale),
            tooltip=[alt.Tooltip("months:N", title="maanden"), alt.Tooltip("status:N", title="status"),
                     alt.Tooltip("trajecten:Q", title="trajecten")],
        )
    )
    return _dutch(chart)


def duration_histogram(durations: pd.DataFrame) -> alt.LayerChart:
    """Months of support per trajectory (1-month bins), stacked by status at the peildatum, rules at 6/12/18/24."""
    kept = durations.loc[durations["excluded"].isna(), ["status_at_peildatum", "months"]].copy()
    kept = kept.rename(columns={"status_at_peildatum": "status"})  # the status as it stood at the peildatum
    kept["months"] = kept["months"].astype(float)
    kept["status"] = kept["status"].astype(str)
    status_scale = alt.Scale(domain=[tx.STATUS_AFGEROND, tx.STATUS_LOPEND],
                             range=[STATUS_COLORS[tx.STATUS_AFGEROND], STATUS_COLORS[tx.STATUS_LOPEND]])
    top = float(np.ceil(kept["months"].max())) if len(kept) else 24.0
    bars = alt.Chart(kept).mark_bar().encode(
        x=alt.X("months:Q", bin=alt.Bin(step=1, extent=[0, max(top, 24.0) + 1]), title="Duur in maanden"),
        y=alt.Y("count():Q", title="Aantal trajecten", stack="zero", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("status:N", title="Status", scale=status_scale),
        tooltip=[alt.Tooltip("months:Q", bin=alt.Bin(step=1, extent=[0, max(top, 24.0) + 1]), title="maanden"),
                 alt.Tooltip("status:N", title="status"), alt.Tooltip("count():Q", title="trajecten")],
    )
    rules = alt.Chart(pd.DataFrame({"months": list(DURATION_RULES)})).mark_rule(
        color="#6B7280", strokeDash=[4, 3]).encode(x="months:Q", tooltip=[alt.Tooltip("months:Q", title="grens (maanden)")])
    return _dutch(alt.layer(bars, rules, title="Verdeling van de trajectduur"))


def duration_table_nl(table: pd.DataFrame) -> pd.DataFrame:
    """The duration table with Dutch headings and a total row and column."""
    out = pd.DataFrame({
        "Maanden": table["months"].astype(str),
        "Afgerond": table["completed"].astype(int),
        "Lopend (tot peildatum)": table["ongoing"].astype(int),
    })
    out["Totaal"] = out["Afgerond"] + out["Lopend (tot peildatum)"]
    total = {"Maanden": "Totaal", **{c: int(out[c].sum()) for c in out.columns[1:]}}
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


# -- voortgang -------------------------------------------------------------------------------
def _score_label_expr() -> str:
    expr = "''"
    for score, text in reversed(list(tx.VOORTGANG_SCORES.items())):
        expr = f"datum.value == {score} ? '{score} = {text}' : {expr}"
    return expr


def progress_bars(distribution: pd.DataFrame, summary: pd.DataFrame) -> alt.Chart:
    """100% stacked horizontal bars of the latest score per leefgebied (leefgebieden without scores left out)."""
    frame = distribution[distribution["n"] > 0].merge(summary[["leefgebied", "mean"]], on="leefgebied", how="left")
    frame["score_label"] = frame["score"].map(lambda s: f"{s} = {tx.VOORTGANG_SCORES[int(s)]}")
    order = list(dict.fromkeys(frame["leefgebied"]))
    chart = (
        alt.Chart(frame, title="Laatste voortgangsscore per leefgebied (aandeel gezinnen)")
        .mark_bar()
        .encode(
            y=alt.Y("leefgebied:N", title=None, sort=order),
            x=alt.X("gezinnen:Q", stack="normalize", title="Aandeel gezinnen met een score",
                    axis=alt.Axis(format="%", values=[v / 100 for v in PCT_TICKS])),
            color=alt.Color(
                "score:O", title="Voortgangsscore",
                scale=alt.Scale(domain=list(SCORE_COLORS), range=list(SCORE_COLORS.values())),
                legend=alt.Legend(orient="bottom", direction="vertical", labelExpr=_score_label_expr(), labelLimit=400),
            ),
            order=alt.Order("score:Q", sort="ascending"),
            tooltip=[
                alt.Tooltip("leefgebied:N", title="leefgebied"),
                alt.Tooltip("score_label:N", title="score"),
                alt.Tooltip("gezinnen:Q", title="gezinnen"),
                alt.Tooltip("pct:Q", title="% van de gezinnen", format=".1f"),
                alt.Tooltip("n:Q", title="n (gezinnen met een score)"),
                alt.Tooltip("mean:Q", title="gemiddelde score", format=".1f"),
            ],
        )
        .properties(height=alt.Step(BAR_ROW_HEIGHT))
    )
    return _dutch(chart)


def progress_table(summary: pd.DataFrame) -> pd.DataFrame:
    """n, mean and counts per leefgebied; leefgebieden with neither a score nor n.v.t. are left out."""
    rows = []
    for rec in summary[(summary["n"] > 0) | (summary["nvt"] > 0)].itertuples():
        row = {"Leefgebied": rec.leefgebied, "n": int(rec.n), "Gemiddelde": nl_number(rec.mean, 1)}
        row.update({f"score {k}": int(v) for k, v in rec.counts.items()})
        row["n.v.t. (telt niet mee)"] = int(rec.nvt)
        rows.append(row)
    return pd.DataFrame(rows, columns=["Leefgebied", "n", "Gemiddelde", *(f"score {k}" for k in tx.VOORTGANG_SCORES),
                                       "n.v.t. (telt niet mee)"])


# -- inzet -----------------------------------------------------------------------------------
def hours_bars(hours: pd.DataFrame, kind: str = tx.INVESTMENT) -> alt.LayerChart:
    """Mean hours per week per support type of one kind, first vs latest moment side by side, n on each bar.

    Support types and moments without any measurement (n = 0) are left out."""
    frame = hours[(hours["kind"] == kind) & (hours["n"] > 0)].copy()
    frame["moment_label"] = frame["moment"].map(MOMENT_LABELS)
    frame["n_label"] = "n = " + frame["n"].astype(int).astype(str)
    frame["hours_text"] = frame["mean_hours_per_week"].map(hours_text)
    order = list(dict.fromkeys(frame["support_type"]))
    moments = list(MOMENT_LABELS.values())
    base = alt.Chart(frame).encode(
        y=alt.Y("support_type:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
        yOffset=alt.YOffset("moment_label:N", sort=moments),
        x=alt.X("mean_hours_per_week:Q", title="Gemiddeld aantal uren per week"),
        tooltip=[
            alt.Tooltip("support_type:N", title="soort steun"),
            alt.Tooltip("moment_label:N", title="moment"),
            alt.Tooltip("mean_hours_per_week:Q", title="uren per week", format=".2f"),
            alt.Tooltip("hours_text:N", title="= per week"),
            alt.Tooltip("n:Q", title="n (gezinnen)"),
            alt.Tooltip("nvt:Q", title="n.v.t. (telt niet mee)"),
            *([alt.Tooltip("n_contactlog:Q", title="waarvan uit contactlog")] if "n_contactlog" in frame else []),
        ],
    )
    bars = base.mark_bar().encode(
        color=alt.Color("moment_label:N", title="Moment",
                        scale=alt.Scale(domain=moments, range=[MOMENT_COLORS["start"], MOMENT_COLORS["latest"]]),
                        legend=alt.Legend(orient="bottom", labelLimit=320)))
    labels = base.mark_text(align="left", dx=4, fontSize=12, color="#111827").encode(text="n_label:N")
    return _dutch(alt.layer(bars, labels, title=KIND_TITLES.get(kind, kind)).properties(height=alt.Step(BAR_ROW_HEIGHT + 14)))


def hours_table(hours: pd.DataFrame) -> pd.DataFrame:
    """Per support type: n and mean at both moments, side by side."""
    rows = []
    for support_type, group in hours.groupby("support_type", sort=False):
        by_moment = group.set_index("moment")
        row = {"Soort steun": support_type,
               "Soort": "inzet" if group["kind"].iloc[0] == tx.INVESTMENT else "deelname (uitkomst)"}
        for moment, label in (("start", "eerste meting"), ("latest", "laatste meting")):
            rec = by_moment.loc[moment] if moment in by_moment.index else None
            row[f"n {label}"] = int(rec["n"]) if rec is not None else 0
            mean = rec["mean_hours_per_week"] if rec is not None else np.nan
            row[f"uur/week {label}"] = nl_number(mean, 1)
            row[f"= {label}"] = hours_text(mean)
            row[f"n.v.t. {label}"] = int(rec["nvt"]) if rec is not None else 0
            if "n_contactlog" in group:
                row[f"waarvan contactlog {label}"] = int(rec["n_contactlog"]) if rec is not None else 0
        rows.append(row)
    return pd.DataFrame(rows)


def intensity_lines(curve: pd.DataFrame, by: str = "organisation") -> alt.LayerChart:
    """Mean hours per week (investment, from contact logs) by trajectory month: a line per organisation."""
    frame = curve.copy()
    frame["hours_text"] = frame["mean_hours_per_week"].map(hours_text)
    groups = list(dict.fromkeys(frame[by].astype(str))) if by in frame else []
    color = alt.Color(f"{by}:N", title="Organisatie" if by == "organisation" else by, sort=groups,
                      legend=alt.Legend(orient="bottom", labelLimit=320)) if by in frame else alt.value(NAVY)
    base = alt.Chart(frame).encode(
        x=alt.X("month:Q", title="Trajectmaand (0 = eerste maand vanaf de startdatum)",
                axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("mean_hours_per_week:Q", title="Gemiddeld aantal uren per week"),
        color=color,
        tooltip=[
            *([alt.Tooltip(f"{by}:N", title="organisatie" if by == "organisation" else by)] if by in frame else []),
            alt.Tooltip("month:Q", title="trajectmaand"),
            alt.Tooltip("mean_hours_per_week:Q", title="uren per week", format=".2f"),
            alt.Tooltip("hours_text:N", title="= per week"),
            alt.Tooltip("n:Q", title="n (gezinnen met een traject in deze maand)"),
            alt.Tooltip("contacts:Q", title="contacten"),
        ],
    )
    lines = base.mark_line(strokeWidth=3)
    points = base.mark_point(filled=True, size=70)
    return _dutch(alt.layer(lines, points, title="Intensiteit: gemiddelde uren per week per trajectmaand"))


# -- ZRM, ernst en richting van verandering -------------------------------------------------------
def zrm_level_lines(levels: pd.DataFrame) -> alt.LayerChart:
    """Mean ZRM level per moment (T0, T1 …): a line with points per leefgebied (or ZRM domain), n in the tooltip."""
    frame = levels[levels["n"] > 0].copy()
    group = "indicator" if "indicator" in frame else ("leefgebied" if "leefgebied" in frame else None)
    moments = metrics.order_moments(frame["moment"])
    tooltip = [alt.Tooltip("leefgebied:N", title="leefgebied")] if "leefgebied" in frame else []
    if group == "indicator":
        tooltip.append(alt.Tooltip("indicator:N", title="ZRM-domein"))
    frame["soort"] = frame["moment"].map(lambda m: "schatting zonder steun" if metrics.is_estimate(m) else "meting")
    tooltip += [
        alt.Tooltip("moment:N", title="meetmoment"),
        alt.Tooltip("soort:N", title="soort"),
        alt.Tooltip("mean:Q", title="gemiddeld ZRM-niveau", format=".1f"),
        alt.Tooltip("n:Q", title="n (gezinnen met een niveau)"),
    ]
    color = (alt.Color(f"{group}:N", title="Leefgebied" if group == "leefgebied" else "ZRM-domein",
                       sort=list(dict.fromkeys(frame[group])), legend=alt.Legend(orient="bottom", labelLimit=320))
             if group else alt.value(NAVY))
    encoding = dict(
        x=alt.X("moment:O", title="Meetmoment", sort=moments, scale=alt.Scale(domain=moments),
                axis=alt.Axis(labelAngle=0, labelLimit=120)),
        y=alt.Y("mean:Q", title="Gemiddeld ZRM-niveau (1 = acute problematiek, 5 = volledig zelfredzaam)",
                scale=alt.Scale(domain=[1, 5]), axis=alt.Axis(values=list(metrics.ZRM_LEVELS))),
        color=color,
        tooltip=tooltip,
    )
    # An estimate (T-alternatief) is a point of its own, not joined to the measured moments.
    lines = alt.Chart(frame[frame["soort"] == "meting"]).mark_line(strokeWidth=3).encode(**encoding)
    points = alt.Chart(frame).mark_point(filled=True, size=80).encode(
        shape=alt.Shape("soort:N", title="Soort", sort=["meting", "schatting zonder steun"],
                        legend=alt.Legend(orient="bottom") if (frame["soort"] != "meting").any() else None),
        **encoding)
    chart = alt.layer(lines, points, title="Zelfredzaamheid (ZRM): gemiddeld niveau per meetmoment")
    return _dutch(chart.properties(width=alt.Step(90)))


def zrm_table(levels: pd.DataFrame) -> pd.DataFrame:
    """One row per leefgebied (or overall), one column per moment: 'mean (n = …)'."""
    group = [k for k in ("leefgebied", "indicator") if k in levels]
    moments = metrics.order_moments(levels["moment"])
    rows = []
    for key, part in (levels.groupby(group, sort=False) if group else [((), levels)]):
        key = key if isinstance(key, tuple) else (key,)
        row = {("Leefgebied" if g == "leefgebied" else "ZRM-domein"): k for g, k in zip(group, key)}
        by_moment = part.set_index("moment")
        for moment in moments:
            if moment in by_moment.index:
                rec = by_moment.loc[moment]
                row[moment] = f"{nl_number(rec['mean'], 1)} (n = {int(rec['n'])})"
            else:
                row[moment] = "–"
        rows.append(row)
    return pd.DataFrame(rows)


def _severity_label(frame: pd.DataFrame) -> pd.Series:
    unit = frame["unit"].astype(object).where(frame["unit"].notna(), None)
    return frame["indicator"].astype(str) + unit.map(lambda u: f" ({u})" if u else "")


def severity_bars(share: pd.DataFrame) -> alt.LayerChart:
    """% middel + zwaar per indicator (and unit), the moments side by side; N (known answers) on each bar."""
    frame = share[share["n"] > 0].copy()
    frame["label"] = _severity_label(frame)
    frame["eenheid"] = frame["unit"].astype(object).where(frame["unit"].notna(), NO_UNIT)
    frame["n_label"] = "N = " + frame["n"].astype(int).astype(str)
    moments = metrics.order_moments(frame["moment"])
    order = list(dict.fromkeys(frame["label"]))
    base = alt.Chart(frame).encode(
        y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=300)),
        yOffset=alt.YOffset("moment:N", sort=moments),
        x=alt.X("pct:Q", title="% middel + zwaar (van de gezinnen met een bekend antwoord)",
                scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(values=PCT_TICKS)),
        tooltip=[
            alt.Tooltip("leefgebied:N", title="leefgebied"),
            alt.Tooltip("indicator:N", title="indicator"),
            alt.Tooltip("eenheid:N", title="eenheid"),
            alt.Tooltip("moment:N", title="meetmoment"),
            alt.Tooltip("pct:Q", title="% middel + zwaar", format=".1f"),
            alt.Tooltip("middel_zwaar:Q", title="gezinnen middel + zwaar"),
            alt.Tooltip("n:Q", title="N (gezinnen met een bekend antwoord)"),
            *(alt.Tooltip(f"{name}:Q", title=name) for name in metrics.SEVERITY_LEVELS.values()),
        ],
    )
    bars = base.mark_bar().encode(
        color=alt.Color("moment:N", title="Meetmoment", sort=moments,
                        scale=alt.Scale(domain=moments, scheme="blues"),
                        legend=alt.Legend(orient="bottom")))
    labels = base.mark_text(align="left", dx=4, fontSize=12, color="#111827").encode(text="n_label:N")
    step = max(BAR_ROW_HEIGHT, 18 * len(moments) + 8)
    return _dutch(alt.layer(bars, labels, title="Ernst van problemen: % middel + zwaar per indicator en meetmoment")
                  .properties(height=alt.Step(step)))


def severity_table(share: pd.DataFrame) -> pd.DataFrame:
    """N, families per severity and % middel + zwaar per indicator, unit and moment."""
    out = pd.DataFrame({
        "Leefgebied": share["leefgebied"].astype(str),
        "Indicator": share["indicator"].astype(str),
        "Eenheid": share["unit"].astype(object).where(share["unit"].notna(), NO_UNIT),
        "Meetmoment": share["moment"].astype(str),
        "N (bekend)": share["n"].astype(int),
    })
    for name in metrics.SEVERITY_LEVELS.values():
        out[name] = share[name].astype(int)
    out["% middel + zwaar"] = share["pct"].map(_pct_text)
    return out


def _direction_long(direction: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for rec in direction[direction["n"] > 0].to_dict("records"):
        for name in metrics.DIRECTIONS:
            rows.append({"leefgebied": rec["leefgebied"], "instrument": rec["instrument"],
                         "instrument_label": rec["instrument_label"], "richting": name,
                         "richting_order": metrics.DIRECTIONS.index(name), "gezinnen": int(rec[name]),
                         "pct": rec[f"{name}_pct"], "n": int(rec["n"]), "een_meetmoment": int(rec["een_meetmoment"])})
    return pd.DataFrame(rows, columns=["leefgebied", "instrument", "instrument_label", "richting", "richting_order",
                                       "gezinnen", "pct", "n", "een_meetmoment"])


def direction_bars(direction: pd.DataFrame) -> alt.FacetChart:
    """100% stacked bars verbeterd / gelijk / verslechterd per leefgebied, one panel per instrument: the
    instruments stand side by side and are never combined into one score."""
    frame = _direction_long(direction)
    leefgebieden = list(dict.fromkeys(direction.loc[direction["n"] > 0, "leefgebied"]))
    instruments = [metrics.INSTRUMENT_LABELS[i] for i in metrics.INSTRUMENTS if i in set(frame["instrument"])]
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("leefgebied:N", title=None, sort=leefgebieden),
            x=alt.X("gezinnen:Q", stack="normalize", title="Aandeel gezinnen",
                    axis=alt.Axis(format="%", values=[v / 100 for v in range(0, 101, 25)])),
            color=alt.Color("richting:N", title="Richting", sort=list(metrics.DIRECTIONS),
                            scale=alt.Scale(domain=list(DIRECTION_COLORS), range=list(DIRECTION_COLORS.values())),
                            legend=alt.Legend(orient="bottom")),
            order=alt.Order("richting_order:Q", sort="ascending"),
            tooltip=[
                alt.Tooltip("instrument_label:N", title="instrument"),
                alt.Tooltip("leefgebied:N", title="leefgebied"),
                alt.Tooltip("richting:N", title="richting"),
                alt.Tooltip("gezinnen:Q", title="gezinnen"),
                alt.Tooltip("pct:Q", title="% van n", format=".1f"),
                alt.Tooltip("n:Q", title="n (gezinnen)"),
                alt.Tooltip("een_meetmoment:Q", title="één meetmoment (telt niet mee)"),
            ],
        )
        .properties(width=220, height=alt.Step(BAR_ROW_HEIGHT))
        .facet(column=alt.Column("instrument_label:N", title=None, sort=instruments,
                                 header=alt.Header(labelFontSize=14, labelFontWeight="bold")),
               title="Richting van verandering per leefgebied, per instrument")
    )
    return _dutch(chart)


def direction_table(direction: pd.DataFrame) -> pd.DataFrame:
    """Counts and % per leefgebied and instrument, plus the families left out (one moment only)."""
    out = pd.DataFrame({
        "Leefgebied": direction["leefgebied"].astype(str),
        "Instrument": direction["instrument_label"].astype(str),
        "n": direction["n"].astype(int),
    })
    for name in metrics.DIRECTIONS:
        out[name.capitalize()] = direction[name].astype(int)
    for name in metrics.DIRECTIONS:
        out[f"% {name}"] = direction[f"{name}_pct"].map(_pct_text)
    out["één meetmoment (telt niet mee)"] = direction["een_meetmoment"].astype(int)
    return out
