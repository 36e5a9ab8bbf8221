"""Time one SHOP and one OOV handover sheet build (selection → values → PDF bytes).

Run: PYTHONPATH=src python benchmarks/bench_handover.py [--runs 20]
Target (docs/architecture): one handover PDF ≤ 150 ms. Fictitious data only; nothing is
written to disk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

from aandacht.domain.case import Case, Form, Minor, SourceType
from aandacht.domain.handover import (
    Ground,
    Sender,
    allowed_fields,
    assemble_sheet,
    load_forms,
    new_sheet_number,
    select_fields,
)
from aandacht.reports.handover_pdf import build_handover_pdf

TARGET_MS = 150.0

CASE = Case(
    1, "Casus Zilverreiger", dt.date(2025, 3, 4), forms=frozenset({Form.SEKSUEEL, Form.ARBEID}),
    minor=Minor.NEE, source_type=SourceType.EXTERN, source_department="Wijkteam",
    details={
        "persoon.naam": "Testpersoon Aïcha Voorbeeld", "persoon.telefoon": "06-00000000",
        "persoon.verblijfplaats": "Opvangadres Voorbeeldstraat 1",
        "persoon.gezondheid": "Verwondingen aan de arm", "persoon.taal_tolk": "Roemeens",
        "situatie.sector": "Thuisprostitutie", "situatie.acuut_gevaar": "nee",
        "situatie.hulpwens": "ja", "situatie.behoeften": "Opvang, medisch, juridisch",
        "situatie.gevraagde_actie": "Gezamenlijk gesprek met SHOP binnen een week.",
        "situatie.urgentie": "Binnen een week", "object.adres": "Voorbeeldweg 12",
        "object.bedrijfsnaam": "Voorbeeld Wellness BV", "object.aantal_slachtoffers": "3",
        "object.verdachte_naam": "Verdachte Voorbeeld",
        "situatie.gemeentelijke_haken": "APV-exploitatievergunning ontbreekt",
    })
SENDER = Sender("Testpersoon Marloes Voorbeeld", "Aandachtsfunctionaris mensenhandel",
                "06-12345678")
NOW = dt.datetime(2025, 11, 20, 10, 0)
GROUNDS = {
    "shop": [Ground("vitaal_belang", "shop", "Testpersoon Marloes Voorbeeld",
                    "Persoon is verward en heeft vandaag opvang nodig.", NOW,
                    {"incapacity": "Verward", "urgent_need": "Opvang",
                     "no_lighter_route": "Geen tijd"})],
    "oov": [Ground("privacytoets_ondermijning", "oov", "Testpersoon Marloes Voorbeeld",
                   "Bibob-toets vraagt de identiteit van de exploitant.", NOW,
                   {"task": "Bibob", "necessity": "Zonder identiteit geen toets."})],
}
INPUTS = {
    "shop": {"request_type": "zorgcoordinatie", "signalen": "ALG-03 Geen eigen papieren",
             "laatste_signaal": "2025-11-14"},
    "oov": {"request_type": "weging", "signalen": "Busjes op vreemde tijden",
            "waarnemingen": "14-11-2025: zes personen om 02:00 opgehaald."},
}


def build_once(forms, form_id: str) -> int:
    form = forms[form_id]
    grounds = GROUNDS[form_id]
    selection = select_fields(form, grounds, allowed_fields(form, grounds))
    sheet = assemble_sheet(form, CASE, selection, INPUTS[form_id],
                           number=new_sheet_number(form), created_on=NOW.date(),
                           gemeente="Midden-Delfland", sender=SENDER)
    return len(build_handover_pdf(sheet))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    forms = load_forms()
    build_once(forms, "shop")  # warm up: fonts registered, content parsed
    print(f"{'blad':<6}{'mediaan ms':>12}{'min ms':>10}{'max ms':>10}{'bytes':>10}  doel")
    for form_id in ("shop", "oov"):
        times, size = [], 0
        for _ in range(args.runs):
            t0 = time.perf_counter()
            size = build_once(forms, form_id)
            times.append((time.perf_counter() - t0) * 1000)
        med = statistics.median(times)
        verdict = "ok" if med <= TARGET_MS else "TE TRAAG"
        print(f"{form_id.upper():<6}{med:>12.1f}{min(times):>10.1f}{max(times):>10.1f}"
              f"{size:>10}  ≤ {TARGET_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
