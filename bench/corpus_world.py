"""The invented world of the synthetic corpus (bench/corpus.py): countries, their cities, posts
and office holders, intergovernmental organisations, news outlets, and the stories (visits,
meetings, summits, calls, signings) that the articles report.

Every name is made up from syllables and name lists written for this file, so no real person
is quoted. Countries are drawn with a power law (a few are in most of the news, as in real
news); the same stories, office holders and sentences recur across articles.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

STEMS = ("Val", "Ost", "Kar", "Bel", "Mor", "Tar", "Zel", "Ar", "Dun", "Hal", "Is", "Kel", "Lor",
         "Nor", "Pel", "Ras", "Sol", "Ter", "Ul", "Ver", "Bran", "Cor", "Fen", "Gal", "Hest",
         "Jor", "Lun", "Mar", "Ner", "Quel", "Sar", "Tov", "Wen", "Yar", "Zor", "Dal", "Eld",
         "Grav", "Lis", "Orm")
ENDINGS = (("avia", "Avian"), ("enia", "Enian"), ("ovia", "Ovian"), ("aria", "Arian"),
           ("uria", "Urian"), ("onia", "Onian"), ("esia", "Esian"), ("istan", "Istani"),
           ("ethia", "Ethian"), ("inia", "Inian"), ("elia", "Elian"), ("ador", "Adoran"))
CITY_ENDINGS = ("burg", "haven", "port", "vik", "dal", "mont", "stad", "holm", "grad", "field",
                "bridge", "moor", "wick", "ford", "ness")
FIRST_NAMES = ("Anna", "Otto", "Ilse", "Tomas", "Marta", "Jonas", "Elena", "Pavel", "Sofia",
               "Viktor", "Lena", "Aron", "Greta", "Emil", "Nadia", "Oskar", "Vera", "Leon",
               "Ida", "Karl", "Mira", "Stefan", "Olga", "Rasmus", "Dana", "Milan", "Klara",
               "Boris", "Alma", "Felix", "Irina", "Hugo", "Nora", "Anton", "Petra", "Lukas",
               "Zofia", "Matteo", "Runa", "Teodor", "Hana", "Arvid", "Selma", "Casimir",
               "Linnea", "Edvin", "Agata", "Yusuf", "Leila", "Darius")
SURNAMES = ("Brandt", "Kessler", "Maren", "Vell", "Novak", "Lindqvist", "Horvat", "Petrescu",
            "Ahlberg", "Dragan", "Kovac", "Renner", "Sandor", "Tamm", "Varga", "Wolanski",
            "Zeller", "Aksoy", "Baranov", "Castell", "Dorin", "Ekdahl", "Falk", "Gorski",
            "Halloran", "Ivers", "Jansen", "Korhonen", "Lozano", "Mikkelsen", "Nemeth",
            "Orlov", "Palmer", "Quist", "Rostova", "Strand", "Toivonen", "Udall", "Vasquez",
            "Weiss", "Yilmaz", "Zaric", "Abend", "Bergen", "Corvin", "Delmar", "Engel",
            "Forsberg", "Grimm", "Holt", "Iskander", "Jovic", "Kaldor", "Lehto", "Moreau",
            "Nyberg", "Ostrowski", "Pirelli", "Ruud", "Sorel")
ROLES = (  # role -> the post's label, how the text writes it before a name, its rank
    ("president", "President of {c}", "President", 0),
    ("prime-minister", "Prime Minister of {c}", "Prime Minister", 1),
    ("foreign-minister", "Foreign Minister of {c}", "Foreign Minister", 2),
    ("defence-minister", "Defence Minister of {c}", "Defence Minister", 3),
    ("trade-minister", "Trade Minister of {c}", "Trade Minister", 4),
)
IGO_NAMES = ("Northern Trade Council", "Coastal Security Pact", "Union of River States",
             "Highland Economic Forum", "Eastern Energy Community", "Southern Customs Union",
             "Maritime Cooperation Council", "Continental Security Organization")
OUTLET_FORMS = ("{city} Herald", "{country} News Agency", "The {adj} Times", "Radio {country}",
                "{city} Courier", "The {adj} Observer", "{country} Daily", "{city} Tribune")


def slug(text: str) -> str:
    """A registry key: lower-case words joined by hyphens."""
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in out.split("-") if part)


@dataclass
class Entity:
    key: str
    type: str
    label: str
    post_in: str | None = None


@dataclass(eq=False)
class Person:
    key: str
    name: str
    country: Country
    role: str

    @property
    def surname(self) -> str:
        return self.name.split()[-1]

    @property
    def title(self) -> str:
        return next(t for r, _, t, _ in ROLES if r == self.role)

    @property
    def post(self) -> str:
        return f"{self.role}-of-{self.country.key}"


@dataclass(eq=False)
class Country:
    key: str
    name: str
    adjective: str
    cities: list[tuple[str, str]]  # (key, name); the first is the capital
    officials: dict[str, Person] = field(default_factory=dict)
    igos: list[tuple[str, str]] = field(default_factory=list)

    @property
    def capital(self) -> tuple[str, str]:
        return self.cities[0]


@dataclass(eq=False)
class Outlet:
    key: str
    name: str
    country: Country


@dataclass(eq=False)
class Story:
    """One event several articles report: who, where, when, of which kind."""

    id: str
    kind: str  # Visit Meeting Summit PhoneCall AgreementSigning
    date: dt.date
    host: Country
    guest: Country
    actors: list[Person]
    place: tuple[str, str] | None  # (key, name)
    igo: tuple[str, str] | None = None
    others: list[Country] = field(default_factory=list)


@dataclass
class World:
    countries: list[Country]
    weights: list[float]
    igos: list[tuple[str, str]]
    outlets: list[Outlet]
    entities: list[Entity]
    stories: list[Story] = field(default_factory=list)

    def pick_country(self, rng: random.Random, exclude: tuple[Country, ...] = ()) -> Country:
        while True:
            country = rng.choices(self.countries, self.weights)[0]
            if country not in exclude:
                return country


def make_world(rng: random.Random, countries: int = 40, outlets: int = 24) -> World:
    """The registry: about 40 countries with 3 cities, 5 posts and 5 office holders each,
    8 intergovernmental organisations, 24 outlets: some 530 entries."""
    names: set[str] = set()
    people: set[str] = set()
    made: list[Country] = []
    while len(made) < countries:
        stem = rng.choice(STEMS)
        ending, adj = rng.choice(ENDINGS)
        name = stem + ending
        if name in names:
            continue
        names.add(name)
        cities = []
        while len(cities) < 3:
            city = rng.choice(STEMS) + rng.choice(CITY_ENDINGS)
            if city not in names:
                names.add(city)
                cities.append((slug(city), city))
        made.append(Country(slug(name), name, stem + adj.lower(), cities))
    for country in made:
        for role, _, _, _ in ROLES:
            while True:
                person = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
                if person not in people:
                    people.add(person)
                    break
            country.officials[role] = Person(slug(person), person, country, role)
    igos = [(slug(n), n) for n in IGO_NAMES]
    for country in made:
        country.igos = sorted(rng.sample(igos, rng.randint(1, 3)))
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(made))]
    media: list[Outlet] = []
    while len(media) < outlets:
        country = rng.choices(made, weights)[0]
        name = rng.choice(OUTLET_FORMS).format(city=country.capital[1], country=country.name,
                                               adj=country.adjective)
        if name not in names:
            names.add(name)
            media.append(Outlet(slug(name), name, country))
    entities: list[Entity] = []
    for country in made:
        entities.append(Entity(country.key, "Country", country.name))
        entities += [Entity(k, "City", n) for k, n in country.cities]
        for role, label, _, _ in ROLES:
            person = country.officials[role]
            entities.append(Entity(person.post, "Post", label.format(c=country.name),
                                   country.key))
            entities.append(Entity(person.key, "Person", person.name))
    entities += [Entity(k, "IntergovernmentalOrganization", n) for k, n in igos]
    entities += [Entity(o.key, "MediaOrganization", o.name) for o in media]
    return World(made, weights, igos, media, entities)


def make_story(world: World, rng: random.Random, date: dt.date) -> Story:
    """A new event between two countries drawn by the power law."""
    host = world.pick_country(rng)
    guest = world.pick_country(rng, (host,))
    kind = rng.choices(("Visit", "Meeting", "Summit", "PhoneCall", "AgreementSigning"),
                       (4, 3, 1, 2, 2))[0]
    place = rng.choice(host.cities[:2])
    igo, others = None, []
    if kind == "Visit":
        actors = [guest.officials["president"], host.officials["president"]]
        what = f"{guest.officials['president'].surname.lower()}-visit-to-{host.key}"
    elif kind == "Meeting":
        actors = [guest.officials["foreign-minister"], host.officials["foreign-minister"]]
        what = f"{guest.key}-{host.key}-foreign-ministers-meeting"
    elif kind == "Summit":
        igo = rng.choice(host.igos)
        others = [world.pick_country(rng, (host, guest)) for _ in range(2)]
        actors = [c.officials["president"] for c in dict.fromkeys([host, guest, *others])]
        what = f"{igo[0]}-summit"
    elif kind == "PhoneCall":
        actors = [guest.officials["president"], host.officials["president"]]
        place, what = None, f"{guest.key}-{host.key}-leaders-phone-call"
    else:
        actors = [guest.officials["trade-minister"], host.officials["trade-minister"]]
        what = f"{guest.key}-{host.key}-trade-agreement-signing"
    return Story(f"{date.isoformat()}-{slug(what)}", kind, date, host, guest, actors, place, igo,
                 others)
