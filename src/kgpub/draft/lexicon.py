"""The cue lexicons and the table of states, read from the vocabulary files (data, not code).

`ontology/draft/cues.ttl` holds the cues as triples about the concepts they stand for;
`ontology/stance-types.ttl` says which stance types exist and how they nest (skos:broader);
`ontology/draft/countries.tsv` holds state names, adjectives, capitals and seats of government.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import KGP, KGST
from ..project import resource_file
from .text import DraftError

CUES_FILE = "ontology/draft/cues.ttl"
STANCE_TYPES_FILE = "ontology/stance-types.ttl"
EVENT_TYPES_FILE = "ontology/event-types.ttl"
COUNTRIES_FILE = "ontology/draft/countries.tsv"
"""Resources (see project.resource_file): kgpub's own, or the project's file of that name."""

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
_APOSTROPHE = "['\u2019]"


@dataclass(frozen=True)
class Cue:
    concept: str
    text: str
    pattern: re.Pattern[str]
    words: int


@dataclass(frozen=True)
class CueMatch:
    cue: Cue
    start: int
    end: int

    @property
    def concept(self) -> str:
        return self.cue.concept


def compile_cue(concept: str, text: str) -> Cue:
    """A cue phrase as a regular expression: words, `word*` endings and `...` gaps."""
    regex = ""
    words = 0
    for token in text.split():
        if token == "...":
            regex += r",?(?:[\s\u00a0]+[^\s\u00a0]+){0,4}?"  # "ambassador, X Y, was summoned"
            continue
        words += 1
        body = token.rstrip("*").replace("\u2019", "'")
        core = _APOSTROPHE.join(re.escape(piece) for piece in body.split("'"))
        if body.startswith("'") or body.lower().startswith("n'"):  # 'll, n't: glued to a word
            regex += r"(?<=\w)" + core + r"(?![\w-])"
            continue
        # words of a cue may be split by a quotation mark ("‘shameless interference’ in")
        sep = "[\"'\u2019\u201d\u00bb]?[\\s\u00a0]+[\"'\u2018\u201c\u00ab]?" if regex else ""
        tail = r"[\w'\u2019-]*" if token.endswith("*") else r"(?![\w-])"
        regex += sep + r"(?<![\w-])" + core + tail
    return Cue(concept, text, re.compile(regex, re.IGNORECASE), words)


def find_cues(cues: list[Cue], text: str, start: int = 0, end: int | None = None,
              compatible=None) -> list[CueMatch]:
    """Every cue match in text[start:end]; where matches overlap, the one with most words wins.

    `compatible(a, b)` may let two overlapping matches stand together (for example two sibling
    stance types coordinated on one noun: "strategic and trade partner").
    """
    end = len(text) if end is None else end
    found = [CueMatch(c, m.start(), m.end()) for c in cues
             for m in c.pattern.finditer(text, start, end)]
    found.sort(key=lambda m: (-m.cue.words, -(m.end - m.start), m.start))
    kept: list[CueMatch] = []
    for m in found:
        clash = [k for k in kept if not (m.end <= k.start or m.start >= k.end)]
        if all(compatible is not None and compatible(k, m) for k in clash):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


@dataclass
class StanceRule:
    """What the vocabulary says about drafting one stance type."""

    concept: str
    cues: list[Cue]
    holder_is_state: bool = False
    target_types: set[str] = field(default_factory=set)
    modality: str | None = None
    context: list[Cue] = field(default_factory=list)
    broader: set[str] = field(default_factory=set)
    polarity: str = "Positive"
    # an accusation (CAMEO 112): its cue tells the act of the one charged, not the holder's
    charge: bool = False


@dataclass
class Country:
    name: str
    aliases: list[str]
    adjectives: list[str]
    capitals: list[str]
    seats: list[str]


@dataclass
class Lexicon:
    events: list[Cue]
    stances: dict[str, StanceRule]
    status: list[Cue]
    modality: list[Cue]
    reporting: list[Cue]
    characterization: list[Cue]
    omission: list[Cue]
    intensifiers: dict[str, float | None]
    countries: list[Country]
    generic: list[Cue] = field(default_factory=list)  # "such talks": a kind of event

    @property
    def stance_cues(self) -> list[Cue]:
        return [c for rule in self.stances.values() for c in rule.cues]


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def _read_rdf(path: Path) -> list[ox.Quad]:
    if not path.is_file():
        raise DraftError(f"{path} not found: kgpub draft reads its cue lexicons from kgpub's "
                         "ontology/ (or the project's own); reinstall kgpub", 2)
    try:
        return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise DraftError(f"{path}: not valid Turtle ({exc})", 2) from None


@functools.lru_cache(maxsize=4)
def load_lexicon(root: Path | None) -> Lexicon:
    """Read the lexicon files of the project at `root` (kgpub's own, with the project's own
    files of the same names in their place; None: kgpub's alone), cached per root."""
    quads = (_read_rdf(resource_file(CUES_FILE, root))
             + _read_rdf(resource_file(STANCE_TYPES_FILE, root))
             + _read_rdf(resource_file(EVENT_TYPES_FILE, root)))
    by_subject: dict[str, dict[str, list[ox.NamedNode | ox.Literal | ox.BlankNode]]] = {}
    for q in quads:
        key = str(q.subject.value) if isinstance(q.subject, ox.NamedNode) else f"_:{q.subject}"
        by_subject.setdefault(key, {}).setdefault(q.predicate.value, []).append(q.object)

    def values(subject: str, prop: str) -> list:
        return by_subject.get(subject, {}).get(prop, [])

    def cues(subject: str, prop: str = str(KGP.draftCue)) -> list[Cue]:
        return [compile_cue(_local(subject), o.value) for o in values(subject, prop)]

    members = {o.value for o in values(str(KGST.stanceTypes), SKOS + "member")}
    stances: dict[str, StanceRule] = {}
    for iri in sorted(members):
        rule = StanceRule(_local(iri), cues(iri))
        rule.holder_is_state = any(o.value == str(KGP.Country)
                                   for o in values(iri, str(KGP.draftHolderType)))
        rule.target_types = {_local(o.value) for o in values(iri, str(KGP.draftTargetType))}
        modality = values(iri, str(KGP.draftModality))
        rule.modality = _local(modality[0].value) if modality else None
        rule.context = cues(iri, str(KGP.draftContextCue))
        polarity = values(iri, str(KGP.defaultPolarity))
        rule.polarity = _local(polarity[0].value) if polarity else "Positive"
        rule.charge = any("/cameo/" in o.value and _local(o.value).startswith("112")
                          for o in values(iri, SKOS + "closeMatch"))
        stances[rule.concept] = rule
    for rule in stances.values():
        rule.broader = _ancestors(KGST[rule.concept], values) - {rule.concept}
    intensifiers: dict[str, float | None] = {}
    for node in values(str(KGST.scheme), str(KGP.draftIntensifier)):
        key = f"_:{node}"
        label = values(key, RDFS_LABEL)
        strength = values(key, RDF_VALUE)
        if label:
            intensifiers[label[0].value.lower()] = float(strength[0].value) if strength else None
    event_types = sorted(q.subject.value for q in quads
                         if q.predicate.value == f"{SKOS}inScheme"
                         and q.object.value == str(KGP.EventTypes))
    events = [c for iri in event_types for c in cues(iri)]
    return Lexicon(
        events=events,
        stances={k: r for k, r in stances.items() if r.cues},
        status=cues(str(KGP.Scheduled)) + cues(str(KGP.Cancelled)),
        modality=cues(str(KGP.Intended)) + cues(str(KGP.Negated)) + cues(str(KGP.Hypothetical)),
        reporting=cues(str(KGP.ReportedSpeech)),
        characterization=cues(str(KGP.JournalistCharacterization)),
        omission=cues(str(KGP.Omission)),
        intensifiers=intensifiers,
        countries=_read_countries(resource_file(COUNTRIES_FILE, root)),
        generic=cues(str(KGP.EventTypes), str(KGP.draftGenericCue)),
    )


def _ancestors(concept, values) -> set[str]:
    seen: set[str] = set()
    todo = [str(concept)]
    while todo:
        iri = todo.pop()
        if _local(iri) in seen:
            continue
        seen.add(_local(iri))
        todo.extend(o.value for o in values(iri, SKOS + "broader"))
    return seen


def _read_countries(path: Path) -> list[Country]:
    if not path.is_file():
        raise DraftError(f"{path} not found: kgpub draft reads the table of states from "
                         "kgpub's ontology/draft/ (or the project's own); reinstall kgpub", 2)
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 5:
            raise DraftError(f"{path}:{n}: expected 5 tab-separated columns, found {len(cells)}")
        name, aliases, adjectives, capitals, seats = ([v.strip() for v in c.split(";") if v.strip()]
                                                      for c in cells)
        rows.append(Country(name[0], aliases, adjectives, capitals, seats))
    return rows
