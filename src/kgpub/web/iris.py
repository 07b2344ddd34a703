"""Request paths and dataset IRIs: which IRIs a path under the base IRI may stand for.

IRIs are Unicode (RFC 3987) but request paths are URIs: a browser following a link to
`/id/person/müller` sends `/id/person/m%C3%BCller`. So a path is turned back into an IRI
(RFC 3987 section 3.2: escaped UTF-8 of non-ASCII characters is decoded, and so are escaped
unreserved ASCII characters, RFC 3986 section 6.2.2.2), normalised to NFC, and looked up; the
path as sent is tried last, for data whose IRIs are themselves percent-encoded. Escapes of
reserved or forbidden characters (`%2F`, `%3E`, `%20`) are never decoded: they cannot change
which resource is meant, nor end up between the `<>` of a query.
"""

from __future__ import annotations

import contextlib
import string
import unicodedata
from urllib.parse import quote

import pyoxigraph as ox

FORBIDDEN_IRI_CHARS = frozenset('<>"{}|^`\\ ') | {chr(i) for i in range(0x21)}
UNRESERVED = frozenset((string.ascii_letters + string.digits + "-._~").encode())
HEX = frozenset(b"0123456789abcdefABCDEF")
# Kept as they are when an IRI goes into a URI (a header, a link): ASCII that may appear in one.
URI_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in FORBIDDEN_IRI_CHARS)


def is_safe_iri(iri: str) -> bool:
    """An absolute IRI that can be written between <> in a query without escaping anything."""
    if not iri or any(c in FORBIDDEN_IRI_CHARS for c in iri):
        return False
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


def _units(raw: bytes) -> list[tuple[int, bool]] | None:
    """The path's bytes, each marked whether it was percent-escaped; None if an escape is
    malformed."""
    units, i = [], 0
    while i < len(raw):
        if raw[i] == 0x25:  # %
            if i + 2 >= len(raw) or raw[i + 1] not in HEX or raw[i + 2] not in HEX:
                return None
            units.append((int(raw[i + 1:i + 3], 16), True))
            i += 3
        else:
            units.append((raw[i], False))
            i += 1
    return units


def uri_path_to_iri(raw: bytes) -> str | None:
    """The IRI form of a URI path (see the module docstring); None if it is not UTF-8."""
    units = _units(raw)
    if units is None:
        return None
    out: list[str] = []
    i = 0
    while i < len(units):
        byte, escaped = units[i]
        if byte < 0x80:
            if escaped and byte not in UNRESERVED:
                out.append(f"%{byte:02X}")
            else:
                out.append(chr(byte))
            i += 1
            continue
        j = i
        while j < len(units) and units[j][0] >= 0x80:
            j += 1
        run = units[i:j]
        try:
            out.append(bytes(b for b, _ in run).decode("utf-8"))
        except UnicodeDecodeError:
            if not all(e for _, e in run):
                return None  # raw bytes that are not UTF-8: no IRI
            out.extend(f"%{b:02X}" for b, _ in run)
        i = j
    return "".join(out)


def path_iris(base_iri: str, raw_path: bytes, strip: str = "") -> list[str]:
    """The IRIs a request path under this server may stand for, best first; [] if none.

    `raw_path` is the path as sent (no query string), `strip` a route prefix such as `page/`.
    """
    sent = raw_path.split(b"?", 1)[0].lstrip(b"/")
    if not sent.startswith(strip.encode()):
        return []
    sent = sent[len(strip):]
    if not sent:
        return []
    candidates = []
    decoded = uri_path_to_iri(sent)
    if decoded is not None:
        candidates += [decoded, unicodedata.normalize("NFC", decoded)]
    with contextlib.suppress(UnicodeDecodeError):  # raw bytes that are no text: no IRI
        candidates.append(sent.decode("utf-8"))
    iris = [base_iri + c for c in dict.fromkeys(candidates)]
    return [i for i in iris if is_safe_iri(i)]


def iri_to_uri(iri: str) -> str:
    """The IRI as a URI (RFC 3987 section 3.1): non-ASCII characters as escaped UTF-8, so it
    can go into a header such as Location or Link."""
    return quote(iri, safe=URI_SAFE)
