"""A draft of one article: every step from the text to the proposed facts, in order."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Entity, Registry
from .careers import find_careers
from .attribution import Attribution, assign_speakers, find_attributions
from .dates import DateMention, find_dates
from .discourse import Discourse
from .events import find_events
from .gazetteer import Gazetteer, Mention
from .items import DEvent, DOmission, DQuote, DStance, DTenure, NewActor
from .keys import kebab, unique
from .lexicon import Lexicon
from .meta import ArticleInfo, article_id, byline, dateline, headline, publication_date, publisher
from .omissions import find_omissions
from .project import Existing, align
from .quotes import Quotation, find_quotations, unbalanced_message
from .stances import Context, find_stances
from .tenures import find_tenures
from .text import DraftError, Document, build_document, is_prose, split_sentences
from .titles import Name, Title, candidate_names, find_titles

SPEECH_EVENTS = {"Interview", "Briefing"}


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
    speakers = assign_speakers(doc, quotations, attributions)
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
    draft.quotes, quote_items = _quotes(doc, quotations, speakers, attributions, draft.events,
                                        dates, taken)
    home = gazetteer.city_state.get(info.location_created or "")
    draft.tenures = find_tenures(doc, titles, entities, draft.events, dates, draft.new_actors,
                                 mentions, home) + find_careers(doc, mentions, dates, disc)
    state_of = _states(draft, titles, gazetteer)
    speech_event = _speech_events(draft.events)
    spoke = {q.speaker: q.uttered_on for q in draft.quotes if q.speaker and q.uttered_on}
    for person, event in speech_event.items():
        date = next((e.date for e in draft.events if e.id == event), None)
        if date and len(date) == 10 and person not in spoke:
            spoke[person] = dt.date.fromisoformat(date)
    ctx = Context(doc, lexicon, mentions, disc, quotations, quote_items, attributions, state_of,
                  spoke, speech_event, info.publisher,
                  {k: e.label for k, e in entities.items() if e.type == "MediaOrganization"},
                  reference, {k: e.type for k, e in entities.items()})
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


def _article_details(info: ArticleInfo, doc: Document, mentions: list[Mention], found_dateline,
                     entities: dict[str, Entity]) -> None:
    if found_dateline is not None:
        info.dateline, info.dateline_span, outlet = found_dateline
        place = next((m for m in mentions if m.start in info.dateline_span and m.linked
                      and m.etype in ("City", "Place", "Region")), None)
        info.location_created = place.key if place else None
        if outlet:
            info.publisher_evidence = next(
                (m.span for m in mentions if m.key == info.publisher and m.start in
                 info.dateline_span), None)
            if info.publisher_evidence:
                start = doc.text.rfind("(", info.dateline_span.start, info.publisher_evidence.start)
                end = doc.text.find(")", info.publisher_evidence.end) + 1
                from .text import Span
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
        actor.mentions.append(n_span(n))
    return proposals


def n_span(n: Name):
    from .text import Span
    return Span(n.start, n.end)


def _quotes(doc: Document, quotations: list[Quotation], speakers, attributions: list[Attribution],
            events: list[DEvent], dates: list[DateMention], taken: set[str]):
    from .text import Span, count_overlapping
    items: list[DQuote] = []
    by_index: dict[int, DQuote] = {}
    explicit_media: dict[str, set[str]] = {}
    for i, q in enumerate(quotations):
        s = speakers.get(i)
        if s is None or q.start == q.end:
            continue
        text = q.text(doc)
        person = s.person
        ref = unique(kebab("q-" + " ".join(text.split()[:5]), 40), taken)
        item = DQuote(confidence=s.confidence, why=[f"speaker: {s.why}"], ref=ref,
                      span=Span(q.start, q.end), text=text, speaker=person.key,
                      paragraph=q.paragraph,
                      fragment=_fragment(doc, q))
        if person.key is None:
            item.pending.append(person.new)
        a = s.attribution
        if a is not None:
            if a.medium and a.after_quote is q or a.medium and a.sentence is doc.sentence_at(q.open):
                item.medium = a.medium
                explicit_media.setdefault(person.ident, set()).add(a.medium)
            item.evidence.append(Span(a.verb.start, a.verb.end) if a.subject is None else
                                 Span(min(a.subject.start, a.verb.start),
                                      max(a.subject.end, a.verb.end)))
            _date_and_event(doc, item, a, person.key, events, dates)
        items.append(item)
        by_index[i] = item
    for item in items:  # one outlet for all of a speaker's quotes: the conversation goes on
        media = explicit_media.get(item.speaker or "")
        if item.medium is None and media and len(media) == 1:
            item.medium = next(iter(media))
            item.why.append(f"medium: {item.medium}, the only outlet this speaker talked to")
    dated = {q.speaker: q.uttered_on for q in items if q.speaker and q.uttered_on}
    for a in attributions:  # "Berg spoke on Monday": the day this speaker spoke
        key = a.person.key if a.person else None
        days = [d for d in dates if d.day and a.sentence.start <= d.start < a.sentence.end
                and not d.publication and not d.inner]
        if key and key not in dated and days:
            dated[key] = min(days, key=lambda d: abs(d.start - a.verb.end)).day
    for item in items:
        if item.uttered_on is None and item.speaker in dated:
            item.uttered_on = dated[item.speaker]
            item.why.append(f"uttered on {item.uttered_on}: this speaker's dated statement")
        if item.uttered_on is None and item.speaker:
            days = {e.date for e in events if item.speaker in e.actors and e.date
                    and len(e.date) == 10}
            if len(days) == 1:
                item.uttered_on = dt.date.fromisoformat(days.pop())
                item.why.append(f"uttered on {item.uttered_on}: the speaker's only dated event")
    for item in items:
        starts = count_overlapping(doc.text, doc.text[item.span.start:item.span.end])
        item.evidence = [e for e in item.evidence if e != item.span]
        if len(starts) > 1:
            item.why.append(f"occurrence {starts.index(item.span.start) + 1} of {len(starts)}")
    return items, by_index


def _fragment(doc: Document, q: Quotation) -> bool:
    """A partial quote inside a sentence, as opposed to a quoted sentence of its own."""
    before = doc.text[doc.paragraphs[q.paragraph].start:q.open].rstrip()
    starts_sentence = q.continued or not before or before.endswith((".", ":", "!", "?", "\u201d",
                                                                    '"', "\u00bb"))
    return not starts_sentence or not re.search(r"[.,!?]\s*$", doc.text[q.start:q.end]) and \
        not q.continues


def _date_and_event(doc: Document, item: DQuote, a: Attribution, speaker: str | None,
                    events: list[DEvent], dates: list[DateMention]) -> None:
    sentence = a.sentence
    here = [e for e in events if speaker in e.actors and any(
        sentence.start <= t.start < sentence.end for t in e.triggers)]
    here.sort(key=lambda e: e.type not in SPEECH_EVENTS)
    speech = [e for e in events if e.type in SPEECH_EVENTS and speaker in e.actors]
    event = here[0] if here else speech[0] if len(speech) == 1 else None
    if event is not None:
        item.uttered_in = event.id
        item.why.append(f"uttered in {event.id}")
    days = [d for d in dates if d.day and sentence.start <= d.start < sentence.end and
            not (item.span.start <= d.start < item.span.end) and not d.publication]
    if days:
        nearest = min(days, key=lambda d: abs(d.start - a.verb.end))
        item.uttered_on = nearest.day
        item.why.append(f'uttered on {nearest.value}: "{nearest.text}" ({nearest.rule})')
    elif event is not None and event.date and len(event.date) == 10:
        item.uttered_on = dt.date.fromisoformat(event.date)


def _speech_events(events: list[DEvent]) -> dict[str, str]:
    """Each person's one interview or briefing in the article (none when there are several)."""
    found: dict[str, list[str]] = {}
    for e in events:
        if e.type in SPEECH_EVENTS:
            for actor in e.actors:
                found.setdefault(actor, []).append(e.id)
    return {k: v[0] for k, v in found.items() if len(v) == 1}


