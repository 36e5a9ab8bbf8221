"""The signalenlijst: indicators of trafficking per form of exploitation, with stable codes.

Codes (e.g. "SEK-03") travel into meldcode reports and handover sheets, so the
parser insists they are well-formed and unique: a reused code would silently
change the meaning of older records.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aandacht.domain.errors import ContentError

CODE_RE = re.compile(r"^[A-Z]{3}-\d{2}$")
GROUP_PREFIX = "KWB"
# The case forms (aandacht.domain.case.Form values) a signal list may be tied to.
KNOWN_CASE_FORMS = {"seksueel", "arbeid", "crimineel", "orgaanhandel", "onbekend"}


@dataclass(frozen=True)
class Indicator:
    code: str
    text: str
    form_id: str
    minors: bool = False  # only relevant for minors


@dataclass(frozen=True)
class SignalForm:
    id: str
    prefix: str
    label: str
    description: str
    case_forms: tuple[str, ...]  # empty: shown for every case
    reference: str
    indicators: tuple[Indicator, ...]

    @property
    def always(self) -> bool:
        return not self.case_forms


@dataclass(frozen=True)
class Group:
    code: str
    label: str


@dataclass(frozen=True)
class Signalen:
    version: int
    source: dict[str, str]
    caution: str
    forms: tuple[SignalForm, ...]
    groups: tuple[Group, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {i.code: i for f in self.forms for i in f.indicators})
        object.__setattr__(self, "_groups", {g.code: g for g in self.groups})
        object.__setattr__(self, "_forms", {f.id: f for f in self.forms})

    def indicator(self, code: str) -> Indicator | None:
        return self._by_code.get(code)  # type: ignore[attr-defined]

    def group(self, code: str) -> Group | None:
        return self._groups.get(code)  # type: ignore[attr-defined]

    def form(self, form_id: str) -> SignalForm:
        return self._forms[form_id]  # type: ignore[attr-defined]

    def label(self, code: str) -> str:
        """The text behind an indicator or group code; unknown codes are shown as such."""
        ind = self.indicator(code)
        if ind:
            return ind.text
        grp = self.group(code)
        if grp:
            return grp.label
        return "(code niet in de huidige signalenlijst)"

    def forms_for(self, case_forms: Iterable[str]) -> tuple[SignalForm, ...]:
        """The lists that fit a case: the general list plus one per known form.

        When none of the case's forms has its own list (form unknown, or organ
        trafficking, for which the brief has no list) every list is offered, so the
        AF can still pick what was seen.
        """
        wanted = {str(f) for f in case_forms}
        specific = [f for f in self.forms if not f.always and wanted & set(f.case_forms)]
        if not specific:
            return self.forms
        return tuple(f for f in self.forms if f.always or f in specific)

    def search(self, query: str, forms: Iterable[SignalForm] | None = None) -> list[Indicator]:
        """Indicators whose code, text or form label hold every word of `query`.

        Case- and accent-insensitive ("geisoleerd" finds "geïsoleerd").
        """
        words = _fold(query).split()
        result = []
        for form in self.forms if forms is None else forms:
            for ind in form.indicators:
                hay = _fold(f"{ind.code} {ind.text} {form.label}")
                if all(w in hay for w in words):
                    result.append(ind)
        return result


def _fold(s: str) -> str:
    decomposed = unicodedata.normalize("NFKD", s or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# --- parsing ------------------------------------------------------------------------

_TOP_KEYS = {"version", "source", "caution", "forms", "groups"}
_SOURCE_KEYS = {"title", "date", "reference", "note"}
_FORM_KEYS = {"id", "prefix", "label", "description", "case_forms", "reference", "indicators"}
_IND_KEYS = {"code", "text", "minors"}
_GROUP_KEYS = {"code", "label"}


def _check(table: Any, allowed: set[str], where: str, path: str) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ContentError(f"{where} moet een tabel zijn", path)
    unknown = set(table) - allowed
    if unknown:
        raise ContentError(f"onbekende sleutel(s) {', '.join(sorted(unknown))} in {where}", path)
    return table


def _str(table: dict[str, Any], key: str, where: str, path: str, required: bool = True) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise ContentError(f"'{key}' in {where} moet tekst zijn", path)
    if required and not value.strip():
        raise ContentError(f"'{key}' ontbreekt in {where}", path)
    return value.strip()


def parse_signalen(data: dict[str, Any], path: str) -> Signalen:
    """Validate the parsed signalen.toml; every problem names the file and the place."""
    _check(data, _TOP_KEYS, "het bestand", path)
    if not isinstance(data.get("version"), int):
        raise ContentError("'version' (een geheel getal) ontbreekt", path)
    source = (_check(data.get("source"), _SOURCE_KEYS, "[source]", path)
              if "source" in data else None)
    if not source or not str(source.get("title", "")).strip():
        raise ContentError("de tabel [source] met ten minste 'title' ontbreekt", path)
    caution = _str(data, "caution", "het bestand", path, required=False)

    raw_forms = data.get("forms")
    if not isinstance(raw_forms, list) or not raw_forms:
        raise ContentError("er zijn geen signalenlijsten ([[forms]])", path)
    seen_codes: dict[str, str] = {}
    seen_forms: set[str] = set()
    forms = []
    for n, raw in enumerate(raw_forms, 1):
        where = f"[[forms]] nr. {n}"
        _check(raw, _FORM_KEYS, where, path)
        fid = _str(raw, "id", where, path)
        where = f"[[forms]] '{fid}'"
        if fid in seen_forms:
            raise ContentError(f"de lijst-id '{fid}' komt twee keer voor", path)
        seen_forms.add(fid)
        prefix = _str(raw, "prefix", where, path)
        if not re.fullmatch(r"[A-Z]{3}", prefix) or prefix == GROUP_PREFIX:
            raise ContentError(
                f"'prefix' in {where} moet drie hoofdletters zijn (en niet {GROUP_PREFIX})", path
            )
        case_forms = raw.get("case_forms", [])
        if not isinstance(case_forms, list) or not all(isinstance(c, str) for c in case_forms):
            raise ContentError(f"'case_forms' in {where} moet een lijst met tekst zijn", path)
        bad = sorted(set(case_forms) - KNOWN_CASE_FORMS)
        if bad:
            raise ContentError(
                f"onbekende vorm(en) {', '.join(bad)} in 'case_forms' van {where}; "
                f"kies uit {', '.join(sorted(KNOWN_CASE_FORMS))}", path)
        raw_inds = raw.get("indicators")
        if not isinstance(raw_inds, list) or not raw_inds:
            raise ContentError(f"{where} heeft geen signalen", path)
        inds = []
        for m, ri in enumerate(raw_inds, 1):
            iwhere = f"signaal nr. {m} van {where}"
            _check(ri, _IND_KEYS, iwhere, path)
            code = _str(ri, "code", iwhere, path)
            _check_code(code, prefix, iwhere, path, seen_codes)
            minors = ri.get("minors", False)
            if not isinstance(minors, bool):
                raise ContentError(f"'minors' bij {code} moet true of false zijn", path)
            inds.append(Indicator(code, _str(ri, "text", f"signaal {code}", path), fid, minors))
        forms.append(SignalForm(
            id=fid, prefix=prefix, label=_str(raw, "label", where, path),
            description=_str(raw, "description", where, path, required=False),
            case_forms=tuple(case_forms),
            reference=_str(raw, "reference", where, path, required=False),
            indicators=tuple(inds),
        ))
    if not any(not f.case_forms for f in forms):
        raise ContentError("er is geen algemene lijst (een lijst met lege 'case_forms')", path)

    groups = []
    raw_groups = data.get("groups", [])
    if not isinstance(raw_groups, list):
        raise ContentError("[[groups]] moet een lijst met tabellen zijn", path)
    for n, rg in enumerate(raw_groups, 1):
        where = f"[[groups]] nr. {n}"
        _check(rg, _GROUP_KEYS, where, path)
        code = _str(rg, "code", where, path)
        _check_code(code, GROUP_PREFIX, where, path, seen_codes)
        groups.append(Group(code, _str(rg, "label", f"groep {code}", path)))

    return Signalen(
        version=data["version"],
        source={k: str(v) for k, v in source.items()},
        caution=caution,
        forms=tuple(forms),
        groups=tuple(groups),
    )


def _check_code(code: str, prefix: str, where: str, path: str, seen: dict[str, str]) -> None:
    if not CODE_RE.match(code):
        raise ContentError(f"code '{code}' in {where} heeft niet de vorm ABC-01", path)
    if not code.startswith(prefix + "-"):
        raise ContentError(f"code '{code}' in {where} begint niet met '{prefix}-'", path)
    if code in seen:
        raise ContentError(f"code '{code}' komt twee keer voor ({seen[code]} en {where})", path)
    seen[code] = where


def load_signalen(path: str | Path | None = None) -> Signalen:
    from aandacht.content import content_path, load_toml

    p = Path(path) if path else content_path("signalen.toml")
    return parse_signalen(load_toml(p), str(p))
