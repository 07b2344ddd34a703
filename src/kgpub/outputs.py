"""Publishing a set of files into a directory all together, and only over files kgpub wrote.

Each output is written to a hidden temporary file beside its target (its SHA-256 computed while
it is written); the temporary files are renamed over their targets only once all are written,
so a reader (or a crash) sees the old file or the new one, never half of one. An output whose
content is known to be unchanged (its hash is the one the manifest of the previous build lists)
is not written at all, so its ETag and Last-Modified stay and a build that changes nothing
writes nothing. Outputs may be streamed (a dump of millions of quads never sits in memory) and
may live in subdirectories.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .errors import NotOurFile
from .manifest import (
    MANIFEST_NAME,
    InputHashes,
    Manifest,
    file_identity,
    settled,
    sha256_bytes,
    sha256_file,
)

TEMP_PREFIX = "."  # temporary files are hidden: /dumps/ and `ls` never list them
TEMP_SUFFIX = ".tmp"
TEMP_PATTERN = re.compile(r"^\..+\.[0-9a-f]{12}\.tmp$")
"""The names `_open_temporary` gives; nothing else is ever removed as a leftover."""
WRITERS = 4
"""Outputs written at once (threads): disks, hashing and compression overlap."""
PUBLISHED_LAST = ("kgpub.nq", "kgpub.nq.gz")
"""Renamed last: a kill mid-publish never leaves the dataset's N-Quads new and others old."""


@dataclass
class Output:
    """One file to publish: its name (a relative path) and how to produce its bytes.

    `data` for content in memory, or `write` to stream it into an open file. `sha256`, when the
    content's hash is known without producing it (a cached file), lets an unchanged output be
    skipped without writing; `depends` names outputs whose size and hash `write` needs (VoID
    describes the other dumps), which are written first and passed in `written`.
    """

    name: str
    data: bytes | None = None
    write: Callable[[BinaryIO, dict[str, Written]], None] | None = None
    sha256: str | None = None
    graph: str | None = None
    depends: bool = False
    prepare: Callable[[], None] | None = None
    """For an output that `depends`: what it can make while the others are being written."""

    def produce(self, fh: BinaryIO, written: dict[str, Written]) -> None:
        if self.data is not None:
            fh.write(self.data)
        elif self.write is not None:
            self.write(fh, written)


@dataclass(frozen=True)
class Written:
    name: str
    size: int
    sha256: str
    graph: str | None = None


