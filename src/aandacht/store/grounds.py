"""Recorded grounds (grondslagen) per case: decisions, never edited, only withdrawn."""

from __future__ import annotations

import datetime as dt
import json

from aandacht.domain.errors import ValidationError
from aandacht.domain.handover import Ground

_COLS = "id, case_id, kind, recorded_at, decided_by, motivation, details, withdrawn_at"


def _ts(value: dt.datetime) -> str:
    return value.replace(microsecond=0).isoformat()


def _from_ts(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


class GroundStore:
    """A ground is a recorded decision: it is inserted once and can later be withdrawn
    (consent withdrawn, vital interest over). Its text is never changed afterwards, so
    the disclosure log's reference to it keeps meaning what it meant."""

    def __init__(self, vault):
        self.vault = vault

    def _row(self, row) -> Ground:
        gid, case_id, kind, recorded_at, decided_by, motivation, details, withdrawn = row
        data = json.loads(details or "{}")
        recipient = data.pop("recipient", "")
        return Ground(kind=kind, recipient=recipient, decided_by=decided_by,
                      motivation=motivation, recorded_at=dt.datetime.fromisoformat(recorded_at),
                      details=data.get("details", {}), id=gid, case_id=case_id,
                      withdrawn_at=_from_ts(withdrawn))

    def insert(self, case_id: int, ground: Ground) -> Ground:
        details = json.dumps({"recipient": ground.recipient, "details": dict(ground.details)},
                             ensure_ascii=False, sort_keys=True)
        with self.vault.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO grounds(case_id, kind, recorded_at, decided_by, motivation, details) "
                "VALUES (?,?,?,?,?,?)",
                (case_id, ground.kind, _ts(ground.recorded_at), ground.decided_by,
                 ground.motivation, details))
            gid = cur.lastrowid
        return self.get(gid)

    def get(self, ground_id: int) -> Ground:
        row = self.vault.execute(f"SELECT {_COLS} FROM grounds WHERE id = ?",
                                 (ground_id,)).fetchone()
        if row is None:
            raise ValidationError("Deze grondslag bestaat niet (meer).")
        return self._row(row)

    def for_case(self, case_id: int) -> list[Ground]:
        rows = self.vault.execute(
            f"SELECT {_COLS} FROM grounds WHERE case_id = ? ORDER BY recorded_at, id", (case_id,))
        return [self._row(r) for r in rows]

    def withdraw(self, ground_id: int, when: dt.datetime) -> Ground:
        with self.vault.transaction() as conn:
            cur = conn.execute(
                "UPDATE grounds SET withdrawn_at = ? WHERE id = ? AND withdrawn_at IS NULL",
                (_ts(when), ground_id))
            if cur.rowcount != 1:
                raise ValidationError("Deze grondslag is al ingetrokken of bestaat niet.")
        return self.get(ground_id)
