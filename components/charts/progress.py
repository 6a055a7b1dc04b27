"""Voortgang: voortgangsscore (per leefgebied, per organisation, against duration), ZRM, severity and direction
of change, each instrument in its own terms."""
from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import numpy as np
import pandas as pd

from gezinsmonitor import disclosure, formatting, metrics, suppression
from gezinsmonitor import progress as pg
from gezinsmonitor import taxonomy as tx

from ..figure import nl_number
from .base import (
    SMALL_OPACITY,
    small_note,
    BAR_ROW_HEIGHT,
    DIRECTION_COLORS,
    NAVY,
    NO_UNIT,
    PCT_TICKS,
    SCORE_COLORS,
    dutch,
    hidden_mark,
    pct_text,
)

# Clicking a leefgebied in the stacked bars selects it (Vega-Lite point selection on the field); the page
# reads the selection (st.altair_chart on_select) and the per-organisation and duration views follow.
PROGRESS_LEEFGEBIED_PARAM = "leefgebied_klik"
PROGRESS_ALL_LABEL = "Alle leefgebieden samen"
PROGRESS_HIGH_COLOR = SCORE_COLORS[5]
PROGRESS_POOLED_COLOR = "#6B7280"
LEEFGEBIEDEN_MEAN_TITLE = "gem. aantal leefgebieden met een score"
PROGRESS_STATUS_TITLES = {tx.STATUS_AFGEROND: "Afgerond",
                          tx.STATUS_LOPEND: "Lopend (duur tot de peildatum: een ondergrens)"}


# -- hidden figures (small-cell suppression) ---------------------------------------------------
HIDDEN_SCORE = 0  # the grey part of a stacked bar: the hidden cells together (n minus the shown ones)
HIDDEN_COLOR = "#D1D5DB"
HIDDEN_PART = "verborgen (kleine aantallen)"


def count_text(value, mark: str | None) -> str:
    """A count as Dutch text: a missing one is `mark` in a protected frame, else '–'; with a mark (a protected
    view) a count from 1 to k-1 reads '<k' too."""
    if value is None or value != value:
        return mark or formatting.MISSING
    if mark:  # a protected view: a count that is itself small is hidden too, wherever it is printed
        return suppression.suppress(value, disclosure.current().k)
    return formatting.count(value)


def shown_count(value, mark: str | None):
    """A table cell: the int as before for an owner; text ('<k' where hidden) in a protected table."""
    return count_text(value, mark) if mark else int(value)


def hidden_or(text: str, value, mark: str | None) -> str:
    """`text` (a formatted value), or '<k' where `value` is hidden in a protected frame."""
    return mark if mark and (value is None or value != value) else text


def _note(n, min_n: int) -> str:
    return "" if n is None or n != n else small_note(int(n), min_n)


# -- voortgang -------------------------------------------------------------------------------
def _score_label_expr() -> str:
    expr = f"datum.value == {HIDDEN_SCORE} ? '{HIDDEN_PART}' : ''"
    for score, text in reversed(list(tx.VOORTGANG_SCORES.items())):
        expr = f"datum.value == {score} ? '{score} = {text}' : {expr}"
    return expr


def _pct_ci(value, lo, hi) -> str:
    return formatting.percent_ci(value, lo, hi)


def progress_leefgebied_label(leefgebied: str, n: int, nvt: int, mark: str | None = None) -> str:
    """The y label of a bar: the leefgebied with n and the n.v.t. that were left out, e.g.
    'Wonen · n = 59 · n.v.t. 81'; a hidden n or n.v.t. is `mark` ('<10')."""
    label = f"{leefgebied} · n = {count_text(n, mark)}"
    return label + (f" · n.v.t. {count_text(nvt, mark)}" if nvt != 0 and (nvt == nvt or mark) else "")


