"""Handover forms, recorded grounds, field selection and the disclosure hash chain.

This is where the app protects or harms a person. The rules:

- A form (resources/content/handover/*.toml) decides every field: `allowed`,
  `needs_ground` (with the grounds that unlock it) or `never`.
- The minimal sheet (all `allowed` fields) is the default. A `needs_ground` field goes
  out only with a matching recorded `Ground` for this case and this recipient. A `never`
  field goes out under no circumstances: `select_fields` raises `NotAllowed`, and
  `build_sheet_values` re-checks the selection so a hand-built one cannot slip through.
- Values come only from structured case data or from what the AF typed for this sheet;
  missing data reads "niet bekend", never a guess.
- Every disclosure becomes a record in a SHA-256 hash chain; `verify_chain` finds the
  first broken link. A tombstoned record keeps its content hash and still verifies.

Pure Python: no Qt, no SQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from aandacht.content import check_keys, content_path, load_toml, require_source
from aandacht.content import text_field as _text
from aandacht.domain.case import (
    Case,
    DETAIL_FIELDS,
    DETAIL_FIELD_BY_KEY,
    FORM_LABELS,
    Form,
    MINOR_LABELS,
    SOURCE_LABELS,
    SUBJECT_LABELS,
    age_band,
    clean_text,
)
from aandacht.domain.errors import ContentError, NotAllowed, ValidationError

NOT_KNOWN = "niet bekend"
MIN_MOTIVATION = 10  # characters; a word like "ok" is not a motivation
MAX_INPUT = 4000  # characters per sheet input; a handover sheet is not a case file

ALLOWED = "allowed"
NEEDS_GROUND = "needs_ground"
NEVER = "never"
RULES = (ALLOWED, NEEDS_GROUND, NEVER)
RULE_LABELS = {ALLOWED: "Mag mee", NEEDS_GROUND: "Alleen met grondslag", NEVER: "Nooit"}

# Case attributes a form may point at (beside the DETAIL_FIELDS keys and sheet.* inputs).
CASE_SOURCES = {
    "case.forms": "Vorm(en) van uitbuiting",
    "case.minor": "Minderjarig",
    "case.age_band": "Leeftijdscategorie (afgeleid)",
    "case.subject": "Onderwerp van het signaal",
    "case.source_type": "Soort bron",
    "case.source_department": "Afdeling van de melder",
    "case.opened_on": "Datum signaal ontvangen",
    "case.label": "Casuslabel (intern)",
}
NO_SOURCE = "none"  # something the app does not record at all; only with rule "never"
REQUEST_TYPE_SOURCE = "sheet.request_type"

# Values the service can fill in beforehand for a sheet input (`prefill = ...`).
PREFILLS = {
    "signalen": "signaalcodes uit de meldcode en de tijdlijn",
    "laatste_signaal": "datum van het laatste signaal in de tijdlijn",
}
INPUT_KINDS = ("text", "longtext", "date")

_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --- grounds ---------------------------------------------------------------------


@dataclass(frozen=True)
class DetailSpec:
    """One thing a ground's record must (or may) hold, shown as an input in the UI."""

    key: str
    label: str
    kind: str = "text"  # text | longtext | date | bool | fields
    required: bool = True
    must_be_true: bool = False  # for a bool that records a promise (e.g. told about withdrawal)


@dataclass(frozen=True)
class GroundKind:
    kind: str
    label: str
    explanation: str
    details: tuple[DetailSpec, ...]


