"""Events from trigger words (the cue lexicon), dated by the nearest date of their clause.

A date belongs to the trigger nearest to it with no other trigger in between, so in "an
interview three days after his inauguration on November 24" the interview gets the 27th and the
inauguration the 24th; a date told after a reporting verb ("talks ..., the minister said on
Monday") is the day of the saying, not of the event; a date in a relative clause (", who took
office in March,") or after "since ..." is not the day of an event outside it. An undated event
takes the day of another event told in its sentence (not a visit's: only its first day), else
of the sentence before, else the lead's day until the article tells another time; one told
"last week" keeps that vague time; "two days before the summit" counts from the summit's day.
A meeting told right after a visit by the same people is
part of the visit; a signing is an event of its own, also when told in the visit's sentence
("signed an agreement ... during a visit"); a visit to a summit is the summit; "the visit" with
no date of its own is the visit already told; an event that happened and one to come are two.

A trigger is one event only when the words say so: not a kind of event ("such talks", "frequent
visits", a plural "visits" or "elections" with no subject), not a role noun ("his Mauritanian
host"), not negated or asked about in its clause ("has not met since", "whether he planned a
visit") unless it is the dated setting of the denied act ("did not mention it in a speech on
Friday"), not asked for ("urged X to join talks"). Meetings, calls and signings are between
people: with no person taking part (the "accession talks" of the EU) there is none, unless "the
two ministers", "a joint commission" or "both sides" stand for the parties of the last event with
two, two states are its subject, or officials told by office only ("his Omani counterpart")
stand for their states.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass

from .attribution import Attribution
from .dates import NUMBERS, DateMention
from .discourse import Discourse
from .gazetteer import Mention
from .items import DEvent
from .keys import kebab, unique
from .lexicon import CueMatch, Lexicon, find_cues
from .quotes import Quotation
from .text import Document, Span, is_prose

LOCATIVE_BEFORE = re.compile(r"\b(?:in|to|at|into|for|visit|visits|visited|visiting)\s+"
                             r"(?:the\s+)?$",
                             re.IGNORECASE)
DEFINITE = re.compile(r"\b(?:the|this|that|his|her|their)\s+(?:\w+\s+)?$|"
                      r"\b(?:the|this|that)\s+[\w-]+\s+(?:was|were|has\s+been|had\s+been)\s+$",
                      re.IGNORECASE)  # "the visit", "the treaty was initialled"
# "the meeting" refers back; "the first patrols", "the next round" do not
REFERS_BACK = re.compile(r"\b(?:the|this|his|her|their)\s+(?!(?:first|next|new|second|third|"
                         r"coming|following)\s)(?:[\w-]+\s+)?$", re.IGNORECASE)
INVITATION = re.compile(r"\bat\s+the\s+invitation\s+of\s+$", re.IGNORECASE)
HOSTED_EVENT = re.compile(r"\s+(?:[\w'\u2019-]+\s+){0,3}?(?:talks|summit|meeting|conference|"
                          r"session|forum|negotiations)\b", re.IGNORECASE)
HOSTED_BY_CLAUSE = re.compile(r"\b(?:summit|meeting|conference|talks|forum)\b[^,;.]{0,60}?"
                              r"\b(?:that|which)\s+(?:[\w'\u2019-]+\s+){0,3}$", re.IGNORECASE)
HOSTED_GROUP = re.compile(r"\s+(?:his|her|their|its|the)\s+(?:[\w-]+\s+){0,4}?(?:counterparts|"
                          r"leaders|ministers|delegations|heads)\b", re.IGNORECASE)
# "urged Afghanistan to join talks", "called for the bloc to hold its first summit": a wish
APPEAL_TO = re.compile(r"\b(?:urg\w*|call\w*\s+(?:\w+\s+){0,2}?(?:on|for)|press\w*|ask\w*)\b"
                       r"[^.;]{0,60}\bto\s+(?:[\w-]+\s+){1,3}$", re.IGNORECASE)
# "at the end of two days of talks": the talks began a day before the day they are told with
DAYS_OFFSET = re.compile(r"(?P<n>\w+)\s+(?P<unit>day|week)s?\s+(?P<dir>before|after)",
                         re.IGNORECASE)
MULTI_DAY = re.compile(r"\b(two|three|four|five)\s+days\s+of\s+$", re.IGNORECASE)
# "ended a two-day state visit on Thursday", "at the end of a three-day visit": the day told is
# the last; the visit's own day is its first
ENDED_DAYS = re.compile(r"\b(?:end(?:ed|s|ing)?|conclud\w*|wrapp\w*\s+up|clos(?:ed|ing))\s+"
                        r"(?:of\s+)?(?:a|an|the|his|her|their|its)\s+"
                        r"(two|three|four|five|six|seven)-day\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
RESUMED = re.compile(r"\b(?:revive|resume|restart|relaunch)\s+(?:[\w-]+\s+){0,2}$",
                     re.IGNORECASE)
NEXT = re.compile(r"\b(?:next|new|coming|following|upcoming)\b", re.IGNORECASE)
# People told by their office, not named ("Kuwait's foreign minister ... his Omani counterpart"):
# a meeting or call between them is one between the states named with them.
UNNAMED_PEOPLE = re.compile(r"\b(?:ministers?|counterparts?|presidents?|prime\s+ministers?|"
                            r"leaders?|heads?\s+of\s+state|chancellors?)\b", re.IGNORECASE)
MAX_DATE_GAP = 120
MAX_DATE_GAP_BEFORE = 70
SPEECH_BETWEEN = re.compile(r"\b(?:said|says|told|added|announced)\b")
# a date told before the trigger, with "after"/"before" between, is another day ("on Monday,
# days after X fired"); one right after a reporting verb is the day of the saying
AFTER_BETWEEN = re.compile(r"\b(?:after|before|since|following)\b", re.IGNORECASE)
REPORTED_ON = re.compile(r"\b(?:said|says|announced|told\s+\w+|stated|declared)\s+(?:on\s+)?$",
                         re.IGNORECASE)
INVITED_TO = re.compile(r"\binvit\w*\b[^.;]{0,60}\bto\s+$", re.IGNORECASE)
# An act named as the subject of talks, not as done: "ceasefire talks", "talks on a truce"
TALKS_AFTER = re.compile(r"\s+(?:talks|negotiations|deal\s+talks)\b", re.IGNORECASE)
TALKS_ON = re.compile(r"\b(?:talks|negotiations|negotiate)\s+(?:on|for|about|over|towards?)\s+"
                      r"(?:a\s+|an\s+|the\s+)?(?:[\w-]+\s+)?$", re.IGNORECASE)
PRIORITY = {"Summit": 0, "Visit": 1, "Meeting": 2, "AgreementSigning": 3}
SPEECH = {"Interview", "Briefing"}
BETWEEN_PEOPLE = {"Meeting", "PhoneCall", "AgreementSigning"}
# Acts of a state, told with the state's organs ("the Foreign Office", "the coast guard") rather
# than its people: with no person in the sentence, the states it names take part.
STATE_ACTS = {"SanctionsImposition", "ExpulsionOfDiplomats", "AmbassadorSummons",
              "JointMilitaryExercise", "AgreementSigning", "Protest", "AmbassadorRecall",
              "Ceasefire", "BorderClosure", "DeEscalation", "ArmedClash"}
MATERIAL_ACTS = {"Coercion", "Assault", "Mobilization", "HumanitarianAid", "Aid",
                 "PrisonerRelease", "ReductionOfRelations", "MaterialCooperation",
                 "DiplomaticRecognition", "MilitaryExercise", "ProtestNote"}
STATE_ACTS |= MATERIAL_ACTS
# Material acts and acts of force are told with a day of their own, or in passing ("a dispute
# over the arrest of eleven fishermen"): they take no day from the events told around them.
OWN_DAY_ONLY = {"Coercion", "Assault", "Mobilization", "HumanitarianAid", "Aid", "Threat",
                "PrisonerRelease", "ReductionOfRelations", "MaterialCooperation",
                "DiplomaticRecognition", "Apology", "Referendum", "MilitaryExercise"}
SET_UP = re.compile(r"\b(?:creat|establish|set(?:ting)?\s+up|provid|launch)\w*\s+(?:[\w-]+\s+)?$",
                    re.IGNORECASE)
# "in a speech", "at the summit of", "in her victory speech": where the clause's act took place,
# which a negation or a question of that act ("did not mention", "whether ... would raise")
# leaves standing.
SETTING = re.compile(r"\b(?:in|at|during)\s+(?:a|an|the|his|her|their|its)\s+(?:[\w-]+\s+)?$",
                     re.IGNORECASE)
SINCE = re.compile(r"\b(?:since|after)\s+$|\bsince\s+(?:[\w-]+\s+){1,3}$", re.IGNORECASE)
RELATIVE_OPEN = re.compile(r",\s+(?:who|which|whose)\b", re.IGNORECASE)
ROLE_NOUN = re.compile(r"\b(?:the|a|an|his|her|their|its|our|my|your)\s+(?:[\w-]+\s+)?$",
                       re.IGNORECASE)
SUBJECT_BEFORE = re.compile(r"\b(?:he|she|they|it|who)\s+(?:also\s+|often\s+)?$", re.IGNORECASE)
RELATIVE = re.compile(r",\s+(?:[\w-]+\s+)?(?:which|whom|whose|where)\b", re.IGNORECASE)
# Who stands for the parties of an event told before (or of the states named with it): "the two
# ministers", "the two countries' foreign ministers", "a joint commission", "officials of the
# three countries", "delegations".
TWO_PARTIES = re.compile(r"\b(?:the two|both)\s+(?:[\w-]+\s+)?(?:sides|leaders|ministers|"
                         r"presidents|countries|governments|neighbou?rs|men|women|navies|armies|"
                         r"delegations|capitals)\b|\bboth\s+sides\b|\bthe\s+sides\b|"
                         r"\bjoint\s+(?:commission|committee)\b|\bbinational\s+\w+\b|"
                         r"\bofficials\s+(?:of|from)\s+(?:the|both)\b|\bdelegations\b",
                         re.IGNORECASE)
# "talks ... between the foreign ministers of the two countries": the parties named after
BETWEEN_PARTIES = re.compile(r"^[^,;.]{0,40}?\bbetween\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?of\s+"
                             r"(?:the\s+two|both)\s+(?:countries|sides|states)\b", re.IGNORECASE)


@dataclass
class _Trigger:
    cue: CueMatch
    sentence: int
    type: str


def find_events(doc: Document, lexicon: Lexicon, mentions: list[Mention],
                dates: list[DateMention], disc: Discourse, quotes: list[Quotation],
                attributions: list[Attribution], reference: dt.date, labels: dict[str, str],
                taken: set[str]) -> list[DEvent]:
    inside = [q.outer for q in quotes]
    triggers: list[_Trigger] = []
    for i, sentence in enumerate(doc.sentences):
        if sentence.paragraph <= doc.headline:
            continue  # the headline repeats the body
        for cue in find_cues(lexicon.events, doc.text, sentence.start, sentence.end):
            named = any(m.start <= cue.start < m.end for m in mentions)  # "Baltic Briefing"
            invited = cue.concept == "Visit" and INVITED_TO.search(
                doc.text[sentence.start:cue.start])  # an invitation, not a visit yet
            if not named and not invited and not any(s.start <= cue.start < s.end
                                                     for s in inside) and \
                    not _not_one_event(doc, lexicon, cue, sentence, mentions, dates):
                kind = _hosting(doc.text, cue, sentence)
                if kind:
                    triggers.append(_Trigger(cue, i, kind))
    events: list[DEvent] = []
    for t in triggers:
        events += _event(doc, lexicon, t, triggers, mentions, dates, disc, attributions,
                         reference, events)
    events = [e for e in _merge(doc, events) if e.actors]  # "the interview" joins its event
    _inherit_dates(doc, events, dates, reference)
    # with no time of their own, material acts are told in passing ("in delivering humanitarian
    # aid", "a protocol creating joint patrols"): background, not events of the article
    events = [e for e in events if e.type not in OWN_DAY_ONLY or e.date or e.vague_date]
    for e in events:
        when = e.date or "undated"
        e.id = unique(kebab(f"{when}-{e.type}-{e.actors[0]}"), taken)
        e.label = _label(e, labels)
    return events


def _hosting(text: str, cue: CueMatch, sentence) -> str | None:
    """The kind of event a trigger tells, none if another word tells it: to host talks or a
    summit is that event, not a visit ("offered to host talks", "the summit that X will host");
    to host one's counterparts, several people, is a meeting."""
    if cue.concept != "Visit" or not text[cue.start:cue.end].lower().startswith("host"):
        return cue.concept
    after = text[cue.end:sentence.end]
    if HOSTED_EVENT.match(after) or HOSTED_BY_CLAUSE.search(text[sentence.start:cue.start]):
        return None
    return "Meeting" if HOSTED_GROUP.match(after) else cue.concept