def progress_bars(distribution: pd.DataFrame, summary: pd.DataFrame) -> alt.LayerChart:
    """100% stacked horizontal bars of the latest score per leefgebied (leefgebieden without scores left out),
    n and n.v.t. in the label of each bar, and a whisker at the border between score 3 and 4: the 95% Wilson
    interval of the share with score 4–5. A click on a bar selects its leefgebied (`PROGRESS_LEEFGEBIED_PARAM`)."""
    mark = hidden_mark(summary)
    extra = summary[["leefgebied", "mean", "nvt", "high", "high_pct", "high_pct_lo", "high_pct_hi"]]
    frame = distribution[distribution["n"] > 0]
    if mark:  # hidden scores drawn together as one grey part, so the shown parts keep their true share
        shown = frame[frame["gezinnen"].notna()]
        rest = frame.groupby("leefgebied", sort=False)["n"].first() - shown.groupby("leefgebied")["gezinnen"].sum(
            ).reindex(frame["leefgebied"].unique(), fill_value=0)
        grey = pd.DataFrame({"leefgebied": rest.index, "score": HIDDEN_SCORE, "gezinnen": rest.to_numpy(),
                             "n": frame.groupby("leefgebied", sort=False)["n"].first().to_numpy()})
        frame = pd.concat([grey[grey["gezinnen"] > 0], shown], ignore_index=True)
    frame = frame.merge(extra, on="leefgebied", how="left")
    frame["score_label"] = frame["score"].map(
        lambda s: HIDDEN_PART if int(s) == HIDDEN_SCORE else f"{s} = {tx.VOORTGANG_SCORES[int(s)]}")
    frame["label"] = [progress_leefgebied_label(lg, n, v, mark) for lg, n, v in zip(frame["leefgebied"], frame["n"],
                                                                                      frame["nvt"])]
    frame["pct_ci"] = [mark if int(s) == HIDDEN_SCORE else _pct_ci(*v)
                       for s, *v in zip(frame["score"], frame["pct"], frame["pct_lo"], frame["pct_hi"])]
    frame["high_ci"] = [hidden_or(_pct_ci(*v), v[0], mark)
                        for v in zip(frame["high_pct"], frame["high_pct_lo"], frame["high_pct_hi"])]
    frame["gezinnen_text"] = [mark if int(s) == HIDDEN_SCORE else count_text(g, mark)
                              for s, g in zip(frame["score"], frame["gezinnen"])]
    frame["n_text"] = [count_text(v, mark) for v in frame["n"]]
    frame["nvt_text"] = [count_text(v, mark) for v in frame["nvt"]]
    frame["mean_text"] = [hidden_or(nl_number(v, 1), v, mark) for v in frame["mean"]]
    order = list(dict.fromkeys(frame["label"]))
    pick = alt.selection_point(name=PROGRESS_LEEFGEBIED_PARAM, fields=["leefgebied"], on="click", toggle=False,
                               clear="dblclick")
    tooltip = [
        alt.Tooltip("leefgebied:N", title="leefgebied"),
        alt.Tooltip("score_label:N", title="score"),
        alt.Tooltip("gezinnen:Q", title="gezinnen"),
        alt.Tooltip("pct_ci:N", title="% van de gezinnen (95%-BI)"),
        alt.Tooltip("pct:Q", title="% van de gezinnen", format=".1f"),
        alt.Tooltip("n:Q", title="n (gezinnen met een score)"),
        alt.Tooltip("nvt:Q", title="n.v.t. (telt niet mee)"),
        alt.Tooltip("high_ci:N", title="% score 4–5 (95%-BI)"),
        alt.Tooltip("mean:Q", title="gemiddelde score", format=".1f"),
    ] if not mark else [  # a hidden value is '<10' in the tooltip, never null
        alt.Tooltip("leefgebied:N", title="leefgebied"),
        alt.Tooltip("score_label:N", title="score"),
        alt.Tooltip("gezinnen_text:N", title="gezinnen"),
        alt.Tooltip("pct_ci:N", title="% van de gezinnen (95%-BI)"),
        alt.Tooltip("n_text:N", title="n (gezinnen met een score)"),
        alt.Tooltip("nvt_text:N", title="n.v.t. (telt niet mee)"),
        alt.Tooltip("high_ci:N", title="% score 4–5 (95%-BI)"),
        alt.Tooltip("mean_text:N", title="gemiddelde score"),
    ]
    bars = alt.Chart().mark_bar(cursor="pointer").encode(
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.35)),
    ).add_params(pick)
    # The share 4–5 fills the bar from the right, so its interval sits around the 3|4 border: 1 − hi … 1 − lo.
    whisker = summary[(summary["n"] > 0) & summary["high_pct"].notna()].copy()
    whisker["label"] = [progress_leefgebied_label(lg, n, v, mark) for lg, n, v in zip(whisker["leefgebied"],
                                                                                        whisker["n"], whisker["nvt"])]
    if mark:
        whisker["nvt"] = [count_text(v, mark) for v in whisker["nvt"]]
    whisker["x_lo"] = 1 - whisker["high_pct_hi"] / 100
    whisker["x_hi"] = 1 - whisker["high_pct_lo"] / 100
    whisker["high_ci"] = [_pct_ci(*v) for v in zip(whisker["high_pct"], whisker["high_pct_lo"], whisker["high_pct_hi"])]
    whisker = whisker[["leefgebied", "label", "n", "nvt", "high", "high_ci", "x_lo", "x_hi"]]
    whisker_tooltip = [
        alt.Tooltip("leefgebied:N", title="leefgebied"),
        alt.Tooltip("high_ci:N", title="% score 4–5 (95%-BI)"),
        alt.Tooltip("high:Q", title="gezinnen met score 4–5"),
        alt.Tooltip("n:Q", title="n (gezinnen met een score)"),
        alt.Tooltip("nvt:Q" if not mark else "nvt:N", title="n.v.t. (telt niet mee)"),
    ]
    whiskers = alt.Chart(whisker).mark_rule(color="#111827", strokeWidth=2.5).encode(
        x=alt.X("x_lo:Q", stack=None), x2="x_hi:Q", color=alt.value("#111827"), opacity=alt.value(1),
        tooltip=whisker_tooltip)
    ends = alt.Chart(whisker).transform_fold(["x_lo", "x_hi"], as_=["end", "x_end"]).mark_tick(
        color="#111827", thickness=2.5, size=14).encode(x=alt.X("x_end:Q", stack=None), color=alt.value("#111827"),
                                                          opacity=alt.value(1), tooltip=whisker_tooltip)
    chart = alt.layer(
        bars, whiskers, ends, data=frame,
        title=alt.Title("Laatste voortgangsscore per leefgebied (aandeel gezinnen)",
                        subtitle="Zwarte lijn: 95%-betrouwbaarheidsinterval van het aandeel score 4–5 · "
                                 "klik op een leefgebied om de vergelijking hieronder te volgen"),
    ).encode(
        y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=320)),
        x=alt.X("gezinnen:Q", stack="normalize", title="Aandeel gezinnen met een score",
                axis=alt.Axis(format="%", values=[v / 100 for v in PCT_TICKS])),
        color=alt.Color(
            "score:O", title="Voortgangsscore",
            scale=alt.Scale(domain=[*([HIDDEN_SCORE] if mark else []), *SCORE_COLORS],
                            range=[*([HIDDEN_COLOR] if mark else []), *SCORE_COLORS.values()]),
            legend=alt.Legend(orient="bottom", direction="vertical", labelExpr=_score_label_expr(), labelLimit=400),
        ),
        order=alt.Order("score:Q", sort="ascending"),
        tooltip=tooltip,
    ).properties(height=alt.Step(BAR_ROW_HEIGHT))
    return dutch(chart)


