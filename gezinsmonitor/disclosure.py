"""Small-cell suppression as a property of the data layer: who looks decides what an aggregate shows.

The active `Audience` (set once per page run or command from the logged-in role, see `permissions`) says
which organisations' rows the viewer owns. A metric function decorated with `@protects(Rule(...))` returns
its result unchanged to an owner, and a protected copy to anyone else whenever its input holds rows of an
organisation the viewer does not own:

- a row (one bar, cell, point or group) whose count columns hold a value from 1 to k-1 is hidden: its counts
  and every value derived from them (percentages, intervals, means, medians) become missing, and the
  column `verborgen` is True so tables can print '<k' there (`components.figure.table`);
- with `partition`, the rows are one partition of a total (classes of a duration, reasons for ending): the
  complementary rule of `suppression.protect_partition` hides another row where a hidden one could be
  recovered by subtraction;
- for an organisation, which knows its own rows, a row that mixes them with others' is also hidden when the
  others' share is 1..k-1 (otherwise subtracting its own rows would reveal it);
- with `row_level`, the result has one row per family (a histogram's or a box plot's input): rows of
  organisations the viewer does not own are dropped, since no per-family value of theirs may leave the store.

Rows are hidden whole, not cell by cell: a percentage next to a hidden count would give the count back.
`REGISTRY` lists every protected function with its rule, so the rules can be read and tested in one place.
"""
from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import suppression

HIDDEN = "verborgen"  # bool column of a protected frame: this row's figures are hidden
# bool column: the row is hidden because a count of its own is 1..k-1 (shown as '<k'); a row hidden only so
# that another cannot be recovered, or for a reason a figure could not tell, is shown as '×' (never as '<k',
# which would claim a small count where there may be 141).
SMALL = "verborgen_klein"
MARKS = (HIDDEN, SMALL)  # the bookkeeping columns of a protected frame: never shown as such
ORGANISATION = "organisation"


@dataclass(frozen=True)
class Audience:
    """Who looks: `owned` are the organisations whose rows the viewer may see in detail; None means all
    (the administrator, the command line, tests). `k`: counts 1..k-1 are hidden."""

    owned: frozenset[str] | None = None
    k: int = suppression.DEFAULT_K

    @property
    def owns_everything(self) -> bool:
        return self.owned is None

    def owns(self, organisations: Iterable[str]) -> bool:
        """True when every organisation named is the viewer's own."""
        return self.owned is None or set(organisations) <= self.owned


OWNER = Audience()
_current: ContextVar[Audience] = ContextVar("gezinsmonitor_audience", default=OWNER)


def current() -> Audience:
    return _current.get()


def set_audience(audience: Audience) -> None:
    """Set the audience for the rest of this thread's work (a Streamlit page run sets it at the start)."""
    _current.set(audience)


@contextlib.contextmanager
def audience(who: Audience) -> Iterator[Audience]:
    """Within the block, every protected function answers `who` (commands, exports, tests)."""
    token = _current.set(who)
    try:
        yield who
    finally:
        _current.reset(token)


@dataclass(frozen=True)
class Rule:
    counts: tuple[str, ...] = ()  # a value 1..k-1 in any of these hides the row
    values: tuple[str, ...] = ()  # derived from the counts: hidden with the row
    partition: str | None = None  # count column whose rows add up to a shown total: complementary suppression
    row_level: bool = False  # one row per family: other organisations' rows are dropped
    keys: tuple[str, ...] = ()  # the columns that name a row (default: the first text columns that tell rows apart)
    # (count, whole): the row is hidden too when whole − count is small ("11 of 13 families" names 2 without);
    # whole is a column or a key of the result's attrs.
    complement_of: tuple[tuple[str, str], ...] = ()
    note: str = ""  # why, for the registry's readers


REGISTRY: dict[str, Rule] = {}


