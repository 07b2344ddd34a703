"""A kgpub project: where its sources, dumps and resources are, and its settings (kgpub.toml).

Every command works on one project. Its sources are under `data/`; the ontology, vocabularies,
shapes and example queries are kgpub's own (shipped in the package, see `packaged_resources`),
with the project's `ontology/*.ttl`, `shapes/*.ttl` and `queries/*.rq` added to them: a project
file named like one of kgpub's replaces it. The repository itself is such a project, whose
top-level ontology/, shapes/ and queries/ are the ones kgpub ships.
"""

from __future__ import annotations

import difflib
import importlib.resources
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox

from .errors import KgpubError

CONFIG_NAME = "kgpub.toml"
ONTOLOGY_NAME = "kgpub.ttl"
MINTED_BASE = "https://w3id.org/kgpub/"
"""The base of the IRIs kgpub mints (id/…, graph/…): see `Settings.base_iri`."""
RESOURCE_KINDS = {"ontology": "*.ttl", "shapes": "*.ttl", "queries": "*.rq"}
"""The resources a project may add to or replace by name; `kgpub draft` also reads
ontology/draft/ (see resource_file)."""
WHOLE_DATASET = ("nq", "nq.gz", "trig", "trig.gz", "jsonld")
"""The formats of the whole-dataset dumps kgpub.<format> (see `Settings.whole`)."""


class ProjectError(KgpubError):
    """No project where one is needed, or a configuration file kgpub cannot use (exit 2)."""

    exit_code = 2


# -- settings ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Settings:
    """What kgpub.toml says; every field has the default a project without the file gets."""

    title: str = "kgpub: foreign-policy facts from news articles"
    """The dataset's name: VoID's dcterms:title."""
    description: str = ("Facts, quotes and diplomatic stances curated from news articles, with "
                        "provenance to the evidence span of every fact.")
    """VoID's dcterms:description, the home page's lead, the service description's."""
    base_iri: str = MINTED_BASE
    """Where the dataset's IRIs live: VoID's URI space, SPARQL endpoint and dump addresses, and
    what `kgpub serve` maps onto its own root. kgpub mints every IRI under MINTED_BASE today,
    so no other base is accepted yet (the server would answer 404 for every resource)."""
    license: str = "https://creativecommons.org/licenses/by/4.0/"
    """The dataset's licence (dcterms:license in VoID)."""
    site_title: str = "kgpub"
    """The site's name: navigation bar, page titles (default: the dataset's title)."""
    whole: tuple[str, ...] = WHOLE_DATASET
    """Which whole-dataset dumps a build writes (kgpub.<format>): every one by default; a
    corpus of thousands may keep only the compressed ones, which a build rewrites ten times
    faster when one article changes. N-Quads (nq or nq.gz) is always among them: it is what
    `query`, `serve` and `publish` read."""


# key in the file -> (field, kind); kind: "text", "iri" or "whole" (a list of WHOLE_DATASET)
_KEYS: dict[str, dict[str, tuple[str, str]]] = {
    "dataset": {"title": ("title", "text"), "description": ("description", "text"),
                "base_iri": ("base_iri", "iri"), "license": ("license", "iri")},
    "site": {"title": ("site_title", "text")},
    "dumps": {"whole": ("whole", "whole")},
}


def _closest(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=1)
    return f"did you mean {close[0]!r}? " if close else ""


