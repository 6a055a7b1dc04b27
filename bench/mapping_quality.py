"""Mapping quality: how well are help requests as organisations write them mapped onto the taxonomy?

    python -m bench.mapping_quality [labelled.csv ...]

Reads a labelled set (`;`-separated, UTF-8, header `tekst;leefgebied;categorie`; default
tests/data/hulpvragen_gelabeld.csv; an empty leefgebied marks a vague text that must go to review),
classifies every text with `gezinsmonitor.vocabulary.classify_request` and prints:
  right automatically  certain and the leefgebied is right
  to review            not certain (waits for a person; not counted in any figure)
  wrong automatically  certain and the leefgebied is wrong, or certain for a vague text
each as count and % of all texts, then the categorie accuracy among the right ones, the speed,
and the wrong and reviewed texts.
Acceptance criterion of the product: right >= 90% and wrong <= 3% of all texts.
"""
from __future__ import annotations

import csv
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from gezinsmonitor.vocabulary import Match, classify_request  # noqa: E402

DEFAULT_SET = ROOT / "tests" / "data" / "hulpvragen_gelabeld.csv"
TARGET_RIGHT = 0.90
TARGET_WRONG = 0.03


@dataclass
class Result:
    n: int = 0
    right: int = 0
    review: int = 0
    wrong: int = 0
    categorie_right: int = 0
    wrong_items: list[tuple[str, str, Match]] = field(default_factory=list)
    review_items: list[tuple[str, str, Match]] = field(default_factory=list)
    seconds: float = 0.0

    def pct(self, count: int) -> float:
        return 100.0 * count / self.n if self.n else 0.0


def read_set(path: Path) -> list[tuple[str, str | None, str | None]]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    return [(r["tekst"], r["leefgebied"] or None, r["categorie"] or None) for r in rows]


def evaluate(rows: list[tuple[str, str | None, str | None]]) -> Result:
    res = Result(n=len(rows))
    t0 = time.perf_counter()
    matches = [classify_request(text) for text, _lg, _cat in rows]
    res.seconds = time.perf_counter() - t0
    for (text, lg, cat), m in zip(rows, matches):
        expected = lg or "(vaag)"
        if not m.certain:
            res.review += 1
            res.review_items.append((text, expected, m))
        elif lg is not None and m.leefgebied == lg:
            res.right += 1
            res.categorie_right += m.categorie == cat
        else:
            res.wrong += 1
            res.wrong_items.append((text, expected, m))
    return res


def report(res: Result, title: str) -> str:
    lines = [
        f"{title}: n = {res.n}",
        f"  {'right automatically':<22}{res.right:>5}  {res.pct(res.right):5.1f}%   (target >= {TARGET_RIGHT:.0%})",
        f"  {'to review':<22}{res.review:>5}  {res.pct(res.review):5.1f}%",
        f"  {'wrong automatically':<22}{res.wrong:>5}  {res.pct(res.wrong):5.1f}%   (target <= {TARGET_WRONG:.0%})",
        f"  categorie right among the right ones: {res.categorie_right}/{res.right}"
        f" = {100.0 * res.categorie_right / res.right if res.right else 0:.1f}%",
        f"  speed (cold caches): {res.n / res.seconds if res.seconds else 0:,.0f} texts/s",
    ]
    if res.wrong_items:
        lines.append("  wrong automatically:")
        lines += [f"    {t!r}: expected {e}, got {m.leefgebied}/{m.categorie} ({m.herkomst}, {m.confidence}, {m.reason})"
                  for t, e, m in res.wrong_items]
    if res.review_items:
        lines.append("  to review:")
        lines += [f"    {t!r}: expected {e}, suggestion {m.leefgebied}/{m.categorie} ({m.confidence}, {m.reason})"
                  for t, e, m in res.review_items]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [DEFAULT_SET]
    ok = True
    for path in paths:
        res = evaluate(read_set(path))
        print(report(res, str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)))
        ok &= res.right >= TARGET_RIGHT * res.n and res.wrong <= TARGET_WRONG * res.n
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