def progress_table(summary: pd.DataFrame) -> pd.DataFrame:
    """n, mean, counts and % score 4–5 (95% Wilson) per leefgebied; leefgebieden with neither a score nor
    n.v.t. are left out. In a protected summary a hidden figure is '<10'."""
    mark = hidden_mark(summary)
    keep = (summary["n"] > 0) | (summary["nvt"] > 0)
    if mark:
        keep |= summary[disclosure.HIDDEN] | summary["n"].isna() | summary["nvt"].isna()
    rows = []
    for rec in summary[keep].itertuples():
        counts = rec.counts if isinstance(rec.counts, dict) else dict.fromkeys(map(str, tx.VOORTGANG_SCORES))
        row = {"Leefgebied": rec.leefgebied, "n": shown_count(rec.n, mark),
               "Gemiddelde": hidden_or(nl_number(rec.mean, 1), rec.mean if rec.n != 0 else 0, mark)}
        row.update({f"score {k}": shown_count(np.nan if v is None else v, mark) for k, v in counts.items()})
        row["% score 4–5 (95%-BI)"] = hidden_or(_pct_ci(rec.high_pct, rec.high_pct_lo, rec.high_pct_hi),
                                               rec.high_pct if rec.n != 0 else 0, mark)
        row["n.v.t. (telt niet mee)"] = shown_count(rec.nvt, mark)
        rows.append(row)
    return pd.DataFrame(rows, columns=["Leefgebied", "n", "Gemiddelde", *(f"score {k}" for k in tx.VOORTGANG_SCORES),
                                       "% score 4–5 (95%-BI)", "n.v.t. (telt niet mee)"])


def clicked_leefgebied(selection: Mapping | None, options=None) -> str | None:
    """The leefgebied clicked in `progress_bars`, from Streamlit's selection state (a list of selected points,
    [{"leefgebied": "Wonen"}], or Vega's {"leefgebied": ["Wonen"]}); None when nothing (or an unknown value)
    is selected."""
    if not selection:
        return None
    points = selection.get(PROGRESS_LEEFGEBIED_PARAM) if isinstance(selection, Mapping) else None
    value = None
    if isinstance(points, Mapping):
        values = points.get("leefgebied")
        value = values[0] if isinstance(values, (list, tuple)) and values else values
    elif isinstance(points, (list, tuple)) and points and isinstance(points[0], Mapping):
        value = points[0].get("leefgebied")
    if not isinstance(value, str) or (options is not None and value not in options):
        return None
    return value


def _scope_text(scope: str | None) -> str:
    """Over all leefgebieden a family counts as 4–5 only when every leefgebied with a score is 4–5: say so."""
    return f"{PROGRESS_ALL_LABEL.lower()} (4–5 op elk leefgebied met een score)" if scope is pg.ALL else scope


def _group_text(small: bool, min_n: int) -> str:
    return f"n < {min_n}" if small else f"n ≥ {min_n}"


def _small_opacity(min_n: int, title: str = "Aantal gezinnen") -> alt.Opacity:
    """Groups below the minimum n drawn lighter, with a legend that says so."""
    return alt.Opacity("groep:O", title=title,
                       scale=alt.Scale(domain=[_group_text(False, min_n), _group_text(True, min_n)],
                                       range=[1.0, SMALL_OPACITY]),
                       legend=alt.Legend(orient="bottom"))