def _http_iri(value: str) -> bool:
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def read_settings(path: Path) -> Settings:
    """The settings of a kgpub.toml; ProjectError naming the file and key for anything wrong."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProjectError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        body = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ProjectError(f"{path}: not UTF-8 (byte {exc.start}); save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProjectError(f"{path}: not valid TOML: {exc}") from None
    values: dict[str, str] = {}
    for table, content in body.items():
        if table not in _KEYS:
            raise ProjectError(f"{path}: unknown table [{table}]: {_closest(table, list(_KEYS))}"
                               f"kgpub.toml has [{'] and ['.join(_KEYS)}]")
        if not isinstance(content, dict):
            raise ProjectError(f"{path}: {table} must be a table ([{table}]), not a value")
        for key, value in content.items():
            known = _KEYS[table]
            if key not in known:
                raise ProjectError(f"{path}: {table}.{key}: unknown key; "
                                   f"{_closest(key, list(known))}[{table}] takes "
                                   f"{', '.join(known)}")
            name, kind = known[key]
            values[name] = _checked(path, f"{table}.{key}", value, kind)
    if "title" in values:  # the site is named like the dataset unless [site] says otherwise
        values.setdefault("site_title", values["title"])
    return Settings(**values)


def _checked(path: Path, key: str, value: object, kind: str) -> str | tuple[str, ...]:
    if kind == "whole":
        return _whole_formats(path, key, value)
    if not isinstance(value, str):
        raise ProjectError(f"{path}: {key} must be a string (in quotes), not "
                           f"{type(value).__name__} {value!r}")
    if not value.strip():
        raise ProjectError(f"{path}: {key} is empty; give a value or leave the key out")
    if kind == "iri" and not _http_iri(value):
        raise ProjectError(f"{path}: {key} {value!r} is not an absolute http(s) IRI; give one "
                           "such as https://example.org/kg/")
    if key == "dataset.base_iri":
        base = value if value.endswith("/") else value + "/"
        if base != MINTED_BASE:
            raise ProjectError(
                f"{path}: {key} {value!r}: kgpub mints every IRI under {MINTED_BASE} (id/…, "
                f"graph/…) and cannot publish them under another base yet; set it to "
                f"{MINTED_BASE!r} or leave it out")
        return base
    return value


def dataset_name(settings: Settings | None) -> str:
    """The whole-dataset N-Quads dump a build of these settings writes."""
    whole = settings.whole if settings is not None else WHOLE_DATASET
    return "kgpub.nq" if "nq" in whole else "kgpub.nq.gz"


def _whole_formats(path: Path, key: str, value: object) -> tuple[str, ...]:
    known = ", ".join(f'"{f}"' for f in WHOLE_DATASET)
    if not isinstance(value, list) or not value or \
            not all(isinstance(v, str) for v in value):
        raise ProjectError(f"{path}: {key} must be a list of formats, e.g. whole = "
                           f'["nq.gz", "trig.gz"], from {known}')
    unknown = [v for v in value if v not in WHOLE_DATASET]
    if unknown:
        raise ProjectError(f"{path}: {key}: unknown format {unknown[0]!r}; "
                           f"{_closest(unknown[0], list(WHOLE_DATASET))}choose from {known}")
    if "nq" not in value and "nq.gz" not in value:
        raise ProjectError(f'{path}: {key} must include "nq" or "nq.gz": the whole dataset as '
                           "N-Quads is what query, serve and publish read")
    return tuple(f for f in WHOLE_DATASET if f in value)


# -- resources --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Resources:
    """The ontology, vocabulary, shapes and query files a command reads."""

    ontology_file: Path
    vocabulary_files: list[Path] = field(default_factory=list)
    shape_files: list[Path] = field(default_factory=list)
    query_files: list[Path] = field(default_factory=list)


def packaged_resources_dir() -> Path:
    """Where kgpub's own ontology/, shapes/ and queries/ are.

    An installed kgpub carries them as package data in `kgpub/resources/` (the build copies the
    repository's top-level directories there, see setup.py). Run from a source checkout (an
    editable install), there is no such copy: they are the checkout's top-level directories.
    """
    installed = importlib.resources.files("kgpub") / "resources"
    if installed.is_dir():
        if not isinstance(installed, Path):
            raise ProjectError(f"kgpub's resources are inside an archive ({installed}); install "
                               "kgpub from its wheel with pip so that they are files")
        return installed
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "ontology" / ONTOLOGY_NAME).is_file():
        return checkout
    raise ProjectError(f"kgpub's ontology and shapes are missing (neither {installed} nor "
                       f"{checkout / 'ontology'} exists); reinstall kgpub")


def _merged(dirs: list[Path], pattern: str) -> dict[str, Path]:
    """Files by name; a later directory's file replaces an earlier one of the same name."""
    files: dict[str, Path] = {}
    for d in dirs:
        for path in sorted(d.glob(pattern)):
            if path.is_file():
                files[path.name] = path
    return dict(sorted(files.items()))


