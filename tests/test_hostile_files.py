"""`kgpub validate` on hostile files: nothing is fetched or read besides the file, and every bomb
ends quickly, in bounded memory, with an error naming the file (exit 2) and no traceback.

The hostile files are generated here. Remote contexts and external entities point at a canary:
a TCP listener that records every connection, and a FIFO that records whether anyone opened it.
Bombs run in a subprocess with an address-space limit and a timeout, so a regression fails the
test instead of taking the machine down.
"""

from __future__ import annotations

import errno
import gzip
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Canary

from kgpub.cli import main

ROOT = Path(__file__).resolve().parents[1]
SECRET = "kgpub-canary-secret-7f3a9c"
RDF = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/"'
ADDRESS_SPACE = 2 << 30  # the CLI needs under 100 MB of address space for small files
TIMEOUT = 60


class FifoCanary:
    """A named pipe holding SECRET: `opened` turns true as soon as anything opens it to read.

    Opening a FIFO for reading blocks until a writer comes; the writer here polls with
    O_NONBLOCK, which fails with ENXIO while there is no reader, so a read is never missed.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        os.mkfifo(path)
        self.opened = False
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopped.is_set():
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:
                if exc.errno != errno.ENXIO:
                    return
                time.sleep(0.01)
                continue
            self.opened = True
            try:
                os.write(fd, SECRET.encode())
            except OSError:
                pass
            finally:
                os.close(fd)

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(5)


@pytest.fixture
def secret_files(tmp_path: Path):
    """A plain secret file and a FIFO canary with the same secret."""
    plain = tmp_path / "secret.txt"
    plain.write_text(SECRET)
    fifo = FifoCanary(tmp_path / "secret.fifo")
    yield plain, fifo
    fifo.stop()


def validate(*args: str):
    """The CLI in-process, as a user would call it; output mixes stdout and stderr."""
    return CliRunner().invoke(main, ["validate", *args])


def assert_refused(result, path: Path, *words: str) -> None:
    out = result.output
    assert result.exit_code == 2, out
    assert isinstance(result.exception, SystemExit), result.exception
    assert str(path) in out and "Traceback" not in out and SECRET not in out
    for word in words:
        assert word.lower() in out.lower(), out


@dataclass
class Run:
    code: int
    output: str
    seconds: float
    peak_mib: float


LIMITED = """
import os, resource, signal, sys
limit, report = int(sys.argv[1]), sys.argv[2]
pid = os.fork()
if pid == 0:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.execv(sys.executable, [sys.executable, *sys.argv[3:]])
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as fh:
    fh.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
if code < 0:
    signal.signal(-code, signal.SIG_DFL)
    os.kill(os.getpid(), -code)
