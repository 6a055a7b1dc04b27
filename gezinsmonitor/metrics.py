"""The figures of the dashboard and the `summary` command: pure functions on DataFrames.

Every function takes the active rows (see `Store.load_dataset`, possibly filtered) and returns
a DataFrame that carries its own n. Definitions are in DEFINITIONS, shown under every chart.
"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from . import config, stats
from . import disclosure  # small-cell protection (issue 5)
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
             "mee in n, een ingevulde 0 wel. Volgorde van de metingen: eerst het meetmoment (start, T0, M1, T1, T2 "
             "…, later), dan de datum, dan de volgorde in het bestand; een meting met een datum maar zonder "
             "herkenbaar meetmoment valt tussen de genummerde momenten en 'later', op datum. Metingen met een datum "
             "na de peildatum tellen niet mee, en ook niet de metingen van gezinnen waarvan het traject pas na de "
             "peildatum begon. Gezinnen met een contactlog (datum en minuten per contact) tellen ook mee: "
             "hun eerste meting is de eerste trajectmaand (maand 0), hun laatste meting de laatste trajectmaand met een "
             "contact, in uren per week per soort steun (minuten in die maand / 60 / (dagen van die maand binnen het "
             "traject / 7): een maand die op de einddatum of de peildatum nog niet om was telt alleen haar verstreken "
             "dagen); contacten na de peildatum tellen niet mee. Een soort steun zonder contact in die maand telt als "
             "0, een soort steun waarvoor het gezin nooit contact had telt niet mee. Heeft een gezin voor een soort "
             "steun ook wekelijkse uren, dan tellen die.",
    "zrm": "Gemiddeld ZRM-niveau (1 = acute problematiek … 5 = volledig zelfredzaam) per meetmoment (T0 = start, T1, "
           "T2 …). Per gezin eerst het gemiddelde van zijn ZRM-domeinen binnen het leefgebied, zodat elk gezin één keer "
           "telt; n = gezinnen met een niveau op dat moment (n.v.t. telt niet mee).",
    "severity": "Aandeel gezinnen met ernst 'middel' of 'zwaar' per indicator en eenheid (gezin, ouder, kind) per "
                "meetmoment (T0 = start, T1 = na 6, T2 = na 12, T3 = na 18 maanden). N = gezinnen met een bekend "
                "antwoord op dat moment: 'onbekend' telt niet mee, dus N verschilt per indicator en moment. Met een "
                "95%-betrouwbaarheidsinterval (Wilson). 'Geen bekend antwoord' telt de gezinnen die op een ander moment "
                "wel een antwoord op die indicator hebben en van wie het moment zeker voorbij was (er is een later "
                "antwoord, of het traject eindigde minstens 6 maanden per T-stap na de start); 'onbekend' en lege "
                "cellen worden niet opgeslagen, dus dit is een ondergrens.",
    "direction": "Richting van verandering per leefgebied, voor elk instrument apart (scores van verschillende "
                 "instrumenten worden nooit samen gemiddeld). Voortgangsscore: de laatste score van het gezin "
                 "(1 = verslechterd, 2 = gelijk, 3–5 = verbeterd). ZRM: laatste min eerste niveau (hoger is beter). "
                 "Ernst: eerste min laatste ernst (lager is beter). Voor ZRM en ernst telt per gezin en leefgebied het "
                 "teken van de gemiddelde verandering over de ZRM-domeinen of ernstindicatoren (en eenheden) van dat "
                 "leefgebied die op minstens twee momenten gemeten zijn (T-alternatief telt niet: dat is een schatting). "
                 "Gezinnen met maar één meetmoment vallen buiten n en worden apart geteld. Elk percentage heeft een "
                 "95%-betrouwbaarheidsinterval (Wilson), in de tooltip en de tabel.",
    "intensity": "Uren per week per gezin per trajectmaand (maand 0 = de eerste maand vanaf de startdatum, in hele "
                 "kalendermaanden zoals bij de trajectduur): de minuten uit het contactlog in die maand / 60, gedeeld "
                 "door (dagen van die maand binnen het traject / 7). Een maand die op de einddatum of de peildatum "
                 "nog niet om was telt alleen haar verstreken dagen (t/m de einddatum of de peildatum; een lopend "
                 "traject loopt door tot de peildatum). Maanden binnen het traject zonder contact tellen als 0. "
                 "Het traject loopt van de startdatum tot de einddatum, of (zonder einddatum) tot het laatste contact, "
                 "en niet verder dan de peildatum. Alleen inzet (professionals en vrijwilligers), geen deelname van "
                 "het gezin. n = gezinnen waarvan het traject die maand omvat; punten met n onder het minimum zijn "
                 "lichter en gestreept getekend.",
    "overview": "Actieve gegevens per organisatie: bij een nieuwere upload telt per gezin de nieuwste versie.",
}
DAYS_PER_MONTH = 365.25 / 12
STARTED_LATER = "start na de peildatum"  # trajectory_durations' reason for a trajectory that had not begun
REQUESTS_PER_FAMILY = "hulpvragen per gezin met hulpvraag"


def _order_leefgebied(values) -> list[str]:
    known = [lg for lg in tx.LEEFGEBIED_NAMES]
    extra = sorted(set(values) - set(known))
    return known + extra


def pct(part, whole):
    return np.where(np.asarray(whole) > 0, np.asarray(part, dtype=float) / np.maximum(whole, 1) * 100, np.nan)


# -- needs -------------------------------------------------------------------------------
def counted_requests(requests: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The requests that count, and how many were left out: a mapping marked "te beoordelen" is uncertain
    and waits for a person, so it is not counted anywhere until someone has reviewed it."""
    if "herkomst" not in requests:
        return requests, 0
    pending = requests["herkomst"] == tx.HERKOMST_TE_BEOORDELEN
    return requests[~pending], int(pending.sum())


@disclosure.protects(disclosure.Rule(
    counts=("families", "requests"),
    values=("families_pct", "families_pct_lo", "families_pct_hi", "requests_pct", "requests_pct_lo", "requests_pct_hi"),
    partition="requests", complement_of=(("families", "n_families"),),
    note="per leefgebied; the requests add up to n_requests, which is shown (families overlap: no partition); "
         "the families without a request there (n_families − families) are a count too"))
def needs(requests: pd.DataFrame) -> pd.DataFrame:
    """Per leefgebied: families with a request there (share of families with any request) and requests,
    each share with its 95% Wilson interval (`*_pct_lo/_hi`). Requests still to be reviewed are left out;
    `.attrs["te_beoordelen"]` says how many."""
    requests, pending = counted_requests(requests)
    n_families = requests["family"].nunique()
    n_requests = len(requests)
    grouped = requests.groupby("leefgebied").agg(families=("family", "nunique"), requests=("family", "size"))
    out = grouped.reindex(_order_leefgebied(grouped.index), fill_value=0).rename_axis("leefgebied").reset_index()
    out["families_pct"] = pct(out["families"], n_families)
    out["requests_pct"] = pct(out["requests"], n_requests)
    out = _with_needs_intervals(out[["leefgebied", "families", "families_pct", "requests", "requests_pct"]],
                                n_families, n_requests)
    out.attrs.update(n_families=n_families, n_requests=n_requests, te_beoordelen=pending)
    return out


def _with_needs_intervals(frame: pd.DataFrame, n_families: int, n_requests: int) -> pd.DataFrame:
    """95% Wilson bounds `families_pct_lo/_hi` and `requests_pct_lo/_hi` (NaN when the base is 0)."""
    frame = stats.with_wilson(frame, "families", n_families, "families_pct")
    return stats.with_wilson(frame, "requests", n_requests, "requests_pct")


@disclosure.protects(disclosure.Rule(
    counts=("families", "requests"),
    values=("families_pct", "families_pct_lo", "families_pct_hi", "requests_pct", "requests_pct_lo", "requests_pct_hi"),
    partition="requests",
    note="per leefgebied × categorie; a leefgebied's categories add up to its requests in needs(), all to n_requests"),
    within=((("leefgebied",), "requests"), ((), "requests")))
def needs_detail(requests: pd.DataFrame) -> pd.DataFrame:
    """Per leefgebied and categorie (None where none was given), in taxonomy order; requests still to be
    reviewed are left out (`.attrs["te_beoordelen"]`)."""
    requests, pending = counted_requests(requests)
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
    out = grouped.reset_index(drop=True)[["leefgebied", "categorie", "families", "families_pct", "requests",
                                          "requests_pct"]]
    out = _with_needs_intervals(out, n_families, n_requests)
    out.attrs.update(n_families=n_families, n_requests=n_requests, te_beoordelen=pending)
    return out