def organisations_in(*objects) -> set[str]:
    """Organisation names in DataFrames (column `organisation`) and Datasets among `objects`."""
    found: set[str] = set()
    for obj in objects:
        frames = [obj] if isinstance(obj, pd.DataFrame) else [
            getattr(obj, name) for name in ("families", "trajectories", "requests", "measurements", "hours")
            if isinstance(getattr(obj, name, None), pd.DataFrame)]
        for frame in frames:
            if ORGANISATION in frame.columns:
                found.update(str(v) for v in frame[ORGANISATION].dropna().unique())
    return found


def _number(frame: pd.DataFrame, col: str) -> pd.Series:
    return pd.to_numeric(frame[col], errors="coerce")


def protect(frame: pd.DataFrame, rule: Rule, who: Audience | None = None,
            also: pd.Series | None = None) -> pd.DataFrame:
    """`frame` as `who` may see it under `rule` (see the module text). Always a copy with a `verborgen` column.
    `also`: rows to hide besides the small ones (e.g. where other organisations' share is small)."""
    who = who or current()
    out = frame.copy()
    out.attrs = dict(frame.attrs)
    if rule.row_level:
        keep = out[ORGANISATION].isin(who.owned or ()) if ORGANISATION in out else pd.Series(False, index=out.index)
        dropped = int((~keep).sum())
        out = out.loc[keep].copy()
        out.attrs = dict(frame.attrs) | {"rows_withheld": dropped, "k": who.k}
        out[HIDDEN] = False
        out[SMALL] = False
        return out
    k = who.k
    small_rows = out[SMALL].fillna(False).astype(bool) if SMALL in out else pd.Series(False, index=out.index)
    for col in rule.counts:
        if col in out:
            n = _number(out, col)
            small_rows |= (n >= 1) & (n < k)
    # Rows the function itself already hid (shapes a Rule cannot express) stay hidden.
    hidden = (out[HIDDEN].fillna(False).astype(bool) if HIDDEN in out
              else pd.Series(False, index=out.index)) | small_rows
    if also is not None:
        hidden |= also.reindex(out.index, fill_value=True).astype(bool)
    if rule.partition and rule.partition in out and len(out):
        counts = _number(out, rule.partition).fillna(0).astype("int64").reset_index(drop=True)
        status = suppression.protect_partition(counts, k=k)["status"]
        hidden |= pd.Series(status.isin(suppression.HIDDEN).to_numpy(), index=out.index)
    for col in (*rule.counts, *rule.values):
        if col in out:
            if not pd.api.types.is_float_dtype(out[col]):
                out[col] = out[col].astype("float64" if pd.api.types.is_numeric_dtype(out[col]) else object)
            out.loc[hidden, col] = float("nan") if pd.api.types.is_float_dtype(out[col]) else None
    out[HIDDEN] = hidden.astype(bool)
    out[SMALL] = (small_rows & hidden).astype(bool)
    out.attrs |= {"suppressed": int(hidden.sum()), "k": k}
    return out


def _without(obj, owned: frozenset[str]):
    """`obj` without the rows of `owned` organisations (DataFrames and Datasets; anything else as it is)."""
    if isinstance(obj, pd.DataFrame):
        return obj.loc[~obj[ORGANISATION].isin(owned)] if ORGANISATION in obj.columns else obj
    if all(isinstance(getattr(obj, n, None), pd.DataFrame) for n in ("families", "trajectories", "requests")):
        from dataclasses import replace
        return replace(obj, **{n: _without(getattr(obj, n), owned)
                               for n in ("families", "trajectories", "requests", "measurements", "hours")})
    return obj


