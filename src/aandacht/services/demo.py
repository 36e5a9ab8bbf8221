"""Demo data for trainings and first looks: ~40 clearly fictitious cases.

Everything goes through the CaseService API, so the demo shows exactly what the app itself
can store. Labels are bird names ("Casus Zilverreiger"); every person is a "Testpersoon";
addresses, numbers and plates are marked fictief. On top of the cases, the demo walks the
other features through their own services, so every screen has something to show: meldcode
walks in different states, recorded routekaart walks, grounds, handover sheets in the
verstrekkingenlog and a few confirmed numbers on the sociale kaart.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

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
from aandacht.domain.handover import SHEET_ALPHABET
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

# Where each signal above fits (same order): "minor" / "adult" (victim cases) or "location".
# The draw stays as it was (so every other case keeps its data); a drawn signal that does not
# fit the case is swapped for one that does, so no "leerling" turns up in an adult's case.
SIGNAL_FITS: dict[Form, tuple[frozenset[str], ...]] = {
    SEK: (frozenset({"adult", "location"}), frozenset({"adult", "location"}),
          frozenset({"minor"})),
    ARB: (frozenset({"adult", "location"}), frozenset({"adult"}), frozenset({"location"})),
    CRI: (frozenset({"minor"}), frozenset({"adult"}), frozenset({"adult", "location"})),
    ORG: (frozenset({"minor", "adult", "location"}),),
    ONB: (frozenset({"location"}), frozenset({"adult", "location"})),
}

# The first signal of the cases whose story the feature demo tells further (meldcode,
# routekaart, overdracht): the later steps refer to it.
STORY_SIGNALS: dict[str, tuple[str, str]] = {
    "Zilverreiger": SIGNALS[SEK][0],
    "Ransuil": SIGNALS[SEK][2],
    "Roodborst": (
        ("Een jongerenwerker zag op twee zaterdagen dat een meisje van vijftien bij een hotel "
         "werd afgezet door een man van rond de dertig. Zij vertelde hem dat ze daar 'vrienden "
         "van haar vriend' moet ontmoeten."),
        ("Sterke aanwijzing voor seksuele uitbuiting van een minderjarige; dwang hoeft niet te "
         "worden aangetoond. Direct wegen met Veilig Thuis.")),
    "Nachtegaal": (
        ("De huisartsenpraktijk meldt dat een vrouw steeds komt met een man die voor haar "
         "spreekt en haar telefoon vasthoudt. Zij kwam drie keer voor een soa-test en zei dat "
         "ze 'moet blijven werken'."),
        ("Mogelijk seksuele uitbuiting met toezicht door een begeleider. Contact met de vrouw "
         "alleen als dat veilig kan.")),
    "Gierzwaluw": SIGNALS[ONB][1],
    "Grutto": SIGNALS[ARB][1],
    "Huismus": (
        ("FairWork belde: een uitzendkracht is na een val in een kas verward en spreekt alleen "
         "Bulgaars. De werkgever wil hem 'terug naar huis sturen'; hij woont in een woning van "
         "het uitzendbureau."),
        ("Mogelijk arbeidsuitbuiting; de persoon lijkt nu niet in staat zelf te beslissen en "
         "heeft dringend zorg nodig.")),
    "Ooievaar": (
        ("Een GGD-verpleegkundige zag bij een soa-consult blauwe plekken op de armen van een "
         "vrouw. Zij zei dat ze 'vanavond weer moet werken' en dat 'hij' buiten in de auto "
         "wacht."),
        ("Mogelijk seksuele uitbuiting met geweld; acuut gevaar is niet uit te sluiten.")),
    "Pimpelmees": SIGNALS[CRI][2],
    "Kievit": SIGNALS[ARB][0],
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


def fill_demo(services, today: dt.date | None = None, rng_seed: int = 7,
              handover_dir: Path | None = None) -> list[Case]:
    """Fill an empty vault with fictitious cases and feature data; returns the cases.

    `today` anchors every date (default: the case service's own today). Refuses a vault that
    already holds cases, so demo data never mixes with real cases. Handover sheets are real
    PDF files, saved in `handover_dir` (created if needed); without it the demo makes no
    handovers. They need the sender settings (af_naam, af_functie, af_contact,
    gemeente_naam), as every handover does.
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
    _feature_demo(services, cs, {bird: c.id for bird, c in created.items()}, rng_seed,
                  handover_dir)
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
    if spec.bird in STORY_SIGNALS:
        facts, interp = STORY_SIGNALS[spec.bird]
    else:
        facts, interp = _fitting_signal(form, (facts, interp), spec, n)
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


def _context(spec: _Spec) -> str:
    return "location" if spec.subject == L else ("minor" if spec.minor == JA else "adult")


def _fitting_signal(form: Form, drawn: tuple[str, str], spec: _Spec, n: int) -> tuple[str, str]:
    options = SIGNALS[form]
    fits = SIGNAL_FITS[form]
    context = _context(spec)
    if context in fits[options.index(drawn)]:
        return drawn
    fitting = [s for s, f in zip(options, fits) if context in f]
    return fitting[n % len(fitting)] if fitting else drawn


def _pick(options, spec: _Spec, i: int):
    context = _context(spec)
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


# ======================================================================================
# Feature demo: meldcode, routekaart, grounds, overdrachten, sociale kaart
# ======================================================================================
# Every step goes through the feature's own service, so the demo shows exactly what the app
# stores when an AF does the same. The cases are chosen by their story (bird name); each
# action is dated on a day of that case's story, relative to `today`.

ADULT_WANTS_HELP = ("nee", "slachtoffer", "nee", "nee", "wil_hulp", "wel_verblijf")

# (bird, answers per question): the routekaart walks recorded in cases.
ROUTE_WALKS: tuple[tuple[str, tuple], ...] = (
    ("Grutto", ADULT_WANTS_HELP + (("arbeid",),)),                            # → SHOP
    ("Kievit", ("nee", "locatie")),                                             # → OOV
    ("Steenuil", ("nee", "locatie")),
    ("Bosuil", ("nee", "locatie")),
    ("Roodborst", ("nee", "slachtoffer", "ja", "nee", ("seksueel",))),          # → Veilig Thuis
    ("Ooievaar", ("ja",) + ADULT_WANTS_HELP[1:] + (("seksueel",),)),          # → 112, SHOP
    ("Pimpelmees", ("nee", "slachtoffer", "nee", "nee", "wil_geen_hulp",
                    ("crimineel",))),                                           # 4b: anoniem
    ("Huismus", ("nee", "slachtoffer", "nee", "nee", "kan_niet_beslissen",
                 ("arbeid",))),                                                 # 4c: vitaal
)

# Case details that the stories below rely on (the route answers and the handover sheets).
STORY_DETAILS: dict[str, dict[str, str]] = {
    "Grutto": {"situatie.hulpwens": "ja", "situatie.persoon_geinformeerd": "ja",
               "situatie.zelf_contact_shop": "nee",
               "persoon.contacttijden": "Werkdagen na 19.00 uur (fictief)"},
    "Ooievaar": {"situatie.acuut_gevaar": "ja", "situatie.112_gebeld": "ja",
                 "situatie.hulpwens": "ja"},
    "Pimpelmees": {"situatie.hulpwens": "nee", "situatie.persoon_geinformeerd": "ja",
                   "situatie.gevraagde_actie": "Anoniem meedenken: welke hulp past als hij "
                                               "later wel hulp wil?",
                   "situatie.urgentie": "normaal"},
    "Huismus": {"persoon.taal_tolk": "Bulgaars",
                "situatie.hulpwens": "onbekend", "situatie.persoon_geinformeerd": "nee",
                "situatie.urgentie": "hoog (vandaag)",
                "situatie.gevraagde_actie": "Vandaag opvang en medische zorg regelen; "
                                            "contact via de aandachtsfunctionaris.",
                "situatie.betrokken_partners": "FairWork, huisarts",
                "situatie.politie_geinformeerd": "nee", "situatie.zorg_geregeld": "nee",
                "situatie.behoeften": "medisch, opvang",
                "persoon.verblijfplaats": "Tijdelijk bij een kennis, Demolaan 3, Demodorp "
                                          "(fictief)",
                "persoon.gezondheid": "Hoofdletsel na een val op het werk; verward en niet "
                                      "goed aanspreekbaar."},
}

# What the vitaal belang lets SHOP have for Casus Huismus (the screenshot ticks the same).
VITAL_FIELDS = ("naam", "telefoon", "verblijfplaats", "gezondheid")

SKIP_REASON = ("De man beheert haar telefoon en is bij elk contact aanwezig. Een gesprek kan "
               "hem waarschuwen en haar in gevaar brengen.")


class _Clock:
    """The clock of the demo's feature services: set to the day of each step in a story."""

    def __init__(self, day: dt.date):
        self.day = day
        self.time = dt.time(10, 0)

    def at(self, day: dt.date, hour: int = 10, minute: int = 0) -> _Clock:
        self.day, self.time = day, dt.time(hour, minute)
        return self

    def today(self) -> dt.date:
        return self.day

    def now(self) -> dt.datetime:
        return dt.datetime.combine(self.day, self.time)


class _Kit:
    """The real feature services, all on one movable clock."""

    def __init__(self, services, cs: CaseService):
        from aandacht.services.handover import HandoverService
        from aandacht.services.meldcode import MeldcodeService
        from aandacht.services.routekaart import RoutekaartService

        self.today = cs.today()
        self.settings = services.settings
        self.clock = _Clock(self.today)
        self.cases = CaseService(cs.vault, today=self.clock.today)
        base = services.meldcode
        self.meldcode = MeldcodeService(self.cases, content=getattr(base, "content", None),
                                        signalen=getattr(base, "signalen", None),
                                        now=self.clock.now)
        self.routes = RoutekaartService(self.cases, services.settings)
        forms = services.handover.forms if services.handover is not None else None
        self.handover = HandoverService(
            cs.vault, self.cases, services.settings, forms=forms, now=self.clock.now,
            gemeente_setting=lambda name: self.routes.setting_values().get(name))
        self.af = str(services.settings.get("af_naam", "") or "").strip() or \
            "de aandachtsfunctionaris"

    def record(self, case_id: int, day: dt.date, step: str, values: dict) -> None:
        self.clock.at(day, 10)
        self.meldcode.complete_step(case_id, step, values)

    def skip(self, case_id: int, day: dt.date, step: str, reason: str) -> None:
        self.clock.at(day, 10)
        self.meldcode.skip_step(case_id, step, reason)

    def draft(self, case_id: int, day: dt.date, step: str, values: dict) -> None:
        self.clock.at(day, 16, 30)
        self.meldcode.go_to(case_id, step)
        self.meldcode.save_draft(case_id, step, values)


def _feature_demo(services, cs: CaseService, ids: dict[str, int], rng_seed: int,
                  handover_dir: Path | None) -> None:
    kit = _Kit(services, cs)
    # The consent route to SHOP is a gemeente setting the FG must confirm (brief f.3); the
    # demo switches it on so a training can show the consent ground and its route card.
    kit.routes.set_settings({"shop_toestemming_route": True})
    for bird, changes in STORY_DETAILS.items():
        case = cs.get_case(ids[bird])
        case.details = {**case.details, **changes}
        cs.update_case(case)
    cases = {bird: cs.get_case(case_id) for bird, case_id in ids.items()}
    route_days = _route_walks(kit, cases)
    _meldcode_walks(kit, cases, route_days)
    _grounds_and_handovers(kit, cases, route_days, rng_seed, handover_dir)
    _sociale_kaart(services)


def _days(start: dt.date, end: dt.date, n: int) -> list[dt.date]:
    """`n` days from the day after `start` up to `end`, spread evenly (never before start)."""
    end = max(end, start)
    span = (end - start).days
    if n == 1:
        return [end]
    return [start + dt.timedelta(days=min(span, max(1, round(span * i / (n - 1)))))
            for i in range(n)]


def _part_way(start: dt.date, end: dt.date, part: float) -> dt.date:
    """The day `part` of the way from `start` to `end` (at least the day after start)."""
    span = (max(end, start) - start).days
    return start + dt.timedelta(days=min(span, max(1, round(span * part))))


def _story_end(kit: _Kit, case: Case) -> dt.date:
    """The last day the story of a case can use: closed, forwarded, or yesterday."""
    if case.closed_on is not None:
        return case.closed_on
    forwarded = [e.occurred_on for e in kit.cases.timeline(case.id)
                 if e.kind == EntryKind.STATUS and e.data.get("status") == Status.DOORGEZET]
    if forwarded:
        return max(forwarded)
    return kit.today - dt.timedelta(days=1)


# --- routekaart -----------------------------------------------------------------------


def _route_walks(kit: _Kit, cases: dict[str, Case]) -> dict[str, dt.date]:
    """Walk and record each route; returns the day each was recorded."""
    days: dict[str, dt.date] = {}
    for bird, answers in ROUTE_WALKS:
        case = cases[bird]
        # Acute danger is walked the day the signal came in; the others a little later.
        day = case.opened_on if answers[0] == "ja" else _part_way(
            case.opened_on, _story_end(kit, case), 0.25)
        walk = kit.routes.new_walk()
        for answer in answers:
            walk.answer(answer)
        kit.clock.at(day, 11)
        kit.routes.record(case.id, walk, occurred_on=day)
        days[bird] = day
    return days


# --- meldcode -------------------------------------------------------------------------


def _meldcode_walks(kit: _Kit, cases: dict[str, Case], route_days: dict[str, dt.date]) -> None:
    _meldcode_agreements(kit, cases["Zilverreiger"])
    _meldcode_melden_vereist(kit, cases["Ransuil"])
    _meldcode_gemeld(kit, cases["Roodborst"], route_days["Roodborst"])
    _meldcode_skipped_talk(kit, cases["Nachtegaal"])
    _meldcode_geen_vermoeden(kit, cases["Gierzwaluw"])


def _obs(kind: str, text: str, third: str = "") -> dict[str, str]:
    row = {"soort": kind, "tekst": text, "bron": "derde" if third else "eigen"}
    if third:
        row["derde"] = third
    return row


def _answer(answer: str, reasoning: str, criteria: tuple[str, ...] = ()) -> dict:
    return {"answer": answer, "reasoning": reasoning, "criteria": list(criteria)}


def _meldcode_agreements(kit: _Kit, case: Case) -> None:
    """Steps 1 and 2 recorded; the agreements of step 2 became follow-ups. Now at step 3."""
    d1, d2 = _days(case.opened_on, kit.today - dt.timedelta(days=3), 2)
    kit.record(case.id, d1, "signalen", {
        "rol": "eigen", "datum": case.opened_on.isoformat(), "tijd": "tussen 21.00 en 23.00 uur",
        "waarnemer": "Twee collega's van Wijkzaken",
        "signalen": ["SEK-03", "SEK-05", "ALG-01"],
        "waarnemingen": [
            _obs("feit", "Op drie avonden gingen mannen kort na elkaar de bovenwoning binnen en "
                         "vertrokken na ongeveer twintig minuten.", "Wijkzaken"),
            _obs("feit", "Steeds deed dezelfde jonge vrouw open. Zij keek naar een man in de "
                         "gang voordat ze antwoord gaf.", "Wijkzaken"),
            _obs("interpretatie", "Mogelijk thuisprostitutie onder dwang; het kan ook "
                                  "vrijwillig sekswerk zijn."),
        ],
        "contra": "Bij het tweede bezoek had de vrouw zelf een sleutel van de woning.",
        "kwetsbaar": ["KWB-05"], "minderjarig": "nee", "kinderen": "onbekend",
    })
    kit.record(case.id, d2, "consultatie", {
        "consultaties": [
            {"datum": d2.isoformat(), "met": "veilig_thuis", "functie": "Adviesgesprek",
             "anoniem": True,
             "advies": "Zorgelijke signalen. Eerst een gesprek met de vrouw, alleen en met een "
                       "onafhankelijke tolk; daarna opnieuw wegen."},
            {"datum": d2.isoformat(), "met": "zorgcoordinator", "functie": "SHOP",
             "anoniem": True,
             "advies": "Past bij seksuele uitbuiting. SHOP regelt opvang als zij hulp wil; "
                       "geef het nummer van SHOP mee."},
        ],
        "coordinatie": "Aandachtsfunctionaris",
        "afspraken": [
            {"wat": "Gesprek met de bewoonster plannen, met een tolk van het tolkencentrum",
             "wie": "Aandachtsfunctionaris",
             "datum": (kit.today + dt.timedelta(days=4)).isoformat()},
            {"wat": "Nieuwe waarnemingen bij de bovenwoning doorgeven", "wie": "Wijkzaken",
             "datum": (kit.today + dt.timedelta(days=11)).isoformat()},
        ],
    })


def _step1_minor(case: Case, colleague: str, observer: str, signals: list[str],
                 observations: list[dict]) -> dict:
    return {
        "rol": "ondersteuning", "collega": colleague, "datum": case.opened_on.isoformat(),
        "waarnemer": observer, "signalen": signals, "waarnemingen": observations,
        "kwetsbaar": ["KWB-02"], "minderjarig": "ja", "kinderen": "nee",
    }


def _meldcode_melden_vereist(kit: _Kit, case: Case) -> None:
    """Steps 1–3 recorded, step 4 in draft with A2 'ja': 'stap 4 — melden vereist'."""
    d1, d2, d3, d4 = _days(case.opened_on, kit.today - dt.timedelta(days=1), 4)
    kit.record(case.id, d1, "signalen", _step1_minor(
        case, "Jeugdprofessional, Jeugdteam", "Mentor op school",
        ["SEK-07", "SEK-13", "CRI-09"], [
            _obs("feit", "Komt sinds een paar weken met nieuwe dure kleding en een tweede "
                         "telefoon op school.", "Mentor (school)"),
            _obs("feit", "Wordt na school opgehaald door een oudere man in een auto; het "
                         "verzuim is verdubbeld.", "Mentor (school)"),
            _obs("interpretatie", "Past bij de loverboymethode."),
        ]))
    kit.record(case.id, d2, "consultatie", {
        "consultaties": [
            {"datum": d2.isoformat(), "met": "veilig_thuis", "functie": "Adviesgesprek",
             "anoniem": True,
             "advies": "Zorgelijk. Eerst een gesprek met de jongere, samen met de "
                       "jeugdprofessional; bij acuut gevaar direct melden."},
        ],
        "coordinatie": "Jeugdteam",
        "afspraken": [
            {"wat": "Gesprek met de jongere voeren", "wie": "Jeugdteam en aandachtsfunctionaris",
             "datum": d3.isoformat()},
        ],
    })
    kit.record(case.id, d3, "gesprek", {
        "datum": d3.isoformat(),
        "deelnemers": "De jongere, de jeugdprofessional en de aandachtsfunctionaris",
        "tolk": False,
        "reactie": "Zij zegt dat een oudere 'vriend' voor alles zorgt en dat er niets aan de "
                   "hand is. In het weekend 'moet' ze soms blijven slapen bij vrienden van hem.",
    })
    talk = next(f for f in kit.cases.followups(case.id)
                if f.done_on is None and "Gesprek met de jongere" in f.what)
    kit.clock.at(d3, 17)
    kit.cases.complete_followup(talk.id, "Gesprek gevoerd; zie meldcode stap 3.", d3)
    kit.draft(case.id, d4, "wegen", {
        "weging": "Zij is vijftien. Meerdere signalen wijzen samen op seksuele uitbuiting: een "
                  "oudere 'vriend', cadeaus, overnachten bij onbekenden en verzuim. Dat zij zelf "
                  "geen probleem ziet, past bij afhankelijkheid.",
        "instrument": "", "score": "", "vt_advies": True,
        "A1": _answer("ja", "De signalen samen en het gesprek wijzen op seksuele uitbuiting "
                            "van een minderjarige."),
        "A2": _answer("ja", "Bij een minderjarige is voor seksuele uitbuiting geen dwang "
                            "nodig; het overnachten bij 'vrienden' herhaalt zich elk weekend.",
                      ("geweld", "structureel")),
    })


def _meldcode_gemeld(kit: _Kit, case: Case, route_day: dt.date) -> None:
    """All five steps, with a melding at Veilig Thuis: 'afgerond — gemeld bij Veilig Thuis'."""
    d1, d2, d3, d4, d5 = _days(case.opened_on, _story_end(kit, case), 5)
    d2 = max(d2, route_day)
    kit.record(case.id, d1, "signalen", _step1_minor(
        case, "Jongerenwerker", "Jongerenwerker", ["SEK-05", "SEK-13"], [
            _obs("feit", "Op twee zaterdagen werd zij bij een hotel afgezet door een man van "
                         "rond de dertig.", "Jongerenwerk"),
            _obs("feit", "Zij zei dat ze daar 'vrienden van haar vriend' moet ontmoeten.",
                 "Jongerenwerk"),
            _obs("interpretatie", "Sterke aanwijzing voor seksuele uitbuiting van een "
                                  "minderjarige."),
        ]))
    kit.record(case.id, max(d2, d1), "consultatie", {
        "consultaties": [
            {"datum": max(d2, d1).isoformat(), "met": "veilig_thuis", "functie": "Adviesgesprek",
             "anoniem": True,
             "advies": "Melden: een minderjarige met sterke signalen van seksuele uitbuiting. "
                       "Veilig Thuis betrekt zo nodig de politie."},
            {"datum": max(d2, d1).isoformat(), "met": "anders", "functie": "SHOP Jeugd",
             "anoniem": True,
             "advies": "SHOP Jeugd denkt mee over gespecialiseerde opvang als die nodig is."},
        ],
        "coordinatie": "Aandachtsfunctionaris tot de melding; daarna Veilig Thuis",
    })
    d3, d4, d5 = (max(d, d2) for d in (d3, d4, d5))
    kit.record(case.id, d3, "gesprek", {
        "datum": d3.isoformat(), "deelnemers": "Zij, de mentor en de aandachtsfunctionaris",
        "tolk": False,
        "reactie": "Zij bagatelliseert het en wil niet dat haar ouders iets horen. Zij weet nu "
                   "dat de school zich zorgen maakt en dat Veilig Thuis wordt ingeschakeld.",
    })
    kit.record(case.id, d4, "wegen", {
        "weging": "Minderjarige; herhaalde afspraken in een hotel met een veel oudere man. Het "
                  "gesprek heeft de zorgen niet weggenomen.",
        "instrument": "", "score": "", "vt_advies": True,
        "A1": _answer("ja", "De waarnemingen van het jongerenwerk en het gesprek wijzen op "
                            "seksuele uitbuiting van een minderjarige."),
        "A2": _answer("ja", "Seksueel geweld tegen een minderjarige, en het herhaalt zich "
                            "elk weekend.", ("geweld", "structureel")),
    })
    kit.record(case.id, d5, "beslissen", {
        "melden": "ja", "hulp": "ja",
        "onderbouwing": "Afwegingsvraag 2 is met ja beantwoord: melden is vereist. Daarnaast "
                        "organiseren wij met het jeugdteam hulp voor haar.",
        "melding_datum": d5.isoformat(),
        "wat_gemeld": "De signalen uit stap 1, het gesprek en onze weging; alleen wat nodig is "
                      "voor het onderzoek.",
        "vt_kenmerk": f"VT-{d5.year}-04817 (fictief)",
        "vooraf_ingelicht": "ja",
        "vooraf_hoe": "In het gesprek op school verteld dat we Veilig Thuis inschakelen en "
                      "waarom; zij kon zeggen wat ze daarvan vond.",
        "eigen_hulp": "Het jeugdteam biedt begeleiding; de mentor houdt dagelijks contact.",
        "organisaties": "Veilig Thuis, Jeugdteam, school",
        "traject": "loopt",
        "monitoring": [
            {"wat": "Bij Veilig Thuis navragen hoe het onderzoek loopt",
             "datum": (kit.today + dt.timedelta(days=9)).isoformat()},
            {"wat": "Met de mentor nagaan of het verzuim afneemt",
             "datum": (kit.today + dt.timedelta(days=30)).isoformat()},
        ],
    })


def _meldcode_skipped_talk(kit: _Kit, case: Case) -> None:
    """Step 3 skipped for safety, step 4 recorded: 'stap 5 — melden vereist'."""
    d1, d2, d3, d4 = _days(case.opened_on, _story_end(kit, case), 4)
    kit.record(case.id, d1, "signalen", {
        "rol": "ondersteuning", "collega": "Huisarts", "datum": case.opened_on.isoformat(),
        "waarnemer": "Praktijkondersteuner van de huisartsenpraktijk",
        "signalen": ["ALG-02", "SEK-05", "SEK-09"],
        "waarnemingen": [
            _obs("feit", "Zij kwam drie keer voor een soa-test, steeds met dezelfde man die voor "
                         "haar sprak en haar telefoon vasthield.", "Huisartsenpraktijk"),
            _obs("feit", "Zij zei dat ze 'moet blijven werken', ook toen ze koorts had.",
                 "Huisartsenpraktijk"),
            _obs("interpretatie", "Mogelijk seksuele uitbuiting met toezicht door een "
                                  "begeleider."),
        ],
        "kwetsbaar": ["KWB-05"], "minderjarig": "nee", "kinderen": "onbekend",
    })
    kit.record(case.id, d2, "consultatie", {
        "consultaties": [
            {"datum": d2.isoformat(), "met": "zorgcoordinator", "functie": "SHOP",
             "anoniem": True,
             "advies": "Geen contact via haar eigen telefoon. SHOP kan via de huisarts een "
                       "veilig moment zoeken."},
            {"datum": d2.isoformat(), "met": "veilig_thuis", "functie": "Adviesgesprek",
             "anoniem": True,
             "advies": "Als een gesprek niet veilig kan, de stap overslaan en vastleggen "
                       "waarom; daarna wegen."},
        ],
        "coordinatie": "Aandachtsfunctionaris, samen met de huisarts",
    })
    kit.skip(case.id, d3, "gesprek", SKIP_REASON)
    kit.record(case.id, d4, "wegen", {
        "weging": "Het toezicht door de man, het werken bij ziekte en de herhaalde soa-testen "
                  "wijzen samen op uitbuiting. Een gesprek was niet veilig.",
        "instrument": "", "score": "", "vt_advies": True,
        "A1": _answer("ja", "Meerdere signalen van seksuele uitbuiting, bevestigd door de "
                            "huisarts."),
        "A2": _answer("ja", "Het toezicht en het werken bij ziekte houden al maanden aan.",
                      ("structureel",)),
    })


def _meldcode_geen_vermoeden(kit: _Kit, case: Case) -> None:
    """All steps; A1 'nee' closes the walk: 'afgerond — afgesloten, geen melding'."""
    end = _story_end(kit, case) - dt.timedelta(days=1)
    d1, d2, d3, d4, d5 = _days(case.opened_on, end, 5)
    kit.record(case.id, d1, "signalen", {
        "rol": "eigen", "datum": case.opened_on.isoformat(),
        "waarnemer": "Collega van Burgerzaken",
        "waarnemingen": [
            _obs("feit", "Op één adres werden in korte tijd negen personen ingeschreven, steeds "
                         "met dezelfde contactpersoon aan de balie.", "Burgerzaken"),
            _obs("interpretatie", "Kan op huisjesmelkerij of uitbuiting wijzen, maar ook op "
                                  "een legale huisvestingsconstructie."),
        ],
        "kwetsbaar": ["KWB-01"], "minderjarig": "nee", "kinderen": "nee",
    })
    kit.record(case.id, d2, "consultatie", {
        "consultaties": [
            {"datum": d2.isoformat(), "met": "collega", "functie": "Wijkzaken",
             "anoniem": True,
             "advies": "Huisbezoek samen met Bouw- en woningtoezicht; bewoners apart spreken, "
                       "met een tolk."},
        ],
        "coordinatie": "Aandachtsfunctionaris",
    })
    kit.record(case.id, d3, "gesprek", {
        "datum": d3.isoformat(), "deelnemers": "Twee bewoners, een tolk en de "
                                               "aandachtsfunctionaris",
        "tolk": True, "tolk_herkomst": "Tolkencentrum (telefonisch)",
        "tolk_onafhankelijk": "ja",
        "reactie": "Beide bewoners werken via een uitzendbureau met een eigen contract, hebben "
                   "hun paspoort en bankpas zelf en betalen de huur apart. De contactpersoon "
                   "aan de balie is de huisvester van het uitzendbureau.",
    })
    kit.record(case.id, d4, "wegen", {
        "weging": "Na het huisbezoek en de gesprekken geen aanwijzing voor dwang of "
                  "uitbuiting. Het aantal bewoners past binnen de vergunning.",
        "instrument": "", "score": "", "vt_advies": False,
        "A1": _answer("nee", "Geen vermoeden: de bewoners beschikken zelf over papieren, loon "
                             "en woonruimte; de inschrijvingen zijn verklaard."),
    })
    kit.record(case.id, d5, "beslissen", {
        "melden": "nee", "hulp": "nee",
        "onderbouwing": "Geen vermoeden bij afwegingsvraag 1; melden en hulp zijn niet nodig.",
        "traject": "afgesloten",
        "afsluiting": "Afgesloten zonder melding. Bouw- en woningtoezicht controleert over een "
                      "half jaar opnieuw de bewoning.",
    })


# --- grounds and handovers ------------------------------------------------------------


def _grounds_and_handovers(kit: _Kit, cases: dict[str, Case], route_days: dict[str, dt.date],
                           rng_seed: int, handover_dir: Path | None) -> None:
    huismus, grutto = cases["Huismus"], cases["Grutto"]
    vital_day = route_days["Huismus"]
    kit.clock.at(vital_day, 11, 20)
    kit.handover.record_ground(
        huismus.id, "shop", "vitaal_belang",
        "Hij kan nu niet zelf beslissen en heeft vandaag zorg en onderdak nodig; SHOP kan dat "
        "alleen regelen met zijn naam, telefoonnummer, verblijfplaats en medische situatie.",
        kit.af, {
            "incapacity": "Sinds een val op het werk is hij verward; hij weet niet waar hij is "
                          "en kan niet overzien wat hulp inhoudt.",
            "urgent_need": "Vandaag medische zorg en een veilige slaapplek buiten de woning "
                           "van het uitzendbureau.",
            "no_lighter_route": "Anoniem advies regelt vandaag geen opvang, en de werkgever "
                                "wil hem binnen enkele dagen 'terugsturen'.",
            "consulted": "Functionaris gegevensbescherming (telefonisch)",
            "review_on": (vital_day + dt.timedelta(days=7)).isoformat(),
        })
    consent_day = min(route_days["Grutto"] + dt.timedelta(days=2), kit.today)
    kit.clock.at(consent_day, 14, 5)
    language = grutto.details.get("persoon.taal_tolk", "")
    kit.handover.record_ground(
        grutto.id, "shop", "toestemming",
        "Hij wil hulp en wil dat SHOP hem belt voor een gezamenlijke afspraak; hij stemde in "
        "met het delen van zijn naam, telefoonnummer en contacttijden met SHOP.",
        kit.af, {
            "obtained_on": consent_day.isoformat(), "obtained_by": kit.af,
            "language": f"{language}, met een tolk van het tolkencentrum" if language else "",
            "fields": ["naam", "telefoon", "contacttijden"],
            "told_withdrawable": True,
        })
    if handover_dir is None:
        return
    handover_dir = Path(handover_dir)
    handover_dir.mkdir(parents=True, exist_ok=True)
    numbers = random.Random(f"demo-overdracht-{rng_seed}")
    kievit, pimpelmees = cases["Kievit"], cases["Pimpelmees"]
    sheets = [
        # (day, time, case, form, request type, extra fields, typed inputs, printed)
        (min(route_days["Pimpelmees"] + dt.timedelta(days=1), kit.today), (9, 40), pimpelmees,
         "shop", "advies", (), {}, False),
        (vital_day, (11, 45), huismus, "shop", "zorgcoordinatie", VITAL_FIELDS, {}, False),
        # Printed for the joint appointment with SHOP, with what he consented to.
        (consent_day, (14, 30), grutto, "shop", "zorgcoordinatie",
         ("naam", "telefoon", "contacttijden"), {}, True),
        (min(route_days["Kievit"] + dt.timedelta(days=1), kit.today), (15, 10), kievit, "oov",
         "weging", (), {
             "signalen": "Overbewoning: veertien bewoners in een eengezinswoning, bedden in de "
                         "woonkamer en in de schuur; huur ingehouden op het loon.",
             "waarnemingen": f"{kievit.opened_on.strftime('%d-%m-%Y')}: bij een controle van "
                             "Bouw- en woningtoezicht veertien bewoners aangetroffen.\n"
                             "Interpretatie: mogelijk afhankelijkheid van de werkgever via de "
                             "huisvesting.",
         }, False),
    ]
    sheets.sort(key=lambda s: (s[0], s[1]))  # the log is in time order, like real use
    for day, (hour, minute), case, form_id, request, extra, typed, printed in sheets:
        kit.clock.at(day, hour, minute)
        form = kit.handover.form(form_id)
        inputs = kit.handover.default_inputs(case.id, form_id)
        inputs.update(typed, request_type=request)
        chars = "".join(numbers.choice(SHEET_ALPHABET) for _ in range(8))
        number = f"{form.number_prefix}-{chars[:4]}-{chars[4:]}"
        prepared = kit.handover.prepare(
            case.id, form_id, kit.handover.default_selection(form_id) | set(extra), inputs,
            number=number)
        if printed:
            kit.handover.record_printed(prepared)  # the log records it; nothing is printed
        else:
            kit.handover.save(prepared, handover_dir / f"{number}.pdf")


def _sociale_kaart(services) -> None:
    """Two numbers called and confirmed; OOV's internal number filled in by the gemeente."""
    kaart = services.sociale_kaart
    if kaart is None:
        return
    kaart.confirm_phone("shop")
    kaart.confirm_phone("veilig_thuis")
    kaart.edit("oov", phone="0000 000 000", email="meldpunt-oov@voorbeeld.invalid",
               notes="Demo: fictief intern nummer en adres van het meldpunt.", verified=True)
