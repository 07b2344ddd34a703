"""Scores per kind: a curated file against itself is perfect, and each kind of miss counts."""

from __future__ import annotations

from pathlib import Path

from kgpub.draft import run
from kgpub.draft.evaluate import Evaluation, evaluate, referenced, table
from kgpub.model import ArticleFile, Registry
from kgpub.sources import load_model

ROOT = Path(__file__).resolve().parents[1]
D8 = ROOT / "tests" / "fixtures" / "draft" / "dev" / "d8-kyrgyzstan-russia" / "data"


def _gold():
    gold, _ = load_model(D8 / "facts" / "d8-kyrgyzstan-russia.yaml", ArticleFile)
    registry, _ = load_model(D8 / "actors.yaml", Registry)
    text = (D8 / "articles" / "d8-kyrgyzstan-russia.txt").read_text(encoding="utf-8")
    return gold, {e.key: e for e in registry.entities}, text


def test_a_curated_file_against_itself_scores_one_everywhere_but_mentions() -> None:
    gold, entities, text = _gold()
    ev = evaluate(gold, gold, text, [], entities)
    for kind in ("actors in facts", "quotes", "speakers", "tenures", "dates", "events",
                 "stances"):
        assert ev.scores[kind].f1 == 1.0, kind
    assert ev.scores["actors"].recall == 0.0  # no mentions given
    assert ev.speaker_accuracy == 1.0
    assert ev.spans_verbatim == ev.spans_total > 20


def test_misses_and_extras_are_counted_per_kind() -> None:
    gold, entities, text = _gold()
    quotes = list(gold.facts.quotes)
    wrong = quotes[0].model_copy(update={"speaker": "ivan-belov"})
    stances = gold.facts.stances[1:]
    drafted = gold.model_copy(update={"facts": gold.facts.model_copy(update={
        "quotes": [wrong, *quotes[1:3]], "stances": stances})})
    ev = evaluate(drafted, gold, text, [], entities)
    q, s = ev.scores["quotes"], ev.scores["speakers"]
    assert (q.tp, q.fp, q.fn) == (3, 0, 1)
    assert (s.tp, s.fp, s.fn) == (2, 1, 2)
    assert ev.speakers_matched == 3 and ev.speakers_right == 2
    assert ev.scores["stances"].fn == 1 and ev.scores["stances"].fp == 0
    assert ("speakers", "wrong",
            "deepen their alliance: ivan-belov for almaz-toktorov") in ev.differences


def test_actors_are_what_the_facts_refer_to_and_the_states_of_their_posts() -> None:
    gold, entities, _ = _gold()
    actors = referenced(gold, entities)
    assert {"kyrgyzstan", "russia", "almaz-toktorov", "eaeu", "moscow"} <= actors
    assert "president-of-russia" not in actors  # a post is not an actor; its state is


def test_scoring_never_looks_at_the_projects_curated_files() -> None:
    """The fixture's registry sits beside its gold file: a draft being scored must not copy it."""
    result = run(D8 / "articles" / "d8-kyrgyzstan-russia.txt", registry=D8 / "actors.yaml",
                 curated=D8 / "facts" / "d8-kyrgyzstan-russia.yaml", root=ROOT)
    assert "described as in" not in result.facts_yaml
    assert "the project already has" not in result.facts_yaml


def test_the_table_names_every_kind() -> None:
    text = table(Evaluation(), "nothing")
    assert text.startswith("nothing (0 articles)")
    assert "| stances | – | – | – | 0 | 0 | 0 |" in text
