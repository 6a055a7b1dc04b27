"""The synthetic sample data: calibrated on the published programme figures (DOMAIN.md) and
importable through the real path (loader → validation → importer → store → metrics)."""
from __future__ import annotations

import re
from collections import Counter

import pandas as pd
import pytest

from gezinsmonitor import metrics
from gezinsmonitor import taxonomy as tx
from gezinsmonitor.importer import import_registration
from gezinsmonitor.store import Store
from gezinsmonitor.template import write_workbook
from gezinsmonitor.validation import validate
from loaders.registratieformat import read_registration
from loaders.samples import SAMPLE_DIR, load_samples, sample_files
from sample_data import generate as gen
from tests.helpers import with_raw_keys

PUBLISHED_FAMILIES_PCT = {"Financiën": 79, "Gezondheid": 40, "Wonen": 35, "Overig": 27}
PUBLISHED_REQUESTS_PCT = {"Participatie": 40, "Sociaal": 23, "Financiën": 17, "Gezondheid": 8, "Wonen": 7, "Overig": 5}
PUBLISHED_DURATION = {  # months: (afgerond, lopend)
    "0-6": (16, 30), "6-12": (21, 46), "12-18": (13, 26), "18-24": (12, 21), "24-36": (7, 21), "36+": (0, 0),
}
REAL_ABBREVIATIONS = ("VVS", "GvN", "BB", "HoH", "TiW")


@pytest.fixture(scope="module")
def generated():
    return gen.generate()


@pytest.fixture(scope="module")
def imported(generated, tmp_path_factory):
    """Write the generated frames as workbooks and import them through the real path."""
    directory = tmp_path_factory.mktemp("samples")
    store = Store(f"sqlite:///{directory / 'store.db'}")
    results = []
    for name, sheets in generated.items():
        path = directory / gen.sample_file_name(name)
        write_workbook(path, sheets, organisation=name, peildatum=gen.PEILDATUM)
        loaded = read_registration(path)
        registration = validate(loaded.raw, today=gen.PEILDATUM)
        results.append(import_registration(store, registration, file_name=path.name, sha256=loaded.sha256,
                                           is_sample=True))
    return results, with_raw_keys(store.load_dataset())


def test_import_is_clean(imported):
    results, _ = imported
    for result in results:
        assert result.status == "imported", result.report.to_text()
        assert not result.report.errors
        assert not result.report.warnings, result.report.to_text()


def test_headline_counts(imported):
    _, ds = imported
    assert ds.families["organisation"].nunique() == 6
    assert 205 <= ds.families["family"].nunique() <= 221
    assert 950 <= len(ds.requests) <= 1070
    # Every family has at least one help request.
    assert set(ds.families["family"]) == set(ds.requests["family"])


def test_needs_shares(imported):
    _, ds = imported
    needs = metrics.needs(ds.requests).set_index("leefgebied")
    for lg, published in PUBLISHED_FAMILIES_PCT.items():
        assert abs(needs.loc[lg, "families_pct"] - published) <= 3, (lg, needs.loc[lg, "families_pct"])
    for lg, published in PUBLISHED_REQUESTS_PCT.items():
        assert abs(needs.loc[lg, "requests_pct"] - published) <= 4, (lg, needs.loc[lg, "requests_pct"])


def test_needs_per_categorie(imported):
    _, ds = imported
    detail = metrics.needs_detail(ds.requests)
    by_cat = detail.dropna(subset=["categorie"]).set_index("categorie")["families_pct"]
    for lg, share, cats in gen.NEEDS:
        if len(cats) == 1 and cats[0][0] is not None:
            assert abs(by_cat[cats[0][0]] - share * 100) <= 1, cats[0][0]
    assert detail.loc[detail["leefgebied"] == "Wonen", "categorie"].isna().all()


def test_duration_table_equals_published(imported):
    _, ds = imported
    table = metrics.duration_table(ds.trajectories, gen.PEILDATUM).set_index("months")
    got = {m: (int(r.completed), int(r.ongoing)) for m, r in table.iterrows()}
    assert got == PUBLISHED_DURATION
    assert table.attrs["n"] == 213


def test_progress_picture(imported):
    _, ds = imported
    summary = metrics.progress_summary(ds.measurements).set_index("leefgebied")
    share_low, share_three = {}, {}
    for lg in tx.LEEFGEBIED_NAMES:
        counts, n = summary.loc[lg, "counts"], summary.loc[lg, "n"]
        assert n > 0
        high = (counts["4"] + counts["5"]) / n
        share_three[lg] = counts["3"] / n
        share_low[lg] = (counts["1"] + counts["2"]) / n
        assert high > 0.45, (lg, high)
        assert 0.20 <= share_three[lg] <= 0.50, (lg, share_three[lg])
    assert max(share_low, key=share_low.get) == "Wonen"
    assert max(share_three, key=share_three.get) == "Sociaal"


