"""What conversion shares: the symbol table of every id, the problems found, where facts go.

The symbol table is built once from every source before any article is converted (registry
keys, article ids, and the ids of events and other named facts, which any file may refer to);
quote and stance refs are local to their file. Every problem is collected with its file, line
and field, so that all are reported together and nothing is written.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from rdflib import URIRef

from ..errors import SourceProblem
from ..namespaces import KGR
from ..sources import LineMap, LoadedArticle
from ..vocabulary import Vocabularies, local_name
from .triples import Triples


class Symbol(NamedTuple):
    """An id anything may refer to: its IRI, its class, and where it is declared (a named
    tuple: a build of 10,000 articles makes 70,000 of them, a frozen dataclass's slowly)."""

    iri: URIRef
    cls: URIRef | None
    """None for a registry entity whose type is unknown (itself already a problem)."""
    file: Path
    line: int | None


@dataclass
class Problems:
    root: Path
    found: list[SourceProblem] = field(default_factory=list)

    def rel(self, path: Path) -> Path:
        try:
            return Path(path).resolve().relative_to(Path(self.root).resolve())
        except ValueError:
            return Path(path)

    def add(self, file: Path, lines: LineMap, path: Sequence[str | int], message: str) -> None:
        dotted = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path)
        self.found.append(SourceProblem(self.rel(file), lines.line(path),
                                        dotted.replace(".[", "[") or None, message))

    def sorted(self) -> list[SourceProblem]:
        return sorted(self.found, key=lambda p: (str(p.file), p.line or 0))


@dataclass
class Shared:
    """Read-only during the conversion of articles: vocabularies, symbols, registry facts."""

    vocab: Vocabularies
    symbols: dict[str, Symbol]
    registry_path: Path
    post_orgs: dict[URIRef, list[URIRef]] = field(default_factory=dict)
    """Post -> the organisations it is a post in (org:postIn), for tenures."""


@dataclass
class Target:
    """Where the facts of one file are written, and what the file's refs mean."""

    graph: Triples
    file: Path
    lines: LineMap
    article: LoadedArticle | None
    chrome: bool = False
    local: dict[str, Symbol] = field(default_factory=dict)
    referenced: set[str] = field(default_factory=set)
    """The ids and registry keys the file refers to (what a cached conversion depends on)."""


@dataclass
class Scope:
    """One file being converted: the shared state, its target, and the problems list."""

    shared: Shared
    problems: Problems
    target: Target

    @property
    def vocab(self) -> Vocabularies:
        return self.shared.vocab

    def problem(self, path: Sequence[str | int], message: str) -> None:
        self.problems.add(self.target.file, self.target.lines, path, message)

    def ref(self, key: str, path: Sequence[str | int], kinds: Iterable[URIRef] | None = None,
            what: str = "reference") -> URIRef:
        """The IRI of `key` (a local ref, an id or a registry key), of one of `kinds` if given."""
        found = self.target.local.get(key)
        if found is None:
            found = self.shared.symbols.get(key)
            self.target.referenced.add(key)
        if found is None:
            known = [*self.shared.symbols, *self.target.local]
            close = difflib.get_close_matches(key, known, n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            self.problem(path, f"unknown {what} {key!r}: not a key of "
                               f"{self.problems.rel(self.shared.registry_path)}, an event, a fact "
                               f"id or a ref in this file{hint}")
            return KGR[f"unresolved/{key}"]
        if kinds is not None and found.cls is not None:
            kinds = list(kinds)
            if not self.vocab.is_a(found.cls, kinds):
                names = " or ".join(sorted(local_name(k) for k in kinds))
                self.problem(path, f"{key!r} is a {local_name(found.cls)}, but {what} must be "
                                   f"a {names} (or a subtype)")
        return found.iri
