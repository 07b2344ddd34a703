"""Stances from the cue lexicon: type from the cue, holder from the speaker (or the actor of the
act), targets from the clause, modality from the clause's own cues, attribution from the quote
marks and reporting verbs around it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .attribution import GAP_BEFORE, Attribution
from .discourse import Discourse, Person, Ref
from .gazetteer import Mention
from .intents import find_state_intents
from .items import DQuote, DStance
from .joint import find_joint_intents
from .lexicon import CueMatch, Lexicon, StanceRule, find_cues
from .quotes import Quotation
from .targets import find_targets, passive_agent
from .text import Document, Sentence, Span

SEGMENT_BREAK = re.compile(r"[,;:\u2014\u2013]|\s--\s|\b(?:but|that|while|whereas|although)\b")
STRENGTH = {"DirectQuote": 3, "IndirectQuote": 2, "ReportedSpeech": 1,
            "JournalistCharacterization": 0}
GENERIC = re.compile(r"\b(?:all|every|other|any|this|that|these|those)\s+(?:[\w-]+\s+){0,3}$|"
                     r"\bwith\s+(?:our|its|their|his|her|the)?\s*(?:[\w-]+\s+){0,3}$",
                     re.IGNORECASE)
STATE_ACTS = re.compile(r"\s+(?:[\"\u201c\u2018\u00ab]?(?:would|will|has|have|had|also|is|was|"
                        r"were|are|been|is\s+to|plans\s+to|is\s+ready\s+to|deeply|very|gravely|"
                        r"seriously)\s+)*[\"\u201c\u2018\u00ab]?", re.IGNORECASE)
# "Majali declined to criticise", "He stopped short of accusing": the subject still acts (or
# refuses to: the modality says which)
TO_ACT = re.compile(r"\s+(?:also\s+)?(?:declined|refused|wanted|agreed|promised|vowed|pledged|"
                    r"threatened|stopped\s+short\s+of|went\s+on)(?:\s+to)?\s+", re.IGNORECASE)
INVITED_TO = re.compile(r"\binvit\w*\s+(?:[\w'\u2019-]+\s+){0,4}to\s+$", re.IGNORECASE)
# "Dodoma and Kigali will also press ...": an act to come (not "A and B are our partners")
BOTH_WILL = re.compile(r"\s+(?:also\s+)?(?:will|would|shall|plan\s+to|intend\s+to|want\s+to|"
                       r"are\s+ready\s+to)\s+(?:also\s+)?(?:not\s+)?", re.IGNORECASE)
# "The two ministers also said they ...": both speak, for their two states
SPEAKERS_BOTH = re.compile(r"\s*(?:the|both)\s+(?:two\s+)?(?:[\w-]+\s+)?(?:ministers|leaders|"
                           r"presidents|governments|sides)\s+(?:also\s+)?(?:said|agreed|stressed)"
                           r"\s+(?:that\s+)?(?:they|both)\b", re.IGNORECASE)
THANKED = re.compile(r"\b(?:thank\w*|prais\w*|commend\w*|hail\w*|welcom\w*)\s+(?:the\s+)?$",
                     re.IGNORECASE)
THANKED_FOR = re.compile(r"\s+for\s+(?:its|his|her|their|the)\s+(?:[\w-]+\s+)?", re.IGNORECASE)
MORE_THAN = re.compile(r"\bnot\s+(?:only|just|merely)\s+(?:a|an|our|the)?\s*$", re.IGNORECASE)
BOTH_ACT = re.compile(r"\b(?:the two|both)\s+(?:[\w-]+\s+)?(ministers|leaders|presidents|"
                      r"governments|countries|sides)\s+(?:also\s+|have\s+|had\s+)?$",
                      re.IGNORECASE)
CRITICAL = {"Criticism"}  # a joint statement criticises neither of its own two states
# A text the two sides issued together: its stances are each state's, with no one speaking
JOINT_TEXT = re.compile(r"\b(?:the|a|their)\s+joint\s+(?:statement|declaration|communiqu[e\u00e9]|"
                        r"press\s+release)\b", re.IGNORECASE)
JOINT_GOES_ON = re.compile(r"[\"'\u201c\u2018]?(?:It|The\s+(?:joint\s+)?(?:statement|declaration|"
                           r"communiqu[e\u00e9]|text|document))\s+(?:also\s+|[a-z]+ly\s+)*"
                           r"[a-z]+s\b")
CLAUSE_VERB = re.compile(r"\s+(?:is|was|will|would|has|had|wants?|wanted|seeks?|remains?|"
                         r"intends?|plans?|and\s+\w+\s+would|and\s+\w+\s+will)\b")


@dataclass
class Context:
    doc: Document
    lexicon: Lexicon
    mentions: list[Mention]
    disc: Discourse
    quotes: list[Quotation]
    quote_items: dict[int, DQuote]  # by quotation index
    attributions: list[Attribution]
    state_of: dict[str, str]  # person ident -> state key
    speech_date: dict[str, dt.date]  # person ident -> a date they spoke
    speech_event: dict[str, str]  # person key -> event id
    publisher: str
    outlets: dict[str, str]  # media org key -> label
    reference: dt.date
    entity_types: dict[str, str]
    events: list = field(default_factory=list)  # the draft's events (for implied counterparts)
    city_state: dict[str, str] = field(default_factory=dict)  # a capital's key -> its state


def find_stances(ctx: Context) -> list[DStance]:
    doc, lexicon = ctx.doc, ctx.lexicon
    found: list[DStance] = []
    told: list[tuple[DStance, Sentence, CueMatch]] = []  # cue-found: sentence and cue
    for sentence in doc.body_sentences():
        matches = find_cues(lexicon.stance_cues, doc.text, sentence.start, sentence.end,
                            compatible=lambda a, b: _siblings(lexicon, a, b))
        for cue in matches:
            rule = lexicon.stances[cue.concept]
            if _in_a_name(doc.text, cue, sentence):
                continue  # "The Alliance is not the property of any government": a bloc's name
            if MORE_THAN.search(doc.text[max(sentence.start, cue.start - 16):cue.start]):
                continue  # "not only our neighbour, it is our strategic partner": the more
            if GENERIC.search(doc.text[sentence.start:cue.start][-40:]) and \
                    "partner" in doc.text[cue.start:cue.end].lower():
                continue  # "all ... partners", "cooperation with our partners", "this partnership"
            if _ours_in_general(doc.text, cue, sentence):
                continue  # "shown our evidence to our allies": all of them, no one named
            joint = _joint_text(ctx, cue, sentence)
            holders = list(joint) if joint else _states_acting(ctx, cue, sentence) \
                if rule.holder_is_state else _parties_acting(ctx, cue, sentence)
            for holder in holders:
                stance = _stance(ctx, rule, cue, sentence, holder, joint)
                if stance is not None:
                    found.append(stance)
                    told.append((stance, sentence, cue))
    found = _typed_charges(ctx, found, told)
    found += find_joint_intents(ctx, found)
    found += find_state_intents(ctx, found)
    return _merge(found)


def _states_acting(ctx: Context, cue: CueMatch, sentence: Sentence) -> list[str | None]:
    """For a state's stance: "Dodoma and Kigali will also press the EAC", "The two ministers also
    said they wanted to revive the commission": each of the two states holds it; otherwise the
    holder is found from the clause (None)."""
    text = ctx.doc.text
    states = [m for m in ctx.mentions if sentence.start <= m.start < cue.start and m.linked and
              m.etype == "Country" and m.role in ("", "state") and not m.possessive]
    for a, b in zip(states, states[1:], strict=False):
        if a.key != b.key and re.fullmatch(r"\s+and\s+", text[a.end:b.start]) and \
                BOTH_WILL.fullmatch(text[b.end:cue.start]) and not re.search(
                    r"\b(?:with|between|to|for|of|by|whether|if)\s+$",
                    text[sentence.start:a.start]):
            return [a.key, b.key]
    if SPEAKERS_BOTH.match(text[sentence.start:cue.start]):
        pair = _pair_told(ctx, sentence, people=False)
        if pair:
            return list(pair)
    return [None]


def _joint_text(ctx: Context, cue: CueMatch, sentence: Sentence) -> tuple[str, str] | None:
    """ "The joint statement describes ...", "It strongly condemns ..." (after it): the two
    states of the last event told with two, each holding the stance, with no one speaking."""
    doc = ctx.doc
    text = doc.text
    if any(a.sentence is sentence and a.person is not None and a.verb.start < cue.start
           for a in ctx.attributions):
        return None  # "X told reporters after the joint statement ...": X speaks
    here = JOINT_TEXT.search(text, sentence.start, cue.start)
    if here is None:
        i = doc.sentences.index(sentence)
        before = doc.sentences[i - 1] if i > 0 else None
        if before is None or before.paragraph < sentence.paragraph - 1 or \
                not JOINT_GOES_ON.match(text, sentence.start) or \
                not (JOINT_TEXT.search(text, before.start, before.end) or
                     JOINT_GOES_ON.match(text, before.start)):
            return None
    pair = _pair_told(ctx, sentence, people=False)
    return (pair[0], pair[1]) if len(pair) == 2 else None


def _joint_day(ctx: Context, sentence: Sentence) -> dt.date | None:
    """The day of the last dated event told with the two states: when their statement came."""
    index = ctx.doc.sentences.index(sentence)
    for e in sorted((e for e in ctx.events if e.sentence <= index and e.date and
                     len(e.date) == 10 and e.status == "Occurred"), key=lambda e: -e.sentence):
        states = {ctx.state_of.get(k) or (k if ctx.entity_types.get(k) == "Country" else None)
                  for k in e.actors} - {None}
        if len(states) == 2:
            return dt.date.fromisoformat(e.date)
    return None


def _pair_told(ctx: Context, sentence: Sentence, people: bool) -> list[str]:
    """The two people (or states) of the last event told, up to `sentence`, with two."""
    index = ctx.doc.sentences.index(sentence)
    for e in sorted((e for e in ctx.events if e.sentence <= index), key=lambda e: -e.sentence):
        if people:
            pair = [k for k in e.actors if ctx.entity_types.get(k) == "Person"]
        else:
            states = (ctx.state_of.get(k) or (k if ctx.entity_types.get(k) == "Country" else None)
                      for k in e.actors)
            pair = list(dict.fromkeys(x for x in states if x))
        if len(pair) == 2:
            return pair
    return []


def _parties_acting(ctx: Context, cue: CueMatch, sentence: Sentence) -> list[str | None]:
    """ "The two ministers expressed concern", "Both governments voiced concern": each of the two
    people (or states) of the last event told with two of them acts; otherwise the holder is
    found from the clause (None)."""
    both = BOTH_ACT.search(ctx.doc.text[sentence.start:cue.start])
    if both is None:
        return [None]
    people = both.group(1).lower() not in ("governments", "countries", "sides")
    pair = _pair_told(ctx, sentence, people)
    if pair:
        return list(pair)
    if people:  # the last two people named, of two states ("Valdivieso ... and Arze")
        named: dict[str, str] = {}
        for m in sorted(ctx.mentions, key=lambda m: -m.start):
            state = ctx.state_of.get(m.key or "")
            if m.start < sentence.start and m.etype == "Person" and m.key and state and \
                    state not in named.values():
                named[m.key] = state
            if len(named) == 2:
                return list(named)
    return [None]


def _typed_charges(ctx: Context, found: list[DStance],
                   told: list[tuple[DStance, Sentence, CueMatch]]) -> list[DStance]:
    """An accusation whose charge has a type of its own ("accused Zambia of meddling", "stopped
    short of accusing China of interfering") is a stance of that type, held and aimed as the
    accusation is, and not a criticism besides."""
    text = ctx.doc.text
    kept = []
    for stance in found:
        cue = next((c for s, _, c in told if s is stance), None)
        if cue is not None and stance.type == "Criticism" and \
                text[cue.start:cue.end].lower().startswith("accus"):
            sentence = next(se for s, se, _ in told if s is stance)
            charge = re.search(r"\s+of\s+", text[cue.end:sentence.end])
            typed = charge and next((c for c in find_cues(
                ctx.lexicon.stance_cues, text, cue.end + charge.end(),
                min(sentence.end, cue.end + charge.end() + 60))
                if c.concept != "Criticism" and not ctx.lexicon.stances[c.concept].holder_is_state),
                None)
            if typed:
                if any(o.type == typed.concept and o.holder == stance.holder and
                       set(o.targets) == set(stance.targets) for o in found):
                    continue  # already found with its own holder and target
                stance.type = typed.concept
                stance.why.append(f'type: the charge "{text[typed.start:typed.end]}"')
        kept.append(stance)
    return kept


def _ours_in_general(text: str, cue: CueMatch, sentence: Sentence) -> bool:
    """ "our allies", "its partners" with no one named with them (", X and Y", "such as X",
    "in X"): a state's allies in general, a stance toward no one."""
    worded = text[cue.start:cue.end].lower()
    if not re.fullmatch(r"(?:allies|partners|friends)", worded):
        return False
    before = text[max(sentence.start, cue.start - 60):cue.start]
    if not re.search(r"\b(?:our|its|their)\s+(?:[\w-]+\s+)?$", before, re.IGNORECASE) or \
            re.search(r"\b(?:call\w*|describ\w*|regard\w*|nam\w+)\s+them\b", before):
        return False  # "calling them our closest partners": the ones named before
    return not re.match(r",?\s+(?:such\s+as|including|like|in|among|[A-Z])",
                        text[cue.end:sentence.end])


def _in_a_name(text: str, cue: CueMatch, sentence: Sentence) -> bool:
    """A cue word with a capital letter inside its sentence is (part of) a name."""
    before = text[sentence.start:cue.start].rstrip(" \"'\u201c\u2018\u00ab")
    return text[cue.start].isupper() and bool(re.search(r"\w$", before)) and \
        not re.search(r"[.:!?]$", before)


def _siblings(lexicon: Lexicon, a: CueMatch, b: CueMatch) -> bool:
    """Two narrower types of one broader type may share words ("strategic and trade partner")."""
    ra, rb = lexicon.stances[a.concept], lexicon.stances[b.concept]
    if a.concept == b.concept or a.concept in rb.broader or b.concept in ra.broader:
        return False
    return bool(ra.broader & rb.broader)


def _segment(doc: Document, sentence: Sentence, offset: int) -> Span:
    text = doc.text
    start, end = sentence.start, sentence.end
    for m in SEGMENT_BREAK.finditer(text, sentence.start, sentence.end):
        if m.end() <= offset:
            start = m.end()
        elif m.start() >= offset:
            end = m.start()
            break
    return Span(start, end)


def _stance(ctx: Context, rule: StanceRule, cue: CueMatch, sentence: Sentence,
            acting: str | None = None, joint: tuple[str, str] | None = None) -> DStance | None:
    """The stance a cue tells, held by `acting` when the clause names one of several holders."""
    doc = ctx.doc
    text = doc.text
    if rule.context and not find_cues(rule.context, text, doc.paragraphs[doc.headline + 1].start
                                      if len(doc.paragraphs) > doc.headline + 1 else 0,
                                      len(text)):
        return None  # "who endorsed Mwale in July" in an article about an election
    segment = _segment(doc, sentence, cue.start)
    if rule.target_types and INVITED_TO.search(text[sentence.start:cue.start]):
        return None  # "Belov invited him to attend the summit": the attending is not Belov's
    modality = _modality(ctx, segment, cue)
    if not rule.holder_is_state and modality == "Intended":
        modality = "Current"  # "accused him of seeking to ...": the intent is not the holder's
    if rule.modality and modality != rule.modality and \
            rule.modality not in _modalities(ctx, segment):
        return None  # "will not sit down with", "would join if asked": an intent, denied or not
    quote_i = next((i for i, q in enumerate(ctx.quotes) if q.start <= cue.start < q.end), None)
    quote = ctx.quote_items.get(quote_i) if quote_i is not None else None
    if quote_i is not None and quote is None and joint is None:
        return None  # in a quotation nobody could be found to have said
    why = [f'cue "{text[cue.start:cue.end]}" ({rule.concept})']
    if joint is not None:  # the words of a joint statement: no one speaks, both states hold it
        speaker, attribution, characterized_by = None, "ReportedSpeech", None
        why.append("the joint statement's, each state's")
    else:
        speaker, attribution, characterized_by = _who(ctx, cue, sentence, quote_i, quote)
    holder, holder_why = (acting, f"holder: {acting}, one of those who act") if acting else \
        _holder(ctx, rule, cue, sentence, segment, speaker, quote)
    if holder is None:
        return None
    why.append(holder_why)
    targets, target_why, as_worded, spans = find_targets(ctx, rule, cue, sentence, segment, holder,
                                                     speaker)
    if joint is not None:
        other = joint[1] if holder == joint[0] else joint[0]
        if not targets and not rule.target_types:  # "describes the relationship as ...": the
            targets, target_why = [other], "target: the other state of the joint statement"
        targets = [t for t in targets if t != other or rule.concept not in CRITICAL]
    if not targets:
        return None
    why.append(target_why)
    stance = DStance(type=rule.concept, holder=holder, targets=targets, polarity=rule.polarity,
                     modality=modality, attribution=attribution, why=why,
                     speaker=speaker.key if speaker else None)
    if quote is not None:
        stance.pending = list(quote.pending)
    if as_worded:
        stance.target_as_worded, stance.target_confidence = as_worded, 0.6
    if characterized_by:
        stance.characterized_by = characterized_by
    if quote is not None:
        stance.expressed_in = quote.ref
        stance.expressed_during = quote.uttered_in
        stance.stated_on = quote.uttered_on
    elif speaker is not None and speaker.key in ctx.speech_event and \
            attribution != "ReportedSpeech":
        stance.expressed_during = ctx.speech_event[speaker.key]
    if stance.stated_on is None and joint is not None:
        stance.stated_on = _joint_day(ctx, sentence)
    if stance.stated_on is None:
        stance.stated_on = _date(ctx, sentence, segment, speaker, rule)
    if stance.stated_on is None:
        stance.stated_before = ctx.reference
        why.append(f"undated: stated before the publication date {ctx.reference}")
    intensifier = _intensifier(ctx, cue)
    if intensifier:
        stance.intensifier = text[intensifier.start:intensifier.end]
        stance.strength = ctx.lexicon.intensifiers.get(stance.intensifier.lower())
    lo = min([cue.start, *[sp.start for sp in spans]])
    hi = max([cue.end, *[sp.end for sp in spans]])
    for q in ctx.quotes:  # end with the quotation's closing mark, not inside it
        if q.start < hi < q.end and not q.continues and lo < q.start and q.end - hi < 40:
            hi = q.end + 1
    stance.evidence = [Span(lo, hi)]
    stance.confidence = min(0.9, (speaker.confidence if speaker else 0.8)) - (
        0.1 if "nearest" in target_why else 0.0)
    return stance


def _modalities(ctx: Context, segment: Span) -> set[str]:
    """Every modality a cue of the segment tells ("not only" is no negation)."""
    found = find_cues(ctx.lexicon.modality, ctx.doc.text, segment.start, segment.end)
    return {m.concept for m in found if not (
        m.concept == "Negated" and re.match(r"\s+only\b", ctx.doc.text[m.end:m.end + 6]))}


def _modality(ctx: Context, segment: Span, cue: CueMatch) -> str:
    concepts = _modalities(ctx, segment)
    for modality in ("Negated", "Hypothetical", "Intended"):
        if modality in concepts:
            return modality
    return "Current"


def _who(ctx: Context, cue: CueMatch, sentence: Sentence, quote_i: int | None,
         quote: DQuote | None) -> tuple[Person | None, str, str | None]:
    """The speaker, the attribution type and (for a characterisation) the outlet."""
    doc = ctx.doc
    if quote is not None:
        new = None if quote.speaker else quote.pending[0]
        person = Person(quote.speaker, new, "", "the quote's speaker", quote.confidence)
        return person, "IndirectQuote" if quote.fragment else "DirectQuote", None
    characterizing = find_cues(ctx.lexicon.characterization, doc.text, sentence.start, cue.start)
    here = [a for a in ctx.attributions if a.sentence is sentence and a.person is not None]
    if characterizing:
        outlet = _reporting_outlet(ctx, sentence)
        subject = subject_before(doc, ctx.disc, characterizing[-1].start, sentence)
        person = ctx.disc.person_of(subject) if subject else None
        earlier = [a for a in here if a.verb.start < characterizing[-1].start]
        if person is None and earlier:  # "X has called ... but signaled that ..."
            person = earlier[-1].person
        return person, "JournalistCharacterization", outlet or ctx.publisher
    if here:
        a = min(here, key=lambda a: abs(a.verb.start - cue.start))
        fragments = [q for q in ctx.quotes if sentence.start <= q.start < sentence.end]
        return a.person, "IndirectQuote" if fragments else "ReportedSpeech", None
    return None, "JournalistCharacterization", _reporting_outlet(ctx, sentence) or ctx.publisher


def _reporting_outlet(ctx: Context, sentence: Sentence) -> str | None:
    for m in ctx.mentions:
        if m.etype == "MediaOrganization" and sentence.start <= m.start < sentence.end and \
                re.match(r"\s+(?:reported|noted|wrote|said)\b", ctx.doc.text[m.end:m.end + 12]):
            return m.key
    return None


def subject_before(doc: Document, disc: Discourse, offset: int, sentence: Sentence) -> Ref | None:
    """The phrase a verb or cue at `offset` is said of ("Atambaev criticized", "who backed")."""
    for ref in reversed([r for r in disc.refs if sentence.start <= r.start and r.end <= offset]):
        gap = doc.text[ref.end:offset]
        if GAP_BEFORE.match(gap) or re.fullmatch(r",?\s+who\s+", gap) or TO_ACT.fullmatch(gap):
            return ref
        if re.search(r"[.;:\"\u201c\u201d\u00ab\u00bb]", gap):
            return None
    return None


def _holder(ctx: Context, rule: StanceRule, cue: CueMatch, sentence: Sentence, segment: Span,
            speaker: Person | None, quote: DQuote | None) -> tuple[str | None, str]:
    doc = ctx.doc
    if rule.holder_is_state:
        subject = _clause_state(ctx, segment, cue)
        if subject is not None and quote is None:
            return subject.key, f'holder "{doc.text[subject.start:subject.end]}" (subject of the ' \
                                "clause)"
        if speaker is not None:
            state = ctx.state_of.get(speaker.ident)
            if state:
                return state, f"holder: the state {speaker.label or speaker.key} speaks for"
        if subject is not None:
            return subject.key, f'holder "{doc.text[subject.start:subject.end]}"'
        if speaker is not None and speaker.key and ctx.entity_types.get(speaker.key) == "Person":
            # one who speaks for no state (a candidate, an opposition leader) holds it
            return speaker.key, f"holder: {speaker.label or speaker.key}, who speaks for no state"
        return None, ""
    state = next((m for m in ctx.mentions if segment.start <= m.start < cue.start and m.linked
                  and m.etype == "Country" and m.role in ("", "state") and not m.possessive and
                  STATE_ACTS.fullmatch(doc.text[m.end:cue.start]) and not (
                      quote is not None and m.start >= quote.span.start) and not (
                      rule.charge and _reported(ctx, sentence, m.start))), None)
    if state is not None:  # "Argentina would invite", "Tokyo was “deeply concerned”": the state
        return state.key, f'holder "{doc.text[state.start:state.end]}" (the state that acts)'
    if quote is not None and speaker is not None and speaker.key:
        return speaker.key, "holder: the speaker"
    agent = passive_agent(ctx, cue, sentence)
    if agent is not None:  # "were criticised by Madagascar's parliament"
        return agent.key, f'holder "{agent.surface}" (by whom it was done)'
    lead = doc.text[sentence.start:cue.start]
    if re.search(r"(?:\b(?:after|before|while|when|by)|,)\s+$", lead) and \
            re.match(r"\w+ing\b", doc.text[cue.start:cue.end]) or \
            re.search(r"\band\s+(?:also\s+)?(?:[a-z]+ed\s+)?$", lead) or \
            re.search(r"\b(?:summoned|recalled|expelled)\b[^,;]*\bto\s+$", lead):
        subject = _clause_subject(ctx, sentence, cue.start)
        if subject is not None:  # "Bahrain, which recalled its envoy after accusing Iran",
            return subject.key, f'holder "{subject.surface}" (who did it)'  # "X ... and voiced"
    thanked = next((m for m in ctx.mentions if sentence.start <= m.start < cue.start and m.linked
                    and m.is_agent and THANKED.search(doc.text[sentence.start:m.start]) and
                    THANKED_FOR.fullmatch(doc.text[m.end:cue.start])), None)
    if thanked is not None:  # "thanked Lithuania for its support of ...": Lithuania's support
        return thanked.key, f'holder "{thanked.surface}", thanked for it'
    inviter = re.match(r"\s+(?:of|from)\s+", doc.text[cue.end:cue.end + 8])
    if inviter and doc.text[cue.start:cue.end].lower().startswith("invitation"):
        after = [m for m in ctx.mentions if m.start >= cue.end and m.linked and m.is_agent
                 and m.role not in ("adjective", "title")]  # "from Chadian President X": X
        if after:
            return after[0].key, f'holder: "invitation {inviter.group().strip()} ' \
                                 f'{doc.text[after[0].start:after[0].end]}"'
    owner = next((m for m in ctx.mentions if m.linked and m.possessive and m.is_agent and
                  m.end + 2 <= cue.start and re.fullmatch(r"['\u2019]s\s+",
                                                           doc.text[m.end:cue.start])), None)
    if owner is not None:
        return owner.key, f'holder "{owner.surface}\'s"'
    verbs = [a for a in ctx.attributions if a.sentence is sentence and a.verb.start <= cue.start
             and a.subject is not None]
    subject = verbs[-1].subject if verbs else subject_before(doc, ctx.disc, cue.start, sentence)
    if subject is not None:
        person = ctx.disc.person_of(subject)
        key = person.key if person else subject.key
        if key:
            return key, f'holder "{doc.text[subject.start:subject.end]}" (who acts)'
    return None, ""


# "Mauritania's foreign ministry summoned ...": the state acts through its organ
STATE_ORGAN = re.compile(r"['\u2019]s\s+(?:foreign\s+ministry|foreign\s+office|government|"
                         r"cabinet|presidency|embassy|ministry\s+of\s+foreign\s+affairs)\b",
                         re.IGNORECASE)


def _clause_subject(ctx: Context, sentence: Sentence, offset: int) -> Mention | None:
    """The subject of the clause an adverbial participle at `offset` belongs to: the antecedent
    of a relative clause (", which recalled ... after accusing"), else the sentence's subject."""
    text = ctx.doc.text
    before = [m for m in ctx.mentions if sentence.start <= m.start and m.end <= offset and
              m.linked and m.is_agent and m.role in ("", "state") and (
                  not m.possessive or STATE_ORGAN.match(text, m.end))]
    relative = [m for m in before if re.match(r",\s+(?:which|who)\b", text[m.end:m.end + 8])]
    if relative:
        return relative[-1]
    if before and re.fullmatch(r"[\s\"'\u201c\u2018]*(?:[^,.;]{0,30},\s+)?(?:the\s+)?",
                               text[sentence.start:before[0].start], re.IGNORECASE):
        return before[0]
    return None


def _reported(ctx: Context, sentence: Sentence, offset: int) -> bool:
    """Whether a reporting verb before `offset` tells the clause ("Berg said Sweden was
    interfering": Sweden is charged, Berg charges)."""
    return any(a.sentence is sentence and a.verb.end <= offset and a.person is not None
               for a in ctx.attributions)


def _clause_state(ctx: Context, segment: Span, cue: CueMatch) -> Mention | None:
    """A state standing as the subject of the cue's clause ("Bishkek is eager to ...")."""
    for m in ctx.mentions:
        if segment.start <= m.start < cue.start and m.linked and m.etype == "Country" and \
                m.role in ("", "state") and not m.possessive and \
                CLAUSE_VERB.match(ctx.doc.text[m.end:m.end + 24]):
            return m
    return None


def _date(ctx: Context, sentence: Sentence, segment: Span, speaker: Person | None,
          rule: StanceRule) -> dt.date | None:
    if speaker is not None and rule.holder_is_state:
        spoke = ctx.speech_date.get(speaker.key or speaker.ident)
        if spoke:
            return spoke
    return None


def _intensifier(ctx: Context, cue: CueMatch) -> Span | None:
    text = ctx.doc.text
    window_start = cue.start
    for _ in range(4):
        prev = text.rfind(" ", 0, window_start - 1)
        if prev < 0:
            break
        window_start = prev + 1
    window = text[window_start:cue.end].lower()
    for word in sorted(ctx.lexicon.intensifiers, key=len, reverse=True):
        m = re.search(rf"\b{re.escape(word)}\b", window)
        if m:
            return Span(window_start + m.start(), window_start + m.end())
    return None


def _merge(stances: list[DStance]) -> list[DStance]:
    """One stance per identity (the converter's IRI): evidence pooled, strongest attribution."""
    by_id: dict[tuple, DStance] = {}
    for s in stances:
        kept = by_id.get(s.identity)
        if kept is None:
            by_id[s.identity] = s
            continue
        kept.evidence += [e for e in s.evidence if e not in kept.evidence]
        if STRENGTH[s.attribution] > STRENGTH[kept.attribution]:
            kept.attribution, kept.expressed_in = s.attribution, s.expressed_in or kept.expressed_in
            kept.characterized_by = s.characterized_by
        kept.modality = kept.modality if kept.modality != "Current" else s.modality
        kept.intensifier = kept.intensifier or s.intensifier
        kept.strength = kept.strength if kept.strength is not None else s.strength
        kept.confidence = max(kept.confidence, s.confidence)
        kept.why += [w for w in s.why if w not in kept.why]
    return list(by_id.values())
