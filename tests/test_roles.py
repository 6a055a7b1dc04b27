"""Roles end to end: what an organisation, a fund and a learning circle can get out of the running app.

Organisation A must not obtain organisation B's rows through any page: no family key (pseudonym), no free text
only B wrote, no file name of B's uploads reaches A's browser, on every page A can open. The per-page
suppression tests (tests/test_suppression_*.py) check the counts; the command line and export have theirs
(tests/test_cli_roles.py, tests/test_logboek_page.py)."""
from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pytest

from gezinsmonitor import taxonomy as tx
from gezinsmonitor.permissions import Access, Principal
from gezinsmonitor.store import Store
from tests.apptest import app_test, assert_browser_json, assert_ok

OWN = "Stichting Samen Verder"
DASHBOARD = ["pages/overzicht.py", "pages/hulpvragen.py", "pages/trajectduur.py", "pages/voortgang.py",
             "pages/inzet.py", "pages/organisaties.py", "pages/kaart.py", "pages/presentatie.py"]
USER_KEY = "gm_principal"


def sent(at) -> str:
    """Everything the page sends to the browser, as one text: element texts, table cells, chart specs and
    their datasets, map specs."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader",
                 "text", "code", "exception"):
        parts.extend(str(e.value) for e in at.get(kind))
    parts.extend(f"{m.label} {m.value}" for m in at.get("metric"))
    for el in at.get("dataframe"):
        parts.append(el.value.to_csv())
    for chart in at.get("vega_lite_chart"):
        parts.append(chart.proto.spec)
        for d in chart.proto.datasets:
            parts.append(pa.ipc.open_stream(d.data.data).read_pandas().to_csv())
    for deck in at.get("deck_gl_json_chart"):
        parts.append(deck.proto.json)
    for sel in (*at.get("selectbox"), *at.get("multiselect")):
        parts.append(json.dumps([str(o) for o in sel.options]))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def secrets_of_others(samples_db):
    """What only other organisations' rows carry: family pseudonyms, free texts nobody else wrote, file names."""
    store = Store(samples_db)
    ds = store.load_dataset()
    store.engine.dispose()
    own = ds.families["organisation"] == OWN
    keys = set(ds.families.loc[~own, "family_key"])
    mine = ds.requests["organisation"] == OWN
    texts = set(ds.requests.loc[~mine, "label_raw"].dropna()) - set(ds.requests.loc[mine, "label_raw"].dropna())
    # Short words could occur anywhere by chance, and a label that is also a name of the taxonomy or an
    # instrument's item is shown as that name, not as another organisation's text.
    shared = {str(v).casefold() for frame, cols in ((ds.requests, ("leefgebied", "categorie")),
                                                    (ds.measurements, ("leefgebied", "indicator")))
              for col in cols for v in frame[col].dropna().unique()}
    shared |= {name.casefold() for lg, categories in tx.DEFAULT_TAXONOMY.leefgebieden.items()
               for name in (lg, *categories)}
    texts = {t for t in texts if len(t) >= 12 and t.casefold() not in shared}
    files = set(ds.batches.loc[ds.batches["organisation"] != OWN, "file_name"])
    assert keys and texts and files
    return keys, texts, files


def _open(monkeypatch, url: str, principal: Principal, page: str):
    at = app_test(monkeypatch, url, samples=False)
    at.session_state[USER_KEY] = principal
    at.run()
    assert_ok(at)
    if page != DASHBOARD[0]:
        at.switch_page(page).run()
        assert_ok(at)
    assert_browser_json(at)
    return at


@pytest.mark.parametrize("role", ["organisatie", "fonds", "leerkring"])
@pytest.mark.parametrize("page", DASHBOARD)
def test_no_rows_of_other_organisations_reach_the_browser(monkeypatch, samples_db, secrets_of_others, role, page):
    principal = Principal("gebruiker", role, OWN if role == "organisatie" else None)
    text = sent(_open(monkeypatch, samples_db, principal, page))
    keys, texts, files = secrets_of_others
    assert not [k for k in keys if k in text], "a family key of another organisation was sent"
    assert not [t for t in texts if t in text], "free text of another organisation was sent"
    assert not [f for f in files if f in text], "a file name of another organisation was sent"


