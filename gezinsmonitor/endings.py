"""How trajectories end: reasons for ending, end dates that are missing or only expected, and the funnel
(aanmelding → intake → begeleiding → resultaat) where an organisation registers one."""
from __future__ import annotations

import pandas as pd

import numpy as np

from . import disclosure, metrics, stats, suppression
from . import taxonomy as tx

NO_REASON = "geen reden ingevuld"
STARTED_LATER = metrics.STARTED_LATER

REASONS_DEFINITION = (
    "Reden van beëindiging van de trajecten die op de peildatum afgerond zijn (ook zonder start- of einddatum), "
    "als aantal en als aandeel van alle afgeronde trajecten, met 95%-betrouwbaarheidsinterval (Wilson). Redenen "
    "staan zoals de organisatie ze schreef; een lege reden telt als 'geen reden ingevuld'. Een traject dat na de "
    "peildatum eindigt, loopt op de peildatum nog en telt hier niet mee."
)

# End-date completeness (status as registered): the four states of the einddatum column.
END_STATES = {
    "end_date": "einddatum ingevuld",
    "expected_only": "alleen verwachte einddatum (loopt nog)",
    "no_end_running": "geen einddatum, lopend",
    "no_end_completed": "geen einddatum, afgerond",
}
END_DATES_DEFINITION = (
    "Per organisatie: trajecten met een einddatum, met alleen een verwachte einddatum (bijvoorbeeld 'naar "
    "verwachting januari 2027': het traject loopt nog), en zonder einddatum (lopend, of afgerond zonder datum). "
    "Status zoals geregistreerd. Afgeronde trajecten zonder einddatum tellen niet mee in de trajectduur."
)

# The funnel as some programmes register it (DOMAIN §3.3): trajectories.phase / .result (schema v3).
FUNNEL_PHASE = "phase"
FUNNEL_RESULT = "result"
PHASES = tx.FUNNEL_PHASES
RESULTS = tx.FUNNEL_RESULTS
NO_FUNNEL = "organisatie registreert geen trechter"
FUNNEL_DEFINITION = (
    "Trechter per traject: de verste fase die het bereikte (aanmelding → intake → begeleiding) en, na "
    "begeleiding, het resultaat (geslaagd / niet geslaagd / lopend). Elk percentage is van de vorige stap, met "
    "95%-betrouwbaarheidsinterval (Wilson). Een traject met een resultaat heeft de begeleiding bereikt."
)


def _reason_text(value) -> str:
    text = "" if pd.isna(value) else str(value).strip()
    return text or NO_REASON


REASONS_RULE = disclosure.Rule(
    counts=("n",), values=("pct", "pct_lo", "pct_hi"), partition="n",
    note="the reasons partition the afgerond trajectories (n shown): complementary suppression; hidden rows "
         "sorted by name, so the order does not rank hidden counts")


def _protect_reasons(reasons: pd.DataFrame, who: disclosure.Audience) -> pd.DataFrame:
    out = disclosure.protect(reasons, REASONS_RULE, who)
    hidden = out[disclosure.HIDDEN]
    key = pd.DataFrame({"missing": out["reason"] == NO_REASON, "hidden": hidden,
                        "n": -out["n"].fillna(0), "reason": out["reason"]})
    order = key.sort_values(["missing", "hidden", "n", "reason"]).index
    attrs = dict(out.attrs)
    out = out.loc[order].reset_index(drop=True)
    out.attrs = attrs
    return out


@disclosure.protects(REASONS_RULE, shape=_protect_reasons)
def ending_reasons(durations: pd.DataFrame) -> pd.DataFrame:
    """Reasons for ending among the trajectories afgerond at the peildatum (from `trajectory_durations`):
    reason, n, pct, pct_lo, pct_hi (percent of all afgerond). Most frequent first, 'geen reden ingevuld' last.
    attrs: n (afgerond), excluded (reason → count, among the afgerond ones)."""
    done = durations[durations["status_at_peildatum"] == tx.STATUS_AFGEROND]
    later = done["excluded"] == STARTED_LATER
    excluded = {STARTED_LATER: int(later.sum())} if later.any() else {}
    done = done[~later]
    reasons = done["end_reason"].map(_reason_text) if len(done) else pd.Series(dtype=object)
    counts = reasons.value_counts()
    out = pd.DataFrame({"reason": counts.index.astype(str), "n": counts.to_numpy(dtype=int)})
    out["missing"] = out["reason"] == NO_REASON
    out = out.sort_values(["missing", "n", "reason"], ascending=[True, False, True]).drop(columns="missing")
    total = len(done)
    out["pct"] = out["n"] / total * 100 if total else pd.Series(dtype=float)
    out = stats.with_wilson(out, "n", total, "pct").reset_index(drop=True)
    out.attrs.update(n=total, excluded=excluded)
    return out


