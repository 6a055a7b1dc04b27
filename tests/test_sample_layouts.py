"""The six sample organisations, each in a layout of its own (sample_data/generate.py).

Checked without the product's importer: every file opens with openpyxl and has the agreed sheets and
headers; every layout carries the calibrated truth losslessly in its own form (read back here with
small test-side parsers); the messy value forms actually occur; no names of people; the files are
byte-reproducible and the committed ones are up to date.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from gezinsmonitor import taxonomy as tx
from sample_data import generate as gen

# Organisation-independent fingerprint of the calibrated truth (see `_fingerprint`), taken from the
# five-organisation generator before the redistribution: the families must stay exactly the same.
TRUTH_FINGERPRINT = "57770633aa13430397a3aff9314efb11ba7c5f9f332fd8e7d4e776a3886e3452"
A, B, C, D, E, F = (o.name for o in gen.ORGANISATIONS)
NVT = gen.NVT
REAL_NAMES = ("VVS", "GvN", "HoH", "TiW", "Samen 010", "Mano", "Wijkpastoraat", "Katrol", "Humanitas")
PEOPLE = ("Mohammed", "Fatima", "Ahmed", "Aisha", "Jan", "Piet", "Klaas", "Maria", "Anna", "Sanne", "Emma", "Daan",
          "Kevin", "Priya", "Yusuf", "de Vries", "Jansen", "de Jong", "Bakker", "Visser", "Smit", "Yilmaz")


def _fingerprint(frames) -> str:
    fam = pd.concat([s["families"] for s in frames.values()], ignore_index=True)
    per: dict[str, dict] = {}
    for key in ("requests", "progress", "hours"):
        part = pd.concat([s[key] for s in frames.values()], ignore_index=True)
        for f, g in part.groupby("family", sort=False):
            per.setdefault(f, {})[key] = tuple(tuple(str(v) for v in row)
                                               for row in g.drop(columns="family").itertuples(index=False))
    items = []
    for r in fam.drop(columns=["wijk"]).itertuples(index=False):
        d = r._asdict()
        f = d.pop("family")
        items.append(repr((tuple(str(v) for v in d.values()), per[f].get("requests"), per[f].get("progress"),
                           per[f].get("hours"))))
    return hashlib.sha256("\n".join(sorted(items)).encode()).hexdigest()


@pytest.fixture(scope="module")
def truth():
    return gen.generate()


@pytest.fixture(scope="module")
def expected():
    return gen.expected_import()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    directory = tmp_path_factory.mktemp("layouts")
    return {o.name: path for o, path in zip(gen.ORGANISATIONS, gen.write_samples(directory))}


@pytest.fixture(scope="module")
def books(files):
    return {name: load_workbook(path) for name, path in files.items()}


def rows(ws, start: int = 1) -> list[list]:
    return [list(r) for r in ws.iter_rows(min_row=start, values_only=True)]


def day(value) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def read_dmy(text: str) -> dt.date:
    d, m, y = (int(x) for x in re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", text).groups())
    return dt.date(y, m, d)


def key(lg, cat):
    return gen._key(lg, cat)


def truth_requests(frames) -> Counter:
    req = frames["requests"]
    return Counter((f, *key(lg, cat)) for f, lg, cat in zip(req["family"], req["leefgebied"], req["categorie"]))


def parse_hours(value):
    """Weekly hours as typed in B's Inzet sheet -> float (a range: its midpoint) or NVT."""
    if isinstance(value, (int, float)):
        return float(value)
    s = re.sub(r"\(.*?\)", "", value.strip().lower()).strip()
    if s in ("nvt", "n.v.t."):
        return NVT
    num = lambda x: float(x.replace(",", "."))  # noqa: E731
    if m := re.fullmatch(r"(\d+(?:,\d+)?)\s*(?:a|-)\s*(\d+(?:,\d+)?) uur", s):
        return (num(m[1]) + num(m[2])) / 2
    if m := re.fullmatch(r"(\d+) uur en (\d+) minuten", s):
        return int(m[1]) + int(m[2]) / 60
    if m := re.fullmatch(r"(\d+) (?:minuten|min)", s):
        return int(m[1]) / 60
    if m := re.fullmatch(r"(\d+(?:,\d+)?) uur", s):
        return num(m[1])
    raise AssertionError(f"onleesbare duur: {value!r}")


