"""Authentication: argon2 hashes, the users in secrets.toml, and the login gate in front of every page."""
from __future__ import annotations

import time

import pytest

from components import auth, data
from gezinsmonitor import users
from gezinsmonitor.permissions import Principal
from tests import apptest as ui

PASSWORD = "correct-paard-batterij"
ORG = "Stichting Thuisfront"


@pytest.fixture(scope="module")
def password_hash() -> str:
    return users.hash_password(PASSWORD)


@pytest.fixture(autouse=True)
def fresh_throttle():
    # The throttle is shared by every session of a server process, hence by the tests in this one.
    auth.THROTTLE.clear()
    yield
    auth.THROTTLE.clear()


# -- hashing -------------------------------------------------------------------------------------
def test_hash_is_argon2id_salted_and_verifies_only_the_right_password(password_hash):
    assert password_hash.startswith("$argon2id$")
    assert PASSWORD not in password_hash
    assert users.hash_password(PASSWORD) != password_hash  # a fresh salt every time
    assert users.verify_password(password_hash, PASSWORD)
    assert not users.verify_password(password_hash, PASSWORD + "x")
    assert not users.verify_password(password_hash, "")
    assert not users.verify_password("$argon2id$kapot", PASSWORD)  # a damaged hash is a refusal, not a crash
    assert not users.verify_password("geen hash", PASSWORD)


def test_short_password_refused():
    with pytest.raises(ValueError, match="minstens 10 tekens"):
        users.hash_password("kort")


# -- the users configuration ---------------------------------------------------------------------
def test_parse_users_from_secrets(password_hash):
    configured = users.parse({
        "GEZINSMONITOR_DB": "sqlite:///x.db",
        "users": {
            "anna": {"role": "organisatie", "organisation": f" {ORG} ", "password_hash": password_hash},
            "fenna": {"role": "fonds", "password_hash": password_hash, "email": "Fenna@Fonds.NL"},
        },
    })
    assert configured.configured and not configured.problems
    assert configured.principal_for("anna") == Principal("anna", "organisatie", ORG)
    assert configured.principal_for("fenna") == Principal("fenna", "fonds")
    assert configured.by_email("fenna@fonds.nl").name == "fenna"  # e-mail addresses compare case-insensitively
    assert configured.get("anna").label == f"Organisatie, {ORG}"


def test_no_users_section_is_not_configured():
    assert not users.parse({}).configured
    assert not users.parse(None).configured
    assert not users.parse({"GEZINSMONITOR_DB": "x"}).configured


@pytest.mark.parametrize("entry, message", [
    ({"role": "boekhouder", "password_hash": "$argon2id$x"}, "onbekende rol 'boekhouder' (kies uit beheerder, fonds"),
    ({"password_hash": "$argon2id$x"}, "geen rol"),
    ({"role": "organisatie", "password_hash": "$argon2id$x"}, "de rol organisatie maar geen organisatie"),
    ({"role": "fonds", "organisation": "X", "password_hash": "$argon2id$x"}, "alleen de rol organisatie"),
    ({"role": "fonds", "password": "geheim"}, "leesbaar wachtwoord"),
    ({"role": "fonds", "password_hash": "5f4dcc3b5aa765d61d8327deb882cf99"}, "geen argon2-hash"),
    ({"role": "fonds"}, "geen password_hash"),
    ("beheerder", "geen blok [users.bob]"),
])
def test_bad_entry_is_a_dutch_problem_and_the_others_still_work(entry, message, password_hash):
    configured = users.parse({"users": {"bob": entry, "anna": {"role": "fonds", "password_hash": password_hash}}})
    assert message in configured.problems["bob"]
    assert "secrets.toml" in configured.problems["bob"] or "gebruiker bob" in configured.problems["bob"]
    with pytest.raises(users.ConfigError, match="bob"):
        configured.principal_for("bob")
    with pytest.raises(users.LoginRefused, match="Onbekende gebruiker of onjuist wachtwoord"):
        configured.authenticate("bob", PASSWORD)
    assert configured.authenticate("anna", PASSWORD) == Principal("anna", "fonds")


