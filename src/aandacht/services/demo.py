"""Demo data for trainings and first looks: ~40 clearly fictitious cases.

Everything goes through the CaseService API, so the demo shows exactly what the app itself
can store. Labels are bird names ("Casus Zilverreiger"); every person is a "Testpersoon";
addresses, numbers and plates are marked fictief. Other features add their own demo data
(meldcode, routekaart, overdrachten) on top of these cases.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from aandacht.domain.case import (
    Case,
    Entry,
    EntryKind,
    FollowUp,
    Form,
    Minor,
    SourceType,
    Status,
    Subject,
)
from aandacht.domain.errors import ValidationError
from aandacht.services.cases import CaseService, consultation_entry

S, L = Subject.SLACHTOFFER, Subject.LOCATIE
SEK, ARB, CRI = Form.SEKSUEEL, Form.ARBEID, Form.CRIMINEEL
ORG, ONB = Form.ORGAANHANDEL, Form.ONBEKEND
JA, NEE, ONB_M = Minor.JA, Minor.NEE, Minor.ONBEKEND
COL, EXT, INW, ANO = SourceType.COLLEGA, SourceType.EXTERN, SourceType.INWONER, SourceType.ANONIEM


@dataclass(frozen=True)
class _Spec:
    bird: str
    subject: Subject
    forms: tuple[Form, ...]
    minor: Minor
    status: str  # open | doorgezet | afgesloten | review_soon | review_passed
    source: SourceType
    department: str = ""
    link_to: str = ""  # bird of the other half of one situation (victim ↔ location)


SPECS: tuple[_Spec, ...] = (
    _Spec("Zilverreiger", S, (SEK,), NEE, "open", COL, "Wijkzaken", "Bosuil"),
    _Spec("Bosuil", L, (SEK,), ONB_M, "doorgezet", COL, "Wijkzaken"),
    _Spec("Grutto", S, (ARB,), NEE, "open", EXT, "Werkplein", "Kievit"),
    _Spec("Kievit", L, (ARB,), ONB_M, "open", COL, "Bouw- en woningtoezicht"),
    _Spec("IJsvogel", S, (CRI,), JA, "open", EXT, "Leerplicht"),
    _Spec("Roodborst", S, (SEK,), JA, "doorgezet", EXT, "School (mentor)"),
    _Spec("Merel", S, (ARB,), NEE, "afgesloten", COL, "Schuldhulpverlening"),
    _Spec("Koolmees", L, (ARB,), ONB_M, "open", INW),
    _Spec("Pimpelmees", S, (CRI,), NEE, "open", COL, "Schuldhulpverlening"),
    _Spec("Winterkoning", S, (ONB,), ONB_M, "open", ANO),
    _Spec("Boomklever", L, (ONB,), ONB_M, "open", ANO),
    _Spec("Buizerd", S, (ARB, CRI), NEE, "doorgezet", EXT, "Woningcorporatie", "Torenvalk"),
    _Spec("Torenvalk", L, (ARB, CRI), ONB_M, "open", EXT, "Woningcorporatie"),
    _Spec("Sperwer", S, (SEK,), NEE, "afgesloten", COL, "Wmo-loket"),
    _Spec("Havik", L, (SEK,), ONB_M, "afgesloten", COL, "Vergunningen"),
    _Spec("Slechtvalk", S, (ORG,), ONB_M, "afgesloten", INW),
    _Spec("Kerkuil", S, (CRI,), JA, "open", EXT, "Jeugdteam", "Steenuil"),
    _Spec("Steenuil", L, (CRI,), ONB_M, "open", COL, "OOV"),
    _Spec("Ransuil", S, (SEK, CRI), JA, "open", EXT, "Jeugdteam"),
    _Spec("Aalscholver", S, (ARB,), NEE, "open", COL, "Werkplein"),
    _Spec("Lepelaar", L, (ARB,), ONB_M, "doorgezet", COL, "Handhaving"),
    _Spec("Ooievaar", S, (SEK,), NEE, "open", EXT, "GGD"),
    _Spec("Kraanvogel", S, (ARB,), NEE, "review_soon", COL, "Werkplein"),
    _Spec("Tureluur", L, (ONB,), ONB_M, "review_passed", ANO),
    _Spec("Scholekster", S, (ARB,), NEE, "afgesloten", EXT, "Vluchtelingenwerk"),
    _Spec("Wulp", S, (CRI,), JA, "doorgezet", EXT, "Leerplicht"),
    _Spec("Kluut", L, (SEK,), ONB_M, "open", COL, "Handhaving"),
    _Spec("Bergeend", S, (SEK,), NEE, "open", COL, "Wijkzaken"),
    _Spec("Fuut", S, (ONB,), NEE, "open", COL, "Burgerzaken"),
    _Spec("Dodaars", S, (ARB,), ONB_M, "open", INW),
    _Spec("Meerkoet", L, (ARB,), ONB_M, "open", COL, "Bouw- en woningtoezicht"),
    _Spec("Waterhoen", S, (CRI,), NEE, "afgesloten", COL, "Schuldhulpverlening"),
    _Spec("Kuifeend", S, (SEK,), JA, "open", EXT, "Jeugdteam"),
    _Spec("Spreeuw", L, (CRI,), ONB_M, "doorgezet", COL, "OOV"),
    _Spec("Huismus", S, (ARB,), NEE, "open", EXT, "FairWork"),
    _Spec("Gierzwaluw", S, (ONB,), ONB_M, "afgesloten", ANO),
    _Spec("Nachtegaal", S, (SEK,), NEE, "doorgezet", EXT, "Huisartsenpraktijk"),
    _Spec("Wielewaal", L, (ARB,), ONB_M, "open", COL, "Vergunningen"),
    _Spec("Goudvink", S, (ARB,), NEE, "open", COL, "Werkplein"),
    _Spec("Putter", S, (CRI,), JA, "open", EXT, "School (mentor)"),
)

# Signals per form: (facts, interpretation). Own wording after the signal lists (brief c).
SIGNALS: dict[Form, tuple[tuple[str, str], ...]] = {
    SEK: (
        ("Op drie avonden gingen mannen kort na elkaar een bovenwoning binnen en vertrokken na "
         "ongeveer twintig minuten. Steeds deed dezelfde jonge vrouw open; zij sprak geen "
         "Nederlands en keek naar een man in de gang voordat ze antwoord gaf.",
         "Mogelijk thuisprostitutie onder dwang: de vrouw lijkt niet zelf te bepalen wie "
         "binnenkomt. Het kan ook vrijwillig sekswerk zijn; er is nog geen zicht op dwang."),
        ("Advertentie op een datingsite met dezelfde foto's onder drie namen; het "
         "telefoonnummer is steeds hetzelfde. De advertenties staan dag en nacht online.",
         "Wijst op iemand die voor meerdere vrouwen adverteert en de afspraken regelt. "
         "Signaal, geen bewijs."),
        ("De leerling komt sinds een paar weken met nieuwe dure kleding en een tweede telefoon "
         "op school en wordt na school opgehaald door een oudere man in een auto. Het verzuim "
         "is verdubbeld.",
         "Past bij de loverboymethode. Bij een minderjarige is voor seksuele uitbuiting geen "
         "dwang nodig; eerder melden dan wachten."),
    ),
    ARB: (
        ("Bij een controle woonden veertien arbeidsmigranten in een eengezinswoning, met bedden "
         "in de woonkamer en in de schuur. Twee bewoners zeiden dat de huur van hun loon wordt "
         "ingehouden.",
         "Mogelijk afhankelijkheid van de werkgever via huisvesting en inhoudingen. De "
         "overbewoning is in elk geval een gemeentelijke haak."),
        ("Een man meldde zich bij het Werkplein zonder eigen paspoort; hij zegt dat 'de baas' "
         "het bewaart. Hij werkt naar eigen zeggen zes dagen per week, twaalf uur per dag.",
         "Een ingehouden identiteitsbewijs en zulke werktijden zijn samen een sterk signaal "
         "van arbeidsuitbuiting."),
        ("Een busje haalt om 05.00 uur een groep mannen op bij een bedrijfspand en brengt hen "
         "rond 22.00 uur terug. 's Nachts brandt er licht in het pand.",
         "Mogelijk wonen werknemers op het bedrijfsterrein; te toetsen door OOV "
         "(bestemmingsplan, huisvesting)."),
    ),
    CRI: (
        ("De jongere wordt volgens de mentor vaak gebeld tijdens de les en vertrekt dan. Hij "
         "noemde een 'schuld' die hij moet afbetalen.",
         "Een straatschuld kan een middel zijn om hem drugs te laten vervoeren; niet bevestigd."),
        ("Op het rekeningafschrift van een inwoner komen grote bedragen binnen die direct "
         "contant worden opgenomen. De inwoner zegt dat 'een vriend' de pas gebruikt.",
         "Mogelijk geldezel onder druk. Eigen strafbare betrokkenheid is ook mogelijk: "
         "behoedzaam vastleggen."),
        ("De woningcorporatie trof in de woning van een kwetsbare huurder een hennepkwekerij "
         "aan. De huurder zegt dat hij 'moest meewerken'.",
         "Mogelijk criminele uitbuiting van een huurder met een lichte verstandelijke beperking."),
    ),
    ORG: (
        ("Een inwoner vertelt aan de balie dat een kennis in het buitenland 'een nier heeft "
         "moeten verkopen' om een schuld af te lossen.",
         "Van horen zeggen; geen aanwijzing voor een situatie in de gemeente. Politie om advies "
         "vragen."),
    ),
    ONB: (
        ("Anonieme melding via het algemene nummer: in het pand boven de winkel wonen veel "
         "mensen die nooit buiten komen.",
         "Nog onduidelijk of en welke vorm van uitbuiting; eerst verifiëren via Wijkzaken en "
         "OOV."),
        ("Een collega van Burgerzaken zag dat op één adres in korte tijd negen personen werden "
         "ingeschreven, steeds met dezelfde contactpersoon aan de balie.",
         "Kan op huisjesmelkerij of uitbuiting wijzen, maar ook op een legale "
         "huisvestingsconstructie."),
    ),
}

# Each option says where it fits: "minor" / "adult" (victim cases) or "location"; an
# option may also name the forms it fits. The demo never lets an OOV step appear in a victim
# case, nor a "jongere" in an adult's case.
CONSULTATIONS = (
    ({"minor"}, (), ("Veilig Thuis", True, "De signalen zijn zorgelijk. Eerst een gesprek met "
     "de jongere voeren en daarna opnieuw overleggen; bij acuut gevaar direct melden.", "")),
    ({"minor"}, (), ("SHOP Jeugd", True, "Past bij uitbuiting van een minderjarige. Samen met "
     "Veilig Thuis optrekken; SHOP Jeugd denkt mee over opvang.", "")),
    ({"adult"}, (), ("SHOP zorgcoördinator", True, "De situatie past bij uitbuiting. SHOP kan "
     "begeleiding en opvang regelen als de persoon hulp wil.",
     "Nummer van SHOP meegeven in het gesprek.")),
    ({"adult"}, (), ("CoMensha helpdesk", True, "Voor aanmelding is schriftelijke toestemming "
     "van de persoon nodig. Eerst het gesprek aangaan.", "")),
    ({"location"}, (), ("Collega (OOV)", False, "Het pand staat al op de lijst voor een "
     "integrale controle; het signaal gaat mee naar het signaleringsoverleg ondermijning.",
     "OOV koppelt terug na het overleg.")),
    ({"adult", "location"}, (ARB,), ("Nederlandse Arbeidsinspectie", True, "Het signaal kan "
     "anoniem via het meldpunt; werkgever, adres en werktijden zo feitelijk mogelijk noteren.",
     "")),
    ({"minor", "adult", "location"}, (), ("Functionaris gegevensbescherming (FG)", False,
     "Voor OOV alleen locatiegegevens delen; slachtoffergegevens blijven in de "
     "slachtoffercasus.", "")),
)

CONVERSATIONS = (
    ({"adult"}, (ARB,), ("Betrokkene met tolk",
     "Gesprek op het Werkplein met een tolk van het tolkencentrum (niet uit de eigen kring). "
     "Hij betaalt € 450 per maand voor een bed en zijn paspoort ligt bij de werkgever.",
     "Hij lijkt bang zijn werk te verliezen. Wil nu geen aangifte, wel hulp bij huisvesting.")),
    ({"minor"}, (), ("Betrokkene",
     "Kort gesprek na schooltijd. De jongere zegt dat een oudere 'vriend' voor alles zorgt en "
     "dat er geen hulp nodig is, en kijkt tijdens het gesprek vaak op de telefoon.",
     "Ontkenning past bij afhankelijkheid van de 'vriend'; contact warm houden.")),
    ({"adult"}, (SEK, CRI, ONB, ORG), ("Betrokkene",
     "Gesprek op het Wmo-loket. De persoon vertelt een schuld te hebben bij 'een kennis' en "
     "daarom 'klussen' te doen; wil niet zeggen welke.",
     "Mogelijk een schuld als drukmiddel; geen zicht op de aard van de 'klussen'.")),
    ({"minor", "adult"}, (), ("Melder",
     "Terugbelgesprek met de melder: nieuwe waarneming op zaterdagavond, zelfde patroon.",
     "Het patroon houdt aan; dat weegt zwaarder dan één waarneming.")),
)

DECISIONS = (
    ({"adult"}, (), ("Signaal doorzetten naar SHOP", "De persoon wil hulp en stemt in met "
     "contact met SHOP. Besproken met de teamleider.")),
    ({"minor", "adult", "location"}, (), ("Geen melding; monitoren", "Op dit moment "
     "onvoldoende zicht op dwang. Over vier weken opnieuw bekijken met de melder.")),
    ({"minor"}, (), ("Melden bij Veilig Thuis", "Minderjarige; de signalen van uitbuiting zijn "
     "voldoende voor een melding. De jongere is vooraf ingelicht.")),
    ({"location"}, (), ("Signaal overdragen aan OOV", "Alleen locatiegegevens, zonder "
     "slachtoffergegevens, voor weging in het signaleringsoverleg ondermijning.")),
)

NOTES = (
    "Terugbelverzoek van de melder ontvangen; nieuwe waarneming volgt.",
    "Dossier van de woningcorporatie niet opgevraagd: niet nodig voor het doel.",
    "Overleg met de teamleider: eerst verifiëren, nog niets delen.",
    "Melder weet dat de gemeente het signaal oppakt; verder geen terugkoppeling over inhoud.",
)

FOLLOWUPS = (
    "SHOP nabellen over een opvangplek",
    "Terugkoppeling aan de melder",
    "Opnieuw wegen met Veilig Thuis",
    "Nagaan of OOV het signaal heeft besproken",
    "Tolk regelen voor het vervolggesprek",
    "Navragen bij Leerplicht hoe het met het verzuim gaat",
    "Controle van het pand afstemmen met Handhaving",
)

PERSONS = (
    "Testpersoon Aïcha Voorbeeld",
    "Testpersoon Jan Fictief",
    "Testpersoon Marek Proefmans",
    "Testpersoon Ilona Demo",
    "Testpersoon Samir Nepnaam",
    "Testpersoon Lotte Verzonnen",
    "Testpersoon Bogdan Oefening",
    "Testpersoon Noor Bedacht",
)
STREETS = ("Voorbeeldstraat", "Proefweg", "Demolaan", "Oefenkade", "Testsingel")
LANGUAGES = ("Pools", "Bulgaars", "Roemeens", "Engels", "Tigrinya", "Nederlands")
SECTORS = {SEK: "thuisprostitutie", ARB: "land- en tuinbouw / uitzendwerk",
           CRI: "drugshandel", ORG: "onbekend", ONB: "onbekend"}

# Overdue, due soon and later: the Overzicht must show all three kinds.
FOLLOWUP_OFFSETS = (-9, -3, -1, 0, 2, 5, 12, 25, 40, -20, 6, 18)


def fill_demo(services, today: dt.date | None = None, rng_seed: int = 7) -> list[Case]:
    """Fill an empty vault with fictitious cases; returns the cases as created.

    `today` anchors every date (default: the case service's own today). Refuses a vault that
    already holds cases, so demo data never mixes with real cases.
    """
    cs: CaseService = (services.cases if today is None
                       else CaseService(services.vault, today=lambda: today))
    today = cs.today()
    if cs.labels():
        raise ValidationError("Demogegevens worden alleen in een lege kluis gezet; deze kluis "
                              "bevat al casussen.")
    rng = random.Random(rng_seed)
    created: dict[str, Case] = {}
    fu_offsets = iter(FOLLOWUP_OFFSETS)

    for n, spec in enumerate(SPECS):
        opened, closed = _dates(spec, rng, today)
        case = Case(
            None, f"Casus {spec.bird}", opened, subject=spec.subject,
            forms=frozenset(spec.forms), minor=spec.minor, source_type=spec.source,
            source_department=spec.department,
            details=_details(spec, rng, today, n),
        )
        case = cs.create_case(case)
        created[spec.bird] = case
        end = closed or today
        _timeline(cs, case, spec, rng, opened, end, n)

        if spec.status in ("open", "doorgezet") and n % 3 != 2:
            offset = next(fu_offsets, None)
            if offset is not None:
                cs.add_followup(FollowUp(None, case.id, today + dt.timedelta(days=offset),
                                         FOLLOWUPS[n % len(FOLLOWUPS)]))
        if n % 4 == 0 and (end - opened).days >= 6:
            # A follow-up that was done: it shows as a timeline line with its note.
            due = opened + dt.timedelta(days=(end - opened).days // 2)
            fu = cs.add_followup(FollowUp(None, case.id, due, FOLLOWUPS[(n + 3) % len(FOLLOWUPS)]))
            cs.complete_followup(fu.id, "Gedaan; afspraak staat.", due)

        if spec.status == "doorgezet":
            # Forwarded some days after opening, not all "today": the service dates the
            # status line with its own clock, so give it that day's clock.
            when = min(opened + dt.timedelta(days=rng.randint(2, 30)), today)
            CaseService(cs.vault, today=lambda when=when: when).set_status(
                case.id, Status.DOORGEZET)
        elif closed is not None:
            reason = _close_reason(spec)
            delete_after = None
            if spec.status == "review_soon":
                delete_after = today + dt.timedelta(days=12)
            elif spec.status == "review_passed":
                delete_after = today - dt.timedelta(days=4)
            created[spec.bird] = cs.close_case(case.id, reason, closed, delete_after=delete_after)

    for spec in SPECS:
        if spec.link_to:
            case = cs.get_case(created[spec.bird].id)
            case.linked_case_id = created[spec.link_to].id
            created[spec.bird] = cs.update_case(case)
            # The store links both ways on insert only; set the other half explicitly.
            other = cs.get_case(created[spec.link_to].id)
            other.linked_case_id = case.id
            created[spec.link_to] = cs.update_case(other)

    _corrections(cs, created)
    return [cs.get_case(c.id) for c in created.values()]


def _dates(spec: _Spec, rng: random.Random, today: dt.date) -> tuple[dt.date, dt.date | None]:
    if spec.status == "review_soon":
        # Closed 'zonder actie' about a year ago: its deletion date is near.
        closed = today - dt.timedelta(days=353)
        return closed - dt.timedelta(days=rng.randint(30, 60)), closed
    if spec.status == "review_passed":
        closed = today - dt.timedelta(days=369)
        return closed - dt.timedelta(days=rng.randint(20, 40)), closed
    if spec.status == "afgesloten":
        opened = today - dt.timedelta(days=rng.randint(90, 300))
        return opened, opened + dt.timedelta(days=rng.randint(20, 60))
    return today - dt.timedelta(days=rng.randint(3, 240)), None


def _close_reason(spec: _Spec) -> str:
    if spec.status in ("review_soon", "review_passed"):
        return "zonder_actie"
    if ORG in spec.forms or ONB in spec.forms:
        return "geen_vermoeden"
    return "doorverwezen" if spec.subject == S else "hulp_afgerond"


def _details(spec: _Spec, rng: random.Random, today: dt.date, n: int) -> dict[str, str]:
    form = spec.forms[0]
    d: dict[str, str] = {"situatie.sector": SECTORS[form]}
    if spec.subject == S:
        d["situatie.acuut_gevaar"] = "nee"
        d["situatie.hulpwens"] = rng.choice(("ja", "nee", "onbekend"))
        d["situatie.persoon_geinformeerd"] = rng.choice(("ja", "nee"))
        d["situatie.behoeften"] = rng.choice(("opvang, psychosociaal", "juridisch, inkomen",
                                              "medisch, opvang"))
        if n % 2 == 0:  # not every victim case has person data: only what is needed
            age = rng.randint(14, 16) if spec.minor == JA else rng.randint(19, 52)
            born = today.replace(year=today.year - age, day=min(today.day, 28)) - dt.timedelta(
                days=rng.randint(1, 300))
            d["persoon.naam"] = PERSONS[n % len(PERSONS)]
            d["persoon.geboortedatum"] = born.isoformat()
            d["persoon.taal_tolk"] = "Nederlands" if spec.minor == JA else rng.choice(LANGUAGES)
            d["persoon.telefoon"] = "06-00000000 (fictief)"
            if form == ARB:
                d["persoon.verblijfsstatus"] = "EU-burger"
                d["persoon.gezondheid"] = "Rugklachten door zwaar werk; geen huisarts."
        if spec.minor == JA:
            d["situatie.urgentie"] = "hoog"
    else:
        street = STREETS[n % len(STREETS)]
        d["object.adres"] = f"{street} {rng.randint(1, 140)}, Demodorp (fictief)"
        d["object.type_pand"] = rng.choice(("eengezinswoning", "bedrijfspand",
                                            "bovenwoning boven winkel", "vakantiepark"))
        if ARB in spec.forms:
            d["object.bedrijfsnaam"] = f"Uitzendbureau {spec.bird} B.V. (fictief)"
            d["object.kvk"] = "00000000 (fictief)"
            d["object.aantal_slachtoffers"] = str(rng.randint(4, 16))
            d["object.kenteken"] = "XX-000-X (fictief)"
        if SEK in spec.forms:
            d["object.advertentie"] = "https://voorbeeld.invalid/advertentie (fictief)"
        d["situatie.gemeentelijke_haken"] = rng.choice(
            ("huisvesting / overbewoning, BRP-inschrijvingen", "APV, exploitatievergunning",
             "Bibob bij vergunningaanvraag"))
        d["situatie.betrouwbaarheid_bron"] = rng.choice(("eigen waarneming collega",
                                                         "van horen zeggen"))
    return d


def _timeline(cs: CaseService, case: Case, spec: _Spec, rng: random.Random, opened: dt.date,
              end: dt.date, n: int) -> None:
    form = spec.forms[0]
    facts, interp = rng.choice(SIGNALS[form])
    source = "eigen_waarneming" if spec.source == COL else "van_horen_zeggen"
    cs.add_entry(Entry(None, case.id, EntryKind.SIGNAAL, opened, title="Eerste signaal",
                       facts=facts, interpretation=interp, data={"source": source}))
    span = max((end - opened).days, 1)
    # The first case is the one a training opens first: give it a fuller timeline.
    wanted = 6 if n == 0 else rng.randint(1, 4)
    steps = sorted(rng.sample(range(1, span + 1), k=min(span, wanted)))
    kinds = [EntryKind.CONSULTATIE, EntryKind.NOTITIE, EntryKind.BESLUIT]
    if spec.subject == S:
        kinds.insert(1, EntryKind.GESPREK)
    for i, day in enumerate(steps):
        when = opened + dt.timedelta(days=day)
        kind = kinds[(n + i) % len(kinds)]
        if kind == EntryKind.CONSULTATIE:
            with_whom, anon, advice, agreements = _pick(CONSULTATIONS, spec, n + i)
            cs.add_entry(consultation_entry(case.id, when, with_whom, anon, advice, agreements))
        elif kind == EntryKind.GESPREK:
            with_whom, f, interp2 = _pick(CONVERSATIONS, spec, n + i)
            cs.add_entry(Entry(None, case.id, EntryKind.GESPREK, when,
                               title=f"Gesprek met {with_whom.lower()}", facts=f,
                               interpretation=interp2, data={"with": with_whom}))
        elif kind == EntryKind.BESLUIT:
            title, body = _pick(DECISIONS, spec, n + i)
            cs.add_entry(Entry(None, case.id, EntryKind.BESLUIT, when, title=title, body=body))
        else:
            cs.add_entry(Entry(None, case.id, EntryKind.NOTITIE, when,
                               body=NOTES[(n + i) % len(NOTES)]))


def _pick(options, spec: _Spec, i: int):
    context = "location" if spec.subject == L else ("minor" if spec.minor == JA else "adult")
    fitting = [value for fits, forms, value in options
               if context in fits and (not forms or set(forms) & set(spec.forms))]
    return fitting[i % len(fitting)]


def _corrections(cs: CaseService, created: dict[str, Case]) -> None:
    """Two corrected lines, so the demo shows 'gecorrigeerd' and its earlier versions."""
    first = created["Zilverreiger"]
    signal = next(e for e in cs.timeline(first.id) if e.kind == EntryKind.SIGNAAL)
    cs.correct_entry(signal.id, title="Eerste signaal (waarneming Wijkzaken)")
    cs.correct_entry(signal.id, facts=signal.facts + "\nCorrectie: de waarneming is gedaan door "
                     "twee collega's samen, niet door één.")
    second = created["Grutto"]
    entry = next(e for e in cs.timeline(second.id) if e.kind == EntryKind.SIGNAAL)
    cs.correct_entry(entry.id, interpretation=entry.interpretation
                     + " Correctie: de melder is een externe professional, geen collega.")
