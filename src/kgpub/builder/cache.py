"""The build cache: each article's conversion, validation and serialisations, kept between builds.

An entry is a directory per article (`articles/<id>/`): `entry.json` (what it was made from,
its graphs, and the size and SHA-256 of every blob), `detail.json` (what it depends on, its
index rows and statistics: read only when needed) and the blobs (the article's graphs as
N-Quads, TriG, JSON-LD and deflate pieces, its Turtle files, and what it adds to the shared
graphs). An entry is used only when it was made by this kgpub
from the same facts file, article text, vocabularies and shapes, and when every id and registry
entry it depends on is unchanged; its blobs are checked against their recorded size when it is
looked up and against their SHA-256 when they are copied into the dumps (unless a blob still has
the modification time it was stored with). A cache of another
format or kgpub version is emptied and rebuilt; one that is not kgpub's is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .. import __version__
from ..errors import NotOurFile
from ..manifest import file_identity

CACHE_NAME = ".kgpub-cache"
MARKER = "cache.json"
FORMAT = 7
DETAIL = "detail.json"
DETAILED = ("index", "stats")
"""The keys of an entry kept in detail.json rather than entry.json."""
DEPENDS = "depends.json"
DEPENDED = ("symbols", "registry")
"""The keys kept in depends.json: what deciding whether an entry is still good reads."""
_TEMP = re.compile(r"^\..+\.[0-9a-f]{12}\.tmp$")


class CorruptEntry(Exception):
    """A cached blob is not what its entry says it is."""


@dataclass
class Entry:
    where: str | Path
    """Its directory (a string when looked up: a build looks up 10,000 entries)."""
    body: dict

    @property
    def directory(self) -> Path:
        return Path(self.where)

    @property
    def article_id(self) -> str:
        return self.body["article_id"]

    def blob(self, name: str) -> Path:
        return Path(self.where, name)

    def blob_sha256(self, name: str) -> str:
        return self.body["blobs"][name][1]

    def copy_blob(self, name: str, out: BinaryIO) -> None:
        """Stream a blob into `out`, checking its SHA-256 on the way (CorruptEntry if not),
        unless the file still has the size and modification time it had when it was stored
        (as git trusts its index: a file changed since has another time)."""
        size, digest = self.body["blobs"][name]
        stored = self.body.get("mtimes", {}).get(name)
        hasher, copied = hashlib.sha256(), 0
        try:
            with self.blob(name).open("rb") as fh:
                st = os.fstat(fh.fileno())
                if stored is not None and st.st_mtime_ns == stored and st.st_size == size:
                    hasher = None
                while data := fh.read(1 << 20):
                    if hasher is not None:
                        hasher.update(data)
                    copied += len(data)
                    out.write(data)
        except OSError as exc:
            raise CorruptEntry(f"{self.directory.name}/{name}: {exc.strerror}") from None
        if copied != size or (hasher is not None and hasher.hexdigest() != digest):
            raise CorruptEntry(f"{self.directory.name}/{name} is not the blob its entry lists")

    def detail(self) -> dict:
        """What the entry keeps apart from entry.json: its index rows, statistics and
        dependencies (read only when they are needed, so a build of thousands of articles does
        not hold them all)."""
        return json.loads(self.read_blob(DETAIL))

    def depends(self) -> dict:
        """The ids and registry entries the article's conversion depended on (small: every
        build reads it for every article to decide whether the entry is still good)."""
        return json.loads(self.read_blob(DEPENDS))

    def read_blob(self, name: str) -> bytes:
        data = self.blob(name).read_bytes()
        size, digest = self.body["blobs"][name]
        if len(data) != size or hashlib.sha256(data).hexdigest() != digest:
            raise CorruptEntry(f"{self.directory.name}/{name} is not the blob its entry lists")
        return data


SNAPSHOT = "entries.snapshot"
"""Every entry.json a build read or wrote, with what that file was (see BuildCache.load_part)."""


class BuildCache:
    """The cache directory of one dumps directory (`<out>/.kgpub-cache`)."""

    def __init__(self, out_dir: Path) -> None:
        self.root = Path(out_dir) / CACHE_NAME
        self.articles = self.root / "articles"
        self._snapshot: dict[str, tuple[list[int], str]] | None = None
        self._used: dict[str, tuple[list[int], str]] = {}

    def open(self) -> None:
        """Make sure the directory is kgpub's cache of this format; empty it if it is stale."""
        marker = self.root / MARKER
        expected = {"format": FORMAT, "kgpub": __version__}
        if self.root.exists():
            try:
                body = json.loads(marker.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                body = None
            if not isinstance(body, dict) or "format" not in body:
                if any(self.root.iterdir()):
                    raise NotOurFile(
                        f"{self.root} exists but is not a kgpub build cache (no readable "
                        f"{MARKER}): move it away; kgpub keeps its cache there")
            elif body != expected:
                self.clear()
        self.root.mkdir(parents=True, exist_ok=True)
        if not marker.exists():
            _write_json(marker, expected)
        self.articles.mkdir(exist_ok=True)
        for directory in (self.root, self.articles, self.root / "claims"):
            if not directory.is_dir():
                continue
            for leftover in directory.iterdir():
                if _TEMP.match(leftover.name):  # a killed build's
                    if leftover.is_dir() and not leftover.is_symlink():
                        shutil.rmtree(leftover, ignore_errors=True)
                    else:
                        leftover.unlink(missing_ok=True)

    def clear(self) -> None:
        """Empty the cache (its own files only: the directory is kgpub's, by its marker)."""
        self._snapshot, self._used = {}, {}
        for child in self.root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink(missing_ok=True)

    def entry_dir(self, article_id: str) -> Path:
        return self.articles / article_id

    def load(self, article_id: str) -> Entry | None:
        """The entry of an article, if there is one whose files are all there; else None."""
        return self.load_part(self.articles, article_id)

    def load_part(self, area: Path, name: str) -> Entry | None:
        """The entry `name` in `area` (see `store`), if its files are all there; else None.

        An entry.json that is still the very file the last build read or wrote (size, mtime,
        ctime, inode) is taken from the snapshot that build saved, and its blobs are not
        looked at (12,000 files opened, and 100,000 stat calls, at 10,000 articles): a blob
        damaged since is caught where it is used (`Entry.copy_blob`, `Entry.read_blob`)."""
        folder = os.path.join(area, name)  # strings: a build looks up thousands of entries
        key = f"{os.path.basename(area)}/{name}"
        try:
            st = os.stat(os.path.join(folder, "entry.json"))
        except OSError:
            return None
        identity = file_identity(st)
        known = self._snapshot_entry(key)
        body = None
        if known is not None and known[0] == identity:
            text, checked = known[1], True
            with suppress(ValueError):  # else read from its own file below
                body = json.loads(text)
        if body is None:
            try:
                with open(os.path.join(folder, "entry.json"), encoding="utf-8") as fh:
                    text = fh.read()
                body = json.loads(text)
            except (OSError, ValueError):
                return None
            checked = False
        if not isinstance(body, dict) or body.get("format") != FORMAT \
                or body.get("kgpub") != __version__ or not isinstance(body.get("blobs"), dict):
            return None
        if not checked:
            for blob, (size, _) in body["blobs"].items():
                try:
                    if os.stat(os.path.join(folder, blob)).st_size != size:
                        return None
                except OSError:
                    return None
        self._used[key] = (identity, text)
        return Entry(folder, body)

    def _snapshot_entry(self, key: str) -> tuple[list[int], str] | None:
        if self._snapshot is None:
            self._snapshot = _read_snapshot(self.root / SNAPSHOT)
        return self._snapshot.get(key)

    def save_snapshot(self) -> None:
        """Keep what this build read and wrote of entries, for the next (best effort: without
        it, the next build reads every entry.json)."""
        lines = [f"{key}\t{' '.join(map(str, identity))}\t{text}\n"
                 for key, (identity, text) in sorted(self._used.items())]
        path = self.root / SNAPSHOT
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            tmp.write_text("".join(lines), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)

    def store(self, article_id: str, body: dict, blobs: dict[str, bytes],
              area: Path | None = None) -> Entry:
        """Write an entry: blobs and entry.json into a temporary directory, then swap it in.
        The keys of `body` named in DETAILED go to the blob detail.json (see Entry.detail),
        those in DEPENDED to depends.json (Entry.depends).
        `area`: the directory it goes in (default: the articles'; see `shared_part`)."""
        area = area or self.articles
        for blob, keys in ((DETAIL, DETAILED), (DEPENDS, DEPENDED)):
            kept = {k: body[k] for k in keys if k in body}
            body = {k: v for k, v in body.items() if k not in keys}
            if kept:
                blobs = {**blobs, blob: json.dumps(kept, sort_keys=True,
                                                   ensure_ascii=False).encode("utf-8")}
        area.mkdir(parents=True, exist_ok=True)
        tmp = area / f".{article_id}.{secrets.token_hex(6)}.tmp"
        tmp.mkdir()
        try:
            listed, mtimes = {}, {}
            for name, data in blobs.items():
                (tmp / name).write_bytes(data)
                listed[name] = [len(data), hashlib.sha256(data).hexdigest()]
                mtimes[name] = (tmp / name).stat().st_mtime_ns
            body = {**body, "format": FORMAT, "kgpub": __version__, "blobs": listed,
                    "mtimes": mtimes, "stamp": blob_stamp(listed)}
            text = _write_json(tmp / "entry.json", body)
            target = area / article_id
            old = None
            if target.exists():
                old = area / f".{article_id}.{secrets.token_hex(6)}.tmp"
                os.rename(target, old)
            os.rename(tmp, target)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        st = os.stat(target / "entry.json")
        self._used[f"{area.name}/{article_id}"] = (file_identity(st), text)
        return Entry(target, body)

    @property
    def shared(self) -> Path:
        """Where the parts of the shared graphs go (see pieces.SharedParts)."""
        return self.root / "shared"

    def drop(self, article_id: str) -> None:
        shutil.rmtree(self.entry_dir(article_id), ignore_errors=True)

    def keep_only(self, names: set[str], area: Path | None = None) -> None:
        """Remove the entries in `area` (default: the articles') not named in `names`: those of
        articles no longer in the project, or parts no longer made."""
        area = area or self.articles
        if not area.is_dir():
            return
        for child in area.iterdir():
            if child.name not in names and not child.name.startswith(".") and child.is_dir():
                shutil.rmtree(child, ignore_errors=True)


def blob_stamp(blobs: dict) -> str:
    """Which version of an entry this is: a hash of its blobs' sizes and hashes."""
    return hashlib.sha256(json.dumps(blobs, sort_keys=True).encode()).hexdigest()


def _write_json(path: Path, body: dict) -> str:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    text = json.dumps(body, sort_keys=True, ensure_ascii=False)
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return text


def _read_snapshot(path: Path) -> dict[str, tuple[list[int], str]]:
    """The snapshot `save_snapshot` wrote: key, identity of its entry.json, its text (a line
    that does not read so is skipped: that entry is read from its own file)."""
    found: dict[str, tuple[list[int], str]] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return found
    for line in text.split("\n"):  # not splitlines: U+2028 may stand in a JSON string
        key, _, rest = line.partition("\t")
        identity, _, body = rest.partition("\t")
        try:
            numbers = [int(n) for n in identity.split(" ")]
        except ValueError:
            continue
        if len(numbers) == 4 and body:
            found[key] = (numbers, body)
    return found
