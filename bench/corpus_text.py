"""Writing one synthetic article: English news text, and its facts file with every evidence
span taken from the text as written (bench/corpus.py drives it).

A `Draft` is the article text being written; each fact's evidence is a `Span` recorded at the
place it is written, so that when a span's words occur more than once in the finished text,
the facts file says which occurrence (`{text, occurrence}`), as a curator would.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

# A sentence a speaker says, and the stance it expresses: (text, stance type, polarity,
# intensifier, modality, the words of the text that state the stance). {T} is the target.
STANCE_QUOTES = (
    ("{T} remains our main strategic partner, and we will deepen our ties in every field",
     "MainStrategicPartner", "Positive", "main", "Current",
     "{T} remains our main strategic partner"),
    ("We see {T} as a strategic partner for the coming decade, not only as a neighbour",
     "StrategicPartner", "Positive", None, "Current", "{T} as a strategic partner"),
    ("{T} is an important trade partner for our farmers and for our factories",
     "TradePartner", "Positive", "important", "Current", "{T} is an important trade partner"),
    ("Our allied relations with {T} rest on trust that was built over many years",
     "AlliedRelations", "Positive", None, "Current", "Our allied relations with {T}"),
    ("We want to live with {T} as good neighbours, without walls and without suspicion",
     "GoodNeighbourliness", "Positive", None, "Current", "live with {T} as good neighbours"),
    ("We intend to expand our cooperation with {T} in energy, transport and education",
     "IntentToCooperate", "Positive", None, "Intended", "expand our cooperation with {T}"),
    ("The statements coming from {T} in recent weeks are unacceptable and unhelpful",
     "Criticism", "Negative", None, "Current", "statements coming from {T} in recent weeks are "
     "unacceptable"),
    ("We will not allow {T} or anyone else to interfere in our internal affairs",
     "AccusationOfInterference", "Negative", None, "Current",
     "We will not allow {T} or anyone else to interfere in our internal affairs"),
    ("We have invited the leadership of {T} to visit our capital next year, and we hope they "
     "will come", "Invitation", "Positive", None, "Current",
     "invited the leadership of {T} to visit our capital"),
    ("{T} has been a reliable partner in difficult times, and we do not forget that",
     "Partnership", "Positive", "reliable", "Current", "{T} has been a reliable partner"),
)
IGO_QUOTE = ("The {T} is the place where small and large states solve problems together",
             "MultilateralCooperation", "Positive", None, "Current",
             "the place where small and large states solve problems together")
PLAIN_QUOTES = (
    "The talks were open and covered every question on our agenda",
    "We discussed energy, transport and the situation on our common border",
    "Nothing was decided today, but a great deal was prepared",
    "Our experts will continue this work in the coming weeks",
    "We agreed to meet again before the end of the year",
    "Every agreement we sign must serve the ordinary citizen first",
)
# What a journalist writes about a speaker's words (reported speech, no quotation marks), in
# the form of STANCE_QUOTES: (sentence after the speaker's name, stance type, polarity,
# intensifier, modality, the words that state the stance).
REPORTED = (
    ("also called {T} a reliable partner in trade", "TradePartner", "Positive", "reliable",
     "Current", "called {T} a reliable partner in trade"),
    ("said the government wanted closer ties with {T}", "IntentToCooperate", "Positive", None,
     "Intended", "wanted closer ties with {T}"),
    ("criticised {T} for its handling of the dispute over water rights", "Criticism",
     "Negative", None, "Current", "criticised {T} for its handling of the dispute"),
    ("described relations with {T} as those of good neighbours", "GoodNeighbourliness",
     "Positive", None, "Current", "described relations with {T} as those of good neighbours"),
    ("accused {T} of meddling in the recent local elections", "AccusationOfInterference",
     "Negative", None, "Current", "accused {T} of meddling in the recent local elections"),
    ("called {T} a strategic partner of the first rank", "StrategicPartner", "Positive", None,
     "Current", "called {T} a strategic partner"),
    ("said that the alliance with {T} was stronger than ever", "AlliedRelations", "Positive",
     None, "Current", "the alliance with {T} was stronger than ever"),
)
# What follows a quote: {who} is the speaker as the text names them.
SAID = ("{who} said at a joint news conference", "{who} told reporters after the talks",
        "{who} said in a statement released after the meeting", "{who} said at a briefing",
        "{who} told a meeting of officials", "{who} said in a televised address")
ANNOUNCED = ("{who} said on announcing the talks", "{who} told reporters",
             "{who} said in a statement", "{who} told parliament")
REACTIONS = ("{who} said in {capital}", "{who} told reporters in {capital}",
             "{who} said in a statement issued in {capital}")
FOLLOWS = ("The talks follow {what}.", "Earlier, there was {what}, which set the agenda.",
           "It was the second contact in weeks, after {what}.",
           "Officials recalled {what}, which ended without an agreement.",
           "The groundwork was laid at {what}.")
FILLER = (
    "Officials on both sides declined to give further details of the talks.",
    "The two delegations also discussed rail links, river shipping and the price of gas.",
    "Analysts in the region said the meeting was carefully prepared over several months.",
    "Business groups in both countries welcomed the plans, while opposition politicians "
    "called for more openness about the costs.",
    "Trade between the two countries fell sharply two years ago and has only partly recovered.",
    "A joint commission is expected to draw up a detailed programme by the autumn.",
    "Security was tight in the city centre, where several streets were closed to traffic.",
    "Students and teachers have long asked for easier visa rules between the neighbours.",
    "The border crossings are among the busiest in the region, with long queues of lorries "
    "in the summer months.",
    "Energy prices have become the main political question in both capitals this year.",
    "Diplomats said a final text could be ready for signature within weeks.",
    "Local newspapers gave the talks wide coverage, most of it cautiously positive.",
    "A small group of protesters gathered outside the venue, calling for the release of "
    "detained journalists.",
    "The last comparable agreement between the two governments expired three years ago and "
    "was never replaced.",
    "Farmers' unions have warned that cheaper imports could hurt growers in the border "
    "provinces.",
    "Both governments face elections next year, and neither can afford to appear weak on "
    "questions of sovereignty.",
    "Officials said a hotline between the two ministries would be set up before the winter.",
    "The road and rail links between the two capitals were rebuilt with money from a "
    "regional development fund.",
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def day_text(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}"


def weekday(day: dt.date) -> str:
    return WEEKDAYS[day.weekday()]


@dataclass
class Span:
    """Words of the text at a known offset: an evidence item once the text is finished."""

    text: str
    start: int


@dataclass
class Draft:
    """The article text being written, paragraph by paragraph."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    last: Span = field(default_factory=lambda: Span("", 0))
    """The last paragraph written."""

    def write(self, text: str, *phrases: str) -> list[Span]:
        """Append `text`; the spans of `phrases`, each the first place it occurs in `text`."""
        spans = []
        for phrase in phrases:
            at = text.find(phrase)
            if at < 0:
                raise ValueError(f"{phrase!r} is not in {text!r}")
            spans.append(Span(phrase, self.length + at))
        self.parts.append(text)
        self.length += len(text)
        return spans

    def paragraph(self, text: str, *phrases: str) -> list[Span]:
        self.last = Span(text, self.length)
        spans = self.write(text, *phrases)
        self.write("\n\n")
        return spans

    def in_last(self, phrase: str) -> Span:
        """Where `phrase` is in the last paragraph (its last place there)."""
        at = self.last.text.rfind(phrase)
        if at < 0:
            raise ValueError(f"{phrase!r} is not in {self.last.text!r}")
        return Span(phrase, self.last.start + at)

    def finish(self) -> str:
        return "".join(self.parts).rstrip("\n") + "\n"


