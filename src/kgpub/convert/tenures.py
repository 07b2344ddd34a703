"""A tenure: a person holding a post (or a role in an organisation), bounded in time."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, TIME, XSD

from ..model import Tenure
from ..namespaces import KGP, ORG, SCHEMA
from .identity import tenure_iri
from .kinds import ORG_OR_COUNTRY, PERSON, POST
from .literals import en, partial_date_literal, time_property
from .scope import Scope


def convert_tenure(scope: Scope, tn: Tenure, path: tuple):
    node = tenure_iri(tn)
    person = scope.ref(tn.person, (*path, "person"), PERSON, "person")
    core = [(node, RDF.type, KGP.Tenure), (node, ORG.member, person)]
    if tn.post:
        post = scope.ref(tn.post, (*path, "post"), POST, "post")
        core.append((node, KGP.post, post))
        # ORG's untimed shortcut, for clients that only know org:holds.
        core.append((person, ORG.holds, post))
        for org in scope.shared.post_orgs.get(post, ()):
            core.append((node, ORG.organization, org))
    if tn.organization:
        core.append((node, ORG.organization,
                     scope.ref(tn.organization, (*path, "organization"), ORG_OR_COUNTRY,
                               "organization")))
    if tn.role:
        core.append((node, KGP.roleAsWorded, en(tn.role)))
    if tn.begins or tn.ends:
        interval = URIRef(f"{node}/interval")
        core += [(node, ORG.memberDuring, interval), (interval, RDF.type, TIME.ProperInterval)]
        for bound, prop, flat, name in ((tn.begins, TIME.hasBeginning, SCHEMA.startDate, "begin"),
                                        (tn.ends, TIME.hasEnd, SCHEMA.endDate, "end")):
            if bound is None:
                continue
            instant = URIRef(f"{node}/{name}")
            core += [(interval, prop, instant), (instant, RDF.type, TIME.Instant),
                     (instant, time_property(bound), partial_date_literal(bound)),
                     (node, flat, partial_date_literal(bound))]
    if tn.attested_on:
        core.append((node, KGP.attestedOn, Literal(tn.attested_on)))
    if tn.term_length:
        core.append((node, KGP.termLength, Literal(tn.term_length, datatype=XSD.duration)))
    return node, core
