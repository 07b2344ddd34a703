"""A draft of one article: every step from the text to the proposed facts, in order."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Entity, Registry
from .attribution import Speaker, assign_speakers, find_attributions
from .careers import find_careers
from .dates import DateMention, find_dates
from .discourse import Discourse, Person
from .events import find_events
from .gazetteer import Gazetteer, Mention
from .interviews import answerers
from .items import DEvent, DOmission, DQuote, DStance, DTenure, NewActor
from .keys import kebab
from .lexicon import Lexicon
from .meta import ArticleInfo, article_id, byline, dateline, headline, publication_date, publisher
from .omissions import find_omissions
from .project import Existing, align
from .quotes import find_quotations, transcript_turns, unbalanced_message
from .stances import Context, find_stances
from .states import states_of
from .tenures import find_tenures
from .text import Document, DraftError, Span, build_document, is_prose, split_sentences
from .titles import Title, candidate_names, find_titles
from .utterances import quote_items as quote_item_list
from .utterances import speech_events


@dataclass
class Request:
    """What the user asks for: the article and the metadata they know."""

    article: Path
    article_id: str | None = None
    date_published: dt.date | None = None
    earliest: dt.date | None = None
    latest: dt.date | None = None
    publisher: str | None = None
    url: str | None = None


@dataclass
class Draft:
    info: ArticleInfo
    text: str
    sha256: str
    doc: Document
    entities: dict[str, Entity]
    mentions: list[Mention]
    quotes: list[DQuote] = field(default_factory=list)
    events: list[DEvent] = field(default_factory=list)
    tenures: list[DTenure] = field(default_factory=list)
    stances: list[DStance] = field(default_factory=list)
    omissions: list[DOmission] = field(default_factory=list)
    new_actors: dict[str, NewActor] = field(default_factory=dict)
    dates: list[DateMention] = field(default_factory=list)
    known_ids: set[str] = field(default_factory=set)  # event ids other facts files declare
    notes: list[str] = field(default_factory=list)


def make_draft(request: Request, text: str, registry: Registry, lexicon: Lexicon,
               registry_name: str = "the registry", existing: Existing | None = None,
               taken_ids: set[str] | None = None) -> Draft:
    name = str(request.article)
    doc = build_document(text)
    quotations, unbalanced = find_quotations(doc)
    if unbalanced:
        raise DraftError(unbalanced_message(doc, name, unbalanced[0]))
    doc.sentences = split_sentences(doc, [q.outer for q in quotations])
    if not any(is_prose(doc, s) for s in doc.sentences):
        raise DraftError(f"{name}: no recognisable sentences (no run of four words or more with "
                         "lower-case words in it); kgpub draft needs the article's prose")
    doc.headline = headline(doc)
    entities = {e.key: e for e in registry.entities}
    labels = {k: e.label for k, e in entities.items()}
    gazetteer = Gazetteer(registry, lexicon)
    found_dateline = dateline(doc, doc.headline)
    dateline_span = found_dateline[1] if found_dateline else None
    every_mention = gazetteer.link(doc, dateline_span)
    mentions = [m for m in every_mention if m.role != "nested"]
    answerer = {}  # an interview's answers: "Name: ..." with a person's name as the label
    for turn, person, why in answerers(doc, transcript_turns(doc, quotations), mentions):
        answerer[turn.open] = person, why
        quotations.append(turn)
    quotations.sort(key=lambda q: q.open)
    undated = find_dates(doc, None, [])
    published, how = publication_date(request.date_published or request.earliest, undated, doc)
    info = ArticleInfo(
        id=article_id(request.article_id, Path(request.article).stem),
        publisher=publisher(request.publisher, entities, None, mentions, dateline_span,
                            registry_name),
        headline=doc.text[doc.paragraphs[doc.headline].start:doc.paragraphs[doc.headline].end],
        headline_paragraph=doc.headline, url=request.url)
    if request.earliest and request.latest and not request.date_published:
        info.earliest, info.latest = request.earliest, request.latest
    else:
        info.date_published = published
        info.date_reasoning = how
    _article_details(info, doc, mentions, found_dateline, entities)
    reference = info.reference
    dates = find_dates(doc, reference, [c for c in lexicon.status if c.concept == "Scheduled"])
    names = candidate_names(doc, mentions)
    titles = find_titles(doc, mentions, names)
    disc = Discourse(doc, mentions, names, titles, quotations, labels)
    outlet = (info.publisher, labels[info.publisher])
    attributions = find_attributions(doc, disc, lexicon.reporting, quotations, mentions, outlet)
    speakers = assign_speakers(doc, quotations, attributions, disc)
    for i, q in enumerate(quotations):
        if q.open in answerer and q.label is not None:
            m, why = answerer[q.open]
            speakers[i] = Speaker(q, Person(m.key, None, labels.get(m.key, m.surface), "named",
                                            0.9), None, 0.8, why)
    taken = set(entities) | set(taken_ids or ())
    draft = Draft(info, text, hashlib.sha256(text.encode("utf-8")).hexdigest(), doc, entities,
                  every_mention, dates=dates)
    draft.events = find_events(doc, lexicon, mentions, dates, disc, quotations, attributions,
                               reference, labels, taken)
    draft.new_actors = _new_people(doc, disc, titles, entities)
    for name, span in gazetteer.unknown_states(text, every_mention):
        key = kebab(name)
        if key not in entities:
            actor = draft.new_actors.setdefault(key, NewActor(
                key, "Country", name, why="a state named in the text", confidence=0.8))
            actor.mentions.append(span)
    draft.quotes, quote_items = quote_item_list(doc, quotations, speakers, attributions,
                                                draft.events, dates, taken)
    disc.bind_state_roles()
    titles = sorted(titles + _titles_of_role_nouns(disc, mentions), key=lambda t: t.span.start)
    home = gazetteer.city_state.get(info.location_created or "")
    draft.tenures = find_tenures(doc, titles, entities, draft.events, dates, draft.new_actors,
                                 mentions, home, gazetteer.city_state, reference) + \
        find_careers(doc, mentions, dates, disc)
    state_of = states_of(draft, titles, gazetteer)
    speech_event = speech_events(draft.events)
    spoke = {q.speaker: q.uttered_on for q in draft.quotes if q.speaker and q.uttered_on}
    for person, event in speech_event.items():
        date = next((e.date for e in draft.events if e.id == event), None)
        if date and len(date) == 10 and person not in spoke:
            spoke[person] = dt.date.fromisoformat(date)
    ctx = Context(doc, lexicon, mentions, disc, quotations, quote_items, attributions, state_of,
                  spoke, speech_event, info.publisher,
                  {k: e.label for k, e in entities.items() if e.type == "MediaOrganization"},
                  reference, {k: e.type for k, e in entities.items()}, draft.events,
                  gazetteer.city_state)
    draft.stances = find_stances(ctx)
    draft.omissions = find_omissions(doc, lexicon, mentions, disc, attributions, info.publisher,
                                     speech_event, taken)
    if existing is not None:
        align(existing, draft.events, draft.quotes, draft.tenures, draft.stances)
        draft.known_ids = {e.id for e, _ in existing.events}
        draft.notes += [f"Could not read {u}: its facts were not compared with this draft"
                        for u in existing.unreadable]
        _drop_duplicate_ids(draft)
    return draft


def _drop_duplicate_ids(draft: Draft) -> None:
    """Two drafted events found to be one event the project has: keep one."""
    seen: dict[str, DEvent] = {}
    kept = []
    for e in draft.events:
        if e.id in seen:
            seen[e.id].evidence += [s for s in e.evidence if s not in seen[e.id].evidence]
            continue
        seen[e.id] = e
        kept.append(e)
    draft.events = kept


def _titles_of_role_nouns(disc: Discourse, mentions: list[Mention]) -> list[Title]:
    """ "Georgia's foreign minister ... Nino Kapanadze": the role noun is her title."""
    titles: dict[tuple[int, str], Title] = {}
    for ref, found in disc.bound:
        if ref.state is None or found.key is None:
            continue
        person = next((m for m in mentions if m.key == found.key and
                       found.start <= m.start < found.end), None)
        state = next((m for m in mentions if m.start == ref.start and m.key == ref.state), None)
        if person is not None and state is not None:
            titles.setdefault((ref.start, found.key), Title(
                person, ref.role or "", "", state, None, Span(ref.start, ref.end), "role noun"))
    return list(titles.values())


def _article_details(info: ArticleInfo, doc: Document, mentions: list[Mention], found_dateline,
                     entities: dict[str, Entity]) -> None:
    if found_dateline is not None:
        text, span, outlet = found_dateline
        place = next((m for m in mentions if m.start in span and m.linked
                      and m.etype in ("City", "Place", "Region")), None)
        if place is None and not text.split(",")[0].isupper():
            return  # a title-case dateline is one only when it names a place the registry has
        info.dateline, info.dateline_span = text, span
        info.location_created = place.key if place else None
        if outlet:
            info.publisher_evidence = next(
                (m.span for m in mentions if m.key == info.publisher and m.start in
                 info.dateline_span), None)
            if info.publisher_evidence:
                start = doc.text.rfind("(", info.dateline_span.start, info.publisher_evidence.start)
                end = doc.text.find(")", info.publisher_evidence.end) + 1
                info.publisher_evidence = Span(start, end)
    if info.publisher_evidence is None:
        info.publisher_evidence = next((m.span for m in mentions if m.key == info.publisher), None)
    found = byline(doc, doc.headline)
    if found is not None:
        name, span = found
        info.author_name, info.author_evidence = name, span
        person = next((m for m in mentions if m.start in span and m.etype == "Person"
                       and m.linked), None)
        info.author = person.key if person else None


def _new_people(doc: Document, disc: Discourse, titles: list[Title],
                entities: dict[str, Entity]) -> dict[str, NewActor]:
    proposals: dict[str, NewActor] = {}
    titled = {id(t.person) for t in titles}
    for n in disc.person_names:
        key = kebab(n.text)
        if key in entities:
            continue
        why = "named with a title" if id(n) in titled else "named as a speaker"
        actor = proposals.setdefault(key, NewActor(key, "Person", n.text, why=why,
                                                   confidence=0.8 if id(n) in titled else 0.6))
        actor.mentions.append(Span(n.start, n.end))
    return proposals
