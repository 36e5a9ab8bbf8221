"""Het bewijs (6): hostile input never gets further than a Dutch error.

Three families, each with hypothesis and a fixed seed corpus (tests/fixtures/fuzz/):

1. Every content file in resources/content, mutated (truncated, bits flipped, lines cut or
   doubled, keys deleted, values of the wrong type, huge or control-laden strings,
   dangling or duplicated ids, renamed keys, other encodings) and loaded through its real
   loader/parser: the result is a valid object or a ContentError whose Dutch message names
   the file. Never another exception. The shipped files are byte for byte unchanged.
2. The sociale-kaart import with hostile bytes: a Dutch ContentError and nothing applied,
   or a valid plan that applies exactly what it showed.
3. Every text field the services accept (case label, department, details, entries,
   corrections, follow-ups, ground motivation and details, meldcode values, sheet
   inputs) with arbitrary Unicode: RTL, emoji, NUL, lone surrogates, SQL and FTS syntax,
   up to and over 1,000,000 characters. Stored and read back (modulo the documented
   cleaning: lone surrogates become U+FFFD, NUL is dropped, labels and follow-ups are
   stripped, ground texts lose control characters) or a Dutch ValidationError.

Vault files themselves (truncated, bit-flipped, wrong format) are covered in tests/store.
Default runs keep max_examples <= 50 per test; `-m slow` runs 500. Figures: run with -s.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import math
import re
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from aandacht.content import content_path, resource_root
from aandacht.domain.case import (
    DETAIL_FIELDS,
    MAX_LABEL,
    MAX_TEXT,
    Case,
    Entry,
    EntryKind,
    FollowUp,
    clean_text,
)
from aandacht.domain.errors import ContentError, ValidationError
from aandacht.domain.handover import MAX_INPUT, MIN_MOTIVATION, load_form, parse_form
from aandacht.domain.meldcode import load_meldcode, parse_meldcode
from aandacht.domain.retention import Policy
from aandacht.domain.routekaart import load_routekaart, parse_routekaart
from aandacht.domain.signals import load_signalen, parse_signalen
from aandacht.domain.sociale_kaart import (
    MAX_IMPORT_BYTES,
    load_sociale_kaart,
    parse_sociale_kaart,
)
from aandacht.services.sociale_kaart import SETTINGS_KEY as KAART_KEY

FUZZ_FIXTURES = Path(__file__).parent / "fixtures" / "fuzz"
FAST, SLOW = 50, 500
TODAY = dt.date.today()
STATS: Counter = Counter()  # examples run per test, printed at the end of the module

_HYPO = {
    "deadline": None, "derandomize": False, "print_blob": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large,
                              HealthCheck.large_base_example, HealthCheck.filter_too_much,
                              # one vault per test function, shared by its examples
                              HealthCheck.function_scoped_fixture],
}


def fuzz(n: int):
    return settings(max_examples=n, **_HYPO)


# --- Dutch messages -----------------------------------------------------------------------------

_DUTCH = {
    "de", "het", "een", "is", "niet", "geen", "moet", "moeten", "ontbreekt", "onbekend",
    "onbekende", "ongeldig", "ongeldige", "bestand", "tekst", "in", "van", "zijn", "komt",
    "dubbel", "heeft", "staat", "bij", "of", "naar", "voor", "met", "zonder", "mag", "kan",
    "er", "wordt", "lijst", "tabel", "sleutel", "te", "lang", "vul", "kies", "geef", "dit",
    "deze", "op", "twee", "keer", "nooit", "alleen", "maximaal", "minimaal", "leeg", "lege",
    "wel", "naam", "datum", "veld", "vraag", "antwoord", "uitkomst", "groot", "bevat",
}
_FOREIGN = ("traceback", "keyerror", "typeerror", "attributeerror", "valueerror",
            "indexerror", "nonetype", "object has no attribute", "not subscriptable",
            "unhashable", "codec can't")


def assert_dutch(err: Exception) -> str:
    text = str(err).strip()
    assert text, f"empty message from {type(err).__name__}"
    words = {w.strip(".,;:()'\"[]«»‘’“”").lower() for w in text.split()}
    assert words & _DUTCH, f"does not read as Dutch: {text[:300]!r}"
    low = text.lower()
    for marker in _FOREIGN:
        assert marker not in low, f"Python internals leak into the message: {text[:300]!r}"
    return text


def assert_content_error(err: ContentError, name: str) -> None:
    """A ContentError names the file (ContentError puts `path` first) and reads as Dutch."""
    assert err.path, f"ContentError without a file: {err}"
    assert name in str(err.path) and str(err).startswith(f"{err.path}: "), (name, str(err))
    assert_dutch(err)


# --- content files: the real loaders and parsers ---------------------------------------------------

KAART_IDS = load_sociale_kaart().ids
CONTENT_FILES = ("meldcode.toml", "signalen.toml", "routekaart.toml", "sociale_kaart.toml",
                 "handover/shop.toml", "handover/oov.toml", "retention.toml")
LOADERS: dict[str, Callable[[Path], Any]] = {
    "meldcode.toml": load_meldcode,
    "signalen.toml": load_signalen,
    "routekaart.toml": lambda p: load_routekaart(p, contact_ids=KAART_IDS),
    "sociale_kaart.toml": load_sociale_kaart,
    "handover/shop.toml": load_form,
    "handover/oov.toml": load_form,
    "retention.toml": Policy.defaults,
}
PARSERS: dict[str, Callable[[dict, str], Any]] = {
    "meldcode.toml": parse_meldcode,
    "signalen.toml": parse_signalen,
    "routekaart.toml": lambda d, p: parse_routekaart(d, p, KAART_IDS),
    "sociale_kaart.toml": parse_sociale_kaart,
    "handover/shop.toml": parse_form,
    "handover/oov.toml": parse_form,
    "retention.toml": Policy.parse,
}
ORIGINAL_BYTES = {name: content_path(name).read_bytes() for name in CONTENT_FILES}


def _tomllib_loads(raw: bytes) -> dict:
    import tomllib

    return tomllib.loads(raw.decode("utf-8"))


ORIGINAL_DATA = {name: _tomllib_loads(raw) for name, raw in ORIGINAL_BYTES.items()}


def _hashes() -> dict[str, str]:
    root = resource_root() / "content"
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


HASHES_AT_IMPORT = _hashes()


@pytest.fixture(scope="module", autouse=True)
def _resources_unchanged_and_figures():
    t0 = time.perf_counter()
    yield
    assert _hashes() == HASHES_AT_IMPORT, "a content file in resources/ changed during fuzzing"
    total = sum(v for k, v in STATS.items() if ":" in k and not k.startswith("mutatie:"))
    print(f"\n[fuzz] examples={total} " + " ".join(f"{k}={v}" for k, v in sorted(STATS.items()))
          + f" total_s={time.perf_counter() - t0:.1f}")


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


# Crashes the fuzzer found in the loaders (wrongly typed values in retention.toml and
# routekaart.toml) are fixed; test_wrongly_typed_values_are_content_errors pins them.


def check_loader(name: str, path: Path) -> str:
    """Load `path` as content file `name`: a valid object, or a Dutch ContentError naming it."""
    try:
        LOADERS[name](path)
    except ContentError as err:
        assert_content_error(err, path.name)
        return "fout"
    return "geldig"


def check_parser(name: str, data: dict) -> str:
    where = f"gemuteerd/{name}"
    try:
        PARSERS[name](data, where)
    except ContentError as err:
        assert_content_error(err, where)
        return "fout"
    return "geldig"


# --- mutations of bytes ---------------------------------------------------------------------------

def _flip(raw: bytes, positions: list[int], bits: list[int]) -> bytes:
    data = bytearray(raw)
    for pos, bit in zip(positions, bits, strict=False):
        data[pos % len(data)] ^= 1 << bit
    return bytes(data)


def _lines(raw: bytes, index: int, how: str) -> bytes:
    lines = raw.split(b"\n")
    i = index % len(lines)
    if how == "delete":
        del lines[i]
    else:
        lines.insert(i, lines[i])
    return b"\n".join(lines)


@st.composite
def byte_mutation(draw, raw: bytes) -> bytes:
    kind = draw(st.sampled_from(("truncate", "flip", "splice", "line", "encoding", "garbage")))
    if kind == "truncate":
        return raw[:draw(st.integers(0, len(raw)))]
    if kind == "flip":
        n = draw(st.integers(1, 8))
        return _flip(raw, draw(st.lists(st.integers(0, len(raw) - 1), min_size=n, max_size=n)),
                     draw(st.lists(st.integers(0, 7), min_size=n, max_size=n)))
    if kind == "splice":
        at = draw(st.integers(0, len(raw)))
        return raw[:at] + draw(st.binary(min_size=1, max_size=64)) + raw[at:]
    if kind == "line":
        return _lines(raw, draw(st.integers(0, 10_000)), draw(st.sampled_from(("delete", "dup"))))
    if kind == "encoding":
        enc = draw(st.sampled_from(("utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252")))
        return raw.decode("utf-8").encode(enc, "replace")
    return draw(st.binary(max_size=512))


# --- mutations of the parsed structure -------------------------------------------------------------

WRONG_VALUES = (0, -1, 9_223_372_036_854_775_807, 3.5, math.nan, math.inf, True, False, "",
                "x", " ", [], [1, "a"], [{}], {}, {"onbekend": 1}, dt.date(2024, 2, 29),
                dt.datetime(2024, 1, 1, 12, 0), dt.time(8, 30))
HOSTILE_STRINGS = ("\u202eGNAL\u202c", "🦩👩🏽‍⚕️" * 3, "a\x00b", "\x1b[31mrood", "\r\n\t",
                   "'; DROP TABLE cases; --", '"*NEAR( OR -', "Ｉｄ", "ｉ̇d", "\ufeffid",
                   "{onbekende_instelling}", "{", "%s%n", "A" * 100_000,
                   "é" * (MAX_IMPORT_BYTES + 10))


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, prefix + (i,))
    return out


def _get(node: Any, path: tuple) -> Any:
    for key in path:
        node = node[key]
    return node


def _set(root: Any, path: tuple, value: Any) -> None:
    _get(root, path[:-1])[path[-1]] = value


_IDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,60}$")


def _ids(data: Any) -> set[str]:
    """Every identifier a file defines: values of `id` keys and keys of id-keyed tables."""
    found: set[str] = set()
    for path in _paths(data):
        value = _get(data, path)
        if path and path[-1] == "id" and isinstance(value, str):
            found.add(value)
        if isinstance(value, dict) and path and isinstance(path[-1], str):
            found |= {k for k in value if _IDENT.match(k)}
    return found


@st.composite
def structural_mutation(draw, original: dict) -> tuple[str, dict]:
    data = copy.deepcopy(original)
    paths = [p for p in _paths(data) if p]
    kind = draw(st.sampled_from(("delete", "wrong_type", "hostile_string", "dangling",
                                 "duplicate", "empty", "rename_key", "several")))
    if kind == "several":
        for _ in range(draw(st.integers(2, 5))):
            _, data = draw(structural_mutation(data))
        return kind, data
    if not paths:  # an earlier mutation emptied the document: nothing left to change
        return kind, data
    if kind == "delete":
        path = draw(st.sampled_from(paths))
        parent = _get(data, path[:-1])
        del parent[path[-1]]
    elif kind == "wrong_type":
        _set(data, draw(st.sampled_from(paths)), copy.deepcopy(draw(st.sampled_from(WRONG_VALUES))))
    elif kind == "hostile_string":
        strings = [p for p in paths if isinstance(_get(data, p), str)]
        if strings:
            _set(data, draw(st.sampled_from(strings)), draw(st.sampled_from(HOSTILE_STRINGS)))
    elif kind == "dangling":
        ids = _ids(data)
        refs = [p for p in paths if isinstance(_get(data, p), str) and _get(data, p) in ids]
        if refs:
            _set(data, draw(st.sampled_from(refs)), "bestaat_niet_" + draw(
                st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8)))
    elif kind == "duplicate":
        lists = [p for p in paths if isinstance(_get(data, p), list) and _get(data, p)]
        if lists:
            target = _get(data, draw(st.sampled_from(lists)))
            target.append(copy.deepcopy(target[draw(st.integers(0, len(target) - 1))]))
    elif kind == "empty":
        containers = [p for p in paths if isinstance(_get(data, p), list | dict)]
        if containers:
            path = draw(st.sampled_from(containers))
            _set(data, path, type(_get(data, path))())
    elif kind == "rename_key":
        keyed = [p for p in paths if isinstance(p[-1], str)]
        if keyed:
            path = draw(st.sampled_from(keyed))
            parent = _get(data, path[:-1])
            parent[path[-1] + draw(st.sampled_from(("_x", "S", " ", "\u00a0")))] = \
                parent.pop(path[-1])
    return kind, data


# --- content tests -----------------------------------------------------------------------------------


def test_every_content_file_has_a_loader_and_parser():
    shipped = {str(p.relative_to(resource_root() / "content"))
               for p in (resource_root() / "content").rglob("*.toml")}
    assert shipped == set(CONTENT_FILES), "a new content file needs its place in this fuzz suite"
    for name in CONTENT_FILES:
        LOADERS[name](content_path(name))  # the originals themselves are valid
        PARSERS[name](copy.deepcopy(ORIGINAL_DATA[name]), name)


def _bytes_case(name: str, fuzz_dir: Path, data) -> None:
    raw = data.draw(byte_mutation(ORIGINAL_BYTES[name]))
    target = fuzz_dir / Path(name).name
    target.write_bytes(raw)
    STATS[f"inhoud_bytes:{check_loader(name, target)}"] += 1


def _structure_case(name: str, data) -> None:
    kind, mutated = data.draw(structural_mutation(ORIGINAL_DATA[name]))
    result = check_parser(name, mutated)
    STATS[f"inhoud_structuur:{result}"] += 1
    STATS[f"mutatie:{kind}"] += 1


@pytest.mark.parametrize("name", CONTENT_FILES)
@fuzz(FAST)
@given(data=st.data())
def test_content_file_bytes_mutated(name, fuzz_dir, data):
    _bytes_case(name, fuzz_dir, data)


@pytest.mark.parametrize("name", CONTENT_FILES)
@fuzz(FAST)
@given(data=st.data())
def test_content_file_structure_mutated(name, data):
    _structure_case(name, data)


@pytest.mark.slow
@pytest.mark.parametrize("name", CONTENT_FILES)
@fuzz(SLOW)
@given(data=st.data())
def test_content_file_bytes_mutated_slow(name, fuzz_dir, data):
    _bytes_case(name, fuzz_dir, data)


@pytest.mark.slow
@pytest.mark.parametrize("name", CONTENT_FILES)
@fuzz(SLOW)
@given(data=st.data())
def test_content_file_structure_mutated_slow(name, data):
    _structure_case(name, data)


# --- the seed corpus -----------------------------------------------------------------------------------

CORPUS_TARGETS = {
    "meldcode": "meldcode.toml", "signalen": "signalen.toml", "routekaart": "routekaart.toml",
    "sociale_kaart": "sociale_kaart.toml", "shop": "handover/shop.toml",
    "oov": "handover/oov.toml", "retention": "retention.toml",
}


def _corpus(prefixes) -> list[Path]:
    return sorted(p for p in FUZZ_FIXTURES.iterdir()
                  if p.is_file() and p.name.split("__")[0] in prefixes)


def test_seed_corpus_is_there():
    names = {p.name.split("__")[0] for p in FUZZ_FIXTURES.iterdir() if "__" in p.name}
    assert names == set(CORPUS_TARGETS) | {"import"}
    assert all(p.stat().st_size <= 16 * 1024 for p in FUZZ_FIXTURES.iterdir()), "keep it small"


@pytest.mark.parametrize("path", _corpus(CORPUS_TARGETS), ids=lambda p: p.name)
def test_seed_corpus_content_is_refused_in_dutch(path):
    name = CORPUS_TARGETS[path.name.split("__")[0]]
    with pytest.raises(ContentError) as err:
        LOADERS[name](path)
    assert_content_error(err.value, path.name)


def _routekaart_with(old: str, new: str) -> bytes:
    text = ORIGINAL_BYTES["routekaart.toml"].decode("utf-8")
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


RETENTION_HEAD = b'version = 1\n'
RETENTION_SOURCE = b'[source]\ntitle = "Bewaartermijnen"\n'
WRONG_TYPE_CASES = {
    "retention_reason_is_a_number": ("retention.toml",
                                     RETENTION_HEAD + b"reason = 5\n" + RETENTION_SOURCE),
    "retention_reason_item_is_a_number": ("retention.toml",
                                          RETENTION_HEAD + b"reason = [5]\n" + RETENTION_SOURCE),
    "retention_reason_item_is_a_list": ("retention.toml", RETENTION_HEAD
                                        + b'reason = [[1, "a"]]\n' + RETENTION_SOURCE),
    "retention_id_is_a_list": ("retention.toml", RETENTION_HEAD + RETENTION_SOURCE
                               + b'[[reason]]\nid = ["a"]\nlabel = "Afgesloten"\ndays = 365\n'),
    "routekaart_personal_data_is_a_list": ("routekaart.toml", _routekaart_with(
        'personal_data = "toegestaan"', 'personal_data = ["toegestaan"]')),
}


@pytest.mark.parametrize("case", sorted(WRONG_TYPE_CASES))
def test_wrongly_typed_values_are_content_errors(case, tmp_path):
    name, raw = WRONG_TYPE_CASES[case]
    path = tmp_path / Path(name).name
    path.write_bytes(raw)
    with pytest.raises(ContentError) as err:
        LOADERS[name](path)
    assert_content_error(err.value, path.name)


# --- the sociale-kaart import ---------------------------------------------------------------------------


def _make_services(folder: Path):
    from aandacht.services import build_services
    from aandacht.store import create_vault
    from aandacht.store.kdf import FAST_PARAMS

    vault = create_vault(folder / "kluis.aandacht", "fuzz wachtwoordzin lang genoeg", FAST_PARAMS)
    services = build_services(vault)
    for key, value in (("gemeente_naam", "Voorbeeldstad"), ("af_naam", "Testpersoon Fuzz"),
                       ("af_functie", "Aandachtsfunctionaris"), ("af_contact", "06-00000000")):
        vault.settings.set(key, value)
    return services


@pytest.fixture
def fuzz_services(tmp_path):
    """A fresh vault per test function (hypothesis reuses it for all of that test's
    examples, each on a case of its own): a long run does not slow the next test down."""
    services = _make_services(tmp_path)
    yield services
    services.vault.close()


def _export_doc(services) -> dict:
    return json.loads(services.sociale_kaart.export_bytes(TODAY))


@st.composite
def import_bytes(draw, base: bytes, doc: dict) -> bytes:
    kind = draw(st.sampled_from(("bytes", "structure", "json_values", "raw")))
    if kind == "bytes":
        return draw(byte_mutation(base))
    if kind == "structure":
        _, mutated = draw(structural_mutation(doc))
        return json.dumps(mutated, ensure_ascii=draw(st.booleans()), default=str).encode()
    if kind == "json_values":
        mutated = copy.deepcopy(doc)
        contact = mutated["contacts"][draw(st.integers(0, len(mutated["contacts"]) - 1))]
        field = draw(st.sampled_from(sorted(contact)))
        contact[field] = draw(st.one_of(st.sampled_from(HOSTILE_STRINGS), st.text(max_size=50),
                                        st.integers(), st.none(), st.booleans()))
        return json.dumps(mutated).encode()
    return draw(st.binary(max_size=2048))


def _import_case(services, fuzz_dir: Path, raw: bytes) -> str:
    kaart = services.sociale_kaart
    before = services.settings.get(KAART_KEY)
    contacts_before = kaart.contacts()
    target = fuzz_dir / "sociale_kaart_import.json"
    target.write_bytes(raw)
    try:
        plan = kaart.preview_import(target)
    except ContentError as err:
        assert_content_error(err, target.name)
        assert services.settings.get(KAART_KEY) == before, "a refused import changed the kaart"
        assert kaart.contacts() == contacts_before
        return "geweigerd"
    assert services.settings.get(KAART_KEY) == before, "the preview itself changed the kaart"
    kaart.apply_import(plan)
    assert sorted(kaart.contacts(), key=lambda c: c.id) == sorted(plan.contacts,
                                                                   key=lambda c: c.id)
    services.settings.set(KAART_KEY, before)  # the next example starts from the same kaart
    return "toegepast"


@fuzz(FAST)
@given(data=st.data())
def test_sociale_kaart_import_hostile_bytes(fuzz_services, fuzz_dir, data):
    base = fuzz_services.sociale_kaart.export_bytes(TODAY)
    raw = data.draw(import_bytes(base, json.loads(base)))
    STATS[f"import:{_import_case(fuzz_services, fuzz_dir, raw)}"] += 1


@pytest.mark.slow
@fuzz(SLOW)
@given(data=st.data())
def test_sociale_kaart_import_hostile_bytes_slow(fuzz_services, fuzz_dir, data):
    base = fuzz_services.sociale_kaart.export_bytes(TODAY)
    raw = data.draw(import_bytes(base, json.loads(base)))
    STATS[f"import:{_import_case(fuzz_services, fuzz_dir, raw)}"] += 1


@pytest.mark.parametrize("path", _corpus({"import"}), ids=lambda p: p.name)
def test_seed_corpus_import_is_refused_and_nothing_applied(fuzz_services, path):
    kaart = fuzz_services.sociale_kaart
    before = fuzz_services.settings.get(KAART_KEY)
    with pytest.raises(ContentError) as err:
        kaart.preview_import(path)
    assert_content_error(err.value, path.name)
    assert fuzz_services.settings.get(KAART_KEY) == before


def test_import_over_the_size_limit_is_refused_before_reading(fuzz_services, fuzz_dir):
    big = fuzz_dir / "te_groot.json"
    with open(big, "wb") as fh:
        fh.truncate(MAX_IMPORT_BYTES + 1)  # sparse: no megabyte written
    with pytest.raises(ContentError) as err:
        fuzz_services.sociale_kaart.preview_import(big)
    assert "te groot" in str(err.value)
    assert_content_error(err.value, big.name)


def test_valid_export_round_trips(fuzz_services, fuzz_dir):
    """Control: the fuzzer's base document is accepted, so refusals are about the mutation."""
    raw = fuzz_services.sociale_kaart.export_bytes(TODAY)
    assert _import_case(fuzz_services, fuzz_dir, raw) == "toegepast"


