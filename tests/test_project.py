"""The project: which directory a command works on, its kgpub.toml, and where the ontology,
shapes and queries come from (kgpub's, with the project's own added or replacing)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from kgpub.cli import main
from kgpub.project import (
    Project,
    ProjectError,
    Settings,
    packaged_resources_dir,
    read_settings,
    resource_file,
    resources,
)

ROOT = Path(__file__).resolve().parents[1]
DATASET = URIRef("https://w3id.org/kgpub/id/dataset")


def test_from_a_checkout_the_resources_are_the_top_level_directories() -> None:
    assert packaged_resources_dir() == ROOT
    found = resources()
    assert found.ontology_file == ROOT / "ontology" / "kgpub.ttl"
    assert found.vocabulary_files == sorted(p for p in (ROOT / "ontology").glob("*.ttl")
                                            if p.name != "kgpub.ttl")
    assert found.shape_files == [ROOT / "shapes" / "kgpub-shapes.ttl"]
    assert [p.name for p in found.query_files] == sorted(p.name for p in
                                                         (ROOT / "queries").glob("*.rq"))


def test_a_project_adds_and_replaces_resources_by_name(tmp_path: Path) -> None:
    (tmp_path / "ontology").mkdir()
    (tmp_path / "shapes").mkdir()
    (tmp_path / "queries").mkdir()
    own_vocab = tmp_path / "ontology" / "my-types.ttl"
    replaced = tmp_path / "ontology" / "event-types.ttl"
    own_shapes = tmp_path / "shapes" / "extra.ttl"
    own_query = tmp_path / "queries" / "cq01.rq"
    new_query = tmp_path / "queries" / "mine.rq"
    for f in (own_vocab, replaced, own_shapes, own_query, new_query):
        f.write_text("# mine\n", encoding="utf-8")
    (tmp_path / "ontology" / "notes.txt").write_text("not a vocabulary", encoding="utf-8")

    found = Project.at(tmp_path).resources
    assert found.ontology_file == ROOT / "ontology" / "kgpub.ttl"
    names = {p.name: p for p in found.vocabulary_files}
    assert names["my-types.ttl"] == own_vocab
    assert names["event-types.ttl"] == replaced
    assert names["stance-types.ttl"] == ROOT / "ontology" / "stance-types.ttl"
    assert "notes.txt" not in names
    assert found.shape_files == [own_shapes, ROOT / "shapes" / "kgpub-shapes.ttl"]
    queries = {p.name: p for p in found.query_files}
    assert queries["cq01.rq"] == own_query and queries["mine.rq"] == new_query
    assert queries["cq02.rq"] == ROOT / "queries" / "cq02.rq"


def test_find_uses_the_current_directory_or_the_nearest_kgpub_toml_above(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "corpus"
    (project / "data" / "facts").mkdir(parents=True)
    (project / "kgpub.toml").write_text('[site]\ntitle = "Corpus"\n', encoding="utf-8")
    monkeypatch.chdir(project / "data" / "facts")
    found = Project.find()
    assert found.root == project and found.settings.site_title == "Corpus"
    monkeypatch.chdir(project)
    assert Project.find().root == project

    legacy = tmp_path / "legacy"  # data/ without kgpub.toml: a project with default settings
    (legacy / "data").mkdir(parents=True)
    monkeypatch.chdir(legacy)
    assert Project.find() == Project(legacy)

    assert Project.find(project).root == project  # --root wins over the current directory


def test_no_project_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert Project.find(required=False) is None
    with pytest.raises(ProjectError, match=r"no kgpub project here.*kgpub init DIR.*--root DIR"):
        Project.find()
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 2
    assert "run `kgpub init DIR` to start one, or pass --root DIR" in result.output
    result = CliRunner().invoke(main, ["query", "--root", str(tmp_path / "nowhere"), "ASK {}"])
    assert result.exit_code == 2 and "nowhere: no such directory" in result.output


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kgpub.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_settings_are_read_and_the_site_title_defaults_to_the_title(tmp_path: Path) -> None:
    path = write_config(tmp_path, '[dataset]\ntitle = "Börsen news"\ndescription = "Ten years"\n'
                                  'base_iri = "https://w3id.org/kgpub"\n')
    settings = read_settings(path)
    assert settings == Settings(title="Börsen news", description="Ten years",
                                base_iri="https://w3id.org/kgpub/", site_title="Börsen news")
    assert read_settings(write_config(tmp_path, "")) == Settings()
    assert read_settings(ROOT / "kgpub.toml") == Settings()  # the repository's: today's values


@pytest.mark.parametrize(("text", "message"), [
    ('[dataset]\ntitle = "a"\ntitle = "b"\n', r"kgpub.toml: not valid TOML: .*line 3"),
    ('[dataset]\ntitel = "x"\n', r"dataset.titel: unknown key; did you mean 'title'\?"),
    ('[datset]\ntitle = "x"\n', r"unknown table \[datset\]: did you mean 'dataset'\?"),
    ('[dataset]\ntitle = 3\n', r"dataset.title must be a string \(in quotes\), not int 3"),
    ('[dataset]\ndescription = " "\n', r"dataset.description is empty"),
    ('[dataset]\nlicense = "CC-BY"\n', r"dataset.license 'CC-BY' is not an absolute http\(s\)"),
    ('[dataset]\nbase_iri = "https://example.org/kg/"\n',
     r"dataset.base_iri 'https://example.org/kg/': kgpub mints every IRI under "
     r"https://w3id.org/kgpub/"),
    ('site = "x"\n', r"unknown table \[site\]|site must be a table"),
    ('[dumps]\nwhole = "nq"\n', r"dumps.whole must be a list of formats"),
    ('[dumps]\nwhole = ["nq", "ttl"]\n', r"dumps.whole: unknown format 'ttl'"),
    ('[dumps]\nwhole = ["trig.gz"]\n', r'dumps.whole must include "nq" or "nq.gz"'),
])
def test_a_bad_configuration_names_the_file_and_the_key(tmp_path: Path, text: str,
                                                         message: str) -> None:
    path = write_config(tmp_path, text)
    with pytest.raises(ProjectError, match=message) as caught:
        read_settings(path)
    assert str(caught.value).startswith(str(path))
    (tmp_path / "data").mkdir()
    result = CliRunner().invoke(main, ["build", "--root", str(tmp_path)])
    assert result.exit_code == 2 and str(path) in result.output


def test_void_takes_title_description_and_licence_from_kgpub_toml(mini_project: Path,
                                                                  tmp_path: Path) -> None:
    write_config(mini_project, '[dataset]\ntitle = "Ruritania watch"\n'
                               'description = "What Zenda says"\n'
                               'license = "https://example.org/licence"\n')
    result = CliRunner().invoke(main, ["build", "--root", str(mini_project),
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    void = Graph().parse(tmp_path / "out" / "void.ttl")
    assert void.value(DATASET, DCTERMS.title) == Literal("Ruritania watch", lang="en")
    assert void.value(DATASET, DCTERMS.description) == Literal("What Zenda says", lang="en")
    assert void.value(DATASET, DCTERMS.license) == URIRef("https://example.org/licence")


def test_a_project_shape_file_is_applied_with_kgpubs(mini_project: Path, tmp_path: Path) -> None:
    """A project's shapes/*.ttl adds to kgpub's shapes: a shape of its own can stop the build."""
    (mini_project / "shapes").mkdir(exist_ok=True)
    (mini_project / "shapes" / "zz-labels.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix schema: <http://schema.org/> .\n"
        "<urn:x:NoNamesShape> a sh:NodeShape ; sh:targetClass schema:Person ; sh:property [\n"
        "    sh:path schema:name ; sh:maxCount 0 ; sh:message \"no person may have a name\" ] .\n",
        encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--root", str(mini_project),
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "no person may have a name" in result.output
    shutil.rmtree(mini_project / "shapes")  # kgpub's own shapes alone: it builds
    result = CliRunner().invoke(main, ["build", "--root", str(mini_project),
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output


def test_one_resource_is_the_projects_when_it_has_it(tmp_path: Path) -> None:
    relative = "ontology/draft/countries.tsv"
    assert resource_file(relative) == ROOT / relative
    assert resource_file(relative, tmp_path) == ROOT / relative
    (tmp_path / "ontology" / "draft").mkdir(parents=True)
    (tmp_path / relative).write_text("# mine\n", encoding="utf-8")
    assert resource_file(relative, tmp_path) == tmp_path / relative


def test_a_corpus_may_keep_only_compressed_whole_dataset_dumps(mini_project: Path) -> None:
    """[dumps] whole: the build writes those whole-dataset files only (a big corpus rewrites
    them when one article changes); query, conflicts and serve read kgpub.nq.gz; going back
    to every format writes them again, and a format left out is removed."""
    import httpx
    from conftest import RunningServer

    out = mini_project / "data" / "ttl"
    write_config(mini_project, '[dumps]\nwhole = ["nq.gz", "trig.gz"]\n')
    built = CliRunner().invoke(main, ["build", "--root", str(mini_project)])
    assert built.exit_code == 0, built.output
    whole = sorted(p.name for p in out.glob("kgpub.*"))
    assert whole == ["kgpub.nq.gz", "kgpub.trig.gz"]
    assert Project.find(mini_project).dataset_file == out / "kgpub.nq.gz"
    ask = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    counted = CliRunner().invoke(main, ["query", "--root", str(mini_project), ask,
                                        "--format", "json"])
    assert counted.exit_code == 0, counted.output
    n = int(__import__("json").loads(counted.output)["results"]["bindings"][0]["n"]["value"])
    assert n > 100
    assert CliRunner().invoke(main, ["conflicts", "--root", str(mini_project)]).exit_code == 0
    srv = RunningServer(["--root", str(mini_project), "--workers", "1"],
                        mini_project.parent / "serve.log", cwd=mini_project).wait_ready()
    try:
        answer = httpx.get(srv.url + "/sparql", params={"query": ask},
                           headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert answer.status_code == 200
        assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) == n
    finally:
        assert srv.stop() == 0
    write_config(mini_project, '[dumps]\nwhole = ["nq", "nq.gz"]\n')
    again = CliRunner().invoke(main, ["build", "--root", str(mini_project)])
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in out.glob("kgpub.*")) == ["kgpub.nq", "kgpub.nq.gz"]
