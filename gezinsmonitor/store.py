"""The store: one SQLAlchemy engine, migrated at open, plus the reads every page and command share."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, and_, case, create_engine, delete, event, func, select, update

from . import audit, config, disclosure, migrations
from . import schema as s
from . import taxonomy as tx

SAMPLE_STATE_KEY = "sample_data"  # loaded | removed: samples come once, and stay gone when removed
REVISION_KEY = "revision"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _column_count(content: str) -> str:
    try:
        return str(len(json.loads(content)))
    except (ValueError, TypeError):
        return "?"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@dataclass
class Dataset:
    """Active rows of every table, with organisation names: the input of all metrics."""

    families: pd.DataFrame
    trajectories: pd.DataFrame
    requests: pd.DataFrame
    measurements: pd.DataFrame
    hours: pd.DataFrame
    batches: pd.DataFrame
    revision: int


class Store:
    def __init__(self, url: str | None = None, engine: Engine | None = None):
        self.url = config.database_url(url) if engine is None else str(engine.url)
        self.engine = engine or make_engine(self.url)
        migrations.upgrade(self.engine)

    # -- meta -----------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        with self.engine.connect() as conn:
            value = conn.execute(select(s.meta.c.value).where(s.meta.c.key == key)).scalar()
        return default if value is None else value

    @staticmethod
    def set_meta(conn, key: str, value: str) -> None:
        updated = conn.execute(update(s.meta).where(s.meta.c.key == key).values(value=value)).rowcount
        if not updated:
            conn.execute(s.meta.insert().values(key=key, value=value))

    @classmethod
    def bump_revision(cls, conn) -> int:
        current = conn.execute(select(s.meta.c.value).where(s.meta.c.key == REVISION_KEY)).scalar()
        revision = int(current or 0) + 1
        cls.set_meta(conn, REVISION_KEY, str(revision))
        return revision

    def revision(self) -> int:
        return int(self.get_meta(REVISION_KEY, "0"))

    # -- reads ----------------------------------------------------------------------------
    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(s.batches)).scalar() == 0

    def organisations(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            return pd.read_sql(select(s.organisations).order_by(s.organisations.c.name), conn)

    def batches(self) -> pd.DataFrame:
        """Upload history, newest first, with the organisation's name."""
        q = (
            select(s.batches, s.organisations.c.name.label("organisation"), s.organisations.c.is_sample)
            .join(s.organisations, s.organisations.c.id == s.batches.c.organisation_id)
            .order_by(s.batches.c.uploaded_at.desc(), s.batches.c.id.desc())
        )
        with self.engine.connect() as conn:
            return pd.read_sql(q, conn)

    def _active_children(self, conn, table) -> pd.DataFrame:
        f = s.families
        q = (
            select(table, f.c.organisation_id)
            .join(f, and_(f.c.batch_id == table.c.batch_id, f.c.family_key == table.c.family_key))
            .where(f.c.active.is_(True))
            .order_by(table.c.id)
        )
        return pd.read_sql(q, conn)

    def load_dataset(self) -> Dataset:
        with self.engine.connect() as conn:
            orgs = pd.read_sql(select(s.organisations.c.id, s.organisations.c.name, s.organisations.c.is_sample), conn)
            families = pd.read_sql(select(s.families).where(s.families.c.active.is_(True)), conn)
            tables = {t.name: self._active_children(conn, t) for t in s.CHILD_TABLES}
        names = orgs.set_index("id")["name"]
        sample = orgs.set_index("id")["is_sample"].astype(bool)

        def named(frame: pd.DataFrame) -> pd.DataFrame:
            frame = frame.copy()
            frame["organisation"] = frame["organisation_id"].map(names)
            frame["is_sample"] = frame["organisation_id"].map(sample).fillna(False).astype(bool)
            # Family keys are only unique within an organisation.
            frame["family"] = frame["organisation_id"].astype(str) + ":" + frame["family_key"].astype(str)
            for col in ("start_date", "end_date", "measured_on", "request_date"):
                if col in frame:
                    frame[col] = pd.to_datetime(frame[col])
            return frame

        return Dataset(
            families=named(families),
            trajectories=named(tables["trajectories"]),
            requests=named(tables["help_requests"]),
            measurements=named(tables["measurements"]),
            hours=named(tables["hours"]),
            batches=self.batches(),
            revision=self.revision(),
        )

    # -- changes --------------------------------------------------------------------------
    @staticmethod
    def refresh_batch_status(conn, organisation_id: int) -> None:
        """actief / deels vervangen / vervangen, from how many of a batch's families are active."""
        f = s.families
        counts = conn.execute(
            select(f.c.batch_id, func.count(), func.sum(case((f.c.active.is_(True), 1), else_=0)))
            .where(f.c.organisation_id == organisation_id)
            .group_by(f.c.batch_id)
        ).all()
        for batch_id, total, active in counts:
            active = int(active or 0)
            status = "actief" if active == total else ("vervangen" if active == 0 else "deels vervangen")
            conn.execute(update(s.batches).where(s.batches.c.id == batch_id).values(status=status))

    def restore_batch(self, batch_id: int) -> int:
        """Make an earlier batch's families count again; returns how many families it restored."""
        f = s.families
        with self.engine.begin() as conn:
            org_id = conn.execute(select(s.batches.c.organisation_id).where(s.batches.c.id == batch_id)).scalar()
            if org_id is None:
                raise KeyError(batch_id)
            keys = select(f.c.family_key).where(f.c.batch_id == batch_id).scalar_subquery()
            conn.execute(update(f).where(f.c.organisation_id == org_id, f.c.family_key.in_(keys)).values(active=False))
            restored = conn.execute(update(f).where(f.c.batch_id == batch_id).values(active=True)).rowcount
            self.refresh_batch_status(conn, org_id)
            self.bump_revision(conn)
            batch = conn.execute(select(s.batches.c.file_name, s.organisations.c.name)
                                 .join(s.organisations, s.organisations.c.id == s.batches.c.organisation_id)
                                 .where(s.batches.c.id == batch_id)).one()
            audit.record(conn, audit.RESTORE, batch.name,
                         f"upload {batch_id} ({batch.file_name}): {restored} gezinnen tellen weer mee")
        return restored

    @staticmethod
    def _erase(conn, organisation_id: int, action: str) -> dict[str, int]:
        """Remove one organisation everywhere its name or id is stored, and log it; returns what was removed.

        Kept: the shared vocabulary (a person's value decisions hold no organisation) and the audit log, whose
        earlier upload and restore entries for this organisation lose their detail (a file name can name a
        family) but keep who did what when: the accountability the log exists for."""
        name = conn.execute(select(s.organisations.c.name).where(s.organisations.c.id == organisation_id)).scalar()
        if name is None:
            raise KeyError(organisation_id)
        batch_ids = select(s.batches.c.id).where(s.batches.c.organisation_id == organisation_id)
        f = s.families
        counts = {"gezinnen": int(conn.execute(select(func.count(f.c.family_key.distinct()))
                                               .where(f.c.organisation_id == organisation_id)).scalar() or 0)}
        for label, table in zip(("trajecten", "hulpvragen", "metingen", "inzetregels"), s.CHILD_TABLES):
            counts[label] = conn.execute(delete(table).where(table.c.batch_id.in_(batch_ids))).rowcount or 0
        conn.execute(delete(f).where(f.c.organisation_id == organisation_id))
        counts["uploads"] = conn.execute(delete(s.batches).where(s.batches.c.organisation_id == organisation_id)
                                         ).rowcount or 0
        counts["kolomprofielen"] = conn.execute(delete(s.mapping_profiles)
                                                .where(s.mapping_profiles.c.organisation == name)).rowcount or 0
        # The organisation's point on the map carries its name too (names compare as the map does).
        from .geo import KIND_ORG, name_key
        a = s.areas
        points = conn.execute(select(a.c.id, a.c.name).where(a.c.kind == KIND_ORG)).all()
        ids = [p.id for p in points if name_key(p.name) == name_key(name)]
        counts["kaartpunten"] = (conn.execute(delete(a).where(a.c.id.in_(ids))).rowcount or 0) if ids else 0
        conn.execute(delete(s.organisations).where(s.organisations.c.id == organisation_id))
        log = s.audit_log
        conn.execute(update(log).where(log.c.organisation == name, log.c.action.in_((audit.UPLOAD, audit.RESTORE)))
                     .values(detail="toelichting (bestandsnaam) gewist met de gegevens van de organisatie"))
        audit.record(conn, action, name, "verwijderd: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
        return counts

    def delete_organisations(self, organisation_ids: list[int], action: str = audit.ERASE) -> dict[str, dict[str, int]]:
        """Remove these organisations everywhere (see `_erase`), in one transaction, with one log entry each;
        returns per organisation name what was removed."""
        if not organisation_ids:
            return {}
        with self.engine.begin() as conn:
            names = dict(conn.execute(select(s.organisations.c.id, s.organisations.c.name)
                                      .where(s.organisations.c.id.in_(organisation_ids))).all())
            removed = {names[i]: self._erase(conn, i, action) for i in organisation_ids if i in names}
            self.bump_revision(conn)
        return removed

    def erase_organisation(self, name: str) -> dict[str, int]:
        """The right to erasure: every row of this organisation removed, logged; returns what was removed.
        KeyError when there is no organisation of that name."""
        with self.engine.begin() as conn:
            org_id = conn.execute(select(s.organisations.c.id).where(s.organisations.c.name == name)).scalar()
            if org_id is None:
                raise KeyError(name)
            counts = self._erase(conn, int(org_id), audit.ERASE)
            self.bump_revision(conn)
        return counts

    def remove_sample_data(self) -> int:
        """Delete every sample organisation; returns how many were removed."""
        with self.engine.begin() as conn:
            ids = conn.execute(select(s.organisations.c.id).where(s.organisations.c.is_sample.is_(True))
                               .order_by(s.organisations.c.name)).scalars().all()
            for org_id in ids:
                self._erase(conn, int(org_id), audit.SAMPLES_REMOVED)
            if ids:
                self.bump_revision(conn)
            self.set_meta(conn, SAMPLE_STATE_KEY, "removed")
        return len(ids)

    def has_sample_data(self) -> bool:
        with self.engine.connect() as conn:
            return bool(conn.execute(select(func.count()).select_from(s.organisations)
                                     .where(s.organisations.c.is_sample.is_(True))).scalar())

    # -- harmonisation: taxonomy versions, a person's value decisions, mapping profiles ----
    def taxonomy(self) -> tx.Taxonomy:
        """The latest saved taxonomy, or the built-in default (version 0)."""
        t = s.taxonomy_versions
        with self.engine.connect() as conn:
            row = conn.execute(select(t.c.version, t.c.content).order_by(t.c.version.desc()).limit(1)).first()
        return tx.DEFAULT_TAXONOMY if row is None else tx.Taxonomy.from_json(row.content, row.version)

    def taxonomy_history(self) -> pd.DataFrame:
        t = s.taxonomy_versions
        with self.engine.connect() as conn:
            return pd.read_sql(select(t.c.version, t.c.created_at, t.c.author, t.c.note)
                               .order_by(t.c.version.desc()), conn)

    def save_taxonomy(self, taxonomy: tx.Taxonomy, author: str | None = None, note: str | None = None) -> int:
        t = s.taxonomy_versions
        with self.engine.begin() as conn:
            version = int(conn.execute(select(func.max(t.c.version))).scalar() or 0) + 1
            conn.execute(t.insert().values(version=version, created_at=utcnow(), author=author, note=note,
                                           content=taxonomy.to_json()))
            self.bump_revision(conn)
            audit.record(conn, audit.TAXONOMY, None,
                         f"versie {version}: {len(taxonomy.leefgebieden)} leefgebieden, "
                         f"{sum(map(len, taxonomy.leefgebieden.values()))} categorieën, "
                         f"{len(taxonomy.synonyms)} synoniemen")
        return version

    def learned_values(self, kind: str = "hulpvraag") -> dict[str, tuple[str, str | None]]:
        v = s.value_mappings
        with self.engine.connect() as conn:
            rows = conn.execute(select(v.c.key, v.c.leefgebied, v.c.categorie).where(v.c.kind == kind)).all()
        return {r.key: (r.leefgebied, r.categorie) for r in rows}

    def value_decisions(self) -> pd.DataFrame:
        v = s.value_mappings
        with self.engine.connect() as conn:
            return pd.read_sql(select(v).order_by(v.c.decided_at.desc(), v.c.id.desc()), conn)

    def remember_value(self, key: str, example: str, leefgebied: str, categorie: str | None,
                       decided_by: str | None = None, kind: str = "hulpvraag") -> None:
        """Store a person's decision (replacing an earlier one for the same text)."""
        v = s.value_mappings
        with self.engine.begin() as conn:
            conn.execute(delete(v).where(v.c.kind == kind, v.c.key == key))
            conn.execute(v.insert().values(kind=kind, key=key, example=example, leefgebied=leefgebied,
                                           categorie=categorie, decided_by=decided_by, decided_at=utcnow()))
            self.bump_revision(conn)
            # The text itself is what an organisation wrote about a family: never in the log.
            audit.record(conn, audit.VALUE, None, f"{kind}tekst gekoppeld aan {leefgebied}"
                                                  + (f" – {categorie}" if categorie else ""))

    def forget_value(self, key: str, kind: str = "hulpvraag") -> int:
        v = s.value_mappings
        with self.engine.begin() as conn:
            n = conn.execute(delete(v).where(v.c.kind == kind, v.c.key == key)).rowcount
            self.bump_revision(conn)
            audit.record(conn, audit.VALUE_FORGOTTEN, None, f"koppeling van een {kind}tekst ingetrokken ({n} vergeten)")
        return n

    def profile(self, organisation: str | None, signature: str) -> tuple[int, int, str] | None:
        """(id, version, content) of the newest profile for this layout: the organisation's own first,
        else another organisation's with the same layout."""
        p = s.mapping_profiles
        with self.engine.connect() as conn:
            rows = conn.execute(select(p.c.id, p.c.version, p.c.content, p.c.organisation)
                                .where(p.c.signature == signature).order_by(p.c.version.desc(), p.c.id.desc())).all()
        own = [r for r in rows if organisation and r.organisation == organisation]
        # Another organisation's profile only for whoever may see every organisation's uploads: to anyone else it
        # would tell that someone else keeps the same sheet.
        pick = (own or (rows if disclosure.current().owns_everything else []) or [None])[0]
        return None if pick is None else (pick.id, pick.version, pick.content)

    def profiles(self) -> pd.DataFrame:
        p = s.mapping_profiles
        with self.engine.connect() as conn:
            return pd.read_sql(select(p.c.id, p.c.organisation, p.c.signature, p.c.version, p.c.created_at,
                                      p.c.created_by).order_by(p.c.organisation, p.c.version.desc()), conn)

    def save_profile(self, organisation: str, signature: str, content: str, created_by: str | None = None) -> tuple[int, int]:
        """Save a new version of the organisation's profile for this layout; returns (id, version)."""
        p = s.mapping_profiles
        with self.engine.begin() as conn:
            version = int(conn.execute(select(func.max(p.c.version)).where(
                p.c.organisation == organisation, p.c.signature == signature)).scalar() or 0) + 1
            pid = conn.execute(p.insert().values(organisation=organisation, signature=signature, version=version,
                                                 content=content, created_at=utcnow(), created_by=created_by)
                               ).inserted_primary_key[0]
            audit.record(conn, audit.PROFILE, organisation,
                         f"kolomindeling versie {version} ({_column_count(content)} kolommen)")
        return int(pid), version

    def set_batch_profile(self, batch_id: int, profile_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(s.batches).where(s.batches.c.id == batch_id).values(profile_id=profile_id))

    def review_queue(self) -> pd.DataFrame:
        """Active help requests waiting for a person, one row per distinct text, most frequent first."""
        t, f, o = s.help_requests, s.families, s.organisations
        q = (
            select(t.c.label_raw, t.c.leefgebied_raw, t.c.categorie_raw, t.c.leefgebied, t.c.confidence,
                   o.c.name.label("organisation"))
            .join(f, and_(f.c.batch_id == t.c.batch_id, f.c.family_key == t.c.family_key))
            .join(o, o.c.id == f.c.organisation_id)
            .where(f.c.active.is_(True), t.c.herkomst == tx.HERKOMST_TE_BEOORDELEN)
        )
        with self.engine.connect() as conn:
            rows = pd.read_sql(q, conn)
        cols = ["tekst", "voorstel leefgebied", "zekerheid", "aantal", "organisaties"]
        if rows.empty:
            return pd.DataFrame(columns=cols)
        rows["tekst"] = rows["label_raw"].fillna(rows["leefgebied_raw"]).fillna(rows["categorie_raw"]).fillna("")
        out = rows.groupby("tekst", sort=False).agg(
            **{"voorstel leefgebied": ("leefgebied", "first"), "zekerheid": ("confidence", "max"),
               "aantal": ("tekst", "size"),
               "organisaties": ("organisation", lambda x: ", ".join(sorted(set(x))))}).reset_index()
        out["zekerheid"] = (out["zekerheid"].fillna(0) * 100).round().astype(int)
        return out.sort_values(["aantal", "tekst"], ascending=[False, True], kind="stable").reset_index(drop=True)[cols]
