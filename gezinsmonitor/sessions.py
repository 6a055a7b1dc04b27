"""Presentation sessions ("sessies"): a named sequence of views, each with its own filters, saved in the store
and opened by link (`?sessie=<slug>`). An organiser builds one before a learning-circle meeting; everyone in
the room opens the same slides.

The views are keys of the registry in `components/views.py`; the core only stores them. The default session
(`DEFAULT`, slug "standaard") is not stored: it is always there and cannot be changed or removed.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy import delete, select, update

from . import audit, formatting
from . import schema as s
from .filters import Filters

DEFAULT_SLUG = "standaard"
MAX_SLIDES = 30
MAX_NAME = 80


class Invalid(ValueError):
    """A session that cannot be saved; the message is Dutch."""


@dataclass(frozen=True)
class Slide:
    view: str  # a key of components.views.VIEWS
    filters: Filters = field(default_factory=Filters)
    peildatum: dt.date | None = None  # None: the viewer's peildatum (today unless chosen)

    def to_json(self) -> dict:
        f = self.filters
        return {"view": self.view,
                "organisaties": list(f.organisations) if f.organisations is not None else None,
                "periode": [d.isoformat() for d in f.period] if f.period else None,
                "status": list(f.statuses) if f.statuses is not None else None,
                "samenstelling": list(f.compositions) if f.compositions is not None else None,
                "peildatum": self.peildatum.isoformat() if self.peildatum else None}

    @classmethod
    def from_json(cls, data: dict) -> Slide:
        def names(key):
            value = data.get(key)
            return tuple(str(v) for v in value) if isinstance(value, list) else None

        period = data.get("periode")
        return cls(
            view=str(data["view"]),
            filters=Filters(organisations=names("organisaties"),
                            period=tuple(dt.date.fromisoformat(d) for d in period) if period else None,
                            statuses=names("status"), compositions=names("samenstelling")),
            peildatum=dt.date.fromisoformat(data["peildatum"]) if data.get("peildatum") else None,
        )


@dataclass(frozen=True)
class Session:
    name: str
    slides: tuple[Slide, ...]
    slug: str = ""
    anonymise: bool = False  # organisations as Organisatie A, B, C … on every slide
    created_by: str | None = None
    updated_at: dt.datetime | None = None

    @property
    def is_default(self) -> bool:
        return self.slug == DEFAULT_SLUG

    def content(self) -> str:
        return json.dumps({"anonimiseren": self.anonymise, "dias": [sl.to_json() for sl in self.slides]},
                          ensure_ascii=False)


# The default session walks the four themes in the order of the monitor: needs, duration, progress, hours.
DEFAULT = Session(
    name="Leerkring: de vier thema's",
    slug=DEFAULT_SLUG,
    slides=tuple(Slide(view) for view in ("hulpvragen", "duurklassen", "mediane_duur", "voortgang", "inzet",
                                           "inzet_organisatie")),
    anonymise=True,
)


def slide_index(position, total: int) -> int:
    """A slide position (0-based; a number or the link's text, e.g. `dia=3` gives "2") within 0 … total-1;
    anything unreadable is the first slide."""
    try:
        position = int(position)
    except (TypeError, ValueError):
        return 0
    return min(max(position, 0), max(total - 1, 0))


def validate(session: Session, views: set[str] | None = None) -> Session:
    """The session with a clean name and slug, or `Invalid` with a Dutch reason."""
    name = " ".join(session.name.split())
    if not name:
        raise Invalid("Geef de sessie een naam.")
    if len(name) > MAX_NAME:
        raise Invalid(f"De naam is te lang (meer dan {MAX_NAME} tekens).")
    slug = session.slug or formatting.slug(name)
    if not slug:
        raise Invalid("Gebruik in de naam minstens één letter of cijfer.")
    if slug == DEFAULT_SLUG:
        raise Invalid(f"De naam '{name}' is gereserveerd voor de standaardsessie; kies een andere naam.")
    if not session.slides:
        raise Invalid("Voeg minstens één dia toe.")
    if len(session.slides) > MAX_SLIDES:
        raise Invalid(f"Een sessie heeft hoogstens {MAX_SLIDES} dia's.")
    unknown = [sl.view for sl in session.slides if views is not None and sl.view not in views]
    if unknown:
        raise Invalid("Onbekende weergave: " + ", ".join(unknown) + ".")
    return Session(name, tuple(session.slides), slug, session.anonymise, session.created_by, session.updated_at)


def _from_row(row) -> Session:
    data = json.loads(row.content)
    return Session(name=row.name, slides=tuple(Slide.from_json(d) for d in data.get("dias", [])), slug=row.slug,
                   anonymise=bool(data.get("anonimiseren")), created_by=row.created_by, updated_at=row.updated_at)


def load(engine, slug: str) -> Session | None:
    """The session with this slug (the default one for "standaard"), or None."""
    if slug == DEFAULT_SLUG:
        return DEFAULT
    p = s.presentations
    with engine.connect() as conn:
        row = conn.execute(select(p).where(p.c.slug == slug)).first()
    return _from_row(row) if row else None


def listing(engine) -> list[Session]:
    """The default session first, then the saved ones by name."""
    p = s.presentations
    with engine.connect() as conn:
        rows = conn.execute(select(p).order_by(p.c.name, p.c.id)).all()
    return [DEFAULT, *(_from_row(r) for r in rows)]


def save(engine, session: Session, views: set[str] | None = None, replace: bool = False) -> Session:
    """Store `session` (validated); an existing slug is replaced only with `replace`, else `Invalid`."""
    session = validate(session, views)
    p = s.presentations
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    who = audit.actor().name
    with engine.begin() as conn:
        exists = conn.execute(select(p.c.id).where(p.c.slug == session.slug)).first()
        if exists and not replace:
            raise Invalid(f"Er is al een sessie met de link '{session.slug}'. Kies een andere naam of vervang haar.")
        values = {"name": session.name, "content": session.content(), "updated_at": now}
        if exists:
            conn.execute(update(p).where(p.c.slug == session.slug).values(**values))
        else:
            conn.execute(p.insert().values(slug=session.slug, created_by=who, **values))
        audit.record(conn, audit.SESSION_SAVED, None, f"sessie '{session.name}' ({len(session.slides)} dia's)")
    return load(engine, session.slug)


def remove(engine, slug: str) -> bool:
    if slug == DEFAULT_SLUG:
        raise Invalid("De standaardsessie kan niet worden verwijderd.")
    p = s.presentations
    with engine.begin() as conn:
        name = conn.execute(select(p.c.name).where(p.c.slug == slug)).scalar()
        if name is None:
            return False
        conn.execute(delete(p).where(p.c.slug == slug))
        audit.record(conn, audit.SESSION_DELETED, None, f"sessie '{name}'")
    return True

