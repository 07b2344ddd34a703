"""The row of each kind of thing: what its list shows, what it is filtered by, what finds it.

One function per kind, each reading one thing at a time from the staging table (see
extract.Extractor.subjects). Values that articles may state differently (a stance's polarity,
an event's status) are kept per article where a list or a picture shows who said what.
"""

from __future__ import annotations

import sqlite3

from . import stage
from .extract import DATES, Extractor, Quad, article_date, by_graph, short, sources, values
from .kinds import KGG, KGP, ORG, OWL, RDFS, SCHEMA, SEM, SKOS

P = stage.code
NAME_PREDICATES = (*stage.LABELS, SKOS + "altLabel")


def extract(conn: sqlite3.Connection, only: str | None = None,
            evidence_only: str | None = None) -> None:
    """Every row of the index, from the staging table of `conn` (see stage.stage); with
    `only`, the rows of the things named in that table (and the evidence of the annotations
    in `evidence_only`), into temporary tables (see extract.Extractor)."""
    ex = Extractor(conn, only, evidence_only)
    ex.prepare()
    articles(ex)
    actors(ex)
    events(ex)
    quotes(ex)
    stances(ex)
    tenures(ex)
    ex.evidence()
    ex.concepts()
    ex.finish()


def _names(quads: list[Quad]) -> list[str]:
    codes = {P(p) for p in NAME_PREDICATES}
    return [o for _, p, o, _ in quads if p in codes]


def _first(quads: list[Quad], iri: str) -> str:
    """The English (else any) value of a text property; the smallest of equals."""
    code = P(iri)
    found = sorted((lang != "en", o) for _, p, o, lang in quads if p == code)
    return found[0][1] if found else ""


def _conflicts(ex: Extractor, iri: str) -> str:
    return ", ".join(ex.conflicts.get(iri, []))


def articles(ex: Extractor) -> None:
    for s, quads in ex.subjects(KGP + "NewsArticle"):
        published, earliest, latest = (values(quads, iri) for iri in DATES)
        if published:
            dates, text = sorted(published), ", ".join(sorted(published))
        elif earliest or latest:
            dates = sorted(earliest | latest)
            text = f"between {dates[0]} and {dates[-1]}" if len(dates) > 1 else dates[0]
        else:
            dates, text = [], ""
        ex.article_dates[s] = article_date((p, o) for _, p, o, _ in quads) or ""
        label = ex.label(s)
        publisher = values(quads, SCHEMA + "publisher")
        languages = values(quads, SCHEMA + "inLanguage")
        ex.item("articles", s, label, dates,
                {"publisher": ex.links(publisher), "date": text,
                 "language": ", ".join(sorted(languages))},
                {"publisher": publisher, "language": languages})
        ex.doc("article", s, label, _names(quads), "")


def actors(ex: Extractor) -> None:
    """Registry entities (typed in kgg:entities with a type of the actor-type vocabulary), and
    any kgp:Agent (data served without the vocabularies)."""
    types = {s for (s,) in ex.conn.execute("SELECT s FROM q WHERE p = ? AND o = ?",
                                           (P(SKOS + "inScheme"), KGP + "ActorTypes"))}
    only = ex.restrict()
    members = ("SELECT s FROM q WHERE p = ? AND g = ? AND o IN "
               f"(SELECT s FROM q WHERE p = ? AND o = ?){only} UNION "
               f"SELECT s FROM q WHERE p = ? AND o = ?{only}")
    params = (P(stage.TYPE), KGG + "entities", P(SKOS + "inScheme"), KGP + "ActorTypes",
              P(stage.TYPE), KGP + "Agent")
    for s, quads in ex.subjects_in(members, params):
        own = values(quads, stage.TYPE)
        own = own & types if types else {t for t in own if t.startswith(KGP)}
        description = _first(quads, RDFS + "comment")
        ex.item("actors", s, ex.label(s), [],
                {"types": ex.links(own), "description": description,
                 "same_as": ex.links(values(quads, OWL + "sameAs"))},
                {"type": own})
        ex.doc("actor", s, ex.label(s), _names(quads), description)


