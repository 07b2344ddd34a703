"""The build cache's entries and the snapshot a build keeps of them (builder/cache.py)."""

from __future__ import annotations

import json
from pathlib import Path

from kgpub.builder.cache import SNAPSHOT, BuildCache


def _cache(tmp_path: Path) -> BuildCache:
    cache = BuildCache(tmp_path / "out")
    cache.open()
    return cache


def test_an_entry_json_changed_since_the_snapshot_is_read_from_its_file(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    cache.store("a", {"article_id": "a", "label": "first"}, {"x": b"xx"})
    cache.save_snapshot()

    entry_json = cache.articles / "a" / "entry.json"
    body = json.loads(entry_json.read_text(encoding="utf-8"))
    body["label"] = "second"  # changed behind the snapshot's back (same size, even)
    entry_json.write_text(json.dumps(body, sort_keys=True), encoding="utf-8")

    again = BuildCache(cache.root.parent)
    entry = again.load("a")
    assert entry is not None and entry.body["label"] == "second"


def test_an_unchanged_entry_comes_from_the_snapshot_and_a_damaged_snapshot_is_ignored(
        tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    cache.store("a", {"article_id": "a", "label": "first"}, {"x": b"xx"})
    cache.save_snapshot()
    again = BuildCache(cache.root.parent)
    assert again.load("a").body["label"] == "first"
    assert again._snapshot  # taken from it (the file was not needed)

    (cache.root / SNAPSHOT).write_text("articles/a\t1 2\tnot json\n\x00garbage", encoding="utf-8")
    damaged = BuildCache(cache.root.parent)
    entry = damaged.load("a")
    assert entry is not None and entry.body["label"] == "first"


def test_a_snapshot_line_with_a_line_separator_in_its_json_is_read_whole(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    cache.store("a", {"article_id": "a", "label": "one\u2028two"}, {"x": b"xx"})
    cache.save_snapshot()
    again = BuildCache(cache.root.parent)
    assert again.load("a").body["label"] == "one\u2028two"
    assert json.loads(again._snapshot["articles/a"][1])["label"] == "one\u2028two"


def test_a_missing_blob_of_an_entry_not_in_the_snapshot_makes_it_missing(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    cache.store("a", {"article_id": "a"}, {"x": b"xx"})
    (cache.articles / "a" / "x").unlink()
    assert BuildCache(cache.root.parent).load("a") is None  # no snapshot: blobs are looked at