class _HashingWriter:
    """A file object that counts and hashes what goes through it."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh, self.digest, self.size = fh, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.fh.write(data)


def _open_temporary(path: Path) -> tuple[Path, int]:
    """A new hidden temporary file beside `path`: mode 0666 minus the umask (or `path`'s mode),
    not mkstemp's owner-only 0600, so a dump stays readable by whoever serves it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        tmp = path.with_name(f"{TEMP_PREFIX}{path.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        with suppress(FileNotFoundError):
            os.fchmod(fd, path.stat().st_mode & 0o777)
        return tmp, fd


def _write_temporary(path: Path, output: Output,
                     written: dict[str, Written]) -> tuple[Path, Written]:
    tmp, fd = _open_temporary(path)
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as fh:
            sink = _HashingWriter(fh)
            output.produce(sink, written)  # type: ignore[arg-type]
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp, Written(output.name, sink.size, sink.digest.hexdigest(), output.graph)


def _fsync_dir(directory: Path) -> None:
    """Make the renames in `directory` durable (a power cut could otherwise undo them)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a directory; the renames are still atomic
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same directory, fsync, then rename over `path`."""
    tmp, _ = _write_temporary(path, Output(path.name, data), {})
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


@contextmanager
def directory_lock(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on `directory` itself (no lock file is left to publish).

    The kernel drops the lock when its holder dies, even by SIGKILL, so while we hold it any
    temporary file in the directory belongs to a process that is gone. Where flock does not
    exist the lock is skipped.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def remove_stale_temporaries(out_dir: Path, subdirs: list[Path] | tuple = ()) -> list[Path]:
    """Delete the temporary files a killed build left behind; call under `directory_lock`.

    Only names of the exact form `_open_temporary` makes are touched, in `out_dir` and in the
    given subdirectories (those a build writes into).
    """
    removed = []
    for directory in (out_dir, *subdirs):
        if not directory.is_dir():
            continue
        for path in directory.iterdir():
            if TEMP_PATTERN.match(path.name) and path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


@dataclass
class WriteResult:
    """What a build did to its dumps directory, for the user to see."""

    directory: Path
    changed: list[str]
    removed: list[str]
    unchanged: list[str]
    written: dict[str, Written] = field(default_factory=dict)
    manifest_sha256: str | None = None
    """The SHA-256 of the manifest the build left (None: not known, as for a no-change build)."""

    @property
    def files(self) -> list[str]:
        return sorted([*self.changed, *self.unchanged])


def _is_plain_file(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


class StatRecord:
    """What each published file was when kgpub wrote it (size, mtime, ctime, inode, SHA-256),
    kept beside the build cache: a file that is still all of that is taken to hold that content
    without reading it (a build splices new whole files from it, builder/splice.py); any other
    is hashed before it counts as unchanged. The ctime is what no one sets back by hand."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, list] = {}
        self.confirmed: set[str] = set()
        """Files found as the record has them in this run (nothing to note again)."""
        self.changed = False
        if path is not None:
            try:
                body = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(body, dict):
                    self.entries = body
            except (OSError, ValueError):
                pass

    def holds(self, target: str | Path, name: str, sha256: str,
              size: int | None = None) -> bool:
        """Whether `target` holds content of `sha256` (and `size`, when known): by its stat
        when it is as recorded, else by a hash of the file."""
        return self.size_if_holds(target, name, sha256, size) is not None

    def size_if_holds(self, target: str | Path, name: str, sha256: str,
                      size: int | None = None) -> int | None:
        """The size of `target` when it holds content of `sha256` (see `holds`), else None."""
        try:
            st = os.lstat(target)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode) or (size is not None and st.st_size != size):
            return None
        entry = self.entries.get(name)
        if isinstance(entry, list) and len(entry) == 5 and entry[:4] == file_identity(st):
            if entry[4] != sha256:
                return None
            self.confirmed.add(name)
            return st.st_size  # as written: its hash is known, no need to read it
        if sha256_file(target) != sha256:
            return None
        if settled(st, InputHashes.RACY_NS):
            # the same content, its metadata touched (a chmod, a hard link): known again, so
            # a build that finds nothing changed does not hash it every time (see `save`)
            self.entries[name] = [*file_identity(st), sha256]
            self.changed = True
        return st.st_size

    def note(self, target: Path, name: str, sha256: str) -> None:
        self.entries[name] = [*file_identity(target.stat()), sha256]

    def save(self, names: set[str]) -> None:
        if self.path is None:
            return
        body = {k: v for k, v in self.entries.items() if k in names}
        tmp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(6)}.tmp")
        tmp.write_text(json.dumps(body, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)


def publish_outputs(outputs: list[Output], out_dir: Path,
                    inputs: dict[str, str] | None = None,
                    facts_dir: str | None = None,
                    record: Path | StatRecord | None = None) -> WriteResult:
    """Write every changed output, then publish them all together; remove only our own old files.

    kgpub replaces or removes a file only when the manifest of the previous build
    (`manifest.MANIFEST_NAME`) lists it, so a user's files beside the dumps are never touched;
    an output that would replace a different file no manifest lists stops the build before
    anything is published (`NotOurFile`).

    All temporary files are written and fsynced first and renamed over their targets only at
    the end, in one short loop. A build killed before that loop leaves the previous dumps
    exactly as they were (plus hidden temporary files that are never served and that the next
    build removes); only a kill inside the loop, a few renames long, can leave some files new
    and some old, each of them still complete: the manifest written just before the loop lists
    the old and new names and no inputs, so the next build owns them all and `kgpub serve` takes
    the dumps for stale. Concurrent builds into one directory take turns (see `directory_lock`).
    A file counts as unchanged only when it holds the new content (`StatRecord`, kept in
    `record`, or given as one already read): a dump edited by hand is written again.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    names = [o.name for o in outputs]
    if len(set(names)) != len(names):
        raise ValueError("two outputs have one name")
    subdirs = sorted(out_dir / d for d in {os.path.dirname(n) for n in names} if d)
    stats = record if isinstance(record, StatRecord) else StatRecord(record)
    with directory_lock(out_dir):
        remove_stale_temporaries(out_dir, subdirs)
        try:
            previous_bytes: bytes | None = (out_dir / MANIFEST_NAME).read_bytes()
        except OSError:
            previous_bytes = None
        previous = Manifest.from_bytes(previous_bytes) if previous_bytes is not None else None
        owned = dict(previous.outputs) if previous else {}
        written: dict[str, Written] = {}
        pending: list[tuple[Path, Path]] = []
        unchanged: list[str] = []
        def one(output: Output) -> tuple[Path | None, Written]:
            """The temporary file of `output` (None: the file in place holds it already)."""
            target = out_dir / output.name
            known = output.sha256
            if known is not None and stats.holds(target, output.name, known):
                return None, Written(output.name, target.stat().st_size, known, output.graph)
            tmp, result = _write_temporary(target, output, written)
            if stats.holds(target, output.name, result.sha256, result.size):  # there already
                tmp.unlink()
                return None, result
            return tmp, result

        try:
            # Independent outputs are written by a few threads at once (hashing, compressing
            # and file I/O release the GIL); those that describe the others come after them.
            # Files known to be in place already (most of a corpus's, in a build that changed
            # a few articles) are settled here, without a thread each.
            done = []
            independent = []
            folder = os.fspath(out_dir)  # strings: tens of thousands of files at 10,000 articles
            for o in outputs:
                if o.depends:
                    continue
                size = None
                if o.sha256 is not None:
                    size = stats.size_if_holds(os.path.join(folder, o.name), o.name, o.sha256)
                if size is not None:
                    done.append((o, None, Written(o.name, size, o.sha256, o.graph)))
                else:
                    independent.append(o)
            failure: BaseException | None = None
            with ThreadPoolExecutor(WRITERS) as pool:
                futures = [pool.submit(one, o) for o in independent]
                try:  # the writers spend their time hashing and in I/O, out of the GIL
                    for o in outputs:
                        if o.depends and o.prepare is not None:
                            o.prepare()
                except BaseException as exc:  # noqa: BLE001 - raised below, after clean-up
                    failure = exc
            for output, future in zip(independent, futures, strict=True):
                try:
                    done.append((output, *future.result()))
                except BaseException as exc:  # noqa: BLE001 - raised below, after clean-up
                    failure = failure or exc
            for output, tmp, result in done:
                written[output.name] = result
                if tmp is None:
                    unchanged.append(output.name)
                else:
                    pending.append((tmp, out_dir / output.name))
            if failure is not None:
                raise failure
            for output in (o for o in outputs if o.depends):
                tmp, result = one(output)
                written[output.name] = result
                if tmp is None:
                    unchanged.append(output.name)
                else:
                    pending.append((tmp, out_dir / output.name))
            refuse_foreign_targets([t for _, t in pending], out_dir, owned)
            final = Manifest({n: w.sha256 for n, w in sorted(written.items())}, inputs,
                             facts_dir)
            stale = sorted(n for n in set(owned) - set(final.outputs)
                           if _is_plain_file(out_dir / n))
            final_bytes = final.to_bytes()
            manifest_changed = previous is None or previous_bytes != final_bytes
            if pending or stale:
                publishing = Manifest({**owned, **final.outputs}, None, facts_dir)
                write_atomic(out_dir / MANIFEST_NAME, publishing.to_bytes())
            pending.sort(key=lambda item: item[1].name in PUBLISHED_LAST)  # stable
            for tmp, target in pending:
                os.replace(tmp, target)
        finally:
            for tmp, _ in pending:
                tmp.unlink(missing_ok=True)  # only left over if something above failed
        for directory in {out_dir, *(t.parent for _, t in pending)}:
            _fsync_dir(directory)
        for name in stale:
            (out_dir / name).unlink(missing_ok=True)
        emptied = {parent for n in stale for parent in (out_dir / n).parents
                   if parent != out_dir and parent.is_relative_to(out_dir)}
        for directory in sorted(emptied, key=lambda d: len(d.parts), reverse=True):
            with suppress(OSError):
                directory.rmdir()  # only when empty: it held nothing but our old files
        if pending or stale or manifest_changed:
            write_atomic(out_dir / MANIFEST_NAME, final_bytes)
        renamed = {t for _, t in pending}
        for name, w in written.items():
            if name in stats.confirmed and out_dir / name not in renamed:
                continue  # as the record has it (10,000 files not stat'ed again)
            with suppress(OSError):
                stats.note(out_dir / name, name, w.sha256)
        with suppress(OSError):
            stats.save(set(written))
    return WriteResult(out_dir, sorted(t.relative_to(out_dir).as_posix() for _, t in pending),
                       stale, sorted(unchanged), written, sha256_bytes(final_bytes))


def refuse_foreign_targets(targets: list[Path], out_dir: Path, owned: dict[str, str]) -> None:
    """Raise NotOurFile when an output would replace a file that no manifest says we wrote."""
    foreign = [t.relative_to(out_dir).as_posix() for t in targets
               if t.relative_to(out_dir).as_posix() not in owned
               and (t.exists() or t.is_symlink())]
    if foreign:
        listed = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5
                                           else "")
        one = len(foreign) == 1
        raise NotOurFile(
            f"{out_dir}: {listed} already exist{'s' if one else ''} but "
            f"{'was' if one else 'were'} not written by kgpub build (no "
            f"{MANIFEST_NAME} there lists {'it' if one else 'them'}); nothing was "
            "written: move the file(s) away, or build into another directory with --out")
