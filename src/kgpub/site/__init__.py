"""The HTML side of the linked-data site: home, query, resource, stance, graph and ontology pages.

The server owns HTTP and the store. This package only receives `select`, a coroutine that runs a
SPARQL SELECT over the dataset and returns SPARQL 1.1 JSON bindings, so the pages can be tested
over an in-process store and never depend on the transport. Every query a resource page sends is
bounded (LIMIT/OFFSET, or VALUES over the IRIs already on the page) so pages stay cheap on large
datasets; the home page counts scan the data, and the server caches that page.

Pages are Jinja2 templates (autoescaped) under `kgpub/templates/`; scripts and styles are files
under `kgpub/static/`, because the server sends a strict Content-Security-Policy (no inline
script or style).
"""

from .pages import TEMPLATES_DIR, Example, Site, SiteConfig
from .provenance import ArticleProvenance, Evidence
from .terms import Binding, Select, Term, bindings_from_pyoxigraph

__all__ = [
    "TEMPLATES_DIR",
    "ArticleProvenance",
    "Binding",
    "Evidence",
    "Example",
    "Select",
    "Site",
    "SiteConfig",
    "Term",
    "bindings_from_pyoxigraph",
]
