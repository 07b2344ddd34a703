"""Scoring a draft against a curated facts file: precision, recall and F1 per kind of fact.

- actors: registry actors the draft links in the text (mentions at confidence >= 0.5) against
  the actors the curated file refers to (and the states of the posts it names), the publisher
  left out of both (it is given to the draft);
- actors in facts: the same, but only the actors the draft's own facts refer to;
- quotes: by span, a draft quote matching a curated one when their spans overlap by half or more
  of their union; speakers: matched quotes whose speaker is the same (accuracy over matches);
- tenures: (person, post or organisation); dates: the dates the facts carry (events, quotes,
  stances, tenures); events: (type, date or month); stances: (holder, target, type) per target.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..model import ArticleFile, Entity, Evidence, FactSet
from .gazetteer import Mention
from .text import count_overlapping

ACTOR_TYPES = {"Person", "Country", "Organization", "IntergovernmentalOrganization",
               "GovernmentBody", "MediaOrganization", "EducationalOrganization", "CountryGroup",
               "City", "Place", "Region"}
KINDS = ("actors", "actors in facts", "quotes", "speakers", "tenures", "dates", "events",
         "stances")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None
                                                   else None)

    def __iadd__(self, other: Score) -> Score:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn
        return self


@dataclass
class Evaluation:
    scores: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in KINDS})
    speakers_matched: int = 0
    speakers_right: int = 0
    spans_total: int = 0
    spans_verbatim: int = 0
    articles: int = 0
    differences: list[tuple[str, str, str]] = field(default_factory=list)  # kind, extra/missed

    def add(self, other: Evaluation) -> None:
        for k in KINDS:
            self.scores[k] += other.scores[k]
        self.speakers_matched += other.speakers_matched
        self.speakers_right += other.speakers_right
        self.spans_total += other.spans_total
        self.spans_verbatim += other.spans_verbatim
        self.articles += other.articles
        self.differences += other.differences

    @property
    def speaker_accuracy(self) -> float | None:
        return self.speakers_right / self.speakers_matched if self.speakers_matched else None


def _sets(ev: Evaluation, kind: str, drafted: Counter, gold: Counter) -> None:
    score = ev.scores[kind]
    common = sum((drafted & gold).values())
    score.tp, score.fp = common, sum(drafted.values()) - common
    score.fn = sum(gold.values()) - common
    ev.differences += [(kind, "extra", str(k)) for k in (drafted - gold).elements()]
    ev.differences += [(kind, "missed", str(k)) for k in (gold - drafted).elements()]


def referenced(model: ArticleFile, entities: dict[str, Entity]) -> set[str]:
    """Registry actors a facts file refers to, and the states of the posts it names."""
    keys: set[str] = set()
    for facts in (model.facts, model.page_chrome):
        keys |= _keys_of(facts)
    keys |= {k for k in (model.article.author, model.article.location_created) if k}
    posts = {k for k in keys if k in entities and entities[k].type == "Post"}
    keys |= {entities[p].post_in for p in posts if entities[p].post_in}
    return {k for k in keys if k in entities and entities[k].type in ACTOR_TYPES}


def _keys_of(facts: FactSet) -> set[str]:
    keys: set[str] = set()
    for q in facts.quotes:
        keys |= {q.speaker, q.medium}
    for e in facts.events:
        keys |= {e.place, e.invited_by, *e.actors}
    for t in facts.tenures:
        keys |= {t.person, t.post, t.organization}
    for s in facts.stances:
        keys |= {s.holder, s.speaker, s.characterized_by, *s.targets}
    for a in facts.assessments:
        keys |= {a.assessed_by, *a.between}
    for c in facts.characterizations:
        keys |= {c.characterized_by, *c.about, *c.dominated_by}
    for o in facts.omissions:
        keys |= {o.omitted_by, o.not_mentioned, o.observed_by}
    for d in facts.designations:
        keys |= {d.designated_by, d.designates}
    for st in facts.statements:
        keys |= {st.subject, st.object}
    return {k for k in keys if k}


def _span(text: str, quote_text: str, occurrence: int | None) -> tuple[int, int] | None:
    starts = count_overlapping(text, quote_text)
    index = (occurrence or 1) - 1
    if not starts or index >= len(starts):
        return None
    return starts[index], starts[index] + len(quote_text)


def _dates(facts: FactSet) -> Counter:
    found: list[str] = []
    for e in facts.events:
        found += [str(e.date)] if e.date else [e.month] if e.month else []
    found += [str(q.uttered_on) for q in facts.quotes if q.uttered_on]
    found += [str(s.stated_on) for s in facts.stances if s.stated_on]
    for t in facts.tenures:
        found += [str(d) for d in (t.begins, t.ends, t.attested_on) if d]
    return Counter(set(found))


def _evidence_items(model: ArticleFile):
    a = model.article
    yield from (a.publisher_evidence + a.author_evidence + [a.headline])
    for section in ("quotes", "events", "tenures", "stances", "omissions"):
        for fact in getattr(model.facts, section):
            if section == "quotes":
                yield Evidence(text=fact.text, occurrence=fact.occurrence)
            yield from fact.evidence


def evaluate(drafted: ArticleFile, curated: ArticleFile, text: str, mentions: list[Mention],
             entities: dict[str, Entity]) -> Evaluation:
    ev = Evaluation(articles=1)
    s = ev.scores
    publisher = {curated.article.publisher}  # given to the draft, not found by it
    gold_actors = referenced(curated, entities) - publisher
    linked = {m.key for m in mentions if m.linked and m.confidence >= 0.5
              and entities[m.key].type in ACTOR_TYPES} - publisher
    _sets(ev, "actors", Counter(linked), Counter(gold_actors))
    _sets(ev, "actors in facts", Counter(referenced(drafted, entities) - publisher),
          Counter(gold_actors))
    d_quotes = [(q, _span(text, q.text, q.occurrence)) for q in drafted.facts.quotes]
    g_quotes = [(q, _span(text, q.text, q.occurrence)) for q in curated.facts.quotes]
    pairs = sorted(((_iou(ds, gs), i, j) for i, (_, ds) in enumerate(d_quotes)
                    for j, (_, gs) in enumerate(g_quotes) if ds and gs), reverse=True)
    used_d, used_g, matched = set(), set(), []
    for iou, i, j in pairs:
        if iou >= 0.5 and i not in used_d and j not in used_g:
            used_d.add(i)
            used_g.add(j)
            matched.append((d_quotes[i][0], g_quotes[j][0]))
    s["quotes"].tp = len(matched)
    s["quotes"].fp = len(d_quotes) - len(matched)
    s["quotes"].fn = len(g_quotes) - len(matched)
    ev.differences += [("quotes", "extra", d_quotes[i][0].text[:60]) for i in
                       range(len(d_quotes)) if i not in used_d]
    ev.differences += [("quotes", "missed", g_quotes[j][0].text[:60]) for j in
                       range(len(g_quotes)) if j not in used_g]
    ev.differences += [("speakers", "wrong", f"{d.text[:40]}: {d.speaker} for {g.speaker}")
                       for d, g in matched if d.speaker != g.speaker]
    right = sum(d.speaker == g.speaker for d, g in matched)
    ev.speakers_matched, ev.speakers_right = len(matched), right
    s["speakers"].tp, s["speakers"].fp, s["speakers"].fn = right, len(d_quotes) - right, \
        len(g_quotes) - right
    _sets(ev, "tenures", *(Counter({(t.person, t.post or t.organization) for t in m.facts.tenures})
                          for m in (drafted, curated)))
    _sets(ev, "dates", _dates(drafted.facts), _dates(curated.facts))
    _sets(ev, "events", *(Counter((e.type, str(e.date) if e.date else e.month) for e in
                                 m.facts.events) for m in (drafted, curated)))
    _sets(ev, "stances", *(Counter({(st.holder, t, st.type) for st in m.facts.stances
                                   for t in st.targets}) for m in (drafted, curated)))
    for item in _evidence_items(drafted):
        wanted, occurrence = (item, None) if isinstance(item, str) else (item.text,
                                                                        item.occurrence)
        starts = count_overlapping(text, wanted)
        ev.spans_total += 1
        ev.spans_verbatim += bool(starts) and (len(starts) == 1 and occurrence in (None, 1) or
                                               occurrence is not None and occurrence <= len(starts))
    return ev


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def table(ev: Evaluation, title: str = "") -> str:
    """A Markdown table: one row per kind, with the counts it rests on."""
    lines = []
    if title:
        lines.append(f"{title} ({ev.articles} article{'s' if ev.articles != 1 else ''})")
        lines.append("")
    lines += ["| kind | P | R | F1 | TP | FP | FN |", "|---|---|---|---|---|---|---|"]
    for kind in KINDS:
        sc = ev.scores[kind]
        lines.append(f"| {kind} | {_fmt(sc.precision)} | {_fmt(sc.recall)} | {_fmt(sc.f1)} | "
                     f"{sc.tp} | {sc.fp} | {sc.fn} |")
    lines.append(f"| speaker accuracy (matched quotes) | {_fmt(ev.speaker_accuracy)} | | | "
                 f"{ev.speakers_right} | {ev.speakers_matched - ev.speakers_right} | |")
    share = ev.spans_verbatim / ev.spans_total if ev.spans_total else None
    lines.append(f"| spans verbatim | {_fmt(share)}"
                 f" | | | {ev.spans_verbatim} | {ev.spans_total - ev.spans_verbatim} | |")
    return "\n".join(lines)
