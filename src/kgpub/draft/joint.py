"""Joint intentions: two states as the subject of a future or agreed action ("Latvia and Sweden
will share ...", "the foreign ministers of Colombia and Venezuela agreed to set up ...", "the two
countries would coordinate ...", "The sides agreed to hold ...") are an intent to cooperate held
by each of them toward the other. The cue is the shape of the clause, not a word: no cue list
names every joint action (a ferry link, a coastguard cell, gauging stations)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .gazetteer import Mention
from .items import DStance
from .text import Sentence, Span

if TYPE_CHECKING:
    from .stances import Context

INTENT = "IntentToCooperate"
# What may stand between the subject and its verb: a time ("yesterday", "on Wednesday"), "both".
_BETWEEN = r"(?:\s+(?:yesterday|today|also|both|jointly|now|on\s+\w+day|last\s+\w+|this\s+\w+))*"
_VERB = (r"\s+(?:will|would|shall|are\s+to|ha(?:ve|d)\s+(?:also\s+)?agreed|agreed|decided|"
         r"pledged|vowed|promised|plan|planned|intend|intended|are\s+ready|were\s+ready)\b"
         r"(?!\s+not\b|n['\u2019]t)")
JOINT_VERB = re.compile(_BETWEEN + _VERB, re.IGNORECASE)
# "A and B reopened the crossing on Wednesday, ..., and agreed to set up joint patrols": the
# agreement is the pair's, told after a first act of theirs.
LATER_VERB = re.compile(r"\s+\w+ed\b[^.;:\"\u201c\u00ab]{0,160}?,?\s+and\s+(?:also\s+)?"
                        r"agreed\s+(?:to|that)\b", re.IGNORECASE)
# "the foreign ministers of", "the leaders of", "the prime ministers of": the states' people.
PEOPLE_OF = re.compile(r"\b(?:the\s+)?(?:[\w-]+\s+){0,2}(?:ministers|leaders|presidents|"
                       r"governments|heads\s+of\s+state|delegations)\s+of\s+$", re.IGNORECASE)
TWO_SIDES = re.compile(r"\b(?:the\s+two|both|our\s+two)\s+(?:countries|sides|nations|states|"
                       r"governments|neighbou?rs|leaders|ministers|presidents|prime\s+ministers|"
                       r"foreign\s+ministers|defen[cs]e\s+ministers|navies|armies)\b|"
                       r"\bthe\s+sides\b", re.IGNORECASE)
NOT_SUBJECT = re.compile(r"\b(?:with|between|among|against|from|to|for|of|in|on|by|and|or)\s+$",
                         re.IGNORECASE)


def find_joint_intents(ctx: Context, found: list[DStance]) -> list[DStance]:
    """The joint intents of the article that `found` (the cue-found stances) lacks; none in a
    sentence where `found` already has one between the two states, whose cue names its type
    better."""
    doc = ctx.doc
    text = doc.text
    rule = ctx.lexicon.stances.get(INTENT)
    if rule is None:
        return []
    intents: list[DStance] = []
    for sentence in doc.body_sentences():
        named = _pair_named(ctx, sentence)
        joint = named or _pair_implied(ctx, sentence)
        if joint is None:
            continue
        (a, b), start, why = joint
        if any(q.start <= start < q.end for q in ctx.quotes):
            continue  # one person speaks inside a quotation, for one side
        if any(s.holder in (a, b) and set(s.targets) & {a, b} and
               any(sentence.start <= e.start < sentence.end for e in s.evidence) for s in found):
            continue
        end = sentence.end
        while end > start and text[end - 1] in " .\n\"\u201d'\u2019":
            end -= 1
        said = [at for at in ctx.attributions if at.sentence is sentence and (
            at.person is not None or (at.subject is not None and at.subject.kind != "agent"))]
        speakers = {ctx.state_of.get(at.person.ident): at.person.key for at in said if at.person}
        pairs = [(a, b), (b, a)]
        if named is None and said:  # "X said the two countries would": X's side, if known
            pairs = [p for p in pairs if p[0] in speakers]
        for holder, target in pairs:
            if any(s.holder == holder and s.type == INTENT and s.targets == [target]
                   for s in found):
                continue
            speaker = speakers.get(holder)
            stance = DStance(type=INTENT, holder=holder, targets=[target],
                             polarity=rule.polarity, modality="Intended",
                             attribution="ReportedSpeech" if said else
                             "JournalistCharacterization",
                             speaker=speaker, why=[why, "type: a joint action to come, "
                                                   f"held by each of the two ({INTENT})"])
            if not said:
                stance.characterized_by = ctx.publisher
            stance.stated_before = ctx.reference
            stance.evidence = [Span(start, end)]
            stance.confidence = 0.6
            intents.append(stance)
    return intents


def _states_in(ctx: Context, start: int, end: int) -> list[Mention]:
    return [m for m in ctx.mentions if start <= m.start and m.end <= end and m.linked and
            m.etype == "Country" and m.role in ("", "state") and not m.possessive]


def _pair_named(ctx: Context, sentence: Sentence) -> tuple[tuple[str, str], int, str] | None:
    """ "A and B <verb>" or "the ministers of A and B <verb>", A and B two states."""
    text = ctx.doc.text
    states = _states_in(ctx, sentence.start, sentence.end)
    for a, b in zip(states, states[1:], strict=False):
        if a.key == b.key or not re.fullmatch(r"\s+and\s+", text[a.end:b.start]):
            continue
        verb = JOINT_VERB.match(text[b.end:b.end + 60]) or LATER_VERB.match(
            text[b.end:min(sentence.end, b.end + 200)])
        if not verb or re.match(r"\s*(?:[\w-]+\s+){0,3}[\"\u201c\u00ab'\u2018]",
                                  text[b.end + verb.end():b.end + verb.end() + 40]):
            continue  # the action in quotation marks is someone's words: the cues read them
        lead = text[sentence.start:a.start]
        people = PEOPLE_OF.search(lead)
        if people is None and NOT_SUBJECT.search(lead):
            continue
        start = sentence.start + people.start() if people else a.start
        return (a.key, b.key), start, f'holders: "{a.surface} and {b.surface}", the subject ' \
                                      "of a joint action"
    return None


def _pair_implied(ctx: Context, sentence: Sentence) -> tuple[tuple[str, str], int, str] | None:
    """ "the two countries would ...", "The sides agreed to ...": the two states this sentence
    and the one before name."""
    text = ctx.doc.text
    for m in TWO_SIDES.finditer(text, sentence.start, sentence.end):
        if not JOINT_VERB.match(text[m.end():m.end() + 60]) and not LATER_VERB.match(
                text[m.end():min(sentence.end, m.end() + 200)]):
            continue
        if NOT_SUBJECT.search(text[max(sentence.start, m.start() - 12):m.start()]):
            continue
        pair = _the_two(ctx, sentence, sides=bool(re.search(r"sides", m.group(), re.I)))
        if pair is None:
            return None
        return pair, m.start(), f'holders: "{m.group()}", the two states of the article'
    return None


def _the_two(ctx: Context, sentence: Sentence, sides: bool = False) -> tuple[str, str] | None:
    """The two states named in this sentence and the one before, if exactly two are; else,
    for "the sides" (whose people the text may have told in a third party's company), the two
    of the last event told with two states' people."""
    doc = ctx.doc
    i = doc.sentences.index(sentence)
    near = {m.key for m in _states_in(ctx, doc.sentences[max(i - 1, 0)].start, sentence.end)}
    if len(near) != 2 and sides:  # "The sides agreed": the states of the last event with two
        near = next((pair for pair in (_states_of(ctx, e) for e in sorted(
            ctx.events, key=lambda e: -e.sentence) if e.sentence <= i) if len(pair) == 2), set())
    if len(near) != 2:
        return None
    a, b = sorted(near)
    return a, b


def _states_of(ctx: Context, event) -> set[str]:
    return {s for s in (ctx.state_of.get(k) or (k if ctx.entity_types.get(k) == "Country" else
                                                None) for k in event.actors) if s}
