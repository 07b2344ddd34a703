"""Synthetic data with the shape of kgpub's dataset, at any size, for the serve benchmark.

The real dataset (data/ttl/kgpub.trig, docs/data-model.md) is a few thousand triples: too small
to say anything about a SPARQL server. This writes the same kinds of nodes with the same IRIs,
classes (superclasses materialised, as the converter does) and graphs, in roughly the same
proportions, until the requested number of quads is reached:

* `kgg:vocab` - the stance-type SKOS scheme as a tree with `skos:broader` chains five levels deep
  (so `skos:broader+` has work to do), and a small CAMEO scheme;
* `kgg:entities` - persons, countries, organisations, posts with `rdfs:label`/`schema:name`
  (`@en`, some `@ru`), spellings, descriptions; one `schema:NewsArticle` node per article;
* `kgg:links` - `owl:sameAs` to Wikidata for some entities;
* `kgg:article/{id}` - per article: events (`sem:hasActor`), quotes (`schema:text`), stances
  (`kgp:stanceHolder`, `kgp:stanceTarget`, `kgp:stanceType`, `kgp:polarity`, `kgp:statedOn`,
  `kgp:statedBy`, `kgp:expressedIn`), tenures (`org:Membership`, `org:memberDuring` intervals),
  reported statements, every fact with `kgp:reportedIn` and an `oa:Annotation` carrying a
  `TextQuoteSelector` and a `TextPositionSelector`; some facts are re-reported by a later
  article (the same IRI asserted in two graphs, as corroboration is modelled);
* `kgg:article/{id}/head|provenance|pubinfo` - the nanopublication graphs.

Deterministic for a given --seed. Written as N-Quads, streaming.

    python bench/generate.py --triples 1000000 --out bench/data/synth-1m.nq
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from pathlib import Path
from typing import TextIO

KG = "https://w3id.org/kgpub/"
KGP = KG + "ontology#"
KGR = KG + "id/"
KGST = KG + "stance-type/"
KGG = KG + "graph/"
CAMEO = KG + "cameo/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "http://schema.org/"
ORG = "http://www.w3.org/ns/org#"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
TIME = "http://www.w3.org/2006/time#"
FOAF = "http://xmlns.com/foaf/0.1/"
NP = "http://www.nanopub.org/nschema#"
OWL = "http://www.w3.org/2002/07/owl#"
DCTERMS = "http://purl.org/dc/terms/"
WD = "http://www.wikidata.org/entity/"
TYPE = RDF + "type"

# The classes every instance carries: its kgp: class and the named superclasses (materialised).
AGENT = (KGP + "Agent", FOAF + "Agent", PROV + "Agent")
CLASSES = {
    "person": (KGP + "Person", SCHEMA + "Person", FOAF + "Person", *AGENT),
    "country": (KGP + "Country", SCHEMA + "Country", *AGENT),
    "org": (KGP + "Organization", SCHEMA + "Organization", ORG + "Organization", *AGENT),
    "media": (KGP + "MediaOrganization", SCHEMA + "NewsMediaOrganization",
              KGP + "Organization", SCHEMA + "Organization", ORG + "Organization", *AGENT),
    "post": (KGP + "Post", ORG + "Post"),
    "article": (KGP + "NewsArticle", SCHEMA + "NewsArticle", PROV + "Entity"),
    "quote": (KGP + "Quote", SCHEMA + "Quotation", PROV + "Entity"),
    "stance": (KGP + "Stance", PROV + "Entity"),
    "tenure": (KGP + "Tenure", ORG + "Membership"),
    "statement": (KGP + "ReportedStatement", RDF + "Statement"),
}
EVENT_KINDS = ("Visit", "Meeting", "Summit", "Interview", "Briefing", "Election", "Inauguration")
STANCE_ROOTS = ("Partnership", "Criticism", "Cooperation", "Sovereignty", "GoodNeighbourliness",
                "Mediation", "SecurityConcern", "TradeRelations")
TREE_DEPTH = 5  # levels below each root; every node has two narrower concepts
POLARITIES = ("Positive", "Positive", "Positive", "Negative", "Negative", "Neutral")
MODALITIES = ("Current", "Current", "Intended", "Negated", "Hypothetical", "Historical")
ATTRIBUTIONS = ("DirectQuote", "DirectQuote", "IndirectQuote", "ReportedSpeech")
WORDS = ("strategic", "partner", "relations", "cooperation", "trade", "security", "border",
         "water", "energy", "investment", "railway", "treaty", "friendship", "dialogue",
         "sovereignty", "neighbour", "integration", "sanctions", "pipeline", "agreement",
         "interference", "stability", "region", "union", "visit", "support", "customs",
         "migration", "loan", "military")
SYLLABLES = ("ka", "ro", "vi", "an", "tel", "mar", "sun", "dor", "bek", "ul", "is", "zan", "tor",
             "mi", "lo", "ny", "gar", "os", "el", "ba", "quen", "sha", "dro", "fi")
FIRST_SUFFIX = ("", "a", "ek", "im", "or")
LAST_SUFFIX = ("ov", "ova", "enko", "bayev", "ski", "ani", "escu", "sson")


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r"))


def iri(value: str) -> str:
    return f"<{value}>"


def text(value: str, lang: str | None = "en") -> str:
    """A language-tagged (default) or plain string literal in N-Quads syntax."""
    return f'"{_escape(value)}"@{lang}' if lang else f'"{_escape(value)}"'


def typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def digest(*parts: object) -> str:
    return hashlib.sha1("\n".join(map(str, parts)).encode()).hexdigest()[:12]


class Quads:
    """Streams N-Quads to a file and counts them (the count decides when to stop)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.count = 0
        self._buffer: list[str] = []

    def add(self, s: str, p: str, o: str, g: str) -> None:
        """`s`, `o` are already N-Quads terms (see iri/text/typed); `p`, `g` are bare IRIs."""
        self._buffer.append(f"{s} <{p}> {o} <{g}> .\n")
        self.count += 1
        if len(self._buffer) >= 50_000:
            self.flush()

    def types(self, node: str, kind: str, g: str) -> None:
        for cls in CLASSES[kind]:
            self.add(node, TYPE, iri(cls), g)

    def flush(self) -> None:
        self.out.write("".join(self._buffer))
        self._buffer.clear()


