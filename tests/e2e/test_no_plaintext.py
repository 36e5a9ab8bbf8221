"""Het bewijs (3): no case text ever reaches the disk in plaintext.

A complete scripted session runs through the Qt-free services with a distinct canary in
every text field the services accept: case label, department, every DETAIL_FIELDS field,
every entry kind's title/facts/interpretation/body/data, a correction, follow-ups,
meldcode step values, a routekaart walk and setting, a sociale-kaart contact, a ground
(motivation, decider, details) and a handover sheet saved outside the app folders.
Then search, lock, unlock, backup, retention close + delete, close. Afterwards every byte
of every file under the app's data/config/cache folders, the backup and every file
created in the system temp folders is read: no canary, in UTF-8 or UTF-16, as written or
lower-cased, and not even the run id they share.

The saved handover PDF is the one place a canary may appear: it must carry exactly the
fields the SHOP form allows (with the recorded ground), and nothing the form forbids.

The second half kills a writer process (SIGKILL) mid-write and scans the vault, its
-wal and -shm and the temp folders in the state the crash left them in.

Run with -s to see the figures (files, bytes, hits, durations).
"""

from __future__ import annotations

import datetime as dt
import io
import random
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pypdf import PdfReader

from aandacht.domain.case import DETAIL_FIELDS, Case, Entry, EntryKind, FollowUp, Form
from aandacht.domain.handover import NEEDS_GROUND, NEVER
from aandacht.domain.retention import Policy
from aandacht.services.cases import consultation_entry
from aandacht.services.session import Session
from aandacht.store.kdf import FAST_PARAMS
from tests.e2e import canary_worker
from tests.e2e.canaries import Canaries, files_under, listing, new_tmp_files, scan, tmp_roots
from tests.store.vault_helpers import python, subprocess_env

PHRASE = "kanarie vogel zingt in de mijn"
TODAY = dt.date.today()
VITAAL_KEYS = ("incapacity", "urgent_need", "no_lighter_route", "consulted")
ROUTE = ("nee", "slachtoffer", "nee", "nee", "wil_hulp", "wel_verblijf", ["seksueel"])
# Fields the vitaal_belang ground opens on the SHOP form (checked against the form below).
UNLOCK = ("naam", "telefoon", "contacttijden", "verblijfplaats", "gezondheid")


def _report(title: str, **figures) -> None:
    print(f"\n[{title}] " + ", ".join(f"{k}={v}" for k, v in figures.items()))


def _pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


# --- the scripted session ------------------------------------------------------------------


def _fill_case_a(services, c: Canaries) -> int:
    cs = services.cases
    case = cs.create_case(Case(
        None, c("case.label"), TODAY - dt.timedelta(days=30),
        forms=frozenset({Form.SEKSUEEL, Form.ARBEID}),
        source_department=c("case.source_department"),
        details={spec.key: c(spec.key) for spec in DETAIL_FIELDS}))
    # Every entry kind, every text attribute and the structured data.
    for kind in EntryKind:
        cs.add_entry(Entry(None, case.id, kind, TODAY, title=c(f"{kind}.title"),
                           facts=c(f"{kind}.facts"), interpretation=c(f"{kind}.interpretation"),
                           body=f"Lange tekst {c(f'{kind}.body')} " * 200,
                           data={"extra": c(f"{kind}.data")}))
    note = next(e for e in cs.timeline(case.id) if e.kind == EntryKind.NOTITIE)
    cs.correct_entry(note.id, body=c("correctie.body"), facts=c("correctie.facts"))
    cs.add_entry(consultation_entry(case.id, TODAY, c("consultatie.met"), True,
                                    c("consultatie.advies"), c("consultatie.afspraken")))
    cs.add_followup(FollowUp(None, case.id, TODAY + dt.timedelta(days=7), c("followup.open")))
    done = cs.add_followup(FollowUp(None, case.id, TODAY, c("followup.done")))
    cs.complete_followup(done.id, c("followup.note"))

    # Meldcode: steps 1 and 2 recorded (step 2's agreements become follow-ups), 3 a draft.
    mc = services.meldcode
    mc.complete_step(case.id, "signalen", {
        "rol": "ondersteuning", "collega": c("meldcode.collega"),
        "datum": (TODAY - dt.timedelta(days=20)).isoformat(), "tijd": c("meldcode.tijd"),
        "waarnemer": c("meldcode.waarnemer"), "signalen": ["ALG-03"],
        "waarnemingen": [
            {"soort": "feit", "tekst": c("meldcode.feit"), "bron": "eigen"},
            {"soort": "interpretatie", "tekst": c("meldcode.interpretatie"), "bron": "derde",
             "derde": c("meldcode.derde")}],
        "contra": c("meldcode.contra"), "minderjarig": "nee", "kinderen": "ja",
        "kindcheck": c("meldcode.kindcheck")})
    mc.complete_step(case.id, "consultatie", {
        "consultaties": [{"datum": TODAY.isoformat(), "met": "anders",
                          "functie": c("meldcode.functie"), "anoniem": True,
                          "advies": c("meldcode.advies")}],
        "coordinatie": c("meldcode.coordinatie"),
        "afspraken": [{"wat": c("meldcode.afspraak.wat"), "wie": c("meldcode.afspraak.wie"),
                       "datum": (TODAY + dt.timedelta(days=14)).isoformat()}]})
    mc.save_draft(case.id, "gesprek", {"deelnemers": c("meldcode.deelnemers"),
                                       "reactie": c("meldcode.reactie")})

    # Routekaart: a gemeente text setting, a finished walk recorded in the case.
    services.routekaart.set_settings({"oov_grondslag_artikel": c("routekaart.setting")})
    walk = services.routekaart.new_walk()
    for answer in ROUTE:
        walk.answer(answer)
    services.routekaart.record(case.id, walk)
    return case.id


