"""Tables of the store. Raw values sit next to harmonised ones so a mapping can be re-applied.

Rows of a family belong to one upload batch; `families.active` says which batch's version of a
family counts. Child rows join their family on (batch_id, family_key), which keeps bulk inserts
free of id round trips.
"""
from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("applied_at", DateTime, nullable=False),
)

organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("is_sample", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
)

batches = Table(
    "batches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("uploaded_at", DateTime, nullable=False),
    Column("peildatum", Date),
    Column("status", String(32), nullable=False),  # actief | deels vervangen | vervangen
    Column("n_families", Integer, nullable=False),
    Column("n_requests", Integer, nullable=False),
    Column("n_measurements", Integer, nullable=False),
    Column("n_hours", Integer, nullable=False),
    Column("n_warnings", Integer, nullable=False),
    Column("format", String(64), nullable=False),
    Column("profile_id", Integer),  # the mapping profile used for an organisation's own layout (v2)
    UniqueConstraint("sha256", name="uq_batches_sha256"),
)

families = Table(
    "families",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", Integer, ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
    Column("organisation_id", Integer, ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
    Column("family_key", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("composition", String(32)),
    Column("composition_raw", Text),
    Column("children", Integer),
    Column("wijk", Text),
    Column("debts", String(32)),
    Column("debts_raw", Text),
    Column("language", String(32)),  # beheersing Nederlandse taal: goed / voldoende / matig / slecht / onbekend (v3)
    Column("language_raw", Text),  # (v3)
    UniqueConstraint("batch_id", "family_key", name="uq_families_batch_key"),
    Index("ix_families_org_key", "organisation_id", "family_key", "active"),
)


def _child(name: str, *columns: Column) -> Table:
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True),
        Column("batch_id", Integer, ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
        Column("family_key", Text, nullable=False),
        Column("row_number", Integer),
        *columns,
        Index(f"ix_{name}_batch_family", "batch_id", "family_key"),
    )


trajectories = _child(
    "trajectories",
    Column("start_date", Date),
    Column("end_date", Date),
    Column("status", String(32), nullable=False),
    Column("end_reason", Text),
    Column("start_raw", Text),
    Column("end_raw", Text),
    Column("status_raw", Text),
    Column("expected_end", Date),  # "naar verwachting januari 2022": still running (v2)
    Column("phase", String(32)),  # furthest funnel phase reached: aanmelding / intake / begeleiding (v3)
    Column("result", String(32)),  # after begeleiding: geslaagd / niet geslaagd / lopend (v3)
    Column("phase_raw", Text),  # (v3)
    Column("result_raw", Text),  # (v3)
)

help_requests = _child(
    "help_requests",
    Column("label_raw", Text),  # the request as the organisation wrote it
    Column("leefgebied_raw", Text),
    Column("categorie_raw", Text),
    Column("leefgebied", String(64), nullable=False),
    Column("categorie", Text),
    Column("herkomst", String(32), nullable=False),  # how the leefgebied was obtained
    Column("request_date", Date),
    Column("confidence", Float),  # of the automatic mapping; 1 for a person's decision (v2)
)

measurements = _child(
    "measurements",
    Column("instrument", String(64), nullable=False),
    Column("leefgebied_raw", Text),
    Column("leefgebied", String(64), nullable=False),
    Column("moment", String(64)),
    Column("measured_on", Date),
    Column("value_raw", Text),
    Column("value", Float),  # null when not applicable
    Column("not_applicable", Boolean, nullable=False),
    Column("unit", String(32)),  # gezin / ouder / kind (severity instrument) (v2)
    Column("indicator", Text),  # the instrument's own item, e.g. a ZRM domain (v2)
    Column("herkomst", String(32)),  # how the leefgebied was obtained (v2)
    Column("confidence", Float),  # (v2)
)

hours = _child(
    "hours",
    Column("support_type_raw", Text),
    Column("support_type", String(64), nullable=False),
    Column("moment", String(64)),
    Column("measured_on", Date),
    Column("value_raw", Text),
    Column("hours_per_week", Float),  # null when not applicable or given as minutes only
    Column("minutes", Float),  # contact logs: minutes on `measured_on`
    Column("not_applicable", Boolean, nullable=False),
    Column("herkomst", String(32)),  # how the support type was obtained (v2)
    Column("confidence", Float),  # (v2)
)

CHILD_TABLES = (trajectories, help_requests, measurements, hours)

# -- harmonisation (v2) ---------------------------------------------------------------------
taxonomy_versions = Table(
    "taxonomy_versions",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("created_at", DateTime, nullable=False),
    Column("author", Text),
    Column("note", Text),
    Column("content", Text, nullable=False),  # Taxonomy.to_json()
)

# A person's decision on a value ("persoon"), remembered for every organisation.
value_mappings = Table(
    "value_mappings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(32), nullable=False),  # hulpvraag
    Column("key", Text, nullable=False),  # vocabulary.learned_key(text)
    Column("example", Text),  # the text as first written
    Column("leefgebied", String(64), nullable=False),
    Column("categorie", Text),
    Column("decided_by", Text),
    Column("decided_at", DateTime, nullable=False),
    UniqueConstraint("kind", "key", name="uq_value_mappings_kind_key"),
)

# An organisation's confirmed column mapping for one layout, versioned.
mapping_profiles = Table(
    "mapping_profiles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation", Text, nullable=False),
    Column("signature", String(64), nullable=False),  # layout.signature(): sheets and headers
    Column("version", Integer, nullable=False),
    Column("content", Text, nullable=False),  # JSON list of column decisions
    Column("created_at", DateTime, nullable=False),
    Column("created_by", Text),
    UniqueConstraint("organisation", "signature", "version", name="uq_mapping_profiles_version"),
)

