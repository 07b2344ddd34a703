"""kgpub: curated facts from news articles as a validated, provenance-rich RDF knowledge graph."""

__version__ = "0.1.0"
"""The version (pyproject.toml takes it from here)."""