# --- text fields of the services -------------------------------------------------------------------------

SPECIAL_PIECES = ("\u202e", "\u202d", "\u200f", "مرحبا", "שלום", "🦩", "👩🏽‍⚕️", "\x00", "\ud800",
                  "\udfff", "\ud83e", "\ufeff", "\u200b", "e\u0301", "Ĳ", "ß", "\r\n", "\t",
                  "\x07", "\x1b", "'", '"', "\\", "%", "_", "*", "NEAR(", "); DROP TABLE x;--",
                  "\U0010ffff", "\ufffe", " ")
ANY_CHAR = st.characters(exclude_categories=())  # includes lone surrogates (Cs)


def _big(piece: str, n: int) -> str:
    return (piece * (n // len(piece) + 1))[:n]


SMALL_TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=300),
    st.lists(st.sampled_from(SPECIAL_PIECES), max_size=40).map("".join),
    st.builds(lambda a, b: a + b, st.text(ANY_CHAR, max_size=20),
              st.lists(st.sampled_from(SPECIAL_PIECES), max_size=10).map("".join)),
)
BIG_TEXT = st.builds(_big, st.sampled_from(("a", "🦩", "\u202eé", "x\x00", "ab\ud800")),
                     st.sampled_from((MAX_TEXT - 1, MAX_TEXT, MAX_TEXT + 1, 200_000)))