def parse_minutes(value) -> int:
    hours = parse_hours(value) if not isinstance(value, (int, float)) else value / 60
    return round(hours * 60)


# -- the organisations, layouts and the truth ------------------------------------------------------
def test_six_organisations_with_a_layout_each(truth):
    assert list(truth) == [A, B, C, D, E, F]
    assert sum(len(s["families"]) for s in truth.values()) == 213
    assert [len(truth[o.name]["families"]) for o in gen.ORGANISATIONS] == [o.size for o in gen.ORGANISATIONS]
    assert {gen.layout_of(name) for name in truth} == set(gen.LAYOUTS)
    for sentence in gen.LAYOUTS.values():
        assert sentence.endswith(".") and sentence.count(". ") == 0 and sentence[0].isupper()
    with pytest.raises(KeyError):
        gen.layout_of("Een echte organisatie")
    for name, sheets in truth.items():
        assert sheets["families"]["family"].str.fullmatch(r"[A-Z]{2}-\d{3}").all(), name
        assert sheets["families"]["family"].str.startswith(gen.ORGANISATION_BY_NAME[name].prefix).all()


def test_calibrated_truth_is_the_same_families(truth):
    """Same 213 families as before the redistribution: only organisation, code and wijk changed."""
    assert _fingerprint(truth) == TRUTH_FINGERPRINT


def test_hours_only_where_a_layout_carries_them(truth):
    with_hours = {name for name, s in truth.items() if len(s["hours"])}
    assert with_hours == {B, E, F}
    for name in (B, E):
        assert set(truth[name]["hours"]["family"]) == set(truth[name]["families"]["family"])


def test_generate_one_keeps_working():
    sheets = gen.generate_one(50, seed=3)
    assert len(sheets["families"]) == 50
    assert set(sheets["families"]["family"]) == set(sheets["requests"]["family"])
    assert sheets["families"]["family"].str.fullmatch(r"BM-\d{3}").all()


# -- files --------------------------------------------------------------------------------------------
def test_file_names_and_stale_files_removed(tmp_path):
    (tmp_path / "voorbeeld_oude_organisatie.xlsx").write_bytes(b"oud")
    (tmp_path / "eigen_bestand.xlsx").write_bytes(b"blijft")
    paths = gen.write_samples(tmp_path)
    assert [p.name for p in paths] == [f"voorbeeld_{gen.slug(o.name)}.xlsx" for o in gen.ORGANISATIONS]
    assert sorted(p.name for p in tmp_path.glob("voorbeeld_*.xlsx")) == sorted(p.name for p in paths)
    assert (tmp_path / "eigen_bestand.xlsx").exists()


def test_byte_reproducible_and_committed_up_to_date(files, tmp_path):
    gen._world.cache_clear()  # draw everything again, not from the cache
    again = gen.write_samples(tmp_path)
    for path in again:
        fresh = path.read_bytes()
        assert fresh == files[next(n for n, p in files.items() if p.name == path.name)].read_bytes(), path.name
        committed = gen.SAMPLE_DIR / path.name
        assert committed.exists(), f"{path.name} ontbreekt: draai python -m sample_data.generate"
        a, b = load_workbook(path), load_workbook(committed)
        assert a.sheetnames == b.sheetnames, path.name
        for name in a.sheetnames:
            assert rows(a[name]) == rows(b[name]), f"{path.name}/{name} verouderd: draai python -m sample_data.generate"


