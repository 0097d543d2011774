"""The clients of the demo, with contacts, intakes, scores and ladder measurements.

A step of core.demo.seed_demo (DEMO_STEPS). Clients are made in chunks; per chunk, the apps
that hang data on clients (trajectories/demo.py) add theirs through CHUNK_STEPS, from the same
random stream, so a seed still gives the same people.
"""

import datetime
import itertools
import random
import unicodedata
from collections.abc import Callable, Iterator
from typing import NamedTuple

from clients.models import (
    Barrier,
    Channel,
    Client,
    Contact,
    DeregistrationReason,
    EmployeeSkill,
    Instrument,
    Intake,
    IntakeScore,
    LadderObservation,
    LanguageLevel,
    LifeWheelDomain,
    Route,
    TargetGroup,
    WorkEstimate,
    ZrmDomain,
)
from core.demo import (
    DEMO_STEPS,
    DIAGNOSIS,
    MAIN_COACH,
    TEAM_AA_EN_HUNZE,
    TEAM_ASSEN,
    TEAM_TYNAARLO,
    DemoContext,
    DemoStep,
    Staff,
    bsns_from_test_range,
)
from core.models import Municipality, User
from core.registry import OrderedRegistry

# Clients generated and inserted per round; bounds memory for 100,000 clients.
CHUNK_SIZE = 2000
# The `coach` login should open on a realistic caseload.
MAIN_COACH_CASELOAD = 40
YEAR = 365

# Per chunk of clients: factories, called once with the context, of a function that adds data
# to a chunk (clients, {client id: first intake date}) and returns {label: how many}.
CHUNK_STEPS = OrderedRegistry()


# The tables below are kept dense on purpose.
# fmt: off

# --- Where clients live -------------------------------------------------------------------------


class Place(NamedTuple):
    share: float  # percent of clients
    team: str
    area_code: str
    postcodes: list[int]  # real four-digit postcode numbers of the municipality's towns


PLACES = {
    "Assen": Place(45, TEAM_ASSEN, "0592", list(range(9401, 9410))),
    # Zuidlaren, Vries, Eelde, Paterswolde
    "Tynaarlo": Place(30, TEAM_TYNAARLO, "050", [9471, 9481, 9761, 9765]),
    # Rolde, Gieten, Gasselte, Annen
    "Aa en Hunze": Place(20, TEAM_AA_EN_HUNZE, "0592", [9451, 9461, 9462, 9468]),
    # The other 5% live elsewhere in Drenthe; Team Assen, the regional office, serves them.
    "Borger-Odoorn": Place(0.6, TEAM_ASSEN, "0599", [9531, 7873, 7875]),
    "Coevorden": Place(0.5, TEAM_ASSEN, "0524", [7741, 7742]),
    "De Wolden": Place(0.4, TEAM_ASSEN, "0528", [7921, 7963]),
    "Emmen": Place(1.0, TEAM_ASSEN, "0591", [7811, 7812, 7822]),
    "Hoogeveen": Place(0.8, TEAM_ASSEN, "0528", [7901, 7902, 7906]),
    "Meppel": Place(0.5, TEAM_ASSEN, "0522", [7941, 7942]),
    "Midden-Drenthe": Place(0.5, TEAM_ASSEN, "0593", [9411, 9431]),
    "Noordenveld": Place(0.4, TEAM_ASSEN, "050", [9301, 9331]),
    "Westerveld": Place(0.3, TEAM_ASSEN, "0521", [7991, 7981]),
}

# PostNL does not use these letter pairs (core.validators.normalize_postcode rejects them).
UNUSED_POSTCODE_LETTERS = {"SA", "SD", "SS"}
LETTERS = "ABCDEFGHJKLMNPRSTVWXZ"

STREETS = [
    "Kerkstraat", "Stationsstraat", "Molenstraat", "Dorpsstraat", "Schoolstraat", "Brink",
    "Hoofdstraat", "Julianastraat", "Beatrixlaan", "Wilhelminalaan", "Oranjestraat", "Esweg",
    "Beukenlaan", "Eikenlaan", "Berkenlaan", "Lindenlaan", "Vaart Zuidzijde", "Torenstraat",
    "Zuiderstraat", "Noorderstraat", "Oosterstraat", "Westerstraat", "Burgemeester Jollesstraat",
    "Hunzeweg", "Drentsche Aa", "Heideweg", "Veenweg", "Kanaalweg", "Nieuwe Weg", "Zandweg",
    "Prinses Irenestraat", "Anne Frankstraat", "Van Goghlaan", "Rembrandtlaan", "Vondellaan",
]

