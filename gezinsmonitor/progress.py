"""Voortgangsscore beyond the distribution per leefgebied: per organisation and against trajectory duration.

Everything is counted in families, so a Wilson interval is a statement about families: one row per family
(`family_outcomes`), then shares per organisation (`organisation_comparison`) or per duration class and
status (`duration_classes`). "High" is a latest score of 4 or 5 (positive development, limited or no support
needed any more); over all leefgebieden together a family is high when every leefgebied with a score is high,
so a family still counts once.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from . import disclosure, metrics, stats
from . import taxonomy as tx

HIGH = 4  # scores 4 and 5
ALL = None  # all leefgebieden together

DEFINITIONS = {
    "high_leefgebied": "Aandeel gezinnen met als laatste voortgangsscore op {leefgebied} een 4 of 5 (positieve "
                       "ontwikkeling, nog beperkte of geen steun nodig), van de gezinnen met een score op dat "
                       "leefgebied. n.v.t. telt niet mee.",
    "high_all": "Aandeel gezinnen met op élk leefgebied waarop ze een score hebben een laatste voortgangsscore 4 of 5 "
                "(positieve ontwikkeling, nog beperkte of geen steun nodig), van de gezinnen met minstens één score. "
                "Zo telt elk gezin één keer; n.v.t. telt niet mee. Let op: een gezin met scores op meer leefgebieden "
                "heeft meer kans op één score onder de 4, dus een organisatie die meer leefgebieden scoort komt bij "
                "gelijke voortgang lager uit; het gemiddelde aantal leefgebieden met een score per gezin staat in de "
                "tabel.",
    "organisations": "Per organisatie, met een 95%-betrouwbaarheidsinterval (Wilson). De verticale lijn is alle "
                     "organisaties samen.",
    "until": "Alleen scores gemeten op of vóór de peildatum tellen (scores zonder datum tellen mee).",
    "duration": "Per duurklasse en status op de peildatum: maanden begeleiding van startdatum tot einddatum (afgerond) "
                "of tot de peildatum (lopend; een ondergrens), hele kalendermaanden, klassen [0,6), [6,12), … "
                "Alleen scores gemeten op of vóór de peildatum tellen; per gezin telt één traject (bij meer trajecten "
                "het laatst gestarte).",
}


def definition(leefgebied: str | None) -> str:
    if leefgebied is ALL:
        return DEFINITIONS["high_all"]
    return DEFINITIONS["high_leefgebied"].format(leefgebied=leefgebied)


def _voortgang_rows(measurements: pd.DataFrame, leefgebied: str | None, until: dt.date | None) -> pd.DataFrame:
    m = measurements[measurements["instrument"] == tx.VOORTGANG_INSTRUMENT]
    if leefgebied is not ALL:
        m = m[m["leefgebied"] == leefgebied]
    return metrics.measured_until(m, until)


OUTCOME_COLUMNS = ["family", "organisation", "scored", "leefgebieden", "score", "lowest", "high"]


def family_outcomes(measurements: pd.DataFrame, leefgebied: str | None = ALL,
                    until: dt.date | None = None) -> pd.DataFrame:
    """One row per family with a voortgangsscore row in scope (one leefgebied, or all with `ALL`).

    `scored` is False for a family with only n.v.t. there (not a score: it counts in no n). `score` is the
    latest score on the leefgebied (NaN over all leefgebieden), `lowest` the lowest latest score over the
    scored leefgebieden, `leefgebieden` how many have a score, `high` whether `lowest` ≥ 4. With `until`,
    scores measured after that date are ignored; `.attrs["after_until"]` counts the families that had a
    score in scope but none on or before it (they drop out)."""
    rows = _voortgang_rows(measurements, leefgebied, until)
    latest = metrics.latest_scores(rows)
    orgs = rows.groupby("family")["organisation"].first() if "organisation" in rows else None
    per = latest.groupby("family")["value"].agg(leefgebieden="size", lowest="min", score="last")
    families = pd.Index(sorted(set(rows["family"])), name="family")
    out = per.reindex(families).reset_index()
    out["organisation"] = out["family"].map(orgs) if orgs is not None else None
    out["leefgebieden"] = out["leefgebieden"].fillna(0).astype(int)
    out["scored"] = out["leefgebieden"] > 0
    out["lowest"] = out["lowest"].astype(float)
    out["score"] = out["score"].astype(float) if leefgebied is not ALL else np.nan
    out["high"] = out["scored"] & (out["lowest"] >= HIGH)
    after = 0
    if until is not None:
        every = metrics.latest_scores(_voortgang_rows(measurements, leefgebied, None))
        after = len(set(every["family"]) - set(latest["family"]))
        # A family whose only scores lie after `until` is not in n.v.t. either: it has no score yet.
        out = out[out["scored"] | ~out["family"].isin(every["family"])]
    out = out[OUTCOME_COLUMNS].reset_index(drop=True)
    out.attrs.update(leefgebied=leefgebied, after_until=after)
    return out


def _share(frame: pd.DataFrame, n: str = "n", k: str = "high") -> pd.DataFrame:
    frame = frame.copy()
    frame["pct"] = metrics.pct(frame[k], frame[n])
    return stats.with_wilson(frame, k, n, "pct")


def pooled(outcomes: pd.DataFrame) -> dict:
    """n, families high, % and its Wilson interval over all families of `outcomes`."""
    scored = outcomes[outcomes["scored"]]
    n, k = len(scored), int(scored["high"].sum())
    lo, hi = stats.wilson(k, n)
    return {"n": n, "high": k, "pct": k / n * 100 if n else np.nan, "pct_lo": float(lo), "pct_hi": float(hi),
            "nvt": int((~outcomes["scored"]).sum())}


COMPARISON_COLUMNS = ["organisation", "n", "nvt", "high", "pct", "pct_lo", "pct_hi", "mean", "leefgebieden_mean",
                      *(str(s) for s in tx.VOORTGANG_SCORES), "small"]


COMPARISON_RULE = disclosure.Rule(
    counts=("n",), values=("nvt", "high", "pct", "pct_lo", "pct_hi", "mean", "leefgebieden_mean",
                           *(str(s) for s in tx.VOORTGANG_SCORES)),
    note="an organisation is hidden when n, 4–5, 1–3 or n.v.t. is below k, or when the pooled figures would "
         "give a hidden one back (disclosure.suppress_rows); per-organisation scores and means never")


@disclosure.protects(COMPARISON_RULE)
def organisation_comparison(outcomes: pd.DataFrame, min_n: int | None = None) -> pd.DataFrame:
    """Per organisation: n families with a score, families with only n.v.t., families high, % with its 95%
    Wilson interval, the mean number of leefgebieden with a score per family (`leefgebieden_mean`: over all
    leefgebieden a family with more of them has more chances of one score below 4), and `small` when n < min_n
    (config, default 20). For one leefgebied also the mean latest score and the families per score 1–5 (NaN over
    all leefgebieden, where a family has several scores). Organisations without any score in scope are not
    listed. `.attrs["pooled"]` holds all organisations together (with `leefgebieden_mean` too).

    For a viewer who does not own every organisation: an organisation whose n, families 4–5, families 1–3 or
    n.v.t. is below k is hidden, and more where the pooled figures would give one back (when that is not
    enough the pooled figures are hidden: `pooled["verborgen"]`); the counts per score and the mean score per
    organisation are never shown (with n and the share 4–5 they could pin a small count down)."""
    limit = metrics.resolve_min_n(min_n)
    single = outcomes.attrs.get("leefgebied", ALL) is not ALL
    rows = []
    for org, part in outcomes.groupby("organisation", sort=True):
        scored = part[part["scored"]]
        row = {"organisation": org, "n": len(scored), "nvt": int((~part["scored"]).sum()),
               "high": int(scored["high"].sum()),
               "mean": float(scored["score"].mean()) if single and len(scored) else np.nan,
               "leefgebieden_mean": float(scored["leefgebieden"].mean()) if len(scored) else np.nan}
        for s in tx.VOORTGANG_SCORES:
            row[str(s)] = int((scored["score"] == s).sum()) if single else np.nan
        rows.append(row)
    out = pd.DataFrame(rows, columns=[c for c in COMPARISON_COLUMNS if c not in ("pct", "pct_lo", "pct_hi", "small")])
    out = out[out["n"] > 0]
    out = _share(out)
    out["small"] = out["n"] < limit
    out = out[COMPARISON_COLUMNS].reset_index(drop=True)
    together = pooled(outcomes)
    scored = outcomes.loc[outcomes["scored"], "leefgebieden"]
    together["leefgebieden_mean"] = float(scored.mean()) if len(scored) else np.nan
    out.attrs.update(pooled=together, min_n=limit, leefgebied=outcomes.attrs.get("leefgebied", ALL),
                     after_until=int(outcomes.attrs.get("after_until", 0)),
                     without_score=sorted(set(outcomes.loc[~outcomes["scored"], "organisation"].dropna())
                                          - set(out["organisation"])))
    who = disclosure.stranger(outcomes)
    return out if who is None else _protect_comparison(out, who.k)


def _protect_comparison(comparison: pd.DataFrame, k: int) -> pd.DataFrame:
    out = disclosure.blank(comparison.copy(), [True] * len(comparison), ["mean", *(str(s) for s in tx.VOORTGANG_SCORES)])
    out.attrs = dict(comparison.attrs)
    hidden, total = disclosure.suppress_rows(
        [out["n"].tolist(), out["high"].tolist(), (out["n"] - out["high"]).tolist(), out["nvt"].tolist()], k)
    out = disclosure.hide_rows(out, out.index.isin(out.index[sorted(hidden)]), COMPARISON_RULE.values + ("n",))
    pooled = dict(out.attrs["pooled"], verborgen=total)
    if total:
        pooled.update({key: np.nan for key in ("n", "high", "pct", "pct_lo", "pct_hi", "nvt", "leefgebieden_mean")})
    out.attrs["pooled"] = pooled
    return out


BUCKETS = [b[0] for b in tx.DURATION_BUCKETS]
STATUS_ORDER = (tx.STATUS_AFGEROND, tx.STATUS_LOPEND)
DURATION_COLUMNS = ["status", "bucket", "n", "high", "pct", "pct_lo", "pct_hi", "small"]


def family_durations(durations: pd.DataFrame) -> pd.DataFrame:
    """One trajectory per family from `metrics.trajectory_durations`: the latest start among the counted ones;
    a family with none counted keeps the reason of its latest trajectory."""
    t = durations.assign(_counted=durations["excluded"].isna(), _start=pd.to_datetime(durations["start_date"]))
    t = t.sort_values(["family", "_counted", "_start"], na_position="first", kind="stable")
    return t.groupby("family").last()[["status_at_peildatum", "whole_months", "bucket", "excluded"]]


@disclosure.protects(disclosure.Rule(
    counts=("n",), values=("high", "pct", "pct_lo", "pct_hi"),
    note="per status the classes partition the families counted (shown): a class with n, 4–5 or 1–3 below k "
         "is hidden, and more where the status total would give it back"))
def duration_classes(outcomes: pd.DataFrame, durations: pd.DataFrame, min_n: int | None = None) -> pd.DataFrame:
    """Share of families high per trajectory duration class, separately for afgerond and lopend (at the peildatum).

    `outcomes` from `family_outcomes(…, until=peildatum)`, `durations` from `metrics.trajectory_durations` at the
    same peildatum. One row per status × class (all classes, n = 0 included) with n, families high, % and its 95%
    Wilson interval, and `small` when 0 < n < min_n. `.attrs["excluded"]` says which families with a score were
    left out and why (reason → families); `.attrs["n_by_status"]` the families counted per status."""
    limit = metrics.resolve_min_n(min_n)
    scored = outcomes[outcomes["scored"]]
    per = family_durations(durations) if len(durations) else pd.DataFrame(
        columns=["status_at_peildatum", "whole_months", "bucket", "excluded"])
    joined = scored.join(per, on="family")
    reason = joined["excluded"].astype(object).where(joined["excluded"].notna(), None)
    reason = reason.where(joined["status_at_peildatum"].notna() | reason.notna(), "geen traject")
    counted = joined[reason.isna()]
    excluded = {f"gezinnen met een score, traject niet meegeteld: {r}": int(c)
                for r, c in reason.dropna().value_counts().items()}
    if outcomes.attrs.get("after_until"):
        excluded["gezinnen met alleen scores na de peildatum"] = int(outcomes.attrs["after_until"])
    excluded["gezinnen met alleen n.v.t."] = int((~outcomes["scored"]).sum())
    grid = pd.MultiIndex.from_product([STATUS_ORDER, BUCKETS], names=["status", "bucket"])
    table = (counted.groupby(["status_at_peildatum", "bucket"]).agg(n=("family", "size"), high=("high", "sum"))
             .rename_axis(["status", "bucket"]).reindex(grid, fill_value=0).reset_index())
    table[["n", "high"]] = table[["n", "high"]].astype(int)
    table = _share(table)
    table["small"] = (table["n"] > 0) & (table["n"] < limit)
    table = table[DURATION_COLUMNS]
    table.attrs.update(
        n=len(counted), excluded={k: v for k, v in excluded.items() if v}, min_n=limit,
        n_by_status={s: int((counted["status_at_peildatum"] == s).sum()) for s in STATUS_ORDER},
        leefgebied=outcomes.attrs.get("leefgebied", ALL),
    )
    who = disclosure.stranger(outcomes)
    if who is None:
        return table
    rows = pd.Series(False, index=table.index)
    for status in STATUS_ORDER:
        part = table[table["status"] == status]
        hidden, total = disclosure.suppress_rows(
            [part["n"].tolist(), part["high"].tolist(), (part["n"] - part["high"]).tolist()], who.k)
        rows.loc[part.index[sorted(hidden)]] = True
        if total:
            table.attrs["n_by_status"][status] = None
    if any(v is None for v in table.attrs["n_by_status"].values()):
        table.attrs["n"] = None
    return disclosure.hide_rows(table, rows.to_numpy(), ["n", "high", "pct", "pct_lo", "pct_hi"])


COVERAGE_COUNTS = ("families", "with_score", "without_score", "after_until")


@disclosure.protects(disclosure.Rule(
    counts=COVERAGE_COUNTS, values=("other_instruments",),
    note="an organisation with a count below k is hidden, and more where the totals would give it back"))
def coverage(families: pd.DataFrame, measurements: pd.DataFrame, until: dt.date | None = None) -> pd.DataFrame:
    """Per organisation: families, families with at least one voortgangsscore (not n.v.t.), families without,
    and which other instruments they have. With `until` only scores on or before it count (undated ones too); a
    family whose scores all lie after it is in `after_until`, not in `without_score`. `.attrs["without"]` =
    families without a voortgangsscore overall, `.attrs["after_until"]` those with scores after `until` only."""
    every = set(metrics.latest_scores(measurements)["family"])
    with_score = set(metrics.latest_scores(metrics.measured_until(measurements, until))["family"])
    other = measurements[measurements["instrument"] != tx.VOORTGANG_INSTRUMENT]
    rows = []
    for org, part in families.groupby("organisation", sort=True):
        fams = set(part["family"])
        instruments = sorted(set(other.loc[other["family"].isin(fams), "instrument"]),
                             key=lambda i: metrics.INSTRUMENTS.index(i) if i in metrics.INSTRUMENTS else 99)
        rows.append({"organisation": org, "families": len(fams), "with_score": len(fams & with_score),
                     "without_score": len(fams - every), "after_until": len((fams & every) - with_score),
                     "other_instruments": [metrics.INSTRUMENT_LABELS.get(i, i) for i in instruments]})
    out = pd.DataFrame(rows, columns=["organisation", "families", "with_score", "without_score", "after_until",
                                      "other_instruments"])
    out.attrs.update(without=int(out["without_score"].sum()) if len(out) else 0,
                     after_until=int(out["after_until"].sum()) if len(out) else 0)
    who = disclosure.stranger(families, measurements)
    if who is None:
        return out
    hidden, total = disclosure.suppress_rows([out[c].tolist() for c in COVERAGE_COUNTS], who.k)
    if total:
        out.attrs.update(without=None, after_until=None)
    return disclosure.hide_rows(out, out.index.isin(out.index[sorted(hidden)]), [*COVERAGE_COUNTS, "other_instruments"])
