"""A child process for tests/store/test_crash_safety.py; the test SIGKILLs it at random.

    crash_worker.py write  VAULT PASSPHRASE CASE_ID SEED
        open the vault, print "ready", then add timeline entries forever; after each
        commit has returned print "ok <entry id>" (flushed). Every 7th step corrects an
        earlier entry instead and prints "fix <entry id>". Each body carries its own
        checksum: "crash|<len>|<sha256>|<payload>".
    crash_worker.py rekey  VAULT OLD NEW
        open with OLD, print "go", change the passphrase to NEW, print "done <seconds>".
    crash_worker.py backup VAULT PASSPHRASE TARGET
        open, print "go", back up to TARGET, print "done <seconds>".

Only stdout lines that end in a newline count: a kill can cut the last one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import sys
import time

WORDS = ("signaal gesprek zorgcoördinator werkgever huisvesting schuld paspoort opvang "
         "Testpersoon collega advertentie verblijf loon uren bus uitzendbureau kamer "
         "tolk afspraak melding overleg wijkteam naïef café ĳzer ½ 🦩").split()


def body_for(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.80:
        n = rng.randint(30, 600)
    elif roll < 0.97:
        n = rng.randint(2_000, 8_000)
    else:
        n = rng.randint(20_000, 40_000)  # a long paste: a transaction over many pages
    payload = " ".join(rng.choice(WORDS) for _ in range(n))
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    return f"crash|{len(payload)}|{digest}|{payload}"


def check_body(body: str) -> bool:
    """True when a body written by this worker is complete and unaltered."""
    try:
        tag, length, digest, payload = body.split("|", 3)
    except ValueError:
        return False
    return (tag == "crash" and int(length) == len(payload)
            and hashlib.sha256(payload.encode("utf-8")).hexdigest() == digest)


def _open(path: str, passphrase: str):
    from aandacht.store import open_vault

    return open_vault(path, passphrase)


def write(path: str, passphrase: str, case_id: int, seed: int) -> None:
    from aandacht.domain.case import Entry, EntryKind
    from aandacht.services.cases import CaseService

    rng = random.Random(seed)
    vault = _open(path, passphrase)
    # Checkpoint every 100 pages (instead of 1000) so kills also land inside checkpoints.
    vault.execute("PRAGMA wal_autocheckpoint = 100")
    cs = CaseService(vault)
    mine: list[int] = []
    print("ready", flush=True)
    step = 0
    today = dt.date.today()
    while True:
        step += 1
        if mine and step % 7 == 0:
            target = rng.choice(mine)
            cs.correct_entry(target, body=body_for(rng))
            print(f"fix {target}", flush=True)
            continue
        entry = cs.add_entry(Entry(None, case_id, EntryKind.NOTITIE, today,
                                   title=f"Regel {seed}-{step}", body=body_for(rng)))
        mine.append(entry.id)
        print(f"ok {entry.id}", flush=True)


def rekey(path: str, old: str, new: str) -> None:
    vault = _open(path, old)
    print("go", flush=True)
    start = time.perf_counter()
    vault.change_passphrase(old, new)
    elapsed = time.perf_counter() - start
    vault.close()
    print(f"done {elapsed:.4f}", flush=True)


def backup(path: str, passphrase: str, target: str) -> None:
    vault = _open(path, passphrase)
    print("go", flush=True)
    start = time.perf_counter()
    vault.backup(target)
    elapsed = time.perf_counter() - start
    vault.close()
    print(f"done {elapsed:.4f}", flush=True)


def main(argv: list[str]) -> None:
    mode = argv[1]
    if mode == "write":
        write(argv[2], argv[3], int(argv[4]), int(argv[5]))
    elif mode == "rekey":
        rekey(argv[2], argv[3], argv[4])
    elif mode == "backup":
        backup(argv[2], argv[3], argv[4])
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv)