def _row_keys(result: pd.DataFrame, others: pd.DataFrame, rule: Rule) -> list[str]:
    """The columns that name a row: `rule.keys`, else the first text columns (in order) that together tell the
    rows apart. Later text columns are often derived (labels with n, the latest upload) and would differ between
    the mixed and the others-only result, so they must not be matched on."""
    if rule.keys:
        return [c for c in rule.keys if c in result.columns and c in others.columns]
    keys: list[str] = []
    for col in result.columns:
        if col in (*rule.counts, *rule.values, HIDDEN, SMALL) or col not in others.columns:
            continue
        if pd.api.types.is_numeric_dtype(result[col]) or pd.api.types.is_bool_dtype(result[col]):
            continue
        if not all(isinstance(v, (str, type(None))) or pd.isna(v) for v in result[col].head(50)):
            continue  # dicts, lists, dates: not a row's name
        keys.append(col)
        if not result.duplicated(subset=keys).any():
            return keys
    return keys


def _complement_small(result: pd.DataFrame, rule: Rule, k: int) -> pd.Series:
    """Rows where a count's complement in its whole (`rule.complement_of`) is 1..k-1."""
    hidden = pd.Series(False, index=result.index)
    for col, whole in rule.complement_of:
        if col not in result:
            continue
        total = result[whole] if whole in result else result.attrs.get(whole)
        if total is None:
            continue
        rest = pd.to_numeric(total, errors="coerce") - pd.to_numeric(result[col], errors="coerce")
        hidden |= pd.Series([small(v, k) for v in (rest if isinstance(rest, pd.Series)
                                                   else pd.Series(rest, index=result.index))], index=result.index)
    return hidden


def _others_part(fn: Callable, who: Audience, args, kwargs) -> pd.DataFrame | None:
    """`fn` on the other organisations' rows only, exact (under the owner audience: a protected result would
    hide exactly the small counts this is about); None when it cannot be computed."""
    try:
        with audience(OWNER):
            others = fn(*(_without(a, who.owned) for a in args),
                        **{k: _without(v, who.owned) for k, v in kwargs.items()})
    except Exception:  # noqa: BLE001 - the caller then hides every row that mixes the others in
        return None
    return others if isinstance(others, pd.DataFrame) else None


def _others_small(fn: Callable, rule: Rule, result: pd.DataFrame, who: Audience, args, kwargs,
                  others: pd.DataFrame | None = None) -> pd.Series:
    """Rows whose share from other organisations is 1..k-1. An organisation knows its own rows, so it could
    subtract them from a mixed figure and read what the others add: that part must itself not be small."""
    hidden = pd.Series(False, index=result.index)
    counts = [c for c in rule.counts if c in result.columns]
    if not counts or not who.owned:
        return hidden
    others = others if others is not None else _others_part(fn, who, args, kwargs)
    if others is None:
        return pd.Series(True, index=result.index)
    keys = _row_keys(result, others, rule)
    if keys:
        try:
            part = others[keys + counts].drop_duplicates(subset=keys)
            merged = result[keys].merge(part, on=keys, how="left")
        except (TypeError, ValueError):  # keys that cannot be compared: hide every mixed row
            return pd.Series(True, index=result.index)
        # A row the others' result lacks is one they add nothing to (0 is not small).
        values = merged[counts].set_axis(result.index)
    elif len(others) == len(result):
        values = others[counts].set_axis(result.index)
    else:
        return pd.Series(True, index=result.index)
    for col in counts:
        n = pd.to_numeric(values[col], errors="coerce")
        hidden |= (n >= 1) & (n < who.k)
    return hidden


def owner_of(*inputs) -> bool:
    """Does the active audience own every row of `inputs`? Inputs that name no organisation count as not owned
    (fail closed): a frame that lost its organisation column must not slip through unprotected."""
    who = current()
    if who.owns_everything:
        return True
    found = organisations_in(*inputs)
    return bool(found) and who.owns(found)


