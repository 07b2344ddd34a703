"""Quotes as facts: each quotation with its speaker, the outlet spoken to, the event and the day
it was said in, carried over to the speaker's other quotes where the article leaves them out."""

from __future__ import annotations

import datetime as dt
import re

from .attribution import Attribution
from .dates import DateMention
from .items import DEvent, DQuote
from .keys import kebab, unique
from .quotes import Quotation
from .text import Document, Span, count_overlapping

SPEECH_EVENTS = {"Interview", "Briefing"}


def quote_items(doc: Document, quotations: list[Quotation], speakers,
                attributions: list[Attribution], events: list[DEvent], dates: list[DateMention],
                taken: set[str]):
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
            if a.medium and (a.after_quote is q or a.sentence is doc.sentence_at(q.open)):
                item.medium = a.medium
                explicit_media.setdefault(person.ident, set()).add(a.medium)
            item.evidence.append(Span(a.verb.start, a.verb.end) if a.subject is None else
                                 Span(min(a.subject.start, a.verb.start),
                                      max(a.subject.end, a.verb.end)))
            _date_and_event(doc, item, a, person.key, events, dates)
        items.append(item)
        by_index[i] = item
        if a is not None and len(a.pair) > 1 and person is a.pair[0]:
            for other in a.pair[1:]:  # "the two ministers said": one quote for each
                twin = DQuote(confidence=min(0.7, s.confidence),
                              why=[f"speaker: {other.how}, with {person.label}"],
                              ref=unique(kebab("q-" + " ".join(text.split()[:5]), 40), taken),
                              span=item.span, text=text, speaker=other.key,
                              paragraph=q.paragraph, fragment=item.fragment,
                              evidence=list(item.evidence), medium=item.medium,
                              uttered_in=item.uttered_in, uttered_on=item.uttered_on)
                if other.key is None:
                    twin.pending.append(other.new)
                items.append(twin)
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


def speech_events(events: list[DEvent]) -> dict[str, str]:
    """Each person's one interview or briefing in the article (none when there are several)."""
    found: dict[str, list[str]] = {}
    for e in events:
        if e.type in SPEECH_EVENTS:
            for actor in e.actors:
                found.setdefault(actor, []).append(e.id)
    return {k: v[0] for k, v in found.items() if len(v) == 1}