def _not_one_event(doc: Document, lexicon: Lexicon, cue: CueMatch, sentence,
                   mentions: list[Mention], dates: list[DateMention]) -> bool:
    """A kind of event, a role noun, or an event denied or asked about (see the module's
    docstring), but not the dated setting of a denied act ("did not mention it in a speech on
    Friday"; "in his speech" with no day of its own is the speech of an event told)."""
    text = doc.text
    before = text[max(sentence.start, cue.start - 40):cue.start]
    worded = text[cue.start:cue.end].lower()
    if cue.concept in STATE_ACTS and (
            TALKS_AFTER.match(text, cue.end, sentence.end) or TALKS_ON.search(before)):
        return True  # "the Sudanese ceasefire talks", "host talks on a ceasefire": the talks'
    for g in find_cues(lexicon.generic, text, max(sentence.start, cue.start - 40), cue.start):
        if re.fullmatch(r"(?:\s+[\w-]+)?\s+", text[g.end:cue.start]):
            return True  # "such talks", "more frequent visits"
    singular = {c.cue.text.lower() for c in [cue]} | {
        c.text.lower() for c in lexicon.events if c.concept == cue.concept}
    subject = SUBJECT_BEFORE.search(before) or any(
        m.etype == "Person" and re.fullmatch(r"\s+", text[m.end:cue.start])
        for m in mentions if m.end <= cue.start)
    if worded.endswith("s") and worded[:-1] in singular and not subject:
        return True  # "Visits by ministers have become ...", "the country's elections"
    if worded in ("host", "hosts") and ROLE_NOUN.search(before):
        return True  # "his Mauritanian host"
    if APPEAL_TO.search(text[sentence.start:cue.start]) or RESUMED.search(before):
        return True  # "urged Afghanistan to join talks", "efforts to revive talks": not held
    if cue.concept in OWN_DAY_ONLY and SET_UP.search(before):
        return True  # "a protocol creating joint patrols": what an agreement provides for
    if SETTING.search(before) and any(cue.end <= d.start < min(sentence.end, cue.end + 60) and
                                      d.value for d in dates):
        return False  # "did not mention the dam in a speech on Friday": the speech took place
    clause = max([sentence.start] + [m.end() + sentence.start for m in
                                     re.finditer(r"[,;]", text[sentence.start:cue.start])])
    return any(c.concept in ("Negated", "Hypothetical") for c in
               find_cues(lexicon.modality, text, clause, cue.start))


