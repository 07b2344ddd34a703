"""What the project's other facts files already say, so that a draft agrees with them.

A fact's IRI is computed from its content (a quote from its speaker and words, a stance from
holder, targets, type and date, a tenure from person and post), and `kgpub build` requires a
fact stated by two articles to be described identically in both. So when a drafted fact is one
the project already has, the draft copies that description (keeping its own evidence); an event
already told elsewhere keeps its id. When the copy cannot be made exactly (it points at a quote
this article does not have), the drafted item is commented out with a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..convert import normalise_quote
from ..errors import SourceError
from ..model import ArticleFile, Event, Quote, Stance, Tenure
from ..sources import load_model
from .items import DEvent, DQuote, DStance, DTenure


@dataclass
class Existing:
    quotes: dict[tuple[str, str], tuple[Quote, Path]] = field(default_factory=dict)
    quote_iri_of_ref: dict[tuple[Path, str], tuple[str, str]] = field(default_factory=dict)
    stances: dict[tuple, tuple[Stance, Path]] = field(default_factory=dict)
    tenures: dict[tuple, tuple[Tenure, Path]] = field(default_factory=dict)
    events: list[tuple[Event, Path]] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def quote_identity(speaker: str, text: str) -> tuple[str, str]:
    return speaker, normalise_quote(text)


def stance_identity(holder: str, targets, type_: str, on, before) -> tuple:
    return holder, tuple(targets), type_, str(on) if on else None, str(before) if before else None


def tenure_identity(person: str, post: str | None, organization: str | None,
                    role: str | None) -> tuple:
    slug = re.sub(r"[^a-z0-9]+", "-", role.lower()).strip("-") if role and not post else ""
    return person, post or organization, slug


def load_existing(facts_dir: Path, skip: Path | None) -> Existing:
    found = Existing()
    paths = sorted(facts_dir.glob("*.yaml")) if facts_dir.is_dir() else []
    for path in paths:
        if skip is not None and path.resolve() == Path(skip).resolve():
            continue
        try:
            model, _ = load_model(path, ArticleFile)
        except SourceError as exc:
            found.unreadable.append(f"{path.name} ({exc.problems[0].message})")
            continue
        for section in (model.facts, model.page_chrome):
            for q in section.quotes:
                key = quote_identity(q.speaker, q.text)
                found.quotes.setdefault(key, (q, path))
                found.quote_iri_of_ref[(path, q.ref)] = key
            for s in section.stances:
                key = stance_identity(s.holder, s.targets, s.type, s.stated_on, s.stated_before)
                found.stances.setdefault(key, (s, path))
            for t in section.tenures:
                key = tenure_identity(t.person, t.post, t.organization, t.role)
                found.tenures.setdefault(key, (t, path))
            found.events += [(e, path) for e in section.events]
    return found


def align(existing: Existing, events: list[DEvent], quotes: list[DQuote],
          tenures: list[DTenure], stances: list[DStance]) -> None:
    """Make every drafted fact the project already has agree with it."""
    renamed: dict[str, str] = {}
    for e in events:
        same = next((old for old, _ in existing.events if old.type == e.type and
                     (str(old.date) if old.date else old.month) == e.date and
                     set(old.actors) & set(e.actors)), None)
        if same is not None:
            renamed[e.id] = same.id
            e.id = same.id
            e.same_as = same
            e.why.append(f"the event {same.id} the project already has")
    for q in quotes:
        q.uttered_in = renamed.get(q.uttered_in, q.uttered_in)
        if q.speaker is None:
            continue
        hit = existing.quotes.get(quote_identity(q.speaker, _text_of(q)))
        if hit is not None:
            q.same_as, path = hit
            q.why.append(f"described as in {path.name}, which has the same quote")
    local_quote = {quote_identity(q.speaker, _text_of(q)): q.ref for q in quotes
                   if q.speaker and q.active}
    for t in tenures:
        if t.person is None:
            continue
        hit = existing.tenures.get(tenure_identity(t.person, t.post, t.organization, t.role))
        if hit is not None:
            t.same_as, path = hit
            t.why.append(f"described as in {path.name}, which has the same tenure")
    for s in stances:
        s.expressed_during = renamed.get(s.expressed_during, s.expressed_during)
        hit = existing.stances.get(stance_identity(s.holder, s.targets, s.type, s.stated_on,
                                                   s.stated_before))
        if hit is None:
            continue
        old, path = hit
        s.same_as = old
        s.why.append(f"described as in {path.name}, which has the same stance")
        if old.expressed_in is not None:
            identity = existing.quote_iri_of_ref.get((path, old.expressed_in))
            s.quote_ref = local_quote.get(identity) if identity else None
            if s.quote_ref is None:
                s.pending.append(f"the quote {old.expressed_in} of {path.name}")


def _text_of(q: DQuote) -> str:
    return q.text
