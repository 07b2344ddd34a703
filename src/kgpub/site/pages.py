"""The Site: gathers each page's SPARQL answers and renders them through the templates.

The other modules of the package each own one part of a page; this one only decides which
queries a page runs, in parallel, and hands the results to the template.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..namespaces import PREFIXES
from ..search import SearchIndex
from ..search.pictures import NetworkQuery
from . import claims, graphs, labels, network, ontology, provenance, stance
from .finding import FindingPages
from .terms import KGP, QUERY_PREFIXES, Binding, Select, Term, Terms, int_value, is_safe_iri

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
YASGUI_BUNDLE = TEMPLATES_DIR.parent / "static/vendor/yasgui/yasgui.min.js"  # tools/fetch_yasgui.py


@dataclass(frozen=True)
class SiteConfig:
    """What the pages need to know about where they are published."""

    base_iri: str = "https://w3id.org/kgpub/"
    title: str = "kgpub"
    page_size: int = 50
    yasgui: bool = False  # the query page uses the YASGUI bundle (see YASGUI_BUNDLE)
    description: str = ("Facts, quotes and diplomatic stances curated from news articles, with "
                        "provenance to the evidence span of every fact.")


@dataclass(frozen=True)
class Example:
    """One query file: the competency questions shown as runnable examples."""

    id: str
    title: str
    description: str
    query: str
    run_href: str


class Site(FindingPages):
    """Renders the site's pages from SPARQL answers and, when it has one, the search index
    (search, lists, pictures: see finding.py); never touches the store or HTTP."""

    def __init__(self, select: Select, config: SiteConfig,
                 queries: Path | Sequence[Path] | None,
                 index: SearchIndex | None = None) -> None:
        """`queries`: the example .rq files, or a directory of them."""
        self._select = select
        self.config = config
        if isinstance(queries, (str, Path)):
            queries = sorted(Path(queries).glob("*.rq")) if Path(queries).is_dir() else []
        self.query_files = [Path(q) for q in queries or []]
        self.index = index
        self.terms = Terms(config.base_iri)
        self.env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True,
                               trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined)
        self.env.globals.update(site=config, href=self.href, site_href=self.href)

    # -- IRIs and terms (see terms.Terms) ------------------------------------------------------

    def href(self, iri: str) -> str | None:
        """Where a link to the IRI goes, or None when it must not be a link (see Terms.href)."""
        return self.terms.href(iri)

    def is_local(self, iri: str) -> bool:
        """Whether the IRI is served by this site (so it is linked locally)."""
        return self.terms.is_local(iri)

    def curie(self, iri: str) -> str | None:
        """prefix:local for IRIs in a known namespace, so unlabelled terms stay readable."""
        return self.terms.curie(iri)

    def fallback_label(self, iri: str) -> str:
        """A label for an IRI the data does not label: vocabulary by name, instances by CURIE."""
        return self.terms.fallback_label(iri)

    def term(self, value: dict[str, str], labels: dict[str, str] | None = None) -> Term:
        """A SPARQL JSON term as a display Term (labels: IRI -> label, from _labels)."""
        return self.terms.term(value, labels)

    def iri_term(self, iri: str, labels: dict[str, str] | None = None) -> Term:
        """The Term for an IRI."""
        return self.terms.iri_term(iri, labels)

    # -- querying ----------------------------------------------------------------------------

    async def _run(self, query: str) -> list[Binding]:
        return await self._select(QUERY_PREFIXES + query)

    async def _labels(self, iris: Iterable[str]) -> dict[str, str]:
        return await labels.best_labels(self._run, self.terms, iris)

    # -- examples ----------------------------------------------------------------------------

    def examples(self) -> list[Example]:
        """The query files, titled by their leading comment lines; the competency questions
        (cq*.rq) first, in order."""
        out = []
        for path in sorted(self.query_files, key=lambda p: (not p.stem.startswith("cq"), p.name)):
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
        if self.config.yasgui:
            data["query"] = query if query else default
        return self._render("query.html", query=query if query else default,
                            autorun=data["autorun"], examples=examples, data=data,
                            yasgui=self.config.yasgui)

    async def home(self) -> str:
        """The dataset at a glance: counts, named graphs, examples, the stance network."""
        # Statements as VoID and /healthz count them: every statement of every named graph,
        # and those of the default graph that no named graph holds (data given to `serve
        # --data` without named graphs is all there; the union of the named graphs may be
        # there too, as a set or a bag, and is not counted twice).
        no_rows: list[Binding] = []
        graph_rows, total, articles, actors, stances, network_rows = await asyncio.gather(
            self._run("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"),
            self._run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o "
                      "FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"),
            self._run("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kgp:NewsArticle }"),
            self._run("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kgp:Agent }"),
            self._run("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kgp:Stance }"),
            self._run(network.NETWORK_QUERY) if self.index is None else _value(no_rows),
        )
        named = sorted(((r["g"]["value"], int_value(r["n"]) or 0) for r in graph_rows
                        if r.get("g", {}).get("type") == "uri"), key=lambda g: g[0])
        iris = {g for g, _ in named}
        for row in network_rows:
            iris.update(row[k]["value"] for k in ("h", "t", "type") if k in row)
        names = await self._labels(iris)
        default = (int_value(total[0].get("n")) if total else None) or 0
        counts = {
            "triples": default + sum(n for _, n in named),
            "default": default,
            "graphs": len(named),
            "articles": int_value(articles[0].get("n")) if articles else 0,
            "actors": int_value(actors[0].get("n")) if actors else 0,
            "stances": int_value(stances[0].get("n")) if stances else 0,
        }
        if self.index is None:
            drawn = network.network(self.terms, network.edges_from_rows(network_rows), names,
                                    len(network_rows) >= network.NETWORK_MAX_STANCES)
            stance_types: list[tuple[str, str, int]] = []
        else:
            drawn, stance_types = await self.network_picture(NetworkQuery())
        return self._render(
            "home.html", counts=counts, examples=self.examples(),
            graphs=[(self.iri_term(g, names), n) for g, n in named],
            network=drawn, stance_types=stance_types, chosen_type="", date_from="",
            date_to="")

    async def resource_page(self, iri: str, page: int = 1) -> str | None:
        """The page of one IRI: label, types, links out and in, provenance, graphs; a stance
        leads with its sentence and a graph name lists its triples. None when nothing is known."""
        if not is_safe_iri(iri):
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
                      f"?s ?p {me} }} }} LIMIT {graphs.INCOMING_GRAPH_CAP + 1} }} }} GROUP BY ?g"),
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
        stance_task = stance.stance_data(self._run, me) if is_stance else _none()
        graph_task = graphs.graph_data(self._run, me, size, offset) if is_graph else _none()
        stance_data, graph_data, prov, claims_data = await asyncio.gather(
            stance_task, graph_task, provenance.provenance(self._run, [iri, *statements]),
            claims.claims_data(self._run, iri))

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
        iris.update(prov["iris"])
        iris.update(claims_data["iris"])
        names = await self._labels(iris)

        me_term = self.iri_term(iri, names)
        types = sorted((self.iri_term(t, names) for t in type_iris),
                       key=lambda t: (not t.value.startswith(KGP), t.label.casefold(), t.value))
        outgoing = sorted(((self.term(r["p"], names), self.term(r["o"], names))
                           for r in out_rows[:size]),
                          key=lambda po: (po[0].label.casefold(), po[0].value,
                                          po[1].kind != "literal", po[1].label.casefold()))
        incoming = sorted(((self.term(r["s"], names), self.term(r["p"], names))
                           for r in in_rows[:size]),
                          key=lambda sp: (sp[1].label.casefold(), sp[1].value,
                                          sp[0].label.casefold()))
        same_as = sorted({(self.term(r["p"], names), self.term(r["o"], names))
                          for r in same_rows if not self.is_local(r["o"]["value"])},
                         key=lambda po: (po[0].value, po[1].value))
        by_statement: dict[str, set[tuple[Term, Term]]] = defaultdict(set)
        statement_graphs: dict[str, set[str]] = defaultdict(set)
        for row in stmt_rows:
            by_statement[row["st"]["value"]].add((self.term(row["p"], names),
                                                  self.term(row["o"], names)))
            statement_graphs[row["st"]["value"]].add(row["g"]["value"])
        reported = sorted(
            ({"statement": self.iri_term(st, names),
              "triples": sorted(pos, key=lambda po: (po[0].label, po[1].label)),
              "graphs": [self.iri_term(g, names) for g in sorted(statement_graphs[st])],
              "articles": provenance.article_views(self.terms, prov, st, names)}
             for st, pos in by_statement.items()),
            key=lambda r: [(p.label.casefold(), o.label.casefold()) for p, o in r["triples"]])
        has_next = len(out_rows) > size or len(in_rows) > size or \
            bool(graph_data and len(graph_data["rows"]) > size)
        actor_timeline = await self.actor_timeline(iri) if page == 1 else None
        return self._render(
            "resource.html", me=me_term, types=types, outgoing=outgoing, incoming=incoming,
            graphs=graphs.graph_list(self.terms, gout_rows, gin_rows, names), same_as=same_as,
            reported=reported,
            articles=provenance.article_views(self.terms, prov, iri, names),
            claims=claims.claims_view(self.terms, claims_data, names),
            sentence=stance.stance_sentence(self.terms, stance_data, names)
            if stance_data else None,
            graph=graphs.graph_view(self.terms, iri, graph_data, names, size)
            if graph_data else None,
            page=page, has_next=has_next, page_size=size,
            data_links=self._data_links(iri), actor_timeline=actor_timeline)

    def _data_links(self, iri: str) -> list[tuple[str, str]]:
        if not self.is_local(iri):
            return []
        local = iri[len(self.config.base_iri):].lstrip("/")
        return [(name, f"/data/{local}?format={fmt}")
                for name, fmt in (("Turtle", "ttl"), ("JSON-LD", "jsonld"),
                                  ("N-Triples", "nt"), ("RDF/XML", "rdf"))]

    # -- the ontology ------------------------------------------------------------------------

    async def ontology_page(self, ontology_ttl: str) -> str:
        """Human documentation of every term of the OWL file, with an anchor per fragment."""
        return self._render("ontology.html", doc=self.ontology_doc(ontology_ttl))

    def ontology_doc(self, ontology_ttl: str) -> dict[str, Any]:
        """The ontology as grouped, cross-linked term records for the ontology template."""
        return ontology.ontology_doc(ontology_ttl, self.terms)


async def _none() -> None:
    return None


async def _value(value: Any) -> Any:
    return value
