"""Who may log in: users and their roles from `.streamlit/secrets.toml`, with argon2 password hashes.

Layout (one block per user; the block name is the login name)::

    [users.anna]
    role = "organisatie"            # beheerder | fonds | organisatie | leerkring
    organisation = "Stichting Thuis" # required for the role organisatie
    password_hash = "$argon2id$..."  # local login; written by `python -m gezinsmonitor gebruiker`
    email = "anna@thuis.nl"          # OIDC login ([auth] configured): the e-mail the provider reports

A bad entry never stops the app: it is kept as a problem (a Dutch sentence saying what is wrong and how to
fix it) and that user is refused at login, while every other user can still log in.
No Streamlit here: the app passes `st.secrets` in as a mapping, the command line reads the file.
"""
from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from . import config
from .permissions import ROLES, Principal

log = logging.getLogger(__name__)

SECTION = "users"
MIN_PASSWORD_LENGTH = 10
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")
REFUSED = "Onbekende gebruiker of onjuist wachtwoord."  # one message for both: no hint which was wrong
FIX_HINT = ("Pas het blok [users.{name}] in .streamlit/secrets.toml aan, of schrijf het opnieuw met "
            "`python -m gezinsmonitor gebruiker {name} --rol …`.")

# argon2id with the library's defaults (RFC 9106 low-memory profile: 64 MiB, 3 passes); a hash carries its
# own parameters, so stronger defaults later still verify old hashes.
_hasher = PasswordHasher()


class ConfigError(ValueError):
    """The users configuration cannot be used; the message is Dutch and says what to do."""


class LoginRefused(Exception):
    """A refused login; the message is Dutch and may be shown as is."""


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"Kies een wachtwoord van minstens {MIN_PASSWORD_LENGTH} tekens.")
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True only for the right password; a damaged hash is False, never an exception."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


_dummy_hash: str | None = None


