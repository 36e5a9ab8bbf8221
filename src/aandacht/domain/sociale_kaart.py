"""The sociale kaart: who the AF can reach, how, and whether the number is confirmed.

The defaults for the Den Haag region live in resources/content/sociale_kaart.toml.
A gemeente's own changes are kept apart as *edits* (only the fields that differ,
plus added and removed contacts), so a corrected default still reaches fields the
gemeente never touched. Export and import use one JSON document with a format
marker and version; an import is parsed and diffed completely before anything is
applied, so a bad file never leaves the kaart half-changed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from aandacht.content import check_keys, content_path, load_toml, require_source
from aandacht.domain.errors import ContentError, ValidationError

FILE_NAME = "sociale_kaart.toml"
EXPORT_FORMAT = "aandacht-sociale-kaart"
EXPORT_VERSION = 1
EDITS_VERSION = 1
MAX_IMPORT_BYTES = 1024 * 1024  # 1 MB: a kaart of a few hundred contacts is far below this
MAX_CONTACTS = 500

# Field order is the order of the edit dialog and the export.
TEXT_FIELDS = ("name", "role", "phone", "email", "website", "hours", "notes")
FIELD_LABELS = {
    "id": "Sleutel",
    "name": "Naam",
    "role": "Rol in de keten",
    "phone": "Telefoon",
    "email": "E-mail",
    "website": "Website",
    "hours": "Bereikbaarheid",
    "notes": "Opmerkingen",
    "verified": "Nummer bevestigd",
}
_MAX_LEN = {"name": 120, "role": 1000, "phone": 40, "email": 200, "website": 300,
            "hours": 200, "notes": 2000}
_MULTILINE = {"role", "notes"}
_ID_RE = re.compile(r"^[a-z0-9_]{1,40}$")
_PHONE_RE = re.compile(r"^[0-9+()\-/. ]*$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CONTROL_ONE_LINE_RE = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Contact:
    id: str
    name: str
    role: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    hours: str = ""
    notes: str = ""
    verified: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def phone_status(self) -> str:
        """Dutch wording the UI shows next to the number."""
        if not self.phone:
            return "nummer nog niet ingevuld"
        return "bevestigd" if self.verified else "nummer nog niet bevestigd"


CONTACT_KEYS = frozenset(f.name for f in fields(Contact))


@dataclass(frozen=True)
class SocialeKaart:
    version: int
    source: Mapping[str, Any]
    contacts: tuple[Contact, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.contacts)

    def get(self, contact_id: str) -> Contact:
        for c in self.contacts:
            if c.id == contact_id:
                return c
        raise KeyError(contact_id)


# --- field validation -----------------------------------------------------------


def clean_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate contact fields (all or some); raise ValidationError naming the field.

    Strips surrounding whitespace; returns the cleaned values. Used for an edit in
    the UI and, wrapped into a ContentError, for every contact in an import.
    """
    out: dict[str, Any] = {}
    unknown = set(values) - CONTACT_KEYS
    if unknown:
        raise ValidationError(f"Onbekend veld: {', '.join(sorted(unknown))}.", sorted(unknown)[0])
    for key, value in values.items():
        label = FIELD_LABELS[key]
        if key == "verified":
            if not isinstance(value, bool):
                raise ValidationError(f"'{label}' moet ja of nee zijn.", key)
            out[key] = value
            continue
        if not isinstance(value, str):
            raise ValidationError(f"'{label}' moet tekst zijn.", key)
        value = value.strip()
        if key == "id":
            if not _ID_RE.match(value):
                raise ValidationError(
                    "De sleutel van een contact bestaat uit 1 tot 40 kleine letters, cijfers "
                    "of liggende streepjes.", key)
            out[key] = value
            continue
        limit = _MAX_LEN[key]
        if len(value) > limit:
            raise ValidationError(f"'{label}' is te lang (maximaal {limit} tekens).", key)
        bad = _CONTROL_RE if key in _MULTILINE else _CONTROL_ONE_LINE_RE
        if bad.search(value):
            raise ValidationError(f"'{label}' bevat regeleinden of stuurtekens.", key)
        if key == "name" and not value:
            raise ValidationError("Geef het contact een naam.", key)
        if key == "phone" and value:
            if not _PHONE_RE.match(value) or sum(ch.isdigit() for ch in value) < 3:
                raise ValidationError(
                    "Het telefoonnummer mag alleen cijfers, spaties, +, -, /, . en haakjes "
                    "bevatten (ten minste 3 cijfers).", key)
        if key == "email" and value and not _EMAIL_RE.match(value):
            raise ValidationError("Het e-mailadres is ongeldig.", key)
        if key == "website" and value and (
            not value.startswith(("https://", "http://")) or any(ch.isspace() for ch in value)
        ):
            raise ValidationError("Een website begint met https:// of http:// en bevat geen "
                                  "spaties.", key)
        out[key] = value
    return out