@disclosure.protects(disclosure.Rule(
    counts=("gezinnen",), values=("pct", "pct_lo", "pct_hi"), partition="gezinnen",
    note="already binned (families per number of requests), not one row per family; the bins add up to n_families"))
def requests_per_family(requests: pd.DataFrame, families: pd.DataFrame) -> pd.DataFrame:
    """Distribution of the number of requests per family (families without requests count as 0), with the
    share of all families (`pct`, Wilson `pct_lo/_hi`). Requests still to be reviewed are left out
    (`.attrs["te_beoordelen"]`)."""
    requests, pending = counted_requests(requests)
    counts = requests.groupby("family").size().reindex(families["family"].unique(), fill_value=0)
    dist = counts.value_counts().sort_index().rename_axis("aantal_hulpvragen").reset_index(name="gezinnen")
    dist["pct"] = pct(dist["gezinnen"], len(counts))
    dist = stats.with_wilson(dist, "gezinnen", len(counts), "pct")
    dist.attrs.update(n_families=len(counts), mean=float(counts.mean()) if len(counts) else np.nan,
                      te_beoordelen=pending)
    return dist


# -- duration ----------------------------------------------------------------------------
def whole_months(start: pd.Series, end: pd.Series) -> pd.Series:
    """Complete calendar months between two dates (15 Jan → 15 Jul = 6, → 14 Jul = 5)."""
    months = (end.dt.year - start.dt.year) * 12 + (end.dt.month - start.dt.month)
    return months - (end.dt.day < start.dt.day).astype(int)


@disclosure.protects(disclosure.Rule(note=(
    "Per-trajectory working frame: only the input of the protected duration figures, never shown row by row "
    "(the histogram gets `duration_bins`). Its rows stay complete: dropping other organisations' rows here "
    "would make every aggregate built on it wrong.")))
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
    t.loc[start.notna() & (start > peil), "excluded"] = STARTED_LATER
    keep = t["excluded"].isna()
    t["bucket"] = None
    t.loc[keep, "bucket"] = t.loc[keep, "whole_months"].map(tx.duration_bucket)
    t.loc[~keep, ["months", "whole_months"]] = np.nan
    return t


DURATION_RULE = disclosure.Rule(counts=("completed", "ongoing"), note=(
    "Duration classes x afgerond/lopend with row and column totals: a class with a count 1..k-1 is hidden whole, "
    "and more classes while a hidden small count could be recovered from a column total (`suppress_rows`); the "
    "column totals afgerond/lopend (attrs totals) are hidden together when one is small."))


def _protect_duration_table(table: pd.DataFrame, who: disclosure.Audience,
                            others: pd.DataFrame | None = None) -> pd.DataFrame:
    k = who.k
    if disclosure.HIDDEN in table:  # already protected (duration_table over tabulate_durations)
        return table
    row_total = table["completed"] + table["ongoing"]  # the table's Totaal column (duration_table_nl)
    totals = {"completed": int(table["completed"].sum()), "ongoing": int(table["ongoing"].sum()),
              "total": int(row_total.sum())}
    # The grand total is n under every figure; afgerond and lopend add up to it, so both go when one is small.
    split_hidden = disclosure.small(totals["completed"], k) or disclosure.small(totals["ongoing"], k)
    columns = [row_total] if split_hidden else [table["completed"], table["ongoing"], row_total]
    rows, all_hidden = disclosure.suppress_rows(columns, k)
    mask = np.isin(np.arange(len(table)), sorted(rows))
    out = table.copy()
    out.attrs = dict(table.attrs)
    out = disclosure.hide_rows(out, mask, ["completed", "ongoing"])
    if others is not None:  # an organisation: the other organisations' totals must not be small either
        rest = {"completed": int(others["completed"].sum()), "ongoing": int(others["ongoing"].sum())}
        rest["total"] = rest["completed"] + rest["ongoing"]
        split_hidden = split_hidden or disclosure.small(rest["completed"], k) or disclosure.small(rest["ongoing"], k)
        all_hidden = all_hidden or disclosure.small(rest["total"], k)
    shown = {col: None if (all_hidden and col == "total") or disclosure.small(v, k) or (split_hidden and col != "total")
             else v for col, v in totals.items()}
    out.attrs |= {"totals": shown, "suppressed": int(mask.sum()), "k": k}
    return out


@disclosure.protects(DURATION_RULE, shape=_protect_duration_table)
def duration_table(trajectories: pd.DataFrame, peildatum: dt.date) -> pd.DataFrame:
    """The published-style table: trajectories per duration class, afgerond vs lopend."""
    return tabulate_durations(trajectory_durations(trajectories, peildatum))


@disclosure.protects(DURATION_RULE, shape=_protect_duration_table)
def tabulate_durations(durations: pd.DataFrame) -> pd.DataFrame:
    """`duration_table` from the output of `trajectory_durations`, for pages that show both. attrs n (counted)
    and totals (completed, ongoing, total → the column totals; None = hidden for this viewer)."""
    t = durations[durations["excluded"].isna()]
    table = pd.crosstab(t["bucket"], t["status_at_peildatum"]).reindex(
        index=[b[0] for b in tx.DURATION_BUCKETS], columns=[tx.STATUS_AFGEROND, tx.STATUS_LOPEND], fill_value=0
    )
    out = pd.DataFrame({
        "months": table.index,
        "completed": table[tx.STATUS_AFGEROND].astype(int).to_numpy(),
        "ongoing": table[tx.STATUS_LOPEND].astype(int).to_numpy(),
    })
    out.attrs.update(n=len(t), totals={"completed": int(out["completed"].sum()), "ongoing": int(out["ongoing"].sum()),
                                       "total": len(t)})
    return out


BIN_COLUMNS = ["month", "month_end", "bucket", "status", "trajectories"]
STRANGER_BIN_MONTHS = 3  # wider bins for a viewer who does not own the rows: fewer counts below k


def _bins(durations: pd.DataFrame, step: int) -> pd.DataFrame:
    kept = durations[durations["excluded"].isna() & durations["months"].notna()]
    start = (np.floor(kept["months"].astype(float) / step) * step).astype(int)
    frame = pd.DataFrame({"month": start.to_numpy(), "status": kept["status_at_peildatum"].astype(str).to_numpy()})
    out = frame.value_counts().rename("trajectories").reset_index()
    out["month_end"] = out["month"] + step
    out["bucket"] = out["month"].map(tx.duration_bucket)
    out = out.sort_values(["month", "status"], ignore_index=True)[BIN_COLUMNS]
    out["trajectories"] = out["trajectories"].astype(int)
    return out


def duration_bins(durations: pd.DataFrame, step: int | None = None) -> pd.DataFrame:
    """The histogram of the trajectory durations, binned here so that no per-trajectory duration has to reach the
    browser: trajectories per bin of `step` months (`month` ≤ duration < `month_end`) and status at the
    peildatum, nonzero bins only. `step` (a divisor of 6, so bins nest in the duration classes) defaults to 1 for
    a viewer who owns every row, else STRANGER_BIN_MONTHS.

    For such another viewer: bins with 1..k-1 trajectories are hidden (`verborgen`), and within each duration
    class × status the bins are one partition of the class cell of `tabulate_durations` (shown on the same
    page): complementary suppression there, and every bin of a class cell that is hidden itself is hidden.
    attrs: step, n, k, suppressed."""
    who = disclosure.stranger(durations)
    step = step or (1 if who is None else STRANGER_BIN_MONTHS)
    if 6 % step:
        raise ValueError("step must divide 6 so that bins nest in the duration classes")
    out = _bins(durations, step)
    out.attrs = {"step": step, "n": int(out["trajectories"].sum())}
    if who is None:
        return out
    k = who.k
    classes = tabulate_durations(durations)  # protected for `who`, as the page shows it
    hidden_class = {(m, status) for m, hid in zip(classes["months"], classes[disclosure.HIDDEN]) if hid
                    for status in (tx.STATUS_AFGEROND, tx.STATUS_LOPEND)}
    mask = np.zeros(len(out), dtype=bool)
    others_small = pd.Series(False, index=out.index)
    if who.owned and "organisation" in durations:
        # An organisation could subtract its own trajectories from a mixed bin: the others' part must not be small.
        others = _bins(durations.loc[~durations["organisation"].isin(who.owned)], step)
        part = out[["month", "status"]].merge(others[["month", "status", "trajectories"]], how="left")
        others_small = pd.Series([disclosure.small(v, k) for v in part["trajectories"]], index=out.index)
    for (bucket, status), rows in out.groupby(["bucket", "status"], sort=False).groups.items():
        positions = out.index.get_indexer(rows)
        if (bucket, status) in hidden_class:
            mask[positions] = True
            continue
        already = [i for i, row in enumerate(rows) if others_small[row]]
        hide, _ = disclosure.suppress_rows([out.loc[rows, "trajectories"].tolist()], k, hidden=already)
        mask[positions[sorted(hide)]] = True
    out = disclosure.hide_rows(out, mask, ["trajectories"])
    out.attrs |= {"k": k, "suppressed": int(mask.sum())}
    return out


