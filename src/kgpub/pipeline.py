"""The build: sources -> model -> graph -> SHACL gate -> dumps, written only when all pass."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from .convert import convert
from .dump import render, write_dumps
from .errors import ValidationFailed
from .rdfio import dataset_to_quads, parse_file, quads_to_graph
from .sources import load_sources
from .validate import Report, load_shapes, validate_graph

ONTOLOGY_FILE = Path("ontology/kgpub.ttl")
VOCAB_FILE = Path("ontology/stance-types.ttl")
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


@dataclass
class BuildReport:
    dataset: Dataset
    report: Report
    written: list[Path] = field(default_factory=list)
    graph_sizes: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.graph_sizes.values())


def build_dataset(root: Path) -> tuple[Dataset, dict[str, float]]:
    """Load and convert the sources under `root`; raise SourceError on any problem."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    sources = load_sources(root)
    ontology = load_graph(root / ONTOLOGY_FILE)
    vocab = load_graph(root / VOCAB_FILE)
    timings["load"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    ds = convert(sources, ontology, vocab)
    timings["convert"] = time.perf_counter() - t0
    return ds, timings


def union_graph(ds: Dataset) -> Graph:
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def build(root: Path | None = None, out_dir: Path | None = None, shapes: Path | None = None,
          write: bool = True) -> BuildReport:
    """Convert, validate, and (only when valid) write the dumps atomically."""
    root = Path(root) if root else default_root()
    out_dir = Path(out_dir) if out_dir else root / DUMPS_DIR
    ds, timings = build_dataset(root)
    t0 = time.perf_counter()
    report = validate_graph(union_graph(ds), load_shapes(shapes or root / SHAPES_DIR))
    timings["validate"] = time.perf_counter() - t0
    if not report.conforms:
        raise ValidationFailed(report.text())
    t0 = time.perf_counter()
    quads = dataset_to_quads(ds)
    files = render(quads)
    timings["serialise"] = time.perf_counter() - t0
    written = []
    if write:
        t0 = time.perf_counter()
        written = write_dumps(files, out_dir)
        timings["write"] = time.perf_counter() - t0
    sizes = Counter(q.graph_name.value for q in quads)
    return BuildReport(ds, report, written, dict(sorted(sizes.items())), timings)
