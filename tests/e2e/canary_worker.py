"""A child process for tests/e2e/test_no_plaintext.py; the test SIGKILLs it mid-write.

    canary_worker.py VAULT PASSPHRASE CASE_ID RUN SEED

Opens the vault, prints "ready", then writes canary text forever: timeline entries
(title, facts, interpretation, a body from a few hundred bytes to 40 KB), corrections,
follow-ups, per-case state and new cases with canary labels and details. After each
commit has returned it prints "ok <what>" (flushed). Canary i is "Kanarie<i:03d>x<RUN>",
the same string the parent's `Canaries` makes for NAMES[i].
"""

from __future__ import annotations

import datetime as dt
import random
import sys

NAMES = ("titel", "feiten", "interpretatie", "tekst", "correctie", "followup", "state",
         "label", "persoon.naam", "persoon.gezondheid")


def canary(name: str, run: str) -> str:
    return f"Kanarie{NAMES.index(name):03d}x{run}"


def main(path: str, passphrase: str, case_id: int, run: str, seed: int) -> None:
    from aandacht.domain.case import Case, Entry, EntryKind, FollowUp
    from aandacht.services.cases import CaseService
    from aandacht.store import open_vault

    rng = random.Random(seed)
    vault = open_vault(path, passphrase)
    # Checkpoint every 100 pages (instead of 1000) so kills also land inside checkpoints.
    vault.execute("PRAGMA wal_autocheckpoint = 100")
    cs = CaseService(vault)
    today = dt.date.today()
    mine: list[int] = []
    print("ready", flush=True)
    step = 0
    while True:
        step += 1
        if mine and step % 5 == 0:
            cs.correct_entry(rng.choice(mine), body=f"{canary('correctie', run)} " * 50)
            print("ok correctie", flush=True)
            continue
        if step % 7 == 0:
            cs.add_followup(FollowUp(None, case_id, today, canary("followup", run)))
            print("ok followup", flush=True)
            continue
        if step % 11 == 0:
            cs.set_state(case_id, "meldcode", {"notitie": canary("state", run), "stap": step})
            print("ok state", flush=True)
            continue
        if step % 13 == 0:
            cs.create_case(Case(None, f"{canary('label', run)} {step}", today, details={
                "persoon.naam": canary("persoon.naam", run),
                "persoon.gezondheid": f"{canary('persoon.gezondheid', run)} " * 100}))
            print("ok casus", flush=True)
            continue
        roll = rng.random()
        repeat = rng.randint(5, 40) if roll < 0.8 else rng.randint(300, 1600)
        entry = cs.add_entry(Entry(
            None, case_id, EntryKind.NOTITIE, today, title=canary("titel", run),
            facts=canary("feiten", run), interpretation=canary("interpretatie", run),
            body=f"Notitie {canary('tekst', run)} " * repeat))
        mine.append(entry.id)
        print(f"ok {entry.id}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]))
