"""The jaaroverzicht counts: quarters, dimensions, multi-form, recipients, small cells."""

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aandacht.domain.case import Form, Minor, SourceType, Subject
from aandacht.domain.stats import (
    MASK,
    MULTI_FORM_NOTE,
    NO_ROUTE,
    NO_ROUTE_LABEL,
    OTHER,
    RECIPIENT_NOTE,
    cell,
    compute_overview,
    quarter_of,
)


def row(day, forms="onbekend", subject="slachtoffer", source="collega", minor="onbekend",
        recipients=None):
    return (day, forms, subject, source, minor,
            json.dumps(recipients) if recipients is not None else None)


def counts(dim, key):
    return next(r.quarters for r in dim.rows if r.key == key)


def test_quarters_follow_the_calendar():
    assert [quarter_of(dt.date(2025, m, 1)) for m in range(1, 13)] == [
        0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]


def test_cases_are_counted_per_quarter_and_year():
    rows = [row("2025-01-01"), row("2025-03-31"), row("2025-04-01"), row("2025-09-30"),
            row("2025-12-31"), row("2025-12-01")]
    ov = compute_overview(rows, 2025)
    assert ov.cases.quarters == (2, 1, 1, 2)
    assert ov.cases.total == 6
    assert ov.year == 2025
    assert not ov.empty


def test_rows_of_other_years_are_ignored():
    ov = compute_overview([row("2024-12-31"), row("2025-01-01"), row("2026-01-01")], 2025)
    assert ov.cases.quarters == (1, 0, 0, 0)


def test_dates_may_come_as_date_objects():
    ov = compute_overview([row(dt.date(2025, 5, 5)), row(dt.datetime(2025, 8, 1, 12))], 2025)
    assert ov.cases.quarters == (0, 1, 1, 0)


def test_each_dimension_counts_its_category():
    rows = [
        row("2025-02-01", subject="locatie", source="inwoner", minor="ja"),
        row("2025-05-01", subject="slachtoffer", source="anoniem", minor="nee"),
        row("2025-05-02", subject="slachtoffer", source="anoniem", minor="nee"),
    ]
    ov = compute_overview(rows, 2025)
    assert counts(ov.dimension("subject"), Subject.LOCATIE.value) == (1, 0, 0, 0)
    assert counts(ov.dimension("subject"), Subject.SLACHTOFFER.value) == (0, 2, 0, 0)
    assert counts(ov.dimension("source_type"), SourceType.ANONIEM.value) == (0, 2, 0, 0)
    assert counts(ov.dimension("source_type"), SourceType.INWONER.value) == (1, 0, 0, 0)
    assert counts(ov.dimension("source_type"), SourceType.COLLEGA.value) == (0, 0, 0, 0)
    assert counts(ov.dimension("minor"), Minor.JA.value) == (1, 0, 0, 0)
    assert counts(ov.dimension("minor"), Minor.NEE.value) == (0, 2, 0, 0)


def test_every_category_is_listed_even_at_zero():
    ov = compute_overview([], 2025)
    assert ov.empty
    assert [r.key for r in ov.dimension("forms").rows] == [f.value for f in Form]
    assert [r.key for r in ov.dimension("source_type").rows] == [s.value for s in SourceType]
    assert all(r.total == 0 for r in ov.dimension("forms").rows)
    assert ov.dimension("route").rows == ()


def test_a_case_with_several_forms_counts_under_each_and_says_so():
    rows = [row("2025-07-01", forms="arbeid,seksueel"), row("2025-07-02", forms="arbeid")]
    ov = compute_overview(rows, 2025)
    forms = ov.dimension("forms")
    assert counts(forms, "arbeid") == (0, 0, 2, 0)
    assert counts(forms, "seksueel") == (0, 0, 1, 0)
    assert sum(r.total for r in forms.rows) == 3 > ov.cases.total == 2
    assert forms.note == MULTI_FORM_NOTE
    assert "telt bij elke vorm mee" in forms.note


def test_recipients_count_once_per_case_and_map_to_names():
    rows = [
        # Two route walks naming SHOP twice: still one case for SHOP.
        row("2025-01-10", recipients=["shop", "oov", "shop"]),
        row("2025-04-10", recipients=["shop"]),
        row("2025-04-11", recipients=None),
        row("2025-04-12", recipients=[]),
    ]
    ov = compute_overview(rows, 2025, {"shop": "SHOP zorgcoördinatie"})
    route = ov.dimension("route")
    assert counts(route, "shop") == (1, 1, 0, 0)
    assert counts(route, "oov") == (1, 0, 0, 0)
    assert counts(route, NO_ROUTE) == (0, 2, 0, 0)
    labels = {r.key: r.label for r in route.rows}
    assert labels["shop"] == "SHOP zorgcoördinatie"
    assert labels["oov"] == "oov"  # unknown id: shown as itself
    assert labels[NO_ROUTE] == NO_ROUTE_LABEL
    assert route.rows[-1].key == NO_ROUTE  # "no route" last, the rest by count
    assert route.rows[0].key == "shop"
    assert route.note == RECIPIENT_NOTE


