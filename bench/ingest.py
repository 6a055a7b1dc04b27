"""Ingest benchmark: how much slower is a full import than a bare read of the same workbook?

    python -m bench.ingest [--families 20000] [--out bench/out]

1. Generates one organisation with N families (sample_data.generate.generate_one) and writes it
   in the registration format (gezinsmonitor.template.write_workbook) into OUT.
2. Measures, each in its own child process (fresh interpreter, modules imported before the clock
   starts):
   (a) a bare read: pd.read_excel(path, sheet_name=None, engine="calamine");
   (b) the full import into a fresh SQLite store file in OUT: Store + read_registration +
       validate + import_registration, i.e. what `python -m gezinsmonitor import` does.
   Peak memory is the import child's peak resident set size (getrusage(RUSAGE_SELF).ru_maxrss,
   taken in the child), interpreter and libraries included.
The last line of the output is one JSON object:
   {"families", "rows", "read_s", "import_s", "ratio", "peak_mb"}.
Targets for 20,000 families: ratio <= 2.5 and peak_mb < 1024.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_FAMILIES = 20_000
DEFAULT_OUT = ROOT / "bench" / "out"
TARGET_RATIO = 2.5
TARGET_PEAK_MB = 1024


def _peak_mb_self() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


# -- child steps: each prints one JSON line --------------------------------------------------------
def _child_read(path: Path) -> dict:
    import pandas as pd
    import python_calamine  # noqa: F401  (import before the clock starts)

    t0 = time.perf_counter()
    sheets = pd.read_excel(path, sheet_name=None, engine="calamine")
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "rows": {k: len(v) for k, v in sheets.items()}, "peak_mb": _peak_mb_self()}


def _child_import(path: Path, db: Path) -> dict:
    from gezinsmonitor.importer import import_registration
    from gezinsmonitor.store import Store
    from gezinsmonitor.validation import validate
    from loaders.registratieformat import read_registration

    if db.exists():
        db.unlink()
    phases = {}
    t0 = time.perf_counter()
    store = Store(f"sqlite:///{db}")
    t1 = time.perf_counter()
    loaded = read_registration(path)
    t2 = time.perf_counter()
    registration = validate(loaded.raw)
    t3 = time.perf_counter()
    result = import_registration(store, registration, file_name=path.name, sha256=loaded.sha256)
    t4 = time.perf_counter()
    phases = {"store": t1 - t0, "read_registration": t2 - t1, "validate": t3 - t2, "import_registration": t4 - t3}
    return {
        "seconds": t4 - t0,
        "phases": phases,
        "status": result.status,
        "counts": result.counts,
        "errors": len(result.report.errors),
        "warnings": len(result.report.warnings),
        "peak_mb": _peak_mb_self(),
    }


def _run_child(*args: str) -> dict:
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", *args],
                          cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"child step {args[0]} failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- parent ----------------------------------------------------------------------------------------
def write_bench_workbook(n_families: int, out: Path) -> tuple[Path, int]:
    from gezinsmonitor.template import write_workbook
    from sample_data.generate import PEILDATUM, generate_one

    out.mkdir(parents=True, exist_ok=True)
    sheets = generate_one(n_families)
    path = out / f"bench_{n_families}.xlsx"
    write_workbook(path, sheets, organisation="Benchmarkorganisatie", peildatum=PEILDATUM)
    return path, sum(len(f) for f in sheets.values())


def run(n_families: int, out: Path) -> dict:
    t0 = time.perf_counter()
    path, rows = write_bench_workbook(n_families, out)
    print(f"Werkmap geschreven: {path} ({rows:,} rijen, {path.stat().st_size / 1e6:.1f} MB) "
          f"in {time.perf_counter() - t0:.1f} s")

    read = _run_child("read", str(path))
    print(f"(a) kaal lezen (pandas + calamine):        {read['seconds']:.2f} s, "
          f"piek-RSS kindproces {read['peak_mb']:.0f} MB")

    imp = _run_child("import", str(path), str(out / "bench_store.db"))
    phases = ", ".join(f"{k} {v:.2f} s" for k, v in imp["phases"].items())
    print(f"(b) volledige import (lezen+valideren+opslaan): {imp['seconds']:.2f} s ({phases})")
    print(f"    status {imp['status']}, {imp['counts']}, {imp['errors']} fouten, {imp['warnings']} waarschuwingen")
    if imp["status"] != "imported":
        raise SystemExit("import did not succeed")
    ratio = imp["seconds"] / read["seconds"]
    peak = imp["peak_mb"]
    print(f"Verhouding import/lezen: {ratio:.2f} (doel <= {TARGET_RATIO}) "
          f"{'OK' if ratio <= TARGET_RATIO else 'TE HOOG'}")
    print(f"Piekgeheugen import: {peak:.0f} MB (doel < {TARGET_PEAK_MB}) "
          f"{'OK' if peak < TARGET_PEAK_MB else 'TE HOOG'}; "
          "gemeten als max. RSS van het importproces (getrusage RUSAGE_SELF in het kindproces)")
    return {
        "families": n_families,
        "rows": rows,
        "read_s": round(read["seconds"], 3),
        "import_s": round(imp["seconds"], 3),
        "ratio": round(ratio, 3),
        "peak_mb": round(peak, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark: importeren versus kaal lezen van een werkmap.")
    parser.add_argument("--families", type=int, default=DEFAULT_FAMILIES, help="aantal gezinnen (standaard 20000)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="map voor werkmap en database (standaard bench/out)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        step, *rest = args.child
        result = _child_read(Path(rest[0])) if step == "read" else _child_import(Path(rest[0]), Path(rest[1]))
        print(json.dumps(result))
        return 0
    print(json.dumps(run(args.families, args.out.resolve())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