def test_users_section_that_is_not_a_table_keeps_the_app_closed():
    configured = users.parse({"users": "anna"})
    assert configured.configured and not configured.users  # configured: no fallback to demo mode
    assert "geen tabel" in configured.problems[""]
    assert "lege [users]-sectie" in users.parse({"users": {}}).problems[""]


def test_unknown_name_and_wrong_password_get_the_same_answer(password_hash):
    configured = users.parse({"users": {"anna": {"role": "fonds", "password_hash": password_hash}}})
    answers = []
    for name, password in [("anna", "verkeerd-wachtwoord"), ("niemand", PASSWORD), ("", "")]:
        with pytest.raises(users.LoginRefused) as refused:
            configured.authenticate(name, password)
        answers.append(str(refused.value))
    assert answers == [users.REFUSED] * 3
    assert configured.authenticate(" anna ", PASSWORD).name == "anna"


def test_email_given_to_two_users_matches_nobody():
    configured = users.parse({"users": {"a": {"role": "fonds", "email": "x@y.nl"},
                                        "b": {"role": "leerkring", "email": "X@y.nl"}}})
    assert configured.by_email("x@y.nl") is None
    assert "meer dan één gebruiker" in configured.problem_for_email("x@y.nl")


def test_load_from_file_and_principal_for(tmp_path, password_hash):
    path = tmp_path / "secrets.toml"
    path.write_text(f'[users.anna]\nrole = "organisatie"\norganisation = "{ORG}"\npassword_hash = "{password_hash}"\n')
    assert users.principal_for("anna", path) == Principal("anna", "organisatie", ORG)
    with pytest.raises(users.ConfigError, match="bestaat niet"):
        users.principal_for("bob", path)
    path.write_text("[users.anna\nrole = ")
    with pytest.raises(users.ConfigError, match="geen geldig TOML-bestand"):
        users.load(path)
    assert not users.load(tmp_path / "ontbreekt.toml").configured


def test_throttle_locks_a_name_after_repeated_failures_and_releases_it():
    now = [1000.0]
    throttle = users.Throttle(limit=3, window=600, lockout=60, clock=lambda: now[0])
    for _ in range(2):
        throttle.failed("Anna")
    assert throttle.wait("anna") == 0
    throttle.failed("anna ")
    assert throttle.wait("ANNA") == pytest.approx(60)  # names compare like the login does
    assert throttle.wait("bob") == 0
    now[0] += 61
    assert throttle.wait("anna") == 0
    throttle.failed("anna")
    throttle.succeeded("anna")
    assert throttle.wait("anna") == 0


# -- the gate in the app -------------------------------------------------------------------------
def _reads(monkeypatch) -> list[int]:
    """Counts reads of the dataset: the gate must stop every run before the first."""
    calls: list[int] = []
    real = data.current_dataset

    def counting():
        calls.append(1)
        return real()

    monkeypatch.setattr(data, "current_dataset", counting)
    return calls


def _with_users(monkeypatch, url, entries) -> ui.AppTest:
    at = ui.app_test(monkeypatch, url)
    at.secrets["users"] = entries
    return at


def _log_in(at, name, password):
    at.text_input(key="gm_login_name").input(name)
    at.text_input(key="gm_login_password").input(password)
    ui.button(at, "Inloggen").click().run()
    ui.assert_ok(at)
    return at


def _shows_data(at) -> bool:
    return bool(at.metric or at.dataframe or at.get("vega_lite_chart"))


def test_login_form_and_no_data_before_login(monkeypatch, samples_db, password_hash):
    reads = _reads(monkeypatch)
    at = _with_users(monkeypatch, samples_db, {"anna": {"role": "fonds", "password_hash": password_hash}})
    at.run()
    ui.assert_ok(at)
    assert [t.label for t in at.text_input] == ["Gebruikersnaam", "Wachtwoord"]
    assert ui.button(at, "Inloggen")
    assert not reads and not _shows_data(at)
    assert "gm_principal" not in at.session_state
    assert not any("Demomodus" in i.value for i in at.sidebar.info)


