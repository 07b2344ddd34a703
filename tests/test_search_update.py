"""A build updates the search index for what changed (kgpub.search.update) instead of making it
anew, and the updated index holds and answers exactly what an index made anew from the same
kgpub.nq does: every table (ids replaced by what they stand for, the orders compared as
orders), the full-text index word by word, and searches, lists with facets, timelines and
networks (tests/search_compare.py).

On a corpus of bench/corpus.py: one article edited; one article removed and another added; a
registry label that many items show changed; and the cases where the index is made anew.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from search_compare import answers, differences, tables, words

from kgpub.search import search_index_path, update
from kgpub.search.index import make_index
from kgpub.search.kept import KEPT_NAME, index_made

ROOT = Path(__file__).resolve().parents[1]


def build(project: Path) -> Path:
    from kgpub.pipeline import build as run

    run(project)
    return project / "data" / "ttl"


def same_as_made_anew(out: Path, tmp_path: Path, name: str) -> None:
    fresh = tmp_path / f"{name}.sqlite"
    make_index(out / "kgpub.nq", fresh)
    built = tmp_path / f"{name}-built.sqlite"
    shutil.copyfile(search_index_path(out), built)
    assert differences(tables(built), tables(fresh)) == []
    with sqlite3.connect(fresh) as conn:
        iris = [v for (v,) in conn.execute(
            "SELECT t.value FROM facet_count c JOIN term t ON t.id = c.term "
            "WHERE c.kind = 'stances' AND c.name IN ('holder', 'type') ORDER BY c.n DESC, "
            "t.value LIMIT 4")]
    texts = words(fresh)
    assert differences(answers(built, texts, iris), answers(fresh, texts, iris)) == []


@pytest.fixture(scope="module")
def built_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 articles of bench/corpus.py, one of them set aside (data/spare.yaml), built once for
    the module; each test changes a copy of it."""
    root = tmp_path_factory.mktemp("search-update") / "corpus"
    subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), "--articles", "20",
                    "--out", str(root), "--seed", "3"], check=True, capture_output=True,
                   timeout=120)
    facts = sorted((root / "data" / "facts").glob("*.yaml"))
    facts[-1].rename(root / "data" / "spare.yaml")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(update, "LIMIT", 1.0)
        build(root)
    assert index_made(search_index_path(root / "data" / "ttl").with_name(KEPT_NAME)) == "anew"
    return root