# --- Names --------------------------------------------------------------------------------------

DUTCH_FIRST_NAMES = [
    "Jan", "Pieter", "Kees", "Henk", "Gerrit", "Johan", "Bert", "Harm", "Albert", "Jeroen",
    "Mark", "Dennis", "Kevin", "Sander", "Bas", "Tim", "Lars", "Thijs", "Daan", "Sem", "Niels",
    "Ruben", "Jesse", "Rick", "Stefan", "Wouter", "Marco", "Erik", "Martijn", "Roelof",
    "Anna", "Maria", "Johanna", "Gerda", "Ineke", "Annemarie", "Marieke", "Linda", "Sandra",
    "Monique", "Esther", "Petra", "Wendy", "Kim", "Sanne", "Lisa", "Anouk", "Femke", "Iris",
    "Lotte", "Eva", "Sophie", "Emma", "Julia", "Fleur", "Demi", "Britt", "Janneke", "Hilde",
    "Tineke",
]
# (prefix, last name): the prefix goes into Client.name_prefix, as Dutch registers keep it.
DUTCH_LAST_NAMES = [
    ("", "Jansen"), ("de", "Vries"), ("van", "Dijk"), ("", "Bakker"), ("", "Visser"),
    ("", "Smit"), ("", "Meijer"), ("de", "Boer"), ("", "Mulder"), ("de", "Groot"), ("", "Bos"),
    ("", "Vos"), ("", "Peters"), ("", "Hendriks"), ("van", "Leeuwen"), ("", "Dekker"),
    ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"), ("de", "Graaf"), ("van der", "Meer"),
    ("van der", "Linden"), ("", "Kok"), ("de", "Haan"), ("", "Vermeulen"), ("van den", "Berg"),
    ("van der", "Heijden"), ("van der", "Veen"), ("van den", "Broek"), ("de", "Bruijn"),
    ("de", "Jong"), ("", "Hoekstra"), ("", "Kuiper"), ("", "Huisman"), ("", "Oosting"),
    ("", "Hofstede"), ("", "Zwiers"), ("", "Lubbers"), ("", "Bruins"), ("", "Wolters"),
    ("", "Nijboer"), ("ter", "Horst"), ("", "Koops"), ("", "Schuiling"), ("", "Lanting"),
    ("", "Boelens"), ("", "Drenth"), ("van", "Wijk"), ("in 't", "Veld"), ("", "Postma"),
    ("", "Hulshof"), ("", "Veenstra"), ("", "Mensink"), ("", "Kremer"), ("", "Pool"),
    ("", "Kamps"), ("", "Bouwman"), ("", "Westerhof"), ("van", "Wieren"), ("", "Seinen"),
]
# (original script, transliteration)
ARABIC_FIRST_NAMES = [
    ("محمد", "Mohammed"), ("أحمد", "Ahmad"), ("علي", "Ali"), ("عمر", "Omar"),
    ("خالد", "Khaled"), ("يوسف", "Youssef"), ("إبراهيم", "Ibrahim"), ("حسن", "Hassan"),
    ("مصطفى", "Mustafa"), ("سامر", "Samer"), ("فاطمة", "Fatima"), ("مريم", "Maryam"),
    ("نور", "Nour"), ("ليلى", "Layla"), ("رنا", "Rana"), ("هبة", "Heba"), ("سارة", "Sara"),
    ("آية", "Aya"), ("زينب", "Zainab"), ("ياسمين", "Yasmin"),
]
ARABIC_LAST_NAMES = [
    ("الحسن", "Al-Hassan"), ("الأحمد", "Al-Ahmad"), ("الخطيب", "Al-Khatib"),
    ("المصري", "Al-Masri"), ("حداد", "Haddad"), ("الشامي", "Al-Shami"), ("العلي", "Al-Ali"),
    ("حمدان", "Hamdan"), ("نصر", "Nasr"), ("الزعبي", "Al-Zoubi"), ("الحلبي", "Al-Halabi"),
    ("سليمان", "Suleiman"), ("عثمان", "Othman"), ("قاسم", "Kassem"), ("درويش", "Darwish"),
]
TIGRINYA_FIRST_NAMES = [
    ("ሰላም", "Selam"), ("ዮናስ", "Yonas"), ("ሳምሶን", "Samson"), ("ሄኖክ", "Henok"),
    ("ዳዊት", "Dawit"), ("ፍረወይኒ", "Freweini"), ("ሉላ", "Lula"), ("ሚካኤል", "Mikael"),
    ("ኣማኑኤል", "Amanuel"), ("ሰናይት", "Senait"), ("ሃና", "Hana"), ("ሳባ", "Saba"),
    ("ብርሃነ", "Berhane"), ("ኤልሳ", "Elsa"), ("ተኽለ", "Tekle"), ("ሩታ", "Ruta"),
]
TIGRINYA_LAST_NAMES = [
    ("ተስፋይ", "Tesfay"), ("ገብረመድህን", "Gebremedhin"), ("ሃይለ", "Haile"),
    ("ገብረየሱስ", "Gebreyesus"), ("ወልደሚካኤል", "Weldemichael"), ("ኪዳነ", "Kidane"),
    ("ተወልደ", "Tewelde"), ("ገብረሕይወት", "Gebrehiwet"), ("ዓንደማርያም", "Andemariam"),
    ("መሓሪ", "Mehari"), ("ዘርኣይ", "Zerai"), ("ኣብርሃ", "Abraha"), ("ጸጋይ", "Tsegay"),
]
# Status holders from elsewhere, as whole names (first, last), transliterated.
ARABIC_NAMES = (ARABIC_FIRST_NAMES, ARABIC_LAST_NAMES)
TIGRINYA_NAMES = (TIGRINYA_FIRST_NAMES, TIGRINYA_LAST_NAMES)
OTHER_REFUGEE_NAMES = [
    ("Farhad", "Ahmadi"), ("Zahra", "Hosseini"), ("Mohammad", "Rahimi"), ("Reza", "Karimi"),
    ("Abdullahi", "Warsame"), ("Hodan", "Farah"), ("Emre", "Yıldız"), ("Elif", "Demir"),
]