def test_wrong_password_refused_slowly_and_without_saying_which(monkeypatch, samples_db, password_hash):
    reads = _reads(monkeypatch)
    at = _with_users(monkeypatch, samples_db, {"anna": {"role": "fonds", "password_hash": password_hash}})
    at.run()
    for name, password in [("anna", "niet-het-wachtwoord"), ("onbekend", PASSWORD)]:
        started = time.monotonic()
        _log_in(at, name, password)
        assert time.monotonic() - started >= auth.FAILED_LOGIN_DELAY
        assert ui.texts(at.error) == ["Onbekende gebruiker of onjuist wachtwoord."]
        assert "gm_principal" not in at.session_state
        assert not reads and not _shows_data(at)


def test_right_password_logs_in_shows_role_and_logs_out(monkeypatch, samples_db, password_hash):
    reads = _reads(monkeypatch)
    at = _with_users(monkeypatch, samples_db, {
        "anna": {"role": "organisatie", "organisation": ORG, "password_hash": password_hash},
        "kapot": {"role": "boekhouder", "password_hash": password_hash}})  # a bad entry breaks nobody else
    at.run()
    _log_in(at, "anna", PASSWORD)
    assert at.session_state["gm_principal"] == Principal("anna", "organisatie", ORG)
    assert f"Ingelogd als **anna** (Organisatie, {ORG})" in ui.texts(at.sidebar.caption)
    assert reads and _shows_data(at)
    assert ui.metrics(at)["Organisaties"] == "6"  # all six, the others aggregated
    # AppTest runs the page itself from the second run on, which gives the sidebar button a new id: take it
    # from that run before clicking.
    at.run()
    at.sidebar.button(key="gm_logout").click().run()
    ui.assert_ok(at)
    assert [t.label for t in at.text_input] == ["Gebruikersnaam", "Wachtwoord"]
    assert "gm_principal" not in at.session_state and not _shows_data(at)


def test_misconfigured_user_is_refused_with_a_message_not_a_crash(monkeypatch, samples_db, password_hash):
    at = _with_users(monkeypatch, samples_db, {"bob": {"role": "organisatie", "password_hash": password_hash}})
    at.run()
    _log_in(at, "bob", PASSWORD)
    assert ui.texts(at.error) == ["Onbekende gebruiker of onjuist wachtwoord."]
    assert "gm_principal" not in at.session_state and not _shows_data(at)


def test_broken_users_section_closes_the_app_instead_of_demo_mode(monkeypatch, samples_db):
    reads = _reads(monkeypatch)
    at = _with_users(monkeypatch, samples_db, "anna")
    at.run()
    ui.assert_ok(at)
    assert any("geen tabel" in e for e in ui.texts(at.error))
    assert not reads and not _shows_data(at)


def test_unreadable_secrets_file_closes_the_app(monkeypatch, samples_db, tmp_path):
    broken = tmp_path / "secrets.toml"
    broken.write_text('[users.anna]\nrole = "fonds\n')
    monkeypatch.setattr(auth.config, "SECRETS_PATH", broken)
    reads = _reads(monkeypatch)
    at = ui.app_test(monkeypatch, samples_db)
    del at.secrets["_test"]  # this test is about the file itself
    at.run()
    ui.assert_ok(at)
    assert any("kan niet worden gelezen" in e for e in ui.texts(at.error))
    assert not reads and not _shows_data(at)


def test_repeated_failures_lock_the_name(monkeypatch, samples_db, password_hash):
    monkeypatch.setattr(auth, "FAILED_LOGIN_DELAY", 0)
    at = _with_users(monkeypatch, samples_db, {"anna": {"role": "fonds", "password_hash": password_hash}})
    at.run()
    for _ in range(auth.THROTTLE.limit):
        _log_in(at, "anna", "fout-fout-fout")
    _log_in(at, "anna", PASSWORD)  # even the right password waits now
    assert any("Te veel mislukte pogingen" in e for e in ui.texts(at.error))
    assert "gm_principal" not in at.session_state