def _event(doc: Document, lexicon: Lexicon, t: _Trigger, triggers: list[_Trigger],
           mentions: list[Mention], dates: list[DateMention], disc: Discourse,
           attributions: list[Attribution], reference: dt.date,
           earlier: list[DEvent]) -> list[DEvent]:
    sentence = doc.sentences[t.sentence]
    text = doc.text
    why = [f'trigger "{text[t.cue.start:t.cue.end]}" ({t.type})']
    date = _date(doc, t, triggers, dates, sentence)
    vague = date.text if date is not None and not date.value else None
    date = None if vague else date
    confidence = 0.75
    first_day = None
    if date is not None:
        why.append(f'date "{date.text}" = {date.value} ({date.rule})')
        confidence = 0.85
        ended = ENDED_DAYS.search(text[sentence.start:t.cue.start])
        if ended and len(date.value) == 10:
            back = NUMBERS.get(ended.group(1).lower(), 1) - 1
            first_day = (dt.date.fromisoformat(date.value) - dt.timedelta(days=back)).isoformat()
            why.append(f'the first day of "{ended.group().strip()}" ({first_day})')
    status = "Occurred"
    clause_start = max([sentence.start] + [m.end() + sentence.start for m in
                                           re.finditer(r"[,;]", text[sentence.start:t.cue.start])])
    after = re.search(r"[,;:]", text[t.cue.end:sentence.end])  # "chaired the summit, said
    clause_end = t.cue.end + after.start() if after else sentence.end  # the region would"
    cues = find_cues(lexicon.status, text, clause_start, min(clause_end, t.cue.end + 40))
    if any(c.concept == "Cancelled" for c in cues):
        status = "Cancelled"
    elif any(c.concept == "Scheduled" for c in cues) or (
            date is not None and date.value[:10] > reference.isoformat()[:len(date.value)]):
        status = "Scheduled"
        why.append("future: " + (f'"{text[cues[0].start:cues[0].end]}"' if cues
                                 else "dated after the publication"))
    actors, places, invited_by = _participants(doc, t, triggers, sentence, mentions, disc)
    reporters = [a for a in attributions if a.sentence is sentence and a.person is not None
                 and a.person.key]
    if t.type in SPEECH and reporters:
        # "X told a briefing", "X said in an interview": the event is X's.
        a = min(reporters, key=lambda a: abs(a.verb.start - t.cue.start))
        actors = [a.person.key] + [k for k in actors if k != a.person.key and
                                   k in _media(mentions, sentence)]
        why.append(f'{a.person.key} is the one who "{text[a.verb.start:a.verb.end]}"')
    else:
        reporting = {a.person.key for a in reporters}
        # "X spoke by telephone with Y": the reporting verb is the event's own word
        own = [a.person.key for a in reporters if t.cue.start <= a.verb.start < t.cue.end or (
            t.type == "PhoneCall" and 0 <= t.cue.start - a.verb.end < 60 and re.match(
                r"(?:spoke|talked)\s+(?:with|to)\b", text[a.verb.start:a.verb.end + 6]))]
        # "X spoke with Y by video link": the verb is the call's too
        # "Y will meet Z ..., X said": X only reports; "X said after meeting Y": X met Y
        reporters_after = {a.person.key for a in reporters if a.verb.start > t.cue.end and (
            a.subject is None or a.subject.start > t.cue.end)}
        actors = list(dict.fromkeys(own + ([k for k in actors if k not in reporting] or [
            k for k in actors if k not in reporters_after or t.type not in BETWEEN_PEOPLE])))
        if t.type in MATERIAL_ACTS and set(actors) <= reporting:
            actors = []  # "Berg said Norway would station troops": Norway's act, not Berg's
    trigger = Span(t.cue.start, t.cue.end)
    # a person before a relative clause is not its subject ("Nazarzoda made no mention of
    # Uzbekistan, with which Dushanbe signed a treaty")
    people = {m.key for m in mentions if m.etype == "Person" and sentence.start <= m.start and
              not RELATIVE.search(text[m.end:t.cue.start])}
    people |= {k for k in actors if k not in {m.key for m in mentions}}  # pronouns
    unnamed = t.type in ("PhoneCall", "Meeting") and not any(
        m.etype == "Person" for m in mentions if sentence.start <= m.start < sentence.end) and \
        len({k for k in actors if k not in people}) >= 2 and UNNAMED_PEOPLE.search(
            text[sentence.start:sentence.end])
    if t.type in BETWEEN_PEOPLE and not any(k in people for k in actors) and not (
            t.type == "AgreementSigning" and actors and not {
                m.key for m in mentions if m.etype == "Person"} & set(actors)) and not unnamed:
        # states and organisations sign ("Chile and Argentina signed an agreement"); a call
        # between "Kuwait's foreign minister" and "his Omani counterpart" is between the states
        actors = []  # "its accession talks": no one meets
    if not actors and t.type in STATE_ACTS:
        actors = list(dict.fromkeys(m.key for m in mentions if m.linked and sentence.start <=
                                    m.start < sentence.end and m.etype in (
                                        "Country", "IntergovernmentalOrganization")))
        states = {m.key for m in mentions if m.etype == "Country"}
        told = next((e for e in reversed(earlier) if set(e.actors) & states), None)
        if not actors and told is not None and _definite(doc, Span(t.cue.start, t.cue.end)):
            actors = [k for k in told.actors if k in states]  # "The fighting broke out on
            why.append(f"the states of the {told.type.lower()} told before")  # Thursday"
    if not actors and (TWO_PARTIES.search(text[sentence.start:t.cue.start]) or
                       BETWEEN_PARTIES.match(text[t.cue.end:sentence.end])):
        told = _merge(doc, copy.deepcopy(earlier))  # the events as merged so far
        pair = next((e for e in reversed(told) if len(e.actors) >= 2), None)
        states = _states_named(doc, mentions, sentence)
        if pair is not None:  # "The two ministers will meet again"
            actors = list(pair.actors)
            why.append(f"the parties of the {pair.type.lower()} told before")
        elif len(states) >= 2:  # "after the two countries' foreign ministers met"
            actors = states
            why.append("the states named with it")
    if not actors and t.type == "Meeting":
        coordinated = _coordinated_states(doc, mentions, sentence, t.cue.start)
        if coordinated:  # "Lima and La Paz also agreed to hold the next meeting"
            actors = coordinated
            why.append("the states it is told of")
    if not actors and not _definite(doc, trigger):
        return []
    # "visited Helsinki and Vilnius": two visits
    return [DEvent(confidence=confidence, why=list(why),
                   evidence=[Span(sentence.start, sentence.end)], type=t.type,
                   date=first_day or (date.value if date else None), place=place,
                   actors=list(actors),
                   status=status, invited_by=invited_by, trigger=trigger, triggers=[trigger],
                   sentence=t.sentence, vague_date=vague)
            for place in (places if t.type == "Visit" else places[:1]) or [None]]


