"""Who answers in an interview printed as questions and answers.

"Name: answer" turns name their speaker. Turns marked only "Q:" and "A:" do not: the interviewee
is the one the introduction presents, so the last person it names before the first question
("The Herald spoke with Ms Oyunchimeg ...") answers every "A:".
"""

from __future__ import annotations

from .gazetteer import Mention
from .quotes import Quotation
from .text import Document

QUESTION_MARKS = {"q", "question"}
ANSWER_MARKS = {"a", "answer"}


def answerers(doc: Document, turns: list[Quotation],
              mentions: list[Mention]) -> list[tuple[Quotation, Mention, str]]:
    """Each answer turn with the registry person who gives it, and why."""
    people = [m for m in mentions if m.etype == "Person" and m.key]
    labels = {t.open: doc.text[t.label.start:t.label.end] for t in turns if t.label}
    marked = {label.lower() for label in labels.values()} & (QUESTION_MARKS | ANSWER_MARKS)
    interviewee = None
    if marked and turns:
        first = min(t.label.start for t in turns if t.label)
        before = [m for m in people if m.end <= first]
        interviewee = before[-1] if before else None
    found = []
    for turn in turns:
        label = labels.get(turn.open)
        if turn.label is None or label is None:
            continue
        if label.lower() in ANSWER_MARKS and interviewee is not None:
            found.append((turn, interviewee, f'an answer marked "{label}:" in an interview with '
                                             f'"{interviewee.surface}", named before the first '
                                             "question"))
            continue
        person = next((m for m in people
                       if (m.start, m.end) == (turn.label.start, turn.label.end)), None)
        if person is not None:
            found.append((turn, person, f'an answer in a transcript, labelled "{label}:"'))
    return found