def test_learning_circle_sees_letters_not_names(monkeypatch, samples_db):
    at = _open(monkeypatch, samples_db, Principal("kring", "leerkring"), "pages/organisaties.py")
    text = sent(at)
    assert "Organisatie A" in text
    for name in ("Samen Verder", "Thuisfront", "Buurtkracht", "Het Anker", "Naast Elkaar", "De Overkant"):
        assert name not in text


@pytest.mark.parametrize("role, management", [
    ("fonds", []), ("leerkring", []), ("organisatie", ["gegevens.py"]),
    ("beheerder", ["gegevens.py", "te_beoordelen.py", "taxonomie.py", "logboek.py"])])
def test_management_pages_follow_the_role(monkeypatch, samples_db, role, management):
    principal = Principal("x", role, OWN if role == "organisatie" else None)
    for page in ("gegevens.py", "te_beoordelen.py", "taxonomie.py", "logboek.py"):
        at = _open(monkeypatch, samples_db, principal, DASHBOARD[0])  # afresh: AppTest keeps a switched-to page
        if page in management:
            at.switch_page(f"pages/{page}").run()
            assert_ok(at)
        else:  # not registered for this role: not in the menu, and no address opens it
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(f"pages/{page}")


def test_an_organisation_cannot_subtract_its_own_families_from_a_mixed_figure(samples):
    """Thuisfront looks at itself plus Samen Verder's two-parent families (13 of them): every figure it is shown
    must leave Samen Verder's part either 0 or at least k, or subtracting Thuisfront's own rows reads it."""
    from gezinsmonitor import disclosure, metrics
    from gezinsmonitor.filters import Filters, apply
    access = Access(Principal("u", "organisatie", "Stichting Thuisfront"))
    mixed = apply(access.dataset(samples), Filters(organisations=("Stichting Samen Verder", "Stichting Thuisfront"),
                                                   compositions=("tweeouder",)))
    others = apply(mixed, Filters(organisations=("Stichting Samen Verder",)))
    checks = [(metrics.progress_summary, lambda d: (d.measurements,), "leefgebied", "n"),
              (metrics.overview, lambda d: (d.families, d.trajectories, d.requests, d.batches), "organisatie", "lopend"),
              (metrics.needs, lambda d: (d.requests,), "leefgebied", "families")]
    for fn, args, key, count in checks:
        with disclosure.audience(access.audience()):
            shown = fn(*args(mixed))
        exact = fn(*args(others)).set_index(key)[count]  # the owner's view of the others' part
        visible = shown[~shown[disclosure.HIDDEN]]
        assert len(visible) < len(shown), fn.__name__  # something is hidden here, so the check has teeth
        for name in visible[key]:
            part = exact.get(name, 0)
            assert part == 0 or part >= access.k, (fn.__name__, name, part)


def test_histogram_bins_and_map_guard_an_organisations_subtraction(samples):
    import datetime as dt

    from gezinsmonitor import disclosure, geo, metrics
    from gezinsmonitor.filters import Filters, apply
    access = Access(Principal("u", "organisatie", "Stichting Thuisfront"))
    mixed = access.dataset(samples)  # the default page: every organisation
    others = apply(mixed, Filters(organisations=tuple(sorted(set(mixed.families["organisation"])
                                                             - {"Stichting Thuisfront"}))))
    peildatum = dt.date(2026, 10, 31)
    durations = metrics.trajectory_durations(mixed.trajectories, peildatum)
    with disclosure.audience(access.audience()):
        bins = metrics.duration_bins(durations)
    exact = metrics.duration_bins(metrics.trajectory_durations(others.trajectories, peildatum),
                                  step=bins.attrs["step"]).set_index(["month", "status"])["trajectories"]
    visible = bins[~bins[disclosure.HIDDEN]]
    assert len(visible) and len(visible) < len(bins)
    for month, status in zip(visible["month"], visible["status"]):
        part = exact.get((month, status), 0)
        assert part == 0 or part >= access.k, (month, status, part)

    # The map, for Thuisfront beside Samen Verder's two-parent families (Carnisse: 19, 13 of them Thuisfront's).
    pair = apply(mixed, Filters(organisations=("Stichting Samen Verder", "Stichting Thuisfront"),
                                compositions=("tweeouder",)))
    other = apply(pair, Filters(organisations=("Stichting Samen Verder",)))
    wijken = sorted(set(pair.families["wijk"].dropna()))
    with disclosure.audience(access.audience()):
        table = geo.families_per_wijk(pair.families, wijken)
    exact = geo.families_per_wijk(other.families, wijken).set_index("area")["families"]
    shown = table[~table["suppressed"]]
    assert len(shown) and len(shown) < len(table)
    for area in shown["area"]:
        assert exact[area] == 0 or exact[area] >= access.k, (area, exact[area])


