"""Small-count suppression as in national statistics practice (DOMAIN §5).

Primary: counts from 1 to k-1 are shown as "<k"; 0 stays 0 (an empty cell reveals nobody). The threshold
k comes from GEZINSMONITOR_SUPPRESS_BELOW, then .streamlit/secrets.toml, then 10.

Complementary (secondary): a table that also shows its total must not let a reader recover a hidden cell
by subtraction. `protect_partition` hides extra cells ("×", "verborgen om terugrekenen te voorkomen")
for one partition and its total; `partition_intervals` is the audit it relies on. `suppress()` alone is
primary suppression only: use it for a count that is not part of a published partition with a total.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from . import config, formatting

ENV_K = "GEZINSMONITOR_SUPPRESS_BELOW"
DEFAULT_K = 10


def threshold(secrets_path: Path = config.SECRETS_PATH) -> int:
    """The configured k: counts 1..k-1 are suppressed. Invalid or < 2 falls back to the default."""
    return config.int_setting(ENV_K, DEFAULT_K, 2, secrets_path)


def _k(k: int | None) -> int:
    return threshold() if k is None else int(k)


def is_suppressed(n, k: int | None = None) -> bool:
    """True for 1 <= n < k; missing values are not counts and are never suppressed."""
    if n is None or n != n:
        return False
    return 0 < int(n) < _k(k)


def label(k: int | None = None) -> str:
    """The text shown instead of a suppressed count, e.g. '<10'."""
    return f"<{_k(k)}"


def suppress(n, k: int | None = None) -> str:
    """A count as text: 0 → '0', 1..k-1 → '<k', k and more in Dutch notation ('1.234'); missing → '–'."""
    k = _k(k)
    if n is None or n != n:
        return formatting.MISSING
    return label(k) if is_suppressed(n, k) else formatting.count(n)


def suppress_series(values: pd.Series, k: int | None = None) -> pd.Series:
    k = _k(k)
    return values.map(lambda n: suppress(n, k)).astype(object)


def suppress_frame(frame: pd.DataFrame, columns: list[str], k: int | None = None) -> pd.DataFrame:
    """A copy of `frame` with the count `columns` replaced by their suppressed text."""
    k = _k(k)
    out = frame.copy()
    for col in columns:
        out[col] = suppress_series(out[col], k)
    return out


# -- complementary (secondary) suppression ------------------------------------------------------
# Status of a cell. The status vocabulary and `text()` are shared by every table shape: a later
# two-dimensional `protect_table(frame, k)` (row and column totals) returns the same statuses per cell
# and per margin, so pages render 1-D and 2-D tables alike. Not built yet because its audit is not cheap:
# row and column equations together need a linear program per hidden cell (min and max), and the usual
# shortcut "at least two hidden cells in every row and column" still leaves some cells recoverable.
SHOWN, PRIMARY, SECONDARY = "shown", "primary", "secondary"
HIDDEN = (PRIMARY, SECONDARY)
COMPLEMENTARY_MARK = "×"
COMPLEMENTARY_NOTE = "verborgen om terugrekenen te voorkomen"
# A hidden figure whose own size is not known where it is drawn (a chart label, a median, a percentage): it may
# be small or hidden so another cannot be recovered, so it reads '×', never '<k', which would claim a size.
HIDDEN_MARK = COMPLEMENTARY_MARK
HIDDEN_NOTE = "verborgen: een klein aantal of terug te rekenen uit een totaal"


def text(n, status: str, k: int | None = None) -> str:
    """A cell as text by its status: shown → Dutch count, primary → '<k', secondary → '×'."""
    if status == SECONDARY:
        return COMPLEMENTARY_MARK
    if status == PRIMARY:
        return label(k)
    return suppress(n, k)


def _bounds(n: int, status: str, k: int, cap: float) -> tuple[float, float]:
    """What a reader knows about a cell from its text and the published rule."""
    if status == PRIMARY:
        return 1, k - 1
    if status == SECONDARY:
        # Not primary and never a zero, so at least k; chosen smallest-first, so at most every shown count >= k.
        return k, cap
    return n, n


def _intervals(values: list[int], statuses: list[str], total: int, total_status: str,
               k: int) -> list[tuple[int, float, float]]:
    """(position, lo, hi) of every hidden cell; plain lists because protect_partition calls it in a loop."""
    cap = min((n for n, st in zip(values, statuses) if st == SHOWN and n >= k), default=math.inf)
    hidden = [(i, *_bounds(n, st, k, cap)) for i, (n, st) in enumerate(zip(values, statuses)) if st in HIDDEN]
    rest_lo, rest_hi = (b - sum(n for n, st in zip(values, statuses) if st not in HIDDEN)
                        for b in _bounds(total, total_status, k, math.inf))  # what the hidden cells add up to
    lo_sum = sum(lo for _, lo, _ in hidden)
    out = []
    for i, lo, hi in hidden:
        others_hi = sum(h for j, _, h in hidden if j != i)  # summed apart: infinities do not subtract
        out.append((i, max(lo, rest_lo - others_hi), min(hi, rest_hi - (lo_sum - lo))))
    return out


def partition_intervals(counts: pd.Series, status: pd.Series, total: int, total_status: str,
                        k: int | None = None) -> pd.DataFrame:
    """The audit: for every hidden cell of a one-dimensional partition, the smallest and largest value a
    reader can deduce from the shown cells, the total (shown, '<k' or '×') and the bounds each mark implies
    ('<k': 1..k-1; '×': k up to the smallest shown count >= k). Columns lo, hi; hi may be infinite.

    With one linear equation (cells add up to the total) and a box per cell these bounds are exact: a cell
    is recoverable exactly when lo == hi.
    """
    rows = _intervals([int(n) for n in counts], list(status), int(total), total_status, _k(k))
    return pd.DataFrame([(lo, hi) for _, lo, hi in rows], index=counts.index[[i for i, _, _ in rows]],
                        columns=["lo", "hi"], dtype=float)


def protect_partition(counts, total: int | None = None, k: int | None = None, min_range: int = 2) -> pd.DataFrame:
    """Primary and complementary suppression of the cells of ONE partition (e.g. families per wijk,
    including the rows 'zonder wijk' and 'onbekend': every row that adds up to the total).

    Rules:
    - primary: counts 1..k-1 are hidden as '<k'; 0 is shown (an empty cell reveals nobody).
    - complementary: while a '<k' cell can still be recovered exactly from the shown total, the shown
      cells and the bounds the marks imply (see `partition_intervals`), the smallest other nonzero shown
      cell is hidden too, as '×'. Smallest, because it loses the least information. Only '<k' cells are
      secret: a '×' cell is at least k, so a reader who pins it down learns no small count, and any such
      reasoning is already part of the '<k' cells' bounds. So one '<k' cell gets
      a '×' partner; two or more hidden cells usually suffice, since the total then gives only their
      sum, not each (standard practice) — unless the bounds pin them down, e.g. two '<10' cells adding up
      to 2 (both 1) or to 18 (both 9), or '<10' next to '×' adding up to 11 (1 + 10): then one more.
    - zeros are never hidden, so '7, 0, 0' with total 7 would give the 7 away; but such a total is itself
      below k, so it is shown as '<k' and the reader learns no more than '<k'.
    - the total stays shown. Only when no shown cell is left to hide (e.g. 1 and 10 with total 11) the
      total is hidden as '×' as well.
    - last resort: if a '<k' cell is still recoverable then (with min_range 2 only when every nonzero cell
      is below k and they add up to k-1, so each must be 1), every cell is hidden as '×', zeros included
      (attrs all_hidden).
    Not covered: a reader reasoning about why the procedure chose a cell, and differences between two
    published tables (e.g. with and without a filter).

    Because '×' cells are the smallest shown ones, a reader knows each is at most the smallest count still
    shown; that can narrow a '<k' cell to a few values (e.g. 7 next to a '×' 10 and a shown 11: 6 or 7).
    `min_range` asks for more: every '<k' cell must keep at least that many possible values (2, the
    default: it cannot be recovered exactly; k-1: a reader learns nothing beyond '<k').

    `counts`: a Series (or anything Series() accepts) of non-negative integers; `total` defaults to their
    sum and must equal it. Returns a frame on the same index with columns count, status, shown (text);
    attrs: k, total, total_status, total_shown, all_hidden.
    """
    k = _k(k)
    counts = pd.Series(counts, dtype="int64") if not isinstance(counts, pd.Series) else counts.astype("int64")
    if (counts < 0).any() or not counts.index.is_unique:
        raise ValueError("counts must be non-negative, one per uniquely labelled cell")
    if not 2 <= min_range <= max(k - 1, 2):
        raise ValueError(f"min_range must be between 2 and k-1 = {k - 1}")
    grand = int(counts.sum())
    if total is not None and int(total) != grand:
        raise ValueError(f"the cells add up to {grand}, not to the total {total}: not a partition")
    values = [int(n) for n in counts]
    status = [PRIMARY if 0 < n < k else SHOWN for n in values]
    total_status = PRIMARY if 0 < grand < k else SHOWN

    def recoverable() -> list[int]:
        """The '<k' cells a reader can narrow to fewer than min_range values."""
        return [i for i, lo, hi in _intervals(values, status, grand, total_status, k)
                if status[i] == PRIMARY and hi - lo + 1 < min_range]

    while recoverable():
        candidates = [i for i, (n, st) in enumerate(zip(values, status)) if st == SHOWN and n > 0]
        if candidates:
            # Smallest first; among equal counts the first in the given order.
            status[min(candidates, key=lambda i: (values[i], i))] = SECONDARY
        elif total_status == SHOWN:
            total_status = SECONDARY
        else:
            status = [SECONDARY] * len(values)  # nothing shown is left to hide: then show no cell at all
            break
    out = pd.DataFrame({"count": counts, "status": pd.Series(status, index=counts.index, dtype=object),
                        "shown": pd.Series([text(n, st, k) for n, st in zip(values, status)], index=counts.index,
                                           dtype=object)}, index=counts.index)
    out.attrs = {"k": k, "total": grand, "total_status": total_status,
                 "total_shown": text(grand, total_status, k),
                 "all_hidden": bool(status) and all(st == SECONDARY for st in status)}
    return out