TEXT = st.one_of(SMALL_TEXT, BIG_TEXT)  # about one example in four is 0.2-1 million characters
# The long runs store the big texts less often (one in ten): each costs a full-text index
# of up to 4 MB, and the boundary itself has a fixed test of its own.
TEXT_SLOW = st.integers(0, 9).flatmap(lambda i: BIG_TEXT if i == 0 else SMALL_TEXT)


def _clean(text: str) -> str:
    """The documented cleaning (domain.case.clean_text)."""
    return clean_text(text)


def _new_case(services, label: str | None = None) -> int:
    STATS["casussen"] += 1
    label = label or f"Casus Fuzz {STATS['casussen']}"
    return services.cases.create_case(Case(None, label, TODAY)).id


CASE_TARGETS = ("label", "source_department") + tuple(f.key for f in DETAIL_FIELDS)


def _case_text(services, target: str, text: str) -> str:
    cs = services.cases
    if target == "label":
        try:
            case = cs.create_case(Case(None, text, TODAY))
        except ValidationError as err:
            assert_dutch(err)
            return "geweigerd"
        expected = _clean(text).strip()
        assert 0 < len(expected) <= MAX_LABEL
        assert cs.get_case(case.id).label == expected
        return "opgeslagen"
    case_id = _new_case(services)
    case = cs.get_case(case_id)
    if target == "source_department":
        case.source_department = text
    else:
        case.details = {target: text}
    try:
        cs.update_case(case)
    except ValidationError as err:
        assert_dutch(err)
        assert len(_clean(text)) > MAX_TEXT, f"refused a text of {len(_clean(text))} characters"
        return "geweigerd"
    stored = cs.get_case(case_id)
    got = stored.source_department if target == "source_department" else stored.detail(target)
    assert got == _clean(text)
    return "opgeslagen"