def contact_from_mapping(data: Any, where: str, path: str | None = None) -> Contact:
    """A complete contact from a TOML/JSON table; any problem is a ContentError."""
    if not isinstance(data, Mapping):
        raise ContentError(f"{where} is geen tabel met velden.", path)
    unknown = set(data) - CONTACT_KEYS
    if unknown:
        raise ContentError(f"onbekende sleutel(s) {', '.join(sorted(unknown))} in {where}.", path)
    for key in ("id", "name"):
        if key not in data:
            raise ContentError(f"{where} mist het veld '{key}'.", path)
    try:
        values = clean_fields(data)
    except ValidationError as exc:
        raise ContentError(f"{where}: {exc}", path) from None
    return Contact(**values)


# --- the default kaart (content file) --------------------------------------------


def parse_sociale_kaart(data: Mapping[str, Any], path: str) -> SocialeKaart:
    check_keys(data, {"version", "source", "contacts"}, "het bestand", path)
    source = require_source(dict(data), path)
    raw = data.get("contacts")
    if not isinstance(raw, list) or not raw:
        raise ContentError("de lijst [[contacts]] ontbreekt of is leeg.", path)
    contacts = _unique([contact_from_mapping(item, f"contact {i + 1}", path)
                        for i, item in enumerate(raw)], path)
    return SocialeKaart(version=data["version"], source=dict(source), contacts=contacts)


def load_sociale_kaart(path: Path | str | None = None) -> SocialeKaart:
    p = Path(path) if path is not None else content_path(FILE_NAME)
    return parse_sociale_kaart(load_toml(p), str(p))


def _unique(contacts: Iterable[Contact], path: str | None) -> tuple[Contact, ...]:
    seen: set[str] = set()
    out = []
    for c in contacts:
        if c.id in seen:
            raise ContentError(f"het contact '{c.id}' staat er meer dan eens in.", path)
        seen.add(c.id)
        out.append(c)
    return tuple(out)


# --- a gemeente's edits ------------------------------------------------------------


def empty_edits() -> dict[str, Any]:
    return {"version": EDITS_VERSION, "contacts": {}, "removed": []}


def _check_edits(edits: Mapping[str, Any] | None) -> tuple[dict[str, dict], list[str]]:
    """The stored edits, checked; a corrupt value is a ContentError, never a crash."""
    where = "de opgeslagen wijzigingen van de sociale kaart"
    if not edits:
        return {}, []
    if not isinstance(edits, Mapping) or edits.get("version") != EDITS_VERSION:
        raise ContentError(f"{where} hebben een onbekende vorm of versie.")
    if set(edits) - {"version", "contacts", "removed"}:
        raise ContentError(f"{where} bevatten onbekende sleutels.")
    contacts = edits.get("contacts", {})
    removed = edits.get("removed", [])
    if not isinstance(contacts, Mapping) or not isinstance(removed, list):
        raise ContentError(f"{where} hebben een onbekende vorm.")
    checked: dict[str, dict] = {}
    for cid, change in contacts.items():
        if not isinstance(change, Mapping):
            raise ContentError(f"{where}: contact '{cid}' is geen tabel.")
        try:
            checked[cid] = clean_fields({**change, "id": cid})
        except ValidationError as exc:
            raise ContentError(f"{where}: contact '{cid}': {exc}") from None
        checked[cid].pop("id")
    if not all(isinstance(r, str) for r in removed):
        raise ContentError(f"{where}: de lijst met verwijderde contacten is ongeldig.")
    return checked, list(removed)


