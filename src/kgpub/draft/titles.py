"""Titles and appositions: who is called what ("Russian President Vladimir Putin", "Kyrgyzstan's
new president, Sooronbai Jeenbekov", "Aizada Subakojoeva, head of the ... Administration").

Also finds people the registry does not know: a capitalised name after a title, before a
reporting verb or in an apposition is a person, whose proposal goes to --new-actors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import NAME_PARTICLES, Mention
from .keys import kebab
from .text import Document, Span

ROLES = sorted("""
president|vice president|prime minister|deputy prime minister|first deputy prime minister|
foreign minister|foreign affairs minister|defence minister|defense minister|interior minister|
finance minister|
economy minister|trade minister|energy minister|justice minister|health minister|minister|
foreign secretary|defence secretary|defense secretary|home secretary|
secretary of state|secretary-general|secretary general|king|queen|emir|
crown prince|sultan|chancellor|premier|ambassador|envoy|spokesman|spokeswoman|spokesperson|
government spokesman|government spokeswoman|government spokesperson|governor|mayor|speaker|
chairman|chairwoman|chair|head of state|head of government|head|director|leader|general|
commander|senator|counterpart|
minister of foreign affairs|minister of defence|minister of defense
""".replace("\n", "").split("|"), key=len, reverse=True)
ROLE_RX = "|".join(re.escape(r).replace(r"\ ", r"[\s-]") for r in ROLES)
MODIFIERS = r"(?:(?:new|newly inaugurated|newly elected|outgoing|former|acting|interim|incoming|" \
            r"then|late|current)\s+)*"
_BEFORE = re.compile(rf"(?P<mods>{MODIFIERS})(?P<role>{ROLE_RX})\s+$", re.IGNORECASE)
_BEFORE_OF = re.compile(rf"(?P<mods>{MODIFIERS})(?P<role>{ROLE_RX})\s+of\s+(?:the\s+)?$",
                        re.IGNORECASE)
_POSSESSIVE_APPOSITION = re.compile(
    rf"^['\u2019]s\s+(?P<mods>{MODIFIERS})(?P<role>(?:[a-z]+\s+)?(?:{ROLE_RX}))"
    r"(?:\s+(?:in|to|at)\s+[A-Z][^,]{0,40}|\s+(?:of|for)\s+(?P<of>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3}))?"
    # "Qatar's Prime Minister and Minister of Foreign Affairs, X": two posts at once
    rf"(?:\s+and\s+(?P<role2>(?:[a-z]+\s+)?(?:{ROLE_RX}))"
    r"(?:\s+(?:of|for)\s+(?P<of2>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3}))?)?"
    r",\s+$", re.IGNORECASE)
# "The Dutch foreign minister, X", "Its foreign minister, X", "the foreign secretary, X"; the
# title may be capitalised and name its office after "of" ("the Portuguese Prime Minister, X",
# "the Minister of External Relations, X", "the President of the Republic, X")
_THE_APPOSITION = re.compile(
    rf"(?:^|(?<=[\s(]))(?P<det>[Tt]he|[Ii]ts)\s+(?:(?P<adj>(?!(?i:{ROLE_RX})\b)[A-Z][\w-]+)\s+)?"
    rf"(?P<mods>{MODIFIERS})(?P<qual>(?:[a-z]+\s+){{0,2}}?)(?P<role>(?i:{ROLE_RX}))"
    r"(?:\s+of\s+(?P<of>(?:the\s+)?(?:[a-z]+\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3}))?,\s+$")
_COUNTERPART = re.compile(r"\b(?:[Hh]is|[Hh]er|[Tt]heir)\s+(?P<adj>[A-Z][\w-]+)\s+counterpart,\s+$")
_PREDECESSOR = re.compile(r"\b(?:his|her|[Tt]he\s+(?P<adj>[A-Z][\w-]+)\s+(?:leader|president|"
                          r"prime minister|premier)['\u2019]s)\s+predecessor,\s+$")
_AFTER = re.compile(rf"^,\s+(?:the\s+|a\s+|an\s+)?(?P<mods>{MODIFIERS})(?P<role>{ROLE_RX})"
                    r"(?:\s+(?:of|for)\s+(?P<of>(?:the\s+)?[^,.;:]{3,100}?))?(?=[,.;:]|\s+(?:said|"
                    r"told|added|says)\b)", re.IGNORECASE)
_AFTER_STATE = re.compile(rf"\s+(?P<mods>{MODIFIERS})(?P<role>{ROLE_RX})"
                          r"(?=[,.;:]|\s+(?:said|told|added|says|for|since)\b)", re.IGNORECASE)
# "X has been Sri Lanka's foreign minister", "X, Estonia's foreign minister,"
_BEFORE_STATE_AFTER = re.compile(r",\s+(?:the\s+)?|\s+(?:has\s+been|had\s+been|is|was|became|"
                                 r"remains)\s+(?:the\s+)?")
_NAME_TOKEN = re.compile(r"[^\W\d_][\w'\u2019.-]*")
_NOT_NAMES = """The A An In On At As By For From To Of And But Or If When While After
Before Asked Speaking According This That These Those It Its He She They We I His Her Their Our
Mr Mrs Ms Dr President Minister Prime King Queen Ambassador Foreign Defence Defense General
Sen Gov Amb Rep Gen Senator Governor Representative
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
July August September October November December Outgoing New Former Deputy Vice Chief Head
"""
NON_NAMES = frozenset(_NOT_NAMES.split())
HONORIFICS = re.compile(r"(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+$")
# (after an apposition's comma, "Ambassador" is a form of address too: "Nigeria's Minister of
# Foreign Affairs, Ambassador X")
_ADDRESS = re.compile(r"(?<![\w.])(?:(?:Dr|Prof|Sheikh|Sheikha|Sheik)\.?|(?<=,\s)Ambassador)\s+$")
# Abbreviated titles that are posts (not mere honorifics like "Dr."): "Sen. X", "Gov. X"
ABBREVIATED_TITLES = {"sen": "senator", "gov": "governor", "amb": "ambassador"}
_ABBREVIATED_BEFORE = re.compile(r"\b(?P<mods>(?:[Ff]ormer|[Ff]ederal|[Ss]tate)\s+)?"
                                 r"(?P<abbr>Sen|Gov|Amb)\.\s+$")


@dataclass
class Name:
    """A capitalised name the registry does not know, that reads like a person's."""

    start: int
    end: int
    text: str


