"""The data layer's privacy: pseudonymous family keys, roles and small-cell suppression, without Streamlit."""
from __future__ import annotations

import os
import stat

import pandas as pd
import pytest
from sqlalchemy import text

from gezinsmonitor import disclosure, migrations, pseudonym, schema
from gezinsmonitor.permissions import DEMO, ROLES, Access, Principal
from gezinsmonitor.store import Store
from tests.fixtures import ORG_A
from tests.helpers import fixture_store, import_file, with_raw_keys

FIXTURE_KEYS = {"A1", "A2", "A3", "A4"}


def _all_text(store: Store) -> str:
    """Every value of every table, as one text: what a stolen database file would show."""
    parts = []
    with store.engine.connect() as conn:
        for table in schema.metadata.sorted_tables:
            for row in conn.execute(table.select()):
                parts.extend(str(v) for v in row)
    return "\n".join(parts)


# -- pseudonymous keys ---------------------------------------------------------------------------
def test_raw_family_keys_are_never_stored(db_url, fixture_paths):
    store = fixture_store(db_url, fixture_paths)
    stored = set(store.load_dataset().families["family_key"])
    assert stored and all(pseudonym.is_pseudonym(k) for k in stored)
    cells = set(_all_text(store).split("\n"))
    assert not (FIXTURE_KEYS & cells), "a raw family key is in the database"
    assert FIXTURE_KEYS <= set(with_raw_keys(store.load_dataset()).families["family_key"])


def test_pseudonym_depends_on_secret_and_organisation():
    a = pseudonym.pseudonym("Org A", "12", b"x" * 32)
    assert a == pseudonym.pseudonym("Org A", " 12 ", b"x" * 32)  # stable across uploads (and stray spaces)
    assert a != pseudonym.pseudonym("Org B", "12", b"x" * 32)  # the same number at another organisation
    assert a != pseudonym.pseudonym("Org A", "12", b"y" * 32)  # another secret
    assert pseudonym.is_pseudonym(a) and not pseudonym.is_pseudonym("12")


def test_secret_from_environment_else_a_private_generated_file(monkeypatch, tmp_path):
    monkeypatch.setenv(pseudonym.ENV_SECRET, "a-long-enough-secret-value")
    assert pseudonym.secret(tmp_path / "none.toml") == b"a-long-enough-secret-value"
    monkeypatch.delenv(pseudonym.ENV_SECRET)
    key_file = tmp_path / "data" / "pseudonym.key"
    monkeypatch.setenv(pseudonym.ENV_KEY_FILE, str(key_file))
    first = pseudonym.secret(tmp_path / "none.toml")
    assert len(first) == 64 and pseudonym.secret(tmp_path / "none.toml") == first  # written once, then reused
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[privacy]\nsecret = "from-the-secrets-file-0123"\n', encoding="utf-8")
    assert pseudonym.secret(secrets) == b"from-the-secrets-file-0123"
    monkeypatch.setenv(pseudonym.ENV_SECRET, "short")
    with pytest.raises(ValueError, match="te kort"):
        pseudonym.secret(secrets)


def test_reupload_matches_families_through_their_pseudonym(sqlite_url, fixture_paths):
    store = fixture_store(sqlite_url, fixture_paths)
    before = set(store.load_dataset().families["family_key"])
    # The same families again, in a file with other bytes (so it is not a duplicate): they replace, not add.
    import openpyxl
    book = openpyxl.load_workbook(fixture_paths[0])
    book.properties.title = "opnieuw"
    again = fixture_paths[0].with_name("opnieuw.xlsx")
    book.save(again)
    result = import_file(store, again)
    assert result.status == "imported" and result.replaced_families == result.counts["families"] > 0
    assert set(store.load_dataset().families["family_key"]) == before


def test_migration_4_pseudonymises_keys_of_an_older_store(db_url, fixture_paths):
    store = fixture_store(db_url, fixture_paths)
    expected = with_raw_keys(store.load_dataset())
    n = {name: len(getattr(expected, name)) for name in ("families", "trajectories", "requests", "hours")}
    # Take the store back to version 3, with raw keys as it had them then.
    with store.engine.begin() as conn:
        for table in (schema.families, *schema.CHILD_TABLES):
            for org_id, name in conn.execute(text("SELECT id, name FROM organisations")).all():
                for raw in FIXTURE_KEYS | {"B1", "B2", "B3"}:
                    conn.execute(text(f"UPDATE {table.name} SET family_key = :raw WHERE family_key = :p"),
                                 {"raw": raw, "p": pseudonym.pseudonym(name, raw)})
        conn.execute(text("DROP TABLE audit_log"))
        conn.execute(text("DELETE FROM schema_migrations WHERE version >= 4"))
    assert FIXTURE_KEYS <= set(store.load_dataset().families["family_key"])
    assert migrations.upgrade(store.engine) == [4, 5]
    ds = Store(engine=store.engine).load_dataset()
    assert all(pseudonym.is_pseudonym(k) for k in ds.families["family_key"])
    assert {name: len(getattr(ds, name)) for name in n} == n  # children still join their families
    pd.testing.assert_series_equal(with_raw_keys(ds).families["family_key"].sort_values(ignore_index=True),
                                   expected.families["family_key"].sort_values(ignore_index=True))


