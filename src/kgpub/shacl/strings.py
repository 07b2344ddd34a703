"""SHACL Core string components: sh:minLength, sh:maxLength, sh:pattern, sh:languageIn,
sh:uniqueLang, after pyshacl's (pyshacl/constraints/core/string_based_constraints.py).

Where pyshacl reads the spec its own way, so does this: sh:languageIn accepts a tag whose
first subtag is listed (not full langMatches); sh:pattern honours only the flags i and m;
sh:uniqueLang reports one result per repeated language, with no sh:value.
"""

from __future__ import annotations

import re

from rdflib import BNode, Literal
from rdflib.namespace import SH
from rdflib.term import Node

from .components import LANG_STRING, STRING, Component, Result, _fail_each, data_text


def string_of(v: Node) -> str:
    if isinstance(v, Literal) and v.value is not None and v.datatype in (
            None, LANG_STRING, STRING):
        return str(v.value)
    return str(v)


class Length(Component):
    """sh:minLength or sh:maxLength (`at_least`)."""

    __slots__ = ("rule", "at_least", "iri")

    def __init__(self, rule: Literal, at_least: bool) -> None:
        self.rule = rule
        self.at_least = at_least
        self.iri = SH.MinLengthConstraintComponent if at_least else SH.MaxLengthConstraintComponent

    def check(self, ctx, shape, focus, values):
        n = self.rule.value
        if self.at_least:
            if n == 0:
                return None
            bad = [v for v in values if isinstance(v, BNode) or len(string_of(v)) < n]
        else:
            bad = [v for v in values if isinstance(v, BNode) or len(string_of(v)) > n]
        return _fail_each(self, shape, focus, bad) if bad else None

    def message(self, ctx, shape, result):
        op = ">=" if self.at_least else "<="
        return f"String length not {op} {data_text(ctx, self.rule)}"


class Pattern(Component):
    __slots__ = ("patterns", "text")
    iri = SH.PatternConstraintComponent

    def __init__(self, patterns: list[re.Pattern], texts: list[str]) -> None:
        self.patterns = patterns
        self.text = (f"Value does not match pattern '{texts[0]}'" if len(texts) < 2
                     else "Value does not match every pattern in ('{}')".format("', '".join(texts)))

    def check(self, ctx, shape, focus, values):
        bad = [v for p in self.patterns for v in values
               if isinstance(v, BNode) or not p.search(string_of(v))]
        return _fail_each(self, shape, focus, bad) if bad else None

    def message(self, ctx, shape, result):
        return self.text


class LanguageIn(Component):
    __slots__ = ("languages", "wildcard", "text")
    iri = SH.LanguageInConstraintComponent

    def __init__(self, languages: set[str], text: str) -> None:
        self.languages = languages
        self.wildcard = "*" in languages
        self.text = f"String language is not in {text}"

    def _passes(self, v: Node) -> bool:
        lang = v.language if isinstance(v, Literal) else None
        if not lang:
            return False
        lower = str(lang).lower()
        return (self.wildcard or lower in self.languages
                or str(lang).split("-")[0].lower() in self.languages)

    def check(self, ctx, shape, focus, values):
        bad = [v for v in values if not self._passes(v)]
        return _fail_each(self, shape, focus, bad) if bad else None

    def message(self, ctx, shape, result):
        return self.text


class UniqueLang(Component):
    __slots__ = ()
    iri = SH.UniqueLangConstraintComponent

    def check(self, ctx, shape, focus, values):
        seen: set[str] = set()
        duplicates: set[str] = set()
        for v in values:
            if isinstance(v, Literal) and v.language:
                lang = str(v.language).lower()
                (duplicates if lang in seen else seen).add(lang)
        if not duplicates:
            return None
        return False, [Result(shape, self, focus) for _ in duplicates]

    def message(self, ctx, shape, result):
        return "More than one String shares the same Language"
