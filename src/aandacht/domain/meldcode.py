"""The meldcode walk: five steps, what each step records, and the 2019 afwegingskader.

Three layers, all plain Python:

* content — `parse_meldcode()` turns meldcode.toml into frozen dataclasses and
  rejects a broken file with a `ContentError` that names the place;
* state — `MeldcodeState` is the walk of one case as JSON-able data: per step
  the working values (a draft), the recorded values, the revisions;
* rules — validation of a step, the afwegingskader (`kader()`), the options the
  decisions may take, navigation and the status line.

The UI never decides anything itself: it asks these functions what is allowed,
what comes next and what is missing (Electrum's wizard-as-data pattern).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from aandacht.domain.case import validate_date, validate_text
from aandacht.content import text_field as _text
from aandacht.domain.errors import ContentError, NotAllowed, ValidationError

FIELD_TYPES = ("text", "longtext", "date", "bool", "choice", "list", "signals", "groups")
ROLES = ("observations", "followups", "melden", "hulp", "minor", "traject")
MELDEN = ("verplicht", "niet_nodig")
HULP = ("ja", "nee", "open")
HINT_CONDITIONS = ("minderjarig_seksueel",)
STATE_FORMAT = 1
# Draft-only key of a skippable step: {"on": bool, "reason": str}, so a half-typed reason
# to skip step 3 survives a lock like any other field. Never part of recorded values.
SKIP_DRAFT = "_overslaan"
# Draft-only key: the reason for a change typed on a recorded step, kept until recorded.
NOTE_DRAFT = "_wijziging"
DRAFT_KEYS = (SKIP_DRAFT, NOTE_DRAFT)
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_QID_RE = re.compile(r"^A\d+$")


# =====================================================================================
# Content
# =====================================================================================


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Condition:
    """`when = {field, equals}`: a field counts only while another field has this value."""

    field: str
    equals: str | bool

    def holds(self, values: Mapping[str, Any]) -> bool:
        return values.get(self.field) == self.equals


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    type: str
    required: bool = False
    help: str = ""
    choices: tuple[Choice, ...] = ()
    when: Condition | None = None
    future: bool = False  # a date in the future is allowed (deadlines)
    items: tuple[Field, ...] = ()  # the columns of one row (type "list")
    role: str | None = None

    def relevant(self, values: Mapping[str, Any]) -> bool:
        return self.when is None or self.when.holds(values)

    def item(self, item_id: str) -> Field:
        for f in self.items:
            if f.id == item_id:
                return f
        raise KeyError(item_id)

    def choice_label(self, value: Any) -> str:
        for c in self.choices:
            if c.value == value:
                return c.label
        return "" if value in (None, "") else str(value)


@dataclass(frozen=True)
class Skip:
    label: str
    reason_label: str
    guidance: str


@dataclass(frozen=True)
class Step:
    id: str
    number: int
    title: str
    purpose: str
    guidance: str
    fields: tuple[Field, ...]
    skip: Skip | None = None

    def field(self, field_id: str) -> Field:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)

    def has_field(self, field_id: str) -> bool:
        return any(f.id == field_id for f in self.fields)


@dataclass(frozen=True)
class Answer:
    value: str
    label: str
    next: str | None = None
    outcome: str | None = None
    next_optional: bool = False  # the questions after this one may stay open
    requires_criteria: bool = False
    excludes_criteria: bool = False


@dataclass(frozen=True)
class Criterion:
    id: str
    label: str


@dataclass(frozen=True)
class Question:
    id: str
    number: int
    step: str
    text: str
    explanation: str
    subquestions: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    answers: tuple[Answer, ...]

    def answer(self, value: Any) -> Answer | None:
        for a in self.answers:
            if a.value == value:
                return a
        return None

    def criterion(self, cid: str) -> Criterion | None:
        for c in self.criteria:
            if c.id == cid:
                return c
        return None


@dataclass(frozen=True)
class Outcome:
    id: str
    label: str
    short: str
    melden: str  # verplicht | niet_nodig
    hulp: str  # ja | nee | open
    reason: str
    explanation: str
    afsluiten: bool = False  # the walk ends here: the trajectory must be closed


@dataclass(frozen=True)
class Hint:
    id: str
    question: str
    when: str
    text: str


@dataclass(frozen=True)
class Meldcode:
    version: int
    source: dict[str, str]
    steps: tuple[Step, ...]
    questions: tuple[Question, ...]
    outcomes: tuple[Outcome, ...]
    hints: tuple[Hint, ...]

    def step(self, step_id: str) -> Step:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise NotAllowed(f"De meldcode kent geen stap '{step_id}'.")

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def outcome(self, oid: str) -> Outcome:
        for o in self.outcomes:
            if o.id == oid:
                return o
        raise KeyError(oid)

    def step_questions(self, step_id: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.step == step_id)

    @property
    def first_question(self) -> Question:
        return min(self.questions, key=lambda q: q.number)

    def role_field(self, role: str) -> tuple[Step, Field] | None:
        for s in self.steps:
            for f in s.fields:
                if f.role == role:
                    return s, f
        return None

    @property
    def decision_step(self) -> Step:
        """The step that holds the melden decision (step 5, Beslissen)."""
        found = self.role_field("melden")
        assert found is not None  # parse_meldcode guarantees it
        return found[0]

    def index(self, step_id: str) -> int:
        for i, s in enumerate(self.steps):
            if s.id == step_id:
                return i
        raise NotAllowed(f"De meldcode kent geen stap '{step_id}'.")


# --- parsing ------------------------------------------------------------------------

_TOP_KEYS = {"version", "source", "steps", "questions", "outcomes", "hints"}
_SOURCE_KEYS = {"title", "date", "reference", "note"}
_STEP_KEYS = {"id", "number", "title", "purpose", "guidance", "fields", "skip"}
_SKIP_KEYS = {"label", "reason_label", "guidance"}
_FIELD_KEYS = {"id", "label", "type", "required", "help", "choices", "when", "future", "items",
               "role"}
_CHOICE_KEYS = {"value", "label"}
_WHEN_KEYS = {"field", "equals"}
_Q_KEYS = {"id", "number", "step", "text", "explanation", "subquestions", "criteria", "answers"}
_A_KEYS = {"value", "label", "next", "outcome", "next_optional", "requires_criteria",
           "excludes_criteria"}
_C_KEYS = {"id", "label"}
_O_KEYS = {"id", "label", "short", "melden", "hulp", "afsluiten", "reason", "explanation"}
_H_KEYS = {"id", "question", "when", "text"}


def _named(raw: Any, kind: str, n: int, scope: str = "") -> str:
    """'veld 'datum' van stap 'gesprek'' when the id is readable, else 'veld nr. 2 …'."""
    rid = raw.get("id") if isinstance(raw, dict) else None
    name = f"{kind} '{rid}'" if isinstance(rid, str) and rid.strip() else f"{kind} nr. {n}"
    return f"{name} van {scope}" if scope else name


def _table(value: Any, allowed: set[str], where: str, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ContentError(f"{where} moet een tabel zijn", path)
    unknown = set(value) - allowed
    if unknown:
        raise ContentError(f"onbekende sleutel(s) {', '.join(sorted(unknown))} in {where}", path)
    return value


def _tables(value: Any, where: str, path: str, required: bool = True) -> list[Any]:
    if value is None and not required:
        return []
    if not isinstance(value, list) or (required and not value):
        raise ContentError(f"{where} ontbreekt of is leeg", path)
    return value


def _flag(t: dict[str, Any], key: str, where: str, path: str) -> bool:
    value = t.get(key, False)
    if not isinstance(value, bool):
        raise ContentError(f"'{key}' in {where} moet true of false zijn", path)
    return value


def _int(t: dict[str, Any], key: str, where: str, path: str) -> int:
    value = t.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ContentError(f"'{key}' (een geheel getal) ontbreekt in {where}", path)
    return value


def _parse_field(raw: Any, n: int, scope: str, path: str, siblings: dict[str, Field],
                 nested: bool) -> Field:
    kind = "kolom" if nested else "veld"
    where = _named(raw, kind, n, scope)
    t = _table(raw, _FIELD_KEYS, where, path)
    fid = _text(t, "id", where, path)
    if not _ID_RE.match(fid):
        raise ContentError(f"veld-id '{fid}' in {where} mag alleen a-z, 0-9 en _ bevatten", path)
    where = f"{kind} '{fid}' van {scope}"
    if fid in siblings:
        raise ContentError(f"veld-id '{fid}' komt twee keer voor ({where})", path)
    ftype = _text(t, "type", where, path)
    if ftype not in FIELD_TYPES:
        raise ContentError(
            f"onbekend veldtype '{ftype}' bij {where}; kies uit {', '.join(FIELD_TYPES)}", path)
    if nested and ftype in ("list", "signals", "groups"):
        raise ContentError(f"een regel in een lijst kan geen lijst bevatten ({where})", path)

    choices: list[Choice] = []
    if "choices" in t:
        if ftype != "choice":
            raise ContentError(f"'choices' bij {where} kan alleen bij type 'choice'", path)
        seen = set()
        for n, rc in enumerate(_tables(t["choices"], f"'choices' van {where}", path), 1):
            rc = _table(rc, _CHOICE_KEYS, f"keuze nr. {n} van {where}", path)
            value = _text(rc, "value", f"keuze nr. {n} van {where}", path)
            if value in seen:
                raise ContentError(f"keuze '{value}' komt twee keer voor bij {where}", path)
            seen.add(value)
            choices.append(Choice(value, _text(rc, "label", f"keuze '{value}' van {where}", path)))
    if ftype == "choice" and not choices:
        raise ContentError(f"{where} is een keuzeveld zonder 'choices'", path)

    when = None
    if "when" in t:
        w = _table(t["when"], _WHEN_KEYS, f"'when' van {where}", path)
        ref = _text(w, "field", f"'when' van {where}", path)
        target = siblings.get(ref)
        if target is None:
            raise ContentError(
                f"'when' van {where} verwijst naar veld '{ref}', dat er (nog) niet eerder staat",
                path)
        equals = w.get("equals")
        if target.type == "bool":
            if not isinstance(equals, bool):
                raise ContentError(f"'when.equals' van {where} moet true of false zijn", path)
        elif target.type == "choice":
            if equals not in {c.value for c in target.choices}:
                raise ContentError(
                    f"'when.equals' van {where} is '{equals}', geen keuze van veld '{ref}'", path)
        else:
            raise ContentError(
                f"'when' van {where} kan alleen verwijzen naar een keuze- of ja/nee-veld", path)
        when = Condition(ref, equals)

    items: list[Field] = []
    if "items" in t:
        if ftype != "list":
            raise ContentError(f"'items' bij {where} kan alleen bij type 'list'", path)
        item_map: dict[str, Field] = {}
        for n, ri in enumerate(_tables(t["items"], f"'items' van {where}", path), 1):
            f = _parse_field(ri, n, f"lijst '{fid}' van {scope}", path, item_map, nested=True)
            item_map[f.id] = f
            items.append(f)
    if ftype == "list" and not items:
        raise ContentError(f"{where} is een lijst zonder 'items'", path)

    future = _flag(t, "future", where, path)
    if future and ftype != "date":
        raise ContentError(f"'future' bij {where} kan alleen bij een datumveld", path)

    role = t.get("role")
    if role is not None and role not in ROLES:
        raise ContentError(f"onbekende rol '{role}' bij {where}; kies uit {', '.join(ROLES)}",
                           path)
    f = Field(
        id=fid, label=_text(t, "label", where, path), type=ftype,
        required=_flag(t, "required", where, path), help=_text(t, "help", where, path, False),
        choices=tuple(choices), when=when, future=future, items=tuple(items), role=role,
    )
    _check_role(f, where, path)
    return f


def _check_role(f: Field, where: str, path: str) -> None:
    """A role ties a field to code (fact/interpretation split, follow-ups, decisions)."""
    if f.role is None:
        return

    def need(cond: bool, what: str) -> None:
        if not cond:
            raise ContentError(f"{where} met rol '{f.role}' {what}", path)

    values = {c.value for c in f.choices}
    if f.role == "observations":
        need(f.type == "list", "moet een lijst zijn")
        ids = {i.id: i for i in f.items}
        need("soort" in ids and ids["soort"].type == "choice"
             and {c.value for c in ids["soort"].choices} == {"feit", "interpretatie"},
             "moet een kolom 'soort' hebben met de keuzes 'feit' en 'interpretatie'")
        need("tekst" in ids, "moet een kolom 'tekst' hebben")
    elif f.role == "followups":
        need(f.type == "list", "moet een lijst zijn")
        ids = {i.id: i for i in f.items}
        need("wat" in ids and ids["wat"].type in ("text", "longtext"),
             "moet een tekstkolom 'wat' hebben")
        need("datum" in ids and ids["datum"].type == "date" and ids["datum"].required,
             "moet een verplichte datumkolom 'datum' hebben")
    elif f.role in ("melden", "hulp"):
        need(f.type == "choice" and values == {"ja", "nee"},
             "moet een keuzeveld zijn met precies de keuzes 'ja' en 'nee'")
        need(f.required and f.when is None, "moet altijd verplicht zijn")
    elif f.role == "traject":
        need(f.type == "choice" and "afgesloten" in values,
             "moet een keuzeveld met de keuze 'afgesloten' zijn")
    elif f.role == "minor":
        need(f.type == "choice" and "ja" in values, "moet een keuzeveld met de keuze 'ja' zijn")


def _parse_question(raw: Any, n: int, path: str, steps: dict[str, Step]) -> Question:
    where = _named(raw, "afwegingsvraag", n)
    t = _table(raw, _Q_KEYS, where, path)
    qid = _text(t, "id", where, path)
    if not _QID_RE.match(qid):
        raise ContentError(f"vraag-id '{qid}' moet de vorm A1, A2, … hebben", path)
    where = f"afwegingsvraag {qid}"
    step = _text(t, "step", where, path)
    if step not in steps:
        raise ContentError(f"{where} hoort bij stap '{step}', die niet bestaat", path)
    if steps[step].has_field(qid):
        raise ContentError(f"stap '{step}' heeft een veld met dezelfde id als {where}", path)
    subs = t.get("subquestions", [])
    if not isinstance(subs, list) or not all(isinstance(s, str) and s.strip() for s in subs):
        raise ContentError(f"'subquestions' van {where} moet een lijst met tekst zijn", path)
    criteria = []
    seen: set[str] = set()
    for m, rc in enumerate(_tables(t.get("criteria"), f"criteria van {where}", path, False), 1):
        rc = _table(rc, _C_KEYS, f"criterium nr. {m} van {where}", path)
        cid = _text(rc, "id", f"criterium nr. {m} van {where}", path)
        if cid in seen:
            raise ContentError(f"criterium '{cid}' komt twee keer voor bij {where}", path)
        seen.add(cid)
        criteria.append(Criterion(cid, _text(rc, "label", f"criterium '{cid}' van {where}", path)))
    answers = []
    seen = set()
    for m, ra in enumerate(_tables(t.get("answers"), f"de antwoorden van {where}", path), 1):
        awhere = f"antwoord nr. {m} van {where}"
        ra = _table(ra, _A_KEYS, awhere, path)
        value = _text(ra, "value", awhere, path)
        awhere = f"antwoord '{value}' van {where}"
        if value in seen:
            raise ContentError(f"antwoord '{value}' komt twee keer voor bij {where}", path)
        seen.add(value)
        nxt = _text(ra, "next", awhere, path, required=False) or None
        out = _text(ra, "outcome", awhere, path, required=False) or None
        if not nxt and not out:
            raise ContentError(f"{awhere} heeft geen 'next' en geen 'outcome'", path)
        a = Answer(
            value=value, label=_text(ra, "label", awhere, path), next=nxt, outcome=out,
            next_optional=_flag(ra, "next_optional", awhere, path),
            requires_criteria=_flag(ra, "requires_criteria", awhere, path),
            excludes_criteria=_flag(ra, "excludes_criteria", awhere, path),
        )
        if a.next_optional and not a.next:
            raise ContentError(f"{awhere} heeft 'next_optional' maar geen 'next'", path)
        if (a.requires_criteria or a.excludes_criteria) and not criteria:
            raise ContentError(f"{awhere} verwijst naar criteria, maar {where} heeft er geen",
                               path)
        answers.append(a)
    if len(answers) < 2:
        raise ContentError(f"{where} heeft minder dan twee antwoorden", path)
    return Question(
        id=qid, number=_int(t, "number", where, path), step=step,
        text=_text(t, "text", where, path),
        explanation=_text(t, "explanation", where, path, required=False),
        subquestions=tuple(s.strip() for s in subs), criteria=tuple(criteria),
        answers=tuple(answers),
    )


def parse_meldcode(data: dict[str, Any], path: str) -> Meldcode:
    """Validate parsed meldcode.toml; every problem names the file and the place."""
    _table(data, _TOP_KEYS, "het bestand", path)
    if not isinstance(data.get("version"), int) or isinstance(data.get("version"), bool):
        raise ContentError("'version' (een geheel getal) ontbreekt", path)
    if "source" not in data:
        raise ContentError("de tabel [source] met ten minste 'title' ontbreekt", path)
    source = _table(data["source"], _SOURCE_KEYS, "[source]", path)
    _text(source, "title", "[source]", path)

    steps: list[Step] = []
    step_map: dict[str, Step] = {}
    for n, raw in enumerate(_tables(data.get("steps"), "[[steps]]", path), 1):
        where = _named(raw, "stap", n)
        t = _table(raw, _STEP_KEYS, where, path)
        sid = _text(t, "id", where, path)
        if not _ID_RE.match(sid):
            raise ContentError(f"stap-id '{sid}' mag alleen a-z, 0-9 en _ bevatten", path)
        where = f"stap '{sid}'"
        if sid in step_map:
            raise ContentError(f"stap-id '{sid}' komt twee keer voor", path)
        number = _int(t, "number", where, path)
        if number != n:
            raise ContentError(f"{where} heeft nummer {number}, verwacht {n} (oplopend vanaf 1)",
                               path)
        fields: dict[str, Field] = {}
        for m, rf in enumerate(_tables(t.get("fields"), f"de velden van {where}", path), 1):
            f = _parse_field(rf, m, where, path, fields, nested=False)
            fields[f.id] = f
        skip = None
        if "skip" in t:
            s = _table(t["skip"], _SKIP_KEYS, f"[steps.skip] van {where}", path)
            skip = Skip(
                label=_text(s, "label", f"[steps.skip] van {where}", path),
                reason_label=_text(s, "reason_label", f"[steps.skip] van {where}", path),
                guidance=_text(s, "guidance", f"[steps.skip] van {where}", path, False),
            )
        step = Step(
            id=sid, number=number, title=_text(t, "title", where, path),
            purpose=_text(t, "purpose", where, path, required=False),
            guidance=_text(t, "guidance", where, path), fields=tuple(fields.values()), skip=skip,
        )
        steps.append(step)
        step_map[sid] = step

    for role in ("melden", "hulp"):
        found = [(s, f) for s in steps for f in s.fields if f.role == role]
        if len(found) != 1:
            raise ContentError(
                f"er moet precies één veld met rol '{role}' zijn (nu {len(found)})", path)
    step_of = {f.role: s.id for s in steps for f in s.fields if f.role in ("melden", "hulp")}
    if step_of["melden"] != step_of["hulp"]:
        raise ContentError("de velden met rol 'melden' en 'hulp' moeten in dezelfde stap staan",
                           path)

    outcomes: dict[str, Outcome] = {}
    for n, raw in enumerate(_tables(data.get("outcomes"), "[[outcomes]]", path), 1):
        where = _named(raw, "uitkomst", n)
        t = _table(raw, _O_KEYS, where, path)
        oid = _text(t, "id", where, path)
        where = f"uitkomst '{oid}'"
        if oid in outcomes:
            raise ContentError(f"uitkomst '{oid}' komt twee keer voor", path)
        melden = _text(t, "melden", where, path)
        if melden not in MELDEN:
            raise ContentError(f"'melden' van {where} moet {' of '.join(MELDEN)} zijn", path)
        hulp = _text(t, "hulp", where, path)
        if hulp not in HULP:
            raise ContentError(f"'hulp' van {where} moet {', '.join(HULP)} zijn", path)
        outcomes[oid] = Outcome(
            id=oid, label=_text(t, "label", where, path), short=_text(t, "short", where, path),
            melden=melden, hulp=hulp, reason=_text(t, "reason", where, path),
            explanation=_text(t, "explanation", where, path, required=False),
            afsluiten=_flag(t, "afsluiten", where, path),
        )

    questions: dict[str, Question] = {}
    for n, raw in enumerate(_tables(data.get("questions"), "[[questions]]", path), 1):
        q = _parse_question(raw, n, path, step_map)
        if q.id in questions:
            raise ContentError(f"afwegingsvraag '{q.id}' komt twee keer voor", path)
        questions[q.id] = q
    order = [s.id for s in steps]
    numbers = [q.number for q in questions.values()]
    if len(set(numbers)) != len(numbers):
        raise ContentError("twee afwegingsvragen hebben hetzelfde nummer", path)
    for q in questions.values():
        for a in q.answers:
            where = f"antwoord '{a.value}' van afwegingsvraag {q.id}"
            if a.outcome and a.outcome not in outcomes:
                raise ContentError(f"{where} verwijst naar uitkomst '{a.outcome}', die niet "
                                   "bestaat", path)
            if a.next:
                nq = questions.get(a.next)
                if nq is None:
                    raise ContentError(f"{where} verwijst naar vraag '{a.next}', die niet bestaat",
                                       path)
                # Forward only: no cycles, and never back into an earlier step.
                if nq.number <= q.number or order.index(nq.step) < order.index(q.step):
                    raise ContentError(f"{where} verwijst terug naar vraag '{a.next}'", path)
    first = min(questions.values(), key=lambda q: q.number)
    reached = {first.id}
    frontier = [first]
    used_outcomes: set[str] = set()
    while frontier:
        q = frontier.pop()
        for a in q.answers:
            if a.outcome:
                used_outcomes.add(a.outcome)
            if a.next and a.next not in reached:
                reached.add(a.next)
                frontier.append(questions[a.next])
    unreachable = sorted(set(questions) - reached)
    if unreachable:
        raise ContentError(f"afwegingsvraag {', '.join(unreachable)} is onbereikbaar vanaf "
                           f"{first.id}", path)
    unused = sorted(set(outcomes) - used_outcomes)
    if unused:
        raise ContentError(f"uitkomst {', '.join(unused)} wordt door geen antwoord gebruikt", path)
    decision = next(s for s in steps if any(f.role == "melden" for f in s.fields))
    for q in questions.values():
        if order.index(q.step) > order.index(decision.id):
            raise ContentError(f"afwegingsvraag {q.id} staat na de beslisstap", path)

    hints = []
    for n, raw in enumerate(_tables(data.get("hints"), "[[hints]]", path, required=False), 1):
        where = _named(raw, "hint", n)
        t = _table(raw, _H_KEYS, where, path)
        hid = _text(t, "id", where, path)
        qid = _text(t, "question", where, path)
        if qid not in questions:
            raise ContentError(f"hint '{hid}' hoort bij vraag '{qid}', die niet bestaat", path)
        when = _text(t, "when", where, path)
        if when not in HINT_CONDITIONS:
            raise ContentError(f"hint '{hid}' heeft onbekende voorwaarde '{when}'; kies uit "
                               f"{', '.join(HINT_CONDITIONS)}", path)
        hints.append(Hint(hid, qid, when, _text(t, "text", where, path)))

    return Meldcode(
        version=data["version"], source={k: str(v) for k, v in source.items()},
        steps=tuple(steps), questions=tuple(sorted(questions.values(), key=lambda q: q.number)),
        outcomes=tuple(outcomes.values()), hints=tuple(hints),
    )


def load_meldcode(path: str | Path | None = None) -> Meldcode:
    from aandacht.content import content_path, load_toml

    p = Path(path) if path else content_path("meldcode.toml")
    return parse_meldcode(load_toml(p), str(p))


@cache
def default_meldcode() -> Meldcode:
    return load_meldcode()


# =====================================================================================
# State
# =====================================================================================


@dataclass
class StepState:
    values: dict[str, Any] = field(default_factory=dict)  # working copy (draft)
    recorded: dict[str, Any] | None = None  # values at the last completion
    recorded_on: str | None = None  # ISO date-time, minutes
    skipped: bool = False
    skip_reason: str = ""
    revisions: list[dict[str, Any]] = field(default_factory=list)
    entry_id: int | None = None  # timeline entry of the last recording (service)

    @property
    def completed(self) -> bool:
        return self.recorded is not None

    @property
    def dirty(self) -> bool:
        """Changed since it was recorded, not yet recorded again."""
        return self.completed and not self.skipped and fields_only(self.values) != self.recorded

    def to_dict(self) -> dict[str, Any]:
        return {
            "values": copy.deepcopy(self.values), "recorded": copy.deepcopy(self.recorded),
            "recorded_on": self.recorded_on, "completed": self.completed,
            "skipped": self.skipped, "skip_reason": self.skip_reason,
            "revisions": copy.deepcopy(self.revisions), "entry_id": self.entry_id,
        }


@dataclass
class MeldcodeState:
    steps: dict[str, StepState]
    current: str
    content_version: int
    started_on: str | None = None
    review: dict[str, Any] | None = None  # set when a step changed after the decision
    followups_made: list[str] = field(default_factory=list)  # keys, against duplicates

    def step(self, step_id: str) -> StepState:
        return self.steps.setdefault(step_id, StepState())

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": STATE_FORMAT, "content_version": self.content_version,
            "current": self.current, "started_on": self.started_on,
            "review": copy.deepcopy(self.review), "followups_made": list(self.followups_made),
            "steps": {k: s.to_dict() for k, s in self.steps.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], content: Meldcode | None = None) -> MeldcodeState:
        """Rebuild a walk from stored JSON; a damaged record is refused, not guessed at."""
        content = content or default_meldcode()
        bad = ValidationError(
            "De opgeslagen meldcode-voortgang van deze casus is beschadigd en kan niet worden "
            "gelezen.", "meldcode")
        try:
            if not isinstance(data, Mapping) or data.get("format") != STATE_FORMAT:
                raise bad
            steps = {}
            for sid, s in dict(data.get("steps") or {}).items():
                recorded = s.get("recorded")
                if not isinstance(s.get("values", {}), dict) or not (
                        recorded is None or isinstance(recorded, dict)):
                    raise bad
                revisions = s.get("revisions") or []
                if not isinstance(revisions, list):
                    raise bad
                steps[str(sid)] = StepState(
                    values=dict(s.get("values") or {}), recorded=recorded,
                    recorded_on=s.get("recorded_on"), skipped=bool(s.get("skipped", False)),
                    skip_reason=str(s.get("skip_reason") or ""), revisions=list(revisions),
                    entry_id=s.get("entry_id"),
                )
            state = cls(
                steps=steps, current=str(data.get("current") or content.steps[0].id),
                content_version=int(data.get("content_version") or content.version),
                started_on=data.get("started_on"), review=data.get("review"),
                followups_made=[str(k) for k in data.get("followups_made") or []],
            )
        except (AttributeError, TypeError, ValueError):
            raise bad from None
        for s in content.steps:
            state.step(s.id)
        if state.current not in {s.id for s in content.steps}:
            state.current = content.steps[0].id
        return state


def new_state(content: Meldcode) -> MeldcodeState:
    return MeldcodeState(
        steps={s.id: StepState() for s in content.steps}, current=content.steps[0].id,
        content_version=content.version,
    )


def has_content(values: Mapping[str, Any]) -> bool:
    """Whether a draft holds anything typed or chosen (an untouched page saves empties)."""
    if any(_norm(v) is not None for v in fields_only(values).values()):
        return True
    skip = values.get(SKIP_DRAFT)
    if isinstance(skip, Mapping) and (skip.get("on") or str(skip.get("reason") or "").strip()):
        return True
    return bool(str(values.get(NOTE_DRAFT) or "").strip())


def is_started(state: MeldcodeState) -> bool:
    return any(s.completed or has_content(s.values) for s in state.steps.values())


@dataclass(frozen=True)
class WalkContext:
    """What the walk needs to know about the case (for defaults and hints)."""

    minor: str = "onbekend"  # ja | nee | onbekend
    forms: frozenset[str] = frozenset()

    @classmethod
    def from_case(cls, case: Any) -> WalkContext:
        return cls(minor=str(case.minor), forms=frozenset(str(f) for f in case.forms))


# =====================================================================================
# Values: cleaning and display
# =====================================================================================


def _clean_scalar(f: Field, value: Any) -> Any:
    if f.type == "bool":
        if value is None or isinstance(value, bool):
            return value
        raise ValidationError(f"'{f.label}' moet ja of nee zijn.", f.id)
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise ValidationError(f"'{f.label}' heeft een ongeldige waarde.", f.id)
    return validate_text(value, f.label)


def _clean_field(f: Field, value: Any) -> Any:
    if f.type == "list":
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(r, Mapping) for r in value):
            raise ValidationError(f"'{f.label}' heeft een ongeldige waarde.", f.id)
        return [{i.id: _clean_scalar(i, row.get(i.id)) for i in f.items} for row in value]
    if f.type in ("signals", "groups"):
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
            raise ValidationError(f"'{f.label}' heeft een ongeldige waarde.", f.id)
        return list(dict.fromkeys(value))
    return _clean_scalar(f, value)


def _clean_answer(q: Question, value: Any) -> dict[str, Any]:
    if value is None:
        return {"answer": "", "reasoning": "", "criteria": []}
    if not isinstance(value, Mapping):
        raise ValidationError(f"Het antwoord op afwegingsvraag {q.number} is ongeldig.", q.id)
    answer = value.get("answer") or ""
    reasoning = value.get("reasoning") or ""
    criteria = value.get("criteria") or []
    if not isinstance(answer, str) or not isinstance(reasoning, str) \
            or not isinstance(criteria, list):
        raise ValidationError(f"Het antwoord op afwegingsvraag {q.number} is ongeldig.", q.id)
    known = [c.id for c in q.criteria]
    return {
        "answer": answer,
        "reasoning": validate_text(reasoning, f"toelichting bij afwegingsvraag {q.number}"),
        "criteria": [c for c in known if c in criteria],
    }


def fields_only(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values without the draft-only keys (what may be recorded)."""
    return {k: v for k, v in values.items() if k not in DRAFT_KEYS}