class Registry:
    """The entities facts refer to, with pronounceable names so label filters have work to do."""

    def __init__(self, rng: random.Random, triples: int) -> None:
        self.rng = rng
        seen: set[str] = set()
        self.countries = [self._name(seen, 2, 3, "") for _ in range(
            min(150, max(30, triples // 8000)))]
        self.persons = [(self._name(seen, 1, 2, "first"), self._name(seen, 2, 3, "last"))
                        for _ in range(max(60, triples // 400))]
        self.orgs = [self._name(seen, 2, 3, "") for _ in range(max(20, triples // 10_000))]
        self.media = list(range(8))
        self.country_iris = [f"{KGR}country/{slug(c)}" for c in self.countries]
        self.person_iris = [f"{KGR}person/{slug(f + ' ' + last)}" for f, last in self.persons]
        self.org_iris = [f"{KGR}org/{slug(o)}" for o in self.orgs]
        self.media_iris = [f"{KGR}org/media-{i}" for i in self.media]
        self.posts = [(f"{KGR}post/{role}-of-{slug(c)}", role, i)
                      for i, c in enumerate(self.countries)
                      for role in ("president", "foreign-minister", "prime-minister")]

    def _name(self, seen: set[str], low: int, high: int, kind: str) -> str:
        while True:
            stem = "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(low, high)))
            if kind == "first":
                stem += self.rng.choice(FIRST_SUFFIX)
            elif kind == "last":
                stem += self.rng.choice(LAST_SUFFIX)
            else:
                stem += self.rng.choice(("ia", "stan", "land", "a", "ene"))
            name = stem.capitalize()
            if kind == "first" or name not in seen:
                seen.add(name)
                return name


def slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def write_vocab(q: Quads) -> list[tuple[str, int]]:
    """The stance-type tree and a CAMEO fragment; returns (concept IRI, depth) pairs."""
    g = KGG + "vocab"
    scheme = KGST + "scheme"
    q.add(iri(scheme), TYPE, iri(SKOS + "ConceptScheme"), g)
    q.add(iri(scheme), SKOS + "prefLabel", text("kgpub stance types"), g)
    concepts: list[tuple[str, int]] = []
    for r, root in enumerate(STANCE_ROOTS):
        level = [(f"{KGST}{root}", root)]
        for depth in range(TREE_DEPTH + 1):
            below = []
            for node, name in level:
                words = name.replace("-", " ")
                q.add(iri(node), TYPE, iri(SKOS + "Concept"), g)
                q.add(iri(node), SKOS + "inScheme", iri(scheme), g)
                q.add(iri(node), SKOS + "prefLabel", text(f"{words} (stance type)"), g)
                q.add(iri(node), SKOS + "definition",
                      text(f"The holder expresses {words.lower()} towards the target."), g)
                q.add(iri(node), KGP + "defaultPolarity",
                      iri(KGP + ("Negative" if r in (1, 6) else "Positive")), g)
                q.add(iri(node), KGP + "ploverScore",
                      typed(f"{(r - 3.5) + depth / 10:.1f}", "decimal"), g)
                if depth == 0:
                    q.add(iri(node), SKOS + "topConceptOf", iri(scheme), g)
                    q.add(iri(scheme), SKOS + "hasTopConcept", iri(node), g)
                    q.add(iri(node), SKOS + "closeMatch", iri(f"{CAMEO}0{r + 1}"), g)
                concepts.append((node, depth))
                if depth < TREE_DEPTH:
                    for k in range(2):
                        child = f"{name}-{depth + 1}{'ab'[k]}"
                        below.append((f"{KGST}{child}", child))
                        q.add(iri(f"{KGST}{child}"), SKOS + "broader", iri(node), g)
            level = below
    cameo_scheme = CAMEO + "scheme"
    q.add(iri(cameo_scheme), TYPE, iri(SKOS + "ConceptScheme"), g)
    for top in range(1, 21):
        for code, parent in [(f"{top:02d}", None)] + [
                (f"{top:02d}{k}", f"{top:02d}") for k in range(1, 4)] + [
                (f"{top:02d}{k}{m}", f"{top:02d}{k}") for k in range(1, 4) for m in range(1, 3)]:
            node = iri(CAMEO + code)
            q.add(node, TYPE, iri(SKOS + "Concept"), g)
            q.add(node, SKOS + "inScheme", iri(cameo_scheme), g)
            q.add(node, SKOS + "notation", text(code, None), g)
            q.add(node, SKOS + "prefLabel", text(f"CAMEO {code}"), g)
            if parent:
                q.add(node, SKOS + "broader", iri(CAMEO + parent), g)
    return concepts


def write_registry(q: Quads, reg: Registry) -> None:
    g, links = KGG + "entities", KGG + "links"
    rng = reg.rng

    def labels(node: str, name: str, description: str, ru: bool) -> None:
        for prop in (RDFS + "label", SCHEMA + "name", SKOS + "prefLabel"):
            q.add(node, prop, text(name), g)
        if ru:
            q.add(node, RDFS + "label", text(name.upper(), "ru"), g)
            q.add(node, SCHEMA + "name", text(name.upper(), "ru"), g)
        q.add(node, RDFS + "comment", text(description), g)
        q.add(node, SCHEMA + "description", text(description), g)
        if rng.random() < 0.5:
            q.add(node, OWL + "sameAs", iri(f"{WD}Q{rng.randrange(10**7)}"), links)

    for name, node in zip(reg.countries, reg.country_iris, strict=True):
        q.types(iri(node), "country", g)
        labels(iri(node), name, f"The state of {name}.", True)
        q.add(iri(node), SKOS + "altLabel", text(f"Republic of {name}"), g)
    for i, ((first, last), node) in enumerate(zip(reg.persons, reg.person_iris, strict=True)):
        country = reg.countries[i % len(reg.countries)]
        q.types(iri(node), "person", g)
        labels(iri(node), f"{first} {last}", f"Politician of {country}.", i % 3 == 0)
        q.add(iri(node), SKOS + "altLabel", text(last), g)
    for i, (name, node) in enumerate(zip(reg.orgs, reg.org_iris, strict=True)):
        q.types(iri(node), "org", g)
        labels(iri(node), f"{name} Union", f"An organisation of {i % 7 + 2} states.", False)
        for c in rng.sample(reg.country_iris, 3):
            q.add(iri(c), ORG + "memberOf", iri(node), KGG + "context")
    for i, node in enumerate(reg.media_iris):
        q.types(iri(node), "media", g)
        labels(iri(node), f"Newswire {i}", "A news agency.", False)
    for node, role, c in reg.posts:
        q.types(iri(node), "post", g)
        label = f"{role.replace('-', ' ').title()} of {reg.countries[c]}"
        q.add(iri(node), RDFS + "label", text(label), g)
        q.add(iri(node), ORG + "postIn", iri(reg.country_iris[c]), g)


class Articles:
    """Writes one article's graphs; facts of earlier articles are sometimes reported again."""

    def __init__(self, q: Quads, reg: Registry, concepts: list[tuple[str, int]], seed: int) -> None:
        self.q, self.reg, self.seed = q, reg, seed
        # Stances are typed mostly with deep concepts, as curators pick the most specific one.
        self.types = [c for c, depth in concepts for _ in range(depth)]
        self.earlier: list[tuple[str, int]] = []  # (kind, fact number) of facts already written
        self.facts = 0
        self.first_seen: dict[int, tuple[str, list[str] | None, list[str] | None]] = {}

    def write(self, n: int, rng: random.Random) -> None:
        before = len(self.earlier)
        aid = f"{['rferl', 'tca', 'akipress', 'tass'][n % 4]}-{100000 + n}"
        article, g = f"{KGR}article/{aid}", f"{KGG}article/{aid}"
        year = 2010 + rng.randrange(15)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        chars = rng.randint(1500, 9000)
        self._article_node(article, aid, date, chars, rng)
        self._nanopub(aid, g, article)
        ctx = {"article": article, "graph": g, "date": date, "chars": chars, "rng": rng}
        events = [self._fact("event", ctx) for _ in range(rng.randint(1, 3))]
        ctx["events"] = events
        quotes = [self._fact("quote", ctx) for _ in range(rng.randint(2, 5))]
        ctx["quotes"] = quotes
        for _ in range(rng.randint(3, 8)):
            self._fact("stance", ctx)
        for _ in range(rng.randint(0, 2)):
            self._fact("tenure", ctx)
        if rng.random() < 0.5:
            self._fact("statement", ctx)
        # Re-report up to two facts of earlier articles: one node, asserted in two graphs.
        for kind, number in rng.sample(self.earlier[:before], min(before, rng.randint(0, 2))):
            self._fact(kind, ctx, number)

    def _article_node(self, article: str, aid: str, date: str, chars: int,
                      rng: random.Random) -> None:
        q, g = self.q, KGG + "entities"
        node = iri(article)
        q.types(node, "article", g)
        words = " ".join(rng.choice(WORDS) for _ in range(6))
        headline = f"{rng.choice(self.reg.countries)} and {rng.choice(self.reg.countries)}: {words}"
        q.add(node, SCHEMA + "headline", text(headline), g)
        q.add(node, RDFS + "label", text(headline), g)
        q.add(node, SCHEMA + "datePublished", typed(date, "date"), g)
        q.add(node, SCHEMA + "publisher", iri(rng.choice(self.reg.media_iris)), g)
        q.add(node, SCHEMA + "inLanguage", text("en", None), g)
        q.add(node, SCHEMA + "genre", text("news report", None), g)
        q.add(node, KGP + "characterCount", typed(chars, "nonNegativeInteger"), g)
        q.add(node, KGP + "sha256", text(hashlib.sha256(aid.encode()).hexdigest(), None), g)
        q.add(node, KGP + "sourceFile", text(f"data/articles/{aid}.txt", None), g)

    def _nanopub(self, aid: str, g: str, article: str) -> None:
        q = self.q
        np_node, head = iri(f"{KGG}article/{aid}/np"), f"{KGG}article/{aid}/head"
        prov, pubinfo = f"{KGG}article/{aid}/provenance", f"{KGG}article/{aid}/pubinfo"
        agent = iri(f"{KGR}agent/kgpub-converter")
        activity = iri(f"{KGG}article/{aid}/extraction")
        q.add(np_node, TYPE, iri(NP + "Nanopublication"), head)
        q.add(np_node, NP + "hasAssertion", iri(g), head)
        q.add(np_node, NP + "hasProvenance", iri(prov), head)
        q.add(np_node, NP + "hasPublicationInfo", iri(pubinfo), head)
        q.add(iri(g), PROV + "wasDerivedFrom", iri(article), prov)
        q.add(iri(g), PROV + "wasGeneratedBy", activity, prov)
        q.add(activity, TYPE, iri(PROV + "Activity"), prov)
        q.add(activity, PROV + "used", iri(article), prov)
        q.add(activity, PROV + "wasAssociatedWith", agent, prov)
        q.add(np_node, DCTERMS + "creator", agent, pubinfo)
        q.add(np_node, DCTERMS + "license", iri("https://creativecommons.org/licenses/by/4.0/"),
              pubinfo)
        q.add(np_node, PROV + "wasAttributedTo", agent, pubinfo)

    def _fact(self, kind: str, ctx: dict, number: int | None = None) -> str:
        """Write a fact (new, or an earlier one again) with its evidence; return its IRI."""
        if number is None:
            number = self.facts
            self.facts += 1
            self.earlier.append((kind, number))
            self.first_seen[number] = (ctx["date"], ctx.get("events"), ctx.get("quotes"))
        # The content depends only on the number and the first report's date, events and
        # quotes, so a re-report in a later article repeats the same triples in its own graph.
        date, events, quotes = self.first_seen[number]
        rng = random.Random(self.seed * 1_000_003 + number)
        writer = getattr(self, f"_{kind}")
        node, exact = writer(number, rng, {**ctx, "date": date, "events": events,
                                           "quotes": quotes})
        q, g, article = self.q, ctx["graph"], ctx["article"]
        q.add(iri(node), KGP + "reportedIn", iri(article), g)
        if rng.random() < 0.2:
            q.add(iri(node), KGP + "inference", text(
                f"Read from the sentence around \"{exact[:30]}\"; the date is the article's."), g)
        self._evidence(node, exact, ctx)
        return node

    def _evidence(self, fact: str, exact: str, ctx: dict) -> None:
        q, g, article, rng = self.q, ctx["graph"], ctx["article"], ctx["rng"]
        start = rng.randrange(max(1, ctx["chars"] - len(exact)))
        ann = f"{KGR}ann/{digest(article, fact, start)}"
        target = ann + "/target"
        q.add(iri(fact), KGP + "evidence", iri(ann), g)
        q.add(iri(ann), TYPE, iri(OA + "Annotation"), g)
        q.add(iri(ann), OA + "motivatedBy", iri(OA + "describing"), g)
        q.add(iri(ann), OA + "hasBody", iri(fact), g)
        q.add(iri(ann), OA + "hasTarget", iri(target), g)
        q.add(iri(target), TYPE, iri(OA + "SpecificResource"), g)
        q.add(iri(target), OA + "hasSource", iri(article), g)
        q.add(iri(target), OA + "hasSelector", iri(ann + "/quote"), g)
        q.add(iri(target), OA + "hasSelector", iri(ann + "/position"), g)
        q.add(iri(ann + "/quote"), TYPE, iri(OA + "TextQuoteSelector"), g)
        q.add(iri(ann + "/quote"), OA + "exact", text(exact, None), g)
        q.add(iri(ann + "/quote"), OA + "prefix", text(" ".join(
            rng.choice(WORDS) for _ in range(3))[:20], None), g)
        q.add(iri(ann + "/quote"), OA + "suffix", text(" ".join(
            rng.choice(WORDS) for _ in range(3))[:20], None), g)
        q.add(iri(ann + "/position"), TYPE, iri(OA + "TextPositionSelector"), g)
        q.add(iri(ann + "/position"), OA + "start", typed(start, "nonNegativeInteger"), g)
        q.add(iri(ann + "/position"), OA + "end", typed(start + len(exact), "nonNegativeInteger"),
              g)

    def _event(self, n: int, rng: random.Random, ctx: dict) -> tuple[str, str]:
        q, g, reg = self.q, ctx["graph"], self.reg
        kind = rng.choice(EVENT_KINDS)
        place = rng.randrange(len(reg.countries))
        date = ctx["date"]
        node = f"{KGR}event/{date}-{kind.lower()}-in-{slug(reg.countries[place])}-{n}"
        label = f"{kind} in {reg.countries[place]} on {date}"
        for cls in (KGP + kind, KGP + "Event", SEM + "Event", SCHEMA + "Event"):
            q.add(iri(node), TYPE, iri(cls), g)
        q.add(iri(node), RDFS + "label", text(label), g)
        for actor in rng.sample(reg.person_iris, rng.randint(1, 3)):
            q.add(iri(node), SEM + "hasActor", iri(actor), g)
        q.add(iri(node), SEM + "hasActor", iri(reg.country_iris[place]), g)
        q.add(iri(node), SEM + "hasPlace", iri(reg.country_iris[place]), g)
        q.add(iri(node), SCHEMA + "location", iri(reg.country_iris[place]), g)
        q.add(iri(node), SEM + "hasBeginTimeStamp", typed(date, "date"), g)
        q.add(iri(node), SCHEMA + "startDate", typed(date, "date"), g)
        q.add(iri(node), KGP + "status", iri(KGP + rng.choice(("Occurred", "Occurred",
                                                                  "Scheduled"))), g)
        code = f"{rng.randint(1, 20):02d}{rng.randint(1, 3)}{rng.randint(1, 2)}"
        q.add(iri(node), KGP + "cameoCode", iri(CAMEO + code), g)
        return node, label

    def _quote(self, n: int, rng: random.Random, ctx: dict) -> tuple[str, str]:
        q, g, reg = self.q, ctx["graph"], self.reg
        speaker = rng.randrange(len(reg.persons))
        target = rng.choice(reg.countries)
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20)))
        said = f"We regard {target} as our {words}."
        node = f"{KGR}quote/{digest(reg.person_iris[speaker], said)}"
        q.types(iri(node), "quote", g)
        q.add(iri(node), SCHEMA + "text", text(said), g)
        q.add(iri(node), SCHEMA + "spokenByCharacter", iri(reg.person_iris[speaker]), g)
        q.add(iri(node), KGP + "utteredOn", typed(ctx["date"], "date"), g)
        q.add(iri(node), SCHEMA + "inLanguage", text("en", None), g)
        if ctx.get("events") and rng.random() < 0.6:
            q.add(iri(node), KGP + "utteredIn", iri(rng.choice(ctx["events"])), g)
        if rng.random() < 0.5:
            q.add(iri(node), KGP + "medium", iri(rng.choice(reg.media_iris)), g)
            q.add(iri(node), KGP + "originalLanguage", text("ru", None), g)
        return node, said[:80]

    def _stance(self, n: int, rng: random.Random, ctx: dict) -> tuple[str, str]:
        q, g, reg = self.q, ctx["graph"], self.reg
        holder = rng.randrange(len(reg.countries))
        targets = rng.sample(range(len(reg.countries)), rng.randint(1, 2))
        stance_type = rng.choice(self.types)
        type_name = stance_type.rsplit("/", 1)[1]
        dated = rng.random() < 0.9
        when = ctx["date"] if dated else f"before-{ctx['date']}"
        node = (f"{KGR}stance/{slug(reg.countries[holder])}-"
                + "-".join(slug(reg.countries[t]) for t in targets)
                + f"-{type_name.lower()}-{when}-{n}")
        q.types(iri(node), "stance", g)
        q.add(iri(node), KGP + "stanceHolder", iri(reg.country_iris[holder]), g)
        for t in targets:
            q.add(iri(node), KGP + "stanceTarget", iri(reg.country_iris[t]), g)
        q.add(iri(node), KGP + "stanceType", iri(stance_type), g)
        q.add(iri(node), KGP + "polarity", iri(KGP + rng.choice(POLARITIES)), g)
        q.add(iri(node), KGP + "modality", iri(KGP + rng.choice(MODALITIES)), g)
        attribution = rng.choice(ATTRIBUTIONS)
        q.add(iri(node), KGP + "attributionType", iri(KGP + attribution), g)
        q.add(iri(node), KGP + ("statedOn" if dated else "statedBefore"),
              typed(ctx["date"], "date"), g)
        if rng.random() < 0.7:
            speaker = iri(rng.choice(reg.person_iris))
            q.add(iri(node), KGP + "statedBy", speaker, g)
            q.add(iri(node), PROV + "wasAttributedTo", speaker, g)
        if attribution == "DirectQuote" and ctx.get("quotes"):
            q.add(iri(node), KGP + "expressedIn", iri(rng.choice(ctx["quotes"])), g)
        if ctx.get("events") and rng.random() < 0.5:
            q.add(iri(node), KGP + "expressedDuring", iri(rng.choice(ctx["events"])), g)
        if rng.random() < 0.3:
            q.add(iri(node), KGP + "strength", typed(f"{rng.randint(1, 9) / 10:.1f}", "decimal"),
                  g)
        return node, f"{reg.countries[holder]} sees {reg.countries[targets[0]]} as {type_name}"

    def _tenure(self, n: int, rng: random.Random, ctx: dict) -> tuple[str, str]:
        q, g, reg = self.q, ctx["graph"], self.reg
        person = rng.randrange(len(reg.persons))
        post, role, country = rng.choice(reg.posts)
        node = f"{KGR}tenure/{slug(' '.join(reg.persons[person]))}-{post.rsplit('/', 1)[1]}-{n}"
        interval = node + "/interval"
        begin_year = 1995 + rng.randrange(28)
        q.types(iri(node), "tenure", g)
        q.add(iri(node), ORG + "member", iri(reg.person_iris[person]), g)
        q.add(iri(node), KGP + "post", iri(post), g)
        q.add(iri(node), ORG + "organization", iri(reg.country_iris[country]), g)
        q.add(iri(node), KGP + "roleAsWorded", text(role.replace("-", " ")), g)
        q.add(iri(node), ORG + "memberDuring", iri(interval), g)
        q.add(iri(interval), TYPE, iri(TIME + "ProperInterval"), g)
        q.add(iri(interval), TIME + "hasBeginning", iri(node + "/begin"), g)
        q.add(iri(node + "/begin"), TYPE, iri(TIME + "Instant"), g)
        q.add(iri(node + "/begin"), TIME + "inXSDDate", typed(f"{begin_year}-06-01", "date"), g)
        q.add(iri(node), SCHEMA + "startDate", typed(f"{begin_year}-06-01", "date"), g)
        if rng.random() < 0.6:
            end = begin_year + rng.randint(1, 6)
            q.add(iri(interval), TIME + "hasEnd", iri(node + "/end"), g)
            q.add(iri(node + "/end"), TYPE, iri(TIME + "Instant"), g)
            q.add(iri(node + "/end"), TIME + "inXSDgYear", typed(end, "gYear"), g)
            q.add(iri(node), SCHEMA + "endDate", typed(f"{end}-06-01", "date"), g)
        q.add(iri(reg.person_iris[person]), ORG + "holds", iri(post), g)
        return node, f"{role.replace('-', ' ')} {' '.join(reg.persons[person])}"

    def _statement(self, n: int, rng: random.Random, ctx: dict) -> tuple[str, str]:
        q, g, reg = self.q, ctx["graph"], self.reg
        a, b = rng.sample(range(len(reg.countries)), 2)
        s, p, o = reg.country_iris[a], KGP + "borders", reg.country_iris[b]
        node = f"{KGR}statement/{digest(s, p, o)}"
        q.types(iri(node), "statement", g)
        q.add(iri(node), RDF + "subject", iri(s), g)
        q.add(iri(node), RDF + "predicate", iri(p), g)
        q.add(iri(node), RDF + "object", iri(o), g)
        q.add(iri(s), p, iri(o), g)
        return node, f"{reg.countries[a]} borders {reg.countries[b]}"


def generate(triples: int, out: Path, seed: int = 42) -> tuple[int, int]:
    """Write about `triples` quads to `out`; return (quads, articles)."""
    rng = random.Random(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        q = Quads(fh)
        concepts = write_vocab(q)
        reg = Registry(rng, triples)
        write_registry(q, reg)
        articles = Articles(q, reg, concepts, seed)
        n = 0
        while q.count < triples:  # overshoots by less than one article (a few hundred quads)
            articles.write(n, rng)
            n += 1
        q.flush()
    return q.count, n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000, help="about this many quads")
    parser.add_argument("--out", type=Path, required=True, help="N-Quads file to write")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    begin = time.monotonic()
    count, articles = generate(args.triples, args.out, args.seed)
    print(f"wrote {count:,} quads ({articles:,} articles, "
          f"{(count - args.triples) / args.triples:+.2%} of --triples) to {args.out} "
          f"in {time.monotonic() - begin:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
