"""The build's entry points: what is stale, and `build` itself (sources -> model -> graph ->
SHACL gate -> dumps, written only when all pass; the work is done by builder.engine)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from rdflib import Dataset, Graph

from .builder import engine
from .builder.cache import BuildCache
from .builder.engine import BuildResult
from .convert import Converted, convert
from .manifest import InputHashes, Manifest, stale_reason
from .project import Project, as_project
from .rdfio import parse_file, quads_to_graph
from .sources import Sources, facts_files, load_sources
from .vocabulary import Vocabularies, load_vocabularies

Root = Project | Path | None
"""What the build functions take as the project: a Project, its directory, or None (the
current directory's project, see Project.find)."""


def load_graph(path: Path) -> Graph:
    return quads_to_graph(parse_file(path))


BuildReport = BuildResult
"""What `build` returns (see builder.engine.BuildResult)."""


def load_project_vocabularies(root: Root) -> Vocabularies:
    """The ontology and every vocabulary file of the project at `root`."""
    project = as_project(root)
    return load_vocabularies(project.ontology_file, project.vocabulary_files, project.root)


def build_dataset(root: Root) -> tuple[Dataset, dict[str, float]]:
    """Load and convert the sources under `root` in one process, as one rdflib Dataset (for
    tests and small projects; `build` never makes a whole-corpus graph)."""
    converted, _, _, timings = _load_and_convert(root)
    return converted.dataset, timings


def _load_and_convert(root: Root) -> tuple[Converted, Sources, Vocabularies, dict[str, float]]:
    project = as_project(root)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    sources = load_sources(project)
    vocab = load_project_vocabularies(project)
    timings["load"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    converted = convert(sources, vocab)
    timings["convert"] = time.perf_counter() - t0
    return converted, sources, vocab, timings


def stale(root: Root = None, out_dir: Path | None = None) -> str | None:
    """Why the dumps of `root` are not a build of its sources as they are now, or None.

    Decided by content (the hashes in the build manifest), never by modification times.
    """
    project = as_project(root)
    out_dir = Path(out_dir) if out_dir else project.dumps_dir
    hashes = InputHashes(BuildCache(out_dir).root / engine.INPUT_HASHES)  # read, never saved
    return stale_reason(Manifest.read(out_dir), project.root, out_dir,
                        facts_files(project.facts_dir), hashes)


def build(root: Root = None, out_dir: Path | None = None, shapes: Path | None = None,
          write: bool = True, jobs: int | None = None, fresh: bool = False,
          say: Callable[[str], None] = lambda message: None) -> BuildResult:
    """Convert, validate, and (only when every source is valid) write the dumps atomically.

    `shapes` (a file or directory) replaces the project's shapes when given. Articles are
    converted and validated in `jobs` worker processes (default: the cores) and cached in the
    dumps directory (`fresh` ignores that cache); see builder.engine. `say` hears what the
    user should know on the way (a damaged cache being rebuilt).
    """
    project = as_project(root)
    out_dir = Path(out_dir) if out_dir else project.dumps_dir
    shape_source: Path | list[Path] = Path(shapes) if shapes else project.shape_files
    t0 = time.perf_counter()
    hashes = engine.input_hashes(out_dir)  # one record, so no file is hashed or stat'ed twice
    if write and not fresh:  # before loading anything: a build that changes nothing is quick
        done = engine.unchanged(project, out_dir, shape_source, hashes)
        if done is not None:
            return done
    vocab = load_project_vocabularies(project)
    result = engine.build(project, out_dir, shape_source, vocab, jobs, write, say=say,
                          fresh=fresh, checked=write and not fresh, hashes=hashes)
    result.seconds = {"vocabularies": time.perf_counter() - t0 - sum(result.seconds.values()),
                      **result.seconds}
    return result