def skip_draft(step_state: StepState) -> dict[str, Any]:
    """The skip choice a page shows: the draft, else what was recorded."""
    draft = step_state.values.get(SKIP_DRAFT)
    if isinstance(draft, Mapping):
        return {"on": bool(draft.get("on")), "reason": str(draft.get("reason") or "")}
    return {"on": step_state.skipped, "reason": step_state.skip_reason}


def clean_values(content: Meldcode, step_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Keep only this step's fields and questions, with JSON-safe types."""
    step = content.step(step_id)
    out: dict[str, Any] = {}
    if step.skip is not None and isinstance(values.get(SKIP_DRAFT), Mapping):
        draft = values[SKIP_DRAFT]
        reason = draft.get("reason") or ""
        if not isinstance(reason, str):
            raise ValidationError(f"'{step.skip.reason_label}' heeft een ongeldige waarde.",
                                  "skip_reason")
        out[SKIP_DRAFT] = {"on": bool(draft.get("on")),
                           "reason": validate_text(reason, step.skip.reason_label)}
    note = values.get(NOTE_DRAFT)
    if isinstance(note, str) and note:
        out[NOTE_DRAFT] = validate_text(note, "reden van de wijziging")
    for f in step.fields:
        if f.id in values:
            out[f.id] = _clean_field(f, values[f.id])
    for q in content.step_questions(step_id):
        if q.id in values:
            out[q.id] = _clean_answer(q, values[q.id])
    return out


def format_date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).strftime("%d-%m-%Y")
    except (TypeError, ValueError):
        return value or ""


