"""Stance targets: who a stance is about, from the shape of the clause: "X, our partner",
"ties with X, Y and Z", "X remains our partner", "called X our partner", "accused X of ...",
"X's closest ally", "the two countries", "with both".

A state's stance with no target named ("We will deepen our cooperation", "the two countries would
...", "good relations with our neighbours") is about its counterpart: the one other state of the
last event told with two states' people (the talks, the call, the visit), or, for "the two
countries" and the like, the one other state named in the sentence or the one before."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .discourse import Person
from .gazetteer import Mention
from .lexicon import CueMatch, StanceRule
from .text import Sentence, Span

if TYPE_CHECKING:
    from .stances import Context

PARTNER_OF = re.compile(r"^s?\s+of\s+")  # "a reliable partner of the EU"
WITH_LIST = re.compile(r"^(?:\s+[\w-]+){0,6}?\s+(?:with|between|among)\s+")

COPULA = re.compile(r"\b(?:is|was|remains?|remained|are|were|ha(?:s|ve) been|will remain|will be|"
                    r"becomes?|became)"
                    r"\s+(?:not only\s+)?(?:a|an|our|its|their|his|her|the|one of (?:our|its|the))?"
                    r"[\s\w'\u2019\"\u201c\u201d\u00ab\u00bb-]*$", re.IGNORECASE)

CALLED = re.compile(r"\b(?:call(?:ed|s)?|describ(?:ed|es)|regard(?:ed|s)?|sees?|consider(?:ed|s)?|"
                    r"keeps?|kept|"
                    r"nam(?:ed|es))\s+$", re.IGNORECASE)

ADJECTIVE_TARGET = re.compile(r"^\s+(?:partners?|counterparts?|allies|friends|neighbou?rs|"
                              r"officials|officers|delegations?|leaders)\b")

ACT_VERB = re.compile(r"(?:accus|criticis|criticiz|condemn|invit|back|endors|blam|denounc)",
                      re.IGNORECASE)

BETWEEN_MANY = {"BalancedMultiVector"}
SUMMONED = re.compile(r"\b(?:summon\w*|call\w*\s+in)\b", re.IGNORECASE)
ENVOY = re.compile(r"(?:['\u2019]s)?\s+(?:ambassador|envoy|charg\w+\s+d['\u2019]affaires)\b",
                   re.IGNORECASE)
# where the clause of an act's object ends (an apposition's comma does not end it)
CLAUSE_END = re.compile(r"[;:\u2014]|\s--\s|\b(?:but|while|whereas|although)\b|"
                        r",\s+(?:and|who|which)\b")

DOING = re.compile(r"\s+(?:(?:still|also|again|now)\s+)?(?:(?:is|was|are|were|has|have|had)\s+)?"
                   r"(?:been\s+)?(?:(?:still|also|again|now|openly|actively)\s+)?")

ACCUSED = re.compile(r"accus", re.IGNORECASE)
GOVERNMENT = re.compile(r"\s+(?:government|authorities|army|side|regime|leadership)\b",
                        re.IGNORECASE)

# "the government in Dakar": the state whose seat is named
SEAT_OF = re.compile(r"\b(?:government|authorities|leadership|regime)\s+in\s+$", re.IGNORECASE)

TWO_OF_THEM = re.compile(r"\b(?:the two|both|our two)\s+(?:[a-z-]+\s+)?(?:countries|sides|nations|"
                         r"states|governments|neighbou?rs|leaders|ministers|presidents)\b|"
                         r"\bthe two\s+(?:agreed|said|will|would|also)\b", re.IGNORECASE)


def find_targets(ctx: Context, rule: StanceRule, cue: CueMatch, sentence: Sentence, segment: Span,
             holder: str, speaker: Person | None) -> tuple[list[str], str, str | None, list[Span]]:
    doc = ctx.doc
    text = doc.text
    excluded = {holder, speaker.key if speaker else None, ctx.publisher}

    def eligible(m: Mention) -> bool:
        if not m.linked or not m.is_agent or m.key in excluded or m.role in ("title", "place"):
            return False
        if rule.target_types and m.etype not in rule.target_types:
            return False
        if rule.holder_is_state and m.etype == "Person":
            return False
        if m.etype == "MediaOrganization":
            return False
        return m.role != "adjective" or bool(ADJECTIVE_TARGET.match(text[m.end:m.end + 16]))

    pool = [m for m in ctx.mentions if sentence.start <= m.start < sentence.end and eligible(m)]
    if rule.target_types:  # "under the auspices of the CIS, SCO, ...": all of them
        listed = [m for m in pool if m.start >= cue.start]
        if listed:
            return _keys(listed), "targets: the organisations named after the cue", None, \
                _spans(listed)
        return [], "", None, []  # "join the patrols": no organisation, no such stance
    if not rule.holder_is_state and passive_agent(ctx, cue, sentence) is not None:
        done_to = [m for m in pool if m.end <= cue.start]
        if done_to:  # "Sweden, whose plans were criticised by Denmark": Sweden
            return [done_to[-1].key], f'target: "{done_to[-1].surface}", to whom it was done', \
                None, _spans(done_to[-1:])
    if not rule.holder_is_state:
        summoned = SUMMONED.search(text, sentence.start, cue.start)
        envoy_of = [m for m in ctx.mentions if summoned and summoned.start() < m.start and
                    m.end <= cue.start and m.linked and m.etype == "Country" and
                    m.key not in excluded and ENVOY.match(text, m.end)]
        if envoy_of:  # "summoned Mali's ambassador to protest against ...": Mali
            return [envoy_of[0].key], f'target: "{envoy_of[0].surface}", whose envoy was ' \
                                      "summoned", None, _spans(envoy_of[:1])
        owned = [m for m in pool if cue.start < m.start and m.end <= cue.end and m.possessive]
        if owned:  # "backed Estonia's bid", "its support of Nigeria's candidacy"
            return [owned[0].key], f'target: "{owned[0].surface}\'s", whose bid it is', None, \
                _spans(owned[:1])
        governed = _object_of_verb(ctx, cue, sentence, holder, excluded, pool)
        if governed is not None:
            return governed
    if ACCUSED.match(text[cue.start:cue.end]):
        return _accused(ctx, cue, sentence, excluded)
    if not rule.holder_is_state:
        # "condemned the attacks on shipping in the Red Sea claimed by the Houthi group": the
        # one whose act it is
        doer = DONE_BY.search(text, cue.end, min(sentence.end, cue.end + 160))
        done = doer and next((m for m in pool if m.start == doer.end() and
                              not re.search(r"[;:]", text[cue.end:m.start])), None)
        if done:
            return [done.key], f'target: "{done.surface}", whose act it is', None, \
                _spans([done])
    if not rule.holder_is_state and ACT_VERB.match(text[cue.start:cue.end]):
        adjective = next((m for m in ctx.mentions if m.role == "adjective" and m.linked and
                          m.key not in excluded and re.fullmatch(r"\s+(?:the\s+)?",
                                                                 text[cue.end:m.start])), None)
        if adjective is not None:  # "condemned Turkish air strikes": Turkey's
            return [adjective.key], f'target: "{adjective.surface}", whose act it is', None, \
                _spans([adjective])
    both = re.match(r"^(?:\s+[\w-]+){0,3}?\s+with\s+both\b", text[cue.end:cue.end + 40])
    if both:  # "balanced relations with both": the last two actors named
        named = [m for m in ctx.mentions if m.end <= cue.start and m.start >= sentence.start
                 and eligible(m)]
        if len(named) >= 2:
            return _keys(named[-2:]), 'targets: "both", the two named before', None, \
                _spans(named[-2:])
    with_list = WITH_LIST.match(text[cue.end:cue.end + 60]) or (
        PARTNER_OF.match(text[cue.end:cue.end + 12]) if "partner" in text[cue.start:cue.end]
        else None)
    if with_list:
        start = cue.end + with_list.end()
        chain = _list_from(ctx, pool, start, sentence)
        if chain:
            return _keys(chain), 'targets: the actors named after "with"', None, _spans(chain)
    if not rule.holder_is_state:
        # the act's object is in its clause ("concerns about the canal, but ... Turkmenistan"),
        # an apposition included ("invited Ghana's President, X, to")
        stop = CLAUSE_END.search(text, cue.end, sentence.end)
        end = stop.start() if stop else sentence.end
        after = [m for m in pool if m.start >= cue.end and m.start - cue.end < 60 and m.start < end]
        objects = [r for r in ctx.disc.refs if r.start >= cue.end and r.start - cue.end < 40 and
                   r.kind in ("person", "name") and r.start < end]
        pronoun = re.match(r"\s+(him|her|them)\b", text[cue.end:cue.end + 8]) or re.search(
            r"\b(him|her)\s+(?:of|to)?\s*$", text[max(sentence.start, cue.start - 40):cue.start])
        if pronoun:
            target = _last_person_other_than(ctx, cue.start, {holder})
            if target:
                return [target], "target: the pronoun's antecedent", None, []
        invited = re.match(r"\s+(?:of|from)\s+", text[cue.end:cue.end + 8]) and re.search(
            r"\s+to\s+$", text[cue.end:cue.end + 80])
        handed = re.search(r"\bhanded\s+(.{1,60}?)\s+an?\s+$", text[sentence.start:cue.start])
        if text[cue.start:cue.end].lower().startswith("invitation") and (invited or handed):
            # "handed X an invitation from Y to Z": Z is invited, else X
            to = re.search(r"\s+to\s+", text[cue.end:sentence.end])
            named = [r for r in ctx.disc.refs if r.kind in ("person", "name") and r.key and
                     r.key not in excluded and to and cue.end + to.end() <= r.start <
                     cue.end + to.end() + 40]
            if not named and handed:
                lo = sentence.start + handed.start(1)
                named = [r for r in ctx.disc.refs if r.kind in ("person", "name") and r.key and
                         r.key not in excluded and lo <= r.start < cue.start]
                named = named or [r for r in ctx.disc.refs if r.kind in ("pronoun", "role") and
                                  lo <= r.start < cue.start and ctx.disc.person_of(r)]
            for r in named:
                person = ctx.disc.person_of(r) if r.kind in ("pronoun", "role") else None
                key = person.key if person else r.key
                if key and key not in excluded:
                    return [key], "target: the one the invitation is for", None, []
        candidates = sorted([*(m for m in after), *objects], key=lambda x: x.start)
        for c in candidates:
            key = c.key
            titled = getattr(c, "possessive", False) and any(
                o.etype == "Person" and c.end < o.start < c.end + 40 for o in after)
            if key and key not in excluded and not titled:  # "Ghana's President, X": X
                return [key], "target: named after the verb", None, [Span(c.start, c.end)]
        # "said Sweden was interfering", "Moscow had meddled": a charge's cue tells the act of
        # the one charged
        charged = [m for m in pool if segment.start <= m.start and m.end <= cue.start and
                   DOING.fullmatch(text[m.end:cue.start])] if rule.charge else []
        if charged:
            return [charged[-1].key], f'target: "{charged[-1].surface}", said to be doing it', \
                None, _spans(charged[-1:])
        before = [m for m in pool if m.end <= cue.start and m.etype == "Person"]
        if before:
            return [before[0].key], "target: the person the sentence is about", None, []
        return [], "", None, []
    them = re.search(r"\b(?:call\w*|describ\w*|regard\w*)\s+them\s+(?:as\s+)?[\"'\u2018\u201c]?"
                     r"(?:[\w-]+\s+){0,3}$", text[segment.start:cue.start])
    if them:  # "coordinate ... with France and Germany, calling them our closest partners"
        before = [m for m in pool if sentence.start <= m.end <= segment.start]
        if before:
            chain = _coordinated_before(ctx, pool, before[-1])
            return _keys(chain), 'targets: "them", the actors named before', None, _spans(chain)
    appos = [m for m in pool if m.end <= cue.start and re.fullmatch(
        r",\s+(?:our|its|their|his|her|the|a)\s+[\w\s'\u2019-]*", text[m.end:cue.start])]
    if appos:
        return [appos[-1].key], f'target: "{appos[-1].surface}", in apposition to the cue', \
            None, _spans(appos[-1:])
    owner = next((m for m in ctx.mentions if m.linked and m.possessive and m.etype == "Country"
                  and segment.start <= m.start < cue.start and re.fullmatch(
                      r"['\u2019]s\s+[\"\u201c\u00ab'\u2018\w\s-]*", text[m.end:cue.start])), None)
    if owner is not None and owner.key not in excluded and eligible(owner):
        return [owner.key], f'target: "{owner.surface}\'s", whose {rule.concept} it is', None, \
            _spans([owner])
    lead = text[segment.start:cue.start]
    called = [m for m in pool if m.end <= cue.start and CALLED.search(text[segment.start:m.start])
              and m.start >= segment.start]
    if called:
        return [called[0].key], f'target: "{called[0].surface}", called so', None, \
            _spans(called[:1])
    copula = [m for m in pool if segment.start <= m.start and m.end <= cue.start and
              COPULA.search(text[m.end:cue.start][:80]) and not re.search(r"[,;]",
                                                                          text[m.end:cue.start])]
    if copula and COPULA.search(lead):
        subjects = _coordinated_before(ctx, pool, copula[-1])  # "Russia and China remain ..."
        return _keys(subjects), f'target: "{copula[-1].surface}", the subject it is said of', \
            None, _spans(subjects)
    adjective = [m for m in pool if m.role == "adjective"]
    if adjective:
        m = adjective[0]
        np = re.match(r"(?:(?:our|their|its)\s+)?", text[m.start - 4:m.start][::-1])
        worded_start = text.rfind(" ", sentence.start, m.start - 1) + 1
        tail = ADJECTIVE_TARGET.match(text[m.end:m.end + 16])
        return [m.key], f'target: "{m.surface}" (an adjective, linked at reduced confidence)', \
            text[worded_start:m.end + tail.end()] if tail and np is not None else None, _spans([m])
    two = TWO_OF_THEM.search(text[sentence.start:segment.end])
    if two:
        others = _keys([m for m in pool if m.etype == "Country"])
        if len(others) == 1:
            return others, "target: the other of \"the two countries\"", None, []
    near = [m for m in pool if segment.start <= m.start < segment.end] or pool
    if near and not two:
        m = min(near, key=lambda m: abs(m.start - cue.start))
        return [m.key], f'target: "{m.surface}", the nearest actor to the cue', None, _spans([m])
    # "not for the alliance": a body told by its kind, no stance toward a counterpart
    definite = re.search(r"\bthe\s+$", text[max(0, cue.start - 5):cue.start], re.IGNORECASE)
    # a balance is between powers the clause names, never an implied counterpart
    other = None if definite or rule.concept in BETWEEN_MANY else counterpart(
        ctx, sentence, holder, bool(two))
    if other is not None:
        return [other[0]], f"target: {other[1]}", None, []
    return [], "", None, []


def _accused(ctx: Context, cue: CueMatch, sentence: Sentence,
             excluded: set) -> tuple[list[str], str, str | None, list[Span]]:
    """ "accused Sofia of ...", "accused the Venezuelan government of ...", "Kinshasa, which he
    accused of ...": the one accused, never an actor named in the charge."""
    text = ctx.doc.text
    of = re.search(r"\s+of\b", text[cue.end:min(sentence.end, cue.end + 60)])
    end = cue.end + of.start() if of else cue.end
    seats = [ctx.city_state.get(m.key or "", m.key) for m in ctx.mentions
             if cue.end <= m.start < end and m.linked and m.role == "place" and
             SEAT_OF.search(text[cue.end:m.start])]
    seats = [k for k in seats if ctx.entity_types.get(k) == "Country" and k not in excluded]
    if seats:  # "accused the government in Dakar of ...": Senegal
        return seats[:1], "target: the state whose government is told by its seat", None, []
    accused = [m for m in ctx.mentions if cue.end <= m.start < end and m.linked and m.is_agent
               and m.key not in excluded and m.role not in ("title", "place") and (
                   m.role != "adjective" or GOVERNMENT.match(text[m.end:m.end + 20]))]
    if accused:
        return [accused[0].key], f'target: "{accused[0].surface}", the one accused', None, \
            _spans(accused[:1])
    if TWO_OF_THEM.search(text[cue.end:end]):  # "accused both governments of ...": the two
        pair = _pair_of_last_event(ctx, sentence)
        if pair:
            return pair, "targets: the two states of the last event told with two", None, []
    which = re.search(r",\s+which\s+(?:[\w-]+\s+){0,3}$", text[sentence.start:cue.start])
    if which:
        before = [m for m in ctx.mentions if m.end == sentence.start + which.start() and m.linked
                  and (m.is_agent or m.key in ctx.city_state) and m.key not in excluded]
        if before:  # "Kinshasa, which he accused of": a capital stands for its state
            key = ctx.city_state.get(before[0].key or "", before[0].key)
            return [key], f'target: "{before[0].surface}", which is accused', None, \
                _spans(before)
    return [], "", None, []


