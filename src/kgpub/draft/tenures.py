"""Tenures: a title or apposition names a person's post; the registry's posts say which.

The post is the one whose role words and state fit the title ("Russian President" -> a post of
Russia whose label starts with "President"). A title without a state ("Prime Minister Dmitry
Medvedev") takes the state of a title it is coordinated with (not that of a counterpart in the
same office: "Foreign Minister X and Madagascar's minister of foreign affairs, Y"), or, for
"outgoing"/"former", the post
of the "new" holder; a post already held by someone else in the article is not given twice
(nor one a later title names with its state, nor a counterpart's: "X and his Zimbabwean
counterpart"). A post
the registry lacks is proposed as a new actor. Otherwise a title with no state keeps the post the
article gave the person before, takes a post of its role no one else in the article holds, the
dateline's state, or the one state its sentence names outside the other titles (never a
counterpart's). The head or leader of an organisation (not a state) with no post for it holds a
role in it ("The leader of the nationalist Patriotic Front, X": organisation and role).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..model import Entity
from .dates import DateMention
from .gazetteer import Mention
from .items import DEvent, DTenure, NewActor
from .keys import kebab
from .text import Document, Span
from .titles import ROLE_RX, Title

OFFICE_WORDS = {"minister", "ministers", "of", "for", "the", "and", "affairs", "deputy", "vice",
                "state", "secretary"}
# Roles in an organisation, as opposed to a state's post ("the head of the chamber of commerce")
LEADING = {"head", "leader", "chairman", "chairwoman", "chair", "director"}
ORGANISATIONS = {"Organization", "MediaOrganization", "EducationalOrganization"}
EXCLUSIVE = {"president", "prime minister", "king", "queen", "emir", "chancellor", "premier"}
SINCE = re.compile(r"^,\s+who\s+(?:(?:took office|was elected|was inaugurated|was sworn in|"
                   r"became [a-z ]+?)\s+(?:in|on)|(?:has held (?:the|his|her) post|"
                   r"has been [a-z ]+?|has led [A-Za-z ]+?)\s+since)\s+$")

_ROLE_AFTER = re.compile(rf"\s+(?:[a-z]+\s+)?(?:counterpart|{ROLE_RX})\b", re.IGNORECASE)


@dataclass
class _Post:
    entity: Entity
    role: set[str]

    @property
    def key(self) -> str:
        return self.entity.key


def _role_words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower())) - {"the", "of"}


# Posts labelled by their body rather than their title: "Member of the Senate of X" is a senator
MEMBERSHIPS = {"member of the senate": "senator", "member of parliament": "member of parliament",
               "member of the house of representatives": "representative"}


def _post_role(label: str) -> str:
    lower = label.lower()
    for body, role in MEMBERSHIPS.items():
        if lower.startswith(body + " ") or lower == body:
            return role
    return re.split(r"\s+(?:of|to|for)\s+", label, maxsplit=1)[0]


def find_tenures(doc: Document, titles: list[Title], entities: dict[str, Entity],
                 events: list[DEvent], dates: list[DateMention],
                 proposals: dict[str, NewActor], mentions: list[Mention],
                 home: str | None = None,
                 city_state: dict[str, str] | None = None,
                 reference: dt.date | None = None) -> list[DTenure]:
    posts = [_Post(e, _role_words(_post_role(e.label))) for e in entities.values()
             if e.type == "Post"]
    holders: dict[str, str] = {}  # post key -> person ident
    tenures: dict[tuple[str, str], DTenure] = {}
    resolved: list[tuple[Title, str | None, str | None]] = []
    for t in titles:
        role = t.role
        if role == "predecessor":  # "the Kyrgyz leader's predecessor, X": the leader's post
            state = t.state.key if t.state is not None else None
            held = [post for prev, post, _ in reversed(resolved) if post and prev.person_key
                    and (state is None or _in_state(entities[post], state, entities))
                    and post in entities]
            if not held:
                continue
            post = held[0]
            person = t.person_ident
            resolved.append((t, post, role))
            tenure = tenures.setdefault((person, post), DTenure(
                confidence=0.7, person=t.person_key, post=post, outgoing=True,
                why=[f'"{doc.text[t.span.start:t.span.end]}": the predecessor in '
                     f"{entities[post].label}"]))
            if t.person_key is None:
                tenure.pending.append(kebab(t.person.text))
            tenure.evidence.append(t.span)
            continue
        if role == "counterpart":
            role = next((r for prev, _, r in reversed(resolved) if prev.span.end <= t.span.start
                         and r and r != "counterpart"), None)
            if role is None:
                continue
        post, why, confidence = _choose(doc, t, role, posts, titles, resolved, holders, entities,
                                        home, mentions, city_state)
        person = t.person_ident
        resolved.append((t, post, role))
        if post is None:
            state = t.state.key if t.state is not None else None
            if state is not None and role in LEADING and entities[state].type in ORGANISATIONS:
                _lead(doc, t, role, state, tenures)  # "the leader of the Patriotic Front, X"
                continue
            if state is None or entities[state].type not in ("Country", "GovernmentBody",
                                                             "Organization"):
                continue
            label = f"{role.title()} of {entities[state].label}"
            key = kebab(label)
            if key in entities:
                continue
            proposals.setdefault(key, NewActor(key, "Post", label, [t.span], state,
                                               f'title "{doc.text[t.span.start:t.span.end]}"'))
            post, why, confidence = key, f"post proposed: {label}", 0.6
        if role in EXCLUSIVE:
            holders.setdefault(post, person)
        key = (person, post)
        tenure = tenures.get(key)
        if tenure is None:
            tenure = tenures[key] = DTenure(confidence=confidence, person=t.person_key, post=post)
            tenure.why.append(why)
            if t.person_key is None:
                tenure.pending.append(kebab(t.person.text))
            if post not in entities:
                tenure.pending.append(post)
        if t.span not in tenure.evidence:
            tenure.evidence.append(t.span)
        if t.mods and tenure.role is None and re.search(r"outgoing|former|acting|interim|late",
                                                        t.mods, re.IGNORECASE):
            tenure.role = _as_worded(doc, t)
        tenure.outgoing = tenure.outgoing or bool(re.search(r"outgoing", t.mods or "", re.I))
        _date(doc, t, tenure, events, dates)
        if reference is not None:
            _for_how_long(doc, t, tenure, reference)
    _since(doc, tenures, mentions, dates)
    _ends(tenures, events)
    return list(tenures.values())


def _lead(doc: Document, t: Title, role: str, org: str,
          tenures: dict[tuple[str, str], DTenure]) -> None:
    """One who leads an organisation that has no posts holds a role in it, not a post of it."""
    tenure = tenures.setdefault((t.person_ident, org), DTenure(
        confidence=0.7, person=t.person_key, organization=org, role=role,
        why=[f'"{doc.text[t.span.start:t.span.end]}": {role} of the organisation']))
    if t.person_key is None and not tenure.pending:
        tenure.pending.append(kebab(t.person.text))
    if t.span not in tenure.evidence:
        tenure.evidence.append(t.span)


def _since(doc: Document, tenures: dict[tuple[str, str], DTenure], mentions: list[Mention],
           dates: list[DateMention]) -> None:
    """ "Nazarov, who took office in 2021", "who has held the post since 2023": when the tenure
    began."""
    for tenure in tenures.values():
        if tenure.begins or tenure.person is None:
            continue
        for m in mentions:
            if m.key != tenure.person:
                continue
            found = next((d for d in dates if d.value and d.start > m.end and
                          SINCE.match(doc.text[m.end:d.start])), None)
            if found is not None:
                tenure.begins = found.value
                tenure.attested_on = None
                tenure.why.append(f'begins "{doc.text[m.end:found.end].strip(", ")}"')
                tenure.evidence.append(Span(m.start, found.end))
                break


def _choose(doc: Document, t: Title, role: str, posts: list[_Post], titles: list[Title],
            resolved, holders: dict[str, str], entities: dict[str, Entity], home: str | None,
            mentions: list[Mention] | None = None, city_state: dict[str, str] | None = None):
    words = _role_words(role)
    if t.of_text or " of " in role:  # "Minister of Foreign Affairs": its office as worded
        wanted = (f"{role} of {t.of_text}" if t.of_text else role).lower()
        forms = (wanted, wanted.replace(" the ", " "))
        exact = [p for p in posts if p.entity.label.lower() in forms]
        if exact:
            return exact[0].key, f'the post label "{exact[0].entity.label}" as worded', 0.95
        if t.state is not None:  # "Senegal's Minister of Fisheries": "Minister of Fisheries of .."
            prefixed = [p for p in posts if p.entity.label.lower().startswith(
                tuple(f + " " for f in forms)) and _in_state(p.entity, t.state.key, entities)]
            if len(prefixed) == 1:
                return prefixed[0].key, f'the post label "{prefixed[0].entity.label}" as ' \
                                        f"worded, in {t.state.surface}", 0.9
    fitting = [(p, _fit(words, p.role)) for p in posts]
    fitting = [(p, s) for p, s in fitting if s > 0]
    if not fitting:
        return None, "", 0.0
    state = t.state.key if t.state is not None else None
    if state is not None:
        here = [(p, s) for p, s in fitting if _in_state(p.entity, state, entities)]
        if not here:
            return None, "", 0.0
        best = max(s for _, s in here)
        top = _by_portfolio(words, [p for p, s in here if s == best], entities)
        if len(top) == 1:
            return top[0].key, f'"{doc.text[t.span.start:t.span.end]}": {top[0].entity.label}', \
                0.9 if best == 2 else 0.75
        return None, "", 0.0
    person = t.person_ident
    outgoing = bool(t.mods and re.search(r"outgoing|former|late", t.mods, re.IGNORECASE))
    candidates = [p for p, _ in fitting if holders.get(p.key, person) == person or role
                  not in EXCLUSIVE or outgoing]
    candidates = _by_portfolio(words, candidates, entities)
    how = "the only post of that title"
    own = [p for p in candidates if any(post == p.key for prev, post, _ in resolved
                                        if prev.person_ident == person)]
    if len(own) == 1:  # "Minister Vaitkus" after "Minister of Foreign Affairs of Lithuania ..."
        return own[0].key, f'"{doc.text[t.span.start:t.span.end]}": {own[0].entity.label} ' \
                           "(the post the article gave the person before)", 0.8
    if len(candidates) > 1 and not outgoing:  # a post another person in the article holds
        taken = {post for prev, post, _ in resolved if post and prev.person is not t.person
                 and prev.person_ident != person
                 and not re.search(r"outgoing|former|late", prev.mods or "", re.I)}
        # ... or will be given by a title naming its state, later in the article ("Mozambique's
        # President Armando Cossa"), or by a counterpart's ("X and his Zimbabwean counterpart")
        taken |= {p.key for p in candidates for x in titles
                  if x.person_ident != person and x.state is not None and role in EXCLUSIVE
                  and (x.role == role or x.role == "counterpart" and _counterpart_of(doc, x, t))
                  and _in_state(p.entity, x.state.key, entities)
                  and not re.search(r"outgoing|former|late", x.mods or "", re.I)}
        narrowed = [p for p in candidates if p.key not in taken]
        if len(narrowed) < len(candidates) and narrowed:
            candidates, how = narrowed, "the only post of that title no one else here holds"
    sentence = doc.sentence_at(t.span.start)
    coordinated = [x for x in titles if x is not t and x.state is not None and sentence and
                   sentence.start <= x.span.start < sentence.end
                   and x.role != "counterpart" and not (role in EXCLUSIVE and x.role == role)]
    counterparts = [x for x in coordinated if _same_office(role, x.role)]
    coordinated = [x for x in coordinated if x not in counterparts]
    if coordinated:
        states = {x.state.key for x in coordinated}
        narrowed = [p for p in candidates if any(_in_state(p.entity, s, entities) for s in states)]
        if narrowed:
            candidates, how = narrowed, "the state of the title it is coordinated with"
    elif counterparts:  # "Foreign Minister X and Madagascar's minister of foreign affairs, Y"
        states = {x.state.key for x in counterparts}
        narrowed = [p for p in candidates if not any(_in_state(p.entity, s, entities)
                                                     for s in states)]
        if narrowed and len(narrowed) < len(candidates):
            candidates, how = narrowed, "not the state of its counterpart named with it"
    if outgoing:
        new = [post for prev, post, _ in resolved if prev.mods and "new" in prev.mods and post]
        narrowed = [p for p in candidates if p.key in new]
        if narrowed:
            candidates, how = narrowed, "the post of the new holder named in the article"
    if len(candidates) > 1 and home is not None:
        narrowed = [p for p in candidates if _in_state(p.entity, home, entities)]
        if len(narrowed) == 1:
            candidates, how = narrowed, "the state of the dateline"
    if len(candidates) > 1 and mentions:
        # "... says Armenia's top diplomat" over "Foreign Minister X": the one state the
        # headline names is the state the article is about
        headline = {m.key for m in mentions if m.linked and m.etype == "Country" and
                    doc.paragraph_at(m.start) <= doc.headline}
        narrowed = [p for p in candidates if len(headline) == 1 and
                    _in_state(p.entity, next(iter(headline)), entities)]
        if len(narrowed) == 1:
            candidates, how = narrowed, "the one state the headline names"
    if len(candidates) > 1 and city_state is not None:
        here = _sentence_state(doc, t, titles, mentions or [], entities, city_state)
        narrowed = [p for p in candidates if here and _in_state(p.entity, here, entities)]
        if len(narrowed) == 1:
            candidates, how = narrowed, "the only state named in the sentence"
    if len(candidates) == 1:
        return candidates[0].key, f'"{doc.text[t.span.start:t.span.end]}": ' \
                                  f"{candidates[0].entity.label} ({how})", 0.65
    return None, "", 0.0


def _sentence_state(doc: Document, t: Title, titles: list[Title], mentions: list[Mention],
                    entities: dict[str, Entity], city_state: dict[str, str]) -> str | None:
    """The one state the sentence of a title with no state names (a capital standing for its
    state), leaving out the states of the other titles in it (a counterpart's)."""
    sentence = doc.sentence_at(t.span.start)
    if sentence is None:
        return None
    others = [x.span for x in titles if x is not t and x.state is not None]
    found = set()
    for m in mentions:
        if not (sentence.start <= m.start < sentence.end) or m.key is None:
            continue
        if any(o.start <= m.start < o.end for o in others) or m.role == "title" or \
                _ROLE_AFTER.match(doc.text, m.end):
            continue
        e = entities.get(m.key)
        state = m.key if e is not None and e.type == "Country" else city_state.get(m.key)
        if state:
            found.add(state)
    return found.pop() if len(found) == 1 else None


def _portfolio(words: set[str]) -> set[str]:
    return {"defence" if w == "defense" else w for w in words} - OFFICE_WORDS - {
        "minister", "ministers", "national", "external", "relations"}


def _by_portfolio(words: set[str], posts: list[_Post], entities: dict[str, Entity]
                  ) -> list[_Post]:
    """ "Foreign Minister X" of two ministers' posts labelled by their office ("Minister of
    Foreign Affairs of K", "Minister of National Defense of K"): the one of its portfolio."""
    wanted = _portfolio(words)
    if not wanted or len(posts) < 2:
        return posts
    def office(p: _Post) -> set[str]:
        state = entities.get(p.entity.post_in or "")
        label = p.entity.label
        if state is not None and label.endswith(" of " + state.label):
            label = label[:-len(" of " + state.label)]
        return _portfolio(set(re.findall(r"[a-z]+", label.lower())))
    narrowed = [p for p in posts if wanted <= office(p)]
    return narrowed or posts


def _fit(words: set[str], role: set[str]) -> int:
    if {"vice", "deputy"} & (role ^ words):
        return 0
    if words == role:
        return 2
    return 1 if words < role or role < words else 0


def _counterpart_of(doc: Document, counterpart: Title, t: Title) -> bool:
    """ "President X and his Zimbabwean counterpart, Y": Y is X's counterpart (in one sentence)."""
    here = doc.sentence_at(t.span.start)
    return here is not None and here is doc.sentence_at(counterpart.span.start) and \
        t.span.end <= counterpart.span.start


def _same_office(a: str, b: str) -> bool:
    """ "foreign minister" and "minister of foreign affairs": one office, held in two states
    by two people named together."""
    words = set(a.lower().split()) & set(b.lower().split())
    return a.lower() == b.lower() or bool(words - OFFICE_WORDS)


def _in_state(post: Entity, state: str, entities: dict[str, Entity]) -> bool:
    seen = set()
    current = post.post_in
    while current and current not in seen:
        if current == state:
            return True
        seen.add(current)
        current = entities[current].post_in if current in entities else None
    return False


def _as_worded(doc: Document, t: Title) -> str:
    span = doc.text[t.span.start:t.span.end]
    m = re.search(rf"{re.escape(t.mods)}\s+{re.escape(t.role)}", span, re.IGNORECASE)
    return m.group() if m else f"{t.mods} {t.role}"


def _date(doc: Document, t: Title, tenure: DTenure, events: list[DEvent],
          dates: list[DateMention]) -> None:
    person = t.person_key
    inaugurated = [e for e in events if e.type == "Inauguration" and person in e.actors and e.date]
    if inaugurated and tenure.begins is None and not re.search(r"outgoing|former", t.mods or ""):
        tenure.begins = inaugurated[0].date
        tenure.why.append(f"begins with the inauguration on {tenure.begins}")
        return
    sentence = doc.sentence_at(t.span.start)
    if tenure.attested_on is None and tenure.begins is None and sentence is not None:
        days = [d for d in dates if d.day and sentence.start <= d.start < sentence.end
                and not d.publication]
        if days:
            nearest = min(days, key=lambda d: abs(d.start - t.span.end))
            tenure.attested_on = nearest.day
            tenure.why.append(f'in office on {nearest.value} ("{nearest.text}" in the sentence)')


NUMBERS = {w: i for i, w in enumerate(["zero", "one", "two", "three", "four", "five", "six",
                                       "seven", "eight", "nine", "ten", "eleven", "twelve"])}
FOR_HOW_LONG = re.compile(r"\s+for\s+(?:(?P<n>\d{1,2}|[a-z]+)|a|one)\s+(?P<unit>month|year)s?\b")


def _for_how_long(doc: Document, t: Title, tenure: DTenure, reference: dt.date) -> None:
    """ "X has been Sri Lanka's foreign minister for eleven months": it began that many months
    (the month) or years (the year) before the publication."""
    m = FOR_HOW_LONG.match(doc.text, t.span.end)
    if m is None or tenure.begins:
        return
    n = 1 if m["n"] is None else int(m["n"]) if m["n"].isdigit() else NUMBERS.get(m["n"])
    if n is None:
        return
    if m["unit"] == "month":
        months = reference.year * 12 + reference.month - 1 - n
        tenure.begins = f"{months // 12:04d}-{months % 12 + 1:02d}"
    else:
        tenure.begins = f"{reference.year - n:04d}"
    tenure.why.append(f'begins "{doc.text[m.start():m.end()].strip()}" before '
                      f"{reference}: {tenure.begins}")
    tenure.evidence.append(Span(t.span.start, m.end()))


def _ends(tenures: dict[tuple[str, str], DTenure], events: list[DEvent]) -> None:
    """An outgoing holder's tenure ends when the new holder of the post begins."""
    for tenure in tenures.values():
        if tenure.outgoing and not tenure.ends:
            successor = [t for t in tenures.values() if t.post == tenure.post and t is not tenure
                         and t.begins and len(t.begins) == 10]
            if successor:
                tenure.ends = successor[0].begins
                tenure.why.append(f"ends when {successor[0].person} took office")
