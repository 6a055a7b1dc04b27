"""Pseudonymous family keys: an organisation's own family number is stored only as a keyed hash.

key = HMAC-SHA256(HMAC-SHA256(secret, "organisatie:" + name), family key), first 32 hex digits.
The same secret and organisation give the same pseudonym, so a re-upload replaces the same families;
without the secret a stored key cannot be traced back, not even by trying every number from 1 to 99,999.

The secret comes from GEZINSMONITOR_SECRET, then .streamlit/secrets.toml (`[privacy] secret` or a top-level
GEZINSMONITOR_SECRET), else a random one written once to data/pseudonym.key next to the embedded store.
Back it up apart from the database: with another secret, re-uploaded families no longer match their
earlier rows (they are counted as new families until the old upload is removed).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets as _random
import tomllib
from pathlib import Path

import pandas as pd

from . import config

ENV_SECRET = "GEZINSMONITOR_SECRET"
KEY_FILE = config.PROJECT_ROOT / "data" / "pseudonym.key"
ENV_KEY_FILE = "GEZINSMONITOR_SECRET_FILE"  # where the generated secret lives (tests: a temporary path)
MIN_SECRET_CHARS = 16
DIGITS = 32


def _from_secrets(path: Path) -> str | None:
    if not path.exists():
        return None
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return data.get("privacy", {}).get("secret") or data.get(ENV_SECRET)


def _from_file(path: Path) -> str:
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = _random.token_hex(32)
    # O_EXCL: two processes starting at once must not write two different secrets.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(value + "\n")
    return value


def secret(secrets_path: Path = config.SECRETS_PATH) -> bytes:
    value = os.environ.get(ENV_SECRET) or _from_secrets(secrets_path)
    if value is None:
        value = _from_file(Path(os.environ.get(ENV_KEY_FILE) or KEY_FILE))
    if len(value) < MIN_SECRET_CHARS:
        raise ValueError(f"Het geheim voor pseudoniemen is te kort: gebruik minstens {MIN_SECRET_CHARS} tekens.")
    return value.encode("utf-8")


def organisation_key(organisation: str, key: bytes) -> bytes:
    return hmac.new(key, f"organisatie:{organisation}".encode(), hashlib.sha256).digest()


def pseudonym(organisation: str, family_key: str, key: bytes | None = None) -> str:
    org_key = organisation_key(organisation, key or secret())
    return hmac.new(org_key, str(family_key).strip().encode(), hashlib.sha256).hexdigest()[:DIGITS]


def pseudonymise(keys: pd.Series, organisation: str, key: bytes | None = None) -> pd.Series:
    """Every family key of one organisation's upload as its pseudonym (each distinct key hashed once)."""
    org_key = organisation_key(organisation, key or secret())
    mapping = {v: hmac.new(org_key, str(v).strip().encode(), hashlib.sha256).hexdigest()[:DIGITS]
               for v in keys.dropna().unique()}
    return keys.map(mapping)


def is_pseudonym(value: str) -> bool:
    return isinstance(value, str) and len(value) == DIGITS and all(c in "0123456789abcdef" for c in value)


FINGERPRINT_KEY = "pseudonym_fingerprint"  # meta: which secret made the stored keys (not the secret itself)


def fingerprint(key: bytes) -> str:
    """A keyed hash that tells secrets apart without revealing them: stored once, compared at every import."""
    return hmac.new(key, b"gezinsmonitor:fingerprint", hashlib.sha256).hexdigest()[:16]
