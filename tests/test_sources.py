"""The loader: YAML with line numbers, validated by the typed model, errors that name the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgpub.errors import SourceError
from kgpub.model import ArticleFile, Registry
from kgpub.sources import load_model, load_sources


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(exc: pytest.ExceptionInfo[SourceError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def test_mini_project_loads(mini_project: Path) -> None:
    sources = load_sources(mini_project)
    assert [a.model.article.id for a in sources.articles] == ["rns-dispatch"]
    assert len(sources.registry.entities) == 5
    assert sources.articles[0].text.startswith("Ruritania Courts Freedonia")


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "entities:\n  - key: a\n    type: Person\n   label: [unclosed\n")
    with pytest.raises(SourceError) as exc:
        load_model(path, Registry)
    (message,) = problems(exc)
    assert message.startswith(f"{path}:4:") and "malformed YAML" in message


def test_duplicate_yaml_key_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "entities:\n  - key: a\n    type: Person\n    label: A\n    key: b\n")
    with pytest.raises(SourceError) as exc:
        load_model(path, Registry)
    assert "duplicate key 'key' (first at line 2)" in problems(exc)[0]
    assert problems(exc)[0].startswith(f"{path}:5:")


def test_unknown_field_names_field_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "entities:\n  - key: a\n    type: Person\n    label: A\n    lable: B\n")
    with pytest.raises(SourceError) as exc:
        load_model(path, Registry)
    (message,) = problems(exc)
    assert message.startswith(f"{path}:5: entities[0].lable:")
    assert "unknown field 'lable'" in message


def test_bad_date_names_field_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "article:\n  id: x\n  text: x.txt\n  publisher: p\n  headline: H\n"
        "  date_published: 2017-13-45\n",
    )
    with pytest.raises(SourceError) as exc:
        load_model(path, ArticleFile)
    (message,) = problems(exc)
    assert message.startswith(f"{path}:6: article.date_published:")
    assert "date" in message


def test_bad_partial_date(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "article: {id: x, text: x.txt, publisher: p, headline: H, date_published: 2017-11-29}\n"
        "facts:\n  tenures:\n    - person: a\n      organization: b\n      begins: '1999-14'\n",
    )
    with pytest.raises(SourceError) as exc:
        load_model(path, ArticleFile)
    assert "months run 01 to 12" in problems(exc)[0]
    assert problems(exc)[0].startswith(f"{path}:6:")


def test_bad_key_pattern(tmp_path: Path) -> None:
    path = write(tmp_path, "entities:\n  - key: Not A Key\n    type: Person\n    label: A\n")
    with pytest.raises(SourceError) as exc:
        load_model(path, Registry)
    assert problems(exc)[0].startswith(f"{path}:2: entities[0].key:")


def test_stance_needs_exactly_one_date(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "article: {id: x, text: x.txt, publisher: p, headline: H, date_published: 2017-11-29}\n"
        "facts:\n  stances:\n    - holder: a\n      targets: [b]\n      type: T\n"
        "      polarity: Positive\n      attribution: DirectQuote\n",
    )
    with pytest.raises(SourceError) as exc:
        load_model(path, ArticleFile)
    assert "exactly one of stated_on and stated_before" in problems(exc)[0]
    assert problems(exc)[0].startswith(f"{path}:4:")


def test_missing_article_text(mini_project: Path) -> None:
    (mini_project / "data/articles/dispatch.txt").unlink()
    with pytest.raises(SourceError) as exc:
        load_sources(mini_project)
    (message,) = problems(exc)
    assert "article.text" in message and "not found" in message
    assert ":3:" in message


def test_language_tags_are_checked_where_they_are_written(tmp_path: Path) -> None:
    """rdflib refuses a literal with a malformed tag; the loader must say so first, with the
    line (a build once ended in an internal error instead)."""
    path = write(tmp_path, "entities:\n  - key: a\n    type: City\n    label: A\n"
                           "    labels:\n      ru: А\n      Capital city (context: B\n")
    with pytest.raises(SourceError) as exc:
        load_model(path, Registry)
    (message,) = problems(exc)
    assert message.startswith(f"{path}:") and "entities[0].labels" in message, message
    assert "language tag" in message, message
    path = write(
        tmp_path,
        "article: {id: x, text: x.txt, publisher: p, headline: H, date_published: 2017-11-29}\n"
        "facts:\n  statements:\n    - subject: a\n      predicate: rdfs:label\n"
        "      value: A\n      lang: en_GB\n      evidence: [A]\n")
    with pytest.raises(SourceError) as exc:
        load_model(path, ArticleFile)
    assert any("lang" in m and "language tag" in m for m in problems(exc)), problems(exc)
