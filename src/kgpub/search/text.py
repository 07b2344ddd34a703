"""Text as the index sees it: tokens, normalised keys, and user input turned into a safe FTS5 query.

FTS5 has a query language of its own (quotes, `*`, `NEAR`, `AND`/`OR`/`NOT`, parentheses,
column filters). Nothing a visitor types may reach it as syntax: the input is cut into tokens
of letters and digits here (the characters FTS5's unicode61 tokenizer keeps; everything else
separates tokens), and every token goes to the engine as a double-quoted string, which FTS5
reads as a plain term. A token holds no quote, so it cannot close its string.
"""

from __future__ import annotations

import re
import unicodedata

MAX_QUERY_CHARS = 500
MAX_TOKENS = 12
MIN_PREFIX = 2  # a last token this long or longer also matches as a prefix ("zhe" -> Zheenbekov)


class BadQuery(ValueError):
    """Input the search or browse cannot take; the message says what to change."""


def _is_token_char(char: str) -> bool:
    # unicode61's default token characters: letters, numbers and private-use (L* N* Co).
    category = unicodedata.category(char)
    return category[0] in "LN" or category == "Co"


def tokens(text: str) -> list[str]:
    """The words of `text` as FTS5's unicode61 tokenizer cuts them (case kept)."""
    out: list[str] = []
    current: list[str] = []
    for char in text:
        if _is_token_char(char):
            current.append(char)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


def fold(text: str) -> str:
    """Case- and diacritics-insensitive form: what `remove_diacritics 2` and case folding do."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def key(text: str) -> str:
    """A label as a comparison key: folded words joined by single spaces ("Sooronbai
    Zheenbekov", "sooronbai  ZHEENBEKOV." and "Sooronbaï Zheenbekov" give one key)."""
    return " ".join(tokens(fold(text)))


def keys_field(labels: list[str]) -> str:
    """Every label of a thing as one string of keys, each between bars, for exact matching."""
    found = sorted({k for k in (key(label) for label in labels) if k})
    return "|" + "|".join(found) + "|" if found else ""


def check_query(text: str) -> str:
    """The query text, refused when too long; control characters count as spaces."""
    if len(text) > MAX_QUERY_CHARS:
        raise BadQuery(f"the search text is {len(text):,} characters long; the limit is "
                       f"{MAX_QUERY_CHARS}: search for a few words")
    return text


def fts_query(text: str) -> str | None:
    """An FTS5 query matching documents that hold every word of `text` (the last one also as a
    prefix); words between double quotes in the input must stand together, in that order.
    None when the text holds no word at all."""
    parts: list[list[str]] = []
    quoted = text.split('"')
    if len(quoted) % 2 == 0:  # an unbalanced quote: the quotes mean nothing
        quoted = [text.replace('"', " ")]
    for n, chunk in enumerate(quoted):
        words = tokens(chunk)
        if n % 2 == 1 and len(words) > 1:
            parts.append(words)  # a phrase
        else:
            parts.extend([w] for w in words)
    parts = parts[:MAX_TOKENS]
    if not parts:
        return None
    # A quoted string of several words is an FTS5 phrase; the words hold no quote character.
    terms = ['"' + " ".join(words) + '"' for words in parts]
    last = parts[-1]
    if len(last) == 1 and len(last[0]) >= MIN_PREFIX and not text.rstrip().endswith('"'):
        terms[-1] = f'"{last[0]}"*'
    return " ".join(terms)


def local_label(iri: str) -> str:
    """A label for an IRI the data does not label: its last segment, camelCase as words
    (kgp:DirectQuote -> "direct quote", kgp:Positive -> "positive")."""
    local = re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|[_]+", " ", local).split()
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words) or local


def _spans(text: str) -> list[tuple[int, int]]:
    """Where the words of `text` are (start, end), as `tokens` cuts them."""
    spans, start = [], None
    for n, char in enumerate(text):
        if _is_token_char(char):
            if start is None:
                start = n
        elif start is not None:
            spans.append((start, n))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans


def highlight(texts: list[str], query: str, width: int = 18) -> tuple[tuple[str, bool], ...]:
    """A snippet: the text (of `texts`) where most words of the query are, cut to about
    `width` words around the first, as (text, matched) pieces. Words match as the search
    matches them: folded, and the query's last word also as the beginning of a word."""
    words = [fold(w) for w in tokens(query)]
    if not words:
        return ()
    whole, last = set(words), words[-1]
    prefix = len(last) >= MIN_PREFIX and not query.rstrip().endswith('"')

    def matches(word: str) -> bool:
        folded = fold(word)
        return folded in whole or (prefix and folded.startswith(last))

    best: tuple[int, str, list[tuple[int, int]], list[bool]] | None = None
    for text in texts:
        spans = _spans(text)
        hits = [matches(text[a:b]) for a, b in spans]
        found = len({fold(text[a:b]) for (a, b), hit in zip(spans, hits, strict=True) if hit})
        if found and (best is None or found > best[0]):
            best = (found, text, spans, hits)
    if best is None:
        text = next((t for t in texts if t), "")
        return ((text if len(text) <= 200 else text[:199] + "…", False),) if text else ()
    _, text, spans, hits = best
    first = hits.index(True)
    start = max(0, min(first - width // 3, len(spans) - width))
    end = min(len(spans), start + width)
    begin = spans[start][0] if start else 0
    stop = spans[end - 1][1] if end < len(spans) else len(text)
    pieces: list[tuple[str, bool]] = [("…", False)] if begin else []
    at = begin
    for (a, b), hit in zip(spans[start:end], hits[start:end], strict=True):
        if hit:
            pieces += [(text[at:a], False), (text[a:b], True)]
            at = b
    pieces.append((text[at:stop], False))
    if stop < len(text):
        pieces.append(("…", False))
    merged: list[tuple[str, bool]] = []
    for piece, hit in pieces:
        if piece and merged and not hit and not merged[-1][1]:
            merged[-1] = (merged[-1][0] + piece, False)
        elif piece:
            merged.append((piece, hit))
    return tuple(merged)
