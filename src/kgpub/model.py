"""The typed model of the curated sources: the actor registry, one facts file per article, context.

The YAML files are validated against these models on load, so a curator's typo becomes an error
naming the file, the line and the field instead of a silently wrong triple. Every model forbids
unknown fields for the same reason.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

KEY_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Key = Annotated[str, Field(pattern=KEY_PATTERN)]
"""A registry key, event id or local ref: lower-case words joined by hyphens."""

LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


def _language_tag(value: str) -> str:
    if not LANGUAGE_TAG.fullmatch(value):
        raise ValueError(f"{value!r} is not a BCP 47 language tag (such as en, ru or en-GB)")
    return value


LanguageTag = Annotated[str, AfterValidator(_language_tag)]
"""The tag of a language-tagged literal, checked here because RDF refuses a malformed one."""

TypeName = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")]
"""The local name of a concept of a type vocabulary (ontology/*-types.ttl), e.g. `Visit`: the
vocabularies are data, so which names exist is checked when the sources are converted."""

Polarity = Literal["Positive", "Negative", "Neutral"]
Modality = Literal["Current", "Intended", "Negated", "Hypothetical", "Historical"]
EventStatus = Literal["Occurred", "Scheduled", "Cancelled"]


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the day, the month or only the year ("1996", "1999-03", "2017-11-24")."""

    text: str

    @property
    def precision(self) -> Literal["year", "month", "day"]:
        return {4: "year", 7: "month", 10: "day"}[len(self.text)]

    def __str__(self) -> str:
        return self.text


_PARTIAL_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def parse_partial_date(value: object) -> PartialDate:
    text = str(value)
    if not _PARTIAL_DATE.match(text):
        raise ValueError(f"{text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    if len(text) >= 7 and not 1 <= int(text[5:7]) <= 12:
        raise ValueError(f"{text!r} has month {text[5:7]}: months run 01 to 12")
    if len(text) == 10:
        dt.date.fromisoformat(text)  # raises ValueError naming the bad day
    return PartialDate(text)


PartialDateField = Annotated[PartialDate, Field(json_schema_extra={"format": "partial-date"})]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Evidence(Strict):
    """A span of the article quoted verbatim; `occurrence` picks one when the text repeats."""

    text: str = Field(min_length=1)
    occurrence: int | None = Field(default=None, ge=1)


EvidenceItem = str | Evidence
"""A span: its text, or {text, occurrence} when the text occurs more than once."""


def span_text(item: EvidenceItem) -> str:
    return item if isinstance(item, str) else item.text


class Fact(Strict):
    """What every fact carries: where the article says it, and why when it is only inferred."""

    evidence: list[EvidenceItem] = Field(default_factory=list)
    inferred: str | None = None
    """The reasoning, when the fact is inferred from the text rather than stated."""
    source: str | None = None
    """A citation; required for context (external) facts, which carry no evidence."""


class Quote(Fact):
    ref: Key
    text: str = Field(min_length=1)
    """Verbatim, exactly as between the quotation marks; it is its own first evidence."""
    occurrence: int | None = Field(default=None, ge=1)
    speaker: Key
    medium: Key | None = None
    uttered_in: Key | None = None
    uttered_on: dt.date | None = None
    quoted_from: Key | None = None
    original_language: str | None = None


class Event(Fact):
    id: Key
    type: TypeName = "Event"
    """A concept of the event-type scheme (ontology/event-types.ttl), by local name."""
    label: str
    date: dt.date | None = None
    month: str | None = Field(default=None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    place: Key | None = None
    actors: list[Key] = Field(min_length=1)
    status: EventStatus
    plover: str | None = None
    plover_mode: str | None = None
    cameo: str | None = Field(default=None, pattern=r"^\d{2,4}$")
    invited_by: Key | None = None
    part_of: Key | None = None

    @model_validator(mode="after")
    def _one_date(self) -> Event:
        if self.date is not None and self.month is not None:
            raise ValueError("give either date or month, not both")
        return self


class Tenure(Fact):
    person: Key
    post: Key | None = None
    organization: Key | None = None
    role: str | None = None
    """The role as worded in the text, e.g. "outgoing President"."""
    begins: PartialDateField | None = None
    ends: PartialDateField | None = None
    attested_on: dt.date | None = None
    term_length: str | None = Field(default=None, pattern=r"^P(\d+Y)?(\d+M)?(\d+D)?$")
    term: PartialDateField | None = None
    """Only when the person held the post more than once: the start of this term (YYYY,
    YYYY-MM or YYYY-MM-DD), which then becomes part of the tenure's identity."""

    @field_validator("begins", "ends", "term", mode="before")
    @classmethod
    def _partial(cls, value: object) -> PartialDate | None:
        return None if value is None else parse_partial_date(value)

    @model_validator(mode="after")
    def _post_or_org(self) -> Tenure:
        if self.post is None and self.organization is None:
            raise ValueError("a tenure needs a post or an organization")
        if self.begins and self.ends and str(self.ends) < str(self.begins)[: len(str(self.ends))]:
            raise ValueError(f"ends ({self.ends}) is before begins ({self.begins})")
        return self


class Stance(Fact):
    ref: Key | None = None
    holder: Key
    speaker: Key | None = None
    targets: list[Key] = Field(min_length=1)
    target_as_worded: str | None = None
    target_confidence: float | None = Field(default=None, ge=0, le=1)
    type: str
    """A concept of the stance-type scheme (ontology/stance-types.ttl), by local name."""
    polarity: Polarity
    strength: float | None = Field(default=None, ge=0, le=1)
    intensifier: str | None = None
    modality: Modality = "Current"
    attribution: TypeName
    """A concept of the attribution-type scheme (ontology/attribution-types.ttl)."""
    characterized_by: Key | None = None
    expressed_in: Key | None = None
    expressed_during: Key | None = None
    stated_on: dt.date | None = None
    stated_before: dt.date | None = None
    topics: list[Key] = Field(default_factory=list)
    plover_context: str | None = None

    @model_validator(mode="after")
    def _dates(self) -> Stance:
        if (self.stated_on is None) == (self.stated_before is None):
            raise ValueError("give exactly one of stated_on and stated_before")
        if self.attribution == "JournalistCharacterization" and self.characterized_by is None:
            raise ValueError("a JournalistCharacterization needs characterized_by")
        if self.holder in self.targets:
            raise ValueError(f"the holder {self.holder!r} is also a target")
        return self


class Assessment(Fact):
    id: Key
    between: list[Key] = Field(min_length=2, max_length=2)
    state: str
    polarity: Polarity
    assessed_by: Key
    attribution: TypeName = "JournalistCharacterization"
    caused_by: list[Key] = Field(default_factory=list)


class Characterization(Fact):
    id: Key
    about: list[Key] = Field(min_length=1)
    dominated_by: list[Key] = Field(default_factory=list)
    claim: str
    characterized_by: Key
    attribution: TypeName = "JournalistCharacterization"


class Omission(Fact):
    id: Key
    omitted_by: Key
    not_mentioned: Key
    within: Key | None = None
    basis: Key | None = None
    observed_by: Key


class Designation(Fact):
    id: Key
    designated_by: Key
    designates: Key
    label: str
    designated_on: dt.date | None = None


class Statement(Fact):
    """One triple. `object` is a ref or a CURIE; `value` a literal; `iri` an external IRI."""

    subject: str
    predicate: str = Field(pattern=r"^[a-z][a-z0-9]*:[A-Za-z_][A-Za-z0-9_]*$")
    object: str | None = None
    value: str | int | float | bool | None = None
    datatype: str | None = None
    lang: LanguageTag | None = None
    iri: str | None = Field(default=None, pattern=r"^https?://\S+$")

    @model_validator(mode="after")
    def _one_object(self) -> Statement:
        given = [x for x in (self.object, self.value, self.iri) if x is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of object, value and iri")
        if self.value is None and (self.datatype or self.lang):
            raise ValueError("datatype and lang go with value")
        if self.datatype and self.lang:
            raise ValueError("give datatype or lang, not both")
        return self


class FactSet(Strict):
    quotes: list[Quote] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    tenures: list[Tenure] = Field(default_factory=list)
    stances: list[Stance] = Field(default_factory=list)
    assessments: list[Assessment] = Field(default_factory=list)
    characterizations: list[Characterization] = Field(default_factory=list)
    omissions: list[Omission] = Field(default_factory=list)
    designations: list[Designation] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)


class ArticleMeta(Strict):
    id: Key
    text: str
    """Path of the stored article text, relative to the facts file."""
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    url_source: str | None = None
    publisher: Key
    publisher_evidence: list[EvidenceItem] = Field(default_factory=list)
    author: Key | None = None
    author_evidence: list[EvidenceItem] = Field(default_factory=list)
    headline: EvidenceItem
    """Verbatim from the text; {text, occurrence} when it occurs more than once."""
    date_published: dt.date | None = None
    date_published_earliest: dt.date | None = None
    date_published_latest: dt.date | None = None
    date_reasoning: str | None = None
    dateline: EvidenceItem | None = None
    location_created: Key | None = None
    language: str = "en"
    genre: str | None = None
    derived_from: list[Key] = Field(default_factory=list)
    derived_from_evidence: list[EvidenceItem] = Field(default_factory=list)
    primary_sources: list[Key] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates(self) -> ArticleMeta:
        ranged = self.date_published_earliest is not None or self.date_published_latest is not None
        if self.date_published is not None and ranged:
            raise ValueError("give date_published or the earliest/latest pair, not both")
        if self.date_published is None and not (
            self.date_published_earliest and self.date_published_latest
        ):
            raise ValueError("give date_published, or both date_published_earliest and _latest")
        if ranged and self.date_published_latest < self.date_published_earliest:  # type: ignore[operator]
            raise ValueError("date_published_latest is before date_published_earliest")
        return self


class ArticleFile(Strict):
    article: ArticleMeta
    facts: FactSet = Field(default_factory=FactSet)
    page_chrome: FactSet = Field(default_factory=FactSet)


class ContextFile(Strict):
    """External (X) facts: each carries a source citation and no evidence."""

    context: FactSet


class Entity(Strict):
    key: Key
    type: TypeName
    """A concept of the actor-type scheme (ontology/actor-types.ttl), by local name."""
    label: str
    labels: dict[LanguageTag, str] = Field(default_factory=dict)
    """Labels in other languages, by BCP 47 tag."""
    alt_labels: list[str] = Field(default_factory=list)
    description: str | None = None
    wikidata: str | None = Field(default=None, pattern=r"^Q[1-9][0-9]*$")
    """Only a verified QID: owl:sameAs for actors, skos:exactMatch for posts."""
    post_in: Key | None = None


class Registry(Strict):
    entities: list[Entity]
