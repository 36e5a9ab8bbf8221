"""The case log's data model: cases, their detail sections, timeline entries, follow-ups.

A case carries a pseudonymous label, never a name. Identifying and special data
sit in the optional detail sections (`details`), each field flagged with the
special category it belongs to, so that only the handover rules decide whether
any of it ever leaves the vault.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from aandacht.domain.errors import ValidationError

MAX_TEXT = 1_000_000  # characters; a 1 MB note is accepted, larger is refused with a message
MAX_LABEL = 80
EARLIEST_DATE = dt.date(2000, 1, 1)


class Status(StrEnum):
    OPEN = "open"
    DOORGEZET = "doorgezet"
    AFGESLOTEN = "afgesloten"


STATUS_LABELS = {Status.OPEN: "Open", Status.DOORGEZET: "Doorgezet", Status.AFGESLOTEN: "Afgesloten"}


class Subject(StrEnum):
    SLACHTOFFER = "slachtoffer"  # a (possibly) identifiable victim
    LOCATIE = "locatie"  # a location, business, advert or suspected perpetrator


SUBJECT_LABELS = {
    Subject.SLACHTOFFER: "(Mogelijk) identificeerbaar slachtoffer",
    Subject.LOCATIE: "Locatie, bedrijf of vermoedelijke dader",
}


class Form(StrEnum):
    SEKSUEEL = "seksueel"
    ARBEID = "arbeid"
    CRIMINEEL = "crimineel"
    ORGAANHANDEL = "orgaanhandel"
    ONBEKEND = "onbekend"


FORM_LABELS = {
    Form.SEKSUEEL: "Seksuele uitbuiting",
    Form.ARBEID: "Arbeidsuitbuiting",
    Form.CRIMINEEL: "Criminele uitbuiting",
    Form.ORGAANHANDEL: "Gedwongen orgaanhandel",
    Form.ONBEKEND: "Onbekend",
}


class Minor(StrEnum):
    JA = "ja"
    NEE = "nee"
    ONBEKEND = "onbekend"


MINOR_LABELS = {Minor.JA: "Ja", Minor.NEE: "Nee", Minor.ONBEKEND: "Onbekend"}


class SourceType(StrEnum):
    COLLEGA = "collega"
    EXTERN = "extern"
    INWONER = "inwoner"
    ANONIEM = "anoniem"


SOURCE_LABELS = {
    SourceType.COLLEGA: "Collega (gemeente)",
    SourceType.EXTERN: "Externe professional",
    SourceType.INWONER: "Inwoner",
    SourceType.ANONIEM: "Anoniem",
}


class EntryKind(StrEnum):
    NOTITIE = "notitie"
    SIGNAAL = "signaal"
    CONSULTATIE = "consultatie"
    GESPREK = "gesprek"
    BESLUIT = "besluit"
    FOLLOWUP = "followup"  # a follow-up marked done
    MELDCODE = "meldcode"  # a completed meldcode step
    ROUTE = "route"  # a routekaart walk and its outcome
    OVERDRACHT = "overdracht"  # a handover sheet saved or printed
    STATUS = "status"  # opened, closed, reopened


ENTRY_LABELS = {
    EntryKind.NOTITIE: "Notitie",
    EntryKind.SIGNAAL: "Signaal",
    EntryKind.CONSULTATIE: "Consultatie",
    EntryKind.GESPREK: "Gesprek",
    EntryKind.BESLUIT: "Besluit",
    EntryKind.FOLLOWUP: "Follow-up afgerond",
    EntryKind.MELDCODE: "Meldcode",
    EntryKind.ROUTE: "Routekaart",
    EntryKind.OVERDRACHT: "Overdracht",
    EntryKind.STATUS: "Status",
}

# Kinds the AF adds by hand; the others are written by the features themselves.
MANUAL_KINDS = (
    EntryKind.NOTITIE,
    EntryKind.SIGNAAL,
    EntryKind.CONSULTATIE,
    EntryKind.GESPREK,
    EntryKind.BESLUIT,
)


class Special(StrEnum):
    """AVG art. 9/10 categories; a field marked with one is never shared by default."""

    GEZONDHEID = "gezondheid"
    SEKSUEEL_LEVEN = "seksueel_leven"
    VERBLIJFSSTATUS = "verblijfsstatus"  # not art. 9, but treated as special (brief e.2)
    STRAFRECHTELIJK = "strafrechtelijk"


SPECIAL_LABELS = {
    Special.GEZONDHEID: "bijzonder persoonsgegeven: gezondheid",
    Special.SEKSUEEL_LEVEN: "bijzonder persoonsgegeven: seksueel leven",
    Special.VERBLIJFSSTATUS: "gevoelig: verblijfsstatus",
    Special.STRAFRECHTELIJK: "strafrechtelijk gegeven",
}


@dataclass(frozen=True)
class FieldSpec:
    key: str  # "section.name", the address handover forms use as their `source`
    label: str
    special: Special | None = None
    identifying: bool = False
    kind: str = "text"  # text | longtext | date | choice | bool | list
    choices: tuple[tuple[str, str], ...] = ()  # (value, Dutch label)


YES_NO_UNKNOWN = (("ja", "Ja"), ("nee", "Nee"), ("onbekend", "Onbekend"))

# The detail sections of a case. `persoon` is the victim section (kept out of the
# OOV record by linking cases); `object` describes a location/business/perpetrator;
# `situatie` holds the non-identifying assessment a minimal handover is built from.
DETAIL_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("persoon.naam", "Naam of alias", identifying=True),
    FieldSpec("persoon.geboortedatum", "Geboortedatum", identifying=True, kind="date"),
    FieldSpec("persoon.geslacht", "Geslacht (alleen als relevant)"),
    FieldSpec("persoon.telefoon", "Veilig telefoonnummer", identifying=True),
    FieldSpec("persoon.contacttijden", "Contacttijden", identifying=True),
    FieldSpec("persoon.verblijfplaats", "Verblijfplaats of adres", identifying=True),
    FieldSpec("persoon.taal_tolk", "Taal voor tolk"),
    FieldSpec("persoon.kinderen", "Betrokken kinderen", identifying=True, kind="longtext"),
    FieldSpec(
        "persoon.verblijfsstatus", "Verblijfsstatus", special=Special.VERBLIJFSSTATUS,
        identifying=True,
    ),
    FieldSpec(
        "persoon.gezondheid", "Gezondheid en zorgbehoefte", special=Special.GEZONDHEID,
        kind="longtext",
    ),
    FieldSpec(
        "persoon.seksueel_leven", "Gegevens over seksueel leven", special=Special.SEKSUEEL_LEVEN,
        kind="longtext",
    ),
    FieldSpec(
        "persoon.strafrechtelijk", "Eigen strafrechtelijke gegevens",
        special=Special.STRAFRECHTELIJK, kind="longtext",
    ),
    FieldSpec("object.adres", "Adres of locatie", identifying=True),
    FieldSpec("object.bedrijfsnaam", "Bedrijfsnaam", identifying=True),
    FieldSpec("object.kvk", "KvK-nummer", identifying=True),
    FieldSpec("object.kenteken", "Kenteken voertuig", identifying=True),
    FieldSpec("object.advertentie", "Online advertentie of URL", identifying=True),
    FieldSpec("object.type_pand", "Type pand of activiteit"),
    FieldSpec("object.aantal_slachtoffers", "Aantal mogelijke slachtoffers (alleen aantal)"),
    FieldSpec(
        "object.verdachte_naam", "Naam vermoedelijke dader", special=Special.STRAFRECHTELIJK,
        identifying=True,
    ),
    FieldSpec(
        "object.verdachte_geboortedatum", "Geboortedatum vermoedelijke dader",
        special=Special.STRAFRECHTELIJK, identifying=True, kind="date",
    ),
    FieldSpec(
        "object.verdachte_rol", "Rol vermoedelijke dader", special=Special.STRAFRECHTELIJK,
    ),
    FieldSpec("situatie.sector", "Sector of setting (algemeen)"),
    FieldSpec("situatie.acuut_gevaar", "Acuut gevaar", kind="choice", choices=YES_NO_UNKNOWN),
    FieldSpec("situatie.112_gebeld", "112 al gebeld", kind="choice", choices=YES_NO_UNKNOWN),
    FieldSpec(
        "situatie.persoon_geinformeerd", "Persoon geïnformeerd", kind="choice",
        choices=YES_NO_UNKNOWN,
    ),
    FieldSpec("situatie.hulpwens", "Wil de persoon hulp", kind="choice", choices=YES_NO_UNKNOWN),
    FieldSpec(
        "situatie.zelf_contact_shop", "Neemt zelf contact op met SHOP", kind="choice",
        choices=YES_NO_UNKNOWN,
    ),
    FieldSpec("situatie.behoeften", "Behoeften (categorie: opvang, medisch, psychosociaal, "
              "juridisch, inkomen)", kind="longtext"),
    FieldSpec("situatie.betrokken_partners", "Al betrokken partners (alleen categorie)"),
    FieldSpec("situatie.gevraagde_actie", "Gevraagde actie en contactroute", kind="longtext"),
    FieldSpec("situatie.urgentie", "Urgentie"),
    FieldSpec("situatie.gemeentelijke_haken", "Gemeentelijke haken (vergunning, APV, Bibob, "
              "huisvesting, BRP)", kind="longtext"),
    FieldSpec(
        "situatie.politie_geinformeerd", "Politie of Arbeidsinspectie al geïnformeerd",
        kind="choice", choices=YES_NO_UNKNOWN,
    ),
    FieldSpec(
        "situatie.zorg_geregeld", "Zorg voor slachtoffer geregeld", kind="choice",
        choices=YES_NO_UNKNOWN,
    ),
    FieldSpec("situatie.betrouwbaarheid_bron", "Betrouwbaarheid bron (eigen waarneming / "
              "van horen zeggen)"),
)
DETAIL_FIELD_BY_KEY = {f.key: f for f in DETAIL_FIELDS}
SECTION_LABELS = {
    "persoon": "Persoonsgegevens (optioneel, apart bewaard)",
    "object": "Locatie, bedrijf of vermoedelijke dader",
    "situatie": "Situatie (niet-identificerend)",
}


@dataclass
class Case:
    id: int | None
    label: str
    opened_on: dt.date
    status: Status = Status.OPEN
    subject: Subject = Subject.SLACHTOFFER
    forms: frozenset[Form] = frozenset({Form.ONBEKEND})
    minor: Minor = Minor.ONBEKEND
    source_type: SourceType = SourceType.COLLEGA
    source_department: str = ""
    linked_case_id: int | None = None
    close_reason: str | None = None
    closed_on: dt.date | None = None
    delete_after: dt.date | None = None
    details: dict[str, str] = field(default_factory=dict)  # FieldSpec.key -> value

    def detail(self, key: str) -> str:
        return self.details.get(key, "")


@dataclass(slots=True)
class CaseSummary:
    """One row of the case list: only what the table shows.

    Not frozen: a frozen dataclass sets each field through object.__setattr__, which made
    building 10,000 rows noticeably slower. Treat instances as read-only all the same."""

    id: int
    label: str
    opened_on: dt.date
    status: Status
    subject: Subject
    forms: frozenset[Form]
    minor: Minor
    last_activity: dt.date | None
    open_followups: int
    meldcode_status: str


@dataclass(frozen=True)
class EntryVersion:
    saved_at: dt.datetime
    occurred_on: dt.date
    title: str
    facts: str
    interpretation: str
    body: str


@dataclass
class Entry:
    id: int | None
    case_id: int
    kind: EntryKind
    occurred_on: dt.date
    title: str = ""
    facts: str = ""  # observed facts (seen/heard), kept apart from
    interpretation: str = ""  # interpretations and hypotheses (meldcode)
    body: str = ""  # free text for kinds without that split
    data: dict[str, Any] = field(default_factory=dict)  # structured extras per kind
    created_at: dt.datetime | None = None
    history: list[EntryVersion] = field(default_factory=list)  # earlier versions, oldest first

    def text(self) -> str:
        return "\n".join(t for t in (self.title, self.facts, self.interpretation, self.body) if t)


@dataclass
class FollowUp:
    id: int | None
    case_id: int
    due_on: dt.date
    what: str
    done_on: dt.date | None = None


# --- validation -----------------------------------------------------------------


def clean_text(value: str) -> str:
    """Lone surrogates (from some input methods or pasted text) cannot be stored as UTF-8;
    they become U+FFFD instead of an error deep in the store. NUL characters are dropped."""
    value = value or ""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in value)
    return value.replace("\x00", "")


def validate_label(label: str) -> str:
    label = clean_text(label).strip()
    if not label:
        raise ValidationError("Geef de casus een label (een pseudoniem, geen naam).", "label")
    if len(label) > MAX_LABEL:
        raise ValidationError(f"Het label is te lang (maximaal {MAX_LABEL} tekens).", "label")
    if any(ord(c) < 32 for c in label):
        raise ValidationError("Het label mag geen regeleinden of stuurtekens bevatten.", "label")
    return label


def validate_date(value: dt.date, what: str, today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    if value > today:
        raise ValidationError(f"De datum bij '{what}' ligt in de toekomst.", what)
    if value < EARLIEST_DATE:
        raise ValidationError(f"De datum bij '{what}' ligt vóór 2000; controleer het jaar.", what)
    return value


def validate_text(value: str, what: str) -> str:
    value = clean_text(value)
    if len(value) > MAX_TEXT:
        raise ValidationError(
            f"De tekst bij '{what}' is te lang ({len(value):,} tekens; maximaal {MAX_TEXT:,}). "
            "Splits de tekst over meer notities.".replace(",", "."),
            what,
        )
    return value


def validate_case(case: Case, today: dt.date | None = None) -> Case:
    case.label = validate_label(case.label)
    validate_date(case.opened_on, "geopend op", today)
    if not case.forms:
        raise ValidationError("Kies ten minste één vorm van uitbuiting (of 'Onbekend').", "forms")
    unknown = set(case.details) - set(DETAIL_FIELD_BY_KEY)
    if unknown:
        raise ValidationError(f"Onbekend veld: {', '.join(sorted(unknown))}.", "details")
    case.details = {key: validate_text(value, DETAIL_FIELD_BY_KEY[key].label)
                    for key, value in case.details.items()}
    case.source_department = validate_text(case.source_department, "afdeling")
    if case.linked_case_id is not None and case.linked_case_id == case.id:
        raise ValidationError("Een casus kan niet aan zichzelf gekoppeld worden.", "linked_case_id")
    return case


def age_band(case: Case, today: dt.date | None = None) -> str:
    """Wide age bands against re-identification in a small gemeente (brief e.1)."""
    today = today or dt.date.today()
    dob = case.detail("persoon.geboortedatum")
    if dob:
        try:
            born = dt.date.fromisoformat(dob)
        except ValueError:
            born = None
        if born:
            years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
            if years < 18:
                return "minderjarig"
            if years <= 23:
                return "18–23"
            if years <= 35:
                return "24–35"
            return "36+"
    if case.minor == Minor.JA:
        return "minderjarig"
    if case.minor == Minor.NEE:
        return "volwassen (leeftijd onbekend)"
    return "onbekend"