def _entry_text(services, attr: str, text: str) -> str:
    cs = services.cases
    case_id = _new_case(services)
    values = {"title": "", "facts": "", "interpretation": "", "body": ""}
    values[attr] = text
    try:
        entry = cs.add_entry(Entry(None, case_id, EntryKind.NOTITIE, TODAY, **values))
    except ValidationError as err:
        assert_dutch(err)
        assert len(_clean(text)) > MAX_TEXT or not _clean(text).strip()
        return "geweigerd"
    [back] = [e for e in cs.timeline(case_id) if e.id == entry.id]
    assert getattr(back, attr) == _clean(text)
    # A correction keeps the fuzzed text in the history and stores the new one.
    fixed = cs.correct_entry(entry.id, **{attr: "Gecorrigeerd."})
    [again] = [e for e in cs.timeline(case_id) if e.id == fixed.id]
    assert getattr(again, attr) == "Gecorrigeerd."
    assert getattr(again.history[-1], attr) == _clean(text)
    return "opgeslagen"


def _followup_text(services, text: str) -> str:
    cs = services.cases
    case_id = _new_case(services)
    try:
        fu = cs.add_followup(FollowUp(None, case_id, TODAY, text))
    except ValidationError as err:
        assert_dutch(err)
        assert len(_clean(text)) > MAX_TEXT or not _clean(text).strip()
        return "geweigerd"
    [back] = [f for f in cs.followups(case_id) if f.id == fu.id]
    assert back.what == _clean(text).strip()
    try:
        entry = cs.complete_followup(fu.id, note=text)
    except ValidationError as err:
        assert_dutch(err)
        return "geweigerd"
    [done] = [e for e in cs.timeline(case_id) if e.id == entry.id]
    assert done.body == _clean(text)
    return "opgeslagen"