# -- roles -----------------------------------------------------------------------------------------
def test_roles_registry_and_principal_checks():
    assert set(ROLES) == {"beheerder", "fonds", "organisatie", "leerkring"}
    with pytest.raises(ValueError, match="onbekende rol"):
        Principal("x", "admin")
    with pytest.raises(ValueError, match="organisatie"):
        Principal("x", "organisatie")
    org = Access(Principal("a", "organisatie", "A"))
    assert org.may("upload", "A") and not org.may("upload", "B") and not org.may("taxonomy")
    assert Access(DEMO).may("taxonomy") and Access(DEMO).owned() is None
    assert not Access(Principal("f", "fonds")).may("export_rows")


def test_detail_rows_only_of_own_organisation(fixture_db):
    ds = Store(fixture_db).load_dataset()
    orgs = set(ds.families["organisation"])
    assert len(orgs) == 2
    mine = Access(Principal("a", "organisatie", ORG_A)).detail(ds)
    for name in ("families", "trajectories", "requests", "measurements", "hours", "batches"):
        assert set(getattr(mine, name)["organisation"]) <= {ORG_A}
    assert len(mine.families) and len(mine.families) < len(ds.families)
    fonds = Access(Principal("f", "fonds")).detail(ds)
    assert fonds.families.empty and fonds.requests.empty and fonds.batches.empty


def test_anonymous_role_sees_letters_and_no_file_names(fixture_db):
    ds = Store(fixture_db).load_dataset()
    seen = Access(Principal("l", "leerkring")).dataset(ds)
    assert set(seen.families["organisation"]) == {"Organisatie A", "Organisatie B"}
    assert seen.batches["file_name"].isna().all()
    own = Access(Principal("a", "organisatie", ORG_A)).dataset(ds)
    shown = own.batches.dropna(subset=["file_name"])
    assert len(shown) and set(shown["organisation"]) == {ORG_A}


def test_selection_too_small_only_for_other_organisations(fixture_db):
    ds = Store(fixture_db).load_dataset()
    assert len(ds.families) < 10
    assert Access(Principal("f", "fonds")).too_small(ds)
    assert not Access(DEMO).too_small(ds)
    own_only = Access(Principal("a", "organisatie", ORG_A))
    from gezinsmonitor.filters import Filters, apply
    assert not own_only.too_small(apply(ds, Filters(organisations=(ORG_A,))))


