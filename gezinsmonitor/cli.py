"""Command line: `python -m gezinsmonitor import|summary|export|report|template|samples|gebruiker|gebruikers`.

Whoever runs these commands has the database itself, so without `--gebruiker` a command acts as the
beheerder. `--gebruiker NAAM` runs it with that user's role instead, as the app would: for producing an export
or the key figures to hand to an organisation or a fund. It is a convenience, not a lock.

The only core module that may reach into `loaders/` (to read files) and `components/` (`report` builds the
same funder report as the page Rapport).
"""
from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import logging
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from . import audit, config, disclosure, export, summary, template, users
from .filters import Filters, period_bounds, period_filter
from .permissions import EXPORT_ROWS, OWN_ROWS, UPLOAD, Access, Principal
from .store import Store

if str(config.PROJECT_ROOT) not in sys.path:  # loaders/ sits beside the package
    sys.path.insert(0, str(config.PROJECT_ROOT))


COMMAND_LINE = Principal("opdrachtregel", "beheerder")  # no --gebruiker: who runs this has the database anyway


def _store(args) -> Store:
    return Store(args.db)


class Refused(Exception):
    """A command this user may not run; the message is Dutch."""


def _access(args) -> Access:
    """The access of `--gebruiker` (or of the beheerder without it); every change is logged in that name."""
    name = getattr(args, "gebruiker", None)
    if not name:
        return Access(COMMAND_LINE)
    principal = users.principal_for(name, args.secrets)
    audit.set_actor(audit.Actor(principal.name, principal.role))
    return Access(principal)


def cmd_import(args) -> int:
    from loaders.upload import import_upload, read_upload  # the CLI is the core's one door to loaders/

    access = _access(args)
    if not access.may(UPLOAD):
        raise Refused(f"De rol {access.role.label.lower()} mag geen gegevens inlezen. Lees in als beheerder of als "
                      "de organisatie zelf.")
    if access.role.rows == OWN_ROWS:  # an organisation reads in its own data only, under its own name
        own = access.principal.organisation
        if args.org and args.org != own:
            raise Refused(f"Gebruiker {access.principal.name} hoort bij {own} en mag geen gegevens van "
                          f"{args.org} inlezen. Laat --org weg of lees in als beheerder.")
        args.org = own
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
                                          accept_suggestions=args.accept_suggestions, created_by=audit.actor().name)
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
    access = _access(args)
    dataset = access.dataset(_store(args).load_dataset())
    with disclosure.audience(access.audience()):
        data = summary.build_summary(dataset, peildatum)
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
    access = _access(args)
    if not access.may(EXPORT_ROWS):
        raise Refused(f"De rol {access.role.label.lower()} mag geen gegevens per gezin exporteren; die rol ziet "
                      "alleen samengevatte cijfers (gebruik `summary --gebruiker " + access.principal.name + "`).")
    if not _writable(args.out):
        return 1
    dataset = access.detail(_store(args).load_dataset())  # only the rows this user may see one by one
    with disclosure.audience(access.audience()):
        export.export_workbook(dataset, args.out)
    print(f"Geëxporteerd naar {args.out}")
    return 0


class BadInput(Exception):
    """Arguments that cannot make a report (unknown organisation, empty period, too small a selection): exit 2."""


CHROMIUM = ("chromium", "chromium-browser", "google-chrome")  # headless, for `report OUT.pdf`


def _report_modules():
    """components/ (context, report): it imports Streamlit, which outside a running app warns that its caches
    live in memory; that is how a command uses them, so the warning is only noise on stderr."""
    import streamlit  # noqa: F401  (creates the logger before the warning can be written)
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)
    from components import context, report
    return context, report


def _report_filters(args, dataset, bounds) -> Filters:
    known = sorted(dataset.families["organisation"].dropna().unique())
    unknown = [o for o in args.organisatie or [] if o not in known]
    if unknown:
        raise BadInput(f"Onbekende organisatie: {', '.join(unknown)}. Kies uit: {', '.join(known) or 'geen'}. "
                       "Gebruik de naam zoals bij het inlezen (tussen aanhalingstekens als er spaties in staan).")
    period = None
    if args.van or args.tot:
        period = (args.van or bounds[0], args.tot or bounds[1])
        if period[0] > period[1]:
            raise BadInput(f"De periode {period[0]:%d-%m-%Y} t/m {period[1]:%d-%m-%Y} is leeg: --van ligt na --tot "
                           "(of na het einde van de gegevens). Kies een begindatum vóór de einddatum.")
    return Filters(organisations=tuple(dict.fromkeys(args.organisatie)) if args.organisatie else None,
                   period=period_filter(period, bounds))


def _chromium() -> str | None:
    return next((found for name in CHROMIUM if (found := shutil.which(name))), None)


