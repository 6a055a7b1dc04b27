"""Inzet per family: total hours over the trajectory and weekly investment at the first and latest moment.

Only investment counts here: professionals (the three professional support types) and volunteers (the buddy,
"Ondersteuning door maatje"). A family's own group activities and volunteer work are participation, an outcome,
never investment (DOMAIN §3.4). Every function returns a DataFrame that carries its n and what it left out
(`.attrs["excluded"]`: reason → count).
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from . import disclosure, metrics
from . import taxonomy as tx

PROFESSIONAL = "professional"
VOLUNTEER = "volunteer"
TOTAL = "total"
GROUPS = (PROFESSIONAL, VOLUNTEER, TOTAL)
VOLUNTEER_TYPES = tuple(t for t, kind in tx.SUPPORT_TYPES.items()
                        if kind == tx.INVESTMENT and t not in tx.PROFESSIONAL_TYPES)
SOURCE_WEEKLY = "wekelijkse uren"
SOURCE_CONTACT = "contactlog"
ALL_ORGANISATIONS = "Totaal"

DEFINITIONS = {
    "total_hours": (
        "Geschatte inzet in uren per gezin over het hele traject, van de startdatum tot de einddatum of (lopend) "
        "tot de peildatum: alleen inzet van professionals (gesprekken, regelzaken, praktische steun) en "
        "vrijwilligers (maatje), niet de deelname van het gezin zelf. Bij wekelijkse uren: per soort steun de "
        "uren per week lineair tussen de metingen, vóór de eerste en na de laatste meting gelijk aan die meting, "
        "maal het aantal weken. Een meting zonder datum telt op de startdatum ('start') of op de einddatum/"
        "peildatum (latere meting); metingen met een datum na de peildatum tellen niet mee. n.v.t. telt hier als "
        "0 uur (die steun was er toen niet). Bij een contactlog: de minuten van alle contacten binnen het traject "
        "opgeteld. Heeft een gezin meer trajecten, dan telt de periode van zijn bruikbare trajecten (vroegste "
        "startdatum tot laatste einddatum of de peildatum); een traject zonder startdatum, met een start na de "
        "peildatum of afgerond zonder einddatum telt niet mee, en het gezin valt pas weg als geen enkel traject "
        "bruikbaar is. Voor lopende trajecten is het totaal een ondergrens (het traject loopt nog)."
    ),
    "organisation_hours": (
        "Gemiddelde inzet in uren per week per gezin bij de eerste meting (rond aanmelding) en bij de laatste "
        "meting, per organisatie. Per gezin de som van zijn soorten steun op dat moment (per soort de eerste "
        "en de laatste meting); n.v.t. telt als 0 naast een soort die wel gold, maar een gezin waarvoor op dat "
        "moment geen enkele soort van de groep gold (alles n.v.t.) telt niet mee in n. Een ingevulde 0 telt wel. "
        "Volgorde van de metingen: eerst het meetmoment (start, T0, T1 …, later), dan de datum, dan de volgorde "
        "in het bestand. Zoals op de peildatum: metingen met een datum erna, metingen van gezinnen die pas na de "
        "peildatum startten en contacten erna tellen niet mee. "
        "Contactlogs: de eerste trajectmaand en de laatste trajectmaand met een contact, in uren per week (een "
        "maand die op de einddatum of de peildatum nog niet om was telt alleen haar verstreken dagen). "
        "Professionals = gesprekken, regelzaken, praktische steun; vrijwilligers = maatje; deelname van het "
        "gezin telt niet mee."
    ),
}


def investment_group(support_type: str) -> str | None:
    """professional / volunteer for investment types (an unknown type counts as professional investment,
    as `metrics.hours_first_latest` counts it as investment); None for participation."""
    if tx.SUPPORT_TYPES.get(support_type, tx.INVESTMENT) != tx.INVESTMENT:
        return None
    return VOLUNTEER if support_type in VOLUNTEER_TYPES else PROFESSIONAL


def _investment_rows(hours: pd.DataFrame) -> pd.DataFrame:
    h = hours.copy()
    h["group"] = h["support_type"].map(investment_group)
    return h[h["group"].notna()]


def family_spans(trajectories: pd.DataFrame, peildatum: dt.date) -> pd.DataFrame:
    """Per family the period its hours are counted over, as it stood at the peildatum, from its usable
    trajectories only (a start date on or before the peildatum; afgerond with an end date): from the earliest
    start date to the latest end date when every usable trajectory had ended by then (afgerond), else to the
    peildatum. `excluded` names why a family has no usable trajectory at all (the reason of its first one: no
    start date, start after the peildatum, afgerond without an end date); `left_out` lists the reasons of the
    unusable trajectories of a family that still counts."""
    columns = ["organisation", "start", "until", "status", "excluded", "left_out"]
    if trajectories is None or trajectories.empty:
        return pd.DataFrame(columns=columns).rename_axis("family")
    d = metrics.trajectory_durations(trajectories, peildatum)
    d = d.assign(start=pd.to_datetime(d["start_date"]), end=pd.to_datetime(d["end_date"]),
                 done=d["status_at_peildatum"] == tx.STATUS_AFGEROND,
                 organisation=d["organisation"] if "organisation" in d else None)
    every = d.groupby("family", sort=True).agg(organisation=("organisation", "first"),
                                               first_reason=("excluded", "first"),
                                               left_out=("excluded", lambda e: [r for r in e if isinstance(r, str)]))
    usable = d[d["excluded"].isna()].groupby("family", sort=True).agg(start=("start", "min"), end=("end", "max"),
                                                                     done=("done", "all"))
    out = every.join(usable)
    counts = out["done"].notna()
    out["done"] = out["done"].fillna(False).astype(bool)
    out["until"] = out["end"].where(out["done"], pd.Timestamp(peildatum)).where(counts)
    out["status"] = np.where(out["done"], tx.STATUS_AFGEROND, tx.STATUS_LOPEND)
    out["excluded"] = out["first_reason"].astype(object).where(~counts, None)
    out["left_out"] = out["left_out"].where(counts, pd.Series([[]] * len(out), index=out.index))
    return out[columns]


def _place_undated(rows: pd.DataFrame, start: pd.Timestamp, until: pd.Timestamp) -> pd.Series:
    """A date for each weekly-hours measurement: its own, else 'start'/T0 → the start date and 'later' → the end
    of the period (as the registration format dates its latest measurement); other undated moments stay NaT."""
    dates = pd.to_datetime(rows["measured_on"])
    moment = rows["moment"].map(metrics.normalise_moment) if "moment" in rows else pd.Series(None, index=rows.index)
    first = moment.map(lambda m: isinstance(m, str) and m.lower() in (metrics.FIRST_MOMENT, "t0"))
    last = moment.map(lambda m: isinstance(m, str) and m.lower() == metrics.LAST_MOMENT)
    dates = dates.where(dates.notna() | ~first, start)
    return dates.where(dates.notna() | ~last, until)


def integrate_weekly(days, values, length: float) -> float:
    """Hours over [0, length] days of a weekly-hours curve through (day, hours per week) points: linear between
    points, constant before the first and after the last; several values on one day are averaged."""
    if length <= 0:
        return 0.0
    days, values = np.asarray(days, dtype=float), np.asarray(values, dtype=float)
    x, inverse = np.unique(days, return_inverse=True)
    y = np.bincount(inverse, weights=values) / np.bincount(inverse)
    grid = np.unique(np.concatenate([[0.0, float(length)], x[(x > 0) & (x < length)]]))
    curve = np.interp(grid, x, y)
    return float(np.sum((curve[1:] + curve[:-1]) / 2 * np.diff(grid)) / 7)


@disclosure.protects(disclosure.Rule(row_level=True, note="one row per family: only the viewer's own"))
def family_total_hours(hours: pd.DataFrame, trajectories: pd.DataFrame, peildatum: dt.date,
                      families: pd.DataFrame | None = None) -> pd.DataFrame:
    """Estimated investment hours per family (see `_family_total_hours`). For a viewer who does not own every
    organisation only their own families' rows (`.attrs["rows_withheld"]`: the others); their aggregates
    come from `total_hours_by_organisation`."""
    return _family_total_hours(hours, trajectories, peildatum, families)


def _family_total_hours(hours: pd.DataFrame, trajectories: pd.DataFrame, peildatum: dt.date,
                        families: pd.DataFrame | None = None) -> pd.DataFrame:
    """Estimated investment hours per family over its trajectory (see DEFINITIONS["total_hours"]).

    One row per family with investment hours: organisation, status at the peildatum, source (weekly hours,
    contact log or both), start, until, weeks, professional_hours, volunteer_hours, total_hours and
    hours_per_week (total / weeks). A support type with weekly hours uses those; a type known only from a contact
    log uses the summed minutes. `.attrs`: n_families, excluded (reason → count, families unless it says
    measurements or contacts) and, given `families`, without_hours (families without any investment hours)."""
    columns = ["family", "organisation", "status", "source", "start", "until", "weeks", "professional_hours",
               "volunteer_hours", "total_hours", "hours_per_week"]
    excluded: dict[str, int] = {}
    inv = _investment_rows(hours) if not hours.empty else hours.assign(group=None)
    spans = family_spans(trajectories, peildatum)
    contact = metrics.is_contact(inv)
    weekly, log = inv[~contact], inv[contact]
    weekly = weekly[weekly["hours_per_week"].notna() | weekly["not_applicable"].astype(bool)]
    if "minutes" in log:
        log = log[log["minutes"].notna() & ~log["not_applicable"].astype(bool)]
    else:
        log = log.iloc[0:0].assign(minutes=np.nan)
    log = log[~pd.MultiIndex.from_frame(log[["family", "support_type"]]).isin(
        pd.MultiIndex.from_frame(weekly[["family", "support_type"]]))] if len(log) else log

    fams = sorted(set(weekly["family"]) | set(log["family"]))
    no_span = [f for f in fams if f not in spans.index]
    if no_span:
        excluded["gezinnen met uren maar zonder traject"] = len(no_span)
    for reason, count in spans.loc[[f for f in fams if f in spans.index], "excluded"].value_counts().items():
        excluded[f"gezinnen met uren: {reason}"] = int(count)
    usable = [f for f in fams if f in spans.index and pd.isna(spans.at[f, "excluded"])]
    for reason, count in pd.Series([r for f in usable for r in spans.at[f, "left_out"]], dtype=object
                                   ).value_counts().items():
        excluded[f"trajecten ({reason}) van gezinnen die met hun andere trajecten meetellen"] = int(count)

    rows, undated, outside, only_nvt, no_date, only_outside = [], 0, 0, 0, 0, 0
    late, only_late, peil = 0, 0, pd.Timestamp(peildatum)
    weekly_by = dict(tuple(weekly.groupby("family")))
    log_by = dict(tuple(log.groupby("family")))
    empty_weekly, empty_log = weekly.iloc[0:0], log.iloc[0:0]
    for family in usable:
        span = spans.loc[family]
        start, until = span["start"], span["until"]
        parts = {PROFESSIONAL: 0.0, VOLUNTEER: 0.0}
        sources = set()
        weekly_raw = weekly_by.get(family, empty_weekly)
        after = pd.to_datetime(weekly_raw["measured_on"]) > peil  # as it stood at the peildatum
        late += int(after.sum())
        w = weekly_raw = weekly_raw[~after]
        if len(w):
            w = w.assign(date=_place_undated(w, start, until),
                         value=w["hours_per_week"].astype(float).where(~w["not_applicable"].astype(bool), 0.0))
            undated += int(w["date"].isna().sum())
            w = w[w["date"].notna()]
            if len(w) and not w["not_applicable"].astype(bool).all():
                sources.add(SOURCE_WEEKLY)
                w = w.assign(day=(w["date"] - start).dt.days)
                length = (until - start).days
                for (group, _), g in w.groupby(["group", "support_type"]):
                    parts[group] += integrate_weekly(g["day"], g["value"], length)
        c = log_by.get(family, empty_log)
        if len(c):
            day = pd.to_datetime(c["measured_on"])
            inside = (day >= start) & (day <= until)
            outside += int((~inside).sum())
            c = c[inside]
            if len(c):
                sources.add(SOURCE_CONTACT)
                for group, g in c.groupby("group"):
                    parts[group] += float(g["minutes"].astype(float).sum()) / 60
        if not sources:  # say why, in this order: only n.v.t., only undated, only after the peildatum, only
            if len(w):   # contacts outside
                only_nvt += 1
            elif len(weekly_raw):
                no_date += 1
            elif after.any():
                only_late += 1
            else:
                only_outside += 1
            continue
        weeks = (until - start).days / 7
        total = parts[PROFESSIONAL] + parts[VOLUNTEER]
        rows.append({
            "family": family, "organisation": span["organisation"], "status": span["status"],
            "source": " + ".join(sorted(sources, reverse=True)), "start": start, "until": until, "weeks": weeks,
            "professional_hours": parts[PROFESSIONAL], "volunteer_hours": parts[VOLUNTEER], "total_hours": total,
            "hours_per_week": total / weeks if weeks > 0 else np.nan,
        })
    if only_nvt:
        excluded["gezinnen met alleen n.v.t. voor inzet"] = only_nvt
    if no_date:
        excluded["gezinnen met alleen metingen zonder datum"] = no_date
    if only_late:
        excluded["gezinnen met alleen metingen na de peildatum"] = only_late
    if only_outside:
        excluded["gezinnen met alleen contacten buiten het traject"] = only_outside
    if undated:
        excluded["metingen zonder datum en zonder moment start/later"] = undated
    if late:
        excluded[metrics.EXCLUDED_AFTER_PEILDATUM] = late
    if outside:
        excluded["contacten buiten het traject"] = outside
    out = pd.DataFrame(rows, columns=columns)
    attrs = {"n_families": len(out), "excluded": excluded}
    if families is not None:
        attrs["without_hours"] = int(len(set(families["family"]) - set(inv["family"])))
    out.attrs.update(attrs)
    return out


SUMMARY_VALUES = ("n_afgerond", "median", "q1", "q3", "min", "max", "mean", "mean_professional", "mean_volunteer",
                  "median_afgerond")
SUMMARY_RULE = disclosure.Rule(
    counts=("n",), values=SUMMARY_VALUES,
    note="a group with n, n afgerond or n lopend < k is hidden, and others where the Totaal row would give it "
         "back; min and max (one family's value) are never shown to a non-owner")


@disclosure.protects(SUMMARY_RULE)
def total_hours_summary(totals: pd.DataFrame, by: str = "organisation") -> pd.DataFrame:
    """Per `by` (and a pooled 'Totaal' row): n families, median, quartiles and mean of total_hours, mean of the
    professional and volunteer parts, n afgerond (whose total is complete) and the median of the afgerond ones.
    Quartiles are pandas' linear interpolation.

    For a viewer who does not own every organisation in `totals`: min and max are hidden (each is one family's
    value), and a group is hidden whole when n, n afgerond or n lopend is below k or could be recovered from
    the Totaal row (`disclosure.suppress_rows`; the Totaal row too when that is not enough)."""
    def stats(g: pd.DataFrame) -> dict:
        t = g["total_hours"].astype(float)
        return {
            "n": int(len(g)),
            "n_afgerond": int((g["status"] == tx.STATUS_AFGEROND).sum()),
            "median": float(t.median()) if len(t) else np.nan,
            "q1": float(t.quantile(0.25)) if len(t) else np.nan,
            "q3": float(t.quantile(0.75)) if len(t) else np.nan,
            "min": float(t.min()) if len(t) else np.nan,
            "max": float(t.max()) if len(t) else np.nan,
            "mean": float(t.mean()) if len(t) else np.nan,
            "mean_professional": float(g["professional_hours"].mean()) if len(g) else np.nan,
            "mean_volunteer": float(g["volunteer_hours"].mean()) if len(g) else np.nan,
            "median_afgerond": float(t[(g["status"] == tx.STATUS_AFGEROND).to_numpy()].median())
            if (g["status"] == tx.STATUS_AFGEROND).any() else np.nan,
        }
    rows = [{by: name, **stats(g)} for name, g in totals.groupby(by, sort=True)]
    rows.append({by: ALL_ORGANISATIONS, **stats(totals)})
    out = pd.DataFrame(rows, columns=[by, "n", *SUMMARY_VALUES])
    who = disclosure.stranger(totals)
    if who is None:
        return out
    out = disclosure.blank(out, [True] * len(out), ["min", "max"])
    groups = out[by] != ALL_ORGANISATIONS
    part = out[groups]
    hidden, total = disclosure.suppress_rows(
        [part["n"].tolist(), part["n_afgerond"].tolist(), (part["n"] - part["n_afgerond"]).tolist()], who.k)
    rows = groups.copy() & False
    rows.loc[part.index[sorted(hidden)]] = True
    rows |= ~groups & total
    return disclosure.hide_rows(out, rows.to_numpy(), ["n", *SUMMARY_VALUES])


@disclosure.protects(SUMMARY_RULE)
def total_hours_by_organisation(hours: pd.DataFrame, trajectories: pd.DataFrame, peildatum: dt.date,
                                families: pd.DataFrame | None = None) -> pd.DataFrame:
    """`total_hours_summary` of every family's total hours (`family_total_hours`), protected as that is; `.attrs`
    as the totals' (n_families, excluded, without_hours)."""
    totals = _family_total_hours(hours, trajectories, peildatum, families)
    out = total_hours_summary(totals)
    out.attrs = {**totals.attrs, **out.attrs}
    return out