sys.exit(code)
"""
"""A small Python that runs the command given, limited in address space, and writes down the
command's peak RSS. Forked from the test process itself (`preexec_fn`), the command would start
as a copy of it, and Linux counts that copy's resident pages in the command's peak: a pytest
worker grown to 900 MB by the tests before it made every run look as big."""


def limited(report: Path, *command: str) -> list[str]:
    """`python COMMAND…` limited to ADDRESS_SPACE bytes, its peak RSS (KiB) written to
    `report`."""
    return [sys.executable, "-c", LIMITED, str(ADDRESS_SPACE), str(report), *command]


def run_validate(*args: str, timeout: float = TIMEOUT) -> Run:
    """`python -m kgpub.cli validate ARGS` in a subprocess limited to ADDRESS_SPACE bytes."""
    start = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "peak"
        proc = subprocess.Popen(limited(report, "-m", "kgpub.cli", "validate", *args),
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the wrapper and the command it runs
            proc.wait()
            pytest.fail(f"kgpub validate {' '.join(args)} still running after {timeout} s")
        out.seek(0)
        output = out.read().decode("utf-8", errors="replace")
        peak_kib = int(report.read_text())  # the wrapper always writes it
    return Run(proc.returncode, output, time.monotonic() - start, peak_kib / 1024)


def assert_run_refused(run: Run, path: Path, *words: str, max_seconds: float = 30,
                       max_mib: float = 600) -> None:
    assert run.code == 2, run.output[-2000:]
    assert str(path) in run.output and "Traceback" not in run.output, run.output[-2000:]
    for word in words:
        assert word.lower() in run.output.lower(), run.output[-2000:]
    assert run.seconds < max_seconds, run
    assert run.peak_mib < max_mib, run


# --- JSON-LD remote and file: contexts -------------------------------------------------------


@pytest.mark.parametrize("context", [
    '"http://127.0.0.1:{port}/ctx.jsonld"',
    '["http://127.0.0.1:{port}/ctx.jsonld", {{"ex": "http://example.org/"}}]',
    '{{"@import": "http://127.0.0.1:{port}/ctx.jsonld", "ex": "http://example.org/"}}',
])
def test_jsonld_remote_context_is_not_fetched(tmp_path: Path, canary: Canary, context: str) -> None:
    doc = tmp_path / "remote.jsonld"
    context = context.format(port=canary.port)
    doc.write_text(f'{{"@context": {context}, "@id": "http://example.org/a", "name": "x"}}')
    result = validate("--bare", str(doc))
    assert_refused(result, doc, "remote", "context")
    assert canary.hits == []


def test_jsonld_file_context_is_not_read(tmp_path: Path, secret_files) -> None:
    plain, fifo = secret_files
    for target in (plain, fifo.path):
        doc = tmp_path / "file-context.jsonld"
        doc.write_text(f'{{"@context": "{target.as_uri()}", "@id": "http://example.org/a", '
                       '"name": "x"}')
        result = validate("--bare", str(doc))
        assert_refused(result, doc, "context")
    assert not fifo.opened


# --- RDF/XML external entities -----------------------------------------------------------------


def xxe(system_id: str) -> str:
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "{system_id}">]>\n'
            f'<rdf:RDF {RDF}><rdf:Description rdf:about="http://example.org/a">'
            "<ex:p>&x;</ex:p></rdf:Description></rdf:RDF>\n")


@pytest.mark.parametrize("fmt", ["text", "json", "turtle"])
def test_xml_external_entities_are_not_read(tmp_path: Path, canary: Canary, secret_files,
                                            fmt: str) -> None:
    plain, fifo = secret_files
    for system_id in (plain.as_uri(), fifo.path.as_uri(), str(plain),
                      f"http://127.0.0.1:{canary.port}/entity"):
        doc = tmp_path / "xxe.rdf"
        doc.write_text(xxe(system_id))
        result = validate("--bare", "--format", fmt, str(doc))
        assert_refused(result, doc, f"{doc}:2:", "external entit")
    param = tmp_path / "param.rdf"
    param.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY % p SYSTEM '
                     f'"http://127.0.0.1:{canary.port}/p.dtd"> %p;]>\n<rdf:RDF {RDF}/>\n')
    assert_refused(validate("--bare", "--format", fmt, str(param)), param, f"{param}:2:")
    assert canary.hits == [] and not fifo.opened


def test_xml_external_dtd_is_not_fetched(tmp_path: Path, canary: Canary) -> None:
    doc = tmp_path / "dtd.rdf"
    doc.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF SYSTEM '
                   f'"http://127.0.0.1:{canary.port}/x.dtd">\n<rdf:RDF {RDF}>'
                   '<rdf:Description rdf:about="http://example.org/a"><ex:p>hi</ex:p>'
                   "</rdf:Description></rdf:RDF>\n")
    result = validate("--bare", str(doc))
    assert result.exit_code == 0, result.output
    assert canary.hits == []


def test_internal_entities_as_protege_writes_them_still_work(tmp_path: Path) -> None:
    doc = tmp_path / "protege.owl"
    doc.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
        '    <!ENTITY owl "http://www.w3.org/2002/07/owl#" >\n'
        '    <!ENTITY ex "http://example.org/" >\n]>\n'
        f'<rdf:RDF {RDF} xmlns:owl="&owl;">\n  <owl:Class rdf:about="&ex;Thing"/>\n'
        '  <rdf:Description rdf:about="&ex;a"><rdf:type rdf:resource="&ex;Thing"/>'
        "</rdf:Description>\n</rdf:RDF>\n")
    result = validate("--bare", str(doc))
    assert result.exit_code == 0, result.output


# --- bombs, in a subprocess with a memory limit --------------------------------------------------


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    decls = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 11)]
    doc = tmp_path / "laughs.rdf"
    doc.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(decls) + "\n]>\n"
                   f'<rdf:RDF {RDF}><rdf:Description rdf:about="http://example.org/a">'
                   "<ex:p>&lol10;</ex:p></rdf:Description></rdf:RDF>\n")
    run = run_validate("--bare", str(doc))
    assert_run_refused(run, doc, "entit", "billion laughs")
    assert f"{doc}:10:" in run.output  # the declaration that crosses the budget (lol7)


def test_quadratic_entity_blowup_is_refused(tmp_path: Path) -> None:
    """One flat 64 KB entity referenced 20,000 times: 1.3 GB from a 200 KB file."""
    doc = tmp_path / "quadratic.rdf"
    doc.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY a "{"a" * 65536}">]>\n'
                   f'<rdf:RDF {RDF}><rdf:Description rdf:about="http://example.org/a">'
                   f"<ex:p>{'&a;' * 20000}</ex:p></rdf:Description></rdf:RDF>\n")
    run = run_validate("--bare", str(doc))
    assert_run_refused(run, doc, f"{doc}:3:", "entit")


def test_deeply_nested_rdf_xml_is_refused(tmp_path: Path) -> None:
    """Oxigraph needs minutes for 100,000 nested elements (quadratic); refused at once."""
    depth = 100_000
    doc = tmp_path / "deep.rdf"
    doc.write_text(f"<rdf:RDF {RDF}>" + "<rdf:Description><ex:p>" * depth
                   + "</ex:p></rdf:Description>" * depth + "</rdf:RDF>")
    run = run_validate("--bare", str(doc))
    assert_run_refused(run, doc, "nested deeper than")


def test_huge_turtle_literal_is_refused_cleanly(tmp_path: Path) -> None:
    doc = tmp_path / "huge.ttl"
    with doc.open("w") as fh:
        fh.write('<http://example.org/a> <http://example.org/p> "')
        fh.write("a" * (64 << 20))
        fh.write('" .\n')
    run = run_validate("--bare", str(doc))
    assert_run_refused(run, doc, "too large")


def test_gzip_bomb_is_refused(tmp_path: Path) -> None:
    """128 MiB of one byte compresses to 130 KB: a thousandfold, refused before parsing."""
    doc = tmp_path / "bomb.nt.gz"
    with gzip.open(doc, "wb", compresslevel=1) as fh:
        fh.write(b'<http://example.org/a> <http://example.org/p> "')
        chunk = b"a" * (1 << 20)
        for _ in range(128):
            fh.write(chunk)
        fh.write(b'" .\n')
    run = run_validate("--bare", str(doc))
    assert_run_refused(run, doc, "decompresses to more than", "gunzip")


def test_corrupt_gzip_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "corrupt.ttl.gz"
    doc.write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 6 + b"garbage" * 10)
    assert_refused(validate("--bare", str(doc)), doc, "gzip")


# --- what rdflib cannot hold, and hostile shapes -----------------------------------------------


def test_rdf12_triple_term_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "star.ttl"
    doc.write_text("@prefix ex: <http://example.org/> .\nex:a ex:says <<( ex:s ex:p ex:o )>> .\n")
    assert_refused(validate("--bare", str(doc)), doc, "triple term")


def sparql_shape(query: str, in_property: bool) -> str:
    constraint = f'sh:sparql [ sh:select """{query}""" ]'
    if in_property:
        constraint = f"sh:property [ sh:path ex:p ; {constraint} ]"
    return ("@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://example.org/> .\n"
            f"ex:Shape a sh:NodeShape ; sh:targetNode ex:a ; {constraint} .\n")


@pytest.mark.parametrize("in_property", [False, True])
def test_shapes_calling_service_are_refused(tmp_path: Path, canary: Canary,
                                            in_property: bool) -> None:
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/a> <http://example.org/p> 1 .\n")
    for service in ("SERVICE", "service", "\\\\u0053ERVICE"):
        shapes = tmp_path / "shapes.ttl"
        shapes.write_text(sparql_shape(
            f"SELECT $this WHERE {{ {service} <http://127.0.0.1:{canary.port}/sparql> "
            "{ ?s ?p ?o } }", in_property))
        result = validate("--bare", "--shapes", str(shapes), str(data))
        assert result.exit_code == 2, result.output
        assert "SERVICE" in result.output and "<http://example.org/Shape>" in result.output
        assert "Traceback" not in result.output
    assert canary.hits == []


@pytest.mark.parametrize("in_property", [False, True])
def test_malformed_sparql_in_shapes_is_an_error(tmp_path: Path, in_property: bool) -> None:
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/a> <http://example.org/p> 1 .\n")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(sparql_shape("SELECT $this WHERE { ?s ?p ", in_property))
    result = validate("--bare", "--shapes", str(shapes), str(data))
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    assert "shapes cannot be applied" in result.output


# --- the same files given to `kgpub serve --data` ------------------------------------------------


def _laughs(path: Path) -> Path:
    decls = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 11)]
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(decls) + "\n]>\n"
                    f'<rdf:RDF {RDF}><rdf:Description rdf:about="http://example.org/a">'
                    "<ex:p>&lol10;</ex:p></rdf:Description></rdf:RDF>\n")
    return path


def _gzip_bomb(path: Path) -> Path:
    with gzip.open(path, "wb", compresslevel=1) as fh:
        fh.write(b"<http://example.org/a> <http://example.org/p> <http://example.org/o> .\n"
                 * (2 << 20))  # 150 MB of N-Triples from about 300 KB
    return path


@pytest.mark.parametrize(("make", "name", "words"), [
    (_laughs, "laughs.rdf", ("entit",)),
    (_gzip_bomb, "bomb.nt.gz", ("decompresses to more than",)),
])
def test_serve_refuses_the_same_bombs_before_starting(tmp_path: Path, make, name: str,
                                                      words: tuple[str, ...]) -> None:
    doc = make(tmp_path / name)
    proc = subprocess.run(limited(tmp_path / "peak", "-m", "kgpub.cli", "serve", "--port", "9",
                                  "--data", str(doc)),
                          cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 2, output[-2000:]
    assert str(doc) in output and "Traceback" not in output, output[-2000:]
    for word in words:
        assert word in output, output[-2000:]