def protects(rule: Rule, within=(), shape: Callable | None = None) -> Callable:
    """Decorator: the function's DataFrame result is protected for an audience that does not own its input.

    By default the result is protected under `rule` (`protect`); `within` adds complementary suppression inside
    groups of rows (`protect_rows`); `shape(result, who)` protects a result of a shape of its own. For an organisation the
    rows whose other-organisation share is small are hidden too (`_others_small`)."""
    def wrap(fn: Callable) -> Callable:
        REGISTRY[f"{fn.__module__}.{fn.__qualname__}"] = rule

        @functools.wraps(fn)
        def guarded(*args, **kwargs):
            result = fn(*args, **kwargs)
            if not isinstance(result, pd.DataFrame) or owner_of(*args, *kwargs.values()):
                return result
            who = current()
            # The others' part is needed for an organisation, and only where there are counts or a shape to guard.
            needed = who.owned and not rule.row_level and (rule.counts or shape is not None)
            others = _others_part(fn, who, args, kwargs) if needed else None
            extra = None if rule.row_level else (_others_small(fn, rule, result, who, args, kwargs, others)
                                                  | _complement_small(result, rule, who.k))
            if shape is not None:
                # A shape that also guards totals against an organisation's subtraction takes the others' part.
                takes_others = len(inspect.signature(shape).parameters) >= 3
                out = shape(result, who, others) if takes_others else shape(result, who)
                if extra is not None and extra.any():
                    out = hide_rows(out, extra.reindex(out.index, fill_value=False).to_numpy(),
                                    [*rule.counts, *rule.values])
                return out
            if within:
                return protect_rows(result, rule, within, who, also=extra)
            return protect(result, rule, who, extra)

        return guarded
    return wrap


def is_protected(frame: pd.DataFrame) -> bool:
    return HIDDEN in frame.columns


# -- protection of aggregates beyond one flat partition (used by the needs and organisation figures) --------


def unprotected(fn):
    """The function behind a `@disclosure.protects`-style decorator: a protected function that builds on another
    one computes on the raw result and protects its own result once (protecting twice would lose the marks)."""
    return getattr(fn, "__wrapped__", fn)


def complementary(counts: pd.Series, hidden: pd.Series, k: int) -> pd.Series:
    """Which rows of ONE partition (rows whose `counts` add up to a total shown elsewhere) must be hidden so that
    no hidden count from 1 to k-1 can be recovered by subtraction: `hidden` (rows already hidden, for any reason)
    plus the smallest shown nonzero rows, one at a time, while `suppression.partition_intervals`' audit still pins a
    hidden small count down to fewer than two values. The total itself stays shown (it is published elsewhere);
    when nothing is left to hide every row is hidden."""
    values = [int(v) for v in pd.to_numeric(counts, errors="coerce").fillna(0)]
    flags = [bool(h) for h in hidden]
    status = [suppression.PRIMARY if h and 0 < v < k else suppression.SECONDARY if h else suppression.SHOWN
              for v, h in zip(values, flags)]
    total = sum(values)
    total_status = suppression.PRIMARY if 0 < total < k else suppression.SHOWN

    def recoverable() -> bool:
        return any(status[i] == suppression.PRIMARY and hi - lo + 1 < 2
                   for i, lo, hi in suppression._intervals(values, status, total, total_status, k))

    while recoverable():
        candidates = [i for i, (v, st) in enumerate(zip(values, status)) if st == suppression.SHOWN and v > 0]
        if not candidates:
            status = [suppression.SECONDARY] * len(values)
            break
        status[min(candidates, key=lambda i: (values[i], i))] = suppression.SECONDARY
    return pd.Series([st != suppression.SHOWN for st in status], index=counts.index)


def _small_rows(frame: pd.DataFrame, counts, k: int) -> pd.Series:
    """Rows with a count from 1 to k-1 in any of `counts`."""
    hidden = pd.Series(False, index=frame.index)
    for col in counts:
        n = pd.to_numeric(frame[col], errors="coerce")
        hidden |= (n >= 1) & (n < k)
    return hidden


