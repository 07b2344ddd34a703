"""/dumps/: the published files, with validators (ETag, Last-Modified) and gzip.

Files are indexed once at start-up by name; a request can only ever name an entry of that index,
so no path from a URL is ever joined to a directory (no traversal by construction).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from .negotiation import accepts_encoding

MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".owl": "application/rdf+xml",
    ".gz": "application/gzip",
}


@dataclass(frozen=True)
class DumpFile:
    name: str
    path: Path
    media_type: str
    size: int
    mtime: float
    etag: str

    @property
    def last_modified(self) -> str:
        return formatdate(self.mtime, usegmt=True)


def _entry(path: Path) -> DumpFile:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    stat = path.stat()
    return DumpFile(path.name, path, MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
                    stat.st_size, stat.st_mtime, f'"{digest.hexdigest()[:32]}"')


def index(paths: list[Path]) -> dict[str, DumpFile]:
    return {p.name: _entry(p) for p in sorted(paths) if p.is_file() and not p.name.startswith(".")}


def _not_modified(request: Request, entry: DumpFile) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or entry.etag in tags
    since = request.headers.get("if-modified-since")
    if since:
        try:
            return int(entry.mtime) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
    return False


def respond(request: Request, files: dict[str, DumpFile], name: str) -> Response | None:
    """The file called `name`, precompressed when the client takes gzip; None if unknown."""
    entry = files.get(name)
    if entry is None:
        return None
    gz = files.get(name + ".gz")
    accepts_gzip = accepts_encoding(request.headers.get("accept-encoding"), "gzip")
    use_gz = gz is not None and accepts_gzip and entry.media_type != "application/gzip"
    served = gz if use_gz else entry
    assert served is not None
    headers = {
        "ETag": served.etag,
        "Last-Modified": served.last_modified,
        "Cache-Control": "public, max-age=3600",
        "Vary": "Accept-Encoding",
    }
    if _not_modified(request, served):
        return Response(status_code=304, headers=headers)
    if use_gz:
        headers["Content-Encoding"] = "gzip"
    return FileResponse(served.path, media_type=entry.media_type, headers=headers,
                        stat_result=served.path.stat())
