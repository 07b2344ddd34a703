"""kgpub: curated facts from news articles as a validated, provenance-rich RDF knowledge graph."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kgpub")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"