def merge(defaults: Sequence[Contact], edits: Mapping[str, Any] | None) -> list[Contact]:
    """Defaults with the gemeente's edits applied: defaults first, then added contacts."""
    changes, removed = _check_edits(edits)
    out: list[Contact] = []
    default_ids = {c.id for c in defaults}
    for c in defaults:
        if c.id in removed:
            continue
        out.append(replace(c, **changes[c.id]) if c.id in changes else c)
    for cid, change in changes.items():
        if cid in default_ids:
            continue
        if not change.get("name"):
            raise ContentError(
                f"de opgeslagen wijzigingen van de sociale kaart: toegevoegd contact '{cid}' "
                "heeft geen naam.")
        out.append(Contact(id=cid, **change))
    return out


def edits_for(defaults: Sequence[Contact], target: Sequence[Contact]) -> dict[str, Any]:
    """The smallest edits that turn `defaults` into `target` (order: defaults first)."""
    by_id = {c.id: c for c in defaults}
    target_ids = {c.id for c in target}
    contacts: dict[str, dict[str, Any]] = {}
    for c in target:
        base = by_id.get(c.id)
        full = c.to_dict()
        full.pop("id")
        if base is None:
            contacts[c.id] = full
            continue
        base_d = base.to_dict()
        changed = {k: v for k, v in full.items() if base_d[k] != v}
        if changed:
            contacts[c.id] = changed
    removed = [c.id for c in defaults if c.id not in target_ids]
    return {"version": EDITS_VERSION, "contacts": contacts, "removed": removed}


def check_required(contacts: Iterable[Contact], required: Collection[str],
                   path: str | None = None) -> None:
    present = {c.id for c in contacts}
    missing = [r for r in sorted(required) if r not in present]
    if missing:
        raise ContentError(
            "de routekaart heeft deze contacten nodig, maar ze ontbreken: "
            f"{', '.join(missing)}. Zo'n contact kan worden aangepast, niet verwijderd.", path)


def new_contact_id(name: str, existing: Collection[str]) -> str:
    """A readable key for a contact the gemeente adds ("Opvang De Haven" → opvang_de_haven)."""
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:32] or "contact"
    cid, n = base, 2
    while cid in existing:
        cid = f"{base}_{n}"
        n += 1
    return cid


# --- export / import -------------------------------------------------------------


