"""The build engine: an incremental build gives the bytes a fresh build gives, redoing only what
changed; workers do not change the result; a damaged cache is noticed, a foreign one refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, copy_project

from kgpub.builder import engine
from kgpub.builder.cache import CACHE_NAME
from kgpub.cli import main
from kgpub.errors import KgpubError, NotOurFile
from kgpub.pipeline import build

VISIT = "data/facts/fg-visit-held.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "many", FIXTURES / "many" / "data")


def _published(out: Path) -> dict[str, bytes]:
    """Every file a build published (the cache aside), by its path under `out`."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and CACHE_NAME not in p.relative_to(out).parts
            and not p.name.endswith(".tmp")}


def _fresh(project: Path, tmp_path: Path, name: str = "fresh") -> dict[str, bytes]:
    out = tmp_path / name
    build(project, out, fresh=True)
    return _published(out)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edited_article_is_the_only_one_converted_again(project: Path, tmp_path: Path) -> None:
    out = project / "data" / "ttl"
    first = build(project)
    assert (first.articles, first.converted) == (3, 3)
    _edit(project / VISIT, "label: Otto Kessler's state visit to Ruritania",
          "label: Otto Kessler's first state visit to Ruritania")
    second = build(project)
    assert (second.articles, second.converted) == (3, 1)
    assert "article-fg-visit-held.ttl" in second.written.changed
    assert "article-rns-visit-announced.ttl" in second.written.unchanged
    assert b"first state visit to Ruritania" in (out / "kgpub.nq").read_bytes()
    assert _published(out) == _fresh(project, tmp_path)


def test_a_registry_entry_no_article_uses_converts_none_again(project: Path,
                                                               tmp_path: Path) -> None:
    build(project)
    with (project / "data" / "actors.yaml").open("a", encoding="utf-8") as fh:
        fh.write("  - key: graustark\n    type: Country\n    label: Graustark\n")
    again = build(project)
    assert again.converted == 0
    assert b"Graustark" in (project / "data" / "ttl" / "entities.ttl").read_bytes()
    assert _published(project / "data" / "ttl") == _fresh(project, tmp_path)


def test_a_registry_edit_reaches_every_article_that_uses_it(project: Path,
                                                            tmp_path: Path) -> None:
    build(project)
    _edit(project / "data" / "actors.yaml", "label: Strelsau", "label: Strelsau (capital)")
    again = build(project)
    assert again.converted >= 1
    assert _published(project / "data" / "ttl") == _fresh(project, tmp_path)


def _shared_parts(out: Path) -> dict[str, int]:
    """The shared graphs' cached parts, by name, with the inode of their entry.json."""
    shared = out / CACHE_NAME / "shared"
    return {p.name: (p / "entry.json").stat().st_ino for p in sorted(shared.iterdir())
            if p.is_dir()}


def test_the_shared_graphs_parts_are_cut_again_only_when_their_triples_change(
        project: Path, tmp_path: Path) -> None:
    out = project / "data" / "ttl"
    build(project)
    first = _shared_parts(out)
    assert any(name.startswith("entities") for name in first)
    _edit(project / VISIT, "label: Otto Kessler's state visit to Ruritania",
          "label: Otto Kessler's visit to Ruritania")
    build(project)
    assert _shared_parts(out) == first  # kept: the registry and vocabularies are as they were
    _edit(project / "data" / "actors.yaml", "label: Strelsau", "label: Strelsau (capital)")
    build(project)
    after = _shared_parts(out)
    changed = {n for n in first if after.get(n) != first[n]}
    assert any(n.startswith("entities") for n in changed)
    assert not any(n.startswith("vocab") for n in changed)
    assert b"Strelsau (capital)" in (out / "entities.ttl").read_bytes()
    assert _published(out) == _fresh(project, tmp_path)


def test_shared_parts_the_index_no_longer_counts_are_cut_again(project: Path,
                                                                tmp_path: Path) -> None:
    out = project / "data" / "ttl"
    build(project)
    (out / CACHE_NAME / "index.sqlite").unlink()  # the statistics are gone, the parts stay
    _edit(project / VISIT, "label: Otto Kessler's state visit to Ruritania",
          "label: Otto Kessler's visit to Ruritania")
    build(project)
    assert _published(out) == _fresh(project, tmp_path)


def test_articles_added_and_removed(project: Path, tmp_path: Path) -> None:
    out = project / "data" / "ttl"
    build(project)
    (project / "data" / "facts" / "zt-visit-recap.yaml").unlink()
    removed = build(project)
    assert removed.articles == 2 and removed.converted == 0
    assert not (out / "article-zt-visit-recap.ttl").exists()
    assert "article-zt-visit-recap.ttl" in removed.written.removed
    assert _published(out) == _fresh(project, tmp_path, "two")
    shutil.copy(FIXTURES / "many" / "data" / "facts" / "zt-visit-recap.yaml",
                project / "data" / "facts")
    added = build(project)
    assert (added.articles, added.converted) == (3, 1)
    assert _published(out) == _fresh(project, tmp_path, "three")