def _states_named(doc: Document, mentions: list[Mention], sentence) -> list[str]:
    return list(dict.fromkeys(m.key for m in mentions if m.linked and m.etype == "Country" and
                              m.role in ("", "state") and sentence.start <= m.start < sentence.end))


def _coordinated_states(doc: Document, mentions: list[Mention], sentence,
                        before: int) -> list[str]:
    """Two states coordinated as the subject before `before` ("Lima and La Paz ...")."""
    states = [m for m in mentions if m.linked and m.etype == "Country" and m.role in ("", "state")
              and not m.possessive and sentence.start <= m.start and m.end <= before]
    for a, b in zip(states, states[1:], strict=False):
        if a.key != b.key and re.fullmatch(r"\s+and\s+", doc.text[a.end:b.start]) and \
                not re.search(r"\b(?:with|between|to|for|of|by)\s+$",
                              doc.text[sentence.start:a.start]):
            return [a.key, b.key]
    return []


def _media(mentions: list[Mention], sentence) -> set[str]:
    return {m.key for m in mentions if m.etype == "MediaOrganization" and
            sentence.start <= m.start < sentence.end}


def _date(doc: Document, t: _Trigger, triggers: list[_Trigger], dates: list[DateMention],
          sentence) -> DateMention | None:
    """The date nearest the trigger in its clause, maybe one no rule resolves ("a summit in
    Troms\u00f8 next week": the event is then told as of a time with no day)."""
    best, best_gap = None, MAX_DATE_GAP + 1
    others = [o.cue for o in triggers if o is not t and o.sentence == t.sentence]
    text = doc.text
    definite = REFERS_BACK.search(text[max(0, t.cue.start - 20):t.cue.start])  # "the meeting":
    for d in dates:                                 # told before, its date in its own clause
        if d.precision == "year" or not (sentence.start <= d.start < sentence.end):
            continue
        if d.start <= t.cue.start < d.end:
            if d.inner and d.value:  # "a month after Vietnam hosted ... a state visit"
                return d
            continue  # "three days after his inauguration on ...": not the inauguration's date
        if d.value is None and re.fullmatch(r"\s+the\s+(?:[a-z]+\s+)?",
                                            text[d.end:t.cue.start]):
            continue  # "Two days before the summit": the summit is what it counts from
        if d.inner or d.publication or SINCE.search(text[max(0, d.start - 40):d.start]):
            continue  # a clause's own date; "published on Friday"; "since taking office in June"
        if _relative_clause(text, sentence, d.start) != _relative_clause(text, sentence,
                                                                         t.cue.start):
            continue  # "X, who took office in March, raised it in a call on Saturday"
        if d.start >= t.cue.end:
            gap, lo, hi = d.start - t.cue.end, t.cue.end, d.start
            if SPEECH_BETWEEN.search(text[lo:hi]) or re.search(r"\bsince\b", text[lo:hi]):
                continue  # "talks ..., X said on Monday"; "the first since X took office in May"
            if definite and re.search(r"[,;]", text[lo:hi]):
                continue  # "after the meeting, X condemned the strikes on Saturday"
        else:
            gap, lo, hi = t.cue.start - d.end + 10, d.end, t.cue.start
            if gap > MAX_DATE_GAP_BEFORE or SPEECH_BETWEEN.search(text[lo:hi]):
                continue  # "yesterday described ... and said they would hold a summit"
            if AFTER_BETWEEN.search(text[lo:hi]) or REPORTED_ON.search(
                    text[max(sentence.start, d.start - 30):d.start]):
                continue  # "announced yesterday, days after a vessel fired": not that day
        if any(lo <= o.start < hi and not (d.anchor and d.start <= o.start < d.end)
               for o in others):
            continue  # another trigger is nearer to this date
        if gap < best_gap:
            best, best_gap = d, gap
    return best