# The map's places (v3): areas (wijken) as a polygon and/or a centre, and organisation locations as points.
# One active set; an administrator's upload replaces the bundled one (gezinsmonitor.geo).
areas = Table(
    "areas",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),  # wijk | organisatie
    Column("name", Text, nullable=False),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("geometry", Text),  # GeoJSON geometry (Polygon / MultiPolygon) of a wijk, or null
    Column("source", Text, nullable=False),  # file name, or "voorbeeldstad" for the bundled table
    Column("uploaded_at", DateTime, nullable=False),
    UniqueConstraint("kind", "name", name="uq_areas_kind_name"),
)

# Who changed what, and when (v4): uploads, restores, erasures, mapping and taxonomy decisions, area files.
# Details name organisations and files, never a family.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("actor", Text, nullable=False),  # user name; "opdrachtregel" for a command, "demo" without login
    Column("role", String(32)),
    Column("action", String(64), nullable=False),
    Column("organisation", Text),
    Column("detail", Text),
    Index("ix_audit_log_at", "at"),
)

# Presentation sessions (v5): a named, ordered list of views with their filters, opened by link (?sessie=slug).
presentations = Table(
    "presentations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(80), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("content", Text, nullable=False),  # JSON: options and slides (gezinsmonitor.sessions)
    Column("created_by", Text),
    Column("updated_at", DateTime, nullable=False),
)

V2_TABLES = (taxonomy_versions, value_mappings, mapping_profiles)
V3_TABLES = (areas,)
V4_TABLES = (audit_log,)
V5_TABLES = (presentations,)
V3_COLUMNS = ((families, "language"), (families, "language_raw"), (trajectories, "phase"), (trajectories, "result"),
              (trajectories, "phase_raw"), (trajectories, "result_raw"))
# (table, column) added to existing tables in v2
V2_COLUMNS = (
    (batches, "profile_id"),
    (trajectories, "expected_end"),
    (help_requests, "confidence"),
    (measurements, "unit"),
    (measurements, "indicator"),
    (measurements, "herkomst"),
    (measurements, "confidence"),
    (hours, "herkomst"),
    (hours, "confidence"),
)
