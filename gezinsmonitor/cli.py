"""Command line: `python -m gezinsmonitor import|summary|export|template|samples`.

The only core module that may reach into `loaders/` (to read files).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from . import config, export, summary, template
from .store import Store

if str(config.PROJECT_ROOT) not in sys.path:  # loaders/ sits beside the package
    sys.path.insert(0, str(config.PROJECT_ROOT))


def _store(args) -> Store:
    return Store(args.db)


def cmd_import(args) -> int:
    from loaders.upload import import_upload, read_upload  # the CLI is the core's one door to loaders/

    store = _store(args)
    worst = 0
    for path in args.files:
        path = Path(path)
        print(f"== {path.name}")
        if not path.is_file():
            print(f"[fout] Bestand niet gevonden: {path}")
            worst = 1
            continue
        upload = read_upload(path)
        result, _ = import_upload(store, upload, organisation=args.org,
                                          accept_suggestions=args.accept_suggestions, created_by="opdrachtregel")
        if result.report.issues:
            print(result.report.to_text(limit=args.max_messages))
        print(result.message)
        if not result.ok:
            worst = 1
    return worst


def _date(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"geen geldige datum: {text!r} (gebruik JJJJ-MM-DD)")


def cmd_summary(args) -> int:
    peildatum = args.peildatum or dt.date.today()
    data = summary.build_summary(_store(args).load_dataset(), peildatum)
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(f"Organisaties: {data['organisations']}  gezinnen: {data['families']}  hulpvragen: {data['help_requests']}")
        for row in data["needs"]:
            print(f"  {row['leefgebied']:<14} {row['families_pct'] or 0:5.1f}% van de gezinnen  "
                  f"{row['requests_pct'] or 0:5.1f}% van de hulpvragen")
    return 0


def _writable(out: str) -> bool:
    folder = Path(out).resolve().parent
    if not folder.is_dir():
        print(f"[fout] Map bestaat niet: {folder}", file=sys.stderr)
        return False
    return True


def cmd_export(args) -> int:
    if not _writable(args.out):
        return 1
    export.export_workbook(_store(args).load_dataset(), args.out)
    print(f"Geëxporteerd naar {args.out}")
    return 0


def cmd_template(args) -> int:
    if not _writable(args.out):
        return 1
    template.write_template(args.out)
    print(f"Registratieformat geschreven naar {args.out}")
    return 0


def cmd_samples(args) -> int:
    from loaders.samples import load_samples

    result = load_samples(_store(args), force=True)
    print(result)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m gezinsmonitor", description="Gezinsmonitor: opdrachtregel")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p):
        p.add_argument("--db", help="database-URL (standaard: GEZINSMONITOR_DB of data/gezinsmonitor.db)")
        return p

    p = with_db(sub.add_parser("import", help="werkmappen inlezen: het registratieformat of een eigen indeling"))
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--org", help="naam van de organisatie (registratieformat: anders uit blad Toelichting; "
                                 "eigen indeling: verplicht)")
    p.add_argument("--accept-suggestions", action="store_true",
                   help="eigen indeling: de voorgestelde kolomindeling gebruiken en onzekere hulpvragen "
                        "in de wachtrij Te beoordelen zetten, in plaats van te weigeren")
    p.add_argument("--max-messages", type=int, default=200, help="hoeveel meldingen maximaal tonen")
    p.set_defaults(func=cmd_import)

    p = with_db(sub.add_parser("summary", help="kerncijfers"))
    p.add_argument("--peildatum", type=_date, help="JJJJ-MM-DD; standaard vandaag")
    p.add_argument("--json", action="store_true", help="als één JSON-object")
    p.set_defaults(func=cmd_summary)

    p = with_db(sub.add_parser("export", help="geharmoniseerde gegevens naar Excel"))
    p.add_argument("out", metavar="OUT.xlsx")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("template", help="leeg registratieformat schrijven")
    p.add_argument("out", metavar="OUT.xlsx")
    p.set_defaults(func=cmd_template)

    p = with_db(sub.add_parser("samples", help="voorbeelddata (opnieuw) inlezen"))
    p.set_defaults(func=cmd_samples)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except OSError as exc:  # unwritable output path, unreadable input
        print(f"[fout] {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"[fout] De database is niet bereikbaar of geeft een fout ({type(exc).__name__}). "
              "Controleer --db of GEZINSMONITOR_DB.", file=sys.stderr)
        return 1
