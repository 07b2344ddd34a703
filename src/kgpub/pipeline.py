"""The build's entry points: where a project's files are, what is stale, and `build` itself
(sources -> model -> graph -> SHACL gate -> dumps, written only when all pass; the work is done
by builder.engine)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from rdflib import Dataset, Graph

from .builder import engine
from .builder.engine import BuildResult
from .convert import Converted, convert
from .manifest import Manifest, stale_reason
from .rdfio import parse_file, quads_to_graph
from .sources import FACTS_DIR, Sources, facts_files, load_sources
from .vocabulary import Vocabularies, load_vocabularies, vocabulary_files

ONTOLOGY_DIR = Path("ontology")
ONTOLOGY_FILE = ONTOLOGY_DIR / "kgpub.ttl"
SHAPES_DIR = Path("shapes")
DUMPS_DIR = Path("data/ttl")


def default_root() -> Path:
    """The project checkout: the current directory if it has the sources, else the source tree."""
    cwd = Path.cwd()
    if (cwd / ONTOLOGY_FILE).exists():
        return cwd
    here = Path(__file__).resolve().parents[2]
    return here if (here / ONTOLOGY_FILE).exists() else cwd


def load_graph(path: Path) -> Graph:
    return quads_to_graph(parse_file(path))


BuildReport = BuildResult
"""What `build` returns (see builder.engine.BuildResult)."""


def load_project_vocabularies(root: Path) -> Vocabularies:
    """The ontology and every vocabulary file of the project at `root`."""
    return load_vocabularies(root / ONTOLOGY_FILE, vocabulary_files(root / ONTOLOGY_DIR), root)


def build_dataset(root: Path) -> tuple[Dataset, dict[str, float]]:
    """Load and convert the sources under `root`; raise SourceError on any problem."""
    converted, _, _, timings = _load_and_convert(root)
    return converted.dataset, timings


def _load_and_convert(root: Path) -> tuple[Converted, Sources, Vocabularies, dict[str, float]]:
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    sources = load_sources(root)
    vocab = load_project_vocabularies(root)
    timings["load"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    converted = convert(sources, vocab)
    timings["convert"] = time.perf_counter() - t0
    return converted, sources, vocab, timings


def stale(root: Path | None = None, out_dir: Path | None = None) -> str | None:
    """Why the dumps of `root` are not a build of its sources as they are now, or None.

    Decided by content (the hashes in the build manifest), never by modification times.
    """
    root = Path(root) if root else default_root()
    out_dir = Path(out_dir) if out_dir else root / DUMPS_DIR
    return stale_reason(Manifest.read(out_dir), root, out_dir, facts_files(root / FACTS_DIR))


def build(root: Path | None = None, out_dir: Path | None = None, shapes: Path | None = None,
          write: bool = True, jobs: int | None = None, fresh: bool = False,
          say: Callable[[str], None] = lambda message: None) -> BuildResult:
    """Convert, validate, and (only when every source is valid) write the dumps atomically.

    Articles are converted and validated in `jobs` worker processes (default: the cores) and
    cached in the dumps directory (`fresh` ignores that cache); see builder.engine. `say`
    hears what the user should know on the way (a damaged cache being rebuilt).
    """
    root = Path(root) if root else default_root()
    out_dir = Path(out_dir) if out_dir else root / DUMPS_DIR
    shapes = Path(shapes) if shapes else root / SHAPES_DIR
    t0 = time.perf_counter()
    vocab = load_project_vocabularies(root)
    result = engine.build(root, out_dir, shapes, vocab, root / ONTOLOGY_FILE, jobs, write,
                          say=say, fresh=fresh)
    result.seconds = {"vocabularies": time.perf_counter() - t0 - sum(result.seconds.values()),
                      **result.seconds}
    return result