def test_the_number_of_workers_does_not_change_a_byte(project: Path, tmp_path: Path) -> None:
    build(project, tmp_path / "one", jobs=1)
    build(project, tmp_path / "two", jobs=2)
    assert _published(tmp_path / "one") == _published(tmp_path / "two")


def test_a_damaged_cache_entry_is_noticed_and_rebuilt(project: Path, tmp_path: Path,
                                                     monkeypatch) -> None:
    from kgpub.manifest import InputHashes

    monkeypatch.setattr(InputHashes, "RACY_NS", -10**12)  # remember every hash at once
    out = project / "data" / "ttl"
    build(project)
    blob = out / CACHE_NAME / "articles" / "rns-visit-announced" / "all.nq"
    data = bytearray(blob.read_bytes())
    data[100] ^= 0x20  # same size: only its hash can tell
    blob.write_bytes(bytes(data))
    _edit(project / VISIT, "label: Otto Kessler's state visit to Ruritania",
          "label: Otto Kessler's visit to Ruritania")
    (out / "kgpub.nq").unlink()  # so it is made from every piece (not spliced from itself)
    messages: list[str] = []
    result = build(project, say=messages.append)
    assert any("damaged" in m for m in messages), messages
    assert result.converted == 3  # everything again, nothing taken from the damaged cache
    assert _published(out) == _fresh(project, tmp_path)


def test_a_build_leaves_nothing_frozen_for_the_garbage_collector(project: Path) -> None:
    """The build keeps the collector off what it holds (engine._keep), and gives it back
    after, also when it is refused: the caller (a server, the tests) collects as ever."""
    import gc

    build(project)
    assert gc.get_freeze_count() == 0
    out = project / "data" / "ttl"
    shutil.rmtree(out / CACHE_NAME)
    (out / CACHE_NAME).mkdir()
    (out / CACHE_NAME / "notes.txt").write_text("mine", encoding="utf-8")
    (project / VISIT).write_text((project / VISIT).read_text(encoding="utf-8") + "\n# x\n",
                                 encoding="utf-8")
    with pytest.raises(NotOurFile):
        build(project)
    assert gc.get_freeze_count() == 0


