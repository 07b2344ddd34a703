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


# Oxigraph evaluates lazily: these fail while the results are read or written, not when the
# query is parsed. Port 1 is refused by Oxigraph's HTTP client before any connection is made.
SERVICE_SELECT = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
SERVICE_CONSTRUCT = ("CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:1/sparql> "
                     "{ ?s ?p ?o } }")
SERVICE_ASK = "ASK { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"


def one_error_line(result) -> str:
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1, result.output
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "Traceback" not in result.output
    return lines[0]


def test_errors_raised_while_results_are_read_are_one_line(built) -> None:
    for fmt in ("table", "csv", "json"):
        for text in (SERVICE_SELECT, SERVICE_CONSTRUCT, SERVICE_ASK):
            line = one_error_line(query(built, text, "--format", fmt))
            assert "query failed" in line and "port 1" in line, (fmt, text, line)


def test_a_query_file_that_is_not_utf8(built, tmp_path: Path) -> None:
    bad = tmp_path / "latin1.rq"
    bad.write_bytes("SELECT * WHERE { ?s ?p \"Zürich\" }".encode("latin-1"))
    result = query(built, str(bad))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.startswith(f"error: {bad}: ") and "UTF-8" in result.output
