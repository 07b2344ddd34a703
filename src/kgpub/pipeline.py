"""The build: sources -> model -> graph -> SHACL gate -> dumps, written only when all pass."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from .claims import Derived, Properties, SourceIndex, derive, index_source
from .convert import Closure, Converted, convert
from .dump import SEARCH_INDEX, WriteResult, render, write_dumps
from .errors import ValidationFailed
from .manifest import Manifest, hash_inputs, relative_name, stale_reason
from .namespaces import KGG
from .rdfio import dataset_to_quads, parse_file, quads_to_graph
from .search import build_index
from .source_validation import validate_sources
from .sources import FACTS_DIR, Sources, facts_files, load_sources
from .validate import Report, load_shapes, prepare_shapes, shape_files
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


@dataclass
class BuildReport:
    dataset: Dataset
    report: Report
    written: WriteResult | None = None
    graph_sizes: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    claims: Derived | None = None

    @property
    def total(self) -> int:
        return sum(self.graph_sizes.values())


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


def input_files(root: Path, sources: Sources, vocab: Vocabularies, shapes: Path) -> list[Path]:
    """Every file a build of `root` reads: its manifest records their hashes."""
    files = [sources.registry_path, root / ONTOLOGY_FILE, *vocab.files, *shape_files(shapes)]
    for article in sources.articles:
        files += [article.path, article.text_path]
    if sources.context is not None:
        files.append(sources.context_path)
    return files


def stale(root: Path | None = None, out_dir: Path | None = None) -> str | None:
    """Why the dumps of `root` are not a build of its sources as they are now, or None.

    Decided by content (the hashes in the build manifest), never by modification times.
    """
    root = Path(root) if root else default_root()
    out_dir = Path(out_dir) if out_dir else root / DUMPS_DIR
    return stale_reason(Manifest.read(out_dir), root, out_dir, facts_files(root / FACTS_DIR))


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
    shapes = Path(shapes) if shapes else root / SHAPES_DIR
    converted, sources, vocab, timings = _load_and_convert(root)
    ds = converted.dataset
    t0 = time.perf_counter()
    report = validate_sources(converted, prepare_shapes(load_shapes(shapes)))
    timings["validate"] = time.perf_counter() - t0
    if not report.conforms:
        raise ValidationFailed(report.text())
    t0 = time.perf_counter()
    derived = derive_claims(converted, sources, vocab)
    timings["claims"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    quads = dataset_to_quads(ds)
    files = render(quads)
    timings["serialise"] = time.perf_counter() - t0
    written = None
    if write:
        t0 = time.perf_counter()
        inputs = hash_inputs(input_files(root, sources, vocab, shapes), root)
        written = write_dumps(files, out_dir, inputs, relative_name(root / FACTS_DIR, root))
        timings["write"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        index = build_index(out_dir / "kgpub.nq", out_dir / SEARCH_INDEX)
        written.record(SEARCH_INDEX, index.changed)
        timings["index"] = time.perf_counter() - t0
    sizes = Counter(q.graph_name.value for q in quads)
    return BuildReport(ds, report, written, dict(sorted(sizes.items())), timings, derived)


def source_indexes(converted: Converted, sources: Sources,
                   properties: Properties) -> list[SourceIndex]:
    """Each article's (and the context's) compact index for the cross-source claims."""
    ds = converted.dataset
    indexes = []
    for article, graphs in zip(sources.articles, converted.articles, strict=True):
        meta = article.model.article
        graph_list = [ds.graph(iri) for iri in graphs.graphs
                      if not str(iri).endswith(("/head", "/provenance", "/pubinfo"))]
        derived_from = [converted.symbols[key].iri for key in meta.derived_from
                        if key in converted.symbols]
        indexes.append(index_source(graphs.article,
                                    meta.date_published or meta.date_published_latest,
                                    graph_list, properties, graphs.facts, derived_from))
    if sources.context is not None:
        indexes.append(index_source(KGG.context, None, [ds.graph(KGG.context)], properties))
    return indexes


def derive_claims(converted: Converted, sources: Sources, vocab: Vocabularies) -> Derived:
    """Conflicts, latest values and corroboration into the graph kgg:claims of the dataset."""
    properties = Properties.from_ontology(vocab.ontology)
    derived = derive(source_indexes(converted, sources, properties), properties)
    graph = converted.dataset.graph(KGG.claims)
    for triple in derived.graph:
        graph.add(triple)
    Closure(vocab.ontology).apply(graph)
    return derived
