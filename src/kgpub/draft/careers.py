"""Careers: "X has worked for ORG as a translator since March 1999", "from 1996-1997, he worked
as a translator at ORG", "X studied at ORG from 1990-1994" (tenures in an organisation, with the
role as worded and the years)."""

from __future__ import annotations

import re

from .dates import DateMention
from .discourse import Discourse
from .gazetteer import Mention
from .items import DTenure
from .text import Document, Span

ORGANISATIONS = {"Organization", "MediaOrganization", "EducationalOrganization", "GovernmentBody",
                 "IntergovernmentalOrganization"}
WORKED = re.compile(r"\b(?:work(?:s|ed)?|serv(?:es|ed)|been\s+employed)\s+(?:for|at|with)\s+"
                    r"(?:the\s+)?$", re.IGNORECASE)
ROLE_AFTER = re.compile(r"^\s+as\s+(?:a\s+|an\s+)?(?P<role>[a-z][a-z ,]*?)"
                        r"(?=\s+(?:since|from|until|between|in)\b|[.;]|,\s+(?:and|from|since)\b)")
AS_AT = re.compile(r"\bas\s+(?:a\s+|an\s+)?(?P<role>[a-z][a-z ]*?)\s+(?:at|for|with)\s+"
                   r"(?:the\s+)?$")
STUDIED = re.compile(r"\b(?:studied|trained|graduated\s+from)\s+(?:at\s+)?(?:the\s+)?$")
SINCE = re.compile(r"\b(?:since|from|between)\b")


def find_careers(doc: Document, mentions: list[Mention], dates: list[DateMention],
                 disc: Discourse) -> list[DTenure]:
    found: list[DTenure] = []
    text = doc.text
    for sentence in doc.sentences:
        orgs = [m for m in mentions if m.linked and m.etype in ORGANISATIONS and
                sentence.start <= m.start < sentence.end]
        previous_end = sentence.start
        for org in orgs:
            before = text[sentence.start:org.start]
            role = None
            if WORKED.search(before):
                after = ROLE_AFTER.match(text[org.end:sentence.end])
                role = after["role"].strip(" ,") if after else None
            elif AS_AT.search(before):
                role = AS_AT.search(before)["role"]
            elif STUDIED.search(before):
                role = "student"
            if role is None:
                previous_end = org.end
                continue
            person = _subject(doc, disc, sentence.start, org.start)
            if person is None:
                previous_end = org.end
                continue
            tenure = DTenure(confidence=0.7, person=person, organization=org.key, role=role,
                             why=[f'"{role}" at {org.surface}'])
            later = [o.start for o in orgs if o.start > org.start]
            _years(doc, tenure, dates, previous_end, org, sentence.end,
                   later[0] if later else sentence.end)
            clause_start = max(previous_end, text.rfind(",", sentence.start, org.start) + 1
                               if WORKED.search(before) is None else previous_end)
            tenure.evidence.append(Span(_trim(text, clause_start), org.end))
            found.append(tenure)
            previous_end = org.end
    return found


def _trim(text: str, start: int) -> int:
    while start < len(text) and text[start] in " ,":
        start += 1
    return start


def _subject(doc: Document, disc: Discourse, lo: int, hi: int) -> str | None:
    for ref in reversed([r for r in disc.refs if lo <= r.start and r.end <= hi]):
        if ref.kind in ("person", "name", "pronoun"):
            person = disc.person_of(ref)
            return person.key if person else None
    return None


def _years(doc: Document, tenure: DTenure, dates: list[DateMention], lo: int, org: Mention,
           end: int, next_org: int) -> None:
    """The range or start date of the clause: before the organisation, else after it."""
    text = doc.text
    before = [d for d in dates if d.value and lo <= d.start < org.start and
              SINCE.search(text[max(lo, d.start - 8):d.start])]
    after = [d for d in dates if d.value and org.end <= d.start < min(end, next_org) and
             SINCE.search(text[max(org.end, d.start - 30):d.start])]
    chosen = before[-1] if before else after[0] if after else None
    if chosen is None:
        return
    tenure.begins = chosen.value
    tenure.ends = chosen.until
    tenure.why.append(f'{"from" if chosen.until else "since"} "{chosen.text}"')
