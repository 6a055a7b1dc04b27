"""Altair chart builders. Each returns a chart whose data and encoding tests can inspect.

Builders take the output of `gezinsmonitor.metrics` and only reshape it for display; the
`*_table` functions shape the Dutch tables shown next to the charts (numbers as Dutch text).
"""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

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
        rows.append(row)
    return pd.DataFrame(rows)
