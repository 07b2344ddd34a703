"""The build manifest: which files a build wrote, and from which inputs.

A dumps directory may hold files that are not kgpub's (a user's notes, a backup); kgpub may only
replace or delete a file it can prove it wrote. The proof is this manifest, a hidden JSON file
beside the dumps that lists every output by name with its SHA-256, and the SHA-256 of every input
the build read. The input hashes also say whether the dumps are current: file modification times
cannot (a fresh clone gives every file the time of the checkout).

The manifest is deterministic (sorted, no time stamps), so a rebuild of unchanged sources leaves
it byte-identical and it can be committed with the dumps.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__

MANIFEST_NAME = ".kgpub-build.json"
FORMAT = 1


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def relative_name(path: Path, root: Path) -> str:
    """`path` relative to `root` in POSIX form (`../x` when outside), for a portable manifest."""
    return Path(os.path.relpath(Path(path).resolve(), Path(root).resolve())).as_posix()


@dataclass
class Manifest:
    outputs: dict[str, str] = field(default_factory=dict)
    """Output file name (relative to the dumps directory) -> SHA-256."""
    inputs: dict[str, str] | None = None
    """Input path (relative to the project root) -> SHA-256; None while a build is publishing."""
    facts_dir: str | None = None
    """The facts directory (relative to the root): a new facts file there makes the dumps stale."""
    kgpub: str = __version__

    def to_bytes(self) -> bytes:
        body = {"format": FORMAT, "kgpub": self.kgpub, "facts_dir": self.facts_dir,
                "inputs": self.inputs, "outputs": self.outputs}
        return (json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()

    @classmethod
    def read(cls, directory: Path) -> Manifest | None:
        """The manifest of `directory`, or None when there is none or it is not one of ours."""
        try:
            data = (Path(directory) / MANIFEST_NAME).read_bytes()
        except OSError:
            return None
        return cls.from_bytes(data)

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest | None:
        """The manifest a file holds, or None when it is not one of ours."""
        try:
            body = json.loads(data.decode("utf-8"))
        except ValueError:
            return None
        if not isinstance(body, dict) or body.get("format") != FORMAT:
            return None
        outputs, inputs = body.get("outputs"), body.get("inputs")
        if not _str_map(outputs) or not (inputs is None or _str_map(inputs)):
            return None
        facts_dir = body.get("facts_dir")
        return cls(dict(outputs), None if inputs is None else dict(inputs),
                   facts_dir if isinstance(facts_dir, str) else None, str(body.get("kgpub")))


def _str_map(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def hash_inputs(paths: Iterable[Path], root: Path) -> dict[str, str]:
    return {relative_name(p, root): sha256_file(p) for p in sorted(set(paths))}


def file_identity(st: os.stat_result) -> list[int]:
    """What a file is as far as its metadata tells (size, mtime, ctime, inode): the same four
    and, as git takes it, the same content. The ctime is what no one sets back by hand."""
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def settled(st: os.stat_result, racy_ns: int) -> bool:
    """Whether the file's last change is older than `racy_ns`: a file changed within the same
    clock tick as it was read could change again unseen, so its identity is not remembered."""
    return time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > racy_ns


class InputHashes:
    """The SHA-256 of input files, remembered with what the file was when it was hashed (size,
    mtime, ctime, inode), in a file of the build cache: a file that is still all of that is not
    read again, which is what keeps a build of 10,000 unchanged articles within a second or two.

    As in git's index, a file hashed within `RACY_NS` of its last change is not remembered
    (another change in the same clock tick could keep its size and times), and a missing or
    damaged record only means hashing again: the record saves work, never decides alone.
    """

    RACY_NS = 2_000_000_000

    def __init__(self, path: Path | None = None, one_build: bool = False) -> None:
        """`one_build`: the record serves one build, which asks for a file's hash up to three
        times (is anything stale, the scan, the conversion): each file is stat'ed once, and
        answers as it was then."""
        self.path, self.changed = path, False
        self.entries: dict[str, list] = {}
        self.learned: dict[str, list] = {}  # since made: what a worker process sends back
        self.this_run: dict[str, str] | None = {} if one_build else None
        if path is not None:
            with suppress(OSError, ValueError):
                body = json.loads(Path(path).read_text(encoding="utf-8"))
                if isinstance(body, dict):
                    self.entries = body

    def sha256(self, path: str | Path, name: str) -> str:
        """The file's hash (as it was when first asked for in this run)."""
        run = self.this_run
        if run is not None and name in run:
            return run[name]
        st = os.stat(path)
        key = file_identity(st)
        known = self.entries.get(name)
        if isinstance(known, list) and known[:4] == key and len(known) == 5:
            digest = str(known[4])
            if run is not None:
                run[name] = digest
            return digest
        digest = sha256_file(path)
        if run is not None:
            run[name] = digest
        if settled(st, self.RACY_NS):
            self.entries[name] = self.learned[name] = [*key, digest]
            self.changed = True
        return digest

    def merge(self, learned: dict[str, list]) -> None:
        """What another process's copy learned (stat taken before it hashed, so a file that
        changed while it was read does not match next time)."""
        if learned:
            self.entries.update(learned)
            self.changed = True

    def save(self) -> None:
        """Keep the record (best effort: a read-only cache only means hashing next time)."""
        if self.path is None or not self.changed:
            return
        tmp = Path(self.path).with_name(f".{Path(self.path).name}.{secrets.token_hex(6)}.tmp")
        try:
            tmp.write_text(json.dumps(self.entries, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.path)
            self.changed = False
        except OSError:
            tmp.unlink(missing_ok=True)


def relative_names(paths: Iterable[Path], root: Path) -> list[str]:
    """`relative_name` of many paths, each directory resolved once (with strings, not pathlib:
    a build names tens of thousands of files)."""
    real_root = os.path.realpath(root)
    folders: dict[str, str] = {}
    names = []
    for path in paths:
        text = os.fspath(path)
        parent, base = os.path.split(text)
        folder = folders.get(parent)
        if folder is None:
            folder = folders[parent] = Path(
                os.path.relpath(os.path.realpath(parent or "."), real_root)).as_posix()
        if os.path.islink(text):
            names.append(relative_name(Path(text), root))
        else:
            names.append(base if folder == "." else f"{folder}/{base}")
    return names


def stale_reason(manifest: Manifest | None, root: Path, out_dir: Path,
                 facts_files: Iterable[Path], hashes: InputHashes | None = None) -> str | None:
    """Why the dumps in `out_dir` are not a build of the inputs as they are now, or None.

    `facts_files` are the facts files the build would read today: one that the last build did
    not read (a new article) makes the dumps stale as surely as an edited one. `hashes` may
    remember the hashes of unchanged files (see InputHashes).
    """
    if manifest is None:
        return "no build manifest (never built here, or built by an older kgpub)"
    if manifest.inputs is None:
        return "the last build did not finish publishing"
    if manifest.kgpub != __version__:
        return f"built by kgpub {manifest.kgpub}, this is {__version__}"
    folder = str(out_dir)
    for name in manifest.outputs:
        if not os.path.isfile(os.path.join(folder, name)):
            return f"{name} is missing"
    known = set(manifest.inputs)
    for name in relative_names(facts_files, root):
        if name not in known:
            return f"{name} is new"
    hashes = hashes or InputHashes()
    base = os.fspath(root)
    for name, digest in sorted(manifest.inputs.items()):
        try:
            if hashes.sha256(os.path.join(base, name), name) != digest:
                return f"{name} changed"
        except OSError:
            return f"{name} is gone"
    return None