GROUND_KINDS: dict[str, GroundKind] = {
    "toestemming": GroundKind(
        "toestemming",
        "Uitdrukkelijke toestemming",
        "De persoon heeft uitdrukkelijk toestemming gegeven voor het delen van de "
        "genoemde gegevens met deze ontvanger, en weet dat die altijd kan worden ingetrokken.",
        (
            DetailSpec("obtained_on", "Datum van de toestemming", "date"),
            DetailSpec("obtained_by", "Toestemming gevraagd door"),
            DetailSpec("language", "Taal of tolk bij het gesprek", required=False),
            DetailSpec("fields", "Gegevens waarvoor toestemming is gegeven", "fields"),
            DetailSpec("told_withdrawable",
                       "De persoon is verteld dat de toestemming altijd kan worden ingetrokken",
                       "bool", must_be_true=True),
        ),
    ),
    "vitaal_belang": GroundKind(
        "vitaal_belang",
        "Vitaal belang",
        "De persoon kan nu niet zelf beslissen (bijvoorbeeld ernstige LVB, psychose, "
        "intoxicatie, bewusteloos), heeft dringend hulp nodig, en een lichtere route werkt niet.",
        (
            DetailSpec("incapacity", "Waarom kan de persoon nu niet zelf beslissen?", "longtext"),
            DetailSpec("urgent_need", "Welke dringende hulp is nodig?", "longtext"),
            DetailSpec("no_lighter_route", "Waarom werkt een lichtere route niet?", "longtext"),
            DetailSpec("consulted", "Geraadpleegd (FG, collega)", required=False),
            DetailSpec("review_on", "Opnieuw beoordelen op", "date", required=False),
        ),
    ),
    "privacytoets_ondermijning": GroundKind(
        "privacytoets_ondermijning",
        "Privacytoets ondermijning",
        "Privacytoets volgens het gemeentelijk privacyprotocol ondermijning: de gegevens "
        "zijn nodig voor een concrete gemeentelijke taak.",
        (
            DetailSpec("task", "Voor welke gemeentelijke taak (APV, Bibob, vergunning, "
                       "huisvesting, integrale controle)?"),
            DetailSpec("necessity", "Waarom is dit gegeven daarvoor nodig (noodzaak, "
                       "proportionaliteit, subsidiariteit)?", "longtext"),
            DetailSpec("consulted", "Geraadpleegd (privacy officer, FG)", required=False),
        ),
    ),
    "verenigbaarheidstoets": GroundKind(
        "verenigbaarheidstoets",
        "Toets verenigbaar gebruik",
        "Vastgelegde toets op verenigbaar gebruik (art. 6 lid 4 AVG) voor gegevens die voor "
        "een ander doel (hulpverlening) zijn verzameld.",
        (
            DetailSpec("original_purpose", "Oorspronkelijk doel van de gegevens"),
            DetailSpec("new_purpose", "Nieuw doel"),
            DetailSpec("assessment", "Afweging: verband tussen de doelen, context, aard van de "
                       "gegevens, gevolgen voor de persoon, waarborgen", "longtext"),
            DetailSpec("sector_law", "Sectorale wet die de verstrekking toestaat", required=False),
        ),
    ),
}


@dataclass(frozen=True)
class Ground:
    """A recorded decision that unlocks `needs_ground` fields for one recipient.

    Construction validates: a ground without a real motivation, or without what its
    kind must record, cannot exist.
    """

    kind: str
    recipient: str
    decided_by: str
    motivation: str
    recorded_at: dt.datetime
    details: Mapping[str, Any] = field(default_factory=dict)
    id: int | None = None
    case_id: int | None = None
    withdrawn_at: dt.datetime | None = None

    def __post_init__(self) -> None:
        spec = GROUND_KINDS.get(self.kind)
        if spec is None:
            raise ValidationError(f"Onbekende grondslag '{self.kind}'.", "kind")
        if not (self.recipient or "").strip():
            raise ValidationError("Voor welke ontvanger geldt deze grondslag?", "recipient")
        decided_by = _clean(self.decided_by).strip()
        if not decided_by:
            raise ValidationError("Vul in wie het besluit nam.", "decided_by")
        motivation = _clean(self.motivation).strip()
        if not motivation:
            raise ValidationError(
                "Een grondslag zonder motivering wordt niet vastgelegd. "
                "Schrijf op waarom deze verstrekking nodig en gerechtvaardigd is.",
                "motivation",
            )
        if len(motivation) < MIN_MOTIVATION:
            raise ValidationError(
                f"De motivering is te kort (minimaal {MIN_MOTIVATION} tekens). "
                "Schrijf in een zin waarom deze verstrekking nodig is.",
                "motivation",
            )
        details = _validate_details(spec, dict(self.details or {}), self.recorded_at.date())
        object.__setattr__(self, "decided_by", decided_by)
        object.__setattr__(self, "motivation", motivation)
        object.__setattr__(self, "details", MappingProxyType(details))

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def label(self) -> str:
        return GROUND_KINDS[self.kind].label

    @property
    def consent_fields(self) -> frozenset[str]:
        if self.kind != "toestemming":
            return frozenset()
        return frozenset(self.details.get("fields", ()))


def _validate_details(spec: GroundKind, details: dict[str, Any], recorded_on: dt.date) -> dict:
    known = {d.key for d in spec.details}
    unknown = set(details) - known
    if unknown:
        raise ValidationError(f"Onbekende gegevens bij de grondslag: {', '.join(sorted(unknown))}.")
    out: dict[str, Any] = {}
    for d in spec.details:
        value = details.get(d.key)
        if d.kind == "bool":
            value = bool(value)
            if d.must_be_true and not value:
                raise ValidationError(f"Bevestig: {d.label[0].lower()}{d.label[1:]}.", d.key)
            out[d.key] = value
            continue
        if d.kind == "fields":
            items = [str(v) for v in (value or ()) if str(v).strip()]
            if d.required and not items:
                raise ValidationError(f"Kies de {d.label[0].lower()}{d.label[1:]}.", d.key)
            out[d.key] = sorted(set(items))
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
        text = _clean("" if value is None else str(value)).strip()
        if d.required and not text:
            raise ValidationError(f"Vul in: {d.label}", d.key)
        if text and d.kind == "date":
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                raise ValidationError(f"'{d.label}' is geen geldige datum.", d.key) from None
            if d.key != "review_on" and day > recorded_on:
                raise ValidationError(f"'{d.label}' ligt in de toekomst.", d.key)
        if len(text) > MAX_INPUT:
            raise ValidationError(f"'{d.label}' is te lang (maximaal {MAX_INPUT} tekens).", d.key)
        if text:
            out[d.key] = text
    return out