def _write_pdf(html: str, out: Path, browser: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "rapport.html"
        page.write_text(html, encoding="utf-8")
        result = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                                 f"--print-to-pdf={out.resolve()}", page.as_uri()],
                                capture_output=True, text=True, timeout=180)
    if result.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        raise Refused(f"Chromium kon de PDF niet maken (code {result.returncode}). Schrijf het rapport als .html "
                      "en druk het af vanuit de browser (Afdrukken → Opslaan als PDF).")


def cmd_report(args) -> int:
    out = Path(args.out)
    kind = out.suffix.lower()
    if kind not in (".html", ".htm", ".pdf"):
        raise BadInput(f"Onbekend bestandstype '{out.suffix or '(geen)'}': het rapport wordt OUT.html of OUT.pdf.")
    browser = _chromium() if kind == ".pdf" else None
    if kind == ".pdf" and browser is None:
        raise Refused("Voor een PDF is Chromium nodig (niet gevonden). Schrijf het rapport als .html en druk het af "
                      "vanuit de browser (Afdrukken → Opslaan als PDF), of installeer chromium.")
    if not _writable(args.out):
        return 1
    context, report = _report_modules()
    access = _access(args)
    dataset = access.dataset(_store(args).load_dataset())
    bounds = period_bounds(dataset)
    if bounds is None:
        raise Refused(f"{report.NO_TRAJECTORIES} Lees eerst gegevens in (`import`).")
    chosen = _report_filters(args, dataset, bounds)
    with disclosure.audience(access.audience()):
        ctx = context.selected_context(access, dataset, chosen, args.peildatum or dt.date.today())
        if ctx.refused:
            raise BadInput(ctx.refused)
        if ctx.data.families.empty:
            raise BadInput(report.NO_FAMILIES)
        if args.anoniem and not access.role.anonymous:  # the leerkring sees letters already
            ctx = context.anonymised(ctx, context.keyed_names(ctx.full))
        html = report.build_report(ctx)
    if kind == ".pdf":
        _write_pdf(html, out, browser)
    else:
        out.write_text(html, encoding="utf-8")
    print(f"Rapport geschreven naar {out}")
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


def _new_password(args) -> str:
    if args.wachtwoord_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"Wachtwoord voor {args.name}: ")
        if getpass.getpass("Herhaal het wachtwoord: ") != password:
            raise Refused("De twee wachtwoorden zijn niet gelijk. Er is niets opgeslagen; probeer het opnieuw.")
    if len(password) < users.MIN_PASSWORD_LENGTH:
        raise Refused(f"Kies een wachtwoord van minstens {users.MIN_PASSWORD_LENGTH} tekens. Er is niets opgeslagen.")
    return password


def cmd_user(args) -> int:
    path = Path(args.secrets)
    if args.verwijder:
        if users.remove_user(args.name, path):
            print(f"Gebruiker {args.name} verwijderd uit {path}.")
            return 0
        print(f"[fout] Gebruiker {args.name} staat niet in {path}.", file=sys.stderr)
        return 1
    if not users.NAME_PATTERN.fullmatch(args.name):
        raise Refused(f"Ongeldige gebruikersnaam '{args.name}': gebruik letters, cijfers en . _ - @ (hoogstens 64 "
                      "tekens, beginnend met een letter of cijfer).")
    email = args.email.strip().lower() if args.email else None
    if args.zonder_wachtwoord and not email:
        raise Refused("--zonder-wachtwoord kan alleen met --email: zonder wachtwoord logt iemand in via de "
                      "organisatie (OIDC), herkend aan het e-mailadres.")
    fix = f"Er is niets opgeslagen. Voorbeeld: gebruiker {args.name} --rol organisatie --organisatie \"Stichting X\"."
    role, organisation = users.check_role(args.name, args.rol, args.organisatie, fix)
    users.read_secrets(path)  # a broken file is reported before the password is asked
    password_hash = None if args.zonder_wachtwoord else users.hash_password(_new_password(args))
    user = users.User(args.name, role, organisation, email, password_hash)
    users.save_user(user, path)
    print(f"Gebruiker {user.name} ({user.label}) opgeslagen in {path} (alleen leesbaar voor de eigenaar).")
    secrets = users.read_secrets(path)
    if users.auth_configured(secrets) and not email:
        print("Let op: [auth] is ingesteld, dus inloggen gaat via uw organisatie. Geef deze gebruiker een --email.")
    return 0


