"""Crash safety: a child process is SIGKILLed at random moments while it writes timeline
entries, changes the passphrase or makes a backup; afterwards the vault must open, be
intact, hold every entry whose commit was reported, and show nothing half-written.

Default run: a few kills of each kind (about half a minute). `-m slow`: hundreds.
Each test prints one summary line (run with -s to see the figures)."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import signal
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from aandacht.domain.case import Case, Entry, EntryKind
from aandacht.services.cases import CaseService
from aandacht.store import WrongPassphrase, create_vault, open_vault
from aandacht.store.kdf import FAST_PARAMS
from tests.conftest import TEST_PASSPHRASE
from tests.store import crash_worker
from tests.store.vault_helpers import python, subprocess_env

WORKER = Path(crash_worker.__file__)
NEW_PASSPHRASE = "nieuwe wachtwoordzin na de crash"
WRITE_KILLS, WRITE_KILLS_SLOW = 15, 200
REKEY_KILLS, REKEY_KILLS_SLOW = 8, 60
BACKUP_KILLS, BACKUP_KILLS_SLOW = 8, 60
# Slow runs are split into parts so no single test passes pytest's faulthandler_timeout.
SLOW_PARTS = 4
FRESH_VAULT_EVERY = 25  # bound the vault's growth in long runs


# --- child process plumbing -------------------------------------------------------------------


@dataclass
class Child:
    proc: subprocess.Popen
    lines: list[str] = field(default_factory=list)
    _seen: threading.Event = field(default_factory=threading.Event)
    _want: str = ""

    def _read(self) -> None:
        for line in self.proc.stdout:  # only complete lines end in "\n"
            if line.endswith("\n"):
                self.lines.append(line.rstrip("\n"))
                if self._want and line.startswith(self._want):
                    self._seen.set()
        self._seen.set()

    def wait_for(self, prefix: str, timeout: float = 60) -> None:
        if not any(line.startswith(prefix) for line in self.lines):
            assert self._seen.wait(timeout), f"child never printed {prefix!r}"
        if not any(line.startswith(prefix) for line in self.lines):
            raise AssertionError(f"child ended before {prefix!r}: {self.stderr()}")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._thread.join(timeout=30)

    def finish(self, timeout: float = 120) -> None:
        self.proc.wait(timeout=timeout)
        self._thread.join(timeout=30)
        assert self.proc.returncode == 0, self.stderr()

    def stderr(self) -> str:
        return self.proc.stderr.read() if self.proc.stderr else ""


def spawn(*args: str, want: str) -> Child:
    proc = subprocess.Popen([python(), str(WORKER), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8",
                            env=subprocess_env())
    child = Child(proc, _want=want)
    child._thread = threading.Thread(target=child._read, daemon=True)
    child._thread.start()
    return child


# --- verification ------------------------------------------------------------------------------


def verify_intact(vault) -> None:
    assert vault.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert vault.execute("PRAGMA cipher_integrity_check").fetchall() == []
    # FTS5 checks its index against its content; raises on any inconsistency.
    vault.execute("INSERT INTO search(search) VALUES ('integrity-check')")
    assert vault.execute("PRAGMA foreign_key_check").fetchall() == []


def verify_entries(vault, reported: set[int], fixes: Counter) -> int:
    """Every reported entry is there, every crash entry complete, one index row each."""
    rows = vault.execute("SELECT id, body FROM entries WHERE body LIKE 'crash|%'").fetchall()
    present = {r[0] for r in rows}
    missing = reported - present
    assert not missing, f"committed entries lost after the kill: {sorted(missing)[:10]}"
    torn = [r[0] for r in rows if not crash_worker.check_body(r[1])]
    assert not torn, f"half-written entries visible: {torn[:10]}"
    for (body,) in vault.execute("SELECT body FROM entry_history WHERE body LIKE 'crash|%'"):
        assert crash_worker.check_body(body), "half-written history version"
    index = dict(vault.execute("SELECT entry_id, count(*) FROM search "
                               "WHERE entry_id IS NOT NULL GROUP BY entry_id").fetchall())
    all_entries = {r[0] for r in vault.execute("SELECT id FROM entries")}
    assert set(index) == all_entries and set(index.values()) == {1}, "index out of step"
    history = Counter(dict(vault.execute(
        "SELECT entry_id, count(*) FROM entry_history GROUP BY entry_id").fetchall()))
    for entry_id, n in fixes.items():
        assert history[entry_id] >= n, f"reported correction of {entry_id} lost"
    return len(rows)


def _new_crash_vault(folder: Path) -> tuple[Path, int]:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kluis.aandacht"
    v = create_vault(path, TEST_PASSPHRASE, FAST_PARAMS)
    case = CaseService(v).create_case(Case(None, "Casus Crashtest", dt.date.today()))
    v.close()
    return path, case.id


# --- SIGKILL while writing ----------------------------------------------------------------------


def _write_kill_loop(tmp_path: Path, kills: int, seed: int) -> dict:
    rng = random.Random(seed)
    stats = Counter()
    path = case_id = None
    reported: set[int] = set()
    fixes: Counter = Counter()
    for k in range(kills):
        if k % FRESH_VAULT_EVERY == 0:
            path, case_id = _new_crash_vault(tmp_path / f"ronde{k}")
            reported, fixes = set(), Counter()
        child = spawn("write", str(path), TEST_PASSPHRASE, str(case_id), str(seed * 1000 + k),
                      want="ready")
        child.wait_for("ready")
        # Mostly mid-stream; now and then right at the start.
        time.sleep(0 if rng.random() < 0.1 else rng.uniform(0.005, 0.3))
        child.kill()
        assert child.proc.returncode == -signal.SIGKILL, child.stderr()
        for line in child.lines:
            if line.startswith("ok "):
                reported.add(int(line.split()[1]))
                stats["commits_reported"] += 1
            elif line.startswith("fix "):
                fixes[int(line.split()[1])] += 1
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            stats["kills_leaving_a_wal_to_recover"] += 1

        v = open_vault(path, TEST_PASSPHRASE)
        try:
            verify_intact(v)
            stats["entries_at_end"] = verify_entries(v, reported, fixes)
        finally:
            v.close()
        stats["kills"] += 1
        stats["max_vault_bytes"] = max(stats["max_vault_bytes"], path.stat().st_size)
    return dict(stats)


def _run_write_kills(tmp_path, kills, seed):
    start = time.perf_counter()
    stats = _write_kill_loop(tmp_path, kills, seed=seed)
    print(f"\n[crash-safety] write kills survived: {stats['kills']} "
          f"(WAL recovery needed after {stats.get('kills_leaving_a_wal_to_recover', 0)}), "
          f"{stats.get('commits_reported', 0)} reported commits all found, "
          f"largest vault {stats['max_vault_bytes'] // 1024} KiB, "
          f"{time.perf_counter() - start:.1f} s")
    assert stats["kills"] == kills


def test_sigkill_while_writing_loses_nothing_committed(tmp_path):
    _run_write_kills(tmp_path, WRITE_KILLS, seed=1)


@pytest.mark.slow
@pytest.mark.parametrize("part", range(SLOW_PARTS))
def test_sigkill_while_writing_many_times(tmp_path, part):
    _run_write_kills(tmp_path, WRITE_KILLS_SLOW // SLOW_PARTS, seed=100 + part)


# --- SIGKILL during change_passphrase and backup --------------------------------------------------


@pytest.fixture(scope="module")
def big_vault(tmp_path_factory) -> tuple[Path, int]:
    """A vault of ~15-20 MB so that re-encryption and copying take a measurable moment
    (and small enough that opening still runs the full cipher_integrity_check)."""
    path = tmp_path_factory.mktemp("groot") / "groot.aandacht"
    v = create_vault(path, TEST_PASSPHRASE, FAST_PARAMS)
    cs = CaseService(v)
    rng = random.Random(11)
    with v.transaction():
        for i in range(4):
            case = cs.create_case(Case(None, f"Casus Groot {i}", dt.date.today()))
            for _ in range(110):
                cs.add_entry(Entry(None, case.id, EntryKind.NOTITIE, dt.date.today(),
                                   body=crash_worker.body_for(rng)))
    n = len(v.execute("SELECT id FROM entries").fetchall())
    v.close()
    Path(f"{path}.lock").unlink()
    assert 8 * 1024 * 1024 < path.stat().st_size < 32 * 1024 * 1024, path.stat().st_size
    return path, n


def _fresh_copy(big: Path, folder: Path) -> Path:
    folder.mkdir(parents=True)
    path = folder / "kluis.aandacht"
    shutil.copy(big, path)
    return path


def _which_opens(path: Path) -> list[str]:
    opened = []
    for name, passphrase in (("oud", TEST_PASSPHRASE), ("nieuw", NEW_PASSPHRASE)):
        try:
            v = open_vault(path, passphrase)
        except WrongPassphrase:
            continue
        v.close()
        opened.append(name)
    return opened


def _calibrate(big: Path, tmp_path: Path, mode: str) -> float:
    path = _fresh_copy(big, tmp_path / f"ijking-{mode}")
    args = ((TEST_PASSPHRASE, NEW_PASSPHRASE) if mode == "rekey"
            else (TEST_PASSPHRASE, str(path.parent / "kopie.aandacht")))
    child = spawn(mode, str(path), *args, want="done")
    child.finish()
    return float(next(line for line in child.lines if line.startswith("done")).split()[1])


def _rekey_kills(big_vault, tmp_path, kills: int, seed: int) -> None:
    big, n_entries = big_vault
    started = time.perf_counter()
    duration = _calibrate(big, tmp_path, "rekey")
    assert _which_opens(tmp_path / "ijking-rekey" / "kluis.aandacht") == ["nieuw"]
    rng = random.Random(seed)
    outcome = Counter()
    for k in range(kills):
        path = _fresh_copy(big, tmp_path / f"rekey{k}")
        child = spawn("rekey", str(path), TEST_PASSPHRASE, NEW_PASSPHRASE, want="go")
        child.wait_for("go")
        # Stratified over the whole change (and a bit past it).
        time.sleep((k + rng.random()) / kills * duration * 1.6)
        child.kill()
        opened = _which_opens(path)
        assert len(opened) == 1, f"kill {k}: vault opens with {opened or 'neither'}"
        v = open_vault(path, TEST_PASSPHRASE if opened == ["oud"] else NEW_PASSPHRASE)
        try:
            verify_intact(v)
            assert len(v.execute("SELECT id FROM entries").fetchall()) == n_entries
        finally:
            v.close()
        outcome[opened[0]] += 1
        if Path(f"{path}.rekey").exists():
            outcome["leftover_rekey_file"] += 1
        shutil.rmtree(path.parent)
    print(f"\n[crash-safety] passphrase-change kills survived: {kills} "
          f"(old passphrase {outcome['oud']}, new {outcome['nieuw']}, "
          f"leftover .rekey files {outcome['leftover_rekey_file']}); change takes "
          f"{duration:.2f} s on {big.stat().st_size // (1024 * 1024)} MiB; "
          f"{time.perf_counter() - started:.1f} s")


def test_sigkill_during_passphrase_change_leaves_exactly_one_passphrase(big_vault, tmp_path):
    _rekey_kills(big_vault, tmp_path, REKEY_KILLS, seed=1)


@pytest.mark.slow
@pytest.mark.parametrize("part", range(SLOW_PARTS))
def test_sigkill_during_passphrase_change_many_times(big_vault, tmp_path, part):
    _rekey_kills(big_vault, tmp_path, REKEY_KILLS_SLOW // SLOW_PARTS, seed=100 + part)


def _backup_kills(big_vault, tmp_path, kills: int, seed: int) -> None:
    big, n_entries = big_vault
    started = time.perf_counter()
    duration = _calibrate(big, tmp_path, "backup")
    rng = random.Random(seed)
    outcome = Counter()
    for k in range(kills):
        path = _fresh_copy(big, tmp_path / f"backup{k}")
        stick = path.parent / "stick"
        stick.mkdir()
        target = stick / "kopie.aandacht"
        child = spawn("backup", str(path), TEST_PASSPHRASE, str(target), want="go")
        child.wait_for("go")
        time.sleep((k + rng.random()) / kills * duration * 1.5)
        child.kill()
        if target.exists():
            # Whatever sits at the target is a complete vault, never a partial copy.
            copy = open_vault(target, TEST_PASSPHRASE)
            try:
                verify_intact(copy)
                assert len(copy.execute("SELECT id FROM entries").fetchall()) == n_entries
            finally:
                copy.close()
            outcome["complete_copy"] += 1
        else:
            outcome["no_copy"] += 1
        leftovers = [p for p in stick.iterdir() if p.name.endswith(".tmp")]
        outcome["leftover_tmp"] += len(leftovers)
        for p in leftovers:  # a partial copy is encrypted bytes, never a readable vault name
            assert p.name.startswith(".") and not p.read_bytes().startswith(b"SQLite format 3")
        v = open_vault(path, TEST_PASSPHRASE)
        try:
            verify_intact(v)
        finally:
            v.close()
        shutil.rmtree(path.parent)
    print(f"\n[crash-safety] backup kills survived: {kills} (complete copy at target "
          f"{outcome['complete_copy']}, nothing at target {outcome['no_copy']}, hidden partial "
          f".tmp left {outcome['leftover_tmp']}); backup takes {duration * 1000:.0f} ms; "
          f"{time.perf_counter() - started:.1f} s")


def test_sigkill_during_backup_never_leaves_a_partial_copy(big_vault, tmp_path):
    _backup_kills(big_vault, tmp_path, BACKUP_KILLS, seed=1)


@pytest.mark.slow
@pytest.mark.parametrize("part", range(SLOW_PARTS))
def test_sigkill_during_backup_many_times(big_vault, tmp_path, part):
    _backup_kills(big_vault, tmp_path, BACKUP_KILLS_SLOW // SLOW_PARTS, seed=100 + part)


def test_worker_checksum_detects_tampering():
    """The half-written check above can fail: a cut or altered body is caught."""
    body = crash_worker.body_for(random.Random(3))
    assert crash_worker.check_body(body)
    assert not crash_worker.check_body(body[:-1])
    assert not crash_worker.check_body(body[:-1] + ("x" if body[-1] != "x" else "y"))
    assert not crash_worker.check_body("crash|12|abc")