def _handover(services, c: Canaries, case_id: int, out: Path) -> tuple[Path, list[str]]:
    ho = services.handover
    ho.record_ground(case_id, "shop", "vitaal_belang", c("ground.motivation"),
                     c("ground.decided_by"), {k: c(f"ground.{k}") for k in VITAAL_KEYS})
    inputs = ho.default_inputs(case_id, "shop")
    inputs["request_type"] = "zorgcoordinatie"
    inputs["signalen"] = c("sheet.signalen")
    requested = ho.default_selection("shop") | set(UNLOCK)
    prepared = ho.prepare(case_id, "shop", requested, inputs)
    path = out / "overdracht_shop.pdf"
    ho.save(prepared, path)
    return path, list(prepared.selection.fields)


def _check_sheet(services, c: Canaries, pdf: Path, fields: list[str]) -> dict[str, int]:
    """The saved sheet carries what the form allows for this case, and nothing else."""
    form = services.handover.form("shop")
    text = _pdf_text(pdf)
    rules = {f.id: f for f in form.fields}
    assert {f.id for f in form.by_rule(NEEDS_GROUND)} >= set(UNLOCK)
    assert set(UNLOCK) <= set(fields), "the ground opened the identifying fields"
    on_sheet = {rules[f].source for f in fields}
    present, absent = [], []
    for spec in DETAIL_FIELDS:
        (present if spec.key in on_sheet else absent).append(spec.key)
    for key in present:
        assert c(key) in text, f"{key} was selected but is not on the sheet"
    for key in absent:
        assert c(key) not in text, f"{key} ({_rule_of(form, key)}) leaked onto the sheet"
    # Sender, ground motivation and decider are printed; the ground's details, the case
    # label, the department (not on the SHOP form) and every timeline text are not.
    for name in ("af_naam", "af_functie", "af_contact", "gemeente", "ground.motivation",
                 "ground.decided_by", "sheet.signalen"):
        assert c(name) in text, f"{name} missing from the sheet"
    forbidden = ["case.label", "case.source_department", "routekaart.setting"]
    forbidden += [f"ground.{k}" for k in VITAAL_KEYS]
    forbidden += [n for n in c.by_name if n.split(".")[0] in {k.value for k in EntryKind}]
    forbidden += [n for n in c.by_name if n.startswith(("meldcode.", "followup.", "correctie."))]
    for name in forbidden:
        assert c(name) not in text, f"{name} leaked onto the sheet"
    never = [f for f in form.by_rule(NEVER) if f.is_detail]
    assert never and all(c(f.source) not in text for f in never)
    return {"present": len(present), "absent": len(absent), "never": len(never)}


def _rule_of(form, key: str) -> str:
    return next((f.rule for f in form.fields if f.source == key), "geen regel")


