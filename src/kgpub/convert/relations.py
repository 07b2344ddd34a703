"""What outlets say about relations: assessments, characterizations, omissions, designations."""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import RDF

from ..model import Assessment, Characterization, Designation, Omission
from ..namespaces import KGP, KGST
from .identity import named_fact_iri
from .kinds import AGENT, EVENT, SOURCE_DOCUMENT, STANCE_OR_EVENT
from .literals import en
from .scope import Scope
from .stances import attribution_type


def convert_assessment(scope: Scope, a: Assessment, path: tuple):
    node = named_fact_iri("assessment", a.id)
    state = scope.vocab.stance_types.get(a.state)
    if state is None:
        scope.problem((*path, "state"), scope.vocab.stance_types.unknown(a.state)
                      .replace("stance type", "relation state", 1))
        state = KGST[a.state]
    core = [(node, RDF.type, KGP.RelationAssessment),
            (node, KGP.relationState, state),
            (node, KGP.polarity, KGP[a.polarity]),
            (node, KGP.attributionType, attribution_type(scope, a.attribution,
                                                         (*path, "attribution"))),
            (node, KGP.assessedBy, scope.ref(a.assessed_by, (*path, "assessed_by"), AGENT,
                                             "assessed_by"))]
    for i, x in enumerate(a.between):
        core.append((node, KGP.between, scope.ref(x, (*path, "between", i), AGENT)))
    for i, x in enumerate(a.caused_by):
        core.append((node, KGP.causedBy, scope.ref(x, (*path, "caused_by", i), STANCE_OR_EVENT,
                                                   "cause")))
    return node, core


def convert_characterization(scope: Scope, c: Characterization, path: tuple):
    node = named_fact_iri("characterization", c.id)
    core = [(node, RDF.type, KGP.Characterization), (node, KGP.claim, en(c.claim)),
            (node, KGP.attributionType, attribution_type(scope, c.attribution,
                                                         (*path, "attribution"))),
            (node, KGP.characterizedBy, scope.ref(c.characterized_by,
                                                  (*path, "characterized_by"), AGENT))]
    for i, x in enumerate(c.about):
        core.append((node, KGP.about, scope.ref(x, (*path, "about", i))))
    for i, x in enumerate(c.dominated_by):
        core.append((node, KGP.dominatedBy, scope.ref(x, (*path, "dominated_by", i), AGENT)))
    return node, core


def convert_omission(scope: Scope, o: Omission, path: tuple):
    node = named_fact_iri("omission", o.id)
    core = [(node, RDF.type, KGP.Omission),
            (node, KGP.omittedBy, scope.ref(o.omitted_by, (*path, "omitted_by"), AGENT)),
            (node, KGP.notMentioned, scope.ref(o.not_mentioned, (*path, "not_mentioned"))),
            (node, KGP.observedBy, scope.ref(o.observed_by, (*path, "observed_by"), AGENT))]
    if o.within:
        core.append((node, KGP.within, scope.ref(o.within, (*path, "within"), EVENT)))
    if o.basis:
        core.append((node, KGP.basis, scope.ref(o.basis, (*path, "basis"), SOURCE_DOCUMENT)))
    return node, core


def convert_designation(scope: Scope, d: Designation, path: tuple):
    node = named_fact_iri("designation", d.id)
    core = [(node, RDF.type, KGP.Designation),
            (node, KGP.designationLabel, en(d.label)),
            (node, KGP.designatedBy, scope.ref(d.designated_by, (*path, "designated_by"),
                                               AGENT)),
            (node, KGP.designates, scope.ref(d.designates, (*path, "designates"), AGENT))]
    if d.designated_on:
        if scope.target.article is not None:
            scope.problem((*path, "designated_on"),
                          "a designation date is external context: put it in data/context.yaml")
        core.append((node, KGP.designatedOn, Literal(d.designated_on)))
    return node, core
