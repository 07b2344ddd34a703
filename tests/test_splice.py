"""Whole files spliced from the file the last build published (builder/splice.py)."""

from __future__ import annotations

import io
import os
from pathlib import Path

from conftest import FIXTURES, copy_project

from kgpub.builder.cache import CACHE_NAME, BuildCache, Entry
from kgpub.builder.splice import Layouts, Previous, Segment, write_spliced
from kgpub.pipeline import build

VISIT = "data/facts/fg-visit-held.yaml"


class CountingEntry(Entry):
    """An entry whose blob copies are counted (and always read: no mtime recorded)."""

    copied: list[str]

    def copy_blob(self, name: str, out) -> None:
        self.copied.append(name)
        super().copy_blob(name, out)


def _entry(cache: BuildCache, name: str, blobs: dict[str, bytes]) -> CountingEntry:
    stored = cache.store(name, {"article_id": name}, blobs)
    body = {**stored.body, "mtimes": {}}
    entry = CountingEntry(stored.directory, body)
    entry.copied = []
    return entry


def test_runs_the_previous_file_holds_are_copied_from_it_and_only_new_pieces_read(
        tmp_path: Path) -> None:
    cache = BuildCache(tmp_path / "out")
    cache.open()
    a, b, c = (_entry(cache, n, {"x": n.encode() * 3}) for n in ("a", "b", "c"))
    comma = Segment.literal(b",")
    before = [Segment.literal(b"["), Segment.of_blob(a, "x"), comma, Segment.of_blob(b, "x"),
              comma, Segment.of_blob(c, "x"), Segment.literal(b"]")]
    old = tmp_path / "old"
    with old.open("wb") as fh:
        write_spliced(fh, before, None)
    assert old.read_bytes() == b"[aaa,bbb,ccc]"
    a.copied.clear(), b.copied.clear(), c.copied.clear()

    d = _entry(cache, "d", {"x": b"dddd"})
    after = [Segment.literal(b"["), Segment.of_blob(a, "x"), comma, Segment.of_blob(d, "x"),
             comma, Segment.of_blob(c, "x"), Segment.literal(b"]")]
    out = io.BytesIO()
    write_spliced(out, after, Previous(old, [(s.key, s.size) for s in before]))
    assert out.getvalue() == b"[aaa,dddd,ccc]"
    assert (a.copied, c.copied, d.copied) == ([], [], ["x"])  # only the new piece was read


def test_a_previous_file_shorter_than_its_layout_is_an_error_not_a_short_file(
        tmp_path: Path) -> None:
    old = tmp_path / "old"
    old.write_bytes(b"[ab")
    segments = [Segment.literal(b"[ab"), Segment.literal(b"]")]
    layout = [(segments[0].key, 3), (segments[1].key, 1)]
    out = io.BytesIO()
    try:
        write_spliced(out, segments, Previous(old, layout))
    except OSError as exc:
        assert "ended before" in str(exc)
    else:
        raise AssertionError("a file shorter than its layout was spliced from")


def test_layouts_are_kept_only_for_what_was_published(tmp_path: Path) -> None:
    record = tmp_path / "layouts.json"
    layouts = Layouts(record)
    one = [Segment.literal(b"one")]
    layouts.record("a.nq", one)
    layouts.record("b.nq", one)
    layouts.save({"a.nq": ("f" * 64, 3)})  # b.nq was written but not published
    again = Layouts(record)
    assert again.same("a.nq", one) == "f" * 64
    assert again.same("b.nq", one) is None
    assert again.same("a.nq", [Segment.literal(b"two")]) is None
    record.write_text("{not json", encoding="utf-8")
    assert Layouts(record).same("a.nq", one) is None  # damaged: forgotten, never trusted


def _published(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and CACHE_NAME not in p.relative_to(out).parts}


def test_a_whole_file_edited_in_place_is_not_spliced_from(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "many", FIXTURES / "many" / "data")
    out = project / "data" / "ttl"
    build(project)
    nq = out / "kgpub.nq"
    data = bytearray(nq.read_bytes())
    at = data.index(b"Otto Kessler")
    data[at:at + 4] = b"OTTO"  # same size; a new mtime, but the size alone would pass
    stat = nq.stat()
    nq.write_bytes(bytes(data))
    os.utime(nq, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even its old mtime
    path = project / VISIT
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Otto Kessler's state visit", "Otto Kessler's visit", 1), encoding="utf-8")
    build(project)
    fresh = tmp_path / "fresh"
    build(project, fresh, fresh=True)
    assert _published(out) == _published(fresh)
    assert b"OTTO" not in nq.read_bytes()
