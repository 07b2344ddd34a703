"""Read a shapes graph once into CompiledShapes, or say (None) that pyshacl must do the work.

Which nodes are shapes, and which of them are node or property shapes, is decided as pyshacl's
ShapesGraph does; so are the implicit class targets (a shape that is an rdfs:Class, an
owl:Class or an instance of a direct subclass of rdfs:Class in the shapes graph). Anything this
evaluator does not reproduce exactly returns None: SHACL-SPARQL other than the node-shape
constraints that sparql_constraints runs in Oxigraph, SHACL-AF (rules, custom targets,
functions, expressions), custom constraint components, recursive shapes, and every shapes
graph that pyshacl would refuse.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, Namespace
from rdflib.term import Node

from .. import sparql_constraints
from .core import ALLOWED_SEVERITIES, CShape, Targets
from .evaluate import CompiledShapes
from .index import TripleIndex
from .logic import Logical, NodeShape, Not, Property, Qualified
from .parameters import GROUP, PARAMETERS, Builder
from .paths import Unsupported, compile_path
from .report import result_path_text, shape_text
from .stringify import items, shapes_namespace_manager, stringify

MAX_NESTING = 12  # pyshacl stops at 15 nested shapes ("Validation path too deep")
SHX = Namespace(str(SH))  # SHACL-AF and SHACL-JS terms, which rdflib's SH does not list
UNSUPPORTED_PREDICATES = (SHX.rule, SHX.target, SHX.expression, SHX.js,
                          SHX.jsFunctionName, SHX.jsLibrary, SHX.filterShape)
UNSUPPORTED_TYPES = (SHX.SPARQLFunction, SHX.JSFunction, SHX.SHACLFunction, SHX.Function,
                     SHX.TripleRule, SHX.SPARQLRule, SHX.JSRule, SHX.SPARQLTargetType,
                     SHX.JSTargetType, SHX.TargetType, SHX.SPARQLTarget, SHX.JSTarget)
TARGETS = (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf)


def compile_shapes(shapes: Graph) -> CompiledShapes | None:
    """The shapes, compiled; None when they use what only pyshacl evaluates as it does.

    Raises UnreadableInput, as kgpub.validate.prepare_shapes does, for SHACL-SPARQL that calls
    SERVICE.
    """
    return _attempt(shapes)[0]


def unsupported_reason(shapes: Graph) -> str | None:
    """Why compile_shapes returns None for `shapes` (None: it does not)."""
    return _attempt(shapes)[1]


def _attempt(shapes: Graph) -> tuple[CompiledShapes | None, str | None]:
    from ..validate import refuse_remote_queries  # imports pyshacl: only when compiling

    refuse_remote_queries(shapes)
    core, fast = sparql_constraints.split(shapes)
    try:
        return _compile(shapes, core, fast), None
    except Unsupported as exc:
        return None, str(exc)


def _refuse_unsupported(core: Graph) -> None:
    for predicate in UNSUPPORTED_PREDICATES:
        if (None, predicate, None) in core:
            raise Unsupported(f"{predicate}")
    for cls in UNSUPPORTED_TYPES:
        if (None, RDF.type, cls) in core:
            raise Unsupported(f"{cls}")
    components = set(core.subjects(RDF.type, SH.ConstraintComponent))
    for sub in core.subjects(RDFS.subClassOf, SH.ConstraintComponent):
        components.update(core.subjects(RDF.type, sub))
    if any(not str(x).startswith(str(SH)) for x in components):
        raise Unsupported("custom constraint components")
    if any(x not in (SHX.JSTarget, SHX.SPARQLTarget)
           for x in core.subjects(RDFS.subClassOf, SHX.Target)):
        raise Unsupported("custom target types")


def _inactive_sparql(core: Graph, shape: Node) -> None:
    """SHACL-SPARQL left in the core shapes is pyshacl's to run, unless it is switched off
    (sparql_constraints.split leaves the constraints of deactivated shapes in place)."""
    true = Literal(True)
    for constraint in core.objects(shape, SH.sparql):
        if true not in (core.value(shape, SH.deactivated), core.value(constraint, SH.deactivated)):
            raise Unsupported("a SHACL-SPARQL constraint that only pyshacl runs")


def _one_path(core: Graph, s: Node) -> Node | None:
    paths = list(core.objects(s, SH.path))
    if len(paths) > 1:
        raise Unsupported("a shape with more than one sh:path")
    return paths[0] if paths else None


def harvest(core: Graph) -> dict[Node, Node | None]:
    """Every shape, with its sh:path (None for a node shape), as pyshacl finds them."""
    node_shapes = set(core.subjects(RDF.type, SH.NodeShape))
    if any((s, SH.path, None) in core for s in node_shapes):
        raise Unsupported("a sh:NodeShape with a sh:path")
    found: dict[Node, Node | None] = dict.fromkeys(node_shapes)
    for s in set(core.subjects(RDF.type, SH.PropertyShape)):
        path = _one_path(core, s)
        if s in node_shapes or path is None:
            raise Unsupported("a malformed sh:PropertyShape")
        found[s] = path
    subjects = {s for p in (*TARGETS, SH.property, SH.node) for s in core.subjects(p, None)}
    values = {o for p in (SH.property, SH.node, SH["not"], SH.qualifiedValueShape)
              for o in core.objects(None, p)}
    for p in (SH["and"], SH["or"], SH.xone):
        for lst in core.objects(None, p):
            members = list(core.items(lst))
            if not members:
                raise Unsupported("an empty list of shapes")
            values.update(members)
    for s in [*subjects, *values]:
        if s not in found:
            if isinstance(s, Literal):
                raise Unsupported("a literal where a shape is expected")
            found[s] = _one_path(core, s)
    return found


def _implicit_class(core: Graph, node: Node) -> bool:
    classes = {*core.subjects(RDFS.subClassOf, RDFS.Class), OWL.Class, RDFS.Class}
    return any(t in classes for t in core.objects(node, RDF.type))


def _make_shape(shapes: Graph, core: Graph, index: TripleIndex, nm, node: Node,
                path: Node | None) -> CShape:
    shape = CShape(node)
    deactivated = list(core.objects(node, SH.deactivated))
    if len(deactivated) > 1 or (deactivated and not isinstance(deactivated[0], Literal)):
        raise Unsupported("a malformed sh:deactivated")
    shape.deactivated = bool(deactivated and deactivated[0].value)  # pyshacl: bool(value)
    severities = set(core.objects(node, SH.severity))
    shape.severity = next(iter(severities)) if severities else SH.Violation
    shape.allowed = shape.severity in ALLOWED_SEVERITIES
    messages = set(core.objects(node, SH.message))
    # Several messages (say, one per language) all go into pyshacl's report and kgpub shows
    # whichever rdflib returns first: the first of the same set, in the same process.
    shape.message = str(next(iter(messages))) if messages else None
    shape.text = shape_text(shapes, node)
    if path is not None:
        shape.is_property = True
        shape.path_node = path
        shape.path_text = result_path_text(core, path)
        shape.path_string = stringify(index, path, nm)
        if isinstance(path, URIRef):
            shape.predicate = path
        else:
            shape.path = compile_path(core, path)
            if shape.path is None:
                raise Unsupported("a path pyshacl refuses")
    classes = list(core.objects(node, SH.targetClass))
    if _implicit_class(core, node):
        classes.append(node)
    shape.targets = Targets(classes, list(core.objects(node, SH.targetNode)),
                            list(core.objects(node, SH.targetSubjectsOf)),
                            list(core.objects(node, SH.targetObjectsOf)))
    return shape


def _nested(shape: CShape) -> list[CShape]:
    out: list[CShape] = []
    for comp in shape.components:
        if isinstance(comp, (Not, NodeShape, Property)):
            out += comp.shapes
        elif isinstance(comp, Logical):
            out += [s for members in comp.lists for s in members]
        elif isinstance(comp, Qualified):
            out += [s for pair in comp.shapes for s in (pair[0], *pair[1])]
    return out


def _check_nesting(shapes: list[CShape]) -> None:
    """No shape may (indirectly) validate itself, and no chain may be as deep as pyshacl's
    limit; pyshacl's handling of recursive shapes is its own and stays with it."""
    depth: dict[int, int] = {}
    active: set[int] = set()

    def visit(shape: CShape) -> int:
        key = id(shape)
        if key in depth:
            return depth[key]
        if key in active:
            raise Unsupported("recursive shapes")
        active.add(key)
        depth[key] = 1 + max((visit(s) for s in _nested(shape)), default=0)
        active.discard(key)
        return depth[key]

    for shape in shapes:
        if visit(shape) >= MAX_NESTING:
            raise Unsupported("shapes nested too deep")


