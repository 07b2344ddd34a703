"""The build manifest: kgpub touches only files it wrote, and staleness is decided by content."""

from __future__ import annotations

import builtins
import errno
import io
import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import checkout_copy

from kgpub.builder.cache import CACHE_NAME
from kgpub.cli import main
from kgpub.dump import remove_stale_temporaries
from kgpub.manifest import MANIFEST_NAME, Manifest
from kgpub.pipeline import stale
from kgpub.web.server import prepare


def run_build(project: Path, out: Path):
    return CliRunner().invoke(main, ["build", "--root", str(project), "--out", str(out)])


USER_FILES = {"my-notes.ttl": b"<urn:a> <urn:b> <urn:c> .\n", "backup.jsonld": b"{}",
              "old.nq.gz": b"not ours", "notes.trig": b"", ".my-editor.tmp": b"swap",
              ".kgpub.nq.tmp": b"a name like ours, but not our pattern"}


def test_build_keeps_files_it_did_not_write(mini_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name, data in USER_FILES.items():
        (out / name).write_bytes(data)
    for _ in range(2):  # the first build into the directory, then a rebuild
        result = run_build(mini_project, out)
        assert result.exit_code == 0, result.output
        for name, data in USER_FILES.items():
            assert (out / name).read_bytes() == data, f"{name} was changed or removed"
    # A graph that disappears takes its own file with it, and nothing else.
    facts = mini_project / "data/facts/dispatch.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text + "page_chrome:\n  designations:\n    - id: chrome-x\n"
                     "      designated_by: ruritania\n      designates: rns\n"
                     "      label: state media\n      evidence: [\"(RNS)\"]\n", encoding="utf-8")
    assert run_build(mini_project, out).exit_code == 0
    chrome = out / "pagechrome-rns-dispatch.ttl"
    assert chrome.exists()
    facts.write_text(text, encoding="utf-8")
    result = run_build(mini_project, out)
    assert result.exit_code == 0, result.output
    assert not chrome.exists()
    assert "removed 1 of its own old file (pagechrome-rns-dispatch.ttl)" in result.output
    for name, data in USER_FILES.items():
        assert (out / name).read_bytes() == data


def test_build_refuses_to_replace_a_file_it_did_not_write(mini_project: Path,
                                                          tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "kgpub.nq").write_bytes(b"somebody else's quads\n")
    result = run_build(mini_project, out)
    assert result.exit_code == 2, result.output
    assert "kgpub.nq already exists but was not written by kgpub build" in result.output
    assert "--out" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir() if p.name != CACHE_NAME) == ["kgpub.nq"]
    assert (out / "kgpub.nq").read_bytes() == b"somebody else's quads\n"