# --- What is said and written -------------------------------------------------------------------

FIRST_SUBJECT = "Kennismakingsgesprek"
SUBJECTS = [
    "Voortgangsgesprek", "Bespreken vacature", "Schuldhulpverlening", "Sollicitatietraining",
    "Plan van aanpak bespreken", "Evaluatie werkontwikkelplek", "Cv bijwerken",
    "Vrijwilligerswerk", "Kinderopvang regelen", "Doorverwijzing jobcoach",
    "Informatie loonkostensubsidie", "Terugkoppeling werkgever", "Afspraak gemist",
    "Nazorg na plaatsing", "Inkomstenopgave",
]
STATUS_HOLDER_SUBJECTS = ["Taalcursus", "Inburgering", "Diploma-waardering"]
CONTACT_NOTES = [
    "Cliënt is gemotiveerd en wil graag snel aan de slag.",
    "Afspraak gemaakt voor volgende week.",
    "Cv samen doorgenomen en aangevuld.",
    "Cliënt heeft afgezegd vanwege zorg voor de kinderen; nieuwe afspraak gepland.",
    "Twee vacatures besproken; cliënt solliciteert op één ervan.",
    "Doorverwezen naar de schuldhulpverlening van de gemeente.",
    "Cliënt volgt taalles op maandag en donderdag.",
    "Brief gestuurd met een uitnodiging voor een gesprek.",
    "Telefonisch niet bereikt; voicemail ingesproken.",
    "Werkgever is positief over inzet en houding.",
    "Cliënt twijfelt of 32 uur haalbaar is; opbouw in uren besproken.",
    "Voortgang plan van aanpak besproken; doelen bijgesteld.",
    "Cliënt heeft zelf een vacature gevonden en vraagt om ondersteuning bij de sollicitatie.",
]
CHANNEL_WEIGHTS = {
    Channel.IN_PERSON: 40,
    Channel.PHONE: 30,
    Channel.EMAIL: 10,
    Channel.HOME_VISIT: 8,
    Channel.VIDEO: 6,
    Channel.LETTER: 6,
}
DREAMS = [
    "Werken in de zorg", "Een eigen bedrijf", "Werken in de bouw", "Vrachtwagenchauffeur worden",
    "Weer aan het werk in de techniek", "Werken met dieren", "Kok worden in een restaurant",
    "Werken in een winkel", "Automonteur worden", "Mijn diploma halen", "Kapper worden",
    "Werken in de groenvoorziening", "Een vaste baan met een vast contract",
    "Werken in de kinderopvang", "Logistiek medewerker in een magazijn",
    "Goed Nederlands leren en dan weer als elektricien werken",
    "Zonder uitkering voor mijn gezin kunnen zorgen", "ICT-beheerder worden",
]
LIMITATIONS = [
    "Kan niet lang achter elkaar staan; heeft een wisselende werkhouding nodig.",
    "Heeft moeite met drukte en veel prikkels; werkt het best in een rustige omgeving.",
    "Kan maximaal 10 kg tillen.",
    "Heeft duidelijke structuur en vaste werktijden nodig.",
    "Leert nieuwe taken het best stap voor stap, met voordoen.",
    "Geen werk in ploegendienst of nachtdienst.",
    "Heeft vaste begeleiding nodig bij nieuwe taken.",
]
CAPACITIES = [
    "Maximaal 4 uur per dag, 4 dagen per week.",
    "Fysiek licht werk; mentaal gemiddeld belastbaar.",
    "Halve dagen, opbouwen naar 24 uur per week.",
    "Volledig belastbaar voor licht fysiek werk.",
    "Maximaal 20 uur per week, met een korte pauze elk uur.",
    "Beperkt belastbaar voor werk onder tijdsdruk of met veel klantcontact.",
]
ADVICE_NOTES = [
    "Eerst taal en dagstructuur opbouwen, daarna een werkontwikkelplek.",
    "Kan direct bemiddeld worden; vacatures in de logistiek en de zorg bekijken.",
    "Praktijkonderzoek van acht weken om de mogelijkheden te verkennen.",
    "Schulden eerst stabiliseren; parallel vrijwilligerswerk om ritme op te bouwen.",
    "Past bij het brancheteam Hodezo; voorstellen bij werkgevers in de zorg.",
    "Begeleiding door een jobcoach in de eerste maanden na plaatsing.",
]
ZRM_PURPOSES = {
    ZrmDomain.FINANCES: "Nagaan of schuldhulpverlening nodig is voordat een traject start.",
    ZrmDomain.WORK_EDUCATION: "Bepalen of een opleiding of direct werk het beste past.",
    ZrmDomain.DAYTIME_ACTIVITY: "Dagstructuur in kaart brengen voor de keuze van de route.",
    ZrmDomain.HOUSING: "Nagaan of de woonsituatie stabiel genoeg is om werk te starten.",
    ZrmDomain.DOMESTIC_RELATIONS: "Zorgtaken thuis meewegen bij het aantal uren.",
    ZrmDomain.MENTAL_HEALTH: "Belastbaarheid inschatten voor een passende werkplek.",
    ZrmDomain.PHYSICAL_HEALTH: "Belastbaarheid inschatten voor een passende werkplek.",
    ZrmDomain.ADDICTION: "Nagaan of eerst hulp via het wijkteam nodig is.",
    ZrmDomain.BASIC_ADL: "Nagaan welke ondersteuning nodig is om zelfstandig te werken.",
    ZrmDomain.INSTRUMENTAL_ADL: "Nagaan of cliënt zelf reizen en afspraken kan regelen.",
    ZrmDomain.SOCIAL_NETWORK: "Steun uit de omgeving meewegen in het plan van aanpak.",
    ZrmDomain.PARTICIPATION: "Aansluiting zoeken bij vrijwilligerswerk in de buurt.",
    ZrmDomain.JUSTICE: "Nagaan of een VOG haalbaar is voor de gewenste sector.",
}