def test_progress_earlier_moment_not_higher(imported):
    _, ds = imported
    m = ds.measurements[~ds.measurements["not_applicable"].astype(bool)].sort_values("measured_on", kind="stable")
    g = m.groupby(["family", "leefgebied"])["value"]
    first, last = g.first(), g.last()
    assert (first <= last).all()
    assert (first < last).any()


def test_hours_drop_after_intake(imported):
    _, ds = imported
    hours = metrics.hours_first_latest(ds.hours).set_index(["support_type", "moment"])["mean_hours_per_week"]
    for t in tx.PROFESSIONAL_TYPES:
        assert hours[(t, "start")] > hours[(t, "latest")], t
    start = sum(hours[(t, "start")] for t in tx.PROFESSIONAL_TYPES)
    latest = sum(hours[(t, "latest")] for t in tx.PROFESSIONAL_TYPES)
    assert 5 <= start <= 8
    assert 1.8 <= latest <= 3.2
    # Families with hours are spread over at least three organisations; some explicit zeros.
    assert ds.hours["organisation"].nunique() >= 3
    assert (ds.hours["hours_per_week"] == 0).any()


def test_deterministic(generated):
    again = gen.generate()
    assert list(again) == list(generated)
    for name, sheets in generated.items():
        for key, frame in sheets.items():
            pd.testing.assert_frame_equal(frame, again[name][key])


def test_no_real_names_or_people(generated):
    for name, sheets in generated.items():
        for abbr in REAL_ABBREVIATIONS:
            assert not re.search(rf"\b{abbr}\b", name)
        assert sheets["families"]["family"].str.fullmatch(r"[A-Z]{2}-\d{3}").all()


def test_generate_one_scales_calibration(tmp_path):
    sheets = gen.generate_one(639, seed=7)
    assert len(sheets["families"]) == 639
    assert set(sheets["families"]["family"]) == set(sheets["requests"]["family"])
    path = tmp_path / "one.xlsx"
    write_workbook(path, sheets, organisation="Testorganisatie", peildatum=gen.PEILDATUM)
    loaded = read_registration(path)
    registration = validate(loaded.raw, today=gen.PEILDATUM)
    assert registration.report.ok, registration.report.to_text()
    trajectories = registration.families.rename(columns={"family_key": "family"})
    table = metrics.duration_table(trajectories, gen.PEILDATUM).set_index("months")
    # 639 = 3 x 213: exactly three times the published table.
    for m, (done, running) in PUBLISHED_DURATION.items():
        assert (table.loc[m, "completed"], table.loc[m, "ongoing"]) == (3 * done, 3 * running)


