"""A quote: an utterance of a speaker, shared by every article that carries it."""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import PROV, RDF

from ..model import Quote
from ..namespaces import KGP, SCHEMA
from .identity import normalise_quote, quote_iri
from .kinds import EVENT, MEDIA, PERSON, SOURCE_DOCUMENT
from .literals import en
from .scope import Scope


def convert_quote(scope: Scope, q: Quote, path: tuple):
    node = quote_iri(q)
    core = [
        (node, RDF.type, KGP.Quote),
        (node, SCHEMA.text, en(normalise_quote(q.text))),
        (node, SCHEMA.spokenByCharacter, scope.ref(q.speaker, (*path, "speaker"), PERSON,
                                                    "speaker")),
        (node, SCHEMA.inLanguage, Literal("en")),
    ]
    if q.medium:
        core.append((node, KGP.medium, scope.ref(q.medium, (*path, "medium"), MEDIA, "medium")))
    if q.uttered_in:
        core.append((node, KGP.utteredIn, scope.ref(q.uttered_in, (*path, "uttered_in"), EVENT,
                                                     "event")))
    if q.uttered_on:
        core.append((node, KGP.utteredOn, Literal(q.uttered_on)))
    if q.quoted_from:
        core.append((node, PROV.wasQuotedFrom,
                     scope.ref(q.quoted_from, (*path, "quoted_from"), SOURCE_DOCUMENT,
                               "source document")))
    if q.original_language:
        core.append((node, KGP.originalLanguage, Literal(q.original_language)))
    return node, core
