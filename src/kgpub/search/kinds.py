"""The kinds of things the index lists, and for each its facets and columns, in one table.

Extraction fills the facets named here, queries accept only these names as filters, and the
pages and downloads show these columns: one table keeps the three in step.
"""

from __future__ import annotations

from dataclasses import dataclass

KGP = "https://w3id.org/kgpub/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "http://schema.org/"
ORG = "http://www.w3.org/ns/org#"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
OA = "http://www.w3.org/ns/oa#"
OWL = "http://www.w3.org/2002/07/owl#"
KGG = "https://w3id.org/kgpub/graph/"


@dataclass(frozen=True)
class Column:
    key: str  # the field of an item's row (see extract.py)
    title: str
    links: bool = False  # the field holds [{"iri", "label"}] rather than text


@dataclass(frozen=True)
class Kind:
    name: str  # plural, as in /browse/{name}
    singular: str
    title: str
    facets: tuple[tuple[str, str], ...]  # (filter name, title), in the order shown
    columns: tuple[Column, ...]
    by_date: bool  # listed newest first (else by label) and filterable by a date range
    date_title: str = "date"


def _links(key: str, title: str) -> Column:
    return Column(key, title, links=True)


SOURCES = _links("sources", "reported in")

KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("actors", "actor", "Actors",
         (("type", "type"),),
         (_links("types", "type"), Column("description", "description"),
          _links("same_as", "elsewhere")),
         by_date=False),
    Kind("articles", "article", "Articles",
         (("publisher", "publisher"), ("language", "language")),
         (_links("publisher", "publisher"), Column("date", "published"),
          Column("language", "language")),
         by_date=True, date_title="published"),
    Kind("events", "event", "Events",
         (("type", "type"), ("status", "status in any article"),
          ("latest", "latest reported status"), ("actor", "actor"), ("source", "reported in")),
         (_links("type", "type"), Column("date", "date"), Column("statuses", "status"),
          _links("latest", "latest status"), _links("place", "place"), _links("actors", "actors"),
          SOURCES, Column("conflicts", "sources disagree on")),
         by_date=True),
    Kind("quotes", "quote", "Quotes",
         (("speaker", "speaker"), ("medium", "medium"), ("source", "reported in")),
         (_links("speaker", "speaker"), _links("medium", "medium"), Column("date", "said on"),
          _links("event", "during"), SOURCES),
         by_date=True, date_title="said on"),
    Kind("stances", "stance", "Stances",
         (("holder", "holder"), ("target", "target"), ("type", "stance type"),
          ("polarity", "polarity"), ("speaker", "said by"), ("source", "reported in")),
         (_links("holder", "holder"), _links("targets", "targets"), _links("type", "type"),
          _links("polarity", "polarity"), Column("date", "date"), _links("speaker", "said by"),
          SOURCES, Column("reports", "reports"), Column("conflicts", "sources disagree on")),
         by_date=True),
    Kind("tenures", "tenure", "Tenures",
         (("person", "person"), ("post", "post"), ("organization", "organisation"),
          ("source", "reported in")),
         (_links("person", "person"), _links("post", "post"),
          _links("organization", "organisation"), Column("begins", "begins"),
          Column("ends", "ends"), Column("attested", "attested on"), SOURCES,
          Column("conflicts", "sources disagree on")),
         by_date=True, date_title="held"),
)}

# What full-text search finds, in the order results of equal standing are grouped.
SEARCH_KINDS = ("actor", "event", "article", "quote", "evidence", "concept")
