"""Which articles a build may take from the cache without asking a worker.

A cache entry is good while its facts file, its text, kgpub's fingerprint (version, ontology,
vocabularies, shapes) and every id and registry entry it refers to are as they were
(job._reuse checks each, reading the entry's depends.json). At the end of every build all its
entries are good for the symbol table and registry of that build. So when the symbol table, the
registry's descriptions and the fingerprint are all unchanged since (one digest, `state`), an
article whose facts file and text have the hashes they had is good too, and the check need not
read its entry: a build where one article of thousands changed sends only that one to the
workers. The record of the last build is kept in the cache; a killed build leaves the one
before it, which still holds (its entries were made, or checked, under that state).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from pathlib import Path

from ..convert import Prepared
from ..manifest import InputHashes
from ..rdfio import to_ox_term
from ..source_validation import SharedIndex
from .job import JobResult

RECORD = "reuse.json"


def state(fingerprint: str, prepared: Prepared, shared: SharedIndex) -> str:
    """One digest of what every entry's validity depends on beyond its own two files."""
    digest = hashlib.sha256(fingerprint.encode() + b"\0")
    for key in sorted(prepared.symbols):
        symbol = prepared.symbols[key]
        digest.update(f"{key}\0{symbol.iri}\0{symbol.cls}\n".encode())
    digest.update(b"\0registry\0")
    for subject in sorted(shared.by_subject, key=lambda s: str(to_ox_term(s))):
        digest.update(f"{to_ox_term(subject)}\0{shared.digest(subject)}\n".encode())
    return digest.hexdigest()


class ReuseRecord:
    """The last build's state and, per facts file, its article, facts and text hashes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            body = {}
        ok = isinstance(body, dict) and isinstance(body.get("files"), dict)
        self.state: str | None = body.get("state") if ok else None
        self.files: dict[str, list] = body["files"] if ok else {}

    def reused(self, current: str, path: Path, name: str, root: Path, article_id: str | None,
               hashes: InputHashes) -> JobResult | None:
        """The result of an unchanged article under an unchanged state, or None (ask a job)."""
        row = self.files.get(name)
        if current != self.state or row is None or article_id is None:
            return None
        aid, facts_sha, text_name, text_sha = row
        if aid != article_id:
            return None
        try:
            if hashes.sha256(path, name) != facts_sha:
                return None
            text = Path(os.path.normpath(os.path.join(root, text_name)))
            if hashes.sha256(text, text_name) != text_sha:
                return None
        except OSError:
            return None
        return JobResult(path, aid, True, facts_sha256=facts_sha, text=text,
                         text_sha256=text_sha, text_name=text_name)

    def save(self, current: str, files: dict[str, list]) -> None:
        tmp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(6)}.tmp")
        tmp.write_text(json.dumps({"state": current, "files": files}, sort_keys=True),
                       encoding="utf-8")
        os.replace(tmp, self.path)
