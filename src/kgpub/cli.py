"""The `kgpub` command: a thin shell over the library: parse options, call one function, print.

Exit codes: 0 success; 1 invalid input or a failed check (SHACL violations, inconsistency, bad
sources); 2 unreadable input, an unwritable output or bad usage; 3 the reasoner cannot run (no
Java). Every error is one line on stderr (see `Commands`), never a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import KgpubError, ValidationFailed


def _fail(exc: KgpubError) -> None:
    if isinstance(exc, ValidationFailed):
        click.echo("error: SHACL validation failed; no dumps were written", err=True)
        click.echo(exc.report_text, err=True)
    else:
        click.echo(f"error: {exc}", err=True)
    sys.exit(exc.exit_code)


def root_option(func):
    """`--root DIR`: the project a command works on (default: the current directory's)."""
    return click.option(
        "--root", type=click.Path(file_okay=False, path_type=Path), default=None,
        help="Project directory holding kgpub.toml and data/ (default: the current directory, "
             "or the nearest one above it with a kgpub.toml).")(func)


def _resources(root: Path | None):
    """The ontology, vocabularies and shapes: the project's when there is one, else kgpub's."""
    from .project import Project, resources

    project = Project.find(root, required=False)
    return project.resources if project else resources()


class Commands(click.Group):
    """Runs a command so that whatever goes wrong ends as one line and a non-zero exit.

    The library raises KgpubError for every error it foresees, with file, line and what to do.
    What is left: the file system refusing (a directory that cannot be made, a full disk: exit
    2, naming the path), memory running out, and bugs, which are reported as such in one line
    (KGPUB_DEBUG=1 shows the traceback instead). Click's own exits (--help, usage errors,
    Ctrl-C, a closed pipe as in `kgpub query … | head`) are left to click.
    """

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, BrokenPipeError):
            raise  # click's own: --help, usage errors, Ctrl-C, a closed pipe
        except KgpubError as exc:
            _fail(exc)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {where}{exc.strerror or exc}", err=True)
            sys.exit(2)
        except MemoryError:
            click.echo("error: out of memory", err=True)
            sys.exit(1)
        except Exception as exc:
            if os.environ.get("KGPUB_DEBUG"):
                raise
            click.echo(f"error: internal error ({type(exc).__name__}: {exc}); this is a bug in "
                       "kgpub: please report it with the command you ran (KGPUB_DEBUG=1 shows "
                       "where it happened)", err=True)
            sys.exit(1)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kgpub")
def main() -> None:
    """kgpub: curated facts from news articles as a validated RDF knowledge graph."""


LISTED_GRAPHS = 60  # more graphs than this, and `build` lists only the shared ones


@main.command()
@click.argument("directory", type=click.Path(file_okay=True, path_type=Path))
@click.option("--title", default=None,
              help="The dataset's title (default: the directory's name).")
def init(directory: Path, title: str | None) -> None:
    """Start a new project in DIRECTORY (new or empty): kgpub.toml, the registry, one example
    article with its facts file, and a README.

    `kgpub build` then works inside DIRECTORY (or with --root DIRECTORY from elsewhere).
    """
    from .scaffold import init_project

    written = init_project(directory, title)
    click.echo(f"created a kgpub project in {directory} ({len(written)} files: "
               f"{', '.join(str(p.relative_to(directory)) for p in written)})")
    click.echo(f"next: cd {directory} && kgpub build && kgpub serve")


@main.command()
@root_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the dumps go (default: ROOT/data/ttl).")
@click.option("--shapes", type=click.Path(exists=True, path_type=Path), default=None,
              help="SHACL shapes file or directory (default: ROOT/shapes).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes converting and validating articles (default: the CPUs).")
@click.option("--fresh", is_flag=True,
              help="Ignore the build cache (OUT/.kgpub-cache): convert and validate every "
                   "article again.")
