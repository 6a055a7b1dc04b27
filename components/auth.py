"""Who is looking: the gate every page run passes before any data is read.

`current_principal()` is called by app.py (before the menu, which depends on the role) and by
`context.build_context` (also when a page runs on its own); the sidebar box is drawn once per run either way.
It decides the login mode from the secrets:
- `[auth]` configured: the organisation's identity provider through Streamlit's OIDC login (`st.login`); the
  e-mail address it reports is mapped to a role by a `[users.<naam>]` block with that `email`;
- else `[users]` present: a local login form checked against the argon2 hashes in those blocks;
- nothing configured: demo mode, one local user with every right and a banner that says so (so the README's
  first command just works).
Until someone is logged in, the gate shows the login and stops the run (`st.stop()`): nothing below it runs.
A broken secrets file or users section closes the app with a message; it never falls back to demo mode.
"""
from __future__ import annotations

import hashlib
import importlib.util
import time
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitDuplicateElementKey

from gezinsmonitor import config, users
from gezinsmonitor.permissions import DEMO, ROLES, Principal

USER_KEY = "gm_principal"  # the Principal of this session, for whoever needs it after the gate
LOGIN_KEY = "gm_login"  # (name, password fingerprint) the login form accepted; USER_KEY alone logs nobody in
FAILED_LOGIN_DELAY = 1.0  # seconds; slows guessing down on top of the per-name THROTTLE
THROTTLE = users.Throttle()

DEMO_BANNER = ("**Demomodus**: geen inlog ingesteld — iedereen met toegang tot deze computer ziet alle gegevens. "
               "Stel gebruikers in (zie README) voor echte gegevens.")