def _relative_clause(text: str, sentence, offset: int) -> tuple[int, int] | None:
    """The relative clause (", who ... ,") that `offset` is in, if any."""
    for m in RELATIVE_OPEN.finditer(text, sentence.start, offset):
        close = text.find(",", m.end(), sentence.end)
        end = close if close >= 0 else sentence.end
        if offset < end:
            return m.start(), end
    return None


def _participants(doc: Document, t: _Trigger, triggers: list[_Trigger], sentence,
                  mentions: list[Mention], disc: Discourse
                  ) -> tuple[list[str], list[str], str | None]:
    text = doc.text
    actors: list[str] = []
    place = invited_by = None
    place_gap = 101
    place_mention = None
    others = [o.cue for o in triggers if o.sentence == t.sentence and o is not t]
    in_sentence = [m for m in mentions if sentence.start <= m.start < sentence.end and m.linked]
    for m in in_sentence:
        before = text[max(sentence.start, m.start - 30):m.start]
        if INVITATION.search(before):
            invited_by = m.key
            continue
        if m.etype in ("City", "Place", "Region") or (
                m.etype == "Country" and LOCATIVE_BEFORE.search(before)):
            lo, hi = sorted((m.start, t.cue.start))
            gap = hi - lo
            if LOCATIVE_BEFORE.search(before) and gap < place_gap and not any(
                    lo < o.start < hi for o in others):
                place, place_gap, place_mention = m.key, gap, m
            continue
        if m.role in ("title", "adjective"):
            continue
        if m.etype == "Person" or m.etype == "IntergovernmentalOrganization" and \
                t.type in ("Summit", "Meeting", "AgreementSigning") or \
                m.etype == "MediaOrganization" and t.type == "Interview":
            actors.append(m.key)
    for ref in disc.refs:
        if ref.kind == "pronoun" and sentence.start <= ref.start < sentence.end:
            person = disc.person_of(ref)
            if person is not None and person.key:
                actors.insert(0, person.key)
    if not any(k for k in actors):
        actors = [m.key for m in in_sentence if m.etype == "Country" and m.role != "place"
                  and m.key != place]
    places = [place] if place else []
    if place_mention is not None:  # "Helsinki and Vilnius"
        end = place_mention.end
        for m in in_sentence:
            if m.start > end and m.role == "place" and re.fullmatch(
                    r",?\s+(?:and\s+)?|,\s+", text[end:m.start]):
                places.append(m.key)
                end = m.end
    actors = [k for k in dict.fromkeys(actors) if k not in places]
    return actors, places, invited_by


