"""Aandacht benchmarks: the figures of architecture §8, each beside its reference.

    .venv/bin/python benchmarks/bench.py            # table (10,000 cases / 100,000 entries)
    .venv/bin/python benchmarks/bench.py --json     # the same, as JSON
    .venv/bin/python benchmarks/bench.py --cases 1000 --entries 10   # a quick run

The vault is built through the Qt-free services (batched in transactions); the UI figures
run in child processes under the offscreen platform so start-up is measured cold.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from aandacht.domain.case import (  # noqa: E402
    Case,
    Entry,
    EntryKind,
    FollowUp,
    Form,
    Minor,
    SourceType,
    Subject,
)
from aandacht.services.cases import CaseService  # noqa: E402
from aandacht.store import create_vault  # noqa: E402
from aandacht.store.cases import CaseFilter  # noqa: E402
from aandacht.store.kdf import tune  # noqa: E402
from aandacht.store.vault import create_unencrypted_for_benchmark  # noqa: E402

PASSPHRASE = "benchmark wachtwoord zin lang"
WORDS = ("kassen busje nacht uitzendbureau paspoort schuld loverboy hotel massagesalon "
         "tuinbouw pakhuis overbewoning coördinator tolk advertentie escort drugs bankpas "
         "boete straatschuld school spijbelen vriend controle telefoon huur loon contract "
         "verblijf opvang zorg arts politie gesprek signaal collega buurtbewoner").split()
QUERIES = ["kassen", "paspoort schuld", "loverboy", "coordinator", "tolk nacht", "uitzend*",
           "hotel escort", "bankpas", "straatschuld", "overbewoning", "Casus 00042",
           "\"drugs\"", "opvang zorg", "politie", "telefoon controle", "advertentie", "huur loon",
           "xyzniets", "school spijbelen", "massagesalon"]


def median(xs):
    return statistics.median(xs)


def p95(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def timed(fn, repeat=5):
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def filler_vocabulary(rng: random.Random, n: int = 4000) -> list[str]:
    """Synthetic Dutch-looking words, so that each domain word is as rare as in real notes."""
    syll = "ka ver bo ten li mar de sto ge wi ren al pe hui zo nd ruk la me tij".split()
    return ["".join(rng.choice(syll) for _ in range(rng.randint(2, 4))) for _ in range(n)]


def note_text(rng: random.Random, filler: list[str]) -> str:
    words = [rng.choice(filler) for _ in range(58)] + [rng.choice(WORDS), rng.choice(WORDS)]
    rng.shuffle(words)
    return " ".join(words)


def build(vault, n_cases: int, per_case: int, seed: int = 1) -> list[int]:
    rng = random.Random(seed)
    filler = filler_vocabulary(random.Random(99))
    cs = CaseService(vault)
    ids = []
    start = dt.date(2024, 1, 1)
    batch = 500
    for first in range(0, n_cases, batch):
        with vault.transaction():
            for i in range(first, min(n_cases, first + batch)):
                opened = start + dt.timedelta(days=rng.randrange(0, 690))
                case = cs.create_case(Case(
                    None, f"Casus {i:05d}", opened,
                    subject=rng.choice(list(Subject)),
                    forms=frozenset(rng.sample(list(Form)[:4], rng.randint(1, 2))),
                    minor=rng.choice(list(Minor)), source_type=rng.choice(list(SourceType)),
                    details={"situatie.sector": rng.choice(WORDS)}))
                ids.append(case.id)
                for j in range(per_case - 1):  # create_case wrote one status entry already
                    text = note_text(rng, filler)
                    cs.add_entry(Entry(None, case.id, rng.choice(
                        (EntryKind.NOTITIE, EntryKind.SIGNAAL, EntryKind.GESPREK)),
                        opened + dt.timedelta(days=j % 30), facts=text[:200],
                        interpretation=text[200:320], body=text[320:]))
                if i % 7 == 0:
                    cs.add_followup(FollowUp(None, case.id, opened + dt.timedelta(days=14),
                                             "terugkoppeling vragen bij SHOP"))
    return ids


def store_workload(vault, ids) -> dict[str, list[float]]:
    cs = CaseService(vault)
    rng = random.Random(3)
    res = {}
    res["list"] = timed(lambda: cs.list_cases(), 5)
    res["search"] = [timed(lambda q=q: cs.list_cases(CaseFilter(query=q)), 1)[0]
                     for q in QUERIES for _ in range(3)]
    sample = rng.sample(ids, 20)
    res["open"] = [timed(lambda c=c: (cs.get_case(c), cs.timeline(c), cs.followups(c)), 1)[0]
                   for c in sample]

    def writes():
        with vault.transaction():
            for k in range(200):
                cs.add_entry(Entry(None, sample[k % 20], EntryKind.NOTITIE, dt.date(2025, 5, 1),
                                   body="extra notitie " + " ".join(WORDS[:20])))
    res["write"] = timed(writes, 3)
    return res


UI_CHILD = r"""
import os, sys, time, json
t0 = float(sys.argv[1]); mode = sys.argv[2]
os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, sys.argv[3])
if mode == "bare":
    from PySide6.QtWidgets import QApplication, QWidget
    app = QApplication([])
    w = QWidget(); w.resize(1280, 800); w.show(); app.processEvents()
    print(json.dumps({"shown": time.time() - t0}))
