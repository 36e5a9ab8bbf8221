"""The routekaart as data: question nodes, answers, outcomes (recipients), settings.

The tree comes from resources/content/routekaart.toml and is validated completely
when it is loaded: unknown keys, dangling node/outcome ids, cycles, unreachable
questions, a path that ends without any recipient, a recipient missing from the
sociale kaart. Points the brief marks uncertain are gemeente settings; answers and
outcomes can depend on a boolean setting (`when`), and a text setting can be
inserted into outcome text as `{name}`.

`RouteWalk` walks the tree with a back-stack, the way a wizard's navmap does: the
UI only shows the node the walk names and asks it what comes next.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from aandacht.content import check_keys, content_path, load_toml, require_source
from aandacht.domain.case import Form, Minor, Subject
from aandacht.domain.errors import ContentError, ValidationError
from aandacht.domain.sociale_kaart import load_sociale_kaart

FILE_NAME = "routekaart.toml"
WALK_FORMAT = "aandacht-routewalk"

PERSONAL_DATA_LABELS = {
    "geen": "Geen persoonsgegevens",
    "voorwaardelijk": "Persoonsgegevens alleen met een vastgelegde grondslag",
    "toegestaan": "Persoonsgegevens voor zover nodig",
}
HANDOVER_FORMS = ("shop", "oov")
HANDOVER_LABELS = {"shop": "Overdracht aan SHOP", "oov": "Overdracht aan OOV"}
SETTING_TYPES = ("bool", "text")
MAX_SETTING_TEXT = 1000

_ID_RE = re.compile(r"^[a-z0-9_]{1,60}$")
_PLACEHOLDER_RE = re.compile(r"\{([A-Za-z0-9_]*)\}")

_TOP_KEYS = {"version", "start", "closing", "source", "settings", "nodes", "outcomes"}
_SOURCE_KEYS = {"title", "date", "reference", "status"}
_SETTING_KEYS = {"label", "type", "default", "description"}
_NODE_KEYS = {"id", "short", "question", "help", "multiple", "answers"}
_ANSWER_KEYS = {"id", "label", "help", "next", "adds", "when", "exclusive", "case"}
_CASE_KEYS = {"subject", "minor", "forms"}
_OUTCOME_KEYS = {"contact", "title", "short", "role", "why", "ground", "personal_data", "share",
                 "conditional", "never", "notes", "handover", "when", "covered_by"}
_OUTCOME_TEXT = ("title", "short", "role", "why", "ground")
_OUTCOME_LISTS = ("share", "conditional", "never", "notes")


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str
    type: str  # "bool" | "text"
    default: bool | str
    description: str


@dataclass(frozen=True)
class Answer:
    id: str
    label: str
    help: str = ""
    next: str | None = None
    adds: tuple[str, ...] = ()
    when: str | None = None
    exclusive: bool = False
    # What the answer says about the case (subject, minor, forms), used to prefill a
    # case saved from a walk done without one.
    case: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Node:
    id: str
    short: str
    question: str
    help: str
    answers: tuple[Answer, ...]
    multiple: bool = False

    def answer(self, answer_id: str) -> Answer:
        for a in self.answers:
            if a.id == answer_id:
                return a
        raise KeyError(answer_id)


@dataclass(frozen=True)
class Outcome:
    id: str
    contact: str
    title: str
    short: str  # a few words for the map and the breadcrumb
    role: str
    why: str
    ground: str
    personal_data: str
    share: tuple[str, ...] = ()
    conditional: tuple[str, ...] = ()
    never: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    handover: str | None = None
    when: str | None = None
    covered_by: tuple[str, ...] = ()  # dropped when one of these is collected too

    @property
    def personal_data_label(self) -> str:
        return PERSONAL_DATA_LABELS[self.personal_data]


@dataclass(frozen=True)
class Step:
    node_id: str
    answer_ids: tuple[str, ...]


@dataclass(frozen=True)
class RoutePath:
    """One complete path through the tree and the outcomes it collects (for tests)."""

    steps: tuple[Step, ...]
    outcome_ids: tuple[str, ...]

    def describe(self) -> str:
        return " → ".join(f"{s.node_id} ({'+'.join(s.answer_ids)})" for s in self.steps)


# --- the tree ----------------------------------------------------------------------


class Routekaart:
    """A validated tree with one set of gemeente settings applied."""

    def __init__(
        self,
        *,
        path: str,
        version: int,
        source: Mapping[str, Any],
        start: str,
        closing: tuple[str, ...],
        specs: Mapping[str, SettingSpec],
        nodes: Mapping[str, Node],
        outcomes: Mapping[str, Outcome],
        settings: Mapping[str, Any] | None = None,
    ):
        self.path = path
        self.version = version
        self.source = dict(source)
        self.start = start
        self.closing = closing
        self.specs = dict(specs)
        self.nodes = dict(nodes)  # in file order
        self._outcomes = dict(outcomes)
        self.settings = resolve_settings(self.specs, settings)

    # settings

    def with_settings(self, settings: Mapping[str, Any] | None) -> Routekaart:
        return Routekaart(path=self.path, version=self.version, source=self.source,
                          start=self.start, closing=self.closing, specs=self.specs,
                          nodes=self.nodes, outcomes=self._outcomes, settings=settings)

    def is_on(self, when: str | None) -> bool:
        if when is None:
            return True
        negate, key = _split_when(when)
        return bool(self.settings[key]) != negate

    # structure

    def node(self, node_id: str) -> Node:
        return self.nodes[node_id]

    def answers(self, node_id: str) -> tuple[Answer, ...]:
        """The answers shown under the current settings."""
        return tuple(a for a in self.nodes[node_id].answers if self.is_on(a.when))

    def added_by(self, answer: Answer) -> tuple[str, ...]:
        """The outcome ids an answer adds under the current settings."""
        return tuple(o for o in answer.adds if self.is_on(self._outcomes[o].when))

    def outcome(self, outcome_id: str) -> Outcome:
        """An outcome with the text settings filled in."""
        o = self._outcomes[outcome_id]
        fill = self._fill
        return replace(
            o,
            **{k: fill(getattr(o, k)) for k in _OUTCOME_TEXT},
            **{k: tuple(t for t in (fill(x) for x in getattr(o, k)) if t.strip())
               for k in _OUTCOME_LISTS},
        )

    @property
    def outcome_ids(self) -> tuple[str, ...]:
        return tuple(self._outcomes)

    def collect(self, ids: Iterable[str]) -> tuple[str, ...]:
        """Outcome ids in path order without repeats, minus those another one covers."""
        unique = _dedup(ids)
        present = set(unique)
        return tuple(o for o in unique
                     if not present.intersection(self._outcomes[o].covered_by))

    @property
    def recipients(self) -> frozenset[str]:
        """Every sociale-kaart contact the tree can name."""
        return frozenset(o.contact for o in self._outcomes.values())

    def _fill(self, text: str) -> str:
        return _PLACEHOLDER_RE.sub(lambda m: str(self.settings[m.group(1)]), text)

    def answer_sets(self, node_id: str) -> list[tuple[str, ...]]:
        """Every answer choice possible at a node (subsets for a multiple-choice node)."""
        active = self.answers(node_id)
        if not self.nodes[node_id].multiple:
            return [(a.id,) for a in active]
        free = [a.id for a in active if not a.exclusive]
        sets = [combo for r in range(1, len(free) + 1)
                for combo in itertools.combinations(free, r)]
        return sets + [(a.id,) for a in active if a.exclusive]

    def all_paths(self) -> list[RoutePath]:
        """Every complete path from the start under the current settings."""
        out: list[RoutePath] = []

        def visit(node_id: str, steps: tuple[Step, ...], acc: tuple[str, ...]) -> None:
            node = self.nodes[node_id]
            for ids in self.answer_sets(node_id):
                chosen = [node.answer(i) for i in ids]
                added = acc + tuple(o for a in chosen for o in self.added_by(a))
                step_tuple = steps + (Step(node_id, ids),)
                nxt = chosen[0].next
                if nxt is None:
                    out.append(RoutePath(step_tuple, self.collect(added)))
                else:
                    visit(nxt, step_tuple, added)

        visit(self.start, (), ())
        return out

    def walk(self) -> RouteWalk:
        return RouteWalk(self)


def _dedup(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


def _split_when(when: str) -> tuple[bool, str]:
    when = when.strip()
    if when.startswith("not "):
        return True, when[4:].strip()
    return False, when


def resolve_settings(specs: Mapping[str, SettingSpec],
                     values: Mapping[str, Any] | None) -> dict[str, Any]:
    """Defaults overlaid with a gemeente's values; unknown keys and wrong types refused."""
    out = {k: s.default for k, s in specs.items()}
    for key, value in (values or {}).items():
        spec = specs.get(key)
        if spec is None:
            raise ValidationError(f"Onbekende instelling van de routekaart: '{key}'.", key)
        if spec.type == "bool":
            if not isinstance(value, bool):
                raise ValidationError(f"De instelling '{spec.label}' moet aan of uit zijn.", key)
        else:
            if not isinstance(value, str) or not value.strip():
                raise ValidationError(f"De instelling '{spec.label}' mag niet leeg zijn.", key)
            if len(value) > MAX_SETTING_TEXT:
                raise ValidationError(
                    f"De instelling '{spec.label}' is te lang (maximaal {MAX_SETTING_TEXT} "
                    "tekens).", key)
            value = value.strip()
        out[key] = value
    return out


