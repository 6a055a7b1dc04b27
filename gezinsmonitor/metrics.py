"""The figures of the dashboard and the `summary` command: pure functions on DataFrames.

Every function takes the active rows (see `Store.load_dataset`, possibly filtered) and returns
a DataFrame that carries its own n. Definitions are in DEFINITIONS, shown under every chart.
"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from . import taxonomy as tx

DEFINITIONS = {
    "needs_families": "Aandeel gezinnen met minstens één hulpvraag op dit leefgebied, van alle gezinnen met een hulpvraag. "
                      "Hulpvragen met een onzekere koppeling (te beoordelen) tellen pas mee als iemand ze beoordeeld heeft.",
    "needs_requests": "Aandeel van alle hulpvragen dat op dit leefgebied valt. Hulpvragen met een onzekere koppeling "
                      "(te beoordelen) tellen pas mee als iemand ze beoordeeld heeft.",
    "duration": "Maanden begeleiding van startdatum tot einddatum (afgerond) of tot de peildatum (lopend; "
                "een ondergrens). Status zoals op de peildatum. Hele kalendermaanden, klassen [0,6), [6,12), …",
    "progress": "Laatste voortgangsscore per gezin en leefgebied (1 = negatieve ontwikkeling … 5 = geen steun "
                "meer nodig); n.v.t. telt niet mee.",
    "hours": "Uren per week per soort steun bij de eerste en de laatste meting van elk gezin; n.v.t. telt niet "
             "mee in n, een ingevulde 0 wel. Gezinnen met een contactlog (datum en minuten per contact) tellen ook mee: "
             "hun eerste meting is de eerste trajectmaand (maand 0), hun laatste meting de laatste trajectmaand met een "
             "contact, in uren per week per soort steun (minuten in die maand / 60 / (dagen in die maand / 7)); een "
             "soort steun zonder contact in die maand telt als 0, een soort steun waarvoor het gezin nooit contact had "
             "telt niet mee. Heeft een gezin voor een soort steun ook wekelijkse uren, dan tellen die.",
    "zrm": "Gemiddeld ZRM-niveau (1 = acute problematiek … 5 = volledig zelfredzaam) per meetmoment (T0 = start, T1, "
           "T2 …). Per gezin eerst het gemiddelde van zijn ZRM-domeinen binnen het leefgebied, zodat elk gezin één keer "
           "telt; n = gezinnen met een niveau op dat moment (n.v.t. telt niet mee).",
    "severity": "Aandeel gezinnen met ernst 'middel' of 'zwaar' per indicator en eenheid (gezin, ouder, kind) per "
                "meetmoment (T0 = start, T1 = na 6, T2 = na 12, T3 = na 18 maanden). N = gezinnen met een bekend "
                "antwoord op dat moment: 'onbekend' telt niet mee, dus N verschilt per indicator en moment.",
    "direction": "Richting van verandering per leefgebied, voor elk instrument apart (scores van verschillende "
                 "instrumenten worden nooit samen gemiddeld). Voortgangsscore: de laatste score van het gezin "
                 "(1 = verslechterd, 2 = gelijk, 3–5 = verbeterd). ZRM: laatste min eerste niveau (hoger is beter). "
                 "Ernst: eerste min laatste ernst (lager is beter). Voor ZRM en ernst telt per gezin en leefgebied het "
                 "teken van de gemiddelde verandering over de ZRM-domeinen of ernstindicatoren (en eenheden) van dat "
                 "leefgebied die op minstens twee momenten gemeten zijn (T-alternatief telt niet: dat is een schatting). "
                 "Gezinnen met maar één meetmoment vallen buiten n en worden apart geteld.",
    "intensity": "Uren per week per gezin per trajectmaand (maand 0 = de eerste maand vanaf de startdatum, in hele "
                 "kalendermaanden zoals bij de trajectduur): de minuten uit het contactlog in die maand / 60, gedeeld "
                 "door (dagen in die maand / 7); ook de laatste, onvolledige maand telt met al haar dagen. Maanden "
                 "binnen het traject zonder contact tellen als 0. Het traject loopt van de startdatum tot de "
                 "einddatum, of (zonder einddatum) tot het laatste contact, en niet verder dan de peildatum. Alleen "
                 "inzet (professionals en vrijwilligers), geen deelname van het gezin. n = gezinnen waarvan het "
                 "traject die maand omvat.",
    "overview": "Actieve gegevens per organisatie: bij een nieuwere upload telt per gezin de nieuwste versie.",
}
DAYS_PER_MONTH = 365.25 / 12
REQUESTS_PER_FAMILY = "hulpvragen per gezin met hulpvraag"


def _order_leefgebied(values) -> list[str]:
    known = [lg for lg in tx.LEEFGEBIED_NAMES]
    extra = sorted(set(values) - set(known))
    return known + extra


def pct(part, whole):
    return np.where(np.asarray(whole) > 0, np.asarray(part, dtype=float) / np.maximum(whole, 1) * 100, np.nan)


# -- needs -------------------------------------------------------------------------------
def needs(requests: pd.DataFrame) -> pd.DataFrame:
    """Per leefgebied: families with a request there (share of families with any request) and requests."""
    n_families = requests["family"].nunique()
    n_requests = len(requests)
    grouped = requests.groupby("leefgebied").agg(families=("family", "nunique"), requests=("family", "size"))
    out = grouped.reindex(_order_leefgebied(grouped.index), fill_value=0).rename_axis("leefgebied").reset_index()
    out["families_pct"] = pct(out["families"], n_families)
    out["requests_pct"] = pct(out["requests"], n_requests)
    out.attrs.update(n_families=n_families, n_requests=n_requests)
    return out[["leefgebied", "families", "families_pct", "requests", "requests_pct"]]


def needs_detail(requests: pd.DataFrame) -> pd.DataFrame:
    """Per leefgebied and categorie (None where none was given), in taxonomy order."""
    n_families = requests["family"].nunique()
    n_requests = len(requests)
    frame = requests.assign(categorie=requests["categorie"].astype(object).where(requests["categorie"].notna(), None))
    grouped = (
        frame.groupby(["leefgebied", "categorie"], dropna=False)
        .agg(families=("family", "nunique"), requests=("family", "size"))
        .reset_index()
    )
    order = {lg: i for i, lg in enumerate(_order_leefgebied(grouped["leefgebied"]))}
    cat_order = {c: i for cats in tx.LEEFGEBIEDEN.values() for i, c in enumerate(cats)}
    grouped["_lg"] = grouped["leefgebied"].map(order)
    grouped["_cat"] = grouped["categorie"].map(lambda c: cat_order.get(c, 99) if isinstance(c, str) else 100)
    grouped = grouped.sort_values(["_lg", "_cat", "categorie"], na_position="last").drop(columns=["_lg", "_cat"])
    grouped["categorie"] = grouped["categorie"].astype(object).where(grouped["categorie"].notna(), None)
    grouped["families_pct"] = pct(grouped["families"], n_families)
    grouped["requests_pct"] = pct(grouped["requests"], n_requests)
    grouped.attrs.update(n_families=n_families, n_requests=n_requests)
    return grouped.reset_index(drop=True)[["leefgebied", "categorie", "families", "families_pct", "requests", "requests_pct"]]


def requests_per_family(requests: pd.DataFrame, families: pd.DataFrame) -> pd.DataFrame:
    """Distribution of the number of requests per family (families without requests count as 0)."""
    counts = requests.groupby("family").size().reindex(families["family"].unique(), fill_value=0)
    dist = counts.value_counts().sort_index().rename_axis("aantal_hulpvragen").reset_index(name="gezinnen")
    dist.attrs.update(n_families=len(counts), mean=float(counts.mean()) if len(counts) else np.nan)
    return dist


# -- duration ----------------------------------------------------------------------------
def whole_months(start: pd.Series, end: pd.Series) -> pd.Series:
    """Complete calendar months between two dates (15 Jan → 15 Jul = 6, → 14 Jul = 5)."""
    months = (end.dt.year - start.dt.year) * 12 + (end.dt.month - start.dt.month)
    return months - (end.dt.day < start.dt.day).astype(int)


def trajectory_durations(trajectories: pd.DataFrame, peildatum: dt.date) -> pd.DataFrame:
    """Per trajectory, as it stood at the peildatum: status then, duration in months and bucket,
    or the reason it is left out. A trajectory that ended after the peildatum was still running
    then; one that started after it did not exist yet."""
    peil = pd.Timestamp(peildatum)
    t = trajectories.copy()
    start = pd.to_datetime(t["start_date"])
    end = pd.to_datetime(t["end_date"])
    done = (t["status"] == tx.STATUS_AFGEROND) & ~(end > peil)
    t["status_at_peildatum"] = np.where(done, tx.STATUS_AFGEROND, tx.STATUS_LOPEND)
    until = end.where(done, peil)
    whole = whole_months(start, until)
    rest_days = (until - start).dt.days - whole * DAYS_PER_MONTH
    t["months"] = (whole + (rest_days / DAYS_PER_MONTH).clip(0, 0.999)).astype(float)
    t["whole_months"] = whole
    t["excluded"] = None
    t.loc[start.isna(), "excluded"] = "geen startdatum"
    t.loc[done & end.isna(), "excluded"] = "afgerond zonder einddatum"
    t.loc[start.notna() & (start > peil), "excluded"] = "start na de peildatum"
    keep = t["excluded"].isna()
    t["bucket"] = None
    t.loc[keep, "bucket"] = t.loc[keep, "whole_months"].map(tx.duration_bucket)
    t.loc[~keep, ["months", "whole_months"]] = np.nan
    return t


def duration_table(trajectories: pd.DataFrame, peildatum: dt.date) -> pd.DataFrame:
    """The published-style table: trajectories per duration class, afgerond vs lopend."""
    return tabulate_durations(trajectory_durations(trajectories, peildatum))


def tabulate_durations(durations: pd.DataFrame) -> pd.DataFrame:
    """`duration_table` from the output of `trajectory_durations`, for pages that show both."""
    t = durations[durations["excluded"].isna()]
    table = pd.crosstab(t["bucket"], t["status_at_peildatum"]).reindex(
        index=[b[0] for b in tx.DURATION_BUCKETS], columns=[tx.STATUS_AFGEROND, tx.STATUS_LOPEND], fill_value=0
    )
    out = pd.DataFrame({
        "months": table.index,
        "completed": table[tx.STATUS_AFGEROND].astype(int).to_numpy(),
        "ongoing": table[tx.STATUS_LOPEND].astype(int).to_numpy(),
    })
    out.attrs.update(n=len(t))
    return out


# -- progress ----------------------------------------------------------------------------
def latest_scores(measurements: pd.DataFrame, instrument: str = tx.VOORTGANG_INSTRUMENT) -> pd.DataFrame:
    """Each family's latest score per leefgebied; n.v.t. is not a score and is dropped first."""
    m = measurements[(measurements["instrument"] == instrument) & ~measurements["not_applicable"].astype(bool)]
    m = m[m["value"].notna()]
    m = m.sort_values(["measured_on", "id"] if "id" in m else ["measured_on"], na_position="first", kind="stable")
    return m.groupby(["family", "leefgebied"], as_index=False).last()


