"""Where the store lives: --db, then GEZINSMONITOR_DB, then .streamlit/secrets.toml, then SQLite."""
from __future__ import annotations

import os
import tomllib
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "gezinsmonitor.db"
SECRETS_PATH = PROJECT_ROOT / ".streamlit" / "secrets.toml"
ENV_DB = "GEZINSMONITOR_DB"


def _from_secrets(path: Path) -> str | None:
    if not path.exists():
        return None
    with path.open("rb") as fh:
        secrets = tomllib.load(fh)
    # Either a top-level key or Streamlit's st.connection layout [connections.gezinsmonitor].
    url = secrets.get("GEZINSMONITOR_DB") or secrets.get("connections", {}).get("gezinsmonitor", {}).get("url")
    return url or None


def database_url(explicit: str | None = None, secrets_path: Path = SECRETS_PATH) -> str:
    url = explicit or os.environ.get(ENV_DB) or _from_secrets(secrets_path)
    return normalise_url(url) if url else f"sqlite:///{DEFAULT_DB_PATH}"


def normalise_url(url: str) -> str:
    """Accept plain postgres URLs and bare SQLite paths; use the psycopg 3 driver for PostgreSQL."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    if "://" not in url:
        return f"sqlite:///{Path(url).resolve()}"
    return url

MAX_UPLOAD_MB = 50  # keep equal to server.maxUploadSize in .streamlit/config.toml
ENV_NO_SAMPLES = "GEZINSMONITOR_NO_SAMPLES"  # set to 1 to start with an empty store (tests)


def samples_enabled() -> bool:
    return os.environ.get(ENV_NO_SAMPLES, "") not in ("1", "true", "yes")


ENV_MIN_N = "GEZINSMONITOR_MIN_N"
DEFAULT_MIN_N = 20  # families; comparisons of smaller groups carry a visible warning


def int_setting(name: str, default: int, minimum: int, secrets_path: Path = SECRETS_PATH) -> int:
    """A whole-number setting: the environment, then secrets.toml, then `default`. Nonsense or a value below
    `minimum` falls back to the default instead of failing a page."""
    raw = os.environ.get(name)
    if raw is None and secrets_path.exists():
        with secrets_path.open("rb") as fh:
            raw = tomllib.load(fh).get(name)
    try:
        value = int(raw) if raw is not None else default
    except (TypeError, ValueError):
        return default
    return value if value >= minimum else default


def min_n(secrets_path: Path = SECRETS_PATH) -> int:
    """Minimum group size for a comparison without a warning: GEZINSMONITOR_MIN_N, then secrets, then 20."""
    return int_setting(ENV_MIN_N, DEFAULT_MIN_N, 1, secrets_path)