def resource_file(relative: str, own: Path | None = None) -> Path:
    """One resource by its path under the resources (`ontology/draft/cues.ttl`): the
    project's own (under `own`) when it has that file, else kgpub's (which may not exist)."""
    if own is not None and (Path(own) / relative).is_file():
        return Path(own) / relative
    return packaged_resources_dir() / relative


def resources(own: Path | None = None) -> Resources:
    """kgpub's packaged resources, with the project's own (under `own`) added or replacing."""
    base = packaged_resources_dir()
    found = {kind: _merged([base / kind, *([own / kind] if own else [])], pattern)
             for kind, pattern in RESOURCE_KINDS.items()}
    ontology = found["ontology"].pop(ONTOLOGY_NAME, None)
    if ontology is None:
        raise ProjectError(f"{base / 'ontology' / ONTOLOGY_NAME}: missing; reinstall kgpub")
    return Resources(ontology, list(found["ontology"].values()),
                     list(found["shapes"].values()), list(found["queries"].values()))


# -- the project ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Project:
    """A project directory: its sources, its dumps, its resources and its settings."""

    root: Path
    settings: Settings = field(default_factory=Settings)
    config_file: Path | None = None

    @classmethod
    def at(cls, root: Path | str) -> Project:
        """The project at `root` (kgpub.toml is optional: without it, the default settings)."""
        root = Path(root)
        config = root / CONFIG_NAME
        if config.is_file():
            return cls(root, read_settings(config), config)
        return cls(root)

    @classmethod
    def find(cls, root: Path | str | None = None, required: bool = True) -> Project | None:
        """The project a command works on: `root` (--root) when given; else the current
        directory when it has kgpub.toml or data/, else the nearest directory above it with a
        kgpub.toml. None when there is none and `required` is false."""
        if root is not None:
            root = Path(root)
            if not root.is_dir():
                raise ProjectError(f"--root {root}: no such directory; give the directory "
                                   f"that holds {CONFIG_NAME} and data/")
            return cls.at(root)
        here = Path.cwd()
        if (here / CONFIG_NAME).is_file() or (here / "data").is_dir():
            return cls.at(here)
        for parent in here.parents:
            if (parent / CONFIG_NAME).is_file():
                return cls.at(parent)
        if not required:
            return None
        raise ProjectError(f"no kgpub project here: neither {here} nor a directory above it "
                           f"has a {CONFIG_NAME} (nor does {here} have data/); run "
                           "`kgpub init DIR` to start one, or pass --root DIR")

    # sources
    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def registry_file(self) -> Path:
        return self.data_dir / "actors.yaml"

    @property
    def facts_dir(self) -> Path:
        return self.data_dir / "facts"

    @property
    def articles_dir(self) -> Path:
        return self.data_dir / "articles"

    @property
    def context_file(self) -> Path:
        return self.data_dir / "context.yaml"

    # outputs
    @property
    def dumps_dir(self) -> Path:
        return self.data_dir / "ttl"

    @property
    def dataset_file(self) -> Path:
        """The whole built dataset, what `query`, `conflicts`, `check`, `serve` and `publish`
        read: kgpub.nq, or kgpub.nq.gz when the project's build writes only that."""
        return self.dumps_dir / dataset_name(self.settings)

    # resources
    @property
    def resources(self) -> Resources:
        return resources(self.root)

    @property
    def ontology_file(self) -> Path:
        return self.resources.ontology_file

    @property
    def vocabulary_files(self) -> list[Path]:
        return self.resources.vocabulary_files

    @property
    def shape_files(self) -> list[Path]:
        return self.resources.shape_files

    @property
    def query_files(self) -> list[Path]:
        return self.resources.query_files


def as_project(root: Project | Path | str | None) -> Project:
    """What library functions take as `root`: a Project, its directory, or None (find it)."""
    if isinstance(root, Project):
        return root
    if root is None:
        found = Project.find()
        assert found is not None
        return found
    return Project.at(root)
