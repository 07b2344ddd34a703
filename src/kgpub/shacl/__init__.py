"""A SHACL Core evaluator compiled from the shapes once, with pyshacl's results, for speed.

`compile_shapes(graph)` returns CompiledShapes, or None when the shapes use something only
pyshacl evaluates as kgpub reports it today (then use kgpub.validate). `TripleIndex` and
`Layered` hold the data: one article's triples over an index of the shared graphs.
"""

from .compile import compile_shapes, unsupported_reason
from .core import RuntimeFallback
from .evaluate import CompiledShapes, Outcome
from .index import Layered, TripleIndex

__all__ = ["CompiledShapes", "Layered", "Outcome", "RuntimeFallback", "TripleIndex",
           "compile_shapes", "unsupported_reason"]
