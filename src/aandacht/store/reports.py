"""Read-only SQL for the reports: the years on record, and everything one case holds
beyond what CaseStore returns (all per-case state, recorded grounds, disclosures).

Used by the jaaroverzicht (years) and the inzage export (AVG art. 15), which must
show every record the vault keeps about one case.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any


def _json(value: str | None) -> Any:
    if value is None:
        return None
    try:
        return json.loads(value)
    except ValueError:
        # A record we cannot parse is still shown (as text) rather than hidden from an
        # access request.
        return value


@dataclass(frozen=True)
class DisclosureRow:
    seq: int
    created_at: str
    case_id: int | None
    content: Any  # parsed JSON (normally a dict) or None once tombstoned
    tombstoned_on: dt.date | None = None


@dataclass(frozen=True)
class GroundRecord:
    id: int
    kind: str
    recorded_at: str
    decided_by: str
    motivation: str
    recipient: str = ""
    details: Any = None  # parsed JSON: what the ground's kind records (a dict)
    withdrawn_at: str | None = None


class ReportStore:
    def __init__(self, vault):
        self.vault = vault

    def case_years(self) -> list[int]:
        """Years in which at least one case was opened, newest first."""
        rows = self.vault.execute(
            "SELECT DISTINCT CAST(substr(opened_on, 1, 4) AS INTEGER) AS y FROM cases "
            "ORDER BY y DESC").fetchall()
        return [r[0] for r in rows if r[0]]

    def disclosures(self, case_id: int) -> list[DisclosureRow]:
        rows = self.vault.execute(
            "SELECT seq, created_at, case_id, content, tombstoned_on FROM disclosures "
            "WHERE case_id = ? ORDER BY seq", (case_id,)).fetchall()
        return [DisclosureRow(seq=r[0], created_at=r[1], case_id=r[2], content=_json(r[3]),
                                 tombstoned_on=dt.date.fromisoformat(r[4]) if r[4] else None)
                for r in rows]

    def states(self, case_id: int) -> dict[str, Any]:
        """Every per-case state (meldcode progress, route drafts, ...) by key."""
        rows = self.vault.execute(
            "SELECT key, value FROM case_state WHERE case_id = ? ORDER BY key",
            (case_id,)).fetchall()
        return {r[0]: _json(r[1]) for r in rows}

    def grounds(self, case_id: int) -> list[GroundRecord]:
        rows = self.vault.execute(
            "SELECT id, kind, recorded_at, decided_by, motivation, details, withdrawn_at "
            "FROM grounds WHERE case_id = ? ORDER BY recorded_at, id", (case_id,)).fetchall()
        out = []
        for r in rows:
            # Read raw rather than through GroundStore: an access request must show a record
            # even if it would not pass today's validation of a new ground.
            stored = _json(r[5])
            recipient, details = "", stored
            if isinstance(stored, dict) and set(stored) <= {"recipient", "details"}:
                recipient = str(stored.get("recipient") or "")
                details = stored.get("details")
            out.append(GroundRecord(id=r[0], kind=r[1], recorded_at=r[2], decided_by=r[3],
                                    motivation=r[4], recipient=recipient, details=details,
                                    withdrawn_at=r[6]))
        return out
