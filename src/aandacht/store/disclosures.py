"""The verstrekkingenlog: append-only, SHA-256 hash-chained disclosure records.

Nothing here updates or deletes a record's content, with one exception: the retention
feature calls `tombstone_case`, which removes the content of a deleted case's records
(keeping content_hash, so the chain still verifies) and leaves a content-free tombstone.

The last record's seq and hash are also kept in `meta` ("disclosures.head"), written in
the same transaction as the record, so cutting records off the end of the log shows too.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aandacht.domain.handover import DisclosureRecord, chain_record

HEAD_KEY = "disclosures.head"
_COLS = ("seq, created_at, case_id, content, content_hash, prev_hash, record_hash, "
         "tombstoned_on, tombstone")


@dataclass(frozen=True)
class DisclosureFilter:
    recipient: str | None = None
    since: dt.date | None = None  # inclusive
    until: dt.date | None = None  # inclusive
    case_id: int | None = None


class DisclosureStore:
    def __init__(self, vault):
        self.vault = vault

    @staticmethod
    def _row(row) -> DisclosureRecord:
        return DisclosureRecord(*row)

    def last(self) -> DisclosureRecord | None:
        row = self.vault.execute(
            f"SELECT {_COLS} FROM disclosures ORDER BY seq DESC LIMIT 1").fetchone()
        return self._row(row) if row else None

    def append(self, content: Mapping[str, Any], created_at: str,
               case_id: int | None) -> DisclosureRecord:
        """Chain and insert one record; joins the caller's transaction when there is one."""
        with self.vault.transaction() as conn:
            rec = chain_record(self.last(), content, created_at, case_id)
            conn.execute(
                f"INSERT INTO disclosures({_COLS}) VALUES (?,?,?,?,?,?,?,NULL,NULL)",
                (rec.seq, rec.created_at, rec.case_id, rec.content, rec.content_hash,
                 rec.prev_hash, rec.record_hash))
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (HEAD_KEY, json.dumps({"seq": rec.seq, "record_hash": rec.record_hash})))
        return rec

    def head(self) -> dict[str, Any] | None:
        row = self.vault.execute("SELECT value FROM meta WHERE key = ?", (HEAD_KEY,)).fetchone()
        if row is None:
            return None
        try:
            value = json.loads(row[0])
        except ValueError:
            return {"seq": None, "record_hash": None}
        return value if isinstance(value, dict) else {"seq": None, "record_hash": None}

    def all(self) -> list[DisclosureRecord]:
        return [self._row(r) for r in self.vault.execute(
            f"SELECT {_COLS} FROM disclosures ORDER BY seq")]

    def get(self, seq: int) -> DisclosureRecord | None:
        row = self.vault.execute(f"SELECT {_COLS} FROM disclosures WHERE seq = ?",
                                 (seq,)).fetchone()
        return self._row(row) if row else None

    def find(self, flt: DisclosureFilter | None = None) -> list[DisclosureRecord]:
        """Newest first. A case filter never returns tombstones: a deleted case's id may be
        reused by SQLite for a new case, and its records must not show up there."""
        flt = flt or DisclosureFilter()
        where, params = [], []
        if flt.recipient:
            where.append("COALESCE(json_extract(content, '$.recipient'), "
                         "json_extract(tombstone, '$.ontvanger')) = ?")
            params.append(flt.recipient)
        if flt.since:
            where.append("created_at >= ?")
            params.append(flt.since.isoformat())
        if flt.until:
            where.append("created_at < ?")
            params.append((flt.until + dt.timedelta(days=1)).isoformat())
        if flt.case_id is not None:
            where.append("case_id = ? AND content IS NOT NULL")
            params.append(flt.case_id)
        sql = f"SELECT {_COLS} FROM disclosures"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY seq DESC"
        return [self._row(r) for r in self.vault.execute(sql, tuple(params))]

    def tombstone_case(self, case_id: int, reason: str, today: dt.date | None = None) -> int:
        """Remove the content of every record of a case (retention), keep the hashes.

        The tombstone holds only dates, the recipient kind and the reason. case_id is
        cleared as well, so a later case that gets the same id is not linked to it.
        Returns the number of records tombstoned.
        """
        today = today or dt.date.today()
        with self.vault.transaction() as conn:
            rows = conn.execute(
                "SELECT seq, created_at, json_extract(content, '$.recipient') FROM disclosures "
                "WHERE case_id = ? AND content IS NOT NULL", (case_id,)).fetchall()
            for seq, created_at, recipient in rows:
                tombstone = json.dumps({
                    "verstrekt_op": created_at[:10], "ontvanger": recipient,
                    "verwijderd_op": today.isoformat(), "reden": reason,
                }, ensure_ascii=False, sort_keys=True)
                conn.execute(
                    "UPDATE disclosures SET content = NULL, case_id = NULL, tombstoned_on = ?, "
                    "tombstone = ? WHERE seq = ?", (today.isoformat(), tombstone, seq))
        return len(rows)
