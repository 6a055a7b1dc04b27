"""Roles and what each may see and do, enforced where data is read (not in the pages).

A `Principal` is who is logged in. `Access` turns it into the three things every page, export and command
goes through:
- `dataset(ds)`: the rows a role may compute on (a leerkring sees organisations as A, B, C …);
- `detail(ds)`: the rows a role may see one by one (downloads, upload history, review texts): all for the
  beheerder, its own for an organisatie, none for fonds and leerkring;
- `audience()`: the `disclosure.Audience` that makes every protected aggregate hide counts below k for
  rows the viewer does not own.
Actions (upload, taxonomy, …) are a registry per role, checked with `Access.may(action, organisation)`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from . import disclosure, pseudonym, suppression
from .organisations import anonymous_names, rename_organisations
from .store import Dataset

# Actions a role may take. Own-organisation actions are checked against the principal's organisation.
UPLOAD, RESTORE, ERASE, EXPORT_ROWS = "upload", "restore", "erase", "export_rows"
TAXONOMY, REVIEW, AREAS, AUDIT, USERS = "taxonomy", "review", "areas", "audit", "users"
SESSIONS = "sessions"  # build, save and remove presentation sessions
ALL_ROWS, OWN_ROWS, NO_ROWS = "all", "own", "none"


@dataclass(frozen=True)
class Role:
    name: str
    label: str  # Dutch, shown in the interface
    rows: str  # all | own | none: which rows may be seen one by one
    actions: frozenset[str]
    anonymous: bool = False  # organisation names shown as A, B, C …
    description: str = ""


ROLES: dict[str, Role] = {r.name: r for r in (
    Role("beheerder", "Beheerder", ALL_ROWS,
         frozenset({UPLOAD, RESTORE, ERASE, EXPORT_ROWS, TAXONOMY, REVIEW, AREAS, AUDIT, USERS, SESSIONS}),
         description="taxonomie, gebruikers en alle gegevens"),
    Role("fonds", "Fonds", NO_ROWS, frozenset({SESSIONS}),
         description="alle organisaties, alleen geaggregeerd; kleine aantallen verborgen"),
    Role("organisatie", "Organisatie", OWN_ROWS, frozenset({UPLOAD, RESTORE, ERASE, EXPORT_ROWS}),
         description="eigen gegevens in detail, de andere organisaties geaggregeerd"),
    Role("leerkring", "Leerkring", NO_ROWS, frozenset({SESSIONS}), anonymous=True,
         description="alleen geaggregeerd; organisaties heten A, B, C …"),
)}
OWN_ONLY = frozenset({UPLOAD, RESTORE, ERASE, EXPORT_ROWS})  # an organisatie may do these for its own rows only


@dataclass(frozen=True)
class Principal:
    name: str
    role: str
    organisation: str | None = None  # for the organisatie role: whose rows are its own
    demo: bool = False  # no login configured: one local user with every right, shown with a banner

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"onbekende rol '{self.role}' (kies uit {', '.join(ROLES)})")
        if self.role == "organisatie" and not (self.organisation or "").strip():
            raise ValueError("de rol organisatie hoort bij een organisatie")

    @property
    def definition(self) -> Role:
        return ROLES[self.role]


DEMO = Principal("demo", "beheerder", demo=True)


class Access:
    def __init__(self, principal: Principal, k: int | None = None):
        self.principal = principal
        self.role = principal.definition
        self.k = suppression.threshold() if k is None else k

    # -- rows -------------------------------------------------------------------------------
    def owned(self) -> frozenset[str] | None:
        """Organisations whose rows this principal owns; None = all."""
        if self.role.rows == ALL_ROWS:
            return None
        if self.role.rows == OWN_ROWS:
            return frozenset({self.principal.organisation})
        return frozenset()

    def audience(self) -> disclosure.Audience:
        return disclosure.Audience(self.owned(), self.k)

    def dataset(self, ds: Dataset) -> Dataset:
        """The rows aggregates are computed on: everything, with names replaced for an anonymous role and
        upload file names (which name organisations and sometimes families) kept only for owned rows."""
        if self.role.rows == ALL_ROWS:
            return ds
        owned = self.owned() or frozenset()
        batches = ds.batches.copy()
        if "file_name" in batches:
            batches["file_name"] = batches["file_name"].where(batches.get("organisation").isin(owned), None)
        ds = replace(ds, batches=batches)
        if self.role.anonymous:
            # Letters in a keyed order: in alphabetical order anyone who knows the participants could undo them.
            ds = rename_organisations(ds, anonymous_names(ds.families["organisation"], pseudonym.secret()))
        return ds

    def detail(self, ds: Dataset) -> Dataset:
        """Only the rows this principal may see one by one."""
        owned = self.owned()
        if owned is None:
            return ds

        def mine(frame: pd.DataFrame) -> pd.DataFrame:
            return frame.loc[frame["organisation"].isin(owned)].copy() if "organisation" in frame else frame.iloc[:0]

        return replace(ds, families=mine(ds.families), trajectories=mine(ds.trajectories),
                       requests=mine(ds.requests), measurements=mine(ds.measurements), hours=mine(ds.hours),
                       batches=mine(ds.batches))

    def batches(self, batches: pd.DataFrame) -> pd.DataFrame:
        owned = self.owned()
        return batches if owned is None else batches.loc[batches["organisation"].isin(owned)].copy()

    # -- actions ----------------------------------------------------------------------------
    def may(self, action: str, organisation: str | None = None) -> bool:
        if action not in self.role.actions:
            return False
        if self.role.rows == OWN_ROWS and action in OWN_ONLY:
            return organisation is None or organisation == self.principal.organisation
        return True

    def too_small(self, ds: Dataset) -> bool:
        """A selection of other organisations' families smaller than k: nothing about it may be shown."""
        owned = self.owned()
        if owned is None:
            return False
        fam = ds.families
        others = fam.loc[~fam["organisation"].isin(owned)] if "organisation" in fam else fam
        return 0 < len(others) < self.k
