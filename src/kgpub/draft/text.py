"""The article as text: reading it safely, paragraphs and sentences as offsets into it.

Every offset is a Python `str` index (a Unicode code point), the unit the converter's evidence
selectors use, so a span found here is a span the build will find again.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KgpubError


class DraftError(KgpubError):
    """Input `kgpub draft` cannot work with; the message says what and how to fix it."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def __contains__(self, offset: object) -> bool:
        return isinstance(offset, int) and self.start <= offset < self.end

    def covers(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


def read_article(path: Path) -> str:
    """The decoded text, or a DraftError naming what is wrong (empty, binary, not UTF-8)."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise DraftError(f"{path}: no such file", 2) from None
    except OSError as exc:
        raise DraftError(f"{path}: cannot be read ({exc.strerror or exc})", 2) from None
    if not raw.strip():
        raise DraftError(f"{path}: the file is empty; give the article's text", 2)
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise DraftError(f"{path}: a binary file, not text (a NUL byte at byte offset {nul}); "
                         "give the article as a UTF-8 text file", 2)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DraftError(
            f"{path}: not UTF-8: byte 0x{raw[exc.start]:02X} at byte offset {exc.start} (line "
            f"{line}, byte {column} of the line) {exc.reason}; save the file as UTF-8", 2,
        ) from None


# Words after which a full stop does not end a sentence.
_ABBREVIATED = """
mr mrs ms dr prof gen col lt sgt capt maj adm gov sen rep rev st jr sr inc ltd co corp no nos vs
jan feb mar apr jun jul aug sep sept oct nov dec approx dept est fig mt ft pres amb
"""
ABBREVIATIONS = frozenset(_ABBREVIATED.split())
_CLOSERS = "\"'\u201d\u2019\u00bb)]"
_BOUNDARY = re.compile(r"[.!?]+[" + re.escape(_CLOSERS) + r"]*"
                       r"(?=\s+[\"'\u201c\u2018\u00ab(\[A-Z0-9\u00C0-\u024F])")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


@dataclass
class Sentence:
    start: int
    end: int
    paragraph: int

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass
class Document:
    """The text with its paragraphs and sentences; quote spans are filled in by `quotes`."""

    text: str
    paragraphs: list[Span] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    line_starts: list[int] = field(default_factory=list)
    headline: int = 0  # the paragraph holding the headline, which only repeats the body

    def body_sentences(self) -> Iterator[Sentence]:
        """The sentences after the headline (which only repeats what the body tells)."""
        return (s for s in self.sentences if s.paragraph > self.headline)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a code-point offset."""
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def where(self, offset: int) -> str:
        line, col = self.line_col(offset)
        return f"line {line}, column {col}"

    def sentence_at(self, offset: int) -> Sentence | None:
        starts = [s.start for s in self.sentences]
        i = bisect_right(starts, offset) - 1
        if i >= 0 and offset < self.sentences[i].end:
            return self.sentences[i]
        return None

    def sentence_index(self, offset: int) -> int:
        starts = [s.start for s in self.sentences]
        return max(0, bisect_right(starts, offset) - 1)

    def paragraph_at(self, offset: int) -> int:
        starts = [p.start for p in self.paragraphs]
        return max(0, bisect_right(starts, offset) - 1)

    def snippet(self, offset: int, width: int = 30) -> str:
        return self.text[max(0, offset - width):offset + width].replace("\n", " ")


def paragraphs_of(text: str) -> list[Span]:
    """Runs of non-blank lines; a line ending a sentence before a capitalised line also ends one.

    Hard-wrapped prose (lines ending mid-sentence) stays one paragraph; texts that put each
    paragraph on its own line without blank lines between are split all the same.
    """
    spans: list[Span] = []
    start: int | None = None
    prev_end = 0
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        lstart = pos + (len(body) - len(body.lstrip()))
        lend = pos + len(body.rstrip())
        if not stripped:
            if start is not None:
                spans.append(Span(start, prev_end))
                start = None
        else:
            if start is not None and _ends_paragraph(text[start:prev_end]) and (
                    stripped[0].isupper() or stripped[0] in "\"\u201c\u00ab\u2018'"):
                spans.append(Span(start, prev_end))
                start = None
            if start is None:
                start = lstart
            prev_end = lend
        pos += len(line)
    if start is not None:
        spans.append(Span(start, prev_end))
    return spans


def _ends_paragraph(chunk: str) -> bool:
    return chunk.rstrip().endswith(tuple(".!?:" + _CLOSERS))


def split_sentences(doc: Document, protected: list[Span]) -> list[Sentence]:
    """Sentences of every paragraph, never cut inside a protected span (a quotation)."""
    sentences: list[Sentence] = []
    for p, para in enumerate(doc.paragraphs):
        start = para.start
        for m in _BOUNDARY.finditer(doc.text, para.start, para.end):
            cut = m.end()
            # a full stop just before a quotation's closing mark ends the sentence with it
            if any(q.start < m.start() < q.end - 1 and cut < q.end for q in protected):
                continue
            if _abbreviation_before(doc.text, m.start()):
                continue
            sentences.append(Sentence(start, cut, p))
            start = cut
            while start < para.end and doc.text[start].isspace():
                start += 1
        if start < para.end:
            sentences.append(Sentence(start, para.end, p))
    return sentences


def _abbreviation_before(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    m = re.search(r"([^\W\d_]+)$", text[max(0, dot - 12):dot])
    if not m:
        return False
    word = m.group(1)
    if len(word) == 1 and word.isupper():  # an initial: "J. Smith", "U.S."
        return True
    return word.lower() in ABBREVIATIONS and (word[0].isupper() or word.lower() in {"no", "vs"})


def build_document(text: str) -> Document:
    doc = Document(text)
    doc.line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    doc.paragraphs = paragraphs_of(text)
    return doc


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def is_prose(doc: Document, sentence: Sentence) -> bool:
    """A sentence a reader would recognise: four words or more, some of them lower-case."""
    found = words(doc.text[sentence.start:sentence.end])
    return len(found) >= 4 and sum(w[0].islower() for w in found) >= 2


def count_overlapping(text: str, needle: str, end: int | None = None) -> list[int]:
    """Start offsets of every occurrence of `needle`, overlaps included (as the converter
    counts them)."""
    starts = []
    i = text.find(needle)
    while i >= 0 and (end is None or i < end):
        starts.append(i)
        i = text.find(needle, i + 1)
    return starts
