"""The command line and roles: adding users, and commands run as a user see what that user may see."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import openpyxl
import pytest

from gezinsmonitor import cli, disclosure, summary, users
from gezinsmonitor.permissions import Principal
from tests import apptest as ui
from tests.conftest import ROOT

PASSWORD = "wachtwoord-voor-tests"
ORG_A = "Stichting Thuisfront"
ORG_B = "Buurtkracht Noord"


def run(*args, stdin: str | None = None, cwd=ROOT):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("GEZINSMONITOR_DB", None)
    return subprocess.run([sys.executable, "-m", "gezinsmonitor", *map(str, args)], cwd=cwd, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def store_copy(samples_db, tmp_path) -> str:
    """A private copy of the six-sample store (samples_db itself is shared and read-only)."""
    source = Path(samples_db.removeprefix("sqlite:///"))
    target = tmp_path / "store.db"
    shutil.copy(source, target)
    wal = source.with_name(source.name + "-wal")
    if wal.exists():
        shutil.copy(wal, target.with_name(target.name + "-wal"))
    return f"sqlite:///{target}"


@pytest.fixture
def secrets(tmp_path) -> Path:
    """A secrets file with one user of each role."""
    path = tmp_path / ".streamlit" / "secrets.toml"
    hashed = users.hash_password(PASSWORD)
    for user in [users.User("beheer", "beheerder", password_hash=hashed),
                 users.User("anna", "organisatie", ORG_A, password_hash=hashed),
                 users.User("fenna", "fonds", password_hash=hashed),
                 users.User("kees", "leerkring", password_hash=hashed)]:
        users.save_user(user, path)
    return path


# -- gebruiker -----------------------------------------------------------------------------------
def test_gebruiker_writes_a_private_entry_that_logs_in(tmp_path, monkeypatch, samples_db):
    path = tmp_path / ".streamlit" / "secrets.toml"
    result = run("gebruiker", "anna", "--rol", "organisatie", "--organisatie", ORG_A, "--wachtwoord-stdin",
                 "--secrets", path, stdin=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    assert PASSWORD not in result.stdout + result.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert PASSWORD not in text
    entry = tomllib.loads(text)["users"]["anna"]
    assert entry["role"] == "organisatie" and entry["organisation"] == ORG_A
    assert users.load(path).authenticate("anna", PASSWORD) == Principal("anna", "organisatie", ORG_A)

    # The same entry, read by the app as Streamlit reads secrets.toml, logs in.
    at = ui.app_test(monkeypatch, samples_db)
    for key, value in tomllib.loads(text).items():
        at.secrets[key] = value
    at.run()
    at.text_input(key="gm_login_name").input("anna")
    at.text_input(key="gm_login_password").input(PASSWORD)
    ui.button(at, "Inloggen").click().run()
    ui.assert_ok(at)
    assert at.session_state["gm_principal"] == Principal("anna", "organisatie", ORG_A)
    assert f"Ingelogd als **anna** (Organisatie, {ORG_A})" in ui.texts(at.sidebar.caption)


def test_gebruiker_updates_one_block_and_keeps_the_rest(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text('# database\nGEZINSMONITOR_DB = "sqlite:///x.db"\n\n[users.bob]\nrole = "fonds"\n'
                    'email = "bob@fonds.nl"\n\n# de leerkring\n[users.kees]\nrole = "leerkring"\nemail = "k@x.nl"\n')
    result = run("gebruiker", "bob", "--rol", "beheerder", "--wachtwoord-stdin", "--secrets", path,
                 stdin=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    text = path.read_text()
    secrets = tomllib.loads(text)
    assert secrets["GEZINSMONITOR_DB"] == "sqlite:///x.db"
    assert secrets["users"]["kees"] == {"role": "leerkring", "email": "k@x.nl"}
    assert secrets["users"]["bob"]["role"] == "beheerder" and "email" not in secrets["users"]["bob"]
    assert "# database" in text and "# de leerkring" in text
    assert users.load(path).authenticate("bob", PASSWORD).role == "beheerder"

    assert run("gebruiker", "bob", "--verwijder", "--secrets", path).returncode == 0
    assert set(tomllib.loads(path.read_text())["users"]) == {"kees"}
    assert run("gebruiker", "bob", "--verwijder", "--secrets", path).returncode == 1


def test_gebruiker_asks_the_password_twice(tmp_path, monkeypatch, capsys):
    path = tmp_path / "secrets.toml"
    answers = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt="": next(answers))
    assert cli.main(["gebruiker", "fenna", "--rol", "fonds", "--secrets", str(path)]) == 1
    assert "niet gelijk" in capsys.readouterr().err
    assert not path.exists()  # nothing written

    answers = iter([PASSWORD, PASSWORD])
    assert cli.main(["gebruiker", "fenna", "--rol", "fonds", "--secrets", str(path)]) == 0
    out = capsys.readouterr()
    assert PASSWORD not in out.out + out.err
    assert users.load(path).authenticate("fenna", PASSWORD) == Principal("fenna", "fonds")


@pytest.mark.parametrize("args, message", [
    (["--rol", "boekhouder"], "onbekende rol 'boekhouder'"),
    (["--rol", "organisatie"], "geen organisatie"),
    (["--rol", "fonds", "--organisatie", ORG_A], "alleen de rol organisatie"),
    ([], "geen rol"),
    (["--rol", "fonds", "--zonder-wachtwoord"], "kan alleen met --email"),
])
def test_gebruiker_refuses_a_bad_entry_and_writes_nothing(tmp_path, args, message):
    path = tmp_path / "secrets.toml"
    result = run("gebruiker", "bob", *args, "--wachtwoord-stdin", "--secrets", path, stdin=PASSWORD + "\n")
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not path.exists()


def test_gebruiker_refuses_a_short_password_and_a_bad_name(tmp_path):
    path = tmp_path / "secrets.toml"
    short = run("gebruiker", "bob", "--rol", "fonds", "--wachtwoord-stdin", "--secrets", path, stdin="kort\n")
    assert short.returncode == 1 and "minstens 10 tekens" in short.stderr
    bad = run("gebruiker", "bob]\n[auth", "--rol", "fonds", "--wachtwoord-stdin", "--secrets", path,
              stdin=PASSWORD + "\n")
    assert bad.returncode == 1 and "Ongeldige gebruikersnaam" in bad.stderr
    assert not path.exists()


def test_gebruiker_for_oidc_only(tmp_path):
    path = tmp_path / "secrets.toml"
    result = run("gebruiker", "fenna", "--rol", "fonds", "--email", "Fenna@Fonds.nl", "--zonder-wachtwoord",
                 "--secrets", path)
    assert result.returncode == 0, result.stderr
    assert tomllib.loads(path.read_text())["users"]["fenna"] == {"role": "fonds", "email": "fenna@fonds.nl"}
    assert users.load(path).by_email("fenna@fonds.nl").principal() == Principal("fenna", "fonds")
    with pytest.raises(users.LoginRefused):  # no password: no local login
        users.load(path).authenticate("fenna", "")


def test_gebruikers_lists_users_and_problems(tmp_path, secrets):
    listed = run("gebruikers", "--secrets", secrets)
    assert listed.returncode == 0
    assert "anna" in listed.stdout and f"Organisatie, {ORG_A}" in listed.stdout
    with secrets.open("a") as fh:
        fh.write('\n[users.kapot]\nrole = "organisatie"\nemail = "k@x.nl"\n')
    listed = run("gebruikers", "--secrets", secrets)
    assert listed.returncode == 1
    assert "Gebruiker 'kapot' heeft de rol organisatie maar geen organisatie" in listed.stdout


# -- commands as a user --------------------------------------------------------------------------
def _sheets(path: Path) -> dict[str, list[dict]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    sheets = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        sheets[ws.title] = [dict(zip(rows[0], row)) for row in rows[1:]]
    return sheets


def test_export_as_organisation_holds_only_its_own_rows(store_copy, secrets, tmp_path, samples):
    own = tmp_path / "anna.xlsx"
    result = run("export", own, "--db", store_copy, "--gebruiker", "anna", "--secrets", secrets)
    assert result.returncode == 0, result.stderr
    sheets = _sheets(own)
    assert {r["organisatie"] for rows in sheets.values() for r in rows} == {ORG_A}
    expected = int((samples.families["organisation"] == ORG_A).sum())
    assert len(sheets["gezinnen"]) == expected > 0
    assert all(len(sheets[name]) for name in ("trajecten", "hulpvragen", "uploads"))
    assert ORG_B not in own.read_bytes().decode("latin-1")  # not in any cell, sheet or shared string

    # Without --gebruiker the command line is the beheerder: every organisation (so the check above can fail).
    everything = tmp_path / "alles.xlsx"
    assert run("export", everything, "--db", store_copy, "--secrets", secrets).returncode == 0
    assert {r["organisatie"] for r in _sheets(everything)["gezinnen"]} == set(samples.families["organisation"])
    beheer = tmp_path / "beheer.xlsx"
    assert run("export", beheer, "--db", store_copy, "--gebruiker", "beheer", "--secrets", secrets).returncode == 0
    assert len(_sheets(beheer)["gezinnen"]) == len(samples.families)


@pytest.mark.parametrize("name, role", [("fenna", "fonds"), ("kees", "leerkring")])
def test_export_refused_for_roles_without_row_access(store_copy, secrets, tmp_path, name, role):
    out = tmp_path / "uit.xlsx"
    result = run("export", out, "--db", store_copy, "--gebruiker", name, "--secrets", secrets)
    assert result.returncode == 1
    assert f"De rol {role} mag geen gegevens per gezin exporteren" in result.stderr
    assert not out.exists()


def test_unknown_user_refused(store_copy, secrets, tmp_path):
    result = run("summary", "--db", store_copy, "--gebruiker", "niemand", "--secrets", secrets, "--json")
    assert result.returncode == 1 and "bestaat niet" in result.stderr and not result.stdout


@pytest.mark.parametrize("name, owned, anonymous", [
    (None, None, False), ("beheer", None, False), ("anna", frozenset({ORG_A}), False),
    ("fenna", frozenset(), False), ("kees", frozenset(), True),
])
def test_summary_runs_with_the_users_audience_and_dataset(store_copy, secrets, monkeypatch, capsys,
                                                          name, owned, anonymous, samples):
    seen = {}
    real = summary.build_summary

    def spy(ds, peildatum):
        seen["audience"] = disclosure.current()
        seen["organisations"] = set(ds.families["organisation"])
        return real(ds, peildatum)

    monkeypatch.setattr(summary, "build_summary", spy)
    args = ["summary", "--db", store_copy, "--secrets", str(secrets), "--json"]
    args += ["--gebruiker", name] if name else []
    assert cli.main(args) == 0
    assert seen["audience"].owned == owned
    real_names = set(samples.families["organisation"])
    if anonymous:  # a leerkring computes on organisations named A, B, C …
        assert not seen["organisations"] & real_names and len(seen["organisations"]) == len(real_names)
    else:
        assert seen["organisations"] == real_names
    assert disclosure.current().owned is None  # the audience ends with the command
    assert '"families"' in capsys.readouterr().out


def test_summary_as_fund_hides_small_counts(store_copy, secrets):
    def hidden(*user) -> int:
        result = run("summary", "--db", store_copy, "--peildatum", "2025-06-01", "--json", "--secrets", secrets, *user)
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["organisations"] == 6
        return sum(row["families"] is None for row in data["needs_detail"])

    assert hidden() == hidden("--gebruiker", "beheer")
    assert hidden("--gebruiker", "fenna") > hidden()  # categories with fewer than k families: null for a fund


def test_import_as_user(store_copy, secrets, tmp_path):
    sample = ROOT / "sample_data" / "voorbeeld_buurtkracht_noord.xlsx"
    fund = run("import", sample, "--db", store_copy, "--gebruiker", "fenna", "--secrets", secrets)
    assert fund.returncode == 1 and "De rol fonds mag geen gegevens inlezen" in fund.stderr
    other = run("import", sample, "--db", store_copy, "--gebruiker", "anna", "--org", ORG_B, "--secrets", secrets)
    assert other.returncode == 1 and f"mag geen gegevens van {ORG_B} inlezen" in other.stderr
