"""One article of the synthetic corpus: its text and its facts, written together so that every
fact's evidence is the span of text just written (bench/corpus.py plans which articles)."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from dataclasses import dataclass

from corpus_text import (
    ANNOUNCED,
    FILLER,
    FOLLOWS,
    IGO_QUOTE,
    PLAIN_QUOTES,
    REACTIONS,
    REPORTED,
    SAID,
    STANCE_QUOTES,
    Draft,
    Facts,
    Span,
    day_text,
    weekday,
)
from corpus_world import Country, Outlet, Person, Story, World


@dataclass(eq=False)
class Plan:
    """One article to write: which story, how (announce, report, recap), when, by whom."""

    story: Story
    kind: str
    published: dt.date
    outlet: Outlet
    id: str = ""
    derived_from: Plan | None = None
    shifted: bool = False  # gives the date one day late
    moved: bool = False  # gives another place


def the(name: str) -> str:
    return name if name.startswith("The ") else f"the {name}"


class Writer:
    """Writes one article: its text (a Draft) and its facts (Facts), kept in step."""

    def __init__(self, world: World, plan: Plan, seed: int,
                 by_country: dict[str, list[Story]]) -> None:
        self.world, self.plan, self.seed = world, plan, seed
        self.rng = random.Random(f"{seed}:{plan.id}")
        self.by_country = by_country
        self.draft, self.facts = Draft(), Facts()
        self.stance_keys: set[tuple] = set()
        self.tenured: set[str] = set()
        self.pending: list[tuple[Person, str]] = []
        self.events: set[str] = set()
        self.quoted: set[str] = set()
        self.refs = 0

    # -- people ----------------------------------------------------------------------------
    def introduce(self, person: Person) -> str:
        """The person as the text names them: with their post the first time (a tenure,
        recorded by `attest` once the paragraph is written), else by surname."""
        if person.key in self.tenured or any(p is person for p, _ in self.pending):
            return person.surname
        form = self.rng.randrange(3)
        if form == 0:
            who = f"{person.title} {person.name}"
        elif form == 1:
            who = f"{person.country.name}'s {person.title.lower()}, {person.name}"
        else:
            who = f"{person.name}, the {person.country.adjective} {person.title.lower()}"
        self.pending.append((person, who))
        return who + ("," if "," in who else "")  # an apposition is closed before the verb

    def attest(self) -> None:
        """The tenures of the officials the last paragraph introduced, as of the article."""
        for person, who in self.pending:
            self.tenured.add(person.key)
            self.facts.add("tenures", {"person": person.key, "post": person.post,
                                       "attested_on": self.plan.published,
                                       "evidence": [self.draft.in_last(who)]})
        self.pending = []

    # -- facts -----------------------------------------------------------------------------
    def stance(self, speaker: Person, target: str, form: tuple, attribution: str,
               on: dt.date, evidence: Span, quote: str | None = None,
               during: str | None = None) -> None:
        _, kind, polarity, intensifier, modality, _ = form
        holder = speaker.country
        key = (holder.key, target, kind, on)
        if key in self.stance_keys or target == holder.key:
            return  # one stance of a kind per holder, target and day in an article
        self.stance_keys.add(key)
        self.facts.add("stances", {
            "holder": holder.key, "speaker": speaker.key, "targets": [target], "type": kind,
            "polarity": polarity, "intensifier": intensifier,
            "modality": None if modality == "Current" else modality,
            "attribution": attribution, "expressed_in": quote, "expressed_during": during,
            "stated_on": on, "evidence": [evidence]})

    def event(self, story: Story, date: dt.date, place: tuple[str, str] | None, status: str,
              span: Span) -> None:
        if story.id in self.events:
            return
        self.events.add(story.id)
        first, second = story.actors[0].name, story.actors[1].name
        label = {"Visit": f"State visit of {first} to {story.host.name}",
                 "Meeting": f"Meeting of the foreign ministers {first} and {second}",
                 "Summit": f"{story.igo[1] if story.igo else 'Regional'} summit in "
                           f"{story.host.name}",
                 "PhoneCall": f"Telephone call between {first} and {second}",
                 }.get(story.kind, f"Trade agreement signed by {first} and {second}")
        self.facts.add("events", {"id": story.id, "type": story.kind, "label": label,
                                  "date": date, "place": place[0] if place else None,
                                  "actors": [a.key for a in story.actors], "status": status,
                                  "evidence": [span]})

    def place_statement(self, city: tuple[str, str], country: Country, span: Span) -> None:
        self.facts.add("statements", {"subject": city[0], "predicate": "schema:containedInPlace",
                                      "object": country.key, "evidence": [span]})

    # -- quotes ----------------------------------------------------------------------------
    def sentence_for(self, speaker: Person, salt: str) -> tuple[tuple, tuple[str, str] | None]:
        """What a speaker says at a story (or, with a `signature-` salt, says again and again):
        the same words in every article about it. A form of STANCE_QUOTES, and its target."""
        pick = random.Random(f"{self.seed}:{salt}:{speaker.key}")
        roll = pick.random()
        if roll < 0.15:
            return (pick.choice(PLAIN_QUOTES), None, None, None, None, None), None
        if roll < 0.25:
            return IGO_QUOTE, pick.choice(speaker.country.igos)
        target = self.world.pick_country(pick, (speaker.country,))
        return pick.choice(STANCE_QUOTES), (target.key, target.name)

    def quote(self, speaker: Person, on: dt.date, salt: str, during: str | None,
              attribution: str, medium: str | None = None) -> bool:
        """A paragraph quoting `speaker` (with `attribution` after the words), the quote, and
        the stance the words express; False when the article already has these words."""
        form, target = self.sentence_for(speaker, salt)
        words = form[0].replace("{T}", target[1]) if target else form[0]
        if self.plan.kind == "recap" and ", and " in words and self.rng.random() < 0.5:
            words = words.split(", and ")[0]  # a shorter quote of the same words
        if any(words in q or q in words for q in self.quoted):
            return False
        self.quoted.add(words)
        self.refs += 1
        ref = f"q{self.refs}"
        text = f"\"{words},\" {attribution.format(who=self.introduce(speaker))}."
        (quote_span,) = self.draft.paragraph(text, words)
        self.attest()
        self.facts.add("quotes", {"ref": ref, "text": quote_span.text, "speaker": speaker.key,
                                  "medium": medium, "uttered_in": during, "uttered_on": on,
                                  "evidence": [self.draft.in_last(text[len(words) + 4:-1])]})
        if target is not None and form[1] is not None:
            phrase = form[5].replace("{T}", target[1])
            if phrase in words:
                span = Span(phrase, quote_span.start + words.find(phrase))
                self.stance(speaker, target[0], form, "DirectQuote", on, span, ref, during)
        return True

    # -- the article -----------------------------------------------------------------------
    def write(self) -> tuple[str, str]:
        """The article text and its facts file."""
        plan, story, rng = self.plan, self.plan.story, self.rng
        scheduled = plan.kind == "announce"
        date = story.date + dt.timedelta(days=1 if plan.shifted else 0)
        place = story.place
        if plan.moved and place is not None:
            place = next(c for c in story.host.cities if c != place)
        headline = self.headline(date)
        (headline_span,) = self.draft.paragraph(headline, headline)
        city = plan.outlet.country.capital if scheduled else (place or story.host.capital)
        dateline = f"{city[1].upper()}, {day_text(plan.published)}"
        lead, what = self.lead(date, place, scheduled)
        publisher, event_span = self.draft.paragraph(
            f"{dateline} ({plan.outlet.name}) - {lead}", f"({plan.outlet.name})", what)
        self.attest()
        self.event(story, date, place, "Scheduled" if scheduled else "Occurred", event_span)
        if place is not None and rng.random() < 0.8:
            where = f"{place[1]}, {story.host.name}"
            (span,) = self.draft.paragraph(
                f"The talks will take place in {where}, the ministry said." if scheduled else
                f"The meeting in {where}, lasted {rng.randint(2, 6)} hours.", where)
            self.place_statement(place, story.host, span)
        on = plan.published if scheduled else date
        during = None if scheduled else story.id
        speakers = [story.host.officials["foreign-minister"]] if scheduled else []
        for speaker in [*speakers, *story.actors][:4]:
            for n in range(rng.randint(1, 2)):
                said = rng.choice(ANNOUNCED if scheduled else SAID)
                self.quote(speaker, on, f"{story.id}-{n}", during, said)
        self.reported(story, on, during)
        self.background()
        self.officials(story)
        self.reactions(story, on)
        self.interview()
        self.context(story)
        if plan.derived_from is not None:
            source = the(plan.derived_from.outlet.name)
            (span,) = self.draft.paragraph(
                f"This account is based on a report by {source} published on "
                f"{day_text(plan.derived_from.published)}.", f"based on a report by {source}")
            self.facts.article["derived_from"] = [plan.derived_from.id]
            self.facts.article["derived_from_evidence"] = [span]
        for line in rng.sample(FILLER, 5):
            self.draft.paragraph(line)
        text = self.draft.finish()
        self.facts.article = {
            "id": plan.id, "text": f"../articles/{plan.id}.txt", "publisher": plan.outlet.key,
            "publisher_evidence": [publisher], "headline": headline_span,
            "date_published": plan.published, "dateline": dateline, **self.facts.article}
        return text, self.facts.render(text)

    def headline(self, date: dt.date) -> str:
        story, kind = self.plan.story, self.plan.kind
        a, b = story.guest.name, story.host.name
        igo = story.igo[1] if story.igo else "Regional"
        if kind == "announce":
            return {"Visit": f"{a}'s president to visit {b} on {day_text(date)}",
                    "Summit": f"Leaders to meet in {b} for {igo} summit",
                    }.get(story.kind, f"{a} and {b} prepare talks for {day_text(date)}")
        if kind == "recap":
            return f"What the {a}-{b} talks mean for the region"
        return {"Visit": f"{b} welcomes {a}'s president",
                "Meeting": f"Foreign ministers of {a} and {b} meet",
                "Summit": f"{igo} summit opens in {b}",
                "PhoneCall": f"Leaders of {a} and {b} speak by phone",
                }.get(story.kind, f"{a} and {b} sign trade agreement")

    def lead(self, date: dt.date, place: tuple[str, str] | None,
             scheduled: bool) -> tuple[str, str]:
        """The first sentence, and the words of it that state the event."""
        story = self.plan.story
        first, second = story.actors[0], story.actors[1]
        where = f" in {place[1]}" if place else ""
        on = f"on {day_text(date)}"
        if scheduled:
            what = {"Visit": f"will pay a state visit to {story.host.name} {on}",
                    "Summit": f"will hold a summit{where} {on}",
                    }.get(story.kind, f"will hold talks{where} {on}")
            subject = self.introduce(first) if story.kind == "Visit" else \
                f"{story.guest.name} and {story.host.name}"
            who = self.introduce(story.host.officials["foreign-minister"]).rstrip(",")
            return f"{subject} {what}, {who} announced on {weekday(self.plan.published)}.", what
        what = {"Visit": f"held talks with {second.name}{where} {on}",
                "Meeting": f"met {second.name}{where} {on}",
                "Summit": f"opened the summit{where} {on}",
                "PhoneCall": f"spoke by telephone with {second.name} {on}",
                }.get(story.kind, f"signed a trade agreement with {second.name}{where} {on}")
        subject = self.introduce(first)
        return (f"{subject} {what}, the first such meeting in "
                f"{self.rng.randint(2, 12)} years.", what)

    def reported(self, story: Story, on: dt.date, during: str | None) -> None:
        """Reported speech: stances in the journalist's words."""
        for speaker in self.rng.sample(story.actors, len(story.actors)):
            for form in self.rng.sample(REPORTED, self.rng.randint(1, 3)):
                target = self.world.pick_country(self.rng, (speaker.country,))
                phrase = form[5].format(T=target.name)
                (span,) = self.draft.paragraph(
                    f"{self.introduce(speaker)} {form[0].format(T=target.name)}.", phrase)
                self.attest()
                self.stance(speaker, target.key, form, "ReportedSpeech", on, span,
                            during=during)

    def background(self) -> None:
        """Earlier stories of the same countries, mentioned again (they recur as events)."""
        story, before = self.plan.story, self.plan.published - dt.timedelta(days=1)
        earlier: list[Story] = []
        for country in (story.host, story.guest):
            stories = self.by_country[country.key]
            cut = bisect.bisect_left(stories, before, key=lambda s: s.date)
            earlier += stories[max(0, cut - 3):cut]
        for past in dict.fromkeys(earlier):
            if past.id == story.id or len(self.events) >= 5:
                continue
            place = past.place
            if place is not None and self.rng.random() < 0.03:  # another place than others give
                place = next(c for c in past.host.cities if c != place)
            a, b = past.actors[0].name, past.actors[1].name
            where = f" in {place[1]}" if place else ""
            what = {"Visit": f"a visit by {a} to {past.host.name}",
                    "Meeting": f"a meeting of the foreign ministers {a} and {b}",
                    "Summit": f"a summit of the {past.igo[1] if past.igo else 'region'}",
                    "PhoneCall": f"a telephone call between {a} and {b}",
                    }.get(past.kind, f"the signing of a trade agreement by {a} and {b}")
            what += f"{where} on {day_text(past.date)}, {past.date.year}"
            (span,) = self.draft.paragraph(self.rng.choice(FOLLOWS).format(what=what), what)
            self.event(past, past.date, place, "Occurred", span)

    def officials(self, story: Story) -> None:
        """Other office holders present: each attested in office by this article."""
        present = [c.officials[r] for c in dict.fromkeys((story.host, story.guest,
                                                          *story.others))
                   for r in ("prime-minister", "defence-minister", "trade-minister",
                             "foreign-minister")]
        chosen = [p for p in present if p.key not in self.tenured]
        for person in self.rng.sample(chosen, min(len(chosen), self.rng.randint(3, 5))):
            self.draft.paragraph(f"Also taking part was {self.introduce(person).rstrip(',')}, "
                                 f"who {self.rng.choice(('spoke briefly', 'led a separate round of talks', 'met business leaders', 'answered questions from reporters'))}.")  # noqa: E501
            self.attest()

    def reactions(self, story: Story, on: dt.date) -> None:
        """Officials of other countries comment: quotes, stances and tenures of their own."""
        seen = {story.host, story.guest, *story.others}
        for _ in range(self.rng.randint(3, 5)):
            country = self.world.pick_country(self.rng, tuple(seen))
            seen.add(country)
            speaker = country.officials[self.rng.choice(("foreign-minister", "president",
                                                          "prime-minister"))]
            said = self.rng.choice(REACTIONS).format(capital=country.capital[1], who="{who}")
            self.quote(speaker, on, f"{story.id}-reaction", None, said)

    def interview(self) -> None:
        """A sentence a speaker says again and again, here to the outlet itself."""
        outlet = self.plan.outlet
        for speaker in self.rng.sample(self.plan.story.actors, 1):
            salt = f"signature-{self.rng.randrange(4)}"
            self.quote(speaker, self.plan.published, salt, None,
                       f"{{who}} told {the(outlet.name)} in an interview", outlet.key)

    def context(self, story: Story) -> None:
        """Memberships, how the outlet sees one relation (an assessment), an omission."""
        for country in (story.host, story.guest):
            igo = country.igos[0]
            phrase = f"{country.name}, a member of the {igo[1]}"
            (span,) = self.draft.paragraph(f"{phrase}, has pressed for lower tariffs within "
                                           "the group.", phrase)
            self.facts.add("statements", {"subject": country.key, "predicate": "org:memberOf",
                                          "object": igo[0], "evidence": [span]})
        if self.rng.random() < 0.6:
            other = self.world.pick_country(self.rng, (story.host,))
            pair = sorted([story.host, other], key=lambda c: c.key)
            phrase = f"Relations between {pair[0].name} and {pair[1].name} remain tense"
            (span,) = self.draft.paragraph(f"{phrase} after a dispute over fishing rights.",
                                           phrase)
            self.facts.add("assessments", {"id": f"{pair[0].key}-{pair[1].key}-relations-tense",
                                           "between": [pair[0].key, pair[1].key],
                                           "state": "Tense", "polarity": "Negative",
                                           "assessed_by": self.plan.outlet.key,
                                           "evidence": [span]})
        if self.plan.kind != "announce" and self.rng.random() < 0.4:
            speaker = story.actors[0]
            absent = self.world.pick_country(self.rng, (story.host, story.guest,
                                                        speaker.country))
            phrase = f"{speaker.surname} made no mention of {absent.name}"
            (span,) = self.draft.paragraph(f"{phrase}, whose ships were detained last month.",
                                           phrase)
            self.facts.add("omissions", {
                "id": f"{speaker.key}-no-mention-of-{absent.key}-{story.id}",
                "omitted_by": speaker.key, "not_mentioned": absent.key, "within": story.id,
                "observed_by": self.plan.outlet.key, "evidence": [span]})
