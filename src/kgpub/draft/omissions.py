"""Omissions: "He made no mention of the United States" (the cue lexicon of kgp:Omission)."""

from __future__ import annotations

import re

from .attribution import Attribution
from .discourse import Discourse
from .gazetteer import Mention
from .items import DOmission
from .keys import kebab, unique
from .lexicon import Lexicon, find_cues
from .stances import subject_before
from .text import Document, Span


def find_omissions(doc: Document, lexicon: Lexicon, mentions: list[Mention], disc: Discourse,
                   attributions: list[Attribution], publisher: str,
                   speech_event: dict[str, str], taken: set[str]) -> list[DOmission]:
    found: list[DOmission] = []
    for sentence in doc.body_sentences():
        for cue in find_cues(lexicon.omission, doc.text, sentence.start, sentence.end):
            subject = subject_before(doc, disc, cue.start, sentence)
            person = disc.person_of(subject, prefer_speaker=True) if subject else None
            if person is None or person.key is None:
                continue
            absent = next((m for m in mentions if m.start >= cue.end and m.linked and m.is_agent
                           and m.start < sentence.end and m.role != "title"), None)
            if absent is None:
                continue
            observer = next((m.key for m in mentions if m.etype == "MediaOrganization" and
                             sentence.start <= m.start < sentence.end and
                             re.match(r"\s+(?:noted|reported|observed|wrote)\b",
                                      doc.text[m.end:m.end + 12])), publisher)
            omission = DOmission(
                confidence=min(0.85, person.confidence),
                why=[f'cue "{doc.text[cue.start:cue.end]}"',
                     f'by "{doc.text[subject.start:subject.end]}" ({person.how})',
                     f'not mentioned: "{absent.surface}"'],
                evidence=[Span(subject.start, absent.end)],
                id=unique(kebab(f"{person.key}-no-mention-of-{absent.key}"), taken),
                omitted_by=person.key, not_mentioned=absent.key,
                within=speech_event.get(person.key), observed_by=observer)
            found.append(omission)
    return found
