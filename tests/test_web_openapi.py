"""The OpenAPI description at /openapi.json, and the running server fuzzed against it.

Two promises are checked. The document is valid OpenAPI and lists exactly the app's public
routes, so it cannot drift from the router. And a real `kgpub serve` process (the session
`server` fixture) answers schemathesis-generated requests only as documented: no 5xx but the
documented 503, only the documented status codes and media types, JSON bodies that match their
schemas, 405 with Allow, and never a traceback or a path of the server's file system.

The number of examples per operation is bounded so that the file stays well under a minute on
two cores; a failure prints the request (as curl) that reproduces it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import positive_data_acceptance

import kgpub
from kgpub.web import app as web_app
from kgpub.web import openapi
from kgpub.web.app import Published, create_app
from kgpub.web.loading import LoadedData
from kgpub.web.settings import ServeSettings

ROOT = Path(__file__).resolve().parents[1]
MAX_EXAMPLES = 15
# Text that only ever appears in a response when an exception or a local path leaked into it.
LEAKS = ("Traceback", 'File "/', str(ROOT), str(Path(kgpub.__file__).resolve().parent),
         sys.prefix, "kgpub-serve-")  # the last: the server's temporary work directory

# A direct POST carries the query text as its body; it goes on the wire like text/plain.
schemathesis.serializer.alias("application/sparql-query", "text/plain")


def _router_paths(app) -> set[str]:
    return {route.path for route in app.routes}


@pytest.fixture(scope="module")
def local_app():
    """The app as `kgpub serve` builds it, without starting workers (the router is enough)."""
    return create_app(LoadedData(spec={}, files=()), ServeSettings(), Published())


def test_document_is_valid_openapi_and_every_operation_loads(server) -> None:
    response = httpx.get(server.url + "/openapi.json", timeout=30)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    doc = response.json()
    assert doc["openapi"].startswith("3.1")
    schema = schemathesis.openapi.from_dict(doc)
    schema.validate()  # against the OpenAPI 3.1 meta-schema; raises on any violation
    operations = list(schema.get_all_operations())
    errors = [op.err() for op in operations if hasattr(op, "err")]  # Err, not Ok
    assert not errors
    assert len(operations) == sum(
        1 for item in doc["paths"].values() for key in item if key in ("get", "post"))


def test_document_states_the_settings_limits() -> None:
    settings_ = ServeSettings(max_body_bytes=12345, max_result_bytes=67890, timeout=7)
    doc = openapi.document(settings_, "t", "d")
    post = doc["paths"]["/sparql"]["post"]
    body = post["requestBody"]["content"]
    assert body["application/sparql-query"]["schema"]["maxLength"] == 12345
    assert body["application/x-www-form-urlencoded"]["schema"]["properties"]["query"][
        "maxLength"] == 12345
    assert "67890" in post["responses"]["422"]["description"]
    assert "7 s" in post["responses"]["503"]["description"]
    assert post["responses"]["503"]["headers"]["Retry-After"]["required"] is True


def test_router_and_document_list_the_same_public_routes(local_app) -> None:
    doc = openapi.document(ServeSettings(), "t", "d")
    router = _router_paths(local_app)
    documented = openapi.documented_routes(doc)
    public = router - set(openapi.UNDOCUMENTED_ROUTES)
    assert documented == public, (
        f"in the router only: {sorted(public - documented)}; "
        f"in the document only: {sorted(documented - public)}")
    assert set(openapi.UNDOCUMENTED_ROUTES) <= router  # no stale exclusions
    # The catch-all answers every minted namespace, and each has its own path item.
    resource_items = {p for p, item in doc["paths"].items()
                      if item[openapi.ROUTE_KEY] == openapi.RESOURCE_ROUTE}
    assert resource_items == {f"/{p}/{{path}}" for p in openapi.MINTED_PREFIXES}


def test_copied_constants_match_the_handlers() -> None:
    assert openapi.RDF_OFFERS == web_app.RDF_OFFERS
    assert openapi.PAGE_OFFERS == web_app.PAGE_OFFERS
    assert openapi.MAX_PAGE == web_app.MAX_PAGE


# -- fuzzing the running server ---------------------------------------------------------------

def no_server_error_but_503(ctx, response, case) -> None:
    """5xx is a bug, except 503: busy or timed out is documented (with Retry-After)."""
    assert response.status_code < 500 or response.status_code == 503, (
        f"{response.status_code} from {case.method} {case.formatted_path}: "
        f"{response.text[:500]}")


def no_leaks(ctx, response, case) -> None:
    """No response may carry a traceback or a path of the server's machine."""
    body = response.content.decode("utf-8", "replace")
    found = [leak for leak in LEAKS if leak in body]
    assert not found, f"{case.method} {case.formatted_path} leaks {found}: {body[:500]}"


def test_leak_check_fails_on_a_traceback() -> None:
    case = SimpleNamespace(method="GET", formatted_path="/x")
    for body in (b'Traceback (most recent call last):\n  File "/srv/app.py", line 1',
                 f"see {ROOT}/src".encode()):
        with pytest.raises(AssertionError):
            no_leaks(None, SimpleNamespace(content=body), case)
    no_leaks(None, SimpleNamespace(content=b"400: malformed query at 1:7"), case)


@pytest.fixture(scope="module")
def log_offset(server) -> int:
    """Where the server's log stood before the fuzzing, to read only what it logged since."""
    return server.log.stat().st_size


@pytest.fixture(scope="session")
def api_schema(server):
    """The schema exactly as the running server publishes it."""
    return schemathesis.openapi.from_url(server.url + "/openapi.json")


@pytest.fixture
def schemathesis_nodeid(request: pytest.FixtureRequest) -> None:
    """Give the test item the private `_nodeid` that schemathesis's lazy loader reads.

    schemathesis 4.32 (`from_fixture`) reads and rewrites `Item._nodeid` to label each
    operation's report; pytest 9.2 no longer has that attribute. The value only names reports.
    """
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.usefixtures("schemathesis_nodeid", "log_offset")
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_running_server_conforms_to_its_openapi(case) -> None:
    excluded = [not_a_server_error]  # replaced by no_server_error_but_503
    if case.operation.path == "/sparql":
        # Any string is a schema-valid `query`, but only SPARQL is a valid query: a 400 for
        # generated text is right, so "valid data must be accepted" cannot hold here.
        excluded.append(positive_data_acceptance)
    case.call_and_validate(timeout=30, excluded_checks=excluded,
                           additional_checks=[no_server_error_but_503, no_leaks])


def test_server_logged_no_error_while_fuzzed(server, log_offset: int) -> None:
    """Exceptions the client never sees (a handler's 500 is logged, a worker's stderr) count."""
    with server.log.open("rb") as fh:
        fh.seek(log_offset)
        logged = fh.read().decode("utf-8", "replace")
    bad = [line for line in logged.splitlines()
           if "Traceback" in line or line.startswith(("ERROR", "CRITICAL"))]
    assert not bad, logged[-3000:]
