"""The article's own metadata as the text shows it: headline, dateline, byline, publisher."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

from ..model import KEY_PATTERN, Entity
from .dates import DateMention
from .gazetteer import Mention
from .keys import kebab
from .text import Document, DraftError, Span, words

DATELINE = re.compile(
    r"^(?P<city>[A-Z\u00C0-\u024F][A-Z\u00C0-\u024F .'\u2019-]{2,40}?)"
    r"(?:,\s+(?P<date>[A-Z][a-z]+\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]+))?"
    r"(?:\s*(?P<outlet>\([^()\n]{2,40}\)))?"
    r"\s*(?:[-\u2014\u2013]|\.\s)")
# Title-case datelines: a masthead line "The Island Mercury, Port Louis, Friday 10 July 2026" or
# "The Volta Courier, Ho — Thursday, 8 October 2026" (the dateline is from the city on), or
# prose opening "Tbilisi, 24 April 2026 –" or "Luanda –" (the city alone: the dash is
# not part of it)
_CITY = r"(?P<city>[A-Z][\w'\u2019-]+(?:\s[A-Z][\w'\u2019-]+){0,2})"
_FULL_DATE = (r"(?P<date>(?:[A-Z][a-z]+day,?\s+)?(?:\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]+\.?\s+"
              r"\d{1,2}),?\s+\d{4})")
MASTHEAD_DATELINE = re.compile(rf"^(?:[^,\n]{{2,60}},\s+)?{_CITY}(?:,\s+|\s+[-\u2014\u2013]\s+)"
                               rf"{_FULL_DATE}[ \t]*$", re.MULTILINE)
PROSE_DATELINE = re.compile(rf"^{_CITY}(?:,\s+{_FULL_DATE})?\s+[-\u2014\u2013]\s+(?=[A-Z])")
BYLINE = re.compile(r"^By\s+(?P<name>[A-Z][\w'\u2019.-]+(?:\s+[A-Z][\w'\u2019.-]+){1,3})\s*$")


@dataclass
class ArticleInfo:
    id: str
    publisher: str
    headline: str
    headline_paragraph: int
    date_published: dt.date | None = None
    earliest: dt.date | None = None
    latest: dt.date | None = None
    date_reasoning: str | None = None
    dateline: str | None = None
    dateline_span: Span | None = None
    location_created: str | None = None
    author: str | None = None
    author_evidence: Span | None = None
    author_name: str | None = None
    publisher_evidence: Span | None = None
    url: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def reference(self) -> dt.date:
        """The date relative dates count from: the publication date (or its latest bound)."""
        return self.date_published or self.latest  # type: ignore[return-value]


def article_id(given: str | None, stem: str) -> str:
    if given is None:
        return kebab(stem)
    if not re.match(KEY_PATTERN, given):
        raise DraftError(f"--id {given!r} is not a key: use lower-case letters and digits joined "
                         f"by hyphens, e.g. {kebab(given)!r}", 2)
    return given


def headline(doc: Document) -> int:
    """The first one-line paragraph of three words or more before the prose starts (page chrome
    such as "Breaking News" comes first on some pages); else the first paragraph. A sentence
    ending with a full stop is prose, however short ('"We agree," Holm said.')."""
    for i, p in enumerate(doc.paragraphs):
        line = doc.text[p.start:p.end].strip()
        if len(words(line)) >= 6 and line.endswith((".", "!", "?", "\u201d", '"', "\u00bb")) \
                or len(words(line)) >= 2 and line.endswith("."):
            break  # the prose has started (a headline does not end with a full stop)
        if "\n" not in line and len(words(line)) >= 3:
            return i
    return 0


def dateline(doc: Document, after: int) -> tuple[str, Span, str | None] | None:
    for p in doc.paragraphs[after + 1:after + 4]:
        m = DATELINE.match(doc.text[p.start:p.end])
        if m and sum(c.isupper() for c in m["city"]) >= 3 and m["city"].upper() == m["city"]:
            end = m.end("outlet") if m["outlet"] else m.end("date") if m["date"] else m.end("city")
            text = doc.text[p.start:p.start + end].strip()
            return text, Span(p.start, p.start + len(text)), m["outlet"]
    for p in doc.paragraphs[after + 1:after + 4]:
        line = doc.text[p.start:p.end]
        m = MASTHEAD_DATELINE.search(line)  # a line of its own, under a byline perhaps
        if m:
            start, end = p.start + m.start("city"), p.start + m.end("date")
            return doc.text[start:end], Span(start, end), None
        m = PROSE_DATELINE.match(line)
        if m:
            end = p.start + (m.end("date") if m["date"] else m.end("city"))
            return doc.text[p.start:end], Span(p.start, end), None
    return None


def byline(doc: Document, after: int) -> tuple[str, Span] | None:
    for p in doc.paragraphs[after + 1:after + 3]:
        m = BYLINE.match(doc.text[p.start:p.end])
        if m:
            return m["name"], Span(p.start, p.end)
    return None


def publisher(given: str | None, entities: dict[str, Entity], outlet: str | None,
              mentions: list[Mention], dateline_span: Span | None, registry_name: str) -> str:
    media = sorted(k for k, e in entities.items() if e.type == "MediaOrganization")
    if given is not None:
        if given in entities and entities[given].type == "MediaOrganization":
            return given
        close = difflib.get_close_matches(given, media, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else \
            f"; known outlets: {', '.join(media) or 'none'}"
        what = "is not a MediaOrganization" if given in entities else "is not a key"
        raise DraftError(f"--publisher {given!r} {what} of {registry_name}{hint}", 2)
    if dateline_span is not None:
        for m in mentions:
            if m.etype == "MediaOrganization" and m.start in dateline_span:
                return m.key  # type: ignore[return-value]
    raise DraftError("no publisher: the text has no dateline naming an outlet of the registry; "
                     f"give --publisher KEY (one of: {', '.join(media) or 'none'})", 2)


def publication_date(given: dt.date | None, dates: list[DateMention], doc: Document,
                     within: int = 400) -> tuple[dt.date, str | None]:
    if given is not None:
        return given, None
    for d in dates:
        if d.start < within and d.precision == "day" and d.rule == "written in full":
            return d.day, f'the first full date in the text, "{d.text}"'  # type: ignore
    raise DraftError("no publication date: the text has no full date near its top; give --date "
                     "YYYY-MM-DD (relative dates such as \"on Tuesday\" are resolved against it)",
                     2)
