"""Quotations: spans between straight, curly or « » marks, over paragraphs when the text says so.

A quotation running over several paragraphs leaves its mark open at the end of each paragraph
but the last and opens the next one with a mark again (the English convention); each paragraph's
piece becomes its own quote, all with the same speaker. A double mark that never closes any other
way is an unbalanced quotation, which the caller reports with its line and column. Single marks
are also quotation marks (British style, headlines), but since they double as apostrophes an
unclosed one is simply not a quotation.

An interview printed as questions and answers ("Name: answer" or "Q:"/"A:" paragraphs, two
labels or more taking turns) has no marks: each answer paragraph is a quotation of the one its
label names (`interviews.py` tells who), and a paragraph with no label before the next turn goes
on with the answer before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import Document, Span

OPENERS = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201d\u201c", '"': '"'}
STRAY_CLOSERS = {"\u201d", "\u00bb"}
SINGLE_OPEN = {"\u2018": "\u2019", "'": "'"}
_BEFORE_OPEN = " \t\n\r([{\u2014\u2013-/:;,\u00a0"


@dataclass
class Quotation:
    """The text between one pair of marks (or one paragraph's piece of a longer quotation)."""

    open: int
    start: int
    end: int
    paragraph: int
    continues: bool = False
    continued: bool = False
    single: bool = False
    label: Span | None = None  # an answer in a transcript: the "Name" of "Name: answer"

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @property
    def outer(self) -> Span:
        """The span with its marks."""
        close = 0 if self.continues or self.label is not None else 1
        return Span(self.open, self.end + close)

    def text(self, doc: Document) -> str:
        return doc.text[self.start:self.end]


@dataclass
class Unbalanced:
    offset: int
    mark: str
    why: str


def find_quotations(doc: Document) -> tuple[list[Quotation], list[Unbalanced]]:
    found: list[Quotation] = []
    problems: list[Unbalanced] = []
    carry: str | None = None  # the opening mark of a quotation continued from the last paragraph
    for p, para in enumerate(doc.paragraphs):
        pieces, carry, trouble = _scan_paragraph(doc, p, para, carry)
        found.extend(pieces)
        problems.extend(trouble)
    return found, problems


def _scan_paragraph(doc: Document, p: int, para: Span, carry: str | None):
    text = doc.text
    pieces: list[Quotation] = []
    problems: list[Unbalanced] = []
    i = para.start
    open_at: int | None = None
    mark: str | None = None
    continued = False
    if carry is not None:
        first = text[para.start]
        if first in OPENERS:
            open_at, mark, continued, i = para.start, first, True, para.start + 1
    while i < para.end:
        ch = text[i]
        if mark is None:
            if ch in OPENERS and _can_open(text, i, para):
                open_at, mark, continued = i, ch, False
            elif ch == '"' and text[i - 1].isdigit():
                pass  # an inch mark: 12" or 5'10"
            elif ch in STRAY_CLOSERS or ch == '"':
                problems.append(Unbalanced(i, ch, "closes a quotation that was never opened"))
            elif ch in SINGLE_OPEN and _can_open_single(text, i, para):
                end = _close_single(text, i, para, SINGLE_OPEN[ch])
                if end is not None:
                    pieces.append(Quotation(i, i + 1, end, p, single=True))
                    i = end
        elif ch in OPENERS[mark]:
            pieces.append(Quotation(open_at, open_at + 1, i, p, continued=continued))
            mark = None
        elif ch in OPENERS and ch != '"' and ch == mark:
            problems.append(Unbalanced(open_at, mark, "is opened again before it is closed"))
            open_at = i
        i += 1
    next_carry = None
    if mark is not None:
        nxt = _next_paragraph_start(doc, p)
        if nxt is not None and text[nxt] == mark:
            pieces.append(Quotation(open_at, open_at + 1, para.end, p, continues=True,
                                    continued=continued))
            next_carry = mark
        else:
            problems.append(Unbalanced(open_at, mark, "is never closed, and the next paragraph "
                                                      "does not continue the quotation"))
    return pieces, next_carry, problems


def _can_open(text: str, i: int, para: Span) -> bool:
    return i == para.start or text[i - 1] in _BEFORE_OPEN or text[i - 1] in "\u2018'"


def _can_open_single(text: str, i: int, para: Span) -> bool:
    before_ok = i == para.start or text[i - 1] in _BEFORE_OPEN
    return before_ok and i + 1 < para.end and text[i + 1].isalpha()


def _close_single(text: str, i: int, para: Span, closer: str) -> int | None:
    j = i + 1
    while j < para.end:
        if text[j] == closer and text[j - 1] not in " \t" and (
                j + 1 >= para.end or not text[j + 1].isalnum()):
            return j
        if text[j] in "\n\r":
            return None
        j += 1
    return None


def _next_paragraph_start(doc: Document, p: int) -> int | None:
    return doc.paragraphs[p + 1].start if p + 1 < len(doc.paragraphs) else None


def unbalanced_message(doc: Document, name: str, problem: Unbalanced) -> str:
    where = doc.where(problem.offset)
    return (f"{name}: unbalanced quotation marks: the {problem.mark} at {where} "
            f"(\u2026{doc.snippet(problem.offset)}\u2026) {problem.why}. A draft needs balanced "
            "marks to tell quotes from narrative; the stored text must stay as captured, so "
            "curate this article by hand or draft from a copy with the mark balanced")


TURN = re.compile(r"([A-Z][\w'\u2019.-]*(?:[ \u00a0][A-Z][\w'\u2019.-]*){0,3}):[ \u00a0]+(?=\S)")


def transcript_turns(doc: Document, quotes: list[Quotation]) -> list[Quotation]:
    """The "Name: text" paragraphs with no quotation in them, when at least two labels take
    turns over three such paragraphs or more (a printed interview), as unmarked quotations."""
    marked = {q.paragraph for q in quotes}
    turns: list[Quotation] = []
    for p, para in enumerate(doc.paragraphs):
        m = TURN.match(doc.text, para.start, para.end)
        if m is None or p in marked:
            continue
        turns.append(Quotation(m.end(), m.end(), para.end, p, label=Span(m.start(1), m.end(1))))
    labels = [doc.text[t.label.start:t.label.end] for t in turns]
    if len(turns) < 3 or len(set(labels)) < 2:
        return []
    return turns + _continuations(doc, turns, marked)


def _continuations(doc: Document, turns: list[Quotation], marked: set[int]) -> list[Quotation]:
    """Paragraphs with no label between two turns: the turn before them goes on (an answer over
    two paragraphs), with its label."""
    found = []
    for turn, nxt in zip(turns, turns[1:], strict=False):
        for p in range(turn.paragraph + 1, nxt.paragraph):
            para = doc.paragraphs[p]
            if p not in marked:
                found.append(Quotation(para.start, para.start, para.end, p, continued=True,
                                       label=turn.label))
    return found