def _secrets() -> dict:
    """st.secrets as a plain dict. A secrets file that exists but cannot be read closes the app: falling back to
    'nothing configured' would open demo mode, with every row, to anyone."""
    if st.secrets.load_if_toml_exists():
        return st.secrets.to_dict()
    for path in {config.SECRETS_PATH, Path.cwd() / ".streamlit" / "secrets.toml"}:
        if path.is_file():
            try:
                tomllib.loads(path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                _closed(f"Het bestand {path} kan niet worden gelezen ({exc}). Herstel het bestand (het is TOML, "
                        "zie README); tot dan blijft de Gezinsmonitor gesloten.")
    return {}


def _closed(message: str) -> None:
    st.error(message, icon=":material/lock:")
    _stop()


def _stop(render: Callable[[], None] | None = None) -> None:
    """End the run before anything is read, showing `render` (the login form, a refusal) as the only page.

    The page is registered with a hidden menu: without st.navigation Streamlit lists every script in pages/ in
    the sidebar. Every page's address leads to it, so a shared link (say /hulpvragen?organisatie=…) still opens
    that page, with its filters, once logged in. Widgets must be drawn inside the page, not before the
    navigation: in the browser a form drawn before it loses its submission on the rerun."""
    def signed_out() -> None:
        if render is not None:
            render()

    stems = sorted(p.stem for p in (config.PROJECT_ROOT / "pages").glob("*.py") if not p.stem.startswith("_"))
    try:
        page = st.navigation([st.Page(signed_out, title="Gezinsmonitor", default=True)]
                             + [st.Page(signed_out, title="Gezinsmonitor", url_path=stem) for stem in stems],
                             position="hidden")
    except Exception:  # noqa: BLE001 - the menu is cosmetic; stopping is what matters
        signed_out()
    else:
        page.run()
    st.stop()


def _label(principal: Principal) -> str:
    role = ROLES[principal.role].label
    return f"{role}, {principal.organisation}" if principal.organisation else role


def _sign_out(oidc: bool = False) -> None:
    # Everything of this session goes (filters, the built page context with its data), not only the name.
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if oidc:
        st.logout()  # removes the identity cookie and sends the browser to the provider's logout
        st.stop()
    st.rerun()


def _account_box():
    """The sidebar box for who is logged in, or None when this run already drew it: app.py asks for the principal
    before the navigation and build_context asks again, and the box must appear once. A keyed container is
    refused the second time in the same run, which is exactly the test needed."""
    try:
        return st.sidebar.container(key="gm_account")
    except StreamlitDuplicateElementKey:
        return None


def _sidebar(principal: Principal, oidc: bool = False) -> None:
    box = _account_box()
    if box is None:
        return
    box.caption(f"Ingelogd als **{principal.name}** ({_label(principal)})")
    if box.button("Uitloggen", key="gm_logout", icon=":material/logout:"):
        _sign_out(oidc)


# -- local users -------------------------------------------------------------------------------
def _fingerprint(user: users.User) -> str:
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()


def _local(configured: users.Users) -> Principal:
    login = st.session_state.get(LOGIN_KEY)
    if isinstance(login, tuple) and len(login) == 2:
        # The entry is read again every run: a user removed, or given a new password, in secrets.toml is out on
        # the next click; a changed role applies at once.
        name, fingerprint = login
        user = configured.get(name)
        if user is not None and user.password_hash is not None and _fingerprint(user) == fingerprint:
            principal = user.principal()
            st.session_state[USER_KEY] = principal
            _sidebar(principal)
            return principal
        st.session_state.pop(LOGIN_KEY, None)
        st.session_state.pop(USER_KEY, None)
        st.warning("Uw account is gewijzigd of verwijderd. Log opnieuw in.")
    _stop(lambda: _login_form(configured))
    raise AssertionError("unreachable")  # _stop() ends the run


def _login_form(configured: users.Users) -> None:
    st.title("Gezinsmonitor")
    if "" in configured.problems:
        st.error(configured.problems[""], icon=":material/error:")
    with st.form("gm_login_form", clear_on_submit=True):
        st.subheader("Inloggen")
        name = st.text_input("Gebruikersnaam", key="gm_login_name", autocomplete="username")
        password = st.text_input("Wachtwoord", type="password", key="gm_login_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button("Inloggen", type="primary")
    if not submitted:
        return
    wait = THROTTLE.wait(name)
    if wait > 0:
        st.error(f"Te veel mislukte pogingen voor deze gebruikersnaam. Probeer het over {int(wait // 60) + 1} "
                 "minuten opnieuw.", icon=":material/timer:")
        return
    try:
        principal = configured.authenticate(name, password)
    except users.LoginRefused as refused:
        THROTTLE.failed(name)
        time.sleep(FAILED_LOGIN_DELAY)
        st.error(str(refused), icon=":material/error:")
        return
    THROTTLE.succeeded(name)
    st.session_state[LOGIN_KEY] = (principal.name, _fingerprint(configured.get(principal.name)))
    st.session_state[USER_KEY] = principal
    st.rerun()


# -- OIDC --------------------------------------------------------------------------------------
def authlib_available() -> bool:
    return importlib.util.find_spec("authlib") is not None


def _providers(auth: Mapping) -> list[str | None]:
    """None for the default provider ([auth] with client_id), else the names of [auth.<naam>] providers."""
    if "client_id" in auth:
        return [None]
    return [name for name, value in auth.items() if isinstance(value, Mapping) and "client_id" in value]


def _oidc(secrets: Mapping, configured: users.Users) -> Principal:
    user_info = st.user.to_dict()
    if not user_info.get("is_logged_in"):
        st.session_state.pop(USER_KEY, None)
        st.title("Gezinsmonitor")
        if not authlib_available():
            _closed("Inloggen via uw organisatie is ingesteld ([auth] in secrets.toml), maar het pakket Authlib "
                    "ontbreekt. Installeer het met `pip install \"streamlit[auth]\"` en start de app opnieuw.")
        providers = _providers(secrets["auth"])
        if not providers:
            _closed("De sectie [auth] in secrets.toml is onvolledig: client_id, client_secret en server_metadata_url "
                    "ontbreken (zie README, Inloggen via uw organisatie).")

        def login_buttons() -> None:
            st.write("Log in met het account van uw organisatie.")
            for provider in providers:
                label = "Inloggen" if provider is None else f"Inloggen met {provider}"
                if st.button(label, key=f"gm_oidc_{provider or 'default'}", type="primary", icon=":material/login:"):
                    if provider is None:
                        st.login()
                    else:
                        st.login(provider)

        _stop(login_buttons)
    email = user_info.get("email")
    if user_info.get("email_verified") is False:
        _refuse_oidc(f"Uw e-mailadres {email} is bij uw organisatie niet bevestigd. Bevestig het eerst en log "
                     "dan opnieuw in.")
    user = configured.by_email(email)
    if user is None:
        reason = configured.problem_for_email(email) or (
            f"U bent ingelogd als {email or '(geen e-mailadres)'}, maar dit adres heeft geen toegang tot de "
            "Gezinsmonitor. Vraag de beheerder om u toe te voegen (een blok [users.<naam>] met dit e-mailadres).")
        _refuse_oidc(reason)
    principal = user.principal()
    st.session_state[USER_KEY] = principal
    _sidebar(principal, oidc=True)
    return principal


def _refuse_oidc(message: str) -> None:
    st.session_state.pop(USER_KEY, None)

    def refusal() -> None:
        st.title("Gezinsmonitor")
        st.error(message, icon=":material/block:")
        if st.button("Uitloggen", key="gm_logout", icon=":material/logout:"):
            _sign_out(oidc=True)

    _stop(refusal)


# -- the gate ----------------------------------------------------------------------------------
def current_principal() -> Principal:
    """The logged-in principal; shows the login and stops the run when nobody is."""
    secrets = _secrets()
    configured = users.parse(secrets)
    if users.auth_configured(secrets):
        return _oidc(secrets, configured)
    if configured.configured:
        return _local(configured)
    # Demo mode. A principal already in the session is a role set by a test (nothing in the browser can write
    # this key); otherwise the one local user with every right.
    principal = st.session_state.get(USER_KEY)
    principal = principal if isinstance(principal, Principal) and not principal.demo else DEMO
    box = _account_box()
    if box is not None:
        box.info(DEMO_BANNER, icon=":material/lock_open:")
        if not principal.demo:
            box.caption(f"Rol: **{principal.name}** ({_label(principal)})")
    return principal
