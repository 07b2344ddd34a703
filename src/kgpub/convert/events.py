"""An event: its id is the curator's; type, status, date, place and actors are what one
article says, and may differ from what another says."""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import RDF, RDFS, XSD

from ..model import Event
from ..namespaces import CAMEO, KGP, PLOVER, SCHEMA, SEM
from .identity import named_fact_iri
from .kinds import AGENT, EVENT
from .literals import en
from .scope import Scope


def convert_event(scope: Scope, ev: Event, path: tuple):
    node = named_fact_iri("event", ev.id)
    event_type = scope.vocab.event_types.get(ev.type)
    if event_type is None:
        scope.problem((*path, "type"), scope.vocab.event_types.unknown(ev.type))
        event_type = KGP.Event
    core = [(node, RDF.type, event_type), (node, RDF.type, KGP.Event),
            (node, RDFS.label, en(ev.label)), (node, KGP.status, KGP[ev.status])]
    if event_type != KGP.Event:
        core.append((node, KGP.eventType, event_type))
    if ev.date:
        core += [(node, SEM.hasBeginTimeStamp, Literal(ev.date)),
                 (node, SCHEMA.startDate, Literal(ev.date))]
    if ev.month:
        core.append((node, KGP.month, Literal(ev.month, datatype=XSD.gYearMonth)))
    if ev.place:
        place = scope.ref(ev.place, (*path, "place"), None, "place")
        core += [(node, SEM.hasPlace, place), (node, SCHEMA.location, place)]
    for i, actor in enumerate(ev.actors):
        core.append((node, SEM.hasActor, scope.ref(actor, (*path, "actors", i), AGENT, "actor")))
    if ev.plover:
        concept = PLOVER[ev.plover]
        if (concept, None, None) not in scope.vocab.graph:
            scope.problem((*path, "plover"), f"unknown PLOVER category {ev.plover!r}; see "
                                             "ontology/stance-types.ttl")
        core.append((node, KGP.ploverCategory, concept))
    if ev.plover_mode:
        core.append((node, KGP.ploverMode, Literal(ev.plover_mode)))
    if ev.cameo:
        core.append((node, KGP.cameoCode, CAMEO[ev.cameo]))
    if ev.invited_by:
        core.append((node, KGP.invitedBy, scope.ref(ev.invited_by, (*path, "invited_by"), AGENT)))
    if ev.part_of:
        core.append((scope.ref(ev.part_of, (*path, "part_of"), EVENT, "event"), SEM.hasSubEvent,
                     node))
    return node, core