@dataclass
class Title:
    person: Mention | Name
    role: str
    mods: str
    state: Mention | None
    of_text: str | None
    span: Span
    how: str
    also: Title | None = None  # a second post named with this one ("X and Y of Z, Name")

    @property
    def person_key(self) -> str | None:
        return self.person.key if isinstance(self.person, Mention) else None

    @property
    def person_ident(self) -> str:
        """The person's registry key, or "new:<key>" for one the registry lacks (proposed)."""
        return self.person_key or f"new:{kebab(self.person.text)}"


def candidate_names(doc: Document, mentions: list[Mention]) -> list[Name]:
    """Capitalised word runs of two to four words that no mention covers."""
    taken = [m.span for m in mentions]
    if doc.paragraphs:  # the headline and what comes before it are title case, not names
        taken.append(Span(0, doc.paragraphs[doc.headline].end))
    text = doc.text
    runs: list[list[re.Match[str]]] = []
    for tok in _NAME_TOKEN.finditer(text):
        word = tok.group().rstrip(".")
        capital = word[0].isupper() and not word.isupper()
        particle = word in NAME_PARTICLES
        if (capital or particle) and word not in NON_NAMES:
            if runs and runs[-1] and text[runs[-1][-1].end():tok.start()] == " ":
                runs[-1].append(tok)
                continue
            runs.append([tok])
        else:
            runs.append([])
    names = []
    for run in runs:
        while run and run[-1].group() in NAME_PARTICLES:
            run.pop()
        if not 2 <= len(run) <= 4:
            continue
        start, end = run[0].start(), run[-1].end()
        while text[end - 1] in ".'\u2019" or text[end - 2:end] in ("'s", "\u2019s"):
            end -= 2 if text[end - 2:end] in ("'s", "\u2019s") else 1
        if any(t.start < end and start < t.end for t in taken):
            continue
        names.append(Name(start, end, text[start:end]))
    return names