# --- parsing and validation ----------------------------------------------------------


def _text(table: Mapping[str, Any], key: str, where: str, path: str, *,
          required: bool = True) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise ContentError(f"{where}: '{key}' moet tekst zijn.", path)
    if required and not value.strip():
        raise ContentError(f"{where}: '{key}' ontbreekt of is leeg.", path)
    return value.strip()


def _text_list(table: Mapping[str, Any], key: str, where: str, path: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ContentError(f"{where}: '{key}' moet een lijst met (niet-lege) teksten zijn.", path)
    return tuple(v.strip() for v in value)


def _id(value: Any, where: str, path: str) -> str:
    if not isinstance(value, str) or not _ID_RE.match(value):
        raise ContentError(
            f"{where}: de id {value!r} is ongeldig (kleine letters, cijfers en _).", path)
    return value


def _parse_specs(raw: Any, path: str) -> dict[str, SettingSpec]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ContentError("[settings] moet een tabel zijn.", path)
    specs = {}
    for key, table in raw.items():
        where = f"instelling '{key}'"
        _id(key, where, path)
        if not isinstance(table, Mapping):
            raise ContentError(f"{where} moet een tabel zijn.", path)
        check_keys(table, _SETTING_KEYS, where, path)
        kind = table.get("type")
        if kind not in SETTING_TYPES:
            raise ContentError(f"{where}: 'type' moet \"bool\" of \"text\" zijn.", path)
        default = table.get("default")
        if kind == "bool" and not isinstance(default, bool):
            raise ContentError(f"{where}: 'default' moet true of false zijn.", path)
        if kind == "text" and (not isinstance(default, str) or not default.strip()):
            raise ContentError(f"{where}: 'default' moet een niet-lege tekst zijn.", path)
        specs[key] = SettingSpec(key, _text(table, "label", where, path), kind, default,
                                 _text(table, "description", where, path))
    return specs


def _check_when(when: Any, where: str, specs: Mapping[str, SettingSpec], path: str) -> str | None:
    if when is None:
        return None
    if not isinstance(when, str):
        raise ContentError(f"{where}: 'when' moet tekst zijn.", path)
    _neg, key = _split_when(when)
    spec = specs.get(key)
    if spec is None:
        raise ContentError(f"{where}: 'when' noemt de onbekende instelling '{key}'.", path)
    if spec.type != "bool":
        raise ContentError(f"{where}: 'when' noemt '{key}', maar dat is geen aan/uit-instelling.",
                           path)
    return when.strip()


def _parse_nodes(raw: Any, specs: Mapping[str, SettingSpec], path: str) -> dict[str, Node]:
    if not isinstance(raw, list) or not raw:
        raise ContentError("de lijst [[nodes]] (vragen) ontbreekt of is leeg.", path)
    nodes: dict[str, Node] = {}
    for i, table in enumerate(raw):
        if not isinstance(table, Mapping):
            raise ContentError(f"vraag {i + 1} is geen tabel.", path)
        node_id = _id(table.get("id"), f"vraag {i + 1}", path)
        where = f"vraag '{node_id}'"
        check_keys(table, _NODE_KEYS, where, path)
        if node_id in nodes:
            raise ContentError(f"{where} staat er meer dan eens in.", path)
        multiple = table.get("multiple", False)
        if not isinstance(multiple, bool):
            raise ContentError(f"{where}: 'multiple' moet true of false zijn.", path)
        raw_answers = table.get("answers")
        if not isinstance(raw_answers, list) or not raw_answers:
            raise ContentError(f"{where} heeft geen antwoorden.", path)
        answers: list[Answer] = []
        for j, at in enumerate(raw_answers):
            if not isinstance(at, Mapping):
                raise ContentError(f"{where}, antwoord {j + 1} is geen tabel.", path)
            aid = _id(at.get("id"), f"{where}, antwoord {j + 1}", path)
            awhere = f"{where}, antwoord '{aid}'"
            check_keys(at, _ANSWER_KEYS, awhere, path)
            if any(a.id == aid for a in answers):
                raise ContentError(f"{awhere} staat er meer dan eens in.", path)
            nxt = at.get("next")
            if nxt is not None and not isinstance(nxt, str):
                raise ContentError(f"{awhere}: 'next' moet de id van een vraag zijn.", path)
            adds = at.get("adds", [])
            if not isinstance(adds, list) or not all(isinstance(a, str) for a in adds):
                raise ContentError(f"{awhere}: 'adds' moet een lijst met uitkomst-id's zijn.",
                                   path)
            if len(set(adds)) != len(adds):
                raise ContentError(f"{awhere}: 'adds' noemt een uitkomst twee keer.", path)
            exclusive = at.get("exclusive", False)
            if not isinstance(exclusive, bool):
                raise ContentError(f"{awhere}: 'exclusive' moet true of false zijn.", path)
            if exclusive and not multiple:
                raise ContentError(f"{awhere}: 'exclusive' kan alleen bij een meerkeuzevraag "
                                   "(multiple = true).", path)
            answers.append(Answer(
                id=aid, label=_text(at, "label", awhere, path),
                help=_text(at, "help", awhere, path, required=False),
                next=nxt, adds=tuple(adds), when=_check_when(at.get("when"), awhere, specs, path),
                exclusive=exclusive, case=_parse_case(at.get("case"), awhere, path),
            ))
        if multiple and len({a.next for a in answers}) != 1:
            raise ContentError(f"{where} is een meerkeuzevraag; alle antwoorden moeten dan naar "
                               "dezelfde volgende vraag leiden ('next').", path)
        nodes[node_id] = Node(
            id=node_id, short=_text(table, "short", where, path),
            question=_text(table, "question", where, path),
            help=_text(table, "help", where, path, required=False),
            answers=tuple(answers), multiple=multiple,
        )
    return nodes


def _parse_case(raw: Any, where: str, path: str) -> Mapping[str, Any] | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise ContentError(f"{where}: 'case' moet een tabel zijn.", path)
    check_keys(raw, _CASE_KEYS, f"{where}, 'case'", path)
    out: dict[str, Any] = {}
    try:
        if "subject" in raw:
            out["subject"] = Subject(raw["subject"])
        if "minor" in raw:
            out["minor"] = Minor(raw["minor"])
        if "forms" in raw:
            if not isinstance(raw["forms"], list):
                raise ValueError(raw["forms"])
            out["forms"] = frozenset(Form(f) for f in raw["forms"])
    except (ValueError, TypeError) as exc:
        raise ContentError(f"{where}: 'case' bevat een onbekende waarde ({exc}).", path) from None
    return out


def _parse_outcomes(raw: Any, specs: Mapping[str, SettingSpec], path: str) -> dict[str, Outcome]:
    if not isinstance(raw, Mapping) or not raw:
        raise ContentError("de tabel [outcomes] (ontvangers) ontbreekt of is leeg.", path)
    text_settings = {k for k, s in specs.items() if s.type == "text"}
    outcomes = {}
    for oid, table in raw.items():
        where = f"uitkomst '{oid}'"
        _id(oid, where, path)
        if not isinstance(table, Mapping):
            raise ContentError(f"{where} moet een tabel zijn.", path)
        check_keys(table, _OUTCOME_KEYS, where, path)
        contact = _text(table, "contact", where, path)
        personal = table.get("personal_data")
        if not isinstance(personal, str) or personal not in PERSONAL_DATA_LABELS:
            raise ContentError(f"{where}: 'personal_data' moet een van "
                               f"{', '.join(PERSONAL_DATA_LABELS)} zijn.", path)
        handover = table.get("handover") or None
        if handover is not None and handover not in HANDOVER_FORMS:
            raise ContentError(f"{where}: 'handover' moet \"shop\" of \"oov\" zijn (of weggelaten"
                               " als er geen overdrachtsformulier bij hoort).", path)
        covered = table.get("covered_by", [])
        if not isinstance(covered, list) or not all(isinstance(c, str) for c in covered):
            raise ContentError(f"{where}: 'covered_by' moet een lijst met uitkomst-id's zijn.",
                               path)
        o = Outcome(
            id=oid, contact=contact, covered_by=tuple(covered),
            **{k: _text(table, k, where, path) for k in _OUTCOME_TEXT},
            personal_data=personal,
            **{k: _text_list(table, k, where, path) for k in _OUTCOME_LISTS},
            handover=handover, when=_check_when(table.get("when"), where, specs, path),
        )
        if not o.share:
            raise ContentError(f"{where}: 'share' (wat mag worden gedeeld) ontbreekt.", path)
        if not o.never:
            raise ContentError(f"{where}: 'never' (wat nooit mag) ontbreekt.", path)
        for k in _OUTCOME_TEXT + _OUTCOME_LISTS:
            values = [getattr(o, k)] if k in _OUTCOME_TEXT else list(getattr(o, k))
            for v in values:
                for name in _PLACEHOLDER_RE.findall(v):
                    if name not in text_settings:
                        raise ContentError(
                            f"{where}: '{{{name}}}' in '{k}' is geen tekstinstelling uit "
                            "[settings].", path)
        outcomes[oid] = o
    return outcomes


def parse_routekaart(
    data: Mapping[str, Any],
    path: str,
    contact_ids: Iterable[str],
    settings: Mapping[str, Any] | None = None,
) -> Routekaart:
    """Build and fully validate the tree; every problem is a ContentError naming the spot."""
    check_keys(data, _TOP_KEYS, "het bestand", path)
    source = require_source(dict(data), path)
    check_keys(source, _SOURCE_KEYS, "[source]", path)
    start = data.get("start")
    if not isinstance(start, str):
        raise ContentError("'start' (de id van de eerste vraag) ontbreekt.", path)
    closing = _text_list(data, "closing", "het bestand", path)
    specs = _parse_specs(data.get("settings"), path)
    nodes = _parse_nodes(data.get("nodes"), specs, path)
    outcomes = _parse_outcomes(data.get("outcomes"), specs, path)

    # dangling references
    if start not in nodes:
        raise ContentError(f"'start' verwijst naar de onbekende vraag '{start}'.", path)
    used: set[str] = set()
    for node in nodes.values():
        for a in node.answers:
            if a.next is not None and a.next not in nodes:
                raise ContentError(f"vraag '{node.id}', antwoord '{a.id}' verwijst met 'next' "
                                   f"naar de onbekende vraag '{a.next}'.", path)
            for o in a.adds:
                if o not in outcomes:
                    raise ContentError(f"vraag '{node.id}', antwoord '{a.id}' voegt de onbekende "
                                       f"uitkomst '{o}' toe.", path)
            used.update(a.adds)
    unused = [o for o in outcomes if o not in used]
    if unused:
        raise ContentError(f"uitkomst '{unused[0]}' wordt door geen enkel antwoord gebruikt.",
                           path)
    for o in outcomes.values():
        for c in o.covered_by:
            if c not in outcomes or c == o.id:
                raise ContentError(f"uitkomst '{o.id}' noemt bij 'covered_by' de onbekende "
                                   f"uitkomst '{c}'.", path)
    for o in outcomes.values():
        # covered_by must not loop back, or every outcome in the loop could drop out
        seen, todo = set(), list(o.covered_by)
        while todo:
            c = todo.pop()
            if c == o.id:
                raise ContentError(f"de uitkomst '{o.id}' dekt via 'covered_by' zichzelf af; "
                                   "dan valt er een ontvanger weg.", path)
            if c not in seen:
                seen.add(c)
                todo.extend(outcomes[c].covered_by)
    known_contacts = set(contact_ids)
    for o in outcomes.values():
        if o.contact not in known_contacts:
            raise ContentError(f"uitkomst '{o.id}' noemt de ontvanger '{o.contact}', die niet op "
                               "de sociale kaart staat.", path)

    _check_cycles(nodes, start, path)
    _check_reachable(nodes, start, path)

    tree = Routekaart(path=path, version=data["version"], source=source, start=start,
                      closing=closing, specs=specs, nodes=nodes, outcomes=outcomes)
    # Conditions must leave a complete tree under every combination of switches.
    bools = [k for k, s in specs.items() if s.type == "bool"]
    for combo in itertools.product((False, True), repeat=len(bools)):
        variant = tree.with_settings(dict(zip(bools, combo, strict=True)))
        _check_ends(variant, dict(zip(bools, combo, strict=True)), path)
    return tree.with_settings(settings)


def _check_cycles(nodes: Mapping[str, Node], start: str, path: str) -> None:
    # Depth-first search over all nodes (not only the reachable ones), so a cycle among
    # unreachable nodes is named as a cycle, which is the more precise message.
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    trail: list[str] = []

    def visit(nid: str) -> None:
        state[nid] = 1
        trail.append(nid)
        for a in nodes[nid].answers:
            if a.next is None:
                continue
            if state.get(a.next) == 1:
                cycle = trail[trail.index(a.next):] + [a.next]
                raise ContentError(
                    f"de routekaart bevat een kring: {' → '.join(cycle)} (vraag '{nid}', "
                    f"antwoord '{a.id}'). Een antwoord mag niet terugleiden naar een eerdere "
                    "vraag.", path)
            if a.next not in state:
                visit(a.next)
        trail.pop()
        state[nid] = 2

    for nid in [start, *nodes]:
        if nid not in state:
            visit(nid)


def _check_reachable(nodes: Mapping[str, Node], start: str, path: str) -> None:
    seen = {start}
    todo = [start]
    while todo:
        for a in nodes[todo.pop()].answers:
            if a.next is not None and a.next not in seen:
                seen.add(a.next)
                todo.append(a.next)
    for nid in nodes:
        if nid not in seen:
            raise ContentError(f"vraag '{nid}' is vanaf de start ('{start}') nooit te bereiken.",
                               path)


def _check_ends(tree: Routekaart, combo: Mapping[str, bool], path: str) -> None:
    """Every node keeps an answer, and no complete path ends without a recipient."""
    setting_note = ""
    if combo:
        setting_note = " (met " + ", ".join(
            f"{k} {'aan' if v else 'uit'}" for k, v in combo.items()) + ")"
    for nid in tree.nodes:
        if not tree.answers(nid):
            raise ContentError(f"vraag '{nid}' heeft geen enkel antwoord over{setting_note}.", path)
    # Search over (node, has-an-outcome-yet) states; a terminal answer reached with no
    # outcome collected is a path without a recipient. Minimal choices suffice: a set of
    # answers adds at least what its smallest member adds.
    seen: set[tuple[str, bool]] = set()
    todo: list[tuple[str, bool, tuple[str, ...]]] = [(tree.start, False, ())]
    while todo:
        nid, has, trail = todo.pop()
        if (nid, has) in seen:
            continue
        seen.add((nid, has))
        for a in tree.answers(nid):
            now = has or bool(tree.added_by(a))
            here = trail + (f"{nid} ({a.id})",)
            if a.next is None:
                if not now:
                    raise ContentError(
                        f"het pad {' → '.join(here)} eindigt zonder ontvanger{setting_note}. "
                        f"Geef vraag '{nid}', antwoord '{a.id}' een uitkomst ('adds') of een "
                        "volgende vraag ('next').", path)
            else:
                todo.append((a.next, now, here))


def load_routekaart(
    path: Path | str | None = None,
    settings: Mapping[str, Any] | None = None,
    contact_ids: Iterable[str] | None = None,
) -> Routekaart:
    """Load and validate routekaart.toml; recipients are checked against the sociale kaart."""
    p = Path(path) if path is not None else content_path(FILE_NAME)
    if contact_ids is None:
        contact_ids = load_sociale_kaart().ids
    return parse_routekaart(load_toml(p), str(p), contact_ids, settings)


# --- walking -------------------------------------------------------------------------


class RouteWalk:
    """A walk through the tree with a back-stack; JSON-serialisable via to_dict()."""

    def __init__(self, tree: Routekaart, steps: Iterable[Step] = ()):
        self.tree = tree
        self._steps: list[Step] = []
        for s in steps:
            self._apply(s.node_id, s.answer_ids)

    # state

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(self._steps)

    @property
    def current(self) -> Node | None:
        """The question to answer now; None when the walk is finished."""
        if not self._steps:
            return self.tree.node(self.tree.start)
        last = self._steps[-1]
        nxt = self.tree.node(last.node_id).answer(last.answer_ids[0]).next
        return None if nxt is None else self.tree.node(nxt)

    @property
    def finished(self) -> bool:
        return self.current is None

    @property
    def at_start(self) -> bool:
        return not self._steps

    # moves

    def answer(self, answer: str | Sequence[str]) -> Node | None:
        """Answer the current question; returns the next question (None = finished)."""
        ids = (answer,) if isinstance(answer, str) else tuple(answer)
        node = self.current
        if node is None:
            raise ValidationError("De route is al afgerond; ga terug om een antwoord te wijzigen.")
        self._apply(node.id, ids)
        return self.current

    def back(self) -> Step | None:
        """Undo the last answer; returns it (to preselect it), or None at the start."""
        if not self._steps:
            return None
        return self._steps.pop()

    def restart(self) -> None:
        self._steps.clear()

    def _apply(self, node_id: str, ids: tuple[str, ...]) -> None:
        node = self.current
        if node is None or node.id != node_id:
            raise ValidationError(f"De vraag '{node_id}' is nu niet aan de beurt.")
        active = {a.id: a for a in self.tree.answers(node.id)}
        if not ids:
            raise ValidationError("Kies een antwoord.")
        if len(set(ids)) != len(ids):
            raise ValidationError("Een antwoord is twee keer gekozen.")
        for i in ids:
            if i not in active:
                raise ValidationError(f"'{i}' is geen antwoord op de vraag '{node.short}'.")
        if len(ids) > 1:
            if not node.multiple:
                raise ValidationError(f"Bij de vraag '{node.short}' past maar één antwoord.")
            lone = [active[i].label for i in ids if active[i].exclusive]
            if lone:
                raise ValidationError(f"'{lone[0]}' kan niet samen met een ander antwoord.")
        # keep the file's answer order, so equal choices serialise equally
        order = [a.id for a in node.answers]
        self._steps.append(Step(node.id, tuple(sorted(ids, key=order.index))))

    # results

    @property
    def breadcrumb(self) -> list[tuple[Node, tuple[Answer, ...]]]:
        return [(self.tree.node(s.node_id),
                 tuple(self.tree.node(s.node_id).answer(a) for a in s.answer_ids))
                for s in self._steps]

    @property
    def outcome_ids(self) -> tuple[str, ...]:
        """Outcomes collected so far, in the order the path added them, without repeats."""
        ids: list[str] = []
        for _node, answers in self.breadcrumb:
            for a in answers:
                ids.extend(self.tree.added_by(a))
        return self.tree.collect(ids)

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        return tuple(self.tree.outcome(o) for o in self.outcome_ids)

    @property
    def recipients(self) -> tuple[str, ...]:
        """Sociale-kaart contact ids of the collected outcomes, without repeats."""
        return _dedup(o.contact for o in self.outcomes)

    def result(self) -> tuple[Outcome, ...]:
        if not self.finished:
            raise ValidationError("De route is nog niet af: beantwoord eerst alle vragen.")
        return self.outcomes

    def case_hints(self) -> dict[str, Any]:
        """Subject, minor and forms the answers imply (to prefill a new case)."""
        hints: dict[str, Any] = {}
        forms: set[Form] = set()
        for _node, answers in self.breadcrumb:
            for a in answers:
                if not a.case:
                    continue
                for key in ("subject", "minor"):
                    if key in a.case:
                        hints[key] = a.case[key]
                forms |= a.case.get("forms", frozenset())
        if forms:
            hints["forms"] = frozenset(forms)
        return hints

    @property
    def visited(self) -> tuple[str, ...]:
        """Node ids on the path so far, including the current one."""
        ids = [s.node_id for s in self._steps]
        if self.current is not None:
            ids.append(self.current.id)
        return tuple(ids)

    # serialisation

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": WALK_FORMAT,
            "version": self.tree.version,
            "steps": [{"node": s.node_id, "answers": list(s.answer_ids)} for s in self._steps],
            "finished": self.finished,
        }

    @classmethod
    def from_dict(cls, tree: Routekaart, data: Any) -> RouteWalk:
        """Rebuild a stored walk; one that no longer fits the tree is a ValidationError."""
        stale = ("De opgeslagen route past niet bij de huidige routekaart; begin de route "
                 "opnieuw.")
        if not isinstance(data, Mapping) or data.get("format") != WALK_FORMAT:
            raise ValidationError("De opgeslagen route is onleesbaar; begin de route opnieuw.")
        raw_steps = data.get("steps")
        if not isinstance(raw_steps, list):
            raise ValidationError("De opgeslagen route is onleesbaar; begin de route opnieuw.")
        steps = []
        for s in raw_steps:
            if (not isinstance(s, Mapping) or not isinstance(s.get("node"), str)
                    or not isinstance(s.get("answers"), list)
                    or not all(isinstance(a, str) for a in s["answers"])):
                raise ValidationError("De opgeslagen route is onleesbaar; begin de route opnieuw.")
            steps.append(Step(s["node"], tuple(s["answers"])))
        try:
            return cls(tree, steps)
        except (ValidationError, KeyError):
            raise ValidationError(stale) from None


def iter_text(outcome: Outcome) -> Iterator[str]:
    """All text of an outcome (for search and for tests that check wording)."""
    yield from (outcome.title, outcome.short, outcome.role, outcome.why, outcome.ground)
    for k in _OUTCOME_LISTS:
        yield from getattr(outcome, k)
