"""Actor linking: every mention of a registry entity, by label, spelling, surname, adjective,
capital, seat of government or acronym; ambiguous mentions stay unlinked with their candidates.

The gazetteer is built from the registry plus the table of states, so nothing here knows any
particular actor. A surface that fits several entities equally well is not guessed: the mention
keeps its candidates and the draft lists them for the curator.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..model import Entity, Registry
from .lexicon import Country, Lexicon
from .text import Document, Span

# How a surface names an entity, best first: the rank decides between candidates.
RANK = {"label": 0, "alt": 0, "acronym": 1, "seat": 2, "capital": 2, "demonym": 3, "surname": 4}
CONFIDENCE = {"label": 0.95, "alt": 0.95, "acronym": 0.9, "seat": 0.85, "capital": 0.8,
              "demonym": 0.8, "surname": 0.9}
PLACE_TYPES = {"City", "Place", "Region"}
AGENT_TYPES = {"Person", "Country", "Organization", "IntergovernmentalOrganization",
               "GovernmentBody", "MediaOrganization", "EducationalOrganization", "CountryGroup"}
LOCATIVE = re.compile(r"(?:\b(?:in|to|from|at|near|outside|into|via|through|towards?|for|"
                      r"of|across|around|visiting|visited|leaves|left)\s+(?:the\s+)?)$",
                      re.IGNORECASE)
TITLE_AFTER = re.compile(
    r"^\s+(?:(?:Foreign|Defen[cs]e|Prime|Interior|Finance|Economy|Deputy|Vice|Acting|"
    r"Government|State|Trade)\s+)*(?:President|Minister|Prime|Premier|Ambassador|Envoy|"
    r"Chancellor|King|Queen|Emir|Leader|leader|Spokes(?:man|woman|person)|spokes(?:man|woman|person)|"
    r"counterpart|Secretary|Governor|Foreign|Defen[cs]e|Army|General|Vice|Deputy|"
    r"envoy|ambassador|president|minister|prime|foreign|premier)\b")
STATE_NOUN_AFTER = re.compile(r"^\s+(?:side|government|authorities|leadership|officials|"
                              r"delegation|administration|regime)\b", re.IGNORECASE)
NAME_PARTICLES = {"de", "van", "von", "der", "bin", "al", "da", "del", "le", "la", "ibn", "el",
                  "dos", "du", "ter", "ten"}


@dataclass
class Mention:
    start: int
    end: int
    surface: str
    key: str | None
    etype: str | None
    how: str
    confidence: float
    candidates: tuple[str, ...] = ()
    possessive: bool = False
    role: str = ""  # "title" (adjective in a title), "state" (stands for the state), "place"
    label: str | None = None  # for a proposed (new) actor

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @property
    def linked(self) -> bool:
        return self.key is not None

    @property
    def is_agent(self) -> bool:
        return self.etype in AGENT_TYPES


@dataclass
class _Surface:
    key: str
    how: str


@dataclass
class Gazetteer:
    registry: Registry
    lexicon: Lexicon
    entities: dict[str, Entity] = field(default_factory=dict)
    surfaces: dict[str, list[_Surface]] = field(default_factory=lambda: defaultdict(list))
    country_of: dict[str, str] = field(default_factory=dict)  # registry key -> table name
    capital_city: dict[str, str] = field(default_factory=dict)  # capital surface -> city key
    city_state: dict[str, str] = field(default_factory=dict)  # capital city key -> state key

    def __post_init__(self) -> None:
        self.entities = {e.key: e for e in self.registry.entities}
        for e in self.registry.entities:
            if e.type == "Post":
                continue
            self._add(e.label, e.key, "label")
            for alt in e.alt_labels:
                self._add(alt, e.key, "acronym" if _is_acronym(alt) else "alt")
            for label in e.labels.values():
                self._add(label, e.key, "alt")
            if e.type == "Person" and _is_name(e.label):
                tokens = e.label.split()
                shorts = {tokens[-1], tokens[0]} if len(tokens) > 1 else set()
                if len(tokens) >= 3:  # Spanish and Portuguese: "Marcelo Arze Zubieta" is Arze
                    shorts |= {tokens[-2], " ".join(tokens[-2:])}
                for short in shorts:
                    if len(short) > 2 and short.lower() not in NAME_PARTICLES:
                        self._add(short, e.key, "surname")
        self._add_states()
        self._add_bodies()
        self._compile()

    # ------------------------------------------------------------------ building
    def _add(self, surface: str, key: str, how: str) -> None:
        surface = surface.strip()
        if not surface:
            return
        for variant in {surface, surface.upper()} if len(surface) > 3 and how in (
                "label", "alt") else {surface}:
            entry = self.surfaces[variant]
            if not any(s.key == key and RANK[s.how] <= RANK[how] for s in entry):
                entry[:] = [s for s in entry if s.key != key] + [_Surface(key, how)]

    def _add_states(self) -> None:
        names: dict[str, Entity] = {}
        for e in self.registry.entities:
            if e.type in {"Country", "IntergovernmentalOrganization"}:
                for name in [e.label, *e.alt_labels]:
                    names.setdefault(name.lower(), e)
        cities = {n.lower(): e.key for e in self.registry.entities if e.type in PLACE_TYPES
                  for n in [e.label, *e.alt_labels]}
        for row in self.lexicon.countries:
            entity = next((names[n.lower()] for n in [row.name, *row.aliases]
                           if n.lower() in names), None)
            if entity is None:
                continue
            self.country_of[entity.key] = row.name
            for name in [row.name, *row.aliases]:
                self._add(name, entity.key, "acronym" if _is_acronym(name) else "alt")
            for adjective in row.adjectives:
                for form in _demonym_forms(adjective):
                    self._add(form, entity.key, "demonym")
            for capital in row.capitals:
                self._add(capital, entity.key, "capital")
                self._add(capital.upper(), entity.key, "capital")
                if capital.lower() in cities:
                    self.capital_city[capital] = cities[capital.lower()]
                    self.capital_city[capital.upper()] = cities[capital.lower()]
                    self.city_state[cities[capital.lower()]] = entity.key
            for seat in row.seats:
                self._add(seat, entity.key, "seat")

    def _add_bodies(self) -> None:
        """ "Foreign Ministry of Ostmark" is also "Ostmark's foreign ministry"."""
        states = {e.label: e.key for e in self.registry.entities if e.type == "Country"}
        for e in self.registry.entities:
            if e.type not in ("GovernmentBody", "Organization"):
                continue
            m = re.fullmatch(r"(?P<body>.+?) of (?:the )?(?P<state>.+)", e.label)
            if not m or m["state"] not in states:
                continue
            row = self.state_of_row(states[m["state"]])
            for body in {m["body"], m["body"].lower()}:
                for apostrophe in ("'", "\u2019"):
                    self._add(f"{m['state']}{apostrophe}s {body}", e.key, "alt")
                for adjective in row.adjectives if row else []:
                    self._add(f"{adjective} {body}", e.key, "alt")

    def _compile(self) -> None:
        ordered = sorted(self.surfaces, key=len, reverse=True)
        alternation = "|".join(re.escape(s) for s in ordered)
        self.pattern = re.compile(rf"(?<![\w'\u2019-])(?:{alternation})(?![\w-])")

    def unknown_states(self, text: str, mentions: list[Mention]) -> list[tuple[str, Span]]:
        """States of the table named in the text that the registry does not have."""
        known = set(self.country_of.values())
        names = {n: row.name for row in self.lexicon.countries if row.name not in known
                 for n in [row.name, *row.aliases] if len(n) > 3}
        if not names:
            return []
        rx = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in
                                                      sorted(names, key=len, reverse=True))
                        + r")(?![\w-])")
        taken = [m.span for m in mentions]
        return [(names[m.group()], Span(m.start(), m.end())) for m in rx.finditer(text)
                if not any(t.start <= m.start() < t.end for t in taken)]

    def state_of_row(self, key: str) -> Country | None:
        name = self.country_of.get(key)
        return next((r for r in self.lexicon.countries if r.name == name), None)

    # ------------------------------------------------------------------ linking
    def link(self, doc: Document, dateline: Span | None = None) -> list[Mention]:
        text = doc.text
        raw = [(m.start(), m.end()) for m in self.pattern.finditer(text)]
        # A person named in full anywhere licenses their surname elsewhere.
        full_named = {s.key for start, end in raw for s in self.surfaces[text[start:end]]
                      if s.how in ("label", "alt") and self.entities[s.key].type == "Person"}
        mentions = []
        for start, end in raw:
            surface = text[start:end]
            mention = self._decide(text, start, end, surface, full_named, dateline)
            if mention is not None:
                mentions.append(mention)
                mentions += self._nested(text, mention)
        self._coordinated_places(text, mentions)
        self._learn_acronyms(text, mentions)
        return mentions

    def _nested(self, text: str, outer: Mention) -> list[Mention]:
        """Entities named inside a longer name ("... in Central Asia", "... of the Kyrgyz
        Presidential Administration"): mentioned too, though never a holder or target."""
        found: list[Mention] = []
        for word in re.finditer(r"(?<![\w'\u2019-])\w", text[outer.start + 1:outer.end]):
            start = outer.start + 1 + word.start()
            if found and start < found[-1].end:
                continue
            m = self.pattern.match(text, start, outer.end)
            options = [o for o in self.surfaces[m.group()] if o.how in ("label", "alt")
                       and o.key != outer.key] if m else []
            if len(options) == 1:
                entity = self.entities[options[0].key]
                found.append(Mention(m.start(), m.end(), m.group(), entity.key, entity.type,
                                     options[0].how, 0.6, role="nested"))
        return found

    def _coordinated_places(self, text: str, mentions: list[Mention]) -> None:
        """ "visited Helsinki and Vilnius": a capital joined to a place is a place too."""
        for prev, m in zip(mentions, mentions[1:], strict=False):
            if prev.role == "place" and m.how == "capital" and m.role == "state" and \
                    re.fullmatch(r",?\s+(?:and\s+)?|,\s+", text[prev.end:m.start]):
                city = self.capital_city.get(m.surface)
                if city is not None:
                    m.key, m.etype, m.how, m.role = city, self.entities[city].type, "label", \
                        "place"

    def _decide(self, text: str, start: int, end: int, surface: str, full_named: set[str],
                dateline: Span | None) -> Mention | None:
        options = self.surfaces[surface]
        if surface in self.capital_city:  # the city and the state it may stand for
            options = [o for o in options if o.how in ("capital", "seat")] or options
        best = min(RANK[o.how] for o in options)
        top = [o for o in options if RANK[o.how] == best]
        possessive = text[end:end + 2] in ("'s", "\u2019s")
        if best == RANK["surname"] and len(top) > 1:
            named = [o for o in top if o.key in full_named]
            top = named if len(named) == 1 else top
        if len({o.key for o in top}) > 1:
            return Mention(start, end, surface, None, None, top[0].how, 0.0,
                           tuple(sorted({o.key for o in top})), possessive)
        choice = top[0]
        entity = self.entities[choice.key]
        confidence = CONFIDENCE[choice.how]
        role = ""
        before = text[max(0, start - 40):start]
        after = text[end:end + 40]
        if choice.how in ("capital", "seat"):
            in_dateline = dateline is not None and start in dateline
            if in_dateline or LOCATIVE.search(before):
                city = self.capital_city.get(surface)
                if city is None:
                    return None
                return Mention(start, end, surface, city, self.entities[city].type, "label",
                               0.9, possessive=possessive, role="place")
            role = "state"
        elif choice.how == "demonym":
            if TITLE_AFTER.match(after):
                role = "title"
            elif STATE_NOUN_AFTER.match(after) or surface.endswith("s"):
                role = "state"
            else:
                role = "adjective"
                confidence = 0.7
        elif choice.how == "surname" and choice.key not in full_named:
            confidence = 0.6
        elif entity.type in PLACE_TYPES:
            role = "place"
        if dateline is not None and start in dateline and entity.type in PLACE_TYPES:
            role = "place"
        return Mention(start, end, surface, choice.key, entity.type, choice.how, confidence,
                       possessive=possessive, role=role)

    def _learn_acronyms(self, text: str, mentions: list[Mention]) -> None:
        """ "Collective Security Treaty Organization (CSTO)": the acronym names it from then on."""
        known = {m.start for m in mentions}
        learned: dict[str, Mention] = {}
        for m in mentions:
            if not m.linked:
                continue
            acro = re.match(r"\s*\(([A-Z][A-Z0-9&-]{1,9})\)", text[m.end:m.end + 14])
            if acro and acro.group(1) not in self.surfaces:
                learned[acro.group(1)] = m
        for acronym, source in learned.items():
            for hit in re.finditer(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", text):
                if hit.start() not in known:
                    mentions.append(Mention(hit.start(), hit.end(), acronym, source.key,
                                            source.etype, "acronym", 0.85))
        mentions.sort(key=lambda m: m.start)


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 1 < len(letters) <= 6 and all(c.isupper() for c in letters)


def _is_name(label: str) -> bool:
    tokens = label.split()
    return all(t[0].isupper() or t.lower() in NAME_PARTICLES for t in tokens) and not any(
        t.endswith(("'s", "\u2019s")) for t in tokens)


def _demonym_forms(adjective: str) -> list[str]:
    forms = [adjective]
    if adjective.endswith(("an", "i")) and " " not in adjective:
        forms.append(adjective + "s")
    return forms