def test_every_family_exactly_once_per_organisation(truth, books):
    sheets_with_families = {
        A: [(s, 4) for s in gen.A_YEARS], B: [("Gezinnen", 3)], C: [("Cliënten", 2)], D: [("Gezinnen", 3)],
        E: [("Trajecten", 2)], F: [("Gezinnen", 2)],
    }
    for name, where in sheets_with_families.items():
        codes = [r[0] for sheet, start in where for r in rows(books[name][sheet], start)]
        assert sorted(codes) == sorted(truth[name]["families"]["family"]), name


def test_no_people_or_real_organisations(books):
    for name, wb in books.items():
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                for v in row:
                    if not isinstance(v, str):
                        if isinstance(v, int):
                            assert v < 10 ** 6, (name, ws.title, v)  # no BSN or phone numbers
                        continue
                    assert "@" not in v and not re.search(r"\d{7,}|06-?\d{8}", v), (name, ws.title, v)
                    for word in REAL_NAMES + PEOPLE:
                        assert not re.search(rf"\b{re.escape(word)}\b", v), (name, ws.title, v)


# -- A: free text, one sheet per year -----------------------------------------------------------------
def _a_rows(books):
    return [r for year in gen.A_YEARS for r in rows(books[A][year], 4)]


def test_a_sheets_and_headers(books, truth):
    wb = books[A]
    assert wb.sheetnames == [*gen.A_YEARS, "Voortgang"]
    start = dict(zip(truth[A]["families"]["family"], truth[A]["families"]["start"]))
    for year in gen.A_YEARS:
        ws = wb[year]
        assert ws["A1"].value == f"Gezinnen Buurtkracht Noord – aanmeldingen {year}"
        assert all(v is None for v in rows(ws)[1])
        assert rows(ws)[2][:-1] == list(gen.A_HEADERS) == ["Dossiernummer", "Datum aanmelding", "Einddatum",
                                                            "Reden afsluiting", "Gezinssituatie", "Aantal kinderen",
                                                            "Wijk", "Schulden", "Hulpvragen"]
        assert rows(ws)[2][-1] == gen.A_LANGUAGE_HEADER == "Beheersing Nederlands"  # taal: an appended column
        families = [r[0] for r in rows(ws, 4)]
        assert families and all(start[f].year == int(year) for f in families)
    assert rows(wb["Voortgang"])[0] == ["Dossiernummer", "Datum", "Financiën", "Gezondheid", "Wonen", "Sociaal",
                                        "Participatie", "Overig"]


def test_a_dates_in_every_form(books, truth, expected):
    fam = truth[A]["families"].set_index("family")
    exp = expected[A]["families"].set_index("family")
    forms = Counter()
    for r in _a_rows(books):
        f, start_cell, end_cell, reason = r[0], r[1], r[2], r[3]
        true_start = day(fam.loc[f, "start"])
        if isinstance(start_cell, dt.datetime):
            forms["datum"] += 1
            assert start_cell.date() == true_start
        elif re.fullmatch(r"\d{1,2}-\d{1,2}-\d{4}", start_cell):
            forms["tekst"] += 1
            assert read_dmy(start_cell) == true_start
        else:
            forms["maand"] += 1
            month, year = start_cell.split()
            assert month.lower() in gen.MONTHS_NL
            assert (int(year), gen.MONTHS_NL.index(month.lower()) + 1) == (true_start.year, true_start.month)
            assert true_start.day <= 3 and day(exp.loc[f, "start"]) == true_start.replace(day=1)
        if fam.loc[f, "status"] == tx.STATUS_AFGEROND:
            assert isinstance(end_cell, dt.datetime) and end_cell.date() == day(fam.loc[f, "end"])
            assert reason in gen.A_END_REASONS[fam.loc[f, "end_reason"]]
        else:
            assert reason is None
            if end_cell is None:
                forms["leeg"] += 1
            elif end_cell.startswith("naar verwachting"):
                forms["naar verwachting"] += 1
                _, _, month, year = end_cell.split()
                expected_end = dt.date(int(year), gen.MONTHS_NL.index(month) + 1, 1)
                assert expected_end > gen.PEILDATUM.replace(day=1)
                assert day(exp.loc[f, "expected_end"]) == expected_end
            else:
                assert end_cell in ("(nog) niet van toepassing", "loopt nog")
                forms[end_cell] += 1
    assert forms["datum"] and forms["tekst"]
    assert forms["maand"] == gen.MONTH_ONLY_FAMILIES
    for form in ("leeg", "(nog) niet van toepassing", "loopt nog", "naar verwachting"):
        assert forms[form], form