def _mark_small(frame: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """`groep` (n < / ≥ min n) and `let_op` for the tooltip, from the core's `small` column (or n)."""
    small = frame["small"].astype(bool) if "small" in frame else (frame["n"] > 0) & (frame["n"] < min_n)
    frame["groep"] = [_group_text(bool(s), min_n) for s in small]
    frame["let_op"] = [f"n < {min_n}: voorzichtig vergelijken" if s else "" for s in small]
    return frame


def progress_organisation_chart(comparison: pd.DataFrame, scope: str | None = pg.ALL) -> alt.LayerChart:
    """% families with score 4–5 per organisation: a dot with its 95% Wilson whisker, n in the label, small
    groups (n < min n) lighter and named in the tooltip; a dashed line for all organisations together."""
    min_n = comparison.attrs.get("min_n", 20)
    frame = comparison.copy()
    frame.attrs = {}  # the chart carries its data only
    mark = hidden_mark(comparison)
    frame["label"] = [f"{o} (n = {count_text(n, mark)})" for o, n in zip(frame["organisation"], frame["n"])]
    frame["groep"] = [_group_text(bool(s), min_n) for s in frame["small"]]
    frame["let_op"] = [_note(n, min_n) for n in frame["n"]]
    frame["pct_ci"] = [hidden_or(_pct_ci(*v), v[0], mark) for v in zip(frame["pct"], frame["pct_lo"], frame["pct_hi"])]
    frame["pct_text"] = frame["pct"].map(formatting.percent)
    frame["leefgebieden_mean"] = frame["leefgebieden_mean"].round(1) if "leefgebieden_mean" in frame else float("nan")
    if mark:  # tooltips say '<10' where a figure is hidden; the marks of a hidden organisation are not drawn
        for col in ("n", "nvt", "high"):
            frame[col] = [count_text(v, mark) for v in frame[col]]
        frame["pct_text"] = [hidden_or(t, v, mark) for t, v in zip(frame["pct_text"], frame["pct"])]
    frame = frame[["organisation", "label", "n", "nvt", "high", "pct", "pct_lo", "pct_hi", "pct_ci", "pct_text",
                   "leefgebieden_mean", "groep", "let_op"]]
    order = list(frame["label"])
    scope_text = _scope_text(scope)
    tooltip = [
        alt.Tooltip("organisation:N", title="organisatie"),
        alt.Tooltip("pct_ci:N", title="% score 4–5 (95%-BI)"),
        alt.Tooltip("high:N" if mark else "high:Q", title="gezinnen met score 4–5"),
        alt.Tooltip("n:N" if mark else "n:Q", title="n (gezinnen met een score)"),
        alt.Tooltip("nvt:N" if mark else "nvt:Q", title="alleen n.v.t. (telt niet mee)"),
        *([alt.Tooltip("leefgebieden_mean:Q", title=LEEFGEBIEDEN_MEAN_TITLE, format=".1f")] if scope is pg.ALL
          else []),
        alt.Tooltip("let_op:N", title="let op"),
    ]
    opacity = _small_opacity(min_n)
    y = alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=320))
    x_scale = alt.Scale(domain=[0, 100])
    base = alt.Chart(frame).encode(y=y, opacity=opacity, tooltip=tooltip)
    if mark:
        base = base.transform_filter("isValid(datum.pct)")
    whiskers = base.mark_rule(color=NAVY, strokeWidth=2.5).encode(
        x=alt.X("pct_lo:Q", scale=x_scale, title="% gezinnen met laatste score 4–5 (met 95%-BI)",
                axis=alt.Axis(values=PCT_TICKS)), x2="pct_hi:Q")
    dots = base.mark_point(filled=True, size=140, color=PROGRESS_HIGH_COLOR).encode(x=alt.X("pct:Q", scale=x_scale))
    labels = base.mark_text(align="left", dx=8, dy=-10, fontSize=12, color="#111827").encode(
        x=alt.X("pct:Q", scale=x_scale), text="pct_text:N")
    pooled = comparison.attrs.get("pooled", {})
    layers = [whiskers, dots, labels]
    if pooled.get("n") and not pooled.get("verborgen"):
        line = pd.DataFrame([{"pct": pooled["pct"], "n": pooled["n"], "high": pooled["high"],
                              "pct_ci": _pct_ci(pooled["pct"], pooled["pct_lo"], pooled["pct_hi"]),
                              "wat": "alle organisaties samen"}])
        layers.insert(0, alt.Chart(line).mark_rule(color=PROGRESS_POOLED_COLOR, strokeDash=[5, 4]).encode(
            x=alt.X("pct:Q", scale=x_scale),
            tooltip=[alt.Tooltip("wat:N", title="lijn"), alt.Tooltip("pct_ci:N", title="% score 4–5 (95%-BI)"),
                     alt.Tooltip("high:Q", title="gezinnen met score 4–5"),
                     alt.Tooltip("n:Q", title="n (gezinnen met een score)")]))
    chart = alt.layer(*layers, title=alt.Title(
        f"Laatste voortgangsscore 4–5 per organisatie — {scope_text}",
        subtitle="Stip: % gezinnen · lijn: 95%-betrouwbaarheidsinterval · stippellijn: alle organisaties samen"))
    return dutch(chart.properties(height=alt.Step(BAR_ROW_HEIGHT + 6)))