def _close_partitions(frame: pd.DataFrame, hidden: pd.Series, partitions, k: int) -> None:
    """Hide (in `hidden`, in place) further rows of each partition (row index, count column) until no partition
    leaves a hidden cell recoverable from its shown total; repeated, since hiding a row for one partition can
    expose a cell of another."""
    changed = True
    while changed:
        changed = False
        for index, col in partitions:
            new = complementary(frame.loc[index, col], hidden.loc[index], k) & ~hidden.loc[index]
            if new.any():
                hidden.loc[new.index[new]] = True
                changed = True


def protect_rows(frame: pd.DataFrame, rule, within=(), who=None, also: pd.Series | None = None) -> pd.DataFrame:
    """`disclosure.protect` with complementary suppression inside groups: `within` lists (group columns, count
    column) pairs, each group's rows adding up to a total that is shown (a leefgebied's requests split by
    categorie; an organisation's families per leefgebied adding up to the leefgebied's). Repeated until no pair
    hides another row, since hiding a row for one partition can expose a cell of another. `also`: rows hidden
    for another reason (see `protect`)."""
    who = who or current()
    k = who.k
    hidden = pd.Series(False, index=frame.index) if also is None else also.reindex(frame.index, fill_value=True)
    hidden |= _small_rows(frame, [c for c in rule.counts if c in frame], k)
    partitions = []
    for by, col in within:
        if col in frame:
            keys = list(by) if len(by) > 1 else (by[0] if by else None)
            groups = frame.groupby(keys, sort=False, dropna=False).groups.values() if by else [frame.index]
            partitions += [(index, col) for index in groups]
    _close_partitions(frame, hidden, partitions, k)
    return protect(frame, Rule(counts=rule.counts, values=rule.values), who, also=hidden)


def protect_blocks(frame: pd.DataFrame, blocks, total=None, extra=(), who=None) -> pd.DataFrame:
    """A wide table with one row per organisation (and a total row where `total` marks it) protected per block of
    columns instead of per row: a block is (counts, values); a count from 1 to k-1 hides that block's counts and
    values in that row only, so one small count does not blank a whole organisation. Every count column is one
    partition over the organisation rows adding up to the total row (complementary suppression); `extra` lists
    helper count columns (not shown) that belong to a block and are dropped afterwards. `verborgen` is True for
    a row with any hidden block; attrs `suppressed` counts hidden cells' rows, `hidden_cells` the hidden cells."""
    who = who or current()
    k = who.k
    out = frame.copy()
    out.attrs = dict(frame.attrs)
    is_total = pd.Series(False, index=out.index) if total is None else pd.Series(total, index=out.index).astype(bool)
    rows = out.index[~is_total]
    any_hidden = pd.Series(False, index=out.index)
    any_small = pd.Series(False, index=out.index)
    cells = 0
    for counts, values in blocks:
        hidden = _small_rows(out, counts, k)
        any_small |= hidden
        _close_partitions(out, hidden, [(rows, col) for col in counts], k)
        for col in (*counts, *values):
            out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
            out.loc[hidden, col] = np.nan
        any_hidden |= hidden
        cells += int(hidden.sum()) * len((*counts, *values))
    out = out.drop(columns=[c for c in extra if c in out])
    out[HIDDEN] = any_hidden.astype(bool)
    out[SMALL] = any_small.astype(bool)
    out.attrs = dict(frame.attrs) | {"suppressed": int(any_hidden.sum()), "hidden_cells": cells, "k": k}
    return out


# -- small cells (DOMAIN §5): shapes a Rule cannot express -----------------------
# A Rule hides a row whole when one of its counts is small. Some figures need more: the cells of a distribution
# within a row (scores 1–5 of a leefgebied add up to its n), and rows whose counts add up to a total that is
# shown too (organisations and 'alle organisaties samen'). These helpers decide what to hide; the metric
# functions apply them only for a viewer who does not own every organisation in their input (`stranger`).
def stranger(*inputs) -> Audience | None:
    """The active audience when it does not own every organisation in `inputs` (its figures are protected),
    else None (an owner sees the figures as they are)."""
    return None if owner_of(*inputs) else current()