def _pair_of_last_event(ctx: Context, sentence: Sentence) -> list[str]:
    index = ctx.doc.sentences.index(sentence)
    for e in sorted((e for e in ctx.events if e.sentence <= index), key=lambda e: -e.sentence):
        states = list(dict.fromkeys(
            s for s in (ctx.state_of.get(k) or (k if ctx.entity_types.get(k) == "Country" else None)
                        for k in e.actors) if s))
        if len(states) == 2:
            return states
    return []


def counterpart(ctx: Context, sentence: Sentence, holder: str,
                paired: bool) -> tuple[str, str] | None:
    """The one other state of the last event told (up to this sentence) with two states'
    people; with `paired` ("the two countries"), else the one other state named in this sentence
    or the one before."""
    doc = ctx.doc
    index = doc.sentences.index(sentence)
    for e in sorted((e for e in ctx.events if e.sentence <= index),
                    key=lambda e: e.sentence, reverse=True):
        states = {ctx.state_of.get(k) or (k if ctx.entity_types.get(k) == "Country" else None)
                  for k in e.actors} - {None}
        if len(states) >= 2 and holder in states and len(states - {holder}) == 1:
            return (states - {holder}).pop(), f"the counterpart in the {e.type.lower()} told " \
                                              "before (the target is implied)"
    if not paired:
        return _other_of_the_lead(ctx, holder)
    start = doc.sentences[index - 1].start if index > 0 else sentence.start
    named = {m.key for m in ctx.mentions if start <= m.start < sentence.end and m.linked
             and m.etype == "Country" and m.role != "title"} - {holder}
    if len(named) == 1:
        return named.pop(), "the other of the two states named (the target is implied)"
    return None