def _inherit_dates(doc: Document, events: list[DEvent], dates: list[DateMention],
                   reference: dt.date) -> None:
    """An undated past event takes the day of another event told in its sentence ("signed the
    accord ... after two hours of talks"; not a visit's, which is only its first day), else the
    day of the sentence before it in its paragraph, or, just below the lead, the day the lead
    reports."""
    body = [p for p in range(doc.headline + 1, len(doc.paragraphs))  # not "The Island Mercury,
            if any(s.paragraph == p and len(doc.text[s.start:s.end].split()) > 6  # Port Louis,
                   and is_prose(doc, s) for s in doc.sentences)]  # Friday 10 July 2026
    lead = body[0] if body else None
    lead_day = None
    for p in body[:2]:  # a lead with no day of its own: the day the next paragraph tells
        lead_day = lead_day or next((d for d in dates if d.day and d.day <= reference
                                     and doc.paragraph_at(d.start) == p and not d.inner
                                     and not d.publication and not _in_dateline(doc, d)), None)
    for e in events:
        if e.date is not None or e.status != "Occurred" or e.vague_date:
            continue  # "told parliament last week": not the day of the sentence before
        if e.type in OWN_DAY_ONLY:
            continue  # "days after a vessel fired water cannon": told in passing, no day
        sentence = doc.sentences[e.sentence]
        beside = next((o for o in events if o is not e and o.date and len(o.date) == 10 and
                       o.type != "Visit" and  # a visit's day is its first of several
                       o.status == "Occurred" and o.date <= reference.isoformat() and any(
                           sentence.start <= t.start < sentence.end for t in o.triggers)), None)
        if beside is not None:
            shift = _offset_from(doc, dates, sentence, beside)
            if shift is not None:  # "Two days before the summit, X had spoken by telephone"
                e.date = (dt.date.fromisoformat(beside.date) + shift[0]).isoformat()
                e.why.append(f'undated: "{shift[1]}" the {beside.type.lower()} ({beside.date})')
                e.confidence = min(e.confidence, 0.7)
                continue
            days = MULTI_DAY.search(doc.text[sentence.start:e.trigger.start]) or \
                ENDED_DAYS.search(doc.text[sentence.start:e.trigger.start])
            back = NUMBERS.get(days.group(1).lower(), 1) - 1 if days else 0
            e.date = (dt.date.fromisoformat(beside.date) - dt.timedelta(days=back)).isoformat()
            e.why.append(f"undated: the day of the {beside.type.lower()} told in its sentence "
                         f"({beside.date})" + (f', the last of "{days.group()}"' if days else ""))
            e.confidence = min(e.confidence, 0.7)
            continue
        previous = doc.sentences[e.sentence - 1] if e.sentence > 0 else None
        told = [d for d in dates if previous is not None and d.day and
                previous.paragraph == sentence.paragraph and
                previous.start <= d.start < previous.end and d.day <= reference]
        if told:
            e.date = told[-1].value
            e.why.append(f'undated: the day of the sentence before, "{told[-1].text}" '
                         f"({told[-1].value})")
        elif lead_day is not None and lead is not None and (
                sentence.paragraph <= lead + 1 or not any(
                    d.value and not d.inner and not d.publication and d.start > lead_day.end and
                    d.start < sentence.end and not _aside(d, lead_day, reference)
                    for d in dates)):  # no other time told since
            e.date = lead_day.value
            e.why.append(f'undated: the day of the lead, "{lead_day.text}" ({lead_day.value})')
        else:
            continue
        e.confidence = min(e.confidence, 0.7)


