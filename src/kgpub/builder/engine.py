"""The build: sources -> per-article conversion and validation (parallel, cached) -> dumps.

1. The registry, the context file, the vocabularies and the shapes are read once.
2. First pass: which ids each facts file declares (YAML only; cached by the file's hash).
3. The symbol table and the shared graphs (`convert.prepare`).
4. Second pass, in `jobs` worker processes: each article loaded, converted, validated on its
   own and serialised into its cache entry, or its entry reused when nothing it depends on
   changed (builder/job.py).
5. Every problem of every file, or every violation, stops the build here: nothing is written.
6. The shared graphs are validated (cached by their content); the cross-article index is
   updated for the articles that changed; the claims graph and VoID's figures come from it.
7. The dumps are streamed from the entries and published all together (outputs.py).

Memory does not grow with the corpus beyond the symbol table, the shared graphs and the claims
graph: no whole-corpus graph is ever made.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from .. import __version__
from ..claims import (
    ConflictSummary,
    Derived,
    Properties,
    SourceIndex,
    index_source,
)
from ..convert import Prepared, prepare
from ..convert.scope import Problems
from ..dump import sort_key
from ..errors import SourceError, SourceProblem, ValidationFailed
from ..manifest import InputHashes, Manifest, relative_name, relative_names, stale_reason
from ..namespaces import KGG, KGP
from ..outputs import StatRecord, WriteResult, publish_outputs
from ..project import Project, dataset_name
from ..rdfio import to_ox_term
from ..search import IndexJob, search_index_path
from ..source_validation import SharedIndex, SourceValidator
from ..sources import Sources, facts_files, load_shared_sources
from ..validate import Shapes, Violation, load_shapes, prepare_shapes, shape_files
from ..vocabulary import Vocabularies
from . import job
from .assemble import Splicing, outputs
from .cache import MARKER, BuildCache, CorruptEntry, Entry, blob_stamp
from .claims_graph import STATS_SOURCE as CLAIMS_STATS
from .claims_graph import ClaimsGraph, Dirty
from .index import BuildIndex, as_of
from .pieces import SHARED_GRAPHS, PartWriter, SharedParts, triples_digest
from .reuse import RECORD as REUSE_RECORD
from .reuse import ReuseRecord
from .reuse import state as reuse_state
from .scan import Scanned, scan, sha256_of
from .splice import Layouts

FOLDER_THRESHOLD = 1000
"""With more articles than this, per-article files go to subfolders articles/<xx>/."""


@dataclass
class BuildResult:
    """What a build did: the graphs and their sizes, the conflicts, timings, the files."""

    graph_sizes: dict[str, int] = field(default_factory=dict)
    claims: Derived | None = None
    written: WriteResult | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    articles: int = 0
    converted: int = 0
    """How many articles were converted and validated (the others came from the cache)."""
    checked: int = 0
    """How many articles went to a worker (converted, or their cache entry checked there)."""

    @property
    def total(self) -> int:
        return sum(self.graph_sizes.values())


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def build(project: Project, out_dir: Path, shapes: Shapes, vocab: Vocabularies,
          jobs: int | None = None, write: bool = True,
          say: Callable[[str], None] = lambda m: None, fresh: bool = False,
          checked: bool = False, hashes: InputHashes | None = None) -> BuildResult:
    """Build `project` into `out_dir` (see the module's docstring); `fresh` empties the build
    cache first, so that every article is converted and validated again; `checked`: the
    caller found that something changed since the last build (`unchanged`) just before, with
    `hashes` (`input_hashes`)."""
    ontology_file = project.ontology_file
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = timings.get(name, 0.0) + now - clock
        clock = now

    jobs = jobs or default_jobs()
    paths = facts_files(project.facts_dir)
    if not paths:
        raise SourceError([SourceProblem(project.facts_dir, None, None,
                                         "no facts files (*.yaml) found")])
    cache = BuildCache(out_dir)
    hashes = hashes or input_hashes(out_dir)
    if fresh:
        cache.open()
        cache.clear()
    elif write and not checked:
        done = _unchanged(project, out_dir, [project.registry_file, ontology_file, *vocab.files,
                                          *shape_files(shapes), *_config(project)],
                          cache, hashes)
        if done is not None:
            return done
    sources = load_shared_sources(project)
    shape_graph = load_shapes(shapes)
    prepared_shapes = prepare_shapes(shape_graph)
    cache.open()
    # The search index's process, forked now, before this one holds the corpus's entries
    # (a child forked later would count all of that in its memory too) or opens its index.
    index_job = IndexJob(search_index_path(out_dir)) if write else None
    try:
        _keep()
        index = BuildIndex(cache.root / "index.sqlite")
        return _build(project, out_dir, shapes, vocab, jobs, write, say, cache, hashes, paths,
                      sources, prepared_shapes, index, index_job, timings, lap)
    finally:
        gc.unfreeze()  # what `_keep` froze may be collected again (a server builds many times)
        if index_job is not None:
            index_job.abandon()  # nothing left to do when it finished


def _build(project: Project, out_dir: Path, shapes: Shapes, vocab: Vocabularies, jobs: int,
           write: bool, say: Callable[[str], None], cache: BuildCache, hashes: InputHashes,
           paths: list[Path], sources, prepared_shapes, index: BuildIndex,
           index_job: IndexJob | None, timings: dict[str, float],
           lap: Callable[[str], None]) -> BuildResult:
    root, ontology_file = project.root, project.ontology_file
    lap("load")

    names = relative_names(paths, root)
    scanned = _scan_all(paths, names, index, jobs, hashes)
    hashes.save()
    with _loading():
        prepared, shared_problems = _prepare(sources, vocab, scanned)
        article_of = {str(s.path): s.article_id for s in scanned if s.article_id}
        del scanned  # every file's declarations: not needed again, nor in the workers
    lap("scan")

    fingerprint = _fingerprint([ontology_file, *vocab.files, *shape_files(shapes)])
    shared_index = SharedIndex([prepared.entities, prepared.links])
    validator = SourceValidator(prepared_shapes, shared_index, vocab.graph, prepared.symbols,
                                prepared.closure)
    validator.warm()
    properties = Properties.from_ontology(vocab.ontology)
    ctx = job.BuildContext(root, prepared, validator, properties, cache, fingerprint,
                           article_of, hashes)
    record = ReuseRecord(cache.root / REUSE_RECORD)
    now = reuse_state(fingerprint, prepared, shared_index)
    quick = {path: record.reused(now, path, name, root, article_of.get(str(path)), hashes)
             for path, name in zip(paths, names, strict=True)}
    todo = [path for path in paths if quick[path] is None]
    if todo:  # the workers may store entries under this state: the record holds no longer
        record.path.unlink(missing_ok=True)
    done = {r.path: r for r in _run_jobs(ctx, todo, jobs)}
    results = [quick[path] or done[path] for path in paths]
    for r in results:
        hashes.merge(r.hashes)
    hashes.save()
    lap("convert+validate")
    _raise_problems(results, shared_problems)

    shared_violations = _validate_shared(cache, validator, prepared, fingerprint)
    failed = _each_once(shared_violations, {relative_name(r.path, root): r.violations
                                            for r in results if r.violations})
    if shared_violations:
        registry = relative_name(sources.registry_path, root)
        failed = {f"{registry} (the registry, with the links and the context)":
                  shared_violations, **failed}
    if failed:
        raise ValidationFailed(_report_text(failed))
    lap("validate shared")

    with _loading():
        entries = _entries(cache, results)
    cache.keep_only({e.article_id for e in entries})
    try:
        if index_job is not None:  # the search index, made while the claims and dumps are
            index_job.add([_index_piece(cache, e) for e in entries])
        derived, shared = _index(index, cache, entries, prepared, vocab, properties)
        stats = index.stats()
        lap("claims")

        result = BuildResult(dict(sorted(stats.graphs.items())), derived, None, timings,
                             len(entries), sum(not r.reused for r in results), len(todo))
        if index_job is None:
            index.close()
            return result
        inputs = _inputs(root, sources, vocab, ontology_file, shapes, results,
                         project.config_file, names)
        index_job.add([_index_piece(cache, p) for p in shared])
        index_job.close()
        many = len(entries) > FOLDER_THRESHOLD
        layouts = Layouts(cache.root / LAYOUTS)
        written_as = StatRecord(cache.root / OUTPUT_STATS)
        splicing = Splicing(layouts, out_dir, written_as.holds)
        files = outputs(shared, entries, stats, lambda aid: article_folder(aid) if many else "",
                        project.settings, splicing)
        result.written = publish_outputs(files, out_dir, inputs,
                                         relative_name(project.facts_dir, root), written_as)
        layouts.save({n: (w.sha256, w.size) for n, w in result.written.written.items()})
        lap("write")
        index_job.finish(result.written.written[dataset_name(project.settings)].sha256)
        lap("search index (after writing)")
    except CorruptEntry as exc:  # a cached blob changed under us: never trust it
        if index_job is not None:
            index_job.abandon()
        index.close()
        say(f"the build cache is damaged ({exc}); rebuilding it")
        cache.clear()
        return build(project, out_dir, shapes, vocab, jobs, write, say)
    _save_summary(cache, result)
    if write:
        cache.save_snapshot()
        kept = [(r, name) for r, name in zip(results, names, strict=True)
                if r.article_id and r.text is not None and r.text_sha256]
        texts = _text_names([r for r, _ in kept], root)
        record.save(now, {name: [r.article_id, r.facts_sha256, text, r.text_sha256]
                          for (r, name), text in zip(kept, texts, strict=True)})
    index.close()
    return result


def _keep() -> None:
    """Leave what the build holds so far out of the garbage collector's full passes: at
    10,000 articles each pass walks millions of objects (the symbol table, every entry), and
    a build that edits one article would spend a third of its time in them. Nothing frozen
    is lost: objects freed by reference counting are freed as ever, and `build` unfreezes."""
    gc.freeze()


@contextmanager
def _loading() -> Iterator[None]:
    """No collection while a bulk of long-lived objects is made (the scans, the entries:
    hundreds of thousands of dicts and lists with no cycles to free), then `_keep` them: each
    collection the allocations would trigger on the way walks all made so far."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        _keep()
        if enabled:
            gc.enable()


def _index_piece(cache: BuildCache, entry: Entry) -> tuple[str, str, str]:
    """What the search index stages of a piece: its name, its N-Quads' hash, their file."""
    folder = os.fspath(entry.where)  # <cache>/<area>/<name>: the key is <area>/<name>
    area, name = os.path.split(folder)
    return (f"{os.path.basename(area)}/{name}", entry.blob_sha256("all.nq"),
            os.path.join(folder, "all.nq"))


SUMMARY = "summary.json"
INPUT_HASHES = "inputs.json"  # see manifest.InputHashes
OUTPUT_STATS = "outputs.json"  # size, mtime and hash of each dump as last written
LAYOUTS = "layouts.json"  # the pieces each whole file was made of (builder/splice.py)


def _save_summary(cache: BuildCache, result: BuildResult) -> None:
    """What `kgpub build` reports, kept for a later build that finds nothing changed."""
    # without each conflict's values: what a build that changes nothing reports is how many
    # conflicts of which kind (their values are `kgpub conflicts`'), and 8,000 conflicts'
    # values cost every build a third of a second to write
    conflicts = [[c.about, c.prop, str(c.kind)]
                 for c in (result.claims.conflicts if result.claims else [])]
    body = {"graph_sizes": result.graph_sizes, "conflicts": conflicts,
            "articles": result.articles,
            "manifest": result.written.manifest_sha256 if result.written else None}
    (cache.root / SUMMARY).write_text(json.dumps(body, sort_keys=True), encoding="utf-8")


def input_hashes(out_dir: Path) -> InputHashes:
    """The record of input files' hashes kept in the build cache of `out_dir`."""
    return InputHashes(BuildCache(out_dir).root / INPUT_HASHES, one_build=True)


def _manifest_digest(manifest: Manifest | None) -> str | None:
    """Which manifest a summary belongs to (its hash: the manifest of 10,000 articles is
    megabytes, and the summary is written by every build)."""
    if manifest is None:
        return None
    return hashlib.sha256(manifest.to_bytes()).hexdigest()


def unchanged(project: Project, out_dir: Path, shapes: Shapes,
              hashes: InputHashes | None = None) -> BuildResult | None:
    """The result of the last build into `out_dir` when nothing it read has changed since
    (see `_unchanged`); checked before anything else is loaded."""
    cache = BuildCache(out_dir)
    return _unchanged(project, out_dir, [project.registry_file, project.ontology_file,
                                         *project.vocabulary_files, *shape_files(shapes),
                                         *_config(project)],
                      cache, hashes or input_hashes(out_dir))


def _config(project: Project) -> list[Path]:
    return [project.config_file] if project.config_file is not None else []


def _unchanged(project: Project, out_dir: Path, shared_inputs: list[Path],
               cache: BuildCache, hashes: InputHashes) -> BuildResult | None:
    """The result of the last build, when its dumps are a build of the sources as they are
    now (by content: the manifest's hashes) and its summary is at hand; else None.

    Nothing is read beyond the inputs, and nothing is written: this is what lets a build run
    on a read-only checkout.
    """
    manifest = Manifest.read(out_dir)
    if manifest is None or manifest.inputs is None:
        return None
    root = project.root
    if any(relative_name(p, root) not in manifest.inputs for p in shared_inputs):
        return None  # another ontology, vocabulary or shapes file than last time
    stale = stale_reason(manifest, root, out_dir, facts_files(project.facts_dir), hashes)
    if (cache.root / MARKER).is_file():  # only into a directory known to be our cache
        hashes.save()
    if stale is not None:
        return None
    names = sorted(manifest.outputs)
    stats = StatRecord(cache.root / OUTPUT_STATS)
    if not all(stats.holds(out_dir / n, n, digest) for n, digest in manifest.outputs.items()):
        return None  # a dump edited (or damaged) since: write it again
    if stats.changed and (cache.root / MARKER).is_file():  # dumps hashed, found the same
        with suppress(OSError):
            stats.save(set(manifest.outputs))
    try:
        body = json.loads((cache.root / SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        body = None
    if not isinstance(body, dict) or body.get("manifest") != _manifest_digest(manifest):
        body = _summary_from_dumps(out_dir)  # e.g. a fresh clone: the dumps, but no cache
        if body is None:
            return None
    conflicts = [ConflictSummary(a, p, URIRef(k), {}) for a, p, k, *_ in body["conflicts"]]
    return BuildResult(body["graph_sizes"], Derived([], conflicts),
                       WriteResult(out_dir, [], [], names), {}, body["articles"], 0)


def _summary_from_dumps(out_dir: Path) -> dict | None:
    """What the last build reported, read back from its VoID and claims graph."""
    try:
        void = list(ox.parse(path=str(out_dir / "void.ttl"), format=ox.RdfFormat.TURTLE))
        claims = list(ox.parse(path=str(out_dir / "claims.ttl"), format=ox.RdfFormat.TURTLE))
    except (OSError, SyntaxError):
        return None
    name = "http://www.w3.org/ns/sparql-service-description#name"
    triples = "http://rdfs.org/ns/void#triples"
    graph_of = {t.subject: t.object.value for t in void if t.predicate.value == name}
    sizes = {graph_of[t.subject]: int(t.object.value) for t in void
             if t.predicate.value == triples and t.subject in graph_of}
    about, prop, kind = (str(KGP.conflictAbout), str(KGP.conflictProperty),
                         str(KGP.conflictKind))
    found: dict[ox.NamedNode, dict[str, str]] = {}
    for t in claims:
        if t.predicate.value in (about, prop, kind):
            found.setdefault(t.subject, {})[t.predicate.value] = t.object.value
    conflicts = [[c[about], c[prop], c[kind]] for c in found.values()
                 if len(c) == 3]
    articles = sum(1 for g in sizes if g.startswith(str(KGG["article/"])) and g.count("/") == 6)
    return {"graph_sizes": dict(sorted(sizes.items())), "conflicts": conflicts,
            "articles": articles}


def article_folder(article_id: str) -> str:
    """The subfolder of an article's own files in a corpus of thousands."""
    return f"articles/{hashlib.sha1(article_id.encode()).hexdigest()[:2]}"


def _scan_all(paths: list[Path], names: list[str], index: BuildIndex, jobs: int,
              hashes: InputHashes) -> list[Scanned]:
    """Every facts file's declarations: from the index when the file is unchanged."""
    found: dict[Path, Scanned] = {}
    todo: list[tuple[Path, str]] = []
    with _loading():
        kept = index.scans()
        for path, name in zip(paths, names, strict=True):
            sha = hashes.sha256(path, name)
            cached = kept.get(str(path))
            if cached is not None and cached[0] == sha:
                found[path] = Scanned.from_json(path, json.loads(cached[1]))
            else:
                todo.append((path, sha))
    for scanned in _map(_scan_job, todo, jobs):
        found[scanned.path] = scanned
        index.put_scan(str(scanned.path), scanned.sha256, json.dumps(scanned.to_json()))
    index.keep_scans({str(p) for p in paths})
    index.commit()
    return [found[p] for p in paths]


def _scan_job(item: tuple[Path, str]) -> Scanned:
    return scan(*item)


def _map(func, items: list, jobs: int) -> list:
    """`func` over `items`, in worker processes when there is more than one job and work."""
    if jobs <= 1 or len(items) < 4:
        return [func(i) for i in items]
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs) as pool:
        return list(pool.imap(func, items, chunksize=max(1, min(16, len(items) // (jobs * 8)))))


def _prepare(sources: Sources, vocab: Vocabularies,
             scanned: list[Scanned]) -> tuple[Prepared, list[SourceProblem]]:
    """The symbol table and shared graphs, and the problems of the registry and the context
    (reported with the articles' own, once those are converted)."""
    problems = Problems(sources.root)
    prepared = prepare(sources, vocab, [(s.lines, s.declared) for s in scanned], problems)
    return prepared, problems.sorted()


def _run_jobs(ctx: job.BuildContext, paths: list[Path], jobs: int) -> list[job.JobResult]:
    job.CONTEXT = ctx  # inherited by the forked workers
    try:
        return _map(job.run, [str(p) for p in paths], jobs)
    finally:
        job.CONTEXT = None


def _raise_problems(results: list[job.JobResult], shared: list[SourceProblem]) -> None:
    problems = [*shared, *(p for r in results for p in r.problems)]
    if problems:
        raise SourceError(sorted(problems, key=lambda p: (str(p.file), p.line or 0)))


def _each_once(shared: list[Violation],
               by_file: dict[str, list[Violation]]) -> dict[str, list[Violation]]:
    """Each result once: a registry entity's, found by every article that mentions it too, under
    the registry; one found by several articles, under the first of them."""
    seen = set(shared)
    out = {}
    for where in sorted(by_file):
        kept = [v for v in by_file[where] if v not in seen]
        seen.update(kept)
        if kept:
            out[where] = kept
    return out


def _report_text(failed: dict[str, list[Violation]]) -> str:
    lines = []
    for where, violations in failed.items():
        lines.append(f"{where}: {len(violations)} result(s):")
        for v in violations:
            lines += v.lines()
    return "\n".join(lines)


def _validate_shared(cache: BuildCache, validator: SourceValidator, prepared: Prepared,
                     fingerprint: str) -> list[Violation]:
    """The registry, links and context graphs, validated once (and again only when changed)."""
    digest = hashlib.sha256(fingerprint.encode())
    for triples in (prepared.entities, prepared.links, prepared.context):
        for line in sorted(" ".join(str(to_ox_term(t)) for t in triple) for triple in triples):
            digest.update(line.encode("utf-8") + b"\n")
    marker = cache.root / "shared-valid.json"
    try:
        if json.loads(marker.read_text(encoding="utf-8")) == digest.hexdigest():
            return []
    except (OSError, ValueError):
        pass
    violations = validator.shared_graphs(prepared.entities, prepared.links, prepared.context)
    if not violations:
        marker.write_text(json.dumps(digest.hexdigest()), encoding="utf-8")
    return violations


def _entries(cache: BuildCache, results: list[job.JobResult]) -> list[Entry]:
    entries = []
    for r in results:
        entry = cache.load(r.article_id) if r.article_id else None
        if entry is None:
            raise CorruptEntry(f"the entry of {r.article_id} vanished")
        entries.append(entry)
    return sorted(entries, key=lambda e: e.article_id)


def _index(index: BuildIndex, cache: BuildCache, entries: list[Entry], prepared: Prepared,
           vocab: Vocabularies, properties: Properties) -> tuple[Derived, list[Entry]]:
    """Update the index for changed articles; derive again the claims they can affect; cut
    the shared graphs into cached parts (their statistics go into the index part by part)."""
    loaded = index.loaded()
    current = {e.body["article"]: e for e in entries}
    gone = [s for s in loaded if s not in current and not s.startswith("shared:")]
    changed = [(source, entry) for source, entry in current.items()
               if loaded.get(source) != _stamp(entry)]
    context = index_source(str(KGG.context), None, prepared.context, properties)
    context_stamp = _index_stamp(context)
    whole = len(gone) + len(changed) > max(16, len(current) // 10)
    dirty = None if whole else Dirty()
    if whole:
        index.recount()  # counted again from every source's rows: quicker than row by row
    for source in gone:
        if dirty is not None:
            dirty.derivations_changed(source, dirty.add_rows(index.db, source), ())
    index.remove(gone)
    for source, entry in changed:
        detail = entry.detail()
        rows = detail["index"]
        source_index = SourceIndex(source, as_of(rows["as_of"]),
                                   {tuple(v) for v in rows["values"]},
                                   {tuple(e) for e in rows["evidence"]}, rows["facts"],
                                   set(rows["derived_from"]))
        _mark_dirty(dirty, index, source_index)
        index.put_source(source, _stamp(entry), source_index, detail["stats"],
                         [(g, n) for g, n, _ in entry.body["graphs"]])
    if loaded.get(str(KGG.context)) != context_stamp:
        _mark_dirty(dirty, index, context)
        index.put_source(str(KGG.context), context_stamp, context,
                         job.ArticleStats().to_json(), [])
    sources = {"entities": prepared.entities, "links": prepared.links,
               "context": prepared.context, "vocab": vocab.graph}
    kept = SharedParts(cache)
    parts: list[Entry] = []
    for name in SHARED_GRAPHS:
        if name == "claims":
            continue
        graph, source = str(KGG[name]), f"shared:{name}"
        triples = sorted(_ox(sources[name]), key=sort_key)
        digest = triples_digest(triples)
        same = kept.parts(name, digest, index.quads_of(source))
        if same is not None:  # as the last build cut it, and the index counted it
            parts += same
            continue
        index.remove([source])

        def counted(triples: list[ox.Triple], graph: str = graph, source: str = source) -> None:
            stats = job.ArticleStats()
            stats.add(triples, graph)
            index.add_stats(source, stats.to_json(), [(graph, len(triples))])

        writer = PartWriter(cache, graph, on_part=counted)
        writer.extend(triples)
        made = writer.close()
        parts += made
        kept.made(name, digest, made, writer.count)
        if not writer.count:  # listed all the same, with no triples
            index.add_stats(source, job.ArticleStats().to_json(), [(graph, 0)])
    claims = ClaimsGraph(index.db, cache)
    buckets = claims.update(dirty, properties, ClaimsClosure(prepared.closure))
    claims_graph = str(KGG.claims)
    if any(everything for _, everything in buckets):
        index.remove([s for s in index.sources_named(CLAIMS_STATS)])

    def counted_bucket(bucket: int, triples: list[ox.Triple]) -> None:
        source = f"{CLAIMS_STATS}{bucket}"
        index.remove([source])
        if triples:
            stats = job.ArticleStats()
            stats.add(triples, claims_graph)
            index.add_stats(source, stats.to_json(), [(claims_graph, len(triples))])

    parts += claims.parts(buckets, counted_bucket)
    index.remove(["shared:claims"])
    index.add_stats("shared:claims", job.ArticleStats().to_json(), [(claims_graph, 0)])
    index.commit()
    kept.save()  # after the index holds their statistics
    return Derived([], claims.conflicts()), parts


def _mark_dirty(dirty: Dirty | None, index: BuildIndex, source: SourceIndex) -> None:
    """What the source's rows as they were and as they are can affect (before replacing them)."""
    if dirty is None:
        return
    before = dirty.add_rows(index.db, source.source)
    dirty.add_index(source.values, source.evidence, source.facts)
    dirty.derivations_changed(source.source, before, source.derived_from)


def _index_stamp(source: SourceIndex) -> str:
    """Which version of a source's rows the index holds, for a source with no cache entry."""
    body = [source.as_of.isoformat() if source.as_of else None, sorted(source.values),
            sorted(source.evidence), source.facts, sorted(source.derived_from)]
    return hashlib.sha256(json.dumps(body).encode()).hexdigest()


class ClaimsClosure:
    """A claim with the super-classes and super-properties the ontology gives (as for every
    other graph), computed once per distinct class and property."""

    def __init__(self, closure) -> None:
        self.closure = closure
        self.supers: dict[tuple[str, str], list[ox.NamedNode]] = {}

    def _up(self, term: str, relation) -> list[ox.NamedNode]:
        key = (term, str(relation))
        found = self.supers.get(key)
        if found is None:
            found = self.supers[key] = [ox.NamedNode(str(c))
                                        for c in self.closure.supers(URIRef(term), relation)]
        return found

    def __call__(self, t: ox.Triple) -> list[ox.Triple]:
        out = [t]
        if t.predicate.value == _RDF_TYPE and isinstance(t.object, ox.NamedNode):
            out += [ox.Triple(t.subject, t.predicate, c)
                    for c in self._up(t.object.value, RDFS.subClassOf)]
        elif t.predicate.value.startswith(_KGP):
            out += [ox.Triple(t.subject, p, t.object)
                    for p in self._up(t.predicate.value, RDFS.subPropertyOf)]
        return out


_RDF_TYPE, _KGP = str(RDF.type), str(KGP)


def _ox(triples) -> list[ox.Triple]:
    return [ox.Triple(to_ox_term(s), to_ox_term(p), to_ox_term(o)) for s, p, o in triples]


def _stamp(entry: Entry) -> str:
    """Which version of an entry the index holds: a hash of its blob list."""
    return entry.body.get("stamp") or blob_stamp(entry.body["blobs"])


def _fingerprint(files: list[Path]) -> str:
    digest = hashlib.sha256(__version__.encode())
    for f in files:
        digest.update(f.name.encode() + b"\0" + Path(f).read_bytes())
    return digest.hexdigest()


def _inputs(root: Path, sources: Sources, vocab: Vocabularies, ontology_file: Path,
            shapes: Shapes, results: list[job.JobResult],
            config: Path | None = None, names: list[str] | None = None) -> dict[str, str]:
    """The hash of every file the build read (the manifest: staleness by content), kgpub.toml
    included (VoID's title and the dumps a build writes come from it)."""
    read = [sources.registry_path, ontology_file, *vocab.files, *shape_files(shapes)]
    inputs = {relative_name(p, root): sha256_of(p) for p in [*read, *([config] if config else [])]}
    if sources.context is not None:
        inputs[relative_name(sources.context_path, root)] = sha256_of(sources.context_path)
    texts = [r for r in results if r.text is not None and r.text_sha256]
    names = names or relative_names([r.path for r in results], root)
    for r, name in zip(results, names, strict=True):
        inputs[name] = r.facts_sha256 or sha256_of(r.path)
    for r, name in zip(texts, _text_names(texts, root), strict=True):
        inputs[name] = r.text_sha256
    return dict(sorted(inputs.items()))


def _text_names(results: list[job.JobResult], root: Path) -> list[str]:
    """The names of the results' article texts relative to `root`: as the reuse record has
    them, else found (each a path resolved: 10,000 of them take a second)."""
    found = iter(relative_names([r.text for r in results if r.text_name is None], root))
    return [r.text_name if r.text_name is not None else next(found) for r in results]