def display_scalar(f: Field, value: Any) -> str:
    if f.type == "bool":
        return {True: "Ja", False: "Nee"}.get(value, "")
    if f.type == "choice":
        return f.choice_label(value)
    if f.type == "date":
        return format_date(value)
    return "" if value is None else str(value)


def display_value(f: Field, value: Any, signalen: Any = None) -> str:
    """One field as readable Dutch text (lists one line per row)."""
    if f.type == "list":
        lines = []
        for n, row in enumerate(value or [], 1):
            parts = [f"{i.label}: {display_scalar(i, row.get(i.id))}"
                     for i in f.items if i.relevant(row) and display_scalar(i, row.get(i.id))]
            lines.append(f"{n}. " + "; ".join(parts))
        return "\n".join(lines)
    if f.type in ("signals", "groups"):
        if signalen is None:
            return ", ".join(value or [])
        return "\n".join(f"{c} — {signalen.label(c)}" for c in value or [])
    return display_scalar(f, value)


def display_answer(q: Question, value: Mapping[str, Any] | None) -> str:
    if not value or not value.get("answer"):
        return ""
    a = q.answer(value.get("answer"))
    return a.label if a else str(value.get("answer"))


# =====================================================================================
# Afwegingskader
# =====================================================================================


@dataclass(frozen=True)
class KaderResult:
    path: tuple[tuple[Question, Answer], ...]
    pending: Question | None  # the next question to answer, if any
    pending_required: bool  # False when the remaining questions may stay open
    outcomes: tuple[Outcome, ...]  # outcomes met on the path, in order

    @property
    def melden(self) -> str | None:
        """'verplicht', 'niet_nodig', or None while undecided."""
        if any(o.melden == "verplicht" for o in self.outcomes):
            return "verplicht"
        if self.pending is None and self.outcomes:
            return self.outcomes[-1].melden
        return None

    @property
    def hulp(self) -> str | None:
        """'ja', 'nee', 'open', or None while undecided."""
        if self.pending is None and self.outcomes:
            return self.outcomes[-1].hulp
        if self.pending is not None and not self.pending_required:
            return "open"
        return None

    @property
    def decided(self) -> bool:
        return self.melden is not None and (self.pending is None or not self.pending_required)

    @property
    def final(self) -> Outcome | None:
        return self.outcomes[-1] if self.outcomes else None

    @property
    def binding(self) -> Outcome | None:
        """The outcome that makes melden required, if any (for messages)."""
        for o in self.outcomes:
            if o.melden == "verplicht":
                return o
        return None

    @property
    def optional_ids(self) -> frozenset[str]:
        """Questions that may stay open: those after an answer with `next_optional`
        (A3–A5 after A2 'ja', answered later together with Veilig Thuis)."""
        out: set[str] = set()
        optional = False
        for q, a in self.path:
            if optional:
                out.add(q.id)
            optional = optional or a.next_optional
        if self.pending is not None and not self.pending_required:
            out.add(self.pending.id)
        return frozenset(out)

    def answered(self, qid: str) -> Answer | None:
        for q, a in self.path:
            if q.id == qid:
                return a
        return None