def export_bytes(contacts: Sequence[Contact], exported_on: dt.date | None = None,
                 gemeente: str = "") -> bytes:
    doc = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_on": (exported_on or dt.date.today()).isoformat(),
        "gemeente": gemeente,
        "contacts": [c.to_dict() for c in contacts],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def parse_import(raw: bytes, path: str | None = None) -> list[Contact]:
    """Parse an exported kaart; refuse anything malformed, too big or of another version."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise ContentError(
            f"het bestand is te groot ({len(raw) // 1024} kB; maximaal 1 MB). Is dit wel een "
            "export van de sociale kaart?", path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ContentError("het bestand is geen geldige UTF-8-tekst; het is geen export van de "
                           "sociale kaart.", path) from None
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise ContentError("het bestand is geen geldige export van de sociale kaart "
                           "(geen leesbare JSON).", path) from None
    if not isinstance(doc, dict) or doc.get("format") != EXPORT_FORMAT:
        raise ContentError("het bestand is geen export van de sociale kaart van Aandacht "
                           f"(het formaatkenmerk '{EXPORT_FORMAT}' ontbreekt).", path)
    version = doc.get("version")
    if version != EXPORT_VERSION or isinstance(version, bool):
        raise ContentError(
            f"het bestand heeft versie {version!r}; deze versie van Aandacht leest alleen "
            f"versie {EXPORT_VERSION}.", path)
    unknown = set(doc) - {"format", "version", "exported_on", "gemeente", "contacts"}
    if unknown:
        raise ContentError(f"onbekende sleutel(s) {', '.join(sorted(unknown))} in het bestand.",
                           path)
    items = doc.get("contacts")
    if not isinstance(items, list):
        raise ContentError("de lijst 'contacts' ontbreekt in het bestand.", path)
    if not items:
        raise ContentError("het bestand bevat geen contacten.", path)
    if len(items) > MAX_CONTACTS:
        raise ContentError(f"het bestand bevat meer dan {MAX_CONTACTS} contacten.", path)
    contacts = [contact_from_mapping(item, f"contact {i + 1}", path)
                for i, item in enumerate(items)]
    return list(_unique(contacts, path))


@dataclass(frozen=True)
class ContactChange:
    old: Contact
    new: Contact
    fields: tuple[str, ...]  # names of the changed fields, in FIELD_LABELS order


@dataclass(frozen=True)
class ImportDiff:
    added: tuple[Contact, ...]
    changed: tuple[ContactChange, ...]
    removed: tuple[Contact, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def lines(self) -> list[str]:
        """A readable Dutch account of the diff, one line per contact."""
        out = [f"Nieuw: {c.name}" for c in self.added]
        for ch in self.changed:
            what = ", ".join(FIELD_LABELS[f].lower() for f in ch.fields)
            out.append(f"Gewijzigd: {ch.new.name} ({what})")
        out += [f"Verwijderd: {c.name}" for c in self.removed]
        return out


def diff_contacts(current: Sequence[Contact], incoming: Sequence[Contact]) -> ImportDiff:
    cur = {c.id: c for c in current}
    inc_ids = {c.id for c in incoming}
    added, changed = [], []
    for c in incoming:
        old = cur.get(c.id)
        if old is None:
            added.append(c)
        elif old != c:
            names = tuple(k for k in FIELD_LABELS if k != "id" and getattr(old, k) != getattr(c, k))
            changed.append(ContactChange(old, c, names))
    removed = [c for c in current if c.id not in inc_ids]
    return ImportDiff(tuple(added), tuple(changed), tuple(removed))


@dataclass(frozen=True)
class ImportPlan:
    """Everything an import will do, computed before anything is stored."""

    diff: ImportDiff
    contacts: tuple[Contact, ...]
    edits: Mapping[str, Any]


def plan_import(defaults: Sequence[Contact], edits: Mapping[str, Any] | None, raw: bytes,
                required: Collection[str] = (), path: str | None = None) -> ImportPlan:
    incoming = parse_import(raw, path)
    check_required(incoming, required, path)
    current = merge(defaults, edits)
    new_edits = edits_for(defaults, incoming)
    # The stored edits must reproduce exactly what was imported; check before applying.
    if merge(defaults, new_edits) != _ordered_like(defaults, incoming):
        raise ContentError("het bestand kan niet zonder verlies worden ingelezen.", path)
    return ImportPlan(diff_contacts(current, incoming), tuple(incoming), new_edits)


def _ordered_like(defaults: Sequence[Contact], contacts: Sequence[Contact]) -> list[Contact]:
    # merge() puts defaults first and added contacts after, in their own order.
    default_ids = [c.id for c in defaults]
    by_id = {c.id: c for c in contacts}
    first = [by_id[i] for i in default_ids if i in by_id]
    rest = [c for c in contacts if c.id not in set(default_ids)]
    return first + rest