def cmd_users(args) -> int:
    configured = users.load(Path(args.secrets))
    if not configured.configured:
        print(f"Geen gebruikers in {args.secrets}: de app draait in demomodus (iedereen ziet alles).")
        return 0
    for user in configured.users.values():
        login = ", ".join(filter(None, ["wachtwoord" if user.password_hash else None,
                                        f"e-mail {user.email}" if user.email else None]))
        print(f"{user.name:<24} {user.label:<40} {login}")
    for name, problem in configured.problems.items():
        print(f"[fout] {problem}")
    return 1 if configured.problems else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m gezinsmonitor", description="Gezinsmonitor: opdrachtregel")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p):
        p.add_argument("--db", help="database-URL (standaard: GEZINSMONITOR_DB of data/gezinsmonitor.db)")
        return p

    def with_secrets(p):
        p.add_argument("--secrets", default=str(config.SECRETS_PATH),
                       help="het bestand met de gebruikers (standaard: .streamlit/secrets.toml van het project)")
        return p

    def as_user(p):
        p.add_argument("--gebruiker", metavar="NAAM",
                       help="uitvoeren met de rol van deze gebruiker (uit secrets.toml); zonder: als beheerder")
        return with_secrets(p)

    p = as_user(with_db(sub.add_parser("import",
                                       help="werkmappen inlezen: het registratieformat of een eigen indeling")))
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--org", help="naam van de organisatie (registratieformat: anders uit blad Toelichting; "
                                 "eigen indeling: verplicht)")
    p.add_argument("--accept-suggestions", action="store_true",
                   help="eigen indeling: de voorgestelde kolomindeling gebruiken en onzekere hulpvragen "
                        "in de wachtrij Te beoordelen zetten, in plaats van te weigeren")
    p.add_argument("--max-messages", type=int, default=200, help="hoeveel meldingen maximaal tonen")
    p.set_defaults(func=cmd_import)

    p = as_user(with_db(sub.add_parser("summary", help="kerncijfers")))
    p.add_argument("--peildatum", type=_date, help="JJJJ-MM-DD; standaard vandaag")
    p.add_argument("--json", action="store_true", help="als één JSON-object")
    p.set_defaults(func=cmd_summary)

    p = as_user(with_db(sub.add_parser("export", help="geharmoniseerde gegevens naar Excel")))
    p.add_argument("out", metavar="OUT.xlsx")
    p.set_defaults(func=cmd_export)

    p = as_user(with_db(sub.add_parser("report", help="rapport voor fondsen: één HTML-bestand (of PDF via Chromium)")))
    p.add_argument("out", metavar="OUT.html", help="het rapport: .html, of .pdf als Chromium aanwezig is")
    p.add_argument("--van", type=_date, metavar="JJJJ-MM-DD",
                   help="begin van de periode (standaard: begin van de gegevens)")
    p.add_argument("--tot", type=_date, metavar="JJJJ-MM-DD",
                   help="einde van de periode (standaard: einde van de gegevens)")
    p.add_argument("--organisatie", nargs="+", action="extend", metavar="NAAM",
                   help="alleen deze organisatie(s); standaard alle")
    p.add_argument("--peildatum", type=_date, metavar="JJJJ-MM-DD", help="standaard vandaag")
    p.add_argument("--anoniem", action="store_true", help="organisaties heten Organisatie A, B, C …")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("template", help="leeg registratieformat schrijven")
    p.add_argument("out", metavar="OUT.xlsx")
    p.set_defaults(func=cmd_template)

    p = with_db(sub.add_parser("samples", help="voorbeelddata (opnieuw) inlezen"))
    p.set_defaults(func=cmd_samples)

    p = with_secrets(sub.add_parser("gebruiker", help="gebruiker toevoegen of wijzigen (vraagt het wachtwoord)"))
    p.add_argument("name", metavar="NAAM", help="gebruikersnaam (letters, cijfers, . _ - @)")
    p.add_argument("--rol", metavar="ROL", help="beheerder, fonds, organisatie of leerkring")
    p.add_argument("--organisatie", metavar="ORG", help="bij de rol organisatie: de naam zoals bij het inlezen")
    p.add_argument("--email", metavar="E", help="e-mailadres waarmee deze gebruiker via de organisatie (OIDC) inlogt")
    p.add_argument("--wachtwoord-stdin", action="store_true",
                   help="het wachtwoord als één regel van standaardinvoer lezen (voor scripts)")
    p.add_argument("--zonder-wachtwoord", action="store_true",
                   help="geen wachtwoord: deze gebruiker logt alleen via de organisatie (OIDC) in; vraagt --email")
    p.add_argument("--verwijder", action="store_true", help="de gebruiker verwijderen")
    p.set_defaults(func=cmd_user)

    p = with_secrets(sub.add_parser("gebruikers", help="ingestelde gebruikers en fouten in hun instellingen tonen"))
    p.set_defaults(func=cmd_users)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BadInput as exc:
        print(f"[fout] {exc}", file=sys.stderr)
        return 2
    except (Refused, users.ConfigError) as exc:
        print(f"[fout] {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # unwritable output path, unreadable input
        print(f"[fout] {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"[fout] De database is niet bereikbaar of geeft een fout ({type(exc).__name__}). "
              "Controleer --db of GEZINSMONITOR_DB.", file=sys.stderr)
        return 1