def kader(content: Meldcode, answers: Mapping[str, Any]) -> KaderResult:
    """Walk the afwegingsvragen with the given answers ({"A1": {"answer": "ja"}, …})."""
    path: list[tuple[Question, Answer]] = []
    outcomes: list[Outcome] = []
    optional = False
    q: Question | None = content.first_question
    pending = None
    while q is not None:
        given = answers.get(q.id) or {}
        a = q.answer(given.get("answer")) if isinstance(given, Mapping) else None
        if a is None:
            pending = q
            break
        path.append((q, a))
        if a.outcome:
            outcomes.append(content.outcome(a.outcome))
        optional = optional or a.next_optional
        q = content.question(a.next) if a.next else None
    return KaderResult(tuple(path), pending, pending is not None and not optional,
                       tuple(outcomes))


def answers_of(content: Meldcode, state: MeldcodeState, *, recorded: bool = False,
               override: tuple[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """Collect the question answers from the steps that hold them.

    `recorded=True` reads what was decided (report); otherwise the working values,
    so the page shows the consequence of an answer as soon as it is given.
    """
    out: dict[str, Any] = {}
    for q in content.questions:
        st = state.step(q.step)
        if override and override[0] == q.step:
            src = override[1]
        else:
            src = (st.recorded or {}) if recorded else st.values
        if q.id in src:
            out[q.id] = src[q.id]
    return out


def state_kader(content: Meldcode, state: MeldcodeState, *, recorded: bool = False,
                override: tuple[str, Mapping[str, Any]] | None = None) -> KaderResult:
    return kader(content, answers_of(content, state, recorded=recorded, override=override))


def visible_questions(content: Meldcode, state: MeldcodeState, step_id: str,
                      values: Mapping[str, Any] | None = None) -> tuple[Question, ...]:
    """The questions of a step the AF has to see now: those on the path, then the next."""
    override = (step_id, values) if values is not None else None
    result = state_kader(content, state, override=override)
    on_path = [q for q, _ in result.path if q.step == step_id]
    if result.pending is not None and result.pending.step == step_id:
        on_path.append(result.pending)
    return tuple(on_path)


def decision_options(content: Meldcode, state: MeldcodeState, role: str,
                     values: Mapping[str, Any] | None = None) -> tuple[Choice, ...]:
    """The choices the melden/hulp decision may take, given the afwegingskader.

    Melden required → 'nee' is not offered. A definite help outcome (A3/A4 'nee',
    A5 'ja') fixes the help decision too.
    """
    found = content.role_field(role)
    if found is None:
        raise KeyError(role)
    step, f = found
    result = state_kader(content, state, override=(step.id, values) if values is not None
                         else None)
    if role == "melden" and result.melden == "verplicht":
        return tuple(c for c in f.choices if c.value == "ja")
    if role == "hulp" and result.decided and result.hulp in ("ja", "nee"):
        return tuple(c for c in f.choices if c.value == result.hulp)
    if role == "traject" and result.decided and result.final is not None \
            and result.final.afsluiten:
        return tuple(c for c in f.choices if c.value == "afgesloten")
    return f.choices


def hints_for(content: Meldcode, state: MeldcodeState, question_id: str,
              context: WalkContext | None = None, signalen: Any = None) -> list[str]:
    """Notes to show with a question; e.g. minors need no coercion for sexual exploitation."""
    context = context or WalkContext()
    out = []
    for h in content.hints:
        if h.question == question_id and _condition(h.when, content, state, context, signalen):
            out.append(h.text)
    return out


def _condition(name: str, content: Meldcode, state: MeldcodeState, context: WalkContext,
               signalen: Any) -> bool:
    if name == "minderjarig_seksueel":
        minor = context.minor
        found = content.role_field("minor")
        if found:
            recorded = state.step(found[0].id).values.get(found[1].id)
            if recorded in ("ja", "nee"):
                minor = recorded
        if minor != "ja":
            return False
        if "seksueel" in context.forms:
            return True
        if signalen is not None:
            for s in content.steps:
                for f in s.fields:
                    if f.type == "signals":
                        for code in state.step(s.id).values.get(f.id) or []:
                            ind = signalen.indicator(code)
                            if ind and "seksueel" in signalen.form(ind.form_id).case_forms:
                                return True
        return False
    raise KeyError(name)


def initial_values(content: Meldcode, step_id: str, context: WalkContext) -> dict[str, Any]:
    """Defaults for a step that has no values yet (e.g. 'minderjarig' from the case)."""
    out: dict[str, Any] = {}
    for f in content.step(step_id).fields:
        if f.role == "minor" and context.minor in {c.value for c in f.choices}:
            out[f.id] = context.minor
    return out


# =====================================================================================
# Validation
# =====================================================================================


@dataclass(frozen=True)
class Problem:
    field: str  # field id, question id, or "list.row.column" (row from 1)
    message: str


class StepIncomplete(ValidationError):
    """A step cannot be recorded; `problems` lists every reason, `field` the first."""

    def __init__(self, problems: list[Problem]):
        if len(problems) == 1:
            message = problems[0].message
        else:
            message = "Deze stap is nog niet compleet:\n" + "\n".join(
                f"• {p.message}" for p in problems)
        super().__init__(message, problems[0].field)
        self.problems = problems


def _why(f: Field, scope: Field | Step | None, values: Mapping[str, Any]) -> str:
    if f.when is not None and scope is not None:
        fields = scope.items if isinstance(scope, Field) else scope.fields
        cond = next((x for x in fields if x.id == f.when.field), None)
        if cond is not None:
            return (f"dit is verplicht omdat bij '{cond.label}' "
                    f"'{display_scalar(cond, f.when.equals)}' is gekozen")
    return "dit gegeven is verplicht voor het meldcode-dossier"


def _missing(f: Field, value: Any) -> bool:
    if f.type == "bool":
        return value is None
    if f.type in ("list", "signals", "groups"):
        return not value
    return not str(value or "").strip()


def _check_scalar(f: Field, value: Any, prefix: str, why: str, today: dt.date,
                  key: str) -> list[Problem]:
    if f.required and _missing(f, value):
        if f.type == "bool":
            verb = f"Kies ja of nee bij '{f.label}'"
        elif f.type == "choice":
            verb = f"Kies een antwoord bij '{f.label}'"
        else:
            verb = f"Vul '{f.label}' in"
        return [Problem(key, f"{prefix}{verb}; {why}.")]
    if f.type == "date" and value:
        try:
            day = dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            return [Problem(key, f"{prefix}'{f.label}' is geen geldige datum (dag-maand-jaar).")]
        try:
            if f.future:
                if day < dt.date(2000, 1, 1):
                    raise ValidationError(
                        f"De datum bij '{f.label}' ligt vóór 2000; controleer het jaar.")
            else:
                validate_date(day, f.label, today)
        except ValidationError as exc:
            return [Problem(key, f"{prefix}{exc}")]
    if f.type == "choice" and value and value not in {c.value for c in f.choices}:
        return [Problem(key, f"{prefix}'{value}' is geen keuze bij '{f.label}'.")]
    return []


def _check_fields(step: Step, values: Mapping[str, Any], today: dt.date,
                  signalen: Any) -> list[Problem]:
    problems: list[Problem] = []
    for f in step.fields:
        if not f.relevant(values):
            continue
        value = values.get(f.id)
        why = _why(f, step, values)
        if f.type == "list":
            rows = value or []
            if f.required and not rows:
                problems.append(Problem(
                    f.id, f"Voeg ten minste één regel toe bij '{f.label}'; {why}."))
            for n, row in enumerate(rows, 1):
                for i in f.items:
                    if i.relevant(row):
                        problems += _check_scalar(
                            i, row.get(i.id), f"Regel {n} bij '{f.label}': ",
                            _why(i, f, row), today, f"{f.id}.{n}.{i.id}")
        elif f.type in ("signals", "groups"):
            if f.required and not value:
                problems.append(Problem(f.id, f"Kies ten minste één signaal bij '{f.label}'; "
                                              f"{why}."))
            if signalen is not None:
                lookup = signalen.indicator if f.type == "signals" else signalen.group
                unknown = [c for c in value or [] if lookup(c) is None]
                if unknown:
                    problems.append(Problem(f.id, f"Onbekende code(s) bij '{f.label}': "
                                                  f"{', '.join(unknown)}."))
        else:
            problems += _check_scalar(f, value, "", why, today, f.id)
    return problems


def check_answer(q: Question, value: Mapping[str, Any] | None) -> list[Problem]:
    """One answered question: reasoning present, criteria consistent with the answer."""
    value = value or {}
    a = q.answer(value.get("answer"))
    if a is None:
        return [Problem(q.id, f"Beantwoord afwegingsvraag {q.number}: {q.text}")]
    problems = []
    ticked = [q.criterion(c) for c in value.get("criteria") or [] if q.criterion(c)]
    if a.excludes_criteria and ticked:
        problems.append(Problem(q.id, (
            f"Bij afwegingsvraag {q.number} kiest u '{a.label}', maar u heeft ook "
            f"'{ticked[0].label}' aangevinkt. Dat spreekt elkaar tegen: pas het antwoord aan "
            "of haal het vinkje weg.")))
    if a.requires_criteria and not ticked:
        problems.append(Problem(q.id, (
            f"Bij afwegingsvraag {q.number} kiest u '{a.label}': vink aan om welke vorm van "
            "onveiligheid het gaat (ten minste één).")))
    if not str(value.get("reasoning") or "").strip():
        problems.append(Problem(q.id, (
            f"Geef bij afwegingsvraag {q.number} een toelichting op uw antwoord; het "
            "afwegingskader vraagt om een onderbouwing.")))
    return problems


def check_step(content: Meldcode, state: MeldcodeState, step_id: str,
               values: Mapping[str, Any] | None = None, *, today: dt.date | None = None,
               signalen: Any = None) -> list[Problem]:
    """Everything that keeps this step from being recorded, in page order."""
    today = today or dt.date.today()
    step = content.step(step_id)
    values = fields_only(clean_values(
        content, step_id, state.step(step_id).values if values is None else values))
    problems = []
    # The afwegingskader reads the working values of every step; recording on top of an
    # earlier step whose changes were not recorded would let the two disagree.
    for earlier in content.steps[:content.index(step_id)]:
        if state.step(earlier.id).dirty:
            problems.append(Problem("", (
                f"Stap {earlier.number} ({earlier.title}) is gewijzigd maar nog niet opnieuw "
                "vastgelegd. Leg die stap eerst vast, of zet de wijziging terug.")))
    problems += _check_fields(step, values, today, signalen)

    result = state_kader(content, state, override=(step_id, values))
    for q, _ in result.path:
        if q.step == step_id:
            problems += check_answer(q, values.get(q.id))
    if result.pending is not None and result.pending_required:
        p = result.pending
        if p.step == step_id:
            problems += check_answer(p, values.get(p.id))
        elif content.index(p.step) < content.index(step_id):
            problems.append(Problem(p.id, (
                f"Beantwoord eerst afwegingsvraag {p.number} in stap "
                f"{content.step(p.step).number} ({content.step(p.step).title}).")))
    elif result.pending is not None and result.pending.step == step_id:
        # Optional questions (answered with Veilig Thuis later): check only what was given.
        given = values.get(result.pending.id) or {}
        if given.get("answer") or str(given.get("reasoning") or "").strip():
            problems += check_answer(result.pending, given)

    problems += _check_decisions(content, step, values, result)
    return problems


def _check_decisions(content: Meldcode, step: Step, values: Mapping[str, Any],
                     result: KaderResult) -> list[Problem]:
    problems = []
    melden = content.role_field("melden")
    hulp = content.role_field("hulp")
    if melden and melden[0].id == step.id:
        f = melden[1]
        if values.get(f.id) == "nee" and result.melden == "verplicht":
            o = result.binding
            problems.append(Problem(f.id, (
                f"Melden bij Veilig Thuis is vereist: {o.reason if o else ''}. "
                f"'{f.choice_label('nee')}' kan hier niet worden gekozen; wijzig zo nodig eerst "
                "het antwoord op de afwegingsvraag.")))
    traject = content.role_field("traject")
    if traject and traject[0].id == step.id and result.decided and result.final is not None \
            and result.final.afsluiten:
        f = traject[1]
        chosen = values.get(f.id)
        if chosen and chosen != "afgesloten":
            problems.append(Problem(f.id, (
                f"Het traject moet worden afgesloten: {result.final.reason}. Kies "
                f"'{f.choice_label('afgesloten')}' bij '{f.label}' en leg vast hoe, of wijzig "
                "eerst het antwoord op de afwegingsvraag.")))
    if hulp and hulp[0].id == step.id and result.decided and result.hulp in ("ja", "nee"):
        f = hulp[1]
        chosen = values.get(f.id)
        if chosen and chosen != result.hulp:
            o = result.final
            problems.append(Problem(f.id, (
                f"Het besluit over hulp past niet bij het afwegingskader: "
                f"{o.reason if o else ''}. Kies '{f.choice_label(result.hulp)}' of wijzig eerst "
                "het antwoord op de afwegingsvraag.")))
    return problems


# =====================================================================================
# Navigation
# =====================================================================================


def next_step(content: Meldcode, state: MeldcodeState) -> str | None:
    """The step the walk is at: the first one not recorded, or the decision under review."""
    for s in content.steps:
        if not state.step(s.id).completed:
            return s.id
    if state.review:
        return content.decision_step.id
    return None


def allowed_steps(content: Meldcode, state: MeldcodeState) -> tuple[str, ...]:
    """Every recorded step, plus the first one that is not (no jumping ahead)."""
    out = []
    for s in content.steps:
        out.append(s.id)
        if not state.step(s.id).completed:
            break
    return tuple(out)


def following_step(content: Meldcode, step_id: str) -> str | None:
    i = content.index(step_id)
    return content.steps[i + 1].id if i + 1 < len(content.steps) else None


def previous_step(content: Meldcode, step_id: str) -> str | None:
    i = content.index(step_id)
    return content.steps[i - 1].id if i > 0 else None


def go_to(content: Meldcode, state: MeldcodeState, step_id: str) -> None:
    if step_id not in allowed_steps(content, state):
        step = content.step(step_id)
        raise NotAllowed(
            f"Stap {step.number} ({step.title}) kan pas worden geopend als de stappen ervoor "
            "zijn vastgelegd.")
    state.current = step_id


def step_status(content: Meldcode, state: MeldcodeState, step_id: str) -> str:
    """A short Dutch status for the step list."""
    st = state.step(step_id)
    if step_id == content.decision_step.id and state.review and st.completed:
        return "opnieuw bekijken"
    if st.completed and st.skipped:
        return "overgeslagen"
    if st.dirty:
        return "gewijzigd, nog niet vastgelegd"
    if st.completed:
        return "vastgelegd"
    if step_id not in allowed_steps(content, state):
        return "nog niet aan de beurt"
    return "concept" if has_content(st.values) else "te doen"


# =====================================================================================
# Changing the walk
# =====================================================================================


def _now(now: dt.datetime | None) -> str:
    return (now or dt.datetime.now()).replace(second=0, microsecond=0).isoformat(
        timespec="minutes")


def save_draft(content: Meldcode, state: MeldcodeState, step_id: str,
               values: Mapping[str, Any], now: dt.datetime | None = None) -> None:
    """Keep what was typed, complete or not (called on every page change and on lock)."""
    if step_id not in allowed_steps(content, state):
        go_to(content, state, step_id)  # raises NotAllowed with the Dutch reason
    state.step(step_id).values = clean_values(content, step_id, values)
    state.current = step_id
    if state.started_on is None and has_content(state.step(step_id).values):
        state.started_on = _now(now)


@dataclass(frozen=True)
class Recording:
    """What `complete_step`/`skip_step` did, for the service's timeline entry."""

    step: Step
    first_time: bool
    revision: dict[str, Any] | None  # the change record when it was recorded before
    values: dict[str, Any]
    skipped: bool = False
    skip_reason: str = ""


def _changes(content: Meldcode, step: Step, old: Mapping[str, Any] | None, old_skipped: bool,
             old_reason: str, new: Mapping[str, Any], new_skipped: bool,
             new_reason: str) -> list[dict[str, str]]:
    changes = []
    if old_skipped != new_skipped or (new_skipped and old_reason != new_reason):
        label = step.skip.label if step.skip else "Overgeslagen"
        changes.append({
            "field": "skip", "label": label,
            "old": f"Ja: {old_reason}" if old_skipped else "Nee",
            "new": f"Ja: {new_reason}" if new_skipped else "Nee",
        })
    if new_skipped:
        return changes
    old = {} if old_skipped else (old or {})
    for f in step.fields:
        a, b = old.get(f.id), new.get(f.id)
        if _norm(a) != _norm(b):
            changes.append({"field": f.id, "label": f.label, "old": display_value(f, a),
                            "new": display_value(f, b)})
    for q in content.step_questions(step.id):
        a, b = old.get(q.id) or {}, new.get(q.id) or {}
        if _norm(a) != _norm(b):
            def show(v: Mapping[str, Any], q: Question = q) -> str:
                ans = display_answer(q, v)
                return f"{ans} — {v.get('reasoning', '')}".strip(" —") if ans else ""
            changes.append({"field": q.id, "label": f"Afwegingsvraag {q.number}",
                            "old": show(a), "new": show(b)})
    return changes


def _norm(v: Any) -> Any:
    # An empty list, empty string and None all mean "nothing recorded".
    if v in (None, "", [], {}):
        return None
    if isinstance(v, dict) and not any(v.get(k) for k in ("answer", "reasoning", "criteria")) \
            and set(v) <= {"answer", "reasoning", "criteria"}:
        return None
    return v


def _record(content: Meldcode, state: MeldcodeState, step: Step, values: dict[str, Any],
            skipped: bool, reason: str, now: dt.datetime | None, note: str) -> Recording:
    st = state.step(step.id)
    first = not st.completed
    revision = None
    if not first:
        changes = _changes(content, step, st.recorded, st.skipped, st.skip_reason, values,
                           skipped, reason)
        decision = content.decision_step
        after_decision = (step.id != decision.id and state.step(decision.id).completed)
        if changes or note.strip():
            revision = {"on": _now(now), "changes": changes, "note": note.strip(),
                        "after_decision": after_decision}
            st.revisions.append(revision)
            if after_decision and changes:
                state.review = {"step": step.id, "on": _now(now)}
    if skipped:
        kept = {k: v for k, v in st.values.items() if k != NOTE_DRAFT}
        st.values = {**kept, SKIP_DRAFT: {"on": True, "reason": reason}}
    else:
        st.values = copy.deepcopy(values)
    st.recorded = copy.deepcopy(values) if not skipped else {}
    st.recorded_on = _now(now)
    st.skipped = skipped
    st.skip_reason = reason if skipped else ""
    if step.id == content.decision_step.id:
        state.review = None
    if state.started_on is None:
        state.started_on = _now(now)
    nxt = following_step(content, step.id)
    if step.id == content.decision_step.id or nxt is None:
        state.current = step.id
    else:
        state.current = nxt if nxt in allowed_steps(content, state) else step.id
    return Recording(step, first, revision, copy.deepcopy(values), skipped, reason)


def complete_step(content: Meldcode, state: MeldcodeState, step_id: str,
                  values: Mapping[str, Any] | None = None, *, now: dt.datetime | None = None,
                  today: dt.date | None = None, note: str = "", signalen: Any = None
                  ) -> Recording:
    """Validate and record a step; a later change becomes a revision.

    Raises `StepIncomplete` (a ValidationError naming the first field) when
    something is missing or contradicts the afwegingskader, and `NotAllowed` for a
    step that is not yet open. Nothing in the state changes on failure.
    """
    step = content.step(step_id)
    if step_id not in allowed_steps(content, state):
        go_to(content, state, step_id)
    values = fields_only(clean_values(
        content, step_id, state.step(step_id).values if values is None else values))
    problems = check_step(content, state, step_id, values, today=today or
                          (now.date() if now else None), signalen=signalen)
    if problems:
        raise StepIncomplete(problems)
    return _record(content, state, step, values, False, "", now, note)


def skip_step(content: Meldcode, state: MeldcodeState, step_id: str, reason: str, *,
              now: dt.datetime | None = None, note: str = "") -> Recording:
    """Record a step as skipped for safety (step 3); the reason is required."""
    step = content.step(step_id)
    if step.skip is None:
        raise NotAllowed(f"Stap {step.number} ({step.title}) kan niet worden overgeslagen.")
    if step_id not in allowed_steps(content, state):
        go_to(content, state, step_id)
    reason = validate_text(reason or "", step.skip.reason_label).strip()
    if not reason:
        raise StepIncomplete([Problem("skip_reason", (
            f"Vul '{step.skip.reason_label}' in; wie een stap overslaat om "
            "veiligheidsredenen, legt vast waarom."))])
    return _record(content, state, step, {}, True, reason, now, note)


# =====================================================================================
# Summaries
# =====================================================================================


def final_decision(content: Meldcode, state: MeldcodeState) -> dict[str, str] | None:
    """The recorded decisions ({'melden': 'ja'|'nee', 'hulp': …}), or None."""
    step = content.decision_step
    st = state.step(step.id)
    if not st.completed:
        return None
    rec = st.recorded or {}
    return {role: rec.get(content.role_field(role)[1].id, "")  # type: ignore[index]
            for role in ("melden", "hulp")}


def decision_summary(content: Meldcode, state: MeldcodeState) -> str:
    d = final_decision(content, state)
    if d is None:
        return ""
    if d["melden"] == "ja":
        return "gemeld bij Veilig Thuis" + (" en hulp" if d["hulp"] == "ja" else "")
    if d["hulp"] == "ja":
        return "hulp, geen melding"
    return "afgesloten, geen melding"


def status_line(state: MeldcodeState | None, content: Meldcode | None = None) -> str:
    """Header text for the case, e.g. 'Meldcode: stap 4 — melden vereist'."""
    content = content or default_meldcode()
    if state is None or not is_started(state):
        return "Meldcode: nog niet gestart"
    if state.review:
        changed = content.step(state.review["step"]) if any(
            s.id == state.review.get("step") for s in content.steps) else None
        where = f" (stap {changed.number} is gewijzigd)" if changed else ""
        return f"Meldcode: besluit opnieuw bekijken{where}"
    at = next_step(content, state)
    if at is None:
        return f"Meldcode: afgerond — {decision_summary(content, state)}"
    step = content.step(at)
    result = state_kader(content, state)
    if result.melden == "verplicht":
        suffix = "melden vereist"
    elif result.decided and result.final is not None:
        suffix = result.final.short
    else:
        suffix = step.title[0].lower() + step.title[1:]
    return f"Meldcode: stap {step.number} — {suffix}"


def observations_text(content: Meldcode, step_id: str, values: Mapping[str, Any]
                      ) -> tuple[str, str]:
    """(facts, interpretations) of a step, for the timeline's separate fields."""
    facts, interps = [], []
    for f in content.step(step_id).fields:
        if f.role != "observations":
            continue
        for row in values.get(f.id) or []:
            source = display_scalar(f.item("bron"), row.get("bron")) if any(
                i.id == "bron" for i in f.items) else ""
            third = row.get("derde") if row.get("bron") == "derde" else ""
            origin = ", ".join(x for x in (source, third) if x)
            line = str(row.get("tekst") or "").strip()
            if origin:
                line += f" (bron: {origin})"
            (facts if row.get("soort") == "feit" else interps).append(line)
    return "\n".join(facts), "\n".join(interps)


@dataclass(frozen=True)
class FollowUpSpec:
    key: str  # stable, so a revision does not create the same follow-up twice
    due_on: dt.date
    what: str


def followups_from(content: Meldcode, step_id: str, values: Mapping[str, Any]
                   ) -> list[FollowUpSpec]:
    out = []
    for f in content.step(step_id).fields:
        if f.role != "followups":
            continue
        for row in values.get(f.id) or []:
            try:
                due = dt.date.fromisoformat(row.get("datum") or "")
            except ValueError:
                continue
            what = str(row.get("wat") or "").strip()
            owner = str(row.get("wie") or "").strip()
            text = f"{f.label}: {what}" + (f" (eigenaar: {owner})" if owner else "")
            key = f"{step_id}|{f.id}|{due.isoformat()}|{what}|{owner}"
            out.append(FollowUpSpec(key, due, text))
    return out
