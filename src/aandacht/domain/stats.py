"""The jaaroverzicht: counts of new cases per quarter, by category. Pure and Qt-free.

Input rows carry only categories (see `CaseStore.stats_rows`): the opening date, the
forms, subject, source type, minor flag and the route recipients. No label and no
free text ever enters this module, so none can leave it.

Small-cell rule: for figures that leave the gemeente, a count of 1 to 4 is shown as
"<5" so that a single case in a small gemeente cannot be recognised; 0 stays 0,
because "nothing happened" identifies nobody.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from aandacht.domain.case import (
    FORM_LABELS,
    MINOR_LABELS,
    SOURCE_LABELS,
    SUBJECT_LABELS,
    Form,
    Minor,
    SourceType,
    Subject,
)
from aandacht.domain.errors import ValidationError

SMALL_CELL = 5  # counts below this (and above 0) are masked when suppressing
MASK = f"<{SMALL_CELL}"
QUARTERS = ("K1", "K2", "K3", "K4")
QUARTER_LABELS = ("K1 (jan–mrt)", "K2 (apr–jun)", "K3 (jul–sep)", "K4 (okt–dec)")
TOTAL_LABEL = "Heel jaar"
NO_ROUTE = "geen_route"
NO_ROUTE_LABEL = "Geen routekaart vastgelegd"
OTHER = "overig"
OTHER_LABEL = "Overig (onbekende waarde)"
_RECIPIENT_ID = re.compile(r"[a-z0-9_]{1,60}")  # the id form the routekaart content uses

MULTI_FORM_NOTE = (
    "Een casus met meer vormen van uitbuiting telt bij elke vorm mee. De kolommen van deze "
    "tabel tellen daarom op tot meer dan het aantal casussen."
)
RECIPIENT_NOTE = (
    "Ontvangers uit de routekaart van de casus. Een casus telt één keer per ontvanger en bij "
    "meer ontvangers bij elk van hen. De kolommen tellen daarom op tot meer dan het aantal "
    "casussen."
)
SUPPRESSION_NOTE = (
    f"Voor gebruik buiten de gemeente staat een aantal van 1 tot en met {SMALL_CELL - 1} als "
    f"'{MASK}', zodat een enkele casus niet herkenbaar is. Een 0 blijft 0."
)
PERIOD_NOTE = "Casussen worden geteld in het kwartaal waarin ze zijn geopend."


def cell(count: int, suppress: bool) -> str:
    """One count as shown: '<5' for 1..4 when suppressing, otherwise the number."""
    if count < 0:
        raise ValueError("a count is never negative")
    if suppress and 0 < count < SMALL_CELL:
        return MASK
    return str(count)


def quarter_of(day: dt.date) -> int:
    """0-based quarter index."""
    return (day.month - 1) // 3


@dataclass(frozen=True)
class CountRow:
    key: str  # category value (enum value, recipient id) — never case text
    label: str  # readable Dutch category name
    quarters: tuple[int, int, int, int]

    @property
    def total(self) -> int:
        return sum(self.quarters)

    def cells(self, suppress: bool) -> list[str]:
        """Q1..Q4 and the year total, as shown."""
        return [cell(n, suppress) for n in self.quarters] + [cell(self.total, suppress)]


@dataclass(frozen=True)
class Dimension:
    key: str  # "forms", "subject", "source_type", "minor", "route"
    title: str
    rows: tuple[CountRow, ...]
    note: str = ""  # printed under the table (multi-count explanations)


@dataclass(frozen=True)
class AnnualOverview:
    year: int
    cases: CountRow  # new cases per quarter: the reference line for every dimension
    dimensions: tuple[Dimension, ...]

    def dimension(self, key: str) -> Dimension:
        for d in self.dimensions:
            if d.key == key:
                return d
        raise KeyError(key)

    @property
    def empty(self) -> bool:
        return self.cases.total == 0

    def table(self, key: str, suppress: bool) -> list[list[str]]:
        """Rows of [label, Q1, Q2, Q3, Q4, year] as shown, for one dimension."""
        return [[r.label, *r.cells(suppress)] for r in self.dimension(key).rows]


DIMENSION_TITLES = {
    "forms": "Vorm van uitbuiting",
    "subject": "Waar gaat het signaal over",
    "source_type": "Bron van het signaal",
    "minor": "Minderjarig",
    "route": "Routekaart: ontvangers",
}


def _parse_day(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValidationError("Een casus in de kluis heeft een ongeldige openingsdatum.") from None


def _recipients(value: object) -> list[str]:
    """Recipient ids from the JSON list the store returns (or an already parsed list)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    if not isinstance(value, list):
        return []
    out: list[str] = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            continue
        # Only ids go into the figures; anything else (free text would be a bug upstream)
        # is counted as "other" without showing it.
        key = item if _RECIPIENT_ID.fullmatch(item) else OTHER
        if key not in out:
            out.append(key)
    return out