def progress_organisation_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """Per organisation (and all together): n, for one leefgebied the mean and counts per score, over all
    leefgebieden the mean number of leefgebieden with a score per family, % score 4–5 with its 95% interval,
    n.v.t. and a note for small groups. In a protected comparison a hidden figure is '<10', and the mean and
    counts per score (never shown to a non-owner per organisation) are left out."""
    min_n = comparison.attrs.get("min_n", 20)
    mark = hidden_mark(comparison)
    single = comparison.attrs.get("leefgebied", pg.ALL) is not pg.ALL and not mark
    scores = [str(s) for s in tx.VOORTGANG_SCORES] if single else []
    rows = []
    for rec in comparison.to_dict("records"):
        row = {"Organisatie": rec["organisation"], "n": shown_count(rec["n"], mark)}
        if single:
            row["Gemiddelde"] = nl_number(rec["mean"], 1)
            row.update({f"score {s}": int(rec[s]) for s in scores})
        else:
            row[LEEFGEBIEDEN_MEAN_TITLE] = hidden_or(nl_number(rec.get("leefgebieden_mean"), 1),
                                                     rec.get("leefgebieden_mean"), mark)
        row["score 4–5"] = shown_count(rec["high"], mark)
        row["% score 4–5 (95%-BI)"] = hidden_or(_pct_ci(rec["pct"], rec["pct_lo"], rec["pct_hi"]), rec["pct"], mark)
        row["n.v.t. (telt niet mee)"] = shown_count(rec["nvt"], mark)
        row["Let op"] = _note(rec["n"], min_n)
        rows.append(row)
    pooled = comparison.attrs.get("pooled")
    if pooled and pooled.get("n") and len(comparison) > 1:
        row = {"Organisatie": "Alle organisaties samen", "n": shown_count(pooled["n"], mark)}
        if single:
            row["Gemiddelde"] = nl_number(_pooled_mean(comparison), 1)
            row.update({f"score {s}": int(comparison[s].sum()) for s in scores})
        else:
            row[LEEFGEBIEDEN_MEAN_TITLE] = hidden_or(nl_number(pooled.get("leefgebieden_mean"), 1),
                                                     pooled.get("leefgebieden_mean"), mark)
        row["score 4–5"] = shown_count(pooled["high"], mark)
        row["% score 4–5 (95%-BI)"] = hidden_or(_pct_ci(pooled["pct"], pooled["pct_lo"], pooled["pct_hi"]),
                                               pooled["pct"], mark)
        row["n.v.t. (telt niet mee)"] = shown_count(pooled["nvt"], mark)
        row["Let op"] = ""
        rows.append(row)
    columns = ["Organisatie", "n", *(["Gemiddelde", *(f"score {s}" for s in scores)] if single
                                     else [LEEFGEBIEDEN_MEAN_TITLE]),
               "score 4–5", "% score 4–5 (95%-BI)", "n.v.t. (telt niet mee)", "Let op"]
    return pd.DataFrame(rows, columns=columns)


def _pooled_mean(comparison: pd.DataFrame) -> float:
    n = comparison["n"].sum()
    return float((comparison["mean"] * comparison["n"]).sum() / n) if n else float("nan")


def progress_duration_chart(classes: pd.DataFrame, scope: str | None = pg.ALL) -> alt.FacetChart:
    """% families with latest score 4–5 per duration class, one panel for afgerond and one for lopend: a dot with
    its 95% Wilson whisker and n per class; classes with n < min n lighter, classes with n = 0 empty."""
    min_n = classes.attrs.get("min_n", 20)
    frame = classes.copy()
    frame.attrs = {}  # the chart carries its data only
    frame["status_label"] = frame["status"].map(PROGRESS_STATUS_TITLES)
    frame["klasse"] = frame["bucket"].map(lambda b: f"{b} mnd")
    frame["groep"] = [_group_text(bool(s), min_n) for s in frame["small"]]
    mark = hidden_mark(classes)
    frame["let_op"] = [_note(n, min_n) for n in frame["n"]]
    frame["pct_ci"] = [hidden_or(_pct_ci(*v), v[0] if n != 0 else 0, mark)
                       for n, *v in zip(frame["n"], frame["pct"], frame["pct_lo"], frame["pct_hi"])]
    frame["n_label"] = [f"n = {count_text(n, mark)}" for n in frame["n"]]
    if mark:
        frame["high"] = [count_text(v, mark) for v in frame["high"]]
        frame["n_text"] = [count_text(v, mark) for v in frame["n"]]
        frame["n"] = frame["n"].fillna(0)  # a hidden class draws no dot (filter n > 0); its label says '<10'
    frame = frame[["status", "status_label", "bucket", "klasse", "n", "high", "pct", "pct_lo", "pct_hi", "pct_ci",
                   "n_label", "groep", "let_op", *(["n_text"] if mark else [])]]
    classes_order = [f"{b} mnd" for b in pg.BUCKETS]
    scope_text = _scope_text(scope)
    tooltip = [
        alt.Tooltip("status:N", title="status op de peildatum"),
        alt.Tooltip("klasse:N", title="duur"),
        alt.Tooltip("pct_ci:N", title="% score 4–5 (95%-BI)"),
        alt.Tooltip("high:N" if mark else "high:Q", title="gezinnen met score 4–5"),
        alt.Tooltip("n_text:N" if mark else "n:Q", title="n (gezinnen)"),
        alt.Tooltip("let_op:N", title="let op"),
    ]
    opacity = _small_opacity(min_n)
    x_scale = alt.Scale(domain=[0, 100])
    y = alt.Y("klasse:N", title="Trajectduur op de peildatum", sort=classes_order,
              scale=alt.Scale(domain=classes_order))
    base = alt.Chart().encode(y=y, tooltip=tooltip)
    measured = "datum.n > 0"
    whiskers = base.transform_filter(measured).mark_rule(color=NAVY, strokeWidth=2.5).encode(
        x=alt.X("pct_lo:Q", scale=x_scale, title="% gezinnen met laatste score 4–5 (met 95%-BI)",
                axis=alt.Axis(values=list(range(0, 101, 20)))), x2="pct_hi:Q", opacity=opacity)
    dots = base.transform_filter(measured).mark_point(filled=True, size=120, color=PROGRESS_HIGH_COLOR).encode(
        x=alt.X("pct:Q", scale=x_scale), opacity=opacity)
    counts = base.mark_text(align="left", x="width", dx=4, fontSize=12, color="#374151").encode(text="n_label:N")
    chart = alt.layer(whiskers, dots, counts, data=frame).properties(width=300, height=alt.Step(BAR_ROW_HEIGHT)).facet(
        column=alt.Column("status_label:N", title=None, sort=[PROGRESS_STATUS_TITLES[s] for s in pg.STATUS_ORDER],
                          header=alt.Header(labelFontSize=14, labelFontWeight="bold")),
        title=alt.Title(f"Laatste voortgangsscore 4–5 naar trajectduur — {scope_text}",
                        subtitle="Samenhang, geen effect: lopende trajecten zijn nog niet af (hun duur is een ondergrens)"),
    ).resolve_scale(y="shared")
    return dutch(chart)


