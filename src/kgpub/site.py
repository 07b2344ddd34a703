"""The HTML side of the linked-data site: home, query, resource, stance, graph and ontology pages.

The server owns HTTP and the store. This module only receives `select`, a coroutine that runs a
SPARQL SELECT over the dataset and returns SPARQL 1.1 JSON bindings, so the pages can be tested
over an in-process store and never depend on the transport. Every query a resource page sends is
bounded (LIMIT/OFFSET, or VALUES over the IRIs already on the page) so pages stay cheap on large
datasets; the home page counts scan the data, and the server caches that page.

Pages are Jinja2 templates (autoescaped) under `templates/`; scripts and styles are files under
`static/`, because the server sends a strict Content-Security-Policy (no inline script or style).
"""

from __future__ import annotations

import asyncio
import math
import re
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .namespaces import PREFIXES

Binding = dict[str, dict[str, str]]
Select = Callable[[str], Awaitable[list[Binding]]]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "http://schema.org/"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
NP = "http://www.nanopub.org/nschema#"
KGP = "https://w3id.org/kgpub/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = RDF + "type"

QUERY_PREFIXES = (
    f"PREFIX rdf: <{RDF}>\nPREFIX rdfs: <{RDFS}>\nPREFIX owl: <{OWL}>\nPREFIX skos: <{SKOS}>\n"
    f"PREFIX schema: <{SCHEMA}>\nPREFIX dcterms: <{DCTERMS}>\nPREFIX prov: <{PROV}>\n"
    f"PREFIX np: <{NP}>\nPREFIX kgp: <{KGP}>\nPREFIX oa: <http://www.w3.org/ns/oa#>\n"
    "PREFIX void: <http://rdfs.org/ns/void#>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
)
# Label predicates, best first; languages are ranked before predicates (see _best_label).
LABEL_PREDICATES = ("skos:prefLabel", "rdfs:label", "schema:name", "dcterms:title", "foaf:name",
                    "schema:headline")
SAME_AS_PREDICATES = (OWL + "sameAs", SKOS + "exactMatch", SKOS + "closeMatch")
# Namespaces whose terms are vocabulary (shown by a humanised local name when unlabelled);
# terms of the other prefixes (instances, graphs, Wikidata items) are shown as CURIEs.
INSTANCE_PREFIXES = {"kgr", "kgg", "wd", "kgst", "cameo", "plover", "kgsh"}
POLARITY_COLOURS = {"Positive": "#1b7f3b", "Negative": "#c62828", "Neutral": "#6b6b6b"}
OTHER_COLOUR = "#1f5fa8"
FORBIDDEN_IRI_CHARS = set('<>"{}|^`\\ ') | {chr(i) for i in range(0x21)}
INCOMING_GRAPH_CAP = 10_000
GRAPH_COUNT_CAP = 100_000
NETWORK_MAX_STANCES = 2_000
NETWORK_MAX_NODES = 40
MODALITY_PHRASES = {"Intended": "intended", "Negated": "denied", "Hypothetical": "hypothetical",
                    "Historical": "in the past"}
GRAPH_KINDS = (  # what the named graphs of a kgpub build hold (docs/data-model.md)
    (r"graph/article/[^/]+/head", "The nanopublication head of one article: it names the "
                                  "assertion, provenance and publication-info graphs."),
    (r"graph/article/[^/]+/provenance", "The provenance of one article's assertion graph: what "
                                        "it was derived from and how it was extracted."),
    (r"graph/article/[^/]+/pubinfo", "The licence and creator of one article's "
                                     "nanopublication."),
    (r"graph/article/[^/]+", "The facts extracted from one news article, each with "
                             "kgp:reportedIn and its evidence annotations."),
    (r"graph/pagechrome/.+", "Facts from the page boilerplate around one article, dated to the "
                             "capture rather than the article."),
    (r"graph/entities", "The registry: entities with their types, labels and spellings, and the "
                        "article metadata."),
    (r"graph/links", "Links to Wikidata: owl:sameAs for verified items, skos:exactMatch for "
                     "offices."),
    (r"graph/context", "External context facts, each with a bibliographic citation."),
    (r"graph/vocab", "The SKOS schemes: stance types, CAMEO codes and PLOVER categories."),
)


@dataclass(frozen=True)
class SiteConfig:
    """What the pages need to know about where they are published."""

    base_iri: str = "https://w3id.org/kgpub/"
    title: str = "kgpub"
    page_size: int = 50
    description: str = ("Facts, quotes and diplomatic stances curated from news articles, with "
                        "provenance to the evidence span of every fact.")


@dataclass(frozen=True)
class Term:
    """An RDF term ready for display: label, link target, language or datatype."""

    kind: str  # "uri", "literal", "bnode" or "triple"
    value: str
    label: str
    href: str | None = None
    curie: str | None = None
    lang: str | None = None
    datatype: str | None = None
    datatype_label: str | None = None
    external: bool = False


@dataclass(frozen=True)
class Example:
    """One query file of queries_dir: the competency questions shown as runnable examples."""

    id: str
    title: str
    description: str
    query: str
    run_href: str


