"""Find the table in each sheet of an organisation's own workbook.

Real sheets put a title and blank lines above the header, merge group headers over several
columns (a second header row below), keep one sheet per year, and encode moments in sheet
names ("ZRM T1") or column headers ("Gesprekken (start)"). This module turns a sheet's cell
grid into a `SheetTable`: the header of every column, its moment, and the data rows with their
Excel row numbers. It does not decide what a column means (that is `columns.py`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

import pandas as pd

from . import taxonomy as tx

HEADER_SEARCH_ROWS = 20
ROW = "_row"

# Moment tokens, in sheet names and column headers. In a header a word moment must stand in
# brackets ("Gesprekken (start)"): "Start traject" is a start date, not a moment.
_T_MOMENT = re.compile(r"\bt\s?-?\s?([0-9])\b")
_WORD_MOMENTS = (
    (re.compile(r"\b(nulmeting|0-meting|intake|start|aanmelding|begin)\b"), "start"),
    (re.compile(r"\b(nu|later|peildatum|laatste|huidig|eindmeting|eind)\b"), "later"),
)
_BRACKETS = re.compile(r"\(([^)]*)\)|\[([^\]]*)\]")
MOMENT_ORDER = ("start", "T0", "M1", "T1", "M2", "T2", "M3", "T3", "T4", "T5", "later")


@dataclass(frozen=True)
class SheetGrid:
    """A sheet as read: rows of cell values ('' for empty) and merged ranges ((r0, c0), (r1, c1)), 0-based."""

    name: str
    rows: list[list]
    merged: tuple = ()


@dataclass
class SourceColumn:
    sheet: str
    index: int  # 0-based column number in the sheet
    header: str  # as written; with a group header: "Group / Sub"
    sub: str  # the lowest header cell
    group: str | None = None  # a merged group header above it
    moment: str | None = None  # from the header or the sheet name
    base: str = ""  # the header without its moment token

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    @property
    def ref(self) -> str:
        return f"{self.sheet}!{self.letter}"


@dataclass
class SheetTable:
    sheet: str
    header_row: int  # 1-based Excel row of the lowest header row
    group_row: int | None
    columns: list[SourceColumn]
    data: pd.DataFrame  # one column per source column index (object), plus ROW
    moment: str | None = None  # moment named by the sheet
    notes: list[str] = field(default_factory=list)

    def values(self, index: int) -> pd.Series:
        return self.data[index] if index in self.data else pd.Series([None] * len(self.data), dtype=object)


def column_letter(index: int) -> str:
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _filled(v) -> bool:
    return not (v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and v != v))


def _texty(v) -> bool:
    """A header-like cell: text that is not a number or date."""
    if not isinstance(v, str) or not v.strip():
        return False
    t = v.strip()
    return not re.fullmatch(r"[\d.,:/\- ]+", t)


def moment_of(text: str, in_header: bool = True) -> tuple[str | None, str]:
    """(moment, text without the moment token) for a header (or a sheet name: in_header=False)."""
    key = tx.normalise_label(text)
    m = _T_MOMENT.search(key)
    if m:
        return f"T{m.group(1)}", _tidy(key[:m.start()] + key[m.end():])
    scopes = [(b.start(), b.end(), b.group(1) or b.group(2) or "") for b in _BRACKETS.finditer(key)]
    if not in_header:
        scopes.append((0, len(key), key))
    for start, end, part in scopes:
        for pattern, moment in _WORD_MOMENTS:
            if pattern.search(part):
                return moment, _tidy(key[:start] + key[end:]) if in_header else key
    return None, key


def _tidy(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[()\[\]]", " ", text)).strip(" -:/")


def moment_rank(moment: str | None) -> int:
    return MOMENT_ORDER.index(moment) if moment in MOMENT_ORDER else len(MOMENT_ORDER)


def _width(rows: list[list]) -> int:
    return max((len(r) for r in rows), default=0)


def _merged_group_labels(grid: SheetGrid, row: int, width: int) -> dict[int, str]:
    """Group label per column from the cells of `row`, spreading merged ranges over their columns."""
    cells = grid.rows[row] if row < len(grid.rows) else []
    labels: dict[int, str] = {}
    for j in range(width):
        v = cells[j] if j < len(cells) else ""
        if _texty(v):
            labels[j] = str(v).strip()
    for (r0, c0), (r1, c1) in grid.merged:
        if r0 <= row <= r1 and c0 in labels:
            for j in range(c0, c1 + 1):
                labels.setdefault(j, labels[c0])
    return labels


def _find_header(rows: list[list]) -> int | None:
    """The first row that reads like a header: at least two text cells, most of the row's width,
    followed by a non-empty row."""
    best = None
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = sum(_texty(v) for v in row)
        filled = sum(_filled(v) for v in row)
        if texts < 2 or texts < 0.6 * filled:
            continue
        below = next((r for r in rows[i + 1:i + 4] if any(_filled(v) for v in r)), None)
        if below is None:
            continue
        # A group row (few labels over merged ranges) is followed by the real header with more labels.
        nxt = rows[i + 1] if i + 1 < len(rows) else []
        if sum(_texty(v) for v in nxt) > texts and sum(_texty(v) for v in nxt) >= 0.6 * sum(_filled(v) for v in nxt):
            best = i + 1
            break
        best = i
        break
    return best


def read_table(grid: SheetGrid) -> SheetTable | None:
    """The sheet's table, or None when it has no header (an empty or free-text sheet)."""
    rows = grid.rows
    header_at = _find_header(rows)
    if header_at is None:
        return None
    width = _width(rows)
    header = rows[header_at]
    groups: dict[int, str] = {}
    group_row = None
    if header_at > 0:
        above = _merged_group_labels(grid, header_at - 1, width)
        # Two or more distinct labels above the header: a group row, not a title.
        if len(set(above.values())) >= 2:
            groups, group_row = above, header_at - 1
    sheet_moment, _ = moment_of(grid.name, in_header=False)
    columns: list[SourceColumn] = []
    for j in range(width):
        sub = str(header[j]).strip() if j < len(header) and _filled(header[j]) else ""
        group = groups.get(j)
        if not sub and not group:
            continue
        if not sub:
            sub, group = group, None
        text = f"{group} / {sub}" if group and tx.normalise_label(group) != tx.normalise_label(sub) else sub
        moment, base = moment_of(sub)
        columns.append(SourceColumn(grid.name, j, text, sub, group, moment or sheet_moment, base))
    body = rows[header_at + 1:]
    data = {c.index: pd.Series([r[c.index] if c.index < len(r) else "" for r in body], dtype=object) for c in columns}
    frame = pd.DataFrame(data)
    frame[ROW] = range(header_at + 2, header_at + 2 + len(body))
    if columns:
        blank = frame[[c.index for c in columns]].map(lambda v: not _filled(v)).all(axis=1)
        frame = frame.loc[~blank].reset_index(drop=True)
    return SheetTable(grid.name, header_at + 1, (group_row + 1) if group_row is not None else None, columns, frame,
                      sheet_moment)


def sheet_pattern(name: str) -> str:
    """A sheet name with its digits generalised: "2024" and "2025" are the same layout."""
    return re.sub(r"\d+", "#", tx.normalise_label(name))


def signature(tables: list[SheetTable]) -> str:
    """A stable fingerprint of a layout: sheet name patterns and their headers."""
    parts = sorted({f"{sheet_pattern(t.sheet)}|{tx.normalise_label(c.header)}" for t in tables for c in t.columns})
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]


def is_date_like(v) -> bool:
    return isinstance(v, (dt.date, dt.datetime, pd.Timestamp))