def progress_duration_table(classes: pd.DataFrame) -> pd.DataFrame:
    """Per status and duration class: n, families with score 4–5, % with its 95% interval and a small-n note."""
    min_n = classes.attrs.get("min_n", 20)
    mark = hidden_mark(classes)
    rows = [{
        "Status": rec["status"], "Maanden": rec["bucket"], "n": shown_count(rec["n"], mark),
        "score 4–5": shown_count(rec["high"], mark),
        "% score 4–5 (95%-BI)": hidden_or(_pct_ci(rec["pct"], rec["pct_lo"], rec["pct_hi"]),
                                           rec["pct"] if rec["n"] != 0 else 0, mark),
        "Let op": _note(rec["n"], min_n),
    } for rec in classes.to_dict("records")]
    return pd.DataFrame(rows, columns=["Status", "Maanden", "n", "score 4–5", "% score 4–5 (95%-BI)", "Let op"])


# -- ZRM, ernst en richting van verandering -------------------------------------------------------
def zrm_level_lines(levels: pd.DataFrame) -> alt.LayerChart:
    """Mean ZRM level per moment (T0, T1 …): a line with points per leefgebied (or ZRM domain), n in the tooltip;
    points with n < min n lighter and marked in the tooltip."""
    min_n = levels.attrs.get("min_n", 20)
    frame = _mark_small(levels[levels["n"] > 0].copy(), min_n)
    frame.attrs = {}
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
        alt.Tooltip("let_op:N", title="let op"),
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
        opacity=_small_opacity(min_n, "Gezinnen per punt"),
        **encoding)
    chart = alt.layer(lines, points, title="Zelfredzaamheid (ZRM): gemiddeld niveau per meetmoment")
    return dutch(chart.properties(width=alt.Step(90)))


def zrm_table(levels: pd.DataFrame) -> pd.DataFrame:
    """One row per leefgebied (or overall), one column per moment: 'mean (n = …)'."""
    group = [k for k in ("leefgebied", "indicator") if k in levels]
    moments = metrics.order_moments(levels["moment"])
    mark = hidden_mark(levels) or formatting.MISSING
    rows = []
    for key, part in (levels.groupby(group, sort=False) if group else [((), levels)]):
        key = key if isinstance(key, tuple) else (key,)
        row = {("Leefgebied" if g == "leefgebied" else "ZRM-domein"): k for g, k in zip(group, key)}
        by_moment = part.set_index("moment")
        for moment in moments:
            if moment in by_moment.index:
                rec = by_moment.loc[moment]
                row[moment] = (mark if rec['n'] != rec['n'] else f"{nl_number(rec['mean'], 1)} (n = {int(rec['n'])})")
            else:
                row[moment] = "–"
        rows.append(row)
    return pd.DataFrame(rows)


def zrm_groups(levels: pd.DataFrame) -> dict[str, int]:
    """The points of the ZRM chart for `figure.small_n_warning`: 'Wonen T2' → n."""
    group = "indicator" if "indicator" in levels else ("leefgebied" if "leefgebied" in levels else None)
    return {(f"{rec[group]} {rec['moment']}" if group else rec["moment"]): int(rec["n"])
            for rec in levels[levels["n"] > 0].to_dict("records")}


def _severity_label(frame: pd.DataFrame) -> pd.Series:
    unit = frame["unit"].astype(object).where(frame["unit"].notna(), None)
    return frame["indicator"].astype(str) + unit.map(lambda u: f" ({u})" if u else "")


