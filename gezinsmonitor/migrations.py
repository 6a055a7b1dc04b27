"""Versioned schema migrations, applied in order at start.

Each step runs once, in its own transaction, and is recorded in `schema_migrations`. Add a new
step at the end with explicit DDL; never edit a step that has shipped.
"""
from __future__ import annotations

import datetime as dt
from typing import Callable

from sqlalchemy import Connection, Engine, delete, inspect, select, update

from . import schema


def _v1_initial(conn: Connection) -> None:
    # Tables as currently declared: a fresh store gets later steps' columns here already,
    # which is why later steps add only what is missing.
    tables = [t for t in schema.metadata.sorted_tables
              if t.name != "schema_migrations"
              and t not in (*schema.V2_TABLES, *schema.V3_TABLES, *schema.V4_TABLES, *schema.V5_TABLES)]
    schema.metadata.create_all(conn, tables=tables)


def _add_tables_and_columns(conn: Connection, tables, columns) -> None:
    schema.metadata.create_all(conn, tables=list(tables))
    insp = inspect(conn)
    for table, name in columns:
        if name in {c["name"] for c in insp.get_columns(table.name)}:
            continue
        col_type = table.c[name].type.compile(dialect=conn.dialect)
        conn.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {name} {col_type}")


def _v2_harmonisation(conn: Connection) -> None:
    _add_tables_and_columns(conn, schema.V2_TABLES, schema.V2_COLUMNS)


def _v3_analysis(conn: Connection) -> None:
    _add_tables_and_columns(conn, schema.V3_TABLES, schema.V3_COLUMNS)


def _v4_privacy(conn: Connection) -> None:
    """The audit log, and every stored family key replaced by its pseudonym (the raw key is not kept)."""
    from . import pseudonym  # needs the secret, so only when this step actually runs

    schema.metadata.create_all(conn, tables=list(schema.V4_TABLES))
    f, o, b = schema.families, schema.organisations, schema.batches
    orgs = conn.execute(select(o.c.id, o.c.name)).all()
    if not orgs:
        return
    key = pseudonym.secret()
    conn.execute(delete(schema.meta).where(schema.meta.c.key == pseudonym.FINGERPRINT_KEY))
    conn.execute(schema.meta.insert().values(key=pseudonym.FINGERPRINT_KEY, value=pseudonym.fingerprint(key)))
    for org_id, name in orgs:
        keys = conn.execute(select(f.c.family_key).where(f.c.organisation_id == org_id).distinct()).scalars().all()
        batch_ids = conn.execute(select(b.c.id).where(b.c.organisation_id == org_id)).scalars().all()
        for raw in keys:
            if pseudonym.is_pseudonym(raw):
                continue
            new = pseudonym.pseudonym(name, raw, key)
            conn.execute(update(f).where(f.c.organisation_id == org_id, f.c.family_key == raw).values(family_key=new))
            for table in schema.CHILD_TABLES:
                conn.execute(update(table).where(table.c.batch_id.in_(batch_ids), table.c.family_key == raw)
                             .values(family_key=new))


def _v5_presentations(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=list(schema.V5_TABLES))


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "initial schema", _v1_initial),
    (2, "harmonisation: taxonomy versions, value mappings, mapping profiles, instruments", _v2_harmonisation),
    (3, "analysis: family language, trajectory funnel, map areas and organisation locations", _v3_analysis),
    (4, "privacy: audit log; family keys stored as keyed hashes", _v4_privacy),
    (5, "presentation sessions", _v5_presentations),
]
LATEST_VERSION = MIGRATIONS[-1][0]


def current_version(engine: Engine) -> int:
    if not inspect(engine).has_table("schema_migrations"):
        return 0
    with engine.connect() as conn:
        versions = conn.execute(select(schema.schema_migrations.c.version)).scalars().all()
    return max(versions, default=0)


def upgrade(engine: Engine) -> list[int]:
    """Bring the store to the latest version; returns the versions applied now."""
    schema.schema_migrations.create(engine, checkfirst=True)
    applied = []
    have = current_version(engine)
    for version, name, step in MIGRATIONS:
        if version <= have:
            continue
        with engine.begin() as conn:
            step(conn)
            conn.execute(
                schema.schema_migrations.insert().values(
                    version=version, name=name, applied_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
                )
            )
        applied.append(version)
    return applied