_GROUND_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
VITAAL = {"incapacity": "Verward na een incident.", "urgent_need": "Opvang vandaag.",
          "no_lighter_route": "Anoniem advies helpt vandaag niet."}


def _ground_clean(text: str) -> str:
    """Ground texts lose control characters and surrounding space (domain.handover._clean);
    lone surrogates become U+FFFD as everywhere else."""
    return _GROUND_CONTROL.sub("", clean_text(text)).strip()


def _ground_text(services, target: str, text: str) -> str:
    ho = services.handover
    case_id = _new_case(services)
    motivation, decided_by, details = "Motivering van de fuzz-test.", "Testpersoon Fuzz", dict(
        VITAAL)
    if target == "motivation":
        motivation = text
    elif target == "decided_by":
        decided_by = text
    else:
        details[target] = text
    before = len(ho.grounds(case_id))
    entries_before = len(services.cases.timeline(case_id))
    try:
        g = ho.record_ground(case_id, "shop", "vitaal_belang", motivation, decided_by, details)
    except ValidationError as err:
        assert_dutch(err)
        assert len(ho.grounds(case_id)) == before, "a refused ground was half stored"
        assert len(services.cases.timeline(case_id)) == entries_before
        return "geweigerd"
    [back] = [x for x in ho.grounds(case_id) if x.id == g.id]
    if target == "motivation":
        assert back.motivation == _ground_clean(text)
        assert len(back.motivation) >= MIN_MOTIVATION
    elif target == "decided_by":
        assert back.decided_by == _ground_clean(text)
    else:
        assert back.details[target] == _ground_clean(text)
        assert len(back.details[target]) <= MAX_INPUT
    return "opgeslagen"


