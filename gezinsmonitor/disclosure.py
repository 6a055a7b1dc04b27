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
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

import pandas as pd

from . import suppression

HIDDEN = "verborgen"  # bool column of a protected frame: this row's figures are hidden
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
        return out
    k = who.k
    # Rows the function itself already hid (shapes a Rule cannot express) stay hidden.
    hidden = (out[HIDDEN].fillna(False).astype(bool) if HIDDEN in out
              else pd.Series(False, index=out.index))
    if also is not None:
        hidden |= also.reindex(out.index, fill_value=True).astype(bool)
    for col in rule.counts:
        if col in out:
            n = _number(out, col)
            hidden |= (n >= 1) & (n < k)
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


def _others_small(fn: Callable, rule: Rule, result: pd.DataFrame, who: Audience, args, kwargs) -> pd.Series:
    """Rows whose share from other organisations is 1..k-1. An organisation knows its own rows, so it could
    subtract them from a mixed figure and read what the others add: that part must itself not be small."""
    hidden = pd.Series(False, index=result.index)
    counts = [c for c in rule.counts if c in result.columns]
    if not counts or not who.owned:
        return hidden
    try:
        others = fn(*(_without(a, who.owned) for a in args), **{k: _without(v, who.owned) for k, v in kwargs.items()})
    except Exception:  # the function cannot run on the others' rows alone: hide every row that mixes them in
        return pd.Series(True, index=result.index)
    if not isinstance(others, pd.DataFrame):
        return pd.Series(True, index=result.index)
    keys = [c for c in result.columns if c in others.columns and c not in (*rule.counts, *rule.values)
            and not pd.api.types.is_numeric_dtype(result[c])]
    if keys:
        part = others[keys + counts].drop_duplicates(subset=keys)
        merged = result[keys].merge(part, on=keys, how="left")
        values = merged[counts].set_axis(result.index)
    elif len(others) == len(result):
        values = others[counts].set_axis(result.index)
    else:
        return pd.Series(True, index=result.index)
    for col in counts:
        n = pd.to_numeric(values[col], errors="coerce")
        hidden |= (n >= 1) & (n < who.k)
    return hidden


def protects(rule: Rule) -> Callable:
    """Decorator: the function's DataFrame result is protected for an audience that does not own its input."""
    def wrap(fn: Callable) -> Callable:
        REGISTRY[f"{fn.__module__}.{fn.__qualname__}"] = rule

        @functools.wraps(fn)
        def guarded(*args, **kwargs):
            result = fn(*args, **kwargs)
            who = current()
            if who.owns_everything or not isinstance(result, pd.DataFrame):
                return result
            if who.owns(organisations_in(*args, *kwargs.values())):
                return result
            extra = None if rule.row_level else _others_small(fn, rule, result, who, args, kwargs)
            return protect(result, rule, who, extra)

        guarded.rule = rule
        return guarded
    return wrap


@dataclass
class Withheld:
    """What a protected view left out, for the line under a figure."""

    rows: int = 0
    groups: int = 0
    k: int = suppression.DEFAULT_K
    notes: list[str] = field(default_factory=list)


def withheld(frame: pd.DataFrame) -> Withheld:
    return Withheld(rows=int(frame.attrs.get("rows_withheld", 0)), groups=int(frame.attrs.get("suppressed", 0)),
                    k=int(frame.attrs.get("k", suppression.DEFAULT_K)))


def is_protected(frame: pd.DataFrame) -> bool:
    return HIDDEN in frame.columns
