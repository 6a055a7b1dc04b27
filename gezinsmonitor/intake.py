"""An organisation's own layout, from cell grids to stored rows: plan, decide, import.

1. `plan`: find the tables (layout), then take the organisation's saved profile for this layout
   or suggest a meaning for every column (columns).
2. A person confirms or corrects the column choices (page) or accepts the suggestions (command
   line `--accept-suggestions`); `convert` harmonises the values.
3. `import_plan`: refuses while decisions are open (unless accepted), else stores the rows in one
   transaction, saves the confirmed choices as a new profile version, and leaves uncertain help
   requests in the review queue ("te beoordelen").
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from . import columns as cols
from . import layout
from .convert import Converted, convert
from .importer import REFUSED, ImportResult, import_registration
from .report import Report
from .store import Store

OWN_FORMAT = "eigen indeling"


@dataclass
class Plan:
    tables: list[layout.SheetTable]
    choices: list[cols.Choice]
    signature: str
    profile: tuple[int, int] | None = None  # (id, version) when a saved profile gave the choices
    report: Report = field(default_factory=Report)

    @property
    def uncertain_columns(self) -> list[cols.Choice]:
        return [] if self.profile else cols.uncertain(self.choices)

    def with_choices(self, choices: list[cols.Choice]) -> "Plan":
        return Plan(self.tables, choices, self.signature, None, self.report)


def plan(store: Store, grids: list[layout.SheetGrid], organisation: str | None, report: Report | None = None) -> Plan:
    report = report or Report()
    tables = []
    for grid in grids:
        table = layout.read_table(grid)
        if table is None:
            if any(any(v not in ("", None) for v in row) for row in grid.rows):
                report.warning(grid.name, None, None, "Geen tabel met kolomkoppen gevonden; blad niet ingelezen.",
                               "Zet de kolomnamen in één rij boven de gegevens.")
            continue
        tables.append(table)
    signature = layout.signature(tables)
    saved = store.profile(organisation, signature)
    if saved is not None:
        pid, version, content = saved
        choices = cols.apply_profile(tables, content, version)
        if choices is not None:
            return Plan(tables, choices, signature, (pid, version), report)
    return Plan(tables, cols.suggest(tables, store.taxonomy()), signature, None, report)


def harmonise(store: Store, p: Plan, organisation: str | None, today: dt.date | None = None) -> Converted:
    report = Report()
    report.extend(p.report)
    return convert(p.tables, p.choices, taxonomy=store.taxonomy(), learned=store.learned_values(), report=report,
                   organisation=organisation, today=today)


def open_decisions(p: Plan, converted: Converted) -> list[str]:
    """What a person still has to decide, in Dutch, one line each."""
    lines = [f"Kolom '{c.header}' (blad {c.sheet}, kolom {layout.column_letter(c.index)}): voorstel "
             f"'{cols.TARGET_BY_KEY[c.target].label}'{' – ' + c.param if c.param else ''} "
             f"({c.confidence:.0%} zeker; {c.reason})" for c in p.uncertain_columns]
    for rec in converted.review.itertuples(index=False):
        suggestion = rec[1] or "geen voorstel"
        lines.append(f"Hulpvraag '{rec[0]}' ({rec[5]}×): voorstel {suggestion} ({rec[3]:.0f}% zeker; {rec[4]})")
    return lines


def understood_requests(requests: pd.DataFrame) -> pd.DataFrame:
    """How each distinct help-request text was read: leefgebied, categorie, herkomst, confidence, count."""
    text = requests["label_raw"].fillna(requests["leefgebied_raw"]).fillna(requests["categorie_raw"])
    return (pd.DataFrame({"tekst": text, "leefgebied": requests["leefgebied"], "categorie": requests["categorie"],
                          "herkomst": requests["herkomst"], "zekerheid": (requests["confidence"] * 100).round()})
            .groupby(["tekst", "leefgebied", "categorie", "herkomst"], dropna=False)
            .agg(zekerheid=("zekerheid", "first"), aantal=("zekerheid", "size")).reset_index()
            .sort_values(["aantal"], ascending=False, kind="stable").reset_index(drop=True))


def import_plan(store: Store, p: Plan, *, file_name: str, sha256: str, organisation: str,
                accept_suggestions: bool = False, confirmed: bool = False, is_sample: bool = False,
                created_by: str | None = None, today: dt.date | None = None,
                converted: Converted | None = None) -> tuple[ImportResult, Converted]:
    """Store the file read with this plan. `confirmed`: a person approved the column choices.
    `converted`: the harmonisation a person just previewed for this plan (not done again)."""
    converted = converted or harmonise(store, p, organisation, today)
    report = converted.registration.report
    # A person who confirmed the columns on the page sends uncertain values to the review queue.
    decisions = [] if (accept_suggestions or confirmed) else open_decisions(p, converted)
    if decisions:
        for line in decisions:
            report.error(None, None, None, "Beslissing nodig: " + line,
                         "Bevestig of verbeter de voorstellen op de pagina Gegevens, of importeer met --accept-suggestions.")
        return ImportResult(REFUSED, report, organisation,
                            message=f"Bestand niet ingelezen: {len(decisions)} beslissing(en) nodig. Er is niets opgeslagen."), converted
    profile_id = p.profile[0] if p.profile else None
    version = p.profile[1] if p.profile else None
    result = import_registration(store, converted.registration, file_name=file_name, sha256=sha256,
                                 organisation=organisation, is_sample=is_sample,
                                 format_name=OWN_FORMAT, profile_id=profile_id)
    if result.status == "imported" and p.profile is None:
        # Saved as read: a column with personal data stays "persoonsgegeven" in the profile, whatever was chosen.
        choices = cols.mark_personal(p.tables, p.choices)
        profile_id, version = store.save_profile(organisation, p.signature, cols.profile_content(choices), created_by)
        store.set_batch_profile(result.batch_id, profile_id)
    if result.status == "imported":
        result.message += f" Kolomindeling: profiel versie {version}."
        n_review = int(converted.review["aantal"].sum()) if len(converted.review) else 0
        if n_review:
            result.message += f" {n_review} hulpvraag/-vragen wachten op beoordeling (Te beoordelen) en tellen nog niet mee."
    return result, converted