MELDCODE_TARGETS = ("waarnemer", "tijd", "contra", "waarnemingen.tekst", "waarnemingen.derde",
                    "kindcheck")


def _meldcode_text(services, target: str, text: str) -> str:
    mc = services.meldcode
    case_id = _new_case(services)
    observation = {"soort": "feit", "tekst": "Gezien.", "bron": "derde", "derde": "Wijkagent"}
    values = {"rol": "eigen", "datum": TODAY.isoformat(), "waarnemer": "Consulent",
              "signalen": ["ALG-03"], "waarnemingen": [observation], "minderjarig": "nee",
              "kinderen": "ja", "kindcheck": "Twee kinderen, 4 en 7 jaar."}
    if target.startswith("waarnemingen."):
        observation[target.split(".")[1]] = text
    else:
        values[target] = text
    try:
        state = mc.save_draft(case_id, "signalen", values)
    except ValidationError as err:
        assert_dutch(err)
        assert len(_clean(text)) > MAX_TEXT, f"draft refused: {err}"
        return "geweigerd"
    draft = mc.start_values(case_id, "signalen", state)
    got = (draft["waarnemingen"][0][target.split(".")[1]] if target.startswith("waarnemingen.")
           else draft[target])
    assert got == _clean(text)
    try:
        mc.complete_step(case_id, "signalen", values)
    except ValidationError as err:  # e.g. a required field left blank
        assert_dutch(err)
        return "concept"
    recorded = mc.state(case_id).step("signalen").recorded
    got = (recorded["waarnemingen"][0][target.split(".")[1]] if target.startswith("waarnemingen.")
           else recorded[target])
    assert got == _clean(text)
    return "opgeslagen"


