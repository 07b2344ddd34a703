"""The first pass over the facts files: which ids each declares, before any is converted.

Any file may refer to an event or an article declared in another, so the symbol table of every
id is made before conversion. This pass reads only the YAML (no model, no article text): the
article id and the ids of the named facts, each with its line. A file that cannot be read is
reported by the second pass, with everything else wrong in it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from ..convert.identity import article_iri, named_fact_iri
from ..convert.scope import Symbol
from ..convert.symbols import NAMED_FACTS, Declared
from ..errors import SourceError
from ..namespaces import KGP
from ..sources import LineMap, read_yaml


@dataclass
class Scanned:
    """One facts file's declarations (empty when it cannot be read)."""

    path: Path
    sha256: str
    article_id: str | None
    declared: list[Declared]

    @property
    def lines(self) -> LineMap:
        """The lines of the declarations: all that merging the symbol table reports."""
        return LineMap({d.path: d.symbol.line for d in self.declared if d.symbol.line})

    def to_json(self) -> dict:
        return {"sha256": self.sha256, "article": self.article_id,
                "declared": [[d.key, str(d.symbol.iri), str(d.symbol.cls), d.symbol.line,
                              list(d.path)] for d in self.declared]}

    @classmethod
    def from_json(cls, path: Path, body: dict) -> Scanned:
        """What `to_json` kept. Its IRIs were checked when the file was scanned, so they are
        made without rdflib's check again (a build reads 200,000 of them at 10,000 articles)."""
        classes: dict[str, URIRef] = {}
        declared = []
        for key, iri, kind, line, where in body["declared"]:
            cls_iri = classes.get(kind)
            if cls_iri is None:
                cls_iri = classes[kind] = URIRef(kind)
            declared.append(Declared(key, Symbol(_checked(iri), cls_iri, path, line),
                                     tuple(where)))
        return cls(path, body["sha256"], body["article"], declared)


def _checked(iri: str) -> URIRef:
    """A URIRef of an IRI already checked (`URIRef(iri)` checks it again, and warns)."""
    return str.__new__(URIRef, iri)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def scan(path: Path, sha256: str | None = None) -> Scanned:
    """The ids `path` declares (its article id and named facts), each with its line."""
    sha = sha256 or sha256_of(path)
    try:
        data, lines = read_yaml(path)
    except SourceError:
        return Scanned(path, sha, None, [])
    if not isinstance(data, dict) or not isinstance(data.get("article"), dict):
        return Scanned(path, sha, None, [])
    declared: list[Declared] = []
    aid = data["article"].get("id")
    if not isinstance(aid, str):
        return Scanned(path, sha, None, [])
    where = ("article", "id")
    declared.append(Declared(aid, Symbol(article_iri(aid), KGP.NewsArticle, path,
                                         lines.line(where)), where))
    for part in ("facts", "page_chrome"):
        facts = data.get(part)
        if not isinstance(facts, dict):
            continue
        for section, cls, prefix in NAMED_FACTS:
            items = facts.get(section)
            if not isinstance(items, list):
                continue
            for i, item in enumerate(items):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    where = (part, section, i, "id")
                    declared.append(Declared(item["id"], Symbol(
                        named_fact_iri(prefix, item["id"]), cls, path, lines.line(where)),
                        where))
    return Scanned(path, sha, aid, declared)
