"""`kgpub init DIR`: a new project with one small example article that builds as it is.

The example (registry, facts file, article text, README) is package data under
`kgpub/skeleton/`; kgpub.toml is written from the settings, so it documents every key.
Init only ever writes into a directory that is empty or does not exist yet: it never
replaces a file it did not write.
"""

from __future__ import annotations

import importlib.resources
import shutil
import tempfile
from pathlib import Path

from .project import CONFIG_NAME, ProjectError, Settings, read_settings

SKELETON = "skeleton"


def toml_string(text: str) -> str:
    """`text` as a TOML basic string (quotes, backslashes and control characters escaped)."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\t" or (ord(ch) >= 0x20 and ord(ch) != 0x7F):
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04X}")
    return '"' + "".join(out) + '"'


def config_text(settings: Settings) -> str:
    """A kgpub.toml holding `settings`, each key with what it is for."""
    return f"""\
# kgpub.toml: the settings of this kgpub project (kgpub finds the project by this file).

[dataset]
# The dataset's name and what it is (VoID's dcterms:title and dcterms:description).
title = {toml_string(settings.title)}
description = {toml_string(settings.description)}
# Where the dataset's IRIs live (VoID's URI space, SPARQL endpoint and dump addresses;
# `kgpub serve` answers for IRIs under it). kgpub mints every IRI under this base.
base_iri = {toml_string(settings.base_iri)}
# The licence the dataset is published under (dcterms:license).
license = {toml_string(settings.license)}

[site]
# The site's name in the navigation bar and page titles (default: the dataset's title).
title = {toml_string(settings.site_title)}
"""


def _skeleton_files() -> dict[str, bytes]:
    root = importlib.resources.files("kgpub") / SKELETON
    files: dict[str, bytes] = {}
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        for item in folder.iterdir():
            name = f"{prefix}{item.name}"
            if item.is_dir():
                stack.append((item, name + "/"))
            elif not item.name.startswith("."):
                files[name] = item.read_bytes()
    return dict(sorted(files.items()))


def init_project(directory: Path, title: str | None = None) -> list[Path]:
    """Create a project in `directory` (which must be empty or not exist); the files written.

    Everything is written into a temporary directory inside it first and then moved into
    place, so a failure while writing leaves no half project behind.
    """
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise ProjectError(f"{directory}: exists and is not a directory; give a new or empty "
                           "directory")
    if directory.is_dir() and any(directory.iterdir()):
        raise ProjectError(f"{directory}: not empty; kgpub init only writes into a new or empty "
                           "directory, so that it never replaces a file (give another "
                           "directory, or use --root to work on an existing project)")
    if title is not None and not title.strip():
        raise ProjectError("--title is empty; give the dataset's name, or leave it out")
    name = directory.resolve().name or "kgpub"
    settings = Settings(title=title or f"{name}: facts from news articles",
                        site_title=title or name)
    files = {CONFIG_NAME: config_text(settings).encode("utf-8"), **_skeleton_files()}
    directory.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".kgpub-init-", dir=directory))
    try:
        for rel, data in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        (staging / "data" / "facts").mkdir(parents=True, exist_ok=True)
        read_settings(staging / CONFIG_NAME)  # what was written must read back
        for entry in sorted(staging.iterdir()):
            entry.rename(directory / entry.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [directory / rel for rel in files]