def end_date_states(trajectories: pd.DataFrame) -> pd.Series:
    """Per trajectory the key of END_STATES."""
    has_end = trajectories["end_date"].notna()
    expected = (trajectories["expected_end"].notna() if "expected_end" in trajectories
                else pd.Series(False, index=trajectories.index))
    done = trajectories["status"] == tx.STATUS_AFGEROND
    state = pd.Series("no_end_running", index=trajectories.index, dtype=object)
    state[~has_end & done] = "no_end_completed"
    state[~has_end & ~done & expected] = "expected_only"
    state[has_end] = "end_date"
    return state


def end_date_summary(trajectories: pd.DataFrame) -> dict[str, int | str | None]:
    """Counts of `end_date_states` over all trajectories (status as registered): n, one count per END_STATES key,
    and no_end = no end date and no expected one (no_end_running + no_end_completed), so a page's "zonder
    einddatum" agrees with the columns of `end_date_completeness`."""
    state = end_date_states(trajectories)
    counts = {key: int((state == key).sum()) for key in END_STATES}
    out = {"n": len(trajectories), **counts, "no_end": counts["no_end_running"] + counts["no_end_completed"]}
    who = disclosure.stranger(trajectories)
    if who is None or trajectories.empty:
        return out
    # Someone who does not own the rows sees what the Totaal row of the protected table shows: all or nothing.
    table = end_date_completeness(trajectories)
    total = table[table["group"] == COMPLETENESS_TOTAL]
    if total.empty or bool(total[disclosure.HIDDEN].iloc[0]):
        # Hidden, all of them, as text: a count that is itself small reads '<k', any other the mark '×'.
        out |= {key: suppression.label(who.k) if disclosure.small(out[key], who.k) else suppression.COMPLEMENTARY_MARK
                for key in (*END_STATES, "no_end")}
    return out


def duration_summary(durations: pd.DataFrame) -> dict:
    """The head counts of a duration page from `trajectory_durations`: counted (usable duration), afgerond and
    lopend among them as at the peildatum, and excluded (reason → trajectories left out, most frequent first).

    For a viewer who does not own every row a count is None where it is hidden: afgerond and lopend as the
    column totals of `metrics.tabulate_durations`; the reasons as one partition of the excluded trajectories
    (their total is n − counted, which the page shows anyway)."""
    kept = durations[durations["excluded"].isna()]
    status = kept["status_at_peildatum"]
    excluded = {str(k): int(v) for k, v in durations["excluded"].value_counts().items()}
    out = {"counted": len(kept), tx.STATUS_AFGEROND: int((status == tx.STATUS_AFGEROND).sum()),
           tx.STATUS_LOPEND: int((status == tx.STATUS_LOPEND).sum()), "excluded": excluded}
    who = disclosure.stranger(durations)
    if who is None or durations.empty:
        return out
    totals = metrics.tabulate_durations(durations).attrs["totals"]
    out[tx.STATUS_AFGEROND], out[tx.STATUS_LOPEND] = totals["completed"], totals["ongoing"]
    if excluded:
        cells = suppression.protect_partition(pd.Series(excluded, dtype="int64"), k=who.k)
        out["excluded"] = {reason: None if status in suppression.HIDDEN else n
                           for (reason, n), status in zip(excluded.items(), cells["status"])}
    return out


COMPLETENESS_TOTAL = "Totaal"
COMPLETENESS_COUNTS = ("n", *END_STATES)