def severity_bars(share: pd.DataFrame) -> alt.LayerChart:
    """% middel + zwaar per indicator (and unit), the moments side by side, with the 95% Wilson interval as a
    black whisker on each bar; N (known answers) on each bar; bars with N < min n lighter."""
    min_n = share.attrs.get("min_n", 20)
    mark = hidden_mark(share)
    frame = _mark_small(share[share["n"] > 0].copy(), min_n)
    frame.attrs = {}
    frame["label"] = _severity_label(frame)
    frame["eenheid"] = frame["unit"].astype(object).where(frame["unit"].notna(), NO_UNIT)
    frame["n_label"] = "N = " + frame["n"].astype(int).astype(str)
    frame["pct_ci"] = [hidden_or(_pct_ci(*v), v[0], mark) for v in zip(frame["pct"], frame["pct_lo"], frame["pct_hi"])]
    counted = ["middel_zwaar", *metrics.SEVERITY_LEVELS.values()]
    if mark:  # '<10' in the tooltip; a bar whose % is hidden is not drawn (its N label stays)
        for col in counted:
            frame[col] = [count_text(v, mark) for v in frame[col]]
    moments = metrics.order_moments(frame["moment"])
    order = list(dict.fromkeys(frame["label"]))
    bars = alt.Chart().mark_bar().encode(
        color=alt.Color("moment:N", title="Meetmoment", sort=moments,
                        scale=alt.Scale(domain=moments, scheme="blues"),
                        legend=alt.Legend(orient="bottom")))
    whiskers = alt.Chart().mark_rule(color="#111827", strokeWidth=2).encode(x="pct_lo:Q", x2="pct_hi:Q")
    labels = alt.Chart().mark_text(align="left", dx=4, fontSize=12, color="#111827").encode(
        x="pct_hi:Q", text="n_label:N")
    step = max(BAR_ROW_HEIGHT, 18 * len(moments) + 8)
    # A bar and its interval form one layer; the N labels (at the end of the whisker) another.
    chart = alt.layer(
        alt.layer(bars, whiskers), labels, data=frame,
        title="Ernst van problemen: % middel + zwaar per indicator en meetmoment (zwarte lijn: 95%-BI)",
    ).encode(
        y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=300)),
        yOffset=alt.YOffset("moment:N", sort=moments),
        x=alt.X("pct:Q", title="% middel + zwaar (van de gezinnen met een bekend antwoord)",
                scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(values=PCT_TICKS)),
        opacity=_small_opacity(min_n, "Gezinnen per balk (N)"),
        tooltip=[
            alt.Tooltip("leefgebied:N", title="leefgebied"),
            alt.Tooltip("indicator:N", title="indicator"),
            alt.Tooltip("eenheid:N", title="eenheid"),
            alt.Tooltip("moment:N", title="meetmoment"),
            alt.Tooltip("pct_ci:N", title="% middel + zwaar (95%-BI)"),
            *([] if mark else [alt.Tooltip("pct:Q", title="% middel + zwaar", format=".1f")]),
            alt.Tooltip(f"middel_zwaar:{'N' if mark else 'Q'}", title="gezinnen middel + zwaar"),
            alt.Tooltip("n:Q", title="N (gezinnen met een bekend antwoord)"),
            *(alt.Tooltip(f"{name}:{'N' if mark else 'Q'}", title=name) for name in metrics.SEVERITY_LEVELS.values()),
            alt.Tooltip("let_op:N", title="let op"),
        ],
    )
    return dutch(chart.properties(height=alt.Step(step)))


def severity_table(share: pd.DataFrame) -> pd.DataFrame:
    """N, families per severity, % middel + zwaar with its 95% interval, the families without a known answer
    at a moment that lay behind them, and a small-N note per indicator, unit and moment."""
    min_n = share.attrs.get("min_n", 20)
    mark = hidden_mark(share)
    out = pd.DataFrame({
        "Leefgebied": share["leefgebied"].astype(str),
        "Indicator": share["indicator"].astype(str),
        "Eenheid": share["unit"].astype(object).where(share["unit"].notna(), NO_UNIT),
        "Meetmoment": share["moment"].astype(str),
        "N (bekend)": [shown_count(v, mark) for v in share["n"]],
    })
    for name in metrics.SEVERITY_LEVELS.values():
        out[name] = [shown_count(v, mark) for v in share[name]]
    out["% middel + zwaar"] = [hidden_or(pct_text(v), v if n != 0 else 0, mark) for v, n in zip(share["pct"], share["n"])]
    if "pct_lo" in share:
        out["95%-BI"] = [hidden_or(formatting.interval(lo, hi) if n else "–", lo if n != 0 else 0, mark)
                         for lo, hi, n in zip(share["pct_lo"], share["pct_hi"], share["n"])]
    if "unanswered" in share:
        out[SEVERITY_UNANSWERED_TITLE] = [shown_count(v, mark) for v in share["unanswered"]]
    out["Let op"] = [_note(n, min_n) for n in share["n"]]
    return out


SEVERITY_UNANSWERED_TITLE = "geen bekend antwoord (telt niet mee)"


def severity_groups(share: pd.DataFrame) -> dict[str, int]:
    """The bars of the severity chart for `figure.small_n_warning`: 'Schulden (gezin) T2' → N."""
    shown = share[share["n"] > 0]
    return {f"{label} {moment}": int(n) for label, moment, n in zip(_severity_label(shown), shown["moment"],
                                                                    shown["n"])}