# -- disclosure ----------------------------------------------------------------------------------
@disclosure.protects(disclosure.Rule(counts=("n",), values=("pct",)))
def _per_group(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.groupby("group").size().rename("n").reset_index()
    out["pct"] = 100 * out["n"] / out["n"].sum()
    return out


def _rows(sizes: dict[str, int], organisation: str = "X") -> pd.DataFrame:
    return pd.DataFrame({"group": [g for g, n in sizes.items() for _ in range(n)], "organisation": organisation})


def test_owner_gets_exact_figures_others_get_small_rows_hidden():
    rows = _rows({"a": 25, "b": 4, "c": 12})
    exact = _per_group(rows)
    assert list(exact["n"]) == [25, 4, 12] and disclosure.HIDDEN not in exact
    with disclosure.audience(disclosure.Audience(frozenset(), 10)):
        shown = _per_group(rows)
    assert shown[disclosure.HIDDEN].tolist() == [False, True, False]
    assert shown.loc[1, ["n", "pct"]].isna().all() and shown.loc[0, "n"] == 25
    assert shown.attrs["suppressed"] == 1
    with disclosure.audience(disclosure.Audience(frozenset({"X"}), 10)):  # an organisation on its own rows
        assert list(_per_group(rows)["n"]) == [25, 4, 12]
    with disclosure.audience(disclosure.Audience(frozenset(), 3)):  # k is configurable
        assert list(_per_group(rows)["n"]) == [25, 4, 12]


def test_partition_rule_adds_complementary_suppression():
    rule = disclosure.Rule(counts=("n",), partition="n")
    frame = pd.DataFrame({"cls": ["<6", "6-12", ">12"], "n": [4, 30, 12]})
    shown = disclosure.protect(frame, rule, disclosure.Audience(frozenset(), 10))
    # 4 alone would follow from the total 46 - 30 - 12: the smallest other cell goes too.
    assert shown[disclosure.HIDDEN].tolist() == [True, False, True]


def test_row_level_rule_drops_other_organisations_rows():
    rule = disclosure.Rule(row_level=True)
    frame = pd.DataFrame({"organisation": ["A", "B", "B"], "hours": [10.0, 20.0, 30.0]})
    shown = disclosure.protect(frame, rule, disclosure.Audience(frozenset({"A"}), 10))
    assert shown["hours"].tolist() == [10.0] and shown.attrs["rows_withheld"] == 2
    assert disclosure.protect(frame, rule, disclosure.Audience(frozenset(), 10)).empty


def test_an_organisation_cannot_subtract_its_own_rows_to_read_a_small_rest():
    # Group "b": 25 of our own families and 3 of another organisation's. 28 is not small, but an organisation
    # that knows its own 25 would read the other's 3 by subtraction.
    rows = pd.concat([_rows({"a": 30, "b": 25}, "Eigen"), _rows({"a": 15, "b": 3}, "Ander")], ignore_index=True)
    with disclosure.audience(disclosure.Audience(frozenset({"Eigen"}), 10)):
        shown = _per_group(rows).set_index("group")
    assert shown.loc["a", "n"] == 45 and not shown.loc["a", disclosure.HIDDEN]
    assert shown.loc["b", disclosure.HIDDEN] and pd.isna(shown.loc["b", "n"])
    with disclosure.audience(disclosure.Audience(frozenset(), 10)):  # a fund knows neither part: 28 may be shown
        assert _per_group(rows).set_index("group").loc["b", "n"] == 28


def test_duplicate_upload_names_the_first_uploader_only_to_who_may_see_it(sqlite_url, fixture_paths):
    store = fixture_store(sqlite_url, fixture_paths)
    with disclosure.audience(disclosure.Audience(frozenset({"Een andere organisatie"}), 10)):
        result = import_file(store, fixture_paths[0])
    assert result.status == "duplicate" and result.organisation is None
    assert ORG_A not in result.message and "al eerder ingelezen" in result.message
    assert ORG_A in import_file(store, fixture_paths[0]).message  # the beheerder is told whose it was


def test_hidden_cells_read_lt_k_only_where_the_count_is_small():
    from components.figure import hidden_text
    frame = pd.DataFrame({"cls": ["<6", "6-12", ">12"], "n": [4, 30, 12]})
    shown = disclosure.protect(frame, disclosure.Rule(counts=("n",), partition="n"),
                               disclosure.Audience(frozenset(), 10))
    table = pd.DataFrame({"Klasse": shown["cls"], "Aantal": shown["n"]})
    text = hidden_text(table, shown)
    # 4 is small: '<10'. 12 is hidden only so that 4 cannot be recovered from the total: '×', not '<10'.
    assert text["Aantal"].tolist() == ["<10", "30", "×"]


def test_learning_circle_letters_do_not_follow_the_alphabet():
    from gezinsmonitor.organisations import anonymous_names
    names = [f"Organisatie {c}{i}" for i, c in enumerate("PQRSTUVWXY")]
    plain = anonymous_names(names)
    assert [plain[n] for n in sorted(names)][:2] == ["Organisatie A", "Organisatie B"]
    keyed = anonymous_names(names, b"k" * 32)
    assert sorted(keyed.values()) == sorted(plain.values()) and keyed != plain  # same letters, another order
    assert keyed == anonymous_names(list(reversed(names)), b"k" * 32)  # stable
    assert keyed != anonymous_names(names, b"m" * 32)  # and only known with the secret


def test_an_upload_under_another_secret_is_refused_not_counted_twice(sqlite_url, fixture_paths, monkeypatch):
    store = fixture_store(sqlite_url, fixture_paths[:1])
    before = {name: len(getattr(store.load_dataset(), name)) for name in ("families", "requests")}
    monkeypatch.setenv(pseudonym.ENV_SECRET, "een-ander-geheim-dan-eerst-0123")
    result = import_file(store, fixture_paths[1])
    assert result.status == "refused" and "geheim voor de pseudoniemen" in result.report.errors[0].message
    assert {name: len(getattr(store.load_dataset(), name)) for name in ("families", "requests")} == before
    assert len(store.batches()) == 1 and len(store.organisations()) == 1  # not even the organisation


@disclosure.protects(disclosure.Rule(counts=("families",), values=("pct",), complement_of=(("families", "n"),)))
def _share_per_group(frame: pd.DataFrame) -> pd.DataFrame:
    n = frame["family"].nunique()
    out = frame[frame["has"]].groupby("group")["family"].nunique().rename("families").reset_index()
    out["pct"] = 100 * out["families"] / n
    out.attrs["n"] = n
    return out


def test_a_share_whose_rest_is_small_is_hidden_too():
    # 25 families: 23 with a request on Financiën ("23 of 25" names the 2 without one), 12 on Wonen.
    frame = pd.DataFrame({"family": [f"f{i}" for i in range(25)] * 2, "organisation": "X",
                          "group": ["Financiën"] * 25 + ["Wonen"] * 25,
                          "has": [i < 23 for i in range(25)] + [i < 12 for i in range(25)]})
    with disclosure.audience(disclosure.Audience(frozenset(), 10)):
        shown = _share_per_group(frame).set_index("group")
    assert shown.loc["Financiën", disclosure.HIDDEN] and pd.isna(shown.loc["Financiën", "families"])
    assert not shown.loc["Wonen", disclosure.HIDDEN] and shown.loc["Wonen", "families"] == 12
    assert _share_per_group(frame).set_index("group").loc["Financiën", "families"] == 23  # the owner sees it