def test_a_background_in_own_words(books, truth):
    fam = truth[A]["families"].set_index("family")
    debts = Counter()
    for r in _a_rows(books):
        f, situation, children, wijk, schulden = r[0], r[4], r[5], r[6], r[7]
        row = fam.loc[f]
        kinderen = "1 kind" if row.children == 1 else f"{row.children} kinderen"
        assert situation in [t.format(kinderen=kinderen) for t in gen.A_SITUATION[row.composition]]
        assert (children, wijk) == (row.children, row.wijk)
        assert schulden == row.debts or (schulden == "ja (bewind)" and row.debts == "ja")
        debts[schulden] += 1
    assert set(debts) == {"ja", "nee", "onbekend", "ja (bewind)"}


def test_a_free_text_requests(books, truth):
    phrase_key = {}
    for k, phrases in gen.A_PHRASES.items():
        assert len(phrases) >= 3, k
        for p in phrases:
            assert "," not in p and ";" not in p and "\n" not in p, p
            assert phrase_key.setdefault(p, k) == k, f"{p!r} hoort bij twee categorieën"
    assert set(gen.A_PHRASES) == {key(lg, cat) for lg, _, cats in gen.NEEDS for cat, _ in cats}
    found, separators = Counter(), Counter()
    for r in _a_rows(books):
        text = r[8]
        separators.update(sep for sep in (", ", "; ", "\n") if sep in text)
        for phrase in re.split(r", |; |\n", text):
            found[(r[0], *phrase_key[phrase])] += 1
    assert found == truth_requests(truth[A])
    assert set(separators) == {", ", "; ", "\n"}


def test_a_voortgang_wide(books, truth):
    got = {}
    for f, date, *scores in rows(books[A]["Voortgang"], 2):
        for lg, s in zip(gen.LEEFGEBIEDEN, scores):
            assert s == "nvt" or s in range(1, 6)
            got[(f, date.date(), lg)] = NVT if s == "nvt" else s
    prog = truth[A]["progress"]
    want = {(f, day(d), lg): s for f, d, lg, s in zip(prog["family"], prog["date"], prog["leefgebied"], prog["score"])}
    assert got == want