@disclosure.protects(disclosure.Rule(row_level=True, note="one row per family and moment: only the viewer's own"))
def family_weekly_investment(hours: pd.DataFrame, trajectories: pd.DataFrame | None = None,
                             peildatum: dt.date | None = None) -> pd.DataFrame:
    """Per family and moment the hours per week of professionals, volunteers and both (see
    `weekly_investment_rows`); for a viewer who does not own every organisation only their own families."""
    return weekly_investment_rows(hours, trajectories, peildatum)


def weekly_investment_rows(hours: pd.DataFrame, trajectories: pd.DataFrame | None = None,
                           peildatum: dt.date | None = None) -> pd.DataFrame:
    """Per family and moment (start, latest): hours per week of professionals, volunteers and both together.

    Weekly hours: per support type its first and last measurement (`metrics.chronological`: moment, then date,
    then row); a group's value is the sum over its types, n.v.t. counting 0 beside a type that applied; NaN when
    every type of the group said n.v.t. Given a peildatum, rows dated after it and rows of families that started
    after it do not count (`metrics.weekly_at_peildatum`). Contact logs (families and types without weekly
    hours): trajectory month 0 and the last trajectory month with a contact (`metrics.contact_hours_by_month`).
    Columns: family, organisation, moment, source, professional, volunteer, total; `.attrs["excluded"]`:
    reason → rows left out.

    Unprotected: the input of aggregates computed in the core (`investment_by_organisation`,
    `organisations.hours_vs_others`); a page shows `family_weekly_investment` or an aggregate, never this."""
    columns = ["family", "organisation", "moment", "source", *GROUPS]
    inv = _investment_rows(hours) if not hours.empty else hours.assign(group=None)
    contact = metrics.is_contact(inv)
    h = inv[~contact]
    h = h[h["hours_per_week"].notna() | h["not_applicable"].astype(bool)]
    h, excluded = metrics.weekly_at_peildatum(h, trajectories, peildatum)
    h = metrics.chronological(h)
    groups = h.groupby(["family", "support_type"], sort=False)
    parts = []
    for moment, picked in (("start", groups.head(1)), ("latest", groups.tail(1))):
        p = picked.assign(moment=moment, source=SOURCE_WEEKLY,
                          value=picked["hours_per_week"].astype(float).where(~picked["not_applicable"].astype(bool)))
        parts.append(p[["family", "organisation", "support_type", "group", "moment", "source", "value"]])
    if contact.any() and trajectories is not None:
        monthly = metrics._contact_hours_by_month(inv[contact], trajectories, peildatum, by_support_type=True,
                                                 kind=tx.INVESTMENT)
        excluded[metrics.EXCLUDED_CONTACTS_OUTSIDE] = monthly.attrs["buiten_traject"]
        excluded[metrics.EXCLUDED_NO_START] = monthly.attrs["zonder_startdatum"]
        weekly_pairs = pd.MultiIndex.from_frame(h[["family", "support_type"]])
        monthly = monthly[~pd.MultiIndex.from_frame(monthly[["family", "support_type"]]).isin(weekly_pairs)]
        if len(monthly):
            active = monthly[monthly["contacts"] > 0].groupby("family")["month"].max()
            for moment, sel in (("start", monthly["month"] == 0),
                                ("latest", monthly["month"] == monthly["family"].map(active))):
                m = monthly[sel]
                parts.append(pd.DataFrame({
                    "family": m["family"], "organisation": m["organisation"], "support_type": m["support_type"],
                    "group": m["support_type"].map(investment_group), "moment": moment, "source": SOURCE_CONTACT,
                    "value": m["hours_per_week"].astype(float)}))
    long = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["family", "organisation", "support_type", "group", "moment", "source", "value"])
    excluded = {k: int(v) for k, v in excluded.items() if v}
    if long.empty:
        out = pd.DataFrame(columns=columns)
        out.attrs["excluded"] = excluded
        return out
    # A group's sum is NaN only when none of its types applied (min_count=1 on the non-missing values).
    by_group = (long.groupby(["family", "moment", "group"])["value"].sum(min_count=1).unstack("group")
                .reindex(columns=[PROFESSIONAL, VOLUNTEER]))
    by_group[TOTAL] = by_group[[PROFESSIONAL, VOLUNTEER]].sum(axis=1, min_count=1)
    meta = long.groupby(["family", "moment"]).agg(
        organisation=("organisation", "first"),
        source=("source", lambda s: " + ".join(sorted(set(s), reverse=True))))
    out = meta.join(by_group).reset_index()
    out["moment"] = pd.Categorical(out["moment"], ["start", "latest"])
    out = out.sort_values(["family", "moment"], kind="stable").reset_index(drop=True)
    out["moment"] = out["moment"].astype(str)
    out = out[columns]
    out.attrs["excluded"] = excluded
    return out