def test_a_corrupt_manifest_proves_nothing(mini_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_build(mini_project, out).exit_code == 0
    (out / "kgpub.nq").write_bytes(b"edited by hand\n")
    (out / MANIFEST_NAME).write_text("{ not json", encoding="utf-8")
    result = run_build(mini_project, out)
    assert result.exit_code == 2 and "kgpub.nq already exists" in result.output
    assert (out / "kgpub.nq").read_bytes() == b"edited by hand\n"


def test_only_our_temporary_names_count_as_leftovers(tmp_path: Path) -> None:
    ours = tmp_path / ".kgpub.nq.0123456789ab.tmp"
    ours.write_bytes(b"x")
    for name in (".kgpub.nq.tmp", ".x.0123456789ab.tmp.bak", "a.0123456789ab.tmp",
                 ".kgpub.nq.0123456789AB.tmp"):
        (tmp_path / name).write_bytes(b"user")
    assert remove_stale_temporaries(tmp_path) == [ours]
    assert len(list(tmp_path.iterdir())) == 4


def test_build_says_what_changed(mini_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_build(mini_project, out)
    assert first.exit_code == 0, first.output
    written = len([p for p in out.iterdir() if not p.name.startswith(".")])
    assert f"wrote {written} changed files (" in first.output
    again = run_build(mini_project, out)
    assert f"nothing changed: the {written} dumps in {out} are up to date" in again.output
    assert "wrote" not in again.output
    actors = mini_project / "data/actors.yaml"
    actors.write_text(actors.read_text().replace("label: Freedonia", "label: Freedonia (F)"))
    changed = run_build(mini_project, out)
    assert "wrote 7 changed files (entities.ttl, kgpub.jsonld, kgpub.nq" \
        in changed.output, changed.output


def test_staleness_is_decided_by_content_not_time(tmp_path: Path) -> None:
    """A fresh clone gives the sources newer times than the dumps: that is not staleness."""
    project = checkout_copy(tmp_path / "clone")
    later = time.time() + 3600
    for path in project.rglob("*"):
        if path.is_file() and "ttl" not in path.parts[-2:-1]:
            os.utime(path, (later, later))
    assert stale(project) is None
    facts = project / "data/facts/rferl-28883735.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert stale(project) == "data/facts/rferl-28883735.yaml changed"
    shutil.copy(project / "data/facts/rferl-28883735.yaml", project / "data/facts/new.yaml")
    assert stale(project) == "data/facts/new.yaml is new"
    (project / "data/facts/new.yaml").unlink()
    (project / "data/ttl/links.ttl").unlink()
    assert stale(project) == "links.ttl is missing"
    (project / "data/ttl" / MANIFEST_NAME).unlink()
    assert "no build manifest" in stale(project)


def test_committed_manifest_describes_the_committed_dumps() -> None:
    from conftest import ROOT

    manifest = Manifest.read(ROOT / "data/ttl")
    assert manifest is not None and manifest.inputs
    listed = set(manifest.outputs)
    on_disk = {p.name for p in (ROOT / "data/ttl").iterdir()
               if p.name not in (MANIFEST_NAME, CACHE_NAME)}  # the build cache: not committed
    assert listed == on_disk


class ReadOnly:
    """Every call that would write under `root` fails as on a read-only mount (EROFS).

    Tests run as root, whom file modes do not stop, so the file system is simulated here."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
        self.root = str(root.resolve())
        self.attempts: list[str] = []
        real_open, real_os_open = builtins.open, os.open

        def guarded(name: str, real):
            def call(path, *args, **kwargs):
                self._deny(name, path)
                return real(path, *args, **kwargs)
            return call

        def open_(file, mode="r", *args, **kwargs):
            if any(c in mode for c in "wax+"):
                self._deny("open", file)
            return real_open(file, mode, *args, **kwargs)

        def os_open(path, flags, *args, **kwargs):
            if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC):
                self._deny("os.open", path)
            return real_os_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", open_)
        monkeypatch.setattr(io, "open", open_)
        monkeypatch.setattr(os, "open", os_open)
        real_mkdir = os.mkdir

        def mkdir(path, *args, **kwargs):
            if os.path.exists(path):  # as the kernel says first
                raise FileExistsError(errno.EEXIST, "File exists", os.fspath(path))
            self._deny("mkdir", path)
            return real_mkdir(path, *args, **kwargs)

        monkeypatch.setattr(os, "mkdir", mkdir)
        for name in ("utime", "unlink", "remove", "rmdir", "chmod"):
            monkeypatch.setattr(os, name, guarded(name, getattr(os, name)))
        for name in ("replace", "rename"):
            real = getattr(os, name)

            def two(src, dst, *args, _real=real, _name=name, **kwargs):
                self._deny(_name, src)
                self._deny(_name, dst)
                return _real(src, dst, *args, **kwargs)
            monkeypatch.setattr(os, name, two)

    def _deny(self, what: str, path) -> None:
        if isinstance(path, int):
            return
        if os.path.abspath(os.fspath(path)).startswith(self.root):
            self.attempts.append(f"{what} {path}")
            raise OSError(errno.EROFS, "Read-only file system", os.fspath(path))


def test_build_and_serve_work_on_a_read_only_checkout(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    project = checkout_copy(tmp_path / "ro")
    work = tmp_path / "work"
    work.mkdir()
    guard = ReadOnly(monkeypatch, project)
    result = run_build(project, project / "data/ttl")
    assert result.exit_code == 0, result.output
    assert "nothing changed" in result.output
    loaded, published = prepare([], None, work, say=lambda m: None, root=project)
    assert loaded.files == (project / "data/ttl/kgpub.nq",)
    assert guard.attempts == []


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in directory.iterdir() if p.is_file()}


def test_serve_builds_elsewhere_when_stale_dumps_cannot_be_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = checkout_copy(tmp_path / "ro")
    (project / "data/ttl/links.ttl").unlink()  # stale: a dump is missing
    work = tmp_path / "work"
    work.mkdir()
    before = _files(project / "data/ttl")
    monkeypatch.setattr(os, "access", lambda path, mode: not str(path).startswith(str(project)))
    ReadOnly(monkeypatch, project)
    said: list[str] = []
    loaded, published = prepare([], None, work, say=said.append, root=project)
    assert loaded.files == (work / "dumps/kgpub.nq",)
    assert "not writable" in said[0] and "links.ttl is missing" in said[0]
    assert _files(project / "data/ttl") == before



def test_remembered_hashes_are_used_only_for_the_same_untouched_file(tmp_path: Path) -> None:
    """InputHashes: a file of unchanged size, times and inode is not read again; any change
    (even one that keeps the size, or that restores the mtime) is hashed, and so is a file
    changed just before it was hashed (it could change again within the same clock tick)."""
    from kgpub.manifest import InputHashes, sha256_file

    record = tmp_path / "inputs.json"
    path = tmp_path / "a.yaml"
    path.write_text("label: one\n", encoding="utf-8")
    old = time.time() - 60
    os.utime(path, (old, old))
    first = InputHashes(record)
    time.sleep(0.01)
    assert first.sha256(path, "a.yaml") == sha256_file(path)
    # ctime is the time of the utime call above: wait until it is old enough to be trusted
    assert "a.yaml" not in first.entries
    later = InputHashes(record)
    later.RACY_NS = 0
    digest = later.sha256(path, "a.yaml")
    later.save()

    kept = InputHashes(record)
    assert kept.entries["a.yaml"][4] == digest
    kept.entries["a.yaml"][4] = "f" * 64  # what it remembers is what it answers, unread
    assert kept.sha256(path, "a.yaml") == "f" * 64

    stat = path.stat()
    path.write_text("label: two\n", encoding="utf-8")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime; ctime moves on
    assert kept.sha256(path, "a.yaml") == sha256_file(path) != digest

    record.write_text("not json", encoding="utf-8")  # a damaged record only means hashing
    assert InputHashes(record).sha256(path, "a.yaml") == sha256_file(path)


def test_an_unchanged_build_does_not_read_the_facts_files_again(mini_project: Path,
                                                                tmp_path: Path,
                                                                monkeypatch) -> None:
    """The second build of unchanged sources hashes none of them: their hashes are remembered
    in the build cache (the first build hashed each one)."""
    from kgpub import manifest
    from kgpub.manifest import InputHashes

    monkeypatch.setattr(InputHashes, "RACY_NS", -10**12)  # the files were just written
    out = tmp_path / "out"
    assert run_build(mini_project, out).exit_code == 0
    hashed: list[str] = []
    real = manifest.sha256_file
    monkeypatch.setattr(manifest, "sha256_file", lambda p: hashed.append(Path(p).name) or real(p))
    result = run_build(mini_project, out)
    assert result.exit_code == 0 and "up to date" in result.output
    facts_names = {p.name for p in (mini_project / "data/facts").glob("*.yaml")}
    assert facts_names and not facts_names & set(hashed), hashed
    facts = sorted((mini_project / "data/facts").glob("*.yaml"))[0]
    facts.write_text(facts.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    hashed.clear()
    assert run_build(mini_project, out).exit_code == 0
    assert facts.name in hashed
