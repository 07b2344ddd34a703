"""RDF in and out through pyoxigraph, with conversion to and from rdflib terms.

pyoxigraph parses and serialises an order of magnitude faster than rdflib and reports syntax
errors with line and column; rdflib stays the in-memory model for conversion and pyshacl.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterable
from pathlib import Path
from xml.parsers import expat

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import UnreadableInput

FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}


def guess_format(path: Path) -> ox.RdfFormat:
    name = path.name.lower().removesuffix(".gz")
    suffix = Path(name).suffix
    if suffix not in FORMATS:
        raise UnreadableInput(
            f"{path}: cannot tell the RDF format from the extension {suffix or '(none)'!r}; "
            f"give the file one of {', '.join(sorted(FORMATS))} (a .gz after it is allowed)"
        )
    return FORMATS[suffix]


GUNZIP_MIN_BYTES = 64 << 20
GUNZIP_MAX_RATIO = 100
"""A .gz file may expand to max(GUNZIP_MIN_BYTES, GUNZIP_MAX_RATIO x its size): real RDF
compresses about 10-20 times, a compression bomb a thousand times (3 MB -> 3 GB)."""

MAX_XML_DEPTH = 256
"""Deepest element nesting accepted in RDF/XML: Oxigraph's cost per element grows with depth."""

ENTITY_BUDGET_MIN = 16 << 20
ENTITY_BUDGET_FACTOR = 10
"""XML entities may expand to max(ENTITY_BUDGET_MIN, ENTITY_BUDGET_FACTOR x file size) chars."""

_NAME = r"[A-Za-z_:][A-Za-z0-9._:-]*"
_ENTITY_DECL = re.compile(rf'!ENTITY[ \t\r\n]+({_NAME})[ \t\r\n]+"([^"<]*)"[ \t\r\n]*>')
_ENTITY_REF = re.compile(rf"&({_NAME});")