def _protect_completeness(table: pd.DataFrame, who: disclosure.Audience) -> pd.DataFrame:
    """Rows (organisations) with a count 1..k-1 are hidden whole; each count column is a partition of the Totaal
    row, so more rows go where a hidden small count could be recovered from it (`disclosure.suppress_rows`); the
    Totaal row goes when one of its own counts is small."""
    k = who.k
    out = table.copy()
    out.attrs = dict(table.attrs)
    is_total = (out["group"] == COMPLETENESS_TOTAL).to_numpy()
    positions = np.flatnonzero(~is_total)
    hide, totals_hidden = disclosure.suppress_rows([out.loc[~is_total, c].tolist() for c in COMPLETENESS_COUNTS], k)
    mask = np.zeros(len(out), dtype=bool)
    mask[positions[sorted(hide)]] = True
    total_small = np.zeros(len(out), dtype=bool)
    for col in COMPLETENESS_COUNTS:
        total_small |= is_total & out[col].map(lambda v: disclosure.small(v, k)).to_numpy(bool)
    mask |= total_small | (is_total & totals_hidden)
    out = disclosure.hide_rows(out, mask, list(COMPLETENESS_COUNTS))
    out.attrs |= {"suppressed": int(mask.sum()), "k": k}
    return out


@disclosure.protects(disclosure.Rule(counts=COMPLETENESS_COUNTS, partition="n", note=(
    "organisations x end-date states with a Totaal row: rows hidden whole, complementary per column")),
    shape=_protect_completeness)
def end_date_completeness(trajectories: pd.DataFrame, by: str | None = "organisation",
                          total: str = COMPLETENESS_TOTAL) -> pd.DataFrame:
    """Per group (and a total row last): n and the number of trajectories in each END_STATES state."""
    state = end_date_states(trajectories)
    keys = list(END_STATES)
    frame = pd.DataFrame({"group": trajectories[by].astype(str) if by else total, "state": state})
    table = pd.crosstab(frame["group"], frame["state"]).reindex(columns=keys, fill_value=0) if len(frame) else \
        pd.DataFrame(columns=keys)
    table = table.astype(int)
    if by:
        table.loc[total] = table.sum()
    table.insert(0, "n", table[keys].sum(axis=1))
    out = table.reset_index(names="group")
    out.attrs.update(n=len(trajectories))
    return out


# -- funnel --------------------------------------------------------------------------------------
def _registered(trajectories: pd.DataFrame) -> pd.Series:
    """Per trajectory: a known phase or result."""
    mask = pd.Series(False, index=trajectories.index)
    for col in (FUNNEL_PHASE, FUNNEL_RESULT):
        if col in trajectories:
            mask |= trajectories[col].notna()
    return mask


def has_funnel(trajectories: pd.DataFrame) -> bool:
    """Whether the data registers a funnel phase at all."""
    return FUNNEL_PHASE in trajectories and trajectories[FUNNEL_PHASE].notna().any()


def funnel_organisations(trajectories: pd.DataFrame, by: str = "organisation") -> tuple[list[str], dict[str, int]]:
    """(organisations with at least one known phase or result, sorted; {organisation without any: its number of
    trajectories}). An organisation without a funnel is left out of the rates, never counted as 0%."""
    if trajectories.empty or by not in trajectories:
        return [], {}
    org = trajectories[by].astype(str)
    registered = _registered(trajectories).groupby(org, sort=True).any()
    sizes = org.value_counts()
    who = disclosure.stranger(trajectories)
    # An organisation's number of trajectories is a count too: None (hidden) below k for someone else's rows.
    return ([str(o) for o in registered.index[registered]],
            {str(o): None if who is not None and disclosure.small(sizes[o], who.k) else int(sizes[o])
             for o in registered.index[~registered]})


def _clean(value) -> str | None:
    if pd.isna(value):
        return None
    text = str(value).strip().lower()
    return text or None


FUNNEL_VALUES = ("pct", "pct_lo", "pct_hi")


def _funnel_leaves(funnel: pd.DataFrame) -> tuple[list[int], list[int]]:
    """The funnel's steps as a partition: trajectories that stopped at each phase (the last phase: without a
    result), then each result. Returns (leaf counts, for each leaf its index in the funnel's rows or -1)."""
    n = [int(v) for v in funnel["n"]]
    phases, results = len(PHASES), n[len(PHASES):]
    stopped = [n[i] - n[i + 1] for i in range(phases - 1)] + [n[phases - 1] - sum(results)]
    return stopped + results, [-1] * phases + list(range(phases, len(n)))