# --- forms --------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldRule:
    id: str
    label: str
    source: str
    rule: str
    section: str
    grounds: tuple[str, ...] = ()
    reason: str = ""

    @property
    def is_detail(self) -> bool:
        return self.source in DETAIL_FIELD_BY_KEY


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    fields: tuple[FieldRule, ...]


@dataclass(frozen=True)
class RequestType:
    id: str
    label: str
    help: str = ""
    minimal_only: bool = False  # e.g. advice/sparring: no field that needs a ground


@dataclass(frozen=True)
class SheetInput:
    id: str
    label: str
    kind: str = "text"
    hint: str = ""
    prefill: str | None = None


@dataclass(frozen=True)
class HandoverForm:
    id: str  # the recipient id, e.g. "shop"
    version: int
    source: Mapping[str, Any]
    name: str
    short: str
    title: str
    purpose: str
    number_prefix: str
    default_basis: str
    handling: str
    request_types: tuple[RequestType, ...]
    ground_legal: Mapping[str, str]  # ground kind -> legal basis printed on the sheet
    inputs: tuple[SheetInput, ...]
    sections: tuple[Section, ...]
    path: str = ""
    # ground kind -> gemeente setting (bool) that must be on before the ground may be used
    ground_settings: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def fields(self) -> tuple[FieldRule, ...]:
        return tuple(f for s in self.sections for f in s.fields)

    def field(self, field_id: str) -> FieldRule:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise NotAllowed(f"Het veld '{field_id}' bestaat niet op het formulier {self.short}.")

    def by_rule(self, rule: str) -> tuple[FieldRule, ...]:
        return tuple(f for f in self.fields if f.rule == rule)

    def request_type(self, rt_id: str) -> RequestType:
        for rt in self.request_types:
            if rt.id == rt_id:
                return rt
        raise ValidationError("Kies het soort verzoek.", "request_type")

    @property
    def ground_kinds(self) -> tuple[str, ...]:
        """Grounds that unlock at least one field on this form, in first-use order."""
        seen: list[str] = []
        for f in self.fields:
            for g in f.grounds:
                if g not in seen:
                    seen.append(g)
        return tuple(seen)


_TOP_KEYS = {"version", "source", "recipient", "request_types", "grounds", "inputs", "sections"}
_RECIPIENT_KEYS = {"id", "name", "short", "title", "purpose", "number_prefix", "default_basis",
                   "handling"}
_FIELD_KEYS = {"id", "label", "source", "rule", "grounds", "reason"}


def _ident(table: Mapping[str, Any], where: str, path: str) -> str:
    value = _text(table, "id", where, path)
    if not _ID.match(value):
        raise ContentError(f"ongeldige id '{value}' in {where} (kleine letters, cijfers, _)", path)
    return value