def _burn_time(password: str) -> None:
    """Verify against a throwaway hash so an unknown name costs as long as a known one (no name probing)."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("gezinsmonitor-dummy-password")
    verify_password(_dummy_hash, password)


@dataclass(frozen=True)
class User:
    name: str
    role: str
    organisation: str | None = None
    email: str | None = None
    password_hash: str | None = None

    def principal(self) -> Principal:
        return Principal(self.name, self.role, self.organisation)

    @property
    def label(self) -> str:
        """'Organisatie, Stichting Thuis' / 'Fonds': the role as the interface shows it."""
        role = ROLES[self.role].label
        return f"{role}, {self.organisation}" if self.organisation else role


def check_role(name: str, role, organisation, fix: str = "") -> tuple[str, str | None]:
    """(role, organisation) cleaned; ConfigError (Dutch) for an unknown role or an organisation that does not fit."""
    fix = fix or FIX_HINT.format(name=name)
    if not isinstance(role, str) or role.strip() not in ROLES:
        what = "geen rol" if role is None else f"een onbekende rol '{role}'"
        raise ConfigError(f"Gebruiker '{name}' heeft {what} (kies uit {', '.join(ROLES)}). {fix}")
    role = role.strip()
    organisation = organisation.strip() if isinstance(organisation, str) and organisation.strip() else None
    if role == "organisatie" and organisation is None:
        raise ConfigError(f"Gebruiker '{name}' heeft de rol organisatie maar geen organisatie (organisation = \"…\", "
                          f"de naam zoals bij het inlezen gebruikt). {fix}")
    if role != "organisatie" and organisation is not None:
        raise ConfigError(f"Gebruiker '{name}' heeft de rol {role} en een organisatie; alleen de rol organisatie "
                          f"hoort bij een organisatie. Haal de organisatie weg of kies de rol organisatie. {fix}")
    return role, organisation


def _entry(name: str, raw) -> User:
    """One [users.<name>] block as a User; ConfigError with a Dutch reason when it cannot be used."""
    fix = FIX_HINT.format(name=name)
    if not isinstance(raw, Mapping):
        raise ConfigError(f"Gebruiker '{name}' is geen blok [users.{name}] met role = \"…\". {fix}")
    if "password" in raw:
        raise ConfigError(f"Gebruiker '{name}' heeft een leesbaar wachtwoord (password) in secrets.toml; dat mag "
                          f"niet. Verwijder die regel en zet het wachtwoord met `python -m gezinsmonitor gebruiker "
                          f"{name} --rol …`.")
    role, organisation = check_role(name, raw.get("role"), raw.get("organisation"), fix)
    email = raw.get("email")
    email = email.strip().lower() if isinstance(email, str) and email.strip() else None
    password_hash = raw.get("password_hash")
    if password_hash is not None and not (isinstance(password_hash, str) and password_hash.startswith("$argon2")):
        raise ConfigError(f"Gebruiker '{name}': password_hash is geen argon2-hash. Zet het wachtwoord opnieuw met "
                          f"`python -m gezinsmonitor gebruiker {name} --rol {role}`.")
    if password_hash is None and email is None:
        raise ConfigError(f"Gebruiker '{name}' kan niet inloggen: er is geen password_hash (lokaal inloggen) en geen "
                          f"email (inloggen via de organisatie). {fix}")
    return User(name, role, organisation, email, password_hash)


@dataclass(frozen=True)
class Users:
    """Every configured user, and the entries that could not be used (name → Dutch reason; '' = the section)."""

    users: dict[str, User] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def configured(self) -> bool:
        """A [users] section exists (even a broken one): the app must ask for a login, never fall back to demo."""
        return bool(self.users or self.problems)

    def get(self, name: str) -> User | None:
        return self.users.get(name)

    def principal_for(self, name: str) -> Principal:
        """The role of `name`; ConfigError (Dutch) for an unknown or misconfigured user."""
        if name in self.problems:
            raise ConfigError(self.problems[name])
        user = self.users.get(name)
        if user is None:
            raise ConfigError(f"Gebruiker '{name}' bestaat niet in .streamlit/secrets.toml. Maak hem aan met "
                              f"`python -m gezinsmonitor gebruiker {name} --rol …`.")
        return user.principal()

    def by_email(self, email: str | None) -> User | None:
        """The user with this e-mail address (case-insensitive); an address given to two users matches nobody."""
        email = (email or "").strip().lower()
        if not email:
            return None
        found = [u for u in self.users.values() if u.email == email]
        return found[0] if len(found) == 1 else None

    def problem_for_email(self, email: str | None) -> str | None:
        """Why an e-mail address cannot log in although it appears in the configuration, if it does."""
        email = (email or "").strip().lower()
        found = [u.name for u in self.users.values() if u.email == email]
        if len(found) > 1:
            return (f"Het e-mailadres {email} staat bij meer dan één gebruiker ({', '.join(sorted(found))}). "
                    "Vraag de beheerder om het bij één gebruiker te laten staan.")
        return None

    def authenticate(self, name: str, password: str) -> Principal:
        """The principal for a right name and password; LoginRefused otherwise, with one message for an unknown
        name and a wrong password. A misconfigured entry is explained only after its password proved right."""
        name = (name or "").strip()
        user = self.users.get(name)
        if user is None or user.password_hash is None:
            _burn_time(password or "")
            if name in self.problems:
                log.warning("login refused for misconfigured user %r", name)
            raise LoginRefused(REFUSED)
        if not verify_password(user.password_hash, password or ""):
            raise LoginRefused(REFUSED)
        return user.principal()


_warned: set[str] = set()


def _warn_once(message: str) -> None:
    # The app parses the users on every run; the server log needs each problem once, not per click.
    if message not in _warned:
        _warned.add(message)
        log.warning("users configuration: %s", message)


def parse(secrets: Mapping | None) -> Users:
    """The users in a secrets mapping (st.secrets.to_dict() or a parsed secrets.toml)."""
    section = (secrets or {}).get(SECTION)
    if section is None:
        return Users()
    if not isinstance(section, Mapping):
        return Users(problems={"": "In .streamlit/secrets.toml is 'users' geen tabel. Zet elke gebruiker in een "
                                   "eigen blok [users.<naam>] (zie README, Gebruikers)."})
    users: dict[str, User] = {}
    problems: dict[str, str] = {}
    for name, raw in section.items():
        try:
            users[name] = _entry(name, raw)
        except ConfigError as exc:
            problems[name] = str(exc)
            _warn_once(str(exc))
    if not users and not problems:
        problems[""] = ("In .streamlit/secrets.toml staat een lege [users]-sectie. Voeg een gebruiker toe met "
                        "`python -m gezinsmonitor gebruiker <naam> --rol beheerder`, of haal de sectie weg.")
    return Users(users, problems)


def read_secrets(path: Path = config.SECRETS_PATH) -> dict:
    """The parsed secrets file ({} when there is none); ConfigError (Dutch) when it is not valid TOML."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is geen geldig TOML-bestand ({exc}). Herstel het bestand.") from exc


def load(source: Mapping | Path | str | None = None) -> Users:
    """Users from a mapping (st.secrets) or a secrets.toml path (default: the project's)."""
    if source is None or isinstance(source, (str, Path)):
        return parse(read_secrets(Path(source) if source is not None else config.SECRETS_PATH))
    return parse(source)


def principal_for(name: str, source: Mapping | Path | str | None = None) -> Principal:
    """The Principal of user `name` (ConfigError, Dutch, when unknown or misconfigured)."""
    return load(source).principal_for(name)


def auth_configured(secrets: Mapping | None) -> bool:
    """An [auth] section: log in through the organisation's identity provider (OIDC, st.login)."""
    return isinstance((secrets or {}).get("auth"), Mapping)