def occurrences(text: str, phrase: str) -> list[int]:
    """Every start of `phrase` in `text`, overlapping ones too (as kgpub counts them)."""
    starts, at = [], text.find(phrase)
    while at >= 0:
        starts.append(at)
        at = text.find(phrase, at + 1)
    return starts


class Facts:
    """The facts file being written: YAML, by hand (a dump of a few hundred lines per article
    is the slowest part with PyYAML), with the spans resolved against the finished text."""

    def __init__(self) -> None:
        self.sections: dict[str, list[dict]] = {}
        self.article: dict = {}

    def add(self, section: str, fact: dict) -> None:
        self.sections.setdefault(section, []).append(fact)

    def render(self, text: str) -> str:
        lines: list[str] = []
        _emit(lines, {"article": self.article}, 0, text)
        lines.append("facts:")
        _emit(lines, self.sections, 1, text)
        return "\n".join(lines) + "\n"


def _scalar(value: object, text: str) -> str:
    if isinstance(value, Span):
        starts = occurrences(text, value.text)
        if starts == [value.start]:
            return json.dumps(value.text, ensure_ascii=False)
        return (f"{{text: {json.dumps(value.text, ensure_ascii=False)}, "
                f"occurrence: {starts.index(value.start) + 1}}}")
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)  # numbers, dates (ISO)


def _emit(lines: list[str], mapping: dict, depth: int, text: str) -> None:
    pad = "  " * depth
    for key, value in mapping.items():
        if value is None or value == [] or value == {}:
            continue
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            _emit(lines, value, depth + 1, text)
        elif isinstance(value, list) and isinstance(value[0], dict):
            lines.append(f"{pad}{key}:")
            for item in value:
                first = len(lines)
                _emit(lines, item, depth + 2, text)
                lines[first] = f"{pad}  - {lines[first].lstrip()}"
        elif isinstance(value, list):
            lines.append(f"{pad}{key}: [{', '.join(_scalar(v, text) for v in value)}]")
        else:
            lines.append(f"{pad}{key}: {_scalar(value, text)}")