def _compile(shapes: Graph, core: Graph, fast: list) -> CompiledShapes:
    _refuse_unsupported(core)
    index = TripleIndex(core)
    nm = shapes_namespace_manager()
    compiled = {node: _make_shape(shapes, core, index, nm, node, path)
                for node, path in harvest(core).items()}
    builder = Builder(core, compiled, lambda n: stringify(index, n, nm),
                      lambda n: items(index, n))
    for shape in compiled.values():
        seen = set()
        for parameter, _ in core.predicate_objects(shape.node):
            group = GROUP.get(parameter, parameter)
            if parameter not in PARAMETERS or group in seen:
                continue
            if parameter == SH.sparql:
                _inactive_sparql(core, shape.node)
                continue
            seen.add(group)
            component = builder.build(shape, parameter)
            if component is not None:
                shape.components.append(component)
    _check_nesting(list(compiled.values()))
    targeted = [s for s in compiled.values()
                if s.targets.classes or s.targets.nodes or s.targets.subjects_of
                or s.targets.objects_of]
    for s in compiled.values():
        s.targets = s.targets if s in targeted else None
    for constraint in fast:
        try:
            ox.Store().query(constraint.query)
        except SyntaxError:
            raise Unsupported("a malformed SPARQL constraint") from None
    return CompiledShapes(targeted, fast)
