"""Speakers: reporting verbs before or after a quote ("X said", "said X", "according to X",
"X said: ..."; a participle after a comma, ", calling it", or a verb after "and" with no subject
of its own takes the sentence's subject), the sentence's speaker for partial quotes, the previous
quote's speaker for a quote paragraph that names nobody, the next piece's speaker for a quotation
over paragraphs that names its speaker only at its end, and the medium ("told TASS", "in an
interview with ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .discourse import Discourse, Person, Ref
from .gazetteer import Mention
from .lexicon import Cue, CueMatch, find_cues
from .quotes import Quotation
from .text import Document, Sentence

# Between a subject and its verb: an apposition, adverbs, auxiliaries, a day.
# (a relative clause may hold commas of its own: "X, who arrived on Wednesday, a day ahead of
# his president, said")
GAP_BEFORE = re.compile(r"^(?:,\s+(?:who|whose)\s[^\"\u201c\u201d\u00ab\u00bb.;:]{0,200}?,|"
                        r",[^,\"\u201c\u201d\u00ab\u00bb]{0,160},)?(?:\s+|,\s*)?"
                        r"(?:(?:also|only|then|later|"
                        r"again|further|has|have|had|was|is|were|on\s+\w+day|yesterday|today|"
                        r"last\s+(?:week|month|year|\w+day)|"
                        r"on\s+\w+\s+\d+)[\s,]+)*$", re.IGNORECASE)
GAP_AFTER = re.compile(r"^\s+(?:(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+)?$")  # "said Mr Lawson"
# "X, who accompanied Y, answered": Y is in X's relative clause, not the subject
IN_RELATIVE_CLAUSE = re.compile(r",\s+(?:who|whom|whose|which)\s[^,\"\u201c\u201d\u00ab\u00bb]*$")
OBJECT_OF_PREPOSITION = re.compile(r"\b(?:to|of|with|for|by|from|about|than|like)\s+$",
                                   re.IGNORECASE)
MEDIUM_LEAD = re.compile(r"(?:told|to|with|tells|interview\s+with|speaking\s+to)\s+(?:the\s+)?"
                         r"(?:[A-Za-z-]+\s+){0,4}$", re.IGNORECASE)
# Verbs whose next name is their object, never their subject
TRANSITIVE = {"told", "tells", "accused", "accuses", "accusing", "criticised", "criticized",
              "regarded", "thanked", "invited", "urged", "called", "calls", "calling",
              "described", "describes", "describing", "asked", "assured", "praising",
              "slammed", "warning", "recalled", "recalls"}
# "quoted X as saying", "cited X as describing": the words are X's
QUOTED_AS = re.compile(r"\b(?:quoted|quotes|quoting|cited|cites|citing)\s+$", re.IGNORECASE)
OUTLET_NOUNS = ("newspaper", "paper", "agency", "bulletin", "broadcaster", "website", "magazine",
                "station", "channel", "outlet", "daily", "weekly")


@dataclass
class Attribution:
    verb: CueMatch
    sentence: Sentence
    subject: Ref | None
    person: Person | None
    medium: str | None = None
    after_quote: Quotation | None = None
    # "the two ministers said": both, each the speaker of its own copy of the quote (no person:
    # the verb's subject is no one person for events and stances)
    pair: list[Person] = field(default_factory=list)

    @property
    def who(self) -> Person | None:
        """The speaker of the quotes this verb reports: the person, or the first of a pair."""
        return self.person or (self.pair[0] if self.pair else None)

    @property
    def agent(self) -> str | None:
        """A state or organisation as subject ("Seoul welcomed"): no person, but a holder."""
        return self.subject.key if self.subject is not None and self.subject.kind == "agent" \
            else None


@dataclass
class Speaker:
    quote: Quotation
    person: Person
    attribution: Attribution | None
    confidence: float
    why: str


def find_attributions(doc: Document, disc: Discourse, reporting: list[Cue],
                      quotes: list[Quotation], mentions: list[Mention],
                      publisher: tuple[str, str] | None) -> list[Attribution]:
    """Every reporting verb outside quotation marks, with its subject resolved."""
    out: list[Attribution] = []
    inside = [q.outer for q in quotes]
    for sentence in doc.sentences:
        for verb in find_cues(reporting, doc.text, sentence.start, sentence.end):
            if any(s.start <= verb.start < s.end for s in inside):
                continue
            before = [q for q in quotes if sentence.start <= q.outer.start
                      and q.outer.end <= verb.start and not q.continues]
            closing = before[-1] if before and verb.start - before[-1].outer.end <= 100 else None
            inverted = closing is not None and re.fullmatch(
                r"[,.]?\s*", doc.text[closing.outer.end:verb.start]) is not None
            earlier = [a for a in out if a.sentence is sentence and a.subject is not None]
            if earlier and re.search(r"\b(?:and|but)\s+(?:also\s+)?$",
                                     doc.text[max(0, verb.start - 12):verb.start]):
                subject = earlier[-1].subject  # "X criticized Y and accused him"
            elif verb.cue.text.endswith("ing") and re.search(r",\s*$", doc.text[
                    max(sentence.start, verb.start - 3):verb.start]):
                # "X condemned the seizure, calling it ...": the participle's subject is the
                # sentence's
                subject = disc.sentence_subject(sentence, ("person", "name", "role", "pronoun"))
            else:
                subject = _subject_after(disc, verb.end) if (
                    inverted or verb.cue.text in ("according to", "in the words of")) else None
                subject = subject or _subject_before(doc, disc, verb.start, sentence, quotes)
                if subject is None and re.search(r"\band\s+(?:also\s+)?$", doc.text[
                        max(sentence.start, verb.start - 12):verb.start]):
                    # "Quintero, who is second in the polls, welcomed it and said ...": the
                    # second verb of the sentence's subject
                    subject = disc.sentence_subject(sentence, ("person", "name", "role",
                                                               "pronoun"))
                if subject is None and not inverted and _intransitive(verb):
                    subject = _subject_after(disc, verb.end)
            pair = subject is not None and subject.kind == "pair"
            person = disc.person_of(subject, prefer_speaker=True) if subject and not pair \
                else None
            attribution = Attribution(verb, sentence, subject, person,
                                      _medium(doc, mentions, sentence, verb, publisher), closing)
            if pair:
                attribution.pair = disc.pair(subject)
            if person is not None:
                disc.note_speaker(verb.start, person)
            out.append(attribution)
    return out


def _intransitive(verb: CueMatch) -> bool:
    """A verb whose next name may be its subject ("said Mr Lawson"), as opposed to one whose
    next name is its object ("accused Arrieta of", "describing Spain as", "told Reuters")."""
    return verb.cue.text.lower() not in TRANSITIVE


def _subject_before(doc: Document, disc: Discourse, offset: int, sentence: Sentence,
                    quotes: list[Quotation]) -> Ref | None:
    lo = sentence.start
    for q in quotes:
        if q.outer.end <= offset and q.outer.end > lo and sentence.start <= q.outer.start:
            lo = q.outer.end
    for ref in reversed([r for r in disc.refs if lo <= r.start and r.end <= offset]):
        gap = doc.text[ref.end:offset]
        if OBJECT_OF_PREPOSITION.search(doc.text[max(lo, ref.start - 12):ref.start]):
            continue  # "Eszter Kovacs, no relation to the minister, said": not the minister
        if "," in gap and IN_RELATIVE_CLAUSE.search(doc.text[lo:ref.start]):
            continue  # the clause closes before the verb: its words are not the verb's subject
        if GAP_BEFORE.match(gap):
            return ref
        if QUOTED_AS.search(doc.text[max(lo, ref.start - 30):ref.start]) and \
                re.fullmatch(r"\s+as\s+", gap):
            return ref  # "the ministry quoted X as describing ...": X's words
        if re.search(r"[.;:\"\u201c\u201d\u00ab\u00bb]", gap):
            break
    return None


def _subject_after(disc: Discourse, offset: int) -> Ref | None:
    for ref in disc.refs:
        if ref.start >= offset:
            gap = disc.doc.text[offset:ref.start]
            return ref if GAP_AFTER.match(gap) or gap == "" else None
    return None


def _medium(doc: Document, mentions: list[Mention], sentence: Sentence, verb: CueMatch,
            publisher: tuple[str, str] | None) -> str | None:
    """The outlet the speaker talked to, named in the sentence of the verb."""
    for m in mentions:
        if m.etype != "MediaOrganization" or not (sentence.start <= m.start < sentence.end):
            continue
        if MEDIUM_LEAD.search(doc.text[max(sentence.start, m.start - 60):m.start]):
            return m.key
    if publisher is not None:
        key, label = publisher
        noun = label.split()[-1].lower()
        hit = re.search(rf"\b(?:told|to|with)\s+(?:the|this)\s+({noun})\b",
                        doc.text[verb.start:sentence.end], re.IGNORECASE)
        if noun in OUTLET_NOUNS and hit:
            return key
    return None


def assign_speakers(doc: Document, quotes: list[Quotation],
                    attributions: list[Attribution],
                    disc: Discourse | None = None) -> dict[int, Speaker]:
    """The speaker of each quotation piece (by index), when one can be found."""
    speakers: dict[int, Speaker] = {}
    for i, q in enumerate(quotes):
        if q.paragraph <= doc.headline:
            continue  # the headline quotes the body; the body's quote is the fact
        if _scare_quote(doc, q):
            continue
        labelled = _label_before(doc, disc, q) if disc is not None else None
        if labelled is not None:
            speakers[i] = Speaker(q, labelled, None, min(0.8, labelled.confidence),
                                  f'"{labelled.label}:" before the quote')
            continue
        own = _sentence_attribution(doc, q, attributions)
        if own is not None and own.who is not None:
            speakers[i] = Speaker(q, own.who, own, own.who.confidence, _why(doc, own, q))
            continue
        previous = speakers.get(i - 1)
        if previous is None:
            continue
        prev_q = quotes[i - 1]
        sentence = doc.sentence_at(q.open)
        if sentence is not None and sentence is not doc.sentence_at(prev_q.open) and any(
                a.sentence is sentence and a.who is None for a in attributions):
            continue  # "The ministry has called it “...”": someone else's words
        same_paragraph = prev_q.paragraph == q.paragraph
        colon = doc.text[:q.open].rstrip().endswith(":") and q.paragraph == prev_q.paragraph + 1
        if q.continued or same_paragraph:
            how = "continues the quotation before it" if q.continued else \
                "the speaker of the quote before it in the paragraph"
            speakers[i] = Speaker(q, previous.person, previous.attribution,
                                  min(0.85, previous.confidence), how)
        elif colon or (q.open == doc.paragraphs[q.paragraph].start
                       and q.paragraph == prev_q.paragraph + 1):
            speakers[i] = Speaker(q, previous.person, previous.attribution,
                                  min(0.7, previous.confidence),
                                  "a quote paragraph naming nobody, after one by this speaker")
    # A quote paragraph right after "X said:" takes X.
    for i, q in enumerate(quotes):
        if i in speakers or q.paragraph <= doc.headline:
            continue
        prev_para = doc.paragraphs[q.paragraph - 1]
        if q.open == doc.paragraphs[q.paragraph].start and \
                doc.text[prev_para.start:prev_para.end].rstrip().endswith(":"):
            lead = [a for a in attributions if prev_para.start <= a.verb.start < prev_para.end
                    and a.who is not None]
            if lead:
                a = lead[-1]
                speakers[i] = Speaker(q, a.who, a, min(0.85, a.who.confidence),
                                      f'introduced by "{doc.text[a.verb.start:a.verb.end]}:" '
                                      "at the end of the paragraph before")
                for j in range(i + 1, len(quotes)):
                    if quotes[j].continued and j not in speakers:
                        speakers[j] = Speaker(quotes[j], a.who, a, 0.8,
                                              "continues the quotation before it")
                    else:
                        break
    # A paragraph's piece of a quotation whose speaker is told only after a later piece ("Mr X
    # was more expansive. “A ...\n\n“B ...,” he said.") takes that speaker.
    for i in range(len(quotes) - 2, -1, -1):
        nxt = speakers.get(i + 1)
        if i not in speakers and quotes[i].continues and quotes[i + 1].continued and nxt and \
                quotes[i].paragraph > doc.headline:
            speakers[i] = Speaker(quotes[i], nxt.person, nxt.attribution,
                                  min(0.8, nxt.confidence),
                                  "the quotation goes on in the next paragraph, whose speaker "
                                  "this is")
    return speakers


def _label_before(doc: Document, disc: Discourse, q: Quotation) -> Person | None:
    """ "Berg: “We are ready.”": a person's name opening a sentence, a colon and the quote."""
    sentence = doc.sentence_at(q.open)
    if sentence is None or q.paragraph <= doc.headline:
        return None
    ref = next((r for r in disc.refs if r.kind in ("person", "name") and r.start ==
                sentence.start), None)
    if ref is None or not re.fullmatch(r":\s*", doc.text[ref.end:q.open]):
        return None
    return disc.person_of(ref)


def _scare_quote(doc: Document, q: Quotation) -> bool:
    """ "the so-called “dry corridor”": a name in marks, nobody's words."""
    return bool(re.search(r"\bso[- ]called\s+$", doc.text[max(0, q.open - 12):q.open],
                          re.IGNORECASE))


def _sentence_attribution(doc: Document, q: Quotation,
                          attributions: list[Attribution]) -> Attribution | None:
    sentence = doc.sentence_at(q.open)
    if sentence is None:
        return None
    here = [a for a in attributions if a.sentence is sentence and a.who is not None]
    if not here:
        return None
    direct = [a for a in here if a.after_quote is q]
    if direct:
        return direct[0]
    return min(here, key=lambda a: min(abs(a.verb.start - q.end), abs(a.verb.end - q.open)))


def _why(doc: Document, a: Attribution, q: Quotation) -> str:
    verb = doc.text[a.verb.start:a.verb.end]
    subject = doc.text[a.subject.start:a.subject.end] if a.subject else "?"
    where = "after the quote" if a.verb.start > q.end else "before the quote"
    why = f'"{subject}" is the subject of "{verb}" {where}'
    if a.who is not None and a.who.how not in ("named", "named (not in the registry)"):
        why += f" ({a.who.how})"
    return why