def find_titles(doc: Document, mentions: list[Mention], names: list[Name]) -> list[Title]:
    text = doc.text
    people: list[Mention | Name] = [m for m in mentions if m.etype == "Person"] + list(names)
    states = [m for m in mentions if m.linked and m.etype != "Person"]
    titles: list[Title] = []
    for person in sorted(people, key=lambda p: p.start):
        # "Qatar's Minister of State, Dr. X", "Prime Minister Sheikh X": a form of address
        # between the title and the name
        hon = _ADDRESS.search(text, max(0, person.start - 12), person.start)
        lead = hon.start() if hon else person.start
        before = text[max(0, lead - 120):lead]
        after = text[person.end:person.end + 160]
        state = _state_ending_at(states, person.start - 1)
        if state is not None:
            m = _BEFORE_OF.search(text[max(0, state.start - 80):state.start])
            if m and state.role != "place":
                start = state.start - len(m.group(0))
                titles.append(Title(person, m["role"].lower(), m["mods"].strip(), state, None,
                                    Span(start, person.end), "title of state"))
                continue
        m = _BEFORE.search(before)
        if m:
            start = lead - len(m.group(0))
            adj = _state_ending_at(states, start - 1, text)
            if adj is not None and adj.role in ("title", "state", "") and adj.possessive in (
                    False, True):
                start = adj.start
            elif adj is None:
                adj = _counterparts_state(text, states, start)
            title = Title(person, m["role"].lower(), m["mods"].strip(), adj, None,
                          Span(start, person.end), "title")
            if adj is None:
                title.state = _other_state(doc, states, title)
            titles.append(title)
            continue
        m = _ABBREVIATED_BEFORE.search(before)
        if m:  # "opposition Sen. X": a senator
            start = person.start - len(m.group(0))
            adj = _state_ending_at(states, start - 1)
            titles.append(Title(person, ABBREVIATED_TITLES[m["abbr"].lower()],
                                (m["mods"] or "").strip().lower(), adj, None,
                                Span(adj.start if adj else start, person.end),
                                "abbreviated title"))
            continue
        found = _apposition_before(text, states, person, lead)
        if found:
            titles.append(found)
            if found.also is not None:
                titles.append(found.also)
            continue
        found = _state_apposition_after(text, states, person)
        if found:  # "Liis Rebane, Estonia's foreign minister,"
            titles.append(found)
            continue
        m = _AFTER.match(after)
        if m:
            of_text = m["of"]
            in_of = None
            if of_text:
                of_start = person.end + m.start("of")
                of_end = person.end + m.end("of")
                inside = [s for s in states if of_start <= s.start and s.end <= of_end]
                in_of = inside[-1] if inside else None
            titles.append(Title(person, m["role"].lower(), m["mods"].strip(), in_of, of_text,
                                Span(person.start, person.end + m.end()), "apposition"))
    return titles


def _state_ending_at(states: list[Mention], offset: int, text: str | None = None
                     ) -> Mention | None:
    for s in states:
        end = s.end + (2 if s.possessive else 0)
        if end == offset or end + 1 == offset and (text is None or text[end].isspace()):
            return s  # (not across a sentence's end: "in Seoul. Foreign Minister X")
    return None


# "their Korean counterparts, Foreign Minister X and Defence Minister Y": the adjective's state
_COUNTERPARTS_BEFORE = re.compile(r"\b(?:[Hh]is|[Hh]er|[Tt]heir)\s+(?P<adj>[A-Z][\w-]+)\s+"
                                  r"counterparts?,\s+(?:[^,.;:]{0,80}?\s+and\s+)?$")
# "X and his Danish counterpart", "X and Y met their Korean counterparts": X is of the other state
_COUNTERPART_AFTER = re.compile(r"\b(?:his|her|their)\s+(?P<adj>[A-Z][\w-]+)\s+counterparts?\b")


def _counterparts_state(text: str, states: list[Mention], start: int) -> Mention | None:
    m = _COUNTERPARTS_BEFORE.search(text, max(0, start - 140), start)
    if m is None or m.end() != start:
        return None
    return next((s for s in states if s.start == m.start("adj") and s.etype == "Country"), None)