def progress_summary(measurements: pd.DataFrame) -> pd.DataFrame:
    """Per leefgebied: n families, mean latest score, counts per score 1–5, families with only n.v.t."""
    latest = latest_scores(measurements)
    m = measurements[measurements["instrument"] == tx.VOORTGANG_INSTRUMENT]
    nvt_only = (
        m.groupby(["leefgebied", "family"])["not_applicable"].all().reset_index().query("not_applicable")
        .groupby("leefgebied").size()
    )
    rows = []
    for lg in _order_leefgebied(set(latest["leefgebied"]) | set(nvt_only.index)):
        scores = latest.loc[latest["leefgebied"] == lg, "value"].astype(int)
        counts = {str(k): int((scores == k).sum()) for k in tx.VOORTGANG_SCORES}
        rows.append({
            "leefgebied": lg,
            "n": int(len(scores)),
            "mean": float(scores.mean()) if len(scores) else np.nan,
            "counts": counts,
            "nvt": int(nvt_only.get(lg, 0)),
        })
    out = pd.DataFrame(rows, columns=["leefgebied", "n", "mean", "counts", "nvt"])
    out.attrs.update(n_families=int(latest["family"].nunique()))
    return out


def progress_distribution(summary: pd.DataFrame) -> pd.DataFrame:
    """Long form of `progress_summary` for the 100% stacked bars: leefgebied, score, families, pct."""
    rows = []
    for rec in summary.itertuples():
        for score, count in rec.counts.items():
            rows.append({"leefgebied": rec.leefgebied, "score": int(score), "gezinnen": count, "n": rec.n,
                         "pct": count / rec.n * 100 if rec.n else np.nan})
    return pd.DataFrame(rows, columns=["leefgebied", "score", "gezinnen", "n", "pct"])