def _protect_funnel(funnel: pd.DataFrame, who: disclosure.Audience) -> pd.DataFrame:
    """The steps are cumulative, so a difference of two shown steps is a count too (those who stopped). The
    partition underneath (`_funnel_leaves`) is protected as one (`suppression.protect_partition`), and a step is
    shown only when its n and its 'of' follow from the shown leaves and the total alone: then the table tells
    nothing the protected partition does not."""
    k = who.k
    leaves, _ = _funnel_leaves(funnel)
    status = suppression.protect_partition(pd.Series(leaves, dtype="int64"), k=k)["status"].tolist()
    shown_leaf = [st not in suppression.HIDDEN for st in status]
    phases = len(PHASES)
    total_known = not disclosure.small(funnel["n"].iloc[0], k) if len(funnel) else False

    def phase_known(i: int) -> bool:
        """n of phase i (its trajectories went at least that far) from shown leaves: the total minus the
        stops before it, or the sum of every leaf from it on."""
        if i == 0:
            return total_known
        return (total_known and all(shown_leaf[:i])) or all(shown_leaf[i:])

    known = []
    for i in range(len(funnel)):
        if i < phases:
            known.append(phase_known(i) and (i == 0 or phase_known(i - 1)))
        else:
            known.append(shown_leaf[phases + (i - phases)] and phase_known(phases - 1))
    mask = ~np.asarray(known, dtype=bool)
    out = funnel.copy()
    out.attrs = dict(funnel.attrs)
    out = disclosure.hide_rows(out, mask, ["n", "of", *FUNNEL_VALUES])
    out.attrs |= {"suppressed": int(mask.sum()), "k": k}
    return out


@disclosure.protects(disclosure.Rule(counts=("n", "of"), values=FUNNEL_VALUES, note=(
    "cumulative steps: protected through the partition of where trajectories stopped (_protect_funnel)")),
    shape=_protect_funnel)
def funnel_rates(frame: pd.DataFrame, phase: str = FUNNEL_PHASE, result: str = FUNNEL_RESULT) -> pd.DataFrame:
    """Steps of the funnel: step, n, of (the previous step's n), pct, pct_lo, pct_hi (Wilson).

    `phase` is the furthest phase reached (PHASES), `result` the outcome after begeleiding (RESULTS).
    Rows with neither a known phase nor a known result are left out (attrs excluded)."""
    phases = frame[phase].map(_clean) if phase in frame else pd.Series(None, index=frame.index, dtype=object)
    results = frame[result].map(_clean) if result in frame else pd.Series(None, index=frame.index, dtype=object)
    results = results.where(results.isin(RESULTS))
    reached = phases.map({p: i for i, p in enumerate(PHASES)})
    reached = reached.where(results.isna(), PHASES.index("begeleiding"))  # a result means begeleiding was reached
    known = reached.notna()
    reached, results = reached[known], results[known]
    rows, previous = [], int(known.sum())
    for i, name in enumerate(PHASES):
        n = int((reached >= i).sum())
        rows.append({"step": name, "n": n, "of": previous})
        previous = n
    begeleiding = previous
    for name in RESULTS:
        rows.append({"step": f"resultaat: {name}", "n": int((results == name).sum()), "of": begeleiding})
    out = pd.DataFrame(rows)
    out["pct"] = out["n"] / out["of"].where(out["of"] > 0) * 100
    out = stats.with_wilson(out, "n", "of", "pct")
    left_out = int((~known).sum())
    out.attrs.update(n=int(known.sum()), excluded={"geen fase of resultaat": left_out} if left_out else {})
    return out



def funnel_success(frame: pd.DataFrame, result: str = FUNNEL_RESULT) -> dict:
    """Among the trajectories with a final result (geslaagd or niet geslaagd; lopend ones have none yet):
    n, k geslaagd, pct with its Wilson interval (pct_lo, pct_hi); pct NaN when n = 0."""
    results = frame[result].map(_clean) if result in frame else pd.Series(dtype=object)
    n = int(results.isin(RESULTS[:2]).sum())
    k = int((results == RESULTS[0]).sum())
    lo, hi = stats.wilson(k, n)
    out = {"n": n, "k": k, "pct": k / n * 100 if n else float("nan"), "pct_lo": float(lo), "pct_hi": float(hi)}
    if disclosure.stranger(frame) is not None and n:
        # Geslaagd and niet geslaagd are two result rows of the funnel: shown only where the funnel shows both.
        funnel = funnel_rates(frame, result=result).set_index("step")
        if funnel.loc[[f"resultaat: {name}" for name in RESULTS[:2]], disclosure.HIDDEN].any():
            out |= {"n": None, "k": None, "pct": float("nan"), "pct_lo": float("nan"), "pct_hi": float("nan")}
    return out