def small(value, k: int) -> bool:
    """A count from 1 to k-1 (missing is not a count)."""
    return suppression.is_suppressed(value, k)


def _pinned(column: list[int], hidden: set[int], total: int, k: int) -> list[int]:
    """The small cells among `hidden` a reader can pin down to one value from the shown cells and the total:
    a small cell lies in 1..k-1, another hidden cell anywhere from 0 up."""
    rest = total - sum(v for i, v in enumerate(column) if i not in hidden)
    bounds = {j: (1, k - 1) if small(column[j], k) else (0, float("inf")) for j in hidden}
    pinned = []
    for i in hidden:
        if not small(column[i], k):
            continue
        lo = max(1, rest - sum(b[1] for j, b in bounds.items() if j != i))
        hi = min(k - 1, rest - sum(b[0] for j, b in bounds.items() if j != i))
        if hi - lo < 1:
            pinned.append(i)
    return pinned


def suppress_rows(columns, k: int, hidden=()) -> tuple[set[int], bool]:
    """Rows (positions) to hide whole so that no count 1..k-1 in any of `columns` (lists of counts, one value
    per row) is shown or can be recovered from the column totals, which are shown too. `hidden`: rows already
    hidden. Complementary rows are the smallest other nonzero ones (they lose the least). Also returns True
    when that is not enough and the totals must be hidden as well."""
    columns = [[int(v) if v == v else 0 for v in col] for col in columns]
    rows = len(columns[0]) if columns else 0
    out = set(hidden) | {i for col in columns for i in range(rows) if small(col[i], k)}
    if any(small(sum(col), k) for col in columns):
        return out, True
    while True:
        column = next((col for col in columns if _pinned(col, out, sum(col), k)), None)
        if column is None:
            return out, False
        candidates = [i for i in range(rows) if i not in out]
        if not candidates:
            return out, True
        out.add(min(candidates, key=lambda i: (column[i] == 0, column[i], i)))


def split_cells(counts, high=(), k: int = suppression.DEFAULT_K) -> tuple[set, bool, bool]:
    """Cells of one distribution (key → count, e.g. scores 1–5 adding up to n) to hide, whether the subtotal of
    the `high` keys (score 4–5, middel + zwaar) and its share must be hidden, and whether the total must.

    When the subtotal and the rest are both not small, each part is protected as a partition of its own (both
    subtotals are shown); otherwise the whole distribution is one partition and the subtotal is hidden as soon
    as any cell is (it would be one more equation to solve a hidden cell with)."""
    keys = list(counts)
    values = [int(counts[key]) for key in keys]

    def part(names):
        if not names:
            return set(), False
        result = suppression.protect_partition(pd.Series([int(counts[n]) for n in names], dtype="int64"), k=k)
        hidden = {n for n, status in zip(names, result["status"]) if status in suppression.HIDDEN}
        return hidden, result.attrs["total_status"] != suppression.SHOWN

    n, h = sum(values), sum(int(counts[key]) for key in high if key in counts)
    if high and not small(h, k) and not small(n - h, k):
        low_hidden, low_total = part([key for key in keys if key not in high])
        high_hidden, high_total = part([key for key in keys if key in high])
        if not (low_total or high_total):
            return low_hidden | high_hidden, False, False
    hidden, total = part(keys)
    return hidden, bool(hidden) or total, total


def blank(frame: pd.DataFrame, rows, columns) -> pd.DataFrame:
    """`frame` with `columns` missing (NaN, or None for non-numeric columns) in `rows` (a bool mask)."""
    rows = pd.Series(rows, index=frame.index).astype(bool)
    if not rows.any():
        return frame
    for col in columns:
        if col not in frame:
            continue
        if pd.api.types.is_numeric_dtype(frame[col]) and not pd.api.types.is_bool_dtype(frame[col]):
            frame[col] = frame[col].astype("float64")
            frame.loc[rows, col] = np.nan
        else:
            frame[col] = frame[col].astype(object)
            frame.loc[rows, col] = None
    return frame


