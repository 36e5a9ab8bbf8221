"""Every released schema keeps opening: the frozen vaults in tests/fixtures are copied,
opened (which migrates them), read back, and their pre-migration copies checked."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from aandacht.domain.case import Status
from aandacht.services.cases import CaseService
from aandacht.store import VaultError, create_vault, open_vault
from aandacht.store import migrations
from aandacht.store.kdf import FAST_PARAMS
from aandacht.store.migrations import SCHEMA_VERSION
from tests.conftest import TEST_PASSPHRASE
from tests.fixtures import make_fixtures as fx
from tests.store.vault_helpers import assert_dutch, sha256_file, sidecars

FIXTURES = sorted(fx.HERE.glob("vault_v*.aandacht"))


def _version(path: Path) -> int:
    return int(re.fullmatch(r"vault_v(\d+)\.aandacht", path.name).group(1))


def test_a_fixture_exists_for_every_released_schema():
    assert sorted(_version(p) for p in FIXTURES) == list(range(1, SCHEMA_VERSION + 1)), (
        "add tests/fixtures/vault_v<N>.aandacht (make_fixtures.py) for every new schema version")
    for p in FIXTURES:
        raw = p.read_bytes()
        assert raw[0] & 0xF0 == 0xA0 and not raw.startswith(b"SQLite format 3")
        assert not sidecars(p)


def _check_settings(vault, version: int) -> None:
    for key, value in (fx.V1_META if version == 1 else fx.V2_META).items():
        assert vault.settings.get(key) == value


def _check_cases(vault, version: int) -> None:
    """The fixture's cases read back through today's CaseService (current schema)."""
    cs = CaseService(vault, today=lambda: dt.date(2024, 12, 31))
    summaries = {s.label: s for s in cs.list_cases()}
    assert set(summaries) == {c[1] for c in fx.V2_CASES}
    for cid, label, opened, status, *_rest, details in fx.V2_CASES:
        case = cs.get_case(cid)
        assert (case.label, case.opened_on.isoformat(), case.status.value) == (label, opened,
                                                                                 status)
        assert case.details == details
    lepelaar = cs.get_case(2)
    assert lepelaar.status == Status.AFGESLOTEN
    assert lepelaar.delete_after == dt.date(2025, 9, 1)

    # The case-list figures (kept on the case row since v3) are right after migrating.
    zilver = summaries["Casus Zilverreiger"]
    assert (zilver.last_activity, zilver.open_followups) == (dt.date(2024, 3, 7), 1)
    assert zilver.meldcode_status == (
        "Stap 2 van 5: collegiale consultatie" if version >= 3 else "")
    ijsvogel = summaries["Casus Ijsvogel"]
    assert (ijsvogel.last_activity, ijsvogel.open_followups) == (dt.date(2024, 6, 12), 0)

    timeline = cs.timeline(1)
    assert [e.id for e in timeline] == [3, 2, 1]  # newest first
    gesprek = next(e for e in timeline if e.id == 2)
    assert gesprek.facts.startswith("Werkt zes dagen per week, paspoort")
    assert [h.title for h in gesprek.history] == ["Gesprek met colega"]
    assert cs.timeline(3)[0].data == {"recipients": ["veilig_thuis"]}
    assert [(f.what, f.done_on) for f in cs.followups(3)] == [
        ("Navragen of Veilig Thuis contact had", dt.date(2024, 6, 21))]
    assert cs.get_state(1, "meldcode") == {"stap": 2, "afgerond": [1]}
    assert cs.tombstones() == [(99, "2022-01-10", "2022-04-01", "2023-04-01", "zonder_actie")]

    # The full-text index came along: diacritics-insensitive, history included.
    assert [s.label for s in cs.search("coordinator")] == ["Casus Zilverreiger"]
    assert [s.label for s in cs.search("ZORGCOORDINATOR shop")] == ["Casus Zilverreiger"]
    assert [s.label for s in cs.search("colega")] == ["Casus Zilverreiger"]
    assert [s.label for s in cs.search("lepelaar")] == ["Casus Lepelaar"]


def _check_old_copy(vault, version: int) -> None:
    """A pre-migration copy, opened without migrating: checked at its own schema level."""
    assert vault.schema_version == version
    _check_settings(vault, version)
    if version >= 2:
        labels = {r[0] for r in vault.execute("SELECT label FROM cases")}
        assert labels == {c[1] for c in fx.V2_CASES}
        assert vault.execute("SELECT count(*) FROM entries").fetchone()[0] == len(fx.V2_ENTRIES)
    assert vault.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.name)
def test_fixture_opens_migrates_and_keeps_its_data(fixture, tmp_path):
    version = _version(fixture)
    path = tmp_path / "kluis.aandacht"
    shutil.copy(fixture, path)
    original = sha256_file(fixture)

    v = open_vault(path, fx.FIXTURE_PASSPHRASE)
    try:
        assert v.schema_version == SCHEMA_VERSION
        assert v.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert v.execute("PRAGMA cipher_integrity_check").fetchall() == []
        _check_settings(v, version)
        if version >= 2:
            _check_cases(v, version)
        # A migrated vault is fully usable: writes and search on the new schema.
        v.settings.set("na_migratie", True)
        if SCHEMA_VERSION >= 2:
            from aandacht.domain.case import Case

            cs = CaseService(v)
            new = cs.create_case(Case(None, "Casus Na Migratie", dt.date.today()))
            assert [s.id for s in cs.search("migratie")] == [new.id]
    finally:
        v.close()

    backup = Path(f"{path}.v{version}.bak")
    if version < SCHEMA_VERSION:
        # The copy was taken before any step ran: byte for byte the fixture.
        assert backup.exists()
        assert sha256_file(backup) == original
        old = open_vault(backup, fx.FIXTURE_PASSPHRASE, migrate=False)
        try:
            _check_old_copy(old, version)
        finally:
            old.close()
    else:
        assert not backup.exists(), "nothing to migrate, so no copy"
    assert sha256_file(fixture) == original, "the committed fixture itself is never touched"

    # Reopening does not migrate (or copy) again.
    baks = sorted(p.name for p in tmp_path.glob("*.bak"))
    open_vault(path, fx.FIXTURE_PASSPHRASE).close()
    assert sorted(p.name for p in tmp_path.glob("*.bak")) == baks


def test_vault_from_a_newer_schema_is_refused_untouched(tmp_path):
    path = tmp_path / "toekomst.aandacht"
    v = create_vault(path, TEST_PASSPHRASE, FAST_PARAMS)
    v.settings.set("gemeente", "Voorbeeldstad")
    v.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    v.close()
    before = sha256_file(path)
    with pytest.raises(VaultError) as err:
        open_vault(path, TEST_PASSPHRASE)
    assert_dutch(err.value)
    assert "nieuwere versie" in str(err.value)
    assert sha256_file(path) == before
    assert not sidecars(path)
    assert list(tmp_path.glob("*.bak")) == []


def test_failed_migration_step_rolls_back_and_keeps_the_copy(tmp_path, monkeypatch):
    """A broken future step must leave the vault exactly at its old version."""
    path = tmp_path / "kluis.aandacht"
    shutil.copy(fx.fixture_path(SCHEMA_VERSION), path)
    before = sha256_file(path)
    broken = ["CREATE TABLE nieuw (x INTEGER)",
              "INSERT INTO tabel_die_niet_bestaat VALUES (1)"]
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS + [broken])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(migrations.migrate, "__defaults__", (True, SCHEMA_VERSION + 1))
    with pytest.raises(VaultError):
        open_vault(path, fx.FIXTURE_PASSPHRASE)
    assert sha256_file(Path(f"{path}.v{SCHEMA_VERSION}.bak")) == before
    monkeypatch.undo()

    v = open_vault(path, fx.FIXTURE_PASSPHRASE)
    try:
        assert v.schema_version == SCHEMA_VERSION
        names = {r[0] for r in v.execute("SELECT name FROM sqlite_master")}
        assert "nieuw" not in names, "the half-applied step was rolled back"
    finally:
        v.close()