def build(root: Path | None, out: Path | None, shapes: Path | None, jobs: int | None,
          fresh: bool) -> None:
    """Convert the curated sources, validate them, and write the dumps.

    Nothing is written unless every source loads and the graph conforms to the shapes. An
    article whose file, and whatever it depends on, did not change since the last build is
    taken from the build cache instead of being converted again.
    """
    from .pipeline import build as run_build

    try:
        result = run_build(root, out, shapes, jobs=jobs, fresh=fresh,
                           say=lambda message: click.echo(f"warning: {message}", err=True))
    except KgpubError as exc:
        _fail(exc)
    sizes = result.graph_sizes
    if len(sizes) <= LISTED_GRAPHS:
        for graph, size in sizes.items():
            click.echo(f"{size:6d}  {graph}")
    else:
        for graph, size in sizes.items():
            if "/graph/article/" not in graph and "/graph/pagechrome/" not in graph:
                click.echo(f"{size:6d}  {graph}")
        click.echo(f"{'':6}  (the article graphs: void.ttl counts each)")
    click.echo(f"{result.total:6d}  quads in {len(sizes)} graphs")
    if result.articles:
        reused = result.articles - result.converted
        click.echo(f"{result.articles} articles: {result.converted} converted and validated, "
                   f"{reused} unchanged (from the build cache)" if reused else
                   f"{result.articles} articles converted and validated")
    timing = ", ".join(f"{k} {v:.2f}s" for k, v in result.seconds.items())
    click.echo(f"conforms to the shapes ({timing})")
    claims = result.claims
    if claims is not None and claims.conflicts:
        n = len(claims.conflicts)
        click.echo(f"warning: {n} conflict{'s' if n != 1 else ''} between sources "
                   f"({claims.disagreements} disagreement{'s' if claims.disagreements != 1 else ''}"
                   f", {claims.changes} change{'s' if claims.changes != 1 else ''} over time): "
                   "`kgpub conflicts` lists them", err=True)
    click.echo(describe_write(result.written))


def describe_write(written) -> str:
    """What changed in the dumps directory, in one or two lines."""
    where = written.directory
    if not written.changed and not written.removed:
        return f"nothing changed: the {len(written.unchanged)} dumps in {where} are up to date"
    parts = []
    if written.changed:
        names = ", ".join(written.changed[:6]) + (" …" if len(written.changed) > 6 else "")
        parts.append(f"wrote {len(written.changed)} changed file"
                     f"{'s' if len(written.changed) != 1 else ''} ({names})")
    if written.removed:
        parts.append(f"removed {len(written.removed)} of its own old file"
                     f"{'s' if len(written.removed) != 1 else ''} ({', '.join(written.removed)})")
    parts.append(f"{len(written.unchanged)} unchanged")
    return f"{where}: " + "; ".join(parts)


@main.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--shapes", type=click.Path(exists=True, path_type=Path), default=None,
              help="SHACL shapes file or directory (default: kgpub's shapes, with the "
                   "project's shapes/ when in a project).")
@click.option("--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text",
              show_default=True, help="Report format.")
@click.option("--bare", is_flag=True,
              help="Do not merge kgpub's ontology and SKOS schemes into the data.")
@root_option
def validate(files: tuple[Path, ...], shapes: Path | None, fmt: str, bare: bool,
             root: Path | None) -> None:
    """Validate RDF FILES against SHACL shapes.

    FILES may be Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML (told by the extension;
    .gz allowed); they are merged into one graph, together with kgpub's ontology and SKOS
    schemes (so rdfs:subClassOf and the stance types are known) unless --bare.

    Exit 0 when the files conform, 1 on violations, 2 when a file cannot be read.
    """
    from .validate import validate_files

    found = _resources(root)
    background = [] if bare else [found.ontology_file, *found.vocabulary_files]
    try:
        report = validate_files(files, shapes or found.shape_files, background)
    except KgpubError as exc:
        _fail(exc)
    click.echo({"text": report.text, "json": report.json, "turtle": report.turtle}[fmt]())
    sys.exit(0 if report.conforms else 1)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--ontology", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Ontology file (default: kgpub's ontology/kgpub.ttl with the "
                                 "vocabularies of ontology/).")