@pytest.fixture(scope="module")
def committed(tmp_path_factory):
    """The committed sample files (five own layouts and one registratieformat) through load_samples."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('committed') / 'store.db'}")
    message = load_samples(store)
    return message, store, with_raw_keys(store.load_dataset())


def test_committed_samples_load_through_the_harmonisation(committed):
    message, store, ds = committed
    assert len(sample_files()) == 6 and "6 van 6" in message
    batches = store.batches().set_index("organisation")
    assert set(batches["format"]) == {"eigen indeling", "registratieformat v1"}
    assert (batches["format"] == "eigen indeling").sum() == 5
    assert len(store.profiles()) == 5  # one saved profile per own layout: the showcase of harmonisation
    assert ds.families.groupby("organisation")["family"].nunique().to_dict() == {
        name: len(book["families"]) for name, book in gen.expected_import().items()}


def _multiset(frame: pd.DataFrame, cols: list[str]) -> list[tuple]:
    return sorted(tuple("" if pd.isna(v) else v for v in row) for row in frame[cols].itertuples(index=False))


@pytest.mark.parametrize("organisation", [o.name for o in gen.ORGANISATIONS])
def test_each_layout_harmonises_to_what_its_file_carries(committed, organisation):
    """Per family: start, end, status, composition and every help request's leefgebied and categorie."""
    _, store, ds = committed
    expected = gen.expected_import()[organisation]
    fam = ds.trajectories[ds.trajectories["organisation"] == organisation].set_index("family_key")
    exp = expected["families"].set_index("family")
    assert set(fam.index) == set(exp.index)
    assert (fam["start_date"] == pd.to_datetime(exp["start"]).reindex(fam.index)).all()
    exp_end = pd.to_datetime(exp["end"]).reindex(fam.index)
    assert ((fam["end_date"] == exp_end) | (fam["end_date"].isna() & exp_end.isna())).all()
    assert (fam["status"] == exp["status"].reindex(fam.index)).all()
    comp = ds.families[ds.families["organisation"] == organisation].set_index("family_key")["composition"]
    exp_comp = exp["composition"].reindex(comp.index)
    known = exp_comp.notna() & (exp_comp != "onbekend")
    assert (comp[known] == exp_comp[known]).all()

    req = ds.requests[ds.requests["organisation"] == organisation]
    counted = req[req["herkomst"] != tx.HERKOMST_TE_BEOORDELEN].drop(columns="family").rename(columns={"family_key": "family"})
    waiting = len(req) - len(counted)
    assert waiting <= 2  # the showcase keeps an uncertain text or two in the review queue
    # Measured, not forced: of the ~1,000 sample requests at most one leefgebied and two categories
    # per organisation differ from what the file meant (free text is ambiguous: "rouwverwerking").
    for cols, allowed in ((["family", "leefgebied"], 1), (["family", "leefgebied", "categorie"], 2)):
        got, want = Counter(_multiset(counted, cols)), Counter(_multiset(expected["requests"], cols))
        wrong = sum((got - want).values())
        assert wrong <= allowed, (cols, sorted((got - want).elements()))
        assert sum((want - got).values()) == wrong + waiting, cols  # nothing else went missing


def test_samples_keep_the_calibrated_picture(committed):
    _, _, ds = committed
    needs = metrics.needs(ds.requests).set_index("leefgebied")
    for lg, published in PUBLISHED_FAMILIES_PCT.items():
        assert abs(needs.loc[lg, "families_pct"] - published) <= 1.5, lg
    for lg, published in PUBLISHED_REQUESTS_PCT.items():
        assert abs(needs.loc[lg, "requests_pct"] - published) <= 1.5, lg
    table = metrics.duration_table(ds.trajectories, gen.PEILDATUM).set_index("months")
    assert {m: (int(r.completed), int(r.ongoing)) for m, r in table.iterrows()} == PUBLISHED_DURATION
    hours = metrics.hours_first_latest(ds.hours, ds.trajectories)
    total = metrics.professional_total(hours).set_index("moment")["hours_per_week"]
    assert total["start"] > 2.2 * total["latest"]  # support starts intensive and drops to about a third


def test_samples_carry_each_instrument(committed):
    _, _, ds = committed
    by_instrument = ds.measurements.groupby("instrument")["organisation"].unique().map(set).to_dict()
    assert by_instrument == {
        "voortgangsscore": {"Buurtkracht Noord", "Stichting Thuisfront", "Stichting Samen Verder"},
        "zrm": {"Wijkpost De Overkant"}, "ernst": {"Stichting Naast Elkaar"}}
    assert (ds.measurements["instrument"] == "zrm").sum() == gen.zrm_truth()["level"].notna().sum()
    contacts = ds.hours[ds.hours["moment"] == "contact"]
    assert len(contacts) == len(gen.contacts_truth())
    assert contacts["minutes"].sum() == pytest.approx(gen.contacts_truth()["minutes"].sum())


def test_write_samples_reproducible_and_committed_up_to_date(tmp_path):
    first = gen.write_samples(tmp_path / "a")
    second = gen.write_samples(tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name  # same bytes, so the same sha256 on upload
        committed = SAMPLE_DIR / a.name
        assert committed.exists(), f"{a.name} ontbreekt: draai python -m sample_data.generate"
        fresh = pd.read_excel(a, sheet_name=None, engine="calamine")
        stored = pd.read_excel(committed, sheet_name=None, engine="calamine")
        assert list(fresh) == list(stored)
        for sheet in fresh:
            pd.testing.assert_frame_equal(fresh[sheet], stored[sheet], obj=f"{a.name}/{sheet}")
    common = gen.ORGANISATION_BY_NAME["Stichting Samen Verder"]
    assert read_registration(SAMPLE_DIR / gen.sample_file_name(common.name)).raw.organisation == common.name


def test_load_samples_marks_is_sample(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'fresh.db'}")
    message = load_samples(store)
    assert "6 van 6" in message
    orgs = store.organisations()
    assert len(orgs) == 6
    assert orgs["is_sample"].astype(bool).all()
    assert store.has_sample_data()