@dataclass
class Evidence:
    """One evidence span: prefix ... exact ... suffix at [start, end) of an article."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    annotation: Term | None = None


@dataclass
class ArticleProvenance:
    """An article stating a fact, the graphs that say so, and the evidence spans it gives."""

    article: Term
    publisher: Term | None = None
    date: str = ""
    graphs: list[Term] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


def bindings_from_pyoxigraph(solutions: Any) -> list[Binding]:
    """Convert pyoxigraph QuerySolutions to SPARQL 1.1 JSON bindings (for tests and tools)."""
    import pyoxigraph as ox

    def convert(term: Any) -> dict[str, str]:
        if isinstance(term, ox.NamedNode):
            return {"type": "uri", "value": term.value}
        if isinstance(term, ox.BlankNode):
            return {"type": "bnode", "value": term.value}
        if isinstance(term, ox.Literal):
            out = {"type": "literal", "value": term.value}
            if term.language:
                out["xml:lang"] = term.language
            elif term.datatype.value != XSD + "string":
                out["datatype"] = term.datatype.value
            return out
        return {"type": "triple", "value": str(term)}

    names = [v.value for v in solutions.variables]
    rows: list[Binding] = []
    for solution in solutions:
        row = {}
        for name in names:
            term = solution[name]
            if term is not None:
                row[name] = convert(term)
        rows.append(row)
    return rows


def _is_safe_iri(iri: str) -> bool:
    return bool(iri) and ":" in iri and not any(c in FORBIDDEN_IRI_CHARS for c in iri)


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{i}>" for i in iris)


def _humanise(local: str) -> str:
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|[_-]+", " ", local).split()
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words) or local


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def _join(items: list[Any]) -> list[Any]:
    """[a, b, c] -> [a, ", ", b, " and ", c] (segments for a sentence)."""
    out: list[Any] = []
    for i, item in enumerate(items):
        if i:
            out.append(" and " if i == len(items) - 1 else ", ")
        out.append(item)
    return out


def _lang_rank(lang: str) -> int:
    if lang == "en":
        return 0
    if lang.startswith("en-"):
        return 1
    return 2 if not lang else 3


def _int(value: dict[str, str] | None) -> int | None:
    try:
        return int(value["value"]) if value else None
    except ValueError:
        return None


class Site:
    """Renders the site's pages from SPARQL answers; never touches the store or HTTP."""

    def __init__(self, select: Select, config: SiteConfig, queries_dir: Path | None) -> None:
        self._select = select
        self.config = config
        self.queries_dir = queries_dir
        self._namespaces = sorted(((p, str(ns)) for p, ns in PREFIXES.items()),
                                  key=lambda item: -len(item[1]))
        self.env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True,
                               trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined)
        self.env.globals.update(site=config, href=self.href)

    # -- IRIs and terms ----------------------------------------------------------------------

    def href(self, iri: str) -> str:
        """The local path of an IRI under base_iri (served here), else the IRI itself."""
        base = self.config.base_iri
        if base and iri.startswith(base):
            return "/" + iri[len(base):].lstrip("/")
        return iri

    def is_local(self, iri: str) -> bool:
        """Whether the IRI is served by this site (so it is linked locally)."""
        return bool(self.config.base_iri) and iri.startswith(self.config.base_iri)

    def curie(self, iri: str) -> str | None:
        """prefix:local for IRIs in a known namespace, so unlabelled terms stay readable."""
        for prefix, ns in self._namespaces:
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return None

    def fallback_label(self, iri: str) -> str:
        """A label for an IRI the data does not label: vocabulary by name, instances by CURIE."""
        curie = self.curie(iri)
        if curie is None:
            return iri
        prefix, _, local = curie.partition(":")
        if prefix in INSTANCE_PREFIXES or "/" in local:
            return curie
        return _humanise(local)

    def term(self, value: dict[str, str], labels: dict[str, str] | None = None) -> Term:
        """A SPARQL JSON term as a display Term (labels: IRI -> label, from _labels)."""
        kind = value.get("type", "literal")
        text = value.get("value", "")
        if kind == "uri":
            label = (labels or {}).get(text) or self.fallback_label(text)
            return Term("uri", text, label, href=self.href(text), curie=self.curie(text),
                        external=not self.is_local(text))
        if kind == "bnode":
            return Term("bnode", text, f"_:{text}")
        if kind in ("literal", "typed-literal"):
            datatype = value.get("datatype")
            return Term("literal", text, text, lang=value.get("xml:lang"), datatype=datatype,
                        datatype_label=(self.curie(datatype) or datatype) if datatype else None)
        return Term(kind, text, text)

    def iri_term(self, iri: str, labels: dict[str, str] | None = None) -> Term:
        """The Term for an IRI."""
        return self.term({"type": "uri", "value": iri}, labels)

    # -- querying ----------------------------------------------------------------------------

    async def _run(self, query: str) -> list[Binding]:
        return await self._select(QUERY_PREFIXES + query)

    async def _labels(self, iris: Iterable[str]) -> dict[str, str]:
        """Best label of each IRI (English first, then untagged, then any), in bounded batches."""
        todo = sorted({i for i in iris if i and _is_safe_iri(i)})
        found: dict[str, tuple[int, int, str]] = {}
        predicates = " ".join(LABEL_PREDICATES)
        for start in range(0, len(todo), 150):
            chunk = todo[start:start + 150]
            rows = await self._run(
                f"SELECT DISTINCT ?x ?p ?l WHERE {{ VALUES ?x {{ {_values(chunk)} }} "
                f"VALUES ?p {{ {predicates} }} ?x ?p ?l FILTER(isLiteral(?l)) }}")
            order = {self._expand(p): n for n, p in enumerate(LABEL_PREDICATES)}
            for row in rows:
                x, p, lit = row["x"]["value"], row["p"]["value"], row["l"]
                rank = (_lang_rank(lit.get("xml:lang", "")), order.get(p, 99), lit["value"])
                if x not in found or rank < found[x]:
                    found[x] = rank
        labels = {x: rank[2] for x, rank in found.items()}
        unlabelled = [i for i in todo if i not in labels]
        if unlabelled:
            labels.update(await self._derived_labels(unlabelled))
        return labels

    async def _derived_labels(self, iris: list[str]) -> dict[str, str]:
        """Labels for unlabelled stances ("A → B: type, date") and quotes (their text)."""
        out: dict[str, str] = {}
        for start in range(0, len(iris), 150):
            chunk = _values(iris[start:start + 150])
            stances, quotes = await asyncio.gather(
                self._run(f"SELECT DISTINCT ?x ?h ?t ?type ?on ?before WHERE {{ VALUES ?x "
                          f"{{ {chunk} }} ?x a kgp:Stance ; kgp:stanceHolder ?h ; "
                          "kgp:stanceTarget ?t ; kgp:stanceType ?type "
                          "OPTIONAL { ?x kgp:statedOn ?on } "
                          "OPTIONAL { ?x kgp:statedBefore ?before } } LIMIT 2000"),
                self._run(f"SELECT ?x (SAMPLE(?text) AS ?t) WHERE {{ VALUES ?x {{ {chunk} }} "
                          "?x a kgp:Quote ; schema:text ?text } GROUP BY ?x"),
            )
            for row in quotes:
                text = row["t"]["value"]
                out[row["x"]["value"]] = "“" + (text if len(text) <= 90 else
                                                text[:88].rstrip() + "…") + "”"
            if not stances:
                continue
            names = await self._labels({row[k]["value"] for row in stances
                                        for k in ("h", "t", "type")})
            parts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
            for row in stances:
                entry = parts[row["x"]["value"]]
                for key in ("h", "t", "type"):
                    iri = row[key]["value"]
                    entry[key].add(names.get(iri) or self.fallback_label(iri))
                if "on" in row:
                    entry["date"].add(row["on"]["value"])
                elif "before" in row:
                    entry["date"].add("before " + row["before"]["value"])
            for x, entry in parts.items():
                label = (f"{', '.join(sorted(entry['h']))} → {', '.join(sorted(entry['t']))}: "
                         f"{', '.join(sorted(entry['type']))}")
                if entry["date"]:
                    label += f" ({sorted(entry['date'])[0]})"
                out[x] = label
        return out

    def _expand(self, curie: str) -> str:
        prefix, _, local = curie.partition(":")
        return str(PREFIXES[prefix]) + local

    # -- examples ----------------------------------------------------------------------------

    def examples(self) -> list[Example]:
        """The .rq files of queries_dir, titled by their leading comment lines."""
        if self.queries_dir is None or not Path(self.queries_dir).is_dir():
            return []
        out = []
        for path in sorted(Path(self.queries_dir).glob("*.rq")):
            text = path.read_text(encoding="utf-8")
            comments = []
            for line in text.splitlines():
                if not line.startswith("#"):
                    break
                comments.append(line.lstrip("#").strip())
            header = " ".join(c for c in comments if c)
            cut = header.find("?") + 1 or len(comments[0] if comments else "")
            title, description = header[:cut].strip() or path.stem, header[cut:].strip()
            out.append(Example(path.stem, title, description, text,
                               "/sparql?query=" + quote(text, safe="")))
        return out

    # -- pages -------------------------------------------------------------------------------

    def _render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**context)

    def error_page(self, status: int, title: str, message: str) -> str:
        """A plain page for an error status: what went wrong and where to go, no traceback."""
        return self._render("error.html", status=status, title=title, message=message)

    def dumps_page(self, listing: list[dict[str, Any]]) -> str:
        """The /dumps/ index for browsers (the server passes its JSON listing)."""
        files = sorted(({"name": str(d.get("name", "")), "url": str(d.get("url", "")),
                         "mediaType": str(d.get("mediaType", "")), "bytes": d.get("bytes", "")}
                        for d in listing), key=lambda d: d["name"])
        return self._render("dumps.html", files=files)

    async def query_page(self, query: str | None) -> str:
        """The query editor; pre-filled and run at once when a query is given."""
        examples = self.examples()
        default = examples[0].query if examples else \
            "SELECT ?s ?p ?o WHERE {\n  ?s ?p ?o\n}\nLIMIT 10\n"
        data = {"baseIri": self.config.base_iri, "endpoint": "/sparql",
                "prefixes": {p: str(ns) for p, ns in PREFIXES.items()},
                "autorun": bool(query and query.strip())}
        return self._render("query.html", query=query if query else default,
                            autorun=data["autorun"], examples=examples, data=data)

    async def home(self) -> str:
        """The dataset at a glance: counts, named graphs, examples, the stance network."""
        graph_rows, articles, actors, stances, network_rows = await asyncio.gather(
            self._run("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"),
            self._run("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kgp:NewsArticle }"),
            self._run("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kgp:Agent }"),
            self._run("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kgp:Stance }"),
            self._run(
                "SELECT DISTINCT ?st ?h ?t ?type ?pol WHERE { ?st a kgp:Stance ; "
                "kgp:stanceHolder ?h ; kgp:stanceTarget ?t ; kgp:stanceType ?type . "
                "OPTIONAL { ?st kgp:polarity ?pol } FILTER(isIRI(?h) && isIRI(?t)) } "
                f"LIMIT {NETWORK_MAX_STANCES}"),
        )
        graphs = sorted(((r["g"]["value"], _int(r["n"]) or 0) for r in graph_rows
                         if r.get("g", {}).get("type") == "uri"), key=lambda g: g[0])
        iris = {g for g, _ in graphs}
        for row in network_rows:
            iris.update(row[k]["value"] for k in ("h", "t", "type") if k in row)
        labels = await self._labels(iris)
        counts = {
            "triples": sum(n for _, n in graphs),
            "graphs": len(graphs),
            "articles": _int(articles[0].get("n")) if articles else 0,
            "actors": _int(actors[0].get("n")) if actors else 0,
            "stances": _int(stances[0].get("n")) if stances else 0,
        }
        return self._render(
            "home.html", counts=counts, examples=self.examples(),
            graphs=[(self.iri_term(g, labels), n) for g, n in graphs],
            network=self.network(network_rows, labels))

    # -- the stance network --------------------------------------------------------------------

    def network(self, rows: list[Binding], labels: dict[str, str]) -> dict[str, Any]:
        """Server-side SVG geometry: actors on a circle sorted by label, one curved edge per
        (holder, target, stance type), coloured by polarity, numbered by stance type."""
        edges: dict[tuple[str, str, str], dict[str, Any]] = {}
        for row in rows:
            key = (row["h"]["value"], row["t"]["value"], row["type"]["value"])
            edge = edges.setdefault(key, {"stances": set(), "polarity": Counter()})
            edge["stances"].add(row["st"]["value"])
            pol = row.get("pol", {}).get("value", "")
            edge["polarity"][_local_name(pol) if pol else ""] += 1

        def label(iri: str) -> str:
            return labels.get(iri) or self.fallback_label(iri)

        degree: Counter[str] = Counter()
        for h, t, _ in edges:
            degree[h] += 1
            degree[t] += 1
        keep = {n for n, _ in sorted(degree.items(), key=lambda d: (-d[1], label(d[0]), d[0]))
                [:NETWORK_MAX_NODES]}
        edges = {k: v for k, v in edges.items() if k[0] in keep and k[1] in keep}
        nodes = sorted({n for k in edges for n in k[:2]}, key=lambda n: (label(n).casefold(), n))
        types = sorted({k[2] for k in edges}, key=lambda t: (label(t).casefold(), t))
        number = {t: i + 1 for i, t in enumerate(types)}

        width, height = 1000, 800
        cx, cy, radius = width / 2, height / 2, 280 if len(nodes) > 2 else 200
        pos: dict[str, tuple[float, float]] = {}
        node_views = []
        for i, node in enumerate(nodes):
            angle = -math.pi / 2 + 2 * math.pi * i / max(1, len(nodes))
            ux, uy = math.cos(angle), math.sin(angle)
            x, y = cx + radius * ux, cy + radius * uy
            pos[node] = (x, y)
            lines = _wrap(label(node), 22)
            anchor = "start" if ux > 0.2 else "end" if ux < -0.2 else "middle"
            lx, ly = cx + (radius + 16) * ux, cy + (radius + 16) * uy
            if uy < -0.3:
                first = ly - 15 * (len(lines) - 1)
            elif uy > 0.3:
                first = ly + 10
            else:
                first = ly + 4 - 7.5 * (len(lines) - 1)
            node_views.append({"iri": node, "href": self.href(node), "label": label(node),
                               "x": _f(x), "y": _f(y), "anchor": anchor,
                               "lines": [(_f(lx), _f(first + 15 * j), text)
                                         for j, text in enumerate(lines)]})

        by_pair: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
        index = {n: i for i, n in enumerate(nodes)}
        for key in edges:
            a, b = sorted(key[:2], key=lambda n: index[n])
            by_pair[(a, b)].append(key)
        edge_views = []
        for (a, b), keys in sorted(by_pair.items(), key=lambda p: (index[p[0][0]], index[p[0][1]])):
            keys.sort(key=lambda k: (k[0] != a, label(k[2]).casefold(), k[2]))
            for j, key in enumerate(keys):
                offset = (j - (len(keys) - 1) / 2) * 30
                edge_views.append(self._edge_view(key, edges[key], pos, (a, b), offset,
                                                  number[key[2]], label))
        legend = [{"number": number[t], "label": label(t), "href": self.href(t),
                   "colour": _colour(Counter(p for k, e in edges.items() if k[2] == t
                                             for p in e["polarity"].elements()))}
                  for t in types]
        return {"width": width, "height": height, "nodes": node_views, "edges": edge_views,
                "legend": legend, "colours": POLARITY_COLOURS, "other_colour": OTHER_COLOUR,
                "truncated": len(rows) >= NETWORK_MAX_STANCES or len(degree) > len(keep)}

    def _edge_view(self, key: tuple[str, str, str], edge: dict[str, Any],
                   pos: dict[str, tuple[float, float]], pair: tuple[str, str], offset: float,
                   number: int, label: Callable[[str], str]) -> dict[str, Any]:
        holder, target, stance_type = key
        (sx, sy), (tx, ty) = pos[holder], pos[target]
        polarity = edge["polarity"].most_common(1)[0][0] if edge["polarity"] else ""
        stances = sorted(edge["stances"])
        node_r = 8.0
        if holder == target:  # a self-loop, drawn outward
            ux, uy = _unit(sx - 500, sy - 400)
            p1 = (sx + 60 * ux - 25 * uy, sy + 60 * uy + 25 * ux)
            p2 = (sx + 60 * ux + 25 * uy, sy + 60 * uy - 25 * ux)
            d = f"M{_f(sx)},{_f(sy)} C{_f(p1[0])},{_f(p1[1])} {_f(p2[0])},{_f(p2[1])} " \
                f"{_f(sx)},{_f(sy)}"
            bx, by = sx + 45 * ux, sy + 45 * uy
        else:
            (ax, ay), (bx0, by0) = pos[pair[0]], pos[pair[1]]
            nx, ny = _unit(-(by0 - ay), bx0 - ax)
            mx, my = (sx + tx) / 2, (sy + ty) / 2
            qx, qy = mx + 2 * offset * nx, my + 2 * offset * ny
            ux, uy = _unit(qx - sx, qy - sy)
            vx, vy = _unit(qx - tx, qy - ty)
            start = (sx + node_r * ux, sy + node_r * uy)
            end = (tx + (node_r + 2) * vx, ty + (node_r + 2) * vy)
            d = f"M{_f(start[0])},{_f(start[1])} Q{_f(qx)},{_f(qy)} {_f(end[0])},{_f(end[1])}"
            bx, by = mx + offset * nx, my + offset * ny
        title = f"{label(holder)} → {label(target)}: {label(stance_type)}"
        if polarity:
            title += f" ({polarity.lower()})"
        if len(stances) > 1:
            title += f"; {len(stances)} stances"
        return {"d": d, "href": self.href(stances[0]), "holder": holder, "target": target,
                "type": stance_type, "polarity": polarity.lower() or "other",
                "colour": POLARITY_COLOURS.get(polarity, OTHER_COLOUR), "number": number,
                "bx": _f(bx), "by": _f(by), "title": title, "stances": stances}

    # -- resource pages ------------------------------------------------------------------------

    async def resource_page(self, iri: str, page: int = 1) -> str | None:
        """The page of one IRI: label, types, links out and in, provenance, graphs; a stance
        leads with its sentence and a graph name lists its triples. None when nothing is known."""
        if not _is_safe_iri(iri):
            return None
        page = max(1, int(page))
        size = max(1, self.config.page_size)
        offset = (page - 1) * size
        me = f"<{iri}>"
        (types_rows, out_rows, in_rows, graph_probe, gout_rows, gin_rows, same_rows,
         stmt_rows) = await asyncio.gather(
            self._run(f"SELECT DISTINCT ?t WHERE {{ {me} a ?t }} LIMIT 200"),
            self._run(f"SELECT DISTINCT ?p ?o WHERE {{ {me} ?p ?o FILTER(?p != rdf:type) }} "
                      f"LIMIT {size + 1} OFFSET {offset}"),
            self._run(f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {me} }} "
                      f"LIMIT {size + 1} OFFSET {offset}"),
            self._run(f"SELECT ?s WHERE {{ GRAPH {me} {{ ?s ?p ?o }} }} LIMIT 1"),
            self._run(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ {me} ?p ?o }} }} "
                      "GROUP BY ?g LIMIT 1000"),
            self._run(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ {{ SELECT ?g WHERE {{ GRAPH ?g {{ "
                      f"?s ?p {me} }} }} LIMIT {INCOMING_GRAPH_CAP + 1} }} }} GROUP BY ?g"),
            self._run(f"SELECT DISTINCT ?p ?o WHERE {{ VALUES ?p {{ owl:sameAs skos:exactMatch "
                      f"skos:closeMatch }} {me} ?p ?o FILTER(isIRI(?o)) }} LIMIT 100"),
            self._run(f"SELECT DISTINCT ?st ?p ?o ?g WHERE {{ {{ SELECT DISTINCT ?st WHERE {{ "
                      f"?st rdf:subject {me} }} LIMIT 50 }} GRAPH ?g {{ ?st rdf:predicate ?p ; "
                      "rdf:object ?o } }"),
        )
        is_graph = bool(graph_probe)
        if not (types_rows or out_rows or in_rows or is_graph or gout_rows):
            if page == 1:
                return None
            probe = await self._run(f"SELECT ?x WHERE {{ {{ {me} ?p ?x }} UNION "
                                    f"{{ ?x ?p {me} }} }} LIMIT 1")
            if not probe:
                return None

        type_iris = [r["t"]["value"] for r in types_rows if r["t"]["type"] == "uri"]
        is_stance = KGP + "Stance" in type_iris
        statements = sorted({r["st"]["value"] for r in stmt_rows})
        stance_task = self._stance_data(me) if is_stance else _none()
        graph_task = self._graph_data(me, size, offset) if is_graph else _none()
        stance_data, graph_data, provenance = await asyncio.gather(
            stance_task, graph_task, self._provenance([iri, *statements]))

        iris: set[str] = {iri, *type_iris}
        for rows in (out_rows, in_rows, same_rows, stmt_rows, gout_rows, gin_rows):
            for row in rows:
                iris.update(v["value"] for v in row.values() if v.get("type") == "uri")
        for rows in (stance_data or {}).values():
            for row in rows:
                iris.update(v["value"] for v in row.values() if v.get("type") == "uri")
        if graph_data:
            for row in graph_data["rows"] + graph_data["about"]:
                iris.update(v["value"] for v in row.values() if v.get("type") == "uri")
        iris.update(provenance["iris"])
        labels = await self._labels(iris)

        me_term = self.iri_term(iri, labels)
        types = sorted((self.iri_term(t, labels) for t in type_iris),
                       key=lambda t: (not t.value.startswith(KGP), t.label.casefold(), t.value))
        outgoing = sorted(((self.term(r["p"], labels), self.term(r["o"], labels))
                           for r in out_rows[:size]),
                          key=lambda po: (po[0].label.casefold(), po[0].value,
                                          po[1].kind != "literal", po[1].label.casefold()))
        incoming = sorted(((self.term(r["s"], labels), self.term(r["p"], labels))
                           for r in in_rows[:size]),
                          key=lambda sp: (sp[1].label.casefold(), sp[1].value,
                                          sp[0].label.casefold()))
        graphs = self._graph_list(gout_rows, gin_rows, labels)
        same_as = sorted({(self.term(r["p"], labels), self.term(r["o"], labels))
                          for r in same_rows if not self.is_local(r["o"]["value"])},
                         key=lambda po: (po[0].value, po[1].value))
        by_statement: dict[str, set[tuple[Term, Term]]] = defaultdict(set)
        statement_graphs: dict[str, set[str]] = defaultdict(set)
        for row in stmt_rows:
            by_statement[row["st"]["value"]].add((self.term(row["p"], labels),
                                                  self.term(row["o"], labels)))
            statement_graphs[row["st"]["value"]].add(row["g"]["value"])
        reported = sorted(
            ({"statement": self.iri_term(st, labels),
              "triples": sorted(pos, key=lambda po: (po[0].label, po[1].label)),
              "graphs": [self.iri_term(g, labels) for g in sorted(statement_graphs[st])],
              "articles": self._article_views(provenance, st, labels)}
             for st, pos in by_statement.items()),
            key=lambda r: [(p.label.casefold(), o.label.casefold()) for p, o in r["triples"]])
        has_next = len(out_rows) > size or len(in_rows) > size or \
            bool(graph_data and len(graph_data["rows"]) > size)
        return self._render(
            "resource.html", me=me_term, types=types, outgoing=outgoing, incoming=incoming,
            graphs=graphs, same_as=same_as, reported=reported,
            articles=self._article_views(provenance, iri, labels),
            sentence=self._stance_sentence(stance_data, labels) if stance_data else None,
            graph=self._graph_view(iri, graph_data, labels, size) if graph_data else None,
            page=page, has_next=has_next, page_size=size,
            data_links=self._data_links(iri))

    def _data_links(self, iri: str) -> list[tuple[str, str]]:
        if not self.is_local(iri):
            return []
        local = iri[len(self.config.base_iri):].lstrip("/")
        return [(name, f"/data/{local}?format={fmt}")
                for name, fmt in (("Turtle", "ttl"), ("JSON-LD", "jsonld"),
                                  ("N-Triples", "nt"), ("RDF/XML", "rdf"))]

    def _graph_list(self, gout: list[Binding], gin: list[Binding],
                    labels: dict[str, str]) -> list[dict[str, Any]]:
        graphs: dict[str, dict[str, Any]] = {}
        for key, rows in (("out", gout), ("in", gin)):
            for row in rows:
                if row.get("g", {}).get("type") != "uri":
                    continue
                g = row["g"]["value"]
                entry = graphs.setdefault(g, {"graph": self.iri_term(g, labels), "out": 0,
                                              "in": 0, "in_capped": False})
                entry[key] = _int(row.get("n")) or 0
        total_in = sum(e["in"] for e in graphs.values())
        for entry in graphs.values():
            entry["in_capped"] = total_in > INCOMING_GRAPH_CAP
        return sorted(graphs.values(), key=lambda e: e["graph"].value)

    async def _stance_data(self, me: str) -> dict[str, list[Binding]]:
        props, hops = await asyncio.gather(
            self._run(
                "SELECT DISTINCT ?p ?o WHERE { VALUES ?p { kgp:stanceHolder kgp:stanceTarget "
                "kgp:stanceType kgp:polarity kgp:modality kgp:attributionType kgp:statedBy "
                "kgp:statedOn kgp:statedBefore kgp:targetAsWorded kgp:intensifier "
                f"kgp:characterizedBy kgp:expressedIn kgp:reportedIn }} {me} ?p ?o }} LIMIT 500"),
            self._run(
                "SELECT DISTINCT ?via ?x ?p ?o WHERE { VALUES (?via ?p) { "
                "(kgp:expressedIn kgp:medium) (kgp:reportedIn schema:publisher) "
                f"(kgp:stanceType kgp:defaultPolarity) }} {me} ?via ?x . ?x ?p ?o }} LIMIT 500"),
        )
        return {"props": props, "hops": hops}

    def _stance_sentence(self, data: dict[str, list[Binding]],
                         labels: dict[str, str]) -> dict[str, Any]:
        """"Kyrgyzstan → Russia: main strategic partner, said by … to TASS on 2017-11-27,
        reported by RFE/RL and The Times of Central Asia", as segments (str or Term)."""
        props: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in data["props"]:
            name = row["p"]["value"].removeprefix(KGP)
            if row["o"] not in props[name]:
                props[name].append(row["o"])
        hops: dict[str, list[str]] = defaultdict(list)
        for row in data["hops"]:
            if row["o"]["type"] == "uri" and row["o"]["value"] not in hops[row["p"]["value"]]:
                hops[row["p"]["value"]].append(row["o"]["value"])

        def terms(name: str) -> list[Term]:
            return sorted((self.term(v, labels) for v in props.get(name, [])),
                          key=lambda t: (t.label.casefold(), t.value))

        def literal(name: str) -> str:
            values = sorted(v["value"] for v in props.get(name, []))
            return values[0] if values else ""

        def individual(name: str) -> str:
            values = sorted(_local_name(v["value"]) for v in props.get(name, []))
            return values[0] if values else ""

        holders, targets = terms("stanceHolder"), terms("stanceTarget")
        type_terms, speakers = terms("stanceType"), terms("statedBy")
        characterizers = terms("characterizedBy")
        media = sorted((self.iri_term(m, labels) for m in hops.get(KGP + "medium", [])),
                       key=lambda t: t.label.casefold())
        publishers = sorted((self.iri_term(p, labels) for p in hops.get(SCHEMA + "publisher", [])),
                            key=lambda t: t.label.casefold())
        polarity, modality = individual("polarity"), individual("modality")
        attribution = individual("attributionType")
        defaults = {_local_name(d) for d in hops.get(KGP + "defaultPolarity", [])}

        seg: list[Any] = [*_join(holders or ["someone"]), " → ", *_join(targets or ["someone"])]
        worded = literal("targetAsWorded")
        if worded:
            seg.append(f" (“{worded}”)")
        seg.append(": ")
        type_phrase = " and ".join(t.label for t in type_terms) or "a stance"
        intensifier = literal("intensifier")
        if intensifier and intensifier.casefold() not in type_phrase.casefold().split():
            type_phrase = f"{intensifier} {type_phrase}"
        seg.append(type_phrase)
        notes = []
        phrase = MODALITY_PHRASES.get(modality)
        if phrase and not (modality == "Intended" and "intent" in type_phrase.casefold()):
            notes.append(phrase)
        if polarity and defaults and polarity not in defaults:
            notes.append(f"here {polarity.lower()}")
        if notes:
            seg.append(f" ({', '.join(notes)})")
        holder_iris = {h.value for h in holders}
        speakers_named = [s for s in speakers if s.value not in holder_iris]
        said = False
        if attribution == "JournalistCharacterization":
            if speakers_named and characterizers:
                seg += [", attributed to ", *_join(speakers_named), " by ",
                        *_join(characterizers)]
                said = True
            elif characterizers:
                seg += [", according to ", *_join(characterizers)]
            elif speakers_named:
                seg += [", attributed to ", *_join(speakers_named), " by the journalist"]
        elif speakers_named:
            seg += [", said by ", *_join(speakers_named)]
            said = True
        if media:
            seg += [" to " if said else ", through ", *_join(media)]
            said = True
        stated_on, stated_before = literal("statedOn"), literal("statedBefore")
        if stated_on:
            seg.append(f"{' ' if said else ', '}on {stated_on}")
        elif stated_before:
            seg.append(f"{' ' if said else ', '}before {stated_before}")
        if publishers:
            seg += [", reported by ", *_join(publishers)]
        text = "".join(s.label if isinstance(s, Term) else s for s in seg)
        return {"segments": seg, "text": text, "polarity": polarity.lower(),
                "colour": POLARITY_COLOURS.get(polarity, OTHER_COLOUR),
                "modality": modality.lower(), "attribution": _humanise(attribution)}

    async def _graph_data(self, me: str, size: int, offset: int) -> dict[str, list[Binding]]:
        rows, count, about, nanopubs = await asyncio.gather(
            self._run(f"SELECT ?s ?p ?o WHERE {{ GRAPH {me} {{ ?s ?p ?o }} }} "
                      f"LIMIT {size + 1} OFFSET {offset}"),
            self._run(f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ SELECT ?s WHERE {{ GRAPH {me} {{ "
                      f"?s ?p ?o }} }} LIMIT {GRAPH_COUNT_CAP + 1} }} }}"),
            self._run("SELECT DISTINCT ?p ?o WHERE { VALUES ?p { prov:wasDerivedFrom "
                      "prov:wasGeneratedBy prov:wasAttributedTo dcterms:title dcterms:description "
                      "dcterms:source dcterms:license dcterms:creator void:triples } "
                      f"{me} ?p ?o }} LIMIT 50"),
            self._run("SELECT DISTINCT ?s ?p WHERE { VALUES ?p { np:hasAssertion "
                      f"np:hasProvenance np:hasPublicationInfo }} ?s ?p {me} }} LIMIT 20"),
        )
        return {"rows": rows, "count": count, "about": about + nanopubs}

    def _graph_view(self, iri: str, data: dict[str, list[Binding]], labels: dict[str, str],
                    size: int) -> dict[str, Any]:
        count = _int(data["count"][0].get("n")) if data["count"] else 0
        local = iri[len(self.config.base_iri):] if self.is_local(iri) else ""
        kind = next((text for pattern, text in GRAPH_KINDS if re.fullmatch(pattern, local)), "")
        about = []
        for row in data["about"]:
            if "o" in row:
                about.append((self.term(row["p"], labels), None, self.term(row["o"], labels)))
            else:
                about.append((self.term(row["p"], labels), self.term(row["s"], labels), None))
        return {"count": count, "capped": (count or 0) > GRAPH_COUNT_CAP, "kind": kind,
                "about": about,
                "triples": [(self.term(r["s"], labels), self.term(r["p"], labels),
                             self.term(r["o"], labels)) for r in data["rows"][:size]]}

    async def _provenance(self, facts: list[str]) -> dict[str, Any]:
        """Which articles state each fact (kgp:reportedIn, per graph) and its evidence spans."""
        facts = [f for f in facts if _is_safe_iri(f)]
        values = _values(facts)
        reported, evidence = await asyncio.gather(
            self._run(f"SELECT DISTINCT ?fact ?g ?article WHERE {{ VALUES ?fact {{ {values} }} "
                      "GRAPH ?g { ?fact kgp:reportedIn ?article } } LIMIT 1000"),
            self._run(
                f"SELECT DISTINCT ?fact ?g ?ann ?source ?exact ?prefix ?suffix ?start ?end "
                f"WHERE {{ VALUES ?fact {{ {values} }} GRAPH ?g {{ ?fact kgp:evidence ?ann }} "
                "?ann oa:hasTarget ?t . OPTIONAL { ?t oa:hasSource ?source } "
                "OPTIONAL { ?t oa:hasSelector ?qs . ?qs oa:exact ?exact "
                "OPTIONAL { ?qs oa:prefix ?prefix } OPTIONAL { ?qs oa:suffix ?suffix } } "
                "OPTIONAL { ?t oa:hasSelector ?ps . ?ps oa:start ?start ; oa:end ?end } "
                "} LIMIT 1000"),
        )
        articles = sorted({r["article"]["value"] for r in reported} |
                          {r["source"]["value"] for r in evidence if "source" in r})
        meta: list[Binding] = []
        if articles:
            meta = await self._run(
                f"SELECT DISTINCT ?a ?pub ?date ?early ?late WHERE {{ VALUES ?a "
                f"{{ {_values(articles)} }} OPTIONAL {{ ?a schema:publisher ?pub }} "
                "OPTIONAL { ?a schema:datePublished ?date } "
                "OPTIONAL { ?a kgp:datePublishedEarliest ?early } "
                "OPTIONAL { ?a kgp:datePublishedLatest ?late } } LIMIT 1000")
        iris = set(articles)
        for rows in (reported, evidence, meta):
            for row in rows:
                iris.update(v["value"] for v in row.values() if v.get("type") == "uri")
        return {"reported": reported, "evidence": evidence, "meta": meta, "iris": iris}

    def _article_views(self, provenance: dict[str, Any], fact: str,
                       labels: dict[str, str]) -> list[ArticleProvenance]:
        views: dict[str, ArticleProvenance] = {}
        meta: dict[str, dict[str, str]] = {}
        for row in provenance["meta"]:
            entry = meta.setdefault(row["a"]["value"], {})
            for key in ("pub", "date", "early", "late"):
                if key in row and key not in entry:
                    entry[key] = row[key]["value"]

        def view(article: str) -> ArticleProvenance:
            if article not in views:
                m = meta.get(article, {})
                date = m.get("date") or (f"between {m['early']} and {m['late']}"
                                         if "early" in m and "late" in m else "")
                views[article] = ArticleProvenance(
                    self.iri_term(article, labels),
                    self.iri_term(m["pub"], labels) if "pub" in m else None, date)
            return views[article]

        def add_graph(entry: ArticleProvenance, graph: str) -> None:
            if all(g.value != graph for g in entry.graphs):
                entry.graphs.append(self.iri_term(graph, labels))

        for row in provenance["reported"]:
            if row["fact"]["value"] == fact:
                add_graph(view(row["article"]["value"]), row["g"]["value"])
        seen: set[tuple[str, str]] = set()
        for row in sorted(provenance["evidence"], key=lambda r: (_int(r.get("start")) or 0,
                                                                 r["ann"]["value"])):
            if row["fact"]["value"] != fact:
                continue
            source = row.get("source", {}).get("value") or row["g"]["value"]
            entry = view(source)
            add_graph(entry, row["g"]["value"])
            if (source, row["ann"]["value"]) in seen or "exact" not in row:
                continue
            seen.add((source, row["ann"]["value"]))
            entry.evidence.append(Evidence(
                row["exact"]["value"], row.get("prefix", {}).get("value", ""),
                row.get("suffix", {}).get("value", ""), _int(row.get("start")),
                _int(row.get("end")), self.term(row["ann"], labels)))
        return sorted(views.values(), key=lambda v: ((v.publisher.label if v.publisher else ""),
                                                      v.article.value))

    # -- the ontology ------------------------------------------------------------------------

    async def ontology_page(self, ontology_ttl: str) -> str:
        """Human documentation of every term of the OWL file, with an anchor per fragment."""
        return self._render("ontology.html", doc=self.ontology_doc(ontology_ttl))

    def ontology_doc(self, ontology_ttl: str) -> dict[str, Any]:
        """The ontology as grouped, cross-linked term records for the ontology template."""
        return _OntologyDoc(ontology_ttl, self).build()


async def _none() -> None:
    return None


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _unit(x: float, y: float) -> tuple[float, float]:
    length = math.hypot(x, y)
    return (x / length, y / length) if length else (0.0, 0.0)


def _colour(polarities: Counter[str]) -> str:
    if not polarities:
        return OTHER_COLOUR
    return POLARITY_COLOURS.get(polarities.most_common(1)[0][0], OTHER_COLOUR)


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines[:3] or [text]


VOCABULARY_NAMES = {
    "http://www.w3.org/ns/prov#": "PROV-O",
    "http://xmlns.com/foaf/0.1/": "FOAF",
    "http://schema.org/": "schema.org",
    "http://www.w3.org/ns/org#": "ORG",
    "http://semanticweb.cs.vu.nl/2009/11/sem/": "SEM",
    "http://www.w3.org/2006/time#": "OWL-Time",
    "http://www.w3.org/ns/oa#": "Web Annotation (OA)",
    "http://www.w3.org/2004/02/skos/core#": "SKOS",
    "http://www.gsi.dit.upm.es/ontologies/marl/ns#": "Marl",
    "http://linkedevents.org/ontology/": "LODE",
    "http://www.wikidata.org/entity/": "Wikidata",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "RDF",
    "http://www.w3.org/2002/07/owl#": "OWL",
}


class _OntologyDoc:
    """Reads the OWL file with rdflib and arranges its terms for documentation."""

    KINDS = {OWL + "Class": "class", OWL + "ObjectProperty": "object property",
             OWL + "DatatypeProperty": "datatype property",
             OWL + "AnnotationProperty": "annotation property",
             OWL + "NamedIndividual": "individual"}
    CHARACTERISTICS = {OWL + "SymmetricProperty": "symmetric",
                       OWL + "TransitiveProperty": "transitive",
                       OWL + "FunctionalProperty": "functional",
                       OWL + "InverseFunctionalProperty": "inverse functional",
                       OWL + "AsymmetricProperty": "asymmetric",
                       OWL + "ReflexiveProperty": "reflexive",
                       OWL + "IrreflexiveProperty": "irreflexive"}

    def __init__(self, ttl: str, site: Site) -> None:
        from rdflib import Graph

        self.site = site
        self.g = Graph()
        self.g.parse(data=ttl, format="turtle")
        self.namespaces = sorted(((p, str(n)) for p, n in self.g.namespaces() if p),
                                 key=lambda item: -len(item[1]))
        self.ontology = next(iter(self.g.subjects(self._u(RDF_TYPE), self._u(OWL + "Ontology"))),
                             None)
        ns = self._value(self.ontology, "http://purl.org/vocab/vann/preferredNamespaceUri")
        self.ns = ns or KGP

    # rdflib helpers
    def _u(self, iri: str) -> Any:
        from rdflib import URIRef

        return URIRef(iri)

    def _objects(self, node: Any, predicate: str) -> list[Any]:
        return sorted(self.g.objects(node, self._u(predicate)), key=str)

    def _subjects(self, predicate: str, node: Any) -> list[Any]:
        return sorted(self.g.subjects(self._u(predicate), node), key=str)

    def _value(self, node: Any, predicate: str) -> str:
        """The English (or untagged) literal value, else any."""
        if node is None:
            return ""
        values = [o for o in self.g.objects(node, self._u(predicate))]
        if not values:
            return ""
        values.sort(key=lambda o: (_lang_rank(getattr(o, "language", None) or ""), str(o)))
        return str(values[0])

    def curie(self, iri: str) -> str:
        for prefix, ns in self.namespaces:
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return self.site.curie(iri) or iri

    def internal(self, node: Any) -> bool:
        from rdflib import URIRef

        return isinstance(node, URIRef) and str(node).startswith(self.ns) and \
            len(str(node)) > len(self.ns)

    def ref(self, node: Any) -> dict[str, str]:
        iri = str(node)
        if self.internal(node):
            local = iri[len(self.ns):]
            return {"text": self._value(node, RDFS + "label") or local, "href": "#" + local,
                    "title": self.curie(iri)}
        return {"text": self.curie(iri), "href": self.site.href(iri), "title": iri}

    def expr(self, node: Any) -> list[Any]:
        """A class expression as segments: refs (dicts) and connecting words (str)."""
        from rdflib import BNode
        from rdflib.collection import Collection

        if not isinstance(node, BNode):
            return [self.ref(node)]
        for predicate, word, lead in ((OWL + "unionOf", " or ", ""),
                                      (OWL + "intersectionOf", " and ", ""),
                                      (OWL + "oneOf", ", ", "one of ")):
            head = self.g.value(node, self._u(predicate))
            if head is not None:
                members = [self.expr(m) for m in Collection(self.g, head)]
                out: list[Any] = [lead] if lead else []
                for i, member in enumerate(members):
                    if i:
                        out.append(word)
                    out += member
                return out
        prop = self.g.value(node, self._u(OWL + "onProperty"))
        if prop is not None:
            for predicate, word in ((OWL + "allValuesFrom", " only "),
                                    (OWL + "someValuesFrom", " some "),
                                    (OWL + "hasValue", " value ")):
                filler = self.g.value(node, self._u(predicate))
                if filler is not None:
                    return [self.ref(prop), word, *self.expr(filler)]
            for predicate, word in ((OWL + "cardinality", " exactly "),
                                    (OWL + "minCardinality", " at least "),
                                    (OWL + "maxCardinality", " at most "),
                                    (OWL + "qualifiedCardinality", " exactly "),
                                    (OWL + "minQualifiedCardinality", " at least "),
                                    (OWL + "maxQualifiedCardinality", " at most ")):
                number = self.g.value(node, self._u(predicate))
                if number is not None:
                    return [self.ref(prop), f"{word}{number}"]
            return [self.ref(prop), " (restriction)"]
        return ["an anonymous class"]

    def disjoint(self) -> dict[str, set[Any]]:
        from rdflib.collection import Collection

        pairs: dict[str, set[Any]] = defaultdict(set)
        for a, b in self.g.subject_objects(self._u(OWL + "disjointWith")):
            pairs[str(a)].add(b)
            pairs[str(b)].add(a)
        for axiom in self.g.subjects(self._u(RDF_TYPE), self._u(OWL + "AllDisjointClasses")):
            head = self.g.value(axiom, self._u(OWL + "members"))
            members = list(Collection(self.g, head)) if head is not None else []
            for m in members:
                pairs[str(m)].update(x for x in members if x != m)
        return pairs

    def term(self, node: Any, kind: str, disjoint: dict[str, set[Any]]) -> dict[str, Any]:
        iri = str(node)
        local = iri[len(self.ns):]
        rows: list[tuple[str, list[list[Any]]]] = []

        def add(name: str, nodes: Iterable[Any]) -> None:
            exprs = [self.expr(n) for n in nodes]
            if exprs:
                rows.append((name, exprs))

        if kind == "class":
            add("Subclass of", self._objects(node, RDFS + "subClassOf"))
            add("Superclass of", [s for s in self._subjects(RDFS + "subClassOf", node)
                                  if self.internal(s)])
            add("Equivalent to", self._objects(node, OWL + "equivalentClass"))
            add("Disjoint with", sorted(disjoint.get(iri, ()), key=str))
            add("Members", [s for s in self._subjects(RDF_TYPE, node) if self.internal(s)])
        elif kind == "individual":
            add("Member of", [c for c in self._objects(node, RDF_TYPE)
                              if str(c) != OWL + "NamedIndividual"])
        else:
            traits = [label for t, label in self.CHARACTERISTICS.items()
                      if (node, self._u(RDF_TYPE), self._u(t)) in self.g]
            if traits:
                rows.append(("Characteristics", [[", ".join(traits)]]))
            add("Domain", self._objects(node, RDFS + "domain"))
            add("Range", self._objects(node, RDFS + "range"))
            add("Subproperty of", self._objects(node, RDFS + "subPropertyOf"))
            add("Superproperty of", [s for s in self._subjects(RDFS + "subPropertyOf", node)
                                     if self.internal(s)])
            add("Inverse of", self._objects(node, OWL + "inverseOf") +
                self._subjects(OWL + "inverseOf", node))
            add("Equivalent to", self._objects(node, OWL + "equivalentProperty"))
        add("Close match", self._objects(node, SKOS + "closeMatch"))
        add("See also", self._objects(node, RDFS + "seeAlso"))
        return {"anchor": local, "iri": iri, "curie": self.curie(iri), "kind": kind,
                "label": self._value(node, RDFS + "label") or _humanise(local),
                "comment": self._value(node, RDFS + "comment"),
                "definition": self._value(node, SKOS + "definition"), "rows": rows}

    def build(self) -> dict[str, Any]:
        from rdflib import URIRef

        disjoint = self.disjoint()
        terms: dict[str, dict[str, Any]] = {}
        external: dict[str, dict[str, Any]] = {}
        for type_iri, kind in self.KINDS.items():
            for node in self._subjects(RDF_TYPE, self._u(type_iri)):
                if not isinstance(node, URIRef):
                    continue
                if self.internal(node):
                    if str(node) not in terms or kind == "individual":
                        terms[str(node)] = self.term(node, kind, disjoint)
                elif str(node) not in external:
                    external[str(node)] = {"ref": self.ref(node), "kind": kind,
                                           "anchor": "ext-" + re.sub(r"[^A-Za-z0-9_-]", "-",
                                                                     self.curie(str(node)))}
        # individuals typed only by a class of the ontology (no owl:NamedIndividual)
        class_iris = {i for i, t in terms.items() if t["kind"] == "class"}
        for s, o in self.g.subject_objects(self._u(RDF_TYPE)):
            if str(o) in class_iris and self.internal(s) and str(s) not in terms:
                terms[str(s)] = self.term(s, "individual", disjoint)

        def by_label(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
            return sorted(items, key=lambda t: (t["label"].casefold(), t["iri"]))

        classes = [t for t in terms.values() if t["kind"] == "class"]
        value_sets = {t["iri"] for t in classes
                      if any(self.g.value(e, self._u(OWL + "oneOf")) is not None
                             for e in self._objects(self._u(t["iri"]), OWL + "equivalentClass"))}

        def ancestors(iri: str) -> set[str]:
            seen: set[str] = set()
            todo = [iri]
            while todo:
                for parent in self._objects(self._u(todo.pop()), RDFS + "subClassOf"):
                    if isinstance(parent, URIRef) and str(parent) not in seen:
                        seen.add(str(parent))
                        todo.append(str(parent))
            return seen

        families = [("Agents", self.ns + "Agent"), ("Places", self.ns + "Place"),
                    ("Events", self.ns + "Event")]
        class_groups: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in families}
        class_groups["Documents, facts and structure"] = []
        class_groups["Closed value sets"] = []
        for t in classes:
            if t["iri"] in value_sets:
                class_groups["Closed value sets"].append(t)
                continue
            lineage = ancestors(t["iri"]) | {t["iri"]}
            name = next((n for n, root in families if root in lineage),
                        "Documents, facts and structure")
            class_groups[name].append(t)
        for name, members in class_groups.items():
            class_groups[name] = sorted(members, key=lambda t: (
                t["iri"] not in {r for _, r in families}, t["label"].casefold()))

        def domain_key(t: dict[str, Any]) -> str:
            domains = self._objects(self._u(t["iri"]), RDFS + "domain")
            if not domains:
                return "no declared domain"
            return " / ".join("".join(s if isinstance(s, str) else s["text"]
                                      for s in self.expr(d)) for d in domains)

        def grouped(kind: str) -> list[tuple[str, list[dict[str, Any]]]]:
            groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for t in terms.values():
                if t["kind"] == kind:
                    groups[domain_key(t)].append(t)
            return sorted(((k, by_label(v)) for k, v in groups.items()),
                          key=lambda kv: (kv[0] == "no declared domain", kv[0].casefold()))

        individuals: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for t in terms.values():
            if t["kind"] == "individual":
                owners = [c for c in self._objects(self._u(t["iri"]), RDF_TYPE)
                          if str(c) != OWL + "NamedIndividual"]
                owner = self.ref(owners[0])["text"] if owners else "other"
                individuals[owner].append(t)

        alignments = []
        for t in terms.values():
            node = self._u(t["iri"])
            for predicate, relation in ((RDFS + "subClassOf", "subclass of"),
                                        (RDFS + "subPropertyOf", "subproperty of"),
                                        (OWL + "equivalentClass", "equivalent to"),
                                        (OWL + "equivalentProperty", "equivalent to"),
                                        (OWL + "inverseOf", "inverse of"),
                                        (SKOS + "closeMatch", "close match"),
                                        (RDFS + "domain", "domain"), (RDFS + "range", "range")):
                for other in self._objects(node, predicate):
                    segments = self.expr(other)
                    outside = [s["title"] for s in segments
                               if isinstance(s, dict) and not s["href"].startswith("#")]
                    if not outside or (relation == "domain" and not isinstance(other, URIRef)):
                        continue
                    vocab = next((name for ns, name in VOCABULARY_NAMES.items()
                                  if outside[-1].startswith(ns)), "other")
                    alignments.append({"vocabulary": vocab, "term": t, "relation": relation,
                                       "other": segments})
        alignments.sort(key=lambda a: (a["vocabulary"].casefold(), a["term"]["label"].casefold(),
                                       a["relation"], str(a["other"])))
        ont = self.ontology
        meta = {
            "iri": str(ont) if ont is not None else self.ns,
            "title": self._value(ont, DCTERMS + "title") or "Ontology",
            "description": self._value(ont, DCTERMS + "description"),
            "version": self._value(ont, OWL + "versionInfo"),
            "version_iri": str(self.g.value(ont, self._u(OWL + "versionIRI")) or "")
            if ont is not None else "",
            "license": self._value(ont, DCTERMS + "license"),
            "creator": self._value(ont, DCTERMS + "creator"),
            "prefix": self._value(ont, "http://purl.org/vocab/vann/preferredNamespacePrefix"),
            "namespace": self.ns,
            "see_also": [self.ref(o) for o in self._objects(ont, RDFS + "seeAlso")]
            if ont is not None else [],
        }
        counts = Counter(t["kind"] for t in terms.values())
        return {
            "meta": meta, "counts": counts,
            "class_groups": [(k, v) for k, v in class_groups.items() if v],
            "object_properties": grouped("object property"),
            "datatype_properties": grouped("datatype property"),
            "annotation_properties": grouped("annotation property"),
            "individuals": sorted(((k, by_label(v)) for k, v in individuals.items()),
                                  key=lambda kv: kv[0].casefold()),
            "alignments": alignments,
            "external": sorted(external.values(), key=lambda e: e["ref"]["text"]),
        }