def _enum_key(enum: type[StrEnum], value: object) -> str:
    try:
        return enum(str(value).strip()).value
    except ValueError:
        return OTHER


def _fixed_rows(enum: type[StrEnum], labels: Mapping, counts: dict[str, list[int]]
                ) -> tuple[CountRow, ...]:
    # Every category is listed, even at 0, so tables of different years line up.
    rows = [CountRow(m.value, labels[m], tuple(counts.get(m.value, [0] * 4))) for m in enum]
    if OTHER in counts:
        rows.append(CountRow(OTHER, OTHER_LABEL, tuple(counts[OTHER])))
    return tuple(rows)


def compute_overview(rows: Iterable[Sequence], year: int,
                     recipient_names: Mapping[str, str] | None = None) -> AnnualOverview:
    """Count new cases of `year` per quarter by form, subject, source, minor and recipient.

    `rows` are (opened_on, forms csv, subject, source_type, minor, recipients JSON list or
    None). Rows opened outside `year` are ignored. `recipient_names` maps recipient ids to
    readable names (from the routekaart content); an unknown id is shown as itself.
    """
    names = dict(recipient_names or {})
    total = [0] * 4
    forms: dict[str, list[int]] = {}
    subjects: dict[str, list[int]] = {}
    sources: dict[str, list[int]] = {}
    minors: dict[str, list[int]] = {}
    routes: dict[str, list[int]] = {}

    def bump(table: dict[str, list[int]], key: str, q: int) -> None:
        table.setdefault(key, [0] * 4)[q] += 1

    for row in rows:
        opened_on, forms_csv, subject, source_type, minor = row[:5]
        recipients_raw = row[5] if len(row) > 5 else None
        day = _parse_day(opened_on)
        if day.year != year:
            continue
        q = quarter_of(day)
        total[q] += 1
        case_forms = {_enum_key(Form, f) for f in str(forms_csv or "").split(",") if f.strip()}
        for f in case_forms or {Form.ONBEKEND.value}:
            bump(forms, f, q)
        bump(subjects, _enum_key(Subject, subject), q)
        bump(sources, _enum_key(SourceType, source_type), q)
        bump(minors, _enum_key(Minor, minor), q)
        recipients = _recipients(recipients_raw)
        for rid in recipients or [NO_ROUTE]:
            bump(routes, rid, q)

    route_rows = [CountRow(rid, OTHER_LABEL if rid == OTHER else (names.get(rid) or rid), tuple(c))
                  for rid, c in routes.items() if rid != NO_ROUTE]
    route_rows.sort(key=lambda r: (-r.total, r.label.casefold()))
    if NO_ROUTE in routes:
        route_rows.append(CountRow(NO_ROUTE, NO_ROUTE_LABEL, tuple(routes[NO_ROUTE])))

    dimensions = (
        Dimension("forms", DIMENSION_TITLES["forms"],
                  _fixed_rows(Form, FORM_LABELS, forms), MULTI_FORM_NOTE),
        Dimension("subject", DIMENSION_TITLES["subject"],
                  _fixed_rows(Subject, SUBJECT_LABELS, subjects)),
        Dimension("source_type", DIMENSION_TITLES["source_type"],
                  _fixed_rows(SourceType, SOURCE_LABELS, sources)),
        Dimension("minor", DIMENSION_TITLES["minor"],
                  _fixed_rows(Minor, MINOR_LABELS, minors)),
        Dimension("route", DIMENSION_TITLES["route"], tuple(route_rows), RECIPIENT_NOTE),
    )
    return AnnualOverview(year=year, cases=CountRow("cases", "Nieuwe casussen", tuple(total)),
                          dimensions=dimensions)
