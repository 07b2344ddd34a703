"""`kgpub query` over the built dataset: text or file, table/csv/json, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from kgpub.cli import main

ROOT = Path(__file__).resolve().parents[1]
Q = ("PREFIX owl: <http://www.w3.org/2002/07/owl#> "
     "SELECT ?x WHERE { ?x owl:sameAs <http://www.wikidata.org/entity/Q813> }")


def query(built, *args: str):
    out, _ = built
    return CliRunner().invoke(main, ["query", *args, "--data", str(out / "kgpub.nq")])


def test_table(built) -> None:
    result = query(built, Q)
    assert result.exit_code == 0, result.output
    assert "https://w3id.org/kgpub/id/country/kyrgyzstan" in result.output
    assert "(1 row)" in result.output


def test_csv_and_json(built) -> None:
    rows = list(csv.reader(io.StringIO(query(built, Q, "--format", "csv").output)))
    assert rows == [["x"], ["https://w3id.org/kgpub/id/country/kyrgyzstan"]]
    data = json.loads(query(built, Q, "--format", "json").output)
    assert data["results"]["bindings"][0]["x"]["value"].endswith("/country/kyrgyzstan")


def test_query_file(built) -> None:
    result = query(built, str(ROOT / "queries" / "cq06.rq"), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "Q318693" in result.output


def test_ask_and_construct(built) -> None:
    assert query(built, "ASK { ?s ?p ?o }").output.strip() == "true"
    result = query(built, "CONSTRUCT { ?s a ?t } WHERE { GRAPH ?g { ?s a ?t } } LIMIT 2")
    assert result.exit_code == 0 and " a " in result.output


def test_malformed_query(built) -> None:
    result = query(built, "SELEC ?x WHERE { ?x ?y ?z }")
    assert result.exit_code == 1
    assert "malformed query" in result.output and "Traceback" not in result.output


def test_missing_dataset(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["query", Q, "--data", str(tmp_path / "none.nq")])
    assert result.exit_code == 2 and "kgpub build" in result.output
