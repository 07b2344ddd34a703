"""SPARQL text as tokens: the one scanner behind the endpoint's gate (web/gate.py) and the
shapes check that refuses federated SHACL-SPARQL (validate.py).

A token scan, not a parse: linear in the text, no recursion (a query nested thousands of levels
deep cannot overflow it), and keywords inside strings, IRIs, comments or prefixed names are not
keywords. Codepoint escapes (\\u0053ERVICE) are decoded first, as SPARQL 1.1 (section 19.2)
says a parser may do before tokenising: rdflib does, Oxigraph does not, and a scanner that
decodes them is never fooled by either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

# One alternative per token class; the first that matches at a position wins.
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]*)
  | (?P<name>[A-Za-z_\u00c0-\U000effff][\w.\-\u00b7\u00c0-\U000effff]*+
              (?::[\w\-.:%\\\u00b7\u00c0-\U000effff]*+)?+)
  | (?P<pname>:[\w\-.:%\\\u00b7\u00c0-\U000effff]*+)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class Token(NamedTuple):
    """A tuple, not a frozen dataclass: a 1 MiB query is a million tokens, and a tuple is made
    several times faster (the gate scans every query the endpoint receives)."""

    kind: str
    """word (a keyword or function name), pname, var, iri, string, open, close or other."""
    value: str
    line: int
    column: int

    @property
    def keyword(self) -> str:
        """The upper-cased word ("" for any other kind): SPARQL keywords ignore case."""
        return self.value.upper() if self.kind == "word" else ""


def decode_escapes(text: str) -> str:
    def char(m: re.Match[str]) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except ValueError:  # beyond U+10FFFF: left as it is, the parser refuses it
            return m.group(0)
    return _CODEPOINT.sub(char, text)


def tokens(text: str) -> Iterator[Token]:
    """The tokens of `text` (escapes decoded), without white space and comments."""
    text = decode_escapes(text)
    line, line_start = 1, 0
    for m in _TOKEN.finditer(text):
        kind, value = m.lastgroup, m.group()
        if kind == "comment":
            continue
        if kind != "ws":
            if kind == "name":
                kind = "pname" if ":" in value else "word"
            yield Token(kind or "other", value, line, m.start() - line_start + 1)
            if kind != "string":  # white space and long strings are all that hold line breaks
                continue
        if "\n" in value:
            line += value.count("\n")
            line_start = m.start() + value.rfind("\n") + 1


def mark_service_targets(stream: Iterable[Token]) -> Iterator[tuple[Token, bool]]:
    """Each token of `stream`, with whether it is the target (an IRI or a variable) of a
    SERVICE [SILENT] before it: for a caller that looks at every token in the same pass."""
    after_service = False
    for token in stream:
        keyword = token.keyword
        if after_service and keyword != "SILENT":
            after_service = False
            yield token, True
        else:
            after_service = after_service or keyword == "SERVICE"
            yield token, False


def service_calls(stream: Iterable[Token]) -> Iterator[Token]:
    """The target (an IRI or a variable token) of every SERVICE [SILENT] in `stream`."""
    return (token for token, target in mark_service_targets(stream) if target)