PASSIVE_BY = re.compile(r"\s+(?:[\w-]+\s+){0,2}?by\s+(?:the\s+)?")
PASSIVE_AUX = re.compile(r"\b(?:was|were|been|being|is|are|be)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)


DONE_BY = re.compile(r"\b(?:claimed|carried\s+out|launched|committed|perpetrated|staged|"
                     r"conducted|fired)\s+by\s+(?:the\s+)?", re.IGNORECASE)


def passive_agent(ctx: Context, cue: CueMatch, sentence: Sentence) -> Mention | None:
    """The agent of a passive act ("were criticised by Madagascar's parliament", "was condemned
    last week by Oslo"): the one who acts, told after "by"."""
    text = ctx.doc.text
    by = PASSIVE_BY.match(text, cue.end, sentence.end)
    if by is None or not PASSIVE_AUX.search(text[sentence.start:cue.start]):
        return None
    return next((m for m in ctx.mentions if m.start == by.end() and m.linked and m.is_agent and
                 m.role not in ("title", "adjective")), None)


def _other_of_the_lead(ctx: Context, holder: str) -> tuple[str, str] | None:
    """The article's pair of states: with no event told between two states, a state's stance
    with no target named ("wanted good-neighbourly relations") is toward the one other state
    its lead names (headline and first paragraph)."""
    doc = ctx.doc
    body = next((s.paragraph for s in doc.body_sentences()), None)
    if body is None:
        return None
    named = {m.key for m in ctx.mentions if m.linked and m.etype == "Country" and
             m.role != "title" and doc.paragraph_at(m.start) <= body}
    if holder in named and len(named - {holder}) == 1:
        return (named - {holder}).pop(), "the other state of the lead (the target is implied)"
    return None


def _object_of_verb(ctx: Context, cue: CueMatch, sentence: Sentence, holder: str,
                    excluded: set, pool: list[Mention]):
    """ "accused him of seeking to interfere", "accused Kazakhstan of 'meddling ...'": the cue
    is governed by an act verb; its object is the target."""
    text = ctx.doc.text
    verbs = [a for a in ctx.attributions if a.sentence is sentence and a.verb.end <= cue.start
             and not re.search(r"[,;]", text[a.verb.end:cue.start])
             and ACT_VERB.match(text[a.verb.start:a.verb.end])]
    if not verbs:
        return None
    verb = verbs[-1].verb
    pronoun = re.match(r"\s+(him|her|them|it)\b", text[verb.end:verb.end + 8])
    if pronoun:
        target = _last_person_other_than(ctx, verb.start, {holder}) if pronoun.group(1) != "it" \
            else next((m.key for m in reversed(ctx.mentions) if m.end <= verb.start and m.linked
                       and m.is_agent and m.etype != "Person" and m.key != holder), None)
        return ([target], f'target: "{pronoun.group(1)}" after "{text[verb.start:verb.end]}"',
                None, []) if target else None
    nxt = next((m for m in pool if m.start >= verb.end and
                re.fullmatch(r"\s+(?:the\s+)?(?:(?!that\b|to\b|of\b)[a-z]+\s+)?",
                             text[verb.end:m.start])), None)
    if nxt is not None and nxt.key not in excluded:
        return [nxt.key], f'target: "{nxt.surface}", after "{text[verb.start:verb.end]}"', None, \
            _spans([nxt])
    return None


def _coordinated_before(ctx: Context, pool: list[Mention], last: Mention) -> list[Mention]:
    """ "Brazil and Argentina remained ...": the whole coordinated subject ending at `last`."""
    chain = [last]
    for m in sorted((m for m in pool if m.end <= last.start), key=lambda m: -m.start):
        if re.fullmatch(r",?\s+(?:and\s+)?|,\s+", ctx.doc.text[m.end:chain[0].start]):
            chain.insert(0, m)
        else:
            break
    return chain


def _list_from(ctx: Context, pool: list[Mention], start: int, sentence: Sentence) -> list[Mention]:
    """ "Moscow, China, and the European Union": mentions joined by commas and "and"."""
    chain: list[Mention] = []
    position = start
    for m in sorted(pool, key=lambda m: m.start):
        if m.start < position:
            continue
        gap = ctx.doc.text[position:m.start]
        if chain and not re.fullmatch(r",?\s*(?:and\s+|or\s+)?(?:the\s+)?", gap):
            break
        if not chain and not re.fullmatch(r"(?:the\s+|other\s+|all\s+)?", gap):
            break
        chain.append(m)
        position = m.end + (2 if m.possessive else 0)
    return chain


def _last_person_other_than(ctx: Context, offset: int, skip: set[str]) -> str | None:
    for ref in reversed(ctx.disc.refs):
        if ref.end <= offset and ref.kind == "person" and ref.key not in skip:
            return ref.key
    return None


def _spans(mentions: list[Mention]) -> list[Span]:
    return [m.span for m in mentions]


def _keys(mentions: list[Mention]) -> list[str]:
    return list(dict.fromkeys(m.key for m in mentions))
