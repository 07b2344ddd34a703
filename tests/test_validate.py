"""`kgpub validate` on files written by someone else: exit 0, 1 and 2, and the report formats."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import SH

from kgpub.cli import main

FIX = Path(__file__).resolve().parent / "fixtures" / "validate"


def validate(*args: str):
    return CliRunner().invoke(main, ["validate", *args])


def test_conforming_files_exit_0() -> None:
    result = validate(str(FIX / "good.ttl"), str(FIX / "good.nt"), str(FIX / "good.jsonld"))
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_built_dataset_conforms(built) -> None:
    out, _ = built
    result = validate(str(out / "kgpub.trig"))
    assert result.exit_code == 0, result.output


def test_violations_exit_1_with_details() -> None:
    result = validate(str(FIX / "broken.ttl"))
    assert result.exit_code == 1, result.output
    out = result.output
    assert "<https://example.org/id/stance/1>" in out
    for path in ("kgp:stanceTarget", "kgp:strength", "kgp:statedOn"):
        assert f"path:       {path}" in out
    assert "value:      \"1.5\"^^xsd:decimal" in out
    assert "[Violation]" in out and "shape:" in out and "message:" in out


def test_json_report() -> None:
    result = validate("--format", "json", str(FIX / "broken.ttl"))
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["conforms"] is False
    paths = {v["path"] for v in report["violations"]}
    assert {"kgp:stanceTarget", "kgp:strength", "kgp:statedOn"} <= paths
    assert all(v["focus"] and v["message"] and v["severity"] and v["shape"]
               for v in report["violations"])


def test_turtle_report_is_a_shacl_report() -> None:
    result = validate("--format", "turtle", str(FIX / "broken.ttl"))
    assert result.exit_code == 1
    g = Graph().parse(data=result.output, format="turtle")
    assert len(list(g.subjects(None, SH.ValidationResult))) >= 3


def test_unparsable_exits_2_with_line() -> None:
    result = validate(str(FIX / "unparsable.ttl"))
    assert result.exit_code == 2
    assert "unparsable.ttl" in result.output and "line 4" in result.output
    assert "Traceback" not in result.output


def test_unknown_extension_exits_2(tmp_path: Path) -> None:
    f = tmp_path / "data.txt"
    f.write_text("hello")
    result = validate(str(f))
    assert result.exit_code == 2 and "extension" in result.output


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = validate(str(tmp_path / "nope.ttl"))
    assert result.exit_code == 2 and "cannot read" in result.output


def test_custom_shapes(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix kgp: <https://w3id.org/kgpub/ontology#> .\n"
        "<urn:s> a sh:NodeShape ; sh:targetClass kgp:Country ;\n"
        "  sh:property [ sh:path kgp:capital ; sh:minCount 1 ] .\n")
    result = validate("--shapes", str(shapes), str(FIX / "good.ttl"))
    assert result.exit_code == 1 and "kgp:capital" in result.output
