"""Retention: a deletion date at closure, by close reason; defaults from content, per-gemeente
overrides from the vault settings (key "retention_days": {reason_id: days})."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from aandacht.content import check_keys, content_path, load_toml, require_source
from aandacht.domain.errors import ContentError


@dataclass(frozen=True)
class Reason:
    id: str
    label: str
    days: int
    basis: str


@dataclass(frozen=True)
class Policy:
    reasons: dict[str, Reason]

    def delete_after(self, reason_id: str, closed_on: dt.date) -> dt.date:
        return closed_on + dt.timedelta(days=self.reasons[reason_id].days)

    @classmethod
    def parse(cls, data: dict, path: str) -> "Policy":
        require_source(data, path)
        check_keys(data, {"version", "source", "reason"}, "het bestand", path)
        reasons: dict[str, Reason] = {}
        raw_reasons = data.get("reason", [])
        if not isinstance(raw_reasons, list):
            raise ContentError("'reason' moet een lijst van tabellen zijn ([[reason]])", path)
        for i, raw in enumerate(raw_reasons):
            where = f"[[reason]] nr. {i + 1}"
            if not isinstance(raw, dict):
                raise ContentError(f"{where} moet een tabel zijn", path)
            check_keys(raw, {"id", "label", "days", "basis"}, where, path)
            if not isinstance(raw.get("id"), str) or not isinstance(raw.get("label"), str) \
                    or not raw["id"] or not raw["label"]:
                raise ContentError(f"'id' en 'label' (tekst) zijn verplicht in {where}", path)
            if not isinstance(raw.get("basis", ""), str):
                raise ContentError(f"'basis' moet tekst zijn in {where}", path)
            days = raw.get("days")
            if not isinstance(days, int) or not 1 <= days <= 365 * 30:
                raise ContentError(f"'days' moet een geheel getal van 1 tot 10950 zijn in {where}",
                                   path)
            if raw["id"] in reasons:
                raise ContentError(f"reden '{raw['id']}' staat er twee keer in", path)
            reasons[raw["id"]] = Reason(raw["id"], raw["label"], days, raw.get("basis", ""))
        if not reasons:
            raise ContentError("er staat geen enkele reden van afsluiten in", path)
        return cls(reasons)

    @classmethod
    def defaults(cls, path: Path | None = None) -> "Policy":
        path = path or content_path("retention.toml")
        return cls.parse(load_toml(path), str(path))

    @classmethod
    def load(cls, settings) -> "Policy":
        """Defaults with the gemeente's own day counts applied."""
        base = cls.defaults()
        overrides = settings.get("retention_days", {}) or {}
        reasons = {
            rid: Reason(r.id, r.label, int(overrides.get(rid, r.days)), r.basis)
            for rid, r in base.reasons.items()
        }
        return cls(reasons)