def events(ex: Extractor) -> None:
    for s, quads in ex.subjects(KGP + "Event"):
        dates = sorted(values(quads, SCHEMA + "startDate") | values(quads, KGP + "month"))
        reported = sources(quads)
        statuses = []
        for g, found in by_graph(quads, KGP + "status").items():
            source = reported.get(g, g)
            for status in found:
                statuses.append((ex.article_date(source), ex.label(status),
                                 ex.label(source)))
        status_text = "; ".join(f"{status} as of {date} ({source})" if date else
                                f"{status} ({source})" for date, status, source in sorted(statuses))
        facets = {"type": values(quads, KGP + "eventType"), "status": values(quads, KGP + "status"),
                  "latest": values(quads, KGP + "latestStatus"),
                  "actor": values(quads, SEM + "hasActor"),
                  "source": values(quads, KGP + "reportedIn")}
        ex.item("events", s, ex.label(s), dates,
                {"type": ex.links(facets["type"]), "date": ", ".join(dates),
                 "statuses": status_text, "latest": ex.links(facets["latest"]),
                 "place": ex.links(values(quads, SEM + "hasPlace")),
                 "actors": ex.links(facets["actor"]), "sources": ex.links(facets["source"]),
                 "conflicts": _conflicts(ex, s)},
                facets)
        ex.doc("event", s, ex.label(s), _names(quads), "")


def quotes(ex: Extractor) -> None:
    for s, quads in ex.subjects(KGP + "Quote"):
        text = _first(quads, SCHEMA + "text")
        label = "“" + text + "”" if text else ex.label(s)
        dates = sorted(values(quads, KGP + "utteredOn"))
        facets = {"speaker": values(quads, SCHEMA + "spokenByCharacter"),
                  "medium": values(quads, KGP + "medium"),
                  "source": values(quads, KGP + "reportedIn")}
        ex.item("quotes", s, label, dates,
                {"speaker": ex.links(facets["speaker"]),
                 "medium": ex.links(facets["medium"]), "date": ", ".join(dates),
                 "event": ex.links(values(quads, KGP + "utteredIn")),
                 "sources": ex.links(facets["source"])},
                facets)
        ex.doc("quote", s, short(label), [], text)


def stances(ex: Extractor) -> None:
    for s, quads in ex.subjects(KGP + "Stance"):
        holders, targets = values(quads, KGP + "stanceHolder"), values(quads, KGP + "stanceTarget")
        types, polarities = values(quads, KGP + "stanceType"), values(quads, KGP + "polarity")
        on, before = values(quads, KGP + "statedOn"), values(quads, KGP + "statedBefore")
        date = min(on or before or {""})
        shown = date if on or not date else "before " + date
        label = (f"{', '.join(sorted(ex.label(h) for h in holders))} → "
                 f"{', '.join(sorted(ex.label(t) for t in targets))}: "
                 f"{', '.join(sorted(ex.label(t) for t in types))}"
                 + (f" ({shown})" if shown else ""))
        reported = sources(quads)
        polarity_in = by_graph(quads, KGP + "polarity")
        type_in = by_graph(quads, KGP + "stanceType")
        for g, source in sorted(reported.items()):
            ex.mark(s, source, date, not on, min(type_in.get(g) or types or {""}),
                    min(polarity_in.get(g) or {""}))
        counts = values(quads, KGP + "reportCount")
        facets = {"holder": holders, "target": targets, "type": types, "polarity": polarities,
                  "speaker": values(quads, KGP + "statedBy"),
                  "source": values(quads, KGP + "reportedIn")}
        ex.item("stances", s, label, [date],
                {"holder": ex.links(holders), "targets": ex.links(targets),
                 "type": ex.links(types), "polarity": ex.links(polarities), "date": shown,
                 "speaker": ex.links(facets["speaker"]),
                 "sources": ex.links(facets["source"]),
                 "reports": max((int(c) for c in counts if c.isdigit()), default=len(reported)),
                 "conflicts": _conflicts(ex, s)},
                facets)


def tenures(ex: Extractor) -> None:
    for s, quads in ex.subjects(KGP + "Tenure"):
        people, posts = values(quads, ORG + "member"), values(quads, KGP + "post")
        organizations = values(quads, ORG + "organization")
        begins, ends = values(quads, SCHEMA + "startDate"), values(quads, SCHEMA + "endDate")
        attested = values(quads, KGP + "attestedOn")
        held = posts or organizations
        label = (", ".join(sorted(ex.label(p) for p in people)) + ": " +
                 ", ".join(sorted(ex.label(h) for h in held))) if held else ex.label(s)
        facets = {"person": people, "post": posts, "organization": organizations,
                  "source": values(quads, KGP + "reportedIn")}
        ex.item("tenures", s, label, sorted(begins | ends | attested),
                {"person": ex.links(people), "post": ex.links(posts),
                 "organization": ex.links(organizations), "begins": ", ".join(sorted(begins)),
                 "ends": ", ".join(sorted(ends)), "attested": ", ".join(sorted(attested)),
                 "sources": ex.links(facets["source"]), "conflicts": _conflicts(ex, s)},
                facets)