def _sheet_input(services, text: str) -> str:
    ho = services.handover
    case_id = _new_case(services)
    inputs = ho.default_inputs(case_id, "shop")
    inputs["signalen"] = text
    try:
        prepared = ho.prepare(case_id, "shop", ho.default_selection("shop"), inputs)
    except ValidationError as err:
        assert_dutch(err)
        return "geweigerd"
    assert prepared.pdf.startswith(b"%PDF")
    return "blad"


def _run(kind: str, fn, *args) -> None:
    STATS[f"{kind}:{fn(*args)}"] += 1


@fuzz(FAST)
@given(target=st.sampled_from(CASE_TARGETS), text=TEXT)
@example(target="label", text="Casus \u202eZilverreiger\u202c 🦩")
@example(target="persoon.gezondheid", text="x\x00y\ud800z")
@example(target="persoon.naam", text=_big("🦩", MAX_TEXT))
@example(target="situatie.behoeften", text=_big("a", MAX_TEXT + 1))
def test_case_text_fields(fuzz_services, target, text):
    _run("casus", _case_text, fuzz_services, target, text)


@fuzz(FAST)
@given(attr=st.sampled_from(("title", "facts", "interpretation", "body")), text=TEXT)
@example(attr="body", text="a\ud800\x00" * 10)
@example(attr="facts", text=_big("é", MAX_TEXT + 1))
def test_entry_text_fields(fuzz_services, attr, text):
    _run("tijdlijn", _entry_text, fuzz_services, attr, text)


@fuzz(FAST)
@given(text=TEXT)
@example(text="  \x00 ")
@example(text="Bellen \ud83e terug")
def test_followup_texts(fuzz_services, text):
    _run("followup", _followup_text, fuzz_services, text)