def test_duration_totals_guard_an_organisations_subtraction(samples):
    import datetime as dt

    from gezinsmonitor import disclosure, metrics
    from gezinsmonitor.filters import Filters, apply
    access = Access(Principal("u", "organisatie", "Stichting Thuisfront"))
    pair = apply(access.dataset(samples), Filters(organisations=("Stichting Samen Verder", "Stichting Thuisfront"),
                                                  compositions=("tweeouder",)))
    other = apply(pair, Filters(organisations=("Stichting Samen Verder",)))
    peildatum = dt.date(2026, 10, 31)
    with disclosure.audience(access.audience()):
        totals = metrics.tabulate_durations(metrics.trajectory_durations(pair.trajectories, peildatum)).attrs["totals"]
    rest = metrics.tabulate_durations(metrics.trajectory_durations(other.trajectories, peildatum))
    rest = {"completed": int(rest["completed"].sum()), "ongoing": int(rest["ongoing"].sum())}
    assert any(0 < n < access.k for n in rest.values())  # the case the guard is for
    for col, n in rest.items():
        assert totals[col] is None or n == 0 or n >= access.k, (col, totals[col], n)


def test_scores_within_a_leefgebied_guard_an_organisations_subtraction(samples):
    from gezinsmonitor import disclosure, metrics
    from gezinsmonitor.filters import Filters, apply
    access = Access(Principal("u", "organisatie", "Stichting Thuisfront"))
    mixed = access.dataset(samples)
    other = apply(mixed, Filters(organisations=tuple(sorted(set(mixed.families["organisation"])
                                                            - {"Stichting Thuisfront"}))))
    with disclosure.audience(access.audience()):
        shown = metrics.progress_summary(mixed.measurements)
    exact = metrics.progress_summary(other.measurements).set_index("leefgebied")["counts"]
    checked = 0
    for lg, counts, hidden in zip(shown["leefgebied"], shown["counts"], shown[disclosure.HIDDEN]):
        if hidden or counts is None:
            continue
        for score, n in counts.items():
            if n is not None:
                part = exact[lg][score] if lg in exact else 0
                assert part == 0 or part >= access.k, (lg, score, part)
                checked += 1
    assert checked


def test_distribution_cells_are_protected_on_the_other_organisations_part():
    """Directions of change (and severity levels) in one row: 30 verbeterd = 24 own + 6 of another organisation.
    The mixed row alone shows nothing small, but the organisation could subtract its own 24."""
    from gezinsmonitor import disclosure
    mixed = pd.DataFrame({"leefgebied": ["Wonen"], "instrument": ["zrm"], "verbeterd": [30], "gelijk": [25],
                          "verslechterd": [20], "n": [75]})
    others = pd.DataFrame({"leefgebied": ["Wonen"], "instrument": ["zrm"], "verbeterd": [6], "gelijk": [12],
                           "verslechterd": [14], "n": [32]})
    cells = ["verbeterd", "gelijk", "verslechterd"]
    plain = disclosure.protect_distributions(mixed, cells, {}, 10)
    assert plain[cells].notna().all(axis=None)  # on the mixed row alone nothing is small
    guarded = disclosure.protect_distributions(mixed, cells, {}, 10, others=others, keys=["leefgebied", "instrument"])
    assert pd.isna(guarded.loc[0, "verbeterd"])  # the others' 6 would follow from 30 − 24
    assert guarded[cells].isna().sum(axis=None) >= 2  # and a partner, or 75 − the rest gives it back
