"""The symbol table: every registry key, article id and named-fact id, checked for clashes.

It is built before any article is converted, because any file may refer to an event or an
article declared in another. Each facts file declares its ids on its own (`file_ids`), so the
declarations of a file can be computed, cached and merged without converting it.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

from ..model import FactSet
from ..namespaces import KGP, KGR
from ..sources import LineMap, LoadedArticle, Sources
from ..vocabulary import Vocabularies
from .identity import article_iri, entity_iri, named_fact_iri, quote_iri, stance_iri
from .scope import Problems, Symbol

NAMED_FACTS = (
    ("events", KGP.Event, "event"),
    ("assessments", KGP.RelationAssessment, "assessment"),
    ("characterizations", KGP.Characterization, "characterization"),
    ("omissions", KGP.Omission, "omission"),
    ("designations", KGP.Designation, "designation"),
)


class Declared(NamedTuple):
    """An id a file declares, with where (path within the file) and what it names."""

    key: str
    symbol: Symbol
    path: tuple


def registry_symbols(sources: Sources, vocab: Vocabularies, problems: Problems,
                     ) -> dict[str, Symbol]:
    """The registry's keys; unknown types and keys used twice are problems."""
    symbols: dict[str, Symbol] = {}
    path_of = sources.registry_path
    for i, ent in enumerate(sources.registry.entities):
        path = ("entities", i)
        cls = vocab.actor_types.get(ent.type)
        line = sources.registry_lines.line(path)
        if cls is None:
            problems.add(path_of, sources.registry_lines, (*path, "type"),
                         vocab.actor_types.unknown(ent.type))
            # Known by key, of no known type: references to it are not reported again.
            symbols.setdefault(ent.key, Symbol(KGR[f"unresolved/{ent.key}"], None, path_of,
                                               line))
            continue
        if ent.key in symbols:
            prev = symbols[ent.key]
            problems.add(path_of, sources.registry_lines, (*path, "key"),
                         f"duplicate key {ent.key!r}: already used at line {prev.line}; keys "
                         "must be unique")
            continue
        symbols[ent.key] = Symbol(entity_iri(vocab.segments[cls], ent.key), cls, path_of, line)
    return symbols


def factset_ids(facts: FactSet, file: Path, lines: LineMap, base: tuple) -> list[Declared]:
    out = []
    for section, cls, prefix in NAMED_FACTS:
        for i, fact in enumerate(getattr(facts, section)):
            path = (*base, section, i, "id")
            out.append(Declared(fact.id, Symbol(named_fact_iri(prefix, fact.id), cls, file,
                                                lines.line(path)), path))
    return out


def file_ids(article: LoadedArticle) -> list[Declared]:
    """What one facts file declares for every other file: its article id and named facts."""
    path = ("article", "id")
    aid = article.model.article.id
    ids = [Declared(aid, Symbol(article_iri(aid), KGP.NewsArticle, article.path,
                                article.lines.line(path)), path)]
    for facts, base in ((article.model.facts, ("facts",)),
                        (article.model.page_chrome, ("page_chrome",))):
        ids += factset_ids(facts, article.path, article.lines, base)
    return ids


def merge_ids(symbols: dict[str, Symbol], declared: list[tuple[LineMap, list[Declared]]],
              problems: Problems) -> None:
    """Add every file's declarations to `symbols`, refusing clashes with file and line.

    The same event id in two files is one event reported twice; within one file an id may be
    declared once, and an id may not name two kinds of thing (or a registry entity).
    """
    first_in_file: dict[tuple[Path, str], int | None] = {}
    for lines, items in declared:
        for d in items:
            file = d.symbol.file
            if (file, d.key) in first_in_file:
                problems.add(file, lines, d.path,
                             f"duplicate id {d.key!r} in this file (first at line "
                             f"{first_in_file[(file, d.key)]}); give each fact its own id")
                continue
            first_in_file[(file, d.key)] = d.symbol.line
            prev = symbols.get(d.key)
            if prev is None:
                symbols[d.key] = d.symbol
            elif prev.cls != d.symbol.cls or d.symbol.cls == KGP.NewsArticle:
                what = "article id" if d.symbol.cls == KGP.NewsArticle else "id"
                problems.add(file, lines, d.path,
                             f"duplicate {what} {d.key!r}: already used at "
                             f"{problems.rel(prev.file)}:{prev.line} for a "
                             f"{str(prev.cls).rsplit('#', 1)[-1]}; choose another id (the same "
                             "event in two articles shares its id, but not with anything else)")


def local_symbols(article_or_facts: list[tuple[FactSet, tuple]], file: Path, lines: LineMap,
                  symbols: dict[str, Symbol], problems: Problems) -> dict[str, Symbol]:
    """The quote and stance refs of one file (they name facts for that file only)."""
    local: dict[str, Symbol] = {}
    for facts, base in article_or_facts:
        for section, cls in (("quotes", KGP.Quote), ("stances", KGP.Stance)):
            for i, fact in enumerate(getattr(facts, section)):
                if fact.ref is None:
                    continue
                path = (*base, section, i, "ref")
                if fact.ref in local or fact.ref in symbols:
                    problems.add(file, lines, path,
                                 f"duplicate ref {fact.ref!r}: refs must be unique in a file "
                                 "and differ from registry keys and ids")
                    continue
                iri = quote_iri(fact) if section == "quotes" else stance_iri(fact)
                local[fact.ref] = Symbol(iri, cls, file, lines.line(path))
    return local


def same_qid_problems(sources: Sources, problems: Problems) -> None:
    """One thing, two identities: two registry keys verified as the same Wikidata item."""
    by_qid: dict[str, list[int]] = defaultdict(list)
    for i, ent in enumerate(sources.registry.entities):
        if ent.wikidata:
            by_qid[ent.wikidata].append(i)
    for qid, indices in sorted(by_qid.items()):
        if len(indices) < 2:
            continue
        first = sources.registry.entities[indices[0]]
        for i in indices[1:]:
            ent = sources.registry.entities[i]
            problems.add(sources.registry_path, sources.registry_lines, ("entities", i, "wikidata"),
                         f"{ent.key!r} and {first.key!r} are both Wikidata {qid}: one thing with "
                         f"two keys (two IRIs); keep one and put the other spelling in its "
                         "alt_labels")

