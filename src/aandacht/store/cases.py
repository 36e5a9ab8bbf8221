"""SQL for cases, timeline entries, follow-ups, per-case state, search and retention."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aandacht.domain.case import (
    Case,
    CaseSummary,
    Entry,
    EntryKind,
    EntryVersion,
    FollowUp,
    Form,
    Minor,
    SourceType,
    Status,
    Subject,
)
from aandacht.domain.errors import ValidationError


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def _d(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _dumps(value) -> str:
    # ASCII-escaped JSON stores any string, lone surrogates included.
    return json.dumps(value)


def search_rowid(case_id: int, entry_id: int | None = None) -> int:
    """The FTS row of a case label (entry_id None) or of a timeline entry (see migration v4)."""
    return (case_id << 32) | (entry_id or 0)


_STATUS = {s.value: s for s in Status}
_SUBJECT = {s.value: s for s in Subject}
_MINOR = {m.value: m for m in Minor}
_FORM = {f.value: f for f in Form}

_TOKEN = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str | None:
    """Turn whatever the AF typed into a safe FTS5 query: every word must occur (prefix match).

    FTS5 syntax characters (quotes, *, -, NEAR, parentheses) are never passed through, so
    no input can raise a syntax error.
    """
    tokens = _TOKEN.findall(text or "")[:32]
    if not tokens:
        return None
    return " AND ".join('"' + t.replace('"', "") + '"*' for t in tokens)


@dataclass(frozen=True)
class CaseFilter:
    statuses: frozenset[Status] = frozenset()
    form: Form | None = None
    subject: Subject | None = None
    opened_from: dt.date | None = None
    opened_to: dt.date | None = None
    query: str = ""


@dataclass(frozen=True)
class DueFollowUp:
    followup: FollowUp
    case_label: str


_CASE_COLS = ("id, label, opened_on, status, subject, forms, minor, source_type, source_department, "
              "linked_case_id, close_reason, closed_on, delete_after, details")


class CaseStore:
    def __init__(self, vault):
        self.vault = vault

    # --- cases --------------------------------------------------------------------
    def _row_to_case(self, row) -> Case:
        return Case(
            id=row[0], label=row[1], opened_on=_d(row[2]), status=Status(row[3]),
            subject=Subject(row[4]),
            forms=frozenset(Form(f) for f in row[5].split(",") if f),
            minor=Minor(row[6]), source_type=SourceType(row[7]), source_department=row[8],
            linked_case_id=row[9], close_reason=row[10], closed_on=_d(row[11]),
            delete_after=_d(row[12]), details=json.loads(row[13] or "{}"),
        )

    def _check_label_free(self, conn, label: str, case_id: int | None) -> None:
        row = conn.execute("SELECT id FROM cases WHERE label_key = ?", (label.casefold(),)).fetchone()
        if row and row[0] != case_id:
            raise ValidationError(f"Het label '{label}' is al in gebruik. Kies een ander label.",
                                  "label")

    def _check_link(self, conn, linked: int | None) -> None:
        if linked is not None and not conn.execute(
                "SELECT 1 FROM cases WHERE id = ?", (linked,)).fetchone():
            raise ValidationError("De gekoppelde casus bestaat niet (meer).", "linked_case_id")

    def _values(self, case: Case) -> tuple:
        return (case.label, case.label.casefold(), _iso(case.opened_on), case.status.value,
                case.subject.value, ",".join(sorted(f.value for f in case.forms)),
                case.minor.value, case.source_type.value, case.source_department,
                case.linked_case_id, case.close_reason, _iso(case.closed_on),
                _iso(case.delete_after), _dumps(case.details))

    def insert(self, case: Case) -> Case:
        with self.vault.transaction() as conn:
            self._check_label_free(conn, case.label, None)
            self._check_link(conn, case.linked_case_id)
            now = _now()
            cur = conn.execute(
                "INSERT INTO cases(label, label_key, opened_on, status, subject, forms, minor, "
                "source_type, source_department, linked_case_id, close_reason, closed_on, "
                "delete_after, details, created_at, updated_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                self._values(case) + (now, now),
            )
            case.id = cur.lastrowid
            self._index_label(conn, case)
            if case.linked_case_id is not None:
                # Links are mutual: the victim part and the location part point at each other.
                conn.execute("UPDATE cases SET linked_case_id = ? WHERE id = ? AND "
                             "linked_case_id IS NULL", (case.id, case.linked_case_id))
        return case

    def update(self, case: Case) -> Case:
        with self.vault.transaction() as conn:
            self._check_label_free(conn, case.label, case.id)
            self._check_link(conn, case.linked_case_id)
            row = conn.execute("SELECT linked_case_id FROM cases WHERE id = ?",
                               (case.id,)).fetchone()
            previous = row[0] if row else None
            if previous != case.linked_case_id:
                # Keep links mutual: the old partner lets go, the new partner points back.
                if previous is not None:
                    conn.execute("UPDATE cases SET linked_case_id = NULL WHERE id = ? AND "
                                 "linked_case_id = ?", (previous, case.id))
                if case.linked_case_id is not None:
                    conn.execute("UPDATE cases SET linked_case_id = ? WHERE id = ? AND "
                                 "linked_case_id IS NULL", (case.id, case.linked_case_id))
            cur = conn.execute(
                "UPDATE cases SET label=?, label_key=?, opened_on=?, status=?, subject=?, forms=?, "
                "minor=?, source_type=?, source_department=?, linked_case_id=?, close_reason=?, "
                "closed_on=?, delete_after=?, details=?, updated_at=? WHERE id=?",
                self._values(case) + (_now(), case.id),
            )
            if cur.rowcount != 1:
                raise ValidationError("Deze casus bestaat niet (meer).")
            self._index_label(conn, case)
        return case

    def _index_label(self, conn, case: Case) -> None:
        conn.execute("DELETE FROM search WHERE rowid = ?", (search_rowid(case.id),))
        conn.execute("INSERT INTO search(rowid, text, case_id, entry_id) VALUES (?, ?, ?, NULL)",
                     (search_rowid(case.id), case.label, case.id))

    def get(self, case_id: int) -> Case:
        row = self.vault.execute(f"SELECT {_CASE_COLS} FROM cases WHERE id = ?",
                                 (case_id,)).fetchone()
        if row is None:
            raise ValidationError("Deze casus bestaat niet (meer).")
        return self._row_to_case(row)

    def exists(self, case_id: int) -> bool:
        return self.vault.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is not None

    def labels(self) -> list[tuple[int, str]]:
        return list(self.vault.execute("SELECT id, label FROM cases ORDER BY label_key"))

    def summaries(self, flt: CaseFilter | None = None, today: dt.date | None = None
                  ) -> list[CaseSummary]:
        flt = flt or CaseFilter()
        where, params = [], []
        if flt.statuses:
            where.append(f"c.status IN ({','.join('?' * len(flt.statuses))})")
            params += [s.value for s in flt.statuses]
        if flt.form is not None:
            where.append("(',' || c.forms || ',') LIKE ?")
            params.append(f"%,{flt.form.value},%")
        if flt.subject is not None:
            where.append("c.subject = ?")
            params.append(flt.subject.value)
        if flt.opened_from is not None:
            where.append("c.opened_on >= ?")
            params.append(flt.opened_from.isoformat())
        if flt.opened_to is not None:
            where.append("c.opened_on <= ?")
            params.append(flt.opened_to.isoformat())
        q = fts_query(flt.query)
        if flt.query.strip() and q is None:
            return []  # only punctuation typed: nothing can match
        if q is not None:
            # Two steps: an FTS subquery inside IN re-reads the index rows per match and was
            # 2.5x slower at 10,000 cases than collecting the ids first.
            ids = [r[0] for r in self.vault.execute(
                "SELECT DISTINCT rowid >> 32 FROM search WHERE search MATCH ?", (q,))]
            if not ids:
                return []
            where.append("c.id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(ids))
        sql = (
            "SELECT c.id, c.label, c.opened_on, c.status, c.subject, c.forms, c.minor, "
            "c.last_activity, c.open_followups, c.meldcode_line FROM cases c "
            + (("WHERE " + " AND ".join(where)) if where else "")
            + " ORDER BY c.opened_on DESC, c.id DESC"
        )
        # Plain dict look-ups instead of Enum calls and one frozenset per distinct forms text:
        # building 10,000 rows is Python-bound, not SQL-bound.
        forms_of: dict[str, frozenset[Form]] = {}
        fromiso = dt.date.fromisoformat
        out = []
        for r in self.vault.execute(sql, params):
            forms = forms_of.get(r[5])
            if forms is None:
                forms = forms_of[r[5]] = frozenset(_FORM[f] for f in r[5].split(",") if f)
            out.append(CaseSummary(
                r[0], r[1], fromiso(r[2]), _STATUS[r[3]], _SUBJECT[r[4]], forms, _MINOR[r[6]],
                fromiso(r[7]) if r[7] else None, r[8], r[9]))
        return out

    # --- entries --------------------------------------------------------------------
    def add_entry(self, entry: Entry) -> Entry:
        with self.vault.transaction() as conn:
            self._add_entry(conn, entry)
        return entry

    def _add_entry(self, conn, entry: Entry) -> Entry:
        entry.created_at = dt.datetime.now().replace(microsecond=0)
        cur = conn.execute(
            "INSERT INTO entries(case_id, kind, occurred_on, created_at, title, facts, "
            "interpretation, body, data) VALUES (?,?,?,?,?,?,?,?,?)",
            (entry.case_id, entry.kind.value, entry.occurred_on.isoformat(),
             entry.created_at.isoformat(), entry.title, entry.facts, entry.interpretation,
             entry.body, _dumps(entry.data)),
        )
        entry.id = cur.lastrowid
        conn.execute("INSERT INTO search(rowid, text, case_id, entry_id) VALUES (?, ?, ?, ?)",
                     (search_rowid(entry.case_id, entry.id), entry.text(), entry.case_id,
                      entry.id))
        conn.execute(
            "UPDATE cases SET updated_at = ?, last_activity = "
            "CASE WHEN last_activity IS NULL OR last_activity < ? THEN ? ELSE last_activity END "
            "WHERE id = ?",
            (_now(), entry.occurred_on.isoformat(), entry.occurred_on.isoformat(), entry.case_id))
        return entry

    def get_entry(self, entry_id: int) -> Entry:
        rows = self._entries("e.id = ?", (entry_id,))
        if not rows:
            raise ValidationError("Deze tijdlijnregel bestaat niet (meer).")
        return rows[0]

    def replace_entry(self, old: Entry, new: Entry) -> Entry:
        """Save `new` over `old`, keeping `old` in the history table."""
        with self.vault.transaction() as conn:
            conn.execute(
                "INSERT INTO entry_history(entry_id, saved_at, occurred_on, title, facts, "
                "interpretation, body) VALUES (?,?,?,?,?,?,?)",
                (old.id, _now(), old.occurred_on.isoformat(), old.title, old.facts,
                 old.interpretation, old.body),
            )
            conn.execute(
                "UPDATE entries SET occurred_on=?, title=?, facts=?, interpretation=?, body=?, "
                "data=? WHERE id=?",
                (new.occurred_on.isoformat(), new.title, new.facts, new.interpretation, new.body,
                 _dumps(new.data), old.id),
            )
            conn.execute("UPDATE cases SET last_activity = (SELECT MAX(occurred_on) FROM entries "
                         "WHERE case_id = ?) WHERE id = ?", (old.case_id, old.case_id))
            conn.execute("DELETE FROM search WHERE rowid = ?", (search_rowid(old.case_id, old.id),))
            # History stays searchable too: a corrected word should still find the case.
            conn.execute("INSERT INTO search(rowid, text, case_id, entry_id) VALUES (?, ?, ?, ?)",
                         (search_rowid(old.case_id, old.id), new.text() + "\n" + old.text(),
                          old.case_id, old.id))
        return self.get_entry(old.id)

    def timeline(self, case_id: int) -> list[Entry]:
        return self._entries("e.case_id = ?", (case_id,))

    def _entries(self, where: str, params: tuple) -> list[Entry]:
        rows = self.vault.execute(
            "SELECT e.id, e.case_id, e.kind, e.occurred_on, e.created_at, e.title, e.facts, "
            f"e.interpretation, e.body, e.data FROM entries e WHERE {where} "
            "ORDER BY e.occurred_on DESC, e.id DESC", params).fetchall()
        entries = [Entry(id=r[0], case_id=r[1], kind=EntryKind(r[2]), occurred_on=_d(r[3]),
                         created_at=dt.datetime.fromisoformat(r[4]), title=r[5], facts=r[6],
                         interpretation=r[7], body=r[8], data=json.loads(r[9] or "{}"))
                   for r in rows]
        if entries:
            by_id = {e.id: e for e in entries}
            marks = ",".join("?" * len(by_id))
            for h in self.vault.execute(
                    "SELECT entry_id, saved_at, occurred_on, title, facts, interpretation, body "
                    f"FROM entry_history WHERE entry_id IN ({marks}) ORDER BY id", tuple(by_id)):
                by_id[h[0]].history.append(EntryVersion(
                    saved_at=dt.datetime.fromisoformat(h[1]), occurred_on=_d(h[2]), title=h[3],
                    facts=h[4], interpretation=h[5], body=h[6]))
        return entries

    # --- follow-ups ----------------------------------------------------------------------
    def add_followup(self, fu: FollowUp) -> FollowUp:
        with self.vault.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO followups(case_id, due_on, what, done_on, created_at) "
                "VALUES (?,?,?,?,?)",
                (fu.case_id, fu.due_on.isoformat(), fu.what, _iso(fu.done_on), _now()))
            fu.id = cur.lastrowid
            self._count_followups(conn, fu.case_id)
        return fu

    def get_followup(self, fu_id: int) -> FollowUp:
        r = self.vault.execute("SELECT id, case_id, due_on, what, done_on FROM followups "
                               "WHERE id = ?", (fu_id,)).fetchone()
        if r is None:
            raise ValidationError("Deze follow-up bestaat niet (meer).")
        return FollowUp(id=r[0], case_id=r[1], due_on=_d(r[2]), what=r[3], done_on=_d(r[4]))

    def complete_followup(self, fu: FollowUp, done_on: dt.date, entry: Entry) -> Entry:
        with self.vault.transaction() as conn:
            conn.execute("UPDATE followups SET done_on = ? WHERE id = ?",
                         (done_on.isoformat(), fu.id))
            self._count_followups(conn, fu.case_id)
            self._add_entry(conn, entry)
        return entry

    def _count_followups(self, conn, case_id: int) -> None:
        conn.execute("UPDATE cases SET open_followups = (SELECT COUNT(*) FROM followups WHERE "
                     "case_id = ? AND done_on IS NULL) WHERE id = ?", (case_id, case_id))

    def followups(self, case_id: int) -> list[FollowUp]:
        return [FollowUp(id=r[0], case_id=r[1], due_on=_d(r[2]), what=r[3], done_on=_d(r[4]))
                for r in self.vault.execute(
                    "SELECT id, case_id, due_on, what, done_on FROM followups WHERE case_id = ? "
                    "ORDER BY done_on IS NOT NULL, due_on", (case_id,))]

    def open_followups_until(self, until: dt.date) -> list[DueFollowUp]:
        return [DueFollowUp(FollowUp(id=r[0], case_id=r[1], due_on=_d(r[2]), what=r[3]), r[4])
                for r in self.vault.execute(
                    "SELECT f.id, f.case_id, f.due_on, f.what, c.label FROM followups f "
                    "JOIN cases c ON c.id = f.case_id WHERE f.done_on IS NULL AND f.due_on <= ? "
                    "ORDER BY f.due_on, f.id", (until.isoformat(),))]

    # --- per-case state ---------------------------------------------------------------
    def get_state(self, case_id: int, key: str) -> dict | None:
        row = self.vault.execute("SELECT value FROM case_state WHERE case_id = ? AND key = ?",
                                 (case_id, key)).fetchone()
        return json.loads(row[0]) if row else None

    def set_state(self, case_id: int, key: str, value: dict[str, Any]) -> None:
        with self.vault.transaction() as conn:
            conn.execute(
                "INSERT INTO case_state(case_id, key, value, updated_at) VALUES (?,?,?,?) "
                "ON CONFLICT(case_id, key) DO UPDATE SET value = excluded.value, "
                "updated_at = excluded.updated_at",
                (case_id, key, _dumps(value), _now()))
            if key == "meldcode_status":
                conn.execute("UPDATE cases SET meldcode_line = ? WHERE id = ?",
                             (str(value.get("line", "")), case_id))

    # --- retention --------------------------------------------------------------------
    def due_for_deletion(self, until: dt.date) -> list[Case]:
        rows = self.vault.execute(
            f"SELECT {_CASE_COLS} FROM cases WHERE status = ? AND delete_after IS NOT NULL "
            "AND delete_after <= ? ORDER BY delete_after", (Status.AFGESLOTEN.value,
                                                           until.isoformat()))
        return [self._row_to_case(r) for r in rows]

    def delete_physically(self, case: Case, reason: str, today: dt.date) -> None:
        """Remove every trace of the case; keep a content-free tombstone; then VACUUM."""
        with self.vault.transaction() as conn:
            conn.execute("DELETE FROM search WHERE rowid BETWEEN ? AND ?",
                         (search_rowid(case.id), search_rowid(case.id, 0xFFFFFFFF)))
            from aandacht.store.disclosures import DisclosureStore

            # Same transaction: the log keeps content-free tombstones (dates, recipient kind,
            # reason) and lets go of the case id, which SQLite may hand to a later case.
            DisclosureStore(self.vault).tombstone_case(case.id, "bewaartermijn", today)
            conn.execute("DELETE FROM cases WHERE id = ?", (case.id,))
            conn.execute(
                "INSERT INTO tombstones(case_id, opened_on, closed_on, deleted_on, reason) "
                "VALUES (?,?,?,?,?)",
                (case.id, _iso(case.opened_on), _iso(case.closed_on), today.isoformat(), reason))
        self.compact()

    def compact(self) -> None:
        """Merge the FTS segments and VACUUM so deleted text leaves the file, WAL included."""
        conn = self.vault.conn
        conn.execute("INSERT INTO search(search) VALUES('optimize')")
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def tombstones(self) -> list[tuple]:
        return list(self.vault.execute(
            "SELECT case_id, opened_on, closed_on, deleted_on, reason FROM tombstones "
            "ORDER BY deleted_on DESC"))

    # --- statistics (the jaaroverzicht) -----------------------------------------------------
    def stats_rows(self, year: int) -> Iterable[tuple]:
        """(opened_on, forms, subject, source_type, minor, route recipients JSON list) per case
        opened in `year`. Only categories leave this method: no labels, no free text."""
        return self.vault.execute(
            "SELECT c.opened_on, c.forms, c.subject, c.source_type, c.minor, "
            "  (SELECT json_group_array(r.value) FROM entries e, "
            "     json_each(e.data, '$.recipients') r "
            "   WHERE e.case_id = c.id AND e.kind = 'route' "
            "     AND json_type(e.data, '$.recipients') = 'array') "
            "FROM cases c WHERE c.opened_on >= ? AND c.opened_on <= ?",
            (f"{year}-01-01", f"{year}-12-31")).fetchall()
