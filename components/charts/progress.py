"""Voortgang: voortgangsscore, ZRM, severity and direction of change, each instrument in its own terms."""
from __future__ import annotations

import altair as alt
import pandas as pd

from gezinsmonitor import metrics
from gezinsmonitor import taxonomy as tx

from ..figure import nl_number
from .base import NAVY, SCORE_COLORS, DIRECTION_COLORS, NO_UNIT, PCT_TICKS, BAR_ROW_HEIGHT, dutch, pct_text


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
    return dutch(chart)


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
    return dutch(chart.properties(width=alt.Step(90)))


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
    return dutch(alt.layer(bars, labels, title="Ernst van problemen: % middel + zwaar per indicator en meetmoment")
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
    out["% middel + zwaar"] = share["pct"].map(pct_text)
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
    return dutch(chart)


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
        out[f"% {name}"] = direction[f"{name}_pct"].map(pct_text)
    out["één meetmoment (telt niet mee)"] = direction["een_meetmoment"].astype(int)
    return out