# -- hours -------------------------------------------------------------------------------
def hours_first_latest(hours: pd.DataFrame) -> pd.DataFrame:
    """Per support type, the mean hours per week at each family's first ("start") and last ("latest")
    measurement. A measurement that says n.v.t. leaves the family out of n; an explicit 0 counts."""
    h = hours[hours["hours_per_week"].notna() | hours["not_applicable"].astype(bool)]
    h = h.sort_values(["measured_on", "id"] if "id" in h else ["measured_on"], na_position="first", kind="stable")
    groups = h.groupby(["support_type", "family"], sort=False)
    picked = {"start": groups.head(1), "latest": groups.tail(1)}
    rows = []
    for support_type in list(tx.SUPPORT_TYPE_NAMES) + sorted(set(h["support_type"]) - set(tx.SUPPORT_TYPE_NAMES)):
        for moment, frame in picked.items():
            sel = frame[(frame["support_type"] == support_type) & ~frame["not_applicable"].astype(bool)]
            values = sel["hours_per_week"].astype(float)
            rows.append({
                "support_type": support_type,
                "kind": tx.SUPPORT_TYPES.get(support_type, tx.INVESTMENT),
                "moment": moment,
                "n": int(len(values)),
                "mean_hours_per_week": float(values.mean()) if len(values) else np.nan,
                "nvt": int(((frame["support_type"] == support_type) & frame["not_applicable"].astype(bool)).sum()),
            })
    return pd.DataFrame(rows, columns=["support_type", "kind", "moment", "n", "mean_hours_per_week", "nvt"])