@click.option("--materialize", "materialise", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Write the inferred rdf:type triples to this Turtle file.")
@root_option
def check(files: tuple[Path, ...], ontology: Path | None, materialise: Path | None,
          root: Path | None) -> None:
    """Check ontology + data for consistency with the HermiT OWL reasoner (needs Java).

    FILES default to the built dataset (data/ttl/kgpub.nq).
    """
    from .dump import write_atomic
    from .pipeline import load_graph
    from .project import Project, resources
    from .rdfio import parse_file, quads_to_graph
    from .reasoning import check as run_check
    from .vocabulary import load_vocabularies

    project = Project.find(root, required=not files)
    paths = list(files) or [project.dataset_file]
    found = project.resources if project else resources()
    try:
        data = quads_to_graph(q for f in paths for q in parse_file(f))
        axioms = load_graph(ontology) if ontology else load_vocabularies(
            found.ontology_file, found.vocabulary_files,
            project.root if project else None).ontology
        result = run_check(axioms, data, materialise=materialise is not None)
    except KgpubError as exc:
        _fail(exc)
    click.echo(f"consistent: HermiT found no contradiction ({result.individuals} individuals)")
    if materialise is not None:
        try:
            write_atomic(materialise, result.inferred.serialize(format="turtle").encode("utf-8"))
        except OSError as exc:  # named by the file asked for, not by its temporary twin
            reason = f"{exc.strerror}: {exc.filename}" if exc.filename else str(exc)
            click.echo(f"error: {materialise}: cannot write ({reason})", err=True)
            sys.exit(2)
        click.echo(f"wrote {len(result.inferred)} inferred type triples to {materialise}")


@main.command()
@click.argument("query")
@click.option("--data", "data_files", multiple=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="RDF file(s) to query (default: the built data/ttl/kgpub.nq).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Result format for SELECT/ASK (graphs print as Turtle).")
@root_option
def query(query: str, data_files: tuple[Path, ...], fmt: str, root: Path | None) -> None:
    """Run a SPARQL QUERY (text, or a path to a .rq file) on the built dataset, no server needed.

    The default graph is the union of all named graphs.
    """
    from .project import Project
    from .query import answer, load_store, query_text

    try:
        text = query_text(query)
        store = load_store(list(data_files) or [Project.find(root).dataset_file])
        output = answer(store, text, fmt)
    except KgpubError as exc:
        _fail(exc)
    click.echo(output, nl=not output.endswith("\n"))


@main.command()
@root_option
@click.option("--data", "data_files", multiple=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Built dataset file(s) to read (default: the project's data/ttl/kgpub.nq).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--property", "prop", default=None, metavar="CURIE",
              help="Only conflicts about this property, e.g. kgp:status.")
def conflicts(root: Path | None, data_files: tuple[Path, ...], fmt: str,
              prop: str | None) -> None:
    """List where sources disagree: each thing, property, value, and the articles stating it.

    Read from the built dataset (the graph kgg:claims that `kgpub build` derives); a change
    over time (scheduled as of one article, occurred as of a later one) is shown as such.
    """
    from .claims import Properties
    from .conflicts import as_json, as_text, list_conflicts
    from .project import Project
    from .query import load_store
    from .vocabulary import load_vocabularies

    found = _resources(root)
    try:
        single = {str(p) for p in Properties.from_ontology(
            load_vocabularies(found.ontology_file, found.vocabulary_files).ontology).single}
        store = load_store(list(data_files) or [Project.find(root).dataset_file])
        found = list_conflicts(store, prop, single)
    except KgpubError as exc:
        _fail(exc)
    click.echo(as_json(found) if fmt == "json" else as_text(found))


@main.command()
@click.argument("article", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--id", "article_id", metavar="ID",
              help="The article's id (a key; default: from the file name).")
@click.option("--date", metavar="YYYY-MM-DD",
              help="Publication date; relative dates (\"on Tuesday\") are resolved against it.")
@click.option("--publisher", metavar="KEY",
              help="The outlet: a MediaOrganization key of the registry (default: the one in "
                   "the dateline).")
@click.option("--url", metavar="URL", help="The article's URL.")
@click.option("--registry", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Actor registry (default: data/actors.yaml of the project).")
@click.option("--new-actors", "new_actors", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Write the actors the registry lacks here, in registry format.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the draft here (default: standard output).")
@click.option("--evaluate", "curated", type=click.Path(dir_okay=False, path_type=Path),
              default=None, metavar="CURATED.yaml",
              help="Score the draft against this curated facts file (P/R/F1 per kind) instead "
                   "of printing it; its id, date and publisher are the defaults.")
@root_option
def draft(article: Path, article_id: str | None, date: str | None, publisher: str | None,
          url: str | None, registry: Path | None, new_actors: Path | None, out: Path | None,
          curated: Path | None, root: Path | None) -> None:
    """Draft a facts file from a raw ARTICLE text, for a curator to review.

    Every item carries its confidence and the reason it was drafted, as a YAML comment; items
    below 0.5, and those needing actors the registry lacks (proposed with --new-actors), are
    commented out. Unedited, the draft loads with `kgpub build`. Exit 0 drafted; 1 the text
    cannot be drafted (unbalanced quotation marks, no sentences) or a file would be overwritten
    that kgpub did not write; 2 unreadable input or bad options.
    """
    from .draft import run

    try:
        result = run(article, article_id=article_id, date=date, publisher=publisher, url=url,
                     registry=registry, new_actors=new_actors, out=out, curated=curated,
                     root=root)
    except KgpubError as exc:
        _fail(exc)
    if result.evaluation is not None:
        from .draft.evaluate import table

        click.echo(table(result.evaluation, f"{article} against {curated}"))
    elif out is None:
        click.echo(result.facts_yaml, nl=False)
    for path in result.written:
        click.echo(f"wrote {path}", err=True)


def _settings_options(func):
    """One click option per ServeSettings field, help text taken from the settings table."""
    from dataclasses import fields

    from .web.settings import ServeSettings

    for f in reversed(fields(ServeSettings)):
        name = "--" + f.name.replace("_", "-")
        if f.name == "service_allowlist":
            option = click.option(name, "service_allowlist", multiple=True, metavar="IRI",
                                  help=f.metadata["help"])
        else:  # a value out of range or not among the choices: ServeSettings says which
            metavar = "|".join(f.metadata["choices"]) if "choices" in f.metadata else None
            option = click.option(name, f.name, type=type(f.default), default=f.default,
                                  metavar=metavar, show_default=True, help=f.metadata["help"])
        func = option(func)
    return func


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on.")
@click.option("--data", "data_files", multiple=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Serve these RDF files (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML; "
                   ".gz allowed) instead of the default dataset.")
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Keep the data in an on-disk Oxigraph store in this directory "
                                 "(loaded once, kept across restarts) instead of in memory.")
@click.option("--backend", "backend_url", metavar="URL", default=None,
              help="Answer every query from this external SPARQL endpoint (e.g. a store filled "
                   "by kgpub publish) instead of local workers; the dumps and VoID still come "
                   "from the files.")
@root_option
@_settings_options
def serve(host: str, port: int, data_files: tuple[Path, ...], store_dir: Path | None,
          backend_url: str | None, root: Path | None, **options) -> None:
    """Serve the dataset: SPARQL 1.1 endpoint at /sparql, pages and RDF for every IRI, dumps.

    Without --data, the default dataset is served, built first when it is missing or older than
    its sources. Queries run in worker processes with a time limit; the endpoint is read-only.
    """
    from .web.server import serve as run_serve
    from .web.settings import ServeSettings

    options["service_allowlist"] = tuple(options["service_allowlist"])
    say = lambda m: click.echo(m, err=True)  # noqa: E731
    try:
        settings = ServeSettings(**options)
        if settings.base_iri != options["base_iri"]:
            say(f"note: --base-iri {options['base_iri']} does not end in '/'; serving "
                f"{settings.base_iri} (so {settings.base_iri}id/x is /id/x)")
        if backend_url is not None and store_dir is not None:
            raise click.UsageError("--backend and --store exclude each other")
        run_serve(settings, list(data_files), store_dir, host, port, say=say, root=root,
                  backend_url=backend_url)
    except KgpubError as exc:
        _fail(exc)


@main.command()
@click.option("--gsp", required=True, metavar="URL",
              help="The store's Graph Store Protocol service (Oxigraph: /store; Virtuoso: "
                   "/sparql-graph-crud-auth).")
@click.option("--sparql", "sparql_url", required=True, metavar="URL",
              help="The store's SPARQL query endpoint, to check counts (Oxigraph: /query; "
                   "Virtuoso: /sparql).")
@click.option("--update", "update_url", metavar="URL", default=None,
              help="The store's SPARQL update endpoint, for --atomic and --bulk (Oxigraph: "
                   "/update; Virtuoso: /sparql-auth).")
@click.option("--data", "data_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="The dataset to send (default: the project's built "
                                 "data/ttl/kgpub.nq).")
@click.option("--user", default=None, help="User name (HTTP Digest or Basic, as the store asks).")
@click.option("--password", default=None, envvar="KGPUB_PASSWORD",
              help="Password (or set KGPUB_PASSWORD, which keeps it out of the process list).")
@click.option("--netrc", "use_netrc", is_flag=True, help="Take user and password from ~/.netrc.")
@click.option("--dry-run", is_flag=True, help="Say what would be sent and removed; change nothing.")
@click.option("--atomic", "method", flag_value="atomic",
              help="Replace each graph with one SPARQL update (DROP + INSERT DATA), atomic in "
                   "Oxigraph, instead of a Graph Store PUT.")
@click.option("--bulk", "method", flag_value="bulk",
              help="Load every changed graph into a staging graph, check it, then switch all "
                   "at once with one SPARQL update.")
@click.option("--default-graph", type=click.Choice(["set", "bag"]), default="set",
              show_default=True,
              help="set: also keep the union of all graphs, each triple once, as a graph of its "
                   "own (kgpub serve --backend queries it as the default graph); bag: do not.")
@click.option("--chunk-triples", default=50_000, show_default=True, type=click.IntRange(1),
              help="Triples per request: a larger graph is sent in several.")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds to wait for each answer of the store.")
@click.option("--retries", default=4, show_default=True, type=click.IntRange(0),
              help="Retries of a request that failed for want of a connection, a timeout or a "
                   "429/502/503/504, with exponential back-off.")
@root_option
def publish(gsp: str, sparql_url: str, update_url: str | None, data_file: Path | None,
            user: str | None, password: str | None, use_netrc: bool, dry_run: bool,
            method: str | None, default_graph: str, chunk_triples: int, timeout: float,
            retries: int, root: Path | None) -> None:
    """Send the built dataset to a triple store, one named graph at a time.

    Only graphs whose content changed since the last publish are sent (a hash per graph is kept
    in the store, in the publish-log graph urn:kgpub:publish-log), graphs that disappeared are
    removed, and the triple count of every graph is then checked over SPARQL.

    Exit 0 published (or nothing to do); 1 the store refused, failed or holds other counts
    (the publish log says which graphs are current; publish again); 2 unreadable dataset.
    """
    import httpx

    from .project import Project
    from .publish import UNION_GRAPH, ChallengeAuth, Endpoints, PublishOptions, StoreClient, prepare
    from .publish import publish as run_publish

    if user is not None and password is None:
        raise click.UsageError("--user needs --password (or KGPUB_PASSWORD)")
    auth = ChallengeAuth(user, password) if user is not None else \
        httpx.NetRCAuth() if use_netrc else None
    data = data_file or Project.find(root).dataset_file
    options = PublishOptions(data, method or "put", dry_run, chunk_triples,
                             union_graph=UNION_GRAPH if default_graph == "set" else None)
    client = StoreClient(Endpoints(gsp, sparql_url, update_url), auth, timeout, retries)
    try:
        plan = prepare(client, options)
        total = sum(g.count for g in plan.send)
        if not dry_run and plan.send:
            click.echo(f"sending {len(plan.send)} graphs ({total:,} triples) by "
                       f"{options.method}; {len(plan.unchanged)} unchanged, "
                       f"{len(plan.remove)} to remove", err=True)
        with click.progressbar(length=max(total, 1), label="sending", file=sys.stderr,
                               show_pos=True) as bar:
            report = run_publish(client, options, bar.update, plan)
    except KgpubError as exc:
        _fail(exc)
    finally:
        client.close()
    for name in report.sent:
        click.echo(f"sent     {name}")
    for name in report.removed:
        click.echo(f"removed  {name}")
    click.echo(report.summary())
    if report.sent and options.method == "put":
        click.echo("note: sent with Graph Store PUT, which Oxigraph and Virtuoso apply as "
                   "clear-then-load (a reader may see a graph empty for a moment); --atomic or "
                   "--bulk avoid that", err=True)


if __name__ == "__main__":
    main()