def _fill_case_b(services, c: Canaries, out: Path) -> tuple[int, Path]:
    cs = services.cases
    case = cs.create_case(Case(None, c("b.label"), TODAY - dt.timedelta(days=10),
                               details={"persoon.naam": c("b.naam"),
                                        "persoon.gezondheid": c("b.gezondheid"),
                                        "situatie.sector": c("b.sector")}))
    cs.add_entry(Entry(None, case.id, EntryKind.GESPREK, TODAY, facts=c("b.facts"),
                       interpretation=c("b.interpretation")))
    cs.add_followup(FollowUp(None, case.id, TODAY, c("b.followup")))
    walk = services.routekaart.new_walk()
    walk.answer("nee")
    services.routekaart.save_draft(case.id, walk)
    prepared = services.handover.prepare(case.id, "shop", services.handover.default_selection(
        "shop"), services.handover.default_inputs(case.id, "shop"))
    pdf = out / "overdracht_b.pdf"
    services.handover.save(prepared, pdf)
    assert c("b.sector") in _pdf_text(pdf)
    return case.id, pdf


def test_full_session_leaves_no_plaintext(app_paths, tmp_path):
    t0 = time.perf_counter()
    since = time.time() - 1
    tmp_before = listing(tmp_roots())
    c = Canaries()
    out = tmp_path / "buiten_de_app"  # a folder the AF chose, outside the app folders
    out.mkdir()
    backup = tmp_path / "usb" / "reservekopie.aandacht"
    backup.parent.mkdir()
    app_folders = (app_paths.data, app_paths.config, app_paths.cache)

    session = Session(app_paths.vault, params=FAST_PARAMS)
    services = session.create(PHRASE, c("gemeente"))
    for key in ("af_naam", "af_functie", "af_contact"):
        services.settings.set(key, c(key))
    services.sociale_kaart.add(c("contact.name"), role=c("contact.role"),
                               notes=c("contact.notes"), phone="010 123 45 67")

    a = _fill_case_a(services, c)
    sheet, fields = _handover(services, c, a, out)
    b, sheet_b = _fill_case_b(services, c, out)
    sheet_figures = _check_sheet(services, c, sheet, fields)

    # Search really runs over the canaries (label, a note, a correction, a meldcode entry).
    for name in ("case.label", "notitie.body", "correctie.body", "meldcode.waarnemer"):
        assert [s.id for s in services.cases.search(c(name))] == [a], name
    assert [s.id for s in services.cases.search(c("b.facts"))] == [b]
    n_entries = len(services.cases.timeline(a))
    needles = c.needles()
    legit = [sheet, sheet_b]

    open_scan = scan(files_under(*app_folders), needles)  # vault open: -wal and -shm in use
    assert open_scan.hits == []
    assert any(p.name.endswith("-wal") for p in open_scan.scanned), "WAL was not scanned"

    old_vault = session.vault
    session.lock()
    assert old_vault.conn is None and session.vault is None
    locked_scan = scan(files_under(*app_folders), needles)
    assert locked_scan.hits == []

    services = session.unlock(PHRASE)
    assert services.cases.get_case(a).label == c("case.label")  # the text is in the vault
    assert services.cases.get_case(a).details["persoon.gezondheid"] == c("persoon.gezondheid")
    services.vault.backup(backup)

    # Retention: close B and delete it; its sheet's log record becomes a tombstone.
    reason = next(iter(Policy.defaults().reasons))
    services.cases.close_case(b, reason)
    services.cases.delete_case(b)
    assert services.cases.search(c("b.facts")) == []
    assert services.cases.search(c("b.label")) == []
    views = services.handover.disclosures()
    assert [v.tombstoned for v in views] == [True, False]
    assert c.run not in repr(views[0].tombstone)
    assert services.handover.verify_log().ok
    session.close()

    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in legit), \
        "no partial or temporary file next to the saved sheets"
    tmp_files = new_tmp_files(tmp_before, since)
    final = scan(files_under(*app_folders, backup) + tmp_files, needles, exclude=legit)
    assert backup in final.scanned and app_paths.vault in final.scanned
    assert final.hits == [], "\n".join(final.hits[:20])

    # The scanner is not blind: the same bytes written plainly are found, in each encoding.
    control = tmp_path / "controle.bin"
    control.write_bytes(b"x" + c("persoon.naam").lower().encode("utf-16-le") + b"y")
    assert scan([control], needles).hits
    control.write_bytes(b"x" + c.run.encode() + b"y")
    assert scan([control], needles).hits
    control.unlink()

    _report("geen klare tekst, sessie",
            canaries=len(c.by_name), needles=len(needles), entries_case_a=n_entries,
            files_open=open_scan.files, bytes_open=open_scan.bytes,
            files_final=final.files, bytes_final=final.bytes,
            tmp_files=len(tmp_files), hits=len(final.hits),
            sheet_fields=len(fields), **{f"sheet_{k}": v for k, v in sheet_figures.items()},
            scan_s=f"{open_scan.seconds + locked_scan.seconds + final.seconds:.2f}",
            total_s=f"{time.perf_counter() - t0:.1f}")