def _states(draft: Draft, titles: list[Title], gazetteer: Gazetteer) -> dict[str, str]:
    """The state each person speaks for: their post's state, their title's, their description's."""
    entities = draft.entities
    states: dict[str, str] = {}
    for tenure in draft.tenures:
        if tenure.person and tenure.post in entities:
            state = _state_of_entity(entities[tenure.post], entities, gazetteer)
            if state:
                states.setdefault(tenure.person, state)
    for t in titles:
        key = t.person_key or f"new:{kebab(t.person.text)}"
        if t.state is not None and t.state.etype == "Country":
            states.setdefault(key, t.state.key)
    for key, e in entities.items():
        if e.type == "Person" and key not in states and e.description:
            state = _state_in_text(e.description, gazetteer)
            if state:
                states[key] = state
    return states


def _state_of_entity(e: Entity, entities: dict[str, Entity], gazetteer: Gazetteer) -> str | None:
    seen: set[str] = set()
    while e is not None and e.key not in seen:
        seen.add(e.key)
        if e.type == "Country":
            return e.key
        if e.post_in and e.post_in in entities:
            e = entities[e.post_in]
            continue
        return _state_in_text(e.label, gazetteer)
    return None


def _state_in_text(text: str, gazetteer: Gazetteer) -> str | None:
    for m in gazetteer.pattern.finditer(text):
        for option in gazetteer.surfaces[m.group()]:
            if gazetteer.entities[option.key].type == "Country":
                return option.key
    return None