elif mode == "unlockdialog":
    # The real start path of `aandacht`: Qt, translations, style, the instance lock, and
    # the main window showing its unlock panel.
    from pathlib import Path
    from aandacht.app import make_application
    from aandacht.services.session import Session
    from aandacht.ui.main_window import MainWindow
    app = make_application()
    s = Session(Path(sys.argv[4])); s.claim()
    w = MainWindow(s); w.show(); app.processEvents()
    print(json.dumps({"shown": time.time() - t0}))
elif mode == "unlock":
    from aandacht.app import make_application
    from aandacht.services.session import Session
    from aandacht.ui.main_window import MainWindow
    from pathlib import Path
    app = make_application()
    s = Session(Path(sys.argv[4])); s.claim()
    w = MainWindow(s); w.show(); app.processEvents()
    # A person needs a few seconds to type a passphrase; the window uses them to import
    # page modules. 1.5 s of waiting models the fastest typist.
    end = time.perf_counter() + 1.5
    while time.perf_counter() < end:
        app.processEvents(); time.sleep(0.01)
    t = time.perf_counter()
    w.unlock_panel.passphrase.setText(sys.argv[5]); w.unlock_panel.submit(); app.processEvents()
    usable = time.perf_counter() - t
    w.show_page("casussen"); app.processEvents()
    page = w.pages["casussen"]
    t = time.perf_counter()
    if hasattr(page, "refresh"): page.refresh()
    app.processEvents()
    list_ui = time.perf_counter() - t
    t = time.perf_counter()
    w.open_case(int(sys.argv[6])); app.processEvents()
    case_ui = time.perf_counter() - t
    rss = 0
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"): rss = int(line.split()[1]) / 1024
    print(json.dumps({"usable": usable, "list_ui": list_ui, "case_ui": case_ui, "rss_mb": rss}))
    w.close()