ORGANISATION_HOURS_RULE = disclosure.Rule(
    values=tuple(c for g in GROUPS for c in (f"n_{g}", f"mean_{g}")),
    note="per moment and group, an organisation's n < k is hidden with its mean, and others where the Totaal "
         "would give it back (disclosure.suppress_rows); verborgen when all three groups are")


@disclosure.protects(ORGANISATION_HOURS_RULE)
def hours_by_organisation(weekly: pd.DataFrame, organisations=None) -> pd.DataFrame:
    """Per organisation and moment (start, latest), plus a pooled 'Totaal': for each group (professional,
    volunteer, total) n families with a value and the mean hours per week. `organisations` lists the
    organisations to show even without hours (n = 0).

    For a viewer who does not own every organisation in `weekly`, per moment and group the n and mean of an
    organisation are missing where n < k or where the Totaal would give a hidden one back (the Totaal's too
    when that is not enough); a row is `verborgen` when all its groups are."""
    names = sorted(set(weekly["organisation"].dropna()) | set(organisations or []))
    rows = []
    for name in [*names, ALL_ORGANISATIONS]:
        part = weekly if name == ALL_ORGANISATIONS else weekly[weekly["organisation"] == name]
        for moment in ("start", "latest"):
            m = part[part["moment"] == moment]
            row = {"organisation": name, "moment": moment}
            for group in GROUPS:
                values = m[group].dropna().astype(float) if group in m else pd.Series(dtype=float)
                row[f"n_{group}"] = int(len(values))
                row[f"mean_{group}"] = float(values.mean()) if len(values) else np.nan
            rows.append(row)
    out = pd.DataFrame(rows, columns=["organisation", "moment",
                                      *(c for g in GROUPS for c in (f"n_{g}", f"mean_{g}"))])
    who = disclosure.stranger(weekly)
    if who is None:
        return out
    everything = pd.Series(True, index=out.index)
    for moment in ("start", "latest"):
        here = out["moment"] == moment
        groups = here & (out["organisation"] != ALL_ORGANISATIONS)
        part = out[groups]
        for group in GROUPS:
            hidden, total = disclosure.suppress_rows([part[f"n_{group}"].tolist()], who.k)
            rows = pd.Series(False, index=out.index)
            rows.loc[part.index[sorted(hidden)]] = True
            rows |= here & ~groups & total
            out = disclosure.blank(out, rows.to_numpy(), [f"n_{group}", f"mean_{group}"])
    for group in GROUPS:
        everything &= out[f"n_{group}"].isna()
    out[disclosure.HIDDEN] = everything.to_numpy()
    return out


@disclosure.protects(ORGANISATION_HOURS_RULE)
def investment_by_organisation(hours: pd.DataFrame, trajectories: pd.DataFrame | None = None,
                               peildatum: dt.date | None = None, organisations=None) -> pd.DataFrame:
    """`hours_by_organisation` of every family's weekly investment (`weekly_investment_rows`), protected as that
    is; `.attrs["excluded"]` as the weekly rows'."""
    weekly = weekly_investment_rows(hours, trajectories, peildatum)
    out = hours_by_organisation(weekly, organisations)
    out.attrs = {**weekly.attrs, **out.attrs}
    return out