class Throttle:
    """Failed logins per name, shared by every session of the server: after `limit` failures within `window`
    seconds that name is refused for `lockout` seconds, whoever tries and whether the name exists or not."""

    def __init__(self, limit: int = 5, window: float = 900, lockout: float = 300, clock=time.monotonic):
        self.limit, self.window, self.lockout, self.clock = limit, window, lockout, clock
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(name: str) -> str:
        return (name or "").strip().lower()

    def wait(self, name: str) -> float:
        """Seconds until `name` may try again (0: now)."""
        with self._lock:
            times = self._recent(self._key(name))
            if len(times) < self.limit:
                return 0.0
            return max(0.0, times[-1] + self.lockout - self.clock())

    def failed(self, name: str) -> None:
        with self._lock:
            key = self._key(name)
            self._failures[key] = [*self._recent(key), self.clock()]

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(self._key(name), None)

    def clear(self) -> None:
        with self._lock:
            self._failures.clear()

    def _recent(self, key: str) -> list[float]:
        now = self.clock()
        return [t for t in self._failures.get(key, []) if now - t < max(self.window, self.lockout)]


# -- writing users (the command line `gebruiker`) ----------------------------------------------------
BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _quoted(value: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes; non-ASCII may stay as UTF-8).
    return json.dumps(value, ensure_ascii=False)


def _header(name: str) -> str:
    return f"[{SECTION}.{name if BARE_KEY.fullmatch(name) else _quoted(name)}]"


def _header_pattern(name: str) -> re.Pattern:
    q = re.escape(name)
    return re.compile(rf"""^\s*\[\s*{SECTION}\s*\.\s*(?:{q}|"{q}"|'{q}')\s*\]\s*(?:#.*)?$""")


def _entry_dict(user: User) -> dict:
    entry = {"role": user.role, "organisation": user.organisation, "email": user.email,
             "password_hash": user.password_hash}
    return {k: v for k, v in entry.items() if v is not None}


def _without(secrets: dict, name: str) -> dict:
    rest = dict(secrets)
    section = dict(rest.get(SECTION) or {})
    section.pop(name, None)
    if section:
        rest[SECTION] = section
    else:
        rest.pop(SECTION, None)
    return rest


def _replace_block(text: str, name: str, block: list[str]) -> str:
    """`text` with the [users.<name>] block (header up to the next table header) replaced by `block`
    (removed when empty), or `block` appended when there is none."""
    lines = text.splitlines()
    pattern = _header_pattern(name)
    start = next((i for i, line in enumerate(lines) if pattern.match(line)), None)
    if start is None:
        if not block:
            return text
        body = text.rstrip("\n")
        return (body + "\n\n" if body else "") + "\n".join(block) + "\n"
    end = next((j for j in range(start + 1, len(lines)) if lines[j].lstrip().startswith("[")), len(lines))
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1  # blank lines and a comment above the next table belong to that table
    head, tail = lines[:start], lines[end:]
    while tail and not tail[0].strip():
        tail = tail[1:]
    while head and not head[-1].strip():
        head = head[:-1]
    parts = [part for part in (head, block, tail) if part]
    new = [line for i, part in enumerate(parts) for line in ([""] if i else []) + part]
    return "\n".join(new) + "\n" if new else ""


def _write_private(path: Path, text: str) -> None:
    """Write `text` readable by its owner only (0600), atomically: a half-written secrets file would lock
    everyone out."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    os.chmod(path, 0o600)


def _save(path: Path, name: str, block: list[str], expected: dict | None) -> None:
    """Replace the block of `name` and check, before writing, that exactly that user changed and nothing else:
    the file is edited as text so comments and other settings stay, and this check catches a layout the
    text edit does not understand (say, users written as inline tables)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    before = read_secrets(path)
    new_text = _replace_block(text, name, block)
    manual = (f"Pas {path} met de hand aan: zet de gebruiker in een eigen blok {_header(name)} "
              "(zie README, Gebruikers).")
    try:
        after = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Kon {path} niet veilig bijwerken ({exc}). {manual}") from exc
    got = (after.get(SECTION) or {}).get(name)
    if got != expected or _without(after, name) != _without(before, name):
        raise ConfigError(f"Kon {path} niet veilig bijwerken: de indeling van het bestand is anders dan verwacht. "
                          f"{manual}")
    _write_private(path, new_text)


def save_user(user: User, path: Path | str = config.SECRETS_PATH) -> None:
    """Write or replace the [users.<name>] block of `user` in the secrets file (created 0600 if missing)."""
    if not NAME_PATTERN.fullmatch(user.name):
        raise ConfigError(f"Ongeldige gebruikersnaam '{user.name}': gebruik letters, cijfers en . _ - @ "
                          "(hoogstens 64 tekens, beginnend met een letter of cijfer).")
    _entry(user.name, _entry_dict(user))  # the same checks the app applies when it reads the entry
    entry = _entry_dict(user)
    block = [_header(user.name)] + [f"{key} = {_quoted(value)}" for key, value in entry.items()]
    _save(Path(path), user.name, block, entry)


def remove_user(name: str, path: Path | str = config.SECRETS_PATH) -> bool:
    """Remove the [users.<name>] block; False when there was none."""
    path = Path(path)
    if name not in (read_secrets(path).get(SECTION) or {}):
        return False
    _save(path, name, [], None)
    return True
