"""The real app in headless Chromium: upload a sample workbook through the page, visit every page.

Uses Debian's chromium (never `playwright install`). Skips with a reason only where no Chromium
exists; with CI=true a missing browser fails the run. Screenshots go to tests/screenshots/.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import IN_CI, ROOT

SCREENSHOTS = ROOT / "tests" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PAGES = ["Overzicht", "Hulpvragen", "Trajectduur", "Voortgang", "Inzet", "Organisaties", "Kaart"]
CHART = '[data-testid="stVegaLiteChart"], [data-testid="stDeckGlJsonChart"]'  # Altair or pydeck
pytestmark = pytest.mark.browser


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if path is None:
        if IN_CI:
            pytest.fail("CI=true but no Chromium found: install Debian's chromium (.ci/run does).")
        pytest.skip("No Chromium on this machine (apt-get install chromium); browser tests skipped.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def serve(directory: Path, samples: bool = False, secrets: Path | None = None):
    """Start the app on a fresh store in `directory`; yields its URL and stops it afterwards."""
    db = directory / "app.db"
    port = free_port()
    env = {**os.environ, "GEZINSMONITOR_DB": f"sqlite:///{db}"}
    env.pop("GEZINSMONITOR_NO_SAMPLES", None)
    if not samples:
        env["GEZINSMONITOR_NO_SAMPLES"] = "1"
    # Only the given secrets file: a developer's own .streamlit/secrets.toml must not decide the login mode.
    secrets = secrets or directory / "geen_secrets.toml"
    secrets.touch()
    log = open(db.parent / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--secrets.files", str(secrets)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("Streamlit did not start:\n" + (db.parent / "streamlit.log").read_text())
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    yield from serve(tmp_path_factory.mktemp("browser"))


COMMON_FORMAT_SAMPLE = ROOT / "sample_data" / "voorbeeld_stichting_samen_verder.xlsx"
OWN_LAYOUT_SAMPLES = [(name, ROOT / "sample_data" / f"voorbeeld_{slug}.xlsx") for name, slug in (
    ("Huiskamer Het Anker", "huiskamer_het_anker"),  # tick boxes under merged headers: screenshots
    ("Buurtkracht Noord", "buurtkracht_noord"), ("Stichting Thuisfront", "stichting_thuisfront"),
    ("Wijkpost De Overkant", "wijkpost_de_overkant"), ("Stichting Naast Elkaar", "stichting_naast_elkaar"))]


def wait_for_app(page) -> None:
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def choose_file(page, path: Path) -> None:
    """After a save the page reruns with a new, empty uploader; wait until the old one is gone."""
    wait_for_app(page)
    page.wait_for_function("() => document.querySelectorAll('input[type=\"file\"]').length === 1", timeout=30_000)
    page.locator('input[type="file"]').set_input_files(str(path))


def test_upload_and_visit_every_page(browser, app_url):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_text("Geen gezinnen voor de gekozen filters").wait_for(timeout=60_000)

    page.get_by_role("link", name="Gegevens").click()
    page.get_by_text("Bestand uploaden").wait_for(timeout=30_000)
    choose_file(page, COMMON_FORMAT_SAMPLE)
    page.get_by_text(f"Controle van {COMMON_FORMAT_SAMPLE.name}").wait_for(timeout=60_000)
    page.get_by_role("button", name="Opslaan in Gezinsmonitor").click()
    page.get_by_text("Ingelezen:").wait_for(timeout=60_000)
    page.screenshot(path=str(SCREENSHOTS / "gegevens.png"), full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0

    # Every own layout of the samples: name the organisation, check the suggestions, confirm and save the profile.
    for i, (organisation, path) in enumerate(OWN_LAYOUT_SAMPLES):
        choose_file(page, path)
        try:
            page.get_by_text(f"Eigen indeling: {path.name}").wait_for(timeout=60_000)
        except Exception:
            page.screenshot(path=str(SCREENSHOTS / "failure.png"), full_page=True)
            raise
        org = page.get_by_role("textbox", name="Organisatie", exact=True)
        org.fill(organisation)
        org.press("Enter")
        page.get_by_text("Kolomindeling", exact=True).wait_for(timeout=60_000)
        page.get_by_text("Hoe de hulpvragen zijn begrepen").wait_for(timeout=60_000)
        wait_for_app(page)
        if i == 0:
            page.screenshot(path=str(SCREENSHOTS / "gegevens_eigen_indeling.png"), full_page=True)
            page.get_by_text("Kolomindeling", exact=True).scroll_into_view_if_needed()
            page.screenshot(path=str(SCREENSHOTS / "gegevens_kolomindeling.png"))
            page.get_by_text("Hoe de hulpvragen zijn begrepen").scroll_into_view_if_needed()
            page.screenshot(path=str(SCREENSHOTS / "gegevens_hulpvragen_begrepen.png"))
        page.get_by_role("button", name="Kolomindeling bevestigen en opslaan").click()
        page.get_by_text("profiel versie 1").wait_for(timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0, organisation

    for title in ("Te beoordelen", "Taxonomie"):
        page.get_by_role("link", name=title).click()
        page.get_by_role("heading", name=title).first.wait_for(timeout=30_000)
        wait_for_app(page)
        page.screenshot(path=str(SCREENSHOTS / f"{title.lower().replace(' ', '_')}.png"), full_page=True)
        assert page.locator('[data-testid="stException"]').count() == 0, f"exception on {title}"

    for title in PAGES:
        page.get_by_role("link", name=title).click()
        page.get_by_role("heading", name=title).first.wait_for(timeout=30_000)
        chart = page.locator(CHART).first
        chart.wait_for(timeout=30_000)
        chart.locator("canvas, svg").first.wait_for(timeout=30_000)
        wait_for_app(page)
        page.screenshot(path=str(SCREENSHOTS / f"{title.lower()}.png"), full_page=True)
        assert page.locator('[data-testid="stException"]').count() == 0, f"exception on {title}"
        assert page.get_by_text("Hoe berekend?").count() >= 1, f"no 'Hoe berekend?' on {title}"
    assert not errors, errors

    # A shared link opens with exactly its filters (st.query_params), on the page it names.
    shared = browser.new_page(viewport={"width": 1440, "height": 900})
    shared.goto(f"{app_url}/hulpvragen?organisatie=Stichting+Samen+Verder&samenstelling=eenouder")
    wait_for_app(shared)
    shared.get_by_role("heading", name="Hulpvragen").first.wait_for(timeout=30_000)
    sidebar = shared.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Stichting Samen Verder").first.wait_for(timeout=30_000)
    sidebar.get_by_text("eenouder").first.wait_for(timeout=30_000)
    shared.locator(CHART).first.wait_for(timeout=30_000)
    wait_for_app(shared)
    assert "organisatie=Stichting" in shared.url and "samenstelling=eenouder" in shared.url
    assert shared.get_by_text("organisaties: Stichting Samen Verder").count() >= 1  # named under the figures
    shared.screenshot(path=str(SCREENSHOTS / "gedeelde_link_hulpvragen.png"), full_page=True)
    assert shared.locator('[data-testid="stException"]').count() == 0
    shared.close()


# -- login and roles ---------------------------------------------------------------------------------
ORGANISATION_USER = ("anna", "organisatie", "Stichting Thuisfront")
FUND_USER = ("fenna", "fonds", None)
PASSWORD = "een lang wachtwoord 2026"


@pytest.fixture(scope="module")
def login_url(tmp_path_factory):
    """The app on the six sample organisations with two local users, so it asks for a login."""
    from gezinsmonitor import users
    directory = tmp_path_factory.mktemp("login")
    secrets = directory / "secrets.toml"
    lines = []
    for name, role, organisation in (ORGANISATION_USER, FUND_USER):
        lines += [f"[users.{name}]", f'role = "{role}"', f'password_hash = "{users.hash_password(PASSWORD)}"']
        lines += [f'organisation = "{organisation}"'] if organisation else []
    secrets.write_text("\n".join(lines) + "\n", encoding="utf-8")
    yield from serve(directory, samples=True, secrets=secrets)


def log_in(page, name: str, password: str) -> None:
    wait_for_app(page)
    page.get_by_role("textbox", name="Gebruikersnaam").fill(name)
    page.get_by_role("textbox", name="Gebruikersnaam").press("Tab")
    page.get_by_role("textbox", name="Wachtwoord").fill(password)
    page.get_by_role("textbox", name="Wachtwoord").press("Enter")  # Enter submits a Streamlit form


def test_login_and_what_each_role_sees(browser, login_url):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(login_url)
    wait_for_app(page)
    page.get_by_role("button", name="Inloggen").wait_for(timeout=90_000)  # the samples load first
    assert page.locator(CHART).count() == 0 and page.locator('[data-testid="stDataFrame"]').count() == 0

    log_in(page, "anna", "fout wachtwoord")
    try:
        page.get_by_text("Onbekende gebruiker of onjuist wachtwoord").wait_for(timeout=30_000)
    except Exception:
        page.screenshot(path=str(SCREENSHOTS / "failure.png"), full_page=True)
        raise
    page.screenshot(path=str(SCREENSHOTS / "inloggen_geweigerd.png"), full_page=True)
    assert page.locator(CHART).count() == 0

    log_in(page, "anna", PASSWORD)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Ingelogd als").wait_for(timeout=30_000)
    assert sidebar.get_by_text("Stichting Thuisfront").count() >= 1
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=60_000)
    wait_for_app(page)
    page.screenshot(path=str(SCREENSHOTS / "organisatie_overzicht.png"), full_page=True)
    # An organisation manages its own data, not the taxonomy or the log.
    assert page.get_by_role("link", name="Gegevens").count() == 1
    for title in ("Te beoordelen", "Taxonomie", "Logboek"):
        assert page.get_by_role("link", name=title).count() == 0, title
    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_role("button", name="Inloggen").wait_for(timeout=30_000)

    log_in(page, "fenna", PASSWORD)
    page.locator('[data-testid="stSidebar"]').get_by_text("Ingelogd als").wait_for(timeout=30_000)
    assert page.get_by_role("link", name="Gegevens").count() == 0  # a fund reads, it does not manage
    page.get_by_role("link", name="Trajectduur").click()
    page.get_by_role("heading", name="Trajectduur").first.wait_for(timeout=30_000)
    page.locator(CHART).first.wait_for(timeout=30_000)
    wait_for_app(page)
    page.get_by_text("<10").first.wait_for(timeout=30_000)  # small counts of others' families are hidden
    page.screenshot(path=str(SCREENSHOTS / "fonds_trajectduur.png"), full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()
