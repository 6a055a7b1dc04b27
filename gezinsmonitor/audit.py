"""The audit log: who uploaded, restored, erased or changed a mapping, and when.

Every change to the store writes one row inside its own transaction (so a rolled-back change leaves no
entry). Who acts is taken from `actor()`: the logged-in user during a page run (`set_actor`), the command
line otherwise. A detail names organisations, files and counts, never a family.
"""
from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select

from . import schema as s

# Actions, as shown (Dutch) in the log.
UPLOAD = "upload"
RESTORE = "upload teruggezet"
ERASE = "organisatie gewist"
SAMPLES_REMOVED = "voorbeelddata verwijderd"
PROFILE = "kolomkoppeling opgeslagen"
VALUE = "hulpvraag gekoppeld"
VALUE_FORGOTTEN = "koppeling vergeten"
TAXONOMY = "taxonomie opgeslagen"
AREAS = "gebiedenkaart vervangen"
AREAS_RESTORED = "gebiedenkaart teruggezet"
REHARMONISED = "opnieuw geharmoniseerd"
SESSION_SAVED = "sessie opgeslagen"
SESSION_DELETED = "sessie verwijderd"


@dataclass(frozen=True)
class Actor:
    name: str
    role: str | None = None


COMMAND_LINE = Actor("opdrachtregel", "beheerder")
_actor: ContextVar[Actor] = ContextVar("gezinsmonitor_actor", default=COMMAND_LINE)


def actor() -> Actor:
    return _actor.get()


def set_actor(who: Actor) -> None:
    _actor.set(who)


def record(conn, action: str, organisation: str | None = None, detail: str | None = None,
           who: Actor | None = None) -> None:
    """Write one entry on `conn`, inside the caller's transaction."""
    who = who or actor()
    conn.execute(s.audit_log.insert().values(
        at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None), actor=who.name[:200], role=who.role,
        action=action, organisation=organisation, detail=(detail or "")[:2000] or None))


def entries(engine, limit: int = 1000) -> pd.DataFrame:
    """The newest entries first, with Dutch column names."""
    a = s.audit_log
    with engine.connect() as conn:
        frame = pd.read_sql(select(a.c.at, a.c.actor, a.c.role, a.c.action, a.c.organisation, a.c.detail)
                            .order_by(a.c.at.desc(), a.c.id.desc()).limit(limit), conn)
    return frame.rename(columns={"at": "tijdstip (UTC)", "actor": "wie", "role": "rol", "action": "actie",
                                 "organisation": "organisatie", "detail": "toelichting"})