# --- Proportions --------------------------------------------------------------------------------

TARGET_GROUP_WEIGHTS = {
    TargetGroup.SOCIAL_ASSISTANCE: 50,
    TargetGroup.STATUS_HOLDER: 15,
    TargetGroup.WAJONG: 15,
    TargetGroup.NON_BENEFIT: 10,
    TargetGroup.SCHOOL_LEAVER: 10,
}
# Chance of a target-group register entry; together about 20% of clients.
REGISTER_CHANCE = {
    TargetGroup.WAJONG: 0.7,
    TargetGroup.SCHOOL_LEAVER: 0.55,
    TargetGroup.SOCIAL_ASSISTANCE: 0.05,
    TargetGroup.NON_BENEFIT: 0.02,
    TargetGroup.STATUS_HOLDER: 0.02,
}
AGE_RANGE = {
    TargetGroup.SCHOOL_LEAVER: (18, 22),
    TargetGroup.WAJONG: (18, 45),
    TargetGroup.STATUS_HOLDER: (18, 55),
    TargetGroup.SOCIAL_ASSISTANCE: (18, 66),
    TargetGroup.NON_BENEFIT: (18, 66),
}
DEREGISTRATION_WEIGHTS = {
    DeregistrationReason.WORK: 40,
    DeregistrationReason.NOT_ENTITLED: 14,
    DeregistrationReason.MOVED: 12,
    DeregistrationReason.OTHER: 12,
    DeregistrationReason.EDUCATION: 10,
    DeregistrationReason.OTHER_BENEFIT: 10,
    DeregistrationReason.DECEASED: 2,
}
# Participation-ladder step at the first intake (steps 1-5).
FIRST_STEP_WEIGHTS = {
    TargetGroup.STATUS_HOLDER: [10, 30, 35, 15, 10],
    TargetGroup.WAJONG: [10, 20, 30, 25, 15],
}
DEFAULT_STEP_WEIGHTS = [8, 20, 30, 25, 17]
# The advice follows the distance to work: (route weights, estimate weights) per ladder step.
ADVICE_BY_STEP = {
    "far": (
        {Route.PARTICIPATION: 65, Route.DAYTIME_ACTIVITIES: 20, Route.SHELTERED_WORK: 10,
         Route.EMPLOYEE: 5},
        {WorkEstimate.NOT_WITHIN_TWO_YEARS: 80, WorkEstimate.WITHIN_TWO_YEARS: 20},
    ),
    "middle": (
        {Route.EMPLOYEE: 60, Route.PARTICIPATION: 30, Route.SHELTERED_WORK: 10},
        {WorkEstimate.WITHIN_TWO_YEARS: 70, WorkEstimate.NOT_WITHIN_TWO_YEARS: 20,
         WorkEstimate.DIRECTLY: 10},
    ),
    "near": (
        {Route.EMPLOYEE: 90, Route.SHELTERED_WORK: 10},
        {WorkEstimate.DIRECTLY: 60, WorkEstimate.WITHIN_TWO_YEARS: 40},
    ),
}
LANGUAGE_LEVELS = [LanguageLevel.A0, LanguageLevel.A1, LanguageLevel.A2, LanguageLevel.B1,
                   LanguageLevel.B2]
