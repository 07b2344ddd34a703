"""A stance: a holder's position towards targets, of a type from the stance-type scheme."""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import RDF

from ..model import Stance
from ..namespaces import KGP, KGST
from .identity import stance_iri
from .kinds import AGENT, EVENT, MEDIA, PERSON, QUOTE
from .literals import decimal, en
from .scope import Scope


def attribution_type(scope: Scope, name: str, path: tuple):
    concept = scope.vocab.attribution_types.get(name)
    if concept is None:
        scope.problem(path, scope.vocab.attribution_types.unknown(name))
        return KGP[name]
    return concept


def convert_stance(scope: Scope, st: Stance, path: tuple):
    node = stance_iri(st)
    stance_type = scope.vocab.stance_types.get(st.type)
    if stance_type is None:
        scope.problem((*path, "type"), scope.vocab.stance_types.unknown(st.type))
        stance_type = KGST[st.type]
    core = [
        (node, RDF.type, KGP.Stance),
        (node, KGP.stanceHolder, scope.ref(st.holder, (*path, "holder"), AGENT, "holder")),
        (node, KGP.stanceType, stance_type),
        (node, KGP.polarity, KGP[st.polarity]),
        (node, KGP.modality, KGP[st.modality]),
        (node, KGP.attributionType, attribution_type(scope, st.attribution,
                                                     (*path, "attribution"))),
    ]
    if st.speaker:
        core.append((node, KGP.statedBy, scope.ref(st.speaker, (*path, "speaker"), PERSON,
                                                   "speaker")))
    for i, target in enumerate(st.targets):
        core.append((node, KGP.stanceTarget, scope.ref(target, (*path, "targets", i), AGENT,
                                                       "target")))
    if st.target_as_worded:
        core.append((node, KGP.targetAsWorded, en(st.target_as_worded)))
    if st.target_confidence is not None:
        core.append((node, KGP.targetConfidence, decimal(st.target_confidence)))
    if st.strength is not None:
        core.append((node, KGP.strength, decimal(st.strength)))
    if st.intensifier:
        core.append((node, KGP.intensifier, en(st.intensifier)))
    if st.characterized_by:
        core.append((node, KGP.characterizedBy,
                     scope.ref(st.characterized_by, (*path, "characterized_by"), MEDIA,
                               "characterized_by")))
    if st.expressed_in:
        core.append((node, KGP.expressedIn, scope.ref(st.expressed_in, (*path, "expressed_in"),
                                                      QUOTE, "quote ref")))
    if st.expressed_during:
        core.append((node, KGP.expressedDuring,
                     scope.ref(st.expressed_during, (*path, "expressed_during"), EVENT, "event")))
    if st.stated_on:
        core.append((node, KGP.statedOn, Literal(st.stated_on)))
    if st.stated_before:
        core.append((node, KGP.statedBefore, Literal(st.stated_before)))
    for i, topic in enumerate(st.topics):
        core.append((node, KGP.topic, scope.ref(topic, (*path, "topics", i))))
    if st.plover_context:
        core.append((node, KGP.ploverContext, Literal(st.plover_context)))
    return node, core