@pytest.fixture
def corpus(built_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = Path(shutil.copytree(built_corpus, tmp_path / "corpus", symlinks=True))
    # Every change here is a large part of 19 articles: updated all the same.
    monkeypatch.setattr(update, "LIMIT", 1.0)
    return root


def made(out: Path) -> str:
    return index_made(search_index_path(out).with_name(KEPT_NAME))


def test_an_edited_article_updates_the_index(corpus: Path, tmp_path: Path) -> None:
    files = sorted((corpus / "data" / "facts").glob("*.yaml"))
    path = files[len(files) // 2]
    text = path.read_text(encoding="utf-8")
    edited, n = re.subn(r'(\n      label: "?)([^"\n]+)', r"\1\2 (edited)", text, count=1)
    assert n == 1
    path.write_text(edited, encoding="utf-8")
    out = build(corpus)
    assert made(out) == "updated"
    same_as_made_anew(out, tmp_path, "edited")
    with sqlite3.connect(search_index_path(out)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM doc WHERE names LIKE '%(edited)%' "
                            "OR label LIKE '%(edited)%'").fetchone()[0] > 0


def test_an_article_removed_and_another_added_update_the_index(corpus: Path,
                                                               tmp_path: Path) -> None:
    facts = corpus / "data" / "facts"
    removed = sorted(facts.glob("*.yaml"))[3]
    removed.unlink()
    (corpus / "data" / "spare.yaml").rename(facts / "spare.yaml")
    out = build(corpus)
    assert made(out) == "updated"
    same_as_made_anew(out, tmp_path, "replaced")


def test_a_registry_label_shown_by_many_items_updates_the_index(corpus: Path,
                                                                tmp_path: Path) -> None:
    path = corpus / "data" / "actors.yaml"
    text = path.read_text(encoding="utf-8")
    found = re.search(r'- key: (\S+)\n    type: Country\n    label: "?([^"\n]+)', text)
    assert found
    start, end = found.span(2)
    path.write_text(text[:start] + "Greater " + found.group(2) + text[end:], encoding="utf-8")
    out = build(corpus)
    assert made(out) == "updated"
    with sqlite3.connect(search_index_path(out)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM item WHERE data LIKE ?",
                            (f'%"Greater {found.group(2)}"%',)).fetchone()[0] > 10
    same_as_made_anew(out, tmp_path, "registry")


def test_the_index_is_made_anew_without_a_previous_one_or_past_the_limit(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = corpus / "data" / "ttl"
    files = sorted((corpus / "data" / "facts").glob("*.yaml"))
    text = files[0].read_text(encoding="utf-8")
    edited = re.sub(r'(\n      label: "?)([^"\n]+)', r"\1\2 (again)", text, count=1)
    files[0].write_text(edited, encoding="utf-8")
    search_index_path(out).unlink()  # no index to update
    build(corpus)
    assert made(out) == "anew"
    same_as_made_anew(out, tmp_path, "no-previous")
    monkeypatch.setattr(update, "LIMIT", 0.0)
    files[0].write_text(text, encoding="utf-8")
    build(corpus)
    assert made(out).startswith("anew (") and "things changed" in made(out)
    same_as_made_anew(out, tmp_path, "limit")



def test_a_list_is_numbered_again_when_no_room_is_left(corpus: Path, tmp_path: Path) -> None:
    """An item is put where its list's order has it; when its neighbours left no room between
    them, the list is numbered again (STEP apart, in the same order) first."""
    from kgpub.search.index import STEP

    index = tmp_path / "crowded.sqlite"
    shutil.copyfile(search_index_path(corpus / "data" / "ttl"), index)
    conn = sqlite3.connect(index, isolation_level=None)
    order = [iri for (iri,) in conn.execute("SELECT iri FROM item WHERE kind = 'stances' "
                                            "ORDER BY ord")]
    assert len(order) > 20
    middle = order[len(order) // 2]
    label, date_max = conn.execute("SELECT label, date_max FROM item WHERE iri = ? AND "
                                   "kind = 'stances'", (middle,)).fetchone()
    conn.execute("DELETE FROM item WHERE iri = ? AND kind = 'stances'", (middle,))
    conn.execute("UPDATE item SET ord = r.n FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY ord) "
                 "AS n FROM item WHERE kind = 'stances') AS r WHERE item.id = r.id")  # 1, 2, 3…
    ord_ = update.Update(conn)._place_item("stances", (date_max, label.casefold(), middle))
    conn.execute("INSERT INTO item(kind, iri, label, ord, date_max, data) VALUES ('stances', "
                 "?, ?, ?, ?, '{}')", (middle, label, ord_, date_max))
    assert [iri for (iri,) in conn.execute("SELECT iri FROM item WHERE kind = 'stances' "
                                           "ORDER BY ord")] == order
    ords = [o for (o,) in conn.execute("SELECT ord FROM item WHERE kind = 'stances' AND "
                                       "iri != ? ORDER BY ord", (middle,))]
    assert ords == [STEP * (n + 1) for n in range(len(order) - 1)]  # numbered again
    # The first and the last place of a list, and an empty list.
    for iri in (order[0], order[-1]):
        label, date_max = conn.execute("SELECT label, date_max FROM item WHERE iri = ? AND "
                                       "kind = 'stances'", (iri,)).fetchone()
        conn.execute("DELETE FROM item WHERE iri = ? AND kind = 'stances'", (iri,))
        low, high = conn.execute("SELECT MIN(ord), MAX(ord) FROM item WHERE kind = 'stances'"
                                 ).fetchone()
        found = update.Update(conn)._place_item("stances", (date_max, label.casefold(), iri))
        assert found < low if iri == order[0] else found > high
        conn.execute("INSERT INTO item(kind, iri, label, ord, date_max, data) VALUES "
                     "('stances', ?, ?, ?, ?, '{}')", (iri, label, found, date_max))
    assert [iri for (iri,) in conn.execute("SELECT iri FROM item WHERE kind = 'stances' "
                                           "ORDER BY ord")] == order
    assert update.Update(conn)._place_item("nothing", (None, "a", "b")) == STEP
    conn.close()