OTHER_BARRIERS = [b for b in Barrier if b != Barrier.LANGUAGE]

# fmt: on


# --- The step -----------------------------------------------------------------------------------


def seed(context: DemoContext) -> None:
    """The clients asked for, chunk by chunk, each chunk completed by the CHUNK_STEPS."""
    generator = _Generator(context.rng, context.today, context.staff)
    extenders = [make(context) for make in CHUNK_STEPS]
    bsns = bsns_from_test_range()
    for start in range(0, context.clients, CHUNK_SIZE):
        _seed_chunk(generator, extenders, bsns, min(CHUNK_SIZE, context.clients - start), context)


DEMO_STEPS.register(10)(DemoStep(seed=seed, holds_data=Client.objects.exists))


# --- Writing a chunk ----------------------------------------------------------------------------


class _IntakePlan(NamedTuple):
    intake: Intake
    step: int
    end: datetime.date  # the last day the client is on the caseload
    coach_id: int


def _seed_chunk(
    generator, extenders: list[Callable], bsns: Iterator[str], size: int, context: DemoContext
) -> None:
    """Generate and insert `size` clients with their contacts, intakes and measurements; then
    each extender (CHUNK_STEPS) adds its data to the same clients."""
    clients = Client.objects.bulk_create([generator.client(next(bsns)) for _ in range(size)])
    contacts = [contact for client in clients for contact in generator.contacts(client)]
    Contact.objects.bulk_create(contacts)
    plans = [plan for client in clients for plan in generator.intakes(client)]
    Intake.objects.bulk_create([plan.intake for plan in plans])  # sets pks (RETURNING)
    scores, observations = [], []
    for plan in plans:
        scores.extend(generator.scores(plan))
        observations.extend(generator.observations(plan))
    IntakeScore.objects.bulk_create(scores)
    LadderObservation.objects.bulk_create(observations)
    context.count("clients", len(clients))
    context.count("active clients", sum(1 for c in clients if c.deregistered_on is None))
    context.count("contacts", len(contacts))
    context.count("intakes", len(plans))
    context.count("intake scores", len(scores))
    context.count("ladder measurements", len(observations))
    first_intake = {}
    for plan in plans:
        first_intake.setdefault(plan.intake.client_id, plan.intake.held_on)
    for extend in extenders:
        for label, n in extend(clients, first_intake).items():
            context.count(label, n)


# --- Generating rows ----------------------------------------------------------------------------


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _years_before(date: datetime.date, years: int) -> datetime.date:
    try:
        return date.replace(year=date.year - years)
    except ValueError:  # 29 February
        return date.replace(year=date.year - years, day=28)