def _tables(data: Mapping[str, Any], key: str, path: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ContentError(f"'{key}' moet een lijst van tabellen zijn ([[{key}]])", path)
    return value


def parse_form(data: Mapping[str, Any], path: str = "") -> HandoverForm:
    """Validate one handover form; every defect is a ContentError naming file and place."""
    require_source(data, path)
    check_keys(data, _TOP_KEYS, "het formulier", path)
    recipient = data.get("recipient")
    if not isinstance(recipient, dict):
        raise ContentError("de tabel [recipient] ontbreekt", path)
    check_keys(recipient, _RECIPIENT_KEYS, "[recipient]", path)
    rid = _ident(recipient, "[recipient]", path)
    prefix = _text(recipient, "number_prefix", "[recipient]", path)
    if not re.fullmatch(r"[A-Z]{1,4}", prefix):
        raise ContentError("'number_prefix' moet 1 tot 4 hoofdletters zijn", path)

    request_types: list[RequestType] = []
    for i, rt in enumerate(_tables(data, "request_types", path), 1):
        where = f"[[request_types]] nr. {i}"
        check_keys(rt, {"id", "label", "help", "minimal_only"}, where, path)
        minimal_only = rt.get("minimal_only", False)
        if not isinstance(minimal_only, bool):
            raise ContentError(f"'minimal_only' in {where} moet true of false zijn", path)
        request_types.append(RequestType(_ident(rt, where, path), _text(rt, "label", where, path),
                                         _text(rt, "help", where, path, required=False),
                                         minimal_only))
    _unique([r.id for r in request_types], "request_types", path)

    grounds_table = data.get("grounds", {})
    if not isinstance(grounds_table, dict):
        raise ContentError("'grounds' moet een tabel zijn ([grounds.<soort>])", path)
    ground_legal: dict[str, str] = {}
    ground_settings: dict[str, str] = {}
    for kind, spec in grounds_table.items():
        if kind not in GROUND_KINDS:
            raise ContentError(f"onbekende grondslag '{kind}' in [grounds] "
                               f"(bekend: {', '.join(GROUND_KINDS)})", path)
        if not isinstance(spec, dict):
            raise ContentError(f"[grounds.{kind}] moet een tabel zijn", path)
        check_keys(spec, {"legal", "requires_setting"}, f"[grounds.{kind}]", path)
        ground_legal[kind] = _text(spec, "legal", f"[grounds.{kind}]", path)
        if "requires_setting" in spec:
            # A ground the gemeente must switch on first (a routekaart setting, brief [UNC]).
            ground_settings[kind] = _text(spec, "requires_setting", f"[grounds.{kind}]", path)

    inputs: list[SheetInput] = []
    for i, inp in enumerate(_tables(data, "inputs", path), 1):
        where = f"[[inputs]] nr. {i}"
        check_keys(inp, {"id", "label", "kind", "hint", "prefill"}, where, path)
        iid = _ident(inp, where, path)
        if iid == "request_type":
            raise ContentError(f"'request_type' is gereserveerd ({where})", path)
        kind = inp.get("kind", "text")
        if kind not in INPUT_KINDS:
            raise ContentError(f"onbekend soort invoer '{kind}' in {where}", path)
        prefill = inp.get("prefill")
        if prefill is not None and prefill not in PREFILLS:
            raise ContentError(f"onbekende prefill '{prefill}' in {where} "
                               f"(bekend: {', '.join(PREFILLS)})", path)
        inputs.append(SheetInput(iid, _text(inp, "label", where, path), kind,
                                 _text(inp, "hint", where, path, required=False), prefill))
    _unique([x.id for x in inputs], "inputs", path)
    input_ids = {x.id for x in inputs}

    sections: list[Section] = []
    for si, sec in enumerate(_tables(data, "sections", path), 1):
        where = f"[[sections]] nr. {si}"
        check_keys(sec, {"id", "title", "fields"}, where, path)
        sid = _ident(sec, where, path)
        title = _text(sec, "title", where, path)
        fields: list[FieldRule] = []
        for fi, raw in enumerate(_tables(sec, "fields", path), 1):
            fwhere = f"veld nr. {fi} van sectie '{sid}'"
            fields.append(_parse_field(raw, sid, fwhere, path, request_types, input_ids,
                                       ground_legal))
        if not fields:
            raise ContentError(f"sectie '{sid}' heeft geen velden", path)
        sections.append(Section(sid, title, tuple(fields)))
    if not sections:
        raise ContentError("het formulier heeft geen secties ([[sections]])", path)
    _unique([s.id for s in sections], "sections", path)

    all_fields = [f for s in sections for f in s.fields]
    _unique([f.id for f in all_fields], "velden", path)
    sources = [f.source for f in all_fields if f.source != NO_SOURCE]
    _unique(sources, "bronnen (source)", path)
    missing = [f.key for f in DETAIL_FIELDS if f.key not in sources]
    if missing:
        raise ContentError(
            "elk detailveld van een casus moet op het formulier een besluit hebben "
            f"(allowed, needs_ground of never); ontbreekt: {', '.join(missing)}", path)
    if request_types and REQUEST_TYPE_SOURCE not in sources:
        raise ContentError("er zijn soorten verzoek, maar geen veld met source "
                           "'sheet.request_type'", path)
    unused = sorted(set(ground_legal) - {g for f in all_fields for g in f.grounds})
    if unused:
        raise ContentError(f"[grounds.{unused[0]}] wordt door geen veld gebruikt", path)

    return HandoverForm(
        id=rid,
        version=data["version"],
        source=MappingProxyType(dict(data["source"])),
        name=_text(recipient, "name", "[recipient]", path),
        short=_text(recipient, "short", "[recipient]", path),
        title=_text(recipient, "title", "[recipient]", path),
        purpose=_text(recipient, "purpose", "[recipient]", path),
        number_prefix=prefix,
        default_basis=_text(recipient, "default_basis", "[recipient]", path),
        handling=_text(recipient, "handling", "[recipient]", path),
        request_types=tuple(request_types),
        ground_legal=MappingProxyType(ground_legal),
        ground_settings=MappingProxyType(ground_settings),
        inputs=tuple(inputs),
        sections=tuple(sections),
        path=path,
    )


def _parse_field(raw: Mapping[str, Any], section: str, where: str, path: str,
                 request_types: Sequence[RequestType], input_ids: set[str],
                 ground_legal: Mapping[str, str]) -> FieldRule:
    check_keys(raw, _FIELD_KEYS, where, path)
    fid = _ident(raw, where, path)
    where = f"veld '{fid}'"
    label = _text(raw, "label", where, path)
    source = _text(raw, "source", where, path)
    rule = raw.get("rule")
    if rule not in RULES:
        raise ContentError(f"{where}: 'rule' moet allowed, needs_ground of never zijn", path)
    if source == REQUEST_TYPE_SOURCE:
        if not request_types:
            raise ContentError(f"{where}: 'sheet.request_type' zonder [[request_types]]", path)
    elif source.startswith("sheet."):
        if source[len("sheet."):] not in input_ids:
            raise ContentError(f"{where}: onbekende bron '{source}' (geen [[inputs]] met die id)",
                               path)
    elif source == NO_SOURCE:
        if rule != NEVER:
            raise ContentError(f"{where}: source 'none' kan alleen met rule = \"never\"", path)
    elif source not in CASE_SOURCES and source not in DETAIL_FIELD_BY_KEY:
        raise ContentError(f"{where}: onbekende bron '{source}'", path)
    grounds = raw.get("grounds", [])
    if not isinstance(grounds, list) or not all(isinstance(g, str) for g in grounds):
        raise ContentError(f"{where}: 'grounds' moet een lijst van namen zijn", path)
    reason = _text(raw, "reason", where, path, required=rule != ALLOWED)
    if rule == NEEDS_GROUND:
        if not grounds:
            raise ContentError(f"{where}: needs_ground zonder 'grounds'", path)
        for g in grounds:
            if g not in GROUND_KINDS:
                raise ContentError(f"{where}: onbekende grondslag '{g}' "
                                   f"(bekend: {', '.join(GROUND_KINDS)})", path)
            if g not in ground_legal:
                raise ContentError(f"{where}: grondslag '{g}' heeft geen [grounds.{g}] met de "
                                   "wettelijke basis voor op het blad", path)
        if len(set(grounds)) != len(grounds):
            raise ContentError(f"{where}: een grondslag staat dubbel in 'grounds'", path)
    elif grounds:
        raise ContentError(f"{where}: 'grounds' hoort alleen bij rule = \"needs_ground\"", path)
    spec = DETAIL_FIELD_BY_KEY.get(source)
    if rule == ALLOWED and spec is not None and spec.special is not None:
        raise ContentError(f"{where}: '{source}' is een bijzonder of strafrechtelijk gegeven en "
                           "kan niet zonder grondslag mee (allowed is niet toegestaan)", path)
    if rule == ALLOWED and source == "case.label":
        raise ContentError(f"{where}: het casuslabel gaat nooit mee", path)
    return FieldRule(fid, label, source, rule, section, tuple(grounds), reason)


def _unique(items: Sequence[str], what: str, path: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise ContentError(f"'{item}' komt dubbel voor in {what}", path)
        seen.add(item)


def handover_dir() -> Path:
    return content_path("handover")


def load_form(path: Path | str) -> HandoverForm:
    return parse_form(load_toml(Path(path)), str(path))


def load_forms(directory: Path | str | None = None) -> dict[str, HandoverForm]:
    """Every handover/*.toml, keyed by recipient id; a new recipient is a new file."""
    directory = Path(directory) if directory is not None else handover_dir()
    if not directory.is_dir():
        raise ContentError("de map met overdrachtsformulieren ontbreekt", str(directory))
    forms: dict[str, HandoverForm] = {}
    for file in sorted(directory.glob("*.toml")):
        form = load_form(file)
        if form.id in forms:
            raise ContentError(f"ontvanger '{form.id}' staat ook in {forms[form.id].path}",
                               str(file))
        forms[form.id] = form
    if not forms:
        raise ContentError("geen overdrachtsformulieren gevonden", str(directory))
    return forms


# --- selection ----------------------------------------------------------------------


def ground_unlocks(ground: Ground, form: HandoverForm, rule: FieldRule) -> bool:
    """Does this recorded ground open this field on this form?"""
    if not ground.active or ground.recipient != form.id or rule.rule != NEEDS_GROUND:
        return False
    if ground.kind not in rule.grounds:
        return False
    if ground.kind == "toestemming":  # consent covers only the fields the person agreed to
        return rule.id in ground.consent_fields
    return True


def check_ground_for_form(ground: Ground, form: HandoverForm) -> None:
    """A ground recorded from the dialog must make sense for the form it is recorded for."""
    if ground.recipient != form.id:
        raise ValidationError(f"Deze grondslag is voor een andere ontvanger dan {form.short}.")
    if ground.kind not in form.ground_kinds:
        raise ValidationError(
            f"'{ground.label}' opent op het {form.short}-blad geen enkel veld.", "kind")
    if ground.kind == "toestemming":
        for fid in ground.consent_fields:
            rule = form.field(fid)
            if rule.rule == NEVER:
                raise NotAllowed(f"'{rule.label}' gaat nooit naar {form.short}, ook niet met "
                                 f"toestemming: {rule.reason}")
            if "toestemming" not in rule.grounds:
                raise ValidationError(
                    f"Voor '{rule.label}' is toestemming op het {form.short}-blad geen "
                    "geldige grondslag.", "fields")


def default_selection(form: HandoverForm) -> set[str]:
    """The minimal sheet: every `allowed` field, nothing else."""
    return {f.id for f in form.by_rule(ALLOWED)}


def unlocking_ground(form: HandoverForm, rule: FieldRule,
                     grounds: Iterable[Ground]) -> Ground | None:
    """The recorded ground that opens `rule`, preferring the order the form lists them in."""
    candidates = [g for g in grounds if ground_unlocks(g, form, rule)]
    for kind in rule.grounds:
        for g in candidates:
            if g.kind == kind:
                return g
    return None


def allowed_fields(form: HandoverForm, grounds: Iterable[Ground]) -> set[str]:
    grounds = list(grounds)
    out = default_selection(form)
    for rule in form.by_rule(NEEDS_GROUND):
        if unlocking_ground(form, rule, grounds) is not None:
            out.add(rule.id)
    return out


@dataclass(frozen=True)
class FieldState:
    """How one field stands for one case right now; what the dialog shows per checkbox."""

    rule: FieldRule
    status: str  # "allowed" | "unlocked" | "locked" | "never"
    note: str  # why locked / never, or which ground opened it
    ground: Ground | None = None

    @property
    def selectable(self) -> bool:
        return self.status in ("allowed", "unlocked")


def field_states(form: HandoverForm, grounds: Iterable[Ground],
                 disabled: Iterable[str] = ()) -> list[FieldState]:
    """`disabled`: grounds the gemeente has not switched on; a field only they could open
    says so instead of inviting the AF to record one."""
    grounds = list(grounds)
    disabled = set(disabled)
    out: list[FieldState] = []
    for rule in form.fields:
        if rule.rule == ALLOWED:
            out.append(FieldState(rule, "allowed", ""))
        elif rule.rule == NEVER:
            out.append(FieldState(rule, "never", rule.reason))
        else:
            g = unlocking_ground(form, rule, grounds)
            usable = [k for k in rule.grounds if k not in disabled]
            if g is None and not usable:
                out.append(FieldState(rule, "locked", "Op slot: de gemeente heeft de grondslag "
                                                      "die dit veld opent niet aangezet "
                                                      f"(Routekaart → instellingen). {rule.reason}"))
            elif g is None:
                names = " of ".join(GROUND_KINDS[k].label.lower() for k in usable)
                out.append(FieldState(rule, "locked", f"Op slot tot een grondslag is vastgelegd "
                                                      f"({names}). {rule.reason}"))
            else:
                out.append(FieldState(rule, "unlocked", f"Vrijgegeven door: {g.label.lower()} "
                                                        f"({format_date(g.recorded_at.date())}).",
                                      g))
    return out


@dataclass(frozen=True)
class SheetSelection:
    """Exactly the fields that may go on one sheet, and which ground opened which."""

    form_id: str
    form_version: int
    fields: tuple[str, ...]  # in form order
    unlocked_by: Mapping[str, Ground]  # field id -> the ground that opened it
    grounds: tuple[Ground, ...]  # the grounds used, in first-use order


def select_fields(form: HandoverForm, grounds: Iterable[Ground],
                  requested: Iterable[str]) -> SheetSelection:
    """The field set that may go on the sheet, or NotAllowed.

    A `never` field is refused outright, whatever grounds exist; a `needs_ground`
    field without a matching active ground for this recipient is refused too.
    """
    grounds = list(grounds)
    requested = set(requested)
    known = {f.id for f in form.fields}
    unknown = sorted(requested - known)
    if unknown:
        raise NotAllowed(f"Onbekend veld voor {form.short}: {', '.join(unknown)}.")
    unlocked: dict[str, Ground] = {}
    for rule in form.fields:
        if rule.id not in requested:
            continue
        if rule.rule == NEVER:
            raise NotAllowed(f"'{rule.label}' mag nooit op het {form.short}-blad. {rule.reason}")
        if rule.rule == NEEDS_GROUND:
            ground = unlocking_ground(form, rule, grounds)
            if ground is None:
                names = " of ".join(GROUND_KINDS[g].label.lower() for g in rule.grounds)
                raise NotAllowed(f"'{rule.label}' kan pas mee als er een grondslag is vastgelegd "
                                 f"({names}). {rule.reason}")
            unlocked[rule.id] = ground
    if not requested:
        raise ValidationError("Kies ten minste één gegeven voor het overdrachtsblad.")
    used: list[Ground] = []
    for g in unlocked.values():
        if g not in used:
            used.append(g)
    return SheetSelection(
        form_id=form.id,
        form_version=form.version,
        fields=tuple(f.id for f in form.fields if f.id in requested),
        unlocked_by=MappingProxyType(unlocked),
        grounds=tuple(used),
    )


def recheck_selection(form: HandoverForm, selection: SheetSelection) -> None:
    """Re-derive a selection from its own grounds; a hand-made one that differs is refused."""
    if selection.form_id != form.id or selection.form_version != form.version:
        raise NotAllowed("Deze selectie hoort bij een ander (of ouder) formulier.")
    again = select_fields(form, selection.grounds, selection.fields)
    if again.fields != selection.fields or dict(again.unlocked_by) != dict(selection.unlocked_by):
        raise NotAllowed("De selectie van gegevens klopt niet met de vastgelegde grondslagen.")


# --- sheet values -------------------------------------------------------------------


def format_date(value: dt.date | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            return value.strip()  # shown as the AF typed it, not reinterpreted
    return value.strftime("%d-%m-%Y")


def validate_sheet_inputs(form: HandoverForm, inputs: Mapping[str, Any]) -> dict[str, str]:
    """Clean what the AF typed in the dialog; unknown keys and bad dates are refused."""
    inputs = dict(inputs or {})
    allowed = {"request_type"} | {i.id for i in form.inputs}
    unknown = sorted(set(inputs) - allowed)
    if unknown:
        raise ValidationError(f"Onbekende invoer voor het overdrachtsblad: {', '.join(unknown)}.")
    out: dict[str, str] = {}
    if form.request_types:
        rt = str(inputs.get("request_type") or "").strip()
        if not rt:
            raise ValidationError("Kies het soort verzoek.", "request_type")
        out["request_type"] = form.request_type(rt).id
    for spec in form.inputs:
        value = inputs.get(spec.id)
        if isinstance(value, dt.date):
            value = value.isoformat()
        text = _clean("" if value is None else str(value)).strip()
        if len(text) > MAX_INPUT:
            raise ValidationError(f"'{spec.label}' is te lang (maximaal {MAX_INPUT} tekens).",
                                  spec.id)
        if text and spec.kind == "date":
            try:
                dt.date.fromisoformat(text)
            except ValueError:
                raise ValidationError(f"'{spec.label}' is geen geldige datum.", spec.id) from None
        out[spec.id] = text
    return out


def source_value(form: HandoverForm, source: str, case: Case, inputs: Mapping[str, str],
                 today: dt.date | None = None) -> str:
    """The printable value of one source; empty string when not known."""
    if source == "case.forms":
        return ", ".join(FORM_LABELS[f] for f in Form if f in case.forms)
    if source == "case.minor":
        return MINOR_LABELS.get(case.minor, "")
    if source == "case.age_band":
        band = age_band(case, today)
        return "" if band == "onbekend" else band
    if source == "case.subject":
        return SUBJECT_LABELS.get(case.subject, "")
    if source == "case.source_type":
        return SOURCE_LABELS.get(case.source_type, "")
    if source == "case.source_department":
        return case.source_department or ""
    if source == "case.opened_on":
        return format_date(case.opened_on)
    if source == "case.label":
        return case.label
    if source == REQUEST_TYPE_SOURCE:
        rt = inputs.get("request_type")
        return form.request_type(rt).label if rt else ""
    if source.startswith("sheet."):
        iid = source[len("sheet."):]
        value = inputs.get(iid, "")
        spec = next((i for i in form.inputs if i.id == iid), None)
        return format_date(value) if spec is not None and spec.kind == "date" else value
    if source == NO_SOURCE:
        return ""
    spec = DETAIL_FIELD_BY_KEY[source]
    raw = (case.detail(source) or "").strip()
    if not raw:
        return ""
    if spec.kind == "choice":
        return dict(spec.choices).get(raw, raw)
    if spec.kind == "date":
        return format_date(raw)
    return raw


@dataclass(frozen=True)
class SheetRow:
    section_id: str
    section: str
    field_id: str
    label: str
    value: str


def build_sheet_values(form: HandoverForm, case: Case, selection: SheetSelection,
                       sheet_inputs: Mapping[str, Any], today: dt.date | None = None
                       ) -> list[SheetRow]:
    """The ordered rows of the sheet; missing data reads 'niet bekend'."""
    recheck_selection(form, selection)
    inputs = validate_sheet_inputs(form, sheet_inputs)
    chosen = set(selection.fields)
    rt_id = inputs.get("request_type")
    if rt_id and form.request_type(rt_id).minimal_only and selection.unlocked_by:
        rt = form.request_type(rt_id)
        others = [r.label for r in form.request_types if not r.minimal_only]
        hint = f" Kies '{others[0]}' als meer nodig is." if others else ""
        raise ValidationError(
            f"Bij '{rt.label}' gaan alleen de minimale gegevens mee, zonder gegevens die een "
            f"grondslag nodig hebben.{hint}", "request_type")
    rows: list[SheetRow] = []
    for section in form.sections:
        for rule in section.fields:
            if rule.id not in chosen:
                continue
            value = source_value(form, rule.source, case, inputs, today)
            rows.append(SheetRow(section.id, section.title, rule.id, rule.label,
                                 value or NOT_KNOWN))
    return rows


# --- the sheet as printed -----------------------------------------------------------


@dataclass(frozen=True)
class Sender:
    name: str
    function: str
    contact: str


@dataclass(frozen=True)
class GroundLine:
    """A ground as printed: kind, legal basis, short motivation, who decided, for what."""

    kind: str
    label: str
    legal: str
    motivation: str
    decided_by: str
    recorded_on: dt.date
    fields: tuple[str, ...]  # labels of the fields it opened on this sheet


@dataclass(frozen=True)
class HandoverSheet:
    number: str
    created_on: dt.date
    gemeente: str
    sender: Sender
    recipient: str
    recipient_short: str
    title: str
    purpose: str
    request_type: str
    default_basis: str
    handling: str
    rows: tuple[SheetRow, ...]
    grounds: tuple[GroundLine, ...]
    form_version: int


MOTIVATION_SUMMARY = 400  # characters of the motivation printed on the sheet


def summarize(text: str, limit: int = MOTIVATION_SUMMARY) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


SHEET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone


def new_sheet_number(form: HandoverForm) -> str:
    """Random, with no link to name, BSN or case label (brief e)."""
    chars = "".join(secrets.choice(SHEET_ALPHABET) for _ in range(8))
    return f"{form.number_prefix}-{chars[:4]}-{chars[4:]}"


def assemble_sheet(form: HandoverForm, case: Case, selection: SheetSelection,
                   sheet_inputs: Mapping[str, Any], *, number: str, created_on: dt.date,
                   gemeente: str, sender: Sender) -> HandoverSheet:
    rows = build_sheet_values(form, case, selection, sheet_inputs, today=created_on)
    inputs = validate_sheet_inputs(form, sheet_inputs)
    labels = {f.id: f.label for f in form.fields}
    lines = []
    for g in selection.grounds:
        opened = tuple(labels[fid] for fid in selection.fields
                       if selection.unlocked_by.get(fid) == g)
        lines.append(GroundLine(g.kind, g.label, form.ground_legal[g.kind],
                                summarize(g.motivation), g.decided_by, g.recorded_at.date(),
                                opened))
    rt = inputs.get("request_type")
    return HandoverSheet(
        number=number,
        created_on=created_on,
        gemeente=gemeente,
        sender=sender,
        recipient=form.name,
        recipient_short=form.short,
        title=form.title,
        purpose=form.purpose,
        request_type=form.request_type(rt).label if rt else "",
        default_basis=form.default_basis,
        handling=form.handling,
        rows=tuple(rows),
        grounds=tuple(lines),
        form_version=form.version,
    )


# --- the disclosure hash chain --------------------------------------------------------

GENESIS_HASH = "0" * 64


def canonical_json(content: Mapping[str, Any]) -> str:
    """One fixed serialisation: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def content_hash(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record_hash(prev_hash: str, content_hash_: str, seq: int) -> str:
    return hashlib.sha256(f"{prev_hash}{content_hash_}{int(seq)}".encode("ascii")).hexdigest()


@dataclass(frozen=True)
class DisclosureRecord:
    seq: int
    created_at: str
    case_id: int | None
    content: str | None  # canonical JSON; None once tombstoned
    content_hash: str
    prev_hash: str
    record_hash: str
    tombstoned_on: str | None = None
    tombstone: str | None = None

    @property
    def data(self) -> dict[str, Any] | None:
        return json.loads(self.content) if self.content is not None else None


def chain_record(prev: DisclosureRecord | None, content: Mapping[str, Any], created_at: str,
                 case_id: int | None) -> DisclosureRecord:
    """The next record after `prev` (None for the first)."""
    seq = 1 if prev is None else prev.seq + 1
    prev_hash = GENESIS_HASH if prev is None else prev.record_hash
    canonical = canonical_json(content)
    ch = content_hash(canonical)
    return DisclosureRecord(seq, created_at, case_id, canonical, ch, prev_hash,
                            record_hash(prev_hash, ch, seq))


def verify_chain(records: Iterable[DisclosureRecord]) -> int | None:
    """The seq of the first broken record, or None when the whole chain holds.

    Checks per record: seq follows on, prev_hash is the previous record_hash, the
    content (unless tombstoned) hashes to content_hash, and record_hash recomputes.
    Content removed without a tombstone counts as tampering.
    """
    expected_seq = 1
    prev_hash = GENESIS_HASH
    for rec in records:
        if rec.seq != expected_seq:
            return expected_seq
        if rec.prev_hash != prev_hash:
            return rec.seq
        if rec.content is None:
            if not rec.tombstoned_on:
                return rec.seq
        elif content_hash(rec.content) != rec.content_hash:
            return rec.seq
        if record_hash(rec.prev_hash, rec.content_hash, rec.seq) != rec.record_hash:
            return rec.seq
        prev_hash = rec.record_hash
        expected_seq += 1
    return None


def _clean(value: str) -> str:
    # clean_text turns lone surrogates into U+FFFD, as for every other stored text.
    return _CONTROL.sub("", clean_text(value or ""))
