"""Regression floors for `kgpub draft` on every evaluation set (bench/draft_eval.py prints the
full tables; the README quotes them). A rule change that loses ground fails here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from draft_eval import score  # noqa: E402

# (kind, precision floor, recall floor) per set: the figures measured, rounded down; the
# speaker accuracy floor per set (dev: one surname shared by two people, d11, is misread).
FLOORS = {
    "seeds": {"quotes": (1.0, 1.0), "speakers": (1.0, 1.0), "stances": (0.95, 0.95),
              "events": (0.95, 0.95), "dates": (0.95, 0.95), "tenures": (0.95, 0.95),
              "actors": (0.95, 0.9)},
    # dev stances: joint intents ("the two governments would build ...") are drafted for both
    # states, where d1, d10 and d11's gold records only the speaker's (the fresh golds, both)
    "dev": {"quotes": (1.0, 0.95), "speakers": (0.95, 0.9), "stances": (0.9, 0.9),
            "events": (0.9, 0.85), "dates": (0.95, 0.85), "tenures": (0.95, 0.95),
            "actors": (0.85, 0.95)},
    "heldout": {"quotes": (1.0, 1.0), "speakers": (1.0, 1.0), "stances": (0.95, 0.95),
                "events": (0.95, 0.95), "dates": (0.95, 0.95), "tenures": (0.95, 0.95),
                "actors": (0.95, 0.95)},
    # blind events: h7's "victory speech" is drafted as a speech, which its gold does not record
    # (the fresh gold, f7, does)
    "blind": {"quotes": (1.0, 1.0), "speakers": (1.0, 1.0), "stances": (0.95, 0.85),
              "events": (0.85, 0.95), "dates": (0.95, 0.95), "tenures": (0.95, 0.95),
              "actors": (0.85, 0.95)},
    # fresh: development data since its first run (README); far from the targets on tenures,
    # dates, events and stances
    "fresh": {"quotes": (1.0, 0.95), "speakers": (0.95, 0.95), "stances": (0.95, 0.6),
              "events": (0.95, 0.65), "dates": (0.95, 0.65), "tenures": (0.95, 0.85),
              "actors": (0.85, 0.95)},
    # fresh2, fresh3, fresh4: each scored once unseen (README), then tuned on (fresh4: names of
    # three parts, "said Mr X", pronouns after an opening clause; all four fresh sets: the event
    # and stance recall round of the README; fresh3 and fresh4 gained from the fresh5 round;
    # all four from the general-vocabulary round; fresh2's speakers and fresh4's tenures from
    # the fresh6 round)
    "fresh2": {"quotes": (0.95, 0.9), "speakers": (0.95, 0.9), "stances": (0.9, 0.65),
               "events": (0.85, 0.6), "dates": (0.95, 0.8), "tenures": (0.95, 0.8),
               "actors": (0.85, 0.95)},
    "fresh3": {"quotes": (0.95, 0.95), "speakers": (0.95, 0.95), "stances": (0.95, 0.7),
               "events": (0.85, 0.65), "dates": (0.95, 0.85), "tenures": (0.95, 0.9),
               "actors": (0.8, 0.95)},
    "fresh4": {"quotes": (1.0, 0.9), "speakers": (0.95, 0.9), "stances": (0.9, 0.8),
               "events": (0.85, 0.75), "dates": (0.9, 0.7), "tenures": (0.95, 0.9),
               "actors": (0.7, 0.95)},
    # fresh5: scored twice unseen (README), then tuned on for quotes and speakers (Q:/A:
    # interviews, titles after "the", role nouns of a state, relative clauses, participles),
    # tenures and dates; its events and stances are far below the targets
    "fresh5": {"quotes": (0.95, 0.95), "speakers": (0.95, 0.95), "stances": (0.85, 0.35),
               "events": (0.75, 0.45), "dates": (0.9, 0.8), "tenures": (0.95, 0.9),
               "actors": (0.75, 0.95)},
    # fresh6: scored twice unseen (README: at 64abe0a, and at c810232 after the round of recall
    # that generalises: events 0.53 / 0.36 -> 0.53 / 0.37, stances 0.83 / 0.25 -> 0.71 / 0.28),
    # then tuned on (the fresh6 round of the README); still far from the targets on events and
    # stances
    "fresh6": {"quotes": (1.0, 1.0), "speakers": (1.0, 1.0), "stances": (0.85, 0.4),
               "events": (0.6, 0.4), "dates": (1.0, 0.6), "tenures": (1.0, 0.95),
               "actors": (0.75, 0.95)},
    # fresh7: scored once unseen (README: at 10e35ce, after the round tuned on fresh6): far
    # from the targets on speakers, dates, events and stances; not tuned on yet
    "fresh7": {"quotes": (1.0, 0.95), "speakers": (0.8, 0.8), "stances": (0.8, 0.3),
               "events": (0.45, 0.2), "dates": (0.75, 0.45), "tenures": (0.9, 0.75),
               "actors": (0.85, 0.95)},
}

SPEAKER_ACCURACY = {"dev": 0.95, "fresh": 0.95, "fresh2": 0.95, "fresh3": 0.95, "fresh4": 0.95,
                    "fresh5": 0.95, "fresh6": 1.0, "fresh7": 0.8}


@pytest.mark.parametrize("name", FLOORS)
def test_scores_stay_above_their_floors(name: str) -> None:
    evaluation, _ = score(name, details=False)
    assert evaluation.spans_verbatim == evaluation.spans_total
    assert evaluation.speaker_accuracy >= SPEAKER_ACCURACY.get(name, 1.0)
    for kind, (precision, recall) in FLOORS[name].items():
        s = evaluation.scores[kind]
        assert s.precision >= precision and s.recall >= recall, (kind, s)