def _direction_long(direction: pd.DataFrame) -> pd.DataFrame:
    min_n = direction.attrs.get("min_n", 20)
    mark = hidden_mark(direction)
    rows = []
    for rec in direction[direction["n"] > 0].to_dict("records"):
        secret = [name for name in metrics.DIRECTIONS if rec[name] != rec[name]]
        if mark and secret:  # the hidden parts together, grey: the shown parts keep their true share
            rows.append({"leefgebied": rec["leefgebied"], "instrument": rec["instrument"],
                         "instrument_label": rec["instrument_label"], "richting": HIDDEN_PART, "richting_order": -1,
                         "gezinnen": int(rec["n"] - sum(rec[d] for d in metrics.DIRECTIONS if d not in secret)),
                         "gezinnen_text": mark, "pct": float("nan"), "pct_lo": float("nan"),
                         "pct_hi": float("nan"), "pct_ci": mark, "n": int(rec["n"]),
                         "een_meetmoment": count_text(rec["een_meetmoment"], mark), "groep": _group_text(
                             bool(rec.get("small")), min_n), "let_op": ""})
        small = bool(rec.get("small", 0 < rec["n"] < min_n))
        for name in metrics.DIRECTIONS:
            if name in secret and mark:
                continue
            lo, hi = rec.get(f"{name}_pct_lo", float("nan")), rec.get(f"{name}_pct_hi", float("nan"))
            rows.append({"leefgebied": rec["leefgebied"], "instrument": rec["instrument"],
                         "instrument_label": rec["instrument_label"], "richting": name,
                         "richting_order": metrics.DIRECTIONS.index(name), "gezinnen": int(rec[name]),
                         "gezinnen_text": formatting.count(rec[name]),
                         "pct": rec[f"{name}_pct"], "pct_lo": lo, "pct_hi": hi,
                         "pct_ci": _pct_ci(rec[f"{name}_pct"], lo, hi), "n": int(rec["n"]),
                         "een_meetmoment": (count_text(rec["een_meetmoment"], mark) if mark
                                            else int(rec["een_meetmoment"])), "groep": _group_text(small, min_n),
                         "let_op": f"n < {min_n}: voorzichtig vergelijken" if small else ""})
    return pd.DataFrame(rows, columns=["leefgebied", "instrument", "instrument_label", "richting", "richting_order",
                                       "gezinnen", "gezinnen_text", "pct", "pct_lo", "pct_hi", "pct_ci", "n", "een_meetmoment",
                                       "groep", "let_op"])


def direction_bars(direction: pd.DataFrame) -> alt.FacetChart:
    """100% stacked bars verbeterd / gelijk / verslechterd per leefgebied, one panel per instrument: the
    instruments stand side by side and are never combined into one score. Whiskers on stacked parts would be
    unreadable: the 95% Wilson interval of each part is in the tooltip (and the table); bars with n < min n
    are lighter."""
    min_n = direction.attrs.get("min_n", 20)
    mark = hidden_mark(direction)
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
            color=alt.Color("richting:N", title="Richting", sort=[*([HIDDEN_PART] if mark else []), *metrics.DIRECTIONS],
                            scale=alt.Scale(domain=[*([HIDDEN_PART] if mark else []), *DIRECTION_COLORS],
                                            range=[*([HIDDEN_COLOR] if mark else []), *DIRECTION_COLORS.values()]),
                            legend=alt.Legend(orient="bottom")),
            order=alt.Order("richting_order:Q", sort="ascending"),
            opacity=_small_opacity(min_n, "Gezinnen per balk"),
            tooltip=[
                alt.Tooltip("instrument_label:N", title="instrument"),
                alt.Tooltip("leefgebied:N", title="leefgebied"),
                alt.Tooltip("richting:N", title="richting"),
                alt.Tooltip("gezinnen_text:N" if mark else "gezinnen:Q", title="gezinnen"),
                alt.Tooltip("pct_ci:N", title="% van n (95%-BI)"),
                *([] if mark else [alt.Tooltip("pct:Q", title="% van n", format=".1f")]),
                alt.Tooltip("n:Q", title="n (gezinnen)"),
                alt.Tooltip(f"een_meetmoment:{'N' if mark else 'Q'}", title="één meetmoment (telt niet mee)"),
                alt.Tooltip("let_op:N", title="let op"),
            ],
        )
        .properties(width=220, height=alt.Step(BAR_ROW_HEIGHT))
        .facet(column=alt.Column("instrument_label:N", title=None, sort=instruments,
                                 header=alt.Header(labelFontSize=14, labelFontWeight="bold")),
               title=alt.Title("Richting van verandering per leefgebied, per instrument",
                               subtitle=f"95%-betrouwbaarheidsinterval in de tooltip en de tabel · lichte balk: "
                                        f"n < {min_n}"))
    )
    return dutch(chart)


def direction_table(direction: pd.DataFrame) -> pd.DataFrame:
    """Counts and % (with the 95% interval) per leefgebied and instrument, the families left out (one moment
    only) and a small-n note."""
    min_n = direction.attrs.get("min_n", 20)
    mark = hidden_mark(direction)
    out = pd.DataFrame({
        "Leefgebied": direction["leefgebied"].astype(str),
        "Instrument": direction["instrument_label"].astype(str),
        "n": [shown_count(v, mark) for v in direction["n"]],
    })
    for name in metrics.DIRECTIONS:
        out[name.capitalize()] = [shown_count(v, mark) for v in direction[name]]
    for name in metrics.DIRECTIONS:
        out[f"% {name}"] = [hidden_or(pct_text(v), v if n != 0 else 0, mark)
                            for v, n in zip(direction[f"{name}_pct"], direction["n"])]
        if f"{name}_pct_lo" in direction:
            out[f"95%-BI {name}"] = [hidden_or(formatting.interval(lo, hi) if n else "–", lo if n != 0 else 0, mark)
                                     for lo, hi, n in zip(direction[f"{name}_pct_lo"], direction[f"{name}_pct_hi"],
                                                          direction["n"])]
    out["één meetmoment (telt niet mee)"] = [shown_count(v, mark) for v in direction["een_meetmoment"]]
    out["Let op"] = [_note(n, min_n) for n in direction["n"]]
    return out


def direction_groups(direction: pd.DataFrame) -> dict[str, int]:
    """The bars of the direction chart for `figure.small_n_warning`: 'Wonen · ZRM' → n."""
    shown = direction[direction["n"] > 0]
    return {f"{lg} · {label}": int(n) for lg, label, n in zip(shown["leefgebied"], shown["instrument_label"],
                                                              shown["n"])}