disclosure.REGISTRY[f"{__name__}.duration_bins"] = disclosure.Rule(counts=("trajectories",), note=(
    "Histogram bins: a bin of 1..k-1 trajectories is hidden; the bins of one duration class and status are a "
    "partition of that class cell (complementary suppression), all hidden when the class cell is."))


# -- progress ----------------------------------------------------------------------------
def latest_scores(measurements: pd.DataFrame, instrument: str = tx.VOORTGANG_INSTRUMENT) -> pd.DataFrame:
    """Each family's latest score per leefgebied (in `chronological` order); n.v.t. is not a score and is
    dropped first."""
    m = measurements[(measurements["instrument"] == instrument) & ~measurements["not_applicable"].astype(bool)]
    m = chronological(m[m["value"].notna()])
    return m.groupby(["family", "leefgebied"], as_index=False).last()


def measured_until(measurements: pd.DataFrame, until: dt.date | None) -> pd.DataFrame:
    """The rows measured on or before `until` (all rows when None). Undated rows stay: they cannot be
    placed after it."""
    if until is None or "measured_on" not in measurements:
        return measurements
    return measurements[~(pd.to_datetime(measurements["measured_on"]) > pd.Timestamp(until))]


@disclosure.protects(disclosure.Rule(
    counts=("n",), values=("mean", "counts", "nvt", "high", "high_pct", "high_pct_lo", "high_pct_hi"),
    note="a leefgebied with n < k is hidden; within a shown one, the scores 1–5 are a partition of n (and 4–5 a "
         "subtotal): see _protect_summary"))
def progress_summary(measurements: pd.DataFrame, until: dt.date | None = None) -> pd.DataFrame:
    """Per leefgebied: n families, mean latest score, counts per score 1–5, families with only n.v.t., and
    families with latest score 4–5 (`high`) as % of n with its 95% Wilson interval (`high_pct`, `_lo`, `_hi`).

    With `until` (the peildatum) only scores measured on or before it count (undated ones too);
    `.attrs["after_until"]` counts the families whose voortgangsscores all lie after it.

    For a viewer who does not own every organisation (`stranger`), score counts in `counts` that are small or
    could be recovered become None, and the mean, the share 4–5 and n.v.t. are hidden where they would give
    a small count back (see `_protect_summary`)."""
    every = measurements
    measurements = measured_until(measurements, until)
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
    out["high"] = [int(c["4"] + c["5"]) for c in out["counts"]]
    out["high_pct"] = pct(out["high"], out["n"])
    out = stats.with_wilson(out, "high", "n", "high_pct")
    after = set(latest_scores(every)["family"]) - set(latest["family"]) if until is not None else set()
    out.attrs.update(n_families=int(latest["family"].nunique()), after_until=len(after))
    who = disclosure.stranger(every)
    if who is None:
        return out
    others = None
    if who.owned and "organisation" in every:
        # An organisation knows its own scores: the other organisations' distribution is protected as well,
        # as it would be on its own, or subtracting its own families would read it.
        rest = disclosure.others_exact(progress_summary, who, every, until)
        others = None if rest is None else dict(zip(rest["leefgebied"], rest["counts"]))
    return _protect_summary(out, who.k, others)


HIGH_SCORES = ("4", "5")


def _protect_summary(summary: pd.DataFrame, k: int, others: dict | None = None) -> pd.DataFrame:
    """Per leefgebied, the scores 1–5 as a partition of n with the subtotal 4–5 (`split_cells`): hidden scores
    become None in `counts`; the share 4–5 goes with its subtotal, the mean with any hidden score (it is one
    more equation), the whole leefgebied when even n could be recovered; n.v.t. is hidden when small."""
    out = summary.copy()
    out.attrs = dict(summary.attrs)
    counts, sub, whole, mean = [], [], [], []
    for rec in out.itertuples():
        hidden, high_hidden, total_hidden = disclosure.split_cells(rec.counts, HIGH_SCORES, k)
        if others is not None and rec.leefgebied in others:
            more, more_high, more_total = disclosure.split_cells(others[rec.leefgebied], HIGH_SCORES, k)
            hidden, high_hidden, total_hidden = hidden | more, high_hidden or more_high, total_hidden or more_total
        counts.append({key: (None if key in hidden else value) for key, value in rec.counts.items()})
        sub.append(high_hidden)
        whole.append(total_hidden)
        mean.append(bool(hidden))
    out["counts"] = pd.Series(counts, index=out.index, dtype=object)
    out = disclosure.blank(out, sub, ["high", "high_pct", "high_pct_lo", "high_pct_hi"])
    out = disclosure.blank(out, mean, ["mean"])
    out = disclosure.protect_counts(out, ["nvt"], k)
    return disclosure.hide_rows(out, whole, ["n", "mean", "counts", "nvt", "high", "high_pct", "high_pct_lo", "high_pct_hi"])


@disclosure.protects(disclosure.Rule(
    counts=("gezinnen", "n"), values=("pct", "pct_lo", "pct_hi"),
    note="long form of a protected progress_summary: a score hidden there is hidden here (verborgen)"))
def progress_distribution(summary: pd.DataFrame) -> pd.DataFrame:
    """Long form of `progress_summary` for the 100% stacked bars: leefgebied, score, families, pct.

    From a protected summary (`disclosure.is_protected`) a hidden score or leefgebied has its families and %
    missing and `verborgen` True."""
    protected = disclosure.is_protected(summary)
    rows = []
    for rec in summary.itertuples():
        counts = rec.counts if isinstance(rec.counts, dict) else dict.fromkeys(map(str, tx.VOORTGANG_SCORES))
        for score, count in counts.items():
            count = np.nan if count is None else count
            rows.append({"leefgebied": rec.leefgebied, "score": int(score), "gezinnen": count, "n": rec.n,
                         "pct": count / rec.n * 100 if rec.n else np.nan})
    out = pd.DataFrame(rows, columns=["leefgebied", "score", "gezinnen", "n", "pct"])
    out = stats.with_wilson(out, "gezinnen", "n", "pct")
    if protected:
        out[disclosure.HIDDEN] = out["gezinnen"].isna() | out["n"].isna()
        out.attrs.update(k=summary.attrs.get("k"), suppressed=int(out[disclosure.HIDDEN].sum()))
    return out


# -- other instruments: ZRM, problem severity, direction of change (DOMAIN §3.2) ----------
ZRM_INSTRUMENT = "zrm"
ERNST_INSTRUMENT = "ernst"
INSTRUMENTS = (tx.VOORTGANG_INSTRUMENT, ZRM_INSTRUMENT, ERNST_INSTRUMENT)
INSTRUMENT_LABELS = {tx.VOORTGANG_INSTRUMENT: "Voortgangsscore", ZRM_INSTRUMENT: "ZRM",
                     ERNST_INSTRUMENT: "Ernst van problemen"}
ZRM_LEVELS = {1: "acute problematiek", 2: "niet zelfredzaam", 3: "beperkt zelfredzaam", 4: "voldoende zelfredzaam",
              5: "volledig zelfredzaam"}
SEVERITY_LEVELS = {0: "geen", 1: "licht", 2: "middel", 3: "zwaar"}
SEVERE = 2  # "middel" and "zwaar": the headline share
UNITS = ("gezin", "ouder", "kind")
DIRECTIONS = ("verbeterd", "gelijk", "verslechterd")
_T_MOMENT = re.compile(r"^([tm])\s*-?\s*(\d+)$", re.IGNORECASE)
FIRST_MOMENT, LAST_MOMENT = "start", "later"  # word moments of the intake (gezinsmonitor.layout)


def normalise_moment(value) -> str | None:
    """'t1', 'T 1', 'T-1' → 'T1' (likewise M1); other moments (start, later, dates, 'T-alternatief') as given,
    stripped; None when missing."""
    if value is None or value != value or not str(value).strip():
        return None
    text = str(value).strip()
    match = _T_MOMENT.match(text)
    return f"{match.group(1).upper()}{int(match.group(2))}" if match else text