"""


def child(mode: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", UI_CHILD, repr(time.time()), mode,
                          str(ROOT / "src"), *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def pdf_figures(vault, ids) -> dict[str, list[float]]:
    """PDF timings for the reports that exist in this build."""
    from aandacht.services import build_services

    services = build_services(vault)
    res: dict[str, list[float]] = {}
    case_id = ids[0]
    for key, value in (("gemeente_naam", "Gemeente Voorbeeld"), ("af_naam", "A. Voorbeeld"),
                       ("af_functie", "Aandachtsfunctionaris mensenhandel"),
                       ("af_contact", "af@voorbeeld.invalid")):
        services.settings.set(key, value)
    if services.handover is not None:
        hs = services.handover
        for form in ("shop", "oov"):
            inputs = hs.default_inputs(case_id, form)
            res[f"pdf_{form}"] = timed(
                lambda f=form, i=inputs: hs.prepare(case_id, f, hs.default_selection(f), i), 10)
    if services.meldcode is not None:
        res["pdf_meldcode"] = timed(lambda: services.meldcode.report_pdf(case_id, "Gemeente"), 5)
    if services.reports is not None:
        res["pdf_annual"] = timed(lambda: services.reports.annual_pdf(2025, True), 3)
    return res


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--entries", type=int, default=10, help="timeline entries per case")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    rows: list[tuple[str, str, str, str]] = []  # figure, value, reference/target, verdict
    work = Path(tempfile.mkdtemp(prefix="aandacht-bench-"))
    params, kdf_s = tune()
    t = time.perf_counter()
    enc = create_vault(work / "bench.vault", PASSPHRASE, params)
    ids = build(enc, args.cases, args.entries)
    build_s = time.perf_counter() - t
    big = ids[len(ids) // 2]
    cs = CaseService(enc)
    with enc.transaction():  # one case with 100 entries for the "open a case" figure
        for j in range(100 - args.entries):
            cs.add_entry(Entry(None, big, EntryKind.NOTITIE, dt.date(2025, 1, 1),
                               body=" ".join(WORDS)))
    open100 = timed(lambda: (cs.get_case(big), cs.timeline(big), cs.followups(big)), 20)
    enc_w = store_workload(enc, ids)
    pdfs = pdf_figures(enc, ids)
    enc.close()

    plain = create_unencrypted_for_benchmark(work / "plain.db")
    build(plain, args.cases, args.entries)
    plain_w = store_workload(plain, ids)
    plain.close()

    bare = [child("bare")["shown"] for _ in range(5)]
    dialog = [child("unlockdialog", str(work / "bench.vault"))["shown"] for _ in range(5)]
    unl = [child("unlock", str(work / "bench.vault"), PASSPHRASE, str(big)) for _ in range(3)]

    def ms(x):
        return f"{x * 1000:.0f} ms"

    s_enc = sum(median(v) for v in enc_w.values())
    s_plain = sum(median(v) for v in plain_w.values())
    ratio = s_enc / s_plain
    rows += [
        ("start → unlock dialog", ms(median(dialog)),
         f"bare PySide6 window {ms(median(bare))}; target ≤ 1.5×",
         f"{median(dialog) / median(bare):.2f}×"),
        ("unlock → usable main window", ms(median(u['usable'] for u in unl)),
         f"KDF alone {ms(kdf_s)} (log_n={params.log_n}); target ≤ KDF + 500 ms",
         "ok" if median(u['usable'] for u in unl) <= kdf_s + 0.5 else "MISSED"),
        ("case list load (store)", ms(median(enc_w["list"])), f"{args.cases} cases", ""),
        ("case list shown (UI refresh)", ms(median(u['list_ui'] for u in unl)), "", ""),
        ("full-text search p50", ms(median(enc_w["search"])), f"{len(QUERIES)} queries ×3", ""),
        ("full-text search p95", ms(p95(enc_w["search"])), "target ≤ 50 ms",
         "ok" if p95(enc_w["search"]) <= 0.05 else "MISSED"),
        ("open a case with 100 entries (store)", ms(median(open100)), "", ""),
        ("open a case with 100 entries (case view)", ms(median(u['case_ui'] for u in unl)),
         "target ≤ 100 ms", "ok" if median(u['case_ui'] for u in unl) <= 0.1 else "MISSED"),
    ]
    labels = {"pdf_shop": "SHOP sheet", "pdf_oov": "OOV sheet",
              "pdf_meldcode": "meldcode-verslag", "pdf_annual": "jaaroverzicht PDF"}
    for key, vals in pdfs.items():
        target = "target ≤ 150 ms" if key in ("pdf_shop", "pdf_oov") else ""
        verdict = ("ok" if median(vals) <= 0.15 else "MISSED") if target else ""
        rows.append((labels[key], ms(median(vals)), target, verdict))
    rows += [
        ("store workload SQLCipher ÷ SQLite", f"{ratio:.2f}",
         f"{ms(s_enc)} vs {ms(s_plain)}; target ≤ 1.25", "ok" if ratio <= 1.25 else "MISSED"),
        ("resident memory, list shown", f"{median(u['rss_mb'] for u in unl):.0f} MB",
         "target ≤ 200 MB", "ok" if median(u['rss_mb'] for u in unl) <= 200 else "MISSED"),
        ("building the vault", f"{build_s:.1f} s",
         f"{args.cases} cases, {args.cases * args.entries} entries, "
         f"{(work / 'bench.vault').stat().st_size / 2**20:.0f} MB", ""),
    ]
    meta = {"date": dt.datetime.now().isoformat(timespec="minutes"), "machine":
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"}
    if args.json:
        print(json.dumps({"meta": meta, "rows": [dict(zip(("figure", "value", "reference",
                                                            "verdict"), r)) for r in rows]},
                         ensure_ascii=False, indent=1))
    else:
        print(f"Aandacht benchmarks — {meta['date']} — {meta['machine']}")
        w = [max(len(r[i]) for r in rows) for i in range(4)]
        print(f"| {'figure':<{w[0]}} | {'value':>{w[1]}} | {'reference / target':<{w[2]}} | verdict |")
        print(f"|{'-' * (w[0] + 2)}|{'-' * (w[1] + 2)}|{'-' * (w[2] + 2)}|---------|")
        for r in rows:
            print(f"| {r[0]:<{w[0]}} | {r[1]:>{w[1]}} | {r[2]:<{w[2]}} | {r[3]:<7} |")
    import shutil

    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
