"""Helpers for the draft tests: a registry written in a line, and a draft of a short text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kgpub.draft.draft import Draft, Request, make_draft
from kgpub.draft.lexicon import load_lexicon
from kgpub.model import Entity, Registry

ROOT = Path(__file__).resolve().parents[1]
WIRE = Entity(key="wire", type="MediaOrganization", label="The Wire")


def registry(*entities: tuple) -> Registry:
    """(key, type, label[, {more fields}]) tuples; a publisher "wire" is always there."""
    made = [WIRE]
    for key, type_, label, *more in entities:
        made.append(Entity(key=key, type=type_, label=label, **(more[0] if more else {})))
    return Registry(entities=made)


def draft(text: str, *entities: tuple, date: str = "2024-05-14") -> Draft:
    request = Request(Path("article.txt"), date_published=dt.date.fromisoformat(date),
                      publisher="wire")
    return make_draft(request, text, registry(*entities), load_lexicon(ROOT))


PEOPLE = (
    ("anna-berg", "Person", "Anna Berg"),
    ("jan-holm", "Person", "Jan Holm"),
    ("norway", "Country", "Norway"),
    ("sweden", "Country", "Sweden"),
    ("finland", "Country", "Finland"),
    ("oslo", "City", "Oslo"),
    ("nordic-news", "MediaOrganization", "Nordic News"),
    ("foreign-minister-of-norway", "Post", "Foreign Minister of Norway", {"post_in": "norway"}),
    ("prime-minister-of-sweden", "Post", "Prime Minister of Sweden", {"post_in": "sweden"}),
)