def _moment_key(moment: str) -> tuple:
    """start, T0, M1, T1, M2, T2 … (M1 lies between T0 and T1), then dates and other names, then later."""
    match = _T_MOMENT.match(moment)
    if match:
        number = int(match.group(2)) - (0.5 if match.group(1).upper() == "M" else 0)
        return (0, number, "")
    if moment.lower() == FIRST_MOMENT:
        return (0, -1, "")
    return (2, 0, "") if moment.lower() == LAST_MOMENT else (1, 0, moment)


def chronological(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in measurement order: by moment where it is a known one (start < T0 < M1 < T1 … < later), then date,
    then id (file order). A row without a recognised moment (none, a date, another name) ranks between the
    numbered moments and 'later', in date order (undated first), so dated sheets keep their date order and an
    undated 'later' row never comes before an undated 'start' row, whatever the row order of the sheet."""
    if frame.empty:
        return frame
    moment = (frame["moment"].map(normalise_moment) if "moment" in frame
              else pd.Series(None, index=frame.index, dtype=object))
    ranks = [_moment_key(m)[:2] if isinstance(m, str) and _moment_key(m)[0] != 1 else (1, 0) for m in moment]
    order = pd.DataFrame({
        "rank": [r[0] for r in ranks], "number": [float(r[1]) for r in ranks],
        "date": (pd.to_datetime(frame["measured_on"]).to_numpy() if "measured_on" in frame
                 else np.full(len(frame), np.datetime64("NaT"))),
        "id": frame["id"].to_numpy() if "id" in frame else np.arange(len(frame)),
    })
    positions = order.sort_values(["rank", "number", "date", "id"], na_position="first", kind="stable").index
    return frame.iloc[positions]


def order_moments(values) -> list[str]:
    """start, T0, T1, T2 … T10 in number order, then any other moments (dates, T-alternatief) sorted, then later."""
    return sorted({v for v in values if isinstance(v, str)}, key=_moment_key)


def is_estimate(moment: str) -> bool:
    """T-alternatief: the worker's estimate of where the family would be without support, not a measurement."""
    return "altern" in moment.lower()


def _instrument_rows(measurements: pd.DataFrame, instrument: str) -> pd.DataFrame:
    """The scored rows of one instrument (n.v.t. dropped) with moment normalised, indicator (default: the
    leefgebied) and unit ('' when not given). A row without a moment takes its date as moment; without either
    it is dropped. When a family has several rows for the same leefgebied, indicator, unit and moment, the last
    one (by id) counts."""
    columns = ["id", "family", "organisation", "leefgebied", "indicator", "unit", "moment", "measured_on", "value"]
    m = measurements[measurements["instrument"] == instrument]
    m = m[~m["not_applicable"].astype(bool) & m["value"].notna()].copy()
    for col in ("id", "organisation", "indicator", "unit", "moment", "measured_on"):
        if col not in m:
            m[col] = range(len(m)) if col == "id" else None
    m["indicator"] = m["indicator"].astype(object).where(m["indicator"].notna(), m["leefgebied"])
    m["unit"] = m["unit"].astype(object).where(m["unit"].notna(), "").astype(str)
    m["moment"] = m["moment"].map(normalise_moment).astype(object)
    dated = pd.to_datetime(m["measured_on"]).dt.strftime("%Y-%m-%d")
    m["moment"] = m["moment"].where(m["moment"].notna(), dated)  # no moment, but a date: the date is the moment
    m = m[m["moment"].notna()]
    m["value"] = m["value"].astype(float)
    m = m.sort_values("id", kind="stable").drop_duplicates(
        ["family", "leefgebied", "indicator", "unit", "moment"], keep="last")
    return m[columns].reset_index(drop=True)


def _sort_by(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Taxonomy order of leefgebied, units gezin/ouder/kind, moments T0, T1 …; other keys alphabetically."""
    if frame.empty:
        return frame.reset_index(drop=True)
    sort = {}
    if "leefgebied" in keys:
        order = {lg: i for i, lg in enumerate(_order_leefgebied(frame["leefgebied"]))}
        sort["leefgebied"] = frame["leefgebied"].map(order)
    for key in keys:
        if key == "unit":
            sort[key] = frame[key].map(lambda u: UNITS.index(u) if u in UNITS else len(UNITS) + (u == ""))
        elif key == "moment":
            order = {m: i for i, m in enumerate(order_moments(frame["moment"]))}
            sort[key] = frame[key].map(order)
        elif key == "instrument":
            sort[key] = frame[key].map(lambda i: INSTRUMENTS.index(i) if i in INSTRUMENTS else len(INSTRUMENTS))
        elif key != "leefgebied":
            sort[key] = frame[key].astype(str)
    index = pd.DataFrame(sort)[keys].sort_values(keys, kind="stable").index
    return frame.loc[index].reset_index(drop=True)


def _unit_out(frame: pd.DataFrame) -> pd.DataFrame:
    if "unit" in frame:
        frame["unit"] = frame["unit"].astype(object).where(frame["unit"] != "", None)
    return frame


def resolve_min_n(min_n: int | None) -> int:
    """The given minimum n, or the configured one (figure comparisons)."""
    return config.min_n() if min_n is None else int(min_n)


def _left_out(measurements: pd.DataFrame, instrument: str, until: dt.date | None, what: str) -> dict[str, int]:
    """The rows of one instrument a figure does not use, by reason (Dutch, for "Hoe berekend?"): measured after
    `until`, n.v.t. (or no value), no moment and no date, and a repeated row for the same family, item and
    moment that a later row replaces."""
    m = measurements[measurements["instrument"] == instrument]
    kept = measured_until(m, until)
    nvt = kept["not_applicable"].astype(bool) | kept["value"].isna()
    moment = kept["moment"].map(normalise_moment) if "moment" in kept else pd.Series(None, index=kept.index)
    dated = pd.to_datetime(kept["measured_on"]).notna() if "measured_on" in kept else False
    no_moment = ~nvt & moment.isna() & ~dated
    duplicate = int((~nvt & ~no_moment).sum()) - len(_instrument_rows(kept, instrument))
    return {
        f"metingen na de peildatum ({what})": len(m) - len(kept),
        f"metingen n.v.t. of zonder waarde ({what})": int(nvt.sum()),
        f"metingen zonder meetmoment en zonder datum ({what})": int(no_moment.sum()),
        f"dubbele metingen van hetzelfde gezin, item en moment ({what}; de laatste telt)": duplicate,
    }


@disclosure.protects(disclosure.Rule(counts=("n",), values=("mean",),
                                     note="a point (group × moment) with n < k is hidden"))
def zrm_levels(measurements: pd.DataFrame, by: str | None = "leefgebied", min_n: int | None = None,
               until: dt.date | None = None) -> pd.DataFrame:
    """Mean ZRM level (1–5) per moment, per leefgebied (by="leefgebied"), per ZRM domain (by="indicator", with
    its leefgebied) or over all domains (by=None), with n families per point and `small` when n < min_n
    (config when None).

    A family counts once per point: its own levels in the group (e.g. two ZRM domains that map onto one
    leefgebied) are averaged first. With `until` only rows measured on or before it count (undated ones too).
    Rows are in taxonomy order, moments T0, T1, T2 …; `.attrs` holds the ordered `moments`, `n_families`
    (families with any ZRM level), `min_n` and `excluded` (reason → rows left out)."""
    limit = resolve_min_n(min_n)
    keys = {None: [], "leefgebied": ["leefgebied"], "indicator": ["leefgebied", "indicator"]}[by]
    m = _instrument_rows(measured_until(measurements, until), ZRM_INSTRUMENT)
    per_family = m.groupby(["family", "moment", *keys], as_index=False)["value"].mean()
    out = per_family.groupby([*keys, "moment"], as_index=False).agg(mean=("value", "mean"), n=("family", "nunique"))
    out = _sort_by(out, [*keys, "moment"])[[*keys, "moment", "mean", "n"]]
    out["n"] = out["n"].astype(int)
    out["small"] = out["n"] < limit
    out.attrs.update(moments=order_moments(m["moment"]), n_families=int(m["family"].nunique()), min_n=limit,
                     excluded=_left_out(measurements, ZRM_INSTRUMENT, until, "ZRM"))
    return out


SEVERITY_MONTHS_PER_MOMENT = 6  # T0 start, T1 +6, T2 +12, T3 +18 months (DOMAIN §3.2)
_ITEM = ["family", "leefgebied", "indicator", "unit"]


def _unanswered(m: pd.DataFrame, trajectories: pd.DataFrame | None, until: dt.date | None) -> pd.Series:
    """Per (leefgebied, indicator, unit, moment): families with that indicator and unit at another moment but no
    known answer at this one, although the moment certainly lay behind them: the same item has a known answer
    at a later moment, or the family's trajectory (the latest start) ended on or before `until` at least
    k × 6 whole months after its start (Tk). Only known answers are stored ('onbekend' and empty cells are
    not), so this counts 'onbekend' plus empty cells, and is a lower bound: a running family's latest moment
    may simply not have come yet. T-alternatief (an estimate) is no moment here."""
    keys = ["leefgebied", "indicator", "unit", "moment"]
    m = m[~m["moment"].map(is_estimate).astype(bool)]
    moments = order_moments(m["moment"])
    if m.empty:
        return pd.Series(dtype=int, index=pd.MultiIndex.from_tuples([], names=keys))
    grid = m[_ITEM].drop_duplicates().merge(pd.DataFrame({"moment": moments, "_rank": range(len(moments))}),
                                            how="cross")
    known = m[[*_ITEM, "moment"]].drop_duplicates().assign(_known=True)
    grid = grid.merge(known, how="left", on=[*_ITEM, "moment"])
    grid["_known"] = grid["_known"].eq(True)
    last_known = grid["_rank"].where(grid["_known"]).groupby([grid[k] for k in _ITEM]).transform("max")
    passed = grid["_rank"] < last_known
    if trajectories is not None and len(trajectories):
        t = trajectories.assign(_start=pd.to_datetime(trajectories["start_date"]),
                                _end=pd.to_datetime(trajectories["end_date"]))
        t = t.sort_values(["family", "_start"], na_position="first", kind="stable").groupby("family").last()
        end = t["_end"] if until is None else t["_end"].where(t["_end"] <= pd.Timestamp(until))
        months = whole_months(grid["family"].map(t["_start"]), grid["family"].map(end))
        number = grid["moment"].map(lambda x: int(x[1:]) if re.fullmatch(r"T\d+", x) else np.nan)
        passed |= months >= number * SEVERITY_MONTHS_PER_MOMENT  # NaN (no end, no T-number) is never passed
    return grid[~grid["_known"] & passed].groupby(keys).size()


SEVERITY_PROTECTED = ("n", *SEVERITY_LEVELS.values(), "middel_zwaar", "pct", "pct_lo", "pct_hi", "unanswered")


@disclosure.protects(disclosure.Rule(
    counts=("n",), values=SEVERITY_PROTECTED[1:],
    note="a bar with N < k is hidden; within a shown one the levels are a partition of N with subtotal "
         "middel + zwaar (protect_distributions); 'unanswered' is hidden when small"))
def severity_share(measurements: pd.DataFrame, trajectories: pd.DataFrame | None = None, min_n: int | None = None,
                   until: dt.date | None = None) -> pd.DataFrame:
    """Per indicator, unit and moment: families per severity (geen/licht/middel/zwaar), N and % middel + zwaar
    with its 95% Wilson interval (`pct_lo`, `pct_hi`), `small` when 0 < N < min_n (config when None), and
    `unanswered`: families without a known answer there although the moment lay behind them (see `_unanswered`;
    `trajectories` helps to tell, optional).

    N = families with a known answer at that moment ("onbekend" is not stored, so N differs per indicator and
    moment). The unit is None where none was given. With `until` only rows measured on or before it count
    (undated ones too). `.attrs`: `moments`, `n_families`, `min_n`, `unanswered` (moment → families) and
    `excluded` (reason → rows left out)."""
    limit = resolve_min_n(min_n)
    m = _instrument_rows(measured_until(measurements, until), ERNST_INSTRUMENT)
    m["level"] = m["value"].round().astype(int)
    keys = ["leefgebied", "indicator", "unit", "moment"]
    names = list(SEVERITY_LEVELS.values())
    counts = pd.crosstab([m[k] for k in keys], m["level"]).reindex(columns=list(SEVERITY_LEVELS), fill_value=0)
    counts.columns = names
    unanswered = _unanswered(m, trajectories, until)
    if len(m):
        index = counts.index.union(unanswered.index) if len(unanswered) else counts.index
        out = counts.reindex(index, fill_value=0).reset_index()
        out["unanswered"] = unanswered.reindex(index, fill_value=0).to_numpy()
    else:
        out = pd.DataFrame(columns=[*keys, *names, "unanswered"])
    out["n"] = out[names].sum(axis=1).astype(int)
    out["middel_zwaar"] = out[[name for k, name in SEVERITY_LEVELS.items() if k >= SEVERE]].sum(axis=1).astype(int)
    out["pct"] = pct(out["middel_zwaar"], out["n"])
    out = stats.with_wilson(out, "middel_zwaar", "n", "pct")
    out["small"] = (out["n"] > 0) & (out["n"] < limit)
    out["unanswered"] = out["unanswered"].astype(int)
    out = _unit_out(_sort_by(out, keys))
    by_moment = unanswered.groupby(level="moment").sum() if len(unanswered) else pd.Series(dtype=int)
    out.attrs.update(moments=order_moments(m["moment"]), n_families=int(m["family"].nunique()), min_n=limit,
                     unanswered={k: int(by_moment[k]) for k in order_moments(by_moment.index)},
                     excluded=_left_out(measurements, ERNST_INSTRUMENT, until, "ernst"))
    out = out[[*keys, "n", *names, "middel_zwaar", "pct", "pct_lo", "pct_hi", "small", "unanswered"]]
    who = disclosure.stranger(measurements)
    if who is None:
        return out
    high = [name for level, name in SEVERITY_LEVELS.items() if level >= SEVERE]
    others = disclosure.others_exact(severity_share, who, measurements, trajectories, min_n=min_n, until=until)
    out = disclosure.protect_distributions(out, names, {}, who.k, high=high, share=("middel_zwaar", "pct", "pct_lo", "pct_hi"),
                                           everything=SEVERITY_PROTECTED, others=others, keys=keys)
    out = disclosure.protect_counts(out, ["unanswered"], who.k)
    # A moment's total of 'unanswered' would give a hidden one back: it is left out where one is hidden.
    gone = set(out.loc[out["unanswered"].isna(), "moment"])
    out.attrs["unanswered"] = {m: v for m, v in out.attrs["unanswered"].items() if m not in gone}
    return out


def _voortgang_direction(measurements: pd.DataFrame) -> pd.DataFrame:
    """The voortgangsscore is itself a judgement of development: latest score 1 → verslechterd,
    2 → gelijk, 3–5 → verbeterd."""
    latest = latest_scores(measurements)
    score = latest["value"].astype(float).round()
    direction = np.select([score >= 3, score == 2], ["verbeterd", "gelijk"], "verslechterd")
    return pd.DataFrame({"family": latest["family"], "leefgebied": latest["leefgebied"], "direction": direction})


def _change_direction(measurements: pd.DataFrame, instrument: str,
                      better: int) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Per family and leefgebied, the sign of the mean change (first → latest moment) over the indicators and
    units measured at two moments or more; `better` = +1 when higher is better, -1 when lower is better.
    Also returns the (family, leefgebied) pairs with only one moment and the T-alternatief rows left out."""
    m = _instrument_rows(measurements, instrument)
    estimate = m["moment"].map(is_estimate).astype(bool)
    m = m[~estimate]
    m["_order"] = m["moment"].map(_moment_key)
    m = m.sort_values(["_order", "measured_on", "id"], kind="stable", na_position="first")
    items = m.groupby(["family", "leefgebied", "indicator", "unit"], as_index=False, sort=False).agg(
        first=("value", "first"), latest=("value", "last"), moments=("moment", "nunique"))
    items["change"] = (items["latest"] - items["first"]) * better
    measured = items[items["moments"] >= 2]
    changes = measured.groupby(["family", "leefgebied"], as_index=False)["change"].mean()
    sign = np.sign(changes["change"].round(9))
    changes["direction"] = np.select([sign > 0, sign == 0], ["verbeterd", "gelijk"], "verslechterd")
    pairs = items[["family", "leefgebied"]].drop_duplicates()
    single = pairs.merge(changes[["family", "leefgebied"]], how="left", indicator=True)
    single = single[single["_merge"] == "left_only"][["family", "leefgebied"]]
    return changes[["family", "leefgebied", "direction"]], single, int(estimate.sum())


@disclosure.protects(disclosure.Rule(
    counts=("n",), values=(*DIRECTIONS, *(f"{d}_pct{end}" for d in DIRECTIONS for end in ("", "_lo", "_hi")),
                           "een_meetmoment"),
    note="a bar with n < k is hidden; within a shown one verbeterd/gelijk/verslechterd are a partition of n "
         "(protect_distributions); een_meetmoment is hidden when small"))
def direction_of_change(measurements: pd.DataFrame, min_n: int | None = None,
                        until: dt.date | None = None) -> pd.DataFrame:
    """The common denominator of the instruments: per leefgebied and instrument, families verbeterd / gelijk /
    verslechterd, their % of n with its 95% Wilson interval (`{direction}_pct_lo/_hi`), `small` when
    0 < n < min_n (config when None), and the families left out because they were measured at one moment only.

    Each instrument in its own terms (never averaged together): voortgangsscore from the family's latest
    score (1 verslechterd, 2 gelijk, 3–5 verbeterd); zrm latest minus first level (higher is better); ernst
    first minus latest severity (lower is better). For zrm and ernst a family's direction on a leefgebied is
    the sign of the mean change over that leefgebied's indicators and units that have two moments or more
    (T-alternatief, an estimate, is not a moment). With `until` only rows measured on or before it count
    (undated ones too). Only (leefgebied, instrument) pairs with data are returned. `.attrs`: `n_families`,
    `een_meetmoment` (families per instrument), `schatting` (T-alternatief rows per instrument), `after_until`
    (rows after `until` per instrument), `min_n`."""
    limit = resolve_min_n(min_n)
    counted = measurements[measurements["instrument"].isin(INSTRUMENTS)]
    measurements = measured_until(measurements, until)
    after = counted.groupby("instrument").size().sub(
        measured_until(counted, until).groupby("instrument").size(), fill_value=0)
    parts = {tx.VOORTGANG_INSTRUMENT: (_voortgang_direction(measurements),
                                       pd.DataFrame(columns=["family", "leefgebied"]), 0)}
    parts[ZRM_INSTRUMENT] = _change_direction(measurements, ZRM_INSTRUMENT, +1)
    parts[ERNST_INSTRUMENT] = _change_direction(measurements, ERNST_INSTRUMENT, -1)
    rows = []
    for instrument, (directions, single, _) in parts.items():
        for lg in set(directions["leefgebied"]) | set(single["leefgebied"]):
            d = directions.loc[directions["leefgebied"] == lg, "direction"]
            row = {"leefgebied": lg, "instrument": instrument, "instrument_label": INSTRUMENT_LABELS[instrument]}
            row.update({name: int((d == name).sum()) for name in DIRECTIONS})
            row["n"] = int(len(d))
            row.update({f"{name}_pct": row[name] / row["n"] * 100 if row["n"] else np.nan for name in DIRECTIONS})
            row["een_meetmoment"] = int((single["leefgebied"] == lg).sum())
            rows.append(row)
    columns = ["leefgebied", "instrument", "instrument_label", *DIRECTIONS, "n", *(f"{d}_pct" for d in DIRECTIONS),
               "een_meetmoment"]
    out = _sort_by(pd.DataFrame(rows, columns=columns), ["leefgebied", "instrument"])
    for name in DIRECTIONS:
        out = stats.with_wilson(out, name, "n", f"{name}_pct")
    out["small"] = (out["n"] > 0) & (out["n"] < limit)
    ci = [f"{d}_pct_{end}" for d in DIRECTIONS for end in ("lo", "hi")]
    out = out[[*columns[:-1], *ci, "een_meetmoment", "small"]]
    out.attrs.update(n_families={i: int(parts[i][0]["family"].nunique()) for i in parts},
                     een_meetmoment={i: int(parts[i][1]["family"].nunique()) for i in parts},
                     schatting={i: parts[i][2] for i in parts}, min_n=limit,
                     after_until={i: int(after.get(i, 0)) for i in parts})
    who = disclosure.stranger(counted)
    if who is None:
        return out
    derived = {d: [f"{d}_pct", f"{d}_pct_lo", f"{d}_pct_hi"] for d in DIRECTIONS}
    others = disclosure.others_exact(direction_of_change, who, measurements, min_n=min_n, until=until)
    out = disclosure.protect_distributions(out, DIRECTIONS, derived, who.k,
                                           everything=["n", *DIRECTIONS, *(c for cs in derived.values() for c in cs)],
                                           others=others, keys=["leefgebied", "instrument"])
    out = disclosure.protect_counts(out, ["een_meetmoment"], who.k)
    # Per instrument, families with one moment: None where small or where a row of it is hidden (with one
    # leefgebied the total is that row).
    gone = set(out.loc[out["een_meetmoment"].isna(), "instrument"])
    out.attrs["een_meetmoment"] = {i: (None if i in gone or disclosure.small(v, who.k) else v)
                                   for i, v in out.attrs["een_meetmoment"].items()}
    return out


# -- hours -------------------------------------------------------------------------------
CONTACT_MOMENT = "contact"


def is_contact(hours: pd.DataFrame) -> pd.Series:
    """Contact-log rows (a date and minutes) as opposed to weekly-hours measurements."""
    contact = pd.Series(False, index=hours.index)
    if "minutes" in hours:
        contact |= hours["minutes"].notna()
    if "moment" in hours:
        contact |= hours["moment"].astype(object).eq(CONTACT_MOMENT)
    return contact


def month_starts(start: pd.Series, month: pd.Series) -> pd.Series:
    """First day of trajectory month `month` (0 = the start date), consistent with `whole_months`:
    from 31 January, month 1 starts on 1 March (31 Jan → 29 Feb is not yet a whole month)."""
    start = pd.to_datetime(start)
    index = start.dt.year * 12 + (start.dt.month - 1) + month.astype(int)
    first = pd.to_datetime(pd.DataFrame({"year": index // 12, "month": index % 12 + 1, "day": 1}))
    clipped = start.dt.day > first.dt.days_in_month  # that day does not exist: the month starts on the 1st after
    same_day = first + pd.to_timedelta(start.dt.day - 1, unit="D")
    return same_day.where(~clipped, first + pd.offsets.MonthBegin(1))


def _trajectory_spans(trajectories: pd.DataFrame | None) -> pd.DataFrame:
    """Per family: the earliest start date and the end date (NaT while any of its trajectories has none)."""
    if trajectories is None or trajectories.empty:
        return pd.DataFrame({"start": pd.Series(dtype="datetime64[ns]"), "end": pd.Series(dtype="datetime64[ns]")})
    t = trajectories.assign(start=pd.to_datetime(trajectories["start_date"]),
                            end=pd.to_datetime(trajectories["end_date"]))
    spans = t.groupby("family").agg(start=("start", "min"), end=("end", "max"), open=("end", lambda e: e.isna().any()))
    spans.loc[spans["open"], "end"] = pd.NaT
    return spans[["start", "end"]]


@disclosure.protects(disclosure.Rule(row_level=True, note="one row per family and month: only the viewer's own"))
def contact_hours_by_month(hours: pd.DataFrame, trajectories: pd.DataFrame, peildatum: dt.date | None = None,
                           by_support_type: bool = False, kind: str | None = None) -> pd.DataFrame:
    """Contact logs as hours per week per family and trajectory month (see `_contact_hours_by_month`); for a
    viewer who does not own every organisation only the rows of their own families (per-family values)."""
    return _contact_hours_by_month(hours, trajectories, peildatum, by_support_type, kind)


def _contact_hours_by_month(hours: pd.DataFrame, trajectories: pd.DataFrame, peildatum: dt.date | None = None,
                            by_support_type: bool = False, kind: str | None = None) -> pd.DataFrame:
    """Contact logs as hours per week per family and trajectory month (and support type when asked).

    Month 0 is the first month from the trajectory's start date, in whole calendar months as in
    `whole_months`. Hours per week = the month's minutes / 60 / (`days` / 7), where `days` are the month's days
    inside the trajectory: up to and including the end date, or for a running trajectory the peildatum (without
    a peildatum the month counts whole), so a month cut short by the end date or peildatum is not diluted by
    days that had not happened. Every month from the start to the end date, or without one to the last
    contact (never beyond the peildatum), is there: months without contact are 0. Families with at least
    one contact inside their trajectory count; per support type, only the types the family had a contact for.
    `kind` keeps one kind of support type (tx.INVESTMENT).

    `.attrs`: n_families, zonder_startdatum (families with contacts but no start date: left out) and
    buiten_traject (contacts before the start or after the end/peildatum: left out)."""
    columns = ["family", "organisation", *(["support_type"] if by_support_type else []), "month", "month_start",
               "days", "contacts", "minutes", "hours_per_week"]
    c = hours[is_contact(hours)]
    if "minutes" not in c:
        c = c.assign(minutes=np.nan)
    c = c.assign(date=pd.to_datetime(c["measured_on"]), minutes=c["minutes"].astype(float))
    c = c[c["minutes"].notna() & c["date"].notna()]
    if "not_applicable" in c:
        c = c[~c["not_applicable"].astype(bool)]
    if kind is not None:
        c = c[c["support_type"].map(lambda t: tx.SUPPORT_TYPES.get(t, tx.INVESTMENT)).eq(kind)]
    if "organisation" not in c:
        c = c.assign(organisation=None)
    spans = _trajectory_spans(trajectories)
    c = c.assign(start=spans["start"].reindex(c["family"]).to_numpy(), end=spans["end"].reindex(c["family"]).to_numpy())
    no_start = int(c.loc[c["start"].isna(), "family"].nunique())
    c = c[c["start"].notna()]
    last_contact = c.groupby("family")["date"].transform("max")
    until = c["end"].where(c["end"].notna(), last_contact)
    if peildatum is not None:
        until = until.clip(upper=pd.Timestamp(peildatum))
    c = c.assign(until=until)
    inside = (c["date"] >= c["start"]) & (c["date"] <= c["until"])
    outside = int((~inside).sum())
    c = c[inside]
    c = c.assign(month=whole_months(c["start"], c["date"]))

    fam = c.groupby("family", sort=True).agg(organisation=("organisation", "first"), start=("start", "first"),
                                             until=("until", "first"), end=("end", "first"))
    # The last day the trajectory ran: its end date, or while running the peildatum (beyond the last contact).
    exposed = fam["end"] if peildatum is None else fam["end"].fillna(pd.Timestamp(peildatum)).clip(
        upper=pd.Timestamp(peildatum))
    length = (whole_months(fam["start"], fam["until"]) + 1).to_numpy()
    offsets = np.repeat(np.cumsum(length) - length, length)
    grid = pd.DataFrame({
        "family": np.repeat(fam.index.to_numpy(), length),
        "organisation": np.repeat(fam["organisation"].to_numpy(), length),
        "month": np.arange(int(length.sum())) - offsets,
        "start": np.repeat(fam["start"].to_numpy(), length),
        "exposed": np.repeat(exposed.to_numpy(), length),
    })
    grid["month_start"] = month_starts(grid["start"], grid["month"])
    next_start = month_starts(grid["start"], grid["month"] + 1)
    stop = next_start.where(grid["exposed"].isna(), np.minimum(next_start, grid["exposed"] + pd.Timedelta(days=1)))
    grid["days"] = (stop - grid["month_start"]).dt.days
    keys = ["family", "support_type", "month"] if by_support_type else ["family", "month"]
    if by_support_type:
        grid = grid.merge(c[["family", "support_type"]].drop_duplicates(), on="family")
    sums = c.groupby(keys, as_index=False).agg(contacts=("minutes", "size"), minutes=("minutes", "sum"))
    out = grid.merge(sums, on=keys, how="left").fillna({"contacts": 0, "minutes": 0.0})
    out = out.sort_values(keys, kind="stable").reset_index(drop=True)
    out["month"] = out["month"].astype(int)
    out["contacts"] = out["contacts"].astype(int)
    out["hours_per_week"] = out["minutes"].astype(float) / 60 / (out["days"].astype(float) / 7)
    out = out[columns]
    out.attrs.update(n_families=int(out["family"].nunique()), zonder_startdatum=no_start, buiten_traject=outside)
    return out


@disclosure.protects(disclosure.Rule(counts=("n",), values=("mean_hours_per_week", "contacts"),
                                     note="a point (organisation × month) with n < k is hidden"))
def intensity_curve(hours: pd.DataFrame, trajectories: pd.DataFrame, by: str | None = "organisation",
                    peildatum: dt.date | None = None) -> pd.DataFrame:
    """Mean hours per week of investment (professionals and volunteers) from contact logs by trajectory month,
    per `by` (organisation; None = all families), with n families per point: the families whose trajectory
    covers that month (a month without contact counts as 0). `.attrs` as in `contact_hours_by_month`."""
    monthly = _contact_hours_by_month(hours, trajectories, peildatum, kind=tx.INVESTMENT)
    keys = [by] if by else []
    out = (monthly.groupby([*keys, "month"], as_index=False)
           .agg(mean_hours_per_week=("hours_per_week", "mean"), n=("family", "nunique"),
                contacts=("contacts", "sum")))
    out = out.sort_values([*keys, "month"], kind="stable").reset_index(drop=True)
    out["n"] = out["n"].astype(int)
    out["month"] = out["month"].astype(int)
    out.attrs.update(monthly.attrs)
    return out[[*keys, "month", "mean_hours_per_week", "n", "contacts"]]


def intensity_small_n(curve: pd.DataFrame, min_n: int, by: str | None = "organisation") -> pd.DataFrame:
    """Per `by` group of an `intensity_curve`: the first trajectory month whose n is below `min_n` and that n
    (n only falls with the month: a family's months run on from month 0). Groups that never drop below are
    left out."""
    keys = [by] if by and by in curve else []
    small = curve[curve["n"] < min_n].sort_values([*keys, "month"], kind="stable")
    first = small.groupby(keys, sort=False).head(1) if keys else small.head(1)
    return first[[*keys, "month", "n"]].reset_index(drop=True)


EXCLUDED_AFTER_PEILDATUM = "metingen met een datum na de peildatum"
EXCLUDED_NOT_STARTED = "metingen van gezinnen waarvan het traject pas na de peildatum begon"
EXCLUDED_CONTACTS_OUTSIDE = "contacten buiten het traject of na de peildatum"
EXCLUDED_NO_START = "gezinnen met een contactlog zonder startdatum"


def weekly_at_peildatum(hours: pd.DataFrame, trajectories: pd.DataFrame | None,
                        peildatum: dt.date | None) -> tuple[pd.DataFrame, dict[str, int]]:
    """Weekly-hours rows as they stood at the peildatum, and what was left out (reason → rows): rows dated after
    it, and (given trajectories) the rows of families whose earliest start date lies after it, whose undated
    'start'/'later' rows belong to a trajectory that had not begun."""
    if peildatum is None or hours.empty:
        return hours, {}
    peil = pd.Timestamp(peildatum)
    after = pd.to_datetime(hours["measured_on"]) > peil
    not_started = pd.Series(False, index=hours.index)
    if trajectories is not None and not trajectories.empty:
        first_start = pd.to_datetime(trajectories["start_date"]).groupby(trajectories["family"]).min()
        late = set(first_start[first_start > peil].index)
        not_started = hours["family"].isin(late) & ~after
    excluded = {EXCLUDED_AFTER_PEILDATUM: int(after.sum()), EXCLUDED_NOT_STARTED: int(not_started.sum())}
    return hours[~after & ~not_started], {k: v for k, v in excluded.items() if v}


def _contact_first_latest(hours: pd.DataFrame, trajectories: pd.DataFrame | None,
                          peildatum: dt.date | None = None) -> pd.DataFrame:
    """Per contact-log family and support type: "start" = hours per week in trajectory month 0, "latest" = in
    the family's last trajectory month with any contact (0 for a type without contact in that month), as it
    stood at the peildatum. `.attrs` as in `contact_hours_by_month`."""
    monthly = _contact_hours_by_month(hours, trajectories, peildatum, by_support_type=True)
    if monthly.empty:
        out = pd.DataFrame(columns=["support_type", "family", "moment", "hours_per_week"])
        out.attrs.update(monthly.attrs)
        return out
    active = monthly[monthly["contacts"] > 0].groupby("family")["month"].max()
    first = monthly[monthly["month"] == 0].assign(moment="start")
    latest = monthly[monthly["month"] == monthly["family"].map(active)].assign(moment="latest")
    out = pd.concat([first, latest], ignore_index=True)[["support_type", "family", "moment", "hours_per_week"]]
    out.attrs.update(monthly.attrs)
    return out


@disclosure.protects(disclosure.Rule(
    counts=("n",), values=("mean_hours_per_week", "n_contactlog"),
    note="a bar (support type × moment) with n < k is hidden; n_contactlog (part of n) and nvt when small"))
def hours_first_latest(hours: pd.DataFrame, trajectories: pd.DataFrame | None = None,
                       peildatum: dt.date | None = None) -> pd.DataFrame:
    """Per support type, the mean hours per week at each family's first ("start") and last ("latest")
    measurement, in `chronological` order (moment, then date, then row). A measurement that says n.v.t. leaves
    the family out of n; an explicit 0 counts.

    Contact-log families count too (given their `trajectories`): their first trajectory month is "start",
    their last trajectory month with a contact "latest" (see `contact_hours_by_month`), per support type they
    ever had a contact for. Where a family also has weekly hours for that type, the weekly hours count.
    `n_contactlog` says how many of n come from contact logs.

    Given a `peildatum`, the figures are as they stood then: weekly-hours rows dated after it, rows of families
    whose trajectory began after it (`weekly_at_peildatum`) and contacts after it do not count.
    `.attrs["excluded"]`: reason → count of what was left out (besides n.v.t., which `nvt` counts);
    `.attrs["excluded_by_kind"]`: the same per kind of support type (inzet, deelname)."""
    contact = is_contact(hours)
    h = hours[~contact]
    h = h[h["hours_per_week"].notna() | h["not_applicable"].astype(bool)]
    by_kind: dict[str, dict[str, int]] = {}
    kept = []
    for kind, part in h.groupby(h["support_type"].map(lambda t: tx.SUPPORT_TYPES.get(t, tx.INVESTMENT)), sort=False):
        part, by_kind[kind] = weekly_at_peildatum(part, trajectories, peildatum)
        kept.append(part)
    h = chronological(pd.concat(kept) if kept else h)
    groups = h.groupby(["support_type", "family"], sort=False)
    picked = {"start": groups.head(1), "latest": groups.tail(1)}
    log = _contact_first_latest(hours[contact], trajectories, peildatum) if contact.any() else None
    if log is not None:
        for kind in (tx.INVESTMENT, tx.PARTICIPATION):  # per kind, so each chart says what it left out
            counts = _contact_hours_by_month(hours[contact], trajectories, peildatum, kind=kind).attrs
            by_kind.setdefault(kind, {}).update({EXCLUDED_CONTACTS_OUTSIDE: counts["buiten_traject"],
                                                 EXCLUDED_NO_START: counts["zonder_startdatum"]})
        weekly_pairs = pd.MultiIndex.from_frame(h[["support_type", "family"]])
        log = log[~pd.MultiIndex.from_frame(log[["support_type", "family"]]).isin(weekly_pairs)]
    types = set(h["support_type"]) | (set(log["support_type"]) if log is not None else set())
    rows = []
    for support_type in list(tx.SUPPORT_TYPE_NAMES) + sorted(types - set(tx.SUPPORT_TYPE_NAMES)):
        for moment, frame in picked.items():
            sel = frame[(frame["support_type"] == support_type) & ~frame["not_applicable"].astype(bool)]
            from_log = (log.loc[(log["support_type"] == support_type) & (log["moment"] == moment), "hours_per_week"]
                        if log is not None else pd.Series(dtype=float))
            values = pd.concat([sel["hours_per_week"].astype(float), from_log.astype(float)], ignore_index=True)
            rows.append({
                "support_type": support_type,
                "kind": tx.SUPPORT_TYPES.get(support_type, tx.INVESTMENT),
                "moment": moment,
                "n": int(len(values)),
                "mean_hours_per_week": float(values.mean()) if len(values) else np.nan,
                "nvt": int(((frame["support_type"] == support_type) & frame["not_applicable"].astype(bool)).sum()),
                "n_contactlog": int(len(from_log)),
            })
    out = pd.DataFrame(rows, columns=["support_type", "kind", "moment", "n", "mean_hours_per_week", "nvt",
                                      "n_contactlog"])
    by_kind = {kind: {k: int(v) for k, v in counts.items() if v} for kind, counts in by_kind.items()}
    excluded: dict[str, int] = {}
    for counts in by_kind.values():
        for reason, count in counts.items():
            excluded[reason] = excluded.get(reason, 0) + count
    out.attrs.update(excluded=excluded, excluded_by_kind=by_kind)
    who = disclosure.stranger(hours)
    if who is None:
        return out
    return disclosure.protect_counts(disclosure.protect_share(out, "n", "n_contactlog", [], who.k), ["nvt"], who.k)


@disclosure.protects(disclosure.Rule(values=("hours_per_week",),
                                     note="from a protected hours table: no sum over a hidden mean"))
def professional_total(hours_table: pd.DataFrame) -> pd.DataFrame:
    """Per moment: sum of the mean hours of the professional support types (as published, §3.4),
    with n per type. The n differ, so this is not a mean over the same families.

    From a protected hours table (`disclosure.is_protected`) a moment with a hidden professional type has no
    sum (it would give the hidden mean back) and is `verborgen`; its n is None in `n_per_type`."""
    protected = disclosure.is_protected(hours_table)
    hidden = (hours_table[disclosure.HIDDEN].astype(bool) if protected
              else pd.Series(False, index=hours_table.index))
    prof = hours_table[hours_table["support_type"].isin(tx.PROFESSIONAL_TYPES) & ((hours_table["n"] > 0) | hidden)]
    rows = []
    for moment in ("start", "latest"):
        part = prof[prof["moment"] == moment]
        secret = bool(hidden.reindex(part.index).any())
        rows.append({
            "moment": moment,
            "hours_per_week": float(part["mean_hours_per_week"].sum()) if len(part) and not secret else np.nan,
            "n_per_type": {t: (int(n) if n == n else None) for t, n in zip(part["support_type"], part["n"])},
            disclosure.HIDDEN: secret,
        })
    out = pd.DataFrame(rows, columns=["moment", "hours_per_week", "n_per_type", disclosure.HIDDEN])
    if not protected:
        return out.drop(columns=disclosure.HIDDEN)
    out.attrs.update(k=hours_table.attrs.get("k"), suppressed=int(out[disclosure.HIDDEN].sum()))
    return out


# -- overview ----------------------------------------------------------------------------
OVERVIEW_TOTAL = "Totaal"


def _protect_overview(table: pd.DataFrame, who) -> pd.DataFrame:
    """Per block of columns (see `protect_blocks`): families; lopend and afgerond together (with the families they
    add up to about the families, so one of them alone would give the other away); requests with the families
    with a request behind the mean."""
    with_requests = table.attrs.get("families_with_requests", {})
    frame = table.assign(_with_requests=table["organisatie"].map(with_requests).fillna(0))
    frame.attrs = dict(table.attrs)
    blocks = ((("gezinnen",), ()), ((tx.STATUS_LOPEND, tx.STATUS_AFGEROND), ()),
              (("hulpvragen", "_with_requests"), (REQUESTS_PER_FAMILY,)))
    return disclosure.protect_blocks(frame, blocks, total=table["organisatie"].eq(OVERVIEW_TOTAL).to_numpy(),
                          extra=("_with_requests",), who=who)


@disclosure.protects(disclosure.Rule(
    counts=("gezinnen", tx.STATUS_LOPEND, tx.STATUS_AFGEROND, "hulpvragen"), values=(REQUESTS_PER_FAMILY,),
    note="per organisation and a total row; per block of columns, each column a partition of the total row"),
    shape=_protect_overview)
def overview(families: pd.DataFrame, trajectories: pd.DataFrame, requests: pd.DataFrame,
             batches: pd.DataFrame) -> pd.DataFrame:
    """Key figures per organisation plus a total row. Requests still to be reviewed are left out of the
    request counts; `.attrs["te_beoordelen"]` says how many."""
    requests, pending = counted_requests(requests)
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
        "organisatie": OVERVIEW_TOTAL,
        "gezinnen": int(out["gezinnen"].sum()),
        tx.STATUS_LOPEND: int(out[tx.STATUS_LOPEND].sum()),
        tx.STATUS_AFGEROND: int(out[tx.STATUS_AFGEROND].sum()),
        "hulpvragen": int(out["hulpvragen"].sum()),
        REQUESTS_PER_FAMILY: len(requests) / requests["family"].nunique() if len(requests) else np.nan,
        "laatste upload": out["laatste upload"].max() if len(out) else pd.NaT,
        "bestand": "",
    }
    table = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    with_requests = {str(o): int(n) for o, n in families_with_requests.items()}
    table.attrs.update(te_beoordelen=pending,
                       families_with_requests=with_requests | {OVERVIEW_TOTAL: int(requests["family"].nunique())})
    return table
