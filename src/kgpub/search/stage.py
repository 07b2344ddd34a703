"""The quads the index is made from, streamed from N-Quads into a SQLite table.

Only the predicates the index reads are kept (labels, the properties of stances, events,
quotes, tenures and articles, evidence spans, conflicts), and `rdf:type` only for the classes
it lists: on kgpub's data that is about a third of the quads. SQLite then does the joins, so
the corpus never has to fit in memory: pyoxigraph parses the file as a stream.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from .kinds import KGG, KGP, OA, ORG, OWL, RDF, RDFS, SCHEMA, SEM, SKOS

TYPE = RDF + "type"
LABELS = (SKOS + "prefLabel", RDFS + "label", SCHEMA + "name", SCHEMA + "headline")
PREDICATES = (
    TYPE, *LABELS, SKOS + "altLabel", SKOS + "notation", SKOS + "definition", RDFS + "comment",
    SKOS + "inScheme", OWL + "sameAs",
    KGP + "stanceHolder", KGP + "stanceTarget", KGP + "stanceType", KGP + "polarity",
    KGP + "statedOn", KGP + "statedBefore", KGP + "statedBy", KGP + "reportedIn",
    SCHEMA + "text", SCHEMA + "spokenByCharacter", KGP + "medium", KGP + "utteredOn",
    KGP + "utteredIn",
    KGP + "eventType", KGP + "status", KGP + "latestStatus", SCHEMA + "startDate",
    SCHEMA + "endDate", KGP + "month", SEM + "hasPlace", SEM + "hasActor",
    ORG + "member", KGP + "post", ORG + "organization", KGP + "attestedOn",
    SCHEMA + "publisher", SCHEMA + "datePublished", KGP + "datePublishedEarliest",
    KGP + "datePublishedLatest", SCHEMA + "inLanguage",
    OA + "hasBody", OA + "hasTarget", OA + "hasSelector", OA + "exact", OA + "hasSource",
    KGP + "conflictAbout", KGP + "conflictProperty", KGP + "reportCount",
)
CODE = {iri: n for n, iri in enumerate(PREDICATES)}
# Classes whose members the index lists; registry entities are typed in kgg:entities, where
# every type is kept (the actor types are read from the vocabulary, not fixed here).
TYPES = {KGP + "Stance", KGP + "Quote", KGP + "Event", KGP + "Tenure", KGP + "NewsArticle",
         OA + "Annotation", KGP + "Conflict", KGP + "Agent"}
ENTITIES = KGG + "entities"
BATCH = 20_000


def code(iri: str) -> int:
    """The small integer standing for a predicate in the staging table."""
    return CODE[iri]


def _term(term: object) -> str:
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value  # NamedNode or Literal


def create(conn: sqlite3.Connection, schema: str = "") -> None:
    """Table q (in `schema`, e.g. "kept.", when given); `piece` numbers the file a row came
    from, so that a kept staging table can drop one file's rows (see kept.py)."""
    conn.execute(f"CREATE TABLE {schema}q(g TEXT NOT NULL, s TEXT NOT NULL, "
                 "p INTEGER NOT NULL, o TEXT NOT NULL, lang TEXT NOT NULL, "
                 "piece INTEGER NOT NULL DEFAULT 0)")


def create_indexes(conn: sqlite3.Connection, schema: str = "") -> None:
    conn.execute(f"CREATE INDEX {schema}q_ps ON q(p, s)")
    conn.execute(f"CREATE INDEX {schema}q_po ON q(p, o)")
    conn.execute(f"CREATE INDEX {schema}q_s ON q(s)")


def stage(conn: sqlite3.Connection, nquads: Path | BinaryIO) -> int:
    """Stream the quads of a file (or of a binary stream) into table q; how many were read."""
    create(conn)
    read = load(conn, nquads)
    create_indexes(conn)
    return read


def load(conn: sqlite3.Connection, nquads: Path | BinaryIO, piece: int = 0,
         table: str = "q") -> int:
    """Add the quads the index needs from `nquads` to `table`, as rows of `piece`; how many
    quads were read."""
    type_code = CODE[TYPE]
    rows: list[tuple[str, str, int, str, str, int]] = []
    read = 0
    insert = f"INSERT INTO {table} VALUES (?, ?, ?, ?, ?, ?)"
    parsed = (ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS)
              if isinstance(nquads, (str, Path)) else
              ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    for quad in parsed:
        read += 1
        p = CODE.get(quad.predicate.value)
        if p is None:
            continue
        g = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        o = quad.object
        if isinstance(o, ox.Triple) or isinstance(quad.subject, ox.Triple):
            continue  # RDF-star statements about statements: nothing the index lists
        if p == type_code and g != ENTITIES and o.value not in TYPES:
            continue
        lang = (o.language or "") if isinstance(o, ox.Literal) else ""
        rows.append((g, _term(quad.subject), p, _term(o), lang, piece))
        if len(rows) >= BATCH:
            conn.executemany(insert, rows)
            rows.clear()
    conn.executemany(insert, rows)
    return read