def test_recipients_that_are_not_a_list_of_ids_are_ignored():
    rows = [("2025-01-01", "arbeid", "slachtoffer", "collega", "nee", '{"a": 1}'),
            ("2025-01-02", "arbeid", "slachtoffer", "collega", "nee", "niet-json"),
            ("2025-01-03", "arbeid", "slachtoffer", "collega", "nee", json.dumps([1, None, ""]))]
    ov = compute_overview(rows, 2025)
    assert [r.key for r in ov.dimension("route").rows] == [NO_ROUTE]


def test_recipients_that_are_not_ids_are_counted_as_other_without_their_text():
    rows = [row("2025-01-01", recipients=["shop", "Buurvrouw Jansen belde"]),
            row("2025-01-02", recipients=["Ook geen id!"])]
    ov = compute_overview(rows, 2025)
    route = {r.key: r for r in ov.dimension("route").rows}
    assert route[OTHER].quarters == (2, 0, 0, 0)
    assert route[OTHER].label == "Overig (onbekende waarde)"
    assert "Jansen" not in repr(ov) and "geen id" not in repr(ov)


def test_unknown_category_values_go_to_other_not_to_a_free_text_row():
    rows = [row("2025-01-01", forms="Casus Zilverreiger", source="Buurvrouw Jansen")]
    ov = compute_overview(rows, 2025)
    assert counts(ov.dimension("forms"), OTHER) == (1, 0, 0, 0)
    assert counts(ov.dimension("source_type"), OTHER) == (1, 0, 0, 0)
    shown = repr(ov)
    assert "Zilverreiger" not in shown and "Jansen" not in shown


@pytest.mark.parametrize("count,suppressed,exact", [
    (0, "0", "0"), (1, MASK, "1"), (4, MASK, "4"), (5, "5", "5"), (17, "17", "17"),
])
def test_small_cell_rule(count, suppressed, exact):
    assert cell(count, True) == suppressed
    assert cell(count, False) == exact


def test_negative_counts_are_a_bug():
    with pytest.raises(ValueError):
        cell(-1, True)


def test_suppression_applies_to_year_totals_too():
    rows = [row("2025-01-01")] * 3 + [row("2025-04-01")] * 5
    ov = compute_overview(rows, 2025)
    assert ov.cases.cells(True) == [MASK, "5", "0", "0", "8"]
    assert ov.cases.cells(False) == ["3", "5", "0", "0", "8"]
    only_four = compute_overview([row("2025-01-01")] * 4, 2025)
    assert only_four.cases.cells(True) == [MASK, "0", "0", "0", MASK]
    table = only_four.table("minor", True)
    assert table[2] == ["Onbekend", MASK, "0", "0", "0", MASK]


def test_output_holds_no_labels_or_free_text():
    # Even if a caller passed whole case rows, only the first six columns are read.
    canary = "KANARIE-7741 Testpersoon Aïcha Voorbeeld"
    rows = [("2025-03-03", "seksueel", "slachtoffer", "extern", "ja", json.dumps(["shop"]),
             canary, canary)]
    ov = compute_overview(rows, 2025, {"shop": "SHOP"})
    assert "KANARIE" not in repr(ov)
    for d in ov.dimensions:
        for suppress in (True, False):
            assert all("KANARIE" not in c for line in ov.table(d.key, suppress) for c in line)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(
    st.dates(dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    st.sets(st.sampled_from(list(Form)), min_size=1),
    st.sampled_from(list(Subject)), st.sampled_from(list(SourceType)),
    st.sampled_from(list(Minor)),
    st.lists(st.sampled_from(["shop", "oov", "politie"]), max_size=3)), max_size=40))
def test_single_valued_dimensions_add_up_to_the_case_count(cases):
    rows = [(d.isoformat(), ",".join(sorted(f.value for f in fs)), s.value, src.value, m.value,
             json.dumps(rec) if rec else None) for d, fs, s, src, m, rec in cases]
    ov = compute_overview(rows, 2025)
    assert ov.cases.total == len(cases)
    for key in ("subject", "source_type", "minor"):
        dim = ov.dimension(key)
        for q in range(4):
            assert sum(r.quarters[q] for r in dim.rows) == ov.cases.quarters[q]
    # Multi-counted dimensions are at least the case count per quarter, never less.
    for key in ("forms", "route"):
        dim = ov.dimension(key)
        for q in range(4):
            assert sum(r.quarters[q] for r in dim.rows) >= ov.cases.quarters[q]
    # Suppressed cells never show 1..4.
    for d in ov.dimensions:
        for line in ov.table(d.key, True):
            assert not any(c in {"1", "2", "3", "4"} for c in line[1:])