def test_a_directory_in_the_cache_s_place_that_is_not_ours_is_refused(project: Path,
                                                                      monkeypatch) -> None:
    from kgpub.manifest import InputHashes

    out = project / "data" / "ttl"
    (out / CACHE_NAME).mkdir(parents=True)
    (out / CACHE_NAME / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(NotOurFile, match="not a kgpub build cache"):
        build(project)
    assert (out / CACHE_NAME / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (out / "kgpub.nq").exists()
    # Dumps with their manifest, and then a directory not ours where the cache was: refused
    # too, and nothing (not even the remembered input hashes) is written into it.
    monkeypatch.setattr(InputHashes, "RACY_NS", -10**12)
    shutil.move(out / CACHE_NAME, project / "notes-away")
    build(project)
    shutil.rmtree(out / CACHE_NAME)
    shutil.move(project / "notes-away", out / CACHE_NAME)
    (project / VISIT).write_text((project / VISIT).read_text(encoding="utf-8") + "\n# x\n",
                                 encoding="utf-8")
    with pytest.raises(NotOurFile, match="not a kgpub build cache"):
        build(project)
    assert [p.name for p in (out / CACHE_NAME).iterdir()] == ["notes.txt"]


def test_many_articles_get_folders_and_back(project: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Past FOLDER_THRESHOLD articles, each article's files go into articles/<2 hex>/; the
    switch either way removes the old files."""
    out = project / "data" / "ttl"
    flat = build(project)
    monkeypatch.setattr(engine, "FOLDER_THRESHOLD", 2)
    foldered = build(project, fresh=True)
    names = set(_published(out))
    assert not any(n.startswith("article-") for n in names)
    nested = sorted(n for n in names if n.startswith("articles/"))
    assert len(nested) == 3 and all(len(n.split("/")) == 3 for n in nested), nested
    assert set(foldered.written.removed) == {n for n in flat.written.changed
                                            if n.startswith(("article-", "pagechrome-"))}
    monkeypatch.setattr(engine, "FOLDER_THRESHOLD", 1000)
    build(project, fresh=True)
    assert not (out / "articles").exists()
    assert _published(out) == _fresh(project, tmp_path)


def test_cli_jobs_and_fresh(project: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["build", "--root", str(project), "-j", "1"])
    assert first.exit_code == 0, first.output
    assert "3 articles converted and validated" in first.output
    again = runner.invoke(main, ["build", "--root", str(project)])
    assert "nothing changed" in again.output
    fresh = runner.invoke(main, ["build", "--root", str(project), "--fresh", "--jobs", "2"])
    assert fresh.exit_code == 0, fresh.output
    assert "3 articles converted and validated" in fresh.output
    assert "nothing changed" in fresh.output  # the same bytes again
    bad = runner.invoke(main, ["build", "--root", str(project), "-j", "0"])
    assert bad.exit_code == 2 and "0 is not in the range x>=1" in bad.output


def test_a_registry_edit_that_breaks_a_cached_article_fails_the_build(project: Path) -> None:
    """The cache entry of an untouched article depends on the registry entries it uses."""
    build(project)
    before = _published(project / "data" / "ttl")
    _edit(project / "data" / "actors.yaml", "key: otto-kessler\n    type: Person",
          "key: otto-kessler\n    type: Country")
    with pytest.raises(KgpubError) as raised:
        build(project)
    assert "otto-kessler" in str(raised.value) or "Kessler" in str(raised.value)
    assert _published(project / "data" / "ttl") == before


def _drop_derivation(path: Path) -> None:
    """The article no longer derives from another: independent report counts change."""
    text = path.read_text(encoding="utf-8")
    kept = [x for x in text.splitlines(keepends=True)
            if not x.startswith(("  derived_from:", "  derived_from_evidence:"))]
    path.write_text("".join(kept), encoding="utf-8")


def _corpus(tmp_path: Path, articles: int) -> Path:
    """A project from bench/corpus.py: things recur across articles, sources disagree and
    derive from each other, so that the claims graph has conflicts and report counts."""
    import subprocess
    import sys

    out = tmp_path / "corpus"
    done = subprocess.run([sys.executable, str(Path(__file__).resolve().parents[1] / "bench"
                                               / "corpus.py"), "--articles", str(articles),
                           "--out", str(out), "--seed", "5"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return out


def test_claims_and_void_kept_between_builds_are_those_of_a_fresh_build(tmp_path: Path) -> None:
    """The claims graph and VoID's figures are updated where the changed sources reach
    (claims_graph.py, the reference counts of index.py): after each kind of change the dumps
    are byte for byte those of a fresh build, and the claims of things no change reaches are
    not derived again."""
    root = _corpus(tmp_path, 16)
    out = root / "data" / "ttl"
    facts = sorted((root / "data" / "facts").glob("*.yaml"))
    first = build(root)
    assert first.claims is not None and first.claims.conflicts
    derived = [f for f in facts if "derived_from:" in f.read_text(encoding="utf-8")]
    assert derived
    parent = derived[0].read_text(encoding="utf-8").split('derived_from: ["')[1].split('"')[0]

    def edit_date(path: Path) -> None:  # a date a source gives: conflicts and latest values
        text = path.read_text(encoding="utf-8")
        line = next(x for x in text.splitlines() if x.startswith("      date: "))
        path.write_text(text.replace(line, "      date: 2021-12-31", 1), encoding="utf-8")

    parent_file = root / "data" / "facts" / f"{parent}.yaml"
    parent_text = parent_file.read_text(encoding="utf-8")
    steps = [
        ("an event label", lambda: _edit(facts[3], "\n      label: ", "\n      label: Edited ")),
        ("a date", lambda: edit_date(facts[7])),
        ("a derivation", lambda: _drop_derivation(derived[0])),
        ("an article others derive from, removed", parent_file.unlink),
        ("the article back", lambda: parent_file.write_text(parent_text, encoding="utf-8")),
    ]
    for i, (what, change) in enumerate(steps):
        claims_before = (out / "claims.ttl").read_bytes()
        change()
        again = build(root)
        assert again.converted <= 2, what
        assert _published(out) == _fresh(root, tmp_path, f"fresh{i}"), what
        if what != "an event label":
            assert (out / "claims.ttl").read_bytes() != claims_before, what


# A third-hand report: it draws on the Zenda Times' recap, which drew on the Freedonia Gazette.
# It attests a tenure the Gazette reports and the recap does not.
BRANDT_TEXT = """Brandt praises the visit

ZENDA, March 13 (RNS) - Ruritania's foreign minister, Anna Brandt, said on Friday that the
visit had gone well, as the Zenda Times reported this week.
"""
BRANDT_FACTS = """article:
  id: rns-brandt-praises
  text: ../articles/rns-brandt-praises.txt
  publisher: rns
  publisher_evidence: ["(RNS)"]
  headline: Brandt praises the visit
  date_published: 2020-03-13
  dateline: ZENDA, March 13
  derived_from: [zt-visit-recap]
  derived_from_evidence: ["as the Zenda Times reported this week"]
facts:
  tenures:
    - person: anna-brandt
      post: foreign-minister-of-ruritania
      attested_on: 2020-03-13
      evidence: ["Ruritania's foreign minister, Anna Brandt"]
"""


def _independent_reports(out: Path) -> dict[str, str]:
    """Fact -> its independent report count, from the published claims graph."""
    import pyoxigraph as ox

    counts = {}
    for triple in ox.parse(path=str(out / "claims.ttl"), format=ox.RdfFormat.TURTLE):
        if triple.predicate.value.endswith("#independentReportCount"):
            counts[triple.subject.value] = triple.object.value
    return counts


def test_a_derivation_dropped_mid_chain_recounts_what_only_its_descendants_report(
        project: Path, tmp_path: Path) -> None:
    """The Gazette and the third-hand report both attest Brandt's tenure; the recap between
    them does not. Once the recap no longer derives from the Gazette, the third-hand report
    is independent of it: a fact none of the changed article's rows name is counted anew."""
    out = project / "data" / "ttl"
    (project / "data" / "articles" / "rns-brandt-praises.txt").write_text(BRANDT_TEXT,
                                                                          encoding="utf-8")
    (project / "data" / "facts" / "rns-brandt-praises.yaml").write_text(BRANDT_FACTS,
                                                                        encoding="utf-8")
    build(project)
    before = _independent_reports(out)
    _drop_derivation(project / "data" / "facts" / "zt-visit-recap.yaml")
    again = build(project)
    assert again.converted == 1
    after = _independent_reports(out)
    recounted = {fact for fact in after if after[fact] != before.get(fact)}
    assert any("anna-brandt" in fact for fact in recounted), recounted
    assert _published(out) == _fresh(project, tmp_path)


def test_unchanged_articles_are_not_checked_one_by_one_when_nothing_they_use_changed(
        project: Path, tmp_path: Path) -> None:
    """builder/reuse.py: with the symbol table, the registry and the fingerprint as they were,
    only a changed facts file goes to a worker; a registry edit sends every article there."""
    build(project)
    _edit(project / VISIT, "label: Otto Kessler's state visit to Ruritania",
          "label: Otto Kessler's visit to Ruritania")
    edited = build(project)
    assert (edited.converted, edited.checked) == (1, 1)
    _edit(project / "data" / "actors.yaml", "label: Strelsau", "label: Strelsau (capital)")
    registry = build(project)
    assert registry.checked == 3 and registry.converted >= 1
    assert _published(project / "data" / "ttl") == _fresh(project, tmp_path)


def test_a_failed_build_leaves_no_record_that_would_reuse_what_it_stored(project: Path,
                                                                         tmp_path: Path) -> None:
    """A build that fails after its workers stored entries made with a changed registry must
    not let the next build, with the registry as it was, take them for good."""
    build(project)
    actors = project / "data" / "actors.yaml"
    other = project / "data" / "facts" / "rns-visit-announced.yaml"
    registry_text, other_text = actors.read_text(encoding="utf-8"), other.read_text("utf-8")
    _edit(actors, "label: Strelsau", "label: Strelsau (capital)")
    _edit(other, "otto-kessler", "otto-kesler")  # an unknown key: this build fails
    record = project / "data" / "ttl" / CACHE_NAME / "reuse.json"
    assert record.is_file()
    with pytest.raises(KgpubError):
        build(project)
    assert not record.exists()  # its workers stored entries: the record holds no longer
    actors.write_text(registry_text, encoding="utf-8")
    other.write_text(other_text, encoding="utf-8")
    build(project)  # the dumps of before: nothing to do
    _edit(project / VISIT, "label: Otto Kessler's state visit to Ruritania",
          "label: Otto Kessler's visit to Ruritania")
    again = build(project)
    assert again.checked == 3 and record.is_file()  # no record: each checked by a worker
    assert _published(project / "data" / "ttl") == _fresh(project, tmp_path)


def test_a_dump_whose_metadata_changed_is_hashed_once_not_at_every_build(
        project: Path, monkeypatch) -> None:
    """A chmod (or a hard link) changes a dump's ctime, not its bytes: the build that finds
    nothing changed hashes it, finds it the same, and remembers it as it is now."""
    import kgpub.outputs
    from kgpub.manifest import InputHashes

    monkeypatch.setattr(InputHashes, "RACY_NS", -10**12)  # remember every hash at once
    out = project / "data" / "ttl"
    build(project)
    (out / "kgpub.nq").chmod(0o640)
    hashed: list[str] = []
    real = kgpub.outputs.sha256_file

    def counting(path):
        hashed.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(kgpub.outputs, "sha256_file", counting)
    assert build(project).converted == 0
    assert hashed == ["kgpub.nq"]
    hashed.clear()
    assert build(project).converted == 0
    assert hashed == []
