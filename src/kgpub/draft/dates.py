"""Dates: explicit, partial ("November 24"), relative ("today", "on Wednesday", "last month",
"three days after his inauguration on November 24"), resolved against the publication date.

Every resolved date carries the rule that produced it, in words, for the draft's comment; what no
rule resolves ("next week") stays text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .lexicon import Cue, find_cues
from .text import Document, Span

_MONTH_NAMES = ("january february march april may june july august september october "
                "november december")
MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES.split(), 1)}
MONTH_ABBREVIATIONS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
                       "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
_WEEKDAY_NAMES = "monday tuesday wednesday thursday friday saturday sunday"
WEEKDAYS = _WEEKDAY_NAMES.split()
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
UNITS = {"day": 1, "week": 7, "month": 0}

_MONTH = (r"(?P<month>January|February|March|April|May|June|July|August|September|October|"
          r"November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_NUM = r"(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_RAW_PATTERNS = [
    ("iso", r"\b(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<day>[0-3]\d)\b"),
    ("full", rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
    ("full", rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b"),
    ("month-year", rf"\b{_MONTH}\s+(?:of\s+)?{_YEAR}\b"),
    # "on 19 and 20 April", "Oct. 3-4": the first day of the two
    ("partial", rf"\b{_DAY}\s*(?:and|to|-|\u2013)\s*[0-3]?\d(?:st|nd|rd|th)?\s+{_MONTH}"
                r"(?!\s*,?\s*(?:19|20)\d\d)"),
    ("partial", rf"\b{_MONTH}\s+{_DAY}\s*(?:and|to|-|\u2013)\s*[0-3]?\d\b"
                r"(?!\s*(?:,\s*)?(?:19|20)\d\d)"),
    ("partial", rf"\b{_MONTH}\s+{_DAY}\b(?!\s*(?:,\s*)?(?:19|20)\d\d)"),
    ("partial", rf"\b{_DAY}\s+{_MONTH}(?!\s*,?\s*(?:19|20)\d\d)"),
    ("month", rf"\b(?:in|since|from|until|by|during|early|late|last|this|next|mid|"
              rf"(?:end|beginning|start|middle)\s+of) {_MONTH}"
              r"(?![\s\u00a0]+\d)"),
    ("years", r"\b(?P<y1>(?:19|20)\d\d)\s*[-\u2013]\s*(?P<y2>(?:19|20)\d\d)\b"),
    ("year", rf"\b(?:in|since|from|until|by|before|after|during|of) {_YEAR}\b(?![-\u2013]\d)"),
    ("same-day", r"\b(?:the\s+same|that\s+same|later\s+that|that)\s+"
                 r"(?:day|morning|afternoon|evening|night)\b|"
                 r"\b(?:later|earlier)\s+in\s+the\s+(?:day|evening|afternoon)\b"),
    ("relative-day", r"\b(?:today|tonight|this morning|this afternoon|this evening|yesterday|"
                     r"last night|tomorrow)\b"),
    ("weekday", r"\b(?:on\s+)?(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
                r"Sunday)\b"),
    ("relative-period", r"\b(?P<which>last|next|this|later this|earlier this)\s+"
                        r"(?P<unit>week|month|year)\b"),
    ("next-day", r"\b(?:the\s+(?P<next>next|following)\s+day|the\s+day\s+(?P<dir>before|after))"
                 r"(?!\s+(?:the|his|her|their|a|an)\b)"),
    ("offset", rf"\b{_NUM}\s+(?P<unit>day|week|month)s?\s+"
               r"(?P<dir>ago|after|before|later|earlier)\b"),
]
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile(rx, re.IGNORECASE)) for name, rx in _RAW_PATTERNS]
PATTERNS_BY_KIND = dict(PATTERNS)


@dataclass
class DateMention:
    start: int
    end: int
    text: str
    value: str | None
    rule: str
    anchor: Span | None = None  # the date an offset counts from, inside this mention
    inner: bool = False  # the date of what the mention's own clause tells ("a month after X")
    publication: bool = False  # "published on Friday": when something appeared, not happened
    until: str | None = None  # the end of a range of years ("1996-1997")

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @property
    def precision(self) -> str:
        size = len(self.value) if self.value else None
        return {None: "none", 4: "year", 7: "month", 10: "day"}[size]

    @property
    def day(self) -> dt.date | None:
        return dt.date.fromisoformat(self.value) if self.precision == "day" else None


def find_dates(doc: Document, reference: dt.date | None,
               future_cues: list[Cue]) -> list[DateMention]:
    """Every date expression, longest first where they overlap, resolved when a rule allows."""
    text = doc.text
    raw: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pattern in PATTERNS:
        group = {"month": "month", "year": "year"}.get(kind, 0)
        for m in pattern.finditer(text):
            raw.append((m.start(group), m.end(group), kind, m))
    raw.sort(key=lambda r: (-(r[1] - r[0]), r[0]))
    kept: list[tuple[int, int, str, re.Match[str]]] = []
    for r in raw:
        if all(r[1] <= k[0] or r[0] >= k[1] for k in kept):
            kept.append(r)
    kept.sort(key=lambda r: r[0])
    mentions = [_resolve(doc, start, end, kind, m, reference, future_cues)
                for start, end, kind, m in kept]
    mentions = _offsets(doc, mentions, reference)
    _same_day(doc, mentions, reference, future_cues)
    _told_before(doc, mentions)
    for d in mentions:
        d.publication = bool(PUBLISHED.search(text[max(0, d.start - 14):d.start]))
    return mentions


PUBLISHED = re.compile(r"\b(?:published|released|aired|broadcast|posted)\s+(?:on\s+)?$",
                       re.IGNORECASE)


def _month_of(name: str) -> int:
    key = name.lower().rstrip(".")
    return MONTHS.get(key) or MONTH_ABBREVIATIONS[key]


def _nearest_year(month: int, day: int | None, reference: dt.date) -> int:
    def distance(year: int) -> int:
        try:
            when = dt.date(year, month, day or 15)
        except ValueError:
            return 10**6
        return abs((when - reference).days)
    return min((reference.year - 1, reference.year, reference.year + 1), key=distance)


def _clause_before(doc: Document, start: int) -> tuple[int, int]:
    sentence = doc.sentence_at(start)
    lo = sentence.start if sentence else max(0, start - 120)
    cut = max((m.end() for m in re.finditer(r"[,;:]|\bthat\b", doc.text[lo:start])), default=0)
    return lo + cut, start


def _future(doc: Document, start: int, future_cues: list[Cue]) -> bool:
    """Whether the clause leading up to `start` speaks of the future ("is due to travel ... on"),
    or the sentence does before it when the clause has no verb of its own ("Colombo will back
    X, India's candidate, in the election in December")."""
    if find_cues(future_cues, doc.text, *_clause_before(doc, start)):
        return True
    sentence = doc.sentence_at(start)
    if sentence is None:
        return False
    lo, hi = _clause_before(doc, start)
    if _past(doc, start) or re.search(r"\b(?:is|are|has|have)\b", doc.text[lo:hi]):
        return False
    return bool(find_cues(future_cues, doc.text, sentence.start, lo)) and not re.search(
        r"[\"\u201c\u201d\u00ab\u00bb]", doc.text[sentence.start:hi])


# A verb in the simple past ("filed", "took office"), not a participle after an auxiliary ("is
# expected", "will be held", "to be signed")
PAST_VERB = re.compile(r"\b(?:was|were|had|did|took|became|began|made|went|came|met|held|won|"
                       r"lost|said|told|left|sent|gave|saw|brought|fought|chose)\b|"
                       r"(?<!\bis\s)(?<!\bare\s)(?<!\bbe\s)(?<!\bbeen\s)(?<!\bto\s)"
                       r"(?<!\bwill\s)(?<!\bwould\s)\b[a-z]{3,}ed\b")


def _past(doc: Document, start: int) -> bool:
    """ "was elected in September", "filed a complaint in March", "since he took office in
    December": the past, so not a month still to come."""
    lo, hi = _clause_before(doc, start)
    clause = doc.text[lo:hi]
    if re.search(r"\b(?:was|were|had)\b", clause, re.IGNORECASE):
        return True
    verbs = [m for m in PAST_VERB.finditer(clause) if not _NOT_VERBS.fullmatch(m.group())]
    if verbs and re.search(r"\bto\s+[a-z]+\b|\b(?:before|until|ahead\s+of|for|next|"
                           r"preparations?|meeting|election|elections|summit|talks|visit|vote|"
                           r"round|conference|session)\b", clause[verbs[-1].end():],
                           re.IGNORECASE):
        # "urged X to free prisoners before the elections on Dec. 5", "discussed preparations for
        # the meeting in March": the date is of something the verb speaks of, still to come
        return False
    return bool(verbs) and not re.search(r"\b(?:will|would|shall|is|are|due|set|plans?|"
                                         r"expected|scheduled)\b", clause, re.IGNORECASE)


# -ed words that are rarely a past verb in news prose
_NOT_VERBS = re.compile(r"(?:need|speed|seed|feed|red|bed|shed|led|united|limited|based|"
                        r"armed|detailed|advanced|related|concerned|interested|"
                        r"hundred|proposed|planned|scheduled|expected|intended|"
                        r"disputed|contested|detained|accused|elected|named|so-called)",
                        re.IGNORECASE)


def _year(doc: Document, start: int, month: int, day: int | None, ref: dt.date,
          future_cues: list[Cue]) -> int:
    """The year nearest the publication date, moved back for a past tense ("was elected in
    September") or on for a future one ("the summit that X will host in June")."""
    year = _nearest_year(month, day, ref)
    try:
        ahead = dt.date(year, month, day or 1) > ref
        behind = dt.date(year, month, day or 28) < ref
    except ValueError:
        return year
    if ahead and _past(doc, start):
        return year - 1
    return year + 1 if behind and _future(doc, start, future_cues) else year


def _resolve(doc: Document, start: int, end: int, kind: str, m: re.Match[str],
             ref: dt.date | None, future_cues: list[Cue]) -> DateMention:
    text = doc.text[start:end]
    base = f"the publication date {ref}" if ref else None
    try:
        if kind == "iso":
            day = dt.date(int(m["year"]), int(m["m"]), int(m["day"]))
            return DateMention(start, end, text, day.isoformat(), "written in full")
        if kind == "full":
            day = dt.date(int(m["year"]), _month_of(m["month"]), int(m["day"]))
            return DateMention(start, end, text, day.isoformat(), "written in full")
        if kind == "month-year":
            return DateMention(start, end, text, f"{m['year']}-{_month_of(m['month']):02d}",
                               "written in full")
        if kind == "years":
            return DateMention(start, end, text, m["y1"], f"years {m['y1']} to {m['y2']}",
                               until=m["y2"])
        if kind == "year":
            return DateMention(start, end, text, m["year"], "a year")
    except ValueError:
        return DateMention(start, end, text, None, "not a valid date")
    if ref is None:
        return DateMention(start, end, text, None, "no publication date to resolve it against")
    if kind == "partial":
        month, day_n = _month_of(m["month"]), int(m["day"])
        year = _year(doc, start, month, day_n, ref, future_cues)
        try:
            day = dt.date(year, month, day_n)
        except ValueError:
            return DateMention(start, end, text, None, "not a valid date")
        return DateMention(start, end, text, day.isoformat(),
                           f"year {year}: the year that puts it nearest to {base}"
                           + (" in the past (past tense)" if year < _nearest_year(month, day_n, ref)
                              else " to come (future tense)" if year > _nearest_year(
                                  month, day_n, ref) else ""))
    if kind == "month":
        month = _month_of(m["month"])
        year = _year(doc, start, month, None, ref, future_cues)
        return DateMention(start, end, text, f"{year}-{month:02d}",
                           f"year {year}: the year that puts it nearest to {base}")
    if kind == "relative-day":
        word = text.lower()
        shift = -1 if word in ("yesterday", "last night") else 1 if word == "tomorrow" else 0
        day = ref + dt.timedelta(days=shift)
        return DateMention(start, end, text, day.isoformat(), f"{word!r} counted from {base}")
    if kind == "weekday":
        target = WEEKDAYS.index(m["weekday"].lower())
        if _future(doc, start, future_cues):
            day = ref + dt.timedelta(days=(target - ref.weekday()) % 7)
            how = "the first such day on or after"
        else:
            day = ref - dt.timedelta(days=(ref.weekday() - target) % 7)
            how = "the last such day on or before"
        return DateMention(start, end, text, day.isoformat(),
                           f"{how} {base} ({'future' if how.startswith('the first') else 'past'} "
                           "tense)")
    if kind == "relative-period":
        which, unit = m["which"].lower(), m["unit"].lower()
        if unit == "week":
            return DateMention(start, end, text, None, "a week is not a date")
        step = -1 if which == "last" else 1 if which == "next" else 0
        if unit == "year":
            return DateMention(start, end, text, str(ref.year + step), f"{which} year from {base}")
        month0 = ref.year * 12 + ref.month - 1 + step
        return DateMention(start, end, text, f"{month0 // 12}-{month0 % 12 + 1:02d}",
                           f"{which!r} month counted from {base}")
    if kind == "same-day":
        return DateMention(start, end, text, None, "same-day")  # resolved by _same_day
    if kind == "next-day":
        return DateMention(start, end, text, None, "next-day")  # resolved by _told_before
    return DateMention(start, end, text, None, "relative to something not dated")  # "offset"


def _offsets(doc: Document, mentions: list[DateMention], ref: dt.date | None) -> list[DateMention]:
    """ "N days after <... a date>", "N days ago", "N days before publication"."""
    out: list[DateMention] = []
    skip: set[int] = set()
    for i, mention in enumerate(mentions):
        if i in skip:
            continue
        m = PATTERNS[-1][1].fullmatch(mention.text)
        if m is None:
            out.append(mention)
            continue
        n = int(m["n"]) if m["n"].isdigit() else NUMBERS[m["n"].lower()]
        unit = m["unit"].lower()
        direction = m["dir"].lower()
        if direction == "ago" and unit == "week":  # "two weeks ago": about then, not a day
            out.append(DateMention(mention.start, mention.end, mention.text, None,
                                   "weeks ago: not a day"))
            continue
        if direction == "ago" and ref:
            out.append(DateMention(mention.start, mention.end, mention.text,
                                   _shift(ref, n, unit, -1),
                                   f"{n} {unit}(s) before the publication date {ref}"))
            continue
        tail = re.match(r"\s+(?:its\s+)?publication\b", doc.text[mention.end:mention.end + 30])
        if direction in ("before", "after") and tail and ref:
            sign = -1 if direction == "before" else 1
            end = mention.end + tail.end()
            out.append(DateMention(mention.start, end, doc.text[mention.start:end],
                                   _shift(ref, n, unit, sign), f"{n} {unit}(s) {direction} the "
                                                               f"publication date {ref}"))
            continue
        anchor = _anchor(doc, mentions, i) if direction in ("before", "after") else None
        if anchor is not None and anchor.day is not None:
            sign = -1 if direction == "before" else 1
            out.append(DateMention(
                mention.start, anchor.end, doc.text[mention.start:anchor.end],
                _shift(anchor.day, n, unit, sign),
                f"{n} {unit}(s) {direction} {anchor.text!r} ({anchor.value}; {anchor.rule})",
                anchor.span))
            out.append(anchor)
            skip.add(mentions.index(anchor))
            continue
        if direction in ("earlier", "later"):  # "(on Monday ...) held a day earlier"
            sentence = doc.sentence_at(mention.start)
            told = [d for d in out if d.day and not d.inner and sentence is not None
                    and d.start >= sentence.start]
            if told:
                sign = -1 if direction == "earlier" else 1
                out.append(DateMention(mention.start, mention.end, mention.text,
                                       _shift(told[-1].day, n, unit, sign),
                                       f"{n} {unit}(s) {direction} than {told[-1].text!r} "
                                       f"({told[-1].value})"))
                continue
        if anchor is None and direction in ("before", "after"):
            unanchored = _unanchored(doc, mentions, i, n, unit, direction, ref)
            if unanchored is not None:
                out.append(unanchored)
                continue
        out.append(mention)
    return sorted(out, key=lambda d: (d.start, -d.end))


def _same_day(doc: Document, mentions: list[DateMention], reference: dt.date | None,
              future_cues: list[Cue]) -> None:
    """ "the same afternoon", "later that day", "later in the day": the day of the last day
    told before it (in a clause not about the future, the last that has come: a trip "that takes
    her to Lima on Friday" told in between is not the day of "later in the day, he said")."""
    for i, d in enumerate(mentions):
        if d.rule != "same-day":
            continue
        told = [e for e in mentions[:i] if e.day and not e.inner and not e.publication]
        if reference is not None and not _future(doc, d.start, future_cues):
            told = [e for e in told if e.day <= reference] or told
        if told:
            d.value = told[-1].value
            d.rule = f"the day told before, {told[-1].text!r} ({told[-1].value})"
        else:
            d.rule = "the same day as something not dated"


OFFSET_BACK = re.compile(rf"{_NUM}\s+(?P<unit>day|week)s?\s+(?P<dir>later|earlier)", re.IGNORECASE)


def _told_before(doc: Document, mentions: list[DateMention]) -> None:
    """ "Two days earlier ...", "the next day", "the day before" with no day in their own
    sentence: counted from the last day told in the sentence before (its paragraph or the one
    before), as the narrative goes on from it."""
    for i, d in enumerate(mentions):
        if d.value is not None:
            continue
        if d.rule == "next-day":
            m = PATTERNS_BY_KIND["next-day"].fullmatch(d.text)
            n, unit, sign = 1, "day", -1 if m and m["dir"] == "before" else 1
        else:
            m = OFFSET_BACK.fullmatch(d.text)
            if m is None:
                continue
            n = int(m["n"]) if m["n"].isdigit() else NUMBERS[m["n"].lower()]
            unit, sign = m["unit"].lower(), -1 if m["dir"].lower() == "earlier" else 1
        here = doc.sentence_index(d.start)
        told = [e for e in mentions[:i] if e.day and not e.inner and not e.publication
                and here - 2 <= doc.sentence_index(e.start) <= here
                and doc.paragraph_at(e.start) >= doc.paragraph_at(d.start) - 1]
        if not told:
            continue
        d.value = _shift(told[-1].day, n, unit, sign)
        d.rule = f"{d.text!r} counted from {told[-1].text!r} ({told[-1].value}), told before"


def _shift(day: dt.date, n: int, unit: str, sign: int) -> str:
    if unit == "month":
        month0 = day.year * 12 + day.month - 1 + sign * n
        return f"{month0 // 12}-{month0 % 12 + 1:02d}"
    return (day + dt.timedelta(days=sign * n * UNITS[unit])).isoformat()


def _unanchored(doc: Document, mentions: list[DateMention], i: int, n: int, unit: str,
                direction: str, ref: dt.date | None) -> DateMention | None:
    """ "(leaves today,) two days after ministers approved a plan": the clause after the phrase
    is dated from the sentence's own date (or the publication date) back by the offset; "two
    days before the summit" opening a sentence counts from a summit told before (events.py),
    not from the publication."""
    here = mentions[i]
    sentence = doc.sentence_at(here.start)
    if sentence is None or ref is None:
        return None
    before = [d for d in mentions[:i] if d.day and d.start >= sentence.start]
    if not before and re.match(r"\s+the\s+[a-z]+(?:\s+[a-z]+)?\s*[,.;]",
                               doc.text[here.end:sentence.end]):
        return None  # "Two days before the summit, ...": the summit told before, not today
    base, base_how = (before[-1].day, f"{before[-1].text!r} ({before[-1].value})") if before \
        else (ref, f"the publication date {ref}")
    sign = -1 if direction == "after" else 1
    stop = re.search(r"[,.;:]", doc.text[here.end:sentence.end])
    end = here.end + (stop.start() if stop else sentence.end - here.end)
    value = _shift(base, n, unit, sign)
    return DateMention(here.start, end, doc.text[here.start:end], value,
                       f"{n} {unit}(s) {'before' if sign < 0 else 'after'} {base_how}",
                       inner=True)


def _anchor(doc: Document, mentions: list[DateMention], i: int) -> DateMention | None:
    """The first date after an offset phrase, in the same sentence and within a short clause."""
    here = mentions[i]
    sentence = doc.sentence_at(here.start)
    for later in mentions[i + 1:]:
        gap = doc.text[here.end:later.start]
        if sentence and later.start >= sentence.end:
            return None
        if len(gap) > 80 or re.search(r"[.;:]", gap):
            return None
        return later
    return None
