"""Use cases of the routekaart: walk with the gemeente's settings, keep a draft per case,
record a finished walk on the case's timeline, or save a walk done without a case as a
new case ("bewaar als casus").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aandacht.domain.case import Case, Entry, EntryKind, SourceType
from aandacht.domain.errors import ValidationError
from aandacht.domain.routekaart import Routekaart, RouteWalk, SettingSpec, load_routekaart
from aandacht.domain.sociale_kaart import load_sociale_kaart

SETTINGS_KEY = "routekaart_settings"
DRAFT_KEY = "route_draft"


class RoutekaartService:
    def __init__(self, cases, settings, path: Path | str | None = None,
                 kaart_path: Path | str | None = None):
        self.cases = cases
        self.settings = settings
        kaart = load_sociale_kaart(kaart_path)
        self._names = {c.id: c.name for c in kaart.contacts}
        # Validated once with the defaults; settings are applied per call, so a change in
        # Instellingen shows in the next walk without a restart.
        self._base = load_routekaart(path, contact_ids=kaart.ids)

    # --- settings ----------------------------------------------------------------------
    def setting_specs(self) -> list[SettingSpec]:
        return list(self._base.specs.values())

    def stored_settings(self) -> dict[str, Any]:
        """The gemeente's own values; keys the content no longer knows are left out."""
        raw = self.settings.get(SETTINGS_KEY, {}) or {}
        if not isinstance(raw, Mapping):
            return {}
        return {k: v for k, v in raw.items() if k in self._base.specs}

    def setting_values(self) -> dict[str, Any]:
        return dict(self.tree().settings)

    def set_settings(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Validate and store; returns the values in force. Refuses unknown or wrong values."""
        merged = {**self.stored_settings(), **dict(values)}
        resolved = self._base.with_settings(merged).settings  # raises ValidationError
        stored = {k: resolved[k] for k in merged}
        self.settings.set(SETTINGS_KEY, stored)
        return dict(resolved)

    def reset_setting(self, key: str) -> None:
        stored = self.stored_settings()
        stored.pop(key, None)
        self.settings.set(SETTINGS_KEY, stored)

    # --- the tree and walks ------------------------------------------------------------
    def tree(self) -> Routekaart:
        try:
            return self._base.with_settings(self.stored_settings())
        except ValidationError:
            # A stored value the current content rejects (e.g. a type that changed) must
            # not lock the AF out of the routekaart: the documented defaults apply.
            return self._base

    def new_walk(self) -> RouteWalk:
        return self.tree().walk()

    def walk_from(self, data: Mapping[str, Any]) -> RouteWalk:
        return RouteWalk.from_dict(self.tree(), data)

    def load_draft(self, case_id: int) -> RouteWalk | None:
        """The unfinished walk of a case, or None (also when it no longer fits the content)."""
        data = self.cases.get_state(case_id, DRAFT_KEY)
        if not data:
            return None
        try:
            return self.walk_from(data)
        except ValidationError:
            return None

    def save_draft(self, case_id: int, walk: RouteWalk) -> None:
        self.cases.set_state(case_id, DRAFT_KEY, walk.to_dict() if walk.steps else {})

    def contact_name(self, contact_id: str) -> str:
        return self._names.get(contact_id, contact_id)

    # --- recording ---------------------------------------------------------------------
    def entry_data(self, walk: RouteWalk) -> dict[str, Any]:
        walk.result()  # refuses an unfinished walk
        tree = walk.tree
        return {
            "routekaart_version": tree.version,
            "walk": walk.to_dict(),
            "answers": [
                {"node": node.id, "question": node.question,
                 "answers": [a.id for a in answers], "labels": [a.label for a in answers]}
                for node, answers in walk.breadcrumb
            ],
            "outcomes": list(walk.outcome_ids),
            "recipients": list(walk.recipients),
            "settings": dict(tree.settings),
        }

    def summary(self, walk: RouteWalk) -> str:
        """The readable body of the timeline entry: the answers, then every recipient."""
        lines = ["Antwoorden:"]
        for node, answers in walk.breadcrumb:
            lines.append(f"- {node.short} {' + '.join(a.label for a in answers)}")
        lines += ["", "Ontvangers:"]
        for o in walk.result():
            lines.append(f"- {o.title} ({self.contact_name(o.contact)})")
            lines.append(f"  Waarom: {o.why}")
            lines.append(f"  Grondslag: {o.ground}")
            lines.append(f"  Persoonsgegevens: {o.personal_data_label}")
            if o.handover:
                lines.append(f"  Overdrachtsformulier: {o.handover.upper()}")
        if walk.tree.source.get("status") == "reconstructie":
            lines += ["", "Let op: de routekaart is een reconstructie, nog te controleren tegen "
                          "de regionale signalenroutekaart (RSIV)."]
        return "\n".join(lines)

    def title(self, walk: RouteWalk) -> str:
        names = [self.contact_name(c) for c in walk.recipients]
        return "Routekaart: " + ", ".join(names)

    def record(self, case_id: int, walk: RouteWalk, occurred_on: dt.date | None = None) -> Entry:
        """Put a finished walk on the case's timeline and drop the case's draft."""
        self.cases.get_case(case_id)  # a missing case fails here, before anything is written
        entry = Entry(
            id=None, case_id=case_id, kind=EntryKind.ROUTE,
            occurred_on=occurred_on or self.cases.today(),
            title=self.title(walk), body=self.summary(walk), data=self.entry_data(walk),
        )
        entry = self.cases.add_entry(entry)
        self.cases.set_state(case_id, DRAFT_KEY, {})
        return entry

    def save_as_new_case(self, walk: RouteWalk, label: str, opened_on: dt.date | None = None,
                         source_type: SourceType = SourceType.COLLEGA,
                         source_department: str = "") -> tuple[Case, Entry]:
        """A walk done without a case becomes a case, prefilled from the answers."""
        walk.result()
        hints = walk.case_hints()
        case = Case(id=None, label=label, opened_on=opened_on or self.cases.today(),
                    source_type=source_type, source_department=source_department)
        for key in ("subject", "minor", "forms"):
            if key in hints:
                setattr(case, key, hints[key])
        case = self.cases.create_case(case)
        return case, self.record(case.id, walk, occurred_on=case.opened_on)

    def recorded_walks(self, case_id: int) -> list[Entry]:
        return [e for e in self.cases.timeline(case_id) if e.kind == EntryKind.ROUTE]