# -- B: ticks under a merged two-row header -------------------------------------------------------------
def test_b_merged_two_row_header_and_ticks(books, truth):
    ws = books[B]["Gezinnen"]
    assert books[B].sheetnames == ["Gezinnen", "Inzet"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:F1" in merged and ws["A1"].value == "Gezin"
    header1, header2 = rows(ws)[0], rows(ws)[1]
    assert header2[:6] == ["Code", "Start", "Eind", "Status", "Samenstelling", "Kinderen"]
    column = 7
    for group, cols in gen.B_GROUPS:
        assert header1[column - 1] == group
        if len(cols) > 1:
            first, last = get_column_letter(column), get_column_letter(column + len(cols) - 1)
            assert f"{first}1:{last}1" in merged, group
        assert header2[column - 1:column - 1 + len(cols)] == [h for h, _ in cols]
        column += len(cols)
    assert len(merged) == 1 + sum(len(cols) > 1 for _, cols in gen.B_GROUPS)
    categories = [(lg, cat) for lg, cols in gen.B_GROUPS for _, cat in cols]
    fam = truth[B]["families"].set_index("family")
    ticked, ticks = Counter(), Counter()
    for r in rows(ws, 3):
        f = r[0]
        assert day(r[1]) == day(fam.loc[f, "start"]) and day(r[2]) == day(fam.loc[f, "end"])
        assert r[3] in gen.B_STATUS[fam.loc[f, "status"]] and r[4] in gen.B_COMPOSITION[fam.loc[f, "composition"]]
        for (lg, cat), v in zip(categories, r[6:]):
            if v is not None:
                ticks[v] += 1
                ticked[(f, lg, cat)] += 1
    assert set(ticks) == {"x", "X", "ja", 1, "✓"}
    assert ticked == truth_requests(truth[B])  # at most one request per categorie


def test_b_hours_as_typed_text(books, truth):
    ws = books[B]["Inzet"]
    assert rows(ws)[0] == ["Code"] + [f"{h} ({m})" for m in ("start", "nu") for h in (
        "Gesprekken", "Regelzaken", "Praktisch", "Maatje", "Groep ouder", "Groep kind", "Vrijwilligerswerk ouder")]
    fam = truth[B]["families"]
    by_moment = gen._hours_by_moment(truth[B]["hours"], fam)
    types = [t for _, t in gen.B_SUPPORT]
    forms = Counter()
    for f, *cells in rows(ws, 2):
        first, later = by_moment[f]
        want = [first[t] for t in types] + [later[t] for t in types]
        for cell, value in zip(cells, want):
            got = parse_hours(cell)
            assert got == value if value == NVT else got == pytest.approx(float(value)), (f, cell, value)
            if isinstance(cell, (int, float)):
                forms["getal" if value else "0"] += 1
            elif cell in ("nvt", "n.v.t."):
                forms[cell] += 1
            elif "(" in cell:
                forms["notitie"] += 1
            elif re.search(r"\d a \d", cell):
                forms["bereik a"] += 1
            elif re.search(r"\d-\d", cell):
                forms["bereik -"] += 1
            elif " uur en " in cell:
                forms["uur en minuten"] += 1
            elif cell.endswith("minuten"):
                forms["minuten" if value else "0"] += 1
            else:
                forms["uur" if value else "0"] += 1
    for form in ("getal", "nvt", "n.v.t.", "notitie", "bereik a", "bereik -", "uur en minuten", "minuten", "uur",
                 "0"):
        assert forms[form], form
    assert {f for f, *_ in rows(ws, 2)} == set(fam["family"])


# -- C: own codes with a legend --------------------------------------------------------------------------
def test_c_codes_and_legend(books, truth):
    wb = books[C]
    assert wb.sheetnames == ["Cliënten", "Hulpvragen", "Codes", "Metingen"]
    assert rows(wb["Cliënten"])[0] == ["Clientnr", "Ingang", "Uitstroom", "Reden", "Huishouden", "Kinderen", "Buurt",
                                       "Schuldenproblematiek"]
    assert rows(wb["Hulpvragen"])[0] == ["Clientnr", "Datum", "Code"]
    assert rows(wb["Codes"])[0] == ["Code", "Omschrijving"]
    assert rows(wb["Metingen"])[0] == ["Clientnr", "Datum", "Leefgebied", "Score"]
    legend = {code: text for code, text in rows(wb["Codes"], 2)}
    assert len(legend) == 21 and all(text for text in legend.values())
    meaning = {code: (lg, cat) for code, _, lg, cat in gen.C_CODES}
    got, lower = Counter(), 0
    req = truth[C]["requests"]
    want = Counter((f, day(d), *key(lg, cat)) for f, d, lg, cat in
                   zip(req["family"], req["date"], req["leefgebied"], req["categorie"]))
    for f, date, code in rows(wb["Hulpvragen"], 2):
        assert code.upper() in legend, code  # the legend covers every code used
        lower += code != code.upper()
        got[(f, date.date(), *meaning[code.upper()])] += 1
    assert got == want and lower > 0


def test_c_clients_and_measurements(books, truth):
    fam = truth[C]["families"].set_index("family")
    forms = Counter()
    for f, start, end, reason, household, children, buurt, debts in rows(books[C]["Cliënten"], 2):
        row = fam.loc[f]
        if isinstance(start, dt.datetime):
            forms["datum"] += 1
            start = start.date()
        elif isinstance(start, int):
            forms["serieel"] += 1
            start = gen.EXCEL_EPOCH + dt.timedelta(days=start)
        else:
            forms["tekst"] += 1
            start = read_dmy(start)
        assert start == day(row.start) and day(end) == day(row.end)
        assert (reason is None) == (row.status == tx.STATUS_LOPEND)
        assert household in gen.C_HOUSEHOLD[row.composition] and (children, buurt) == (row.children, row.wijk)
        assert debts == {"ja": "ja", "nee": "nee", "onbekend": "onb."}[row.debts]
    assert set(forms) == {"datum", "serieel", "tekst"}
    prog = truth[C]["progress"]
    want = Counter((f, day(d), lg, s) for f, d, lg, s in zip(prog["family"], prog["date"], prog["leefgebied"],
                                                             prog["score"]))
    got = Counter((f, d.date(), lg, s) for f, d, lg, s in rows(books[C]["Metingen"], 2))
    assert got == want


# -- D: ZRM ------------------------------------------------------------------------------------------------
def test_d_sheets_requests_by_zrm_domain(books, truth):
    wb = books[D]
    assert wb.sheetnames == ["Gezinnen", "Hulpvragen", "ZRM T0", "ZRM T1", "ZRM T2"]
    assert wb["Gezinnen"]["A1"].value == gen.D_TITLE
    assert rows(wb["Gezinnen"])[1] == ["Gezin", "Start traject", "Einde traject", "Samenstelling",
                                       "Aantal kinderen", "Wijk"]
    assert rows(wb["Hulpvragen"])[0] == ["Gezin", "Leefgebied (ZRM)", "Omschrijving"]
    meaning = {}
    for k, (domain, phrases) in gen.D_REQUESTS.items():
        assert domain in gen.ZRM_DOMAINS and len(phrases) >= 3
        for p in phrases:
            assert meaning.setdefault((domain, p), k) == k
    got = Counter((f, *meaning[(domain, text)]) for f, domain, text in rows(wb["Hulpvragen"], 2))
    assert got == truth_requests(truth[D])
    assert truth[D]["hours"].empty  # no hours in this layout


def test_d_zrm_levels(books, truth):
    zrm = gen.zrm_truth()
    assert set(zrm["organisation"]) == {D} and zrm["level"].between(1, 5).all()
    fam = truth[D]["families"].set_index("family")
    for moment, months in gen.ZRM_MOMENTS:
        ws = books[D][f"ZRM {moment}"]
        assert rows(ws)[0] == ["Gezin", *gen.ZRM_DOMAINS]
        got = {(r[0], d): v for r in rows(ws, 2) for d, v in zip(gen.ZRM_DOMAINS, r[1:]) if v is not None}
        part = zrm[zrm["moment"] == moment]
        assert got == dict(zip(zip(part["family"], part["domain"]), part["level"]))
        for f in {r[0] for r in rows(ws, 2)}:
            until = day(fam.loc[f, "end"]) or gen.PEILDATUM
            assert gen._add_months(day(fam.loc[f, "start"]), months) <= until
    # Improving with the family's calibrated progress on that leefgebied.
    latest = gen._latest_scores(truth[D]["progress"])
    first = zrm.sort_values("date").groupby(["family", "domain"]).agg(
        first=("level", "first"), last=("level", "last"), lg=("leefgebied", "first"), n=("moment", "size"))
    first = first[first["n"] >= 2].reset_index()
    first["score"] = [latest.get((f, lg), 0) for f, lg in zip(first["family"], first["lg"])]
    change = (first["last"] - first["first"]).groupby(first["score"].clip(upper=5)).mean()
    assert change[5] > change[3] > 0 and change.get(1, -1) < 0.5


# -- E: contact log and severity -----------------------------------------------------------------------------
def test_e_trajectories(books, truth):
    ws = books[E]["Trajecten"]
    header = rows(ws)[0]
    width = int(truth[E]["requests"].groupby("family").size().max())
    assert header == ["Nr", "Aanmelding", "Afsluiting"] + [f"Hulpvraag {k}" for k in range(1, width + 1)]
    meaning = {}
    for k, labels in gen.E_LABELS.items():
        for label in labels:
            assert meaning.setdefault(label, k) == k, label
    fam = truth[E]["families"].set_index("family")
    got = Counter()
    for f, start, end, *labels in rows(ws, 2):
        assert isinstance(start, str) and read_dmy(start) == day(fam.loc[f, "start"])
        assert (read_dmy(end) if end else None) == day(fam.loc[f, "end"])
        got.update((f, *meaning[label]) for label in labels if label)
    assert got == truth_requests(truth[E])


def test_e_contact_log(books, truth):
    ws = books[E]["Contacten"]
    assert rows(ws)[0] == ["Nr", "Datum", "Duur", "Soort contact"]
    contacts = gen.contacts_truth()
    cells = rows(ws, 2)
    assert len(cells) == len(contacts)
    forms = Counter()
    for (f, date, duration, kind), c in zip(cells, contacts.itertuples(index=False)):
        assert (f, date.date(), kind) == (c.family, day(c.date), c.contact_type)
        assert parse_minutes(duration) == c.minutes, duration
        assert gen.CONTACT_TYPES[kind][0] == c.support_type
        forms["getal" if isinstance(duration, int) else " uur en " if " uur en " in duration
              else "uur" if duration.endswith("uur") else "min"] += 1
    assert set(forms) == {"getal", " uur en ", "uur", "min"}
    assert set(contacts["contact_type"]) == set(gen.CONTACT_TYPES)
    fam = truth[E]["families"].set_index("family")
    for f, d in zip(contacts["family"], contacts["date"]):
        assert day(fam.loc[f, "start"]) <= day(d) <= (day(fam.loc[f, "end"]) or gen.PEILDATUM)


def test_e_contacts_follow_the_calibrated_hours(truth):
    """Month 0 = the weekly hours at the start, the last month with a contact = the weekly hours later,
    per family and support type, within the 5-minute rounding; participation is not in the log."""
    fam, hours = truth[E]["families"], truth[E]["hours"]
    monthly = gen.contact_hours(gen.contacts_truth(), fam)
    by_moment = gen._hours_by_moment(hours, fam)
    last_month = monthly.groupby("family")["month"].max()
    worst = 0.0
    for f in fam["family"]:
        first, later = by_moment[f]
        for t in gen.CONTACT_SUPPORT_TYPES:
            m = monthly[(monthly["family"] == f) & (monthly["support_type"] == t)].set_index("month")["hours_per_week"]
            if first[t] == NVT:
                assert later[t] == NVT and m.empty
                continue
            start = m.get(0, 0.0)
            latest = m.get(last_month[f], 0.0)
            worst = max(worst, abs(start - first[t]), abs(latest - later[t]))
    # 5-minute rounding: ± 2,5 min over the month's days in the trajectory, at least CONTACT_LAST_MONTH_MIN_DAYS.
    assert worst <= 2.5 / 60 / (gen.CONTACT_LAST_MONTH_MIN_DAYS / 7) + 1e-9
    assert set(gen.contacts_truth()["support_type"]) <= set(gen.CONTACT_SUPPORT_TYPES)
    # The learning circle's finding: intensive at the start, about a third later.
    total = monthly.groupby(["family", "month"])["hours_per_week"].sum().reset_index()
    start = total[total["month"] == 0]["hours_per_week"].mean()
    latest = total[total["month"] == total["family"].map(last_month)]["hours_per_week"].mean()
    assert 0.2 <= latest / start <= 0.5


def test_e_contacts_as_the_product_reads_them(truth):
    metrics = pytest.importorskip("gezinsmonitor.metrics")
    if not hasattr(metrics, "contact_hours_by_month"):
        pytest.skip("metrics.contact_hours_by_month ontbreekt")
    contacts = gen.contacts_truth()
    hours = pd.DataFrame({"family": contacts["family"], "organisation": contacts["organisation"],
                          "measured_on": contacts["date"], "minutes": contacts["minutes"].astype(float),
                          "support_type": contacts["support_type"], "not_applicable": False,
                          "hours_per_week": float("nan"), "moment": "contact"})
    fam = truth[E]["families"]
    trajectories = pd.DataFrame({"family": fam["family"], "start_date": fam["start"], "end_date": fam["end"]})
    monthly = metrics.contact_hours_by_month(hours, trajectories, gen.PEILDATUM, by_support_type=True)
    mine = gen.contact_hours(contacts, fam)
    theirs = monthly[monthly["contacts"] > 0].merge(mine, on=["family", "support_type", "month"])
    assert len(theirs) == len(mine)
    assert (theirs["hours_per_week_x"] - theirs["hours_per_week_y"]).abs().max() < 1e-9


def test_e_severity(books, truth):
    ws = books[E]["Ernst"]
    assert rows(ws)[0] == ["Nr", "Indicator", "Eenheid", "T0", "T1", "T2", "T3"]
    severity = gen.severity_truth()
    want = {(f, i, u, m): s for f, i, u, m, s in
            zip(severity["family"], severity["indicator"], severity["unit"], severity["moment"], severity["severity"])}
    fam = truth[E]["families"].set_index("family")
    words = Counter()
    got = {}
    for f, indicator, unit, *values in rows(ws, 2):
        assert unit in ("gezin", "ouder", "kind")
        until = day(fam.loc[f, "end"]) or gen.PEILDATUM
        for (moment, months), v in zip(gen.SEVERITY_MOMENTS, values):
            reached = gen._add_months(day(fam.loc[f, "start"]), months) <= until
            assert (v is not None) == reached  # empty after the trajectory ended
            if v is not None:
                got[(f, indicator, unit, moment)] = v
                words[v] += 1
    assert got == want
    assert set(words) == {"geen", "licht", "middel", "zwaar", "onbekend"}
    # The headline share "middel + zwaar" goes down from T0 to T2.
    known = severity[severity["severity"] != "onbekend"]
    share = known.assign(severe=known["severity"].isin(["middel", "zwaar"])).groupby("moment")["severe"].mean()
    assert share["T0"] > share["T2"]


# -- F: the registratieformat ------------------------------------------------------------------------------
def test_f_registratieformat(books, truth):
    wb = books[F]
    assert [s for s in wb.sheetnames if s != "Lijsten"] == ["Toelichting", "Gezinnen", "Hulpvragen", "Voortgang",
                                                             "Inzet"]
    assert wb["Toelichting"]["B3"].value == F
    assert len(rows(wb["Hulpvragen"], 2)) == len(truth[F]["requests"])


# -- what each file carries ------------------------------------------------------------------------------------
def test_expected_import_drops_only_what_a_layout_cannot_carry(truth, expected):
    assert list(expected) == list(truth)
    for name in truth:
        exp, tru = expected[name], truth[name]
        assert list(exp["families"]["family"]) == list(tru["families"]["family"])
        assert list(exp["requests"]["leefgebied"]) == list(tru["requests"]["leefgebied"])
    assert expected[B]["progress"].empty and expected[D]["progress"].empty and expected[E]["progress"].empty
    for name in (A, C, F):
        pd.testing.assert_frame_equal(expected[name]["progress"], truth[name]["progress"])
    pd.testing.assert_frame_equal(expected[B]["hours"], truth[B]["hours"])
    assert expected[C]["requests"]["date"].notna().all() and expected[A]["requests"]["date"].isna().all()
    assert set(expected[D]) >= {"zrm"} and set(expected[E]) >= {"contacts", "severity"}
    assert expected[E]["families"]["composition"].isna().all()