def professional_total(hours_table: pd.DataFrame) -> pd.DataFrame:
    """Per moment: sum of the mean hours of the professional support types (as published, §3.4),
    with n per type. The n differ, so this is not a mean over the same families."""
    prof = hours_table[hours_table["support_type"].isin(tx.PROFESSIONAL_TYPES) & (hours_table["n"] > 0)]
    rows = []
    for moment in ("start", "latest"):
        part = prof[prof["moment"] == moment]
        rows.append({
            "moment": moment,
            "hours_per_week": float(part["mean_hours_per_week"].sum()) if len(part) else np.nan,
            "n_per_type": dict(zip(part["support_type"], part["n"].astype(int))),
        })
    return pd.DataFrame(rows, columns=["moment", "hours_per_week", "n_per_type"])


# -- overview ----------------------------------------------------------------------------
def overview(families: pd.DataFrame, trajectories: pd.DataFrame, requests: pd.DataFrame,
             batches: pd.DataFrame) -> pd.DataFrame:
    """Key figures per organisation plus a total row."""
    orgs = sorted(families["organisation"].dropna().unique())
    fam = families.groupby("organisation")["family"].nunique()
    status = trajectories.groupby(["organisation", "status"])["family"].nunique().unstack(fill_value=0)
    req = requests.groupby("organisation").size()
    latest = batches.sort_values("uploaded_at").groupby("organisation").tail(1).set_index("organisation")
    out = pd.DataFrame({"organisatie": orgs})
    out["gezinnen"] = out["organisatie"].map(fam).fillna(0).astype(int)
    for st_name in tx.STATUSES:
        col = status[st_name] if st_name in status else pd.Series(dtype=int)
        out[st_name] = out["organisatie"].map(col).fillna(0).astype(int)
    out["hulpvragen"] = out["organisatie"].map(req).fillna(0).astype(int)
    families_with_requests = requests.groupby("organisation")["family"].nunique()
    out[REQUESTS_PER_FAMILY] = out["hulpvragen"] / out["organisatie"].map(families_with_requests).replace(0, np.nan)
    out["laatste upload"] = out["organisatie"].map(latest["uploaded_at"]) if len(latest) else pd.NaT
    out["bestand"] = out["organisatie"].map(latest["file_name"]) if len(latest) else None
    total = {
        "organisatie": "Totaal",
        "gezinnen": int(out["gezinnen"].sum()),
        tx.STATUS_LOPEND: int(out[tx.STATUS_LOPEND].sum()),
        tx.STATUS_AFGEROND: int(out[tx.STATUS_AFGEROND].sum()),
        "hulpvragen": int(out["hulpvragen"].sum()),
        REQUESTS_PER_FAMILY: len(requests) / requests["family"].nunique() if len(requests) else np.nan,
        "laatste upload": out["laatste upload"].max() if len(out) else pd.NaT,
        "bestand": "",
    }
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)