def _aside(d: DateMention, lead_day: DateMention, reference: dt.date) -> bool:
    """A day told as an aside, which leaves the time of the article as it was: a later day still
    to come ("the summit on Dec. 12"), or one before the lead's ("arrived on Sunday")."""
    if d.day is None or lead_day.day is None:
        return False
    return d.day > reference or d.day < lead_day.day


def _offset_from(doc: Document, dates: list[DateMention], sentence,
                 event: DEvent) -> tuple[dt.timedelta, str] | None:
    """ "Two days before the summit": an offset counted from an event told in the sentence."""
    for d in dates:
        m = DAYS_OFFSET.fullmatch(d.text)
        if d.value is not None or m is None or not sentence.start <= d.start < sentence.end:
            continue
        if any(re.fullmatch(r"\s+the\s+(?:[a-z]+\s+)?", doc.text[d.end:t.start])
               for t in event.triggers if t.start > d.end):
            n = int(m["n"]) if m["n"].isdigit() else NUMBERS.get(m["n"].lower())
            if n is not None:
                sign = -1 if m["dir"].lower() == "before" else 1
                return dt.timedelta(days=sign * n * (7 if m["unit"].lower() == "week" else 1)), \
                    d.text
    return None


def _in_dateline(doc: Document, d: DateMention) -> bool:
    """ "MOSCOW, May 3 -", "Uzhhorod/Bratislava, 14 September 2027 (TAS) -", "Rabat, 3 Feb
    (AIN).-": the day the dispatch was filed, not a day the lead tells of."""
    paragraph = doc.paragraphs[doc.paragraph_at(d.start)]
    before = doc.text[paragraph.start:d.start]
    return d.start - paragraph.start < 40 and bool(
        re.match(r"[A-Z\u00C0-\u024F .'-]{3,}", before) or re.fullmatch(
            r"[A-Z\u00C0-\u024F][\w\u00C0-\u024F.'/-]*"
            r"(?:[ /-][A-Z\u00C0-\u024F][\w\u00C0-\u024F.'-]*)*,\s*", before))


