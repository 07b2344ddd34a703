"""What a draft proposes, before it is written out: each item with its confidence and reasons,
its evidence as spans of the article, and the new actors it waits for (if any)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .text import Span

THRESHOLD = 0.5
"""Items less sure than this are written commented out, for the curator to accept or drop."""


@dataclass
class Item:
    confidence: float = 0.0
    why: list[str] = field(default_factory=list)
    evidence: list[Span] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # what it waits for (new actors, ...)
    same_as: object | None = None  # the project's own description of the same fact

    @property
    def active(self) -> bool:
        """Written as a fact (not commented out): sure enough, and no unaccepted actor in it."""
        return self.confidence >= THRESHOLD and not self.pending


@dataclass
class DQuote(Item):
    ref: str = ""
    span: Span = Span(0, 0)
    text: str = ""
    speaker: str | None = None
    medium: str | None = None
    uttered_in: str | None = None
    uttered_on: dt.date | None = None
    fragment: bool = False
    paragraph: int = 0


@dataclass
class DEvent(Item):
    id: str = ""
    type: str = "Event"
    label: str = ""
    date: str | None = None  # YYYY-MM-DD or YYYY-MM
    place: str | None = None
    actors: list[str] = field(default_factory=list)
    status: str = "Occurred"
    invited_by: str | None = None
    trigger: Span = Span(0, 0)
    triggers: list[Span] = field(default_factory=list)  # every trigger merged into it
    sentence: int = 0
    vague_date: str | None = None  # "last week": its time is told, with no day to resolve


@dataclass
class DTenure(Item):
    person: str | None = None
    post: str | None = None
    organization: str | None = None
    role: str | None = None
    begins: str | None = None
    ends: str | None = None
    attested_on: dt.date | None = None
    outgoing: bool = False  # "outgoing", "predecessor": ends when the next holder begins


@dataclass
class DStance(Item):
    holder: str = ""
    speaker: str | None = None
    targets: list[str] = field(default_factory=list)
    target_as_worded: str | None = None
    target_confidence: float | None = None
    type: str = ""
    polarity: str = "Positive"
    strength: float | None = None
    intensifier: str | None = None
    modality: str = "Current"
    attribution: str = "ReportedSpeech"
    characterized_by: str | None = None
    expressed_in: str | None = None
    expressed_during: str | None = None
    stated_on: dt.date | None = None
    stated_before: dt.date | None = None
    quote_ref: str | None = None  # this file's ref of the quote the project's stance names

    @property
    def identity(self) -> tuple:
        """What the converter's stance IRI is made of: one stance per identity."""
        return (self.holder, tuple(self.targets), self.type, self.stated_on, self.stated_before)


@dataclass
class DOmission(Item):
    id: str = ""
    omitted_by: str = ""
    not_mentioned: str = ""
    within: str | None = None
    observed_by: str = ""


@dataclass
class NewActor:
    key: str
    type: str
    label: str
    mentions: list[Span] = field(default_factory=list)
    post_in: str | None = None
    why: str = ""
    confidence: float = 0.6