def parse_file(path: Path, fmt: ox.RdfFormat | None = None) -> list[ox.Quad]:
    """Parse one file into quads; syntax errors become UnreadableInput with line and column.

    Nothing outside the file is ever read: JSON-LD remote contexts and XML external entities are
    refused by Oxigraph, and hostile RDF/XML (entity bombs, absurd nesting) is refused here first.
    """
    path = Path(path)
    fmt = fmt or guess_format(path)
    data = _read(path)
    if fmt == ox.RdfFormat.RDF_XML:
        check_rdf_xml(path, data)
    try:
        # base_iri lets relative IRIs resolve to the file itself instead of failing.
        return list(ox.parse(data, format=fmt, base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        if "LoadDocumentCallback" in exc.msg or "remote context" in exc.msg:
            raise UnreadableInput(
                f"{path}: JSON-LD @context refers to a remote document ({exc.msg}); kgpub never "
                "fetches remote or file: contexts: put the context object into the file itself"
            ) from None
        raise UnreadableInput(f"{path}: {fmt.name} syntax error: {exc.msg}") from None
    except MemoryError as exc:
        # Oxigraph caps a single token (e.g. a literal) at 16 MiB and says so with MemoryError.
        raise UnreadableInput(
            f"{path}: {fmt.name} cannot be read: {exc or 'out of memory'}; a single IRI or literal "
            "is too large for the parser (or the file for memory): split or shorten it"
        ) from None
    except (ValueError, OSError) as exc:
        raise UnreadableInput(f"{path}: {fmt.name} cannot be read: {exc}") from None


class GunzipCapped:
    """A gzip stream of `path` that refuses to yield more than the cap above (a compression bomb).

    Streaming, so `kgpub serve --data` can parse a large .gz without holding it in memory.
    """

    def __init__(self, path: Path) -> None:
        self.path, self.total = path, 0
        self.limit = max(GUNZIP_MIN_BYTES, GUNZIP_MAX_RATIO * path.stat().st_size)
        self._stream = gzip.open(path, "rb")  # noqa: SIM115 - closed by __exit__

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size if size and size > 0 else 1 << 20)
        self.total += len(chunk)
        if self.total > self.limit:
            raise UnreadableInput(
                f"{self.path}: decompresses to more than {self.limit:,} bytes, over "
                f"{GUNZIP_MAX_RATIO} times its size (a compression bomb?); if the data is really "
                "that large, gunzip it yourself and pass the plain file")
        return chunk

    def __enter__(self) -> GunzipCapped:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stream.close()


def _read(path: Path) -> bytes:
    """The file's bytes, gunzipped (within the ratio above) when its name ends in .gz."""
    try:
        if not path.name.endswith(".gz"):
            return path.read_bytes()
        with GunzipCapped(path) as fh:
            return b"".join(iter(lambda: fh.read(1 << 20), b""))
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise UnreadableInput(f"{path}: not a valid gzip file ({exc})") from None
    except OSError as exc:
        raise UnreadableInput(f"{path}: cannot read ({exc.strerror or exc})") from None


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def check_rdf_xml(path: Path, data: bytes) -> None:
    """Refuse RDF/XML that would make Oxigraph blow up, before Oxigraph sees it.

    Oxigraph expands every <!ENTITY> eagerly and without limit (ten nested entities of ten
    references each, a 1 KB file, ask for 30 GB) and slows down quadratically with nesting depth.
    """
    if b"<!ENTITY" in data:  # Oxigraph reads UTF-8 only, so the bytes tell
        _check_entities(path, data.decode("utf-8", errors="replace"))
    _check_depth(path, data)


def _check_entities(path: Path, text: str) -> None:
    """Bound the characters the declared entities expand to (billion laughs, quadratic blowup).

    Only `<!ENTITY name "value">` is accepted, so that the names and values seen here are exactly
    those Oxigraph sees (it looks for "<!ENTITY" anywhere in the DOCTYPE, so scan everywhere).
    """
    budget = max(ENTITY_BUDGET_MIN, ENTITY_BUDGET_FACTOR * len(text))
    sizes: dict[str, int] = {}
    total = 0
    for found in re.finditer("<!ENTITY", text):
        decl = _ENTITY_DECL.match(text, found.start() + 1)
        where = f"{path}:{_line(text, found.start())}" if decl is None else ""
        if decl is None:
            head = text[found.start():found.start() + 200].split(">", 1)[0]
            if re.search(r"\b(SYSTEM|PUBLIC)\b", head):
                what = "an external entity (SYSTEM/PUBLIC): kgpub never reads other files or URLs"
            else:
                what = "an entity declaration kgpub does not accept"
            raise UnreadableInput(
                f"{where}: RDF/XML DOCTYPE declares {what}; only internal entities written "
                '<!ENTITY name "value"> are allowed: write the value into the document instead'
            )
        name, value = decl.groups()
        size = len(value) + sum(sizes.get(ref, 0) for ref in _ENTITY_REF.findall(value))
        sizes[name] = size
        total += size
        if total > budget:
            raise _entity_bomb(f"{path}:{_line(text, found.start())}", name, budget)
    for ref in _ENTITY_REF.finditer(text):
        total += sizes.get(ref.group(1), 0)
        if total > budget:
            raise _entity_bomb(f"{path}:{_line(text, ref.start())}", ref.group(1), budget)


def _entity_bomb(where: str, name: str, budget: int) -> UnreadableInput:
    return UnreadableInput(
        f"{where}: RDF/XML entity {name!r}: the declared entities would expand to more than "
        f"{budget:,} characters (an entity expansion bomb such as \"billion laughs\"); kgpub "
        "refuses to expand them: write the values out, or convert the file to Turtle"
    )


class _TooDeep(Exception):
    pass


def _check_depth(path: Path, data: bytes) -> None:
    """Well-formedness and nesting depth, with expat (which never fetches external entities)."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = 0

    def start(_name: str, _attrs: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_XML_DEPTH:
            raise _TooDeep()

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    # Oxigraph tolerates blank lines before <?xml ...?>, expat does not: skip them, count lines.
    body = data.lstrip(b" \t\r\n")
    skipped = data[: len(data) - len(body)].count(b"\n")
    try:
        parser.Parse(body, True)
    except _TooDeep:
        raise UnreadableInput(
            f"{path}:{parser.CurrentLineNumber + skipped}:{parser.CurrentColumnNumber + 1}: "
            f"RDF/XML elements nested deeper than {MAX_XML_DEPTH} levels; kgpub refuses such "
            "files (parsing them takes time quadratic in the depth): flatten the nesting with "
            "rdf:nodeID, or use Turtle"
        ) from None
    except expat.ExpatError as exc:
        raise UnreadableInput(
            f"{path}:{exc.lineno + skipped}:{exc.offset + 1}: RDF/XML is not well-formed XML: "
            f"{expat.ErrorString(exc.code)}"
        ) from None


def to_rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


def to_ox_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


class TermConverter:
    """rdflib terms to Oxigraph's, each distinct term converted once (a dict look-up after):
    an article's triples repeat their subjects, predicates and classes many times."""

    def __init__(self) -> None:
        self.terms: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def __call__(self, term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        found = self.terms.get(term)
        if found is None:
            found = self.terms[term] = to_ox_term(term)
        return found

    def triple(self, triple: tuple[Node, Node, Node]) -> ox.Triple:
        s, p, o = triple
        return ox.Triple(self(s), self(p), self(o))

    def quad(self, triple: tuple[Node, Node, Node]) -> ox.Quad:
        s, p, o = triple
        return ox.Quad(self(s), self(p), self(o))


def quads_to_graph(quads: Iterable[ox.Quad], source: Path | None = None) -> Graph:
    """Merge quads of every graph into one rdflib Graph (the union SHACL and OWL see).

    `source` names the file in the error raised for what rdflib cannot hold (triple terms).
    """
    graph = Graph()
    where = f"{source}: " if source is not None else ""
    for q in quads:
        try:
            triple = (to_rdflib_term(q.subject), to_rdflib_term(q.predicate),
                      to_rdflib_term(q.object))
        except TypeError:
            raise UnreadableInput(
                f"{where}the triple {q.subject} {q.predicate} {q.object} holds an RDF 1.2 "
                "triple term, which rdflib (and so SHACL validation and reasoning) cannot "
                "represent; state the annotated triple plainly"
            ) from None
        graph.add(triple)
    return graph


def canonical_literals(literals: Iterable[Literal]) -> dict[Literal, Literal]:
    """Each literal that an RDF store would give back in another form, mapped to that form.

    Oxigraph stores typed literals by value: `"5"^^xsd:nonNegativeInteger` comes back as
    `"5"^^xsd:integer`, `"1.0"^^xsd:decimal` as `"1"^^xsd:decimal`, `"01"^^xsd:integer` as
    `"1"^^xsd:integer`. Published in that form, the dumps are exactly what a SPARQL endpoint
    over them answers. The form is Oxigraph's own, asked of an in-memory store.
    """
    unique = [lit for lit in dict.fromkeys(literals) if lit.datatype is not None]
    store = ox.Store()
    predicate = ox.NamedNode("urn:kgpub:value")
    store.extend(ox.Quad(ox.NamedNode(f"urn:kgpub:{i}"), predicate, to_ox_term(lit))
                 for i, lit in enumerate(unique))
    changed = {}
    for quad in store:
        original = unique[int(quad.subject.value.rsplit(":", 1)[1])]
        stored = to_rdflib_term(quad.object)
        if (str(stored), stored.datatype) != (str(original), original.datatype):
            changed[original] = stored
    return changed


def dataset_to_quads(ds: Dataset) -> list[ox.Quad]:
    """All quads of an rdflib Dataset, sorted so that serialisations are byte-identical."""
    quads = []
    for s, p, o, g in ds.quads((None, None, None, None)):
        default = g is None or g == ds.default_graph.identifier
        graph = ox.DefaultGraph() if default else to_ox_term(g)
        quads.append(ox.Quad(to_ox_term(s), to_ox_term(p), to_ox_term(o), graph))
    quads.sort(key=_sort_key)
    return quads


def _sort_key(q: ox.Quad) -> tuple[str, str, str, str]:
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def serialize(
    quads: Iterable[ox.Quad] | Iterable[ox.Triple],
    fmt: ox.RdfFormat,
    prefixes: dict[str, str] | None = None,
) -> bytes:
    return ox.serialize(quads, format=fmt, prefixes=prefixes) or b""
