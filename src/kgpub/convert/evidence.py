"""Evidence: locating a span in the stored article text, and annotating a fact with it.

Offsets are computed here, on the decoded text, in Unicode code points as Web Annotation
requires; nobody types them. A span must occur verbatim: when it only matches after normalising
typographic quotes, or occurs more than once without `occurrence:`, the curator is told.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from ..model import EvidenceItem
from ..namespaces import KGP, OA
from .identity import annotation_iri, article_iri, normalise_quote
from .scope import Scope
from .triples import Triples

CONTEXT_SIZE = 20
"""Code points of text kept before and after a span (oa:prefix, oa:suffix)."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _occurrences(text: str, wanted: str) -> list[int]:
    """Every offset where `wanted` starts in `text`, overlapping ones included."""
    starts = []
    at = text.find(wanted)
    while at != -1:
        starts.append(at)
        at = text.find(wanted, at + 1)
    return starts


def locate(scope: Scope, item: EvidenceItem, path: Sequence) -> Span | None:
    """Where `item` is in the article text; None (with a problem recorded) when it is not once."""
    article = scope.target.article
    assert article is not None
    text = article.text
    wanted, occurrence = (item, None) if isinstance(item, str) else (item.text, item.occurrence)
    starts = _occurrences(text, wanted)

    def name() -> str:  # only for a message: resolving it for every span cost a twentieth
        return str(scope.problems.rel(article.text_path))  # of a build's conversion time

    if not starts:
        hint = ""
        folded = normalise_quote(wanted)
        if folded and folded in normalise_quote(text):
            hint = ("; it matches once quotation marks and apostrophes are normalised: copy "
                    "the article's own characters (e.g. \u2019 or \u201c\u201d)")
        elif wanted.strip() != wanted:
            hint = "; it has leading or trailing white space"
        scope.problem(path,
                      f"evidence {_short(wanted)} is not found verbatim in {name()}{hint}")
        return None
    if occurrence is None and len(starts) > 1:
        scope.problem(path, f"evidence {_short(wanted)} occurs {len(starts)} times in {name()} "
                            f"(at offsets {', '.join(map(str, starts))}); add `occurrence: N` to "
                            "pick one, e.g. {text: ..., occurrence: 1}")
        return None
    if occurrence is not None and occurrence > len(starts):
        scope.problem(path, f"occurrence {occurrence} asked, but {_short(wanted)} occurs only "
                            f"{len(starts)} time(s) in {name()}")
        return None
    start = starts[(occurrence or 1) - 1]
    end = start + len(wanted)
    return Span(start, end, wanted, text[max(0, start - CONTEXT_SIZE):start],
                text[end:end + CONTEXT_SIZE])


def annotate(scope: Scope, body: URIRef, items: Iterable[EvidenceItem], path: Sequence,
             graph: Triples | None = None) -> int:
    """Annotate `body` with each located span (in `graph`, default the target's); a count."""
    article = scope.target.article
    if article is None:
        return 0
    g = scope.target.graph if graph is None else graph
    art = article_iri(article.model.article.id)
    count = 0
    for i, item in enumerate(items):
        span = locate(scope, item, (*path, i))
        if span is None:
            continue
        count += 1
        ann = annotation_iri(art, body, span.start, span.end)
        target, qsel, psel = (URIRef(f"{ann}/target"), URIRef(f"{ann}/quote"),
                              URIRef(f"{ann}/position"))
        g.add((body, KGP.evidence, ann))
        g.add((ann, RDF.type, OA.Annotation))
        g.add((ann, OA.motivatedBy, OA.describing))
        g.add((ann, OA.hasBody, body))
        g.add((ann, OA.hasTarget, target))
        g.add((target, RDF.type, OA.SpecificResource))
        g.add((target, OA.hasSource, art))
        g.add((target, OA.hasSelector, qsel))
        g.add((target, OA.hasSelector, psel))
        g.add((qsel, RDF.type, OA.TextQuoteSelector))
        g.add((qsel, OA.exact, Literal(span.exact)))
        g.add((qsel, OA.prefix, Literal(span.prefix)))
        g.add((qsel, OA.suffix, Literal(span.suffix)))
        g.add((psel, RDF.type, OA.TextPositionSelector))
        g.add((psel, OA.start, Literal(span.start, datatype=XSD.integer)))
        g.add((psel, OA.end, Literal(span.end, datatype=XSD.integer)))
    return count