def _ascii(text: str) -> str:
    """Letters of `text` without accents, lowercased; empty for names in another script."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


class _Generator:
    """Draws demo rows from one random stream; keeps the main coach's caseload count."""

    def __init__(self, rng: random.Random, today: datetime.date, staff: Staff):
        self.rng = rng
        self.today = today
        self.staff = staff
        self.main_coach = staff.users[MAIN_COACH]
        self.diagnosis = staff.users[DIAGNOSIS]
        self.main_coach_active = 0
        self.municipality_ids = dict(
            Municipality.objects.filter(name__in=PLACES).values_list("name", "pk")
        )
        self.place_names = list(PLACES)
        self.place_weights = [place.share for place in PLACES.values()]
        # Status holders take turns rather than draws, so that even a demo of a few dozen
        # clients shows names in Arabic and in Ge'ez script.
        self.refugee_origins = itertools.cycle(
            [
                (ARABIC_NAMES, True),
                (TIGRINYA_NAMES, True),
                (ARABIC_NAMES, False),
                (TIGRINYA_NAMES, False),
            ]
        )

    # Clients

    def client(self, bsn: str) -> Client:
        rng = self.rng
        group = _weighted(rng, TARGET_GROUP_WEIGHTS)
        first_name, prefix, last_name = self.name(group)
        municipality = rng.choices(self.place_names, weights=self.place_weights)[0]
        place = PLACES[municipality]
        registered_on = self.today - datetime.timedelta(days=rng.randint(0, 3 * YEAR))
        deregistered_on, reason = self.deregistration(registered_on)
        return Client(
            first_name=first_name,
            name_prefix=prefix,
            last_name=last_name,
            bsn=bsn,
            birth_date=self.birth_date(*AGE_RANGE[group]),
            email=self.email(first_name, last_name),
            phone=self.phone(place),
            address=self.address(),
            postcode=self.postcode(place),
            municipality_id=self.municipality_ids[municipality],
            target_group=group,
            target_group_register=rng.random() < REGISTER_CHANCE[group],
            registered_on=registered_on,
            deregistered_on=deregistered_on,
            deregistration_reason=reason,
            coach=self.coach(place.team, active=deregistered_on is None),
            team_id=self.staff.team_ids[place.team],
        )

    def name(self, group: str) -> tuple[str, str, str]:
        """(first name, prefix, last name); status holders mostly Arabic or Tigrinya names."""
        rng = self.rng
        roll = rng.random()
        if group == TargetGroup.STATUS_HOLDER:
            if roll < 0.15:
                first, last = rng.choice(OTHER_REFUGEE_NAMES)
                return first, "", last
            origin, original_script = next(self.refugee_origins)
            return self.foreign_name(origin, original_script=original_script)
        # Residents born here with parents from elsewhere, registered in Latin script.
        if roll < 0.06:
            return self.foreign_name(ARABIC_NAMES, original_script=False)
        if roll < 0.08:
            return self.foreign_name(TIGRINYA_NAMES, original_script=False)
        prefix, last = rng.choice(DUTCH_LAST_NAMES)
        return rng.choice(DUTCH_FIRST_NAMES), prefix, last

    def foreign_name(self, names, *, original_script: bool) -> tuple[str, str, str]:
        firsts, lasts = names
        script = 0 if original_script else 1
        return self.rng.choice(firsts)[script], "", self.rng.choice(lasts)[script]

    def birth_date(self, min_age: int, max_age: int) -> datetime.date:
        youngest = _years_before(self.today, min_age)
        oldest = _years_before(self.today, max_age + 1) + datetime.timedelta(days=1)
        return oldest + datetime.timedelta(days=self.rng.randint(0, (youngest - oldest).days))

    def email(self, first_name: str, last_name: str) -> str:
        first, last = _ascii(first_name), _ascii(last_name)
        if not (first and last) or self.rng.random() < 0.4:
            return ""
        domain = self.rng.choice(["example.com", "example.net", "example.org"])
        return f"{first}.{last}{self.rng.randint(1, 99)}@{domain}"

    def address(self) -> str:
        suffix = self.rng.choice("abc") if self.rng.random() < 0.1 else ""
        return f"{self.rng.choice(STREETS)} {self.rng.randint(1, 180)}{suffix}"

    def phone(self, place: Place) -> str:
        """A mobile number, or a landline in the municipality's area (ten digits in all)."""
        rng = self.rng
        if rng.random() < 0.75:
            return f"06-{rng.randint(10_000_000, 99_999_999)}"
        subscriber = f"{rng.randint(2, 9)}{rng.randrange(10**7):07d}"[: 10 - len(place.area_code)]
        return f"{place.area_code}-{subscriber}"

    def postcode(self, place: Place) -> str:
        while (letters := "".join(self.rng.choices(LETTERS, k=2))) in UNUSED_POSTCODE_LETTERS:
            pass
        return f"{self.rng.choice(place.postcodes)} {letters}"

    def deregistration(self, registered_on: datetime.date):
        """(date, reason) or (None, ""): the longer on the caseload, the likelier gone; ~25%."""
        days = (self.today - registered_on).days
        if self.rng.random() >= 0.5 * days / (3 * YEAR):
            return None, ""
        left_on = registered_on + datetime.timedelta(days=self.rng.randint(min(30, days), days))
        return left_on, _weighted(self.rng, DEREGISTRATION_WEIGHTS)

    def coach(self, team: str, *, active: bool) -> User:
        """A work coach of the team; `coach` gets active Assen clients up to a full caseload."""
        if team == TEAM_ASSEN:
            if active and self.main_coach_active < MAIN_COACH_CASELOAD and self.rng.random() < 0.5:
                self.main_coach_active += 1
                return self.main_coach
            if not active and self.rng.random() < 0.25:
                return self.main_coach
        return self.rng.choice(self.staff.coaches[team])

    # Contacts

    def contacts(self, client: Client) -> list[Contact]:
        """2 to 15 contacts while on the caseload, more for those who stayed longer."""
        rng = self.rng
        start, end = client.registered_on, client.deregistered_on or self.today
        days = (end - start).days
        count = rng.randint(2, 2 + round(13 * min(1.0, days / YEAR)))
        first = start + datetime.timedelta(days=rng.randint(0, min(14, days)))
        dates = sorted(
            first + datetime.timedelta(days=rng.randint(0, (end - first).days))
            for _ in range(count - 1)
        )
        subjects = SUBJECTS + (
            STATUS_HOLDER_SUBJECTS * 3 if client.target_group == TargetGroup.STATUS_HOLDER else []
        )
        rows = [self.contact(client, first, FIRST_SUBJECT, Channel.IN_PERSON)]
        for date in dates:
            rows.append(
                self.contact(client, date, rng.choice(subjects), _weighted(rng, CHANNEL_WEIGHTS))
            )
        return rows

    def contact(self, client: Client, date, subject: str, channel: str) -> Contact:
        notes = self.rng.choice(CONTACT_NOTES) if self.rng.random() < 0.4 else ""
        return Contact(
            client_id=client.pk,
            date=date,
            channel=channel,
            subject=subject,
            notes=notes,
            author_id=client.coach_id,
        )

    # Intakes

    def intakes(self, client: Client) -> list[_IntakePlan]:
        """None for ~30%; one shortly after registration; for a few a second, a year later."""
        rng = self.rng
        if rng.random() >= 0.7:
            return []
        end = client.deregistered_on or self.today
        held_on = min(end, client.registered_on + datetime.timedelta(days=rng.randint(3, 42)))
        weights = FIRST_STEP_WEIGHTS.get(client.target_group, DEFAULT_STEP_WEIGHTS)
        step = rng.choices(range(1, 6), weights=weights)[0]
        plans = [self.intake(client, held_on, step, end, level=None)]
        second_on = held_on + datetime.timedelta(days=YEAR + rng.randint(-14, 14))
        if second_on <= end and rng.random() < 0.15:
            step = min(6, step + rng.choice([0, 1, 1, 2]))
            level = plans[0].intake.language_spoken
            plans.append(self.intake(client, second_on, step, end, level=level))
        return plans

    def intake(self, client: Client, held_on, step: int, end, level) -> _IntakePlan:
        rng = self.rng
        status_holder = client.target_group == TargetGroup.STATUS_HOLDER
        needs_care = client.target_group == TargetGroup.WAJONG or step <= 2
        route, estimate = self.advice(step)
        spoken, written = self.language_levels(level) if status_holder else ("", "")
        intake = Intake(
            client_id=client.pk,
            held_on=held_on,
            consultant=self.consultant(client),
            dream=rng.choice(DREAMS) if rng.random() < 0.9 else "",
            barriers=self.barriers(status_holder),
            language_spoken=spoken,
            language_written=written,
            hours_per_week=rng.choice(range(8, 41, 4) if step >= 3 else range(8, 25, 4)),
            available_from=held_on + datetime.timedelta(days=rng.choice([0, 0, 7, 14, 30, 60])),
            functional_limitations=self.maybe(LIMITATIONS, 0.7 if needs_care else 0.15),
            capacity=self.maybe(CAPACITIES, 0.7 if needs_care else 0.25),
            advised_route=route,
            work_estimate=estimate,
            advice_notes=self.maybe(ADVICE_NOTES, 0.5),
        )
        return _IntakePlan(intake, step, end, client.coach_id)

    def consultant(self, client: Client) -> User:
        """`diagnose` is in Team Assen and can open only its dossiers; coaches do the rest."""
        if client.team_id == self.staff.team_ids[TEAM_ASSEN] and self.rng.random() < 0.6:
            return self.diagnosis
        return client.coach

    def maybe(self, texts: list[str], chance: float) -> str:
        return self.rng.choice(texts) if self.rng.random() < chance else ""

    def advice(self, step: int) -> tuple[str, str]:
        distance = "far" if step <= 2 else "middle" if step <= 4 else "near"
        routes, estimates = ADVICE_BY_STEP[distance]
        return _weighted(self.rng, routes), _weighted(self.rng, estimates)

    def barriers(self, status_holder: bool) -> list[str]:
        found = set(self.rng.sample(OTHER_BARRIERS, k=self.rng.choice([0, 0, 1, 1, 2, 3])))
        if status_holder and self.rng.random() < 0.9:
            found.add(Barrier.LANGUAGE)
        return [str(b) for b in Barrier if b in found]  # in the order of the choices

    def language_levels(self, earlier: str | None) -> tuple[str, str]:
        """(spoken, written) CEFR levels; writing lags speaking, and levels rise over time."""
        if earlier:
            spoken = min(LANGUAGE_LEVELS.index(earlier) + self.rng.randint(0, 1), 4)
        else:
            spoken = self.rng.choices(range(5), weights=[15, 30, 30, 20, 5])[0]
        written = max(0, spoken - self.rng.randint(0, 1))
        return str(LANGUAGE_LEVELS[spoken]), str(LANGUAGE_LEVELS[written])

    # Scores and ladder measurements

    def scores(self, plan: _IntakePlan) -> list[IntakeScore]:
        """All life-wheel domains and employee skills; for about a third a few ZRM domains."""
        rng, step, pk = self.rng, plan.step, plan.intake.pk
        rows = [
            IntakeScore(
                intake_id=pk,
                instrument=Instrument.LIFE_WHEEL,
                domain=domain,
                score=_clamp(rng.gauss(3 + step, 1.5), 1, 10),
            )
            for domain in LifeWheelDomain
        ]
        rows += [
            IntakeScore(
                intake_id=pk,
                instrument=Instrument.EMPLOYEE_SKILL,
                domain=skill,
                score=_clamp(rng.gauss(1.5 + 0.6 * step, 0.8), 1, 5),
            )
            for skill in EmployeeSkill
        ]
        if rng.random() < 1 / 3:
            # Only the domains that serve a purpose, each with that purpose (DOMAIN.md step 2).
            for domain in rng.sample(list(ZrmDomain), k=rng.randint(2, 5)):
                rows.append(
                    IntakeScore(
                        intake_id=pk,
                        instrument=Instrument.ZRM,
                        domain=domain,
                        score=_clamp(rng.gauss(1.5 + 0.5 * step, 0.8), 1, 5),
                        purpose=ZRM_PURPOSES[domain],
                    )
                )
        return rows

    def observations(self, plan: _IntakePlan) -> list[LadderObservation]:
        """The intake's measurement, and for about half a later one showing the climb."""
        intake = plan.intake
        rows = [
            LadderObservation(
                client_id=intake.client_id,
                observed_on=intake.held_on,
                step=plan.step,
                intake_id=intake.pk,
                recorded_by_id=intake.consultant_id,
            )
        ]
        later_on = intake.held_on + datetime.timedelta(days=self.rng.randint(182, YEAR))
        if later_on <= plan.end and self.rng.random() < 0.5:
            climb = self.rng.choices([0, 1, 2], weights=[20, 55, 25])[0]
            rows.append(
                LadderObservation(
                    client_id=intake.client_id,
                    observed_on=later_on,
                    step=min(6, plan.step + climb),
                    recorded_by_id=plan.coach_id,
                )
            )
        return rows