def _merge(doc: Document, events: list[DEvent]) -> list[DEvent]:
    merged: list[DEvent] = []
    for e in events:
        target = next((m for m in merged if _same(doc, m, e)), None)
        if target is None:
            merged.append(e)
            continue
        if PRIORITY.get(e.type, 9) < PRIORITY.get(target.type, 9) and target.sentence == e.sentence:
            target.type = e.type  # a visit to a summit is the summit
        target.actors = list(dict.fromkeys(target.actors + e.actors))
        if target.date and e.date and len(target.date) < len(e.date) and \
                e.date.startswith(target.date):
            target.date = e.date  # "initialled last month" told again "on 14 May": the day
        target.date = target.date or e.date
        target.vague_date = None if target.date else target.vague_date or e.vague_date
        target.place = target.place or e.place
        target.invited_by = target.invited_by or e.invited_by
        target.confidence = max(target.confidence, e.confidence)
        target.why += [w for w in e.why if w not in target.why]
        target.evidence += [s for s in e.evidence if s not in target.evidence]
        target.triggers += e.triggers
    return merged


def _same(doc: Document, a: DEvent, b: DEvent) -> bool:
    """Whether `b` tells of the event `a` again: never an event that happened and one to come
    ("after a meeting in ..." and "will meet every three months"), unless `b` refers back with
    no day of its own ("the visit", whose clause need not say it is to come)."""
    if (a.status == "Occurred") != (b.status == "Occurred") and not (
            b.date is None and _definite(doc, b.trigger) and not NEXT.search(
                doc.text[max(0, b.trigger.start - 20):b.trigger.end])):
        return False  # "The next session ... will be held" is another session
    shared = bool(set(a.actors) & set(b.actors))
    if a.type == b.type:
        if a.date and b.date:  # "initialled last month" ... "the treaty was initialled on 14 May"
            return a.date == b.date or _definite(doc, b.trigger) and (
                a.date.startswith(b.date) or b.date.startswith(a.date))
        definite = _definite(doc, b.trigger)
        if definite and (b.date is None or a.date is None) or not a.actors or not b.actors:
            return True
        return shared and (b.place is None or a.place is None or a.place == b.place)
    kinds = {a.type, b.type}
    paragraphs = abs(doc.sentences[a.sentence].paragraph - doc.sentences[b.sentence].paragraph)
    if a.type in ("Visit", "Summit") and b.type == "Meeting" and b.date is None and \
            paragraphs <= 1 and _definite(doc, b.trigger):
        return True  # "after the talks": the talks of the visit
    if kinds <= {"Visit", "Meeting", "Summit"}:
        if a.type == "Meeting" and b.sentence > a.sentence:
            return False  # "signed ... after talks. X arrived on Sunday for a visit": the talks
        near = abs(a.sentence - b.sentence) <= 1  # are not told as part of a visit told later
        dated_alike = a.date == b.date or b.date is None or a.date is None
        return near and dated_alike and (shared or a.sentence == b.sentence)
    return False


def _definite(doc: Document, trigger: Span) -> bool:
    """ "the visit", "The interview", "this summit": an event already told."""
    worded = doc.text[trigger.start:trigger.end].lower()
    return bool(DEFINITE.search(doc.text[max(0, trigger.start - 20):trigger.start])) or \
        worded.startswith(("the ", "this ")) or bool(
            re.search(r"\s(?:the|this)\s+[\w-]+$", worded))  # "signed the accord"


def _label(e: DEvent, labels: dict[str, str]) -> str:
    who = ", ".join(labels.get(k, k) for k in e.actors[:3])
    where = f" in {labels.get(e.place, e.place)}" if e.place else ""
    when = f" ({e.date})" if e.date else ""
    return f"{e.type}: {who}{where}{when}"
