"""`kgpub check`: HermiT on ontology + data; clashes in plain words; a clear error without Java."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kgpub.cli import main

FIX = Path(__file__).resolve().parent / "fixtures" / "validate"
needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="Java is not installed")


@needs_java
def test_person_and_country_is_inconsistent() -> None:
    result = CliRunner().invoke(main, ["check", str(FIX / "clash.ttl")])
    assert result.exit_code == 1, result.output
    assert "inconsistent" in result.output
    assert "https://example.org/id/ruritania is typed both" in result.output
    assert "Person" in result.output and "Country" in result.output and "disjoint" in result.output


@needs_java
def test_built_dataset_is_consistent_and_types_materialise(built, tmp_path: Path) -> None:
    out, _ = built
    inferred = tmp_path / "inferred.ttl"
    result = CliRunner().invoke(main, ["check", str(out / "kgpub.nq"), "--materialize",
                                       str(inferred)])
    assert result.exit_code == 0, result.output
    assert "consistent" in result.output
    g = Graph().parse(inferred)
    assert len(g) >= 0 and "inferred type triples" in result.output


@needs_java
def test_domain_inference_is_materialised(tmp_path: Path) -> None:
    data = tmp_path / "d.ttl"
    data.write_text(
        "@prefix kgp: <https://w3id.org/kgpub/ontology#> .\n"
        "<https://example.org/s> kgp:stanceHolder <https://example.org/kg> .\n")
    inferred = tmp_path / "inferred.ttl"
    result = CliRunner().invoke(main, ["check", str(data), "--materialize", str(inferred)])
    assert result.exit_code == 0, result.output
    text = inferred.read_text()
    assert "https://example.org/s" in text and "Stance" in text


def test_without_java_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no java on PATH
    result = CliRunner().invoke(main, ["check", str(FIX / "good.ttl")])
    assert result.exit_code == 3
    assert "Java was not found" in result.output
