"""A state's intent toward another, told by the shape of the clause rather than a cue word: a
state as the subject of a future or refused action done with, to or from another state ("Honduras
would ask the United States and Mexico to help", "Tonga will not sign a security agreement with
Beijing", "Dhaka will keep talking to Delhi", "La Paz would not negotiate ... with Santiago").
It is an intent to cooperate held by the first toward the others, negated when refused. As with
joint intents (joint.py), no cue list could name every such action."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .gazetteer import Mention
from .items import DStance
from .text import Sentence, Span

if TYPE_CHECKING:
    from .stances import Context

INTENT = "IntentToCooperate"
# The subject's modal: "will", "would", "is ready to", "plans to" (with "not"/"never": refused).
MODAL = re.compile(r"\s+(?:also\s+)?(?:will|would|shall|"
                   r"(?:is|was)\s+[\"\u201c\u00ab\u2018']?ready\s+to|"
                   r"plans\s+to|intends\s+to|wants\s+to)"
                   r"(?P<neg>\s+[\"\u201c\u00ab\u2018']?(?:not|never)|n['\u2019]t)?\b",
                   re.IGNORECASE)
# The action up to the other state: no clause break, no other subject in between.
ACTION = re.compile(r"^(?P<words>[^.;:,]{1,70}?)\b(?P<prep>with|to|from|"
                    r"ask|asks)\s+(?:the\s+)?$", re.IGNORECASE)
NOT_AN_ACT = re.compile(r"\b(?:respond|retaliat\w*|tolerate|accept\s+threats|attack\w*|fight\w*|"
                        r"war|sanction\w*|compete|defend|protect)\b", re.IGNORECASE)


def find_state_intents(ctx: Context, found: list[DStance]) -> list[DStance]:
    """The intents of this shape that `found` (the stances found so far) lacks."""
    doc = ctx.doc
    rule = ctx.lexicon.stances.get(INTENT)
    if rule is None:
        return []
    intents: list[DStance] = []
    for sentence in doc.body_sentences():
        for holder, modal, targets, action in _clauses(ctx, sentence):
            if any(s.holder == holder.key and any(
                    e.start < action.end and action.start < e.end for e in s.evidence) and (
                    s.type != INTENT or set(s.targets) & set(targets)) for s in found + intents):
                continue  # a cue in the action tells it ("would keep balanced relations with")
            stance = DStance(type=INTENT, holder=holder.key, targets=targets,
                             polarity=rule.polarity,
                             modality="Negated" if modal.group("neg") else "Intended",
                             why=[f'holder: "{holder.surface}", the subject of an action with '
                                  f"{', '.join(targets)} ({INTENT})"])
            if not _attribute(ctx, stance, sentence, holder.start):
                continue  # in a quotation nobody could be found to have said
            stance.evidence = [Span(holder.start, _end(ctx, sentence))]
            stance.confidence = 0.6
            intents.append(stance)
    return intents


def _clauses(ctx: Context, sentence: Sentence):
    """(holder, modal, targets, action) for each "State will ... with State" clause."""
    text = ctx.doc.text
    states = [m for m in ctx.mentions if sentence.start <= m.start < sentence.end and m.linked and
              m.etype == "Country" and m.role in ("", "state") and not m.possessive]
    for holder in states:
        modal = MODAL.match(text, holder.end)
        if modal is None or re.search(r"\b(?:and|or|with|of|to|from|than)\s+$",
                                      text[max(sentence.start, holder.start - 8):holder.start]):
            continue  # "Nigeria and Cameroon would ...": a joint subject (joint.py)
        if re.search(r"\b(?:whether|if)\s+$", text[max(sentence.start, holder.start - 9):
                                                  holder.start]):
            continue  # "Asked whether Georgia would ...": a question, no one's intent
        for other in (m for m in states if m.start > modal.end() and m.key != holder.key):
            action = ACTION.match(text[modal.end():other.start])
            if action is None or any(modal.end() <= m.start < other.start for m in states):
                break  # "back Armenia in its dispute with Azerbaijan": not Azerbaijan's
            if NOT_AN_ACT.search(action.group("words")):
                break
            targets = [other.key] + [m.key for m in _listed_after(ctx, states, other)]
            yield holder, modal, list(dict.fromkeys(k for k in targets if k != holder.key)), \
                Span(modal.end(), other.start)
            break


def _listed_after(ctx: Context, states: list[Mention], first: Mention) -> list[Mention]:
    """ "the United States and Mexico", "Venezuela and with Ecuador": the states listed after."""
    chain, end = [], first.end
    for m in (m for m in states if m.start >= first.end):
        gap = ctx.doc.text[end:m.start]
        if not re.fullmatch(r",?\s*(?:and\s+|or\s+)?(?:with\s+)?(?:the\s+)?", gap):
            break
        chain.append(m)
        end = m.end
    return chain


def _attribute(ctx: Context, stance: DStance, sentence: Sentence, offset: int) -> bool:
    """Who says so: the quote's speaker, the reporting verb's subject, or the outlet (False: a
    quotation with no speaker found)."""
    quote_i = next((i for i, q in enumerate(ctx.quotes) if q.start <= offset < q.end), None)
    quote = ctx.quote_items.get(quote_i) if quote_i is not None else None
    if quote_i is not None and quote is None:
        return False
    said = [a for a in ctx.attributions if a.sentence is sentence and a.person is not None]
    if quote is not None:
        stance.attribution = "IndirectQuote" if quote.fragment else "DirectQuote"
        stance.speaker, stance.expressed_in = quote.speaker, quote.ref
        stance.expressed_during, stance.stated_on = quote.uttered_in, quote.uttered_on
        stance.pending = list(quote.pending)
    elif said:
        stance.attribution, stance.speaker = "ReportedSpeech", said[0].person.key
    else:
        stance.attribution, stance.characterized_by = "JournalistCharacterization", ctx.publisher
    if stance.stated_on is None:
        stance.stated_before = ctx.reference
    return True


def _end(ctx: Context, sentence: Sentence) -> int:
    text = ctx.doc.text
    end = sentence.end
    while end > sentence.start and text[end - 1] in " .\n\"\u201d'\u2019\u00bb":
        end -= 1
    return end
