"""Identity: the IRI of every kind of thing, computed from what identifies it and nothing else.

What an article says about a thing (an event's status, date or place; a quote's medium; a
stance's attribution or strength) is description: it goes into that article's graph and may
differ between articles. What identifies the thing is below, one rule per kind, and is the same
in every article that reports it, so that "reported by several articles" is one node in several
graphs. docs/data-model.md lists the same rules for readers of the data.
"""

from __future__ import annotations

import hashlib
import re

from rdflib import URIRef

from ..model import Quote, Stance, Tenure
from ..namespaces import KGR


def normalise_quote(text: str) -> str:
    """Typographic quotes to ASCII, trailing comma stripped: for identity, never for oa:exact."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return text.strip().rstrip(",").strip()


def kebab(name: str) -> str:
    """`MainStrategicPartner` -> `main-strategic-partner`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def short_hash(*parts: object) -> str:
    return hashlib.sha1("\n".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:12]


def entity_iri(segment: str, key: str) -> URIRef:
    """A registry entity: its type's IRI segment and its key."""
    return KGR[f"{segment}/{key}"]


def article_iri(article_id: str) -> URIRef:
    return KGR[f"article/{article_id}"]


def named_fact_iri(prefix: str, fact_id: str) -> URIRef:
    """Events, assessments, characterizations, omissions, designations: the curator's id."""
    return KGR[f"{prefix}/{fact_id}"]


def quote_iri(q: Quote) -> URIRef:
    """An utterance: speaker + normalised text + the day it was said, else its occasion.

    The same sentence said again on another day is another utterance; the day (or, when no
    article gives the day, the event it was said at) is part of what it is.
    """
    when = str(q.uttered_on) if q.uttered_on else (f"event:{q.uttered_in}" if q.uttered_in
                                                    else "")
    parts: tuple[str, ...] = (q.speaker, normalise_quote(q.text))
    if when:
        parts += (when,)
    return KGR[f"quote/{short_hash(*parts)}"]


def stance_iri(st: Stance) -> URIRef:
    """A stance: holder + targets + type + the date it was stated (or the bound before it)."""
    when = str(st.stated_on) if st.stated_on else f"before-{st.stated_before}"
    return KGR[f"stance/{st.holder}-{'-'.join(st.targets)}-{kebab(st.type)}-{when}"]


def tenure_iri(tn: Tenure) -> URIRef:
    """A tenure: person + post (or organisation and role) + the term, when one is given.

    Its begin and end dates are description (one article may know them, another not); a
    curator separates two terms of one person in one post with `term:`.
    """
    holder = tn.post or tn.organization
    suffix = f"-{slug(tn.role)}" if tn.post is None and tn.role else ""
    term = f"-{tn.term}" if tn.term else ""
    return KGR[f"tenure/{tn.person}-{holder}{suffix}{term}"]


def statement_iri(subject: URIRef, predicate: URIRef, obj_n3: str) -> URIRef:
    """A reified plain statement: the triple it states."""
    return KGR[f"statement/{short_hash(subject, predicate, obj_n3)}"]


def annotation_iri(article: URIRef, body: URIRef, start: int, end: int) -> URIRef:
    """Evidence: the article, the fact it is evidence for, and the span."""
    return KGR[f"ann/{short_hash(article, body, start, end)}"]