def _other_state(doc: Document, states: list[Mention], t: Title) -> Mention | None:
    """A title with no state before "his/their <Adj> counterpart(s)" in its sentence is of the
    other of the two states the article's lead names (a bilateral story)."""
    text = doc.text
    sentence = doc.sentence_at(t.span.start)
    if sentence is None:
        return None
    m = _COUNTERPART_AFTER.search(text, t.span.end, sentence.end)
    if m is None or re.search(r"[;:\"\u201c\u00ab]", text[t.span.end:m.start()]):
        return None
    adj = next((s for s in states if s.start == m.start("adj") and s.etype == "Country"), None)
    if adj is None:
        return None
    first = next((s for s in doc.body_sentences() if len(text[s.start:s.end].split()) >= 12
                  and text[s.start:s.end].rstrip().endswith(".")), None)
    if first is None:
        return None
    lead = {s.key: s for s in states if s.etype == "Country" and first.start <= s.start
            < first.end}
    others = [s for k, s in lead.items() if k != adj.key]
    return others[0] if len(lead) == 2 and len(others) == 1 else None


def _state_apposition_after(text: str, states: list[Mention],
                            person: Mention | Name) -> Title | None:
    """ "X, Estonia's foreign minister,", "X, the Swedish defence minister,": a title after the
    name whose state is a possessive or an adjective."""
    for state in states:
        if state.etype != "Country" or state.start <= person.end or \
                not _BEFORE_STATE_AFTER.fullmatch(text[person.end:state.start]):
            continue
        rest = state.end + (2 if state.possessive else 0)
        m = _AFTER_STATE.match(text, rest, rest + 80)
        if m and (state.possessive or state.role in ("adjective", "title")):
            return Title(person, m["role"].lower(), m["mods"].strip(), state, None,
                         Span(person.start, m.end()), "apposition with its state")
    return None


def _apposition_before(text: str, states: list[Mention], person: Mention | Name,
                       lead: int) -> Title | None:
    window_start = max(0, lead - 100)
    before = text[window_start:lead]
    m = _PREDECESSOR.search(before)
    if m:
        adj = next((s for s in states if m["adj"] and s.start == window_start + m.start("adj")),
                   None)
        return Title(person, "predecessor", "", adj, None,
                     Span(window_start + m.start(), person.end), "predecessor")
    m = _COUNTERPART.search(before)
    if m:
        adj = next((s for s in states if s.start == window_start + m.start("adj")), None)
        return Title(person, "counterpart", "", adj, None,
                     Span(window_start + m.start(), person.end), "counterpart")
    for state in reversed([s for s in states if window_start <= s.start < person.start
                           and s.possessive]):
        m = _POSSESSIVE_APPOSITION.match(text[state.end:lead])
        if m:
            role = m["role"].lower()
            title = Title(person, role, m["mods"].strip(), state, m["of"],
                          Span(state.start, person.end), "possessive apposition")
            if m["role2"]:
                title.also = Title(person, m["role2"].lower(), "", state, m["of2"],
                                   Span(state.start, person.end), "possessive apposition")
            return title
    m = _THE_APPOSITION.search(before)
    if m:
        start = window_start + m.start()
        state = None
        if m["adj"]:  # "The Dutch foreign minister, X": the adjective is the state
            state = next((s for s in states if s.start == window_start + m.start("adj")
                          and s.etype == "Country"), None)
            if state is None:
                return None
        elif m["det"].lower() == "its":  # "Its foreign minister, X": the state named last
            state = next((s for s in reversed(states) if s.etype == "Country"
                          and start - 300 <= s.start and s.end <= start), None)
            if state is None:
                return None
        elif m["of"]:  # "The leader of the nationalist Patriotic Front, X": what it names
            state = next((s for s in states if window_start + m.start("of") <= s.start
                          and s.end <= window_start + m.end("of")), None)
        return Title(person, " ".join(m["role"].lower().split()), m["mods"].strip(), state,
                     m["of"], Span(start, person.end), "apposition after a role noun")
    return None


def honorific_before(text: str, start: int) -> bool:
    return bool(HONORIFICS.search(text[max(0, start - 6):start]))