# --- after a crash ----------------------------------------------------------------------------

WORKER = Path(canary_worker.__file__)
CRASH_KILLS, CRASH_KILLS_SLOW, SLOW_PARTS = 6, 60, 4


@dataclass
class _Child:
    proc: subprocess.Popen
    lines: list[str] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)

    def read(self) -> None:
        for line in self.proc.stdout:
            if line.endswith("\n"):
                self.lines.append(line.rstrip("\n"))
                if line.startswith("ready"):
                    self.ready.set()
        self.ready.set()


def _crash_loop(tmp_path: Path, kills: int, seed: int) -> dict:
    from aandacht.domain.case import Case as _Case
    from aandacht.services.cases import CaseService
    from aandacht.store import create_vault, open_vault

    rng = random.Random(seed)
    figures = {"kills": 0, "committed": 0, "files": 0, "bytes": 0, "wal_bytes": 0,
               "wal_present": 0, "tmp_files": 0, "hits": 0}
    for k in range(kills):
        folder = tmp_path / f"ronde{k}"
        folder.mkdir()
        path = folder / "kluis.aandacht"
        v = create_vault(path, PHRASE, FAST_PARAMS)
        case_id = CaseService(v).create_case(_Case(None, "Casus Crashtest", TODAY)).id
        v.close()
        c = Canaries()
        for name in canary_worker.NAMES:  # same order as the worker: same strings
            c(name)
        since = time.time() - 1
        tmp_before = listing(tmp_roots())
        proc = subprocess.Popen(
            [python(), str(WORKER), str(path), PHRASE, str(case_id), c.run, str(seed + k)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
            env=subprocess_env())
        child = _Child(proc)
        reader = threading.Thread(target=child.read, daemon=True)
        reader.start()
        assert child.ready.wait(60), "worker never became ready"
        time.sleep(rng.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        reader.join(timeout=30)
        assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
        committed = [ln for ln in child.lines if ln.startswith("ok ")]

        # Scan exactly what the crash left, before anything opens (and recovers) the vault.
        needles = c.needles()
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size:
            figures["wal_present"] += 1
            figures["wal_bytes"] += wal.stat().st_size
        left = files_under(folder)
        tmp_files = new_tmp_files(tmp_before, since)
        result = scan(left + tmp_files, needles)
        assert path in result.scanned
        assert result.hits == [], "\n".join(result.hits[:20])

        # Positive control: the canaries really went into the (encrypted) vault.
        v = open_vault(path, PHRASE)
        try:
            like = (f"%{c.run}%",)
            found = {
                "entry": v.execute("SELECT count(*) FROM entries WHERE title LIKE ?",
                                   like).fetchone()[0],
                "followup": v.execute("SELECT count(*) FROM followups WHERE what LIKE ?",
                                      like).fetchone()[0],
                "casus": v.execute("SELECT count(*) FROM cases WHERE label LIKE ?",
                                   like).fetchone()[0],
            }
        finally:
            v.close()
        kinds = [ln.split()[1] for ln in committed]
        assert found["entry"] >= sum(k.isdigit() for k in kinds)
        assert found["followup"] >= kinds.count("followup")
        assert found["casus"] >= kinds.count("casus")
        figures["kills"] += 1
        figures["committed"] += len(committed)
        figures["files"] += result.files
        figures["bytes"] += result.bytes
        figures["tmp_files"] += len(tmp_files)
        figures["hits"] += len(result.hits)
    return figures


def test_crash_mid_write_leaves_no_plaintext(tmp_path):
    t0 = time.perf_counter()
    figures = _crash_loop(tmp_path, CRASH_KILLS, seed=20_260)
    assert figures["committed"] > 0, "the worker never committed: the kills proved nothing"
    _report("geen klare tekst na SIGKILL", **figures, total_s=f"{time.perf_counter() - t0:.1f}")


@pytest.mark.slow
@pytest.mark.parametrize("part", range(SLOW_PARTS))
def test_crash_mid_write_leaves_no_plaintext_slow(tmp_path, part):
    t0 = time.perf_counter()
    figures = _crash_loop(tmp_path, CRASH_KILLS_SLOW // SLOW_PARTS, seed=40_000 + 1000 * part)
    assert figures["committed"] > 0
    _report(f"geen klare tekst na SIGKILL, deel {part + 1}/{SLOW_PARTS}", **figures,
            total_s=f"{time.perf_counter() - t0:.1f}")
