from gezinsmonitor import config


def test_database_url_precedence(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    monkeypatch.delenv(config.ENV_DB, raising=False)
    assert config.database_url(secrets_path=secrets) == f"sqlite:///{config.DEFAULT_DB_PATH}"
    secrets.write_text('[connections.gezinsmonitor]\nurl = "postgresql://u@h/db"\n')
    assert config.database_url(secrets_path=secrets) == "postgresql+psycopg://u@h/db"
    secrets.write_text('GEZINSMONITOR_DB = "sqlite:////tmp/a.db"\n')
    assert config.database_url(secrets_path=secrets) == "sqlite:////tmp/a.db"
    monkeypatch.setenv(config.ENV_DB, "postgres://env@h/db")
    assert config.database_url(secrets_path=secrets) == "postgresql+psycopg://env@h/db"
    assert config.database_url("sqlite:////tmp/cli.db", secrets_path=secrets) == "sqlite:////tmp/cli.db"


def test_bare_path_becomes_sqlite_url(tmp_path):
    assert config.normalise_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
