"""The `kgpub` command: a thin shell over the library: parse options, call one function, print.

Exit codes: 0 success; 1 invalid input or a failed check (SHACL violations, inconsistency, bad
sources); 2 unreadable input or bad usage; 3 the reasoner cannot run (no Java).
"""

from __future__ import annotations

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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kgpub")
def main() -> None:
    """kgpub: curated facts from news articles as a validated RDF knowledge graph."""


@main.command()
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Project directory holding data/, ontology/ and shapes/ (default: here).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the dumps go (default: ROOT/data/ttl).")
@click.option("--shapes", type=click.Path(exists=True, path_type=Path), default=None,
              help="SHACL shapes file or directory (default: ROOT/shapes).")
def build(root: Path | None, out: Path | None, shapes: Path | None) -> None:
    """Convert the curated sources, validate them, and write the dumps.

    Nothing is written unless every source loads and the graph conforms to the shapes.
    """
    from .pipeline import build as run_build

    try:
        result = run_build(root, out, shapes)
    except KgpubError as exc:
        _fail(exc)
    for graph, size in result.graph_sizes.items():
        click.echo(f"{size:6d}  {graph}")
    click.echo(f"{result.total:6d}  quads in {len(result.graph_sizes)} graphs")
    timing = ", ".join(f"{k} {v:.2f}s" for k, v in result.seconds.items())
    click.echo(f"conforms to the shapes; wrote {len(result.written)} files ({timing})")


@main.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--shapes", type=click.Path(exists=True, path_type=Path), default=None,
              help="SHACL shapes file or directory (default: kgpub's own shapes/).")
@click.option("--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text",
              show_default=True, help="Report format.")
@click.option("--bare", is_flag=True,
              help="Do not merge kgpub's ontology and SKOS schemes into the data.")
def validate(files: tuple[Path, ...], shapes: Path | None, fmt: str, bare: bool) -> None:
    """Validate RDF FILES against SHACL shapes.

    FILES may be Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML (told by the extension;
    .gz allowed); they are merged into one graph, together with kgpub's ontology and SKOS
    schemes (so rdfs:subClassOf and the stance types are known) unless --bare.

    Exit 0 when the files conform, 1 on violations, 2 when a file cannot be read.
    """
    from .pipeline import ONTOLOGY_FILE, SHAPES_DIR, VOCAB_FILE, default_root
    from .validate import validate_files

    root = default_root()
    background = [] if bare else [root / ONTOLOGY_FILE, root / VOCAB_FILE]
    try:
        report = validate_files(files, shapes or root / SHAPES_DIR, background)
    except KgpubError as exc:
        _fail(exc)
    click.echo({"text": report.text, "json": report.json, "turtle": report.turtle}[fmt]())
    sys.exit(0 if report.conforms else 1)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--ontology", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Ontology file (default: kgpub's ontology/kgpub.ttl).")
@click.option("--materialize", "materialise", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Write the inferred rdf:type triples to this Turtle file.")
def check(files: tuple[Path, ...], ontology: Path | None, materialise: Path | None) -> None:
    """Check ontology + data for consistency with the HermiT OWL reasoner (needs Java).

    FILES default to the built dataset (data/ttl/kgpub.nq).
    """
    from .dump import write_atomic
    from .pipeline import DUMPS_DIR, ONTOLOGY_FILE, default_root, load_graph
    from .rdfio import parse_file, quads_to_graph
    from .reasoning import check as run_check

    root = default_root()
    paths = list(files) or [root / DUMPS_DIR / "kgpub.nq"]
    try:
        data = quads_to_graph(q for f in paths for q in parse_file(f))
        result = run_check(load_graph(ontology or root / ONTOLOGY_FILE), data,
                           materialise=materialise is not None)
    except KgpubError as exc:
        _fail(exc)
    click.echo(f"consistent: HermiT found no contradiction ({result.individuals} individuals)")
    if materialise is not None:
        write_atomic(materialise, result.inferred.serialize(format="turtle").encode("utf-8"))
        click.echo(f"wrote {len(result.inferred)} inferred type triples to {materialise}")


@main.command()
@click.argument("query")
@click.option("--data", "data_files", multiple=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="RDF file(s) to query (default: the built data/ttl/kgpub.nq).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Result format for SELECT/ASK (graphs print as Turtle).")
def query(query: str, data_files: tuple[Path, ...], fmt: str) -> None:
    """Run a SPARQL QUERY (text, or a path to a .rq file) on the built dataset, no server needed.

    The default graph is the union of all named graphs.
    """
    from .pipeline import default_root
    from .query import DATASET_FILE, format_result, load_store, run

    text = query
    candidate = Path(query)
    if query.endswith((".rq", ".sparql")) or (len(query) < 4096 and candidate.is_file()):
        try:
            text = candidate.read_text(encoding="utf-8")
        except OSError as exc:
            click.echo(f"error: {query}: cannot read query file ({exc.strerror})", err=True)
            sys.exit(2)
    try:
        store = load_store(list(data_files) or [default_root() / DATASET_FILE])
        output = format_result(run(store, text), fmt)
        click.echo(output, nl=not output.endswith("\n"))
    except KgpubError as exc:
        _fail(exc)


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
def draft(article: Path, article_id: str | None, date: str | None, publisher: str | None,
          url: str | None, registry: Path | None, new_actors: Path | None, out: Path | None,
          curated: Path | None) -> None:
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
                     registry=registry, new_actors=new_actors, out=out, curated=curated)
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
        else:
            option = click.option(name, f.name, type=type(f.default), default=f.default,
                                  show_default=True, help=f.metadata["help"])
        func = option(func)
    return func


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--data", "data_files", multiple=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Serve these RDF files (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML; "
                   ".gz allowed) instead of the default dataset.")
@click.option("--store", "store_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Keep the data in an on-disk Oxigraph store in this directory "
                                 "(loaded once, kept across restarts) instead of in memory.")
@_settings_options
def serve(host: str, port: int, data_files: tuple[Path, ...], store_dir: Path | None,
          **options) -> None:
    """Serve the dataset: SPARQL 1.1 endpoint at /sparql, pages and RDF for every IRI, dumps.

    Without --data, the default dataset is served, built first when it is missing or older than
    its sources. Queries run in worker processes with a time limit; the endpoint is read-only.
    """
    from .web.server import serve as run_serve
    from .web.settings import ServeSettings

    options["service_allowlist"] = tuple(options["service_allowlist"])
    settings = ServeSettings(**options)
    try:
        run_serve(settings, list(data_files), store_dir, host, port,
                  say=lambda m: click.echo(m, err=True))
    except KgpubError as exc:
        _fail(exc)


if __name__ == "__main__":
    main()
