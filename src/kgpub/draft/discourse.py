"""Who is talked about where: people by name, unknown names, pronouns and role nouns ("the
president"), each resolved to a registry key or a proposed new person.

A pronoun that is the subject of a reporting verb ("she added") goes to the last compatible
speaker; any other to the last compatible person. A role noun goes to the nearest person holding
that role by title, looking back first and then ahead ("Jordan's foreign minister said ...
Minister Samir Haddad told ..."); a state's adjective narrows it to that state's holder ("the
Polish minister"), whose counterpart title counts as the same office, and "head of state" is a
president or monarch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .gazetteer import Mention
from .keys import kebab
from .quotes import Quotation
from .text import Document
from .titles import ROLE_RX, Name, Title, honorific_before

PRONOUN = re.compile(r"\b(?P<p>he|she|He|She)\b")
# "the Polish minister", "The Portuguese Prime Minister, who ...": the adjective, when it is a
# state's, tells whose
ROLE_NP = re.compile(rf"\b(?:the|The)\s+(?:(?P<adj>(?!(?i:{ROLE_RX})\b)[A-Z][\w-]+)\s+)?"
                     rf"(?P<role>(?i:(?>{ROLE_RX}|leader|official|diplomat|premier)))\b"
                     r"(?!\s*,\s*[A-Z][a-z])")
# A role noun for whoever holds the office its state gives that function
ROLE_SYNONYMS = {"head of state": {"president", "king", "queen", "emir", "sultan"},
                 "head of government": {"prime minister", "premier", "chancellor"}}
# (atomic: "Niger's head of state, General X" is no role noun "Niger's head")
POSSESSIVE_ROLE = re.compile(rf"^['\u2019]s\s+(?:new\s+)?(?P<role>(?>{ROLE_RX}))\b(?!,\s+[A-Z])",
                             re.IGNORECASE)
# "the two ministers", "both leaders": two people at once, the last two of that kind named
PAIR_NP = re.compile(r"\b(?:[Tt]he\s+two|[Bb]oth)\s+(?P<role>(?:(?:foreign|defence|defense|"
                     r"prime|trade|finance)\s+)?ministers|leaders|presidents|premiers|"
                     r"heads\s+of\s+(?:state|government))\b")
GENDER = {"he": "m", "she": "f", "mr": "m", "mrs": "f", "ms": "f"}

# "Asked about the bid, ", "On Monday, ": a clause before a sentence's subject.
OPENING_CLAUSE = re.compile(r"[^.;:\"\u201c\u201d\u00ab\u00bb]{0,120},\s+")
# "Mr Mukarati was more expansive.": a title of address before the subject's name
HONORIFIC = re.compile(r"(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+")


@dataclass
class Ref:
    """A phrase that may name a person (or, for kind "agent", a state or organisation)."""

    start: int
    end: int
    kind: str  # person, name, pronoun, role, agent
    key: str | None = None
    new: str | None = None
    label: str = ""
    role: str | None = None
    state: str | None = None
    gender: str | None = None


@dataclass
class Person:
    """A resolved person: a registry key, or the proposed key of a person not in the registry."""

    key: str | None
    new: str | None
    label: str
    how: str
    confidence: float

    @property
    def ident(self) -> str:
        return self.key or f"new:{self.new}"


@dataclass
class Discourse:
    doc: Document
    mentions: list[Mention]
    names: list[Name]
    titles: list[Title]
    quotes: list[Quotation]
    labels: dict[str, str]
    refs: list[Ref] = field(default_factory=list)
    speakers: list[tuple[int, Person]] = field(default_factory=list)
    gender: dict[str, str] = field(default_factory=dict)
    person_names: list[Name] = field(default_factory=list)
    bound: list[tuple[Ref, Ref]] = field(default_factory=list)  # role nouns and their persons

    def __post_init__(self) -> None:
        text = self.doc.text
        inside = [q.outer for q in self.quotes]
        titled = {id(t.person): t for t in self.titles}
        refs: list[Ref] = []
        for m in self.mentions:
            if m.etype == "Person" and m.linked:
                t = titled.get(id(m))
                refs.append(self._person_ref(m.start, m.end, m.key, None, self.labels[m.key], t))
            elif m.linked and m.is_agent and m.role not in ("title", "adjective"):
                refs.append(Ref(m.start, m.end + (2 if m.possessive else 0), "agent", key=m.key,
                                label=m.surface))
        for n in self.names:
            t = titled.get(id(n))
            if t is not None or self._person_context(n):
                self.person_names.append(n)
                refs.append(self._person_ref(n.start, n.end, None, kebab(n.text), n.text, t))
        for m in PRONOUN.finditer(text):
            if not any(q.start <= m.start() < q.end for q in inside):
                refs.append(Ref(m.start(), m.end(), "pronoun", gender=GENDER[m["p"].lower()]))
        for m in PAIR_NP.finditer(text):
            if not any(q.start <= m.start() < q.end for q in inside):
                refs.append(Ref(m.start(), m.end(), "pair", role=" ".join(m["role"].split()),
                                label=m.group()))
        taken = [t.span for t in self.titles]
        for m in ROLE_NP.finditer(text):
            if any(s.start <= m.start() < s.end for s in taken + inside):
                continue
            adj = next((a for a in self.mentions if m["adj"] and a.start == m.start("adj")
                        and a.how == "demonym" and a.linked and a.is_agent), None)
            refs.append(Ref(m.start(), m.end(), "role", role=" ".join(m["role"].lower().split()),
                            label=m.group(), state=adj.key if adj else None))
        # "According to the minister, Sweden is ...": a role noun, not a title before a name
        for m in re.finditer(rf"\b(?:[Aa]ccording\s+to|[Ii]n\s+the\s+words\s+of)\s+"
                             rf"(?P<np>the\s+(?P<role>(?i:{ROLE_RX})))\s*,", text):
            if not any(r.start == m.start("np") for r in refs) and not any(
                    s.start <= m.start() < s.end for s in taken + inside):
                refs.append(Ref(m.start("np"), m.end("np"), "role",
                                role=" ".join(m["role"].lower().split()), label=m["np"]))
        for m in self.mentions:
            if m.linked and m.possessive and m.etype != "Person":
                pm = POSSESSIVE_ROLE.match(text[m.end:m.end + 60])
                if pm and not any(s.start <= m.start < s.end for s in taken):
                    refs.append(Ref(m.start, m.end + pm.end(), "role", role=pm["role"].lower(),
                                    state=m.key, label=text[m.start:m.end + pm.end()]))
        # A person's ref covers their title, so that "X, head of Y, told" has X as subject; what
        # the title names (the state, the organisation) is not a subject of its own.
        people = [r for r in refs if r.kind in ("person", "name")]
        refs = [r for r in refs if r.kind in ("person", "name") or not any(
            p.start <= r.start and r.end <= p.end for p in people)]
        self.refs = sorted(refs, key=lambda r: (r.start, -r.end))
        for n in self.person_names:
            if honorific_before(text, n.start):
                word = text[max(0, n.start - 5):n.start].strip().rstrip(".").split()[-1].lower()
                self.gender[f"new:{kebab(n.text)}"] = GENDER.get(word, "")

    def _person_ref(self, start: int, end: int, key: str | None, new: str | None, label: str,
                    title: Title | None) -> Ref:
        ref = Ref(start, end, "person" if key else "name", key=key, new=new, label=label)
        if title is not None:
            ref.start, ref.end = min(start, title.span.start), max(end, title.span.end)
            ref.role = title.role
            ref.state = title.state.key if title.state is not None else None
        return ref

    def _person_context(self, name: Name) -> bool:
        text = self.doc.text
        after = text[name.end:name.end + 30]
        before = text[max(0, name.start - 12):name.start]
        return bool(re.match(r"^,?\s+(?:also\s+)?(?:said|says|told|added|noted|stressed)\b", after)
                    or re.search(r"\b(?:said|says|told|added)\s+$", before)
                    or honorific_before(text, name.start))

    # ------------------------------------------------------------------ resolution
    def person_of(self, ref: Ref, prefer_speaker: bool = False) -> Person | None:
        if ref.kind == "person":
            return Person(ref.key, None, ref.label, "named", 0.95)
        if ref.kind == "name":
            return Person(None, ref.new, ref.label, "named (not in the registry)", 0.9)
        if ref.kind == "pronoun":
            return self.pronoun(ref, prefer_speaker)
        if ref.kind == "role":
            return self.role(ref)
        return None

    def pair(self, ref: Ref) -> list[Person]:
        """The two people "the two ministers" stands for: the last two named before it (within
        three paragraphs) who hold such an office in the article, or, for "leaders" or when the
        article titles fewer than two, the last two named."""
        word = (ref.role or "").split()[-1].rstrip("s")
        word = {"leader": "", "head": "", "premier": "premier"}.get(word, word)
        titled = {(r.key, r.new) for r in self.refs if r.kind in ("person", "name") and r.role
                  and (not word or word in r.role.split() or
                       (r.role == "counterpart" and word in self._counterpart_of(r).split()))}
        paragraph = self.doc.paragraph_at(ref.start)
        named = [r for r in reversed(self.refs) if r.kind in ("person", "name")
                 and r.end <= ref.start]
        near = [r for r in named if self.doc.paragraph_at(r.start) >= paragraph - 3]
        for pool in ([r for r in named if (r.key, r.new) in titled], near):
            found: list[Ref] = []
            for r in pool:
                if all((r.key, r.new) != (f.key, f.new) for f in found):
                    found.append(r)
            if len(found) >= 2:
                people = [self.person_of(r) for r in found[:2]]
                return [Person(p.key, p.new, p.label, f'"{ref.label}": one of the last two '
                               "named", 0.7) for p in people if p is not None]
        return []

    def pronoun(self, ref: Ref, prefer_speaker: bool) -> Person | None:
        paragraph = self.doc.paragraph_at(ref.start)
        if prefer_speaker:
            for offset, person in reversed(self.speakers):
                if offset < ref.start and self.doc.paragraph_at(offset) >= paragraph - 3 and \
                        self._compatible(person.ident, ref.gender):
                    newer = self._subject_since(offset, ref)
                    if newer is not None and newer.ident != person.ident:
                        return self._learn(newer, ref, f'"{self.doc.text[ref.start:ref.end]}": '
                                                       "the subject of the sentence before", 0.75)
                    return self._learn(person, ref, f'"{self.doc.text[ref.start:ref.end]}": the '
                                                    "last speaker before it", 0.85)
        for other in reversed(self.refs):
            if other.end > ref.start or other.kind not in ("person", "name", "role"):
                continue
            person = self.person_of(other)
            if person is not None and self._compatible(person.ident, ref.gender):
                return self._learn(person, ref, f'"{self.doc.text[ref.start:ref.end]}": the last '
                                                "person named before it", 0.75)
        return None

    def _subject_since(self, offset: int, ref: Ref) -> Person | None:
        """A person who opens a sentence (after "Mr" or the like), or follows its opening clause,
        after the last speaker spoke and before `ref`, in its own sentence too ("Riquelme ...
        will be sworn in. ... he promised"; "Asked about the bid, Lehtikangas did not endorse
        it. ... she said"; "Nkusi kept his words for Kinshasa, which he accused of ...")."""
        here = self.doc.sentence_at(ref.start)
        for sentence in reversed(self.doc.sentences):
            if sentence.start <= offset or (here is not None and sentence.start > here.start):
                continue
            first = self.sentence_subject(sentence, ("person", "name"))
            if first is not None and first.end <= ref.start:
                person = self.person_of(first)
                if person is not None and self._compatible(person.ident, ref.gender):
                    return person
        return None

    def sentence_subject(self, sentence, kinds: tuple[str, ...]) -> Ref | None:
        """The first ref of `kinds` in the sentence when it opens it (after "Mr" or the like, or
        an opening clause): the subject of its main clause."""
        first = next((r for r in self.refs if sentence.start <= r.start < sentence.end
                      and r.kind in kinds), None)
        if first is None:
            return None
        lead = self.doc.text[sentence.start:first.start]
        if not lead or HONORIFIC.fullmatch(lead) or OPENING_CLAUSE.fullmatch(lead):
            return first
        return None

    def _compatible(self, ident: str, gender: str | None) -> bool:
        known = self.gender.get(ident)
        return not known or not gender or known == gender

    def _learn(self, person: Person, ref: Ref, how: str, confidence: float) -> Person:
        if ref.gender and person.ident not in self.gender:
            self.gender[person.ident] = ref.gender
        return Person(person.key, person.new, person.label, how, min(confidence,
                                                                     person.confidence))

    def role(self, ref: Ref) -> Person | None:
        words = set(ref.role.split()) if ref.role else set()
        generic = words <= {"leader", "official", "diplomat"}
        synonyms = ROLE_SYNONYMS.get(ref.role or "", set())
        holders = [r for r in self.refs if r.kind in ("person", "name") and r.role
                   and (generic or r.role in synonyms or words <= set(r.role.split())
                        or set(r.role.split()) <= words
                        # "his Chadian counterpart, X" ... "the Chadian minister": the same office
                        or (r.role == "counterpart" and ref.state is not None)
                        # "the minister, X ... Her counterpart, Y ... the minister said": Y holds
                        # the office of the one whose counterpart she is
                        or (r.role == "counterpart" and words and
                            words <= set(self._counterpart_of(r).split())))
                   and (ref.state is None or r.state in (None, ref.state))]
        before = [r for r in holders if r.end <= ref.start]
        after = [r for r in holders if r.start >= ref.end
                 and self.doc.paragraph_at(r.start) <= self.doc.paragraph_at(ref.start) + 2]
        if before:
            # of those holding it, the one named last ("X, the prime minister ... his
            # counterpart Y ... X dismissed it. “...,” the prime minister said": X)
            found = max(before, key=lambda r: self._last_named(r, ref.start))
            how, conf = "the last person with that title", 0.8
        elif after:
            found, how, conf = after[0], "the next person with that title", 0.65
        else:
            # "Georgia's foreign minister has insisted ... Nino Kapanadze told ...": named next
            here = self.doc.sentence_index(ref.start)
            # ... but not one named before it ("talks with Finland's president. Berg said")
            known = {r.key for r in self.refs if r.kind in ("person", "name") and r.key and
                     r.end <= ref.start}
            nxt = [r for r in self.refs if r.kind in ("person", "name") and r.start >= ref.end
                   and self.doc.sentence_index(r.start) <= here + 2 and not r.role
                   and not (r.key and r.key in known)]
            if not nxt or ref.state is None:
                return None
            found, how, conf = nxt[0], "the next person named after it", 0.6
        self.bound.append((ref, found))
        person = self.person_of(found)
        return Person(person.key, person.new, person.label, f'"{ref.label}": {how}', conf)

    def _last_named(self, holder: Ref, offset: int) -> int:
        """Where the person of `holder` was last named before `offset`."""
        same = [r.start for r in self.refs if r.kind in ("person", "name") and r.start < offset
                and (r.key, r.new) == (holder.key, holder.new)]
        return max(same, default=holder.start)

    def _counterpart_of(self, ref: Ref) -> str:
        """The office of the titled person named last before a "counterpart" (in its paragraph
        or the one before), whose counterpart that is."""
        paragraph = self.doc.paragraph_at(ref.start)
        for r in reversed(self.refs):
            if r.end <= ref.start and r.kind in ("person", "name") and r.role and \
                    r.role != "counterpart" and self.doc.paragraph_at(r.start) >= paragraph - 1:
                return r.role
        return ""

    def bind_state_roles(self) -> None:
        """Resolve the role nouns of a state that no verb made a subject ("Kuwait's foreign
        minister has thrown ... Foreign Minister Bader Al-Ajmi stressed"): whom they name gives
        that person the state's post."""
        bound = {id(r) for r, _ in self.bound}
        people = [r for r in self.refs if r.kind in ("person", "name")]
        for ref in self.refs:
            if ref.kind != "role" or not ref.state or id(ref) in bound:
                continue
            if any(re.fullmatch(r",\s*", self.doc.text[p.end:ref.start]) for p in people):
                continue  # "Lina Haddad, Jordan's minister of energy": her own apposition
            self.role(ref)

    def note_speaker(self, offset: int, person: Person) -> None:
        self.speakers.append((offset, person))
        self.speakers.sort(key=lambda s: s[0])
