"""The validation report: one line per problem, in Dutch, with sheet, row and column."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

ERROR = "fout"
WARNING = "waarschuwing"
COLUMNS = ["ernst", "blad", "rij", "kolom", "waarde", "probleem", "oplossing"]


@dataclass(frozen=True)
class Issue:
    severity: str  # fout | waarschuwing
    sheet: str | None
    row: int | None  # row number as Excel shows it
    column: str | None
    message: str  # what is wrong
    fix: str = ""  # how to fix it
    value: str | None = None


@dataclass
class Report:
    issues: list[Issue] = field(default_factory=list)

    def add(self, severity, sheet, row, column, message, fix="", value=None) -> None:
        self.issues.append(Issue(severity, sheet, row, column, message, fix,
                                 None if value is None else _short(str(value), 200)))

    def error(self, sheet, row, column, message, fix="", value=None) -> None:
        self.add(ERROR, sheet, row, column, message, fix, value)

    def warning(self, sheet, row, column, message, fix="", value=None) -> None:
        self.add(WARNING, sheet, row, column, message, fix, value)

    def add_rows(self, severity, sheet, rows, column, message, fix="", values=None) -> None:
        """One issue per row number; `values` (same length) are the offending cell values."""
        values = list(values) if values is not None else [None] * len(rows)
        for row, value in zip(rows, values):
            self.add(severity, sheet, int(row), column, message, fix, value)

    def extend(self, other: "Report") -> None:
        self.issues.extend(other.issues)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_frame(self) -> pd.DataFrame:
        rows = [
            {"ernst": i.severity, "blad": i.sheet, "rij": i.row, "kolom": i.column, "waarde": i.value,
             "probleem": i.message, "oplossing": i.fix}
            for i in sorted(self.issues, key=_order)
        ]
        frame = pd.DataFrame(rows, columns=COLUMNS)
        frame["rij"] = frame["rij"].astype("Int64")
        return frame

    def summary(self) -> pd.DataFrame:
        """Counts per severity, sheet, column and problem: the readable overview of a long report."""
        frame = self.to_frame()
        if frame.empty:
            return pd.DataFrame(columns=["ernst", "blad", "kolom", "probleem", "aantal", "eerste rijen"])
        grouped = frame.fillna({"blad": "", "kolom": ""}).groupby(["ernst", "blad", "kolom", "probleem"], sort=False)
        out = grouped.agg(aantal=("probleem", "size"), rijen=("rij", lambda r: _first_rows(r)))
        return out.reset_index().rename(columns={"rijen": "eerste rijen"})

    def to_text(self, limit: int = 200) -> str:
        """Plain text for the command line."""
        lines = []
        for issue in sorted(self.issues, key=_order)[:limit]:
            where = " ".join(p for p in (
                f"blad {issue.sheet}" if issue.sheet else "",
                f"rij {issue.row}" if issue.row else "",
                f"kolom {issue.column}" if issue.column else "",
            ) if p)
            value = f" (waarde: {_short(issue.value)!r})" if issue.value is not None else ""
            fix = f" → {issue.fix}" if issue.fix else ""
            lines.append(f"[{issue.severity}] {where + ': ' if where else ''}{issue.message}{value}{fix}")
        if len(self.issues) > limit:
            lines.append(f"… en nog {len(self.issues) - limit} meldingen.")
        return "\n".join(lines)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _order(issue: Issue):
    return (issue.severity != ERROR, issue.sheet or "", issue.row or 0, issue.column or "")


def _first_rows(rows: pd.Series, n: int = 5) -> str:
    values = [str(int(r)) for r in rows.dropna().head(n)]
    more = "…" if rows.notna().sum() > n else ""
    return ", ".join(values) + more