@fuzz(FAST)
@given(target=st.sampled_from(("motivation", "decided_by") + tuple(VITAAL)),
       text=TEXT)
@example(target="motivation", text="Vitaal belang \u202edringend\u202c 🦩, motivering.")
@example(target="motivation", text=_big("a", MAX_TEXT))
@example(target="incapacity", text=_big("b", MAX_INPUT + 1))
def test_ground_texts(fuzz_services, target, text):
    _run("grondslag", _ground_text, fuzz_services, target, text)


@fuzz(FAST)
@given(target=st.sampled_from(MELDCODE_TARGETS), text=TEXT)
@example(target="contra", text="\x00\ud800" + "🦩" * 10)
def test_meldcode_values(fuzz_services, target, text):
    _run("meldcode", _meldcode_text, fuzz_services, target, text)


@fuzz(FAST)
@given(text=TEXT)
@example(text=_big("x", MAX_INPUT + 1))
@example(text="\ud800\u202e🦩\x00")
def test_handover_sheet_inputs(fuzz_services, text):
    _run("blad", _sheet_input, fuzz_services, text)


@pytest.mark.slow
@fuzz(SLOW)
@given(target=st.sampled_from(CASE_TARGETS), text=TEXT_SLOW)
def test_case_text_fields_slow(fuzz_services, target, text):
    _run("casus", _case_text, fuzz_services, target, text)


@pytest.mark.slow
@fuzz(SLOW)
@given(attr=st.sampled_from(("title", "facts", "interpretation", "body")), text=TEXT_SLOW)
def test_entry_text_fields_slow(fuzz_services, attr, text):
    _run("tijdlijn", _entry_text, fuzz_services, attr, text)


@pytest.mark.slow
@fuzz(SLOW)
@given(text=TEXT_SLOW)
def test_followup_texts_slow(fuzz_services, text):
    _run("followup", _followup_text, fuzz_services, text)


@pytest.mark.slow
@fuzz(SLOW)
@given(target=st.sampled_from(("motivation", "decided_by") + tuple(VITAAL)),
       text=TEXT_SLOW)
def test_ground_texts_slow(fuzz_services, target, text):
    _run("grondslag", _ground_text, fuzz_services, target, text)


@pytest.mark.slow
@fuzz(SLOW)
@given(target=st.sampled_from(MELDCODE_TARGETS), text=TEXT_SLOW)
def test_meldcode_values_slow(fuzz_services, target, text):
    _run("meldcode", _meldcode_text, fuzz_services, target, text)


@pytest.mark.slow
@fuzz(SLOW)
@given(text=TEXT_SLOW)
def test_handover_sheet_inputs_slow(fuzz_services, text):
    _run("blad", _sheet_input, fuzz_services, text)


def test_one_million_characters_is_the_limit(fuzz_services):
    """The boundary itself: 1,000,000 characters (4 MB of emoji in UTF-8) stored and read
    back; one more is refused with a Dutch sentence that names the field."""
    cs = fuzz_services.cases
    case_id = _new_case(fuzz_services)
    text = _big("🦩", MAX_TEXT)
    entry = cs.add_entry(Entry(None, case_id, EntryKind.NOTITIE, TODAY, body=text))
    assert [e.body for e in cs.timeline(case_id) if e.id == entry.id] == [text]
    with pytest.raises(ValidationError) as err:
        cs.add_entry(Entry(None, case_id, EntryKind.NOTITIE, TODAY, body=text + "!"))
    assert "tekst" in str(err.value) and "1.000.000" in assert_dutch(err.value)


@pytest.mark.parametrize("target", ("motivation", "decided_by", "incapacity"))
def test_ground_texts_with_lone_surrogates_are_cleaned(fuzz_services, target):
    text = "Dringend: verward na incident \ud800 en zonder onderdak."
    assert _ground_text(fuzz_services, target, text) in ("opgeslagen", "geweigerd")


def test_text_strategy_reaches_the_hard_cases():
    """The generators really produce what the docstring promises (lone surrogates, NUL,
    RTL, emoji, over-long text), so the fuzz tests above are not quietly easy."""
    seen = Counter()

    @settings(max_examples=300, **_HYPO)
    @given(text=TEXT)
    def probe(text):
        seen["surrogate"] += any("\ud800" <= c <= "\udfff" for c in text)
        seen["nul"] += "\x00" in text
        seen["rtl"] += any(c in text for c in ("\u202e", "\u200f", "مرحبا", "שלום"))
        seen["emoji"] += "🦩" in text or "👩🏽‍⚕️" in text
        seen["too_long"] += len(text) > MAX_TEXT

    probe()
    assert all(seen[k] for k in ("surrogate", "nul", "rtl", "emoji", "too_long")), seen