def hide_rows(frame: pd.DataFrame, rows, columns) -> pd.DataFrame:
    """`blank` and mark the rows hidden (`HIDDEN`; the protecting decorator keeps the mark)."""
    frame = blank(frame, rows, columns)
    mark = pd.Series(rows, index=frame.index).astype(bool)
    frame[HIDDEN] = (frame[HIDDEN].astype(bool) | mark) if HIDDEN in frame else mark
    return frame


def protect_share(frame: pd.DataFrame, n: str, part: str, derived, k: int) -> pd.DataFrame:
    """Hide `part` and its `derived` values (its %, interval) where `part` or n − `part` is a small count: the
    share of a shown n gives both back."""
    count, whole = pd.to_numeric(frame[part], errors="coerce"), pd.to_numeric(frame[n], errors="coerce")
    tiny = count.map(lambda v: small(v, k)) | (whole - count).map(lambda v: small(v, k))
    return blank(frame, tiny.to_numpy(), [part, *derived])


def protect_counts(frame: pd.DataFrame, columns, k: int) -> pd.DataFrame:
    """Primary suppression cell by cell: a count 1..k-1 in `columns` becomes missing (a count that is part of
    no published total, e.g. n.v.t. beside n)."""
    for col in columns:
        if col in frame:
            frame = blank(frame, pd.to_numeric(frame[col], errors="coerce").map(lambda v: small(v, k)).to_numpy(),
                          [col])
    return frame


def others_exact(fn: Callable, who: Audience, *args, **kwargs) -> pd.DataFrame | None:
    """The exact result of the protected function `fn` on the other organisations' rows only, for a function
    that protects its own result and must also guard an organisation's subtraction (see `_others_part`)."""
    return _others_part(getattr(fn, "__wrapped__", fn), who, args, kwargs) if who.owned else None


def protect_distributions(frame: pd.DataFrame, cells, derived: dict, k: int, high=(), share=(),
                          everything=(), others: pd.DataFrame | None = None, keys=()) -> pd.DataFrame:
    """Row by row, `cells` (count columns adding up to the row's n) as a partition (`split_cells`): a hidden
    cell and its `derived` columns (cell → columns, e.g. its % and interval) become missing; the `share`
    columns (the subtotal of the `high` cells and its %) where the subtotal must go; `everything` where even
    the row's n could be recovered (the row is then hidden). `others` (rows named by `keys`): the other
    organisations' exact part, for an organisation that could subtract its own: its distribution per row is
    protected as well, as if it were shown on its own."""
    out = frame.copy()
    out.attrs = dict(frame.attrs)
    cells = list(cells)
    keys = list(keys)
    rest = ({tuple(r[:len(keys)]): dict(zip(cells, r[len(keys):]))
             for r in others[keys + cells].itertuples(index=False)} if others is not None and keys else {})
    whole, sub, hide = [], [], {cell: [] for cell in cells}
    for key, values in zip(out[keys].itertuples(index=False) if keys else [()] * len(out),
                           out[cells].itertuples(index=False)):
        counts = {cell: int(v) if v == v else 0 for cell, v in zip(cells, values)}
        hidden, high_hidden, total_hidden = split_cells(counts, high, k)
        if tuple(key) in rest:
            theirs = {cell: int(v) if v == v else 0 for cell, v in rest[tuple(key)].items()}
            more, more_high, more_total = split_cells(theirs, high, k)
            hidden, high_hidden, total_hidden = hidden | more, high_hidden or more_high, total_hidden or more_total
        for cell in cells:
            hide[cell].append(cell in hidden)
        sub.append(high_hidden)
        whole.append(total_hidden)
    for cell in cells:
        out = blank(out, hide[cell], [cell, *derived.get(cell, ())])
    out = blank(out, sub, list(share))
    return hide_rows(out, whole, list(everything))