def test_demo_mode_without_configuration(monkeypatch, samples_db):
    at = ui.open_app(monkeypatch, samples_db)
    banner = [i for i in ui.texts(at.sidebar.info) if i.startswith("**Demomodus**")]
    assert banner and "iedereen met toegang tot deze computer ziet alle gegevens" in banner[0]
    assert "Stel gebruikers in (zie README)" in banner[0]
    assert not any(t.key == "gm_login_name" for t in at.text_input)
    assert _shows_data(at) and ui.metrics(at)["Organisaties"] == "6"
    assert not any(b.key == "gm_logout" for b in at.button)  # nobody to log out


# -- OIDC (st.login) -----------------------------------------------------------------------------
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "id",
        "client_secret": "geheim", "server_metadata_url": "https://login.example.org/.well-known/openid-configuration"}


def _oidc(monkeypatch, url, user: dict, *, authlib: bool = True) -> ui.AppTest:
    monkeypatch.setattr(auth, "authlib_available", lambda: authlib)
    at = ui.app_test(monkeypatch, url)
    at.secrets["auth"] = AUTH
    at.secrets["users"] = {"fenna": {"role": "fonds", "email": "fenna@fonds.nl"},
                           "anna": {"role": "organisatie", "organisation": ORG, "email": "anna@thuis.nl"}}
    at.user = user
    at.run()
    ui.assert_ok(at)
    return at


def test_oidc_not_logged_in_shows_the_login_button_and_no_data(monkeypatch, samples_db):
    reads = _reads(monkeypatch)
    at = _oidc(monkeypatch, samples_db, {"is_logged_in": False})
    assert ui.button(at, "Inloggen")
    assert not at.text_input  # no password form when the organisation's login is configured
    assert not reads and not _shows_data(at)


def test_oidc_without_authlib_says_what_to_install(monkeypatch, samples_db):
    at = _oidc(monkeypatch, samples_db, {"is_logged_in": False}, authlib=False)
    assert any("streamlit[auth]" in e for e in ui.texts(at.error))
    assert not _shows_data(at)


def test_oidc_known_email_gets_its_role(monkeypatch, samples_db):
    at = _oidc(monkeypatch, samples_db, {"is_logged_in": True, "email": "Anna@Thuis.nl", "name": "Anna"})
    assert at.session_state["gm_principal"] == Principal("anna", "organisatie", ORG)
    assert f"Ingelogd als **anna** (Organisatie, {ORG})" in ui.texts(at.sidebar.caption)
    assert _shows_data(at)


def test_oidc_unknown_email_sees_a_message_and_no_data(monkeypatch, samples_db):
    reads = _reads(monkeypatch)
    at = _oidc(monkeypatch, samples_db, {"is_logged_in": True, "email": "iemand@elders.nl"})
    assert any("iemand@elders.nl" in e and "geen toegang" in e for e in ui.texts(at.error))
    assert ui.button(at, "Uitloggen")
    assert not reads and not _shows_data(at)
    assert "gm_principal" not in at.session_state


def test_oidc_unverified_email_refused(monkeypatch, samples_db):
    at = _oidc(monkeypatch, samples_db, {"is_logged_in": True, "email": "anna@thuis.nl", "email_verified": False})
    assert any("niet bevestigd" in e for e in ui.texts(at.error))
    assert not _shows_data(at)


def test_new_password_or_removal_in_secrets_ends_the_session(monkeypatch, samples_db, password_hash):
    at = _with_users(monkeypatch, samples_db, {"anna": {"role": "fonds", "password_hash": password_hash}})
    at.run()
    _log_in(at, "anna", PASSWORD)
    assert _shows_data(at)
    at.secrets["users"] = {"anna": {"role": "beheerder", "password_hash": password_hash}}
    at.run()
    assert at.session_state["gm_principal"].role == "beheerder"  # a changed role applies at once
    at.secrets["users"] = {"anna": {"role": "beheerder", "password_hash": users.hash_password("een-nieuw-wachtwoord")}}
    at.run()
    ui.assert_ok(at)
    assert any("Log opnieuw in" in w for w in ui.texts(at.warning))
    assert "gm_principal" not in at.session_state and not _shows_data(at)
